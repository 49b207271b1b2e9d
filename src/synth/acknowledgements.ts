import { IConstruct } from 'constructs';
import { OWN_CODES, basisOf, codeOf } from '../rules/codes';
import { Finding } from '../rules/finding';

const acknowledged = new WeakMap<IConstruct, Map<string, string>>();

/**
 * Findings that can be acknowledged: warnings (Istio accepts the object), references to objects
 * that live outside the app (IST0101), which the analysis cannot see, and the library's own
 * judgements (EGR1xx: does not work as written; EGR2xx: weakens egress control).
 */
export function acknowledgeable(finding: Finding): boolean {
  const basis = basisOf(finding);
  return finding.severity === 'warning' || codeOf(finding) === 'IST0101' || basis === 'ineffective' || basis === 'weakens';
}

/** The call that acknowledges a finding at `path`, for messages. */
export function acknowledgeHint(path: string, finding: Finding): string {
  // IST0106/IST0133 cover every webhook rule: acknowledge the one rule instead.
  const code = codeOf(finding);
  const id = code === 'IST0106' || code === 'IST0133' ? finding.rule : code;
  return `EgressAnalysis.acknowledge(<the construct at ${path}>, '${id}', '<why it is right>')`;
}

export function acknowledge(scope: IConstruct, code: string, reason: string): void {
  const codes = acknowledged.get(scope) ?? new Map<string, string>();
  codes.set(code, reason);
  acknowledged.set(scope, codes);
}

/** Whether `finding` about an object of `construct` was acknowledged on the construct or one of its scopes. */
export function isAcknowledged(construct: IConstruct, finding: Finding): boolean {
  if (!acknowledgeable(finding)) {
    return false;
  }
  return construct.node.scopes.some(scope => {
    const codes = acknowledged.get(scope);
    return codes !== undefined && (codes.has(finding.rule) || (finding.code !== undefined && codes.has(finding.code)));
  });
}

/**
 * Whether the library's own rule (an OWN_CODES key) was acknowledged on `construct` or one of its scopes: for a
 * construct's check of its props that reports the rule's code in the props' terms.
 */
export function isRuleAcknowledged(construct: IConstruct, rule: string): boolean {
  return isAcknowledged(construct, { rule, code: OWN_CODES[rule], severity: 'error', field: '', message: '', fix: '' });
}
