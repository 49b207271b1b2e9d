/**
 * One pass over a set of objects, indexing what the cross-object rules look up, so that each rule
 * runs in time proportional to the number of objects.
 */
import { Manifest, asArray, isRecord, mapList, show } from '../rules/finding';
import { generatedServiceName } from '../rules/gateway-api/gateway';
import { KindKey, kindKeyOf } from '../rules/kinds';
import { MESH_GATEWAY, hostSubsetOf, serviceNamespace } from '../rules/names';

/** A finding about `objects[index]`. */
export interface IndexedObject {
  readonly index: number;
  readonly object: Manifest;
}

/** The reserved gateway name for the sidecars; one constant for every rule. */
export const MESH = MESH_GATEWAY;

/** A VirtualService applies to the sidecars when it names no gateway, or names `mesh`. */
export function isMeshBound(vs: Manifest): boolean {
  const gateways = asArray(vs.spec?.gateways);
  return gateways.length === 0 || gateways.includes(MESH);
}

export function namespaceOf(o: Manifest): string {
  // isRecord written out: this runs for almost every object in most checks (an array has no namespace either).
  const metadata = o.metadata;
  const namespace = typeof metadata === 'object' && metadata !== null ? metadata.namespace : undefined;
  return typeof namespace === 'string' ? namespace : 'default';
}

export function label(o: Manifest): string {
  return `${namespaceOf(o)}/${show(isRecord(o.metadata) ? o.metadata.name ?? '' : '')}`;
}

/** `ns/name` of a VirtualService's gateway reference, resolved as Istio does (short names in the VirtualService's namespace). */
export function resolveGatewayRef(ref: string, vsNamespace: string): string {
  if (ref.includes('/')) {
    return ref;
  }
  if (ref.includes('.')) {
    const [name, namespace] = ref.split('.');
    return `${namespace}/${name}`;
  }
  return `${vsNamespace}/${ref}`;
}

/** The namespaces an object is exported to; undefined means every namespace. */
export function exportedTo(o: Manifest): Set<string> | undefined {
  const exportTo = asArray(o.spec?.exportTo);
  if (exportTo.length === 0 || exportTo.includes('*')) {
    return undefined;
  }
  return new Set(exportTo.map(e => (e === '.' ? namespaceOf(o) : String(e))));
}

export function isVisibleIn(o: Manifest, namespace: string): boolean {
  const to = exportedTo(o);
  return !to || to.has(namespace);
}

// The namespace of a Kubernetes Service host is read with the names (src/rules/names.ts); the analysis takes it from here.
export { serviceNamespace };

/** The cluster domain Istio assumes when it expands short names. */
export const CLUSTER_DOMAIN = 'cluster.local';

/**
 * A host as Istio reads it in an object of `namespace`: a short name (no dot, no wildcard, not an
 * IP) is that namespace's Service, `name.<namespace>.svc.cluster.local`. Anything with a dot is
 * taken as written, so `reviews.default` is a host of its own, not the Service (pilot's
 * ResolveShortnameToFQDN, the analyzers' ConvertHostToFQDN).
 */
export function qualifyHost(host: string, namespace: string): string {
  return host.includes('.') || host.includes(':') || host.startsWith('*') ? host : `${host}.${namespace}.svc.${CLUSTER_DOMAIN}`;
}

/** What a host reference resolves to, seen from a namespace. */
export type HostResolution =
  /** Services or ServiceEntries visible from the namespace define it (`ports` from all of them). */
  | { readonly status: 'found'; readonly host: string; readonly definitions: IndexedObject[]; readonly ports: ServicePort[] }
  /** Defined, but not exported to the namespace. */
  | { readonly status: 'hidden'; readonly host: string; readonly definitions: IndexedObject[] }
  /**
   * A Service host in a namespace none of whose Services are known here: it may well exist in the
   * cluster, so nothing is claimed either way.
   */
  | { readonly status: 'unknown'; readonly host: string; readonly namespace: string }
  /** Nothing known defines it. */
  | { readonly status: 'missing'; readonly host: string };

/** A reference to a Service in a namespace none of whose Services were given. */
export interface UncheckedReference {
  readonly index: number;
  readonly field: string;
  readonly host: string;
  readonly namespace: string;
}

/** A port of a Service or ServiceEntry, as routes and gateways see it. */
export interface ServicePort {
  readonly number: number;
  readonly name?: string;
  readonly protocol?: string;
  readonly targetPort?: number | string;
}

/** A route destination with where it sits in the VirtualService. */
export interface Destination {
  readonly field: string;
  readonly host: string;
  readonly subset?: string;
  readonly port?: number;
  /** The gateways whose traffic this route applies to (resolved `ns/name`, or `mesh`). */
  readonly gateways: string[];
  /** Whether `gateways` includes `mesh`: the route applies to the sidecars. */
  readonly atMesh: boolean;
  /** `gateways` without `mesh`: the Gateways (`ns/name`) whose traffic the route applies to. */
  readonly atGateways: readonly string[];
}

const ROUTE_BLOCKS = ['http', 'tls', 'tcp'];

/** Every destination of a VirtualService's http, tls and tcp routes. */
export function destinationsOf(vs: Manifest): Destination[] {
  const namespace = namespaceOf(vs);
  const spec = isRecord(vs.spec) ? vs.spec : {};
  const top = boundGateways(asArray(spec.gateways).filter(g => typeof g === 'string'), namespace, true);
  const out: Destination[] = [];
  // Index loops and no lists made per route: this runs once per VirtualService, mostly before V8 has optimized it.
  for (let b = 0; b < ROUTE_BLOCKS.length; b++) {
    const block = ROUTE_BLOCKS[b];
    const routes = asArray(spec[block]);
    for (let i = 0; i < routes.length; i++) {
      const route = routes[i];
      if (!isRecord(route)) {
        continue;
      }
      const targets = asArray(route.route);
      if (targets.length === 0) {
        continue;
      }
      const matches = asArray(route.match);
      let named: string[] | undefined;
      for (let m = 0; m < matches.length; m++) {
        const listed = isRecord(matches[m]) ? asArray(matches[m].gateways) : [];
        for (let g = 0; g < listed.length; g++) {
          // A hole in a caller's sparse list names no gateway.
          if (g in listed) {
            (named ??= []).push(String(listed[g]));
          }
        }
      }
      const gateways = named ? boundGateways(named, namespace, false) : top;
      for (let j = 0; j < targets.length; j++) {
        const r = targets[j];
        const d = isRecord(r) ? r.destination : undefined;
        if (isRecord(d) && typeof d.host === 'string') {
          const port = isRecord(d.port) && typeof d.port.number === 'number' ? d.port.number : undefined;
          const field = `spec.${block}[${i}].route[${j}].destination`;
          const { gateways: all, atMesh, atGateways } = gateways;
          out.push({ field, host: d.host, subset: d.subset, port, gateways: all, atMesh, atGateways });
        }
      }
    }
  }
  return out;
}

/**
 * Gateway references resolved (`ns/name`, or `mesh`). `top`: a VirtualService's own list, where none
 * means the mesh and each entry is kept as listed; a route's match gateways are each taken once.
 */
function boundGateways(refs: string[], namespace: string, top: boolean): Pick<Destination, 'gateways' | 'atMesh' | 'atGateways'> {
  if (refs.length === 0 && top) {
    return { gateways: [MESH], atMesh: true, atGateways: [] };
  }
  const gateways: string[] = [];
  const atGateways: string[] = [];
  let atMesh = false;
  for (let g = 0; g < refs.length; g++) {
    const ref = refs[g] === MESH ? MESH : resolveGatewayRef(refs[g], namespace);
    if (!top && gateways.includes(ref)) {
      continue;
    }
    gateways.push(ref);
    if (ref === MESH) {
      atMesh = true;
    } else {
      atGateways.push(ref);
    }
  }
  return { gateways, atMesh, atGateways };
}

/** The map under `key`, starting it if needed (for maps of maps). */
export function mapUnder<K, K2, V>(map: Map<K, Map<K2, V>>, key: K): Map<K2, V> {
  let inner = map.get(key);
  if (!inner) {
    inner = new Map();
    map.set(key, inner);
  }
  return inner;
}

/** The Service Istio makes for a Gateway API Gateway of class istio: its name, namespace and the listeners' ports. */
function generatedService(gateway: Manifest): Manifest | undefined {
  const name = generatedServiceName(gateway);
  if (name === undefined) {
    return undefined;
  }
  const ports = new Set(asArray(gateway.spec?.listeners).filter(isRecord).map(l => l.port).filter(p => typeof p === 'number'));
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: namespaceOf(gateway) }, spec: { ports: [...ports].map(port => ({ port })) } };
}

/** Adds `value` to the list of `key`, starting the list if needed. */
export function append<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) {
    list.push(value);
  } else {
    map.set(key, [value]);
  }
}

export class ObjectIndex {
  /** Every object of a registered kind, by kind, in input order. */
  private readonly byKind = new Map<KindKey, IndexedObject[]>();
  public readonly serviceEntries: IndexedObject[];
  /** Kubernetes Services, by `namespace/name` (their host is `name.namespace.svc.<cluster domain>`). */
  private readonly servicesByHost = new Map<string, IndexedObject>();
  /** References the analysis could not check: Service hosts in namespaces none of whose Services are known. */
  public readonly unchecked: UncheckedReference[] = [];
  /** Namespaces some of whose Services are known: a Service missing there is really missing. */
  private readonly serviceNamespaces = new Set<string>();
  public readonly gateways = new Map<string, IndexedObject>();
  public readonly virtualServices: IndexedObject[];
  public readonly destinationRules: IndexedObject[];
  public readonly sidecars: IndexedObject[];
  /** Labels of the pods that Deployments, StatefulSets, DaemonSets and Pods among the objects run. */
  public readonly podLabels: Array<Record<string, string>> = [];
  private readonly entriesByHost = new Map<string, IndexedObject[]>();
  private readonly wildcardEntries: IndexedObject[] = [];
  /** host -> subset -> namespaces of the DestinationRules that define it. */
  private readonly subsets = new Map<string, Map<string, Set<string>>>();
  /** namespace -> host as written -> its resolution. */
  private readonly resolutions = new Map<string, Map<string, HostResolution>>();
  private readonly destinationLists = new Map<number, Destination[]>();
  // For the analyzer families (gateway hosts, certificates, selectors, ...): computed on first use.
  private workloadList?: Workload[];
  private workloadsByNamespace?: Map<string, Workload[]>;
  private secretsByNamespace?: Map<string, Set<string>>;
  private namespaceObjects?: Map<string, IndexedObject>;
  private servicesByNamespace?: Map<string, IndexedObject[]>;

  /**
   * @param objects the objects, those checked first
   * @param checked how many of them are checked; the rest exist in the cluster and only resolve references
   */
  public constructor(public readonly objects: Manifest[], public readonly checked = objects.length) {
    objects.forEach((object, index) => {
      const entry = { index, object };
      const kind = kindKeyOf(object);
      if (kind) {
        append(this.byKind, kind, entry);
      }
      if (kind === 'service') {
        const name = isRecord(object.metadata) && typeof object.metadata.name === 'string' ? object.metadata.name : undefined;
        if (name) {
          this.servicesByHost.set(`${namespaceOf(object)}/${name}`, entry);
          this.serviceNamespaces.add(namespaceOf(object));
        }
      } else if (kind === 'serviceEntry') {
        const hosts = asArray(object.spec?.hosts);
        for (let h = 0; h < hosts.length; h++) {
          const host = hosts[h];
          if (typeof host === 'string' && host.startsWith('*')) {
            this.wildcardEntries.push(entry);
          } else if (typeof host === 'string') {
            append(this.entriesByHost, host, entry);
          }
        }
      } else if (kind === 'gateway') {
        this.gateways.set(label(object), entry);
      } else if (kind === 'destinationRule') {
        const host = typeof object.spec?.host === 'string' ? qualifyHost(object.spec.host, namespaceOf(object)) : undefined;
        if (host !== undefined) {
          const bySubset = this.subsets.get(host) ?? new Map<string, Set<string>>();
          this.subsets.set(host, bySubset);
          for (const subset of asArray(object.spec?.subsets)) {
            if (isRecord(subset) && typeof subset.name === 'string') {
              const namespaces = bySubset.get(subset.name) ?? new Set<string>();
              namespaces.add(namespaceOf(object));
              bySubset.set(subset.name, namespaces);
            }
          }
        }
      } else if ((kind === 'deployment' || kind === 'daemonSet' || kind === 'statefulSet') && isRecord(object.spec?.template?.metadata?.labels)) {
        this.podLabels.push(object.spec.template.metadata.labels);
      } else if (kind === 'pod' && isRecord(object.metadata?.labels)) {
        this.podLabels.push(object.metadata!.labels!);
      }
    });
    // The lists of byKind, whose first element made them (a fresh [] that push fills starts with another V8 elements
    // kind in each index, and code optimized for the filled one was thrown away at the next index's first push).
    this.serviceEntries = this.byKind.get('serviceEntry') ?? [];
    this.virtualServices = this.byKind.get('virtualService') ?? [];
    this.destinationRules = this.byKind.get('destinationRule') ?? [];
    this.sidecars = this.byKind.get('sidecar') ?? [];
    // A Gateway API Gateway of class istio is deployed as Service `<name>-istio` with its listeners' ports, which the
    // input never holds: routes and backendRefs that name it resolve, and its namespace's Services stay as known as before.
    for (const gateway of this.of('k8sGateway')) {
      const service = generatedService(gateway.object);
      const key = service && `${namespaceOf(service)}/${service.metadata!.name}`;
      if (key && !this.servicesByHost.has(key)) {
        this.servicesByHost.set(key, { index: gateway.index, object: service! });
      }
    }
  }

  /**
   * The Service `namespace/name`: one among the objects, or one Istio makes for a Gateway API Gateway
   * of class istio (whose object stands for it, with the Gateway's index).
   */
  public service(namespace: string, name: string): IndexedObject | undefined {
    return this.servicesByHost.get(`${namespace}/${name}`);
  }

  /** Records a reference that could not be checked (once per object, field and host). */
  public noteUnchecked(index: number, field: string, host: string, namespace: string): void {
    if (index < this.checked) {
      this.unchecked.push({ index, field, host, namespace });
    }
  }

  /** The objects of a registered kind, in input order. */
  public of(kind: KindKey): readonly IndexedObject[] {
    return this.byKind.get(kind) ?? [];
  }

  /** Whether the object exists in the cluster only (it resolves references but is not checked). */
  public isClusterOnly(index: number): boolean {
    return index >= this.checked;
  }

  /**
   * Resolves a host that an object in `namespace` names (a route destination, a DestinationRule
   * host), as Istio's analyzers do: short names are that namespace's Services; ServiceEntries
   * count where they are exported to, Services where their `networking.istio.io/exportTo`
   * annotation lets them be seen.
   */
  public resolveHost(reference: string, namespace: string): HostResolution {
    // Many routes name the same hosts (every route to one egress gateway): resolve each once per namespace.
    let inNamespace = this.resolutions.get(namespace);
    if (!inNamespace) {
      inNamespace = new Map();
      this.resolutions.set(namespace, inNamespace);
    }
    let resolution = inNamespace.get(reference);
    if (!resolution) {
      resolution = this.resolve(reference, namespace);
      inNamespace.set(reference, resolution);
    }
    return resolution;
  }

  /**
   * The destinations of one of the VirtualServices, read once: the reference, conflict, lockdown and
   * intent checks all walk them.
   */
  public destinations(vs: IndexedObject): readonly Destination[] {
    let list = this.destinationLists.get(vs.index);
    if (!list) {
      list = destinationsOf(vs.object);
      this.destinationLists.set(vs.index, list);
    }
    return list;
  }

  private resolve(reference: string, namespace: string): HostResolution {
    const host = qualifyHost(reference, namespace);
    const home = serviceNamespace(host);
    const service = home === undefined ? undefined : this.servicesByHost.get(`${home}/${host.slice(0, host.indexOf('.'))}`);
    const entries = this.entriesFor(host);
    const definitions = service ? [service, ...entries] : [...entries];
    if (definitions.length === 0) {
      // Any cluster domain: the mesh's may not be cluster.local.
      return home !== undefined && !this.serviceNamespaces.has(home)
        ? { status: 'unknown', host, namespace: home }
        : { status: 'missing', host };
    }
    const visible = definitions.filter(d => (d === service ? serviceVisibleIn(d.object, namespace) : isVisibleIn(d.object, namespace)));
    if (visible.length === 0) {
      return { status: 'hidden', host, definitions };
    }
    return { status: 'found', host, definitions: visible, ports: visible.flatMap(d => (d === service ? servicePorts(d.object) : entryPorts(d.object))) };
  }

  /** ServiceEntries whose hosts cover `host` (exactly, or by a wildcard host), each once. */
  public entriesFor(host: string): readonly IndexedObject[] {
    const exact = this.entriesByHost.get(host) ?? [];
    if (this.wildcardEntries.length === 0) {
      return exact;
    }
    // An entry that lists the host and a wildcard covering it is one definition (Istio makes a service per host).
    const wildcard = this.wildcardEntries.filter(e => !exact.includes(e)
      && asArray(e.object.spec?.hosts).some(h => typeof h === 'string' && hostSubsetOf(host, h)));
    return [...exact, ...wildcard];
  }

  /**
   * Whether a DestinationRule that clients in `namespace` look up defines `subset` for `host`: one in
   * their namespace or the host's; for a Kubernetes Service host, in any namespace (as istioctl analyze keys it).
   */
  public hasSubset(host: string, subset: string, namespace: string): boolean {
    const fqdn = qualifyHost(host, namespace);
    const namespaces = this.subsets.get(fqdn)?.get(subset);
    if (!namespaces) {
      return false;
    }
    const home = serviceNamespace(fqdn);
    return home !== undefined || namespaces.has(namespace);
  }

  /** The pods that Pods, Deployments, StatefulSets and DaemonSets among the objects run, with their namespaces. */
  public workloads(): readonly Workload[] {
    if (!this.workloadList) {
      this.workloadList = (['pod', 'deployment', 'statefulSet', 'daemonSet'] as const).flatMap(kind => this.of(kind).map(o => workloadOf(o, kind)))
        .sort((a, b) => a.index - b.index);
    }
    return this.workloadList;
  }

  /** The workloads of a namespace; none means the namespace's pods are not known here. */
  public workloadsIn(namespace: string): readonly Workload[] {
    if (!this.workloadsByNamespace) {
      this.workloadsByNamespace = new Map();
      for (const w of this.workloads()) {
        append(this.workloadsByNamespace, w.namespace, w);
      }
    }
    return this.workloadsByNamespace.get(namespace) ?? [];
  }

  /** The names of the Secrets of a namespace, or undefined when none of its Secrets is known here. */
  public secretsIn(namespace: string): ReadonlySet<string> | undefined {
    if (!this.secretsByNamespace) {
      this.secretsByNamespace = new Map();
      for (const { object } of this.of('secret')) {
        const name = object.metadata?.name;
        if (typeof name === 'string') {
          const names = this.secretsByNamespace.get(namespaceOf(object)) ?? new Set<string>();
          names.add(name);
          this.secretsByNamespace.set(namespaceOf(object), names);
        }
      }
    }
    return this.secretsByNamespace.get(namespace);
  }

  /** The Namespace object of that name, if it is among the objects. */
  public namespaceObject(name: string): IndexedObject | undefined {
    if (!this.namespaceObjects) {
      this.namespaceObjects = new Map();
      for (const entry of this.of('namespace')) {
        const own = entry.object.metadata?.name;
        if (typeof own === 'string' && !this.namespaceObjects.has(own)) {
          this.namespaceObjects.set(own, entry);
        }
      }
    }
    return this.namespaceObjects.get(name);
  }

  /** The Kubernetes Services of a namespace, in input order. */
  public servicesIn(namespace: string): readonly IndexedObject[] {
    if (!this.servicesByNamespace) {
      this.servicesByNamespace = new Map();
      for (const entry of this.of('service')) {
        append(this.servicesByNamespace, namespaceOf(entry.object), entry);
      }
    }
    return this.servicesByNamespace.get(namespace) ?? [];
  }
}

/** A pod, or the pods a controller runs from its template. */
export interface Workload {
  readonly index: number;
  readonly kind: 'pod' | 'deployment' | 'statefulSet' | 'daemonSet';
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  /** Whether the pod has a container named istio-proxy with an image (injected, or a gateway). */
  readonly hasProxy: boolean;
}

function stringMap(x: unknown): Record<string, string> {
  if (!isRecord(x)) {
    return {};
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(x)) {
    if (typeof v === 'string') {
      out[k] = v;
    }
  }
  return out;
}

function workloadOf({ index, object }: IndexedObject, kind: Workload['kind']): Workload {
  const meta = kind === 'pod' ? object.metadata : object.spec?.template?.metadata;
  const podSpec = kind === 'pod' ? object.spec : object.spec?.template?.spec;
  const containers = [...asArray(isRecord(podSpec) ? podSpec.containers : undefined),
    ...asArray(isRecord(podSpec) ? podSpec.initContainers : undefined)];
  const name = object.metadata?.name;
  return {
    index,
    kind,
    name: typeof name === 'string' ? name : '',
    namespace: namespaceOf(object),
    labels: stringMap(isRecord(meta) ? meta.labels : undefined),
    annotations: stringMap(isRecord(meta) ? meta.annotations : undefined),
    hasProxy: containers.some(c => isRecord(c) && c.name === 'istio-proxy' && typeof c.image === 'string' && c.image !== ''),
  };
}

/** Does a label selector (`key: value` pairs, all required) select these labels? An empty selector selects everything. */
export function selects(selector: Record<string, unknown>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => Object.hasOwn(labels, k) && labels[k] === v);
}

/** A selector as Kubernetes prints it (`labels.SelectorFromSet(...).String()`): `k=v` pairs sorted by key, joined by commas. */
export function selectorString(selector: unknown): string {
  const entries = Object.entries(isRecord(selector) ? selector : {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return mapList(entries, ([k, v]) => `${k}=${show(v)}`).join(',');
}

/** A Kubernetes Service's ports (`spec.ports[].port`). */
function servicePorts(service: Manifest): ServicePort[] {
  return asArray(service.spec?.ports).filter(isRecord).filter(p => typeof p.port === 'number')
    .map(p => ({ number: p.port, name: typeof p.name === 'string' ? p.name : undefined, protocol: p.protocol, targetPort: p.targetPort }));
}

/** A ServiceEntry's ports. */
function entryPorts(entry: Manifest): ServicePort[] {
  const listed = asArray(entry.spec?.ports);
  const ports: ServicePort[] = [];
  // One loop, not filter, filter and map: this runs for every host a route names, mostly before V8 has optimized it.
  for (let i = 0; i < listed.length; i++) {
    const p = listed[i];
    if (isRecord(p) && typeof p.number === 'number') {
      ports.push({ number: p.number, name: typeof p.name === 'string' ? p.name : undefined, protocol: p.protocol, targetPort: p.targetPort });
    }
  }
  return ports;
}

/** A Service is visible everywhere unless its `networking.istio.io/exportTo` annotation says otherwise. */
function serviceVisibleIn(service: Manifest, namespace: string): boolean {
  const annotation = isRecord(service.metadata) && isRecord(service.metadata.annotations) ? service.metadata.annotations['networking.istio.io/exportTo'] : undefined;
  if (typeof annotation !== 'string' || annotation.trim() === '') {
    return true;
  }
  const scopes = annotation.split(',').map(s => s.trim()).map(s => (s === '.' ? namespaceOf(service) : s));
  return scopes.includes('*') || scopes.includes(namespace);
}
