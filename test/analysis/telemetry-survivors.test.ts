/**
 * Telemetry resources (telemetry.ts; pkg/config/analysis/analyzers/telemetry/providers.go, selector.go,
 * default_selector.go), the cases the other tests leave open: IST0159 and IST0160 in full, their names sorted,
 * findings in the order of the objects, a null selector (the API server prunes it: no selector), a selector where no
 * pods are known, Telemetries without spec or metadata, and the default of no gateway pods given.
 */
import { deployment, meta } from './objects';
import { ObjectIndex } from '../../src/analysis/model';
import { checkTelemetry } from '../../src/analysis/telemetry';
import { assertValidIstioObjects } from '../support/crd-validator';
import { helpful } from '../support/findings';

const TELEMETRY = 'telemetry.istio.io/v1';
const telemetry = (name: string, ns: string, spec: any) => ({ apiVersion: TELEMETRY, kind: 'Telemetry', metadata: meta(name, ns), spec });
const logs = { accessLogging: [{ providers: [{ name: 'envoy' }] }] };
const selecting = (labels: Record<string, string>) => ({ selector: { matchLabels: labels }, ...logs });
const rows = (objects: any[]) => helpful(checkTelemetry(new ObjectIndex(objects)))
  .map(f => [f.index, f.rule, f.code, f.severity, f.field, f.value, f.message, f.fix]);

describe('IST0159 and IST0160 in full', () => {
  test('two selecting the same pod', () => {
    const objects = [telemetry('b', 'shop', selecting({ app: 'checkout' })), telemetry('a', 'shop', selecting({ tier: 'web' })),
      deployment('checkout', 'shop', { app: 'checkout', tier: 'web' })];
    assertValidIstioObjects(objects);
    const message = 'The Telemetries a, b in namespace "shop" select the same workload pod "checkout", which can lead to undefined behavior.';
    const fix = 'give each workload one Telemetry: make the selectors select different pods, or merge the Telemetries';
    expect(rows(objects)).toEqual([
      [0, 'IST0159', 'IST0159', 'error', 'spec.selector.matchLabels', { app: 'checkout' }, message, fix],
      [1, 'IST0159', 'IST0159', 'error', 'spec.selector.matchLabels', { tier: 'web' }, message, fix],
    ]);
  });

  test('two without selector: named in sorted order', () => {
    const objects = [telemetry('b', 'shop', logs), telemetry('a', 'shop', logs)];
    assertValidIstioObjects(objects);
    const message = 'The Telemetries a, b in namespace "shop" have no workload selector, which can lead to undefined behavior.';
    const fix = 'keep one Telemetry without selector per namespace: merge them, or give the others a selector';
    expect(rows(objects)).toEqual([
      [0, 'IST0160', 'IST0160', 'error', 'spec.selector', undefined, message, fix],
      [1, 'IST0160', 'IST0160', 'error', 'spec.selector', undefined, message, fix],
    ]);
  });

  test('a null selector is no selector (the API server prunes it)', () => {
    const objects = [telemetry('a', 'shop', { selector: null, ...logs }), telemetry('b', 'shop', logs)];
    assertValidIstioObjects(objects);
    expect(rows(objects).map(r => [r[0], r[2]])).toEqual([[0, 'IST0160'], [1, 'IST0160']]);
  });
});

describe('findings in the order of the objects', () => {
  test('a selector finding of the first Telemetry comes before a provider finding of the second', () => {
    const objects = [telemetry('a', 'shop', selecting({ app: 'cart' })), telemetry('b', 'shop', { accessLogging: [{ providers: [] }] }),
      deployment('checkout', 'shop', { app: 'checkout' })];
    assertValidIstioObjects(objects);
    expect(rows(objects).map(r => [r[0], r[2]])).toEqual([[0, 'IST0101'], [1, 'IST0157']]);
  });
});

describe('selectors where nothing is known', () => {
  test('no known pods in the namespace: nothing is said', () => {
    const objects = [telemetry('a', 'shop', selecting({ app: 'cart' })), deployment('cart', 'other', { app: 'cart' })];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
  });

  test('with no gateway pods given, a selector matching no known pod is reported (even one keyed "0")', () => {
    const objects = [telemetry('a', 'shop', selecting({ 0: 'S' })), deployment('checkout', 'shop', { app: 'checkout' })];
    assertValidIstioObjects(objects);
    expect(rows(objects).map(r => [r[0], r[2], r[6]])).toEqual([[0, 'IST0101', 'Referenced selector not found: "0=S"']]);
  });
});

describe('Telemetries without spec or metadata', () => {
  test('without spec: neither access logs nor a selector, one of two selector-less Telemetries', () => {
    const objects = [{ apiVersion: TELEMETRY, kind: 'Telemetry', metadata: meta('a', 'shop') }, telemetry('b', 'shop', logs)];
    assertValidIstioObjects(objects);
    expect(rows(objects).map(r => [r[0], r[2], r[6]])).toEqual([
      [0, 'IST0160', 'The Telemetries a, b in namespace "shop" have no workload selector, which can lead to undefined behavior.'],
      [1, 'IST0160', 'The Telemetries a, b in namespace "shop" have no workload selector, which can lead to undefined behavior.'],
    ]);
  });

  test('without metadata (malformed): named as empty, in namespace default', () => {
    const bare = (spec: any) => ({ apiVersion: TELEMETRY, kind: 'Telemetry', spec });
    expect(rows([bare({ accessLogging: [{ providers: [] }] })]).map(r => [r[2], r[6]])).toEqual([
      ['IST0157', 'The Telemetry  in namespace "default" with empty providers will be ignored.'],
    ]);
    expect(rows([bare(logs), bare(logs)]).map(r => [r[2], r[6]])).toEqual([
      ['IST0160', 'The Telemetries ,  in namespace "default" have no workload selector, which can lead to undefined behavior.'],
      ['IST0160', 'The Telemetries ,  in namespace "default" have no workload selector, which can lead to undefined behavior.'],
    ]);
  });
});
