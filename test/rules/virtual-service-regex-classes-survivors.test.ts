/**
 * RE2 syntax the webhook refuses or accepts, for the parts of the regex checker past plain escapes: escapes
 * RE2 never knows (`\8`, `\9`, non-ASCII), how far an escape reaches, `(?...)` groups, character classes
 * (leading `]` and `^`, POSIX `[:name:]`, escapes inside) and the 1024-byte limit. Every expectation is
 * what Go 1.26's regexp.Compile says for the same pattern (Istio 1.30.3's validateStringRegexp in
 * pkg/config/validation/validation.go calls it after the length check).
 */
import { checkVirtualService } from '../../src/rules/virtual-service';
import { re2SyntaxProblem, regexProblem } from '../../src/rules/virtual-service-regex';
import { assertValidIstioObjects } from '../support/crd-validator';
import { findingRows } from '../support/findings';

const err = (code: string, expr: string) => `error parsing regexp: ${code}: \`${expr}\``;
const escape = (expr: string) => err('invalid escape sequence', expr);

/** Patterns Go's regexp.Compile accepts: no problem, each checked on its own so a failure names it. */
function expectAccepted(patterns: string[]): void {
  expect(patterns.map(p => [p, re2SyntaxProblem(p)])).toEqual(patterns.map(p => [p, undefined]));
}

describe('escapes RE2 has no meaning for', () => {
  test('\\8 and \\9 are neither octal nor backreferences', () => {
    expect(re2SyntaxProblem('\\8')).toBe(escape('\\8'));
    expect(re2SyntaxProblem('a\\9')).toBe(escape('\\9'));
    expect(re2SyntaxProblem('[\\8]')).toBe(escape('\\8'));
    expect(re2SyntaxProblem('[a\\9]')).toBe(escape('\\9'));
  });

  test('a backslash before a non-ASCII character, from U+0080 on, is refused; before DEL it is a literal', () => {
    expect(re2SyntaxProblem('\\é')).toBe(escape('\\é'));
    expect(re2SyntaxProblem('\u0080\\\u0080')).toBe(escape('\\\u0080'));
    expect(re2SyntaxProblem('[\\\u0080]')).toBe(escape('\\\u0080'));
    expectAccepted(['\\\u007f', '[\\\u007f]', '\\~', '\\.']);
  });

  test('an ASCII letter RE2 does not know is refused, one it knows is not', () => {
    expect(re2SyntaxProblem('\\Z')).toBe(escape('\\Z'));
    expect(re2SyntaxProblem('[\\y]')).toBe(escape('\\y'));
    expectAccepted(['\\d\\w\\s\\A\\z\\b\\B', '[\\d\\W\\f\\v]']);
  });
});

describe('how far an escape reaches', () => {
  test('only the escape at hand counts, not a longer one further on', () => {
    expectAccepted(['(\\d)\\x41', '\\x41(\\d)', '(\\x41)\\x{263a}', '[\\x41]\\012']);
    expect(re2SyntaxProblem('\\d)\\x41')).toBe(err('unexpected )', '\\d)\\x41'));
  });

  test('a repeat count after \\d is a repetition, not part of the escape', () => {
    expect(re2SyntaxProblem('\\d{2}*')).toBe(err('invalid nested repetition operator', '{2}*'));
    expect(re2SyntaxProblem('\\w{1001}')).toBe(err('invalid repeat count', '{1001}'));
    expectAccepted(['[\\d{]x}', '\\d{2}', '\\p{Greek}{2}']);
  });
});

describe('(? groups', () => {
  test('flags may come before a named group', () => {
    expectAccepted(['(?i)(?P<n>x)', '(?s)a(?<n>x)']);
  });

  test('several flags at once, as a setting or a group', () => {
    expectAccepted(['(?im)abc', '(?is:a)', '(?i-s)a', '(?imsU:a)']);
  });

  test('a named group must start with a name; the message quotes up to the first >', () => {
    expect(re2SyntaxProblem('(?P<>x)(?P<n>y)')).toBe(err('invalid named capture', '(?P<>'));
    expect(re2SyntaxProblem('a(?P<a-b>x)')).toBe(err('invalid named capture', '(?P<a-b>'));
    expect(re2SyntaxProblem('(?<>x)')).toBe(err('invalid named capture', '(?<>'));
  });

  test('a named group that never closes its name is quoted to the end', () => {
    expect(re2SyntaxProblem('(?P<name')).toBe(err('invalid named capture', '(?P<name'));
    expect(re2SyntaxProblem('x(?<n')).toBe(err('invalid named capture', '(?<n'));
  });

  test('Perl syntax is refused even when flags follow later', () => {
    expect(re2SyntaxProblem('(?=a)(?i)')).toBe(err('invalid or unsupported Perl syntax', '(?='));
    expect(re2SyntaxProblem('(?!a)(?i:b)')).toBe(err('invalid or unsupported Perl syntax', '(?!'));
  });
});

describe('character classes', () => {
  test('a ] right after [ or [^ is a literal, so the class goes on', () => {
    expectAccepted(['[]a)]', '[^]a)]', '[]]', '[^]]', 'x[]\\d)]']);
  });

  test('the class ends after its ], and the rest is read as pattern again', () => {
    expectAccepted(['[)]', '[a]:]', '[(]', '[|]']);
    expect(re2SyntaxProblem('[a])')).toBe(err('unexpected )', '[a])'));
  });

  test('a POSIX class [:name:] inside a class does not end it', () => {
    expectAccepted(['[[:alpha:])]', '[[:^digit:](]', '[x[:word:])]']);
  });

  test('[: that is no POSIX class is literal, and its ] ends the class', () => {
    expectAccepted(['[[:]']);
    expect(re2SyntaxProblem('[[:]a)]')).toBe(err('unexpected )', '[[:]a)]'));
    expect(re2SyntaxProblem('[:ab:])]')).toBe(err('unexpected )', '[:ab:])]'));
  });

  test('a second [: with no :] after it is literal, in a class that itself starts with [:', () => {
    expect(re2SyntaxProblem('a[:b[[:]')).toBeUndefined();
  });

  test('escapes inside a class are checked and skipped', () => {
    expectAccepted(['([\\d])', '([\\x41-\\x{5a}])', '[\\]]']);
    expect(re2SyntaxProblem('[\\d])')).toBe(err('unexpected )', '[\\d])'));
  });

  test('a class ending in a lone backslash is refused', () => {
    // Go reads the escape first (parseClassChar, parseEscape): a trailing backslash, not a missing bracket.
    for (const re of ['[\\', '[a\\', '[^\\', '[]\\', 'a[\\d\\']) {
      expect(re2SyntaxProblem(re)).toBe('error parsing regexp: trailing backslash at end of expression: ``');
    }
    expect(re2SyntaxProblem('[a\\]]')).toBeUndefined();
  });

  test('an unclosed class is quoted from its [', () => {
    expect(re2SyntaxProblem('a[b')).toBe(err('missing closing ]', '[b'));
    expect(re2SyntaxProblem('(x)[^a-z')).toBe(err('missing closing ]', '[^a-z'));
  });
});

describe('the 1024-byte limit (validateStringRegexp)', () => {
  // validateStringMatchRegexp(match.GetUri(), "uri") in virtualservice.go names the field only as "uri".
  const TOO_LARGE = '"uri": regex is too large, max length allowed is 1024';

  test('1024 bytes is the most a regex may have', () => {
    expect(regexProblem('a'.repeat(1024), 'where')).toBeUndefined();
    expect(regexProblem('a'.repeat(1025), 'where')).toBe('"where": regex is too large, max length allowed is 1024');
    // Bytes, not characters: 513 two-byte letters are 1026 bytes.
    expect(regexProblem('é'.repeat(512), 'where')).toBeUndefined();
    expect(regexProblem('é'.repeat(513), 'where')).toBe('"where": regex is too large, max length allowed is 1024');
  });

  test('a uri regex of 1024 bytes passes, one of 1025 is refused', () => {
    const vs = (regex: string): any => ({
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'routes', namespace: 'shop' },
      spec: { hosts: ['api.example.com'], http: [{ match: [{ uri: { regex } }], route: [{ destination: { host: 'api.example.com' } }] }] },
    });
    const fits = vs(`/${'a'.repeat(1023)}`);
    const tooLarge = vs(`/${'a'.repeat(1024)}`);
    assertValidIstioObjects([fits, tooLarge]);
    expect(findingRows(checkVirtualService(fits))).toEqual([]);
    expect(findingRows(checkVirtualService(tooLarge))).toEqual([['VS14', 'error', 'spec.http[0].match[0].uri', tooLarge.spec.http[0].match[0].uri,
      TOO_LARGE, 'use exact, a non-empty prefix, or an RE2 regex of at most 1024 characters']]);
  });
});
