/**
 * The egress paths (src/analysis/paths.ts) and the rules that read them: GWTLS (EGR130), GWSNI
 * (EGR131), GWSERVER (EGR132), GWROUTE (EGR133), DOUBLETLS (EGR134) and PORTBYPASS (EGR220).
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { deployment, destinationRule, gateway, policy, serviceEntry, service, virtualService } from './objects';
import { analyze } from '../../src/analysis';
import { ObjectIndex, label } from '../../src/analysis/model';
import { HostPath, PortPath, egressPaths } from '../../src/analysis/paths';
import { codeOf } from '../../src/rules/codes';
import { assertValidIstioObjects } from '../support/crd-validator';

const GW = 'istio-egressgateway.istio-system.svc.cluster.local';
const HOST = 'api.example.com';

interface Shape {
  /** The ServiceEntry's ports. */
  readonly ports?: Array<{ number: number; protocol: string }>;
  /** The ports the sidecars send through the gateway, and the gateway port for each. */
  readonly routed?: Record<number, number>;
  /** The Gateway server on each gateway port. */
  readonly servers?: Record<number, { protocol: string; tls?: string; hosts?: string[] }>;
  /** The TLS the sidecars' DestinationRule sets for the gateway Service's port. */
  readonly toGateway?: Record<string, unknown>;
  /** Whether the VirtualService has the route bound to the Gateway. */
  readonly gatewayRoute?: boolean;
  /** Where the VirtualService lives, and where the Gateway lives. */
  readonly namespace?: string;
  readonly gatewayNamespace?: string;
}

/** One host through the default egress gateway: ServiceEntry, Gateway, DestinationRule for the gateway Service, VirtualService. */
function egress(shape: Shape = {}): any[] {
  const ns = shape.namespace ?? 'team-a';
  const gwNs = shape.gatewayNamespace ?? 'istio-system';
  const ports = shape.ports ?? [{ number: 443, protocol: 'TLS' }];
  const routed = shape.routed ?? { 443: 443 };
  const servers = shape.servers ?? { 443: { protocol: 'TLS', tls: 'PASSTHROUGH' } };
  const gatewayRef = `${gwNs}/egress`;
  const protocolOf = (port: number) => ports.find(p => p.number === port)!.protocol;
  const block = (protocol: string) => (protocol === 'HTTP' ? 'http' : protocol === 'TCP' ? 'tcp' : 'tls');
  const routes: Record<string, any[]> = { http: [], tls: [], tcp: [] };
  for (const [port, gatewayPort] of Object.entries(routed).map(([p, g]) => [Number(p), g])) {
    const kind = block(protocolOf(port));
    const sni = kind === 'tls' ? { sniHosts: [HOST] } : {};
    routes[kind].push({ match: [{ gateways: ['mesh'], port, ...sni }], route: [{ destination: { host: GW, subset: 'api', port: { number: gatewayPort } } }] });
  }
  if (shape.gatewayRoute !== false) {
    for (const [gatewayPort, server] of Object.entries(servers).map(([p, s]) => [Number(p), s] as const)) {
      const passthrough = server.tls === 'PASSTHROUGH';
      const kind = server.protocol === 'HTTP' || (server.protocol === 'HTTPS' && !passthrough) ? 'http' : passthrough ? 'tls' : 'tcp';
      const sni = kind === 'tls' ? { sniHosts: [HOST] } : {};
      const port = Number(Object.entries(routed).find(([, g]) => g === gatewayPort)?.[0] ?? gatewayPort);
      const destination = { host: HOST, port: { number: port } };
      routes[kind].push({ match: [{ gateways: [gatewayRef], port: gatewayPort, ...sni }], route: [{ destination }] });
    }
  }
  return [
    serviceEntry('api', ns, {
      hosts: [HOST],
      resolution: 'DNS',
      ports: ports.map(p => ({ number: p.number, name: `${p.protocol.toLowerCase()}-${p.number}`, protocol: p.protocol })),
    }),
    gateway('egress', gwNs, {
      selector: { istio: 'egressgateway' },
      servers: Object.entries(servers).map(([port, s]) => ({
        port: { number: Number(port), name: `p${port}`, protocol: s.protocol },
        hosts: s.hosts ?? [HOST],
        ...(s.tls ? { tls: { mode: s.tls } } : {}),
      })),
    }),
    destinationRule('egressgateway', ns, {
      host: GW,
      subsets: [{ name: 'api', ...(shape.toGateway ? { trafficPolicy: { tls: shape.toGateway } } : {}) }],
    }),
    virtualService('api', ns, {
      hosts: [HOST],
      gateways: ['mesh', gatewayRef],
      ...Object.fromEntries(Object.entries(routes).filter(([, r]) => r.length > 0)),
    }),
  ];
}

/** The path rules' findings, as `CODE severity [index] field: message`. */
function pathFindings(objects: any[]): string[] {
  return analyze(objects).findings.map(f => ({ ...f, code: codeOf(f) }))
    .filter(f => ['EGR130', 'EGR131', 'EGR132', 'EGR133', 'EGR134', 'EGR220'].includes(f.code))
    .map(f => `${f.code} ${f.severity} [${f.index}] ${f.field}: ${f.message}`);
}

function paths(objects: any[]): HostPath[] {
  return egressPaths(new ObjectIndex(objects)).hosts;
}

function portOf(objects: any[], port: number, host = HOST): PortPath {
  return paths(objects).find(h => h.host === host)!.ports.find(p => p.port.number === port)!;
}

function readShape(name: string): any[] {
  const text = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'docs-shapes', name), 'utf8');
  return parseAllDocuments(text).map(d => d.toJS()).filter(d => d !== null);
}

describe('the paths', () => {
  test('a Gateway in the client namespace, named by its short name, configures the gateway pods in the Service\'s namespace', () => {
    const objects = egress({ gatewayNamespace: 'team-a' });
    const p = portOf(objects, 443);

    expect(p.sidecar).toMatchObject({ via: 'gateway', destination: GW, destinationPort: 443, subset: 'api', traffic: 'tls' });
    expect(p.target).toMatchObject({ namespace: 'istio-system', labels: { app: 'istio-egressgateway', istio: 'egressgateway' }, labelsFrom: 'convention' });
    expect(label(p.server!.gateway.object)).toBe('team-a/egress');
    expect(p.gatewayHop).toMatchObject({ destination: HOST, destinationPort: 443 });
    expect(pathFindings(objects)).toEqual([]);
    assertValidIstioObjects(objects);
  });

  test('the gateway pods are those the gateway Service selects; a Gateway whose selector does not match them is not theirs', () => {
    const ingress = gateway('ingress', 'istio-system', {
      selector: { istio: 'ingressgateway' },
      servers: [{ port: { number: 443, name: 'tls', protocol: 'TLS' }, hosts: ['*'], tls: { mode: 'PASSTHROUGH' } }],
    });
    const custom = egress().map(o => (o.kind === 'Gateway' ? { ...o, spec: { ...o.spec, selector: { gateway: 'egress-a' } } } : o));
    const svc = service('istio-egressgateway', 'istio-system', { selector: { gateway: 'egress-a' }, ports: [{ port: 443, name: 'tls' }] });
    const pods = deployment('egress-a', 'istio-system', { gateway: 'egress-a', version: 'v1' }, true);
    const p = portOf([ingress, ...custom, svc, pods], 443);

    expect(p.target).toMatchObject({ labels: { gateway: 'egress-a', version: 'v1' }, labelsFrom: 'workload' });
    expect(p.target!.gateways.map(g => label(g.object))).toEqual(['istio-system/egress']);
    expect(label(p.server!.gateway.object)).toBe('istio-system/egress');
  });

  test('a gateway Service named otherwise, not given: the gateway beside a Gateway of its namespace that serves the host', () => {
    const renamed = (objects: any[], hosts: string[]) => objects.map(o => {
      const json = JSON.stringify(o).split(GW).join('egress.gateways.svc.cluster.local');
      const moved = JSON.parse(json.split('istio-system/egress').join('gateways/egress'));
      return o.kind === 'Gateway'
        ? { ...moved, metadata: { ...moved.metadata, namespace: 'gateways' }, spec: { ...moved.spec, selector: { gw: 'custom' }, servers: moved.spec.servers.map((x: any) => ({ ...x, hosts })) } }
        : moved;
    });
    const p = portOf(renamed(egress(), [HOST]), 443);

    expect(p.target).toMatchObject({ namespace: 'gateways', labels: { gw: 'custom' }, labelsFrom: 'gateway' });
    expect(label(p.server!.gateway.object)).toBe('gateways/egress');
    expect(p.gatewayHop).toBeDefined();
    // A Gateway of that namespace for other hosts says nothing about the Service.
    const elsewhere = renamed(egress(), ['other.example.com']);
    expect(portOf(elsewhere, 443).sidecar.via).toBe('direct');
    expect(pathFindings(elsewhere)).toEqual([]);
  });

  test('a route to a Service that no Gateway configures goes direct', () => {
    const objects = egress().filter(o => o.kind !== 'Gateway');

    expect(portOf(objects, 443).sidecar.via).toBe('direct');
    expect(pathFindings(objects)).toEqual([]);
  });

  test('DestinationRules as Istio picks them: the client namespace, then the host\'s, then the root namespace; workloadSelector only for its pods', () => {
    const origination = (name: string, namespace: string, extra: any = {}) => destinationRule(name, namespace, {
      host: HOST, ...extra, trafficPolicy: { portLevelSettings: [{ port: { number: 443 }, tls: { mode: 'SIMPLE' } }] },
    });
    const objects = egress({ ports: [{ number: 80, protocol: 'HTTP' }, { number: 443, protocol: 'HTTPS' }], routed: { 80: 80 }, servers: { 80: { protocol: 'HTTP' } } });
    // The gateway route sends port 80 to port 443 of the host.
    const vs = objects[3];
    vs.spec.http[1].route[0].destination.port.number = 443;

    // For the gateway's pods only: the sidecars do not originate, the gateway does.
    const forGateway = origination('for-gateway', 'istio-system', { workloadSelector: { matchLabels: { istio: 'egressgateway' } } });
    expect(portOf([...objects, forGateway], 80).gatewayHop!.tlsOrigination).toMatchObject({ mode: 'SIMPLE' });
    expect(portOf([...objects, forGateway], 443).sidecar.tls).toBeUndefined();
    // In the host's namespace without exportTo: both.
    const everywhere = origination('everywhere', 'team-a');
    expect(label(portOf([...objects, everywhere], 80).gatewayHop!.tlsOrigination!.destinationRule.object)).toBe('team-a/everywhere');
    expect(portOf([...objects, everywhere], 443).sidecar.tls).toMatchObject({ mode: 'SIMPLE' });
    // In a third namespace: neither (only the proxy's, the host's and the root namespace count).
    expect(portOf([...objects, origination('elsewhere', 'team-b')], 80).gatewayHop!.tlsOrigination).toBeUndefined();
    // A rule of the proxy's own namespace comes first, even without TLS for the port.
    const own = destinationRule('own', 'istio-system', { host: HOST });
    expect(portOf([...objects, everywhere, own], 80).gatewayHop!.tlsOrigination).toBeUndefined();
  });

  test('DestinationRules of one namespace for one host merge: the subset is found in the second', () => {
    const objects = egress({ toGateway: { mode: 'ISTIO_MUTUAL', sni: HOST }, servers: { 443: { protocol: 'TLS', tls: 'ISTIO_MUTUAL' } } });
    const first = destinationRule('first', 'team-a', { host: GW, subsets: [{ name: 'other' }] });
    const p = portOf([first, ...objects], 443);

    expect(p.sidecar.tls).toMatchObject({ mode: 'ISTIO_MUTUAL', sni: HOST, field: 'spec.subsets[0].trafficPolicy.tls' });
    expect(label(p.sidecar.tls!.destinationRule.object)).toBe('team-a/egressgateway');
  });

  test('a Kubernetes Service host that mesh routes send to a gateway is a host of its own, with the ports the routes match', () => {
    const hosts = paths(readShape('gateway-mtls-origination.yaml'));

    expect(hosts.map(h => [h.host, h.definitionKind, label(h.definition.object), h.ports.map(p => `${p.port.number}/${p.port.protocol}`)])).toEqual([
      ['partner.mesh-external.svc.cluster.local', 'Service', 'mesh-external/partner', ['80/HTTP']],
    ]);
  });

  test('the authorization at the gateway: policies of the pods\' namespace that select them, rules by SNI', () => {
    const objects = [...egress(), policy('allow', 'istio-system', {
      selector: { matchLabels: { istio: 'egressgateway' } },
      rules: [{ from: [{ source: { namespaces: ['team-a'] } }], when: [{ key: 'connection.sni', values: ['*.example.com'] }] }],
    }), policy('other-pods', 'istio-system', { selector: { matchLabels: { istio: 'ingressgateway' } }, action: 'DENY', rules: [{}] })];

    expect(portOf(objects, 443).allowed).toMatchObject({
      verdict: 'listed',
      allow: [{ namespaces: ['team-a'], identityOnly: true, field: 'spec.rules[0]' }],
      deny: [],
    });
  });
});

describe('GWTLS (EGR130): what the sidecars send to the gateway against the server\'s TLS', () => {
  test('Istio mutual TLS with the host as SNI to an ISTIO_MUTUAL server is accepted', () => {
    const objects = egress({ toGateway: { mode: 'ISTIO_MUTUAL', sni: HOST }, servers: { 443: { protocol: 'TLS', tls: 'ISTIO_MUTUAL' } } });
    expect(pathFindings(objects)).toEqual([]);
    assertValidIstioObjects(objects);
  });

  test('the application\'s TLS to an ISTIO_MUTUAL server fails the handshake: an error on the route to the gateway', () => {
    expect(pathFindings(egress({ servers: { 443: { protocol: 'TLS', tls: 'ISTIO_MUTUAL' } } }))).toEqual([
      'EGR130 error [3] spec.tls[0].route[0].destination: the sidecars of team-a send api.example.com:443 to the egress gateway as the '
      + 'application\'s own TLS; it arrives at Gateway istio-system/egress spec.servers[0] (port 443 TLS, TLS ISTIO_MUTUAL), which accepts only '
      + 'Istio mutual TLS (a client certificate of the mesh): the handshake fails',
    ]);
  });

  test('Istio mutual TLS to a PASSTHROUGH server is forwarded to the host, which cannot complete it', () => {
    expect(pathFindings(egress({ toGateway: { mode: 'ISTIO_MUTUAL', sni: HOST } }))).toEqual([
      'EGR130 error [2] spec.subsets[0].trafficPolicy.tls.mode: the sidecars of team-a send api.example.com:443 to the egress gateway as Istio '
      + 'mutual TLS; it arrives at Gateway istio-system/egress spec.servers[0] (port 443 TLS, TLS PASSTHROUGH), which passes TLS through by its '
      + 'SNI: it forwards the sidecars\' mesh TLS session to the host, which cannot complete it',
    ]);
  });

  test('plain HTTP to a PASSTHROUGH server has no SNI to route by', () => {
    const objects = egress({ ports: [{ number: 80, protocol: 'HTTP' }], routed: { 80: 443 }, servers: { 443: { protocol: 'TLS', tls: 'PASSTHROUGH' } } });
    expect(pathFindings(objects)).toContainEqual(expect.stringMatching(
      /^EGR130 error \[3\] spec\.http\[0\]\.route\[0\]\.destination: .* as plain text; .* which routes by the SNI of the TLS it passes through/));
  });

  test('Istio mutual TLS to a plain TCP server is forwarded as bytes; to a server with its own credential it is a warning', () => {
    const tcp = egress({ ports: [{ number: 9000, protocol: 'TCP' }], routed: { 9000: 9000 }, servers: { 9000: { protocol: 'TCP' } }, toGateway: { mode: 'ISTIO_MUTUAL' } });
    expect(pathFindings(tcp)).toEqual([expect.stringMatching(/^EGR130 error \[2\] .*\(port 9000 TCP, TLS none\), which has no TLS: it forwards/)]);
    const simple = egress({ toGateway: { mode: 'ISTIO_MUTUAL', sni: HOST }, servers: { 443: { protocol: 'TLS', tls: 'SIMPLE' } } });
    expect(pathFindings(simple)).toEqual([expect.stringMatching(/^EGR130 warning \[2\] .*which ends TLS with its own credential \(mode SIMPLE\)/)]);
  });

  test('the application\'s TLS through a plain TCP server, and plain HTTP to a plain HTTP server, are accepted', () => {
    expect(pathFindings(egress({ servers: { 443: { protocol: 'TCP' } } }))).toEqual([]);
    expect(pathFindings(egress({ ports: [{ number: 80, protocol: 'HTTP' }], routed: { 80: 80 }, servers: { 80: { protocol: 'HTTP' } } }))).toEqual([]);
  });
});

describe('GWSNI (EGR131): the SNI of the sidecars\' mutual TLS against the server\'s hosts', () => {
  const mutual = (toGateway: Record<string, unknown>, hosts?: string[]) =>
    egress({ toGateway, servers: { 443: { protocol: 'TLS', tls: 'ISTIO_MUTUAL', hosts } } });

  test('without sni the sidecars name the cluster, which is no host of the server', () => {
    expect(pathFindings(mutual({ mode: 'ISTIO_MUTUAL' }))).toEqual([
      'EGR131 error [2] spec.subsets[0].trafficPolicy.tls.sni: the sidecars\' Istio mutual TLS to the egress gateway for api.example.com:443 '
      + 'has no sni, so the sidecars name the cluster (outbound_.443_.api_.istio-egressgateway.istio-system.svc.cluster.local), which is none '
      + 'of the hosts of Gateway istio-system/egress spec.servers[0] (port 443 TLS, TLS ISTIO_MUTUAL) (api.example.com): the gateway picks '
      + 'its TLS filter chain by SNI, finds none and closes the connection',
    ]);
  });

  test('an sni that is not among the server\'s hosts is reported; one its wildcard covers, or a server for `*`, is accepted', () => {
    expect(pathFindings(mutual({ mode: 'ISTIO_MUTUAL', sni: 'other.example.com' }))).toEqual([
      expect.stringMatching(/^EGR131 error \[2\] spec\.subsets\[0\]\.trafficPolicy\.tls\.sni: .* has sni other\.example\.com, which is none of/),
    ]);
    expect(pathFindings(mutual({ mode: 'ISTIO_MUTUAL', sni: HOST }, ['*.example.com']))).toEqual([]);
    expect(pathFindings(mutual({ mode: 'ISTIO_MUTUAL' }, ['*']))).toEqual([]);
  });
});

describe('GWSERVER (EGR132) and GWROUTE (EGR133): the gateway takes the host on the port', () => {
  test('no server for the host on the port the sidecars send to', () => {
    expect(pathFindings(egress({ routed: { 443: 8443 } }))).toEqual([
      'EGR132 error [3] spec.tls[0].route[0].destination: spec.tls[0] sends api.example.com:443 to the egress gateway '
      + 'istio-egressgateway.istio-system.svc.cluster.local on port 8443, but no Gateway of its pods (app=istio-egressgateway,istio=egressgateway '
      + 'in istio-system: istio-system/egress) has a server for api.example.com on port 8443: the gateway refuses the traffic or answers 404',
    ]);
  });

  test('a server, but no route bound to its Gateway', () => {
    expect(pathFindings(egress({ gatewayRoute: false }))).toEqual([
      'EGR133 error [3] spec.tls[0].route[0].destination: spec.tls[0] sends api.example.com:443 to the egress gateway '
      + 'istio-egressgateway.istio-system.svc.cluster.local on port 443, where istio-system/egress spec.servers[0] takes it, but no VirtualService '
      + 'bound to istio-system/egress has a tls route for api.example.com on port 443: the gateway closes the connection',
    ]);
  });

  test('a server host `namespace/host` takes routes of that namespace only', () => {
    expect(pathFindings(egress({ servers: { 443: { protocol: 'TLS', tls: 'PASSTHROUGH', hosts: [`team-a/${HOST}`] } } }))).toEqual([]);
    expect(pathFindings(egress({ servers: { 443: { protocol: 'TLS', tls: 'PASSTHROUGH', hosts: [`./${HOST}`] } } }))).toEqual([
      expect.stringContaining('no VirtualService bound to istio-system/egress from namespace istio-system (the server\'s hosts allow no other) has a tls route'),
    ]);
  });
});

describe('DOUBLETLS (EGR134): a sidecar that originates TLS on a port whose clients speak TLS', () => {
  const origination = (port: number, extra: any = {}) => destinationRule('origination', 'team-a', {
    host: HOST, ...extra, trafficPolicy: { portLevelSettings: [{ port: { number: port }, tls: { mode: 'SIMPLE' } }] },
  });

  test('on the HTTPS port: a warning on the DestinationRule', () => {
    const objects = [serviceEntry('api', 'team-a', { hosts: [HOST], resolution: 'DNS', ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }] }), origination(443)];
    expect(pathFindings(objects)).toEqual([
      'EGR134 warning [1] spec.trafficPolicy.portLevelSettings[0].tls.mode: the sidecars of team-a originate TLS (SIMPLE) to api.example.com:443, '
      + 'a port of protocol HTTPS whose clients already speak TLS: their TLS is wrapped in a second session, which the host cannot read',
    ]);
  });

  test('on an HTTP port sent to the host\'s port 443 (targetPort), as Istio\'s TLS origination task does: accepted', () => {
    const objects = [serviceEntry('api', 'team-a', {
      hosts: [HOST],
      resolution: 'DNS',
      ports: [{ number: 80, name: 'http', protocol: 'HTTP', targetPort: 443 }, { number: 443, name: 'https', protocol: 'HTTPS' }],
    }), origination(80)];
    expect(pathFindings(objects)).toEqual([]);
    assertValidIstioObjects(objects);
  });
});

describe('PORTBYPASS (EGR220): a port that goes direct while others of the host go through the gateway', () => {
  const twoPorts = { ports: [{ number: 80, protocol: 'HTTP' }, { number: 443, protocol: 'HTTPS' }], servers: { 80: { protocol: 'HTTP' } } };

  test('the HTTPS port beside the routed HTTP port: a warning on the ServiceEntry port', () => {
    expect(pathFindings(egress({ ...twoPorts, routed: { 80: 80 } }))).toEqual([
      'EGR220 warning [0] spec.ports[1]: port 443 (HTTPS) of api.example.com goes from the sidecars straight to the host, while port 80 goes '
      + 'through the egress gateway istio-egressgateway.istio-system.svc.cluster.local: traffic on port 443 bypasses the gateway and its policies',
    ]);
  });

  test('every port through the gateway, or none, is accepted', () => {
    const both = egress({ ...twoPorts, routed: { 80: 80, 443: 443 }, servers: { 80: { protocol: 'HTTP' }, 443: { protocol: 'TLS', tls: 'PASSTHROUGH' } } });
    expect(pathFindings(both)).toEqual([]);
    assertValidIstioObjects(both);
    expect(pathFindings(egress({ ...twoPorts, routed: {} }).filter(o => o.kind === 'ServiceEntry'))).toEqual([]);
  });
});

describe('the shapes of Istio\'s egress tasks (test/fixtures/docs-shapes)', () => {
  test.each([
    ['egress-gateway-http.yaml', 'default/istio-egressgateway'],
    ['egress-gateway-https.yaml', 'default/istio-egressgateway'],
    ['gateway-tls-origination.yaml', 'default/istio-egressgateway'],
    ['gateway-mtls-origination.yaml', 'default/istio-egressgateway'],
    ['wildcard-gateway.yaml', 'default/istio-egressgateway'],
  ])('%s: every routed port reaches the host through a server of %s, without errors', (name, gatewayRef) => {
    const objects = readShape(name);
    const routed = paths(objects).flatMap(h => h.ports).filter(p => p.sidecar.via === 'gateway');

    expect(routed.length).toBeGreaterThan(0);
    for (const p of routed) {
      expect(p.target!.namespace).toBe('istio-system');
      expect(label(p.server!.gateway.object)).toBe(gatewayRef);
      expect(p.gatewayHop).toBeDefined();
    }
    expect(analyze(objects).findings.filter(f => f.severity === 'error')).toEqual([]);
    assertValidIstioObjects(objects);
  });

  test.each(['sidecar-tls-origination.yaml', 'plain-service-entries.yaml'])('%s: direct, without errors', name => {
    const objects = readShape(name);

    expect(paths(objects).flatMap(h => h.ports).map(p => p.sidecar.via)).not.toContain('gateway');
    expect(analyze(objects).findings.filter(f => f.severity === 'error')).toEqual([]);
    assertValidIstioObjects(objects);
  });
});
