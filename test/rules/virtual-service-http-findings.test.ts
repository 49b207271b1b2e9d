/**
 * The http route findings of a VirtualService in full: rule, severity, field, value, Istio's message
 * and our fix. Messages are Istio 1.30.3's (validateHTTPRouteConflict, validateHTTPRouteMatchRequest
 * and validateAuthorityRewrite in pkg/config/validation/virtualservice.go; the header name checks in
 * validation.go). The webhook tests decide which inputs Istio refuses; these pin what the user reads.
 */
import { checkVirtualService } from '../../src/rules/virtual-service';
import { helpful } from '../support/findings';

const vs = (http: unknown) => ({
  apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'r', namespace: 'apps' }, spec: { hosts: ['api.example.com'], http },
});
const route = [{ destination: { host: 'api.example.com' } }];
const abort = { abort: { httpStatus: 500, percentage: { value: 1 } } };

/** [rule, severity, field, value, message, fix] */
type Row = [string, string, string, unknown, string, string];
const findings = (http: unknown): Row[] => helpful(checkVirtualService(vs(http))).map(f => [f.rule, f.severity, f.field, f.value, f.message, f.fix]);

const H0 = 'spec.http[0]';
const STRING_MATCH_FIX = 'use exact, a non-empty prefix, or an RE2 regex of at most 1024 characters';
const AUTHORITY_FIX = 'set the authority once: either rewrite.authority or one host/:authority header';

describe('what an http rule does, and what may go with it (VS8)', () => {
  test.each<[string, Record<string, unknown>, Row[]]>([
    ['a redirect and a route', { redirect: { uri: '/x' }, route },
      [['VS8', 'error', `${H0}.route`, route, 'HTTP route cannot contain both route and redirect', 'remove route: a rule that answers with a redirect does not forward']]],
    ['a redirect and a fault', { redirect: { uri: '/x' }, fault: abort },
      [['VS8', 'error', `${H0}.fault`, abort, 'HTTP route cannot contain both fault and redirect', 'remove fault: a rule that answers with a redirect does not forward']]],
    ['a redirect and a rewrite', { redirect: { uri: '/x' }, rewrite: { uri: '/y' } },
      [['VS8', 'error', `${H0}.rewrite`, { uri: '/y' }, 'HTTP route rule cannot contain both rewrite and redirect',
        'remove rewrite: a rule that answers with a redirect does not forward']]],
    ['a redirect and a direct response', { redirect: { uri: '/x' }, directResponse: { status: 200 } },
      [['VS8', 'error', `${H0}.directResponse`, { status: 200 }, 'HTTP route rule cannot contain both direct_response and redirect',
        'remove directResponse: a rule that answers with a redirect does not forward']]],
    ['a direct response and a route', { directResponse: { status: 200 }, route },
      [['VS8', 'error', `${H0}.route`, route, 'HTTP route cannot contain both route and direct_response',
        'remove route: a rule that answers with a direct response does not forward']]],
    ['a direct response and a fault', { directResponse: { status: 200 }, fault: abort },
      [['VS8', 'error', `${H0}.fault`, abort, 'HTTP route cannot contain both fault and direct_response',
        'remove fault: a rule that answers with a direct response does not forward']]],
    ['a direct response and a rewrite', { directResponse: { status: 200 }, rewrite: { uri: '/y' } },
      [['VS8', 'error', `${H0}.rewrite`, { uri: '/y' }, 'HTTP route rule cannot contain both rewrite and direct_response',
        'remove rewrite: a rule that answers with a direct response does not forward']]],
  ])('%s', (_, rule, expected) => {
    expect(findings([rule])).toEqual(expected);
  });

  test('each answer alone is accepted', () => {
    expect(findings([{ redirect: { uri: '/x' } }])).toEqual([]);
    expect(findings([{ directResponse: { status: 200 } }])).toEqual([]);
    expect(findings([{ route, fault: abort, rewrite: { uri: '/y' } }])).toEqual([]);
  });

  test('an http rule that is not an object is reported as VS8 and not read further', () => {
    expect(findings(['x'])).toEqual([['VS8', 'error', H0, 'x', 'cannot decode x as an object', 'write an object here']]);
  });
});

describe('http matches (VS14)', () => {
  test('a match that is not an object is reported as VS14 and not read further; a null match is an empty one', () => {
    expect(findings([{ match: ['x'], route }])).toEqual([['VS14', 'error', `${H0}.match[0]`, 'x', 'cannot decode x as an object', 'write an object here']]);
    expect(findings([{ match: [null], route }])).toEqual([]);
  });

  test('a withoutHeaders name is checked as a header name', () => {
    expect(findings([{ match: [{ withoutHeaders: { 'bad name': { exact: 'x' } } }], route }])).toEqual([
      ['VS14', 'error', `${H0}.match[0].withoutHeaders.bad name`, 'bad name', 'header name bad name is not a valid header name',
        'use a header name of letters, digits and !#$%&\'*+-.^_`|~'],
    ]);
    expect(findings([{ match: [{ withoutHeaders: { 'x-debug': { exact: 'x' } } }], route }])).toEqual([]);
  });

  test('scheme, method and authority refuse an empty prefix or regex (uri allows an empty prefix)', () => {
    const field = (key: string) => `${H0}.match[0].${key}`;
    expect(findings([{ match: [{ scheme: { prefix: '' }, method: { prefix: '' }, authority: { regex: '' }, uri: { prefix: '' } }], route }])).toEqual([
      ['VS14', 'error', field('scheme'), { prefix: '' }, '"scheme": prefix string match should not be empty', STRING_MATCH_FIX],
      ['VS14', 'error', field('method'), { prefix: '' }, '"method": prefix string match should not be empty', STRING_MATCH_FIX],
      ['VS14', 'error', field('authority'), { regex: '' }, '"authority": regex string match should not be empty', STRING_MATCH_FIX],
    ]);
    expect(findings([{ match: [{ scheme: { exact: 'https' }, method: { exact: '' }, authority: { prefix: 'api' } }], route }])).toEqual([]);
  });
});

describe('header operations (VS26)', () => {
  test('a request may set host and :authority but no other pseudo-header; a response may set neither', () => {
    expect(findings([{ headers: { request: { set: { ':path': 'x' } }, response: { set: { ':path': 'x', 'host': 'y' } } }, route }])).toEqual([
      ['VS26', 'error', `${H0}.headers.request.set.:path`, ':path', 'invalid header ":path": header cannot have ":" prefix',
        'use a header name without ":" (host and :authority are allowed)'],
      ['VS26', 'error', `${H0}.headers.response.set.:path`, ':path', 'invalid header ":path": header cannot have ":" prefix',
        'use a header name without ":", other than Host'],
      ['VS26', 'error', `${H0}.headers.response.set.host`, 'host', 'invalid header "host": cannot set Host header',
        'use a header name without ":", other than Host'],
    ]);
    expect(findings([{ headers: { request: { set: { host: 'a.example.com' } }, response: { set: { 'x-a': 'b' } } }, route }])).toEqual([]);
  });

  test('a value or a removed name that is not a string is not judged as one (the schema has the say)', () => {
    expect(findings([{ headers: { request: { set: { 'x-a': 5, 'x-c': ['a\nb'] }, add: { 'x-b': true } } }, route }])).toEqual([]);
    expect(findings([{ headers: { request: { remove: [5, 'host'] } }, route }])).toEqual([
      ['VS26', 'error', `${H0}.headers.request.remove[1]`, 'host', 'invalid header "host": cannot set Host header',
        'remove only ordinary headers (not Host or ":" pseudo-headers)'],
    ]);
  });

  test('the authority is set at most once: set is read before add, as validateAuthorityRewrite does', () => {
    expect(findings([{ headers: { request: { add: { host: 'a' }, set: { ':authority': 'b' } } }, route }])).toEqual([
      ['VS26', 'error', `${H0}.headers.request.add.host`, 'a', 'authority header cannot be set multiple times: have "b", attempting to set "a"', AUTHORITY_FIX],
    ]);
    expect(findings([{ headers: { request: { set: { host: 'a' }, add: { ':authority': 'b' } } }, route }])).toEqual([
      ['VS26', 'error', `${H0}.headers.request.add.:authority`, 'b', 'authority header cannot be set multiple times: have "a", attempting to set "b"', AUTHORITY_FIX],
    ]);
    expect(findings([{ headers: { request: { set: { 'host': 'a', 'x-a': 'b' }, add: { 'x-b': 'c' } } }, route }])).toEqual([]);
  });
});

describe('an empty route list is no route (validateHTTPRouteConflict checks len(route) > 0)', () => {
  test('a redirect or a direct response beside `route: []` is accepted', () => {
    expect(findings([{ redirect: { uri: '/x' }, route: [] }])).toEqual([]);
    expect(findings([{ directResponse: { status: 200 }, route: [] }])).toEqual([]);
  });
});
