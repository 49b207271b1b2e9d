/**
 * ServiceEntry rules at parity with Istio 1.30.3's webhook (ValidateServiceEntry, validateWorkloadEntry,
 * ValidateUnixAddress) and the CRD's CEL rules: what Istio accepts passes (and the CRD validator agrees),
 * what it refuses is an error, what it warns about is a warning, each with Istio's message.
 */
import { Finding, checkObject } from '../../src/rules';
import { assertValidIstioObjects } from '../support/crd-validator';
import { helpful } from '../support/findings';

function se(spec: any, labels?: Record<string, string>) {
  return { apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'ext', namespace: 'egress', ...(labels ? { labels } : {}) }, spec };
}

const bySeverity = (severity: Finding['severity']) => (object: any) =>
  helpful(checkObject(object)).filter(f => f.severity === severity).map(f => `${f.rule} ${f.field}: ${f.message}`);
const errors = bySeverity('error');
const warnings = bySeverity('warning');

const https = { number: 443, name: 'https', protocol: 'HTTPS' };
const grpc = { number: 6553, name: 'grpc', protocol: 'GRPC' };
const tcp = { number: 5432, name: 'tcp', protocol: 'TCP' };

describe('what Istio accepts passes without findings', () => {
  test.each([
    ['STATIC with no endpoints', se({ hosts: ['api.example.com'], addresses: ['192.0.2.10'], ports: [https], resolution: 'STATIC' })],
    ['a short host with DNS', se({ hosts: ['payments'], ports: [https], resolution: 'DNS' })],
    ['a host with a trailing dot', se({ hosts: ['api.example.com.'], ports: [https], resolution: 'DNS' })],
    ['a unix socket endpoint with one port', se({ hosts: ['uds.example.internal'], ports: [grpc], resolution: 'STATIC', endpoints: [{ address: 'unix:///var/run/app.sock' }] })],
    ['an abstract unix socket', se({ hosts: ['uds.example.internal'], ports: [grpc], resolution: 'STATIC', endpoints: [{ address: 'unix://@app' }] })],
    ['DNS endpoints with labels and mapped ports', se({
      hosts: ['api.example.com'],
      ports: [https],
      resolution: 'DNS',
      endpoints: [{ address: 'eu.api.example.com', labels: { 'topology.example.com/region': 'eu-1', 'tier': '' }, ports: { https: 8443 } }, { address: '192.0.2.1' }],
    })],
    ['DNS_ROUND_ROBIN with one endpoint', se({ hosts: ['api.example.com'], ports: [https], resolution: 'DNS_ROUND_ROBIN', endpoints: [{ address: 'lb.example.com' }] })],
    ['DYNAMIC_DNS, MESH_INTERNAL, empty addresses, partial wildcard', se({
      hosts: ['*.example.com', '*api.example.org'],
      ports: [{ number: 443, name: 'tls', protocol: 'TLS' }, { number: 80, name: 'http', protocol: 'HTTP' }],
      resolution: 'DYNAMIC_DNS',
      location: 'MESH_INTERNAL',
      addresses: [],
    })],
    ['DYNAMIC_DNS, MESH_INTERNAL, use-waypoint none', se({ hosts: ['*.example.com'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'DYNAMIC_DNS', location: 'MESH_INTERNAL' },
      { 'istio.io/use-waypoint': 'None' })],
    ['a workload selector with STATIC', se({ hosts: ['db.example.internal'], ports: [tcp], resolution: 'STATIC', workloadSelector: { labels: { app: 'db' } } })],
    ['DNS with an address and one host on a TCP port', se({ hosts: ['db.example.com'], addresses: ['192.0.2.7'], ports: [tcp], resolution: 'DNS' })],
    ['a TCP port with DNS (addresses are allocated automatically)', se({ hosts: ['db.example.com'], ports: [tcp], resolution: 'DNS' })],
    ['exportTo ~', se({ hosts: ['api.example.com'], ports: [https], resolution: 'DNS', exportTo: ['~'] })],
    ['NONE with a lower-case tcp port (Istio compares TCP case-sensitively)', se({ hosts: ['db.example.com'], ports: [{ number: 5432, name: 'tcp', protocol: 'tcp' }] })],
  ])('%s', (_, object) => {
    expect(checkObject(object)).toEqual([]);
    assertValidIstioObjects([object]);
  });
});

describe('unix domain socket endpoints', () => {
  const uds = (endpoint: any, ports: any[] = [grpc], resolution = 'STATIC') => se({ hosts: ['uds.example.internal'], ports, resolution, endpoints: [endpoint] });

  test.each([
    ['a relative path', uds({ address: 'unix://./relative/app.sock' }), 'SE31 spec.endpoints[0].address: ./relative/app.sock is not an absolute path to a file'],
    ['a directory', uds({ address: 'unix:///var/run/' }), 'SE31 spec.endpoints[0].address: /var/run/ is not an absolute path to a file'],
    ['no path', uds({ address: 'unix://' }), 'SE31 spec.endpoints[0].address: unix address must not be empty'],
    ['an abstract socket ending in a slash (CEL)', uds({ address: 'unix://@app/' }), 'SE31 spec.endpoints[0].address: UDS may not be a dir'],
    ['ports on the endpoint', uds({ address: 'unix:///var/run/app.sock', ports: { grpc: 6553 } }),
      'SE32 spec.endpoints[0].ports: unix endpoint unix:///var/run/app.sock must not include ports'],
    ['two service ports', uds({ address: 'unix:///var/run/app.sock' }, [grpc, { number: 80, name: 'http', protocol: 'HTTP' }]),
      'SE33 spec.ports: exactly 1 service port required for unix endpoints'],
    ['no service port', uds({ address: 'unix:///var/run/app.sock' }, []), 'SE33 spec.ports: exactly 1 service port required for unix endpoints'],
    ['resolution DNS', uds({ address: 'unix:///var/run/app.sock' }, [grpc], 'DNS'),
      'SE20 spec.endpoints[0].address: endpoint address "unix:///var/run/app.sock" is not a valid FQDN or an IP address'],
  ])('refuses %s', (_, object, message) => {
    expect(errors(object)).toEqual([message]);
  });

  test('an empty ports map is still ports for the API server', () => {
    expect(errors(uds({ address: 'unix:///var/run/app.sock', ports: {} }))).toEqual(['SE32 spec.endpoints[0].ports: unix endpoint unix:///var/run/app.sock must not include ports']);
  });
});

describe('endpoint addresses and networks', () => {
  const withEndpoint = (endpoint: any, resolution: string) => se({ hosts: ['api.example.com'], ports: [https], resolution, endpoints: [endpoint] });

  test('STATIC: a network without an address is accepted with Istio\'s warning', () => {
    const object = withEndpoint({ network: 'cluster-2' }, 'STATIC');
    expect(errors(object)).toEqual([]);
    expect(warnings(object)).toEqual(['SE34 spec.endpoints[0].address: address is unset with network "cluster-2"']);
    assertValidIstioObjects([object]);
  });

  test('DNS: a network without an address is refused, there is nothing to resolve', () => {
    expect(errors(withEndpoint({ network: 'cluster-2' }, 'DNS'))).toEqual(['SE20 spec.endpoints[0].address: endpoint address "" is not a valid FQDN or an IP address']);
    expect(errors(withEndpoint({ network: 'cluster-2' }, 'DNS_ROUND_ROBIN'))).toEqual(['SE20 spec.endpoints[0].address: endpoint address "" is not a valid FQDN or an IP address']);
  });

  test.each([
    ['neither address nor network', { ports: { https: 8443 } }, 'SE16 spec.endpoints[0].address: Address is required'],
    ['an empty address', { address: '' }, 'SE16 spec.endpoints[0].address: address is required'],
    ['a host name', { address: 'lb.example.com' }, 'SE16 spec.endpoints[0].address: endpoint address "lb.example.com" is not a valid IP address'],
  ])('STATIC refuses %s', (_, endpoint, message) => {
    expect(errors(withEndpoint(endpoint, 'STATIC'))).toEqual([message]);
  });

  test('a null endpoint', () => {
    expect(errors(se({ hosts: ['api.example.com'], ports: [https], resolution: 'STATIC', endpoints: [null] }))).toContain('SE16 spec.endpoints[0]: endpoint cannot be nil');
  });

  test.each([
    ['an invalid port name', { address: '192.0.2.1', ports: { https_alt: 8443 } }, 'SE35 spec.endpoints[0].ports.https_alt: invalid port name: https_alt'],
    ['a 63-character port name (the CEL rule allows 62)', { address: '192.0.2.1', ports: { ['p'.repeat(63)]: 8443 } }, `SE35 spec.endpoints[0].ports.${'p'.repeat(63)}: port name must be valid`],
    ['a port out of range', { address: '192.0.2.1', ports: { https: 70000 } }, 'SE10 spec.endpoints[0].ports.https: port number 70000 must be in the range 1..65535'],
    ['an invalid label key', { address: '192.0.2.1', labels: { 'bad key': 'x' } }, 'SE36 spec.endpoints[0].labels.bad key: invalid tag key: "bad key"'],
    ['an invalid label value', { address: '192.0.2.1', labels: { tier: 'front end' } }, 'SE36 spec.endpoints[0].labels.tier: invalid tag value: "front end"'],
    ['a label name over 63 characters', { address: '192.0.2.1', labels: { ['k'.repeat(64)]: 'x' } }, `SE36 spec.endpoints[0].labels.${'k'.repeat(64)}: invalid tag key: "${'k'.repeat(64)}" (name is too long)`],
  ])('STATIC refuses %s', (_, endpoint, message) => {
    expect(errors(withEndpoint(endpoint, 'STATIC'))).toContain(message);
  });

  test('an endpoint port the entry does not declare is checked for STATIC and DNS, not for NONE (which has no endpoints)', () => {
    const endpoint = { address: '192.0.2.1', ports: { web: 8080 } };
    expect(errors(withEndpoint(endpoint, 'STATIC'))).toEqual(['SE18 spec.endpoints[0].ports.web: endpoint port 8080 is not defined by the service entry']);
    expect(errors(withEndpoint(endpoint, 'DNS'))).toEqual(['SE18 spec.endpoints[0].ports.web: endpoint port 8080 is not defined by the service entry']);
    expect(errors(withEndpoint(endpoint, 'NONE'))).toEqual(['SE14 spec.endpoints: no endpoints should be provided for resolution type none']);
  });
});

describe('resolution rules', () => {
  test('DNS without endpoints: only the first host that is not an FQDN is reported, with the reason', () => {
    const object = se({ hosts: ['*.a.example.com', '*.b.example.com'], ports: [https], resolution: 'DNS' });
    expect(errors(object)).toEqual(['SE19 spec.hosts[0]: hosts must be FQDN or contain only prefix wildcards if no endpoints are provided for resolution mode DNS, '
      + 'domain name "*.a.example.com" invalid (label "*" invalid)']);
  });

  test('DNS with endpoints may have wildcard hosts', () => {
    const object = se({ hosts: ['*.example.com'], ports: [https], resolution: 'DNS', endpoints: [{ address: 'proxy.example.com' }] });
    expect(checkObject(object)).toEqual([]);
    assertValidIstioObjects([object]);
  });

  test('DNS_ROUND_ROBIN with addresses, several hosts and a TLS port warns like DNS', () => {
    const object = se({ hosts: ['a.example.com', 'b.example.com'], addresses: ['192.0.2.7'], ports: [https], resolution: 'DNS_ROUND_ROBIN' });
    expect(errors(object)).toEqual([]);
    expect(warnings(object)).toEqual(['SE22 spec.hosts: service entry can not have more than one host specified simultaneously with address and tcp port']);
  });

  test('DYNAMIC_DNS: "at least one wildcard host" only without hosts; a concrete host must be wildcarded', () => {
    expect(errors(se({ hosts: [], ports: [https], resolution: 'DYNAMIC_DNS' }))).toContain(
      'SE24 spec.hosts: at least one wildcard host must be provided for resolution type DYNAMIC_DNS');
    expect(errors(se({ hosts: ['a.example.com'], ports: [{ number: 443, name: 'tls', protocol: 'TLS' }], resolution: 'DYNAMIC_DNS' }))).toEqual([
      'SE24 spec.hosts[0]: host must be wildcarded for resolution mode DYNAMIC_DNS',
    ]);
  });

  test('DYNAMIC_DNS: addresses and endpoints with Istio\'s whole messages', () => {
    const found = errors(se({ hosts: ['*.example.com'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'DYNAMIC_DNS', addresses: ['192.0.2.1'], endpoints: [{ address: '192.0.2.1' }] }));
    expect(found).toEqual([
      'SE25 spec.addresses: addresses cannot be set for resolution type DYNAMIC_DNS. HTTP route domains will only be generatedfrom the hosts field values',
      'SE25 spec.endpoints: endpoints cannot be set for resolution type DYNAMIC_DNS. Destination IP address determined from hostsfield values',
    ]);
  });

  test('DYNAMIC_DNS: MESH_INTERNAL is refused when the entry uses a waypoint', () => {
    const object = se({ hosts: ['*.example.com'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'DYNAMIC_DNS', location: 'MESH_INTERNAL' },
      { 'istio.io/use-waypoint': 'egress-waypoint' });
    expect(errors(object)).toEqual(['SE27 spec.location: location MESH_INTERNAL with resolution type DYNAMIC_DNS is not supported when using waypoints']);
  });
});

describe('ports and addresses', () => {
  test('SE13: the warning follows IP auto-allocation: NONE, or any resolution with the opt-out label', () => {
    const message = 'SE13 spec.ports[0].protocol: addresses are required for ports serving TCP (or unset) protocol when IP Autoallocation is not enabled';
    expect(warnings(se({ hosts: ['db.example.com'], ports: [tcp] }))).toEqual([message]);
    expect(warnings(se({ hosts: ['db.example.com'], ports: [tcp], resolution: 'DNS' }, { 'networking.istio.io/enable-autoallocate-ip': 'FALSE' }))).toEqual([message]);
    expect(warnings(se({ hosts: ['db.example.com'], ports: [{ number: 8080, name: 'unset' }], resolution: 'STATIC' }, { 'networking.istio.io/enable-autoallocate-ip': 'false' })))
      .toEqual([message]);
    expect(warnings(se({ hosts: ['db.example.com'], ports: [tcp], resolution: 'DNS' }))).toEqual([]);
    expect(warnings(se({ hosts: ['db.example.com'], ports: [tcp], addresses: ['192.0.2.7'] }, { 'networking.istio.io/enable-autoallocate-ip': 'false' }))).toEqual([]);
  });

  test('a null port', () => {
    expect(errors(se({ hosts: ['api.example.com'], ports: [null], resolution: 'DNS' }))).toEqual(['SE11 spec.ports[0]: service entry port may not be null']);
  });

  test('an address with two slashes is checked as an IP, as Istio does', () => {
    expect(errors(se({ hosts: ['api.example.com'], addresses: ['10.0.0.0/8/8'], ports: [https] }))).toEqual(['SE5 spec.addresses[0]: 10.0.0.0/8/8 is not a valid IP']);
  });

  test('a host that is invalid and a partial wildcard gets both the error and the warning', () => {
    const object = se({ hosts: ['*foo.bad_label.com'], ports: [https] });
    expect(errors(object)).toEqual(['SE3 spec.hosts[0]: domain name "bad_label.com" invalid (label "bad_label" invalid)']);
    expect(warnings(object)).toEqual(['SE4 spec.hosts[0]: partial wildcard "*foo.bad_label.com" not allowed']);
  });
});

describe('workload selector', () => {
  test('SE30: a selector without labels is accepted with Istio\'s warning', () => {
    const object = se({ hosts: ['db.example.internal'], ports: [tcp], resolution: 'STATIC', workloadSelector: {} });
    expect(errors(object)).toEqual([]);
    expect(warnings(object)).toEqual(['SE30 spec.workloadSelector: service entry: workload selector specified without labels, will be applied to all services in namespace']);
    assertValidIstioObjects([object]);
  });

  test('SE30: wildcard and empty keys are refused with the key=value pair in the message', () => {
    expect(errors(se({ hosts: ['db.example.internal'], ports: [tcp], resolution: 'STATIC', workloadSelector: { labels: { app: 'db-*' } } })))
      .toEqual(['SEL2 spec.workloadSelector.labels.app: wildcard is not supported in selector: "app=db-*"']);
    expect(errors(se({ hosts: ['db.example.internal'], ports: [tcp], resolution: 'STATIC', workloadSelector: { labels: { '': 'db' } } })))
      .toEqual(['SEL1 spec.workloadSelector.labels: empty key is not supported in selector: "=db"']);
  });

  test('SE7: a selector beside endpoints, even an empty list of them (the CEL rule is presence-based)', () => {
    const object = se({ hosts: ['db.example.internal'], ports: [tcp], resolution: 'STATIC', workloadSelector: { labels: { app: 'db' } }, endpoints: [] });
    expect(errors(object)).toEqual(['SE7 spec.endpoints: only one of WorkloadSelector or Endpoints is allowed in Service Entry']);
    expect(() => assertValidIstioObjects([object])).toThrow(/only one of WorkloadSelector or Endpoints/);
  });
});

describe('exportTo', () => {
  test('Istio compares with the entries as written: a duplicated `*` is also public and non-public', () => {
    expect(errors(se({ hosts: ['api.example.com'], ports: [https], resolution: 'DNS', exportTo: ['*', '*'] }))).toEqual([
      'EXP1 spec.exportTo[1]: duplicate entries in exportTo for entry *',
      'EXP4 spec.exportTo: cannot have both public (*) and non-public exportTo values for a resource',
    ]);
  });
});
