/**
 * goQuote writes a string as Go's %q (strconv.Quote) writes it in Istio's messages: the control characters Go
 * has a short escape for as that escape, and a lone surrogate as U+FFFD, the character Go's JSON decoder reads
 * it as (so the message says what Istio would say about the object the API server stored).
 */
import { goQuote } from '../../src/rules/finding';

describe('goQuote: Go\'s short escapes for control characters', () => {
  test.each<[string, string, string]>([
    ['backspace', 'a\bb', '"a\\bb"'],
    ['form feed', 'a\fb', '"a\\fb"'],
    ['carriage return', 'a\rb', '"a\\rb"'],
  ])('%s is written as its short escape, not as \\x..', (_, value, quoted) => {
    expect(goQuote(value)).toBe(quoted);
  });
});

describe('goQuote: lone surrogates', () => {
  test.each<[string, string, string]>([
    ['the first high surrogate U+D800', 'x\ud800y', '"x\ufffdy"'],
    ['the last low surrogate U+DFFF', 'x\udfffy', '"x\ufffdy"'],
  ])('%s is U+FFFD, as Go\'s JSON decoder reads it', (_, value, quoted) => {
    expect(goQuote(value)).toBe(quoted);
  });

  test('a valid surrogate pair is its character, printed as it is', () => {
    expect(goQuote('x\ud83d\ude00y')).toBe('"x\u{1f600}y"');
  });
});
