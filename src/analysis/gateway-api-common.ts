/**
 * What the Gateway API analyzers share: the routes and their references as Istio 1.30 reads them
 * (defaults of group, kind and namespace), and look-ups by key built once per analysis.
 */
import { IndexedObject, ObjectIndex, namespaceOf } from './model';
import { Manifest, asArray, isRecord } from '../rules/finding';
import { KindKey } from '../rules/kinds';

export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';
export const ISTIO_NETWORKING_GROUP = 'networking.istio.io';
export const ROUTE_KINDS: ReadonlyArray<{ key: KindKey; kind: string }> = [
  { key: 'httpRoute', kind: 'HTTPRoute' }, { key: 'grpcRoute', kind: 'GRPCRoute' },
  { key: 'tlsRoute', kind: 'TLSRoute' }, { key: 'tcpRoute', kind: 'TCPRoute' },
];

export interface Route extends IndexedObject {
  readonly kind: string;
  readonly namespace: string;
}

export function nameOf(o: Manifest): string | undefined {
  const name = isRecord(o.metadata) ? o.metadata.name : undefined;
  return typeof name === 'string' ? name : undefined;
}

export function routesOf(index: ObjectIndex): Route[] {
  return ROUTE_KINDS.flatMap(({ key, kind }) => index.of(key).map(o => ({ ...o, kind, namespace: namespaceOf(o.object) })));
}

/** A parentRef with Istio's defaults: a Gateway of the route's namespace. */
export interface ParentRef {
  readonly field: string;
  readonly group: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly sectionName?: string;
  readonly port?: number;
}

export function parentRefsOf(route: Route): ParentRef[] {
  const out: ParentRef[] = [];
  asArray(route.object.spec?.parentRefs).forEach((ref, i) => {
    if (isRecord(ref) && typeof ref.name === 'string') {
      out.push({
        field: `spec.parentRefs[${i}]`,
        group: typeof ref.group === 'string' ? ref.group : GATEWAY_API_GROUP,
        kind: typeof ref.kind === 'string' ? ref.kind : 'Gateway',
        name: ref.name,
        namespace: typeof ref.namespace === 'string' ? ref.namespace : route.namespace,
        sectionName: typeof ref.sectionName === 'string' ? ref.sectionName : undefined,
        port: typeof ref.port === 'number' ? ref.port : undefined,
      });
    }
  });
  return out;
}

/** Objects by `namespace/name`, and the namespaces some of whose objects are known (a missing one there is really missing). */
export class ByName {
  private readonly byKey = new Map<string, IndexedObject>();
  private readonly namespaces = new Set<string>();

  public constructor(objects: readonly IndexedObject[]) {
    for (const entry of objects) {
      const name = nameOf(entry.object);
      if (name !== undefined) {
        const namespace = namespaceOf(entry.object);
        if (!this.byKey.has(`${namespace}/${name}`)) {
          this.byKey.set(`${namespace}/${name}`, entry);
        }
        this.namespaces.add(namespace);
      }
    }
  }

  public get(namespace: string, name: string): IndexedObject | undefined {
    return this.byKey.get(`${namespace}/${name}`);
  }

  /** Whether objects of this kind in the namespace are known here. */
  public knows(namespace: string): boolean {
    return this.namespaces.has(namespace);
  }
}

/** Kubernetes label selector (matchLabels, matchExpressions) against labels. */
export function selectorMatches(selector: unknown, labels: Record<string, unknown>): boolean {
  if (!isRecord(selector)) {
    return true;
  }
  const matchLabels = isRecord(selector.matchLabels) ? selector.matchLabels : {};
  if (!Object.entries(matchLabels).every(([k, v]) => labels[k] === v)) {
    return false;
  }
  return asArray(selector.matchExpressions).every(e => {
    if (!isRecord(e) || typeof e.key !== 'string') {
      return true;
    }
    const has = Object.hasOwn(labels, e.key);
    const values = asArray(e.values);
    switch (e.operator) {
      case 'In': return has && values.includes(labels[e.key]);
      case 'NotIn': return !has || !values.includes(labels[e.key]);
      case 'Exists': return has;
      case 'DoesNotExist': return !has;
      default: return true;
    }
  });
}
