/**
 * AuthorizationPolicies (authorization-policies.ts; pkg/config/analysis/analyzers/authz/authorizationpolicies.go
 * analyzeNoMatchingWorkloads, analyzeNamespaceNotFound; util/in_mesh.go inMesh), branch by branch: which pods
 * count as in the mesh (the sidecar.istio.io/inject label or annotation decides, then the namespace's labels;
 * the library also counts istio.io/rev and ambient pods, where Istio's analyzer would warn), a selector
 * without matchLabels, and rules whose sources are not records.
 */
import { namespace, pod, policy } from './objects';
import { checkAuthorizationPolicies } from '../../src/analysis/authorization-policies';
import { ObjectIndex } from '../../src/analysis/model';
import { assertValidIstioObjects } from '../support/crd-validator';
import { helpful } from '../support/findings';

const rows = (objects: any[], checked = objects.length) => helpful(checkAuthorizationPolicies(new ObjectIndex(objects, checked)))
  .map(f => [f.index, f.rule, f.code, f.severity, f.field, f.value, f.message, f.fix]);
/** A namespace-wide policy of `shop`. */
const wide = policy('allow-all', 'shop', { action: 'ALLOW', rules: [{}] });
const NO_POD_IN_MESH = [0, 'IST0127', 'IST0127', 'warning', 'spec', undefined, 'No matching workloads for this resource with the following labels: ',
  'the namespace has no pod in the mesh: put the policy where the pods it protects run'];

describe('pods in the mesh (IST0127)', () => {
  test.each([
    ['the inject label true', { 'sidecar.istio.io/inject': 'true' }, {}],
    ['the inject annotation true', {}, { 'sidecar.istio.io/inject': 'true' }],
    ['a revision label', { 'istio.io/rev': 'canary' }, {}],
    ['the ambient data-plane label', { 'istio.io/dataplane-mode': 'ambient' }, {}],
  ])('a pod with %s is in the mesh, even in a namespace without injection', (_, labels, annotations) => {
    const objects = [wide, pod('checkout', 'shop', { app: 'checkout', ...labels }, { annotations }), namespace('shop')];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
  });

  test.each([
    ['the inject label false', { 'sidecar.istio.io/inject': 'false' }, {}, { 'istio-injection': 'enabled' }],
    ['the inject annotation false', {}, { 'sidecar.istio.io/inject': 'false' }, { 'istio-injection': 'enabled' }],
    ['no label, in a namespace without injection', {}, {}, { team: 'a' }],
  ])('a pod with %s is not: a namespace-wide policy protects nothing', (_, labels, annotations, nsLabels) => {
    const objects = [wide, pod('checkout', 'shop', { app: 'checkout', ...labels }, { annotations }), namespace('shop', nsLabels)];
    expect(rows(objects)).toEqual([NO_POD_IN_MESH]);
  });

  test('the inject label decides before the annotation', () => {
    const objects = [wide, pod('checkout', 'shop', { 'sidecar.istio.io/inject': 'false' }, { annotations: { 'sidecar.istio.io/inject': 'true' } })];
    expect(rows(objects)).toEqual([NO_POD_IN_MESH]);
  });

  test('a Namespace object without labels: not injected', () => {
    const bare = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } };
    expect(rows([wide, pod('checkout', 'shop', { app: 'checkout' }), bare])).toEqual([NO_POD_IN_MESH]);
    expect(rows([wide, pod('checkout', 'shop', { app: 'checkout' })])).toEqual([]);
  });
});

describe('a selector without matchLabels (IST0127)', () => {
  test('selects every pod: a pod in the mesh is enough', () => {
    const selecting = policy('allow-all', 'shop', { selector: {}, action: 'ALLOW', rules: [{}] });
    expect(rows([selecting, pod('checkout', 'shop', { app: 'checkout' }, { proxy: true })])).toEqual([]);
    expect(rows([selecting, pod('checkout', 'shop', { 'sidecar.istio.io/inject': 'false' })])).toEqual([[0, 'IST0127', 'IST0127', 'warning',
      'spec.selector.matchLabels', undefined, 'No matching workloads for this resource with the following labels: ',
      'the namespace has no pod in the mesh: put the policy where the pods it protects run']]);
  });
});

describe('namespaces of the sources (IST0101)', () => {
  test('rules and sources that are not records are skipped; the next ones are still checked', () => {
    const p = policy('allow', 'shop', {
      action: 'ALLOW',
      rules: ['not a rule', { from: ['not a source', { source: 'shop' }, {}, { source: { namespaces: ['shpo'] } }] }],
    });
    expect(rows([p, namespace('shop')], 1)).toEqual([[0, 'IST0101', 'IST0101', 'error', 'spec.rules[1].from[3].source.namespaces[0]', 'shpo',
      'Referenced namespace not found: "shpo"', 'name a namespace that exists (the cluster\'s namespaces were given), or create it']]);
  });
});

describe('the default of no gateway pods', () => {
  test('a selector matching no pod among the objects is reported; gateway pods given make it match', () => {
    const gatewayPolicy = policy('egress', 'shop', { selector: { matchLabels: { istio: 'egressgateway' } }, action: 'ALLOW', rules: [{}] });
    const objects = [gatewayPolicy, pod('checkout', 'shop', { app: 'checkout' }, { proxy: true })];
    expect(rows(objects).map(r => [r[2], r[4], r[5]])).toEqual([['IST0127', 'spec.selector.matchLabels', 'istio=egressgateway']]);
    expect(checkAuthorizationPolicies(new ObjectIndex(objects), [{ istio: 'egressgateway' }])).toEqual([]);
  });
});
