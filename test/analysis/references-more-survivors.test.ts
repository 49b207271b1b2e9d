/**
 * References of VirtualService destinations (references.ts), the later branches: the port checks of a
 * found host (IST0101 host:port, IST0112 as virtualservice/destinationhosts.go checkServiceEntryPorts
 * reports them), a host hidden from the namespace a gateway runs in, the `name.namespace` slip, and
 * BYPASS: a VirtualService that only a gateway uses, routing to an external host no mesh route sends to it.
 */
import { gateway, server, service, serviceEntry, virtualService } from './objects';
import { ObjectIndex } from '../../src/analysis/model';
import { checkReferences } from '../../src/analysis/references';
import { assertValidIstioObjects } from '../support/crd-validator';
import { helpful } from '../support/findings';

const HOST = 'api.example.com';
const EGRESS = 'egress-svc.istio-system.svc.cluster.local';
const rows = (objects: any[]) => helpful(checkReferences(new ObjectIndex(objects)))
  .map(f => [f.index, f.rule, f.severity, f.field, f.value, f.message, f.fix]);
const rules = (objects: any[]) => rows(objects).map(r => `[${r[0]}] ${r[1]} ${r[3]}`);
const routeTo = (destination: Record<string, unknown>, ns = 'web') =>
  virtualService('to-api', ns, { hosts: ['web.example.com'], http: [{ route: [{ destination }] }] });
const api = (ports: unknown[] = [{ port: 8080, name: 'http' }]) => service('api', 'shop', { ports });
const API = 'api.shop.svc.cluster.local';
const entry = (host = HOST, extra: Record<string, unknown> = {}) => serviceEntry('ext', 'web', {
  hosts: [host], location: 'MESH_EXTERNAL', resolution: 'DNS', ports: [{ number: 443, name: 'tls', protocol: 'TLS' }], ...extra,
});
const egressGateway = () => gateway('egress', 'istio-system', { selector: { istio: 'egressgateway' }, servers: [server(443, [HOST], { protocol: 'TLS', tls: { mode: 'PASSTHROUGH' } })] });
const egressService = () => service('egress-svc', 'istio-system', { ports: [{ port: 443, name: 'tls' }] });
/** The gateway half of the egress gateway task: the gateway sends `hosts` on to `to`. */
const gatewayRoute = (hosts: unknown[], to = HOST, name = 'from-gw') => virtualService(name, 'web', {
  hosts, gateways: ['istio-system/egress'], tls: [{ match: [{ port: 443, sniHosts: [HOST] }], route: [{ destination: { host: to, port: { number: 443 } } }] }],
});
/** The mesh half: sidecars send `hosts` to the egress gateway. */
const meshRoute = (hosts: string[], gateways?: string[]) => virtualService('to-gw', 'web', {
  hosts,
  ...(gateways ? { gateways } : {}),
  tls: [{ match: [{ port: 443, sniHosts: [HOST] }], route: [{ destination: { host: EGRESS, port: { number: 443 } } }] }],
});
const bypass = (index: number, host: string, i: number) => [index, 'BYPASS', 'error', 'spec.gateways', ['istio-system/egress'],
  `the VirtualService sends ${host} from gateway istio-system/egress to the external host, but no VirtualService bound to the mesh `
    + `sends ${host} to that gateway: sidecars reach ${host} directly and the gateway is bypassed`,
  `add "mesh" to spec.gateways with a first route (match gateways [mesh]) to the egress gateway, as in Istio's egress gateway task (field spec.hosts[${i}])`];

describe('ports of a found host (IST0101, IST0112)', () => {
  test('a port the host declares, and no port on a host with one port, are fine', () => {
    const objects = [api(), routeTo({ host: API, port: { number: 8080 } }), routeTo({ host: API })];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
  });

  test('a port the host does not declare lists the ports it does, or none', () => {
    const objects = [api([{ port: 8080, name: 'http' }, { port: 9090, name: 'grpc' }]), routeTo({ host: API, port: { number: 7070 } })];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([[1, 'IST0101', 'error', 'spec.http[0].route[0].destination.port.number', 7070,
      `Referenced host:port not found: "${API}:7070"`, `route to a port ${API} declares (8080, 9090), or declare 7070`]]);
    expect(rows([api([]), routeTo({ host: API, port: { number: 7070 } })]).map(r => r[6])).toEqual([
      `route to a port ${API} declares (none), or declare 7070`,
    ]);
  });

  test('no port on a host with several ports: IST0112', () => {
    const two = api([{ port: 8080, name: 'http' }, { port: 9090, name: 'grpc' }]);
    const objects = [two, routeTo({ host: API })];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([[1, 'IST0112', 'error', 'spec.http[0].route[0].destination.port', undefined,
      `This VirtualService routes to a service "${API}" that exposes multiple ports [8080 9090]. `
        + 'Specifying a port in the destination is required to disambiguate.', 'set destination.port.number']]);
    // With a port it declares, a host with several ports is fine.
    const withPort = [two, routeTo({ host: API, port: { number: 9090 } })];
    assertValidIstioObjects(withPort);
    expect(rows(withPort)).toEqual([]);
  });
});

describe('a host hidden from the gateway\'s namespace (IST0101)', () => {
  test('the message names the gateway and its namespace', () => {
    const objects = [egressGateway(), egressService(), entry(HOST, { exportTo: ['.'] }), gatewayRoute([HOST]), meshRoute([HOST], ['mesh'])];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([[3, 'IST0101', 'error', 'spec.tls[0].route[0].destination.host', HOST,
      `Referenced host not found: "${HOST}" is not exported to namespace istio-system, where gateway istio-system/egress runs`,
      'add "istio-system" to the exportTo of ServiceEntry web/ext']]);
  });
});

describe('the fix for `name.namespace`: only two labels', () => {
  const other = (host: string) => 'add a ServiceEntry for ' + host
    + ', or if one exists in the cluster, give its YAML to the check (lint --cluster <file|dir>; at synth EgressAnalysis.assumeExists)';

  test('three labels ending in a Service\'s `name.namespace` are no slip', () => {
    // x.api.shop.svc.cluster.local is defined (by a ServiceEntry), but x.api.shop is not `name.namespace`.
    const objects = [entry('x.api.shop.svc.cluster.local'), routeTo({ host: 'x.api.shop', port: { number: 443 } })];
    assertValidIstioObjects(objects);
    expect(rows(objects).map(r => r[6])).toEqual([other('x.api.shop')]);
  });

  test('three labels starting with `name.namespace` are no slip', () => {
    const objects = [entry('api.shop.x.svc.cluster.local'), routeTo({ host: 'api.shop.x', port: { number: 443 } })];
    assertValidIstioObjects(objects);
    expect(rows(objects).map(r => r[6])).toEqual([other('api.shop.x')]);
  });
});

describe('BYPASS: a gateway route to an external host without its mesh route', () => {
  test('a VirtualService only the gateway uses', () => {
    const objects = [egressGateway(), egressService(), entry(), gatewayRoute([HOST])];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([bypass(3, HOST, 0)]);
  });

  test('a mesh route for the host (naming mesh, or no gateway) covers it', () => {
    for (const mesh of [meshRoute([HOST], ['mesh']), meshRoute([HOST])]) {
      const objects = [egressGateway(), egressService(), entry(), gatewayRoute([HOST]), mesh];
      assertValidIstioObjects(objects);
      expect(rows(objects)).toEqual([]);
    }
  });

  test('each host of the gateway route without a mesh route is reported, with its index', () => {
    const other = 'other.example.com';
    const objects = [egressGateway(), egressService(), entry(), gatewayRoute([other, HOST]), meshRoute([HOST], ['mesh'])];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([bypass(3, other, 0)]);
  });

  test('a gateway route\'s own hosts are no mesh route', () => {
    // A second gateway-only route for the host does not cover it.
    const objects = [egressGateway(), egressService(), entry(), gatewayRoute([HOST]), gatewayRoute([HOST], HOST, 'again')];
    assertValidIstioObjects(objects);
    expect(rules(objects)).toEqual(['[3] BYPASS spec.gateways', '[4] BYPASS spec.gateways']);
  });

  test('a gateway route to a Kubernetes Service, or to a host no ServiceEntry defines, is no egress', () => {
    const toService = [egressGateway(), egressService(), api([{ port: 443, name: 'tls' }]), gatewayRoute([HOST], API)];
    assertValidIstioObjects(toService);
    expect(rules(toService)).toEqual([]);
    // Defined by a ServiceEntry, a Service host is still no external host.
    const entryForService = [egressGateway(), egressService(), entry(API), gatewayRoute([HOST], API)];
    assertValidIstioObjects(entryForService);
    expect(rules(entryForService)).toEqual([]);
    // Defined by nothing: IST0101 only.
    const undefinedHost = [egressGateway(), egressService(), gatewayRoute([HOST], 'nowhere.example.com')];
    assertValidIstioObjects(undefinedHost);
    expect(rules(undefinedHost)).toEqual(['[2] IST0101 spec.tls[0].route[0].destination.host']);
  });

  test('the message lists every gateway of the VirtualService', () => {
    const second = gateway('egress-b', 'istio-system', { selector: { istio: 'egressgateway' }, servers: [server(443, [HOST], { protocol: 'TLS', tls: { mode: 'PASSTHROUGH' } })] });
    const route = { ...gatewayRoute([HOST]), spec: { ...gatewayRoute([HOST]).spec, gateways: ['istio-system/egress', 'istio-system/egress-b'] } };
    const objects = [egressGateway(), second, egressService(), entry(), route];
    assertValidIstioObjects(objects);
    expect(rows(objects).map(r => [r[1], r[4], r[5]])).toEqual([['BYPASS', ['istio-system/egress', 'istio-system/egress-b'],
      `the VirtualService sends ${HOST} from gateway istio-system/egress, istio-system/egress-b to the external host, but no VirtualService `
        + `bound to the mesh sends ${HOST} to that gateway: sidecars reach ${HOST} directly and the gateway is bypassed`]]);
  });

  test('a mesh-bound VirtualService without spec is read as one without hosts', () => {
    const bare = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'bare', namespace: 'web' } };
    expect(rows([egressGateway(), egressService(), entry(), bare, gatewayRoute([HOST])])).toEqual([bypass(4, HOST, 0)]);
  });

  test('a host that is no string is passed over (the schema refuses it)', () => {
    expect(rows([egressGateway(), egressService(), entry(), gatewayRoute([42, HOST])])).toEqual([bypass(3, HOST, 1)]);
  });
});
