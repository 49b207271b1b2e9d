/**
 * The ambient rendering of EgressGatewayRoute: a waypoint as the egress gateway, against the
 * objects of Istio's ambient egress task (docs/ambient/usage/egress-gateway: the istio-egress
 * namespace enrolled in ambient mode and to the waypoint, the waypoint `istioctl waypoint apply
 * --for service` writes, the ServiceEntry, an AuthorizationPolicy attached to it, TLS origination).
 * `synth` validates every object (CRD schema and CEL; Gateway API CRDs; the Kubernetes schema for
 * Namespaces and NetworkPolicies) and fails on any finding of the whole-app analysis at synth.
 *
 * Where we differ from the docs on purpose (each asserted below):
 * - the ServiceEntry states `location: MESH_EXTERNAL` (the library always does);
 * - the origination DestinationRule names the SNI (`sni: <host>`), as the library's other renderings do;
 * - `allowedClients` become the AuthorizationPolicy's sources (the docs' policy matches methods and paths instead).
 */
import { App, Duration } from 'cdk8s';
import { ambientChart } from '../examples/ambient/main';
import {
  DataplaneMode, EgressClient, EgressGatewayAccessLog, EgressGatewayDefaultDeny, EgressGatewayRoute, EgressLockdown, EgressPort, EgressProtocol,
  EgressWaypoint, ExternalHost, MeshNamespace, TlsOrigination,
} from '../src';
import { appWithChart, byKind, oneOfKind, synth, synthError } from './support/synth';

const DOCS_WAYPOINT = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'Gateway',
  metadata: { name: 'waypoint', namespace: 'istio-egress', labels: { 'istio.io/waypoint-for': 'service' } },
  spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
};

/** The docs' app: the enrolled egress namespace, its waypoint, httpbin.org on HTTP 80 (optionally with TLS origination). */
function docsApp(options: { enrollNamespace?: boolean; origination?: boolean; allowedClients?: EgressClient[] } = {}) {
  const { app, chart } = appWithChart('istio-egress');
  new MeshNamespace(chart, 'EgressNamespace', {
    name: 'istio-egress',
    dataplaneMode: DataplaneMode.AMBIENT,
    useWaypoint: options.enrollNamespace === false ? undefined : 'waypoint',
  });
  const waypoint = new EgressWaypoint(chart, 'Waypoint');
  const host = new ExternalHost(chart, 'Httpbin', {
    hosts: ['httpbin.org'],
    ports: [EgressPort.of({ number: 80, protocol: EgressProtocol.HTTP, name: 'http' })],
    metadata: { name: 'httpbin-org' },
  });
  const route = new EgressGatewayRoute(chart, 'HttpbinViaWaypoint', {
    host,
    gateway: waypoint,
    tlsOrigination: options.origination ? TlsOrigination.simple() : undefined,
    allowedClients: options.allowedClients,
  });
  return { app, chart, waypoint, host, route };
}

describe('the ambient egress task (docs: ambient/usage/egress-gateway)', () => {
  test('namespace, waypoint and ServiceEntry equal the docs\' objects', () => {
    const objects = synth(docsApp().app);
    expect(objects.map(o => o.kind).sort()).toEqual(['Gateway', 'Namespace', 'ServiceEntry']);
    expect(oneOfKind(objects, 'Namespace').metadata.labels).toEqual({ 'istio.io/dataplane-mode': 'ambient', 'istio.io/use-waypoint': 'waypoint' });
    expect(oneOfKind(objects, 'Gateway')).toEqual(DOCS_WAYPOINT);
    expect(oneOfKind(objects, 'ServiceEntry')).toEqual({
      apiVersion: 'networking.istio.io/v1',
      kind: 'ServiceEntry',
      metadata: { name: 'httpbin-org', namespace: 'istio-egress' },
      spec: { hosts: ['httpbin.org'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'DNS', location: 'MESH_EXTERNAL' },
    });
  });

  test('without the namespace\'s use-waypoint label, the ServiceEntry names the waypoint itself', () => {
    const objects = synth(docsApp({ enrollNamespace: false }).app);
    expect(oneOfKind(objects, 'Namespace').metadata.labels).toEqual({ 'istio.io/dataplane-mode': 'ambient' });
    expect(oneOfKind(objects, 'ServiceEntry').metadata.labels).toEqual({ 'istio.io/use-waypoint': 'waypoint' });
  });

  test('the namespace\'s label binds the ServiceEntry whatever the order of creation', () => {
    const { app, chart } = appWithChart('istio-egress');
    const waypoint = new EgressWaypoint(chart, 'Waypoint');
    const host = new ExternalHost(chart, 'Httpbin', { hosts: ['httpbin.org'], ports: [EgressPort.http(80)] });
    new EgressGatewayRoute(chart, 'Route', { host, gateway: waypoint });
    new MeshNamespace(chart, 'EgressNamespace', { name: 'istio-egress', dataplaneMode: DataplaneMode.AMBIENT, useWaypoint: 'waypoint' });
    expect(oneOfKind(synth(app), 'ServiceEntry').metadata).toEqual({ name: 'httpbin-org', namespace: 'istio-egress' });
  });

  test('a namespace bound to another waypoint: the ServiceEntry names its own', () => {
    const { app, chart } = appWithChart('istio-egress');
    new MeshNamespace(chart, 'EgressNamespace', { name: 'istio-egress', dataplaneMode: DataplaneMode.AMBIENT, useWaypoint: 'waypoint' });
    new EgressWaypoint(chart, 'Waypoint');
    const egress = new EgressWaypoint(chart, 'Egress', { name: 'egress' });
    const host = new ExternalHost(chart, 'Httpbin', { hosts: ['httpbin.org'], ports: [EgressPort.http(80)] });
    new EgressGatewayRoute(chart, 'Route', { host, gateway: egress });
    expect(oneOfKind(synth(app), 'ServiceEntry').metadata.labels).toEqual({ 'istio.io/use-waypoint': 'egress' });
  });

  test('TLS origination: the ServiceEntry targets 443 and a DestinationRule opens TLS, as the docs', () => {
    const { app, route } = docsApp({ origination: true });
    const objects = synth(app);
    expect(oneOfKind(objects, 'ServiceEntry').spec.ports).toEqual([{ number: 80, name: 'http', protocol: 'HTTP', targetPort: 443 }]);
    const dr = oneOfKind(objects, 'DestinationRule');
    expect(dr).toEqual({
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: 'httpbin-org-tls', namespace: 'istio-egress' },
      spec: { host: 'httpbin.org', trafficPolicy: { tls: { mode: 'SIMPLE', sni: 'httpbin.org' } } },
    });
    expect(route.originationRules).toHaveLength(1);
  });

  test('TLS origination beside the application\'s own TLS port: per port, so that 443 is not wrapped twice', () => {
    const { app, chart } = appWithChart('istio-egress');
    const waypoint = new EgressWaypoint(chart, 'Waypoint');
    const host = new ExternalHost(chart, 'Httpbin', { hosts: ['httpbin.org'], ports: [EgressPort.http(80), EgressPort.https(443)] });
    new EgressGatewayRoute(chart, 'Route', { host, gateway: waypoint, tlsOrigination: TlsOrigination.simple() });
    const objects = synth(app);
    expect(oneOfKind(objects, 'ServiceEntry').spec.ports).toEqual([
      { number: 80, name: 'http-80', protocol: 'HTTP', targetPort: 443 },
      { number: 443, name: 'https-443', protocol: 'HTTPS' },
    ]);
    expect(oneOfKind(objects, 'DestinationRule').spec.trafficPolicy).toEqual({
      portLevelSettings: [{ port: { number: 80 }, tls: { mode: 'SIMPLE', sni: 'httpbin.org' } }],
    });
  });

  test('mutual TLS origination: the waypoint reads the client certificate (credentialName) from its namespace', () => {
    const { app, chart } = appWithChart('istio-egress');
    const waypoint = new EgressWaypoint(chart, 'Waypoint');
    const host = new ExternalHost(chart, 'Nginx', { hosts: ['my-nginx.mesh-external.svc.cluster.local'], ports: [EgressPort.http(80)], metadata: { name: 'nginx' } });
    new EgressGatewayRoute(chart, 'Route', { host, gateway: waypoint, tlsOrigination: TlsOrigination.mutual({ credentialName: 'client-credential' }) });
    const dr = oneOfKind(synth(app), 'DestinationRule');
    expect(dr.metadata).toEqual({ name: 'nginx-tls', namespace: 'istio-egress' });
    expect(dr.spec).toEqual({
      host: 'my-nginx.mesh-external.svc.cluster.local',
      // Sidecars would ignore a credentialName without workloadSelector: only the waypoint's namespace sees the rule.
      exportTo: ['.'],
      trafficPolicy: { tls: { mode: 'MUTUAL', credentialName: 'client-credential', sni: 'my-nginx.mesh-external.svc.cluster.local' } },
    });
    // istiod serves the Secret only to a service account that may list the Secrets of its namespace (sds.go).
    expect(waypoint.secretAccess.map(o => o.kind)).toEqual(['Role', 'RoleBinding']);
    const objects = synth(app);
    expect(oneOfKind(objects, 'Role')).toEqual({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'waypoint-list-secrets', namespace: 'istio-egress' },
      rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }],
    });
    expect(oneOfKind(objects, 'RoleBinding').subjects).toEqual([{ kind: 'ServiceAccount', name: 'waypoint', namespace: 'istio-egress' }]);
  });

  test('allowedClients: an AuthorizationPolicy attached to the ServiceEntry (targetRefs), by namespace and service account', () => {
    const { app, route } = docsApp({ allowedClients: [EgressClient.inNamespace('shop'), EgressClient.serviceAccount('billing', 'invoicer')] });
    const objects = synth(app);
    const policy = oneOfKind(objects, 'AuthorizationPolicy');
    expect(policy.apiVersion).toBe('security.istio.io/v1');
    expect(policy.metadata).toEqual({ name: 'istio-egress-httpbin-org-egress', namespace: 'istio-egress' });
    expect(policy.spec).toEqual({
      targetRefs: [{ group: 'networking.istio.io', kind: 'ServiceEntry', name: 'httpbin-org' }],
      action: 'ALLOW',
      rules: [{
        from: [
          { source: { namespaces: ['shop'] } },
          { source: { principals: ['cluster.local/ns/billing/sa/invoicer'] } },
        ],
      }],
    });
    expect(route.authorizationPolicy).toBeDefined();
    // No selector: a waypoint applies only policies attached to it or to its services.
    expect(policy.spec.selector).toBeUndefined();
  });

  test('no Istio routing objects: ztunnel sends the ServiceEntry\'s traffic to the waypoint', () => {
    const { route } = docsApp();
    expect(route.virtualServices).toEqual([]);
    expect(route.destinationRules).toEqual([]);
    expect(route.gatewayApiRoutes).toEqual([]);
  });
});

describe('what the ambient rendering refuses', () => {
  test('a ServiceEntry outside the waypoint\'s namespace', () => {
    const { app, chart } = appWithChart('shop');
    const waypoint = new EgressWaypoint(chart, 'Waypoint', { namespace: 'istio-egress' });
    const host = new ExternalHost(chart, 'Httpbin', { hosts: ['httpbin.org'], ports: [EgressPort.http(80)] });
    new EgressGatewayRoute(chart, 'Route', { host, gateway: waypoint });
    expect(synthError(app)).toContain('host: the ServiceEntry shop/httpbin-org is not in the waypoint\'s namespace istio-egress');
  });

  test('wildcards, servedBy, turning off mutual TLS, timeouts', () => {
    const { app, chart } = appWithChart('istio-egress');
    const waypoint = new EgressWaypoint(chart, 'Waypoint');
    const wild = new ExternalHost(chart, 'Wild', { hosts: ['*.example.com'], ports: [EgressPort.http(80)] });
    new EgressGatewayRoute(chart, 'Wildcard', { host: wild, gateway: waypoint });
    const plain = new ExternalHost(chart, 'Plain', { hosts: ['plain.example.org'], ports: [EgressPort.http(80)], requestTimeout: Duration.seconds(5) });
    new EgressGatewayRoute(chart, 'NoMtls', { host: plain, gateway: waypoint, gatewayMutualTls: false });
    const server = new ExternalHost(chart, 'Server', { hosts: ['www.example.net'], ports: [EgressPort.http(80)] });
    const domain = new ExternalHost(chart, 'Domain', { hosts: ['*.example.net'], ports: [EgressPort.http(80)] });
    new EgressGatewayRoute(chart, 'ServedBy', { host: domain, gateway: waypoint, servedBy: server });
    const message = synthError(app);
    expect(message).toContain('servedBy: www.example.net: the waypoint istio-egress/waypoint sends each host of the ServiceEntry to its own address');
    expect(message).toContain('host "*.example.com": this rendering routes concrete hosts through the waypoint');
    expect(message).toContain('gatewayMutualTls = false (port 80): ztunnel always carries ambient traffic to the waypoint in mutual TLS');
    expect(message).toContain('requestTimeout/retries of test/Plain: the ambient rendering does not write HTTP routes for the waypoint yet');
  });
});

describe('MeshNamespace in ambient mode', () => {
  test('the default output is unchanged (sidecar injection)', () => {
    const { app, chart } = appWithChart('shop');
    new MeshNamespace(chart, 'Shop', { name: 'shop' });
    expect(oneOfKind(synth(app), 'Namespace').metadata.labels).toEqual({ 'istio-injection': 'enabled' });
  });

  test('refuses a revision, a waypoint without ambient, and the labels it sets', () => {
    const { app, chart } = appWithChart('shop');
    new MeshNamespace(chart, 'A', { name: 'a', dataplaneMode: DataplaneMode.AMBIENT, revision: '1-30-3' });
    new MeshNamespace(chart, 'B', { name: 'b', useWaypoint: 'waypoint' });
    new MeshNamespace(chart, 'C', { name: 'c', dataplaneMode: DataplaneMode.AMBIENT, labels: { 'istio.io/dataplane-mode': 'none' } });
    new MeshNamespace(chart, 'D', { name: 'd', dataplaneMode: 'AMBIANT' as any });
    const message = synthError(app);
    expect(message).toContain('revision = "1-30-3": a revision selects the sidecar injector');
    expect(message).toContain('useWaypoint = "waypoint": waypoints serve ambient traffic');
    expect(message).toContain('labels.istio.io/dataplane-mode = "none": MeshNamespace sets it');
    expect(message).toContain('dataplaneMode = "AMBIANT": not a data plane mode');
  });
});

describe('EgressLockdown in an ambient namespace', () => {
  function lockedApp(mode: 'namespace' | 'prop') {
    const { app, chart } = appWithChart('istio-egress');
    if (mode === 'namespace') {
      new MeshNamespace(chart, 'Shop', { name: 'shop', dataplaneMode: DataplaneMode.AMBIENT });
    }
    const waypoint = new EgressWaypoint(chart, 'Waypoint');
    const host = new ExternalHost(chart, 'Httpbin', { hosts: ['httpbin.org'], ports: [EgressPort.http(80)] });
    new EgressGatewayRoute(chart, 'Route', { host, gateway: waypoint, namespace: 'shop', allowedClients: [EgressClient.inNamespace('shop')] });
    const lockdown = new EgressLockdown(chart, 'Lockdown', { namespace: 'shop', dataplaneMode: mode === 'prop' ? DataplaneMode.AMBIENT : undefined });
    return { app, lockdown };
  }

  test.each(['namespace', 'prop'] as const)('no Sidecar (ambient mode from the %s); the NetworkPolicy admits the waypoint', mode => {
    const { app, lockdown } = lockedApp(mode);
    const objects = synth(app);
    expect(byKind(objects, 'Sidecar')).toEqual([]);
    expect(lockdown.dataplaneMode).toBe(DataplaneMode.AMBIENT);
    expect(() => lockdown.sidecar).toThrow('namespace shop runs in ambient mode, so the lockdown has no Sidecar');
    const policy = oneOfKind(objects, 'NetworkPolicy');
    expect(policy.metadata.namespace).toBe('shop');
    expect(policy.spec.egress[0]).toEqual({
      to: [{
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'istio-egress' } },
        podSelector: { matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'waypoint' } },
      }],
    });
    // Nothing else leaves the namespace except DNS, the control plane and its own pods.
    expect(policy.spec.egress).toHaveLength(4);
  });

  test('a MeshNamespace created after the lockdown: refused, naming the fix', () => {
    const { app, chart } = appWithChart('istio-egress');
    new EgressLockdown(chart, 'Lockdown', { namespace: 'shop' });
    new MeshNamespace(chart, 'Shop', { name: 'shop', dataplaneMode: DataplaneMode.AMBIENT });
    expect(synthError(app)).toContain('dataplaneMode = "SIDECAR": the MeshNamespace test/Shop runs namespace shop in AMBIENT mode '
      + '(it was created after the lockdown). Fix: set dataplaneMode: DataplaneMode.AMBIENT on the lockdown');
  });

  test('access logging of sidecars is refused in ambient mode', () => {
    const { app, chart } = appWithChart('istio-egress');
    new EgressLockdown(chart, 'Lockdown', { namespace: 'shop', dataplaneMode: DataplaneMode.AMBIENT, accessLogging: true });
    expect(synthError(app)).toContain('accessLogging = true: namespace shop runs in ambient mode');
  });
});

describe('examples/ambient', () => {
  test('synthesizes valid objects that pass the analysis', () => {
    const app = new App({ outdir: '/tmp/cdk8s-istio-egress-test-never-written' });
    ambientChart(app);
    const objects = synth(app);
    expect(byKind(objects, 'Gateway').map(g => g.spec.gatewayClassName)).toEqual(['istio-waypoint']);
    expect(byKind(objects, 'Sidecar')).toEqual([]);
  });
});

describe('gateway policies on a waypoint', () => {
  test('default deny and access logs attach to the waypoint by targetRefs (Istio ignores selectors for waypoints)', () => {
    const { app, chart } = appWithChart('ambient-egress');
    const waypoint = new EgressWaypoint(chart, 'Waypoint');
    new EgressGatewayDefaultDeny(chart, 'Deny', { gateway: waypoint });
    new EgressGatewayAccessLog(chart, 'Log', { gateway: waypoint });
    const objects = synth(app);
    const targetRefs = [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: waypoint.gatewayName }];
    expect(oneOfKind(objects, 'AuthorizationPolicy').spec).toEqual({ targetRefs, action: 'ALLOW' });
    expect(oneOfKind(objects, 'Telemetry').spec).toEqual({ targetRefs, accessLogging: [{ providers: [{ name: 'envoy' }] }] });
  });
});
