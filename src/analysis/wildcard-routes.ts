/**
 * WILDCARD_CAPTURE (EGR119, warning): a ServiceEntry host that no mesh VirtualService names, covered
 * by a wildcard mesh VirtualService (`*.example.com`) that sends its traffic elsewhere. Pilot applies
 * the most specific wildcard VirtualService to every service it covers (route.go,
 * separateVSHostsAndServices; the TLS and TCP listeners read the same VirtualServices), so the host's
 * traffic takes that VirtualService's route to the egress gateway, and from there goes to the host the
 * gateway route names: the host's own endpoints and DestinationRules (its TLS origination, say) are not
 * used. istio.io's wildcard egress tasks declare the wildcard host and the one host that serves it;
 * a gateway route to the host itself is such a server, and is not reported.
 */
import { IndexedObject, MESH, ObjectIndex, isMeshBound, isVisibleIn, label, namespaceOf } from './model';
import { ObjectFinding, objectFinding } from './object-finding';
import { strings } from './path-lookups';
import { asArray, isRecord } from '../rules/finding';
import { hostSubsetOf } from '../rules/names';
import { sidecarRouteBlocks } from '../rules/protocol';

interface WildcardRoute {
  readonly host: string;
  readonly vs: IndexedObject;
}

export function checkWildcardCaptures(index: ObjectIndex): ObjectFinding[] {
  const mesh = index.virtualServices.filter(v => isMeshBound(v.object));
  const wildcards: WildcardRoute[] = mesh.flatMap(vs => strings(vs.object.spec?.hosts).filter(h => h.startsWith('*') && h !== '*').map(host => ({ host, vs })));
  if (wildcards.length === 0) {
    return [];
  }
  const named = new Map<string, IndexedObject[]>();
  for (const vs of mesh) {
    for (const h of strings(vs.object.spec?.hosts)) {
      named.set(h, [...(named.get(h) ?? []), vs]);
    }
  }
  // The hosts that a route bound to a gateway (not only to the mesh) sends traffic to.
  const gatewayDestinations = new Set(index.virtualServices.flatMap(vs => index.destinations(vs))
    .filter(d => d.atGateways.length > 0).map(d => d.host));
  const findings: ObjectFinding[] = [];
  for (const entry of index.serviceEntries) {
    const namespace = namespaceOf(entry.object);
    const ports = asArray(entry.object.spec?.ports).filter(isRecord).filter(p => typeof p.number === 'number');
    asArray(entry.object.spec?.hosts).forEach((host, i) => {
      if (typeof host !== 'string' || host.startsWith('*') || (named.get(host) ?? []).some(vs => isVisibleIn(vs.object, namespace))) {
        return;
      }
      const route = mostSpecific(wildcards.filter(w => hostSubsetOf(host, w.host) && isVisibleIn(w.vs.object, namespace)));
      if (!route || gatewayDestinations.has(host)) {
        return;
      }
      const taken = ports
        .map(p => ({ port: p.number as number, destinations: meshDestinations(route.vs, p.number as number, sidecarRouteBlocks(p.protocol)) }))
        .filter(p => p.destinations.length > 0 && p.destinations.every(d => d !== host));
      if (taken.length === 0) {
        return;
      }
      const destinations = [...new Set(taken.flatMap(p => p.destinations))].join(', ');
      const which = taken.length > 1 ? `ports ${taken.map(p => p.port).join(', ')}` : `port ${taken[0].port}`;
      findings.push(objectFinding(entry.index, 'WILDCARD_CAPTURE', 'warning', `spec.hosts[${i}]`, host,
        `no mesh VirtualService names ${host}, so the sidecars send its traffic on ${which} by the routes of VirtualService ${label(route.vs.object)} `
        + `for ${route.host} (the most specific wildcard VirtualService applies to every host it covers), to ${destinations}, and no gateway route `
        + `sends it on to ${host}: the endpoints of ServiceEntry ${label(entry.object)} and the DestinationRules for ${host} are not used`,
        `give ${host} a mesh route of its own (a VirtualService for ${host}, e.g. an EgressGatewayRoute of its ExternalHost), or leave it to `
        + `${route.host} and drop its own ServiceEntry; if ${route.host}'s route should take it, acknowledge EGR119`));
    });
  }
  return findings;
}

/** The wildcard route with the longest host (pilot's most specific wildcard VirtualService); the first of equals. */
function mostSpecific(routes: WildcardRoute[]): WildcardRoute | undefined {
  return routes.reduce<WildcardRoute | undefined>((best, r) => (best === undefined || r.host.length > best.host.length ? r : best), undefined);
}

/**
 * The destination hosts of the VirtualService's mesh routes, in the blocks that take the port's
 * traffic, that apply to the port (no port in a match, or the port).
 */
function meshDestinations(vs: IndexedObject, port: number, blocks: string[]): string[] {
  const top = asArray(vs.object.spec?.gateways);
  const topAtMesh = top.length === 0 || top.includes(MESH);
  const out: string[] = [];
  for (const block of blocks) {
    for (const route of asArray(vs.object.spec?.[block]).filter(isRecord)) {
      // A match names its own gateways or takes the VirtualService's; a match without port takes every port.
      const matches = asArray(route.match).filter(isRecord);
      const applies = matches.length === 0 ? topAtMesh : matches.some(m => (m.port === undefined || m.port === null || m.port === port)
        && (asArray(m.gateways).length > 0 ? asArray(m.gateways).includes(MESH) : topAtMesh));
      if (applies) {
        const hosts = asArray(route.route).map(r => (isRecord(r) && isRecord(r.destination) ? r.destination.host : undefined));
        out.push(...hosts.filter((h): h is string => typeof h === 'string'));
      }
    }
  }
  return out;
}
