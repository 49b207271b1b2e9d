/** IST0110, IST0111, IST0101 (selector) and IST0167 for Sidecars. */
import { deployment, found, namespace, pod, sidecar } from './objects';
import { assertValidIstioObjects } from '../support/crd-validator';

const lockdown = (name: string, ns: string, labels?: Record<string, string>) => sidecar(name, ns, {
  ...(labels ? { workloadSelector: { labels } } : {}), outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' }, egress: [{ hosts: ['istio-system/*'] }],
});

describe('IST0111 MultipleSidecarsWithoutWorkloadSelectors', () => {
  test('one Sidecar without selector per namespace is accepted', () => {
    const objects = [lockdown('a', 'shop'), lockdown('b', 'billing'), lockdown('c', 'shop', { app: 'checkout' })];
    expect(found('IST0111', objects)).toEqual([]);
    assertValidIstioObjects(objects);
  });

  test('two in one namespace are both reported; an empty label set counts as no selector', () => {
    const empty = sidecar('b', 'shop', { workloadSelector: { labels: {} }, egress: [{ hosts: ['./*'] }] });
    expect(found('IST0111', [lockdown('a', 'shop'), empty])).toEqual([
      '[0] spec.workloadSelector: The Sidecars a, b in namespace "shop" have no workload selector, which can lead to undefined behavior.',
      '[1] spec.workloadSelector: The Sidecars a, b in namespace "shop" have no workload selector, which can lead to undefined behavior.',
    ]);
  });
});

describe('IST0110 ConflictingSidecarWorkloadSelectors and IST0101 selector', () => {
  test('Sidecars selecting different known pods are accepted', () => {
    const objects = [lockdown('a', 'shop', { app: 'checkout' }), lockdown('b', 'shop', { app: 'cart' }),
      deployment('checkout', 'shop', { app: 'checkout' }), deployment('cart', 'shop', { app: 'cart' })];
    expect([...found('IST0110', objects), ...found('IST0101', objects)]).toEqual([]);
  });

  test('two Sidecars selecting the same pod are both reported', () => {
    const objects = [lockdown('a', 'shop', { app: 'checkout' }), lockdown('b', 'shop', { tier: 'web' }), pod('checkout-1', 'shop', { app: 'checkout', tier: 'web' })];
    expect(found('IST0110', objects)).toEqual([
      '[0] spec.workloadSelector.labels: The Sidecars a, b in namespace "shop" select the same workload pod "checkout-1", which can lead to undefined behavior.',
      '[1] spec.workloadSelector.labels: The Sidecars a, b in namespace "shop" select the same workload pod "checkout-1", which can lead to undefined behavior.',
    ]);
  });

  test('a selector matching none of the known pods of its namespace is reported; pods of other namespaces do not count', () => {
    const objects = [lockdown('a', 'shop', { app: 'checkout' }), deployment('cart', 'shop', { app: 'cart' }), deployment('checkout', 'billing', { app: 'checkout' })];
    expect(found('IST0101', objects)).toEqual(['[0] spec.workloadSelector.labels: Referenced selector not found: "app=checkout"']);
  });

  test('where no pod of the namespace is known, nothing is said', () => {
    expect(found('IST0101', [lockdown('a', 'shop', { app: 'checkout' }), deployment('checkout', 'billing', { app: 'checkout' })])).toEqual([]);
  });
});

describe('IST0167 IneffectivePolicy', () => {
  test('a Sidecar of an ambient namespace, or selecting an ambient pod, has no impact', () => {
    expect(found('IST0167', [lockdown('a', 'shop'), lockdown('b', 'shop'), namespace('shop', { 'istio.io/dataplane-mode': 'ambient' })])).toEqual([
      '[0] metadata.namespace: The policy has no impact: namespace is in ambient mode, the policy has no impact.',
      '[1] metadata.namespace: The policy has no impact: namespace is in ambient mode, the policy has no impact.',
    ]);
    const ambientPod = pod('checkout-1', 'shop', { app: 'checkout' }, { annotations: { 'ambient.istio.io/redirection': 'enabled' } });
    expect(found('IST0167', [lockdown('a', 'shop', { app: 'checkout' }), ambientPod])).toEqual([
      '[0] spec.workloadSelector: The policy has no impact: selected workload is in ambient mode, the policy has no impact.',
    ]);
  });

  test('a namespace labelled for sidecar injection is not ambient, and the Sidecars clash instead', () => {
    const objects = [lockdown('a', 'shop'), lockdown('b', 'shop'), namespace('shop', { 'istio.io/dataplane-mode': 'ambient', 'istio-injection': 'enabled' })];
    expect(found('IST0167', objects)).toEqual([]);
    expect(found('IST0111', objects)).toHaveLength(2);
  });
});
