/**
 * Builds objects with the generated L1 classes (compiled, from lib/imports), as a user without this library would,
 * from plain manifests. Kinds without a generated class (Namespace, IstioOperator) stay plain ApiObjects.
 */
import { ApiObject, ApiObjectMetadata, App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { loadL1Modules } from './package';
import { ChartSpec, Manifest } from './shared';
import type * as types from '../../src/imports/networking.istio.io';

const [networking, security, telemetry] = loadL1Modules();

/**
 * JSON field names whose generated TypeScript property differs (from the converters in src/imports): the L1
 * classes read the TypeScript names and drop the JSON ones, so a user of the L1 classes writes these.
 */
const L1_PROPERTY_NAMES: Record<string, string> = {
  consecutive5xxErrors: 'consecutive5XxErrors',
  mirror_percent: 'mirrorPercent',
};

/** The manifest as L1 props: the same values under the TypeScript property names. Done when loading, not timed. */
export function toL1Names(value: unknown): any {
  if (Array.isArray(value)) {
    return value.map(toL1Names);
  }
  if (value === null || typeof value !== 'object') {
    return value;
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [L1_PROPERTY_NAMES[k] ?? k, toL1Names(v)]));
}

type L1Class = new (scope: Construct, id: string, props: { metadata: ApiObjectMetadata; spec?: unknown }) => ApiObject;

/** Every generated class with a GVK, keyed by `apiVersion/kind`, so that v1 and v1beta1 objects get their own class. */
const L1_CLASSES = new Map<string, L1Class>(
  [networking, security, telemetry].flatMap(module => Object.values(module))
    .filter((c): c is L1Class & { GVK: { apiVersion: string; kind: string } } => typeof c === 'function' && 'GVK' in c)
    .map(c => [`${c.GVK.apiVersion}/${c.GVK.kind}`, c]),
);

/** The typed constructor calls a user would write for the four kinds of a routed host. */
function addTypedV1Object(scope: Construct, id: string, { kind, metadata, spec }: Manifest): ApiObject | undefined {
  switch (kind) {
    case 'ServiceEntry': return new networking.ServiceEntry(scope, id, { metadata, spec: spec as types.ServiceEntrySpec });
    case 'Gateway': return new networking.Gateway(scope, id, { metadata, spec: spec as types.GatewaySpec });
    case 'DestinationRule': return new networking.DestinationRule(scope, id, { metadata, spec: spec as types.DestinationRuleSpec });
    case 'VirtualService': return new networking.VirtualService(scope, id, { metadata, spec: spec as types.VirtualServiceSpec });
    default: return undefined;
  }
}

/** `new ServiceEntry(chart, id, { metadata, spec })` and so on, with the class of the manifest's apiVersion and kind. */
export function addL1Object(scope: Construct, id: string, manifest: Manifest): ApiObject {
  const { apiVersion, kind, metadata, spec, ...rest } = manifest;
  const typed = apiVersion === networking.ServiceEntry.GVK.apiVersion ? addTypedV1Object(scope, id, manifest) : undefined;
  if (typed) {
    return typed;
  }
  const l1 = L1_CLASSES.get(`${apiVersion}/${kind}`);
  if (l1) {
    return new l1(scope, id, { metadata, spec });
  }
  return new ApiObject(scope, id, { apiVersion, kind, metadata, spec, ...rest });
}

export function addL1Chart(app: App, chart: ChartSpec): Chart {
  const scope = new Chart(app, chart.id);
  chart.manifests.forEach((m, i) => addL1Object(scope, `${m.kind}${i}`, m));
  return scope;
}
