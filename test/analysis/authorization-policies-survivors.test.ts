/**
 * AuthorizationPolicies (authorization-policies.ts; pkg/config/analysis/analyzers/authz/authorizationpolicies.go
 * analyzeNoMatchingWorkloads, analyzeNamespaceNotFound, namespaceMatch): policies bound by targetRef(s) are left
 * alone, which pods and Namespaces count as in the mesh, the fix of a selector finding, when the cluster's
 * Namespaces count as given, `notNamespaces`, the wildcard forms, and malformed policies and Namespaces.
 */
import { namespace, pod, policy } from './objects';
import { checkAuthorizationPolicies } from '../../src/analysis/authorization-policies';
import { ObjectIndex } from '../../src/analysis/model';
import { assertValidIstioObjects } from '../support/crd-validator';
import { helpful } from '../support/findings';

const check = (objects: any[], checked = objects.length) => helpful(checkAuthorizationPolicies(new ObjectIndex(objects, checked)));
const rows = (objects: any[], checked = objects.length) => check(objects, checked).map(f => [f.index, f.code, f.field, f.value]);
/** A namespace-wide policy of `ns`. */
const wide = (ns = 'shop') => policy('allow-all', ns, { action: 'ALLOW', rules: [{}] });
const NO_POD_IN_MESH = [0, 'IST0127', 'spec', undefined];
/** A policy allowing sources of the given namespaces (or, with `key`, all but them). */
const from = (namespaces: unknown[], key = 'namespaces') => policy('allow', 'shop', { action: 'ALLOW', rules: [{ from: [{ source: { [key]: namespaces } }] }] });
/** The policy first, then the cluster's Namespaces. */
const unknown = (p: any, names: string[]) => rows([p, ...names.map(n => namespace(n))], 1);

describe('policies bound by targetRef or targetRefs (IST0127)', () => {
  const outside = pod('checkout', 'shop', { app: 'checkout' });
  const waypoint = { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'waypoint' };

  test('a namespace-wide policy there is reported, as the baseline', () => {
    const objects = [wide(), outside, namespace('shop')];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([NO_POD_IN_MESH]);
  });

  test.each([
    ['targetRefs', { targetRefs: [waypoint] }],
    ['targetRef', { targetRef: waypoint }],
  ])('a policy with %s is not checked against the namespace\'s pods', (_, target) => {
    const objects = [policy('allow-waypoint', 'shop', { ...target, action: 'ALLOW', rules: [{}] }), outside, namespace('shop')];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
  });
});

describe('namespace-wide policies (IST0127)', () => {
  test('one pod of the namespace in the mesh is enough, the others may be outside it', () => {
    const objects = [wide(), pod('legacy', 'shop', { app: 'legacy' }), pod('checkout', 'shop', { app: 'checkout' }, { proxy: true }), namespace('shop')];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
  });

  // authorizationpolicies.go: a policy of the root namespace without selector is mesh-wide, and the analysis stops there.
  test('a policy of the root namespace without selector needs no pod of its own namespace in the mesh', () => {
    const outsideMesh = (ns: string) => [wide(ns), pod('tool', ns, { app: 'tool' }), namespace(ns)];
    assertValidIstioObjects(outsideMesh('istio-system'));
    expect(rows(outsideMesh('istio-system'))).toEqual([]);
    expect(rows(outsideMesh('shop'))).toEqual([NO_POD_IN_MESH]);
  });

  test('a pod with an istio-proxy container is in the mesh, even in a namespace without injection', () => {
    const objects = [wide(), pod('checkout', 'shop', { app: 'checkout' }, { proxy: true }), namespace('shop')];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
  });

  test('a pod redirected to ambient is in the mesh, even in a namespace without injection', () => {
    const ambient = (value: string) => [wide(), pod('checkout', 'shop', { app: 'checkout' }, { annotations: { 'ambient.istio.io/redirection': value } }),
      namespace('shop')];
    assertValidIstioObjects(ambient('enabled'));
    expect(rows(ambient('enabled'))).toEqual([]);
    expect(rows(ambient('disabled'))).toEqual([NO_POD_IN_MESH]);
  });

  test.each([
    ['a revision label', { 'istio.io/rev': 'canary' }],
    ['the ambient data-plane label', { 'istio.io/dataplane-mode': 'ambient' }],
  ])('a plain pod of a Namespace with %s is in the mesh', (_, labels) => {
    const objects = [wide(), pod('checkout', 'shop', { app: 'checkout' }), namespace('shop', labels)];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
  });

  test('other values of the Namespace\'s labels do not put its pods in the mesh', () => {
    const objects = [wide(), pod('checkout', 'shop', { app: 'checkout' }), namespace('shop', { 'istio-injection': 'disabled', 'istio.io/dataplane-mode': 'none' })];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([NO_POD_IN_MESH]);
  });
});

describe('the fix of a selector that matches no pod (IST0127)', () => {
  test('names the labels to select, not the namespace', () => {
    const objects = [policy('egress', 'shop', { selector: { matchLabels: { app: 'cart' } }, action: 'ALLOW', rules: [{}] }),
      pod('checkout', 'shop', { app: 'checkout' }, { proxy: true })];
    assertValidIstioObjects(objects);
    expect(check(objects).map(f => [f.code, f.field, f.value, f.message, f.fix])).toEqual([['IST0127', 'spec.selector.matchLabels', 'app=cart',
      'No matching workloads for this resource with the following labels: app=cart',
      'select the labels of the pods to protect (for an egress gateway: the gateway pods\' labels, e.g. istio: egressgateway, in the gateway\'s namespace)']]);
  });
});

describe('when the cluster\'s Namespaces count as given (IST0101)', () => {
  test('some Namespaces from the files and some from the cluster: the policy is checked against all of them', () => {
    const objects = [from(['shop', 'billing', 'payments']), namespace('shop'), namespace('billing')];
    assertValidIstioObjects(objects);
    expect(rows(objects, 2)).toEqual([[0, 'IST0101', 'spec.rules[0].from[0].source.namespaces[2]', 'payments']]);
  });

  test('no Namespace at all: nothing is said', () => {
    expect(rows([from(['payments'])], 1)).toEqual([]);
  });
});

describe('the sources\' namespaces (IST0101)', () => {
  test('notNamespaces are checked as well', () => {
    const p = from(['shop', 'payments'], 'notNamespaces');
    assertValidIstioObjects([p]);
    expect(unknown(p, ['shop'])).toEqual([[0, 'IST0101', 'spec.rules[0].from[0].source.notNamespaces[1]', 'payments']]);
  });

  test('a name matches case-insensitively, and only the whole name', () => {
    expect(unknown(from(['SHOP', 'shops', 'sho']), ['shop'])).toEqual([
      [0, 'IST0101', 'spec.rules[0].from[0].source.namespaces[1]', 'shops'],
      [0, 'IST0101', 'spec.rules[0].from[0].source.namespaces[2]', 'sho'],
    ]);
  });

  test('a prefix wildcard needs the whole prefix', () => {
    expect(unknown(from(['billing-*', 'bx*']), ['billing-eu'])).toEqual([[0, 'IST0101', 'spec.rules[0].from[0].source.namespaces[1]', 'bx*']]);
  });

  test('an empty name matches no namespace', () => {
    expect(unknown(from(['']), ['shop'])).toEqual([[0, 'IST0101', 'spec.rules[0].from[0].source.namespaces[0]', '']]);
  });
});

describe('malformed policies and Namespaces (IST0101)', () => {
  test('Namespaces without a name, or without metadata, are skipped', () => {
    const nameless = { apiVersion: 'v1', kind: 'Namespace', metadata: { labels: {} } };
    const metaless = { apiVersion: 'v1', kind: 'Namespace' };
    expect(rows([from(['shop', 'payments']), nameless, metaless, namespace('shop')], 1))
      .toEqual([[0, 'IST0101', 'spec.rules[0].from[0].source.namespaces[1]', 'payments']]);
  });

  test('a policy without spec is skipped', () => {
    const specless = { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'deny', namespace: 'shop' } };
    assertValidIstioObjects([specless]);
    expect(unknown(specless, ['shop'])).toEqual([]);
  });

  test('a null source entry and names that are not strings are skipped', () => {
    const p = policy('allow', 'shop', { action: 'ALLOW', rules: [{ from: [null, { source: { namespaces: [5, 'payments'] } }] }] });
    expect(unknown(p, ['shop'])).toEqual([[0, 'IST0101', 'spec.rules[0].from[1].source.namespaces[1]', 'payments']]);
  });
});
