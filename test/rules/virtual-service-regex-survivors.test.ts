/**
 * RE2 syntax as the VirtualService webhook reads a regex (validateStringRegexp in Istio 1.30.3's
 * pkg/config/validation/validation.go, which compiles it with Go's regexp, i.e. regexp/syntax Parse with
 * Perl flags). Every pattern here was run through Go's regexp.Compile: accepted ones must give no problem,
 * refused ones Go's exact error. Each refused pattern sits next to the closest one Go accepts.
 */
import * as vm from 'vm';
import { checkVirtualService } from '../../src/rules/virtual-service';
import { re2SyntaxProblem } from '../../src/rules/virtual-service-regex';
import { assertValidIstioObjects } from '../support/crd-validator';
import { findingRows } from '../support/findings';

const err = (code: string, expr: string) => `error parsing regexp: ${code}: \`${expr}\``;
const badEscape = (expr: string) => err('invalid escape sequence', expr);
const badCount = (expr: string) => err('invalid repeat count', expr);
const noArgument = (expr: string) => err('missing argument to repetition operator', expr);

/** re2SyntaxProblem, stopped after a second: a scanner that never moves on fails the test instead of hanging it. */
const problem = (re: string): string | undefined =>
  vm.runInNewContext('check(re)', { check: re2SyntaxProblem, re }, { timeout: 1000 });

describe('patterns Go accepts', () => {
  test.each<[string, string]>([
    ['letter escapes inside a character class', '[\\d\\s\\w]'],
    ['plain literals', 'ab'],
    ['a brace that is no repeat count, then a count on the literal before it', '{x}{2}'],
    ['a bounded range count', 'a{2,10}'],
    ['an open-ended count', 'a{2,}'],
    ['the largest count, exactly and as a maximum', 'a{1000}'],
    ['a maximum of 1000', 'a{2,1000}'],
    ['a range whose bounds are equal', 'a{2,2}'],
    ['a single count', 'a{2}'],
    ['an escaped backslash and E before a quoted run', '\\\\E\\Qa'],
    ['a quoted run without \\E, holding a parenthesis', '\\Q('],
    ['a repetition of a quoted run', '\\Qab\\E*'],
    ['two flags', '(?im)a'],
    ['flags after a literal', 'x(?i)y'],
    ['a repetition after a flag setting applies to the literal before it', 'a(?i)*'],
    ['a non-capturing group with two flags', '(?im:a)'],
    ['a repeated non-capturing group without flags', '(?:ab)+'],
    ['a non-capturing group after a literal', 'x(?:a)'],
    ['a non-capturing group, then a flag setting', '(?:ab)(?i)'],
    ['a repeated group', '(a)*'],
    ['a two-digit octal escape', '\\12'],
    ['a two-digit octal escape after literals', 'xx\\12'],
    ['a hex escape after a literal', 'a\\x41'],
  ])('%s: %s', (_, re) => {
    expect(problem(re)).toBeUndefined();
  });
});

describe('patterns Go refuses, with its message', () => {
  test.each<[string, string, string]>([
    ['a count with a maximum over 1000', 'a{2,1001}', badCount('{2,1001}')],
    ['an open-ended count with a minimum over 1000', 'a{1001,}', badCount('{1001,}')],
    ['a maximum of 0 below a minimum of 1', 'a{1,0}', badCount('{1,0}')],
    ['a parenthesis closed after a quoted run', '\\Qa\\E)', err('unexpected )', '\\Qa\\E)')],
    ['a parenthesis closed after a class escape', '\\d)', err('unexpected )', '\\d)')],
    ['a non-capturing group never closed', '(?:a', err('missing closing )', '(?:a')],
    ['a repetition right after an opening parenthesis', '(*)', noArgument('*')],
    ['a plus with nothing before it', '+a', noArgument('+')],
    ['a question mark with nothing before it', '?a', noArgument('?')],
    ['a single-digit backreference', '\\1a', badEscape('\\1')],
    ['a hex escape without hex digits', '\\xZZ', badEscape('\\xZZ')],
    ['a hex escape with one hex digit', '\\x4Z', badEscape('\\x4Z')],
    ['a bad hex escape before a good one', '\\xZZ\\x41', badEscape('\\xZZ')],
    ['a bad hex escape between literals', 'a\\xZZb', badEscape('\\xZZ')],
  ])('%s: %s', (_, re, message) => {
    expect(problem(re)).toBe(message);
  });
});

describe('through the VirtualService rule', () => {
  const vs = (regex: string): any => ({
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name: 'routes', namespace: 'shop' },
    spec: { hosts: ['api.example.com'], http: [{ match: [{ uri: { regex } }], route: [{ destination: { host: 'api.example.com' } }] }] },
  });

  test('an open-ended count passes, a bad hex escape is refused with Go\'s message', () => {
    const accepted = vs('/v1/[a-z]{2,}');
    expect(findingRows(checkVirtualService(accepted))).toEqual([]);
    assertValidIstioObjects([accepted]);
    const refused = vs('/v1/\\xZZ');
    expect(findingRows(checkVirtualService(refused))).toEqual([['VS14', 'error', 'spec.http[0].match[0].uri', { regex: '/v1/\\xZZ' },
      `"uri": ${badEscape('\\xZZ')}; Istio uses RE2 style regex-based match (https://github.com/google/re2/wiki/Syntax)`,
      'use exact, a non-empty prefix, or an RE2 regex of at most 1024 characters']]);
  });
});

// Go's parseEscape reads `\x{...}` up to the first character that is no hex digit (or past U+10FFFF) and quotes all it
// read; other bad escapes are quoted with the whole code point after the backslash. Each pair checked with regexp.Compile.
describe('hex escapes and characters outside the BMP, quoted as Go quotes them', () => {
  test.each<[string, string]>([
    ['the largest code point in braces', '\\x{10FFFF}'],
    ['leading zeros in braces', '\\x{0000000041}'],
    ['a code point outside the BMP in braces, repeated', 'a\\x{1F600}*'],
    ['a braced escape in a class', '[\\x{41}-\\x{5A}]'],
  ])('accepted: %s: %s', (_, re) => {
    expect(problem(re)).toBeUndefined();
  });

  test.each<[string, string, string]>([
    ['a letter inside the braces', '\\x{12z}', badEscape('\\x{12z')],
    ['the same inside a class', '[\\x{12z}]', badEscape('\\x{12z')],
    ['a code point past U+10FFFF', '\\x{110000}', badEscape('\\x{110000')],
    ['braces that never close', '\\x{11000', badEscape('\\x{11000')],
    ['empty braces', '\\x{}', badEscape('\\x{}')],
    ['a brace at the end', '\\x{', badEscape('\\x{')],
    ['one hex digit at the end', '\\x4', badEscape('\\x4')],
    ['a \\x at the end', 'ab\\x', badEscape('\\x')],
    ['U+FFFF (one UTF-16 unit) after \\x, then a digit', 'a\\x\uffff1z', badEscape('\\x\uffff1')],
    ['an emoji after \\x', '\\x😀1', badEscape('\\x😀1')],
    ['an emoji after a backslash', '\\😀', badEscape('\\😀')],
    ['an emoji after a backslash in a class', '[\\😀]', badEscape('\\😀')],
  ])('refused: %s: %s', (_, re, message) => {
    expect(problem(re)).toBe(message);
  });
});

// parseUnicodeClass and unicodeTable of Go's regexp/syntax: one letter or a braced name, `^` negates, and the name is
// looked up exactly (Go up to 1.24) or by its canonical form (since 1.25: case, `_`, `-` and spaces ignored, aliases such
// as Letter). A name either reading takes is accepted. Each case checked with regexp.Compile of Go 1.26.
describe('Unicode classes, with the names Go knows', () => {
  test.each<[string, string]>([
    ['a one-letter category, and its negation', '\\pL\\PN'],
    ['a script and a negated one', '\\p{Greek}\\p{^Han}'],
    ['a negated negation', '\\P{^L}'],
    ['a script in lower case (Go 1.25 and later)', '\\p{greek}'],
    ['a category alias in any case, with underscores', '\\p{Letter}\\p{lETTER}\\p{_Greek_}'],
    ['the special names', '\\p{Any}\\p{ascii}\\p{Assigned}\\p{LC}\\p{Cn}'],
    ['a script of two words as Go up to 1.24 reads it (Go 1.26 refuses it)', '\\p{Old_Italic}'],
    ['classes inside a class, and repeated', '[\\p{Greek}\\pN-]\\p{Ll}+'],
  ])('accepted: %s: %s', (_, re) => {
    expect(problem(re)).toBeUndefined();
  });

  const badRange = (expr: string) => err('invalid character class range', expr);
  test.each<[string, string, string]>([
    ['a name Go does not know', 'a\\p{Greekish}b', badRange('\\p{Greekish}')],
    ['a letter that is no category', '\\pX', badRange('\\pX')],
    ['an emoji as the letter', '\\p😀', badRange('\\p😀')],
    ['braces that hold a parenthesis', '\\p{a)}', badRange('\\p{a)}')],
    ['empty braces', '\\p{}', badRange('\\p{}')],
    ['only a negation', 'a\\p{^}', badRange('\\p{^}')],
    ['a space', '\\p{ }', badRange('\\p{ }')],
    ['a two-word script in another case (neither reading takes it)', '\\p{old italic}', badRange('\\p{old italic}')],
    ['braces that never close: Go quotes the rest of the pattern', '\\p{Greek(x)', badRange('\\p{Greek(x)')],
    ['a \\p at the end', 'ab\\p', badRange('\\p')],
    ['braces that never close after a literal', 'ab\\p{Greek', badRange('\\p{Greek')],
    ['a bad name inside a class', '[a\\P{Nope}]', badRange('\\P{Nope}')],
  ])('refused: %s: %s', (_, re, message) => {
    expect(problem(re)).toBe(message);
  });
});
