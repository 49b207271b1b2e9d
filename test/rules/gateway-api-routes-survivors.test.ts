/**
 * Gateway API route findings the other tests left unpinned, each in full (rule, severity, field, value,
 * message, fix) next to the closest input Istio 1.30.3 accepts: buildDestination of
 * pilot/pkg/config/kube/gateway/conversion.go switches on the backendRef's group and kind (Service,
 * networking.istio.io Hostname, multicluster.x-k8s.io ServiceImport (features.MCSAPIGroup),
 * inference.networking.k8s.io InferencePool (gvk.InferencePool)) and refuses every other one.
 */
import { backendRefsOf, checkRoute } from '../../src/rules/gateway-api/routes';
import { assertValidIstioObjects } from '../support/crd-validator';
import { FindingRow, findingRows } from '../support/findings';

function route(backendRefs: unknown[], kind = 'HTTPRoute'): any {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind,
    metadata: { name: 'api', namespace: 'edge' },
    spec: { parentRefs: [{ name: 'egress' }], rules: [{ backendRefs }] },
  };
}
const findings = (object: any): FindingRow[] => findingRows(checkRoute(object));

/** Accepted by Istio: no finding, and the CRD schema with its CEL rules takes it too. */
function expectAccepted(object: any): void {
  expect(findings(object)).toEqual([]);
  assertValidIstioObjects([object]);
}

const REF = 'spec.rules[0].backendRefs[0]';
const UNSUPPORTED_FIX = 'refer to a Service (group "", kind Service) or to a host (group networking.istio.io, kind Hostname)';
function unsupported(group: string, kind: string): FindingRow {
  return ['GAPI_BACKEND_REF', 'error', REF, { group, kind }, `referencing unsupported backendRef: group "${group}" kind "${kind}"`, UNSUPPORTED_FIX];
}

describe('backendRefs Istio converts', () => {
  test.each<[string, Record<string, unknown>]>([
    ['a ServiceImport', { group: 'multicluster.x-k8s.io', kind: 'ServiceImport', name: 'api', port: 443 }],
    ['an InferencePool', { group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'pool' }],
    ['a Service written out in full', { group: '', kind: 'Service', name: 'api', port: 443 }],
    ['a Hostname with its port', { group: 'networking.istio.io', kind: 'Hostname', name: 'api.example.com', port: 443 }],
  ])('%s', (_, ref) => {
    expectAccepted(route([ref]));
  });
});

describe('backendRefs of a group and kind Istio does not convert', () => {
  test.each<[string, string, string]>([
    ['a ServiceImport of another group', 'example.com', 'ServiceImport'],
    ['another kind of the MCS group', 'multicluster.x-k8s.io', 'ServiceExport'],
    ['an InferencePool of another group', 'inference.networking.x-k8s.io', 'InferencePool'],
    ['another kind of the inference group', 'inference.networking.k8s.io', 'InferenceModel'],
    ['a core kind other than Service', '', 'ConfigMap'],
    ['a Service of the Istio group', 'networking.istio.io', 'Service'],
    ['a ServiceEntry (not a Hostname) of the Istio group', 'networking.istio.io', 'ServiceEntry'],
  ])('%s', (_, group, kind) => {
    const object = route([{ group, kind, name: 'api', port: 443 }]);
    assertValidIstioObjects([object]);
    expect(findings(object)).toEqual([unsupported(group, kind)]);
  });
});

test('a host as Service name: the fix names the Service', () => {
  const object = route([{ name: 'api.edge.svc.cluster.local', port: 443 }]);
  assertValidIstioObjects([object]);
  expect(findings(object)).toEqual([[
    'GAPI_BACKEND_REF', 'error', `${REF}.name`, 'api.edge.svc.cluster.local',
    'service name invalid; the name of the Service must be used, not the hostname.',
    'write the Service\'s name (api) and its namespace in namespace, or use kind: Hostname, group: networking.istio.io for a host',
  ]]);
});

describe('backendRefsOf: the backendRefs as Istio reads them', () => {
  test('group and kind default to the core Service; name and namespace are kept', () => {
    expect(backendRefsOf(route([{ name: 'api', namespace: 'shop', port: 443 }]))).toEqual([
      { field: REF, group: '', kind: 'Service', name: 'api', namespace: 'shop', port: 443 },
    ]);
  });

  // The CRD schema refuses each of these (name and namespace are strings, backendRefs objects, spec required).
  test('a name or namespace that is not a string is left unset', () => {
    expect(backendRefsOf(route([{ name: 7, namespace: 8, port: 443 }]))).toEqual([
      { field: REF, group: '', kind: 'Service', name: undefined, namespace: undefined, port: 443 },
    ]);
  });
  test('a backendRef that is not an object is skipped', () => {
    expect(backendRefsOf(route([null, { name: 'api', port: 443 }]))).toEqual([
      { field: 'spec.rules[0].backendRefs[1]', group: '', kind: 'Service', name: 'api', namespace: undefined, port: 443 },
    ]);
  });
  test('a route without spec has none', () => {
    expect(backendRefsOf({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'api' } } as any)).toEqual([]);
  });
});

describe('input the API server refuses is read without a crash', () => {
  test('a Service backendRef without name', () => {
    expect(findings(route([{ port: 443 }]))).toEqual([]);
  });
  test('a Service backendRef whose name is a number', () => {
    expect(findings(route([{ name: 7, port: 443 }]))).toEqual([]);
  });
  test('a Hostname backendRef whose namespace is a number', () => {
    expect(findings(route([{ group: 'networking.istio.io', kind: 'Hostname', name: 'api.example.com', namespace: 8, port: 443 }]))).toEqual([]);
  });
  test('a route without spec', () => {
    expect(findings({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'api' } })).toEqual([]);
  });
});
