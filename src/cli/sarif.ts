/**
 * `lint --format sarif`: the findings as a SARIF 2.1.0 log, which code-scanning tools (GitHub code
 * scanning, IDE viewers) show inline on the YAML. One run; its rules are the codes of docs/codes.md
 * (and any other code found), each result's ruleId is the finding's code, at the line and column of
 * the finding's field.
 */
import * as path from 'path';
import { Position, STDIN_NAME } from './input';
import { LintResult, LocatedFinding } from './lint';
import { COMMAND, documentedCodes, repositoryUrl, version } from './package-info';
import { formatFinding } from '../rules/finding';

export const SARIF_VERSION = '2.1.0';
export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** The URI of a file for SARIF: relative to the working directory when below it (as code scanning expects), else a file URI. */
export function artifactUri(file: string, cwd: string = process.cwd()): string {
  if (file === STDIN_NAME) {
    return 'stdin';
  }
  const absolute = path.resolve(cwd, file);
  const relative = path.relative(cwd, absolute);
  const inside = relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
  const segments = (inside ? relative : absolute).split(path.sep).map(encodeURIComponent).join('/');
  return inside ? segments : `file://${segments.startsWith('/') ? '' : '/'}${segments}`;
}

function driver(codes: string[]): Record<string, unknown> {
  const docs = new Map(documentedCodes().map(d => [d.code, d]));
  const ids = [...docs.keys(), ...[...new Set(codes)].filter(c => !docs.has(c)).sort()];
  const home = repositoryUrl();
  return {
    name: COMMAND,
    version: version(),
    semanticVersion: version(),
    ...(home ? { informationUri: home } : {}),
    rules: ids.map(id => {
      const doc = docs.get(id);
      return {
        id,
        ...(doc?.rule ? { name: doc.rule } : {}),
        ...(doc ? { shortDescription: { text: doc.description }, defaultConfiguration: { level: doc.severity } } : {}),
        ...(home ? { helpUri: `${home}/blob/main/docs/codes.md` } : {}),
      };
    }),
  };
}

function location(file: string, position: Position | undefined, logical?: string): Record<string, unknown> {
  return {
    physicalLocation: {
      artifactLocation: { uri: artifactUri(file) },
      ...(position && position.line > 0 ? { region: { startLine: position.line, startColumn: Math.max(position.column, 1) } } : {}),
    },
    ...(logical ? { logicalLocations: [{ fullyQualifiedName: logical, kind: 'resource' }] } : {}),
  };
}

function objectName(f: LocatedFinding): string {
  return `${f.kind ?? '(no kind)'} ${f.namespace ? `${f.namespace}/` : ''}${f.name ?? '(no name)'}`;
}

/** @param exitCode the command's exit code, which the log's invocation records */
export function formatLintSarif(result: LintResult, exitCode: number): string {
  const tool = driver(result.findings.map(f => f.code));
  const ruleIndex = new Map((tool.rules as { id: string }[]).map((r, i) => [r.id, i]));
  const results = result.findings.map(f => ({
    ruleId: f.code,
    ruleIndex: ruleIndex.get(f.code),
    level: f.severity,
    // IST0106 and IST0133 cover many checks of Istio's webhook: the rule id says which.
    message: { text: `${f.code === f.rule || f.code.startsWith('EGR') ? '' : `${f.rule} `}${objectName(f)}: ${formatFinding(f)}` },
    locations: [location(f.file, f, objectName(f))],
    properties: { rule: f.rule, field: f.field, fix: f.fix },
  }));
  return log(tool, results, { executionSuccessful: true, exitCode });
}

/** An input error as SARIF: no results, and the error as a notification of a failed invocation. */
export function formatSarifError(message: string, file?: string, position?: Position): string {
  const notification = { level: 'error', message: { text: message }, ...(file !== undefined ? { locations: [location(file, position)] } : {}) };
  return log(driver([]), [], { executionSuccessful: false, exitCode: 2, toolExecutionNotifications: [notification] });
}

function log(tool: Record<string, unknown>, results: unknown[], invocation: Record<string, unknown>): string {
  const sarif = {
    $schema: SARIF_SCHEMA,
    version: SARIF_VERSION,
    runs: [{ tool: { driver: tool }, invocations: [invocation], columnKind: 'utf16CodeUnits', results }],
  };
  return JSON.stringify(sarif, undefined, 2) + '\n';
}
