import { IConstruct } from 'constructs';
import { Finding } from '../rules/finding';

const acknowledged = new WeakMap<IConstruct, Map<string, string>>();

/**
 * Findings that can be acknowledged: warnings (Istio accepts the object), and references to
 * objects that live outside the app (IST0101), which the analysis cannot see.
 */
function acknowledgeable(finding: Finding): boolean {
  return finding.severity === 'warning' || finding.code === 'IST0101';
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
