/**
 * GWSERVER (EGR132) and GWROUTE (EGR133) of gateway-hops.ts, called directly: the message lists every
 * Gateway of the gateway's pods, the namespaces a server's hosts let routes come from, what the gateway
 * does without a route of the server's kind (HTTP: 404; TLS and TCP: closes), and the fixes.
 */
import { destinationRule, gateway, serviceEntry, virtualService } from './objects';
import { checkGatewayHops } from '../../src/analysis/gateway-hops';
import { ObjectIndex } from '../../src/analysis/model';
import { assertValidIstioObjects } from '../support/crd-validator';
import { findingRows } from '../support/findings';

const GW = 'istio-egressgateway.istio-system.svc.cluster.local';
const HOST = 'api.example.com';

interface Server { readonly port: number; readonly protocol: string; readonly tls?: string; readonly hosts?: string[] }

/** One host of `protocol` on `port`, sent by the sidecars of team-a to the gateway's `gatewayPort`; no route bound to the Gateways. */
function egress(port: number, protocol: string, gatewayPort: number, gateways: Array<{ name: string; servers: Server[] }>): any[] {
  const kind = protocol === 'HTTP' ? 'http' : protocol === 'TCP' ? 'tcp' : 'tls';
  const sni = kind === 'tls' ? { sniHosts: [HOST] } : {};
  return [
    serviceEntry('api', 'team-a', { hosts: [HOST], resolution: 'DNS', ports: [{ number: port, name: `${protocol.toLowerCase()}-${port}`, protocol }] }),
    ...gateways.map(g => gateway(g.name, 'istio-system', {
      selector: { istio: 'egressgateway' },
      servers: g.servers.map(s => ({
        port: { number: s.port, name: `p${s.port}`, protocol: s.protocol },
        hosts: s.hosts ?? [HOST],
        ...(s.tls ? { tls: { mode: s.tls } } : {}),
      })),
    })),
    destinationRule('egressgateway', 'team-a', { host: GW, subsets: [{ name: 'api' }] }),
    virtualService('api', 'team-a', {
      hosts: [HOST],
      gateways: ['mesh'],
      [kind]: [{ match: [{ gateways: ['mesh'], port, ...sni }], route: [{ destination: { host: GW, subset: 'api', port: { number: gatewayPort } } }] }],
    }),
  ];
}

const rows = (objects: any[]) => findingRows(checkGatewayHops(new ObjectIndex(objects)));

describe('GWSERVER (EGR132): no server for the host on the gateway port', () => {
  test('the message names every Gateway of the pods; the fix the first', () => {
    const objects = egress(443, 'TLS', 8443, [
      { name: 'egress', servers: [{ port: 443, protocol: 'TLS', tls: 'PASSTHROUGH' }] },
      { name: 'other', servers: [{ port: 443, protocol: 'TLS', tls: 'PASSTHROUGH', hosts: ['other.example.com'] }] },
    ]);
    expect(rows(objects)).toEqual([['GWSERVER', 'error', 'spec.tls[0].route[0].destination', GW,
      `spec.tls[0] sends ${HOST}:443 to the egress gateway ${GW} on port 8443, but no Gateway of its pods (app=istio-egressgateway,istio=egressgateway `
      + `in istio-system: istio-system/egress, istio-system/other) has a server for ${HOST} on port 8443: the gateway refuses the traffic or answers 404`,
      `add a server for ${HOST} on port 8443 to Gateway istio-system/egress, or send the traffic to a gateway port that has one`]]);
    assertValidIstioObjects(objects);
  });
});

describe('GWROUTE (EGR133): a server, but no route bound to its Gateway', () => {
  test('a passed-through TLS server: a tls route is missing, the gateway closes the connection', () => {
    const objects = egress(443, 'TLS', 443, [{ name: 'egress', servers: [{ port: 443, protocol: 'TLS', tls: 'PASSTHROUGH' }] }]);
    expect(rows(objects)).toEqual([['GWROUTE', 'error', 'spec.tls[0].route[0].destination', GW,
      `spec.tls[0] sends ${HOST}:443 to the egress gateway ${GW} on port 443, where istio-system/egress spec.servers[0] takes it, but no VirtualService `
      + `bound to istio-system/egress has a tls route for ${HOST} on port 443: the gateway closes the connection`,
      `add a tls route matching gateways [istio-system/egress] and port 443 that sends ${HOST} to the host, in a VirtualService for `
      + `${HOST} bound to istio-system/egress`]]);
    assertValidIstioObjects(objects);
  });

  test('an HTTP server: an http route is missing, the gateway answers 404', () => {
    const objects = egress(80, 'HTTP', 80, [{ name: 'egress', servers: [{ port: 80, protocol: 'HTTP' }] }]);
    expect(rows(objects).map(r => [r[0], r[4], r[5]])).toEqual([['GWROUTE',
      `spec.http[0] sends ${HOST}:80 to the egress gateway ${GW} on port 80, where istio-system/egress spec.servers[0] takes it, but no VirtualService `
      + `bound to istio-system/egress has a http route for ${HOST} on port 80: the gateway answers 404`,
      `add a http route matching gateways [istio-system/egress] and port 80 that sends ${HOST} to the host, in a VirtualService for `
      + `${HOST} bound to istio-system/egress`]]);
    assertValidIstioObjects(objects);
  });

  test('server hosts of two namespaces: routes may come from either', () => {
    const objects = egress(443, 'TLS', 443, [
      { name: 'egress', servers: [{ port: 443, protocol: 'TLS', tls: 'PASSTHROUGH', hosts: [`team-b/${HOST}`, `team-c/${HOST}`] }] },
    ]);
    expect(rows(objects).map(r => r[4])).toEqual([
      `spec.tls[0] sends ${HOST}:443 to the egress gateway ${GW} on port 443, where istio-system/egress spec.servers[0] takes it, but no VirtualService `
      + `bound to istio-system/egress from namespace team-b or team-c (the server's hosts allow no other) has a tls route for ${HOST} on port 443: `
      + 'the gateway closes the connection',
    ]);
    assertValidIstioObjects(objects);
  });
});
