/**
 * The egress setups Istio accepts that do not do what they say (src/analysis/egress-intent.ts), from plain objects:
 * EGR107 GATEWAY_LOOP, EGR108 IDENTITY_WITHOUT_MTLS, EGR109 HIDDEN_HOST (Sidecar imports and gateway policies),
 * EGR110 DIRECT_HOST_BLOCKED and EGR111 SIDECAR_CREDENTIAL. Each check has objects that are accepted, one field away
 * from the rejected ones, and one finding asserted in full.
 */
import { EGRESS_PODS, GATEWAY_SERVICE, networkPolicy, throughGateway, TLS_443 } from './egress-intent-fixtures';
import { destinationRule, gateway, meta, policy, service, serviceEntry, sidecar, virtualService } from './objects';
import { analyze } from '../../src/analysis';
import { ObjectFinding } from '../../src/analysis/object-finding';
import { assertValidIstioObjects } from '../support/crd-validator';
import { helpful } from '../support/findings';

/** The findings of one check (its rule name), in full. */
function intent(rule: string, objects: any[]): ObjectFinding[] {
  return helpful(analyze(objects).findings).filter(f => f.rule === rule);
}

/** The findings of one check as `[index, field, value]`. */
function at(rule: string, objects: any[]): Array<[number, string, unknown]> {
  return intent(rule, objects).map(f => [f.index, f.field, f.value]);
}

/** Asserts that `objects` have no finding of `rule` and that the API server takes them. */
function accepted(rule: string, objects: any[]): void {
  expect(at(rule, objects)).toEqual([]);
  assertValidIstioObjects(objects);
}

describe('GATEWAY_LOOP (EGR107): a gateway route to a resolution-NONE entry', () => {
  const passthrough = gateway('egress', 'istio-system', {
    selector: EGRESS_PODS, servers: [{ port: TLS_443, hosts: ['*.example.com'], tls: { mode: 'PASSTHROUGH' } }],
  });
  const entry = (spec: Record<string, unknown>) => serviceEntry('api', 'default', { hosts: ['api.example.com'], ports: [TLS_443], ...spec });
  const wildcard = serviceEntry('wildcard', 'default', { hosts: ['*.example.com'], ports: [TLS_443], resolution: 'NONE' });

  test('resolution NONE: the gateway sends the traffic back to itself (finding in full)', () => {
    expect(intent('GATEWAY_LOOP', [passthrough, entry({ resolution: 'NONE' }), throughGateway('api.example.com')])).toEqual([{
      index: 2,
      rule: 'GATEWAY_LOOP',
      code: 'EGR107',
      severity: 'error',
      field: 'spec.tls[1].route[0].destination.host',
      value: 'api.example.com',
      message: 'ServiceEntry default/api resolves api.example.com with resolution NONE, so gateway istio-system/egress sends the traffic on to the '
        + 'address it was sent to, which is the gateway\'s own: the request loops inside the gateway and never leaves the mesh',
      fix: 'resolve the host with DNS (or STATIC with endpoints) in its ServiceEntry (ExternalHost: resolution: Resolution.DNS; '
        + 'for a wildcard host, route through one concrete host with servedBy)',
    }]);
  });

  test('resolution missing is NONE; DNS, or a workload selector, is not', () => {
    expect(at('GATEWAY_LOOP', [passthrough, entry({}), throughGateway('api.example.com')]))
      .toEqual([[2, 'spec.tls[1].route[0].destination.host', 'api.example.com']]);
    accepted('GATEWAY_LOOP', [passthrough, entry({ resolution: 'DNS' }), throughGateway('api.example.com')]);
    // With a workload selector the entry's endpoints are workloads of the mesh, not the original address.
    accepted('GATEWAY_LOOP', [passthrough, entry({ resolution: 'NONE', workloadSelector: { labels: { app: 'api' } } }), throughGateway('api.example.com')]);
  });

  test('a wildcard NONE entry loops unless an exact entry of the host resolves it', () => {
    expect(intent('GATEWAY_LOOP', [passthrough, wildcard, throughGateway('api.example.com')]).map(f => f.message))
      .toEqual([expect.stringMatching(/^ServiceEntry default\/wildcard resolves api\.example\.com with resolution NONE, so gateway istio-system\/egress/)]);
    accepted('GATEWAY_LOOP', [passthrough, wildcard, entry({ resolution: 'DNS' }), throughGateway('api.example.com')]);
    // An exact NONE entry beside the wildcard one: the exact one alone is named.
    expect(intent('GATEWAY_LOOP', [passthrough, wildcard, entry({ resolution: 'NONE' }), throughGateway('api.example.com')]).map(f => f.message))
      .toEqual([expect.stringMatching(/^ServiceEntry default\/api resolves api\.example\.com with/)]);
    // Two exact NONE entries are both named.
    const other = serviceEntry('api-2', 'default', { hosts: ['api.example.com'], ports: [TLS_443], resolution: 'NONE' });
    expect(intent('GATEWAY_LOOP', [passthrough, entry({}), other, throughGateway('api.example.com')]).map(f => f.message))
      .toEqual([expect.stringMatching(/^ServiceEntry default\/api, ServiceEntry default\/api-2 resolves/)]);
  });

  test('routes of the sidecars only, Kubernetes Services and hosts nothing defines are not judged', () => {
    // A mesh-only route to the NONE entry: the sidecars send to the address the application chose.
    const meshOnly = virtualService('api', 'default', {
      hosts: ['api.example.com'], tls: [{ match: [{ port: 443, sniHosts: ['api.example.com'] }], route: [{ destination: { host: 'api.example.com' } }] }],
    });
    accepted('GATEWAY_LOOP', [passthrough, entry({ resolution: 'NONE' }), meshOnly]);
    // A Service has endpoints of its own.
    const backend = service('backend', 'default', { ports: [{ port: 443, name: 'tls' }] });
    accepted('GATEWAY_LOOP', [passthrough, backend, throughGateway('api.example.com', 'default', 'backend.default.svc.cluster.local')]);
    // Nothing defines the host (another check reports it).
    expect(at('GATEWAY_LOOP', [passthrough, throughGateway('api.example.com')])).toEqual([]);
    // An entry not exported to the route's namespace does not resolve it there.
    expect(at('GATEWAY_LOOP', [passthrough, { ...entry({ resolution: 'NONE', exportTo: ['.'] }), metadata: meta('api', 'egress') },
      throughGateway('api.example.com')])).toEqual([]);
  });

  test('every gateway of the route is named', () => {
    const twoGateways = virtualService('api', 'default', {
      hosts: ['api.example.com'],
      gateways: ['istio-system/egress', 'istio-system/egress-2'],
      tls: [{ match: [{ port: 443, sniHosts: ['api.example.com'] }], route: [{ destination: { host: 'api.example.com', port: { number: 443 } } }] }],
    });
    expect(intent('GATEWAY_LOOP', [passthrough, entry({}), twoGateways]).map(f => f.message))
      .toEqual([expect.stringContaining('so gateway istio-system/egress, istio-system/egress-2 sends the traffic on')]);
  });
});

describe('IDENTITY_WITHOUT_MTLS (EGR108): a gateway policy naming identities the gateway never learns', () => {
  const tlsServer = (hosts: string[], tls: Record<string, unknown>) => ({ port: TLS_443, hosts, tls });
  const httpServer = { port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['api.example.com'] };
  const egress = (servers: unknown[], ns = 'istio-system', selector: Record<string, string> = EGRESS_PODS) =>
    gateway('egress', ns, { selector, servers });
  const plain = egress([tlsServer(['api.example.com'], { mode: 'PASSTHROUGH' })]);
  const byNamespace = { from: [{ source: { namespaces: ['shop'] } }], when: [{ key: 'connection.sni', values: ['api.example.com'] }] };
  const allow = (rules: unknown[], extra: Record<string, unknown> = {}, ns = 'istio-system') =>
    policy('allow', ns, { selector: { matchLabels: EGRESS_PODS }, action: 'ALLOW', rules, ...extra });

  test('a namespace allowed at a PASSTHROUGH server (finding in full)', () => {
    expect(intent('IDENTITY_WITHOUT_MTLS', [plain, allow([byNamespace])])).toEqual([{
      index: 1,
      rule: 'IDENTITY_WITHOUT_MTLS',
      code: 'EGR108',
      severity: 'error',
      field: 'spec.rules[0].from[0].source.namespaces',
      value: ['shop'],
      message: 'rule 0 allows only the workloads named by from[0].source.namespaces, identities that a gateway learns from Istio mutual TLS, '
        + 'but the servers it applies to do not use mutual TLS (Gateway istio-system/egress port 443 (tls PASSTHROUGH)): no request carries an '
        + 'identity there, so the gateway denies every one',
      fix: 'terminate Istio mutual TLS at the gateway (server tls mode ISTIO_MUTUAL, and tls mode ISTIO_MUTUAL with the host as sni in the '
        + 'sidecars\' DestinationRule for the gateway; EgressGatewayRoute: gatewayMutualTls on), or allow by what the gateway sees (connection.sni, ports)',
    }]);
  });

  test('servers with mutual TLS carry identities; SIMPLE, PASSTHROUGH and plain servers do not', () => {
    for (const mode of ['ISTIO_MUTUAL', 'MUTUAL', 'OPTIONAL_MUTUAL']) {
      const tls = mode === 'ISTIO_MUTUAL' ? { mode } : { mode, credentialName: 'egress-cert' };
      accepted('IDENTITY_WITHOUT_MTLS', [egress([tlsServer(['api.example.com'], tls)]), allow([byNamespace])]);
    }
    const simple = egress([{ port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['api.example.com'], tls: { mode: 'SIMPLE', credentialName: 'egress-cert' } }]);
    expect(intent('IDENTITY_WITHOUT_MTLS', [simple, allow([byNamespace])]).map(f => f.message))
      .toEqual([expect.stringContaining('(Gateway istio-system/egress port 443 (tls SIMPLE))')]);
    expect(intent('IDENTITY_WITHOUT_MTLS', [egress([httpServer]), allow([byNamespace])]).map(f => f.message))
      .toEqual([expect.stringContaining('(Gateway istio-system/egress port 80 (no tls))')]);
    // A rule by SNI alone names no identity.
    accepted('IDENTITY_WITHOUT_MTLS', [plain, allow([{ when: [{ key: 'connection.sni', values: ['api.example.com'] }] }])]);
  });

  test('identities in from.source: principals, namespaces, serviceAccounts (the first of each source), one finding each', () => {
    const rules = [{
      from: [
        { source: { principals: ['cluster.local/ns/shop/sa/app'] } },
        { source: { serviceAccounts: ['shop/app'] } },
        { source: { namespaces: ['shop'], principals: ['cluster.local/ns/shop/sa/app'] } },
        { source: { ipBlocks: ['10.0.0.0/8'] } },
      ],
    }];
    expect(at('IDENTITY_WITHOUT_MTLS', [plain, allow(rules)])).toEqual([
      [1, 'spec.rules[0].from[0].source.principals', ['cluster.local/ns/shop/sa/app']],
      [1, 'spec.rules[0].from[1].source.serviceAccounts', ['shop/app']],
      [1, 'spec.rules[0].from[2].source.principals', ['cluster.local/ns/shop/sa/app']],
    ]);
    expect(intent('IDENTITY_WITHOUT_MTLS', [plain, allow(rules)])[1].message)
      .toMatch(/^rule 0 allows only the workloads named by from\[1\]\.source\.serviceAccounts, identities/);
    // Addresses are seen without mutual TLS.
    accepted('IDENTITY_WITHOUT_MTLS', [plain, allow([{ from: [{ source: { ipBlocks: ['10.0.0.0/8'] } }] }])]);
  });

  test('identities in when conditions: source.principal, source.namespace, source.serviceAccount; empty values are skipped', () => {
    const rules = [{
      when: [
        { key: 'source.principal', values: ['cluster.local/ns/shop/sa/app'] },
        { key: 'source.namespace', values: ['shop'] },
        { key: 'source.serviceAccount', values: ['shop/app'] },
        { key: 'source.namespace', notValues: ['other'] },
        { key: 'request.headers[x-id]', values: ['a'] },
      ],
    }];
    expect(at('IDENTITY_WITHOUT_MTLS', [plain, allow(rules)])).toEqual([
      [1, 'spec.rules[0].when[0].values', ['cluster.local/ns/shop/sa/app']],
      [1, 'spec.rules[0].when[1].values', ['shop']],
      [1, 'spec.rules[0].when[2].values', ['shop/app']],
    ]);
    expect(intent('IDENTITY_WITHOUT_MTLS', [plain, allow(rules)])[2].message)
      .toMatch(/^rule 0 allows only the workloads named by the source\.serviceAccount condition, identities/);
    accepted('IDENTITY_WITHOUT_MTLS', [plain, allow([{ when: [{ key: 'source.namespace', notValues: ['other'] }] }])]);
    // A malformed rule (not an object) or a malformed source is skipped, not a crash.
    expect(at('IDENTITY_WITHOUT_MTLS', [plain, allow(['x', { from: ['y'], when: ['z'] }])])).toEqual([]);
    expect(at('IDENTITY_WITHOUT_MTLS', [plain, allow([{ from: [{ source: 'shop' }] }])])).toEqual([]);
  });

  test('the gateways a policy applies to: its selector within the gateway\'s, in its namespace or from the root namespace', () => {
    const wide = egress([tlsServer(['api.example.com'], { mode: 'PASSTHROUGH' })], 'istio-system', { ...EGRESS_PODS, app: 'egress' });
    expect(at('IDENTITY_WITHOUT_MTLS', [wide, allow([byNamespace])])).toHaveLength(1);
    // A selector key the gateway lacks, or a value that differs.
    accepted('IDENTITY_WITHOUT_MTLS', [plain, allow([byNamespace], { selector: { matchLabels: { ...EGRESS_PODS, app: 'egress' } } })]);
    accepted('IDENTITY_WITHOUT_MTLS', [plain, allow([byNamespace], { selector: { matchLabels: { istio: 'ingressgateway' } } })]);
    // No selector: every gateway of the namespace; the root namespace's policy also applies to gateways elsewhere.
    const noSelector = policy('allow', 'istio-system', { rules: [byNamespace] });
    expect(at('IDENTITY_WITHOUT_MTLS', [plain, noSelector])).toEqual([[1, 'spec.rules[0].from[0].source.namespaces', ['shop']]]);
    const elsewhere = egress([tlsServer(['api.example.com'], { mode: 'PASSTHROUGH' })], 'egress');
    expect(intent('IDENTITY_WITHOUT_MTLS', [elsewhere, allow([byNamespace])]).map(f => f.message))
      .toEqual([expect.stringContaining('(Gateway egress/egress port 443 (tls PASSTHROUGH))')]);
    expect(at('IDENTITY_WITHOUT_MTLS', [elsewhere, allow([byNamespace], {}, 'egress')])).toHaveLength(1);
    // A policy of another namespace (not the root) does not apply to the gateway.
    accepted('IDENTITY_WITHOUT_MTLS', [plain, allow([byNamespace], {}, 'shop')]);
    // No gateway at all.
    accepted('IDENTITY_WITHOUT_MTLS', [allow([byNamespace])]);
  });

  test('DENY, CUSTOM and targetRef policies are not judged; an ALLOW without action is', () => {
    accepted('IDENTITY_WITHOUT_MTLS', [plain, allow([byNamespace], { action: 'DENY' })]);
    accepted('IDENTITY_WITHOUT_MTLS', [plain, allow([byNamespace], { action: 'CUSTOM', provider: { name: 'ext-authz' } })]);
    const targetRef = { kind: 'Gateway', group: 'gateway.networking.k8s.io', name: 'egress' };
    accepted('IDENTITY_WITHOUT_MTLS', [plain, policy('allow', 'istio-system', { targetRef, rules: [byNamespace] })]);
    accepted('IDENTITY_WITHOUT_MTLS', [plain, policy('allow', 'istio-system', { targetRefs: [targetRef], rules: [byNamespace] })]);
    expect(at('IDENTITY_WITHOUT_MTLS', [plain, policy('allow', 'istio-system', { selector: { matchLabels: EGRESS_PODS }, rules: [byNamespace] })]))
      .toHaveLength(1);
    // A policy without spec is not judged.
    expect(at('IDENTITY_WITHOUT_MTLS', [plain, { ...policy('allow', 'istio-system', {}), spec: undefined }])).toEqual([]);
  });

  test('connection.sni picks the servers: an exact server host over wildcard ones, a pattern stands for every server it covers', () => {
    const exactPlain = tlsServer(['api.example.com'], { mode: 'PASSTHROUGH' });
    const wildcardMutual = { ...tlsServer(['*.example.com'], { mode: 'ISTIO_MUTUAL' }), port: { number: 8443, name: 'tls-8443', protocol: 'TLS' } };
    const mixed = egress([exactPlain, wildcardMutual]);
    // api.example.com: the exact (PASSTHROUGH) server alone.
    expect(intent('IDENTITY_WITHOUT_MTLS', [mixed, allow([byNamespace])]).map(f => f.message))
      .toEqual([expect.stringContaining('(Gateway istio-system/egress port 443 (tls PASSTHROUGH)): no request')]);
    // other.example.com: no exact server, the wildcard one (mutual TLS).
    const other = { ...byNamespace, when: [{ key: 'connection.sni', values: ['other.example.com'] }] };
    accepted('IDENTITY_WITHOUT_MTLS', [mixed, allow([other])]);
    // A pattern covers both servers, one of which uses mutual TLS.
    const pattern = { ...byNamespace, when: [{ key: 'connection.sni', values: ['*.example.com'] }] };
    accepted('IDENTITY_WITHOUT_MTLS', [mixed, allow([pattern])]);
    const bothPlain = egress([exactPlain, { ...wildcardMutual, tls: { mode: 'PASSTHROUGH' } }]);
    expect(intent('IDENTITY_WITHOUT_MTLS', [bothPlain, allow([pattern])]).map(f => f.message)).toEqual([expect.stringContaining(
      '(Gateway istio-system/egress port 443 (tls PASSTHROUGH), Gateway istio-system/egress port 8443 (tls PASSTHROUGH)): no request')]);
    // A server host with a namespace part is read without it.
    const namespaced = egress([tlsServer(['shop/api.example.com'], { mode: 'PASSTHROUGH' }), wildcardMutual]);
    expect(at('IDENTITY_WITHOUT_MTLS', [namespaced, allow([byNamespace])])).toHaveLength(1);
    // An SNI no server matches: the rule applies to no server.
    const unserved = { ...byNamespace, when: [{ key: 'connection.sni', values: ['api.example.org'] }] };
    accepted('IDENTITY_WITHOUT_MTLS', [plain, allow([unserved])]);
    // Servers that are not objects are skipped.
    expect(at('IDENTITY_WITHOUT_MTLS', [egress(['x', exactPlain]), allow([byNamespace])])).toHaveLength(1);
  });
});

describe('HIDDEN_HOST (EGR109) for Sidecars: an import of a host not exported to the Sidecar\'s namespace', () => {
  const entry = (exportTo: string[] | undefined, ns = 'egress', name = 'api', hosts = ['api.example.com']) =>
    serviceEntry(name, ns, { hosts, ports: [TLS_443], resolution: 'DNS', ...(exportTo ? { exportTo } : {}) });
  const importing = (hosts: string[], ns = 'shop') => sidecar('default', ns, { egress: [{ hosts }] });

  test('egress/api.example.com exported to egress alone (finding in full)', () => {
    expect(intent('HIDDEN_HOST', [entry(['.']), importing(['istio-system/*', 'egress/api.example.com'])])).toEqual([{
      index: 1,
      rule: 'HIDDEN_HOST',
      code: 'EGR109',
      severity: 'error',
      field: 'spec.egress[0].hosts[1]',
      value: 'egress/api.example.com',
      message: 'the Sidecar imports api.example.com from namespace egress, but ServiceEntry egress/api is not exported to namespace shop '
        + '(egress/api exportTo ["."]): the import finds nothing, and the workloads of shop cannot reach api.example.com',
      fix: 'add "shop" to the exportTo of ServiceEntry egress/api (ExternalHost: exportTo ExportTo.whereUsed(), or add the namespace)',
    }]);
  });

  test('exported to the namespace, to every namespace, or by the mesh default: no finding', () => {
    accepted('HIDDEN_HOST', [entry(['.', 'shop']), importing(['egress/api.example.com'])]);
    accepted('HIDDEN_HOST', [entry(['*']), importing(['egress/api.example.com'])]);
    accepted('HIDDEN_HOST', [entry(undefined), importing(['egress/api.example.com'])]);
    // One of the namespace's entries for the host is exported there: the import finds it.
    accepted('HIDDEN_HOST', [entry(['.']), entry(['shop'], 'egress', 'api-2'), importing(['egress/api.example.com'])]);
  });

  test('./host is the Sidecar\'s own namespace; every hidden entry of the namespace naming the host is named, not wildcard ones', () => {
    expect(at('HIDDEN_HOST', [entry(['other'], 'shop'), importing(['./api.example.com'])])).toEqual([[1, 'spec.egress[0].hosts[0]', './api.example.com']]);
    accepted('HIDDEN_HOST', [entry(['other', '.'], 'shop'), importing(['./api.example.com'])]);
    const wildcard = entry(['.'], 'egress', 'wildcard', ['*.example.com']);
    const sidecarWithTwoListeners = sidecar('default', 'shop', {
      egress: [{ port: { number: 443, name: 'tls', protocol: 'TLS' }, hosts: ['egress/api.example.com'] }, { hosts: ['istio-system/*', 'egress/api.example.com'] }],
    });
    const found = intent('HIDDEN_HOST', [entry(['.']), wildcard, sidecarWithTwoListeners]);
    expect(found.map(f => [f.field, f.value])).toEqual([['spec.egress[0].hosts[0]', 'egress/api.example.com'], ['spec.egress[1].hosts[1]', 'egress/api.example.com']]);
    expect(found[0].message).toContain('but ServiceEntry egress/api is not exported to namespace shop (egress/api exportTo ["."]): ');
  });

  test('an exact import does not take a wildcard entry (Istio imports a wildcard service only for an import it is a subset of)', () => {
    // The wildcard entry exported to shop does not make the hidden exact one reachable: the import takes only entries naming the host.
    const visibleWildcard = entry(['shop'], 'egress', 'wildcard', ['*.example.com']);
    expect(at('HIDDEN_HOST', [entry(['.']), visibleWildcard, importing(['egress/api.example.com'])]))
      .toEqual([[2, 'spec.egress[0].hosts[0]', 'egress/api.example.com']]);
    // A hidden wildcard entry alone is no reason to export it to shop: the exact import would not take it either way.
    accepted('HIDDEN_HOST', [entry(['.'], 'egress', 'wildcard', ['*.example.com']), importing(['egress/api.example.com'])]);
  });

  test('imports of any namespace, of whole namespaces, of Kubernetes Services, and hosts of other namespaces are not judged', () => {
    for (const host of ['*/api.example.com', '~/api.example.com', 'egress/*', 'egress/*.example.com', 'egress/svc.egress.svc.cluster.local']) {
      accepted('HIDDEN_HOST', [entry(['.']), importing([host])]);
    }
    // An empty host and an entry without a namespace are malformed (the webhook refuses them): nothing to judge here.
    expect(at('HIDDEN_HOST', [entry(['.']), importing(['egress/', 'api.example.com'])])).toEqual([]);
    expect(at('HIDDEN_HOST', [entry(['.']), sidecar('default', 'shop', { egress: ['x', { hosts: ['egress/api.example.com'] }] })]))
      .toEqual([[1, 'spec.egress[1].hosts[0]', 'egress/api.example.com']]);
    // The host is defined in another namespace than the one imported from, or nowhere.
    accepted('HIDDEN_HOST', [entry(['.']), importing(['billing/api.example.com'])]);
    accepted('HIDDEN_HOST', [entry(['.']), importing(['egress/www.example.com'])]);
  });

  // Schema-invalid input (the CRD wants strings), but the field must still point at the entry as written.
  test('a non-string entry before a hidden import: the finding names the import\'s own index', () => {
    expect(at('HIDDEN_HOST', [entry(['.']), importing([42 as any, 'egress/api.example.com'])])).toEqual([[1, 'spec.egress[0].hosts[1]', 'egress/api.example.com']]);
  });
});

describe('HIDDEN_HOST (EGR109) for gateway policies: a namespace allowed to reach a host not exported to it', () => {
  const entry = (exportTo: string[], ns = 'egress', name = 'api', hosts = ['api.example.com']) =>
    serviceEntry(name, ns, { hosts, ports: [TLS_443], resolution: 'DNS', exportTo });
  const sni = (...values: string[]) => ({ key: 'connection.sni', values });
  const allow = (from: unknown[], when: unknown[] = [sni('api.example.com')], extra: Record<string, unknown> = {}) =>
    policy('allow', 'istio-system', { selector: { matchLabels: EGRESS_PODS }, rules: [{ from, when }], ...extra });

  test('with Gateways in the input, only a policy that applies to one of them is judged', () => {
    const egressGateway = gateway('egress', 'istio-system', { selector: EGRESS_PODS, servers: [{ port: TLS_443, hosts: ['api.example.com'], tls: { mode: 'ISTIO_MUTUAL' } }] });
    const shop = [{ source: { namespaces: ['shop'] } }];
    expect(at('HIDDEN_HOST', [entry(['.']), egressGateway, allow(shop)])).toEqual([[2, 'spec.rules[0].from[0].source.namespaces[0]', 'shop']]);
    // A policy for other pods of istio-system: connection.sni is what those pods are called with.
    const other = policy('allow', 'istio-system', { selector: { matchLabels: { app: 'api-proxy' } }, rules: [{ from: shop, when: [sni('api.example.com')] }] });
    accepted('HIDDEN_HOST', [entry(['.']), egressGateway, other]);
    // Without any Gateway in the input, the policy is taken to be a gateway's.
    expect(at('HIDDEN_HOST', [entry(['.']), other])).toEqual([[1, 'spec.rules[0].from[0].source.namespaces[0]', 'shop']]);
  });

  test('namespace shop allowed to reach a host exported to egress alone (finding in full)', () => {
    expect(intent('HIDDEN_HOST', [entry(['.']), allow([{ source: { namespaces: ['shop'] } }])])).toEqual([{
      index: 1,
      rule: 'HIDDEN_HOST',
      code: 'EGR109',
      severity: 'error',
      field: 'spec.rules[0].from[0].source.namespaces[0]',
      value: 'shop',
      message: 'rule 0 lets workloads of namespace shop reach api.example.com through the gateway, but ServiceEntry egress/api is not exported '
        + 'to shop: their sidecars do not know the host and never send it to the gateway',
      fix: 'add "shop" to the exportTo of ServiceEntry egress/api (ExternalHost: exportTo ExportTo.whereUsed(), or add the namespace)',
    }]);
    accepted('HIDDEN_HOST', [entry(['.', 'shop']), allow([{ source: { namespaces: ['shop'] } }])]);
  });

  test('principals name their namespace; patterns and malformed principals say none', () => {
    const from = [{
      source: {
        namespaces: ['shop-*', 'billing'],
        principals: ['cluster.local/ns/shop/sa/app', 'cluster.local/ns/shop/sa/*', '*', 'shop', 'cluster.local/ns/egress/sa/app'],
      },
    }];
    expect(at('HIDDEN_HOST', [entry(['.']), allow(from)])).toEqual([
      [1, 'spec.rules[0].from[0].source.namespaces[1]', 'billing'],
      [1, 'spec.rules[0].from[0].source.principals[0]', 'cluster.local/ns/shop/sa/app'],
    ]);
    expect(intent('HIDDEN_HOST', [entry(['.']), allow(from)])[1].message).toMatch(/^rule 0 lets workloads of namespace shop reach api\.example\.com/);
    // Service accounts and a source that is no object are not read.
    accepted('HIDDEN_HOST', [entry(['.']), allow([{ source: { serviceAccounts: ['shop/app'] } }])]);
    expect(at('HIDDEN_HOST', [entry(['.']), allow(['x', { source: 'shop' }])])).toEqual([]);
  });

  test('only concrete SNI values of ALLOW rules count; only the hidden hosts are named, each entry once', () => {
    const shop = [{ source: { namespaces: ['shop'] } }];
    accepted('HIDDEN_HOST', [entry(['.']), allow(shop, [sni('*.example.com')])]);
    accepted('HIDDEN_HOST', [entry(['.']), allow(shop, [])]);
    accepted('HIDDEN_HOST', [entry(['.']), allow(shop, undefined, { action: 'DENY' })]);
    expect(at('HIDDEN_HOST', [entry(['.']), policy('allow', 'istio-system', { rules: ['x'] })])).toEqual([]);
    // www.example.com is exported to shop, www.example.org is defined nowhere: only api.example.com is named.
    const www = entry(['*'], 'egress', 'www', ['www.example.com']);
    expect(intent('HIDDEN_HOST', [entry(['.']), www, allow(shop, [sni('www.example.com', 'api.example.com', 'www.example.org')])]).map(f => f.message))
      .toEqual([expect.stringMatching(/^rule 0 lets workloads of namespace shop reach api\.example\.com through the gateway, but ServiceEntry egress\/api is/)]);
    // One wildcard entry covering two hosts is named once.
    const wildcard = entry(['.'], 'egress', 'wildcard', ['*.example.com']);
    expect(intent('HIDDEN_HOST', [wildcard, allow(shop, [sni('api.example.com', 'www.example.com')])]).map(f => f.message)).toEqual([
      'rule 0 lets workloads of namespace shop reach api.example.com, www.example.com through the gateway, but ServiceEntry egress/wildcard is '
      + 'not exported to shop: their sidecars do not know the host and never send it to the gateway',
    ]);
  });

  // Found by the rules-robustness property: `of` read a hole of a sparse list (a JavaScript caller's) as an undefined entry and threw.
  test('a sparse namespaces list is read without its holes', () => {
    // eslint-disable-next-line no-sparse-arrays
    const sparse = [{ source: { namespaces: [, 'shop'] } }];
    expect(at('HIDDEN_HOST', [entry(['.']), allow(sparse)])).toEqual([[1, 'spec.rules[0].from[0].source.namespaces[1]', 'shop']]);
  });
});

describe('DIRECT_HOST_BLOCKED (EGR110): a host reached directly that the namespace\'s NetworkPolicy cannot allow', () => {
  const entry = (spec: Record<string, unknown> = {}, name = 'api') =>
    serviceEntry(name, 'egress', { hosts: ['api.example.com'], ports: [TLS_443], resolution: 'DNS', ...spec });
  const lockdown = (spec: Record<string, unknown> = {}, hosts = ['istio-system/*', 'egress/api.example.com'], name = 'lockdown') =>
    sidecar(name, 'shop', { outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' }, egress: [{ hosts }], ...spec });
  const dns = { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }], ports: [{ protocol: 'UDP', port: 53 }] };
  const netpol = (egress: unknown[] | undefined, spec: Record<string, unknown> = {}, ns = 'shop', name = 'lockdown') =>
    networkPolicy(name, ns, { podSelector: {}, policyTypes: ['Egress'], ...(egress ? { egress } : {}), ...spec });

  test('egress to DNS only, and a host without addresses imported by the Sidecar (finding in full)', () => {
    expect(intent('DIRECT_HOST_BLOCKED', [entry(), lockdown(), netpol([dns])])).toEqual([{
      index: 2,
      rule: 'DIRECT_HOST_BLOCKED',
      code: 'EGR110',
      severity: 'error',
      field: 'spec.egress',
      value: undefined,
      message: 'the pods of shop reach api.example.com directly (Sidecar shop/lockdown imports it, and no mesh route sends it to an egress gateway), '
        + 'but this NetworkPolicy lets them send only to the peers it lists, and ServiceEntry egress/api gives no addresses it could allow: '
        + 'connections to api.example.com are dropped',
      fix: 'route api.example.com through an egress gateway (EgressGatewayRoute), declare its addresses and allow them as ipBlocks '
        + '(ExternalHost: addresses), or allow it in a NetworkPolicy of its own (EgressLockdown: networkPolicy: false)',
    }]);
  });

  test('policyTypes: Egress restricts; without policyTypes only a policy with egress rules does; Ingress alone does not', () => {
    expect(at('DIRECT_HOST_BLOCKED', [entry(), lockdown(), netpol([dns], { policyTypes: undefined })])).toEqual([[2, 'spec.egress', undefined]]);
    accepted('DIRECT_HOST_BLOCKED', [entry(), lockdown(), networkPolicy('lockdown', 'shop', { podSelector: {} })]);
    accepted('DIRECT_HOST_BLOCKED', [entry(), lockdown(), netpol(undefined, { policyTypes: ['Ingress'] })]);
    // Egress without rules denies all egress.
    expect(at('DIRECT_HOST_BLOCKED', [entry(), lockdown(), netpol(undefined)])).toEqual([[2, 'spec.egress', undefined]]);
    expect(at('DIRECT_HOST_BLOCKED', [entry(), lockdown(), netpol([dns], { policyTypes: ['Ingress', 'Egress'] })])).toHaveLength(1);
  });

  // Kubernetes adds Egress to the default policyTypes only for a non-empty egress list
  // (pkg/apis/networking/v1/defaults.go SetDefaults_NetworkPolicy), so this policy restricts ingress alone.
  test('an empty egress list without policyTypes restricts ingress only: no finding', () => {
    accepted('DIRECT_HOST_BLOCKED', [entry(), lockdown(), networkPolicy('lockdown', 'shop', { podSelector: {}, egress: [] })]);
  });

  test('the policy must select every pod of the Sidecar: same namespace, matchLabels within the workload labels, no expressions', () => {
    accepted('DIRECT_HOST_BLOCKED', [entry(), lockdown(), netpol([dns], {}, 'billing')]);
    accepted('DIRECT_HOST_BLOCKED', [entry(), lockdown(), netpol([dns], { podSelector: { matchLabels: { app: 'web' } } })]);
    accepted('DIRECT_HOST_BLOCKED', [entry(), lockdown(), netpol([dns], { podSelector: { matchExpressions: [{ key: 'app', operator: 'Exists' }] } })]);
    const web = { workloadSelector: { labels: { app: 'web', tier: 'front' } } };
    expect(at('DIRECT_HOST_BLOCKED', [entry(), lockdown(web), netpol([dns], { podSelector: { matchLabels: { app: 'web' } } })])).toHaveLength(1);
    expect(at('DIRECT_HOST_BLOCKED', [entry(), lockdown(web), netpol([dns])])).toHaveLength(1);
    // A label the workloads lack, or a value that differs: the policy may select other pods.
    accepted('DIRECT_HOST_BLOCKED', [entry(), lockdown(web), netpol([dns], { podSelector: { matchLabels: { app: 'web', zone: 'a' } } })]);
    accepted('DIRECT_HOST_BLOCKED', [entry(), lockdown(web), netpol([dns], { podSelector: { matchLabels: { app: 'api' } } })]);
  });

  test('a rule that lets the pods out to any address on the port: no to, 0.0.0.0/0, ::/0, the port, a range, a named port', () => {
    for (const rule of [
      {},
      { ports: [{ protocol: 'TCP', port: 443 }] },
      { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] },
      { to: [dns.to[0], { ipBlock: { cidr: '::/0', except: ['fd00::/8'] } }], ports: [{ protocol: 'TCP', port: 400, endPort: 500 }] },
      { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ protocol: 'TCP', port: 'https' }] },
      { ports: [{ protocol: 'TCP' }] },
    ]) {
      accepted('DIRECT_HOST_BLOCKED', [entry(), lockdown(), netpol([dns, rule])]);
    }
    for (const rule of [
      { ports: [{ protocol: 'TCP', port: 8443 }] },
      { ports: [{ protocol: 'TCP', port: 444, endPort: 500 }] },
      { ports: [{ protocol: 'TCP', port: 400, endPort: 442 }] },
      { to: [{ ipBlock: { cidr: '10.0.0.0/8' } }] },
      'x',
    ]) {
      expect(at('DIRECT_HOST_BLOCKED', [entry(), lockdown(), netpol([dns, rule])])).toEqual([[2, 'spec.egress', undefined]]);
    }
    // Policies add up: a second one that opens the port.
    accepted('DIRECT_HOST_BLOCKED', [entry(), lockdown(), netpol([dns]), netpol([{ ports: [{ protocol: 'TCP', port: 443 }] }], {}, 'shop', 'https-out')]);
  });

  test('the pods connect to the targetPort of an entry port; every port must be let out', () => {
    const targeted = entry({ ports: [{ number: 443, name: 'tls', protocol: 'TLS', targetPort: 8443 }] });
    accepted('DIRECT_HOST_BLOCKED', [targeted, lockdown(), netpol([dns, { ports: [{ protocol: 'TCP', port: 8443 }] }])]);
    expect(at('DIRECT_HOST_BLOCKED', [targeted, lockdown(), netpol([dns, { ports: [{ protocol: 'TCP', port: 443 }] }])])).toHaveLength(1);
    const twoPorts = entry({ ports: [TLS_443, { number: 80, name: 'http', protocol: 'HTTP' }] });
    expect(at('DIRECT_HOST_BLOCKED', [twoPorts, lockdown(), netpol([dns, { ports: [{ protocol: 'TCP', port: 443 }] }])])).toHaveLength(1);
    accepted('DIRECT_HOST_BLOCKED', [twoPorts, lockdown(), netpol([dns, { ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 80 }] }])]);
  });

  test('entries with addresses or IP endpoints, hosts routed away by a mesh route, and hosts not imported by name are not judged', () => {
    accepted('DIRECT_HOST_BLOCKED', [entry({ addresses: ['203.0.113.10'] }), lockdown(), netpol([dns])]);
    accepted('DIRECT_HOST_BLOCKED', [entry({ resolution: 'STATIC', endpoints: [{ address: '203.0.113.10' }] }), lockdown(), netpol([dns])]);
    accepted('DIRECT_HOST_BLOCKED', [entry({ resolution: 'STATIC', endpoints: [{ address: '2001:db8::10' }] }), lockdown(), netpol([dns])]);
    // Host names made of hex digits are still names, not addresses a NetworkPolicy could allow.
    expect(at('DIRECT_HOST_BLOCKED', [entry({ endpoints: [{ address: 'cafe.be' }] }), lockdown(), netpol([dns])])).toEqual([[2, 'spec.egress', undefined]]);
    expect(at('DIRECT_HOST_BLOCKED', [entry({ endpoints: [{ address: 'dead::beef::cafe' }] }), lockdown(), netpol([dns])])).toEqual([[2, 'spec.egress', undefined]]);
    // An endpoint by name says nothing about addresses.
    expect(at('DIRECT_HOST_BLOCKED', [entry({ endpoints: [{ address: 'backend.example.com' }] }), lockdown(), netpol([dns])])).toHaveLength(1);
    // Sent to the egress gateway by a mesh route visible in shop.
    accepted('DIRECT_HOST_BLOCKED', [entry(), lockdown(), netpol([dns]), throughGateway('api.example.com', 'egress')]);
    // ... but not by a route exported elsewhere, or a mesh route to the host itself.
    expect(at('DIRECT_HOST_BLOCKED', [entry(), lockdown(), netpol([dns]), throughGateway('api.example.com', 'egress', 'api.example.com', { exportTo: ['.'] })]))
      .toHaveLength(1);
    const toItself = virtualService('api', 'egress', {
      hosts: ['api.example.com'], tls: [{ match: [{ port: 443, sniHosts: ['api.example.com'] }], route: [{ destination: { host: 'api.example.com' } }] }],
    });
    expect(at('DIRECT_HOST_BLOCKED', [entry(), lockdown(), netpol([dns]), toItself])).toHaveLength(1);
    // (A mesh route whose host is a wildcard covering the host: see the todo below.)
    // Whole namespaces, mesh-internal entries, entries not exported to shop, and entries of another namespace.
    accepted('DIRECT_HOST_BLOCKED', [entry(), lockdown({}, ['istio-system/*', 'egress/*']), netpol([dns])]);
    accepted('DIRECT_HOST_BLOCKED', [entry({ location: 'MESH_INTERNAL' }), lockdown(), netpol([dns])]);
    expect(at('DIRECT_HOST_BLOCKED', [entry({ exportTo: ['.'] }), lockdown(), netpol([dns])])).toEqual([]);
    accepted('DIRECT_HOST_BLOCKED', [entry(), lockdown({}, ['istio-system/*', 'billing/api.example.com']), netpol([dns])]);
    // An entry without ports gives no port to let out.
    expect(at('DIRECT_HOST_BLOCKED', [entry({ ports: undefined }), lockdown(), netpol([dns])])).toEqual([]);
  });

  // istio.io's wildcard egress setup: a mesh route for `*.example.com` applies to every host it covers.
  test('a mesh route for a wildcard host covering the imported host sends it to the gateway: no finding', () => {
    accepted('DIRECT_HOST_BLOCKED', [entry(), lockdown(), netpol([dns]), throughGateway('*.example.com', 'egress')]);
    expect(at('DIRECT_HOST_BLOCKED', [entry(), lockdown(), netpol([dns]), throughGateway('*.other.com', 'egress')])).toHaveLength(1);
  });

  test('the same host is reported once per policy; every entry of the host is named', () => {
    const second = entry({}, 'api-2');
    const web = lockdown({ workloadSelector: { labels: { app: 'web' } } }, ['egress/api.example.com'], 'web');
    const twoListeners = lockdown({ egress: [{ hosts: ['egress/api.example.com'] }, 'x', { hosts: ['istio-system/*', 'egress/api.example.com'] }] });
    const found = intent('DIRECT_HOST_BLOCKED', [entry(), second, twoListeners, web, netpol([dns])]);
    expect(found.map(f => [f.index, f.field])).toEqual([[4, 'spec.egress']]);
    expect(found[0].message).toContain('Sidecar shop/lockdown imports it');
    expect(found[0].message).toContain('and ServiceEntry egress/api, ServiceEntry egress/api-2 gives no addresses');
    // Two policies that both block: the first is reported.
    expect(at('DIRECT_HOST_BLOCKED', [entry(), lockdown(), netpol([dns]), netpol([dns], {}, 'shop', 'other')])).toEqual([[2, 'spec.egress', undefined]]);
  });
});

describe('SIDECAR_CREDENTIAL (EGR111): a credentialName that sidecars ignore', () => {
  const rule = (spec: Record<string, unknown>, ns = 'default') => destinationRule('api', ns, { host: 'api.example.com', ...spec });
  const tls = (settings: Record<string, unknown>) => ({ trafficPolicy: { tls: settings } });
  const entry = serviceEntry('api', 'default', { hosts: ['api.example.com'], ports: [TLS_443], resolution: 'DNS' });

  test('SIMPLE with a credentialName, no workloadSelector (finding in full)', () => {
    expect(intent('SIDECAR_CREDENTIAL', [entry, rule(tls({ mode: 'SIMPLE', credentialName: 'api-ca', sni: 'api.example.com' }))])).toEqual([{
      index: 1,
      rule: 'SIDECAR_CREDENTIAL',
      code: 'EGR111',
      severity: 'error',
      field: 'spec.trafficPolicy.tls.credentialName',
      value: 'api-ca',
      message: 'sidecars ignore SIMPLE TLS settings that name a credentialName in a DestinationRule without workloadSelector (only gateways '
        + 'and rules with a workloadSelector read Secrets): the sidecars send to api.example.com without TLS',
      fix: 'verify with caCertificates (a file in the proxy, e.g. /etc/ssl/certs/ca-certificates.crt) instead of credentialName, add a workloadSelector, '
        + 'or originate TLS at the egress gateway (EgressGatewayRoute: tlsOrigination)',
    }]);
  });

  test('MUTUAL too, per port (the message names the port) and per subset', () => {
    const spec = {
      trafficPolicy: { portLevelSettings: [{ port: { number: 443 }, tls: { mode: 'MUTUAL', credentialName: 'client' } }, { port: { number: 80 } }] },
      subsets: [{ name: 'v1', trafficPolicy: { tls: { mode: 'MUTUAL', credentialName: 'client-v1' } } }, { name: 'v2' }],
    };
    const found = intent('SIDECAR_CREDENTIAL', [entry, rule(spec)]);
    expect(found.map(f => [f.index, f.field, f.value])).toEqual([
      [1, 'spec.trafficPolicy.portLevelSettings[0].tls.credentialName', 'client'],
      [1, 'spec.subsets[0].trafficPolicy.tls.credentialName', 'client-v1'],
    ]);
    expect(found[0].message).toMatch(/^sidecars ignore MUTUAL TLS settings .* the sidecars send to api\.example\.com port 443 without TLS$/);
    expect(found[1].message).toMatch(/the sidecars send to api\.example\.com without TLS$/);
  });

  test('a configmap:// or empty credential, other modes, caCertificates and a workloadSelector are not judged', () => {
    accepted('SIDECAR_CREDENTIAL', [entry, rule(tls({ mode: 'SIMPLE', credentialName: 'configmap://api-ca' }))]);
    accepted('SIDECAR_CREDENTIAL', [entry, rule(tls({ mode: 'SIMPLE', caCertificates: '/etc/ssl/certs/ca-certificates.crt' }))]);
    expect(at('SIDECAR_CREDENTIAL', [entry, rule(tls({ mode: 'SIMPLE', credentialName: '' }))])).toEqual([]);
    expect(at('SIDECAR_CREDENTIAL', [entry, rule(tls({ mode: 'SIMPLE', credentialName: 42 }))])).toEqual([]);
    expect(at('SIDECAR_CREDENTIAL', [entry, rule(tls({ mode: 'DISABLE', credentialName: 'api-ca' }))])).toEqual([]);
    expect(at('SIDECAR_CREDENTIAL', [entry, rule(tls({ mode: 'ISTIO_MUTUAL', credentialName: 'api-ca' }))])).toEqual([]);
    accepted('SIDECAR_CREDENTIAL', [entry, rule({ workloadSelector: { matchLabels: { app: 'web' } }, ...tls({ mode: 'SIMPLE', credentialName: 'api-ca' }) })]);
    // Malformed rules are skipped.
    expect(at('SIDECAR_CREDENTIAL', [entry, { ...rule({}), spec: 'x' }, rule({ host: 42, ...tls({ mode: 'SIMPLE', credentialName: 'api-ca' }) })])).toEqual([]);
  });

  test('a host that a mesh route visible in the rule\'s namespace sends to the egress gateway: the gateway reads the Secret', () => {
    const atGateway = rule(tls({ mode: 'SIMPLE', credentialName: 'api-ca', sni: 'api.example.com' }));
    const gatewayServer = gateway('egress', 'istio-system', {
      selector: EGRESS_PODS, servers: [{ port: TLS_443, hosts: ['api.example.com'], tls: { mode: 'ISTIO_MUTUAL' } }],
    });
    accepted('SIDECAR_CREDENTIAL', [entry, gatewayServer, atGateway, throughGateway('api.example.com')]);
    // Two routes send it away (one of them visible): still no finding.
    const billing = throughGateway('api.example.com', 'billing', 'api.example.com', { exportTo: ['.'] });
    expect(at('SIDECAR_CREDENTIAL', [entry, gatewayServer, atGateway, billing, throughGateway('api.example.com')])).toEqual([]);
    // The only route is exported to billing alone: the sidecars of default connect themselves.
    expect(at('SIDECAR_CREDENTIAL', [entry, gatewayServer, atGateway, billing])).toEqual([[2, 'spec.trafficPolicy.tls.credentialName', 'api-ca']]);
  });

  test('a mesh route for a wildcard host covering the rule\'s host sends it to the gateway: no finding', () => {
    const atGateway = rule(tls({ mode: 'SIMPLE', credentialName: 'api-ca', sni: 'api.example.com' }));
    expect(at('SIDECAR_CREDENTIAL', [entry, atGateway, throughGateway('*.example.com')])).toEqual([]);
    expect(at('SIDECAR_CREDENTIAL', [entry, atGateway, throughGateway('*.example.org')])).toEqual([[1, 'spec.trafficPolicy.tls.credentialName', 'api-ca']]);
  });

  // pilot: an HTTP port's traffic takes only http routes (a VirtualService without them builds no virtual
  // host), a TLS port's tls then tcp routes, a TCP port's tcp routes, a port without protocol http and tcp.
  test('a route sends away only the traffic of the ports whose protocol its block carries', () => {
    const ports = [{ number: 80, name: 'http', protocol: 'HTTP' }, TLS_443, { number: 9000, name: 'tcp', protocol: 'TCP' }, { number: 9001, name: 'auto' },
      { number: 9002, name: 'odd', protocol: 'SCTP' }];
    const twoPorts = serviceEntry('api', 'default', { hosts: ['api.example.com'], ports, resolution: 'DNS' });
    const onPort = (port: number) => rule({ trafficPolicy: { portLevelSettings: [{ port: { number: port }, tls: { mode: 'SIMPLE', credentialName: 'api-ca' } }] } });
    const field = 'spec.trafficPolicy.portLevelSettings[0].tls.credentialName';
    const tcpRoute = virtualService('api', 'default', { hosts: ['*.example.com'], tcp: [{ route: [{ destination: { host: GATEWAY_SERVICE } }] }] });
    const httpRoute = virtualService('api', 'default', { hosts: ['*.example.com'], http: [{ route: [{ destination: { host: GATEWAY_SERVICE } }] }] });
    // Plain HTTP on port 80 goes straight to the host: tls routes do not take it, so the sidecar sends it without the TLS the rule asks for.
    expect(at('SIDECAR_CREDENTIAL', [twoPorts, onPort(80), throughGateway('*.example.com')])).toEqual([[1, field, 'api-ca']]);
    expect(at('SIDECAR_CREDENTIAL', [twoPorts, onPort(80), throughGateway('api.example.com')])).toEqual([[1, field, 'api-ca']]);
    expect(at('SIDECAR_CREDENTIAL', [twoPorts, onPort(80), tcpRoute])).toEqual([[1, field, 'api-ca']]);
    accepted('SIDECAR_CREDENTIAL', [twoPorts, onPort(80), httpRoute]);
    // TLS on 443: tls routes, and tcp routes after them.
    accepted('SIDECAR_CREDENTIAL', [twoPorts, onPort(443), throughGateway('*.example.com')]);
    accepted('SIDECAR_CREDENTIAL', [twoPorts, onPort(443), tcpRoute]);
    expect(at('SIDECAR_CREDENTIAL', [twoPorts, onPort(443), httpRoute])).toEqual([[1, field, 'api-ca']]);
    // TCP: tcp routes only.
    accepted('SIDECAR_CREDENTIAL', [twoPorts, onPort(9000), tcpRoute]);
    expect(at('SIDECAR_CREDENTIAL', [twoPorts, onPort(9000), httpRoute])).toEqual([[1, field, 'api-ca']]);
    expect(at('SIDECAR_CREDENTIAL', [twoPorts, onPort(9000), throughGateway('*.example.com')])).toEqual([[1, field, 'api-ca']]);
    // No protocol: sniffed, http and tcp routes; not tls ones.
    accepted('SIDECAR_CREDENTIAL', [twoPorts, onPort(9001), httpRoute]);
    accepted('SIDECAR_CREDENTIAL', [twoPorts, onPort(9001), tcpRoute]);
    expect(at('SIDECAR_CREDENTIAL', [twoPorts, onPort(9001), throughGateway('*.example.com')])).toEqual([[1, field, 'api-ca']]);
    // A protocol Istio does not know, a port no entry declares, settings for every port: any route counts.
    accepted('SIDECAR_CREDENTIAL', [twoPorts, onPort(9002), throughGateway('*.example.com')]);
    accepted('SIDECAR_CREDENTIAL', [twoPorts, onPort(8443), throughGateway('*.example.com')]);
    accepted('SIDECAR_CREDENTIAL', [twoPorts, rule(tls({ mode: 'SIMPLE', credentialName: 'api-ca' })), throughGateway('*.example.com')]);
    // An entry the rule's namespace does not see declares nothing there.
    const hidden = serviceEntry('api', 'default', { hosts: ['api.example.com'], ports, resolution: 'DNS', exportTo: ['billing'] });
    accepted('SIDECAR_CREDENTIAL', [hidden, onPort(80), throughGateway('*.example.com')]);
  });

  describe('ambient: a rule the waypoint applies and no other namespace sees', () => {
    const waypoint = (ns = 'istio-egress') => ({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'waypoint', namespace: ns },
      spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
    });
    const bound = (labels: Record<string, string> = { 'istio.io/use-waypoint': 'waypoint' }) => serviceEntry('httpbin', 'istio-egress', {
      hosts: ['httpbin.org'], ports: [{ number: 80, name: 'http', protocol: 'HTTP', targetPort: 443 }], resolution: 'DNS',
    }, labels);
    const origination = (exportTo: string[] | undefined, ns = 'istio-egress') => destinationRule('httpbin-tls', ns, {
      host: 'httpbin.org',
      ...(exportTo ? { exportTo } : {}),
      trafficPolicy: { tls: { mode: 'MUTUAL', credentialName: 'client-credential', sni: 'httpbin.org' } },
    });

    test('exported to the waypoint\'s namespace alone (`.` or its name): the waypoint reads the Secret', () => {
      accepted('SIDECAR_CREDENTIAL', [waypoint(), bound(), origination(['.'])]);
      accepted('SIDECAR_CREDENTIAL', [waypoint(), bound(), origination(['istio-egress'])]);
    });

    test('exported further, or by default, the sidecars of other namespaces read it too', () => {
      expect(at('SIDECAR_CREDENTIAL', [waypoint(), bound(), origination(undefined)])).toEqual([[2, 'spec.trafficPolicy.tls.credentialName', 'client-credential']]);
      expect(at('SIDECAR_CREDENTIAL', [waypoint(), bound(), origination(['.', 'shop'])])).toHaveLength(1);
      expect(at('SIDECAR_CREDENTIAL', [waypoint(), bound(), origination(['*'])])).toHaveLength(1);
    });

    test('not bound to the waypoint, or a waypoint of another namespace: not the exception', () => {
      expect(at('SIDECAR_CREDENTIAL', [waypoint(), bound({}), origination(['.'])])).toHaveLength(1);
      // The waypoint of namespace waypoints takes the entry's exported rule, but the rule is not of its namespace.
      const elsewhere = bound({ 'istio.io/use-waypoint': 'waypoint', 'istio.io/use-waypoint-namespace': 'waypoints' });
      expect(at('SIDECAR_CREDENTIAL', [waypoint('waypoints'), elsewhere, origination(['*'])])).toEqual([[2, 'spec.trafficPolicy.tls.credentialName', 'client-credential']]);
      // The waypoint's own rule, in its namespace and exported there alone, is the exception.
      accepted('SIDECAR_CREDENTIAL', [waypoint('waypoints'), elsewhere, origination(['.'], 'waypoints')]);
    });
  });
});
