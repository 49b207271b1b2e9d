/**
 * The pods of a Gateway and the Services in front of them (gateway-workloads.ts), as Istio's gateway
 * analyzer finds them (gateway/gateway.go: pods the Gateway's selector matches, Services of their
 * namespace whose selector matches them, a Service without selector matching every pod); failing known
 * pods, the gateway pods the constructs route to, or Services whose selector includes the Gateway's.
 */
import { deployment, found, gateway, server, service } from './objects';
import { GatewayWorkloadFinder } from '../../src/analysis/gateway-workloads';
import { ObjectIndex } from '../../src/analysis/model';
import { assertValidIstioObjects } from '../support/crd-validator';

const EGRESS = { istio: 'egressgateway' };
const gw = gateway('egress', 'istio-system', { selector: EGRESS, servers: [server(443, ['api.example.com'])] });
const selecting = service('istio-egressgateway', 'istio-system', { selector: { ...EGRESS, app: 'istio-egressgateway' }, ports: [{ name: 'https', port: 443 }] });
/** A Service without selector (its endpoints written by hand): Istio's analyzer counts it as selecting every pod of its namespace. */
const selectorless = service('manual', 'istio-system', { ports: [{ name: 'tls', port: 15443 }] });
const elsewhere = service('manual', 'other', { ports: [{ name: 'tls', port: 9443 }] });
const pods = deployment('istio-egressgateway', 'istio-system', { ...EGRESS, app: 'istio-egressgateway' }, true);

const names = (result: { services: Array<{ object: any }>; namespaces: Set<string> } | undefined) => result && {
  services: result.services.map(s => `${s.object.metadata.namespace}/${s.object.metadata.name}`).sort(),
  namespaces: [...result.namespaces],
};

describe('GatewayWorkloadFinder', () => {
  test('known pods: the Services of their namespace that select them, a Service without selector among them', () => {
    const finder = new GatewayWorkloadFinder(new ObjectIndex([gw, selecting, selectorless, elsewhere, pods]));
    expect(names(finder.find(gw))).toEqual({ services: ['istio-system/istio-egressgateway', 'istio-system/manual'], namespaces: ['istio-system'] });
    // Found once per selector.
    expect(finder.find(gw)).toBe(finder.find({ ...gw, metadata: { name: 'other', namespace: 'istio-system' } }));
  });

  test('no pods known: Services whose selector includes the Gateway\'s, with the Services without selector of their namespace', () => {
    const finder = new GatewayWorkloadFinder(new ObjectIndex([gw, selecting, selectorless, elsewhere]));
    expect(names(finder.find(gw))).toEqual({ services: ['istio-system/istio-egressgateway', 'istio-system/manual'], namespaces: ['istio-system'] });
    // A Service without selector alone is no evidence of the Gateway's pods.
    expect(new GatewayWorkloadFinder(new ObjectIndex([gw, selectorless, elsewhere])).find(gw)).toBeUndefined();
    // A Gateway without selector is not matched to Services by their selectors.
    expect(new GatewayWorkloadFinder(new ObjectIndex([gw, selecting])).find({ ...gw, spec: { servers: [] } })).toBeUndefined();
  });

  test('the gateway pods the constructs route to: the Services selecting those labels', () => {
    const index = new ObjectIndex([gw, selecting, selectorless]);
    const known = new GatewayWorkloadFinder(index, [{ ...EGRESS, app: 'istio-egressgateway' }]);
    expect(names(known.find(gw))?.services).toEqual(['istio-system/istio-egressgateway', 'istio-system/manual']);
    // Pods of other labels: none of the Services selects them.
    expect(new GatewayWorkloadFinder(index, [{ istio: 'egressgateway' }]).find(gw)).toBeUndefined();
  });

  test('a Service whose selector is no object counts as having none', () => {
    const odd = service('odd', 'istio-system', { selector: 'istio=egressgateway', ports: [{ name: 'tls', port: 15443 }] });
    expect(names(new GatewayWorkloadFinder(new ObjectIndex([gw, odd, pods])).find(gw))?.services).toEqual(['istio-system/odd']);
  });
});

describe('IST0162 through the finder: a Service without selector forwards to the gateway pods', () => {
  const withPort = (port: number) => gateway('egress', 'istio-system', { selector: EGRESS, servers: [server(port, ['api.example.com'])] });

  test('a port of the Service without selector is a port of the gateway', () => {
    const objects = [withPort(15443), selecting, selectorless, pods];
    expect(found('IST0162', objects)).toEqual([]);
    assertValidIstioObjects(objects);
  });

  test('a port of a Service without selector of another namespace is not', () => {
    expect(found('IST0162', [withPort(9443), selecting, selectorless, elsewhere, pods])).toEqual([
      '[0] spec.servers[0].port.number: The gateway is listening on a target port (port 9443) that is not defined in the Service associated with '
      + 'its workload instances (Pod selector istio=egressgateway). If you need to access the gateway port through the gateway Service, it will not be available.',
    ]);
  });
});
