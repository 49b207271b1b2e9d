/**
 * The pods behind a gateway Service and the Gateway server they use (src/analysis/path-lookups.ts: workloadLabels,
 * labelsMatch, ServerIndex, serverTlsMode, hostPart, serverOf), for the inputs the other tests do not tell apart.
 */
import { deployment, gateway, pod, server, service } from './objects';
import { ObjectIndex, label } from '../../src/analysis/model';
import { gatewayServer, gatewayTarget } from '../../src/analysis/path-lookups';
import { assertValidIstioObjects } from '../support/crd-validator';

const GW = 'istio-egressgateway.istio-system.svc.cluster.local';
const HOST = 'api.example.com';

const gatewayService = (selector: Record<string, string>) =>
  service('istio-egressgateway', 'istio-system', { selector, ports: [{ port: 443, name: 'tls' }] });
const egress = (selector: Record<string, string>, name = 'egress') =>
  gateway(name, 'istio-system', { selector, servers: [server(443, [HOST], { protocol: 'TLS', tls: { mode: 'PASSTHROUGH' } })] });
/** The Gateways that configure the pods behind GW, as `namespace/name`, or undefined for none. */
const gatewaysOf = (objects: any[], host = GW) => gatewayTarget(new ObjectIndex(objects), host)?.gateways.map(g => label(g.object));

describe('the pods a gateway Service selects: its own namespace\'s workloads', () => {
  test('a Pod of another namespace with the selected labels is not the gateway\'s: the Service\'s selector stands for the pods', () => {
    const objects = [egress({ istio: 'egressgateway' }), gatewayService({ istio: 'egressgateway' }),
      pod('look-alike', 'team-a', { istio: 'egressgateway', version: 'v2' }, { proxy: true })];
    assertValidIstioObjects(objects);

    expect(gatewayTarget(new ObjectIndex(objects), GW)).toMatchObject({ labels: { istio: 'egressgateway' }, labelsFrom: 'service' });
  });

  test('a Pod without metadata (malformed YAML) has no labels and is passed over', () => {
    const objects = [egress({ istio: 'egressgateway' }), { apiVersion: 'v1', kind: 'Pod' },
      service('egress', 'default', { selector: { istio: 'egressgateway' }, ports: [{ port: 443, name: 'tls' }] })];

    expect(gatewayTarget(new ObjectIndex(objects), 'egress.default.svc.cluster.local')).toMatchObject({
      labels: { istio: 'egressgateway' }, labelsFrom: 'service', gateways: [{ index: 0 }],
    });
  });
});

describe('a Gateway selector against the pods\' labels', () => {
  test('labels of a workload are complete: a selector key the pods do not have means no match', () => {
    const objects = [egress({ istio: 'egressgateway', zone: 'a' }), gatewayService({ istio: 'egressgateway' }),
      deployment('istio-egressgateway', 'istio-system', { istio: 'egressgateway' }, true)];
    assertValidIstioObjects(objects);

    expect(gatewaysOf(objects)).toBeUndefined();
    // The same selector without the extra key matches the workload.
    expect(gatewaysOf([egress({ istio: 'egressgateway' }), ...objects.slice(1)])).toEqual(['istio-system/egress']);
    // A selector none of whose values the workload has does not match either.
    expect(gatewaysOf([egress({ istio: 'other' }), ...objects.slice(1)])).toBeUndefined();
  });

  test('conventional labels are partial: a selector key they lack does not count against the match, if another key agrees', () => {
    // No Service among the objects: the pods are taken to have app=istio-egressgateway, istio=egressgateway.
    const objects = [egress({ istio: 'egressgateway', zone: 'a' })];
    assertValidIstioObjects(objects);

    expect(gatewaysOf(objects)).toEqual(['istio-system/egress']);
  });

  test('partial labels: a selector with no key they have does not match; one whose value conflicts does not either', () => {
    const unknownOnly = [egress({ zone: 'a' })];
    const conflicting = [egress({ istio: 'egressgateway', app: 'other' })];
    assertValidIstioObjects([...unknownOnly, ...conflicting]);

    expect(gatewaysOf(unknownOnly)).toBeUndefined();
    expect(gatewaysOf(conflicting)).toBeUndefined();
    // With the Service's selector as the labels, likewise.
    expect(gatewaysOf([egress({ zone: 'a' }), gatewayService({ istio: 'egressgateway' })])).toBeUndefined();
    expect(gatewaysOf([egress({ istio: 'other', zone: 'a' }), gatewayService({ istio: 'egressgateway', zone: 'a' })])).toBeUndefined();
    expect(gatewaysOf([egress({ istio: 'egressgateway', zone: 'a' }), gatewayService({ istio: 'egressgateway' })])).toEqual(['istio-system/egress']);
  });

  test('partial labels: a selector key named like an Object member (`constructor`, `toString`) is a key they lack, as in Go\'s maps', () => {
    // Istio matches labels with map look-ups (pkg/config/labels Instance.SubsetOf); no key is there unless set.
    const objects = [egress({ istio: 'egressgateway', constructor: 'x' }), egress({ istio: 'egressgateway', toString: 'x' }, 'other')];
    assertValidIstioObjects(objects);

    expect(gatewaysOf(objects)).toEqual(['istio-system/egress', 'istio-system/other']);
    expect(gatewaysOf([objects[0], gatewayService({ istio: 'egressgateway' })])).toEqual(['istio-system/egress']);
  });
});

describe('the Gateway server for a host and port', () => {
  const use = (servers: unknown[], port = 443, host = HOST) =>
    gatewayServer(gatewayTarget(new ObjectIndex([gateway('egress', 'istio-system', { selector: { istio: 'egressgateway' }, servers })]), GW)!, port, host, []);

  test('a server entry that is null (malformed YAML) is no server; the next one is used', () => {
    expect(use([null, server(443, [HOST], { protocol: 'TLS', tls: { mode: 'PASSTHROUGH' } })])).toMatchObject({ field: 'spec.servers[1]', tls: 'PASSTHROUGH' });
  });

  test('a wildcard server on the port that does not cover the host is not a candidate', () => {
    const servers = [server(443, ['*.other.com'], { protocol: 'TLS', tls: { mode: 'PASSTHROUGH' } }), server(443, [HOST], { protocol: 'TLS', tls: { mode: 'PASSTHROUGH' } })];
    assertValidIstioObjects([gateway('egress', 'istio-system', { selector: { istio: 'egressgateway' }, servers })]);

    expect(use(servers)).toMatchObject({ field: 'spec.servers[1]', hosts: [HOST] });
    expect(use([servers[0]])).toBeUndefined();
  });

  test('HTTP servers are plain text, with or without tls (httpsRedirect only); so is a server without a tls block', () => {
    const plain = server(80, [HOST]);
    const redirecting = server(80, [HOST], { tls: { httpsRedirect: true } });
    const tlsWithout = server(443, [HOST], { protocol: 'TLS' });
    assertValidIstioObjects([gateway('egress', 'istio-system', { selector: { istio: 'egressgateway' }, servers: [plain, tlsWithout] }),
      gateway('redirect', 'istio-system', { selector: { istio: 'egressgateway' }, servers: [redirecting] })]);

    expect(use([plain], 80)).toMatchObject({ protocol: 'HTTP', tls: 'none' });
    expect(use([redirecting], 80)).toMatchObject({ protocol: 'HTTP', tls: 'none' });
    // A TLS server without a tls block: the mode is not read from it.
    expect(use([tlsWithout])).toMatchObject({ protocol: 'TLS', tls: 'none' });
  });

  test('hosts with a namespace part: the host is the part after `/`, the namespaces those of the hosts that cover the host', () => {
    const servers = [server(443, ['team-a/api.example.com', 'team-b/other.example.com'], { protocol: 'TLS', tls: { mode: 'PASSTHROUGH' } })];
    assertValidIstioObjects([gateway('egress', 'istio-system', { selector: { istio: 'egressgateway' }, servers })]);
    const found = use(servers)!;

    expect(found.hosts).toEqual([HOST, 'other.example.com']);
    expect([...found.routeNamespaces!]).toEqual(['team-a']);
  });

  test('`./host`: the Gateway\'s own namespace', () => {
    const servers = [server(443, ['./api.example.com'], { protocol: 'TLS', tls: { mode: 'PASSTHROUGH' } })];
    assertValidIstioObjects([gateway('egress', 'istio-system', { selector: { istio: 'egressgateway' }, servers })]);

    expect([...use(servers)!.routeNamespaces!]).toEqual(['istio-system']);
  });
});
