/**
 * The egress diff (egress-diff.ts): the gateway's authorization for a client when two AuthorizationPolicies
 * decide (listed sorted, joined by `, `), DENY rules naming namespaces (Istio's DENY semantics:
 * security/authz/model, any matching rule denies), principals of the form `<td>/ns/<namespace>/sa/<account>`,
 * and the properties a change reports (reachability, protocol, path, via, gateway) with whether they widen or narrow.
 */
import { egressGateway, gatewayRoutes, HOST, Manifest } from './egress-diff-fixtures';
import { diffEgress, accessesOf } from '../../src/analysis/egress-diff';
import { ObjectIndex } from '../../src/analysis/model';
import { assertValidIstioObjects } from '../support/crd-validator';

const A = 'istio-system/a-policy';
const Z = 'istio-system/z-policy';

function serviceEntry(exportTo?: string[], protocol = 'TLS', labels?: Record<string, string>): Manifest {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'ServiceEntry',
    metadata: { name: 'api', namespace: 'shop', ...(labels ? { labels } : {}) },
    spec: { hosts: [HOST], ...(exportTo ? { exportTo } : {}), location: 'MESH_EXTERNAL', ports: [{ number: 443, name: 'tls', protocol }], resolution: 'DNS' },
  };
}
const gateway = egressGateway();
const routes = gatewayRoutes(['*']);
function policy(name: string, rules: unknown[], action = 'ALLOW'): Manifest {
  return {
    apiVersion: 'security.istio.io/v1',
    kind: 'AuthorizationPolicy',
    metadata: { name, namespace: 'istio-system' },
    spec: { selector: { matchLabels: { istio: 'egressgateway' } }, action, rules },
  };
}
const forHost = (from?: unknown[], host = HOST) => ({ ...(from ? { from } : {}), when: [{ key: 'connection.sni', values: [host] }] });
const namespaces = (...names: string[]) => [{ source: { namespaces: names } }];
const principals = (...names: string[]) => [{ source: { principals: names } }];
/** The host exported to shop and the gateway's namespace, sent through the egress gateway, with the policies given. */
const shopOnly = (...policies: Manifest[]) => [serviceEntry(['shop', 'istio-system']), gateway, routes, ...policies];
const accessOf = (objects: Manifest[], client: string) => accessesOf(new ObjectIndex(objects)).find(a => a.client === client);
const diff = (before: Manifest[], after: Manifest[]) => diffEgress(new ObjectIndex(before), new ObjectIndex(after));
const changeOf = (before: Manifest[], after: Manifest[], client: string) => diff(before, after).accesses.find(a => a.client === client)!;

describe('the authorization when two policies decide: sorted, joined by a comma', () => {
  test('a DENY rule naming the namespace among others denies it, with no sources', () => {
    const objects = shopOnly(policy('z-policy', [forHost()]), policy('a-policy', [{ from: namespaces('shop', 'team-b') }], 'DENY'));
    assertValidIstioObjects(objects);
    expect(accessOf(objects, 'shop')).toMatchObject({
      authorization: { verdict: 'denied', sources: [], policies: [A, Z], text: `denied (${A}, ${Z})` },
      reachable: false,
      blockedBy: `denied by ${A}, ${Z}`,
    });
  });

  test('a DENY rule naming one namespace does not deny `*` (every namespace)', () => {
    const objects = [serviceEntry(), gateway, routes, policy('z-policy', [forHost()]), policy('a-policy', [{ from: namespaces('team-b') }], 'DENY')];
    assertValidIstioObjects(objects);
    expect(accessOf(objects, '*')).toMatchObject({
      authorization: { verdict: 'allowed', sources: ['*'], policies: [A, Z], text: `any source (${A}, ${Z})` },
      reachable: true,
      blockedBy: null,
    });
  });

  test('ALLOW policies none of whose rules is for the host: nobody, named by the ALLOW policies', () => {
    const objects = shopOnly(policy('z-policy', [forHost(namespaces('shop'), 'other.example.com')]),
      policy('a-policy', [forHost(namespaces('shop'), 'other.example.com')]));
    assertValidIstioObjects(objects);
    expect(accessOf(objects, 'shop')!.authorization).toEqual({
      verdict: 'denied', sources: [], policies: [A, Z], text: `nobody: no ALLOW rule for the host (${A}, ${Z})`,
    });
  });

  test('a rule without sources beside a rule naming another namespace still lets any source through', () => {
    const objects = shopOnly(policy('z-policy', [forHost(), forHost(namespaces('team-b'))]));
    assertValidIstioObjects(objects);
    expect(accessOf(objects, 'shop')).toMatchObject({
      authorization: { verdict: 'allowed', sources: ['*'], policies: [Z], text: `any source (${Z})` },
      reachable: true,
    });
  });

  test('for `*`, the sources of both policies are listed', () => {
    const objects = [serviceEntry(), gateway, routes, policy('z-policy', [forHost(namespaces('shop'))]),
      policy('a-policy', [forHost(principals('cluster.local/ns/team-b/sa/cart'))])];
    assertValidIstioObjects(objects);
    expect(accessOf(objects, '*')!.authorization).toEqual({
      verdict: 'listed',
      sources: ['cluster.local/ns/team-b/sa/cart', 'namespace shop'],
      policies: [A, Z],
      text: `only cluster.local/ns/team-b/sa/cart, namespace shop (${A}, ${Z})`,
    });
  });

  test('one rule naming the namespace allows it, whatever the other rules name', () => {
    const objects = shopOnly(policy('z-policy', [forHost(namespaces('team-b'))]), policy('a-policy', [forHost(namespaces('shop'))]));
    assertValidIstioObjects(objects);
    expect(accessOf(objects, 'shop')!.authorization).toEqual({
      verdict: 'allowed', sources: ['namespace shop'], policies: [A, Z], text: `namespace shop (${A}, ${Z})`,
    });
  });

  test('service accounts of the namespace, named by two policies', () => {
    const objects = shopOnly(policy('z-policy', [forHost(principals('cluster.local/ns/shop/sa/checkout'))]),
      policy('a-policy', [forHost(principals('cluster.local/ns/team-b/sa/cart'))]));
    assertValidIstioObjects(objects);
    expect(accessOf(objects, 'shop')!.authorization).toEqual({
      verdict: 'service-accounts',
      sources: ['cluster.local/ns/shop/sa/checkout'],
      policies: [A, Z],
      text: `service accounts cluster.local/ns/shop/sa/checkout (${A}, ${Z})`,
    });
  });

  test('no rule of either policy names the namespace: denied', () => {
    const objects = shopOnly(policy('z-policy', [forHost(namespaces('team-b'))]), policy('a-policy', [forHost(namespaces('team-c'))]));
    assertValidIstioObjects(objects);
    expect(accessOf(objects, 'shop')!.authorization).toEqual({
      verdict: 'denied', sources: [], policies: [A, Z], text: `not shop: no ALLOW rule names it (${A}, ${Z})`,
    });
  });
});

describe('principals', () => {
  // Istio's peer identity is `<trust domain>/ns/<namespace>/sa/<account>`; an account name has no `/`, so a principal
  // with more after the account matches no workload of the namespace.
  test('a principal with a path after the service account does not name the namespace\'s accounts', () => {
    const objects = shopOnly(policy('z-policy', [forHost(principals('cluster.local/ns/shop/sa/checkout/extra'))]));
    assertValidIstioObjects(objects);
    expect(accessOf(objects, 'shop')).toMatchObject({
      authorization: { verdict: 'denied', sources: [], text: `not shop: no ALLOW rule names it (${Z})` },
      reachable: false,
    });
  });
});

describe('the changes reported', () => {
  test('an access known on one side only, gained or lost, lists no property changes', () => {
    const mine = [serviceEntry(['shop'], 'HTTPS')];
    const open = [serviceEntry(['*'], 'HTTPS')];
    assertValidIstioObjects([...mine, ...open]);
    expect(diff(mine, open).accesses.map(a => [a.change, a.client, a.changes])).toEqual([['gained', '*', []]]);
    expect(diff(open, mine).accesses.map(a => [a.change, a.client, a.changes])).toEqual([['lost', '*', []]]);
  });

  test('reachability gained and lost: before and after, with why not, widening and narrowing', () => {
    const noRoute = [serviceEntry(['shop', 'istio-system']), gateway, { ...routes, spec: { ...routes.spec, tls: [routes.spec.tls[0]] } }];
    const open = shopOnly();
    assertValidIstioObjects([...noRoute, ...open]);
    const reachable = (before: Manifest[], after: Manifest[]) => changeOf(before, after, 'shop').changes.find(c => c.property === 'reachable');
    expect(reachable(noRoute, open)).toEqual({ property: 'reachable', before: 'no (no route for the host at the gateway)', after: 'yes', widens: true, narrows: false });

    const denied = [...open, policy('z-policy', [{ from: namespaces('shop') }], 'DENY')];
    assertValidIstioObjects(denied);
    expect(reachable(open, denied)).toEqual({ property: 'reachable', before: 'yes', after: `no (denied by ${Z})`, widens: false, narrows: true });
  });

  test('another protocol on the port is reported, neither widening nor narrowing', () => {
    const https = [serviceEntry(['shop'], 'HTTPS')];
    const tls = [serviceEntry(['shop'], 'TLS')];
    assertValidIstioObjects([...https, ...tls]);
    const result = diff(https, tls);
    expect(result.widened).toBe(false);
    expect(result.accesses.map(a => [a.change, a.client, a.widens, a.changes])).toEqual([['changed', 'shop', false, [
      { property: 'protocol', before: 'HTTPS', after: 'TLS', widens: false, narrows: false },
    ]]]);
  });

  test('leaving the gateway widens the path; taking it narrows; via and gateway neither widen nor narrow', () => {
    const direct = [serviceEntry(['shop', 'istio-system']), gateway, { ...routes, spec: { ...routes.spec, gateways: ['istio-system/egress'], tls: [routes.spec.tls[1]] } }];
    const through = shopOnly();
    assertValidIstioObjects([...direct, ...through]);
    const pick = (before: Manifest[], after: Manifest[]) => changeOf(before, after, 'shop').changes.filter(c => ['path', 'via', 'gateway'].includes(c.property));
    expect(pick(through, direct)).toEqual([
      { property: 'path', before: 'gateway', after: 'direct', widens: true, narrows: false },
      { property: 'via', before: 'istio-egressgateway.istio-system', after: '-', widens: false, narrows: false },
      { property: 'gateway', before: 'istio-system/egress', after: '-', widens: false, narrows: false },
    ]);
    expect(pick(direct, through)).toEqual([
      { property: 'path', before: 'direct', after: 'gateway', widens: false, narrows: true },
      { property: 'via', before: '-', after: 'istio-egressgateway.istio-system', widens: false, narrows: false },
      { property: 'gateway', before: '-', after: 'istio-system/egress', widens: false, narrows: false },
    ]);
  });

  test('an egress gateway replaced by a waypoint: the path changes, neither widening nor narrowing', () => {
    const waypoint: Manifest = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'waypoint', namespace: 'shop' },
      spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
    };
    const ambient = [waypoint, serviceEntry(['shop', 'istio-system'], 'TLS', { 'istio.io/use-waypoint': 'waypoint' })];
    const through = shopOnly();
    assertValidIstioObjects([...ambient, ...through]);
    expect(accessOf(ambient, 'shop')).toMatchObject({ path: 'waypoint', reachable: true });
    const path = (before: Manifest[], after: Manifest[]) => changeOf(before, after, 'shop').changes.find(c => c.property === 'path');
    expect(path(through, ambient)).toEqual({ property: 'path', before: 'gateway', after: 'waypoint', widens: false, narrows: false });
    expect(path(ambient, through)).toEqual({ property: 'path', before: 'waypoint', after: 'gateway', widens: false, narrows: false });
  });
});
