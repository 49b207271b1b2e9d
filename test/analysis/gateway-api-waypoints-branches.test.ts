/**
 * Waypoint enrolment and BackendTLSPolicy targets (gateway-api-waypoints.ts), branch by branch: a
 * waypoint's HBONE listener admitting other namespaces by selector (pilot/pkg/serviceregistry/ambient/
 * waypoints.go makeAllowedRoutes, makeWaypointSelector, AllowsAttachmentFromNamespaceOrLookup), a Namespace
 * without a name, and targetRefs that name nothing a policy attaches to (backend_policies.go).
 */
import { namespace, serviceEntry, service } from './objects';
import { checkGatewayApiWaypoints } from '../../src/analysis/gateway-api-waypoints';
import { ObjectIndex } from '../../src/analysis/model';
import { assertValidIstioObjects } from '../support/crd-validator';
import { helpful } from '../support/findings';

const ISTIO = 'networking.istio.io';

function waypoint(allowedRoutes?: unknown) {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name: 'waypoint', namespace: 'egress', labels: { 'istio.io/waypoint-for': 'service' } },
    spec: {
      gatewayClassName: 'istio-waypoint',
      listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE', ...(allowedRoutes === undefined ? {} : { allowedRoutes }) }],
    },
  };
}
/** A ServiceEntry of `shop` that sends its traffic through the waypoint of `egress`. */
const shopEntry = () => serviceEntry('api', 'shop', {
  hosts: ['api.example.com'],
  location: 'MESH_EXTERNAL',
  resolution: 'DNS',
  ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }],
}, { 'istio.io/use-waypoint': 'waypoint', 'istio.io/use-waypoint-namespace': 'egress' });
const bySelector = (selector: unknown) => ({ namespaces: { from: 'Selector', selector } });

const rows = (objects: any[]) => helpful(checkGatewayApiWaypoints(new ObjectIndex(objects)))
  .map(f => [f.index, f.rule, f.code, f.severity, f.field, f.value, f.message, f.fix]);

const NOT_ADMITTED = [1, 'GAPI_WAYPOINT', 'EGR152', 'error', 'metadata.labels.istio.io/use-waypoint-namespace', 'egress',
  'waypoint egress/waypoint does not admit namespace shop: its HBONE listener\'s allowedRoutes take its own namespace only, '
    + 'so Istio does not bind the waypoint and the traffic goes without it',
  'give the waypoint\'s 15008 HBONE listener allowedRoutes.namespaces.from: All (or a Selector matching shop)'];
/** The same, for a listener that admits namespaces by a selector. */
const NOT_SELECTED = [...NOT_ADMITTED.slice(0, 6),
  'waypoint egress/waypoint does not admit namespace shop: its HBONE listener\'s allowedRoutes take the namespaces its selector matches, '
    + 'not shop, so Istio does not bind the waypoint and the traffic goes without it', NOT_ADMITTED[7]];

describe('a waypoint of another namespace (EGR152)', () => {
  test('namespaces without from: Same, so another namespace is not admitted', () => {
    const objects = [waypoint({ namespaces: {} }), shopEntry()];
    expect(rows(objects)).toEqual([NOT_ADMITTED]);
  });

  test('allowedRoutes without namespaces: Same', () => {
    expect(rows([waypoint({}), shopEntry()])).toEqual([NOT_ADMITTED]);
  });

  test('a selector matching the Namespace\'s labels admits it', () => {
    const objects = [waypoint(bySelector({ matchLabels: { egress: 'allowed' } })), shopEntry(), namespace('shop', { egress: 'allowed' })];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
  });

  test('a selector not matching the Namespace\'s labels does not admit it', () => {
    const objects = [waypoint(bySelector({ matchLabels: { egress: 'allowed' } })), shopEntry(), namespace('shop', { egress: 'denied' })];
    expect(rows(objects)).toEqual([NOT_SELECTED]);
  });

  test('a Namespace without labels matches no label selector, but its kubernetes.io/metadata.name (set by the API server) matches', () => {
    const bare = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } };
    expect(rows([waypoint(bySelector({ matchLabels: { egress: 'allowed' } })), shopEntry(), bare])).toEqual([NOT_SELECTED]);
    const byName = [waypoint(bySelector({ matchLabels: { 'kubernetes.io/metadata.name': 'shop' } })), shopEntry(), bare];
    assertValidIstioObjects(byName);
    expect(rows(byName)).toEqual([]);
  });

  test('without the Namespace object the selector cannot be decided: nothing is claimed', () => {
    const objects = [waypoint(bySelector({ matchLabels: { egress: 'allowed' } })), shopEntry(), namespace('other', { egress: 'denied' })];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
  });
});

describe('a Namespace without a name (EGR152)', () => {
  test('is the default namespace', () => {
    const nameless = { apiVersion: 'v1', kind: 'Namespace', metadata: { labels: { 'istio.io/use-waypoint': 'missing' } } };
    const objects = [nameless, { ...waypoint(), metadata: { name: 'waypoint', namespace: 'default' } }];
    expect(rows(objects)).toEqual([[0, 'GAPI_WAYPOINT', 'EGR152', 'error', 'metadata.labels.istio.io/use-waypoint', 'missing',
      'no waypoint Gateway default/missing exists: traffic of the namespace does not go through a waypoint, so its policies are not applied',
      'create a Gateway default/missing with gatewayClassName: istio-waypoint, or name an existing waypoint']]);
  });
});

describe('BackendTLSPolicy targetRefs (EGR153)', () => {
  const policy = (targetRefs: unknown[]) => ({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'BackendTLSPolicy',
    metadata: { name: 'api-tls', namespace: 'egress' },
    spec: { targetRefs, validation: { hostname: 'api.example.com', wellKnownCACertificates: 'System' } },
  });
  const known = () => service('api', 'egress', { ports: [{ port: 443, name: 'https' }] });

  test('a Service that does not exist', () => {
    expect(rows([known(), policy([{ group: '', kind: 'Service', name: 'apii' }])])).toEqual([[1, 'GAPI_POLICY_TARGET', 'EGR153', 'error',
      'spec.targetRefs[0].name', 'apii',
      'the BackendTLSPolicy targets Service egress/apii, which does not exist: Istio originates no TLS with it',
      'name an existing Service of namespace egress (targetRefs refer to the policy\'s own namespace)']]);
  });

  test('targetRefs that are not references, or have no name, are skipped; the next one is still checked', () => {
    const objects = [known(), policy([null, 'apii', { group: '', kind: 'Service' }, { group: '', kind: 'Service', name: 7 }, { group: '', kind: 'Service', name: 'apii' }])];
    expect(rows(objects).map(r => [r[4], r[5]])).toEqual([['spec.targetRefs[4].name', 'apii']]);
  });

  test('a target of another kind is not looked up', () => {
    const objects = [known(), serviceEntry('api', 'egress', { hosts: ['api.example.com'], location: 'MESH_EXTERNAL', resolution: 'DNS', ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }] }),
      policy([{ group: 'multicluster.x-k8s.io', kind: 'ServiceImport', name: 'apii' }, { group: ISTIO, kind: 'Hostname', name: 'apii' }, { group: 'example.com', kind: 'Service', name: 'apii' }])];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
  });
});
