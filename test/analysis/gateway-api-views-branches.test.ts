/**
 * The Istio API views of Gateway API objects (gateway-api-views.ts), branch by branch, as pilot's
 * conversion builds them (pilot/pkg/config/kube/gateway/conversion.go: buildListener, buildTLS,
 * buildHostnameMatch/namespacesFromSelector, convertHTTPRoute, convertTLSRoute, buildDestination).
 */
import { VIEW_SOURCE, gatewayApiViews, parentEntryOf, viewSource } from '../../src/analysis/gateway-api-views';
import { ObjectIndex } from '../../src/analysis/model';
import { assertValidIstioObjects } from '../support/crd-validator';

const GW = 'gateway.networking.k8s.io/v1';
const ISTIO = 'networking.istio.io';

function k8sGateway(listeners: unknown[], name = 'egress', ns = 'egress') {
  return { apiVersion: GW, kind: 'Gateway', metadata: { name, namespace: ns }, spec: { gatewayClassName: 'istio', listeners } };
}
function route(kind: 'HTTPRoute' | 'TLSRoute', spec: Record<string, unknown>, name = 'api', ns = 'egress') {
  return { apiVersion: kind === 'HTTPRoute' ? GW : 'gateway.networking.k8s.io/v1alpha2', kind, metadata: { name, namespace: ns }, spec };
}
function entry(hosts: string[], name = 'api', ns = 'egress') {
  return {
    apiVersion: `${ISTIO}/v1`,
    kind: 'ServiceEntry',
    metadata: { name, namespace: ns },
    spec: { hosts, location: 'MESH_EXTERNAL', resolution: 'DNS', ports: [{ number: 443, name: 'tls', protocol: 'TLS' }] },
  };
}
const servers = (objects: unknown[]) => gatewayApiViews(new ObjectIndex(objects as any[])).gatewaysByService.get('egress-istio.egress')?.object.spec.servers;
const routeViews = (objects: unknown[]) => gatewayApiViews(new ObjectIndex(objects as any[])).virtualServices;

describe('listeners (buildListener)', () => {
  test('a listener without a numeric port or a protocol gives no server; the others keep their index in the source', () => {
    const objects = [k8sGateway([
      'not a listener',
      { name: 'no-port', protocol: 'HTTP' },
      { name: 'no-protocol', port: 80 },
      { name: 'http', port: 80, protocol: 'HTTP' },
    ])];
    expect(servers(objects)).toEqual([
      { port: { number: 80, protocol: 'HTTP', name: 'http' }, hosts: ['egress/*'], [VIEW_SOURCE]: { kind: 'Gateway', field: 'spec.listeners[3]' } },
    ]);
  });

  test('a listener without a name is named by its index, and a parent\'s sectionName cannot select it', () => {
    // Gateway API requires listener names; a listener without one still routes for parentRefs without sectionName.
    const objects = [
      k8sGateway([{ port: 8080, protocol: 'HTTP' }]),
      route('HTTPRoute', { parentRefs: [{ name: 'egress', sectionName: 'listener-0' }], rules: [{ backendRefs: [{ name: 'api', port: 80 }] }] }, 'by-section'),
      route('HTTPRoute', { parentRefs: [{ name: 'egress' }], rules: [{ backendRefs: [{ name: 'api', port: 80 }] }] }, 'whole-gateway'),
    ];
    expect(servers(objects)).toEqual([
      { port: { number: 8080, protocol: 'HTTP', name: 'listener-0' }, hosts: ['egress/*'], [VIEW_SOURCE]: { kind: 'Gateway', field: 'spec.listeners[0]' } },
    ]);
    expect(routeViews(objects).map(v => v.object.metadata?.name)).toEqual(['whole-gateway']);
  });

  test('an HTTPRoute bound to a named listener routes on that listener\'s port', () => {
    const objects = [
      k8sGateway([{ name: 'http', port: 8080, protocol: 'HTTP' }]),
      route('HTTPRoute', { parentRefs: [{ name: 'egress', sectionName: 'http' }], rules: [{ backendRefs: [{ name: 'api', port: 80 }] }] }),
    ];
    assertValidIstioObjects(objects);
    expect(routeViews(objects).map(v => v.object.spec.http[0].match)).toEqual([[{ port: 8080 }]]);
  });
});

describe('server TLS modes (buildTLS)', () => {
  const terminate = (options?: Record<string, string>) => k8sGateway([{
    name: 'https',
    port: 443,
    protocol: 'HTTPS',
    tls: { mode: 'Terminate', certificateRefs: [{ name: 'cert' }], ...(options ? { options } : {}) },
  }]);
  const modeOf = (gateway: unknown) => servers([gateway])[0].tls;

  test('Terminate without options is SIMPLE', () => {
    assertValidIstioObjects([terminate()]);
    expect(modeOf(terminate())).toEqual({ mode: 'SIMPLE' });
  });

  test.each([
    ['MUTUAL', 'MUTUAL'],
    ['OPTIONAL_MUTUAL', 'OPTIONAL_MUTUAL'],
    ['ISTIO_MUTUAL', 'ISTIO_MUTUAL'],
    ['SIMPLE', 'SIMPLE'],
    ['PASSTHROUGH', 'SIMPLE'],
  ])('Terminate with tls-terminate-mode %s is %s', (option, mode) => {
    const gateway = terminate({ 'gateway.istio.io/tls-terminate-mode': option });
    assertValidIstioObjects([gateway]);
    expect(modeOf(gateway)).toEqual({ mode });
  });

  test('options that are not a map count as none', () => {
    const gateway = k8sGateway([{ name: 'https', port: 443, protocol: 'HTTPS', tls: { mode: 'Terminate', options: 'MUTUAL' } }]);
    expect(modeOf(gateway)).toEqual({ mode: 'SIMPLE' });
  });
});

describe('the namespaces a listener admits routes from (namespacesFromSelector)', () => {
  const hostsOf = (listener: Record<string, unknown>) => {
    const gateway = k8sGateway([{ name: 'http', port: 80, protocol: 'HTTP', hostname: 'api.example.com', ...listener }]);
    return servers([gateway])[0].hosts;
  };

  test('no allowedRoutes: the Gateway\'s own namespace', () => {
    expect(hostsOf({})).toEqual(['egress/api.example.com']);
  });

  test('allowedRoutes that are not a map count as none', () => {
    expect(hostsOf({ allowedRoutes: 'All' })).toEqual(['egress/api.example.com']);
  });

  test('from: All admits any namespace', () => {
    expect(hostsOf({ allowedRoutes: { namespaces: { from: 'All' } } })).toEqual(['*/api.example.com']);
  });

  test('a selector naming one namespace by kubernetes.io/metadata.name admits that namespace', () => {
    const listener = { allowedRoutes: { namespaces: { from: 'Selector', selector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } } } } };
    assertValidIstioObjects([k8sGateway([{ name: 'http', port: 80, protocol: 'HTTP', ...listener }])]);
    expect(hostsOf(listener)).toEqual(['shop/api.example.com']);
  });

  test.each([
    ['another label too', { matchLabels: { 'kubernetes.io/metadata.name': 'shop', 'team': 'a' } }],
    ['another label only', { matchLabels: { team: 'a' } }],
    ['matchExpressions too', { matchLabels: { 'kubernetes.io/metadata.name': 'shop' }, matchExpressions: [{ key: 'team', operator: 'Exists' }] }],
    ['matchExpressions only', { matchExpressions: [{ key: 'team', operator: 'Exists' }] }],
  ])('a selector with %s needs the Namespace objects: any namespace', (_, selector) => {
    const listener = { allowedRoutes: { namespaces: { from: 'Selector', selector } } };
    assertValidIstioObjects([k8sGateway([{ name: 'http', port: 80, protocol: 'HTTP', ...listener }])]);
    expect(hostsOf(listener)).toEqual(['*/api.example.com']);
  });

  test('from: Selector without a selector (invalid) admits any namespace, as Istio does', () => {
    expect(hostsOf({ allowedRoutes: { namespaces: { from: 'Selector' } } })).toEqual(['*/api.example.com']);
  });
});

describe('routes (convertHTTPRoute, convertTLSRoute)', () => {
  test('a ServiceEntry parent without hosts and a route without hostnames give no route view', () => {
    const objects = [
      entry([]),
      route('HTTPRoute', { parentRefs: [{ group: ISTIO, kind: 'ServiceEntry', name: 'api' }], rules: [{ backendRefs: [{ name: 'api', port: 80 }] }] }),
    ];
    expect(routeViews(objects)).toEqual([]);
    // With hostnames on the route, the same parent binds.
    (objects[1].spec as any).hostnames = ['api.example.com'];
    expect(routeViews(objects).map(v => [v.object.spec.hosts, parentEntryOf(v)])).toEqual([[['api.example.com'], 0]]);
  });

  test('a TLSRoute without hostnames matches any SNI; a backend without a name or of another kind gets no destination', () => {
    const objects = [
      k8sGateway([{ name: 'tls', port: 443, protocol: 'TLS', tls: { mode: 'Passthrough' } }]),
      route('TLSRoute', {
        parentRefs: [{ name: 'egress', sectionName: 'tls' }],
        rules: [{
          backendRefs: [
            { port: 443 },
            { group: 'example.com', kind: 'Backend', name: 'api', port: 443 },
            { group: ISTIO, kind: 'Hostname', name: 'api.example.com' },
            { name: 'api', namespace: 'shop', port: 443 },
          ],
        }],
      }),
    ];
    const [view] = routeViews(objects);
    expect(view.object.spec).toEqual({
      hosts: ['*'],
      gateways: ['egress/egress'],
      tls: [{
        match: [{ port: 443, sniHosts: ['*'] }],
        route: [{ destination: { host: 'api.example.com' } }, { destination: { host: 'api.shop.svc.cluster.local', port: { number: 443 } } }],
        [VIEW_SOURCE]: { kind: 'TLSRoute', field: 'spec.rules[0]', destinations: ['spec.rules[0].backendRefs[2]', 'spec.rules[0].backendRefs[3]'] },
      }],
    });
    expect(parentEntryOf(view)).toBeUndefined();
    expect(viewSource(view.object.spec.tls[0])).toEqual({
      kind: 'TLSRoute', field: 'spec.rules[0]', destinations: ['spec.rules[0].backendRefs[2]', 'spec.rules[0].backendRefs[3]'],
    });
  });
});

describe('viewSource and the cache', () => {
  test.each([[undefined], ['spec.rules[0]'], [3], [['a']]])('%p has no source', part => {
    expect(viewSource(part)).toBeUndefined();
  });

  test('a plain object has no source', () => {
    expect(viewSource({ route: [] })).toBeUndefined();
  });

  test('the views of an index are built once', () => {
    const index = new ObjectIndex([k8sGateway([{ name: 'http', port: 80, protocol: 'HTTP' }])]);
    expect(gatewayApiViews(index)).toBe(gatewayApiViews(index));
    expect(gatewayApiViews(new ObjectIndex([]))).not.toBe(gatewayApiViews(index));
  });
});
