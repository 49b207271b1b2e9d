/**
 * Property: synthesis is deterministic. The same configuration synthesizes to byte-identical YAML, and
 * building independent constructs in another order (the units of a chart, the charts of an app) gives
 * the same set of documents.
 */
import * as fc from 'fast-check';
import { AppSpec, buildApp, fuzzParameters, numRuns, timeoutFor, validAppSpec } from '../support/arbitraries';

const RUNS = numRuns();

/** The YAML documents of an app, sorted (cdk8s writes them in construct order). */
function sortedDocuments(yaml: string): string[] {
  return yaml.split(/^---\n/m).filter(doc => doc.trim() !== '').sort();
}

/** A permutation of 0..n-1 drawn by fast-check (shrinks towards the identity). */
function permutation(n: number): fc.Arbitrary<number[]> {
  return fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n });
}

/**
 * Another order for the units of each chart. Lockdowns read the app's routes in construction order
 * (which sets the order of list items in their Sidecar and NetworkPolicy), so in charts with a lockdown
 * only the units without a route move; elsewhere every unit does.
 */
function unitOrders(spec: AppSpec): fc.Arbitrary<number[][]> {
  return fc.tuple(...spec.charts.map(chart => permutation(chart.units.length).map(order => {
    if (chart.lockdowns.length === 0) {
      return order;
    }
    const routed = chart.units.map((u, i) => (u.route ? i : -1)).filter(i => i >= 0);
    let next = 0;
    return order.map(i => (chart.units[i].route ? routed[next++] : i));
  })));
}

/**
 * Charts are independent unless a route in one names another chart's locked-down namespace in
 * allowedClients (the lockdown then imports the route's host, in route order).
 */
function independentCharts(spec: AppSpec): boolean {
  return spec.charts.every(chart => chart.units.every(u => (u.route?.allowedClients ?? []).every(c =>
    !spec.charts.some(other => other !== chart && other.lockdowns.some(l => l.namespace === c.namespace)))));
}

describe('synthesis is deterministic', () => {
  test('the same configuration synthesizes to byte-identical YAML, and its units added in another order to the same documents', () => {
    const cases = validAppSpec().chain(spec => fc.tuple(fc.constant(spec), unitOrders(spec)));
    fc.assert(fc.property(cases, ([spec, unitOrder]) => {
      const first = buildApp(spec).synthYaml();
      const second = buildApp(spec).synthYaml();
      expect(second).toEqual(first);
      if (unitOrder.some(order => order.some((u, i) => u !== i))) {
        const reordered = buildApp(spec, { unitOrder }).synthYaml();
        expect(sortedDocuments(reordered)).toEqual(sortedDocuments(first));
      }
    }), fuzzParameters(RUNS));
  }, timeoutFor(RUNS, 90));

  test('independent charts added in another order give the same documents', () => {
    const cases = validAppSpec({ charts: 2, maxUnits: 1 }).filter(independentCharts)
      .chain(spec => fc.tuple(fc.constant(spec), permutation(spec.charts.length)));
    fc.assert(fc.property(cases, ([spec, chartOrder]) => {
      const inOrder = sortedDocuments(buildApp(spec).synthYaml());
      const reordered = sortedDocuments(buildApp(spec, { chartOrder }).synthYaml());
      expect(reordered).toEqual(inOrder);
    }), fuzzParameters(RUNS));
  }, timeoutFor(RUNS, 90));

  // Regression: found by this property and fixed (EgressLockdown now sorts these lists). EgressLockdown listed the hosts of the routes
  // whose allowedClients name its namespace (Sidecar spec.egress[0].hosts) and the gateways of its hosts' routes
  // (NetworkPolicy spec.egress) in the order the routes were created (node.findAll()), so creating independent routes
  // (or charts) in another order reorders list items of those documents. Semantically the same, but the YAML changes.
  // Counterexample (shrunk): two routes in namespace default, one through EgressGateway.fromHelmRelease('istio-egress',
  // 'egress') and one through EgressGateway.istioDefault(), and new EgressLockdown(chart, 'L', { namespace: 'default',
  // hosts: [both hosts] }): swapping the two routes swaps the first two entries of the NetworkPolicy's spec.egress.
  test('routes added in another order give the same documents, also with lockdowns', () => {
    const cases = validAppSpec().filter(s => s.charts[0].lockdowns.length > 0)
      .chain(spec => fc.tuple(fc.constant(spec), fc.tuple(...spec.charts.map(c => permutation(c.units.length)))));
    fc.assert(fc.property(cases, ([spec, unitOrder]) => {
      expect(sortedDocuments(buildApp(spec, { unitOrder }).synthYaml())).toEqual(sortedDocuments(buildApp(spec).synthYaml()));
    }), fuzzParameters(RUNS));
  }, timeoutFor(RUNS, 90));
});
