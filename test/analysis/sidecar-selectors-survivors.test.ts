/**
 * The Sidecar selector findings in full (rule, code, field, value, order), the names they list, malformed
 * Sidecars, and which Namespace labels put a namespace in ambient mode (istioctl analyze's sidecar/selector.go
 * and IneffectivePolicy: dataplane-mode ambient without injection or revision labels).
 */
import { namespace, pod, sidecar } from './objects';
import { ObjectIndex } from '../../src/analysis/model';
import { checkSidecarSelectors, namespaceInAmbientMode } from '../../src/analysis/sidecar-selectors';
import { assertValidIstioObjects } from '../support/crd-validator';
import { helpful } from '../support/findings';

const check = (objects: any[]) => helpful(checkSidecarSelectors(new ObjectIndex(objects)));
const rows = (objects: any[]) => check(objects).map(f => [f.index, f.rule, f.code, f.severity, f.field, f.value]);
const lockdown = (name: string, ns: string, labels?: Record<string, string>) => sidecar(name, ns, {
  ...(labels ? { workloadSelector: { labels } } : {}), outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' }, egress: [{ hosts: ['istio-system/*'] }],
});
const AMBIENT = { annotations: { 'ambient.istio.io/redirection': 'enabled' } };

describe('the selector findings in full', () => {
  test('IST0101, IST0110 and IST0111 carry their rule and the selector they are about, in input order', () => {
    const objects = [lockdown('b', 'shop'), lockdown('a', 'shop'), lockdown('c', 'shop', { app: 'cart' }),
      lockdown('d', 'billing', { app: 'pay' }), lockdown('e', 'billing', { tier: 'web' }), pod('pay-1', 'billing', { app: 'pay', tier: 'web' }),
      pod('checkout-1', 'shop', { app: 'checkout' })];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([
      [0, 'IST0111', 'IST0111', 'error', 'spec.workloadSelector', undefined],
      [1, 'IST0111', 'IST0111', 'error', 'spec.workloadSelector', undefined],
      [2, 'IST0101', 'IST0101', 'error', 'spec.workloadSelector.labels', { app: 'cart' }],
      [3, 'IST0110', 'IST0110', 'error', 'spec.workloadSelector.labels', { app: 'pay' }],
      [4, 'IST0110', 'IST0110', 'error', 'spec.workloadSelector.labels', { tier: 'web' }],
    ]);
  });

  test('the Sidecars are named in sorted order, whatever their input order', () => {
    const objects = [lockdown('b', 'shop'), lockdown('a', 'shop')];
    expect(check(objects).map(f => f.message)).toEqual([
      'The Sidecars a, b in namespace "shop" have no workload selector, which can lead to undefined behavior.',
      'The Sidecars a, b in namespace "shop" have no workload selector, which can lead to undefined behavior.',
    ]);
  });

  test('malformed Sidecars, without metadata or without spec, count as selectorless and do not crash', () => {
    const nameless = { apiVersion: 'networking.istio.io/v1', kind: 'Sidecar', spec: { egress: [{ hosts: ['./*'] }] } };
    expect(check([nameless, lockdown('b', 'default')]).map(f => [f.index, f.rule, f.message])).toEqual([
      [0, 'IST0111', 'The Sidecars , b in namespace "default" have no workload selector, which can lead to undefined behavior.'],
      [1, 'IST0111', 'The Sidecars , b in namespace "default" have no workload selector, which can lead to undefined behavior.'],
    ]);
    const specless = { apiVersion: 'networking.istio.io/v1', kind: 'Sidecar', metadata: { name: 'a', namespace: 'shop' } };
    expect(rows([specless, lockdown('b', 'shop')]).map(r => [r[0], r[1]])).toEqual([[0, 'IST0111'], [1, 'IST0111']]);
  });
});

describe('IST0167 in full', () => {
  test('a Sidecar selecting several ambient pods is reported once, about its selector', () => {
    const objects = [lockdown('a', 'shop', { app: 'checkout' }), pod('checkout-1', 'shop', { app: 'checkout' }, AMBIENT),
      pod('checkout-2', 'shop', { app: 'checkout' }, AMBIENT)];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([[0, 'IST0167', 'IST0167', 'warning', 'spec.workloadSelector', undefined]]);
  });

  test('a selectorless Sidecar of an ambient namespace is reported with its namespace as the value', () => {
    const objects = [lockdown('a', 'shop'), namespace('shop', { 'istio.io/dataplane-mode': 'ambient' })];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([[0, 'IST0167', 'IST0167', 'warning', 'metadata.namespace', 'shop']]);
  });
});

describe('which namespaces are in ambient mode', () => {
  const ambient = (labels?: Record<string, string>) => {
    const objects = labels ? [namespace('shop', labels)] : [];
    assertValidIstioObjects(objects);
    return namespaceInAmbientMode(new ObjectIndex(objects), 'shop');
  };

  test('labelled ambient and not for injection', () => {
    expect(ambient({ 'istio.io/dataplane-mode': 'ambient' })).toBe(true);
    expect(ambient({ 'istio.io/dataplane-mode': 'ambient', 'istio-injection': 'disabled' })).toBe(true);
    expect(ambient({ 'istio.io/dataplane-mode': 'ambient', 'istio.io/rev': '' })).toBe(true);
  });

  test('not when labelled for sidecar injection, by istio-injection or by a revision', () => {
    expect(ambient({ 'istio.io/dataplane-mode': 'ambient', 'istio-injection': 'enabled' })).toBe(false);
    expect(ambient({ 'istio.io/dataplane-mode': 'ambient', 'istio.io/rev': 'canary' })).toBe(false);
  });

  test('not without the ambient label, nor without a Namespace object', () => {
    expect(ambient({ team: 'shop' })).toBe(false);
    expect(ambient({ 'istio.io/dataplane-mode': 'none' })).toBe(false);
    expect(ambient({})).toBe(false);
    expect(ambient()).toBe(false);
  });

  test('a Sidecar pair of a namespace labelled with a revision clashes instead of having no impact', () => {
    const objects = [lockdown('a', 'shop'), lockdown('b', 'shop'), namespace('shop', { 'istio.io/dataplane-mode': 'ambient', 'istio.io/rev': 'canary' })];
    expect(rows(objects).map(r => r[1])).toEqual(['IST0111', 'IST0111']);
  });
});
