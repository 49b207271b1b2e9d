/** Timing and child-process helpers shared by the benchmark's driver and workers. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { resourceUsage } from 'node:process';

/** The repository root: commands run there whatever the caller's directory (cdk8s.yaml, examples/, lib/). */
export const PROJECT_ROOT = join(__dirname, '..', '..');

export interface RunOptions {
  /** Measured runs after the warm-up. */
  readonly runs: number;
  /** Stop early (after at least one run) once the measured runs took this long: keeps N = 10,000 within budget. */
  readonly budgetMs?: number;
  /** The warm-up, not measured: fills the JIT and tsx's transpile cache so that the runs compare steady states. */
  readonly warmUp?: () => void;
}

export function elapsedMs(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function timed(fn: () => void): number {
  const start = process.hrtime.bigint();
  fn();
  return elapsedMs(start);
}

/** One run in a fresh heap (the --memory run: workers run with --expose-gc). */
export function timeOnce(fn: () => void): number {
  (globalThis as { gc?: () => void }).gc?.();
  return timed(fn);
}

/**
 * Runs `fn` after one warm-up and returns each run's time in ms. No `gc()` between the runs: a full collection
 * while nothing of the last run is alive frees the hidden classes that V8 optimized its code for, and V8 then
 * throws that code away (`--trace-deopt`: some 70 functions per run, "weak objects"), so each run would start
 * half cold instead of in the steady state the warm-up is for. Each run pays instead, as a synth in a loop does,
 * for collecting what the run before it left.
 */
export function timeRuns(fn: () => void, options: RunOptions): number[] {
  (options.warmUp ?? fn)();
  const times: number[] = [];
  while (times.length < options.runs) {
    times.push(timed(fn));
    if (options.budgetMs !== undefined && times.reduce((a, b) => a + b, 0) > options.budgetMs) {
      break;
    }
  }
  return times;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Peak resident set size of this process so far, in MiB (maxRSS is in KiB). */
export function peakRssMb(): number {
  return resourceUsage().maxRSS / 1024;
}

/** Runs a command to completion and returns its stdout; a failure stops the benchmark with the child's stderr. */
export function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): string {
  const options = { cwd: PROJECT_ROOT, encoding: 'utf8' as const, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 };
  const result = spawnSync(command, args, options);
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.status ?? result.signal}):\n${result.stderr}`);
  }
  return result.stdout;
}

/** Spawns `node --import tsx scripts/bench/<worker>.ts <args>` (a fresh process) and parses the JSON it prints last. */
export function runWorker<T>(worker: string, args: string[], nodeArgs: string[] = []): T {
  const stdout = run(process.execPath, ['--expose-gc', ...nodeArgs, '--import', 'tsx', `scripts/bench/${worker}.ts`, ...args]);
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as T;
}

/** Wall time of a whole command (process start to exit), as a user sees it. */
export function wallMs(command: string, args: string[], env: NodeJS.ProcessEnv = {}): number {
  const start = process.hrtime.bigint();
  run(command, args, env);
  return elapsedMs(start);
}
