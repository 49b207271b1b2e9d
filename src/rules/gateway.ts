/**
 * Gateway rules: Istio's ValidateGateway, validateServer, validateServerPort, validateServerBind and
 * validateTLSOptions (GW1..GW26 in the rules notes). The TLS options rules (GW16..GW23, GW25, GW26) also
 * apply to a Sidecar's ingress `tls`, which Istio checks with the same validateTLSOptions.
 */
import { Finding, FindingCollector, Manifest, asArray, goQuote, isRecord, mapList, show } from './finding';
import { checkPartialWildcard, checkPortNumber, checkWildcardDomain, isDns1123Label, isIpAddress } from './names';
import { isHttpProtocol, isTlsProtocol, parseProtocol } from './protocol';

const TLS_MODES = ['PASSTHROUGH', 'SIMPLE', 'MUTUAL', 'AUTO_PASSTHROUGH', 'ISTIO_MUTUAL', 'OPTIONAL_MUTUAL'];
const TLS_VERSIONS = ['TLS_AUTO', 'TLSV1_0', 'TLSV1_1', 'TLSV1_2', 'TLSV1_3'];
const TERMINATING_MODES = ['SIMPLE', 'MUTUAL', 'OPTIONAL_MUTUAL'];
const PASSTHROUGH_MODES = ['PASSTHROUGH', 'AUTO_PASSTHROUGH'];
// Module constants and index loops below: these checks run for every Gateway server, mostly before V8 has
// optimized them, when a list written in a function is made anew at each call and a for-of allocates per element.
const VERSION_FIELDS = ['minProtocolVersion', 'maxProtocolVersion'];
const CERTIFICATE_LISTS = ['tlsCertificates', 'credentialNames'];
/** What ISTIO_MUTUAL refuses: each field, with how the message names it. */
const NOT_WITH_ISTIO_MUTUAL: ReadonlyArray<readonly [string, string]> = [['serverCertificate', 'server certificate'], ['privateKey', 'private key'],
  ['caCertificates', 'CA bundle'], ['tlsCertificates', 'tlsCertificates'], ['credentialName', 'credentialName'],
  ['credentialNames', 'credentialNames']];
const UNIX_PREFIX = 'unix://';
// Set on Gateways that Istio converts from Gateway API resources: they may use other names and the `~` namespace.
const GATEWAY_SEMANTICS = 'internal.istio.io/gateway-semantics';

// The cipher suites Envoy (BoringSSL) knows, as pkg/config/security lists them for Gateway servers.
const CIPHER_SUITES = new Set([
  'ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES128-GCM-SHA256', 'ECDHE-ECDSA-AES256-GCM-SHA384', 'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305', 'ECDHE-RSA-CHACHA20-POLY1305', 'ECDHE-ECDSA-AES128-SHA', 'ECDHE-RSA-AES128-SHA',
  'ECDHE-ECDSA-AES256-SHA', 'ECDHE-RSA-AES256-SHA', 'AES128-GCM-SHA256', 'AES256-GCM-SHA384', 'AES128-SHA', 'AES256-SHA',
  'DES-CBC3-SHA',
]);

export function checkGateway(gw: Manifest): Finding[] {
  const out = new FindingCollector();
  const spec = isRecord(gw.spec) ? gw.spec : {};
  const annotations = isRecord(gw.metadata) && isRecord(gw.metadata.annotations) ? gw.metadata.annotations : {};
  const gatewaySemantics = annotations[GATEWAY_SEMANTICS] === 'gateway';
  const name = gw.metadata?.name;
  // ValidateGateway: the name is a DNS-1123 label (no dots).
  if (typeof name === 'string' && !isDns1123Label(name) && !gatewaySemantics) {
    out.error('GW1', 'metadata.name', name, `invalid gateway name: ${goQuote(name)}`,
      'a Gateway name is a DNS-1123 label: letters, digits and dashes, no dots');
  }
  const servers = asArray(spec.servers);
  // ValidateGateway: at least one server.
  if (servers.length === 0) {
    out.error('GW2', 'spec.servers', spec.servers, 'gateway must have at least one server', 'add a server with a port and hosts');
  }
  servers.forEach((server, i) => checkServer(out, server, `spec.servers[${i}]`, gatewaySemantics));
  checkUnmatchableSelector(out, spec.selector);

  const portNames = new Set<string>();
  servers.forEach((server, i) => {
    const field = `spec.servers[${i}]`;
    if (!isRecord(server)) {
      // ValidateGateway: a null server.
      out.error('GW24', field, server, 'server may not be nil', 'remove the empty server');
      return;
    }
    if (!isRecord(server.port)) {
      return;
    }
    // ValidateGateway: port names are unique across the servers (an unset name counts as "").
    const portName = typeof server.port.name === 'string' ? server.port.name : '';
    if (portNames.has(portName)) {
      out.error('GW9', `${field}.port.name`, server.port.name, `port names in servers must be unique: duplicate name ${portName}`,
        'give each server port its own name');
    }
    portNames.add(portName);
    // ValidateGateway: httpsRedirect only means something on plain HTTP servers.
    if (isRecord(server.tls) && server.tls.httpsRedirect === true && !isHttpProtocol(server.port.protocol)) {
      out.warning('GW15', `${field}.tls.httpsRedirect`, true, 'tls.httpsRedirect should only be used with http servers',
        'remove httpsRedirect here; put it on the plain HTTP server of the same hosts');
    }
  });
  return out.findings;
}

/**
 * ValidateGateway does not look at the selector, but a label no pod can carry (a wildcard, an empty
 * key) selects no gateway proxy, so the Gateway configures nothing: what istioctl analyze reports as
 * IST0101 once it sees the pods (GW27).
 */
function checkUnmatchableSelector(out: FindingCollector, selector: unknown): void {
  if (!isRecord(selector)) {
    return;
  }
  for (const key in selector) {
    if (!Object.hasOwn(selector, key)) {
      continue;
    }
    const value = selector[key];
    const problem = key === '' ? 'an empty key is not supported in selector'
      : key.includes('*') || show(value).includes('*') ? 'a wildcard is not supported in selector' : undefined;
    if (problem) {
      out.own('GW27', 'error', `spec.selector${key === '' ? '' : `.${key}`}`, value,
        `the selector "${key}=${show(value)}" matches no pod: ${problem}, no pod can carry this label, so the Gateway configures no proxy`,
        'select the gateway pods by their exact labels, e.g. istio: egressgateway');
    }
  }
}

/** Is the value set, as Go sees a string or list field: non-empty. */
function isSet(value: unknown): boolean {
  if (typeof value === 'string' || Array.isArray(value)) {
    return value.length > 0;
  }
  return value !== undefined && value !== null;
}

/** validateServer: hosts, port, bind, TLS options and whether the protocol goes with the `tls` block. */
function checkServer(out: FindingCollector, server: unknown, field: string, gatewaySemantics: boolean): void {
  if (!isRecord(server)) {
    out.error('GW24', field, server, 'cannot have nil server', 'remove the empty server');
    return;
  }
  const hosts = asArray(server.hosts);
  if (hosts.length === 0) {
    out.error('GW3', `${field}.hosts`, server.hosts, 'server config must contain at least one host', 'list the hosts this server accepts');
  }
  // forEach skips the holes of a sparse list, as before.
  hosts.forEach((host, j) => {
    const problems = gatewayHostProblems(host, gatewaySemantics);
    for (let p = 0; p < problems.length; p++) {
      const rule = problems[p][0];
      out.error(rule, `${field}.hosts[${j}]`, host, problems[p][1],
        rule === 'GW4' ? 'use `[namespace/]host.example.com`, where namespace is `*`, `.` or a namespace name'
          : 'use a dotted host name such as api.example.com, `*.example.com`, `*` or an IPv4 address');
    }
  });

  const bind = typeof server.bind === 'string' ? server.bind : '';
  const portOk = checkServerPort(out, server.port, bind, field);
  checkServerBind(out, server.port, bind, field);
  const tls = isRecord(server.tls) ? server.tls : undefined;
  if (tls) {
    checkServerTlsOptions(out, tls, `${field}.tls`);
  }
  if (!portOk) {
    return;
  }
  const protocol = server.port.protocol;
  if (isTlsProtocol(protocol) && !tls) {
    out.error('GW12', `${field}.tls`, server.tls, 'server must have TLS settings for HTTPS/TLS protocols',
      'add tls with mode SIMPLE and a credentialName, PASSTHROUGH, or ISTIO_MUTUAL');
  } else if (!isTlsProtocol(protocol) && tls) {
    if (isHttpProtocol(protocol)) {
      // Only httpsRedirect (with a passthrough mode and no certificate files) goes on a plain HTTP server.
      const passthrough = PASSTHROUGH_MODES.includes(tls.mode ?? 'PASSTHROUGH');
      if (!passthrough || isSet(tls.caCertificates) || isSet(tls.privateKey) || isSet(tls.serverCertificate)) {
        out.error('GW13', `${field}.tls`, tls, 'server cannot have TLS settings for plain text HTTP ports',
          'remove tls (httpsRedirect alone is fine), or use protocol HTTPS');
      }
    } else {
      out.error('GW14', `${field}.tls`, tls, 'server cannot have TLS settings for non HTTPS/TLS ports', 'remove tls, or use protocol TLS or HTTPS');
    }
  }
}

/** A port as Go prints it in Istio's messages, with the proto's field names (`number:80 protocol:"HTTP" target_port:8080`). */
function showPort(port: Record<string, any>): string {
  const parts: string[] = [];
  for (const [key, protoName] of [['number', 'number'], ['protocol', 'protocol'], ['name', 'name'], ['targetPort', 'target_port']]) {
    if (port[key] !== undefined && port[key] !== 0 && port[key] !== '') {
      parts.push(`${protoName}:${typeof port[key] === 'string' ? JSON.stringify(port[key]) : show(port[key])}`);
    }
  }
  return parts.join(' ');
}

/** validateServerPort; returns whether the port has no errors (Istio checks protocol against tls only then). */
function checkServerPort(out: FindingCollector, port: unknown, bind: string, field: string): boolean {
  if (!isRecord(port)) {
    out.error('GW6', `${field}.port`, port, 'port is required', 'give the server a port with number, name and protocol');
    return false;
  }
  const before = out.findings.length;
  if (!parseProtocol(port.protocol)) {
    out.error('GW7', `${field}.port.protocol`, port.protocol,
      `invalid protocol ${goQuote(typeof port.protocol === 'string' ? port.protocol : '')}, supported protocols are HTTP, HTTP2, GRPC, GRPC-WEB, MONGO, REDIS, MYSQL, TCP`,
      'use one of HTTP, HTTPS, HTTP2, GRPC, TLS, TCP, Mongo, Redis, MySQL');
  }
  const unixBind = bind.startsWith(UNIX_PREFIX);
  if (port.number === undefined) {
    // The CRD requires the number; a unix domain socket server writes 0.
    out.error('GW6', `${field}.port.number`, undefined, 'port number is required',
      unixBind ? 'write number: 0 for a unix domain socket bind' : 'use a port number from 1 to 65535');
  } else if (port.number !== 0 || !unixBind) {
    const bad = checkPortNumber(port.number);
    if (bad) {
      out.error('GW6', `${field}.port.number`, port.number, bad,
        port.number === 0 ? 'use a port number from 1 to 65535 (0 only with a unix:// bind)' : 'use a port number from 1 to 65535');
    }
  }
  if (typeof port.targetPort === 'number' && port.targetPort > 0) {
    out.error('GW10', `${field}.port.targetPort`, port.targetPort, 'targetPort has no impact on Gateways', 'remove targetPort');
  }
  if (typeof port.name !== 'string' || port.name === '') {
    out.error('GW8', `${field}.port.name`, port.name, `port name must be set: ${showPort(port)}`, 'name the port, e.g. http-80');
  }
  return out.findings.length === before;
}

/** validateServerBind: an IP, or `unix://` with an absolute path or an abstract `@name`, on port 0. */
function checkServerBind(out: FindingCollector, port: unknown, bind: string, field: string): void {
  if (bind.startsWith(UNIX_PREFIX)) {
    const bad = checkUnixAddress(bind.slice(UNIX_PREFIX.length));
    if (bad) {
      out.error('GW11', `${field}.bind`, bind, bad, 'use unix:///absolute/path or unix://@abstract-name');
    }
    if (isRecord(port) && port.number !== undefined && port.number !== 0) {
      out.error('GW11', `${field}.port.number`, port.number, `port number must be 0 for unix domain socket: ${showPort(port)}`,
        'set port.number to 0 for a unix domain socket bind');
    }
  } else if (bind !== '' && !isIpAddress(bind)) {
    out.error('GW11', `${field}.bind`, bind, `${bind} is not a valid IP`, 'bind to an IP address such as 0.0.0.0, or to unix:///path');
  }
}

/** ValidateUnixAddress: the part after `unix://`. Istio's message, or undefined when fine. */
export function checkUnixAddress(address: string): string | undefined {
  if (address === '') {
    return 'unix address must not be empty';
  }
  if (address.startsWith('@')) {
    return undefined;
  }
  return address.startsWith('/') && !address.endsWith('/') ? undefined : `${address} is not an absolute path to a file`;
}

/**
 * A Gateway server host (agent.ValidateNamespaceSlashWildcardHostname for gateways): `[ns/]dnsName`,
 * ns one of `*`, `.` or a namespace (`~` too on Gateway API gateways); dnsName a dotted name or `*`,
 * wildcards only as a whole first label, or an IP (an IPv6 address fails as a short name).
 * Each problem as [rule, Istio's message].
 */
export function gatewayHostProblems(host: unknown, gatewaySemantics = false): Array<[string, string]> {
  if (typeof host !== 'string') {
    return [['GW5', 'host must be a string']];
  }
  const slash = host.indexOf('/');
  if (slash < 0) {
    return mapList(hostnamePartProblems(host, true), (message): [string, string] => ['GW5', message]);
  }
  const namespace = host.slice(0, slash);
  const dnsName = host.slice(slash + 1);
  const problems: Array<[string, string]> = [];
  if (namespace === '' || dnsName === '') {
    problems.push(['GW4', 'config namespace and dnsName in host entry cannot be empty']);
  }
  if (namespace !== '*' && namespace !== '.' && !(namespace === '~' && gatewaySemantics) && !isDns1123Label(namespace)) {
    problems.push(['GW4', `invalid namespace value ${goQuote(namespace)} in gateway`]);
  }
  return [...problems, ...mapList(hostnamePartProblems(dnsName, true), (message): [string, string] => ['GW5', message])];
}

/** validateSidecarOrGatewayHostnamePart: the dnsName of a Gateway or Sidecar host; Istio's messages, each once. */
export function hostnamePartProblems(hostname: string, isGateway: boolean): string[] {
  const problems: string[] = [];
  if (hostname !== '*' && !hostname.includes('.')) {
    problems.push('short names (non FQDN) are not allowed');
  }
  const bad = checkWildcardDomain(hostname);
  // A Gateway also accepts an IP as host.
  if (bad && !(isGateway && isIpAddress(hostname))) {
    problems.push(bad);
  }
  const partial = checkPartialWildcard(hostname);
  if (partial) {
    problems.push(partial);
  }
  return problems;
}

/** IsValidCipherSuite: a known suite, empty, ALL, or an expression starting with an operator (`-`, `+`, `!`, ...). */
function isValidCipherSuite(suite: string): boolean {
  if (suite === '' || suite === 'ALL') {
    return true;
  }
  // Go looks at the first byte only, read as a Latin-1 character.
  const first = String.fromCharCode(Buffer.from(suite, 'utf8')[0]);
  if (!/[\p{L}\p{N}]/u.test(first)) {
    return true;
  }
  return CIPHER_SUITES.has(suite);
}

/**
 * validateTLSOptions: a Gateway server's (or a Sidecar ingress listener's) `tls`, plus the CRD schema's
 * enums, list sizes and CEL rules on it.
 */
export function checkServerTlsOptions(out: FindingCollector, tls: Record<string, any>, field: string): void {
  const mode = tls.mode ?? 'PASSTHROUGH';
  if (!TLS_MODES.includes(mode)) {
    out.error('GW25', `${field}.mode`, tls.mode, `unsupported TLS mode ${show(mode)}`, `use one of ${TLS_MODES.join(', ')}`);
    return;
  }
  for (let k = 0; k < VERSION_FIELDS.length; k++) {
    const key = VERSION_FIELDS[k];
    if (tls[key] !== undefined && !TLS_VERSIONS.includes(tls[key])) {
      out.error('GW25', `${field}.${key}`, tls[key], `unsupported TLS version ${show(tls[key])}`, `use one of ${TLS_VERSIONS.join(', ')}`);
    }
  }
  for (let k = 0; k < CERTIFICATE_LISTS.length; k++) {
    const key = CERTIFICATE_LISTS[k];
    const list = tls[key];
    if (Array.isArray(list) && (list.length < 1 || list.length > 2)) {
      out.error('GW25', `${field}.${key}`, list, `${key} must have 1 or 2 items, not ${list.length}`,
        list.length === 0 ? `remove the empty ${key}` : `list at most 2 ${key}: one RSA and one ECDSA certificate`);
    }
  }
  checkTlsVersionAndCiphers(out, tls, field);

  if (mode === 'ISTIO_MUTUAL') {
    for (let k = 0; k < NOT_WITH_ISTIO_MUTUAL.length; k++) {
      // Indexed, not destructured: destructuring an array goes through its iterator.
      const key = NOT_WITH_ISTIO_MUTUAL[k][0];
      if (isSet(tls[key])) {
        const what = NOT_WITH_ISTIO_MUTUAL[k][1];
        out.error('GW16', `${field}.${key}`, tls[key], `ISTIO_MUTUAL TLS cannot have associated ${what}`,
          `remove ${key}: ISTIO_MUTUAL uses the mesh's own certificates`);
      }
    }
    return;
  }
  const credentialName = isSet(tls.credentialName);
  const credentialNames = Array.isArray(tls.credentialNames) && tls.credentialNames.length > 0;
  const tlsCertificates = asArray(tls.tlsCertificates);
  if (PASSTHROUGH_MODES.includes(mode) && (isSet(tls.caCrl) || isSet(tls.serverCertificate) || isSet(tls.privateKey)
    || isSet(tls.caCertificates) || tlsCertificates.length > 0 || credentialName || credentialNames)) {
    out.warning('GW17', field, mode, `${mode} mode does not use certificates, they will be ignored`,
      'remove the certificate fields, or use mode SIMPLE to terminate TLS here');
  }
  checkCertificateSources(out, tls, field);
  if (TERMINATING_MODES.includes(mode) && (credentialName || credentialNames)) {
    // The certificates come from the credential (a Secret); nothing else is required.
    return;
  }
  if (TERMINATING_MODES.includes(mode)) {
    const prefix = mode === 'SIMPLE' ? 'SIMPLE TLS' : 'MUTUAL TLS';
    const credentialFix = 'set credentialName to a TLS Secret in the gateway\'s namespace';
    if (mode !== 'SIMPLE' && !isSet(tls.caCertificates)) {
      out.error('GW20', `${field}.caCertificates`, tls.caCertificates, `${prefix} requires a client CA bundle`,
        'set credentialName to a Secret that also holds ca.crt, or caCertificates');
    }
    if (tlsCertificates.length > 2) {
      out.warning('GW21', `${field}.tlsCertificates`, tlsCertificates.length, `${prefix} can support up to 2 server certificates`,
        'keep at most 2 certificates: one RSA and one ECDSA');
    }
    const certs = tlsCertificates.length > 0
      ? tlsCertificates.map((cert, i) => [isRecord(cert) ? cert : {}, `${field}.tlsCertificates[${i}]`] as const)
      : [[tls, field] as const];
    for (const [cert, certField] of certs) {
      if (!isSet(cert.serverCertificate)) {
        out.error('GW19', `${certField}.serverCertificate`, cert.serverCertificate, `${prefix} requires a server certificate`, credentialFix);
      }
      if (!isSet(cert.privateKey)) {
        out.error('GW19', `${certField}.privateKey`, cert.privateKey, `${prefix} requires a private key`, credentialFix);
      }
    }
  }
  if (isSet(tls.caCrl)) {
    if (credentialName) {
      out.error('GW22', `${field}.caCrl`, tls.caCrl, 'CRL is not supported with credentialName. CRL has to be specified in the credential',
        'put the CRL in the credential\'s Secret (key ca.crl) and remove caCrl');
    }
    if (mode === 'SIMPLE') {
      out.error('GW22', `${field}.caCrl`, tls.caCrl, 'CRL is not supported with SIMPLE TLS',
        'remove caCrl: SIMPLE TLS does not verify client certificates; use MUTUAL to check them against a CRL');
    }
  }
}

/** validateTLSOptions' warnings on versions and cipher suites (GW23). */
function checkTlsVersionAndCiphers(out: FindingCollector, tls: Record<string, any>, field: string): void {
  const listed = asArray(tls.cipherSuites);
  if ((tls.minProtocolVersion === 'TLSV1_0' || tls.minProtocolVersion === 'TLSV1_1') && listed.length === 0) {
    out.warning('GW23', `${field}.minProtocolVersion`, tls.minProtocolVersion,
      'TLS version below TLSV1_2 require setting compatible ciphers as by default they no longer include compatible ciphers.',
      'list cipherSuites the old clients support, e.g. ECDHE-RSA-AES128-SHA, or raise minProtocolVersion to TLSV1_2');
  }
  const suites = listed.filter((s): s is string => typeof s === 'string');
  if (suites.length === 0) {
    return;
  }
  const invalid = new Set<string>();
  const valid = new Set<string>();
  const duplicate = new Set<string>();
  for (const suite of suites) {
    if (!isValidCipherSuite(suite)) {
      invalid.add(suite);
    } else if (valid.has(suite)) {
      duplicate.add(suite);
    } else {
      valid.add(suite);
    }
  }
  if (invalid.size > 0) {
    out.warning('GW23', `${field}.cipherSuites`, [...invalid].sort(), `ignoring invalid cipher suites: [${[...invalid].sort().join(' ')}]`,
      'use OpenSSL-style names Envoy knows, e.g. ECDHE-RSA-AES128-GCM-SHA256');
  }
  if (duplicate.size > 0) {
    out.warning('GW23', `${field}.cipherSuites`, [...duplicate].sort(), `ignoring duplicate cipher suites: [${[...duplicate].sort().join(' ')}]`,
      'list each cipher suite once');
  }
}

/**
 * One certificate source only (GW18): validateTLSOptions counts certificate+key files, credentialName,
 * credentialNames and tlsCertificates; the CRD's CEL rules also refuse the fields merely being present together.
 */
function checkCertificateSources(out: FindingCollector, tls: Record<string, any>, field: string): void {
  const sources = [
    isSet(tls.serverCertificate) && isSet(tls.privateKey),
    isSet(tls.credentialName),
    Array.isArray(tls.credentialNames) && tls.credentialNames.length > 0,
    Array.isArray(tls.tlsCertificates) && tls.tlsCertificates.length > 0,
  ].filter(Boolean).length;
  const fix = 'keep one of credentialName, credentialNames, serverCertificate with privateKey, or tlsCertificates';
  if (sources > 1) {
    out.error('GW18', field, tls, 'only one of credential_name, credential_names, server_certificate/private_key, tls_certificates should be specified', fix);
    return;
  }
  const has = (key: string) => tls[key] !== undefined && tls[key] !== null;
  if (has('tlsCertificates') && has('credentialNames')) {
    out.error('GW18', field, tls, 'only one of credentialNames or tlsCertificates can be set', fix);
  }
  if (has('credentialName') && has('credentialNames')) {
    out.error('GW18', field, tls, 'only one of credentialName or credentialNames can be set', fix);
  }
}
