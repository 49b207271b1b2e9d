/** Short descriptions of each hop, shared by the table and the diagram. */
import { Allowed, Clients, GatewayHop, GatewayServer, GatewayService, PortPath, Problem, SidecarHop, Sources, TlsSetting, WaypointHop } from './model';

export function portText(p: PortPath): string {
  return `${p.port}/${p.protocol}${p.targetPort !== null && p.targetPort !== p.port ? ` (target ${p.targetPort})` : ''}`;
}

export function clientsText(c: Clients): string {
  const sidecars = (list: { namespace: string; sidecar: string }[]) => list.map(b => `${b.namespace} (Sidecar ${b.sidecar})`).join(', ');
  if (c.namespaces.includes('*')) {
    return c.blockedIn.length === 0 ? 'all namespaces' : `all namespaces except ${sidecars(c.blockedIn)}`;
  }
  return c.namespaces.length === 0 ? 'none' : c.namespaces.join(', ');
}

export function tlsText(tls: TlsSetting | null): string {
  return tls ? `TLS origination ${tls.mode} (DestinationRule ${tls.destinationRule})` : '';
}

/** `http[0]` for a VirtualService's route (the table's heading says so); `HTTPRoute ns/name rules[0]` for a Gateway API route. */
export function routeText(hop: { readonly routeKind: string | null; readonly virtualService: string | null; readonly route: string | null }): string {
  return hop.routeKind && hop.routeKind !== 'VirtualService' ? `${hop.routeKind} ${hop.virtualService} ${hop.route}` : hop.route ?? '';
}

export function sidecarText(hop: SidecarHop, host: string, port: number): string {
  if (hop.via === 'waypoint') {
    return `ztunnel → waypoint ${hop.destination}:${hop.destinationPort} (HBONE, mutual TLS)`;
  }
  if (hop.via === 'gateway') {
    const subset = hop.subset ? ` subset ${hop.subset}` : '';
    const sni = hop.sni ? ` sni ${hop.sni}` : '';
    return `${routeText(hop)} → ${hop.destination}:${hop.destinationPort}${subset}, ${hop.tls}${sni}`;
  }
  const elsewhere = hop.destination !== host || hop.destinationPort !== port ? ` to ${hop.destination}:${hop.destinationPort}` : '';
  const origination = hop.tlsFrom ? `, ${tlsText({ mode: hop.tls, destinationRule: hop.tlsFrom })}` : '';
  return `direct from the sidecar${elsewhere}${origination}`;
}

export function selectorText(selector: Record<string, string>): string {
  return Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(',');
}

/** The Gateway and server the traffic arrives at; where the gateway pods run when the Gateway lives elsewhere. */
export function gatewayText(gateway: GatewayServer | null, service: GatewayService | null): string {
  if (!gateway) {
    return service ? `no server (Gateways of the pods: ${service.gateways.join(', ')})` : 'none';
  }
  const pods = service && !gateway.gateway.startsWith(`${service.namespace}/`) ? ` (pods in ${service.namespace})` : '';
  return `${gateway.gateway} [${selectorText(gateway.selector)}]${pods} port ${gateway.port} ${gateway.protocol}, TLS ${gateway.tls}`;
}

/** The waypoint and what binds the host to it. */
export function waypointText(hop: WaypointHop): string {
  return `waypoint ${hop.waypoint} (bound by ${hop.boundBy})`;
}

/** From the waypoint to the host: the route parented to the ServiceEntry, if any, and TLS origination. */
export function waypointHopText(hop: WaypointHop): string {
  const route = hop.route ? `${routeText(hop)} → ` : '→ ';
  const origination = hop.tlsOrigination ? `, ${tlsText(hop.tlsOrigination)}` : '';
  return `${route}${hop.destination}:${hop.destinationPort}${origination}`;
}

export function gatewayHopText(hop: GatewayHop | null): string {
  if (!hop) {
    return 'none';
  }
  const origination = hop.tlsOrigination ? `, ${tlsText(hop.tlsOrigination)}` : '';
  return `${routeText(hop)} → ${hop.destination}:${hop.destinationPort}${origination}`;
}

export function allowedText(allowed: Allowed | null): string {
  if (!allowed) {
    return 'no gateway';
  }
  const denied = allowed.deny.length > 0 ? `; denied: ${allowed.deny.map(sourcesText).join('; ')}` : '';
  if (allowed.verdict === 'anyone') {
    return `anyone (no ALLOW policy)${denied}`;
  }
  if (allowed.verdict === 'nobody') {
    const why = allowed.denyByDefault.length > 0
      ? `deny by default: ${allowed.denyByDefault.join(', ')}`
      : `no ALLOW rule for the host in ${allowed.allowPolicies.join(', ')}`;
    return `nobody (${why})${denied}`;
  }
  return `${allowed.allow.map(sourcesText).join('; ')}${denied}`;
}

function sourcesText(s: Sources): string {
  const parts = [
    ...(s.principals.length > 0 ? [`principals ${s.principals.join(', ')}`] : []),
    ...(s.namespaces.length > 0 ? [`namespaces ${s.namespaces.join(', ')}`] : []),
  ];
  const who = s.any ? 'any source' : parts.length > 0 ? parts.join(' and ') : 'other sources';
  return `${who} (${s.policy})`;
}

/** `error EGR130 DestinationRule ns/name spec.subsets[0]...: message` */
export function problemText(p: Problem): string {
  return `${p.severity} ${p.code}${p.code.startsWith('EGR') || p.code === p.rule ? '' : ` ${p.rule}`} ${p.object} ${p.field}: ${p.message}`;
}
