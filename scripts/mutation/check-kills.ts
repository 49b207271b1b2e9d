/**
 * Checks, survivor by survivor, that the tests written after a mutation run kill what the run left alive:
 *   node --import tsx scripts/mutation/check-kills.ts <mutation.json> <src file> [test files...]
 * Each surviving (or uncovered) mutant of <src file> is applied exactly as the report gives it (its text range
 * and replacement), the test files run (by default the module's own: the files named after it or importing it,
 * as `MUTATION_OWN_TESTS=1` counts them), and the source is restored. Prints KILLED or SURVIVES per mutant; a
 * survivor that is not listed as equivalent in docs/mutation.md still needs a test. It edits <src file> in place
 * while it runs: use a clean worktree. See docs/mutation.md.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

interface Position {
  readonly line: number;
  readonly column: number;
}

interface Mutant {
  readonly mutatorName: string;
  readonly replacement?: string;
  readonly status: string;
  readonly location: { readonly start: Position; readonly end: Position };
}

interface Report {
  readonly files: Record<string, { readonly source: string; readonly mutants: Mutant[] }>;
}

/** The test files the mutation run counts as the module's own: named after it, or importing it. */
function ownTests(src: string): string[] {
  const [, folder, ...rest] = src.replace(/\.ts$/, '').split('/');
  const module = rest.join('/');
  const name = basename(module);
  const dir = join('test', folder);
  // A folder's index.ts is imported by the folder's name too (`../../src/rules`).
  const imports = [`/${folder}/${module}'`, ...(module === 'index' ? [`/${folder}'`] : [])];
  return readdirSync(join(ROOT, dir))
    .filter(f => f.endsWith('.test.ts'))
    .filter(f => f.startsWith(`${name}.`) || f.startsWith(`${name}-`) || imports.some(i => readFileSync(join(ROOT, dir, f), 'utf8').includes(i)))
    .map(f => join(dir, f));
}

/** Offset of a 1-based line and column in the text. */
function offsetOf(lineStarts: number[], p: Position): number {
  return lineStarts[p.line - 1] + p.column - 1;
}

function main(argv: string[]): void {
  const [reportFile, src, ...given] = argv;
  if (!reportFile || !src) {
    throw new Error('usage: check-kills.ts <mutation.json> <src file> [test files...]');
  }
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as Report;
  const file = report.files[src];
  if (!file) {
    throw new Error(`${src} is not in ${reportFile}`);
  }
  const path = join(ROOT, src);
  const original = readFileSync(path, 'utf8');
  if (original !== file.source) {
    throw new Error(`${src} has changed since the run: its survivors no longer apply as the report gives them`);
  }
  const tests = given.length > 0 ? given : ownTests(src);
  const lineStarts = [0];
  for (const line of original.split('\n')) {
    lineStarts.push(lineStarts[lineStarts.length - 1] + line.length + 1);
  }
  const survivors = file.mutants
    .filter(m => m.status === 'Survived' || m.status === 'NoCoverage')
    .sort((a, b) => a.location.start.line - b.location.start.line || a.location.start.column - b.location.start.column);
  const restore = () => writeFileSync(path, original);
  process.on('SIGINT', () => {
    restore();
    process.exit(130);
  });
  console.log(`${survivors.length} survivors of ${src}, against ${tests.join(' ')}`);
  // --bail: a kill needs one failing file, and the first one ends the run.
  const runTests = () => spawnSync('npx', ['jest', '--coverage=false', '--ci', '--bail', ...tests], { cwd: ROOT, stdio: 'ignore' }).status;
  // Tests that fail on the code as it is would count every mutant as killed.
  if (runTests() !== 0) {
    throw new Error(`the tests fail without any mutant: ${tests.join(' ')}`);
  }
  let killed = 0;
  for (const m of survivors) {
    const from = offsetOf(lineStarts, m.location.start);
    const to = offsetOf(lineStarts, m.location.end);
    const replacement = m.replacement ?? '';
    // As Stryker does: a mutant need not type-check.
    writeFileSync(path, `// @ts-nocheck\n${original.slice(0, from)}${replacement}${original.slice(to)}`);
    let status: number | null;
    try {
      status = runTests();
    } finally {
      restore();
    }
    const verdict = status === 0 ? 'SURVIVES' : 'KILLED';
    killed += verdict === 'KILLED' ? 1 : 0;
    const text = original.slice(from, to).replace(/\s+/g, ' ');
    console.log(`${src}:${m.location.start.line}:${m.location.start.column} | ${m.mutatorName}: ${text.slice(0, 80)} -> ${replacement.replace(/\s+/g, ' ').slice(0, 80)} | ${verdict}`);
  }
  console.log(`${killed} killed, ${survivors.length - killed} survive`);
}

main(process.argv.slice(2));
