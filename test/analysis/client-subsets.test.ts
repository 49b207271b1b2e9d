/**
 * EGR118 SUBSET_NOT_SEEN: a locked-down namespace uses another namespace's mesh route to a subset
 * whose DestinationRule its sidecars do not read (own namespace, destination's, root only).
 */
import { App, Chart } from 'cdk8s';
import { destinationRule, found, gateway, serviceEntry, sidecar, virtualService } from './objects';
import { EgressGateway, EgressGatewayRoute, EgressLockdown, EgressPort, ExternalHost } from '../../src';
import { analyze } from '../../src/analysis';
import { assertValidIstioObjects } from '../support/crd-validator';
import { byKind, synth, synthError } from '../support/synth';

const GATEWAY_SERVICE = 'istio-egressgateway.istio-system.svc.cluster.local';
const entry = serviceEntry('api', 'default', { hosts: ['api.example.com'], ports: [{ number: 443, name: 'tls', protocol: 'TLS' }], resolution: 'DNS' });
const egressGateway = gateway('egress', 'istio-system', {
  selector: { istio: 'egressgateway' },
  servers: [{ port: { number: 443, name: 'tls', protocol: 'TLS' }, hosts: ['api.example.com'], tls: { mode: 'PASSTHROUGH' } }],
});
const subsetRule = (ns: string, exportTo?: string[]) => destinationRule('to-gateway', ns, {
  host: GATEWAY_SERVICE, subsets: [{ name: 'api' }], ...(exportTo ? { exportTo } : {}),
});
const route = (exportTo?: string[]) => virtualService('api', 'default', {
  hosts: ['api.example.com'],
  gateways: ['mesh', 'istio-system/egress'],
  ...(exportTo ? { exportTo } : {}),
  tls: [
    { match: [{ gateways: ['mesh'], port: 443, sniHosts: ['api.example.com'] }], route: [{ destination: { host: GATEWAY_SERVICE, subset: 'api', port: { number: 443 } } }] },
    { match: [{ gateways: ['istio-system/egress'], port: 443, sniHosts: ['api.example.com'] }], route: [{ destination: { host: 'api.example.com', port: { number: 443 } } }] },
  ],
});
const lockdown = (ns: string, hosts = ['./*', 'istio-system/*', 'default/api.example.com']) => sidecar('lockdown', ns, {
  outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' }, egress: [{ hosts }],
});

describe('EGR118: a locked-down namespace routed to a subset it cannot see', () => {
  test('the route of default, taken by the sidecars of apps, names a subset only default defines', () => {
    const objects = [entry, egressGateway, subsetRule('default'), route(), lockdown('apps')];
    expect(found('EGR118', objects)).toEqual([
      '[3] spec.tls[0].route[0].destination.subset: namespace apps imports api.example.com (Sidecar apps/lockdown) and its sidecars take this '
      + `route of namespace default, but no DestinationRule they see defines subset "api" of ${GATEWAY_SERVICE} (a proxy reads the rules of `
      + 'its own namespace, of istio-system and of the root namespace, not those of default): its sidecars answer 503',
    ]);
    // Exported to every namespace or not, a rule of the route's namespace is not looked up by others.
    expect(found('EGR118', [entry, egressGateway, subsetRule('default', ['*']), route(), lockdown('apps')])).toHaveLength(1);
    assertValidIstioObjects(objects);
  });

  test('not when the subset is defined where the namespace looks, or the namespace does not take the route', () => {
    const clean = (objects: any[]) => expect(found('EGR118', objects)).toEqual([]);
    // A copy of the rule in the client namespace, or the rule in the gateway Service's namespace (exported).
    clean([entry, egressGateway, subsetRule('default'), subsetRule('apps'), route(), lockdown('apps')]);
    clean([entry, egressGateway, subsetRule('istio-system'), route(), lockdown('apps')]);
    // The route is not exported to apps; apps has a route of its own; the Sidecar does not import the host.
    clean([entry, egressGateway, subsetRule('default'), route(['.']), lockdown('apps')]);
    clean([entry, egressGateway, subsetRule('default'), route(), { ...route(), metadata: { name: 'api', namespace: 'apps' } }, lockdown('apps')]);
    // ... also when it names the host by a wildcard; a route of apps bound to a gateway only is not the sidecars'.
    const ownWildcard = { ...route(), metadata: { name: 'api', namespace: 'apps' }, spec: { ...route().spec, hosts: ['*.example.com'] } };
    clean([entry, egressGateway, subsetRule('default'), route(), ownWildcard, lockdown('apps')]);
    const gatewayOnly = { ...route(), metadata: { name: 'api', namespace: 'apps' }, spec: { ...route().spec, gateways: ['istio-system/egress'] } };
    expect(found('EGR118', [entry, egressGateway, subsetRule('default'), route(), gatewayOnly, lockdown('apps')])).toHaveLength(1);
    clean([entry, egressGateway, subsetRule('default'), route(), lockdown('apps', ['./*', 'istio-system/*'])]);
    // The route's own namespace, locked down, reads its own rule.
    clean([entry, egressGateway, subsetRule('default'), route(), lockdown('default')]);
  });

  test('at synth: a lockdown of another namespace listing a routed host is refused with the fix; clientNamespaces writes the rule there', () => {
    const build = (clientNamespaces?: string[]) => {
      const app = new App();
      const chart = new Chart(app, 'test', { namespace: 'default' });
      const host = new ExternalHost(chart, 'Host', { hosts: ['api.example.com'], ports: [EgressPort.https()], clientNamespaces });
      new EgressGatewayRoute(chart, 'Route', { host, gateway: EgressGateway.istioDefault() });
      new EgressLockdown(chart, 'Lockdown', { namespace: 'apps', hosts: [host] });
      return app;
    };
    const error = synthError(build());
    expect(error).toContain('[test/Route] VirtualService api-example-com-egress (EGR118): spec.tls[0].route[0].destination.subset = "api-example-com": '
      + 'namespace apps imports api.example.com (Sidecar apps/egress-lockdown)');
    expect(error).toContain('Fix: define the subset in a DestinationRule in namespace apps too (EgressGatewayRoute: allowedClients, or ExternalHost: '
      + 'clientNamespaces, writes one there), or move the rule to istio-system.');
    const rules = byKind(synth(build(['apps'])), 'DestinationRule').filter(dr => dr.spec.host === GATEWAY_SERVICE);
    expect(rules.map(dr => dr.metadata.namespace).sort()).toEqual(['apps', 'default']);
  });
});

describe('EGR118: routes to a subset of the external host itself, or of another host', () => {
  const tlsPorts = (...numbers: number[]) => numbers.map(n => ({ number: n, name: `tls-${n}`, protocol: 'TLS' }));
  const api = (ports = tlsPorts(443)) => serviceEntry('api', 'egress', { hosts: ['api.example.com'], ports, resolution: 'DNS', location: 'MESH_EXTERNAL' });
  const proxy = serviceEntry('proxy', 'egress', { hosts: ['proxy.example.com'], ports: tlsPorts(443), resolution: 'DNS', location: 'MESH_EXTERNAL' });
  const v1 = (ns: string, host = 'api.example.com') => destinationRule(`v1-${host.split('.')[0]}`, ns, { host, subsets: [{ name: 'v1' }] });
  /** A mesh route of namespace default for api.example.com, on any port, to subset v1 of `host`. */
  const toSubset = (host = 'api.example.com') => virtualService('api', 'default', {
    hosts: ['api.example.com'], tls: [{ match: [{ sniHosts: ['api.example.com'] }], route: [{ destination: { host, subset: 'v1' } }] }],
  });
  const apps = (hosts = ['egress/api.example.com']) => sidecar('lockdown', 'apps', { outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' }, egress: [{ hosts }] });

  test('a subset of the host defined beside its ServiceEntry is seen by every namespace', () => {
    const objects = [api(), v1('egress'), toSubset(), apps()];
    expect(found('EGR118', objects)).toEqual([]);
    assertValidIstioObjects(objects);
  });

  test('a subset of the host defined only in the route\'s namespace: reported once for the route, however many ports take it', () => {
    const objects = [api(tlsPorts(443, 8443)), v1('default'), toSubset(), apps()];
    const findings = analyze(objects).findings.filter(f => f.code === 'EGR118');
    expect(findings).toEqual([{
      index: 2,
      rule: 'SUBSET_NOT_SEEN',
      code: 'EGR118',
      severity: 'error',
      field: 'spec.tls[0].route[0].destination.subset',
      value: 'v1',
      message: 'namespace apps imports api.example.com (Sidecar apps/lockdown) and its sidecars take this route of namespace default, but no '
        + 'DestinationRule they see defines subset "v1" of api.example.com (a proxy reads the rules of its own namespace, of egress and of the '
        + 'root namespace, not those of default): its sidecars answer 503',
      fix: 'define the subset in a DestinationRule in namespace apps too (EgressGatewayRoute: allowedClients, or ExternalHost: clientNamespaces, '
        + 'writes one there), or move the rule to egress',
    }]);
    assertValidIstioObjects(objects);
  });

  test('a subset of another ServiceEntry host whose rule only the route\'s namespace has: the finding names that entry\'s namespace', () => {
    const objects = [api(), proxy, v1('default', 'proxy.example.com'), toSubset('proxy.example.com'), apps(['egress/api.example.com', 'egress/proxy.example.com'])];
    const findings = analyze(objects).findings.filter(f => f.code === 'EGR118');
    expect(findings.map(f => [f.index, f.severity, f.field, f.value])).toEqual([[3, 'error', 'spec.tls[0].route[0].destination.subset', 'v1']]);
    expect(findings[0].message).toContain('no DestinationRule they see defines subset "v1" of proxy.example.com (a proxy reads the rules of its own '
      + 'namespace, of egress and of the root namespace, not those of default)');
    expect(findings[0].fix).toMatch(/, or move the rule to egress$/);
    assertValidIstioObjects(objects);
  });

  // Istio (push_context.go PushContext.destinationRule) looks up the rules of the destination Service's namespace, for a
  // ServiceEntry host the ServiceEntry's namespace: here egress, whose rule defines v1, so the sidecars of apps reach the subset.
  test('a subset of another ServiceEntry host defined beside that ServiceEntry is seen by every namespace', () => {
    const objects = [api(), proxy, v1('default', 'proxy.example.com'), v1('egress', 'proxy.example.com'), toSubset('proxy.example.com'),
      apps(['egress/api.example.com', 'egress/proxy.example.com'])];
    expect(analyze(objects).findings.filter(f => f.code === 'EGR118')).toEqual([]);
    assertValidIstioObjects(objects);
  });

  test('a destination host no ServiceEntry defines: the finding names no namespace it cannot know', () => {
    const objects = [api(), v1('default', 'nowhere.example.com'), toSubset('nowhere.example.com'), apps(['egress/api.example.com'])];
    const findings = analyze(objects).findings.filter(f => f.code === 'EGR118');
    expect(findings.map(f => f.value)).toEqual(['v1']);
    expect(findings[0].fix).toMatch(/, or move the rule to the destination's namespace$/);
  });
});
