/**
 * gateway-api-parents.ts called directly: the route kinds each listener protocol takes by default
 * (conditions.go generateSupportedKinds), which parentRefs are looked up among Gateways, ServiceEntries
 * and Services, the findings in full (message and fix), a listener's allowedRoutes selector, and the
 * bi-directional host match. Malformed inputs are only checked not to break the analysis.
 */
import { namespace, service, serviceEntry } from './objects';
import { checkGatewayApiParents, hostnamesIntersect } from '../../src/analysis/gateway-api-parents';
import { ObjectIndex } from '../../src/analysis/model';
import { assertValidIstioObjects } from '../support/crd-validator';
import { helpful } from '../support/findings';

const GW = 'gateway.networking.k8s.io';

function k8sGateway(listeners: unknown[], name = 'egress', ns = 'shop') {
  return { apiVersion: `${GW}/v1`, kind: 'Gateway', metadata: { name, namespace: ns }, spec: { gatewayClassName: 'istio', listeners } };
}
function route(kind: string, parentRefs: unknown[], hostnames?: string[], ns = 'shop') {
  const alpha = kind === 'TLSRoute' || kind === 'TCPRoute';
  const rules = alpha ? { rules: [{ backendRefs: [{ name: 'api', port: 443 }] }] } : {};
  const spec = { parentRefs, ...(hostnames ? { hostnames } : {}), ...rules };
  return { apiVersion: `${GW}/${alpha ? 'v1alpha2' : 'v1'}`, kind, metadata: { name: 'api', namespace: ns }, spec };
}
const listener = (name: string, protocol: string, port: number, extra: Record<string, unknown> = {}) => ({ name, protocol, port, ...extra });
const http = listener('http', 'HTTP', 80);
const cert = { certificateRefs: [{ name: 'api-cert' }] };
const https = listener('https', 'HTTPS', 443, { tls: { mode: 'Terminate', ...cert } });
const toEgress = [{ name: 'egress' }];
const entry = serviceEntry('api', 'shop', { hosts: ['api.example.com'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'DNS' });
const mesh = service('api', 'shop', { selector: { app: 'api' }, ports: [{ port: 80, name: 'http' }] });

const check = (objects: any[]) => helpful(checkGatewayApiParents(new ObjectIndex(objects)));
const rows = (objects: any[]) => check(objects).map(f => [f.index, f.rule, f.severity, f.field, f.value, f.message, f.fix]);
/** The rules found, as `RULE field`. */
const rules = (objects: any[]) => check(objects).map(f => `${f.rule} ${f.field}`);

describe('the kinds each listener protocol takes by default', () => {
  test('HTTP and HTTPS listeners take HTTPRoutes and GRPCRoutes, a TCP listener TCPRoutes', () => {
    for (const [l, kind] of [[http, 'GRPCRoute'], [https, 'HTTPRoute'], [https, 'GRPCRoute'], [listener('tcp', 'TCP', 9000), 'TCPRoute']] as const) {
      const objects = [k8sGateway([l]), route(kind, toEgress)];
      assertValidIstioObjects(objects);
      expect([kind, l.protocol, rules(objects)]).toEqual([kind, l.protocol, []]);
    }
  });

  test('an HTTPS listener that terminates TLS takes no TCPRoute, nor does an HTTP listener', () => {
    for (const l of [https, http]) {
      const objects = [k8sGateway([l]), route('TCPRoute', toEgress)];
      assertValidIstioObjects(objects);
      expect(rules(objects)).toEqual(['GAPI_NOT_ALLOWED spec.parentRefs[0]']);
    }
  });

  test('a kind refused: the finding in full', () => {
    const objects = [k8sGateway([http]), route('TCPRoute', toEgress)];
    expect(rows(objects)).toEqual([[1, 'GAPI_NOT_ALLOWED', 'error', 'spec.parentRefs[0]', 'egress',
      'kind gateway.networking.k8s.io/TCPRoute is not allowed by Gateway shop/egress: Istio does not attach the route',
      'attach it to a listener whose protocol and allowedRoutes.kinds take this kind (HTTP/HTTPS: HTTPRoute, GRPCRoute; TLS: TLSRoute; TCP: TCPRoute)']]);
  });

  test('one listener that takes the route is enough, though another does not take its kind', () => {
    const objects = [k8sGateway([listener('tcp', 'TCP', 9000), http]), route('HTTPRoute', toEgress)];
    assertValidIstioObjects(objects);
    expect(rules(objects)).toEqual([]);
  });

  test('allowedRoutes.kinds on a listener of a protocol not decided here leaves it undecided', () => {
    const objects = [k8sGateway([listener('hbone', 'HBONE', 15008, { allowedRoutes: { kinds: [{ kind: 'TCPRoute' }] } })]), route('HTTPRoute', toEgress)];
    assertValidIstioObjects(objects);
    expect(rules(objects)).toEqual([]);
  });
});

describe('which parentRefs are looked up where', () => {
  const gateway = k8sGateway([http]);

  test('a Service parent is not looked up among the Gateways, nor among the ServiceEntries', () => {
    const objects = [gateway, entry, mesh, route('HTTPRoute', [{ group: '', kind: 'Service', name: 'api', port: 80 }])];
    assertValidIstioObjects(objects);
    expect(rules(objects)).toEqual([]);
  });

  test('a Gateway of another group, or another kind of the Gateway API group, is not looked up as a Gateway', () => {
    const objects = [gateway, route('HTTPRoute', [{ group: 'networking.istio.io', kind: 'Gateway', name: 'other' }, { group: GW, kind: 'Service', name: 'other' }])];
    assertValidIstioObjects(objects);
    expect(rules(objects)).toEqual([]);
  });

  test('only a ServiceEntry of networking.istio.io is looked up among the ServiceEntries', () => {
    const objects = [entry, route('HTTPRoute', [{ group: 'networking.istio.io', kind: 'Sidecar', name: 'other' }, { group: 'example.com', kind: 'ServiceEntry', name: 'other' }])];
    assertValidIstioObjects(objects);
    expect(rules(objects)).toEqual([]);
  });

  test('only a Service of the core group is looked up among the Services', () => {
    const objects = [mesh, route('HTTPRoute', [{ group: '', kind: 'Pod', name: 'other' }])];
    assertValidIstioObjects(objects);
    expect(rules(objects)).toEqual([]);
  });

  test('without routes there is nothing to find', () => {
    expect(check([gateway, entry, mesh])).toEqual([]);
    expect(check([])).toEqual([]);
  });
});

describe('parents and listeners not found: the findings in full', () => {
  test('a ServiceEntry parent missing', () => {
    const objects = [entry, route('HTTPRoute', [{ group: 'networking.istio.io', kind: 'ServiceEntry', name: 'ap' }])];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([[1, 'GAPI_PARENT', 'error', 'spec.parentRefs[0].name', 'ap',
      'parent service entry: "ap" not found in namespace shop: Istio does not attach the HTTPRoute there, so it routes nothing from this parent',
      'name an existing ServiceEntry (or create shop/ap)']]);
  });

  test('a Gateway parent missing', () => {
    const objects = [k8sGateway([http], 'other'), route('GRPCRoute', toEgress)];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([[1, 'GAPI_PARENT', 'error', 'spec.parentRefs[0].name', 'egress',
      'parent Gateway "egress" not found in namespace shop: Istio does not attach the GRPCRoute there, so it routes nothing from this parent',
      'name an existing Gateway (or create shop/egress)']]);
  });

  test('a port no listener has', () => {
    const objects = [k8sGateway([http]), route('HTTPRoute', [{ name: 'egress', port: 8080 }])];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([[1, 'GAPI_PARENT', 'error', 'spec.parentRefs[0].port', 8080, 'port 8080 not found',
      'name a port of a listener of Gateway shop/egress, or leave port out']]);
  });

  test('a sectionName no listener has: the fix lists every listener', () => {
    const objects = [k8sGateway([http, https]), route('HTTPRoute', [{ name: 'egress', sectionName: 'web' }])];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([[1, 'GAPI_PARENT', 'error', 'spec.parentRefs[0].sectionName', 'web', 'sectionName "web" not found',
      'name a listener of Gateway shop/egress (http, https), or leave sectionName out']]);
  });
});

describe('the namespaces a listener admits', () => {
  test('a selector counts only with from: Selector; from: All admits every namespace whatever the selector', () => {
    const all = k8sGateway([listener('http', 'HTTP', 80, {
      allowedRoutes: { namespaces: { from: 'All', selector: { matchLabels: { egress: 'on' } } } },
    })], 'egress', 'egress');
    const objects = [all, namespace('shop', { egress: 'off' }), route('HTTPRoute', [{ name: 'egress', namespace: 'egress' }])];
    assertValidIstioObjects(objects);
    expect(rules(objects)).toEqual([]);
  });
});

describe('hostnamesIntersect', () => {
  test('one route hostname the listener serves is enough', () => {
    expect(hostnamesIntersect('api.example.com', ['other.example.com', 'api.example.com'])).toBe(true);
    expect(hostnamesIntersect('api.example.com', ['api.example.com'])).toBe(true);
  });

  test('names without wildcard match only themselves, not a name they end with or that ends with them', () => {
    expect(hostnamesIntersect('api.example.com', ['www.api.example.com'])).toBe(false);
    expect(hostnamesIntersect('www.api.example.com', ['api.example.com'])).toBe(false);
  });

  test('a wildcard does not cover the domain it is the wildcard of', () => {
    expect(hostnamesIntersect('*.example.com', ['example.com'])).toBe(false);
    expect(hostnamesIntersect('example.com', ['*.example.com'])).toBe(false);
  });

  test('empty names (refused by the schemas) match nothing', () => {
    expect(hostnamesIntersect('', ['api.example.com'])).toBe(false);
    expect(hostnamesIntersect('api.example.com', [''])).toBe(false);
  });
});

describe('malformed input does not break the analysis', () => {
  test('a Gateway without spec: no listener to judge, and sectionName finds none', () => {
    const bare = { apiVersion: `${GW}/v1`, kind: 'Gateway', metadata: { name: 'egress', namespace: 'shop' } };
    expect(check([bare, route('HTTPRoute', toEgress)])).toEqual([]);
    expect(rows([bare, route('HTTPRoute', [{ name: 'egress', sectionName: 'http' }])])).toEqual([[1, 'GAPI_PARENT', 'error',
      'spec.parentRefs[0].sectionName', 'http', 'sectionName "http" not found', 'name a listener of Gateway shop/egress (), or leave sectionName out']]);
  });

  test('listeners that are no objects are left out', () => {
    const gateway = k8sGateway([null, http]);
    expect(check([gateway, route('HTTPRoute', toEgress)])).toEqual([]);
    expect(check([gateway, route('HTTPRoute', [{ name: 'egress', sectionName: 'web' }])]).map(f => f.fix)).toEqual([
      'name a listener of Gateway shop/egress (undefined, http), or leave sectionName out',
    ]);
  });

  test('a hostname or a protocol that is no string, and allowedRoutes.kinds that are no objects, are left out', () => {
    expect(check([k8sGateway([listener('http', 'HTTP', 80, { hostname: 7 })]), route('HTTPRoute', toEgress, ['api.example.com'])])).toEqual([]);
    expect(check([k8sGateway([{ name: 'http', port: 80, protocol: ['HTTP'] }]), route('TCPRoute', toEgress)])).toEqual([]);
    expect(check([k8sGateway([listener('http', 'HTTP', 80, { allowedRoutes: { kinds: ['GRPCRoute'] } })]), route('HTTPRoute', toEgress)])).toEqual([]);
    expect(check([k8sGateway([listener('tls', 'TLS', 443)]), route('TLSRoute', toEgress)])).toEqual([]);
  });
});
