/**
 * RouteIndex.find (src/analysis/path-lookups.ts) input by input: which VirtualServices are candidates for a host
 * (bound to the proxy's gateway, parented to the path's ServiceEntry, covering the host), how they rank (the
 * clients' namespace first, then the exact host), and which of their routes and matches apply.
 */
import { serviceEntry, virtualService } from './objects';
import { gatewayApiViews } from '../../src/analysis/gateway-api-views';
import { IndexedObject, ObjectIndex } from '../../src/analysis/model';
import { Block, RouteIndex, RouteQuery } from '../../src/analysis/path-lookups';
import { assertValidIstioObjects } from '../support/crd-validator';

const HOST = 'api.example.com';
const EGRESS = 'istio-system/egress';

const indexed = (objects: any[]): IndexedObject[] => objects.map((object, index) => ({ index, object }));
const to = (host: string) => [{ destination: { host } }];
/** The route found for HOST, as `index field -> host`. */
function routeOf(objects: any[], query: Partial<RouteQuery> = {}): string | undefined {
  const hit = new RouteIndex(indexed(objects)).find({ gateway: 'mesh', host: HOST, port: 80, blocks: ['http'], preferNamespace: 'team-a', ...query });
  return hit && `${hit.vs.index} ${hit.field} -> ${hit.host}`;
}
const tlsRoute = (objects: any[], gateway = 'mesh', blocks: Block[] = ['tls']) => routeOf(objects, { gateway, port: 443, blocks });

describe('candidates: the VirtualServices that can route the host', () => {
  test('two VirtualServices with the same exact host are both candidates: the clients\' namespace wins over input order', () => {
    const objects = [
      virtualService('api', 'alpha', { hosts: [HOST], http: [{ route: to('alpha.example.com') }] }),
      virtualService('api', 'team-a', { hosts: [HOST], http: [{ route: to('team-a.example.com') }] }),
    ];
    assertValidIstioObjects(objects);

    expect(routeOf(objects)).toBe('1 spec.http[0] -> team-a.example.com');
    expect(routeOf(objects, { preferNamespace: 'alpha' })).toBe('0 spec.http[0] -> alpha.example.com');
  });

  test('a wildcard VirtualService routes the hosts it covers, and only those', () => {
    const objects = [virtualService('wide', 'team-a', { hosts: ['*.example.com'], http: [{ route: to('wide.example.com') }] })];
    assertValidIstioObjects(objects);

    expect(routeOf(objects)).toBe('0 spec.http[0] -> wide.example.com');
    expect(routeOf(objects, { host: 'api.other.org' })).toBeUndefined();
  });

  test('a wildcard VirtualService that does not cover the host is no candidate, beside an exact one that is', () => {
    const objects = [
      virtualService('other', 'team-a', { hosts: ['*.other.org'], http: [{ route: to('other.example.com') }] }),
      virtualService('api', 'team-b', { hosts: [HOST], http: [{ route: to('api.internal') }] }),
    ];
    assertValidIstioObjects(objects);

    expect(routeOf(objects)).toBe('1 spec.http[0] -> api.internal');
  });

  test('a VirtualService bound to a Gateway only is not the sidecars\', even when a match names `mesh`', () => {
    const objects = [virtualService('api', 'team-a', {
      hosts: [HOST], gateways: [EGRESS], http: [{ match: [{ gateways: ['mesh'] }], route: to('mesh.example.com') }],
    })];
    assertValidIstioObjects(objects);

    expect(routeOf(objects)).toBeUndefined();
    expect(routeOf(objects, { gateway: EGRESS })).toBeUndefined();
  });

  test('a Gateway API route parented to a ServiceEntry applies to that ServiceEntry\'s paths only', () => {
    const objects = [
      serviceEntry('api', 'team-a', { hosts: [HOST], location: 'MESH_EXTERNAL', resolution: 'DNS', ports: [{ number: 80, name: 'http', protocol: 'HTTP' }] }),
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: { name: 'api', namespace: 'team-a' },
        spec: {
          parentRefs: [{ group: 'networking.istio.io', kind: 'ServiceEntry', name: 'api' }],
          rules: [{ backendRefs: [{ group: 'networking.istio.io', kind: 'Hostname', name: 'backend.example.com', port: 80 }] }],
        },
      },
    ];
    assertValidIstioObjects(objects);
    const views = gatewayApiViews(new ObjectIndex(objects)).virtualServices;
    const find = (entry: number | undefined) => new RouteIndex(views).find({ gateway: 'mesh', host: HOST, port: 80, blocks: ['http'], entry });

    expect(find(0)).toMatchObject({ kind: 'HTTPRoute', host: 'backend.example.com' });
    expect(find(5)).toBeUndefined();
    expect(find(undefined)).toBeUndefined();
  });
});

describe('ranking: the clients\' namespace first, then the exact host', () => {
  test('the clients\' namespace beats a namespace that sorts first and comes first', () => {
    const objects = [
      virtualService('api', 'alpha', { hosts: [HOST], http: [{ route: to('alpha.example.com') }] }),
      virtualService('api', 'team-a', { hosts: ['*.example.com'], http: [{ route: to('team-a.example.com') }] }),
    ];
    assertValidIstioObjects(objects);

    // team-a ranks 0 + 1 (wildcard host), alpha 2 + 0.
    expect(routeOf(objects)).toBe('1 spec.http[0] -> team-a.example.com');
  });

  test('in the same namespace, the exact host before a wildcard one that sorts and comes first', () => {
    const objects = [
      virtualService('a-wide', 'team-a', { hosts: ['*.example.com'], http: [{ route: to('wide.example.com') }] }),
      virtualService('b-exact', 'team-a', { hosts: [HOST], http: [{ route: to('exact.example.com') }] }),
    ];
    assertValidIstioObjects(objects);

    expect(routeOf(objects)).toBe('1 spec.http[0] -> exact.example.com');
  });

  test('the first-ranked VirtualService has no route for the port: the next one routes', () => {
    const objects = [
      virtualService('api', 'team-a', { hosts: [HOST], http: [{ match: [{ port: 81 }], route: to('port-81.example.com') }] }),
      virtualService('api', 'team-b', { hosts: [HOST], http: [{ route: to('team-b.example.com') }] }),
    ];
    assertValidIstioObjects(objects);

    expect(routeOf(objects)).toBe('1 spec.http[0] -> team-b.example.com');
  });
});

describe('matches', () => {
  test('a match\'s own gateways are resolved in the VirtualService\'s namespace', () => {
    const objects = [virtualService('api', 'istio-system', {
      hosts: [HOST], gateways: ['egress'], http: [{ match: [{ gateways: ['egress'] }], route: to('first.example.com') }, { route: to('second.example.com') }],
    })];
    assertValidIstioObjects(objects);

    expect(routeOf(objects, { gateway: EGRESS })).toBe('0 spec.http[0] -> first.example.com');
  });

  test('a redirect whose match is a name only takes every request: no later route', () => {
    const objects = [virtualService('api', 'team-a', {
      hosts: [HOST], http: [{ match: [{ name: 'all' }], redirect: { uri: '/new' } }, { route: to('later.example.com') }],
    })];
    assertValidIstioObjects(objects);

    expect(routeOf(objects)).toBeUndefined();
  });

  test('a redirect whose matches are all no objects takes every request (malformed: match items are objects)', () => {
    const objects = [virtualService('api', 'team-a', {
      hosts: [HOST], http: [{ match: ['any'], redirect: { uri: '/new' } }, { route: to('later.example.com') }],
    })];

    expect(routeOf(objects)).toBeUndefined();
  });

  test('tls routes: the match\'s sniHosts must cover the host', () => {
    const vs = (sniHosts: string[]) => virtualService('api', 'team-a', {
      hosts: [HOST], tls: [{ match: [{ port: 443, sniHosts }], route: to('first.example.com') }, { match: [{ port: 443, sniHosts: [HOST] }], route: to('second.example.com') }],
    });
    assertValidIstioObjects([vs(['other.example.com']), vs(['*.example.com'])]);

    expect(tlsRoute([vs(['other.example.com'])])).toBe('0 spec.tls[1] -> second.example.com');
    expect(tlsRoute([vs(['*.example.com'])])).toBe('0 spec.tls[0] -> first.example.com');
  });

  test('sniHosts entries that are no strings are passed over (malformed: sniHosts are strings)', () => {
    const objects = [virtualService('api', 'team-a', { hosts: [HOST], tls: [{ match: [{ sniHosts: [7, HOST] }], route: to('first.example.com') }] })];

    expect(tlsRoute(objects)).toBe('0 spec.tls[0] -> first.example.com');
  });

  test('http and tcp matches are not read for sniHosts (malformed: only tls matches have them)', () => {
    const objects = [virtualService('api', 'team-a', {
      hosts: [HOST],
      http: [{ match: [{ sniHosts: ['other.example.com'] }], route: to('http.example.com') }],
      tcp: [{ match: [{ sniHosts: ['other.example.com'] }], route: to('tcp.example.com') }],
    })];

    expect(routeOf(objects)).toBe('0 spec.http[0] -> http.example.com');
    expect(tlsRoute(objects, 'mesh', ['tls', 'tcp'])).toBe('0 spec.tcp[0] -> tcp.example.com');
  });
});
