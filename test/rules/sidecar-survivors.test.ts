/**
 * Sidecar findings the other example tests left unpinned: each in full (rule, severity, field, value,
 * message, fix), next to the closest input Istio 1.30.3 accepts. Conditions and messages follow
 * ValidateSidecar, validateSidecarIngressPortAndBind, validateSidecarEgressPortBindAndCaptureMode,
 * validateSidecarOutboundTrafficPolicy and validateDestination (pkg/config/validation/validation.go);
 * defaultEndpoint ports go through Go's strconv.Atoi (64-bit int) and agent.ValidatePort.
 */
import { checkSidecar, defaultEndpointProblems } from '../../src/rules/sidecar';
import { assertValidIstioObjects } from '../support/crd-validator';
import { helpful } from '../support/findings';

const sidecar = (spec: unknown, metadata: Record<string, unknown> | undefined = { name: 'checkout', namespace: 'shop' }) =>
  ({ apiVersion: 'networking.istio.io/v1', kind: 'Sidecar', ...(metadata ? { metadata } : {}), spec });

/** [rule, severity, field, value (null when unset), message, fix] */
type Row = [string, string, string, unknown, string, string];
const findings = (object: unknown): Row[] => helpful(checkSidecar(object as any))
  .map(f => [f.rule, f.severity, f.field, f.value === undefined ? null : f.value, f.message, f.fix]);

const httpPort = { number: 8080, name: 'http', protocol: 'HTTP' };
const egressHosts = { hosts: ['./*'] };
const HOST_FIX = 'use `namespace/host`: namespace is `*`, `.`, `~` or a namespace name; host is `*` or a dotted name such as api.example.com';
const DUPLICATE_FIX = 'list each host once; `ns/*` already covers every host of ns';
const IST0002: Row = ['IST0002', 'warning', 'spec.outboundTrafficPolicy.egressProxy', null, 'Deprecated: OutboundTrafficPolicy.EgressProxy ignored', 'route egress through an egress gateway instead'];

describe('Sidecars Istio accepts without a word (and the CRD schema too)', () => {
  test.each<[string, unknown]>([
    ['every capture mode on ingress and egress listeners', sidecar({
      ingress: [
        { port: httpPort, captureMode: 'DEFAULT' },
        { port: { number: 8081, name: 'http-b', protocol: 'HTTP' }, captureMode: 'IPTABLES' },
        { port: { number: 8082, name: 'http-c', protocol: 'HTTP' }, captureMode: 'NONE' },
      ],
      egress: [
        { port: { number: 9080, name: 'http', protocol: 'HTTP' }, captureMode: 'DEFAULT', ...egressHosts },
        { port: { number: 9081, name: 'http-b', protocol: 'HTTP' }, captureMode: 'IPTABLES', ...egressHosts },
        { port: { number: 9082, name: 'http-c', protocol: 'HTTP' }, captureMode: 'NONE', ...egressHosts },
      ],
    })],
    ['unix domain socket egress listeners with captureMode DEFAULT and NONE', sidecar({
      egress: [
        { port: { number: 0, name: 'uds', protocol: 'HTTP' }, bind: 'unix:///var/run/a.sock', captureMode: 'DEFAULT', ...egressHosts },
        { port: { number: 0, name: 'uds-b', protocol: 'HTTP' }, bind: 'unix:///var/run/b.sock', captureMode: 'NONE', ...egressHosts },
      ],
    })],
    ['every h2UpgradePolicy, in the inbound pool and per ingress port', sidecar({
      inboundConnectionPool: { http: { h2UpgradePolicy: 'DEFAULT' } },
      ingress: [
        { port: httpPort, connectionPool: { http: { h2UpgradePolicy: 'DO_NOT_UPGRADE' } } },
        { port: { number: 8081, name: 'http-b', protocol: 'HTTP' }, connectionPool: { http: { h2UpgradePolicy: 'UPGRADE' } } },
      ],
    })],
    // Go reads targetPort 0 as unset: only a positive one has "no impact on Sidecars".
    ['targetPort 0 on ingress and egress ports', sidecar({
      ingress: [{ port: { ...httpPort, targetPort: 0 } }],
      egress: [{ port: { number: 9080, name: 'http', protocol: 'HTTP', targetPort: 0 }, ...egressHosts }],
    })],
    ['an empty defaultEndpoint (unset for Go)', sidecar({ ingress: [{ port: httpPort, defaultEndpoint: '' }] })],
    // protocol.IsHTTP: HTTP, HTTP2, HTTP_PROXY, GRPC and GRPC-Web take HTTP pool settings without a warning.
    ['HTTP pool settings on every HTTP protocol', sidecar({
      ingress: ['HTTP', 'HTTP2', 'HTTP_PROXY', 'GRPC', 'GRPC-Web'].map((protocol, i) =>
        ({ port: { number: 8080 + i, name: `p${i}`, protocol }, connectionPool: { http: { maxRetries: 3 } } })),
    })],
    ['an empty credentialName in ingress tls (unset for Go)', sidecar({
      ingress: [{ port: { number: 8443, name: 'https', protocol: 'HTTPS' }, tls: { mode: 'SIMPLE', credentialName: '', serverCertificate: '/c.pem', privateKey: '/k.pem' } }],
    })],
    ['distinct hosts of one namespace', sidecar({ egress: [{ hosts: ['shop/a.example.com', 'shop/b.example.com'] }] })],
    ['one host in two namespaces', sidecar({ egress: [{ hosts: ['istio-system/a.example.com', './a.example.com'] }] })],
  ])('%s', (_, object) => {
    expect(findings(object)).toEqual([]);
    assertValidIstioObjects([object]);
  });

  test('an egressProxy with an empty subset (unset for Go) gets only the deprecation warning', () => {
    const proxy = { host: 'proxy.example.com', subset: '', port: { number: 3128 } };
    const object = sidecar({ outboundTrafficPolicy: { mode: 'ALLOW_ANY', egressProxy: proxy } });
    expect(findings(object)).toEqual([[IST0002[0], IST0002[1], IST0002[2], proxy, IST0002[4], IST0002[5]]]);
    assertValidIstioObjects([object]);
  });

  // The API server and Istio's decoding drop a null field, as if it were missing.
  test.each<[string, unknown]>([
    ['a null workloadSelector', sidecar({ workloadSelector: null, egress: [egressHosts] })],
    ['a null h2UpgradePolicy', sidecar({ inboundConnectionPool: { http: { h2UpgradePolicy: null, maxRetries: 3 } } })],
  ])('%s', (_, object) => {
    expect(findings(object)).toEqual([]);
  });
});

describe('findings in full', () => {
  test.each<[string, unknown, Row[]]>([
    ['SC1: a null outboundTrafficPolicy is no configuration', sidecar({ outboundTrafficPolicy: null }),
      [['SC1', 'error', 'spec', { outboundTrafficPolicy: null }, 'sidecar: empty configuration provided', 'add egress hosts, ingress listeners, an outboundTrafficPolicy or an inboundConnectionPool']]],
    ['SC2: a selector with an empty label map', sidecar({ workloadSelector: { labels: {} }, egress: [egressHosts] }),
      [['SC2', 'warning', 'spec.workloadSelector', { labels: {} }, 'sidecar: workload selector specified without labels, will be applied to all services in namespace', 'select the workloads by label, or drop the selector']]],
    // The CRD schema wants a string; a list is refused, whatever it holds.
    ['SC14 and SC9: a port name that is a list', sidecar({
      ingress: [{ port: { number: 8080, name: ['http'], protocol: 'HTTP' } }],
      egress: [{ port: { number: 9080, name: ['http'], protocol: 'HTTP' }, ...egressHosts }],
    }), [
      ['SC14', 'error', 'spec.ingress[0].port.name', ['http'], 'invalid port name: ["http"]', 'use a DNS-1123 label such as http-api, or no name'],
      ['SC9', 'error', 'spec.egress[0].port.name', ['http'], 'invalid port name: ["http"]', 'use a DNS-1123 label such as http-api, or no name'],
    ]],
    ['SC14 and SC9: a positive targetPort', sidecar({
      ingress: [{ port: { ...httpPort, targetPort: 1 } }],
      egress: [{ port: { number: 9080, name: 'http', protocol: 'HTTP', targetPort: 9090 }, ...egressHosts }],
    }), [
      ['SC14', 'error', 'spec.ingress[0].port.targetPort', 1, 'targetPort has no impact on Sidecars', 'remove targetPort'],
      ['SC9', 'error', 'spec.egress[0].port.targetPort', 9090, 'targetPort has no impact on Sidecars', 'remove targetPort'],
    ]],
    ['SC19: an unknown captureMode', sidecar({ ingress: [{ port: httpPort, captureMode: 'REDIRECT' }] }),
      [['SC19', 'error', 'spec.ingress[0].captureMode', 'REDIRECT', 'unsupported captureMode REDIRECT', 'use one of DEFAULT, IPTABLES, NONE']]],
    ['SC10: captureMode IPTABLES on a unix domain socket listener', sidecar({ egress: [{ port: { number: 0, name: 'uds' }, bind: 'unix:///var/run/a.sock', captureMode: 'IPTABLES', ...egressHosts }] }),
      [['SC10', 'error', 'spec.egress[0].captureMode', 'IPTABLES', 'sidecar: captureMode must be DEFAULT/NONE for unix domain socket listeners', 'use captureMode DEFAULT or NONE, or drop it']]],
    // %q of an empty name is "", %s of an empty protocol is nothing.
    ['SC18: HTTP pool settings on a port without name or protocol', sidecar({ ingress: [{ port: { number: 9000 }, connectionPool: { http: { maxRetries: 1 } } }] }),
      [['SC18', 'warning', 'spec.ingress[0].connectionPool.http', { maxRetries: 1 }, 'sidecar: HTTP connection pool settings are configured for port 9000 ("") but its protocol is not HTTP (); only TCP settings will apply', 'remove connectionPool.http, or declare the port\'s protocol as HTTP, HTTP2 or GRPC']]],
    ['SC19: an unknown h2UpgradePolicy, in the inbound pool and per ingress port', sidecar({
      inboundConnectionPool: { http: { h2UpgradePolicy: 'SOMETIMES' } },
      ingress: [{ port: httpPort, connectionPool: { http: { h2UpgradePolicy: 'ALWAYS' } } }],
    }), [
      ['SC19', 'error', 'spec.ingress[0].connectionPool.http.h2UpgradePolicy', 'ALWAYS', 'unsupported h2UpgradePolicy ALWAYS', 'use one of DEFAULT, DO_NOT_UPGRADE, UPGRADE'],
      ['SC19', 'error', 'spec.inboundConnectionPool.http.h2UpgradePolicy', 'SOMETIMES', 'unsupported h2UpgradePolicy SOMETIMES', 'use one of DEFAULT, DO_NOT_UPGRADE, UPGRADE'],
    ]],
    // GetHost() of a proxy without host is "": ValidateFQDN, then validateDestination's ValidateWildcardDomain.
    ['SC11: an egressProxy without host', sidecar({ outboundTrafficPolicy: { mode: 'ALLOW_ANY', egressProxy: { port: { number: 3128 } } } }), [
      [IST0002[0], IST0002[1], IST0002[2], { port: { number: 3128 } }, IST0002[4], IST0002[5]],
      ['SC11', 'error', 'spec.outboundTrafficPolicy.egressProxy.host', null, 'empty domain name not allowed', 'name the proxy by its host name, e.g. proxy.example.com'],
      ['SC11', 'error', 'spec.outboundTrafficPolicy.egressProxy.host', null, 'empty domain name not allowed', 'name the proxy by its host name, e.g. proxy.example.com'],
    ]],
  ])('%s', (_, object, expected) => {
    expect(findings(object)).toEqual(expected);
  });
});

describe('egress hosts', () => {
  test('hosts without a slash (or that are no string) are refused, and not counted as duplicates', () => {
    expect(findings(sidecar({ egress: [{ hosts: [7, 'api.example.com', 'api.example.com'] }] }))).toEqual([
      ['SC4', 'error', 'spec.egress[0].hosts[0]', 7, 'host must be of form namespace/dnsName', HOST_FIX],
      ['SC4', 'error', 'spec.egress[0].hosts[1]', 'api.example.com', 'host must be of form namespace/dnsName', HOST_FIX],
      ['SC4', 'error', 'spec.egress[0].hosts[2]', 'api.example.com', 'host must be of form namespace/dnsName', HOST_FIX],
    ]);
  });

  test('`.` is the Sidecar\'s namespace: the same host written both ways is a duplicate', () => {
    expect(findings(sidecar({ egress: [{ hosts: ['./a.example.com', 'shop/a.example.com'] }] })))
      .toEqual([['SC7', 'warning', 'spec.egress[0].hosts[1]', 'shop/a.example.com', 'duplicated egress host: shop/a.example.com', DUPLICATE_FIX]]);
  });

  // Istio always knows the namespace (istioctl validate takes `default`), and it is never empty.
  test.each<[string, Record<string, unknown> | undefined]>([
    ['no metadata', undefined],
    ['an empty namespace', { name: 'checkout', namespace: '' }],
  ])('with %s, `.` is no other namespace, not even an empty one', (_, metadata) => {
    expect(findings(sidecar({ egress: [{ hosts: ['./a.example.com', '/a.example.com', 'default/a.example.com'] }] }, metadata))).toEqual([
      ['SC5', 'error', 'spec.egress[0].hosts[1]', '/a.example.com', 'config namespace and dnsName in host entry cannot be empty', HOST_FIX],
      ['SC5', 'error', 'spec.egress[0].hosts[1]', '/a.example.com', 'invalid namespace value "" in sidecar', HOST_FIX],
    ]);
    expect(findings(sidecar({ egress: [{ hosts: ['./a.example.com', './a.example.com'] }] }, metadata)))
      .toEqual([['SC7', 'warning', 'spec.egress[0].hosts[1]', './a.example.com', 'duplicated egress host: ./a.example.com', DUPLICATE_FIX]]);
  });
});

describe('defaultEndpoint ports: strconv.Atoi on a 64-bit int, then agent.ValidatePort', () => {
  test.each<[string, string[]]>([
    ['127.0.0.1:1', []],
    ['127.0.0.1:65535', []],
    ['127.0.0.1:x80', ['sidecar: defaultEndpoint port (x80) is not a number: strconv.Atoi: parsing "x80": invalid syntax']],
    ['127.0.0.1:9223372036854775807', ['port number 9223372036854775807 must be in the range 1..65535']],
    ['127.0.0.1:9223372036854775808', ['sidecar: defaultEndpoint port (9223372036854775808) is not a number: strconv.Atoi: parsing "9223372036854775808": value out of range']],
    ['127.0.0.1:-9223372036854775808', ['port number -9223372036854775808 must be in the range 1..65535']],
    ['127.0.0.1:-9223372036854775809', ['sidecar: defaultEndpoint port (-9223372036854775809) is not a number: strconv.Atoi: parsing "-9223372036854775809": value out of range']],
  ])('%j', (endpoint, problems) => {
    expect(defaultEndpointProblems(endpoint)).toEqual(problems);
  });
});

describe('a Sidecar without metadata', () => {
  test('its egress hosts are read without throwing (`.` then stands for no known namespace)', () => {
    expect(findings(sidecar({ egress: [{ hosts: ['./api.example.com', 'istio-system/*'] }] }, undefined))).toEqual([]);
  });
});
