/**
 * PORTBYPASS (EGR220, warning): a ServiceEntry host some of whose ports the sidecars send through an
 * egress gateway while another goes from the sidecars straight out. Istio routes each port on its own
 * (a mesh VirtualService route matching port 80 says nothing of port 443), as its egress gateway tasks show.
 */
import { destinationRule, gateway, service, serviceEntry, virtualService } from './objects';
import { ObjectFinding, analyze } from '../../src/analysis';
import { ObjectIndex } from '../../src/analysis/model';
import { egressPaths } from '../../src/analysis/paths';
import { portBypassOnPath } from '../../src/analysis/port-bypass';
import { assertValidIstioObjects } from '../support/crd-validator';

const GW = 'istio-egressgateway.istio-system.svc.cluster.local';
const HOST = 'api.example.com';
const REF = 'istio-system/egress';

const entry = (ports: Array<[number, string]>) => serviceEntry('api', 'team-a', {
  hosts: [HOST], resolution: 'DNS', location: 'MESH_EXTERNAL', ports: ports.map(([number, protocol]) => ({ number, name: `${protocol.toLowerCase()}-${number}`, protocol })),
});
const egressGateway = (ports: number[]) => gateway('egress', 'istio-system', {
  selector: { istio: 'egressgateway' },
  servers: ports.map(p => ({ port: { number: p, name: `http-${p}`, protocol: 'HTTP' }, hosts: [HOST] })),
});
const toGateway = destinationRule('egressgateway', 'team-a', { host: GW, subsets: [{ name: 'api' }] });
/** HTTP routes: each port of `routed` from the sidecars to the gateway, and from the gateway to `to` (host and port). */
const routes = (routed: number[], to: (port: number) => { host: string; port: number } = port => ({ host: HOST, port })) => virtualService('api', 'team-a', {
  hosts: [HOST],
  gateways: ['mesh', REF],
  http: routed.flatMap(port => [
    { match: [{ gateways: ['mesh'], port }], route: [{ destination: { host: GW, subset: 'api', port: { number: port } } }] },
    { match: [{ gateways: [REF], port }], route: [{ destination: { host: to(port).host, port: { number: to(port).port } } }] },
  ]),
});
const originate = destinationRule('originate', 'istio-system', {
  host: HOST,
  workloadSelector: { matchLabels: { istio: 'egressgateway' } },
  trafficPolicy: { portLevelSettings: [{ port: { number: 443 }, tls: { mode: 'SIMPLE' } }] },
});

const bypasses = (objects: any[]): ObjectFinding[] => analyze(objects).findings.filter(f => f.code === 'EGR220');

describe('PORTBYPASS (EGR220)', () => {
  test('every port through the gateway, or every port direct: accepted', () => {
    const all = [entry([[80, 'HTTP'], [8080, 'HTTP']]), egressGateway([80, 8080]), toGateway, routes([80, 8080])];
    expect(bypasses(all)).toEqual([]);
    expect(bypasses([entry([[80, 'HTTP'], [443, 'HTTPS']])])).toEqual([]);
    assertValidIstioObjects(all);
  });

  test('one port direct beside two routed ones: the finding names both routed ports', () => {
    const objects = [entry([[80, 'HTTP'], [8080, 'HTTP'], [443, 'HTTPS']]), egressGateway([80, 8080]), toGateway, routes([80, 8080])];
    expect(bypasses(objects)).toEqual([{
      index: 0,
      rule: 'PORTBYPASS',
      code: 'EGR220',
      severity: 'warning',
      field: 'spec.ports[2]',
      value: 443,
      message: `port 443 (HTTPS) of ${HOST} goes from the sidecars straight to the host, while ports 80, 8080 go through the egress gateway ${GW}: `
        + 'traffic on port 443 bypasses the gateway and its policies',
      fix: 'route port 443 through the gateway as well (a mesh route for the port to the gateway, a Gateway server and a route bound to it), '
        + 'or, if clients may reach it directly, acknowledge EGR220',
    }]);
    assertValidIstioObjects(objects);
  });

  test('the direct port is where the gateway originates TLS to (Istio\'s TLS origination task): said so, still a warning', () => {
    const objects = [entry([[80, 'HTTP'], [443, 'HTTPS']]), egressGateway([80]), toGateway, routes([80], () => ({ host: HOST, port: 443 })), originate];
    expect(bypasses(objects).map(f => [f.severity, f.field, f.message])).toEqual([['warning', 'spec.ports[1]',
      `port 443 (HTTPS) of ${HOST} goes from the sidecars straight to the host, while port 80 goes through the egress gateway ${GW}: `
      + 'traffic on port 443 bypasses the gateway and its policies (the gateway sends port 80 to port 443 and originates TLS (SIMPLE, '
      + 'DestinationRule istio-system/originate), so the port must stay declared, and the sidecars can use it as well)']]);
    assertValidIstioObjects(objects);
  });

  test('the gateway sending to the direct port without originating TLS: the note without origination', () => {
    const objects = [entry([[80, 'HTTP'], [443, 'HTTPS']]), egressGateway([80]), toGateway, routes([80], () => ({ host: HOST, port: 443 }))];
    expect(bypasses(objects).map(f => f.message)).toEqual([expect.stringMatching(
      /bypasses the gateway and its policies \(the gateway sends port 80 to port 443, so the port must stay declared, and the sidecars can use it as well\)$/)]);
  });

  test('the gateway sending to that port number of another host: no note', () => {
    const other = serviceEntry('other', 'team-a', { hosts: ['other.example.com'], resolution: 'DNS', ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }] });
    const objects = [entry([[80, 'HTTP'], [443, 'HTTPS']]), other, egressGateway([80]), toGateway, routes([80], () => ({ host: 'other.example.com', port: 443 }))];
    expect(bypasses(objects).map(f => f.message)).toEqual([expect.stringMatching(/bypasses the gateway and its policies$/)]);
  });

  test('ports routed to two gateways: the finding names both gateway Services', () => {
    const second = 'egress-b.istio-system.svc.cluster.local';
    const secondService = service('egress-b', 'istio-system', { selector: { istio: 'egress-b' }, ports: [{ port: 8080, name: 'http-8080' }] });
    const secondGateway = gateway('egress-b', 'istio-system', {
      selector: { istio: 'egress-b' }, servers: [{ port: { number: 8080, name: 'http-8080', protocol: 'HTTP' }, hosts: [HOST] }],
    });
    const split = virtualService('api', 'team-a', {
      hosts: [HOST],
      gateways: ['mesh', REF, 'istio-system/egress-b'],
      http: [
        { match: [{ gateways: ['mesh'], port: 80 }], route: [{ destination: { host: GW, port: { number: 80 } } }] },
        { match: [{ gateways: ['mesh'], port: 8080 }], route: [{ destination: { host: second, port: { number: 8080 } } }] },
        { match: [{ gateways: [REF, 'istio-system/egress-b'] }], route: [{ destination: { host: HOST } }] },
      ],
    });
    const objects = [entry([[80, 'HTTP'], [8080, 'HTTP'], [443, 'HTTPS']]), egressGateway([80]), secondService, secondGateway, split];
    expect(bypasses(objects).map(f => f.message)).toEqual([
      `port 443 (HTTPS) of ${HOST} goes from the sidecars straight to the host, while ports 80, 8080 go through the egress gateway ${GW}, ${second}: `
      + 'traffic on port 443 bypasses the gateway and its policies',
    ]);
    assertValidIstioObjects(objects);
  });

  // An in-mesh Service is no way out of the mesh: its direct ports bypass nothing.
  test('a Kubernetes Service host, one port routed to the gateway and another not: no finding', () => {
    const H = 'api.shop.svc.cluster.local';
    const api = service('api', 'shop', { ports: [{ port: 80, name: 'http' }, { port: 8080, name: 'http-alt' }] });
    const own = virtualService('direct', 'shop', { hosts: [H], http: [{ match: [{ port: 80 }], route: [{ destination: { host: H } }] }] });
    const out = virtualService('to-gateway', 'shop', {
      hosts: [H], gateways: ['mesh'], http: [80, 8080].map(port => ({ match: [{ port }], route: [{ destination: { host: GW, port: { number: port } } }] })),
    });
    const objects = [egressGateway([80, 8080]), api, own, out];
    const [path] = egressPaths(new ObjectIndex(objects)).hosts;
    // The precondition of a bypass: a direct port beside a routed one.
    expect([path.definitionKind, path.ports.map(p => [p.port.number, p.sidecar.via])]).toEqual(['Service', [[80, 'direct'], [8080, 'gateway']]]);
    expect(bypasses(objects)).toEqual([]);
    // Without the Service, the VirtualService defines the host: not reported either.
    expect(bypasses([egressGateway([80, 8080]), own, out])).toEqual([]);
    assertValidIstioObjects(objects);
  });

  test('a port path without a ServiceEntry field (a port only a route names) is reported at spec.ports', () => {
    const host = egressPaths(new ObjectIndex([entry([[80, 'HTTP'], [443, 'HTTPS']]), egressGateway([80]), toGateway, routes([80])])).hosts[0];
    const direct = host.ports.find(p => p.sidecar.via === 'direct')!;
    const { field: _, ...unnamed } = direct.port;
    expect(portBypassOnPath(host, { ...direct, port: unnamed }).map(f => [f.field, f.value])).toEqual([['spec.ports', 443]]);
    // The routed port itself is no bypass.
    expect(portBypassOnPath(host, host.ports.find(p => p.sidecar.via === 'gateway')!)).toEqual([]);
  });
});
