import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { Finding, checkObject, formatFinding } from '../rules';
import { isAcknowledged } from './acknowledgements';

/**
 * Findings that Istio only warns about but that make our constructs silently not do what they
 * say: TLS origination that verifies nothing (IST0128/IST0129), and a TCP port of a NONE entry
 * without addresses, which lets traffic to any address on that port out (SE13).
 */
const ESCALATED = ['IST0128', 'IST0129', 'SE13'];

export interface RuleValidationOptions {
  /** Checks that need the construct's own knowledge (each message names the field, value and fix). */
  readonly extra?: () => string[];
  /** Rule ids the construct's configuration answers deliberately (an explicit opt-out); their findings are dropped. */
  readonly acknowledged?: () => string[];
}

const reported = new WeakSet<IConstruct>();

/**
 * Checks the construct's L1 objects with Istio's rules when the app is synthesized (after every
 * mutation and JSON patch). Errors fail the synth with the construct path; warnings are printed once.
 */
export function validateWithIstioRules(construct: IConstruct, objects: () => ApiObject[], options: RuleValidationOptions = {}): void {
  construct.node.addValidation({
    validate: () => {
      const acknowledged = new Set(options.acknowledged?.() ?? []);
      const findings: Array<{ finding: Finding; object: ApiObject }> = [];
      for (const object of objects()) {
        for (const finding of checkObject(object.toJson())) {
          if (!acknowledged.has(finding.rule) && !isAcknowledged(object, finding)) {
            findings.push({ finding, object });
          }
        }
      }
      const describe = (f: { finding: Finding; object: ApiObject }) => `${f.object.kind} ${f.object.name}: ${formatFinding(f.finding)}`;
      const isError = (f: Finding) => f.severity === 'error' || ESCALATED.includes(f.rule);
      if (!reported.has(construct)) {
        reported.add(construct);
        for (const warning of findings.filter(f => !isError(f.finding))) {
          process.stderr.write(`Warning: [${construct.node.path}] ${describe(warning)}\n`);
        }
      }
      return [...findings.filter(f => isError(f.finding)).map(describe), ...(options.extra?.() ?? [])];
    },
  });
}
