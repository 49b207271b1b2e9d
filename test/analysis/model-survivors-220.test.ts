/**
 * The ObjectIndex's one pass over the objects (src/analysis/model.ts): the subsets DestinationRules define (read
 * with hasSubset), the Sidecars, and the pod labels that Pods and the workload controllers' pod templates carry.
 */
import { deployment, destinationRule, meta, namespace, pod, serviceEntry, sidecar, virtualService } from './objects';
import { ObjectIndex, destinationsOf } from '../../src/analysis/model';
import { assertValidIstioObjects } from '../support/crd-validator';

const HOST = 'api.example.com';
const entry = serviceEntry('api', 'team-a', { hosts: [HOST], resolution: 'DNS', ports: [{ number: 443, name: 'tls', protocol: 'TLS' }] });
const subset = (name: string) => ({ name, labels: { version: name } });

/** A workload controller of apps/v1 whose pods carry `labels`. */
function controller(kind: 'StatefulSet' | 'DaemonSet', name: string, ns: string, labels: Record<string, string>) {
  return {
    apiVersion: 'apps/v1',
    kind,
    metadata: meta(name, ns),
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'app:1' }] } } },
  };
}

describe('ObjectIndex.hasSubset: the subsets the DestinationRules of a host define, by the namespaces that define them', () => {
  test('the subsets of several DestinationRules for one host add up, each seen from the namespaces that define it', () => {
    const objects = [
      entry,
      destinationRule('api-a', 'team-a', { host: HOST, subsets: [subset('v1'), subset('v2')] }),
      destinationRule('api-b', 'team-b', { host: HOST, subsets: [subset('v1'), subset('v3')] }),
    ];
    assertValidIstioObjects(objects);
    const index = new ObjectIndex(objects);

    expect(['v1', 'v2', 'v3'].map(s => index.hasSubset(HOST, s, 'team-a'))).toEqual([true, true, false]);
    expect(['v1', 'v2', 'v3'].map(s => index.hasSubset(HOST, s, 'team-b'))).toEqual([true, false, true]);
    expect(index.hasSubset(HOST, 'v1', 'team-c')).toBe(false);
  });

  test('subset entries that are no objects, or whose name is no string, define nothing and do not stop the index', () => {
    // Malformed on purpose (the CRD requires every subset to be an object with a string name): lint reads any YAML.
    const odd = destinationRule('api', 'team-a', { host: HOST, subsets: [null, 'v1', { labels: { version: 'v0' } }, { name: 7 }, subset('v2')] });
    const vs = virtualService('api', 'team-a', { hosts: [HOST], tls: [{ match: [{ sniHosts: [HOST] }], route: [{ destination: { host: HOST, subset: 7 } }] }] });
    const index = new ObjectIndex([entry, odd, vs]);
    const [numbered] = destinationsOf(vs);

    expect(index.hasSubset(HOST, 'v2', 'team-a')).toBe(true);
    expect(index.hasSubset(HOST, 'v1', 'team-a')).toBe(false);
    expect(index.hasSubset(HOST, numbered.subset!, 'team-a')).toBe(false);
  });
});

describe('ObjectIndex.sidecars and podLabels: what the one pass collects', () => {
  test('the Sidecars are the Sidecar objects, nothing else, in input order', () => {
    const objects = [
      sidecar('default', 'team-a', { egress: [{ hosts: ['./*'] }] }),
      deployment('app', 'team-a', { app: 'app' }),
      pod('solo', 'team-a', { app: 'solo' }),
      namespace('team-a'),
      sidecar('default', 'team-b', { egress: [{ hosts: ['istio-system/*'] }] }),
    ];
    assertValidIstioObjects(objects);

    expect(new ObjectIndex(objects).sidecars.map(s => s.index)).toEqual([0, 4]);
  });

  test('the pod labels of Deployments, StatefulSets and DaemonSets (their pod templates) and Pods, in input order; no other kind\'s', () => {
    const job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: meta('once', 'team-a'),
      spec: { template: { metadata: { labels: { app: 'job' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'app', image: 'app:1' }] } } },
    };
    const objects = [
      deployment('web', 'team-a', { app: 'web' }),
      job,
      controller('StatefulSet', 'db', 'team-a', { app: 'db' }),
      controller('DaemonSet', 'agent', 'team-b', { app: 'agent' }),
      pod('solo', 'team-b', { app: 'solo' }),
    ];
    assertValidIstioObjects(objects);

    expect(new ObjectIndex(objects).podLabels).toEqual([{ app: 'web' }, { app: 'db' }, { app: 'agent' }, { app: 'solo' }]);
  });

  test('controllers without a spec, a pod template or its metadata give no pod labels and do not stop the index', () => {
    // Malformed on purpose (the API server requires the pod template and its labels matching the selector).
    const objects: any[] = [
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta('bare', 'team-a') },
      { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: meta('db', 'team-a'), spec: { template: {} } },
      { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: meta('agent', 'team-a'), spec: { template: { metadata: {} } } },
      pod('solo', 'team-a', { app: 'solo' }),
    ];

    expect(new ObjectIndex(objects).podLabels).toEqual([{ app: 'solo' }]);
  });
});
