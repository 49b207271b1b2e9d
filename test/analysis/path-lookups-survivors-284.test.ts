/**
 * The look-ups of src/analysis/path-lookups.ts that the other tests leave open: which tls route applies by its sniHosts
 * (Istio's TLS filter chains match on a match's sniHosts; a match without them matches every SNI, tls.go
 * buildSidecarOutboundTLSFilterChainOpts), what a route hit reports of its destination, and the DestinationRules a proxy
 * applies by its labels (workloadSelector), each look-up answered for its own host, proxy and host namespace.
 */
import { destinationRule, virtualService } from './objects';
import { IndexedObject, ObjectIndex, label } from '../../src/analysis/model';
import { Block, RouteIndex, destinationRulesFor } from '../../src/analysis/path-lookups';
import { assertValidIstioObjects } from '../support/crd-validator';

const HOST = 'api.example.com';
const OTHER = 'other.example.com';

const indexed = (objects: any[]): IndexedObject[] => objects.map((object, index) => ({ index, object }));
/** The route hit the sidecars (`mesh`) get for `host` on `port`. */
const meshHit = (objects: any[], port: number, blocks: Block[], host = HOST) =>
  new RouteIndex(indexed(objects)).find({ gateway: 'mesh', host, port, blocks, preferNamespace: 'team-a' });
/** The same, as `field -> host`. */
function meshRoute(objects: any[], port: number, blocks: Block[], host = HOST): string | undefined {
  const hit = meshHit(objects, port, blocks, host);
  return hit && `${hit.field} -> ${String(hit.host)}`;
}
const to = (host: string) => [{ destination: { host } }];
const names = (rules: { rules: readonly IndexedObject[] }) => rules.rules.map(dr => label(dr.object));

describe('tls routes by their sniHosts', () => {
  const tlsRoutes = (first: unknown[]) => virtualService('api', 'team-a', {
    hosts: [HOST, OTHER],
    tls: [{ match: [{ port: 443, sniHosts: first }], route: to('first.example.com') }, { match: [{ port: 443, sniHosts: [HOST] }], route: to('second.example.com') }],
  });

  test('a match whose sniHosts do not cover the host does not apply; the route for the host does', () => {
    const vs = tlsRoutes([OTHER]);
    assertValidIstioObjects([vs]);

    expect(meshRoute([vs], 443, ['tls'])).toBe('spec.tls[1] -> second.example.com');
    expect(meshRoute([vs], 443, ['tls'], OTHER)).toBe('spec.tls[0] -> first.example.com');
  });

  test('a match whose sniHosts cover the host (a wildcard) applies', () => {
    const vs = virtualService('api', 'team-a', { hosts: ['*.example.com'], tls: [{ match: [{ port: 443, sniHosts: ['*.example.com'] }], route: to('first.example.com') }] });
    assertValidIstioObjects([vs]);

    expect(meshRoute([vs], 443, ['tls'])).toBe('spec.tls[0] -> first.example.com');
  });

  // Refused by the webhook (VS16: at least one SNI host) and the schema (sniHosts are strings): read as Envoy would
  // read the strings of them, no SNI host matching every SNI.
  test('a match without sniHosts, or with no string among them, matches every SNI; other entries beside a string are passed over', () => {
    expect(meshRoute([tlsRoutes([])], 443, ['tls'])).toBe('spec.tls[0] -> first.example.com');
    expect(meshRoute([virtualService('api', 'team-a', { hosts: [HOST], tls: [{ match: [{ port: 443 }], route: to('first.example.com') }] })], 443, ['tls']))
      .toBe('spec.tls[0] -> first.example.com');
    expect(meshRoute([tlsRoutes([7])], 443, ['tls'])).toBe('spec.tls[0] -> first.example.com');
    expect(meshRoute([tlsRoutes([7, OTHER])], 443, ['tls'])).toBe('spec.tls[1] -> second.example.com');
    expect(meshRoute([tlsRoutes([7, HOST])], 443, ['tls'])).toBe('spec.tls[0] -> first.example.com');
  });

  // Refused by the webhook (a tls route needs a destination): a route that takes every SNI the match names and leads
  // nowhere ends the look-up, as a redirect for every request does; sniHosts pick the listener, not some requests.
  test('a tls route without destination whose match names the host by its sniHosts ends the look-up: no later route', () => {
    const vs = virtualService('api', 'team-a', {
      hosts: [HOST],
      tls: [{ match: [{ port: 443, sniHosts: [HOST] }], route: [] }, { match: [{ port: 443, sniHosts: [HOST] }], route: to('second.example.com') }],
    });

    expect(meshRoute([vs], 443, ['tls'])).toBeUndefined();
    // The same route for some clients only (sourceLabels): the others go on to the later route.
    const some = virtualService('api', 'team-a', {
      hosts: [HOST],
      tls: [{ match: [{ port: 443, sniHosts: [HOST], sourceLabels: { app: 'a' } }], route: [] }, { match: [{ port: 443, sniHosts: [HOST] }], route: to('second.example.com') }],
    });
    expect(meshRoute([some], 443, ['tls'])).toBe('spec.tls[1] -> second.example.com');
  });
});

describe('the hit of a route: its first destination with a host', () => {
  test('a VirtualService route: kind VirtualService, the destination field by its place, the subset', () => {
    const vs = virtualService('api', 'team-a', {
      hosts: [HOST],
      http: [{ route: [{ destination: { host: 'a.example.com', subset: 'v1', port: { number: 8443 } }, weight: 100 }] }],
    });
    assertValidIstioObjects([vs]);

    const hit = meshHit([vs], 80, ['http']);

    expect(hit).toMatchObject({ kind: 'VirtualService', block: 'http', index: 0, field: 'spec.http[0]' });
    expect(hit).toMatchObject({ destinationField: 'spec.http[0].route[0].destination', host: 'a.example.com', port: 8443, subset: 'v1' });
  });

  test('a destination without subset has none; a later route entry is named by its place', () => {
    const vs = virtualService('api', 'team-a', { hosts: [HOST], tcp: [{ match: [{ port: 5433 }], route: to('replica.example.com') }, { route: to('db.example.com') }] });
    assertValidIstioObjects([vs]);
    const hit = meshHit([vs], 5432, ['tcp']);

    expect(hit).toMatchObject({ kind: 'VirtualService', field: 'spec.tcp[1]', destinationField: 'spec.tcp[1].route[0].destination', host: 'db.example.com' });
    expect(hit!.subset).toBeUndefined();
  });

  // Refused by the schema (a route entry needs a destination with a string host; a subset is a string): passed over.
  test('route entries that are no objects, have no destination or no string host are passed over; a subset that is no string is none', () => {
    const vs = virtualService('api', 'team-a', {
      hosts: [HOST],
      http: [{ route: [null, { weight: 10 }, { destination: { subset: 'v1' } }, { destination: { host: 7 } }, { destination: { host: 'later.example.com', subset: 7 } }] }],
    });
    const hit = meshHit([vs], 80, ['http']);

    expect(hit).toMatchObject({ destinationField: 'spec.http[0].route[4].destination', host: 'later.example.com' });
    expect(hit!.subset).toBeUndefined();
    expect(meshHit([virtualService('api', 'team-a', { hosts: [HOST], http: [{ route: [{ weight: 10 }, ...to('b.example.com')] }] })], 80, ['http']))
      .toMatchObject({ destinationField: 'spec.http[0].route[1].destination', host: 'b.example.com' });
    expect(meshHit([virtualService('api', 'team-a', { hosts: [HOST], http: [{ route: [{ destination: { host: 7 } }, ...to('b.example.com')] }] })], 80, ['http']))
      .toMatchObject({ destinationField: 'spec.http[0].route[1].destination', host: 'b.example.com' });
  });
});

describe('DestinationRules by the proxy\'s labels (workloadSelector)', () => {
  const rule = (name: string, ns: string, extra: any = {}) => destinationRule(name, ns, { host: HOST, ...extra, trafficPolicy: { tls: { mode: 'SIMPLE' } } });
  const objects = [rule('plain', 'team-a'), rule('for-client', 'team-a', { workloadSelector: { matchLabels: { app: 'client' } } })];

  test('a rule whose selector selects the proxy\'s pods: that one; else the rules without selector', () => {
    assertValidIstioObjects(objects);
    const picked = (labels?: Record<string, string>) =>
      names(destinationRulesFor(new ObjectIndex(objects), HOST, labels ? { namespace: 'team-a', labels } : { namespace: 'team-a' }, 'team-a'));

    expect(picked({ app: 'client', version: 'v1' })).toEqual(['team-a/for-client']);
    expect(picked({ app: 'other' })).toEqual(['team-a/plain']);
    expect(picked()).toEqual(['team-a/plain']);
    // Only selecting rules: a proxy they do not select applies none.
    expect(names(destinationRulesFor(new ObjectIndex([objects[1]]), HOST, { namespace: 'team-a', labels: { app: 'other' } }, 'team-a'))).toEqual([]);
    expect(names(destinationRulesFor(new ObjectIndex([objects[1]]), HOST, { namespace: 'team-a', labels: { app: 'client' } }, 'team-a')))
      .toEqual(['team-a/for-client']);
  });

  test('look-ups on one index for proxies of other labels each get their own rules', () => {
    const index = new ObjectIndex(objects);
    const picked = (labels: Record<string, string>) => names(destinationRulesFor(index, HOST, { namespace: 'team-a', labels }, 'team-a'));

    expect(picked({ app: 'client' })).toEqual(['team-a/for-client']);
    expect(picked({ app: 'other' })).toEqual(['team-a/plain']);
    expect(picked({ app: 'client' })).toEqual(['team-a/for-client']);
    expect(names(destinationRulesFor(index, HOST, { namespace: 'team-a' }, 'team-a'))).toEqual(['team-a/plain']);
  });
});

describe('each DestinationRule look-up answered for its own host, proxy namespace and host namespace', () => {
  const exported = destinationRule('api', 'team-b', { host: HOST, trafficPolicy: { tls: { mode: 'SIMPLE' } } });
  const other = destinationRule('other', 'team-c', { host: OTHER, trafficPolicy: { tls: { mode: 'SIMPLE' } } });

  test('the same look-up twice: the same merged rules', () => {
    const index = new ObjectIndex([exported, other]);

    expect(destinationRulesFor(index, HOST, { namespace: 'team-c' }, 'team-b')).toBe(destinationRulesFor(index, HOST, { namespace: 'team-c' }, 'team-b'));
  });

  test('other hosts, host namespaces and proxy namespaces on one index', () => {
    const objects = [exported, other];
    assertValidIstioObjects(objects);
    const index = new ObjectIndex(objects);
    const picked = (host: string, proxyNamespace: string, hostNamespace: string | undefined) =>
      names(destinationRulesFor(index, host, { namespace: proxyNamespace }, hostNamespace));

    // The host's namespace exports its rule; another namespace named as the host's has none.
    expect(picked(HOST, 'team-c', 'team-a')).toEqual([]);
    expect(picked(HOST, 'team-c', 'team-b')).toEqual(['team-b/api']);
    expect(picked(HOST, 'team-c', undefined)).toEqual([]);
    expect(picked(OTHER, 'team-c', 'team-b')).toEqual(['team-c/other']);
    expect(picked(OTHER, 'team-a', 'team-b')).toEqual([]);
    expect(picked(HOST, 'team-b', undefined)).toEqual(['team-b/api']);
  });
});
