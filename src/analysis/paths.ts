/**
 * The egress paths: for each host of each MESH_EXTERNAL ServiceEntry and each of its ports (and for
 * each Kubernetes Service host that mesh routes send to an egress gateway, the ports they match), the
 * hops its traffic takes as Istio configures them. Clients (the namespaces that can use the host) send
 * to their sidecar; the sidecar sends straight to the host, or (by a mesh route to a gateway
 * Service) to an egress gateway, whose Gateway server for the host and port hands it to a route
 * bound to that Gateway, which sends it to the host. Each hop carries its TLS, and the gateway hop
 * the AuthorizationPolicies of the gateway pods.
 *
 * The rules about paths (tls-agreement.ts, gateway-hops.ts, port-bypass.ts) and `explain` read the
 * same paths, computed once per ObjectIndex.
 */
import { GATEWAY_API_GROUP, ISTIO_NETWORKING_GROUP } from './gateway-api-common';
import { GATEWAY_NAME_LABEL, GatewayApiViews, gatewayApiViews } from './gateway-api-views';
import { USE_WAYPOINT, waypointLabel } from './gateway-api-waypoints';
import { importsHost, isNamespaceLockdown, sidecarImportEntries } from './lockdown';
import { IndexedObject, MESH, ObjectIndex, exportedTo, label, namespaceOf, qualifyHost, serviceNamespace } from './model';
import { ObjectFinding } from './object-finding';
import {
  Block, GatewayServer, GatewayTarget, ROOT_NAMESPACE, RouteHit, RouteIndex, TlsSetting, compareStrings, destinationRulesFor,
  gatewayBlocks, gatewayServer, gatewayTarget, gatewayTargetBeside, originatesTls, portNumber, selects, sidecarBlocks, specOf, strings,
} from './path-lookups';
import { asArray, isRecord, mapList } from '../rules/finding';
import { HBONE_PORT, WAYPOINT_CLASS, gatewayClassOf } from '../rules/gateway-api/gateway';
import { isKind } from '../rules/kinds';
import { isHttpProtocol, isTlsProtocol } from '../rules/protocol';

export type { GatewayServer, GatewayTarget, RouteHit, TlsSetting } from './path-lookups';

export interface EgressPaths {
  readonly hosts: HostPath[];
}

export interface HostPath {
  readonly host: string;
  /**
   * What makes it a host: a MESH_EXTERNAL ServiceEntry; or, for a Kubernetes Service host that a mesh
   * route sends to an egress gateway (a server outside the mesh given a Service, as in Istio's
   * mutual TLS origination task), the Service, or the VirtualService when the Service is not given.
   */
  readonly definition: IndexedObject;
  readonly definitionKind: 'ServiceEntry' | 'Service' | 'VirtualService';
  /** `spec.hosts[0]` of the ServiceEntry or VirtualService; undefined for a Service. */
  readonly hostField?: string;
  readonly resolution?: string;
  readonly clients: Clients;
  readonly ports: PortPath[];
}

/** The namespaces whose workloads can use the host; explain reports each Sidecar by where it was read. */
export interface Clients<Sidecar = IndexedObject> {
  /** The ServiceEntry's exportTo resolved: `*` (every namespace) or namespace names, sorted. */
  readonly exportedTo: string[];
  /** Namespaces locked down (REGISTRY_ONLY Sidecar) that import the host. */
  readonly importedBy: SidecarImport<Sidecar>[];
  /** Namespaces locked down (REGISTRY_ONLY Sidecar) that do not import it, and so cannot use it. */
  readonly blockedIn: SidecarImport<Sidecar>[];
  /** The result: `*` for every namespace except blockedIn, or the namespaces that can use it. */
  readonly namespaces: string[];
}

export interface SidecarImport<Sidecar = IndexedObject> {
  readonly namespace: string;
  readonly sidecar: Sidecar;
}

/** A port of the ServiceEntry. */
export interface EntryPort {
  readonly number: number;
  readonly name?: string;
  /**
   * As written; '' when the port has none, and Istio detects the protocol: HTTP is routed by the `http` routes, the
   * rest by the `tcp` ones (ListenerProtocolAuto, pilot/pkg/networking/core/listener.go).
   */
  readonly protocol: string;
  readonly targetPort?: number;
  /** `spec.ports[0]` of the ServiceEntry; undefined for a port only a route names. */
  readonly field?: string;
}

/**
 * What a hop carries: Istio mutual TLS, other TLS (the application's own, or TLS a proxy
 * originates), plain text, or an opaque TCP stream whose content is not known.
 */
export type HopTraffic = 'istio-mutual' | 'tls' | 'plain' | 'opaque';

export interface SidecarHop {
  /**
   * `gateway`: a mesh route sends the traffic to an egress gateway Service; `direct`: the sidecar sends it out;
   * `waypoint` (ambient): the client's ztunnel sends it over HBONE to the waypoint the host is bound to.
   */
  readonly via: 'gateway' | 'direct' | 'waypoint';
  /** The namespace whose sidecars the hop is computed for (the mesh route's, else the ServiceEntry's). */
  readonly clientNamespace: string;
  /** The mesh route that applies, if any. */
  readonly route?: RouteHit;
  /** Where the sidecar sends the traffic (the gateway Service, or the external host), qualified. */
  readonly destination: string;
  readonly destinationPort: number;
  readonly subset?: string;
  /** The DestinationRule the sidecars apply to the destination, if any. */
  readonly destinationRule?: IndexedObject;
  /** The TLS it sets on the port: ISTIO_MUTUAL to the gateway, SIMPLE/MUTUAL origination, ... */
  readonly tls?: TlsSetting;
  readonly traffic: HopTraffic;
}

export interface GatewayHop {
  /** The route bound to the Gateway that takes the host's traffic on the server's port. */
  readonly route: RouteHit;
  readonly destination: string;
  readonly destinationPort: number;
  /** The DestinationRule the gateway pods apply to the destination, if any. */
  readonly destinationRule?: IndexedObject;
  /** TLS origination at the gateway (SIMPLE or MUTUAL); undefined: the traffic leaves as it came. */
  readonly tlsOrigination?: TlsSetting;
}

/**
 * Ambient: the waypoint that a ServiceEntry (or its namespace) is bound to by `istio.io/use-waypoint`,
 * and what the waypoint does with the host's traffic: the mesh routes parented to the ServiceEntry
 * and the DestinationRule for the destination apply there, as at a sidecar.
 */
export interface WaypointHop {
  /** The waypoint Gateway (gatewayClassName istio-waypoint). */
  readonly gateway: IndexedObject;
  /** The ServiceEntry or Namespace whose label binds the host to the waypoint. */
  readonly boundBy: IndexedObject;
  /** `metadata.labels.istio.io/use-waypoint` of `boundBy`. */
  readonly field: string;
  /** The route parented to the ServiceEntry that applies, if any. */
  readonly route?: RouteHit;
  readonly destination: string;
  readonly destinationPort: number;
  readonly destinationRule?: IndexedObject;
  /** TLS origination at the waypoint (SIMPLE or MUTUAL); undefined: the traffic leaves as it came. */
  readonly tlsOrigination?: TlsSetting;
}

/** The gateway's AuthorizationPolicies as they apply to one host. */
export interface Allowed {
  /** The AuthorizationPolicies that select the gateway's pods. */
  readonly policies: IndexedObject[];
  /** Those of them with action ALLOW. */
  readonly allowPolicies: IndexedObject[];
  /** `anyone`: no ALLOW policy applies; `listed`: only the sources below; `nobody`: ALLOW policies exist, none for this host. */
  readonly verdict: 'anyone' | 'listed' | 'nobody';
  /** ALLOW policies without rules: they allow nothing, so whatever no other policy allows is denied. */
  readonly denyByDefault: IndexedObject[];
  readonly allow: Sources[];
  readonly deny: Sources[];
}

/** The sources of one rule; `any` when the rule names no source. */
export interface Sources {
  readonly policy: IndexedObject;
  /** `spec.rules[0]` */
  readonly field: string;
  readonly any: boolean;
  readonly namespaces: string[];
  readonly principals: string[];
  /** Every source of the rule names namespaces or principals: only a peer's mesh identity can match it. */
  readonly identityOnly: boolean;
}

export interface PortPath {
  readonly port: EntryPort;
  readonly sidecar: SidecarHop;
  /** The egress gateway the sidecar sends to; undefined when the traffic goes direct. */
  readonly target?: GatewayTarget;
  /** The gateway server for the host and port; undefined when the traffic goes direct or no server matches. */
  readonly server?: GatewayServer;
  /** From the gateway to the host; undefined without a server or without a route bound to its Gateway. */
  readonly gatewayHop?: GatewayHop;
  /** Ambient: the waypoint the host is bound to; undefined for sidecar paths. */
  readonly waypoint?: WaypointHop;
  /** Who the gateway (or the waypoint) lets through; undefined without one. */
  readonly allowed?: Allowed;
}

const cache = new WeakMap<ObjectIndex, EgressPaths>();

/** The egress paths of the objects, computed once per index. */
export function egressPaths(index: ObjectIndex): EgressPaths {
  let paths = cache.get(index);
  if (!paths) {
    paths = new PathBuilder(index).build();
    cache.set(index, paths);
  }
  return paths;
}

class PathBuilder {
  private readonly routes: RouteIndex;
  private readonly targets = new Map<string, GatewayTarget | undefined>();
  private readonly policies = new Map<GatewayTarget, IndexedObject[]>();
  /** The REGISTRY_ONLY Sidecars, which every host's clients are checked against. */
  private readonly lockdowns: readonly IndexedObject[];

  private readonly gatewayApi: GatewayApiViews;

  public constructor(private readonly index: ObjectIndex) {
    this.gatewayApi = gatewayApiViews(index);
    // Gateway API routes as the VirtualServices Istio makes of them: the paths follow both alike.
    this.routes = new RouteIndex([...index.virtualServices, ...this.gatewayApi.virtualServices]);
    this.lockdowns = index.sidecars.filter(s => isNamespaceLockdown(s.object));
  }

  public build(): EgressPaths {
    // Index loops: this runs once per host and port, mostly before V8 has optimized it (and an
    // unoptimized for-of allocates an iterator result per element).
    const entries: HostPath[] = [];
    const serviceEntries = this.index.serviceEntries;
    for (let i = 0; i < serviceEntries.length; i++) {
      const se = serviceEntries[i];
      const spec = specOf(se);
      if ((spec.location ?? 'MESH_EXTERNAL') !== 'MESH_EXTERNAL') {
        continue;
      }
      const hosts = asArray(spec.hosts);
      for (let h = 0; h < hosts.length; h++) {
        if (typeof hosts[h] === 'string') {
          entries.push(this.entryPath(se, hosts[h], h));
        }
      }
    }
    const listed = new Set(mapList(entries, e => e.host));
    const hosts = [...entries, ...this.routedServices(listed)];
    const byDefinition = (a: HostPath, b: HostPath) => compareStrings(label(a.definition.object), label(b.definition.object))
      || a.definition.index - b.definition.index;
    return { hosts: hosts.sort((a, b) => compareStrings(a.host, b.host) || byDefinition(a, b)) };
  }

  private entryPath(serviceEntry: IndexedObject, host: string, h: number): HostPath {
    const spec = specOf(serviceEntry);
    const resolution = spec.resolution;
    const ports: EntryPort[] = [];
    asArray(spec.ports).forEach((p, i) => {
      if (isRecord(p) && portNumber(p.number) !== undefined) {
        ports.push({
          number: p.number as number,
          name: typeof p.name === 'string' ? p.name : undefined,
          protocol: typeof p.protocol === 'string' ? p.protocol : '',
          targetPort: portNumber(p.targetPort),
          field: `spec.ports[${i}]`,
        });
      }
    });
    const waypoint = this.waypointOf(serviceEntry);
    const clients = clientsOf(this.lockdowns, serviceEntry, host);
    const namespace = namespaceOf(serviceEntry.object);
    const paths = mapList(ports, port => (waypoint ? this.waypointPath(serviceEntry, host, port, waypoint)
      : this.portPath(namespace, host, port, serviceEntry.index)));
    return {
      host,
      definition: serviceEntry,
      definitionKind: 'ServiceEntry',
      hostField: `spec.hosts[${h}]`,
      resolution: typeof resolution === 'string' ? resolution : undefined,
      clients,
      ports: paths,
    };
  }

  /**
   * The waypoint a ServiceEntry is bound to: its own `istio.io/use-waypoint` label, else its
   * namespace's (with `istio.io/use-waypoint-namespace` for a waypoint elsewhere). A name that no
   * waypoint Gateway among the objects has binds nothing here (EGR152 reports it).
   */
  private waypointOf(serviceEntry: IndexedObject): WaypointBinding | undefined {
    const home = namespaceOf(serviceEntry.object);
    // A label of its own, even `none` or one naming no waypoint, keeps the ServiceEntry from its namespace's waypoint.
    const own = waypointLabel(serviceEntry);
    const namespaceObject = own ? undefined : this.index.namespaceObject(home);
    const boundBy = own ? serviceEntry : namespaceObject;
    const named = own ?? (namespaceObject && waypointLabel(namespaceObject));
    if (!boundBy || !named || named === 'none') {
      return undefined;
    }
    const gateway = this.index.of('k8sGateway').find(g => g.object.metadata?.name === named.name
      && namespaceOf(g.object) === (named.namespace ?? home) && gatewayClassOf(g.object) === WAYPOINT_CLASS);
    return gateway && { gateway, boundBy };
  }

  /** Ambient: the client's ztunnel sends to the waypoint over HBONE; the waypoint routes and originates TLS as a sidecar would. */
  private waypointPath(serviceEntry: IndexedObject, host: string, port: EntryPort, { gateway, boundBy }: WaypointBinding): PortPath {
    const entryNamespace = namespaceOf(serviceEntry.object);
    const name = gateway.object.metadata!.name!;
    const namespace = namespaceOf(gateway.object);
    const hit = this.routes.find({
      gateway: MESH, host, port: port.number, blocks: sidecarBlocks(port.protocol), preferNamespace: entryNamespace, entry: serviceEntry.index,
    });
    const destination = hit ? qualifyHost(hit.host, namespaceOf(hit.vs.object)) : host;
    const destinationPort = hit?.port ?? port.number;
    const proxy = { namespace, labels: { [GATEWAY_NAME_LABEL]: name } };
    const rules = destinationRulesFor(this.index, destination, proxy, destination === host ? entryNamespace : this.definedIn(destination, namespace));
    const tls = rules.tls(destinationPort, hit?.subset);
    const sidecar: SidecarHop = {
      via: 'waypoint',
      clientNamespace: entryNamespace,
      destination: `${name}.${namespace}.svc.cluster.local`,
      destinationPort: HBONE_PORT,
      traffic: 'istio-mutual',
    };
    const waypoint: WaypointHop = {
      gateway,
      boundBy,
      field: `metadata.labels.${USE_WAYPOINT}`,
      route: hit,
      destination,
      destinationPort,
      destinationRule: tls?.destinationRule ?? rules.ruleFor(hit?.subset),
      tlsOrigination: originatesTls(tls?.mode) ? tls : undefined,
    };
    return { port, sidecar, waypoint, allowed: allowedAt(this.waypointPolicies(serviceEntry, gateway), host, port.number) };
  }

  /**
   * The AuthorizationPolicies a waypoint applies to a host: those whose targetRefs name its ServiceEntry or the waypoint
   * itself (in their own namespace), and those of the root namespace that name the waypoints' GatewayClass, which every
   * waypoint applies (WorkloadPolicyMatcher.ShouldAttachPolicy).
   */
  private waypointPolicies(serviceEntry: IndexedObject, gateway: IndexedObject): IndexedObject[] {
    const names = (p: IndexedObject, o: IndexedObject, group: string, kind: string) => namespaceOf(p.object) === namespaceOf(o.object)
      && policyTargetRefs(p).some(t => t.group === group && t.kind === kind && t.name === o.object.metadata?.name
        && (kind !== 'Gateway' || t.namespace === undefined || t.namespace === '' || t.namespace === namespaceOf(o.object)));
    const namesEveryWaypoint = (p: IndexedObject) => namespaceOf(p.object) === ROOT_NAMESPACE
      && policyTargetRefs(p).some(t => t.group === GATEWAY_API_GROUP && t.kind === 'GatewayClass' && t.name === WAYPOINT_CLASS);
    return this.index.of('authorizationPolicy')
      .filter(p => names(p, serviceEntry, ISTIO_NETWORKING_GROUP, 'ServiceEntry') || names(p, gateway, GATEWAY_API_GROUP, 'Gateway')
        || namesEveryWaypoint(p))
      .sort((a, b) => compareStrings(label(a.object), label(b.object)));
  }

  /**
   * Kubernetes Service hosts (not ServiceEntry hosts) that mesh routes send to an egress gateway, with
   * the ports those routes match (a route without a port match says nothing about the port).
   */
  private routedServices(listed: Set<string>): HostPath[] {
    const found = new Map<string, { vs: IndexedObject; h: number; ports: Map<number, string> }>();
    const virtualServices = this.index.virtualServices;
    // Index loops, and no list per VirtualService until one names a Service host: most name external hosts only.
    for (let v = 0; v < virtualServices.length; v++) {
      const vs = virtualServices[v];
      if (!this.routes.gatewaysOf(vs).includes(MESH)) {
        continue;
      }
      const namespace = namespaceOf(vs.object);
      const written = strings(specOf(vs).hosts);
      let hosts: Array<{ host: string; i: number }> | undefined;
      for (let i = 0; i < written.length; i++) {
        const host = qualifyHost(written[i], namespace);
        if (serviceNamespace(host) !== undefined && !listed.has(host)) {
          (hosts ??= []).push({ host, i });
        }
      }
      if (!hosts) {
        continue;
      }
      for (const { block, port } of this.meshPortsToGateways(vs)) {
        for (const { host, i } of hosts) {
          const entry = found.get(host) ?? { vs, h: i, ports: new Map<number, string>() };
          found.set(host, entry);
          if (!entry.ports.has(port)) {
            entry.ports.set(port, BLOCK_PROTOCOL[block]);
          }
        }
      }
    }
    return mapList([...found], ([host, { vs, h, ports }]) => {
      const home = serviceNamespace(host)!;
      const service = this.index.of('service').find(x => namespaceOf(x.object) === home && x.object.metadata?.name === host.slice(0, host.indexOf('.')));
      const definition = service ?? vs;
      const entryPorts = [...ports].sort(([a], [b]) => a - b).map(([number, protocol]) => ({ number, protocol }));
      return {
        host,
        definition,
        definitionKind: service ? 'Service' as const : 'VirtualService' as const,
        hostField: service ? undefined : `spec.hosts[${h}]`,
        clients: clientsOf(this.lockdowns, definition, host),
        ports: mapList(entryPorts, port => this.portPath(namespaceOf(vs.object), host, port)),
      };
    });
  }

  /** The route blocks and matched ports of a VirtualService's mesh routes whose destination is an egress gateway. */
  private meshPortsToGateways(vs: IndexedObject): Array<{ block: Block; port: number }> {
    const out: Array<{ block: Block; port: number }> = [];
    for (const block of ['http', 'tls', 'tcp'] as const) {
      for (const route of asArray(specOf(vs)[block]).filter(isRecord)) {
        const destination = asArray(route.route).map(r => (isRecord(r) ? r.destination : undefined)).find(d => isRecord(d) && typeof d.host === 'string');
        if (!destination || !this.target(qualifyHost(destination.host, namespaceOf(vs.object)))) {
          continue;
        }
        for (const match of asArray(route.match).filter(isRecord)) {
          const gateways = strings(match.gateways);
          const port = portNumber(match.port);
          if (port !== undefined && (gateways.length === 0 ? this.routes.gatewaysOf(vs).includes(MESH) : gateways.includes(MESH))) {
            out.push({ block, port });
          }
        }
      }
    }
    return out;
  }

  /**
   * @param entryNamespace the namespace of what defines the host
   * @param entry the index of the ServiceEntry that defines it, if one does
   */
  private portPath(entryNamespace: string, host: string, port: EntryPort, entry?: number): PortPath {
    const blocks = sidecarBlocks(port.protocol);
    const hit = this.routes.find({ gateway: MESH, host, port: port.number, blocks, preferNamespace: entryNamespace, entry });
    const clientNamespace = hit ? namespaceOf(hit.vs.object) : entryNamespace;
    const destination = hit ? qualifyHost(hit.host, clientNamespace) : host;
    const destinationPort = hit?.port ?? port.number;
    const target = hit ? this.target(destination, host) : undefined;
    const destinationNamespace = target ? target.namespace : destination === host ? entryNamespace : this.definedIn(destination, clientNamespace);
    const rules = destinationRulesFor(this.index, destination, { namespace: clientNamespace }, destinationNamespace);
    const destinationRule = rules.ruleFor(hit?.subset);
    const tls = rules.tls(destinationPort, hit?.subset);
    const sidecar: SidecarHop = {
      via: target ? 'gateway' : 'direct',
      clientNamespace,
      route: hit,
      destination,
      destinationPort,
      subset: hit?.subset,
      destinationRule,
      tls,
      traffic: trafficOf(tls, port.protocol, hit),
    };
    if (!target) {
      return { port, sidecar };
    }
    // The route's gateways rank the servers by `namespace/name`, which `mesh` never is: no need to leave it out.
    const server = gatewayServer(target, destinationPort, host, this.routes.gatewaysOf(hit!.vs));
    return {
      port,
      sidecar,
      target,
      server,
      gatewayHop: server && this.gatewayHop(target, server, host),
      allowed: allowedAt(this.policiesOf(target), host, destinationPort),
    };
  }

  /**
   * The AuthorizationPolicies that apply to a gateway's pods (once per gateway), sorted by `namespace/name`: those of
   * its namespace or the root namespace without targetRefs whose selector takes the pods; for the pods of a Gateway API
   * Gateway (labelled with its name) also those of its namespace whose targetRefs name that Gateway (Istio's
   * WorkloadPolicyMatcher.ShouldAttachPolicy, pilot/pkg/model/policyattachment.go).
   */
  private policiesOf(target: GatewayTarget): IndexedObject[] {
    let applying = this.policies.get(target);
    if (!applying) {
      const gatewayName = Object.hasOwn(target.labels, GATEWAY_NAME_LABEL) ? target.labels[GATEWAY_NAME_LABEL] : undefined;
      const namesGateway = (p: IndexedObject) => gatewayName !== undefined && namespaceOf(p.object) === target.namespace
        && policyTargetRefs(p).some(ref => ref.group === GATEWAY_API_GROUP && ref.kind === 'Gateway' && ref.name === gatewayName
          && (ref.namespace === undefined || ref.namespace === '' || ref.namespace === target.namespace));
      applying = this.index.of('authorizationPolicy')
        .filter(p => (policyTargetRefs(p).length === 0 ? [target.namespace, ROOT_NAMESPACE].includes(namespaceOf(p.object))
          && selects(specOf(p).selector, target.labels) : namesGateway(p)))
        .sort((a, b) => compareStrings(label(a.object), label(b.object)));
      this.policies.set(target, applying);
    }
    return applying;
  }

  /**
   * The gateway a route destination leads to (once per destination); for a gateway Service named
   * otherwise, the one beside a Gateway in its namespace that serves `host` (once per host).
   */
  private target(destination: string, host?: string): GatewayTarget | undefined {
    if (!this.targets.has(destination)) {
      this.targets.set(destination, this.gatewayApiTarget(destination) ?? gatewayTarget(this.index, destination));
    }
    const target = this.targets.get(destination);
    if (target || host === undefined) {
      return target;
    }
    const key = `${destination} ${host}`;
    if (!this.targets.has(key)) {
      this.targets.set(key, gatewayTargetBeside(this.index, destination, host));
    }
    return this.targets.get(key);
  }

  /** The Gateway API Gateway of class `istio` behind a Service `<name>-istio` (Istio deploys it so), if any. */
  private gatewayApiTarget(destination: string): GatewayTarget | undefined {
    const namespace = serviceNamespace(destination);
    const gateway = namespace === undefined ? undefined
      : this.gatewayApi.gatewaysByService.get(`${destination.slice(0, destination.indexOf('.'))}.${namespace}`);
    return gateway && namespace !== undefined ? {
      service: destination,
      namespace,
      labels: { [GATEWAY_NAME_LABEL]: gateway.object.metadata!.name! },
      labelsFrom: 'gateway-api',
      gateways: [gateway],
    } : undefined;
  }

  /** The namespace of the Service or ServiceEntry that defines a host for a proxy in `namespace`. */
  private definedIn(host: string, namespace: string): string | undefined {
    const resolved = this.index.resolveHost(host, namespace);
    return resolved.status === 'found' ? namespaceOf(resolved.definitions[0].object) : serviceNamespace(host);
  }

  private gatewayHop(target: GatewayTarget, server: GatewayServer, host: string): GatewayHop | undefined {
    const hit = this.routes.find({
      gateway: label(server.gateway.object),
      host,
      port: server.port,
      blocks: gatewayBlocks(server.protocol, server.tls),
      namespaces: server.routeNamespaces && (ns => server.routeNamespaces!.has(ns)),
    });
    if (!hit) {
      return undefined;
    }
    const destination = qualifyHost(hit.host, namespaceOf(hit.vs.object));
    const destinationPort = hit.port ?? server.port;
    const proxy = { namespace: target.namespace, labels: target.labels };
    const rules = destinationRulesFor(this.index, destination, proxy, this.definedIn(destination, target.namespace));
    const tls = rules.tls(destinationPort);
    const destinationRule = tls?.destinationRule ?? rules.ruleFor();
    return { route: hit, destination, destinationPort, destinationRule, tlsOrigination: originatesTls(tls?.mode) ? tls : undefined };
  }
}

/** A policy's targetRefs, or its one legacy targetRef when it has none (Istio's GetTargetRefs). */
function policyTargetRefs(policy: IndexedObject): Array<Record<string, any>> {
  const spec = specOf(policy);
  const refs = asArray(spec.targetRefs);
  return (refs.length > 0 ? refs : spec.targetRef === undefined ? [] : [spec.targetRef]).filter(isRecord);
}

/** What the sidecar sends: what the DestinationRule sets up, else what the application sends on the port. */
function trafficOf(tls: TlsSetting | undefined, protocol: string, hit: RouteHit | undefined): HopTraffic {
  if (tls?.mode === 'ISTIO_MUTUAL') {
    return 'istio-mutual';
  }
  if (originatesTls(tls?.mode)) {
    return 'tls';
  }
  if (isHttpProtocol(protocol) || hit?.block === 'http') {
    return 'plain';
  }
  return isTlsProtocol(protocol) ? 'tls' : 'opaque';
}

interface WaypointBinding {
  readonly gateway: IndexedObject;
  readonly boundBy: IndexedObject;
}

// ---------------------------------------------------------------------------------------------
// Clients

const ALL = '*';

/** The protocol a route block stands for, for a port that only a route names. */
const BLOCK_PROTOCOL: Record<Block, string> = { http: 'HTTP', tls: 'TLS', tcp: 'TCP' };

/** @param lockdowns the REGISTRY_ONLY Sidecars among the objects */
function clientsOf(lockdowns: readonly IndexedObject[], serviceEntry: IndexedObject, host: string): Clients {
  const to = isKind(serviceEntry.object, 'serviceEntry') ? exportedTo(serviceEntry.object) : undefined;
  const targets = to ? [...to].filter(e => e !== '~').sort(compareStrings) : [ALL];
  const importedBy: SidecarImport[] = [];
  const blockedIn: SidecarImport[] = [];
  for (const sidecar of lockdowns) {
    const namespace = namespaceOf(sidecar.object);
    if (!targets.includes(ALL) && !targets.includes(namespace)) {
      continue;
    }
    const imports = importsHost(sidecarImportEntries(sidecar.object), namespace, namespaceOf(serviceEntry.object), host);
    (imports ? importedBy : blockedIn).push({ namespace, sidecar });
  }
  const blocked = new Set(blockedIn.map(b => b.namespace));
  const namespaces = targets.includes(ALL) ? [ALL] : targets.filter(ns => !blocked.has(ns));
  return { exportedTo: targets, importedBy, blockedIn, namespaces };
}

// ---------------------------------------------------------------------------------------------
// Authorization at the gateway

const SNI = 'connection.sni';

/**
 * Who the gateway lets through to a host: of the AuthorizationPolicies of the gateway pods' namespace
 * (and of the root namespace) whose selector matches the pods, the rules matched to the host by
 * `when: connection.sni` (the host the sidecar or the application names in the TLS to the gateway).
 */
function allowedAt(applying: IndexedObject[], host: string, port: number): Allowed {
  if (applying.length === 0) {
    // The usual gateway: no policy, so anyone gets through.
    return { policies: applying, allowPolicies: [], verdict: 'anyone', denyByDefault: [], allow: [], deny: [] };
  }
  const withAction = (action: string) => applying.filter(p => (specOf(p).action ?? 'ALLOW') === action);
  const allowPolicies = withAction('ALLOW');
  const allow = allowPolicies.flatMap(p => sourcesFor(p, host, port));
  const deny = withAction('DENY').flatMap(p => sourcesFor(p, host, port));
  // With any ALLOW policy on the pods, a request that no ALLOW rule matches is denied.
  const verdict = allowPolicies.length === 0 ? 'anyone' : allow.length > 0 ? 'listed' : 'nobody';
  const denyByDefault = allowPolicies.filter(p => asArray(specOf(p).rules).length === 0);
  return { policies: applying, allowPolicies, verdict, denyByDefault, allow, deny };
}

/**
 * The sources of the policy's rules that apply to `host` on the gateway's `port`. A rule without an SNI condition
 * applies to every host; of its operations only the ports are known here, so other operation fields count as matching.
 */
function sourcesFor(policy: IndexedObject, host: string, port: number): Sources[] {
  return asArray(specOf(policy).rules).flatMap((rule, i) => (isRecord(rule) && ruleAppliesTo(rule, host) && ruleAppliesToPort(rule, port)
    ? [sourcesOf(policy, rule, `spec.rules[${i}]`)] : []));
}

function ruleAppliesToPort(rule: Record<string, any>, port: number): boolean {
  const operations = asArray(rule.to).map(t => (isRecord(t) && isRecord(t.operation) ? t.operation : {}));
  return operations.length === 0 || operations.some(o =>
    (o.ports === undefined || strings(o.ports).includes(String(port))) && !strings(o.notPorts).includes(String(port)));
}

function ruleAppliesTo(rule: Record<string, any>, host: string): boolean {
  return asArray(rule.when).filter(c => isRecord(c) && c.key === SNI).every(c =>
    (c.values === undefined || strings(c.values).some(v => valueMatches(v, host)))
    && !strings(c.notValues).some(v => valueMatches(v, host)));
}

/** Istio's string match for policy values: exact, `*` alone, a `*` prefix or a `*` suffix. */
export function valueMatches(value: string, actual: string): boolean {
  if (value === '*') {
    return true;
  }
  if (value.startsWith('*')) {
    return actual.endsWith(value.slice(1));
  }
  if (value.endsWith('*')) {
    return actual.startsWith(value.slice(0, -1));
  }
  return value === actual;
}

/**
 * Whether a `source.namespaces` value matches the workloads of `namespace`. Istio matches the peer's principal
 * (`<trust domain>/ns/<namespace>/sa/<account>`) with the regex `.*\/ns\/<value, each * as .*>\/.*`, so a `*` may
 * reach past the namespace into `/sa`: `*a` matches every namespace. Account names hold no `/`, so the value's
 * pattern must match `<namespace>` or `<namespace>/sa` whole.
 */
export function sourceNamespaceMatches(value: string, namespace: string): boolean {
  const pattern = new RegExp(`^(?:${value.split('*').map(escapeRegex).join('.*')})$`);
  return pattern.test(namespace) || pattern.test(`${namespace}/sa`);
}

/**
 * Whether a `source.namespaces` value matches every namespace: then it matches a namespace whose name shares no
 * character with the value's literal parts (those parts must have matched in `/sa`, or be empty, so any other name
 * matches the same way).
 */
export function matchesEveryNamespace(value: string): boolean {
  const stranger = [...'abcdefghijklmnopqrstuvwxyz0123456789'].find(c => !value.includes(c));
  return stranger !== undefined && sourceNamespaceMatches(value, stranger);
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function sourcesOf(policy: IndexedObject, rule: Record<string, any>, field: string): Sources {
  const sources = asArray(rule.from).map(f => (isRecord(f) && isRecord(f.source) ? f.source : {}));
  const namespaces = sources.flatMap(s => strings(s.namespaces));
  const principals = sources.flatMap(s => strings(s.principals));
  const identityOnly = sources.length > 0 && sources.every(s => strings(s.namespaces).length > 0 || strings(s.principals).length > 0);
  return { policy, field, any: sources.length === 0, namespaces, principals, identityOnly };
}

// ---------------------------------------------------------------------------------------------
// The objects on a path

/**
 * An object on a path, and which of its findings concern the path: those whose field is under one
 * of `within`, or under none of `lists` (the object's per-host, per-port or per-route lists).
 */
export interface PathObject {
  readonly index: number;
  readonly within: string[];
  readonly lists: string[];
}

const ROUTE_LISTS = ['spec.http[', 'spec.tls[', 'spec.tcp[', 'spec.rules['];
/** A DestinationRule's parts for one subset or one port. */
const RULE_LISTS = ['spec.subsets[', 'spec.trafficPolicy.portLevelSettings['];

/** The objects a port's traffic passes through, each with the parts of it that concern this path. */
export function pathObjects(host: HostPath, path: PortPath): PathObject[] {
  const objects = new Map<number, PathObject>();
  const add = (o: IndexedObject | undefined, within: string[], lists: string[]) => {
    if (!o) {
      return;
    }
    const known = objects.get(o.index);
    objects.set(o.index, known
      ? { index: o.index, within: [...known.within, ...within], lists: [...new Set([...known.lists, ...lists])] }
      : { index: o.index, within, lists });
  };
  add(host.definition, [host.hostField, path.port.field].filter((f): f is string => f !== undefined), ['spec.hosts[', 'spec.ports[']);
  add(path.sidecar.route?.vs, path.sidecar.route ? [path.sidecar.route.field] : [], ROUTE_LISTS);
  add(path.sidecar.destinationRule, subsetPart(path.sidecar.destinationRule, path.sidecar.subset), RULE_LISTS);
  add(path.sidecar.tls?.destinationRule, tlsPart(path.sidecar.tls), RULE_LISTS);
  add(path.server?.gateway, path.server ? [path.server.field] : [], ['spec.servers[']);
  add(path.gatewayHop?.route.vs, path.gatewayHop ? [path.gatewayHop.route.field] : [], ROUTE_LISTS);
  add(path.gatewayHop?.destinationRule, tlsPart(path.gatewayHop?.tlsOrigination), RULE_LISTS);
  add(path.waypoint?.gateway, [], []);
  add(path.waypoint?.boundBy, path.waypoint ? [path.waypoint.field] : [], []);
  add(path.waypoint?.route?.vs, path.waypoint?.route ? [path.waypoint.route.field] : [], ROUTE_LISTS);
  add(path.waypoint?.destinationRule, tlsPart(path.waypoint?.tlsOrigination), RULE_LISTS);
  for (const sources of [...path.allowed?.allow ?? [], ...path.allowed?.deny ?? []]) {
    add(sources.policy, [sources.field], ['spec.rules[']);
  }
  for (const policy of path.allowed?.denyByDefault ?? []) {
    add(policy, [], ['spec.rules[']);
  }
  return [...objects.values()].sort((a, b) => a.index - b.index);
}

/** The subset of a DestinationRule that a hop uses, if it names one. */
function subsetPart(dr: IndexedObject | undefined, subset: string | undefined): string[] {
  const at = subset === undefined || !dr ? -1 : asArray(specOf(dr).subsets).findIndex(s => isRecord(s) && s.name === subset);
  return at >= 0 ? [`spec.subsets[${at}]`] : [];
}

/**
 * The part of a DestinationRule that sets a hop's TLS: its subset, its port-level setting for the
 * port, or its traffic policy's own tls.
 */
function tlsPart(tls: TlsSetting | undefined): string[] {
  if (!tls) {
    return [];
  }
  const item = /^(spec\.subsets\[\d+\]|spec\.trafficPolicy\.portLevelSettings\[\d+\])/.exec(tls.field);
  return [item ? item[1] : tls.field];
}

/** Is `field` the part `prefix` or inside it? */
export function isWithin(field: string, prefix: string): boolean {
  return field === prefix || (field.startsWith(prefix) && ['.', '['].includes(field[prefix.length]));
}

/** Does a finding's field concern the path through this object? */
export function concernsPath(o: PathObject, field: string): boolean {
  return o.within.some(prefix => isWithin(field, prefix)) || !o.lists.some(list => field.startsWith(list));
}

/** Findings once each: several hosts and ports can lead to the same finding about one object. */
export function dedupe(findings: ObjectFinding[]): ObjectFinding[] {
  const seen = new Set<string>();
  return findings.filter(f => {
    const key = JSON.stringify([f.index, f.rule, f.field, f.message]);
    return seen.has(key) ? false : (seen.add(key), true);
  });
}
