/**
 * The egress paths (src/analysis/paths.ts) for the inputs test/analysis/paths.test.ts leaves out: waypoint routes and
 * policies, Kubernetes Service hosts without their Service, the gateway's AuthorizationPolicies rule by rule, and the
 * objects of a path with the parts of them that concern it.
 */
import { destinationRule, gateway, policy, server, serviceEntry, virtualService } from './objects';
import { tlsThroughEgressGateway } from './path-fixtures';
import { ObjectIndex, label } from '../../src/analysis/model';
import { objectFinding } from '../../src/analysis/object-finding';
import { HostPath, PortPath, concernsPath, dedupe, egressPaths, isWithin, pathObjects, valueMatches } from '../../src/analysis/paths';
import { assertValidIstioObjects } from '../support/crd-validator';

const GW = 'istio-egressgateway.istio-system.svc.cluster.local';
const HOST = 'api.example.com';

function hosts(objects: any[]): HostPath[] {
  return egressPaths(new ObjectIndex(objects)).hosts;
}

function portOf(objects: any[], port: number, host = HOST): PortPath {
  return hosts(objects).find(h => h.host === host)!.ports.find(p => p.port.number === port)!;
}

/** An AuthorizationPolicy on the default egress gateway's pods. */
const onGateway = (name: string, spec: Record<string, unknown>) => policy(name, 'istio-system', { selector: { matchLabels: { istio: 'egressgateway' } }, ...spec });

describe('ServiceEntry ports', () => {
  test('a port without a name (the API server requires one; lint reads any YAML) has none on the path', () => {
    const entry = serviceEntry('api', 'team-a', { hosts: [HOST], ports: [{ number: 443, protocol: 'TLS' }, { number: 80, name: 'http', protocol: 'HTTP' }] });

    expect(hosts([entry])[0].ports.map(p => p.port)).toEqual([
      { number: 443, name: undefined, protocol: 'TLS', targetPort: undefined, field: 'spec.ports[0]' },
      { number: 80, name: 'http', protocol: 'HTTP', targetPort: undefined, field: 'spec.ports[1]' },
    ]);
  });
});

describe('ambient: the waypoint\'s route, DestinationRule and policies', () => {
  const waypoint = {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name: 'waypoint', namespace: 'istio-egress' },
    spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
  };
  const entry = serviceEntry('httpbin', 'istio-egress', {
    hosts: ['httpbin.org'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'DNS',
  }, { 'istio.io/use-waypoint': 'waypoint' });
  // The route sends the host's traffic to another host, defined in another namespace, whose rule originates TLS.
  const backup = serviceEntry('backup', 'backup', { hosts: ['backup.example.com'], ports: [{ number: 8443, name: 'https', protocol: 'HTTPS' }], resolution: 'DNS' });
  const backupTls = destinationRule('backup-tls', 'backup', { host: 'backup.example.com', trafficPolicy: { tls: { mode: 'SIMPLE', sni: 'backup.example.com' } } });
  const route = virtualService('httpbin', 'istio-egress', {
    hosts: ['httpbin.org'],
    http: [{ route: [{ destination: { host: 'backup.example.com', port: { number: 8443 } } }] }],
  });
  const ref = (group: string, kind: string, name: string) => ({ group, kind, name });
  const byEntry = policy('by-entry', 'istio-egress', { targetRef: ref('networking.istio.io', 'ServiceEntry', 'httpbin'), rules: [{ from: [{ source: { namespaces: ['shop'] } }] }] });
  const byWaypoint = policy('by-waypoint', 'istio-egress', { targetRefs: [ref('gateway.networking.k8s.io', 'Gateway', 'waypoint')], action: 'DENY', rules: [{ from: [{ source: { namespaces: ['bad'] } }] }] });
  const elsewhere = policy('elsewhere', 'shop', { targetRefs: [ref('networking.istio.io', 'ServiceEntry', 'httpbin')], rules: [{}] });
  // A policy by selector is the workloads' (ztunnel enforces it), not the waypoint's.
  const bySelector = policy('by-selector', 'istio-egress', { selector: { matchLabels: { app: 'client' } }, rules: [{}] });
  const objects = [waypoint, entry, backup, backupTls, route, byEntry, byWaypoint, elsewhere, bySelector];

  test('the mesh route applies at the waypoint: its destination, the rule of the destination\'s namespace, TLS origination there', () => {
    assertValidIstioObjects(objects);
    const p = portOf(objects, 80, 'httpbin.org');

    expect(p.sidecar).toMatchObject({ via: 'waypoint', destination: 'waypoint.istio-egress.svc.cluster.local', destinationPort: 15008 });
    expect(p.waypoint).toMatchObject({ route: { field: 'spec.http[0]', index: 0 }, destination: 'backup.example.com', destinationPort: 8443 });
    expect(p.waypoint!.tlsOrigination).toMatchObject({ mode: 'SIMPLE', field: 'spec.trafficPolicy.tls' });
    expect(label(p.waypoint!.destinationRule!.object)).toBe('backup/backup-tls');
    expect(pathObjects(hosts(objects).find(h => h.host === 'httpbin.org')!, p)).toEqual([
      { index: 0, within: [], lists: [] },
      { index: 1, within: ['spec.hosts[0]', 'spec.ports[0]', 'metadata.labels.istio.io/use-waypoint'], lists: ['spec.hosts[', 'spec.ports['] },
      { index: 3, within: ['spec.trafficPolicy.tls'], lists: ['spec.subsets[', 'spec.trafficPolicy.portLevelSettings['] },
      { index: 4, within: ['spec.http[0]'], lists: ['spec.http[', 'spec.tls[', 'spec.tcp[', 'spec.rules['] },
      { index: 5, within: ['spec.rules[0]'], lists: ['spec.rules['] },
      { index: 6, within: ['spec.rules[0]'], lists: ['spec.rules['] },
    ]);
  });

  test('the policies that name the ServiceEntry (targetRef or targetRefs) or the waypoint, in their namespace; not those by selector', () => {
    const allowed = portOf(objects, 80, 'httpbin.org').allowed!;

    expect(allowed.policies.map(p => label(p.object))).toEqual(['istio-egress/by-entry', 'istio-egress/by-waypoint']);
    expect(allowed).toMatchObject({ verdict: 'listed', allow: [{ namespaces: ['shop'] }], deny: [{ namespaces: ['bad'] }] });
    // Without the policy naming the waypoint, only the one naming the entry.
    expect(portOf(objects.filter(o => o !== byWaypoint), 80, 'httpbin.org').allowed!.policies.map(p => label(p.object))).toEqual(['istio-egress/by-entry']);
  });
});

describe('Kubernetes Service hosts that mesh routes send to the gateway', () => {
  const PARTNER = 'partner.mesh-external.svc.cluster.local';
  const routed = (http: any[]) => [
    gateway('egress', 'istio-system', { selector: { istio: 'egressgateway' }, servers: [server(80, [PARTNER])] }),
    virtualService('partner', 'team-a', {
      hosts: ['other.example.com', PARTNER],
      gateways: ['mesh', 'istio-system/egress'],
      http,
      tcp: [{ match: [{ gateways: ['mesh'], port: 80 }, { gateways: ['mesh'], port: 9000 }], route: [{ destination: { host: GW, port: { number: 80 } } }] }],
    }),
  ];
  const toGateway = { route: [{ destination: { host: GW, port: { number: 80 } } }] };

  test('without the Service among the objects the VirtualService defines the host; the first route block on a port names its protocol', () => {
    const objects = routed([{ match: [{ port: 80 }], ...toGateway }]);
    assertValidIstioObjects(objects);
    const [partner] = hosts(objects).filter(h => h.host === PARTNER);

    expect([partner.definitionKind, partner.definition.index, partner.hostField]).toEqual(['VirtualService', 1, 'spec.hosts[1]']);
    // Port 80: the http route's match has no gateways, so the VirtualService's (mesh among them) apply; the tcp route on 80 comes later.
    expect(partner.ports.map(p => `${p.port.number}/${p.port.protocol} ${p.sidecar.via}`)).toEqual(['80/HTTP gateway', '9000/TCP gateway']);
  });

  test('route entries that are no objects are passed over; a match of other gateways only says nothing about the sidecars\' ports', () => {
    const odd = routed([{ match: [{ port: 80 }], route: ['x', ...toGateway.route] }]);
    expect(hosts(odd).find(h => h.host === PARTNER)!.ports.map(p => `${p.port.number}/${p.port.protocol}`)).toEqual(['80/HTTP', '9000/TCP']);

    const gatewayOnly = routed([{ match: [{ gateways: ['istio-system/egress'], port: 80 }], ...toGateway }]);
    expect(hosts(gatewayOnly).find(h => h.host === PARTNER)!.ports.map(p => `${p.port.number}/${p.port.protocol}`)).toEqual(['80/TCP', '9000/TCP']);
  });
});

describe('the AuthorizationPolicies of the gateway pods, rule by rule', () => {
  test('every policy of the pods\' namespace that selects them, a policy without selector too, sorted by namespace/name', () => {
    const objects = [...tlsThroughEgressGateway(), onGateway('z-allow', { rules: [{}] }), policy('all-pods', 'istio-system', { action: 'DENY', rules: [{ from: [{ source: { namespaces: ['bad'] } }] }] })];
    assertValidIstioObjects(objects);
    const allowed = portOf(objects, 443).allowed!;

    expect(allowed.policies.map(p => label(p.object))).toEqual(['istio-system/all-pods', 'istio-system/z-allow']);
    expect(allowed.deny).toMatchObject([{ namespaces: ['bad'], field: 'spec.rules[0]' }]);
  });

  test('DENY policies alone let anyone else through', () => {
    const objects = [...tlsThroughEgressGateway(), onGateway('deny', { action: 'DENY', rules: [{ from: [{ source: { namespaces: ['bad'] } }] }] })];

    expect(portOf(objects, 443).allowed).toMatchObject({ verdict: 'anyone', allowPolicies: [], deny: [{ namespaces: ['bad'], any: false, identityOnly: true }] });
  });

  test('an ALLOW policy without rules allows nothing: verdict nobody, and the policy is on the path for its rules list', () => {
    const objects = [...tlsThroughEgressGateway(), onGateway('deny-all', {})];
    assertValidIstioObjects(objects);
    const host = hosts(objects)[0];
    const p = host.ports[0];

    expect(p.allowed).toMatchObject({ verdict: 'nobody', allow: [] });
    expect(p.allowed!.denyByDefault.map(x => label(x.object))).toEqual(['istio-system/deny-all']);
    expect(pathObjects(host, p).find(o => o.index === 4)).toEqual({ index: 4, within: [], lists: ['spec.rules['] });
  });

  test('rules that are no objects are passed over; sources that are no objects restrict nothing', () => {
    const objects = [...tlsThroughEgressGateway(), onGateway('allow', { rules: ['rule', { from: ['x', { source: { principals: ['cluster.local/ns/a/sa/b'] } }] }] })];

    expect(portOf(objects, 443).allowed!.allow).toMatchObject([
      { field: 'spec.rules[1]', any: false, namespaces: [], principals: ['cluster.local/ns/a/sa/b'], identityOnly: false },
    ]);
  });

  test('a rule\'s operations: ports and notPorts against the gateway port; an operation that is no object matches', () => {
    const rule = (to: unknown[]) => [...tlsThroughEgressGateway(), onGateway('allow', { rules: [{ to, from: [{ source: { namespaces: ['team-a'] } }] }] })];
    const verdict = (to: unknown[]) => portOf(rule(to), 443).allowed!.verdict;
    assertValidIstioObjects(rule([{ operation: { ports: ['443'] } }]));

    expect(verdict([{ operation: { ports: ['443'] } }])).toBe('listed');
    expect(verdict([{ operation: { ports: ['8443'] } }])).toBe('nobody');
    expect(verdict([{ operation: { notPorts: ['443'] } }])).toBe('nobody');
    expect(verdict([{ operation: { notPorts: ['80'] } }])).toBe('listed');
    expect(verdict([{ operation: { ports: ['8443'] } }, { operation: { ports: ['443'], notPorts: ['80'] } }])).toBe('listed');
    expect(verdict(['operation'])).toBe('listed');
  });

  test('a connection.sni condition: values must match the host, notValues must not', () => {
    const verdict = (when: Record<string, unknown>) =>
      portOf([...tlsThroughEgressGateway(), onGateway('allow', { rules: [{ when: [{ key: 'connection.sni', ...when }] }] })], 443).allowed!.verdict;

    expect(verdict({ notValues: [HOST] })).toBe('nobody');
    expect(verdict({ notValues: ['*.other.com'] })).toBe('listed');
    expect(verdict({ values: ['api.*'] })).toBe('listed');
    expect(verdict({ values: ['*'], notValues: ['*.example.com'] })).toBe('nobody');
    expect(verdict({ values: ['www.*'] })).toBe('nobody');
  });
});

describe('valueMatches: Istio\'s string match for policy values', () => {
  test.each([
    ['*', 'api.example.com', true],
    ['*.example.com', 'api.example.com', true],
    ['*.example.com', 'example.org', false],
    ['api.*', 'api.example.com', true],
    ['api.*', 'www.example.com', false],
    ['api.example.com', 'api.example.com', true],
    ['api.example.com*', 'api.example.com.evil', true],
    ['api.example.com', 'api.example.co', false],
  ])('%s against %s: %s', (value, actual, expected) => {
    expect(valueMatches(value, actual)).toBe(expected);
  });
});

describe('the objects on a path, and the parts of them that concern it', () => {
  test('the subset of the DestinationRule that the sidecars\' route names', () => {
    const objects = tlsThroughEgressGateway(['junk', { name: 'other' }, { name: 'api' }]);
    const host = hosts(objects)[0];

    expect(pathObjects(host, host.ports[0]).find(o => o.index === 2)).toEqual({
      index: 2, within: ['spec.subsets[2]'], lists: ['spec.subsets[', 'spec.trafficPolicy.portLevelSettings['],
    });
    // A subset the rule does not define: no part of the rule is the path's own.
    const missing = tlsThroughEgressGateway([{ name: 'other' }]);
    const h = hosts(missing)[0];
    expect(pathObjects(h, h.ports[0]).find(o => o.index === 2)).toEqual({ index: 2, within: [], lists: ['spec.subsets[', 'spec.trafficPolicy.portLevelSettings['] });
  });

  test('isWithin: the part itself, or a field under it after `.` or `[`', () => {
    expect(isWithin('spec.http[0]', 'spec.http[0]')).toBe(true);
    expect(isWithin('spec.http[0].route[1]', 'spec.http[0]')).toBe(true);
    expect(isWithin('spec.hosts[2]', 'spec.hosts')).toBe(true);
    expect(isWithin('spec.hostsExtra', 'spec.hosts')).toBe(false);
    expect(isWithin('spec.http', 'spec.http[0]')).toBe(false);
  });

  test('concernsPath: findings under a part of the path, or under none of the object\'s lists', () => {
    const vs = { index: 3, within: ['spec.http[1]'], lists: ['spec.http[', 'spec.tls['] };

    expect(concernsPath(vs, 'spec.http[1].route[0].destination')).toBe(true);
    expect(concernsPath(vs, 'spec.http[0].route[0].destination')).toBe(false);
    expect(concernsPath(vs, 'spec.tls[0]')).toBe(false);
    expect(concernsPath(vs, 'spec.gateways[0]')).toBe(true);
  });

  test('dedupe: one finding per object, rule, field and message, the first kept', () => {
    const a = objectFinding(1, 'GWTLS', 'error', 'spec.tls[0]', 'x', 'message', 'fix one');
    const same = objectFinding(1, 'GWTLS', 'error', 'spec.tls[0]', 'y', 'message', 'fix two');
    const otherField = objectFinding(1, 'GWTLS', 'error', 'spec.tls[1]', 'x', 'message', 'fix one');
    const otherObject = objectFinding(2, 'GWTLS', 'error', 'spec.tls[0]', 'x', 'message', 'fix one');

    expect(dedupe([a, same, otherField, a, otherObject])).toEqual([a, otherField, otherObject]);
  });
});
