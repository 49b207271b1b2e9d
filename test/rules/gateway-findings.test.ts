/**
 * Each Gateway finding in full: rule, severity, field, value, Istio's message and our fix. The webhook
 * tests (gateway-webhook.test.ts) check which inputs Istio refuses; these check what the user reads,
 * including the fix, which no other test asserts. Messages are Istio 1.30.3's (validateServer,
 * validateServerPort, validateServerBind, validateTLSOptions in pkg/config/validation/validation.go).
 */
import { checkGateway } from '../../src/rules/gateway';

function gateway(servers: unknown, metadata: Record<string, unknown> = { name: 'egress', namespace: 'edge' }, selector: unknown = { istio: 'egressgateway' }) {
  return { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata, spec: { selector, servers } };
}
const http = (extra: Record<string, unknown> = {}) => ({ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['api.example.com'], ...extra });
const https = (tls?: unknown, extra: Record<string, unknown> = {}) =>
  ({ port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['api.example.com'], ...(tls === undefined ? {} : { tls }), ...extra });
const server = (port: unknown, extra: Record<string, unknown> = {}) => ({ port, hosts: ['a.example.com'], ...extra });

/** [rule, severity, field, value, message, fix] */
type Row = [string, string, string, unknown, string, string];
const findings = (object: unknown): Row[] =>
  checkGateway(object as any).map(f => [f.rule, f.severity, f.field, f.value, f.message, f.fix]);

const HOST_NAMESPACE_FIX = 'use `[namespace/]host.example.com`, where namespace is `*`, `.` or a namespace name';
const HOST_FIX = 'use a dotted host name such as api.example.com, `*.example.com`, `*` or an IPv4 address';
const NUMBER_FIX = 'use a port number from 1 to 65535';
const CREDENTIAL_FIX = 'set credentialName to a TLS Secret in the gateway\'s namespace';
const ONE_SOURCE_FIX = 'keep one of credentialName, credentialNames, serverCertificate with privateKey, or tlsCertificates';
const TLS_VERSIONS_FIX = 'use one of TLS_AUTO, TLSV1_0, TLSV1_1, TLSV1_2, TLSV1_3';
const S0 = 'spec.servers[0]';

describe('the Gateway and its servers', () => {
  test.each<[string, unknown, Row[]]>([
    ['GW1: a name with a dot', gateway([http()], { name: 'egress.gw', namespace: 'edge' }),
      [['GW1', 'error', 'metadata.name', 'egress.gw', 'invalid gateway name: "egress.gw"', 'a Gateway name is a DNS-1123 label: letters, digits and dashes, no dots']]],
    ['GW2: no server', gateway([]),
      [['GW2', 'error', 'spec.servers', [], 'gateway must have at least one server', 'add a server with a port and hosts']]],
    ['GW24: a null server (validateServer and ValidateGateway each say so)', gateway([null]), [
      ['GW24', 'error', S0, null, 'cannot have nil server', 'remove the empty server'],
      ['GW24', 'error', S0, null, 'server may not be nil', 'remove the empty server'],
    ]],
    ['GW9: two servers with one port name', gateway([http(), http({ port: { number: 81, name: 'http', protocol: 'HTTP' } })]),
      [['GW9', 'error', 'spec.servers[1].port.name', 'http', 'port names in servers must be unique: duplicate name http', 'give each server port its own name']]],
    ['GW15: httpsRedirect on an HTTPS server', gateway([https({ mode: 'SIMPLE', credentialName: 'c', httpsRedirect: true })]),
      [['GW15', 'warning', `${S0}.tls.httpsRedirect`, true, 'tls.httpsRedirect should only be used with http servers',
        'remove httpsRedirect here; put it on the plain HTTP server of the same hosts']]],
    ['GW27: an empty selector key', gateway([http()], undefined, { '': 'x' }),
      [['GW27', 'error', 'spec.selector', 'x', 'the selector "=x" matches no pod: an empty key is not supported in selector, no pod can carry this label, so the Gateway '
        + 'configures no proxy', 'select the gateway pods by their exact labels, e.g. istio: egressgateway']]],
    ['GW27: a wildcard in a selector value', gateway([http()], undefined, { app: 'egress-*' }),
      [['GW27', 'error', 'spec.selector.app', 'egress-*', 'the selector "app=egress-*" matches no pod: a wildcard is not supported in selector, no pod can carry this '
        + 'label, so the Gateway configures no proxy', 'select the gateway pods by their exact labels, e.g. istio: egressgateway']]],
  ])('%s', (_, object, expected) => {
    expect(findings(object)).toEqual(expected);
  });

  test('GW1 does not apply to a Gateway that Istio made from a Gateway API Gateway (its names may have dots)', () => {
    expect(findings(gateway([http()], { name: 'egress.gw', namespace: 'edge', annotations: { 'internal.istio.io/gateway-semantics': 'gateway' } }))).toEqual([]);
  });

  test('a Gateway without metadata is read without throwing', () => {
    expect(findings({ spec: { servers: [http()] } })).toEqual([]);
  });
});

describe('server hosts', () => {
  test.each<[string, unknown, Row[]]>([
    ['GW3: no host', gateway([http({ hosts: [] })]),
      [['GW3', 'error', `${S0}.hosts`, [], 'server config must contain at least one host', 'list the hosts this server accepts']]],
    ['GW4: an empty namespace, and one that is no DNS label', gateway([http({ hosts: ['/api.example.com', 'Bad_NS/api.example.com'] })]), [
      ['GW4', 'error', `${S0}.hosts[0]`, '/api.example.com', 'config namespace and dnsName in host entry cannot be empty', HOST_NAMESPACE_FIX],
      ['GW4', 'error', `${S0}.hosts[0]`, '/api.example.com', 'invalid namespace value "" in gateway', HOST_NAMESPACE_FIX],
      ['GW4', 'error', `${S0}.hosts[1]`, 'Bad_NS/api.example.com', 'invalid namespace value "Bad_NS" in gateway', HOST_NAMESPACE_FIX],
    ]],
    ['GW5: a short name, and a host that is no string', gateway([http({ hosts: ['api', 5] })]), [
      ['GW5', 'error', `${S0}.hosts[0]`, 'api', 'short names (non FQDN) are not allowed', HOST_FIX],
      ['GW5', 'error', `${S0}.hosts[1]`, 5, 'host must be a string', HOST_FIX],
    ]],
  ])('%s', (_, object, expected) => {
    expect(findings(object)).toEqual(expected);
  });

  test('GW4 and GW5: a namespace with nothing after the slash', () => {
    expect(findings(gateway([http({ hosts: ['edge/'] })]))).toEqual([
      ['GW4', 'error', `${S0}.hosts[0]`, 'edge/', 'config namespace and dnsName in host entry cannot be empty', HOST_NAMESPACE_FIX],
      ['GW5', 'error', `${S0}.hosts[0]`, 'edge/', 'short names (non FQDN) are not allowed', HOST_FIX],
      ['GW5', 'error', `${S0}.hosts[0]`, 'edge/', 'empty domain name not allowed', HOST_FIX],
    ]);
  });

  test('the namespace `~` only on a Gateway that Istio made from a Gateway API Gateway', () => {
    const semantics = { name: 'egress', namespace: 'edge', annotations: { 'internal.istio.io/gateway-semantics': 'gateway' } };
    expect(findings(gateway([http({ hosts: ['~/api.example.com'] })], semantics))).toEqual([]);
    expect(findings(gateway([http({ hosts: ['~/api.example.com'] })]))).toEqual([
      ['GW4', 'error', `${S0}.hosts[0]`, '~/api.example.com', 'invalid namespace value "~" in gateway', HOST_NAMESPACE_FIX],
    ]);
  });

  test('a namespace name before a host name or an IP address is accepted', () => {
    expect(findings(gateway([http({ hosts: ['edge/192.0.2.1', 'edge/api.example.com'] })]))).toEqual([]);
  });
});

describe('server ports and binds', () => {
  test.each<[string, unknown, Row[]]>([
    ['GW6: no port', gateway([{ hosts: ['a.example.com'] }]),
      [['GW6', 'error', `${S0}.port`, undefined, 'port is required', 'give the server a port with number, name and protocol']]],
    ['GW6: no port number', gateway([server({ name: 'http', protocol: 'HTTP' })]),
      [['GW6', 'error', `${S0}.port.number`, undefined, 'port number is required', NUMBER_FIX]]],
    ['GW6: no port number on a unix domain socket bind', gateway([server({ name: 'http', protocol: 'HTTP' }, { bind: 'unix:///run/gw.sock' })]),
      [['GW6', 'error', `${S0}.port.number`, undefined, 'port number is required', 'write number: 0 for a unix domain socket bind']]],
    ['GW6: port 0 without a unix bind', gateway([server({ number: 0, name: 'http', protocol: 'HTTP' })]),
      [['GW6', 'error', `${S0}.port.number`, 0, 'port number 0 must be in the range 1..65535', 'use a port number from 1 to 65535 (0 only with a unix:// bind)']]],
    ['GW6: a port number above 65535', gateway([server({ number: 70000, name: 'http', protocol: 'HTTP' })]),
      [['GW6', 'error', `${S0}.port.number`, 70000, 'port number 70000 must be in the range 1..65535', NUMBER_FIX]]],
    ['GW7: a protocol that is no string', gateway([server({ number: 80, name: 'http', protocol: 5 })]),
      [['GW7', 'error', `${S0}.port.protocol`, 5, 'invalid protocol "", supported protocols are HTTP, HTTP2, GRPC, GRPC-WEB, MONGO, REDIS, MYSQL, TCP',
        'use one of HTTP, HTTPS, HTTP2, GRPC, TLS, TCP, Mongo, Redis, MySQL']]],
    ['GW8: no port name (Go prints the port without its zero fields)', gateway([server({ number: 80, protocol: 'HTTP', targetPort: 0 })]),
      [['GW8', 'error', `${S0}.port.name`, undefined, 'port name must be set: number:80 protocol:"HTTP"', 'name the port, e.g. http-80']]],
    ['GW8 and GW10: no port name, and a target port (Go prints the proto\'s field name, target_port)', gateway([server({ number: 80, protocol: 'HTTP', targetPort: 8080 })]), [
      ['GW10', 'error', `${S0}.port.targetPort`, 8080, 'targetPort has no impact on Gateways', 'remove targetPort'],
      ['GW8', 'error', `${S0}.port.name`, undefined, 'port name must be set: number:80 protocol:"HTTP" target_port:8080', 'name the port, e.g. http-80'],
    ]],
    ['GW6 and GW11: a port number out of range on a unix bind', gateway([server({ number: 70000, name: 'uds', protocol: 'HTTP' }, { bind: 'unix:///run/gw.sock' })]), [
      ['GW6', 'error', `${S0}.port.number`, 70000, 'port number 70000 must be in the range 1..65535', NUMBER_FIX],
      ['GW11', 'error', `${S0}.port.number`, 70000, 'port number must be 0 for unix domain socket: number:70000 protocol:"HTTP" name:"uds"',
        'set port.number to 0 for a unix domain socket bind'],
    ]],
    ['GW8: an empty port name', gateway([server({ number: 80, protocol: 'HTTP', name: '' })]),
      [['GW8', 'error', `${S0}.port.name`, '', 'port name must be set: number:80 protocol:"HTTP"', 'name the port, e.g. http-80']]],
    ['GW10: a target port', gateway([server({ number: 80, protocol: 'HTTP', name: 'http', targetPort: 8080 })]),
      [['GW10', 'error', `${S0}.port.targetPort`, 8080, 'targetPort has no impact on Gateways', 'remove targetPort']]],
    ['GW11: a relative unix path, on a port other than 0', gateway([server({ number: 8080, protocol: 'HTTP', name: 'http' }, { bind: 'unix://relative' })]), [
      ['GW11', 'error', `${S0}.bind`, 'unix://relative', 'relative is not an absolute path to a file', 'use unix:///absolute/path or unix://@abstract-name'],
      ['GW11', 'error', `${S0}.port.number`, 8080, 'port number must be 0 for unix domain socket: number:8080 protocol:"HTTP" name:"http"',
        'set port.number to 0 for a unix domain socket bind'],
    ]],
    ['GW11: a bind to a host name', gateway([server({ number: 8080, protocol: 'HTTP', name: 'http' }, { bind: 'localhost' })]),
      [['GW11', 'error', `${S0}.bind`, 'localhost', 'localhost is not a valid IP', 'bind to an IP address such as 0.0.0.0, or to unix:///path']]],
  ])('%s', (_, object, expected) => {
    expect(findings(object)).toEqual(expected);
  });

  test('a target port of 0 is no target port', () => {
    expect(findings(gateway([server({ number: 80, protocol: 'HTTP', name: 'http', targetPort: 0 })]))).toEqual([]);
  });
});

describe('the protocol and the tls block', () => {
  test.each<[string, unknown, Row[]]>([
    ['GW12: HTTPS without tls', gateway([https()]),
      [['GW12', 'error', `${S0}.tls`, undefined, 'server must have TLS settings for HTTPS/TLS protocols', 'add tls with mode SIMPLE and a credentialName, PASSTHROUGH, or ISTIO_MUTUAL']]],
    ['GW13: terminating TLS on a plain HTTP server', gateway([http({ tls: { mode: 'SIMPLE', credentialName: 'c' } })]),
      [['GW13', 'error', `${S0}.tls`, { mode: 'SIMPLE', credentialName: 'c' }, 'server cannot have TLS settings for plain text HTTP ports',
        'remove tls (httpsRedirect alone is fine), or use protocol HTTPS']]],
    ['GW14: tls on a TCP server', gateway([server({ number: 5432, name: 'tcp', protocol: 'TCP' }, { tls: { mode: 'PASSTHROUGH' } })]),
      [['GW14', 'error', `${S0}.tls`, { mode: 'PASSTHROUGH' }, 'server cannot have TLS settings for non HTTPS/TLS ports', 'remove tls, or use protocol TLS or HTTPS']]],
  ])('%s', (_, object, expected) => {
    expect(findings(object)).toEqual(expected);
  });
});

describe('TLS options', () => {
  test.each<[string, unknown, Row[]]>([
    ['GW25: an unknown mode', gateway([https({ mode: 'STRICT' })]),
      [['GW25', 'error', `${S0}.tls.mode`, 'STRICT', 'unsupported TLS mode STRICT', 'use one of PASSTHROUGH, SIMPLE, MUTUAL, AUTO_PASSTHROUGH, ISTIO_MUTUAL, OPTIONAL_MUTUAL']]],
    ['GW25: unknown protocol versions', gateway([https({ mode: 'SIMPLE', credentialName: 'c', minProtocolVersion: 'TLSV1_4', maxProtocolVersion: 'TLS1_3' })]), [
      ['GW25', 'error', `${S0}.tls.minProtocolVersion`, 'TLSV1_4', 'unsupported TLS version TLSV1_4', TLS_VERSIONS_FIX],
      ['GW25', 'error', `${S0}.tls.maxProtocolVersion`, 'TLS1_3', 'unsupported TLS version TLS1_3', TLS_VERSIONS_FIX],
    ]],
    ['GW25 and GW18: an empty tlsCertificates beside three credentialNames', gateway([https({ mode: 'SIMPLE', tlsCertificates: [], credentialNames: ['a', 'b', 'c'] })]), [
      ['GW25', 'error', `${S0}.tls.tlsCertificates`, [], 'tlsCertificates must have 1 or 2 items, not 0', 'remove the empty tlsCertificates'],
      ['GW25', 'error', `${S0}.tls.credentialNames`, ['a', 'b', 'c'], 'credentialNames must have 1 or 2 items, not 3', 'list at most 2 credentialNames: one RSA and one ECDSA certificate'],
      ['GW18', 'error', `${S0}.tls`, { mode: 'SIMPLE', tlsCertificates: [], credentialNames: ['a', 'b', 'c'] }, 'only one of credentialNames or tlsCertificates can be set', ONE_SOURCE_FIX],
    ]],
    ['GW16: ISTIO_MUTUAL with a credentialName', gateway([https({ mode: 'ISTIO_MUTUAL', credentialName: 'c' })]),
      [['GW16', 'error', `${S0}.tls.credentialName`, 'c', 'ISTIO_MUTUAL TLS cannot have associated credentialName', 'remove credentialName: ISTIO_MUTUAL uses the mesh\'s own certificates']]],
    ['GW25 and GW19: SIMPLE with an empty credentialNames is SIMPLE without a credential', gateway([https({ mode: 'SIMPLE', credentialNames: [] })]), [
      ['GW25', 'error', `${S0}.tls.credentialNames`, [], 'credentialNames must have 1 or 2 items, not 0', 'remove the empty credentialNames'],
      ['GW19', 'error', `${S0}.tls.serverCertificate`, undefined, 'SIMPLE TLS requires a server certificate', CREDENTIAL_FIX],
      ['GW19', 'error', `${S0}.tls.privateKey`, undefined, 'SIMPLE TLS requires a private key', CREDENTIAL_FIX],
    ]],
    ['GW17: PASSTHROUGH with certificate files', gateway([https({ mode: 'PASSTHROUGH', serverCertificate: '/a', privateKey: '/b' })]),
      [['GW17', 'warning', `${S0}.tls`, 'PASSTHROUGH', 'PASSTHROUGH mode does not use certificates, they will be ignored',
        'remove the certificate fields, or use mode SIMPLE to terminate TLS here']]],
    ['GW17 and GW22: PASSTHROUGH with a credentialName and a CRL', gateway([https({ mode: 'PASSTHROUGH', credentialName: 'c', caCrl: '/crl' })]), [
      ['GW17', 'warning', `${S0}.tls`, 'PASSTHROUGH', 'PASSTHROUGH mode does not use certificates, they will be ignored',
        'remove the certificate fields, or use mode SIMPLE to terminate TLS here'],
      ['GW22', 'error', `${S0}.tls.caCrl`, '/crl', 'CRL is not supported with credentialName. CRL has to be specified in the credential',
        'put the CRL in the credential\'s Secret (key ca.crl) and remove caCrl'],
    ]],
    ['GW17: PASSTHROUGH with a CRL alone', gateway([https({ mode: 'PASSTHROUGH', caCrl: '/crl' })]),
      [['GW17', 'warning', `${S0}.tls`, 'PASSTHROUGH', 'PASSTHROUGH mode does not use certificates, they will be ignored',
        'remove the certificate fields, or use mode SIMPLE to terminate TLS here']]],
    ['GW20: MUTUAL with files and no CA bundle', gateway([https({ mode: 'MUTUAL', serverCertificate: '/a', privateKey: '/b' })]),
      [['GW20', 'error', `${S0}.tls.caCertificates`, undefined, 'MUTUAL TLS requires a client CA bundle', 'set credentialName to a Secret that also holds ca.crt, or caCertificates']]],
    ['GW25 and GW21: three tlsCertificates', gateway([https({ mode: 'SIMPLE', tlsCertificates: [1, 2, 3].map(i => ({ serverCertificate: `/c${i}`, privateKey: `/k${i}` })) })]), [
      ['GW25', 'error', `${S0}.tls.tlsCertificates`, [1, 2, 3].map(i => ({ serverCertificate: `/c${i}`, privateKey: `/k${i}` })), 'tlsCertificates must have 1 or 2 items, not 3',
        'list at most 2 tlsCertificates: one RSA and one ECDSA certificate'],
      ['GW21', 'warning', `${S0}.tls.tlsCertificates`, 3, 'SIMPLE TLS can support up to 2 server certificates', 'keep at most 2 certificates: one RSA and one ECDSA'],
    ]],
    ['GW22: a CRL with SIMPLE TLS', gateway([https({ mode: 'SIMPLE', serverCertificate: '/a', privateKey: '/b', caCrl: '/crl' })]),
      [['GW22', 'error', `${S0}.tls.caCrl`, '/crl', 'CRL is not supported with SIMPLE TLS',
        'remove caCrl: SIMPLE TLS does not verify client certificates; use MUTUAL to check them against a CRL']]],
    ['GW18: a credentialName beside an empty credentialNames', gateway([https({ mode: 'SIMPLE', credentialName: 'c', credentialNames: [] })]), [
      ['GW25', 'error', `${S0}.tls.credentialNames`, [], 'credentialNames must have 1 or 2 items, not 0', 'remove the empty credentialNames'],
      ['GW18', 'error', `${S0}.tls`, { mode: 'SIMPLE', credentialName: 'c', credentialNames: [] }, 'only one of credentialName or credentialNames can be set', ONE_SOURCE_FIX],
    ]],
    ['an empty tlsCertificates beside certificate files is one source (GW25 only)', gateway([https({ mode: 'SIMPLE', serverCertificate: '/a', privateKey: '/b', tlsCertificates: [] })]),
      [['GW25', 'error', `${S0}.tls.tlsCertificates`, [], 'tlsCertificates must have 1 or 2 items, not 0', 'remove the empty tlsCertificates']]],
    ['GW23: TLS 1.0 without cipher suites', gateway([https({ mode: 'SIMPLE', credentialName: 'c', minProtocolVersion: 'TLSV1_0' })]),
      [['GW23', 'warning', `${S0}.tls.minProtocolVersion`, 'TLSV1_0', 'TLS version below TLSV1_2 require setting compatible ciphers as by default they no longer include compatible ciphers.',
        'list cipherSuites the old clients support, e.g. ECDHE-RSA-AES128-SHA, or raise minProtocolVersion to TLSV1_2']]],
    ['GW23: invalid and duplicate cipher suites, each list sorted (entries that are no strings are left to the schema)', gateway([https({
      mode: 'SIMPLE', credentialName: 'c', cipherSuites: [5, 'ZZZ', 'AAA', 'DES-CBC3-SHA', 'AES128-SHA', 'DES-CBC3-SHA', 'AES128-SHA'],
    })]), [
      ['GW23', 'warning', `${S0}.tls.cipherSuites`, ['AAA', 'ZZZ'], 'ignoring invalid cipher suites: [AAA ZZZ]', 'use OpenSSL-style names Envoy knows, e.g. ECDHE-RSA-AES128-GCM-SHA256'],
      ['GW23', 'warning', `${S0}.tls.cipherSuites`, ['AES128-SHA', 'DES-CBC3-SHA'], 'ignoring duplicate cipher suites: [AES128-SHA DES-CBC3-SHA]', 'list each cipher suite once'],
    ]],
  ])('%s', (_, object, expected) => {
    expect(findings(object)).toEqual(expected);
  });

  test('every TLS version Istio knows is accepted as minimum and as maximum', () => {
    const versions = ['TLS_AUTO', 'TLSV1_0', 'TLSV1_1', 'TLSV1_2', 'TLSV1_3'];
    const servers = versions.map((v, i) => https({ mode: 'SIMPLE', credentialName: 'c', maxProtocolVersion: v, minProtocolVersion: v, cipherSuites: ['AES128-SHA'] },
      { port: { number: 443 + i, name: `https-${i}`, protocol: 'HTTPS' } }));
    expect(findings(gateway(servers))).toEqual([]);
  });

  test('every cipher suite Envoy knows is accepted, and so are ALL, an empty entry and expressions starting with an operator', () => {
    const suites = ['ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES128-GCM-SHA256', 'ECDHE-ECDSA-AES256-GCM-SHA384', 'ECDHE-RSA-AES256-GCM-SHA384',
      'ECDHE-ECDSA-CHACHA20-POLY1305', 'ECDHE-RSA-CHACHA20-POLY1305', 'ECDHE-ECDSA-AES128-SHA', 'ECDHE-RSA-AES128-SHA', 'ECDHE-ECDSA-AES256-SHA',
      'ECDHE-RSA-AES256-SHA', 'AES128-GCM-SHA256', 'AES256-GCM-SHA384', 'AES128-SHA', 'AES256-SHA', 'DES-CBC3-SHA', 'ALL', '', '-AES128-SHA', '!aNULL'];
    expect(findings(gateway([https({ mode: 'SIMPLE', credentialName: 'c', cipherSuites: suites })]))).toEqual([]);
  });

  test('null certificate fields are unset fields', () => {
    expect(findings(gateway([https({ mode: 'SIMPLE', credentialName: 'c', tlsCertificates: null, credentialNames: null })]))).toEqual([]);
  });
});
