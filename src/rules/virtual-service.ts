/**
 * VirtualService rules: Istio's ValidateVirtualService (VS1..VS22 in the rules notes), plus the
 * silent failure of a `match.gateways` entry that the top-level `gateways` list does not bind.
 */
import { checkExportTo } from './export-to';
import { Finding, FindingCollector, Manifest, asArray, isRecord } from './finding';
import { checkDuration, checkFqdn, checkPortNumber, checkWildcardDomain, hostSubsetOf, hostsMatch, isDns1123Label, isIpAddress } from './names';

export const MESH_GATEWAY = 'mesh';

export function checkVirtualService(vs: Manifest): Finding[] {
  const out = new FindingCollector();
  const spec = isRecord(vs.spec) ? vs.spec : {};
  const hosts = asArray(spec.hosts);
  const gateways = asArray(spec.gateways);
  const boundToMesh = gateways.length === 0 || gateways.includes(MESH_GATEWAY);

  if (hosts.length === 0) {
    // A delegate VirtualService: only http routes, attached by another VirtualService.
    for (const key of ['gateways', 'tls', 'tcp']) {
      if (asArray(spec[key]).length > 0) {
        out.error('VS1', `spec.${key}`, spec[key], `delegate virtual service must have no ${key === 'gateways' ? 'gateways' : `${key} route`} specified`,
          'name the hosts this VirtualService routes');
      }
    }
  }
  checkGatewayNames(out, gateways, 'spec.gateways');

  hosts.forEach((host, i) => {
    const field = `spec.hosts[${i}]`;
    if (host === '*') {
      if (boundToMesh) {
        out.error('VS5', field, host, 'wildcard host * is not allowed for virtual services bound to the mesh gateway',
          'name the hosts to route, or bind the VirtualService only to gateways');
      }
      return;
    }
    const bad = typeof host === 'string' && !isIpAddress(host) ? checkWildcardDomain(host) : (typeof host === 'string' ? undefined : 'host must be a string');
    if (bad) {
      out.error('VS4', field, host, bad, 'use a host name such as api.example.com');
    }
    for (let j = 0; j < i; j++) {
      if (typeof host === 'string' && typeof hosts[j] === 'string' && hostsMatch(host, hosts[j])) {
        out.error('VS6', field, host, `duplicate hosts in virtual service: ${hosts[j]} & ${host}`, 'list each host once; a wildcard already covers its subdomains');
      }
    }
  });

  const http = asArray(spec.http);
  const tls = asArray(spec.tls);
  const tcp = asArray(spec.tcp);
  if (http.length + tls.length + tcp.length === 0) {
    out.error('VS7', 'spec', undefined, 'http, tcp or tls must be provided in virtual service', 'add at least one route');
  }
  http.forEach((route, i) => checkHttpRoute(out, isRecord(route) ? route : {}, `spec.http[${i}]`, gateways));
  tls.forEach((route, i) => checkTlsRoute(out, isRecord(route) ? route : {}, `spec.tls[${i}]`, gateways, hosts));
  tcp.forEach((route, i) => checkTcpRoute(out, isRecord(route) ? route : {}, `spec.tcp[${i}]`, gateways));
  checkExportTo(out, spec.exportTo, vs.metadata?.namespace, false);
  return out.findings;
}

/** Gateway references: `mesh`, `namespace/name`, a short name, or the legacy `name.namespace` (VS2, VS3). */
function checkGatewayNames(out: FindingCollector, names: any[], field: string): void {
  names.forEach((name, i) => {
    const entry = `${field}[${i}]`;
    if (typeof name !== 'string') {
      out.error('VS2', entry, name, 'gateway name must be a string', 'use `namespace/name` or `mesh`');
      return;
    }
    const slash = name.indexOf('/');
    if (slash < 0) {
      if (name.includes('.')) {
        const [gw, ns] = name.split('.');
        out.warning('VS2', entry, name, `using legacy gatewayName format "${name}"; prefer the <namespace>/<name> format: "${ns}/${gw}"`,
          `write "${ns}/${gw}"`);
      }
      const bad = checkFqdn(name);
      if (bad) {
        out.error('VS2', entry, name, bad, 'use `namespace/name` or `mesh`');
      }
      return;
    }
    const namespace = name.slice(0, slash);
    const gateway = name.slice(slash + 1);
    if (namespace === '' || gateway === '') {
      out.error('VS2', entry, name, 'config namespace and gateway name cannot be empty', 'use `namespace/name`');
      return;
    }
    if (!isDns1123Label(namespace)) {
      out.error('VS2', entry, name, `invalid value for namespace: "${namespace}"`, 'use the Gateway\'s namespace name (`*` and `.` are not allowed here)');
    }
    if (!isDns1123Label(gateway)) {
      out.error('VS2', entry, name, `invalid value for gateway name: "${gateway}"`, 'use the Gateway\'s metadata.name');
    }
  });
}

/** `match.gateways` must be in the top-level list, otherwise the rule is silently dead (the VS is not bound there). */
function checkMatchGateways(out: FindingCollector, matches: any[], field: string, gateways: any[]): void {
  const bound = gateways.length === 0 ? [MESH_GATEWAY] : gateways;
  matches.forEach((match, i) => {
    const names = asArray(isRecord(match) ? match.gateways : undefined);
    checkGatewayNames(out, names, `${field}.match[${i}].gateways`);
    names.forEach((name, j) => {
      if (typeof name === 'string' && !bound.includes(name)) {
        out.error('VSR1', `${field}.match[${i}].gateways[${j}]`, name,
          `the rule matches gateway "${name}", which spec.gateways does not bind, so the rule never applies`,
          `add "${name}" to spec.gateways, or spell it exactly as it appears there`);
      }
    });
    if (isRecord(match) && match.port !== undefined) {
      const bad = checkPortNumber(match.port);
      if (bad) {
        out.error('VS14', `${field}.match[${i}].port`, match.port, bad, 'use a port number from 1 to 65535');
      }
    }
  });
}

function checkDestination(out: FindingCollector, destination: unknown, field: string): void {
  if (!isRecord(destination)) {
    out.error('VS13', field, destination, 'destination is required', 'give the route a destination host');
    return;
  }
  const host = destination.host;
  if (host === '*') {
    out.error('VS9', `${field}.host`, host, `invalid destination host ${host}`, 'route to a named host');
  } else {
    const bad = typeof host === 'string' ? checkWildcardDomain(host) : 'destination host is required';
    if (bad) {
      out.error('VS10', `${field}.host`, host, bad, 'use a host name such as api.example.com');
    }
  }
  if (destination.subset !== undefined && (typeof destination.subset !== 'string' || !isDns1123Label(destination.subset))) {
    out.error('VS11', `${field}.subset`, destination.subset, destination.subset === '' ? 'subset name cannot be empty' : `subset name is invalid: ${String(destination.subset)}`,
      'use a subset name defined in the host\'s DestinationRule');
  }
  if (destination.port !== undefined) {
    const bad = checkPortNumber(isRecord(destination.port) ? destination.port.number : undefined);
    if (bad) {
      out.error('VS12', `${field}.port.number`, destination.port?.number, bad, 'use a port number from 1 to 65535');
    }
  }
}

function checkWeightedRoutes(out: FindingCollector, routes: any[], field: string): void {
  let total = 0;
  routes.forEach((route, i) => {
    checkDestination(out, isRecord(route) ? route.destination : undefined, `${field}[${i}].destination`);
    const weight = isRecord(route) ? route.weight ?? 0 : 0;
    if (weight < 0) {
      out.error('VS13', `${field}[${i}].weight`, weight, `weight ${weight} < 0`, 'use a weight from 0 to 100');
    }
    total += weight;
  });
  if (routes.length > 1 && total === 0) {
    out.error('VS13', field, routes, 'total destination weight = 0', 'give the destinations weights that add up to 100');
  }
}

function checkHttpRoute(out: FindingCollector, route: Record<string, any>, field: string, gateways: any[]): void {
  const routes = asArray(route.route);
  if (routes.length === 0 && route.redirect === undefined && route.directResponse === undefined) {
    out.error('VS8', field, undefined, 'HTTP route, redirect or direct_response is required', 'add a route with a destination');
  }
  if (routes.length > 0 && route.redirect !== undefined) {
    out.error('VS8', `${field}.redirect`, route.redirect, 'HTTP route cannot contain both route and redirect', 'remove one of them');
  }
  checkMatchGateways(out, asArray(route.match), field, gateways);
  checkWeightedRoutes(out, routes, `${field}.route`);
  for (const [path, value] of [['timeout', route.timeout], ['retries.perTryTimeout', route.retries?.perTryTimeout]]) {
    const bad = value === undefined ? undefined : checkDuration(value);
    if (bad) {
      out.error('VS24', `${field}.${path}`, value, bad, 'use a duration of at least 1ms, e.g. 5s');
    }
  }
}

function checkTlsRoute(out: FindingCollector, route: Record<string, any>, field: string, gateways: any[], hosts: any[]): void {
  const matches = asArray(route.match);
  if (matches.length === 0) {
    out.error('VS15', `${field}.match`, route.match, 'TLS route must have at least one match condition', 'match on the SNI host and port');
  }
  matches.forEach((match, i) => {
    const sniHosts = asArray(isRecord(match) ? match.sniHosts : undefined);
    if (sniHosts.length === 0) {
      out.error('VS16', `${field}.match[${i}].sniHosts`, undefined, 'TLS match must have at least one SNI host', 'match the external host name in sniHosts');
    }
    sniHosts.forEach((sni, j) => {
      const sniField = `${field}.match[${i}].sniHosts[${j}]`;
      if (typeof sni === 'string' && isIpAddress(sni)) {
        out.warning('VS18', sniField, sni, `using an IP address ("${sni}") goes against SNI spec and most clients do not support this`, 'match a host name');
        return;
      }
      if (typeof sni !== 'string' || !hosts.some(h => typeof h === 'string' && hostSubsetOf(sni, h))) {
        out.error('VS17', sniField, sni, `SNI host "${String(sni)}" is not a compatible subset of any of the virtual service hosts: [${hosts.join(', ')}]`,
          'match only SNI names that the VirtualService hosts cover');
      }
    });
  });
  checkMatchGateways(out, matches, field, gateways);
  const routes = asArray(route.route);
  if (routes.length === 0) {
    out.error('VS19', `${field}.route`, route.route, 'TLS route is required', 'add a route with a destination');
  }
  checkWeightedRoutes(out, routes, `${field}.route`);
}

function checkTcpRoute(out: FindingCollector, route: Record<string, any>, field: string, gateways: any[]): void {
  checkMatchGateways(out, asArray(route.match), field, gateways);
  const routes = asArray(route.route);
  if (routes.length === 0) {
    out.error('VS19', `${field}.route`, route.route, 'TCP route is required', 'add a route with a destination');
  }
  checkWeightedRoutes(out, routes, `${field}.route`);
}
