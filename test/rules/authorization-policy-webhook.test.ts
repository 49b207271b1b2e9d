/**
 * AuthorizationPolicy and object metadata at parity with Istio 1.30.3's webhook (ValidateAuthorizationPolicy,
 * pkg/config/security, validateMetadata): what it accepts passes without findings, what it refuses is an error
 * with its message, what it warns about is a warning.
 */
import { checkAuthorizationPolicy } from '../../src/rules/authorization-policy';
import { Finding } from '../../src/rules/finding';
import { checkMetadata } from '../../src/rules/metadata';
import { assertValidIstioObjects } from '../support/crd-validator';
import { helpful } from '../support/findings';

const policy = (spec: any, annotations?: Record<string, string>) => ({
  apiVersion: 'security.istio.io/v1',
  kind: 'AuthorizationPolicy',
  metadata: { name: 'egress-policy', namespace: 'istio-egress', ...(annotations ? { annotations } : {}) },
  spec,
});
const check = (manifest: any): Finding[] => [...checkMetadata(manifest), ...checkAuthorizationPolicy(manifest)];
const errors = (findings: Finding[]) => helpful(findings).filter(f => f.severity === 'error');
const warnings = (findings: Finding[]) => helpful(findings).filter(f => f.severity === 'warning');
const messages = (findings: Finding[]) => findings.map(f => f.message);

const GATEWAY = { matchLabels: { istio: 'egressgateway' } };

describe('what Istio accepts passes without findings', () => {
  const accepted: Array<[string, any, Record<string, string>?]> = [
    ['an egress allow-list', {
      selector: GATEWAY,
      rules: [{
        from: [{ source: { principals: ['cluster.local/ns/shop/sa/checkout'] } }],
        to: [{ operation: { ports: ['443'], hosts: ['api.example.com'] } }],
        when: [{ key: 'connection.sni', values: ['api.example.com', '*.example.com'] }],
      }],
    }],
    ['ALLOW without rules (allows nothing) and AUDIT without rules', { selector: GATEWAY }],
    ['AUDIT without rules', { selector: GATEWAY, action: 'AUDIT' }],
    ['empty from and to lists, which Istio reads as absent', { rules: [{ from: [], to: [], when: [{ key: 'source.ip', values: ['10.0.0.0/8'] }] }] }],
    ['an empty rule, which matches every request', { action: 'DENY', rules: [{}] }],
    ['CUSTOM with a provider and the attributes it supports', {
      selector: GATEWAY,
      action: 'CUSTOM',
      provider: { name: 'egress-ext-authz' },
      rules: [{
        from: [{ source: { ipBlocks: ['10.0.0.0/8'], notRemoteIpBlocks: ['192.168.0.0/16'] } }],
        to: [{ operation: { hosts: ['api.example.com'], paths: ['/v1/*'] } }],
        when: [{ key: 'request.headers[x-tenant]', values: ['shop'] }, { key: 'connection.sni', notValues: ['internal.example.com'] }],
      }],
    }],
    ['targetRefs to each allowed kind', {
      targetRefs: [
        { kind: 'Service', name: 'egress-gateway' },
        { group: 'networking.istio.io', kind: 'ServiceEntry', name: 'api-example-com' },
        { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'waypoint' },
        { group: 'gateway.networking.k8s.io', kind: 'GatewayClass', name: 'istio-waypoint' },
      ],
      rules: [{ to: [{ operation: { ports: ['443'] } }] }],
    }],
    ['a targetRef to the core group by name', { targetRef: { group: 'core', kind: 'Service', name: 'egress-gateway' }, rules: [{}] }],
    ['service accounts Istio takes as they are (upper case, underscores, no namespace)', {
      rules: [{ from: [{ source: { serviceAccounts: ['Shop/Checkout_v2', 'billing'], notServiceAccounts: ['shop/legacy'] } }] }],
    }],
    ['trust domains with a wildcard at the start or end', {
      rules: [{ from: [{ source: { trustDomains: ['*.corp.example', 'cluster.local', '*'], notTrustDomains: ['legacy*'] } }] }],
    }],
    ['path templates', { rules: [{ to: [{ operation: { paths: ['/api/{*}/items/{**}', '/v1/{*}'], notPaths: ['/{**}'] } }] }] }],
    ['addresses as Go reads them (IPv6, zones, IPv4-mapped prefixes, host bits in a prefix)', {
      rules: [{ from: [{ source: { ipBlocks: ['2001:db8::/32', 'fe80::1%eth0', '::ffff:10.0.0.0/104', '10.1.2.3/8'], remoteIpBlocks: ['0.0.0.0/0'] } }] }],
    }],
    ['ports from 0 to 65535, with leading zeros', { rules: [{ to: [{ operation: { ports: ['0', '0443', '65535'], notPorts: ['8080'] } }] }] }],
    ['every attribute Istio knows, with good values', {
      rules: [{
        when: [
          { key: 'source.ip', values: ['10.0.0.1', '10.0.0.0/8'] },
          { key: 'remote.ip', notValues: ['2001:db8::1'] },
          { key: 'source.namespace', values: ['shop'] },
          { key: 'source.principal', values: ['cluster.local/ns/shop/sa/checkout'] },
          { key: 'source.serviceAccount', values: ['shop/checkout'] },
          { key: 'source.trustDomain', values: ['*.local'] },
          { key: 'request.headers[User-Agent]', values: ['curl/*'] },
          { key: 'request.auth.principal', values: ['issuer.example.com/subject'] },
          { key: 'request.auth.audiences', values: ['egress'] },
          { key: 'request.auth.presenter', values: ['client'] },
          { key: 'request.auth.claims[groups]', values: ['ops'] },
          { key: 'request.auth.claims[nested][claim]', values: ['x'] },
          { key: 'destination.ip', values: ['203.0.113.0/24'] },
          { key: 'destination.port', values: ['443'] },
          { key: 'connection.sni', values: ['api.example.com'] },
          { key: 'experimental.envoy.filters.network.mysql_proxy[db.table]', values: ['[update]'] },
        ],
      }],
    }],
    ['a DENY rule that names its ports', { action: 'DENY', rules: [{ to: [{ operation: { ports: ['80'], methods: ['POST'] } }] }] }],
    ['a DENY rule on TCP sources only', { action: 'DENY', rules: [{ from: [{ source: { ipBlocks: ['10.0.0.0/8'] } }] }] }],
    ['a dry-run ALLOW policy', { rules: [{}] }, { 'istio.io/dry-run': 'true' }],
    ['a dry-run DENY policy with a Go boolean spelling', { action: 'DENY', rules: [{}] }, { 'istio.io/dry-run': 'F' }],
  ];

  // Rest parameters: jest passes a `done` callback to functions declaring more parameters than a row has.
  test.each(accepted)('%s', (...row) => {
    const [, spec, annotations] = row;
    const manifest = policy(spec, annotations);
    expect(check(manifest)).toEqual([]);
    assertValidIstioObjects([manifest]);
  });

  test.each(['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False'])('dry-run value %s', value => {
    expect(check(policy({ rules: [{}] }, { 'istio.io/dry-run': value }))).toEqual([]);
  });
});

describe('what Istio refuses is an error with its message', () => {
  const refused: Array<[string, string, any, string, Record<string, string>?]> = [
    // validateOneOfSelectorType, validateWorkloadSelector, validatePolicyTargetReference
    ['AP1', 'a selector and targetRefs', { selector: GATEWAY, targetRefs: [{ kind: 'Service', name: 'egress-gateway' }] },
      'only one of targetRefs or workloadSelector can be set'],
    ['AP1', 'a targetRef and targetRefs', { targetRef: { kind: 'Service', name: 'a' }, targetRefs: [{ kind: 'Service', name: 'b' }] },
      'only one of targetRefs or workloadSelector can be set'],
    ['AP2', 'an empty label key', { selector: { matchLabels: { '': 'egressgateway' } } }, 'empty key is not supported in selector: "=egressgateway"'],
    ['AP2', 'a wildcard label value', { selector: { matchLabels: { istio: 'egress*' } } }, 'wildcard is not supported in selector: "istio=egress*"'],
    ['AP3', 'a targetRef without name', { targetRef: { kind: 'Service' } }, 'targetRef name must be set'],
    ['AP3', 'a targetRef with an empty name', { targetRefs: [{ kind: 'Service', name: '' }] }, 'targetRef name must be set'],
    ['AP3', 'a cross-namespace targetRef', { targetRefs: [{ kind: 'Service', name: 'egress-gateway', namespace: 'istio-system' }] },
      'targetRef namespace must not be set; cross namespace referencing is not supported'],
    ['AP3', 'a targetRef to an HTTPRoute', { targetRef: { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'r' } },
      'targetRef must be to one of [core/v1/Service networking.istio.io/v1/ServiceEntry gateway.networking.k8s.io/v1/Gateway '
      + 'gateway.networking.k8s.io/v1/GatewayClass] but was gateway.networking.k8s.io/HTTPRoute'],
    ['AP3', 'an Istio Gateway as target', { targetRefs: [{ group: 'networking.istio.io', kind: 'Gateway', name: 'egress' }] },
      'but was networking.istio.io/Gateway'],
    ['AP3', 'a kind in the wrong case', { targetRefs: [{ kind: 'service', name: 'egress' }] }, 'but was /service'],
    // Actions and providers
    ['AP4', 'DENY without rules', { action: 'DENY' }, 'DENY action without `rules` is meaningless as it will never be triggered'],
    ['AP4', 'DENY with an empty rules list', { action: 'DENY', rules: [] }, 'DENY action without `rules` is meaningless'],
    ['AP5', 'an unknown action', { action: 'BLOCK' }, 'unsupported action BLOCK'],
    ['AP5', 'CUSTOM without rules', { action: 'CUSTOM', provider: { name: 'ext' } }, 'CUSTOM action without `rules` is meaningless as it will never be triggered'],
    ['AP5', 'CUSTOM without provider', { action: 'CUSTOM', rules: [{}] }, '`provider.name` must not be empty'],
    ['AP5', 'CUSTOM with an empty provider name', { action: 'CUSTOM', provider: { name: '' }, rules: [{}] }, '`provider.name` must not be empty'],
    ['AP5', 'a provider on ALLOW', { provider: { name: 'ext' }, rules: [{}] }, '`provider` must not be with non CUSTOM action, found ALLOW'],
    ['AP5', 'a provider on AUDIT', { action: 'AUDIT', provider: {} }, '`provider` must not be with non CUSTOM action, found AUDIT'],
    ['AP5', 'CUSTOM with principals', { action: 'CUSTOM', provider: { name: 'ext' }, rules: [{ from: [{ source: { principals: ['a'] } }] }] },
      'From.Principals is currently not supported with CUSTOM action'],
    ['AP5', 'CUSTOM with notNamespaces', { action: 'CUSTOM', provider: { name: 'ext' }, rules: [{ from: [{ source: { notNamespaces: ['a'] } }] }] },
      'From.NotNamespaces is currently not supported with CUSTOM action'],
    ['AP5', 'CUSTOM with trust domains', { action: 'CUSTOM', provider: { name: 'ext' }, rules: [{ from: [{ source: { trustDomains: ['a'] } }] }] },
      'From.TrustDomains is currently not supported with CUSTOM action'],
    ['AP5', 'CUSTOM with a source.namespace condition', { action: 'CUSTOM', provider: { name: 'ext' }, rules: [{ when: [{ key: 'source.namespace', values: ['a'] }] }] },
      'source.namespace is currently not supported with CUSTOM action'],
    ['AP5', 'CUSTOM with a request.auth condition', {
      action: 'CUSTOM', provider: { name: 'ext' }, rules: [{ when: [{ key: 'request.auth.claims[iss]', values: ['a'] }] }],
    }, 'request.auth.claims[iss] is currently not supported with CUSTOM action'],
    // Sources and operations
    ['AP6', 'a from entry without source', { rules: [{ from: [{}] }] }, '`from.source` must not be nil, found at rule 0'],
    ['AP6', 'an empty source', { rules: [{}, { from: [{ source: {} }] }] }, '`from.source` must not be empty, found at rule 1'],
    ['AP6', 'a source with only empty lists', { rules: [{ from: [{ source: { principals: [] } }] }] }, '`from.source` must not be empty, found at rule 0'],
    ['AP6', 'a to entry without operation', { rules: [{ to: [{}] }] }, '`to.operation` must not be nil, found at rule 0'],
    ['AP6', 'an empty operation', { rules: [{ to: [{ operation: { methods: [] } }] }] }, '`to.operation` must not be empty, found at rule 0'],
    ['AP7', 'serviceAccounts with principals', { rules: [{ from: [{ source: { notServiceAccounts: ['shop/a'], principals: ['b'] } }] }] },
      'cannot set serviceAccounts with namespaces or principals, found at rule 0'],
    ['AP8', 'a bad IP', { rules: [{ from: [{ source: { remoteIpBlocks: ['10.0.0.256'] } }] }] }, 'bad IP address (10.0.0.256)'],
    ['AP8', 'an IPv4 address with leading zeros', { rules: [{ from: [{ source: { ipBlocks: ['010.0.0.1'] } }] }] }, 'bad IP address (010.0.0.1)'],
    ['AP8', 'a prefix too long', { rules: [{ from: [{ source: { notIpBlocks: ['10.0.0.0/33'] } }] }] }, 'bad CIDR range (10.0.0.0/33)'],
    ['AP8', 'a prefix length with a leading zero', { rules: [{ from: [{ source: { ipBlocks: ['10.0.0.0/08'] } }] }] }, 'bad CIDR range (10.0.0.0/08)'],
    ['AP8', 'a zone in a prefix', { rules: [{ from: [{ source: { ipBlocks: ['fe80::1%eth0/64'] } }] }] }, 'bad CIDR range (fe80::1%eth0/64)'],
    ['AP8', 'a named port', { rules: [{ to: [{ operation: { ports: ['https'] } }] }] },
      'bad port (https): strconv.ParseUint: parsing "https": invalid syntax'],
    ['AP8', 'a port above 65535', { rules: [{ to: [{ operation: { notPorts: ['70000'] } }] }] }, 'bad port (70000): <nil>'],
    ['AP8', 'a port as a number', { rules: [{ to: [{ operation: { ports: [443] } }] }] }, 'Ports must be a list of strings, found 443'],
    ['AP8', 'an empty request principal', { rules: [{ from: [{ source: { requestPrincipals: ['*', ''] } }] }] },
      'empty value not allowed, found in RequestPrincipals'],
    ['AP8', 'an empty IP block', { rules: [{ from: [{ source: { notRemoteIpBlocks: [''] } }] }] }, 'empty value not allowed, found in NotRemoteIpBlocks'],
    ['AP8', 'an empty host', { rules: [{ to: [{ operation: { hosts: ['api.example.com', ''] } }] }] }, 'empty value not allowed, found in Hosts'],
    ['AP8', 'an empty method', { rules: [{ to: [{ operation: { notMethods: [''] } }] }] }, 'empty value not allowed, found in NotMethods'],
    ['AP8', 'an empty path', { rules: [{ to: [{ operation: { paths: [''] } }] }] }, 'empty value not allowed, found in Paths'],
    ['AP9', 'too many service accounts', { rules: [{ from: [{ source: { serviceAccounts: Array.from({ length: 17 }, (_, i) => `shop/sa${i}`) } }] }] },
      'may not have more than 16 values'],
    ['AP9', 'an empty service account', { rules: [{ from: [{ source: { serviceAccounts: [''] } }] }] }, 'empty value not allowed, found in ServiceAccounts'],
    ['AP9', 'a wildcard service account', { rules: [{ from: [{ source: { notServiceAccounts: ['shop/*'] } }] }] }, 'wildcard not allowed, found in NotServiceAccounts'],
    ['AP9', 'a service account path', { rules: [{ from: [{ source: { serviceAccounts: ['a/b/c'] } }] }] },
      'expected format \'serviceAccount\' or \'namespace/serviceAccount\', found "a/b/c" in ServiceAccounts'],
    ['AP9', 'a service account without namespace', { rules: [{ from: [{ source: { serviceAccounts: ['/checkout'] } }] }] },
      'found empty namespace "/checkout" in ServiceAccounts'],
    ['AP9', 'a namespace without service account', { rules: [{ from: [{ source: { serviceAccounts: ['shop/'] } }] }] },
      'found empty serviceAccount "shop/" in ServiceAccounts'],
    ['AP9', 'a service account longer than 320 characters', { rules: [{ from: [{ source: { serviceAccounts: [`shop/${'a'.repeat(316)}`] } }] }] },
      'value cannot exceed 320 characters'],
    // Conditions
    ['AP10', 'a condition without key', { rules: [{ when: [{ key: '', values: ['a'] }] }] }, '`key` must not be empty'],
    ['AP10', 'a condition without values', { rules: [{ when: [{ key: 'connection.sni', values: [] }] }] },
      'at least one of `values` or `notValues` must be set for key connection.sni'],
    ['AP10', 'an unknown attribute', { rules: [{ when: [{ key: 'request.method', values: ['GET'] }] }] },
      'invalid `value` for `key` request.method: unknown attribute: request.method'],
    ['AP10', 'an unknown attribute with notValues only', { rules: [{ when: [{ key: 'source.user', notValues: ['a'] }] }] },
      'invalid `notValue` for `key` source.user: unknown attribute: source.user'],
    ['AP10', 'destination.labels', { rules: [{ when: [{ key: 'destination.labels[app]', values: ['a'] }] }] },
      'invalid `value` for `key` destination.labels[app]: attribute destination.labels[app] is replaced by the workload selector'],
    ['AP10', 'destination.user', { rules: [{ when: [{ key: 'destination.user', values: ['a'] }] }] },
      'deprecated attribute destination.user: only supported in v1alpha1'],
    ['AP10', 'a header without name', { rules: [{ when: [{ key: 'request.headers[]', values: ['a'] }] }] },
      'bad key (request.headers[]): should have format a[b]'],
    ['AP10', 'a claim without brackets', { rules: [{ when: [{ key: 'request.auth.claims.iss', values: ['a'] }] }] },
      'bad key (request.auth.claims.iss): should have format a[b]'],
    ['AP10', 'an Envoy filter attribute without key', { rules: [{ when: [{ key: 'experimental.envoy.filters.network.mysql_proxy', values: ['a'] }] }] },
      'bad key (experimental.envoy.filters.network.mysql_proxy): should have format a[b]'],
    ['AP10', 'a bad source.ip', { rules: [{ when: [{ key: 'source.ip', values: ['10.0.0.0/8', 'a.b.c.d'] }] }] },
      'invalid `value` for `key` source.ip: bad IP address (a.b.c.d)'],
    ['AP10', 'a bad destination.ip prefix', { rules: [{ when: [{ key: 'destination.ip', notValues: ['2001:db8::/129'] }] }] },
      'invalid `notValue` for `key` destination.ip: bad CIDR range (2001:db8::/129)'],
    ['AP10', 'a bad destination.port', { rules: [{ when: [{ key: 'destination.port', values: ['http'] }] }] },
      'invalid `value` for `key` destination.port: bad port (http)'],
    ['AP10', 'a bad source.serviceAccount', { rules: [{ when: [{ key: 'source.serviceAccount', values: ['shop/*'] }] }] },
      'invalid `value` for `key` source.serviceAccount: wildcard not allowed, found in source.serviceAccount'],
    ['AP10', 'a trust domain with a wildcard inside', { rules: [{ when: [{ key: 'source.trustDomain', values: ['a*b'] }] }] },
      'wildcard is only allowed at the start or end, found in source.trustDomain: "a*b"'],
    ['AP10', 'an empty condition value', { rules: [{ when: [{ key: 'connection.sni', values: ['api.example.com', ''] }] }] },
      'invalid `value` for `key` connection.sni: empty value not allowed, found in connection.sni'],
    // Trust domains and paths
    ['AP12', 'two wildcards in a trust domain', { rules: [{ from: [{ source: { trustDomains: ['*.corp.*'] } }] }] },
      'at most one wildcard is allowed, found in TrustDomains: "*.corp.*"'],
    ['AP12', 'a slash in a trust domain', { rules: [{ from: [{ source: { notTrustDomains: ['cluster.local/ns'] } }] }] },
      'trust domain must not contain \'/\', found in NotTrustDomains: "cluster.local/ns"'],
    ['AP12', 'an empty trust domain', { rules: [{ from: [{ source: { trustDomains: [''] } }] }] }, 'empty value not allowed, found in TrustDomains'],
    ['AP13', 'a template after {**}', { rules: [{ to: [{ operation: { paths: ['/api/{**}/{*}'] } }] }] },
      'invalid or unsupported path api/{**}/{*}, found in Paths. {**} is not the last operator'],
    ['AP13', 'a brace inside a segment', { rules: [{ to: [{ operation: { notPaths: ['/api/{id}'] } }] }] },
      'invalid or unsupported path api/{id}, found in NotPaths. Contains \'{\' or \'}\' beyond a supported path template'],
    ['AP13', 'a bad literal beside a template', { rules: [{ to: [{ operation: { paths: ['/api/{*}/a b'] } }] }] },
      'invalid or unsupported path api/{*}/a b, found in Paths. Contains segment a b with invalid string literal'],
    // validateMetadata
    ['META3', 'dry-run on AUDIT', { action: 'AUDIT' },
      'the annotation istio.io/dry-run currently only supports action ALLOW/DENY, found action AUDIT in istio-egress/egress-policy', { 'istio.io/dry-run': 'true' }],
    ['META3', 'dry-run on CUSTOM', { action: 'CUSTOM', provider: { name: 'ext' }, rules: [{}] },
      'currently only supports action ALLOW/DENY, found action CUSTOM', { 'istio.io/dry-run': 'true' }],
    ['META3', 'a dry-run value that is not a Go boolean', { rules: [{}] },
      'istio-egress/egress-policy has annotation istio.io/dry-run with invalid value (yes): strconv.ParseBool: parsing "yes": invalid syntax',
      { 'istio.io/dry-run': 'yes' }],
    ['META3', 'an empty dry-run value', { rules: [{}] }, 'has annotation istio.io/dry-run with invalid value ()', { 'istio.io/dry-run': '' }],
    ['META4', 'an internal parent annotation', { rules: [{}] }, '"internal.istio.io/parents" annotation found, this may not be set by users',
      { 'internal.istio.io/parents': 'AuthorizationPolicy/a.b' }],
    ['META4', 'the always-reject annotation', { rules: [{}] }, '"internal.istio.io/webhook-always-reject" annotation found, rejecting',
      { 'internal.istio.io/webhook-always-reject': '' }],
  ];

  test.each(refused)('%s: %s', (...row) => {
    const [rule, , spec, message, annotations] = row;
    const found = errors(check(policy(spec, annotations)));
    expect(messages(found).join('\n')).toContain(message);
    expect(found.find(f => f.message.includes(message))!.rule).toBe(rule);
  });

  test('findings name the offending entry and give a fix', () => {
    const found = errors(check(policy({ rules: [{}, { from: [{ source: { ipBlocks: ['10.0.0.0/8', 'bad'] } }], when: [{ key: 'source.ip', values: ['x'] }] }] })));
    expect(found.map(f => [f.rule, f.field, f.value])).toEqual([
      ['AP8', 'spec.rules[1].from[0].source.ipBlocks[1]', 'bad'],
      ['AP10', 'spec.rules[1].when[0].values[0]', 'x'],
    ]);
    expect(found.every(f => f.code === 'IST0106' && f.fix.length > 0)).toBe(true);
  });

  test('a key problem is reported once, on the key, though Istio checks it with each list', () => {
    const found = errors(check(policy({ rules: [{ when: [{ key: 'destination.namespace', values: ['a'], notValues: ['b'] }] }] })));
    expect(found.map(f => [f.field, f.message])).toEqual([
      ['spec.rules[0].when[0].key', 'invalid `value` for `key` destination.namespace: attribute destination.namespace is replaced by the metadata.namespace'],
    ]);
  });

  test('a condition without values is not also checked for its key, as in Istio', () => {
    expect(messages(errors(check(policy({ rules: [{ when: [{ key: 'destination.namespace' }] }] }))))).toEqual([
      'at least one of `values` or `notValues` must be set for key destination.namespace',
    ]);
  });

  test('CUSTOM without rules does not also ask for a provider', () => {
    expect(messages(errors(check(policy({ action: 'CUSTOM' }))))).toEqual([
      'CUSTOM action without `rules` is meaningless as it will never be triggered, add an empty rule `{}` if you want it be triggered for every request',
    ]);
  });

  test('the dry-run annotation is refused on every other kind', () => {
    for (const kind of ['Telemetry', 'Sidecar', 'ServiceEntry']) {
      const manifest = { apiVersion: 'networking.istio.io/v1', kind, metadata: { name: 'x', namespace: 'shop', annotations: { 'istio.io/dry-run': 'true' } }, spec: {} };
      expect(checkMetadata(manifest).map(f => [f.rule, f.field, f.message])).toEqual([
        ['META3', 'metadata.annotations.istio.io/dry-run', 'shop/x has unsupported annotation istio.io/dry-run, please remove the annotation'],
      ]);
    }
  });

  test('odd shapes are findings, not crashes', () => {
    const odd: any[] = [null, 'x', [], { rules: 'x' }, { rules: [null, 'x', { from: 'x', to: [null], when: [null, { key: 1 }] }] },
      { selector: 'x', targetRef: 'x', targetRefs: [null] }, { action: 'CUSTOM', provider: 'x', rules: [{ from: [{ source: 'x' }] }] }];
    for (const spec of odd) {
      expect(() => check(policy(spec))).not.toThrow();
    }
    expect(messages(errors(check(policy({ rules: [{ from: [null], when: [null] }] }))))).toEqual([
      '`from.source` must not be nil, found at rule 0', '`key` must not be empty',
    ]);
  });
});

describe('what Istio warns about is a warning', () => {
  const DENY_WARNING = 'configured AuthorizationPolicy will deny all traffic to TCP ports under its scope due to the use of only HTTP attributes in a DENY rule; '
    + 'it is recommended to explicitly specify the port';

  test.each([
    ['a DENY rule on HTTP operations only', { action: 'DENY', rules: [{ to: [{ operation: { methods: ['DELETE'] } }] }] }],
    ['a DENY rule on request principals only', { action: 'DENY', rules: [{ from: [{ source: { requestPrincipals: ['*'] } }] }] }],
    ['a DENY rule on principals and HTTP operations', {
      action: 'DENY', rules: [{ from: [{ source: { principals: ['a'] } }], to: [{ operation: { hosts: ['api.example.com'] } }] }],
    }],
    ['a DENY rule on trust domains only', { action: 'DENY', rules: [{ from: [{ source: { trustDomains: ['*.corp'] } }] }] }],
  ])('AP11: %s', (_, spec) => {
    const findings = check(policy(spec));
    expect(errors(findings)).toEqual([]);
    expect(warnings(findings).map(f => [f.rule, f.field, f.message])).toEqual([['AP11', 'spec.rules[0]', DENY_WARNING]]);
    assertValidIstioObjects([policy(spec)]);
  });

  test.each([
    ['a DENY rule with ports', { action: 'DENY', rules: [{ to: [{ operation: { hosts: ['a.example.com'] } }, { operation: { notPorts: ['22'] } }] }] }],
    ['a DENY rule with conditions only', { action: 'DENY', rules: [{ when: [{ key: 'request.headers[x]', values: ['a'] }] }] }],
    ['an ALLOW rule on HTTP operations only', { rules: [{ to: [{ operation: { methods: ['GET'] } }] }] }],
    ['an AUDIT rule on HTTP operations only', { action: 'AUDIT', rules: [{ to: [{ operation: { paths: ['/admin'] } }] }] }],
  ])('no AP11 for %s', (_, spec) => {
    expect(check(policy(spec))).toEqual([]);
  });

  test('AP2: a selector without labels', () => {
    const findings = check(policy({ selector: {}, rules: [{}] }));
    expect(findings.map(f => [f.rule, f.severity, f.message])).toEqual([['AP2', 'warning', 'workload selector specified without labels']]);
  });
});
