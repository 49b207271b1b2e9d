/**
 * IST0162 GatewayPortNotDefinedOnService (gateway-service-ports.ts), the remaining branches: ports with an
 * explicit TCP protocol, named target ports that look like numbers, Services shared or not between Gateways,
 * and objects without spec.
 */
import { gateway, namespace, pod, server, service } from './objects';
import { checkGatewayServicePorts } from '../../src/analysis/gateway-service-ports';
import { ObjectIndex } from '../../src/analysis/model';
import { assertValidIstioObjects } from '../support/crd-validator';
import { helpful } from '../support/findings';

const EGRESS = { istio: 'egressgateway' };
const gw = (ports: number[], selector: Record<string, string> = EGRESS, name = 'gw') =>
  gateway(name, 'istio-system', { selector, servers: ports.map(p => server(p, [`p${p}.example.com`])) });
const withPorts = (ports: unknown[], selector: Record<string, string> = EGRESS, name = 'istio-egressgateway') =>
  service(name, 'istio-system', { selector, ports });
/** The findings as `[index] field = value | fix`. */
const rows = (objects: any[], gatewayPods?: Array<Record<string, string>>) =>
  helpful(checkGatewayServicePorts(new ObjectIndex(objects), gatewayPods)).map(f => `[${f.index}] ${f.field} = ${f.value} | ${f.fix}`);

describe('IST0162: which Service ports a gateway server may listen on', () => {
  test('an explicit TCP port counts; a named targetPort (even one with digits at an end) counts only as its port', () => {
    const egress = withPorts([
      { name: 'http', port: 80 },
      { name: 'https', port: 443, targetPort: 'https-8443' },
      { name: 'tls', port: 15443, targetPort: '8443-tls' },
      { name: 'tcp', port: 31400, protocol: 'TCP' },
    ]);
    const objects = [gw([31400, 9443]), egress];
    assertValidIstioObjects(objects);
    expect(rows(objects, [EGRESS])).toEqual([
      '[0] spec.servers[1].port.number = 9443 | listen on a port the gateway Service forwards to (80, 443, 15443, 31400), or add port 9443 to the Service',
    ]);
  });

  test('a port without a numeric port, or a targetPort neither number nor string, adds nothing (the API server refuses both)', () => {
    const odd = withPorts([{ name: 'a', port: 80, targetPort: ['8443'] }, { name: 'b', port: '443', targetPort: 9443 }]);
    expect(rows([gw([8443, 9443]), odd], [EGRESS])).toEqual([
      '[0] spec.servers[0].port.number = 8443 | listen on a port the gateway Service forwards to (80), or add port 8443 to the Service',
      '[0] spec.servers[1].port.number = 9443 | listen on a port the gateway Service forwards to (80), or add port 9443 to the Service',
    ]);
  });
});

describe('IST0162: Gateways with different Services are judged each against its own', () => {
  test('two Gateways with one Service each: neither takes the other\'s ports', () => {
    const objects = [gw([443], { istio: 'a' }, 'a'), withPorts([{ name: 'https', port: 443 }], { istio: 'a' }, 'a'),
      gw([15443], { istio: 'b' }, 'b'), withPorts([{ name: 'tls', port: 15443 }], { istio: 'b' }, 'b')];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
  });

  test('Services at indices 1 and 2 for one Gateway, at 12 for the other: not the same set of Services', () => {
    const objects = [
      gw([443], { istio: 'a' }, 'a'),
      withPorts([{ name: 'https', port: 443 }], { istio: 'a' }, 'a1'),
      withPorts([{ name: 'http', port: 80 }], { istio: 'a', role: 'x' }, 'a2'),
      gw([15443], { istio: 'b' }, 'b'),
      ...[4, 5, 6, 7, 8, 9, 10, 11].map(i => namespace(`filler-${i}`)),
      withPorts([{ name: 'tls', port: 15443 }], { istio: 'b' }, 'b'),
    ];
    assertValidIstioObjects(objects);
    expect(objects[12].metadata.name).toBe('b');
    expect(rows(objects)).toEqual([]);
  });
});

describe('IST0162: no gateway pods given, objects without spec', () => {
  test('without gateway pods, a Gateway without selector is given no Service, whatever their selectors', () => {
    // A label key "0" is valid; it must not be matched against anything but real pod labels.
    const objects = [gateway('gw', 'istio-system', { servers: [server(443, ['a.example.com'])] }), withPorts([{ name: 'http', port: 80 }], { 0: 'S' })];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
  });

  test('a Gateway without spec has no servers; a Service without spec (the API server wants its ports) forwards no port', () => {
    const bare = { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'bare', namespace: 'istio-system' } };
    expect(rows([bare, withPorts([{ name: 'http', port: 80 }])], [EGRESS])).toEqual([]);
    const noSpec = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'plain', namespace: 'istio-system' } };
    expect(rows([gw([80]), noSpec, pod('gw-1', 'istio-system', EGRESS)])).toEqual([
      '[0] spec.servers[0].port.number = 80 | listen on a port the gateway Service forwards to (none), or add port 80 to the Service',
    ]);
  });
});
