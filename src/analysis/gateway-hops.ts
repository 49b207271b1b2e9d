/**
 * The gateway hop of the egress paths (paths.ts): a mesh route that sends a host's traffic to an
 * egress gateway needs a server for the host on that port among the Gateways of the gateway's pods,
 * and a route bound to that Gateway that takes it on. (The TLS of the hop: tls-agreement.ts;
 * authorization by identities the hop does not carry: IDENTITY_WITHOUT_MTLS in egress-intent.ts.)
 *
 * - GWSERVER (EGR132): no Gateway server for the host on the port. The gateway has no listener for
 *   the port, or its listener no filter chain or virtual host for the host: the traffic is refused,
 *   or answered 404 (pilot builds gateway listeners and routes from the merged servers only).
 * - GWROUTE (EGR133): a server, but no VirtualService bound to its Gateway (and allowed by the
 *   server's `namespace/host`) routes the host on that port with the route kind the server uses
 *   (`http` for HTTP and terminated HTTPS, `tls` for passed-through TLS, `tcp` for the rest):
 *   HTTP gets 404, TLS and TCP connections are closed. An AUTO_PASSTHROUGH server takes no VirtualService: it
 *   forwards Istio mutual TLS by its SNI to a cluster of the mesh, which an external host cannot be.
 *
 * Only gateways with at least one Gateway among the objects are looked at (paths.ts), so a gateway
 * configured elsewhere is not judged by the part of its configuration given here.
 */
import { ObjectIndex, label, selectorString } from './model';
import { ObjectFinding, objectFinding } from './object-finding';
import { gatewayBlocks } from './path-lookups';
import { HostPath, PortPath, dedupe, egressPaths } from './paths';

export function checkGatewayHops(index: ObjectIndex): ObjectFinding[] {
  return dedupe(egressPaths(index).hosts.flatMap(host => host.ports.flatMap(path => gatewayHopOnPath(host, path))));
}

/** The findings of GWSERVER and GWROUTE about one port's path. */
export function gatewayHopOnPath(host: HostPath, path: PortPath): ObjectFinding[] {
  const { sidecar, target, server } = path;
  if (!target || !sidecar.route) {
    return [];
  }
  const route = sidecar.route;
  const sends = `sends ${host.host}:${path.port.number} to the egress gateway ${sidecar.destination} on port ${sidecar.destinationPort}`;
  if (!server) {
    const gateways = target.gateways.map(g => label(g.object)).join(', ');
    return [objectFinding(route.vs.index, 'GWSERVER', 'error', route.destinationField, route.host,
      `${route.field} ${sends}, but no Gateway of its pods (${selectorString(target.labels)} in ${target.namespace}: ${gateways}) has a server for `
      + `${host.host} on port ${sidecar.destinationPort}: the gateway refuses the traffic or answers 404`,
      `add a server for ${host.host} on port ${sidecar.destinationPort} to Gateway ${label(target.gateways[0].object)}, or send the traffic to a `
      + 'gateway port that has one')];
  }
  if (path.gatewayHop) {
    return [];
  }
  const gateway = label(server.gateway.object);
  if (server.tls === 'AUTO_PASSTHROUGH') {
    // Such a server takes no VirtualService: it forwards by the SNI of Istio mutual TLS to a cluster of the mesh.
    return [objectFinding(route.vs.index, 'GWROUTE', 'error', route.destinationField, route.host,
      `${route.field} ${sends}, where ${gateway} ${server.field} takes it in AUTO_PASSTHROUGH mode, which forwards a connection by the SNI `
      + `of Istio mutual TLS (outbound_.<port>_.<subset>_.<host>) to a cluster of the mesh, without VirtualServices: ${host.host} would get `
      + 'the mesh\'s TLS, which it cannot complete',
      `use a PASSTHROUGH or ISTIO_MUTUAL server on Gateway ${gateway} for ${host.host}, with a route bound to it that sends ${host.host} to the host`)];
  }
  const kind = gatewayBlocks(server.protocol, server.tls)[0];
  const namespaces = server.routeNamespaces ? ` from namespace ${[...server.routeNamespaces].join(' or ')} (the server's hosts allow no other)` : '';
  return [objectFinding(route.vs.index, 'GWROUTE', 'error', route.destinationField, route.host,
    `${route.field} ${sends}, where ${gateway} ${server.field} takes it, but no VirtualService bound to ${gateway}${namespaces} has a ${kind} route `
    + `for ${host.host} on port ${server.port}: the gateway ${kind === 'http' ? 'answers 404' : 'closes the connection'}`,
    `add a ${kind} route matching gateways [${gateway}] and port ${server.port} that sends ${host.host} to the host, in a VirtualService for `
    + `${host.host} bound to ${gateway}`)];
}
