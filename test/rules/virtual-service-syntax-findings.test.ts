/**
 * The value syntax a VirtualService's http rules are held to, with Istio 1.30.3's exact messages: header
 * names (ValidateHTTPHeaderNameOrJwtClaimRoute, ValidateCORSHTTPHeaderName,
 * ValidateHTTPHeaderWithAuthorityOperationName, ValidateHTTPHeaderOperationName in
 * pkg/config/validation/validation.go, with isInternalHeader / isAuthorityHeader of virtualservice.go and
 * jwt.ToRoutingClaim of pkg/jwt/routing.go), header values (ValidateHTTPHeaderValue, and validateHeaderValue
 * of pkg/config/validation/header_value_validator.go, Istio's port of Envoy's header formatter parser), and
 * Go's `%v` / `%f` number formatting the messages use. The rule module is imported directly, so its
 * constants load with this file; the findings through checkVirtualService are asserted in full next to the
 * closest input Istio accepts.
 */
import { checkVirtualService } from '../../src/rules/virtual-service';
import {
  corsHeaderNameProblem, goFixed, goFloat, headerOperationProblem, headerValueProblem, isAuthorityHeader, isJwtClaimHeader,
  matchHeaderNameProblem, requestHeaderOperationProblem,
} from '../../src/rules/virtual-service-syntax';
import { assertValidIstioObjects } from '../support/crd-validator';
import { FindingRow, findingRows } from '../support/findings';

const HOST = 'api.example.com';
const route = [{ destination: { host: HOST } }];
const vs = (http: unknown[], gateways?: string[]): any => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'routes', namespace: 'shop' },
  spec: { hosts: [HOST], ...(gateways ? { gateways } : {}), http },
});
const findings = (object: any): FindingRow[] => findingRows(checkVirtualService(object));

/** Accepted by Istio: no finding, and the CRD schema with its CEL rules takes it too. */
function expectAccepted(object: any): void {
  expect(findings(object)).toEqual([]);
  assertValidIstioObjects([object]);
}

const H0 = 'spec.http[0]';
const NAME_FIX = 'use a header name of letters, digits and !#$%&\'*+-.^_`|~';
const VALUE_FIX = 'write % as %%, close every %VARIABLE%, and leave out control characters';
const REMOVE_FIX = 'remove only ordinary headers (not Host or ":" pseudo-headers)';
const REQUEST_NAME_FIX = 'use a header name without ":" (host and :authority are allowed)';
const RESPONSE_NAME_FIX = 'use a header name without ":", other than Host';
const EMPTY_NAME = 'header name cannot be empty';
const invalidName = (name: string) => `header name ${name} is not a valid header name`;

// The token characters of RFC 7230, every one of them.
const TCHARS = '!#$%&\'*+-.^_`|~AZaz09';

describe('header names to match on (ValidateHTTPHeaderNameOrJwtClaimRoute)', () => {
  test('token characters, the five pseudo-headers and JWT claims are names; anything else is not', () => {
    for (const name of [TCHARS, 'x-debug', ':method', ':scheme', ':authority', ':path', ':status', '@request.auth.claims.sub']) {
      expect([name, matchHeaderNameProblem(name)]).toEqual([name, undefined]);
    }
    for (const name of [':protocol', ':Authority', 'bad name', 'x:y', 'é', 'a\tb', '@request.auth.claims', '@request.auth.claims.']) {
      expect(matchHeaderNameProblem(name)).toBe(invalidName(name));
    }
    expect(matchHeaderNameProblem('')).toBe(EMPTY_NAME);
  });

  test('a JWT claim is `@request.auth.claims` (any case) with `.<claims>` or `[<claim>]...` after it', () => {
    for (const name of ['@request.auth.claims.sub', '@request.auth.claims.a.b', '@REQUEST.Auth.CLAIMS.sub', '@request.auth.claims[sub]',
      '@request.auth.claims[a][b]', '@request.auth.claims[]]', '@request.auth.claims..']) {
      expect([name, isJwtClaimHeader(name)]).toEqual([name, true]);
    }
    for (const name of ['@request.auth.claims', '@request.auth.claims.', '@request.auth.claims[]', '@request.auth.claims[sub',
      '@request.auth.claimssub', '@request.auth.claim.sub', 'request.auth.claims.sub', 'x-claims.sub', '']) {
      expect([name, isJwtClaimHeader(name)]).toEqual([name, false]);
    }
  });

  test('through a VirtualService: an empty or a bad name in headers or withoutHeaders is VS14', () => {
    expect(findings(vs([{ match: [{ headers: { '': { exact: 'a' }, 'x a': { exact: 'b' } }, withoutHeaders: { '': { exact: 'c' } } }], route }]))).toEqual([
      ['VS14', 'error', `${H0}.match[0].headers.`, '', EMPTY_NAME, NAME_FIX],
      ['VS14', 'error', `${H0}.match[0].headers.x a`, 'x a', invalidName('x a'), NAME_FIX],
      ['VS14', 'error', `${H0}.match[0].withoutHeaders.`, '', EMPTY_NAME, NAME_FIX],
    ]);
    expectAccepted(vs([{ match: [{ headers: { [TCHARS]: { exact: 'a' }, ':authority': { prefix: 'api' } }, withoutHeaders: { 'x-b': { exact: 'c' } } }], route }]));
  });

  test('through a VirtualService bound to a gateway: a JWT claim is a name to match on', () => {
    expectAccepted(vs([{ match: [{ headers: { '@request.auth.claims.groups': { exact: 'admin' }, '@request.auth.claims[iss]': { prefix: 'https' } } }], route }],
      ['istio-system/ingress']));
    expect(findings(vs([{ match: [{ headers: { '@request.auth.claims.': { exact: 'admin' } } }], route }], ['istio-system/ingress']))).toEqual([
      ['VS14', 'error', `${H0}.match[0].headers.@request.auth.claims.`, '@request.auth.claims.', invalidName('@request.auth.claims.'), NAME_FIX],
    ]);
  });
});

describe('CORS header names (ValidateCORSHTTPHeaderName)', () => {
  test('`*` or token characters; pseudo-headers are no CORS header names', () => {
    for (const name of ['*', '**', TCHARS, 'x-debug']) {
      expect([name, corsHeaderNameProblem(name)]).toEqual([name, undefined]);
    }
    for (const name of [':authority', 'bad name', '@request.auth.claims.sub']) {
      expect(corsHeaderNameProblem(name)).toBe(invalidName(name));
    }
    expect(corsHeaderNameProblem('')).toBe(EMPTY_NAME);
  });
});

describe('header names to add, set or remove (ValidateHTTPHeaderWithAuthorityOperationName, ValidateHTTPHeaderOperationName)', () => {
  test('a request header to add or set: host and :authority (any case) are allowed, other pseudo-headers are not', () => {
    for (const name of ['host', 'HOST', ':authority', ':AUTHORITY', 'x-a', 'bad name']) {
      expect([name, requestHeaderOperationProblem(name)]).toEqual([name, undefined]);
    }
    expect(requestHeaderOperationProblem(':path')).toBe('invalid header ":path": header cannot have ":" prefix');
    expect(requestHeaderOperationProblem(':')).toBe('invalid header ":": header cannot have ":" prefix');
    expect(requestHeaderOperationProblem('')).toBe(EMPTY_NAME);
  });

  test('a header to remove, or a response header: neither Host (any case) nor a pseudo-header; the name is quoted as Go\'s %q', () => {
    for (const name of ['x-a', 'bad name', 'x-host', 'hosts']) {
      expect([name, headerOperationProblem(name)]).toEqual([name, undefined]);
    }
    expect(headerOperationProblem('HoSt')).toBe('invalid header "HoSt": cannot set Host header');
    expect(headerOperationProblem(':authority')).toBe('invalid header ":authority": header cannot have ":" prefix');
    expect(headerOperationProblem(':a"b')).toBe('invalid header ":a\\"b": header cannot have ":" prefix');
    expect(headerOperationProblem('')).toBe(EMPTY_NAME);
  });

  test('the authority header is host or :authority in any case', () => {
    expect(['host', 'Host', ':authority', ':Authority'].map(isAuthorityHeader)).toEqual([true, true, true, true]);
    expect(['x-host', 'authority', ':path', ''].map(isAuthorityHeader)).toEqual([false, false, false, false]);
  });

  test('through a VirtualService: an empty name to set or remove is VS26, on either side', () => {
    expect(findings(vs([{ headers: { request: { set: { '': 'a' }, remove: [''] }, response: { add: { '': 'b' }, remove: [''] } }, route }]))).toEqual([
      ['VS26', 'error', `${H0}.headers.request.set.`, '', EMPTY_NAME, REQUEST_NAME_FIX],
      ['VS26', 'error', `${H0}.headers.request.remove[0]`, '', EMPTY_NAME, REMOVE_FIX],
      ['VS26', 'error', `${H0}.headers.response.add.`, '', EMPTY_NAME, RESPONSE_NAME_FIX],
      ['VS26', 'error', `${H0}.headers.response.remove[0]`, '', EMPTY_NAME, REMOVE_FIX],
    ]);
    expectAccepted(vs([{ headers: { request: { set: { 'x-a': 'a' }, remove: ['x-b'] }, response: { add: { 'x-c': 'b' }, remove: ['x-d'] } }, route }]));
  });

  // Go's strings.EqualFold folds with Unicode's simple case folding, where the long s (U+017F) is an `s`:
  // Istio refuses `hoſt` as Host (ValidateHTTPHeaderOperationName) and counts it as the authority
  // (isAuthorityHeader in validateAuthorityRewrite); our lower-casing does neither (a missed error).
  test('`hoſt` to remove or as a response header is refused as Host, and any case of host too', () => {
    expect(headerOperationProblem('hoſt')).toBe('invalid header "hoſt": cannot set Host header');
    expect(headerOperationProblem('HoSt')).toBe('invalid header "HoSt": cannot set Host header');
    expect(headerOperationProblem('hosts')).toBeUndefined();
    expect(isAuthorityHeader('hoſt')).toBe(true);
    expect(isAuthorityHeader(':AUTHORITY')).toBe(true);
    expect(requestHeaderOperationProblem('hoſt')).toBeUndefined();
  });
});

describe('header values (ValidateHTTPHeaderValue, validateHeaderValue)', () => {
  const formatter = (problem: string) => `header value configuration: invalid header configuration. ${problem}`;
  const unterminated = (value: string) => formatter(`Un-terminated variable expression '${value}'`);
  const UNESCAPED = formatter('Un-escaped %');
  const EXPECT_DELIMITER = formatter('Expecting \',\', \']\', or whitespace');
  const EXPECT_QUOTE = formatter('Expecting \'"\'');
  const EXPECT_PAREN = formatter('Expecting \')\' or whitespace after \'{}\', but found \'{}\'');
  const EXPECT_PERCENT = formatter('Expecting \'%\' or whitespace after');
  const BACKSLASH = formatter('Un-terminated backslash in JSON string');

  test.each<[string, string]>([
    ['nothing', ''],
    ['plain text', 'foo bar'],
    ['a tab (the one control character allowed)', 'a\tb'],
    ['an escaped %', '100%%'],
    ['escaped % before a name', '%%VAR'],
    ['a variable', '%HOSTNAME%'],
    ['a variable within text', 'prefix %HOSTNAME% suffix'],
    ['two variables back to back', '%A%%B%'],
    ['a variable with an array of strings', '%VAR(["a", "b"])%'],
    ['an escaped quote in a string', '%VAR(["a\\"b"])%'],
    ['spaces before the array, before a string, before ) and before the closing %', '%VAR( [ "a" , "b" ] ) %'],
    ['an unquoted argument (read as a string up to ")")', '%START_TIME(%s)%'],
    ['an argument string without brackets, then text', '%VAR(abc)% and more'],
    ['a multi-byte character after a backslash', '%VAR(["é\\é"])%'],
  ])('accepted: %s', (_, value) => {
    expect(headerValueProblem(value)).toBeUndefined();
  });

  test.each<[string, string, string]>([
    ['a newline', 'a\nb', 'header value configuration a\nb is invalid'],
    ['NUL', 'a\u0000', 'header value configuration a\u0000 is invalid'],
    ['DEL', '\u007f', 'header value configuration \u007f is invalid'],
    ['a control character inside a variable (checked first)', '%A\u0001', 'header value configuration %A\u0001 is invalid'],
    ['a lone %', '%', UNESCAPED],
    ['a % at the end', 'abc%', UNESCAPED],
    ['a variable then a % at the end', '%START_TIME%%', UNESCAPED],
    ['an escaped % then a lone one', '%%%', UNESCAPED],
    ['a variable without its closing %', 'abc%123', unterminated('abc%123')],
    ['a name only', '%VAR', unterminated('%VAR')],
    ['an open argument list', '%VAR(', unterminated('%VAR(')],
    ['an open array', '%VAR(["a"]', unterminated('%VAR(["a"]')],
    ['arguments without the closing %', '%VAR(["a"])', unterminated('%VAR(["a"])')],
    ['a string whose ) is escaped', '%VAR(a\\)%', unterminated('%VAR(a\\)%')],
    ['a backslash at the end of a string', '%VAR("a\\', BACKSLASH],
    ['text after a string in the array', '%VAR(["a" x])%', EXPECT_DELIMITER],
    ['a quoted argument without brackets (the quote opens a string, the next one ends it)', '%VAR("x")%', EXPECT_DELIMITER],
    ['an array element that is no string', '%VAR([x])%', EXPECT_QUOTE],
    ['an empty array', '%VAR([])%', EXPECT_QUOTE],
    ['a trailing comma in the array', '%VAR(["a",])%', EXPECT_QUOTE],
    ['text between ] and )', '%VAR(["a"]x)%', EXPECT_PAREN],
    ['a comma after the array', '%VAR(["a"],)%', EXPECT_PAREN],
    ['text between ) and %', '%VAR(["a"])x%', EXPECT_PERCENT],
    ['a second )', '%VAR(["a"]))%', EXPECT_PERCENT],
    ['text between an unquoted argument and %', '%VAR(x)y%', EXPECT_PERCENT],
  ])('refused: %s', (_, value, message) => {
    expect(headerValueProblem(value)).toBe(message);
  });

  // Only the space is whitespace to the parser (isSpace): a tab where a space may go is text.
  test.each<[string, string, string | undefined]>([
    ['a tab before the array: read as an unquoted string argument', '%VAR(\t["a"])%', EXPECT_DELIMITER],
    ['a tab before a string', '%VAR([\t"a"])%', EXPECT_QUOTE],
    ['a tab after a string', '%VAR(["a"\t])%', EXPECT_DELIMITER],
    ['a tab before )', '%VAR(["a"]\t)%', EXPECT_PAREN],
    ['a tab before the closing %', '%VAR(["a"])\t%', EXPECT_PERCENT],
    ['a tab inside a name is part of it', '%VA\tR%', undefined],
  ])('whitespace: %s', (_, value, message) => {
    expect(headerValueProblem(value)).toBe(message);
  });

  test('through a VirtualService: a bad value to add or set is VS26, on the rule and on a destination; the value is reported', () => {
    const object = vs([{
      headers: { request: { set: { 'x-a': '100%' } }, response: { add: { 'x-b': '%VAR(["a"]' } } },
      route: [{ destination: { host: HOST }, headers: { request: { add: { 'x-c': 'a\nb' } } } }],
    }]);
    expect(findings(object)).toEqual([
      ['VS26', 'error', `${H0}.headers.request.set.x-a`, '100%', UNESCAPED, VALUE_FIX],
      ['VS26', 'error', `${H0}.headers.response.add.x-b`, '%VAR(["a"]', unterminated('%VAR(["a"]'), VALUE_FIX],
      ['VS26', 'error', `${H0}.route[0].headers.request.add.x-c`, 'a\nb', 'header value configuration a\nb is invalid', VALUE_FIX],
    ]);
    expectAccepted(vs([{
      headers: { request: { set: { 'x-a': '100%%' } }, response: { add: { 'x-b': '%VAR(["a"])%' } } },
      route: [{ destination: { host: HOST }, headers: { request: { add: { 'x-c': 'a\tb %HOSTNAME%' } } } }],
    }]));
  });
});

describe('Go number formatting for messages', () => {
  test.each<[number, string]>([
    [0, '0'],
    [150, '150'],
    [-101.5, '-101.5'],
    [123456, '123456'],
    [0.0001, '0.0001'],
    // %v is %g with the shortest digits: an exponent below -4 or of 6 and more is written as one, with two digits at least.
    [0.00001, '1e-05'],
    [-1e-7, '-1e-07'],
    [1.234e-5, '1.234e-05'],
    [1e6, '1e+06'],
    [1.5e6, '1.5e+06'],
    [1e21, '1e+21'],
    [1e300, '1e+300'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
    [NaN, 'NaN'],
  ])('%p as Go\'s %%v prints it', (x, expected) => {
    expect(goFloat(x)).toBe(expected);
  });

  test.each<[number, string]>([
    [0, '0.000000'],
    [150, '150.000000'],
    [-101.5, '-101.500000'],
    [0.00001, '0.000010'],
    [1.234e-5, '0.000012'],
  ])('%p as Go\'s %%f prints it', (x, expected) => {
    expect(goFixed(x)).toBe(expected);
  });

  // Go's %f rounds an exact tie to even and writes every digit of a large number (toFixed rounds a tie up and
  // switches to exponent notation from 1e21); outputs of Go's fmt.Sprintf("%f").
  test.each([
    [100.0078125, '100.007812'], [100.0078135, '100.007813'], [0.0000005, '0.000000'], [0.0000015, '0.000002'], [2.5e-7, '0.000000'],
    [1e21, '1000000000000000000000.000000'], [-1.5, '-1.500000'], [-0, '-0.000000'], [5e-324, '0.000000'],
    [Infinity, '+Inf'], [-Infinity, '-Inf'], [NaN, 'NaN'],
    // Just below a power of two, where Math.log2 rounds up to the power itself.
    [2 ** 60 - 128, '1152921504606846848.000000'],
  ])('%p as Go\'s %%f prints it, ties and large numbers too', (x, expected) => {
    expect(goFixed(x)).toBe(expected);
  });
});

// Cases the mutation run left open: jwt.ToRoutingClaim's prefix, and Go's `%f` in VS29's messages.
describe('JWT claim names (jwt.ToRoutingClaim)', () => {
  // Names as long as the prefix, with `.<claim>` or `[<claim>]` after it, but another prefix.
  const lookalikes = ['@request.auth.claimX.sub', '@request.auth.claimx[sub]', 'x'.repeat(20) + '.sub', '@request.auth.claimsab]', '@request.auth.claims:x]'];

  test('a claim needs the `@request.auth.claims` prefix and then `.` or `[`', () => {
    for (const name of lookalikes) {
      expect([name, isJwtClaimHeader(name)]).toEqual([name, false]);
    }
    expect(isJwtClaimHeader('@request.auth.claims[ab]')).toBe(true);
    expect(isJwtClaimHeader('@Request.Auth.Claims.sub')).toBe(true);
  });

  test('a lookalike is no header name to match on', () => {
    for (const name of lookalikes.filter(n => n.startsWith('@'))) {
      expect(matchHeaderNameProblem(name)).toBe(invalidName(name));
    }
  });

  test('through a VirtualService bound to a gateway: a lookalike claim is VS14, the claim itself is accepted', () => {
    const name = '@request.auth.claimX.groups';
    expect(findings(vs([{ match: [{ headers: { [name]: { exact: 'admin' } } }], route }], ['istio-system/ingress']))).toEqual([
      ['VS14', 'error', `spec.http[0].match[0].headers.${name}`, name, invalidName(name), NAME_FIX],
    ]);
    const accepted = vs([{ match: [{ headers: { '@request.auth.claims[groups]': { exact: 'admin' } } }], route }], ['istio-system/ingress']);
    expect(findings(accepted)).toEqual([]);
    assertValidIstioObjects([accepted]);
  });
});

describe('Go\'s %f (goFixed)', () => {
  // A remainder above half a unit rounds up; Go's fmt.Sprintf("%f", x).
  test.each<[number, string]>([
    [2 / 3, '0.666667'],
    [0.0000019, '0.000002'],
    [-0.0000019, '-0.000002'],
    [100.9999996, '101.000000'],
  ])('%p rounds up past half a unit: %s', (x, expected) => {
    expect(goFixed(x)).toBe(expected);
  });

  // x * 10^6 ends in exactly .5 when x is an odd multiple of 1/128 (a tie in binary): the even neighbour wins.
  test.each<[number, string]>([
    [3 / 128, '0.023438'],
    [1 / 128, '0.007812'],
    [5 / 128, '0.039062'],
    [7 / 128, '0.054688'],
    [100 + 3 / 128, '100.023438'],
  ])('the exact tie %p goes to even: %s', (x, expected) => {
    expect(goFixed(x)).toBe(expected);
  });

  // Doubles this large are integers: every digit of the exact value, as Go prints it.
  test.each<[string, number, bigint]>([
    ['2^1000', 2 ** 1000, 2n ** 1000n],
    ['1e300', 1e300, BigInt(1e300)],
    ['the largest double', Number.MAX_VALUE, BigInt(Number.MAX_VALUE)],
    ['2^972', 2 ** 972, 2n ** 972n],
  ])('%s is written out in full', (_, x, exact) => {
    expect(goFixed(x)).toBe(`${exact}.000000`);
    expect(goFixed(-x)).toBe(`-${exact}.000000`);
  });

  test('through a VirtualService: a huge mirrorPercentage is VS29 with every digit', () => {
    const object = vs([{ route, mirror: { host: HOST }, mirrorPercentage: { value: 1e300 } }]);
    assertValidIstioObjects([object]);
    expect(findings(object)).toEqual([
      ['VS29', 'error', 'spec.http[0].mirrorPercentage.value', 1e300, `mirror_percentage must have a max value of 100 (it has ${BigInt(1e300)}.000000)`,
        'use a percentage from 0 to 100'],
    ]);
  });
});
