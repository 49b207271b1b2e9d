/**
 * The per-object rules on hand-written manifests, in both directions: what Istio accepts passes
 * (checked against the CRD validator too), what it rejects is an error with Istio's message.
 */
import { Finding, checkObject } from '../../src/rules';
import { checkUnknownFields } from '../../src/rules/fields';
import { assertValidIstioObjects } from '../support/crd-validator';

const NET = 'networking.istio.io/v1';

function manifest(kind: string, spec: any, name = 'x', namespace = 'default') {
  return { apiVersion: `${NET}`, kind, metadata: { name, namespace }, spec };
}

function errors(findings: Finding[]): string[] {
  return findings.filter(f => f.severity === 'error').map(f => `${f.field}: ${f.message}`);
}

const validGateway = manifest('Gateway', {
  selector: { istio: 'egressgateway' },
  servers: [
    { port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['www.wikipedia.org'] },
    { port: { number: 443, name: 'tls', protocol: 'TLS' }, hosts: ['default/api.example.com'], tls: { mode: 'PASSTHROUGH' } },
    { port: { number: 8443, name: 'https', protocol: 'HTTPS' }, hosts: ['*/api.example.com'], tls: { mode: 'ISTIO_MUTUAL' } },
    { port: { number: 9443, name: 'https-simple', protocol: 'HTTPS' }, hosts: ['./*.example.com'], tls: { mode: 'SIMPLE', credentialName: 'cert' } },
  ],
}, 'istio-egressgateway', 'istio-system');

const validVirtualService = manifest('VirtualService', {
  hosts: ['www.wikipedia.org'],
  gateways: ['istio-system/istio-egressgateway', 'mesh'],
  http: [
    { match: [{ gateways: ['mesh'], port: 80 }], route: [{ destination: { host: 'istio-egressgateway.istio-system.svc.cluster.local', subset: 'wikipedia', port: { number: 80 } }, weight: 100 }] },
    { match: [{ gateways: ['istio-system/istio-egressgateway'], port: 80 }], route: [{ destination: { host: 'www.wikipedia.org', port: { number: 80 } }, weight: 100 }] },
  ],
  tls: [
    { match: [{ gateways: ['mesh'], port: 443, sniHosts: ['www.wikipedia.org'] }], route: [{ destination: { host: 'www.wikipedia.org', port: { number: 443 } } }] },
  ],
  tcp: [{ match: [{ port: 5432 }], route: [{ destination: { host: 'www.wikipedia.org', port: { number: 5432 } } }] }],
});

const validDestinationRule = manifest('DestinationRule', {
  host: 'istio-egressgateway.istio-system.svc.cluster.local',
  subsets: [{ name: 'wikipedia' }, { name: 'other', trafficPolicy: { portLevelSettings: [{ port: { number: 443 }, tls: { mode: 'ISTIO_MUTUAL', sni: 'api.example.com' } }] } }],
  exportTo: ['.'],
});

describe('objects Istio accepts pass', () => {
  test.each([
    ['Gateway', validGateway],
    ['VirtualService', validVirtualService],
    ['DestinationRule', validDestinationRule],
    ['ServiceEntry', manifest('ServiceEntry', { hosts: ['a.example.com', 'b.example.com'], ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }], resolution: 'DNS', exportTo: ['.', 'istio-system'] })],
  ])('%s', (_, object) => {
    expect(checkObject(object)).toEqual([]);
    assertValidIstioObjects([object]);
  });

  test('kinds without rules and non-Istio objects pass through', () => {
    expect(checkObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } })).toEqual([]);
    expect(checkObject({ apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry', spec: {} })).toEqual([]);
  });
});

describe('Gateway rules', () => {
  const gateway = (servers: any[], name = 'gw') => manifest('Gateway', { selector: { istio: 'egressgateway' }, servers }, name);
  const server = (port: any, extra: any = {}) => ({ port, hosts: ['api.example.com'], ...extra });

  test.each([
    ['a dotted name', gateway([server({ number: 80, name: 'http', protocol: 'HTTP' })], 'my.gw'), 'metadata.name: invalid gateway name: "my.gw"'],
    ['no servers', gateway([]), 'spec.servers: gateway must have at least one server'],
    ['a server without hosts', gateway([{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: [] }]), 'server config must contain at least one host'],
    ['a short host name', gateway([{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['api'] }]), 'short names (non FQDN) are not allowed'],
    ['an empty namespace', gateway([{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['/api.example.com'] }]), 'config namespace and dnsName in host entry cannot be empty'],
    ['a bad namespace', gateway([{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['a_b/api.example.com'] }]), 'invalid namespace value "a_b" in gateway'],
    ['a partial wildcard', gateway([{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*api.example.com'] }]), 'partial wildcard "*api.example.com" not allowed'],
    ['no port', gateway([{ hosts: ['api.example.com'] }]), 'port is required'],
    ['port 0', gateway([server({ number: 0, name: 'http', protocol: 'HTTP' })]), 'port number 0 must be in the range 1..65535'],
    ['an unknown protocol', gateway([server({ number: 21, name: 'ftp', protocol: 'FTP' })]), 'invalid protocol "FTP"'],
    ['no port name', gateway([server({ number: 80, protocol: 'HTTP' })]), 'port name must be set'],
    ['duplicate port names', gateway([server({ number: 80, name: 'p', protocol: 'HTTP' }), server({ number: 81, name: 'p', protocol: 'HTTP' })]), 'port names in servers must be unique: duplicate name p'],
    ['a targetPort', gateway([server({ number: 80, name: 'http', protocol: 'HTTP', targetPort: 8080 })]), 'targetPort has no impact on Gateways'],
    ['TLS without tls settings', gateway([server({ number: 443, name: 'tls', protocol: 'TLS' })]), 'server must have TLS settings for HTTPS/TLS protocols'],
    ['HTTP with tls settings', gateway([server({ number: 80, name: 'http', protocol: 'HTTP' }, { tls: { mode: 'SIMPLE' } })]), 'server cannot have TLS settings for plain text HTTP ports'],
    ['TCP with tls settings', gateway([server({ number: 5432, name: 'tcp', protocol: 'TCP' }, { tls: { mode: 'SIMPLE' } })]), 'server cannot have TLS settings for non HTTPS/TLS ports'],
    ['an unknown TLS mode', gateway([server({ number: 443, name: 'tls', protocol: 'TLS' }, { tls: { mode: 'OPEN' } })]), 'unsupported TLS mode OPEN'],
    ['ISTIO_MUTUAL with a credential', gateway([server({ number: 443, name: 'tls', protocol: 'HTTPS' }, { tls: { mode: 'ISTIO_MUTUAL', credentialName: 'c' } })]), 'ISTIO_MUTUAL TLS cannot have associated credentialName'],
    ['SIMPLE without certificates', gateway([server({ number: 443, name: 'tls', protocol: 'HTTPS' }, { tls: { mode: 'SIMPLE' } })]), 'SIMPLE TLS requires a server certificate'],
    ['MUTUAL without CA', gateway([server({ number: 443, name: 'tls', protocol: 'HTTPS' }, { tls: { mode: 'MUTUAL', serverCertificate: '/c', privateKey: '/k' } })]), 'MUTUAL TLS requires a client CA bundle'],
  ])('refuses %s', (_, object, message) => {
    expect(errors(checkObject(object)).join('\n')).toContain(message);
  });
});

describe('VirtualService rules', () => {
  const vs = (spec: any) => manifest('VirtualService', spec);
  const to = (host: string) => [{ destination: { host } }];

  test.each([
    ['a delegate with gateways', vs({ gateways: ['mesh'], http: [{ route: to('a.example.com') }] }), 'delegate virtual service must have no gateways specified'],
    ['host * bound to mesh', vs({ hosts: ['*'], http: [{ route: to('a.example.com') }] }), 'wildcard host * is not allowed for virtual services bound to the mesh gateway'],
    ['a bad host', vs({ hosts: ['a_b.com'], http: [{ route: to('a.example.com') }] }), 'label "a_b" invalid'],
    ['overlapping hosts', vs({ hosts: ['*.example.com', 'a.example.com'], http: [{ route: to('a.example.com') }] }), 'duplicate hosts in virtual service: *.example.com & a.example.com'],
    ['no routes', vs({ hosts: ['a.example.com'] }), 'http, tcp or tls must be provided in virtual service'],
    ['an http rule without route', vs({ hosts: ['a.example.com'], http: [{}] }), 'HTTP route, redirect or direct_response is required'],
    ['route and redirect', vs({ hosts: ['a.example.com'], http: [{ route: to('a.example.com'), redirect: { uri: '/' } }] }), 'HTTP route cannot contain both route and redirect'],
    ['destination *', vs({ hosts: ['a.example.com'], http: [{ route: to('*') }] }), 'invalid destination host *'],
    ['a bad subset', vs({ hosts: ['a.example.com'], http: [{ route: [{ destination: { host: 'a.example.com', subset: 'a_b' } }] }] }), 'subset name is invalid: a_b'],
    ['a destination port 0', vs({ hosts: ['a.example.com'], http: [{ route: [{ destination: { host: 'a.example.com', port: { number: 0 } } }] }] }), 'port number 0 must be in the range'],
    ['negative weight', vs({ hosts: ['a.example.com'], http: [{ route: [{ destination: { host: 'a.example.com' }, weight: -1 }] }] }), 'weight -1 < 0'],
    ['zero total weight', vs({ hosts: ['a.example.com'], http: [{ route: [{ destination: { host: 'a.example.com' }, weight: 0 }, { destination: { host: 'b.example.com' }, weight: 0 }] }] }), 'total destination weight = 0'],
    ['a missing destination', vs({ hosts: ['a.example.com'], http: [{ route: [{ weight: 100 }] }] }), 'destination is required'],
    ['gateways ./name', vs({ hosts: ['a.example.com'], gateways: ['./gw'], http: [{ route: to('a.example.com') }] }), 'invalid value for namespace: "."'],
    ['gateways ns/', vs({ hosts: ['a.example.com'], gateways: ['ns/'], http: [{ route: to('a.example.com') }] }), 'config namespace and gateway name cannot be empty'],
    ['a match gateway the VS does not bind', vs({ hosts: ['a.example.com'], gateways: ['mesh'], http: [{ match: [{ gateways: ['istio-system/gw'] }], route: to('a.example.com') }] }),
      'which spec.gateways does not bind, so the rule never applies'],
    ['a match port 70000', vs({ hosts: ['a.example.com'], http: [{ match: [{ port: 70000 }], route: to('a.example.com') }] }), 'port number 70000 must be in the range'],
    ['a TLS route without match', vs({ hosts: ['a.example.com'], tls: [{ route: to('a.example.com') }] }), 'TLS route must have at least one match condition'],
    ['a TLS match without SNI hosts', vs({ hosts: ['a.example.com'], tls: [{ match: [{ port: 443 }], route: to('a.example.com') }] }), 'TLS match must have at least one SNI host'],
    ['SNI hosts outside hosts', vs({ hosts: ['a.example.com'], tls: [{ match: [{ sniHosts: ['b.example.com'] }], route: to('a.example.com') }] }),
      'SNI host "b.example.com" is not a compatible subset of any of the virtual service hosts: [a.example.com]'],
    ['a TLS rule without route', vs({ hosts: ['a.example.com'], tls: [{ match: [{ sniHosts: ['a.example.com'] }] }] }), 'TLS route is required'],
    ['a TCP rule without route', vs({ hosts: ['a.example.com'], tcp: [{}] }), 'TCP route is required'],
    ['exportTo ~', vs({ hosts: ['a.example.com'], http: [{ route: to('a.example.com') }], exportTo: ['~'] }), 'exportTo ~ (none) is not allowed for Istio configuration objects'],
  ])('refuses %s', (_, object, message) => {
    expect(errors(checkObject(object)).join('\n')).toContain(message);
  });

  test('warns on the legacy name.namespace gateway form and on IP SNI hosts, without errors', () => {
    const findings = checkObject(vs({
      hosts: ['a.example.com'],
      gateways: ['gw.istio-system'],
      tls: [{ match: [{ gateways: ['gw.istio-system'], sniHosts: ['192.0.2.1', 'a.example.com'] }], route: to('a.example.com') }],
    }));
    expect(findings.filter(f => f.severity === 'warning').map(f => f.message)).toEqual(expect.arrayContaining([
      'using legacy gatewayName format "gw.istio-system"; prefer the <namespace>/<name> format: "istio-system/gw"',
      'using an IP address ("192.0.2.1") goes against SNI spec and most clients do not support this',
    ]));
  });

  test('the lesson\'s second route with `port: 80` beside `match` is an unknown field for the API server', () => {
    const lessonAsWritten = vs({
      hosts: ['www.wikipedia.org'],
      gateways: ['istio-system/istio-egressgateway', 'mesh'],
      http: [{ match: [{ gateways: ['istio-system/istio-egressgateway'] }], port: 80, route: to('www.wikipedia.org') }],
    });
    expect(() => assertValidIstioObjects([lessonAsWritten])).toThrow(/port/);
  });
});

describe('DestinationRule rules', () => {
  const dr = (spec: any) => manifest('DestinationRule', spec);
  test.each([
    ['no host', dr({}), 'spec.host: host is required'],
    ['a bad host', dr({ host: 'a_b.example.com' }), 'label "a_b" invalid'],
    ['an empty traffic policy', dr({ host: 'a.example.com', trafficPolicy: {} }), 'traffic policy must have at least one field'],
    ['an empty subset name', dr({ host: 'a.example.com', subsets: [{ name: '' }] }), 'subset name cannot be empty'],
    ['a bad subset name', dr({ host: 'a.example.com', subsets: [{ name: 'a.b' }] }), 'subset name is invalid: a.b'],
    ['duplicate subsets', dr({ host: 'a.example.com', subsets: [{ name: 'a' }, { name: 'a' }] }), 'duplicate subset names: a'],
    ['a null subset', dr({ host: 'a.example.com', subsets: [null] }), 'subset may not be null'],
    ['a port setting without port', dr({ host: 'a.example.com', trafficPolicy: { portLevelSettings: [{ tls: { mode: 'SIMPLE' } }] } }), 'portTrafficPolicy must have valid port'],
    ['an empty port setting', dr({ host: 'a.example.com', trafficPolicy: { portLevelSettings: [{ port: { number: 443 } }] } }), 'port traffic policy must have at least one field'],
    ['exportTo ~', dr({ host: 'a.example.com', exportTo: ['~'] }), 'exportTo ~ (none) is not allowed'],
  ])('refuses %s', (_, object, message) => {
    expect(errors(checkObject(object)).join('\n')).toContain(message);
  });

  test('host * is accepted', () => {
    expect(errors(checkObject(dr({ host: '*', trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } } })))).toEqual([]);
  });
});

describe('ServiceEntry rules not reachable through ExternalHost', () => {
  const se = (spec: any) => manifest('ServiceEntry', spec);
  test.each([
    ['workloadSelector with endpoints', se({ hosts: ['a.example.com'], resolution: 'STATIC', workloadSelector: { labels: { app: 'a' } }, endpoints: [{ address: '10.0.0.1' }] }), 'only one of WorkloadSelector or Endpoints'],
    ['an unknown resolution', se({ hosts: ['a.example.com'], resolution: 'DNSS' }), 'unsupported resolution type DNSS'],
    ['an unknown location', se({ hosts: ['a.example.com'], location: 'OUTSIDE' }), 'unsupported location OUTSIDE'],
    ['a port without name', se({ hosts: ['a.example.com'], ports: [{ number: 80, protocol: 'HTTP' }] }), 'port name is required'],
    ['a port that is not an object', se({ hosts: ['a.example.com'], ports: ['80'] }), 'port must be an object'],
    ['an endpoint without address', se({ hosts: ['a.example.com'], resolution: 'STATIC', endpoints: [{ ports: {} }] }), 'Address is required'],
    ['a DNS endpoint that is neither IP nor FQDN', se({ hosts: ['a.example.com'], resolution: 'DNS', endpoints: [{ address: 'bad_name' }] }), 'is not a valid FQDN or an IP address'],
    ['DYNAMIC_DNS with addresses and endpoints', se({ hosts: ['*.example.com'], resolution: 'DYNAMIC_DNS', addresses: ['10.0.0.1'], endpoints: [{ address: '10.0.0.1' }] }), 'addresses cannot be set for resolution type DYNAMIC_DNS'],
    // Istio says "at least one wildcard host" only when there is no host at all; a concrete host gets "must be wildcarded".
    ['DYNAMIC_DNS without hosts', se({ hosts: [], resolution: 'DYNAMIC_DNS' }), 'at least one wildcard host must be provided for resolution type DYNAMIC_DNS'],
    ['a selector with an empty key', se({ hosts: ['a.example.com'], resolution: 'STATIC', workloadSelector: { labels: { '': 'x' } } }), 'empty key is not supported in selector'],
    ['exportTo ~ and others', se({ hosts: ['a.example.com'], exportTo: ['~', 'a'] }), 'cannot export service entry to no one (~) and someone'],
    ['a duplicate exportTo', se({ hosts: ['a.example.com'], exportTo: ['a', 'a'] }), 'duplicate entries in exportTo for entry a'],
  ])('refuses %s', (_, object, message) => {
    expect(errors(checkObject(object)).join('\n')).toContain(message);
  });

  test('warnings: partial wildcard, NONE with a selector, DNS with addresses and several hosts on TLS', () => {
    const warnings = (spec: any) => checkObject(se(spec)).filter(f => f.severity === 'warning').map(f => f.message);
    expect(warnings({ hosts: ['*foo.example.com'], resolution: 'NONE', ports: [{ number: 443, name: 'tls', protocol: 'TLS' }] }))
      .toContain('partial wildcard "*foo.example.com" not allowed');
    expect(warnings({ hosts: ['a.example.com'], resolution: 'NONE', workloadSelector: { labels: { app: 'a' } } }))
      .toContain('workloadSelector should not be set when resolution mode is NONE');
    expect(warnings({ hosts: ['a.example.com', 'b.example.com'], resolution: 'DNS', addresses: ['10.0.0.1'], ports: [{ number: 443, name: 'tls', protocol: 'TLS' }] }))
      .toContain('service entry can not have more than one host specified simultaneously with address and tcp port');
    expect(checkObject(se({ hosts: ['a.example.com'], exportTo: ['~'] }))).toEqual([]);
  });
});

describe('unknown fields', () => {
  test('a field the CRD does not know is an error, wherever it is', () => {
    const findings = checkObject({
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'x', namespace: 'default' },
      extra: 1,
      spec: { hosts: ['a.example.com'], http: [{ match: [{ gateways: ['mesh'] }], port: 80, route: [{ destination: { host: 'a.example.com', prot: 1 } }] }] },
    } as any);
    expect(findings.filter(f => f.rule === 'UNKNOWN_FIELD').map(f => f.field)).toEqual(['extra', 'spec.http[0].port', 'spec.http[0].route[0].destination.prot']);
    expect(findings.find(f => f.field === 'spec.http[0].port')!.message).toBe('unknown field "spec.http[0].port": the API server refuses it (or drops it), so it has no effect');
  });

  test('a field named like a member of every JavaScript object is unknown too', () => {
    const findings = checkObject(manifest('ServiceEntry', {
      hosts: ['a.example.com'],
      constructor: 1,
      ports: [{ number: 443, name: 'https', protocol: 'HTTPS', hasOwnProperty: true }],
      resolution: 'DNS',
    }));
    expect(findings.filter(f => f.rule === 'UNKNOWN_FIELD').map(f => f.field)).toEqual(['spec.constructor', 'spec.ports[0].hasOwnProperty']);
  });

  test('maps and free-form fields accept any key', () => {
    const findings = checkObject({
      apiVersion: 'networking.istio.io/v1',
      kind: 'ServiceEntry',
      metadata: { name: 'x', namespace: 'default' },
      spec: { hosts: ['a.example.com'], resolution: 'STATIC', endpoints: [{ address: '10.0.0.1', labels: { anything: 'x' }, ports: { 'http-80': 8080 } }], ports: [{ number: 80, name: 'http-80', protocol: 'HTTP' }] },
    });
    expect(findings).toEqual([]);
    const telemetry = checkObject({ apiVersion: 'telemetry.istio.io/v1', kind: 'Telemetry', metadata: { name: 't' }, spec: { accessLogging: [{ providers: [{ name: 'envoy' }] }], bogus: true } });
    expect(telemetry.map(f => f.field)).toEqual(['spec.bogus']);
  });
});

// The API server does not check `format: int32`; Istio's webhook decodes the spec into Go's int32 and refuses the
// object (verdicts checked with Istio 1.30.3's webhook code through npm run parity --extra).
describe('int32 numbers (DECODE1)', () => {
  const decode = (field: string, value: number) => [field, `error decoding configuration: json: cannot unmarshal number ${value} into Go value of type int32`];
  const rows = (object: any) => checkObject(object).filter(f => f.rule === 'DECODE1').map(f => [f.field, f.message]);
  const retries = (attempts: number) => manifest('VirtualService', { hosts: ['a.example.com'], http: [{ retries: { attempts }, route: [{ destination: { host: 'a.example.com' }, weight: 100 }] }] });
  const pool = (connectionPool: any) => manifest('DestinationRule', { host: 'a.example.com', trafficPolicy: { connectionPool } });

  test('the bounds of int32 are accepted, and pass the CRD schema', () => {
    for (const object of [retries(2147483647), pool({ http: { http2MaxRequests: 2147483647 } })]) {
      expect(checkObject(object)).toEqual([]);
      assertValidIstioObjects([object]);
    }
    // Negative attempts are refused for another reason (VS32); the number itself decodes.
    expect(rows(retries(-2147483648))).toEqual([]);
  });

  test('one past either bound is refused, with the fix', () => {
    expect(rows(retries(2147483648))).toEqual([decode('spec.http[0].retries.attempts', 2147483648)]);
    expect(rows(retries(-2147483649))).toEqual([decode('spec.http[0].retries.attempts', -2147483649)]);
    expect(checkObject(retries(2147483648)).find(f => f.rule === 'DECODE1')).toMatchObject({ code: 'IST0106', severity: 'error', value: 2147483648, fix: 'use a number from -2147483648 to 2147483647' });
  });

  test('in every kind that has int32 fields, at any depth', () => {
    expect(rows(pool({ http: { http2MaxRequests: 2147483648 }, tcp: { maxConnections: 9007199254740991 } }))).toEqual([
      decode('spec.trafficPolicy.connectionPool.http.http2MaxRequests', 2147483648),
      decode('spec.trafficPolicy.connectionPool.tcp.maxConnections', 9007199254740991),
    ]);
    const sidecar = manifest('Sidecar', { inboundConnectionPool: { tcp: { maxConnections: 3000000000 } } });
    expect(rows(sidecar)).toEqual([decode('spec.inboundConnectionPool.tcp.maxConnections', 3000000000)]);
    const weight = manifest('VirtualService', { hosts: ['a.example.com'], http: [{ route: [{ destination: { host: 'a.example.com' }, weight: 4294967296 }] }] });
    expect(rows(weight)).toEqual([decode('spec.http[0].route[0].weight', 4294967296)]);
  });

  test('what is no integer is the schema\'s to refuse, not this rule\'s; uint32 fields are not int32', () => {
    expect(rows(retries(1.5))).toEqual([]);
    expect(rows(retries('2147483648' as any))).toEqual([]);
    const port = manifest('ServiceEntry', { hosts: ['a.example.com'], ports: [{ number: 65535, name: 'tcp', protocol: 'TCP', targetPort: 3000000000 }], resolution: 'DNS' });
    expect(rows(port)).toEqual([]);
  });
});

describe('the schema walk over any field tree', () => {
  const spec = (value: any) => ({ apiVersion: 'example.io/v1', kind: 'Example', metadata: { name: 'x' }, spec: value });
  const walked = (tree: any, value: any) => checkUnknownFields(spec(value), tree).map(f => [f.rule, f.field, f.value]);

  test('a kind without a tree is not walked', () => {
    expect(checkUnknownFields({ ...spec({ anything: 1 }), extra: 1 } as any, undefined)).toEqual([]);
  });

  test('int32 numbers in lists and maps are checked too', () => {
    expect(walked({ p: { counts: { i: { n: 1 } } } }, { counts: [1, 2147483648, 'x', null] })).toEqual([['DECODE1', 'spec.counts[1]', 2147483648]]);
    expect(walked({ p: { limits: { a: { n: 1 } } } }, { limits: { a: 1, b: -2147483649 } })).toEqual([['DECODE1', 'spec.limits.b', -2147483649]]);
    expect(walked({ n: 1 }, 2147483648)).toEqual([['DECODE1', 'spec', 2147483648]]);
  });

  test('unknown fields in full: an error, with the fields the place knows; status is a known top-level field', () => {
    const findings = checkUnknownFields({ ...spec({ ports: [{ number: 1, nmae: 'x' }] }), extra: true, status: {} } as any, { p: { ports: { i: { p: { name: {}, number: {} } } } } });
    expect(findings).toEqual([
      {
        rule: 'UNKNOWN_FIELD',
        severity: 'error',
        field: 'extra',
        value: true,
        message: 'unknown field "extra": the API server refuses it (or drops it), so it has no effect',
        fix: 'remove it or move it where it belongs; known fields here: apiVersion, kind, metadata, spec',
      },
      {
        rule: 'UNKNOWN_FIELD',
        severity: 'error',
        field: 'spec.ports[0].nmae',
        value: 'x',
        message: 'unknown field "spec.ports[0].nmae": the API server refuses it (or drops it), so it has no effect',
        fix: 'remove it or move it where it belongs; known fields here: name, number',
      },
    ]);
  });

  test('a number beyond int32 with a fraction is the schema\'s to refuse (type integer), not the decoder\'s', () => {
    expect(walked({ p: { count: { n: 1 } } }, { count: 2147483648.5 })).toEqual([]);
    expect(walked({ p: { count: { n: 1 } } }, { count: 2147483648 })).toEqual([['DECODE1', 'spec.count', 2147483648]]);
  });

  test('a value of another shape than the tree\'s is left to the schema', () => {
    expect(walked({ p: { destination: { p: { host: {} } } } }, { destination: [{ bogus: 1 }] })).toEqual([]);
    expect(walked({ p: { list: { i: { p: { a: {} } } } } }, { list: { b: 1 } })).toEqual([]);
    expect(walked({ p: { list: { i: { p: { a: {} } } } } }, { list: [{ b: 1 }] })).toEqual([['UNKNOWN_FIELD', 'spec.list[0].b', 1]]);
    expect(walked({ p: { count: { n: 1 } } }, { count: { b: 1 } })).toEqual([]);
  });
});
