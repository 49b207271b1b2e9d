/**
 * Which workloads the Sidecars of a namespace apply to (istioctl analyze's sidecar/selector.go):
 * two Sidecars without workload selector in one namespace (IST0111), two Sidecars selecting the same
 * pod (IST0110), a selector that matches no pod of its namespace (IST0101), and Sidecars that do
 * nothing because their namespace or pods run in ambient mode (IST0167). A Sidecar is how a namespace
 * is locked down to its egress routes, so one that silently does not apply leaves egress open.
 *
 * Pods are the Pods among the objects and the pods that Deployments, StatefulSets and DaemonSets
 * run; where none of a namespace is known, nothing is said about selectors there.
 */
import { IndexedObject, ObjectIndex, Workload, namespaceOf, selectorString, selects } from './model';
import { ObjectFinding, objectFinding } from './object-finding';
import { isRecord, show } from '../rules/finding';

/** The annotation the ambient CNI puts on the pods it redirects, and its value. */
const AMBIENT_REDIRECTION = 'ambient.istio.io/redirection';

export function checkSidecarSelectors(index: ObjectIndex): ObjectFinding[] {
  const findings: ObjectFinding[] = [];
  const selectorless = new Map<string, IndexedObject[]>();
  const byWorkload = new Map<Workload, IndexedObject[]>();
  for (const sidecar of index.sidecars) {
    const namespace = namespaceOf(sidecar.object);
    const labels = workloadLabels(sidecar.object);
    if (!labels) {
      selectorless.set(namespace, [...(selectorless.get(namespace) ?? []), sidecar]);
      continue;
    }
    const pods = index.workloadsIn(namespace);
    if (pods.length === 0) {
      continue;
    }
    const selected = pods.filter(pod => selects(labels, pod.labels));
    if (selected.length === 0) {
      findings.push(objectFinding(sidecar.index, 'IST0101', 'error', 'spec.workloadSelector.labels', labels,
        `Referenced selector not found: "${selectorString(labels)}"`,
        `use the labels of the pods the Sidecar is for (none of the known pods of namespace ${namespace} has them)`));
    }
    for (const pod of selected) {
      byWorkload.set(pod, [...(byWorkload.get(pod) ?? []), sidecar]);
    }
  }
  const ineffective = new Set<IndexedObject>();
  for (const [pod, sidecars] of byWorkload) {
    const ambient = pod.annotations[AMBIENT_REDIRECTION] === 'enabled';
    if (sidecars.length === 1 && !ambient) {
      continue;
    }
    const names = nameList(sidecars);
    for (const sidecar of sidecars) {
      if (ambient) {
        if (!ineffective.has(sidecar)) {
          ineffective.add(sidecar);
          findings.push(noImpact(sidecar, 'spec.workloadSelector', 'selected workload is in ambient mode, the policy has no impact'));
        }
        continue;
      }
      findings.push(objectFinding(sidecar.index, 'IST0110', 'error', 'spec.workloadSelector.labels', workloadLabels(sidecar.object),
        `The Sidecars ${names} in namespace "${pod.namespace}" select the same workload pod "${pod.name}", which can lead to undefined behavior.`,
        'give each workload one Sidecar: make the selectors select different pods, or merge the Sidecars'));
    }
  }
  for (const [namespace, sidecars] of selectorless) {
    if (namespaceInAmbientMode(index, namespace)) {
      for (const sidecar of sidecars.filter(s => !ineffective.has(s))) {
        ineffective.add(sidecar);
        findings.push(noImpact(sidecar, 'metadata.namespace', 'namespace is in ambient mode, the policy has no impact'));
      }
      continue;
    }
    if (sidecars.length > 1) {
      const names = nameList(sidecars);
      for (const sidecar of sidecars) {
        findings.push(objectFinding(sidecar.index, 'IST0111', 'error', 'spec.workloadSelector', undefined,
          `The Sidecars ${names} in namespace "${namespace}" have no workload selector, which can lead to undefined behavior.`,
          'keep one Sidecar without selector per namespace; give the others a workloadSelector'));
      }
    }
  }
  return findings.sort((a, b) => a.index - b.index);
}

/** The Sidecar's workload selector labels, or undefined when it has none (no selector, or no labels). */
function workloadLabels(sidecar: IndexedObject['object']): Record<string, unknown> | undefined {
  const selector = sidecar.spec?.workloadSelector;
  const labels = isRecord(selector) && isRecord(selector.labels) ? selector.labels : undefined;
  return labels && Object.keys(labels).length > 0 ? labels : undefined;
}

function nameList(objects: IndexedObject[]): string {
  return objects.map(o => show(o.object.metadata?.name ?? '')).sort().join(', ');
}

function noImpact(sidecar: IndexedObject, field: string, reason: string): ObjectFinding {
  return objectFinding(sidecar.index, 'IST0167', 'warning', field, field === 'metadata.namespace' ? namespaceOf(sidecar.object) : undefined,
    `The policy has no impact: ${reason}.`,
    'ambient workloads have no sidecar: limit their egress with a waypoint or AuthorizationPolicy instead, or run them with sidecars');
}

/**
 * A namespace labelled for ambient mode (istio.io/dataplane-mode: ambient) and not for sidecar
 * injection (istio-injection: enabled, or a revision label), when its Namespace is among the objects.
 */
export function namespaceInAmbientMode(index: ObjectIndex, namespace: string): boolean {
  const entry = index.namespaceObject(namespace);
  const labels = entry && isRecord(entry.object.metadata?.labels) ? entry.object.metadata!.labels! : undefined;
  if (!labels) {
    return false;
  }
  const revision = labels['istio.io/rev'];
  if (labels['istio-injection'] === 'enabled' || (typeof revision === 'string' && revision !== '')) {
    return false;
  }
  return labels['istio.io/dataplane-mode'] === 'ambient';
}
