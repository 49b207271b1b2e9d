/**
 * Builds the explain report: for each external host and port, the hops its traffic takes from the clients'
 * sidecars, through an egress gateway when a mesh route sends it there, to the host.
 */
import { asArray, isRecord } from '../../rules/finding';
import { serviceNamespace } from '../../analysis/model';
import { LoadedObject, compareStrings } from '../input';
import { allowedAt } from './authz';
import { clientsOf } from './clients';
import { ExplainReport, GatewayHop, GatewayServer, HostPath, ObjectLocation, PortPath, SidecarHop } from './model';
import { MESH, ObjectIndex, boundGateways, byPreference, covers, indexObjects, namespaceOf, portNumber, refOf, specOf, strings } from './objects';
import { RouteHit, findRoute, gatewayBlocks, routeName, sidecarBlocks } from './routes';
import { tlsOrigination, tlsToGateway } from './tls';


export function explainObjects(objects: LoadedObject[]): ExplainReport {
  const index = indexObjects(objects);
  const hosts = externalHosts(index).map(({ serviceEntry, host }) => hostPath(index, serviceEntry, host));
  return { hosts };
}

/** Every host of every ServiceEntry outside the mesh, sorted by host. */
function externalHosts(index: ObjectIndex): { serviceEntry: LoadedObject; host: string }[] {
  return index.serviceEntries
    .filter(se => (specOf(se).location ?? 'MESH_EXTERNAL') === 'MESH_EXTERNAL')
    .flatMap(serviceEntry => strings(specOf(serviceEntry).hosts).map(host => ({ serviceEntry, host })))
    .sort((a, b) => compareStrings(a.host, b.host) || compareStrings(refOf(a.serviceEntry), refOf(b.serviceEntry)));
}

function hostPath(index: ObjectIndex, serviceEntry: LoadedObject, host: string): HostPath {
  const resolution = specOf(serviceEntry).resolution;
  return {
    host,
    serviceEntry: locationOf(serviceEntry),
    resolution: typeof resolution === 'string' ? resolution : null,
    clients: clientsOf(index, serviceEntry, host),
    ports: noteBypass(asArray(specOf(serviceEntry).ports)
      .filter(p => isRecord(p) && portNumber(p.number) !== undefined)
      .map(p => portPath(index, serviceEntry, host, p))),
  };
}

/** A port that goes direct while others of the host go through a gateway is usually a port forgotten in the route. */
function noteBypass(ports: PortPath[]): PortPath[] {
  const routed = ports.filter(p => p.sidecar.via === 'gateway').map(p => p.port);
  if (routed.length === 0) {
    return ports;
  }
  const which = routed.length > 1 ? `ports ${routed.join(', ')} of the host go` : `port ${routed[0]} of the host goes`;
  const note = `bypasses the egress gateway that ${which} through`;
  return ports.map(p => (p.sidecar.via === 'direct' ? { ...p, problems: [...p.problems, note] } : p));
}

export function locationOf(o: LoadedObject): ObjectLocation {
  return { ref: refOf(o), file: o.file, line: o.line };
}

function portPath(index: ObjectIndex, serviceEntry: LoadedObject, host: string, port: Record<string, any>): PortPath {
  const number = port.number as number;
  const protocol = typeof port.protocol === 'string' ? port.protocol : 'TCP';
  const base = {
    port: number,
    protocol,
    name: typeof port.name === 'string' ? port.name : null,
    targetPort: portNumber(port.targetPort) ?? null,
  };
  const namespace = namespaceOf(serviceEntry);
  const hit = findRoute(index.virtualServices, { gateway: MESH, host, port: number, blocks: sidecarBlocks(protocol), preferNamespace: namespace });
  const gatewayNamespace = hit && gatewayServiceNamespace(index, hit.host);
  if (!hit || !gatewayNamespace) {
    return { ...base, sidecar: directHop(index, host, number, namespace, hit), gateway: null, gatewayHop: null, allowed: null, problems: [] };
  }
  return { ...base, ...gatewayPath(index, host, number, namespace, hit, gatewayNamespace) };
}

/** The namespace of an egress gateway whose Service the host names (`<service>.<namespace>.svc`, with any cluster domain). */
function gatewayServiceNamespace(index: ObjectIndex, host: string): string | undefined {
  const namespace = serviceNamespace(host);
  return namespace && index.gateways.some(g => namespaceOf(g) === namespace) ? namespace : undefined;
}

/**
 * Straight from the sidecar to the host (or where a mesh route sends it), with TLS origination if a rule asks for it.
 * DestinationRule port settings name the service port, not the target port, so `port` is the ServiceEntry's.
 */
function directHop(index: ObjectIndex, host: string, port: number, namespace: string, hit: RouteHit | undefined): SidecarHop {
  const destination = hit?.host ?? host;
  const destinationPort = hit?.port ?? port;
  const origination = tlsOrigination(index.destinationRules, destination, destinationPort, namespace);
  return {
    via: 'direct',
    virtualService: hit ? refOf(hit.vs) : null,
    route: hit ? routeName(hit) : null,
    destination,
    destinationPort,
    subset: hit?.subset ?? null,
    tls: origination?.mode ?? 'plain',
    tlsFrom: origination?.destinationRule ?? null,
  };
}

function gatewayPath(index: ObjectIndex, host: string, port: number, namespace: string, hit: RouteHit, gatewayNamespace: string):
Omit<PortPath, 'port' | 'protocol' | 'name' | 'targetPort'> {
  const gatewayPort = hit.port ?? port;
  const tls = tlsToGateway(index.destinationRules, hit.host, hit.subset, gatewayPort, namespace);
  const sidecar: SidecarHop = {
    via: 'gateway',
    virtualService: refOf(hit.vs),
    route: routeName(hit),
    destination: hit.host,
    destinationPort: gatewayPort,
    subset: hit.subset ?? null,
    tls: tls?.mode ?? 'plain',
    tlsFrom: tls?.destinationRule ?? null,
  };
  const gateway = gatewayServer(index, gatewayNamespace, gatewayPort, host, hit.vs);
  if (!gateway) {
    const problem = `no Gateway in ${gatewayNamespace} has a server for ${host} on port ${gatewayPort}: the gateway drops the traffic`;
    return { sidecar, gateway: null, gatewayHop: null, allowed: null, problems: [problem] };
  }
  const gatewayHop = gatewayRoute(index, gateway, gatewayNamespace, host) ?? null;
  const allowed = allowedAt(index.authorizationPolicies, gateway, gatewayNamespace, host);
  const problems = [
    ...(gatewayHop ? [] : [
      `no VirtualService bound to ${gateway.gateway} routes ${host} on port ${gateway.port}: the gateway answers 404 or drops it`,
    ]),
    ...tlsMismatch(sidecar.tls, gateway),
    ...(allowed.verdict === 'listed' && sidecar.tls !== 'ISTIO_MUTUAL' && allowed.allow.some(s => !s.any)
      ? ['the gateway authorizes by workload identity, which only ISTIO_MUTUAL to the gateway carries'] : []),
  ];
  return { sidecar, gateway, gatewayHop, allowed, problems };
}

function tlsMismatch(sidecarTls: string, gateway: GatewayServer): string[] {
  if ((sidecarTls === 'ISTIO_MUTUAL') === (gateway.tls === 'ISTIO_MUTUAL')) {
    return [];
  }
  return [`the sidecar sends ${sidecarTls === 'plain' ? 'no mutual TLS' : sidecarTls} to a gateway server with TLS mode ${gateway.tls}`];
}

/** The Gateway server on the gateway's pods for `host` and `port`, preferring the Gateways the route names. */
function gatewayServer(index: ObjectIndex, namespace: string, port: number, host: string, vs: LoadedObject): GatewayServer | undefined {
  const bound = boundGateways(vs);
  const gateways = byPreference(index.gateways.filter(g => namespaceOf(g) === namespace), g => (bound.includes(refOf(g)) ? 0 : 1));
  for (const gateway of gateways) {
    const server = asArray(specOf(gateway).servers).find(s => isRecord(s) && serverServes(s, port, host));
    if (server) {
      return serverOf(gateway, server);
    }
  }
  return undefined;
}

function serverServes(server: Record<string, any>, port: number, host: string): boolean {
  const serverPort = isRecord(server.port) ? portNumber(server.port.number) : undefined;
  // Server hosts may be `namespace/host`; the namespace part only limits which VirtualServices may bind.
  return serverPort === port && strings(server.hosts).some(h => covers(h.slice(h.indexOf('/') + 1), host));
}

function serverOf(gateway: LoadedObject, server: Record<string, any>): GatewayServer {
  const selector = isRecord(specOf(gateway).selector) ? specOf(gateway).selector : {};
  return {
    gateway: refOf(gateway),
    selector: Object.fromEntries(Object.entries(selector).map(([k, v]) => [k, String(v)])),
    port: server.port.number,
    protocol: typeof server.port.protocol === 'string' ? server.port.protocol : 'TCP',
    tls: isRecord(server.tls) && typeof server.tls.mode === 'string' ? server.tls.mode : 'none',
  };
}

/** The gateway-bound route to the external host, and TLS origination at the gateway if a rule there asks for it. */
function gatewayRoute(index: ObjectIndex, gateway: GatewayServer, namespace: string, host: string): GatewayHop | undefined {
  const blocks = gatewayBlocks(gateway.protocol, gateway.tls);
  const hit = findRoute(index.virtualServices, { gateway: gateway.gateway, host, port: gateway.port, blocks });
  if (!hit) {
    return undefined;
  }
  const destinationPort = hit.port ?? gateway.port;
  return {
    virtualService: refOf(hit.vs),
    route: routeName(hit),
    destination: hit.host,
    destinationPort,
    tlsOrigination: tlsOrigination(index.destinationRules, hit.host, destinationPort, namespace, gateway.selector) ?? null,
  };
}
