/**
 * The explain diagram: a Mermaid flowchart with one subgraph per external host and the chain
 * clients --> sidecar --> gateway --> host, edges labelled with the route, protocol and TLS mode.
 */
import { allowedText, clientsText, portText, routeText, selectorText, tlsText, waypointText } from './describe';
import { GatewayServer, HostPath, PortPath } from './model';

/** A Mermaid node id: letters, digits and underscores only. */
export function nodeId(...parts: (string | number)[]): string {
  return parts.map(p => String(p).replace(/[^A-Za-z0-9_]/g, '_')).join('_');
}

/** A quoted Mermaid label; quotes become entities, line breaks `<br/>`. */
export function label(text: string): string {
  return `"${text.replace(/"/g, '#quot;').replace(/\n/g, '<br/>')}"`;
}

export function formatMermaid(hosts: HostPath[]): string {
  const lines = ['flowchart LR', ...hosts.flatMap((h, i) => hostLines(h, `h${i}`))];
  return lines.join('\n') + '\n';
}

/** The diagram in a fenced block, as GitHub renders it in Markdown. */
export function formatMermaidBlock(hosts: HostPath[]): string {
  return '```mermaid\n' + formatMermaid(hosts) + '```\n';
}

function hostLines(h: HostPath, prefix: string): string[] {
  const clients = nodeId(prefix, 'clients');
  const sidecar = nodeId(prefix, 'sidecar');
  const nodes = new Map<string, string>([
    [clients, `clients: ${clientsText(h.clients)}`],
    [sidecar, h.ports.some(p => p.waypoint) ? 'client ztunnel' : 'client sidecar'],
  ]);
  const edges = [`${clients} -->|${label(h.ports.map(portText).join(', '))}| ${sidecar}`];
  for (const p of h.ports) {
    edges.push(...portEdges(h.host, p, prefix, sidecar, nodes));
  }
  return [
    `  subgraph ${prefix}[${label(`${h.host} (${h.definedBy.kind} ${h.definedBy.ref})`)}]`,
    ...[...nodes].map(([id, text]) => `    ${id}[${label(text)}]`),
    ...edges.map(e => `    ${e}`),
    '  end',
  ];
}

/** The edges of one port; nodes they need are added to `nodes` (a gateway or host node is shared by ports). */
function portEdges(host: string, p: PortPath, prefix: string, sidecar: string, nodes: Map<string, string>): string[] {
  const hop = p.sidecar;
  if (p.waypoint) {
    const waypoint = nodeId(prefix, 'waypoint', p.waypoint.waypoint);
    nodes.set(waypoint, `${waypointText(p.waypoint)}\nallowed: ${allowedText(p.allowed)}`);
    const target = external(prefix, p.waypoint.destination, p.waypoint.destinationPort, nodes);
    const tls = p.waypoint.tlsOrigination ? tlsText(p.waypoint.tlsOrigination) : 'as received';
    const route = p.waypoint.route ? `${routeText(p.waypoint)}, ` : '';
    return [`${sidecar} -->|${label(`${p.port}: HBONE`)}| ${waypoint}`, `${waypoint} -->|${label(`${route}${tls}`)}| ${target}`];
  }
  if (hop.via === 'direct') {
    const target = external(prefix, hop.destination, hop.destinationPort, nodes);
    const tls = hop.tlsFrom ? tlsText({ mode: hop.tls, destinationRule: hop.tlsFrom }) : 'plain';
    return [`${sidecar} -->|${label(`${p.port}: direct, ${tls}`)}| ${target}`];
  }
  const toGateway = label(`${routeText(hop)} ${hop.tls} → port ${hop.destinationPort}`);
  if (!p.gateway) {
    const missing = nodeId(prefix, 'nogateway', hop.destinationPort);
    nodes.set(missing, `no Gateway server for ${host} on port ${hop.destinationPort}`);
    return [`${sidecar} -->|${toGateway}| ${missing}`];
  }
  const gateway = nodeId(prefix, 'gw', p.gateway.port);
  nodes.set(gateway, gatewayLabel(p.gateway, p));
  const edges = [`${sidecar} -->|${toGateway}| ${gateway}`];
  if (!p.gatewayHop) {
    const missing = nodeId(prefix, 'noroute', p.gateway.port);
    nodes.set(missing, `no gateway route for ${host} on port ${p.gateway.port}`);
    return [...edges, `${gateway} -.-> ${missing}`];
  }
  const target = external(prefix, p.gatewayHop.destination, p.gatewayHop.destinationPort, nodes);
  const tls = p.gatewayHop.tlsOrigination ? tlsText(p.gatewayHop.tlsOrigination) : 'as received';
  return [...edges, `${gateway} -->|${label(`${routeText(p.gatewayHop)}, ${tls}`)}| ${target}`];
}

function gatewayLabel(g: GatewayServer, p: PortPath): string {
  const pods = p.gatewayService && !g.gateway.startsWith(`${p.gatewayService.namespace}/`) ? ` (pods in ${p.gatewayService.namespace})` : '';
  return `Gateway ${g.gateway}\n${selectorText(g.selector)}${pods}\nport ${g.port} ${g.protocol}, TLS ${g.tls}\nallowed: ${allowedText(p.allowed)}`;
}

function external(prefix: string, host: string, port: number, nodes: Map<string, string>): string {
  const id = nodeId(prefix, 'ext', host, port);
  nodes.set(id, `${host}:${port}`);
  return id;
}
