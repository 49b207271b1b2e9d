/**
 * Rules and matches a VirtualService never reaches, in full, as Istio 1.30.3's webhook finds them
 * (analyzeUnreachableHTTPRules, analyzeUnreachableTCPRules, analyzeUnreachableTLSRules, asJSON, routeName,
 * requestName, genMatchHTTPRoutes and coveredValidation in pkg/config/validation/validation.go) and
 * `istioctl analyze` names them: IST0130 VirtualServiceUnreachableRule and IST0131
 * VirtualServiceIneffectiveMatch (pkg/config/analysis/msg/messages.yaml). The rule module is imported
 * directly, so its constants load with this file; the findings through checkVirtualService are asserted next
 * to the closest input Istio accepts without a warning.
 */
import { FindingCollector } from '../../src/rules/finding';
import { checkVirtualService } from '../../src/rules/virtual-service';
import { checkUnreachableRules } from '../../src/rules/virtual-service-unreachable';
import { assertValidIstioObjects } from '../support/crd-validator';
import { FindingRow, findingRows } from '../support/findings';

type Kind = 'http' | 'tls' | 'tcp';

/** The findings of checkUnreachableRules alone over one route list. */
function unreachable(routes: unknown, kind: Kind = 'http'): FindingRow[] {
  const out = new FindingCollector();
  checkUnreachableRules(out, routes, kind);
  return findingRows(out.findings);
}

const HOST = 'api.example.com';
const route = [{ destination: { host: HOST } }];
const vs = (spec: Record<string, unknown>): any => ({
  apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'routes', namespace: 'shop' }, spec: { hosts: [HOST], ...spec },
});
const findings = (object: any): FindingRow[] => findingRows(checkVirtualService(object));

/** Accepted by Istio: no finding, and the CRD schema with its CEL rules takes it too. */
function expectAccepted(object: any): void {
  expect(findings(object)).toEqual([]);
  assertValidIstioObjects([object]);
}

const FIX_130 = 'move rules without match to the end, and drop or change matches an earlier rule already takes';
const FIX_131 = 'remove the match, or make it more specific than the earlier one, or move it before the earlier rule';
const ONLY_LAST = 'only the last rule can have no matches';
const AFTER_CATCH_ALL = 'route without matches defined before';
const ALL_TAKEN = 'all matches used by prior rules';

const ist0130 = (field: string, rule: string, reason: string): FindingRow =>
  ['IST0130', 'warning', field, null, `VirtualService rule ${rule} not used (${reason})`, FIX_130];
const ist0131 = (field: string, rule: string, match: string, earlier: string): FindingRow =>
  ['IST0131', 'warning', field, null, `VirtualService rule ${rule} match ${match} is not used (duplicate/overlapping match in rule ${earlier})`, FIX_131];

describe('a rule without matches takes every request: it must be the last (IST0130)', () => {
  test('a second rule without matches; an http rule is named by its name, quoted as Go\'s %q', () => {
    expect(findings(vs({ http: [{ name: 'default', route }, { name: 'fall"back', route }] }))).toEqual([
      ist0130('spec.http[1]', '"fall\\"back"', ONLY_LAST),
    ]);
    expect(findings(vs({ http: [{ route }, { route }] }))).toEqual([ist0130('spec.http[1]', '#1', ONLY_LAST)]);
    expectAccepted(vs({ http: [{ name: 'api', match: [{ uri: { prefix: '/api' } }], route }, { name: 'default', route }] }));
  });

  test('each match of a rule after one without matches is reported, on the match', () => {
    expect(findings(vs({ http: [{ route }, { name: 'api', match: [{ uri: { prefix: '/api' } }, { port: 8080 }], route }] }))).toEqual([
      ist0130('spec.http[1].match[0]', '"api"', AFTER_CATCH_ALL),
      ist0130('spec.http[1].match[1]', '"api"', AFTER_CATCH_ALL),
    ]);
    // The first rule without matches is the one that takes the requests; later ones are reported once each.
    expect(unreachable([{}, {}, { match: [{ port: 80 }] }, {}])).toEqual([
      ist0130('spec.http[1]', '#1', ONLY_LAST),
      ist0130('spec.http[2].match[0]', '#2', AFTER_CATCH_ALL),
      ist0130('spec.http[3]', '#3', ONLY_LAST),
    ]);
  });

  test('tcp and tls rules too; they have no names, so they are numbered whatever a manifest calls them', () => {
    expect(findings(vs({ tcp: [{ route }, { match: [{ port: 5432 }], route }] }))).toEqual([ist0130('spec.tcp[1].match[0]', '#1', AFTER_CATCH_ALL)]);
    expectAccepted(vs({ tcp: [{ match: [{ port: 5432 }], route }, { route }] }));
    expect(unreachable([{ name: 'a' }, { name: 'b' }], 'tcp')).toEqual([ist0130('spec.tcp[1]', '#1', ONLY_LAST)]);
    expect(unreachable([{ match: [] }, { match: [{ sniHosts: [HOST] }] }], 'tls')).toEqual([ist0130('spec.tls[1].match[0]', '#1', AFTER_CATCH_ALL)]);
  });

  test('a null rule decodes as an empty one, without matches; so does an explicit undefined (JSON writes it as null)', () => {
    const expected = [ist0130('spec.http[1].match[0]', '#1', AFTER_CATCH_ALL)];
    expect(unreachable([null, { match: [{ port: 80 }] }])).toEqual(expected);
    expect(unreachable([undefined, { match: [{ port: 80 }] }])).toEqual(expected);
  });

  test('a rule that is no object is not read (the schema refuses it); a list that is no list is none', () => {
    expect(unreachable(['x', 5, { match: [{ port: 80 }] }, {}])).toEqual([]);
    expect(unreachable([{}, 'x', {}])).toEqual([ist0130('spec.http[2]', '#2', ONLY_LAST)]);
    for (const routes of [undefined, null, 'x', {}, 5]) {
      expect(unreachable(routes)).toEqual([]);
    }
  });
});

describe('a match an earlier one repeats (IST0131), and a rule whose matches all repeat (IST0130)', () => {
  test('a repeated match is named by the match name, the rule and the first rule that has it', () => {
    expect(findings(vs({
      http: [
        { name: 'v1', match: [{ name: 'old', uri: { prefix: '/v1' } }], route },
        { name: 'v1-again', match: [{ name: 'again', uri: { prefix: '/v1' } }, { uri: { prefix: '/v2' } }], route },
      ],
    }))).toEqual([ist0131('spec.http[1].match[0]', '"v1-again"', '"again"', '"v1"')]);
    expectAccepted(vs({
      http: [
        { name: 'v1', match: [{ name: 'old', uri: { prefix: '/v1' } }], route },
        { name: 'v2', match: [{ uri: { prefix: '/v2' } }], route },
      ],
    }));
  });

  test('a rule all of whose matches repeat earlier ones is not used', () => {
    expect(unreachable([{ match: [{ port: 80 }, { port: 81 }] }, { match: [{ port: 90 }] }, { match: [{ port: 81 }, { port: 80 }] }])).toEqual([
      ist0131('spec.http[2].match[0]', '#2', '#0', '#0'),
      ist0131('spec.http[2].match[1]', '#2', '#1', '#0'),
      ist0130('spec.http[2]', '#2', ALL_TAKEN),
    ]);
  });

  test('a match repeated within one rule: the rule is still used', () => {
    expect(unreachable([{ match: [{ port: 80 }, { port: 80 }] }])).toEqual([ist0131('spec.http[0].match[1]', '#0', '#1', '#0')]);
  });

  test('tls and tcp: the same, with numbers for names', () => {
    const tls = [
      { match: [{ sniHosts: [HOST], port: 443 }], route },
      { match: [{ port: 443, sniHosts: [HOST] }], route },
    ];
    expect(findings(vs({ tls }))).toEqual([ist0131('spec.tls[1].match[0]', '#1', '#0', '#0'), ist0130('spec.tls[1]', '#1', ALL_TAKEN)]);
    expectAccepted(vs({ tls: [tls[0], { match: [{ port: 8443, sniHosts: [HOST] }], route }] }));
    // A name in a tcp match is no field of it: it is data like any other, and the match is numbered.
    expect(unreachable([{ name: 'a', match: [{ name: 'm', port: 80 }] }, { name: 'b', match: [{ name: 'm', port: 80 }] }], 'tcp')).toEqual([
      ist0131('spec.tcp[1].match[0]', '#1', '#0', '#0'), ist0130('spec.tcp[1]', '#1', ALL_TAKEN),
    ]);
    expect(unreachable([{ match: [{ name: 'm', port: 80 }] }, { match: [{ port: 80 }] }], 'tcp')).toEqual([]);
  });
});

describe('which matches are the same: Go\'s JSON of the match (omitempty fields, the set one-of of a string match), its name left out', () => {
  const repeated = (kind: Kind): FindingRow[] => [ist0131(`spec.${kind}[1].match[0]`, '#1', '#0', '#0'), ist0130(`spec.${kind}[1]`, '#1', ALL_TAKEN)];
  const pair = (a: unknown, b: unknown, kind: Kind = 'http') => unreachable([{ match: [a] }, { match: [b] }], kind);

  test.each<[string, unknown, unknown]>([
    ['names differ (the match is still shown by its name, as the first test shows)', { name: 'a', port: 80 }, { port: 80 }],
    ['fields in another order', { port: 80, sourceNamespace: 'shop' }, { sourceNamespace: 'shop', port: 80 }],
    ['map keys in another order', { headers: { a: { exact: '1' }, b: { prefix: '2' } } }, { headers: { b: { prefix: '2' }, a: { exact: '1' } } }],
    ['source labels in another order', { sourceLabels: { app: 'a', v: '1' } }, { sourceLabels: { v: '1', app: 'a' } }],
    ['zero values and empty lists and maps are unset', {
      uri: { exact: '/a' },
      port: 0,
      ignoreUriCase: false,
      sourceNamespace: '',
      statPrefix: '',
      gateways: [],
      headers: {},
      queryParams: {},
      withoutHeaders: {},
      sourceLabels: {},
    }, { uri: { exact: '/a' } }],
    ['a string match field set to undefined is unset', { uri: undefined, port: 80 }, { port: 80 }],
    ['a string match field set to null is unset', { uri: null, method: null, port: 80 }, { port: 80 }],
    ['a null match is an empty one', null, {}],
    ['a map entry set to undefined is none (JSON leaves it out)', { headers: { 'x-a': undefined }, sourceLabels: { app: undefined }, port: 80 }, { port: 80 }],
    ['a null header match decodes as an empty string match', { withoutHeaders: { 'x-a': null } }, { withoutHeaders: { 'x-a': {} } }],
    ['a header match that is no object (the schema refuses it) reads as an empty one', { withoutHeaders: { 'x-a': 'v' } }, { withoutHeaders: { 'x-a': {} } }],
    ['fields besides the set kind of a string match do not count', { uri: { exact: '/a', other: 1 } }, { uri: { exact: '/a' } }],
    ['data of the wrong type is compared as data (zero values dropped), without throwing', { gateways: [{ a: 1, b: 0 }] }, { gateways: [{ a: 1 }] }],
  ])('the same: %s', (_, a, b) => {
    expect(pair(a, b)).toEqual(repeated('http'));
  });

  test.each<[string, unknown, unknown]>([
    ['an empty string match is set', { uri: {} }, {}],
    ['an empty exact match is set, and differs from an empty string match', { uri: { exact: '' } }, { uri: {} }],
    ['exact and regex of the same text', { uri: { exact: '/a' } }, { uri: { regex: '/a' } }],
    ['exact and prefix of a header', { headers: { 'x-a': { exact: 'v' } } }, { headers: { 'x-a': { prefix: 'v' } } }],
    ['headers and withoutHeaders', { headers: { 'x-a': { exact: 'v' } } }, { withoutHeaders: { 'x-a': { exact: 'v' } } }],
    ['a header match and none', { headers: { 'x-a': {} } }, {}],
    ['source labels with other values', { sourceLabels: { app: 'a' } }, { sourceLabels: { app: 'b' } }],
    ['ports', { port: 80 }, { port: 81 }],
    ['an empty string in a list keeps its place', { gateways: ['', 'mesh'] }, { gateways: ['mesh'] }],
    ['case-insensitive uri', { uri: { exact: '/a' }, ignoreUriCase: true }, { uri: { exact: '/a' } }],
  ])('not the same: %s', (_, a, b) => {
    expect(pair(a, b)).toEqual([]);
  });

  test('tls and tcp matches are compared as data: their maps as they are, and no string matches', () => {
    expect(pair({ sniHosts: [HOST], sourceLabels: { app: 'a' }, port: 0 }, { sourceLabels: { app: 'a' }, sniHosts: [HOST] }, 'tls')).toEqual(repeated('tls'));
    expect(pair({ port: 80, sourceLabels: {}, destinationSubnets: [] }, { port: 80 }, 'tcp')).toEqual(repeated('tcp'));
    expect(pair({ port: 80, sourceLabels: { app: 'a' } }, { port: 80, sourceLabels: { app: 'b' } }, 'tcp')).toEqual([]);
    // A field tcp has not (the schema refuses it) is data, not a string match: an object is compared with its
    // zero values dropped, and an empty one is kept (as Go's JSON keeps a set empty message).
    expect(pair({ port: 80, uri: { exact: '/a', prefix: '' } }, { port: 80, uri: { exact: '/a' } }, 'tcp')).toEqual(repeated('tcp'));
    expect(pair({ port: 80, uri: { exact: '/a' } }, { port: 80, uri: { prefix: '/a' } }, 'tcp')).toEqual([]);
    expect(pair({ port: 80, uri: {} }, { port: 80 }, 'tcp')).toEqual([]);
  });
});

describe('a prefix match an earlier prefix match covers (IST0131; genMatchHTTPRoutes, coveredValidation)', () => {
  const later = (match: string, earlier: string): FindingRow[] => [ist0131('spec.http[1].match[0]', '#1', match, earlier)];
  const covered = later('#0 of prefix /api/v1', '#0 of prefix /api on #0');
  const pair = (a: Record<string, unknown>, b: Record<string, unknown>) =>
    unreachable([{ match: [{ uri: { prefix: '/api' }, ...a }] }, { match: [{ uri: { prefix: '/api/v1' }, ...b }] }]);

  test('a longer prefix after a shorter one, on the same port, method, authority and header, query and withoutHeaders keys', () => {
    const http = [
      { name: 'api', match: [{ name: 'all', uri: { prefix: '/api' } }], route },
      { name: 'v1', match: [{ name: 'v1', uri: { prefix: '/api/v1' } }], route },
    ];
    expect(findings(vs({ http }))).toEqual([
      ist0131('spec.http[1].match[0]', '"v1"', '"v1" of prefix /api/v1', '"all" of prefix /api on "api"'),
    ]);
    expectAccepted(vs({ http: [http[1], http[0]] }));
  });

  test('each pair is compared, in order; a match is named by its place in its rule', () => {
    expect(unreachable([{ match: [{ port: 1 }, { uri: { prefix: '/a' } }] }, { match: [{ uri: { prefix: '/ab' } }] }, { match: [{ uri: { prefix: '/abc' } }] }])).toEqual([
      ist0131('spec.http[1].match[0]', '#1', '#0 of prefix /ab', '#1 of prefix /a on #0'),
      ist0131('spec.http[2].match[0]', '#2', '#0 of prefix /abc', '#1 of prefix /a on #0'),
      ist0131('spec.http[2].match[0]', '#2', '#0 of prefix /abc', '#0 of prefix /ab on #1'),
    ]);
  });

  test('only prefix matches count: not a later shorter or other prefix, not an exact or regex uri, not an empty prefix, not the same prefix', () => {
    expect(unreachable([{ match: [{ uri: { prefix: '/ab' } }] }, { match: [{ uri: { prefix: '/a' } }] }])).toEqual([]);
    expect(unreachable([{ match: [{ uri: { prefix: '/a' } }] }, { match: [{ uri: { prefix: '/b' } }] }])).toEqual([]);
    expect(unreachable([{ match: [{ uri: { exact: '/a' } }] }, { match: [{ uri: { prefix: '/ab' } }] }])).toEqual([]);
    expect(unreachable([{ match: [{ uri: { regex: '/a' } }] }, { match: [{ uri: { prefix: '/ab' } }] }])).toEqual([]);
    expect(unreachable([{ match: [{ uri: { prefix: '' } }] }, { match: [{ uri: { prefix: '/ab' } }] }])).toEqual([]);
    expect(unreachable([{ match: [{ port: 80 }] }, { match: [null, { uri: { prefix: '/ab' } }] }])).toEqual([]);
    // The same prefix is the duplicate check's: here the matches differ in a header, and neither is reported.
    expect(unreachable([{ match: [{ uri: { prefix: '/a' }, headers: { x: { exact: '1' } } }] }, { match: [{ uri: { prefix: '/a' } }] }])).toEqual([]);
  });

  test('a repeated match, or one after a rule without matches, is not compared again', () => {
    expect(unreachable([{ match: [{ uri: { prefix: '/a' } }] }, { match: [{ uri: { prefix: '/a' } }] }, { match: [{ uri: { prefix: '/ab' } }] }])).toEqual([
      ist0131('spec.http[1].match[0]', '#1', '#0', '#0'),
      ist0130('spec.http[1]', '#1', ALL_TAKEN),
      ist0131('spec.http[2].match[0]', '#2', '#0 of prefix /ab', '#0 of prefix /a on #0'),
    ]);
    expect(unreachable([{ match: [{ uri: { prefix: '/a' } }] }, {}, { match: [{ uri: { prefix: '/ab' } }] }])).toEqual([
      ist0130('spec.http[2].match[0]', '#2', AFTER_CATCH_ALL),
    ]);
  });

  test('tcp and tls matches have no uri to compare', () => {
    for (const kind of ['tcp', 'tls'] as const) {
      expect(unreachable([{ match: [{ uri: { prefix: '/a' } }] }, { match: [{ uri: { prefix: '/ab' } }] }], kind)).toEqual([]);
    }
  });

  test.each<[string, Record<string, unknown>, Record<string, unknown>, boolean]>([
    ['the same port', { port: 8080 }, { port: 8080 }, true],
    ['another port', { port: 8080 }, {}, false],
    ['a port that is no number (the schema refuses it) counts as none', { port: '8080' }, {}, true],
    // Without a method both are GET; the earlier value must equal or start with the later one.
    ['GET and no method', { method: { exact: 'GET' } }, {}, true],
    ['no method and POST', {}, { method: { exact: 'POST' } }, false],
    ['the same method prefix', { method: { prefix: 'P' } }, { method: { prefix: 'P' } }, true],
    ['an earlier longer method (Istio compares the text)', { method: { exact: 'GETX' } }, {}, true],
    ['a method regex is read as GET', { method: { regex: 'P.*' } }, {}, true],
    ['the same authority', { authority: { exact: HOST } }, { authority: { exact: HOST } }, true],
    ['an earlier authority, none later (Istio: any text starts with the empty one)', { authority: { exact: HOST } }, {}, true],
    ['no authority, one later', {}, { authority: { exact: HOST } }, false],
    ['another authority', { authority: { prefix: 'api' } }, { authority: { prefix: 'web' } }, false],
    ['the same header', { headers: { 'x-v': { exact: '1' } } }, { headers: { 'x-v': { exact: '1' } } }, true],
    ['a header earlier only', { headers: { 'x-v': { exact: '1' } } }, {}, false],
    ['another header', { headers: { 'x-v': { exact: '1' } } }, { headers: { 'x-w': { exact: '1' } } }, false],
    ['another header value', { headers: { 'x-v': { exact: '1' } } }, { headers: { 'x-v': { exact: '2' } } }, false],
    ['an earlier longer header value', { headers: { 'x-v': { exact: '12' } } }, { headers: { 'x-v': { exact: '1' } } }, true],
    ['header regexes are not compared', { headers: { 'x-v': { regex: 'a' } } }, { headers: { 'x-v': { regex: 'b' } } }, true],
    ['the same query parameter', { queryParams: { q: { prefix: 'a' } } }, { queryParams: { q: { prefix: 'a' } } }, true],
    ['a query parameter earlier only', { queryParams: { q: { prefix: 'a' } } }, {}, false],
    ['the same withoutHeaders', { withoutHeaders: { 'x-v': { exact: '1' } } }, { withoutHeaders: { 'x-v': { exact: '1' } } }, true],
    ['withoutHeaders later only', {}, { withoutHeaders: { 'x-v': { exact: '1' } } }, false],
  ])('%s: covered %p', (_, a, b, isCovered) => {
    expect(pair(a, b)).toEqual(isCovered ? covered : []);
  });
});

// Cases the mutation run left open: which matches are the same, numbered names, and the prefixes an earlier match covers.
const rulesVs = (kind: Kind, rules: Array<Record<string, unknown>>): any => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'routes', namespace: 'shop' },
  spec: { hosts: [HOST], [kind]: rules.map(r => ({ ...r, route })) },
});

/** Two rules of one match each: the findings, after the CRD schema took the VirtualService. */
function twoRules(a: Record<string, unknown>, b: Record<string, unknown>, kind: Kind = 'http'): FindingRow[] {
  assertValidIstioObjects([rulesVs(kind, [{ match: [a] }, { match: [b] }])]);
  return unreachable([{ match: [a] }, { match: [b] }], kind);
}
const repeated = (kind: Kind = 'http'): FindingRow[] =>
  [ist0131(`spec.${kind}[1].match[0]`, '#1', '#0', '#0'), ist0130(`spec.${kind}[1]`, '#1', ALL_TAKEN)];

describe('which http matches are the same: the set kind of each string match, Go\'s JSON of the rest', () => {
  test.each(['uri', 'scheme', 'method', 'authority'])('an empty exact %s is set: it differs from an empty string match, not from itself', field => {
    expect(twoRules({ [field]: { exact: '' } }, { [field]: {} })).toEqual([]);
    expect(twoRules({ [field]: {} }, { [field]: { exact: '' } })).toEqual([]);
    expect(twoRules({ [field]: { exact: '' } }, { [field]: { exact: '' } })).toEqual(repeated());
  });

  test('a prefix string match differs from an empty one, in a string match field and in a header map', () => {
    expect(twoRules({ uri: { prefix: '/a' } }, { uri: {} })).toEqual([]);
    expect(twoRules({ method: { prefix: 'P' } }, { method: {} })).toEqual([]);
    expect(twoRules({ headers: { 'x-a': { prefix: 'v' } } }, { headers: { 'x-a': {} } })).toEqual([]);
    expect(twoRules({ queryParams: { q: { prefix: 'v' } } }, { queryParams: { q: {} } })).toEqual([]);
    expect(twoRules({ method: { prefix: 'P' } }, { method: { prefix: 'P' } })).toEqual(repeated());
  });

  test('a regex string match differs from an empty one and from another regex, in a string match field and in a header map', () => {
    expect(twoRules({ uri: { regex: '/a.*' } }, { uri: {} })).toEqual([]);
    expect(twoRules({ authority: { regex: 'a.*' } }, { authority: { regex: 'b.*' } })).toEqual([]);
    expect(twoRules({ headers: { 'x-a': { regex: 'v.*' } } }, { headers: { 'x-a': {} } })).toEqual([]);
    expect(twoRules({ uri: { regex: '/a.*' } }, { uri: { regex: '/a.*' } })).toEqual(repeated());
  });

  // The API server drops a null of a field that is not nullable before the webhook reads the object.
  test.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['in a header match', { headers: { 'x-a': { exact: null } } }, { headers: { 'x-a': {} } }],
    ['in a query parameter match', { queryParams: { q: { exact: null } } }, { queryParams: { q: {} } }],
    ['in a withoutHeaders match', { withoutHeaders: { 'x-a': { regex: null, prefix: 'v' } } }, { withoutHeaders: { 'x-a': { prefix: 'v' } } }],
    ['beside the set kind of a uri match', { uri: { exact: null, prefix: '/a' } }, { uri: { prefix: '/a' } }],
    ['as the only kind of a uri match', { uri: { exact: null } }, { uri: {} }],
  ])('a null kind of a string match is unset: %s', (_, a, b) => {
    expect(twoRules(a, b)).toEqual(repeated());
  });

  test('a null field that is no string match is unset too', () => {
    expect(twoRules({ port: 80, sourceNamespace: null, gateways: null, ignoreUriCase: null, headers: null }, { port: 80 })).toEqual(repeated());
    expect(twoRules({ port: 80, statPrefix: null }, { port: 80 })).toEqual(repeated());
    expect(twoRules({ port: 80, sourceNamespace: null }, { port: 80 }, 'tcp')).toEqual(repeated('tcp'));
  });

  test('a list is compared entry by entry', () => {
    expect(twoRules({ gateways: ['shop/a'] }, { gateways: ['shop/b'] })).toEqual([]);
    expect(twoRules({ gateways: ['shop/a', 'mesh'] }, { gateways: ['shop/a'] })).toEqual([]);
    expect(twoRules({ gateways: ['shop/a'] }, { gateways: ['shop/a'] })).toEqual(repeated());
    expect(twoRules({ port: 80, destinationSubnets: ['10.0.0.0/8'] }, { port: 80, destinationSubnets: ['10.1.0.0/16'] }, 'tcp')).toEqual([]);
  });

  test('the name of an http match is left out, and the later match is shown by its own name', () => {
    expect(twoRules({ name: 'first', port: 80 }, { name: 'second', port: 80 })).toEqual([
      ist0131('spec.http[1].match[0]', '#1', '"second"', '#0'), ist0130('spec.http[1]', '#1', ALL_TAKEN),
    ]);
  });

  test('the other fields are compared by value, not read as string matches (http and tcp)', () => {
    expect(twoRules({ port: 80 }, { port: 81 })).toEqual([]);
    expect(twoRules({ sourceNamespace: 'shop' }, { sourceNamespace: 'web' })).toEqual([]);
    expect(twoRules({ statPrefix: 'a' }, { statPrefix: 'b' })).toEqual([]);
    expect(twoRules({ port: 80 }, { port: 81 }, 'tcp')).toEqual([]);
    expect(twoRules({ port: 80, sourceNamespace: 'shop' }, { port: 80, sourceNamespace: 'web' }, 'tcp')).toEqual([]);
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
    assertValidIstioObjects([rulesVs('http', rules)]);
    expect(unreachable(rules)).toEqual(repeated());
    expect(unreachable([{ name: '' }, { name: '' }])).toEqual([ist0130('spec.http[1]', '#1', 'only the last rule can have no matches')]);
  });
});

describe('a prefix match an earlier one covers: the method, authority and header values compared (genMatchHTTPRoutes)', () => {
  const covered = [ist0131('spec.http[1].match[0]', '#1', '#0 of prefix /api/v1', '#0 of prefix /api on #0')];
  const prefixes = (a: Record<string, unknown>, b: Record<string, unknown>) =>
    twoRules({ uri: { prefix: '/api' }, ...a }, { uri: { prefix: '/api/v1' }, ...b });

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
    expect(twoRules({ port: 80 }, { uri: { prefix: '/a' } })).toEqual([]);
    expect(twoRules({ uri: { prefix: '/a' } }, { port: 80 })).toEqual([]);
    expect(unreachable([{ match: [{ uri: null, port: 80 }] }, { match: [{ uri: { prefix: '/a' } }] }])).toEqual([]);
    expect(unreachable([{ match: ['x', { uri: 'x' }] }, { match: [{ uri: { prefix: '/a' } }] }])).toEqual([]);
  });

  test('prefixes that do not cover the later one are not reported: another prefix, or the same one (the duplicate check\'s)', () => {
    expect(twoRules({ uri: { prefix: '/a' } }, { uri: { prefix: '/b' } })).toEqual([]);
    expect(twoRules({ uri: { prefix: '/ab' } }, { uri: { prefix: '/a' } })).toEqual([]);
    expect(twoRules({ uri: { prefix: '/a' }, headers: { 'x-v': { exact: '1' } } }, { uri: { prefix: '/a' } })).toEqual([]);
    expect(twoRules({ uri: { prefix: '/a' }, port: 8080 }, { uri: { prefix: '/ab' } })).toEqual([]);
    // The same prefix, and the earlier match covers the later one (GET is the default), but they are not the same match.
    expect(twoRules({ uri: { prefix: '/a' }, method: { exact: 'GET' } }, { uri: { prefix: '/a' } })).toEqual([]);
    expect(twoRules({ uri: { prefix: '/a' }, headers: { 'x-v': { exact: '12' } } }, { uri: { prefix: '/a' }, headers: { 'x-v': { exact: '1' } } })).toEqual([]);
  });
});
