/**
 * Value syntax the VirtualService webhook checks: RE2 regular expressions, HTTP header names and values,
 * and Go's number formatting for Istio's messages.
 * Each check returns Istio's message, or undefined when the value is fine.
 */
import { goEqualFold, goQuote } from './finding';

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
  return name.startsWith(':') || goEqualFold(name, 'host');
}

export function isAuthorityHeader(name: string): boolean {
  return goEqualFold(name, ':authority') || goEqualFold(name, 'host');
}

/** ValidateHTTPHeaderWithAuthorityOperationName: a request header to add or set (`host`/`:authority` allowed). */
export function requestHeaderOperationProblem(name: string): string | undefined {
  if (name === '') {
    return 'header name cannot be empty';
  }
  return isInternalHeader(name) && !isAuthorityHeader(name) ? `invalid header ${goQuote(name)}: header cannot have ":" prefix` : undefined;
}

/** ValidateHTTPHeaderOperationName: a request header to remove, or a response header to add, set or remove. */
export function headerOperationProblem(name: string): string | undefined {
  if (name === '') {
    return 'header name cannot be empty';
  }
  if (goEqualFold(name, 'host')) {
    return `invalid header ${goQuote(name)}: cannot set Host header`;
  }
  return isInternalHeader(name) ? `invalid header ${goQuote(name)}: header cannot have ":" prefix` : undefined;
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

/**
 * A float as Go's `%f` prints it: six decimals of the exact binary value, an exact tie rounded to even
 * (`toFixed` rounds it up, and writes large numbers with an exponent).
 */
export function goFixed(x: number): string {
  if (!Number.isFinite(x)) {
    return x > 0 ? '+Inf' : x < 0 ? '-Inf' : 'NaN';
  }
  // |x| = mantissa * 2^exponent with an integer mantissa (dividing by a power of two is exact); scaled by 10^6
  // and divided with BigInt, nothing is lost.
  const abs = Math.abs(x);
  let exponent = abs === 0 ? 0 : Math.max(Math.floor(Math.log2(abs)) - 52, -1074);
  while (!Number.isInteger(abs / 2 ** exponent)) {
    exponent--;
  }
  const scaled = BigInt(abs / 2 ** exponent) * 10n ** 6n;
  let units: bigint;
  if (exponent >= 0) {
    units = scaled * 2n ** BigInt(exponent);
  } else {
    const divisor = 2n ** BigInt(-exponent);
    units = scaled / divisor;
    const twice = (scaled % divisor) * 2n;
    if (twice > divisor || (twice === divisor && units % 2n === 1n)) {
      units += 1n;
    }
  }
  const digits = units.toString().padStart(7, '0');
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  return `${sign}${digits.slice(0, -6)}.${digits.slice(-6)}`;
}
