/**
 * BackendTLSPolicies beside DestinationRules. Istio 1.30 turns a BackendTLSPolicy into a DestinationRule
 * for each host of its target, in the policy's namespace, without exportTo, workloadSelector or creation
 * time, with port-level TLS for a targetRef's `sectionName` (the ServiceEntry's port of that name) and
 * top-level TLS without one (pilot/pkg/config/kube/gateway/backend_policies.go BackendTLSPolicyCollection,
 * DestinationRuleCollection). That rule meets the users' DestinationRules like any other
 * (pilot/pkg/model/push_context.go destinationRule, setDestinationRules; destination_rule.go
 * mergeDestinationRule): a proxy takes the rules of its own namespace first, and in one namespace the
 * first rule's traffic policy wins (the policy's, having no creation time, before Istio 1.31; the
 * DestinationRule's fields from 1.31). When a DestinationRule with client TLS covers the host and port
 * of a policy, one of the two is not applied as written.
 */
import { ByName, ISTIO_NETWORKING_GROUP, nameOf } from './gateway-api-common';
import { CLUSTER_DOMAIN, IndexedObject, ObjectIndex, namespaceOf, qualifyHost } from './model';
import { ObjectFinding, objectFinding } from './object-finding';
import { asArray, isRecord } from '../rules/finding';

/** The annotation that makes Istio ignore a policy (backend_policies.go IgnorePolicyAttachment). */
const IGNORE_POLICY = 'istio.io/ignore-policy-attachment';

/** The hosts and the port (undefined: every port) a targetRef gives TLS to, as Istio resolves it. */
interface Coverage {
  readonly hosts: string[];
  readonly port?: number;
}

export function checkBackendTlsPolicyOverlaps(index: ObjectIndex): ObjectFinding[] {
  const policies = index.of('backendTlsPolicy');
  if (policies.length === 0 || index.destinationRules.length === 0) {
    return [];
  }
  const rulesByHost = new Map<string, IndexedObject[]>();
  for (const rule of index.destinationRules) {
    const host = rule.object.spec?.host;
    if (typeof host === 'string') {
      const key = qualifyHost(host, namespaceOf(rule.object));
      rulesByHost.set(key, [...(rulesByHost.get(key) ?? []), rule]);
    }
  }
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
      for (const host of coverage.hosts) {
        for (const rule of rulesByHost.get(host) ?? []) {
          const port = tlsOverlap(rule.object.spec?.trafficPolicy, coverage.port);
          if (port !== undefined) {
            findings.push(overlapFinding(policy, `spec.targetRefs[${i}]`, ref.name, rule, host, port, namespace));
          }
        }
      }
    });
  }
  return findings;
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
    return { hosts };
  }
  const port = asArray(entry.object.spec?.ports).find(p => isRecord(p) && p.name === sectionName);
  // A sectionName no port carries: Istio does not accept the target.
  return isRecord(port) && typeof port.number === 'number' ? { hosts, port: port.number } : undefined;
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

function overlapFinding(
  policy: IndexedObject, field: string, value: unknown, rule: IndexedObject, host: string, port: string, namespace: string,
): ObjectFinding {
  const ruleNamespace = namespaceOf(rule.object);
  const ruleName = `${ruleNamespace}/${nameOf(rule.object) ?? ''}`;
  const where = ruleNamespace === namespace
    ? `In namespace ${namespace} Istio merges the two into one rule: before Istio 1.31 the rule made from this policy comes first and its `
      + 'traffic policy replaces the DestinationRule\'s whole traffic policy; from 1.31 the DestinationRule\'s settings win and the policy only fills '
      + 'what they leave unset'
    : `Proxies in namespace ${ruleNamespace} take the DestinationRule of their own namespace and ignore this policy; proxies elsewhere take the policy`;
  return objectFinding(policy.index, 'BACKEND_TLS_OVERLAP', 'warning', field, value,
    `DestinationRule ${ruleName} also sets client TLS for ${host} (${port === 'every port' ? 'every port' : `port ${port}`}), `
      + `and a proxy applies one of the two, not both. ${where}`,
    `originate TLS for ${host} in one object: remove the DestinationRule's tls for this port, or drop the BackendTLSPolicy`);
}
