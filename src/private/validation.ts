import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { Finding, checkObject, formatFinding } from '../rules';

const reported = new WeakSet<IConstruct>();

/**
 * Checks the construct's L1 objects with Istio's rules when the app is synthesized (after every
 * mutation and JSON patch). Errors fail the synth with the construct path; warnings are printed once.
 * `extra` adds checks that need the construct's own knowledge.
 */
export function validateWithIstioRules(construct: IConstruct, objects: () => ApiObject[], extra: () => string[] = () => []): void {
  construct.node.addValidation({
    validate: () => {
      const findings: Array<Finding & { object: ApiObject }> = [];
      for (const object of objects()) {
        for (const finding of checkObject(object.toJson())) {
          findings.push({ ...finding, object });
        }
      }
      const describe = (f: Finding & { object: ApiObject }) => `${f.object.kind} ${f.object.name}: ${formatFinding(f)}`;
      if (!reported.has(construct)) {
        reported.add(construct);
        for (const warning of findings.filter(f => f.severity === 'warning')) {
          process.stderr.write(`Warning: [${construct.node.path}] ${describe(warning)}\n`);
        }
      }
      return [...findings.filter(f => f.severity === 'error').map(describe), ...extra()];
    },
  });
}
