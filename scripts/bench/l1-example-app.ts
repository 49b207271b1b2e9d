/**
 * The example app written with the generated L1 classes instead of this library: the same charts and
 * objects (read from the JSON that example-specs.ts wrote), synthesized like examples/main.ts.
 *   CDK8S_OUTDIR=<dir> node --import tsx scripts/bench/l1-example-app.ts <specs.json>
 */
import { readFileSync } from 'node:fs';
import { App } from 'cdk8s';
import { addL1Chart, toL1Names } from './l1';
import { ExampleSpecs } from './shared';

const specs = toL1Names(JSON.parse(readFileSync(process.argv[2], 'utf8'))) as ExampleSpecs;
const app = new App();
specs.main.forEach(chart => addL1Chart(app, chart));
app.synth();
const overlay = new App({ outdir: `${app.outdir}/istioctl` });
specs.istioctl.forEach(chart => addL1Chart(overlay, chart));
overlay.synth();
