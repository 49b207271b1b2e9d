/**
 * Gateway API objects as the Istio API objects pilot converts them to (pilot/pkg/config/kube/gateway/
 * conversion.go: buildListener, buildTLS, buildHostnameMatch, convertHTTPRoute, convertTLSRoute), so
 * that the egress paths (paths.ts) follow a Gateway API route as they follow a VirtualService:
 * - a Gateway of class `istio` is a Gateway whose pods are `gateway.networking.k8s.io/gateway-name:
 *   <name>` (Istio deploys them behind the Service `<name>-istio`), one server per listener;
 * - an HTTPRoute or TLSRoute is a VirtualService per parent: bound to `mesh` for a ServiceEntry parent
 *   (hosts: the route's hostnames, else the ServiceEntry's), to the Gateway for a Gateway parent.
 *
 * The views are for reading paths only: no rule runs on them. Each route and server remembers the
 * field of the object it comes from, so that findings and `explain` name the Gateway API fields.
 */
import { GATEWAY_API_GROUP, ISTIO_NETWORKING_GROUP, ParentRef, Route, nameOf, parentRefsOf } from './gateway-api-common';
import { IndexedObject, MESH, ObjectIndex, namespaceOf } from './model';
import { asArray, isRecord } from '../rules/finding';
import { ISTIO_CLASS, TLS_TERMINATE_MODE, gatewayClassOf, generatedServiceName } from '../rules/gateway-api/gateway';
import { backendRefsOf } from '../rules/gateway-api/routes';

/** The label Istio's deployment controller gives the pods of a Gateway API gateway. */
export const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';

/** Where a converted route or server comes from: its kind and fields in the Gateway API object. */
export interface ViewSource {
  readonly kind: string;
  /** `spec.rules[0]`, `spec.listeners[0]` */
  readonly field: string;
  /** Per destination of the converted route: `spec.rules[0].backendRefs[0]`. */
  readonly destinations?: readonly string[];
}

/** The source of a converted route or server, or undefined for an object written in the Istio API. */
export const VIEW_SOURCE = Symbol('gateway-api-source');

export function viewSource(part: unknown): ViewSource | undefined {
  return isRecord(part) ? (part as Record<symbol, ViewSource | undefined>)[VIEW_SOURCE] : undefined;
}

/** On a route's view bound to `mesh`: the index of the ServiceEntry it is parented to. */
const VIEW_PARENT_ENTRY = Symbol('gateway-api-parent-entry');

/**
 * The ServiceEntry (its index among the objects) that a mesh route's view is parented to; undefined
 * for a VirtualService. Istio attaches such a route to that ServiceEntry's service only, not to
 * another ServiceEntry of the same host.
 */
export function parentEntryOf(vs: IndexedObject): number | undefined {
  return (vs.object as Record<symbol, number | undefined>)[VIEW_PARENT_ENTRY];
}

export interface GatewayApiViews {
  /** Istio Gateways of the `istio` class Gateways, by the Service name Istio gives them (`<name>-istio.<namespace>`). */
  readonly gatewaysByService: ReadonlyMap<string, IndexedObject>;
  readonly virtualServices: readonly IndexedObject[];
}

const views = new WeakMap<ObjectIndex, GatewayApiViews>();

export function gatewayApiViews(index: ObjectIndex): GatewayApiViews {
  let known = views.get(index);
  if (!known) {
    known = build(index);
    views.set(index, known);
  }
  return known;
}

function build(index: ObjectIndex): GatewayApiViews {
  const gatewaysByService = new Map<string, IndexedObject>();
  const listenerPorts = new Map<string, Map<string, number>>();
  for (const gateway of index.of('k8sGateway')) {
    const name = nameOf(gateway.object);
    if (name === undefined || gatewayClassOf(gateway.object) !== ISTIO_CLASS) {
      continue;
    }
    const namespace = namespaceOf(gateway.object);
    const view = gatewayView(gateway.object, name, namespace);
    gatewaysByService.set(`${generatedServiceName(gateway.object)}.${namespace}`, { index: gateway.index, object: view.object });
    listenerPorts.set(`${namespace}/${name}`, view.ports);
  }
  const virtualServices: IndexedObject[] = [];
  if (index.of('httpRoute').length === 0 && index.of('tlsRoute').length === 0) {
    // No route to convert: the ServiceEntries by name would go unread.
    return { gatewaysByService, virtualServices };
  }
  const entries = new Map(index.serviceEntries.map(e => [`${namespaceOf(e.object)}/${nameOf(e.object)}`, e]));
  for (const [key, block] of [['httpRoute', 'http'], ['tlsRoute', 'tls']] as const) {
    for (const o of index.of(key)) {
      const route: Route = { ...o, kind: key === 'httpRoute' ? 'HTTPRoute' : 'TLSRoute', namespace: namespaceOf(o.object) };
      for (const parent of parentRefsOf(route)) {
        const view = routeView(route, block, parent, entries, listenerPorts);
        if (view) {
          virtualServices.push({ index: o.index, object: view });
        }
      }
    }
  }
  return { gatewaysByService, virtualServices };
}

function gatewayView(gateway: Record<string, any>, name: string, namespace: string): { object: Record<string, any>; ports: Map<string, number> } {
  const ports = new Map<string, number>();
  const servers = asArray(gateway.spec?.listeners).flatMap((listener, i) => {
    if (!isRecord(listener) || typeof listener.port !== 'number' || typeof listener.protocol !== 'string') {
      return [];
    }
    if (typeof listener.name === 'string') {
      ports.set(listener.name, listener.port);
    }
    const hostname = typeof listener.hostname === 'string' ? listener.hostname : '*';
    const server: Record<string | symbol, unknown> = {
      port: { number: listener.port, protocol: listener.protocol, name: typeof listener.name === 'string' ? listener.name : `listener-${i}` },
      hosts: allowedNamespaces(listener, namespace).map(ns => `${ns}/${hostname}`),
      ...(isRecord(listener.tls) ? { tls: { mode: serverTlsMode(listener.tls) } } : {}),
      [VIEW_SOURCE]: { kind: 'Gateway', field: `spec.listeners[${i}]` },
    };
    return [server];
  });
  return {
    object: {
      apiVersion: `${ISTIO_NETWORKING_GROUP}/v1`,
      kind: 'Gateway',
      metadata: { name, namespace },
      spec: { selector: { [GATEWAY_NAME_LABEL]: name }, servers },
    },
    ports,
  };
}

/** buildTLS: Terminate is SIMPLE unless the tls-terminate-mode option says otherwise; Passthrough is PASSTHROUGH. */
function serverTlsMode(tls: Record<string, any>): string {
  if (tls.mode === 'Passthrough') {
    return 'PASSTHROUGH';
  }
  const option = isRecord(tls.options) ? tls.options[TLS_TERMINATE_MODE] : undefined;
  return option === 'MUTUAL' || option === 'OPTIONAL_MUTUAL' || option === 'ISTIO_MUTUAL' ? option : 'SIMPLE';
}

/**
 * buildHostnameMatch: the namespaces whose routes the listener admits. A selector other than one
 * namespace by name needs the Namespace objects; it counts as any namespace here.
 */
function allowedNamespaces(listener: Record<string, any>, own: string): string[] {
  const namespaces = isRecord(listener.allowedRoutes) && isRecord(listener.allowedRoutes.namespaces) ? listener.allowedRoutes.namespaces : {};
  if (namespaces.from === undefined || namespaces.from === 'Same') {
    return [own];
  }
  const byName = namespaces.from === 'Selector' && isRecord(namespaces.selector) && isRecord(namespaces.selector.matchLabels)
    && namespaces.selector.matchExpressions === undefined ? namespaces.selector.matchLabels['kubernetes.io/metadata.name'] : undefined;
  return typeof byName === 'string' && Object.keys(namespaces.selector.matchLabels).length === 1 ? [byName] : ['*'];
}

function routeView(
  route: Route, block: 'http' | 'tls', parent: ParentRef, entries: Map<string, IndexedObject>, listenerPorts: Map<string, Map<string, number>>,
): Record<string, any> | undefined {
  const hostnames = asArray(route.object.spec?.hostnames).filter((h): h is string => typeof h === 'string');
  let hosts: string[];
  let gateway: string;
  let port = parent.port;
  let entry: IndexedObject | undefined;
  if (parent.group === ISTIO_NETWORKING_GROUP && parent.kind === 'ServiceEntry') {
    entry = entries.get(`${parent.namespace}/${parent.name}`);
    if (!entry) {
      return undefined;
    }
    const entryHosts = asArray(entry.object.spec?.hosts).filter((h): h is string => typeof h === 'string');
    hosts = hostnames.length > 0 ? hostnames : entryHosts;
    gateway = MESH;
  } else if (parent.group === GATEWAY_API_GROUP && parent.kind === 'Gateway' && listenerPorts.has(`${parent.namespace}/${parent.name}`)) {
    hosts = hostnames.length > 0 ? hostnames : ['*'];
    gateway = `${parent.namespace}/${parent.name}`;
    if (parent.sectionName !== undefined) {
      port = listenerPorts.get(gateway)!.get(parent.sectionName);
      if (port === undefined) {
        return undefined;
      }
    }
  } else {
    return undefined;
  }
  if (hosts.length === 0) {
    return undefined;
  }
  const backends = backendRefsOf(route.object);
  const rules = asArray(route.object.spec?.rules).map((_rule, r) => {
    const refs = backends.filter(b => b.field.startsWith(`spec.rules[${r}].`));
    const destinations = refs.flatMap(b => {
      const host = backendHost(b.group, b.kind, b.name, b.namespace ?? route.namespace);
      return host === undefined ? [] : [{ field: b.field, destination: { host, ...(typeof b.port === 'number' ? { port: { number: b.port } } : {}) } }];
    });
    const match = {
      ...(port === undefined ? {} : { port }),
      ...(block === 'tls' ? { sniHosts: hostnames.length > 0 ? hostnames : ['*'] } : {}),
    };
    return {
      ...(Object.keys(match).length > 0 ? { match: [match] } : {}),
      route: destinations.map(d => ({ destination: d.destination })),
      [VIEW_SOURCE]: { kind: route.kind, field: `spec.rules[${r}]`, destinations: destinations.map(d => d.field) },
    };
  });
  return {
    apiVersion: `${ISTIO_NETWORKING_GROUP}/v1`,
    kind: 'VirtualService',
    metadata: { name: nameOf(route.object), namespace: route.namespace },
    spec: { hosts, gateways: [gateway], [block]: rules },
    ...(entry ? { [VIEW_PARENT_ENTRY]: entry.index } : {}),
  };
}

/** buildDestination: a Service is `<name>.<namespace>.svc.cluster.local`, a Hostname (networking.istio.io) the host itself. */
function backendHost(group: string, kind: string, name: string | undefined, namespace: string): string | undefined {
  if (name === undefined) {
    return undefined;
  }
  if (group === '' && kind === 'Service') {
    return `${name}.${namespace}.svc.cluster.local`;
  }
  return group === ISTIO_NETWORKING_GROUP && kind === 'Hostname' ? name : undefined;
}
