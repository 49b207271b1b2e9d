/**
 * The egress paths (src/analysis/paths.ts) where test/analysis/paths.test.ts and paths-branches.test.ts leave gaps:
 * the gateway's AuthorizationPolicy sources rule by rule (`any`, `identityOnly`, sources that restrict nothing), a
 * `*` suffix in a connection.sni value, and the objects of a path with the parts of them that concern it.
 */
import { gateway, policy, server, service, serviceEntry, virtualService } from './objects';
import { EGRESS_GATEWAY_SERVICE as GW, HOST, hostPaths as hosts, portPath as portOf, tlsThroughEgressGateway as egress, waypointGateway } from './path-fixtures';
import { pathObjects, valueMatches } from '../../src/analysis/paths';
import { assertValidIstioObjects } from '../support/crd-validator';

const ROUTE_LISTS = ['spec.http[', 'spec.tls[', 'spec.tcp[', 'spec.rules['];

/** The objects on the path of `host`'s `port`. */
function objectsOn(objects: any[], port: number, host = HOST) {
  const h = hosts(objects).find(x => x.host === host)!;
  return pathObjects(h, h.ports.find(p => p.port.number === port)!);
}

/** HOST on port 443 (TLS) through the default egress gateway, subset `api` of the gateway's DestinationRule. */

/** An ALLOW AuthorizationPolicy on the default egress gateway's pods with these rules. */
const onGateway = (rules: unknown[]) => policy('allow', 'istio-system', { selector: { matchLabels: { istio: 'egressgateway' } }, rules });

describe('the sources of a gateway policy\'s rule', () => {
  test('a rule without `from` allows any source: `any`, and not identity only', () => {
    const objects = [...egress(), onGateway([{}])];
    assertValidIstioObjects(objects);

    expect(portOf(objects, 443).allowed).toMatchObject({
      verdict: 'listed',
      allow: [{ field: 'spec.rules[0]', any: true, namespaces: [], principals: [], identityOnly: false }],
    });
  });

  test('a source of principals only can be matched by a mesh identity alone: identity only', () => {
    const objects = [...egress(), onGateway([{ from: [{ source: { principals: ['cluster.local/ns/team-a/sa/client'] } }] }])];
    assertValidIstioObjects(objects);

    expect(portOf(objects, 443).allowed!.allow).toMatchObject([
      { any: false, namespaces: [], principals: ['cluster.local/ns/team-a/sa/client'], identityOnly: true },
    ]);
  });

  // The CRD schema accepts `from: [{}]`; Istio's webhook refuses it (`from.source` must not be nil), but lint reads any YAML.
  test('a `from` entry without a source restricts nothing: no namespaces or principals, not identity only', () => {
    const objects = [...egress(), onGateway([{ from: [{}] }])];

    expect(portOf(objects, 443).allowed!.allow).toMatchObject([{ field: 'spec.rules[0]', any: false, namespaces: [], principals: [], identityOnly: false }]);
  });
});

describe('a connection.sni value with a `*` suffix matches hosts that start with the rest of it', () => {
  test('`ax.*` does not match api.example.com, though both start with `a`', () => {
    const verdict = (values: string[]) => portOf([...egress(), onGateway([{ when: [{ key: 'connection.sni', values }] }])], 443).allowed!.verdict;
    assertValidIstioObjects([onGateway([{ when: [{ key: 'connection.sni', values: ['ax.*'] }] }])]);

    expect(verdict(['ax.*'])).toBe('nobody');
    expect(verdict(['api.*'])).toBe('listed');
    expect(valueMatches('api.*', 'abc.example.com')).toBe(false);
  });
});

describe('the objects on a path, and the parts of them that concern it', () => {
  test('the gateway server, and the mesh route and the gateway route of one VirtualService', () => {
    const objects = egress();
    const on = objectsOn(objects, 443);

    expect(on.find(o => o.index === 1)).toEqual({ index: 1, within: ['spec.servers[0]'], lists: ['spec.servers['] });
    expect(on.find(o => o.index === 3)).toEqual({ index: 3, within: ['spec.tls[0]', 'spec.tls[1]'], lists: ROUTE_LISTS });
  });

  test('a port that goes direct has no gateway, and no policies of one, on its path', () => {
    const objects = [serviceEntry('api', 'team-a', { hosts: [HOST], resolution: 'DNS', ports: [{ number: 443, name: 'tls', protocol: 'TLS' }] })];
    assertValidIstioObjects(objects);

    expect(portOf(objects, 443).allowed).toBeUndefined();
    expect(objectsOn(objects, 443)).toEqual([{ index: 0, within: ['spec.hosts[0]', 'spec.ports[0]'], lists: ['spec.hosts[', 'spec.ports['] }]);
  });

  test('a Kubernetes Service host: no host field on the Service, no port field for a port only a route names', () => {
    const PARTNER = 'partner.mesh-external.svc.cluster.local';
    const routed = [
      gateway('egress', 'istio-system', { selector: { istio: 'egressgateway' }, servers: [server(80, [PARTNER])] }),
      virtualService('partner', 'team-a', {
        hosts: [PARTNER],
        gateways: ['mesh', 'istio-system/egress'],
        http: [
          { match: [{ gateways: ['mesh'], port: 80 }], route: [{ destination: { host: GW, port: { number: 80 } } }] },
          { match: [{ gateways: ['istio-system/egress'], port: 80 }], route: [{ destination: { host: PARTNER, port: { number: 80 } } }] },
        ],
      }),
    ];
    const svc = service('partner', 'mesh-external', { ports: [{ port: 80, name: 'http' }] });
    assertValidIstioObjects([...routed, svc]);

    // Without the Service, the VirtualService defines the host: its host field, and its two routes.
    expect(objectsOn(routed, 80, PARTNER).find(o => o.index === 1)).toEqual({
      index: 1, within: ['spec.hosts[0]', 'spec.http[0]', 'spec.http[1]'], lists: ['spec.hosts[', 'spec.ports[', ...ROUTE_LISTS],
    });
    // With it, the Service defines the host, and no part of it is a host's or a port's.
    const withService = [...routed, svc];
    expect(hosts(withService).find(h => h.host === PARTNER)!.definitionKind).toBe('Service');
    expect(objectsOn(withService, 80, PARTNER).find(o => o.index === 2)).toEqual({ index: 2, within: [], lists: ['spec.hosts[', 'spec.ports['] });
  });

  test('ambient: a waypoint without a route for the host; the ServiceEntry\'s waypoint label is on the path', () => {
    const waypoint = waypointGateway('waypoint', 'istio-egress');
    const entry = serviceEntry('httpbin', 'istio-egress', {
      hosts: ['httpbin.org'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'DNS',
    }, { 'istio.io/use-waypoint': 'waypoint' });
    const objects = [waypoint, entry];
    assertValidIstioObjects(objects);

    expect(portOf(objects, 80, 'httpbin.org').waypoint).toMatchObject({ route: undefined, destination: 'httpbin.org', destinationPort: 80 });
    expect(objectsOn(objects, 80, 'httpbin.org')).toEqual([
      { index: 0, within: [], lists: [] },
      { index: 1, within: ['spec.hosts[0]', 'spec.ports[0]', 'metadata.labels.istio.io/use-waypoint'], lists: ['spec.hosts[', 'spec.ports['] },
    ]);
  });
});
