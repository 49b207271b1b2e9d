/**
 * The look-ups that the egress paths (paths.ts) are made of, each as Istio makes it: which
 * VirtualService route a proxy uses for a host and port, which DestinationRule a proxy applies,
 * which pods a gateway Service leads to and which Gateway servers those pods have.
 */
import { parentEntryOf, viewSource } from './gateway-api-views';
import {
  IndexedObject, MESH, ObjectIndex, append, isVisibleIn, label, namespaceOf, qualifyHost, resolveGatewayRef, serviceNamespace,
} from './model';
import { Manifest, asArray, filterList, isRecord, mapList } from '../rules/finding';
import { hostSubsetOf } from '../rules/names';
import { isHttpProtocol, isTlsProtocol } from '../rules/protocol';

export type Block = 'http' | 'tls' | 'tcp';

/** Istio's root namespace as installed by default: its DestinationRules and AuthorizationPolicies apply mesh-wide. */
export const ROOT_NAMESPACE = 'istio-system';

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function specOf(o: IndexedObject | Manifest): Record<string, any> {
  const manifest: unknown = 'object' in o && 'index' in o ? o.object : o;
  // isRecord written out: every look-up of every path asks.
  if (typeof manifest !== 'object' || manifest === null) {
    return {};
  }
  const spec = (manifest as Manifest).spec;
  return typeof spec === 'object' && spec !== null && !Array.isArray(spec) ? spec : {};
}

/** Strings of a list field; anything else in it is ignored. */
export function strings(x: unknown): readonly string[] {
  // A loop, not filter, and the list itself when it holds only strings (as it nearly always does): this runs for
  // every host list and match, mostly before V8 has optimized it. Read-only, as it may be the object's own list.
  const list = asArray(x);
  for (let i = 0; i < list.length; i++) {
    if (typeof list[i] !== 'string') {
      return list.filter((s): s is string => typeof s === 'string');
    }
  }
  return list;
}

/** A port number field: a number, or undefined. */
export function portNumber(x: unknown): number | undefined {
  return typeof x === 'number' ? x : undefined;
}

/** Does an object's host (possibly a wildcard) cover `host`? */
export function covers(objectHost: string, host: string): boolean {
  return hostSubsetOf(host, objectHost);
}

/** A label map of string values (selectors, pod labels); anything else is dropped. */
export function labelMap(x: unknown): Record<string, string> {
  return isRecord(x) ? Object.fromEntries(Object.entries(x).filter(([, v]) => typeof v === 'string' || typeof v === 'number')
    .map(([k, v]) => [k, String(v)])) : {};
}

/** Sorts objects by a preference (lower first), then by `namespace/name`, so that choices are deterministic. */
export function byPreference(objects: readonly IndexedObject[], rank: (o: IndexedObject) => number): IndexedObject[] {
  return [...objects].sort((a, b) => rank(a) - rank(b) || compareStrings(label(a.object), label(b.object)) || a.index - b.index);
}

/** The gateways a VirtualService is bound to (`mesh`, or `namespace/name`); `mesh` when it names none. */
export function boundGateways(vs: Manifest): string[] {
  const gateways = strings(specOf(vs).gateways);
  return gateways.length === 0 ? [MESH] : mapList(gateways, g => (g === MESH ? g : resolveGatewayRef(g, namespaceOf(vs))));
}

// ---------------------------------------------------------------------------------------------
// Routes

/** The first route that applies to a host and port, and its first destination. */
export interface RouteHit {
  /** The VirtualService; for a Gateway API route, its VirtualService view (gateway-api-views.ts) with the route's index. */
  readonly vs: IndexedObject;
  /** The kind of the object written: VirtualService, HTTPRoute or TLSRoute. */
  readonly kind: string;
  readonly block: Block;
  readonly index: number;
  /** `spec.tls[0]` (a Gateway API route: `spec.rules[0]`) */
  readonly field: string;
  /** `spec.tls[0].route[0].destination` (a Gateway API route: `spec.rules[0].backendRefs[0]`) */
  readonly destinationField: string;
  /** The destination host as written. */
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
  readonly blocks: readonly Block[];
  /** The namespace to prefer VirtualServices from (the clients'). */
  readonly preferNamespace?: string;
  /** Only VirtualServices of these namespaces apply (a Gateway server's `namespace/host`); undefined: any. */
  readonly namespaces?: (namespace: string) => boolean;
  /**
   * The ServiceEntry (its index) whose host the path is for: Gateway API routes parented to another
   * ServiceEntry do not apply. Undefined: the host is no ServiceEntry's, so no such route applies.
   */
  readonly entry?: number;
}

// The block lists are shared (every port asks): nobody changes them.
const HTTP_BLOCKS: readonly Block[] = ['http'];
const TLS_BLOCKS: readonly Block[] = ['tls'];
const TLS_TCP_BLOCKS: readonly Block[] = ['tls', 'tcp'];
const TCP_BLOCKS: readonly Block[] = ['tcp'];
const DETECTED_BLOCKS: readonly Block[] = ['http', 'tcp'];

/**
 * Route blocks a sidecar uses for a ServiceEntry port: HTTP is routed by `http`, TLS by SNI (`tls`), the rest by `tcp`;
 * a port without a protocol by `http` for what Istio detects as HTTP, else by `tcp`.
 */
export function sidecarBlocks(protocol: string): readonly Block[] {
  if (protocol === '') {
    return DETECTED_BLOCKS;
  }
  if (isHttpProtocol(protocol)) {
    return HTTP_BLOCKS;
  }
  return isTlsProtocol(protocol) ? TLS_TCP_BLOCKS : TCP_BLOCKS;
}

export function isPassthrough(tlsMode: string): boolean {
  return tlsMode === 'PASSTHROUGH' || tlsMode === 'AUTO_PASSTHROUGH';
}

/** Route blocks a gateway server uses: terminated HTTP(S) is `http`, passed-through TLS `tls`, terminated TLS and TCP `tcp`. */
export function gatewayBlocks(protocol: string, tlsMode: string): readonly Block[] {
  if (isHttpProtocol(protocol) || (protocol.toUpperCase() === 'HTTPS' && !isPassthrough(tlsMode))) {
    return HTTP_BLOCKS;
  }
  if (isTlsProtocol(protocol)) {
    return isPassthrough(tlsMode) ? TLS_BLOCKS : TCP_BLOCKS;
  }
  return TCP_BLOCKS;
}

/** What the route look-ups read of a VirtualService, read once per index instead of once per look-up. */
interface RouteSource {
  readonly namespace: string;
  /** `boundGateways` */
  readonly bound: string[];
  /** `spec.hosts` as written, and as Istio reads them in the VirtualService's namespace. */
  readonly hosts: readonly string[];
  readonly qualified: string[];
}

/**
 * VirtualServices by host, so that finding the route of a host does not scan them all: exact hosts
 * (qualified as Istio reads them) and the wildcard ones.
 */
export class RouteIndex {
  private readonly exact = new Map<string, IndexedObject[]>();
  private readonly wildcard: IndexedObject[] = [];
  private readonly sources = new Map<IndexedObject, RouteSource>();

  public constructor(virtualServices: readonly IndexedObject[]) {
    for (const vs of virtualServices) {
      const namespace = namespaceOf(vs.object);
      const written = strings(specOf(vs).hosts);
      const qualified = mapList(written, h => qualifyHost(h, namespace));
      this.sources.set(vs, { namespace, bound: boundGateways(vs.object), hosts: written, qualified });
      for (const host of new Set(qualified)) {
        if (host.startsWith('*')) {
          this.wildcard.push(vs);
        } else {
          const list = this.exact.get(host);
          if (list) {
            list.push(vs);
          } else {
            this.exact.set(host, [vs]);
          }
        }
      }
    }
  }

  /** The gateways a VirtualService of the index is bound to (`boundGateways`). */
  public gatewaysOf(vs: IndexedObject): string[] {
    return this.sources.get(vs)?.bound ?? boundGateways(vs.object);
  }

  /** The route that applies first: VirtualServices from the preferred namespace and with the exact host first. */
  public find(query: RouteQuery): RouteHit | undefined {
    const exact = this.exact.get(query.host) ?? [];
    // A VirtualService is listed once per host: only a wildcard one can be listed twice.
    const listed = this.wildcard.length === 0 ? exact : [...new Set([...exact, ...this.wildcard])];
    // Index loops: this runs for every port of every host, mostly before V8 has optimized it, and an
    // unoptimized for-of allocates an iterator result per element.
    const candidates: IndexedObject[] = [];
    for (let i = 0; i < listed.length; i++) {
      const vs = listed[i];
      const source = this.sources.get(vs)!;
      const parent = parentEntryOf(vs);
      if (source.bound.includes(query.gateway)
        && (parent === undefined || parent === query.entry)
        && (query.namespaces?.(source.namespace) ?? true)
        && coversAny(source.qualified, query.host)) {
        candidates.push(vs);
      }
    }
    const ranked = candidates.length < 2 ? candidates : byPreference(candidates, vs => {
      const source = this.sources.get(vs)!;
      return (source.namespace === query.preferNamespace ? 0 : 2) + (source.hosts.includes(query.host) ? 0 : 1);
    });
    for (const vs of ranked) {
      const hit = firstRoute(vs, this.sources.get(vs)!, query);
      if (hit) {
        return hit;
      }
    }
    return undefined;
  }
}

/** Does one of the hosts cover `host`? */
function coversAny(hosts: readonly unknown[], host: string): boolean {
  for (let i = 0; i < hosts.length; i++) {
    const h = hosts[i];
    if (typeof h === 'string' && covers(h, host)) {
      return true;
    }
  }
  return false;
}

function firstRoute(vs: IndexedObject, source: RouteSource, query: RouteQuery): RouteHit | undefined {
  const spec = specOf(vs);
  for (let b = 0; b < query.blocks.length; b++) {
    const block = query.blocks[b];
    const routes = asArray(spec[block]);
    for (let index = 0; index < routes.length; index++) {
      const route = routes[index];
      if (isRecord(route) && routeApplies(source, route, block, query)) {
        const hit = hitOf(vs, block, index, route);
        // A redirect or direct response for some requests only (a path, a header): the others go on to the later routes.
        if (hit || everyRequest(source, route, block, query)) {
          return hit;
        }
      }
    }
  }
  return undefined;
}

function routeApplies(source: RouteSource, route: Record<string, any>, block: Block, query: RouteQuery): boolean {
  let matches = 0;
  const list = asArray(route.match);
  for (let i = 0; i < list.length; i++) {
    const match = list[i];
    if (isRecord(match)) {
      matches++;
      if (matchApplies(source, match, block, query)) {
        return true;
      }
    }
  }
  return matches === 0 && source.bound.includes(query.gateway);
}

/** Match fields that pick the listener and the gateway, not some of its requests. */
const LISTENER_FIELDS: ReadonlySet<string> = new Set(['port', 'gateways', 'sniHosts', 'name']);

/** Whether the route takes every request the query stands for: no match, or an applying match on listener fields only. */
function everyRequest(source: RouteSource, route: Record<string, any>, block: Block, query: RouteQuery): boolean {
  const matches = asArray(route.match).filter(isRecord);
  return matches.length === 0
    || matches.some(m => matchApplies(source, m, block, query) && Object.keys(m).every(key => LISTENER_FIELDS.has(key)));
}

function matchApplies(source: RouteSource, match: Record<string, any>, block: Block, query: RouteQuery): boolean {
  const port = portNumber(match.port);
  if (port !== undefined && port !== query.port) {
    return false;
  }
  // The match's own gateways (resolved in the VirtualService's namespace), else the VirtualService's.
  let own = false;
  let bound = false;
  const gateways = asArray(match.gateways);
  for (let i = 0; i < gateways.length; i++) {
    const g = gateways[i];
    if (typeof g === 'string') {
      own = true;
      bound ||= (g === MESH ? g : resolveGatewayRef(g, source.namespace)) === query.gateway;
    }
  }
  if (!(own ? bound : source.bound.includes(query.gateway))) {
    return false;
  }
  if (block !== 'tls') {
    return true;
  }
  const sniHosts = asArray(match.sniHosts);
  return !sniHosts.some(sni => typeof sni === 'string') || coversAny(sniHosts, query.host);
}

function hitOf(vs: IndexedObject, block: Block, index: number, route: Record<string, any>): RouteHit | undefined {
  const destinations = asArray(route.route);
  const at = destinations.findIndex(r => isRecord(r) && isRecord(r.destination) && typeof r.destination.host === 'string');
  if (at < 0) {
    return undefined;
  }
  const destination = destinations[at].destination;
  const source = viewSource(route);
  return {
    vs,
    kind: source?.kind ?? 'VirtualService',
    block,
    index,
    field: source?.field ?? `spec.${block}[${index}]`,
    destinationField: source?.destinations?.[at] ?? `spec.${block}[${index}].route[${at}].destination`,
    host: destination.host,
    port: portNumber(isRecord(destination.port) ? destination.port.number : undefined),
    subset: typeof destination.subset === 'string' ? destination.subset : undefined,
  };
}

// ---------------------------------------------------------------------------------------------
// DestinationRules

/** The TLS a DestinationRule sets for a port, and where. */
export interface TlsSetting {
  readonly mode: string;
  readonly sni?: string;
  readonly destinationRule: IndexedObject;
  /** The `tls` field that says so, e.g. `spec.subsets[0].trafficPolicy.portLevelSettings[0].tls`. */
  readonly field: string;
}

/** Who applies a DestinationRule: a proxy in `namespace`; `labels` when its pod labels are known (gateways). */
export interface Proxy {
  readonly namespace: string;
  readonly labels?: Record<string, string>;
}

/**
 * The DestinationRules a proxy applies to `host`, as Istio picks them (PushContext.destinationRule and
 * SidecarScope.DestinationRule): the most specific host match among the rules of the proxy's own
 * namespace, else those the host's namespace exports to it, else those the root namespace exports
 * to it. A rule with a workloadSelector applies only to the pods it selects in its own namespace;
 * when a namespace has rules for the host, none of the later namespaces is looked at. Rules of one
 * namespace for the same host are merged (mergeDestinationRule): their subsets add up, and the
 * first one's traffic policy counts.
 *
 * @param hostNamespace the namespace of the Service or ServiceEntry that defines `host`
 */
export function destinationRulesFor(index: ObjectIndex, host: string, proxy: Proxy, hostNamespace: string | undefined): MergedRules {
  const rules = ruleIndex(index);
  // Each part length-prefixed, so that no two look-ups share a key (this runs for every hop: no JSON of the whole).
  const key = `${host.length}:${host}${proxy.namespace.length}:${proxy.namespace}${hostNamespace === undefined ? '-' : `${hostNamespace.length}:${hostNamespace}`}`
    + (proxy.labels === undefined ? '' : labelsKey(proxy.labels));
  let merged = rules.lookups.get(key);
  if (!merged) {
    merged = new MergedRules(pickRules(rules, host, proxy, hostNamespace));
    rules.lookups.set(key, merged);
  }
  return merged;
}

/** Per label map (a gateway's labels are asked for at every hop to it): its JSON, for look-up keys. */
const labelKeys = new WeakMap<Record<string, string>, string>();

function labelsKey(labels: Record<string, string>): string {
  let key = labelKeys.get(labels);
  if (key === undefined) {
    key = JSON.stringify(labels);
    labelKeys.set(labels, key);
  }
  return key;
}

function pickRules(rules: RuleIndex, host: string, proxy: Proxy, hostNamespace: string | undefined): IndexedObject[] {
  const own = rulesForHost(rules, host, proxy, proxy.namespace, false);
  if (own.length > 0) {
    const selected = own.filter(dr => isRecord(specOf(dr).workloadSelector) && selects(specOf(dr).workloadSelector, proxy.labels));
    return selected.length > 0 ? selected : own.filter(dr => specOf(dr).workloadSelector === undefined);
  }
  for (const namespace of [hostNamespace, ROOT_NAMESPACE]) {
    if (namespace !== undefined && namespace !== proxy.namespace) {
      const exported = rulesForHost(rules, host, proxy, namespace, true);
      if (exported.length > 0) {
        return exported;
      }
    }
  }
  return [];
}

/** The rules of `namespace` for `host` that the proxy sees (its own namespace's, or those `exported` to it), most specific first. */
function rulesForHost(rules: RuleIndex, host: string, proxy: Proxy, namespace: string, exported: boolean): IndexedObject[] {
  const candidates = rules.candidates(namespace, host);
  if (candidates.length === 0) {
    return candidates;
  }
  return mostSpecific(candidates.filter(dr =>
    (exported ? specOf(dr).workloadSelector === undefined && isVisibleIn(dr.object, proxy.namespace) : visibleLocally(dr.object))
    && covers(qualifyHost(specOf(dr).host, namespace), host)), namespace, host);
}

/**
 * DestinationRules merged as Istio merges those of one namespace for one host (mergeDestinationRule):
 * the first one's traffic policy, and every subset from the first rule that defines it.
 */
export class MergedRules {
  private subsets?: Map<string, { dr: IndexedObject; at: number }>;
  /** Found once: every path through the rules asks for it (null: none). */
  private policy?: IndexedObject | null;

  public constructor(public readonly rules: readonly IndexedObject[]) {}

  /** The rule with the traffic policy that counts, if any. */
  public get policyRule(): IndexedObject | undefined {
    if (this.policy === undefined) {
      this.policy = this.rules.find(dr => isRecord(specOf(dr).trafficPolicy)) ?? null;
    }
    return this.policy ?? undefined;
  }

  /** The rule that defines a subset, and the subset's place in it. */
  public subset(name: string): { dr: IndexedObject; at: number } | undefined {
    if (!this.subsets) {
      this.subsets = new Map();
      for (const dr of this.rules) {
        asArray(specOf(dr).subsets).forEach((x, at) => {
          if (isRecord(x) && typeof x.name === 'string' && !this.subsets!.has(x.name)) {
            this.subsets!.set(x.name, { dr, at });
          }
        });
      }
    }
    return this.subsets.get(name);
  }

  /** The rule a hop uses: the one that defines its subset, else the one with the traffic policy, else the first. */
  public ruleFor(subset?: string): IndexedObject | undefined {
    return (subset === undefined ? undefined : this.subset(subset)?.dr) ?? this.policyRule ?? this.rules[0];
  }

  /** The TLS the rules set for a port: the subset's own policy first, then the traffic policy. */
  public tls(port: number, subset?: string): TlsSetting | undefined {
    const s = subset === undefined ? undefined : this.subset(subset);
    const fromSubset = s && tlsAt(asArray(specOf(s.dr).subsets)[s.at].trafficPolicy, port, `spec.subsets[${s.at}].trafficPolicy`);
    const top = fromSubset ? undefined : this.policyRule;
    const fromTop = top && tlsAt(specOf(top).trafficPolicy, port, 'spec.trafficPolicy');
    const found = fromSubset ? { dr: s!.dr, ...fromSubset } : fromTop ? { dr: top!, ...fromTop } : undefined;
    if (!found) {
      return undefined;
    }
    return {
      mode: found.tls.mode,
      sni: typeof found.tls.sni === 'string' && found.tls.sni !== '' ? found.tls.sni : undefined,
      destinationRule: found.dr,
      field: found.field,
    };
  }
}

/** DestinationRules by namespace and host (exact hosts, and the wildcard ones), so that a look-up does not scan them all. */
class RuleIndex {
  /** The merged rules of each look-up made (host, proxy, host's namespace): the same for every path through them. */
  public readonly lookups = new Map<string, MergedRules>();
  private readonly exact = new Map<string, IndexedObject[]>();
  private readonly wildcard = new Map<string, IndexedObject[]>();

  public constructor(rules: readonly IndexedObject[]) {
    for (const dr of rules) {
      if (typeof specOf(dr).host !== 'string') {
        continue;
      }
      const namespace = namespaceOf(dr.object);
      const host = qualifyHost(specOf(dr).host, namespace);
      const [map, key] = host.startsWith('*') ? [this.wildcard, namespace] : [this.exact, `${namespace}/${host}`];
      const list = map.get(key);
      if (list) {
        list.push(dr);
      } else {
        map.set(key, [dr]);
      }
    }
  }

  /** The rules of a namespace that may cover `host`, in input order. */
  public candidates(namespace: string, host: string): IndexedObject[] {
    const exact = host.startsWith('*') ? undefined : this.exact.get(`${namespace}/${host}`);
    const wildcard = this.wildcard.get(namespace);
    // Each list is in input order already: only a mix of both needs sorting.
    if (!exact || !wildcard) {
      return exact ?? wildcard ?? [];
    }
    return [...exact, ...wildcard].sort((a, b) => a.index - b.index);
  }
}

const ruleIndexes = new WeakMap<ObjectIndex, RuleIndex>();

function ruleIndex(index: ObjectIndex): RuleIndex {
  let rules = ruleIndexes.get(index);
  if (!rules) {
    rules = new RuleIndex(index.destinationRules);
    ruleIndexes.set(index, rules);
  }
  return rules;
}

/** A DestinationRule counts in its own namespace unless exportTo leaves that namespace out. */
function visibleLocally(dr: Manifest): boolean {
  return isVisibleIn(dr, namespaceOf(dr)) || strings(specOf(dr).exportTo).includes('.');
}

/** The rules with the most specific host for `host`: an exact host before the longest wildcard. */
function mostSpecific(rules: IndexedObject[], namespace: string, host: string): IndexedObject[] {
  const hostOf = (dr: IndexedObject) => qualifyHost(specOf(dr).host, namespace);
  const exact = rules.filter(dr => hostOf(dr) === host);
  if (exact.length > 0) {
    return exact;
  }
  const longest = Math.max(...rules.map(dr => hostOf(dr).length));
  return rules.filter(dr => hostOf(dr).length === longest);
}

/** The TLS of a traffic policy on a port (the port's own setting first, then the policy's), with the field that sets it. */
function tlsAt(policy: unknown, port: number, field: string): { tls: Record<string, any>; field: string } | undefined {
  if (!isRecord(policy)) {
    return undefined;
  }
  const levels = asArray(policy.portLevelSettings);
  const at = levels.findIndex(s => isRecord(s) && isRecord(s.port) && portNumber(s.port.number) === port);
  if (at >= 0 && isRecord(levels[at].tls) && typeof levels[at].tls.mode === 'string') {
    return { tls: levels[at].tls, field: `${field}.portLevelSettings[${at}].tls` };
  }
  return isRecord(policy.tls) && typeof policy.tls.mode === 'string' ? { tls: policy.tls, field: `${field}.tls` } : undefined;
}

/** TLS that a proxy opens itself towards a destination (SIMPLE or MUTUAL; ISTIO_MUTUAL is the mesh's own). */
export function originatesTls(mode: string | undefined): boolean {
  return mode === 'SIMPLE' || mode === 'MUTUAL';
}

/** Does a selector (`{matchLabels}` of a DestinationRule or AuthorizationPolicy) select pods with these labels? */
export function selects(selector: unknown, labels: Record<string, string> | undefined): boolean {
  if (!isRecord(selector)) {
    return true;
  }
  const wanted = labelMap(selector.matchLabels);
  return labels !== undefined && Object.entries(wanted).every(([k, v]) => labels[k] === v);
}

// ---------------------------------------------------------------------------------------------
// Gateways

/** The pods behind a gateway Service and the Gateways that configure them. */
export interface GatewayTarget {
  /** The gateway Service's host, `name.namespace.svc.<domain>`. */
  readonly service: string;
  /** Where the pods run (the Service's namespace). */
  readonly namespace: string;
  /** The pods' labels as far as they are known. */
  readonly labels: Record<string, string>;
  /**
   * Where the labels come from: `workload` (a Deployment, DaemonSet, StatefulSet or Pod the Service
   * selects), `service` (the Service's selector), `convention` (the labels istioctl and the
   * istio/gateway chart give the pods of a Service of that name), `gateway` (the selector of a
   * Gateway in the Service's namespace that serves the host, for a Service named otherwise),
   * `gateway-api` (the label Istio gives the pods of the Gateway API Gateway it deploys behind the Service).
   */
  readonly labelsFrom: 'workload' | 'service' | 'convention' | 'gateway' | 'gateway-api';
  /** The Gateways whose selector matches the pods, and those without a selector, from any namespace. */
  readonly gateways: IndexedObject[];
}

/**
 * The egress gateway that a route destination leads to, when it is a gateway Service: the pods the
 * Service selects (or, for a Service not among the objects, the pods istioctl and the istio/gateway
 * chart deploy in its namespace: `app: <name>`, `istio: <name without istio->`), and the Gateways
 * whose selector matches them wherever they live (Istio applies Gateways of any namespace unless
 * PILOT_SCOPE_GATEWAY_TO_NAMESPACE is set), with the Gateways without a selector. Undefined when no
 * Gateway's selector matches those pods.
 */
export function gatewayTarget(index: ObjectIndex, host: string): GatewayTarget | undefined {
  const namespace = serviceNamespace(host);
  if (namespace === undefined) {
    return undefined;
  }
  const name = host.slice(0, host.indexOf('.'));
  const pods = podsOf(index, namespace, name);
  const gateways = gatewaysOfPods(index, pods.labels, pods.labelsFrom === 'workload');
  return gateways.length === 0 ? undefined : { service: host, namespace, ...pods, gateways };
}

/**
 * The Gateways that configure gateway pods with these labels: those whose selector matches, and those
 * without a selector, which Istio applies to every gateway proxy (PushContext.mergeGateways). None when
 * no selector matches: nothing then says that the pods are a gateway's.
 */
function gatewaysOfPods(index: ObjectIndex, labels: Record<string, string>, complete: boolean): IndexedObject[] {
  const gateways = [...index.gateways.values()];
  const selectors = gateways.map(g => labelMap(specOf(g).selector));
  const selected = selectors.map(selector => Object.keys(selector).length > 0 && labelsMatch(selector, labels, complete));
  return selected.includes(true) ? gateways.filter((_, i) => selected[i] || Object.keys(selectors[i]).length === 0) : [];
}

/**
 * For a gateway Service that is not among the objects and whose name gives no labels any Gateway
 * selects (a gateway installed under a name of its own): the pods that a Gateway in the Service's
 * namespace with a server for `routedHost` selects, as the gateway deployed beside its Gateway.
 */
export function gatewayTargetBeside(index: ObjectIndex, host: string, routedHost: string): GatewayTarget | undefined {
  const namespace = serviceNamespace(host);
  if (namespace === undefined || serviceNamed(index, namespace, host.slice(0, host.indexOf('.')))) {
    return undefined;
  }
  const beside = [...index.gateways.values()].find(g => namespaceOf(g.object) === namespace && Object.keys(labelMap(specOf(g).selector)).length > 0
    && asArray(specOf(g).servers).some(sv => isRecord(sv) && strings(sv.hosts).some(h => covers(hostPart(h), routedHost))));
  if (!beside) {
    return undefined;
  }
  const labels = labelMap(specOf(beside).selector);
  return { service: host, namespace, labels, labelsFrom: 'gateway', gateways: gatewaysOfPods(index, labels, false) };
}

function podsOf(index: ObjectIndex, namespace: string, name: string): Pick<GatewayTarget, 'labels' | 'labelsFrom'> {
  const service = serviceNamed(index, namespace, name);
  const selector = service ? labelMap(specOf(service).selector) : {};
  if (Object.keys(selector).length === 0) {
    return { labels: { app: name, istio: name.replace(/^istio-/, '') }, labelsFrom: 'convention' };
  }
  const workload = workloadLabels(index, namespace).find(labels => Object.entries(selector).every(([k, v]) => labels[k] === v));
  return workload ? { labels: workload, labelsFrom: 'workload' } : { labels: selector, labelsFrom: 'service' };
}

const servicesByIndex = new WeakMap<ObjectIndex, Map<string, IndexedObject>>();

/** The Kubernetes Service `namespace/name` among the objects (checked or in the cluster); the first of that name. */
function serviceNamed(index: ObjectIndex, namespace: string, name: string): IndexedObject | undefined {
  let services = servicesByIndex.get(index);
  if (!services) {
    services = new Map();
    for (const service of index.of('service')) {
      const serviceName = service.object.metadata?.name;
      // Lint reads any YAML: a name that is no string names no Service (and must not be turned into one).
      if (typeof serviceName !== 'string') {
        continue;
      }
      const key = `${namespaceOf(service.object)}/${serviceName}`;
      if (!services.has(key)) {
        services.set(key, service);
      }
    }
    servicesByIndex.set(index, services);
  }
  return services.get(`${namespace}/${name}`);
}

/** The pod labels of the workloads of a namespace. */
function workloadLabels(index: ObjectIndex, namespace: string): Array<Record<string, string>> {
  const templates = (['deployment', 'daemonSet', 'statefulSet'] as const).flatMap(kind => index.of(kind))
    .filter(w => namespaceOf(w.object) === namespace)
    .map(w => labelMap(specOf(w).template?.metadata?.labels));
  const pods = index.of('pod').filter(p => namespaceOf(p.object) === namespace).map(p => labelMap(p.object.metadata?.labels));
  return [...templates, ...pods].filter(l => Object.keys(l).length > 0);
}

/**
 * Does a Gateway's selector match pods with these labels? With labels known only in part (the
 * Service's selector, the convention), a key they do not have may still be on the pods: it does not
 * count against the match, but at least one key must agree.
 */
function labelsMatch(selector: Record<string, string>, labels: Record<string, string>, complete: boolean): boolean {
  const entries = Object.entries(selector);
  if (complete) {
    return entries.every(([k, v]) => labels[k] === v);
  }
  // `hasOwn`: a key such as `constructor` is on every object, but on no pod unless its labels set it.
  return entries.every(([k, v]) => !Object.hasOwn(labels, k) || labels[k] === v) && entries.some(([k, v]) => labels[k] === v);
}

/** A server of a Gateway on the gateway's pods. */
export interface GatewayServer {
  readonly gateway: IndexedObject;
  /** `spec.servers[0]` */
  readonly field: string;
  readonly port: number;
  readonly protocol: string;
  /** The server's TLS mode (PASSTHROUGH, ISTIO_MUTUAL, SIMPLE, MUTUAL, ...) or `none`. */
  readonly tls: string;
  /** The server's hosts without their namespace part. */
  readonly hosts: string[];
  /** The namespaces whose VirtualServices may bind to the server for the host (undefined: any). */
  readonly routeNamespaces?: Set<string>;
}

/**
 * The server the gateway's pods use for `host` on `port` (a gateway Service port: Istio maps server
 * ports to the Service's ports), from the Gateways in `preferred` first, then by `namespace/name`.
 */
export function gatewayServer(target: GatewayTarget, port: number, host: string, preferred: readonly string[]): GatewayServer | undefined {
  let servers = serverIndexes.get(target);
  if (!servers) {
    servers = new ServerIndex(target.gateways);
    serverIndexes.set(target, servers);
  }
  const found = servers.candidates(port, host);
  const best = found.length < 2 ? found[0] : [...found].sort((a, b) => serverRank(preferred, a) - serverRank(preferred, b)
    || compareStrings(a.label, b.label)
    || a.gateway.index - b.gateway.index || a.at - b.at)[0];
  return best && serverOf(best.gateway, asArray(specOf(best.gateway).servers)[best.at], best.at, host);
}

/** A module function, not a closure: tsx (the bench and the examples run this source) names every closure kept in a variable with a defineProperty call, for every hop to a gateway. */
function serverRank(preferred: readonly string[], c: ServerCandidate): number {
  return preferred.includes(c.label) ? 0 : 1;
}

interface ServerCandidate {
  readonly gateway: IndexedObject;
  readonly label: string;
  readonly at: number;
}

/** A gateway's servers by port and host (exact hosts, and the wildcard ones), so that a look-up does not scan them all. */
class ServerIndex {
  private readonly exact = new Map<string, ServerCandidate[]>();
  private readonly wildcard = new Map<number, Array<ServerCandidate & { host: string }>>();

  public constructor(gateways: readonly IndexedObject[]) {
    for (const gateway of gateways) {
      asArray(specOf(gateway).servers).forEach((server, at) => {
        const port = isRecord(server) && isRecord(server.port) ? portNumber(server.port.number) : undefined;
        if (port === undefined) {
          return;
        }
        const candidate = { gateway, label: label(gateway.object), at };
        for (const host of new Set(strings(server.hosts).map(hostPart))) {
          if (host.startsWith('*')) {
            append(this.wildcard, port, { ...candidate, host });
          } else {
            append(this.exact, `${port}/${host}`, candidate);
          }
        }
      });
    }
  }

  /** The servers on `port` whose hosts cover `host`, once each. */
  public candidates(port: number, host: string): readonly ServerCandidate[] {
    const exact = this.exact.get(`${port}/${host}`) ?? [];
    const wildcard = this.wildcard.get(port);
    // A server is listed once per host: only with wildcard hosts can it be found twice.
    if (!wildcard) {
      return exact;
    }
    const found = [...exact, ...wildcard.filter(c => covers(c.host, host))];
    return found.filter((c, i) => found.findIndex(d => d.gateway === c.gateway && d.at === c.at) === i);
  }
}

const serverIndexes = new WeakMap<GatewayTarget, ServerIndex>();

/**
 * The TLS mode a server listens with (pkg/config/gateway IsTLSServer): HTTP servers are plain text
 * whatever their `tls` (it only redirects); an unset mode is PASSTHROUGH, the API's default.
 */
function serverTlsMode(server: Record<string, any>, protocol: string): string {
  if (!isRecord(server.tls) || isHttpProtocol(protocol)) {
    return 'none';
  }
  return typeof server.tls.mode === 'string' ? server.tls.mode : 'PASSTHROUGH';
}

function hostPart(serverHost: string): string {
  return serverHost.slice(serverHost.indexOf('/') + 1);
}

function serverOf(gateway: IndexedObject, server: Record<string, any>, at: number, host: string): GatewayServer {
  const own = namespaceOf(gateway.object);
  const namespaces = mapList(filterList(strings(server.hosts), h => covers(hostPart(h), host)), h => {
    const ns = h.includes('/') ? h.slice(0, h.indexOf('/')) : '*';
    return ns === '.' ? own : ns;
  });
  const protocol = typeof server.port.protocol === 'string' ? server.port.protocol : 'TCP';
  return {
    gateway,
    field: viewSource(server)?.field ?? `spec.servers[${at}]`,
    port: server.port.number,
    protocol,
    tls: serverTlsMode(server, protocol),
    hosts: mapList(strings(server.hosts), hostPart),
    routeNamespaces: namespaces.includes('*') ? undefined : new Set(namespaces),
  };
}
