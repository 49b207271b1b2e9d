/**
 * A ServiceEntry port without a protocol (the CRD requires only its number and name): Istio detects the protocol
 * (protocol.Parse("") is Unsupported, which the sidecar listens for as ListenerProtocolAuto, building both an HTTP and
 * a TCP filter chain: pilot/pkg/networking/core/listener.go), so the mesh's `http` routes apply to it, and its `tcp` ones.
 */
import { destinationRule, gateway, server, serviceEntry, virtualService } from './objects';
import { EGRESS_GATEWAY_SERVICE as GW, HOST, portPath, tlsThroughEgressGateway } from './path-fixtures';
import { lintObjects } from '../../src/analysis';
import { PortPath } from '../../src/analysis/paths';
import { assertValidIstioObjects } from '../support/crd-validator';

function portOf(objects: any[], port = 80): PortPath {
  return portPath(objects, port);
}

const entry = (protocol?: string) => serviceEntry('api', 'team-a', {
  hosts: [HOST], resolution: 'DNS', ports: [{ number: 80, name: 'web', ...(protocol === undefined ? {} : { protocol }) }],
});

/** The mesh half of Istio's egress gateway task for HTTP: port 80 to subset `api` of the gateway, then on to the host. */
function throughGateway(block: 'http' | 'tcp'): any[] {
  const routeToGateway = { route: [{ destination: { host: GW, subset: 'api', port: { number: 80 } } }] };
  const routeOut = { route: [{ destination: { host: HOST, port: { number: 80 } } }] };
  return [
    gateway('egress', 'istio-system', { selector: { istio: 'egressgateway' }, servers: [server(80, [HOST], { protocol: 'HTTP' })] }),
    destinationRule('egressgateway', 'team-a', { host: GW, subsets: [{ name: 'api' }] }),
    virtualService('api', 'team-a', {
      hosts: [HOST],
      gateways: ['mesh', 'istio-system/egress'],
      [block]: [{ match: [{ gateways: ['mesh'], port: 80 }], ...routeToGateway }, { match: [{ gateways: ['istio-system/egress'], port: 80 }], ...routeOut }],
    }),
  ];
}

describe('a port without a protocol', () => {
  test('keeps no protocol on the path: it is not taken for TCP', () => {
    const objects = [entry()];
    assertValidIstioObjects(objects);

    expect(portOf(objects).port.protocol).toBe('');
    expect(portOf([entry('TCP')]).port.protocol).toBe('TCP');
  });

  test('is routed by a mesh `http` route to the egress gateway, as an HTTP port is', () => {
    const objects = [entry(), ...throughGateway('http')];
    assertValidIstioObjects(objects);
    const p = portOf(objects);

    expect(p.sidecar).toMatchObject({ via: 'gateway', destination: GW, subset: 'api', traffic: 'plain' });
    expect(p.sidecar.route).toMatchObject({ block: 'http' });
    // A declared TCP port is not: the http routes do not apply to it.
    expect(portOf([entry('TCP'), ...throughGateway('http')]).sidecar.via).toBe('direct');
  });

  test('is routed by a mesh `tcp` route too, as an opaque stream', () => {
    const objects = [entry(), ...throughGateway('tcp')];
    assertValidIstioObjects(objects);
    const p = portOf(objects);

    expect(p.sidecar).toMatchObject({ via: 'gateway', traffic: 'opaque' });
    expect(p.sidecar.route).toMatchObject({ block: 'tcp' });
    // A declared HTTP port is not: the tcp routes do not apply to it.
    expect(portOf([entry('HTTP'), ...throughGateway('tcp')]).sidecar.via).toBe('direct');
  });

  test('without a route it goes direct, its stream unknown', () => {
    expect(portOf([entry()]).sidecar).toMatchObject({ via: 'direct', traffic: 'opaque' });
  });

  test('the port-bypass warning says the protocol is detected rather than naming none', () => {
    // Istio's TLS egress task through the gateway on port 443, with a second port, 80, declared without a protocol.
    const [, ...tlsRouting] = tlsThroughEgressGateway();
    const objects = [
      serviceEntry('api', 'team-a', {
        hosts: [HOST], resolution: 'DNS', ports: [{ number: 80, name: 'web' }, { number: 443, name: 'tls', protocol: 'TLS' }],
      }),
      ...tlsRouting,
    ];
    assertValidIstioObjects(objects);
    const bypass = lintObjects(objects).filter(f => f.code === 'EGR220');

    expect(bypass).toHaveLength(1);
    expect(bypass[0].message).toContain('port 80 (protocol detected) of api.example.com goes from the sidecars straight to the host');
  });
});
