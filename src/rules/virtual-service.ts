/**
 * VirtualService rules: Istio's ValidateVirtualService (pkg/config/validation/validation.go) with
 * every helper it calls. VS1..VS24 follow the rules notes; VS25..VS33 extend them for the http
 * route details; IST0130/IST0131 are the unreachable-rule analysis; VSR1 is our own rule for a
 * `match.gateways` entry that the top-level `gateways` list does not bind.
 * The http route checks are in virtual-service-http.ts, the shared parts in virtual-service-parts.ts.
 */
import { checkExportTo } from './export-to';
import { Finding, FindingCollector, Manifest, asArray, goQuote, isRecord } from './finding';
import { checkLabels } from './labels';
import { checkWildcardDomain, hostSubsetOf, hostsMatch, isIpAddress } from './names';
import { checkHttpRoute } from './virtual-service-http';
import {
  MESH, VsContext, asMessage, checkDestinationSubnets, checkGatewayNames, checkMatchGateways, checkMatchPort, checkRouteDestinations,
} from './virtual-service-parts';
import { isJwtClaimHeader } from './virtual-service-syntax';
import { checkUnreachableRules } from './virtual-service-unreachable';

export const MESH_GATEWAY = MESH;

// The annotation of VirtualServices converted from the Gateway API (constants.InternalRouteSemantics).
const ROUTE_SEMANTICS_ANNOTATION = 'internal.istio.io/route-semantics';
const SNI_HOST_FORMAT = 'outbound_.<PORT>_._.<HOSTNAME>';

export function checkVirtualService(vs: Manifest): Finding[] {
  const out = new FindingCollector();
  const spec = isRecord(vs.spec) ? vs.spec : {};
  const hosts = asArray(spec.hosts);
  const gateways = asArray(spec.gateways);
  const http = asArray(spec.http);
  const tls = asArray(spec.tls);
  const tcp = asArray(spec.tcp);
  const namespace = typeof vs.metadata?.namespace === 'string' && vs.metadata.namespace !== '' ? vs.metadata.namespace : undefined;
  const annotations = isRecord(vs.metadata?.annotations) ? vs.metadata!.annotations : {};
  const gatewaySemantics = annotations[ROUTE_SEMANTICS_ANNOTATION] === 'gateway';

  if (hosts.length === 0) {
    // VS1: a delegate VirtualService has http routes only, and is bound through the root VirtualService.
    for (const key of ['gateways', 'tls', 'tcp']) {
      if (asArray(spec[key]).length > 0) {
        out.error('VS1', `spec.${key}`, spec[key], `delegate virtual service must have no ${key === 'gateways' ? 'gateways' : `${key} route`} specified`,
          'name the hosts this VirtualService routes, or drop the field');
      }
    }
  }
  checkGatewayNames(out, gateways, 'spec.gateways', 'VS2', gatewaySemantics);
  // Bound to gateways only: no `mesh` in a non-empty list.
  const appliesToGateway = gateways.length > 0 && !gateways.includes(MESH);
  if (!appliesToGateway) {
    checkJwtClaimRouting(out, http, gateways);
  }
  checkHosts(out, hosts, appliesToGateway, hasSniHosts(tls));

  if (http.length + tls.length + tcp.length === 0) {
    out.error('VS7', 'spec', undefined, 'http, tcp or tls must be provided in virtual service', 'add at least one route');
  }
  const ctx: VsContext = {
    out,
    isDelegate: hosts.length === 0,
    gatewaySemantics,
    boundGateways: gateways.length === 0 ? [MESH] : gateways.filter(g => typeof g === 'string'),
    namespace,
  };
  http.forEach((route, i) => checkHttpRoute(ctx, route, `spec.http[${i}]`));
  tls.forEach((route, i) => checkTlsRoute(ctx, route, `spec.tls[${i}]`, hosts, gateways));
  tcp.forEach((route, i) => checkTcpRoute(ctx, route, `spec.tcp[${i}]`));
  checkExportTo(out, spec.exportTo, vs.metadata?.namespace, false);
  checkUnreachableRules(out, http, 'http');
  checkUnreachableRules(out, tcp, 'tcp');
  checkUnreachableRules(out, tls, 'tls');
  return out.findings;
}

/** isSniHost: some tls match lists SNI hosts. */
function hasSniHosts(tls: any[]): boolean {
  return tls.some(route => isRecord(route) && asArray(route.match).some(m => isRecord(m) && asArray(m.sniHosts).length > 0));
}

/**
 * agent.ValidateWildcardDomainForVirtualServiceBoundToGateway: with SNI matches, a gateway-bound
 * VirtualService may also name the SNI that AUTO_PASSTHROUGH gateways route on,
 * `outbound_.<port>_._.<host>` (e.g. `outbound_.15010_._.istiod.istio-system.svc.cluster.local`).
 */
export function checkGatewayBoundHost(sni: boolean, domain: string): string | undefined {
  if (sni && domain.startsWith('outbound_') && domain.length <= 255) {
    const parts = domain.split('_');
    if (parts.length < 4) {
      return `domain name ${domain} invalid, should follow '${SNI_HOST_FORMAT}' format`;
    }
    const trim = (s: string) => s.replace(/^\.+|\.+$/g, '');
    const port = trim(parts[1]);
    const hostname = trim(parts[3]);
    if (!/[0-9]/.test(port)) {
      return `domain name ${goQuote(domain)} invalid (label ${goQuote(port)} invalid). should follow ${SNI_HOST_FORMAT} format`;
    }
    if (!/[a-zA-Z]/.test(hostname)) {
      return `domain name ${goQuote(domain)} invalid (label ${goQuote(hostname)} invalid). should follow ${SNI_HOST_FORMAT} format`;
    }
    return undefined;
  }
  return checkWildcardDomain(domain);
}

/** Hosts: syntax (VS4; IPs pass), `*` on the mesh (VS5), and overlaps (VS6, checked only when every host is valid). */
function checkHosts(out: FindingCollector, hosts: any[], appliesToGateway: boolean, sni: boolean): void {
  let allValid = true;
  // A for loop, not forEach: a hole in a sparse array (JavaScript callers) is a missing host too.
  for (let i = 0; i < hosts.length; i++) {
    const host = hosts[i];
    const field = `spec.hosts[${i}]`;
    if (typeof host !== 'string') {
      out.error('VS4', field, host, 'host must be a string', 'use a host name such as api.example.com');
      allValid = false;
      continue;
    }
    const bad = appliesToGateway ? checkGatewayBoundHost(sni, host) : checkWildcardDomain(host);
    if (bad) {
      if (!isIpAddress(host)) {
        out.error('VS4', field, host, bad, 'use a host name such as api.example.com');
        allValid = false;
      }
    } else if (!appliesToGateway && host === '*') {
      out.error('VS5', field, host, 'wildcard host * is not allowed for virtual services bound to the mesh gateway',
        'name the hosts to route, or bind the VirtualService only to gateways');
      allValid = false;
    }
  }
  if (!allValid) {
    return;
  }
  for (let i = 0; i < hosts.length; i++) {
    for (let j = i + 1; j < hosts.length; j++) {
      if (hostsMatch(hosts[i], hosts[j])) {
        out.error('VS6', `spec.hosts[${j}]`, hosts[j], `duplicate hosts in virtual service: ${hosts[i]} & ${hosts[j]}`,
          'list each host once; a wildcard already covers its subdomains');
      }
    }
  }
}

/** VS21: routing on JWT claims (`@request.auth.claims.*` headers) works only on gateways. */
function checkJwtClaimRouting(out: FindingCollector, http: any[], gateways: any[]): void {
  http.forEach((route, i) => {
    asArray(isRecord(route) ? route.match : undefined).forEach((match, j) => {
      for (const key of ['headers', 'withoutHeaders']) {
        const headers = isRecord(match) && isRecord(match[key]) ? match[key] : {};
        for (const name of Object.keys(headers)) {
          if (isJwtClaimHeader(name)) {
            out.error('VS21', `spec.http[${i}].match[${j}].${key}.${name}`, name,
              `JWT claim based routing (key: ${name}) is only supported for gateway, found no gateways: [${gateways.join(' ')}]`,
              'route on JWT claims in a VirtualService bound to an ingress gateway (not to mesh)');
          }
        }
      }
    });
  });
}

/** validateSniHost: a domain (the gateway SNI form allowed unless bound to `mesh`) inside the hosts (VS17), or an IP (VS18, a warning). */
function checkSniHost(out: FindingCollector, sni: unknown, field: string, hosts: any[], gateways: any[]): void {
  if (typeof sni !== 'string') {
    out.error('VS17', field, sni, 'SNI host must be a string', 'match the external host name');
    return;
  }
  // Istio's isGateway: true unless `mesh` is listed (so also when no gateway is).
  const bad = !gateways.includes(MESH) ? checkGatewayBoundHost(true, sni) : checkWildcardDomain(sni);
  if (bad) {
    if (isIpAddress(sni)) {
      out.warning('VS18', field, sni, `using an IP address (${goQuote(sni)}) goes against SNI spec and most clients do not support this`, 'match a host name');
    } else {
      out.error('VS17', field, sni, bad, 'match a host name such as api.example.com');
    }
    return;
  }
  if (!hosts.some(h => typeof h === 'string' && hostSubsetOf(sni, h))) {
    out.error('VS17', field, sni, `SNI host ${goQuote(sni)} is not a compatible subset of any of the virtual service hosts: [${hosts.join(', ')}]`,
      'match only SNI names that the VirtualService hosts cover');
  }
}

/** validateTLSRoute and validateTLSMatch (VS15..VS20, VS3, VSR1). */
function checkTlsRoute(ctx: VsContext, item: unknown, field: string, hosts: any[], gateways: any[]): void {
  const { out } = ctx;
  const route = asMessage(out, 'VS15', item, field);
  if (!route) {
    return;
  }
  const matches = asArray(route.match);
  if (matches.length === 0) {
    out.error('VS15', `${field}.match`, route.match, 'TLS route must have at least one match condition', 'match on the SNI host and port');
  }
  matches.forEach((entry, j) => {
    const at = `${field}.match[${j}]`;
    const match = asMessage(out, 'VS15', entry, at);
    if (!match) {
      return;
    }
    const sniHosts = asArray(match.sniHosts);
    if (sniHosts.length === 0) {
      out.error('VS16', `${at}.sniHosts`, match.sniHosts, 'TLS match must have at least one SNI host', 'match the external host name in sniHosts');
    }
    sniHosts.forEach((sni, k) => checkSniHost(out, sni, `${at}.sniHosts[${k}]`, hosts, gateways));
    checkL4Match(ctx, match, at, true);
  });
  if (asArray(route.route).length === 0) {
    out.error('VS19', `${field}.route`, route.route, 'TLS route is required', 'add a route with a destination');
  }
  checkRouteDestinations(ctx, route.route, `${field}.route`);
}

/** validateTCPRoute and validateTCPMatch (VS19, VS20, VS3, VSR1). */
function checkTcpRoute(ctx: VsContext, item: unknown, field: string): void {
  const route = asMessage(ctx.out, 'VS19', item, field);
  if (!route) {
    return;
  }
  asArray(route.match).forEach((entry, j) => {
    const at = `${field}.match[${j}]`;
    const match = asMessage(ctx.out, 'VS20', entry, at);
    if (match) {
      // Istio drops the warnings of a tcp match's gateway names (validateTCPRoute keeps errors only).
      checkL4Match(ctx, match, at, false);
    }
  });
  if (asArray(route.route).length === 0) {
    ctx.out.error('VS19', `${field}.route`, route.route, 'TCP route is required', 'add a route with a destination');
  }
  checkRouteDestinations(ctx, route.route, `${field}.route`);
}

/** What tls and tcp matches share: destination subnets, port, source labels and gateways. */
function checkL4Match(ctx: VsContext, match: Record<string, any>, at: string, warn: boolean): void {
  checkDestinationSubnets(ctx.out, match.destinationSubnets, `${at}.destinationSubnets`);
  checkMatchPort(ctx.out, 'VS20', match.port, `${at}.port`);
  checkLabels(ctx.out, 'VS20', match.sourceLabels, `${at}.sourceLabels`);
  checkMatchGateways(ctx, match.gateways, `${at}.gateways`, warn);
}
