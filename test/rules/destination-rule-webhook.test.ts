/**
 * DestinationRule rules at parity with Istio 1.30.3's webhook (ValidateDestinationRule, validateTrafficPolicy,
 * validateConnectionPool, validateOutlierDetection, validateLoadBalancer, agent.ValidateLocalityLbSetting,
 * agent.ValidateTLS, validateExportTo) and the CRD's schema and CEL rules.
 */
import { Finding, checkObject } from '../../src/rules';
import { parseGoDuration } from '../../src/rules/durations';
import { assertValidIstioObjects } from '../support/crd-validator';
import { helpful } from '../support/findings';

function dr(spec: any, namespace = 'egress') {
  return { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'ext', namespace }, spec };
}
const policy = (trafficPolicy: any) => dr({ host: 'api.example.com', trafficPolicy });

const bySeverity = (severity: Finding['severity']) => (object: any) =>
  helpful(checkObject(object)).filter(f => f.severity === severity).map(f => `${f.rule} ${f.field}: ${f.message}`);
const errors = bySeverity('error');
const warnings = bySeverity('warning');

describe('what Istio accepts passes without findings', () => {
  test.each([
    ['a workload selector exported to its own namespace', dr({ host: 'api.example.com', workloadSelector: { matchLabels: { app: 'client' } }, exportTo: ['.'] })],
    ['a workload selector exported to its namespace by name', dr({ host: 'api.example.com', workloadSelector: { matchLabels: { app: 'client' } }, exportTo: ['egress'] })],
    ['a workload selector without exportTo', dr({ host: 'api.example.com', workloadSelector: { matchLabels: { app: 'client' } } })],
    ['every connection pool limit', policy({
      connectionPool: {
        tcp: { maxConnections: 100, connectTimeout: '30ms', maxConnectionDuration: '1h', idleTimeout: '0s', tcpKeepalive: { time: '7200s', interval: '75s', probes: 9 } },
        http: { http1MaxPendingRequests: 0, http2MaxRequests: 1000, maxRequestsPerConnection: 1, maxRetries: 3, idleTimeout: '1.5s', h2UpgradePolicy: 'UPGRADE', maxConcurrentStreams: 100 },
      },
    })],
    ['useClientProtocol without UPGRADE', policy({ connectionPool: { http: { h2UpgradePolicy: 'DO_NOT_UPGRADE', useClientProtocol: true } } })],
    ['a TCP idle timeout under a millisecond (Istio skips it; no CEL rule)', policy({ connectionPool: { tcp: { idleTimeout: '500us' } } })],
    ['a fractional duration without leading digit', policy({ connectionPool: { tcp: { connectTimeout: '.5s' } } })],
    ['outlier detection at the edges of its ranges', policy({
      outlierDetection: {
        consecutive5xxErrors: 5,
        interval: '10s',
        baseEjectionTime: '30s',
        maxEjectionPercent: 100,
        minHealthPercent: 0,
        splitExternalLocalOriginErrors: true,
        consecutiveLocalOriginFailures: 5,
      },
    })],
    ['locality distribution, warmup and a simple policy', policy({
      loadBalancer: {
        simple: 'LEAST_REQUEST',
        localityLbSetting: { distribute: [{ from: 'us-west/zone1/*', to: { 'us-west/zone1/*': 80, 'us-west/zone2/*': 20 } }] },
        warmup: { duration: '60s', minimumPercent: 10, aggression: 1.5 },
      },
    })],
    ['locality failover with outlier detection', policy({
      loadBalancer: { localityLbSetting: { failover: [{ from: 'us-east', to: 'eu-west' }], failoverPriority: ['topology.istio.io/network'] } },
      outlierDetection: { consecutive5xxErrors: 3 },
    })],
    ['a cookie hash with attributes and a ring hash', policy({
      loadBalancer: { consistentHash: { httpCookie: { name: 'user', ttl: '0s', attributes: [{ name: 'SameSite', value: 'Strict' }, { name: 'Secure' }] }, ringHash: { minimumRingSize: 1024 } } },
    })],
    ['a maglev table of prime size', policy({ loadBalancer: { consistentHash: { useSourceIp: true, maglev: { tableSize: 65537 } } } })],
    ['a tunnel', policy({ tunnel: { protocol: 'CONNECT', targetHost: 'proxy.example.com', targetPort: 3128 } })],
    ['a tunnel to an IP', policy({ tunnel: { targetHost: '192.0.2.3', targetPort: 3128 } })],
    ['proxy protocol', policy({ proxyProtocol: { version: 'V2' } })],
    ['a configmap:// CA in the own namespace', policy({ tls: { mode: 'SIMPLE', credentialName: 'configmap://egress/api-ca', sni: 'api.example.com' } })],
    ['MUTUAL with a credentialName and no files', policy({ tls: { mode: 'MUTUAL', credentialName: 'client-cert', caCertificates: '' } })],
    ['a port setting for a port number Istio does not check', policy({ portLevelSettings: [{ port: { number: 70000 }, connectionPool: { tcp: { maxConnections: 1 } } }] })],
    ['subset labels in Kubernetes syntax', dr({ host: 'api.example.com', subsets: [{ name: 'v1', labels: { 'version': 'v1', 'app.kubernetes.io/name': 'api', 'empty': '' } }] })],
  ])('%s', (_, object) => {
    expect(checkObject(object).filter(f => !f.rule.startsWith('IST'))).toEqual([]);
    assertValidIstioObjects([object]);
  });
});

describe('workloadSelector and exportTo (DR10, DR11)', () => {
  const selected = (exportTo: string[], namespace = 'egress') => dr({ host: 'api.example.com', workloadSelector: { matchLabels: { app: 'client' } }, exportTo }, namespace);

  test.each([
    ['every namespace', ['*'], 'DR10 spec.exportTo: destination rule with workload selector cannot have exportTo beyond current namespace'],
    ['another namespace', ['team-a'], 'DR10 spec.exportTo: destination rule with workload selector cannot have exportTo beyond current namespace'],
    ['the own and another namespace', ['.', 'team-a'], 'DR10 spec.exportTo: destination rule with workload selector cannot have multiple entries in exportTo'],
  ])('refuses exporting to %s', (_, exportTo, message) => {
    expect(errors(selected(exportTo))).toEqual([message]);
  });

  test('without a selector, the same exportTo lists are fine', () => {
    expect(errors(dr({ host: 'api.example.com', exportTo: ['.', 'team-a'] }))).toEqual([]);
  });

  test('a manifest without a namespace: one namespace name may be its own, `*` never is', () => {
    const noNamespace = (exportTo: string[]) => ({ ...selected(exportTo), metadata: { name: 'ext' } });
    expect(errors(noNamespace(['team-a']))).toEqual([]);
    expect(errors(noNamespace(['*']))).toEqual(['DR10 spec.exportTo: destination rule with workload selector cannot have exportTo beyond current namespace']);
  });

  test('a selector without labels warns; wildcards and empty keys are refused', () => {
    const empty = dr({ host: 'api.example.com', workloadSelector: {} });
    expect(errors(empty)).toEqual([]);
    expect(warnings(empty)).toEqual(['DR11 spec.workloadSelector: workload selector specified without labels']);
    expect(errors(dr({ host: 'api.example.com', workloadSelector: { matchLabels: { app: 'cl*' } } })))
      .toEqual(['SEL2 spec.workloadSelector.matchLabels.app: wildcard is not supported in selector: "app=cl*"']);
    expect(errors(dr({ host: 'api.example.com', workloadSelector: { matchLabels: { '': 'client' } } })))
      .toEqual(['SEL1 spec.workloadSelector.matchLabels: empty key is not supported in selector: "=client"']);
  });
});

describe('connection pool (DR13..DR15)', () => {
  test('an empty connection pool', () => {
    expect(errors(policy({ connectionPool: {} }))).toEqual(['DR13 spec.trafficPolicy.connectionPool: connection pool must have at least one field']);
  });

  // Every limit of the pool is checked in test/rules/connection-pool.test.ts; here, that DestinationRules report them as DR14.
  test.each([
    ['http', 'http2MaxRequests', 'http2 max requests must be non-negative'],
    ['tcp', 'maxConnections', 'max connections must be non-negative'],
  ])('a negative %s.%s', (part, key, message) => {
    const object = policy({ connectionPool: { [part]: { [key]: -1 } } });
    expect(errors(object)).toEqual([`DR14 spec.trafficPolicy.connectionPool.${part}.${key}: ${message}`]);
  });

  test('UPGRADE with useClientProtocol, at every level', () => {
    const http = { h2UpgradePolicy: 'UPGRADE', useClientProtocol: true };
    const object = dr({
      host: 'api.example.com',
      trafficPolicy: { connectionPool: { http }, portLevelSettings: [{ port: { number: 443 }, connectionPool: { http } }] },
      subsets: [{ name: 'v1', trafficPolicy: { connectionPool: { http } } }],
    });
    const message = 'use client protocol must not be true when H2UpgradePolicy is UPGRADE';
    expect(errors(object)).toEqual([
      `DR15 spec.trafficPolicy.connectionPool.http.useClientProtocol: ${message}`,
      `DR15 spec.trafficPolicy.portLevelSettings[0].connectionPool.http.useClientProtocol: ${message}`,
      `DR15 spec.subsets[0].trafficPolicy.connectionPool.http.useClientProtocol: ${message}`,
    ]);
  });
});

describe('outlier detection (DR16..DR18)', () => {
  test.each([
    ['minHealthPercent', -1], ['minHealthPercent', 101], ['maxEjectionPercent', 105],
  ])('%s %d (panic threshold and ejection share are percentages)', (key, value) => {
    expect(errors(policy({ outlierDetection: { [key]: value } }))).toEqual([`DR18 spec.trafficPolicy.outlierDetection.${key}: percentage ${value} is not in range 0..100`]);
  });

  test('local origin failures without splitting them out', () => {
    expect(errors(policy({ outlierDetection: { consecutiveLocalOriginFailures: 3 } }))).toEqual(['DR17 spec.trafficPolicy.outlierDetection.consecutiveLocalOriginFailures: '
      + 'outlier detection consecutive local origin failures is specified, but split external local origin errors is set to false']);
  });

  test('the deprecated consecutiveErrors warns', () => {
    const object = policy({ outlierDetection: { consecutiveErrors: 5 } });
    expect(errors(object)).toEqual([]);
    expect(warnings(object)).toEqual(['DR16 spec.trafficPolicy.outlierDetection.consecutiveErrors: '
      + 'outlier detection consecutive errors is deprecated, use consecutiveGatewayErrors or consecutive5xxErrors instead']);
  });
});

describe('load balancer (DR19..DR23, DR26)', () => {
  const lb = (loadBalancer: any) => policy({ loadBalancer });

  test.each([
    ['a cookie without name', { consistentHash: { httpCookie: { name: '' } } }, ['DR19 spec.trafficPolicy.loadBalancer.consistentHash.httpCookie.name: name required for HttpCookie']],
    ['duplicate cookie attributes', { consistentHash: { httpCookie: { name: 'user', attributes: [{ name: 'SameSite', value: 'Strict' }, { name: 'SameSite', value: 'Lax' }] } } },
      ['DR19 spec.trafficPolicy.loadBalancer.consistentHash.httpCookie.attributes[1].name: duplicate cookie attribute name: SameSite']],
    ['an unnamed cookie attribute', { consistentHash: { httpCookie: { name: 'user', attributes: [{ name: '', value: 'x' }] } } },
      ['DR19 spec.trafficPolicy.loadBalancer.consistentHash.httpCookie.attributes[0].name: cookie attribute name cannot be empty']],
    ['minimumRingSize beside ringHash', { consistentHash: { useSourceIp: true, minimumRingSize: 1024, ringHash: { minimumRingSize: 1024 } } },
      ['DR20 spec.trafficPolicy.loadBalancer.consistentHash.minimumRingSize: only one of MinimumRingSize or Maglev/Ringhash can be specified']],
    ['a maglev table that is not prime', { consistentHash: { useSourceIp: true, maglev: { tableSize: 1000 } } },
      ['DR21 spec.trafficPolicy.loadBalancer.consistentHash.maglev.tableSize: tableSize must be a prime number for maglev']],
    ['a maglev table without size', { consistentHash: { useSourceIp: true, maglev: {} } }, [
      'DR21 spec.trafficPolicy.loadBalancer.consistentHash.maglev.tableSize: tableSize must be set for maglev',
      'DR21 spec.trafficPolicy.loadBalancer.consistentHash.maglev.tableSize: tableSize must be a prime number for maglev',
    ]],
    ['a maglev table too large', { consistentHash: { useSourceIp: true, maglev: { tableSize: 5000011 } } },
      ['DR21 spec.trafficPolicy.loadBalancer.consistentHash.maglev.tableSize: tableSize must be less than 5000011 for maglev']],
    ['simple and consistentHash together (schema)', { simple: 'RANDOM', consistentHash: { useSourceIp: true } },
      ['DR26 spec.trafficPolicy.loadBalancer: only one of simple or consistentHash can be set (the CRD schema\'s oneOf)']],
    ['two hash keys (schema)', { consistentHash: { useSourceIp: true, httpHeaderName: 'x-user' } },
      ['DR26 spec.trafficPolicy.loadBalancer.consistentHash: only one of httpHeaderName, httpCookie, useSourceIp, httpQueryParameterName can be set (the CRD schema\'s oneOf)']],
    ['warmup without duration', { warmup: { minimumPercent: 10 } }, ['DR23 spec.trafficPolicy.loadBalancer.warmup.duration: duration is required']],
    ['warmup above 100 percent', { warmup: { duration: '10s', minimumPercent: 101 } },
      ['DR23 spec.trafficPolicy.loadBalancer.warmup.minimumPercent: minimumPercent value should be less than or equal to 100']],
    ['warmup with aggression below 1', { warmup: { duration: '10s', aggression: 0.5 } },
      ['DR23 spec.trafficPolicy.loadBalancer.warmup.aggression: aggression should be greater than or equal to 1']],
  ])('%s', (_, loadBalancer, expected) => {
    expect(errors(lb(loadBalancer))).toEqual(expected);
  });

  test('the deprecated minimumRingSize warns', () => {
    expect(warnings(lb({ consistentHash: { useSourceIp: true, minimumRingSize: 1024 } }))).toEqual([
      'DR20 spec.trafficPolicy.loadBalancer.consistentHash.minimumRingSize: '
      + 'consistent hash MinimumRingSize is deprecated, use ConsistentHashLB\'s RingHash configuration instead',
    ]);
  });

  const locality = (localityLbSetting: any) => policy({ loadBalancer: { localityLbSetting }, outlierDetection: { consecutive5xxErrors: 3 } });
  const field = 'spec.trafficPolicy.loadBalancer.localityLbSetting';

  test.each([
    ['distribute and failover', { distribute: [{ from: 'a', to: { b: 100 } }], failover: [{ from: 'a', to: 'b' }] },
      `DR22 ${field}: can not simultaneously specify 'distribute' and 'failover'`],
    ['a topology label beside failover', { failover: [{ from: 'a', to: 'b' }], failoverPriority: ['topology.kubernetes.io/zone'] },
      `DR22 ${field}.failoverPriority: can not simultaneously set 'failover' and topology label 'topology.kubernetes.io/zone' in 'failover_priority'`],
    ['a weight of 0', { distribute: [{ from: 'a', to: { b: 0, c: 100 } }] }, `DR22 ${field}.distribute[0].to: locality weight must be in range [1, 100]`],
    ['weights not adding up to 100', { distribute: [{ from: 'a', to: { b: 30, c: 30 } }] }, `DR22 ${field}.distribute[0].to: total locality weight 60 != 100`],
    ['overlapping targets', { distribute: [{ from: 'a', to: { 'us-west/*': 50, 'us-west/zone1': 50 } }] },
      `DR22 ${field}.distribute[0].to: locality us-west/zone1 overlap with previous specified ones`],
    ['a wildcard inside a locality', { distribute: [{ from: 'us-*/zone1', to: { b: 100 } }] },
      `DR22 ${field}.distribute: locality us-*/zone1 wildcard '*' number can not exceed 1 and must be in the end`],
    ['an empty zone', { distribute: [{ from: 'us-west//sub', to: { b: 100 } }] },
      `DR22 ${field}.distribute: locality us-west//sub must not contain empty region/zone/subzone info`],
    ['overlapping sources after `*`', { distribute: [{ from: '*', to: { b: 100 } }, { from: 'us-west', to: { b: 100 } }] },
      `DR22 ${field}.distribute: locality us-west overlap with previous specified ones`],
    ['failover to the same region', { failover: [{ from: 'us-east', to: 'us-east' }] }, `DR22 ${field}.failover[0]: locality lb failover settings must specify different regions`],
    ['failover with a zone', { failover: [{ from: 'us-east/zone1', to: 'eu-west' }] }, `DR22 ${field}.failover[0]: locality lb failover only specify region`],
    ['failover with a wildcard', { failover: [{ from: 'us-*', to: 'eu-west' }] }, `DR22 ${field}.failover[0]: locality lb failover region should not contain '*' wildcard`],
  ])('locality: %s', (_, setting, message) => {
    expect(errors(locality(setting))).toEqual([message]);
  });

  test('locality failover without outlier detection warns', () => {
    const object = policy({ loadBalancer: { localityLbSetting: { failover: [{ from: 'us-east', to: 'eu-west' }] } } });
    expect(errors(object)).toEqual([]);
    expect(warnings(object)).toEqual([`DR22 ${field}: outlier detection policy must be provided for failover`]);
  });
});

describe('traffic policy shape (DR2, DR3, DR5, DR24, DR25)', () => {
  test.each([
    ['tunnel with proxyProtocol', { tunnel: { targetHost: 'proxy.example.com', targetPort: 3128 }, proxyProtocol: { version: 'V1' } },
      'DR3 spec.trafficPolicy: tunnel and proxyProtocol must not be set together'],
    ['a tunnel protocol other than CONNECT or POST', { tunnel: { protocol: 'GET', targetHost: 'proxy.example.com', targetPort: 3128 } },
      'DR24 spec.trafficPolicy.tunnel.protocol: tunnel protocol must be "CONNECT" or "POST"'],
    ['a tunnel target that is neither FQDN nor IP', { tunnel: { targetHost: 'proxy_1.example.com', targetPort: 3128 } },
      'DR24 spec.trafficPolicy.tunnel.targetHost: tunnel target host must be valid FQDN or IP address: domain name "proxy_1.example.com" invalid (label "proxy_1" invalid); proxy_1.example.com is not a valid IP'],
    ['a tunnel target port 0', { tunnel: { targetHost: 'proxy.example.com', targetPort: 0 } },
      'DR24 spec.trafficPolicy.tunnel.targetPort: tunnel target port is invalid: port number 0 must be in the range 1..65535'],
    ['an unknown proxy protocol version', { proxyProtocol: { version: 'V3' } }, 'DR25 spec.trafficPolicy.proxyProtocol.version: proxy protocol version is invalid: V3'],
    ['a null port setting', { portLevelSettings: [null] }, 'DR5 spec.trafficPolicy.portLevelSettings[0]: traffic policy may not be null'],
    ['a traffic policy with only an unknown field', { bogus: true }, 'DR2 spec.trafficPolicy: traffic policy must have at least one field'],
  ])('%s', (_, trafficPolicy, message) => {
    expect(errors(policy(trafficPolicy))).toContain(message);
  });

  test('a port setting with neither port nor settings gets both errors', () => {
    expect(errors(policy({ portLevelSettings: [{}] }))).toEqual([
      'DR5 spec.trafficPolicy.portLevelSettings[0].port: portTrafficPolicy must have valid port',
      'DR5 spec.trafficPolicy.portLevelSettings[0]: port traffic policy must have at least one field',
    ]);
  });

  test('a retry budget alone is a traffic policy', () => {
    const object = policy({ retryBudget: { percent: 20, minRetryConcurrency: 3 } });
    expect(errors(object)).toEqual([]);
    assertValidIstioObjects([object]);
  });
});

describe('client TLS (DR6..DR9)', () => {
  test.each([
    ['a configmap:// CA of another namespace', { mode: 'SIMPLE', credentialName: 'configmap://istio-system/api-ca' },
      'DR9 spec.trafficPolicy.tls.credentialName: invalid configmap:// credentialName: namespace must match the configuration namespace "egress"'],
    ['a configmap:// name without namespace', { mode: 'SIMPLE', credentialName: 'configmap://api-ca' },
      'DR9 spec.trafficPolicy.tls.credentialName: invalid configmap:// credentialName: invalid resource name "configmap://api-ca". Expected namespace and name'],
    ['a configmap:// name with an empty namespace', { mode: 'SIMPLE', credentialName: 'configmap:///api-ca' },
      'DR9 spec.trafficPolicy.tls.credentialName: invalid configmap:// credentialName: invalid resource name "configmap:///api-ca". Expected namespace'],
    ['a configmap:// name with an empty name', { mode: 'SIMPLE', credentialName: 'configmap://egress/' },
      'DR9 spec.trafficPolicy.tls.credentialName: invalid configmap:// credentialName: invalid resource name "configmap://egress/". Expected name'],
    ['MUTUAL without certificate or credential', { mode: 'MUTUAL', privateKey: '/etc/certs/key.pem' },
      'DR6 spec.trafficPolicy.tls.clientCertificate: client certificate required for mutual tls'],
    ['a credential beside files', { mode: 'SIMPLE', credentialName: 'api-ca', caCrl: '/etc/certs/crl.pem' },
      'DR7 spec.trafficPolicy.tls.credentialName: cannot specify client certificates or CA certificate or CA CRL If credentialName is set'],
    ['insecureSkipVerify with subjectAltNames (MUTUAL)', { mode: 'MUTUAL', credentialName: 'client', insecureSkipVerify: true, subjectAltNames: ['api.example.com'] },
      'DR8 spec.trafficPolicy.tls.insecureSkipVerify: cannot specify CaCertificates or SubjectAltNames when InsecureSkipVerify is set true'],
  ])('%s', (_, tls, message) => {
    expect(errors(policy({ tls }))).toEqual([message]);
  });

  test('insecureSkipVerify with MUTUAL and a credential (which may hold the CA) is accepted', () => {
    expect(errors(policy({ tls: { mode: 'MUTUAL', credentialName: 'client', insecureSkipVerify: true } }))).toEqual([]);
  });

  test('a configmap:// credential in a manifest without namespace is not judged', () => {
    expect(errors({ ...policy({ tls: { mode: 'SIMPLE', credentialName: 'configmap://team-a/api-ca' } }), metadata: { name: 'ext' } })).toEqual([]);
  });
});

describe('durations (DR12)', () => {
  test.each([
    ['connectionPool.tcp.connectTimeout', { connectionPool: { tcp: { connectTimeout: '0.5ms' } } }, 'must be a valid duration greater than 1ms'],
    ['connectionPool.tcp.connectTimeout', { connectionPool: { tcp: { connectTimeout: '1500us' } } }, 'only durations to ms precision are supported'],
    ['connectionPool.http.idleTimeout', { connectionPool: { http: { idleTimeout: '5 seconds' } } }, 'time: unknown unit " seconds" in duration "5 seconds"'],
    ['connectionPool.tcp.idleTimeout', { connectionPool: { tcp: { idleTimeout: '-1s' } } }, 'duration must be greater than 1ms'],
    ['connectionPool.tcp.tcpKeepalive.interval', { connectionPool: { tcp: { tcpKeepalive: { interval: '0s' } } } }, 'must be a valid duration greater than 1ms'],
    ['outlierDetection.baseEjectionTime', { outlierDetection: { baseEjectionTime: '1.0001s' } }, 'only durations to ms precision are supported'],
    ['loadBalancer.warmup.duration', { loadBalancer: { warmup: { duration: '0s' } } }, 'must be a valid duration greater than 1ms'],
    ['loadBalancer.warmupDurationSecs', { loadBalancer: { warmupDurationSecs: '0s' } }, 'must be a valid duration greater than 1ms'],
  ])('%s', (path, trafficPolicy, message) => {
    expect(errors(policy(trafficPolicy))).toEqual([`DR12 spec.trafficPolicy.${path}: ${message}`]);
  });

  test('Go duration syntax', () => {
    expect(parseGoDuration('1h2m3.5s')).toBe(3723.5e9);
    expect(parseGoDuration('.5s')).toBe(0.5e9);
    expect(parseGoDuration('+250ms')).toBe(250e6);
    expect(parseGoDuration('-1s')).toBe(-1e9);
    expect(parseGoDuration('0')).toBe(0);
    expect(parseGoDuration('3µs')).toBe(3000);
    expect(parseGoDuration('3μs')).toBe(3000);
    expect(parseGoDuration('1.5ms')).toBe(1.5e6);
    for (const bad of ['', '5', '1.', '.s', '5 s', '5sec', 's', '1.2.3s', 5, '1constructor']) {
      expect(parseGoDuration(bad)).toBeUndefined();
    }
  });
});

describe('subsets (DR4)', () => {
  test('subset labels are checked as Kubernetes labels', () => {
    expect(errors(dr({ host: 'api.example.com', subsets: [{ name: 'v1', labels: { 'version!': 'v1', 'track': 'a b' } }] }))).toEqual([
      'DR4 spec.subsets[0].labels.version!: invalid tag key: "version!"',
      'DR4 spec.subsets[0].labels.track: invalid tag value: "a b"',
    ]);
  });

  test('a duplicate invalid name gets both errors, as in Istio', () => {
    expect(errors(dr({ host: 'api.example.com', subsets: [{ name: 'v_1' }, { name: 'v_1' }] }))).toEqual([
      'DR4 spec.subsets[0].name: subset name is invalid: v_1',
      'DR4 spec.subsets[1].name: duplicate subset names: v_1',
      'DR4 spec.subsets[1].name: subset name is invalid: v_1',
    ]);
  });
});

describe('DR1: the host', () => {
  test.each([
    ['a short name', 'reviews'],
    ['a wildcard domain', '*.example.com'],
    ['every host', '*'],
  ])('%s is accepted', (_, host) => {
    expect(checkObject(dr({ host }))).toEqual([]);
    assertValidIstioObjects([dr({ host })]);
  });

  test.each([
    ['missing', undefined, 'DR1 spec.host: host is required'],
    ['not a string', 42, 'DR1 spec.host: host is required'],
    ['with an underscore in a label', 'bad_host.example.com', 'DR1 spec.host: domain name "bad_host.example.com" invalid (label "bad_host" invalid)'],
    ['with an empty label', 'api..example.com', 'DR1 spec.host: domain name ".example.com" invalid (label "" invalid)'],
  ])('%s is refused', (_, host, finding) => {
    expect(errors(dr({ host }))).toEqual([finding]);
  });
});
