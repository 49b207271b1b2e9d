/**
 * One pass over a set of objects, indexing what the cross-object rules look up, so that each rule
 * runs in time proportional to the number of objects.
 */
import { Manifest, asArray, isRecord, show } from './finding';
import { hostSubsetOf } from './names';
import { MESH_GATEWAY } from './virtual-service';

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

export function isIstioKind(o: Manifest, kind: string): boolean {
  return o.kind === kind && typeof o.apiVersion === 'string' && /^(networking|security|telemetry)\.istio\.io\//.test(o.apiVersion);
}

export function namespaceOf(o: Manifest): string {
  const namespace = isRecord(o.metadata) ? o.metadata.namespace : undefined;
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

/** A Kubernetes Service host, `name.namespace.svc.<domain>`: its namespace, or undefined for other hosts. */
export function serviceNamespace(host: string): string | undefined {
  const match = /^[^.]+\.([^.]+)\.svc(\.|$)/.exec(host);
  return match ? match[1] : undefined;
}

/** A route destination with where it sits in the VirtualService. */
export interface Destination {
  readonly field: string;
  readonly host: string;
  readonly subset?: string;
  readonly port?: number;
  /** The gateways whose traffic this route applies to (resolved `ns/name`, or `mesh`). */
  readonly gateways: string[];
}

/** Every destination of a VirtualService's http, tls and tcp routes. */
export function destinationsOf(vs: Manifest): Destination[] {
  const namespace = namespaceOf(vs);
  const bound = asArray(vs.spec?.gateways).filter(g => typeof g === 'string');
  const top = bound.length === 0 ? [MESH] : bound.map(g => (g === MESH ? MESH : resolveGatewayRef(g, namespace)));
  const out: Destination[] = [];
  for (const block of ['http', 'tls', 'tcp']) {
    asArray(vs.spec?.[block]).forEach((route, i) => {
      if (!isRecord(route)) {
        return;
      }
      const matchGateways = asArray(route.match).flatMap(m => asArray(isRecord(m) ? m.gateways : undefined))
        .map(g => (g === MESH ? MESH : resolveGatewayRef(String(g), namespace)));
      const gateways = matchGateways.length > 0 ? [...new Set(matchGateways)] : top;
      asArray(route.route).forEach((r, j) => {
        const d = isRecord(r) ? r.destination : undefined;
        if (isRecord(d) && typeof d.host === 'string') {
          const port = isRecord(d.port) && typeof d.port.number === 'number' ? d.port.number : undefined;
          out.push({ field: `spec.${block}[${i}].route[${j}].destination`, host: d.host, subset: d.subset, port, gateways });
        }
      });
    });
  }
  return out;
}

function append<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) {
    list.push(value);
  } else {
    map.set(key, [value]);
  }
}

export class ObjectIndex {
  public readonly serviceEntries: IndexedObject[] = [];
  public readonly gateways = new Map<string, IndexedObject>();
  public readonly virtualServices: IndexedObject[] = [];
  public readonly destinationRules: IndexedObject[] = [];
  public readonly sidecars: IndexedObject[] = [];
  /** Labels of the pods that Deployments, DaemonSets and Pods among the objects run. */
  public readonly podLabels: Array<Record<string, string>> = [];
  private readonly entriesByHost = new Map<string, IndexedObject[]>();
  private readonly wildcardEntries: IndexedObject[] = [];
  /** host -> subset -> namespaces of the DestinationRules that define it. */
  private readonly subsets = new Map<string, Map<string, Set<string>>>();

  public constructor(public readonly objects: Manifest[]) {
    objects.forEach((object, index) => {
      const entry = { index, object };
      if (isIstioKind(object, 'ServiceEntry')) {
        this.serviceEntries.push(entry);
        for (const host of asArray(object.spec?.hosts)) {
          if (typeof host === 'string' && host.startsWith('*')) {
            this.wildcardEntries.push(entry);
          } else if (typeof host === 'string') {
            append(this.entriesByHost, host, entry);
          }
        }
      } else if (isIstioKind(object, 'Gateway')) {
        this.gateways.set(label(object), entry);
      } else if (isIstioKind(object, 'VirtualService')) {
        this.virtualServices.push(entry);
      } else if (isIstioKind(object, 'DestinationRule')) {
        this.destinationRules.push(entry);
        const host = object.spec?.host;
        if (typeof host === 'string') {
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
      } else if (isIstioKind(object, 'Sidecar')) {
        this.sidecars.push(entry);
      } else if (['Deployment', 'DaemonSet', 'StatefulSet'].includes(object.kind ?? '') && isRecord(object.spec?.template?.metadata?.labels)) {
        this.podLabels.push(object.spec.template.metadata.labels);
      } else if (object.kind === 'Pod' && isRecord(object.metadata?.labels)) {
        this.podLabels.push(object.metadata!.labels!);
      }
    });
  }

  /** ServiceEntries whose hosts cover `host` (exactly, or by a wildcard host). */
  public entriesFor(host: string): IndexedObject[] {
    const exact = this.entriesByHost.get(host) ?? [];
    const wildcard = this.wildcardEntries.filter(e => asArray(e.object.spec?.hosts).some(h => typeof h === 'string' && hostSubsetOf(host, h)));
    return [...exact, ...wildcard];
  }

  /**
   * Whether a DestinationRule that clients in `namespace` look up defines `subset` for `host`: one in
   * their namespace or the host's; for a Kubernetes Service host, in any namespace (as istioctl analyze keys it).
   */
  public hasSubset(host: string, subset: string, namespace: string): boolean {
    const namespaces = this.subsets.get(host)?.get(subset);
    if (!namespaces) {
      return false;
    }
    const home = serviceNamespace(host);
    return home !== undefined || namespaces.has(namespace);
  }
}
