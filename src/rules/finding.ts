/**
 * The result of checking a manifest: what is wrong, where, and how to fix it.
 *
 * Rules are plain functions over plain manifest objects (no cdk8s here), so the constructs'
 * synth-time validation, the whole-app analysis and the command-line lint share them.
 */
export type Severity = 'error' | 'warning';

export interface Finding {
  /** Our rule id, e.g. `SE2` (the numbering of the rules notes). */
  readonly rule: string;
  /** `error`: Istio or the API server rejects it, or it silently does not work. `warning`: Istio accepts it with a warning. */
  readonly severity: Severity;
  /** Istio analyzer code where one exists (IST0106 for webhook errors, IST0133 for webhook warnings, ...). */
  readonly code?: string;
  /** The offending field as a path into the manifest, e.g. `spec.hosts[0]`. */
  readonly field: string;
  /** The offending value as the manifest holds it. */
  readonly value?: unknown;
  /** What is wrong, in Istio's words where Istio has words for it. */
  readonly message: string;
  /** One line on how to fix it. */
  readonly fix: string;
}

/** The fields of an Istio object that the rules read. Anything may be missing or of the wrong type. */
export interface Manifest {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: {
    readonly name?: string;
    readonly namespace?: string;
    readonly labels?: Record<string, string>;
    readonly annotations?: Record<string, string>;
  };
  readonly spec?: any;
}

/** Collects findings for one object; webhook errors and warnings get Istio's analyzer codes. */
export class FindingCollector {
  public readonly findings: Finding[] = [];

  public error(rule: string, field: string, value: unknown, message: string, fix: string): void {
    this.findings.push({ rule, severity: 'error', code: 'IST0106', field, value, message, fix });
  }

  public warning(rule: string, field: string, value: unknown, message: string, fix: string): void {
    this.findings.push({ rule, severity: 'warning', code: 'IST0133', field, value, message, fix });
  }

  /**
   * One of the library's own findings about the object alone (Istio accepts it, but it does not work
   * as written, or weakens egress control): its code comes from OWN_CODES by rule id.
   */
  public own(rule: string, severity: Severity, field: string, value: unknown, message: string, fix: string): void {
    this.findings.push({ rule, severity, field, value, message, fix });
  }

  /** A finding of `istioctl analyze` (not of the webhook), with its own code. */
  public analyzer(code: string, severity: Severity, field: string, value: unknown, message: string, fix: string): void {
    this.findings.push({ rule: code, severity, code, field, value, message, fix });
  }
}

/** Renders a finding as one line: field, value, message and fix. */
export function formatFinding(finding: Finding): string {
  const value = finding.value === undefined ? '' : ` = ${JSON.stringify(finding.value)}`;
  // Istio's analyzer messages end with a period of their own.
  const message = finding.message.endsWith('.') ? finding.message.slice(0, -1) : finding.message;
  return `${finding.field}${value}: ${message}. Fix: ${finding.fix}`;
}

/** Any value as text for a message, without calling methods a hostile object may have replaced (`toString`). */
export function show(value: unknown): string {
  if (typeof value === 'string') {
    return value;
  }
  try {
    return JSON.stringify(value) ?? 'undefined';
  } catch {
    return Object.prototype.toString.call(value);
  }
}

const GO_ESCAPES: Readonly<Record<string, string>> = {
  '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '"': '\\"', '\\': '\\\\',
};

/**
 * A string as Go's %q (strconv.Quote) writes it in Istio's messages: printable characters as they are, the others
 * escaped (`\a`, `\x1f`, `\u00ad`, `\U000e0001`). A lone surrogate is U+FFFD, as Go's JSON decoder reads it.
 */
export function goQuote(value: string): string {
  // Printable ASCII without quote or backslash, most values: nothing to escape.
  if (/^[\x20\x21\x23-\x5b\x5d-\x7e]*$/.test(value)) {
    return `"${value}"`;
  }
  let quoted = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (GO_ESCAPES[ch] !== undefined) {
      quoted += GO_ESCAPES[ch];
    } else if (code < 0x20 || code === 0x7f) {
      quoted += `\\x${code.toString(16).padStart(2, '0')}`;
    } else if (code >= 0xd800 && code <= 0xdfff) {
      quoted += '\ufffd';
    } else if (ch !== ' ' && /[\p{C}\p{Z}]/u.test(ch)) {
      // unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
      quoted += code < 0x10000 ? `\\u${code.toString(16).padStart(4, '0')}` : `\\U${code.toString(16).padStart(8, '0')}`;
    } else {
      quoted += ch;
    }
  }
  return `${quoted}"`;
}

/**
 * Go's strings.EqualFold against a lower-case ASCII word. Its Unicode simple case folding makes the long s (U+017F)
 * an `s` and the Kelvin sign a `k`; toLowerCase already maps the Kelvin sign, and no other character to ASCII.
 */
export function goEqualFold(value: string, asciiLower: string): boolean {
  return value.replace(/\u017f/g, 's').toLowerCase() === asciiLower;
}

/** The empty list `asArray` gives for anything else: one, frozen (the rules only read what it returns). */
const NO_ITEMS = Object.freeze([]) as unknown as any[];

/**
 * `x` as an array, or an empty one when it is missing or not an array. The empty one is shared and
 * frozen: most fields the rules read are absent, and reading them should not allocate.
 */
export function asArray(x: unknown): any[] {
  return Array.isArray(x) ? x : NO_ITEMS;
}

// `map` and `filter` for lists that the analysis keeps in its model and reads elsewhere.
//
// V8 lays out the array that `list.map()` returns as packed when the caller runs in the interpreter
// and as holey once TurboFan has inlined `map` into it; inlined `filter` gives the elements kind of
// every list it has seen, where the builtin keeps a fresh `[]`'s. Code optimized for one kind is
// thrown away when the other arrives (`--trace-deopt`: "wrong map"), and in a synth that happened
// again and again while the analysis warmed up. Arrays built by `push` onto a fresh `[]` have one
// kind in every tier.

/** `list.map(fn)`, as an array of the same kind whichever tier runs it. */
export function mapList<T, U>(list: readonly T[], fn: (item: T, index: number) => U): U[] {
  const result: U[] = [];
  for (let i = 0; i < list.length; i++) {
    result.push(fn(list[i], i));
  }
  return result;
}

/** `list.filter(keep)`, as an array of the same kind whichever tier runs it. */
export function filterList<T>(list: readonly T[], keep: (item: T) => boolean): T[] {
  const result: T[] = [];
  for (let i = 0; i < list.length; i++) {
    if (keep(list[i])) {
      result.push(list[i]);
    }
  }
  return result;
}

export function isRecord(x: unknown): x is Record<string, any> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** A field's path from its parts: `spec.ports[0].name`. */
export function fieldPath(path: ReadonlyArray<string | number>): string {
  // An empty key would vanish from a dotted path: it is written as [""].
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : part === '' ? '[""]' : i === 0 ? part : `.${part}`)).join('');
}
