/**
 * Each ServiceEntry finding in full: rule, severity, field, value, Istio's message and our fix, for the
 * branches the webhook tests (service-entry-webhook.test.ts) do not reach. Messages are Istio 1.30.3's
 * (ValidateServiceEntry, validateWorkloadEntry, agent.ValidatePort/ValidateIPSubnet/ValidateFQDN).
 */
import { checkObject } from '../../src/rules';

function se(spec: any, labels?: Record<string, string>) {
  return { apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'ext', namespace: 'egress', ...(labels ? { labels } : {}) }, spec };
}
const https = { number: 443, name: 'https', protocol: 'HTTPS' };

/** [rule, severity, field, value (null when unset), message, fix] */
const findings = (object: unknown) => checkObject(object as any)
  .map(f => [f.rule, f.severity, f.field, f.value === undefined ? null : f.value, f.message, f.fix]);

test.each<[string, unknown, unknown[][]]>([
  ['SE1: no host', se({ hosts: [], ports: [https], resolution: 'DNS' }),
    [['SE1', 'error', 'spec.hosts', [], 'service entry must have at least one host', 'name the external host, e.g. api.example.com']]],
  ['SE3: a host that is no string', se({ hosts: [7], ports: [https], resolution: 'NONE' }),
    [['SE3', 'error', 'spec.hosts[0]', 7, 'host must be a string', 'use a DNS name such as api.example.com']]],
  ['SE3: an IP address as host', se({ hosts: ['192.0.2.1'], ports: [https], resolution: 'NONE' }),
    [['SE3', 'error', 'spec.hosts[0]', '192.0.2.1', 'domain name "0.2.1" invalid (top level domain "1" cannot be all-numeric)', 'IP addresses are not host names: use a name in hosts and put the IP in addresses or endpoints']]],
  ['SE3 and SE4: a partial wildcard', se({ hosts: ['api*.example.com'], ports: [https], resolution: 'NONE' }),
    [['SE3', 'error', 'spec.hosts[0]', 'api*.example.com', 'domain name "api*.example.com" invalid (label "api*" invalid)', 'use a DNS name such as api.example.com, optionally with a leading wildcard label (*.example.com)'], ['SE4', 'warning', 'spec.hosts[0]', 'api*.example.com', 'partial wildcard "api*.example.com" not allowed', 'use a whole wildcard label, e.g. *.example.com']]],
  ['SE5: an address that is no string, and a CIDR block with a 33-bit prefix', se({ hosts: ['a.example.com'], addresses: [7, '10.0.0.0/33'], ports: [https], resolution: 'NONE' }),
    [['SE5', 'error', 'spec.addresses[0]', 7, 'address must be a string', 'use an IP address (10.0.0.1) or a CIDR block (10.0.0.0/24)'], ['SE5', 'error', 'spec.addresses[1]', '10.0.0.0/33', '10.0.0.0/33 is not a valid CIDR block', 'use an IP address (10.0.0.1) or a CIDR block (10.0.0.0/24)']]],
  ['SE11: a null port, a port that is no object, no name, an invalid name', se({ hosts: ['a.example.com'], ports: [null, 'x', { number: 80, protocol: 'HTTP' }, { number: 81, name: 'http_port', protocol: 'HTTP' }], resolution: 'DNS' }),
    [['SE11', 'error', 'spec.ports[0]', null, 'service entry port may not be null', 'remove the empty port'], ['SE11', 'error', 'spec.ports[1]', 'x', 'port must be an object with name, number and protocol', 'give the port a number and a name'], ['SE11', 'error', 'spec.ports[2].name', null, 'port name is required', 'name the port after its protocol, e.g. https-443'], ['SE11', 'error', 'spec.ports[3].name', 'http_port', 'invalid port name: http_port', 'use a DNS-1123 label: letters, digits and dashes (e.g. http-port, not http_port)']]],
  ['SE10: port 0 and a target port above 65535', se({ hosts: ['a.example.com'], ports: [{ number: 0, name: 'http', protocol: 'HTTP' }, { number: 81, name: 'http2', protocol: 'HTTP', targetPort: 70000 }], resolution: 'DNS' }),
    [['SE10', 'error', 'spec.ports[0].number', 0, 'port number 0 must be in the range 1..65535', 'use a port number from 1 to 65535'], ['SE10', 'error', 'spec.ports[1].targetPort', 70000, 'port number 70000 must be in the range 1..65535', 'use a target port from 1 to 65535']]],
  ['SE13: unset, empty, null and TCP protocols without addresses or auto-allocation (NONE)', se({ hosts: ['a.example.com'], ports: [{ number: 81, name: 'a', protocol: '' }, { number: 82, name: 'b', protocol: null }, { number: 83, name: 'c' }, { number: 84, name: 'd', protocol: 'TCP' }, { number: 85, name: 'e', protocol: 'HTTP' }], resolution: 'NONE' }),
    [['SE13', 'warning', 'spec.ports[0].protocol', '', 'addresses are required for ports serving TCP (or unset) protocol when IP Autoallocation is not enabled', "add the service's IP addresses or CIDR blocks, or use resolution DNS/STATIC (without the auto-allocation opt-out label)"], ['SE13', 'warning', 'spec.ports[1].protocol', null, 'addresses are required for ports serving TCP (or unset) protocol when IP Autoallocation is not enabled', "add the service's IP addresses or CIDR blocks, or use resolution DNS/STATIC (without the auto-allocation opt-out label)"], ['SE13', 'warning', 'spec.ports[2].protocol', null, 'addresses are required for ports serving TCP (or unset) protocol when IP Autoallocation is not enabled', "add the service's IP addresses or CIDR blocks, or use resolution DNS/STATIC (without the auto-allocation opt-out label)"], ['SE13', 'warning', 'spec.ports[3].protocol', 'TCP', 'addresses are required for ports serving TCP (or unset) protocol when IP Autoallocation is not enabled', "add the service's IP addresses or CIDR blocks, or use resolution DNS/STATIC (without the auto-allocation opt-out label)"]]],
  ['SE13: DNS with the auto-allocation opt-out label (any case of "false")', se({ hosts: ['a.example.com'], ports: [{ number: 84, name: 'd', protocol: 'TCP' }], resolution: 'DNS' }, { 'networking.istio.io/enable-autoallocate-ip': 'False' }),
    [['SE13', 'warning', 'spec.ports[0].protocol', 'TCP', 'addresses are required for ports serving TCP (or unset) protocol when IP Autoallocation is not enabled', "add the service's IP addresses or CIDR blocks, or use resolution DNS/STATIC (without the auto-allocation opt-out label)"]]],
  ['SE19: DNS without endpoints needs FQDN hosts', se({ hosts: ['a.example.com', '*.example.org'], ports: [https], resolution: 'DNS' }),
    [['SE19', 'error', 'spec.hosts[1]', '*.example.org', 'hosts must be FQDN or contain only prefix wildcards if no endpoints are provided for resolution mode DNS, domain name "*.example.org" invalid (label "*" invalid)', 'a wildcard host cannot be resolved by DNS: use resolution NONE (or DYNAMIC_DNS on Istio 1.30+), or name a concrete host']]],
  ['SE22: addresses with several hosts and an HTTPS port (TCP-like for Istio)', se({ hosts: ['a.example.com', 'b.example.com'], addresses: ['192.0.2.1'], ports: [https], resolution: 'DNS' }),
    [['SE22', 'warning', 'spec.hosts', ['a.example.com', 'b.example.com'], 'service entry can not have more than one host specified simultaneously with address and tcp port', 'use one ServiceEntry per host']]],
  ['SE22 and SE23: a Mongo port at index 0', se({ hosts: ['a.example.com', 'b.example.com'], addresses: ['192.0.2.1'], ports: [{ number: 27017, name: 'mongo', protocol: 'MONGO' }], resolution: 'DNS' }),
    [['SE22', 'warning', 'spec.hosts', ['a.example.com', 'b.example.com'], 'service entry can not have more than one host specified simultaneously with address and tcp port', 'use one ServiceEntry per host'], ['SE23', 'error', 'spec.ports[0].protocol', 'MONGO', 'multiple hosts provided with non-HTTP, non-TLS ports', 'use one ServiceEntry per host for TCP (or protocol-less) ports, or HTTP/TLS ports only']]],
  ['SE24: a concrete host with DYNAMIC_DNS', se({ hosts: ['a.example.com'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'DYNAMIC_DNS' }),
    [['SE24', 'error', 'spec.hosts[0]', 'a.example.com', 'host must be wildcarded for resolution mode DYNAMIC_DNS', 'move concrete hosts to their own ServiceEntry with resolution DNS']]],
  ['SE25: addresses and endpoints with DYNAMIC_DNS', se({ hosts: ['*.example.com'], addresses: ['192.0.2.1'], endpoints: [{ address: 'x.example.com' }], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'DYNAMIC_DNS' }),
    [['SE25', 'error', 'spec.addresses', ['192.0.2.1'], 'addresses cannot be set for resolution type DYNAMIC_DNS. HTTP route domains will only be generatedfrom the hosts field values', 'remove the addresses'], ['SE25', 'error', 'spec.endpoints', [{ address: 'x.example.com' }], 'endpoints cannot be set for resolution type DYNAMIC_DNS. Destination IP address determined from hostsfield values', 'remove the endpoints']]],
  ['SE27: MESH_INTERNAL DYNAMIC_DNS through a waypoint', se({ hosts: ['*.example.com'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'DYNAMIC_DNS', location: 'MESH_INTERNAL' }, { 'istio.io/use-waypoint': 'egress-waypoint' }),
    [['SE27', 'error', 'spec.location', 'MESH_INTERNAL', 'location MESH_INTERNAL with resolution type DYNAMIC_DNS is not supported when using waypoints', 'use location MESH_EXTERNAL, or remove the istio.io/use-waypoint label']]],
  ['SE16 and SE34: STATIC endpoints: null, without address, a host name, a network without address', se({ hosts: ['a.example.com'], ports: [https], resolution: 'STATIC', endpoints: [null, {}, { address: 'x.example.com' }, { network: 'n1' }, { address: null, network: 'n2' }] }),
    [['SE16', 'error', 'spec.endpoints[0]', null, 'endpoint cannot be nil', 'remove the empty endpoint, or give it an address'], ['SE16', 'error', 'spec.endpoints[1].address', null, 'Address is required', 'give each endpoint an address (an IP, a host name, or unix:///path)'], ['SE16', 'error', 'spec.endpoints[2].address', 'x.example.com', 'endpoint address "x.example.com" is not a valid IP address', 'STATIC endpoints are IP addresses; for a host name use resolution DNS'], ['SE34', 'warning', 'spec.endpoints[3].address', null, 'address is unset with network "n1"', "set the address, unless the endpoint is reached through the network's gateway"], ['SE34', 'warning', 'spec.endpoints[4].address', null, 'address is unset with network "n2"', "set the address, unless the endpoint is reached through the network's gateway"]]],
  ['SE20: DNS endpoints: no FQDN, empty, a unix socket', se({ hosts: ['a.example.com'], ports: [https], resolution: 'DNS', endpoints: [{ address: 'bad_host' }, { address: '' }, { address: 'unix:///run/a.sock' }] }),
    [['SE20', 'error', 'spec.endpoints[0].address', 'bad_host', 'endpoint address "bad_host" is not a valid FQDN or an IP address', 'use an IP address or a fully qualified host name'], ['SE20', 'error', 'spec.endpoints[1].address', '', 'endpoint address "" is not a valid FQDN or an IP address', 'with resolution DNS every endpoint needs an address (an IP or a host name)'], ['SE20', 'error', 'spec.endpoints[2].address', 'unix:///run/a.sock', 'endpoint address "unix:///run/a.sock" is not a valid FQDN or an IP address', 'unix sockets need resolution STATIC; with DNS use an IP address or a host name']]],
  ['SE32 and SE33: a unix endpoint with ports, beside two service ports', se({ hosts: ['a.example.com'], ports: [https, { number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'STATIC', endpoints: [{ address: 'unix:///run/a.sock', ports: { https: 1 } }] }),
    [['SE32', 'error', 'spec.endpoints[0].ports', { https: 1 }, 'unix endpoint unix:///run/a.sock must not include ports', 'remove the ports: a unix socket has none'], ['SE33', 'error', 'spec.ports', ['https', 'http'], 'exactly 1 service port required for unix endpoints', 'declare exactly one port on a ServiceEntry with unix socket endpoints']]],
  ['SE18: an endpoint port when the entry declares none', se({ hosts: ['a.example.com'], ports: [], resolution: 'DNS', endpoints: [{ address: 'x.example.com', ports: { https: 8443 } }] }),
    [['SE18', 'error', 'spec.endpoints[0].ports.https', 8443, 'endpoint port 8443 is not defined by the service entry', 'map only port names the entry declares (none)']]],
  ['SE18: an endpoint port the entry does not declare', se({ hosts: ['a.example.com'], ports: [https, { number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'DNS', endpoints: [{ address: 'x.example.com', ports: { grpc: 8443 } }] }),
    [['SE18', 'error', 'spec.endpoints[0].ports.grpc', 8443, 'endpoint port 8443 is not defined by the service entry', 'map only port names the entry declares (https, http)']]],
  ['SE27: an unknown location', se({ hosts: ['a.example.com'], ports: [https], resolution: 'DNS', location: 'INSIDE' }),
    [['SE27', 'error', 'spec.location', 'INSIDE', 'unsupported location INSIDE', 'use one of MESH_EXTERNAL, MESH_INTERNAL']]],
  ['SE7: a selector beside an empty endpoints list', se({ hosts: ['a.example.com'], ports: [https], resolution: 'STATIC', workloadSelector: { labels: { app: 'x' } }, endpoints: [] }),
    [['SE7', 'error', 'spec.endpoints', [], 'only one of WorkloadSelector or Endpoints is allowed in Service Entry', 'list endpoints for external hosts; use a workloadSelector only to select pods of the mesh']]],
  ['SE30: a selector without labels', se({ hosts: ['a.example.com'], ports: [https], resolution: 'STATIC', workloadSelector: {} }),
    [['SE30', 'warning', 'spec.workloadSelector', {}, 'service entry: workload selector specified without labels, will be applied to all services in namespace', 'select the workloads by label, or drop the selector']]],
])('%s', (_, object, expected) => {
  expect(findings(object)).toEqual(expected);
});

describe('inputs Istio accepts', () => {
  test.each<[string, unknown]>([
    ['empty and null protocols with addresses (NONE)', se({ hosts: ['a.example.com'], addresses: ['192.0.2.1'], ports: [{ number: 81, name: 'tcp', protocol: '' }, { number: 82, name: 'tcp2', protocol: null }], resolution: 'NONE' })],
    ['a TCP port with DNS and auto-allocation asked for explicitly', se({ hosts: ['a.example.com'], ports: [{ number: 84, name: 'd', protocol: 'TCP' }], resolution: 'DNS' }, { 'networking.istio.io/enable-autoallocate-ip': 'true' })],
    ['a null workloadSelector (dropped like a missing one)', se({ hosts: ['a.example.com'], ports: [https], resolution: 'STATIC', workloadSelector: null })],
  ])('%s', (_, object) => {
    expect(findings(object)).toEqual([]);
  });

  test('SE6 names the first CIDR address, at index 0 too', () => {
    expect(findings(se({ hosts: ['db.example.com'], addresses: ['192.0.2.0/24'], ports: [https], resolution: 'DNS' })).map(f => `${f[0]} ${f[2]}`))
      .toEqual(['SE6 spec.addresses[0]']);
  });

  test('a host that is no string gets SE3 alone with DNS too (no FQDN check of it)', () => {
    expect(findings(se({ hosts: [7], ports: [https], resolution: 'DNS' })).map(f => f[0])).toEqual(['SE3']);
  });

  test('a ServiceEntry without metadata is read without throwing (its exportTo `.` stays `.`)', () => {
    expect(findings({ apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', spec: { hosts: ['a.example.com'], ports: [https], resolution: 'DNS', exportTo: ['.'] } })
      .map(f => f[0])).toEqual(['META1']);
  });
});

// Found by the rules-robustness property (CI, seed -578598891): String() of such a value throws.
describe('values with a toString or valueOf key, which the schema refuses, are read without a crash', () => {
  test('an endpoint address or network, an exportTo entry', () => {
    const rules = (spec: any) => checkObject(se(spec) as any).map(f => [f.rule, f.field]);
    const base = { hosts: ['api.example.com'], ports: [https], resolution: 'STATIC' };
    expect(rules({ ...base, endpoints: [{ address: '10.0.0.1', network: { toString: {} } }] }).map(r => r[0])).not.toContain('UNCHECKABLE');
    expect(rules({ ...base, endpoints: [{ address: { valueOf: {} } }] }).map(r => r[0])).not.toContain('UNCHECKABLE');
    expect(rules({ ...base, exportTo: [{ toString: {} }, { toString: {} }] })).toEqual([['EXP3', 'spec.exportTo[0]'], ['EXP3', 'spec.exportTo[1]']]);
  });
});
