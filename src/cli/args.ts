/** Command-line arguments: `<command> <paths...> [--format F]`, and the usage text. */

export const USAGE = `Usage: cdk8s-istio-egress <command> <files or dirs...> [options]

Commands:
  lint <files or dirs...>     Check Istio egress objects against Istio's rules (webhook and istioctl analyze)
  explain <files or dirs...>  Show the path each external host's traffic takes: clients, sidecar, gateway, host
  diff <before> <after>       The egress change between two sets of manifests (each a file, a directory or -):
                              which client namespace gains or loses which host:port, by which path (direct,
                              gateway, waypoint), with which TLS and authorization, and lockdowns added or removed

Options:
  --cluster <path>   lint: objects that exist in the cluster (files or dirs, may repeat): they resolve
                     references (Services, ServiceEntries, Gateways, ...) but are not checked themselves,
                     as istioctl analyze does with a live cluster
  --format <format>  lint: text (default), json or sarif (SARIF 2.1.0, for code scanning)
                     explain: text, mermaid or json (default: text followed by a mermaid block)
                     diff: text (default), json or markdown (for a pull-request comment)
  --fail-on <level>  the least severity that makes the exit code 1: error (default), warning, or none
                     (lint: its findings; explain: the problems it lists on the paths)
  -h, --help         Show this help
  --version          Show the version

Directories are read recursively (.yaml and .yml files; node_modules and hidden directories are skipped);
- reads standard input (its objects are named <stdin>). All objects are checked together, so references
across files are resolved. Findings point at the line and column of their field.

Exit codes: 0 no errors (warnings allowed), 1 errors found (lint: among the findings; explain: among the
problems listed on the paths; see --fail-on; diff: egress widens: a client gains a host:port, a path no longer
goes through a gateway or waypoint, weaker TLS or authorization, a lockdown removed), 2 usage error or unreadable input.
With --format json, a usage or input error is also written to stdout as {"error": {"type", "message", ...}};
with --format sarif, as a SARIF log whose invocation failed (executionSuccessful false, the error as a notification).
`;

const FORMATS: Record<string, string[]> = {
  lint: ['text', 'json', 'sarif'],
  explain: ['text', 'mermaid', 'json'],
  diff: ['text', 'json', 'markdown'],
};

export interface ParsedArgs {
  readonly help: boolean;
  readonly version: boolean;
  readonly command?: string;
  readonly paths: string[];
  readonly format?: string;
  /** lint: files or directories of objects that exist in the cluster and are only read. */
  readonly cluster: string[];
  /** The least severity that makes the exit code 1: `error` (default), `warning`, or `none` (always 0). */
  readonly failOn?: FailOn;
}

export type FailOn = 'error' | 'warning' | 'none';
const FAIL_ON: readonly string[] = ['error', 'warning', 'none'];

/** Wrong arguments: the message is printed with the usage text, exit code 2. */
export class UsageError extends Error {}

/**
 * The format asked for, read from the raw arguments: wrong arguments are reported in it too, and
 * they may be what keeps the arguments from being parsed.
 */
export function requestedFormat(argv: string[]): string | undefined {
  let format: string | undefined;
  argv.forEach((arg, i) => {
    if (arg === '--format') {
      format = argv[i + 1];
    } else if (arg.startsWith('--format=')) {
      format = arg.slice('--format='.length);
    }
  });
  return format;
}

export function parseArgs(argv: string[]): ParsedArgs {
  if (argv.includes('-h') || argv.includes('--help')) {
    return { help: true, version: false, paths: [], cluster: [] };
  }
  if (argv.includes('--version')) {
    return { help: false, version: true, paths: [], cluster: [] };
  }
  const positional: string[] = [];
  let format: string | undefined;
  let failOn: FailOn | undefined;
  const cluster: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--cluster' || arg.startsWith('--cluster=')) {
      const value = arg === '--cluster' ? argv[++i] : arg.slice('--cluster='.length);
      if (!value) {
        throw new UsageError('--cluster needs a file or directory');
      }
      cluster.push(value);
    } else if (arg === '--fail-on' || arg.startsWith('--fail-on=')) {
      const value = arg === '--fail-on' ? argv[++i] : arg.slice('--fail-on='.length);
      if (!value || !FAIL_ON.includes(value)) {
        throw new UsageError(`--fail-on must be one of ${FAIL_ON.join(', ')}${value ? `, not ${value}` : ''}`);
      }
      failOn = value as FailOn;
    } else if (arg === '--format' || arg.startsWith('--format=')) {
      format = arg === '--format' ? argv[++i] : arg.slice('--format='.length);
      if (!format) {
        throw new UsageError('--format needs a value');
      }
    } else if (arg.startsWith('-') && arg !== '-') {
      throw new UsageError(`unknown option ${arg}`);
    } else {
      positional.push(arg);
    }
  }
  const [command, ...paths] = positional;
  return validate({ help: false, version: false, command, paths, format, cluster, failOn });
}

function validate(args: ParsedArgs): ParsedArgs {
  if (!args.command) {
    throw new UsageError('no command given');
  }
  const formats = FORMATS[args.command];
  if (!formats) {
    throw new UsageError(`unknown command ${args.command}`);
  }
  if (args.command === 'diff' && args.paths.length !== 2) {
    throw new UsageError('diff needs two files or directories: <before> <after>');
  }
  if (args.command === 'diff' && args.paths.every(p => p === '-')) {
    throw new UsageError('diff can read only one side from standard input');
  }
  if (args.command === 'diff' && args.failOn !== undefined) {
    throw new UsageError('--fail-on is an option of lint and explain (diff exits 1 when egress widens)');
  }
  if (args.paths.length === 0) {
    throw new UsageError(`${args.command} needs at least one file or directory`);
  }
  if (args.cluster.length > 0 && args.command !== 'lint') {
    throw new UsageError('--cluster is an option of lint');
  }
  if (args.format !== undefined && !formats.includes(args.format)) {
    throw new UsageError(`${args.command} --format must be one of ${formats.join(', ')}, not ${args.format}`);
  }
  return args;
}
