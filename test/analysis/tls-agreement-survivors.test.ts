/**
 * GWTLS (EGR130), GWSNI (EGR131) and DOUBLETLS (EGR134) of tls-agreement.ts, called directly: what each server TLS mode
 * accepts (PASSTHROUGH, SIMPLE, none on TCP and HTTP servers), the SNI a server's hosts accept (`*`, several hosts, a
 * wrong sni), paths without a server (direct, or no server on the gateway port), and the fixes of DOUBLETLS.
 */
import { destinationRule, gateway, serviceEntry, virtualService } from './objects';
import { ObjectIndex } from '../../src/analysis/model';
import { checkTlsAgreement } from '../../src/analysis/tls-agreement';
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
  const passthrough = server.tls?.mode === 'PASSTHROUGH';
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

/** The findings as rows: [index, rule, severity, field, value, message, fix]. */
const rows = (objects: any[]) => helpful(checkTlsAgreement(new ObjectIndex(objects)))
  .map(f => [f.index, f.rule, f.severity, f.field, f.value, f.message, f.fix]);
const rules = (objects: any[]) => checkTlsAgreement(new ObjectIndex(objects)).map(f => f.rule);

const WHERE = 'it arrives at Gateway istio-system/egress spec.servers[0]';

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
