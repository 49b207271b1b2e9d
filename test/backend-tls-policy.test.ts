/**
 * TLS origination carried by a Gateway API BackendTLSPolicy (`TlsOriginationObject.backendTlsPolicy()`):
 * at the sidecar (ExternalHost) and at a waypoint (EgressWaypoint), refused at egress gateways and
 * wherever the policy cannot say what the options ask. `synth` validates every object (the Gateway
 * API CRDs with their CEL rules) and fails on any finding of the app's analysis.
 */
import {
  DataplaneMode, EgressGateway, EgressGatewayRoute, EgressPort, EgressProtocol, EgressWaypoint, ExternalHost, GatewayApiEgressGateway, IstioApi,
  IstioApiVersion, IstioRelease, MeshNamespace, OriginationPlacement, TlsOrigination, TlsOriginationObject, TlsOriginationOptions,
} from '../src';
import { appWithChart, byKind, oneOfKind, synth, synthError } from './support/synth';

const BTP = TlsOriginationObject.backendTlsPolicy();

function sidecarApp(options: TlsOriginationOptions = {}, release: IstioRelease = IstioRelease.LATEST, extra: Record<string, unknown> = {}) {
  const { app, chart } = appWithChart('shop');
  IstioApi.useRelease(chart, release);
  const host = new ExternalHost(chart, 'Api', {
    hosts: ['api.example.com'],
    ports: [EgressPort.http(80), EgressPort.https(443)],
    tlsOrigination: TlsOrigination.simple({ carriedBy: BTP, ...options }),
    ...extra,
  });
  return { app, host };
}

function waypointApp(origination: TlsOrigination) {
  const { app, chart } = appWithChart('istio-egress');
  new MeshNamespace(chart, 'EgressNamespace', { name: 'istio-egress', dataplaneMode: DataplaneMode.AMBIENT, useWaypoint: 'waypoint' });
  const waypoint = new EgressWaypoint(chart, 'Waypoint');
  const host = new ExternalHost(chart, 'Httpbin', {
    hosts: ['httpbin.org'],
    ports: [EgressPort.of({ number: 80, protocol: EgressProtocol.HTTP, name: 'http' })],
    metadata: { name: 'httpbin-org' },
  });
  const route = new EgressGatewayRoute(chart, 'Route', { host, gateway: waypoint, tlsOrigination: origination });
  return { app, route };
}

describe('the choice of object', () => {
  test('the default stays the DestinationRule', () => {
    expect(TlsOrigination.simple().carriedBy.kind).toEqual('DestinationRule');
    expect(TlsOrigination.simple({ carriedBy: BTP }).carriedBy.kind).toEqual('BackendTLSPolicy');
  });
  test('a value that is not a TlsOriginationObject (another jsii language) is refused', () => {
    expect(() => TlsOrigination.simple({ carriedBy: 'BackendTLSPolicy' as any }))
      .toThrow('TlsOrigination: carriedBy = "BackendTLSPolicy" is not a TlsOriginationObject. Fix: pass TlsOriginationObject.destinationRule()');
  });
  test('caCertificateConfigMap needs the BackendTLSPolicy', () => {
    const { app, chart } = appWithChart('shop');
    new ExternalHost(chart, 'Api', {
      hosts: ['api.example.com'],
      ports: [EgressPort.http(80), EgressPort.https(443)],
      tlsOrigination: TlsOrigination.simple({ caCertificateConfigMap: 'api-ca' }),
    });
    expect(synthError(app)).toContain('[test/Api] tlsOrigination caCertificateConfigMap = "api-ca": a DestinationRule reads a CA from a file path '
      + 'or a Secret, not from a ConfigMap. Fix: give caCertificates or credentialName, or set carriedBy: TlsOriginationObject.backendTlsPolicy().');
  });
});

describe('origination at the sidecar', () => {
  test('a BackendTLSPolicy targets the HTTP port by name; no DestinationRule', () => {
    const objects = synth(sidecarApp().app);
    expect(byKind(objects, 'DestinationRule')).toEqual([]);
    expect(oneOfKind(objects, 'BackendTLSPolicy')).toEqual({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'BackendTLSPolicy',
      metadata: { name: 'api-example-com', namespace: 'shop' },
      spec: {
        targetRefs: [{ group: 'networking.istio.io', kind: 'ServiceEntry', name: 'api-example-com', sectionName: 'http-80' }],
        validation: { hostname: 'api.example.com', wellKnownCACertificates: 'System' },
      },
    });
    // The HTTP port still sends to the TLS port.
    expect(oneOfKind(objects, 'ServiceEntry').spec.ports[0]).toEqual({ number: 80, protocol: 'HTTP', name: 'http-80', targetPort: 443 });
  });
  test('several HTTP ports: one targetRef per port name (the CRD wants them unique)', () => {
    const { app, chart } = appWithChart('shop');
    new ExternalHost(chart, 'Api', {
      hosts: ['api.example.com'],
      ports: [EgressPort.http(80), EgressPort.http(8080), EgressPort.https(443)],
      tlsOrigination: TlsOrigination.simple({ carriedBy: BTP }),
    });
    const objects = synth(app);
    expect(oneOfKind(objects, 'BackendTLSPolicy').spec.targetRefs.map((r: any) => r.sectionName)).toEqual(['http-80', 'http-8080']);
    expect(oneOfKind(objects, 'ServiceEntry').spec.ports.map((p: any) => p.targetPort)).toEqual([443, 443, undefined]);
  });
  test('a ConfigMap CA, an SNI and subject alt names', () => {
    const objects = synth(sidecarApp({
      caCertificateConfigMap: 'api-ca', sni: 'edge.example.com', subjectAltNames: ['api.example.com', 'spiffe://example.com/api'],
    }).app);
    expect(oneOfKind(objects, 'BackendTLSPolicy').spec.validation).toEqual({
      hostname: 'edge.example.com',
      caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: 'api-ca' }],
      subjectAltNames: [{ type: 'Hostname', hostname: 'api.example.com' }, { type: 'URI', uri: 'spiffe://example.com/api' }],
    });
  });
  test('before Istio 1.28 it is refused', () => {
    expect(synthError(sidecarApp({}, IstioRelease.of(1, 27)).app)).toContain('[test/Api] tlsOrigination carriedBy = "BackendTLSPolicy": '
      + 'IstioApi.useRelease targets Istio 1.27, which does not read BackendTLSPolicy v1 with a ServiceEntry target and sectionName (Istio 1.28 and later). '
      + 'Fix: leave carriedBy out (a DestinationRule), or target Istio 1.28 or later.');
    const { app, chart } = appWithChart('shop', IstioApiVersion.V1BETA1);
    new ExternalHost(chart, 'Api', {
      hosts: ['api.example.com'], ports: [EgressPort.http(80), EgressPort.https(443)], tlsOrigination: TlsOrigination.simple({ carriedBy: BTP }),
    });
    expect(synthError(app)).toContain('tlsOrigination carriedBy = "BackendTLSPolicy": this app emits v1beta1 for a mesh before Istio 1.22');
    expect(synth(sidecarApp({}, IstioRelease.of(1, 28)).app).map(o => o.kind)).toContain('BackendTLSPolicy');
  });
  test('what a BackendTLSPolicy cannot say is refused, naming the field, the value and the fix', () => {
    const refused = (origination: TlsOrigination) => {
      const { app, chart } = appWithChart('shop');
      new ExternalHost(chart, 'Api', { hosts: ['api.example.com'], ports: [EgressPort.http(80), EgressPort.https(443)], tlsOrigination: origination });
      return synthError(app);
    };
    expect(refused(TlsOrigination.mutual({ credentialName: 'client', carriedBy: BTP })))
      .toContain('[test/Api] tlsOrigination mode = "MUTUAL": a BackendTLSPolicy has no client certificate: Istio originates SIMPLE TLS from it. '
        + 'Fix: use TlsOrigination.mutual() with a DestinationRule (leave carriedBy out)');
    expect(refused(TlsOrigination.withoutServerVerification({ carriedBy: BTP })))
      .toContain('tlsOrigination insecureSkipVerify = true: a BackendTLSPolicy always verifies the server');
    expect(refused(TlsOrigination.simple({ caCertificates: '/etc/ssl/certs/ca-certificates.crt', carriedBy: BTP })))
      .toContain('tlsOrigination caCertificates = "/etc/ssl/certs/ca-certificates.crt": a BackendTLSPolicy cannot name a CA file of the proxy. '
        + 'Fix: leave caCertificates out to verify against the proxy\'s system CAs (wellKnownCACertificates: System), give caCertificateConfigMap');
    expect(refused(TlsOrigination.simple({ credentialName: 'api-ca', carriedBy: BTP })))
      .toContain('tlsOrigination credentialName = "api-ca": a BackendTLSPolicy cannot read a Secret');
    expect(refused(TlsOrigination.simple({ sni: 'Edge.Example.com', carriedBy: BTP })))
      .toContain('tlsOrigination sni = "Edge.Example.com": the BackendTLSPolicy\'s validation.hostname (the SNI) must be a lower-case DNS name');
    expect(refused(TlsOrigination.simple({ subjectAltNames: ['a', 'b', 'c', 'd', 'e', 'f'], carriedBy: BTP })))
      .toContain('a BackendTLSPolicy takes at most 5 subjectAltNames');
  });
  test('several hosts in one ServiceEntry, a wildcard host and a port name the policy cannot name are refused', () => {
    const refused = (hosts: string[], ports: EgressPort[]) => {
      const { app, chart } = appWithChart('shop');
      new ExternalHost(chart, 'Api', { hosts, ports, tlsOrigination: TlsOrigination.simple({ carriedBy: BTP }) });
      return synthError(app);
    };
    expect(refused(['a.example.com', 'b.example.com'], [EgressPort.http(80), EgressPort.https(443)]))
      .toContain('a BackendTLSPolicy covers every host of its ServiceEntry (a.example.com, b.example.com) with one SNI');
    expect(refused(['*.example.com'], [EgressPort.http(80), EgressPort.https(443)]))
      .toContain('tlsOrigination sni = "*.example.com": the BackendTLSPolicy\'s validation.hostname (the SNI, by default the host)');
    expect(refused(['api.example.com'], [EgressPort.of({ number: 80, protocol: EgressProtocol.HTTP, name: 'HTTP_80' }), EgressPort.https(443)]))
      .toContain('tlsOrigination port name = "HTTP_80": the BackendTLSPolicy targets port 80 of the ServiceEntry by name (sectionName)');
  });
  test('a trafficPolicy beside the policy is refused before Istio 1.31 (its merge drops the host\'s settings)', () => {
    const extra = { trafficPolicy: { maxConnections: 10 } };
    expect(synthError(sidecarApp({}, IstioRelease.LATEST, extra).app))
      .toContain('the host also has a trafficPolicy (a DestinationRule in the ServiceEntry\'s namespace), and Istio 1.30 merges the DestinationRule it makes');
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const objects = synth(sidecarApp({}, IstioRelease.of(1, 31), extra).app);
    // EGR157 (the merge before 1.31) is acknowledged for the host on 1.31.
    expect(stderr.mock.calls.flat().join('\n')).not.toContain('EGR157');
    stderr.mockRestore();
    expect(oneOfKind(objects, 'DestinationRule').spec).toEqual({ host: 'api.example.com', trafficPolicy: { connectionPool: { tcp: { maxConnections: 10 } } } });
    expect(oneOfKind(objects, 'BackendTLSPolicy').spec.targetRefs[0].sectionName).toEqual('http-80');
  });
});

describe('origination at a waypoint', () => {
  test('a BackendTLSPolicy beside the ServiceEntry, the HTTP port sending to 443; no DestinationRule', () => {
    const { app, route } = waypointApp(TlsOrigination.simple({ carriedBy: BTP }));
    const objects = synth(app);
    expect(byKind(objects, 'DestinationRule')).toEqual([]);
    expect(route.backendTlsPolicies).toHaveLength(1);
    expect(oneOfKind(objects, 'BackendTLSPolicy')).toEqual({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'BackendTLSPolicy',
      metadata: { name: 'httpbin-org-tls', namespace: 'istio-egress' },
      spec: {
        targetRefs: [{ group: 'networking.istio.io', kind: 'ServiceEntry', name: 'httpbin-org', sectionName: 'http' }],
        validation: { hostname: 'httpbin.org', wellKnownCACertificates: 'System' },
      },
    });
    expect(oneOfKind(objects, 'ServiceEntry').spec.ports).toEqual([{ number: 80, protocol: 'HTTP', name: 'http', targetPort: 443 }]);
  });
  test('a client certificate is refused there too', () => {
    const { app } = waypointApp(TlsOrigination.mutual({ credentialName: 'client', carriedBy: BTP }));
    expect(synthError(app)).toContain('[test/Route] tlsOrigination mode = "MUTUAL": a BackendTLSPolicy has no client certificate');
  });
});

describe('origination at an egress gateway with the docs\' placement (every proxy originates): a BackendTLSPolicy', () => {
  test.each([
    ['an installed gateway', (_chart: any) => EgressGateway.istioDefault()],
    ['a Gateway API gateway', (chart: any) => new GatewayApiEgressGateway(chart, 'Egress', { namespace: 'istio-egress' })],
  ])('%s', (_, gatewayOf) => {
    const { app, chart } = appWithChart('shop');
    const host = new ExternalHost(chart, 'Api', { hosts: ['api.example.com'], ports: [EgressPort.http(80), EgressPort.https(443)] });
    const route = new EgressGatewayRoute(chart, 'Route', {
      host,
      gateway: gatewayOf(chart),
      gatewayMutualTls: false,
      ports: [80],
      tlsOrigination: TlsOrigination.simple({ carriedBy: BTP }),
      originationPlacement: OriginationPlacement.besideHost(),
    });
    const objects = synth(app);
    // No DestinationRule originates: the policy does, on the port the gateway sends to (443, the ServiceEntry's port https-443).
    expect(byKind(objects, 'DestinationRule').filter(d => d.spec.host === 'api.example.com')).toEqual([]);
    expect(route.backendTlsPolicies).toHaveLength(1);
    expect(oneOfKind(objects, 'BackendTLSPolicy')).toEqual({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'BackendTLSPolicy',
      metadata: { name: 'api-example-com-tls-origination', namespace: 'shop' },
      spec: {
        targetRefs: [{ group: 'networking.istio.io', kind: 'ServiceEntry', name: 'api-example-com', sectionName: 'https-443' }],
        validation: { hostname: 'api.example.com', wellKnownCACertificates: 'System' },
      },
    });
  });

  test('what the policy cannot carry is refused, as at the sidecar', () => {
    const { app, chart } = appWithChart('shop');
    const host = new ExternalHost(chart, 'Api', { hosts: ['api.example.com'], ports: [EgressPort.http(80)] });
    new EgressGatewayRoute(chart, 'Route', {
      host,
      gateway: EgressGateway.istioDefault(),
      gatewayMutualTls: false,
      tlsOrigination: TlsOrigination.mutual({ carriedBy: BTP, credentialName: 'c' }),
      originationPlacement: OriginationPlacement.besideHost(),
    });
    const message = synthError(app);
    expect(message).toContain('tlsOrigination mode = "MUTUAL": a BackendTLSPolicy has no client certificate');
    expect(message).toContain('tlsOrigination port = 443: the BackendTLSPolicy targets that port of api.example.com by its name, and the host does not declare it');
  });
});

describe('origination at an egress gateway is refused', () => {
  const message = 'tlsOrigination carriedBy = "BackendTLSPolicy": an egress gateway originates TLS for its own pods only (a DestinationRule with '
    + 'workloadSelector), and a BackendTLSPolicy cannot be limited so: Istio turns it into a DestinationRule for the host\'s port that every '
    + 'sidecar applies too, so sidecars that reach api.example.com:443 directly would wrap the applications\' own TLS a second time.';
  test.each([
    ['an installed gateway', (_chart: any) => EgressGateway.istioDefault()],
    ['a Gateway API gateway', (chart: any) => new GatewayApiEgressGateway(chart, 'Egress', { namespace: 'istio-egress' })],
  ])('%s', (_, gatewayOf) => {
    const { app, chart } = appWithChart('shop');
    const host = new ExternalHost(chart, 'Api', { hosts: ['api.example.com'], ports: [EgressPort.http(80), EgressPort.https(443)] });
    new EgressGatewayRoute(chart, 'Route', {
      host, gateway: gatewayOf(chart), gatewayMutualTls: false, tlsOrigination: TlsOrigination.simple({ carriedBy: BTP }),
    });
    expect(synthError(app)).toContain(`[test/Route] ${message}`);
  });
});
