/**
 * The egress diff (egress-diff.ts), branch by branch: each verdict of the gateway's authorization for a
 * client (Istio's AuthorizationPolicy semantics: security/authz/model, ALLOW with no matching rule denies),
 * `*` compared with a namespace it does not cover, sources only removed, blocked on both sides, and
 * a namespace with two REGISTRY_ONLY Sidecars.
 */
import * as fs from 'fs';
import * as path from 'path';
import { egressGateway, gatewayRoutes, HOST, Manifest } from './egress-diff-fixtures';
import { diffEgress, accessesOf } from '../../src/analysis/egress-diff';
import { ObjectIndex } from '../../src/analysis/model';
import { parseObjects } from '../../src/cli/input';
import { assertValidIstioObjects } from '../support/crd-validator';

const POLICY = 'istio-system/egress-allow';

function serviceEntry(exportTo?: string[], protocol = 'TLS', number = 443): Manifest {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'ServiceEntry',
    metadata: { name: 'api', namespace: 'shop' },
    spec: { hosts: [HOST], ...(exportTo ? { exportTo } : {}), location: 'MESH_EXTERNAL', ports: [{ number, name: protocol.toLowerCase(), protocol }], resolution: 'DNS' },
  };
}
const gateway = egressGateway();
const routes = gatewayRoutes(['*']);
function allowPolicy(rules: unknown[]): Manifest {
  return {
    apiVersion: 'security.istio.io/v1',
    kind: 'AuthorizationPolicy',
    metadata: { name: 'egress-allow', namespace: 'istio-system' },
    spec: { selector: { matchLabels: { istio: 'egressgateway' } }, action: 'ALLOW', rules },
  };
}
const forHost = (from?: unknown[], host = HOST) => ({ ...(from ? { from } : {}), when: [{ key: 'connection.sni', values: [host] }] });
const shopOnly = (policy: Manifest) => [serviceEntry(['shop', 'istio-system']), gateway, routes, policy];
const accessOf = (objects: Manifest[], client: string) => accessesOf(new ObjectIndex(objects)).find(a => a.client === client);
const diff = (before: Manifest[], after: Manifest[]) => diffEgress(new ObjectIndex(before), new ObjectIndex(after));

describe('the gateway\'s authorization for a client', () => {
  test('ALLOW policies with no rule for the host: nobody gets through', () => {
    const objects = shopOnly(allowPolicy([forHost([{ source: { namespaces: ['shop'] } }], 'other.example.com')]));
    assertValidIstioObjects(objects);
    expect(accessOf(objects, 'shop')).toMatchObject({
      authorization: { verdict: 'denied', sources: [], policies: [POLICY], text: `nobody: no ALLOW rule for the host (${POLICY})` },
      reachable: false,
      blockedBy: `denied by ${POLICY}`,
    });
  });
  test('a rule without sources, or with principals: *, lets any source through', () => {
    for (const rule of [forHost(), forHost([{ source: { principals: ['*'] } }])]) {
      const objects = shopOnly(allowPolicy([rule]));
      assertValidIstioObjects(objects);
      expect(accessOf(objects, 'shop')).toMatchObject({
        authorization: { verdict: 'allowed', sources: ['*'], policies: [POLICY], text: `any source (${POLICY})` },
        reachable: true,
        blockedBy: null,
      });
    }
  });

  test('for `*` (every namespace), the sources listed, namespaces and principals', () => {
    const objects = [serviceEntry(), gateway, routes, allowPolicy([
      forHost([{ source: { namespaces: ['shop'], principals: ['cluster.local/ns/shop/sa/checkout'] } }]),
      forHost([{ source: { namespaces: ['shop', 'team-b'] } }]),
    ])];
    assertValidIstioObjects(objects);
    expect(accessesOf(new ObjectIndex(objects)).map(a => [a.client, a.authorization, a.reachable])).toEqual([['*', {
      verdict: 'listed',
      sources: ['cluster.local/ns/shop/sa/checkout', 'namespace shop', 'namespace team-b'],
      policies: [POLICY],
      text: `only cluster.local/ns/shop/sa/checkout, namespace shop, namespace team-b (${POLICY})`,
    }, true]]);
  });

  test.each([['shop'], ['sh*'], ['*op']])('a rule naming the namespace as %s allows it', namespace => {
    const objects = shopOnly(allowPolicy([forHost([{ source: { namespaces: [namespace] } }])]));
    assertValidIstioObjects(objects);
    expect(accessOf(objects, 'shop')!.authorization).toEqual({
      verdict: 'allowed', sources: ['namespace shop'], policies: [POLICY], text: `namespace shop (${POLICY})`,
    });
  });

  test('principals of other namespaces, or not of the form .../ns/<namespace>/sa/<account>, do not allow the namespace', () => {
    const objects = shopOnly(allowPolicy([forHost([{ source: { principals: ['checkout', 'cluster.local/ns/team-b/sa/checkout', 'cluster.local/ns/shop'] } }])]));
    assertValidIstioObjects(objects);
    expect(accessOf(objects, 'shop')).toMatchObject({
      authorization: { verdict: 'denied', sources: [], policies: [POLICY], text: `not shop: no ALLOW rule names it (${POLICY})` },
      reachable: false,
    });
    const named = shopOnly(allowPolicy([forHost([{ source: { principals: ['checkout', 'cluster.local/ns/shop/sa/checkout'] } }])]));
    expect(accessOf(named, 'shop')!.authorization).toMatchObject({ verdict: 'service-accounts', sources: ['cluster.local/ns/shop/sa/checkout'] });
  });
});

describe('comparing', () => {
  const accounts = (...names: string[]) => shopOnly(allowPolicy([forHost([{ source: { principals: names.map(n => `cluster.local/ns/shop/sa/${n}`) } }])]));

  test('fewer service accounts narrows; another account instead widens', () => {
    const fewer = diff(accounts('checkout', 'cart'), accounts('checkout'));
    expect(fewer.widened).toBe(false);
    expect(fewer.accesses.find(a => a.client === 'shop')!.changes).toEqual([{
      property: 'authorization',
      before: `service accounts cluster.local/ns/shop/sa/cart, cluster.local/ns/shop/sa/checkout (${POLICY})`,
      after: `service accounts cluster.local/ns/shop/sa/checkout (${POLICY})`,
      widens: false,
      narrows: true,
    }]);
    const other = diff(accounts('checkout'), accounts('cart'));
    expect(other.accesses.find(a => a.client === 'shop')!.changes.map(c => [c.property, c.widens, c.narrows])).toEqual([['authorization', true, false]]);
  });

  test('blocked before and after: no change, whatever else changed', () => {
    const nobody = shopOnly(allowPolicy([forHost([{ source: { namespaces: ['shop'] } }], 'other.example.com')]));
    const notShop = shopOnly(allowPolicy([forHost([{ source: { namespaces: ['team-b'] } }])]));
    expect(accessOf(nobody, 'shop')!.authorization.text).not.toBe(accessOf(notShop, 'shop')!.authorization.text);
    expect(diff(nobody, notShop).accesses.filter(a => a.client === 'shop')).toEqual([]);
    // Reachable after: the same change is reported.
    expect(diff(nobody, accounts('checkout')).accesses.filter(a => a.client === 'shop').map(a => a.change)).toEqual(['gained']);
  });

  test('`*` with a namespace locked down without the host is not that namespace\'s access: it gains the host', () => {
    const lockdown = (name: string): Manifest => ({
      apiVersion: 'networking.istio.io/v1',
      kind: 'Sidecar',
      metadata: { name, namespace: 'team-b' },
      spec: { egress: [{ hosts: ['./*'] }], outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } },
    });
    const open = (extra: Manifest[]) => [serviceEntry(['*'], 'HTTPS'), ...extra];
    const mine = (exportTo: string[]) => [serviceEntry(exportTo, 'HTTPS')];
    expect(accessesOf(new ObjectIndex(open([lockdown('a')]))).map(a => [a.client, a.except])).toEqual([['*', ['team-b']]]);

    const result = diff(open([lockdown('a')]), mine(['team-b']));
    expect(result.accesses.map(a => [a.change, a.client, a.widens, a.before])).toEqual([['lost', '*', false, expect.anything()], ['gained', 'team-b', true, null]]);
    // A namespace `*` covers is compared with its share of it: the same access, no change.
    expect(diff(open([lockdown('a')]), mine(['shop'])).accesses.map(a => [a.change, a.client])).toEqual([['lost', '*']]);

    // Two lockdowns in one namespace: the first names it.
    expect(diff(open([lockdown('a'), lockdown('b')]), mine(['team-b'])).lockdowns).toEqual([
      { namespace: 'team-b', before: 'team-b/a', after: null, widens: true },
    ]);
  });
});

describe('paths and TLS', () => {
  test('a gateway without a server for the host: not reachable, and why', () => {
    const otherServer = { ...gateway, spec: { ...gateway.spec, servers: [{ ...gateway.spec.servers[0], hosts: ['other.example.com'] }] } };
    const objects = [serviceEntry(['shop', 'istio-system']), otherServer, routes];
    assertValidIstioObjects(objects);
    expect(accessOf(objects, 'shop')).toMatchObject({ path: 'gateway', gateway: null, reachable: false, blockedBy: 'no Gateway server for the host and port at the gateway' });
    expect(accessOf([serviceEntry(['shop', 'istio-system']), gateway, routes], 'shop')).toMatchObject({ gateway: 'istio-system/egress', reachable: true, blockedBy: null });
  });

  test('TCP sent direct leaves as opaque TCP', () => {
    const objects = [serviceEntry(['shop'], 'TCP', 5432)];
    assertValidIstioObjects(objects);
    expect(accessOf(objects, 'shop')!.tls).toEqual({ toProxy: null, atProxy: null, origination: null, originatedBy: null, leaves: 'opaque', text: 'opaque TCP' });
  });

  test('plain HTTP through a gateway server without TLS leaves as plain text', () => {
    // Istio's egress gateway task for HTTP, shaped as test/fixtures/docs-shapes/egress-gateway-http.yaml.
    const text = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'docs-shapes', 'egress-gateway-http.yaml'), 'utf8');
    const objects = parseObjects(text, 'x.yaml').map(o => o.manifest);
    expect(accessesOf(new ObjectIndex(objects)).find(a => a.port === 80)).toMatchObject({
      path: 'gateway',
      tls: { toProxy: 'plain', atProxy: null, origination: null, originatedBy: null, leaves: 'plain', text: 'plain text to the gateway, leaves as plain text' },
    });
  });

  test('a waypoint originating TLS (a DestinationRule with client TLS for the host)', () => {
    const waypoint: Manifest = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'waypoint', namespace: 'apps' },
      spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
    };
    const entry: Manifest = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'ServiceEntry',
      metadata: { name: 'ambient', namespace: 'apps', labels: { 'istio.io/use-waypoint': 'waypoint' } },
      spec: { hosts: ['ambient.example.com'], exportTo: ['.'], location: 'MESH_EXTERNAL', ports: [{ number: 80, name: 'http', protocol: 'HTTP', targetPort: 443 }], resolution: 'DNS' },
    };
    const originate: Manifest = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: 'ambient', namespace: 'apps' },
      spec: { host: 'ambient.example.com', trafficPolicy: { tls: { mode: 'SIMPLE' } } },
    };
    assertValidIstioObjects([waypoint, entry, originate]);
    const tlsOf = (objects: Manifest[]) => accessesOf(new ObjectIndex(objects))[0].tls;
    expect(tlsOf([waypoint, entry, originate])).toEqual({
      toProxy: 'mutual', atProxy: null, origination: 'SIMPLE', originatedBy: 'waypoint', leaves: 'tls', text: 'HBONE (mutual TLS) to the waypoint, TLS origination SIMPLE at the waypoint',
    });
    expect(tlsOf([waypoint, entry])).toEqual({
      toProxy: 'mutual', atProxy: null, origination: null, originatedBy: null, leaves: 'plain', text: 'HBONE (mutual TLS) to the waypoint, leaves as plain text',
    });
  });

  // The sidecar originates Istio mutual TLS itself there (pilot cluster_tls.go buildUpstreamClusterTLSContext, ISTIO_MUTUAL).
  test('ISTIO_MUTUAL to an external host sent direct is summarized as TLS the sidecar originates, not the application\'s TLS', () => {
    const entry: Manifest = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'ServiceEntry',
      metadata: { name: 'api', namespace: 'shop' },
      spec: { hosts: ['api.example.com'], exportTo: ['.'], ports: [{ number: 443, name: 'tls', protocol: 'TLS' }], resolution: 'DNS' },
    };
    const rule = (mode: string): Manifest => ({
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: 'api', namespace: 'shop' },
      spec: { host: 'api.example.com', trafficPolicy: { tls: { mode } } },
    });
    assertValidIstioObjects([entry, rule('ISTIO_MUTUAL')]);
    const tlsOf = (objects: Manifest[]) => accessesOf(new ObjectIndex(objects))[0].tls;
    expect(tlsOf([entry, rule('ISTIO_MUTUAL')])).toEqual({
      toProxy: null, atProxy: null, origination: 'ISTIO_MUTUAL', originatedBy: 'sidecar', leaves: 'tls', text: 'TLS origination ISTIO_MUTUAL at the sidecar',
    });
    expect(tlsOf([entry, rule('DISABLE')])).toEqual({ toProxy: null, atProxy: null, origination: null, originatedBy: null, leaves: 'tls', text: 'the application\'s TLS' });
  });
});
