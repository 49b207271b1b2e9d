/**
 * Property: synthesis is deterministic. The same configuration synthesizes to byte-identical YAML (also
 * with sample-shaped YAML included and Services of the cluster declared with EgressAnalysis.assumeExists),
 * and building independent constructs in another order (the units of a chart, the charts of an app, the
 * included objects before or after the library's) gives the same set of documents.
 *
 * Every reorder check runs on an order that differs from the first one: the apps are drawn with something
 * to reorder, and an order drawn equal to the construction order is reversed.
 */
import * as fc from 'fast-check';
import { AppSpec, ChartSpec, buildApp, fuzzParameters, numRuns, timeoutFor, validAppSpec } from '../support/arbitraries';

const RUNS = numRuns();

/** The YAML documents of an app, sorted (cdk8s writes them in construct order). */
function sortedDocuments(yaml: string): string[] {
  return yaml.split(/^---\n/m).filter(doc => doc.trim() !== '').sort();
}

/** A permutation of 0..n-1 drawn by fast-check (shrinks towards the identity). */
function permutation(n: number): fc.Arbitrary<number[]> {
  return fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n });
}

const isIdentity = (order: number[]) => order.every((u, i) => u === i);

/**
 * The units of a chart that may move. Lockdowns read the app's routes in construction order (which sets the order
 * of list items in their Sidecar and NetworkPolicy), so in charts with a lockdown only the units without a route
 * move; elsewhere every unit does.
 */
function movableUnits(chart: ChartSpec): number[] {
  return chart.units.map((_, i) => i).filter(i => chart.lockdowns.length === 0 || chart.units[i].route === undefined);
}

/**
 * `orders` (one per chart), or, when every one of them is the construction order, the same with the `movable` units of
 * the first chart that has two or more in reverse order: a different order whenever the app has something to move.
 */
function differentOrders(spec: AppSpec, orders: number[][], movable: (chart: ChartSpec) => number[]): number[][] {
  if (!orders.every(isIdentity)) {
    return orders;
  }
  const c = spec.charts.findIndex(chart => movable(chart).length >= 2);
  if (c < 0) {
    return orders;
  }
  const positions = movable(spec.charts[c]);
  const order = [...orders[c]];
  positions.forEach((position, k) => {
    order[position] = positions[positions.length - 1 - k];
  });
  return orders.map((o, i) => (i === c ? order : o));
}

/** Another order for the units of each chart (only the movable units move), never the construction order. */
function unitOrders(spec: AppSpec): fc.Arbitrary<number[][]> {
  return fc.tuple(...spec.charts.map(chart => permutation(chart.units.length).map(order => {
    const movable = movableUnits(chart);
    const drawn = order.filter(i => movable.includes(i));
    let next = 0;
    return order.map((_, i) => (movable.includes(i) ? drawn[next++] : i));
  }))).map(orders => differentOrders(spec, orders, movableUnits));
}

/**
 * Charts are independent unless a route in one names another chart's locked-down namespace in
 * allowedClients (the lockdown then imports the route's host, in route order).
 */
function independentCharts(spec: AppSpec): boolean {
  return spec.charts.every(chart => chart.units.every(u => (u.route?.allowedClients ?? []).every(c =>
    !spec.charts.some(other => other !== chart && other.lockdowns.some(l => l.namespace === c.namespace)))));
}

// Valid apps may carry warnings, which the synth prints: the properties judge the objects, not the log (thousands of lines).
beforeAll(() => {
  jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterAll(() => {
  jest.restoreAllMocks();
});

describe('synthesis is deterministic', () => {
  test('the same configuration synthesizes to byte-identical YAML, and its units (and included objects) added in another order to the same documents', () => {
    // Apps with units to reorder; their first chart may include sample-shaped YAML and declare Services of the cluster.
    const cases = validAppSpec({ extras: true }).filter(spec => spec.charts.some(chart => movableUnits(chart).length >= 2))
      .chain(spec => fc.tuple(fc.constant(spec), unitOrders(spec), fc.boolean()));
    fc.assert(fc.property(cases, ([spec, unitOrder, extrasFirst]) => {
      const first = buildApp(spec).synthYaml();
      expect(buildApp(spec).synthYaml()).toEqual(first);
      expect(unitOrder.every(isIdentity)).toBe(false);
      expect(sortedDocuments(buildApp(spec, { unitOrder, extrasFirst }).synthYaml())).toEqual(sortedDocuments(first));
    }), fuzzParameters(RUNS));
  }, timeoutFor(RUNS, 90));

  test('independent charts added in another order give the same documents', () => {
    const cases = validAppSpec({ charts: 2, maxUnits: 1 }).filter(independentCharts)
      .chain(spec => fc.tuple(fc.constant(spec), permutation(spec.charts.length).map(order => (isIdentity(order) ? [...order].reverse() : order))));
    fc.assert(fc.property(cases, ([spec, chartOrder]) => {
      expect(isIdentity(chartOrder)).toBe(false);
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
    const allUnits = (chart: ChartSpec) => chart.units.map((_, i) => i);
    const cases = validAppSpec().filter(s => s.charts[0].lockdowns.length > 0 && s.charts[0].units.length >= 2)
      .chain(spec => fc.tuple(fc.constant(spec), fc.tuple(...spec.charts.map(c => permutation(c.units.length)))
        .map(orders => differentOrders(spec, orders, allUnits))));
    fc.assert(fc.property(cases, ([spec, unitOrder]) => {
      expect(unitOrder.every(isIdentity)).toBe(false);
      expect(sortedDocuments(buildApp(spec, { unitOrder }).synthYaml())).toEqual(sortedDocuments(buildApp(spec).synthYaml()));
    }), fuzzParameters(RUNS));
  }, timeoutFor(RUNS, 90));
});
