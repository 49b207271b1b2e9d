/**
 * Regular expressions and string matches as the VirtualService webhook checks them
 * (validateStringMatch, validateStringMatchRegexp and validateStringRegexp in Istio's
 * pkg/config/validation/validation.go, over the syntax of Go's regexp/syntax, RE2).
 * Each check returns Istio's message, or undefined when the value is fine.
 */
import { goQuote, isRecord } from './finding';
import { CANONICAL_UNICODE_CLASS_NAMES, UNICODE_CLASS_NAMES } from './unicode-classes';
import { isSet, stringOrEmpty } from './virtual-service-parts';

// Letters RE2 accepts after a backslash, outside and inside a character class.
const RE2_ESCAPES = new Set('afnrtvxdDsSwWpPQAzbB'.split(''));
const RE2_CLASS_ESCAPES = new Set('afnrtvxdDsSwWpP'.split(''));
const REPEAT_COUNT = /^\{(\d+)(,(\d*))?\}/;

function regexpError(code: string, expr: string): string {
  return `error parsing regexp: ${code}: \`${expr}\``;
}

/**
 * The syntax errors of Go's RE2 parser that a JavaScript RegExp cannot be trusted to find (or
 * finds where RE2 does not): lookaround and backreferences, unbalanced groups and classes,
 * repetition without argument or of a repetition, bad repeat counts and unknown escapes.
 * It errs on the side of accepting: a pattern it passes may still be refused by RE2.
 */
export function re2SyntaxProblem(re: string): string | undefined {
  let depth = 0;
  let canRepeat = false;
  let lastRepeat = '';
  let i = 0;
  while (i < re.length) {
    const c = re[i];
    let repeat = '';
    if (c === '\\') {
      const next = re[i + 1];
      if (next === undefined) {
        return regexpError('trailing backslash at end of expression', '');
      }
      if (next === 'Q') {
        const end = re.indexOf('\\E', i + 2);
        i = end < 0 ? re.length : end + 2;
        canRepeat = true;
      } else {
        const bad = escapeProblem(re, i, RE2_ESCAPES);
        if (bad) {
          return bad;
        }
        i += escapeLength(re, i);
        canRepeat = true;
      }
    } else if (c === '[') {
      const end = classEnd(re, i);
      if (typeof end === 'string') {
        return end;
      }
      i = end;
      canRepeat = true;
    } else if (c === '(') {
      let opening = 1;
      if (re[i + 1] === '?') {
        const bad = groupFlagsProblem(re, i);
        if (bad) {
          return bad;
        }
        const flags = /^\(\?[imsU-]*\)/.exec(re.slice(i));
        if (flags) {
          // A flag setting such as `(?i)` is not a group, and leaves what a repetition would apply to unchanged.
          i += flags[0].length;
          lastRepeat = '';
          continue;
        }
        opening = /^\(\?(P?<[A-Za-z0-9_]+>|[imsU-]*:)/.exec(re.slice(i))![0].length;
      }
      depth++;
      i += opening;
      canRepeat = false;
    } else if (c === ')') {
      if (depth === 0) {
        return regexpError('unexpected )', re);
      }
      depth--;
      i++;
      canRepeat = true;
    } else if (c === '|') {
      i++;
      canRepeat = false;
    } else if (c === '*' || c === '+' || c === '?' || (c === '{' && REPEAT_COUNT.test(re.slice(i)))) {
      let op = c;
      if (c === '{') {
        const m = REPEAT_COUNT.exec(re.slice(i))!;
        op = m[0];
        const min = Number(m[1]);
        const max = m[2] === undefined ? min : m[3] === '' ? -1 : Number(m[3]);
        if (min > 1000 || max > 1000 || (max >= 0 && min > max)) {
          return regexpError('invalid repeat count', op);
        }
      }
      let end = i + op.length;
      if (re[end] === '?') {
        end++;
      }
      if (lastRepeat !== '') {
        return regexpError('invalid nested repetition operator', lastRepeat + re.slice(i, i + op.length));
      }
      if (!canRepeat) {
        return regexpError('missing argument to repetition operator', re.slice(i, end));
      }
      repeat = re.slice(i, end);
      i = end;
    } else {
      i++;
      canRepeat = true;
    }
    lastRepeat = repeat;
  }
  return depth > 0 ? regexpError('missing closing )', re) : undefined;
}

/** The escape at `at` (a backslash with at least one character after it), as RE2 reads it. */
function escapeProblem(re: string, at: number, letters: Set<string>): string | undefined {
  const next = re[at + 1];
  // Go quotes the backslash and the character (a code point, not half of a surrogate pair) it could not read.
  const invalid = regexpError('invalid escape sequence', re.slice(at, at + 1 + codePointAt(re, at + 1).length));
  if (/[1-7]/.test(next) && !/[0-7]/.test(re[at + 2] ?? '')) {
    return invalid;
  }
  if (next === 'p' || next === 'P') {
    return unicodeClassProblem(re, at);
  }
  if (next === 'x') {
    const end = hexEscapeEnd(re, at);
    return end > 0 ? undefined : regexpError('invalid escape sequence', re.slice(at, -end));
  }
  if (next === '8' || next === '9' || next.charCodeAt(0) >= 128 || (/[a-zA-Z]/.test(next) && !letters.has(next))) {
    return invalid;
  }
  return undefined;
}

/**
 * `\\p` and `\\P` classes as Go's parseUnicodeClass reads them: one letter, or a name in braces (with `^` to negate)
 * that Go's unicode tables know. A name is taken when either Go's reading takes it: the exact table keys (up to
 * Go 1.24) or the canonical name (since Go 1.25), so that no Istio build refuses less than this does.
 */
function unicodeClassProblem(re: string, at: number): string | undefined {
  const start = at + 2;
  // One code point after `\\p` ('' at the end of the pattern), or a name in braces.
  let name = codePointAt(re, start);
  let end = start + name.length;
  if (name === '{') {
    const close = re.indexOf('}', start);
    if (close === -1) {
      return regexpError('invalid character class range', re.slice(at));
    }
    end = close + 1;
    name = re.slice(start + 1, close);
  }
  const bare = name.startsWith('^') ? name.slice(1) : name;
  return UNICODE_CLASS_NAMES.has(bare) || CANONICAL_UNICODE_CLASS_NAMES.has(canonicalUnicodeClassName(bare))
    ? undefined : regexpError('invalid character class range', re.slice(at, end));
}

/** regexp/syntax's canonicalName: `_`, `-` and spaces dropped, the first letter upper case and the other ASCII letters lower. */
function canonicalUnicodeClassName(name: string): string {
  const kept = name.replace(/[-_ ]/g, '');
  return kept.charAt(0).replace(/[a-z]/, c => c.toUpperCase()) + kept.slice(1).replace(/[A-Z]/g, c => c.toLowerCase());
}

/** The code point at `at` as a string (both halves of a surrogate pair), or '' past the end: what Go's nextRune reads. */
function codePointAt(re: string, at: number): string {
  const code = re.codePointAt(at);
  return code === undefined ? '' : String.fromCodePoint(code);
}

const isHexDigit = (c: string) => /^[0-9a-fA-F]$/.test(c);

/**
 * `\\x` escapes as Go's parseEscape reads them: two hex digits, or one or more in braces up to
 * U+10FFFF. The index after a good escape; for a bad one, minus the index after what Go read
 * (which its error quotes).
 */
function hexEscapeEnd(re: string, at: number): number {
  let i = at + 2;
  const read = () => {
    const c = codePointAt(re, i);
    i += c.length;
    return c;
  };
  const first = read();
  if (first !== '{') {
    const second = read();
    return isHexDigit(first) && isHexDigit(second) ? i : -i;
  }
  let value = 0;
  let digits = 0;
  for (let c = read(); c !== ''; c = read()) {
    if (c === '}') {
      return digits > 0 ? i : -i;
    }
    if (!isHexDigit(c)) {
      return -i;
    }
    value = value * 16 + parseInt(c, 16);
    digits++;
    if (value > 0x10ffff) {
      return -i;
    }
  }
  return -i;
}

/** How many characters an escape takes (`\\n` 2, `\\x41` 4, `\\p{Greek}` 9). */
function escapeLength(re: string, at: number): number {
  const long = /^\\(x\{[^}]*\}|x..|[pP]\{[^}]*\}|[0-7]{1,3})/.exec(re.slice(at));
  return long ? long[0].length : 2;
}

/** `(?` starts flags (`(?i)`, `(?i:...)`) or a named group (`(?P<name>`, `(?<name>`); anything else is Perl syntax RE2 lacks. */
function groupFlagsProblem(re: string, at: number): string | undefined {
  const rest = re.slice(at);
  if (/^\(\?P?</.test(rest)) {
    return /^\(\?P?<[A-Za-z0-9_]+>/.test(rest) ? undefined : regexpError('invalid named capture', rest.slice(0, rest.indexOf('>') + 1 || rest.length));
  }
  return /^\(\?[imsU-]*[:)]/.test(rest) ? undefined : regexpError('invalid or unsupported Perl syntax', rest.slice(0, 3));
}

/** The index after a character class starting at `at`, or the error when it never closes. */
function classEnd(re: string, at: number): number | string {
  let i = at + 1;
  if (re[i] === '^') {
    i++;
  }
  if (re[i] === ']') {
    i++;
  }
  while (i < re.length) {
    if (re[i] === ']') {
      return i + 1;
    }
    if (re.startsWith('[:', i)) {
      const close = re.indexOf(':]', i + 2);
      if (close > 0) {
        i = close + 2;
        continue;
      }
    }
    if (re[i] === '\\') {
      // Go reads the escape before it looks for the closing bracket: a class that ends in a backslash is a trailing backslash.
      const bad = re[i + 1] === undefined ? regexpError('trailing backslash at end of expression', '') : escapeProblem(re, i, RE2_CLASS_ESCAPES);
      if (bad) {
        return bad;
      }
      i += escapeLength(re, i);
      continue;
    }
    i++;
  }
  return regexpError('missing closing ]', re.slice(at));
}

/** validateStringRegexp: at most 1024 bytes and RE2 syntax. */
export function regexProblem(re: string, where: string): string | undefined {
  if (Buffer.byteLength(re, 'utf8') > 1024) {
    return `${goQuote(where)}: regex is too large, max length allowed is 1024`;
  }
  const bad = re2SyntaxProblem(re);
  return bad ? `${goQuote(where)}: ${bad}; Istio uses RE2 style regex-based match (https://github.com/google/re2/wiki/Syntax)` : undefined;
}

/** Which kind of string match is set: exact, prefix or regex (a StringMatch holds one). */
export function matchKind(sm: unknown): { kind: 'exact' | 'prefix' | 'regex'; value: string } | undefined {
  if (!isRecord(sm)) {
    return undefined;
  }
  for (const kind of ['exact', 'prefix', 'regex'] as const) {
    if (isSet(sm[kind])) {
      return { kind, value: stringOrEmpty(sm[kind]) };
    }
  }
  return undefined;
}

/** validateStringMatchRegexp: only a regex match is checked. */
export function stringMatchRegexProblem(sm: unknown, where: string): string | undefined {
  const m = matchKind(sm);
  if (m?.kind !== 'regex') {
    return undefined;
  }
  return m.value === '' ? `${goQuote(where)}: regex string match should not be empty` : regexProblem(m.value, where);
}

/** validateStringMatch: a prefix must not be empty, a regex must be RE2. */
export function stringMatchProblem(sm: unknown, where: string): string | undefined {
  const m = matchKind(sm);
  if (m?.kind === 'prefix' && m.value === '') {
    return `${goQuote(where)}: prefix string match should not be empty`;
  }
  return stringMatchRegexProblem(sm, where);
}
