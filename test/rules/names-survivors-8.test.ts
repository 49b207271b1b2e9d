/**
 * Name and address syntax the other names tests left unpinned, at the boundaries Istio 1.30.3 and Go draw:
 * IsDNS1123Label / IsWildcardDNS1123Label (pkg/config/labels/instance.go: at most 63 characters,
 * `\*|(\*|\*-)?` before a DNS-1123 label), CheckDNS1123Preconditions (max 255), ValidateWildcardDomain
 * (strings.SplitN on the first dot) and ValidateDNS1123Labels (strconv.Atoi on the top-level label) in
 * pkg/config/validation/agent/validation.go, Kubernetes names (lower case, labels at most 63, subdomains at
 * most 253 characters), and Go's netip.ParsePrefix (last `/`, ParseAddr's error, bits through strconv.Atoi).
 */
import {
  MESH_GATEWAY, checkFqdn, checkWildcardDomain, isDns1123Label, isKubernetesLabelName, isKubernetesSubdomainName, prefixProblem,
  serviceNamespace,
} from '../../src/rules/names';
import { resolveGatewayName } from '../../src/rules/virtual-service-parts';

const label63 = 'a'.repeat(63);
const numericTld = (domain: string, tld: string) => `domain name "${domain}" invalid (top level domain "${tld}" cannot be all-numeric)`;

describe('the reserved mesh gateway and Service hosts', () => {
  test('`mesh` is the reserved gateway name, kept as is where other names get the namespace', () => {
    expect(MESH_GATEWAY).toBe('mesh');
    expect(resolveGatewayName('mesh', 'shop')).toBe('mesh');
    expect(resolveGatewayName('edge', 'shop')).toBe('shop/edge');
  });

  test('a Service host is `<name>.<namespace>.svc`, alone or followed by a domain', () => {
    expect(serviceNamespace('reviews.shop.svc')).toBe('shop');
    expect(serviceNamespace('reviews.shop.svc.cluster.local')).toBe('shop');
    // The name is the first label: a host with one more label in front is no Service host.
    expect(serviceNamespace('v1.reviews.shop.svc')).toBeUndefined();
    expect(serviceNamespace('reviews.shop.svcs.example.com')).toBeUndefined();
  });
});

describe('label and name lengths and forms', () => {
  test('a DNS-1123 label of one character or of 63 is valid, 64 is not', () => {
    expect(isDns1123Label('a')).toBe(true);
    expect(isDns1123Label(label63)).toBe(true);
    expect(isDns1123Label(`${label63}a`)).toBe(false);
  });

  test('a Kubernetes label name ends in a letter or digit and has at most 63 characters', () => {
    expect(isKubernetesLabelName(label63)).toBe(true);
    expect(isKubernetesLabelName(`${label63}a`)).toBe(false);
    expect(isKubernetesLabelName('shop-')).toBe(false);
    expect(isKubernetesLabelName('shop_1')).toBe(false);
  });

  test('a Kubernetes subdomain name has at most 253 characters', () => {
    const name253 = `${label63}.${label63}.${label63}.${'a'.repeat(61)}`;
    expect(name253).toHaveLength(253);
    expect(isKubernetesSubdomainName(name253)).toBe(true);
    expect(isKubernetesSubdomainName(`${name253}a`)).toBe(false);
  });

  test('a wildcard first label `*-x` may have a name of any length after the dash', () => {
    expect(checkWildcardDomain('*-a.example.com')).toBeUndefined();
    expect(checkWildcardDomain('*-abcd.example.com')).toBeUndefined();
    expect(checkWildcardDomain('*-abcdefg.example.com')).toBeUndefined();
    expect(checkWildcardDomain('*-abcd-.example.com')).toBe('domain name "*-abcd-.example.com" invalid (label "*-abcd-" invalid)');
  });

  test('a leading dot leaves an empty first label, which is what ValidateWildcardDomain names', () => {
    expect(checkWildcardDomain('.example.com')).toBe('domain name ".example.com" invalid (label "" invalid)');
  });
});

describe('domain length and all-numeric top-level labels', () => {
  test('a domain of 255 characters passes the length check, 256 do not', () => {
    const domain255 = `${label63}.${label63}.${label63}.${label63}`;
    expect(domain255).toHaveLength(255);
    expect(checkFqdn(domain255)).toBeUndefined();
    expect(checkWildcardDomain(domain255)).toBeUndefined();
    expect(checkFqdn(`${domain255}a`)).toBe(`domain name "${domain255}a" too long (max 255)`);
  });

  test('a top-level label with letters around its digits is no integer for strconv.Atoi, so Istio accepts it', () => {
    expect(checkFqdn('api.example.a1')).toBeUndefined();
    expect(checkFqdn('api.example.1a')).toBeUndefined();
    expect(checkWildcardDomain('*.example.a1')).toBeUndefined();
    expect(checkFqdn('api.example.01')).toBe(numericTld('api.example.01', '01'));
  });

  test('a 20-digit top-level label is beyond int64 even when it sorts before the int64 limit as text', () => {
    expect(checkWildcardDomain('api.example.10000000000000000000')).toBeUndefined();
    expect(checkFqdn('10000000000000000000')).toBeUndefined();
    expect(checkFqdn('api.example.1000000000000000000')).toBe(numericTld('api.example.1000000000000000000', '1000000000000000000'));
  });
});

describe('netip.ParsePrefix', () => {
  test('a prefix that starts with its only slash has an empty address, not a missing slash', () => {
    expect(prefixProblem('/24')).toBe('netip.ParsePrefix("/24"): ParseAddr(""): unable to parse IP');
    expect(prefixProblem('10.0.0.0')).toBe('netip.ParsePrefix("10.0.0.0"): no \'/\'');
  });

  test('prefix lengths within int64 are out of range, longer ones are bad bits', () => {
    expect(prefixProblem('10.0.0.0/24')).toBeUndefined();
    expect(prefixProblem('2001:db8::/128')).toBeUndefined();
    expect(prefixProblem('10.0.0.0/95')).toBe('netip.ParsePrefix("10.0.0.0/95"): prefix length out of range');
    expect(prefixProblem('10.0.0.0/1000000000000000000')).toBe('netip.ParsePrefix("10.0.0.0/1000000000000000000"): prefix length out of range');
    expect(prefixProblem('10.0.0.0/9223372036854775807')).toBe('netip.ParsePrefix("10.0.0.0/9223372036854775807"): prefix length out of range');
    expect(prefixProblem('10.0.0.0/9223372036854775808')).toBe('netip.ParsePrefix("10.0.0.0/9223372036854775808"): bad bits after slash: "9223372036854775808"');
    expect(prefixProblem('10.0.0.0/10000000000000000000')).toBe('netip.ParsePrefix("10.0.0.0/10000000000000000000"): bad bits after slash: "10000000000000000000"');
  });
});
