/**
 * What an http rule does besides routing, each finding in full (rule, severity, field, value, message, fix)
 * next to the closest input Istio 1.30.3 accepts: CORS, fault injection, mirroring, redirects, direct
 * responses, retries and rewrites. Conditions and messages follow validateCORSPolicy, validateAllowOrigins,
 * validateCORSHTTPMethod, validateHTTPFaultInjection(Abort|Delay), validateGRPCStatus, validatePercentage,
 * validateHTTPMirrors, validateHTTPRedirect, validateHTTPDirectResponse, validateHTTPRetry,
 * validateHTTPRewrite and validateURIRegexRewrite (pkg/config/validation/validation.go), the mirror
 * percentages of validateHTTPRoute (virtualservice.go), agent.ValidateDuration, the CRD's CEL duration rule,
 * Go's net/http status texts and strconv.Atoi. The rule modules are imported directly, so their tables load
 * with this file and not inside the first test.
 */
import { checkVirtualService } from '../../src/rules/virtual-service';
import { checkCorsPolicy } from '../../src/rules/virtual-service-policies';
import { assertValidIstioObjects } from '../support/crd-validator';
import { FindingRow, findingRows } from '../support/findings';

const HOST = 'api.example.com';
const ROUTE = [{ destination: { host: HOST } }];
/** A VirtualService with one http rule, written as given (add `route` yourself when the rule forwards). */
function vs(rule: Record<string, unknown>): any {
  return { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'routes', namespace: 'shop' }, spec: { hosts: [HOST], http: [rule] } };
}
/** An http rule that forwards to HOST, with more fields. */
const forwarding = (more: Record<string, unknown>) => vs({ route: ROUTE, ...more });

type Row = FindingRow;
const findings = (object: any): Row[] => findingRows(checkVirtualService(object));

/** Accepted by Istio: no finding, and the CRD schema with its CEL rules takes it too. */
function expectAccepted(object: any): void {
  expect(findings(object)).toEqual([]);
  assertValidIstioObjects([object]);
}

const H = 'spec.http[0]';
const DURATION_FIX = 'use a whole number of milliseconds of at least 1ms, e.g. 5s or 250ms';

describe('corsPolicy (VS27)', () => {
  const cors = (corsPolicy: Record<string, unknown>) => forwarding({ corsPolicy });
  const C = `${H}.corsPolicy`;

  test('the policy function is exported for the http rule and ignores a policy that is no object', () => {
    const out = { error: jest.fn(), warning: jest.fn() } as any;
    checkCorsPolicy({ out, isDelegate: false, gatewaySemantics: false, boundGateways: ['mesh'], namespace: 'shop' }, 'GET', C);
    expect(out.error).not.toHaveBeenCalled();
  });

  // The methods Go's net/http names (MethodGet ... MethodTrace), and `*`.
  test.each(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', '*'])('allowMethods %s is accepted', method => {
    expectAccepted(cors({ allowMethods: [method], allowOrigins: [{ exact: 'https://shop.example.com' }] }));
  });

  const methodFix = 'use upper-case method names: GET, HEAD, POST, PUT, PATCH, DELETE, CONNECT, OPTIONS, TRACE, *';
  test.each(['get', 'Post', 'PROPFIND', 'GET ', '**', ''])('allowMethods %j is refused', method => {
    expect(findings(cors({ allowMethods: ['GET', method] }))).toEqual([
      ['VS27', 'error', `${C}.allowMethods[1]`, method, `"${method}" is not a supported HTTP method`, methodFix],
    ]);
  });

  const originFix = 'give the origin a non-empty exact, prefix or RE2 regex match';
  test('allowOrigins: a non-empty exact, prefix or regex match is accepted', () => {
    expectAccepted(cors({ allowOrigins: [{ exact: 'https://shop.example.com' }, { prefix: 'https://' }, { regex: 'https://.*\\.example\\.com' }] }));
  });

  test('allowOrigins: an empty match, or one without a match type, is refused', () => {
    const empty = '\'\' is not a valid match type for CORS allow origins';
    expect(findings(cors({ allowOrigins: [{ exact: 'https://a.example.com' }, {}, { prefix: '' }, { regex: '' }] }))).toEqual([
      ['VS27', 'error', `${C}.allowOrigins[1]`, {}, empty, originFix],
      ['VS27', 'error', `${C}.allowOrigins[2]`, { prefix: '' }, empty, originFix],
      ['VS27', 'error', `${C}.allowOrigins[3]`, { regex: '' }, empty, originFix],
    ]);
    // A null entry (the schema refuses it) reads as an origin without a match.
    expect(findings(cors({ allowOrigins: [null] }))).toEqual([['VS27', 'error', `${C}.allowOrigins[0]`, null, empty, originFix]]);
  });

  test('allowOrigins: an entry that is no object (the old allowOrigin list of strings) does not decode', () => {
    expect(findings(cors({ allowOrigins: ['https://shop.example.com', 7] }))).toEqual([
      ['VS27', 'error', `${C}.allowOrigins[0]`, 'https://shop.example.com', 'cannot decode https://shop.example.com as an object', 'write an object here'],
      ['VS27', 'error', `${C}.allowOrigins[1]`, 7, 'cannot decode 7 as an object', 'write an object here'],
    ]);
  });

  const headerFix = 'use `*` or a header name of letters, digits and !#$%&\'*+-.^_`|~';
  test.each(['allowHeaders', 'exposeHeaders'])('%s: token names and `*` are accepted, others refused', key => {
    expectAccepted(cors({ [key]: ['x-request-id', '*', 'X_Custom.Header~1'] }));
    expect(findings(cors({ [key]: ['x-ok', 'bad header', '', 'x:y'] }))).toEqual([
      ['VS27', 'error', `${C}.${key}[1]`, 'bad header', 'header name bad header is not a valid header name', headerFix],
      ['VS27', 'error', `${C}.${key}[2]`, '', 'header name cannot be empty', headerFix],
      ['VS27', 'error', `${C}.${key}[3]`, 'x:y', 'header name x:y is not a valid header name', headerFix],
    ]);
  });

  test('maxAge in whole seconds is accepted', () => {
    expectAccepted(cors({ maxAge: '24h' }));
    expectAccepted(cors({ maxAge: '600s' }));
    expectAccepted(cors({ maxAge: '1m30s' }));
  });

  const maxAgeMessage = 'max_age duration is accurate only to seconds precision';
  const maxAgeFix = 'use whole seconds, e.g. 24h or 600s';
  test('maxAge with a fraction of a second is refused, whether or not it is in whole milliseconds', () => {
    expect(findings(cors({ maxAge: '1.5s' }))).toEqual([['VS27', 'error', `${C}.maxAge`, '1.5s', maxAgeMessage, maxAgeFix]]);
    expect(findings(cors({ maxAge: '1ms' }))).toEqual([['VS27', 'error', `${C}.maxAge`, '1ms', maxAgeMessage, maxAgeFix]]);
    expect(findings(cors({ maxAge: '10m0.25s' }))).toEqual([['VS27', 'error', `${C}.maxAge`, '10m0.25s', maxAgeMessage, maxAgeFix]]);
    // agent.ValidateDuration and the seconds check both report.
    expect(findings(cors({ maxAge: '1.5ms' }))).toEqual([
      ['VS24', 'error', `${C}.maxAge`, '1.5ms', 'only durations to ms precision are supported', DURATION_FIX],
      ['VS27', 'error', `${C}.maxAge`, '1.5ms', maxAgeMessage, maxAgeFix],
    ]);
  });

  test('maxAge under 1ms, or no duration, gets the CEL or parse message only (the API server refuses it before the webhook)', () => {
    expect(findings(cors({ maxAge: '0.5ms' }))).toEqual([
      ['VS24', 'error', `${C}.maxAge`, '0.5ms', 'must be a valid duration greater than 1ms', DURATION_FIX],
    ]);
    expect(findings(cors({ maxAge: '0s' }))).toEqual([
      ['VS24', 'error', `${C}.maxAge`, '0s', 'must be a valid duration greater than 1ms', DURATION_FIX],
    ]);
    expect(findings(cors({ maxAge: 'soon' }))).toEqual([
      ['VS24', 'error', `${C}.maxAge`, 'soon', 'time: invalid duration "soon"', DURATION_FIX],
    ]);
  });
});

describe('fault (VS28)', () => {
  const F = `${H}.fault`;
  const abort = (a: Record<string, unknown>) => forwarding({ fault: { abort: a } });
  const delay = (d: Record<string, unknown>) => forwarding({ fault: { delay: d } });
  const percentageFix = 'use a percentage of 0, or from 0.0001 to 100';

  test.each([0, 0.0001, 0.5, 100])('a percentage of %p is accepted for an abort and a delay', value => {
    expectAccepted(abort({ httpStatus: 503, percentage: { value } }));
    expectAccepted(delay({ fixedDelay: '2s', percentage: { value } }));
  });

  test.each([
    [100.0001, 'percentage 100.0001 is neither 0.0, nor in range [0.0001, 100.0]'],
    [101, 'percentage 101 is neither 0.0, nor in range [0.0001, 100.0]'],
    [0.00005, 'percentage 5e-05 is neither 0.0, nor in range [0.0001, 100.0]'],
    [-0.5, 'percentage -0.5 is neither 0.0, nor in range [0.0001, 100.0]'],
    [-1, 'percentage -1 is neither 0.0, nor in range [0.0001, 100.0]'],
  ])('a percentage of %p is refused', (value, message) => {
    expect(findings(abort({ httpStatus: 503, percentage: { value } }))).toEqual([
      ['VS28', 'error', `${F}.abort.percentage.value`, value, message, percentageFix],
    ]);
    expect(findings(delay({ fixedDelay: '2s', percentage: { value } }))).toEqual([
      ['VS28', 'error', `${F}.delay.percentage.value`, value, message, percentageFix],
    ]);
  });

  // google.golang.org/grpc/codes names, as pkg/util/grpc/codes.go spells them.
  test.each(['OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS', 'PERMISSION_DENIED',
    'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE', 'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS',
    'UNAUTHENTICATED'])('abort grpcStatus %s is accepted', grpcStatus => {
    expectAccepted(abort({ grpcStatus, percentage: { value: 10 } }));
  });

  test.each(['CANCELED', 'NotFound', 'unavailable', '14', 'UNAVAILABLE ', ''])('abort grpcStatus %j is refused', grpcStatus => {
    expect(findings(abort({ grpcStatus }))).toEqual([
      ['VS28', 'error', `${F}.abort.grpcStatus`, grpcStatus,
        `gRPC status "${grpcStatus}" is not supported. See https://github.com/grpc/grpc/blob/master/doc/statuscodes.md for a list of supported codes, for example 'NOT_FOUND'`,
        'use a gRPC status name such as UNAVAILABLE'],
    ]);
  });

  test('abort http2Error is refused (not supported yet); an abort with no error type only warns, and the warning is dropped', () => {
    expect(findings(abort({ http2Error: 'REFUSED_STREAM' }))).toEqual([
      ['VS28', 'error', `${F}.abort.http2Error`, 'REFUSED_STREAM', 'HTTP/2 abort fault injection not supported yet', 'abort with httpStatus or grpcStatus'],
    ]);
    expectAccepted(abort({ percentage: { value: 10 } }));
  });

  test('abort httpStatus from 200 to 600 is accepted; outside refused', () => {
    expectAccepted(abort({ httpStatus: 200 }));
    expectAccepted(abort({ httpStatus: 600 }));
    for (const httpStatus of [199, 601, 0]) {
      expect(findings(abort({ httpStatus }))).toEqual([
        ['VS28', 'error', `${F}.abort.httpStatus`, httpStatus, `HTTP status ${httpStatus} is not in range 200-599`, 'use an HTTP status from 200 to 599'],
      ]);
    }
  });

  test('a fault with neither abort nor delay is refused', () => {
    expect(findings(forwarding({ fault: {} }))).toEqual([
      ['VS28', 'error', F, {}, 'HTTP fault injection must have an abort and/or a delay', 'add an abort or a delay, or remove fault'],
    ]);
  });

  test('delay exponentialDelay is refused (not supported yet), with its duration checked too; a delay with no type is accepted', () => {
    const notSupported: Row = ['VS28', 'error', `${F}.delay.exponentialDelay`, '1s', 'exponentialDelay not supported yet', 'use fixedDelay'];
    expect(findings(delay({ exponentialDelay: '1s' }))).toEqual([notSupported]);
    expect(findings(delay({ exponentialDelay: '1.5ms' }))).toEqual([
      ['VS24', 'error', `${F}.delay.exponentialDelay`, '1.5ms', 'only durations to ms precision are supported', DURATION_FIX],
      ['VS28', 'error', `${F}.delay.exponentialDelay`, '1.5ms', 'exponentialDelay not supported yet', 'use fixedDelay'],
    ]);
    expect(findings(delay({ fixedDelay: '1.5ms' }))).toEqual([
      ['VS24', 'error', `${F}.delay.fixedDelay`, '1.5ms', 'only durations to ms precision are supported', DURATION_FIX],
    ]);
    expectAccepted(delay({ percentage: { value: 10 } }));
  });
});

describe('mirroring (VS29)', () => {
  const deprecated = 'using deprecated setting "mirrorPercent", use "mirrorPercentage" instead';
  const MIRROR = { host: 'audit.example.com' };

  test.each(['mirrorPercent', 'mirror_percent'])('%s up to 100 only warns that it is deprecated; past 100 is refused', key => {
    const warning = (value: number): Row => ['VS29', 'warning', `${H}.${key}`, value, deprecated, `write mirrorPercentage: { value: ${value} }`];
    expect(findings(forwarding({ mirror: MIRROR, [key]: 100 }))).toEqual([warning(100)]);
    assertValidIstioObjects([forwarding({ mirror: MIRROR, [key]: 100 })]);
    expect(findings(forwarding({ mirror: MIRROR, [key]: 0 }))).toEqual([warning(0)]);
    expect(findings(forwarding({ mirror: MIRROR, [key]: 101 }))).toEqual([
      ['VS29', 'error', `${H}.${key}`, 101, 'mirror_percent must have a max value of 100 (it has 101)', 'use a percentage from 0 to 100'],
      warning(101),
    ]);
    // Not an integer: the schema refuses it; the rule still reads it as past 100.
    expect(findings(forwarding({ mirror: MIRROR, [key]: 100.5 }))).toEqual([
      ['VS29', 'error', `${H}.${key}`, 100.5, 'mirror_percent must have a max value of 100 (it has 100.5)', 'use a percentage from 0 to 100'],
      warning(100.5),
    ]);
  });

  test('mirrorPercentage from 0 to 100 is accepted; outside refused', () => {
    expectAccepted(forwarding({ mirror: MIRROR, mirrorPercentage: { value: 100 } }));
    expectAccepted(forwarding({ mirror: MIRROR, mirrorPercentage: { value: 0 } }));
    expect(findings(forwarding({ mirror: MIRROR, mirrorPercentage: { value: 100.5 } }))).toEqual([
      ['VS29', 'error', `${H}.mirrorPercentage.value`, 100.5, 'mirror_percentage must have a max value of 100 (it has 100.500000)', 'use a percentage from 0 to 100'],
    ]);
    expect(findings(forwarding({ mirror: MIRROR, mirrorPercentage: { value: -1 } }))).toEqual([
      ['VS29', 'error', `${H}.mirrorPercentage.value`, -1, 'mirror_percentage must have a min value of 0 (it has -1.000000)', 'use a percentage from 0 to 100'],
    ]);
  });

  test('mirrors: percentages from 0 to 100 are accepted; outside refused', () => {
    expectAccepted(forwarding({ mirrors: [{ destination: MIRROR, percentage: { value: 100 } }, { destination: MIRROR, percentage: { value: 0 } }] }));
    const mirrors = [{ destination: MIRROR, percentage: { value: 100.5 } }, { destination: MIRROR, percentage: { value: -2 } }];
    expect(findings(forwarding({ mirrors }))).toEqual([
      ['VS29', 'error', `${H}.mirrors[0].percentage.value`, 100.5, 'mirror percentage must have a max value of 100 (it has 100.500000)', 'use a percentage from 0 to 100'],
      ['VS29', 'error', `${H}.mirrors[1].percentage.value`, -2, 'mirror percentage must have a min value of 0 (it has -2.000000)', 'use a percentage from 0 to 100'],
    ]);
  });

  test('mirrors: an entry without a destination is refused, and one that is no object does not decode', () => {
    expect(findings(forwarding({ mirrors: [{ percentage: { value: 5 } }] }))).toEqual([
      ['VS29', 'error', `${H}.mirrors[0].destination`, null, 'destination is required for mirrors', 'give the mirror a destination host'],
    ]);
    expect(findings(forwarding({ mirrors: ['audit.example.com', { destination: MIRROR }, 3] }))).toEqual([
      ['VS29', 'error', `${H}.mirrors[0]`, 'audit.example.com', 'cannot decode audit.example.com as an object', 'write an object here'],
      ['VS29', 'error', `${H}.mirrors[2]`, 3, 'cannot decode 3 as an object', 'write an object here'],
    ]);
  });
});

describe('redirect (VS30)', () => {
  const R = `${H}.redirect`;
  const redirect = (r: Record<string, unknown>) => vs({ redirect: r });

  test('a redirect that sets a uri, authority, scheme, port or derivePort is accepted', () => {
    for (const r of [{ uri: '/v2' }, { authority: 'new.example.com' }, { scheme: 'https' }, { scheme: 'http' }, { port: 8443 },
      { port: 0 }, { derivePort: 'FROM_REQUEST_PORT' }]) {
      expectAccepted(redirect(r));
    }
  });

  test('a redirect with nothing to change is refused, whatever its code', () => {
    for (const r of [{}, { redirectCode: 301 }, { uri: '', authority: '', scheme: '' }]) {
      expect(findings(redirect(r))).toEqual([
        ['VS30', 'error', R, r, 'redirect must specify URI, authority, scheme, or port', 'set uri, authority, scheme, port or derivePort'],
      ]);
    }
  });

  test.each([0, 300, 301, 308, 399])('redirectCode %p is accepted', redirectCode => {
    expectAccepted(redirect({ uri: '/v2', redirectCode }));
  });

  test.each([299, 400, 200, 1])('redirectCode %p is refused', redirectCode => {
    expect(findings(redirect({ uri: '/v2', redirectCode }))).toEqual([
      ['VS30', 'error', `${R}.redirectCode`, redirectCode, `${redirectCode} is not a valid redirect code, must be 3xx`, 'use a 3xx code such as 301 or 302'],
    ]);
  });

  test.each(['ftp', 'HTTPS', 'Http', 'https:'])('scheme %j is refused', scheme => {
    expect(findings(redirect({ scheme }))).toEqual([
      ['VS30', 'error', `${R}.scheme`, scheme, 'invalid redirect scheme, must be "http" or "https"', 'use http or https (lower case)'],
    ]);
  });

  test('only the first problem is reported: the code before the scheme', () => {
    expect(findings(redirect({ scheme: 'ftp', redirectCode: 200 }))).toEqual([
      ['VS30', 'error', `${R}.redirectCode`, 200, '200 is not a valid redirect code, must be 3xx', 'use a 3xx code such as 301 or 302'],
    ]);
  });
});

describe('directResponse body size (VS31)', () => {
  const KIB = 1024;
  const D = `${H}.directResponse`;
  const respond = (body: Record<string, unknown>) => vs({ directResponse: { status: 200, body } });
  const base64Of = (n: number) => Buffer.alloc(n, 0x61).toString('base64');
  const warning = (size: number): Row => ['VS31', 'warning', `${D}.body`, `${size} bytes`, 'large direct_responses may impact control plane performance',
    'keep direct response bodies under 100KB'];
  const error = (size: number): Row => ['VS31', 'error', `${D}.body`, `${size} bytes`,
    'large direct_responses may impact control plane performance, must be less than 1MB', 'serve large bodies from a service, not from the route'];

  test('a string body of up to 100KiB is accepted; past it warns; past 1MiB is refused', () => {
    expectAccepted(respond({ string: 'a'.repeat(100 * KIB) }));
    expect(findings(respond({ string: 'a'.repeat(100 * KIB + 1) }))).toEqual([warning(100 * KIB + 1)]);
    expect(findings(respond({ string: 'a'.repeat(1024 * KIB) }))).toEqual([warning(1024 * KIB)]);
    expect(findings(respond({ string: 'a'.repeat(1024 * KIB + 1) }))).toEqual([error(1024 * KIB + 1)]);
  });

  test('a string body is counted in UTF-8 bytes', () => {
    expect(findings(respond({ string: 'é'.repeat(50 * KIB) }))).toEqual([]);
    expect(findings(respond({ string: 'é'.repeat(50 * KIB + 1) }))).toEqual([warning(100 * KIB + 2)]);
  });

  test('a bytes body is counted once decoded from base64', () => {
    expectAccepted(respond({ bytes: base64Of(100 * KIB) }));
    expect(findings(respond({ bytes: base64Of(100 * KIB + 1) }))).toEqual([warning(100 * KIB + 1)]);
    expect(findings(respond({ bytes: base64Of(1024 * KIB) }))).toEqual([warning(1024 * KIB)]);
    expect(findings(respond({ bytes: base64Of(1024 * KIB + 1) }))).toEqual([error(1024 * KIB + 1)]);
  });

  test('an empty body, or one with neither string nor bytes, is accepted', () => {
    expectAccepted(respond({}));
    expectAccepted(respond({ string: '' }));
  });
});

describe('retries (VS32)', () => {
  const retries = (r: Record<string, unknown>) => forwarding({ retries: r });
  const retryFix = 'separate Envoy retry conditions (5xx, connect-failure, reset, ...) or status codes with commas, without spaces';
  const invalid = (retryOn: string, policy: string): Row => ['VS32', 'error', `${H}.retries.retryOn`, retryOn, `"${policy}" is not a valid retryOn policy`, retryFix];

  // Envoy's x-envoy-retry-on and x-envoy-retry-grpc-on conditions that Istio lists.
  test.each(['5xx', 'gateway-error', 'reset', 'reset-before-request', 'connect-failure', 'retriable-4xx', 'refused-stream',
    'retriable-status-codes', 'retriable-headers', 'envoy-ratelimited', 'http3-post-connect-failure',
    'cancelled', 'deadline-exceeded', 'internal', 'resource-exhausted', 'unavailable'])('retryOn %s is accepted', retryOn => {
    expectAccepted(retries({ attempts: 3, retryOn }));
  });

  test.each(['5XX', 'retriable-5xx', 'gateway_error', 'connect-failures', 'canceled', 'UNAVAILABLE'])('retryOn %j is refused', policy => {
    expect(findings(retries({ attempts: 3, retryOn: `reset,${policy}` }))).toEqual([invalid(`reset,${policy}`, policy)]);
  });

  test('a status code Go has a text for is accepted, as strconv.Atoi reads it (a sign, leading zeros)', () => {
    for (const retryOn of ['503', '418', '+503', '0503', 'gateway-error,503,429']) {
      expectAccepted(retries({ attempts: 3, retryOn }));
    }
  });

  test.each(['-503', '599', '0', ' 503', '503 ', '503x', 'x503', '0x1F7', '5_03', '5e2', '+', ''])('retryOn entry %j is refused', policy => {
    expect(findings(retries({ attempts: 3, retryOn: `5xx,${policy}` }))).toEqual([invalid(`5xx,${policy}`, policy)]);
  });

  test('a space after a comma makes the next entry invalid', () => {
    expect(findings(retries({ attempts: 3, retryOn: 'connect-failure, 503' }))).toEqual([invalid('connect-failure, 503', ' 503')]);
  });

  test('perTryTimeout and backoff are durations of whole milliseconds', () => {
    expectAccepted(retries({ attempts: 3, perTryTimeout: '2s', backoff: '25ms' }));
    expect(findings(retries({ attempts: 3, perTryTimeout: '1.5ms', backoff: '2.5ms' }))).toEqual([
      ['VS24', 'error', `${H}.retries.perTryTimeout`, '1.5ms', 'only durations to ms precision are supported', DURATION_FIX],
      ['VS24', 'error', `${H}.retries.backoff`, '2.5ms', 'only durations to ms precision are supported', DURATION_FIX],
    ]);
  });
});

describe('rewrite (VS33)', () => {
  const W = `${H}.rewrite`;
  const rewrite = (r: Record<string, unknown>) => forwarding({ rewrite: r });
  const nothing = 'rewrite must specify at least one of URI, UriRegexRewrite, or authority. Only one of URI or UriRegexRewrite may be specified';
  const nothingFix = 'set uri, uriRegexRewrite or authority, or remove rewrite';

  test('a rewrite of the uri, the authority, or by regex is accepted', () => {
    expectAccepted(rewrite({ uri: '/v2' }));
    expectAccepted(rewrite({ authority: 'internal.example.com' }));
    expectAccepted(rewrite({ uriRegexRewrite: { match: '^/old(/.*)?$', rewrite: '/new\\1' } }));
    expectAccepted(rewrite({ uri: '/v2', authority: 'internal.example.com' }));
  });

  test('a rewrite with nothing set is refused', () => {
    for (const r of [{}, { uri: '', authority: '' }]) {
      expect(findings(rewrite(r))).toEqual([['VS33', 'error', W, r, nothing, nothingFix]]);
    }
  });

  test('uri and uriRegexRewrite together are refused', () => {
    const r = { uri: '/v2', uriRegexRewrite: { match: '^/a', rewrite: '/b' } };
    expect(findings(rewrite(r))).toEqual([
      ['VS33', 'error', W, r, 'rewrite may only contain one of URI or UriRegexRewrite', 'keep either uri or uriRegexRewrite'],
    ]);
  });

  test('uriRegexRewrite needs both a match and a rewrite', () => {
    const both = 'UriRegexRewrite has errors: UriRegexRewrite requires both Rewrite and Match fields to be specified';
    for (const regexRewrite of [{ match: '', rewrite: '/b' }, { match: '^/a', rewrite: '' }, { match: '^/a' }, { rewrite: '/b' }, {}]) {
      expect(findings(rewrite({ uriRegexRewrite: regexRewrite }))).toEqual([
        ['VS33', 'error', `${W}.uriRegexRewrite`, regexRewrite, both, 'give both match (an RE2 regex) and rewrite'],
      ]);
    }
  });
});
