/**
 * No rule depends on a random draw to be checked: every rule id the per-object rules emit appears in
 * an example-based test under test/rules, and every rule of the analysis (by its id or its code) in
 * one under test/analysis. The examples themselves (an accepted and a refused input, the message
 * asserted) are the tests beside each rule; this only catches a new rule that has none.
 */
import * as fs from 'fs';
import * as path from 'path';
import { OWN_CODES } from '../../src/rules/codes';

const root = path.join(__dirname, '..', '..');

function filesUnder(dir: string, suffix: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true })
    .flatMap(e => (e.isDirectory() ? filesUnder(path.join(dir, e.name), suffix) : e.name.endsWith(suffix) ? [path.join(dir, e.name)] : []));
}
const read = (files: string[]) => files.map(f => fs.readFileSync(f, 'utf8')).join('\n');
const ids = (source: string, pattern: RegExp) => [...new Set([...source.matchAll(pattern)].map(m => m[1]))].sort();
const mentions = (text: string, id: string) => new RegExp(`(?<![A-Za-z0-9_])${id}(?![A-Za-z0-9_])`).test(text);

test('every per-object rule id has an example in test/rules', () => {
  const rules = ids(read(filesUnder(path.join(root, 'src', 'rules'), '.ts')), /\.(?:error|warning|own)\(\s*'([A-Z][A-Za-z0-9_]*)'/g);
  const tests = read(filesUnder(path.join(root, 'test', 'rules'), '.test.ts'));
  expect(rules.length).toBeGreaterThan(100);
  expect(rules.filter(id => !mentions(tests, id))).toEqual([]);
});

test('every rule of the analysis has an example in test/analysis', () => {
  const rules = ids(read(filesUnder(path.join(root, 'src', 'analysis'), '.ts')), /objectFinding\([^,]+,\s*'([A-Z][A-Za-z0-9_]*)'/g);
  const tests = read([...filesUnder(path.join(root, 'test', 'analysis'), '.test.ts'), path.join(root, 'test', 'rules', 'analysis.test.ts')]);
  expect(rules.length).toBeGreaterThan(40);
  expect(rules.filter(id => !mentions(tests, id) && !(OWN_CODES[id] && mentions(tests, OWN_CODES[id])))).toEqual([]);
});
