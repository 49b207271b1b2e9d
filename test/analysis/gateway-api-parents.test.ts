/**
 * Whether Gateway API routes attach to their parents (gateway-api-parents.ts), as Istio 1.30 decides
 * it (conversion.go referenceAllowed: port and sectionName first, then a bi-directional wildcard match of
 * the hostnames, then the kinds of conditions.go generateSupportedKinds; namespacesFromSelector):
 * GAPI_PARENT (EGR147), GAPI_NOT_ALLOWED (EGR149), GAPI_HOSTNAME (EGR151).
 */
import { found, namespace, service, serviceEntry } from './objects';
import { analyze } from '../../src/analysis';
import { hostnamesIntersect } from '../../src/analysis/gateway-api-parents';
import { assertValidIstioObjects } from '../support/crd-validator';

const GW = 'gateway.networking.k8s.io/v1';
const CODES = ['EGR147', 'EGR149', 'EGR151'];

function k8sGateway(name: string, ns: string | undefined, listeners: unknown[], gatewayClassName = 'istio') {
  return { apiVersion: GW, kind: 'Gateway', metadata: { name, ...(ns ? { namespace: ns } : {}) }, spec: { gatewayClassName, listeners } };
}
function route(kind: string, ns: string, parentRefs: unknown[], hostnames?: string[]) {
  const apiVersion = kind === 'TLSRoute' || kind === 'TCPRoute' ? 'gateway.networking.k8s.io/v1alpha2' : GW;
  // TCPRoutes and TLSRoutes need rules; their backend here is a Service api on port 443.
  const rules = kind === 'TLSRoute' || kind === 'TCPRoute' ? { rules: [{ backendRefs: [{ name: 'api', port: 443 }] }] } : {};
  return { apiVersion, kind, metadata: { name: 'api', namespace: ns }, spec: { parentRefs, ...(hostnames ? { hostnames } : {}), ...rules } };
}
const listener = (name: string, protocol: string, port: number, extra: Record<string, unknown> = {}) => ({ name, protocol, port, ...extra });
const http = listener('http', 'HTTP', 80, { hostname: 'api.example.com' });
const toEgress = [{ name: 'egress' }];

/** The parent findings as `CODE [index] field: message`. */
const parents = (objects: any[]) => analyze(objects).findings.filter(f => CODES.includes(f.code!)).map(f => `${f.code} [${f.index}] ${f.field}: ${f.message}`);

describe('parents that are not Gateways', () => {
  const mesh = service('api', 'shop', { selector: { app: 'api' }, ports: [{ port: 80, name: 'http' }] });

  test('an existing Service parent (a mesh route) attaches; a missing one of a known namespace does not', () => {
    const objects = [mesh, route('HTTPRoute', 'shop', [{ group: '', kind: 'Service', name: 'api', port: 80 }])];
    expect(parents(objects)).toEqual([]);
    assertValidIstioObjects(objects);
    const missing = analyze([mesh, route('HTTPRoute', 'shop', [{ group: '', kind: 'Service', name: 'ap' }])]).findings.filter(f => f.code === 'EGR147');
    expect(missing.map(({ rule, severity, field, value, message, fix }) => ({ rule, severity, field, value, message, fix }))).toEqual([{
      rule: 'GAPI_PARENT',
      severity: 'error',
      field: 'spec.parentRefs[0].name',
      value: 'ap',
      message: 'parent service: "ap" not found in namespace shop: Istio does not attach the HTTPRoute there, so it routes nothing from this parent',
      fix: 'name an existing Service (or create shop/ap)',
    }]);
  });

  test('a ServiceEntry parent that exists attaches', () => {
    const entry = serviceEntry('api', 'shop', { hosts: ['api.example.com'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'DNS' });
    const objects = [entry, route('HTTPRoute', 'shop', [{ group: 'networking.istio.io', kind: 'ServiceEntry', name: 'api' }])];
    expect(parents(objects)).toEqual([]);
    assertValidIstioObjects(objects);
  });

  test('parents of other kinds are not judged', () => {
    const objects = [mesh, route('HTTPRoute', 'shop', [{ group: 'example.com', kind: 'Proxy', name: 'api' }, { kind: 'Service', name: 'ap' }])];
    expect(parents(objects)).toEqual([]);
  });
});

describe('the listener a parentRef names', () => {
  test('a port that a listener has attaches to that listener; one that none has is not found', () => {
    const gateway = k8sGateway('egress', 'shop', [http, listener('tls', 'TLS', 443, { hostname: 'api.example.com', tls: { mode: 'Passthrough' } })]);
    const objects = [gateway, route('HTTPRoute', 'shop', [{ name: 'egress', port: 80 }], ['api.example.com'])];
    expect(parents(objects)).toEqual([]);
    assertValidIstioObjects(objects);
    // Port 443 is the TLS listener's: found, but it does not take HTTPRoutes.
    expect(parents([gateway, route('HTTPRoute', 'shop', [{ name: 'egress', port: 443 }], ['api.example.com'])])).toEqual([
      'EGR149 [1] spec.parentRefs[0]: kind gateway.networking.k8s.io/HTTPRoute is not allowed by Gateway shop/egress: Istio does not attach the route',
    ]);
  });

  test('waypoints and east-west gateways are not judged here, nor Gateways without listeners', () => {
    const waypoint = k8sGateway('egress', 'shop', [listener('mesh', 'HBONE', 15008)], 'istio-waypoint');
    const objects = [waypoint, route('TCPRoute', 'web', toEgress.map(r => ({ ...r, namespace: 'shop' })))];
    expect(parents(objects)).toEqual([]);
    assertValidIstioObjects(objects);
    expect(parents([k8sGateway('egress', 'shop', [http], 'istio-east-west'), route('TCPRoute', 'web', [{ name: 'egress', namespace: 'shop' }])])).toEqual([]);
    expect(parents([k8sGateway('egress', 'shop', []), route('TCPRoute', 'web', [{ name: 'egress', namespace: 'shop' }])])).toEqual([]);
  });
});

describe('namespaces a listener admits', () => {
  test('without allowedRoutes a listener admits its own namespace only (from: Same)', () => {
    const plain = listener('http', 'HTTP', 80);
    const objects = [k8sGateway('egress', 'shop', [plain]), route('HTTPRoute', 'shop', toEgress)];
    expect(parents(objects)).toEqual([]);
    assertValidIstioObjects(objects);
    const other = [k8sGateway('egress', 'shop', [{ ...plain, allowedRoutes: {} }]), route('HTTPRoute', 'web', [{ name: 'egress', namespace: 'shop' }])];
    expect(analyze(other).findings.filter(f => f.code === 'EGR149').map(({ field, value, severity, message, fix }) => ({ field, value, severity, message, fix }))).toEqual([{
      field: 'spec.parentRefs[0]',
      value: 'egress',
      severity: 'error',
      message: 'namespace "web" is not allowed by Gateway shop/egress (allowedRoutes.namespaces): Istio does not attach the route',
      fix: 'let the listener admit the namespace (allowedRoutes.namespaces.from: All, or a Selector matching web), or move the route to shop',
    }]);
    assertValidIstioObjects(other);
  });

  test('a Gateway without namespace is in default', () => {
    const gateway = k8sGateway('egress', undefined, [listener('http', 'HTTP', 80)]);
    expect(parents([gateway, route('HTTPRoute', 'default', toEgress)])).toEqual([]);
    expect(parents([gateway, route('HTTPRoute', 'shop', [{ name: 'egress', namespace: 'default' }])])).toEqual([
      'EGR149 [1] spec.parentRefs[0]: namespace "shop" is not allowed by Gateway default/egress (allowedRoutes.namespaces): Istio does not attach the route',
    ]);
  });

  test('a selector on the namespace name matches a Namespace without labels (Kubernetes sets kubernetes.io/metadata.name)', () => {
    const bySelector = (name: string) => k8sGateway('egress', 'egress', [listener('http', 'HTTP', 80, {
      allowedRoutes: { namespaces: { from: 'Selector', selector: { matchLabels: { 'kubernetes.io/metadata.name': name } } } },
    })]);
    const shop = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } };
    const objects = [bySelector('shop'), shop, route('HTTPRoute', 'shop', [{ name: 'egress', namespace: 'egress' }])];
    expect(parents(objects)).toEqual([]);
    assertValidIstioObjects(objects);
    expect(parents([bySelector('web'), shop, route('HTTPRoute', 'shop', [{ name: 'egress', namespace: 'egress' }])])).toHaveLength(1);
  });
});

describe('kinds a listener takes', () => {
  const tls = (mode: string) => listener('tls', 'TLS', 443, { hostname: 'api.example.com', tls: { mode, ...(mode === 'Terminate' ? { certificateRefs: [{ name: 'api-cert' }] } : {}) } });

  test('a TLS listener that terminates takes TCPRoutes as well as TLSRoutes', () => {
    const objects = [k8sGateway('egress', 'shop', [tls('Terminate')]), route('TCPRoute', 'shop', toEgress)];
    expect(parents(objects)).toEqual([]);
    expect(parents([k8sGateway('egress', 'shop', [tls('Terminate')]), route('TLSRoute', 'shop', toEgress, ['api.example.com'])])).toEqual([]);
    assertValidIstioObjects(objects);
  });

  test('a TLS passthrough listener takes no TCPRoute', () => {
    const objects = [k8sGateway('egress', 'shop', [tls('Passthrough')]), route('TCPRoute', 'shop', [{ name: 'egress', sectionName: 'tls' }])];
    expect(parents(objects)).toEqual([
      'EGR149 [1] spec.parentRefs[0]: kind gateway.networking.k8s.io/TCPRoute is not allowed by Gateway shop/egress listener tls: Istio does not attach the route',
    ]);
    assertValidIstioObjects(objects);
  });

  test('listeners of protocols not decided here (Istio\'s HBONE, a protocol missing) are not judged', () => {
    const objects = [k8sGateway('egress', 'shop', [listener('hbone', 'HBONE', 15008)]), route('HTTPRoute', 'shop', toEgress)];
    expect(parents(objects)).toEqual([]);
    assertValidIstioObjects(objects);
    expect(parents([k8sGateway('egress', 'shop', [{ name: 'x', port: 80 }]), route('HTTPRoute', 'shop', toEgress)])).toEqual([]);
  });
});

describe('hostnames (GAPI_HOSTNAME)', () => {
  const wildcard = (hostname: string) => k8sGateway('egress', 'shop', [listener('http', 'HTTP', 80, { hostname })]);

  test('wildcards on both sides match when one covers the other', () => {
    for (const [parent, child] of [['*.example.com', '*.api.example.com'], ['*.api.example.com', '*.example.com'], ['*.example.com', 'api.example.com']]) {
      const objects = [wildcard(parent), route('HTTPRoute', 'shop', toEgress, [child])];
      expect(parents(objects)).toEqual([]);
      assertValidIstioObjects(objects);
    }
  });

  test('wildcards that do not overlap do not match', () => {
    const objects = [wildcard('*.example.com'), route('HTTPRoute', 'shop', toEgress, ['*.example.org'])];
    const findings = analyze(objects).findings.filter(f => f.code === 'EGR151');
    expect(findings.map(({ rule, severity, field, value, message, fix }) => ({ rule, severity, field, value, message, fix }))).toEqual([{
      rule: 'GAPI_HOSTNAME',
      severity: 'error',
      field: 'spec.hostnames',
      value: ['*.example.org'],
      message: 'no hostnames matched parent hostname "*.example.com" of Gateway shop/egress: Istio does not attach the HTTPRoute',
      fix: 'give the route a hostname the listener serves (*.example.com), or change the listener\'s hostname',
    }]);
    assertValidIstioObjects(objects);
  });

  test('a listener without hostname, which does not take the kind, is shown as `*` beside the one whose hostname does not match', () => {
    const gateway = k8sGateway('egress', 'shop', [http, listener('tcp', 'TCP', 9000)]);
    expect(parents([gateway, route('HTTPRoute', 'shop', toEgress, ['other.example.com'])])).toEqual([
      'EGR151 [1] spec.hostnames: no hostnames matched parent hostname "api.example.com, *" of Gateway shop/egress: Istio does not attach the HTTPRoute',
    ]);
  });

  test('hostnamesIntersect: `*` or no hostname on either side matches everything; names that are no strings are left out', () => {
    expect(hostnamesIntersect('*', ['api.example.com'])).toBe(true);
    expect(hostnamesIntersect(undefined, ['api.example.com'])).toBe(true);
    expect(hostnamesIntersect('api.example.com', [7])).toBe(true);
    expect(hostnamesIntersect('api.example.com', [7, 'api.example.org'])).toBe(false);
    expect(hostnamesIntersect('api.example.com', ['*'])).toBe(true);
    expect(hostnamesIntersect('*.example.com', ['api.example.org'])).toBe(false);
    expect(hostnamesIntersect('api.example.com', ['*.example.com'])).toBe(true);
  });
});

describe('what the objects do not tell', () => {
  const selecting = k8sGateway('egress', 'egress', [listener('http', 'HTTP', 80, {
    hostname: 'api.example.com', allowedRoutes: { namespaces: { from: 'Selector', selector: { matchLabels: { egress: 'on' } } } },
  })]);
  const fromShop = (hostnames?: string[]) => route('HTTPRoute', 'shop', [{ name: 'egress', namespace: 'egress' }], hostnames);

  test('a Selector with the Namespace known: its labels decide', () => {
    const objects = [selecting, namespace('shop', { egress: 'on' }), fromShop()];
    expect(found('EGR149', objects)).toEqual([]);
    assertValidIstioObjects(objects);
    expect(found('EGR149', [selecting, namespace('shop', { egress: 'off' }), fromShop()])).toHaveLength(1);
  });

  test('a Selector with the Namespace unknown: the namespace is not judged; a hostname that matches no listener still is', () => {
    expect(parents([selecting, fromShop()])).toEqual([]);
    expect(parents([selecting, fromShop(['api.example.com'])])).toEqual([]);
    // Whatever the Namespace's labels, the route does not attach to a listener none of whose hostnames it shares.
    const unmatched = 'EGR151 [1] spec.hostnames: no hostnames matched parent hostname "api.example.com" of Gateway egress/egress: Istio does not attach the HTTPRoute';
    expect(parents([selecting, fromShop(['other.example.com'])])).toEqual([unmatched]);
  });

  test('port and sectionName that no listener has', () => {
    const gateway = k8sGateway('egress', 'shop', [http]);
    expect(parents([gateway, route('HTTPRoute', 'shop', [{ name: 'egress', port: 8080 }])])).toEqual(['EGR147 [1] spec.parentRefs[0].port: port 8080 not found']);
    const findings = analyze([gateway, route('HTTPRoute', 'shop', [{ name: 'egress', sectionName: 'https' }])]).findings.filter(f => f.code === 'EGR147');
    expect(findings.map(({ field, value, message, fix }) => ({ field, value, message, fix }))).toEqual([{
      field: 'spec.parentRefs[0].sectionName', value: 'https', message: 'sectionName "https" not found', fix: 'name a listener of Gateway shop/egress (http), or leave sectionName out',
    }]);
    // A ServiceEntry parent missing from a namespace whose ServiceEntries are known.
    const entry = serviceEntry('api', 'shop', { hosts: ['api.example.com'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'DNS' });
    expect(parents([entry, route('HTTPRoute', 'shop', [{ group: 'networking.istio.io', kind: 'ServiceEntry', name: 'apii' }])])).toEqual([
      'EGR147 [1] spec.parentRefs[0].name: parent service entry: "apii" not found in namespace shop: Istio does not attach the HTTPRoute there, '
      + 'so it routes nothing from this parent',
    ]);
  });

  test('a Gateway of a namespace none of whose Gateways is known is not judged; of a known one, it is missing', () => {
    expect(parents([route('HTTPRoute', 'shop', toEgress)])).toEqual([]);
    expect(parents([k8sGateway('other', 'shop', [http]), route('HTTPRoute', 'shop', toEgress)])).toEqual([
      'EGR147 [1] spec.parentRefs[0].name: parent Gateway "egress" not found in namespace shop: Istio does not attach the HTTPRoute there, so it routes nothing from this parent',
    ]);
    expect(parents([k8sGateway('egress', 'shop', [http])])).toEqual([]);
  });
});

describe('allowedRoutes.kinds', () => {
  const only = (kinds: unknown[]) => k8sGateway('egress', 'shop', [listener('http', 'HTTP', 80, { allowedRoutes: { kinds } })]);

  test('the kinds listed, of the Gateway API group written or left out, are taken', () => {
    const objects = [only([{ kind: 'GRPCRoute' }, { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }]), route('HTTPRoute', 'shop', toEgress)];
    expect(parents(objects)).toEqual([]);
    assertValidIstioObjects(objects);
  });

  test('a kind not listed, or listed with another group, is not', () => {
    expect(parents([only([{ kind: 'GRPCRoute' }]), route('HTTPRoute', 'shop', toEgress)])).toEqual([
      'EGR149 [1] spec.parentRefs[0]: kind gateway.networking.k8s.io/HTTPRoute is not allowed by Gateway shop/egress: Istio does not attach the route',
    ]);
    expect(parents([only([{ group: 'example.com', kind: 'HTTPRoute' }]), route('HTTPRoute', 'shop', toEgress)])).toHaveLength(1);
  });
});
