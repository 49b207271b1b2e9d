/** `lint`: every finding of the rules over all objects together, sorted by where it is. */
import { LoadedInput, LoadedObject, compareStrings } from './input';
import { IndexedFinding, lintObjectSet } from '../analysis';
import { codeOf } from '../rules/codes';
import { formatFinding } from '../rules/finding';

/** A finding with the object and place it belongs to; the JSON output's finding. */
export interface LocatedFinding {
  readonly code: string;
  readonly rule: string;
  readonly severity: 'error' | 'warning';
  readonly kind: string | null;
  readonly name: string | null;
  readonly namespace: string | null;
  readonly file: string;
  /** Where the finding's field is written (the key of a mapping entry, a list item), else its nearest written parent, else the object. */
  readonly line: number;
  readonly column: number;
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

/** A reference to a Service that could not be checked: no Service of its namespace was given. */
export interface UncheckedLocated {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly field: string;
  readonly host: string;
  readonly namespace: string;
}

export interface LintResult {
  readonly findings: LocatedFinding[];
  readonly summary: LintSummary;
  /** References to Services of namespaces none of whose Services were given: neither found nor missing. */
  readonly unchecked: UncheckedLocated[];
}

/**
 * @param cluster objects that exist in the cluster: they resolve references and are not checked
 */
export function lint(input: LoadedInput, cluster?: LoadedInput): LintResult {
  const result = lintObjectSet(input.objects.map(o => o.manifest), { cluster: cluster?.objects.map(o => o.manifest) });
  const findings = result.findings
    .map(f => locate(f, input.objects[f.index]))
    .sort(byPlace);
  const unchecked = result.unchecked.map(u => {
    const object = input.objects[u.index];
    return { file: object.file, ...object.locate(u.field), field: u.field, host: u.host, namespace: u.namespace };
  });
  const count = (severity: string) => findings.filter(f => f.severity === severity).length;
  return {
    findings,
    summary: { errors: count('error'), warnings: count('warning'), objects: input.objects.length, files: input.files.length },
    unchecked,
  };
}

function locate(finding: IndexedFinding, object: LoadedObject): LocatedFinding {
  const metadata = object.manifest.metadata;
  return {
    code: codeOf(finding),
    rule: finding.rule,
    severity: finding.severity,
    kind: stringOrNull(object.manifest.kind),
    name: stringOrNull(metadata?.name),
    namespace: stringOrNull(metadata?.namespace),
    file: object.file,
    ...object.locate(finding.field),
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
  return compareStrings(a.file, b.file) || a.line - b.line || a.column - b.column || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity];
}

/** One line per finding, then the summary. */
export function formatLintText(result: LintResult): string {
  const lines = result.findings.map(formatLocated);
  const namespaces = [...new Set(result.unchecked.map(u => u.namespace))].sort(compareStrings);
  if (namespaces.length > 0) {
    lines.push(`note: ${plural(result.unchecked.length, 'reference')} to Services in ${namespaces.join(', ')} not checked: `
      + 'no Service of those namespaces was given (add their YAML to the input, or pass it with --cluster)');
  }
  lines.push(formatSummary(result.summary));
  return lines.join('\n') + '\n';
}

export function formatLocated(f: LocatedFinding): string {
  const object = [f.kind ?? '(no kind)', f.namespace ? `${f.namespace}/${f.name ?? ''}` : f.name ?? '(no name)'].join(' ');
  // The rule id is shown beside the code where one code (IST0106, IST0133) covers many rules.
  const id = f.code === f.rule || f.code.startsWith('EGR') ? f.code : `${f.code} ${f.rule}`;
  return `${f.file}:${f.line}:${f.column} ${object} ${f.severity} ${id} ${formatFinding(f)}`;
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
