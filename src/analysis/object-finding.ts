import { Finding, Severity } from '../rules/finding';

/** A finding about `objects[index]` of a checked set. */
export interface ObjectFinding extends Finding {
  readonly index: number;
}

/** A cross-object finding; Istio analyzer codes (IST...) are kept as the code, our own ids only as the rule. */
export function objectFinding(
  index: number, rule: string, severity: Severity, field: string, value: unknown, message: string, fix: string,
): ObjectFinding {
  return { index, rule, code: rule.startsWith('IST') ? rule : undefined, severity, field, value, message, fix };
}
