/**
 * ServiceEntry findings the other example tests left unpinned: each in full (rule, severity, field,
 * value, message, fix), next to the closest input Istio 1.30.3 accepts. Messages and conditions follow
 * ValidateServiceEntry, validateWorkloadEntry and labels.Instance.Validate (pkg/config/validation/validation.go,
 * pkg/config/labels/instance.go), and the CRD's CEL rules where those speak first.
 */
import { checkObject } from '../../src/rules';
import { checkServiceEntry } from '../../src/rules/service-entry';
import { assertValidIstioObjects } from '../support/crd-validator';
import { helpful } from '../support/findings';

function se(spec: any, labels?: Record<string, string>) {
  return { apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'ext', namespace: 'egress', ...(labels ? { labels } : {}) }, spec };
}
const https = { number: 443, name: 'https', protocol: 'HTTPS' };
const http = { number: 80, name: 'http', protocol: 'HTTP' };

/** [rule, severity, field, value (null when unset), message, fix] */
type Row = [string, string, string, unknown, string, string];
const findings = (object: unknown): Row[] => helpful(checkObject(object as any))
  .map(f => [f.rule, f.severity, f.field, f.value === undefined ? null : f.value, f.message, f.fix]);

const LABEL_FIX = 'use Kubernetes label syntax: [prefix/]name of letters, digits, `-`, `_` and `.`, starting and ending alphanumeric';
const SE22: Row = ['SE22', 'warning', 'spec.hosts', ['a.example.com', 'b.example.com'],
  'service entry can not have more than one host specified simultaneously with address and tcp port', 'use one ServiceEntry per host'];
const SE23_FIX = 'use one ServiceEntry per host for TCP (or protocol-less) ports, or HTTP/TLS ports only';

describe('findings in full', () => {
  test.each<[string, unknown, Row[]]>([
    ['SE2: the full wildcard host', se({ hosts: ['*'], ports: [https], resolution: 'NONE' }),
      [['SE2', 'error', 'spec.hosts[0]', '*', 'invalid host * (hostname cannot be wildcard)', 'name the domain, e.g. api.example.com or *.example.com: `*` would claim all outbound traffic']]],
    ['SE8: a port name used twice', se({ hosts: ['a.example.com'], ports: [https, { number: 8443, name: 'https', protocol: 'HTTPS' }], resolution: 'DNS' }),
      [['SE8', 'error', 'spec.ports[1].name', 'https', 'service entry port name "https" already defined', 'give each port its own name']]],
    // Istio inserts every name, the empty one too, into its set of port names.
    ['SE8 and SE11: two ports with an empty name', se({ hosts: ['a.example.com'], ports: [{ ...http, name: '' }, { ...https, name: '' }], resolution: 'DNS' }), [
      ['SE11', 'error', 'spec.ports[0].name', '', 'port name is required', 'name the port after its protocol, e.g. https-443'],
      ['SE11', 'error', 'spec.ports[1].name', '', 'port name is required', 'name the port after its protocol, e.g. https-443'],
      ['SE8', 'error', 'spec.ports[1].name', '', 'service entry port name "" already defined', 'give each port its own name'],
    ]],
    ['SE9: a port number used twice', se({ hosts: ['a.example.com'], ports: [https, { number: 443, name: 'tls', protocol: 'TLS' }], resolution: 'DNS' }),
      [['SE9', 'error', 'spec.ports[1].number', 443, 'service entry port 443 already defined', 'declare each port number once; to serve several protocols, use separate ServiceEntries']]],
    // A port left undefined in a JavaScript list is written out as null.
    ['SE11: an undefined port is a null port', se({ hosts: ['a.example.com'], ports: [https, undefined], resolution: 'DNS' }),
      [['SE11', 'error', 'spec.ports[1]', null, 'service entry port may not be null', 'remove the empty port']]],
    ['SE12: an unknown protocol', se({ hosts: ['a.example.com'], ports: [{ number: 21, name: 'ftp', protocol: 'FTP' }], resolution: 'DNS' }),
      [['SE12', 'error', 'spec.ports[0].protocol', 'FTP', 'unsupported protocol: FTP', 'use one of TCP, UDP, GRPC, GRPC-Web, HTTP, HTTP_PROXY, HTTP2, HTTPS, TLS, Mongo, Redis, MySQL']]],
    ['SE14: endpoints with resolution NONE', se({ hosts: ['a.example.com'], ports: [https], resolution: 'NONE', endpoints: [{ address: '192.0.2.1' }] }),
      [['SE14', 'error', 'spec.endpoints', [{ address: '192.0.2.1' }], 'no endpoints should be provided for resolution type none', 'remove the endpoints, or use resolution STATIC (IP endpoints) or DNS (host-name endpoints)']]],
    ['SE15: a workload selector with resolution NONE', se({ hosts: ['db.example.internal'], ports: [https], resolution: 'NONE', workloadSelector: { labels: { app: 'db' } } }),
      [['SE15', 'warning', 'spec.workloadSelector', { labels: { app: 'db' } }, 'workloadSelector should not be set when resolution mode is NONE', 'use resolution STATIC with a workloadSelector']]],
    ['SE21: two endpoints with DNS_ROUND_ROBIN', se({ hosts: ['a.example.com'], ports: [https], resolution: 'DNS_ROUND_ROBIN', endpoints: [{ address: 'x.example.com' }, { address: 'y.example.com' }] }),
      [['SE21', 'error', 'spec.endpoints', [{ address: 'x.example.com' }, { address: 'y.example.com' }], 'there must only be 0 or 1 endpoint for resolution mode DNS_ROUND_ROBIN', 'use resolution DNS for several endpoints']]],
    ['SE1 and SE24: DYNAMIC_DNS without hosts', se({ hosts: [], ports: [http], resolution: 'DYNAMIC_DNS' }), [
      ['SE1', 'error', 'spec.hosts', [], 'service entry must have at least one host', 'name the external host, e.g. api.example.com'],
      ['SE24', 'error', 'spec.hosts', [], 'at least one wildcard host must be provided for resolution type DYNAMIC_DNS', 'DYNAMIC_DNS is for wildcard hosts such as *.example.com'],
    ]],
    ['SE3 and SE24: DYNAMIC_DNS with a host that is no string (read without throwing)', se({ hosts: [7], ports: [http], resolution: 'DYNAMIC_DNS' }), [
      ['SE3', 'error', 'spec.hosts[0]', 7, 'host must be a string', 'use a DNS name such as api.example.com'],
      ['SE24', 'error', 'spec.hosts[0]', 7, 'host must be wildcarded for resolution mode DYNAMIC_DNS', 'move concrete hosts to their own ServiceEntry with resolution DNS'],
    ]],
    // protocol.Parse("") is Unsupported, which is none of HTTP, TLS, GRPC and HTTP2.
    ['SE26: HTTPS and a port without protocol with DYNAMIC_DNS', se({ hosts: ['*.example.com'], ports: [https, { number: 8080, name: 'web' }], resolution: 'DYNAMIC_DNS' }), [
      ['SE26', 'error', 'spec.ports[0].protocol', 'HTTPS', 'only HTTP, TLS, GRPC, and HTTP2 protocols are supported for resolution type DYNAMIC_DNS', 'use one of HTTP, TLS, GRPC, HTTP2'],
      ['SE26', 'error', 'spec.ports[1].protocol', null, 'only HTTP, TLS, GRPC, and HTTP2 protocols are supported for resolution type DYNAMIC_DNS', 'use one of HTTP, TLS, GRPC, HTTP2'],
    ]],
    ['SE28: an unknown resolution', se({ hosts: ['a.example.com'], ports: [https], resolution: 'ROUND_ROBIN' }),
      [['SE28', 'error', 'spec.resolution', 'ROUND_ROBIN', 'unsupported resolution type ROUND_ROBIN', 'use one of NONE, STATIC, DNS, DNS_ROUND_ROBIN, DYNAMIC_DNS']]],
    ['SE30: a selector with an empty label map', se({ hosts: ['db.example.internal'], ports: [https], resolution: 'STATIC', workloadSelector: { labels: {} } }),
      [['SE30', 'warning', 'spec.workloadSelector', { labels: {} }, 'service entry: workload selector specified without labels, will be applied to all services in namespace', 'select the workloads by label, or drop the selector']]],
    ['SEL1 and SEL2: an empty key and a wildcard value in the selector', se({ hosts: ['db.example.internal'], ports: [https], resolution: 'STATIC', workloadSelector: { labels: { '': 'db', 'app': 'db-*' } } }), [
      ['SEL1', 'error', 'spec.workloadSelector.labels', { '': 'db', 'app': 'db-*' }, 'empty key is not supported in selector: "=db"', 'give the label a name, or remove it'],
      ['SEL2', 'error', 'spec.workloadSelector.labels.app', 'db-*', 'wildcard is not supported in selector: "app=db-*"', 'select pods by exact label values'],
    ]],
  ])('%s', (_, object, expected) => {
    expect(findings(object)).toEqual(expected);
  });
});

describe('endpoints', () => {
  test.each<[string, unknown, Row[]]>([
    // A null field is dropped by the API server: {address: null} has no address for the CEL rule, and
    // {address: '', network: null} has an empty one with no network for validateWorkloadEntry.
    ['SE16: null address and network fields are unset ones (STATIC)', se({ hosts: ['a.example.com'], ports: [https], resolution: 'STATIC', endpoints: [{ address: '', network: null }, { address: null }, { network: null }] }), [
      ['SE16', 'error', 'spec.endpoints[0].address', '', 'address is required', 'give each endpoint an address'],
      ['SE16', 'error', 'spec.endpoints[1].address', null, 'Address is required', 'give each endpoint an address (an IP, a host name, or unix:///path)'],
      ['SE16', 'error', 'spec.endpoints[2].address', null, 'Address is required', 'give each endpoint an address (an IP, a host name, or unix:///path)'],
    ]],
    // Go reads the missing address as "", which is neither an IP nor an FQDN.
    ['SE20: a DNS endpoint with a network and no address', se({ hosts: ['a.example.com'], ports: [https], resolution: 'DNS', endpoints: [{ network: 'n1' }] }),
      [['SE20', 'error', 'spec.endpoints[0].address', '', 'endpoint address "" is not a valid FQDN or an IP address', 'with resolution DNS every endpoint needs an address (an IP or a host name)']]],
    ['SE31: a relative unix socket path', se({ hosts: ['a.example.com'], ports: [https], resolution: 'STATIC', endpoints: [{ address: 'unix://run/app.sock' }] }),
      [['SE31', 'error', 'spec.endpoints[0].address', 'unix://run/app.sock', 'run/app.sock is not an absolute path to a file', 'use an absolute socket path (unix:///var/run/app.sock) or an abstract socket (unix://@name)']]],
    ['SE10, SE18 and SE35: endpoint ports out of range and with an invalid name', se({ hosts: ['a.example.com'], ports: [https], resolution: 'STATIC', endpoints: [{ address: '192.0.2.1', ports: { https: 0, web_port: 8080 } }] }), [
      ['SE10', 'error', 'spec.endpoints[0].ports.https', 0, 'port number 0 must be in the range 1..65535', 'use a port number from 1 to 65535'],
      ['SE18', 'error', 'spec.endpoints[0].ports.web_port', 8080, 'endpoint port 8080 is not defined by the service entry', 'map only port names the entry declares (https)'],
      ['SE35', 'error', 'spec.endpoints[0].ports.web_port', 8080, 'invalid port name: web_port', 'use a port name the entry declares: a DNS-1123 label of at most 62 characters'],
    ]],
    // Istio validates endpoints (and their labels) for STATIC and DNS only; DYNAMIC_DNS refuses them as a whole.
    ['SE25 alone: DYNAMIC_DNS endpoints are not read further', se({ hosts: ['*.example.com'], ports: [http], resolution: 'DYNAMIC_DNS', endpoints: [{ address: 'x.example.com', labels: { '-bad': 'v' } }] }),
      [['SE25', 'error', 'spec.endpoints', [{ address: 'x.example.com', labels: { '-bad': 'v' } }], 'endpoints cannot be set for resolution type DYNAMIC_DNS. Destination IP address determined from hostsfield values', 'remove the endpoints']]],
  ])('%s', (_, object, expected) => {
    expect(findings(object)).toEqual(expected);
  });
});

describe('endpoint labels (labels.Instance.Validate)', () => {
  const label = (labels: Record<string, unknown>) =>
    se({ hosts: ['a.example.com'], ports: [https], resolution: 'DNS', endpoints: [{ address: 'x.example.com', labels }] });
  // A DNS prefix of 253 characters (four labels), and a name of 63: the longest Istio takes.
  const prefix253 = ['a'.repeat(63), 'b'.repeat(63), 'c'.repeat(63), 'd'.repeat(61)].join('.');
  const prefix254 = `${prefix253}d`;

  test('the longest prefix and name are accepted (by the CRD schema too)', () => {
    const object = label({ [`${prefix253}/${'n'.repeat(63)}`]: 'v', app: '' });
    expect(findings(object)).toEqual([]);
    assertValidIstioObjects([object]);
  });

  test.each<[string, Record<string, unknown>, Row[]]>([
    ['a prefix of 254 characters', { [`${prefix254}/app`]: 'v' },
      [['SE36', 'error', `spec.endpoints[0].labels.${prefix254}/app`, 'v', `invalid tag key: "${prefix254}/app" (DNS prefix is too long)`, LABEL_FIX]]],
    ['a name of 64 characters', { ['n'.repeat(64)]: 'v' },
      [['SE36', 'error', `spec.endpoints[0].labels.${'n'.repeat(64)}`, 'v', `invalid tag key: "${'n'.repeat(64)}" (name is too long)`, LABEL_FIX]]],
    ['a key that is no label name', { '-app': 'v' },
      [['SE36', 'error', 'spec.endpoints[0].labels.-app', 'v', 'invalid tag key: "-app"', LABEL_FIX]]],
    // The CRD schema takes only strings as label values; a number is refused.
    ['a value that is no string', { app: 7 },
      [['SE36', 'error', 'spec.endpoints[0].labels.app', 7, 'invalid tag value: "7"', LABEL_FIX]]],
  ])('refused: %s', (_, labels, expected) => {
    expect(findings(label(labels))).toEqual(expected);
  });
});

describe('SE22: several hosts with addresses and a TCP-like port (protocol.IsTCP) under DNS', () => {
  const entry = (...ports: unknown[]) => se({ hosts: ['a.example.com', 'b.example.com'], addresses: ['192.0.2.1'], ports, resolution: 'DNS' });

  test.each(['TCP', 'HTTPS', 'TLS', 'Mongo', 'Redis', 'MySQL'])('%s is TCP-like: warned', protocol => {
    const rows = findings(entry({ number: 9000, name: 'p', protocol }));
    expect(rows).toContainEqual(SE22);
    // Hosts on TLS ports are told apart by SNI; the others are refused outright (SE23).
    expect(rows.filter(r => r[0] === 'SE23')).toEqual(['HTTPS', 'TLS'].includes(protocol) ? []
      : [['SE23', 'error', 'spec.ports[0].protocol', protocol, 'multiple hosts provided with non-HTTP, non-TLS ports', SE23_FIX]]);
  });

  test('HTTP ports alone are accepted without a warning (by the CRD schema too)', () => {
    const object = entry(http, { number: 8080, name: 'grpc', protocol: 'GRPC' });
    expect(findings(object)).toEqual([]);
    assertValidIstioObjects([object]);
  });

  test('one TCP-like port among HTTP ones is enough, wherever it is', () => {
    expect(findings(entry(http, https))).toEqual([SE22]);
  });
});

describe('inputs Istio accepts', () => {
  test.each<[string, unknown]>([
    ['DYNAMIC_DNS with each protocol the dynamic forward proxy serves', se({
      hosts: ['*.example.com'],
      resolution: 'DYNAMIC_DNS',
      ports: [http, { number: 443, name: 'tls', protocol: 'TLS' }, { number: 8080, name: 'grpc', protocol: 'GRPC' }, { number: 8081, name: 'h2', protocol: 'HTTP2' }],
    })],
    // usesWaypoint: only MESH_INTERNAL is refused, and only for a use-waypoint label naming a waypoint.
    ['DYNAMIC_DNS, MESH_EXTERNAL, through a waypoint', se({ hosts: ['*.example.com'], ports: [http], resolution: 'DYNAMIC_DNS', location: 'MESH_EXTERNAL' }, { 'istio.io/use-waypoint': 'egress-waypoint' })],
    ['DYNAMIC_DNS, MESH_INTERNAL, with an empty use-waypoint label', se({ hosts: ['*.example.com'], ports: [http], resolution: 'DYNAMIC_DNS', location: 'MESH_INTERNAL' }, { 'istio.io/use-waypoint': '' })],
    ['DYNAMIC_DNS, MESH_INTERNAL, with use-waypoint None (any case of "none")', se({ hosts: ['*.example.com'], ports: [http], resolution: 'DYNAMIC_DNS', location: 'MESH_INTERNAL' }, { 'istio.io/use-waypoint': 'None' })],
  ])('%s', (_, object) => {
    expect(findings(object)).toEqual([]);
    assertValidIstioObjects([object]);
  });

  test('a ServiceEntry without metadata or labels is read without throwing', () => {
    expect(checkServiceEntry({ spec: { hosts: ['*.example.com'], ports: [http], resolution: 'DYNAMIC_DNS', location: 'MESH_INTERNAL' } })).toEqual([]);
  });
});
