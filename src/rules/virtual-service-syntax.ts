/**
 * Value syntax the VirtualService webhook checks: Go durations, RE2 regular expressions, HTTP
 * header names and values, label maps, and Go's number formatting for Istio's messages.
 * Each check returns Istio's message, or undefined when the value is fine.
 */
import { show } from './finding';
import { isCidr, isIpAddress } from './names';

// --- Go durations (the proto decoder reads them with time.ParseDuration) ---

const DURATION_UNITS = new Map<string, number>([['ns', 1], ['us', 1e3], ['µs', 1e3], ['μs', 1e3], ['ms', 1e6], ['s', 1e9], ['m', 60e9], ['h', 3600e9]]);
const DURATION_PART = /(\d*)(?:\.(\d*))?(ns|us|µs|μs|ms|s|m|h)/y;

/** A Go duration string in nanoseconds, or undefined when time.ParseDuration refuses it. */
export function parseGoDuration(value: string): number | undefined {
  let rest = value;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest.startsWith('-') ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '0') {
    return 0;
  }
  if (rest === '') {
    return undefined;
  }
  let total = 0;
  DURATION_PART.lastIndex = 0;
  while (DURATION_PART.lastIndex < rest.length) {
    const m = DURATION_PART.exec(rest);
    if (!m || (m[1] === '' && (m[2] ?? '') === '')) {
      return undefined;
    }
    const unit = DURATION_UNITS.get(m[3])!;
    const fraction = m[2] ?? '';
    total += Number(m[1] || '0') * unit + Math.trunc(Number(fraction || '0') * (unit / 10 ** fraction.length));
  }
  return sign * total;
}

/** Why time.ParseDuration refuses a string, in its words. */
function durationSyntaxProblem(value: string): string {
  const quoted = JSON.stringify(value);
  const parts = /^[-+]?((?:\d*\.?\d*[^\d.]*)*)$/.exec(value);
  for (const [, number, unit] of (parts?.[1] ?? '').matchAll(/(\d*\.?\d*)([^\d.]*)/g)) {
    if (number === '' && unit === '') {
      continue;
    }
    if (!/\d/.test(number)) {
      break;
    }
    if (unit === '') {
      return `time: missing unit in duration ${quoted}`;
    }
    if (!DURATION_UNITS.has(unit)) {
      return `time: unknown unit ${JSON.stringify(unit)} in duration ${quoted}`;
    }
  }
  return `time: invalid duration ${quoted}`;
}

/**
 * agent.ValidateDuration on a duration field as the manifest writes it. Every VirtualService
 * duration also has the CRD's CEL rule (at least 1ms), which the API server applies first, so a
 * duration under 1ms gets the CEL rule's message.
 */
export function durationProblem(value: unknown): string | undefined {
  const ns = typeof value === 'string' ? parseGoDuration(value) : undefined;
  if (ns === undefined) {
    return durationSyntaxProblem(show(value));
  }
  if (ns < 1e6) {
    return 'must be a valid duration greater than 1ms';
  }
  if (ns % 1e6 !== 0) {
    return 'only durations to ms precision are supported';
  }
  return undefined;
}

// --- RE2 (Go regexp/syntax) ---

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
  const invalid = regexpError('invalid escape sequence', re.slice(at, at + 2));
  if (/[1-7]/.test(next) && !/[0-7]/.test(re[at + 2] ?? '')) {
    return invalid;
  }
  if (next === 'x') {
    const hex = /^\\x(\{[0-9a-fA-F]+\}|[0-9a-fA-F]{2})/.exec(re.slice(at));
    return hex ? undefined : regexpError('invalid escape sequence', re.slice(at, at + 4));
  }
  if (next === '8' || next === '9' || next.charCodeAt(0) >= 128 || (/[a-zA-Z]/.test(next) && !letters.has(next))) {
    return invalid;
  }
  return undefined;
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
      const bad = re[i + 1] === undefined ? undefined : escapeProblem(re, i, RE2_CLASS_ESCAPES);
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
    return `"${where}": regex is too large, max length allowed is 1024`;
  }
  const bad = re2SyntaxProblem(re);
  return bad ? `"${where}": ${bad}; Istio uses RE2 style regex-based match (https://github.com/google/re2/wiki/Syntax)` : undefined;
}

// --- HTTP header names and values ---

const HEADER_NAME = /^[!#$%&'*+\-.^_`|~A-Za-z0-9]+$/;
const PSEUDO_HEADERS = [':method', ':scheme', ':authority', ':path', ':status'];
const JWT_CLAIM_PREFIX = '@request.auth.claims';

/** jwt.ToRoutingClaim: `@request.auth.claims.<name>` or `@request.auth.claims[<name>]`. */
export function isJwtClaimHeader(name: string): boolean {
  if (!name.toLowerCase().startsWith(JWT_CLAIM_PREFIX)) {
    return false;
  }
  const rest = name.slice(JWT_CLAIM_PREFIX.length);
  return (rest.startsWith('.') && rest.length > 1) || (rest.startsWith('[') && rest.endsWith(']') && rest.length > 2);
}

/** ValidateHTTPHeaderNameOrJwtClaimRoute: a header to match on. */
export function matchHeaderNameProblem(name: string): string | undefined {
  if (name === '') {
    return 'header name cannot be empty';
  }
  if (isJwtClaimHeader(name) || PSEUDO_HEADERS.includes(name) || HEADER_NAME.test(name)) {
    return undefined;
  }
  return `header name ${name} is not a valid header name`;
}

/** ValidateCORSHTTPHeaderName: `*` or a header name. */
export function corsHeaderNameProblem(name: string): string | undefined {
  if (name === '') {
    return 'header name cannot be empty';
  }
  return name === '*' || HEADER_NAME.test(name) ? undefined : `header name ${name} is not a valid header name`;
}

function isInternalHeader(name: string): boolean {
  return name.startsWith(':') || name.toLowerCase() === 'host';
}

export function isAuthorityHeader(name: string): boolean {
  return name.toLowerCase() === ':authority' || name.toLowerCase() === 'host';
}

/** ValidateHTTPHeaderWithAuthorityOperationName: a request header to add or set (`host`/`:authority` allowed). */
export function requestHeaderOperationProblem(name: string): string | undefined {
  if (name === '') {
    return 'header name cannot be empty';
  }
  return isInternalHeader(name) && !isAuthorityHeader(name) ? `invalid header "${name}": header cannot have ":" prefix` : undefined;
}

/** ValidateHTTPHeaderOperationName: a request header to remove, or a response header to add, set or remove. */
export function headerOperationProblem(name: string): string | undefined {
  if (name === '') {
    return 'header name cannot be empty';
  }
  if (name.toLowerCase() === 'host') {
    return `invalid header "${name}": cannot set Host header`;
  }
  return isInternalHeader(name) ? `invalid header "${name}": header cannot have ":" prefix` : undefined;
}

// eslint-disable-next-line no-control-regex
const HEADER_VALUE_CONTROL = /[\u0000-\u0008\u000A-\u001F\u007F]/;

/** ValidateHTTPHeaderValue: no control characters, and Envoy's `%VARIABLE%` syntax well-formed. */
export function headerValueProblem(value: string): string | undefined {
  if (HEADER_VALUE_CONTROL.test(value)) {
    return `header value configuration ${value} is invalid`;
  }
  const bad = headerFormatterProblem(value);
  return bad ? `header value configuration: ${bad}` : undefined;
}

type FormatterState = 'literal' | 'name' | 'array' | 'string-start' | 'string' | 'delimiter' | 'args-end' | 'var-end';

/** Envoy's header formatter grammar (`100%%`, `%HOSTNAME%`, `%VAR(["a", "b"])%`), as Istio's port of it reads it. */
function headerFormatterProblem(value: string): string | undefined {
  let state: FormatterState = 'literal';
  for (let pos = 0; pos < value.length; pos++) {
    const ch = value[pos];
    const hasNext = pos + 1 < value.length;
    switch (state) {
      case 'literal':
        if (ch === '%') {
          if (!hasNext) {
            return 'invalid header configuration. Un-escaped %';
          }
          if (value[pos + 1] === '%') {
            pos++;
          } else {
            state = 'name';
          }
        }
        break;
      case 'name':
        if (ch === '%') {
          state = 'literal';
        } else if (ch === '(') {
          state = 'array';
        }
        break;
      case 'array':
        if (ch === '[') {
          state = 'string-start';
        } else if (ch !== ' ') {
          state = 'string';
        }
        break;
      case 'delimiter':
        if (ch === ',') {
          state = 'string-start';
        } else if (ch === ']') {
          state = 'args-end';
        } else if (ch !== ' ') {
          return 'invalid header configuration. Expecting \',\', \']\', or whitespace';
        }
        break;
      case 'string-start':
        if (ch === '"') {
          state = 'string';
        } else if (ch !== ' ') {
          return 'invalid header configuration. Expecting \'"\'';
        }
        break;
      case 'string':
        if (ch === '\\') {
          if (!hasNext) {
            return 'invalid header configuration. Un-terminated backslash in JSON string';
          }
          pos++;
        } else if (ch === ')') {
          state = 'var-end';
        } else if (ch === '"') {
          state = 'delimiter';
        }
        break;
      case 'args-end':
        if (ch === ')') {
          state = 'var-end';
        } else if (ch !== ' ') {
          return 'invalid header configuration. Expecting \')\' or whitespace after \'{}\', but found \'{}\'';
        }
        break;
      case 'var-end':
        if (ch === '%') {
          state = 'literal';
        } else if (ch !== ' ') {
          return 'invalid header configuration. Expecting \'%\' or whitespace after';
        }
        break;
    }
  }
  return state === 'literal' ? undefined : `invalid header configuration. Un-terminated variable expression '${value}'`;
}

// --- labels (labels.Instance.Validate) ---

const TAG_KEY = /^((?:[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?)*\/)?((?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$/;
const TAG_VALUE = /^((?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** The problems of one label of a source-label map. */
export function labelProblems(key: string, value: unknown): string[] {
  const problems: string[] = [];
  const m = TAG_KEY.exec(key);
  if (!m) {
    problems.push(`invalid tag key: "${key}"`);
  } else if (m[1] && m[1].length - 1 > 253) {
    problems.push(`invalid tag key: "${key}" (DNS prefix is too long)`);
  } else if (m[2].length > 63) {
    problems.push(`invalid tag key: "${key}" (name is too long)`);
  }
  if (typeof value !== 'string' || !TAG_VALUE.test(value)) {
    problems.push(`invalid tag value: "${typeof value === 'string' ? value : String(value)}"`);
  }
  return problems;
}

// --- addresses ---

/** agent.ValidateIPSubnet: a CIDR block when it has exactly one slash, an IP otherwise. */
export function ipSubnetProblem(value: string): string | undefined {
  const parts = value.split('/');
  if (parts.length === 2) {
    // Go's netip.ParsePrefix also refuses bits with a leading zero (`/08`).
    return isCidr(value) && /^(0|[1-9]\d*)$/.test(parts[1]) ? undefined : `${value} is not a valid CIDR block`;
  }
  return isIpAddress(value) ? undefined : `${value} is not a valid IP`;
}

// --- Go number formatting, for messages ---

/** A float as Go's `%v` prints it (`150`, `1e-05`, `1.5e+06`). */
export function goFloat(x: number): string {
  if (!Number.isFinite(x)) {
    return x > 0 ? '+Inf' : x < 0 ? '-Inf' : 'NaN';
  }
  if (x === 0) {
    return '0';
  }
  const [mantissa, exponent] = x.toExponential().split('e');
  const exp = Number(exponent);
  if (exp < -4 || exp >= 6) {
    return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return String(x);
}

/** A float as Go's `%f` prints it (six decimals). */
export function goFixed(x: number): string {
  return x.toFixed(6);
}
