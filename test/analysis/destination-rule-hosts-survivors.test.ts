/**
 * DestinationRule hosts and subsets (destination-rule-hosts.ts; pkg/config/analysis/analyzers/destinationrule/subset.go and
 * util/service_lookup.go GetDestinationHost), the cases the other tests leave open: the rule's exportTo naming another
 * namespace, exportTo and spec parts that are missing or no strings, a Service found by name only, the IST0173 finding
 * in full for both kinds of host, empty subset labels, endpoints without labels, and entries that pass traffic as is
 * (workloadSelector, no resolution).
 */
import { deployment, destinationRule, service, serviceEntry } from './objects';
import { checkDestinationRuleHosts } from '../../src/analysis/destination-rule-hosts';
import { ObjectIndex } from '../../src/analysis/model';
import { assertValidIstioObjects } from '../support/crd-validator';
import { helpful } from '../support/findings';

const rows = (objects: any[]) => helpful(checkDestinationRuleHosts(new ObjectIndex(objects)))
  .map(f => [f.index, f.rule, f.code, f.severity, f.field, f.value, f.message, f.fix]);
const codes = (objects: any[]) => helpful(checkDestinationRuleHosts(new ObjectIndex(objects))).map(f => `[${f.index}] ${f.code} ${f.field}`);
const entry = (ns: string, spec: any = {}) => serviceEntry('api', ns, { hosts: ['api.example.com'], ports: [{ number: 443, name: 'tls', protocol: 'TLS' }], resolution: 'DNS', ...spec });
const rule = (ns: string, host: string, spec: any = {}) => destinationRule('dr', ns, { host, ...spec });
const eu = { subsets: [{ name: 'eu', labels: { region: 'eu' } }] };
const NOT_SELECTED = 'The Subset eu defined in the DestinationRule does not select any pods. Which may lead to 503 UH (NoHealthyUpstream).';

describe('the rule\'s exportTo', () => {
  test('a rule exported to another namespace finds a ServiceEntry exported to that namespace only', () => {
    const objects = [entry('egress', { exportTo: ['web'] }), rule('shop', 'api.example.com', { exportTo: ['web'] })];
    assertValidIstioObjects(objects);
    expect(codes(objects)).toEqual([]);
    // Without the rule's exportTo it is looked up in its own namespace, where the entry is not exported.
    expect(codes([entry('egress', { exportTo: ['web'] }), rule('shop', 'api.example.com')])).toEqual(['[1] IST0174 spec.host']);
  });

  test('an exportTo entry that is no string (malformed) is passed over: the rule is looked up in its own namespace', () => {
    expect(codes([entry('egress', { exportTo: ['shop'] }), rule('shop', 'api.example.com', { exportTo: [7] })])).toEqual([]);
  });

  test('a ServiceEntry exportTo entry that is no string (malformed) is passed over: the entry counts as exported everywhere', () => {
    expect(codes([entry('egress', { exportTo: [7] }), rule('shop', 'api.example.com')])).toEqual([]);
  });
});

describe('parts the analyzer reads, absent', () => {
  test('a DestinationRule without spec is not looked up', () => {
    const objects = [entry('egress'), { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'empty', namespace: 'web' } }];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
  });

  test('a ServiceEntry without spec (the API server refuses it: spec is required) defines nothing', () => {
    const bare = { apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'bare', namespace: 'egress' } };
    expect(codes([bare, entry('egress'), rule('egress', 'api.example.com')])).toEqual([]);
    expect(codes([bare, rule('egress', 'api.example.com')])).toEqual(['[1] IST0174 spec.host']);
  });

  test('a Service without metadata (malformed) names no Service: a host of its namespace is reported', () => {
    const nameless = { apiVersion: 'v1', kind: 'Service', spec: { ports: [{ port: 80 }] } };
    expect(codes([nameless, rule('web', 'reviews.default.svc.cluster.local')])).toEqual(['[1] IST0174 spec.host']);
  });
});

describe('the IST0173 finding in full', () => {
  test('for a ServiceEntry host: an error, the fix asks for endpoints with the labels', () => {
    const objects = [entry('egress'), rule('egress', 'api.example.com', eu)];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([[1, 'IST0173', 'IST0173', 'error', 'spec.subsets[0].labels', { region: 'eu' }, NOT_SELECTED,
      'give the ServiceEntry endpoints with these labels, or drop the labels from the subset']]);
  });

  test('for a Service host: an error, the fix asks for the labels of the Service\'s pods', () => {
    const objects = [service('reviews', 'shop', { selector: { app: 'reviews' }, ports: [{ port: 80 }] }), deployment('reviews-v1', 'shop', { app: 'reviews' }),
      rule('shop', 'reviews', eu)];
    assertValidIstioObjects([objects[2]]);
    expect(rows(objects)).toEqual([[2, 'IST0173', 'IST0173', 'error', 'spec.subsets[0].labels', { region: 'eu' }, NOT_SELECTED,
      'use labels that the Service\'s pods carry']]);
  });

  test('a Service found by its name only (hidden by its exportTo annotation) is judged as a Service', () => {
    const hidden = service('reviews', 'shop', { selector: { app: 'reviews' }, ports: [{ port: 80 }] }, { annotations: { 'networking.istio.io/exportTo': '.' } });
    const objects = [hidden, rule('web', 'reviews.shop.svc.cluster.local', eu)];
    assertValidIstioObjects([objects[1]]);
    // The pods of shop are not known: nothing is claimed.
    expect(rows(objects)).toEqual([]);
    expect(rows([...objects, deployment('reviews-v1', 'shop', { app: 'reviews' })])).toEqual([[1, 'IST0173', 'IST0173', 'error', 'spec.subsets[0].labels',
      { region: 'eu' }, NOT_SELECTED, 'use labels that the Service\'s pods carry']]);
  });
});

describe('which subsets and entries are judged', () => {
  test('a subset with empty labels selects every endpoint and is not reported', () => {
    const objects = [entry('egress'), rule('egress', 'api.example.com', { subsets: [{ name: 'all', labels: {} }] })];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
  });

  test('endpoints without labels do not carry the subset\'s labels', () => {
    const objects = [entry('egress', { endpoints: [{ address: 'api-1.example.com' }] }), rule('egress', 'api.example.com', eu)];
    assertValidIstioObjects(objects);
    expect(codes(objects)).toEqual(['[1] IST0173 spec.subsets[0].labels']);
  });

  test('an entry with a workloadSelector is not judged (its endpoints are pods not among the objects)', () => {
    const objects = [entry('egress', { resolution: 'STATIC', workloadSelector: { labels: { app: 'api' } } }), rule('egress', 'api.example.com', eu)];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
  });

  test('an entry without resolution (NONE, the default) is not judged', () => {
    const { resolution: _, ...spec } = entry('egress').spec;
    const objects = [serviceEntry('api', 'egress', spec), rule('egress', 'api.example.com', eu)];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
  });
});
