/**
 * Regenerates the Istio bindings in src/imports/ from Istio's CRD bundle.
 *
 * The bundle is filtered to the kinds and versions listed in imports/istio.json, with the
 * versions reordered as listed there: `cdk8s import` gives the first version of a CRD the bare
 * class name, so listing v1 first makes `ServiceEntry` the v1 class and `ServiceEntryV1Beta1`
 * the v1beta1 one.
 *
 * Where the bundle comes from, first match wins:
 *   1. the path in the environment variable named by `bundle.env` (ISTIO_CRDS);
 *   2. `bundle.shared`, relative to the repository root (../shared in this project's workspace);
 *   3. `bundle.url`, the pinned upstream release file, downloaded with curl.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments, stringify } from 'yaml';

interface ImportSpec {
  readonly istioRelease: string;
  readonly bundle: { readonly env: string; readonly shared: string; readonly url: string };
  readonly output: string;
  readonly crds: ReadonlyArray<{ readonly group: string; readonly kind: string; readonly versions: string[] }>;
}

const root = path.resolve(__dirname, '..');
const spec: ImportSpec = JSON.parse(fs.readFileSync(path.join(root, 'imports', 'istio.json'), 'utf8'));

function readBundle(): { text: string; from: string } {
  const fromEnv = process.env[spec.bundle.env];
  if (fromEnv) {
    return { text: fs.readFileSync(fromEnv, 'utf8'), from: fromEnv };
  }
  const shared = path.resolve(root, spec.bundle.shared);
  if (fs.existsSync(shared)) {
    return { text: fs.readFileSync(shared, 'utf8'), from: shared };
  }
  try {
    const text = execFileSync('curl', ['-fsSL', spec.bundle.url], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    return { text, from: spec.bundle.url };
  } catch (e) {
    throw new Error(`Cannot read Istio's CRD bundle: ${spec.bundle.env} is not set, ${shared} does not exist, `
      + `and downloading ${spec.bundle.url} failed (${(e as Error).message}). Set ${spec.bundle.env} to a local copy.`);
  }
}

function filterBundle(text: string): string {
  const crds = parseAllDocuments(text).map(d => d.toJSON()).filter(d => d?.kind === 'CustomResourceDefinition');
  const out: unknown[] = [];
  for (const wanted of spec.crds) {
    const crd = crds.find(c => c.spec.group === wanted.group && c.spec.names.kind === wanted.kind);
    if (!crd) {
      throw new Error(`The bundle has no CRD for ${wanted.group} ${wanted.kind}`);
    }
    const versions = wanted.versions.map(name => {
      const version = crd.spec.versions.find((v: { name: string }) => v.name === name);
      if (!version) {
        throw new Error(`The bundle's ${wanted.kind} CRD does not serve ${wanted.group}/${name}`);
      }
      return version;
    });
    out.push({ ...crd, spec: { ...crd.spec, versions } });
  }
  return out.map(doc => stringify(doc)).join('---\n');
}

const bundle = readBundle();
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'istio-import-'));
const filtered = path.join(work, 'istio-crds.yaml');
fs.writeFileSync(filtered, filterBundle(bundle.text));

const output = path.join(root, spec.output);
fs.rmSync(output, { recursive: true, force: true });
// `cdk8s import` records the (temporary) source in cdk8s.yaml; the project's file must stay as it is.
const config = path.join(root, 'cdk8s.yaml');
const configBefore = fs.readFileSync(config, 'utf8');
try {
  execFileSync(path.join(root, 'node_modules', '.bin', 'cdk8s'),
    ['import', filtered, '--language', 'typescript', '--output', output, '--no-check-upgrade'],
    { stdio: 'inherit', cwd: root });
} finally {
  fs.writeFileSync(config, configBefore);
  fs.rmSync(work, { recursive: true, force: true });
}

console.log(`Imported ${spec.crds.map(c => `${c.kind} (${c.versions.join(', ')})`).join(', ')} `
  + `from Istio ${spec.istioRelease} (${bundle.from}) into ${spec.output}/`);
