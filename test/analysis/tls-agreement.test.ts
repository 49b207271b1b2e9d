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
import { trafficText } from '../../src/analysis/tls-agreement';
import { explainObjects } from '../../src/cli/explain';
import { parseObjects } from '../../src/cli/input';
import { codeOf } from '../../src/rules/codes';
import { assertValidIstioObjects } from '../support/crd-validator';

const GW = 'istio-egressgateway.istio-system.svc.cluster.local';
const HOST = 'api.example.com';

interface Shape {
  /** The ServiceEntry's port (the sidecars send it to the same port of the gateway Service). */
  readonly port: number;
  readonly protocol: string;
  /** The Gateway server on that port. */
  readonly server: { protocol: string; tls?: Record<string, unknown> };
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
      servers: [{ port: { number: port, name: `p${port}`, protocol: server.protocol }, hosts: [HOST], ...(server.tls ? { tls: server.tls } : {}) }],
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
