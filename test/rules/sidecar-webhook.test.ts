/**
 * Sidecar rules against what Istio 1.30.3's validating webhook does (ValidateSidecar and its helpers):
 * ingress listeners, egress listeners, outboundTrafficPolicy with egressProxy, connection pools.
 * Accepted inputs pass (and the CRD schema accepts them), rejected ones are errors with Istio's words.
 */
import { Finding, checkObject } from '../../src/rules';
import { checkSidecar, defaultEndpointProblems } from '../../src/rules/sidecar';
import { assertValidIstioObjects } from '../support/crd-validator';
import { helpful } from '../support/findings';

const sidecar = (spec: unknown, namespace = 'shop') =>
  ({ apiVersion: 'networking.istio.io/v1', kind: 'Sidecar', metadata: { name: 'checkout', namespace }, spec });

const lines = (findings: Finding[], severity: 'error' | 'warning') =>
  helpful(findings).filter(f => f.severity === severity).map(f => `${f.rule} ${f.field}: ${f.message}`);
const errorsOf = (object: unknown) => lines(checkObject(object as any), 'error');
const warningsOf = (object: unknown) => lines(checkObject(object as any), 'warning');

const httpPort = { number: 8080, name: 'http', protocol: 'HTTP' };
const ingress = (listener: Record<string, unknown>) => sidecar({ ingress: [{ port: httpPort, ...listener }] });
const egress = (...listeners: unknown[]) => sidecar({ egress: listeners });

describe('Sidecars Istio accepts without a word', () => {
  test.each([
    ['ingress defaultEndpoints on loopback, any address, IPv6 and a bare port', sidecar({
      ingress: [
        { port: { number: 8080, name: 'http', protocol: 'HTTP' }, defaultEndpoint: '127.0.0.1:8080' },
        { port: { number: 8081, name: 'http-any', protocol: 'HTTP' }, defaultEndpoint: '0.0.0.0:8081' },
        { port: { number: 8082, name: 'http-v6', protocol: 'HTTP' }, defaultEndpoint: '[::1]:8082' },
        { port: { number: 8083, name: 'http-v6-any', protocol: 'HTTP' }, defaultEndpoint: '[::]:8083' },
        { port: { number: 8084, name: 'http-port', protocol: 'HTTP' }, defaultEndpoint: ':8084' },
      ],
    })],
    ['ingress defaultEndpoints on unix domain sockets', sidecar({
      ingress: [
        { port: { number: 8080, name: 'http', protocol: 'HTTP' }, defaultEndpoint: 'unix:///var/run/app.sock' },
        { port: { number: 9090, name: 'grpc', protocol: 'GRPC' }, defaultEndpoint: 'unix://@app' },
      ],
    })],
    ['an ingress port without name or protocol, bound to an IP, with captureMode NONE', sidecar({
      ingress: [{ port: { number: 8080 }, bind: '10.0.0.5', captureMode: 'NONE' }],
    })],
    ['ingress TLS termination with certificate files', sidecar({
      ingress: [{
        port: { number: 8443, name: 'https', protocol: 'HTTPS' },
        defaultEndpoint: '127.0.0.1:8080',
        tls: { mode: 'SIMPLE', serverCertificate: '/etc/certs/tls.crt', privateKey: '/etc/certs/tls.key' },
      }],
    })],
    ['ingress mutual TLS with a CA bundle', sidecar({
      ingress: [{
        port: { number: 8443, name: 'tls', protocol: 'TLS' },
        tls: { mode: 'MUTUAL', serverCertificate: '/c.pem', privateKey: '/k.pem', caCertificates: '/ca.pem', caCrl: '/crl.pem' },
      }],
    })],
    ['an inboundConnectionPool alone', sidecar({ inboundConnectionPool: { http: { http1MaxPendingRequests: 1024, idleTimeout: '30s' } } })],
    ['connection pools per ingress port, with a TCP idle timeout of 0s (off)', sidecar({
      ingress: [{ port: httpPort, connectionPool: { http: { maxRetries: 3, h2UpgradePolicy: 'UPGRADE' }, tcp: { maxConnections: 100, idleTimeout: '0s', connectTimeout: '250ms' } } }],
      inboundConnectionPool: { tcp: { maxConnections: 1000, tcpKeepalive: { time: '2h', interval: '75s' } } },
    })],
    ['outboundTrafficPolicy alone', sidecar({ outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } })],
    ['an egress listener on a unix domain socket (port 0) with captureMode NONE', egress(
      { port: { number: 0, name: 'uds', protocol: 'HTTP' }, bind: 'unix:///var/run/egress.sock', captureMode: 'NONE', hosts: ['./*'] },
      { port: { number: 0, name: 'uds-2', protocol: 'TCP' }, bind: 'unix://@egress', hosts: ['istio-system/*'] },
      { hosts: ['./*', 'istio-system/*'] },
    )],
    ['egress listeners bound to IPs, without protocol, and a catch-all last', egress(
      { port: { number: 9080 }, bind: '127.0.0.1', captureMode: 'NONE', hosts: ['shop/api.example.com'] },
      { port: { number: 9443, name: 'tls', protocol: 'TLS' }, hosts: ['*/*.example.com'] },
      { hosts: ['~/*'] },
    )],
  ])('%s', (_, object) => {
    expect(checkObject(object)).toEqual([]);
    assertValidIstioObjects([object]);
  });

  test('an egressProxy with ALLOW_ANY: accepted, and deprecated (IST0002)', () => {
    const object = sidecar({ outboundTrafficPolicy: { mode: 'ALLOW_ANY', egressProxy: { host: 'proxy.example.com', subset: 'v1', port: { number: 3128 } } } });
    expect(errorsOf(object)).toEqual([]);
    expect(warningsOf(object)).toEqual(['IST0002 spec.outboundTrafficPolicy.egressProxy: Deprecated: OutboundTrafficPolicy.EgressProxy ignored']);
    assertValidIstioObjects([object]);
  });
});

describe('Sidecars Istio accepts with a warning', () => {
  test.each([
    ['SC2 a selector without labels', sidecar({ workloadSelector: {}, egress: [{ hosts: ['./*'] }] }),
      'SC2 spec.workloadSelector: sidecar: workload selector specified without labels, will be applied to all services in namespace'],
    ['SC7 a host already covered by `ns/*` (`.` is the Sidecar\'s namespace)', egress({ hosts: ['shop/*', './api.example.com'] }),
      'SC7 spec.egress[0].hosts[1]: duplicated egress host: ./api.example.com'],
    ['SC7 `ns/*` after a host of ns', egress({ hosts: ['istio-system/api.example.com', 'istio-system/*'] }),
      'SC7 spec.egress[0].hosts[1]: duplicated egress host: istio-system/*'],
    ['SC7 `*/*` beside another namespace', egress({ hosts: ['*/*', 'shop/*'] }),
      'SC7 spec.egress[0].hosts: `*/*` host select all resources, no other hosts can be added'],
    ['SC7 `*/*` beside a host of `*`: a duplicate, not the `*/*` warning', egress({ hosts: ['*/*', '*/api.example.com'] }),
      'SC7 spec.egress[0].hosts[1]: duplicated egress host: */api.example.com'],
    ['SC18 HTTP connection pool settings on a TCP port', sidecar({
      ingress: [{ port: { number: 5432, name: 'pg', protocol: 'TCP' }, connectionPool: { http: { maxRetries: 3 } } }],
    }), 'SC18 spec.ingress[0].connectionPool.http: sidecar: HTTP connection pool settings are configured for port 5432 ("pg") but its protocol is not HTTP (TCP); only TCP settings will apply'],
    ['GW23 ingress TLS 1.0 without cipher suites', sidecar({
      ingress: [{ port: { number: 8443, name: 'https', protocol: 'HTTPS' }, tls: { mode: 'SIMPLE', serverCertificate: '/c', privateKey: '/k', minProtocolVersion: 'TLSV1_0' } }],
    }), 'GW23 spec.ingress[0].tls.minProtocolVersion: TLS version below TLSV1_2 require setting compatible ciphers as by default they no longer include compatible ciphers.'],
  ])('%s', (_, object, warning) => {
    expect(errorsOf(object)).toEqual([]);
    expect(warningsOf(object)).toEqual([warning]);
    assertValidIstioObjects([object]);
  });
});

describe('Sidecars Istio refuses', () => {
  test.each([
    ['SC1 only a workloadSelector', sidecar({ workloadSelector: { labels: { app: 'checkout' } } }), 'SC1 spec: sidecar: empty configuration provided'],
    ['SC1 empty lists', sidecar({ egress: [], ingress: [] }), 'SC1 spec: sidecar: empty configuration provided'],
    ['SC3 a null egress listener', egress(null), 'SC3 spec.egress[0]: egress listener may not be null'],
    ['SC3 an egress listener without hosts', egress({ hosts: [] }), 'SC3 spec.egress[0].hosts: sidecar: egress listener must contain at least one host'],
    ['SC4 a host without namespace', egress({ hosts: ['api.example.com'] }), 'SC4 spec.egress[0].hosts[0]: host must be of form namespace/dnsName'],
    ['SC5 an empty host name', egress({ hosts: ['shop/'] }), 'SC5 spec.egress[0].hosts[0]: config namespace and dnsName in host entry cannot be empty'],
    ['SC5 a bad namespace', egress({ hosts: ['Shop_1/*'] }), 'SC5 spec.egress[0].hosts[0]: invalid namespace value "Shop_1" in sidecar'],
    ['SC6 an IP', egress({ hosts: ['./10.0.0.1'] }), 'SC6 spec.egress[0].hosts[0]: domain name "0.0.1" invalid (top level domain "1" cannot be all-numeric)'],
    ['SC6 a short name', egress({ hosts: ['./api'] }), 'SC6 spec.egress[0].hosts[0]: short names (non FQDN) are not allowed'],
    ['SC8 a catch-all listener before another', egress({ hosts: ['./*'] }, { port: { number: 80 }, hosts: ['./*'] }),
      'SC8 spec.egress[0].port: sidecar: the egress listener with empty port should be the last listener in the list'],
    ['SC9 an egress port out of range', egress({ port: { number: 70000 }, hosts: ['./*'] }), 'SC9 spec.egress[0].port.number: port number 70000 must be in the range 1..65535'],
    ['SC9 a host name as egress bind', egress({ port: { number: 80 }, bind: 'localhost', hosts: ['./*'] }), 'SC9 spec.egress[0].bind: localhost is not a valid IP'],
    ['SC9 two egress listeners on one port', egress({ port: { number: 80, protocol: 'HTTP' }, hosts: ['./*'] }, { port: { number: 80, protocol: 'TCP' }, hosts: ['istio-system/*'] }),
      'SC9 spec.egress[1].port.number: sidecar: ports on IP bound listeners must be unique'],
    ['SC9 a bad egress port name', egress({ port: { number: 80, name: 'http_80' }, hosts: ['./*'] }), 'SC9 spec.egress[0].port.name: invalid port name: http_80'],
    ['SC9 an unknown egress protocol', egress({ port: { number: 21, protocol: 'FTP' }, hosts: ['./*'] }), 'SC9 spec.egress[0].port.protocol: unsupported protocol: FTP'],
    ['SC10 port 0 without a unix bind', egress({ port: { number: 0, name: 'uds' }, hosts: ['./*'] }),
      'SC10 spec.egress[0].bind: sidecar: ports with 0 value must have a unix domain socket bind address'],
    ['SC10 port 0 bound to a relative path', egress({ port: { number: 0 }, bind: 'unix://egress.sock', hosts: ['./*'] }),
      'SC10 spec.egress[0].bind: egress.sock is not an absolute path to a file'],
    ['SC10 IPTABLES capture on a unix domain socket', egress({ port: { number: 0 }, bind: 'unix:///egress.sock', captureMode: 'IPTABLES', hosts: ['./*'] }),
      'SC10 spec.egress[0].captureMode: sidecar: captureMode must be DEFAULT/NONE for unix domain socket listeners'],
    ['SC10 one unix domain socket twice', egress(
      { port: { number: 0, protocol: 'HTTP' }, bind: 'unix:///egress.sock', hosts: ['./*'] },
      { port: { number: 0, protocol: 'TCP' }, bind: 'unix:///egress.sock', hosts: ['istio-system/*'] },
    ), 'SC10 spec.egress[1].bind: sidecar: unix domain socket values for listeners must be unique'],
    ['SC11 an egressProxy with REGISTRY_ONLY', sidecar({ outboundTrafficPolicy: { mode: 'REGISTRY_ONLY', egressProxy: { host: 'proxy.example.com', port: { number: 3128 } } } }),
      'SC11 spec.outboundTrafficPolicy.egressProxy: sidecar: egress_proxy must be set only with ALLOW_ANY outbound_traffic_policy mode'],
    ['SC11 an egressProxy without mode (REGISTRY_ONLY)', sidecar({ outboundTrafficPolicy: { egressProxy: { host: 'proxy.example.com', port: { number: 3128 } } } }),
      'SC11 spec.outboundTrafficPolicy.egressProxy: sidecar: egress_proxy must be set only with ALLOW_ANY outbound_traffic_policy mode'],
    ['SC11 an egressProxy to a wildcard', sidecar({ outboundTrafficPolicy: { mode: 'ALLOW_ANY', egressProxy: { host: '*.example.com', port: { number: 3128 } } } }),
      'SC11 spec.outboundTrafficPolicy.egressProxy.host: domain name "*.example.com" invalid (label "*" invalid)'],
    ['SC11 an egressProxy without port', sidecar({ outboundTrafficPolicy: { mode: 'ALLOW_ANY', egressProxy: { host: 'proxy.example.com' } } }),
      'SC11 spec.outboundTrafficPolicy.egressProxy.port: sidecar: egress_proxy port must be non-nil'],
    ['SC11 an egressProxy on port 0', sidecar({ outboundTrafficPolicy: { mode: 'ALLOW_ANY', egressProxy: { host: 'proxy.example.com', port: {} } } }),
      'SC11 spec.outboundTrafficPolicy.egressProxy.port.number: port number 0 must be in the range 1..65535'],
    ['SC11 an egressProxy with a bad subset', sidecar({ outboundTrafficPolicy: { mode: 'ALLOW_ANY', egressProxy: { host: 'proxy.example.com', subset: 'v_1', port: { number: 3128 } } } }),
      'SC11 spec.outboundTrafficPolicy.egressProxy.subset: subset name is invalid: v_1'],
    ['SC13 a null ingress listener', sidecar({ ingress: [null] }), 'SC13 spec.ingress[0]: sidecar: ingress may not be null'],
    ['SC13 an ingress listener without port', sidecar({ ingress: [{ defaultEndpoint: '127.0.0.1:8080' }] }), 'SC13 spec.ingress[0].port: sidecar: port is required for ingress listeners'],
    ['SC14 ingress port 0', ingress({ port: { number: 0, name: 'http', protocol: 'HTTP' } }), 'SC14 spec.ingress[0].port.number: port number 0 must be in the range 1..65535'],
    ['SC14 ingress on a unix bind (an IP only)', ingress({ bind: 'unix:///app.sock' }), 'SC14 spec.ingress[0].bind: unix:///app.sock is not a valid IP'],
    ['SC14 two ingress listeners on one port', sidecar({ ingress: [{ port: httpPort }, { port: { number: 8080, name: 'tcp', protocol: 'TCP' }, bind: '10.0.0.5' }] }),
      'SC14 spec.ingress[1].port.number: sidecar: ports on IP bound listeners must be unique'],
    ['SC14 an ingress targetPort', ingress({ port: { ...httpPort, targetPort: 9090 } }), 'SC14 spec.ingress[0].port.targetPort: targetPort has no impact on Sidecars'],
    ['SC14 a bad ingress port name', ingress({ port: { ...httpPort, name: 'Http API' } }), 'SC14 spec.ingress[0].port.name: invalid port name: Http API'],
    ['SC15 a defaultEndpoint on another host', ingress({ defaultEndpoint: '10.1.1.1:8080' }),
      'SC15 spec.ingress[0].defaultEndpoint: sidecar: defaultEndpoint must be of form 127.0.0.1:<port>,0.0.0.0:<port>,[::1]:port,[::]:port,unix://filepath or unset'],
    ['SC15 a defaultEndpoint by name', ingress({ defaultEndpoint: 'localhost:8080' }),
      'SC15 spec.ingress[0].defaultEndpoint: sidecar: defaultEndpoint must be of form 127.0.0.1:<port>,0.0.0.0:<port>,[::1]:port,[::]:port,unix://filepath or unset'],
    ['SC15 a defaultEndpoint port that is a name', ingress({ defaultEndpoint: '127.0.0.1:http' }),
      'SC15 spec.ingress[0].defaultEndpoint: sidecar: defaultEndpoint port (http) is not a number: strconv.Atoi: parsing "http": invalid syntax'],
    ['SC15 a defaultEndpoint on port 0', ingress({ defaultEndpoint: '[::1]:0' }), 'SC15 spec.ingress[0].defaultEndpoint: port number 0 must be in the range 1..65535'],
    ['SC15 a defaultEndpoint without port', ingress({ defaultEndpoint: '127.0.0.1' }), 'SC15 spec.ingress[0].defaultEndpoint: address 127.0.0.1: missing port in address'],
    ['SC15 an IPv6 defaultEndpoint without brackets', ingress({ defaultEndpoint: '::1:8080' }), 'SC15 spec.ingress[0].defaultEndpoint: address ::1:8080: too many colons in address'],
    ['SC15 a unix defaultEndpoint on a directory', ingress({ defaultEndpoint: 'unix:///' }), 'SC15 spec.ingress[0].defaultEndpoint: / is not an absolute path to a file'],
    ['SC16 ingress TLS on an HTTP port', ingress({ tls: { mode: 'SIMPLE', serverCertificate: '/c', privateKey: '/k' } }),
      'SC16 spec.ingress[0].tls: server cannot have TLS settings for non HTTPS/TLS ports'],
    ['SC16 ISTIO_MUTUAL in ingress tls', ingress({ port: { number: 8443, name: 'https', protocol: 'HTTPS' }, tls: { mode: 'ISTIO_MUTUAL' } }),
      'SC16 spec.ingress[0].tls.mode: configuration is invalid: cannot set mode to ISTIO_MUTUAL in sidecar ingress tls'],
    ['SC16 AUTO_PASSTHROUGH in ingress tls', ingress({ port: { number: 8443, name: 'tls', protocol: 'TLS' }, tls: { mode: 'AUTO_PASSTHROUGH' } }),
      'SC16 spec.ingress[0].tls.mode: configuration is invalid: cannot set mode to AUTO_PASSTHROUGH in sidecar ingress tls'],
    ['SC16 a credentialName in ingress tls', ingress({ port: { number: 8443, name: 'https', protocol: 'HTTPS' }, tls: { mode: 'SIMPLE', credentialName: 'c' } }),
      'SC16 spec.ingress[0].tls.credentialName: sidecar: credentialName is not currently supported'],
    ['SC16 credentialNames in ingress tls', ingress({ port: { number: 8443, name: 'https', protocol: 'HTTPS' }, tls: { mode: 'SIMPLE', credentialNames: ['c'] } }),
      'SC16 spec.ingress[0].tls.credentialNames: sidecar: credentialNames is not currently supported'],
    ['SC16 tlsCertificates in ingress tls', ingress({ port: { number: 8443, name: 'https', protocol: 'HTTPS' }, tls: { mode: 'SIMPLE', tlsCertificates: [{ serverCertificate: '/c', privateKey: '/k' }] } }),
      'SC16 spec.ingress[0].tls.tlsCertificates: sidecar: tls_certificates is not currently supported'],
    ['SC16 subjectAltNames in ingress tls', ingress({ port: { number: 8443, name: 'https', protocol: 'HTTPS' }, tls: { mode: 'SIMPLE', serverCertificate: '/c', privateKey: '/k', subjectAltNames: ['a'] } }),
      'SC16 spec.ingress[0].tls.subjectAltNames: sidecar: subjectAltNames is not supported in ingress tls'],
    ['SC16 httpsRedirect in ingress tls', ingress({ port: { number: 8443, name: 'https', protocol: 'HTTPS' }, tls: { mode: 'SIMPLE', serverCertificate: '/c', privateKey: '/k', httpsRedirect: true } }),
      'SC16 spec.ingress[0].tls.httpsRedirect: sidecar: httpsRedirect is not supported'],
    ['GW19 ingress SIMPLE TLS without a key (the Gateway\'s TLS options rules)', ingress({ port: { number: 8443, name: 'https', protocol: 'HTTPS' }, tls: { mode: 'SIMPLE', serverCertificate: '/c' } }),
      'GW19 spec.ingress[0].tls.privateKey: SIMPLE TLS requires a private key'],
    ['SC17 an empty inboundConnectionPool', sidecar({ inboundConnectionPool: {} }), 'SC17 spec.inboundConnectionPool: connection pool must have at least one field'],
    ['SC17 an empty ingress connectionPool', ingress({ connectionPool: {} }), 'SC17 spec.ingress[0].connectionPool: connection pool must have at least one field'],
    ['SC17 a negative limit', sidecar({ inboundConnectionPool: { http: { http2MaxRequests: -1 } } }),
      'SC17 spec.inboundConnectionPool.http.http2MaxRequests: http2 max requests must be non-negative'],
    ['SC17 a negative connection limit', ingress({ connectionPool: { tcp: { maxConnections: -5 } } }),
      'SC17 spec.ingress[0].connectionPool.tcp.maxConnections: max connections must be non-negative'],
    ['SC17 a sub-millisecond timeout', sidecar({ inboundConnectionPool: { tcp: { connectTimeout: '500us' } } }),
      'SC17 spec.inboundConnectionPool.tcp.connectTimeout: duration must be greater than 1ms'],
    ['SC17 a timeout finer than milliseconds', sidecar({ inboundConnectionPool: { tcp: { tcpKeepalive: { interval: '1500us' } } } }),
      'SC17 spec.inboundConnectionPool.tcp.tcpKeepalive.interval: only durations to ms precision are supported'],
    ['SC17 UPGRADE with useClientProtocol', sidecar({ inboundConnectionPool: { http: { h2UpgradePolicy: 'UPGRADE', useClientProtocol: true } } }),
      'SC17 spec.inboundConnectionPool.http.useClientProtocol: use client protocol must not be true when H2UpgradePolicy is UPGRADE'],
    ['SC19 an unknown captureMode', egress({ port: { number: 80 }, captureMode: 'TPROXY', hosts: ['./*'] }), 'SC19 spec.egress[0].captureMode: unsupported captureMode TPROXY'],
    ['SC19 an unknown outbound mode', sidecar({ outboundTrafficPolicy: { mode: 'ALLOW_ANY_DYNAMIC_DNS' } }),
      'SC19 spec.outboundTrafficPolicy.mode: unsupported outbound traffic policy mode ALLOW_ANY_DYNAMIC_DNS'],
  ])('%s', (_, object, error) => {
    expect(errorsOf(object)).toContain(error);
  });

  test('SEL2: an invalid selector is all Istio reports', () => {
    const object = sidecar({ workloadSelector: { labels: { app: '*' } }, egress: [{ hosts: ['api.example.com'] }] });
    const findings = checkSidecar(object);
    expect(findings.map(f => [f.rule, f.severity, f.field])).toEqual([['SEL2', 'error', 'spec.workloadSelector.labels.app']]);
    expect(findings[0].message).toContain('wildcard is not supported in selector');
  });

  test('SC1 drops the selector warning, as Istio does', () => {
    const object = sidecar({ workloadSelector: {} });
    expect(checkSidecar(object).map(f => f.rule)).toEqual(['SC1']);
  });

  test('SC8: every catch-all listener but the last is out of place', () => {
    const object = egress({ hosts: ['./*'] }, { hosts: ['istio-system/*'] }, { hosts: ['~/*'] });
    expect(errorsOf(object)).toEqual([
      'SC8 spec.egress[0].port: sidecar: the egress listener with empty port should be the last listener in the list',
      'SC8 spec.egress[1].port: sidecar: the egress listener with empty port should be the last listener in the list',
    ]);
  });

  test('SC9: an IP listener and a unix domain socket listener do not collide', () => {
    const object = egress(
      { port: { number: 80 }, hosts: ['./*'] },
      { port: { number: 0 }, bind: 'unix:///egress.sock', hosts: ['istio-system/*'] },
      { port: { number: 0 }, bind: 'unix:///other.sock', hosts: ['istio-system/*'] },
    );
    expect(errorsOf(object)).toEqual([]);
  });

  test('SC15: a defaultEndpoint that does not split reports the port too, as Istio does', () => {
    expect(defaultEndpointProblems('[::1')).toEqual([
      'address [::1: missing \']\' in address',
      'sidecar: defaultEndpoint port () is not a number: strconv.Atoi: parsing "": invalid syntax',
    ]);
    expect(defaultEndpointProblems('127.0.0.1:+8080')).toEqual([]);
    expect(defaultEndpointProblems('127.0.0.1:99999999999999999999')).toEqual([
      'sidecar: defaultEndpoint port (99999999999999999999) is not a number: strconv.Atoi: parsing "99999999999999999999": value out of range',
    ]);
    expect(defaultEndpointProblems('[::1]8080')).toEqual([
      'address [::1]8080: missing port in address',
      'sidecar: defaultEndpoint port () is not a number: strconv.Atoi: parsing "": invalid syntax',
    ]);
  });

  test('SC16 beside the shared TLS options rules: ingress TLS with a credentialName and certificate files', () => {
    const object = ingress({
      port: { number: 8443, name: 'https', protocol: 'HTTPS' },
      tls: { mode: 'SIMPLE', credentialName: 'c', serverCertificate: '/c', privateKey: '/k' },
    });
    expect(errorsOf(object)).toEqual([
      'SC16 spec.ingress[0].tls.credentialName: sidecar: credentialName is not currently supported',
      'GW18 spec.ingress[0].tls: only one of credential_name, credential_names, server_certificate/private_key, tls_certificates should be specified',
    ]);
  });

  test('objects of any shape are read without throwing', () => {
    const odd = [
      sidecar('spec'),
      sidecar({ ingress: 'x', egress: [5, { port: 'p', hosts: 'h', bind: 3 }], outboundTrafficPolicy: 'x', inboundConnectionPool: 7 }),
      sidecar({ ingress: [{ port: { number: '80' }, defaultEndpoint: 8080, tls: 'x', connectionPool: { http: 3, tcp: { tcpKeepalive: 'x', idleTimeout: 5 } } }] }),
      sidecar({ workloadSelector: 'x', outboundTrafficPolicy: { mode: 'ALLOW_ANY', egressProxy: 'proxy' } }),
    ];
    for (const object of odd) {
      expect(() => checkSidecar(object as any)).not.toThrow();
    }
  });
});

describe('egress listeners without port, and the egress proxy host', () => {
  test('SC8: every catch-all listener but the last is reported, with the same message', () => {
    expect(errorsOf(egress({ hosts: ['./*'] }, { port: { number: 80, protocol: 'HTTP', name: 'http' }, hosts: ['./*'] }, { hosts: ['istio-system/*'] })))
      .toEqual(['SC8 spec.egress[0].port: sidecar: the egress listener with empty port should be the last listener in the list']);
    expect(errorsOf(egress({ hosts: ['./*'] }, { hosts: ['./*'] }, { hosts: ['istio-system/*'] }))).toEqual([
      'SC8 spec.egress[0].port: sidecar: the egress listener with empty port should be the last listener in the list',
      'SC8 spec.egress[1].port: sidecar: the egress listener with empty port should be the last listener in the list',
    ]);
  });

  test('SC11: `*` as the egress proxy host is no FQDN and no destination host', () => {
    const proxy = (host: string) => sidecar({ egress: [{ hosts: ['./*'] }], outboundTrafficPolicy: { mode: 'ALLOW_ANY', egressProxy: { host, port: { number: 3128 } } } });
    expect(errorsOf(proxy('*'))).toEqual([
      'SC11 spec.outboundTrafficPolicy.egressProxy.host: domain name "*" invalid (label "*" invalid)',
      'SC11 spec.outboundTrafficPolicy.egressProxy.host: invalid destination host *',
    ]);
    expect(errorsOf(proxy('proxy.example.com'))).toEqual([]);
  });
});

describe('enumerations and optional port fields', () => {
  const listener = (extra: Record<string, unknown>, number = 8080) =>
    ({ port: { number, protocol: 'HTTP', name: `http-${number}` }, defaultEndpoint: `127.0.0.1:${number}`, ...extra });

  test('every capture mode Istio knows is accepted on an ingress listener; a null one is no capture mode', () => {
    const object = sidecar({
      workloadSelector: { labels: { app: 'api' } },
      ingress: [
        ...['DEFAULT', 'IPTABLES', 'NONE'].map((captureMode, i) => listener({ captureMode }, 8080 + i)), listener({ captureMode: null, bind: '' }, 9090),
      ],
    });
    expect(errorsOf(object)).toEqual([]);
    expect(errorsOf(sidecar({ workloadSelector: { labels: { app: 'api' } }, ingress: [listener({ captureMode: 'EBPF' })] })))
      .toEqual(['SC19 spec.ingress[0].captureMode: unsupported captureMode EBPF']);
  });

  test.each(['DEFAULT', 'DO_NOT_UPGRADE', 'UPGRADE'])('h2UpgradePolicy %s is accepted', h2UpgradePolicy => {
    expect(errorsOf(sidecar({ egress: [{ hosts: ['./*'] }], inboundConnectionPool: { http: { h2UpgradePolicy } } }))).toEqual([]);
  });

  test('an egress port may leave out its name and protocol, or leave them empty; a name that is no DNS label or no string, and a target port, are refused', () => {
    expect(errorsOf(egress({ port: { number: 80, protocol: '', name: '' }, hosts: ['./*'] }, { port: { number: 81 }, hosts: ['./*'] }, { hosts: ['./*'] }))).toEqual([]);
    expect(errorsOf(egress({ port: { number: 80, protocol: 'HTTP', name: 'http_x', targetPort: 8080 }, hosts: ['./*'] }, { port: { number: 81, name: 5 }, hosts: ['./*'] })))
      .toEqual([
        'SC9 spec.egress[0].port.name: invalid port name: http_x',
        'SC9 spec.egress[0].port.targetPort: targetPort has no impact on Sidecars',
        'SC9 spec.egress[1].port.name: invalid port name: 5',
      ]);
  });
});
