/**
 * Authorization at the egress gateway beyond `allowedClients` (EgressGatewayRoute
 * `authorizationRules`): ALLOW and DENY rules by clients, principals, ports, paths and methods, each
 * limited to the route's host (by the SNI of the mesh's TLS at a gateway, by the ServiceEntry the
 * policy is attached to at a waypoint); and what a policy at the gateway cannot express.
 */
import { App } from 'cdk8s';
import {
  EgressClient, EgressGateway, EgressGatewayRoute, EgressGatewayRouteProps, EgressPort, EgressWaypoint, ExternalHost,
  GatewayApiEgressGateway, GatewayAuthorizationAction,
} from '../src';
import { lintObjects } from '../src/analysis';
import { appWithChart, byKind, synth, synthError } from './support/synth';

function route(
  props: Partial<EgressGatewayRouteProps>, ports = [EgressPort.http(80), EgressPort.https(443)],
): { app: App; route: EgressGatewayRoute } {
  const { app, chart } = appWithChart('shop');
  const host = new ExternalHost(chart, 'Api', { hosts: ['api.example.com'], ports });
  return { app, route: new EgressGatewayRoute(chart, 'Route', { host, gateway: EgressGateway.istioDefault(), ...props }) };
}

const SNI = { key: 'connection.sni', values: ['api.example.com'] };

describe('authorizationRules at an installed gateway', () => {
  test('ALLOW rules join the allowedClients policy; ports become the gateway\'s container ports', () => {
    const { app, route: r } = route({
      allowedClients: [EgressClient.inNamespace('shop')],
      authorizationRules: [{
        clients: [EgressClient.serviceAccount('billing', 'invoicer')],
        principals: ['partner.example/ns/jobs/sa/sync'],
        ports: [80],
        paths: ['/v1/invoices/*'],
        methods: ['GET', 'POST'],
      }],
    });
    const policies = byKind(synth(app), 'AuthorizationPolicy');
    expect(policies).toHaveLength(1);
    expect(policies[0].metadata).toEqual({ name: 'shop-api-example-com-egress', namespace: 'istio-system' });
    expect(policies[0].spec).toEqual({
      selector: { matchLabels: { istio: 'egressgateway' } },
      action: 'ALLOW',
      rules: [
        { from: [{ source: { namespaces: ['shop'] } }], when: [SNI] },
        {
          from: [{ source: { principals: ['cluster.local/ns/billing/sa/invoicer', 'partner.example/ns/jobs/sa/sync'] } }],
          to: [{ operation: { ports: ['8080'], paths: ['/v1/invoices/*'], methods: ['GET', 'POST'] } }],
          when: [SNI],
        },
      ],
    });
    expect(r.denyPolicy).toBeUndefined();
    // The rule's clients in another namespace get the gateway's DestinationRule there, and may use the route.
    expect(r.destinationRules.map(d => d.metadata.namespace)).toEqual(['shop', 'billing']);
    expect(r.allowsNamespace('billing')).toBe(true);
  });

  test('DENY rules go to a DENY policy of their own; ALLOW rules alone make the ALLOW policy', () => {
    const { app, route: r } = route({
      authorizationRules: [
        { action: GatewayAuthorizationAction.DENY, methods: ['DELETE'], ports: [80] },
        { action: GatewayAuthorizationAction.DENY, clients: [EgressClient.inNamespace('sandbox')] },
        { clients: [EgressClient.inNamespace('shop')] },
      ],
    });
    const objects = synth(app);
    const [allow, deny] = byKind(objects, 'AuthorizationPolicy');
    expect(allow.spec.rules).toEqual([{ from: [{ source: { namespaces: ['shop'] } }], when: [SNI] }]);
    expect(deny.metadata).toEqual({ name: 'shop-api-example-com-egress-deny', namespace: 'istio-system' });
    expect(deny.spec).toEqual({
      selector: { matchLabels: { istio: 'egressgateway' } },
      action: 'DENY',
      rules: [
        { to: [{ operation: { ports: ['8080'], methods: ['DELETE'] } }], when: [SNI] },
        { from: [{ source: { namespaces: ['sandbox'] } }], when: [SNI] },
      ],
    });
    expect(r.denyPolicy).toBeDefined();
    expect(lintObjects(objects).filter(f => f.severity === 'error')).toEqual([]);
  });

  test('the Gateway API rendering writes the same policies for the Istio-deployed pods', () => {
    const { app, chart } = appWithChart('shop');
    const gateway = new GatewayApiEgressGateway(chart, 'Gateway', { name: 'egress' });
    const host = new ExternalHost(chart, 'Api', { hosts: ['api.example.com'], ports: [EgressPort.http(80)] });
    new EgressGatewayRoute(chart, 'Route', { host, gateway, authorizationRules: [{ action: GatewayAuthorizationAction.DENY, paths: ['/admin/*'] }] });
    const deny = byKind(synth(app), 'AuthorizationPolicy')[0];
    expect(deny.spec).toEqual({
      selector: { matchLabels: { ...gateway.selector } },
      action: 'DENY',
      rules: [{ to: [{ operation: { paths: ['/admin/*'] } }], when: [SNI] }],
    });
  });
});

describe('authorizationRules refusals', () => {
  test('paths and methods on a port the gateway forwards as TLS', () => {
    const allow = route({ authorizationRules: [{ paths: ['/x'] }] });
    expect(synthError(allow.app)).toContain('authorizationRules[0]: paths and methods are HTTP attributes, and the gateway forwards port 443 as a TLS '
      + 'or TCP stream (an ALLOW rule with them never matches there). Fix: name the HTTP ports in ports, or leave paths and methods out.');
    const deny = route({ authorizationRules: [{ action: GatewayAuthorizationAction.DENY, methods: ['POST'], ports: [443] }] });
    expect(synthError(deny.app)).toContain('(a DENY rule drops them there and denies every connection the rest of the rule matches)');
  });

  test('a port the route does not send through the gateway, an empty list, no mutual TLS', () => {
    expect(synthError(route({ ports: [80], authorizationRules: [{ ports: [443] }] }).app))
      .toContain('authorizationRules[0].ports: 443 is not routed through the gateway by this route (it routes 80). Fix: name routed ports only.');
    expect(synthError(route({ authorizationRules: [{ methods: [] }] }).app))
      .toContain('authorizationRules[0]: an empty list matches nothing in Istio\'s policy.');
    expect(synthError(route({ authorizationRules: [] }).app)).toContain('authorizationRules is empty or not a list.');
    expect(synthError(route({ ports: [80], gatewayMutualTls: false, authorizationRules: [{ methods: ['GET'] }] }).app))
      .toContain('authorizationRules need gatewayMutualTls');
  });

  test('values of the wrong type, as other languages may pass them', () => {
    expect(synthError(route({ authorizationRules: [{ action: 'REJECT' as any }] }).app))
      .toContain('authorizationRules[0].action = "REJECT" is not ALLOW or DENY.');
    expect(synthError(route({ authorizationRules: [{ clients: ['shop' as any] }] }).app))
      .toContain('authorizationRules[0].clients must be a list of EgressClient.');
    expect(synthError(route({ authorizationRules: [{ paths: [7 as any] }] }).app))
      .toContain('authorizationRules[0].paths must be a list of non-empty strings.');
    expect(synthError(route({ authorizationRules: [{ clients: [EgressClient.inNamespace('Bad_NS')] }] }).app))
      .toContain('authorizationRules[0].allowedClients: namespace "Bad_NS" is not a Kubernetes namespace name.');
  });

  test('allowedClients entries that are no EgressClient (a hole, null, a string) are refused by index, not thrown on', () => {
    const sparse: EgressClient[] = [];
    sparse[1] = EgressClient.inNamespace('shop');
    const error = synthError(route({ allowedClients: [...[null, 'billing'] as any[], EgressClient.inNamespace('shop')] }).app);
    expect(error).toContain('[test/Route] allowedClients[0] = null is not an EgressClient. '
      + 'Fix: use EgressClient.inNamespace(namespace) or EgressClient.serviceAccount(namespace, name).');
    expect(error).toContain('allowedClients[1] = billing is not an EgressClient.');
    expect(error).not.toContain('allowedClients[2]');
    expect(error).not.toContain('allowedClients is empty');
    expect(synthError(route({ allowedClients: sparse }).app)).toContain('allowedClients[0] = undefined is not an EgressClient.');
    expect(synthError(route({ allowedClients: 'shop' as any }).app))
      .toContain('allowedClients = shop is not a list. Fix: give a list of EgressClient.inNamespace(...) or EgressClient.serviceAccount(...).');
    // The well-formed list is accepted as before, and null is no list given, as before.
    expect(byKind(synth(route({ allowedClients: [EgressClient.inNamespace('shop')] }).app), 'AuthorizationPolicy')).toHaveLength(1);
    expect(byKind(synth(route({ allowedClients: null as any }).app), 'AuthorizationPolicy')).toHaveLength(0);
  });

  test('at a waypoint: policies attached to the ServiceEntry, the ServiceEntry\'s ports, no SNI condition', () => {
    const { app, chart } = appWithChart('istio-egress');
    const waypoint = new EgressWaypoint(chart, 'Waypoint');
    const host = new ExternalHost(chart, 'Api', { hosts: ['api.example.com'], ports: [EgressPort.http(80), EgressPort.https(443)] });
    const r = new EgressGatewayRoute(chart, 'Route', {
      host,
      gateway: waypoint,
      allowedClients: [EgressClient.inNamespace('shop')],
      authorizationRules: [
        { clients: [EgressClient.inNamespace('billing')], ports: [80], methods: ['GET'] },
        { action: GatewayAuthorizationAction.DENY, ports: [443], clients: [EgressClient.serviceAccount('shop', 'legacy')] },
      ],
    });
    const objects = synth(app);
    const [allow, deny] = byKind(objects, 'AuthorizationPolicy');
    const targetRefs = [{ group: 'networking.istio.io', kind: 'ServiceEntry', name: 'api-example-com' }];
    expect(allow.metadata.namespace).toBe('istio-egress');
    expect(allow.spec).toEqual({
      targetRefs,
      action: 'ALLOW',
      rules: [
        { from: [{ source: { namespaces: ['shop'] } }] },
        { from: [{ source: { namespaces: ['billing'] } }], to: [{ operation: { ports: ['80'], methods: ['GET'] } }] },
      ],
    });
    expect(deny.metadata).toEqual({ name: 'istio-egress-api-example-com-egress-deny', namespace: 'istio-egress' });
    expect(deny.spec).toEqual({
      targetRefs,
      action: 'DENY',
      rules: [{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/legacy'] } }], to: [{ operation: { ports: ['443'] } }] }],
    });
    expect(r.denyPolicy).toBeDefined();
    expect(lintObjects(objects).filter(f => f.severity === 'error')).toEqual([]);
  });
});
