/**
 * ServiceEntry rules: Istio's ValidateServiceEntry and validateWorkloadEntry (pkg/config/validation/validation.go)
 * and the CRD's CEL rules, numbered SE1..SE30 as in the rules notes and SE31..SE36 beyond them.
 */
import { checkExportTo } from './export-to';
import { Finding, FindingCollector, Manifest, asArray, goEqualFold, goQuote, isRecord, show } from './finding';
import { checkLabels, checkSelectorLabels } from './labels';
import { checkFqdn, checkIpOrCidr, checkPartialWildcard, checkPortNumber, checkWildcardDomain, isDns1123Label, isIpAddress } from './names';
import { isHttpProtocol, isTlsProtocol, knownProtocols, parseProtocol } from './protocol';

export const RESOLUTIONS = ['NONE', 'STATIC', 'DNS', 'DNS_ROUND_ROBIN', 'DYNAMIC_DNS'];
export const LOCATIONS = ['MESH_EXTERNAL', 'MESH_INTERNAL'];

// Protocols whose traffic carries no host name, so one address can serve one host only (protocol.IsTCP).
const TCP_LIKE = ['TCP', 'HTTPS', 'TLS', 'Mongo', 'Redis', 'MySQL'];
// The protocols Envoy's dynamic forward proxy serves (DYNAMIC_DNS).
const DYNAMIC_DNS_PROTOCOLS = ['HTTP', 'TLS', 'GRPC', 'HTTP2'];
const UNIX_PREFIX = 'unix://';
const AUTOALLOCATE_LABEL = 'networking.istio.io/enable-autoallocate-ip';
const USE_WAYPOINT_LABEL = 'istio.io/use-waypoint';

export function checkServiceEntry(se: Manifest): Finding[] {
  const out = new FindingCollector();
  const spec = isRecord(se.spec) ? se.spec : {};
  const resolution: string = spec.resolution ?? 'NONE';
  const hosts = asArray(spec.hosts);
  const ports = asArray(spec.ports);
  const endpoints = asArray(spec.endpoints);
  const addresses = asArray(spec.addresses);
  const labels = isRecord(se.metadata) && isRecord(se.metadata.labels) ? se.metadata.labels : {};

  checkWorkloadSelector(out, spec.workloadSelector);
  // The CRD's CEL rule is presence-based: even `endpoints: []` beside a selector is refused.
  if (spec.workloadSelector !== undefined && spec.endpoints !== undefined) {
    out.error('SE7', 'spec.endpoints', spec.endpoints, 'only one of WorkloadSelector or Endpoints is allowed in Service Entry',
      'list endpoints for external hosts; use a workloadSelector only to select pods of the mesh');
  }
  checkHosts(out, hosts, resolution);
  checkAddresses(out, addresses, resolution);
  // ShouldV2AutoAllocateIPFromConfig: on by default, off for resolution NONE, an opt-out label or own addresses.
  const optedOut = typeof labels[AUTOALLOCATE_LABEL] === 'string' && goEqualFold(labels[AUTOALLOCATE_LABEL], 'false');
  const autoAllocation = resolution !== 'NONE' && !optedOut;
  const portNames = checkPorts(out, ports, addresses.length === 0 && !autoAllocation);

  if (!RESOLUTIONS.includes(resolution)) {
    out.error('SE28', 'spec.resolution', spec.resolution, `unsupported resolution type ${show(resolution)}`,
      `use one of ${RESOLUTIONS.join(', ')}`);
  }
  // A null field is dropped by the API server and by Istio's decoding, like a missing one.
  if (spec.location !== undefined && spec.location !== null && !LOCATIONS.includes(spec.location)) {
    out.error('SE27', 'spec.location', spec.location, `unsupported location ${show(spec.location)}`,
      `use one of ${LOCATIONS.join(', ')}`);
  }

  switch (resolution) {
    case 'NONE':
      // CEL is presence-based: even an empty list is refused by the API server.
      if (spec.endpoints !== undefined) {
        out.error('SE14', 'spec.endpoints', spec.endpoints, 'no endpoints should be provided for resolution type none',
          'remove the endpoints, or use resolution STATIC (IP endpoints) or DNS (host-name endpoints)');
      }
      if (spec.workloadSelector !== undefined) {
        out.warning('SE15', 'spec.workloadSelector', spec.workloadSelector,
          'workloadSelector should not be set when resolution mode is NONE', 'use resolution STATIC with a workloadSelector');
      }
      break;
    case 'DNS':
    case 'DNS_ROUND_ROBIN':
      checkDnsResolution(out, spec, hosts, endpoints, addresses, ports, resolution);
      break;
    case 'DYNAMIC_DNS':
      checkDynamicDns(out, spec, hosts, ports, labels);
      break;
  }
  endpoints.forEach((ep, i) => checkEndpoint(out, ep, i, resolution, portNames));

  // SE23: with a resolution other than NONE, proxies can only tell several hosts apart by Host header or SNI.
  if (resolution !== 'NONE' && hosts.length > 1) {
    const opaque = ports.findIndex(p => isRecord(p) && !(isHttpProtocol(p.protocol) || isTlsProtocol(p.protocol)));
    if (opaque >= 0) {
      out.error('SE23', `spec.ports[${opaque}].protocol`, ports[opaque].protocol, 'multiple hosts provided with non-HTTP, non-TLS ports',
        'use one ServiceEntry per host for TCP (or protocol-less) ports, or HTTP/TLS ports only');
    }
  }

  checkExportTo(out, spec.exportTo, se.metadata?.namespace, true);
  return out.findings;
}

/** SE30: ValidateAlphaWorkloadSelector. */
function checkWorkloadSelector(out: FindingCollector, selector: unknown): void {
  if (selector === undefined || selector === null) {
    return;
  }
  const labels = isRecord(selector) ? selector.labels : undefined;
  if (!isRecord(labels) || Object.keys(labels).length === 0) {
    out.warning('SE30', 'spec.workloadSelector', selector,
      'service entry: workload selector specified without labels, will be applied to all services in namespace',
      'select the workloads by label, or drop the selector');
  }
  checkSelectorLabels(out, labels, 'spec.workloadSelector.labels');
}

function checkHosts(out: FindingCollector, hosts: any[], resolution: string): void {
  if (hosts.length === 0) {
    out.error('SE1', 'spec.hosts', hosts, 'service entry must have at least one host', 'name the external host, e.g. api.example.com');
  }
  hosts.forEach((host, i) => {
    const field = `spec.hosts[${i}]`;
    if (host === '*') {
      out.error('SE2', field, host, 'invalid host * (hostname cannot be wildcard)',
        'name the domain, e.g. api.example.com or *.example.com: `*` would claim all outbound traffic');
      return;
    }
    if (typeof host !== 'string') {
      out.error('SE3', field, host, 'host must be a string', 'use a DNS name such as api.example.com');
      return;
    }
    const bad = checkWildcardDomain(host);
    if (bad) {
      out.error('SE3', field, host, bad, isIpAddress(host)
        ? 'IP addresses are not host names: use a name in hosts and put the IP in addresses or endpoints'
        : 'use a DNS name such as api.example.com, optionally with a leading wildcard label (*.example.com)');
    }
    // Istio warns about a partial wildcard whether or not the host is otherwise valid.
    const partial = checkPartialWildcard(host);
    if (partial && resolution !== 'DYNAMIC_DNS') {
      out.warning('SE4', field, host, partial, 'use a whole wildcard label, e.g. *.example.com');
    }
  });
}

function checkAddresses(out: FindingCollector, addresses: any[], resolution: string): void {
  addresses.forEach((address, i) => {
    const bad = typeof address === 'string' ? checkIpOrCidr(address) : 'address must be a string';
    if (bad) {
      out.error('SE5', `spec.addresses[${i}]`, address, bad, 'use an IP address (10.0.0.1) or a CIDR block (10.0.0.0/24)');
    }
  });
  const cidr = addresses.findIndex(a => typeof a === 'string' && a.includes('/'));
  if (cidr >= 0 && resolution !== 'NONE' && resolution !== 'STATIC') {
    out.error('SE6', `spec.addresses[${cidr}]`, addresses[cidr], 'CIDR addresses are allowed only for NONE/STATIC resolution types',
      'use resolution NONE or STATIC, or list single IP addresses');
  }
}


/**
 * Checks the ports and returns the names of all of them as written (Istio matches endpoint ports and
 * counts the ports of a unix endpoint by these names, valid or not).
 */
function checkPorts(out: FindingCollector, ports: any[], needsAddresses: boolean): Set<string> {
  const names = new Set<string>();
  const numbers = new Set<number>();
  ports.forEach((port, i) => {
    const field = `spec.ports[${i}]`;
    if (port === null || port === undefined) {
      out.error('SE11', field, port, 'service entry port may not be null', 'remove the empty port');
      return;
    }
    if (!isRecord(port)) {
      out.error('SE11', field, port, 'port must be an object with name, number and protocol', 'give the port a number and a name');
      return;
    }
    const name = typeof port.name === 'string' ? port.name : '';
    if (name === '') {
      out.error('SE11', `${field}.name`, port.name, 'port name is required', 'name the port after its protocol, e.g. https-443');
    } else if (!isDns1123Label(name)) {
      out.error('SE11', `${field}.name`, port.name, `invalid port name: ${name}`,
        'use a DNS-1123 label: letters, digits and dashes (e.g. http-port, not http_port)');
    }
    // Istio counts an empty name too: two ports without a name are a duplicate as well.
    if (names.has(name)) {
      out.error('SE8', `${field}.name`, port.name, `service entry port name ${goQuote(name)} already defined`, 'give each port its own name');
    }
    names.add(name);
    const badNumber = checkPortNumber(port.number);
    if (badNumber) {
      out.error('SE10', `${field}.number`, port.number, badNumber, 'use a port number from 1 to 65535');
    } else if (numbers.has(port.number)) {
      out.error('SE9', `${field}.number`, port.number, `service entry port ${port.number} already defined`,
        'declare each port number once; to serve several protocols, use separate ServiceEntries');
    } else {
      numbers.add(port.number);
    }
    // Go skips targetPort 0 as unset, but the CRD's CEL rule refuses any targetPort outside 1..65535.
    if (port.targetPort !== undefined) {
      const badTarget = checkPortNumber(port.targetPort);
      if (badTarget) {
        out.error('SE10', `${field}.targetPort`, port.targetPort, badTarget, 'use a target port from 1 to 65535');
      }
    }
    if (port.protocol !== undefined && port.protocol !== null && port.protocol !== '' && parseProtocol(port.protocol) === undefined) {
      out.error('SE12', `${field}.protocol`, port.protocol, `unsupported protocol: ${show(port.protocol)}`,
        `use one of ${knownProtocols().join(', ')}`);
    }
    // SE13: Istio compares the protocol case-sensitively here: only unset and exactly `TCP` count.
    if (needsAddresses && (port.protocol === undefined || port.protocol === null || port.protocol === '' || port.protocol === 'TCP')) {
      out.warning('SE13', `${field}.protocol`, port.protocol,
        'addresses are required for ports serving TCP (or unset) protocol when IP Autoallocation is not enabled',
        'add the service\'s IP addresses or CIDR blocks, or use resolution DNS/STATIC (without the auto-allocation opt-out label)');
    }
  });
  return names;
}

function checkDnsResolution(
  out: FindingCollector, spec: any, hosts: any[], endpoints: any[], addresses: any[], ports: any[], resolution: string,
): void {
  if (endpoints.length === 0) {
    // Istio reports the first host that is not an FQDN. Wildcards fail: DNS needs a name it can look up.
    for (let i = 0; i < hosts.length; i++) {
      const bad = typeof hosts[i] === 'string' ? checkFqdn(hosts[i]) : undefined;
      if (bad) {
        out.error('SE19', `spec.hosts[${i}]`, hosts[i],
          `hosts must be FQDN or contain only prefix wildcards if no endpoints are provided for resolution mode ${resolution}, ${bad}`,
          'a wildcard host cannot be resolved by DNS: use resolution NONE (or DYNAMIC_DNS on Istio 1.30+), or name a concrete host');
        break;
      }
    }
  }
  if (resolution === 'DNS_ROUND_ROBIN' && endpoints.length > 1) {
    out.error('SE21', 'spec.endpoints', spec.endpoints, `there must only be 0 or 1 endpoint for resolution mode ${resolution}`,
      'use resolution DNS for several endpoints');
  }
  if (addresses.length > 0 && hosts.length > 1 && ports.some(p => isRecord(p) && TCP_LIKE.includes(parseProtocol(p.protocol) ?? ''))) {
    out.warning('SE22', 'spec.hosts', hosts, 'service entry can not have more than one host specified simultaneously with address and tcp port',
      'use one ServiceEntry per host');
  }
}

function checkDynamicDns(out: FindingCollector, spec: any, hosts: any[], ports: any[], labels: Record<string, any>): void {
  const resolution = 'DYNAMIC_DNS';
  if (hosts.length === 0) {
    out.error('SE24', 'spec.hosts', hosts, `at least one wildcard host must be provided for resolution type ${resolution}`,
      'DYNAMIC_DNS is for wildcard hosts such as *.example.com');
  }
  hosts.forEach((host, i) => {
    if (!(typeof host === 'string' && host.startsWith('*'))) {
      out.error('SE24', `spec.hosts[${i}]`, host, `host must be wildcarded for resolution mode ${resolution}`,
        'move concrete hosts to their own ServiceEntry with resolution DNS');
    }
  });
  if (asArray(spec.addresses).length > 0) {
    out.error('SE25', 'spec.addresses', spec.addresses,
      `addresses cannot be set for resolution type ${resolution}. HTTP route domains will only be generatedfrom the hosts field values`,
      'remove the addresses');
  }
  if (asArray(spec.endpoints).length > 0) {
    out.error('SE25', 'spec.endpoints', spec.endpoints,
      `endpoints cannot be set for resolution type ${resolution}. Destination IP address determined from hostsfield values`,
      'remove the endpoints');
  }
  ports.forEach((p, i) => {
    if (isRecord(p) && !DYNAMIC_DNS_PROTOCOLS.includes(parseProtocol(p.protocol) ?? '')) {
      out.error('SE26', `spec.ports[${i}].protocol`, p.protocol, `only HTTP, TLS, GRPC, and HTTP2 protocols are supported for resolution type ${resolution}`,
        'use one of HTTP, TLS, GRPC, HTTP2');
    }
  });
  const waypoint = labels[USE_WAYPOINT_LABEL];
  if (spec.location === 'MESH_INTERNAL' && typeof waypoint === 'string' && waypoint !== '' && !goEqualFold(waypoint, 'none')) {
    out.error('SE27', 'spec.location', spec.location,
      `location MESH_INTERNAL with resolution type ${resolution} is not supported when using waypoints`,
      `use location MESH_EXTERNAL, or remove the ${USE_WAYPOINT_LABEL} label`);
  }
}

/**
 * One endpoint: the CRD's CEL rules for every resolution; Istio's validateWorkloadEntry for STATIC and
 * the DNS checks for DNS and DNS_ROUND_ROBIN (it does not look at endpoints of other resolutions,
 * which may not have any).
 */
function checkEndpoint(out: FindingCollector, ep: unknown, i: number, resolution: string, portNames: Set<string>): void {
  const field = `spec.endpoints[${i}]`;
  const isStatic = resolution === 'STATIC';
  const isDns = resolution === 'DNS' || resolution === 'DNS_ROUND_ROBIN';
  if (!isRecord(ep)) {
    out.error('SE16', field, ep, 'endpoint cannot be nil', 'remove the empty endpoint, or give it an address');
    return;
  }
  // show, not String: a value such as `{ toString: {} }` (refused by the schema) must not throw here.
  const address = ep.address === undefined || ep.address === null ? '' : show(ep.address);
  const network = ep.network === undefined || ep.network === null ? '' : show(ep.network);
  const absent = (ep.address === undefined || ep.address === null) && (ep.network === undefined || ep.network === null);

  if (absent) {
    out.error('SE16', `${field}.address`, undefined, 'Address is required', 'give each endpoint an address (an IP, a host name, or unix:///path)');
  } else if (address.startsWith(UNIX_PREFIX)) {
    const bad = checkUnixAddress(address);
    if (bad) {
      out.error('SE31', `${field}.address`, address, bad, 'use an absolute socket path (unix:///var/run/app.sock) or an abstract socket (unix://@name)');
    }
    if (ep.ports !== undefined) {
      out.error('SE32', `${field}.ports`, ep.ports, `unix endpoint ${address} must not include ports`,
        'remove the ports: a unix socket has none');
    }
    if (isStatic && portNames.size !== 1) {
      out.error('SE33', 'spec.ports', [...portNames], 'exactly 1 service port required for unix endpoints',
        'declare exactly one port on a ServiceEntry with unix socket endpoints');
    }
    if (isDns) {
      out.error('SE20', `${field}.address`, address, `endpoint address ${goQuote(address)} is not a valid FQDN or an IP address`,
        'unix sockets need resolution STATIC; with DNS use an IP address or a host name');
    }
  } else if (isStatic) {
    if (address === '' && network === '') {
      out.error('SE16', `${field}.address`, ep.address, 'address is required', 'give each endpoint an address');
    } else if (address === '') {
      out.warning('SE34', `${field}.address`, ep.address, `address is unset with network ${goQuote(network)}`,
        'set the address, unless the endpoint is reached through the network\'s gateway');
    } else if (!isIpAddress(address)) {
      out.error('SE16', `${field}.address`, address, `endpoint address ${goQuote(address)} is not a valid IP address`,
        'STATIC endpoints are IP addresses; for a host name use resolution DNS');
    }
  } else if (isDns && !isIpAddress(address) && checkFqdn(address) !== undefined) {
    out.error('SE20', `${field}.address`, ep.address ?? '', `endpoint address ${goQuote(address)} is not a valid FQDN or an IP address`,
      address === '' ? 'with resolution DNS every endpoint needs an address (an IP or a host name)' : 'use an IP address or a fully qualified host name');
  }

  for (const [name, number] of Object.entries(isRecord(ep.ports) ? ep.ports : {})) {
    const portField = `${field}.ports.${name}`;
    // Istio's message names the port number (`%v` of the value), not the name.
    if ((isStatic || isDns) && !portNames.has(name)) {
      out.error('SE18', portField, number, `endpoint port ${show(number)} is not defined by the service entry`,
        `map only port names the entry declares (${[...portNames].join(', ') || 'none'})`);
    }
    // Istio allows 63 characters; the CRD's CEL rule only 62.
    if (!isDns1123Label(name) || name.length >= 63) {
      out.error('SE35', portField, number, isDns1123Label(name) ? 'port name must be valid' : `invalid port name: ${name}`,
        'use a port name the entry declares: a DNS-1123 label of at most 62 characters');
    }
    const bad = checkPortNumber(number);
    if (bad) {
      out.error('SE10', portField, number, bad, 'use a port number from 1 to 65535');
    }
  }
  if (isStatic || isDns) {
    checkLabels(out, 'SE36', ep.labels, `${field}.labels`);
  }
}

/** ValidateUnixAddress after the `unix://` prefix, with the CRD's stricter CEL rules (no trailing slash at all). */
function checkUnixAddress(address: string): string | undefined {
  const path = address.slice(UNIX_PREFIX.length);
  if (path === '') {
    return 'unix address must not be empty';
  }
  if (path.startsWith('@')) {
    return path.endsWith('/') ? 'UDS may not be a dir' : undefined;
  }
  return path.startsWith('/') && !path.endsWith('/') ? undefined : `${path} is not an absolute path to a file`;
}

