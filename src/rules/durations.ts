/**
 * Go durations, as Istio reads them: the proto decoder and CEL's `duration()` use Go's
 * time.ParseDuration, and agent.ValidateDuration wants at least 1ms in whole milliseconds.
 * One parser for every kind; each check returns Istio's message, or undefined when the value is fine.
 */
import { show } from './finding';

const DURATION_UNITS = new Map<string, number>([['ns', 1], ['us', 1e3], ['µs', 1e3], ['μs', 1e3], ['ms', 1e6], ['s', 1e9], ['m', 60e9], ['h', 3600e9]]);
const DURATION_PART = /(\d*)(?:\.(\d*))?(ns|us|µs|μs|ms|s|m|h)/y;
const MAX_NANOS = 2 ** 63 - 1;

/** A Go duration in nanoseconds, or undefined when time.ParseDuration refuses it (or it is no string). */
export function parseGoDuration(value: unknown): number | undefined {
  if (typeof value !== 'string') {
    return undefined;
  }
  let rest = value;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest.startsWith('-') ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '0') {
    return 0;
  }
  if (rest === '') {
    return undefined;
  }
  let total = 0;
  DURATION_PART.lastIndex = 0;
  while (DURATION_PART.lastIndex < rest.length) {
    const m = DURATION_PART.exec(rest);
    if (!m || (m[1] === '' && (m[2] ?? '') === '')) {
      return undefined;
    }
    const unit = DURATION_UNITS.get(m[3])!;
    const fraction = m[2] ?? '';
    total += Number(m[1] || '0') * unit + Math.trunc(Number(fraction || '0') * (unit / 10 ** fraction.length));
  }
  return total > MAX_NANOS ? undefined : sign * total;
}

/** Why time.ParseDuration refuses a string, in its words. */
export function durationSyntaxProblem(value: string): string {
  const quoted = JSON.stringify(value);
  const unsigned = value.startsWith('-') || value.startsWith('+') ? value.slice(1) : value;
  for (const [, number, unit] of unsigned.matchAll(/(\d*\.?\d*)([^\d.]*)/g)) {
    if (number === '' && unit === '') {
      continue;
    }
    if (!/\d/.test(number)) {
      break;
    }
    if (unit === '') {
      return `time: missing unit in duration ${quoted}`;
    }
    if (!DURATION_UNITS.has(unit)) {
      return `time: unknown unit ${JSON.stringify(unit)} in duration ${quoted}`;
    }
  }
  return `time: invalid duration ${quoted}`;
}

export interface DurationCheck {
  /**
   * The field also has the CRD's CEL rule (at least 1ms), which the API server applies before the
   * webhook: a duration under 1ms then gets the CEL rule's message.
   * @default true
   */
  readonly celRule?: boolean;
  /** Under 1ms is allowed (Istio skips the check, e.g. a TCP idle timeout of 0s turns it off). */
  readonly zeroAllowed?: boolean;
}

/** agent.ValidateDuration: a Go duration of at least 1ms in whole milliseconds. */
export function durationProblem(value: unknown, check: DurationCheck = {}): string | undefined {
  const ns = parseGoDuration(value);
  if (ns === undefined) {
    return durationSyntaxProblem(show(value));
  }
  if (ns < 1e6) {
    return check.zeroAllowed ? undefined : check.celRule === false ? 'duration must be greater than 1ms' : 'must be a valid duration greater than 1ms';
  }
  return ns % 1e6 === 0 ? undefined : 'only durations to ms precision are supported';
}

/** A duration only the CRD's CEL rule checks: at least 1ms, any precision. */
export function celDurationProblem(value: unknown): string | undefined {
  const ns = parseGoDuration(value);
  if (ns === undefined) {
    return durationSyntaxProblem(show(value));
  }
  return ns < 1e6 ? 'must be a valid duration greater than 1ms' : undefined;
}
