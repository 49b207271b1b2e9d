/**
 * ServiceEntry rules: Istio's ValidateServiceEntry (pkg/config/validation/validation.go) and the CRD's
 * CEL rules, numbered SE1..SE30 as in the rules notes.
 */
import { checkExportTo } from './export-to';
import { Finding, FindingCollector, Manifest, asArray, isRecord } from './finding';
import { checkFqdn, checkIpOrCidr, checkPartialWildcard, checkPortNumber, checkWildcardDomain, isDns1123Label, isIpAddress } from './names';
import { isHttpProtocol, isTlsProtocol, knownProtocols, parseProtocol } from './protocol';

export const RESOLUTIONS = ['NONE', 'STATIC', 'DNS', 'DNS_ROUND_ROBIN', 'DYNAMIC_DNS'];
export const LOCATIONS = ['MESH_EXTERNAL', 'MESH_INTERNAL'];

// Protocols whose traffic carries no host name, so one address can serve one host only.
const TCP_LIKE = ['TCP', 'HTTPS', 'TLS', 'Mongo', 'Redis', 'MySQL'];

export function checkServiceEntry(se: Manifest): Finding[] {
  const out = new FindingCollector();
  const spec = isRecord(se.spec) ? se.spec : {};
  const resolution: string = spec.resolution ?? 'NONE';
  const hosts = asArray(spec.hosts);
  const ports = asArray(spec.ports);
  const endpoints = asArray(spec.endpoints);
  const addresses = asArray(spec.addresses);

  checkHosts(out, hosts, resolution);
  checkAddresses(out, addresses, resolution);
  const portNames = checkPorts(out, ports);

  if (spec.workloadSelector !== undefined && spec.endpoints !== undefined) {
    out.error('SE7', 'spec.endpoints', spec.endpoints, 'only one of WorkloadSelector or Endpoints is allowed in Service Entry',
      'list endpoints for external hosts; use a workloadSelector only to select pods of the mesh');
  }

  if (!RESOLUTIONS.includes(resolution)) {
    out.error('SE28', 'spec.resolution', spec.resolution, `unsupported resolution type ${resolution}`,
      `use one of ${RESOLUTIONS.join(', ')}`);
  }
  if (spec.location !== undefined && !LOCATIONS.includes(spec.location)) {
    out.error('SE27', 'spec.location', spec.location, `unsupported location ${String(spec.location)}`,
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
    case 'STATIC':
      endpoints.forEach((ep, i) => {
        const address = isRecord(ep) ? ep.address : undefined;
        if (typeof address === 'string' && !address.startsWith('unix://') && !isIpAddress(address)) {
          out.error('SE16', `spec.endpoints[${i}].address`, address, `endpoint address "${address}" is not a valid IP address`,
            'STATIC endpoints are IP addresses; for a host name use resolution DNS');
        }
      });
      break;
    case 'DNS':
    case 'DNS_ROUND_ROBIN':
      checkDnsResolution(out, spec, hosts, endpoints, addresses, ports, resolution);
      break;
    case 'DYNAMIC_DNS':
      checkDynamicDns(out, spec, hosts, ports);
      break;
  }

  checkEndpoints(out, endpoints, portNames);

  // SE23: with a resolution other than NONE, proxies can only tell several hosts apart by Host header or SNI.
  if (resolution !== 'NONE' && hosts.length > 1) {
    const opaque = ports.findIndex(p => !isRecord(p) || !(isHttpProtocol(p.protocol) || isTlsProtocol(p.protocol)));
    if (opaque >= 0) {
      out.error('SE23', `spec.ports[${opaque}].protocol`, ports[opaque]?.protocol, 'multiple hosts provided with non-HTTP, non-TLS ports',
        'use one ServiceEntry per host for TCP (or protocol-less) ports, or HTTP/TLS ports only');
    }
  }

  // SE13: without an address, a TCP port of a NONE entry cannot be told apart from other TCP traffic on that port.
  if (resolution === 'NONE' && addresses.length === 0) {
    ports.forEach((p, i) => {
      if (isRecord(p) && (p.protocol === undefined || p.protocol === '' || p.protocol === 'TCP')) {
        out.warning('SE13', `spec.ports[${i}].protocol`, p.protocol,
          'addresses are required for ports serving TCP (or unset) protocol when IP Autoallocation is not enabled',
          'add the service\'s IP addresses or CIDR blocks, or use resolution DNS/STATIC');
      }
    });
  }

  checkExportTo(out, spec.exportTo, se.metadata?.namespace, true);
  checkSelectorLabels(out, spec.workloadSelector?.labels, 'spec.workloadSelector.labels');
  return out.findings;
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
    const bad = typeof host === 'string' ? checkWildcardDomain(host) : 'host must be a string';
    if (bad) {
      out.error('SE3', field, host, bad, isIpAddress(String(host))
        ? 'IP addresses are not host names: use a name in hosts and put the IP in addresses or endpoints'
        : 'use a DNS name such as api.example.com, optionally with a leading wildcard label (*.example.com)');
      return;
    }
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

/** Checks the ports and returns the names that are defined. */
function checkPorts(out: FindingCollector, ports: any[]): Set<string> {
  const names = new Set<string>();
  const numbers = new Set<number>();
  ports.forEach((port, i) => {
    const field = `spec.ports[${i}]`;
    if (!isRecord(port)) {
      out.error('SE11', field, port, 'port must be an object with name, number and protocol', 'give the port a number and a name');
      return;
    }
    if (typeof port.name !== 'string' || port.name === '') {
      out.error('SE11', `${field}.name`, port.name, 'port name is required', 'name the port after its protocol, e.g. https-443');
    } else if (!isDns1123Label(port.name)) {
      out.error('SE11', `${field}.name`, port.name, `invalid port name: ${port.name}`,
        'use a DNS-1123 label: letters, digits and dashes (e.g. http-port, not http_port)');
    } else if (names.has(port.name)) {
      out.error('SE8', `${field}.name`, port.name, `service entry port name "${port.name}" already defined`, 'give each port its own name');
    } else {
      names.add(port.name);
    }
    const badNumber = checkPortNumber(port.number);
    if (badNumber) {
      out.error('SE10', `${field}.number`, port.number, badNumber, 'use a port number from 1 to 65535');
    } else if (numbers.has(port.number)) {
      out.error('SE9', `${field}.number`, port.number, `service entry port ${port.number} already defined`,
        'declare each port number once; to serve several protocols, use separate ServiceEntries');
    } else {
      numbers.add(port.number);
    }
    if (port.targetPort !== undefined) {
      const badTarget = checkPortNumber(port.targetPort);
      if (badTarget) {
        out.error('SE10', `${field}.targetPort`, port.targetPort, badTarget, 'use a target port from 1 to 65535');
      }
    }
    if (port.protocol !== undefined && port.protocol !== '' && parseProtocol(port.protocol) === undefined) {
      out.error('SE12', `${field}.protocol`, port.protocol, `unsupported protocol: ${String(port.protocol)}`,
        `use one of ${knownProtocols().join(', ')}`);
    }
  });
  return names;
}

function checkDnsResolution(
  out: FindingCollector, spec: any, hosts: any[], endpoints: any[], addresses: any[], ports: any[], resolution: string,
): void {
  if (endpoints.length === 0) {
    hosts.forEach((host, i) => {
      // Wildcards fail here: DNS resolution needs a name it can look up.
      if (typeof host === 'string' && host !== '*' && checkWildcardDomain(host) === undefined && checkFqdn(host) !== undefined) {
        out.error('SE19', `spec.hosts[${i}]`, host,
          `hosts must be FQDN or contain only prefix wildcards if no endpoints are provided for resolution mode ${resolution}, ${host}`,
          'a wildcard host cannot be resolved by DNS: use resolution NONE (or DYNAMIC_DNS on Istio 1.30+), or name a concrete host');
      }
    });
  }
  endpoints.forEach((ep, i) => {
    const address = isRecord(ep) ? ep.address : undefined;
    if (typeof address === 'string' && !address.startsWith('unix://') && !isIpAddress(address) && checkFqdn(address) !== undefined) {
      out.error('SE20', `spec.endpoints[${i}].address`, address, `endpoint address "${address}" is not a valid FQDN or an IP address`,
        'use an IP address or a fully qualified host name');
    }
  });
  if (resolution === 'DNS_ROUND_ROBIN' && endpoints.length > 1) {
    out.error('SE21', 'spec.endpoints', spec.endpoints, `there must only be 0 or 1 endpoint for resolution mode ${resolution}`,
      'use resolution DNS for several endpoints');
  }
  if (resolution === 'DNS' && addresses.length > 0 && hosts.length > 1 && ports.some(p => TCP_LIKE.includes(parseProtocol(p?.protocol) ?? ''))) {
    out.warning('SE22', 'spec.hosts', hosts, 'service entry can not have more than one host specified simultaneously with address and tcp port',
      'use one ServiceEntry per host');
  }
}

function checkDynamicDns(out: FindingCollector, spec: any, hosts: any[], ports: any[]): void {
  if (!hosts.some(h => typeof h === 'string' && h.startsWith('*'))) {
    out.error('SE24', 'spec.hosts', hosts, 'at least one wildcard host must be provided for resolution type DYNAMIC_DNS',
      'DYNAMIC_DNS is for wildcard hosts such as *.example.com; use DNS for concrete hosts');
  }
  hosts.forEach((host, i) => {
    if (typeof host === 'string' && !host.startsWith('*')) {
      out.error('SE24', `spec.hosts[${i}]`, host, 'host must be wildcarded for resolution mode DYNAMIC_DNS',
        'move concrete hosts to their own ServiceEntry with resolution DNS');
    }
  });
  if (spec.addresses !== undefined) {
    out.error('SE25', 'spec.addresses', spec.addresses, 'addresses cannot be set for resolution type DYNAMIC_DNS', 'remove the addresses');
  }
  if (spec.endpoints !== undefined) {
    out.error('SE25', 'spec.endpoints', spec.endpoints, 'endpoints cannot be set for resolution type DYNAMIC_DNS', 'remove the endpoints');
  }
  ports.forEach((p, i) => {
    if (!['HTTP', 'TLS', 'GRPC', 'HTTP2'].includes(parseProtocol(p?.protocol) ?? '')) {
      out.error('SE26', `spec.ports[${i}].protocol`, p?.protocol, 'only HTTP, TLS, GRPC, and HTTP2 protocols are supported for resolution type DYNAMIC_DNS',
        'use one of HTTP, TLS, GRPC, HTTP2');
    }
  });
}

function checkEndpoints(out: FindingCollector, endpoints: any[], portNames: Set<string>): void {
  endpoints.forEach((ep, i) => {
    const field = `spec.endpoints[${i}]`;
    if (!isRecord(ep) || (ep.address === undefined && ep.network === undefined)) {
      out.error('SE16', `${field}.address`, undefined, 'Address is required', 'give each endpoint an address');
      return;
    }
    for (const [name, number] of Object.entries(isRecord(ep.ports) ? ep.ports : {})) {
      if (!portNames.has(name)) {
        out.error('SE18', `${field}.ports.${name}`, number, `endpoint port ${name} is not defined by the service entry`,
          `map only port names the entry declares (${[...portNames].join(', ') || 'none'})`);
      }
      const bad = checkPortNumber(number);
      if (bad) {
        out.error('SE10', `${field}.ports.${name}`, number, bad, 'use a port number from 1 to 65535');
      }
    }
  });
}

/** Selector label rules shared by every kind with a workload selector. */
export function checkSelectorLabels(out: FindingCollector, labels: unknown, field: string): void {
  if (!isRecord(labels)) {
    return;
  }
  for (const [key, value] of Object.entries(labels)) {
    if (key === '') {
      out.error('SEL1', field, labels, `empty key is not supported in selector: "${key}"`, 'remove the empty label key');
    }
    if (key.includes('*') || String(value).includes('*')) {
      out.error('SEL2', `${field}.${key}`, value, `wildcard is not supported in selector: "${key}"`, 'select pods by exact label values');
    }
  }
}
