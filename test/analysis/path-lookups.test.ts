/**
 * The look-ups the egress paths are made of (src/analysis/path-lookups.ts): the route a proxy uses, the DestinationRules it
 * applies (pilot PushContext.setDestinationRules / mergeDestinationRule / MostSpecificHostMatch), the pods behind a gateway
 * Service and the Gateway server they use, for the inputs that test/analysis/paths.test.ts does not reach.
 */
import { deployment, destinationRule, gateway, pod, server, service, serviceEntry, virtualService } from './objects';
import { IndexedObject, ObjectIndex, label } from '../../src/analysis/model';
import {
  RouteIndex, destinationRulesFor, gatewayServer, gatewayTarget, gatewayTargetBeside, labelMap, selects,
} from '../../src/analysis/path-lookups';
import { egressPaths } from '../../src/analysis/paths';
import { assertValidIstioObjects } from '../support/crd-validator';

const GW = 'istio-egressgateway.istio-system.svc.cluster.local';
const HOST = 'api.example.com';

const indexed = (objects: any[]): IndexedObject[] => objects.map((object, index) => ({ index, object }));
/** The route the sidecars (`mesh`) use for HOST on `port`, as `index field -> host`. */
function meshRoute(objects: any[], port: number, blocks: Array<'http' | 'tls' | 'tcp'> = ['http']): string | undefined {
  const hit = new RouteIndex(indexed(objects)).find({ gateway: 'mesh', host: HOST, port, blocks, preferNamespace: 'team-a' });
  return hit && `${hit.vs.index} ${hit.field} -> ${hit.host}`;
}
const to = (host: string) => [{ destination: { host } }];

describe('routes: the first route of the first VirtualService that applies', () => {
  test('VirtualServices that rank alike (same namespace/name, both with the exact host): the first in input order', () => {
    const a = virtualService('api', 'team-a', { hosts: [HOST], http: [{ route: to('a.example.com') }] });
    const b = virtualService('api', 'team-a', { hosts: [HOST], http: [{ route: to('b.example.com') }] });

    expect(meshRoute([a, b], 80)).toBe('0 spec.http[0] -> a.example.com');
    expect(meshRoute([b, a], 80)).toBe('0 spec.http[0] -> b.example.com');
  });

  test('match entries that are no objects match nothing; a route whose entries are all such matches applies as one without match', () => {
    const vs = (match: unknown[]) => virtualService('api', 'team-a', { hosts: [HOST], http: [{ match, route: to('first.example.com') }, { route: to('second.example.com') }] });

    expect(meshRoute([vs(['any'])], 80)).toBe('0 spec.http[0] -> first.example.com');
    expect(meshRoute([vs(['any', { port: 81 }])], 80)).toBe('0 spec.http[1] -> second.example.com');
  });

  test('gateway names that are no strings are passed over: the match\'s other gateways decide', () => {
    const vs = (gateways: unknown[]) => virtualService('api', 'team-a', {
      hosts: [HOST], gateways: ['mesh', 'istio-system/egress'], http: [{ match: [{ gateways }], route: to('first.example.com') }, { route: to('second.example.com') }],
    });

    expect(meshRoute([vs([7, 'mesh'])], 80)).toBe('0 spec.http[0] -> first.example.com');
    // Only strings count as the match's own gateways: with none of them `mesh`, the route is not the sidecars'.
    expect(meshRoute([vs([7, 'istio-system/egress'])], 80)).toBe('0 spec.http[1] -> second.example.com');
  });

  test('the route that applies first has no destination (a redirect): the VirtualService sends nothing on, no route hit', () => {
    const vs = virtualService('api', 'team-a', { hosts: [HOST], http: [{ redirect: { uri: '/moved' } }, { route: to('later.example.com') }] });
    assertValidIstioObjects([vs]);

    expect(meshRoute([vs], 80)).toBeUndefined();
  });

  // Istio makes one Envoy route per http entry, in order (route.go BuildHTTPRoutesForVirtualService): /old is answered
  // with a redirect, every other request on the port takes the next route.
  test('a redirect for some requests only (a path, a header) does not hide the later routes; one on listener fields does', () => {
    const vs = (match: unknown[]) => virtualService('api', 'team-a', {
      hosts: [HOST], http: [{ match, redirect: { uri: '/new' } }, { route: to('later.example.com') }],
    });
    assertValidIstioObjects([vs([{ port: 80, uri: { prefix: '/old' } }])]);

    expect(meshRoute([vs([{ port: 80, uri: { prefix: '/old' } }])], 80)).toBe('0 spec.http[1] -> later.example.com');
    expect(meshRoute([vs([{ headers: { 'x-old': { exact: '1' } } }])], 80)).toBe('0 spec.http[1] -> later.example.com');
    expect(meshRoute([vs([{ port: 80, gateways: ['mesh'], name: 'all' }])], 80)).toBeUndefined();
    // One of its matches takes every request on the port: so does the route.
    expect(meshRoute([vs([{ uri: { prefix: '/old' } }, { port: 80 }])], 80)).toBeUndefined();
    // The match for another port does not apply at all.
    expect(meshRoute([vs([{ port: 81 }])], 80)).toBe('0 spec.http[1] -> later.example.com');
  });

  test('gatewaysOf a VirtualService the index was not built with: read from the object', () => {
    const routes = new RouteIndex([]);

    expect(routes.gatewaysOf({ index: 0, object: virtualService('a', 'team-a', { gateways: ['egress', 'mesh'] }) })).toEqual(['team-a/egress', 'mesh']);
    expect(routes.gatewaysOf({ index: 0, object: virtualService('a', 'team-a', {}) })).toEqual(['mesh']);
  });
});

describe('DestinationRules as a proxy picks them', () => {
  const origination = (name: string, ns: string, host: string, extra: any = {}) =>
    destinationRule(name, ns, { host, ...extra, trafficPolicy: { tls: { mode: 'SIMPLE' } } });
  const picked = (objects: any[], host: string, proxyNamespace: string, hostNamespace = 'team-a') =>
    destinationRulesFor(new ObjectIndex(objects), host, { namespace: proxyNamespace }, hostNamespace).rules.map(dr => label(dr.object));

  test('among the wildcard hosts that cover the host, the longest (MostSpecificHostMatch)', () => {
    const objects = [origination('broad', 'team-a', '*.example.com'), origination('narrow', 'team-a', '*.api.example.com')];
    assertValidIstioObjects(objects);

    expect(picked(objects, 'v1.api.example.com', 'team-a')).toEqual(['team-a/narrow']);
    expect(picked([...objects].reverse(), 'v1.api.example.com', 'team-a')).toEqual(['team-a/narrow']);
    expect(picked(objects, 'www.example.com', 'team-a')).toEqual(['team-a/broad']);
  });

  test('an exact host before a wildcard one of the same namespace, whichever comes first', () => {
    const objects = [origination('wildcard', 'team-a', '*.example.com'), origination('exact', 'team-a', HOST), origination('other', 'team-a', 'other.example.com')];

    expect(picked(objects, HOST, 'team-a')).toEqual(['team-a/exact']);
    expect(picked([objects[1], objects[0]], HOST, 'team-a')).toEqual(['team-a/exact']);
  });

  test('a DestinationRule without a host is no rule for any host', () => {
    const objects = [destinationRule('hostless', 'team-a', { trafficPolicy: { tls: { mode: 'MUTUAL' } } }), origination('exact', 'team-a', HOST)];

    expect(picked(objects, HOST, 'team-a')).toEqual(['team-a/exact']);
  });

  test('exportTo without the rule\'s own namespace: its namespace does not apply it, the namespaces it names do', () => {
    const objects = [origination('elsewhere', 'team-a', HOST, { exportTo: ['team-b'] })];
    assertValidIstioObjects(objects);

    expect(picked(objects, HOST, 'team-a')).toEqual([]);
    expect(picked(objects, HOST, 'team-b')).toEqual(['team-a/elsewhere']);
    expect(picked([origination('private', 'team-a', HOST, { exportTo: ['.'] })], HOST, 'team-a')).toEqual(['team-a/private']);
    expect(picked([origination('private', 'team-a', HOST, { exportTo: ['.'] })], HOST, 'team-b')).toEqual([]);
  });

  test('rules of one namespace merged: a subset both define is the first one\'s', () => {
    const first = destinationRule('first', 'team-a', { host: GW, subsets: [{ name: 'api', trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL', sni: 'first.example.com' } } }] });
    const second = destinationRule('second', 'team-a', {
      host: GW, subsets: [{ labels: { x: 'y' } }, { name: 'api', trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL', sni: 'second.example.com' } } }, { name: 'b' }],
    });
    const rules = destinationRulesFor(new ObjectIndex([first, second]), GW, { namespace: 'team-a' }, 'istio-system');

    expect(rules.tls(443, 'api')).toMatchObject({ sni: 'first.example.com', field: 'spec.subsets[0].trafficPolicy.tls' });
    expect(label(rules.tls(443, 'api')!.destinationRule.object)).toBe('team-a/first');
    expect(rules.subset('b')).toMatchObject({ at: 2, dr: { index: 1 } });
  });
});

describe('selectors and label maps', () => {
  test('a policy or rule without a selector selects every pod; one with a selector needs the pods\' labels', () => {
    expect(selects(undefined, { app: 'x' })).toBe(true);
    expect(selects(undefined, undefined)).toBe(true);
    expect(selects({ matchLabels: { app: 'x' } }, undefined)).toBe(false);
    expect(selects({ matchLabels: { app: 'x' } }, { app: 'x', v: '1' })).toBe(true);
    expect(selects({ matchLabels: { app: 'x' } }, { app: 'y' })).toBe(false);
  });

  test('label values: strings, and numbers as their text (a YAML `1`); anything else is dropped', () => {
    expect(labelMap({ app: 'x', version: 1, on: true, none: null })).toEqual({ app: 'x', version: '1' });
    expect(labelMap(['app'])).toEqual({});
  });
});

describe('the pods behind a gateway Service', () => {
  const egressGateway = gateway('egress', 'istio-system', { selector: { istio: 'egressgateway' }, servers: [server(443, [HOST], { protocol: 'TLS', tls: { mode: 'PASSTHROUGH' } })] });

  test('the labels of a Pod the Service selects (not only of a Deployment\'s template)', () => {
    const svc = service('istio-egressgateway', 'istio-system', { selector: { istio: 'egressgateway' }, ports: [{ port: 443, name: 'tls' }] });
    const gatewayPod = pod('egress-0', 'istio-system', { istio: 'egressgateway', version: 'v2' }, { proxy: true });
    const objects = [egressGateway, svc, pod('other', 'istio-system', { app: 'other' }), gatewayPod];
    assertValidIstioObjects(objects);

    expect(gatewayTarget(new ObjectIndex(objects), GW)).toMatchObject({ labels: { istio: 'egressgateway', version: 'v2' }, labelsFrom: 'workload' });
  });

  test('of two Services of one name, the first counts', () => {
    const svc = (gw: string) => service('istio-egressgateway', 'istio-system', { selector: { istio: gw }, ports: [{ port: 443, name: 'tls' }] });

    expect(gatewayTarget(new ObjectIndex([egressGateway, svc('egressgateway'), svc('other')]), GW)).toMatchObject({
      labels: { istio: 'egressgateway' }, labelsFrom: 'service',
    });
    expect(gatewayTarget(new ObjectIndex([egressGateway, svc('other'), svc('egressgateway')]), GW)).toBeUndefined();
  });

  test('a Service whose name is no string names no Service', () => {
    const odd: any = { apiVersion: 'v1', kind: 'Service', metadata: { name: 5, namespace: 'istio-system' }, spec: { selector: { istio: 'egressgateway' } } };
    const index = new ObjectIndex([egressGateway, odd]);

    // `5` as a Service name gives the conventional labels app=5, istio=5, which no Gateway selects.
    expect(gatewayTarget(index, '5.istio-system.svc.cluster.local')).toBeUndefined();
    // Nor does it stand for a Service of the name: the Gateway beside it in the namespace is taken as the gateway.
    expect(gatewayTargetBeside(index, '5.istio-system.svc.cluster.local', HOST)).toMatchObject({ labels: { istio: 'egressgateway' }, labelsFrom: 'gateway' });
  });
});

describe('the Gateway server the gateway pods use', () => {
  const tlsServer = (extra: Record<string, unknown> = {}) => ({ port: { number: 443, name: 'tls', protocol: 'TLS' }, hosts: [HOST], tls: { mode: 'PASSTHROUGH' }, ...extra });
  const chosen = (gateways: any[], preferred: string[]) => {
    const target = gatewayTarget(new ObjectIndex(gateways), GW)!;
    const found = gatewayServer(target, 443, HOST, preferred);
    return found && `${label(found.gateway.object)} ${found.field}`;
  };

  test('of several servers for the host and port: those of the Gateways the route is bound to, then by namespace/name', () => {
    const gateways = [
      gateway('egress', 'team-a', { selector: { istio: 'egressgateway' }, servers: [tlsServer()] }),
      gateway('egress', 'istio-system', { selector: { istio: 'egressgateway' }, servers: [tlsServer({ hosts: ['*.example.com'] })] }),
    ];

    expect(chosen(gateways, ['mesh', 'team-a/egress'])).toBe('team-a/egress spec.servers[0]');
    expect(chosen(gateways, ['mesh', 'istio-system/egress'])).toBe('istio-system/egress spec.servers[0]');
    expect(chosen(gateways, ['mesh'])).toBe('istio-system/egress spec.servers[0]');
  });

  test('two servers of one Gateway for the host and port: the first', () => {
    const twice = gateway('egress', 'istio-system', { selector: { istio: 'egressgateway' }, servers: [tlsServer({ hosts: ['*'] }), tlsServer()] });
    // After another object, so that the Gateway's index is not 0.
    const other = gateway('ingress', 'istio-system', { selector: { istio: 'ingressgateway' }, servers: [tlsServer()] });

    expect(chosen([other, twice], [])).toBe('istio-system/egress spec.servers[0]');
    expect(chosen([other, twice], ['istio-system/egress'])).toBe('istio-system/egress spec.servers[0]');
  });

  test('a server without a port number is no server; an unset TLS mode is PASSTHROUGH; a port without protocol is TCP', () => {
    const objects = [gateway('egress', 'istio-system', {
      selector: { istio: 'egressgateway' },
      servers: [{ hosts: [HOST] }, 'server', { port: { number: 443, name: 'tls', protocol: 'TLS' }, hosts: [HOST], tls: {} }],
    })];
    assertValidIstioObjects([{ ...objects[0], spec: { ...objects[0].spec, servers: [objects[0].spec.servers[2]] } }]);
    const target = gatewayTarget(new ObjectIndex(objects), GW)!;

    expect(gatewayServer(target, 443, HOST, [])).toMatchObject({ field: 'spec.servers[2]', port: 443, protocol: 'TLS', tls: 'PASSTHROUGH' });
    const bare = [gateway('egress', 'istio-system', { selector: { istio: 'egressgateway' }, servers: [{ port: { number: 443 }, hosts: [HOST], tls: { mode: 'SIMPLE' } }] })];
    expect(gatewayServer(gatewayTarget(new ObjectIndex(bare), GW)!, 443, HOST, [])).toMatchObject({ protocol: 'TCP', tls: 'SIMPLE' });
  });

  test('on the path: a server with an unset TLS mode passes the application\'s TLS through to a tls route', () => {
    const objects = [
      serviceEntry('api', 'team-a', { hosts: [HOST], resolution: 'DNS', ports: [{ number: 443, name: 'tls', protocol: 'TLS' }] }),
      gateway('egress', 'istio-system', { selector: { istio: 'egressgateway' }, servers: [{ port: { number: 443, name: 'tls', protocol: 'TLS' }, hosts: [HOST], tls: {} }] }),
      virtualService('api', 'team-a', {
        hosts: [HOST],
        gateways: ['mesh', 'istio-system/egress'],
        tls: [
          { match: [{ gateways: ['mesh'], port: 443, sniHosts: [HOST] }], route: [{ destination: { host: GW, port: { number: 443 } } }] },
          { match: [{ gateways: ['istio-system/egress'], port: 443, sniHosts: [HOST] }], route: [{ destination: { host: HOST, port: { number: 443 } } }] },
        ],
      }),
      deployment('istio-egressgateway', 'istio-system', { istio: 'egressgateway' }, true),
    ];
    assertValidIstioObjects(objects);
    const [p] = egressPaths(new ObjectIndex(objects)).hosts[0].ports;

    expect(p.server).toMatchObject({ tls: 'PASSTHROUGH' });
    expect(p.gatewayHop).toMatchObject({ route: { field: 'spec.tls[1]', block: 'tls' }, destination: HOST });
  });
});
