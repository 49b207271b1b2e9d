/**
 * names.ts behaviour the other tests left unpinned: the end of Go's IPv6 parse (net/netip parseIPv6: a `::`
 * must stand for at least one zero field) and host containment as pkg/config/host Name.SubsetOf decides it
 * (Istio 1.30.3): a wildcard `*x` covers every name ending in `x`, including `x` itself when `x` has no wildcard;
 * two names without a wildcard contain each other only when equal; an empty name is no wildcard.
 */
import { checkIpOrCidr, hostSubsetOf, hostsMatch, isIpAddress, prefixProblem } from '../../src/rules/names';

describe('IPv6 addresses whose :: stands for no zero field, as netip.ParseAddr refuses them', () => {
  test.each([
    '1:2:3:4::5:6:7:8',
    '::1:2:3:4:5:6:7:8',
    '1:2:3:4:5:6::1.2.3.4',
  ])('%s has eight fields besides the ::, so it is no address', address => {
    expect(isIpAddress(address)).toBe(false);
    expect(checkIpOrCidr(address)).toBe(`${address} is not a valid IP`);
    expect(prefixProblem(`${address}/64`))
      .toBe(`netip.ParsePrefix("${address}/64"): ParseAddr("${address}"): the :: must expand to at least one field of zeros`);
  });

  test('with one field fewer the :: stands for a zero field, and the address is fine', () => {
    expect(isIpAddress('1:2:3:4::5:6:7')).toBe(true);
    expect(isIpAddress('1:2:3:4:5::1.2.3.4')).toBe(true);
    expect(isIpAddress('1:2:3:4:5:6:7:8')).toBe(true);
    expect(checkIpOrCidr('2001:db8:1:2::/64')).toBeUndefined();
  });
});

describe('host containment as Name.SubsetOf decides it', () => {
  test('a name without a wildcard is contained in itself only', () => {
    expect(hostSubsetOf('api.example.com', 'api.example.com')).toBe(true);
    expect(hostsMatch('api.example.com', 'api.example.com')).toBe(true);
    expect(hostSubsetOf('api.example.com', 'www.example.com')).toBe(false);
  });

  test('a wildcard prefix label `*foo` covers the name that is its suffix, foo.example.com itself', () => {
    expect(hostSubsetOf('foo.example.com', '*foo.example.com')).toBe(true);
    expect(hostSubsetOf('barfoo.example.com', '*foo.example.com')).toBe(true);
    expect(hostsMatch('*foo.example.com', 'foo.example.com')).toBe(true);
    expect(hostSubsetOf('oo.example.com', '*foo.example.com')).toBe(false);
  });

  // Name.SubsetOf compares the names after the leading `*` of each: `*.foo.com` ends in `.foo.com`, not in `*.foo.com`.
  test('a wildcard is contained in another wildcard only by what follows the two leading stars', () => {
    expect(hostSubsetOf('*.foo.com', '**.foo.com')).toBe(false);
    expect(hostSubsetOf('*', '**')).toBe(false);
    expect(hostSubsetOf('**.foo.com', '*.foo.com')).toBe(true);
  });

  // Name.IsWildCarded looks at the first character only: a star elsewhere is an ordinary character.
  test('a name with a trailing star and no leading one is compared as plain text', () => {
    expect(hostSubsetOf('foo*', 'foo*')).toBe(true);
    expect(hostSubsetOf('foo*', '*foo*')).toBe(true);
    expect(hostSubsetOf('xfoo*', '*foo*')).toBe(true);
  });

  test('an empty name is no wildcard: it contains no other name', () => {
    expect(hostSubsetOf('api.example.com', '')).toBe(false);
    expect(hostsMatch('api.example.com', '')).toBe(false);
    expect(hostSubsetOf('', '')).toBe(true);
    expect(hostSubsetOf('', '*')).toBe(true);
  });
});
