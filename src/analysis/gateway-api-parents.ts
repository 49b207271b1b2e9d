/**
 * Whether Gateway API routes attach to their parents as Istio 1.30 decides it
 * (pilot/pkg/config/kube/gateway/conversion.go referenceAllowed, namespacesFromSelector;
 * conditions.go generateSupportedKinds): the parent exists, the listener named by sectionName or port
 * exists, the listener admits the route's namespace and kind, and a hostname matches.
 * Where the objects needed to decide are not known here, nothing is reported.
 */
import { ByName, GATEWAY_API_GROUP, ISTIO_NETWORKING_GROUP, ParentRef, Route, parentRefsOf, routesOf, selectorMatches } from './gateway-api-common';
import { IndexedObject, ObjectIndex } from './model';
import { ObjectFinding, objectFinding } from './object-finding';
import { asArray, isRecord, show } from '../rules/finding';
import { EAST_WEST_CLASS, WAYPOINT_CLASS, gatewayClassOf } from '../rules/gateway-api/gateway';

/** The route kinds a listener takes by default, by protocol (unknown protocols: not decided here). */
const DEFAULT_KINDS: Record<string, string[]> = { HTTP: ['HTTPRoute', 'GRPCRoute'], HTTPS: ['HTTPRoute', 'GRPCRoute'], TCP: ['TCPRoute'], TLS: ['TLSRoute'] };

type Verdict = 'attaches' | 'unknown' | 'namespace' | 'kind' | 'hostname';

export function checkGatewayApiParents(index: ObjectIndex): ObjectFinding[] {
  const routes = routesOf(index);
  if (routes.length === 0) {
    return [];
  }
  const gateways = new ByName(index.of('k8sGateway'));
  const entries = new ByName(index.serviceEntries);
  const services = new ByName(index.of('service'));
  const findings: ObjectFinding[] = [];
  for (const route of routes) {
    for (const ref of parentRefsOf(route)) {
      if (ref.group === GATEWAY_API_GROUP && ref.kind === 'Gateway') {
        checkGatewayParent(index, findings, route, ref, gateways);
      } else if (ref.group === ISTIO_NETWORKING_GROUP && ref.kind === 'ServiceEntry') {
        if (entries.knows(ref.namespace) && !entries.get(ref.namespace, ref.name)) {
          findings.push(missing(route, ref, `parent service entry: "${ref.name}" not found`, 'ServiceEntry'));
        }
      } else if (ref.group === '' && ref.kind === 'Service') {
        if (services.knows(ref.namespace) && !services.get(ref.namespace, ref.name)) {
          findings.push(missing(route, ref, `parent service: "${ref.name}" not found`, 'Service'));
        }
      }
    }
  }
  return findings;
}

function missing(route: Route, ref: ParentRef, message: string, kind: string): ObjectFinding {
  return objectFinding(route.index, 'GAPI_PARENT', 'error', `${ref.field}.name`, ref.name,
    `${message} in namespace ${ref.namespace}: Istio does not attach the ${route.kind} there, so it routes nothing from this parent`,
    `name an existing ${kind} (or create ${ref.namespace}/${ref.name})`);
}

function checkGatewayParent(index: ObjectIndex, findings: ObjectFinding[], route: Route, ref: ParentRef, gateways: ByName): void {
  const gateway = gateways.get(ref.namespace, ref.name);
  if (!gateway) {
    if (gateways.knows(ref.namespace)) {
      findings.push(missing(route, ref, `parent Gateway "${ref.name}" not found`, 'Gateway'));
    }
    return;
  }
  let listeners = asArray(gateway.object.spec?.listeners).filter(isRecord);
  if (ref.port !== undefined) {
    listeners = listeners.filter(l => l.port === ref.port);
    if (listeners.length === 0) {
      findings.push(objectFinding(route.index, 'GAPI_PARENT', 'error', `${ref.field}.port`, ref.port, `port ${ref.port} not found`,
        `name a port of a listener of Gateway ${ref.namespace}/${ref.name}, or leave port out`));
      return;
    }
  }
  if (ref.sectionName !== undefined) {
    listeners = listeners.filter(l => l.name === ref.sectionName);
    if (listeners.length === 0) {
      findings.push(objectFinding(route.index, 'GAPI_PARENT', 'error', `${ref.field}.sectionName`, ref.sectionName, `sectionName "${ref.sectionName}" not found`,
        `name a listener of Gateway ${ref.namespace}/${ref.name} (${asArray(gateway.object.spec?.listeners).map(l => show(l?.name)).join(', ')}), or leave sectionName out`));
      return;
    }
  }
  const className = gatewayClassOf(gateway.object);
  if (className === WAYPOINT_CLASS || className === EAST_WEST_CLASS || listeners.length === 0) {
    return;
  }
  const verdicts = listeners.map(l => verdict(index, route, gateway, l));
  if (verdicts.some(v => v === 'attaches' || v === 'unknown')) {
    return;
  }
  const where = `Gateway ${ref.namespace}/${ref.name}${ref.sectionName ? ` listener ${ref.sectionName}` : ''}`;
  if (verdicts.includes('hostname')) {
    const parentHosts = listeners.map(l => (typeof l.hostname === 'string' ? l.hostname : '*')).join(', ');
    findings.push(objectFinding(route.index, 'GAPI_HOSTNAME', 'error', 'spec.hostnames', route.object.spec?.hostnames,
      `no hostnames matched parent hostname "${parentHosts}" of ${where}: Istio does not attach the ${route.kind}`,
      `give the route a hostname the listener serves (${parentHosts}), or change the listener's hostname`));
  } else if (verdicts.includes('kind')) {
    findings.push(objectFinding(route.index, 'GAPI_NOT_ALLOWED', 'error', ref.field, ref.name,
      `kind ${GATEWAY_API_GROUP}/${route.kind} is not allowed by ${where}: Istio does not attach the route`,
      'attach it to a listener whose protocol and allowedRoutes.kinds take this kind (HTTP/HTTPS: HTTPRoute, GRPCRoute; TLS: TLSRoute; TCP: TCPRoute)'));
  } else {
    findings.push(objectFinding(route.index, 'GAPI_NOT_ALLOWED', 'error', ref.field, ref.name,
      `namespace "${route.namespace}" is not allowed by ${where} (allowedRoutes.namespaces): Istio does not attach the route`,
      `let the listener admit the namespace (allowedRoutes.namespaces.from: All, or a Selector matching ${route.namespace}), or move the route to ${ref.namespace}`));
  }
}

function verdict(index: ObjectIndex, route: Route, gateway: IndexedObject, listener: Record<string, any>): Verdict {
  const namespaces = isRecord(listener.allowedRoutes) && isRecord(listener.allowedRoutes.namespaces) ? listener.allowedRoutes.namespaces : {};
  const from = namespaces.from ?? 'Same';
  const gatewayNamespace = typeof gateway.object.metadata?.namespace === 'string' ? gateway.object.metadata.namespace : 'default';
  let unknown = false;
  if (from === 'Same' && route.namespace !== gatewayNamespace) {
    return 'namespace';
  }
  if (from === 'Selector' && isRecord(namespaces.selector)) {
    const ns = index.namespaceObject(route.namespace);
    if (!ns) {
      unknown = true;
    } else {
      const labels = isRecord(ns.object.metadata?.labels) ? ns.object.metadata!.labels! : {};
      if (!selectorMatches(namespaces.selector, { ...labels, 'kubernetes.io/metadata.name': route.namespace })) {
        return 'namespace';
      }
    }
  }
  const kinds = kindsOf(listener);
  if (kinds === undefined) {
    return 'unknown';
  }
  if (!kinds.includes(route.kind)) {
    return 'kind';
  }
  if (!hostnamesIntersect(typeof listener.hostname === 'string' ? listener.hostname : undefined, asArray(route.object.spec?.hostnames))) {
    return 'hostname';
  }
  return unknown ? 'unknown' : 'attaches';
}

/** The route kinds the listener takes (conditions.go generateSupportedKinds), or undefined for protocols not decided here. */
function kindsOf(listener: Record<string, any>): string[] | undefined {
  const protocol = typeof listener.protocol === 'string' ? listener.protocol : '';
  let supported = DEFAULT_KINDS[protocol];
  if (!supported) {
    return undefined;
  }
  if (protocol === 'TLS' && isRecord(listener.tls) && listener.tls.mode === 'Terminate') {
    supported = [...supported, 'TCPRoute'];
  }
  const allowed = isRecord(listener.allowedRoutes) ? asArray(listener.allowedRoutes.kinds).filter(isRecord) : [];
  if (allowed.length === 0) {
    return supported;
  }
  return supported.filter(kind => allowed.some(a => a.kind === kind && (a.group ?? GATEWAY_API_GROUP) === GATEWAY_API_GROUP));
}

/** Istio's host match in both directions (a wildcard on either side), with no hostname on either side matching all. */
export function hostnamesIntersect(listenerHost: string | undefined, routeHosts: unknown[]): boolean {
  if (listenerHost === undefined || listenerHost === '*') {
    return true;
  }
  const hosts = routeHosts.filter((h): h is string => typeof h === 'string');
  if (hosts.length === 0) {
    return true;
  }
  return hosts.some(h => hostMatches(listenerHost, h));
}

function hostMatches(a: string, b: string): boolean {
  if (a === b || a === '*' || b === '*') {
    return true;
  }
  const aWild = a.startsWith('*');
  const bWild = b.startsWith('*');
  if (aWild && bWild) {
    return a.length > b.length ? a.endsWith(b.slice(1)) : b.endsWith(a.slice(1));
  }
  if (aWild) {
    return b.endsWith(a.slice(1));
  }
  if (bWild) {
    return a.endsWith(b.slice(1));
  }
  return false;
}
