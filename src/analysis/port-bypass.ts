/**
 * PORTBYPASS (EGR220, warning): a host some of whose ports the sidecars send through an egress
 * gateway while another port goes from the sidecars straight out. Istio routes each port on its
 * own: a mesh route that matches port 80 says nothing about port 443, so traffic on the other port
 * leaves from every client pod, past the gateway, its AuthorizationPolicies and its logs.
 *
 * A warning, not an error: the traffic works, and Istio's egress gateway task writes this on
 * purpose (its ServiceEntry declares port 443 beside the gateway-routed port 80 so that the
 * redirect to https reaches the host directly). With TLS origination at the gateway the HTTPS port
 * must stay declared, since the gateway sends to it, and the sidecars can use it too. Where direct
 * access is meant, acknowledge EGR220.
 */
import { ObjectIndex, label } from './model';
import { ObjectFinding, objectFinding } from './object-finding';
import { HostPath, PortPath, dedupe, egressPaths } from './paths';
import { hostsMatch } from '../rules/names';

export function checkPortBypass(index: ObjectIndex): ObjectFinding[] {
  return dedupe(egressPaths(index).hosts.flatMap(host => host.ports.flatMap(path => portBypassOnPath(host, path))));
}

/** The PORTBYPASS finding about one port's path: it goes direct while other ports of its host go through a gateway. */
export function portBypassOnPath(host: HostPath, p: PortPath): ObjectFinding[] {
  const routed = host.ports.filter(x => x.sidecar.via === 'gateway');
  if (routed.length === 0 || host.definitionKind !== 'ServiceEntry' || p.sidecar.via !== 'direct') {
    return [];
  }
  const gateways = [...new Set(routed.map(r => r.sidecar.destination))].join(', ');
  const ports = routed.map(r => r.port.number);
  const which = ports.length > 1 ? `ports ${ports.join(', ')} go` : `port ${ports[0]} goes`;
  const origination = routed.find(r => r.gatewayHop?.destinationPort === p.port.number && hostsMatch(r.gatewayHop.destination, host.host));
  return [objectFinding(host.definition.index, 'PORTBYPASS', 'warning', p.port.field ?? 'spec.ports', p.port.number,
    `port ${p.port.number} (${p.port.protocol || 'protocol detected'}) of ${host.host} goes from the sidecars straight to the host, while ${which} through the `
    + `egress gateway ${gateways}: traffic on port ${p.port.number} bypasses the gateway and its policies${originationNote(p, origination)}`,
    `route port ${p.port.number} through the gateway as well (a mesh route for the port to the gateway, a Gateway server and a route bound `
    + 'to it), or, if clients may reach it directly, acknowledge EGR220')];
}

/** The port is where the gateway sends another port's traffic: it has to stay declared. */
function originationNote(port: PortPath, origination: PortPath | undefined): string {
  if (!origination?.gatewayHop) {
    return '';
  }
  const tls = origination.gatewayHop.tlsOrigination;
  const how = tls ? ` and originates TLS (${tls.mode}, DestinationRule ${label(tls.destinationRule.object)})` : '';
  return ` (the gateway sends port ${origination.port.number} to port ${port.port.number}${how}, so the port must stay declared, `
    + 'and the sidecars can use it as well)';
}
