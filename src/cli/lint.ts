/** `lint`: every finding of the rules over all objects together, sorted by where it is. */
import { LoadedInput, LoadedObject, compareStrings } from './input';
import { formatFinding } from '../rules/finding';
import { IndexedFinding, lintObjects } from '../analysis';

/** A finding with the object and place it belongs to; the JSON output's finding. */
export interface LocatedFinding {
  readonly code: string | null;
  readonly rule: string;
  readonly severity: 'error' | 'warning';
  readonly kind: string | null;
  readonly name: string | null;
  readonly namespace: string | null;
  readonly file: string;
  readonly line: number;
  readonly field: string;
  readonly value?: unknown;
  readonly message: string;
  readonly fix: string;
}

export interface LintSummary {
  readonly errors: number;
  readonly warnings: number;
  readonly objects: number;
  readonly files: number;
}

export interface LintResult {
  readonly findings: LocatedFinding[];
  readonly summary: LintSummary;
}

export function lint(input: LoadedInput): LintResult {
  const findings = lintObjects(input.objects.map(o => o.manifest))
    .map(f => locate(f, input.objects[f.index]))
    .sort(byPlace);
  const count = (severity: string) => findings.filter(f => f.severity === severity).length;
  return {
    findings,
    summary: { errors: count('error'), warnings: count('warning'), objects: input.objects.length, files: input.files.length },
  };
}

function locate(finding: IndexedFinding, object: LoadedObject): LocatedFinding {
  const metadata = object.manifest.metadata;
  return {
    code: finding.code ?? null,
    rule: finding.rule,
    severity: finding.severity,
    kind: stringOrNull(object.manifest.kind),
    name: stringOrNull(metadata?.name),
    namespace: stringOrNull(metadata?.namespace),
    file: object.file,
    line: object.line,
    field: finding.field,
    ...(finding.value === undefined ? {} : { value: finding.value }),
    message: finding.message,
    fix: finding.fix,
  };
}

function stringOrNull(x: unknown): string | null {
  return typeof x === 'string' ? x : null;
}

const SEVERITY_ORDER = { error: 0, warning: 1 };

// Array.prototype.sort is stable, so findings of one object keep the rules' order within a severity.
function byPlace(a: LocatedFinding, b: LocatedFinding): number {
  return compareStrings(a.file, b.file) || a.line - b.line || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity];
}

/** One line per finding, then the summary. */
export function formatLintText(result: LintResult): string {
  const lines = result.findings.map(formatLocated);
  lines.push(formatSummary(result.summary));
  return lines.join('\n') + '\n';
}

export function formatLocated(f: LocatedFinding): string {
  const object = [f.kind ?? '(no kind)', f.namespace ? `${f.namespace}/${f.name ?? ''}` : f.name ?? '(no name)'].join(' ');
  // The rule id is shown beside the analyzer code because one code (IST0106) covers many rules.
  const id = f.code === null ? f.rule : f.code === f.rule ? f.code : `${f.code} ${f.rule}`;
  return `${f.file}:${f.line} ${object} ${f.severity} ${id} ${formatFinding({ ...f, code: f.code ?? undefined })}`;
}

export function formatSummary(s: LintSummary): string {
  return `${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')} in ${plural(s.objects, 'object')} from ${plural(s.files, 'file')}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function formatLintJson(result: LintResult): string {
  return JSON.stringify(result, undefined, 2) + '\n';
}
