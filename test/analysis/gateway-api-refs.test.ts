/**
 * The Gateway API across objects, as Istio 1.30 attaches routes and resolves backends
 * (conversion.go referenceAllowed, buildDestination; gatewaycommon BackendAllowed): egress set-ups shaped
 * like Istio's egress tasks in their Gateway API tab lint clean; each broken reference gives its code.
 */
import { stringify } from 'yaml';
import { destinationRule, found, namespace, policy, service, serviceEntry, severities } from './objects';
import { analyze, lintObjects } from '../../src/analysis';
import { explainObjects, formatExplain } from '../../src/cli/explain';
import { parseObjects } from '../../src/cli/input';
import { assertValidIstioObjects } from '../support/crd-validator';

const GW = 'gateway.networking.k8s.io/v1';
const ISTIO = 'networking.istio.io';

function k8sGateway(name: string, ns: string, spec: any, metadata: Record<string, unknown> = {}) {
  return { apiVersion: GW, kind: 'Gateway', metadata: { name, namespace: ns, ...metadata }, spec };
}
function route(kind: string, name: string, ns: string, spec: any, apiVersion = GW) {
  return { apiVersion, kind, metadata: { name, namespace: ns }, spec };
}
function grant(name: string, ns: string, spec: any) {
  return { apiVersion: 'gateway.networking.k8s.io/v1beta1', kind: 'ReferenceGrant', metadata: { name, namespace: ns }, spec };
}
function tlsPolicy(name: string, ns: string, targetRefs: unknown[]) {
  return {
    apiVersion: GW,
    kind: 'BackendTLSPolicy',
    metadata: { name, namespace: ns },
    spec: { targetRefs, validation: { hostname: 'api.example.com', wellKnownCACertificates: 'System' } },
  };
}
const toHost = (host: string, port: number) => ({ group: ISTIO, kind: 'Hostname', name: host, port });
const fromEntry = (name: string) => ({ group: ISTIO, kind: 'ServiceEntry', name });

const entry = (ns = 'egress', extra: Record<string, unknown> = {}) => serviceEntry('api', ns, {
  hosts: ['api.example.com'],
  location: 'MESH_EXTERNAL',
  resolution: 'DNS',
  ports: [{ number: 80, name: 'http', protocol: 'HTTP' }, { number: 443, name: 'tls', protocol: 'TLS' }],
  ...extra,
});
/** The gateway's Service as Istio deploys it (`<name>-istio`), known here. */
const gatewayService = (ns = 'egress') => service('api-egress-istio', ns, { ports: [{ port: 80, name: 'http' }, { port: 443, name: 'tls' }] });

/** Egress through a Gateway API egress gateway, HTTP. */
function httpEgress(ns = 'egress') {
  return [
    entry(ns),
    gatewayService(ns),
    k8sGateway('api-egress', ns, {
      gatewayClassName: 'istio',
      listeners: [{ name: 'http', hostname: 'api.example.com', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same' } } }],
    }, { annotations: { 'networking.istio.io/service-type': 'ClusterIP' } }),
    route('HTTPRoute', 'api-to-gateway', ns, {
      parentRefs: [fromEntry('api')],
      rules: [{ backendRefs: [{ name: 'api-egress-istio', port: 80 }] }],
    }),
    route('HTTPRoute', 'api-from-gateway', ns, {
      parentRefs: [{ name: 'api-egress', sectionName: 'http' }],
      hostnames: ['api.example.com'],
      rules: [{ backendRefs: [toHost('api.example.com', 80)] }],
    }),
  ];
}

/** HTTPS passthrough: a TLS listener and two TLSRoutes. */
function passthrough(ns = 'egress') {
  return [
    entry(ns),
    gatewayService(ns),
    k8sGateway('api-egress', ns, {
      gatewayClassName: 'istio',
      listeners: [{
        name: 'tls',
        hostname: 'api.example.com',
        port: 443,
        protocol: 'TLS',
        tls: { mode: 'Passthrough' },
        allowedRoutes: { namespaces: { from: 'Same' } },
      }],
    }, { annotations: { 'networking.istio.io/service-type': 'ClusterIP' } }),
    route('TLSRoute', 'api-to-gateway', ns, {
      parentRefs: [fromEntry('api')],
      hostnames: ['api.example.com'],
      rules: [{ backendRefs: [{ name: 'api-egress-istio', port: 443 }] }],
    }),
    route('TLSRoute', 'api-from-gateway', ns, {
      parentRefs: [{ name: 'api-egress', sectionName: 'tls' }],
      hostnames: ['api.example.com'],
      rules: [{ backendRefs: [toHost('api.example.com', 443)] }],
    }),
  ];
}

/**
 * TLS origination at the gateway: plain HTTP to the gateway, which originates TLS to the host's port 80 sent to 443
 * (targetPort). With an HTTPS port 443 in the ServiceEntry, as the docs have it, EGR134 warns that clients calling
 * port 443 themselves would be wrapped twice.
 */
function origination(ns = 'egress') {
  return [
    entry(ns, { ports: [{ number: 80, name: 'http', protocol: 'HTTP', targetPort: 443 }] }),
    gatewayService(ns),
    k8sGateway('api-egress', ns, {
      gatewayClassName: 'istio',
      listeners: [{ name: 'http', hostname: 'api.example.com', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same' } } }],
    }, { annotations: { 'networking.istio.io/service-type': 'ClusterIP' } }),
    route('HTTPRoute', 'api-to-gateway', ns, { parentRefs: [fromEntry('api')], rules: [{ backendRefs: [{ name: 'api-egress-istio', port: 80 }] }] }),
    route('HTTPRoute', 'api-from-gateway', ns, {
      parentRefs: [{ name: 'api-egress', sectionName: 'http' }],
      hostnames: ['api.example.com'],
      rules: [{ backendRefs: [toHost('api.example.com', 80)] }],
    }),
    destinationRule('api-tls', ns, { host: 'api.example.com', trafficPolicy: { portLevelSettings: [{ port: { number: 80 }, tls: { mode: 'SIMPLE', caCertificates: '/etc/ssl/certs/ca-certificates.crt' } }] } }),
  ];
}

/** Ambient: a waypoint, the namespace enrolled to it, a ServiceEntry and a policy on the ServiceEntry. */
function ambient() {
  return [
    namespace('egress', { 'istio.io/dataplane-mode': 'ambient', 'istio.io/use-waypoint': 'waypoint' }),
    k8sGateway('waypoint', 'egress', { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
      { labels: { 'istio.io/waypoint-for': 'service' } }),
    serviceEntry('api', 'egress', {
      hosts: ['api.example.com'],
      location: 'MESH_EXTERNAL',
      resolution: 'DNS',
      ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }],
    }),
    policy('api-allow', 'egress', {
      targetRefs: [{ group: ISTIO, kind: 'ServiceEntry', name: 'api' }],
      action: 'ALLOW',
      rules: [{ from: [{ source: { namespaces: ['shop'] } }] }],
    }),
  ];
}

const codes = (objects: any[]) => lintObjects(objects).map(f => `${f.code} [${f.index}] ${f.field}: ${f.message}`);

describe('egress set-ups shaped like Istio\'s egress tasks lint clean', () => {
  // The docs' ServiceEntries declare a second port that the clients use directly: the paths follow the
  // Gateway API routes as they follow VirtualServices, so that port gets the Istio API form's warning.
  const bypass = (port: number, routed: number) => [expect.stringMatching(
    new RegExp(`^EGR220 \\[0\\] spec\\.ports\\[\\d\\]: port ${port} .* while port ${routed} goes through the egress gateway api-egress-istio\\.egress\\.svc\\.cluster\\.local:`))];
  test.each([
    ['an egress gateway for HTTP', httpEgress(), bypass(443, 80)],
    ['HTTPS passthrough with TLSRoutes', passthrough(), bypass(80, 443)],
    ['TLS origination at the gateway', origination(), []],
    ['an ambient egress waypoint', ambient(), []],
  ])('%s', (_, objects, expected) => {
    expect(codes(objects)).toEqual(expected);
    expect(assertValidIstioObjects(objects).gatewayApi).toBeGreaterThan(0);
  });
});

describe('parentRefs (EGR147)', () => {
  test('a Gateway of a namespace whose Gateways are known', () => {
    const objects = httpEgress();
    objects[4].spec.parentRefs = [{ name: 'api-egres', sectionName: 'http' }];
    expect(found('EGR147', objects)).toEqual([
      '[4] spec.parentRefs[0].name: parent Gateway "api-egres" not found in namespace egress: Istio does not attach the HTTPRoute there, so it routes nothing from this parent',
    ]);
  });
  test('a Gateway of a namespace none of whose Gateways is known: nothing is claimed', () => {
    const objects = httpEgress();
    objects[4].spec.parentRefs = [{ name: 'api-egress', namespace: 'elsewhere' }];
    expect(found('EGR147', objects)).toEqual([]);
  });
  test('a sectionName the Gateway lacks', () => {
    const objects = httpEgress();
    objects[4].spec.parentRefs = [{ name: 'api-egress', sectionName: 'https' }];
    expect(found('EGR147', objects)).toEqual(['[4] spec.parentRefs[0].sectionName: sectionName "https" not found']);
  });
  test('a port the Gateway lacks', () => {
    const objects = httpEgress();
    objects[4].spec.parentRefs = [{ name: 'api-egress', port: 8080 }];
    expect(found('EGR147', objects)).toEqual(['[4] spec.parentRefs[0].port: port 8080 not found']);
  });
  test('a ServiceEntry parent', () => {
    const objects = httpEgress();
    objects[3].spec.parentRefs = [fromEntry('apii')];
    expect(found('EGR147', objects)[0]).toContain('[3] spec.parentRefs[0].name: parent service entry: "apii" not found in namespace egress');
  });
  test('a Service parent', () => {
    const objects = httpEgress();
    objects[3].spec.parentRefs = [{ group: '', kind: 'Service', name: 'api' }];
    expect(found('EGR147', objects)[0]).toContain('parent service: "api" not found');
  });
});

describe('allowedRoutes (EGR149)', () => {
  test('a route of another namespace at a listener that admits its own namespace only', () => {
    const objects = [...httpEgress(), route('HTTPRoute', 'shop-route', 'shop', {
      parentRefs: [{ name: 'api-egress', namespace: 'egress' }], hostnames: ['api.example.com'], rules: [{ backendRefs: [toHost('api.example.com', 80)] }],
    })];
    expect(found('EGR149', objects)).toEqual([
      '[5] spec.parentRefs[0]: namespace "shop" is not allowed by Gateway egress/api-egress (allowedRoutes.namespaces): Istio does not attach the route',
    ]);
  });
  test('a Selector matching the route\'s namespace labels admits it; one that does not, does not', () => {
    const base = httpEgress();
    (base[2] as any).spec.listeners[0].allowedRoutes = { namespaces: { from: 'Selector', selector: { matchLabels: { egress: 'allowed' } } } };
    const shopRoute = route('HTTPRoute', 'shop-route', 'shop', {
      parentRefs: [{ name: 'api-egress', namespace: 'egress' }], hostnames: ['api.example.com'], rules: [{ backendRefs: [toHost('api.example.com', 80)] }],
    });
    expect(found('EGR149', [...base, shopRoute, namespace('shop', { egress: 'allowed' })])).toEqual([]);
    expect(found('EGR149', [...base, shopRoute, namespace('shop')])).toHaveLength(1);
    // Without the Namespace object its labels are unknown: nothing is claimed.
    expect(found('EGR149', [...base, shopRoute])).toEqual([]);
  });
  test('All admits every namespace', () => {
    const base = httpEgress();
    (base[2] as any).spec.listeners[0].allowedRoutes = { namespaces: { from: 'All' } };
    expect(found('EGR149', [...base, route('HTTPRoute', 'shop-route', 'shop', {
      parentRefs: [{ name: 'api-egress', namespace: 'egress' }], rules: [{ backendRefs: [toHost('api.example.com', 80)] }],
    })])).toEqual([]);
  });
  test('a route kind the listener does not take', () => {
    const objects = passthrough();
    objects[4] = route('HTTPRoute', 'api-from-gateway', 'egress', {
      parentRefs: [{ name: 'api-egress', sectionName: 'tls' }], rules: [{ backendRefs: [toHost('api.example.com', 443)] }],
    });
    expect(found('EGR149', objects)).toEqual([
      '[4] spec.parentRefs[0]: kind gateway.networking.k8s.io/HTTPRoute is not allowed by Gateway egress/api-egress listener tls: Istio does not attach the route',
    ]);
  });
  test('allowedRoutes.kinds that leave the route\'s kind out', () => {
    const objects = httpEgress();
    (objects[2] as any).spec.listeners[0].allowedRoutes.kinds = [{ kind: 'GRPCRoute' }];
    expect(found('EGR149', objects)).toHaveLength(1);
  });
});

describe('hostnames (EGR151)', () => {
  test('a route host the listener does not serve', () => {
    const objects = httpEgress();
    objects[4].spec.hostnames = ['other.example.com'];
    expect(found('EGR151', objects)).toEqual([
      '[4] spec.hostnames: no hostnames matched parent hostname "api.example.com" of Gateway egress/api-egress listener http: Istio does not attach the HTTPRoute',
    ]);
  });
  test('wildcards match in both directions', () => {
    const objects = httpEgress();
    objects[4].spec.hostnames = ['*.example.com'];
    expect(found('EGR151', objects)).toEqual([]);
    (objects[2] as any).spec.listeners[0].hostname = '*.example.com';
    objects[4].spec.hostnames = ['api.example.com'];
    expect(found('EGR151', objects)).toEqual([]);
  });
});

describe('backendRefs (EGR148, EGR150)', () => {
  test('a Service missing in a namespace whose Services are known', () => {
    const objects = httpEgress();
    objects[3].spec.rules[0].backendRefs[0].name = 'api-egress';
    expect(found('EGR148', objects)).toEqual([
      '[3] spec.rules[0].backendRefs[0].name: backend(api-egress.egress.svc.cluster.local) not found: Istio sends the route\'s requests nowhere (HTTP 500)',
    ]);
  });
  test('a port the Service lacks', () => {
    const objects = httpEgress();
    objects[3].spec.rules[0].backendRefs[0].port = 8080;
    expect(found('EGR148', objects)).toEqual([
      '[3] spec.rules[0].backendRefs[0].port: Service egress/api-egress-istio has no port 8080 (it has 80, 443): the route\'s traffic finds no endpoint',
    ]);
  });
  test('a Hostname no ServiceEntry defines', () => {
    const objects = httpEgress();
    objects[4].spec.rules[0].backendRefs[0] = toHost('api.example.org', 80);
    expect(found('EGR148', objects)[0]).toContain('backend(api.example.org) not found');
  });
  test('a Hostname port its ServiceEntry does not declare (as IST0101 for a VirtualService destination)', () => {
    const objects = httpEgress();
    expect(found('EGR148', objects)).toEqual([]);
    objects[4].spec.rules[0].backendRefs[0] = toHost('api.example.com', 8443);
    expect(found('EGR148', objects)).toEqual([
      '[4] spec.rules[0].backendRefs[0].port: api.example.com declares no port 8443 (it has 80, 443): Istio has no cluster for '
        + 'api.example.com:8443, so the route\'s traffic goes nowhere',
    ]);
  });
  test('a Hostname whose ServiceEntry is not exported to the route\'s namespace', () => {
    const objects = [...httpEgress('egress'), route('HTTPRoute', 'r', 'shop', {
      parentRefs: [fromEntry('api')],
      rules: [{ backendRefs: [toHost('api.example.com', 80)] }],
    })];
    // Defined in another namespace and exported everywhere: Istio's status says BackendNotFound, but the route works.
    expect(found('EGR148', objects)).toEqual([]);
    objects[0] = entry('egress', { exportTo: ['.'] });
    expect(found('EGR148', objects)).toEqual([
      '[5] spec.rules[0].backendRefs[0].name: backend(api.example.com) not found (it is not exported to namespace shop): '
        + 'Istio sends the route\'s requests nowhere (HTTP 500)',
    ]);
  });
  test('a Hostname of a Service: found in its own namespace, unchecked where its namespace\'s Services are unknown', () => {
    const objects = httpEgress();
    objects[4].spec.rules[0].backendRefs[0] = toHost('api-egress-istio.egress.svc.cluster.local', 80);
    expect(found('EGR148', objects)).toEqual([]);
    objects[4].spec.rules[0].backendRefs[0] = toHost('api.other.svc.cluster.local', 80);
    const result = analyze(objects);
    expect(result.findings.filter(f => f.code === 'EGR148')).toEqual([]);
    expect(result.unchecked).toEqual([{ index: 4, field: 'spec.rules[0].backendRefs[0].name', host: 'api.other.svc.cluster.local', namespace: 'other' }]);
  });
  test('a route with a mesh parent needs no ReferenceGrant for a Service of another namespace', () => {
    const shopRoute = route('HTTPRoute', 'to-gateway', 'shop', {
      parentRefs: [fromEntry('api')], rules: [{ backendRefs: [{ name: 'api-egress-istio', namespace: 'egress', port: 80 }] }],
    });
    expect(found('EGR150', [...httpEgress(), shopRoute])).toEqual([]);
  });
  test('a route with a Gateway parent needs a ReferenceGrant for a Service of another namespace', () => {
    const shopRoute = route('HTTPRoute', 'to-gateway', 'shop', {
      parentRefs: [{ name: 'shop-gateway' }], rules: [{ backendRefs: [{ name: 'api-egress-istio', namespace: 'egress', port: 80 }] }],
    });
    const objects = [...httpEgress(), shopRoute];
    expect(found('EGR150', objects)).toEqual([
      '[5] spec.rules[0].backendRefs[0].namespace: backendRef api-egress-istio/egress not accessible to a HTTPRoute in namespace "shop" (missing a ReferenceGrant?)',
    ]);
    const allow = grant('shop-to-gateway', 'egress', {
      from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'shop' }], to: [{ group: '', kind: 'Service', name: 'api-egress-istio' }],
    });
    expect(found('EGR150', [...objects, allow])).toEqual([]);
    const otherName = grant('shop-to-gateway', 'egress', {
      from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'shop' }], to: [{ group: '', kind: 'Service', name: 'other' }],
    });
    expect(found('EGR150', [...objects, otherName])).toHaveLength(1);
  });
});

describe('waypoints (EGR152)', () => {
  test('a namespace enrolled to a waypoint that does not exist', () => {
    const objects = ambient();
    objects[0] = namespace('egress', { 'istio.io/use-waypoint': 'egress-waypoint' });
    expect(found('EGR152', objects)).toEqual([
      '[0] metadata.labels.istio.io/use-waypoint: no waypoint Gateway egress/egress-waypoint exists: traffic of the namespace does not go through a waypoint, so its policies are not applied',
    ]);
  });
  test('a ServiceEntry naming a waypoint of another namespace, and a Gateway that is no waypoint', () => {
    const objects = [...ambient(), serviceEntry('other', 'shop', {
      hosts: ['other.example.com'],
      location: 'MESH_EXTERNAL',
      resolution: 'DNS',
      ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }],
    }, { 'istio.io/use-waypoint': 'waypoint', 'istio.io/use-waypoint-namespace': 'egress' })];
    expect(found('EGR152', objects)).toEqual([
      '[4] metadata.labels.istio.io/use-waypoint-namespace: waypoint egress/waypoint does not admit namespace shop: its HBONE listener\'s allowedRoutes '
        + 'take its own namespace only, so Istio does not bind the waypoint and the traffic goes without it',
    ]);
    (objects[1] as any).spec.listeners[0].allowedRoutes = { namespaces: { from: 'All' } };
    expect(found('EGR152', objects)).toEqual([]);
    (objects[4] as any).metadata.labels['istio.io/use-waypoint'] = 'missing';
    expect(found('EGR152', objects)[0]).toContain('no waypoint Gateway egress/missing exists');
    (objects[1] as any).spec.gatewayClassName = 'istio';
    (objects[4] as any).metadata.labels['istio.io/use-waypoint'] = 'waypoint';
    expect(found('EGR152', objects)[0]).toContain('Gateway egress/waypoint is not a waypoint');
    expect(severities('EGR152', objects)).toEqual(['[0] warning', '[4] warning']);
  });
  test('when no Gateway of the waypoint\'s namespace is known, nothing is claimed', () => {
    expect(found('EGR152', [namespace('egress', { 'istio.io/use-waypoint': 'waypoint' })])).toEqual([]);
  });
});

describe('BackendTLSPolicy (EGR153)', () => {
  test('a targetRef to a missing ServiceEntry', () => {
    expect(found('EGR153', [...ambient(), tlsPolicy('api-tls', 'egress', [{ group: ISTIO, kind: 'ServiceEntry', name: 'apii' }])])).toEqual([
      '[4] spec.targetRefs[0].name: the BackendTLSPolicy targets ServiceEntry egress/apii, which does not exist: Istio originates no TLS with it',
    ]);
  });
  test('a policy beside a DestinationRule is EGR154 (test/analysis/backend-tls-policies.test.ts), not a target error', () => {
    const objects = [...ambient(), tlsPolicy('api-tls', 'egress', [{ group: ISTIO, kind: 'ServiceEntry', name: 'api' }])];
    expect(found('EGR153', objects)).toEqual([]);
  });
});

describe('explain reads these kinds without failing', () => {
  test.each([
    ['ambient', ambient()],
    ['broken references', [...httpEgress(), route('HTTPRoute', 'x', 'shop', {
      parentRefs: [{ name: 'nope', namespace: 'egress', port: 1 }],
      rules: [{ backendRefs: [{ kind: 'Hostname', group: ISTIO, name: 'nowhere.example.com', port: 1 }] }],
    }), tlsPolicy('p', 'egress', [{ kind: 'Service', name: 'x' }])]],
  ])('%s', (_, objects) => {
    const report = explainObjects(parseObjects(objects.map(o => stringify(o)).join('---\n'), 'egress.yaml'));
    expect(report.hosts.map(h => h.host)).toEqual(['api.example.com']);
    expect(formatExplain(report, 'json')).toContain('"hosts"');
  });
});

/** The explain report of the objects, and one port's path in it. */
function explainPort(objects: any[], port: number) {
  const report = explainObjects(parseObjects(objects.map(o => stringify(o)).join('---\n'), 'egress.yaml'));
  return { report, path: report.hosts.find(h => h.host === 'api.example.com')!.ports.find(p => p.port === port)! };
}

describe('the egress paths follow Gateway API routes as Istio converts them (conversion.go)', () => {
  test('HTTP: the mesh HTTPRoute to the gateway Service, the listener, the gateway HTTPRoute to the Hostname', () => {
    const { report, path } = explainPort(httpEgress(), 80);
    expect(path.sidecar).toMatchObject({
      via: 'gateway',
      routeKind: 'HTTPRoute',
      virtualService: 'egress/api-to-gateway',
      route: 'rules[0]',
      destination: 'api-egress-istio.egress.svc.cluster.local',
      destinationPort: 80,
      traffic: 'plain',
    });
    expect(path.gatewayService).toMatchObject({ namespace: 'egress', pods: { 'gateway.networking.k8s.io/gateway-name': 'api-egress' }, podsFrom: 'gateway-api' });
    expect(path.gateway).toMatchObject({ gateway: 'egress/api-egress', server: 'spec.listeners[0]', port: 80, protocol: 'HTTP', tls: 'none' });
    expect(path.gatewayHop).toMatchObject({ routeKind: 'HTTPRoute', virtualService: 'egress/api-from-gateway', route: 'rules[0]', destination: 'api.example.com', destinationPort: 80 });
    // The text names the routes by kind; the docs' port 443 goes direct, as in the Istio API form.
    const table = formatExplain(report, undefined);
    expect(table).toContain('HTTPRoute egress/api-to-gateway rules[0] → api-egress-istio.egress.svc.cluster.local:80');
    expect(table).toContain('HTTPRoute egress/api-from-gateway rules[0] → api.example.com:80');
    expect(formatExplain(report, 'mermaid')).toContain('"HTTPRoute egress/api-to-gateway rules[0] plain → port 80"');
    expect(explainPort(httpEgress(), 443).path).toMatchObject({ sidecar: { via: 'direct' }, gateway: null, problems: [{ code: 'EGR220' }] });
  });

  test('passthrough: TLSRoutes by SNI, a Passthrough listener', () => {
    const { path } = explainPort(passthrough(), 443);
    expect(path.sidecar).toMatchObject({ via: 'gateway', routeKind: 'TLSRoute', destination: 'api-egress-istio.egress.svc.cluster.local', destinationPort: 443 });
    expect(path.gateway).toMatchObject({ server: 'spec.listeners[0]', protocol: 'TLS', tls: 'PASSTHROUGH' });
    expect(path.gatewayHop).toMatchObject({ routeKind: 'TLSRoute', destination: 'api.example.com', destinationPort: 443 });
    expect(path.problems).toEqual([]);
  });

  test('origination: the DestinationRule for the host applies at the gateway', () => {
    const { path } = explainPort(origination(), 80);
    expect(path.gatewayHop).toMatchObject({ destination: 'api.example.com', tlsOrigination: { mode: 'SIMPLE', destinationRule: 'egress/api-tls' } });
  });

  test('a route parented to a listener by sectionName takes only that listener\'s port', () => {
    const objects = httpEgress();
    objects[4].spec.parentRefs = [{ name: 'api-egress', sectionName: 'https' }];
    expect(explainPort(objects, 80).path).toMatchObject({ gateway: { port: 80 }, gatewayHop: null });
  });

  test('a Gateway of another class is no egress gateway of Istio\'s', () => {
    const objects = httpEgress();
    objects[2].spec.gatewayClassName = 'other';
    expect(explainPort(objects, 80).path).toMatchObject({ sidecar: { via: 'direct' }, gateway: null });
  });
});

describe('the path rules on Gateway API paths', () => {
  /** Mutual TLS to the gateway, as the library writes it: an HTTPS listener ending ISTIO_MUTUAL. */
  function mutualTls(withRule: boolean) {
    const objects: any[] = httpEgress();
    objects[2].spec.listeners[0] = {
      name: 'http',
      hostname: 'api.example.com',
      port: 80,
      protocol: 'HTTPS',
      tls: { mode: 'Terminate', options: { 'gateway.istio.io/tls-terminate-mode': 'ISTIO_MUTUAL' } },
      allowedRoutes: { namespaces: { from: 'Same' } },
    };
    return withRule ? [...objects, destinationRule('api-egress-mtls', 'egress', {
      host: 'api-egress-istio.egress.svc.cluster.local',
      trafficPolicy: { portLevelSettings: [{ port: { number: 80 }, tls: { mode: 'ISTIO_MUTUAL', sni: 'api.example.com' } }] },
    })] : objects;
  }

  test('GWTLS (EGR130): plain text from the sidecars to a listener that accepts only Istio mutual TLS', () => {
    expect(found('EGR130', mutualTls(false))).toEqual([expect.stringMatching(
      /^\[3\] spec\.rules\[0\]\.backendRefs\[0\]: .*plain text.*ISTIO_MUTUAL/)]);
    expect(found('EGR130', mutualTls(true))).toEqual([]);
    expect(lintObjects(mutualTls(true)).filter(f => f.severity === 'error')).toEqual([]);
  });
});

describe('ambient: the paths go through the waypoint the ServiceEntry is bound to', () => {
  test('bound by its namespace: ztunnel to the waypoint over HBONE, the waypoint to the host, the policy on the ServiceEntry', () => {
    const { report, path } = explainPort(ambient(), 443);
    expect(path.sidecar).toMatchObject({ via: 'waypoint', destination: 'waypoint.egress.svc.cluster.local', destinationPort: 15008, traffic: 'istio-mutual' });
    expect(path.waypoint).toEqual({
      waypoint: 'egress/waypoint',
      boundBy: 'Namespace egress',
      virtualService: null,
      routeKind: null,
      route: null,
      destination: 'api.example.com',
      destinationPort: 443,
      tlsOrigination: null,
    });
    expect(path.allowed).toMatchObject({ verdict: 'listed', allow: [{ policy: 'egress/api-allow', namespaces: ['shop'] }] });
    expect(path).toMatchObject({ gateway: null, gatewayHop: null, problems: [] });
    expect(formatExplain(report, undefined)).toContain('| ztunnel → waypoint waypoint.egress.svc.cluster.local:15008 (HBONE, mutual TLS) | waypoint egress/waypoint (bound by Namespace egress) |');
    expect(formatExplain(report, 'mermaid')).toContain('"443: HBONE"');
  });

  test('bound by its own label, with TLS origination by a DestinationRule at the waypoint', () => {
    const objects: any[] = ambient();
    objects[0].metadata.labels = { 'istio.io/dataplane-mode': 'ambient' };
    objects[2].metadata.labels = { 'istio.io/use-waypoint': 'waypoint' };
    objects[2].spec.ports = [{ number: 80, name: 'http', protocol: 'HTTP', targetPort: 443 }];
    objects.push(destinationRule('api-tls', 'egress', { host: 'api.example.com', trafficPolicy: { tls: { mode: 'SIMPLE' } } }));
    const { path } = explainPort(objects, 80);
    expect(path.waypoint).toMatchObject({ boundBy: 'ServiceEntry egress/api', destinationPort: 80, tlsOrigination: { mode: 'SIMPLE', destinationRule: 'egress/api-tls' } });
  });

  // getUseWaypoint and fetchWaypointForTarget (pilot/pkg/serviceregistry/ambient/waypoints.go): a label of the object's own,
  // `none` or a name no waypoint has, is read before the namespace's and ends the lookup.
  test('a ServiceEntry\'s own none, or empty, label keeps it from its namespace\'s waypoint', () => {
    expect(explainPort(ambient(), 443).path).toMatchObject({ sidecar: { via: 'waypoint' } });
    for (const value of ['none', '']) {
      const objects: any[] = ambient();
      objects[2].metadata.labels = { 'istio.io/use-waypoint': value };
      assertValidIstioObjects(objects);
      expect(explainPort(objects, 443).path).toMatchObject({ sidecar: { via: 'direct' }, waypoint: null });
    }
  });

  test('a label naming no waypoint Gateway (EGR152), or none, leaves the path direct', () => {
    for (const name of ['elsewhere', 'none']) {
      const objects: any[] = ambient();
      objects[0].metadata.labels['istio.io/use-waypoint'] = name;
      expect(explainPort(objects, 443).path).toMatchObject({ sidecar: { via: 'direct' }, waypoint: null });
    }
  });
});

describe('a Gateway API route parented to a ServiceEntry applies to that ServiceEntry only', () => {
  test('another namespace\'s ServiceEntry of the same host keeps its own (direct) path: no EGR220 for it', () => {
    const other = serviceEntry('api', 'other', {
      hosts: ['api.example.com'],
      location: 'MESH_EXTERNAL',
      resolution: 'DNS',
      exportTo: ['.'],
      ports: [{ number: 80, name: 'http', protocol: 'HTTP' }],
    });
    const objects = [...httpEgress(), other];
    objects[0].spec.exportTo = ['.'];
    const paths = explainObjects(parseObjects(objects.map(o => stringify(o)).join('---\n'), 'egress.yaml')).hosts;
    expect(paths.map(h => [h.definedBy.ref, h.ports.map(p => `${p.port}:${p.sidecar.via}`)])).toEqual([
      ['egress/api', ['80:gateway', '443:direct']],
      ['other/api', ['80:direct']],
    ]);
    expect(found('EGR220', objects).map(f => f.slice(0, 3))).toEqual(['[0]']);
  });
});
