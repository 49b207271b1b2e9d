/**
 * Kubernetes Services for external destinations: a DestinationRule for an ExternalName alias
 * (EGR115), endpoints that do not reach their Service (EGR116), and the protocol Istio reads from a
 * Service port.
 */
import { destinationRule, found, meta, service, serviceEntry, severities, sidecar } from './objects';
import { istioPortProtocol } from '../../src/rules/protocol';
import { assertValidIstioObjects } from '../support/crd-validator';

const alias = service('my-httpbin', 'default', { type: 'ExternalName', externalName: 'httpbin.org', ports: [{ name: 'http', port: 80 }] });
const disable = (host: string) => destinationRule('my-httpbin', 'default', { host, trafficPolicy: { tls: { mode: 'DISABLE' } } });
const selectorless = (ports: any[]) => service('my-wikipedia', 'default', { ports });
const slice = (ports: any[], labels: Record<string, string> | null = { 'kubernetes.io/service-name': 'my-wikipedia' }) => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { ...meta('my-wikipedia', 'default'), ...(labels ? { labels } : {}) },
  addressType: 'IPv4',
  endpoints: [{ addresses: ['198.35.26.96'] }],
  ports,
});
const endpoints = (ports: any[]) => ({
  apiVersion: 'v1', kind: 'Endpoints', metadata: meta('my-wikipedia', 'default'), subsets: [{ addresses: [{ ip: '198.35.26.96' }], ports }],
});

describe('EGR115 ALIAS_POLICY: a DestinationRule for an ExternalName Service', () => {
  const MESSAGE = 'Service default/my-httpbin is of type ExternalName: Istio treats it as an alias of httpbin.org and builds no cluster for it, '
    + 'so this DestinationRule applies to nothing; traffic to my-httpbin.default.svc.cluster.local takes the rules of httpbin.org.';

  test('a rule for the alias host, by full or short name, is reported as a warning', () => {
    expect(found('EGR115', [alias, disable('my-httpbin.default.svc.cluster.local')])).toEqual([`[1] spec.host: ${MESSAGE}`]);
    expect(found('EGR115', [alias, disable('my-httpbin')])).toEqual([`[1] spec.host: ${MESSAGE}`]);
    expect(severities('EGR115', [alias, disable('my-httpbin')])).toEqual(['[1] warning']);
  });

  test('a rule for the external host, or for a Service without type ExternalName, is not', () => {
    const objects = [alias, disable('httpbin.org'), selectorless([{ name: 'tls', port: 443 }]),
      destinationRule('my-wikipedia', 'default', { host: 'my-wikipedia.default.svc.cluster.local', trafficPolicy: { tls: { mode: 'DISABLE' } } })];
    assertValidIstioObjects(objects);
    expect(found('EGR115', objects)).toEqual([]);
    // An ExternalName Service of another namespace: the host names another Service.
    expect(found('EGR115', [alias, disable('my-httpbin.other.svc.cluster.local')])).toEqual([]);
  });
});

describe('EGR116 ENDPOINTS_UNMATCHED: endpoints that do not reach their Service', () => {
  test('endpoint ports named as the Service ports (EndpointSlice or Endpoints, named or both unnamed) are accepted', () => {
    const named = [selectorless([{ name: 'tls', port: 443 }]), slice([{ name: 'tls', port: 443 }])];
    assertValidIstioObjects(named);
    expect(found('EGR116', named)).toEqual([]);
    expect(found('EGR116', [selectorless([{ name: 'tls', port: 443 }]), endpoints([{ name: 'tls', port: 443 }])])).toEqual([]);
    expect(found('EGR116', [selectorless([{ port: 443 }]), endpoints([{ port: 443 }])])).toEqual([]);
  });

  test('a Service port that no endpoint port names gets no endpoint', () => {
    const objects = [selectorless([{ name: 'tls', port: 443 }, { name: 'http', port: 80 }]), slice([{ name: 'https', port: 443 }, { name: 'http', port: 80 }])];
    assertValidIstioObjects(objects);
    expect(found('EGR116', objects)).toEqual([
      '[0] spec.ports[0].name: Service default/my-wikipedia port 443 is named "tls", but no port of its endpoints has that name (they have "https", "http"): '
      + 'Istio gives the port no endpoint, so its connections fail.',
    ]);
    expect(found('EGR116', [selectorless([{ name: 'tls', port: 443 }]), endpoints([{ port: 443 }])])).toEqual([
      '[0] spec.ports[0].name: Service default/my-wikipedia port 443 is named "tls", but no port of its endpoints has that name (they have ""): '
      + 'Istio gives the port no endpoint, so its connections fail.',
    ]);
  });

  test('an EndpointSlice without the service-name label belongs to no Service', () => {
    expect(found('EGR116', [selectorless([{ name: 'tls', port: 443 }]), slice([{ name: 'tls', port: 443 }], null)])).toEqual([
      '[1] metadata.labels: EndpointSlice default/my-wikipedia has no label kubernetes.io/service-name, so it belongs to no Service: '
      + 'Kubernetes and Istio ignore its endpoints.',
    ]);
  });

  test('Services with a selector, ExternalName Services and Services whose endpoints are not in the set are not checked', () => {
    expect(found('EGR116', [service('my-wikipedia', 'default', { selector: { app: 'w' }, ports: [{ name: 'tls', port: 443 }] }),
      slice([{ name: 'other', port: 443 }])])).toEqual([]);
    expect(found('EGR116', [selectorless([{ name: 'tls', port: 443 }])])).toEqual([]);
  });

  test('objects of the wrong shape do not crash the check', () => {
    const odd: any[] = [selectorless([{ name: 'tls', port: 443 }]), { ...slice([]), metadata: 'x' }, { ...endpoints([]), subsets: 'x' },
      { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { labels: { 'kubernetes.io/service-name': 'my-wikipedia' } }, ports: [null, 7] }];
    expect(() => found('EGR116', odd)).not.toThrow();
    // Values whose `toString` is not a function (the fuzzing found these) are shown, not converted.
    const hostile: any[] = [selectorless([{ name: 'tls', port: { toString: {} } }]), slice([{ name: 'other', port: 443 }]),
      { ...slice([]), metadata: { name: { toString: {} }, labels: { toString: '' } } }];
    expect(found('EGR116', hostile)).toEqual([
      '[2] metadata.labels: EndpointSlice default/{"toString":{}} has no label kubernetes.io/service-name, so it belongs to no Service: '
      + 'Kubernetes and Istio ignore its endpoints.',
      '[0] spec.ports[0].name: Service default/my-wikipedia port {"toString":{}} is named "tls", but no port of its endpoints has that name (they have "other"): '
      + 'Istio gives the port no endpoint, so its connections fail.',
    ]);
  });
});

describe('EGR117 ALIAS_UNREGISTERED: an ExternalName Service in a REGISTRY_ONLY namespace', () => {
  const lockdown = (hosts: string[], extra: Record<string, unknown> = {}) =>
    sidecar('default', 'default', { egress: [{ hosts }], outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' }, ...extra });
  const httpbin = (exportTo?: string[]) => serviceEntry('httpbin', 'default', {
    hosts: ['httpbin.org'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'DNS', location: 'MESH_EXTERNAL', ...(exportTo ? { exportTo } : {}),
  });

  test('the external host declared and imported (or the namespace not locked down) is accepted', () => {
    const objects = [alias, httpbin(), lockdown(['./httpbin.org', 'istio-system/*'])];
    assertValidIstioObjects(objects);
    expect(found('EGR117', objects)).toEqual([]);
    expect(found('EGR117', [alias, httpbin(), lockdown(['*/*'])])).toEqual([]);
    expect(found('EGR117', [alias])).toEqual([]);
    expect(found('EGR117', [alias, lockdown(['istio-system/*'], { workloadSelector: { labels: { app: 'curl' } } })])).toEqual([]);
  });

  test('no ServiceEntry for the external host, or one the Sidecar does not import, is reported', () => {
    expect(found('EGR117', [alias, lockdown(['istio-system/*'])])).toEqual([
      '[0] spec.externalName: namespace default is locked down by Sidecar default (REGISTRY_ONLY), and no ServiceEntry visible there declares '
      + 'httpbin.org: Istio makes the ExternalName Service default/my-httpbin an alias of httpbin.org, which has no route of its own, so the '
      + 'namespace\'s sidecars block its traffic',
    ]);
    // Importing everything imports no host that nothing declares.
    expect(found('EGR117', [alias, lockdown(['*/*'])])).toHaveLength(1);
    expect(found('EGR117', [alias, httpbin(['other']), lockdown(['*/*'])])).toHaveLength(1);
    const notImported = [alias, httpbin(), lockdown(['istio-system/*'])];
    expect(found('EGR117', notImported)).toEqual([expect.stringContaining('and the Sidecar does not import httpbin.org:')]);
    expect(severities('EGR117', notImported)).toEqual(['[0] warning']);
  });
});

describe('the protocol Istio reads from a Service port (ConvertProtocol)', () => {
  test.each([
    [80, 'http', undefined, undefined, 'HTTP'],
    [443, 'https-api', undefined, undefined, 'HTTPS'],
    [443, 'TLS', undefined, undefined, 'TLS'],
    [8080, 'grpc-web-x', undefined, undefined, 'GRPC-Web'],
    [9000, 'db', undefined, 'tls', 'TLS'],
    [9000, 'db', undefined, 'kubernetes.io/h2c', 'HTTP2'],
    [3306, 'db', undefined, undefined, 'TCP'],
    [53, 'dns', 'UDP', undefined, 'UDP'],
    [8080, 'web', undefined, undefined, undefined],
    [8080, undefined, undefined, undefined, undefined],
  ])('port %s name %s protocol %s appProtocol %s: %s', (port, name, protocol, appProtocol, expected) => {
    expect(istioPortProtocol(port, name, protocol, appProtocol)).toBe(expected);
  });
});
