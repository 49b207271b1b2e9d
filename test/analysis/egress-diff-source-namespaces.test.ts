/**
 * Source namespaces of the gateway's AuthorizationPolicies, matched as Istio matches them: the principal
 * `<trust domain>/ns/<namespace>/sa/<account>` against `.*\/ns\/<value, each * as .*>\/.*`
 * (pilot/pkg/security/authz/model/generator.go, srcNamespaceGenerator, Istio 1.30.3). A `*` anywhere in the
 * value is a wildcard, and it may reach into `/sa`: `*a` matches every namespace.
 */
import { egressGateway, gatewayRoutes, HOST, Manifest } from './egress-diff-fixtures';
import { accessesOf } from '../../src/analysis/egress-diff';
import { ObjectIndex } from '../../src/analysis/model';
import { matchesEveryNamespace, sourceNamespaceMatches } from '../../src/analysis/paths';
import { assertValidIstioObjects } from '../support/crd-validator';

/** Istio's matcher, written out for the test: the regex over a principal of the namespace. */
function istioMatches(value: string, namespace: string, account = 'default'): boolean {
  const quoted = value.split('*').map(p => p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('.*');
  return new RegExp(`^.*/ns/${quoted}/.*$`).test(`spiffe://cluster.local/ns/${namespace}/sa/${account}`);
}

describe('a source namespace value matches a namespace as Istio\'s principal regex does', () => {
  test.each([
    ['shop', 'shop', true],
    ['shop', 'shops', false],
    ['shop', 'sho', false],
    ['sh*p', 'shop', true],
    ['sh*p', 'sheep', true],
    ['sh*p', 'shopx', false],
    ['a*', 'alpha', true],
    ['a*', 'web', false],
    ['*p', 'shop', true],
    ['*p', 'web', false],
    ['*', 'web', true],
    ['**', 'web', true],
    // The `*` reaches past the namespace into `/sa/`: these match every namespace in Istio.
    ['*a', 'web', true],
    ['*sa', 'web', true],
    ['shop/sa', 'shop', true],
    ['shop/sa', 'web', false],
    // A regex character is literal.
    ['sh.p', 'shop', false],
    ['sh.p', 'sh.p', true],
  ])('%s against %s: %s', (value, namespace, expected) => {
    expect(istioMatches(value, namespace)).toBe(expected);
    expect(sourceNamespaceMatches(value, namespace)).toBe(expected);
  });

  test('the account name never changes the answer (it holds no slash)', () => {
    for (const value of ['*a', 'sh*p', '*p', 'shop/sa', '*/*a']) {
      for (const account of ['default', 'a', 'p', 'checkout']) {
        expect(istioMatches(value, 'shop', account)).toBe(sourceNamespaceMatches(value, 'shop'));
      }
    }
  });

  test.each([
    ['*', true],
    ['**', true],
    ['*a', true],
    ['*sa', true],
    ['*/*a', true],
    ['*/sa', true],
    ['a*', false],
    ['*p', false],
    ['sh*p', false],
    ['shop', false],
    ['abcdefghijklmnopqrstuvwxyz0123456789*', false],
  ])('%s names every namespace: %s', (value, expected) => {
    expect(matchesEveryNamespace(value)).toBe(expected);
    if (expected) {
      for (const namespace of ['shop', 'a', 'z9', 'kube-system']) {
        expect(istioMatches(value, namespace)).toBe(true);
      }
    }
  });
});

function serviceEntry(exportTo?: string[]): Manifest {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'ServiceEntry',
    metadata: { name: 'api', namespace: 'shop' },
    spec: { hosts: [HOST], ...(exportTo ? { exportTo } : {}), location: 'MESH_EXTERNAL', ports: [{ number: 443, name: 'tls', protocol: 'TLS' }], resolution: 'DNS' },
  };
}
const gateway = egressGateway();
const routes = gatewayRoutes();
function policy(action: string, namespaces: string[]): Manifest {
  return {
    apiVersion: 'security.istio.io/v1',
    kind: 'AuthorizationPolicy',
    metadata: { name: action.toLowerCase(), namespace: 'istio-system' },
    spec: {
      selector: { matchLabels: { istio: 'egressgateway' } },
      action,
      rules: [{ from: [{ source: { namespaces } }], when: [{ key: 'connection.sni', values: [HOST] }] }],
    },
  };
}
const accessOf = (objects: Manifest[], client: string) => accessesOf(new ObjectIndex(objects)).find(a => a.client === client);

describe('the egress diff\'s authorization at the gateway', () => {
  test('a DENY of namespaces ["*"] denies every namespace (`*`), a DENY of one namespace does not', () => {
    const denyAll = [serviceEntry(), gateway, routes, policy('DENY', ['*'])];
    const denyOne = [serviceEntry(), gateway, routes, policy('DENY', ['team-b'])];
    assertValidIstioObjects([...denyAll, ...denyOne.slice(-1)]);
    expect(accessOf(denyAll, '*')).toMatchObject({ reachable: false, authorization: { verdict: 'denied' } });
    expect(accessOf(denyOne, '*')).toMatchObject({ reachable: true, authorization: { verdict: 'anyone' } });
  });

  test('a DENY of `*a` denies every namespace too (its `*` reaches into `/sa`)', () => {
    const objects = [serviceEntry(['shop', 'istio-system']), gateway, routes, policy('DENY', ['*a'])];
    assertValidIstioObjects(objects);
    expect(accessOf(objects, 'shop')).toMatchObject({ reachable: false, authorization: { verdict: 'denied' } });
    expect(accessOf([serviceEntry(), gateway, routes, policy('DENY', ['*a'])], '*')).toMatchObject({ reachable: false });
  });

  test('an ALLOW of `sh*p` allows namespace shop by namespace; `w*` does not', () => {
    const allowed = [serviceEntry(['shop', 'istio-system']), gateway, routes, policy('ALLOW', ['sh*p'])];
    const other = [serviceEntry(['shop', 'istio-system']), gateway, routes, policy('ALLOW', ['w*'])];
    assertValidIstioObjects([...allowed, ...other.slice(-1)]);
    expect(accessOf(allowed, 'shop')).toMatchObject({ reachable: true, authorization: { verdict: 'allowed', sources: ['namespace shop'] } });
    expect(accessOf(other, 'shop')).toMatchObject({ reachable: false, authorization: { verdict: 'denied' } });
  });
});
