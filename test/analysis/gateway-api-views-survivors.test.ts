/**
 * gateway-api-views.ts, the cases its branch tests leave open: which Gateways and parents are
 * converted, the Istio objects the views are (apiVersion, kind, metadata, selector), Passthrough and
 * `from: Same` listeners, hostnames and ServiceEntry hosts, per-rule destinations and matches, and
 * the backend kinds that name a host (pilot/pkg/config/kube/gateway/conversion.go).
 */
import { GATEWAY_NAME_LABEL, gatewayApiViews, viewSource } from '../../src/analysis/gateway-api-views';
import { ObjectIndex } from '../../src/analysis/model';
import { assertValidIstioObjects } from '../support/crd-validator';

const GW = 'gateway.networking.k8s.io/v1';
const ISTIO = 'networking.istio.io';

function k8sGateway(listeners: unknown[], name = 'egress', ns = 'egress', gatewayClassName = 'istio') {
  return { apiVersion: GW, kind: 'Gateway', metadata: { name, namespace: ns }, spec: { gatewayClassName, listeners } };
}
function route(kind: 'HTTPRoute' | 'TLSRoute', spec: Record<string, unknown>, name = 'api', ns = 'egress') {
  return { apiVersion: kind === 'HTTPRoute' ? GW : 'gateway.networking.k8s.io/v1alpha2', kind, metadata: { name, namespace: ns }, spec };
}
function entry(hosts: unknown[], name = 'api', ns = 'egress') {
  return {
    apiVersion: `${ISTIO}/v1`,
    kind: 'ServiceEntry',
    metadata: { name, namespace: ns },
    spec: { hosts, location: 'MESH_EXTERNAL', resolution: 'DNS', ports: [{ number: 443, name: 'tls', protocol: 'TLS' }] },
  };
}
const HTTP_LISTENER = { name: 'http', port: 80, protocol: 'HTTP' };
const BACKEND = { name: 'api', port: 80 };

const views = (objects: unknown[]) => gatewayApiViews(new ObjectIndex(objects as any[]));
const routeViews = (objects: unknown[]) => views(objects).virtualServices;
const servers = (objects: unknown[]) => views(objects).gatewaysByService.get('egress-istio.egress')?.object.spec.servers;

describe('which Gateways are converted', () => {
  test('the view of an istio Gateway is an Istio Gateway selecting the pods by the gateway-name label', () => {
    const gateway = k8sGateway([HTTP_LISTENER]);
    assertValidIstioObjects([gateway]);
    const view = views([gateway]).gatewaysByService.get('egress-istio.egress');
    expect(GATEWAY_NAME_LABEL).toBe('gateway.networking.k8s.io/gateway-name');
    expect(view?.index).toBe(0);
    expect(view?.object.apiVersion).toBe('networking.istio.io/v1');
    expect(view?.object.kind).toBe('Gateway');
    expect(view?.object.metadata).toEqual({ name: 'egress', namespace: 'egress' });
    expect(view?.object.spec.selector).toEqual({ 'gateway.networking.k8s.io/gateway-name': 'egress' });
  });

  test('a Gateway of another class is not converted, and routes bound to it get no view', () => {
    const objects = [
      k8sGateway([HTTP_LISTENER], 'egress', 'egress', 'istio-waypoint'),
      route('HTTPRoute', { parentRefs: [{ name: 'egress' }], rules: [{ backendRefs: [BACKEND] }] }),
    ];
    assertValidIstioObjects(objects);
    const known = views(objects);
    expect([...known.gatewaysByService.keys()]).toEqual([]);
    expect(known.virtualServices).toEqual([]);
  });

  test('a Gateway without a name (refused by the API server) is not converted', () => {
    const gateway = { apiVersion: GW, kind: 'Gateway', metadata: { namespace: 'egress' }, spec: { gatewayClassName: 'istio', listeners: [HTTP_LISTENER] } };
    expect([...views([gateway]).gatewaysByService.keys()]).toEqual([]);
  });
});

describe('listeners', () => {
  test('a Passthrough listener is a PASSTHROUGH server', () => {
    const gateway = k8sGateway([{ name: 'tls', port: 443, protocol: 'TLS', tls: { mode: 'Passthrough' } }]);
    assertValidIstioObjects([gateway]);
    expect(servers([gateway])[0].tls).toEqual({ mode: 'PASSTHROUGH' });
  });

  test('from: Same admits the Gateway\'s own namespace only', () => {
    const gateway = k8sGateway([{ ...HTTP_LISTENER, hostname: 'api.example.com', allowedRoutes: { namespaces: { from: 'Same' } } }]);
    assertValidIstioObjects([gateway]);
    expect(servers([gateway])[0].hosts).toEqual(['egress/api.example.com']);
  });

  test('from: All admits any namespace even with a selector naming one namespace', () => {
    const selector = { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } };
    const gateway = k8sGateway([{ ...HTTP_LISTENER, hostname: 'api.example.com', allowedRoutes: { namespaces: { from: 'All', selector } } }]);
    assertValidIstioObjects([gateway]);
    expect(servers([gateway])[0].hosts).toEqual(['*/api.example.com']);
  });
});

describe('route views', () => {
  test('an HTTPRoute bound to a Gateway is a VirtualService of the route\'s hostnames, its rules sourced to the HTTPRoute', () => {
    const objects = [
      k8sGateway([HTTP_LISTENER]),
      route('HTTPRoute', { hostnames: ['api.example.com'], parentRefs: [{ name: 'egress' }], rules: [{ backendRefs: [BACKEND] }] }),
    ];
    assertValidIstioObjects(objects);
    const [view] = routeViews(objects);
    expect(view.index).toBe(1);
    expect(view.object.apiVersion).toBe('networking.istio.io/v1');
    expect(view.object.kind).toBe('VirtualService');
    expect(view.object.spec.hosts).toEqual(['api.example.com']);
    expect(view.object.spec.gateways).toEqual(['egress/egress']);
    expect(viewSource(view.object.spec.http[0])?.kind).toBe('HTTPRoute');
  });

  test('an HTTPRoute without a port or a sectionName matches nothing: its rules have no match', () => {
    const objects = [
      k8sGateway([HTTP_LISTENER]),
      route('HTTPRoute', { parentRefs: [{ name: 'egress' }], rules: [{ backendRefs: [BACKEND] }] }),
    ];
    assertValidIstioObjects(objects);
    const [view] = routeViews(objects);
    expect(view.object.spec.http[0]).not.toHaveProperty('match');
    expect(view.object.spec.http[0].route).toEqual([{ destination: { host: 'api.egress.svc.cluster.local', port: { number: 80 } } }]);
  });

  test('each rule routes to its own backends only', () => {
    const objects = [
      k8sGateway([HTTP_LISTENER]),
      route('HTTPRoute', {
        parentRefs: [{ name: 'egress' }],
        rules: [
          { matches: [{ path: { type: 'PathPrefix', value: '/a' } }], backendRefs: [{ name: 'a', port: 80 }] },
          { matches: [{ path: { type: 'PathPrefix', value: '/b' } }], backendRefs: [{ name: 'b', port: 80 }] },
        ],
      }),
    ];
    assertValidIstioObjects(objects);
    const [view] = routeViews(objects);
    expect(view.object.spec.http.map((r: any) => r.route.map((d: any) => d.destination.host))).toEqual([
      ['a.egress.svc.cluster.local'],
      ['b.egress.svc.cluster.local'],
    ]);
    expect(view.object.spec.http.map((r: any) => viewSource(r)?.destinations)).toEqual([
      ['spec.rules[0].backendRefs[0]'],
      ['spec.rules[1].backendRefs[0]'],
    ]);
  });

  test('a TLSRoute with hostnames matches those SNI hosts', () => {
    const objects = [
      k8sGateway([{ name: 'tls', port: 443, protocol: 'TLS', tls: { mode: 'Passthrough' } }]),
      route('TLSRoute', { hostnames: ['api.example.com'], parentRefs: [{ name: 'egress', sectionName: 'tls' }], rules: [{ backendRefs: [{ name: 'api', port: 443 }] }] }),
    ];
    assertValidIstioObjects(objects);
    const [view] = routeViews(objects);
    expect(view.object.spec.hosts).toEqual(['api.example.com']);
    expect(view.object.spec.tls[0].match).toEqual([{ port: 443, sniHosts: ['api.example.com'] }]);
    expect(viewSource(view.object.spec.tls[0])?.kind).toBe('TLSRoute');
  });

  test('hostnames that are not strings (refused by the API server) are ignored', () => {
    const objects = [
      k8sGateway([HTTP_LISTENER]),
      route('HTTPRoute', { hostnames: [5], parentRefs: [{ name: 'egress' }], rules: [{ backendRefs: [BACKEND] }] }),
    ];
    expect(routeViews(objects).map(v => v.object.spec.hosts)).toEqual([['*']]);
  });
});

describe('parents', () => {
  const rules = [{ backendRefs: [BACKEND] }];
  const withParent = (parentRef: Record<string, unknown>, hostnames?: string[]) => [
    k8sGateway([HTTP_LISTENER]),
    entry(['api.example.com'], 'egress'),
    route('HTTPRoute', { ...(hostnames ? { hostnames } : {}), parentRefs: [parentRef], rules }),
  ];

  test('a ServiceEntry parent without hostnames on the route takes the ServiceEntry\'s hosts', () => {
    const objects = [entry(['api.example.com', 'www.example.com']), route('HTTPRoute', { parentRefs: [{ group: ISTIO, kind: 'ServiceEntry', name: 'api' }], rules })];
    assertValidIstioObjects(objects);
    expect(routeViews(objects).map(v => [v.object.spec.hosts, v.object.spec.gateways])).toEqual([[['api.example.com', 'www.example.com'], ['mesh']]]);
  });

  test('a ServiceEntry\'s hosts that are not strings (refused by the API server) are ignored', () => {
    const objects = [entry([5, 'api.example.com']), route('HTTPRoute', { parentRefs: [{ group: ISTIO, kind: 'ServiceEntry', name: 'api' }], rules })];
    expect(routeViews(objects).map(v => v.object.spec.hosts)).toEqual([['api.example.com']]);
  });

  test('a ServiceEntry parent without a spec (refused by the API server) still binds the route\'s hostnames', () => {
    const objects = [
      { apiVersion: `${ISTIO}/v1`, kind: 'ServiceEntry', metadata: { name: 'api', namespace: 'egress' } },
      route('HTTPRoute', { hostnames: ['api.example.com'], parentRefs: [{ group: ISTIO, kind: 'ServiceEntry', name: 'api' }], rules }),
    ];
    expect(routeViews(objects).map(v => v.object.spec.hosts)).toEqual([['api.example.com']]);
  });

  test('a ServiceEntry parent that does not exist gives no view', () => {
    const objects = [route('HTTPRoute', { hostnames: ['api.example.com'], parentRefs: [{ group: ISTIO, kind: 'ServiceEntry', name: 'missing' }], rules })];
    assertValidIstioObjects(objects);
    expect(routeViews(objects)).toEqual([]);
  });

  test('a Gateway that is not among the objects gives no view', () => {
    const objects = [route('HTTPRoute', { parentRefs: [{ name: 'missing' }], rules }), route('HTTPRoute', { parentRefs: [{ name: 'missing', sectionName: 'http' }], rules }, 'b')];
    assertValidIstioObjects(objects);
    expect(routeViews(objects)).toEqual([]);
  });

  test.each([
    ['kind ServiceEntry of the Gateway API group', { kind: 'ServiceEntry', name: 'egress' }],
    ['another kind of the Gateway API group', { kind: 'ListenerSet', name: 'egress' }],
    ['kind Gateway of the Istio group', { group: ISTIO, kind: 'Gateway', name: 'egress' }],
    ['another kind of the Istio group', { group: ISTIO, kind: 'WorkloadEntry', name: 'egress' }],
  ])('a parent of %s, named as a Gateway and a ServiceEntry, gives no view', (_, parentRef) => {
    const objects = withParent(parentRef, ['api.example.com']);
    assertValidIstioObjects(objects);
    expect(routeViews(objects)).toEqual([]);
  });

  test('the same route bound to the Gateway and the ServiceEntry by their kinds gives both views', () => {
    const objects = withParent({ name: 'egress' }, ['api.example.com']);
    (objects[2].spec as any).parentRefs.push({ group: ISTIO, kind: 'ServiceEntry', name: 'egress' });
    assertValidIstioObjects(objects);
    expect(routeViews(objects).map(v => v.object.spec.gateways)).toEqual([['egress/egress'], ['mesh']]);
  });
});

describe('backend hosts (buildDestination)', () => {
  const hostsOf = (backendRefs: unknown[]) => {
    const objects = [k8sGateway([HTTP_LISTENER]), route('HTTPRoute', { parentRefs: [{ name: 'egress' }], rules: [{ backendRefs }] })];
    assertValidIstioObjects(objects);
    return routeViews(objects)[0].object.spec.http[0].route.map((r: any) => r.destination.host);
  };

  test.each([
    ['kind Service of another group', { group: 'example.com', kind: 'Service', name: 'api', port: 80 }],
    ['another kind of the core group', { group: '', kind: 'Pod', name: 'api', port: 80 }],
    ['kind Hostname of another group', { group: 'example.com', kind: 'Hostname', name: 'api.example.com', port: 80 }],
    ['another kind of the Istio group', { group: ISTIO, kind: 'ServiceEntry', name: 'api', port: 80 }],
    ['kind Hostname of the core group', { group: '', kind: 'Hostname', name: 'api.example.com', port: 80 }],
  ])('a backend of %s names no host', (_, backend) => {
    expect(hostsOf([backend])).toEqual([]);
  });

  test('a Hostname backend of the Istio group is its name; a Service a cluster-local host', () => {
    expect(hostsOf([{ group: ISTIO, kind: 'Hostname', name: 'api.example.com', port: 443 }, { name: 'api', port: 80 }])).toEqual([
      'api.example.com',
      'api.egress.svc.cluster.local',
    ]);
  });
});
