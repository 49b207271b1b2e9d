/**
 * A Gateway without a selector: Istio applies it to every gateway proxy (pilot PushContext.mergeGateways, "no selector.
 * Applies to all workloads asking for the gateway"), so its servers are on the egress gateway's pods too.
 */
import { deployment, gateway, service, serviceEntry, virtualService } from './objects';
import { lintObjects } from '../../src/analysis';
import { ObjectIndex, label } from '../../src/analysis/model';
import { gatewayTarget } from '../../src/analysis/path-lookups';
import { egressPaths } from '../../src/analysis/paths';
import { assertValidIstioObjects } from '../support/crd-validator';

const GW = 'istio-egressgateway.istio-system.svc.cluster.local';
const HOST = 'api.example.com';
const passthrough = (hosts: string[]) => ({ port: { number: 443, name: 'tls', protocol: 'TLS' }, hosts, tls: { mode: 'PASSTHROUGH' } });
const selecting = gateway('egress', 'istio-system', { selector: { istio: 'egressgateway' }, servers: [passthrough(['other.example.com'])] });
const bare = gateway('shared', 'istio-system', { servers: [passthrough([HOST])] });

describe('a Gateway without a selector configures every gateway proxy', () => {
  test('beside a Gateway that selects the pods, it is one of theirs; alone, nothing says the Service is a gateway\'s', () => {
    assertValidIstioObjects([selecting, bare]);

    expect(gatewayTarget(new ObjectIndex([selecting, bare]), GW)?.gateways.map(g => label(g.object))).toEqual(['istio-system/egress', 'istio-system/shared']);
    expect(gatewayTarget(new ObjectIndex([bare]), GW)).toBeUndefined();
    // An empty selector is no selector (an empty label set is a subset of every pod's labels).
    const empty = gateway('shared', 'istio-system', { selector: {}, servers: [passthrough([HOST])] });
    expect(gatewayTarget(new ObjectIndex([selecting, empty]), GW)?.gateways).toHaveLength(2);
  });

  test('pods known from their workload: a Gateway without a selector alone does not make their Service a gateway\'s', () => {
    const objects = [bare, service('istio-egressgateway', 'istio-system', { selector: { istio: 'egressgateway' }, ports: [{ port: 443, name: 'tls' }] }),
      deployment('istio-egressgateway', 'istio-system', { istio: 'egressgateway' }, true)];
    assertValidIstioObjects(objects);

    expect(gatewayTarget(new ObjectIndex(objects), GW)).toBeUndefined();
    expect(gatewayTarget(new ObjectIndex([selecting, ...objects]), GW)).toMatchObject({ labelsFrom: 'workload', gateways: [{ index: 0 }, { index: 1 }] });
  });

  test('on the path: the egress gateway uses the server of the Gateway without a selector, and its route', () => {
    const objects = [
      serviceEntry('api', 'team-a', { hosts: [HOST], resolution: 'DNS', ports: [{ number: 443, name: 'tls', protocol: 'TLS' }] }),
      selecting, bare,
      virtualService('api', 'team-a', {
        hosts: [HOST],
        gateways: ['mesh', 'istio-system/shared'],
        tls: [
          { match: [{ gateways: ['mesh'], port: 443, sniHosts: [HOST] }], route: [{ destination: { host: GW, port: { number: 443 } } }] },
          { match: [{ gateways: ['istio-system/shared'], port: 443, sniHosts: [HOST] }], route: [{ destination: { host: HOST, port: { number: 443 } } }] },
        ],
      }),
      deployment('istio-egressgateway', 'istio-system', { app: 'istio-egressgateway', istio: 'egressgateway' }, true),
    ];
    assertValidIstioObjects(objects);
    const [p] = egressPaths(new ObjectIndex(objects)).hosts[0].ports;

    expect(label(p.server!.gateway.object)).toBe('istio-system/shared');
    expect(p.gatewayHop).toMatchObject({ route: { field: 'spec.tls[1]', block: 'tls' }, destination: HOST });
    expect(lintObjects(objects).filter(f => f.severity === 'error').map(f => `${f.code} ${f.message}`)).toEqual([]);
  });
});
