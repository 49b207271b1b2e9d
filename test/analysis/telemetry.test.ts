/** IST0157, IST0159, IST0160 and IST0101 (selector) for Telemetry resources. */
import { deployment, found, meta } from './objects';
import { assertValidIstioObjects } from '../support/crd-validator';

const telemetry = (name: string, ns: string, spec: any) => ({ apiVersion: 'telemetry.istio.io/v1', kind: 'Telemetry', metadata: meta(name, ns), spec });
const logs = (name: string, ns: string, selector?: Record<string, string>, providers: any[] = [{ name: 'envoy' }]) =>
  telemetry(name, ns, { ...(selector ? { selector: { matchLabels: selector } } : {}), accessLogging: [{ providers }] });

describe('IST0157 InvalidTelemetryProvider', () => {
  test('access logs with a provider, or disabled ones, are accepted', () => {
    const objects = [logs('a', 'shop'), telemetry('b', 'billing', { accessLogging: [{ disabled: true }] })];
    expect(found('IST0157', objects)).toEqual([]);
    assertValidIstioObjects(objects);
  });

  test('access logs without providers are reported', () => {
    expect(found('IST0157', [logs('a', 'shop', undefined, [])])).toEqual([
      '[0] spec.accessLogging[0].providers: The Telemetry a in namespace "shop" with empty providers will be ignored.',
    ]);
  });
});

describe('Telemetry selectors (IST0160, IST0159, IST0101)', () => {
  test('one Telemetry per namespace and per pod is accepted', () => {
    const objects = [logs('a', 'shop'), logs('b', 'shop', { app: 'checkout' }), logs('c', 'shop', { app: 'cart' }),
      deployment('checkout', 'shop', { app: 'checkout' }), deployment('cart', 'shop', { app: 'cart' })];
    expect(['IST0160', 'IST0159', 'IST0101'].flatMap(code => found(code, objects))).toEqual([]);
  });

  test('two without selector in a namespace are both reported', () => {
    expect(found('IST0160', [logs('a', 'shop'), logs('b', 'shop'), logs('c', 'billing')])).toEqual([
      '[0] spec.selector: The Telemetries a, b in namespace "shop" have no workload selector, which can lead to undefined behavior.',
      '[1] spec.selector: The Telemetries a, b in namespace "shop" have no workload selector, which can lead to undefined behavior.',
    ]);
  });

  test('two selecting the same pod are both reported', () => {
    const objects = [logs('a', 'shop', { app: 'checkout' }), logs('b', 'shop', { tier: 'web' }), deployment('checkout', 'shop', { app: 'checkout', tier: 'web' })];
    expect(found('IST0159', objects)).toEqual([
      '[0] spec.selector.matchLabels: The Telemetries a, b in namespace "shop" select the same workload pod "checkout", which can lead to undefined behavior.',
      '[1] spec.selector.matchLabels: The Telemetries a, b in namespace "shop" select the same workload pod "checkout", which can lead to undefined behavior.',
    ]);
  });

  test('a selector matching none of the known pods of its namespace is reported; the gateway pods the constructs route to count', () => {
    const objects = [logs('gw', 'istio-system', { istio: 'egressgateway' }), deployment('other', 'istio-system', { app: 'other' })];
    expect(found('IST0101', objects)).toEqual(['[0] spec.selector.matchLabels: Referenced selector not found: "istio=egressgateway"']);
    expect(found('IST0101', objects, { gatewayPods: [{ istio: 'egressgateway' }] })).toEqual([]);
    expect(found('IST0101', [objects[0]])).toEqual([]);
  });
});
