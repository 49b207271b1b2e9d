/**
 * Each DestinationRule finding in full: rule, severity, field, value, Istio's message and our fix, for the
 * branches and edges the webhook tests (destination-rule-webhook.test.ts) do not pin down. Messages are
 * Istio 1.30.3's: ValidateDestinationRule, validateTrafficPolicy, validatePortTrafficPolicies,
 * validateOutlierDetection, validateLoadBalancer (with Envoy's isPrime), validateTunnelSettings,
 * validateProxyProtocol, validateWorkloadSelector (pkg/config/validation/validation.go),
 * agent.ValidateTLS, agent.ValidateLocalityLbSetting and validateLocalities
 * (pkg/config/validation/agent/validation.go), and the analyzer destinationrule.CaCertificateAnalyzer
 * (IST0128, IST0129). The rule module is imported directly, so its tables load with this file.
 */
import { checkDestinationRule } from '../../src/rules/destination-rule';
import { assertValidIstioObjects } from '../support/crd-validator';
import { helpful } from '../support/findings';

function dr(spec: any, metadata: any = { name: 'ext', namespace: 'egress' }) {
  return { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata, spec };
}
const HOST = 'api.example.com';
const policy = (trafficPolicy: any) => dr({ host: HOST, trafficPolicy });
const TP = 'spec.trafficPolicy';

/** [rule, severity, field, value (null when unset), message, fix] */
type Row = [string, string, string, unknown, string, string];
const findings = (object: any): Row[] => helpful(checkDestinationRule(object))
  .map(f => [f.rule, f.severity, f.field, f.value === undefined ? null : f.value, f.message, f.fix]);
/** The webhook's findings only (no analyzer warnings such as IST0128). */
const webhook = (object: any): Row[] => findings(object).filter(f => !f[0].startsWith('IST'));

/** Accepted by Istio: no webhook finding, and the CRD schema with its CEL rules takes it too. */
function expectAccepted(object: any): void {
  expect(webhook(object)).toEqual([]);
  assertValidIstioObjects([object]);
}

describe('the object and its metadata', () => {
  test('a DestinationRule without metadata is read without throwing', () => {
    expect(findings({ spec: { host: HOST } })).toEqual([]);
    expect(findings({ metadata: 'x', spec: { host: HOST } })).toEqual([]);
  });

  test('an empty or non-string namespace is an unknown namespace: a configmap:// credential is not judged against it', () => {
    const tls = { mode: 'DISABLE', credentialName: 'configmap://team-a/api-ca' };
    expect(findings(dr({ host: HOST, trafficPolicy: { tls } }, { name: 'ext', namespace: '' }))).toEqual([]);
    expect(findings(dr({ host: HOST, trafficPolicy: { tls } }, { name: 'ext', namespace: 7 }))).toEqual([]);
    // With a namespace, the same credential is refused (agent.ValidateTLS).
    expect(findings(dr({ host: HOST, trafficPolicy: { tls } }))).toEqual([
      ['DR9', 'error', `${TP}.tls.credentialName`, 'configmap://team-a/api-ca',
        'invalid configmap:// credentialName: namespace must match the configuration namespace "egress"',
        'write configmap://egress/<name>, with the DestinationRule\'s own namespace'],
    ]);
  });

  test('DR9: a malformed configmap:// name in a manifest without namespace names the placeholder in the fix', () => {
    expect(findings(dr({ host: HOST, trafficPolicy: { tls: { mode: 'DISABLE', credentialName: 'configmap://api-ca' } } }, { name: 'ext' }))).toEqual([
      ['DR9', 'error', `${TP}.tls.credentialName`, 'configmap://api-ca',
        'invalid configmap:// credentialName: invalid resource name "configmap://api-ca". Expected namespace and name',
        'write configmap://<namespace>/<name>, with the DestinationRule\'s own namespace'],
    ]);
  });

  test('DR1: the host `*` is accepted (ValidateWildcardDomain takes a lone wildcard label)', () => {
    expectAccepted(dr({ host: '*' }));
  });
});

describe('subsets (DR4) and the workload selector (DR11)', () => {
  test('a null subset', () => {
    expect(findings(dr({ host: HOST, subsets: [null] }))).toEqual([
      ['DR4', 'error', 'spec.subsets[0]', null, 'subset may not be null', 'remove the empty subset'],
    ]);
  });

  test('a subset without a name has the empty name', () => {
    expect(findings(dr({ host: HOST, subsets: [{ labels: { version: 'v1' } }] }))).toEqual([
      ['DR4', 'error', 'spec.subsets[0].name', null, 'subset name cannot be empty', 'name the subset'],
    ]);
  });

  test('two subsets with empty names: the second is also a duplicate (Istio\'s set of names holds "")', () => {
    expect(findings(dr({ host: HOST, subsets: [{ name: '' }, { name: '' }] }))).toEqual([
      ['DR4', 'error', 'spec.subsets[0].name', '', 'subset name cannot be empty', 'name the subset'],
      ['DR4', 'error', 'spec.subsets[1].name', '', 'duplicate subset names: ', 'give each subset its own name'],
      ['DR4', 'error', 'spec.subsets[1].name', '', 'subset name cannot be empty', 'name the subset'],
    ]);
  });

  test('two subsets with distinct names are accepted', () => {
    expectAccepted(dr({ host: HOST, subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }] }));
  });

  test('a selector with empty matchLabels warns, like one without labels', () => {
    const object = dr({ host: HOST, workloadSelector: { matchLabels: {} } });
    expect(findings(object)).toEqual([
      ['DR11', 'warning', 'spec.workloadSelector', { matchLabels: {} }, 'workload selector specified without labels',
        'select the workloads with matchLabels, or drop the selector to apply to every client of the host'],
    ]);
  });

  test('a null workloadSelector is no selector: no warning, and exportTo may name other namespaces', () => {
    expect(findings(dr({ host: HOST, workloadSelector: null, exportTo: ['.', 'team-a'] }))).toEqual([]);
  });
});

describe('traffic policy shape (DR2, DR5, DR25)', () => {
  test('a null traffic policy is no traffic policy', () => {
    expect(findings(policy(null))).toEqual([]);
  });

  test.each([
    ['outlierDetection', { consecutive5xxErrors: 5 }],
    ['connectionPool', { tcp: { maxConnections: 10 } }],
    ['loadBalancer', { simple: 'ROUND_ROBIN' }],
    ['tls', { mode: 'ISTIO_MUTUAL' }],
    ['tunnel', { targetHost: 'proxy.example.com', targetPort: 3128 }],
    ['proxyProtocol', { version: 'V1' }],
    ['retryBudget', { percent: 20 }],
  ])('a traffic policy with only %s is not empty', (key, value) => {
    expectAccepted(policy({ [key]: value }));
  });

  test.each([
    ['outlierDetection', { consecutive5xxErrors: 5 }],
    ['connectionPool', { tcp: { maxConnections: 10 } }],
    ['loadBalancer', { simple: 'ROUND_ROBIN' }],
    ['tls', { mode: 'ISTIO_MUTUAL' }],
  ])('a port traffic policy with only %s is not empty', (key, value) => {
    expectAccepted(policy({ portLevelSettings: [{ port: { number: 443 }, [key]: value }] }));
  });

  test('an empty traffic policy, and an empty port traffic policy', () => {
    expect(findings(policy({}))).toEqual([
      ['DR2', 'error', TP, {}, 'traffic policy must have at least one field', 'remove the empty trafficPolicy'],
    ]);
    expect(findings(policy({ portLevelSettings: [{ port: { number: 443 } }] }))).toEqual([
      ['DR5', 'error', `${TP}.portLevelSettings[0]`, { port: { number: 443 } }, 'port traffic policy must have at least one field',
        'add connectionPool, loadBalancer, outlierDetection or tls, or remove the port setting'],
    ]);
  });

  test('proxy protocol V1, and proxy protocol without a version (V1 by default), are accepted', () => {
    expectAccepted(policy({ proxyProtocol: { version: 'V1' } }));
    expectAccepted(policy({ proxyProtocol: {} }));
  });

  test('DR25: an unknown proxy protocol version (the CRD\'s enum)', () => {
    expect(findings(policy({ proxyProtocol: { version: 'V3' } }))).toEqual([
      ['DR25', 'error', `${TP}.proxyProtocol.version`, 'V3', 'proxy protocol version is invalid: V3', 'use V1 or V2'],
    ]);
  });
});

describe('connection pool ids as DestinationRules report them (DR12..DR15)', () => {
  test.each<[string, any, Row]>([
    ['DR13', {}, ['DR13', 'error', `${TP}.connectionPool`, {}, 'connection pool must have at least one field',
      'set connectionPool.tcp or connectionPool.http, or remove it']],
    ['DR14', { tcp: { maxConnections: -1 } }, ['DR14', 'error', `${TP}.connectionPool.tcp.maxConnections`, -1, 'max connections must be non-negative',
      'use 0 or a positive number (0 means the default)']],
    ['DR15', { http: { h2UpgradePolicy: 'UPGRADE', useClientProtocol: true } }, ['DR15', 'error', `${TP}.connectionPool.http.useClientProtocol`, true,
      'use client protocol must not be true when H2UpgradePolicy is UPGRADE',
      'either upgrade to HTTP/2 (h2UpgradePolicy: UPGRADE) or keep the client\'s protocol (useClientProtocol: true), not both']],
    ['DR12', { tcp: { connectTimeout: '1500us' } }, ['DR12', 'error', `${TP}.connectionPool.tcp.connectTimeout`, '1500us',
      'only durations to ms precision are supported', 'use a whole number of milliseconds, at least 1ms, e.g. 5s or 250ms']],
  ])('%s', (_, connectionPool, row) => {
    expect(findings(policy({ connectionPool }))).toEqual([row]);
  });
});

describe('outlier detection (DR12, DR16..DR18)', () => {
  const OD = `${TP}.outlierDetection`;

  test('consecutiveErrors 0 (unset for Istio) does not warn', () => {
    expectAccepted(policy({ outlierDetection: { consecutiveErrors: 0 } }));
  });

  test('DR16: consecutiveErrors above 0 warns', () => {
    expect(findings(policy({ outlierDetection: { consecutiveErrors: 5 } }))).toEqual([
      ['DR16', 'warning', `${OD}.consecutiveErrors`, 5,
        'outlier detection consecutive errors is deprecated, use consecutiveGatewayErrors or consecutive5xxErrors instead',
        'use consecutiveGatewayErrors or consecutive5xxErrors'],
    ]);
  });

  test('consecutiveLocalOriginFailures 0 is accepted without splitting local origin errors', () => {
    expectAccepted(policy({ outlierDetection: { consecutiveLocalOriginFailures: 0 } }));
  });

  test('DR17: consecutiveLocalOriginFailures 1 without splitting local origin errors', () => {
    expect(findings(policy({ outlierDetection: { consecutiveLocalOriginFailures: 1, splitExternalLocalOriginErrors: false } }))).toEqual([
      ['DR17', 'error', `${OD}.consecutiveLocalOriginFailures`, 1,
        'outlier detection consecutive local origin failures is specified, but split external local origin errors is set to false',
        'set splitExternalLocalOriginErrors: true, or remove consecutiveLocalOriginFailures'],
    ]);
  });

  test('counts and percentages that are no numbers are left to the schema (no DR17, no DR18)', () => {
    expect(webhook(policy({ outlierDetection: { consecutiveLocalOriginFailures: '3', maxEjectionPercent: '150', minHealthPercent: '-1' } }))).toEqual([]);
  });

  test('DR18: the percentages at 0 and 100 are accepted, 101 and -1 are not', () => {
    expectAccepted(policy({ outlierDetection: { maxEjectionPercent: 0, minHealthPercent: 100 } }));
    expect(findings(policy({ outlierDetection: { maxEjectionPercent: 101, minHealthPercent: -1 } }))).toEqual([
      ['DR18', 'error', `${OD}.maxEjectionPercent`, 101, 'percentage 101 is not in range 0..100', 'use a percentage from 0 to 100'],
      ['DR18', 'error', `${OD}.minHealthPercent`, -1, 'percentage -1 is not in range 0..100', 'use a percentage from 0 to 100'],
    ]);
  });

  test('DR12: the interval and the base ejection time are durations of whole milliseconds', () => {
    expect(findings(policy({ outlierDetection: { interval: '1500us', baseEjectionTime: '0s' } }))).toEqual([
      ['DR12', 'error', `${OD}.baseEjectionTime`, '0s', 'must be a valid duration greater than 1ms', 'use a whole number of milliseconds, at least 1ms, e.g. 5s or 250ms'],
      ['DR12', 'error', `${OD}.interval`, '1500us', 'only durations to ms precision are supported', 'use a whole number of milliseconds, at least 1ms, e.g. 5s or 250ms'],
    ]);
  });
});

describe('warmup (DR12, DR23)', () => {
  const LB = `${TP}.loadBalancer`;

  test('minimumPercent 100 and aggression 1 are accepted (the edges Istio allows)', () => {
    expectAccepted(policy({ loadBalancer: { warmup: { duration: '60s', minimumPercent: 100, aggression: 1 } } }));
  });

  test('DR23: aggression 0.99 and a duration of whole milliseconds', () => {
    expect(findings(policy({ loadBalancer: { warmup: { duration: '60s', aggression: 0.99 } } }))).toEqual([
      ['DR23', 'error', `${LB}.warmup.aggression`, 0.99, 'aggression should be greater than or equal to 1', 'use 1 (linear) or more'],
    ]);
  });

  test('DR23: minimumPercent 100.5', () => {
    expect(findings(policy({ loadBalancer: { warmup: { duration: '60s', minimumPercent: 100.5 } } }))).toEqual([
      ['DR23', 'error', `${LB}.warmup.minimumPercent`, 100.5, 'minimumPercent value should be less than or equal to 100', 'use a percentage from 0 to 100'],
    ]);
  });

  test('a minimumPercent or aggression that is no number is left to the schema', () => {
    expect(webhook(policy({ loadBalancer: { warmup: { duration: '60s', minimumPercent: '150', aggression: '0' } } }))).toEqual([]);
  });

  test('DR23: warmup without duration', () => {
    expect(findings(policy({ loadBalancer: { warmup: {} } }))).toEqual([
      ['DR23', 'error', `${LB}.warmup.duration`, null, 'duration is required', 'set warmup.duration, e.g. 60s'],
    ]);
  });

  test('warmupDurationSecs (CEL rule only): 1ms and 1.5ms are accepted, at the policy and at a port', () => {
    expectAccepted(policy({ loadBalancer: { warmupDurationSecs: '1.5ms' }, portLevelSettings: [{ port: { number: 443 }, loadBalancer: { warmupDurationSecs: '1ms' } }] }));
  });

  test('DR12: warmupDurationSecs under 1ms at a port', () => {
    expect(findings(policy({ portLevelSettings: [{ port: { number: 443 }, loadBalancer: { simple: 'RANDOM', warmupDurationSecs: '500us' } }] }))).toEqual([
      ['DR12', 'error', `${TP}.portLevelSettings[0].loadBalancer.warmupDurationSecs`, '500us', 'must be a valid duration greater than 1ms',
        'use a duration of at least 1ms, e.g. 5s'],
    ]);
  });
});

describe('consistent hash (DR19..DR21, DR26)', () => {
  const CH = `${TP}.loadBalancer.consistentHash`;
  const hash = (consistentHash: any) => policy({ loadBalancer: { consistentHash } });
  const HASH_KEYS_MESSAGE = 'only one of httpHeaderName, httpCookie, useSourceIp, httpQueryParameterName can be set (the CRD schema\'s oneOf)';

  test.each([
    ['httpHeaderName and httpCookie', { httpHeaderName: 'x-user', httpCookie: { name: 'user' } }, ['httpHeaderName', 'httpCookie']],
    ['useSourceIp and httpQueryParameterName', { useSourceIp: true, httpQueryParameterName: 'user' }, ['useSourceIp', 'httpQueryParameterName']],
  ])('DR26: %s', (_, consistentHash, keys) => {
    expect(findings(hash(consistentHash))).toEqual([['DR26', 'error', CH, keys, HASH_KEYS_MESSAGE, 'hash on one key only']]);
  });

  test.each([
    ['httpHeaderName', 'x-user'], ['httpCookie', { name: 'user', ttl: '10s' }], ['useSourceIp', true], ['httpQueryParameterName', 'user'],
  ])('one hash key (%s) is accepted', (key, value) => {
    expectAccepted(hash({ [key]: value }));
  });

  test('DR26: ringHash and maglev together (the CRD schema\'s oneOf)', () => {
    expect(findings(hash({ useSourceIp: true, ringHash: { minimumRingSize: 1024 }, maglev: { tableSize: 65537 } }))).toEqual([
      ['DR26', 'error', CH, ['ringHash', 'maglev'], 'only one of ringHash or maglev can be set (the CRD schema\'s oneOf)', 'choose one hash algorithm'],
    ]);
  });

  test('DR19: a cookie without name (the schema requires it; Istio reads it as empty)', () => {
    expect(findings(hash({ httpCookie: { ttl: '10s' } }))).toEqual([
      ['DR19', 'error', `${CH}.httpCookie.name`, null, 'name required for HttpCookie', 'name the cookie to hash on'],
    ]);
  });

  test('DR19: a cookie attribute without name, and a null one', () => {
    expect(findings(hash({ httpCookie: { name: 'user', attributes: [{ value: 'Strict' }, null] } }))).toEqual([
      ['DR19', 'error', `${CH}.httpCookie.attributes[0].name`, null, 'cookie attribute name cannot be empty', 'name the attribute'],
      ['DR19', 'error', `${CH}.httpCookie.attributes[1].name`, null, 'cookie attribute name cannot be empty', 'name the attribute'],
    ]);
  });

  test('minimumRingSize 0 (unset for Istio) neither warns nor conflicts with ringHash', () => {
    expectAccepted(hash({ useSourceIp: true, minimumRingSize: 0, ringHash: { minimumRingSize: 1024 } }));
  });

  test('DR20: minimumRingSize alone only warns; beside maglev it is refused', () => {
    const warning: Row = ['DR20', 'warning', `${CH}.minimumRingSize`, 1024,
      'consistent hash MinimumRingSize is deprecated, use ConsistentHashLB\'s RingHash configuration instead', 'use ringHash.minimumRingSize'];
    expect(findings(hash({ useSourceIp: true, minimumRingSize: 1024 }))).toEqual([warning]);
    expect(findings(hash({ useSourceIp: true, minimumRingSize: 1024, maglev: { tableSize: 65537 } }))).toEqual([
      warning,
      ['DR20', 'error', `${CH}.minimumRingSize`, 1024, 'only one of MinimumRingSize or Maglev/Ringhash can be specified',
        'move the size into ringHash.minimumRingSize, or drop it with maglev'],
    ]);
  });

  describe('maglev table size (DR21, Envoy\'s isPrime)', () => {
    const maglev = (tableSize: unknown) => hash({ useSourceIp: true, maglev: { tableSize } });
    const notPrime = (size: unknown): Row => ['DR21', 'error', `${CH}.maglev.tableSize`, size, 'tableSize must be a prime number for maglev',
      'use a prime table size below 5000011, e.g. 65537'];

    // Envoy counts 1 as prime; 2 and 3 are prime; 4999999 is the largest prime below the limit.
    test.each([1, 2, 3, 5, 7, 65537, 4999999])('%d is accepted', size => {
      expectAccepted(maglev(size));
    });

    // 4 is even (and 2 * 2); 9 = 3 * 3 and 10201 = 101 * 101 are squares of odd primes; 65535 = 3 * 5 * 17 * 257.
    test.each([4, 8, 9, 25, 10201, 65535])('%d is not prime', size => {
      expect(findings(maglev(size))).toEqual([notPrime(size)]);
    });

    test('a negative or fractional size (which the schema refuses) is not prime either', () => {
      expect(findings(maglev(-3))).toEqual([notPrime(-3)]);
      expect(findings(maglev(2.5))).toEqual([notPrime(2.5)]);
    });
  });
});

describe('locality load balancing (DR22)', () => {
  const LOC = `${TP}.loadBalancer.localityLbSetting`;
  const outlierDetection = { consecutive5xxErrors: 3 };
  const locality = (localityLbSetting: any) => policy({ loadBalancer: { localityLbSetting }, outlierDetection });
  const error = (field: string, value: unknown, message: string, fix: string): Row => ['DR22', 'error', field, value, message, fix];
  const TO_FIX = 'list each locality once, as region[/zone[/subzone]] with `*` only at the end';
  const FROM_FIX = 'list each source locality once, as region[/zone[/subzone]] with `*` only at the end';
  const overlap = (name: string) => `locality ${name} overlap with previous specified ones`;
  /** One distribute entry per source locality, each sending everything to one region. */
  const sources = (...from: string[]) => locality({ distribute: from.map(f => ({ from: f, to: { 'eu-west': 100 } })) });

  test.each([
    'topology.kubernetes.io/region', 'topology.kubernetes.io/zone', 'topology.istio.io/subzone',
  ])('failover beside the topology label %s in failoverPriority', label => {
    const setting = { failover: [{ from: 'us-east', to: 'eu-west' }], failoverPriority: [label] };
    expect(findings(locality(setting))).toEqual([
      error(`${LOC}.failoverPriority`, label, `can not simultaneously set 'failover' and topology label '${label}' in 'failover_priority'`,
        'drop the topology labels from failoverPriority, or drop failover'),
    ]);
  });

  test('topology labels in failoverPriority without failover are accepted', () => {
    expectAccepted(locality({ failoverPriority: ['topology.kubernetes.io/region', 'topology.kubernetes.io/zone', 'topology.istio.io/subzone'] }));
  });

  test('failoverPriority alone without outlier detection warns', () => {
    const setting = { failoverPriority: ['topology.istio.io/network'] };
    expect(findings(policy({ loadBalancer: { localityLbSetting: setting } }))).toEqual([
      ['DR22', 'warning', LOC, setting, 'outlier detection policy must be provided for failover',
        'add an outlierDetection policy: failover only happens for endpoints it ejects'],
    ]);
  });

  test('a failover entry without from or to: both empty are the same region', () => {
    expect(findings(locality({ failover: [{}] }))).toEqual([
      error(`${LOC}.failover[0]`, {}, 'locality lb failover settings must specify different regions', 'fail over to another region'),
    ]);
    expectAccepted(locality({ failover: [{ from: 'us-east' }] }));
    expectAccepted(locality({ failover: [{ to: 'eu-west' }] }));
  });

  test('weights of 1 and 100 are accepted; 101 is out of range, as is a weight that is no number', () => {
    expectAccepted(locality({ distribute: [{ from: 'us-west', to: { 'us-west': 99, 'us-east': 1 } }, { from: 'us-east', to: { 'us-east': 100 } }] }));
    expect(findings(locality({ distribute: [{ from: 'us-west', to: { 'us-west': 101 } }] }))).toEqual([
      error(`${LOC}.distribute[0].to`, { 'us-west': 101 }, 'locality weight must be in range [1, 100]', 'give each locality a weight from 1 to 100'),
    ]);
    expect(findings(locality({ distribute: [{ from: 'us-west', to: { 'us-west': 'all' } }] }))).toEqual([
      error(`${LOC}.distribute[0].to`, { 'us-west': 'all' }, 'locality weight must be in range [1, 100]', 'give each locality a weight from 1 to 100'),
    ]);
  });

  test('a distribute entry without from has the empty source locality', () => {
    expect(findings(locality({ distribute: [{ to: { 'us-west': 100 } }] }))).toEqual([
      error(`${LOC}.distribute`, [''], 'locality  must not contain empty region/zone/subzone info', FROM_FIX),
    ]);
  });

  test('two wildcards, even with one at the end', () => {
    expect(findings(sources('us-*/*'))).toEqual([
      error(`${LOC}.distribute`, ['us-*/*'], 'locality us-*/* wildcard \'*\' number can not exceed 1 and must be in the end', FROM_FIX),
    ]);
  });

  test.each([
    ['a region twice', ['us-west', 'us-west'], 'us-west'],
    ['a zone after its region', ['us-west', 'us-west/z1'], 'us-west/z1'],
    ['a subzone after its region', ['us-west', 'us-west/z1/s1'], 'us-west/z1/s1'],
    ['a region after one of its zones', ['us-west/z1', 'us-west'], 'us-west'],
    ['a zone twice', ['us-west/z1', 'us-west/z1'], 'us-west/z1'],
    ['a subzone after its zone', ['us-west/z1', 'us-west/z1/s1'], 'us-west/z1/s1'],
    ['a zone after one of its subzones', ['us-west/z1/s1', 'us-west/z1'], 'us-west/z1'],
    ['a subzone twice', ['us-west/z1/s1', 'us-west/z1/s1'], 'us-west/z1/s1'],
    ['the first of three subzones again', ['us-west/z1/s1', 'us-west/z1/s2', 'us-west/z1/s1'], 'us-west/z1/s1'],
    ['the second of three subzones again', ['us-west/z1/s1', 'us-west/z1/s2', 'us-west/z1/s2'], 'us-west/z1/s2'],
  ])('overlapping sources: %s', (_, from, last) => {
    expect(findings(sources(...from))).toEqual([error(`${LOC}.distribute`, from, overlap(last), FROM_FIX)]);
  });

  test.each([
    ['regions', ['us-west', 'us-east', 'eu-west']],
    ['zones of one region', ['us-west/z1', 'us-west/z2']],
    ['subzones of one zone', ['us-west/z1/s1', 'us-west/z1/s2', 'us-west/z1/s3']],
    ['subzones of two zones', ['us-west/z1/s1', 'us-west/z2/s1']],
    ['everything after a region (only what follows `*` overlaps)', ['us-west', '*']],
  ])('sources that do not overlap: %s', (_, from) => {
    expectAccepted(sources(...from));
  });

  test('a locality of more than three parts keeps the rest in its subzone (strings.SplitN)', () => {
    expectAccepted(locality({ distribute: [{ from: 'us-west/z1/rack/1', to: { 'us-west/z1/rack/1': 40, 'us-west/z1/rack': 30, 'eu-west/z2/rack/2': 30 } }] }));
  });

  test('overlapping targets: a subzone after its zone', () => {
    const to = { 'us-west/z1': 50, 'us-west/z1/s1': 50 };
    expect(findings(locality({ distribute: [{ from: 'us-west', to }] }))).toEqual([
      error(`${LOC}.distribute[0].to`, to, overlap('us-west/z1/s1'), TO_FIX),
    ]);
  });
});

describe('tunnel (DR24)', () => {
  test.each(['', 'CONNECT', 'POST'])('protocol "%s" is accepted', protocol => {
    expectAccepted(policy({ tunnel: { protocol, targetHost: 'proxy.example.com', targetPort: 3128 } }));
  });

  test('a tunnel without target host (the schema requires it; Istio reads it as empty)', () => {
    expect(findings(policy({ tunnel: { targetPort: 3128 } }))).toEqual([
      ['DR24', 'error', `${TP}.tunnel.targetHost`, null, 'tunnel target host must be valid FQDN or IP address: empty domain name not allowed;  is not a valid IP',
        'name the proxy that tunnels the connection, e.g. proxy.example.com, or give its IP address'],
    ]);
  });
});

describe('client TLS (DR6..DR8)', () => {
  const TLS = `${TP}.tls`;
  const tls = (settings: any) => policy({ tls: settings });

  test.each([
    ['DISABLE', { mode: 'DISABLE' }],
    ['no mode (DISABLE)', { sni: HOST }],
    ['ISTIO_MUTUAL', { mode: 'ISTIO_MUTUAL' }],
    ['MUTUAL with certificate files', { mode: 'MUTUAL', clientCertificate: '/etc/certs/cert.pem', privateKey: '/etc/certs/key.pem', caCertificates: '/etc/certs/ca.pem' }],
    ['ISTIO_MUTUAL with a credential beside files (only SIMPLE and MUTUAL exclude them)', { mode: 'ISTIO_MUTUAL', credentialName: 'client', caCertificates: '/etc/certs/ca.pem' }],
    ['SIMPLE with insecureSkipVerify alone', { mode: 'SIMPLE', insecureSkipVerify: true }],
    ['SIMPLE with insecureSkipVerify and an empty list of subjectAltNames', { mode: 'SIMPLE', insecureSkipVerify: true, subjectAltNames: [] }],
  ])('%s is accepted', (_, settings) => {
    expectAccepted(tls(settings));
  });

  test('DR6: a mode the CRD does not know', () => {
    expect(findings(tls({ mode: 'PASSTHROUGH' }))).toEqual([
      ['DR6', 'error', `${TLS}.mode`, 'PASSTHROUGH', 'unsupported client TLS mode PASSTHROUGH', 'use one of DISABLE, SIMPLE, MUTUAL, ISTIO_MUTUAL'],
    ]);
  });

  test('DR6: MUTUAL with a certificate but no private key', () => {
    expect(findings(tls({ mode: 'MUTUAL', clientCertificate: '/etc/certs/cert.pem', caCertificates: '/etc/certs/ca.pem' }))).toEqual([
      ['DR6', 'error', `${TLS}.privateKey`, null, 'private key required for mutual tls', 'set credentialName to a Secret with the client certificate and key'],
    ]);
  });

  const skipSimple: Row = ['DR8', 'error', `${TLS}.insecureSkipVerify`, true,
    'cannot specify CaCertificates or CredentialName or SubjectAltNames when InsecureSkipVerify is set true',
    'remove insecureSkipVerify, or remove caCertificates, credentialName and subjectAltNames'];
  const skipMutual: Row = ['DR8', 'error', `${TLS}.insecureSkipVerify`, true,
    'cannot specify CaCertificates or SubjectAltNames when InsecureSkipVerify is set true',
    'remove insecureSkipVerify, or remove caCertificates and subjectAltNames'];

  test.each([
    ['caCertificates', { caCertificates: '/etc/certs/ca.pem' }],
    ['credentialName', { credentialName: 'api-ca' }],
    ['subjectAltNames', { subjectAltNames: [HOST] }],
  ])('DR8: SIMPLE with insecureSkipVerify and %s', (_, extra) => {
    expect(webhook(tls({ mode: 'SIMPLE', insecureSkipVerify: true, ...extra }))).toEqual([skipSimple]);
  });

  test('DR8: MUTUAL with insecureSkipVerify and caCertificates', () => {
    const files = { caCertificates: '/etc/certs/ca.pem', clientCertificate: '/etc/certs/cert.pem', privateKey: '/etc/certs/key.pem' };
    expect(findings(tls({ mode: 'MUTUAL', insecureSkipVerify: true, ...files }))).toEqual([skipMutual]);
  });

  test.each([
    ['clientCertificate', '/etc/certs/cert.pem'], ['caCertificates', '/etc/certs/ca.pem'], ['privateKey', '/etc/certs/key.pem'], ['caCrl', '/etc/certs/crl.pem'],
  ])('DR7: a credentialName beside %s', (key, file) => {
    expect(webhook(tls({ mode: 'MUTUAL', credentialName: 'client', [key]: file }))).toEqual([
      ['DR7', 'error', `${TLS}.credentialName`, 'client', 'cannot specify client certificates or CA certificate or CA CRL If credentialName is set',
        'use either credentialName or file paths'],
    ]);
  });
});

describe('IST0128, IST0129: origination that does not verify the server (destinationrule.CaCertificateAnalyzer)', () => {
  const FIX = 'set caCertificates to the CA that signs the server\'s certificate (without it the proxy trusts its system CAs), '
    + 'or use credentialName with a workloadSelector';
  const ist0128 = (mode: string, where = 'egress/ext in namespace egress'): Row => ['IST0128', 'warning', `${TP}.tls`, mode,
    `DestinationRule ${where} has TLS mode set to ${mode} but no caCertificates are set to validate server identity for host: ${HOST}`, FIX];
  const ist0129 = (i: number, mode: string, port: string): Row => ['IST0129', 'warning', `${TP}.portLevelSettings[${i}].tls`, mode,
    `DestinationRule egress/ext in namespace egress has TLS mode set to ${mode} but no caCertificates are set to validate server identity for host: ${HOST} at port ${port}`, FIX];

  test.each(['SIMPLE', 'MUTUAL'])('%s without caCertificates warns at the policy', mode => {
    expect(findings(policy({ tls: { mode, credentialName: 'client' } }))).toEqual([ist0128(mode)]);
  });

  test('without a namespace in the manifest, the message names the default namespace', () => {
    expect(findings(dr({ host: HOST, trafficPolicy: { tls: { mode: 'SIMPLE' } } }, { name: 'ext' })))
      .toEqual([ist0128('SIMPLE', 'default/ext in namespace default')]);
  });

  test.each([
    ['DISABLE', { mode: 'DISABLE' }],
    ['ISTIO_MUTUAL', { mode: 'ISTIO_MUTUAL' }],
    ['SIMPLE with caCertificates', { mode: 'SIMPLE', caCertificates: '/etc/certs/ca.pem' }],
  ])('%s does not warn', (_, settings) => {
    expect(findings(policy({ tls: settings, portLevelSettings: [{ port: { number: 443 }, tls: settings }] }))).toEqual([]);
  });

  test('a credentialName with a workloadSelector does not warn; either alone does', () => {
    const tls = { mode: 'SIMPLE', credentialName: 'api-ca' };
    expect(findings(dr({ host: HOST, trafficPolicy: { tls }, workloadSelector: { matchLabels: { app: 'client' } } }))).toEqual([]);
    expect(findings(dr({ host: HOST, trafficPolicy: { tls: { mode: 'SIMPLE' } }, workloadSelector: { matchLabels: { app: 'client' } } })))
      .toEqual([ist0128('SIMPLE')]);
  });

  test('port level: the port as Go prints the selector (`number:443`, nothing for port 0 or none)', () => {
    const object = policy({
      portLevelSettings: [
        { port: { number: 443 }, tls: { mode: 'SIMPLE' } },
        { port: { number: 8443 }, tls: { mode: 'ISTIO_MUTUAL' } },
        { port: { number: 0 }, tls: { mode: 'MUTUAL', credentialName: 'client' } },
        { tls: { mode: 'SIMPLE' } },
      ],
    });
    expect(findings(object).filter(f => f[0] !== 'DR5')).toEqual([
      ist0129(0, 'SIMPLE', 'number:443'),
      ist0129(2, 'MUTUAL', ''),
      ist0129(3, 'SIMPLE', ''),
    ]);
  });
});
