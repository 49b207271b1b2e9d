/**
 * What every finding owes its reader, checked wherever the tests collect findings: a message saying what
 * is wrong and a fix saying what to write instead (the standard: the field, the value and the fix).
 */
import { Finding } from '../../src/rules/finding';

/** Asserts that each finding has a message and a fix of at least two words; returns the findings. */
export function helpful<T extends Finding>(findings: T[]): T[] {
  const words = (text: unknown) => (typeof text === 'string' ? text.trim().split(/\s+/).filter(w => w !== '').length : 0);
  expect(findings.filter(f => words(f.message) < 2 || words(f.fix) < 2).map(f => `${f.rule} ${f.field}: "${f.message}" fix "${f.fix}"`)).toEqual([]);
  return findings;
}

/** A finding in full, as the findings tests compare it: [rule, severity, field, value (null when unset), message, fix]. */
export type FindingRow = [string, string, string, unknown, string, string];

/** The findings of one rule function as rows, each checked by `helpful`. */
export function findingRows(findings: Finding[]): FindingRow[] {
  return helpful(findings).map(f => [f.rule, f.severity, f.field, f.value === undefined ? null : f.value, f.message, f.fix]);
}
