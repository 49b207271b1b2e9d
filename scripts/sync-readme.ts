/**
 * Keeps the README's examples true: fills the blocks between
 *   <!-- example:shapes/direct.ts -->  ...  <!-- /example -->   with the body of that example's chart function, and
 *   <!-- synth:direct -->  ...  <!-- /synth -->                 with dist/direct.k8s.yaml (run `npx cdk8s synth` first), and
 *   <!-- file:examples/python/main.py -->  ...  <!-- /file -->   with that whole file, and
 *   <!-- explain:dist/x.k8s.yaml -->  ...  <!-- /explain -->     with the output of `cdk8s-istio-egress explain` on that file.
 * With --check it changes nothing and exits 1 when the README is out of date.
 */
import * as fs from 'fs';
import * as path from 'path';
import { main as cli } from '../src/cli/main';

const root = path.resolve(__dirname, '..');
const readmePath = path.join(root, 'README.md');
const check = process.argv.includes('--check');

function exampleBody(file: string): string {
  const lines = fs.readFileSync(path.join(root, 'examples', file), 'utf8').split('\n');
  const start = lines.findIndex(l => l.startsWith('export function'));
  const end = lines.findIndex((l, i) => i > start && l.trim() === 'return chart;');
  if (start < 0 || end < 0) {
    throw new Error(`examples/${file}: no "export function ... return chart;" to show`);
  }
  return lines.slice(start + 1, end).map(l => l.replace(/^ {2}/, '')).join('\n');
}

function manifests(chart: string): string {
  const file = path.join(root, 'dist', `${chart}.k8s.yaml`);
  if (!fs.existsSync(file)) {
    throw new Error(`${file} does not exist: run npx cdk8s synth --no-check-upgrade first`);
  }
  return fs.readFileSync(file, 'utf8').trimEnd();
}

function explain(file: string): string {
  let out = '';
  const code = cli(['explain', file], { stdout: s => { out += s; }, stderr: s => { process.stderr.write(s); } });
  if (code !== 0) {
    throw new Error(`explain ${file} exited with ${code}`);
  }
  return out.trimEnd();
}

const readme = fs.readFileSync(readmePath, 'utf8');
const updated = readme
  .replace(/(<!-- example:([^ ]+) -->\n)[\s\S]*?(<!-- \/example -->)/g, (_, open, file, close) => `${open}\`\`\`ts\n${exampleBody(file)}\n\`\`\`\n${close}`)
  .replace(/(<!-- synth:([^ ]+) -->\n)[\s\S]*?(<!-- \/synth -->)/g, (_, open, chart, close) => `${open}\`\`\`yaml\n${manifests(chart)}\n\`\`\`\n${close}`)
  .replace(/(<!-- explain:([^ ]+) -->\n)[\s\S]*?(<!-- \/explain -->)/g, (_, open, file, close) => `${open}${explain(file)}\n${close}`)
  .replace(/(<!-- file:([^ ]+) -->\n)[\s\S]*?(<!-- \/file -->)/g, (_, open, file, close) => {
    const language = file.endsWith('.py') ? 'python' : 'ts';
    return `${open}\`\`\`${language}\n${fs.readFileSync(path.join(root, file), 'utf8').trimEnd()}\n\`\`\`\n${close}`;
  });

if (check) {
  if (updated !== readme) {
    console.error('README.md is out of date with examples/ and dist/: run npx projen readme and commit it');
    process.exit(1);
  }
  console.log('README.md examples and manifests are current');
} else {
  fs.writeFileSync(readmePath, updated);
}
