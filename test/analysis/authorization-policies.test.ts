/** IST0127 (a policy applying to no in-mesh pod) and IST0101 namespace (a source namespace that does not exist). */
import { deployment, found, namespace, policy } from './objects';
import { assertValidIstioObjects } from '../support/crd-validator';

const allow = (ns: string, selector?: Record<string, string>, namespaces: string[] = ['shop']) => policy('allow', ns, {
  ...(selector ? { selector: { matchLabels: selector } } : {}), action: 'ALLOW', rules: [{ from: [{ source: { namespaces } }] }],
});
const GATEWAY = { istio: 'egressgateway' };
const gatewayPods = deployment('istio-egressgateway', 'istio-system', GATEWAY, true);

describe('IST0127 NoMatchingWorkloadsFound', () => {
  test('a policy selecting known in-mesh pods is accepted', () => {
    const objects = [allow('istio-system', GATEWAY), gatewayPods];
    expect(found('IST0127', objects)).toEqual([]);
    assertValidIstioObjects(objects);
  });

  test('a gateway allow-list whose selector misses the gateway pods is reported', () => {
    expect(found('IST0127', [allow('istio-system', { istio: 'egress-gateway' }), gatewayPods])).toEqual([
      '[0] spec.selector.matchLabels: No matching workloads for this resource with the following labels: istio=egress-gateway',
    ]);
  });

  test('policies of the root namespace apply to matching pods of every namespace; others only to their own', () => {
    const checkout = deployment('checkout', 'shop', { app: 'checkout' }, true);
    expect(found('IST0127', [allow('istio-system', { app: 'checkout' }), gatewayPods, checkout])).toEqual([]);
    expect(found('IST0127', [allow('billing', { app: 'checkout' }), deployment('invoice', 'billing', { app: 'invoice' }, true), checkout])).toHaveLength(1);
  });

  test('a namespace-wide policy in a namespace without in-mesh pods is reported', () => {
    const outside = deployment('legacy', 'shop', { app: 'legacy' });
    expect(found('IST0127', [allow('shop'), outside, namespace('shop')])).toEqual([
      '[0] spec: No matching workloads for this resource with the following labels: ',
    ]);
    expect(found('IST0127', [allow('shop'), outside, namespace('shop', { 'istio-injection': 'enabled' })])).toEqual([]);
  });

  test('pods that may be injected count: nothing is said where the objects do not show they are outside the mesh', () => {
    // No Namespace object: injection may be on for it.
    expect(found('IST0127', [allow('shop', { app: 'legacy' }), deployment('legacy', 'shop', { app: 'legacy' })])).toEqual([]);
    // No pod of the namespace known at all.
    expect(found('IST0127', [allow('shop', { app: 'checkout' })])).toEqual([]);
    // The gateway pods the constructs route to.
    expect(found('IST0127', [allow('istio-system', GATEWAY), deployment('other', 'istio-system', { app: 'other' }, true)], { gatewayPods: [GATEWAY] })).toEqual([]);
  });
});

describe('IST0101 namespace', () => {
  const cluster = [namespace('shop'), namespace('billing-eu'), namespace('istio-system')];

  test('namespaces that exist, or that a wildcard matches, are accepted', () => {
    expect(found('IST0101', [allow('istio-system', undefined, ['shop', 'billing-*', '*-eu', '*'])], { cluster })).toEqual([]);
  });

  test('a namespace the cluster does not have is reported', () => {
    expect(found('IST0101', [allow('istio-system', undefined, ['shop', 'payments'])], { cluster })).toEqual([
      '[0] spec.rules[0].from[0].source.namespaces[1]: Referenced namespace not found: "payments"',
    ]);
  });

  test('without the cluster\'s Namespaces nothing is said (the files\' own Namespaces are not all of them)', () => {
    expect(found('IST0101', [allow('istio-system', undefined, ['payments']), namespace('shop')])).toEqual([]);
  });
});
