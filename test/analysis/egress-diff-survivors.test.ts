/**
 * The egress diff (egress-diff.ts): the order of accesses and changes (by host, port, client), the first
 * path kept for a host, port and client, the summary counts, `except` sorted, the policies a denial names,
 * the gateway Service's short name, and the TLS summary hop by hop (gateway, waypoint, sidecar).
 */
import * as fs from 'fs';
import * as path from 'path';
import { accessesOf, diffEgress } from '../../src/analysis/egress-diff';
import { ObjectIndex } from '../../src/analysis/model';
import { parseObjects } from '../../src/cli/input';
import { assertValidIstioObjects } from '../support/crd-validator';

type Manifest = Record<string, any>;

type Ports = Array<[number, string]>;

function serviceEntry(name: string, namespace: string, host: string, exportTo: string[], ports: Ports, labels?: Record<string, string>): Manifest {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'ServiceEntry',
    metadata: { name, namespace, ...(labels ? { labels } : {}) },
    spec: {
      hosts: [host],
      exportTo,
      location: 'MESH_EXTERNAL',
      ports: ports.map(([number, protocol]) => ({ number, name: `${protocol.toLowerCase()}-${number}`, protocol })),
      resolution: 'DNS',
    },
  };
}

function lockdown(namespace: string): Manifest {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'Sidecar',
    metadata: { name: 'lockdown', namespace },
    spec: { egress: [{ hosts: ['./*'] }], outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } },
  };
}

function destinationRule(host: string, tls: Record<string, unknown>): Manifest {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'DestinationRule',
    metadata: { name: host.split('.')[0], namespace: 'shop' },
    spec: { host, trafficPolicy: { tls } },
  };
}

const HOST = 'api.example.com';

/** The host, exported to `exportTo`, through an egress gateway Service in `gatewayNamespace`, its server's TLS mode `serverTls`. */
function throughGateway(gatewayNamespace: string, serverTls: string, exportTo = ['*']): Manifest[] {
  const service = `istio-egressgateway.${gatewayNamespace}.svc.cluster.local`;
  return [
    serviceEntry('api', 'shop', HOST, exportTo, [[443, 'TLS']]),
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'Gateway',
      metadata: { name: 'egress', namespace: gatewayNamespace },
      spec: { selector: { istio: 'egressgateway' }, servers: [{ port: { number: 443, name: 'tls', protocol: 'TLS' }, hosts: [HOST], tls: { mode: serverTls } }] },
    },
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'api', namespace: 'shop' },
      spec: {
        hosts: [HOST],
        gateways: ['mesh', `${gatewayNamespace}/egress`],
        tls: [
          { match: [{ gateways: ['mesh'], port: 443, sniHosts: [HOST] }], route: [{ destination: { host: service, port: { number: 443 } } }] },
          { match: [{ gateways: [`${gatewayNamespace}/egress`], port: 443, sniHosts: [HOST] }], route: [{ destination: { host: HOST, port: { number: 443 } } }] },
        ],
      },
    },
  ];
}

function denyShop(name: string): Manifest {
  return {
    apiVersion: 'security.istio.io/v1',
    kind: 'AuthorizationPolicy',
    metadata: { name, namespace: 'istio-system' },
    spec: { selector: { matchLabels: { istio: 'egressgateway' } }, action: 'DENY', rules: [{ from: [{ source: { namespaces: ['shop'] } }] }] },
  };
}

const waypoint: Manifest = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'Gateway',
  metadata: { name: 'waypoint', namespace: 'apps' },
  spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
};

const accesses = (objects: Manifest[]) => accessesOf(new ObjectIndex(objects));
const diff = (before: Manifest[], after: Manifest[]) => diffEgress(new ObjectIndex(before), new ObjectIndex(after));

describe('order', () => {
  test('accesses are sorted by host, then port (80 before 443), then client, whatever order the objects give them', () => {
    const objects = [
      serviceEntry('zeta', 'shop', 'z.example.com', ['shop'], [[443, 'TLS'], [80, 'HTTP']]),
      serviceEntry('alpha', 'shop', 'a.example.com', ['shop'], [[443, 'TLS']]),
      serviceEntry('a', 'shop', 'm.example.com', ['team-z'], [[443, 'TLS']]),
      serviceEntry('b', 'shop', 'm.example.com', ['shop'], [[443, 'TLS']]),
    ];
    assertValidIstioObjects(objects);
    expect(accesses(objects).map(a => [a.host, a.port, a.client])).toEqual([
      ['a.example.com', 443, 'shop'],
      ['m.example.com', 443, 'shop'],
      ['m.example.com', 443, 'team-z'],
      ['z.example.com', 80, 'shop'],
      ['z.example.com', 443, 'shop'],
    ]);
  });

  test('a later host on a lower port still sorts after an earlier host', () => {
    const objects = [serviceEntry('alpha', 'shop', 'a.example.com', ['shop'], [[443, 'TLS']]), serviceEntry('zeta', 'shop', 'z.example.com', ['shop'], [[80, 'HTTP']])];
    assertValidIstioObjects(objects);
    expect(accesses(objects).map(a => [a.host, a.port])).toEqual([['a.example.com', 443], ['z.example.com', 80]]);
  });

  test('changes are sorted by host even when the host lost comes first; the summary counts gained and lost', () => {
    const before = [serviceEntry('b', 'shop', 'b.example.com', ['shop'], [[443, 'TLS']])];
    const after = [serviceEntry('a', 'shop', 'a.example.com', ['shop'], [[443, 'TLS']])];
    assertValidIstioObjects([...before, ...after]);
    const result = diff(before, after);
    expect(result.accesses.map(a => [a.change, a.host, a.client])).toEqual([['gained', 'a.example.com', 'shop'], ['lost', 'b.example.com', 'shop']]);
    expect(result.summary).toEqual({ gained: 1, lost: 1, changed: 0, widening: 1, lockdowns: 0 });
  });
});

describe('one side', () => {
  test('two ServiceEntries for the same host, port and client: the first path is kept', () => {
    const objects = [serviceEntry('a', 'shop', HOST, ['*'], [[443, 'HTTPS']]), serviceEntry('z', 'team-z', HOST, ['*'], [[443, 'TLS']])];
    assertValidIstioObjects(objects);
    expect(accesses(objects).map(a => [a.client, a.protocol])).toEqual([['*', 'HTTPS']]);
  });

  test('`*` lists the namespaces locked down without the host, sorted', () => {
    const objects = [serviceEntry('api', 'shop', HOST, ['*'], [[443, 'TLS']]), lockdown('team-z'), lockdown('team-a')];
    assertValidIstioObjects(objects);
    expect(accesses(objects).map(a => [a.client, a.except])).toEqual([['*', ['team-a', 'team-z']]]);
  });

  test('a direct path: nothing checks it, no sources, no policies', () => {
    const objects = [serviceEntry('api', 'shop', HOST, ['shop'], [[443, 'TLS']])];
    assertValidIstioObjects(objects);
    expect(accesses(objects)[0].authorization).toEqual({ verdict: 'unchecked', sources: [], policies: [], text: 'no gateway or waypoint policy applies' });
  });

  test('denied by two DENY policies: both named, comma separated', () => {
    const open = throughGateway('istio-system', 'PASSTHROUGH', ['shop', 'istio-system']);
    const objects = [...open, denyShop('deny-a'), denyShop('deny-b')];
    assertValidIstioObjects(objects);
    const shop = diff(open, objects).accesses.find(a => a.client === 'shop');
    expect(shop).toMatchObject({
      change: 'lost',
      after: { reachable: false, blockedBy: 'denied by istio-system/deny-a, istio-system/deny-b', authorization: { policies: ['istio-system/deny-a', 'istio-system/deny-b'] } },
    });
  });

  test('the gateway Service in a namespace whose name starts with svc: only the trailing .svc.<domain> is cut', () => {
    const objects = throughGateway('svc-egress', 'PASSTHROUGH');
    assertValidIstioObjects(objects);
    expect(accesses(objects)[0]).toMatchObject({ path: 'gateway', via: 'istio-egressgateway.svc-egress', gateway: 'svc-egress/egress', reachable: true });
  });
});

describe('TLS hop by hop', () => {
  test('an AUTO_PASSTHROUGH server passes TLS through', () => {
    const objects = throughGateway('istio-system', 'AUTO_PASSTHROUGH');
    assertValidIstioObjects(objects);
    expect(accesses(objects)[0].tls).toMatchObject({ toProxy: 'tls', atProxy: 'passthrough', text: 'TLS to the gateway, passed through' });
  });

  test('Istio mutual TLS to a gateway that terminates it and originates mutual TLS', () => {
    // Istio's mutual TLS origination task, shaped as test/fixtures/docs-shapes/gateway-mtls-origination.yaml.
    const text = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'docs-shapes', 'gateway-mtls-origination.yaml'), 'utf8');
    const objects = parseObjects(text, 'x.yaml').map(o => o.manifest);
    expect(accesses(objects).find(a => a.port === 80)!.tls).toEqual({
      toProxy: 'mutual',
      atProxy: 'terminate',
      origination: 'MUTUAL',
      originatedBy: 'gateway',
      leaves: 'tls',
      text: 'mutual TLS to the gateway, TLS origination MUTUAL at the gateway',
    });
  });

  test('opaque TCP through a waypoint leaves as opaque TCP', () => {
    const objects = [waypoint, serviceEntry('db', 'apps', 'db.example.com', ['.'], [[5432, 'TCP']], { 'istio.io/use-waypoint': 'waypoint' })];
    assertValidIstioObjects(objects);
    expect(accesses(objects)[0].tls).toEqual({
      toProxy: 'mutual', atProxy: null, origination: null, originatedBy: null, leaves: 'opaque', text: 'HBONE (mutual TLS) to the waypoint, leaves as opaque TCP',
    });
  });

  test('mutual TLS origination at the sidecar for a host sent direct', () => {
    const objects = [
      serviceEntry('api', 'shop', HOST, ['shop'], [[80, 'HTTP']]),
      destinationRule(HOST, { mode: 'MUTUAL', credentialName: 'api-client' }),
    ];
    assertValidIstioObjects(objects);
    expect(accesses(objects)[0].tls).toEqual({
      toProxy: null, atProxy: null, origination: 'MUTUAL', originatedBy: 'sidecar', leaves: 'tls', text: 'TLS origination MUTUAL at the sidecar',
    });
  });
});
