/** Istio's port protocols (pkg/config/protocol), compared case-insensitively as Istio does. */
const CANONICAL = new Map<string, string>(Object.entries({
  'tcp': 'TCP',
  'udp': 'UDP',
  'grpc': 'GRPC',
  'grpc-web': 'GRPC-Web',
  'http': 'HTTP',
  'http_proxy': 'HTTP_PROXY',
  'http2': 'HTTP2',
  'https': 'HTTPS',
  'tls': 'TLS',
  'mongo': 'Mongo',
  'redis': 'Redis',
  'mysql': 'MySQL',
}));

/** The canonical spelling of a protocol, or undefined when Istio does not know it. */
export function parseProtocol(value: unknown): string | undefined {
  // A Map, so that names such as `constructor` are not found on Object.prototype.
  return typeof value === 'string' ? CANONICAL.get(value.toLowerCase()) : undefined;
}

export function knownProtocols(): string[] {
  return [...CANONICAL.values()];
}

// Module constants: the checks ask for every port and server, mostly before V8 has optimized them, when a list
// written in the function would be made anew at each call.
const HTTP_PROTOCOLS = ['HTTP', 'HTTP2', 'HTTP_PROXY', 'GRPC', 'GRPC-Web'];
const TLS_PROTOCOLS = ['HTTPS', 'TLS'];

/** Protocols that carry HTTP (protocol.Instance.IsHTTP; routes go in the VirtualService `http` block). */
export function isHttpProtocol(value: unknown): boolean {
  return HTTP_PROTOCOLS.includes(parseProtocol(value) ?? '');
}

/** Protocols on top of TLS, where the SNI tells hosts apart (protocol.Instance.IsTLS). */
export function isTlsProtocol(value: unknown): boolean {
  return TLS_PROTOCOLS.includes(parseProtocol(value) ?? '');
}

/**
 * The VirtualService route blocks that take a port's traffic at a sidecar (pilot's outbound listeners):
 * an HTTP port takes http routes only (a VirtualService without them builds no virtual host); a TLS
 * port tls routes, then tcp routes; other ports tcp routes; a port without protocol is sniffed, so
 * http and tcp. A protocol Istio does not know: every block, so that no route is overlooked.
 */
export function sidecarRouteBlocks(protocol: unknown): Array<'http' | 'tls' | 'tcp'> {
  if (protocol === undefined || protocol === null || protocol === '') {
    return ['http', 'tcp'];
  }
  if (parseProtocol(protocol) === undefined) {
    return ['http', 'tls', 'tcp'];
  }
  return isHttpProtocol(protocol) ? ['http'] : isTlsProtocol(protocol) ? ['tls', 'tcp'] : ['tcp'];
}

/** Ports whose protocol Istio takes as TCP when the name says nothing (SMTP, DNS, MySQL, MongoDB). */
const WELL_KNOWN_PORTS = new Set([25, 53, 3306, 27017]);

/**
 * The protocol Istio reads for a Kubernetes Service port (pkg/config/kube ConvertProtocol): UDP for
 * UDP ports; else the appProtocol, or the name, up to its first `-`; TCP for a few well-known ports
 * whose name says nothing. Undefined: no protocol (Istio sniffs the traffic).
 */
export function istioPortProtocol(port: unknown, name: unknown, protocol?: unknown, appProtocol?: unknown): string | undefined {
  if (protocol === 'UDP') {
    return 'UDP';
  }
  let text = typeof name === 'string' ? name : '';
  if (typeof appProtocol === 'string') {
    const standard: Record<string, string> = { 'kubernetes.io/h2c': 'HTTP2', 'kubernetes.io/ws': 'HTTP', 'kubernetes.io/wss': 'HTTPS' };
    if (Object.hasOwn(standard, appProtocol)) {
      return standard[appProtocol];
    }
    text = appProtocol;
  }
  if (text.toLowerCase().startsWith('grpc-web')) {
    return 'GRPC-Web';
  }
  const dash = text.indexOf('-');
  const parsed = parseProtocol(dash < 0 ? text : text.slice(0, dash));
  if (parsed === undefined && typeof port === 'number' && WELL_KNOWN_PORTS.has(port)) {
    return 'TCP';
  }
  return parsed;
}
