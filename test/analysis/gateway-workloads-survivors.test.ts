/**
 * GatewayWorkloadFinder (gateway-workloads.ts), case by case: which pods are the Gateway's, which
 * Services of their namespace select them, which gateway pods the constructs route to count, the cache
 * key, and objects without spec.
 */
import { deployment, gateway, server, service } from './objects';
import { GatewayWorkloadFinder } from '../../src/analysis/gateway-workloads';
import { ObjectIndex } from '../../src/analysis/model';
import { assertValidIstioObjects } from '../support/crd-validator';

const EGRESS = { istio: 'egressgateway' };
const gw = (selector?: Record<string, string>) =>
  gateway('egress', 'istio-system', { ...(selector ? { selector } : {}), servers: [server(443, ['api.example.com'])] });
const names = (result: { services: Array<{ object: any }>; namespaces: Set<string> } | undefined) => result && {
  services: result.services.map(s => `${s.object.metadata.namespace}/${s.object.metadata.name}`).sort(),
  namespaces: [...result.namespaces].sort(),
};

describe('GatewayWorkloadFinder: known pods', () => {
  test('only the pods the selector matches, and only the Services of their namespace that select them', () => {
    const objects = [
      gw(EGRESS),
      deployment('istio-egressgateway', 'istio-system', { ...EGRESS, app: 'istio-egressgateway' }, true),
      service('istio-egressgateway', 'istio-system', { selector: EGRESS, ports: [{ name: 'https', port: 443 }] }),
      deployment('monitor', 'istio-system', { app: 'monitor' }),
      service('monitor', 'istio-system', { selector: { app: 'monitor' }, ports: [{ name: 'http', port: 80 }] }),
      deployment('app', 'team-a', { app: 'app' }, true),
      service('app', 'team-a', { selector: { app: 'app' }, ports: [{ name: 'http', port: 80 }] }),
    ];
    expect(names(new GatewayWorkloadFinder(new ObjectIndex(objects)).find(objects[0]))).toEqual({
      services: ['istio-system/istio-egressgateway'], namespaces: ['istio-system'],
    });
    assertValidIstioObjects(objects);
  });

  test('a Service without spec counts as one without selector; a Gateway without spec selects every pod', () => {
    const bare = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'bare', namespace: 'istio-system' } };
    const pods = deployment('istio-egressgateway', 'istio-system', EGRESS, true);
    const selecting = service('istio-egressgateway', 'istio-system', { selector: EGRESS, ports: [{ name: 'https', port: 443 }] });
    const noSpec = { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'egress', namespace: 'istio-system' } };
    expect(names(new GatewayWorkloadFinder(new ObjectIndex([noSpec, pods, selecting, bare])).find(noSpec))).toEqual({
      services: ['istio-system/bare', 'istio-system/istio-egressgateway'], namespaces: ['istio-system'],
    });
  });

  test('the cache key does not depend on the order of the selector\'s labels', () => {
    const finder = new GatewayWorkloadFinder(new ObjectIndex([deployment('istio-egressgateway', 'istio-system', { ...EGRESS, app: 'gw' }, true)]));
    expect(finder.find(gw({ istio: 'egressgateway', app: 'gw' }))).toBe(finder.find(gw({ app: 'gw', istio: 'egressgateway' })));
  });
});

describe('GatewayWorkloadFinder: the gateway pods the constructs route to', () => {
  const a = service('a', 'istio-system', { selector: { app: 'a' }, ports: [{ name: 'https', port: 443 }] });

  test('only those the Gateway\'s selector matches', () => {
    const ingress = service('ingress', 'istio-system', { selector: { istio: 'ingressgateway' }, ports: [{ name: 'https', port: 443 }] });
    expect(new GatewayWorkloadFinder(new ObjectIndex([ingress]), [{ istio: 'ingressgateway' }]).find(gw(EGRESS))).toBeUndefined();
  });

  test('a Service that selects one of them is enough', () => {
    const finder = new GatewayWorkloadFinder(new ObjectIndex([a]), [{ ...EGRESS, app: 'a' }, { ...EGRESS, app: 'b' }]);
    expect(names(finder.find(gw(EGRESS)))).toEqual({ services: ['istio-system/a'], namespaces: ['istio-system'] });
  });

  test('none given: a Gateway without selector is matched to no Service, whatever its selector', () => {
    // A selector on the key `0` (a valid label key): it would match the characters of any string taken for labels.
    const odd = service('odd', 'istio-system', { selector: { 0: 'S' }, ports: [{ name: 'https', port: 443 }] });
    expect(new GatewayWorkloadFinder(new ObjectIndex([odd])).find(gw())).toBeUndefined();
    assertValidIstioObjects([odd, gw()]);
  });
});
