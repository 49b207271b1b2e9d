/**
 * Per-object rules of the Gateway API kinds as Istio 1.30 reads them (conversion.go listenerProtocolToIstio,
 * unexpectedWaypointListener, buildTLS, buildDestination; deploymentcontroller.go for the Service type), and
 * their unknown fields (EGR002) from the v1.6.1 CRDs.
 */
import { Finding, checkObject, codeOf } from '../../src/rules';
import { assertValidIstioObjects } from '../support/crd-validator';
import { helpful } from '../support/findings';

const GW = 'gateway.networking.k8s.io/v1';

function gateway(listeners: unknown[], options: { className?: string; annotations?: Record<string, string> } = {}) {
  return {
    apiVersion: GW,
    kind: 'Gateway',
    metadata: { name: 'egress', namespace: 'edge', ...(options.annotations ? { annotations: options.annotations } : {}) },
    spec: { gatewayClassName: options.className ?? 'istio', listeners },
  };
}
const listener = (extra: Record<string, unknown> = {}) => ({ name: 'http', port: 80, protocol: 'HTTP', hostname: 'api.example.com', ...extra });
const waypoint = (listeners: unknown[]) => gateway(listeners, { className: 'istio-waypoint' });
function route(kind: string, backendRefs: unknown[], apiVersion = GW) {
  return {
    apiVersion,
    kind,
    metadata: { name: 'api', namespace: 'edge' },
    spec: { parentRefs: [{ name: 'egress' }], rules: [{ backendRefs }] },
  };
}

const lines = (findings: Finding[]) => helpful(findings).map(f => `${codeOf(f)} ${f.severity} ${f.field}: ${f.message}`);
const of = (o: unknown) => lines(checkObject(o as any));

describe('accepted as Istio programs them', () => {
  test.each([
    ['an HTTP egress gateway', gateway([listener()], { annotations: { 'networking.istio.io/service-type': 'ClusterIP' } })],
    ['a TLS passthrough listener', gateway([listener({ name: 'tls', port: 443, protocol: 'TLS', tls: { mode: 'Passthrough' } })])],
    ['an HTTPS listener with Istio mutual TLS', gateway([listener({
      name: 'https',
      port: 443,
      protocol: 'HTTPS',
      tls: { mode: 'Terminate', options: { 'gateway.istio.io/tls-terminate-mode': 'ISTIO_MUTUAL' } },
    })])],
    ['two certificates', gateway([listener({
      name: 'https',
      port: 443,
      protocol: 'HTTPS',
      tls: { mode: 'Terminate', certificateRefs: [{ name: 'rsa' }, { name: 'ecdsa' }] },
    })])],
    ['a waypoint', waypoint([{ name: 'mesh', port: 15008, protocol: 'HBONE' }])],
    ['a Gateway of another controller', gateway([listener({ protocol: 'UDP', hostname: undefined })], { className: 'other' })],
    ['an HTTPRoute to a Service', route('HTTPRoute', [{ name: 'egress-istio', port: 80 }])],
    ['an HTTPRoute to a host', route('HTTPRoute', [{ group: 'networking.istio.io', kind: 'Hostname', name: 'api.example.com', port: 443 }])],
    ['a TLSRoute v1alpha2', route('TLSRoute', [{ name: 'egress-istio', port: 443 }], 'gateway.networking.k8s.io/v1alpha2')],
    ['a ReferenceGrant', {
      apiVersion: 'gateway.networking.k8s.io/v1beta1',
      kind: 'ReferenceGrant',
      metadata: { name: 'g', namespace: 'edge' },
      spec: { from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'shop' }], to: [{ group: '', kind: 'Service' }] },
    }],
  ])('%s', (_, object) => {
    expect(of(object)).toEqual([]);
    expect(assertValidIstioObjects([object]).gatewayApi).toBe(1);
  });
});

describe('listener protocols (EGR140, EGR141)', () => {
  test('a lower-case protocol gets Istio\'s hint', () => {
    expect(of(gateway([listener({ protocol: 'http' })]))).toEqual([
      'EGR140 error spec.listeners[0].protocol: protocol "http" is unsupported. hint: "HTTP" (uppercase) may be supported',
    ]);
  });
  test('UDP is not programmed', () => {
    expect(of(gateway([listener({ protocol: 'UDP' })]))).toEqual(['EGR140 error spec.listeners[0].protocol: protocol "UDP" is unsupported']);
  });
  test('HBONE outside a waypoint', () => {
    expect(of(gateway([listener({ port: 15008, protocol: 'HBONE' })]))).toEqual([
      'EGR140 error spec.listeners[0].protocol: protocol "HBONE" is only supported for waypoint proxies',
    ]);
  });
  test('TCP needs the alpha flag', () => {
    expect(of(gateway([listener({ protocol: 'TCP', hostname: undefined })]))).toEqual([
      'EGR141 warning spec.listeners[0].protocol: protocol "TCP" is supported, but only when PILOT_ENABLE_ALPHA_GATEWAY_API=true is configured',
    ]);
  });
});

test('a waypoint listener other than HBONE on 15008 (EGR142)', () => {
  expect(of(waypoint([{ name: 'http', port: 80, protocol: 'HTTP' }]))).toEqual([
    'EGR142 warning spec.listeners[0]: Expected a single listener on port 15008 with protocol "HBONE"',
  ]);
});

describe('TLS (EGR143, EGR145)', () => {
  test('an unknown terminate mode', () => {
    const findings = of(gateway([listener({
      name: 'https',
      port: 443,
      protocol: 'HTTPS',
      tls: { options: { 'gateway.istio.io/tls-terminate-mode': 'ISTIO_MTLS' }, certificateRefs: [{ name: 'c' }] },
    })]));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toContain('EGR143 error spec.listeners[0].tls.options["gateway.istio.io/tls-terminate-mode"]');
    expect(findings[0]).toContain('does not know the value "ISTIO_MTLS" and terminates simple TLS');
  });
  test('the option is not read in passthrough', () => {
    expect(of(gateway([listener({
      name: 'tls',
      port: 443,
      protocol: 'TLS',
      tls: { mode: 'Passthrough', options: { 'gateway.istio.io/tls-terminate-mode': 'whatever' } },
    })]))).toEqual([]);
  });
  test('three certificates', () => {
    expect(of(gateway([listener({
      name: 'https',
      port: 443,
      protocol: 'HTTPS',
      tls: { certificateRefs: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] },
    })]))).toEqual([
      'EGR145 error spec.listeners[0].tls.certificateRefs: TLS mode can only support up to 2 server certificates',
    ]);
  });
});

test('a Service type Kubernetes does not have (EGR144)', () => {
  const findings = of(gateway([listener()], { annotations: { 'networking.istio.io/service-type': 'clusterip' } }));
  expect(findings).toHaveLength(1);
  expect(findings[0]).toContain('EGR144 error metadata.annotations.networking.istio.io/service-type');
  expect(findings[0]).toContain('the API server refuses that Service');
});

describe('backendRefs Istio cannot convert (EGR146)', () => {
  test.each([
    ['a ServiceEntry', { group: 'networking.istio.io', kind: 'ServiceEntry', name: 'api', port: 443 },
      'EGR146 error spec.rules[0].backendRefs[0]: referencing unsupported backendRef: group "networking.istio.io" kind "ServiceEntry"'],
    ['a host as Service name', { name: 'api.example.com', port: 443 },
      'EGR146 error spec.rules[0].backendRefs[0].name: service name invalid; the name of the Service must be used, not the hostname.'],
    ['a Hostname with a namespace', { group: 'networking.istio.io', kind: 'Hostname', name: 'api.example.com', namespace: 'edge', port: 443 },
      'EGR146 error spec.rules[0].backendRefs[0].namespace: namespace may not be set with Hostname type'],
    ['a Hostname without port', { group: 'networking.istio.io', kind: 'Hostname', name: 'api.example.com' },
      'EGR146 error spec.rules[0].backendRefs[0]: port is required in backendRef'],
  ])('%s', (_, ref, line) => {
    expect(of(route('HTTPRoute', [ref]))).toEqual([line]);
  });
});

describe('unknown fields (EGR002)', () => {
  test('a misplaced field in a listener', () => {
    const findings = checkObject(gateway([listener({ hosts: ['api.example.com'] })]) as any);
    expect(findings.map(f => [codeOf(f), f.field])).toEqual([['EGR002', 'spec.listeners[0].hosts']]);
  });
  test('a port beside the backendRefs of a TCPRoute v1alpha2', () => {
    const r = route('TCPRoute', [{ name: 'egress-istio', port: 443 }], 'gateway.networking.k8s.io/v1alpha2');
    (r.spec.rules[0] as any).port = 443;
    expect(checkObject(r as any).map(f => [codeOf(f), f.field])).toEqual([['EGR002', 'spec.rules[0].port']]);
  });
  test('a BackendTLSPolicy field of another kind', () => {
    const policy = {
      apiVersion: GW,
      kind: 'BackendTLSPolicy',
      metadata: { name: 'p', namespace: 'edge' },
      spec: { targetRefs: [{ group: '', kind: 'Service', name: 'api' }], validation: { hostname: 'api.example.com', wellKnownCACertificates: 'System', sni: 'x' } },
    };
    expect(checkObject(policy as any).map(f => [codeOf(f), f.field])).toEqual([['EGR002', 'spec.validation.sni']]);
  });
});
