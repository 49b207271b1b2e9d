/**
 * What an http rule does besides matching and routing: CORS, fault injection, mirroring,
 * redirects, direct responses, retries and rewrites (validateCORSPolicy, validateHTTPFaultInjection,
 * validateHTTPMirrors, validateHTTPRedirect, validateHTTPDirectResponse, validateHTTPRetry and
 * validateHTTPRewrite in Istio's pkg/config/validation/validation.go and virtualservice.go).
 */
import { parseGoDuration } from './durations';
import { asArray, goQuote, isRecord, show } from './finding';
import { checkPortNumber } from './names';
import { VsContext, asMessage, checkDestination, checkDuration, isSet, numberOr0, stringOrEmpty } from './virtual-service-parts';
import { matchKind, regexProblem, stringMatchRegexProblem } from './virtual-service-regex';
import { corsHeaderNameProblem, goFixed, goFloat } from './virtual-service-syntax';

const CORS_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', '*'];
const GRPC_STATUSES = ['OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS',
  'PERMISSION_DENIED', 'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE', 'UNIMPLEMENTED', 'INTERNAL',
  'UNAVAILABLE', 'DATA_LOSS', 'UNAUTHENTICATED'];
const RETRY_ON = ['5xx', 'gateway-error', 'reset', 'reset-before-request', 'connect-failure', 'retriable-4xx', 'refused-stream',
  'retriable-status-codes', 'retriable-headers', 'envoy-ratelimited', 'http3-post-connect-failure',
  'cancelled', 'deadline-exceeded', 'internal', 'resource-exhausted', 'unavailable'];
// The status codes Go's net/http has a text for (a retryOn entry may be one).
const HTTP_STATUS_CODES = new Set([100, 101, 102, 103, 200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 300, 301, 302, 303, 304, 305,
  307, 308, 400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418, 421, 422, 423, 424, 425,
  426, 428, 429, 431, 451, 500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511]);
const KB = 1024;
const MB = 1024 * KB;

/** validateCORSPolicy (VS27). */
export function checkCorsPolicy(ctx: VsContext, policy: unknown, field: string): void {
  if (!isRecord(policy)) {
    return;
  }
  const { out } = ctx;
  asArray(policy.allowOrigins).forEach((item, k) => {
    const at = `${field}.allowOrigins[${k}]`;
    // A null entry decodes as an empty match; anything else that is no object does not decode.
    const origin = asMessage(out, 'VS27', item, at);
    if (!origin) {
      return;
    }
    const m = matchKind(origin);
    const bad = !m || m.value === '' ? '\'\' is not a valid match type for CORS allow origins' : stringMatchRegexProblem(origin, 'corsPolicy.allowOrigins');
    if (bad) {
      out.error('VS27', at, item, bad, 'give the origin a non-empty exact, prefix or RE2 regex match');
    }
  });
  asArray(policy.allowMethods).forEach((method, k) => {
    if (!CORS_METHODS.includes(method)) {
      out.error('VS27', `${field}.allowMethods[${k}]`, method, `${goQuote(show(method))} is not a supported HTTP method`, `use upper-case method names: ${CORS_METHODS.join(', ')}`);
    }
  });
  for (const key of ['allowHeaders', 'exposeHeaders']) {
    asArray(policy[key]).forEach((name, k) => {
      const bad = typeof name === 'string' ? corsHeaderNameProblem(name) : undefined;
      if (bad) {
        out.error('VS27', `${field}.${key}[${k}]`, name, bad, 'use `*` or a header name of letters, digits and !#$%&\'*+-.^_`|~');
      }
    });
  }
  if (isSet(policy.maxAge)) {
    checkDuration(out, policy.maxAge, `${field}.maxAge`);
    // Past the CRD's CEL rule (at least 1ms), any fraction of a second is refused too, next to what
    // agent.ValidateDuration says (MaxAge.Nanos > 0).
    const ns = parseGoDuration(policy.maxAge) ?? 0;
    if (ns >= 1e6 && ns % 1e9 !== 0) {
      out.error('VS27', `${field}.maxAge`, policy.maxAge, 'max_age duration is accurate only to seconds precision', 'use whole seconds, e.g. 24h or 600s');
    }
  }
}

/** validatePercentage: 0, or 0.0001..100. */
function percentageProblem(percentage: unknown): string | undefined {
  if (!isRecord(percentage)) {
    return undefined;
  }
  const value = numberOr0(percentage.value);
  return value < 0 || value > 100 || (value > 0 && value < 0.0001) ? `percentage ${goFloat(value)} is neither 0.0, nor in range [0.0001, 100.0]` : undefined;
}

/** validateHTTPStatus: 200..600 (Istio's message says 200-599). */
function httpStatusProblem(status: number): string | undefined {
  return status < 200 || status > 600 ? `HTTP status ${status} is not in range 200-599` : undefined;
}

/** validateHTTPFaultInjection (VS28). */
export function checkFault(ctx: VsContext, fault: unknown, field: string): void {
  if (!isRecord(fault)) {
    return;
  }
  const { out } = ctx;
  const percentageFix = 'use a percentage of 0, or from 0.0001 to 100';
  if (!isSet(fault.abort) && !isSet(fault.delay)) {
    out.error('VS28', field, fault, 'HTTP fault injection must have an abort and/or a delay', 'add an abort or a delay, or remove fault');
  }
  const abort = fault.abort;
  if (isRecord(abort)) {
    const badPercentage = percentageProblem(abort.percentage);
    if (badPercentage) {
      out.error('VS28', `${field}.abort.percentage.value`, abort.percentage.value, badPercentage, percentageFix);
    }
    if (isSet(abort.httpStatus)) {
      const bad = httpStatusProblem(numberOr0(abort.httpStatus));
      if (bad) {
        out.error('VS28', `${field}.abort.httpStatus`, abort.httpStatus, bad, 'use an HTTP status from 200 to 599');
      }
    } else if (isSet(abort.grpcStatus)) {
      if (!GRPC_STATUSES.includes(abort.grpcStatus)) {
        out.error('VS28', `${field}.abort.grpcStatus`, abort.grpcStatus,
          `gRPC status ${goQuote(show(abort.grpcStatus))} is not supported. See https://github.com/grpc/grpc/blob/master/doc/statuscodes.md for a list of supported codes, for example 'NOT_FOUND'`,
          'use a gRPC status name such as UNAVAILABLE');
      }
    } else if (isSet(abort.http2Error)) {
      out.error('VS28', `${field}.abort.http2Error`, abort.http2Error, 'HTTP/2 abort fault injection not supported yet', 'abort with httpStatus or grpcStatus');
    }
    // An abort without an error type gets a warning that Istio drops on the way (validateHTTPFaultInjection keeps errors only).
  }
  const delay = fault.delay;
  if (isRecord(delay)) {
    const badPercentage = percentageProblem(delay.percentage);
    if (badPercentage) {
      out.error('VS28', `${field}.delay.percentage.value`, delay.percentage.value, badPercentage, percentageFix);
    }
    if (isSet(delay.fixedDelay)) {
      checkDuration(out, delay.fixedDelay, `${field}.delay.fixedDelay`);
    } else if (isSet(delay.exponentialDelay)) {
      checkDuration(out, delay.exponentialDelay, `${field}.delay.exponentialDelay`);
      out.error('VS28', `${field}.delay.exponentialDelay`, delay.exponentialDelay, 'exponentialDelay not supported yet', 'use fixedDelay');
    }
  }
}

/** mirror, mirrors and their percentages (VS29; the destinations VS9..VS12). */
export function checkMirrors(ctx: VsContext, route: Record<string, any>, field: string): void {
  const { out } = ctx;
  const mirrorPercent = isSet(route.mirrorPercent) ? route.mirrorPercent : route.mirror_percent;
  if (isSet(mirrorPercent)) {
    const key = isSet(route.mirrorPercent) ? 'mirrorPercent' : 'mirror_percent';
    if (numberOr0(mirrorPercent) > 100) {
      out.error('VS29', `${field}.${key}`, mirrorPercent, `mirror_percent must have a max value of 100 (it has ${numberOr0(mirrorPercent)})`, 'use a percentage from 0 to 100');
    }
    out.warning('VS29', `${field}.${key}`, mirrorPercent, 'using deprecated setting "mirrorPercent", use "mirrorPercentage" instead',
      `write mirrorPercentage: { value: ${show(mirrorPercent)} }`);
  }
  const checkPercentage = (percentage: unknown, at: string, name: string) => {
    if (!isRecord(percentage)) {
      return;
    }
    const value = numberOr0(percentage.value);
    if (value > 100) {
      out.error('VS29', `${at}.value`, value, `${name} must have a max value of 100 (it has ${goFixed(value)})`, 'use a percentage from 0 to 100');
    }
    if (value < 0) {
      out.error('VS29', `${at}.value`, value, `${name} must have a min value of 0 (it has ${goFixed(value)})`, 'use a percentage from 0 to 100');
    }
  };
  checkPercentage(route.mirrorPercentage, `${field}.mirrorPercentage`, 'mirror_percentage');
  checkDestination(out, route.mirror, `${field}.mirror`);
  asArray(route.mirrors).forEach((item, k) => {
    const at = `${field}.mirrors[${k}]`;
    const mirror = asMessage(out, 'VS29', item, at);
    if (!mirror) {
      return;
    }
    if (!isSet(mirror.destination)) {
      out.error('VS29', `${at}.destination`, mirror.destination, 'destination is required for mirrors', 'give the mirror a destination host');
      return;
    }
    checkDestination(out, mirror.destination, `${at}.destination`);
    checkPercentage(mirror.percentage, `${at}.percentage`, 'mirror percentage');
  });
}

/** validateHTTPRedirect: Istio reports the first problem only (VS30). */
export function checkRedirect(ctx: VsContext, redirect: unknown, field: string): void {
  if (!isRecord(redirect)) {
    return;
  }
  const uri = stringOrEmpty(redirect.uri);
  const authority = stringOrEmpty(redirect.authority);
  const scheme = stringOrEmpty(redirect.scheme);
  const code = numberOr0(redirect.redirectCode);
  const port = numberOr0(redirect.port);
  const problem: [string, unknown, string, string] | undefined =
    uri === '' && authority === '' && !isSet(redirect.port) && !isSet(redirect.derivePort) && scheme === ''
      ? [field, redirect, 'redirect must specify URI, authority, scheme, or port', 'set uri, authority, scheme, port or derivePort']
      : code !== 0 && (code < 300 || code > 399)
        ? [`${field}.redirectCode`, code, `${code} is not a valid redirect code, must be 3xx`, 'use a 3xx code such as 301 or 302']
        : scheme !== '' && scheme !== 'http' && scheme !== 'https'
          ? [`${field}.scheme`, scheme, 'invalid redirect scheme, must be "http" or "https"', 'use http or https (lower case)']
          : port > 0 && checkPortNumber(port)
            ? [`${field}.port`, port, checkPortNumber(port)!, 'use a port number from 1 to 65535']
            : undefined;
  if (problem) {
    ctx.out.error('VS30', ...problem);
  }
}

/** validateHTTPDirectResponse: status and body size (VS31). */
export function checkDirectResponse(ctx: VsContext, response: unknown, field: string): void {
  if (!isRecord(response)) {
    return;
  }
  const body = response.body;
  if (isRecord(body)) {
    const size = typeof body.string === 'string' ? Buffer.byteLength(body.string, 'utf8')
      : typeof body.bytes === 'string' ? Buffer.from(body.bytes, 'base64').length : 0;
    if (size > MB) {
      ctx.out.error('VS31', `${field}.body`, `${size} bytes`, 'large direct_responses may impact control plane performance, must be less than 1MB',
        'serve large bodies from a service, not from the route');
    } else if (size > 100 * KB) {
      ctx.out.warning('VS31', `${field}.body`, `${size} bytes`, 'large direct_responses may impact control plane performance',
        'keep direct response bodies under 100KB');
    }
  }
  const bad = httpStatusProblem(numberOr0(response.status));
  if (bad) {
    ctx.out.error('VS31', `${field}.status`, response.status, bad, 'use an HTTP status from 200 to 599');
  }
}

/** A retryOn entry: an HTTP status code Go knows, or a policy Envoy knows. */
function isRetryOnPolicy(policy: string): boolean {
  const code = /^[+-]?\d+$/.test(policy) ? Number(policy) : 0;
  return HTTP_STATUS_CODES.has(code) || RETRY_ON.includes(policy);
}

/** validateHTTPRetry (VS32; the durations VS24). */
export function checkRetries(ctx: VsContext, retries: unknown, field: string): void {
  if (!isRecord(retries)) {
    return;
  }
  const { out } = ctx;
  const attempts = numberOr0(retries.attempts);
  const retryOn = stringOrEmpty(retries.retryOn);
  if (attempts < 0) {
    out.error('VS32', `${field}.attempts`, attempts, 'attempts cannot be negative', 'use 0 to disable retries, or a positive number');
  }
  if (attempts === 0 && (isSet(retries.perTryTimeout) || retryOn !== '' || isSet(retries.retryRemoteLocalities))) {
    out.error('VS32', `${field}.attempts`, retries.attempts, 'http retry policy configured when attempts are set to 0 (disabled)',
      'set attempts to the number of retries, or remove the retry settings');
  }
  checkDuration(out, retries.perTryTimeout, `${field}.perTryTimeout`);
  if (retryOn !== '') {
    for (const policy of retryOn.split(',')) {
      if (!isRetryOnPolicy(policy)) {
        out.error('VS32', `${field}.retryOn`, retryOn, `${goQuote(policy)} is not a valid retryOn policy`,
          'separate Envoy retry conditions (5xx, connect-failure, reset, ...) or status codes with commas, without spaces');
      }
    }
  }
  checkDuration(out, retries.backoff, `${field}.backoff`);
}

/** validateHTTPRewrite: Istio reports the first problem only (VS33). */
export function checkRewrite(ctx: VsContext, rewrite: unknown, field: string): void {
  if (!isRecord(rewrite)) {
    return;
  }
  const uri = stringOrEmpty(rewrite.uri);
  const regexRewrite = rewrite.uriRegexRewrite;
  if (uri !== '' && isSet(regexRewrite)) {
    ctx.out.error('VS33', field, rewrite, 'rewrite may only contain one of URI or UriRegexRewrite', 'keep either uri or uriRegexRewrite');
    return;
  }
  if (uri === '' && !isSet(regexRewrite) && stringOrEmpty(rewrite.authority) === '') {
    ctx.out.error('VS33', field, rewrite, 'rewrite must specify at least one of URI, UriRegexRewrite, or authority. Only one of URI or UriRegexRewrite may be specified',
      'set uri, uriRegexRewrite or authority, or remove rewrite');
    return;
  }
  if (isRecord(regexRewrite)) {
    const match = stringOrEmpty(regexRewrite.match);
    const bad = match === '' || stringOrEmpty(regexRewrite.rewrite) === ''
      ? 'UriRegexRewrite requires both Rewrite and Match fields to be specified'
      : regexProblem(match, 'HTTPRewrite.UriRegexRewrite.Match');
    if (bad) {
      ctx.out.error('VS33', `${field}.uriRegexRewrite`, regexRewrite, `UriRegexRewrite has errors: ${bad}`, 'give both match (an RE2 regex) and rewrite');
    }
  }
}
