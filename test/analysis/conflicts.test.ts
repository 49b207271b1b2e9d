/** IST0145 (Gateways claiming one host and port on the same pods) and IST0109 (mesh VirtualServices for one host), as the analyzers key them. */
import { NET, found, gateway, pod, server, serviceEntry, virtualService } from './objects';
import { analyze, lintObjects } from '../../src/analysis';
import { assertValidIstioObjects } from '../support/crd-validator';
import { helpful } from '../support/findings';

const EGRESS = { istio: 'egressgateway' };
const gw = (name: string, servers: any[], selector: Record<string, string> = EGRESS) => gateway(name, 'istio-system', { selector, servers });

describe('IST0145 ConflictingGateways', () => {
  test('different hosts, ports or binds on the same pods are accepted', () => {
    const objects = [
      gw('a', [server(443, ['api.example.com'])]),
      gw('b', [server(443, ['other.example.com']), server(8443, ['api.example.com']), server(443, ['api.example.com'], { bind: '10.0.0.1' })]),
    ];
    expect(found('IST0145', objects)).toEqual([]);
    assertValidIstioObjects(objects);
  });

  test('the same host on the same selector and port is reported on both Gateways', () => {
    expect(found('IST0145', [gw('a', [server(443, ['api.example.com'])]), gw('b', [server(443, ['www.example.com', 'api.example.com'])])])).toEqual([
      '[0] spec.servers[0].hosts[0]: Conflict with gateways istio-system/b (workload selector istio=egressgateway, port 443, hosts api.example.com).',
      '[1] spec.servers[0].hosts[1]: Conflict with gateways istio-system/a (workload selector istio=egressgateway, port 443, hosts www.example.com,api.example.com).',
    ]);
  });

  test('a selector that contains the other conflicts only when a known pod carries both', () => {
    const narrow = { app: 'gw', istio: 'egressgateway' };
    const objects = [gw('a', [server(443, ['api.example.com'])]), gw('b', [server(443, ['api.example.com'])], narrow)];
    expect(found('IST0145', objects)).toEqual([]);
    expect(found('IST0145', [...objects, pod('gw-1', 'istio-system', { istio: 'egressgateway' })])).toEqual([]);
    expect(found('IST0145', [...objects, pod('gw-1', 'istio-system', { istio: 'egressgateway', app: 'gw' })])).toEqual([
      '[0] spec.servers[0].hosts[0]: Conflict with gateways istio-system/b (workload selector istio=egressgateway, port 443, hosts api.example.com).',
      '[1] spec.servers[0].hosts[0]: Conflict with gateways istio-system/a (workload selector app=gw,istio=egressgateway, port 443, hosts api.example.com).',
    ]);
    // The egress gateway pods the constructs route to count as known pods.
    expect(found('IST0145', objects, { gatewayPods: [{ istio: 'egressgateway', app: 'gw' }] })).toHaveLength(2);
  });

  test('selectors whose texts do not contain each other do not conflict, as the analyzer compares them', () => {
    const objects = [
      gw('a', [server(443, ['api.example.com'])], { a: '1', c: '3' }),
      gw('b', [server(443, ['api.example.com'])], { a: '1', b: '2', c: '3' }),
      pod('gw-1', 'istio-system', { a: '1', b: '2', c: '3' }),
    ];
    expect(found('IST0145', objects)).toEqual([]);
  });

  test('of a Gateway with several servers on a port, the analyzer records the last one', () => {
    const a = gw('a', [server(443, ['api.example.com']), server(443, ['other.example.com'])]);
    expect(found('IST0145', [a, gw('b', [server(443, ['other.example.com'])])])).toEqual([
      '[0] spec.servers[1].hosts[0]: Conflict with gateways istio-system/b (workload selector istio=egressgateway, port 443, hosts other.example.com).',
      '[1] spec.servers[0].hosts[0]: Conflict with gateways istio-system/a (workload selector istio=egressgateway, port 443, hosts other.example.com).',
    ]);
    // b's host is on a's first server only: a sees the clash, b does not.
    expect(found('IST0145', [a, gw('b', [server(443, ['api.example.com'])])])).toEqual([
      '[0] spec.servers[0].hosts[0]: Conflict with gateways istio-system/b (workload selector istio=egressgateway, port 443, hosts api.example.com).',
    ]);
  });

  test('hosts compare as written: the same wildcard conflicts, a wildcard and a name under it do not', () => {
    expect(found('IST0145', [gw('a', [server(443, ['*'])]), gw('b', [server(443, ['*'])])])).toHaveLength(2);
    expect(found('IST0145', [gw('a', [server(443, ['*.example.com'])]), gw('b', [server(443, ['api.example.com'])])])).toEqual([]);
    expect(found('IST0145', [gw('a', [server(443, ['*/api.example.com'])]), gw('b', [server(443, ['api.example.com'])])])).toEqual([]);
  });

  test('Gateways without selector share the same (empty) selector', () => {
    expect(found('IST0145', [gw('a', [server(80, ['api.example.com'])], {}), gw('b', [server(80, ['api.example.com'])], {})])).toEqual([
      '[0] spec.servers[0].hosts[0]: Conflict with gateways istio-system/b (workload selector , port 80, hosts api.example.com).',
      '[1] spec.servers[0].hosts[0]: Conflict with gateways istio-system/a (workload selector , port 80, hosts api.example.com).',
    ]);
  });
});

const mesh = (name: string, namespace: string, hosts: string[], exportTo?: string[], gateways?: string[]) => virtualService(name, namespace, {
  hosts, ...(exportTo ? { exportTo } : {}), ...(gateways ? { gateways } : {}), http: [{ route: [{ destination: { host: 'egress.example.com' } }] }],
});

describe('IST0109 ConflictingMeshGatewayVirtualServiceHosts', () => {
  test('different hosts, or a host bound only to a gateway, are accepted', () => {
    const objects = [mesh('a', 'team-a', ['api.example.com']), mesh('b', 'team-b', ['www.example.com']), mesh('c', 'team-c', ['api.example.com'], undefined, ['istio-system/gw'])];
    expect(found('IST0109', objects)).toEqual([]);
    assertValidIstioObjects(objects);
  });

  test('two mesh VirtualServices for one host are both reported', () => {
    expect(found('IST0109', [mesh('a', 'team-a', ['api.example.com']), mesh('b', 'team-b', ['api.example.com'], undefined, ['mesh', 'istio-system/gw'])])).toEqual([
      '[0] spec.hosts[0]: The VirtualServices team-a/a,team-b/b associated with mesh gateway define the same host */api.example.com which can lead to undefined '
      + 'behavior. This can be fixed by merging the conflicting VirtualServices into a single resource.',
      '[1] spec.hosts[0]: The VirtualServices team-a/a,team-b/b associated with mesh gateway define the same host */api.example.com which can lead to undefined '
      + 'behavior. This can be fixed by merging the conflicting VirtualServices into a single resource.',
    ]);
  });

  test('exportTo lists that share a namespace conflict; disjoint ones do not', () => {
    // [team-a, shared] and [shared, team-d] overlap in one namespace only.
    expect(found('IST0109', [mesh('a', 'team-a', ['api.example.com'], ['.', 'shared']), mesh('b', 'team-b', ['api.example.com'], ['shared', 'team-d'])]))
      .toHaveLength(2);
    expect(found('IST0109', [mesh('a', 'team-a', ['api.example.com'], ['.']), mesh('b', 'team-b', ['api.example.com'], ['.'])])).toEqual([]);
    expect(found('IST0109', [mesh('a', 'team-a', ['api.example.com'], ['team-c']), mesh('b', 'team-b', ['api.example.com'], ['team-d', 'team-e'])])).toEqual([]);
  });

  test('"." is the VirtualService\'s namespace, and "*" or no exportTo reaches every namespace', () => {
    expect(found('IST0109', [mesh('a', 'team-a', ['api.example.com'], ['.']), mesh('b', 'team-b', ['api.example.com'], ['team-a'])])).toHaveLength(2);
    expect(found('IST0109', [mesh('a', 'team-a', ['api.example.com'], ['*']), mesh('b', 'team-b', ['api.example.com'], ['team-x'])])).toHaveLength(2);
    expect(found('IST0109', [mesh('a', 'team-a', ['api.example.com']), mesh('b', 'team-b', ['api.example.com'], ['.'])])).toHaveLength(2);
  });

  test('short names are Services of the VirtualService\'s namespace', () => {
    expect(found('IST0109', [mesh('a', 'team-a', ['reviews']), mesh('b', 'team-b', ['reviews'])])).toEqual([]);
    expect(found('IST0109', [mesh('a', 'team-a', ['reviews']), mesh('b', 'team-b', ['reviews.team-a.svc.cluster.local'])])).toEqual([
      expect.stringContaining('define the same host */reviews.team-a.svc.cluster.local'), expect.stringContaining('team-a/a,team-b/b'),
    ]);
  });

  test('a VirtualService exported to some namespaces clashes with a wildcard exported everywhere; two exported everywhere compare as written', () => {
    expect(found('IST0109', [mesh('a', 'team-a', ['api.example.com'], ['.']), mesh('b', 'team-b', ['*.example.com'])])).toHaveLength(2);
    expect(found('IST0109', [mesh('a', 'team-a', ['api.example.com']), mesh('b', 'team-b', ['*.example.com'])])).toEqual([]);
  });

  test('a VirtualService is reported once, however many hosts clash', () => {
    expect(found('IST0109', [mesh('a', 'team-a', ['api.example.com', 'www.example.com']), mesh('b', 'team-b', ['api.example.com', 'www.example.com'])]))
      .toHaveLength(2);
  });
});

describe('ServiceEntries with different protocols for one host and port (EGR106)', () => {
  test('is the library\'s own finding: Istio 1.30.3 has no IST0177', () => {
    const a = serviceEntry('a', 'team-a', { hosts: ['api.example.com'], ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }], resolution: 'DNS' });
    const b = serviceEntry('b', 'team-b', { hosts: ['api.example.com'], ports: [{ number: 443, name: 'tls', protocol: 'TLS' }], resolution: 'DNS' });
    const codes = (objects: any[]) => lintObjects(objects).map(f => f.code).filter(c => c === 'EGR106' || c === 'IST0177');
    expect(codes([a, b])).toEqual(['EGR106']);
    expect(lintObjects([a, b]).find(f => f.code === 'EGR106')?.message).toBe(
      'Multiple ServiceEntries (team-a/a, team-b/b) define the same host "api.example.com" and port 443 with conflicting protocols (HTTPS, TLS)');
    expect(codes([a, { ...b, spec: { ...b.spec, ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }] } }])).toEqual([]);
  });
});

/** Every cross-object finding of `rule` (or code), in full: code, severity, object, field, value, message and fix. */
const full = (rule: string, objects: any[], context = {}) => helpful(analyze(objects, context).findings)
  .filter(f => f.rule === rule || f.code === rule)
  .map(f => `${f.code} ${f.severity} [${f.index}] ${f.field}=${JSON.stringify(f.value)}: ${f.message} | ${f.fix}`);

describe('two objects of one kind with one namespace and name (EGR101)', () => {
  const se = (name: string, namespace: string, apiVersion = NET) => ({ ...serviceEntry(name, namespace, { hosts: [`${name}.example.com`], ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }], resolution: 'DNS' }), apiVersion });

  test('the second one is an error, whatever the version of the group', () => {
    expect(full('DUPLICATE_NAME', [se('api', 'team-a'), se('api', 'team-a', 'networking.istio.io/v1beta1')])).toEqual([
      'EGR101 error [1] metadata.name="api": another ServiceEntry has the same namespace and name (team-a/api): applying both keeps only one '
      + '| give one of them another name (for the library\'s constructs: metadata.name on the ExternalHost, or another host name)',
    ]);
    const config = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'team-a' }, data: {} });
    expect(found('DUPLICATE_NAME', [config('c'), config('c')])).toEqual([expect.stringContaining('[1] metadata.name: another ConfigMap')]);
  });

  test('another namespace, another group or another name is another object', () => {
    expect(found('DUPLICATE_NAME', [se('api', 'team-a'), se('api', 'team-b'), se('www', 'team-a')])).toEqual([]);
    // One kind name in two groups (same first letter): two objects.
    const gatewayOf = (apiVersion: string) => ({ apiVersion, kind: 'Gateway', metadata: { name: 'gw', namespace: 'team-a' }, spec: {} });
    expect(found('DUPLICATE_NAME', [gatewayOf(NET), gatewayOf('networking.example.com/v1')])).toEqual([]);
    // Objects without a name, kind or apiVersion are not compared (and do not crash the analysis).
    const { name: _, ...nameless } = se('api', 'team-a').metadata;
    const noName = { ...se('api', 'team-a'), metadata: nameless };
    expect(found('DUPLICATE_NAME', [noName, noName])).toEqual([]);
    const { kind: __, ...noKind } = se('api', 'team-a');
    expect(found('DUPLICATE_NAME', [noKind, noKind])).toEqual([]);
    const { apiVersion: ___, ...noVersion } = se('api', 'team-a');
    expect(found('DUPLICATE_NAME', [noVersion, noVersion])).toEqual([]);
    expect(found('DUPLICATE_NAME', [{ apiVersion: 'v1', kind: 'ConfigMap' }, { apiVersion: 'v1', kind: 'ConfigMap' }])).toEqual([]);
  });

  test('two Gateways with one name do not conflict with each other (IST0145): they are one object', () => {
    const objects = [gw('a', [server(443, ['api.example.com'])]), gw('a', [server(443, ['api.example.com'])])];
    expect(found('IST0145', objects)).toEqual([]);
    expect(found('DUPLICATE_NAME', objects)).toHaveLength(1);
  });
});

describe('IST0145: what it reports, and odd servers', () => {
  test('the finding: code, severity, the first clashing host, every other Gateway sorted, and the fix', () => {
    const objects = [
      gw('z', [server(443, ['api.example.com'])]),
      gw('m', [server(443, ['www.example.com', 'api.example.com'])]),
      gw('b', [server(443, ['api.example.com', 'www.example.com'])]),
    ];
    // b meets z before m: the names are sorted.
    expect(full('IST0145', objects)[2]).toBe('IST0145 error [2] spec.servers[0].hosts[0]="api.example.com": Conflict with gateways '
      + 'istio-system/m,istio-system/z (workload selector istio=egressgateway, port 443, hosts api.example.com,www.example.com). '
      + '| route each host and port through a gateway once (share one route), or use another gateway port');
  });

  test('servers without a port are on port 0; a port number that is not a number counts as none', () => {
    const portless = (name: string) => gateway(name, 'istio-system', { selector: EGRESS, servers: [{ hosts: ['api.example.com'] }] });
    expect(found('IST0145', [portless('a'), portless('b')])).toEqual([
      '[0] spec.servers[0].hosts[0]: Conflict with gateways istio-system/b (workload selector istio=egressgateway, port 0, hosts api.example.com).',
      '[1] spec.servers[0].hosts[0]: Conflict with gateways istio-system/a (workload selector istio=egressgateway, port 0, hosts api.example.com).',
    ]);
    const textPort = gateway('b', 'istio-system', { selector: EGRESS, servers: [{ port: { number: '443', name: 'https', protocol: 'HTTPS' }, hosts: ['api.example.com'] }] });
    expect(found('IST0145', [gw('a', [server(443, ['api.example.com'])]), textPort])).toEqual([]);
  });

  test('different binds do not conflict; hosts and servers that are not strings or objects are skipped', () => {
    expect(found('IST0145', [gw('a', [server(443, ['api.example.com'], { bind: '10.0.0.1' })]), gw('b', [server(443, ['api.example.com'], { bind: '10.0.0.2' })])]))
      .toEqual([]);
    // An empty bind is no bind.
    expect(found('IST0145', [gw('a', [server(443, ['api.example.com'], { bind: '' })]), gw('b', [server(443, ['api.example.com'])])])).toHaveLength(2);
    // Servers that are not objects are skipped, and the fields still name the server by its place in the list.
    const odd = (name: string) => gw(name, [null, 'server', server(443, [7 as any, 'api.example.com'])]);
    expect(found('IST0145', [odd('a'), odd('b')])).toEqual([
      '[0] spec.servers[2].hosts[1]: Conflict with gateways istio-system/b (workload selector istio=egressgateway, port 443, hosts api.example.com).',
      '[1] spec.servers[2].hosts[1]: Conflict with gateways istio-system/a (workload selector istio=egressgateway, port 443, hosts api.example.com).',
    ]);
    expect(found('IST0145', [gateway('a', 'istio-system', undefined), gateway('b', 'istio-system', { servers: 'none' })])).toEqual([]);
  });

  test('a selector containing the other, on a port the other does not use, is no conflict', () => {
    const narrow = { app: 'gw', istio: 'egressgateway' };
    const objects = [gw('a', [server(443, ['api.example.com'])]), gw('b', [server(8443, ['api.example.com'])], narrow),
      pod('gw-1', 'istio-system', { istio: 'egressgateway', app: 'gw' })];
    expect(found('IST0145', objects)).toEqual([]);
  });
});

describe('plain TCP servers sharing a gateway port (EGR104)', () => {
  const tcp = (port: number, hosts: string[], extra: Record<string, unknown> = {}) => server(port, hosts, { protocol: 'TCP', ...extra });

  test('a second TCP server on a port of the same pods is an error, with the host of the first', () => {
    expect(full('GWTCP', [gw('a', [tcp(9000, ['a.example.com', 'b.example.com'])]), gw('b', [tcp(9000, ['c.example.com'])])])).toEqual([
      'EGR104 error [1] spec.servers[0].port.number=9000: port 9000 of the gateway already carries plain TCP for a.example.com,b.example.com (istio-system/a); '
      + 'TCP has no host name to tell them apart, so the gateway would keep only one '
      + '| give each TCP host its own gateway port (gatewayPorts), or turn on mutual TLS to the gateway so that SNI tells them apart',
    ]);
  });

  test('each opaque protocol counts, in any case; selectors compare whatever the order of their labels', () => {
    for (const protocol of ['TCP', 'tcp', 'MONGO', 'MYSQL', 'REDIS']) {
      expect(found('GWTCP', [gw('a', [tcp(9000, ['a.example.com'], { protocol })]), gw('b', [tcp(9000, ['c.example.com'], { protocol })])])).toHaveLength(1);
    }
    expect(found('GWTCP', [gw('a', [tcp(9000, ['a.example.com'])], { app: 'gw', istio: 'egressgateway' }),
      gw('b', [tcp(9000, ['c.example.com'])], { istio: 'egressgateway', app: 'gw' })])).toHaveLength(1);
    // An empty bind is no bind.
    expect(found('GWTCP', [gw('a', [tcp(9000, ['a.example.com'], { bind: '' })]), gw('b', [tcp(9000, ['c.example.com'])])])).toHaveLength(1);
  });

  test('the same hosts, other ports, other selectors, other binds, TLS or non-opaque protocols are accepted', () => {
    const objects = [
      gw('a', [tcp(9000, ['a.example.com']), tcp(9001, ['b.example.com']), tcp(9002, ['d.example.com'], { bind: '10.0.0.1' })]),
      gw('b', [tcp(9000, ['a.example.com']), tcp(9002, ['e.example.com'], { bind: '10.0.0.2' }),
        tcp(9001, ['c.example.com'], { tls: { mode: 'ISTIO_MUTUAL' } }), server(9001, ['f.example.com'], { protocol: 'TLS', tls: { mode: 'PASSTHROUGH' } })]),
      gw('c', [tcp(9001, ['g.example.com'])], { istio: 'other' }),
      gw('d', [server(9003, ['a.example.com'], { protocol: 'HTTPS' }), server(9003, ['b.example.com'], { protocol: 'HTTP' })]),
      gw('e', [{ hosts: ['x.example.com'] }]),
    ];
    expect(found('GWTCP', objects)).toEqual([]);
  });
});

describe('IST0109: what it reports, and scopes with wildcards', () => {
  test('the finding: code, severity, the VirtualServices sorted, and the fix', () => {
    expect(full('IST0109', [mesh('b', 'team-b', ['api.example.com']), mesh('a', 'team-a', ['api.example.com'])])[0]).toBe(
      'IST0109 error [0] spec.hosts[0]="api.example.com": The VirtualServices team-a/a,team-b/b associated with mesh gateway define the same host '
      + '*/api.example.com which can lead to undefined behavior. This can be fixed by merging the conflicting VirtualServices into a single resource. '
      + '| keep one mesh VirtualService per host: route the host once, and set its timeout and retries on the ExternalHost');
  });

  test('a wildcard exported to some namespaces clashes with the names under it exported everywhere', () => {
    expect(found('IST0109', [mesh('a', 'team-a', ['*.example.com'], ['.']), mesh('b', 'team-b', ['api.example.com'])])).toHaveLength(2);
    expect(found('IST0109', [mesh('a', 'team-a', ['*.example.com'], ['.']), mesh('b', 'team-b', ['api.other.com'])])).toEqual([]);
  });

  test('exported to some namespaces: an everywhere wildcard that does not match, or a wildcard of another scope, is no clash', () => {
    expect(found('IST0109', [mesh('a', 'team-a', ['api.example.com'], ['.']), mesh('b', 'team-b', ['*.other.com'])])).toEqual([]);
    expect(found('IST0109', [mesh('a', 'team-a', ['*.example.com'], ['.']), mesh('b', 'team-b', ['api.example.com'], ['team-c'])])).toEqual([]);
  });

  test('the host is named with its scope, as Istio names it: `*/` when exported everywhere, the namespace when not', () => {
    const objects = [mesh('a', 'team-a', ['api.example.com'], ['.']), mesh('b', 'team-b', ['api.example.com'])];
    assertValidIstioObjects(objects);
    expect(found('IST0109', objects)).toEqual([
      expect.stringContaining('The VirtualServices team-a/a,team-b/b associated with mesh gateway define the same host team-a/api.example.com which'),
      expect.stringContaining('define the same host team-a/api.example.com which'),
    ]);
  });

  test('one VirtualService naming a host twice (its short name and its FQDN) conflicts with itself, listed twice, as Istio counts it', () => {
    const twice = mesh('a', 'team-a', ['reviews', 'reviews.team-a.svc.cluster.local']);
    assertValidIstioObjects([twice]);
    expect(found('IST0109', [twice])).toEqual([
      '[0] spec.hosts[0]: The VirtualServices team-a/a,team-a/a associated with mesh gateway define the same host */reviews.team-a.svc.cluster.local '
      + 'which can lead to undefined behavior. This can be fixed by merging the conflicting VirtualServices into a single resource.',
    ]);
    expect(found('IST0109', [mesh('a', 'team-a', ['reviews', 'ratings.team-a.svc.cluster.local'])])).toEqual([]);
  });

  test('findings come in the order of the objects', () => {
    const objects = [mesh('a', 'team-a', ['www.example.com', 'api.example.com']), mesh('b', 'team-b', ['api.example.com']), mesh('c', 'team-c', ['www.example.com'])];
    expect(found('IST0109', objects).map(f => f.slice(0, 3))).toEqual(['[0]', '[1]', '[2]']);
  });

  test('hosts that are not strings are skipped, keeping the index of the others; a VirtualService without spec is nothing', () => {
    expect(found('IST0109', [mesh('a', 'team-a', [7 as any, 'api.example.com']), mesh('b', 'team-b', ['api.example.com'])])).toEqual([
      expect.stringMatching(/^\[0\] spec.hosts\[1\]: /), expect.stringMatching(/^\[1\] spec.hosts\[0\]: /),
    ]);
    expect(found('IST0109', [virtualService('a', 'team-a', undefined), virtualService('b', 'team-b', undefined)])).toEqual([]);
  });
});

describe('ServiceEntries that disagree on a host (EGR106 protocols, EGR105 resolutions)', () => {
  const entry = (name: string, namespace: string, spec: Record<string, unknown>) =>
    serviceEntry(name, namespace, { hosts: ['api.example.com'], ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }], resolution: 'DNS', ...spec });

  test('different resolutions warn, with both; an unset resolution is NONE', () => {
    expect(full('SERESOLUTION', [entry('a', 'team-a', {}), entry('b', 'team-b', { resolution: 'NONE' })])).toEqual([
      'EGR105 warning [1] spec.resolution="NONE": ServiceEntries team-a/a and team-b/b resolve "api.example.com" differently (DNS, NONE) '
      + '| declare the host once, or resolve it the same way',
    ]);
    const { resolution: _, ...unset } = entry('b', 'team-b', {}).spec;
    expect(found('SERESOLUTION', [entry('a', 'team-a', { resolution: 'NONE' }), { ...entry('b', 'team-b', {}), spec: unset }])).toEqual([]);
    expect(found('SERESOLUTION', [entry('a', 'team-a', {}), entry('b', 'team-b', {})])).toEqual([]);
  });

  test('an unset protocol is printed as unset, and the fix names both ways out', () => {
    expect(full('SEPROTOCOL', [entry('a', 'team-a', { ports: [{ number: 443, name: 'p' }] }), entry('b', 'team-b', {})])).toEqual([
      'EGR106 error [1] spec.ports[0].protocol="HTTPS": Multiple ServiceEntries (team-a/a, team-b/b) define the same host "api.example.com" and port 443 '
      + 'with conflicting protocols (unset, HTTPS) | declare the host once, or use the same protocol in both',
    ]);
    expect(found('SEPROTOCOL', [entry('a', 'team-a', {}), entry('b', 'team-b', { ports: [{ number: 443, name: 'p' }] })])).toEqual([
      expect.stringContaining('with conflicting protocols (HTTPS, unset)'),
    ]);
  });

  test('another host or another port is no clash; odd ports and specs are skipped', () => {
    expect(found('SEPROTOCOL', [entry('a', 'team-a', {}), entry('b', 'team-b', { hosts: ['www.example.com'], ports: [{ number: 443, name: 'tls', protocol: 'TLS' }] })]))
      .toEqual([]);
    expect(found('SEPROTOCOL', [entry('a', 'team-a', {}), entry('b', 'team-b', { ports: [{ number: 8443, name: 'tls', protocol: 'TLS' }] })])).toEqual([]);
    expect(found('SEPROTOCOL', [entry('a', 'team-a', { ports: [null, 'p'] }), serviceEntry('b', 'team-b', undefined), entry('c', 'team-c', {})])).toEqual([]);
  });

  test('entries without metadata are compared too, without crashing', () => {
    const { metadata: _, ...a } = entry('a', 'team-a', {});
    const { metadata: __, ...b } = entry('b', 'team-b', { ports: [{ number: 443, name: 'tls', protocol: 'TLS' }], resolution: 'NONE' });
    expect(found('SEPROTOCOL', [a, b])).toEqual([
      expect.stringContaining('define the same host "api.example.com" and port 443 with conflicting protocols (HTTPS, TLS)'),
    ]);
    expect(found('SERESOLUTION', [a, { ...b, spec: { ...b.spec, ports: a.spec.ports } }])).toEqual([
      expect.stringContaining('resolve "api.example.com" differently (DNS, NONE)'),
    ]);
  });

  test('one exported to the other\'s namespace is enough', () => {
    const a = entry('a', 'team-a', { exportTo: ['.'] });
    const b = entry('b', 'team-b', { ports: [{ number: 443, name: 'tls', protocol: 'TLS' }] });
    expect(found('SEPROTOCOL', [a, b])).toHaveLength(1);
    expect(found('SEPROTOCOL', [b, a])).toHaveLength(1);
    expect(found('SEPROTOCOL', [a, { ...b, spec: { ...b.spec, exportTo: ['.'] } }])).toEqual([]);
  });
});
