/**
 * Property: the rules never crash. `lintObjects` (each object's rules and the rules across objects) and
 * `formatFinding` take any JSON shaped like Istio manifests (the CLI lints whatever YAML it is given)
 * and return well-formed findings; they never throw.
 *
 * Three sources of input: arbitrary values (fc.jsonValue and fc.anything) under the spec and metadata of
 * each Istio kind; values built from the words the rules look for (field names, modes, host forms); and
 * the manifests of valid apps with random fields replaced or removed, which reach the deeper rules and
 * the references between objects.
 */
import * as fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { lintObjects } from '../../src/analysis';
import { formatFinding } from '../../src/rules';
import { buildApp, fuzzParameters, numRuns, timeoutFor, validAppSpec } from '../support/arbitraries';

const RUNS = numRuns();

const KINDS: Array<[string, string[]]> = [
  ['ServiceEntry', ['networking.istio.io/v1', 'networking.istio.io/v1beta1', 'networking.istio.io/v1alpha3']],
  ['Gateway', ['networking.istio.io/v1', 'networking.istio.io/v1beta1']],
  ['VirtualService', ['networking.istio.io/v1', 'networking.istio.io/v1beta1']],
  ['DestinationRule', ['networking.istio.io/v1', 'networking.istio.io/v1beta1']],
  ['Sidecar', ['networking.istio.io/v1', 'networking.istio.io/v1beta1']],
  ['AuthorizationPolicy', ['security.istio.io/v1', 'security.istio.io/v1beta1']],
];

/**
 * A deep copy made of plain objects and arrays. Values inserted by a mutation must not be changed by the next one (fast-check
 * replays them while shrinking), and parsers never make objects without a prototype.
 */
function copyOf(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(copyOf);
  }
  if (typeof value === 'object' && value !== null) {
    const copy: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      Object.defineProperty(copy, k, { value: copyOf(v), enumerable: true, writable: true, configurable: true });
    }
    return copy;
  }
  return value;
}

const FIELDS = [
  'hosts', 'ports', 'number', 'name', 'protocol', 'targetPort', 'resolution', 'location', 'addresses', 'endpoints', 'address', 'network',
  'exportTo', 'workloadSelector', 'labels', 'selector', 'servers', 'port', 'tls', 'mode', 'credentialName', 'credentialNames', 'gateways', 'http',
  'tcp', 'match', 'route', 'destination', 'host', 'subset', 'weight', 'sniHosts', 'timeout', 'retries', 'attempts', 'perTryTimeout', 'subsets',
  'trafficPolicy', 'portLevelSettings', 'connectionPool', 'outlierDetection', 'interval', 'egress', 'outboundTrafficPolicy', 'egressProxy',
  'rules', 'from', 'to', 'when', 'source', 'principals', 'namespaces', 'serviceAccounts', 'operation', 'key', 'values', 'notValues', 'action',
  'matchLabels', 'caCertificates', 'insecureSkipVerify', 'subjectAltNames', 'sni', 'delegate', 'ipBlocks', 'bind', 'redirect', 'directResponse',
  'targetRefs', 'targetRef', 'destinationSubnets', 'sourceLabels', 'namespace', '__proto__', 'constructor', 'hasOwnProperty',
];

const WORDS = [
  '', '*', 'mesh', '.', '~', '*/*', './*', 'a.com', '*.a.com', '*a.com', 'a.*.com', 'istio-system/gw', 'ns/*', 'ns/', '/x', 'TCP', 'tcp', 'HTTP',
  'HTTPS', 'TLS', 'GRPC', 'Mongo', 'UDP', 'ISTIO_MUTUAL', 'SIMPLE', 'MUTUAL', 'PASSTHROUGH', 'DISABLE', 'NONE', 'DNS', 'STATIC', 'DNS_ROUND_ROBIN',
  'DYNAMIC_DNS', 'MESH_EXTERNAL', 'REGISTRY_ONLY', 'ALLOW_ANY', 'ALLOW', 'DENY', 'CUSTOM', 'AUDIT', 'connection.sni', 'source.ip', 'request.headers[x]',
  '10.0.0.0/8', '10.0.0.1', '::1', '5s', '0s', '1ms', '1h2m', 'svc.ns.svc.cluster.local', 'istio-egressgateway.istio-system.svc.cluster.local',
  'cluster.local/ns/a/sa/b', 'unix:///var/run/x.sock', 'constructor', '__proto__', 'toString', '443', '-1',
];

/** Values made of the words and field names the rules look for, nested a few levels deep. */
const shapedValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown; leaf: unknown; list: unknown[]; record: Record<string, unknown> }>(tie => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, tie('leaf'), tie('list'), tie('record')),
  leaf: fc.oneof(
    fc.constantFrom(...WORDS), fc.string({ maxLength: 12 }), fc.integer({ min: -70000, max: 70000 }),
    fc.constantFrom(0, 1, 80, 443, 65535, 65536, 1.5, NaN),
    fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined),
  ),
  list: fc.array(tie('value'), { maxLength: 4 }),
  record: fc.dictionary(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...FIELDS) }, { weight: 1, arbitrary: fc.string({ maxLength: 8 }) }),
    tie('value'), { maxKeys: 5, noNullPrototype: true }),
})).value;

/** Keys that make String(object) throw when their value is not a function (see the skipped property at the end). */
const STRINGIFY_KEYS = ['toString', 'valueOf'];

function hasStringifyKey(value: unknown): boolean {
  if (Array.isArray(value)) {
    return value.some(hasStringifyKey);
  }
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).some(([k, v]) => STRINGIFY_KEYS.includes(k) || hasStringifyKey(v));
  }
  return false;
}

/**
 * Any value that YAML or JSON parsing can produce, and more (undefined, NaN, sparse arrays). Objects
 * without a prototype are left out (parsers never make them), and so are objects with a `toString` or
 * `valueOf` key, which a skipped property below covers.
 */
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  shapedValue,
  fc.jsonValue({ maxDepth: 4 }).map(copyOf),
  fc.anything({ maxDepth: 3, withObjectString: true, withSparseArray: true }).map(copyOf),
).filter(v => !hasStringifyKey(v));

const metadata: fc.Arbitrary<unknown> = fc.oneof(
  fc.record({
    name: fc.oneof(fc.constantFrom('a', 'x-egress', 'Bad_Name', ''), anyValue),
    namespace: fc.oneof(fc.constantFrom('default', 'istio-system', 'shop'), anyValue),
    labels: anyValue,
    annotations: anyValue,
  }, { requiredKeys: [], noNullPrototype: true }),
  anyValue,
);

/** An object of one of the Istio kinds (apiVersion and kind as Istio has them), with anything under metadata and spec. */
const istioObject: fc.Arbitrary<any> = fc.constantFrom(...KINDS).chain(([kind, versions]) => fc.record({
  apiVersion: fc.constantFrom(...versions),
  kind: fc.constant(kind),
  metadata,
  spec: anyValue,
}, { requiredKeys: ['apiVersion', 'kind'], noNullPrototype: true }));

/** Like istioObject, but apiVersion and kind may be anything too (a number, an object, `constructor`, ...). */
const oddObject: fc.Arbitrary<any> = fc.constantFrom(...KINDS).chain(([kind, versions]) => fc.record({
  apiVersion: fc.oneof(fc.constantFrom(...versions), anyValue),
  kind: fc.oneof(fc.constant(kind), fc.constantFrom(...Object.getOwnPropertyNames(Object.prototype)), anyValue),
  metadata,
  spec: anyValue,
}, { requiredKeys: [], noNullPrototype: true }));

/** A corpus of valid manifests (from a fixed sample of valid apps), to mutate. */
const corpus: any[][] = fc.sample(validAppSpec({ maxUnits: 3 }), { numRuns: 12, seed: 20_260_101 })
  .map(spec => parseAllDocuments(buildApp(spec).synthYaml()).map(d => d.toJSON()));

/** Every path to a value inside `value` (object keys and array indexes). */
function paths(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (Array.isArray(value)) {
    return value.flatMap((v, i) => [[...prefix, i], ...paths(v, [...prefix, i])]);
  }
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...paths(v, [...prefix, k])]);
  }
  return [];
}

interface Mutation {
  readonly object: number;
  readonly path: number;
  /** The replacement value; `remove` deletes the field (or array element). */
  readonly replacement: { readonly remove: true } | { readonly value: unknown };
}

function mutate(objects: any[], mutations: Mutation[]): any[] {
  const copy = copyOf(objects) as any[];
  for (const m of mutations) {
    const object = copy[m.object % copy.length];
    // apiVersion and kind stay as Istio has them (see the skipped property below for what else happens).
    const all = paths(object).filter(p => p.length > 1 || (p[0] !== 'apiVersion' && p[0] !== 'kind'));
    if (all.length === 0) {
      continue;
    }
    const path = all[m.path % all.length];
    const parent = path.slice(0, -1).reduce((node: any, key) => node[key], object);
    const key = path[path.length - 1];
    if ('remove' in m.replacement) {
      if (Array.isArray(parent)) {
        parent.splice(Number(key), 1);
      } else {
        delete parent[key];
      }
    } else {
      Object.defineProperty(parent, key, { value: copyOf(m.replacement.value), enumerable: true, writable: true, configurable: true });
    }
  }
  return copy;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  object: fc.nat(),
  path: fc.nat(),
  replacement: fc.oneof(
    { weight: 1, arbitrary: fc.constant({ remove: true as const }) },
    { weight: 4, arbitrary: anyValue.map(value => ({ value })) },
  ),
});

const mutatedCorpus: fc.Arbitrary<any[]> = fc.tuple(fc.nat({ max: corpus.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }))
  .map(([app, mutations]) => mutate(corpus[app], mutations));

const gatewayPods = fc.option(fc.array(fc.dictionary(fc.constantFrom('istio', 'app'), fc.constantFrom('egressgateway', 'egress', '')), { maxLength: 2 }),
  { nil: undefined });

/** lintObjects returns findings (well formed, each about one of the objects) and formatFinding renders each one. */
function expectWellFormedFindings(objects: any[], pods: Array<Record<string, string>> | undefined): void {
  const findings = lintObjects(objects, pods === undefined ? {} : { gatewayPods: pods });
  expect(Array.isArray(findings)).toBe(true);
  for (const f of findings) {
    expect(Number.isInteger(f.index) && f.index >= 0 && f.index < objects.length).toBe(true);
    expect(['error', 'warning']).toContain(f.severity);
    expect(typeof f.rule).toBe('string');
    expect(typeof f.field).toBe('string');
    expect(typeof f.message).toBe('string');
    expect(typeof f.fix).toBe('string');
    expect(typeof f.crossObject).toBe('boolean');
    expect(typeof formatFinding(f)).toBe('string');
  }
}

describe('the rules never crash', () => {
  test('on arbitrary values under spec and metadata of each Istio kind', () => {
    fc.assert(fc.property(fc.array(istioObject, { minLength: 1, maxLength: 6 }), gatewayPods, expectWellFormedFindings), fuzzParameters(RUNS));
  }, timeoutFor(RUNS, 10));

  test('on the manifests of valid apps with random fields replaced or removed', () => {
    fc.assert(fc.property(mutatedCorpus, gatewayPods, expectWellFormedFindings), fuzzParameters(RUNS));
  }, timeoutFor(RUNS, 10));

});

describe('odd JSON that used to crash the rules (regressions found by these properties, now findings)', () => {
  // Was a bug: the rules' messages turn values into text with String(value) and template literals, which throws a TypeError
  // ("Cannot convert object to primitive value") for a JSON object with a `toString` or `valueOf` key whose value is not a
  // function. Such YAML crashes lintObjects instead of giving a finding, e.g.
  //   lintObjects([{ apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { namespace: { toString: false } } },
  //                { apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry' }])     (src/rules/object-index.ts label())
  //   a ServiceEntry with spec.ports[0].number = { toString: false }                   (src/rules/names.ts checkPortNumber())
  test('values with `toString` or `valueOf` keys under spec and metadata', () => {
    const trap = fc.dictionary(fc.constantFrom(...STRINGIFY_KEYS), fc.jsonValue({ maxDepth: 1 }).map(copyOf), { minKeys: 1, noNullPrototype: true });
    const field = fc.oneof(trap, anyValue);
    const spec = fc.dictionary(fc.constantFrom(...FIELDS), fc.oneof(field, fc.array(fc.dictionary(fc.constantFrom(...FIELDS), field,
      { noNullPrototype: true }), { maxLength: 2 })), { noNullPrototype: true });
    const withKeys = fc.constantFrom(...KINDS).chain(([kind, versions]) => fc.record({
      apiVersion: fc.constantFrom(...versions),
      kind: fc.constant(kind),
      metadata: fc.record({ name: field, namespace: field }, { noNullPrototype: true }),
      spec,
    }, { noNullPrototype: true }));
    fc.assert(fc.property(fc.array(withKeys, { minLength: 1, maxLength: 4 }), gatewayPods, expectWellFormedFindings), fuzzParameters(RUNS));
  }, timeoutFor(RUNS, 10));

  // Was a bug: lintObjects (and so `cdk8s-istio-egress lint` on any YAML) throws when apiVersion is not a string:
  // src/rules/index.ts checkObject calls manifest.apiVersion?.includes('istio.io/'), so
  //   lintObjects([{ apiVersion: {}, kind: 'Sidecar' }])        -> TypeError: manifest.apiVersion?.includes is not a function
  //   lintObjects([{ apiVersion: 1, kind: 'ServiceEntry' }])    -> the same
  // and kinds named like Object.prototype properties are looked up in the CHECKS object literal:
  //   lintObjects([{ apiVersion: 'networking.istio.io/v1', kind: 'constructor' }]) -> TypeError (Object(manifest) is not iterable)
  //   lintObjects([{ apiVersion: 'networking.istio.io/v1', kind: 'toString' }])    -> returns the characters of "[object Object]" as findings
  test('any apiVersion and kind, and any JSON in place of the objects', () => {
    fc.assert(fc.property(fc.array(fc.oneof(oddObject, fc.jsonValue({ maxDepth: 3 }).map(copyOf)), { minLength: 1, maxLength: 4 }), gatewayPods,
      expectWellFormedFindings), fuzzParameters(RUNS));
  }, timeoutFor(RUNS, 10));
});
