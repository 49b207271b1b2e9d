/**
 * An ExternalHost that names the namespaces that use it (clientNamespaces): exportTo follows without a
 * route or a lockdown, and the EgressLockdown of each client namespace lets its workloads see the host
 * as if its `hosts` listed it.
 */
import { App, Chart } from 'cdk8s';
import {
  EgressAnalysis, EgressGateway, EgressGatewayRoute, EgressLockdown, EgressPort, ExportTo, ExternalHost, ExternalHostProps, Resolution,
} from '../src';
import { appWithChart, byKind, oneOfKind, synth, synthError } from './support/synth';

function hostsApp(props: Partial<ExternalHostProps>): { app: App; hosts: Chart; shop: Chart; host: ExternalHost } {
  const app = new App();
  const hosts = new Chart(app, 'hosts', { namespace: 'egress-hosts' });
  const shop = new Chart(app, 'shop', { namespace: 'shop' });
  const host = new ExternalHost(hosts, 'Api', { hosts: ['api.example.com'], ports: [EgressPort.https()], ...props });
  return { app, hosts, shop, host };
}

describe('exportTo follows the client namespaces', () => {
  test('ExportTo.whereUsed() exports to them without a route or a lockdown (repeats written once)', () => {
    const { app, host } = hostsApp({ exportTo: ExportTo.whereUsed(), clientNamespaces: ['shop', 'billing', 'shop'] });
    expect(host.clientNamespaces).toEqual(['shop', 'billing']);
    expect(oneOfKind(synth(app), 'ServiceEntry').spec.exportTo).toEqual(['.', 'billing', 'shop']);
  });

  test('an explicit exportTo that includes them, or every namespace acknowledged, is accepted', () => {
    const { app } = hostsApp({ exportTo: ExportTo.namespaces('.', 'shop'), clientNamespaces: ['shop', 'egress-hosts'] });
    expect(oneOfKind(synth(app), 'ServiceEntry').spec.exportTo).toEqual(['.', 'shop']);
    const everywhere = hostsApp({ exportTo: ExportTo.everywhere(), clientNamespaces: ['shop'] });
    EgressAnalysis.acknowledge(everywhere.host, 'EGR203', 'a shared API');
    expect(oneOfKind(synth(everywhere.app), 'ServiceEntry').spec.exportTo).toEqual(['*']);
  });

  test('an explicit exportTo that leaves one out is refused, once, even with a lockdown of that namespace', () => {
    const { app, shop } = hostsApp({ exportTo: ExportTo.sameNamespace(), clientNamespaces: ['shop'] });
    new EgressLockdown(shop, 'Lockdown', { namespace: 'shop', networkPolicy: false });
    const error = synthError(app);
    expect(error).toContain('[hosts/Api] clientNamespaces[0] = "shop": exportTo = ["."] does not export the host to it, so its workloads '
      + 'cannot see the host. Fix: use exportTo: ExportTo.whereUsed() (it exports to the client namespaces), or add "shop" to ExportTo.namespaces(...).');
    // The lockdown does not import a host it cannot see, so it does not report the same problem again (EGR109).
    expect(error).not.toContain('EGR109');
  });

  test('an exportTo that leaves one out and has an invalid entry gets both errors: one cause does not hide the other', () => {
    const { app } = hostsApp({ exportTo: ExportTo.namespaces('.', 'shop_1'), clientNamespaces: ['shop'] });
    const error = synthError(app);
    expect(error).toContain('[hosts/Api] clientNamespaces[0] = "shop": exportTo = [".","shop_1"] does not export the host to it');
    expect(error).toContain('spec.exportTo[1] = "shop_1"');
  });

  test.each([
    ['*', 'clientNamespaces[0] = "*": not a namespace name. Fix: name the client namespaces; for every namespace use exportTo: ExportTo.everywhere() '
      + '(EGR203, acknowledged), for the host\'s own namespace its name.'],
    ['.', 'clientNamespaces[0] = ".": not a namespace name.'],
    ['Shop', 'clientNamespaces[0] = "Shop": not a Kubernetes namespace name. Fix: use lower-case letters, digits and dashes, at most 63 characters.'],
  ])('refuses the client namespace %s', (ns, message) => {
    const { app } = hostsApp({ exportTo: ExportTo.whereUsed(), clientNamespaces: [ns] });
    expect(synthError(app)).toContain(`[hosts/Api] ${message}`);
  });
});

describe('the lockdown of a client namespace lets its workloads see the host', () => {
  test('a host reached directly: the Sidecar imports it where it is defined, the NetworkPolicy allows its addresses', () => {
    const { app, shop } = hostsApp({
      exportTo: ExportTo.whereUsed(), clientNamespaces: ['shop'], resolution: Resolution.NONE, addresses: ['203.0.113.0/24'],
    });
    new EgressLockdown(shop, 'Lockdown', { namespace: 'shop' });
    const objects = synth(app);
    expect(oneOfKind(objects, 'Sidecar').spec.egress[0].hosts).toEqual(['./*', 'istio-system/*', 'egress-hosts/api.example.com']);
    expect(oneOfKind(objects, 'NetworkPolicy').spec.egress).toContainEqual({
      to: [{ ipBlock: { cidr: '203.0.113.0/24' } }], ports: [{ protocol: 'TCP', port: 443 }],
    });
  });

  test('a routed host: the route\'s DestinationRule for the gateway\'s Service goes to the client namespace too, the gateway\'s pods are allowed', () => {
    const { app, hosts, shop, host } = hostsApp({ exportTo: ExportTo.whereUsed(), clientNamespaces: ['shop'] });
    new EgressGatewayRoute(hosts, 'Route', { host, gateway: EgressGateway.istioDefault() });
    new EgressLockdown(shop, 'Lockdown', { namespace: 'shop' });
    const objects = synth(app);
    expect(oneOfKind(objects, 'Sidecar').spec.egress[0].hosts).toEqual(['./*', 'istio-system/*', 'egress-hosts/api.example.com']);
    expect(oneOfKind(objects, 'NetworkPolicy').spec.egress[0]).toEqual({
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'istio-system' } }, podSelector: { matchLabels: { istio: 'egressgateway' } } }],
    });
    expect(oneOfKind(objects, 'ServiceEntry').spec.exportTo).toEqual(['.', 'istio-system', 'shop']);
    // Sidecars of shop look the subset up in shop, istio-system and the root namespace, not in egress-hosts.
    const rules = byKind(objects, 'DestinationRule');
    expect(rules.map(o => [o.metadata.namespace, o.spec.host, o.spec.subsets[0].name])).toEqual([
      ['egress-hosts', 'istio-egressgateway.istio-system.svc.cluster.local', 'api-example-com'],
      ['shop', 'istio-egressgateway.istio-system.svc.cluster.local', 'api-example-com'],
    ]);
    expect(rules[1].spec).toEqual(rules[0].spec);
  });

  test('the lockdowns of other namespaces do not see it; one listing it in hosts as well imports it once', () => {
    const { app, host } = hostsApp({ exportTo: ExportTo.whereUsed(), clientNamespaces: ['shop'], addresses: ['203.0.113.7'] });
    const other = new Chart(app, 'billing', { namespace: 'billing' });
    new EgressLockdown(other, 'Lockdown', { namespace: 'billing', networkPolicy: false });
    new EgressLockdown(app.node.findChild('shop') as Chart, 'Lockdown', { namespace: 'shop', hosts: [host], networkPolicy: false });
    const sidecars = byKind(synth(app), 'Sidecar');
    expect(sidecars.map(s => [s.metadata.namespace, s.spec.egress[0].hosts]).sort()).toEqual([
      ['billing', ['./*', 'istio-system/*']],
      ['shop', ['./*', 'istio-system/*', 'egress-hosts/api.example.com']],
    ]);
  });

  test('a host of the client namespace itself is imported by ./* and, reached directly without addresses, refused with the NetworkPolicy on', () => {
    const { app, chart } = appWithChart('shop');
    new ExternalHost(chart, 'Api', { hosts: ['api.example.com'], ports: [EgressPort.https()], clientNamespaces: ['shop'] });
    new EgressLockdown(chart, 'Lockdown', { namespace: 'shop' });
    expect(synthError(app)).toContain('[test/Lockdown] api.example.com (test/Api, whose clientNamespaces name shop) is reached directly, '
      + 'not through an egress gateway');
  });
});
