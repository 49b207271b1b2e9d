/**
 * Whether the backends of Gateway API routes resolve as Istio 1.30 resolves them
 * (pilot/pkg/config/kube/gateway/conversion.go buildDestination; gatewaycommon/references.go
 * BackendAllowed): a Service of that name with that port, a `Hostname` some Service or
 * ServiceEntry visible to the route's namespace defines, and a ReferenceGrant for a backend in
 * another namespace when the route has a Gateway parent. Where the objects needed to decide are not known here, nothing is reported.
 */
import { ByName, GATEWAY_API_GROUP, Route, parentRefsOf, routesOf } from './gateway-api-common';
import { CLUSTER_DOMAIN, IndexedObject, ObjectIndex, namespaceOf } from './model';
import { ObjectFinding, objectFinding } from './object-finding';
import { asArray, isRecord } from '../rules/finding';
import { ISTIO_GROUP, backendRefsOf } from '../rules/gateway-api/routes';

/** The parent kinds Istio converts as gateway routes (the others it takes, Service and ServiceEntry, are the mesh). */
const GATEWAY_PARENT_KINDS = ['Gateway', 'ListenerSet'];

export function checkGatewayApiBackends(index: ObjectIndex): ObjectFinding[] {
  const routes = routesOf(index);
  if (routes.length === 0) {
    return [];
  }
  const services = new ByName(index.of('service'));
  const grants = new Map<string, IndexedObject[]>();
  for (const grant of index.of('referenceGrant')) {
    const list = grants.get(namespaceOf(grant.object)) ?? [];
    list.push(grant);
    grants.set(namespaceOf(grant.object), list);
  }
  const namespaces = new Set(index.objects.filter(o => o?.kind !== 'Namespace').map(namespaceOf));
  const findings: ObjectFinding[] = [];
  for (const route of routes) {
    // route_collections.go: ReferenceGrants are enforced for gateway parents (a Gateway or a ListenerSet, conversion.go
    // allowedParentReferences), not for the mesh (Service, ServiceEntry parents).
    const enforceGrants = parentRefsOf(route).some(p => p.group === GATEWAY_API_GROUP && GATEWAY_PARENT_KINDS.includes(p.kind));
    for (const ref of backendRefsOf(route.object)) {
      if (ref.name === undefined) {
        continue;
      }
      const namespace = ref.namespace ?? route.namespace;
      const crossNamespace = enforceGrants && namespace !== route.namespace && namespaces.has(namespace);
      if (crossNamespace && !granted(grants.get(namespace) ?? [], route, ref.group, ref.kind, ref.name)) {
        findings.push(objectFinding(route.index, 'GAPI_REFERENCE_GRANT', 'error', `${ref.field}.namespace`, namespace,
          `backendRef ${ref.name}/${namespace} not accessible to a ${route.kind} in namespace "${route.namespace}" (missing a ReferenceGrant?)`,
          `add a ReferenceGrant in ${namespace} from {group: ${GATEWAY_API_GROUP}, kind: ${route.kind}, namespace: ${route.namespace}} `
            + `to {group: "${ref.group}", kind: ${ref.kind}, name: ${ref.name}}`));
        continue;
      }
      if (ref.group === '' && ref.kind === 'Service' && !ref.name.includes('.')) {
        checkService(index, findings, route, ref.field, ref.name, namespace, ref.port, services);
      } else if (ref.group === ISTIO_GROUP && ref.kind === 'Hostname' && ref.namespace === undefined) {
        checkHostname(index, findings, route, ref.field, ref.name, ref.port);
      }
    }
  }
  return findings;
}

/**
 * A `Hostname` backend. Istio's status looks the host up among the Services and ServiceEntries of the
 * route's own namespace (gatewaycommon/context.go GetService) and says BackendNotFound otherwise, but it
 * keeps the destination: the route works wherever the host is in the registry the proxies see. So only a
 * host nothing visible to the route's namespace defines is reported.
 */
function checkHostname(index: ObjectIndex, findings: ObjectFinding[], route: Route, field: string, host: string, port: unknown): void {
  const resolved = index.resolveHost(host, route.namespace);
  if (resolved.status === 'found') {
    // As a VirtualService destination's host:port (IST0101): no declared port, no cluster to send to.
    const ports = [...new Set(resolved.ports.map(p => p.number))].sort((a, b) => a - b);
    if (typeof port === 'number' && ports.length > 0 && !ports.includes(port)) {
      findings.push(objectFinding(route.index, 'GAPI_BACKEND', 'error', `${field}.port`, port,
        `${host} declares no port ${port} (it has ${ports.join(', ')}): Istio has no cluster for ${host}:${port}, so the route's traffic goes nowhere`,
        `send to a port ${host} declares (${ports.join(', ')}), or declare ${port} in its ServiceEntry`));
    }
  } else if (resolved.status === 'unknown') {
    index.noteUnchecked(route.index, `${field}.name`, resolved.host, resolved.namespace);
  } else {
    const hidden = resolved.status === 'hidden' ? ` (it is not exported to namespace ${route.namespace})` : '';
    findings.push(objectFinding(route.index, 'GAPI_BACKEND', 'error', `${field}.name`, host,
      `backend(${host}) not found${hidden}: Istio sends the route's requests nowhere (HTTP 500)`,
      resolved.status === 'hidden'
        ? `export the ServiceEntry that defines ${host} to ${route.namespace}`
        : `add a ServiceEntry with hosts: [${host}] visible to namespace ${route.namespace}`));
  }
}

function checkService(
  index: ObjectIndex, findings: ObjectFinding[], route: Route, field: string, name: string, namespace: string, port: unknown, services: ByName,
): void {
  if (!services.knows(namespace)) {
    return;
  }
  // Also the Service Istio makes for a Gateway of class istio (a route to an egress Gateway's `<name>-istio`).
  const service = services.get(namespace, name) ?? index.service(namespace, name);
  if (!service) {
    findings.push(objectFinding(route.index, 'GAPI_BACKEND', 'error', `${field}.name`, name,
      `backend(${name}.${namespace}.svc.${CLUSTER_DOMAIN}) not found: Istio sends the route's requests nowhere (HTTP 500)`,
      `name an existing Service of namespace ${namespace}, or create it`));
    return;
  }
  const ports = asArray(service.object.spec?.ports).filter(isRecord).map(p => p.port);
  if (typeof port === 'number' && ports.length > 0 && !ports.includes(port)) {
    findings.push(objectFinding(route.index, 'GAPI_BACKEND', 'error', `${field}.port`, port,
      `Service ${namespace}/${name} has no port ${port} (it has ${ports.join(', ')}): the route's traffic finds no endpoint`,
      `use one of the Service's ports (${ports.join(', ')})`));
  }
}

/** Whether a ReferenceGrant of the backend's namespace lets the route refer to it. */
function granted(grants: IndexedObject[], route: Route, group: string, kind: string, name: string): boolean {
  return grants.some(({ object }) =>
    asArray(object.spec?.from).some(f => isRecord(f) && f.group === GATEWAY_API_GROUP && f.kind === route.kind && f.namespace === route.namespace)
    && asArray(object.spec?.to).some(t => isRecord(t) && (t.group ?? '') === group && t.kind === kind && (t.name === undefined || t.name === name)));
}
