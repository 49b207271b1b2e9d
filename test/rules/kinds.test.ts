/**
 * The registry of kinds: the versions it declares are the ones Istio 1.30.3's CRDs serve, the
 * versions the constructs write are those of the generated bindings, and a version the API server
 * does not serve is an error.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { IstioApiVersion } from '../../src/api-version';
import * as networking from '../../src/imports/networking.istio.io';
import * as security from '../../src/imports/security.istio.io';
import * as telemetry from '../../src/imports/telemetry.istio.io';
import { istioApiVersion } from '../../src/private/istio-objects';
import { KINDS, checkObject, kindKeyOf } from '../../src/rules';
import { locateCrdBundle, readCrdBundle } from '../support/crd-bundles';

const bundle = readCrdBundle('1.30.3', locateCrdBundle('1.30.3'));

describe('the registry of kinds', () => {
  const istioKinds = Object.values(KINDS).filter(k => k.group.endsWith('istio.io'));

  test.each(istioKinds.map(k => [k.kind, k]))('%s: every declared version is served by Istio 1.30.3, and every served one is declared', (_, kind) => {
    const served = [...bundle.served.values()].filter(v => v.group === kind.group && v.kind === kind.kind).map(v => v.version).sort();
    expect([...kind.versions].sort()).toEqual(served);
    expect(kind.versions).toContain(kind.legacyVersion);
  });

  test('every Gateway API kind declares the versions the v1.6.1 experimental CRDs serve', () => {
    const file = path.join(__dirname, '../../../shared/gateway-api/experimental-v1.6.1.yaml');
    const served = new Map<string, string[]>();
    for (const doc of YAML.parseAllDocuments(fs.readFileSync(file, 'utf8')).map(d => d.toJSON())) {
      if (doc?.kind === 'CustomResourceDefinition' && doc.spec.group === 'gateway.networking.k8s.io') {
        served.set(doc.spec.names.kind, doc.spec.versions.filter((v: any) => v.served).map((v: any) => v.name).sort());
      }
    }
    const gatewayApiKinds = Object.values(KINDS).filter(k => k.group === 'gateway.networking.k8s.io');
    expect(gatewayApiKinds.length).toBeGreaterThanOrEqual(7);
    for (const kind of gatewayApiKinds) {
      expect([kind.kind, [...kind.versions].sort()]).toEqual([kind.kind, served.get(kind.kind)]);
    }
  });

  test('the constructs write the generated bindings\' apiVersions', () => {
    const bindings = {
      ServiceEntry: [networking.ServiceEntry, networking.ServiceEntryV1Beta1],
      Gateway: [networking.Gateway, networking.GatewayV1Beta1],
      DestinationRule: [networking.DestinationRule, networking.DestinationRuleV1Beta1],
      VirtualService: [networking.VirtualService, networking.VirtualServiceV1Beta1],
      Sidecar: [networking.Sidecar, networking.SidecarV1Beta1],
      AuthorizationPolicy: [security.AuthorizationPolicy, security.AuthorizationPolicyV1Beta1],
      Telemetry: [telemetry.Telemetry, telemetry.TelemetryV1Alpha1],
    } as const;
    for (const [kind, [v1, legacy]] of Object.entries(bindings)) {
      expect(istioApiVersion(kind as keyof typeof bindings, IstioApiVersion.V1)).toBe(v1.GVK.apiVersion);
      expect(istioApiVersion(kind as keyof typeof bindings, IstioApiVersion.V1BETA1)).toBe(legacy.GVK.apiVersion);
    }
  });

  test('kinds are told apart by group: an Istio Gateway is not a Gateway API Gateway, a core Service is not a Knative one', () => {
    expect(kindKeyOf({ apiVersion: 'networking.istio.io/v1', kind: 'Gateway' })).toBe('gateway');
    expect(kindKeyOf({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway' })).toBe('k8sGateway');
    expect(kindKeyOf({ apiVersion: 'gateway.networking.x-k8s.io/v1alpha1', kind: 'Gateway' })).toBeUndefined();
    expect(kindKeyOf({ apiVersion: 'v1', kind: 'Service' })).toBe('service');
    expect(kindKeyOf({ apiVersion: 'serving.knative.dev/v1', kind: 'Service' })).toBeUndefined();
    expect(kindKeyOf({ apiVersion: 'apps/v1', kind: 'Deployment' })).toBe('deployment');
    expect(kindKeyOf({ kind: 'Service' })).toBeUndefined();
  });
});

describe('served versions', () => {
  const entry = (apiVersion: string) => ({
    apiVersion,
    kind: 'ServiceEntry',
    metadata: { name: 'x', namespace: 'default' },
    spec: { hosts: ['api.example.com'], ports: [{ number: 443, name: 'tls', protocol: 'TLS' }], resolution: 'DNS' },
  });

  test.each(['v1', 'v1beta1', 'v1alpha3'])('networking.istio.io/%s is served: no finding', version => {
    expect(checkObject(entry(`networking.istio.io/${version}`))).toEqual([]);
  });

  test('a version Istio does not serve is an error naming the served ones', () => {
    const findings = checkObject(entry('networking.istio.io/v2'));
    expect(findings).toEqual([expect.objectContaining({
      rule: 'API_VERSION',
      severity: 'error',
      field: 'apiVersion',
      value: 'networking.istio.io/v2',
      message: expect.stringContaining('networking.istio.io/v1, networking.istio.io/v1beta1, networking.istio.io/v1alpha3'),
      fix: 'write apiVersion: networking.istio.io/v1',
    })]);
  });

  test('Telemetry v1alpha1 is served, v1beta1 is not', () => {
    const telemetryObject = (apiVersion: string) => ({ apiVersion, kind: 'Telemetry', metadata: { name: 't', namespace: 'istio-system' }, spec: { accessLogging: [{ providers: [{ name: 'envoy' }] }] } });
    expect(checkObject(telemetryObject('telemetry.istio.io/v1alpha1')).filter(f => f.rule === 'API_VERSION')).toEqual([]);
    expect(checkObject(telemetryObject('telemetry.istio.io/v1beta1')).map(f => f.rule)).toContain('API_VERSION');
  });
});
