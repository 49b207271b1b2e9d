import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  assertValidIstioObjects,
  checkIstioCrdBundle,
  defaultReleaseFor,
  IstioRelease,
  resetIstioCrdCache,
  validateIstioObject,
  validateWithCrdSchema,
} from './support/crd-validator';

// Compiling a large schema (VirtualService, DestinationRule) takes a few hundred ms the first time.
jest.setTimeout(60_000);

// ---------------------------------------------------------------------------------------------
// Fixtures: the classic "egress through the egress gateway" set, parameterised by API version
// ---------------------------------------------------------------------------------------------

const EGRESS_GW_HOST = 'istio-egressgateway.istio-system.svc.cluster.local';

function serviceEntry(spec: any = {}, apiVersion = 'networking.istio.io/v1'): any {
  return {
    apiVersion,
    kind: 'ServiceEntry',
    metadata: { name: 'wikipedia', namespace: 'default' },
    spec: {
      hosts: ['www.wikipedia.org'],
      ports: [
        { number: 80, name: 'http', protocol: 'HTTP' },
        { number: 443, name: 'https', protocol: 'HTTPS' },
      ],
      resolution: 'DNS',
      ...spec,
    },
  };
}

function egressSet(version: 'v1' | 'v1beta1'): any[] {
  const apiVersion = `networking.istio.io/${version}`;
  return [
    serviceEntry({}, apiVersion),
    {
      apiVersion,
      kind: 'Gateway',
      metadata: { name: 'istio-egressgateway', namespace: 'istio-system' },
      spec: {
        selector: { istio: 'egressgateway' },
        servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['www.wikipedia.org'] }],
      },
    },
    {
      apiVersion,
      kind: 'DestinationRule',
      metadata: { name: 'egressgateway-for-wikipedia', namespace: 'istio-system' },
      spec: { host: EGRESS_GW_HOST, subsets: [{ name: 'wikipedia' }] },
    },
    virtualService(apiVersion),
  ];
}

function virtualService(apiVersion = 'networking.istio.io/v1'): any {
  return {
    apiVersion,
    kind: 'VirtualService',
    metadata: { name: 'wikipedia-through-egress-gateway', namespace: 'default' },
    spec: {
      hosts: ['www.wikipedia.org'],
      gateways: ['istio-system/istio-egressgateway', 'mesh'],
      http: [
        {
          match: [{ gateways: ['mesh'], port: 80 }],
          route: [{ destination: { host: EGRESS_GW_HOST, subset: 'wikipedia', port: { number: 80 } }, weight: 100 }],
        },
        {
          match: [{ gateways: ['istio-system/istio-egressgateway'], port: 80 }],
          route: [{ destination: { host: 'www.wikipedia.org', port: { number: 80 } }, weight: 100 }],
        },
      ],
    },
  };
}

function destinationRule(trafficPolicy: any): any {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'DestinationRule',
    metadata: { name: 'wikipedia', namespace: 'default' },
    spec: { host: 'www.wikipedia.org', trafficPolicy },
  };
}

/** Asserts exactly one error, containing every fragment, and returns it. */
function expectSingleError(errors: string[], ...fragments: string[]): string {
  expect(errors).toHaveLength(1);
  for (const fragment of fragments) {
    expect(errors[0]).toContain(fragment);
  }
  return errors[0];
}

// ---------------------------------------------------------------------------------------------
// Valid objects pass, in both API-version directions
// ---------------------------------------------------------------------------------------------

describe('valid objects pass', () => {
  test.each<['v1' | 'v1beta1', IstioRelease]>([
    ['v1', '1.30.3'],
    ['v1beta1', '1.18.2'],
    ['v1beta1', '1.30.3'],
  ])('egress set as networking.istio.io/%s against Istio %s', (version, release) => {
    // GIVEN ServiceEntry, Gateway, DestinationRule and VirtualService for wikipedia through the egress gateway
    const objs = egressSet(version);

    // WHEN each is validated against the release
    const errors = objs.map((o) => validateIstioObject(o, release));

    // THEN none has an error
    expect(errors).toEqual([[], [], [], []]);
  });

  test('egress set with default releases (v1 -> 1.30.3, v1beta1 -> 1.18.2) through assertValidIstioObjects', () => {
    // GIVEN both versions of the set, plus non-Istio objects
    const objs = [
      ...egressSet('v1'),
      ...egressSet('v1beta1'),
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } },
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: 'default' }, spec: {} },
    ];

    // WHEN asserting
    const result = assertValidIstioObjects(objs);

    // THEN the Istio objects are validated and the others skipped
    expect(result).toEqual({ validated: 8, skipped: 2 });
  });

  test.each<IstioRelease>(['1.30.3', '1.18.2'])('security.istio.io/v1 AuthorizationPolicy against Istio %s', (release) => {
    // GIVEN an ALLOW policy on the egress gateway
    const policy = {
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name: 'allow-wikipedia', namespace: 'istio-system' },
      spec: {
        selector: { matchLabels: { istio: 'egressgateway' } },
        action: 'ALLOW',
        rules: [{
          from: [{ source: { namespaces: ['default'] } }],
          to: [{ operation: { hosts: ['www.wikipedia.org'], ports: ['80'] } }],
        }],
      },
    };

    // WHEN validated
    const errors = validateIstioObject(policy, release);

    // THEN it is valid
    expect(errors).toEqual([]);
  });

  test.each(['v1', 'v1beta1'])('networking.istio.io/%s Sidecar', (version) => {
    // GIVEN a REGISTRY_ONLY sidecar
    const sidecar = {
      apiVersion: `networking.istio.io/${version}`,
      kind: 'Sidecar',
      metadata: { name: 'default', namespace: 'default' },
      spec: { outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' }, egress: [{ hosts: ['./*', 'istio-system/*'] }] },
    };

    // WHEN validated against its default release
    const errors = validateIstioObject(sidecar);

    // THEN it is valid
    expect(errors).toEqual([]);
  });

  test('nulls of non-nullable fields are dropped, as the API server does', () => {
    // GIVEN a ServiceEntry with a null field
    const se = serviceEntry({ location: null });

    // WHEN validated
    const errors = validateIstioObject(se);

    // THEN it is valid
    expect(errors).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// OpenAPI schema (ajv) and structural checks
// ---------------------------------------------------------------------------------------------

describe('schema validation', () => {
  test('1. a wrong enum value is refused, and CEL rules are then skipped like the API server does', () => {
    // GIVEN resolution DNSS
    const se = serviceEntry({ resolution: 'DNSS' });

    // WHEN validated
    const errors = validateIstioObject(se);

    // THEN the enum error is reported with the supported values, and the CEL rules are not run
    expect(errors).toEqual([
      'ServiceEntry/default/wikipedia [networking.istio.io/v1, Istio 1.30.3]: spec.resolution: Unsupported value: "DNSS": '
        + 'supported values: "NONE", "STATIC", "DNS", "DNS_ROUND_ROBIN", "DYNAMIC_DNS"',
      'ServiceEntry/default/wikipedia [networking.istio.io/v1, Istio 1.30.3]: <root>: Invalid value: null: '
        + 'some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
    ]);
  });

  test('1b. the enum is enforced by the 1.18.2 schema as well', () => {
    // GIVEN resolution DNSS in v1beta1
    const se = serviceEntry({ resolution: 'DNSS' }, 'networking.istio.io/v1beta1');

    // WHEN validated against 1.18.2 (no CEL there)
    const errors = validateIstioObject(se, '1.18.2');

    // THEN only the enum error is reported
    expectSingleError(errors, 'Istio 1.18.2]: spec.resolution: Unsupported value: "DNSS"');
  });

  test('6. an unknown field is refused (port beside match instead of inside it)', () => {
    // GIVEN `port: 80` on the http route itself
    const vs = virtualService();
    vs.spec.http[0] = { port: 80, match: [{ gateways: ['mesh'] }], route: vs.spec.http[0].route };

    // WHEN validated against both releases
    const errors = validateIstioObject(vs);
    const errorsBeta = validateIstioObject({ ...vs, apiVersion: 'networking.istio.io/v1beta1' }, '1.18.2');

    // THEN the unknown field is named with its full path
    expectSingleError(errors, 'spec.http[0].port: unknown field "spec.http[0].port"');
    expectSingleError(errorsBeta, 'unknown field "spec.http[0].port"');
  });

  test('5b. duplicate port names are refused (x-kubernetes-list-type: map, key name)', () => {
    // GIVEN two ports named http
    const se = serviceEntry({ ports: [{ number: 80, name: 'http', protocol: 'HTTP' }, { number: 8080, name: 'http', protocol: 'HTTP' }] });

    // WHEN validated
    const errors = validateIstioObject(se);

    // THEN the second one is a duplicate key
    expectSingleError(errors, 'spec.ports[1]: Duplicate value: {"name":"http"}');
  });

  test('mutually exclusive fields (oneOf of required-only branches) are refused; one or none is fine', () => {
    // GIVEN CORS origins with two, one and zero match kinds
    const cors = (origin: any) => {
      const vs = virtualService();
      vs.spec.http[0].corsPolicy = { allowOrigins: [origin] };
      return vs;
    };

    // WHEN validated
    const both = validateIstioObject(cors({ exact: 'https://a.example', prefix: 'https://b' }));
    const one = validateIstioObject(cors({ exact: 'https://a.example' }));
    const none = validateIstioObject(cors({}));

    // THEN only the first is refused, with the conflicting fields named
    expectSingleError(both, 'spec.http[0].corsPolicy.allowOrigins[0]: Invalid value: "object": must validate one and only one schema (oneOf)',
      'at most one of the mutually exclusive fields [exact, prefix, regex] may be set, found [exact, prefix]');
    expect(one).toEqual([]);
    expect(none).toEqual([]);
  });

  test('status is dropped on create (status subresource), as the API server does', () => {
    // GIVEN a ServiceEntry carrying an ill-typed status
    const se = { ...serviceEntry(), status: { observedGeneration: true, unknown: 1 } };

    // WHEN validated
    const errors = validateIstioObject(se);

    // THEN it is accepted: PrepareForCreate deletes status before validation
    expect(errors).toEqual([]);
  });

  test('minimum/maximum and maxItems are enforced', () => {
    // GIVEN a negative port and too many hosts
    const se = serviceEntry({
      ports: [{ number: -1, name: 'http', protocol: 'HTTP' }],
      hosts: Array.from({ length: 257 }, (_, i) => `h${i}.example.com`),
    });

    // WHEN validated
    const errors = validateIstioObject(se);

    // THEN both are reported
    expect(errors).toEqual(expect.arrayContaining([
      expect.stringContaining('spec.ports[0].number: Invalid value: -1: should be >= 0'),
      expect.stringContaining('spec.hosts: Too many: 257: must have at most 256 items'),
    ]));
  });

  test('metadata: name required, DNS-1123 subdomain name and label namespace, unknown metadata fields', () => {
    // GIVEN bad metadata
    const noName = { ...serviceEntry(), metadata: { namespace: 'default' } };
    const bad = { ...serviceEntry(), metadata: { name: 'Wikipedia_Org', namespace: 'egress.ns', labels: { app: 'bad value' }, owner: 'me' } };

    // WHEN validated
    const noNameErrors = validateIstioObject(noName);
    const badErrors = validateIstioObject(bad);

    // THEN each problem is named
    expect(noNameErrors[0]).toContain('ServiceEntry/default/<no name> [networking.istio.io/v1, Istio 1.30.3]: metadata.name: Required value');
    expect(badErrors).toEqual([
      expect.stringContaining('metadata.owner: unknown field "metadata.owner"'),
      expect.stringContaining('metadata.name: Invalid value: "Wikipedia_Org": a lowercase RFC 1123 subdomain'),
      expect.stringContaining('metadata.namespace: Invalid value: "egress.ns": a lowercase RFC 1123 label'),
      expect.stringContaining('metadata.labels.app: Invalid value: "bad value": a valid label'),
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// CEL rules (x-kubernetes-validations), Istio 1.30.3
// ---------------------------------------------------------------------------------------------

describe('CEL rules', () => {
  test('2. port 70000 is refused by the rule on the port number', () => {
    // GIVEN port 70000 (the schema itself allows up to 4294967295)
    const se = serviceEntry({ ports: [{ number: 80, name: 'http', protocol: 'HTTP' }, { number: 70000, name: 'big', protocol: 'TCP' }] });

    // WHEN validated
    const errors = validateIstioObject(se);

    // THEN the CEL message is reported on the item's number
    expect(errors).toEqual([
      'ServiceEntry/default/wikipedia [networking.istio.io/v1, Istio 1.30.3]: spec.ports[1].number: Invalid value: 70000: port must be between 1-65535',
    ]);
  });

  test('3. host * is refused', () => {
    // GIVEN a wildcard host
    const se = serviceEntry({ hosts: ['www.wikipedia.org', '*'] });

    // WHEN validated
    const errors = validateIstioObject(se);

    // THEN the rule attached to hosts items fires for the second item
    expectSingleError(errors, 'spec.hosts[1]: Invalid value: "*": hostname cannot be wildcard');
  });

  test.each(['NONE', 'unset'])('4. endpoints with resolution %s are refused', (resolution) => {
    // GIVEN endpoints with no DNS/STATIC resolution
    const se = serviceEntry({ resolution, endpoints: [{ address: '1.2.3.4' }] });
    if (resolution === 'unset') {
      delete se.spec.resolution;
    }

    // WHEN validated
    const errors = validateIstioObject(se);

    // THEN the object-level rule on spec fires
    expectSingleError(errors, 'spec: Invalid value: "object": NONE mode cannot set endpoints');
  });

  test('5a. duplicate port numbers are refused', () => {
    // GIVEN two ports with number 80
    const se = serviceEntry({ ports: [{ number: 80, name: 'http', protocol: 'HTTP' }, { number: 80, name: 'http-alt', protocol: 'HTTP' }] });

    // WHEN validated
    const errors = validateIstioObject(se);

    // THEN the list-level rule fires
    expectSingleError(errors, 'spec.ports: Invalid value: "array": port number cannot be duplicated');
  });

  test.each(['0s', '500us', '0.5ms'])('7. a DestinationRule connectTimeout of %s (below 1ms) is refused', (timeout) => {
    // GIVEN a connect timeout below 1ms
    const dr = destinationRule({ connectionPool: { tcp: { connectTimeout: timeout } } });

    // WHEN validated
    const errors = validateIstioObject(dr);

    // THEN duration(self) >= duration('1ms') is false
    expectSingleError(errors, `spec.trafficPolicy.connectionPool.tcp.connectTimeout: Invalid value: "${timeout}": must be a valid duration greater than 1ms`);
  });

  test('7b. a malformed duration is an evaluation error, never a silent pass', () => {
    // GIVEN a timeout that is not a Go duration
    const dr = destinationRule({ connectionPool: { tcp: { connectTimeout: '5 seconds' } } });

    // WHEN validated
    const errors = validateIstioObject(dr);

    // THEN duration() fails and the evaluation error is reported
    expectSingleError(errors, 'connectTimeout: Invalid value: "5 seconds": [validator] CEL evaluation error:',
      'evaluating rule: duration(self) >= duration(\'1ms\')');
  });

  test.each(['1ms', '5s', '1h2m', '1.5s'])('7c. Go durations like %s are accepted', (timeout) => {
    // GIVEN a valid duration
    const dr = destinationRule({ connectionPool: { tcp: { connectTimeout: timeout } } });

    // WHEN validated
    const errors = validateIstioObject(dr);

    // THEN it passes
    expect(errors).toEqual([]);
  });

  test('9. CIDR addresses with DNS resolution are refused', () => {
    // GIVEN a CIDR address with resolution DNS
    const se = serviceEntry({ addresses: ['10.0.0.0/8'] });

    // WHEN validated (and the same with STATIC resolution)
    const errors = validateIstioObject(se);
    const staticErrors = validateIstioObject(serviceEntry({ addresses: ['10.0.0.0/8'], resolution: 'STATIC', endpoints: [{ address: '10.0.0.1' }] }));

    // THEN only DNS is refused
    expectSingleError(errors, 'spec: Invalid value: "object": CIDR addresses are allowed only for NONE/STATIC resolution types');
    expect(staticErrors).toEqual([]);
  });

  test('rules under additionalProperties are evaluated for each map value (endpoint ports)', () => {
    // GIVEN an endpoint port map with a value out of range
    const se = serviceEntry({ resolution: 'STATIC', endpoints: [{ address: '10.0.0.1', ports: { http: 8080, https: 0 } }] });

    // WHEN validated
    const errors = validateIstioObject(se);

    // THEN the rule on the map value reports the key
    expectSingleError(errors, 'spec.endpoints[0].ports.https: Invalid value: 0: port must be between 1-65535');
  });

  test('the Kubernetes URL library (isURL, url().getScheme()) is available', () => {
    // GIVEN WasmPlugin urls and RequestAuthentication jwksUris
    const wasm = (url: string) => ({ apiVersion: 'extensions.istio.io/v1alpha1', kind: 'WasmPlugin', metadata: { name: 'w', namespace: 'default' }, spec: { url } });
    const jwt = (jwksUri: string) => ({
      apiVersion: 'security.istio.io/v1',
      kind: 'RequestAuthentication',
      metadata: { name: 'r', namespace: 'default' },
      spec: { jwtRules: [{ issuer: 'https://issuer.example', jwksUri }] },
    });

    // WHEN validated
    const ok = [wasm('oci://ghcr.io/org/filter:1.0'), wasm('ghcr.io/org/filter:1.0'), jwt('https://issuer.example/jwks')].map((o) => validateIstioObject(o));
    const badWasm = validateIstioObject(wasm('ftp://example.com/filter.wasm'));
    const badJwt = validateIstioObject(jwt('ftp://issuer.example/jwks'));

    // THEN only the wrong schemes are refused
    expect(ok).toEqual([[], [], []]);
    expectSingleError(badWasm, 'spec.url: Invalid value: "ftp://example.com/filter.wasm": url must have schema one of [http, https, file, oci]');
    expectSingleError(badJwt, 'spec.jwtRules[0].jwksUri: Invalid value: "ftp://issuer.example/jwks": url must have scheme http:// or https://');
  });

  test('every CEL rule of the 1.30.3 bundle compiles', () => {
    // GIVEN the whole 1.30.3 bundle
    // WHEN every served kind is compiled
    const report = checkIstioCrdBundle('1.30.3');

    // THEN all rules are planned by @bufbuild/cel
    expect(report.problems).toEqual([]);
    expect(report.rules).toBeGreaterThan(300);
  });
});

// ---------------------------------------------------------------------------------------------
// Kubernetes extensions the Istio bundles exercise little or not at all (synthetic schema)
// ---------------------------------------------------------------------------------------------

describe('Kubernetes structural-schema semantics (synthetic CRD schema)', () => {
  const schema = {
    type: 'object',
    properties: {
      spec: {
        'type': 'object',
        'properties': {
          port: { 'x-kubernetes-int-or-string': true, 'anyOf': [{ type: 'integer' }, { type: 'string' }] },
          tags: { 'type': 'array', 'items': { type: 'string' }, 'x-kubernetes-list-type': 'set' },
          config: { 'type': 'object', 'x-kubernetes-preserve-unknown-fields': true },
          namespace: { type: 'string' },
          replicas: {
            'type': 'integer',
            'x-kubernetes-validations': [
              { rule: 'self <= 10', messageExpression: "'replicas must be at most 10, got ' + string(self)" },
              { rule: 'self >= oldSelf', message: 'transition rules are skipped on create' },
            ],
          },
          notAfter: { 'type': 'string', 'format': 'date-time', 'x-kubernetes-validations': [{ rule: "self > timestamp('2020-01-01T00:00:00Z')" }] },
          limits: { type: 'object', properties: { max: { type: 'integer' } } },
        },
        'x-kubernetes-validations': [
          { rule: "!has(self.__namespace__) || self.__namespace__ != 'kube-system'", message: 'reserved words are escaped' },
          { rule: '!has(self.limits) || self.limits.max > 0', message: 'limits.max must be positive' },
        ],
      },
    },
  };
  const obj = (spec: any) => ({ apiVersion: 'example.com/v1', kind: 'Thing', metadata: { name: 'thing' }, spec });

  test('a valid object passes (int-or-string, preserve-unknown-fields, escaped names, date-time as timestamp)', () => {
    // GIVEN an object using every feature
    const thing = obj({ port: 'http', tags: ['a', 'b'], config: { any: { thing: 1 } }, namespace: 'default', replicas: 3, notAfter: '2030-01-01T00:00:00Z' });

    // WHEN validated
    const errors = validateWithCrdSchema(schema, thing);

    // THEN it passes (the oldSelf rule is skipped)
    expect(errors).toEqual([]);
  });

  test('int-or-string refuses other types; set refuses duplicates; unknown fields outside preserve-unknown-fields are refused', () => {
    // GIVEN a bool port, a duplicate tag and an unknown field
    const thing = obj({ port: true, tags: ['a', 'a'], extra: 1 });

    // WHEN validated
    const errors = validateWithCrdSchema(schema, thing);

    // THEN each is reported (and CEL is skipped because of the type error)
    expect(errors).toEqual([
      'spec.extra: unknown field "spec.extra" (strict field validation; the API server would reject or prune it)',
      'spec.port: Invalid value: true: must be of type integer or string',
      'spec.tags[1]: Duplicate value: "a"',
      '<root>: Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
    ]);
  });

  test('messageExpression, escaped reserved names, timestamps and default messages', () => {
    // GIVEN values breaking each rule
    const thing = obj({ namespace: 'kube-system', replicas: 11, notAfter: '2019-01-01T00:00:00Z' });

    // WHEN validated
    const errors = validateWithCrdSchema(schema, thing);

    // THEN the messages follow the API server's precedence
    expect(errors).toEqual([
      'spec: Invalid value: "object": reserved words are escaped',
      'spec.replicas: Invalid value: 11: replicas must be at most 10, got 11',
      'spec.notAfter: Invalid value: "2019-01-01T00:00:00Z": failed rule: self > timestamp(\'2020-01-01T00:00:00Z\')',
    ]);
  });

  test('a rule that cannot be evaluated is reported, not passed', () => {
    // GIVEN a rule reading a field the data does not have
    const strict = { type: 'object', properties: { spec: { 'type': 'object', 'properties': { a: { type: 'string' } }, 'x-kubernetes-validations': [{ rule: "self.a == 'x'" }] } } };

    // WHEN validated with spec.a missing
    const errors = validateWithCrdSchema(strict, obj({}));

    // THEN the evaluation error is reported as the validator's
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^spec: Invalid value: "object": \[validator\] CEL evaluation error: .* evaluating rule: self\.a == 'x'/);
  });
});

// ---------------------------------------------------------------------------------------------
// Served versions and release selection
// ---------------------------------------------------------------------------------------------

describe('served versions', () => {
  test('8. networking.istio.io/v1 is not served by Istio 1.18.2', () => {
    // GIVEN a v1 ServiceEntry
    const se = serviceEntry();

    // WHEN validated against 1.18.2
    const errors = validateIstioObject(se, '1.18.2');

    // THEN the API server would reject it
    expect(errors).toEqual([
      'ServiceEntry/default/wikipedia [networking.istio.io/v1, Istio 1.18.2]: the API server would reject: '
        + 'no CRD serves networking.istio.io/v1 ServiceEntry in Istio 1.18.2 (it serves ServiceEntry as networking.istio.io/v1alpha3, networking.istio.io/v1beta1)',
    ]);
  });

  test('an unknown kind is not served either', () => {
    // GIVEN a kind Istio does not define
    const obj = { apiVersion: 'networking.istio.io/v1', kind: 'EgressRule', metadata: { name: 'x' }, spec: {} };

    // WHEN validated
    const errors = validateIstioObject(obj);

    // THEN it is rejected
    expectSingleError(errors, 'no CRD serves networking.istio.io/v1 EgressRule in Istio 1.30.3');
  });

  test('default releases', () => {
    // GIVEN / WHEN / THEN v1 -> newest, v1beta1 -> the older mesh
    expect(defaultReleaseFor('networking.istio.io/v1')).toBe('1.30.3');
    expect(defaultReleaseFor('security.istio.io/v1')).toBe('1.30.3');
    expect(defaultReleaseFor('networking.istio.io/v1beta1')).toBe('1.18.2');
  });

  test('assertValidIstioObjects lists every problem of every object', () => {
    // GIVEN two invalid objects and a valid one
    const objs = [serviceEntry({ hosts: ['*'] }), serviceEntry({}, 'networking.istio.io/v1beta1'), serviceEntry({}, 'networking.istio.io/v1')];
    objs[1].spec.resolution = 'DNSS';

    // WHEN asserting
    const run = () => assertValidIstioObjects(objs);

    // THEN one error lists both problems
    expect(run).toThrow(/2 of 3 Istio object\(s\) would be rejected/);
    expect(run).toThrow(/spec\.hosts\[0\]: Invalid value: "\*": hostname cannot be wildcard/);
    expect(run).toThrow(/Istio 1\.18\.2\]: spec\.resolution: Unsupported value: "DNSS"/);
  });
});

// ---------------------------------------------------------------------------------------------
// Bundle location
// ---------------------------------------------------------------------------------------------

describe('bundle location', () => {
  const saved = { dir: process.env.ISTIO_CRD_DIR, url: process.env.ISTIO_CRD_URL_BASE };
  let tmp: string;

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'istio-crd-'));
    resetIstioCrdCache();
  });

  afterEach(() => {
    restoreEnv('ISTIO_CRD_DIR', saved.dir);
    restoreEnv('ISTIO_CRD_URL_BASE', saved.url);
    fs.rmSync(tmp, { recursive: true, force: true });
    resetIstioCrdCache();
  });

  test('ISTIO_CRD_DIR without the bundle and no network gives a clear error', () => {
    // GIVEN an empty directory and an unreachable download URL
    process.env.ISTIO_CRD_DIR = tmp;
    process.env.ISTIO_CRD_URL_BASE = 'http://127.0.0.1:9';

    // WHEN validating
    const run = () => validateIstioObject(serviceEntry());

    // THEN the error says what was tried, what to set and where the file comes from
    expect(run).toThrow('Istio 1.30.3 CRD bundle not found and could not be downloaded.');
    expect(run).toThrow(`Tried: ${path.join(tmp, 'crd-all-1.30.3.yaml')}`);
    expect(run).toThrow('set ISTIO_CRD_DIR to a directory containing crd-all-1.30.3.yaml');
    expect(run).toThrow('http://127.0.0.1:9/1.30.3/manifests/charts/base/files/crd-all.gen.yaml');
    expect(fs.readdirSync(tmp)).toEqual([]); // no partial download left behind
  });

  test('ISTIO_CRD_DIR holding the bundle is used', () => {
    // GIVEN a directory with a link to the shared 1.18.2 bundle
    fs.symlinkSync(path.resolve(__dirname, '../../shared/istio/crd-all-1.18.2.yaml'), path.join(tmp, 'crd-all-1.18.2.yaml'));
    process.env.ISTIO_CRD_DIR = tmp;
    process.env.ISTIO_CRD_URL_BASE = 'http://127.0.0.1:9';

    // WHEN validating against 1.18.2
    const errors = validateIstioObject(serviceEntry({}, 'networking.istio.io/v1beta1'), '1.18.2');

    // THEN the bundle is found and the object is valid
    expect(errors).toEqual([]);
  });
});

function restoreEnv(name: string, value: string | undefined): void {
  if (value === undefined) {
    delete process.env[name];
  } else {
    process.env[name] = value;
  }
}

// ---------------------------------------------------------------------------------------------
// Performance (measured, not asserted)
// ---------------------------------------------------------------------------------------------

describe('performance', () => {
  test('validating 1,000 ServiceEntries after warm-up', () => {
    // GIVEN 1,000 distinct ServiceEntries and a warmed-up validator
    const objs = Array.from({ length: 1000 }, (_, i) => {
      const se = serviceEntry({ hosts: [`www${i}.wikipedia.org`] });
      se.metadata.name = `wikipedia-${i}`;
      return se;
    });
    for (let round = 0; round < 3; round++) {
      objs.forEach((o) => validateIstioObject(o));
    }

    // WHEN validating them all
    const start = process.hrtime.bigint();
    const result = assertValidIstioObjects(objs);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;

    // THEN they are valid (the timing is reported, not asserted)
    expect(result).toEqual({ validated: 1000, skipped: 0 });
    console.log(`validated 1,000 ServiceEntries (networking.istio.io/v1, Istio 1.30.3, schema + CEL) in ${ms.toFixed(1)} ms`);
  });
});
