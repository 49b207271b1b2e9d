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
  validateManifest,
  validateWithCrdSchema,
  validatorFor,
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
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: 'default' }, spec: { podSelector: {} } },
    ];

    // WHEN asserting
    const result = assertValidIstioObjects(objs);

    // THEN every object is validated, each by the validator of its group (none is skipped)
    expect(result).toEqual({ validated: 10, istio: 8, gatewayApi: 0, kubernetes: 2 });
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
    expect(run).toThrow(/2 of 3 object\(s\) would be rejected/);
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
    // GIVEN a directory with links to the shared bundles (a v1beta1 object is checked by 1.18.2's schema and 1.30.3's CEL)
    for (const release of ['1.18.2', '1.30.3']) {
      fs.symlinkSync(path.resolve(__dirname, `../../shared/istio/crd-all-${release}.yaml`), path.join(tmp, `crd-all-${release}.yaml`));
    }
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
    expect(result).toEqual({ validated: 1000, istio: 1000, gatewayApi: 0, kubernetes: 0 });
    console.log(`validated 1,000 ServiceEntries (networking.istio.io/v1, Istio 1.30.3, schema + CEL) in ${ms.toFixed(1)} ms`);
  });
});

// ---------------------------------------------------------------------------------------------
// Structural defaulting (defaults are applied before the schema checks and the CEL rules)
// ---------------------------------------------------------------------------------------------

describe('structural defaulting', () => {
  const crd = (spec: any) => ({ type: 'object', properties: { spec } });
  const object = (spec: any) => ({ apiVersion: 'example.io/v1', kind: 'Thing', metadata: { name: 'x', namespace: 'default' }, spec });

  const topLevel = crd({
    'type': 'object',
    'required': ['mode'],
    'properties': { mode: { type: 'string', default: 'Strict' } },
    'x-kubernetes-validations': [{ rule: "self.mode == 'Strict'", message: 'mode must be Strict' }],
  });

  test('an absent field gets its default before `required` and CEL are checked', () => {
    // GIVEN / WHEN / THEN spec without mode (or with a null mode) reads as mode: Strict; another mode is still refused
    expect(validateWithCrdSchema(topLevel, object({}))).toEqual([]);
    expect(validateWithCrdSchema(topLevel, object({ mode: null }))).toEqual([]);
    expect(validateWithCrdSchema(topLevel, object({ mode: 'Lax' }))).toEqual(['spec: Invalid value: "object": mode must be Strict']);
  });

  test('the caller\'s object is left as it was', () => {
    // GIVEN an object relying on a default
    const obj = object({});

    // WHEN validating it
    validateWithCrdSchema(topLevel, obj);

    // THEN the default was applied to a copy only
    expect(obj.spec).toEqual({});
  });

  const nested = crd({
    'type': 'object',
    'properties': {
      plain: { type: 'boolean' },
      tls: {
        'type': 'object',
        'properties': { minVersion: { type: 'string', default: '1.2' } },
        'x-kubernetes-validations': [{ rule: "self.minVersion == '1.2'", message: 'minVersion must be 1.2' }],
      },
    },
    'x-kubernetes-validations': [{ rule: 'self.plain == !has(self.tls)', message: 'tls must be set unless plain' }],
  });

  test('a default applies where its parent exists, and never creates an absent parent', () => {
    // GIVEN / WHEN / THEN tls: {} gets minVersion; an absent tls stays absent (so a non-plain spec without tls fails)
    expect(validateWithCrdSchema(nested, object({ plain: false, tls: {} }))).toEqual([]);
    expect(validateWithCrdSchema(nested, object({ plain: true }))).toEqual([]);
    expect(validateWithCrdSchema(nested, object({ plain: false }))).toEqual(['spec: Invalid value: "object": tls must be set unless plain']);
    expect(validateWithCrdSchema(nested, object({ plain: false, tls: { minVersion: '1.3' } })))
      .toEqual(['spec.tls: Invalid value: "object": minVersion must be 1.2']);
  });

  const lists = crd({
    type: 'object',
    properties: {
      ports: {
        'type': 'array',
        'items': { type: 'object', properties: { number: { type: 'integer' }, protocol: { type: 'string', default: 'TCP' } } },
        'x-kubernetes-validations': [{ rule: "self.all(p, p.protocol == 'TCP')", message: 'every port must be TCP' }],
      },
      weights: {
        'type': 'object',
        'additionalProperties': { type: 'object', properties: { weight: { type: 'integer', default: 1 } } },
        'x-kubernetes-validations': [{ rule: 'self.all(k, self[k].weight == 1)', message: 'every weight must be 1' }],
      },
    },
  });

  test('every list item is defaulted by the items schema', () => {
    expect(validateWithCrdSchema(lists, object({ ports: [{ number: 80 }, { number: 443 }] }))).toEqual([]);
    expect(validateWithCrdSchema(lists, object({ ports: [{ number: 80 }, { number: 53, protocol: 'UDP' }] })))
      .toEqual(['spec.ports: Invalid value: "array": every port must be TCP']);
  });

  test('every additionalProperties value is defaulted by its schema', () => {
    expect(validateWithCrdSchema(lists, object({ weights: { a: {}, b: {} } }))).toEqual([]);
    expect(validateWithCrdSchema(lists, object({ weights: { a: {}, b: { weight: 2 } } })))
      .toEqual(['spec.weights: Invalid value: "object": every weight must be 1']);
  });
});

// ---------------------------------------------------------------------------------------------
// Kubernetes CEL library: isIP
// ---------------------------------------------------------------------------------------------

describe('CEL isIP', () => {
  const schema = {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        properties: { address: { 'type': 'string', 'x-kubernetes-validations': [{ rule: 'isIP(self)', message: 'must be an IP address' }] } },
      },
    },
  };
  const object = (address: string) => ({ apiVersion: 'example.io/v1', kind: 'Addr', metadata: { name: 'x', namespace: 'default' }, spec: { address } });

  test.each(['10.0.0.1', '2001:db8::1', '::1', '64:ff9b::10.0.0.1'])('%s is an IP address', (address) => {
    expect(validateWithCrdSchema(schema, object(address))).toEqual([]);
  });

  test.each(['example.com', '10.0.0.256', '010.0.0.1', 'fe80::1%eth0', '::ffff:10.0.0.1', '0:0:0:0:0:FFFF:10.0.0.1', '::ffff:a00:1'])('%s is not', (address) => {
    expect(validateWithCrdSchema(schema, object(address))).toEqual([`spec.address: Invalid value: ${JSON.stringify(address)}: must be an IP address`]);
  });
});

// ---------------------------------------------------------------------------------------------
// v1beta1: Istio 1.18.2's schema and Istio 1.30.3's CEL rules
// ---------------------------------------------------------------------------------------------

describe('v1beta1 objects are also checked by 1.30.3 CEL', () => {
  const BETA = 'networking.istio.io/v1beta1';

  test('a valid v1beta1 ServiceEntry passes both', () => {
    expect(validateIstioObject(serviceEntry({}, BETA))).toEqual([]);
  });

  test('a wildcard host passes 1.18.2 (no CEL) but is refused by 1.30.3\'s rule of the same kind and version', () => {
    // GIVEN a v1beta1 ServiceEntry for every host
    const se = serviceEntry({ hosts: ['*'] }, BETA);

    // WHEN validated with the default release (1.18.2 for v1beta1)
    const errors = validateIstioObject(se);

    // THEN the 1.30.3 rule names it
    expect(errors).toEqual(['ServiceEntry/default/wikipedia [networking.istio.io/v1beta1, Istio 1.30.3 CEL]: spec.hosts[0]: Invalid value: "*": hostname cannot be wildcard']);
    expect(() => assertValidIstioObjects([se])).toThrow('Istio 1.30.3 CEL]: spec.hosts[0]');
  });

  test('fields 1.18.2 lacks are still refused by its schema', () => {
    // GIVEN a v1beta1 DestinationRule with tcp.idleTimeout (added after 1.18)
    const dr = {
      apiVersion: 'networking.istio.io/v1beta1',
      kind: 'DestinationRule',
      metadata: { name: 'wikipedia', namespace: 'default' },
      spec: { host: 'www.wikipedia.org', trafficPolicy: { connectionPool: { tcp: { idleTimeout: '1h' } } } },
    };

    // WHEN / THEN 1.18.2 refuses the field; 1.30.3 alone accepts it
    expect(validateIstioObject(dr)).toEqual([
      'DestinationRule/default/wikipedia [networking.istio.io/v1beta1, Istio 1.18.2]: spec.trafficPolicy.connectionPool.tcp.idleTimeout: '
        + 'unknown field "spec.trafficPolicy.connectionPool.tcp.idleTimeout" (strict field validation; the API server would reject or prune it)',
    ]);
    expect(validateIstioObject(dr, '1.30.3')).toEqual([]);
  });

  test('after a blocking schema error the 1.30.3 rules are skipped, as the API server skips CEL', () => {
    // GIVEN a wildcard host and an unsupported resolution
    const se = serviceEntry({ hosts: ['*'], resolution: 'DNSS' }, BETA);

    // WHEN / THEN only the schema error is reported
    const errors = validateIstioObject(se);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('Istio 1.18.2]: spec.resolution: Unsupported value: "DNSS"');
  });
});

// ---------------------------------------------------------------------------------------------
// One dispatch, failing closed
// ---------------------------------------------------------------------------------------------

describe('dispatch fails closed', () => {
  const namespaceObj = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'egress' } };
  const gateway = {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name: 'egress', namespace: 'egress' },
    spec: { gatewayClassName: 'istio', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] },
  };

  test('each group goes to its validator', () => {
    expect(validatorFor(serviceEntry())).toBe('istio');
    expect(validatorFor(gateway)).toBe('gatewayApi');
    expect(validatorFor(namespaceObj)).toBe('kubernetes');
    expect(validatorFor({ apiVersion: 'v1', kind: 'Namespce' })).toBe('unknown');
    expect(validatorFor('not an object')).toBe('unknown');
  });

  test('a mixed set is validated object by object, none skipped', () => {
    expect(assertValidIstioObjects([serviceEntry(), gateway, namespaceObj])).toEqual({ validated: 3, istio: 1, gatewayApi: 1, kubernetes: 1 });
  });

  test('each validator still refuses what it refuses through the dispatch', () => {
    expect(validateManifest({ ...namespaceObj, metadata: { name: 'Egress' } })).toEqual([
      expect.stringContaining('Namespace/Egress: metadata.name: Invalid value: "Egress"'),
    ]);
    expect(validateManifest({ ...gateway, spec: { ...gateway.spec, gatewayClassName: '' } })).toEqual([
      expect.stringContaining('spec.gatewayClassName: Invalid value: "": should be at least 1 chars long'),
    ]);
  });

  test.each([
    ['a misspelt kind', { apiVersion: 'v1', kind: 'Namespce', metadata: { name: 'egress' } },
      'Namespce/<no namespace>/egress [v1]: the API server would reject: no validator knows v1, Kind=Namespce',
      'Fix: correct apiVersion/kind'],
    ['a version Kubernetes does not serve', { apiVersion: 'networking.k8s.io/v2', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: 'egress' }, spec: { podSelector: {} } },
      'NetworkPolicy/egress/deny [networking.k8s.io/v2]: the API server would reject: no validator knows networking.k8s.io/v2, Kind=NetworkPolicy',
      'Fix: use an apiVersion that serves NetworkPolicy: networking.k8s.io/v1'],
    ['a misspelt group', { ...serviceEntry(), apiVersion: 'networking.istio.com/v1' },
      'ServiceEntry/default/wikipedia [networking.istio.com/v1]: the API server would reject: no validator knows networking.istio.com/v1, Kind=ServiceEntry',
      'Fix: use an apiVersion that serves ServiceEntry: networking.istio.io/v1, networking.istio.io/v1alpha3, networking.istio.io/v1beta1'],
    ['an Istio group with a kind no CRD has', { ...serviceEntry(), kind: 'ServiceEntri' },
      'no CRD serves networking.istio.io/v1 ServiceEntri in Istio 1.30.3', '(no CRD with kind ServiceEntri at all)'],
    ['a Gateway API group with a kind no CRD has', { ...gateway, kind: 'Gateways' },
      'no CRD serves gateway.networking.k8s.io/v1 Gateways in the experimental channel', '(no CRD with kind Gateways at all)'],
  ])('%s fails, naming the object and the fix', (_what, obj, named, fix) => {
    // WHEN validating it alone and among valid objects
    const errors = validateManifest(obj);
    const run = () => assertValidIstioObjects([serviceEntry(), obj, namespaceObj]);

    // THEN it is an error (never skipped)
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(named);
    expect(errors[0]).toContain(fix);
    expect(run).toThrow(/^1 of 3 object\(s\) would be rejected by the API server/);
    expect(run).toThrow(named);
  });

  test('an object without apiVersion or kind fails', () => {
    expect(validateManifest({ kind: 'Namespace', metadata: { name: 'x' } })).toEqual([
      'Namespace/<no namespace>/x: <root>: Required value: a manifest needs string apiVersion and kind; no API server accepts it',
    ]);
    expect(() => assertValidIstioObjects([null])).toThrow('1 of 1 object(s) would be rejected');
  });
});
