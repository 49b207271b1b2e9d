/**
 * TLS along the egress paths (src/analysis/tls-agreement.ts): what the sidecars send to the egress gateway against the TLS
 * mode and protocol of the Gateway server that takes it (GWTLS, EGR130), and the SNI of their Istio mutual TLS (GWSNI, EGR131),
 * for the server modes and kinds of traffic that test/analysis/paths.test.ts does not cover.
 */
import { stringify } from 'yaml';
import { destinationRule, gateway, serviceEntry, virtualService } from './objects';
import { analyze } from '../../src/analysis';
import { ObjectIndex } from '../../src/analysis/model';
import { egressPaths } from '../../src/analysis/paths';
import { checkTlsAgreement, trafficText } from '../../src/analysis/tls-agreement';
import { explainObjects } from '../../src/cli/explain';
import { parseObjects } from '../../src/cli/input';
import { codeOf } from '../../src/rules/codes';
import { assertValidIstioObjects } from '../support/crd-validator';
import { helpful } from '../support/findings';

const GW = 'istio-egressgateway.istio-system.svc.cluster.local';
const HOST = 'api.example.com';

interface Shape {
  /** The ServiceEntry's port (the sidecars send it to the same port of the gateway Service). */
  readonly port: number;
  readonly protocol: string;
  /** The Gateway server on that port. */
  readonly server: { protocol: string; tls?: Record<string, unknown>; hosts?: string[] };
  /** The TLS the sidecars' DestinationRule for the gateway Service sets. */
  readonly toGateway?: Record<string, unknown>;
  /** Whether the mesh route names the subset `api` (whose traffic policy then holds the TLS); default true. */
  readonly subset?: boolean;
}

/** One host, one port, through the default egress gateway: ServiceEntry, Gateway, DestinationRule for the gateway Service, VirtualService. */
function egress({ port, protocol, server, toGateway, subset = true }: Shape): any[] {
  const block = (p: string) => (p === 'HTTP' ? 'http' : p === 'TCP' ? 'tcp' : 'tls');
  const sni = (kind: string) => (kind === 'tls' ? { sniHosts: [HOST] } : {});
  const meshBlock = block(protocol);
  const passthrough = server.tls?.mode === 'PASSTHROUGH' || server.tls?.mode === 'AUTO_PASSTHROUGH';
  const gatewayBlock = server.protocol === 'HTTP' || (server.protocol === 'HTTPS' && !passthrough) ? 'http' : passthrough ? 'tls' : 'tcp';
  const routes: Record<string, any[]> = {};
  const toGw = { host: GW, ...(subset ? { subset: 'api' } : {}), port: { number: port } };
  routes[meshBlock] = [{ match: [{ gateways: ['mesh'], port, ...sni(meshBlock) }], route: [{ destination: toGw }] }];
  routes[gatewayBlock] = [...routes[gatewayBlock] ?? [],
    { match: [{ gateways: ['istio-system/egress'], port, ...sni(gatewayBlock) }], route: [{ destination: { host: HOST, port: { number: port } } }] }];
  const policy = toGateway ? { trafficPolicy: { tls: toGateway } } : {};
  return [
    serviceEntry('api', 'team-a', { hosts: [HOST], resolution: 'DNS', ports: [{ number: port, name: `p-${port}`, protocol }] }),
    gateway('egress', 'istio-system', {
      selector: { istio: 'egressgateway' },
      servers: [{ port: { number: port, name: `p${port}`, protocol: server.protocol }, hosts: server.hosts ?? [HOST], ...(server.tls ? { tls: server.tls } : {}) }],
    }),
    destinationRule('egressgateway', 'team-a', subset ? { host: GW, subsets: [{ name: 'api', ...policy }] } : { host: GW, ...policy }),
    virtualService('api', 'team-a', { hosts: [HOST], gateways: ['mesh', 'istio-system/egress'], ...routes }),
  ];
}

/** GWTLS and GWSNI, as `CODE severity [index] field: message | fix`. */
function tlsFindings(objects: any[]): string[] {
  return analyze(objects).findings.map(f => ({ ...f, code: codeOf(f) }))
    .filter(f => f.code === 'EGR130' || f.code === 'EGR131')
    .map(f => `${f.code} ${f.severity} [${f.index}] ${f.field}: ${f.message} | ${f.fix}`);
}

const WHERE = 'it arrives at Gateway istio-system/egress spec.servers[0]';

describe('GWTLS (EGR130) by the server\'s TLS mode', () => {
  test('TLS the sidecars originate with a client certificate of their own (MUTUAL) to an ISTIO_MUTUAL server: a warning, the certificate may be the mesh\'s', () => {
    const objects = egress({
      port: 443,
      protocol: 'TLS',
      server: { protocol: 'TLS', tls: { mode: 'ISTIO_MUTUAL' } },
      toGateway: { mode: 'MUTUAL', credentialName: 'client-credential', sni: HOST },
    });
    assertValidIstioObjects(objects);

    expect(tlsFindings(objects)).toEqual([
      'EGR130 warning [2] spec.subsets[0].trafficPolicy.tls.mode: the sidecars of team-a send api.example.com:443 to the egress gateway as TLS they '
      + `originate (MUTUAL, DestinationRule team-a/egressgateway); ${WHERE} (port 443 TLS, TLS ISTIO_MUTUAL), which accepts only Istio mutual TLS `
      + '(a client certificate of the mesh): the handshake fails | set tls mode ISTIO_MUTUAL with sni api.example.com for port 443 in subset api '
      + 'of a DestinationRule for istio-egressgateway.istio-system.svc.cluster.local in namespace team-a',
    ]);
    // SIMPLE has no client certificate at all: an error.
    expect(tlsFindings(egress({ port: 443, protocol: 'TLS', server: { protocol: 'TLS', tls: { mode: 'ISTIO_MUTUAL' } }, toGateway: { mode: 'SIMPLE', sni: HOST } })))
      .toEqual([expect.stringMatching(/^EGR130 error \[2\] .* as TLS they originate \(SIMPLE, DestinationRule team-a\/egressgateway\);/)]);
  });

  test('an opaque TCP stream to an ISTIO_MUTUAL server is named as such', () => {
    expect(tlsFindings(egress({ port: 9000, protocol: 'TCP', server: { protocol: 'TLS', tls: { mode: 'ISTIO_MUTUAL' } } }))).toEqual([
      'EGR130 error [3] spec.tcp[0].route[0].destination: the sidecars of team-a send api.example.com:9000 to the egress gateway as an opaque TCP '
      + `stream; ${WHERE} (port 9000 TLS, TLS ISTIO_MUTUAL), which accepts only Istio mutual TLS (a client certificate of the mesh): the handshake `
      + 'fails | set tls mode ISTIO_MUTUAL with sni api.example.com for port 9000 in subset api of a DestinationRule for '
      + 'istio-egressgateway.istio-system.svc.cluster.local in namespace team-a',
    ]);
  });

  test('AUTO_PASSTHROUGH (it routes mesh TLS by the cluster its SNI names) is not judged: no GWTLS, and no GWSNI without sni', () => {
    const objects = egress({ port: 15443, protocol: 'TLS', server: { protocol: 'TLS', tls: { mode: 'AUTO_PASSTHROUGH' } }, toGateway: { mode: 'ISTIO_MUTUAL' } });
    assertValidIstioObjects(objects);

    expect(tlsFindings(objects)).toEqual([]);
    // The same mesh TLS to a PASSTHROUGH server is forwarded to the host: the rule does tell the two apart.
    expect(tlsFindings(egress({ port: 15443, protocol: 'TLS', server: { protocol: 'TLS', tls: { mode: 'PASSTHROUGH' } }, toGateway: { mode: 'ISTIO_MUTUAL' } })))
      .toEqual([expect.stringMatching(/^EGR130 error \[2\] .*which passes TLS through by its SNI/)]);
  });

  // Istio builds AUTO_PASSTHROUGH filter chains without any VirtualService (pilot gateway.go builtAutoPassthroughFilterChains):
  // the server forwards mesh TLS to the cluster its SNI names. Without a bound route the path still fails for an external
  // host, and GWROUTE says why.
  test('GWROUTE at an AUTO_PASSTHROUGH server names the forwarded mesh TLS, not a missing route', () => {
    const objects = egress({ port: 15443, protocol: 'TLS', server: { protocol: 'TLS', tls: { mode: 'AUTO_PASSTHROUGH' } }, toGateway: { mode: 'ISTIO_MUTUAL' } });
    const vs = objects[3];
    const meshOnly = { ...vs, spec: { ...vs.spec, tls: [vs.spec.tls[0]] } };
    const findings = analyze([...objects.slice(0, 3), meshOnly]).findings.filter(f => codeOf(f) === 'EGR133');
    expect(findings.map(f => [f.severity, f.index, f.field, f.value])).toEqual([['error', 3, 'spec.tls[0].route[0].destination', GW]]);
    expect(findings[0].message).toBe(`spec.tls[0] sends ${HOST}:15443 to the egress gateway ${GW} on port 15443, where istio-system/egress `
      + 'spec.servers[0] takes it in AUTO_PASSTHROUGH mode, which forwards a connection by the SNI of Istio mutual TLS '
      + `(outbound_.<port>_.<subset>_.<host>) to a cluster of the mesh, without VirtualServices: ${HOST} would get the mesh's TLS, which it cannot complete`);
    expect(findings[0].fix).toBe(`use a PASSTHROUGH or ISTIO_MUTUAL server on Gateway istio-system/egress for ${HOST}, with a route bound to it that sends ${HOST} to the host`);
    // A PASSTHROUGH server without the route: the missing route is the reason.
    const passthrough = egress({ port: 15443, protocol: 'TLS', server: { protocol: 'TLS', tls: { mode: 'PASSTHROUGH' } } });
    const meshOnlyPassthrough = { ...passthrough[3], spec: { ...passthrough[3].spec, tls: [passthrough[3].spec.tls[0]] } };
    expect(analyze([...passthrough.slice(0, 3), meshOnlyPassthrough]).findings.filter(f => codeOf(f) === 'EGR133').map(f => f.message))
      .toEqual([expect.stringContaining('but no VirtualService bound to istio-system/egress has a tls route for api.example.com on port 15443')]);
  });

  test('plain text to a server that ends TLS with its own credential (SIMPLE) fails the handshake: an error', () => {
    expect(tlsFindings(egress({ port: 443, protocol: 'HTTP', server: { protocol: 'HTTPS', tls: { mode: 'SIMPLE', credentialName: 'api-cert' } } }))).toEqual([
      'EGR130 error [3] spec.http[0].route[0].destination: the sidecars of team-a send api.example.com:443 to the egress gateway as plain text; '
      + `${WHERE} (port 443 HTTPS, TLS SIMPLE), which expects TLS (mode SIMPLE): plain text fails the handshake | make the server's TLS match what `
      + 'the sidecars send (plain text), or change what they send',
    ]);
  });

  test('the application\'s own TLS to a SIMPLE server is accepted (the gateway ends it with its credential for the host)', () => {
    const objects = egress({ port: 443, protocol: 'TLS', server: { protocol: 'TLS', tls: { mode: 'SIMPLE', credentialName: 'api-cert' } } });
    assertValidIstioObjects(objects);

    expect(tlsFindings(objects)).toEqual([]);
  });

  test('Istio mutual TLS, or the application\'s TLS, to a plain HTTP server cannot be read: an error', () => {
    expect(tlsFindings(egress({ port: 80, protocol: 'HTTP', server: { protocol: 'HTTP' }, toGateway: { mode: 'ISTIO_MUTUAL', sni: HOST } }))).toEqual([
      'EGR130 error [2] spec.subsets[0].trafficPolicy.tls.mode: the sidecars of team-a send api.example.com:80 to the egress gateway as Istio mutual '
      + `TLS; ${WHERE} (port 80 HTTP, TLS none), which reads plain HTTP and cannot read TLS | make the server's TLS mode ISTIO_MUTUAL, or drop the `
      + 'ISTIO_MUTUAL setting for port 80 from team-a/egressgateway',
    ]);
    expect(tlsFindings(egress({ port: 8443, protocol: 'TLS', server: { protocol: 'HTTP' } }))).toEqual([
      'EGR130 error [3] spec.tls[0].route[0].destination: the sidecars of team-a send api.example.com:8443 to the egress gateway as the application\'s '
      + `own TLS; ${WHERE} (port 8443 HTTP, TLS none), which reads plain HTTP and cannot read TLS | make the server's TLS match what the sidecars `
      + 'send (the application\'s own TLS), or change what they send',
    ]);
  });
});

describe('GWSNI (EGR131) without a subset', () => {
  test('the cluster the sidecars name has an empty subset part', () => {
    const objects = egress({ port: 443, protocol: 'TLS', server: { protocol: 'TLS', tls: { mode: 'ISTIO_MUTUAL' } }, toGateway: { mode: 'ISTIO_MUTUAL' }, subset: false });
    assertValidIstioObjects(objects);

    expect(tlsFindings(objects)).toEqual([
      'EGR131 error [2] spec.trafficPolicy.tls.sni: the sidecars\' Istio mutual TLS to the egress gateway for api.example.com:443 has no sni, so the '
      + 'sidecars name the cluster (outbound_.443_._.istio-egressgateway.istio-system.svc.cluster.local), which is none of the hosts of Gateway '
      + 'istio-system/egress spec.servers[0] (port 443 TLS, TLS ISTIO_MUTUAL) (api.example.com): the gateway picks its TLS filter chain by SNI, '
      + 'finds none and closes the connection | set sni: api.example.com beside mode: ISTIO_MUTUAL in team-a/egressgateway',
    ]);
  });

  test('explain shows it once, on the path it is about (a path rule: not again as a finding of the DestinationRule on the path)', () => {
    const objects = egress({ port: 443, protocol: 'TLS', server: { protocol: 'TLS', tls: { mode: 'ISTIO_MUTUAL' } }, toGateway: { mode: 'ISTIO_MUTUAL' }, subset: false });
    const report = explainObjects(parseObjects(objects.map(o => stringify(o)).join('---\n'), 'egress.yaml'));
    const [path] = report.hosts.flatMap(h => h.ports);
    expect(path.problems.map(p => [p.code, p.object, p.field])).toEqual([['EGR131', 'DestinationRule team-a/egressgateway', 'spec.trafficPolicy.tls.sni']]);
  });
});

describe('trafficText', () => {
  test('what the sidecars send, in words', () => {
    const texts = (objects: any[]) => egressPaths(new ObjectIndex(objects)).hosts.flatMap(h => h.ports).map(trafficText);

    expect(texts(egress({ port: 9000, protocol: 'TCP', server: { protocol: 'TCP' } }))).toEqual(['an opaque TCP stream']);
    expect(texts(egress({ port: 80, protocol: 'HTTP', server: { protocol: 'HTTP' } }))).toEqual(['plain text']);
    expect(texts(egress({ port: 443, protocol: 'TLS', server: { protocol: 'TLS', tls: { mode: 'PASSTHROUGH' } } }))).toEqual(['the application\'s own TLS']);
  });
});

// Cases the mutation run left open: what each server TLS mode accepts, the SNI a server's hosts accept, paths without a
// server, and the fixes of DOUBLETLS; tls-agreement.ts's checks called directly.
/** The findings as rows: [index, rule, severity, field, value, message, fix]. */
const rows = (objects: any[]) => helpful(checkTlsAgreement(new ObjectIndex(objects)))
  .map(f => [f.index, f.rule, f.severity, f.field, f.value, f.message, f.fix]);
const rules = (objects: any[]) => checkTlsAgreement(new ObjectIndex(objects)).map(f => f.rule);


describe('GWTLS at a PASSTHROUGH server', () => {
  test('the application\'s own TLS is passed through by its SNI: no finding', () => {
    const objects = egress({ port: 443, protocol: 'TLS', server: { protocol: 'TLS', tls: { mode: 'PASSTHROUGH' } } });
    assertValidIstioObjects(objects);

    expect(rows(objects)).toEqual([]);
  });

  test('plain text has no SNI to route by: an error that says so', () => {
    const objects = egress({ port: 80, protocol: 'HTTP', server: { protocol: 'TLS', tls: { mode: 'PASSTHROUGH' } } });
    assertValidIstioObjects(objects);

    expect(rows(objects)).toEqual([[3, 'GWTLS', 'error', 'spec.http[0].route[0].destination', GW,
      `the sidecars of team-a send ${HOST}:80 to the egress gateway as plain text; ${WHERE} (port 80 TLS, TLS PASSTHROUGH), which routes by the `
      + 'SNI of the TLS it passes through: plain text has none, so the gateway drops it',
      'make the server\'s TLS match what the sidecars send (plain text), or change what they send']]);
  });
});

describe('GWTLS at a server that ends TLS with its own credential', () => {
  test('Istio mutual TLS to a SIMPLE server: a warning, the credential may be one the mesh issued', () => {
    const objects = egress({
      port: 443, protocol: 'TLS', server: { protocol: 'TLS', tls: { mode: 'SIMPLE', credentialName: 'api-cert' } }, toGateway: { mode: 'ISTIO_MUTUAL', sni: HOST },
    });
    assertValidIstioObjects(objects);

    expect(rows(objects)).toEqual([[2, 'GWTLS', 'warning', 'spec.subsets[0].trafficPolicy.tls.mode', 'ISTIO_MUTUAL',
      `the sidecars of team-a send ${HOST}:443 to the egress gateway as Istio mutual TLS; ${WHERE} (port 443 TLS, TLS SIMPLE), which ends TLS `
      + 'with its own credential (mode SIMPLE): the sidecars accept only a certificate the mesh issued to the gateway, so the handshake fails '
      + 'unless that credential is one',
      'make the server\'s TLS mode ISTIO_MUTUAL, or drop the ISTIO_MUTUAL setting for port 443 from team-a/egressgateway']]);
  });
});

describe('GWTLS at a server without TLS', () => {
  test('the application\'s own TLS to a TCP server is forwarded as bytes: no finding', () => {
    const objects = egress({ port: 443, protocol: 'TLS', server: { protocol: 'TCP' } });
    assertValidIstioObjects(objects);

    expect(rows(objects)).toEqual([]);
  });

  test('Istio mutual TLS to a TCP server reaches the host, which cannot complete it: an error', () => {
    const objects = egress({ port: 9000, protocol: 'TCP', server: { protocol: 'TCP' }, toGateway: { mode: 'ISTIO_MUTUAL', sni: HOST } });
    assertValidIstioObjects(objects);

    expect(rows(objects).map(r => [r[1], r[2], r[5]])).toEqual([['GWTLS', 'error',
      `the sidecars of team-a send ${HOST}:9000 to the egress gateway as Istio mutual TLS; ${WHERE} (port 9000 TCP, TLS none), which has no TLS: `
      + 'it forwards the sidecars\' mesh TLS session as bytes to the host, which cannot complete it']]);
  });

  test('plain HTTP to a plain HTTP server is what it reads: no GWTLS, and no GWSNI', () => {
    const objects = egress({ port: 80, protocol: 'HTTP', server: { protocol: 'HTTP' } });
    assertValidIstioObjects(objects);

    expect(rows(objects)).toEqual([]);
  });
});

describe('GWTLS at an ISTIO_MUTUAL server', () => {
  test('the fix names no subset when the mesh route names none', () => {
    const objects = egress({
      port: 443, protocol: 'TLS', server: { protocol: 'TLS', tls: { mode: 'ISTIO_MUTUAL' } }, toGateway: { mode: 'SIMPLE', sni: HOST }, subset: false,
    });
    assertValidIstioObjects(objects);

    expect(rows(objects).map(r => [r[1], r[2], r[3], r[6]])).toEqual([['GWTLS', 'error', 'spec.trafficPolicy.tls.mode',
      `set tls mode ISTIO_MUTUAL with sni ${HOST} for port 443 of a DestinationRule for ${GW} in namespace team-a`]]);
  });
});

describe('GWSNI (EGR131) by the server\'s hosts', () => {
  const mutual = (hosts: string[], toGateway: Record<string, unknown>) =>
    egress({ port: 443, protocol: 'TLS', server: { protocol: 'TLS', tls: { mode: 'ISTIO_MUTUAL' }, hosts }, toGateway });

  test('a server for every host (`*`) takes any SNI, even the cluster name the sidecars send without sni', () => {
    const objects = mutual(['*'], { mode: 'ISTIO_MUTUAL' });
    assertValidIstioObjects(objects);

    expect(rows(objects)).toEqual([]);
  });

  test('an sni that one of several hosts covers is accepted', () => {
    const objects = mutual([HOST, 'other.example.com'], { mode: 'ISTIO_MUTUAL', sni: HOST });
    assertValidIstioObjects(objects);

    expect(rows(objects)).toEqual([]);
    expect(rows(mutual(['other.example.com', '*.example.com'], { mode: 'ISTIO_MUTUAL', sni: HOST }))).toEqual([]);
  });

  test('an sni that no host covers: the error names the sni', () => {
    const objects = mutual([HOST], { mode: 'ISTIO_MUTUAL', sni: 'wrong.example.com' });
    assertValidIstioObjects(objects);

    expect(rows(objects)).toEqual([[2, 'GWSNI', 'error', 'spec.subsets[0].trafficPolicy.tls.sni', 'wrong.example.com',
      `the sidecars' Istio mutual TLS to the egress gateway for ${HOST}:443 has sni wrong.example.com, which is none of the hosts of Gateway `
      + `istio-system/egress spec.servers[0] (port 443 TLS, TLS ISTIO_MUTUAL) (${HOST}): the gateway picks its TLS filter chain by SNI, finds none `
      + 'and closes the connection',
      `set sni: ${HOST} beside mode: ISTIO_MUTUAL in team-a/egressgateway`]]);
    // The message lists every host of the server.
    expect(rows(mutual([HOST, 'other.example.com'], { mode: 'ISTIO_MUTUAL', sni: 'wrong.example.com' })).map(r => r[5]))
      .toEqual([expect.stringContaining(`(port 443 TLS, TLS ISTIO_MUTUAL) (${HOST}, other.example.com): the gateway picks`)]);
  });
});

describe('paths without a gateway server', () => {
  test('the sidecars send to a gateway port that has no server (GWSERVER\'s case): nothing to agree with', () => {
    const objects = egress({ port: 443, protocol: 'TLS', server: { protocol: 'TLS', tls: { mode: 'ISTIO_MUTUAL' } }, toGateway: { mode: 'SIMPLE', sni: HOST } });
    objects[3].spec.tls[0].route[0].destination.port.number = 8443;
    assertValidIstioObjects(objects);

    expect(rows(objects)).toEqual([]);
  });

  test('a host the sidecars send to directly, with and without a route of the mesh: no GWTLS or GWSNI', () => {
    const entry = serviceEntry('api', 'team-a', { hosts: [HOST], resolution: 'DNS', ports: [{ number: 9000, name: 'tcp', protocol: 'TCP' }] });
    const route = virtualService('api', 'team-a', { hosts: [HOST], tcp: [{ match: [{ port: 9000 }], route: [{ destination: { host: HOST, port: { number: 9000 } } }] }] });
    assertValidIstioObjects([entry, route]);

    expect(rows([entry])).toEqual([]);
    expect(rows([entry, route])).toEqual([]);
  });
});

describe('DOUBLETLS (EGR134)', () => {
  const entry = (ports: Array<[number, string]>) => serviceEntry('api', 'team-a', {
    hosts: [HOST], resolution: 'DNS', ports: ports.map(([number, protocol]) => ({ number, name: `${protocol.toLowerCase()}-${number}`, protocol })),
  });
  const simpleOn = (port: number) => destinationRule('api', 'team-a', { host: HOST, trafficPolicy: { portLevelSettings: [{ port: { number: port }, tls: { mode: 'SIMPLE' } }] } });

  test('a sidecar that originates TLS on a TLS port it sends to directly: a warning whose fix is an HTTP port', () => {
    const objects = [entry([[443, 'TLS']]), simpleOn(443)];
    assertValidIstioObjects(objects);

    expect(rows(objects)).toEqual([[1, 'DOUBLETLS', 'warning', 'spec.trafficPolicy.portLevelSettings[0].tls.mode', 'SIMPLE',
      `the sidecars of team-a originate TLS (SIMPLE) to ${HOST}:443, a port of protocol TLS whose clients already speak TLS: their TLS is wrapped `
      + 'in a second session, which the host cannot read',
      'originate TLS on an HTTP port instead (a ServiceEntry port of protocol HTTP with targetPort 443, as Istio\'s TLS origination task does), '
      + 'or remove the TLS setting for this port']]);
  });

  test('no DestinationRule, or TLS origination on an HTTP port: no DOUBLETLS', () => {
    expect(rows([entry([[443, 'TLS']])])).toEqual([]);
    const objects = [entry([[80, 'HTTP']]), simpleOn(80)];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
  });

  test('TLS the sidecars originate to the egress gateway is GWTLS\'s matter, not DOUBLETLS', () => {
    const objects = egress({ port: 443, protocol: 'TLS', server: { protocol: 'TLS', tls: { mode: 'ISTIO_MUTUAL' } }, toGateway: { mode: 'SIMPLE', sni: HOST } });
    assertValidIstioObjects(objects);

    expect(rules(objects)).toEqual(['GWTLS']);
  });

  /** Port 80 through the egress gateway (a plain HTTP server), whose route sends it on to the host's `gatewayTo` port. */
  function viaGateway(gatewayTo: number): any[] {
    return [
      gateway('egress', 'istio-system', { selector: { istio: 'egressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: [HOST] }] }),
      destinationRule('egressgateway', 'team-a', { host: GW, subsets: [{ name: 'api' }] }),
      virtualService('api', 'team-a', {
        hosts: [HOST],
        gateways: ['mesh', 'istio-system/egress'],
        http: [
          { match: [{ gateways: ['mesh'], port: 80 }], route: [{ destination: { host: GW, subset: 'api', port: { number: 80 } } }] },
          { match: [{ gateways: ['istio-system/egress'], port: 80 }], route: [{ destination: { host: HOST, port: { number: gatewayTo } } }] },
        ],
      }),
    ];
  }

  test('the rule the egress gateway originates TLS with (Istio\'s egress TLS origination task): the fix moves it to the gateway\'s namespace', () => {
    const objects = [entry([[80, 'HTTP'], [443, 'HTTPS']]), simpleOn(443), ...viaGateway(443)];
    assertValidIstioObjects(objects);

    expect(rows(objects).map(r => [r[0], r[1], r[4], r[6]])).toEqual([[1, 'DOUBLETLS', 'SIMPLE',
      'the rule is for the egress gateway: move it to the gateway\'s namespace (istio-system) with exportTo ["."] '
      + '(or give it a workloadSelector for the gateway pods there), so that the sidecars do not apply it']]);
  });

  test('a gateway that does not originate TLS with the rule: the fix is an HTTP port', () => {
    const objects = [entry([[80, 'HTTP'], [443, 'HTTPS']]), simpleOn(443), ...viaGateway(80)];
    assertValidIstioObjects(objects);

    expect(rows(objects).map(r => [r[0], r[1], r[4], r[6]])).toEqual([[1, 'DOUBLETLS', 'SIMPLE',
      'originate TLS on an HTTP port instead (a ServiceEntry port of protocol HTTP with targetPort 443, as Istio\'s TLS origination task does), '
      + 'or remove the TLS setting for this port']]);
  });
});
