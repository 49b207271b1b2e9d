/**
 * Objects that Istio accepts without a word but that either do nothing or open more than they seem to:
 * - STATIC_NO_ENDPOINTS (EGR114): a STATIC ServiceEntry with neither endpoints nor a workloadSelector
 *   has no address to send to (Istio's ValidateServiceEntry checks STATIC endpoints only when there
 *   are some), so its traffic fails;
 * - EXPORT_EVERYWHERE (EGR203): a ServiceEntry exported to every namespace (`exportTo: ['*']`), so
 *   every namespace's workloads may reach the external host;
 * - GATEWAY_ANY_POD (EGR204): a Gateway without a selector, or with an empty one, which pilot applies
 *   to every gateway proxy (push_context.go, gatewayWithInstances: no selector applies to all
 *   workloads asking for the gateway; an empty one is a subset of any labels), ingress gateways included.
 */
import { IndexedObject, ObjectIndex, label } from './model';
import { ObjectFinding, objectFinding } from './object-finding';
import { asArray, isRecord } from '../rules/finding';

export function checkWeakInput(index: ObjectIndex): ObjectFinding[] {
  return [
    ...index.serviceEntries.flatMap(staticWithoutEndpoints),
    ...index.serviceEntries.flatMap(exportedEverywhere),
    ...[...index.gateways.values()].flatMap(gatewayForAnyPod),
  ];
}

function staticWithoutEndpoints(se: IndexedObject): ObjectFinding[] {
  const spec = se.object.spec;
  if (!isRecord(spec) || spec.resolution !== 'STATIC' || asArray(spec.endpoints).length > 0 || spec.workloadSelector !== undefined) {
    return [];
  }
  return [objectFinding(se.index, 'STATIC_NO_ENDPOINTS', 'error', 'spec.resolution', 'STATIC',
    `ServiceEntry ${label(se.object)} resolves its hosts STATIC but lists no endpoints and selects no workloads, so the proxies `
    + 'have no address to send its traffic to and every request to it fails',
    'list the host\'s IP addresses as endpoints (ExternalHost: endpoints), or resolve it with DNS (ExternalHost: resolution: Resolution.DNS)')];
}

function exportedEverywhere(se: IndexedObject): ObjectFinding[] {
  const exportTo = asArray(se.object.spec?.exportTo);
  const i = exportTo.indexOf('*');
  if (i < 0) {
    return [];
  }
  return [objectFinding(se.index, 'EXPORT_EVERYWHERE', 'warning', `spec.exportTo[${i}]`, '*',
    `ServiceEntry ${label(se.object)} is exported to every namespace, so the workloads of every namespace may reach `
    + `${asArray(se.object.spec?.hosts).filter(h => typeof h === 'string').join(', ') || 'its hosts'}, including namespaces added later`,
    'export the host to the namespaces that use it (ExternalHost: exportTo: ExportTo.whereUsed() or ExportTo.namespaces(...)); '
    + 'if every namespace is meant, acknowledge EGR203')];
}

function gatewayForAnyPod(gw: IndexedObject): ObjectFinding[] {
  const spec = gw.object.spec;
  if (!isRecord(spec)) {
    return [];
  }
  const selector = spec.selector;
  if (selector !== undefined && selector !== null && !(isRecord(selector) && Object.keys(selector).length === 0)) {
    return [];
  }
  return [objectFinding(gw.index, 'GATEWAY_ANY_POD', 'warning', 'spec.selector', selector ?? null,
    `Gateway ${label(gw.object)} has ${selector === undefined || selector === null ? 'no selector' : 'an empty selector'}, so Istio applies `
    + 'its servers to every gateway proxy (ingress gateways included, and those of other namespaces unless istiod scopes gateways '
    + 'to their namespace): its hosts can be reached through any of them',
    'select the egress gateway pods by their labels, e.g. istio: egressgateway (EgressGateway.fromAttributes: selector); '
    + 'if every gateway is meant, acknowledge EGR204')];
}
