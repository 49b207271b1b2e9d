/**
 * AuthorizationPolicies against the workloads and namespaces they name
 * (authz/authorizationpolicies.go):
 * - IST0127 NoMatchingWorkloadsFound: a policy that applies to no in-mesh pod, so it allows or
 *   denies nothing (an egress gateway allow-list whose selector misses the gateway pods protects
 *   nothing). Policies in the root namespace (istio-system, the default mesh config's) apply to
 *   matching pods of every namespace. Said only where the pods of the policy's namespace are known;
 *   a pod counts as in the mesh unless the objects show it is not (no istio-proxy container, and
 *   injection turned off by its `sidecar.istio.io/inject` label or annotation, or its Namespace is
 *   among the objects without injection labels), so a pod the analyzer would not count never
 *   causes a report that a cluster would not give.
 * - IST0101 namespace: `from.source.namespaces`/`notNamespaces` names a namespace that does not
 *   exist. Said only when the cluster's Namespaces were given (cluster objects): a Namespace missing
 *   from the files alone may well exist.
 */
import { IndexedObject, ObjectIndex, Workload, namespaceOf, selectorString, selects } from './model';
import { ObjectFinding, objectFinding } from './object-finding';
import { asArray, isRecord } from '../rules/finding';

/** MeshConfig.rootNamespace when the mesh config does not set it. */
const ROOT_NAMESPACE = 'istio-system';

export function checkAuthorizationPolicies(index: ObjectIndex, gatewayPods: Array<Record<string, string>> = []): ObjectFinding[] {
  const policies = index.of('authorizationPolicy');
  if (policies.length === 0) {
    return [];
  }
  return [...policies.flatMap(p => noMatchingWorkloads(index, p, gatewayPods)), ...unknownNamespaces(index, policies)];
}

function noMatchingWorkloads(index: ObjectIndex, policy: IndexedObject, gatewayPods: Array<Record<string, string>>): ObjectFinding[] {
  const spec = policy.object.spec;
  if (isRecord(spec) && (spec.targetRef !== undefined || spec.targetRefs !== undefined)) {
    return [];
  }
  const namespace = namespaceOf(policy.object);
  const local = index.workloadsIn(namespace);
  if (local.length === 0) {
    return [];
  }
  const selector = isRecord(spec) && isRecord(spec.selector) ? (isRecord(spec.selector.matchLabels) ? spec.selector.matchLabels : {}) : undefined;
  const inMesh = (w: Workload) => mayBeInMesh(index, w);
  if (selector === undefined) {
    if (namespace === ROOT_NAMESPACE || local.some(inMesh)) {
      return [];
    }
    return [noMatch(policy, 'spec', '')];
  }
  const candidates = namespace === ROOT_NAMESPACE ? index.workloads() : local;
  if (candidates.some(w => inMesh(w) && selects(selector, w.labels)) || gatewayPods.some(l => selects(selector, l))) {
    return [];
  }
  return [noMatch(policy, 'spec.selector.matchLabels', selectorString(selector))];
}

function noMatch(policy: IndexedObject, field: string, labels: string): ObjectFinding {
  return objectFinding(policy.index, 'IST0127', 'warning', field, labels || undefined,
    `No matching workloads for this resource with the following labels: ${labels}`,
    labels === '' ? 'the namespace has no pod in the mesh: put the policy where the pods it protects run'
      : 'select the labels of the pods to protect (for an egress gateway: the gateway pods\' labels, e.g. istio: egressgateway, in the gateway\'s namespace)');
}

/**
 * Whether the pod may run with a sidecar (or in ambient mode). Not when the objects show otherwise:
 * no istio-proxy container and injection turned off on the pod, or a known Namespace without any
 * injection or ambient label.
 */
function mayBeInMesh(index: ObjectIndex, w: Workload): boolean {
  if (w.hasProxy || w.annotations['ambient.istio.io/redirection'] === 'enabled') {
    return true;
  }
  const inject = w.labels['sidecar.istio.io/inject'] ?? w.annotations['sidecar.istio.io/inject'];
  if (inject !== undefined) {
    return inject === 'true';
  }
  if (w.labels['istio.io/rev'] !== undefined || w.labels['istio.io/dataplane-mode'] === 'ambient') {
    return true;
  }
  const ns = index.namespaceObject(w.namespace);
  if (!ns) {
    return true;
  }
  const labels = isRecord(ns.object.metadata?.labels) ? ns.object.metadata!.labels! : {};
  return labels['istio-injection'] === 'enabled' || labels['istio.io/rev'] !== undefined || labels['istio.io/dataplane-mode'] === 'ambient';
}

function unknownNamespaces(index: ObjectIndex, policies: readonly IndexedObject[]): ObjectFinding[] {
  const namespaces = index.of('namespace');
  if (!namespaces.some(n => index.isClusterOnly(n.index))) {
    return [];
  }
  const names = namespaces.map(n => n.object.metadata?.name).filter((n): n is string => typeof n === 'string');
  const findings: ObjectFinding[] = [];
  for (const policy of policies) {
    asArray(policy.object.spec?.rules).forEach((rule, r) => {
      asArray(isRecord(rule) ? rule.from : undefined).forEach((from, f) => {
        const source = isRecord(from) && isRecord(from.source) ? from.source : undefined;
        for (const key of ['namespaces', 'notNamespaces']) {
          asArray(source?.[key]).forEach((expression, n) => {
            if (typeof expression === 'string' && !names.some(name => namespaceMatches(name, expression))) {
              findings.push(objectFinding(policy.index, 'IST0101', 'error', `spec.rules[${r}].from[${f}].source.${key}[${n}]`, expression,
                `Referenced namespace not found: "${expression}"`,
                'name a namespace that exists (the cluster\'s namespaces were given), or create it'));
            }
          });
        }
      });
    });
  }
  return findings;
}

/** authz's namespaceMatch: `*`, a `*suffix`, a `prefix*`, or the name (case-insensitively). */
function namespaceMatches(name: string, expression: string): boolean {
  if (expression === '*') {
    return true;
  }
  if (expression.startsWith('*')) {
    return name.endsWith(expression.slice(1));
  }
  if (expression.endsWith('*')) {
    return name.startsWith(expression.slice(0, -1));
  }
  return name.toLowerCase() === expression.toLowerCase();
}
