/** IST0145 (Gateways claiming one host and port on the same pods) and IST0109 (mesh VirtualServices for one host), as the analyzers key them. */
import { found, gateway, pod, server, serviceEntry, virtualService } from './objects';
import { lintObjects } from '../../src/analysis';
import { assertValidIstioObjects } from '../support/crd-validator';

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
      '[0] spec.hosts[0]: The VirtualServices team-a/a,team-b/b associated with mesh gateway define the same host api.example.com which can lead to undefined '
      + 'behavior. This can be fixed by merging the conflicting VirtualServices into a single resource.',
      '[1] spec.hosts[0]: The VirtualServices team-a/a,team-b/b associated with mesh gateway define the same host api.example.com which can lead to undefined '
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
      expect.stringContaining('define the same host reviews.team-a.svc.cluster.local'), expect.stringContaining('team-a/a,team-b/b'),
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
