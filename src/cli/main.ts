#!/usr/bin/env node
/**
 * The `cdk8s-istio-egress` command: `lint` checks manifests against Istio's rules, `explain` shows the
 * path each external host's traffic takes. `main` does the work and returns the exit code, so that
 * tests run it in-process; only the last lines touch the process.
 */
import { ParsedArgs, USAGE, UsageError, parseArgs } from './args';
import { explain, formatExplain } from './explain';
import { InputError, loadInput } from './input';
import { formatLintJson, formatLintText, lint } from './lint';

/** Where the command writes; each call writes its text as is. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
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
    return run(args, io);
  } catch (e) {
    return fail(e, io);
  }
}

function run(args: ParsedArgs, io: CliIo): number {
  const input = loadInput(args.paths);
  if (args.command === 'explain') {
    io.stdout(formatExplain(explain(input), args.format));
    return EXIT_OK;
  }
  const result = lint(input, args.cluster.length > 0 ? loadInput(args.cluster) : undefined);
  io.stdout(args.format === 'json' ? formatLintJson(result) : formatLintText(result));
  return result.summary.errors > 0 ? EXIT_ERRORS : EXIT_OK;
}

/** Usage and input errors are one message and exit code 2; anything else is a bug and keeps its stack. */
function fail(e: unknown, io: CliIo): number {
  if (e instanceof UsageError) {
    io.stderr(`cdk8s-istio-egress: ${e.message}\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  if (e instanceof InputError) {
    io.stderr(`cdk8s-istio-egress: ${e.message}\n`);
    return EXIT_USAGE;
  }
  throw e;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2), {
    stdout: text => process.stdout.write(text),
    stderr: text => process.stderr.write(text),
  });
}
