/**
 * One measured variant in a fresh process (module cache and heap are its own), printing one JSON line:
 *   node --import tsx scripts/bench/worker.ts <variant> <hosts> <runs> [specs.json] [--memory] [--budget=<ms>] [--source-maps=<file>]
 * variants: library | library-bare (its rules switched off) | l1 | yaml | lint, and `prepare <hosts> <specs.json>`,
 * which writes the library's plain objects. The library, its rules and the L1 classes are loaded from lib/ (package.ts).
 * With --memory: one run without warm-up, for the peak RSS of building and synthesizing once.
 * With --budget: no further runs once the measured runs took that long (at least one run).
 * With --source-maps: saves the source maps of the modules it ran, for reading its --cpu-prof profile.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Chart } from 'cdk8s';
import { stringify } from 'yaml';
import { addL1Object, toL1Names } from './l1';
import { peakRssMb, timeOnce, timeRuns } from './measure';
import { loadAnalysis, switchOffRules } from './package';
import { saveSourceMaps } from './profile';
import { CHART_ID, Manifest, OBJECTS_PER_HOST, WorkerResult } from './shared';

/** JIT warm-up size: large enough to compile the hot paths, small enough not to double the N = 10,000 runs. */
const WARM_UP_HOSTS = 1000;
const OUTDIR = join(tmpdir(), 'cdk8s-istio-egress-bench');

/** Builds the variant's objects for `hosts` hosts and returns its YAML (for lint, the number of findings). */
type Variant = (hosts: number) => string;

// The library and its rules are required only by the variants that use them, so that the L1 and
// floor processes neither load nor hold them.
/* eslint-disable @typescript-eslint/no-require-imports */
const loadFixture = () => require('./fixture') as typeof import('./fixture');
/* eslint-enable @typescript-eslint/no-require-imports */

function libraryVariant(): Variant {
  const { buildLibraryApp } = loadFixture();
  return hosts => buildLibraryApp(hosts, OUTDIR).synthYaml();
}

/** The constructs alone: what the library costs before any of its rules runs (see switchOffRules). */
function bareLibraryVariant(): Variant {
  switchOffRules();
  return libraryVariant();
}

function l1Variant(manifests: Manifest[]): Variant {
  const props = toL1Names(manifests) as Manifest[];
  return hosts => {
    const app = new App({ outdir: OUTDIR });
    const chart = new Chart(app, CHART_ID);
    props.slice(0, hosts * OBJECTS_PER_HOST).forEach((m, i) => addL1Object(chart, `${m.kind}${i}`, m));
    return app.synthYaml();
  };
}

/** The floor: no constructs, no validation, only the YAML serializer that cdk8s uses too. */
function yamlVariant(manifests: Manifest[]): Variant {
  return hosts => manifests.slice(0, hosts * OBJECTS_PER_HOST).map(m => stringify(m)).join('---\n');
}

function lintVariant(manifests: Manifest[]): Variant {
  const { lintObjects } = loadAnalysis();
  // The gateway pods the library's routes declare (istioctl's): without them no Gateway selector can be checked.
  const context = { gatewayPods: [{ istio: 'egressgateway' }] };
  return hosts => String(lintObjects(manifests.slice(0, hosts * OBJECTS_PER_HOST), context).length);
}

function variantFor(name: string, specsFile: string | undefined): Variant {
  if (name === 'library') {
    return libraryVariant();
  }
  if (name === 'library-bare') {
    return bareLibraryVariant();
  }
  if (!specsFile) {
    throw new Error(`variant ${name} needs the specs file written by \`worker.ts prepare\``);
  }
  const manifests = JSON.parse(readFileSync(specsFile, 'utf8')) as Manifest[];
  const variants: Record<string, (m: Manifest[]) => Variant> = { l1: l1Variant, yaml: yamlVariant, lint: lintVariant };
  const make = variants[name];
  if (!make) {
    throw new Error(`unknown variant ${name}`);
  }
  return make(manifests);
}

function countObjects(yaml: string): number {
  return yaml.trim() === '' ? 0 : yaml.split('\n').filter(line => line === '---').length + 1;
}

interface Options {
  readonly memory: boolean;
  readonly budgetMs?: number;
}

function measure(name: string, hosts: number, runs: number, specsFile: string | undefined, options: Options): WorkerResult {
  const variant = variantFor(name, specsFile);
  let output = '';
  const once = () => {
    output = variant(hosts);
  };
  const warmUp = () => variant(Math.min(hosts, WARM_UP_HOSTS));
  const timesMs = options.memory ? [timeOnce(once)] : timeRuns(once, { runs, budgetMs: options.budgetMs, warmUp });
  const isLint = name === 'lint';
  return {
    variant: name,
    hosts,
    timesMs,
    objects: isLint ? hosts * OBJECTS_PER_HOST : countObjects(output),
    outputSha256: createHash('sha256').update(output).digest('hex'),
    peakRssMb: peakRssMb(),
    ...(isLint ? { findings: Number(output) } : {}),
  };
}

function prepare(hosts: number, specsFile: string): void {
  const { libraryManifests } = loadFixture();
  const manifests = libraryManifests(hosts, OUTDIR);
  writeFileSync(specsFile, JSON.stringify(manifests));
  console.log(JSON.stringify({ variant: 'prepare', hosts, objects: manifests.length }));
}

function main(argv: string[]): void {
  const flag = (name: string) => argv.find(a => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const sourceMaps = flag('source-maps');
  if (sourceMaps) {
    saveSourceMaps(sourceMaps, join(__dirname, '..', '..'));
  }
  const [name, hosts, third, specsFile] = argv.filter(a => !a.startsWith('--'));
  if (name === 'prepare') {
    return prepare(Number(hosts), third);
  }
  const budget = flag('budget');
  const options = { memory: argv.includes('--memory'), budgetMs: budget ? Number(budget) : undefined };
  console.log(JSON.stringify(measure(name, Number(hosts), Number(third), specsFile, options)));
}

main(process.argv.slice(2));
