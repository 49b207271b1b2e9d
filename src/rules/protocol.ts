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

/** Protocols that carry HTTP (routes go in the VirtualService `http` block). */
export function isHttpProtocol(value: unknown): boolean {
  return ['HTTP', 'HTTP2', 'HTTP_PROXY', 'GRPC', 'GRPC-Web'].includes(parseProtocol(value) ?? '');
}

/** Protocols on top of TLS, where the SNI tells hosts apart. */
export function isTlsProtocol(value: unknown): boolean {
  return ['HTTPS', 'TLS'].includes(parseProtocol(value) ?? '');
}
