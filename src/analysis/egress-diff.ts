/**
 * The egress change between two sets of objects, as a reviewer reads it: for each client (a namespace,
 * or `*` for every namespace but those locked down without the host) and each external host and port,
 * whether the client reaches it, by which path (direct, an egress gateway, an ambient waypoint), with
 * which TLS, and what the gateway's (or waypoint's) authorization lets through; and which namespaces
 * gained or lost a REGISTRY_ONLY lockdown. Built on the egress paths (paths.ts) of each side; every
 * change says whether it widens egress (new reachability, a path that no longer goes through a gateway
 * or waypoint, weaker TLS, looser authorization, a lockdown removed).
 */
import { isNamespaceLockdown } from './lockdown';
import { ObjectIndex, label, namespaceOf } from './model';
import { Allowed, HostPath, PortPath, egressPaths, matchesEveryNamespace, sourceNamespaceMatches, valueMatches } from './paths';
import { isHttpProtocol, isTlsProtocol } from '../rules/protocol';

/** How a client's traffic to a host and port goes, and whether it gets there. */
export interface Access {
  /** The namespace, or `*`: every namespace except `except`. */
  readonly client: string;
  /** For `*`: the namespaces locked down (REGISTRY_ONLY) without importing the host. */
  readonly except: string[];
  readonly host: string;
  readonly port: number;
  readonly protocol: string;
  /** `direct` (the sidecar sends it out), `gateway` (through an egress gateway), `waypoint` (ambient). */
  readonly path: 'direct' | 'gateway' | 'waypoint';
  /** The egress gateway Service (`name.namespace`) or the waypoint (`namespace/name`); null for direct. */
  readonly via: string | null;
  /** The Gateway whose server takes the host there (`namespace/name`); null without one. */
  readonly gateway: string | null;
  readonly tls: TlsSummary;
  readonly authorization: Authorization;
  /** Does the traffic get there: the path is complete and the authorization does not deny this client. */
  readonly reachable: boolean;
  /** Why not, when it does not. */
  readonly blockedBy: string | null;
}

/** The TLS of a path, hop by hop. */
export interface TlsSummary {
  /** To the gateway or waypoint: `mutual` (Istio mutual TLS, HBONE), `tls` (the application's or originated), `plain`, `opaque`; null for direct. */
  readonly toProxy: 'mutual' | 'tls' | 'plain' | 'opaque' | null;
  /** At the gateway: `passthrough` (routed by SNI, not terminated), `terminate` (the server terminates TLS), null otherwise. */
  readonly atProxy: 'passthrough' | 'terminate' | null;
  /** TLS origination (SIMPLE or MUTUAL) and where: the sidecar, the gateway or the waypoint. */
  readonly origination: string | null;
  readonly originatedBy: 'sidecar' | 'gateway' | 'waypoint' | null;
  /** What leaves the mesh towards the host: `tls`, `plain` or `opaque` (TCP whose content is not known). */
  readonly leaves: 'tls' | 'plain' | 'opaque';
  /** In words: `mutual TLS to the gateway, passed through`, `TLS origination SIMPLE at the sidecar`, ... */
  readonly text: string;
}

/** What the gateway's or waypoint's AuthorizationPolicies let through for one client. */
export interface Authorization {
  /**
   * `unchecked`: no gateway or waypoint, nothing checks; `anyone`: no ALLOW policy applies; `allowed`: a rule allows
   * the namespace; `service-accounts`: rules allow only some of its service accounts (`principals`); `listed`: rules allow
   * the sources listed (for `*`, which depends on the namespace); `denied`: nothing allows it, or a DENY rule matches.
   */
  readonly verdict: 'unchecked' | 'anyone' | 'allowed' | 'service-accounts' | 'listed' | 'denied';
  /** The principals (service accounts) or sources that are allowed, sorted. */
  readonly sources: string[];
  /** The AuthorizationPolicies that decide, as `namespace/name`, sorted. */
  readonly policies: string[];
  readonly text: string;
}

/** One property that changed between the two sides. */
export interface PropertyChange {
  readonly property: 'reachable' | 'path' | 'via' | 'gateway' | 'tls' | 'authorization' | 'except' | 'protocol';
  readonly before: string;
  readonly after: string;
  /** Does it let more out: new reachability, leaving a gateway or waypoint, weaker TLS or looser authorization. */
  readonly widens: boolean;
  /** Does it let less out. */
  readonly narrows: boolean;
}

export interface AccessChange {
  /** `gained`: the client now reaches the host and port; `lost`: no longer; `changed`: still, but otherwise. */
  readonly change: 'gained' | 'lost' | 'changed';
  readonly client: string;
  readonly host: string;
  readonly port: number;
  readonly widens: boolean;
  readonly before: Access | null;
  readonly after: Access | null;
  /** For `changed` (and for a client that was there but blocked): what changed. */
  readonly changes: PropertyChange[];
}

/** A namespace's REGISTRY_ONLY lockdown added or removed. */
export interface LockdownChange {
  readonly namespace: string;
  /** The Sidecar (`namespace/name`) that locks it down on each side; null: not locked down. */
  readonly before: string | null;
  readonly after: string | null;
  /** Removing a lockdown widens: its workloads may reach any host again (outboundTrafficPolicy ALLOW_ANY, Istio's default). */
  readonly widens: boolean;
}

export interface EgressDiff {
  /** Does any change widen egress? */
  readonly widened: boolean;
  readonly accesses: AccessChange[];
  readonly lockdowns: LockdownChange[];
  readonly summary: DiffSummary;
}

/** How many accesses were gained, lost and changed; how many changes widen; how many lockdowns changed. */
export interface DiffSummary {
  readonly gained: number;
  readonly lost: number;
  readonly changed: number;
  readonly widening: number;
  readonly lockdowns: number;
}

/** Every client's access to every external host and port of the objects, sorted by host, port and client. */
export function accessesOf(index: ObjectIndex): Access[] {
  return [...sideOf(index).accesses.values()].sort(byPlace);
}

interface Side {
  readonly accesses: Map<string, Access>;
  /** A namespace's access where the host is open to every namespace (`*`) and the namespace is not locked down without it. */
  forClient(client: string, host: string, port: number): Access | undefined;
}

function sideOf(index: ObjectIndex): Side {
  const accesses = new Map<string, Access>();
  const open = new Map<string, { host: HostPath; port: PortPath }>();
  for (const host of egressPaths(index).hosts) {
    for (const port of host.ports) {
      for (const client of host.clients.namespaces) {
        const key = accessKey(client, host.host, port.port.number);
        if (!accesses.has(key)) {
          accesses.set(key, accessOf(host, port, client));
          if (client === '*') {
            open.set(key, { host, port });
          }
        }
      }
    }
  }
  return {
    accesses,
    forClient: (client, host, port) => {
      const wide = open.get(accessKey('*', host, port));
      return wide && !wide.host.clients.blockedIn.some(b => b.namespace === client) ? accessOf(wide.host, wide.port, client) : undefined;
    },
  };
}

export function diffEgress(before: ObjectIndex, after: ObjectIndex): EgressDiff {
  const was = sideOf(before);
  const is = sideOf(after);
  const accesses: AccessChange[] = [];
  for (const key of [...new Set([...was.accesses.keys(), ...is.accesses.keys()])]) {
    const [client, host, port] = JSON.parse(key) as [string, string, number];
    // A namespace named on one side only is compared with its share of `*` on the other, if `*` covers it.
    const b = was.accesses.get(key) ?? (client === '*' ? undefined : was.forClient(client, host, port));
    const a = is.accesses.get(key) ?? (client === '*' ? undefined : is.forClient(client, host, port));
    const change = compare(b ?? null, a ?? null);
    if (change) {
      accesses.push(change);
    }
  }
  accesses.sort(byPlace);
  const lockdowns = lockdownChanges(before, after);
  const count = (c: AccessChange['change']) => accesses.filter(x => x.change === c).length;
  const widening = accesses.filter(x => x.widens).length + lockdowns.filter(l => l.widens).length;
  return {
    widened: widening > 0,
    accesses,
    lockdowns,
    summary: { gained: count('gained'), lost: count('lost'), changed: count('changed'), widening, lockdowns: lockdowns.length },
  };
}

function accessKey(client: string, host: string, port: number): string {
  return JSON.stringify([client, host, port]);
}

function byPlace(a: { host: string; port: number; client: string }, b: { host: string; port: number; client: string }): number {
  return compareStrings(a.host, b.host) || a.port - b.port || compareStrings(a.client, b.client);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// One side

function accessOf(host: HostPath, port: PortPath, client: string): Access {
  const sidecar = port.sidecar;
  const path = sidecar.via;
  const via = port.waypoint ? label(port.waypoint.gateway.object) : port.target ? shortService(port.target.service) : null;
  const authorization = path === 'direct' || !port.allowed ? unchecked() : authorizationFor(port.allowed, client);
  const broken = path === 'gateway' && !port.server ? 'no Gateway server for the host and port at the gateway'
    : path === 'gateway' && !port.gatewayHop ? 'no route for the host at the gateway' : null;
  const blockedBy = broken ?? (authorization.verdict === 'denied' ? `denied by ${authorization.policies.join(', ') || 'the gateway\'s policies'}` : null);
  return {
    client,
    except: client === '*' ? host.clients.blockedIn.map(b => b.namespace).sort(compareStrings) : [],
    host: host.host,
    port: port.port.number,
    protocol: port.port.protocol,
    path,
    via,
    gateway: port.server ? label(port.server.gateway.object) : null,
    tls: tlsOf(port),
    authorization,
    reachable: blockedBy === null,
    blockedBy,
  };
}

/** `istio-egressgateway.istio-system` for `istio-egressgateway.istio-system.svc.cluster.local`. */
function shortService(service: string): string {
  return service.replace(/\.svc(\.[^.]+)*$/, '');
}

/** What the application sends on a port of this protocol. */
function applicationTraffic(protocol: string): 'tls' | 'plain' | 'opaque' {
  return isTlsProtocol(protocol) ? 'tls' : isHttpProtocol(protocol) ? 'plain' : 'opaque';
}

const TRAFFIC_TEXT = { 'tls': 'TLS', 'plain': 'plain text', 'opaque': 'opaque TCP', 'mutual': 'mutual TLS', 'istio-mutual': 'mutual TLS' };

function tlsOf(port: PortPath): TlsSummary {
  const app = applicationTraffic(port.port.protocol);
  if (port.waypoint) {
    const origination = port.waypoint.tlsOrigination?.mode ?? null;
    const leaves = origination ? 'tls' : app;
    const end = origination ? `TLS origination ${origination} at the waypoint` : `leaves as ${TRAFFIC_TEXT[leaves]}`;
    return { toProxy: 'mutual', atProxy: null, origination, originatedBy: origination ? 'waypoint' : null, leaves, text: `HBONE (mutual TLS) to the waypoint, ${end}` };
  }
  const sidecar = port.sidecar;
  if (sidecar.via === 'direct') {
    // ISTIO_MUTUAL too: the sidecar originates it (cluster_tls.go), even where the host cannot take it.
    const origination = sidecar.tls && ['SIMPLE', 'MUTUAL', 'ISTIO_MUTUAL'].includes(sidecar.tls.mode) ? sidecar.tls.mode : null;
    const leaves = origination ? 'tls' : sidecar.traffic === 'istio-mutual' ? 'tls' : sidecar.traffic;
    const text = origination ? `TLS origination ${origination} at the sidecar` : leaves === 'tls' ? 'the application\'s TLS' : TRAFFIC_TEXT[leaves];
    return { toProxy: null, atProxy: null, origination, originatedBy: origination ? 'sidecar' : null, leaves, text };
  }
  const toProxy = sidecar.traffic === 'istio-mutual' ? 'mutual' : sidecar.traffic;
  const serverTls = port.server?.tls;
  const atProxy = serverTls === 'PASSTHROUGH' || serverTls === 'AUTO_PASSTHROUGH' ? 'passthrough'
    : serverTls && serverTls !== 'none' ? 'terminate' : null;
  const origination = port.gatewayHop?.tlsOrigination?.mode ?? null;
  const leaves = origination ? 'tls' : app;
  const end = origination ? `TLS origination ${origination} at the gateway` : atProxy === 'passthrough' ? 'passed through' : `leaves as ${TRAFFIC_TEXT[leaves]}`;
  return { toProxy, atProxy, origination, originatedBy: origination ? 'gateway' : null, leaves, text: `${TRAFFIC_TEXT[toProxy]} to the gateway, ${end}` };
}

function unchecked(): Authorization {
  return { verdict: 'unchecked', sources: [], policies: [], text: 'no gateway or waypoint policy applies' };
}

/** `cluster.local/ns/shop/sa/checkout` -> [`shop`, `checkout`] */
function principalParts(principal: string): { namespace: string; account: string } | undefined {
  const m = /\/ns\/([^/]+)\/sa\/([^/]+)$/.exec(principal);
  return m ? { namespace: m[1], account: m[2] } : undefined;
}

function authorizationFor(allowed: Allowed, client: string): Authorization {
  const policies = [...new Set([...allowed.allow, ...allowed.deny].map(s => label(s.policy.object)))].sort(compareStrings);
  const deciding = policies.length > 0 ? policies : allowed.allowPolicies.map(p => label(p.object)).sort(compareStrings);
  // For `*` (every namespace) a DENY source denies when it names every namespace.
  const denies = allowed.deny.some(s => s.any
    || s.namespaces.some(v => (client === '*' ? matchesEveryNamespace(v) : sourceNamespaceMatches(v, client))));
  if (denies) {
    return { verdict: 'denied', sources: [], policies: deciding, text: `denied (${deciding.join(', ')})` };
  }
  if (allowed.verdict === 'anyone') {
    return { verdict: 'anyone', sources: [], policies: deciding, text: 'anyone (no ALLOW policy)' };
  }
  if (allowed.verdict === 'nobody') {
    return { verdict: 'denied', sources: [], policies: deciding, text: `nobody: no ALLOW rule for the host (${deciding.join(', ')})` };
  }
  if (allowed.allow.some(s => s.any || s.principals.includes('*'))) {
    return { verdict: 'allowed', sources: ['*'], policies: deciding, text: `any source (${deciding.join(', ')})` };
  }
  if (client === '*') {
    const sources = [...new Set(allowed.allow.flatMap(s => [...s.namespaces.map(n => `namespace ${n}`), ...s.principals]))].sort(compareStrings);
    return { verdict: 'listed', sources, policies: deciding, text: `only ${sources.join(', ')} (${deciding.join(', ')})` };
  }
  if (allowed.allow.some(s => s.namespaces.some(v => sourceNamespaceMatches(v, client)))) {
    return { verdict: 'allowed', sources: [`namespace ${client}`], policies: deciding, text: `namespace ${client} (${deciding.join(', ')})` };
  }
  const principals = [...new Set(allowed.allow.flatMap(s => s.principals).filter(p => {
    const parts = principalParts(p);
    return parts !== undefined && valueMatches(parts.namespace, client);
  }))].sort(compareStrings);
  if (principals.length > 0) {
    return { verdict: 'service-accounts', sources: principals, policies: deciding, text: `service accounts ${principals.join(', ')} (${deciding.join(', ')})` };
  }
  return { verdict: 'denied', sources: [], policies: deciding, text: `not ${client}: no ALLOW rule names it (${deciding.join(', ')})` };
}

// ---------------------------------------------------------------------------------------------
// Comparing

const PATH_RANK = { direct: 0, gateway: 1, waypoint: 1 };
const LEAVES_RANK = { plain: 0, opaque: 1, tls: 2 };
/** How much an authorization lets through; higher lets more. */
const AUTH_RANK = { 'denied': 0, 'service-accounts': 1, 'listed': 1, 'allowed': 2, 'anyone': 3, 'unchecked': 3 };

function compare(before: Access | null, after: Access | null): AccessChange | undefined {
  const place = (after ?? before)!;
  const make = (change: AccessChange['change'], widens: boolean, changes: PropertyChange[]): AccessChange => ({
    change, client: place.client, host: place.host, port: place.port, widens, before, after, changes,
  });
  if (!before || !after) {
    // Known on one side only: gained or lost if reachable there; blocked there, nothing got out either way.
    return !place.reachable ? undefined : after ? make('gained', true, []) : make('lost', false, []);
  }
  const changes = propertyChanges(before, after);
  if (changes.length === 0) {
    return undefined;
  }
  if (before.reachable !== after.reachable) {
    return make(after.reachable ? 'gained' : 'lost', after.reachable, changes);
  }
  // Blocked before and after: nothing gets out either way, whatever else changed.
  return after.reachable ? make('changed', changes.some(c => c.widens), changes) : undefined;
}

function propertyChanges(before: Access, after: Access): PropertyChange[] {
  const out: PropertyChange[] = [];
  const add = (property: PropertyChange['property'], b: string, a: string, widens: boolean, narrows: boolean) => {
    if (b !== a) {
      out.push({ property, before: b, after: a, widens, narrows });
    }
  };
  add('reachable', before.reachable ? 'yes' : `no (${before.blockedBy})`, after.reachable ? 'yes' : `no (${after.blockedBy})`,
    !before.reachable && after.reachable, before.reachable && !after.reachable);
  add('protocol', before.protocol, after.protocol, false, false);
  add('path', before.path, after.path, PATH_RANK[after.path] < PATH_RANK[before.path], PATH_RANK[after.path] > PATH_RANK[before.path]);
  add('via', before.via ?? '-', after.via ?? '-', false, false);
  add('gateway', before.gateway ?? '-', after.gateway ?? '-', false, false);
  const tlsWidens = LEAVES_RANK[after.tls.leaves] < LEAVES_RANK[before.tls.leaves]
    || (before.tls.toProxy === 'mutual' && after.tls.toProxy !== null && after.tls.toProxy !== 'mutual')
    || (before.tls.origination === 'MUTUAL' && after.tls.origination === 'SIMPLE');
  const tlsNarrows = LEAVES_RANK[after.tls.leaves] > LEAVES_RANK[before.tls.leaves]
    || (after.tls.toProxy === 'mutual' && before.tls.toProxy !== null && before.tls.toProxy !== 'mutual')
    || (before.tls.origination === 'SIMPLE' && after.tls.origination === 'MUTUAL');
  add('tls', before.tls.text, after.tls.text, tlsWidens, tlsNarrows && !tlsWidens);
  const authBefore = AUTH_RANK[before.authorization.verdict];
  const authAfter = AUTH_RANK[after.authorization.verdict];
  const moreSources = authAfter === authBefore && after.authorization.sources.some(s => !before.authorization.sources.includes(s));
  const fewerSources = authAfter === authBefore && before.authorization.sources.some(s => !after.authorization.sources.includes(s));
  add('authorization', before.authorization.text, after.authorization.text, authAfter > authBefore || moreSources,
    authAfter < authBefore || (fewerSources && !moreSources));
  const unblocked = before.except.filter(ns => !after.except.includes(ns));
  const blocked = after.except.filter(ns => !before.except.includes(ns));
  add('except', before.except.join(', ') || '-', after.except.join(', ') || '-', unblocked.length > 0, blocked.length > 0);
  return out;
}

function lockdownsOf(index: ObjectIndex): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of index.sidecars.filter(x => isNamespaceLockdown(x.object))) {
    const namespace = namespaceOf(s.object);
    if (!out.has(namespace)) {
      out.set(namespace, label(s.object));
    }
  }
  return out;
}

function lockdownChanges(before: ObjectIndex, after: ObjectIndex): LockdownChange[] {
  const was = lockdownsOf(before);
  const is = lockdownsOf(after);
  return [...new Set([...was.keys(), ...is.keys()])].sort(compareStrings)
    .filter(ns => was.has(ns) !== is.has(ns))
    .map(ns => ({ namespace: ns, before: was.get(ns) ?? null, after: is.get(ns) ?? null, widens: !is.has(ns) }));
}
