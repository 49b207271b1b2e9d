/** Gateway rules: Istio's ValidateGateway and validateServer (GW1..GW20 in the rules notes). */
import { Finding, FindingCollector, Manifest, asArray, isRecord } from './finding';
import { checkPartialWildcard, checkPortNumber, checkWildcardDomain, isDns1123Label, isIpAddress } from './names';
import { parseProtocol } from './protocol';
import { checkSelectorLabels } from './service-entry';

const GATEWAY_PROTOCOLS = ['HTTP', 'HTTPS', 'HTTP2', 'GRPC', 'GRPC-Web', 'TLS', 'TCP', 'Mongo', 'Redis', 'MySQL'];
const TLS_MODES = ['PASSTHROUGH', 'SIMPLE', 'MUTUAL', 'AUTO_PASSTHROUGH', 'ISTIO_MUTUAL', 'OPTIONAL_MUTUAL'];

export function checkGateway(gw: Manifest): Finding[] {
  const out = new FindingCollector();
  const spec = isRecord(gw.spec) ? gw.spec : {};
  const name = gw.metadata?.name;
  if (typeof name === 'string' && !isDns1123Label(name)) {
    out.error('GW1', 'metadata.name', name, `invalid gateway name: "${name}"`,
      'a Gateway name is a DNS-1123 label: letters, digits and dashes, no dots');
  }
  const servers = asArray(spec.servers);
  if (servers.length === 0) {
    out.error('GW2', 'spec.servers', spec.servers, 'gateway must have at least one server', 'add a server with a port and hosts');
  }
  const portNames = new Set<string>();
  servers.forEach((server, i) => checkServer(out, isRecord(server) ? server : {}, `spec.servers[${i}]`, portNames));
  checkSelectorLabels(out, spec.selector, 'spec.selector');
  return out.findings;
}

function checkServer(out: FindingCollector, server: Record<string, any>, field: string, portNames: Set<string>): void {
  const hosts = asArray(server.hosts);
  if (hosts.length === 0) {
    out.error('GW3', `${field}.hosts`, server.hosts, 'server config must contain at least one host', 'list the hosts this server accepts');
  }
  hosts.forEach((host, j) => {
    const bad = checkGatewayHost(host);
    if (bad) {
      out.error('GW4', `${field}.hosts[${j}]`, host, bad, 'use `[namespace/]host.example.com`, where namespace is `*`, `.` or a namespace name');
    }
  });

  const port = server.port;
  if (!isRecord(port)) {
    out.error('GW6', `${field}.port`, port, 'port is required', 'give the server a port with number, name and protocol');
  } else {
    const badNumber = checkPortNumber(port.number);
    if (badNumber) {
      out.error('GW6', `${field}.port.number`, port.number, badNumber, 'use a port number from 1 to 65535');
    }
    const protocol = parseProtocol(port.protocol);
    if (!protocol || !GATEWAY_PROTOCOLS.includes(protocol)) {
      out.error('GW7', `${field}.port.protocol`, port.protocol,
        `invalid protocol "${String(port.protocol)}", supported protocols are HTTP, HTTP2, GRPC, GRPC-WEB, MONGO, REDIS, MYSQL, TCP`,
        'use one of HTTP, HTTPS, HTTP2, GRPC, TLS, TCP, Mongo, Redis, MySQL');
    }
    if (typeof port.name !== 'string' || port.name === '') {
      out.error('GW8', `${field}.port.name`, port.name, 'port name must be set', 'name the port, e.g. http-80');
    } else if (portNames.has(port.name)) {
      out.error('GW9', `${field}.port.name`, port.name, `port names in servers must be unique: duplicate name ${port.name}`,
        'give each server port its own name');
    } else {
      portNames.add(port.name);
    }
    if (port.targetPort !== undefined) {
      out.error('GW10', `${field}.port.targetPort`, port.targetPort, 'targetPort has no impact on Gateways', 'remove targetPort');
    }
    checkServerTls(out, server.tls, protocol, field);
  }
}

/** A Gateway server host: `[ns/]dnsName`, ns one of `*`, `.` or a namespace; no short names, no partial wildcards. */
export function checkGatewayHost(host: unknown): string | undefined {
  if (typeof host !== 'string') {
    return 'host must be a string';
  }
  const slash = host.indexOf('/');
  const namespace = slash < 0 ? undefined : host.slice(0, slash);
  const dnsName = slash < 0 ? host : host.slice(slash + 1);
  if (namespace !== undefined) {
    if (namespace === '' || dnsName === '') {
      return 'config namespace and dnsName in host entry cannot be empty';
    }
    if (namespace !== '*' && namespace !== '.' && !isDns1123Label(namespace)) {
      return `invalid namespace value "${namespace}" in gateway`;
    }
  }
  if (dnsName === '*' || isIpAddress(dnsName)) {
    return undefined;
  }
  if (!dnsName.includes('.')) {
    return 'short names (non FQDN) are not allowed';
  }
  return checkWildcardDomain(dnsName) ?? checkPartialWildcard(dnsName);
}

function checkServerTls(out: FindingCollector, tls: unknown, protocol: string | undefined, field: string): void {
  const tlsField = `${field}.tls`;
  const isTlsPort = protocol === 'HTTPS' || protocol === 'TLS';
  if (isTlsPort && !isRecord(tls)) {
    out.error('GW12', tlsField, tls, 'server must have TLS settings for HTTPS/TLS protocols',
      'add tls with mode PASSTHROUGH, SIMPLE, MUTUAL or ISTIO_MUTUAL');
    return;
  }
  if (!isRecord(tls)) {
    return;
  }
  if (protocol === 'HTTP' && Object.keys(tls).some(k => k !== 'httpsRedirect')) {
    out.error('GW13', tlsField, tls, 'server cannot have TLS settings for plain text HTTP ports', 'remove tls, or use protocol HTTPS');
    return;
  }
  if (!isTlsPort && protocol !== 'HTTP') {
    out.error('GW14', tlsField, tls, 'server cannot have TLS settings for non HTTPS/TLS ports', 'remove tls, or use protocol TLS or HTTPS');
    return;
  }
  const mode = tls.mode ?? 'PASSTHROUGH';
  if (!TLS_MODES.includes(mode)) {
    out.error('GW12', `${tlsField}.mode`, tls.mode, `unsupported TLS mode ${String(mode)}`, `use one of ${TLS_MODES.join(', ')}`);
    return;
  }
  const hasCredential = tls.credentialName !== undefined || tls.credentialNames !== undefined;
  if (mode === 'ISTIO_MUTUAL') {
    for (const key of ['serverCertificate', 'privateKey', 'caCertificates', 'credentialName', 'credentialNames', 'tlsCertificates']) {
      if (tls[key] !== undefined) {
        out.error('GW16', `${tlsField}.${key}`, tls[key], `ISTIO_MUTUAL TLS cannot have associated ${key}`,
          'remove it: ISTIO_MUTUAL uses the mesh\'s own certificates');
      }
    }
  } else if ((mode === 'SIMPLE' || mode === 'MUTUAL' || mode === 'OPTIONAL_MUTUAL') && !hasCredential && tls.tlsCertificates === undefined) {
    const prefix = mode === 'SIMPLE' ? 'SIMPLE' : 'MUTUAL';
    if (tls.serverCertificate === undefined) {
      out.error('GW19', `${tlsField}.serverCertificate`, undefined, `${prefix} TLS requires a server certificate`,
        'set credentialName to a TLS Secret in the gateway\'s namespace');
    }
    if (tls.privateKey === undefined) {
      out.error('GW19', `${tlsField}.privateKey`, undefined, `${prefix} TLS requires a private key`,
        'set credentialName to a TLS Secret in the gateway\'s namespace');
    }
    if (mode !== 'SIMPLE' && tls.caCertificates === undefined) {
      out.error('GW20', `${tlsField}.caCertificates`, undefined, 'MUTUAL TLS requires a client CA bundle',
        'set credentialName to a Secret holding the CA certificate, or caCertificates');
    }
  }
}
