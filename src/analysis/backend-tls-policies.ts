/**
 * BackendTLSPolicies beside DestinationRules. Istio 1.30 turns a BackendTLSPolicy into a DestinationRule
 * for each host of its target, in the policy's namespace, without exportTo, workloadSelector or creation
 * time, with port-level TLS for a targetRef's `sectionName` (the ServiceEntry's port of that name) and
 * top-level TLS without one (pilot/pkg/config/kube/gateway/backend_policies.go BackendTLSPolicyCollection,
 * DestinationRuleCollection). That rule meets the users' DestinationRules like any other
 * (pilot/pkg/model/push_context.go destinationRule, setDestinationRules; destination_rule.go
 * mergeDestinationRule; sidecar.go DestinationRule): a proxy takes the rules of its own namespace first
 * (any rule for the host there hides the policy's from it), and in one namespace the first rule's
 * traffic policy wins (the policy's, having no creation time, before Istio 1.31; the DestinationRule's
 * fields from 1.31). So a DestinationRule with client TLS for the host and port of a policy, or any
 * rule for the host in another namespace, or before 1.31 a traffic policy beside the policy, is not
 * applied as written, or keeps the policy from being applied.
 */
import { ByName, ISTIO_NETWORKING_GROUP, nameOf } from './gateway-api-common';
import { CLUSTER_DOMAIN, IndexedObject, ObjectIndex, isVisibleIn, namespaceOf, qualifyHost } from './model';
import { ObjectFinding, objectFinding } from './object-finding';
import { asArray, isRecord } from '../rules/finding';

/** The annotation that makes Istio ignore a policy (backend_policies.go IgnorePolicyAttachment). */
const IGNORE_POLICY = 'istio.io/ignore-policy-attachment';

/** The hosts and the port (undefined: every port) a targetRef gives TLS to, as Istio resolves it. */
interface Coverage {
  readonly hosts: string[];
  readonly port?: number;
  /** The targeted ServiceEntry: proxies of a namespace it is not exported to do not reach its host through it. */
  readonly entry?: IndexedObject;
}

export function checkBackendTlsPolicyOverlaps(index: ObjectIndex): ObjectFinding[] {
  const policies = index.of('backendTlsPolicy');
  if (policies.length === 0 || index.destinationRules.length === 0) {
    return [];
  }
  const rules = index.destinationRules.flatMap(rule => {
    const host = rule.object.spec?.host;
    return typeof host === 'string' ? [{ rule, host: qualifyHost(host, namespaceOf(rule.object)) }] : [];
  });
  const entries = new ByName(index.serviceEntries);
  const findings: ObjectFinding[] = [];
  for (const policy of policies) {
    const annotations = isRecord(policy.object.metadata?.annotations) ? policy.object.metadata!.annotations! : {};
    if (String(annotations[IGNORE_POLICY] ?? '').toLowerCase() === 'true') {
      continue;
    }
    const namespace = namespaceOf(policy.object);
    asArray(policy.object.spec?.targetRefs).forEach((ref, i) => {
      const coverage = isRecord(ref) ? coverageOf(ref, namespace, entries) : undefined;
      if (!coverage) {
        return;
      }
      const field = `spec.targetRefs[${i}]`;
      for (const host of coverage.hosts) {
        for (const { rule, host: ruleHost } of rules) {
          const finding = namespaceOf(rule.object) === namespace
            ? ruleHost === host && sameNamespaceFinding(policy, field, ref.name, rule, host, coverage.port)
            : hostMatches(ruleHost, host) && seenAtHome(rule.object) && reaches(coverage, namespaceOf(rule.object))
              && otherNamespaceFinding(policy, field, ref.name, rule, host);
          if (finding) {
            findings.push(finding);
          }
        }
      }
    });
  }
  return findings;
}

/** Whether proxies of `namespace` reach the covered hosts through the target (a ServiceEntry's exportTo lets them). */
function reaches(coverage: Coverage, namespace: string): boolean {
  return !coverage.entry || isVisibleIn(coverage.entry.object, namespace);
}

/** Whether the proxies of a DestinationRule's own namespace see it (its exportTo: unset, `*`, `.` or the namespace). */
function seenAtHome(rule: Record<string, any>): boolean {
  const exportTo = asArray(rule.spec?.exportTo);
  return exportTo.length === 0 || exportTo.some(e => e === '*' || e === '.' || e === namespaceOf(rule));
}

/** Whether a DestinationRule host (exact or `*.` wildcard) is the one a proxy finds for `host` (MostSpecificHostMatch). */
function hostMatches(ruleHost: string, host: string): boolean {
  return ruleHost === host || ruleHost === '*' || (ruleHost.startsWith('*.') && host.endsWith(ruleHost.slice(1)));
}

/** What a targetRef covers; undefined when it does not resolve here (another check reports a missing target). */
function coverageOf(ref: Record<string, any>, namespace: string, entries: ByName): Coverage | undefined {
  if (typeof ref.name !== 'string') {
    return undefined;
  }
  const sectionName = typeof ref.sectionName === 'string' && ref.sectionName !== '' ? ref.sectionName : undefined;
  if ((ref.group ?? '') === '' && ref.kind === 'Service') {
    // A Service's port names are not read here: a sectionName counts as any port of the Service.
    return { hosts: [`${ref.name}.${namespace}.svc.${CLUSTER_DOMAIN}`] };
  }
  if (ref.group !== ISTIO_NETWORKING_GROUP || ref.kind !== 'ServiceEntry') {
    return undefined;
  }
  const entry = entries.get(namespace, ref.name);
  if (!entry) {
    return undefined;
  }
  const hosts = asArray(entry.object.spec?.hosts).filter((h): h is string => typeof h === 'string');
  if (sectionName === undefined) {
    return { hosts, entry };
  }
  const port = asArray(entry.object.spec?.ports).find(p => isRecord(p) && p.name === sectionName);
  // A sectionName no port carries: Istio does not accept the target.
  return isRecord(port) && typeof port.number === 'number' ? { hosts, port: port.number, entry } : undefined;
}

/**
 * The port where the rule's client TLS meets the policy's (`policyPort` undefined: every port), as a
 * label: the port number, or 'every port'. Undefined when they do not meet.
 */
function tlsOverlap(trafficPolicy: unknown, policyPort: number | undefined): string | undefined {
  if (!isRecord(trafficPolicy)) {
    return undefined;
  }
  if (isRecord(trafficPolicy.tls)) {
    return policyPort === undefined ? 'every port' : String(policyPort);
  }
  const ports = asArray(trafficPolicy.portLevelSettings)
    .filter(s => isRecord(s) && isRecord(s.tls) && isRecord(s.port) && typeof s.port.number === 'number')
    .map(s => s.port.number as number);
  const hit = policyPort === undefined ? ports[0] : ports.find(p => p === policyPort);
  return hit === undefined ? undefined : String(hit);
}

/**
 * A DestinationRule of the policy's namespace for the host: Istio merges it with the rule made from the
 * policy when neither has a workloadSelector and their exportTo are alike (both unset here).
 */
function sameNamespaceFinding(
  policy: IndexedObject, field: string, value: unknown, rule: IndexedObject, host: string, policyPort: number | undefined,
): ObjectFinding | undefined {
  const spec = rule.object.spec;
  const ruleName = `${namespaceOf(rule.object)}/${nameOf(rule.object) ?? ''}`;
  const port = tlsOverlap(spec?.trafficPolicy, policyPort);
  if (port !== undefined) {
    return objectFinding(policy.index, 'BACKEND_TLS_OVERLAP', 'warning', field, value,
      `DestinationRule ${ruleName} also sets client TLS for ${host} (${port === 'every port' ? 'every port' : `port ${port}`}), `
        + `and a proxy applies one of the two, not both. In namespace ${namespaceOf(rule.object)} Istio merges the two into one rule: before `
        + 'Istio 1.31 the rule made from this policy comes first and its traffic policy replaces the DestinationRule\'s whole traffic policy; '
        + 'from 1.31 the DestinationRule\'s settings win and the policy only fills what they leave unset',
      `originate TLS for ${host} in one object: remove the DestinationRule's tls for this port, or drop the BackendTLSPolicy`);
  }
  const merged = spec?.workloadSelector === undefined && asArray(spec?.exportTo).length === 0;
  if (merged && isRecord(spec?.trafficPolicy) && Object.keys(spec.trafficPolicy).length > 0) {
    return objectFinding(policy.index, 'BACKEND_TLS_MERGE', 'warning', field, value,
      `DestinationRule ${ruleName} sets a traffic policy for ${host} in the policy's namespace, where Istio merges the two into one rule: `
        + 'before Istio 1.31 the rule made from this policy comes first and its traffic policy replaces the DestinationRule\'s whole traffic '
        + 'policy (its connection pool, outlier detection, load balancer are not applied); from 1.31 they are merged field by field',
      'on a mesh before Istio 1.31, put the TLS into the DestinationRule (tls for the port) and drop the BackendTLSPolicy');
  }
  return undefined;
}

/**
 * A DestinationRule of another namespace for the host: proxies of that namespace find it first
 * (push_context.go destinationRule) and so do not apply the policy, TLS or not.
 */
function otherNamespaceFinding(policy: IndexedObject, field: string, value: unknown, rule: IndexedObject, host: string): ObjectFinding {
  const ruleNamespace = namespaceOf(rule.object);
  const tls = tlsOverlap(rule.object.spec?.trafficPolicy, undefined) !== undefined;
  return objectFinding(policy.index, 'BACKEND_TLS_OVERLAP', 'warning', field, value,
    `DestinationRule ${ruleNamespace}/${nameOf(rule.object) ?? ''} for ${String(rule.object.spec?.host)} ${tls ? 'also sets client TLS' : 'has no client TLS'}: `
      + `proxies in namespace ${ruleNamespace} look DestinationRules up in their own namespace first, take that one, and do not apply this `
      + `policy's TLS for ${host}; proxies elsewhere apply the policy`,
    `originate TLS for ${host} in one object: put the TLS into the DestinationRule and drop the BackendTLSPolicy, or remove the DestinationRule `
      + `of namespace ${ruleNamespace}`);
}
