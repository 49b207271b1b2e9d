/** Which VirtualService route carries a host's traffic on a port, for the mesh (sidecars) or for a gateway. */
import { asArray, isRecord } from '../../rules/finding';
import { isHttpProtocol, isTlsProtocol } from '../../rules/protocol';
import { LoadedObject } from '../input';
import { boundGateways, byPreference, covers, namespaceOf, portNumber, qualifyGateway, specOf, strings } from './objects';

export type Block = 'http' | 'tls' | 'tcp';

/** The first route that applies, and its first destination. */
export interface RouteHit {
  readonly vs: LoadedObject;
  readonly block: Block;
  readonly index: number;
  readonly host: string;
  readonly port: number | undefined;
  readonly subset: string | undefined;
}

/** What a proxy looks for on a port: the route blocks in the order Istio uses them for the protocol. */
export interface RouteQuery {
  /** `mesh` for sidecars, `namespace/name` for a Gateway. */
  readonly gateway: string;
  readonly host: string;
  readonly port: number;
  readonly blocks: Block[];
  /** The namespace to prefer VirtualServices from (the ServiceEntry's, on the clients' side). */
  readonly preferNamespace?: string;
}

/** Route blocks a sidecar uses for a ServiceEntry port: HTTP is routed by `http`, TLS by SNI (`tls`), the rest by `tcp`. */
export function sidecarBlocks(protocol: string): Block[] {
  if (isHttpProtocol(protocol)) {
    return ['http'];
  }
  return isTlsProtocol(protocol) ? ['tls', 'tcp'] : ['tcp'];
}

/** Route blocks a gateway server uses: terminated HTTP(S) is `http`, passed-through TLS `tls`, terminated TLS and TCP `tcp`. */
export function gatewayBlocks(protocol: string, tlsMode: string): Block[] {
  const passthrough = tlsMode === 'PASSTHROUGH' || tlsMode === 'AUTO_PASSTHROUGH';
  if (isHttpProtocol(protocol) || (protocol.toUpperCase() === 'HTTPS' && !passthrough)) {
    return ['http'];
  }
  if (isTlsProtocol(protocol)) {
    return passthrough ? ['tls'] : ['tcp'];
  }
  return ['tcp'];
}

/** The route that applies first: VirtualServices from the preferred namespace and with the exact host first. */
export function findRoute(virtualServices: LoadedObject[], query: RouteQuery): RouteHit | undefined {
  const candidates = virtualServices.filter(vs =>
    boundGateways(vs).includes(query.gateway) && strings(specOf(vs).hosts).some(h => covers(h, query.host)));
  const ranked = byPreference(candidates, vs =>
    (namespaceOf(vs) === query.preferNamespace ? 0 : 2) + (strings(specOf(vs).hosts).includes(query.host) ? 0 : 1));
  for (const vs of ranked) {
    const hit = firstRoute(vs, query);
    if (hit) {
      return hit;
    }
  }
  return undefined;
}

function firstRoute(vs: LoadedObject, query: RouteQuery): RouteHit | undefined {
  for (const block of query.blocks) {
    const routes = asArray(specOf(vs)[block]);
    const index = routes.findIndex(route => isRecord(route) && routeApplies(vs, route, block, query));
    if (index >= 0) {
      return hitOf(vs, block, index, routes[index]);
    }
  }
  return undefined;
}

function routeApplies(vs: LoadedObject, route: Record<string, any>, block: Block, query: RouteQuery): boolean {
  const matches = asArray(route.match).filter(isRecord);
  return matches.length === 0 || matches.some(match => matchApplies(vs, match, block, query));
}

function matchApplies(vs: LoadedObject, match: Record<string, any>, block: Block, query: RouteQuery): boolean {
  const own = strings(match.gateways).map(g => qualifyGateway(g, namespaceOf(vs)));
  const gateways = own.length > 0 ? own : boundGateways(vs);
  const port = portNumber(match.port);
  const sniHosts = strings(match.sniHosts);
  return gateways.includes(query.gateway)
    && (port === undefined || port === query.port)
    && (block !== 'tls' || sniHosts.length === 0 || sniHosts.some(sni => covers(sni, query.host)));
}

function hitOf(vs: LoadedObject, block: Block, index: number, route: Record<string, any>): RouteHit | undefined {
  const destination = asArray(route.route).map(r => (isRecord(r) ? r.destination : undefined)).find(isRecord);
  if (!destination || typeof destination.host !== 'string') {
    return undefined;
  }
  return {
    vs,
    block,
    index,
    host: destination.host,
    port: portNumber(isRecord(destination.port) ? destination.port.number : undefined),
    subset: typeof destination.subset === 'string' ? destination.subset : undefined,
  };
}

/** `http[0]`: a route's place in its VirtualService. */
export function routeName(hit: RouteHit): string {
  return `${hit.block}[${hit.index}]`;
}
