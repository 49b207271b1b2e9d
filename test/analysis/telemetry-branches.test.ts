/**
 * Telemetry resources (telemetry.ts; pkg/config/analysis/analyzers/telemetry/providers.go, selector.go,
 * default_selector.go), branch by branch: a selector without matchLabels (selector.go skips it,
 * default_selector.go does not count it as selector-less), Telemetries without a name, and the default of
 * no known gateway pods.
 */
import { deployment, meta } from './objects';
import { ObjectIndex } from '../../src/analysis/model';
import { checkTelemetry } from '../../src/analysis/telemetry';
import { assertValidIstioObjects } from '../support/crd-validator';
import { helpful } from '../support/findings';

const telemetry = (name: string | undefined, ns: string, spec: any) =>
  ({ apiVersion: 'telemetry.istio.io/v1', kind: 'Telemetry', metadata: name === undefined ? { namespace: ns } : meta(name, ns), spec });
const logs = { accessLogging: [{ providers: [{ name: 'envoy' }] }] };
const rows = (objects: any[]) => helpful(checkTelemetry(new ObjectIndex(objects)))
  .map(f => [f.index, f.rule, f.code, f.severity, f.field, f.value, f.message, f.fix]);

describe('selectors without matchLabels', () => {
  test('an empty selector is a selector: not two selector-less Telemetries, and no pod to match', () => {
    const objects = [telemetry('a', 'shop', logs), telemetry('b', 'shop', { selector: {}, ...logs }), deployment('checkout', 'shop', { app: 'checkout' })];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
    // Without the selector, the two are reported.
    expect(rows([telemetry('a', 'shop', logs), telemetry('b', 'shop', logs)]).map(r => r[2])).toEqual(['IST0160', 'IST0160']);
  });

  test('matchLabels that are not a map count as none', () => {
    expect(rows([telemetry('b', 'shop', { selector: { matchLabels: 'app=checkout' }, ...logs }), deployment('checkout', 'shop', { app: 'checkout' })])).toEqual([]);
  });

  test('a selector matching no known pod, with no gateway pods given', () => {
    const objects = [telemetry('b', 'shop', { selector: { matchLabels: { app: 'cart' } }, ...logs }), deployment('checkout', 'shop', { app: 'checkout' })];
    expect(rows(objects)).toEqual([[0, 'IST0101', 'IST0101', 'error', 'spec.selector.matchLabels', { app: 'cart' }, 'Referenced selector not found: "app=cart"',
      'use the labels of the pods whose access logs you want (none of the known pods of namespace shop has them)']]);
    expect(helpful(checkTelemetry(new ObjectIndex(objects), [{ app: 'cart' }]))).toEqual([]);
  });
});

describe('Telemetries without a name', () => {
  test('empty providers: named as empty', () => {
    expect(rows([telemetry(undefined, 'shop', { accessLogging: [{ providers: [] }] })])).toEqual([[0, 'IST0157', 'IST0157', 'warning',
      'spec.accessLogging[0].providers', [], 'The Telemetry  in namespace "shop" with empty providers will be ignored.',
      'name a provider, e.g. providers: [{ name: envoy }] (the default mesh config sets no default access-log provider)']]);
  });

  test('two without selector: the nameless one is listed as empty', () => {
    expect(rows([telemetry(undefined, 'shop', logs), telemetry('b', 'shop', logs)]).map(r => r[6])).toEqual([
      'The Telemetries , b in namespace "shop" have no workload selector, which can lead to undefined behavior.',
      'The Telemetries , b in namespace "shop" have no workload selector, which can lead to undefined behavior.',
    ]);
  });
});
