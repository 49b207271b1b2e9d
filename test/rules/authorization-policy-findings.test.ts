/**
 * Each AuthorizationPolicy finding in full: rule, severity, field, value, Istio's message and our fix, next to
 * the closest input Istio 1.30.3 accepts. Conditions and messages follow ValidateAuthorizationPolicy,
 * validateOneOfSelectorType, validateWorkloadSelector and validatePolicyTargetReference(s)
 * (pkg/config/validation/validation.go), and ValidateAttribute, ValidateIPs, ValidatePorts, CheckEmptyValues,
 * CheckServiceAccount, CheckWildcardValues, CheckTrustDomainValues and CheckValidPathTemplate
 * (pkg/config/security/security.go), with the CRD's CEL rules where the API server refuses first. Istio decodes
 * the spec with the legacy jsonpb: an empty list is no list, a null field is unset, and a null list entry is an
 * empty message. The rule module is imported directly, so its tables load with this file.
 */
import { checkAuthorizationPolicy, checkPolicyTargets, ipProblem, portProblem } from '../../src/rules/authorization-policy';
import { FindingCollector } from '../../src/rules/finding';
import { assertValidIstioObjects } from '../support/crd-validator';
import { FindingRow, findingRows } from '../support/findings';

function ap(spec: any): any {
  return { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'egress', namespace: 'shop' }, spec };
}
/** A policy with one rule whose only `from` entry has this source. */
const source = (src: any, more: Record<string, unknown> = {}) => ap({ ...more, rules: [{ from: [{ source: src }] }] });
/** A policy with one rule whose only `to` entry has this operation. */
const operation = (op: any, more: Record<string, unknown> = {}) => ap({ ...more, rules: [{ to: [{ operation: op }] }] });
/** A policy with one rule with this one condition. */
const when = (condition: any, more: Record<string, unknown> = {}) => ap({ ...more, rules: [{ when: [condition] }] });
const CUSTOM = { action: 'CUSTOM', provider: { name: 'ext-authz' } };

type Row = FindingRow;
const findings = (object: any): Row[] => findingRows(checkAuthorizationPolicy(object));

/** Accepted by Istio: no finding, and the CRD schema with its CEL rules takes it too. */
function expectAccepted(object: any): void {
  expect(findings(object)).toEqual([]);
  assertValidIstioObjects([object]);
}

const R = 'spec.rules[0]';
const SRC = `${R}.from[0].source`;
const OP = `${R}.to[0].operation`;
const W = `${R}.when[0]`;

const SOURCE_FIX = 'name the principals, namespaces or IP blocks';
const OPERATION_FIX = 'name the hosts, ports, methods or paths';
const IP_FIX = 'write an IP address such as 10.0.0.1 or a CIDR block such as 10.0.0.0/8';
const PORT_FIX = 'write the port as a quoted number from 0 to 65535, e.g. "443"';
const EMPTY_FIX = 'remove the empty value';
const SA_FIX = 'write serviceAccount or namespace/serviceAccount, at most 16 of them, without wildcards';
const TD_FIX = 'write a trust domain such as cluster.local, with at most one wildcard at its start or end';
const PATH_FIX = 'use {*} for one path segment and {**} only as the last one, with plain segments between them';
const TARGET_FIX = 'target a Service (group ""), a ServiceEntry (networking.istio.io) or a Gateway or GatewayClass (gateway.networking.k8s.io)';
const TARGETS = '[core/v1/Service networking.istio.io/v1/ServiceEntry gateway.networking.k8s.io/v1/Gateway gateway.networking.k8s.io/v1/GatewayClass]';
const ATTRIBUTES_FIX = 'use source.ip, remote.ip, source.namespace, source.principal, source.serviceAccount, source.trustDomain, '
  + 'request.headers[name], request.auth.principal|audiences|presenter, request.auth.claims[name], destination.ip, destination.port, '
  + 'connection.sni or experimental.envoy.filters.*[key]';
const WITHOUT_RULES = 'action without `rules` is meaningless as it will never be triggered, add an empty rule `{}` if you want it be triggered for every request';
const DENY_HTTP_ONLY = 'configured AuthorizationPolicy will deny all traffic to TCP ports under its scope due to the use of only HTTP attributes '
  + 'in a DENY rule; it is recommended to explicitly specify the port';
const DENY_HTTP_FIX = 'add the ports the rule is about (to.operation.ports), or a TCP attribute such as ipBlocks';

describe('odd shapes are read without throwing', () => {
  test.each([
    ['no spec', undefined],
    ['a null spec', null],
    ['a spec that is a string', 'x'],
    ['a spec that is a list', []],
  ])('%s is an ALLOW policy without rules', (_, spec) => {
    expect(findings({ kind: 'AuthorizationPolicy', spec })).toEqual([]);
  });

  test('a manifest without metadata or spec', () => {
    expect(findings({})).toEqual([]);
  });

  test('rules that are no list are no rules (ALLOW: nothing to say; DENY: refused as without rules)', () => {
    expect(findings(ap({ rules: 'x' }))).toEqual([]);
    expect(findings(ap({ action: 'DENY', rules: { from: [] } }))).toEqual([
      ['AP4', 'error', 'spec.rules', { from: [] }, `DENY ${WITHOUT_RULES}`, 'add the rules to deny, or an empty rule {} to deny everything'],
    ]);
  });

  test('a null rule is an empty rule (jsonpb): it matches every request, and a DENY policy with it is accepted', () => {
    expect(findings(ap({ action: 'DENY', rules: [null] }))).toEqual([]);
    expect(findings(ap({ action: 'DENY', rules: ['x', 7] }))).toEqual([]);
  });

  test('from, to and when that are no lists are absent', () => {
    expect(findings(ap({ rules: [{ from: 'x', to: 7, when: {} }] }))).toEqual([]);
  });

  test('a null `from` entry is an empty From: its source is nil', () => {
    expect(findings(ap({ rules: [{ from: [null] }] }))).toEqual([
      ['AP6', 'error', SRC, null, '`from.source` must not be nil, found at rule 0', SOURCE_FIX],
    ]);
  });

  test('a null source is unset, and one that is no object is empty', () => {
    expect(findings(source(null))).toEqual([
      ['AP6', 'error', SRC, null, '`from.source` must not be nil, found at rule 0', SOURCE_FIX],
    ]);
    expect(findings(source('x'))).toEqual([
      ['AP6', 'error', SRC, 'x', '`from.source` must not be empty, found at rule 0', SOURCE_FIX],
    ]);
  });

  test('a null `to` entry is an empty To: its operation is nil', () => {
    expect(findings(ap({ rules: [{ to: [null] }] }))).toEqual([
      ['AP6', 'error', OP, null, '`to.operation` must not be nil, found at rule 0', OPERATION_FIX],
    ]);
  });

  test('a null operation is unset, and one that is no object is empty', () => {
    expect(findings(operation(null))).toEqual([
      ['AP6', 'error', OP, null, '`to.operation` must not be nil, found at rule 0', OPERATION_FIX],
    ]);
    expect(findings(operation(['GET']))).toEqual([
      ['AP6', 'error', OP, ['GET'], '`to.operation` must not be empty, found at rule 0', OPERATION_FIX],
    ]);
  });

  test('a null condition is an empty one: its key is empty', () => {
    expect(findings(ap({ rules: [{ when: [null] }] }))).toEqual([
      ['AP10', 'error', `${W}.key`, null, '`key` must not be empty', 'name an attribute such as connection.sni or source.ip'],
    ]);
  });

  test('a key that is no string is an empty key', () => {
    expect(findings(when({ key: 7, values: ['a'] }))).toEqual([
      ['AP10', 'error', `${W}.key`, 7, '`key` must not be empty', 'name an attribute such as connection.sni or source.ip'],
    ]);
  });

  test('values that are no list are no values', () => {
    expect(findings(when({ key: 'connection.sni', values: 'api.example.com' }))).toEqual([
      ['AP10', 'error', W, { key: 'connection.sni', values: 'api.example.com' },
        'at least one of `values` or `notValues` must be set for key connection.sni', 'give the values to match'],
    ]);
  });

  test('list entries that are no strings are refused by the schema, once per list', () => {
    expect(findings(when({ key: 'connection.sni', values: ['a', 443, null], notValues: [{}] }))).toEqual([
      ['AP8', 'error', `${W}.values[1]`, 443, 'values must be a list of strings, found 443', 'quote the value, e.g. "443"'],
      ['AP8', 'error', `${W}.notValues[0]`, {}, 'notValues must be a list of strings, found {}', 'quote the value, e.g. "443"'],
    ]);
    expect(findings(source({ principals: [true] }))).toEqual([
      ['AP8', 'error', `${SRC}.principals[0]`, true, 'Principals must be a list of strings, found true', 'quote the value, e.g. "443"'],
    ]);
    expect(findings(operation({ notHosts: [null] }))).toEqual([
      ['AP8', 'error', `${OP}.notHosts[0]`, null, 'NotHosts must be a list of strings, found null', 'quote the value, e.g. "443"'],
    ]);
  });

  test('a non-string port is read as its text for the port check', () => {
    expect(findings(operation({ ports: [70000] }))).toEqual([
      ['AP8', 'error', `${OP}.ports[0]`, 70000, 'Ports must be a list of strings, found 70000', 'quote the value, e.g. "443"'],
      ['AP8', 'error', `${OP}.ports[0]`, '70000', 'bad port (70000): <nil>', PORT_FIX],
    ]);
  });

  test('a null action is ALLOW', () => {
    expectAccepted(ap({ action: null, rules: [{ to: [{ operation: { methods: ['GET'] } }] }] }));
    expect(findings(ap({ action: null, provider: { name: 'x' } }))).toEqual([
      ['AP5', 'error', 'spec.provider', { name: 'x' }, '`provider` must not be with non CUSTOM action, found ALLOW', 'remove the provider, or set action: CUSTOM'],
    ]);
  });
});

describe('actions (AP4, AP5)', () => {
  // AuthorizationPolicy_Action in istio.io/api security/v1beta1.
  test.each([
    ['ALLOW', { rules: [{}] }],
    ['DENY', { rules: [{ to: [{ operation: { ports: ['22'] } }] }] }],
    ['AUDIT', {}],
    ['CUSTOM', { provider: { name: 'ext-authz' }, rules: [{}] }],
  ])('action %s is accepted', (action, more) => {
    expectAccepted(ap({ action, ...more }));
  });

  test.each(['allow', 'Deny', 'LOG', 'ALLOW ', ''])('action %j is refused', action => {
    expect(findings(ap({ action }))).toEqual([
      ['AP5', 'error', 'spec.action', action, `unsupported action ${action}`, 'use one of ALLOW, DENY, AUDIT, CUSTOM'],
    ]);
  });

  test('an unknown action with a provider is refused for the action only', () => {
    expect(findings(ap({ action: 'BLOCK', provider: { name: 'x' }, rules: [{}] }))).toEqual([
      ['AP5', 'error', 'spec.action', 'BLOCK', 'unsupported action BLOCK', 'use one of ALLOW, DENY, AUDIT, CUSTOM'],
    ]);
  });

  test('an action that is no string is refused with its JSON', () => {
    expect(findings(ap({ action: 1 }))).toEqual([
      ['AP5', 'error', 'spec.action', 1, 'unsupported action 1', 'use one of ALLOW, DENY, AUDIT, CUSTOM'],
    ]);
  });

  test.each([
    ['missing', undefined],
    ['an empty list (jsonpb leaves it nil)', []],
  ])('DENY with rules %s is refused', (_, rules) => {
    expect(findings(ap({ action: 'DENY', rules }))).toEqual([
      ['AP4', 'error', 'spec.rules', rules ?? null, `DENY ${WITHOUT_RULES}`, 'add the rules to deny, or an empty rule {} to deny everything'],
    ]);
  });

  test('DENY with an empty rule is accepted (it denies every request)', () => {
    expectAccepted(ap({ action: 'DENY', rules: [{}] }));
  });

  test.each([
    ['ALLOW', undefined], ['AUDIT', 'AUDIT'],
  ])('%s without rules is accepted', (_, action) => {
    expectAccepted(ap({ action }));
  });

  test.each([
    ['missing', undefined],
    ['an empty list', []],
  ])('CUSTOM with rules %s is refused, and is not also asked for a provider', (_, rules) => {
    expect(findings(ap({ action: 'CUSTOM', rules }))).toEqual([
      ['AP5', 'error', 'spec.rules', rules ?? null, `CUSTOM ${WITHOUT_RULES}`,
        'add the rules to send to the provider, or an empty rule {} for every request'],
    ]);
  });

  const providerFix = 'name an extension provider of the mesh config, e.g. provider: {name: my-ext-authz}';
  test.each([
    ['no provider', undefined, null],
    ['a null provider', null, null],
    ['a provider without name', {}, null],
    ['an empty provider name', { name: '' }, ''],
    ['a provider name that is no string', { name: 7 }, 7],
    ['a provider that is no object', 'ext-authz', null],
  ])('CUSTOM with rules and %s is refused', (_, provider, value) => {
    expect(findings(ap({ action: 'CUSTOM', provider, rules: [{}] }))).toEqual([
      ['AP5', 'error', 'spec.provider.name', value, '`provider.name` must not be empty', providerFix],
    ]);
  });

  test.each(['ALLOW', 'DENY', 'AUDIT'])('a provider on %s is refused, even an empty one', action => {
    expect(findings(ap({ action, provider: {}, rules: [{ to: [{ operation: { ports: ['443'] } }] }] }))).toEqual([
      ['AP5', 'error', 'spec.provider', {}, `\`provider\` must not be with non CUSTOM action, found ${action}`, 'remove the provider, or set action: CUSTOM'],
    ]);
  });

  test('a null provider on ALLOW is no provider', () => {
    expect(findings(ap({ provider: null, rules: [{}] }))).toEqual([]);
  });
});

describe('CUSTOM policies support fewer attributes (AP5)', () => {
  const customFix = 'match the source by ipBlocks or remoteIpBlocks, or let the provider decide';
  // The source fields ValidateAuthorizationPolicy refuses with CUSTOM, and the name its message gives each.
  test.each([
    ['namespaces', 'Namespaces', 'shop'],
    ['notNamespaces', 'NotNamespaces', 'shop'],
    ['serviceAccounts', 'ServiceAccounts', 'shop/checkout'],
    ['notServiceAccounts', 'NotServiceAccounts', 'shop/checkout'],
    ['trustDomains', 'TrustDomains', 'cluster.local'],
    ['notTrustDomains', 'NotTrustDomains', 'cluster.local'],
    ['principals', 'Principals', 'cluster.local/ns/shop/sa/checkout'],
    ['notPrincipals', 'NotPrincipals', 'cluster.local/ns/shop/sa/checkout'],
    ['requestPrincipals', 'RequestPrincipals', 'issuer.example.com/subject'],
    ['notRequestPrincipals', 'NotRequestPrincipals', 'issuer.example.com/subject'],
  ])('source.%s is refused with CUSTOM', (key, name, value) => {
    expect(findings(source({ [key]: [value] }, CUSTOM))).toEqual([
      ['AP5', 'error', `${SRC}.${key}`, [value], `From.${name} is currently not supported with CUSTOM action`, customFix],
    ]);
    // Without CUSTOM, the same source is accepted.
    expectAccepted(source({ [key]: [value] }));
  });

  test.each(['ipBlocks', 'notIpBlocks', 'remoteIpBlocks', 'notRemoteIpBlocks'])('source.%s is accepted with CUSTOM', key => {
    expectAccepted(source({ [key]: ['10.0.0.0/8'] }, CUSTOM));
  });

  test('each unsupported field is its own finding, in Istio\'s order, on the entry and rule it is in', () => {
    const object = ap({ ...CUSTOM, rules: [{}, { from: [{ source: { ipBlocks: ['10.0.0.1'] } }, { source: { principals: ['a'], namespaces: ['b'] } }] }] });
    expect(findings(object)).toEqual([
      ['AP5', 'error', 'spec.rules[1].from[1].source.namespaces', ['b'], 'From.Namespaces is currently not supported with CUSTOM action', customFix],
      ['AP5', 'error', 'spec.rules[1].from[1].source.principals', ['a'], 'From.Principals is currently not supported with CUSTOM action', customFix],
    ]);
  });

  test('an empty list of an unsupported field is no field (and the source is then empty)', () => {
    expect(findings(source({ principals: [], ipBlocks: ['10.0.0.1'] }, CUSTOM))).toEqual([]);
  });

  test('null rules and rules that are no objects are empty rules under CUSTOM too', () => {
    expect(findings(ap({ ...CUSTOM, rules: [null, 'x'] }))).toEqual([]);
  });

  test('a from entry that is null or no object, or whose source is none, is read without a crash under CUSTOM', () => {
    const rows = findings(ap({ ...CUSTOM, rules: [{ from: [null, 'x', { source: 'y' }, { source: { principals: ['a'] } }] }] }));
    expect(rows.filter(r => r[0] === 'AP5')).toEqual([
      ['AP5', 'error', `${R}.from[3].source.principals`, ['a'], 'From.Principals is currently not supported with CUSTOM action', customFix],
    ]);
  });

  test('a CUSTOM `from` entry without source, or with a source that is no object, is not checked for CUSTOM', () => {
    expect(findings(ap({ ...CUSTOM, rules: [{ from: [{}, { source: ['principals'] }] }] }))).toEqual([
      ['AP6', 'error', SRC, null, '`from.source` must not be nil, found at rule 0', SOURCE_FIX],
      ['AP6', 'error', 'spec.rules[0].from[1].source', ['principals'], '`from.source` must not be empty, found at rule 0', SOURCE_FIX],
    ]);
  });

  const keyFix = 'use a condition on the request or connection instead, or let the provider decide';
  test.each([
    ['source.namespace', 'shop'],
    ['source.serviceAccount', 'shop/checkout'],
    ['source.trustDomain', 'cluster.local'],
    ['source.principal', 'cluster.local/ns/shop/sa/checkout'],
    ['request.auth.principal', 'issuer.example.com/subject'],
    ['request.auth.audiences', 'egress'],
    ['request.auth.presenter', 'client'],
    ['request.auth.claims[iss]', 'issuer.example.com'],
  ])('condition key %s is refused with CUSTOM', (key, value) => {
    expect(findings(when({ key, values: [value] }, CUSTOM))).toEqual([
      ['AP5', 'error', `${W}.key`, key, `${key} is currently not supported with CUSTOM action`, keyFix],
    ]);
    expectAccepted(when({ key, values: [value] }));
  });

  test.each([
    ['source.ip', '10.0.0.1'],
    ['remote.ip', '10.0.0.0/8'],
    ['destination.ip', '203.0.113.7'],
    ['destination.port', '443'],
    ['connection.sni', 'api.example.com'],
    ['request.headers[x-tenant]', 'shop'],
    ['experimental.envoy.filters.network.mysql_proxy[db.table]', '[update]'],
  ])('condition key %s is accepted with CUSTOM', (key, value) => {
    expectAccepted(when({ key, values: [value] }, CUSTOM));
  });

  test('near misses of the unsupported keys are other attributes: unknown, not unsupported', () => {
    expect(findings(when({ key: 'source.principals', values: ['a'] }, CUSTOM))).toEqual([
      ['AP10', 'error', `${W}.key`, 'source.principals', 'invalid `value` for `key` source.principals: unknown attribute: source.principals', ATTRIBUTES_FIX],
    ]);
    expect(findings(when({ key: 'request.authx', values: ['a'] }, CUSTOM))).toEqual([
      ['AP10', 'error', `${W}.key`, 'request.authx', 'invalid `value` for `key` request.authx: unknown attribute: request.authx', ATTRIBUTES_FIX],
    ]);
  });

  test('a CUSTOM condition with an empty or missing key is refused once, for the key', () => {
    expect(findings(ap({ ...CUSTOM, rules: [{ when: [null, { values: ['a'] }] }] }))).toEqual([
      ['AP10', 'error', `${W}.key`, null, '`key` must not be empty', 'name an attribute such as connection.sni or source.ip'],
      ['AP10', 'error', `${R}.when[1].key`, null, '`key` must not be empty', 'name an attribute such as connection.sni or source.ip'],
    ]);
  });
});

describe('sources (AP6, AP7, AP8)', () => {
  // The fields of security.v1beta1.Source: any one of them, non-empty, makes a source.
  test.each([
    ['principals', 'cluster.local/ns/shop/sa/checkout'],
    ['notPrincipals', 'cluster.local/ns/shop/sa/legacy'],
    ['requestPrincipals', 'issuer.example.com/*'],
    ['notRequestPrincipals', '*'],
    ['namespaces', 'shop'],
    ['notNamespaces', 'kube-system'],
    ['ipBlocks', '10.0.0.0/8'],
    ['notIpBlocks', '10.1.2.3'],
    ['remoteIpBlocks', '2001:db8::/32'],
    ['notRemoteIpBlocks', '192.168.0.1'],
    ['serviceAccounts', 'shop/checkout'],
    ['notServiceAccounts', 'checkout'],
    ['trustDomains', 'cluster.local'],
    ['notTrustDomains', '*.corp.example'],
  ])('a source with only %s is accepted', (key, value) => {
    expectAccepted(source({ [key]: [value] }));
  });

  test('a source with a misspelled field only is empty (the schema would drop or refuse the field)', () => {
    expect(findings(source({ principal: ['a'] }))).toEqual([
      ['AP6', 'error', SRC, { principal: ['a'] }, '`from.source` must not be empty, found at rule 0', SOURCE_FIX],
    ]);
  });

  test('the rule index in the message is the rule\'s', () => {
    expect(findings(ap({ rules: [{}, { from: [{ source: { principals: ['a'] } }, { source: {} }] }] }))).toEqual([
      ['AP6', 'error', 'spec.rules[1].from[1].source', {}, '`from.source` must not be empty, found at rule 1', SOURCE_FIX],
    ]);
    expect(findings(ap({ rules: [{}, {}, { from: [{ source: null }] }] }))).toEqual([
      ['AP6', 'error', 'spec.rules[2].from[0].source', null, '`from.source` must not be nil, found at rule 2', SOURCE_FIX],
    ]);
  });

  test('an empty from list is no from list (jsonpb leaves it nil): accepted', () => {
    expectAccepted(ap({ rules: [{ from: [], to: [{ operation: { hosts: ['api.example.com'] } }] }] }));
    expectAccepted(ap({ rules: [{ to: [] }] }));
  });

  const saFix = 'use either serviceAccounts, or principals and namespaces';
  test.each([
    ['serviceAccounts', 'principals'],
    ['serviceAccounts', 'notPrincipals'],
    ['notServiceAccounts', 'namespaces'],
    ['notServiceAccounts', 'notNamespaces'],
  ])('%s with %s is refused', (accounts, other) => {
    const src = { [accounts]: ['shop/checkout'], [other]: ['a'] };
    expect(findings(source(src))).toEqual([
      ['AP7', 'error', SRC, src, 'cannot set serviceAccounts with namespaces or principals, found at rule 0', saFix],
    ]);
  });

  test('serviceAccounts with the other source fields is accepted', () => {
    expectAccepted(source({ serviceAccounts: ['shop/checkout'], requestPrincipals: ['*'], ipBlocks: ['10.0.0.0/8'], trustDomains: ['cluster.local'] }));
  });

  test('an empty serviceAccounts list beside principals is refused: the CRD\'s CEL rule asks has(), not size', () => {
    const src = { serviceAccounts: [], principals: ['a'] };
    expect(findings(source(src))).toEqual([
      ['AP7', 'error', SRC, src, 'cannot set serviceAccounts with namespaces or principals, found at rule 0', saFix],
    ]);
    expect(() => assertValidIstioObjects([source(src)])).toThrow(/serviceAccounts/);
  });

  test('a null serviceAccounts beside principals is unset: accepted', () => {
    expect(findings(source({ serviceAccounts: null, namespaces: ['shop'] }))).toEqual([]);
    expect(findings(source({ notServiceAccounts: ['shop/a'], principals: null }))).toEqual([]);
  });

  test.each(['ipBlocks', 'notIpBlocks', 'remoteIpBlocks', 'notRemoteIpBlocks'])('a bad address in %s is refused, each entry', key => {
    expect(findings(source({ [key]: ['10.0.0.1', 'bad', '10.0.0.0/40'] }))).toEqual([
      ['AP8', 'error', `${SRC}.${key}[1]`, 'bad', 'bad IP address (bad)', IP_FIX],
      ['AP8', 'error', `${SRC}.${key}[2]`, '10.0.0.0/40', 'bad CIDR range (10.0.0.0/40): netip.ParsePrefix("10.0.0.0/40"): prefix length out of range', IP_FIX],
    ]);
  });

  test('addresses are only checked in the IP fields', () => {
    expectAccepted(source({ principals: ['bad'], namespaces: ['10.0.0.0/40'] }));
  });

  // CheckEmptyValues, with the field names Istio's messages give.
  test.each([
    ['principals', 'Principals'],
    ['requestPrincipals', 'RequestPrincipals'],
    ['namespaces', 'Namespaces'],
    ['notPrincipals', 'NotPrincipals'],
    ['notRequestPrincipals', 'NotRequestPrincipals'],
    ['notNamespaces', 'NotNamespaces'],
  ])('an empty value in %s is refused, the first one', (key, name) => {
    expect(findings(source({ [key]: ['a', '', ''] }))).toEqual([
      ['AP8', 'error', `${SRC}.${key}[1]`, '', `empty value not allowed, found in ${name}`, EMPTY_FIX],
    ]);
  });

  test.each([
    ['ipBlocks', 'IpBlocks'],
    ['remoteIpBlocks', 'RemoteIpBlocks'],
    ['notIpBlocks', 'NotIpBlocks'],
    ['notRemoteIpBlocks', 'NotRemoteIpBlocks'],
  ])('an empty value in %s is a bad address and an empty value', (key, name) => {
    expect(findings(source({ [key]: [''] }))).toEqual([
      ['AP8', 'error', `${SRC}.${key}[0]`, '', 'bad IP address ()', IP_FIX],
      ['AP8', 'error', `${SRC}.${key}[0]`, '', `empty value not allowed, found in ${name}`, EMPTY_FIX],
    ]);
  });

  test.each([
    ['serviceAccounts', 'ServiceAccounts', 'AP9', SA_FIX],
    ['notServiceAccounts', 'NotServiceAccounts', 'AP9', SA_FIX],
    ['trustDomains', 'TrustDomains', 'AP12', TD_FIX],
    ['notTrustDomains', 'NotTrustDomains', 'AP12', TD_FIX],
  ])('an empty value in %s is refused by its own check', (key, name, rule, fix) => {
    expect(findings(source({ [key]: ['a', ''] }))).toEqual([
      [rule, 'error', `${SRC}.${key}[1]`, '', `empty value not allowed, found in ${name}`, fix],
    ]);
  });
});

describe('addresses (ValidateIPs: Go\'s netip.ParseAddr and ParsePrefix)', () => {
  test.each([
    '0.0.0.0', '255.255.255.255', '10.0.0.0/0', '10.0.0.0/32', '10.0.0.0/9', '::', '::/0', '::/128', '2001:db8::1', 'fe80::1%eth0',
    '::ffff:10.0.0.1', '::ffff:10.0.0.0/128',
  ])('%s is accepted', value => {
    expect(ipProblem(value)).toBeUndefined();
    expectAccepted(source({ ipBlocks: [value] }));
  });

  test.each([
    '1:2:3:4:5:6:7::/16', '1:2:3:4:5:6:10.0.0.1/128', 'ABCD::/16', '::00ff/128', '0::/0', '10.0.0.0/9',
  ])('the prefix %s is accepted', value => {
    expect(ipProblem(value)).toBeUndefined();
  });

  // netip.ParsePrefix's errors, and netip.ParseAddr's for the address before the slash.
  test.each([
    ['10.0.0.0/33', 'prefix length out of range'],
    ['2001:db8::/129', 'prefix length out of range'],
    ['::/1280', 'prefix length out of range'],
    ['::ffff:10.0.0.0/129', 'prefix length out of range'],
    ['10.0.0.0/99', 'prefix length out of range'],
    ['10.0.0.0/9223372036854775807', 'prefix length out of range'],
    ['10.0.0.0/9223372036854775808', 'bad bits after slash: "9223372036854775808"'],
    ['10.0.0.0/10000000000000000000', 'bad bits after slash: "10000000000000000000"'],
    ['10.0.0.0/', 'bad bits after slash: ""'],
    ['10.0.0.0/00', 'bad bits after slash: "00"'],
    ['10.0.0.0/+8', 'bad bits after slash: "+8"'],
    ['10.0.0.0/-1', 'bad bits after slash: "-1"'],
    ['10.0.0.0/ 8', 'bad bits after slash: " 8"'],
    ['10.0.0.0/8x', 'bad bits after slash: "8x"'],
    ['fe80::1%eth0/64', 'IPv6 zones cannot be present in a prefix'],
    ['/8', 'ParseAddr(""): unable to parse IP'],
    ['10.0.0.0/8/8', 'ParseAddr("10.0.0.0/8"): unexpected character (at "/8")'],
    ['10.0.0/8', 'ParseAddr("10.0.0"): IPv4 address too short'],
    ['10.0.0.1.2/8', 'ParseAddr("10.0.0.1.2"): IPv4 address too long'],
    ['10.1.2.300/24', 'ParseAddr("10.1.2.300"): IPv4 field has value >255'],
    ['10.01.0.0/16', 'ParseAddr("10.01.0.0"): IPv4 field has octet with leading zero'],
    ['10..0.0/16', 'ParseAddr("10..0.0"): IPv4 field must have at least one digit (at ".0.0")'],
    ['10.0.0./16', 'ParseAddr("10.0.0."): IPv4 field must have at least one digit (at ".")'],
    ['.10.0.0/16', 'ParseAddr(".10.0.0"): IPv4 field must have at least one digit (at ".10.0.0")'],
    ['10.0.0.1::/64', 'ParseAddr("10.0.0.1::"): unexpected character (at "::")'],
    ['10.0.0.1%lan0/24', 'ParseAddr("10.0.0.1%lan0"): unexpected character (at "%lan0")'],
    ['10.0.0.\u0002/8', 'ParseAddr("10.0.0.\\x02"): unexpected character (at "\\x02")'],
    ['10.0.0.\t/8', 'ParseAddr("10.0.0.\\t"): unexpected character (at "\\t")'],
    ['web/8', 'ParseAddr("web"): unable to parse IP'],
    ['beef%lan0/64', 'ParseAddr("beef%lan0"): missing IPv6 address'],
    ['fe80::2%/64', 'ParseAddr("fe80::2%"): zone must be a non-empty string'],
    ['abcde::/48', 'ParseAddr("abcde::"): each group must have 4 or less digits (at "abcde::")'],
    ['::zz/8', 'ParseAddr("::zz"): each colon-separated field must have at least one digit (at "zz")'],
    [':1::/8', 'ParseAddr(":1::"): each colon-separated field must have at least one digit (at ":1::")'],
    ['2001::db8::1/64', 'ParseAddr("2001::db8::1"): multiple :: in address (at ":1")'],
    ['20x1::/16', 'ParseAddr("20x1::"): unexpected character, want colon (at "x1::")'],
    ['1:10.0.0.1/24', 'ParseAddr("1:10.0.0.1"): embedded IPv4 address must replace the final 2 fields of the address (at "10.0.0.1")'],
    ['::1:2:3:4:5:6:7:10.0.0.1/96', 'ParseAddr("::1:2:3:4:5:6:7:10.0.0.1"): too many hex fields to fit an embedded IPv4 at the end of the address (at "10.0.0.1")'],
    ['::ffff:10.0.0.300/120', 'ParseAddr("::ffff:10.0.0.300"): IPv4 field has value >255'],
    ['::ffff:10.0..1/120', 'ParseAddr("::ffff:10.0..1"): IPv4 field must have at least one digit (at ".1")'],
    ['1:2:3:4:5:6:7:8:a/64', 'ParseAddr("1:2:3:4:5:6:7:8:a"): trailing garbage after address (at "a")'],
    ['a:b:c:d:e:f:1:2:/64', 'ParseAddr("a:b:c:d:e:f:1:2:"): colon must be followed by more characters (at ":")'],
    ['1:2:/64', 'ParseAddr("1:2:"): colon must be followed by more characters (at ":")'],
    ['1:2:3:4/64', 'ParseAddr("1:2:3:4"): address string too short'],
    ['::a:b:c:d:e:f:1:2/64', 'ParseAddr("::a:b:c:d:e:f:1:2"): the :: must expand to at least one field of zeros'],
  ])('the prefix %j is refused with Go\'s error', (value, reason) => {
    const quoted = JSON.stringify(value).replace('\\u0002', '\\x02');
    expect(ipProblem(value)).toBe(`bad CIDR range (${value}): netip.ParsePrefix(${quoted}): ${reason}`);
  });

  test.each(['::0001', '1:2:3:4:5:6:10.0.0.1', 'a:b:c:d:e:f:1:2', '::1%eth0', '1::'])('the address %s is accepted', value => {
    expect(ipProblem(value)).toBeUndefined();
  });

  test.each(['', '10.0.0', '10.0.0.256', '010.0.0.1', '10.0.0.1%eth0', 'fe80::1%', '%eth0', '2001:db8::g', ' 10.0.0.1', 'localhost'])(
    'the address %j is refused', value => {
      expect(ipProblem(value)).toBe(`bad IP address (${value})`);
    });
});

describe('operations (AP6, AP8, AP13)', () => {
  // The fields of security.v1beta1.Operation.
  test.each([
    ['ports', '443'], ['notPorts', '22'], ['methods', 'GET'], ['notMethods', 'DELETE'],
    ['paths', '/v1/items'], ['notPaths', '/admin'], ['hosts', 'api.example.com'], ['notHosts', 'internal.example.com'],
  ])('an operation with only %s is accepted', (key, value) => {
    expectAccepted(operation({ [key]: [value] }));
  });

  test('an operation with a misspelled field only is empty', () => {
    expect(findings(operation({ method: ['GET'] }))).toEqual([
      ['AP6', 'error', OP, { method: ['GET'] }, '`to.operation` must not be empty, found at rule 0', OPERATION_FIX],
    ]);
  });

  test('the rule index in the messages is the rule\'s', () => {
    expect(findings(ap({ rules: [{}, { to: [{ operation: {} }, {}] }] }))).toEqual([
      ['AP6', 'error', 'spec.rules[1].to[0].operation', {}, '`to.operation` must not be empty, found at rule 1', OPERATION_FIX],
      ['AP6', 'error', 'spec.rules[1].to[1].operation', null, '`to.operation` must not be nil, found at rule 1', OPERATION_FIX],
    ]);
  });

  test.each([
    ['methods', 'Methods'], ['notMethods', 'NotMethods'], ['paths', 'Paths'], ['notPaths', 'NotPaths'], ['hosts', 'Hosts'], ['notHosts', 'NotHosts'],
  ])('an empty value in %s is refused, the first one', (key, name) => {
    expect(findings(operation({ [key]: ['', 'a', ''] }))).toEqual([
      ['AP8', 'error', `${OP}.${key}[0]`, '', `empty value not allowed, found in ${name}`, EMPTY_FIX],
    ]);
  });

  test.each([['ports', 'Ports'], ['notPorts', 'NotPorts']])('an empty value in %s is a bad port and an empty value', (key, name) => {
    expect(findings(operation({ [key]: ['443', ''] }))).toEqual([
      ['AP8', 'error', `${OP}.${key}[1]`, '', 'bad port (): strconv.ParseUint: parsing "": invalid syntax', PORT_FIX],
      ['AP8', 'error', `${OP}.${key}[1]`, '', `empty value not allowed, found in ${name}`, EMPTY_FIX],
    ]);
  });

  test.each(['0', '1', '443', '0443', '65535'])('port %s is accepted', port => {
    expect(portProblem(port)).toBeUndefined();
    expectAccepted(operation({ ports: [port], notPorts: [port] }));
  });

  test.each([
    ['65536', 'bad port (65536): <nil>'],
    ['4294967295', 'bad port (4294967295): <nil>'],
    ['4294967296', 'bad port (4294967296): strconv.ParseUint: parsing "4294967296": value out of range'],
    ['99999999999999999999999', 'bad port (99999999999999999999999): strconv.ParseUint: parsing "99999999999999999999999": value out of range'],
    ['-1', 'bad port (-1): strconv.ParseUint: parsing "-1": invalid syntax'],
    ['+443', 'bad port (+443): strconv.ParseUint: parsing "+443": invalid syntax'],
    [' 443', 'bad port ( 443): strconv.ParseUint: parsing " 443": invalid syntax'],
    ['443 ', 'bad port (443 ): strconv.ParseUint: parsing "443 ": invalid syntax'],
    ['4_43', 'bad port (4_43): strconv.ParseUint: parsing "4_43": invalid syntax'],
    ['0x1bb', 'bad port (0x1bb): strconv.ParseUint: parsing "0x1bb": invalid syntax'],
    ['https', 'bad port (https): strconv.ParseUint: parsing "https": invalid syntax'],
  ])('port %j is refused in ports and notPorts', (port, message) => {
    expect(findings(operation({ ports: [port], notPorts: ['80', port] }))).toEqual([
      ['AP8', 'error', `${OP}.ports[0]`, port, message, PORT_FIX],
      ['AP8', 'error', `${OP}.notPorts[1]`, port, message, PORT_FIX],
    ]);
  });

  // Go's %q (strconv.Quote) in the message: JSON's escapes where they agree, Go's for the other control characters.
  test.each([
    ['4\t3', '"4\\t3"'],
    ['4\n3', '"4\\n3"'],
    ['4\u00073', '"4\\a3"'],
    ['4\u000b3', '"4\\v3"'],
    ['4\u00013', '"4\\x013"'],
    ['4\u007f3', '"4\\x7f3"'],
    ['4\u00853', '"4\\u00853"'],
    ['4"3', '"4\\"3"'],
    ['4\\u00073', '"4\\\\u00073"'],
    ['4\\\u00073', '"4\\\\\\a3"'],
    ['4é3', '"4é3"'],
  ])('the port %j is quoted as Go does', (port, quoted) => {
    expect(portProblem(port)).toBe(`bad port (${port}): strconv.ParseUint: parsing ${quoted}: invalid syntax`);
  });

  test('ports are only checked in ports and notPorts', () => {
    expectAccepted(operation({ methods: ['https'], hosts: ['70000'] }));
  });

  test.each([
    '/{**}', '/{*}', '/api/{*}/items/{**}', '{*}/{*}/', '/a/{**}/b',
    '/a b', '/v1/*', "/a-._~%20!$&'()+,;:@=/{*}",
  ])('the path %j is accepted', path => {
    expectAccepted(operation({ paths: [path], notPaths: [path] }));
  });

  test.each([
    ['/{**}/{**}', '{**}/{**}', '{**} is not the last operator'],
    ['/a/{**}/{*}', 'a/{**}/{*}', '{**} is not the last operator'],
    ['/{id}', '{id}', 'Contains \'{\' or \'}\' beyond a supported path template'],
    ['/a/{*}x', 'a/{*}x', 'Contains \'{\' or \'}\' beyond a supported path template'],
    ['/a}/b', 'a}/b', 'Contains \'{\' or \'}\' beyond a supported path template'],
    ['/{***}', '{***}', 'Contains \'{\' or \'}\' beyond a supported path template'],
    ['/a b/{*}', 'a b/{*}', 'Contains segment a b with invalid string literal'],
    ['/a//{*}', 'a//{*}', 'Contains segment  with invalid string literal'],
    ['/{*}/a*', '{*}/a*', 'Contains segment a* with invalid string literal'],
    ['/a b/{**}', 'a b/{**}', 'Contains segment a b with invalid string literal'],
    ['//{**}?q//', '{**}?q', 'Contains \'{\' or \'}\' beyond a supported path template'],
  ])('the path %j is refused, in the words of its list', (path, trimmed, reason) => {
    expect(findings(operation({ paths: ['/ok', path], notPaths: [path] }))).toEqual([
      ['AP13', 'error', `${OP}.paths[1]`, path, `invalid or unsupported path ${trimmed}, found in Paths. ${reason}`, PATH_FIX],
      ['AP13', 'error', `${OP}.notPaths[0]`, path, `invalid or unsupported path ${trimmed}, found in NotPaths. ${reason}`, PATH_FIX],
    ]);
  });

  // The characters of an RFC 3986 pchar that CheckValidPathTemplate's literal pattern allows, and some it does not.
  test.each(['a', 'z', 'A', 'Z', '0', '9', '-', '.', '_', '~', '%', '!', '$', '&', '\'', '(', ')', '+', ',', ';', ':', '@', '='])(
    'a segment with %j beside a template is accepted', c => {
      expectAccepted(operation({ paths: [`/x${c}/{*}`] }));
    });

  test.each([' ', '*', '"', '#', '?', '[', ']', '\\', '^', '`', '|', '<', '>', 'é'])('a segment with %j beside a template is refused', c => {
    const path = `/x${c}/{**}`;
    expect(findings(operation({ paths: [path] }))).toEqual([
      ['AP13', 'error', `${OP}.paths[0]`, path, `invalid or unsupported path x${c}/{**}, found in Paths. Contains segment x${c} with invalid string literal`, PATH_FIX],
    ]);
    // Without a template, the same path is not checked for its characters.
    expect(findings(operation({ paths: [`/x${c}/y`] }))).toEqual([]);
  });

  test('only the first bad path of a list is reported', () => {
    expect(findings(operation({ paths: ['/{a}', '/{b}'] }))).toEqual([
      ['AP13', 'error', `${OP}.paths[0]`, '/{a}', 'invalid or unsupported path {a}, found in Paths. Contains \'{\' or \'}\' beyond a supported path template', PATH_FIX],
    ]);
  });
});

describe('service accounts (AP9) and trust domains (AP12)', () => {
  test('16 service accounts are accepted, 17 are refused for the list', () => {
    const accounts = (n: number) => Array.from({ length: n }, (_, i) => `shop/sa${i}`);
    expectAccepted(source({ serviceAccounts: accounts(16) }));
    expect(findings(source({ notServiceAccounts: accounts(17) }))).toEqual([
      ['AP9', 'error', `${SRC}.notServiceAccounts`, accounts(17), 'may not have more than 16 values', SA_FIX],
    ]);
  });

  test('320 bytes are accepted, 321 refused: Go counts bytes, not characters', () => {
    const long = `shop/${'é'.repeat(157)}a`; // 5 + 314 + 1 = 320 bytes
    expect(findings(source({ serviceAccounts: [long] }))).toEqual([]);
    const longer = `${long}b`;
    expect(findings(source({ serviceAccounts: ['a', longer] }))).toEqual([
      ['AP9', 'error', `${SRC}.serviceAccounts[1]`, longer, `value cannot exceed 320 characters, found "${longer}" in ServiceAccounts`, SA_FIX],
    ]);
    expectAccepted(source({ serviceAccounts: [`shop/${'a'.repeat(315)}`] }));
  });

  const format = 'expected format \'serviceAccount\' or \'namespace/serviceAccount\', found';
  test.each([
    ['*', 'wildcard not allowed, found in ServiceAccounts'],
    ['shop/check*', 'wildcard not allowed, found in ServiceAccounts'],
    ['a/b/c', `${format} "a/b/c" in ServiceAccounts`],
    ['//', `${format} "//" in ServiceAccounts`],
    ['/checkout', `${format} empty namespace "/checkout" in ServiceAccounts`],
    ['/', `${format} empty namespace "/" in ServiceAccounts`],
    ['shop/', `${format} empty serviceAccount "shop/" in ServiceAccounts`],
  ])('the service account %j is refused', (value, message) => {
    expect(findings(source({ serviceAccounts: ['shop/ok', value, 'x/y/z'] }))).toEqual([
      ['AP9', 'error', `${SRC}.serviceAccounts[1]`, value, message, SA_FIX],
    ]);
  });

  test('a path longer than 320 bytes is refused for its slashes first', () => {
    const value = `a/b/${'c'.repeat(320)}`;
    expect(findings(source({ serviceAccounts: [value] }))).toEqual([
      ['AP9', 'error', `${SRC}.serviceAccounts[0]`, value, `${format} "${value}" in ServiceAccounts`, SA_FIX],
    ]);
  });

  test.each(['*', '*.corp', 'corp.*', 'cluster.local', '*cluster'])('the trust domain %j is accepted', value => {
    expectAccepted(source({ trustDomains: [value], notTrustDomains: [value] }));
  });

  test.each([
    ['**', 'at most one wildcard is allowed, found in TrustDomains: "**"'],
    ['*.corp.*', 'at most one wildcard is allowed, found in TrustDomains: "*.corp.*"'],
    ['a*b', 'wildcard is only allowed at the start or end, found in TrustDomains: "a*b"'],
    ['cluster.local/ns', 'trust domain must not contain \'/\', found in TrustDomains: "cluster.local/ns"'],
    ['*/', 'trust domain must not contain \'/\', found in TrustDomains: "*/"'],
  ])('the trust domain %j is refused', (value, message) => {
    expect(findings(source({ trustDomains: ['ok', value] }))).toEqual([
      ['AP12', 'error', `${SRC}.trustDomains[1]`, value, message, TD_FIX],
    ]);
  });

  test('an empty first trust domain is refused at its index', () => {
    expect(findings(source({ trustDomains: ['', 'a'] }))).toEqual([
      ['AP12', 'error', `${SRC}.trustDomains[0]`, '', 'empty value not allowed, found in TrustDomains', TD_FIX],
    ]);
  });

  test('the wildcard checks of all entries come before the slash check', () => {
    expect(findings(source({ notTrustDomains: ['a/b', 'a*b'] }))).toEqual([
      ['AP12', 'error', `${SRC}.notTrustDomains[1]`, 'a*b', 'wildcard is only allowed at the start or end, found in NotTrustDomains: "a*b"', TD_FIX],
    ]);
  });
});

describe('conditions (AP10: ValidateAttribute)', () => {
  const keyFix = 'name an attribute such as connection.sni or source.ip';
  test.each([['an empty key', ''], ['a missing key', undefined]])('%s is refused, and its values are not checked', (_, key) => {
    expect(findings(when({ key, values: ['', 'x'] }))).toEqual([
      ['AP10', 'error', `${W}.key`, key ?? null, '`key` must not be empty', keyFix],
    ]);
  });

  test.each([
    ['no lists', {}],
    ['empty lists', { values: [], notValues: [] }],
    ['null lists', { values: null, notValues: null }],
  ])('a condition with %s is refused, and its key is not checked', (_, lists) => {
    const condition = { key: 'destination.name', ...lists };
    expect(findings(when(condition))).toEqual([
      ['AP10', 'error', W, condition, 'at least one of `values` or `notValues` must be set for key destination.name', 'give the values to match'],
    ]);
  });

  test.each([['values'], ['notValues']])('%s alone is enough', list => {
    expectAccepted(when({ key: 'connection.sni', [list]: ['api.example.com'] }));
  });

  test('an empty first value is refused at its index', () => {
    expect(findings(when({ key: 'connection.sni', values: ['', 'a'] }))).toEqual([
      ['AP10', 'error', `${W}.values[0]`, '', 'invalid `value` for `key` connection.sni: empty value not allowed, found in connection.sni', EMPTY_FIX],
    ]);
  });

  test('a key problem with notValues only is reported in the words of notValues', () => {
    expect(findings(when({ key: 'destination.name', notValues: ['a'] }))).toEqual([
      ['AP10', 'error', `${W}.key`, 'destination.name', 'invalid `notValue` for `key` destination.name: deprecated attribute destination.name: only supported in v1alpha1',
        'select the workloads with spec.selector or spec.targetRefs instead'],
    ]);
    expect(findings(when({ key: 'destination.name', values: [], notValues: ['a'] }))[0][4]).toBe(
      'invalid `notValue` for `key` destination.name: deprecated attribute destination.name: only supported in v1alpha1');
  });

  // The attributes whose values are only checked for emptiness.
  test.each(['source.namespace', 'source.principal', 'request.auth.principal', 'request.auth.audiences', 'request.auth.presenter', 'connection.sni'])(
    'key %s takes any non-empty value', key => {
      expectAccepted(when({ key, values: ['not an address', '*'], notValues: ['a/b/c/*'] }));
      expect(findings(when({ key, notValues: ['a', ''] }))).toEqual([
        ['AP10', 'error', `${W}.notValues[1]`, '', `invalid \`notValue\` for \`key\` ${key}: empty value not allowed, found in ${key}`, EMPTY_FIX],
      ]);
    });

  test.each([
    ['request.headers[x]'], ['request.headers[User-Agent]'], ['request.headersx[y]'], ['request.auth.claims[a]'], ['request.auth.claims[a][b]'],
    ['experimental.envoy.filters.a[b]'], ['experimental.envoy.filters.network.mysql_proxy[db.table]'],
  ])('the map key %s is accepted, with any value', key => {
    expectAccepted(when({ key, values: ['not an address'] }));
  });

  test.each([
    ['request.headers', 'request.headers'],
    ['request.headers[]', 'request.headers'],
    ['request.headers[x', 'request.headers'],
    ['request.headers[xy', 'request.headers'],
    ['request.headersx]', 'request.headersx]'],
    ['request.auth.claims', 'request.auth.claims'],
    ['request.auth.claims.iss', 'request.auth.claims.iss'],
    ['request.auth.claims[]', 'request.auth.claims'],
    ['experimental.envoy.filters.', 'experimental.envoy.filters.'],
    ['experimental.envoy.filters.a[]', 'experimental.envoy.filters.a'],
  ])('the map key %s is refused, once though both lists are set', (key, name) => {
    expect(findings(when({ key, values: ['a'], notValues: ['b'] }))).toEqual([
      ['AP10', 'error', `${W}.key`, key, `invalid \`value\` for \`key\` ${key}: bad key (${key}): should have format a[b]`, `write the key as ${name}[name]`],
    ]);
  });

  test('experimental.envoy.filters needs its dot: without it the key is unknown', () => {
    expect(findings(when({ key: 'experimental.envoy.filters[a]', values: ['a'] }))).toEqual([
      ['AP10', 'error', `${W}.key`, 'experimental.envoy.filters[a]',
        'invalid `value` for `key` experimental.envoy.filters[a]: unknown attribute: experimental.envoy.filters[a]', ATTRIBUTES_FIX],
    ]);
  });

  const ipsFix = 'write IP addresses such as 10.0.0.1 or CIDR blocks such as 10.0.0.0/8';
  test.each(['source.ip', 'remote.ip', 'destination.ip'])('key %s takes addresses and prefixes, and refuses each bad one', key => {
    expectAccepted(when({ key, values: ['10.0.0.1', '10.0.0.0/8'], notValues: ['2001:db8::/32'] }));
    expect(findings(when({ key, values: ['x', '10.0.0.1', '10.0.0.0/33'], notValues: ['y'] }))).toEqual([
      ['AP10', 'error', `${W}.values[0]`, 'x', `invalid \`value\` for \`key\` ${key}: bad IP address (x)`, ipsFix],
      ['AP10', 'error', `${W}.values[2]`, '10.0.0.0/33',
        `invalid \`value\` for \`key\` ${key}: bad CIDR range (10.0.0.0/33): netip.ParsePrefix("10.0.0.0/33"): prefix length out of range`, ipsFix],
      ['AP10', 'error', `${W}.notValues[0]`, 'y', `invalid \`notValue\` for \`key\` ${key}: bad IP address (y)`, ipsFix],
    ]);
  });

  test('key destination.port takes ports from 0 to 65535', () => {
    expectAccepted(when({ key: 'destination.port', values: ['0', '65535'] }));
    expect(findings(when({ key: 'destination.port', notValues: ['65536', 'http'] }))).toEqual([
      ['AP10', 'error', `${W}.notValues[0]`, '65536', 'invalid `notValue` for `key` destination.port: bad port (65536): <nil>', 'write ports as numbers from 0 to 65535'],
      ['AP10', 'error', `${W}.notValues[1]`, 'http',
        'invalid `notValue` for `key` destination.port: bad port (http): strconv.ParseUint: parsing "http": invalid syntax', 'write ports as numbers from 0 to 65535'],
    ]);
  });

  test('key source.serviceAccount takes service accounts, at most 16', () => {
    expectAccepted(when({ key: 'source.serviceAccount', values: ['shop/checkout', 'billing'] }));
    expect(findings(when({ key: 'source.serviceAccount', values: ['a', '/b'] }))).toEqual([
      ['AP10', 'error', `${W}.values[1]`, '/b', 'invalid `value` for `key` source.serviceAccount: expected format \'serviceAccount\' or '
        + '\'namespace/serviceAccount\', found empty namespace "/b" in source.serviceAccount', SA_FIX],
    ]);
    const many = Array.from({ length: 17 }, (_, i) => `sa${i}`);
    expect(findings(when({ key: 'source.serviceAccount', notValues: many }))).toEqual([
      ['AP10', 'error', `${W}.notValues`, many, 'invalid `notValue` for `key` source.serviceAccount: may not have more than 16 values', SA_FIX],
    ]);
  });

  test('key source.trustDomain takes wildcards at the start or end, and slashes too (no trust domain check there)', () => {
    expectAccepted(when({ key: 'source.trustDomain', values: ['*.corp', 'cluster.local/ns'] }));
    expect(findings(when({ key: 'source.trustDomain', values: ['*a*'] }))).toEqual([
      ['AP10', 'error', `${W}.values[0]`, '*a*', 'invalid `value` for `key` source.trustDomain: at most one wildcard is allowed, found in source.trustDomain: "*a*"',
        'use at most one wildcard, at the start or end of the value'],
    ]);
  });

  test.each([
    ['destination.namespace', 'attribute destination.namespace is replaced by the metadata.namespace',
      'put the policy in the namespace it is about, and remove the condition'],
    ['destination.labels[app]', 'attribute destination.labels[app] is replaced by the workload selector',
      'select the workloads with spec.selector.matchLabels, and remove the condition'],
    ['destination.labels', 'attribute destination.labels is replaced by the workload selector',
      'select the workloads with spec.selector.matchLabels, and remove the condition'],
    ['destination.name', 'deprecated attribute destination.name: only supported in v1alpha1', 'select the workloads with spec.selector or spec.targetRefs instead'],
    ['destination.user', 'deprecated attribute destination.user: only supported in v1alpha1', 'select the workloads with spec.selector or spec.targetRefs instead'],
    ['request.method', 'unknown attribute: request.method', ATTRIBUTES_FIX],
    ['source.ips', 'unknown attribute: source.ips', ATTRIBUTES_FIX],
    ['Source.ip', 'unknown attribute: Source.ip', ATTRIBUTES_FIX],
    ['destination.names', 'unknown attribute: destination.names', ATTRIBUTES_FIX],
  ])('key %s is refused', (key, reason, fix) => {
    expect(findings(when({ key, values: ['a'] }))).toEqual([
      ['AP10', 'error', `${W}.key`, key, `invalid \`value\` for \`key\` ${key}: ${reason}`, fix],
    ]);
  });

  test('a key problem goes with an empty value in the other list: Istio stops a list at its empty value', () => {
    expect(findings(when({ key: 'destination.user', values: ['a', ''], notValues: ['b'] }))).toEqual([
      ['AP10', 'error', `${W}.values[1]`, '', 'invalid `value` for `key` destination.user: empty value not allowed, found in destination.user', EMPTY_FIX],
      ['AP10', 'error', `${W}.key`, 'destination.user', 'invalid `notValue` for `key` destination.user: deprecated attribute destination.user: only supported in v1alpha1',
        'select the workloads with spec.selector or spec.targetRefs instead'],
    ]);
  });

  test('the conditions of each rule are checked, with their indexes', () => {
    expect(findings(ap({ rules: [{}, { when: [{ key: 'connection.sni', values: ['a'] }, { key: 'source.ip', values: ['b'] }] }] }))).toEqual([
      ['AP10', 'error', 'spec.rules[1].when[1].values[0]', 'b', 'invalid `value` for `key` source.ip: bad IP address (b)', ipsFix],
    ]);
  });
});

describe('DENY rules on HTTP attributes only (AP11, a warning)', () => {
  const deny = (rule: any) => ap({ action: 'DENY', rules: [{ to: [{ operation: { ports: ['1'] } }] }, rule] });
  const warned = (rule: any): Row[] => [['AP11', 'warning', 'spec.rules[1]', rule, DENY_HTTP_ONLY, DENY_HTTP_FIX]];

  // The source fields that are TCP attributes.
  test.each([
    ['principals', 'a'], ['notPrincipals', 'a'], ['namespaces', 'a'], ['notNamespaces', 'a'], ['ipBlocks', '10.0.0.1'], ['notIpBlocks', '10.0.0.1'],
    ['remoteIpBlocks', '10.0.0.1'], ['notRemoteIpBlocks', '10.0.0.1'], ['serviceAccounts', 'a'], ['notServiceAccounts', 'a'],
  ])('a DENY rule on source.%s alone is not warned about', (key, value) => {
    expectAccepted(deny({ from: [{ source: { [key]: [value] } }] }));
  });

  test.each([['requestPrincipals'], ['notRequestPrincipals'], ['trustDomains'], ['notTrustDomains']])(
    'a DENY rule on source.%s alone is warned about', key => {
      const rule = { from: [{ source: { [key]: ['a'] } }] };
      expect(findings(deny(rule))).toEqual(warned(rule));
      assertValidIstioObjects([deny(rule)]);
    });

  test('a TCP source and an operation without ports: warned about (the operation is HTTP only)', () => {
    const rule = { from: [{ source: { ipBlocks: ['10.0.0.1'] } }], to: [{ operation: { methods: ['GET'] } }] };
    expect(findings(deny(rule))).toEqual(warned(rule));
  });

  test('an HTTP source and an operation with ports: not warned about', () => {
    expectAccepted(deny({ from: [{ source: { requestPrincipals: ['*'] } }], to: [{ operation: { notPorts: ['8080'], methods: ['GET'] } }] }));
  });

  test('one operation with ports among several is enough', () => {
    expectAccepted(deny({ to: [{ operation: { hosts: ['a.example.com'] } }, { operation: { ports: ['443'] } }] }));
  });

  test('empty port lists are no ports (jsonpb leaves them nil)', () => {
    const rule = { to: [{ operation: { ports: [], hosts: ['a.example.com'] } }] };
    expect(findings(deny(rule))).toEqual(warned(rule));
  });

  test('one TCP source among several is enough', () => {
    expectAccepted(deny({ from: [{ source: { requestPrincipals: ['*'] } }, { source: { namespaces: ['shop'] } }] }));
  });

  test('a rule whose from and to entries are all nil has no HTTP-only rule to warn about', () => {
    expect(findings(deny({ from: [{}], to: [{}] }))).toEqual([
      ['AP6', 'error', 'spec.rules[1].from[0].source', null, '`from.source` must not be nil, found at rule 1', SOURCE_FIX],
      ['AP6', 'error', 'spec.rules[1].to[0].operation', null, '`to.operation` must not be nil, found at rule 1', OPERATION_FIX],
    ]);
  });

  test('an empty operation is HTTP only: refused and warned about', () => {
    const rule = { to: [{ operation: {} }] };
    expect(findings(deny(rule))).toEqual([
      ['AP6', 'error', 'spec.rules[1].to[0].operation', {}, '`to.operation` must not be empty, found at rule 1', OPERATION_FIX],
      ...warned(rule),
    ]);
  });

  test.each(['ALLOW', 'AUDIT'])('the same rule under %s is not warned about', action => {
    expectAccepted(ap({ action, rules: [{ from: [{ source: { requestPrincipals: ['*'] } }] }, { to: [{ operation: { methods: ['GET'] } }] }] }));
  });

  test('a rule with conditions only is not warned about', () => {
    expectAccepted(deny({ when: [{ key: 'request.headers[x]', values: ['a'] }] }));
  });
});

describe('selector and targets (AP1, AP2, AP3)', () => {
  test.each([
    ['', 'Service'],
    ['core', 'Service'],
    ['networking.istio.io', 'ServiceEntry'],
    ['gateway.networking.k8s.io', 'Gateway'],
    ['gateway.networking.k8s.io', 'GatewayClass'],
  ])('a targetRef to %j %s is accepted, alone or in targetRefs', (group, kind) => {
    expectAccepted(ap({ targetRef: { group, kind, name: 'egress' }, rules: [{}] }));
    expectAccepted(ap({ targetRefs: [{ group, kind, name: 'egress' }], rules: [{}] }));
  });

  test.each([
    ['', 'ServiceEntry'],
    ['networking.istio.io', 'Service'],
    ['core', 'Gateway'],
    ['networking.istio.io', 'Gateway'],
    ['gateway.networking.k8s.io', 'HTTPRoute'],
    ['gateway.networking.k8s.io', 'gateway'],
    ['Core', 'Service'],
    ['v1', 'Service'],
  ])('a targetRef to %j %s is refused', (group, kind) => {
    const ref = { group, kind, name: 'egress' };
    const refused = (field: string): Row[] => [
      ['AP3', 'error', field, ref, `targetRef must be to one of ${TARGETS} but was ${group}/${kind}`, TARGET_FIX],
    ];
    expect(findings(ap({ targetRef: ref }))).toEqual(refused('spec.targetRef'));
    expect(findings(ap({ targetRefs: [{ kind: 'Service', name: 'a' }, ref] }))).toEqual(refused('spec.targetRefs[1]'));
  });

  test('a targetRef without group and kind, or with ones that are no strings', () => {
    expect(findings(ap({ targetRef: { name: 'egress' } }))).toEqual([
      ['AP3', 'error', 'spec.targetRef', { name: 'egress' }, `targetRef must be to one of ${TARGETS} but was /`, TARGET_FIX],
    ]);
    expect(findings(ap({ targetRef: { group: 1, kind: 'Service', name: 'egress' } }))).toEqual([]);
  });

  const nameFix = 'name the Service, ServiceEntry, Gateway or GatewayClass';
  const namespaceFix = 'remove the namespace and put the policy in the namespace of its target';
  test('a targetRef without name, with a name that is no string, or with a namespace', () => {
    expect(findings(ap({ targetRefs: [{ kind: 'Service' }, { kind: 'Service', name: 7 }, { kind: 'Service', name: 'a', namespace: 'istio-system' }] }))).toEqual([
      ['AP3', 'error', 'spec.targetRefs[0].name', null, 'targetRef name must be set', nameFix],
      ['AP3', 'error', 'spec.targetRefs[1].name', 7, 'targetRef name must be set', nameFix],
      ['AP3', 'error', 'spec.targetRefs[2].namespace', 'istio-system', 'targetRef namespace must not be set; cross namespace referencing is not supported', namespaceFix],
    ]);
  });

  test('an empty namespace is no namespace', () => {
    expect(findings(ap({ targetRef: { kind: 'Service', name: 'a', namespace: '' } }))).toEqual([]);
  });

  test('a null targetRef is unset; a null targetRefs entry is an empty reference (jsonpb)', () => {
    expect(findings(ap({ targetRef: null, selector: { matchLabels: { app: 'a' } } }))).toEqual([]);
    expect(findings(ap({ targetRefs: [null] }))).toEqual([
      ['AP3', 'error', 'spec.targetRefs[0].name', null, 'targetRef name must be set', nameFix],
      ['AP3', 'error', 'spec.targetRefs[0]', null, `targetRef must be to one of ${TARGETS} but was /`, TARGET_FIX],
    ]);
  });

  test.each([
    ['selector and targetRef', { selector: { matchLabels: { app: 'a' } }, targetRef: { kind: 'Service', name: 'a' } }, 'spec.targetRef', 'selector and targetRef'],
    ['selector and targetRefs', { selector: { matchLabels: { app: 'a' } }, targetRefs: [{ kind: 'Service', name: 'a' }] }, 'spec.targetRefs', 'selector and targetRefs'],
    ['targetRef and targetRefs', { targetRef: { kind: 'Service', name: 'a' }, targetRefs: [{ kind: 'Service', name: 'b' }] }, 'spec.targetRefs', 'targetRef and targetRefs'],
    ['all three', { selector: { matchLabels: { app: 'a' } }, targetRef: { kind: 'Service', name: 'a' }, targetRefs: [{ kind: 'Service', name: 'b' }] },
      'spec.targetRef', 'selector and targetRef and targetRefs'],
  ])('%s are refused', (_, spec, field, keys) => {
    const object = ap(spec);
    expect(findings(object)).toEqual([
      ['AP1', 'error', field, (spec as any)[field.slice(5)], 'only one of targetRefs or workloadSelector can be set', `keep only one of ${keys}`],
    ]);
    expect(() => assertValidIstioObjects([object])).toThrow(/only one of targetRefs or selector can be set/);
  });

  test('an empty targetRefs list beside a selector is refused: the CRD\'s CEL rule asks has(), not size', () => {
    const object = ap({ selector: { matchLabels: { app: 'a' } }, targetRefs: [] });
    expect(findings(object)).toEqual([
      ['AP1', 'error', 'spec.targetRefs', [], 'only one of targetRefs or workloadSelector can be set', 'keep only one of selector and targetRefs'],
    ]);
    expect(() => assertValidIstioObjects([object])).toThrow(/only one of targetRefs or selector can be set/);
  });

  test('null fields beside a selector are unset: accepted', () => {
    expect(findings(ap({ selector: { matchLabels: { app: 'a' } }, targetRef: null, targetRefs: null }))).toEqual([]);
  });

  test('a selector with labels is accepted', () => {
    expectAccepted(ap({ selector: { matchLabels: { 'istio': 'egressgateway', 'app.kubernetes.io/name': 'egress' } } }));
  });

  const noLabels = 'add matchLabels, or remove the selector to apply to the whole namespace';
  test.each([
    ['an empty selector', {}],
    ['empty matchLabels', { matchLabels: {} }],
    ['null matchLabels', { matchLabels: null }],
    ['a selector that is no object', 'app=a'],
    ['matchLabels that are no object', { matchLabels: ['app'] }],
  ])('%s warns: workload selector without labels', (_, selector) => {
    expect(findings(ap({ selector }))).toEqual([
      ['AP2', 'warning', 'spec.selector', selector, 'workload selector specified without labels', noLabels],
    ]);
  });

  test('a null selector is no selector', () => {
    expect(findings(ap({ selector: null }))).toEqual([]);
  });

  test.each([
    ['*', 'a', 'wildcard is not supported in selector: "*=a"'],
    ['app', '*', 'wildcard is not supported in selector: "app=*"'],
    ['app', 'egress-*', 'wildcard is not supported in selector: "app=egress-*"'],
  ])('the label %s=%s is refused', (key, value, message) => {
    expect(findings(ap({ selector: { matchLabels: { ok: 'yes', [key]: value } } }))).toEqual([
      ['AP2', 'error', `spec.selector.matchLabels.${key}`, value, message, 'select pods by exact label values'],
    ]);
  });

  test('an empty label key is refused, and with a wildcard value twice', () => {
    expect(findings(ap({ selector: { matchLabels: { '': '*' } } }))).toEqual([
      ['AP2', 'error', 'spec.selector.matchLabels', { '': '*' }, 'empty key is not supported in selector: "=*"', 'give the label a name, or remove it'],
      ['AP2', 'error', 'spec.selector.matchLabels[""]', '*', 'wildcard is not supported in selector: "=*"', 'select pods by exact label values'],
    ]);
  });

  test('a label value that is no string is read as its JSON', () => {
    expect(findings(ap({ selector: { matchLabels: { app: ['*'] } } }))).toEqual([
      ['AP2', 'error', 'spec.selector.matchLabels.app', ['*'], 'wildcard is not supported in selector: "app=[\\"*\\"]"', 'select pods by exact label values'],
    ]);
  });

  test('the shared target check takes each kind\'s rule ids', () => {
    const out = new FindingCollector();
    checkPolicyTargets(out, { selector: {}, targetRef: { kind: 'Pod', name: 'a' } }, { oneOf: 'X1', selector: 'X2', targetRef: 'X3' });
    expect(out.findings.map(f => [f.rule, f.severity, f.field])).toEqual([
      ['X1', 'error', 'spec.targetRef'], ['X2', 'warning', 'spec.selector'], ['X3', 'error', 'spec.targetRef'],
    ]);
  });
});

describe('findings across the whole policy come in Istio\'s order', () => {
  test('targets, then the action and provider, then each rule\'s sources, operations and conditions', () => {
    const object = ap({
      action: 'CUSTOM',
      targetRefs: [{ kind: 'Service', name: '' }],
      rules: [{
        from: [{ source: { namespaces: ['shop'], ipBlocks: ['x'] } }],
        to: [{ operation: { ports: ['p'] } }],
        when: [{ key: 'source.namespace', values: [''] }],
      }],
    });
    expect(findings(object).map(f => [f[0], f[2], f[4]])).toEqual([
      ['AP3', 'spec.targetRefs[0].name', 'targetRef name must be set'],
      ['AP5', 'spec.provider.name', '`provider.name` must not be empty'],
      ['AP5', `${SRC}.namespaces`, 'From.Namespaces is currently not supported with CUSTOM action'],
      ['AP5', `${W}.key`, 'source.namespace is currently not supported with CUSTOM action'],
      ['AP8', `${SRC}.ipBlocks[0]`, 'bad IP address (x)'],
      ['AP8', `${OP}.ports[0]`, 'bad port (p): strconv.ParseUint: parsing "p": invalid syntax'],
      ['AP10', `${W}.values[0]`, 'invalid `value` for `key` source.namespace: empty value not allowed, found in source.namespace'],
    ]);
  });
});
