/** The objects explain reads, grouped by kind, and small helpers over them. */
import { Manifest, asArray, isRecord } from '../../rules/finding';
import { hostSubsetOf } from '../../rules/names';
import { MESH, isVisibleIn as isManifestVisibleIn, label, namespaceOf as namespaceOfManifest, resolveGatewayRef } from '../../analysis/model';
import { LoadedObject, compareStrings } from '../input';

export { MESH };

/** The Istio objects of the input by kind, each list in input order. */
export interface ObjectIndex {
  readonly serviceEntries: LoadedObject[];
  readonly gateways: LoadedObject[];
  readonly virtualServices: LoadedObject[];
  readonly destinationRules: LoadedObject[];
  readonly sidecars: LoadedObject[];
  readonly authorizationPolicies: LoadedObject[];
  /** Every namespace the input names (Namespace objects and objects' namespaces), sorted. */
  readonly namespaces: string[];
}

const KINDS: Record<string, [string, keyof Omit<ObjectIndex, 'namespaces'>]> = {
  ServiceEntry: ['networking.istio.io/', 'serviceEntries'],
  Gateway: ['networking.istio.io/', 'gateways'],
  VirtualService: ['networking.istio.io/', 'virtualServices'],
  DestinationRule: ['networking.istio.io/', 'destinationRules'],
  Sidecar: ['networking.istio.io/', 'sidecars'],
  AuthorizationPolicy: ['security.istio.io/', 'authorizationPolicies'],
};

export function indexObjects(objects: LoadedObject[]): ObjectIndex {
  const index: ObjectIndex = {
    serviceEntries: [], gateways: [], virtualServices: [], destinationRules: [], sidecars: [], authorizationPolicies: [], namespaces: [],
  };
  const namespaces = new Set<string>();
  for (const o of objects) {
    const kind = KINDS[o.manifest.kind ?? ''];
    if (kind && String(o.manifest.apiVersion).startsWith(kind[0])) {
      index[kind[1]].push(o);
    }
    if (o.manifest.kind === 'Namespace' && o.manifest.metadata?.name) {
      namespaces.add(o.manifest.metadata.name);
    }
    if (o.manifest.metadata?.namespace) {
      namespaces.add(o.manifest.metadata.namespace);
    }
  }
  index.namespaces.push(...[...namespaces].sort(compareStrings));
  return index;
}

/** The object's namespace; Istio puts objects without one in `default` when they are applied. */
export function namespaceOf(o: LoadedObject): string {
  return namespaceOfManifest(o.manifest);
}

/** `namespace/name`, the way Istio refers to objects. */
export function refOf(o: LoadedObject): string {
  return label(o.manifest);
}

export function specOf(o: LoadedObject | Manifest): Record<string, any> {
  const manifest = 'manifest' in o ? o.manifest : o;
  return isRecord(manifest.spec) ? manifest.spec : {};
}

/** Strings of a list field; anything else in it is ignored. */
export function strings(x: unknown): string[] {
  return asArray(x).filter((s): s is string => typeof s === 'string');
}

/** Is the object visible in `namespace` by its `exportTo` (unset or `*`: everywhere)? */
export function isVisibleIn(o: LoadedObject, namespace: string): boolean {
  return isManifestVisibleIn(o.manifest, namespace);
}

/** Does an object's host (possibly a wildcard) cover `host`? */
export function covers(objectHost: string, host: string): boolean {
  return hostSubsetOf(host, objectHost);
}

/** The gateways a VirtualService is bound to, namespace-qualified; `mesh` when it names none. */
export function boundGateways(vs: LoadedObject): string[] {
  const gateways = strings(specOf(vs).gateways);
  return gateways.length === 0 ? [MESH] : gateways.map(g => qualifyGateway(g, namespaceOf(vs)));
}

/** A gateway reference as Istio resolves it (`mesh` stays as it is). */
export function qualifyGateway(ref: string, namespace: string): string {
  return ref === MESH ? ref : resolveGatewayRef(ref, namespace);
}

/** Sorts objects by a preference (lower first), then by reference, so that choices are deterministic. */
export function byPreference<T extends LoadedObject>(objects: T[], rank: (o: T) => number): T[] {
  return [...objects].sort((a, b) => rank(a) - rank(b) || compareStrings(refOf(a), refOf(b)));
}

/** A port number field: a number, or undefined. */
export function portNumber(x: unknown): number | undefined {
  return typeof x === 'number' ? x : undefined;
}
