/**
 * Property: the rules never crash, and they find what they should. `lintObjects`/`lintObjectSet` (each
 * object's rules and the rules across objects) and `formatFinding` take any JSON shaped like the kinds the
 * library reads (the CLI lints whatever YAML it is given, and `--cluster` adds more) and return well-formed
 * findings; they never throw.
 *
 * The kinds come from the registry (src/rules/kinds.ts): a kind added there is generated here without a
 * change. Four sources of input: arbitrary values (fc.jsonValue and fc.anything) under the metadata, spec and
 * top-level fields of each registered kind, with served and unserved apiVersions; values built from the words
 * the rules look for (field names, modes, host forms, annotations, labels); the manifests of valid apps, of
 * the sample-shaped fixtures and of a seed object per kind with random fields replaced or removed; and random
 * objects that exist in the cluster (`AnalysisContext.cluster`).
 *
 * So that the properties cannot pass by finding nothing, each run of the last group also holds an object with a
 * known defect, drawn from a table per kind (every kind with webhook rules gets an unserved apiVersion, a bad
 * name and an unknown field; the Kubernetes kinds that only the analysis reads get cross-object defects),
 * and that defect's rule must be found at that object and field, and not found once the defect is repaired.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject } from 'cdk8s';
import * as fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { AnalysisContext, IndexedFinding, lintObjectSet, lintObjects } from '../../src/analysis';
import { KINDS, KindDefinition, KindKey, Manifest, apiVersionOf, formatFinding } from '../../src/rules';
import { buildApp, fuzzParameters, numRuns, timeoutFor, validAppSpec } from '../support/arbitraries';

const RUNS = numRuns();

/** Every registered kind, in registry order. */
const REGISTRY = Object.entries(KINDS) as Array<[KindKey, KindDefinition]>;

const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype);

/**
 * A deep copy made of plain objects and arrays. Values inserted by a mutation must not be changed by the next one (fast-check
 * replays them while shrinking), and parsers never make objects without a prototype. Keys such as `__proto__` stay own keys.
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

/** `object` with `key` set as an own property (also for `__proto__`), as a parser would make it. */
function withOwn(object: Record<string, any>, key: string, value: unknown): any {
  const copy = copyOf(object) as Record<string, any>;
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

const FIELDS = [
  'hosts', 'ports', 'number', 'name', 'protocol', 'targetPort', 'resolution', 'location', 'addresses', 'endpoints', 'address', 'network',
  'exportTo', 'workloadSelector', 'labels', 'selector', 'servers', 'port', 'tls', 'mode', 'credentialName', 'credentialNames', 'gateways', 'http',
  'tcp', 'match', 'route', 'destination', 'host', 'subset', 'weight', 'sniHosts', 'timeout', 'retries', 'attempts', 'perTryTimeout', 'subsets',
  'trafficPolicy', 'portLevelSettings', 'connectionPool', 'outlierDetection', 'interval', 'egress', 'outboundTrafficPolicy', 'egressProxy',
  'rules', 'from', 'to', 'when', 'source', 'principals', 'namespaces', 'serviceAccounts', 'operation', 'key', 'values', 'notValues', 'action',
  'matchLabels', 'caCertificates', 'insecureSkipVerify', 'subjectAltNames', 'sni', 'delegate', 'ipBlocks', 'bind', 'redirect', 'directResponse',
  'targetRefs', 'targetRef', 'destinationSubnets', 'sourceLabels', 'namespace', 'accessLogging', 'providers', 'metrics', 'tracing', 'filter',
  // Kubernetes kinds: Services, workloads, Endpoints, Secrets, NetworkPolicies.
  'template', 'metadata', 'spec', 'containers', 'type', 'externalName', 'clusterIP', 'appProtocol', 'ip', 'podSelector', 'namespaceSelector',
  'policyTypes', 'ingress', 'ipBlock', 'cidr', 'except', 'data', 'annotations', 'matchExpressions',
  ...PROTOTYPE_NAMES.filter(n => !['toString', 'valueOf', 'toLocaleString'].includes(n)), '__proto__',
];

const WORDS = [
  '', '*', 'mesh', '.', '~', '*/*', './*', 'a.com', '*.a.com', '*a.com', 'a.*.com', 'istio-system/gw', 'ns/*', 'ns/', '/x', 'TCP', 'tcp', 'HTTP',
  'HTTPS', 'TLS', 'GRPC', 'Mongo', 'UDP', 'ISTIO_MUTUAL', 'SIMPLE', 'MUTUAL', 'PASSTHROUGH', 'DISABLE', 'NONE', 'DNS', 'STATIC', 'DNS_ROUND_ROBIN',
  'DYNAMIC_DNS', 'MESH_EXTERNAL', 'REGISTRY_ONLY', 'ALLOW_ANY', 'ALLOW', 'DENY', 'CUSTOM', 'AUDIT', 'connection.sni', 'source.ip', 'request.headers[x]',
  '10.0.0.0/8', '10.0.0.1', '::1', '5s', '0s', '1ms', '1h2m', 'svc.ns.svc.cluster.local', 'istio-egressgateway.istio-system.svc.cluster.local',
  'cluster.local/ns/a/sa/b', 'unix:///var/run/x.sock', 'constructor', '__proto__', 'toString', '443', '-1', 'reviews', 'reviews.default',
  'reviews.default.svc.cluster.local', 'ExternalName', 'ClusterIP', 'kubernetes.io/tls', 'Ingress', 'Egress', 'egressgateway', 'envoy',
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
})).value.map(copyOf);

/** Keys that make String(object) throw when their value is not a function (covered apart, at the end). */
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
 * Any value that YAML or JSON parsing can produce, and more (undefined, NaN, sparse arrays, nested nulls). Objects
 * without a prototype are left out (parsers never make them), and so are objects with a `toString` or `valueOf`
 * key, which a property below covers.
 */
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  shapedValue,
  fc.jsonValue({ maxDepth: 4 }).map(copyOf),
  fc.anything({ maxDepth: 3, withObjectString: true, withSparseArray: true }).map(copyOf),
).filter(v => !hasStringifyKey(v));

/** A name or namespace: plausible, invalid, named like an Object.prototype member, or anything. */
const nameLike: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('a', 'x-egress', 'default', 'istio-system', 'shop', 'reviews', 'egressgateway') },
  { weight: 1, arbitrary: fc.constantFrom('Bad_Name', '', 'a.b', '__proto__', 'constructor', 'hasOwnProperty', 'toString') },
  { weight: 1, arbitrary: anyValue },
);

/** Labels and annotations the rules read (pod labels, `networking.istio.io/exportTo`, dry-run, injection), with hostile values. */
const LABEL_KEYS = ['app', 'istio', 'version', 'istio-injection', 'istio.io/rev', 'istio.io/dataplane-mode', '__proto__', 'constructor', ''];
const ANNOTATION_KEYS = ['networking.istio.io/exportTo', 'istio.io/dry-run', 'internal.istio.io/parents', 'sidecar.istio.io/inject',
  'kubernetes.io/service-account.name', '__proto__', 'hasOwnProperty'];
const labelValue = fc.oneof({ weight: 3, arbitrary: fc.constantFrom('egressgateway', 'enabled', 'v1', '', '.', '*', '~', ' . , shop', 'shop,default', ',', 'true') },
  { weight: 1, arbitrary: anyValue });
const stringMap = (keys: string[]) => fc.oneof(
  { weight: 3, arbitrary: fc.dictionary(fc.constantFrom(...keys), labelValue, { maxKeys: 3, noNullPrototype: true }).map(copyOf) },
  { weight: 1, arbitrary: anyValue },
);

const metadata: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ name: nameLike, namespace: nameLike, labels: stringMap(LABEL_KEYS), annotations: stringMap(ANNOTATION_KEYS) },
      { requiredKeys: [], noNullPrototype: true }),
  },
  { weight: 1, arbitrary: anyValue },
);

/** Versions the API server does not serve (of a known group and kind), besides odd spellings. */
const ODD_VERSIONS = ['v2', 'v1alpha1', 'v1beta2', 'v3alpha9', 'V1', 'v1 ', '', 'v1/v1', '1', 'v1beta1'];

const apiVersionArbitraries = new Map<KindDefinition, fc.Arbitrary<string>>();

/** Served, legacy and unserved apiVersions of a kind's group (and its group without a version); built once per kind (stringMatching is costly to build). */
function apiVersions(kind: KindDefinition): fc.Arbitrary<string> {
  const cached = apiVersionArbitraries.get(kind);
  if (cached) {
    return cached;
  }
  const served = [...kind.versions, ...(kind.legacyVersion ? [kind.legacyVersion] : [])].map(v => apiVersionOf(kind, v));
  const odd = [...ODD_VERSIONS.map(v => apiVersionOf(kind, v)), ...(kind.group === '' ? [] : [kind.group, `${kind.group}/`])];
  const arbitrary = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...served) },
    { weight: 1, arbitrary: fc.constantFrom(...odd) },
    { weight: 1, arbitrary: fc.stringMatching(/^v[0-9](alpha|beta)?[0-9]?$/).map(v => apiVersionOf(kind, v)) },
  );
  apiVersionArbitraries.set(kind, arbitrary);
  return arbitrary;
}

/** Top-level fields besides apiVersion, kind, metadata and spec: those of core kinds, and unknown ones. */
// '' (an empty key) is among them: its finding's field is [""] (it once came out empty).
const TOP_LEVEL = ['data', 'stringData', 'type', 'subsets', 'immutable', 'status', 'specs', '__proto__', 'constructor', ''];

/** An object of a registered kind (its kind, a served or unserved version of its group) with anything in its fields. */
const topLevelExtra = fc.option(fc.dictionary(fc.constantFrom(...TOP_LEVEL), anyValue, { minKeys: 1, maxKeys: 2, noNullPrototype: true }),
  { nil: undefined, freq: 4 });
const registryObject: fc.Arbitrary<any> = fc.oneof(...REGISTRY.map(([, kind]) => fc.record({
  apiVersion: apiVersions(kind),
  kind: fc.constant(kind.kind),
  metadata,
  spec: anyValue,
  extra: topLevelExtra,
}, { requiredKeys: ['apiVersion', 'kind'], noNullPrototype: true }).map(({ extra, ...object }) => copyOf({ ...object, ...(extra ?? {}) }))));

/** Like registryObject, but apiVersion and kind may be anything too (a number, an object, `constructor`, ...). */
const oddObject: fc.Arbitrary<any> = fc.oneof(...REGISTRY.map(([, kind]) => fc.record({
  apiVersion: fc.oneof(apiVersions(kind), anyValue),
  kind: fc.oneof(fc.constant(kind.kind), fc.constantFrom(...PROTOTYPE_NAMES), anyValue),
  metadata,
  spec: anyValue,
}, { requiredKeys: [], noNullPrototype: true }).map(copyOf)));

// -----------------------------------------------------------------------------------------------
// Seeds: one plausible object per kind (and the fixtures, and valid apps) to mutate and to put defects in
// -----------------------------------------------------------------------------------------------

const meta = (name: string, namespace: string) => ({ name, namespace });

/**
 * One plausible object per kind, each clean on its own for the rules the defects below name. A kind without a
 * seed here still gets one (apiVersion, kind, metadata), so that a newly registered kind is mutated too.
 */
const SEEDS: Partial<Record<KindKey, Manifest & Record<string, any>>> = {
  serviceEntry: { metadata: meta('api', 'shop'), spec: { hosts: ['api.example.com'], ports: [{ number: 443, name: 'tls', protocol: 'TLS' }], resolution: 'DNS', location: 'MESH_EXTERNAL' } },
  gateway: { metadata: meta('egress', 'istio-system'), spec: { selector: { istio: 'egressgateway' }, servers: [{ port: { number: 443, name: 'tls', protocol: 'TLS' }, hosts: ['api.example.com'], tls: { mode: 'PASSTHROUGH' } }] } },
  virtualService: {
    metadata: meta('api', 'shop'),
    spec: { hosts: ['api.example.com'], tls: [{ match: [{ port: 443, sniHosts: ['api.example.com'] }], route: [{ destination: { host: 'api.example.com', port: { number: 443 } } }] }] },
  },
  destinationRule: { metadata: meta('api', 'shop'), spec: { host: 'api.example.com', trafficPolicy: { connectionPool: { tcp: { maxConnections: 10 } } } } },
  sidecar: { metadata: meta('default', 'shop'), spec: { egress: [{ hosts: ['./*', 'istio-system/*'] }], outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } } },
  authorizationPolicy: { metadata: meta('allow-shop', 'istio-system'), spec: { action: 'ALLOW', rules: [{ from: [{ source: { namespaces: ['shop'] } }] }] } },
  telemetry: { metadata: meta('access-log', 'istio-system'), spec: { accessLogging: [{ providers: [{ name: 'envoy' }] }] } },
  namespace: { metadata: { name: 'shop', labels: { 'istio-injection': 'enabled' } } },
  service: { metadata: meta('reviews', 'shop'), spec: { selector: { app: 'reviews' }, ports: [{ name: 'http', port: 9080, targetPort: 9080 }] } },
  endpoints: { metadata: meta('legacy', 'shop'), subsets: [{ addresses: [{ ip: '10.0.0.7' }], ports: [{ name: 'http', port: 8080 }] }] },
  endpointSlice: {
    metadata: { ...meta('legacy', 'shop'), labels: { 'kubernetes.io/service-name': 'legacy' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: ['10.0.0.7'] }],
    ports: [{ name: 'http', port: 8080 }],
  },
  secret: { metadata: meta('api-credential', 'istio-system'), type: 'kubernetes.io/tls', data: { 'tls.crt': 'Y2VydA==', 'tls.key': 'a2V5' } },
  pod: { metadata: { ...meta('egress-0', 'istio-system'), labels: { istio: 'egressgateway' } }, spec: { containers: [{ name: 'istio-proxy', image: 'istio/proxyv2' }] } },
  deployment: workloadSeed('deployment'),
  statefulSet: workloadSeed('statefulSet'),
  daemonSet: workloadSeed('daemonSet'),
  networkPolicy: { metadata: meta('egress', 'shop'), spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }] } },
  k8sGateway: {
    metadata: meta('egress', 'istio-egress'),
    spec: { gatewayClassName: 'istio', listeners: [{ name: 'tls', port: 443, protocol: 'TLS', hostname: 'api.example.com', tls: { mode: 'Passthrough' } }] },
  },
  httpRoute: { metadata: meta('api', 'shop'), spec: { parentRefs: [{ name: 'egress', namespace: 'istio-egress' }], rules: [{ backendRefs: [{ name: 'api', port: 80 }] }] } },
  grpcRoute: { metadata: meta('api', 'shop'), spec: { parentRefs: [{ name: 'egress', namespace: 'istio-egress' }], rules: [{ backendRefs: [{ name: 'api', port: 80 }] }] } },
  tlsRoute: {
    metadata: meta('api', 'shop'),
    spec: { parentRefs: [{ name: 'egress', namespace: 'istio-egress' }], hostnames: ['api.example.com'], rules: [{ backendRefs: [{ name: 'api', port: 443 }] }] },
  },
  tcpRoute: { metadata: meta('db', 'shop'), spec: { parentRefs: [{ name: 'egress', namespace: 'istio-egress' }], rules: [{ backendRefs: [{ name: 'db', port: 5432 }] }] } },
  referenceGrant: {
    metadata: meta('from-shop', 'istio-egress'),
    spec: { from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'shop' }], to: [{ group: '', kind: 'Service' }] },
  },
  backendTlsPolicy: {
    metadata: meta('api', 'shop'),
    spec: { targetRefs: [{ group: '', kind: 'Service', name: 'api' }], validation: { hostname: 'api.example.com', wellKnownCACertificates: 'System' } },
  },
};

function workloadSeed(key: KindKey): Manifest {
  return {
    metadata: meta(`${key.toLowerCase()}-egress`, 'istio-system'),
    spec: {
      selector: { matchLabels: { istio: 'egressgateway' } },
      template: { metadata: { labels: { istio: 'egressgateway' } }, spec: { containers: [{ name: 'istio-proxy', image: 'istio/proxyv2' }] } },
    },
  };
}

/** The seed of a kind, with its newest served apiVersion and its kind. */
function seedOf(key: KindKey): any {
  const kind = KINDS[key];
  return copyOf({ apiVersion: apiVersionOf(kind, kind.versions[0]), kind: kind.kind, metadata: meta(`a-${key.toLowerCase()}`, 'shop'), ...SEEDS[key] });
}

const SAMPLES = path.join(__dirname, '..', 'fixtures', 'samples');
const sampleObjects: any[][] = fs.readdirSync(SAMPLES).filter(f => f.endsWith('.yaml')).sort()
  .map(f => parseAllDocuments(fs.readFileSync(path.join(SAMPLES, f), 'utf8')).map(d => d.toJSON()).filter(Boolean));

/** The manifests of an app as its objects render them (without synth's validation: only their shape matters here). */
const appObjects: any[][] = fc.sample(validAppSpec({ maxUnits: 3 }), { numRuns: 12, seed: 20_260_101 })
  .map(spec => buildApp(spec).node.findAll().filter((c): c is ApiObject => c instanceof ApiObject).map(o => o.toJson()));

/** A corpus of plausible manifests to mutate: valid apps, the sample-shaped fixtures, and every kind's seed. */
const corpus: any[][] = [...appObjects, ...sampleObjects, REGISTRY.map(([key]) => seedOf(key))].map(objects => copyOf(objects) as any[]);

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
  /** The replacement value; `remove` deletes the field (or array element); `version` sets another version of the object's group. */
  readonly replacement: { readonly remove: true } | { readonly value: unknown } | { readonly version: string };
}

function mutate(objects: any[], mutations: Mutation[]): any[] {
  const copy = copyOf(objects) as any[];
  for (const m of mutations) {
    const object = copy[m.object % copy.length];
    if ('version' in m.replacement) {
      const apiVersion = String(object.apiVersion);
      object.apiVersion = apiVersion.includes('/') ? `${apiVersion.slice(0, apiVersion.lastIndexOf('/'))}/${m.replacement.version}` : m.replacement.version;
      continue;
    }
    // apiVersion and kind stay (see oddObject for what else happens).
    const all = paths(object).filter(p => p.length > 1 || (p[0] !== 'apiVersion' && p[0] !== 'kind'));
    if (all.length === 0) {
      continue;
    }
    const at = all[m.path % all.length];
    const parent = at.slice(0, -1).reduce((node: any, key) => node[key], object);
    const key = at[at.length - 1];
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
    { weight: 2, arbitrary: fc.constant({ remove: true as const }) },
    { weight: 8, arbitrary: anyValue.map(value => ({ value })) },
    { weight: 1, arbitrary: fc.constantFrom(...ODD_VERSIONS).map(version => ({ version })) },
  ),
});

const mutatedCorpus: fc.Arbitrary<any[]> = fc.tuple(fc.nat({ max: corpus.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }))
  .map(([app, mutations]) => mutate(corpus[app], mutations));

const gatewayPods = fc.option(fc.array(fc.dictionary(fc.constantFrom('istio', 'app'), fc.constantFrom('egressgateway', 'egress', '')), { maxLength: 2 }),
  { nil: undefined });

/** Objects that exist in the cluster: any of the above, and values that are no objects at all. */
const clusterObjects: fc.Arbitrary<any[] | undefined> = fc.option(fc.array(fc.oneof(
  { weight: 3, arbitrary: registryObject },
  { weight: 2, arbitrary: fc.tuple(mutatedCorpus, fc.nat()).map(([objects, i]) => objects[i % objects.length]) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).map(copyOf) },
), { maxLength: 4 }), { nil: undefined, freq: 2 });

const context: fc.Arbitrary<AnalysisContext> = fc.record({ gatewayPods, cluster: clusterObjects }, { requiredKeys: [], noNullPrototype: true })
  .map(c => Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined)) as AnalysisContext);

/** Codes as src/rules/codes.ts makes them: Istio's IST0000 codes and the library's EGR000 codes. */
const CODE = /^(IST\d{4}|EGR\d{3})$/;

const nonEmpty = (x: unknown) => typeof x === 'string' && x.length > 0;

/** Throws with the finding when it is not well formed, or says a rule crashed (a message that names the finding shrinks better than an expect). */
function checkFinding(f: IndexedFinding, objects: any[]): void {
  const count = objects.length;
  const problems = [
    Number.isInteger(f.index) && f.index >= 0 && f.index < count ? undefined : `index ${f.index} is not one of the ${count} objects`,
    nonEmpty(f.code) && CODE.test(f.code!) ? undefined : `code ${JSON.stringify(f.code)}`,
    nonEmpty(f.rule) ? undefined : 'no rule',
    // lintObjects turns a rule that throws into an UNCHECKABLE finding: here that is a crash.
    f.rule === 'UNCHECKABLE' ? `a rule threw: ${f.message}` : undefined,
    ['error', 'warning'].includes(f.severity) ? undefined : `severity ${JSON.stringify(f.severity)}`,
    nonEmpty(f.field) ? undefined : `field ${JSON.stringify(f.field)}`,
    nonEmpty(f.message) ? undefined : 'no message',
    nonEmpty(f.fix) ? undefined : 'no fix',
    typeof f.crossObject === 'boolean' ? undefined : 'crossObject is not a boolean',
    nonEmpty(formatFinding(f)) ? undefined : 'formatFinding gave no text',
  ].filter(p => p !== undefined);
  if (problems.length > 0) {
    throw new Error(`a malformed finding (${problems.join('; ')}): ${JSON.stringify({ ...f, value: undefined })}`);
  }
}

/**
 * lintObjectSet returns findings (well formed, each about one of the objects, never about a cluster object),
 * references it could not check (each about one of the objects), and formatFinding renders each finding.
 */
function expectWellFormedFindings(objects: any[], ctx: AnalysisContext = {}): void {
  const result = lintObjectSet(objects, ctx);
  expect(Array.isArray(result.findings)).toBe(true);
  result.findings.forEach(f => checkFinding(f, objects));
  for (const u of result.unchecked) {
    if (!(Number.isInteger(u.index) && u.index >= 0 && u.index < objects.length && nonEmpty(u.field) && nonEmpty(u.host) && nonEmpty(u.namespace))) {
      throw new Error(`a malformed unchecked reference: ${JSON.stringify(u)}`);
    }
  }
}

// -----------------------------------------------------------------------------------------------
// Known defects, per kind
// -----------------------------------------------------------------------------------------------

/** The finding a defect must produce. */
interface Expected {
  readonly rule: string;
  readonly code: string;
  readonly field: string;
  /** Text the finding's message contains. */
  readonly message: string;
}

/** Objects with a defect, the same objects repaired, and the finding the defect gives (about objects[at]). */
interface DefectCase {
  readonly defect: string;
  readonly objects: Manifest[];
  readonly cluster: Manifest[];
  readonly repaired: { readonly objects: Manifest[]; readonly cluster: Manifest[] };
  readonly at: number;
  readonly expected: Expected;
}

/** A defect of one object: applied to a seed, it gives `expected`; the seed itself does not. */
interface ObjectDefect {
  readonly defect: string;
  readonly apply: (object: any) => any;
  readonly expected: Expected;
}

const webhookError = (rule: string, field: string, message: string): Expected => ({ rule, code: 'IST0106', field, message });
const withSpec = (change: (spec: any) => any) => (o: any) => ({ ...o, spec: change({ ...o.spec }) });

/** A name the API server refuses: Istio's webhook reports it first for Istio's kinds (IST0106), the API server alone for the others (EGR005). */
function nameError(kind: KindDefinition, rule: string, field: string, message: string) {
  return kind.group.endsWith('istio.io') ? webhookError(rule, field, message) : { rule: 'K8S_NAME', code: 'EGR005', field, message };
}

/** Defects every kind with webhook rules can have. */
function genericDefects(key: KindKey): fc.Arbitrary<ObjectDefect> {
  const kind = KINDS[key];
  const unserved = ['v2', 'v1alpha2', 'v1beta2', 'v3', 'v1beta1', 'v1alpha1', 'v1alpha3'].filter(v => !kind.versions.includes(v));
  const defects: Array<fc.Arbitrary<ObjectDefect>> = [
    fc.constantFrom(...unserved).map(version => ({
      defect: `apiVersion ${apiVersionOf(kind, version)}`,
      apply: (o: any) => ({ ...o, apiVersion: apiVersionOf(kind, version) }),
      expected: { rule: 'API_VERSION', code: 'EGR003', field: 'apiVersion', message: `no matches for kind "${kind.kind}" in version "${apiVersionOf(kind, version)}"` },
    })),
    fc.constantFrom('Bad_Name', 'UPPER', 'a_b', '-a', 'a-', '', 'a..b').map(name => ({
      defect: `metadata.name ${JSON.stringify(name)}`,
      apply: (o: any) => ({ ...o, metadata: { ...o.metadata, name } }),
      expected: nameError(kind, 'META1', 'metadata.name', 'metadata.name must be a lower-case DNS-1123 subdomain'),
    })),
    fc.constantFrom('Shop', 'shop.io', 'shop_1', 'x'.repeat(64)).map(namespace => ({
      defect: `metadata.namespace ${JSON.stringify(namespace)}`,
      apply: (o: any) => ({ ...o, metadata: { ...o.metadata, namespace } }),
      expected: nameError(kind, 'META2', 'metadata.namespace', 'metadata.namespace must be a lower-case DNS-1123 label'),
    })),
  ];
  if (kind.specFields?.p) {
    // Unknown fields, also named like Object.prototype members (the schema's field table is an object too).
    const unknown = fc.constantFrom('hostz', 'selectr', 'constructor', '__proto__', 'hasOwnProperty', 'isPrototypeOf')
      .filter(name => !Object.hasOwn(kind.specFields!.p!, name));
    defects.push(unknown.map(name => ({
      defect: `unknown field spec.${name}`,
      apply: (o: any) => ({ ...o, spec: withOwn(typeof o.spec === 'object' && o.spec !== null ? o.spec : {}, name, 'x') }),
      expected: { rule: 'UNKNOWN_FIELD', code: 'EGR002', field: `spec.${name}`, message: `unknown field "spec.${name}"` },
    })));
    defects.push(fc.constant({
      defect: 'unknown top-level field',
      apply: (o: any) => ({ ...o, specs: { x: 1 } }),
      expected: { rule: 'UNKNOWN_FIELD', code: 'EGR002', field: 'specs', message: 'unknown field "specs"' },
    }));
  }
  return fc.oneof(...defects);
}

/** Defects of one object of a kind, Istio's webhook rules (the seeds are clean for each). */
const OBJECT_DEFECTS: Partial<Record<KindKey, ObjectDefect[]>> = {
  serviceEntry: [
    { defect: 'no hosts', apply: withSpec(s => ({ ...s, hosts: [] })), expected: webhookError('SE1', 'spec.hosts', 'service entry must have at least one host') },
    { defect: 'host *', apply: withSpec(s => ({ ...s, hosts: ['*'] })), expected: webhookError('SE2', 'spec.hosts[0]', 'invalid host *') },
  ],
  gateway: [
    { defect: 'no servers', apply: withSpec(s => ({ ...s, servers: [] })), expected: webhookError('GW2', 'spec.servers', 'gateway must have at least one server') },
  ],
  virtualService: [
    { defect: 'no routes', apply: withSpec(({ tls, ...s }) => s), expected: webhookError('VS7', 'spec', 'http, tcp or tls must be provided in virtual service') },
    {
      defect: 'host * on the mesh',
      apply: withSpec(s => ({ ...s, hosts: ['*'] })),
      expected: webhookError('VS5', 'spec.hosts[0]', 'wildcard host * is not allowed for virtual services bound to the mesh gateway'),
    },
  ],
  destinationRule: [
    { defect: 'no host', apply: withSpec(({ host, ...s }) => s), expected: webhookError('DR1', 'spec.host', 'host is required') },
  ],
  sidecar: [
    { defect: 'empty spec', apply: o => ({ ...o, spec: {} }), expected: webhookError('SC1', 'spec', 'sidecar: empty configuration provided') },
  ],
  authorizationPolicy: [
    { defect: 'unknown action', apply: withSpec(s => ({ ...s, action: 'PERMIT' })), expected: webhookError('AP5', 'spec.action', 'unsupported action PERMIT') },
    { defect: 'DENY without rules', apply: withSpec(({ rules, ...s }) => ({ ...s, action: 'DENY' })), expected: webhookError('AP4', 'spec.rules', 'DENY') },
  ],
  ...Object.fromEntries((['httpRoute', 'grpcRoute', 'tlsRoute', 'tcpRoute'] as const).map(key => [key, [{
    defect: 'a host name as the name of a Service backend',
    apply: withSpec(s => ({ ...s, rules: [{ backendRefs: [{ name: 'api.shop.svc.cluster.local', port: 80 }] }] })),
    expected: { rule: 'GAPI_BACKEND_REF', code: 'EGR146', field: 'spec.rules[0].backendRefs[0].name', message: 'service name invalid' },
  }]])),
  telemetry: [
    {
      defect: 'provider without a name',
      apply: withSpec(s => ({ ...s, accessLogging: [{ providers: [{ name: '' }] }] })),
      expected: webhookError('TEL4', 'spec.accessLogging[0].providers[0].name', 'providers.name may not be empty'),
    },
  ],
};

/** Namespaces for the defects (distinct pairs are drawn). */
const NAMESPACES = ['shop', 'books', 'payments', 'team-a', 'default', 'egress'];
const twoNamespaces = fc.uniqueArray(fc.constantFrom(...NAMESPACES), { minLength: 2, maxLength: 2 });
const serviceName = fc.constantFrom('reviews', 'ratings', 'cart', 'api', 'db-0', 'x');
const port = fc.constantFrom(80, 443, 8080, 9080, 5432, 65535);

const service = (name: string, namespace: string, ports: number[], annotations?: Record<string, string>): Manifest => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace, ...(annotations ? { annotations } : {}) },
  spec: { selector: { app: name }, ports: ports.map((p, i) => ({ name: `http-${i}`, port: p })) },
} as Manifest);

const routeTo = (name: string, namespace: string, destination: Record<string, unknown>): Manifest => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name, namespace },
  spec: { hosts: [`${name}.example.com`], http: [{ route: [{ destination }] }] },
} as Manifest);

const DESTINATION = 'spec.http[0].route[0].destination';

/**
 * A case whose definitions (`defining`) are among the objects or, when `inCluster`, exist in the cluster only
 * (they resolve references the same way). `referring` are always among the objects; `at` indexes them.
 */
function crossCase(defect: string, inCluster: boolean, referring: Manifest[], defining: Manifest[], repairedDefining: Manifest[], at: number,
  expected: Expected, repairedReferring: Manifest[] = referring): DefectCase {
  return inCluster
    ? { defect, objects: referring, cluster: defining, repaired: { objects: repairedReferring, cluster: repairedDefining }, at, expected }
    : {
      defect,
      objects: [...referring, ...defining],
      cluster: [],
      repaired: { objects: [...repairedReferring, ...repairedDefining], cluster: [] },
      at,
      expected,
    };
}

/** A Service hidden by its `networking.istio.io/exportTo` annotation from the namespace of a route to it. */
const hiddenService: fc.Arbitrary<DefectCase> = fc.tuple(twoNamespaces, serviceName, port, fc.boolean(), fc.nat(3))
  .map(([[home, client], name, p, inCluster, form]) => {
    const hiding = ['.', home, ` . , ${NAMESPACES.find(n => n !== home && n !== client)}`, `${home},~`][form];
    const host = `${name}.${home}.svc.cluster.local`;
    return crossCase(`Service ${home}/${name} exported to "${hiding}" only`, inCluster, [routeTo('front', client, { host, port: { number: p } })],
      [service(name, home, [p], { 'networking.istio.io/exportTo': hiding })],
      [service(name, home, [p], { 'networking.istio.io/exportTo': `${hiding},${client}` })], 0,
      { rule: 'IST0101', code: 'IST0101', field: `${DESTINATION}.host`, message: `is not exported to namespace ${client}` });
  });

/** A short name resolves to a Service of the route's namespace: one that namespace does not have is missing. */
const missingShortName: fc.Arbitrary<DefectCase> = fc.tuple(fc.constantFrom(...NAMESPACES),
  fc.uniqueArray(serviceName, { minLength: 2, maxLength: 2 }), port,
  fc.boolean()).map(([namespace, [name, other], p, inCluster]) => crossCase(`short name ${name} in ${namespace}, which has only Service ${other}`, inCluster,
  [routeTo('front', namespace, { host: name, port: { number: p } })], [service(other, namespace, [p])], [service(other, namespace, [p]), service(name, namespace, [p])], 0,
  { rule: 'IST0101', code: 'IST0101', field: `${DESTINATION}.host`, message: `Referenced host not found: "${name}.${namespace}.svc.cluster.local"` }));

/** A route without a port to a Service with two. */
const ambiguousPorts: fc.Arbitrary<DefectCase> = fc.tuple(fc.constantFrom(...NAMESPACES), serviceName,
  fc.uniqueArray(port, { minLength: 2, maxLength: 2 }),
  fc.boolean()).map(([namespace, name, ports, inCluster]) => crossCase(`short name ${name} without a port, Service with ports ${ports.join(', ')}`, inCluster,
  [routeTo('front', namespace, { host: name })], [service(name, namespace, ports)], [service(name, namespace, ports)], 0,
  { rule: 'IST0112', code: 'IST0112', field: `${DESTINATION}.port`, message: `routes to a service "${name}.${namespace}.svc.cluster.local" that exposes multiple ports` },
  [routeTo('front', namespace, { host: name, port: { number: ports[0] } })]));

/** A subset that no DestinationRule defines for the route's (short-name) host. */
const missingSubset: fc.Arbitrary<DefectCase> = fc.tuple(fc.constantFrom(...NAMESPACES), serviceName, port, fc.boolean(), fc.boolean())
  .map(([namespace, name, p, inCluster, shortInRule]) => {
    const rule = (subset: string): Manifest => ({
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name, namespace },
      spec: { host: shortInRule ? name : `${name}.${namespace}.svc.cluster.local`, subsets: [{ name: subset, labels: { version: subset } }] },
    } as Manifest);
    return crossCase(`subset v2 of ${name}, the DestinationRule defines v1`, inCluster,
      [routeTo('front', namespace, { host: name, port: { number: p }, subset: 'v2' })], [service(name, namespace, [p]), rule('v1')],
      [service(name, namespace, [p]), rule('v2')], 0,
      { rule: 'IST0101', code: 'IST0101', field: `${DESTINATION}.subset`, message: `Referenced host+subset in destinationrule not found: "${name}.${namespace}.svc.cluster.local+v2"` });
  });

/** The pods a workload kind runs, with `labels`. */
function workload(key: KindKey, labels: Record<string, string>): Manifest {
  const kind = KINDS[key];
  const template = { metadata: { labels }, spec: { containers: [{ name: 'istio-proxy', image: 'istio/proxyv2' }] } };
  return (key === 'pod'
    ? { apiVersion: apiVersionOf(kind, kind.versions[0]), kind: kind.kind, metadata: { name: 'egress-0', namespace: 'istio-system', labels }, spec: template.spec }
    : { apiVersion: apiVersionOf(kind, kind.versions[0]), kind: kind.kind, metadata: { name: 'egress', namespace: 'istio-system' }, spec: { selector: { matchLabels: labels }, template } }) as Manifest;
}

/** An egress Gateway whose selector matches none of the gateway pods that the workloads of `key` run. */
function unmatchedGatewayPods(key: KindKey): fc.Arbitrary<DefectCase> {
  return fc.tuple(fc.constantFrom('egressgateway', 'egress', 'gateways'), fc.constantFrom('ingressgateway', 'other'), fc.boolean()).map(([selected, running, inCluster]) => {
    const host = 'api.example.com';
    const entry = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'ServiceEntry',
      metadata: { name: 'api', namespace: 'shop' },
      spec: { hosts: [host], ports: [{ number: 443, name: 'tls', protocol: 'TLS' }], resolution: 'DNS' },
    };
    const gateway = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'Gateway',
      metadata: { name: 'egress', namespace: 'istio-system' },
      spec: { selector: { istio: selected }, servers: [{ port: { number: 443, name: 'tls', protocol: 'TLS' }, hosts: [host], tls: { mode: 'PASSTHROUGH' } }] },
    };
    const route = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'api', namespace: 'istio-system' },
      spec: { hosts: [host], gateways: ['mesh', 'egress'], tls: [{ match: [{ port: 443, sniHosts: [host] }], route: [{ destination: { host, port: { number: 443 } } }] }] },
    };
    return crossCase(`${KINDS[key].kind} pods labelled istio=${running}, Gateway selecting istio=${selected}`, inCluster,
      [entry, gateway, route] as Manifest[], [workload(key, { istio: running, app: 'gw' })], [workload(key, { istio: selected, app: 'gw' })], 1,
      { rule: 'IST0101', code: 'IST0101', field: 'spec.selector', message: `Referenced selector not found: "istio=${selected}"` });
  });
}

/**
 * A defect the analysis finds on one object of a Kubernetes kind (its Istio annotations, its pods' user): `change` makes
 * the seed defective; the seed itself does not have the finding.
 */
function analyzedObjectDefect(key: KindKey, defect: string, change: (seed: any) => any, expected: Expected): fc.Arbitrary<DefectCase> {
  return variedSeed(key).map(seed => ({ defect: `${KINDS[key].kind}: ${defect}`, objects: [change(copyOf(seed))], cluster: [], repaired: { objects: [seed], cluster: [] }, at: 0, expected }));
}

const annotate = (annotations: Record<string, string>) =>
  (o: any) => ({ ...o, metadata: { ...o.metadata, annotations: { ...o.metadata.annotations, ...annotations } } });
const analyzerWarning = (code: string, field: string, message: string): Expected => ({ rule: code, code, field, message });

/** An Istio annotation that Istio does not define (a misspelling), on any of the kinds whose annotations istioctl reads. */
function unknownAnnotation(key: KindKey): fc.Arbitrary<DefectCase> {
  return fc.constantFrom('sidecar.istio.io/injekt', 'traffic.sidecar.istio.io/excludeOutboundIpRanges', 'networking.istio.io/exportto').chain(name =>
    analyzedObjectDefect(key, `annotation ${name}`, annotate({ [name]: 'x' }),
      analyzerWarning('IST0108', `metadata.annotations.${name}`, `Unknown annotation: ${name}`)));
}

/** UID 1337 (the sidecar's) for the application: its traffic bypasses the sidecar. */
function proxyUid(key: 'pod' | 'deployment'): fc.Arbitrary<DefectCase> {
  const spec = key === 'pod' ? 'spec' : 'spec.template.spec';
  // Objects labelled `istio` belong to the control plane, which the analyzer skips: the seed's labels go.
  const application = (o: any) => ({ ...o, metadata: { ...o.metadata, labels: { app: 'api' } } });
  return analyzedObjectDefect(key, 'runAsUser 1337', o => {
    const copy = application(o);
    const podSpec = key === 'pod' ? copy.spec : copy.spec.template.spec;
    podSpec.securityContext = { runAsUser: 1337 };
    return copy;
  }, analyzerWarning('IST0144', `${spec}.securityContext.runAsUser`, 'User ID (UID) 1337 is reserved for the sidecar proxy.')).map(c => ({
    ...c, repaired: { objects: [application(c.repaired.objects[0])], cluster: [] },
  }));
}

/** An AuthorizationPolicy naming a namespace that is not among the Namespaces of the cluster (given as cluster objects). */
const unknownPolicyNamespace: fc.Arbitrary<DefectCase> = fc.tuple(twoNamespaces, fc.constantFrom('ALLOW', 'DENY')).map(([[known, named], action]) => {
  const namespace = (name: string): Manifest => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } } as Manifest);
  const policy = {
    apiVersion: 'security.istio.io/v1',
    kind: 'AuthorizationPolicy',
    metadata: { name: 'from-clients', namespace: 'istio-system' },
    spec: { action, rules: [{ from: [{ source: { namespaces: [named] } }] }] },
  } as Manifest;
  return {
    defect: `AuthorizationPolicy allowing namespace ${named}, the cluster has ${known}`,
    objects: [policy],
    cluster: [namespace(known), namespace('istio-system')],
    repaired: { objects: [policy], cluster: [namespace(known), namespace('istio-system'), namespace(named)] },
    at: 0,
    expected: { rule: 'IST0101', code: 'IST0101', field: 'spec.rules[0].from[0].source.namespaces[0]', message: `Referenced namespace not found: "${named}"` },
  };
});

/** A Gateway's credentialName that no Secret of the gateway pods' namespace has (its Secrets are given). */
const missingCredential: fc.Arbitrary<DefectCase> = fc.tuple(fc.constantFrom('api-cert', 'egress-credential'), fc.boolean()).map(([name, inCluster]) => {
  const secret = (n: string): Manifest => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: n, namespace: 'istio-system' }, type: 'kubernetes.io/tls' } as Manifest);
  const gateway = {
    apiVersion: 'networking.istio.io/v1',
    kind: 'Gateway',
    metadata: { name: 'egress', namespace: 'istio-system' },
    spec: { selector: { istio: 'egressgateway' }, servers: [{ port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['api.example.com'], tls: { mode: 'SIMPLE', credentialName: name } }] },
  };
  return crossCase(`Gateway credentialName ${name}, the gateway's namespace has Secret other-cert`, inCluster,
    [gateway as Manifest, workload('deployment', { istio: 'egressgateway' })], [secret('other-cert')], [secret('other-cert'), secret(name)], 0,
    { rule: 'IST0101', code: 'IST0101', field: 'spec.servers[0].tls.credentialName', message: `Referenced credentialName not found: "${name}"` });
});

/** A NetworkPolicy that lets the pods of a namespace send only to listed peers, while its Sidecar imports an external host without addresses. */
const blockedDirectHost: fc.Arbitrary<DefectCase> = fc.tuple(fc.constantFrom(...NAMESPACES), fc.constantFrom('api.example.com', 'db.example.org')).map(([namespace, host]) => {
  const entry = {
    apiVersion: 'networking.istio.io/v1',
    kind: 'ServiceEntry',
    metadata: { name: 'external', namespace },
    spec: { hosts: [host], ports: [{ number: 443, name: 'tls', protocol: 'TLS' }], resolution: 'DNS', location: 'MESH_EXTERNAL' },
  };
  const sidecar = {
    apiVersion: 'networking.istio.io/v1',
    kind: 'Sidecar',
    metadata: { name: 'default', namespace },
    spec: { egress: [{ hosts: [`./${host}`, 'istio-system/*'] }], outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } },
  };
  const policy = (egress: unknown[]) => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'egress', namespace },
    spec: { podSelector: {}, policyTypes: ['Egress'], egress },
  });
  const listed = [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'istio-system' } } }] }];
  return {
    defect: `NetworkPolicy of ${namespace} listing peers, Sidecar importing ${host} (no addresses)`,
    objects: [policy(listed), entry, sidecar] as Manifest[],
    cluster: [],
    repaired: { objects: [policy([...listed, { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }]), entry, sidecar] as Manifest[], cluster: [] },
    at: 0,
    expected: { rule: 'DIRECT_HOST_BLOCKED', code: 'EGR110', field: 'spec.egress', message: `reach ${host} directly` },
  };
});

/** A Service without selector whose port name no port of its Endpoints or EndpointSlice has (EGR116). */
const unmatchedEndpointPort = (key: 'endpoints' | 'endpointSlice'): fc.Arbitrary<DefectCase> =>
  fc.tuple(fc.constantFrom(...NAMESPACES), fc.constantFrom('tls', 'https-api', 'tcp-db'), fc.boolean()).map(([namespace, name, inCluster]) => {
    const selectorless: Manifest = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'external', namespace }, spec: { ports: [{ name, port: 443 }] } };
    const listed = (portName: string): Manifest => (key === 'endpoints'
      ? { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'external', namespace }, subsets: [{ addresses: [{ ip: '192.0.2.7' }], ports: [{ name: portName, port: 443 }] }] }
      : {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: { name: 'external', namespace, labels: { 'kubernetes.io/service-name': 'external' } },
        addressType: 'IPv4',
        endpoints: [{ addresses: ['192.0.2.7'] }],
        ports: [{ name: portName, port: 443 }],
      // Endpoints and EndpointSlices keep their fields beside metadata, where Manifest has only spec.
      }) as unknown as Manifest;
    return crossCase(`Service ${namespace}/external port "${name}", its ${KINDS[key].kind} names the port "other"`, inCluster,
      [selectorless], [listed('other')], [listed(name)], 0,
      { rule: 'ENDPOINTS_UNMATCHED', code: 'EGR116', field: 'spec.ports[0].name', message: `is named "${name}", but no port of its endpoints has that name` });
  });

/** Defects across objects, for the kinds the analysis reads (and the kinds whose references it resolves). */
const CROSS_DEFECTS: Partial<Record<KindKey, Array<fc.Arbitrary<DefectCase>>>> = {
  endpoints: [unmatchedEndpointPort('endpoints')],
  endpointSlice: [unmatchedEndpointPort('endpointSlice')],
  service: [hiddenService, missingShortName, ambiguousPorts, unknownAnnotation('service')],
  destinationRule: [missingSubset],
  namespace: [unknownAnnotation('namespace'), unknownPolicyNamespace],
  secret: [missingCredential],
  networkPolicy: [blockedDirectHost],
  deployment: [unmatchedGatewayPods('deployment'), unknownAnnotation('deployment'), proxyUid('deployment')],
  statefulSet: [unmatchedGatewayPods('statefulSet')],
  daemonSet: [unmatchedGatewayPods('daemonSet')],
  pod: [unmatchedGatewayPods('pod'), unknownAnnotation('pod'), proxyUid('pod')],
};

/** Registered kinds that no rule reads yet (they are still generated, mutated and put in the cluster above). */
const READ_BY_NO_RULE_YET: KindKey[] = [];

/** A seed of `key` with another name, namespace and served version: the variation a defect must not depend on. */
function variedSeed(key: KindKey): fc.Arbitrary<any> {
  const kind = KINDS[key];
  return fc.record({
    name: fc.constantFrom('a', 'egress', 'api-example-com', 'x1', 'reviews'),
    namespace: fc.constantFrom(...NAMESPACES, 'istio-system'),
    version: fc.constantFrom(...kind.versions),
  }).map(({ name, namespace, version }) => {
    const seed = seedOf(key);
    return { ...seed, apiVersion: apiVersionOf(kind, version), metadata: { ...seed.metadata, name, ...(key === 'namespace' ? {} : { namespace }) } };
  });
}

/** A defect of one object of a registered kind with webhook rules, among hostile neighbours (which cannot change its own findings). */
const objectDefectCase: fc.Arbitrary<DefectCase> = fc.constantFrom(...REGISTRY.filter(([, kind]) => kind.check).map(([key]) => key)).chain(key =>
  fc.tuple(
    fc.oneof(genericDefects(key), ...(OBJECT_DEFECTS[key] ?? []).map(d => fc.constant(d))),
    variedSeed(key),
    fc.array(fc.oneof(registryObject, oddObject), { maxLength: 3 }),
    fc.nat(),
    clusterObjects,
  ).map(([d, seed, neighbours, position, cluster]) => {
    const at = position % (neighbours.length + 1);
    const around = (o: any) => [...neighbours.slice(0, at), o, ...neighbours.slice(at)];
    return {
      defect: `${KINDS[key].kind}: ${d.defect}`,
      objects: around(copyOf(d.apply(copyOf(seed)))),
      cluster: cluster ?? [],
      repaired: { objects: around(seed), cluster: cluster ?? [] },
      at,
      expected: d.expected,
    };
  }));

const crossDefectCase: fc.Arbitrary<DefectCase> = fc.oneof(...Object.values(CROSS_DEFECTS).flat());

const matches = (f: IndexedFinding, at: number, e: Expected) => f.index === at && f.rule === e.rule && f.field === e.field;

/** The defect's finding is there (with its code and message), and gone once the defect is repaired. */
function expectDefectFound(c: DefectCase): void {
  const findings = lintObjects(c.objects, { cluster: c.cluster });
  findings.forEach(f => checkFinding(f, c.objects));
  const found = findings.filter(f => matches(f, c.at, c.expected));
  if (!found.some(f => f.code === c.expected.code && f.message.includes(c.expected.message))) {
    throw new Error(`${c.defect}: expected ${c.expected.rule} (${c.expected.code}) at [${c.at}] ${c.expected.field} "…${c.expected.message}…", found:\n`
      + `${findings.map(f => `${f.rule} ${f.code} [${f.index}] ${f.field}: ${f.message}`).join('\n') || '(nothing)'}`);
  }
  const after = lintObjects(c.repaired.objects, { cluster: c.repaired.cluster }).filter(f => matches(f, c.at, c.expected));
  if (after.length > 0) {
    throw new Error(`${c.defect}: repaired, still ${after.map(f => `${f.rule} ${f.field}: ${f.message}`).join('; ')}`);
  }
}

describe('the rules never crash', () => {
  test('on arbitrary values under metadata, spec and the top-level fields of every registered kind, any apiVersion of its group, any cluster objects', () => {
    fc.assert(fc.property(fc.array(registryObject, { minLength: 1, maxLength: 6 }), context, expectWellFormedFindings), fuzzParameters(RUNS));
  }, timeoutFor(RUNS, 10));

  test('on valid apps, sample-shaped apps and a seed of every kind with random fields replaced or removed, with any cluster objects', () => {
    fc.assert(fc.property(mutatedCorpus, context, expectWellFormedFindings), fuzzParameters(RUNS));
  }, timeoutFor(RUNS, 10));
});

describe('the rules find known defects, and nothing of theirs once repaired', () => {
  test('every registered kind has defects here, or is listed as read by no rule yet', () => {
    const covered = (key: KindKey) => KINDS[key].check !== undefined || CROSS_DEFECTS[key] !== undefined;
    expect(REGISTRY.map(([key]) => key).filter(key => !covered(key))).toEqual(READ_BY_NO_RULE_YET);
  });

  test('each seed (the repaired object of the defects of one object) lints without the findings those defects expect', () => {
    for (const [key] of REGISTRY) {
      const findings = lintObjects([seedOf(key)]).filter(f => !f.crossObject);
      const expected = [...(OBJECT_DEFECTS[key] ?? []).map(d => d.expected.rule), 'API_VERSION', 'META1', 'META2', 'K8S_NAME', 'UNKNOWN_FIELD'];
      expect({ key, findings: findings.filter(f => expected.includes(f.rule)) }).toEqual({ key, findings: [] });
    }
  });

  test('a defect of one object (webhook rules, served versions, names, unknown fields) among hostile neighbours and cluster objects', () => {
    fc.assert(fc.property(objectDefectCase, expectDefectFound), fuzzParameters(RUNS));
  }, timeoutFor(RUNS, 10));

  test('a defect across objects (Services, their exportTo annotation and short names, subsets, gateway pods), given as objects or cluster objects', () => {
    fc.assert(fc.property(crossDefectCase, expectDefectFound), fuzzParameters(RUNS));
  }, timeoutFor(RUNS, 10));

  test('a route to a namespace none of whose Services are known is noted as unchecked, and checked once the Service is a cluster object', () => {
    const cases = fc.tuple(twoNamespaces, serviceName, port);
    fc.assert(fc.property(cases, ([[home, client], name, p]) => {
      const host = `${name}.${home}.svc.cluster.local`;
      const objects = [service('unrelated', client, [p]), routeTo('front', client, { host, port: { number: p } })];
      const alone = lintObjectSet(objects);
      expect(alone.unchecked).toEqual([{ index: 1, field: `${DESTINATION}.host`, host, namespace: home }]);
      expect(alone.findings.filter(f => f.field.startsWith(DESTINATION))).toEqual([]);
      const known = lintObjectSet(objects, { cluster: [service(name, home, [p])] });
      expect(known.unchecked).toEqual([]);
      expect(known.findings.filter(f => f.field.startsWith(DESTINATION))).toEqual([]);
      const wrongPort = lintObjectSet(objects, { cluster: [service(name, home, [p === 80 ? 81 : 80])] });
      expect(wrongPort.findings.filter(f => f.field.startsWith(DESTINATION)).map(f => [f.code, f.index, f.field]))
        .toEqual([['IST0101', 1, `${DESTINATION}.port.number`]]);
    }), fuzzParameters(Math.min(RUNS, 200)));
  });
});

describe('odd JSON that used to crash the rules (regressions found by these properties, now findings)', () => {
  // Was a bug: the rules' messages turn values into text with String(value) and template literals, which throws a TypeError
  // ("Cannot convert object to primitive value") for a JSON object with a `toString` or `valueOf` key whose value is not a
  // function. Such YAML crashes lintObjects instead of giving a finding, e.g.
  //   lintObjects([{ apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { namespace: { toString: false } } },
  //                { apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry' }])     (src/rules/object-index.ts label())
  //   a ServiceEntry with spec.ports[0].number = { toString: false }                   (src/rules/names.ts checkPortNumber())
  test('values with `toString` or `valueOf` keys under metadata, spec and the top-level fields of every registered kind', () => {
    const trap = fc.dictionary(fc.constantFrom(...STRINGIFY_KEYS), fc.jsonValue({ maxDepth: 1 }).map(copyOf), { minKeys: 1, noNullPrototype: true });
    const field = fc.oneof(trap, anyValue);
    const spec = fc.dictionary(fc.constantFrom(...FIELDS), fc.oneof(field, fc.array(fc.dictionary(fc.constantFrom(...FIELDS), field,
      { maxKeys: 4, noNullPrototype: true }), { maxLength: 2 })), { maxKeys: 6, noNullPrototype: true });
    const metadataWithKeys = fc.record({
      name: field,
      namespace: field,
      labels: fc.oneof(trap, stringMap(LABEL_KEYS)),
      annotations: fc.oneof(trap, stringMap(ANNOTATION_KEYS)),
    }, { noNullPrototype: true });
    const withKeys = fc.oneof(...REGISTRY.map(([, kind]) => fc.record({
      apiVersion: apiVersions(kind),
      kind: fc.constant(kind.kind),
      metadata: metadataWithKeys,
      spec,
      data: fc.oneof(trap, anyValue),
    }, { noNullPrototype: true, requiredKeys: ['apiVersion', 'kind', 'metadata', 'spec'] }).map(copyOf)));
    fc.assert(fc.property(fc.array(withKeys, { minLength: 1, maxLength: 4 }), context, expectWellFormedFindings), fuzzParameters(RUNS));
  }, timeoutFor(RUNS, 10));

  // Was a bug: lintObjects (and so `cdk8s-istio-egress lint` on any YAML) throws when apiVersion is not a string:
  // src/rules/index.ts checkObject calls manifest.apiVersion?.includes('istio.io/'), so
  //   lintObjects([{ apiVersion: {}, kind: 'Sidecar' }])        -> TypeError: manifest.apiVersion?.includes is not a function
  //   lintObjects([{ apiVersion: 1, kind: 'ServiceEntry' }])    -> the same
  // and kinds named like Object.prototype properties are looked up in the CHECKS object literal:
  //   lintObjects([{ apiVersion: 'networking.istio.io/v1', kind: 'constructor' }]) -> TypeError (Object(manifest) is not iterable)
  //   lintObjects([{ apiVersion: 'networking.istio.io/v1', kind: 'toString' }])    -> returns the characters of "[object Object]" as findings
  test('any apiVersion and kind, and any JSON in place of the objects and the cluster objects', () => {
    const anything = fc.oneof(oddObject, fc.jsonValue({ maxDepth: 3 }).map(copyOf));
    const oddContext = fc.record({ gatewayPods, cluster: fc.option(fc.array(anything, { maxLength: 3 }), { nil: undefined }) }, { requiredKeys: [] })
      .map(c => Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined)) as AnalysisContext);
    fc.assert(fc.property(fc.array(anything, { minLength: 1, maxLength: 4 }), oddContext, expectWellFormedFindings), fuzzParameters(RUNS));
  }, timeoutFor(RUNS, 10));
});
