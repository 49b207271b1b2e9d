/**
 * Waypoint enrolment and BackendTLSPolicy targets (gateway-api-waypoints.ts): which objects carry the
 * `istio.io/use-waypoint` label, which listener of a waypoint decides the namespaces it admits
 * (pilot/pkg/serviceregistry/ambient/waypoints.go: the 15008 HBONE listener), which label values bind
 * nothing, and which targetRefs are looked up (backend_policies.go). Malformed inputs are only checked
 * not to break the analysis.
 */
import { namespace, service, serviceEntry } from './objects';
import { checkGatewayApiWaypoints, waypointLabel } from '../../src/analysis/gateway-api-waypoints';
import { ObjectIndex } from '../../src/analysis/model';
import { assertValidIstioObjects } from '../support/crd-validator';
import { helpful } from '../support/findings';

const ISTIO = 'networking.istio.io';
const USE = 'istio.io/use-waypoint';
const USE_NS = 'istio.io/use-waypoint-namespace';

/** A Gateway API Gateway `egress/<name>` of `className` with these listeners. */
function k8sGateway(listeners: unknown[], className = 'istio-waypoint', name = 'waypoint', ns = 'egress') {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name, namespace: ns, labels: { 'istio.io/waypoint-for': 'service' } },
    spec: { gatewayClassName: className, listeners },
  };
}
const mesh = (extra: Record<string, unknown> = {}) => ({ name: 'mesh', port: 15008, protocol: 'HBONE', ...extra });
const ALL = { namespaces: { from: 'All' } };
const entrySpec = { hosts: ['api.example.com'], location: 'MESH_EXTERNAL', resolution: 'DNS', ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }] };
/** A ServiceEntry of `shop` that sends its traffic through the waypoint of `egress`. */
const shopEntry = () => serviceEntry('api', 'shop', entrySpec, { [USE]: 'waypoint', [USE_NS]: 'egress' });

const rows = (objects: any[]) => helpful(checkGatewayApiWaypoints(new ObjectIndex(objects)))
  .map(f => [f.index, f.rule, f.severity, f.field, f.value, f.message, f.fix]);

const NOT_ADMITTED = [1, 'GAPI_WAYPOINT', 'error', `metadata.labels.${USE_NS}`, 'egress',
  'waypoint egress/waypoint does not admit namespace shop: its HBONE listener\'s allowedRoutes take its own namespace only, '
    + 'so Istio does not bind the waypoint and the traffic goes without it',
  'give the waypoint\'s 15008 HBONE listener allowedRoutes.namespaces.from: All (or a Selector matching shop)'];

describe('the listener that decides which namespaces a waypoint admits', () => {
  test('from: All on the HBONE listener admits another namespace', () => {
    const objects = [k8sGateway([mesh({ allowedRoutes: ALL })]), shopEntry()];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
  });

  test('an HBONE listener without allowedRoutes admits its own namespace only', () => {
    const objects = [k8sGateway([mesh()]), shopEntry()];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([NOT_ADMITTED]);
  });

  test('a listener on port 15008 that is not HBONE does not decide, even when it comes first', () => {
    const objects = [k8sGateway([{ name: 'tcp', port: 15008, protocol: 'TCP', allowedRoutes: ALL }, mesh()]), shopEntry()];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([NOT_ADMITTED]);
  });

  test('an HBONE listener on another port does not decide, even when it comes first', () => {
    const objects = [k8sGateway([{ name: 'other', port: 15009, protocol: 'HBONE', allowedRoutes: ALL }, mesh()]), shopEntry()];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([NOT_ADMITTED]);
  });

  test('the HBONE listener decides when it comes after another one that admits fewer namespaces', () => {
    const objects = [k8sGateway([{ name: 'http', port: 80, protocol: 'HTTP' }, mesh({ allowedRoutes: ALL })]), shopEntry()];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
  });

  test('a waypoint without an HBONE listener admits its own namespace only', () => {
    const objects = [k8sGateway([{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: ALL }]), shopEntry()];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([NOT_ADMITTED]);
  });

  test('a Gateway without a spec (refused by the API server) is read as admitting its own namespace only', () => {
    const { spec: _, ...specless } = k8sGateway([]);
    expect(rows([specless, shopEntry()])).toEqual([NOT_ADMITTED]);
  });
});

describe('a waypoint of the object\'s own namespace', () => {
  test('is bound without looking at its listeners', () => {
    const objects = [k8sGateway([mesh()]), serviceEntry('api', 'egress', entrySpec, { [USE]: 'waypoint' })];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
  });

  test('a Gateway that is not of class istio-waypoint is named with a warning', () => {
    const objects = [k8sGateway([{ name: 'http', port: 80, protocol: 'HTTP' }], 'istio'),
      serviceEntry('api', 'egress', entrySpec, { [USE]: 'waypoint' })];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([[1, 'GAPI_WAYPOINT', 'warning', `metadata.labels.${USE}`, 'waypoint',
      'Gateway egress/waypoint is not a waypoint (gatewayClassName istio): traffic does not go through a waypoint',
      'name a Gateway with gatewayClassName: istio-waypoint']]);
  });
});

describe('which objects name a waypoint', () => {
  test('a Service naming a waypoint that does not exist', () => {
    const objects = [k8sGateway([mesh()]), service('api', 'egress', { ports: [{ port: 443, name: 'https' }] }, { labels: { [USE]: 'missing' } })];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([[1, 'GAPI_WAYPOINT', 'error', `metadata.labels.${USE}`, 'missing',
      'no waypoint Gateway egress/missing exists: traffic to it does not go through a waypoint, so its policies are not applied',
      'create a Gateway egress/missing with gatewayClassName: istio-waypoint, or name an existing waypoint']]);
  });

  test('where no Gateway of the waypoint\'s namespace is known, a missing one is not claimed', () => {
    const objects = [k8sGateway([mesh()], 'istio-waypoint', 'waypoint', 'other'), shopEntry(),
      service('api', 'egress', { ports: [{ port: 443, name: 'https' }] }, { labels: { [USE]: 'missing' } })];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
  });

  test('objects without the label, or with none, are not looked up', () => {
    const labelled = (value: string) => service(`s${value.length}`, 'egress', { ports: [{ port: 443, name: 'https' }] }, { labels: { [USE]: value } });
    const objects = [k8sGateway([mesh()]), service('plain', 'egress', { ports: [{ port: 443, name: 'https' }] }), labelled('none'),
      namespace('egress')];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
    // `#none` is not a label value the API server takes, nor a word Istio reserves: it names a waypoint, which does not exist.
    expect(rows([k8sGateway([mesh()]), labelled('#none')]).map(r => r.slice(0, 5))).toEqual([[1, 'GAPI_WAYPOINT', 'error', `metadata.labels.${USE}`, '#none']]);
  });

  // getUseWaypoint reserves `none` only: an empty value is the name of a waypoint, which no Gateway has.
  test('an empty label names no waypoint, whatever Gateways are known', () => {
    const empty = service('api', 'shop', { ports: [{ port: 443, name: 'https' }] }, { labels: { [USE]: '' } });
    const emptyNamespace = namespace('shop', { [USE]: '' });
    assertValidIstioObjects([empty, emptyNamespace]);
    expect(rows([k8sGateway([mesh()]), empty, emptyNamespace])).toEqual([
      [2, 'GAPI_WAYPOINT', 'error', `metadata.labels.${USE}`, '',
        'the label is empty: Istio takes it as the name of a waypoint and finds none, so traffic of the namespace does not go through a waypoint',
        'name a waypoint Gateway, write none to opt out of a waypoint, or remove the label'],
      [1, 'GAPI_WAYPOINT', 'error', `metadata.labels.${USE}`, '',
        'the label is empty: Istio takes it as the name of a waypoint and finds none, so traffic to it does not go through a waypoint, not even its namespace\'s',
        'name a waypoint Gateway, write none to opt out of a waypoint, or remove the label'],
    ]);
  });
});

describe('waypointLabel', () => {
  const of = (metadata: unknown) => waypointLabel({ index: 0, object: { apiVersion: 'v1', kind: 'Service', metadata } as any });

  test('reads the waypoint and its namespace', () => {
    expect(of({ name: 'api', labels: { [USE]: 'waypoint', [USE_NS]: 'egress' } })).toEqual({ name: 'waypoint', namespace: 'egress' });
    expect(of({ name: 'api', labels: { [USE]: 'waypoint' } })).toEqual({ name: 'waypoint', namespace: undefined });
  });

  test('none opts out, an empty value names a waypoint, and a missing label binds nothing', () => {
    expect(['none', '', '#none'].map(value => of({ name: 'api', labels: { [USE]: value } })))
      .toEqual(['none', { name: '', namespace: undefined }, { name: '#none', namespace: undefined }]);
    expect(of({ name: 'api', labels: { other: 'waypoint' } })).toBeUndefined();
    expect(of({ name: 'api' })).toBeUndefined();
  });

  test('malformed metadata and label values (refused by the API server) bind nothing, or no namespace', () => {
    expect(waypointLabel({ index: 0, object: { apiVersion: 'v1', kind: 'Service' } as any })).toBeUndefined();
    expect(of({ name: 'api', labels: { [USE]: 7 } })).toBeUndefined();
    expect(of({ name: 'api', labels: { [USE]: 'waypoint', [USE_NS]: 7 } })).toEqual({ name: 'waypoint', namespace: undefined });
  });
});

describe('BackendTLSPolicy targetRefs', () => {
  const policy = (targetRefs: unknown[]) => ({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'BackendTLSPolicy',
    metadata: { name: 'api-tls', namespace: 'egress' },
    spec: { targetRefs, validation: { hostname: 'api.example.com', wellKnownCACertificates: 'System' } },
  });
  const known = () => [service('api', 'egress', { ports: [{ port: 443, name: 'https' }] }), serviceEntry('api', 'egress', entrySpec)];
  const missing = (i: number, kind: string) => [2, 'GAPI_POLICY_TARGET', 'error', `spec.targetRefs[${i}].name`, 'apii',
    `the BackendTLSPolicy targets ${kind} egress/apii, which does not exist: Istio originates no TLS with it`,
    `name an existing ${kind} of namespace egress (targetRefs refer to the policy's own namespace)`];

  test('a Service and a ServiceEntry that exist are accepted', () => {
    const objects = [...known(), policy([{ group: '', kind: 'Service', name: 'api' }, { group: ISTIO, kind: 'ServiceEntry', name: 'api' }])];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
  });

  test('a ServiceEntry that does not exist', () => {
    const objects = [...known(), policy([{ group: ISTIO, kind: 'ServiceEntry', name: 'apii' }])];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([missing(0, 'ServiceEntry')]);
  });

  test('kinds other than Service of the core group, and Service of another group, are not looked up', () => {
    const objects = [...known(), policy([{ group: '', kind: 'Pod', name: 'apii' }, { group: 'example.com', kind: 'Service', name: 'apii' },
      { group: ISTIO, kind: 'WorkloadEntry', name: 'apii' }, { group: 'example.com', kind: 'ServiceEntry', name: 'apii' }])];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
  });

  test('a reference without a group (refused by the API server) is read as the core group', () => {
    expect(rows([...known(), policy([{ kind: 'Service', name: 'apii' }])])).toEqual([missing(0, 'Service')]);
  });

  test('a policy without a spec (refused by the API server) has no targets', () => {
    const { spec: _, ...specless } = policy([]);
    expect(rows([...known(), specless])).toEqual([]);
  });
});
