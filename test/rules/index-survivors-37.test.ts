/**
 * checkObject's served-version check (src/rules/index.ts): an object whose apiVersion the API server serves has no
 * API_VERSION finding (a clean object of every group has none at all), one whose version it does not serve is an
 * error naming the served versions, and an object without a string apiVersion is of no kind and passes.
 */
import { checkObject } from '../../src/rules';
import { assertValidIstioObjects } from '../support/crd-validator';
import { helpful } from '../support/findings';

const httpRoute = (apiVersion: string) => ({
  apiVersion,
  kind: 'HTTPRoute',
  metadata: { name: 'api', namespace: 'shop' },
  spec: { parentRefs: [{ name: 'egress' }], hostnames: ['api.example.com'], rules: [{ backendRefs: [{ name: 'api', port: 443 }] }] },
});
const telemetry = (apiVersion: string) => ({
  apiVersion,
  kind: 'Telemetry',
  metadata: { name: 'logs', namespace: 'istio-system' },
  spec: { accessLogging: [{ providers: [{ name: 'envoy' }] }] },
});
const policy = (apiVersion: string) => ({
  apiVersion,
  kind: 'AuthorizationPolicy',
  metadata: { name: 'allow-shop', namespace: 'shop' },
  spec: { action: 'ALLOW', rules: [{ from: [{ source: { namespaces: ['shop'] } }] }] },
});

describe('a served version is no finding', () => {
  const served = [
    ['HTTPRoute gateway.networking.k8s.io/v1', httpRoute('gateway.networking.k8s.io/v1')],
    ['HTTPRoute gateway.networking.k8s.io/v1beta1', httpRoute('gateway.networking.k8s.io/v1beta1')],
    ['Telemetry telemetry.istio.io/v1', telemetry('telemetry.istio.io/v1')],
    ['Telemetry telemetry.istio.io/v1alpha1', telemetry('telemetry.istio.io/v1alpha1')],
    ['AuthorizationPolicy security.istio.io/v1', policy('security.istio.io/v1')],
    ['AuthorizationPolicy security.istio.io/v1beta1', policy('security.istio.io/v1beta1')],
  ] as const;

  test('the objects are ones the API server accepts', () => {
    assertValidIstioObjects(served.map(([, manifest]) => manifest));
  });

  test.each(served.map(([name, manifest]) => [name, manifest]))('%s: a clean object has no finding at all', (_, manifest) => {
    expect(helpful(checkObject(manifest))).toEqual([]);
  });
});

describe('a version the API server does not serve is an error', () => {
  test('HTTPRoute gateway.networking.k8s.io/v1alpha2: the served versions and the newest to write', () => {
    const manifest = httpRoute('gateway.networking.k8s.io/v1alpha2');
    expect(helpful(checkObject(manifest)).filter(f => f.rule === 'API_VERSION')).toEqual([expect.objectContaining({
      severity: 'error',
      field: 'apiVersion',
      value: 'gateway.networking.k8s.io/v1alpha2',
      message: 'no matches for kind "HTTPRoute" in version "gateway.networking.k8s.io/v1alpha2": '
        + 'Istio 1.30 serves gateway.networking.k8s.io/v1, gateway.networking.k8s.io/v1beta1',
      fix: 'write apiVersion: gateway.networking.k8s.io/v1',
    })]);
  });
});

describe('an object without a string apiVersion is of no kind', () => {
  test.each<[string, unknown]>([
    ['missing', undefined],
    ['empty', ''],
    ['a number', 1],
  ])('apiVersion %s: no finding and no exception', (_, apiVersion) => {
    const manifest = { ...policy('security.istio.io/v1'), apiVersion };
    expect(checkObject(manifest as any)).toEqual([]);
  });
});
