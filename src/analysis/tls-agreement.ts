/**
 * TLS along the egress paths (paths.ts): what the sidecars send to the egress gateway must be what
 * the Gateway server for the host listens for, and a sidecar must not wrap TLS that the application
 * already speaks in TLS of its own.
 *
 * - GWTLS (EGR130): the sidecars' TLS to the gateway against the server's TLS mode. The gateway
 *   pods carry no `security.istio.io/tlsMode` label (Istio's gateway injection template sets none),
 *   so without a DestinationRule TLS setting the sidecars send plain text (auto mutual TLS only
 *   upgrades to labelled endpoints; pilot cluster_tls.go). An ISTIO_MUTUAL server accepts only the
 *   mesh's mutual TLS; a PASSTHROUGH server reads the SNI of TLS it does not end; an HTTP server
 *   reads plain HTTP; a TCP server forwards whatever it gets to the host. Errors where the
 *   handshake or the routing cannot succeed; a warning where it depends on certificates not in the
 *   objects (mesh TLS to a server with its own credential).
 * - GWSNI (EGR131): a server that ends TLS picks its filter chain by the SNI among its hosts
 *   (pilot model.GetSNIHostsForServer; `*` matches any). With ISTIO_MUTUAL and no `sni`, the sidecar
 *   names the cluster (`outbound_.<port>_.<subset>_.<service>`, cluster_tls.go), which is no host.
 * - DOUBLETLS (EGR134, warning): a sidecar that originates TLS (SIMPLE, MUTUAL) on an HTTPS or TLS
 *   port of a host it sends to directly wraps the application's own TLS in a second session. A
 *   warning: Istio's egress gateway TLS origination task writes exactly this (its DestinationRule is
 *   meant for the gateway, and its clients only use port 80), and it only fails the clients that use
 *   the port.
 */
import { ObjectIndex, label } from './model';
import { ObjectFinding, objectFinding } from './object-finding';
import { covers, isPassthrough, originatesTls } from './path-lookups';
import { HopTraffic, HostPath, PortPath, dedupe, egressPaths } from './paths';
import { isHttpProtocol, isTlsProtocol } from '../rules/protocol';

export function checkTlsAgreement(index: ObjectIndex): ObjectFinding[] {
  return dedupe(egressPaths(index).hosts.flatMap(host => host.ports.flatMap(path => tlsAgreementOnPath(host, path))));
}

/** The findings of GWTLS, GWSNI and DOUBLETLS about one port's path. */
export function tlsAgreementOnPath(host: HostPath, path: PortPath): ObjectFinding[] {
  return [...toGateway(host, path), ...doubleTls(host, path)];
}

/** What a hop carries, in words. */
export function trafficText(path: PortPath): string {
  const { traffic, tls } = path.sidecar;
  if (traffic === 'istio-mutual') {
    return 'Istio mutual TLS';
  }
  if (traffic === 'tls') {
    return tls && originatesTls(tls.mode) ? `TLS they originate (${tls.mode}, DestinationRule ${label(tls.destinationRule.object)})`
      : 'the application\'s own TLS';
  }
  return traffic === 'plain' ? 'plain text' : 'an opaque TCP stream';
}

type Verdict = 'ok' | 'error' | 'warning';

/** Whether what the sidecars send can reach the host through a server with this TLS mode and protocol. */
function agreement(traffic: HopTraffic, serverTls: string, serverProtocol: string, originated?: string): { verdict: Verdict; why: string } {
  const ok = { verdict: 'ok' as const, why: '' };
  if (serverTls === 'ISTIO_MUTUAL') {
    if (traffic === 'istio-mutual') {
      return ok;
    }
    return {
      // A client certificate of the user's own could still be one the mesh's CA issued.
      verdict: originated === 'MUTUAL' ? 'warning' : 'error',
      why: 'which accepts only Istio mutual TLS (a client certificate of the mesh): the handshake fails',
    };
  }
  if (serverTls === 'AUTO_PASSTHROUGH') {
    return ok;
  }
  if (isPassthrough(serverTls)) {
    if (traffic === 'istio-mutual') {
      return {
        verdict: 'error',
        why: 'which passes TLS through by its SNI: it forwards the sidecars\' mesh TLS session to the host, which cannot complete it',
      };
    }
    return traffic === 'plain'
      ? { verdict: 'error', why: 'which routes by the SNI of the TLS it passes through: plain text has none, so the gateway drops it' }
      : ok;
  }
  if (serverTls !== 'none') {
    // SIMPLE, MUTUAL, OPTIONAL_MUTUAL: the gateway ends TLS with a credential of its own.
    if (traffic === 'plain') {
      return { verdict: 'error', why: `which expects TLS (mode ${serverTls}): plain text fails the handshake` };
    }
    return traffic === 'istio-mutual'
      ? {
        verdict: 'warning',
        why: `which ends TLS with its own credential (mode ${serverTls}): the sidecars accept only a certificate the mesh issued to the gateway, `
          + 'so the handshake fails unless that credential is one',
      }
      : ok;
  }
  if (isHttpProtocol(serverProtocol)) {
    return traffic === 'istio-mutual' || traffic === 'tls'
      ? { verdict: 'error', why: `which reads plain ${serverProtocol} and cannot read TLS` }
      : ok;
  }
  return traffic === 'istio-mutual'
    ? { verdict: 'error', why: 'which has no TLS: it forwards the sidecars\' mesh TLS session as bytes to the host, which cannot complete it' }
    : ok;
}

function toGateway(host: HostPath, path: PortPath): ObjectFinding[] {
  const { sidecar, server, target } = path;
  if (!server || !target || !sidecar.route) {
    return [];
  }
  const where = `Gateway ${label(server.gateway.object)} ${server.field} (port ${server.port} ${server.protocol}, TLS ${server.tls})`;
  const { verdict, why } = agreement(sidecar.traffic, server.tls, server.protocol, sidecar.tls?.mode);
  const anchor = sidecar.tls
    ? { index: sidecar.tls.destinationRule.index, field: `${sidecar.tls.field}.mode`, value: sidecar.tls.mode }
    : { index: sidecar.route.vs.index, field: sidecar.route.destinationField, value: sidecar.route.host };
  if (verdict !== 'ok') {
    const fix = server.tls === 'ISTIO_MUTUAL'
      ? `set tls mode ISTIO_MUTUAL with sni ${host.host} for port ${sidecar.destinationPort}${sidecar.subset ? ` in subset ${sidecar.subset}` : ''} `
        + `of a DestinationRule for ${sidecar.destination} in namespace ${sidecar.clientNamespace}`
      : sidecar.traffic === 'istio-mutual'
        ? `make the server's TLS mode ISTIO_MUTUAL, or drop the ISTIO_MUTUAL setting for port ${sidecar.destinationPort} from ${label(sidecar.tls!.destinationRule.object)}`
        : `make the server's TLS match what the sidecars send (${trafficText(path)}), or change what they send`;
    return [objectFinding(anchor.index, 'GWTLS', verdict, anchor.field, anchor.value,
      `the sidecars of ${sidecar.clientNamespace} send ${host.host}:${path.port.number} to the egress gateway as ${trafficText(path)}; `
      + `it arrives at ${where}, ${why}`, fix)];
  }
  if (sidecar.traffic !== 'istio-mutual' || server.tls !== 'ISTIO_MUTUAL' || server.hosts.includes('*')) {
    return [];
  }
  const sni = sidecar.tls?.sni;
  if (sni !== undefined && server.hosts.some(h => covers(h, sni))) {
    return [];
  }
  const named = sni !== undefined
    ? `sni ${sni}`
    : `no sni, so the sidecars name the cluster (outbound_.${sidecar.destinationPort}_.${sidecar.subset ?? ''}_.${sidecar.destination})`;
  return [objectFinding(anchor.index, 'GWSNI', 'error', sidecar.tls ? `${sidecar.tls.field}.sni` : anchor.field, sni,
    `the sidecars' Istio mutual TLS to the egress gateway for ${host.host}:${path.port.number} has ${named}, which is none of the hosts of `
    + `${where} (${server.hosts.join(', ')}): the gateway picks its TLS filter chain by SNI, finds none and closes the connection`,
    `set sni: ${host.host} beside mode: ISTIO_MUTUAL in ${sidecar.tls ? label(sidecar.tls.destinationRule.object) : 'the DestinationRule'}`)];
}

function doubleTls(host: HostPath, path: PortPath): ObjectFinding[] {
  const { sidecar } = path;
  const tls = sidecar.tls;
  if (sidecar.via !== 'direct' || !tls || !originatesTls(tls.mode) || !isTlsProtocol(path.port.protocol) || sidecar.route?.block === 'http') {
    return [];
  }
  const gatewayUse = host.ports.find(p => p.gatewayHop?.tlsOrigination?.destinationRule === tls.destinationRule);
  const fix = gatewayUse
    ? `the rule is for the egress gateway: move it to the gateway's namespace (${gatewayUse.target!.namespace}) with exportTo ["."] `
      + '(or give it a workloadSelector for the gateway pods there), so that the sidecars do not apply it'
    : `originate TLS on an HTTP port instead (a ServiceEntry port of protocol HTTP with targetPort ${path.port.number}, `
      + 'as Istio\'s TLS origination task does), or remove the TLS setting for this port';
  return [objectFinding(tls.destinationRule.index, 'DOUBLETLS', 'warning', `${tls.field}.mode`, tls.mode,
    `the sidecars of ${sidecar.clientNamespace} originate TLS (${tls.mode}) to ${host.host}:${path.port.number}, a port of protocol `
    + `${path.port.protocol} whose clients already speak TLS: their TLS is wrapped in a second session, which the host cannot read`, fix)];
}
