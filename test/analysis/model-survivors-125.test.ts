/**
 * The ObjectIndex's one pass over the objects (src/analysis/model.ts): which list each kind goes to, the Services
 * that define hosts, the ServiceEntry hosts (exact or wildcard) and the DestinationRule subsets by host, read
 * directly from the index; and the destinations of a VirtualService that has no spec.
 */
import { NET, deployment, destinationRule, meta, pod, service, serviceEntry, sidecar, virtualService } from './objects';
import { ObjectIndex, destinationsOf } from '../../src/analysis/model';
import { assertValidIstioObjects } from '../support/crd-validator';

describe('destinationsOf: a VirtualService without a spec', () => {
  test('has no destinations (lint reads any YAML; nothing is read from the missing spec)', () => {
    const bare = { apiVersion: NET, kind: 'VirtualService', metadata: meta('bare', 'team-a') };

    expect(destinationsOf(bare)).toEqual([]);
  });
});

describe('the ObjectIndex: each kind in its own list', () => {
  test('VirtualServices, DestinationRules, Sidecars and the pod labels of workloads each go to their own list, in input order', () => {
    const objects = [
      virtualService('vs', 'team-a', { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews' } }] }] }),
      destinationRule('dr', 'team-a', { host: 'reviews' }),
      sidecar('sc', 'team-a', { egress: [{ hosts: ['./*'] }] }),
      deployment('d', 'team-a', { app: 'd' }),
      pod('p', 'team-a', { app: 'p' }),
      destinationRule('dr2', 'team-b', { host: 'ratings' }),
    ];
    assertValidIstioObjects(objects);
    const index = new ObjectIndex(objects);

    expect(index.virtualServices.map(e => e.index)).toEqual([0]);
    expect(index.destinationRules.map(e => e.index)).toEqual([1, 5]);
    expect(index.sidecars.map(e => e.index)).toEqual([2]);
    expect(index.podLabels).toEqual([{ app: 'd' }, { app: 'p' }]);
  });

  test('without workloads there are no pod labels', () => {
    expect(new ObjectIndex([]).podLabels).toEqual([]);
    expect(new ObjectIndex([service('reviews', 'team-a', { ports: [{ port: 80 }] })]).podLabels).toEqual([]);
  });
});

describe('the ObjectIndex: Services by name', () => {
  test('a Service whose name is no string (the API server refuses it; lint reads any YAML) defines no host and no known namespace', () => {
    const odd: any = { apiVersion: 'v1', kind: 'Service', metadata: { name: 7, namespace: 'team-b' }, spec: { ports: [{ port: 80 }] } };
    const host = '7.team-b.svc.cluster.local';

    expect(new ObjectIndex([odd]).resolveHost(host, 'team-a')).toEqual({ status: 'unknown', host, namespace: 'team-b' });
  });

  test('a Service without metadata is passed over', () => {
    const bare = { apiVersion: 'v1', kind: 'Service', spec: { ports: [{ port: 80 }] } };
    const index = new ObjectIndex([bare]);

    expect(index.servicesIn('default').map(e => e.index)).toEqual([0]);
    expect(index.resolveHost('x.default.svc.cluster.local', 'default')).toEqual({ status: 'unknown', host: 'x.default.svc.cluster.local', namespace: 'default' });
  });
});

describe('the ObjectIndex: ServiceEntry hosts, exact or wildcard (entriesFor)', () => {
  const wild = serviceEntry('wild', 'team-a', { hosts: ['*.example.com'], resolution: 'NONE', ports: [{ number: 443, name: 'tls', protocol: 'TLS' }] });
  const api = serviceEntry('api', 'team-a', {
    hosts: ['api.example.com', 'other.example.com'], resolution: 'DNS', ports: [{ number: 443, name: 'tls', protocol: 'TLS' }],
  });

  test('a wildcard host covers the hosts under it; the entries that name a host exactly come first, each entry once', () => {
    const objects = [wild, api];
    assertValidIstioObjects(objects);
    const index = new ObjectIndex(objects);

    expect(index.serviceEntries.map(e => e.index)).toEqual([0, 1]);
    expect(index.entriesFor('api.example.com').map(e => e.index)).toEqual([1, 0]);
    expect(index.entriesFor('other.example.com').map(e => e.index)).toEqual([1, 0]);
    expect(index.entriesFor('www.example.com').map(e => e.index)).toEqual([0]);
    expect(index.entriesFor('example.org')).toEqual([]);
    expect(index.resolveHost('www.example.com', 'team-b')).toMatchObject({ status: 'found', definitions: [{ index: 0 }], ports: [{ number: 443 }] });
  });

  test('without wildcard entries, a host is covered by the entries that name it only', () => {
    const index = new ObjectIndex([api]);

    expect(index.entriesFor('api.example.com').map(e => e.index)).toEqual([0]);
    expect(index.entriesFor('www.example.com')).toEqual([]);
  });

  test('hosts that are no strings (the API server refuses them; lint reads any YAML) are passed over', () => {
    const odd = serviceEntry('odd', 'team-a', { hosts: [7, null, 'api.example.com'], resolution: 'DNS', ports: [{ number: 80, name: 'http', protocol: 'HTTP' }] });
    const index = new ObjectIndex([odd]);

    expect(index.entriesFor('api.example.com').map(e => e.index)).toEqual([0]);
    expect(index.entriesFor('7')).toEqual([]);
  });

  test('a ServiceEntry without a spec is a ServiceEntry that defines no host', () => {
    const bare = { apiVersion: NET, kind: 'ServiceEntry', metadata: meta('bare', 'team-a') };
    const index = new ObjectIndex([bare]);

    expect(index.serviceEntries).toEqual([{ index: 0, object: bare }]);
    expect(index.entriesFor('api.example.com')).toEqual([]);
  });
});

describe('the ObjectIndex: DestinationRule subsets by host (hasSubset)', () => {
  test('a DestinationRule\'s subsets are recorded under its host, a short name read in the rule\'s namespace', () => {
    const objects = [
      destinationRule('reviews', 'team-a', { host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }] }),
      destinationRule('api', 'team-a', { host: 'api.example.com', subsets: [{ name: 'v2', labels: { version: 'v2' } }] }),
    ];
    assertValidIstioObjects(objects);
    const index = new ObjectIndex(objects);

    expect(index.hasSubset('reviews', 'v1', 'team-a')).toBe(true);
    expect(index.hasSubset('reviews.team-a.svc.cluster.local', 'v1', 'team-b')).toBe(true);
    expect(index.hasSubset('reviews', 'v2', 'team-a')).toBe(false);
    expect(index.hasSubset('api.example.com', 'v2', 'team-a')).toBe(true);
    expect(index.hasSubset('api.example.com', 'v2', 'team-b')).toBe(false);
  });

  test('a DestinationRule without a host, or without a spec, is still a DestinationRule but defines no subset', () => {
    const hostless = destinationRule('hostless', 'team-a', { subsets: [{ name: 'v1', labels: { version: 'v1' } }] });
    const bare = { apiVersion: NET, kind: 'DestinationRule', metadata: meta('bare', 'team-a') };
    const index = new ObjectIndex([hostless, bare]);

    expect(index.destinationRules.map(e => e.index)).toEqual([0, 1]);
    expect(index.hasSubset('reviews', 'v1', 'team-a')).toBe(false);
  });
});
