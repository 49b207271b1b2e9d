/**
 * The Gateway API rendering of EgressGatewayRoute (sidecar data plane), against the shapes of the
 * Gateway API tabs of Istio's egress tasks (egress-gateway: HTTP and HTTPS passthrough;
 * egress-gateway-tls-origination). `synth` validates every object against its CRDs and fails on
 * any finding of the whole-app analysis at synth.
 *
 * Where we differ from the docs on purpose (each asserted below):
 * - listeners allow only the route kinds used (`allowedRoutes.kinds`), and the gateway's routes name
 *   their listener (`sectionName`), so that two hosts on one port do not share routes;
 * - the origination DestinationRule applies to the gateway's pods only (`workloadSelector`,
 *   `exportTo: ['.']`): the docs' rule would make every sidecar wrap port 443 of the host in TLS too.
 */
import { App, Chart, Duration } from 'cdk8s';
import {
  EgressAnalysis, EgressClient, EgressGateway, EgressGatewayRoute, EgressPort, ExternalHost, GatewayApiEgressGateway, IEgressGateway,
  IstioApi, IstioApiVersion, IstioRelease, TlsOrigination,
} from '../src';
import { appWithChart, byKind, oneOfKind, synth, synthError } from './support/synth';
import { gatewayApiChart } from '../examples/gateway-api/main';
import { lintObjects } from '../src/analysis';

const HOSTNAME_BACKEND = { group: 'networking.istio.io', kind: 'Hostname' };
const SE_PARENT = { group: 'networking.istio.io', kind: 'ServiceEntry' };

/** The docs' ServiceEntry `cnn` (HTTP 80, HTTPS 443) in `default`. */
function cnn(chart: Chart, ports = [EgressPort.http(80), EgressPort.https(443)]): ExternalHost {
  return new ExternalHost(chart, 'Cnn', { hosts: ['edition.cnn.com'], ports, metadata: { name: 'cnn' } });
}

function docsGateway(chart: Chart): GatewayApiEgressGateway {
  return new GatewayApiEgressGateway(chart, 'EgressGateway', { name: 'cnn-egress-gateway' });
}

const named = (objects: any[], kind: string, name: string) => {
  const found = byKind(objects, kind).filter(o => o.metadata.name === name);
  expect(found).toHaveLength(1);
  return found[0];
};

describe('egress gateway for HTTP traffic (docs: egress-gateway, Gateway API tab)', () => {
  function app() {
    const { app: a, chart } = appWithChart('default');
    const gateway = docsGateway(chart);
    const route = new EgressGatewayRoute(chart, 'Route', { host: cnn(chart), gateway, ports: [80], gatewayMutualTls: false });
    return { objects: synth(a), gateway, route };
  }

  test('Gateway: class istio, ClusterIP, one HTTP listener for the host on 80 from routes beside it', () => {
    const gw = oneOfKind(app().objects, 'Gateway');
    expect(gw.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(gw.metadata).toEqual({ name: 'cnn-egress-gateway', namespace: 'default', annotations: { 'networking.istio.io/service-type': 'ClusterIP' } });
    expect(gw.spec).toEqual({
      gatewayClassName: 'istio',
      listeners: [{
        name: 'http-80-edition-cnn-com',
        hostname: 'edition.cnn.com',
        port: 80,
        protocol: 'HTTP',
        allowedRoutes: { namespaces: { from: 'Same' }, kinds: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }] },
      }],
    });
  });

  test('sidecars\' hop: HTTPRoute parented to the ServiceEntry, to the Service <name>-istio port 80', () => {
    const mesh = named(app().objects, 'HTTPRoute', 'cnn-egress');
    expect(mesh.spec).toEqual({
      parentRefs: [{ ...SE_PARENT, name: 'cnn' }],
      rules: [{ backendRefs: [{ name: 'cnn-egress-gateway-istio', port: 80 }] }],
    });
  });

  test('gateway\'s hop: HTTPRoute parented to the Gateway\'s listener, to the host by Hostname on 80', () => {
    const forward = named(app().objects, 'HTTPRoute', 'default-cnn');
    expect(forward.spec).toEqual({
      parentRefs: [{ name: 'cnn-egress-gateway', sectionName: 'http-80-edition-cnn-com' }],
      hostnames: ['edition.cnn.com'],
      rules: [{ backendRefs: [{ ...HOSTNAME_BACKEND, name: 'edition.cnn.com', port: 80 }] }],
    });
  });

  test('no Istio Gateway, VirtualService or DestinationRule; the gateway is the IEgressGateway of its pods and Service', () => {
    const { objects, gateway, route } = app();
    expect(objects.map(o => o.kind).sort()).toEqual(['Gateway', 'HTTPRoute', 'HTTPRoute', 'ServiceEntry']);
    expect(gateway.selector).toEqual({ 'gateway.networking.k8s.io/gateway-name': 'cnn-egress-gateway' });
    expect(gateway.serviceHost).toBe('cnn-egress-gateway-istio.default.svc.cluster.local');
    expect(gateway.ports).toEqual([{ port: 80, name: 'http-80-edition-cnn-com' }]);
    expect(route.gatewayApiRoutes.map(r => r.name)).toEqual(['cnn-egress', 'default-cnn']);
    expect(route.virtualServices).toEqual([]);
    expect(() => route.istioGateway).toThrow(/renders through the Gateway API gateway default\/cnn-egress-gateway.*gatewayApiRoutes/);
  });
});

describe('egress gateway for HTTPS traffic (docs: egress-gateway, TLS passthrough)', () => {
  test('a TLS Passthrough listener on 443 and two TLSRoutes (v1, Istio 1.30)', () => {
    const { app, chart } = appWithChart('default');
    const host = cnn(chart, [EgressPort.tls(443)]);
    new EgressGatewayRoute(chart, 'Route', { host, gateway: docsGateway(chart), gatewayMutualTls: false });
    const objects = synth(app);
    expect(oneOfKind(objects, 'Gateway').spec.listeners).toEqual([{
      name: 'tls-443-edition-cnn-com',
      hostname: 'edition.cnn.com',
      port: 443,
      protocol: 'TLS',
      tls: { mode: 'Passthrough' },
      allowedRoutes: { namespaces: { from: 'Same' }, kinds: [{ group: 'gateway.networking.k8s.io', kind: 'TLSRoute' }] },
    }]);
    const routes = byKind(objects, 'TLSRoute');
    expect(routes.map(r => r.apiVersion)).toEqual(['gateway.networking.k8s.io/v1', 'gateway.networking.k8s.io/v1']);
    // TLSRoute v1 requires hostnames, which the docs' v1alpha2 routes leave out.
    expect(named(objects, 'TLSRoute', 'cnn-egress').spec).toEqual({
      parentRefs: [{ ...SE_PARENT, name: 'cnn' }],
      hostnames: ['edition.cnn.com'],
      rules: [{ backendRefs: [{ name: 'cnn-egress-gateway-istio', port: 443 }] }],
    });
    expect(named(objects, 'TLSRoute', 'default-cnn').spec).toEqual({
      parentRefs: [{ name: 'cnn-egress-gateway', sectionName: 'tls-443-edition-cnn-com' }],
      hostnames: ['edition.cnn.com'],
      rules: [{ backendRefs: [{ ...HOSTNAME_BACKEND, name: 'edition.cnn.com', port: 443 }] }],
    });
    expect(byKind(objects, 'HTTPRoute')).toEqual([]);
  });

  test('the application\'s own TLS with the mesh\'s mutual TLS to the gateway is refused, naming the fix', () => {
    const { app, chart } = appWithChart('default');
    new EgressGatewayRoute(chart, 'Route', { host: cnn(chart, [EgressPort.tls(443)]), gateway: docsGateway(chart) });
    const message = synthError(app);
    expect(message).toContain('ports: 443 (TLS) carries the application\'s own TLS');
    expect(message).toContain('Fix: set `gatewayMutualTls: false`');
  });
});

describe('TLS origination at the gateway (docs: egress-gateway-tls-origination, Gateway API tab)', () => {
  function app(mutualTls: boolean) {
    const { app: a, chart } = appWithChart('default');
    new EgressGatewayRoute(chart, 'Route', {
      host: cnn(chart), gateway: docsGateway(chart), gatewayMutualTls: mutualTls, tlsOrigination: TlsOrigination.simple(),
    });
    return synth(a);
  }

  test('without mutual TLS: HTTP listener on 80, the gateway\'s hop to 443, a SIMPLE DestinationRule for the gateway\'s pods', () => {
    const objects = app(false);
    expect(oneOfKind(objects, 'Gateway').spec.listeners.map((l: any) => [l.port, l.protocol, l.tls])).toEqual([[80, 'HTTP', undefined]]);
    expect(named(objects, 'HTTPRoute', 'cnn-egress').spec.rules).toEqual([{ backendRefs: [{ name: 'cnn-egress-gateway-istio', port: 80 }] }]);
    expect(named(objects, 'HTTPRoute', 'default-cnn').spec.rules).toEqual([{ backendRefs: [{ ...HOSTNAME_BACKEND, name: 'edition.cnn.com', port: 443 }] }]);
    const dr = oneOfKind(objects, 'DestinationRule');
    expect(dr.spec).toEqual({
      host: 'edition.cnn.com',
      workloadSelector: { matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'cnn-egress-gateway' } },
      exportTo: ['.'],
      trafficPolicy: { portLevelSettings: [{ port: { number: 443 }, tls: { mode: 'SIMPLE', sni: 'edition.cnn.com' } }] },
    });
  });

  test('with mutual TLS: an HTTPS listener ending ISTIO_MUTUAL, and the DestinationRule for <name>-istio with the host as SNI', () => {
    const objects = app(true);
    expect(oneOfKind(objects, 'Gateway').spec.listeners).toEqual([{
      name: 'https-80-edition-cnn-com',
      hostname: 'edition.cnn.com',
      port: 80,
      protocol: 'HTTPS',
      tls: { mode: 'Terminate', options: { 'gateway.istio.io/tls-terminate-mode': 'ISTIO_MUTUAL' } },
      allowedRoutes: { namespaces: { from: 'Same' }, kinds: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }] },
    }]);
    const toGateway = byKind(objects, 'DestinationRule').filter(d => d.spec.host === 'cnn-egress-gateway-istio.default.svc.cluster.local');
    expect(toGateway).toHaveLength(1);
    expect(toGateway[0].metadata.namespace).toBe('default');
    expect(toGateway[0].spec.trafficPolicy).toEqual({ portLevelSettings: [{ port: { number: 80 }, tls: { mode: 'ISTIO_MUTUAL', sni: 'edition.cnn.com' } }] });
    // No credentialName: the gateway reads no Secret, so no Role is written.
    expect(byKind(objects, 'Role')).toEqual([]);
  });

  test('mutual TLS origination with a credentialName: a Role lets the gateway\'s service account <name>-istio list the Secrets of its namespace', () => {
    const { app: a, chart } = appWithChart('default');
    const gateway = docsGateway(chart);
    new EgressGatewayRoute(chart, 'Route', {
      host: cnn(chart),
      gateway,
      gatewayMutualTls: false,
      tlsOrigination: TlsOrigination.mutual({ credentialName: 'client-credential', credentialNamespace: 'default' }),
    });
    EgressAnalysis.acknowledge(chart, 'IST0129', 'the Secret holds the CA');
    const objects = synth(a);
    expect(gateway.secretAccess).toHaveLength(2);
    expect(oneOfKind(objects, 'Role')).toEqual({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'cnn-egress-gateway-istio-list-secrets', namespace: 'default' },
      rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }],
    });
    expect(oneOfKind(objects, 'RoleBinding')).toMatchObject({
      metadata: { name: 'cnn-egress-gateway-istio-list-secrets', namespace: 'default' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'cnn-egress-gateway-istio-list-secrets' },
      subjects: [{ kind: 'ServiceAccount', name: 'cnn-egress-gateway-istio', namespace: 'default' }],
    });
  });
});

describe('one intent, two renderings', () => {
  function render(gatewayOf: (chart: Chart) => IEgressGateway) {
    const { app, chart } = appWithChart('default');
    const host = cnn(chart);
    new EgressGatewayRoute(chart, 'Route', { host, gateway: gatewayOf(chart), ports: [80], allowedClients: [EgressClient.inNamespace('default')] });
    return synth(app);
  }

  test('the same host and route props give Istio\'s API objects for an installed gateway and Gateway API objects for the new one', () => {
    const istio = render(() => EgressGateway.istioDefault());
    const gatewayApi = render(chart => docsGateway(chart));
    expect(istio.map(o => o.kind).sort()).toEqual(['AuthorizationPolicy', 'DestinationRule', 'Gateway', 'ServiceEntry', 'VirtualService']);
    expect(oneOfKind(istio, 'Gateway').apiVersion).toBe('networking.istio.io/v1');
    expect(gatewayApi.map(o => o.kind).sort()).toEqual(['AuthorizationPolicy', 'DestinationRule', 'Gateway', 'HTTPRoute', 'HTTPRoute', 'ServiceEntry']);
    expect(oneOfKind(gatewayApi, 'Gateway').apiVersion).toBe('gateway.networking.k8s.io/v1');
    // The same policy, at the pods of each gateway.
    const policy = (objects: any[]) => oneOfKind(objects, 'AuthorizationPolicy').spec;
    expect(policy(gatewayApi)).toEqual({ ...policy(istio), selector: { matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'cnn-egress-gateway' } } });
    expect(oneOfKind(gatewayApi, 'AuthorizationPolicy').metadata.namespace).toBe('default');
  });
});

describe('namespaces and shared gateways', () => {
  test('a gateway in another namespace: the backendRef names it, a ReferenceGrant there allows the route\'s kind, the listener admits the host\'s namespace', () => {
    const app = new App({ outdir: '/tmp/cdk8s-istio-egress-test-never-written' });
    const egress = new Chart(app, 'egress', { namespace: 'istio-egress' });
    const team = new Chart(app, 'team', { namespace: 'team-a' });
    const gateway = new GatewayApiEgressGateway(egress, 'Gateway', { name: 'egress' });
    new EgressGatewayRoute(team, 'Route', { host: cnn(team), gateway, gatewayMutualTls: false, ports: [80] });
    const objects = synth(app);
    const mesh = named(objects, 'HTTPRoute', 'cnn-egress');
    expect(mesh.metadata.namespace).toBe('team-a');
    expect(mesh.spec.rules[0].backendRefs).toEqual([{ name: 'egress-istio', namespace: 'istio-egress', port: 80 }]);
    // Istio looks a Hostname backend up in the route's namespace: the gateway's hop lives beside the ServiceEntry,
    // names the Gateway's namespace, and the listener admits that namespace only.
    const forward = named(objects, 'HTTPRoute', 'team-a-cnn');
    expect(forward.metadata.namespace).toBe('team-a');
    expect(forward.spec.parentRefs).toEqual([{ name: 'egress', namespace: 'istio-egress', sectionName: 'http-80-edition-cnn-com' }]);
    expect(oneOfKind(objects, 'Gateway').spec.listeners[0].allowedRoutes).toEqual({
      namespaces: { from: 'Selector', selector: { matchLabels: { 'kubernetes.io/metadata.name': 'team-a' } } },
      kinds: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }],
    });
    const grant = oneOfKind(objects, 'ReferenceGrant');
    expect(grant.metadata).toEqual({ name: 'team-a-cnn-egress', namespace: 'istio-egress' });
    expect(grant.spec).toEqual({
      from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'team-a' }],
      to: [{ group: '', kind: 'Service', name: 'egress-istio' }],
    });
  });

  test('two hosts through one gateway share the port: one listener each; mutual TLS needs a port per host', () => {
    const { app, chart } = appWithChart('default');
    const gateway = docsGateway(chart);
    const a = new ExternalHost(chart, 'A', { hosts: ['a.example.com'], ports: [EgressPort.http(80)] });
    const b = new ExternalHost(chart, 'B', { hosts: ['b.example.com'], ports: [EgressPort.http(80)] });
    new EgressGatewayRoute(chart, 'RouteA', { host: a, gateway, gatewayMutualTls: false });
    new EgressGatewayRoute(chart, 'RouteB', { host: b, gateway, gatewayMutualTls: false });
    expect(oneOfKind(synth(app), 'Gateway').spec.listeners.map((l: any) => `${l.port}/${l.hostname}`)).toEqual(['80/a.example.com', '80/b.example.com']);

    const second = appWithChart('default');
    const shared = docsGateway(second.chart);
    const c = new ExternalHost(second.chart, 'C', { hosts: ['c.example.com'], ports: [EgressPort.http(80)] });
    const d = new ExternalHost(second.chart, 'D', { hosts: ['d.example.com'], ports: [EgressPort.http(80)] });
    new EgressGatewayRoute(second.chart, 'RouteC', { host: c, gateway: shared });
    new EgressGatewayRoute(second.chart, 'RouteD', { host: d, gateway: shared });
    expect(synthError(second.app)).toContain('gateway port 80: the sidecars of namespace default already reach it with mutual TLS for c.example.com');

    const third = appWithChart('default');
    const spread = docsGateway(third.chart);
    const e = new ExternalHost(third.chart, 'E', { hosts: ['e.example.com'], ports: [EgressPort.http(80)] });
    const f = new ExternalHost(third.chart, 'F', { hosts: ['f.example.com'], ports: [EgressPort.http(80)] });
    new EgressGatewayRoute(third.chart, 'RouteE', { host: e, gateway: spread });
    new EgressGatewayRoute(third.chart, 'RouteF', { host: f, gateway: spread, gatewayPorts: { 80: 8080 } });
    const objects = synth(third.app);
    expect(oneOfKind(objects, 'DestinationRule').spec.trafficPolicy.portLevelSettings).toEqual([
      { port: { number: 80 }, tls: { mode: 'ISTIO_MUTUAL', sni: 'e.example.com' } },
      { port: { number: 8080 }, tls: { mode: 'ISTIO_MUTUAL', sni: 'f.example.com' } },
    ]);
  });
});

describe('clients in other namespaces and the host\'s HTTP settings', () => {
  test('allowedClients of another namespace get their own sidecar route and mutual TLS rule, and the ReferenceGrant admits them', () => {
    const app = new App({ outdir: '/tmp/cdk8s-istio-egress-test-never-written' });
    const egress = new Chart(app, 'egress', { namespace: 'istio-egress' });
    const team = new Chart(app, 'team', { namespace: 'team-a' });
    const gateway = new GatewayApiEgressGateway(egress, 'Gateway', { name: 'egress' });
    new EgressGatewayRoute(team, 'Route', {
      host: cnn(team), gateway, ports: [80], allowedClients: [EgressClient.inNamespace('team-a'), EgressClient.serviceAccount('team-b', 'bot')],
    });
    const objects = synth(app);
    expect(byKind(objects, 'HTTPRoute').filter(r => r.metadata.name === 'cnn-egress').map(r => r.metadata.namespace).sort()).toEqual(['team-a', 'team-b']);
    expect(gateway.mutualTlsRules.map(r => r.metadata.namespace)).toEqual(['team-a', 'team-b']);
    expect(oneOfKind(objects, 'ReferenceGrant').spec.from.map((f: any) => f.namespace)).toEqual(['team-a', 'team-b']);
    const policy = oneOfKind(objects, 'AuthorizationPolicy');
    expect(policy.metadata.namespace).toBe('istio-egress');
    expect(policy.spec.rules[0].when).toEqual([{ key: 'connection.sni', values: ['edition.cnn.com'] }]);
  });

  test('the host\'s request timeout moves to the sidecars\' HTTPRoute; its retries are refused (experimental in HTTPRoute)', () => {
    const { app, chart } = appWithChart('default');
    const host = new ExternalHost(chart, 'Cnn', {
      hosts: ['edition.cnn.com'], ports: [EgressPort.http(80)], metadata: { name: 'cnn' }, requestTimeout: Duration.seconds(5),
    });
    new EgressGatewayRoute(chart, 'Route', { host, gateway: docsGateway(chart), gatewayMutualTls: false });
    const objects = synth(app);
    expect(named(objects, 'HTTPRoute', 'cnn-egress').spec.rules[0].timeouts).toEqual({ request: '5s' });
    expect(byKind(objects, 'VirtualService')).toEqual([]);

    const retried = appWithChart('default');
    const flaky = new ExternalHost(retried.chart, 'Flaky', { hosts: ['flaky.example.com'], ports: [EgressPort.http(80)], retries: { attempts: 3 } });
    new EgressGatewayRoute(retried.chart, 'Route', { host: flaky, gateway: docsGateway(retried.chart), gatewayMutualTls: false });
    expect(synthError(retried.app)).toContain('its retries are not rendered as Gateway API routes yet');
  });
});

describe('an in-cluster server (docs: egress-gateway-tls-origination, mutual TLS, Gateway API tab)', () => {
  test('the gateway\'s route names the Kubernetes Service, and a ReferenceGrant in its namespace lets the route refer to it', () => {
    const { app, chart } = appWithChart('default');
    const gateway = docsGateway(chart);
    const nginx = new ExternalHost(chart, 'Nginx', { hosts: ['my-nginx.mesh-external.svc.cluster.local'], ports: [EgressPort.http(80)] });
    new EgressGatewayRoute(chart, 'Route', {
      host: nginx,
      gateway,
      gatewayMutualTls: false,
      tlsOrigination: TlsOrigination.mutual({ credentialName: 'client-credential', credentialNamespace: 'default' }),
    });
    EgressAnalysis.acknowledge(chart, 'IST0129', 'the Secret holds the CA');
    const objects = synth(app);
    const toServer = byKind(objects, 'HTTPRoute').find(r => r.spec.parentRefs[0].kind === undefined);
    expect(toServer.spec.rules).toEqual([{ backendRefs: [{ name: 'my-nginx', namespace: 'mesh-external', port: 443 }] }]);
    expect(oneOfKind(objects, 'ReferenceGrant')).toMatchObject({
      metadata: { namespace: 'mesh-external' },
      spec: {
        from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'default' }],
        to: [{ group: '', kind: 'Service', name: 'my-nginx' }],
      },
    });
    // Without the grant Istio would not let the route refer to the Service: lint says so where mesh-external's objects are given.
    const server = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'my-nginx', namespace: 'mesh-external' }, spec: { ports: [{ port: 443 }] } };
    expect(lintObjects([...objects.filter(o => o.kind !== 'ReferenceGrant'), server]).map(f => f.rule)).toContain('GAPI_REFERENCE_GRANT');
    expect(lintObjects([...objects, server]).filter(f => f.severity === 'error')).toEqual([]);
    expect(lintObjects(objects).filter(f => f.severity === 'error')).toEqual([]);
  });
});

describe('wildcard hosts through the gateway (docs: wildcard-egress-hosts, Gateway API tab)', () => {
  test('a listener for the wildcard, a TLSRoute from the wildcard ServiceEntry, and the gateway\'s TLSRoute to the one server (servedBy)', () => {
    const { app, chart } = appWithChart('default');
    const gateway = new GatewayApiEgressGateway(chart, 'Gateway', { name: 'wikipedia-egress-gateway' });
    const wiki = new ExternalHost(chart, 'Wiki', { hosts: ['*.wikipedia.org'], ports: [EgressPort.https(443)], metadata: { name: 'wikipedia' } });
    const www = new ExternalHost(chart, 'Www', { hosts: ['www.wikipedia.org'], ports: [EgressPort.https(443)], metadata: { name: 'www-wikipedia' } });
    new EgressGatewayRoute(chart, 'Route', { host: wiki, servedBy: www, gateway, gatewayMutualTls: false });
    const objects = synth(app);
    expect(oneOfKind(objects, 'Gateway').spec.listeners).toEqual([{
      name: 'tls-443-wildcard-wikipedia-org',
      hostname: '*.wikipedia.org',
      port: 443,
      protocol: 'TLS',
      tls: { mode: 'Passthrough' },
      allowedRoutes: { namespaces: { from: 'Same' }, kinds: [{ group: 'gateway.networking.k8s.io', kind: 'TLSRoute' }] },
    }]);
    const [fromGateway, fromMesh] = [...byKind(objects, 'TLSRoute')].sort((a, b) => (a.spec.parentRefs[0].kind ?? '').localeCompare(b.spec.parentRefs[0].kind ?? ''));
    expect(fromMesh.spec).toEqual({
      parentRefs: [{ group: 'networking.istio.io', kind: 'ServiceEntry', name: 'wikipedia' }],
      hostnames: ['*.wikipedia.org'],
      rules: [{ backendRefs: [{ name: 'wikipedia-egress-gateway-istio', port: 443 }] }],
    });
    expect(fromGateway.spec).toEqual({
      parentRefs: [{ name: 'wikipedia-egress-gateway', sectionName: 'tls-443-wildcard-wikipedia-org' }],
      hostnames: ['*.wikipedia.org'],
      rules: [{ backendRefs: [{ ...HOSTNAME_BACKEND, name: 'www.wikipedia.org', port: 443 }] }],
    });
    expect(lintObjects(objects).filter(f => f.severity === 'error')).toEqual([]);
  });
});

describe('what the Gateway API rendering refuses', () => {
  test('opaque TCP, a wildcard with the mesh\'s mutual TLS, an unused gateway and a mesh on the v1beta1 API, each naming the fix', () => {
    const tcp = appWithChart('default');
    const db = new ExternalHost(tcp.chart, 'Db', { hosts: ['db.example.com'], ports: [EgressPort.tcp(5432)], addresses: ['10.1.2.3'] });
    new EgressGatewayRoute(tcp.chart, 'Route', { host: db, gateway: docsGateway(tcp.chart), gatewayMutualTls: false });
    expect(synthError(tcp.app)).toContain('ports: 5432 (TCP) is opaque TCP, which the Gateway API rendering does not route');

    const wild = appWithChart('default');
    const wiki = new ExternalHost(wild.chart, 'Wiki', { hosts: ['*.wikipedia.org'], ports: [EgressPort.http(80)] });
    const www = new ExternalHost(wild.chart, 'Www', { hosts: ['www.wikipedia.org'], ports: [EgressPort.http(80)] });
    new EgressGatewayRoute(wild.chart, 'Route', { host: wiki, servedBy: www, gateway: docsGateway(wild.chart) });
    expect(synthError(wild.app)).toContain('host "*.wikipedia.org" port 80: the sidecars name the host as the SNI of the mesh\'s mutual TLS to '
      + 'the gateway, and a wildcard is no server name. Fix: set `gatewayMutualTls: false`');

    const unused = appWithChart('default');
    docsGateway(unused.chart);
    expect(synthError(unused.app)).toContain('no route goes through this gateway');

    const old = appWithChart('default', IstioApiVersion.V1BETA1);
    new EgressGatewayRoute(old.chart, 'Route', { host: cnn(old.chart), gateway: docsGateway(old.chart), ports: [80], gatewayMutualTls: false });
    expect(synthError(old.app)).toContain('IstioApi.useVersion: v1beta1 targets a mesh before Istio 1.22, which cannot run the Gateway API rendering');
  });
});

describe('the target Istio release', () => {
  function passthrough(release?: IstioRelease) {
    const app = new App({ outdir: '/tmp/cdk8s-istio-egress-test-never-written' });
    if (release) {
      IstioApi.useRelease(app, release);
    }
    const chart = new Chart(app, 'test', { namespace: 'default' });
    new EgressGatewayRoute(chart, 'Route', { host: cnn(chart, [EgressPort.tls(443)]), gateway: docsGateway(chart), gatewayMutualTls: false });
    return app;
  }

  test('TLSRoute is v1 for Istio 1.30 (the default) and v1alpha2 before (behind PILOT_ENABLE_ALPHA_GATEWAY_API)', () => {
    expect(IstioApi.releaseOf(new App()).toString()).toBe('1.30');
    expect(byKind(synth(passthrough()), 'TLSRoute').map(r => r.apiVersion)).toEqual(['gateway.networking.k8s.io/v1', 'gateway.networking.k8s.io/v1']);
    const older = synth(passthrough(IstioRelease.of(1, 29)));
    expect(byKind(older, 'TLSRoute').map(r => r.apiVersion)).toEqual(['gateway.networking.k8s.io/v1alpha2', 'gateway.networking.k8s.io/v1alpha2']);
    expect(oneOfKind(older, 'Gateway').apiVersion).toBe('gateway.networking.k8s.io/v1');
  });

  test('a release before 1.22 is refused at synth, naming the setting, its value and the fix', () => {
    const message = synthError(passthrough(IstioRelease.of(1, 21)));
    expect(message).toContain('IstioApi.useRelease: 1.21 cannot run the Gateway API rendering');
    expect(message).toContain('Fix: use an installed gateway');
  });

  test('releases are checked at run time', () => {
    expect(IstioRelease.parse('1.30.3').isAtLeast(1, 30)).toBe(true);
    expect(IstioRelease.of(1, 29).isAtLeast(1, 30)).toBe(false);
    expect(() => IstioRelease.of(2, 0)).toThrow('IstioRelease.of(2, 0): not an Istio release');
    expect(() => IstioRelease.of(1, 1.5)).toThrow('not an Istio release');
    const app = new App();
    app.node.setContext(IstioApi.RELEASE_CONTEXT_KEY, 'latest');
    expect(() => IstioApi.releaseOf(app)).toThrow('context cdk8s-istio-egress:release = "latest": "latest" is not an Istio release');
  });
});

describe('examples/gateway-api', () => {
  test('one Gateway with an ISTIO_MUTUAL HTTPS listener (origination) and a TLS passthrough listener; CRD-valid; analysis passes', () => {
    const app = new App({ outdir: '/tmp/cdk8s-istio-egress-test-never-written' });
    gatewayApiChart(app);
    const objects = synth(app);
    expect(objects.map(o => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'DestinationRule/egress-istio-mtls', 'DestinationRule/pypi-org-tls-origination', 'Gateway/egress',
      'HTTPRoute/gateway-api-pypi-org', 'HTTPRoute/pypi-org-egress', 'ServiceEntry/pypi-org', 'ServiceEntry/registry-npmjs-org',
      'TLSRoute/gateway-api-registry-npmjs-org', 'TLSRoute/registry-npmjs-org-egress',
    ]);
    expect(oneOfKind(objects, 'Gateway').spec.listeners.map((l: any) => [l.hostname, l.port, l.protocol, l.tls?.mode])).toEqual([
      ['pypi.org', 80, 'HTTPS', 'Terminate'], ['registry.npmjs.org', 443, 'TLS', 'Passthrough'],
    ]);
  });
});
