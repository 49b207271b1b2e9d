/**
 * Gateway API route backends (gateway-api-backends.ts; pilot/pkg/config/kube/gateway/conversion.go
 * buildDestination, route_collections.go, gatewaycommon/references.go BackendAllowed): which parents enforce
 * ReferenceGrants, which grants grant, which backend kinds are looked up, and the findings of Hostname and
 * Service backends in full (found with a port it lacks, hidden, missing, unknown).
 */
import { namespace, service, serviceEntry } from './objects';
import { checkGatewayApiBackends } from '../../src/analysis/gateway-api-backends';
import { ObjectIndex } from '../../src/analysis/model';
import { assertValidIstioObjects } from '../support/crd-validator';
import { helpful } from '../support/findings';

const GW = 'gateway.networking.k8s.io/v1';
const GW_GROUP = 'gateway.networking.k8s.io';
const ISTIO = 'networking.istio.io';
const rows = (objects: any[]) => helpful(checkGatewayApiBackends(new ObjectIndex(objects)))
  .map(f => [f.index, f.rule, f.severity, f.field, f.value, f.message, f.fix]);
const k8sGateway = { apiVersion: GW, kind: 'Gateway', metadata: { name: 'gw', namespace: 'shop' }, spec: { gatewayClassName: 'istio', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] } };
const route = (backendRefs: unknown[], parentRefs: unknown[] = [{ name: 'gw' }]) => ({
  apiVersion: GW, kind: 'HTTPRoute', metadata: { name: 'api', namespace: 'shop' }, spec: { parentRefs, rules: [{ backendRefs }] },
});
const web = service('web', 'shop', { ports: [{ port: 80, name: 'http' }] });
const egressApi = service('api', 'egress', { ports: [{ port: 80, name: 'http' }] });
const toEgressApi = { name: 'api', namespace: 'egress', port: 80 };
const fromShop = { group: GW_GROUP, kind: 'HTTPRoute', namespace: 'shop' };
const grant = (from: unknown[], to: unknown[], name = 'from-shop') => ({
  apiVersion: 'gateway.networking.k8s.io/v1beta1', kind: 'ReferenceGrant', metadata: { name, namespace: 'egress' }, spec: { from, to },
});
const grantRow = (index: number, ref = 'spec.rules[0].backendRefs[0]') => [index, 'GAPI_REFERENCE_GRANT', 'error', `${ref}.namespace`, 'egress',
  'backendRef api/egress not accessible to a HTTPRoute in namespace "shop" (missing a ReferenceGrant?)',
  'add a ReferenceGrant in egress from {group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: shop} to {group: "", kind: Service, name: api}'];
const https = (number: number) => ({ number, name: `https-${number}`, protocol: 'HTTPS' });
const apiEntry = (ns: string, ports: unknown[] | undefined, extra: Record<string, unknown> = {}) =>
  serviceEntry('api', ns, { hosts: ['api.example.com'], location: 'MESH_EXTERNAL', resolution: 'DNS', ...(ports ? { ports } : {}), ...extra });
const hostname = (name: string, port?: number) => ({ group: ISTIO, kind: 'Hostname', name, ...(port === undefined ? {} : { port }) });

describe('which parents enforce ReferenceGrants (route_collections.go: not the mesh)', () => {
  test('a Gateway among the parents is enough, next to a mesh parent', () => {
    const objects = [k8sGateway, web, egressApi, route([toEgressApi], [{ group: '', kind: 'Service', name: 'web' }, { name: 'gw' }])];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([grantRow(3)]);
  });

  test('a ListenerSet parent enforces them too (conversion.go allowedParentReferences: it is a gateway parent)', () => {
    const objects = [web, egressApi, route([toEgressApi], [{ kind: 'ListenerSet', name: 'extra' }])];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([grantRow(2)]);
    expect(rows([...objects, grant([fromShop], [{ group: '', kind: 'Service' }])])).toEqual([]);
  });

  test.each([
    ['a Service parent (the mesh)', { group: '', kind: 'Service', name: 'web' }],
    ['a Gateway of another group (an Istio Gateway, a parent Istio does not take)', { group: ISTIO, kind: 'Gateway', name: 'gw' }],
    ['a Service without group "" (gateway.networking.k8s.io/Service, a parent Istio does not take)', { kind: 'Service', name: 'web' }],
  ])('%s: no grant is needed, the backend is still looked up', (_, parent) => {
    const objects = [k8sGateway, web, egressApi, route([toEgressApi], [parent])];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
    expect(rows([k8sGateway, web, egressApi, route([{ ...toEgressApi, port: 81 }], [parent])]).map(r => [r[1], r[3]]))
      .toEqual([['GAPI_BACKEND', 'spec.rules[0].backendRefs[0].port']]);
  });

  test('a Namespace object (cluster-scoped) does not make the grants of namespace "default" known', () => {
    const objects = [k8sGateway, route([{ name: 'api', namespace: 'default', port: 80 }]), namespace('default')];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
    // An object of namespace default does.
    expect(rows([...objects, service('web', 'default', { ports: [{ port: 80, name: 'http' }] })]).map(r => [r[1], r[4]]))
      .toEqual([['GAPI_REFERENCE_GRANT', 'default']]);
  });
});

describe('which ReferenceGrants grant (BackendAllowed)', () => {
  test('one granting ReferenceGrant among several of the namespace is enough', () => {
    const objects = [k8sGateway, egressApi, route([toEgressApi]),
      grant([{ ...fromShop, kind: 'GRPCRoute' }], [{ group: '', kind: 'Service' }], 'from-grpc'), grant([fromShop], [{ group: '', kind: 'Service' }])];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
  });

  test('one matching `from` entry among several is enough', () => {
    const objects = [k8sGateway, egressApi, route([toEgressApi]), grant([{ ...fromShop, namespace: 'other' }, fromShop], [{ group: '', kind: 'Service' }])];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
  });

  test('one matching `to` entry among several is enough, and a `to` entry may name the Service', () => {
    const objects = [k8sGateway, egressApi, route([toEgressApi]), grant([fromShop], [{ group: ISTIO, kind: 'Hostname' }, { group: '', kind: 'Service', name: 'api' }])];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
  });

  test.each([
    ['of another group', { ...fromShop, group: ISTIO }],
    ['of another route kind', { ...fromShop, kind: 'GRPCRoute' }],
    ['of another namespace', { ...fromShop, namespace: 'other' }],
  ])('a `from` entry %s does not grant', (_, from) => {
    const objects = [k8sGateway, egressApi, route([toEgressApi]), grant([from], [{ group: '', kind: 'Service' }])];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([grantRow(2)]);
  });

  test.each([
    ['of another kind', { group: '', kind: 'Secret' }],
    ['naming another Service', { group: '', kind: 'Service', name: 'web' }],
  ])('a `to` entry %s does not grant', (_, to) => {
    const objects = [k8sGateway, egressApi, route([toEgressApi]), grant([fromShop], [to])];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([grantRow(2)]);
  });

  test('a ReferenceGrant without a spec (the API server requires one) grants nothing, and does not break the analysis', () => {
    const bare = { apiVersion: 'gateway.networking.k8s.io/v1beta1', kind: 'ReferenceGrant', metadata: { name: 'bare', namespace: 'egress' } };
    expect(() => assertValidIstioObjects([bare])).toThrow(/spec/);
    expect(rows([k8sGateway, egressApi, route([toEgressApi]), bare])).toEqual([grantRow(2)]);
  });
});

describe('which backend kinds are looked up', () => {
  test.each([
    ['a Service of group networking.istio.io', { group: ISTIO, kind: 'Service', name: 'nope', port: 80 }],
    ['a kind other than Service of the core group', { group: '', kind: 'ConfigMap', name: 'nope', port: 80 }],
    ['a kind other than Hostname of group networking.istio.io', { group: ISTIO, kind: 'ServiceEntry', name: 'nowhere.example.com', port: 443 }],
    ['a Hostname of another group', { group: 'example.com', kind: 'Hostname', name: 'nowhere.example.com', port: 443 }],
  ])('%s is not looked up', (_, ref) => {
    const objects = [k8sGateway, web, route([ref])];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
  });
});

describe('Hostname backends (GAPI_BACKEND)', () => {
  test('a host a ServiceEntry of the namespace defines, on a port it declares: nothing to say', () => {
    const objects = [k8sGateway, apiEntry('shop', [https(443)]), route([hostname('api.example.com', 443)])];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
  });

  test('a port the host does not declare: the finding names the declared ports, sorted', () => {
    const objects = [k8sGateway, apiEntry('shop', [https(8443), https(443), { number: 80, name: 'http', protocol: 'HTTP' }]),
      route([hostname('api.example.com', 9443)])];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([[2, 'GAPI_BACKEND', 'error', 'spec.rules[0].backendRefs[0].port', 9443,
      'api.example.com declares no port 9443 (it has 80, 443, 8443): Istio has no cluster for api.example.com:9443, so the route\'s traffic goes nowhere',
      'send to a port api.example.com declares (80, 443, 8443), or declare 9443 in its ServiceEntry']]);
  });

  test('a Hostname without a port (the per-object rules report it) is not compared with the declared ports', () => {
    const objects = [k8sGateway, apiEntry('shop', [https(443)]), route([hostname('api.example.com')])];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
  });

  test('a host whose ServiceEntry declares no ports: no port is claimed missing', () => {
    const objects = [k8sGateway, apiEntry('shop', undefined, { resolution: 'NONE' }), route([hostname('api.example.com', 443)])];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
  });

  test('a Service host of a namespace none of whose Services is known: not claimed, noted as unchecked', () => {
    const objects = [k8sGateway, web, route([hostname('api.other.svc.cluster.local', 80)])];
    assertValidIstioObjects(objects);
    const index = new ObjectIndex(objects);
    expect(checkGatewayApiBackends(index)).toEqual([]);
    expect(index.unchecked).toEqual([{ index: 2, field: 'spec.rules[0].backendRefs[0].name', host: 'api.other.svc.cluster.local', namespace: 'other' }]);
  });

  test('a host only a ServiceEntry not exported to the route\'s namespace defines', () => {
    const objects = [k8sGateway, apiEntry('egress', [https(443)], { exportTo: ['.'] }), route([hostname('api.example.com', 443)])];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([[2, 'GAPI_BACKEND', 'error', 'spec.rules[0].backendRefs[0].name', 'api.example.com',
      'backend(api.example.com) not found (it is not exported to namespace shop): Istio sends the route\'s requests nowhere (HTTP 500)',
      'export the ServiceEntry that defines api.example.com to shop']]);
  });

  test('a host nothing defines', () => {
    const objects = [k8sGateway, route([hostname('nowhere.example.com', 443)])];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([[1, 'GAPI_BACKEND', 'error', 'spec.rules[0].backendRefs[0].name', 'nowhere.example.com',
      'backend(nowhere.example.com) not found: Istio sends the route\'s requests nowhere (HTTP 500)',
      'add a ServiceEntry with hosts: [nowhere.example.com] visible to namespace shop']]);
  });
});

describe('Service backends (GAPI_BACKEND)', () => {
  test('a Service the namespace does not have', () => {
    const objects = [k8sGateway, web, route([{ name: 'api', port: 80 }])];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([[2, 'GAPI_BACKEND', 'error', 'spec.rules[0].backendRefs[0].name', 'api',
      'backend(api.shop.svc.cluster.local) not found: Istio sends the route\'s requests nowhere (HTTP 500)',
      'name an existing Service of namespace shop, or create it']]);
  });

  test('a port the Service does not have; a port it has is fine', () => {
    const objects = [k8sGateway, service('web', 'shop', { ports: [{ port: 8080, name: 'alt' }, { port: 80, name: 'http' }] }),
      route([{ name: 'web', port: 81 }, { name: 'web', port: 80 }])];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([[2, 'GAPI_BACKEND', 'error', 'spec.rules[0].backendRefs[0].port', 81,
      'Service shop/web has no port 81 (it has 8080, 80): the route\'s traffic finds no endpoint',
      'use one of the Service\'s ports (8080, 80)']]);
  });

  test('a Service without ports (ExternalName): no port is claimed missing', () => {
    const objects = [k8sGateway, service('web', 'shop', { type: 'ExternalName', externalName: 'web.example.com' }), route([{ name: 'web', port: 80 }])];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
  });

  test('a Service backend without a port (the API server refuses it: "Must have port for Service reference") is not compared', () => {
    expect(() => assertValidIstioObjects([route([{ name: 'web' }])])).toThrow(/Must have port for Service reference/);
    expect(rows([k8sGateway, web, route([{ name: 'web' }])])).toEqual([]);
  });

  test('malformed Services (the API server refuses them) neither break the analysis nor show in the ports named', () => {
    expect(rows([k8sGateway, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' } }, route([{ name: 'web', port: 80 }])]))
      .toEqual([]);
    expect(() => assertValidIstioObjects([service('web', 'shop', { ports: ['http', { port: 80, name: 'http' }] })])).toThrow();
    expect(rows([k8sGateway, service('web', 'shop', { ports: ['http', { port: 80, name: 'http' }] }), route([{ name: 'web', port: 81 }])]).map(r => r[6]))
      .toEqual(['use one of the Service\'s ports (80)']);
  });
});
