/**
 * Ambient waypoints and BackendTLSPolicies across objects: `istio.io/use-waypoint` on a Namespace,
 * Service or ServiceEntry names a waypoint Gateway that exists (pilot/pkg/serviceregistry/kube/controller/ambient
 * waypoint look-up by name in the namespace, or in `istio.io/use-waypoint-namespace`), and a BackendTLSPolicy's
 * targetRefs resolve (pilot/pkg/config/kube/gateway/backend_policies.go; a DestinationRule beside a policy:
 * backend-tls-policies.ts).
 * Where the objects needed to decide are not known here, nothing is reported.
 */
import { ByName, ISTIO_NETWORKING_GROUP, nameOf, selectorMatches } from './gateway-api-common';
import { IndexedObject, ObjectIndex, namespaceOf } from './model';
import { ObjectFinding, objectFinding } from './object-finding';
import { asArray, isRecord } from '../rules/finding';
import { HBONE_PORT, WAYPOINT_CLASS, gatewayClassOf } from '../rules/gateway-api/gateway';

export const USE_WAYPOINT = 'istio.io/use-waypoint';
export const USE_WAYPOINT_NAMESPACE = 'istio.io/use-waypoint-namespace';

export function checkGatewayApiWaypoints(index: ObjectIndex): ObjectFinding[] {
  const gateways = new ByName(index.of('k8sGateway'));
  const findings: ObjectFinding[] = [];
  for (const entry of [...index.of('namespace'), ...index.of('service'), ...index.serviceEntries]) {
    checkUseWaypoint(index, findings, entry, gateways);
  }
  checkBackendTlsPolicies(index, findings);
  return findings;
}

function hboneListener(gateway: IndexedObject): any {
  return asArray(gateway.object.spec?.listeners).find(l => isRecord(l) && l.protocol === 'HBONE' && l.port === HBONE_PORT);
}

/** `from` of the HBONE listener's allowedRoutes: Same without one. */
function admittedFrom(gateway: IndexedObject): unknown {
  const listener = hboneListener(gateway);
  return isRecord(listener?.allowedRoutes?.namespaces) ? listener.allowedRoutes.namespaces.from ?? 'Same' : 'Same';
}

/**
 * Whether a waypoint takes objects of `namespace` (ambient/waypoints.go makeAllowedRoutes and
 * AllowsAttachmentFromNamespace: its 15008 HBONE listener's allowedRoutes, Same without one).
 * Unknown (a Selector without the Namespace object) counts as admitted.
 */
function admits(index: ObjectIndex, gateway: IndexedObject, namespace: string): boolean {
  const listener = hboneListener(gateway);
  const from = admittedFrom(gateway);
  if (from === 'All') {
    return true;
  }
  if (from === 'Selector') {
    const ns = index.namespaceObject(namespace);
    const labels = isRecord(ns?.object.metadata?.labels) ? ns!.object.metadata!.labels! : {};
    return !ns || selectorMatches(listener.allowedRoutes.namespaces.selector, { ...labels, 'kubernetes.io/metadata.name': namespace });
  }
  return false;
}

/**
 * An object's `istio.io/use-waypoint` label as Istio reads it (getUseWaypoint in
 * pilot/pkg/serviceregistry/ambient/waypoints.go): undefined without the label, `'none'` for the
 * value that opts out (of its namespace's waypoint too), else the waypoint's name, even an empty one
 * that no Gateway has, with `istio.io/use-waypoint-namespace`. The waypoint check and the egress
 * paths read it alike.
 */
export function waypointLabel(o: IndexedObject): { name: string; namespace?: string } | 'none' | undefined {
  const labels = isRecord(o.object.metadata?.labels) ? o.object.metadata!.labels! : {};
  const name = labels[USE_WAYPOINT];
  const namespace = labels[USE_WAYPOINT_NAMESPACE];
  if (typeof name !== 'string') {
    return undefined;
  }
  return name === 'none' ? 'none' : { name, namespace: typeof namespace === 'string' ? namespace : undefined };
}

function checkUseWaypoint(index: ObjectIndex, findings: ObjectFinding[], entry: IndexedObject, gateways: ByName): void {
  const named = waypointLabel(entry);
  if (!named || named === 'none') {
    return;
  }
  const waypoint = named.name;
  const isNamespace = entry.object.kind === 'Namespace';
  const home = isNamespace ? nameOf(entry.object) ?? 'default' : namespaceOf(entry.object);
  const namespace = named.namespace ?? home;
  // No Gateway is named '': an empty label is wrong whatever Gateways the namespace has.
  if (!gateways.knows(namespace) && waypoint !== '') {
    return;
  }
  const gateway = gateways.get(namespace, waypoint);
  if (!gateway && waypoint === '') {
    findings.push(objectFinding(entry.index, 'GAPI_WAYPOINT', 'error', `metadata.labels.${USE_WAYPOINT}`, waypoint,
      `the label is empty: Istio takes it as the name of a waypoint and finds none, so traffic ${isNamespace ? 'of the namespace' : 'to it'} `
        + `does not go through a waypoint${isNamespace ? '' : ', not even its namespace\'s'}`,
      'name a waypoint Gateway, write none to opt out of a waypoint, or remove the label'));
  } else if (!gateway) {
    findings.push(objectFinding(entry.index, 'GAPI_WAYPOINT', 'error', `metadata.labels.${USE_WAYPOINT}`, waypoint,
      `no waypoint Gateway ${namespace}/${waypoint} exists: traffic ${isNamespace ? 'of the namespace' : 'to it'} does not go through a waypoint, so its policies are not applied`,
      `create a Gateway ${namespace}/${waypoint} with gatewayClassName: ${WAYPOINT_CLASS}, or name an existing waypoint`));
  } else if (namespace !== home && !admits(index, gateway, home)) {
    findings.push(objectFinding(entry.index, 'GAPI_WAYPOINT', 'error', `metadata.labels.${USE_WAYPOINT_NAMESPACE}`, namespace,
      `waypoint ${namespace}/${waypoint} does not admit namespace ${home}: its HBONE listener's allowedRoutes take `
        + `${admittedFrom(gateway) === 'Selector' ? `the namespaces its selector matches, not ${home}` : 'its own namespace only'}, `
        + 'so Istio does not bind the waypoint and the traffic goes without it',
      `give the waypoint's 15008 HBONE listener allowedRoutes.namespaces.from: All (or a Selector matching ${home})`));
  } else if (gatewayClassOf(gateway.object) !== WAYPOINT_CLASS) {
    findings.push(objectFinding(entry.index, 'GAPI_WAYPOINT', 'warning', `metadata.labels.${USE_WAYPOINT}`, waypoint,
      `Gateway ${namespace}/${waypoint} is not a waypoint (gatewayClassName ${String(gatewayClassOf(gateway.object))}): traffic does not go through a waypoint`,
      `name a Gateway with gatewayClassName: ${WAYPOINT_CLASS}`));
  }
}

function checkBackendTlsPolicies(index: ObjectIndex, findings: ObjectFinding[]): void {
  const policies = index.of('backendTlsPolicy');
  if (policies.length === 0) {
    return;
  }
  const services = new ByName(index.of('service'));
  const entries = new ByName(index.serviceEntries);
  for (const policy of policies) {
    const namespace = namespaceOf(policy.object);
    asArray(policy.object.spec?.targetRefs).forEach((ref, i) => {
      if (!isRecord(ref) || typeof ref.name !== 'string') {
        return;
      }
      const field = `spec.targetRefs[${i}]`;
      if ((ref.group ?? '') === '' && ref.kind === 'Service') {
        if (services.knows(namespace) && !services.get(namespace, ref.name)) {
          findings.push(targetMissing(policy.index, field, ref.name, 'Service', namespace));
        }
      } else if (ref.group === ISTIO_NETWORKING_GROUP && ref.kind === 'ServiceEntry') {
        if (entries.knows(namespace) && !entries.get(namespace, ref.name)) {
          findings.push(targetMissing(policy.index, field, ref.name, 'ServiceEntry', namespace));
        }
      }
    });
  }
}

function targetMissing(index: number, field: string, name: string, kind: string, namespace: string): ObjectFinding {
  return objectFinding(index, 'GAPI_POLICY_TARGET', 'error', `${field}.name`, name,
    `the BackendTLSPolicy targets ${kind} ${namespace}/${name}, which does not exist: Istio originates no TLS with it`,
    `name an existing ${kind} of namespace ${namespace} (targetRefs refer to the policy's own namespace)`);
}
