/**
 * The egress diff over small hand-written manifests: one external host reached from the namespace
 * `shop` through the egress gateway (TLS passed through by SNI), changed one way at a time.
 */
import * as fs from 'fs';
import * as path from 'path';
import { egressGateway, gatewayRoutes, HOST, Manifest, tlsServiceEntry } from './egress-diff-fixtures';
import { diffEgress, accessesOf } from '../../src/analysis/egress-diff';
import { ObjectIndex } from '../../src/analysis/model';
import { parseObjects } from '../../src/cli/input';

const serviceEntry = tlsServiceEntry;

const gateway = egressGateway();

const routes = gatewayRoutes(['.', 'istio-system']);

function allowPolicy(from: Manifest[]): Manifest {
  return {
    apiVersion: 'security.istio.io/v1',
    kind: 'AuthorizationPolicy',
    metadata: { name: 'egress-allow', namespace: 'istio-system' },
    spec: { selector: { matchLabels: { istio: 'egressgateway' } }, action: 'ALLOW', rules: [{ from, when: [{ key: 'connection.sni', values: [HOST] }] }] },
  };
}

const principals = (...accounts: string[]) => [{ source: { principals: accounts.map(a => `cluster.local/ns/shop/sa/${a}`) } }];

function lockdown(namespace: string, imports: string[]): Manifest {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'Sidecar',
    metadata: { name: 'lockdown', namespace },
    spec: { egress: [{ hosts: imports }], outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } },
  };
}

const base = [serviceEntry(), gateway, routes, allowPolicy(principals('checkout'))];
const diff = (before: Manifest[], after: Manifest[]) => diffEgress(new ObjectIndex(before), new ObjectIndex(after));
const replace = (objects: Manifest[], from: Manifest, to?: Manifest) => objects.flatMap(o => (o === from ? (to ? [to] : []) : [o]));

describe('accesses', () => {
  test('each client namespace of the host, with the path, TLS and authorization for it', () => {
    const shop = accessesOf(new ObjectIndex(base)).find(a => a.client === 'shop');

    expect(shop).toEqual({
      client: 'shop',
      except: [],
      host: HOST,
      port: 443,
      protocol: 'TLS',
      path: 'gateway',
      via: 'istio-egressgateway.istio-system',
      gateway: 'istio-system/egress',
      tls: { toProxy: 'tls', atProxy: 'passthrough', origination: null, originatedBy: null, leaves: 'tls', text: 'TLS to the gateway, passed through' },
      authorization: {
        verdict: 'service-accounts',
        sources: ['cluster.local/ns/shop/sa/checkout'],
        policies: ['istio-system/egress-allow'],
        text: 'service accounts cluster.local/ns/shop/sa/checkout (istio-system/egress-allow)',
      },
      reachable: true,
      blockedBy: null,
    });
    expect(accessesOf(new ObjectIndex(base)).map(a => a.client)).toEqual(['istio-system', 'shop']);
  });
});

describe('diffEgress', () => {
  test('the same objects: no change, not widened', () => {
    expect(diff(base, base)).toEqual({
      widened: false, accesses: [], lockdowns: [], summary: { gained: 0, lost: 0, changed: 0, widening: 0, lockdowns: 0 },
    });
  });

  test('exporting the host to one more namespace: that namespace gains it, which widens; its gateway policy decides per namespace', () => {
    const after = replace(base, base[0], serviceEntry(['shop', 'istio-system', 'team-b']));
    const result = diff(base, after);

    expect(result.widened).toBe(false);
    // team-b is not allowed by the gateway's policy (only shop's checkout account is): blocked, so not reachable, no change.
    expect(result.accesses).toEqual([]);
    const open = diff(replace(base, base[3]), replace(after, base[3]));
    expect(open.accesses.map(a => [a.change, a.client, a.widens])).toEqual([['gained', 'team-b', true]]);
    expect(open.widened).toBe(true);
  });

  test('dropping the mesh route: the path leaves the gateway (direct), which widens', () => {
    const sidecarOnly = { ...routes, spec: { ...routes.spec, gateways: ['istio-system/egress'], tls: [routes.spec.tls[1]] } };
    const result = diff(base, replace(base, routes, sidecarOnly));
    const shop = result.accesses.find(a => a.client === 'shop')!;

    expect(result.widened).toBe(true);
    expect(shop.change).toBe('changed');
    expect(shop.changes.map(c => [c.property, c.before, c.after, c.widens])).toEqual([
      ['path', 'gateway', 'direct', true],
      ['via', 'istio-egressgateway.istio-system', '-', false],
      ['gateway', 'istio-system/egress', '-', false],
      ['tls', 'TLS to the gateway, passed through', 'the application\'s TLS', false],
      ['authorization', 'service accounts cluster.local/ns/shop/sa/checkout (istio-system/egress-allow)', 'no gateway or waypoint policy applies', true],
    ]);
  });

  test('authorization: one more service account widens, removing the policy widens, allowing another namespace only narrows shop', () => {
    const more = diff(base, replace(base, base[3], allowPolicy(principals('checkout', 'cart'))));
    expect(more.widened).toBe(true);
    expect(more.accesses.find(a => a.client === 'shop')!.changes).toEqual([{
      property: 'authorization',
      before: 'service accounts cluster.local/ns/shop/sa/checkout (istio-system/egress-allow)',
      after: 'service accounts cluster.local/ns/shop/sa/cart, cluster.local/ns/shop/sa/checkout (istio-system/egress-allow)',
      widens: true,
      narrows: false,
    }]);

    expect(diff(base, replace(base, base[3])).accesses.find(a => a.client === 'shop')).toMatchObject({ change: 'changed', widens: true });

    const other = diff(base, replace(base, base[3], allowPolicy([{ source: { namespaces: ['team-b'] } }])));
    expect(other.widened).toBe(false);
    expect(other.accesses.map(a => [a.change, a.client, a.widens])).toEqual([['lost', 'shop', false]]);
    expect(other.accesses[0].after).toMatchObject({ reachable: false, blockedBy: 'denied by istio-system/egress-allow' });
  });

  test('TLS: dropping TLS origination at the sidecar leaves plain text, which widens', () => {
    const http = [serviceEntry(['shop'], 'plain.example.com', 'HTTP', 80)];
    const originate: Manifest = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: 'plain', namespace: 'shop' },
      spec: { host: 'plain.example.com', trafficPolicy: { portLevelSettings: [{ port: { number: 80 }, tls: { mode: 'SIMPLE' } }] } },
    };
    const result = diff([...http, originate], http);

    expect(result.widened).toBe(true);
    expect(result.accesses[0].changes).toEqual([
      { property: 'tls', before: 'TLS origination SIMPLE at the sidecar', after: 'plain text', widens: true, narrows: false },
    ]);
    expect(diff(http, [...http, originate]).widened).toBe(false);
  });

  test('exportTo * narrowed to one namespace: all namespaces lose the host, the namespace kept has no change', () => {
    const open = [serviceEntry(['*'], 'open.example.com', 'HTTPS')];
    const result = diff(open, [serviceEntry(['shop'], 'open.example.com', 'HTTPS')]);

    expect(result.widened).toBe(false);
    expect(result.accesses.map(a => [a.change, a.client, a.widens])).toEqual([['lost', '*', false]]);
    const back = diff([serviceEntry(['shop'], 'open.example.com', 'HTTPS')], open);
    expect(back.accesses.map(a => [a.change, a.client, a.widens])).toEqual([['gained', '*', true]]);
  });

  test('lockdowns: a namespace locked down without the host narrows `*`; removing a lockdown widens', () => {
    const open = [serviceEntry(['*'], 'open.example.com', 'HTTPS')];
    const locked = [...open, lockdown('team-b', ['./*'])];
    const result = diff(open, locked);

    expect(result.widened).toBe(false);
    expect(result.accesses).toEqual([expect.objectContaining({
      change: 'changed',
      client: '*',
      widens: false,
      changes: [{ property: 'except', before: '-', after: 'team-b', widens: false, narrows: true }],
    })]);
    expect(result.lockdowns).toEqual([{ namespace: 'team-b', before: null, after: 'team-b/lockdown', widens: false }]);

    const unlocked = diff(locked, open);
    expect(unlocked.widened).toBe(true);
    expect(unlocked.lockdowns).toEqual([{ namespace: 'team-b', before: 'team-b/lockdown', after: null, widens: true }]);
    expect(unlocked.summary).toEqual({ gained: 0, lost: 0, changed: 1, widening: 2, lockdowns: 1 });
  });

  test('a gateway without a route for the host is not reachable: adding the route gains it', () => {
    const noRoute = replace(base, routes, { ...routes, spec: { ...routes.spec, tls: [routes.spec.tls[0]] } });
    const open = (objects: Manifest[]) => replace(objects, base[3]);
    const result = diff(open(noRoute), open(base));

    expect(result.accesses.find(a => a.client === 'shop')).toMatchObject({
      change: 'gained',
      widens: true,
      before: { reachable: false, blockedBy: 'no route for the host at the gateway' },
      after: { reachable: true },
    });
  });

  test('ambient: a host bound to a waypoint goes through it (HBONE); unbinding it sends the traffic direct, which widens', () => {
    const waypoint: Manifest = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'waypoint', namespace: 'apps' },
      spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
    };
    const entry = (bound: boolean): Manifest => ({
      apiVersion: 'networking.istio.io/v1',
      kind: 'ServiceEntry',
      metadata: { name: 'ambient', namespace: 'apps', ...(bound ? { labels: { 'istio.io/use-waypoint': 'waypoint' } } : {}) },
      spec: { hosts: ['ambient.example.com'], exportTo: ['.'], location: 'MESH_EXTERNAL', ports: [{ number: 443, name: 'tls', protocol: 'TLS' }], resolution: 'DNS' },
    });
    const [bound] = accessesOf(new ObjectIndex([waypoint, entry(true)]));
    expect(bound).toMatchObject({
      client: 'apps',
      path: 'waypoint',
      via: 'apps/waypoint',
      gateway: null,
      reachable: true,
      tls: { toProxy: 'mutual', leaves: 'tls', text: 'HBONE (mutual TLS) to the waypoint, leaves as TLS' },
      authorization: { verdict: 'anyone' },
    });

    const result = diff([waypoint, entry(true)], [waypoint, entry(false)]);
    expect(result.widened).toBe(true);
    expect(result.accesses[0].changes.map(c => [c.property, c.before, c.after, c.widens])).toEqual([
      ['path', 'waypoint', 'direct', true],
      ['via', 'apps/waypoint', '-', false],
      ['tls', 'HBONE (mutual TLS) to the waypoint, leaves as TLS', 'the application\'s TLS', false],
      ['authorization', 'anyone (no ALLOW policy)', 'no gateway or waypoint policy applies', false],
    ]);
    expect(diff([waypoint, entry(false)], [waypoint, entry(true)])).toMatchObject({ widened: false, accesses: [{ change: 'changed', widens: false }] });
  });

  test('a DENY rule naming the namespace at the gateway: lost, not widened; removing it regains the host, which widens', () => {
    const open = replace(base, base[3]);
    const deny: Manifest = {
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name: 'egress-deny', namespace: 'istio-system' },
      spec: { selector: { matchLabels: { istio: 'egressgateway' } }, action: 'DENY', rules: [{ from: [{ source: { namespaces: ['shop'] } }] }] },
    };
    const denied = diff(open, [...open, deny]);

    expect(denied.widened).toBe(false);
    expect(denied.accesses.map(a => [a.change, a.client])).toEqual([['lost', 'shop']]);
    expect(denied.accesses[0].after).toMatchObject({ reachable: false, blockedBy: 'denied by istio-system/egress-deny', authorization: { verdict: 'denied' } });
    expect(diff([...open, deny], open).accesses.map(a => [a.change, a.client, a.widens])).toEqual([['gained', 'shop', true]]);
  });

  test('mutual TLS origination at the gateway becoming simple TLS origination is weaker TLS, which widens', () => {
    // Istio's mutual TLS origination task, shaped as test/fixtures/docs-shapes/gateway-mtls-origination.yaml.
    const text = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'docs-shapes', 'gateway-mtls-origination.yaml'), 'utf8');
    const read = (t: string) => parseObjects(t, 'x.yaml').map(o => o.manifest);
    const simple = text.replace(/mode: MUTUAL\n/, 'mode: SIMPLE\n');
    expect(simple).not.toBe(text);

    const result = diff(read(text), read(simple));
    expect(result.widened).toBe(true);
    expect(result.accesses).toEqual([expect.objectContaining({
      change: 'changed',
      client: '*',
      host: 'partner.mesh-external.svc.cluster.local',
      port: 80,
      changes: [{
        property: 'tls',
        before: 'mutual TLS to the gateway, TLS origination MUTUAL at the gateway',
        after: 'mutual TLS to the gateway, TLS origination SIMPLE at the gateway',
        widens: true,
        narrows: false,
      }],
    })]);
    expect(diff(read(simple), read(text)).widened).toBe(false);
  });
});
