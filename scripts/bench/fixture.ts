/**
 * The benchmark's app: N external hosts, each with one HTTPS port and routed through the istioctl
 * egress gateway (a ServiceEntry, Gateway, DestinationRule and VirtualService per host).
 */
import { App, Chart } from 'cdk8s';
import { loadPackage } from './package';
import { CHART_ID, Manifest } from './shared';

const NAMESPACE = 'bench';

export function buildLibraryApp(n: number, outdir: string): App {
  const { EgressGateway, EgressGatewayRoute, EgressPort, ExternalHost } = loadPackage();
  const app = new App({ outdir });
  const chart = new Chart(app, CHART_ID, { namespace: NAMESPACE });
  const gateway = EgressGateway.istioDefault();
  for (let i = 0; i < n; i++) {
    const host = new ExternalHost(chart, `Host${i}`, { hosts: [`host-${i}.example.com`], ports: [EgressPort.https()] });
    new EgressGatewayRoute(chart, `Route${i}`, { host, gateway });
  }
  return app;
}

/**
 * The library's objects as plain JSON, without running the synth-time validation: `Chart.toJson()`
 * resolves lazy values and patches exactly as the synth does, and skipping the analysis keeps the
 * preparation of N = 10,000 cheap. The workers check that the L1 variant's YAML is byte-identical.
 */
export function libraryManifests(n: number, outdir: string): Manifest[] {
  const app = buildLibraryApp(n, outdir);
  return app.charts.flatMap(chart => chart.toJson() as Manifest[]);
}
