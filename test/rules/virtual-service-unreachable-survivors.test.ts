/**
 * IST0130/IST0131 cases the other example tests left unpinned, each in full, as Istio 1.30.3's webhook finds
 * them (analyzeUnreachableHTTPRules, asJSON, routeName, requestName, genMatchHTTPRoutes, assignExactOrPrefix and
 * coveredValidation in pkg/config/validation/validation.go): which match fields are string matches, which values
 * Go's JSON of a match leaves out, how an empty rule or match name is shown, and how an empty exact or prefix
 * value of a method, authority or header reads when prefix matches are compared.
 */
import { FindingCollector } from '../../src/rules/finding';
import { checkUnreachableRules } from '../../src/rules/virtual-service-unreachable';
import { assertValidIstioObjects } from '../support/crd-validator';
import { FindingRow, findingRows } from '../support/findings';

type Kind = 'http' | 'tls' | 'tcp';

/** The findings of checkUnreachableRules over one route list. */
function unreachable(routes: unknown, kind: Kind = 'http'): FindingRow[] {
  const out = new FindingCollector();
  checkUnreachableRules(out, routes, kind);
  return findingRows(out.findings);
}

const HOST = 'api.example.com';
const route = [{ destination: { host: HOST } }];
/** A VirtualService with these rules (each given its route), for the CRD schema. */
const vs = (kind: Kind, rules: Array<Record<string, unknown>>): any => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'routes', namespace: 'shop' },
  spec: { hosts: [HOST], [kind]: rules.map(r => ({ ...r, route })) },
});

const FIX_130 = 'move rules without match to the end, and drop or change matches an earlier rule already takes';
const FIX_131 = 'remove the match, or make it more specific than the earlier one, or move it before the earlier rule';
const ALL_TAKEN = 'all matches used by prior rules';
const ist0130 = (field: string, rule: string, reason: string): FindingRow =>
  ['IST0130', 'warning', field, null, `VirtualService rule ${rule} not used (${reason})`, FIX_130];
const ist0131 = (field: string, rule: string, match: string, earlier: string): FindingRow =>
  ['IST0131', 'warning', field, null, `VirtualService rule ${rule} match ${match} is not used (duplicate/overlapping match in rule ${earlier})`, FIX_131];

/** Two rules of one match each: the findings, after the CRD schema took the VirtualService. */
function pair(a: Record<string, unknown>, b: Record<string, unknown>, kind: Kind = 'http'): FindingRow[] {
  assertValidIstioObjects([vs(kind, [{ match: [a] }, { match: [b] }])]);
  return unreachable([{ match: [a] }, { match: [b] }], kind);
}
const repeated = (kind: Kind = 'http'): FindingRow[] =>
  [ist0131(`spec.${kind}[1].match[0]`, '#1', '#0', '#0'), ist0130(`spec.${kind}[1]`, '#1', ALL_TAKEN)];

describe('which http matches are the same: the set kind of each string match, Go\'s JSON of the rest', () => {
  test.each(['uri', 'scheme', 'method', 'authority'])('an empty exact %s is set: it differs from an empty string match, not from itself', field => {
    expect(pair({ [field]: { exact: '' } }, { [field]: {} })).toEqual([]);
    expect(pair({ [field]: {} }, { [field]: { exact: '' } })).toEqual([]);
    expect(pair({ [field]: { exact: '' } }, { [field]: { exact: '' } })).toEqual(repeated());
  });

  test('a prefix string match differs from an empty one, in a string match field and in a header map', () => {
    expect(pair({ uri: { prefix: '/a' } }, { uri: {} })).toEqual([]);
    expect(pair({ method: { prefix: 'P' } }, { method: {} })).toEqual([]);
    expect(pair({ headers: { 'x-a': { prefix: 'v' } } }, { headers: { 'x-a': {} } })).toEqual([]);
    expect(pair({ queryParams: { q: { prefix: 'v' } } }, { queryParams: { q: {} } })).toEqual([]);
    expect(pair({ method: { prefix: 'P' } }, { method: { prefix: 'P' } })).toEqual(repeated());
  });

  test('a regex string match differs from an empty one and from another regex, in a string match field and in a header map', () => {
    expect(pair({ uri: { regex: '/a.*' } }, { uri: {} })).toEqual([]);
    expect(pair({ authority: { regex: 'a.*' } }, { authority: { regex: 'b.*' } })).toEqual([]);
    expect(pair({ headers: { 'x-a': { regex: 'v.*' } } }, { headers: { 'x-a': {} } })).toEqual([]);
    expect(pair({ uri: { regex: '/a.*' } }, { uri: { regex: '/a.*' } })).toEqual(repeated());
  });

  // The API server drops a null of a field that is not nullable before the webhook reads the object.
  test.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['in a header match', { headers: { 'x-a': { exact: null } } }, { headers: { 'x-a': {} } }],
    ['in a query parameter match', { queryParams: { q: { exact: null } } }, { queryParams: { q: {} } }],
    ['in a withoutHeaders match', { withoutHeaders: { 'x-a': { regex: null, prefix: 'v' } } }, { withoutHeaders: { 'x-a': { prefix: 'v' } } }],
    ['beside the set kind of a uri match', { uri: { exact: null, prefix: '/a' } }, { uri: { prefix: '/a' } }],
    ['as the only kind of a uri match', { uri: { exact: null } }, { uri: {} }],
  ])('a null kind of a string match is unset: %s', (_, a, b) => {
    expect(pair(a, b)).toEqual(repeated());
  });

  test('a null field that is no string match is unset too', () => {
    expect(pair({ port: 80, sourceNamespace: null, gateways: null, ignoreUriCase: null, headers: null }, { port: 80 })).toEqual(repeated());
    expect(pair({ port: 80, statPrefix: null }, { port: 80 })).toEqual(repeated());
    expect(pair({ port: 80, sourceNamespace: null }, { port: 80 }, 'tcp')).toEqual(repeated('tcp'));
  });

  test('a list is compared entry by entry', () => {
    expect(pair({ gateways: ['shop/a'] }, { gateways: ['shop/b'] })).toEqual([]);
    expect(pair({ gateways: ['shop/a', 'mesh'] }, { gateways: ['shop/a'] })).toEqual([]);
    expect(pair({ gateways: ['shop/a'] }, { gateways: ['shop/a'] })).toEqual(repeated());
    expect(pair({ port: 80, destinationSubnets: ['10.0.0.0/8'] }, { port: 80, destinationSubnets: ['10.1.0.0/16'] }, 'tcp')).toEqual([]);
  });

  test('the name of an http match is left out, and the later match is shown by its own name', () => {
    expect(pair({ name: 'first', port: 80 }, { name: 'second', port: 80 })).toEqual([
      ist0131('spec.http[1].match[0]', '#1', '"second"', '#0'), ist0130('spec.http[1]', '#1', ALL_TAKEN),
    ]);
  });

  test('the other fields are compared by value, not read as string matches (http and tcp)', () => {
    expect(pair({ port: 80 }, { port: 81 })).toEqual([]);
    expect(pair({ sourceNamespace: 'shop' }, { sourceNamespace: 'web' })).toEqual([]);
    expect(pair({ statPrefix: 'a' }, { statPrefix: 'b' })).toEqual([]);
    expect(pair({ port: 80 }, { port: 81 }, 'tcp')).toEqual([]);
    expect(pair({ port: 80, sourceNamespace: 'shop' }, { port: 80, sourceNamespace: 'web' }, 'tcp')).toEqual([]);
  });

  test('an object where Istio has a text (the schema refuses it) is compared by its fields, without throwing', () => {
    const match = (statPrefix: unknown) => [{ match: [{ port: 80, statPrefix }] }];
    expect(unreachable([...match({ a: 'x', b: '' }), ...match({ a: 'x' })])).toEqual(repeated());
    expect(unreachable([...match({ a: 'x' }), ...match({ a: 'y' })])).toEqual([]);
    expect(unreachable([...match({ a: 'x' }), ...match({ b: 'x' })])).toEqual([]);
    // Its fields in another order are the same object, as Go's JSON of a message has one order of fields.
    expect(unreachable([...match({ a: 'x', b: 'y' }), ...match({ b: 'y', a: 'x' })])).toEqual(repeated());
  });

  test('a tcp or tls match has no string match fields: a uri there (the schema refuses it) is data, every value of it compared', () => {
    for (const kind of ['tcp', 'tls'] as const) {
      expect(unreachable([{ match: [{ port: 80, uri: { exact: '/a', regex: '/b' } }] }, { match: [{ port: 80, uri: { exact: '/a' } }] }], kind)).toEqual([]);
      expect(unreachable([{ match: [{ port: 80, method: { exact: '' } }] }, { match: [{ port: 80, method: {} }] }], kind)).toEqual(repeated(kind));
    }
  });
});

describe('an empty rule or match name: the rule or match is numbered', () => {
  test('an http rule and match named "" are shown by their numbers, as Go shows an unset name', () => {
    const rules = [{ name: '', match: [{ name: '', port: 80 }] }, { name: '', match: [{ name: '', port: 80 }] }];
    assertValidIstioObjects([vs('http', rules)]);
    expect(unreachable(rules)).toEqual(repeated());
    expect(unreachable([{ name: '' }, { name: '' }])).toEqual([ist0130('spec.http[1]', '#1', 'only the last rule can have no matches')]);
  });
});

describe('a prefix match an earlier one covers: the method, authority and header values compared (genMatchHTTPRoutes)', () => {
  const covered = [ist0131('spec.http[1].match[0]', '#1', '#0 of prefix /api/v1', '#0 of prefix /api on #0')];
  const prefixes = (a: Record<string, unknown>, b: Record<string, unknown>) =>
    pair({ uri: { prefix: '/api' }, ...a }, { uri: { prefix: '/api/v1' }, ...b });

  type Match = Record<string, unknown>;
  const cases: Array<[string, Match, Match, boolean]> = [
    // assignExactOrPrefix: an empty exact or prefix is none (and no method is GET).
    ['an empty exact method is GET', { method: { exact: '' } }, {}, true],
    ['an empty exact method is GET, later', {}, { method: { exact: '' } }, true],
    ['an empty prefix method is GET', { method: { prefix: '' } }, {}, true],
    ['an empty exact authority is none', {}, { authority: { exact: '' } }, true],
    ['an empty prefix authority is none', {}, { authority: { prefix: '' } }, true],
    ['an empty exact and an empty prefix header are the same', { headers: { 'x-v': { exact: '' } } }, { headers: { 'x-v': { prefix: '' } } }, true],
    ['an empty exact and a prefix header are not', { headers: { 'x-v': { exact: '' } } }, { headers: { 'x-v': { prefix: 'a' } } }, false],
    // Without a method Istio assumes GET, on either side.
    ['no method, then GET', {}, { method: { exact: 'GET' } }, true],
    ['POST, then no method', { method: { exact: 'POST' } }, {}, false],
    ['GET, then a method prefix G', { method: { exact: 'GET' } }, { method: { prefix: 'G' } }, false],
    // The earlier value must start with the later one (the text of `prefix:...`).
    ['an earlier longer authority prefix', { authority: { prefix: 'api.example' } }, { authority: { prefix: 'api' } }, true],
    ['an earlier authority prefix that ends with the later one only', { authority: { prefix: 'web.api' } }, { authority: { prefix: 'api' } }, false],
    ['an earlier shorter authority prefix', { authority: { prefix: 'api' } }, { authority: { prefix: 'api.example' } }, false],
  ];
  test.each(cases.map(([name, a, b, isCovered]): [string, boolean, Match, Match] => [name, isCovered, a, b]))('%s: covered %p', (_, isCovered, a, b) => {
    expect(prefixes(a, b)).toEqual(isCovered ? covered : []);
  });

  test('a match without a uri, or with a null one, has no prefix to compare, and is read without throwing', () => {
    expect(pair({ port: 80 }, { uri: { prefix: '/a' } })).toEqual([]);
    expect(pair({ uri: { prefix: '/a' } }, { port: 80 })).toEqual([]);
    expect(unreachable([{ match: [{ uri: null, port: 80 }] }, { match: [{ uri: { prefix: '/a' } }] }])).toEqual([]);
    expect(unreachable([{ match: ['x', { uri: 'x' }] }, { match: [{ uri: { prefix: '/a' } }] }])).toEqual([]);
  });

  test('prefixes that do not cover the later one are not reported: another prefix, or the same one (the duplicate check\'s)', () => {
    expect(pair({ uri: { prefix: '/a' } }, { uri: { prefix: '/b' } })).toEqual([]);
    expect(pair({ uri: { prefix: '/ab' } }, { uri: { prefix: '/a' } })).toEqual([]);
    expect(pair({ uri: { prefix: '/a' }, headers: { 'x-v': { exact: '1' } } }, { uri: { prefix: '/a' } })).toEqual([]);
    expect(pair({ uri: { prefix: '/a' }, port: 8080 }, { uri: { prefix: '/ab' } })).toEqual([]);
    // The same prefix, and the earlier match covers the later one (GET is the default), but they are not the same match.
    expect(pair({ uri: { prefix: '/a' }, method: { exact: 'GET' } }, { uri: { prefix: '/a' } })).toEqual([]);
    expect(pair({ uri: { prefix: '/a' }, headers: { 'x-v': { exact: '12' } } }, { uri: { prefix: '/a' }, headers: { 'x-v': { exact: '1' } } })).toEqual([]);
  });
});
