import { goQuote } from '../../src/rules/finding';
import {
  checkFqdn, checkIpOrCidr, checkPartialWildcard, checkPortNumber, checkWildcardDomain, hostSubsetOf, hostsMatch, isCidr,
  isDns1123Label, isIpAddress, isKubernetesLabelName, isKubernetesSubdomainName, prefixProblem,
} from '../../src/rules/names';
import { isHttpProtocol, isTlsProtocol, istioPortProtocol, knownProtocols, parseProtocol, sidecarRouteBlocks } from '../../src/rules/protocol';

describe('domain names as Istio checks them', () => {
  test.each([
    'www.wikipedia.org', '*.wikipedia.org', '*', 'foo', 'istio.io.', '*foo.example.com', '*-foo.example.com', 'Upper.Example.COM', `${'a'.repeat(63)}.com`,
  ])('accepts %s as a wildcard domain', host => {
    expect(checkWildcardDomain(host)).toBeUndefined();
  });

  test.each([
    ['', 'empty domain name not allowed'],
    [`${'a.'.repeat(128)}com`, 'too long (max 255)'],
    ['192.168.0.1', 'top level domain "1" cannot be all-numeric'],
    ['foo.*.com', 'label "*" invalid'],
    ['under_score.com', 'label "under_score" invalid'],
    ['-dash.com', 'label "-dash" invalid'],
    ['a..b', 'label "" invalid'],
    [`${'a'.repeat(64)}.com`, 'invalid'],
    ['foo*.com', 'label "foo*" invalid'],
  ])('refuses %j', (host, message) => {
    expect(checkWildcardDomain(host)).toContain(message);
  });

  test('past the first label, the message names the rest of the domain, as ValidateWildcardDomain passes only that on', () => {
    expect(checkWildcardDomain('api.bad_label.example.com')).toBe('domain name "bad_label.example.com" invalid (label "bad_label" invalid)');
    expect(checkWildcardDomain('192.0.2.1')).toBe('domain name "0.2.1" invalid (top level domain "1" cannot be all-numeric)');
    expect(checkWildcardDomain('bad_label.example.com')).toBe('domain name "bad_label.example.com" invalid (label "bad_label" invalid)');
    // ValidateFQDN checks the whole name.
    expect(checkFqdn('api.bad_label.com')).toBe('domain name "api.bad_label.com" invalid (label "bad_label" invalid)');
  });

  test('an all-numeric top-level label is what strconv.Atoi reads: a 64-bit int, with an optional sign', () => {
    const numeric = (tld: string) => `domain name "${tld}" invalid (top level domain "${tld}" cannot be all-numeric)`;
    expect(checkFqdn('9223372036854775807')).toBe(numeric('9223372036854775807'));
    expect(checkFqdn('000000000000009223372036854775807')).toBe(numeric('000000000000009223372036854775807'));
    expect(checkFqdn('+1')).toBe(numeric('+1'));
    expect(checkFqdn('-9223372036854775808')).toBe(numeric('-9223372036854775808'));
    // Atoi fails beyond int64, and the label is then an ordinary DNS label: Istio accepts it.
    expect(checkWildcardDomain('api.example.9223372036854775808')).toBeUndefined();
    expect(checkWildcardDomain('api.example.99999999999999999999')).toBeUndefined();
    expect(checkFqdn('-9223372036854775809')).toBe('domain name "-9223372036854775809" invalid (label "-9223372036854775809" invalid)');
  });

  test('an FQDN has no wildcard', () => {
    expect(checkFqdn('api.example.com')).toBeUndefined();
    expect(checkFqdn('*.example.com')).toContain('label "*" invalid');
  });

  test('partial wildcards', () => {
    expect(checkPartialWildcard('*.example.com')).toBeUndefined();
    expect(checkPartialWildcard('*')).toBeUndefined();
    expect(checkPartialWildcard('api.example.com')).toBeUndefined();
    expect(checkPartialWildcard('*foo.example.com')).toBe('partial wildcard "*foo.example.com" not allowed');
  });

  test('host matching follows Istio: *.foo.com covers a.foo.com but not foo.com', () => {
    expect(hostSubsetOf('a.foo.com', '*.foo.com')).toBe(true);
    expect(hostSubsetOf('foo.com', '*.foo.com')).toBe(false);
    expect(hostSubsetOf('*.a.foo.com', '*.foo.com')).toBe(true);
    expect(hostSubsetOf('*.foo.com', 'a.foo.com')).toBe(false);
    expect(hostSubsetOf('anything', '*')).toBe(true);
    expect(hostsMatch('*.foo.com', 'a.foo.com')).toBe(true);
    expect(hostsMatch('a.com', 'b.com')).toBe(false);
  });
});

describe('labels, addresses, ports and protocols', () => {
  test('DNS-1123 labels: Istio accepts upper case, Kubernetes names do not', () => {
    expect(isDns1123Label('Istio-System')).toBe(true);
    expect(isKubernetesLabelName('Istio-System')).toBe(false);
    expect(isKubernetesLabelName('istio-system')).toBe(true);
    expect(isDns1123Label('a'.repeat(64))).toBe(false);
    expect(isKubernetesSubdomainName('www.wikipedia.org')).toBe(true);
    expect(isKubernetesSubdomainName('www..org')).toBe(false);
    expect(isKubernetesSubdomainName('')).toBe(false);
  });

  test('IPs and CIDR blocks', () => {
    expect(checkIpOrCidr('10.0.0.1')).toBeUndefined();
    expect(checkIpOrCidr('2001:db8::1')).toBeUndefined();
    expect(checkIpOrCidr('10.0.0.0/8')).toBeUndefined();
    expect(checkIpOrCidr('2001:db8::/32')).toBeUndefined();
    expect(checkIpOrCidr('10.0.0.0/33')).toBe('10.0.0.0/33 is not a valid CIDR block');
    expect(checkIpOrCidr('example.com/8')).toBe('example.com/8 is not a valid CIDR block');
    expect(checkIpOrCidr('10.0.0')).toBe('10.0.0 is not a valid IP');
    expect(isCidr('10.0.0.1')).toBe(false);
    expect(isCidr('10.0.0.0/x')).toBe(false);
  });

  // Istio reads every address with Go's net/netip (ValidateIPAddress, ValidateIPSubnet); these outputs are Go's own.
  test('addresses as netip.ParseAddr reads them: any non-empty IPv6 zone, dotted quads without leading zeros', () => {
    expect(isIpAddress('fe80::1%eth 0')).toBe(true);
    expect(isIpAddress('::ffff:1.2.3.4')).toBe(true);
    expect(isIpAddress('fe80::1%')).toBe(false);
    expect(isIpAddress('1.2.3.4%x')).toBe(false);
    expect(isIpAddress('010.0.0.1')).toBe(false);
  });

  test('prefixes as netip.ParsePrefix reads them: no zone, no leading zero in the length, one slash', () => {
    expect(prefixProblem('10.0.0.0/8')).toBeUndefined();
    expect(prefixProblem('::/0')).toBeUndefined();
    expect(prefixProblem('fe80::1%eth0/64')).toBe('netip.ParsePrefix("fe80::1%eth0/64"): IPv6 zones cannot be present in a prefix');
    expect(prefixProblem('10.0.0.0/08')).toBe('netip.ParsePrefix("10.0.0.0/08"): bad bits after slash: "08"');
    expect(prefixProblem('1.2.3.4/8/9')).toBe('netip.ParsePrefix("1.2.3.4/8/9"): ParseAddr("1.2.3.4/8"): unexpected character (at "/8")');
    expect(prefixProblem('10.0.0.1')).toBe('netip.ParsePrefix("10.0.0.1"): no \'/\'');
    expect(checkIpOrCidr('10.0.0.0/08')).toBe('10.0.0.0/08 is not a valid CIDR block');
    expect(checkIpOrCidr('fe80::1%eth0/64')).toBe('fe80::1%eth0/64 is not a valid CIDR block');
    // ValidateIPSubnet reads a value with two slashes as an address.
    expect(checkIpOrCidr('1.2.3.4/8/9')).toBe('1.2.3.4/8/9 is not a valid IP');
    expect(checkIpOrCidr('fe80::1%eth 0')).toBeUndefined();
  });

  test("values in messages are quoted as Go's strconv.Quote quotes them", () => {
    expect(goQuote('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(goQuote('\x07\x0b\x00\x1f\x7f')).toBe('"\\a\\v\\x00\\x1f\\x7f"');
    expect(goQuote('\n\t')).toBe('"\\n\\t"');
    // Printable non-ASCII stays as it is; format and separator characters are escaped.
    expect(goQuote('é 😀')).toBe('"é 😀"');
    expect(goQuote('\u0085\u00ad\u2028\u200b')).toBe('"\\u0085\\u00ad\\u2028\\u200b"');
    expect(goQuote('\u{E0001}')).toBe('"\\U000e0001"');
    expect(goQuote('x\ud800y')).toBe('"x\ufffdy"');
  });

  test('port numbers', () => {
    expect(checkPortNumber(1)).toBeUndefined();
    expect(checkPortNumber(65535)).toBeUndefined();
    expect(checkPortNumber(0)).toBe('port number 0 must be in the range 1..65535');
    expect(checkPortNumber(65536)).toContain('must be in the range');
    expect(checkPortNumber(80.5)).toContain('must be in the range');
    expect(checkPortNumber('80')).toContain('must be in the range');
  });

  test('protocols are case-insensitive and grouped as Istio groups them', () => {
    expect(parseProtocol('https')).toBe('HTTPS');
    expect(parseProtocol('grpc-web')).toBe('GRPC-Web');
    expect(parseProtocol('FTP')).toBeUndefined();
    expect(parseProtocol(42)).toBeUndefined();
    expect(isHttpProtocol('http2')).toBe(true);
    expect(isHttpProtocol('HTTP_PROXY')).toBe(true);
    expect(isHttpProtocol('HTTPS')).toBe(false);
    expect(isTlsProtocol('tls')).toBe(true);
    expect(isTlsProtocol('TCP')).toBe(false);
  });

  test('every protocol Istio knows, in its canonical spelling', () => {
    expect(knownProtocols()).toEqual(['TCP', 'UDP', 'GRPC', 'GRPC-Web', 'HTTP', 'HTTP_PROXY', 'HTTP2', 'HTTPS', 'TLS', 'Mongo', 'Redis', 'MySQL']);
    for (const name of knownProtocols()) {
      expect(parseProtocol(name.toLowerCase())).toBe(name);
      expect(parseProtocol(name.toUpperCase())).toBe(name);
    }
    expect(parseProtocol('constructor')).toBeUndefined();
    expect(['GRPC', 'GRPC-Web', 'HTTP'].map(isHttpProtocol)).toEqual([true, true, true]);
    expect(['TCP', 'Mongo', 'TLS', undefined].map(isHttpProtocol)).toEqual([false, false, false, false]);
    expect(isTlsProtocol('HTTPS')).toBe(true);
    expect(isTlsProtocol(undefined)).toBe(false);
  });

  // pilot's outbound listeners: HTTP ports take http routes, TLS ports tls then tcp routes, the rest tcp; no protocol is sniffed.
  test('the VirtualService route blocks that take a port\'s traffic at a sidecar', () => {
    expect(['HTTP', 'http2', 'GRPC', 'GRPC-Web', 'HTTP_PROXY'].map(sidecarRouteBlocks)).toEqual(Array(5).fill(['http']));
    expect(['HTTPS', 'tls'].map(sidecarRouteBlocks)).toEqual([['tls', 'tcp'], ['tls', 'tcp']]);
    expect(['TCP', 'Mongo', 'Redis', 'MySQL', 'UDP'].map(sidecarRouteBlocks)).toEqual(Array(5).fill(['tcp']));
    expect([undefined, null, ''].map(sidecarRouteBlocks)).toEqual(Array(3).fill(['http', 'tcp']));
    expect(['SCTP', 42].map(sidecarRouteBlocks)).toEqual([['http', 'tls', 'tcp'], ['http', 'tls', 'tcp']]);
  });

  // pkg/config/kube ConvertProtocol, for the ports of Kubernetes Services.
  test.each([
    ['UDP wins over any name', 53, 'http', 'UDP', undefined, 'UDP'],
    ['the name up to its first dash', 8080, 'http-web', 'TCP', undefined, 'HTTP'],
    ['the name alone', 443, 'HTTPS', undefined, undefined, 'HTTPS'],
    ['grpc-web before the dash rule, any case', 8080, 'GRPC-Web-api', undefined, undefined, 'GRPC-Web'],
    ['grpc-web as the whole name', 8080, 'grpc-web', undefined, undefined, 'GRPC-Web'],
    ['grpc alone', 8080, 'grpc-api', undefined, undefined, 'GRPC'],
    ['the appProtocol over the name', 8080, 'http', undefined, 'tls', 'TLS'],
    ['an appProtocol with a dash', 8080, 'tcp', undefined, 'http2-extra', 'HTTP2'],
    ['kubernetes.io/h2c', 8080, 'tcp', undefined, 'kubernetes.io/h2c', 'HTTP2'],
    ['kubernetes.io/ws', 8080, 'tcp', undefined, 'kubernetes.io/ws', 'HTTP'],
    ['kubernetes.io/wss', 8080, 'tcp', undefined, 'kubernetes.io/wss', 'HTTPS'],
    ['an unknown appProtocol: no protocol, the name is not read', 8080, 'http', undefined, 'kubernetes.io/other', undefined],
    ['an unknown name: no protocol (sniffed)', 8080, 'web', undefined, undefined, undefined],
    ['no name', 8080, undefined, undefined, undefined, undefined],
    ['no name on a well-known port: TCP (SMTP)', 25, undefined, undefined, undefined, 'TCP'],
    ['an unknown name on a well-known port: TCP (DNS)', 53, 'dns', 'TCP', undefined, 'TCP'],
    ['MySQL port', 3306, '', undefined, undefined, 'TCP'],
    ['MongoDB port', 27017, 'db', undefined, undefined, 'TCP'],
    ['a known name on a well-known port keeps it', 3306, 'mysql', undefined, undefined, 'MySQL'],
    ['a well-known port given as a string is no port', '25', undefined, undefined, undefined, undefined],
  ])('%s', (_, port, name, protocol, appProtocol, expected) => {
    expect(istioPortProtocol(port, name, protocol, appProtocol)).toBe(expected);
  });
});

describe('host names checked in one test or label by label give the same answer', () => {
  const label63 = 'a'.repeat(63);
  test.each([
    ['api.example.com', undefined],
    ['API.Example.COM', undefined],
    ['example.com.', undefined],
    [`${label63}.com`, undefined],
    ['a.123.', undefined],
    // Beyond int64, strconv.Atoi fails: not an all-numeric top-level domain to Istio.
    ['a.99999999999999999999', undefined],
    ['x1.y2', undefined],
    [`${label63}a.com`, `domain name "${label63}a.com" invalid (label "${label63}a" invalid)`],
    ['a.123', 'domain name "a.123" invalid (top level domain "123" cannot be all-numeric)'],
    ['1.2.3.4', 'domain name "1.2.3.4" invalid (top level domain "4" cannot be all-numeric)'],
    ['a..b', 'domain name "a..b" invalid (label "" invalid)'],
    ['.a.b', 'domain name ".a.b" invalid (label "" invalid)'],
    ['a-.b', 'domain name "a-.b" invalid (label "a-" invalid)'],
    ['a.-b', 'domain name "a.-b" invalid (label "-b" invalid)'],
    ['a_b.c', 'domain name "a_b.c" invalid (label "a_b" invalid)'],
    ['a.b..', 'domain name "a.b.." invalid (label "" invalid)'],
  ])('checkFqdn(%j)', (domain, expected) => {
    expect(checkFqdn(domain)).toBe(expected);
  });
});
