/**
 * WILDCARD_CAPTURE (EGR119, warning): a ServiceEntry host that no mesh VirtualService names takes the routes of the
 * most specific wildcard mesh VirtualService covering it (pilot route.go, separateVSHostsAndServices), which send its
 * traffic to the egress gateway and on to another host. istio.io's wildcard egress task (`*.wikipedia.org` served by
 * `www.wikipedia.org`) is the accepted shape.
 */
import { destinationRule, gateway, serviceEntry, virtualService } from './objects';
import { ObjectFinding, analyze } from '../../src/analysis';
import { ObjectIndex } from '../../src/analysis/model';
import { checkWildcardCaptures } from '../../src/analysis/wildcard-routes';
import { assertValidIstioObjects } from '../support/crd-validator';

const GW = 'istio-egressgateway.istio-system.svc.cluster.local';
const REF = 'istio-system/egress';
const TLS_443 = { number: 443, name: 'tls', protocol: 'TLS' };

const egressGateway = gateway('egress', 'istio-system', {
  selector: { istio: 'egressgateway' },
  servers: [{ port: TLS_443, hosts: ['*.wikipedia.org'], tls: { mode: 'PASSTHROUGH' } }],
});
const wildcardEntry = serviceEntry('wikipedia', 'shop', { hosts: ['*.wikipedia.org'], ports: [TLS_443], resolution: 'NONE' });
const server = serviceEntry('www-wikipedia', 'shop', { hosts: ['www.wikipedia.org'], ports: [TLS_443], resolution: 'DNS' });
/** istio.io's wildcard route: every *.wikipedia.org to the gateway, and from the gateway to www.wikipedia.org. */
const wildcardRoute = (host = '*.wikipedia.org', name = 'wikipedia', extra: Record<string, unknown> = {}) => virtualService(name, 'shop', {
  hosts: [host],
  gateways: ['mesh', REF],
  tls: [
    { match: [{ gateways: ['mesh'], port: 443, sniHosts: [host] }], route: [{ destination: { host: GW, port: { number: 443 } } }] },
    { match: [{ gateways: [REF], port: 443, sniHosts: [host] }], route: [{ destination: { host: 'www.wikipedia.org', port: { number: 443 } } }] },
  ],
  ...extra,
});
const own = (ports: unknown[] = [TLS_443, { number: 80, name: 'http', protocol: 'HTTP' }]) =>
  serviceEntry('en-wikipedia', 'shop', { hosts: ['api.example.com', 'en.wikipedia.org'], ports, resolution: 'DNS' });

const captures = (objects: any[]): ObjectFinding[] => analyze(objects).findings.filter(f => f.code === 'EGR119');
const at = (objects: any[]) => captures(objects).map(f => [f.index, f.field, f.value]);

describe('WILDCARD_CAPTURE (EGR119)', () => {
  test('istio.io\'s wildcard setup: the serving host is where the gateway sends the traffic; the wildcard entry is no host of its own', () => {
    const objects = [egressGateway, wildcardEntry, server, wildcardRoute()];
    assertValidIstioObjects(objects);
    expect(captures(objects)).toEqual([]);
  });

  test('a host of its own under the wildcard, no route of its own: its TLS port goes the wildcard\'s way (finding in full)', () => {
    const objects = [egressGateway, wildcardEntry, server, wildcardRoute(), own()];
    assertValidIstioObjects(objects);
    expect(captures(objects)).toEqual([{
      index: 4,
      rule: 'WILDCARD_CAPTURE',
      code: 'EGR119',
      severity: 'warning',
      field: 'spec.hosts[1]',
      value: 'en.wikipedia.org',
      message: 'no mesh VirtualService names en.wikipedia.org, so the sidecars send its traffic on port 443 by the routes of VirtualService '
        + 'shop/wikipedia for *.wikipedia.org (the most specific wildcard VirtualService applies to every host it covers), to '
        + `${GW}, and no gateway route sends it on to en.wikipedia.org: the endpoints of ServiceEntry shop/en-wikipedia and the `
        + 'DestinationRules for en.wikipedia.org are not used',
      fix: 'give en.wikipedia.org a mesh route of its own (a VirtualService for en.wikipedia.org, e.g. an EgressGatewayRoute of its ExternalHost), '
        + 'or leave it to *.wikipedia.org and drop its own ServiceEntry; if *.wikipedia.org\'s route should take it, acknowledge EGR119',
    }]);
  });

  test('a route of its own, a gateway route to it, or a wildcard route not seen in the entry\'s namespace: no finding', () => {
    const ownRoute = virtualService('en', 'shop', { hosts: ['en.wikipedia.org'], tls: [{ match: [{ sniHosts: ['en.wikipedia.org'] }], route: [{ destination: { host: 'en.wikipedia.org' } }] }] });
    expect(at([egressGateway, wildcardEntry, wildcardRoute(), own(), ownRoute])).toEqual([]);
    // Named by a mesh VirtualService that another namespace alone sees: the wildcard route still takes it in shop.
    expect(at([egressGateway, wildcardEntry, wildcardRoute(), own(), { ...ownRoute, spec: { ...ownRoute.spec, exportTo: ['billing'] } }])).toEqual([[3, 'spec.hosts[1]', 'en.wikipedia.org']]);
    // Named only by a gateway-bound VirtualService (that sends it elsewhere): no mesh route of its own.
    const atGateway = virtualService('en', 'shop', { hosts: ['en.wikipedia.org'], gateways: [REF], tls: [{ match: [{ sniHosts: ['en.wikipedia.org'] }], route: [{ destination: { host: 'www.wikipedia.org' } }] }] });
    expect(at([egressGateway, wildcardEntry, wildcardRoute(), own(), atGateway])).toEqual([[3, 'spec.hosts[1]', 'en.wikipedia.org']]);
    // The gateway sends the traffic on to the host itself: its endpoints and rules are used there.
    const toItself = virtualService('to-en', 'shop', { hosts: ['*.wikipedia.org'], gateways: [REF], tls: [{ match: [{ sniHosts: ['en.wikipedia.org'] }], route: [{ destination: { host: 'en.wikipedia.org' } }] }] });
    expect(at([egressGateway, wildcardEntry, wildcardRoute(), own(), toItself])).toEqual([]);
    expect(at([egressGateway, wildcardEntry, wildcardRoute('*.wikipedia.org', 'wikipedia', { exportTo: ['billing'] }), own()])).toEqual([]);
  });

  // pilot: an HTTP port takes http routes only, a TLS port tls then tcp routes, a TCP port tcp routes, a port without protocol http and tcp.
  test('only the ports whose traffic the wildcard\'s routes take, by block and matched port', () => {
    const ports = [{ number: 80, name: 'http', protocol: 'HTTP' }, { number: 9000, name: 'tcp', protocol: 'TCP' }, { number: 9001, name: 'auto' }, TLS_443];
    expect(at([egressGateway, wildcardRoute(), own(ports.slice(0, 3))])).toEqual([]);
    const http = virtualService('wikipedia', 'shop', { hosts: ['*.wikipedia.org'], http: [{ route: [{ destination: { host: GW } }] }] });
    expect(captures([http, own(ports)]).map(f => f.message)).toEqual([expect.stringContaining('its traffic on ports 80, 9001 by the routes of')]);
    const tcp = virtualService('wikipedia', 'shop', { hosts: ['*.wikipedia.org'], tcp: [{ match: [{ port: 9000 }, { port: 443 }], route: [{ destination: { host: GW } }] }] });
    expect(captures([tcp, own(ports)]).map(f => f.message)).toEqual([expect.stringContaining('its traffic on ports 9000, 443 by the routes of')]);
    // A match for the gateway alone, or for another port, takes nothing from the sidecars.
    const gatewayOnly = virtualService('wikipedia', 'shop', { hosts: ['*.wikipedia.org'], gateways: ['mesh', REF], tcp: [{ match: [{ gateways: [REF] }], route: [{ destination: { host: GW } }] }] });
    expect(at([gatewayOnly, own(ports)])).toEqual([]);
    const otherPort = virtualService('wikipedia', 'shop', { hosts: ['*.wikipedia.org'], tcp: [{ match: [{ port: 9999 }], route: [{ destination: { host: GW } }] }] });
    expect(at([otherPort, own(ports)])).toEqual([]);
    // A VirtualService bound to a gateway alone is no mesh route; `*` is not a wildcard host of this kind.
    expect(at([{ ...http, spec: { ...http.spec, gateways: [REF] } }, own(ports)])).toEqual([]);
    expect(at([{ ...http, spec: { ...http.spec, hosts: ['*'] } }, own(ports)])).toEqual([]);
    // Route entries without a destination host send nowhere.
    const malformed = virtualService('wikipedia', 'shop', { hosts: ['*.wikipedia.org'], http: [{ route: ['x', { destination: 'y' }, { destination: { host: 7 } }] }] });
    expect(at([malformed, own(ports)])).toEqual([]);
    // A route to the host itself is no capture.
    const toItself = virtualService('wikipedia', 'shop', { hosts: ['*.wikipedia.org'], http: [{ route: [{ destination: { host: 'en.wikipedia.org' } }] }] });
    expect(at([toItself, own(ports)])).toEqual([]);
  });

  test('the most specific wildcard route decides; a wildcard host of the entry is not judged', () => {
    const broad = wildcardRoute('*.org', 'broad');
    const narrow = virtualService('narrow', 'shop', { hosts: ['*.wikipedia.org'], tls: [{ match: [{ sniHosts: ['*.wikipedia.org'] }], route: [{ destination: { host: 'en.wikipedia.org' } }] }] });
    expect(at([broad, narrow, own()])).toEqual([]);
    expect(at([narrow, broad, own()])).toEqual([]);
    expect(captures([broad, own()]).map(f => f.message)).toEqual([expect.stringContaining('VirtualService shop/broad for *.org')]);
    expect(at([wildcardRoute(), wildcardEntry])).toEqual([]);
    // Malformed entries are skipped.
    expect(at([wildcardRoute(), serviceEntry('x', 'shop', { hosts: [42, 'en.wikipedia.org'], ports: [TLS_443, { number: 'x' }, 'y'] })])).toEqual([[1, 'spec.hosts[1]', 'en.wikipedia.org']]);
  });

  test('a match without port (or a null one) takes every port; a route with the host among its destinations is no capture', () => {
    const noPort = (match: Record<string, unknown>) => virtualService('wikipedia', 'shop', {
      hosts: ['*.wikipedia.org'], tls: [{ match: [match], route: [{ destination: { host: GW } }] }],
    });
    expect(at([noPort({ sniHosts: ['*.wikipedia.org'] }), own([TLS_443])])).toEqual([[1, 'spec.hosts[1]', 'en.wikipedia.org']]);
    expect(at([noPort({ port: null, sniHosts: ['*.wikipedia.org'] }), own([TLS_443])])).toEqual([[1, 'spec.hosts[1]', 'en.wikipedia.org']]);
    // Weighted between the gateway and the host itself: part of the traffic reaches the host, not reported.
    const split = virtualService('wikipedia', 'shop', {
      hosts: ['*.wikipedia.org'], tls: [{ match: [{ sniHosts: ['*.wikipedia.org'] }], route: [{ destination: { host: GW }, weight: 50 }, { destination: { host: 'en.wikipedia.org' }, weight: 50 }] }],
    });
    expect(at([split, own([TLS_443])])).toEqual([]);
    // Two destinations elsewhere: both named.
    const two = virtualService('wikipedia', 'shop', {
      hosts: ['*.wikipedia.org'], tls: [{ match: [{ sniHosts: ['*.wikipedia.org'] }], route: [{ destination: { host: GW }, weight: 50 }, { destination: { host: 'www.wikipedia.org' }, weight: 50 }] }],
    });
    expect(captures([two, own([TLS_443])]).map(f => f.message)).toEqual([expect.stringContaining(`, to ${GW}, www.wikipedia.org, and no gateway route`)]);
  });

  test('a route bound to the mesh and a gateway that sends the host on to itself counts as the gateway\'s', () => {
    const both = virtualService('org', 'shop', {
      hosts: ['*.org'], gateways: ['mesh', REF], tls: [{ match: [{ sniHosts: ['en.wikipedia.org'] }], route: [{ destination: { host: 'en.wikipedia.org' } }] }],
    });
    expect(at([wildcardRoute(), both, own([TLS_443])])).toEqual([]);
  });

  test('of two wildcard routes for the same host, the first is named; a wildcard host of an entry is never judged', () => {
    const second = wildcardRoute('*.wikipedia.org', 'wikipedia-2');
    expect(captures([wildcardRoute(), second, own([TLS_443])]).map(f => f.message)).toEqual([expect.stringContaining('VirtualService shop/wikipedia for')]);
    const narrower = serviceEntry('en-all', 'shop', { hosts: ['*.en.wikipedia.org'], ports: [TLS_443], resolution: 'NONE' });
    expect(at([wildcardRoute(), narrower])).toEqual([]);
  });

  test('objects without spec, and null entries in every list, are read without a crash', () => {
    const bare = (kind: string, name: string) => ({ apiVersion: 'networking.istio.io/v1', kind, metadata: { name, namespace: 'shop' } });
    const nulls = virtualService('wikipedia', 'shop', {
      hosts: ['*.wikipedia.org'], tls: [null, { match: [null, { sniHosts: ['*.wikipedia.org'] }], route: [null, { destination: { host: GW } }] }],
    });
    const entry = serviceEntry('x', 'shop', { hosts: ['en.wikipedia.org'], ports: [null, TLS_443, { number: 'x' }] });
    expect(captures([bare('VirtualService', 'empty'), bare('ServiceEntry', 'empty'), nulls, entry]).map(f => [f.index, f.message]))
      .toEqual([[3, expect.stringContaining('its traffic on port 443 by the routes of')]]);
  });

  // analyze() leaves out objects the per-object rules refuse (a mesh VirtualService for `*`, a port that is no number);
  // the check itself must not rely on that.
  test('called on its own: `*` is no wildcard route, ports without a number are skipped, nothing found is an empty list', () => {
    const star = virtualService('all', 'shop', { hosts: ['*'], http: [{ route: [{ destination: { host: GW } }] }] });
    expect(checkWildcardCaptures(new ObjectIndex([star, own()]))).toEqual([]);
    expect(checkWildcardCaptures(new ObjectIndex([own()]))).toEqual([]);
    expect(checkWildcardCaptures(new ObjectIndex([wildcardRoute(), wildcardEntry, server]))).toEqual([]);
    const odd = serviceEntry('x', 'shop', { hosts: ['en.wikipedia.org'], ports: [TLS_443, { number: '443' }] });
    const found = checkWildcardCaptures(new ObjectIndex([virtualService('w', 'shop', { hosts: ['*.wikipedia.org'], tcp: [{ route: [{ destination: { host: GW } }] }] }), odd]));
    expect(found.map(f => f.message)).toEqual([expect.stringContaining('its traffic on port 443 by the routes of')]);
  });

  test('the DestinationRule that originates TLS for the host at the sidecar is not what runs (the CI counterexample\'s shape)', () => {
    const httpWildcard = virtualService('internal', 'payments', {
      hosts: ['*.internal'],
      gateways: ['mesh', REF],
      http: [
        { match: [{ gateways: ['mesh'], port: 80 }], route: [{ destination: { host: GW, port: { number: 80 } } }] },
        { match: [{ gateways: [REF], port: 80 }], route: [{ destination: { host: '4.internal', port: { number: 80 } } }] },
      ],
    });
    const fresh = serviceEntry('fresh', 'payments', { hosts: ['fresh-0.internal'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }, TLS_443], resolution: 'DNS' });
    const origination = destinationRule('fresh', 'payments', {
      host: 'fresh-0.internal', trafficPolicy: { portLevelSettings: [{ port: { number: 80 }, tls: { mode: 'SIMPLE', credentialName: 'client-credential' } }] },
    });
    const found = analyze([httpWildcard, fresh, origination]).findings.map(f => [f.code, f.index, f.field]);
    expect(found).toContainEqual(['EGR119', 1, 'spec.hosts[0]']);
    // The sidecars do not apply the rule to port 80 (they send to the gateway), so EGR111 is not what is wrong.
    expect(found.filter(f => f[0] === 'EGR111')).toEqual([]);
  });
});
