#!/usr/bin/env node
/**
 * The `cdk8s-istio-egress` command: `lint` checks manifests against Istio's rules, `explain` shows the
 * path each external host's traffic takes, `diff` the egress change between two sets of manifests. `main` does the work and returns the exit code, so that
 * tests run it in-process; only the last lines touch the process.
 */
import { FailOn, ParsedArgs, USAGE, UsageError, parseArgs, requestedFormat } from './args';
import { diff, formatDiff } from './diff';
import { explain, formatExplain } from './explain';
import { InputError, loadInput } from './input';
import { formatLintJson, formatLintText, lint } from './lint';
import { COMMAND, version } from './package-info';
import { formatLintSarif, formatSarifError } from './sarif';

export { COMMAND, version } from './package-info';

/** Where the command reads and writes; each call writes its text as is. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** All of standard input, for the path `-`; default: the process' standard input. */
  stdin?(): string;
}

export const EXIT_OK = 0;
export const EXIT_ERRORS = 1;
export const EXIT_USAGE = 2;

export function main(argv: string[], io: CliIo): number {
  try {
    const args = parseArgs(argv);
    if (args.help) {
      io.stdout(USAGE);
      return EXIT_OK;
    }
    if (args.version) {
      io.stdout(`${COMMAND} ${version()}\n`);
      return EXIT_OK;
    }
    return run(args, io);
  } catch (e) {
    return fail(e, io, requestedFormat(argv));
  }
}

function run(args: ParsedArgs, io: CliIo): number {
  const load = (paths: string[]) => loadInput(paths, io.stdin);
  if (args.command === 'diff') {
    const [before, after] = args.paths;
    const report = diff(load([before]), load([after]), { before, after });
    io.stdout(formatDiff(report, args.format));
    return report.widened ? EXIT_ERRORS : EXIT_OK;
  }
  const input = load(args.paths);
  if (args.command === 'explain') {
    const report = explain(input);
    io.stdout(formatExplain(report, args.format));
    const problems = report.hosts.flatMap(h => h.ports.flatMap(p => p.problems));
    const errors = problems.filter(p => p.severity === 'error').length;
    return exitCode(args.failOn, errors, problems.length - errors);
  }
  const result = lint(input, args.cluster.length > 0 ? load(args.cluster) : undefined);
  const code = exitCode(args.failOn, result.summary.errors, result.summary.warnings);
  io.stdout(args.format === 'json' ? formatLintJson(result) : args.format === 'sarif' ? formatLintSarif(result, code) : formatLintText(result));
  return code;
}

/** 1 when a finding of at least the `--fail-on` severity (default: error) was found, else 0. */
export function exitCode(failOn: FailOn = 'error', errors: number, warnings: number): number {
  const failing = failOn === 'none' ? 0 : failOn === 'warning' ? errors + warnings : errors;
  return failing > 0 ? EXIT_ERRORS : EXIT_OK;
}

/**
 * The JSON output of a usage or input error: `{ "error": { "type", "message", ... } }`, with the
 * file, line and column for malformed YAML.
 */
export interface ErrorReport {
  readonly error: {
    readonly type: 'usage' | 'input';
    readonly message: string;
    readonly file?: string;
    readonly line?: number;
    readonly column?: number;
  };
}

/**
 * Usage and input errors are one message on stderr and exit code 2 (with `--format json` also an
 * error object on stdout, with `--format sarif` a log of a failed run, so that a pipeline reading stdout never gets an empty document); anything
 * else is a bug and keeps its stack.
 */
function fail(e: unknown, io: CliIo, format: string | undefined): number {
  if (!(e instanceof UsageError) && !(e instanceof InputError)) {
    throw e;
  }
  const usage = e instanceof UsageError;
  io.stderr(`${COMMAND}: ${e.message}\n${usage ? `\n${USAGE}` : ''}`);
  const file = e instanceof InputError ? e.file : undefined;
  const position = e instanceof InputError ? e.position : undefined;
  if (format === 'json') {
    const place = file !== undefined && position ? { file, line: position.line, column: position.column } : {};
    const report: ErrorReport = { error: { type: usage ? 'usage' : 'input', message: e.message, ...place } };
    io.stdout(JSON.stringify(report, undefined, 2) + '\n');
  } else if (format === 'sarif') {
    io.stdout(formatSarifError(e.message, file, position));
  }
  return EXIT_USAGE;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2), {
    stdout: text => process.stdout.write(text),
    stderr: text => process.stderr.write(text),
  });
}
