/**
 * Sidecar rules: Istio's ValidateSidecar with its helpers (SC1..SC20 in the rules notes): ingress
 * listeners (validateSidecarIngressPortAndBind, defaultEndpoint, ingress `tls` through validateTLSOptions,
 * validateConnectionPool), egress listeners (validateSidecarEgressPortBindAndCaptureMode, hosts) and
 * validateSidecarOutboundTrafficPolicy.
 */
import { checkConnectionPool } from './connection-pool';
import { Finding, FindingCollector, Manifest, asArray, goQuote, isRecord, show } from './finding';
import { checkServerTlsOptions, checkUnixAddress, hostnamePartProblems } from './gateway';
import { checkSelectorLabels } from './labels';
import { checkFqdn, checkPortNumber, checkWildcardDomain, isDns1123Label, isIpAddress } from './names';
import { isHttpProtocol, isTlsProtocol, parseProtocol } from './protocol';

const TRAFFIC_POLICY_MODES = ['REGISTRY_ONLY', 'ALLOW_ANY'];
const CAPTURE_MODES = ['DEFAULT', 'IPTABLES', 'NONE'];
const H2_UPGRADE_POLICIES = ['DEFAULT', 'DO_NOT_UPGRADE', 'UPGRADE'];
const UNIX_PREFIX = 'unix://';
const DEFAULT_ENDPOINT_HOSTS = ['', '127.0.0.1', '0.0.0.0', '::1', '::'];

/** Present as Go sees a message field: neither missing nor null. */
const present = (value: unknown) => value !== undefined && value !== null;

export function checkSidecar(sidecar: Manifest): Finding[] {
  const out = new FindingCollector();
  const spec = isRecord(sidecar.spec) ? sidecar.spec : {};
  // ValidateAlphaWorkloadSelector: an invalid selector is the only finding Istio reports.
  if (present(spec.workloadSelector)) {
    checkSelectorLabels(out, isRecord(spec.workloadSelector) ? spec.workloadSelector.labels : undefined, 'spec.workloadSelector.labels');
    if (out.findings.length > 0) {
      return out.findings;
    }
  }
  const ingress = asArray(spec.ingress);
  const egress = asArray(spec.egress);
  if (ingress.length === 0 && egress.length === 0 && !present(spec.outboundTrafficPolicy) && !present(spec.inboundConnectionPool)) {
    out.error('SC1', 'spec', spec, 'sidecar: empty configuration provided', 'add egress hosts, ingress listeners, an outboundTrafficPolicy or an inboundConnectionPool');
    return out.findings;
  }
  if (present(spec.workloadSelector)) {
    const labels = isRecord(spec.workloadSelector) ? spec.workloadSelector.labels : undefined;
    if (!isRecord(labels) || Object.keys(labels).length === 0) {
      out.warning('SC2', 'spec.workloadSelector', spec.workloadSelector,
        'sidecar: workload selector specified without labels, will be applied to all services in namespace', 'select the workloads by label, or drop the selector');
    }
  }

  const ingressPorts = new Set<unknown>();
  ingress.forEach((listener, i) => checkIngressListener(out, listener, `spec.ingress[${i}]`, ingressPorts));
  checkSidecarConnectionPool(out, spec.inboundConnectionPool, 'spec.inboundConnectionPool');

  const egressPorts = new Set<unknown>();
  const udsBinds = new Set<string>();
  egress.forEach((listener, i) => {
    const field = `spec.egress[${i}]`;
    if (!isRecord(listener)) {
      out.error('SC3', field, listener, 'egress listener may not be null', 'remove the empty listener');
      return;
    }
    if (!present(listener.port)) {
      // One catch-all listener (without port), and it comes last. Istio also has a message for a second one
      // ("egress can have only one listener with empty port"), which cannot be reached: the first is then not last.
      if (i !== egress.length - 1) {
        out.error('SC8', `${field}.port`, undefined, 'sidecar: the egress listener with empty port should be the last listener in the list',
          'move the listener without port to the end, and keep only one');
      }
    } else {
      checkEgressPort(out, listener, field, egressPorts, udsBinds);
    }
    checkEgressHosts(out, listener.hosts, `${field}.hosts`, sidecar.metadata?.namespace);
  });

  checkOutboundTrafficPolicy(out, spec.outboundTrafficPolicy);
  return out.findings;
}

/** A port number as Go reads it: a missing one is 0. */
const portNumber = (port: Record<string, any>): unknown => port.number ?? 0;

/** The port name (optional, a DNS-1123 label), protocol (optional, a known one) and targetPort of a listener port. */
function checkPortNameAndProtocol(out: FindingCollector, rule: string, port: Record<string, any>, field: string): void {
  if (port.name !== undefined && port.name !== '' && (typeof port.name !== 'string' || !isDns1123Label(port.name))) {
    out.error(rule, `${field}.name`, port.name, `invalid port name: ${show(port.name)}`, 'use a DNS-1123 label such as http-api, or no name');
  }
  if (port.protocol !== undefined && port.protocol !== '' && parseProtocol(port.protocol) === undefined) {
    out.error(rule, `${field}.protocol`, port.protocol, `unsupported protocol: ${show(port.protocol)}`,
      'use HTTP, HTTPS, HTTP2, GRPC, TLS, TCP, Mongo, Redis or MySQL, or no protocol to let Istio detect it');
  }
  if (typeof port.targetPort === 'number' && port.targetPort > 0) {
    out.error(rule, `${field}.targetPort`, port.targetPort, 'targetPort has no impact on Sidecars', 'remove targetPort');
  }
}

function checkCaptureMode(out: FindingCollector, listener: Record<string, any>, field: string): void {
  if (listener.captureMode !== undefined && listener.captureMode !== null && !CAPTURE_MODES.includes(listener.captureMode)) {
    out.error('SC19', `${field}.captureMode`, listener.captureMode, `unsupported captureMode ${show(listener.captureMode)}`,
      `use one of ${CAPTURE_MODES.join(', ')}`);
  }
}

/** The ingress part of ValidateSidecar: port and bind, unique ports, defaultEndpoint, tls, connectionPool. */
function checkIngressListener(out: FindingCollector, listener: unknown, field: string, ports: Set<unknown>): void {
  if (!isRecord(listener)) {
    out.error('SC13', field, listener, 'sidecar: ingress may not be null', 'remove the empty listener');
    return;
  }
  if (!isRecord(listener.port)) {
    out.error('SC13', `${field}.port`, listener.port, 'sidecar: port is required for ingress listeners',
      'give the listener the port the workload receives traffic on: number, name and protocol');
    return;
  }
  const port = listener.port;
  checkPortNameAndProtocol(out, 'SC14', port, `${field}.port`);
  const bad = checkPortNumber(portNumber(port));
  if (bad) {
    out.error('SC14', `${field}.port.number`, port.number, bad, 'use a port number from 1 to 65535');
  }
  if (typeof listener.bind === 'string' && listener.bind !== '' && !isIpAddress(listener.bind)) {
    out.error('SC14', `${field}.bind`, listener.bind, `${listener.bind} is not a valid IP`, 'bind to an IP address such as 0.0.0.0, or drop bind');
  }
  if (ports.has(portNumber(port))) {
    out.error('SC14', `${field}.port.number`, port.number, 'sidecar: ports on IP bound listeners must be unique', 'give each ingress listener its own port');
  }
  ports.add(portNumber(port));
  checkCaptureMode(out, listener, field);
  if (typeof listener.defaultEndpoint === 'string' && listener.defaultEndpoint !== '') {
    for (const message of defaultEndpointProblems(listener.defaultEndpoint)) {
      out.error('SC15', `${field}.defaultEndpoint`, listener.defaultEndpoint, message,
        'use 127.0.0.1:PORT, 0.0.0.0:PORT, [::1]:PORT, [::]:PORT, :PORT or unix:///path');
    }
  }
  if (isRecord(listener.tls)) {
    checkIngressTls(out, listener.tls, port, `${field}.tls`);
  }
  checkSidecarConnectionPool(out, listener.connectionPool, `${field}.connectionPool`);
  if (isRecord(listener.connectionPool) && present(listener.connectionPool.http) && !isHttpProtocol(port.protocol)) {
    out.warning('SC18', `${field}.connectionPool.http`, listener.connectionPool.http,
      `sidecar: HTTP connection pool settings are configured for port ${show(portNumber(port))} (${goQuote(typeof port.name === 'string' ? port.name : '')}) `
      + `but its protocol is not HTTP (${typeof port.protocol === 'string' ? port.protocol : ''}); only TCP settings will apply`,
      'remove connectionPool.http, or declare the port\'s protocol as HTTP, HTTP2 or GRPC');
  }
}

/** What Istio allows in a Sidecar ingress `tls`, then the Gateway's TLS options rules. */
function checkIngressTls(out: FindingCollector, tls: Record<string, any>, port: Record<string, any>, field: string): void {
  const unsupported: Array<[string, boolean, string]> = [
    ['subjectAltNames', asArray(tls.subjectAltNames).length > 0, 'sidecar: subjectAltNames is not supported in ingress tls'],
    ['httpsRedirect', tls.httpsRedirect === true, 'sidecar: httpsRedirect is not supported'],
    ['credentialName', typeof tls.credentialName === 'string' && tls.credentialName !== '', 'sidecar: credentialName is not currently supported'],
    ['credentialNames', asArray(tls.credentialNames).length > 0, 'sidecar: credentialNames is not currently supported'],
    ['tlsCertificates', asArray(tls.tlsCertificates).length > 0, 'sidecar: tls_certificates is not currently supported'],
  ];
  for (const [key, set, message] of unsupported) {
    if (set) {
      out.error('SC16', `${field}.${key}`, tls[key], message,
        'remove it: a sidecar terminates TLS with serverCertificate, privateKey and caCertificates files mounted in the pod');
    }
  }
  if (tls.mode === 'ISTIO_MUTUAL' || tls.mode === 'AUTO_PASSTHROUGH') {
    out.error('SC16', `${field}.mode`, tls.mode, `configuration is invalid: cannot set mode to ${tls.mode} in sidecar ingress tls`,
      'use SIMPLE or MUTUAL with certificate files; mesh mTLS needs no tls block (PeerAuthentication sets it)');
  }
  if (!isTlsProtocol(port.protocol)) {
    out.error('SC16', field, tls, 'server cannot have TLS settings for non HTTPS/TLS ports', 'set the port\'s protocol to HTTPS or TLS, or remove tls');
  }
  checkServerTlsOptions(out, tls, field);
}

/**
 * An ingress defaultEndpoint: `unix://` with a valid address, or host:port (Go's net.SplitHostPort)
 * with host one of 127.0.0.1, 0.0.0.0, ::1, :: or empty, and a port 1..65535. Istio's messages.
 */
export function defaultEndpointProblems(endpoint: string): string[] {
  if (endpoint.startsWith(UNIX_PREFIX)) {
    const bad = checkUnixAddress(endpoint.slice(UNIX_PREFIX.length));
    return bad ? [bad] : [];
  }
  const problems: string[] = [];
  let host = '';
  let port = '';
  const split = splitHostPort(endpoint);
  if (typeof split === 'string') {
    problems.push(split);
  } else {
    [host, port] = split;
  }
  if (!DEFAULT_ENDPOINT_HOSTS.includes(host)) {
    problems.push('sidecar: defaultEndpoint must be of form 127.0.0.1:<port>,0.0.0.0:<port>,[::1]:port,[::]:port,unix://filepath or unset');
  }
  const number = goAtoi(port);
  if (typeof number === 'string') {
    problems.push(`sidecar: defaultEndpoint port (${port}) is not a number: ${number}`);
  } else if (number < 1n || number > 65535n) {
    // agent.ValidatePort's words, with the number as Go prints its int (exact beyond 2^53 too).
    problems.push(`port number ${number} must be in the range 1..65535`);
  }
  return problems;
}

/** Go's net.SplitHostPort: [host, port], or its error message. */
function splitHostPort(hostport: string): [string, string] | string {
  const fail = (why: string) => `address ${hostport}: ${why}`;
  const i = hostport.lastIndexOf(':');
  if (i < 0) {
    return fail('missing port in address');
  }
  let host: string;
  let j = 0;
  let k = 0;
  if (hostport.startsWith('[')) {
    const end = hostport.indexOf(']');
    if (end < 0) {
      return fail('missing \']\' in address');
    }
    if (end + 1 === hostport.length) {
      return fail('missing port in address');
    }
    if (end + 1 !== i) {
      return fail(hostport[end + 1] === ':' ? 'too many colons in address' : 'missing port in address');
    }
    host = hostport.slice(1, end);
    j = 1;
    k = end + 1;
  } else {
    host = hostport.slice(0, i);
    if (host.includes(':')) {
      return fail('too many colons in address');
    }
  }
  if (hostport.slice(j).includes('[')) {
    return fail('unexpected \'[\' in address');
  }
  if (hostport.slice(k).includes(']')) {
    return fail('unexpected \']\' in address');
  }
  return [host, hostport.slice(i + 1)];
}

/** Go's strconv.Atoi on a 64-bit platform: the number, or its error message. */
function goAtoi(text: string): bigint | string {
  if (!/^[+-]?[0-9]+$/.test(text)) {
    return `strconv.Atoi: parsing ${goQuote(text)}: invalid syntax`;
  }
  const value = BigInt(text);
  if (value > 9223372036854775807n || value < -9223372036854775808n) {
    return `strconv.Atoi: parsing ${goQuote(text)}: value out of range`;
  }
  return value;
}

/** validateSidecarEgressPortBindAndCaptureMode, targetPort, and unique ports and unix domain sockets. */
function checkEgressPort(out: FindingCollector, listener: Record<string, any>, field: string, ports: Set<unknown>, udsBinds: Set<string>): void {
  const port = isRecord(listener.port) ? listener.port : {};
  const portField = `${field}.port`;
  checkPortNameAndProtocol(out, 'SC9', port, portField);
  checkCaptureMode(out, listener, field);
  const bind = typeof listener.bind === 'string' ? listener.bind : '';
  const number = portNumber(port);
  if (number === 0) {
    // Port 0: a listener on a unix domain socket.
    if (!bind.startsWith(UNIX_PREFIX)) {
      out.error('SC10', `${field}.bind`, listener.bind, 'sidecar: ports with 0 value must have a unix domain socket bind address',
        'set a port number from 1 to 65535, or bind to unix:///path');
    } else {
      const bad = checkUnixAddress(bind.slice(UNIX_PREFIX.length));
      if (bad) {
        out.error('SC10', `${field}.bind`, bind, bad, 'use unix:///absolute/path or unix://@abstract-name');
      }
    }
    if (listener.captureMode !== undefined && listener.captureMode !== 'DEFAULT' && listener.captureMode !== 'NONE') {
      out.error('SC10', `${field}.captureMode`, listener.captureMode, 'sidecar: captureMode must be DEFAULT/NONE for unix domain socket listeners',
        'use captureMode DEFAULT or NONE, or drop it');
    }
    if (udsBinds.has(bind)) {
      out.error('SC10', `${field}.bind`, listener.bind, 'sidecar: unix domain socket values for listeners must be unique',
        'give each unix domain socket listener its own path');
    }
    udsBinds.add(bind);
    return;
  }
  const bad = checkPortNumber(number);
  if (bad) {
    out.error('SC9', `${portField}.number`, port.number, bad, 'use a port number from 1 to 65535');
  }
  if (bind !== '' && !isIpAddress(bind)) {
    out.error('SC9', `${field}.bind`, bind, `${bind} is not a valid IP`, 'bind to an IP address such as 127.0.0.1, or drop bind');
  }
  if (ports.has(number)) {
    out.error('SC9', `${portField}.number`, port.number, 'sidecar: ports on IP bound listeners must be unique', 'give each egress listener its own port');
  }
  ports.add(number);
}

/** An egress listener's hosts: `namespace/dnsName`, with warnings on duplicates and on `*` beside other hosts. */
function checkEgressHosts(out: FindingCollector, value: unknown, field: string, namespace: string | undefined): void {
  const hosts = asArray(value);
  if (hosts.length === 0) {
    out.error('SC3', field, value, 'sidecar: egress listener must contain at least one host', 'list `namespace/host` entries, e.g. ./* or istio-system/*');
    return;
  }
  // Per namespace (`.` is the Sidecar's own), the hosts seen so far.
  const byNamespace = new Map<string, Set<string>>();
  hosts.forEach((host, j) => {
    const hostField = `${field}[${j}]`;
    if (typeof host === 'string' && host.includes('/')) {
      const slash = host.indexOf('/');
      // `.` is the Sidecar's namespace; when that is unknown, `.` stays `.` (it never names another namespace).
      const written = host.slice(0, slash);
      const ns = written === '.' && namespace ? namespace : written;
      const name = host.slice(slash + 1);
      const seen = byNamespace.get(ns) ?? new Set<string>();
      byNamespace.set(ns, seen);
      if (name === '*' ? seen.size > 0 : seen.has(name) || seen.has('*')) {
        out.warning('SC7', hostField, host, `duplicated egress host: ${host}`, 'list each host once; `ns/*` already covers every host of ns');
      }
      seen.add(name);
    }
    for (const [rule, message] of sidecarHostProblems(host)) {
      out.error(rule, hostField, host, message,
        'use `namespace/host`: namespace is `*`, `.`, `~` or a namespace name; host is `*` or a dotted name such as api.example.com');
    }
  });
  if (byNamespace.get('*')?.has('*') && byNamespace.size !== 1) {
    out.warning('SC7', field, hosts, '`*/*` host select all resources, no other hosts can be added', 'remove `*/*` or the other hosts');
  }
}

/**
 * A Sidecar egress host (agent.ValidateNamespaceSlashWildcardHostname for sidecars): `namespace/dnsName`,
 * namespace `*`, `.`, `~` or a namespace name; dnsName `*` or a dotted name (no IP). Each problem as [rule, Istio's message].
 */
export function sidecarHostProblems(host: unknown): Array<[string, string]> {
  if (typeof host !== 'string' || !host.includes('/')) {
    return [['SC4', 'host must be of form namespace/dnsName']];
  }
  const slash = host.indexOf('/');
  const namespace = host.slice(0, slash);
  const dnsName = host.slice(slash + 1);
  const problems: Array<[string, string]> = [];
  if (namespace === '' || dnsName === '') {
    problems.push(['SC5', 'config namespace and dnsName in host entry cannot be empty']);
  }
  if (!['*', '.', '~'].includes(namespace) && !isDns1123Label(namespace)) {
    problems.push(['SC5', `invalid namespace value ${goQuote(namespace)} in sidecar`]);
  }
  return [...problems, ...hostnamePartProblems(dnsName, false).map((message): [string, string] => ['SC6', message])];
}

/** validateSidecarOutboundTrafficPolicy: an egressProxy only with ALLOW_ANY, to an FQDN, with a port. */
function checkOutboundTrafficPolicy(out: FindingCollector, policy: unknown): void {
  if (!isRecord(policy)) {
    return;
  }
  const field = 'spec.outboundTrafficPolicy';
  if (policy.mode !== undefined && policy.mode !== null && !TRAFFIC_POLICY_MODES.includes(policy.mode)) {
    out.error('SC19', `${field}.mode`, policy.mode, `unsupported outbound traffic policy mode ${show(policy.mode)}`,
      'use REGISTRY_ONLY or ALLOW_ANY');
    return;
  }
  const proxy = policy.egressProxy;
  if (!present(proxy)) {
    return;
  }
  // istioctl analyze's deprecation analyzer: the data plane ignores egressProxy.
  out.analyzer('IST0002', 'warning', `${field}.egressProxy`, proxy,
    'Deprecated: OutboundTrafficPolicy.EgressProxy ignored', 'route egress through an egress gateway instead');
  const proxyField = `${field}.egressProxy`;
  if (policy.mode !== 'ALLOW_ANY') {
    out.error('SC11', proxyField, proxy, 'sidecar: egress_proxy must be set only with ALLOW_ANY outbound_traffic_policy mode',
      'remove egressProxy, or set mode: ALLOW_ANY');
    return;
  }
  const destination = isRecord(proxy) ? proxy : {};
  const host = typeof destination.host === 'string' ? destination.host : '';
  const hostFix = 'name the proxy by its host name, e.g. proxy.example.com';
  const notFqdn = checkFqdn(host);
  if (notFqdn) {
    out.error('SC11', `${proxyField}.host`, destination.host, notFqdn, hostFix);
  }
  if (!present(destination.port)) {
    out.error('SC11', `${proxyField}.port`, destination.port, 'sidecar: egress_proxy port must be non-nil', 'set port.number of the proxy');
    return;
  }
  // validateDestination
  const badHost = host === '*' ? `invalid destination host ${host}` : checkWildcardDomain(host);
  if (badHost) {
    out.error('SC11', `${proxyField}.host`, destination.host, badHost, hostFix);
  }
  if (typeof destination.subset === 'string' && destination.subset !== '' && !isDns1123Label(destination.subset)) {
    out.error('SC11', `${proxyField}.subset`, destination.subset, `subset name is invalid: ${destination.subset}`, 'use a DNS-1123 label');
  }
  const number = isRecord(destination.port) ? destination.port.number ?? 0 : 0;
  const badPort = checkPortNumber(number);
  if (badPort) {
    out.error('SC11', `${proxyField}.port.number`, number, badPort, 'use a port number from 1 to 65535');
  }
}

/** validateConnectionPool (SC17), and the schema's h2UpgradePolicy values (SC19). */
function checkSidecarConnectionPool(out: FindingCollector, pool: unknown, field: string): void {
  const http = isRecord(pool) && isRecord(pool.http) ? pool.http : {};
  if (http.h2UpgradePolicy !== undefined && http.h2UpgradePolicy !== null && !H2_UPGRADE_POLICIES.includes(http.h2UpgradePolicy)) {
    out.error('SC19', `${field}.http.h2UpgradePolicy`, http.h2UpgradePolicy, `unsupported h2UpgradePolicy ${show(http.h2UpgradePolicy)}`,
      `use one of ${H2_UPGRADE_POLICIES.join(', ')}`);
  }
  checkConnectionPool(out, pool, field, { empty: 'SC17', limit: 'SC17', upgrade: 'SC17', duration: 'SC17' }, false);
}

