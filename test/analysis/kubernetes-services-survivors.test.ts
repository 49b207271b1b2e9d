/**
 * Kubernetes Services for external destinations (kubernetes-services.ts), the cases the other tests leave open:
 * the findings in full (severity, field, value, fix), which Services count as ExternalName aliases (conversion.go
 * ConvertService: type ExternalName and a non-empty externalName), which DestinationRule hosts name a Service, the
 * lockdown of the alias's own namespace only, how EndpointSlices and Endpoints are tied to their Service
 * (endpointslice.go: an empty service-name label is none), and objects missing the parts the checks read.
 */
import { destinationRule, meta, service, serviceEntry, sidecar } from './objects';
import { checkKubernetesServices } from '../../src/analysis/kubernetes-services';
import { ObjectIndex } from '../../src/analysis/model';
import { assertValidIstioObjects } from '../support/crd-validator';
import { helpful } from '../support/findings';

const rows = (objects: any[]) => helpful(checkKubernetesServices(new ObjectIndex(objects)))
  .map(f => [f.index, f.rule, f.severity, f.field, f.value, f.message, f.fix]);
const codes = (objects: any[], rule: string) => rows(objects).filter(r => r[1] === rule).map(r => [r[0], r[3], r[4]]);

const alias = (name = 'my-httpbin', ns = 'default', externalName: unknown = 'httpbin.org') =>
  service(name, ns, { type: 'ExternalName', externalName, ports: [{ name: 'http', port: 80 }] });
const lockdown = (ns: string, hosts: string[]) =>
  sidecar('lockdown', ns, { egress: [{ hosts }], outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } });
const httpbin = (ns: string) => serviceEntry('httpbin', ns, {
  hosts: ['httpbin.org'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'DNS', location: 'MESH_EXTERNAL',
});
const disable = (host: string) => destinationRule('my-httpbin', 'default', { host, trafficPolicy: { tls: { mode: 'DISABLE' } } });
const selectorless = (name: string, ports: any[], extra: Record<string, unknown> = {}) => service(name, 'default', { ports, ...extra });
const slice = (ports: any[], metadata: Record<string, unknown> = { labels: { 'kubernetes.io/service-name': 'my-wikipedia' } }) => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { ...meta('my-wikipedia-abc', 'default'), ...metadata },
  addressType: 'IPv4',
  endpoints: [{ addresses: ['198.35.26.96'] }],
  ports,
});
const TLS = [{ name: 'tls', port: 443 }];

describe('EGR117 ALIAS_UNREGISTERED: which Services are aliases, and where they are locked down', () => {
  test('the finding in full when a ServiceEntry declares the host but the Sidecar does not import it: the fix names its namespace', () => {
    const objects = [alias(), httpbin('istio-system'), lockdown('default', ['./*'])];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([[0, 'ALIAS_UNREGISTERED', 'warning', 'spec.externalName', 'httpbin.org',
      'namespace default is locked down by Sidecar lockdown (REGISTRY_ONLY), and the Sidecar does not import httpbin.org: Istio makes the '
      + 'ExternalName Service default/my-httpbin an alias of httpbin.org, which has no route of its own, so the namespace\'s sidecars block its traffic',
      'add "istio-system/httpbin.org" to the Sidecar\'s egress hosts']]);
  });

  test('the finding in full when no ServiceEntry declares the host: the fix declares it, and says nothing of a dot', () => {
    const objects = [alias(), lockdown('default', ['./*'])];
    assertValidIstioObjects(objects);
    expect(rows(objects).map(r => [r[0], r[1], r[4], r[6]])).toEqual([[0, 'ALIAS_UNREGISTERED', 'httpbin.org',
      'declare httpbin.org in a ServiceEntry (ExternalHost) exported to default, and import it in the Sidecar']]);
  });

  test('a wildcard ServiceEntry of other hosts beside it changes nothing', () => {
    const wildcard = serviceEntry('wild', 'default', {
      hosts: ['*.example.com'], ports: [{ number: 443, name: 'tls', protocol: 'TLS' }], resolution: 'NONE', location: 'MESH_EXTERNAL',
    });
    const objects = [alias(), lockdown('default', ['./*']), wildcard];
    assertValidIstioObjects(objects);
    expect(rows(objects).map(r => [r[0], r[1], r[6]])).toEqual([[0, 'ALIAS_UNREGISTERED',
      'declare httpbin.org in a ServiceEntry (ExternalHost) exported to default, and import it in the Sidecar']]);
  });

  test('Services that are not aliases (other type, even with an externalName) are not checked in a locked-down namespace', () => {
    const objects = [
      selectorless('web', [{ name: 'http', port: 80 }], { selector: { app: 'web' } }),
      selectorless('legacy', [{ name: 'http', port: 80 }], { type: 'ClusterIP', selector: { app: 'legacy' }, externalName: 'httpbin.org' }),
      lockdown('default', ['./*']),
    ];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
  });

  test('an ExternalName Service without an externalName (the API server requires one) is no alias', () => {
    // Malformed: Kubernetes refuses type ExternalName without spec.externalName ("Required value").
    const none = service('none', 'default', { type: 'ExternalName', ports: [{ name: 'http', port: 80 }] });
    expect(rows([none, alias('empty', 'default', ''), lockdown('default', ['./*'])])).toEqual([]);
    // Malformed: a Service without spec.
    expect(rows([{ apiVersion: 'v1', kind: 'Service', metadata: meta('bare', 'default') }, lockdown('default', ['./*'])])).toEqual([]);
  });

  test('only a lockdown of the alias\'s own namespace counts', () => {
    const objects = [alias(), lockdown('other', ['./*'])];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
    expect(codes([alias(), lockdown('other', ['./*']), lockdown('default', ['./*'])], 'ALIAS_UNREGISTERED'))
      .toEqual([[0, 'spec.externalName', 'httpbin.org']]);
  });

  // push_context.go resolveServiceAliases: the alias goes to the service whose host is the externalName as written.
  test('an externalName with a trailing dot is no alias of the host without it: the fix drops the dot', () => {
    const objects = [alias('my-httpbin', 'default', 'httpbin.org.'), lockdown('default', ['./*']), httpbin('default')];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([[0, 'ALIAS_UNREGISTERED', 'warning', 'spec.externalName', 'httpbin.org.',
      'namespace default is locked down by Sidecar lockdown (REGISTRY_ONLY), and no ServiceEntry visible there declares httpbin.org.: Istio makes '
      + 'the ExternalName Service default/my-httpbin an alias of httpbin.org., which has no route of its own, so the namespace\'s sidecars block its traffic',
      'write externalName: httpbin.org (without the trailing dot): Istio matches the alias to ServiceEntry hosts as written']]);
    expect(rows([alias('my-httpbin', 'default', 'httpbin.org'), lockdown('default', ['./*']), httpbin('default')])).toEqual([]);
    const undeclared = [alias('my-httpbin', 'default', 'httpbin.org.'), lockdown('default', ['./*'])];
    expect(rows(undeclared).map(r => r[6])).toEqual(['declare httpbin.org in a ServiceEntry (ExternalHost) exported to default, import it in the Sidecar, '
      + 'and write externalName: httpbin.org (without the trailing dot): Istio matches the alias to ServiceEntry hosts as written']);
  });

  test('a Sidecar or Service without metadata (malformed) is shown, not a crash', () => {
    const bareSidecar = { apiVersion: 'networking.istio.io/v1', kind: 'Sidecar', spec: { egress: [{ hosts: ['./*'] }], outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } } };
    const bareAlias = { apiVersion: 'v1', kind: 'Service', spec: { type: 'ExternalName', externalName: 'httpbin.org' } };
    expect(rows([alias(), bareSidecar]).map(r => r[5])).toEqual([expect.stringContaining('is locked down by Sidecar undefined (REGISTRY_ONLY)')]);
    expect(rows([bareAlias, lockdown('default', ['./*'])]).map(r => r[5]))
      .toEqual([expect.stringContaining('the ExternalName Service default/undefined an alias of httpbin.org')]);
  });
});

describe('EGR115 ALIAS_POLICY: which DestinationRule hosts name an ExternalName Service', () => {
  test('the finding in full: the fix names the external host and the Service', () => {
    const objects = [alias(), disable('my-httpbin')];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([[1, 'ALIAS_POLICY', 'warning', 'spec.host', 'my-httpbin',
      'Service default/my-httpbin is of type ExternalName: Istio treats it as an alias of httpbin.org and builds no cluster for it, '
      + 'so this DestinationRule applies to nothing; traffic to my-httpbin.default.svc.cluster.local takes the rules of httpbin.org.',
      'write the DestinationRule for host httpbin.org (with a ServiceEntry for it), or give Service my-httpbin a selector-less '
      + 'form with endpoints; if the rule is only kept for older Istio versions, acknowledge it']]);
  });

  test('a host that is not the Service\'s cluster.local name, or names no Service, is not the alias', () => {
    const objects = [alias(), disable('my-httpbin.default.svc'), disable('my-httpbin.default.svc.example.org'), disable('nothing.default.svc.cluster.local'),
      disable('my-httpbin.other.svc.cluster.local')];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
  });

  test('Services that are not aliases: another type with an externalName, or no externalName', () => {
    const legacy = selectorless('my-httpbin', [{ name: 'http', port: 80 }], { type: 'ClusterIP', selector: { app: 'legacy' }, externalName: 'httpbin.org' });
    const objects = [legacy, disable('my-httpbin')];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
    // Malformed: Kubernetes refuses type ExternalName without a (non-empty) externalName.
    expect(rows([alias('my-httpbin', 'default', ''), disable('my-httpbin')])).toEqual([]);
    expect(rows([service('my-httpbin', 'default', { type: 'ExternalName', ports: [{ name: 'http', port: 80 }] }), disable('my-httpbin')])).toEqual([]);
    expect(rows([{ apiVersion: 'v1', kind: 'Service', metadata: meta('my-httpbin', 'default') }, disable('my-httpbin')])).toEqual([]);
  });

  test('DestinationRules without a host, and Services without metadata (malformed), are skipped', () => {
    const noSpec = { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: meta('x', 'default') };
    const noHost = destinationRule('y', 'default', { trafficPolicy: { tls: { mode: 'DISABLE' } } });
    const bareService = { apiVersion: 'v1', kind: 'Service', spec: { ports: TLS } };
    expect(rows([alias(), noSpec, noHost, disable('')])).toEqual([]);
    expect(codes([bareService, alias(), disable('my-httpbin')], 'ALIAS_POLICY')).toEqual([[2, 'spec.host', 'my-httpbin']]);
  });
});

describe('EGR116 ENDPOINTS_UNMATCHED: endpoints and the Service they reach', () => {
  test('an EndpointSlice without the label: the finding in full, its value the labels it has', () => {
    const objects = [selectorless('my-wikipedia', TLS), slice(TLS, { labels: { app: 'wikipedia' } })];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([[1, 'ENDPOINTS_UNMATCHED', 'warning', 'metadata.labels', { app: 'wikipedia' },
      'EndpointSlice default/my-wikipedia-abc has no label kubernetes.io/service-name, so it belongs to no Service: Kubernetes and Istio ignore its endpoints.',
      'label it kubernetes.io/service-name: <the Service\'s name>']]);
  });

  test('an empty service-name label is none (endpointslice.go skips a slice whose Service name is empty)', () => {
    const objects = [selectorless('my-wikipedia', TLS), slice(TLS, { labels: { 'kubernetes.io/service-name': '' } })];
    assertValidIstioObjects(objects);
    expect(codes(objects, 'ENDPOINTS_UNMATCHED')).toEqual([[1, 'metadata.labels', { 'kubernetes.io/service-name': '' }]]);
  });

  test('a Service port without endpoint port: the finding in full, "none" when the endpoints list no ports', () => {
    const objects = [selectorless('my-wikipedia', TLS), slice([])];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([[0, 'ENDPOINTS_UNMATCHED', 'warning', 'spec.ports[0].name', 'tls',
      'Service default/my-wikipedia port 443 is named "tls", but no port of its endpoints has that name (they have none): '
      + 'Istio gives the port no endpoint, so its connections fail.',
      'name the endpoint ports as the Service ports they serve']]);
  });

  test('the endpoints are matched to the Service of their name, not to another of the namespace', () => {
    const objects = [selectorless('other', [{ name: 'x', port: 80 }]), selectorless('my-wikipedia', TLS), slice(TLS)];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
  });

  test('an empty selector is none: the Service is checked', () => {
    const objects = [selectorless('my-wikipedia', TLS, { selector: {} }), slice([{ name: 'other', port: 443 }])];
    assertValidIstioObjects(objects);
    expect(codes(objects, 'ENDPOINTS_UNMATCHED')).toEqual([[0, 'spec.ports[0].name', 'tls']]);
  });

  test('endpoints of an ExternalName Service, or of a Service not in the set, are not checked', () => {
    const objects = [alias('my-wikipedia', 'default', 'en.wikipedia.org'), slice([{ name: 'tls', port: 443 }])];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
    const missing = [selectorless('another', TLS), slice([{ name: 'other', port: 443 }])];
    assertValidIstioObjects(missing);
    expect(rows(missing)).toEqual([]);
  });

  test('objects missing the parts the check reads (malformed) are skipped or shown, not a crash', () => {
    // A slice without metadata: it has no label, and is shown as it is.
    const bareSlice = { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', addressType: 'IPv4', endpoints: [], ports: TLS };
    expect(rows([bareSlice])).toEqual([[0, 'ENDPOINTS_UNMATCHED', 'warning', 'metadata.labels', null,
      'EndpointSlice default/undefined has no label kubernetes.io/service-name, so it belongs to no Service: Kubernetes and Istio ignore its endpoints.',
      'label it kubernetes.io/service-name: <the Service\'s name>']]);
    // Endpoints without metadata or without a name belong to no Service (not even one named "undefined").
    const unnamed = [
      selectorless('undefined', TLS),
      { apiVersion: 'v1', kind: 'Endpoints', subsets: [{ addresses: [{ ip: '198.35.26.96' }], ports: [{ name: 'other', port: 443 }] }] },
      { apiVersion: 'v1', kind: 'Endpoints', metadata: { namespace: 'default' }, subsets: [{ ports: [{ name: 'other', port: 443 }] }] },
    ];
    expect(rows(unnamed)).toEqual([]);
    // A Service without metadata before the slice's own, and the slice's Service without spec.
    const bareService = { apiVersion: 'v1', kind: 'Service', spec: { ports: [{ name: 'x', port: 80 }] } };
    expect(rows([bareService, selectorless('my-wikipedia', TLS), slice(TLS)])).toEqual([]);
    expect(rows([{ apiVersion: 'v1', kind: 'Service', metadata: meta('my-wikipedia', 'default') }, slice([{ name: 'other', port: 443 }])])).toEqual([]);
  });
});
