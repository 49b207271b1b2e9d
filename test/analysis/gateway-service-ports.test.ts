/** IST0162: a Gateway listening on a port that the Service in front of its pods does not forward to. */
import { deployment, found, gateway, pod, server, service } from './objects';
import { analyze } from '../../src/analysis';
import { checkGatewayServicePorts } from '../../src/analysis/gateway-service-ports';
import { ObjectIndex } from '../../src/analysis/model';
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

describe('IST0162: target ports, shared Services, odd servers', () => {
  const pods = deployment('istio-egressgateway', 'istio-system', EGRESS, true);
  const withPorts = (ports: unknown[]) => service('istio-egressgateway', 'istio-system', { selector: EGRESS, ports });

  test('a named targetPort counts only as its port; a numeric one as its number too (IntOrString.IntValue)', () => {
    const named = withPorts([{ name: 'https', port: 443, targetPort: 'https' }]);
    expect(found('IST0162', [gw([443]), named, pods])).toEqual([]);
    expect(found('IST0162', [gw([8443]), named, pods])).toHaveLength(1);
    assertValidIstioObjects([gw([443]), named, pods]);
    // A number written as a string is read as the number (the API server refuses such a targetPort: the objects are not valid).
    expect(found('IST0162', [gw([8443]), withPorts([{ name: 'https', port: 443, targetPort: '8443' }]), pods])).toEqual([]);
  });

  test('the full finding, and the fix naming the ports the Service forwards to', () => {
    const findings = analyze([gw([8080, 9443]), gatewayService, pods]).findings.filter(f => f.code === 'IST0162');
    expect(findings.map(({ field, value, severity, rule }) => ({ field, value, severity, rule }))).toEqual([
      { rule: 'IST0162', severity: 'warning', field: 'spec.servers[1].port.number', value: 9443 },
    ]);
    expect(findings[0].fix).toBe('listen on a port the gateway Service forwards to (80, 443, 8080, 8443), or add port 9443 to the Service');
  });

  test('a Service forwarding no TCP port: every server port is reported, the fix says none', () => {
    const udpOnly = withPorts([{ name: 'dns', port: 53, protocol: 'UDP' }]);
    const findings = analyze([gw([80]), udpOnly, pods]).findings.filter(f => f.code === 'IST0162');
    expect(findings.map(f => f.fix)).toEqual(['listen on a port the gateway Service forwards to (none), or add port 80 to the Service']);
    assertValidIstioObjects([gw([80]), udpOnly, pods]);
  });

  test('Gateways with one selector share the look-up: each is judged', () => {
    const other = (name: string, port: number) => gateway(name, 'istio-system', { selector: EGRESS, servers: [server(port, ['q.example.com'])] });
    expect(found('IST0162', [gw([443]), other('gw2', 15443), other('gw3', 9443), gatewayService, pods]).sort()).toEqual([
      expect.stringMatching(/^\[1\] spec\.servers\[0\]\.port\.number: .*\(port 15443\)/),
      expect.stringMatching(/^\[2\] spec\.servers\[0\]\.port\.number: .*\(port 9443\)/),
    ]);
  });

  test('servers without a port number are passed over (the webhook refuses them), not crashed on', () => {
    const odd = gateway('gw', 'istio-system', { selector: EGRESS, servers: [null, { hosts: ['a.example.com'] }, { port: { number: '80' }, hosts: ['b.example.com'] }] });
    expect(found('IST0162', [odd, gatewayService, pods])).toEqual([]);
    expect(checkGatewayServicePorts(new ObjectIndex([gw([15443]), gatewayService, pods]))).toHaveLength(1);
  });
});
