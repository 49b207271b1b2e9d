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
