/** IST0162: a Gateway listening on a port that the Service in front of its pods does not forward to. */
import { deployment, found, gateway, pod, server, service } from './objects';
import { assertValidIstioObjects } from '../support/crd-validator';

const EGRESS = { istio: 'egressgateway' };
const gatewayService = service('istio-egressgateway', 'istio-system', {
  selector: EGRESS,
  ports: [{ name: 'http2', port: 80, targetPort: 8080 }, { name: 'https', port: 443, targetPort: 8443 }],
});
const gw = (ports: number[], selector: Record<string, string> = EGRESS) => gateway('gw', 'istio-system', { selector, servers: ports.map(p => server(p, [`p${p}.example.com`])) });

describe('IST0162 GatewayPortNotDefinedOnService', () => {
  test('ports the Service exposes, as port or targetPort, are accepted', () => {
    const objects = [gw([80, 443, 8443]), gatewayService, deployment('istio-egressgateway', 'istio-system', EGRESS, true)];
    expect(found('IST0162', objects)).toEqual([]);
    assertValidIstioObjects(objects);
  });

  test('a port the Service does not expose is reported', () => {
    expect(found('IST0162', [gw([443, 15443]), gatewayService, pod('gw-1', 'istio-system', { ...EGRESS, app: 'x' })])).toEqual([
      '[0] spec.servers[1].port.number: The gateway is listening on a target port (port 15443) that is not defined in the Service associated with its '
      + 'workload instances (Pod selector istio=egressgateway). If you need to access the gateway port through the gateway Service, it will not be available.',
    ]);
  });

  test('the Service may exist only in the cluster (as the constructs declare it), with the gateway pods they route to', () => {
    expect(found('IST0162', [gw([443, 15443])], { cluster: [gatewayService], gatewayPods: [EGRESS] })).toEqual([
      expect.stringContaining('(port 15443) that is not defined in the Service'),
    ]);
    expect(found('IST0162', [gw([443, 15443])], { cluster: [gatewayService] })).toHaveLength(1);
  });

  test('only Services of the namespace of the pods count, and UDP ports do not', () => {
    const elsewhere = service('other', 'team-a', { selector: EGRESS, ports: [{ name: 'tls', port: 15443 }] });
    const udp = service('udp', 'istio-system', { selector: EGRESS, ports: [{ name: 'udp', port: 15443, protocol: 'UDP' }] });
    const pods = deployment('istio-egressgateway', 'istio-system', EGRESS, true);
    expect(found('IST0162', [gw([15443]), gatewayService, elsewhere, udp, pods])).toHaveLength(1);
    expect(found('IST0162', [gw([15443]), gatewayService, { ...elsewhere, metadata: { ...elsewhere.metadata, namespace: 'istio-system' } }, pods])).toEqual([]);
  });

  test('nothing is said without a Service in front of the gateway pods', () => {
    expect(found('IST0162', [gw([15443]), deployment('istio-egressgateway', 'istio-system', EGRESS, true)])).toEqual([]);
    expect(found('IST0162', [gw([15443])])).toEqual([]);
    expect(found('IST0162', [gw([15443], { istio: 'other' }), gatewayService])).toEqual([]);
  });
});
