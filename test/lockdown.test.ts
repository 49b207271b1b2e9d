/**
 * Egress lockdown and least privilege: namespace onboarding, REGISTRY_ONLY Sidecars with derived
 * hosts, NetworkPolicy against bypass, allow-lists at the gateway, default deny, access logs and the
 * install overlay.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { installOverlayApp, lockdownChart } from '../examples/lockdown/main';
import {
  EgressClient, EgressGateway, EgressGatewayAccessLog, EgressGatewayDefaultDeny, EgressGatewayRoute, EgressLockdown, EgressPort, ExportTo,
  ExternalHost, GatewayApiEgressGateway, IstioApiVersion, IstioInstallOverlay, MeshNamespace, OutboundTrafficPolicy, Resolution,
} from '../src';
import { appWithChart, byKind, oneOfKind, synth, synthError } from './support/synth';

describe('MeshNamespace', () => {
  test('labels the namespace for sidecar injection, without the chart\'s namespace', () => {
    const { app, chart } = appWithChart('shop');
    new MeshNamespace(chart, 'Ns', { name: 'shop', labels: { team: 'web' }, annotations: { owner: 'web@example.com' } });
    expect(oneOfKind(synth(app), 'Namespace')).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'shop', labels: { 'team': 'web', 'istio-injection': 'enabled' }, annotations: { owner: 'web@example.com' } },
    });
  });

  test('a revision label instead, never both', () => {
    const { app, chart } = appWithChart();
    new MeshNamespace(chart, 'Ns', { name: 'canary', revision: '1-30-3' });
    expect(oneOfKind(synth(app), 'Namespace').metadata.labels).toEqual({ 'istio.io/rev': '1-30-3' });
  });

  test.each([
    [{ name: 'Team_A' }, 'name = "Team_A": not a Kubernetes namespace name'],
    [{ name: 'a', revision: 'bad rev' }, 'revision = "bad rev": not a valid label value'],
    [{ name: 'a', labels: { 'istio-injection': 'disabled' } }, 'labels.istio-injection = "disabled": the injection label is set by MeshNamespace'],
  ])('refuses %j', (props, message) => {
    const { app, chart } = appWithChart();
    new MeshNamespace(chart, 'Ns', props);
    expect(synthError(app)).toContain(`[test/Ns] ${message}`);
  });
});

describe('EgressLockdown', () => {
  test('a REGISTRY_ONLY Sidecar importing its namespace, the control plane and the allowed hosts where they are defined', () => {
    // GIVEN: hosts defined in a shared namespace, used from `shop`
    const app = new App();
    const shared = new Chart(app, 'shared', { namespace: 'egress-hosts' });
    const shop = new Chart(app, 'shop', { namespace: 'shop' });
    const github = new ExternalHost(shared, 'GitHub', { hosts: ['api.github.com'], ports: [EgressPort.https()] });
    const pypi = new ExternalHost(shared, 'PyPI', { hosts: ['pypi.org', 'files.pythonhosted.org'], ports: [EgressPort.https()] });

    // WHEN
    new EgressGatewayRoute(shop, 'GitHub', { host: github, gateway: EgressGateway.istioDefault() });
    new EgressLockdown(shop, 'Lockdown', { namespace: 'shop', hosts: [github, pypi], allowNamespaces: ['payments'], networkPolicy: false });
    const objects = synth(app);

    // THEN
    const sidecar = oneOfKind(objects, 'Sidecar');
    expect(sidecar.metadata.namespace).toBe('shop');
    expect(sidecar.spec).toEqual({
      outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' },
      egress: [{ hosts: ['./*', 'istio-system/*', 'egress-hosts/api.github.com', 'egress-hosts/files.pythonhosted.org', 'egress-hosts/pypi.org', 'payments/*'] }],
    });
  });

  test('hosts of routes whose allowedClients name the namespace are added, with the namespaces of their VirtualServices', () => {
    const app = new App();
    const platform = new Chart(app, 'platform', { namespace: 'egress' });
    const host = new ExternalHost(platform, 'Stripe', { hosts: ['api.stripe.com'], ports: [EgressPort.https()], exportTo: ExportTo.whereUsed() });
    new EgressGatewayRoute(platform, 'StripeViaGateway', { host, gateway: EgressGateway.istioDefault(), allowedClients: [EgressClient.inNamespace('shop')] });
    new EgressLockdown(new Chart(app, 'shop', { namespace: 'shop' }), 'Lockdown', { namespace: 'shop' });
    const objects = synth(app);
    expect(oneOfKind(objects, 'Sidecar').spec.egress[0].hosts).toEqual(['./*', 'istio-system/*', 'egress/api.stripe.com']);
    expect(oneOfKind(objects, 'ServiceEntry').spec.exportTo).toEqual(['.', 'istio-system', 'shop']);
  });

  test('a gateway deployed beside the clients is imported by ./* once (no duplicate ns/*, which Istio warns about: SC7)', () => {
    const { app, chart } = appWithChart('shop');
    const gateway = new GatewayApiEgressGateway(chart, 'Egress', { name: 'egress' });
    const host = new ExternalHost(chart, 'Api', { hosts: ['api.example.com'], ports: [EgressPort.https()] });
    new EgressGatewayRoute(chart, 'Route', { host, gateway, gatewayMutualTls: false });
    new EgressLockdown(chart, 'Lockdown', { namespace: 'shop', hosts: [host], allowNamespaces: ['shop'] });
    expect(oneOfKind(synth(app), 'Sidecar').spec.egress[0].hosts).toEqual(['./*', 'istio-system/*']);
  });

  test('a route removed from the tree no longer carries its host: the NetworkPolicy would then block it', () => {
    const { app, chart } = appWithChart('shop');
    const host = new ExternalHost(chart, 'Api', { hosts: ['api.example.com'], ports: [EgressPort.https()] });
    new EgressGatewayRoute(chart, 'Route', { host, gateway: EgressGateway.istioDefault() });
    new EgressLockdown(chart, 'Lockdown', { namespace: 'shop', hosts: [host] });
    expect(byKind(synth(app), 'NetworkPolicy')).toHaveLength(1);
    chart.node.tryRemoveChild('Route');
    expect(synthError(app)).toContain('hosts: api.example.com (test/Api) is reached directly, not through an egress gateway');
  });

  test('a NetworkPolicy lets the pods reach only the gateway, DNS, istiod, their namespace and the addresses of direct hosts', () => {
    const { app, chart } = appWithChart('shop');
    const direct = new ExternalHost(chart, 'Rates', { hosts: ['api.rates.example.com'], ports: [EgressPort.https()], resolution: Resolution.NONE, addresses: ['203.0.113.0/24', '198.51.100.7'] });
    new EgressLockdown(chart, 'Lockdown', { namespace: 'shop', hosts: [direct], allowNamespaces: ['payments'] });
    const policy = oneOfKind(synth(app), 'NetworkPolicy');
    expect(policy.metadata.namespace).toBe('shop');
    expect(policy.spec).toEqual({
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [
        { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'istio-system' } }, podSelector: { matchLabels: { istio: 'egressgateway' } } }] },
        {
          to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
          ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
        },
        {
          to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'istio-system' } }, podSelector: { matchLabels: { app: 'istiod' } } }],
          ports: [{ protocol: 'TCP', port: 15012 }],
        },
        { to: [{ podSelector: {} }] },
        { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'payments' } } }] },
        { to: [{ ipBlock: { cidr: '203.0.113.0/24' } }, { ipBlock: { cidr: '198.51.100.7/32' } }], ports: [{ protocol: 'TCP', port: 443 }] },
      ],
    });
  });

  test('selected workloads only, with the gateways of their routes', () => {
    const { app, chart } = appWithChart('shop');
    const gateway = EgressGateway.fromHelmRelease('egress', 'istio-egress');
    const host = new ExternalHost(chart, 'Host', { hosts: ['api.example.com'], ports: [EgressPort.https()] });
    new EgressGatewayRoute(chart, 'Route', { host, gateway });
    const lockdown = new EgressLockdown(chart, 'Lockdown', { namespace: 'shop', hosts: [host], workloadSelector: { app: 'checkout' } });
    const objects = synth(app);
    expect(oneOfKind(objects, 'Sidecar').spec.workloadSelector).toEqual({ labels: { app: 'checkout' } });
    expect(oneOfKind(objects, 'Sidecar').metadata.name).toBe('shop-egress-checkout');
    const policy = oneOfKind(objects, 'NetworkPolicy').spec;
    expect(policy.podSelector).toEqual({ matchLabels: { app: 'checkout' } });
    expect(policy.egress[0].to[0]).toEqual({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'istio-egress' } }, podSelector: { matchLabels: { istio: 'egress' } },
    });
    // The construct exposes the object it wrote, for JSON patches.
    expect(lockdown.networkPolicy?.name).toBe(oneOfKind(objects, 'NetworkPolicy').metadata.name);
  });

  test('mesh-wide in the root namespace: a default Sidecar and no NetworkPolicy (the gateways run there)', () => {
    const { app, chart } = appWithChart('istio-system');
    const lockdown = new EgressLockdown(chart, 'MeshWide', { namespace: 'istio-system' });
    const objects = synth(app);
    expect(oneOfKind(objects, 'Sidecar').spec.egress[0].hosts).toEqual(['./*', 'istio-system/*']);
    expect(byKind(objects, 'NetworkPolicy')).toEqual([]);
    expect(lockdown.networkPolicy).toBeUndefined();
  });

  test('the NetworkPolicy can be turned off', () => {
    const { app, chart } = appWithChart('shop');
    const host = new ExternalHost(chart, 'Host', { hosts: ['api.example.com'], ports: [EgressPort.https()] });
    new EgressLockdown(chart, 'Lockdown', { namespace: 'shop', hosts: [host], networkPolicy: false, gateways: [EgressGateway.istioDefault()] });
    expect(byKind(synth(app), 'NetworkPolicy')).toEqual([]);
  });

  test('v1beta1 for older meshes validates against Istio 1.18.2', () => {
    const { app, chart } = appWithChart('shop', IstioApiVersion.V1BETA1);
    new EgressLockdown(chart, 'Lockdown', { namespace: 'shop' });
    expect(oneOfKind(synth(app), 'Sidecar').apiVersion).toBe('networking.istio.io/v1beta1');
  });

  describe('refuses', () => {
    test('a host reached directly without addresses while the NetworkPolicy would block it', () => {
      const { app, chart } = appWithChart('shop');
      const host = new ExternalHost(chart, 'Host', { hosts: ['api.example.com'], ports: [EgressPort.https()] });
      new EgressLockdown(chart, 'Lockdown', { namespace: 'shop', hosts: [host] });
      expect(synthError(app)).toContain('[test/Lockdown] hosts: api.example.com (test/Host) is reached directly, not through an egress gateway');
    });

    test('a host of another namespace reached directly without addresses, which the NetworkPolicy blocks (EGR110)', () => {
      const app = new App();
      const host = new ExternalHost(new Chart(app, 'hosts', { namespace: 'egress' }), 'Host', { hosts: ['api.example.com'], ports: [EgressPort.https()] });
      new EgressLockdown(new Chart(app, 'shop', { namespace: 'shop' }), 'Lockdown', { namespace: 'shop', hosts: [host] });
      const error = synthError(app);
      expect(error).toContain('[shop/Lockdown] NetworkPolicy egress-lockdown (EGR110): spec.egress: the pods of shop reach api.example.com directly '
        + '(Sidecar shop/egress-lockdown imports it, and no mesh route sends it to an egress gateway), but this NetworkPolicy lets them send only '
        + 'to the peers it lists');
      expect(error).toContain('Fix: route api.example.com through an egress gateway (EgressGatewayRoute)');
    });

    test('invalid namespace names, and the malformed Sidecar hosts they would make', () => {
      const { app, chart } = appWithChart('shop');
      new EgressLockdown(chart, 'Lockdown', { namespace: 'shop', allowNamespaces: ['Team_A'], networkPolicy: false });
      const error = synthError(app);
      expect(error).toContain('allowNamespaces = "Team_A": not a Kubernetes namespace name');
      expect(error).toContain('spec.egress[0].hosts[2] = "Team_A/*": invalid namespace value "Team_A" in sidecar');
    });

    test('a namespace allowed a host that is not exported to it', () => {
      const { app } = appWithChart();
      const host = new ExternalHost(new Chart(app, 'hosts', { namespace: 'egress' }), 'Host', { hosts: ['api.example.com'], ports: [EgressPort.https()], exportTo: ExportTo.sameNamespace() });
      new EgressLockdown(new Chart(app, 'shop', { namespace: 'shop' }), 'Lockdown', { namespace: 'shop', hosts: [host], networkPolicy: false });
      expect(synthError(app)).toContain('[shop/Lockdown] Sidecar egress-lockdown (EGR109): spec.egress[0].hosts[2] = "egress/api.example.com": '
        + 'the Sidecar imports api.example.com from namespace egress, but ServiceEntry egress/api-example-com is not exported to namespace shop');
    });

    test('two Sidecars without selectors in one namespace (IST0111)', () => {
      const { app, chart } = appWithChart('shop');
      new EgressLockdown(chart, 'One', { namespace: 'shop', networkPolicy: false });
      const other = new Chart(app, 'other', { namespace: 'shop' });
      new EgressLockdown(other, 'Two', { namespace: 'shop', networkPolicy: false });
      expect(synthError(app)).toContain('(IST0111): spec.workloadSelector: The Sidecars egress-lockdown, egress-lockdown in namespace "shop" have no workload selector');
    });
  });
});

describe('who may reach what: allowedClients', () => {
  test('an ALLOW policy on the gateway pods, in the gateway namespace, for the namespaces and service accounts, matched on SNI', () => {
    const { app, chart } = appWithChart('shop');
    const host = new ExternalHost(chart, 'Host', { hosts: ['api.example.com'], ports: [EgressPort.http(), EgressPort.https()], exportTo: ExportTo.whereUsed() });
    const route = new EgressGatewayRoute(chart, 'Route', {
      host,
      gateway: EgressGateway.istioDefault(),
      allowedClients: [EgressClient.inNamespace('billing'), EgressClient.serviceAccount('shop', 'checkout'), EgressClient.serviceAccount('shop', 'cart')],
    });
    const objects = synth(app);
    const policy = oneOfKind(objects, 'AuthorizationPolicy');
    expect(policy.metadata.namespace).toBe('istio-system');
    expect(policy.spec).toEqual({
      selector: { matchLabels: { istio: 'egressgateway' } },
      action: 'ALLOW',
      rules: [{
        from: [{ source: { namespaces: ['billing'] } }, { source: { principals: ['cluster.local/ns/shop/sa/cart', 'cluster.local/ns/shop/sa/checkout'] } }],
        when: [{ key: 'connection.sni', values: ['api.example.com'] }],
      }],
    });
    expect(route.authorizationPolicy?.name).toBe(policy.metadata.name);
    // The host becomes visible where the allowed clients are.
    expect(oneOfKind(objects, 'ServiceEntry').spec.exportTo).toEqual(['.', 'billing', 'istio-system']);
  });

  test('a custom trust domain', () => {
    const { app, chart } = appWithChart('shop');
    const host = new ExternalHost(chart, 'Host', { hosts: ['api.example.com'], ports: [EgressPort.https()] });
    new EgressGatewayRoute(chart, 'Route', { host, gateway: EgressGateway.istioDefault(), trustDomain: 'prod.example.com', allowedClients: [EgressClient.serviceAccount('shop', 'checkout')] });
    expect(oneOfKind(synth(app), 'AuthorizationPolicy').spec.rules[0].from).toEqual([{ source: { principals: ['prod.example.com/ns/shop/sa/checkout'] } }]);
  });

  test.each([
    [{ gatewayMutualTls: false, allowedClients: [EgressClient.inNamespace('shop')] }, 'AuthorizationPolicy shop-api-example-com-egress (EGR108): '
      + 'spec.rules[0].from[0].source.namespaces = ["shop"]: rule 0 allows only the workloads named by from[0].source.namespaces, identities that a '
      + 'gateway learns from Istio mutual TLS, but the servers it applies to do not use mutual TLS'],
    [{ allowedClients: [] }, 'allowedClients is empty'],
    [{ allowedClients: [EgressClient.inNamespace('Shop')] }, 'allowedClients: namespace "Shop" is not a Kubernetes namespace name'],
    [{ allowedClients: [EgressClient.serviceAccount('shop', 'Check_Out')] }, 'allowedClients: service account "Check_Out" is not a Kubernetes object name'],
  ])('refuses %#', (routeProps, message) => {
    const { app, chart } = appWithChart('shop');
    const host = new ExternalHost(chart, 'Host', { hosts: ['api.example.com'], ports: [EgressPort.https()] });
    new EgressGatewayRoute(chart, 'Route', { host, gateway: EgressGateway.istioDefault(), ...routeProps });
    expect(synthError(app)).toContain(`[test/Route] ${message}`);
  });
});

describe('gateway policies', () => {
  test('default deny: an ALLOW policy without rules on the gateway pods', () => {
    const { app, chart } = appWithChart();
    new EgressGatewayDefaultDeny(chart, 'Deny', { gateway: EgressGateway.istioDefault() });
    const policy = oneOfKind(synth(app), 'AuthorizationPolicy');
    expect(policy.metadata).toEqual({ name: 'istio-egressgateway-deny-by-default', namespace: 'istio-system' });
    expect(policy.spec).toEqual({ selector: { matchLabels: { istio: 'egressgateway' } }, action: 'ALLOW' });
  });

  test.each([
    [IstioApiVersion.V1, 'telemetry.istio.io/v1'],
    [IstioApiVersion.V1BETA1, 'telemetry.istio.io/v1alpha1'],
  ])('access logs through the Telemetry API (%s)', (version, apiVersion) => {
    const { app, chart } = appWithChart('default', version);
    new EgressGatewayAccessLog(chart, 'Log', { gateway: EgressGateway.istioDefault() });
    const telemetry = oneOfKind(synth(app), 'Telemetry');
    expect(telemetry.apiVersion).toBe(apiVersion);
    expect(telemetry.metadata.namespace).toBe('istio-system');
    expect(telemetry.spec).toEqual({ selector: { matchLabels: { istio: 'egressgateway' } }, accessLogging: [{ providers: [{ name: 'envoy' }] }] });
  });
});

describe('IstioInstallOverlay', () => {
  // istioctl reads the overlay; no API server (and no CRD) ever sees it.
  const synthOverlay = (app: App) => parseAllDocuments(app.synthYaml()).map(d => d.toJSON());

  // The IstioOperator kind has no CRD in Istio's bundle (istioctl reads it). These are the fields of
  // install.istio.io/v1alpha1 IstioOperatorSpec that the overlay sets, with their allowed values.
  function expectIstioOperator(o: any) {
    expect(o.apiVersion).toBe('install.istio.io/v1alpha1');
    expect(o.kind).toBe('IstioOperator');
    expect(Object.keys(o.spec).every(k => ['revision', 'meshConfig', 'components'].includes(k))).toBe(true);
    expect(['REGISTRY_ONLY', 'ALLOW_ANY']).toContain(o.spec.meshConfig.outboundTrafficPolicy.mode);
    expect(Object.keys(o.spec.meshConfig).sort()).toEqual(['accessLogFile', 'outboundTrafficPolicy']);
    for (const gateway of o.spec.components.egressGateways) {
      expect(Object.keys(gateway).sort()).toEqual(['enabled', 'name']);
    }
  }

  test('mesh-wide REGISTRY_ONLY, access logs and the egress gateway', () => {
    const app = new App();
    new IstioInstallOverlay(app, 'istio-install');
    const [operator] = synthOverlay(app);
    expectIstioOperator(operator);
    expect(operator.metadata).toEqual({ name: 'istio-install', namespace: 'istio-system' });
    expect(operator.spec).toEqual({
      meshConfig: { accessLogFile: '/dev/stdout', outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } },
      components: { egressGateways: [{ name: 'istio-egressgateway', enabled: true }] },
    });
  });

  test('options', () => {
    const app = new App();
    new IstioInstallOverlay(app, 'canary', { revision: '1-30-3', outboundTrafficPolicy: OutboundTrafficPolicy.ALLOW_ANY, accessLogFile: '', egressGateway: false });
    const [operator] = synthOverlay(app);
    expectIstioOperator(operator);
    expect(operator.spec).toEqual({
      revision: '1-30-3',
      meshConfig: { accessLogFile: '', outboundTrafficPolicy: { mode: 'ALLOW_ANY' } },
      components: { egressGateways: [{ name: 'istio-egressgateway', enabled: false }] },
    });
  });

  test('must not share its output with manifests for kubectl', () => {
    const { app, chart } = appWithChart();
    new ExternalHost(chart, 'Host', { hosts: ['api.example.com'], ports: [EgressPort.https()] });
    new IstioInstallOverlay(app, 'istio-install');
    expect(synthError(app)).toContain('[istio-install] the app also writes test: an IstioOperator overlay is for `istioctl install -f`');
  });
});

describe('examples/lockdown', () => {
  test('the locked-down namespace synthesizes, and every object passes the validators', () => {
    const app = new App();
    lockdownChart(app);
    const objects = synth(app);
    expect(objects.map(o => o.kind).sort()).toEqual([
      'AuthorizationPolicy', 'AuthorizationPolicy', 'DestinationRule', 'Gateway', 'Namespace', 'NetworkPolicy', 'ServiceEntry', 'ServiceEntry',
      'Sidecar', 'Telemetry', 'VirtualService',
    ]);
    expect(oneOfKind(objects, 'Sidecar').spec.egress[0].hosts).toEqual(['./*', 'istio-system/*']);
  });

  test('the install overlay is written to its own directory', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'istioctl-'));
    installOverlayApp(outdir).synth();
    expect(fs.readdirSync(outdir)).toEqual(['istio-install.k8s.yaml']);
  });
});

describe('EgressLockdown access logs', () => {
  test('the locked-down workloads\' sidecars log too, when asked', () => {
    const { app, chart } = appWithChart('shop');
    const lockdown = new EgressLockdown(chart, 'Lockdown', { namespace: 'shop', networkPolicy: false, accessLogging: true, workloadSelector: { app: 'web' } });
    const telemetry = oneOfKind(synth(app), 'Telemetry');
    expect(telemetry.metadata.namespace).toBe('shop');
    expect(telemetry.spec).toEqual({ selector: { matchLabels: { app: 'web' } }, accessLogging: [{ providers: [{ name: 'envoy' }] }] });
    expect(lockdown.telemetry?.name).toBe(telemetry.metadata.name);
  });
});

describe('allowedClients in other namespaces', () => {
  test('each client namespace gets the gateway subset\'s DestinationRule, where its sidecars look it up', () => {
    const { app, chart } = appWithChart('shop');
    const host = new ExternalHost(chart, 'Host', { hosts: ['api.example.com'], ports: [EgressPort.https()] });
    const route = new EgressGatewayRoute(chart, 'Route', {
      host, gateway: EgressGateway.istioDefault(), allowedClients: [EgressClient.inNamespace('shop'), EgressClient.inNamespace('billing')],
    });
    const rules = byKind(synth(app), 'DestinationRule');
    expect(rules.map(r => r.metadata.namespace)).toEqual(['shop', 'billing']);
    expect(rules[1].spec).toEqual(rules[0].spec);
    expect(route.destinationRules).toHaveLength(2);
  });
});
