/**
 * Telemetry resources (telemetry/providers.go, selector.go, default_selector.go). The library turns on
 * access logs with them, the record of what left the mesh:
 * - IST0157 InvalidTelemetryProvider: an access-logging entry without providers that is not disabled.
 *   With the default mesh config (no defaultProviders.accessLogging) it logs nothing. There is no mesh
 *   config offline; the default one is assumed, as istioctl analyze assumes it.
 * - IST0160 MultipleTelemetriesWithoutWorkloadSelectors: two Telemetries without selector in a namespace.
 * - IST0159 ConflictingTelemetryWorkloadSelectors: two Telemetries selecting the same pod.
 * - IST0101 selector: a selector matching no pod of its namespace (said only where its pods are known).
 */
import { IndexedObject, ObjectIndex, Workload, namespaceOf, selectorString, selects } from './model';
import { ObjectFinding, objectFinding } from './object-finding';
import { asArray, isRecord, show } from '../rules/finding';

export function checkTelemetry(index: ObjectIndex, gatewayPods: Array<Record<string, string>> = []): ObjectFinding[] {
  const telemetries = index.of('telemetry');
  if (telemetries.length === 0) {
    return [];
  }
  return [...emptyProviders(telemetries), ...selectors(index, telemetries, gatewayPods)].sort((a, b) => a.index - b.index);
}

function emptyProviders(telemetries: readonly IndexedObject[]): ObjectFinding[] {
  return telemetries.flatMap(t => asArray(t.object.spec?.accessLogging).flatMap((entry, i) => {
    if (!isRecord(entry) || entry.disabled === true || asArray(entry.providers).length > 0) {
      return [];
    }
    return [objectFinding(t.index, 'IST0157', 'warning', `spec.accessLogging[${i}].providers`, entry.providers,
      `The Telemetry ${show(t.object.metadata?.name ?? '')} in namespace "${namespaceOf(t.object)}" with empty providers will be ignored.`,
      'name a provider, e.g. providers: [{ name: envoy }] (the default mesh config sets no default access-log provider)')];
  }));
}

function selectors(index: ObjectIndex, telemetries: readonly IndexedObject[], gatewayPods: Array<Record<string, string>>): ObjectFinding[] {
  const findings: ObjectFinding[] = [];
  const selectorless = new Map<string, IndexedObject[]>();
  const byWorkload = new Map<Workload, IndexedObject[]>();
  for (const t of telemetries) {
    const namespace = namespaceOf(t.object);
    const selector = t.object.spec?.selector;
    if (selector === undefined || selector === null) {
      selectorless.set(namespace, [...(selectorless.get(namespace) ?? []), t]);
      continue;
    }
    const labels = isRecord(selector) && isRecord(selector.matchLabels) ? selector.matchLabels : {};
    const pods = index.workloadsIn(namespace);
    if (Object.keys(labels).length === 0 || pods.length === 0) {
      continue;
    }
    const selected = pods.filter(p => selects(labels, p.labels));
    if (selected.length === 0 && !gatewayPods.some(l => selects(labels, l))) {
      findings.push(objectFinding(t.index, 'IST0101', 'error', 'spec.selector.matchLabels', labels, `Referenced selector not found: "${selectorString(labels)}"`,
        `use the labels of the pods whose access logs you want (none of the known pods of namespace ${namespace} has them)`));
    }
    for (const pod of selected) {
      byWorkload.set(pod, [...(byWorkload.get(pod) ?? []), t]);
    }
  }
  for (const [pod, list] of byWorkload) {
    if (list.length < 2) {
      continue;
    }
    const names = nameList(list);
    for (const t of list) {
      findings.push(objectFinding(t.index, 'IST0159', 'error', 'spec.selector.matchLabels', t.object.spec?.selector?.matchLabels,
        `The Telemetries ${names} in namespace "${pod.namespace}" select the same workload pod "${pod.name}", which can lead to undefined behavior.`,
        'give each workload one Telemetry: make the selectors select different pods, or merge the Telemetries'));
    }
  }
  for (const [namespace, list] of selectorless) {
    if (list.length < 2) {
      continue;
    }
    const names = nameList(list);
    for (const t of list) {
      findings.push(objectFinding(t.index, 'IST0160', 'error', 'spec.selector', undefined,
        `The Telemetries ${names} in namespace "${namespace}" have no workload selector, which can lead to undefined behavior.`,
        'keep one Telemetry without selector per namespace: merge them, or give the others a selector'));
    }
  }
  return findings;
}

function nameList(objects: IndexedObject[]): string {
  return objects.map(o => show(o.object.metadata?.name ?? '')).sort().join(', ');
}
