/**
 * IST0144 InvalidApplicationUID (deployment/pod.go): a Pod or Deployment whose pod, or one of whose
 * containers other than istio-proxy, runs as UID 1337. The sidecar's iptables rules do not redirect
 * traffic of that user, so the application's egress goes straight out, past every egress rule.
 * Objects of the control plane (an `istio` label, or `release: istio`) are skipped, as the analyzer
 * skips them; as there, only Pods and Deployments are read.
 */
import { ObjectIndex } from './model';
import { ObjectFinding, objectFinding } from './object-finding';
import { asArray, isRecord } from '../rules/finding';

const PROXY_UID = 1337;

export function checkApplicationUids(index: ObjectIndex): ObjectFinding[] {
  const findings: ObjectFinding[] = [];
  for (const kind of ['pod', 'deployment'] as const) {
    for (const { index: i, object } of index.of(kind)) {
      const labels = isRecord(object.metadata?.labels) ? object.metadata!.labels! : {};
      if (Object.hasOwn(labels, 'istio') || labels.release === 'istio') {
        continue;
      }
      const prefix = kind === 'pod' ? 'spec' : 'spec.template.spec';
      const spec = kind === 'pod' ? object.spec : object.spec?.template?.spec;
      if (!isRecord(spec)) {
        continue;
      }
      const report = (field: string) => findings.push(objectFinding(i, 'IST0144', 'warning', field, PROXY_UID,
        'User ID (UID) 1337 is reserved for the sidecar proxy.',
        'run the application as another user: traffic of UID 1337 bypasses the sidecar, and with it every egress rule'));
      if (isRecord(spec.securityContext) && spec.securityContext.runAsUser === PROXY_UID) {
        report(`${prefix}.securityContext.runAsUser`);
      }
      asArray(spec.containers).forEach((c, n) => {
        if (isRecord(c) && c.name !== 'istio-proxy' && c.name !== 'istio-operator' && isRecord(c.securityContext) && c.securityContext.runAsUser === PROXY_UID) {
          report(`${prefix}.containers[${n}].securityContext.runAsUser`);
        }
      });
    }
  }
  return findings;
}
