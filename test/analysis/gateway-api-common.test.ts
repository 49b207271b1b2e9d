/**
 * What the Gateway API analyzers share (gateway-api-common.ts): parentRefs with Istio's defaults
 * (a Gateway of gateway.networking.k8s.io in the route's namespace), look-ups by namespace/name, and
 * label selectors as Kubernetes reads them (metav1.LabelSelectorAsSelector), which Istio 1.30 runs over
 * the namespaces a listener admits (conversion.go namespacesFromSelector).
 */
import { found, namespace } from './objects';
import { ByName, Route, nameOf, parentRefsOf, selectorMatches } from '../../src/analysis/gateway-api-common';
import { assertValidIstioObjects } from '../support/crd-validator';

const GW = 'gateway.networking.k8s.io/v1';

const routeOf = (spec: unknown, ns = 'apps'): Route => ({
  index: 3, kind: 'HTTPRoute', namespace: ns, object: { apiVersion: GW, kind: 'HTTPRoute', metadata: { name: 'r', namespace: ns }, spec } as any,
});

describe('parentRefsOf: Istio\'s defaults', () => {
  test('group, kind and namespace default to a Gateway of the route\'s namespace; set values are kept', () => {
    expect(parentRefsOf(routeOf({ parentRefs: [{ name: 'gw' }, { group: 'networking.istio.io', kind: 'ServiceEntry', name: 'api', namespace: 'egress', sectionName: 'x', port: 443 }] })))
      .toEqual([
        { field: 'spec.parentRefs[0]', group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'gw', namespace: 'apps', sectionName: undefined, port: undefined },
        { field: 'spec.parentRefs[1]', group: 'networking.istio.io', kind: 'ServiceEntry', name: 'api', namespace: 'egress', sectionName: 'x', port: 443 },
      ]);
  });

  test('entries without a name, or that are no objects, are left out; the fields keep their indices', () => {
    expect(parentRefsOf(routeOf({ parentRefs: [null, { kind: 'Gateway' }, { name: 7 }, { name: 'gw', port: '80', sectionName: 1 }] })).map(r => [r.field, r.port, r.sectionName]))
      .toEqual([['spec.parentRefs[3]', undefined, undefined]]);
    expect(parentRefsOf(routeOf(undefined))).toEqual([]);
    expect(parentRefsOf(routeOf({ parentRefs: 'gw' }))).toEqual([]);
  });
});

describe('ByName', () => {
  const obj = (name: unknown, ns?: string, tag?: string) => ({
    index: 0, object: { metadata: { name, ...(ns ? { namespace: ns } : {}) }, tag } as any,
  });

  test('objects by namespace/name (no namespace: default); the first of two with one name wins', () => {
    const first = obj('gw', 'egress', 'first');
    const byName = new ByName([first, obj('gw', 'egress', 'second'), obj('plain')]);
    expect(byName.get('egress', 'gw')).toBe(first);
    expect(byName.get('default', 'plain')?.object.metadata?.name).toBe('plain');
    expect(byName.get('egress', 'plain')).toBeUndefined();
    expect([byName.knows('egress'), byName.knows('default'), byName.knows('apps')]).toEqual([true, true, false]);
  });

  test('objects without a string name are not known, nor make their namespace known', () => {
    const byName = new ByName([obj(42, 'apps'), { index: 1, object: { metadata: 'x' } as any }, { index: 2, object: {} as any }]);
    expect([byName.knows('apps'), byName.knows('default')]).toEqual([false, false]);
    expect(nameOf({ metadata: { name: 42 } } as any)).toBeUndefined();
    expect(nameOf({ metadata: null } as any)).toBeUndefined();
    expect(nameOf({ metadata: { name: 'a' } } as any)).toBe('a');
  });
});

describe('selectorMatches: a Kubernetes label selector', () => {
  const labels = { team: 'shop', tier: 'web' };

  test('no selector, or an empty one, selects everything (Istio admits every namespace for a missing selector)', () => {
    expect(selectorMatches(undefined, labels)).toBe(true);
    expect(selectorMatches('team=shop', labels)).toBe(true);
    expect(selectorMatches({}, {})).toBe(true);
    expect(selectorMatches({ matchLabels: 'team=shop', matchExpressions: 'x' }, {})).toBe(true);
  });

  test('matchLabels: every label with its value', () => {
    expect(selectorMatches({ matchLabels: { team: 'shop' } }, labels)).toBe(true);
    expect(selectorMatches({ matchLabels: { team: 'shop', tier: 'db' } }, labels)).toBe(false);
    expect(selectorMatches({ matchLabels: { env: 'prod' } }, labels)).toBe(false);
  });

  test.each([
    ['In', { key: 'team', operator: 'In', values: ['shop', 'pay'] }, { key: 'team', operator: 'In', values: ['pay'] }],
    ['In (label missing)', { key: 'team', operator: 'In', values: ['shop'] }, { key: 'env', operator: 'In', values: ['shop'] }],
    ['NotIn', { key: 'team', operator: 'NotIn', values: ['pay'] }, { key: 'team', operator: 'NotIn', values: ['shop'] }],
    ['NotIn (label missing)', { key: 'env', operator: 'NotIn', values: ['prod'] }, { key: 'tier', operator: 'NotIn', values: ['web'] }],
    ['Exists', { key: 'tier', operator: 'Exists' }, { key: 'env', operator: 'Exists' }],
    ['DoesNotExist', { key: 'env', operator: 'DoesNotExist' }, { key: 'tier', operator: 'DoesNotExist' }],
  ])('matchExpressions %s', (_, matching, notMatching) => {
    expect(selectorMatches({ matchExpressions: [matching] }, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [notMatching] }, labels)).toBe(false);
    // Every expression and every label must hold.
    expect(selectorMatches({ matchLabels: { team: 'shop' }, matchExpressions: [matching, notMatching] }, labels)).toBe(false);
    expect(selectorMatches({ matchLabels: { team: 'pay' }, matchExpressions: [matching] }, labels)).toBe(false);
  });

  test('expressions that are no objects, without a key, or with an operator it does not know are not held against the labels', () => {
    expect(selectorMatches({ matchExpressions: [null, { operator: 'Exists' }, { key: 3, operator: 'Exists' }, { key: 'env', operator: 'Gt', values: ['1'] }] }, labels)).toBe(true);
  });
});

describe('a listener admitting namespaces by selector (GAPI_NOT_ALLOWED)', () => {
  const gatewayWith = (selector: unknown) => ({
    apiVersion: GW,
    kind: 'Gateway',
    metadata: { name: 'egress', namespace: 'egress' },
    spec: { gatewayClassName: 'istio', listeners: [{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Selector', selector } } }] },
  });
  const httpRoute = { apiVersion: GW, kind: 'HTTPRoute', metadata: { name: 'api', namespace: 'shop' }, spec: { parentRefs: [{ name: 'egress', namespace: 'egress' }] } };
  const shop = namespace('shop', { team: 'shop' });

  test('a route of a namespace the expressions select attaches', () => {
    for (const selector of [
      { matchExpressions: [{ key: 'team', operator: 'In', values: ['shop', 'pay'] }] },
      { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['pay'] }] },
      { matchExpressions: [{ key: 'team', operator: 'Exists' }, { key: 'env', operator: 'DoesNotExist' }] },
    ]) {
      const objects = [gatewayWith(selector), httpRoute, shop];
      expect(found('GAPI_NOT_ALLOWED', objects)).toEqual([]);
      assertValidIstioObjects(objects);
    }
  });

  test('a route of a namespace the expressions do not select is not attached', () => {
    const objects = [gatewayWith({ matchExpressions: [{ key: 'team', operator: 'NotIn', values: ['shop'] }] }), httpRoute, shop];
    expect(found('GAPI_NOT_ALLOWED', objects)).toEqual([
      '[1] spec.parentRefs[0]: namespace "shop" is not allowed by Gateway egress/egress (allowedRoutes.namespaces): Istio does not attach the route',
    ]);
    expect(found('GAPI_NOT_ALLOWED', [gatewayWith({ matchExpressions: [{ key: 'env', operator: 'Exists' }] }), httpRoute, shop])).toHaveLength(1);
    expect(found('GAPI_NOT_ALLOWED', [gatewayWith({ matchExpressions: [{ key: 'team', operator: 'DoesNotExist' }] }), httpRoute, shop])).toHaveLength(1);
    assertValidIstioObjects(objects);
  });
});
