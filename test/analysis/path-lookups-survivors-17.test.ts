/**
 * The small look-ups of src/analysis/path-lookups.ts that the egress paths are built from: string order, spec and field
 * readers, the preference order of candidates, the route blocks of a sidecar and of a gateway server, the wildcard
 * VirtualService hosts of the route index, and the root namespace's DestinationRules.
 */
import { destinationRule, virtualService } from './objects';
import { IndexedObject, ObjectIndex, label } from '../../src/analysis/model';
import {
  RouteIndex, byPreference, compareStrings, destinationRulesFor, gatewayBlocks, isPassthrough, portNumber, sidecarBlocks, specOf, strings,
} from '../../src/analysis/path-lookups';
import { assertValidIstioObjects } from '../support/crd-validator';

const HOST = 'api.example.com';

const to = (host: string) => [{ destination: { host } }];

describe('value readers', () => {
  test('compareStrings orders strings: before is -1, after 1, equal 0', () => {
    expect(compareStrings('a', 'b')).toBe(-1);
    expect(compareStrings('b', 'a')).toBe(1);
    expect(compareStrings('a', 'a')).toBe(0);
  });

  test('specOf reads the spec of a manifest and of an indexed object; a missing or non-object spec is empty', () => {
    const vs = virtualService('api', 'team-a', { hosts: [HOST] });

    expect(specOf(vs)).toEqual({ hosts: [HOST] });
    expect(specOf({ index: 3, object: vs })).toEqual({ hosts: [HOST] });
    // A manifest with a field named `index` (but no `object`) is still a manifest, not an indexed object.
    expect(specOf({ ...vs, index: 3 } as any)).toEqual({ hosts: [HOST] });
    expect(specOf({ ...vs, object: vs.spec } as any)).toEqual({ hosts: [HOST] });
    expect(specOf({ apiVersion: 'v1', kind: 'VirtualService', metadata: { name: 'x' } })).toEqual({});
    expect(specOf({ apiVersion: 'v1', kind: 'VirtualService', spec: 'hosts' } as any)).toEqual({});
  });

  test('strings keeps the strings of a list and drops anything else', () => {
    expect(strings(['a', 1, null, { b: 2 }, 'c'])).toEqual(['a', 'c']);
    expect(strings('a')).toEqual([]);
  });

  test('portNumber is a number field only: a numeric string is no port number', () => {
    expect(portNumber(443)).toBe(443);
    expect(portNumber('443')).toBeUndefined();
    expect(portNumber(undefined)).toBeUndefined();
  });
});

describe('byPreference: lower rank first, then namespace/name, then input index', () => {
  const named = (index: number, name: string, ns = 'team-a'): IndexedObject => ({ index, object: virtualService(name, ns, {}) });
  const order = (objects: IndexedObject[], rank: (o: IndexedObject) => number) => byPreference(objects, rank).map(o => `${o.index} ${label(o.object)}`);

  test('the rank decides before the name and the index', () => {
    const alpha = named(0, 'alpha');
    const zeta = named(1, 'zeta');
    const rank = (o: IndexedObject) => (o === zeta ? 0 : 1);

    expect(order([alpha, zeta], rank)).toEqual(['1 team-a/zeta', '0 team-a/alpha']);
    expect(order([zeta, alpha], rank)).toEqual(['1 team-a/zeta', '0 team-a/alpha']);
  });

  test('of two ranks above zero, the lower first', () => {
    const alpha = named(0, 'alpha');
    const zeta = named(1, 'zeta');
    const rank = (o: IndexedObject) => (o === zeta ? 1 : 2);

    expect(order([alpha, zeta], rank)).toEqual(['1 team-a/zeta', '0 team-a/alpha']);
  });

  test('of one rank: by namespace/name, whatever the input index', () => {
    expect(order([named(0, 'zeta'), named(1, 'alpha')], () => 0)).toEqual(['1 team-a/alpha', '0 team-a/zeta']);
    expect(order([named(0, 'b', 'team-b'), named(1, 'z', 'team-a')], () => 1)).toEqual(['1 team-a/z', '0 team-b/b']);
  });

  test('of one rank and one namespace/name: by input index', () => {
    expect(order([named(2, 'api'), named(1, 'api'), named(0, 'api')], () => 0)).toEqual(['0 team-a/api', '1 team-a/api', '2 team-a/api']);
    expect(order([named(2, 'api'), named(1, 'api')], () => 1)).toEqual(['1 team-a/api', '2 team-a/api']);
  });
});

describe('route blocks', () => {
  test('a sidecar routes HTTP ports by http, TLS and HTTPS by tls then tcp, the rest by tcp', () => {
    expect(sidecarBlocks('HTTP')).toEqual(['http']);
    expect(sidecarBlocks('GRPC')).toEqual(['http']);
    expect(sidecarBlocks('TLS')).toEqual(['tls', 'tcp']);
    expect(sidecarBlocks('HTTPS')).toEqual(['tls', 'tcp']);
    expect(sidecarBlocks('TCP')).toEqual(['tcp']);
    expect(sidecarBlocks('MONGO')).toEqual(['tcp']);
  });

  test('PASSTHROUGH and AUTO_PASSTHROUGH pass TLS through; the other modes do not', () => {
    expect(isPassthrough('PASSTHROUGH')).toBe(true);
    expect(isPassthrough('AUTO_PASSTHROUGH')).toBe(true);
    expect(isPassthrough('SIMPLE')).toBe(false);
    expect(isPassthrough('ISTIO_MUTUAL')).toBe(false);
    expect(isPassthrough('none')).toBe(false);
    expect(isPassthrough('')).toBe(false);
  });

  test('a gateway server: HTTP and terminated HTTPS by http, passed-through TLS by tls, terminated TLS and TCP by tcp', () => {
    expect(gatewayBlocks('HTTP', 'none')).toEqual(['http']);
    expect(gatewayBlocks('HTTP2', 'none')).toEqual(['http']);
    expect(gatewayBlocks('HTTPS', 'SIMPLE')).toEqual(['http']);
    expect(gatewayBlocks('https', 'ISTIO_MUTUAL')).toEqual(['http']);
    expect(gatewayBlocks('HTTPS', 'PASSTHROUGH')).toEqual(['tls']);
    expect(gatewayBlocks('HTTPS', 'AUTO_PASSTHROUGH')).toEqual(['tls']);
    expect(gatewayBlocks('TLS', 'PASSTHROUGH')).toEqual(['tls']);
    expect(gatewayBlocks('TLS', 'ISTIO_MUTUAL')).toEqual(['tcp']);
    expect(gatewayBlocks('TCP', 'none')).toEqual(['tcp']);
    // Istio refuses TLS settings on a TCP server; a passthrough mode does not make a TCP server's routes tls ones.
    expect(gatewayBlocks('TCP', 'PASSTHROUGH')).toEqual(['tcp']);
  });
});

describe('the route index: wildcard VirtualService hosts', () => {
  const find = (routes: RouteIndex, host: string) => {
    const hit = routes.find({ gateway: 'mesh', host, port: 80, blocks: ['http'], preferNamespace: 'team-a' });
    return hit && `${hit.field} -> ${hit.host}`;
  };

  test('a VirtualService for a wildcard host routes the hosts it covers', () => {
    const vs = virtualService('wildcard', 'team-a', { hosts: ['*.example.com'], http: [{ route: to('wild.example.com') }] });
    assertValidIstioObjects([vs]);
    const routes = new RouteIndex([{ index: 0, object: vs }]);

    expect(find(routes, HOST)).toBe('spec.http[0] -> wild.example.com');
    expect(find(routes, 'api.example.org')).toBeUndefined();
  });

  test('entries that tie on rank, namespace/name and index: the one listed by its exact host before the wildcard one', () => {
    // The index takes any IndexedObjects; Gateway API views of one route share an index and a name.
    // Both rank alike: the exact host is written short (`api`), so neither is written as the queried host.
    const wildcard = virtualService('api', 'team-a', { hosts: ['*.team-a.svc.cluster.local'], http: [{ route: to('wild.example.com') }] });
    const exact = virtualService('api', 'team-a', { hosts: ['api'], http: [{ route: to('exact.example.com') }] });
    assertValidIstioObjects([wildcard, exact]);
    const routes = new RouteIndex([{ index: 0, object: wildcard }, { index: 0, object: exact }]);

    expect(find(routes, 'api.team-a.svc.cluster.local')).toBe('spec.http[0] -> exact.example.com');
  });
});

describe('DestinationRules of the root namespace', () => {
  test('a rule in istio-system applies to a host when neither the proxy\'s nor the host\'s namespace has one', () => {
    const objects = [destinationRule('api', 'istio-system', { host: HOST, trafficPolicy: { tls: { mode: 'SIMPLE' } } })];
    assertValidIstioObjects(objects);
    const picked = (proxyNamespace: string) =>
      destinationRulesFor(new ObjectIndex(objects), HOST, { namespace: proxyNamespace }, 'team-a').rules.map(dr => label(dr.object));

    expect(picked('team-b')).toEqual(['istio-system/api']);
    expect(picked('istio-system')).toEqual(['istio-system/api']);
  });

  test('a rule in another non-root namespace does not apply', () => {
    const objects = [destinationRule('api', 'team-c', { host: HOST, trafficPolicy: { tls: { mode: 'SIMPLE' } } })];

    expect(destinationRulesFor(new ObjectIndex(objects), HOST, { namespace: 'team-b' }, 'team-a').rules).toEqual([]);
  });
});
