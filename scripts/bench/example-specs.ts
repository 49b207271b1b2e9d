/**
 * Writes the plain objects of the example app (examples/main.ts), chart by chart, for the L1 example app:
 *   node --import tsx scripts/bench/example-specs.ts <out.json>
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdk8s';
import { ChartSpec, ExampleSpecs, Manifest } from './shared';
import { installOverlayApp } from '../../examples/lockdown/main';
import { exampleApp } from '../../examples/main';

function chartsOf(app: App): ChartSpec[] {
  return app.charts.map(chart => ({ id: chart.node.id, manifests: chart.toJson() as Manifest[] }));
}

const outdir = join(tmpdir(), 'cdk8s-istio-egress-bench');
const specs: ExampleSpecs = {
  main: chartsOf(exampleApp(new App({ outdir }))),
  istioctl: chartsOf(installOverlayApp(join(outdir, 'istioctl'))),
};
writeFileSync(process.argv[2], JSON.stringify(specs));
console.log(JSON.stringify({ charts: specs.main.length + specs.istioctl.length }));
