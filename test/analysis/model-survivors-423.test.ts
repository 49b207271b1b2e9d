/**
 * The object index's workloads (whether a pod runs an istio-proxy), label selectors, selectorString's key order and a
 * Kubernetes Service's ports (src/analysis/model.ts), asked of the model directly.
 */
import { deployment, meta, pod, service } from './objects';
import { ObjectIndex, selectorString, selects } from '../../src/analysis/model';
import { assertValidIstioObjects } from '../support/crd-validator';

/** A Deployment whose pod template runs these containers (and init containers). */
function deploymentWith(name: string, containers: unknown[], initContainers?: unknown[]) {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(name, 'team-a'),
    spec: {
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers, ...(initContainers ? { initContainers } : {}) } },
    },
  };
}

describe('workloads: a pod has a proxy when a container named istio-proxy has an image', () => {
  test('a Deployment\'s proxy is read from its pod template, not from the Deployment\'s own spec', () => {
    const objects = [deployment('d', 'team-a', { app: 'd' }, true), deployment('plain', 'team-a', { app: 'plain' })];
    assertValidIstioObjects(objects);

    expect(new ObjectIndex(objects).workloads().map(w => [w.kind, w.name, w.labels, w.hasProxy])).toEqual([
      ['deployment', 'd', { app: 'd' }, true],
      ['deployment', 'plain', { app: 'plain' }, false],
    ]);
  });

  test('containers of another name do not count, whatever their image', () => {
    const objects = [pod('p', 'team-a', { app: 'p' }), deploymentWith('sidecarish', [{ name: 'proxy', image: 'istio/proxyv2:1.30.3' }])];
    assertValidIstioObjects(objects);

    expect(new ObjectIndex(objects).workloads().map(w => [w.name, w.hasProxy])).toEqual([['p', false], ['sidecarish', false]]);
  });

  test('an istio-proxy container without an image, or with an empty one, is no proxy; one among the init containers is', () => {
    // A pod template may leave the image out (config management fills it in); a Pod may not.
    const objects = [
      deploymentWith('no-image', [{ name: 'app', image: 'app:1' }, { name: 'istio-proxy' }]),
      deploymentWith('empty-image', [{ name: 'app', image: 'app:1' }, { name: 'istio-proxy', image: '' }]),
      deploymentWith('native', [{ name: 'app', image: 'app:1' }], [{ name: 'istio-proxy', image: 'auto', restartPolicy: 'Always' }]),
    ];
    assertValidIstioObjects(objects);

    expect(new ObjectIndex(objects).workloads().map(w => [w.name, w.hasProxy])).toEqual([['no-image', false], ['empty-image', false], ['native', true]]);
  });

  test('a Deployment without a spec and a Pod without metadata (lint reads any YAML) are read as far as they go', () => {
    const specless = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta('d', 'team-a') };
    const metadataless = { apiVersion: 'v1', kind: 'Pod', spec: { containers: [{ name: 'istio-proxy', image: 'auto' }] } };

    expect(new ObjectIndex([specless, metadataless]).workloads()).toEqual([
      { index: 0, kind: 'deployment', name: 'd', namespace: 'team-a', labels: {}, annotations: {}, hasProxy: false },
      { index: 1, kind: 'pod', name: '', namespace: 'default', labels: {}, annotations: {}, hasProxy: true },
    ]);
  });
});

describe('selects: every pair of the selector, with its value, among the labels', () => {
  test('the empty selector selects everything', () => {
    expect(selects({}, {})).toBe(true);
    expect(selects({}, { app: 'a' })).toBe(true);
  });

  test('all pairs present with their values: selected', () => {
    expect(selects({ app: 'reviews' }, { app: 'reviews' })).toBe(true);
    expect(selects({ app: 'reviews', version: 'v1' }, { app: 'reviews', version: 'v1', extra: 'x' })).toBe(true);
  });

  test('one pair with another value, or missing: not selected, even when the other pairs match', () => {
    expect(selects({ app: 'reviews' }, { app: 'ratings' })).toBe(false);
    expect(selects({ app: 'reviews', version: 'v1' }, { app: 'reviews', version: 'v2' })).toBe(false);
    expect(selects({ app: 'reviews', version: 'v1' }, { app: 'reviews' })).toBe(false);
  });
});

describe('selectorString: pairs sorted by key, whatever order they were written in', () => {
  test('keys already in order stay in order', () => {
    expect(selectorString({ app: 'reviews', version: 'v1' })).toBe('app=reviews,version=v1');
  });

  test('three keys in any order', () => {
    expect(selectorString({ b: '2', a: '1', c: '3' })).toBe('a=1,b=2,c=3');
    expect(selectorString({ a: '1', c: '3', b: '2' })).toBe('a=1,b=2,c=3');
  });
});

describe('a Kubernetes Service\'s ports, as host resolution reports them', () => {
  const host = 'reviews.team-a.svc.cluster.local';

  test('each port with its number, name, protocol and target port', () => {
    const reviews = service('reviews', 'team-a', {
      selector: { app: 'reviews' },
      ports: [{ port: 80, name: 'http', protocol: 'TCP', targetPort: 8080 }, { port: 9080, name: 'grpc', targetPort: 'grpc' }],
    });
    assertValidIstioObjects([reviews]);

    expect(new ObjectIndex([reviews]).resolveHost(host, 'team-a')).toEqual({
      status: 'found',
      host,
      definitions: [{ index: 0, object: reviews }],
      ports: [
        { number: 80, name: 'http', protocol: 'TCP', targetPort: 8080 },
        { number: 9080, name: 'grpc', protocol: undefined, targetPort: 'grpc' },
      ],
    });
  });

  test('entries that are no objects and ports that are no numbers are passed over; a Service without a spec has no ports', () => {
    const odd = service('reviews', 'team-a', { ports: [null, 'http', { port: '80', name: 'text' }, { name: 'none' }, { port: 443 }] });
    const specless = { apiVersion: 'v1', kind: 'Service', metadata: meta('reviews', 'team-b') };

    expect(new ObjectIndex([odd]).resolveHost(host, 'team-a')).toMatchObject({
      status: 'found',
      ports: [{ number: 443, name: undefined, protocol: undefined, targetPort: undefined }],
    });
    expect(new ObjectIndex([specless]).resolveHost('reviews.team-b.svc.cluster.local', 'team-b')).toMatchObject({ status: 'found', ports: [] });
  });
});
