import { codeOf } from '../rules/codes';
import { Finding, Severity } from '../rules/finding';

/** A finding about `objects[index]` of a checked set. */
export interface ObjectFinding extends Finding {
  readonly index: number;
}

/** A cross-object finding; `rule` is an Istio analyzer code (IST...) or one of the library's rule ids (src/rules/codes.ts). */
export function objectFinding(
  index: number, rule: string, severity: Severity, field: string, value: unknown, message: string, fix: string,
): ObjectFinding {
  return { index, rule, code: codeOf({ rule, severity, field, message, fix }), severity, field, value, message, fix };
}
