/**
 * The test-time API server for Gateway API objects (test/support/crd-validator.ts validateGatewayApiObject): the
 * CRDs of Gateway API v1.6.1 (standard and experimental channels), structural defaulting, schema and CEL rules.
 * The objects are our own, in the shapes Istio's egress documentation uses (a Gateway of class istio with a listener
 * per port, routes parented to a ServiceEntry, Hostname backends of group networking.istio.io).
 */
import { assertValidIstioObjects, checkGatewayApiCrdBundle, validateGatewayApiObject, validateManifest } from './support/crd-validator';

jest.setTimeout(60_000);

const GW = 'gateway.networking.k8s.io';
const ISTIO_HOSTNAME = { group: 'networking.istio.io', kind: 'Hostname' };

function gateway(listeners: any[], apiVersion = `${GW}/v1`): any {
  return {
    apiVersion,
    kind: 'Gateway',
    metadata: { name: 'api-egress', namespace: 'egress', annotations: { 'networking.istio.io/service-type': 'ClusterIP' } },
    spec: { gatewayClassName: 'istio', listeners },
  };
}

const HTTP_LISTENER = { name: 'http', hostname: 'api.example.com', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same' } } };
const TLS_LISTENER = { name: 'tls', hostname: '*.example.com', port: 443, protocol: 'TLS', tls: { mode: 'Passthrough' }, allowedRoutes: { namespaces: { from: 'Same' } } };

function httpRoute(spec: any, apiVersion = `${GW}/v1`): any {
  return { apiVersion, kind: 'HTTPRoute', metadata: { name: 'api', namespace: 'egress' }, spec };
}

/** Mesh side: traffic for the ServiceEntry goes to the egress gateway's Service. */
function toEgressGateway(backendRef: any = { name: 'api-egress-istio', port: 80 }): any {
  return httpRoute({ parentRefs: [{ group: 'networking.istio.io', kind: 'ServiceEntry', name: 'api' }], rules: [{ backendRefs: [backendRef] }] });
}

/** Gateway side: from the egress gateway to the external host. */
function fromEgressGateway(backendRef: any = { ...ISTIO_HOSTNAME, name: 'api.example.com', port: 80 }): any {
  return httpRoute({ parentRefs: [{ name: 'api-egress', sectionName: 'http' }], hostnames: ['api.example.com'], rules: [{ backendRefs: [backendRef] }] });
}

function tlsRoute(version: string, spec: any = {}): any {
  return {
    apiVersion: `${GW}/${version}`,
    kind: 'TLSRoute',
    metadata: { name: 'api-tls', namespace: 'egress' },
    spec: {
      parentRefs: [{ name: 'api-egress', sectionName: 'tls' }],
      hostnames: ['*.example.com'],
      rules: [{ backendRefs: [{ ...ISTIO_HOSTNAME, name: 'www.example.com', port: 443 }] }],
      ...spec,
    },
  };
}

function where(obj: any, channel = 'experimental'): string {
  return `${obj.kind}/${obj.metadata.namespace}/${obj.metadata.name} [${obj.apiVersion}, Gateway API v1.6.1 ${channel}]`;
}

describe('the bundles', () => {
  test.each(['standard', 'experimental'] as const)('every CEL rule of the %s channel compiles', (channel) => {
    // GIVEN / WHEN compiling every served kind and version
    const report = checkGatewayApiCrdBundle(channel);

    // THEN there are rules, and none fails to compile
    expect(report.kinds).toBe(channel === 'standard' ? 14 : 22);
    expect(report.rules).toBeGreaterThan(200);
    expect(report.problems).toEqual([]);
  });

  test('an unknown channel is a programming error', () => {
    expect(() => validateGatewayApiObject(gateway([HTTP_LISTENER]), { channel: 'beta' as any })).toThrow('Unknown Gateway API channel "beta"');
  });

  test('only Gateway API groups are validated here', () => {
    const se = { apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'api', namespace: 'egress' } };
    expect(validateGatewayApiObject(se)).toEqual([
      'ServiceEntry/egress/api [networking.istio.io/v1, Gateway API v1.6.1 experimental]: apiVersion: "networking.istio.io/v1" is not a Gateway API group; validateGatewayApiObject only validates gateway.networking.k8s.io objects',
    ]);
  });
});

describe('Gateway', () => {
  test.each(['standard', 'experimental'] as const)('an Istio egress gateway with a listener per port is valid (%s)', (channel) => {
    expect(validateGatewayApiObject(gateway([HTTP_LISTENER, TLS_LISTENER]), { channel })).toEqual([]);
    expect(validateGatewayApiObject(gateway([HTTP_LISTENER, TLS_LISTENER], `${GW}/v1beta1`), { channel })).toEqual([]);
  });

  test('a TLS listener needs tls; a tls without mode gets Terminate from the CRD default', () => {
    // GIVEN a TLS listener without tls, one whose tls names a certificate but no mode, and one with tls: {}
    const noTls = gateway([{ name: 'tls', port: 443, protocol: 'TLS' }]);
    const defaultMode = gateway([{ name: 'tls', port: 443, protocol: 'TLS', tls: { certificateRefs: [{ name: 'api-cert' }] } }]);
    const emptyTls = gateway([{ name: 'tls', port: 443, protocol: 'TLS', tls: {} }]);

    // WHEN / THEN the first is refused by the rule; the defaulted mode satisfies it; an empty tls (Terminate) has no certificate
    expect(validateGatewayApiObject(noTls)).toEqual([`${where(noTls)}: spec.listeners: Invalid value: "array": tls mode must be set for protocol TLS`]);
    expect(validateGatewayApiObject(defaultMode)).toEqual([]);
    expect(validateGatewayApiObject(emptyTls)).toEqual([expect.stringContaining(`${where(emptyTls)}: spec.listeners[0].tls: Invalid value: "object"`)]);
  });

  test('HTTPS needs Terminate; HTTP takes no tls', () => {
    const https = gateway([{ name: 'https', port: 443, protocol: 'HTTPS', tls: { mode: 'Passthrough' } }]);
    const http = gateway([{ ...HTTP_LISTENER, tls: { mode: 'Terminate', certificateRefs: [{ name: 'c' }] } }]);
    expect(validateGatewayApiObject(https)).toEqual([`${where(https)}: spec.listeners: Invalid value: "array": tls mode must be Terminate for protocol HTTPS`]);
    expect(validateGatewayApiObject(http)).toEqual([
      `${where(http)}: spec.listeners: Invalid value: "array": tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']`,
    ]);
  });

  test('listener names are unique', () => {
    const dup = gateway([HTTP_LISTENER, { ...TLS_LISTENER, name: 'http' }]);
    expect(validateGatewayApiObject(dup)).toEqual(expect.arrayContaining([
      `${where(dup)}: spec.listeners: Invalid value: "array": Listener name must be unique within the Gateway`,
    ]));
  });

  test('an experimental-only field is refused by the standard channel', () => {
    // GIVEN a Gateway with spec.defaultScope (experimental channel only)
    const gw = gateway([HTTP_LISTENER]);
    gw.spec.defaultScope = 'All';

    // WHEN / THEN
    expect(validateGatewayApiObject(gw)).toEqual([]);
    expect(validateGatewayApiObject(gw, { channel: 'standard' })).toEqual([
      `${where(gw, 'standard')}: spec.defaultScope: unknown field "spec.defaultScope" (strict field validation; the API server would reject or prune it)`,
    ]);
  });
});

describe('HTTPRoute', () => {
  test.each(['standard', 'experimental'] as const)('the two routes of the egress gateway pattern are valid (%s)', (channel) => {
    expect(validateGatewayApiObject(toEgressGateway(), { channel })).toEqual([]);
    expect(validateGatewayApiObject(fromEgressGateway(), { channel })).toEqual([]);
  });

  test('a Service backendRef (group and kind defaulted) without port is refused by CEL', () => {
    // GIVEN backendRefs naming only a Service, and the same with explicit core group and kind
    const bare = toEgressGateway({ name: 'api-egress-istio' });
    const explicit = toEgressGateway({ group: '', kind: 'Service', name: 'api-egress-istio' });

    // WHEN / THEN the rule reads the defaulted group and kind
    for (const route of [bare, explicit]) {
      expect(validateGatewayApiObject(route)).toEqual([`${where(route)}: spec.rules[0].backendRefs[0]: Invalid value: "object": Must have port for Service reference`]);
    }
  });

  test('a Hostname backendRef of group networking.istio.io passes with a port (the Service rule does not apply)', () => {
    expect(validateGatewayApiObject(fromEgressGateway({ ...ISTIO_HOSTNAME, name: 'api.example.com', port: 443 }))).toEqual([]);
    expect(validateGatewayApiObject(fromEgressGateway({ ...ISTIO_HOSTNAME, name: 'api.example.com' }))).toEqual([]);
  });

  test('two parentRefs to one Gateway need distinct sectionNames (the rules compare defaulted group and kind)', () => {
    // GIVEN distinct sections, the same parent twice (once with the defaults spelt out), and one ref with a section and one without
    const distinct = httpRoute({ parentRefs: [{ name: 'api-egress', sectionName: 'http' }, { name: 'api-egress', sectionName: 'tls' }] });
    const same = httpRoute({ parentRefs: [{ name: 'api-egress' }, { group: GW, kind: 'Gateway', name: 'api-egress' }] });
    const mixed = httpRoute({ parentRefs: [{ name: 'api-egress' }, { group: GW, kind: 'Gateway', name: 'api-egress', sectionName: 'tls' }] });

    // WHEN / THEN
    expect(validateGatewayApiObject(distinct)).toEqual([]);
    expect(validateGatewayApiObject(same)).toEqual([
      `${where(same)}: spec.parentRefs: Invalid value: "array": sectionName or port must be unique when parentRefs includes 2 or more references to the same parent`,
    ]);
    expect(validateGatewayApiObject(mixed)).toEqual([
      `${where(mixed)}: spec.parentRefs: Invalid value: "array": sectionName or port must be specified when parentRefs includes 2 or more references to the same parent`,
    ]);
  });

  test('the v1beta1 HTTPRoute of the docs (timeouts, Hostname backend) is valid', () => {
    const route = httpRoute({
      parentRefs: [{ kind: 'ServiceEntry', group: 'networking.istio.io', name: 'api' }],
      hostnames: ['api.example.com'],
      rules: [{ timeouts: { request: '3s' }, backendRefs: [{ ...ISTIO_HOSTNAME, name: 'api.example.com', port: 80 }] }],
    }, `${GW}/v1beta1`);
    expect(validateGatewayApiObject(route)).toEqual([]);
    route.spec.rules[0].timeouts.request = 'three seconds';
    expect(validateGatewayApiObject(route)).toEqual([expect.stringContaining('spec.rules[0].timeouts.request: Invalid value: "three seconds"')]);
  });

  test('an unknown field is refused', () => {
    const route = toEgressGateway({ name: 'api-egress-istio', port: 80, weight: 1, host: 'api.example.com' });
    expect(validateGatewayApiObject(route)).toEqual([
      `${where(route)}: spec.rules[0].backendRefs[0].host: unknown field "spec.rules[0].backendRefs[0].host" (strict field validation; the API server would reject or prune it)`,
    ]);
  });
});

describe('TLSRoute', () => {
  test('v1 is served by both channels, v1alpha2 only by experimental', () => {
    expect(validateGatewayApiObject(tlsRoute('v1'), { channel: 'standard' })).toEqual([]);
    expect(validateGatewayApiObject(tlsRoute('v1'))).toEqual([]);
    expect(validateGatewayApiObject(tlsRoute('v1alpha2'))).toEqual([]);
    expect(validateGatewayApiObject(tlsRoute('v1alpha2'), { channel: 'standard' })).toEqual([
      `${where(tlsRoute('v1alpha2'), 'standard')}: the API server would reject: no CRD serves ${GW}/v1alpha2 TLSRoute in the standard channel (it serves TLSRoute as ${GW}/v1)`,
    ]);
  });

  test('the mesh-side TLSRoute of the docs (ServiceEntry parent, Service backend with port) is valid', () => {
    const route = tlsRoute('v1alpha2', {
      parentRefs: [{ kind: 'ServiceEntry', group: 'networking.istio.io', name: 'api' }],
      hostnames: undefined,
      rules: [{ backendRefs: [{ name: 'api-egress-istio', port: 443 }] }],
    });
    delete route.spec.hostnames;
    expect(validateGatewayApiObject(route)).toEqual([]);
    route.spec.rules[0].backendRefs[0] = { name: 'api-egress-istio' };
    expect(validateGatewayApiObject(route)).toEqual([expect.stringContaining('spec.rules[0].backendRefs[0]: Invalid value: "object": Must have port for Service reference')]);
  });

  test.each(['v1', 'v1alpha3'])('%s hostnames cannot be IP addresses (isIP)', (version) => {
    const route = tlsRoute(version, { hostnames: ['203.0.113.7'] });
    expect(validateGatewayApiObject(route)).toEqual([`${where(route)}: spec.hostnames: Invalid value: "array": Hostnames cannot contain an IP`]);
    expect(validateGatewayApiObject(tlsRoute(version, { hostnames: ['api.example.com'] }))).toEqual([]);
  });

  test('v1alpha2 has no such rule (its schema predates it)', () => {
    expect(validateGatewayApiObject(tlsRoute('v1alpha2', { hostnames: ['203.0.113.7'] }))).toEqual([]);
  });
});

describe('ReferenceGrant', () => {
  const grant = (apiVersion: string, to: any) => ({
    apiVersion,
    kind: 'ReferenceGrant',
    metadata: { name: 'routes-from-apps', namespace: 'egress' },
    spec: { from: [{ group: GW, kind: 'HTTPRoute', namespace: 'apps' }], to: [to] },
  });

  test.each([`${GW}/v1beta1`, `${GW}/v1`])('%s: HTTPRoutes of another namespace may reference Services here', (apiVersion) => {
    expect(validateGatewayApiObject(grant(apiVersion, { group: '', kind: 'Service' }), { channel: 'standard' })).toEqual([]);
    const noKind = grant(apiVersion, { group: '' });
    expect(validateGatewayApiObject(noKind)).toEqual([`${where(noKind)}: spec.to[0].kind: Required value`]);
  });
});

describe('BackendTLSPolicy', () => {
  const policy = (apiVersion: string, validation: any) => ({
    apiVersion,
    kind: 'BackendTLSPolicy',
    metadata: { name: 'api-tls', namespace: 'egress' },
    spec: { targetRefs: [{ group: '', kind: 'Service', name: 'api' }], validation: { hostname: 'api.example.com', ...validation } },
  });

  test('v1 with the system CAs is valid in both channels; v1alpha3 only in experimental', () => {
    expect(validateGatewayApiObject(policy(`${GW}/v1`, { wellKnownCACertificates: 'System' }), { channel: 'standard' })).toEqual([]);
    expect(validateGatewayApiObject(policy(`${GW}/v1alpha3`, { wellKnownCACertificates: 'System' }))).toEqual([]);
    expect(validateGatewayApiObject(policy(`${GW}/v1alpha3`, { wellKnownCACertificates: 'System' }), { channel: 'standard' }))
      .toEqual([expect.stringContaining('no CRD serves gateway.networking.k8s.io/v1alpha3 BackendTLSPolicy in the standard channel')]);
  });

  test('exactly one of caCertificateRefs and wellKnownCACertificates', () => {
    const both = policy(`${GW}/v1`, { wellKnownCACertificates: 'System', caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: 'ca' }] });
    const neither = policy(`${GW}/v1`, {});
    expect(validateGatewayApiObject(both)).toEqual([
      `${where(both)}: spec.validation: Invalid value: "object": must not contain both CACertificateRefs and WellKnownCACertificates`,
    ]);
    expect(validateGatewayApiObject(neither)).toEqual([
      `${where(neither)}: spec.validation: Invalid value: "object": must specify either CACertificateRefs or WellKnownCACertificates`,
    ]);
  });
});

describe('XBackend (experimental, gateway.networking.x-k8s.io)', () => {
  const backend = (portName: string) => ({
    apiVersion: 'gateway.networking.x-k8s.io/v1alpha1',
    kind: 'XBackend',
    metadata: { name: 'api', namespace: 'egress' },
    spec: { type: 'ExternalHostname', externalHostname: { hostname: 'api.example.com' }, port: { name: portName, port: 443 } },
  });

  test('a port name must be a DNS label (format.dns1123Label().validate)', () => {
    expect(validateGatewayApiObject(backend('https'))).toEqual([]);
    expect(validateGatewayApiObject(backend(''))).toEqual([]);
    expect(validateGatewayApiObject(backend('HTTPS'))).toEqual([expect.stringContaining('spec.port.name: Invalid value: "HTTPS": Name must be a valid DNS label')]);
  });
});

describe('through the dispatch', () => {
  test('Gateway API objects are validated (not skipped) by assertValidIstioObjects and validateManifest', () => {
    // GIVEN the egress gateway pattern, with one invalid route
    const objs = [gateway([HTTP_LISTENER, TLS_LISTENER]), toEgressGateway(), fromEgressGateway(), tlsRoute('v1alpha2')];
    expect(assertValidIstioObjects(objs)).toEqual({ validated: 4, istio: 0, gatewayApi: 4, kubernetes: 0 });
    const bad = toEgressGateway({ name: 'api-egress-istio' });

    // WHEN / THEN the invalid one fails the assertion
    expect(validateManifest(bad)).toEqual([`${where(bad)}: spec.rules[0].backendRefs[0]: Invalid value: "object": Must have port for Service reference`]);
    expect(() => assertValidIstioObjects([...objs, bad])).toThrow(/^1 of 5 object\(s\) would be rejected by the API server/);
  });
});
