/**
 * The ObjectIndex (src/analysis/model.ts), asked directly: the pod labels it collects, host resolution read once per
 * namespace, a VirtualService's destinations read once, which definitions count where (a Service by its exportTo
 * annotation and its `port`s, a ServiceEntry by its spec.exportTo and its `number`s), and ServiceEntries by wildcard host.
 */
import { namespace, pod, secret, service, serviceEntry, virtualService } from './objects';
import { ObjectIndex, destinationsOf } from '../../src/analysis/model';
import { assertValidIstioObjects } from '../support/crd-validator';

const HOST = 'api.example.com';
const tls = [{ number: 443, name: 'tls', protocol: 'TLS' }];

describe('podLabels: the labels of the pods among the objects', () => {
  test('a Pod\'s own labels count; a Namespace\'s labels and a Secret do not', () => {
    const objects = [namespace('team-a', { 'istio-injection': 'enabled' }), secret('cert', 'team-a'), pod('p', 'team-a', { app: 'p' })];
    assertValidIstioObjects(objects);

    expect(new ObjectIndex(objects).podLabels).toEqual([{ app: 'p' }]);
  });

  test('a Pod without labels, or without metadata at all (lint reads any YAML), adds no labels and breaks nothing', () => {
    const unlabelled = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'u', namespace: 'team-a' }, spec: { containers: [{ name: 'app', image: 'app:1' }] } };
    const bare: any = { apiVersion: 'v1', kind: 'Pod', spec: { containers: [] } };
    assertValidIstioObjects([unlabelled]);

    expect(new ObjectIndex([unlabelled, bare]).podLabels).toEqual([]);
  });
});

describe('resolveHost: each host resolved once per namespace', () => {
  const objects = [serviceEntry('api', 'team-a', { hosts: [HOST], ports: tls, resolution: 'DNS' })];

  test('asked again from the same namespace, the same resolution is returned, not a new one', () => {
    assertValidIstioObjects(objects);
    const index = new ObjectIndex(objects);
    const first = index.resolveHost(HOST, 'team-a');

    expect(first).toMatchObject({ status: 'found', definitions: [{ index: 0 }] });
    expect(index.resolveHost(HOST, 'team-a')).toBe(first);
  });

  test('a second host of the same namespace is resolved and kept on its own', () => {
    const index = new ObjectIndex(objects);
    const api = index.resolveHost(HOST, 'team-a');
    const other = index.resolveHost('other.example.com', 'team-a');

    expect(other).toEqual({ status: 'missing', host: 'other.example.com' });
    expect(index.resolveHost('other.example.com', 'team-a')).toBe(other);
    expect(index.resolveHost(HOST, 'team-a')).toBe(api);
  });
});

describe('destinations: a VirtualService\'s destinations, read once', () => {
  test('the destinations of destinationsOf, and the same list when asked again', () => {
    const vs = virtualService('api', 'team-a', { hosts: [HOST], tls: [{ match: [{ port: 443, sniHosts: [HOST] }], route: [{ destination: { host: HOST, port: { number: 443 } } }] }] });
    assertValidIstioObjects([vs]);
    const index = new ObjectIndex([vs]);
    const entry = index.virtualServices[0];
    const list = index.destinations(entry);

    expect(list).toEqual(destinationsOf(vs));
    expect(list.map(d => [d.field, d.host, d.port])).toEqual([['spec.tls[0].route[0].destination', HOST, 443]]);
    expect(index.destinations(entry)).toBe(list);
  });
});

describe('resolve: what defines a host and where it is seen', () => {
  test('a host that is no Service host and that nothing defines is missing, not a Service of an unknown namespace', () => {
    expect(new ObjectIndex([]).resolveHost('nothing.example.com', 'team-a')).toEqual({ status: 'missing', host: 'nothing.example.com' });
  });

  test('a host that is no Service host is not looked up as a Service, even of a namespace called `undefined`', () => {
    const objects = [service('api', 'undefined', { ports: [{ port: 443, name: 'tls' }] })];
    assertValidIstioObjects(objects);

    expect(new ObjectIndex(objects).resolveHost(HOST, 'team-a')).toEqual({ status: 'missing', host: HOST });
  });

  test('a ServiceEntry counts where its spec.exportTo exports it, not by the Service annotation', () => {
    const objects = [serviceEntry('api', 'team-a', { hosts: [HOST], ports: tls, resolution: 'DNS', exportTo: ['.'] })];
    assertValidIstioObjects(objects);
    const index = new ObjectIndex(objects);

    expect(index.resolveHost(HOST, 'team-b')).toEqual({ status: 'hidden', host: HOST, definitions: [{ index: 0, object: objects[0] }] });
    expect(index.resolveHost(HOST, 'team-a')).toMatchObject({ status: 'found', definitions: [{ index: 0 }] });
  });

  test('a Service\'s ports are its spec.ports[].port, next to a ServiceEntry\'s ports of the same host', () => {
    const host = 'reviews.team-a.svc.cluster.local';
    const objects = [
      service('reviews', 'team-a', { selector: { app: 'reviews' }, ports: [{ port: 9080, name: 'http', protocol: 'TCP', targetPort: 8080 }] }),
      serviceEntry('reviews', 'team-a', { hosts: [host], ports: [{ number: 9443, name: 'tls', protocol: 'TLS' }], resolution: 'DNS' }),
    ];
    assertValidIstioObjects(objects);

    expect(new ObjectIndex(objects).resolveHost('reviews', 'team-a')).toEqual({
      status: 'found',
      host,
      definitions: [{ index: 0, object: objects[0] }, { index: 1, object: objects[1] }],
      ports: [
        { number: 9080, name: 'http', protocol: 'TCP', targetPort: 8080 },
        { number: 9443, name: 'tls', protocol: 'TLS', targetPort: undefined },
      ],
    });
  });
});

describe('entriesFor: ServiceEntries whose hosts cover a host, exactly or by a wildcard', () => {
  const wildcard = serviceEntry('wild', 'team-a', { hosts: ['*.example.com'], ports: tls, resolution: 'NONE' });
  const mixed = serviceEntry('mixed', 'team-a', { hosts: ['fixed.example.org', '*.example.net'], ports: tls, resolution: 'NONE' });
  const exact = serviceEntry('api', 'team-a', { hosts: [HOST], ports: tls, resolution: 'DNS' });

  test('a wildcard host covers the names under it, after the exact entries; other names it does not cover', () => {
    const objects = [wildcard, exact];
    assertValidIstioObjects(objects);
    const index = new ObjectIndex(objects);

    expect(index.entriesFor(HOST).map(e => e.index)).toEqual([1, 0]);
    expect(index.entriesFor('www.example.com').map(e => e.index)).toEqual([0]);
    expect(index.entriesFor('api.example.org')).toEqual([]);
    expect(index.entriesFor('example.com')).toEqual([]);
  });

  test('one wildcard host among a ServiceEntry\'s hosts is enough to cover a name', () => {
    const objects = [mixed];
    assertValidIstioObjects(objects);
    const index = new ObjectIndex(objects);

    expect(index.entriesFor('api.example.net').map(e => e.index)).toEqual([0]);
    expect(index.entriesFor('api.example.org')).toEqual([]);
  });

  test('a host that is no string (the API server refuses it; lint reads any YAML) covers nothing and breaks nothing', () => {
    const odd: any = serviceEntry('odd', 'team-a', { hosts: ['*.example.com', 7], ports: tls, resolution: 'NONE' });
    const index = new ObjectIndex([odd]);

    expect(index.entriesFor('api.example.org')).toEqual([]);
    expect(index.entriesFor(HOST).map(e => e.index)).toEqual([0]);
  });
});

describe('entriesFor: each ServiceEntry once', () => {
  test('an entry listing a host and a wildcard that covers it is one definition of the host (Istio makes one service per host)', () => {
    const mixed = serviceEntry('mixed', 'team-a', { hosts: ['fixed.example.org', '*.example.org'], resolution: 'NONE', ports: tls });
    const other = serviceEntry('other', 'team-a', { hosts: ['*.example.org'], resolution: 'NONE', ports: tls });
    const objects = [mixed, other];
    assertValidIstioObjects(objects);
    const index = new ObjectIndex(objects);

    expect(index.entriesFor('fixed.example.org').map(e => e.index)).toEqual([0, 1]);
    expect(index.entriesFor('api.example.org').map(e => e.index)).toEqual([0, 1]);
    const resolved = index.resolveHost('fixed.example.org', 'team-a');
    expect(resolved.status).toBe('found');
    if (resolved.status === 'found') {
      expect(resolved.definitions.map(d => d.index)).toEqual([0, 1]);
      expect(resolved.ports.map(p => p.number)).toEqual([443, 443]);
    }
  });
});
