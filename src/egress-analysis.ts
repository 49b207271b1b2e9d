import { IConstruct } from 'constructs';
import { acknowledge } from './synth/acknowledgements';

/**
 * The whole-app egress analysis that runs at synth: every Istio object of the app is checked with
 * Istio's own rules and against the others (missing gateways, subsets and hosts, hosts not exported
 * where they are used, gateways bypassed, conflicting gateways and routes, locked-down namespaces
 * routing to hosts they do not import, ...), whether this library's constructs made it or not.
 */
export class EgressAnalysis {
  /**
   * Accepts the findings with `code` (an Istio analyzer code such as `IST0128`, or a rule id such as
   * `SE4`) for the objects below `scope`. Only warnings can be acknowledged, and IST0101 references
   * to objects that live outside the app (for example a Gateway installed by another tool).
   *
   * @param scope the construct (and everything below it) the acknowledgement covers
   * @param code the analyzer code or rule id
   * @param reason why it is fine: kept for reviewers
   */
  public static acknowledge(scope: IConstruct, code: string, reason: string): void {
    acknowledge(scope, code, reason);
  }

  private constructor() {}
}
