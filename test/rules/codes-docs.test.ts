/**
 * docs/codes.md lists every code a finding can have, and nothing else: the library's own codes
 * (OWN_CODES) and every Istio code the rules and the analysis produce.
 */
import * as fs from 'fs';
import * as path from 'path';
import { OWN_CODES, basisOf } from '../../src/rules/codes';

const root = path.join(__dirname, '..', '..');
const docs = fs.readFileSync(path.join(root, 'docs', 'codes.md'), 'utf8');
const documented = (prefix: string) => [...docs.matchAll(new RegExp(`^\\| (${prefix}\\d{3,4}) \\|`, 'gm'))].map(m => m[1]);

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => (e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

test('every EGR code is documented once, with its rule id, and no other', () => {
  const rows = [...docs.matchAll(/^\| (EGR\d{3}) \| (\w+) \|/gm)].map(m => [m[1], m[2]]);
  expect(rows.map(([code]) => code)).toEqual(documented('EGR'));
  expect(Object.fromEntries(rows.map(([code, rule]) => [rule, code]))).toEqual(OWN_CODES);
  expect(new Set(Object.values(OWN_CODES)).size).toBe(Object.keys(OWN_CODES).length);
});

test('every Istio code the rules and the analysis produce is documented, and no other', () => {
  const produced = new Set<string>();
  for (const file of [...sources(path.join(root, 'src', 'rules')), ...sources(path.join(root, 'src', 'analysis'))]) {
    for (const m of fs.readFileSync(file, 'utf8').matchAll(/'(IST\d{4})'/g)) {
      produced.add(m[1]);
    }
  }
  expect(documented('IST')).toEqual([...produced].sort());
});

test('the hundreds of an EGR code say why it matters', () => {
  const finding = (rule: string) => ({ rule, severity: 'error' as const, field: 'spec', message: '', fix: '' });
  expect(basisOf(finding('UNKNOWN_FIELD'))).toBe('rejected');
  expect(basisOf(finding('BYPASS'))).toBe('ineffective');
  expect(basisOf(finding('UNVERIFIED_TLS'))).toBe('weakens');
  expect(basisOf(finding('IST0109'))).toBe('analyzer');
  expect(basisOf(finding('SE19'))).toBe('rejected');
  expect(basisOf({ ...finding('SE4'), severity: 'warning' })).toBe('istio-warning');
});
