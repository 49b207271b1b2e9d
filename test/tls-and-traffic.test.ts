/**
 * TLS origination, mutual TLS to the gateway, host traffic settings and app-wide conflicts:
 * what each option emits, and the input each refuses.
 */
import { ApiObject, App, Chart, Duration, JsonPatch } from 'cdk8s';
import {
  EgressGateway, EgressGatewayRoute, EgressGatewayRouteProps, EgressPort, EgressWaypoint, ExternalHost, ExternalHostProps, ExportTo,
  GatewayApiEgressGateway, IstioApi, IstioApiVersion, IstioRelease, LoadBalancerPolicy, OriginationPlacement, Resolution, TlsOrigination,
  TlsOriginationObject,
} from '../src';
import { appWithChart, byKind, oneOfKind, synth, synthError } from './support/synth';

const CA = '/etc/ssl/certs/ca-certificates.crt';
const GATEWAY_HOST = 'istio-egressgateway.istio-system.svc.cluster.local';

function build(hostProps: ExternalHostProps, routeProps?: Partial<EgressGatewayRouteProps>) {
  const { app, chart } = appWithChart();
  const host = new ExternalHost(chart, 'Host', hostProps);
  const route = routeProps ? new EgressGatewayRoute(chart, 'Route', { host, gateway: EgressGateway.istioDefault(), ...routeProps }) : undefined;
  return { app, chart, host, route };
}

describe('TLS origination at the sidecar', () => {
  test('HTTP ports send to the TLS port, and a DestinationRule originates SIMPLE TLS with the SNI and CA', () => {
    const { app, host } = build({
      hosts: ['edition.cnn.com'], ports: [EgressPort.http(80), EgressPort.https(443)], tlsOrigination: TlsOrigination.simple({ caCertificates: CA }),
    });
    const objects = synth(app);
    expect(oneOfKind(objects, 'ServiceEntry').spec.ports).toEqual([
      { name: 'http-80', number: 80, protocol: 'HTTP', targetPort: 443 },
      { name: 'https-443', number: 443, protocol: 'HTTPS' },
    ]);
    expect(oneOfKind(objects, 'DestinationRule').spec).toEqual({
      host: 'edition.cnn.com',
      trafficPolicy: { portLevelSettings: [{ port: { number: 80 }, tls: { mode: 'SIMPLE', sni: 'edition.cnn.com', caCertificates: CA } }] },
    });
    expect(host.destinationRules).toHaveLength(1);
  });

  test('origination without server verification is refused unless opted out explicitly (EGR201)', () => {
    const { app, host } = build({ hosts: ['a.example.com'], ports: [EgressPort.http()], tlsOrigination: TlsOrigination.simple() });
    host.destinationRules[0].addJsonPatch(JsonPatch.add('/spec/trafficPolicy/portLevelSettings/0/tls/insecureSkipVerify', true));
    const error = synthError(app);
    expect(error).toContain('[test/Host] DestinationRule a-example-com (EGR201): spec.trafficPolicy.portLevelSettings[0].tls.insecureSkipVerify = true: '
      + 'the proxy opens SIMPLE TLS to a.example.com on port 80 without verifying the server\'s certificate');
    expect(error).toContain('Fix: remove insecureSkipVerify');
    // Istio's own warning about the same TLS settings (IST0129) is not reported beside it.
    expect(error).not.toContain('IST0129');
  });

  test('origination without caCertificates verifies with the proxy\'s system CA bundle: Istio only warns (IST0129)', () => {
    const { app } = build({ hosts: ['a.example.com'], ports: [EgressPort.http()], tlsOrigination: TlsOrigination.simple() });
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const dr = oneOfKind(synth(app), 'DestinationRule');
    const warnings = stderr.mock.calls.map(c => String(c[0]));
    stderr.mockRestore();
    expect(dr.spec.trafficPolicy.portLevelSettings[0].tls).toEqual({ mode: 'SIMPLE', sni: 'a.example.com' });
    expect(warnings.join('')).toContain('[test/Host] DestinationRule a-example-com: spec.trafficPolicy.portLevelSettings[0].tls = "SIMPLE": '
      + 'DestinationRule default/a-example-com in namespace default has TLS mode set to SIMPLE but no caCertificates are set to validate server identity '
      + 'for host: a.example.com at port number:80');
  });

  test('on meshes before Istio 1.20 (v1beta1 output) origination needs a CA: they verify nothing without one', () => {
    const legacy = (tlsOrigination: TlsOrigination, routed: boolean) => {
      const { app, chart } = appWithChart('default', IstioApiVersion.V1BETA1);
      const host = new ExternalHost(chart, 'Host', { hosts: ['a.example.com'], ports: [EgressPort.http(), EgressPort.https()], tlsOrigination: routed ? undefined : tlsOrigination });
      if (routed) {
        new EgressGatewayRoute(chart, 'Route', { host, gateway: EgressGateway.istioDefault(), tlsOrigination });
      }
      return app;
    };
    const message = 'tlsOrigination: without caCertificates (or a credentialName holding the CA) a mesh older than Istio 1.20, which this app targets '
      + 'by emitting v1beta1, does not verify the server at all. Fix: TlsOrigination.simple({ caCertificates:';
    expect(synthError(legacy(TlsOrigination.simple(), false))).toContain(`[test/Host] ${message}`);
    expect(synthError(legacy(TlsOrigination.simple(), true))).toContain(`[test/Route] ${message}`);
    for (const routed of [false, true]) {
      expect(synth(legacy(TlsOrigination.simple({ caCertificates: CA }), routed), '1.18.2').length).toBeGreaterThan(0);
      expect(synth(legacy(TlsOrigination.withoutServerVerification(), routed), '1.18.2').length).toBeGreaterThan(0);
    }
    // On current meshes the same origination verifies against the proxy's system CAs: Istio only warns.
    const { app, chart } = appWithChart('default');
    new ExternalHost(chart, 'Host', { hosts: ['a.example.com'], ports: [EgressPort.http(), EgressPort.https()], tlsOrigination: TlsOrigination.simple() });
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(synth(app).length).toBeGreaterThan(0);
    } finally {
      stderr.mockRestore();
    }
  });

  test('origination with a Secret at the sidecar is refused: sidecars ignore credentialName without workloadSelector (EGR111)', () => {
    const { app } = build({ hosts: ['a.example.com'], ports: [EgressPort.http()], tlsOrigination: TlsOrigination.simple({ credentialName: 'a-ca' }) });
    const error = synthError(app);
    // At synth in the props written (lint reports the DestinationRule's credentialName field with EGR111).
    expect(error).toContain("[test/Host] tlsOrigination (EGR111): TlsOrigination.simple({ credentialName: 'a-ca' }) at the sidecar: sidecars read a "
      + 'credentialName Secret only from a DestinationRule with a workload selector, so as written they send to a.example.com without TLS. '
      + 'Fix: set tlsOriginationWorkloadSelector');
    expect(error).toContain("EgressAnalysis.acknowledge(<the construct at test/Host>, 'EGR111', '<why it is right>')");
    expect(error).not.toContain('IST0129');
  });

  test('the explicit opt-out emits insecureSkipVerify and passes without warning', () => {
    const { app } = build({ hosts: ['a.example.com'], ports: [EgressPort.http()], tlsOrigination: TlsOrigination.withoutServerVerification() });
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const dr = oneOfKind(synth(app), 'DestinationRule');
    const printed = stderr.mock.calls.length;
    stderr.mockRestore();
    expect(dr.spec.trafficPolicy.portLevelSettings[0].tls).toEqual({ mode: 'SIMPLE', sni: 'a.example.com', insecureSkipVerify: true });
    expect(printed).toBe(0);
  });

  test('subjectAltNames and a custom SNI and port', () => {
    const { app } = build({
      hosts: ['a.example.com'],
      ports: [EgressPort.http(8080), EgressPort.https(8443)],
      tlsOrigination: TlsOrigination.simple({ caCertificates: CA, port: 8443, sni: 'edge.example.com', subjectAltNames: ['edge.example.com'] }),
    });
    const objects = synth(app);
    expect(oneOfKind(objects, 'ServiceEntry').spec.ports[0].targetPort).toBe(8443);
    expect(oneOfKind(objects, 'DestinationRule').spec.trafficPolicy.portLevelSettings[0].tls)
      .toEqual({ mode: 'SIMPLE', sni: 'edge.example.com', caCertificates: CA, subjectAltNames: ['edge.example.com'] });
  });

  test('origination needs an HTTP port', () => {
    const { app } = build({ hosts: ['a.example.com'], ports: [EgressPort.https()], tlsOrigination: TlsOrigination.simple({ caCertificates: CA }) });
    expect(synthError(app)).toContain('[test/Host] tlsOrigination: the host has no HTTP port (it declares 443 (HTTPS))');
  });

  test('origination at the sidecar of a host routed through a gateway is refused: the sidecar never reaches the host', () => {
    const { app } = build(
      { hosts: ['a.example.com'], ports: [EgressPort.http()], tlsOrigination: TlsOrigination.simple({ caCertificates: CA }) },
      { gatewayMutualTls: false });
    expect(synthError(app)).toContain('tlsOrigination: test/Route sends this host\'s traffic through an egress gateway');
  });

  test('a mutual TLS client certificate needs a credential', () => {
    const { app } = build({ hosts: ['a.example.com'], ports: [EgressPort.http()], tlsOrigination: TlsOrigination.mutual({ caCertificates: CA }) });
    expect(synthError(app)).toContain('client certificate required for mutual tls');
  });
});

describe('TLS origination at the egress gateway', () => {
  const hostProps: ExternalHostProps = { hosts: ['edition.cnn.com'], ports: [EgressPort.http(80), EgressPort.https(443)] };

  test('mTLS from the sidecar to the gateway, SIMPLE TLS from the gateway to 443, in a rule for the gateway pods only', () => {
    // WHEN
    const { app, route } = build(hostProps, { tlsOrigination: TlsOrigination.simple({ caCertificates: CA }) });
    const objects = synth(app);

    // THEN: the gateway ends the mesh's TLS on port 80
    const gw = oneOfKind(objects, 'Gateway');
    expect(gw.spec.servers).toEqual([{ port: { number: 80, name: 'https-80', protocol: 'HTTPS' }, hosts: ['edition.cnn.com'], tls: { mode: 'ISTIO_MUTUAL' } }]);
    const [gatewayRule, originationRule] = byKind(objects, 'DestinationRule');
    expect(gatewayRule.spec).toEqual({
      host: GATEWAY_HOST,
      subsets: [{ name: 'edition-cnn-com', trafficPolicy: { portLevelSettings: [{ port: { number: 80 }, tls: { mode: 'ISTIO_MUTUAL', sni: 'edition.cnn.com' } }] } }],
    });
    expect(originationRule.metadata.namespace).toBe('istio-system');
    expect(originationRule.spec).toEqual({
      host: 'edition.cnn.com',
      workloadSelector: { matchLabels: { istio: 'egressgateway' } },
      exportTo: ['.'],
      trafficPolicy: { portLevelSettings: [{ port: { number: 443 }, tls: { mode: 'SIMPLE', sni: 'edition.cnn.com', caCertificates: CA } }] },
    });
    const http = oneOfKind(objects, 'VirtualService').spec.http;
    expect(http[1].route[0].destination).toEqual({ host: 'edition.cnn.com', port: { number: 443 } });
    expect(route!.originationRules).toHaveLength(1);
    // Only the HTTP port is routed by default: the gateway itself speaks TLS to 443.
    expect(gw.spec.servers).toHaveLength(1);
  });

  test('mutual TLS origination with a client credential in the gateway namespace', () => {
    const { app } = build(hostProps, { tlsOrigination: TlsOrigination.mutual({ credentialName: 'client-credential', credentialNamespace: 'istio-system' }) });
    const originationRule = byKind(synth(app), 'DestinationRule')[1];
    expect(originationRule.spec.trafficPolicy.portLevelSettings[0].tls).toEqual({ mode: 'MUTUAL', sni: 'edition.cnn.com', credentialName: 'client-credential' });
  });

  test('a client-certificate Secret outside the gateway namespace is refused', () => {
    const { app } = build(hostProps, { tlsOrigination: TlsOrigination.mutual({ credentialName: 'client-credential', credentialNamespace: 'default' }) });
    expect(synthError(app)).toContain('[test/Route] tlsOrigination credentialNamespace = "default": the egress gateway (namespace istio-system) '
      + 'reads Secrets only from its own namespace "istio-system", so it would not find "client-credential". Fix: create the Secret in "istio-system".');
  });

  test('origination without verification at the gateway is refused unless opted out explicitly (EGR201)', () => {
    const { app, route } = build(hostProps, { tlsOrigination: TlsOrigination.simple() });
    route!.originationRules[0].addJsonPatch(JsonPatch.add('/spec/trafficPolicy/portLevelSettings/0/tls/insecureSkipVerify', true));
    expect(synthError(app)).toContain('[test/Route] DestinationRule edition-cnn-com-tls-origination (EGR201): '
      + 'spec.trafficPolicy.portLevelSettings[0].tls.insecureSkipVerify = true: the proxy opens SIMPLE TLS to edition.cnn.com on port 443 without verifying');
    const optedOut = build(hostProps, { tlsOrigination: TlsOrigination.withoutServerVerification() });
    expect(byKind(synth(optedOut.app), 'DestinationRule')[1].spec.trafficPolicy.portLevelSettings[0].tls.insecureSkipVerify).toBe(true);
  });

  test('routing the origination port as well is refused: TLS inside TLS', () => {
    const { app } = build(hostProps, { tlsOrigination: TlsOrigination.simple({ caCertificates: CA }), ports: [80, 443] });
    expect(synthError(app)).toContain('ports: 443 (HTTPS) is the port the gateway originates TLS to');
  });

  test('the origination port must be declared by the host as HTTPS or TLS', () => {
    const missing = build({ hosts: ['a.example.com'], ports: [EgressPort.http()] }, { tlsOrigination: TlsOrigination.simple({ caCertificates: CA }) });
    expect(synthError(missing.app)).toContain('[test/Route] VirtualService a-example-com-egress (IST0101): spec.http[1].route[0].destination.port.number = 443: '
      + 'Referenced host:port not found: "a.example.com:443"');
    const plain = build({ hosts: ['a.example.com'], ports: [EgressPort.http(), EgressPort.http(8080)] },
      { ports: [80], tlsOrigination: TlsOrigination.simple({ caCertificates: CA, port: 8080 }) });
    expect(synthError(plain.app)).toContain('tlsOrigination.port: 8080 of a.example.com is HTTP, not HTTPS or TLS');
  });

  test('origination with no HTTP port routed is refused', () => {
    const { app } = build({ hosts: ['a.example.com'], ports: [EgressPort.https()] }, { tlsOrigination: TlsOrigination.simple({ caCertificates: CA }) });
    expect(synthError(app)).toContain('tlsOrigination: no HTTP port is routed');
  });
});

describe('where the gateway\'s origination and Gateway object live', () => {
  const hostProps: ExternalHostProps = { hosts: ['edition.cnn.com'], ports: [EgressPort.http(80), EgressPort.https(443)] };

  test('besideHost: the rule goes beside the ServiceEntry without workloadSelector and exportTo', () => {
    const { app, route } = build({ ...hostProps, metadata: { namespace: 'egress-hosts' } },
      { namespace: 'default', tlsOrigination: TlsOrigination.simple({ caCertificates: CA }), originationPlacement: OriginationPlacement.besideHost() });
    const rule = route!.originationRules[0];
    const emitted = byKind(synth(app), 'DestinationRule').find(o => o.metadata.name === rule.metadata.name);
    expect(emitted.metadata.namespace).toBe('egress-hosts');
    expect(emitted.spec).toEqual({
      host: 'edition.cnn.com',
      trafficPolicy: { portLevelSettings: [{ port: { number: 443 }, tls: { mode: 'SIMPLE', sni: 'edition.cnn.com', caCertificates: CA } }] },
    });
  });

  test('besideHost with a client certificate from files', () => {
    const files = build(hostProps, {
      tlsOrigination: TlsOrigination.mutual({ clientCertificate: '/etc/certs/client.pem', privateKey: '/etc/certs/key.pem', caCertificates: CA }),
      originationPlacement: OriginationPlacement.besideHost(),
    });
    const rule = byKind(synth(files.app), 'DestinationRule')[1];
    expect(rule.metadata.namespace).toBe('default');
    expect(rule.spec.trafficPolicy.portLevelSettings[0].tls).toEqual({
      mode: 'MUTUAL', sni: 'edition.cnn.com', clientCertificate: '/etc/certs/client.pem', privateKey: '/etc/certs/key.pem', caCertificates: CA,
    });
  });

  test('gatewayOnly, chosen explicitly, is the default rendering', () => {
    const chosen = build(hostProps, {
      tlsOrigination: TlsOrigination.simple({ caCertificates: CA }), originationPlacement: OriginationPlacement.gatewayOnly(),
    });
    const dflt = build(hostProps, { tlsOrigination: TlsOrigination.simple({ caCertificates: CA }) });
    const rule = (app: App) => byKind(synth(app), 'DestinationRule')[1];
    expect(rule(chosen.app)).toEqual(rule(dflt.app));
    expect(rule(chosen.app).spec.workloadSelector).toEqual({ matchLabels: { istio: 'egressgateway' } });
  });

  test('a placement without origination, or of the wrong type, is refused', () => {
    const without = build(hostProps, { originationPlacement: OriginationPlacement.besideHost() });
    expect(synthError(without.app)).toContain('originationPlacement is set without tlsOrigination, so there is no origination to place. '
      + 'Fix: leave originationPlacement out, or add tlsOrigination.');
    const wrong = build(hostProps, { tlsOrigination: TlsOrigination.simple({ caCertificates: CA }), originationPlacement: 'besideHost' as any });
    expect(synthError(wrong.app)).toContain('originationPlacement = "besideHost" is not an OriginationPlacement. '
      + 'Fix: pass OriginationPlacement.gatewayOnly() or OriginationPlacement.besideHost().');
  });

  test('gatewayObjectNamespace places the Gateway; another namespace than the route\'s is referenced qualified', () => {
    const { app, route } = build(hostProps, { ports: [80], gatewayMutualTls: false, gatewayObjectNamespace: 'egress-config' });
    const objects = synth(app);
    expect(oneOfKind(objects, 'Gateway').metadata).toEqual({ name: 'default-edition-cnn-com', namespace: 'egress-config' });
    expect(oneOfKind(objects, 'VirtualService').spec.gateways).toEqual(['egress-config/default-edition-cnn-com', 'mesh']);
    expect(route!.istioGateway.metadata.namespace).toBe('egress-config');
  });

  test('a gatewayObjectNamespace that is no namespace name is refused', () => {
    const { app } = build(hostProps, { ports: [80], gatewayMutualTls: false, gatewayObjectNamespace: 'Not_A_Namespace' });
    expect(synthError(app)).toContain('gatewayObjectNamespace = "Not_A_Namespace" is not a namespace name (a lower-case DNS label).');
  });

  test('the Gateway API rendering refuses gatewayObjectNamespace', () => {
    const { app, chart } = appWithChart();
    const gateway = new GatewayApiEgressGateway(chart, 'Gateway', { name: 'egress' });
    const host = new ExternalHost(chart, 'Host', hostProps);
    new EgressGatewayRoute(chart, 'Route', { host, gateway, ports: [80], gatewayMutualTls: false, gatewayObjectNamespace: 'default' });
    expect(synthError(app)).toContain('gatewayObjectNamespace = "default": with a Gateway API gateway the routes attach to the Gateway default/egress, '
      + 'whose listeners its construct writes in its own namespace; there is no Istio Gateway object to place.');
  });

  test('the Gateway API rendering writes besideHost as the sidecar rendering does', () => {
    const { app, chart } = appWithChart();
    const gateway = new GatewayApiEgressGateway(chart, 'Gateway', { name: 'egress', namespace: 'istio-egress' });
    const host = new ExternalHost(chart, 'Host', hostProps);
    const route = new EgressGatewayRoute(chart, 'Route', {
      host,
      gateway,
      ports: [80],
      tlsOrigination: TlsOrigination.simple({ caCertificates: CA }),
      originationPlacement: OriginationPlacement.besideHost(),
    });
    const objects = synth(app);
    const rule = objects.find(o => o.kind === 'DestinationRule' && o.metadata.name === route.originationRules[0].metadata.name);
    expect(rule.metadata.namespace).toBe('default');
    expect(rule.spec.workloadSelector).toBeUndefined();
  });

  test('the ambient rendering refuses gatewayObjectNamespace and gatewayOnly', () => {
    const { app, chart } = appWithChart('istio-egress');
    const waypoint = new EgressWaypoint(chart, 'Waypoint');
    const host = new ExternalHost(chart, 'Host', hostProps);
    new EgressGatewayRoute(chart, 'Route', {
      host,
      gateway: waypoint,
      ports: [80],
      gatewayObjectNamespace: 'istio-egress',
      tlsOrigination: TlsOrigination.simple({ caCertificates: CA }),
      originationPlacement: OriginationPlacement.gatewayOnly(),
    });
    const error = synthError(app);
    expect(error).toContain('gatewayObjectNamespace = "istio-egress": ztunnel sends the host\'s traffic to the waypoint istio-egress/waypoint');
    expect(error).toContain('originationPlacement = gatewayOnly: the ambient rendering writes the origination as Istio\'s ambient egress task does');
  });
});

describe('loadBalancer of the route\'s DestinationRules', () => {
  const hostProps: ExternalHostProps = { hosts: ['edition.cnn.com'], ports: [EgressPort.http(80), EgressPort.https(443)] };

  test('without mutual TLS the subset gets the load balancer alone; the origination rule gets it beside its TLS', () => {
    const plain = build(hostProps, { ports: [80], gatewayMutualTls: false, loadBalancer: LoadBalancerPolicy.RANDOM });
    expect(oneOfKind(synth(plain.app), 'DestinationRule').spec.subsets).toEqual([{ name: 'edition-cnn-com', trafficPolicy: { loadBalancer: { simple: 'RANDOM' } } }]);
    const originated = build(hostProps, {
      tlsOrigination: TlsOrigination.simple({ caCertificates: CA }), loadBalancer: LoadBalancerPolicy.ROUND_ROBIN,
    });
    const rule = byKind(synth(originated.app), 'DestinationRule')[1];
    expect(rule.spec.trafficPolicy.loadBalancer).toEqual({ simple: 'ROUND_ROBIN' });
  });

  test('the host\'s own load balancing goes into its traffic policy, beside the connection settings', () => {
    const { app, chart } = appWithChart('default');
    new ExternalHost(chart, 'Host', {
      hosts: ['api.example.com'],
      ports: [EgressPort.https()],
      trafficPolicy: { loadBalancer: LoadBalancerPolicy.ROUND_ROBIN, maxConnections: 10 },
    });
    expect(oneOfKind(synth(app), 'DestinationRule').spec.trafficPolicy).toEqual({
      connectionPool: { tcp: { maxConnections: 10 } },
      loadBalancer: { simple: 'ROUND_ROBIN' },
    });
  });

  test('refused with a value that is no LoadBalancerPolicy, and by the Gateway API and ambient renderings', () => {
    expect(synthError(build(hostProps, { loadBalancer: 'MAGLEV' as any }).app))
      .toContain('loadBalancer = "MAGLEV" is not a LoadBalancerPolicy. Fix: use LoadBalancerPolicy.ROUND_ROBIN, LEAST_REQUEST or RANDOM');
    const { app, chart } = appWithChart();
    const gateway = new GatewayApiEgressGateway(chart, 'Gateway', { name: 'egress' });
    const host = new ExternalHost(chart, 'Host', hostProps);
    new EgressGatewayRoute(chart, 'Route', { host, gateway, ports: [80], loadBalancer: LoadBalancerPolicy.ROUND_ROBIN });
    expect(synthError(app)).toContain('loadBalancer = "ROUND_ROBIN": the Gateway API rendering does not write a DestinationRule of the route '
      + 'for the gateway\'s Service');
    const ambient = appWithChart('istio-egress');
    const waypoint = new EgressWaypoint(ambient.chart, 'Waypoint');
    const waypointHost = new ExternalHost(ambient.chart, 'Host', hostProps);
    new EgressGatewayRoute(ambient.chart, 'Route', { host: waypointHost, gateway: waypoint, ports: [80], loadBalancer: LoadBalancerPolicy.RANDOM });
    expect(synthError(ambient.app)).toContain('loadBalancer = "RANDOM": the ambient rendering does not write');
  });
});

describe('TLS origination options: SNI and client certificate files', () => {
  const hostProps: ExternalHostProps = { hosts: ['edition.cnn.com'], ports: [EgressPort.http(80), EgressPort.https(443)] };
  const tlsOf = (app: App) => byKind(synth(app), 'DestinationRule')[1].spec.trafficPolicy.portLevelSettings[0].tls;

  test('autoSni leaves sni out (the proxy takes it from the Host header from Istio 1.21 on)', () => {
    const { app } = build(hostProps, { tlsOrigination: TlsOrigination.simple({ caCertificates: CA, autoSni: true }) });
    expect(tlsOf(app)).toEqual({ mode: 'SIMPLE', caCertificates: CA });
  });

  test('autoSni is refused beside sni, before Istio 1.21, and with a BackendTLSPolicy', () => {
    const both = build(hostProps, { tlsOrigination: TlsOrigination.simple({ caCertificates: CA, autoSni: true, sni: 'cnn.com' }) });
    expect(synthError(both.app)).toContain('tlsOrigination sni = "cnn.com" and autoSni: autoSni leaves sni out of the rule. Fix: give one of them.');
    const app = new App({ outdir: '/tmp/cdk8s-istio-egress-test-never-written' });
    IstioApi.useRelease(app, IstioRelease.of(1, 20));
    const chart = new Chart(app, 'test', { namespace: 'default' });
    const host = new ExternalHost(chart, 'Host', hostProps);
    new EgressGatewayRoute(chart, 'Route', { host, gateway: EgressGateway.istioDefault(), tlsOrigination: TlsOrigination.simple({ caCertificates: CA, autoSni: true }) });
    expect(synthError(app)).toContain('tlsOrigination autoSni: a proxy takes the SNI from the Host header for rules without sni from Istio 1.21 on; '
      + 'this app targets Istio 1.20, whose proxies would open TLS without SNI');
    const policy = appWithChart();
    new ExternalHost(policy.chart, 'Host', {
      ...hostProps, tlsOrigination: TlsOrigination.simple({ autoSni: true, carriedBy: TlsOriginationObject.backendTlsPolicy() }),
    });
    expect(synthError(policy.app)).toContain('tlsOrigination autoSni = true: a BackendTLSPolicy always names the SNI (validation.hostname).');
  });

  test('mutual TLS from files mounted in the gateway: clientCertificate, privateKey, caCertificates', () => {
    const { app } = build(hostProps, {
      tlsOrigination: TlsOrigination.mutual({ clientCertificate: '/etc/certs/client.pem', privateKey: '/etc/certs/key.pem', caCertificates: '/etc/certs/ca.pem' }),
    });
    expect(tlsOf(app)).toEqual({
      mode: 'MUTUAL', sni: 'edition.cnn.com', clientCertificate: '/etc/certs/client.pem', privateKey: '/etc/certs/key.pem', caCertificates: '/etc/certs/ca.pem',
    });
  });

  test('mutual TLS from files at the sidecar', () => {
    const { app } = build({
      ...hostProps, tlsOrigination: TlsOrigination.mutual({ clientCertificate: '/etc/certs/client.pem', privateKey: '/etc/certs/key.pem', caCertificates: CA }),
    });
    expect(oneOfKind(synth(app), 'DestinationRule').spec.trafficPolicy.portLevelSettings[0].tls)
      .toEqual({ mode: 'MUTUAL', sni: 'edition.cnn.com', clientCertificate: '/etc/certs/client.pem', privateKey: '/etc/certs/key.pem', caCertificates: CA });
  });

  test('the combinations Istio\'s webhook refuses are refused: files beside a Secret, MUTUAL without key or certificate', () => {
    const mixed = build(hostProps, { tlsOrigination: TlsOrigination.mutual({ credentialName: 'client', clientCertificate: '/etc/certs/client.pem' }) });
    expect(synthError(mixed.app)).toContain('tlsOrigination credentialName = "client" and clientCertificate: cannot specify client certificates or CA '
      + 'certificate or CA CRL If credentialName is set.');
    const noKey = build(hostProps, { tlsOrigination: TlsOrigination.mutual({ clientCertificate: '/etc/certs/client.pem' }) });
    expect(synthError(noKey.app)).toContain('tlsOrigination: private key required for mutual tls. Fix:');
    const nothing = build(hostProps, { tlsOrigination: TlsOrigination.mutual({}) });
    expect(synthError(nothing.app)).toContain('tlsOrigination: client certificate required for mutual tls, private key required for mutual tls.');
  });

  test('a client certificate with SIMPLE TLS is refused: the proxy would not send it', () => {
    const { app } = build(hostProps, { tlsOrigination: TlsOrigination.simple({ caCertificates: CA, clientCertificate: '/etc/certs/client.pem' }) });
    expect(synthError(app)).toContain('tlsOrigination clientCertificate: TLS without a client certificate (mode SIMPLE) sends none');
  });
});

describe('mutual TLS between sidecar and gateway (default)', () => {
  test('HTTPS: ISTIO_MUTUAL server and subset with the host as SNI; tls route from the mesh, tcp route from the gateway', () => {
    const { app } = build({ hosts: ['api.github.com'], ports: [EgressPort.https()] }, {});
    const objects = synth(app);
    const gw = oneOfKind(objects, 'Gateway');
    const gatewayRef = `istio-system/${gw.metadata.name}`;
    expect(gw.spec.servers).toEqual([{ port: { number: 443, name: 'tls-443', protocol: 'TLS' }, hosts: ['api.github.com'], tls: { mode: 'ISTIO_MUTUAL' } }]);
    expect(oneOfKind(objects, 'DestinationRule').spec.subsets[0].trafficPolicy)
      .toEqual({ portLevelSettings: [{ port: { number: 443 }, tls: { mode: 'ISTIO_MUTUAL', sni: 'api.github.com' } }] });
    const vs = oneOfKind(objects, 'VirtualService').spec;
    expect(vs.tls).toEqual([{
      match: [{ gateways: ['mesh'], port: 443, sniHosts: ['api.github.com'] }],
      route: [{ destination: { host: GATEWAY_HOST, subset: 'api-github-com', port: { number: 443 } }, weight: 100 }],
    }]);
    expect(vs.tcp).toEqual([{
      match: [{ gateways: [gatewayRef], port: 443 }],
      route: [{ destination: { host: 'api.github.com', port: { number: 443 } }, weight: 100 }],
    }]);
  });

  test('a TLS route whose SNI match is patched away fails like Istio would (VS16)', () => {
    const { app, route } = build({ hosts: ['api.github.com'], ports: [EgressPort.https()] }, {});
    ApiObject.of(route!).addJsonPatch(JsonPatch.remove('/spec/tls/0/match/0/sniHosts'));
    expect(synthError(app)).toContain('spec.tls[0].match[0].sniHosts: TLS match must have at least one SNI host');
  });

  test('TLS termination on an HTTP server cannot be expressed; patched in, it fails like Istio would (GW13)', () => {
    const { app, route } = build({ hosts: ['a.example.com'], ports: [EgressPort.http()] }, { gatewayMutualTls: false });
    // (Istio accepts a bare `mode: PASSTHROUGH` there, as it does httpsRedirect: neither terminates TLS.)
    route!.istioGateway.addJsonPatch(JsonPatch.add('/spec/servers/0/tls', { mode: 'SIMPLE', credentialName: 'a-example-com' }));
    expect(synthError(app)).toContain('server cannot have TLS settings for plain text HTTP ports');
  });
});

describe('wildcard hosts through a gateway', () => {
  test('servedBy routes every name of the domain to one concrete server', () => {
    const { app, chart } = appWithChart();
    const wildcard = new ExternalHost(chart, 'Wildcard', { hosts: ['*.wikipedia.org'], ports: [EgressPort.https()] });
    const server = new ExternalHost(chart, 'Server', { hosts: ['www.wikipedia.org'], ports: [EgressPort.https()] });
    new EgressGatewayRoute(chart, 'Route', { host: wildcard, servedBy: server, gateway: EgressGateway.istioDefault() });
    const objects = synth(app);
    expect(oneOfKind(objects, 'Gateway').spec.servers[0].hosts).toEqual(['*.wikipedia.org']);
    // The mesh's TLS to the gateway needs a real name as SNI: the server's.
    expect(oneOfKind(objects, 'DestinationRule').spec.subsets[0].trafficPolicy.portLevelSettings[0].tls.sni).toBe('www.wikipedia.org');
    const vs = oneOfKind(objects, 'VirtualService').spec;
    expect(vs.hosts).toEqual(['*.wikipedia.org']);
    expect(vs.tls[0].match[0].sniHosts).toEqual(['*.wikipedia.org']);
    expect(vs.tcp[0].route[0].destination).toEqual({ host: 'www.wikipedia.org', port: { number: 443 } });
  });

  test('servedBy must be one concrete host that resolves, and serve the routed ports', () => {
    const serving = (serverProps: ExternalHostProps) => {
      const { app, chart } = appWithChart();
      const wildcard = new ExternalHost(chart, 'Wildcard', { hosts: ['*.wikipedia.org'], ports: [EgressPort.https()] });
      const server = new ExternalHost(chart, 'Server', serverProps);
      new EgressGatewayRoute(chart, 'Route', { host: wildcard, servedBy: server, gateway: EgressGateway.istioDefault() });
      return synthError(app);
    };
    expect(serving({ hosts: ['*.wikimedia.org'], ports: [EgressPort.https()] })).toContain('servedBy: *.wikimedia.org must be one concrete host');
    expect(serving({ hosts: ['www.wikimedia.org'], ports: [EgressPort.https()], resolution: Resolution.NONE }))
      .toContain('[test/Route] VirtualService wildcard-wikipedia-org-egress (EGR107): spec.tcp[0].route[0].destination.host = "www.wikimedia.org": '
        + 'ServiceEntry default/www-wikimedia-org resolves www.wikimedia.org with resolution NONE');
    expect(serving({ hosts: ['www.wikimedia.org'], ports: [EgressPort.http()] }))
      .toContain('spec.tcp[0].route[0].destination.port.number = 443: Referenced host:port not found: "www.wikimedia.org:443"');
  });
});

describe('traffic settings of an external host', () => {
  const settings: Partial<ExternalHostProps> = {
    requestTimeout: Duration.seconds(3),
    retries: { attempts: 3, perTryTimeout: Duration.millis(500), retryOn: '5xx' },
    trafficPolicy: {
      connectTimeout: Duration.millis(1500),
      maxConnections: 50,
      maxPendingRequests: 10,
      maxRequestsPerConnection: 1,
      outlierDetection: { consecutive5xxErrors: 3, interval: Duration.seconds(5), baseEjectionTime: Duration.minutes(1), maxEjectionPercent: 50 },
    },
  };

  test('direct: a VirtualService with timeout and retries per HTTP port, a DestinationRule with pool and outlier detection', () => {
    const { app, host } = build({ hosts: ['httpbin.org'], ports: [EgressPort.http(), EgressPort.https()], ...settings });
    const objects = synth(app);
    expect(oneOfKind(objects, 'VirtualService').spec).toEqual({
      hosts: ['httpbin.org'],
      http: [{
        match: [{ port: 80 }],
        route: [{ destination: { host: 'httpbin.org', port: { number: 80 } } }],
        timeout: '3s',
        retries: { attempts: 3, perTryTimeout: '500ms', retryOn: '5xx' },
      }],
    });
    expect(oneOfKind(objects, 'DestinationRule').spec).toEqual({
      host: 'httpbin.org',
      trafficPolicy: {
        connectionPool: { tcp: { maxConnections: 50, connectTimeout: '1500ms' }, http: { http1MaxPendingRequests: 10, maxRequestsPerConnection: 1 } },
        outlierDetection: { consecutive5xxErrors: 3, interval: '5s', baseEjectionTime: '60s', maxEjectionPercent: 50 },
      },
    });
    expect(host.virtualServices).toHaveLength(1);
  });

  test('outlier detection defaults', () => {
    const { app } = build({ hosts: ['httpbin.org'], ports: [EgressPort.http()], trafficPolicy: { outlierDetection: {} } });
    expect(oneOfKind(synth(app), 'DestinationRule').spec.trafficPolicy.outlierDetection)
      .toEqual({ consecutive5xxErrors: 5, interval: '10s', baseEjectionTime: '30s' });
  });

  test('routed through a gateway, the timeout and retries move to the route\'s sidecar hop (one mesh VirtualService per host)', () => {
    const { app, host } = build({ hosts: ['httpbin.org'], ports: [EgressPort.http()], ...settings }, {});
    const objects = synth(app);
    expect(host.virtualServices).toEqual([]);
    const vs = oneOfKind(objects, 'VirtualService').spec;
    expect(vs.http[0]).toMatchObject({ match: [{ gateways: ['mesh'], port: 80 }], timeout: '3s', retries: { attempts: 3 } });
    expect(vs.http[1].timeout).toBeUndefined();
  });

  test('timeouts need an HTTP port; durations must be at least 1ms; an empty policy is refused', () => {
    expect(synthError(build({ hosts: ['a.example.com'], ports: [EgressPort.https()], requestTimeout: Duration.seconds(1) }).app))
      .toContain('requestTimeout/retries: the host has no HTTP port');
    expect(synthError(build({ hosts: ['a.example.com'], ports: [EgressPort.http()], retries: { attempts: 2, perTryTimeout: Duration.millis(0.5) } }).app))
      .toContain('spec.http[0].retries.perTryTimeout = "0.5ms": must be a valid duration greater than 1ms');
    expect(synthError(build({ hosts: ['a.example.com'], ports: [EgressPort.http()], trafficPolicy: { connectTimeout: Duration.millis(0.2) } }).app))
      .toContain('spec.trafficPolicy.connectionPool.tcp.connectTimeout = "0.2ms": must be a valid duration greater than 1ms');
    expect(synthError(build({ hosts: ['a.example.com'], ports: [EgressPort.http()], trafficPolicy: {} }).app))
      .toContain('traffic policy must have at least one field');
  });

  test('a host with several names gets a DestinationRule and VirtualService per name', () => {
    const { app, host } = build({ hosts: ['a.example.com', 'b.example.com'], ports: [EgressPort.http()], ...settings });
    const objects = synth(app);
    expect(host.destinationRules).toHaveLength(2);
    expect(byKind(objects, 'VirtualService').map(v => v.spec.hosts)).toEqual([['a.example.com'], ['b.example.com']]);
  });
});

describe('TCP by address', () => {
  test('a NONE entry with a TCP port and no addresses is refused: it would let out every address on that port (EGR202)', () => {
    const { app } = build({ hosts: ['db.example.com'], ports: [EgressPort.tcp(5432)], resolution: Resolution.NONE });
    const error = synthError(app);
    expect(error).toContain('[test/Host] ServiceEntry db-example-com (EGR202): spec.ports[0].protocol = "TCP": ServiceEntry default/db-example-com has '
      + 'resolution NONE and no addresses, so the sidecars that see it accept TCP on port 5432 for every destination address');
    expect(error).toContain('(Istio only warns: addresses are required for ports serving TCP (or unset) protocol when IP Autoallocation is not enabled)');
    expect(error).not.toContain('SE13');
  });

  test('with addresses it passes', () => {
    const { app } = build({ hosts: ['db.example.com'], ports: [EgressPort.tcp(5432)], resolution: Resolution.NONE, addresses: ['192.0.2.0/28'] });
    expect(oneOfKind(synth(app), 'ServiceEntry').spec.addresses).toEqual(['192.0.2.0/28']);
  });
});

describe('app-wide conflicts', () => {
  test('two routes for the same host and port through one gateway: IST0145 and IST0109', () => {
    // GIVEN: two teams route the same host, each from its own namespace
    const app = new App();
    for (const team of ['team-a', 'team-b']) {
      const chart = new Chart(app, team, { namespace: team });
      const host = new ExternalHost(chart, 'Host', { hosts: ['api.example.com'], ports: [EgressPort.https()] });
      new EgressGatewayRoute(chart, 'Route', { host, gateway: EgressGateway.istioDefault() });
    }

    // THEN
    const error = synthError(app);
    expect(error).toContain('[team-b/Route] Gateway team-b-api-example-com (IST0145): spec.servers[0].hosts[0] = "api.example.com": '
      + 'Conflict with gateways istio-system/team-a-api-example-com (workload selector istio=egressgateway, port 443, hosts api.example.com)');
    expect(error).toContain('[team-b/Route] VirtualService api-example-com-egress (IST0109)');
    expect(error).toContain('define the same host */api.example.com which can lead to undefined behavior');
  });

  test('two mesh VirtualServices for one host that are visible in different namespaces only do not conflict', () => {
    const app = new App();
    for (const team of ['team-a', 'team-b']) {
      const chart = new Chart(app, team, { namespace: team });
      const host = new ExternalHost(chart, 'Host', { hosts: ['api.example.com'], ports: [EgressPort.http()], requestTimeout: Duration.seconds(2), exportTo: ExportTo.sameNamespace() });
      host.virtualServices[0].addJsonPatch(JsonPatch.add('/spec/exportTo', ['.']));
    }
    expect(byKind(synth(app), 'VirtualService')).toHaveLength(2);
  });

  test('different hosts share one gateway without conflict', () => {
    const { app, chart } = appWithChart();
    for (const name of ['a', 'b']) {
      const host = new ExternalHost(chart, name, { hosts: [`${name}.example.com`], ports: [EgressPort.https()] });
      new EgressGatewayRoute(chart, `${name}-route`, { host, gateway: EgressGateway.istioDefault() });
    }
    expect(byKind(synth(app), 'Gateway')).toHaveLength(2);
  });
});

describe('TCP through the egress gateway', () => {
  const gateway = EgressGateway.fromAttributes({
    namespace: 'istio-system',
    selector: { istio: 'egressgateway' },
    serviceName: 'istio-egressgateway',
    ports: [{ port: 80, name: 'http2' }, { port: 443, name: 'https' }, { port: 7777, name: 'tcp-mongo' }, { port: 7778, name: 'tcp-mysql' }],
  });

  function mongo(chart: Chart, mutualTls: boolean, gatewayPort = 7777, name = 'mongo', address = '192.0.2.10') {
    const host = new ExternalHost(chart, name, { hosts: [`${name}.example.com`], ports: [EgressPort.mongo()], resolution: Resolution.STATIC, addresses: [address], endpoints: [{ address }] });
    return new EgressGatewayRoute(chart, `${name}-route`, { host, gateway, gatewayPorts: { 27017: gatewayPort }, gatewayMutualTls: mutualTls });
  }

  test('with mutual TLS: a TLS server with ISTIO_MUTUAL, tcp routes matched on port and the host\'s addresses', () => {
    const { app, chart } = appWithChart();
    mongo(chart, true);
    const objects = synth(app);
    const gw = oneOfKind(objects, 'Gateway');
    expect(gw.spec.servers).toEqual([{ port: { number: 7777, name: 'tls-7777', protocol: 'TLS' }, hosts: ['mongo.example.com'], tls: { mode: 'ISTIO_MUTUAL' } }]);
    expect(oneOfKind(objects, 'DestinationRule').spec.subsets[0].trafficPolicy.portLevelSettings)
      .toEqual([{ port: { number: 7777 }, tls: { mode: 'ISTIO_MUTUAL', sni: 'mongo.example.com' } }]);
    expect(oneOfKind(objects, 'VirtualService').spec.tcp).toEqual([
      {
        match: [{ gateways: ['mesh'], port: 27017, destinationSubnets: ['192.0.2.10/32'] }],
        route: [{ destination: { host: GATEWAY_HOST, subset: 'mongo-example-com', port: { number: 7777 } }, weight: 100 }],
      },
      {
        match: [{ gateways: [`istio-system/${gw.metadata.name}`], port: 7777 }],
        route: [{ destination: { host: 'mongo.example.com', port: { number: 27017 } }, weight: 100 }],
      },
    ]);
  });

  test('without mutual TLS: a plain TCP server', () => {
    const { app, chart } = appWithChart();
    mongo(chart, false);
    const gw = oneOfKind(synth(app), 'Gateway');
    expect(gw.spec.servers).toEqual([{ port: { number: 7777, name: 'tcp-7777', protocol: 'TCP' }, hosts: ['mongo.example.com'] }]);
  });

  test('two plain TCP hosts on one gateway port are refused: TCP carries no host name', () => {
    const { app, chart } = appWithChart();
    mongo(chart, false, 7777, 'mongo', '192.0.2.10');
    mongo(chart, false, 7777, 'other', '192.0.2.11');
    expect(synthError(app)).toContain('[test/other-route] Gateway default-other-example-com (EGR104): spec.servers[0].port.number = 7777: port 7777 of the gateway already carries plain TCP');
  });

  test('with mutual TLS two TCP hosts may share a gateway port (SNI tells them apart); each uses its own port otherwise', () => {
    const shared = appWithChart();
    mongo(shared.chart, true, 7777, 'mongo', '192.0.2.10');
    mongo(shared.chart, true, 7777, 'other', '192.0.2.11');
    const servers = (objects: any[]) => byKind(objects, 'Gateway').map(g => `${g.spec.servers[0].port.protocol} ${g.spec.servers[0].port.number}`);
    expect(servers(synth(shared.app))).toEqual(['TLS 7777', 'TLS 7777']);
    const separate = appWithChart();
    mongo(separate.chart, false, 7777, 'mongo', '192.0.2.10');
    mongo(separate.chart, false, 7778, 'other', '192.0.2.11');
    expect(servers(synth(separate.app))).toEqual(['TCP 7777', 'TCP 7778']);
  });
});
