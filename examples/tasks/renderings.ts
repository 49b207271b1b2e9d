/**
 * The three renderings of an egress route. A task is written once, as a function of the chart and
 * the gateway; the gateway picks the objects:
 * - `istio-api`: the egress gateway that `istioctl install` creates (Istio's Gateway, DestinationRule, VirtualService);
 * - `gateway-api`: a gateway that Istio deploys from a Gateway API `Gateway` (HTTPRoute, TLSRoute);
 * - `ambient`: a waypoint of an ambient namespace (the ServiceEntry bound to it, policies attached to the ServiceEntry).
 */
import { App, Chart } from 'cdk8s';
import { DataplaneMode, EgressGateway, EgressWaypoint, GatewayApiEgressGateway, IEgressGateway, MeshNamespace } from '../../src';

export const RENDERINGS = ['istio-api', 'gateway-api', 'ambient'] as const;
export type Rendering = typeof RENDERINGS[number];

/** A docs task written with the library: the user code, the same for every rendering. */
export interface EgressTask {
  /** The chart id and namespace prefix. */
  readonly name: string;
  /** Istio's docs page and section the task follows. */
  readonly follows: string;
  /**
   * The user code in one rendering (for most tasks: the task's function with `gatewayFor(chart, rendering)`),
   * for `host` (a wildcard task: the domain), or for the docs' host.
   */
  readonly build: (chart: Chart, rendering: Rendering, host?: string) => void;
  /** The renderings the library writes for this task; the others refuse it at synth (see docs/tasks.md). */
  readonly renderings: readonly Rendering[];
}

/** The gateway of a rendering, created in `chart` (its namespace) where the rendering has one of its own. */
export function gatewayFor(chart: Chart, rendering: Rendering): IEgressGateway {
  switch (rendering) {
    case 'istio-api':
      return EgressGateway.istioDefault();
    case 'gateway-api':
      return new GatewayApiEgressGateway(chart, 'EgressGateway', { name: 'egress' });
    case 'ambient':
      // The egress namespace in ambient mode, bound to its waypoint (`istioctl waypoint apply --enroll-namespace`).
      new MeshNamespace(chart, 'EgressNamespace', { name: chart.namespace!, dataplaneMode: DataplaneMode.AMBIENT, useWaypoint: 'waypoint' });
      return new EgressWaypoint(chart, 'Waypoint');
  }
}

/**
 * The chart of one task in one rendering: id and namespace `<task>-<rendering>`. The host is
 * `<task>.example.com` (each task its own, so that all the charts can be applied to one cluster), or
 * with `docsHost` the docs' own.
 */
export function taskChart(app: App, task: EgressTask, rendering: Rendering, options: { docsHost?: boolean } = {}): Chart {
  const id = `${task.name}-${rendering}`;
  const chart = new Chart(app, id, { namespace: id });
  task.build(chart, rendering, options.docsHost ? undefined : `${task.name}.example.com`);
  return chart;
}
