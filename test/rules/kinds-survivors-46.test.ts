/**
 * The registry of kinds (src/rules/kinds.ts) as the rules use it: each kind's own rules and the fields its
 * schema allows are loaded at the first check and run by `checkObject`; the Kubernetes kinds declare the
 * version Kubernetes 1.33 serves; `apiVersion` splits as apimachinery's schema.ParseGroupVersion splits it,
 * and an object without a string apiVersion is of no kind.
 */
import { checkObject, codeOf } from '../../src/rules';
import { KINDS, apiVersionOf, kindKeyOf, parseApiVersion } from '../../src/rules/kinds';
import { assertValidIstioObjects } from '../support/crd-validator';
import { helpful } from '../support/findings';

const meta = { name: 'x', namespace: 'shop' };
const NETWORKING = 'networking.istio.io/v1';
const GATEWAY_API = 'gateway.networking.k8s.io/v1';
const object = (apiVersion: string, kind: string, spec: unknown) => ({ apiVersion, kind, metadata: meta, spec });
const lines = (manifest: unknown) => helpful(checkObject(manifest as any)).map(f => `${f.rule} ${codeOf(f)} ${f.severity} ${f.field}: ${f.message}`);

describe('each kind\'s own rules run in checkObject (loaded at the first check)', () => {
  test.each<[string, unknown, string]>([
    ['Gateway: an HTTPS server without tls', object(NETWORKING, 'Gateway', {
      selector: { istio: 'egressgateway' },
      servers: [{ port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['api.example.com'] }],
    }), 'GW12 IST0106 error spec.servers[0].tls: server must have TLS settings for HTTPS/TLS protocols'],
    ['VirtualService: an HTTP route without route, redirect or direct response', object(NETWORKING, 'VirtualService', {
      hosts: ['api.example.com'],
      http: [{ match: [{ uri: { prefix: '/' } }] }],
    }), 'VS8 IST0106 error spec.http[0]: HTTP route, redirect or direct_response is required'],
    ['DestinationRule: two subsets of one name', object(NETWORKING, 'DestinationRule', { host: 'api.example.com', subsets: [{ name: 'v1' }, { name: 'v1' }] }),
      'DR4 IST0106 error spec.subsets[1].name: duplicate subset names: v1'],
    ['Sidecar: an empty spec', object(NETWORKING, 'Sidecar', {}), 'SC1 IST0106 error spec: sidecar: empty configuration provided'],
    ['AuthorizationPolicy: DENY without rules', object('security.istio.io/v1', 'AuthorizationPolicy', { action: 'DENY' }),
      'AP4 IST0106 error spec.rules: DENY action without `rules` is meaningless as it will never be triggered, '
      + 'add an empty rule `{}` if you want it be triggered for every request'],
    ['Gateway API Gateway: a UDP listener Istio does not program', object(GATEWAY_API, 'Gateway', {
      gatewayClassName: 'istio',
      listeners: [{ name: 'udp', port: 53, protocol: 'UDP' }],
    }), 'GAPI_PROTOCOL EGR140 error spec.listeners[0].protocol: protocol "UDP" is unsupported'],
    ['HTTPRoute: a host name as Service name', object(GATEWAY_API, 'HTTPRoute', {
      parentRefs: [{ name: 'egress' }],
      rules: [{ backendRefs: [{ name: 'api.example.com', port: 443 }] }],
    }), 'GAPI_BACKEND_REF EGR146 error spec.rules[0].backendRefs[0].name: service name invalid; the name of the Service must be used, not the hostname.'],
    ['BackendTLSPolicy: a target kind Istio does not read', object(GATEWAY_API, 'BackendTLSPolicy', {
      targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'egress' }],
      validation: { hostname: 'api.example.com', wellKnownCACertificates: 'System' },
    }), 'BTP_TARGET_KIND EGR155 error spec.targetRefs[0]: targetRefs invalid: unsupported reference kind: Gateway; Istio originates no TLS for this target'],
  ])('%s', (_, manifest, line) => {
    assertValidIstioObjects([manifest]);
    expect(lines(manifest)).toEqual([line]);
  });

  test('a ReferenceGrant is checked (its schema only) and has no finding', () => {
    const grant = {
      apiVersion: 'gateway.networking.k8s.io/v1beta1',
      kind: 'ReferenceGrant',
      metadata: meta,
      spec: { from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'edge' }], to: [{ group: '', kind: 'Service' }] },
    };
    assertValidIstioObjects([grant]);
    expect(checkObject(grant as any)).toEqual([]);
  });
});

describe('the fields each kind\'s schema allows (EGR002)', () => {
  // Deliberately malformed: the API server refuses (or drops) an unknown field, so no schema check here.
  test('an Istio kind: a misspelt Sidecar field', () => {
    const sidecar = object(NETWORKING, 'Sidecar', { egress: [{ hosts: ['./*'] }], egres: [] });
    expect(checkObject(sidecar as any).map(f => [codeOf(f), f.severity, f.field, f.value])).toEqual([['EGR002', 'error', 'spec.egres', []]]);
  });

  test('a Gateway API kind: a port beside the backendRefs of an HTTPRoute rule', () => {
    const route = object(GATEWAY_API, 'HTTPRoute', { parentRefs: [{ name: 'egress' }], rules: [{ backendRefs: [{ name: 'api', port: 80 }], port: 80 }] });
    expect(checkObject(route as any).map(f => [codeOf(f), f.severity, f.field, f.value])).toEqual([['EGR002', 'error', 'spec.rules[0].port', 80]]);
  });
});

test('the Kubernetes kinds declare v1, the version Kubernetes 1.33 serves', () => {
  const kubernetesKinds = [KINDS.namespace, KINDS.service, KINDS.endpoints, KINDS.endpointSlice, KINDS.secret, KINDS.pod,
    KINDS.deployment, KINDS.statefulSet, KINDS.daemonSet, KINDS.networkPolicy];
  for (const kind of kubernetesKinds) {
    expect([kind.kind, kind.versions]).toEqual([kind.kind, ['v1']]);
  }
  expect(kubernetesKinds.map(k => apiVersionOf(k, k.versions[0]))).toEqual(
    ['v1', 'v1', 'v1', 'discovery.k8s.io/v1', 'v1', 'v1', 'apps/v1', 'apps/v1', 'apps/v1', 'networking.k8s.io/v1']);
});

test('parseApiVersion splits at the slash as schema.ParseGroupVersion does: "/v1" is the core group\'s v1', () => {
  expect(parseApiVersion('/v1')).toEqual({ group: '', version: 'v1' });
  expect(parseApiVersion('v1')).toEqual({ group: '', version: 'v1' });
  expect(parseApiVersion('apps/v1')).toEqual({ group: 'apps', version: 'v1' });
});

test('an object without a string apiVersion, or with an empty one, is of no kind', () => {
  expect(kindKeyOf({ kind: 'Service' } as any)).toBeUndefined();
  // Empty: no group either, not the core group of `v1` (the API server refuses it: apiVersion not set).
  expect(kindKeyOf({ apiVersion: '', kind: 'Service' })).toBeUndefined();
  expect(kindKeyOf({ apiVersion: ['v1'], kind: 'Service' } as any)).toBeUndefined();
  expect(kindKeyOf({ apiVersion: 1, kind: 'Service' } as any)).toBeUndefined();
  expect(kindKeyOf({ apiVersion: 'v1', kind: 'Service' })).toBe('service');
});
