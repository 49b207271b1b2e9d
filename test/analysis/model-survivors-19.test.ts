/**
 * The cross-object model (src/analysis/model.ts), its first helpers tested directly: whether a VirtualService
 * binds to the sidecars, `label`, a ServiceEntry's exportTo, short-name expansion, and the gateways and route
 * blocks of `destinationsOf`, as pilot and istioctl analyze read them.
 */
import { NET, meta, serviceEntry, virtualService } from './objects';
import { destinationsOf, exportedTo, isMeshBound, isVisibleIn, label, qualifyHost } from '../../src/analysis/model';
import { assertValidIstioObjects } from '../support/crd-validator';

const HOST = 'api.example.com';

describe('isMeshBound: a VirtualService applies to the sidecars when it names no gateway, or names `mesh`', () => {
  test('no gateways, an empty list, `mesh` alone or among others bind to the sidecars; only other gateways do not', () => {
    const route = { route: [{ destination: { host: HOST } }] };
    const none = virtualService('none', 'team-a', { hosts: [HOST], http: [route] });
    const empty = virtualService('empty', 'team-a', { hosts: [HOST], gateways: [], http: [route] });
    const mesh = virtualService('mesh', 'team-a', { hosts: [HOST], gateways: ['mesh'], http: [route] });
    const both = virtualService('both', 'team-a', { hosts: [HOST], gateways: ['istio-system/egress', 'mesh'], http: [route] });
    const gatewayOnly = virtualService('gw', 'team-a', { hosts: [HOST], gateways: ['istio-system/egress'], http: [route] });
    assertValidIstioObjects([none, empty, mesh, both, gatewayOnly]);

    expect([none, empty, mesh, both, gatewayOnly].map(isMeshBound)).toEqual([true, true, true, true, false]);
  });

  test('a VirtualService without a spec names no gateway: it binds to the sidecars', () => {
    const bare = { apiVersion: NET, kind: 'VirtualService', metadata: meta('bare', 'team-a') };
    assertValidIstioObjects([bare]);

    expect(isMeshBound(bare)).toBe(true);
  });
});

describe('label: namespace/name', () => {
  test('metadata without a name (deliberately malformed: the API server requires one) is an empty name', () => {
    expect(label({ apiVersion: NET, kind: 'ServiceEntry', metadata: { namespace: 'team-a' } })).toBe('team-a/');
  });
});

describe('exportedTo / isVisibleIn: an object\'s exportTo as pilot reads it', () => {
  const entry = (exportTo?: string[], spec: Record<string, unknown> = { hosts: [HOST] }) =>
    serviceEntry('api', 'team-a', { ...spec, ...(exportTo === undefined ? {} : { exportTo }) });

  test('no exportTo, an empty one or `*`: every namespace', () => {
    const objects = [entry(), entry([]), entry(['*'])];
    assertValidIstioObjects(objects);

    expect(objects.map(exportedTo)).toEqual([undefined, undefined, undefined]);
    expect(objects.map(o => isVisibleIn(o, 'team-b'))).toEqual([true, true, true]);
  });

  test('an object without a spec (a VirtualService may have none; a ServiceEntry may not) is exported everywhere', () => {
    const bare = { apiVersion: NET, kind: 'VirtualService', metadata: meta('bare', 'team-a') };
    assertValidIstioObjects([bare]);

    expect(exportedTo(bare)).toBeUndefined();
    expect(isVisibleIn(bare, 'team-b')).toBe(true);
  });

  test('named namespaces are taken as written; `.` is the object\'s own namespace', () => {
    const named = entry(['team-b', 'team-c']);
    const own = entry(['.']);
    const mixed = entry(['.', 'team-c']);
    assertValidIstioObjects([named, own, mixed]);

    expect(exportedTo(named)).toEqual(new Set(['team-b', 'team-c']));
    expect(exportedTo(own)).toEqual(new Set(['team-a']));
    expect(exportedTo(mixed)).toEqual(new Set(['team-a', 'team-c']));
  });

  test('visible only in the namespaces exported to', () => {
    const own = entry(['.']);
    const named = entry(['team-b']);
    assertValidIstioObjects([own, named]);

    expect([isVisibleIn(own, 'team-a'), isVisibleIn(own, 'team-b')]).toEqual([true, false]);
    expect([isVisibleIn(named, 'team-a'), isVisibleIn(named, 'team-b')]).toEqual([false, true]);
  });
});

describe('qualifyHost: short names are Services of the namespace (istioctl analyze\'s ConvertHostToFQDN)', () => {
  test('a short name is name.<namespace>.svc.cluster.local', () => {
    expect(qualifyHost('reviews', 'team-a')).toBe('reviews.team-a.svc.cluster.local');
    expect(qualifyHost('reviews', 'team-b')).toBe('reviews.team-b.svc.cluster.local');
  });

  test('a name with a dot, an IPv6 address and a wildcard are taken as written', () => {
    expect(qualifyHost('reviews.default', 'team-a')).toBe('reviews.default');
    expect(qualifyHost('2001:db8::1', 'team-a')).toBe('2001:db8::1');
    expect(qualifyHost('*', 'team-a')).toBe('*');
    expect(qualifyHost('*.example.com', 'team-a')).toBe('*.example.com');
  });

  test('only a leading `*` makes a wildcard (strings.HasPrefix(host, "*")): a trailing one is part of a short name', () => {
    expect(qualifyHost('*reviews', 'team-a')).toBe('*reviews');
    expect(qualifyHost('reviews*', 'team-a')).toBe('reviews*.team-a.svc.cluster.local');
  });
});

describe('destinationsOf: the gateways of a route and the route blocks read', () => {
  test('the destinations of the http, tls and tcp routes, in that order', () => {
    const vs = virtualService('api', 'team-a', {
      hosts: [HOST],
      tcp: [{ match: [{ port: 9000 }], route: [{ destination: { host: 'c.example.com', port: { number: 9000 } } }] }],
      tls: [{ match: [{ port: 443, sniHosts: [HOST] }], route: [{ destination: { host: 'b.example.com', port: { number: 443 } } }] }],
      http: [{ route: [{ destination: { host: 'a.example.com' } }] }],
    });
    assertValidIstioObjects([vs]);

    expect(destinationsOf(vs).map(d => [d.field, d.host, d.port])).toEqual([
      ['spec.http[0].route[0].destination', 'a.example.com', undefined],
      ['spec.tls[0].route[0].destination', 'b.example.com', 443],
      ['spec.tcp[0].route[0].destination', 'c.example.com', 9000],
    ]);
  });

  test('no gateways: the routes apply to the sidecars (`mesh`)', () => {
    const vs = virtualService('api', 'team-a', { hosts: [HOST], http: [{ route: [{ destination: { host: HOST } }] }] });
    assertValidIstioObjects([vs]);

    expect(destinationsOf(vs).map(d => d.gateways)).toEqual([['mesh']]);
  });

  test('`mesh` stays `mesh` among the bound gateways; the others resolve in the VirtualService\'s namespace', () => {
    const vs = virtualService('api', 'team-a', { hosts: [HOST], gateways: ['mesh', 'egress'], http: [{ route: [{ destination: { host: HOST } }] }] });
    assertValidIstioObjects([vs]);

    expect(destinationsOf(vs).map(d => d.gateways)).toEqual([['mesh', 'team-a/egress']]);
  });

  test('a VirtualService without a spec has no destinations', () => {
    const bare = { apiVersion: NET, kind: 'VirtualService', metadata: meta('bare', 'team-a') };
    assertValidIstioObjects([bare]);

    expect(destinationsOf(bare)).toEqual([]);
  });

  test('gateways that are no strings (deliberately malformed: the schema wants strings) are passed over', () => {
    const odd = (gateways: unknown[]) => virtualService('odd', 'team-a', { hosts: [HOST], gateways, http: [{ route: [{ destination: { host: HOST } }] }] });

    expect(destinationsOf(odd([7, null])).map(d => d.gateways)).toEqual([['mesh']]);
    expect(destinationsOf(odd([{ name: 'egress' }, 'istio-system/egress'])).map(d => d.gateways)).toEqual([['istio-system/egress']]);
  });
});
