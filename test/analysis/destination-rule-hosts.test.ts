/** IST0174 (a DestinationRule for a host nothing defines) and IST0173 (a subset that selects nothing). */
import { deployment, destinationRule, found, service, serviceEntry } from './objects';
import { analyze } from '../../src/analysis';
import { assertValidIstioObjects } from '../support/crd-validator';

const entry = (ns: string, spec: any = {}) => serviceEntry('api', ns, { hosts: ['api.example.com'], ports: [{ number: 443, name: 'tls', protocol: 'TLS' }], resolution: 'DNS', ...spec });
const rule = (ns: string, host: string, spec: any = {}) => destinationRule('dr', ns, { host, ...spec });

describe('IST0174 UnknownDestinationRuleHost', () => {
  test('a host defined by a visible ServiceEntry or Service is accepted', () => {
    const objects = [entry('egress'), rule('default', 'api.example.com'), service('reviews', 'shop', { ports: [{ port: 80 }] }), rule('shop', 'reviews')];
    expect(found('IST0174', objects)).toEqual([]);
    assertValidIstioObjects(objects.filter(o => o.kind !== 'Service'));
  });

  test('a host nothing defines is reported', () => {
    expect(found('IST0174', [entry('egress'), rule('default', 'api.example.org')])).toEqual([
      '[1] spec.host: The host api.example.org defined in the DestinationRule does not match any services in the mesh.',
    ]);
  });

  test('a ServiceEntry not exported to the DestinationRule\'s namespace does not define it there', () => {
    expect(found('IST0174', [entry('egress', { exportTo: ['.'] }), rule('default', 'api.example.com')])).toHaveLength(1);
    expect(found('IST0174', [entry('egress', { exportTo: ['.', 'default'] }), rule('default', 'api.example.com')])).toEqual([]);
  });

  test('a wildcard ServiceEntry host covers the names under it', () => {
    expect(found('IST0174', [entry('egress', { hosts: ['*.example.com'], resolution: 'NONE' }), rule('default', 'api.example.com')])).toEqual([]);
  });

  test('a Service host of a namespace none of whose Services is known is not checked, and said to be unchecked', () => {
    const result = analyze([rule('default', 'istio-egressgateway.istio-system.svc.cluster.local')]);
    expect(result.findings.filter(f => f.code === 'IST0174')).toEqual([]);
    expect(result.unchecked).toEqual([{ index: 0, field: 'spec.host', host: 'istio-egressgateway.istio-system.svc.cluster.local', namespace: 'istio-system' }]);
    expect(found('IST0174', [rule('default', 'istio-egressgateway.istio-system.svc.cluster.local'), service('other', 'istio-system', { ports: [{ port: 80 }] })]))
      .toHaveLength(1);
  });
});

describe('IST0173 DestinationRuleSubsetNotSelectPods', () => {
  test('subsets without labels, or with labels the endpoints or pods carry, are accepted', () => {
    const objects = [
      entry('egress', { endpoints: [{ address: 'api-eu.example.com', labels: { region: 'eu' } }] }),
      rule('egress', 'api.example.com', { subsets: [{ name: 'all' }, { name: 'eu', labels: { region: 'eu' } }] }),
      service('reviews', 'shop', { selector: { app: 'reviews' }, ports: [{ port: 80 }] }),
      deployment('reviews-v1', 'shop', { app: 'reviews', version: 'v1' }),
      destinationRule('reviews', 'shop', { host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }] }),
    ];
    expect(found('IST0173', objects)).toEqual([]);
    assertValidIstioObjects(objects.filter(o => o.kind !== 'Service' && o.kind !== 'Deployment'));
  });

  test('a labelled subset of a DNS host without such endpoints is reported', () => {
    expect(found('IST0173', [entry('egress'), rule('egress', 'api.example.com', { subsets: [{ name: 'eu', labels: { region: 'eu' } }] })])).toEqual([
      '[1] spec.subsets[0].labels: The Subset eu defined in the DestinationRule does not select any pods. Which may lead to 503 UH (NoHealthyUpstream).',
    ]);
  });

  test('a subset of a Service that none of the known pods of its namespace carries is reported; unknown pods are not guessed', () => {
    const reviews = service('reviews', 'shop', { selector: { app: 'reviews' }, ports: [{ port: 80 }] });
    const dr = destinationRule('reviews', 'shop', { host: 'reviews', subsets: [{ name: 'v2', labels: { version: 'v2' } }] });
    expect(found('IST0173', [reviews, dr, deployment('reviews-v1', 'shop', { app: 'reviews', version: 'v1' })])).toHaveLength(1);
    expect(found('IST0173', [reviews, dr])).toEqual([]);
  });

  test('resolution NONE passes traffic to the original address, whatever the subset', () => {
    expect(found('IST0173', [entry('egress', { resolution: 'NONE' }), rule('egress', 'api.example.com', { subsets: [{ name: 'eu', labels: { region: 'eu' } }] })]))
      .toEqual([]);
  });
});

describe('IST0174 and IST0173: exportTo, wildcards, other cluster domains, labels Istio adds, odd entries', () => {
  test('a DestinationRule exported to its own namespace finds a ServiceEntry exported there; not one exported elsewhere', () => {
    const objects = [entry('shop', { exportTo: ['.'] }), rule('shop', 'api.example.com', { exportTo: ['.'] })];
    expect(found('IST0174', objects)).toEqual([]);
    expect(found('IST0174', [entry('shop', { exportTo: ['web'] }), rule('web', 'api.example.com', { exportTo: ['web'] })])).toEqual([]);
    assertValidIstioObjects(objects);
    const findings = analyze([entry('web', { exportTo: ['.'] }), rule('shop', 'api.example.com', { exportTo: ['.'] })]).findings.filter(f => f.code === 'IST0174');
    expect(findings).toEqual([{
      index: 1,
      rule: 'IST0174',
      code: 'IST0174',
      severity: 'warning',
      field: 'spec.host',
      value: 'api.example.com',
      message: 'The host api.example.com defined in the DestinationRule does not match any services in the mesh.',
      fix: 'correct the host, or add a ServiceEntry for api.example.com that is exported to namespace shop',
    }]);
  });

  test('a wildcard ServiceEntry exported to its own namespace covers the names under it there only', () => {
    const wildcard = entry('shop', { hosts: ['*.example.com'], resolution: 'NONE', exportTo: ['.'] });
    expect(found('IST0174', [wildcard, rule('shop', 'api.example.com')])).toEqual([]);
    expect(found('IST0174', [wildcard, rule('shop', '*.eu.example.com')])).toEqual([]);
    expect(found('IST0174', [wildcard, rule('web', 'api.example.com')])).toEqual([
      '[1] spec.host: The host api.example.com defined in the DestinationRule does not match any services in the mesh.',
    ]);
    assertValidIstioObjects([wildcard, rule('shop', 'api.example.com')]);
  });

  test('a Service host written with another cluster domain names the Service; a missing Service of a known namespace is reported', () => {
    const reviews = service('reviews', 'shop', { ports: [{ port: 80, name: 'http' }] });
    expect(found('IST0174', [reviews, rule('web', 'reviews.shop.svc.corp.example')])).toEqual([]);
    const findings = analyze([reviews, rule('web', 'ratings.shop.svc.cluster.local')]).findings.filter(f => f.code === 'IST0174');
    expect(findings.map(f => [f.index, f.severity, f.field, f.value, f.fix])).toEqual([[1, 'warning', 'spec.host', 'ratings.shop.svc.cluster.local',
      'correct the host, or include Service ratings of namespace shop (lint --cluster for objects that are only read)']]);
    assertValidIstioObjects([reviews, rule('web', 'reviews.shop.svc.corp.example')]);
  });

  test('Services exported by annotation (to their namespace, or to a list) still define their host', () => {
    // The Service is also found by its name in its namespace, so its exportTo annotation does not hide it from a rule elsewhere
    // (Istio's analyzer would warn for the rule in web: a warning not given, never a false one).
    const exported = (value: string) => service('reviews', 'shop', { ports: [{ port: 80, name: 'http' }] }, { annotations: { 'networking.istio.io/exportTo': value } });
    for (const value of ['.', 'web, shop', '', 'shop,shop']) {
      expect(found('IST0174', [exported(value), rule('shop', 'reviews'), rule('web', 'reviews.shop.svc.cluster.local')])).toEqual([]);
    }
    assertValidIstioObjects([exported('.'), rule('shop', 'reviews')]);
  });

  test('subset labels Istio adds to the endpoints (locality, node) are not judged', () => {
    const objects = [entry('egress'), rule('egress', 'api.example.com', {
      subsets: [{ name: 'zone-a', labels: { 'topology.kubernetes.io/zone': 'a' } }, { name: 'node', labels: { 'kubernetes.io/hostname': 'node-1' } }],
    })];
    expect(found('IST0173', objects)).toEqual([]);
    assertValidIstioObjects(objects);
    // Beside a label the endpoints lack, still not judged.
    expect(found('IST0173', [entry('egress'), rule('egress', 'api.example.com', { subsets: [{ name: 'x', labels: { 'topology.istio.io/subzone': 's', 'region': 'eu' } }] })]))
      .toEqual([]);
  });

  test('two ServiceEntries of one host: the host is defined (the first is read); hosts that are no strings and Services without a name are passed over', () => {
    const withEndpoints = entry('egress', { endpoints: [{ address: 'eu.example.com', labels: { region: 'eu' } }] });
    const subset = rule('egress', 'api.example.com', { subsets: [{ name: 'eu', labels: { region: 'eu' } }] });
    expect(found('IST0174', [withEndpoints, entry('egress'), subset])).toEqual([]);
    expect(found('IST0173', [withEndpoints, entry('egress'), subset])).toEqual([]);
    const odd = [entry('egress', { hosts: [7, 'api.example.com'] }), { apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'shop' }, spec: {} }, subset];
    expect(found('IST0174', odd)).toEqual([]);
    expect(found('IST0174', [...odd, rule('web', 'reviews.shop.svc.cluster.local')])).toHaveLength(1);
    // A rule without host (the webhook refuses it) is not looked up; without rules there is nothing to look up.
    expect(found('IST0174', [rule('web', ''), destinationRule('none', 'web', {})])).toEqual([]);
    expect(found('IST0174', [entry('egress')])).toEqual([]);
  });

  // The proxies see the endpoints of every ServiceEntry of the host in its namespace (mergeServicesInstancesByNamespaceHost).
  test('two ServiceEntries of one host: subset labels are judged against the endpoints of both, whatever their order', () => {
    const eu = { ...entry('egress', { endpoints: [{ address: 'eu.example.com', labels: { region: 'eu' } }] }), metadata: { name: 'api-eu', namespace: 'egress' } };
    const subset = (region: string) => rule('egress', 'api.example.com', { subsets: [{ name: region, labels: { region } }] });
    expect(found('IST0173', [entry('egress'), eu, subset('eu')])).toEqual([]);
    expect(found('IST0173', [eu, entry('egress'), subset('eu')])).toEqual([]);
    assertValidIstioObjects([entry('egress'), eu, subset('eu')]);
    // A label no endpoint of either entry carries, in either order.
    expect(found('IST0173', [entry('egress'), eu, subset('us')])).toHaveLength(1);
    expect(found('IST0173', [eu, entry('egress'), subset('us')])).toHaveLength(1);
    // An entry of the host in another namespace is the host for the clients that resolve it there: its endpoints count too.
    const elsewhere = { ...entry('billing', { endpoints: [{ address: 'us.example.com', labels: { region: 'us' } }] }), metadata: { name: 'api-us', namespace: 'billing' } };
    expect(found('IST0173', [entry('egress'), elsewhere, subset('us')])).toEqual([]);
    expect(found('IST0173', [elsewhere, entry('egress'), subset('us')])).toEqual([]);
  });
});
