/**
 * Gateway API route backends (gateway-api-backends.ts; pilot/pkg/config/kube/gateway/conversion.go
 * buildDestination, gatewaycommon/references.go BackendAllowed), branch by branch: a backendRef without a
 * name, kinds that are not looked up, a Service of a namespace none of whose Services is known, and a
 * ReferenceGrant `to` entry without a group (the core group).
 */
import { service } from './objects';
import { checkGatewayApiBackends } from '../../src/analysis/gateway-api-backends';
import { ObjectIndex } from '../../src/analysis/model';
import { assertValidIstioObjects } from '../support/crd-validator';
import { helpful } from '../support/findings';

const GW = 'gateway.networking.k8s.io/v1';
const ISTIO = 'networking.istio.io';
const rows = (objects: any[]) => helpful(checkGatewayApiBackends(new ObjectIndex(objects)))
  .map(f => [f.index, f.rule, f.code, f.severity, f.field, f.value, f.message, f.fix]);
const k8sGateway = { apiVersion: GW, kind: 'Gateway', metadata: { name: 'gw', namespace: 'shop' }, spec: { gatewayClassName: 'istio', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] } };
const route = (backendRefs: unknown[]) => ({
  apiVersion: GW, kind: 'HTTPRoute', metadata: { name: 'api', namespace: 'shop' }, spec: { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs }] },
});
const egressApi = service('api', 'egress', { ports: [{ port: 80, name: 'http' }] });
const grant = (to: unknown[]) => ({
  apiVersion: 'gateway.networking.k8s.io/v1beta1',
  kind: 'ReferenceGrant',
  metadata: { name: 'from-shop', namespace: 'egress' },
  spec: { from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'shop' }], to },
});
const toEgressApi = { name: 'api', namespace: 'egress', port: 80 };

describe('ReferenceGrants (GAPI_REFERENCE_GRANT)', () => {
  test('a `to` entry without a group is the core group: it grants a Service', () => {
    expect(rows([k8sGateway, egressApi, route([toEgressApi]), grant([{ kind: 'Service' }])])).toEqual([]);
    const withGroup = [k8sGateway, egressApi, route([toEgressApi]), grant([{ group: '', kind: 'Service' }])];
    assertValidIstioObjects(withGroup);
    expect(rows(withGroup)).toEqual([]);
  });

  test('a `to` entry of another group does not', () => {
    expect(rows([k8sGateway, egressApi, route([toEgressApi]), grant([{ group: ISTIO, kind: 'Service' }])])).toEqual([[2, 'GAPI_REFERENCE_GRANT', 'EGR150', 'error',
      'spec.rules[0].backendRefs[0].namespace', 'egress',
      'backendRef api/egress not accessible to a HTTPRoute in namespace "shop" (missing a ReferenceGrant?)',
      'add a ReferenceGrant in egress from {group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: shop} to {group: "", kind: Service, name: api}']]);
  });
});

describe('backends that are not looked up', () => {
  test('a backendRef without a name is skipped; the next one is still checked', () => {
    expect(rows([k8sGateway, egressApi, route([{ namespace: 'egress', port: 80 }, { name: 'apii', namespace: 'egress', port: 80 }]), grant([{ group: '', kind: 'Service' }])])
      .map(r => [r[4], r[5]])).toEqual([['spec.rules[0].backendRefs[1].name', 'apii']]);
  });

  test.each([
    ['a Hostname with a namespace (the per-object rules reject it)', { group: ISTIO, kind: 'Hostname', name: 'nowhere.example.com', namespace: 'shop', port: 443 }],
    ['a kind Istio resolves elsewhere', { group: 'multicluster.x-k8s.io', kind: 'ServiceImport', name: 'nowhere', port: 80 }],
    ['a Service named by its host name (the per-object rules reject it)', { name: 'nowhere.shop.svc.cluster.local', port: 80 }],
  ])('%s', (_, ref) => {
    const objects = [k8sGateway, service('web', 'shop', { ports: [{ port: 80, name: 'http' }] }), route([ref])];
    expect(rows(objects)).toEqual([]);
    // A Hostname nothing defines, without a namespace, is reported.
    expect(rows([k8sGateway, route([{ group: ISTIO, kind: 'Hostname', name: 'nowhere.example.com', port: 443 }])]).map(r => r[4])).toEqual([
      'spec.rules[0].backendRefs[0].name',
    ]);
  });

  test('a Service of a namespace none of whose Services is known: nothing is claimed', () => {
    const objects = [k8sGateway, route([{ name: 'api', port: 80 }])];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
    expect(rows([...objects, service('web', 'shop', { ports: [{ port: 80, name: 'http' }] })]).map(r => r[6])).toEqual([
      'backend(api.shop.svc.cluster.local) not found: Istio sends the route\'s requests nowhere (HTTP 500)',
    ]);
  });
});
