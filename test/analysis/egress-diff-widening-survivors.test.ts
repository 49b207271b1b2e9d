/**
 * The egress diff (egress-diff.ts), how each property change is judged: TLS hop by hop (what leaves the
 * mesh, mutual TLS to the gateway or waypoint, MUTUAL or SIMPLE origination), the authorization's rank and
 * sources, the namespaces `*` leaves out, and the REGISTRY_ONLY lockdowns added or removed.
 */
import { egressGateway, GATEWAY_SERVICE, gatewayRoutes, HOST, Manifest, tlsServiceEntry } from './egress-diff-fixtures';
import { diffEgress, accessesOf, PropertyChange } from '../../src/analysis/egress-diff';
import { ObjectIndex } from '../../src/analysis/model';
import { assertValidIstioObjects } from '../support/crd-validator';

const POLICY = 'istio-system/egress-allow';

const serviceEntry = tlsServiceEntry;
const gateway = egressGateway;
const routes = gatewayRoutes(['.', 'istio-system']);
/** ISTIO_MUTUAL from the sidecar to the egress gateway. */
const mutualToGateway: Manifest = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'DestinationRule',
  metadata: { name: 'egressgateway', namespace: 'shop' },
  spec: { host: GATEWAY_SERVICE, exportTo: ['.'], trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL', sni: HOST } } },
};
function allowPolicy(rules: unknown[], name = 'egress-allow'): Manifest {
  return {
    apiVersion: 'security.istio.io/v1',
    kind: 'AuthorizationPolicy',
    metadata: { name, namespace: 'istio-system' },
    spec: { selector: { matchLabels: { istio: 'egressgateway' } }, action: 'ALLOW', rules },
  };
}
const forHost = (from?: unknown[]) => ({ ...(from ? { from } : {}), when: [{ key: 'connection.sni', values: [HOST] }] });
const accounts = (...names: string[]) => [{ source: { principals: names.map(n => `cluster.local/ns/shop/sa/${n}`) } }];
const viaGateway = (...extra: Manifest[]) => [serviceEntry(), gateway(), routes, ...extra];
const direct = (...extra: Manifest[]) => [serviceEntry(['shop']), ...extra];

const PLAIN_HOST = 'plain.example.com';
const plainEntry = serviceEntry(['shop'], PLAIN_HOST, 'HTTP', 80);
function originate(mode: string): Manifest {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'DestinationRule',
    metadata: { name: 'plain', namespace: 'shop' },
    spec: { host: PLAIN_HOST, trafficPolicy: { tls: { mode, ...(mode === 'MUTUAL' ? { credentialName: 'plain-client' } : {}) } } },
  };
}

function lockdown(namespace: string, name = 'lockdown'): Manifest {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'Sidecar',
    metadata: { name, namespace },
    spec: { egress: [{ hosts: ['./*'] }], outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } },
  };
}
const OPEN_HOST = 'open.example.com';
const open = (...extra: Manifest[]) => [serviceEntry(['*'], OPEN_HOST, 'HTTPS'), ...extra];

const diff = (before: Manifest[], after: Manifest[]) => {
  assertValidIstioObjects([...before, ...after]);
  return diffEgress(new ObjectIndex(before), new ObjectIndex(after));
};
/** The change of one property for `shop` (or `client`), as [before, after, widens, narrows]. */
function changeOf(before: Manifest[], after: Manifest[], property: PropertyChange['property'], client = 'shop') {
  const access = diff(before, after).accesses.find(a => a.client === client);
  const change = access?.changes.find(c => c.property === property);
  return change && [change.before, change.after, change.widens, change.narrows];
}

describe('TLS', () => {
  test('the fixtures: ISTIO_MUTUAL to the gateway is mutual TLS to it, passed through', () => {
    expect(accessesOf(new ObjectIndex(viaGateway(mutualToGateway))).find(a => a.client === 'shop')!.tls).toMatchObject({
      toProxy: 'mutual', atProxy: 'passthrough', origination: null, leaves: 'tls', text: 'mutual TLS to the gateway, passed through',
    });
  });

  test('mutual TLS to the gateway dropped (TLS still leaves the mesh) widens; added, it narrows', () => {
    expect(changeOf(viaGateway(mutualToGateway), viaGateway(), 'tls')).toEqual([
      'mutual TLS to the gateway, passed through', 'TLS to the gateway, passed through', true, false,
    ]);
    expect(changeOf(viaGateway(), viaGateway(mutualToGateway), 'tls')).toEqual([
      'TLS to the gateway, passed through', 'mutual TLS to the gateway, passed through', false, true,
    ]);
  });

  test('from direct to the gateway and back, with the same TLS leaving the mesh: the TLS change neither widens nor narrows', () => {
    expect(changeOf(direct(), viaGateway(), 'tls')).toEqual(['the application\'s TLS', 'TLS to the gateway, passed through', false, false]);
    expect(changeOf(viaGateway(), direct(), 'tls')).toEqual(['TLS to the gateway, passed through', 'the application\'s TLS', false, false]);
  });

  test('mutual TLS to the gateway on both sides, only the gateway server changing: neither widens nor narrows', () => {
    const terminating = [serviceEntry(), gateway({ mode: 'ISTIO_MUTUAL' }), routes, mutualToGateway];
    expect(changeOf(viaGateway(mutualToGateway), terminating, 'tls')).toEqual([
      'mutual TLS to the gateway, passed through', 'mutual TLS to the gateway, leaves as TLS', false, false,
    ]);
  });

  test('TLS origination added at the sidecar narrows; dropped, it widens', () => {
    expect(changeOf([plainEntry], [plainEntry, originate('SIMPLE')], 'tls')).toEqual(['plain text', 'TLS origination SIMPLE at the sidecar', false, true]);
    expect(changeOf([plainEntry, originate('SIMPLE')], [plainEntry], 'tls')).toEqual(['TLS origination SIMPLE at the sidecar', 'plain text', true, false]);
  });

  test('SIMPLE origination becoming MUTUAL narrows; MUTUAL becoming SIMPLE widens', () => {
    expect(changeOf([plainEntry, originate('SIMPLE')], [plainEntry, originate('MUTUAL')], 'tls')).toEqual([
      'TLS origination SIMPLE at the sidecar', 'TLS origination MUTUAL at the sidecar', false, true,
    ]);
    expect(changeOf([plainEntry, originate('MUTUAL')], [plainEntry, originate('SIMPLE')], 'tls')).toEqual([
      'TLS origination MUTUAL at the sidecar', 'TLS origination SIMPLE at the sidecar', true, false,
    ]);
  });

  test('SIMPLE or MUTUAL origination becoming ISTIO_MUTUAL, and back: TLS leaves either way, neither widens nor narrows', () => {
    for (const mode of ['SIMPLE', 'MUTUAL']) {
      expect(changeOf([plainEntry, originate(mode)], [plainEntry, originate('ISTIO_MUTUAL')], 'tls')).toEqual([
        `TLS origination ${mode} at the sidecar`, 'TLS origination ISTIO_MUTUAL at the sidecar', false, false,
      ]);
      expect(changeOf([plainEntry, originate('ISTIO_MUTUAL')], [plainEntry, originate(mode)], 'tls')).toEqual([
        'TLS origination ISTIO_MUTUAL at the sidecar', `TLS origination ${mode} at the sidecar`, false, false,
      ]);
    }
  });

  test('binding a host to a waypoint (HBONE to it, the same TLS leaving the mesh): the TLS change does not narrow', () => {
    const waypoint: Manifest = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'waypoint', namespace: 'shop' },
      spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
    };
    const entry = (bound: boolean): Manifest => {
      const e = serviceEntry(['.']);
      return bound ? { ...e, metadata: { ...e.metadata, labels: { 'istio.io/use-waypoint': 'waypoint' } } } : e;
    };
    expect(changeOf([waypoint, entry(false)], [waypoint, entry(true)], 'tls')).toEqual([
      'the application\'s TLS', 'HBONE (mutual TLS) to the waypoint, leaves as TLS', false, false,
    ]);
  });
});

describe('authorization', () => {
  const gated = (...policies: Manifest[]) => viaGateway(...policies);

  test('a lower rank with a source the other side lacked still only narrows', () => {
    // any source (allowed, rank 2) -> one service account (rank 1), whose source was not listed before.
    expect(changeOf(gated(allowPolicy([forHost()])), gated(allowPolicy([forHost(accounts('checkout'))])), 'authorization')).toEqual([
      `any source (${POLICY})`, `service accounts cluster.local/ns/shop/sa/checkout (${POLICY})`, false, true,
    ]);
  });

  test('a higher rank that drops the sources listed before widens and does not narrow', () => {
    // service accounts (rank 1) -> no ALLOW policy (anyone, rank 3, no sources).
    expect(changeOf(gated(allowPolicy([forHost(accounts('checkout', 'cart'))])), gated(), 'authorization')).toEqual([
      `service accounts cluster.local/ns/shop/sa/cart, cluster.local/ns/shop/sa/checkout (${POLICY})`, 'anyone (no ALLOW policy)', true, false,
    ]);
  });

  test('a lower rank with no sources on either side narrows', () => {
    // no ALLOW policy (anyone, rank 3) -> the namespace allowed (rank 2).
    expect(changeOf(gated(), gated(allowPolicy([forHost([{ source: { namespaces: ['shop'] } }])])), 'authorization')).toEqual([
      'anyone (no ALLOW policy)', `namespace shop (${POLICY})`, false, true,
    ]);
  });

  test('the same verdict and sources from another policy: neither widens nor narrows', () => {
    const shop = [forHost([{ source: { namespaces: ['shop'] } }])];
    expect(changeOf(gated(allowPolicy(shop)), gated(allowPolicy(shop, 'egress-shop')), 'authorization')).toEqual([
      `namespace shop (${POLICY})`, 'namespace shop (istio-system/egress-shop)', false, false,
    ]);
  });
});

describe('the namespaces `*` leaves out', () => {
  test('one more namespace left out narrows only; one fewer widens only; both listed with ", "', () => {
    expect(changeOf(open(lockdown('team-b')), open(lockdown('team-b'), lockdown('team-c')), 'except', '*')).toEqual([
      'team-b', 'team-b, team-c', false, true,
    ]);
    expect(changeOf(open(lockdown('team-b'), lockdown('team-c')), open(lockdown('team-b')), 'except', '*')).toEqual([
      'team-b, team-c', 'team-b', true, false,
    ]);
    expect(changeOf(open(lockdown('team-b')), open(), 'except', '*')).toEqual(['team-b', '-', true, false]);
  });
});

describe('lockdowns', () => {
  test('a Sidecar that does not lock its namespace down (ALLOW_ANY) is no lockdown change', () => {
    const allowAny: Manifest = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'Sidecar',
      metadata: { name: 'default', namespace: 'team-b' },
      spec: { egress: [{ hosts: ['./*', 'istio-system/*'] }], outboundTrafficPolicy: { mode: 'ALLOW_ANY' } },
    };
    expect(diff(open(), open(allowAny)).lockdowns).toEqual([]);
    expect(diff(open(allowAny), open()).lockdowns).toEqual([]);
  });

  test('a namespace locked down on both sides is not listed; the changes are sorted by namespace', () => {
    const result = diff(open(lockdown('zeta'), lockdown('middle')), open(lockdown('middle', 'other'), lockdown('alpha')));
    expect(result.lockdowns).toEqual([
      { namespace: 'alpha', before: null, after: 'alpha/lockdown', widens: false },
      { namespace: 'zeta', before: 'zeta/lockdown', after: null, widens: true },
    ]);
  });
});
