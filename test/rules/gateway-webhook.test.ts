/**
 * Gateway rules against what Istio 1.30.3's validating webhook does (ValidateGateway, validateServer,
 * validateServerPort, validateServerBind, validateTLSOptions): accepted inputs pass (and the CRD schema
 * accepts them), rejected ones are errors with Istio's words, and Istio's warnings are warnings.
 */
import { Finding, checkObject } from '../../src/rules';
import { checkGateway } from '../../src/rules/gateway';
import { assertValidIstioObjects, validateIstioObject } from '../support/crd-validator';
import { helpful } from '../support/findings';

function gateway(servers: unknown, options: { name?: string; annotations?: Record<string, string>; selector?: unknown } = {}) {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'Gateway',
    metadata: { name: options.name ?? 'egress', namespace: 'edge', ...(options.annotations ? { annotations: options.annotations } : {}) },
    spec: { selector: options.selector ?? { istio: 'egressgateway' }, servers },
  };
}

const http = (extra: Record<string, unknown> = {}) => ({ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['api.example.com'], ...extra });
const https = (tls?: unknown, extra: Record<string, unknown> = {}) =>
  ({ port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['api.example.com'], ...(tls === undefined ? {} : { tls }), ...extra });
const oneServer = (server: unknown) => gateway([server]);

const lines = (findings: Finding[], severity: 'error' | 'warning') =>
  helpful(findings).filter(f => f.severity === severity).map(f => `${f.rule} ${f.field}: ${f.message}`);
const errorsOf = (object: unknown) => lines(checkObject(object as any), 'error');
const warningsOf = (object: unknown) => lines(checkObject(object as any), 'warning');

describe('Gateways Istio accepts without a word', () => {
  test.each([
    ['plain HTTP on a dotted host, a namespaced host, `*/` and `./` hosts', gateway([
      { port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['api.example.com', 'shop/api.example.com', '*/b.example.com', './*.example.com'] },
    ])],
    ['an IPv4 address as host and `*`', oneServer({ port: { number: 80, name: 'http', protocol: 'http' }, hosts: ['10.0.0.1', '*'] })],
    ['UDP, HTTP_PROXY, GRPC-Web and Mongo ports (protocols Istio knows)', gateway([
      { port: { number: 53, name: 'dns', protocol: 'UDP' }, hosts: ['dns.example.com'] },
      { port: { number: 3128, name: 'proxy', protocol: 'HTTP_PROXY' }, hosts: ['proxy.example.com'] },
      { port: { number: 8080, name: 'grpc-web', protocol: 'GRPC-Web' }, hosts: ['grpc.example.com'] },
      { port: { number: 27017, name: 'mongo', protocol: 'Mongo' }, hosts: ['db.example.com'] },
    ])],
    ['port 0 on a unix domain socket (absolute path and abstract name)', gateway([
      { port: { number: 0, name: 'uds', protocol: 'HTTP' }, bind: 'unix:///var/run/egress.sock', hosts: ['api.example.com'] },
      { port: { number: 0, name: 'uds-abstract', protocol: 'TCP' }, bind: 'unix://@egress', hosts: ['db.example.com'] },
    ])],
    ['binds to IPv4 and IPv6 addresses', gateway([
      http({ bind: '127.0.0.1' }),
      { port: { number: 81, name: 'http-v6', protocol: 'HTTP' }, bind: '::1', hosts: ['api.example.com'] },
    ])],
    ['targetPort 0 (unset as Go reads it)', oneServer({ port: { number: 80, name: 'http', protocol: 'HTTP', targetPort: 0 }, hosts: ['api.example.com'] })],
    ['httpsRedirect on an HTTP server', oneServer(http({ tls: { httpsRedirect: true } }))],
    ['a bare PASSTHROUGH mode on an HTTP server', oneServer(http({ tls: { mode: 'PASSTHROUGH' } }))],
    ['httpsRedirect on a gRPC server (an HTTP protocol)', oneServer({ port: { number: 8080, name: 'grpc', protocol: 'GRPC' }, hosts: ['api.example.com'], tls: { httpsRedirect: true } })],
    ['ISTIO_MUTUAL with empty certificate fields', oneServer(https({ mode: 'ISTIO_MUTUAL', serverCertificate: '', privateKey: '', caCertificates: '' }))],
    ['SIMPLE with a credentialName', oneServer(https({ mode: 'SIMPLE', credentialName: 'api-cert' }))],
    ['SIMPLE with a credentialName and an empty serverCertificate', oneServer(https({ mode: 'SIMPLE', credentialName: 'api-cert', serverCertificate: '' }))],
    ['SIMPLE with certificate and key files, and a CA bundle', oneServer(https({
      mode: 'SIMPLE', serverCertificate: '/etc/certs/tls.crt', privateKey: '/etc/certs/tls.key', caCertificates: '/etc/certs/ca.crt',
    }))],
    ['SIMPLE with a credentialName and a CRL (the credential is used, the CRL not checked)', oneServer(https({ mode: 'SIMPLE', credentialName: 'c', caCrl: '/crl.pem' }))],
    ['MUTUAL with a credentialName alone (the Secret holds the CA)', oneServer(https({ mode: 'MUTUAL', credentialName: 'api-cert' }))],
    ['OPTIONAL_MUTUAL with two credentialNames', oneServer(https({ mode: 'OPTIONAL_MUTUAL', credentialNames: ['rsa-cert', 'ecdsa-cert'] }))],
    ['MUTUAL with tlsCertificates, a CA bundle and a CRL', oneServer(https({
      mode: 'MUTUAL',
      caCertificates: '/etc/certs/ca.crt',
      caCrl: '/etc/certs/ca.crl',
      tlsCertificates: [{ serverCertificate: '/etc/certs/rsa.crt', privateKey: '/etc/certs/rsa.key' }, { serverCertificate: '/etc/certs/ec.crt', privateKey: '/etc/certs/ec.key' }],
    }))],
    ['TLS 1.0 with compatible ciphers, operator expressions and ALL', oneServer(https({
      mode: 'SIMPLE',
      credentialName: 'c',
      minProtocolVersion: 'TLSV1_0',
      maxProtocolVersion: 'TLSV1_3',
      cipherSuites: ['ECDHE-RSA-AES128-SHA', '-AES256-SHA', '[ECDHE-ECDSA-AES128-GCM-SHA256|ECDHE-ECDSA-CHACHA20-POLY1305]', 'ALL'],
    }))],
    ['a dotted name and a `~/` host on a Gateway converted from the Gateway API', gateway(
      [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['~/api.example.com'] }],
      { name: 'gw.example', annotations: { 'internal.istio.io/gateway-semantics': 'gateway' } },
    )],
  ])('%s', (_, object) => {
    expect(checkObject(object)).toEqual([]);
    assertValidIstioObjects([object]);
  });
});

describe('Gateways Istio accepts with a warning', () => {
  test.each([
    ['GW15 httpsRedirect on an HTTPS server', oneServer(https({ mode: 'SIMPLE', credentialName: 'c', httpsRedirect: true })),
      'GW15 spec.servers[0].tls.httpsRedirect: tls.httpsRedirect should only be used with http servers'],
    ['GW17 PASSTHROUGH with a credentialName', oneServer(https({ mode: 'PASSTHROUGH', credentialName: 'c' })),
      'GW17 spec.servers[0].tls: PASSTHROUGH mode does not use certificates, they will be ignored'],
    ['GW17 AUTO_PASSTHROUGH with a CRL', oneServer({ port: { number: 15443, name: 'tls', protocol: 'TLS' }, hosts: ['*.local'], tls: { mode: 'AUTO_PASSTHROUGH', caCrl: '/crl.pem' } }),
      'GW17 spec.servers[0].tls: AUTO_PASSTHROUGH mode does not use certificates, they will be ignored'],
    ['GW23 TLS 1.1 without cipher suites', oneServer(https({ mode: 'SIMPLE', credentialName: 'c', minProtocolVersion: 'TLSV1_1' })),
      'GW23 spec.servers[0].tls.minProtocolVersion: TLS version below TLSV1_2 require setting compatible ciphers as by default they no longer include compatible ciphers.'],
    ['GW23 unknown cipher suites, sorted', oneServer(https({ mode: 'SIMPLE', credentialName: 'c', cipherSuites: ['rc4-md5', 'AES128-SHA', 'NOT-A-SUITE'] })),
      'GW23 spec.servers[0].tls.cipherSuites: ignoring invalid cipher suites: [NOT-A-SUITE rc4-md5]'],
    ['GW23 lower-case and non-ASCII names are not suites; an empty entry and operators are let through', oneServer(https({
      mode: 'SIMPLE', credentialName: 'c', cipherSuites: ['', '!RC4', 'ecdhe-rsa-aes128-sha', 'é-x'],
    })), 'GW23 spec.servers[0].tls.cipherSuites: ignoring invalid cipher suites: [ecdhe-rsa-aes128-sha é-x]'],
    ['GW23 duplicate cipher suites', oneServer(https({ mode: 'SIMPLE', credentialName: 'c', cipherSuites: ['AES128-SHA', 'AES256-SHA', 'AES128-SHA'] })),
      'GW23 spec.servers[0].tls.cipherSuites: ignoring duplicate cipher suites: [AES128-SHA]'],
  ])('%s', (_, object, warning) => {
    expect(errorsOf(object)).toEqual([]);
    expect(warningsOf(object)).toEqual([warning]);
    assertValidIstioObjects([object]);
  });

  test('GW15 is a warning even where the protocol does not parse, as in Istio', () => {
    const object = oneServer({ port: { number: 21, name: 'ftp', protocol: 'FTP' }, hosts: ['ftp.example.com'], tls: { httpsRedirect: true } });
    expect(warningsOf(object)).toContain('GW15 spec.servers[0].tls.httpsRedirect: tls.httpsRedirect should only be used with http servers');
    expect(errorsOf(object)).toEqual(['GW7 spec.servers[0].port.protocol: invalid protocol "FTP", supported protocols are HTTP, HTTP2, GRPC, GRPC-WEB, MONGO, REDIS, MYSQL, TCP']);
  });
});

describe('Gateways Istio refuses', () => {
  test.each([
    ['GW1 a dotted name', gateway([http()], { name: 'egress.gw' }), 'GW1 metadata.name: invalid gateway name: "egress.gw"'],
    ['GW2 no servers', gateway([]), 'GW2 spec.servers: gateway must have at least one server'],
    ['GW3 no hosts', oneServer({ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: [] }), 'GW3 spec.servers[0].hosts: server config must contain at least one host'],
    ['GW4 an empty namespace', oneServer(http({ hosts: ['/api.example.com'] })), 'GW4 spec.servers[0].hosts[0]: config namespace and dnsName in host entry cannot be empty'],
    ['GW4 `~` outside the Gateway API', oneServer(http({ hosts: ['~/api.example.com'] })), 'GW4 spec.servers[0].hosts[0]: invalid namespace value "~" in gateway'],
    ['GW4 a namespace with an underscore', oneServer(http({ hosts: ['my_ns/api.example.com'] })), 'GW4 spec.servers[0].hosts[0]: invalid namespace value "my_ns" in gateway'],
    ['GW5 a short name', oneServer(http({ hosts: ['api'] })), 'GW5 spec.servers[0].hosts[0]: short names (non FQDN) are not allowed'],
    ['GW5 an IPv6 address (no dot: a short name)', oneServer(http({ hosts: ['2001:db8::1'] })), 'GW5 spec.servers[0].hosts[0]: short names (non FQDN) are not allowed'],
    ['GW5 a wildcard inside the name', oneServer(http({ hosts: ['ns/api.*.example.com'] })), 'GW5 spec.servers[0].hosts[0]: domain name "*.example.com" invalid (label "*" invalid)'],
    ['GW5 a partial wildcard', oneServer(http({ hosts: ['*api.example.com'] })), 'GW5 spec.servers[0].hosts[0]: partial wildcard "*api.example.com" not allowed'],
    ['GW6 no port', oneServer({ hosts: ['api.example.com'] }), 'GW6 spec.servers[0].port: port is required'],
    ['GW6 port 0 without a unix bind', oneServer({ port: { number: 0, name: 'http', protocol: 'HTTP' }, hosts: ['api.example.com'] }),
      'GW6 spec.servers[0].port.number: port number 0 must be in the range 1..65535'],
    ['GW6 port 70000', oneServer({ port: { number: 70000, name: 'http', protocol: 'HTTP' }, hosts: ['api.example.com'] }),
      'GW6 spec.servers[0].port.number: port number 70000 must be in the range 1..65535'],
    ['GW7 an unknown protocol', oneServer({ port: { number: 21, name: 'ftp', protocol: 'FTP' }, hosts: ['ftp.example.com'] }),
      'GW7 spec.servers[0].port.protocol: invalid protocol "FTP", supported protocols are HTTP, HTTP2, GRPC, GRPC-WEB, MONGO, REDIS, MYSQL, TCP'],
    ['GW8 no port name', oneServer({ port: { number: 80, protocol: 'HTTP' }, hosts: ['api.example.com'] }),
      'GW8 spec.servers[0].port.name: port name must be set: number:80 protocol:"HTTP"'],
    ['GW9 a port name used twice', gateway([http(), { port: { number: 8080, name: 'http', protocol: 'HTTP' }, hosts: ['b.example.com'] }]),
      'GW9 spec.servers[1].port.name: port names in servers must be unique: duplicate name http'],
    ['GW10 a targetPort', oneServer({ port: { number: 80, name: 'http', protocol: 'HTTP', targetPort: 8080 }, hosts: ['api.example.com'] }),
      'GW10 spec.servers[0].port.targetPort: targetPort has no impact on Gateways'],
    ['GW11 a host name as bind', oneServer(http({ bind: 'localhost' })), 'GW11 spec.servers[0].bind: localhost is not a valid IP'],
    ['GW11 a unix bind on port 80', oneServer(http({ bind: 'unix:///var/run/egress.sock' })),
      'GW11 spec.servers[0].port.number: port number must be 0 for unix domain socket: number:80 protocol:"HTTP" name:"http"'],
    ['GW11 a relative unix path', oneServer({ port: { number: 0, name: 'uds', protocol: 'HTTP' }, bind: 'unix://run/egress.sock', hosts: ['api.example.com'] }),
      'GW11 spec.servers[0].bind: run/egress.sock is not an absolute path to a file'],
    ['GW11 a unix path to a directory', oneServer({ port: { number: 0, name: 'uds', protocol: 'HTTP' }, bind: 'unix:///var/run/', hosts: ['api.example.com'] }),
      'GW11 spec.servers[0].bind: /var/run/ is not an absolute path to a file'],
    ['GW11 an empty unix address', oneServer({ port: { number: 0, name: 'uds', protocol: 'HTTP' }, bind: 'unix://', hosts: ['api.example.com'] }),
      'GW11 spec.servers[0].bind: unix address must not be empty'],
    ['GW12 HTTPS without tls', oneServer(https()), 'GW12 spec.servers[0].tls: server must have TLS settings for HTTPS/TLS protocols'],
    ['GW13 TLS termination on an HTTP server', oneServer(http({ tls: { mode: 'SIMPLE', credentialName: 'c' } })),
      'GW13 spec.servers[0].tls: server cannot have TLS settings for plain text HTTP ports'],
    ['GW13 certificate files on an HTTP server', oneServer(http({ tls: { httpsRedirect: true, serverCertificate: '/c.pem' } })),
      'GW13 spec.servers[0].tls: server cannot have TLS settings for plain text HTTP ports'],
    ['GW13 ISTIO_MUTUAL on an HTTP server', oneServer(http({ tls: { mode: 'ISTIO_MUTUAL' } })),
      'GW13 spec.servers[0].tls: server cannot have TLS settings for plain text HTTP ports'],
    ['GW14 tls on a TCP server', oneServer({ port: { number: 5432, name: 'tcp', protocol: 'TCP' }, hosts: ['db.example.com'], tls: { mode: 'SIMPLE', credentialName: 'c' } }),
      'GW14 spec.servers[0].tls: server cannot have TLS settings for non HTTPS/TLS ports'],
    ['GW16 ISTIO_MUTUAL with a server certificate', oneServer(https({ mode: 'ISTIO_MUTUAL', serverCertificate: '/c.pem' })),
      'GW16 spec.servers[0].tls.serverCertificate: ISTIO_MUTUAL TLS cannot have associated server certificate'],
    ['GW16 ISTIO_MUTUAL with a private key', oneServer(https({ mode: 'ISTIO_MUTUAL', privateKey: '/k.pem' })),
      'GW16 spec.servers[0].tls.privateKey: ISTIO_MUTUAL TLS cannot have associated private key'],
    ['GW16 ISTIO_MUTUAL with a CA bundle', oneServer(https({ mode: 'ISTIO_MUTUAL', caCertificates: '/ca.pem' })),
      'GW16 spec.servers[0].tls.caCertificates: ISTIO_MUTUAL TLS cannot have associated CA bundle'],
    ['GW16 ISTIO_MUTUAL with tlsCertificates', oneServer(https({ mode: 'ISTIO_MUTUAL', tlsCertificates: [{ serverCertificate: '/c', privateKey: '/k' }] })),
      'GW16 spec.servers[0].tls.tlsCertificates: ISTIO_MUTUAL TLS cannot have associated tlsCertificates'],
    ['GW16 ISTIO_MUTUAL with a credentialName', oneServer(https({ mode: 'ISTIO_MUTUAL', credentialName: 'c' })),
      'GW16 spec.servers[0].tls.credentialName: ISTIO_MUTUAL TLS cannot have associated credentialName'],
    ['GW16 ISTIO_MUTUAL with credentialNames', oneServer(https({ mode: 'ISTIO_MUTUAL', credentialNames: ['c'] })),
      'GW16 spec.servers[0].tls.credentialNames: ISTIO_MUTUAL TLS cannot have associated credentialNames'],
    ['GW19 SIMPLE with a key but no certificate', oneServer(https({ mode: 'SIMPLE', privateKey: '/k.pem' })),
      'GW19 spec.servers[0].tls.serverCertificate: SIMPLE TLS requires a server certificate'],
    ['GW19 SIMPLE with an empty key', oneServer(https({ mode: 'SIMPLE', serverCertificate: '/c.pem', privateKey: '' })),
      'GW19 spec.servers[0].tls.privateKey: SIMPLE TLS requires a private key'],
    ['GW19 a tlsCertificates entry without key', oneServer(https({ mode: 'SIMPLE', tlsCertificates: [{ serverCertificate: '/rsa.crt' }, { serverCertificate: '/ec.crt', privateKey: '/ec.key' }] })),
      'GW19 spec.servers[0].tls.tlsCertificates[0].privateKey: SIMPLE TLS requires a private key'],
    ['GW20 MUTUAL without a CA bundle', oneServer(https({ mode: 'MUTUAL', serverCertificate: '/c.pem', privateKey: '/k.pem' })),
      'GW20 spec.servers[0].tls.caCertificates: MUTUAL TLS requires a client CA bundle'],
    ['GW20 OPTIONAL_MUTUAL with tlsCertificates but no CA bundle', oneServer(https({ mode: 'OPTIONAL_MUTUAL', tlsCertificates: [{ serverCertificate: '/c', privateKey: '/k' }] })),
      'GW20 spec.servers[0].tls.caCertificates: MUTUAL TLS requires a client CA bundle'],
    ['GW22 a CRL with SIMPLE TLS', oneServer(https({ mode: 'SIMPLE', serverCertificate: '/c.pem', privateKey: '/k.pem', caCrl: '/crl.pem' })),
      'GW22 spec.servers[0].tls.caCrl: CRL is not supported with SIMPLE TLS'],
    ['GW24 a null server', gateway([http(), null]), 'GW24 spec.servers[1]: cannot have nil server'],
    ['GW25 an unknown TLS mode', oneServer(https({ mode: 'STRICT' })), 'GW25 spec.servers[0].tls.mode: unsupported TLS mode STRICT'],
    ['GW25 an unknown TLS version', oneServer(https({ mode: 'SIMPLE', credentialName: 'c', minProtocolVersion: 'TLSV1_4' })),
      'GW25 spec.servers[0].tls.minProtocolVersion: unsupported TLS version TLSV1_4'],
  ])('%s', (_, object, error) => {
    expect(errorsOf(object)).toContain(error);
  });

  test('GW6: the CRD requires a port number, also on a unix domain socket', () => {
    const object = oneServer({ port: { name: 'uds', protocol: 'HTTP' }, bind: 'unix:///var/run/egress.sock', hosts: ['api.example.com'] });
    expect(errorsOf(object)).toEqual(['GW6 spec.servers[0].port.number: port number is required']);
    expect(validateIstioObject(object).join('\n')).toContain('number');
  });

  test('GW12..GW14 are only checked on a port without errors, as in Istio', () => {
    const object = oneServer({ port: { number: 443, protocol: 'HTTPS' }, hosts: ['api.example.com'] });
    expect(errorsOf(object)).toEqual(['GW8 spec.servers[0].port.name: port name must be set: number:443 protocol:"HTTPS"']);
  });

  test('GW13 beside GW17: certificate files with PASSTHROUGH on an HTTP server', () => {
    const object = oneServer(http({ tls: { mode: 'PASSTHROUGH', privateKey: '/k.pem' } }));
    expect(errorsOf(object)).toEqual(['GW13 spec.servers[0].tls: server cannot have TLS settings for plain text HTTP ports']);
    expect(warningsOf(object)).toEqual(['GW17 spec.servers[0].tls: PASSTHROUGH mode does not use certificates, they will be ignored']);
  });

  test('GW16 lists every certificate field of an ISTIO_MUTUAL server, and nothing else', () => {
    const object = oneServer(https({ mode: 'ISTIO_MUTUAL', serverCertificate: '/c', privateKey: '/k', caCertificates: '/ca' }));
    expect(errorsOf(object)).toEqual([
      'GW16 spec.servers[0].tls.serverCertificate: ISTIO_MUTUAL TLS cannot have associated server certificate',
      'GW16 spec.servers[0].tls.privateKey: ISTIO_MUTUAL TLS cannot have associated private key',
      'GW16 spec.servers[0].tls.caCertificates: ISTIO_MUTUAL TLS cannot have associated CA bundle',
    ]);
  });

  test('GW18: one certificate source, counted as Istio counts them', () => {
    const both = 'only one of credential_name, credential_names, server_certificate/private_key, tls_certificates should be specified';
    expect(errorsOf(oneServer(https({ mode: 'SIMPLE', credentialName: 'c', serverCertificate: '/c', privateKey: '/k' }))))
      .toEqual([`GW18 spec.servers[0].tls: ${both}`]);
    expect(errorsOf(oneServer(https({ mode: 'MUTUAL', caCertificates: '/ca', credentialName: 'c', tlsCertificates: [{ serverCertificate: '/c', privateKey: '/k' }] }))))
      .toEqual([`GW18 spec.servers[0].tls: ${both}`]);
    expect(errorsOf(oneServer(https({ mode: 'MUTUAL', credentialNames: ['c'], tlsCertificates: [{ serverCertificate: '/c', privateKey: '/k' }] }))))
      .toEqual([`GW18 spec.servers[0].tls: ${both}`]);
    // A certificate without its key is no source of its own: Istio only asks for SIMPLE's key... which the credential provides.
    const certOnly = oneServer(https({ mode: 'SIMPLE', credentialName: 'c', serverCertificate: '/c' }));
    expect(errorsOf(certOnly)).toEqual([]);
  });

  test('GW18: the CRD\'s CEL rules refuse credentialName and credentialNames even when one is empty', () => {
    const object = oneServer(https({ mode: 'SIMPLE', credentialName: '', credentialNames: ['c'] }));
    expect(errorsOf(object)).toEqual(['GW18 spec.servers[0].tls: only one of credentialName or credentialNames can be set']);
    expect(validateIstioObject(object).join('\n')).toContain('only one of credentialName or credentialNames can be set');
  });

  test('GW19 and GW20 together: a MUTUAL server without anything', () => {
    expect(errorsOf(oneServer(https({ mode: 'MUTUAL' })))).toEqual([
      'GW20 spec.servers[0].tls.caCertificates: MUTUAL TLS requires a client CA bundle',
      'GW19 spec.servers[0].tls.serverCertificate: MUTUAL TLS requires a server certificate',
      'GW19 spec.servers[0].tls.privateKey: MUTUAL TLS requires a private key',
    ]);
  });

  test('GW21 and GW25: three tlsCertificates are a webhook warning and a schema error', () => {
    const cert = { serverCertificate: '/c', privateKey: '/k' };
    const object = oneServer(https({ mode: 'SIMPLE', tlsCertificates: [cert, cert, cert] }));
    expect(warningsOf(object)).toEqual(['GW21 spec.servers[0].tls.tlsCertificates: SIMPLE TLS can support up to 2 server certificates']);
    expect(errorsOf(object)).toEqual(['GW25 spec.servers[0].tls.tlsCertificates: tlsCertificates must have 1 or 2 items, not 3']);
    expect(validateIstioObject(object).join('\n')).toContain('tlsCertificates');
  });

  test('GW22: a CRL with a credentialName on a passthrough server', () => {
    const object = oneServer(https({ mode: 'PASSTHROUGH', credentialName: 'c', caCrl: '/crl.pem' }));
    expect(errorsOf(object)).toEqual(['GW22 spec.servers[0].tls.caCrl: CRL is not supported with credentialName. CRL has to be specified in the credential']);
    expect(warningsOf(object)).toEqual(['GW17 spec.servers[0].tls: PASSTHROUGH mode does not use certificates, they will be ignored']);
  });

  test('GW9 counts unnamed ports too, as Istio does', () => {
    const object = gateway([{ port: { number: 80, protocol: 'HTTP' }, hosts: ['a.example.com'] }, { port: { number: 81, protocol: 'HTTP' }, hosts: ['b.example.com'] }]);
    expect(errorsOf(object)).toContain('GW9 spec.servers[1].port.name: port names in servers must be unique: duplicate name ');
  });

  test('GW27 (EGR113, not a webhook error: Istio accepts it): a selector label no pod can carry selects no gateway proxy', () => {
    const findings = checkObject(gateway([http()], { selector: { istio: '*' } }));
    expect(findings).toEqual([expect.objectContaining({
      rule: 'GW27',
      severity: 'error',
      code: 'EGR113',
      field: 'spec.selector.istio',
      message: 'the selector "istio=*" matches no pod: a wildcard is not supported in selector, no pod can carry this label, so the Gateway configures no proxy',
    })]);
    expect(checkGateway(gateway([http()], { selector: { 'istio': 'egressgateway', 'app.kubernetes.io/name': 'egress' } }))).toEqual([]);
  });

  test('objects of any shape are read without throwing', () => {
    const odd = [
      { ...gateway('servers'), spec: 'spec' },
      gateway([{ port: [], hosts: 'api.example.com', tls: 5, bind: 7 }]),
      gateway([https({ mode: 'SIMPLE', cipherSuites: 'AES128-SHA', tlsCertificates: [null, 3], credentialNames: 'c' })]),
      gateway([{ port: { number: '80', name: 5, protocol: null, targetPort: '1' }, hosts: [null, 5] }]),
    ];
    for (const object of odd) {
      expect(() => checkGateway(object as any)).not.toThrow();
    }
    expect(lines(checkGateway(odd[2] as any), 'error')).toContain('GW19 spec.servers[0].tls.tlsCertificates[0].serverCertificate: SIMPLE TLS requires a server certificate');
  });
});
