import { isIpAddress, prefixProblem } from '../../src/rules/names';

// Istio reads addresses and prefixes with Go's net/netip (ValidateIPAddress, ValidateIPSubnet).
// Every expected message here is what Go 1.26's netip.ParsePrefix / netip.ParseAddr print for the same input.
describe('prefix lengths as netip.ParsePrefix bounds them', () => {
  test('the longest prefix of each family is accepted: /32 for IPv4, /128 for IPv6', () => {
    expect(prefixProblem('10.0.0.0/32')).toBeUndefined();
    expect(prefixProblem('::/128')).toBeUndefined();
    expect(prefixProblem('::1/128')).toBeUndefined();
  });

  test('an IPv6 prefix may be longer than 32 bits', () => {
    expect(prefixProblem('::/64')).toBeUndefined();
  });

  test('one bit past the family size is out of range, and the message says so', () => {
    expect(prefixProblem('10.0.0.0/33')).toBe('netip.ParsePrefix("10.0.0.0/33"): prefix length out of range');
    expect(prefixProblem('::/129')).toBe('netip.ParsePrefix("::/129"): prefix length out of range');
  });
});

describe('the first of ".", ":" and "%" decides how netip.ParseAddr reads an address', () => {
  test('a text with none of them is no IP, and no other reason is given', () => {
    expect(prefixProblem('abc/8')).toBe('netip.ParsePrefix("abc/8"): ParseAddr("abc"): unable to parse IP');
    expect(prefixProblem('/8')).toBe('netip.ParsePrefix("/8"): ParseAddr(""): unable to parse IP');
    expect(isIpAddress('abc')).toBe(false);
  });

  test('a zone before any address part is a missing IPv6 address', () => {
    expect(prefixProblem('%eth0/8')).toBe('netip.ParsePrefix("%eth0/8"): ParseAddr("%eth0"): missing IPv6 address');
  });
});

describe('dotted-quad IPv4 fields as netip reads them', () => {
  test('every decimal digit, 9 included, is a digit of a field', () => {
    expect(isIpAddress('9.9.9.9')).toBe(true);
    expect(prefixProblem('9.9.9.9/32')).toBeUndefined();
    expect(isIpAddress('99.199.249.255')).toBe(true);
  });

  test('a hex letter in a dotted quad is an unexpected character, named with the rest of the text', () => {
    expect(isIpAddress('1.2.3.a')).toBe(false);
    expect(prefixProblem('1.2.3.a/8')).toBe('netip.ParsePrefix("1.2.3.a/8"): ParseAddr("1.2.3.a"): unexpected character (at "a")');
  });

  test('a field may have several digits after a non-zero one', () => {
    expect(isIpAddress('10.0.0.1')).toBe(true);
    expect(prefixProblem('10.0.0.1/32')).toBeUndefined();
  });

  test('a field that starts with 0 and goes on is a leading zero', () => {
    expect(prefixProblem('010.0.0.1/8')).toBe('netip.ParsePrefix("010.0.0.1/8"): ParseAddr("010.0.0.1"): IPv4 field has octet with leading zero');
  });

  test('255 is the largest field value; 256 is over it', () => {
    expect(isIpAddress('255.255.255.255')).toBe(true);
    expect(isIpAddress('256.0.0.1')).toBe(false);
    expect(prefixProblem('256.0.0.1/8')).toBe('netip.ParsePrefix("256.0.0.1/8"): ParseAddr("256.0.0.1"): IPv4 field has value >255');
  });

  test('a dot at the start, at the end or after another dot leaves a field without a digit, and the message says where', () => {
    expect(isIpAddress('.1.2.3')).toBe(false);
    expect(isIpAddress('1.2.3.')).toBe(false);
    expect(isIpAddress('1..2.3')).toBe(false);
    expect(prefixProblem('.1.2.3/8')).toBe('netip.ParsePrefix(".1.2.3/8"): ParseAddr(".1.2.3"): IPv4 field must have at least one digit (at ".1.2.3")');
    expect(prefixProblem('1.2.3./8')).toBe('netip.ParsePrefix("1.2.3./8"): ParseAddr("1.2.3."): IPv4 field must have at least one digit (at ".")');
    expect(prefixProblem('1..2.3/8')).toBe('netip.ParsePrefix("1..2.3/8"): ParseAddr("1..2.3"): IPv4 field must have at least one digit (at ".2.3")');
  });

  test('an empty field in an IPv4 tail of an IPv6 address is reported for the whole input', () => {
    expect(prefixProblem('::ffff:1.2.3./128')).toBe(
      'netip.ParsePrefix("::ffff:1.2.3./128"): ParseAddr("::ffff:1.2.3."): IPv4 field must have at least one digit (at ".")');
  });

  test('a fifth field makes the address too long, a message without a position', () => {
    expect(prefixProblem('1.2.3.4.5/8')).toBe('netip.ParsePrefix("1.2.3.4.5/8"): ParseAddr("1.2.3.4.5"): IPv4 address too long');
  });
});
