/**
 * The ObjectIndex look-ups of src/analysis/model.ts, asked directly: ServiceEntries for a host, DestinationRule
 * subsets (keyed as istioctl analyze's DestinationRuleAnalyzer keys them), workloads, Secrets, Namespaces and Services.
 */
import { deployment, destinationRule, meta, namespace, secret, service, serviceEntry } from './objects';
import { ObjectIndex } from '../../src/analysis/model';
import { assertValidIstioObjects } from '../support/crd-validator';

const HOST = 'api.example.com';

describe('entriesFor: the ServiceEntries whose hosts cover a host', () => {
  test('an exact host and a wildcard host covering it both count, the exact one first', () => {
    const wildcard = serviceEntry('wild', 'team-a', { hosts: ['*.example.com'], resolution: 'NONE', ports: [{ number: 443, name: 'tls', protocol: 'TLS' }] });
    const exact = serviceEntry('api', 'team-a', { hosts: [HOST], resolution: 'DNS', ports: [{ number: 443, name: 'tls', protocol: 'TLS' }] });
    const objects = [wildcard, exact];
    assertValidIstioObjects(objects);
    const index = new ObjectIndex(objects);

    expect(index.entriesFor(HOST)).toEqual([{ index: 1, object: exact }, { index: 0, object: wildcard }]);
    expect(index.entriesFor('other.example.com')).toEqual([{ index: 0, object: wildcard }]);
    expect(index.entriesFor('api.example.org')).toEqual([]);
  });
});

describe('hasSubset: a DestinationRule subset as the DestinationRuleAnalyzer keys it (namespace/name for a Service host, else the namespace)', () => {
  const reviews = destinationRule('reviews', 'team-b', {
    host: 'reviews.team-a.svc.cluster.local',
    subsets: [{ name: 'v1', labels: { version: 'v1' } }],
  });
  const api = destinationRule('api', 'team-b', { host: HOST, subsets: [{ name: 'v1', labels: { version: 'v1' } }] });
  const index = new ObjectIndex([reviews, api]);

  test('the objects are ones the API server accepts', () => {
    assertValidIstioObjects([reviews, api]);
  });

  test('a Service host\'s subset counts from any namespace, whichever namespace defines it', () => {
    expect(index.hasSubset('reviews.team-a.svc.cluster.local', 'v1', 'team-c')).toBe(true);
    expect(index.hasSubset('reviews', 'v1', 'team-a')).toBe(true);
  });

  test('another host\'s subset counts only for clients in the DestinationRule\'s namespace', () => {
    expect(index.hasSubset(HOST, 'v1', 'team-b')).toBe(true);
    expect(index.hasSubset(HOST, 'v1', 'team-a')).toBe(false);
  });

  test('a subset no DestinationRule of the host defines, or a host no DestinationRule names, has none', () => {
    expect(index.hasSubset('reviews.team-a.svc.cluster.local', 'v2', 'team-c')).toBe(false);
    expect(index.hasSubset('ratings.team-a.svc.cluster.local', 'v1', 'team-a')).toBe(false);
    expect(index.hasSubset('ratings', 'v1', 'team-a')).toBe(false);
    expect(index.hasSubset('other.example.com', 'v1', 'team-b')).toBe(false);
  });
});

describe('workloads: the pods of Pods and of workload controllers', () => {
  test('a Deployment\'s labels and annotations are its pod template\'s, not its own', () => {
    const d = deployment('d', 'team-a', { app: 'd' });
    const annotated = {
      ...d,
      metadata: meta('d', 'team-a', { labels: { owner: 'x' }, annotations: { own: 'x' } }),
      spec: { ...d.spec, template: { ...d.spec.template, metadata: { labels: { app: 'd' }, annotations: { 'sidecar.istio.io/inject': 'true' } } } },
    };
    assertValidIstioObjects([annotated]);
    const index = new ObjectIndex([annotated]);

    expect(index.workloads()).toEqual([
      { index: 0, kind: 'deployment', name: 'd', namespace: 'team-a', labels: { app: 'd' }, annotations: { 'sidecar.istio.io/inject': 'true' }, hasProxy: false },
    ]);
  });

  test('a Deployment without a spec (the API server requires one; lint reads any YAML) runs a pod without labels', () => {
    const specless = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta('d', 'team-a') };

    expect(new ObjectIndex([specless]).workloads()).toEqual([
      { index: 0, kind: 'deployment', name: 'd', namespace: 'team-a', labels: {}, annotations: {}, hasProxy: false },
    ]);
  });

  test('a namespace with no workloads among the objects has none', () => {
    const objects = [deployment('d', 'team-a', { app: 'd' })];
    assertValidIstioObjects(objects);
    const index = new ObjectIndex(objects);

    expect(index.workloadsIn('team-a').map(w => w.name)).toEqual(['d']);
    expect(index.workloadsIn('team-b')).toEqual([]);
  });
});

describe('Secrets and Namespace objects without metadata (the API server requires a name; lint reads any YAML)', () => {
  test('a Secret without metadata is no Secret of any namespace', () => {
    const bare = { apiVersion: 'v1', kind: 'Secret', type: 'Opaque' };
    const cert = secret('cert', 'team-a');
    assertValidIstioObjects([cert]);
    const index = new ObjectIndex([bare, cert]);

    expect([...index.secretsIn('team-a')!]).toEqual(['cert']);
    expect(index.secretsIn('default')).toBeUndefined();
  });

  test('a Namespace without metadata names no namespace', () => {
    const bare = { apiVersion: 'v1', kind: 'Namespace' };
    const named = namespace('team-a');
    assertValidIstioObjects([named]);
    const index = new ObjectIndex([bare, named]);

    expect(index.namespaceObject('team-a')).toEqual({ index: 1, object: named });
    expect(index.namespaceObject('default')).toBeUndefined();
  });
});

describe('servicesIn: the Kubernetes Services of a namespace, in input order', () => {
  test('only Services, only of that namespace; a namespace without Services has none', () => {
    const a = service('a', 'team-a', { ports: [{ port: 80 }] });
    const b = service('b', 'team-b', { ports: [{ port: 80 }] });
    const c = service('c', 'team-a', { ports: [{ port: 80 }] });
    const entry = serviceEntry('a', 'team-a', { hosts: [HOST], resolution: 'DNS', ports: [{ number: 80, name: 'http', protocol: 'HTTP' }] });
    const objects = [a, entry, b, c];
    assertValidIstioObjects(objects);
    const index = new ObjectIndex(objects);

    expect(index.servicesIn('team-a')).toEqual([{ index: 0, object: a }, { index: 3, object: c }]);
    expect(index.servicesIn('team-b')).toEqual([{ index: 2, object: b }]);
    expect(index.servicesIn('team-c')).toEqual([]);
  });
});
