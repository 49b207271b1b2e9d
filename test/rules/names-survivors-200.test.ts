import { isIpAddress, prefixProblem } from '../../src/rules/names';

// netip.ParsePrefix's error text for `prefix` whose address part fails netip.ParseAddr with `reason`.
// Every expected text here is what Go's net/netip (go1.26) prints for the same input.
function addressProblem(prefix: string, reason: string, at?: string): string {
  const address = prefix.slice(0, prefix.lastIndexOf('/'));
  return `netip.ParsePrefix("${prefix}"): ParseAddr("${address}"): ${reason}${at === undefined ? '' : ` (at "${at}")`}`;
}

describe('dotted-quad IPv4 addresses as netip.ParseAddr reads them', () => {
  test('a fifth field makes the address too long', () => {
    expect(prefixProblem('1.2.3.4.5/8')).toBe(addressProblem('1.2.3.4.5/8', 'IPv4 address too long'));
    expect(isIpAddress('1.2.3.4.5')).toBe(false);
  });

  test('three fields make the address too short', () => {
    expect(prefixProblem('10.0.0/8')).toBe(addressProblem('10.0.0/8', 'IPv4 address too short'));
  });
});

describe('IPv6 addresses as netip.ParseAddr reads them', () => {
  test('a % with no zone after it is refused, and the message names no position', () => {
    expect(prefixProblem('fe80::2%/64')).toBe(addressProblem('fe80::2%/64', 'zone must be a non-empty string'));
  });

  test('too few groups without a :: are too short, and the message names no position', () => {
    expect(prefixProblem('1:2:3:4/64')).toBe(addressProblem('1:2:3:4/64', 'address string too short'));
    expect(isIpAddress('1:2:3:4')).toBe(false);
  });

  test('a :: that stands for no group is refused, and the message names no position', () => {
    expect(prefixProblem('::a:b:c:d:e:f:1:2/64')).toBe(addressProblem('::a:b:c:d:e:f:1:2/64', 'the :: must expand to at least one field of zeros'));
  });

  test('eight groups, with or without a ::, are an address', () => {
    expect(prefixProblem('1:2:3:4:5:6:7:8/128')).toBeUndefined();
    expect(prefixProblem('1:2:3:4:5:6:7::/112')).toBeUndefined();
    expect(prefixProblem('2001:db8::/32')).toBeUndefined();
    expect(prefixProblem('::1/128')).toBeUndefined();
    expect(prefixProblem('::/0')).toBeUndefined();
    expect(isIpAddress('1:2:3:4:5:6:7:8')).toBe(true);
    expect(isIpAddress('::1')).toBe(true);
  });

  test('after a leading ::, a field without hex digits is refused', () => {
    expect(prefixProblem('::zz/8')).toBe(addressProblem('::zz/8', 'each colon-separated field must have at least one digit', 'zz'));
    expect(isIpAddress('::zz')).toBe(false);
    expect(prefixProblem(':1::/8')).toBe(addressProblem(':1::/8', 'each colon-separated field must have at least one digit', ':1::'));
  });

  test('a group of five hex digits is refused', () => {
    expect(prefixProblem('abcde::/48')).toBe(addressProblem('abcde::/48', 'each group must have 4 or less digits', 'abcde::'));
    expect(isIpAddress('abcde::')).toBe(false);
  });

  test('a ninth group is trailing garbage', () => {
    expect(prefixProblem('1:2:3:4:5:6:7:8:a/64')).toBe(addressProblem('1:2:3:4:5:6:7:8:a/64', 'trailing garbage after address', 'a'));
    expect(isIpAddress('1:2:3:4:5:6:7:8:a')).toBe(false);
  });

  test('a character that is neither a hex digit nor a colon after a group is refused', () => {
    expect(prefixProblem('20x1::/16')).toBe(addressProblem('20x1::/16', 'unexpected character, want colon', 'x1::'));
    expect(isIpAddress('20x1::')).toBe(false);
  });

  test('a colon at the end is refused', () => {
    expect(prefixProblem('1:2:/64')).toBe(addressProblem('1:2:/64', 'colon must be followed by more characters', ':'));
  });

  test('a second :: is refused, also when the first one leads the address', () => {
    expect(prefixProblem('2001::db8::1/64')).toBe(addressProblem('2001::db8::1/64', 'multiple :: in address', ':1'));
    expect(prefixProblem('::1::2/64')).toBe(addressProblem('::1::2/64', 'multiple :: in address', ':2'));
    expect(isIpAddress('2001::db8::1')).toBe(false);
    expect(isIpAddress('::1::2')).toBe(false);
  });
});

describe('IPv6 addresses with an embedded IPv4 tail', () => {
  test('six groups and a dotted quad are an address', () => {
    expect(prefixProblem('1:2:3:4:5:6:10.0.0.0/120')).toBeUndefined();
    expect(isIpAddress('1:2:3:4:5:6:10.0.0.1')).toBe(true);
  });

  test('a :: and a dotted quad are an address, and its prefix has no zone', () => {
    expect(prefixProblem('::ffff:10.0.0.0/104')).toBeUndefined();
    expect(isIpAddress('::ffff:1.2.3.4')).toBe(true);
  });

  test('a dotted quad after too few groups and no :: is refused', () => {
    expect(prefixProblem('1:10.0.0.1/24')).toBe(
      addressProblem('1:10.0.0.1/24', 'embedded IPv4 address must replace the final 2 fields of the address', '10.0.0.1'));
  });

  test('a dotted quad after seven groups is refused', () => {
    expect(prefixProblem('::1:2:3:4:5:6:7:10.0.0.1/96')).toBe(
      addressProblem('::1:2:3:4:5:6:7:10.0.0.1/96', 'too many hex fields to fit an embedded IPv4 at the end of the address', '10.0.0.1'));
    expect(isIpAddress('::1:2:3:4:5:6:7:10.0.0.1')).toBe(false);
  });

  test('the dotted quad\'s own errors are the address\'s errors', () => {
    expect(prefixProblem('::ffff:10.0.0.300/120')).toBe(addressProblem('::ffff:10.0.0.300/120', 'IPv4 field has value >255'));
    expect(prefixProblem('::ffff:10.0..1/120')).toBe(addressProblem('::ffff:10.0..1/120', 'IPv4 field must have at least one digit', '.1'));
    expect(isIpAddress('::ffff:10.0.0.300')).toBe(false);
  });
});
