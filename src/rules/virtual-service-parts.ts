/**
 * Pieces of a VirtualService that http, tls and tcp routes share: gateway references, match
 * attributes, destinations and weights (validateGatewayNames, validateDestination,
 * validate[HTTP]RouteDestinations in Istio's pkg/config/validation/validation.go).
 */
import { durationProblem } from './durations';
import { FindingCollector, asArray, goQuote, isRecord, show } from './finding';
import { MESH_GATEWAY, checkFqdn, checkIpOrCidr, checkPortNumber, checkWildcardDomain, isDns1123Label } from './names';

export const MESH = MESH_GATEWAY;

/** What the route checks need to know about the VirtualService around them. */
export interface VsContext {
  readonly out: FindingCollector;
  /** A delegate VirtualService (no hosts): its http routes are attached by a root VirtualService. */
  readonly isDelegate: boolean;
  /** `internal.istio.io/route-semantics: gateway` (objects converted from the Gateway API): names and destinations are not checked. */
  readonly gatewaySemantics: boolean;
  /** The names of the top-level gateways as written; `[mesh]` when the list is empty. */
  readonly boundGateways: string[];
  /** The VirtualService's namespace; undefined when the manifest has none (it is applied in a namespace we do not know). */
  readonly namespace: string | undefined;
}

/** A field that is set: present and not null (the proto decoder reads null as unset). */
export function isSet(x: unknown): boolean {
  return x !== undefined && x !== null;
}

/**
 * An entry of a list (or map) of messages as the proto decoder reads it: null is an empty message;
 * anything else that is not an object does not decode, which Istio refuses.
 */
export function asMessage(out: FindingCollector, rule: string, x: unknown, field: string): Record<string, any> | undefined {
  if (x === null || x === undefined) {
    return {};
  }
  if (isRecord(x)) {
    return x;
  }
  out.error(rule, field, x, `cannot decode ${show(x)} as an object`, 'write an object here');
  return undefined;
}

/** A number field as the proto holds it: missing or null is 0. */
export function numberOr0(x: unknown): number {
  return typeof x === 'number' ? x : 0;
}

/** A string field as the proto holds it: missing or null is ''. */
export function stringOrEmpty(x: unknown): string {
  return typeof x === 'string' ? x : '';
}

/**
 * validateGatewayNames (VS2 for the top-level list, VS3 for `match[].gateways`). Istio stops
 * checking the list at its first name without a namespace (`mesh`, a short or legacy name).
 */
export function checkGatewayNames(out: FindingCollector, names: unknown, field: string, rule: string, gatewaySemantics: boolean,
  warn = true): void {
  const list = asArray(names);
  for (let i = 0; i < list.length; i++) {
    const name = list[i];
    const entry = `${field}[${i}]`;
    if (typeof name !== 'string') {
      out.error(rule, entry, name, 'gateway name must be a string', 'use `namespace/name` or `mesh`');
      continue;
    }
    const slash = name.indexOf('/');
    if (slash < 0) {
      if (name.includes('.') && warn) {
        const [gw, ns] = name.split('.');
        out.warning(rule, entry, name, `using legacy gatewayName format ${goQuote(name)}; prefer the <namespace>/<name> format: ${goQuote(`${ns}/${gw}`)}`,
          `write "${ns}/${gw}"`);
      }
      const bad = checkFqdn(name);
      if (bad) {
        out.error(rule, entry, name, bad, 'use `namespace/name` or `mesh`');
      }
      return;
    }
    const namespace = name.slice(0, slash);
    const gateway = name.slice(slash + 1);
    if (namespace === '' || gateway === '') {
      out.error(rule, entry, name, 'config namespace and gateway name cannot be empty', 'use `namespace/name`');
    }
    if (!isDns1123Label(namespace)) {
      out.error(rule, entry, name, `invalid value for namespace: ${goQuote(namespace)}`, 'use the Gateway\'s namespace name (`*` and `.` are not allowed here)');
    }
    if (!isDns1123Label(gateway) && !gatewaySemantics) {
      out.error(rule, entry, name, `invalid value for gateway name: ${goQuote(gateway)}`, 'use the Gateway\'s metadata.name');
    }
  }
}

/** A gateway reference as Istio resolves it (pilot's resolveGatewayName): `ns/name`, or `mesh`. */
export function resolveGatewayName(name: string, namespace: string): string {
  if (name === MESH) {
    return name;
  }
  const slash = name.indexOf('/');
  if (slash >= 0) {
    return name.slice(0, slash) === '.' ? `${namespace}/${name.slice(slash + 1)}` : name;
  }
  const dot = name.indexOf('.');
  if (dot < 0) {
    return `${namespace}/${name}`;
  }
  const rest = name.slice(dot + 1);
  const next = rest.indexOf('.');
  return `${next < 0 ? rest : rest.slice(0, next)}/${name.slice(0, dot)}`;
}

/**
 * `match[].gateways`: the names (VS3), and VSR1, our own rule: a rule that matches a gateway the
 * top-level list does not bind never applies, because Istio attaches the VirtualService only to
 * the gateways of that list.
 */
export function checkMatchGateways(ctx: VsContext, names: unknown, field: string, warn: boolean): void {
  checkGatewayNames(ctx.out, names, field, 'VS3', false, warn);
  asArray(names).forEach((name, j) => {
    if (typeof name === 'string' && !isBound(ctx, name)) {
      ctx.out.own('VSR1', 'error', `${field}[${j}]`, name,
        `the rule matches gateway "${name}", which spec.gateways does not bind, so the rule never applies`,
        `add "${name}" to spec.gateways, or spell it exactly as it appears there`);
    }
  });
}

/**
 * Whether the top-level list binds a match's gateway. Short names resolve in the VirtualService's
 * namespace; without one, in any namespace it may be applied in: bound if some namespace makes them
 * equal (`ingress` and `shop/ingress` are, in `shop`).
 */
function isBound(ctx: VsContext, name: string): boolean {
  const candidates = ctx.namespace !== undefined ? [ctx.namespace]
    : ['default', ...[name, ...ctx.boundGateways].map(g => explicitNamespace(g)).filter((ns): ns is string => ns !== undefined)];
  return candidates.some(ns => ctx.boundGateways.some(g => resolveGatewayName(g, ns) === resolveGatewayName(name, ns)));
}

/** The namespace a gateway name states itself (`ns/name`, `name.ns.svc.cluster.local`), if any. */
function explicitNamespace(name: string): string | undefined {
  const resolved = resolveGatewayName(name, '.');
  return resolved === MESH || resolved.startsWith('./') ? undefined : resolved.slice(0, resolved.indexOf('/'));
}

/** A match port: 0 or missing means any port; otherwise 1..65535. */
export function checkMatchPort(out: FindingCollector, rule: string, port: unknown, field: string): void {
  if (isSet(port) && port !== 0) {
    const bad = checkPortNumber(port);
    if (bad) {
      out.error(rule, field, port, bad, 'use a port number from 1 to 65535, or leave it out to match any port');
    }
  }
}


/** agent.ValidateIPSubnet on `destinationSubnets` (VS20). */
export function checkDestinationSubnets(out: FindingCollector, subnets: unknown, field: string): void {
  asArray(subnets).forEach((subnet, k) => {
    const bad = typeof subnet === 'string' ? checkIpOrCidr(subnet) : `${show(subnet)} is not a valid IP`;
    if (bad) {
      out.error('VS20', `${field}[${k}]`, subnet, bad, 'use an IP address or a CIDR block such as 10.0.0.0/16');
    }
  });
}

/** agent.ValidateDuration on a duration field (VS24). */
export function checkDuration(out: FindingCollector, value: unknown, field: string): void {
  if (!isSet(value)) {
    return;
  }
  const bad = durationProblem(value);
  if (bad) {
    out.error('VS24', field, value, bad, 'use a whole number of milliseconds of at least 1ms, e.g. 5s or 250ms');
  }
}

/** validateDestination: host (VS9, VS10), subset (VS11) and port (VS12). Nothing to check when it is missing. */
export function checkDestination(out: FindingCollector, destination: unknown, field: string): void {
  if (!isRecord(destination)) {
    return;
  }
  const host = stringOrEmpty(destination.host);
  if (host === '*') {
    out.error('VS9', `${field}.host`, host, `invalid destination host ${host}`, 'route to a named host');
  } else {
    const bad = checkWildcardDomain(host);
    if (bad) {
      out.error('VS10', `${field}.host`, destination.host, bad, 'use a host name such as api.example.com');
    }
  }
  const subset = stringOrEmpty(destination.subset);
  if (subset !== '' && !isDns1123Label(subset)) {
    out.error('VS11', `${field}.subset`, subset, `subset name is invalid: ${subset}`, 'use a subset name defined in the host\'s DestinationRule');
  }
  if (isSet(destination.port)) {
    const number = isRecord(destination.port) ? numberOr0(destination.port.number) : 0;
    const bad = checkPortNumber(number);
    if (bad) {
      out.error('VS12', `${field}.port.number`, number, bad, 'use a port number from 1 to 65535');
    }
  }
}

/**
 * validateRouteDestinations / validateHTTPRouteDestinations (VS13): each destination set and
 * valid, weights not negative, and not all zero when there are several.
 */
export function checkRouteDestinations(ctx: VsContext, routes: unknown, field: string,
  eachRoute?: (route: Record<string, any>, field: string) => void): void {
  const list = asArray(routes);
  let total = 0;
  list.forEach((item, i) => {
    const entry = `${field}[${i}]`;
    const route = asMessage(ctx.out, 'VS13', item, entry);
    if (!route) {
      return;
    }
    if (!isSet(route.destination)) {
      ctx.out.error('VS13', `${entry}.destination`, route.destination, 'destination is required', 'give the route a destination host');
    }
    eachRoute?.(route, entry);
    if (!ctx.gatewaySemantics) {
      checkDestination(ctx.out, route.destination, `${entry}.destination`);
    }
    const weight = numberOr0(route.weight);
    if (weight < 0) {
      ctx.out.error('VS13', `${entry}.weight`, weight, `weight ${weight} < 0`, 'use a weight from 0 to 100');
    }
    // Istio sums the weights in an int32: a sum of 2^32 wraps to 0.
    total = Math.trunc(total + weight) % 2 ** 32;
  });
  if (list.length > 1 && total === 0) {
    ctx.out.error('VS13', field, routes, 'total destination weight = 0', 'give the destinations weights that add up to 100');
  }
}
