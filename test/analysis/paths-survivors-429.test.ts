/**
 * The egress paths (src/analysis/paths.ts) for the inputs the other tests of the module do not tell apart: which
 * AuthorizationPolicies apply to a gateway's pods, the gateway a route destination leads to (a gateway Service named
 * otherwise, a Gateway API Gateway's Service), the DestinationRule of the gateway hop, and what the sidecar sends.
 */
import { destinationRule, gateway, policy, server, serviceEntry, virtualService } from './objects';
import { HOST, hostPaths as hosts, portPath as portOf, tlsThroughEgressGateway as egress, gatewayApiEgress } from './path-fixtures';
import { label } from '../../src/analysis/model';
import { PortPath } from '../../src/analysis/paths';
import { assertValidIstioObjects } from '../support/crd-validator';

const policies = (p: PortPath) => p.allowed!.policies.map(x => label(x.object));

describe('the AuthorizationPolicies of the gateway pods (Istio: the root namespace and the pods\' own; targetRef policies skip them)', () => {
  const allowTeamA = { action: 'ALLOW', rules: [{ from: [{ source: { namespaces: ['team-a'] } }] }] };

  test('a policy of another namespace does not apply to the gateway pods, even with a selector that matches them', () => {
    const objects = [...egress(), policy('elsewhere', 'team-a', { selector: { matchLabels: { istio: 'egressgateway' } }, ...allowTeamA })];
    assertValidIstioObjects(objects);
    const p = portOf(objects, 443);

    expect(policies(p)).toEqual([]);
    expect(p.allowed).toMatchObject({ verdict: 'anyone', allow: [] });
  });

  test('a policy of the gateway pods\' namespace with a targetRef does not apply to pods of an Istio API gateway', () => {
    const targetRef = { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'egress' };
    const objects = [...egress(), policy('by-ref', 'istio-system', { targetRef, ...allowTeamA })];
    assertValidIstioObjects(objects);

    expect(policies(portOf(objects, 443))).toEqual([]);
    expect(portOf(objects, 443).allowed!.verdict).toBe('anyone');
  });

  test('a policy of the gateway pods\' namespace with targetRefs does not apply to pods of an Istio API gateway', () => {
    const targetRefs = [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'egress' }];
    const objects = [...egress(), policy('by-refs', 'istio-system', { targetRefs, ...allowTeamA })];
    assertValidIstioObjects(objects);

    expect(policies(portOf(objects, 443))).toEqual([]);
    expect(portOf(objects, 443).allowed!.verdict).toBe('anyone');
  });

  test('beside them, the selector policy of the pods\' namespace applies, alone', () => {
    const objects = [
      ...egress(),
      policy('elsewhere', 'team-a', { selector: { matchLabels: { istio: 'egressgateway' } }, action: 'DENY', rules: [{}] }),
      policy('by-ref', 'istio-system', { targetRef: { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'egress' }, action: 'DENY', rules: [{}] }),
      policy('own', 'istio-system', { selector: { matchLabels: { istio: 'egressgateway' } }, ...allowTeamA }),
    ];
    assertValidIstioObjects(objects);

    expect(policies(portOf(objects, 443))).toEqual(['istio-system/own']);
    expect(portOf(objects, 443).allowed).toMatchObject({ verdict: 'listed', allow: [{ namespaces: ['team-a'] }], deny: [] });
  });
});

describe('a gateway Service named otherwise: the gateway beside a Gateway of its namespace that serves the host', () => {
  const RENAMED = 'egress.gateways.svc.cluster.local';
  const OTHER = 'other.example.com';
  const PARTNER = 'partner.mesh-external.svc.cluster.local';
  const toRenamed = (port: number) => ({ route: [{ destination: { host: RENAMED, port: { number: port } } }] });

  /** Two hosts of one ServiceEntry (in the order given) sent by one mesh route to RENAMED; its Gateway serves HOST only. */
  function twoHosts(order: string[]): any[] {
    return [
      serviceEntry('api', 'team-a', { hosts: order, resolution: 'DNS', ports: [{ number: 443, name: 'tls', protocol: 'TLS' }] }),
      gateway('egress', 'gateways', { selector: { gw: 'custom' }, servers: [server(443, [HOST], { protocol: 'TLS', tls: { mode: 'PASSTHROUGH' } })] }),
      virtualService('api', 'team-a', { hosts: order, tls: [{ match: [{ port: 443, sniHosts: order }], ...toRenamed(443) }] }),
    ];
  }

  test.each([[[OTHER, HOST]], [[HOST, OTHER]]])('each host is looked up on its own (hosts %j)', order => {
    const objects = twoHosts(order);
    assertValidIstioObjects(objects);

    expect(portOf(objects, 443).sidecar).toMatchObject({ via: 'gateway', destination: RENAMED });
    expect(portOf(objects, 443).target).toMatchObject({ service: RENAMED, namespace: 'gateways', labels: { gw: 'custom' }, labelsFrom: 'gateway' });
    expect(label(portOf(objects, 443).server!.gateway.object)).toBe('gateways/egress');
    // The Gateway beside the Service does not serve the other host: nothing says the Service is a gateway for it.
    expect(portOf(objects, 443, OTHER).sidecar).toMatchObject({ via: 'direct', destination: RENAMED });
    expect(portOf(objects, 443, OTHER).target).toBeUndefined();
  });

  test('a route to it does not make a Kubernetes Service host an egress host: without a host to serve, the destination is no gateway', () => {
    const objects = [
      serviceEntry('api', 'team-a', { hosts: [HOST], resolution: 'DNS', ports: [{ number: 9000, name: 'tcp', protocol: 'TCP' }] }),
      gateway('egress', 'gateways', { selector: { gw: 'custom' }, servers: [server(9000, ['*'], { protocol: 'TCP' })] }),
      virtualService('api', 'team-a', { hosts: [HOST, PARTNER], tcp: [{ match: [{ port: 9000 }], ...toRenamed(9000) }] }),
    ];
    assertValidIstioObjects(objects);

    // The ServiceEntry host, looked up by its name, reaches the gateway beside the Gateway for `*`.
    expect(portOf(objects, 9000).target).toMatchObject({ namespace: 'gateways', labelsFrom: 'gateway' });
    expect(hosts(objects).map(h => h.host)).toEqual([HOST]);
  });
});

describe('a Gateway API Gateway of class istio: the pods behind its Service `<name>-istio`', () => {
  const objects = gatewayApiEgress();

  test('the mesh route to the Service leads to the Gateway\'s pods, labelled with its name, even without the Service among the objects', () => {
    assertValidIstioObjects(objects);
    const p = portOf(objects, 80);

    expect(p.sidecar).toMatchObject({ via: 'gateway', destination: 'api-egress-istio.egress.svc.cluster.local', destinationPort: 80, traffic: 'plain' });
    expect(p.target).toMatchObject({
      service: 'api-egress-istio.egress.svc.cluster.local',
      namespace: 'egress',
      labels: { 'gateway.networking.k8s.io/gateway-name': 'api-egress' },
      labelsFrom: 'gateway-api',
    });
    expect(p.target!.gateways.map(g => g.index)).toEqual([1]);
    expect(p.gatewayHop).toMatchObject({ destination: HOST, destinationPort: 80 });
  });
});

describe('the gateway hop\'s DestinationRule', () => {
  test('a rule for the host without TLS is still the one the gateway pods apply', () => {
    const objects = [...egress(), destinationRule('api-pool', 'team-a', { host: HOST, trafficPolicy: { connectionPool: { tcp: { maxConnections: 10 } } } })];
    assertValidIstioObjects(objects);
    const hop = portOf(objects, 443).gatewayHop!;

    expect(label(hop.destinationRule!.object)).toBe('team-a/api-pool');
    expect(hop.tlsOrigination).toBeUndefined();
  });
});

describe('what the sidecar sends (SidecarHop.traffic)', () => {
  const entry = serviceEntry('api', 'team-a', {
    hosts: [HOST],
    resolution: 'DNS',
    ports: [{ number: 80, name: 'http', protocol: 'HTTP', targetPort: 443 }, { number: 9000, name: 'tcp', protocol: 'TCP' }],
  });

  test('plain HTTP on an HTTP port without a route or a rule; opaque on a TCP port', () => {
    assertValidIstioObjects([entry]);

    expect(portOf([entry], 80).sidecar).toMatchObject({ via: 'direct', traffic: 'plain' });
    expect(portOf([entry], 80).sidecar.route).toBeUndefined();
    expect(portOf([entry], 9000).sidecar.traffic).toBe('opaque');
  });

  test('TLS when the sidecars originate it (SIMPLE) on the HTTP port, as in Istio\'s TLS origination task', () => {
    const origination = destinationRule('origination', 'team-a', {
      host: HOST, trafficPolicy: { portLevelSettings: [{ port: { number: 80 }, tls: { mode: 'SIMPLE' } }] },
    });
    const objects = [entry, origination];
    assertValidIstioObjects(objects);

    expect(portOf(objects, 80).sidecar).toMatchObject({ via: 'direct', tls: { mode: 'SIMPLE' }, traffic: 'tls' });
    expect(portOf(objects, 9000).sidecar.traffic).toBe('opaque');
  });
});
