/**
 * Istio annotations (annotations.ts; pkg/config/analysis/analyzers/annotations/annotations.go K8sAnalyzer,
 * pkg/kube/inject/validate.go), the cases the other tests leave open: IST0108 and IST0107 in full, the fix of a
 * misplaced annotation (the pod template for a Deployment, the kinds otherwise), `kubernetes.io/ingress.class`,
 * integers as strconv.ParseUint reads them, every value interceptionMode and merge-metrics take, and objects
 * without metadata.
 */
import { deployment, namespace, pod, service } from './objects';
import { checkAnnotations } from '../../src/analysis/annotations';
import { ObjectIndex } from '../../src/analysis/model';
import { assertValidIstioObjects } from '../support/crd-validator';
import { helpful } from '../support/findings';

const rows = (objects: any[]) => helpful(checkAnnotations(new ObjectIndex(objects)))
  .map(f => [f.index, f.rule, f.code, f.severity, f.field, f.value, f.message, f.fix]);
const annotated = (annotations: Record<string, string>) => pod('app-1', 'shop', { app: 'app' }, { annotations });
const withAnnotations = <T extends { metadata: Record<string, unknown> }>(o: T, annotations: Record<string, string>): T =>
  ({ ...o, metadata: { ...o.metadata, annotations } });

describe('IST0108 and IST0107 in full', () => {
  test('an unknown annotation: a warning naming it', () => {
    const objects = [annotated({ 'sidecar.istio.io/injectt': 'true' })];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([[0, 'IST0108', 'IST0108', 'warning', 'metadata.annotations.sidecar.istio.io/injectt', 'true',
      'Unknown annotation: sidecar.istio.io/injectt', 'correct the name (Istio ignores annotations it does not define), or remove it']]);
  });

  test('an annotation of several kinds on a Pod: the kinds are listed, and the fix names each', () => {
    const objects = [annotated({ 'networking.istio.io/traffic-distribution': 'PreferClose' })];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([[0, 'IST0107', 'IST0107', 'warning', 'metadata.annotations.networking.istio.io/traffic-distribution', 'PreferClose',
      'Misplaced annotation: networking.istio.io/traffic-distribution can only be applied to Namespace, Service, ServiceEntry',
      'put it on a Namespace or a Service or a ServiceEntry']]);
  });

  test('a pod annotation on a Deployment\'s own metadata: move it to the pod template', () => {
    const objects = [withAnnotations(deployment('app', 'shop', { app: 'app' }), { 'sidecar.istio.io/interceptionMode': 'NONE' })];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([[0, 'IST0107', 'IST0107', 'warning', 'metadata.annotations.sidecar.istio.io/interceptionMode', 'NONE',
      'Misplaced annotation: sidecar.istio.io/interceptionMode can only be applied to Pod',
      'move it to spec.template.metadata.annotations, where the pods get it']]);
  });

  test('a pod annotation on a Service: put it on a Pod (the pod template is a Deployment\'s only)', () => {
    const objects = [service('api', 'shop', { ports: [{ port: 80 }] }, { annotations: { 'sidecar.istio.io/inject': 'false' } })];
    assertValidIstioObjects(objects);
    expect(rows(objects).map(r => [r[1], r[6], r[7]])).toEqual([['IST0107',
      'Misplaced annotation: sidecar.istio.io/inject can only be applied to Pod', 'put it on a Pod']]);
  });

  test('a Service annotation on a Deployment: put it on a Service', () => {
    const objects = [withAnnotations(deployment('app', 'shop', { app: 'app' }), { 'networking.istio.io/exportTo': '.' })];
    assertValidIstioObjects(objects);
    expect(rows(objects).map(r => [r[1], r[6], r[7]])).toEqual([['IST0107',
      'Misplaced annotation: networking.istio.io/exportTo can only be applied to Service', 'put it on a Service']]);
  });
});

describe('kubernetes.io/ingress.class: the one annotation outside istio.io that Istio checks', () => {
  test('on a Service it is misplaced (it belongs on an Ingress); other kubernetes.io annotations are not Istio\'s', () => {
    const objects = [
      service('api', 'shop', { ports: [{ port: 80 }] }, { annotations: { 'kubernetes.io/ingress.class': 'istio', 'kubernetes.io/description': 'x' } }),
      withAnnotations(namespace('shop'), { 'kubernetes.io/ingress.class': 'istio' }),
    ];
    assertValidIstioObjects(objects);
    expect(rows(objects).map(r => [r[0], r[1], r[4], r[6], r[7]])).toEqual([
      [1, 'IST0107', 'metadata.annotations.kubernetes.io/ingress.class', 'Misplaced annotation: kubernetes.io/ingress.class can only be applied to Ingress',
        'put it on an Ingress'],
      [0, 'IST0107', 'metadata.annotations.kubernetes.io/ingress.class', 'Misplaced annotation: kubernetes.io/ingress.class can only be applied to Ingress',
        'put it on an Ingress'],
    ]);
  });
});

describe('IST0125: values as the injector parses them', () => {
  test.each(['1.5', '5 ', '1e3', '0x10', '7s'])('readiness periodSeconds %p: strconv.ParseUint takes digits only', value => {
    const objects = [annotated({ 'readiness.status.sidecar.istio.io/periodSeconds': value })];
    assertValidIstioObjects(objects);
    expect(rows(objects).map(r => [r[1], r[6]])).toEqual([['IST0125',
      `Invalid annotation readiness.status.sidecar.istio.io/periodSeconds: "${value}" is not an unsigned 32-bit integer`]]);
  });

  test('a status port of digits then more (80.5, 1e3) is no port', () => {
    expect(rows([annotated({ 'status.sidecar.istio.io/port': '80.5' })]).map(r => r[6]))
      .toEqual(['Invalid annotation status.sidecar.istio.io/port: failed parsing port \'80.5\'']);
    expect(rows([annotated({ 'traffic.sidecar.istio.io/excludeOutboundPorts': '1e3' })]).map(r => r[6]))
      .toEqual(['Invalid annotation traffic.sidecar.istio.io/excludeOutboundPorts: excludeOutboundPorts invalid: failed parsing port \'1e3\'']);
  });

  test.each(['REDIRECT', 'TPROXY', 'NONE'])('interceptionMode %s is accepted', mode => {
    const objects = [annotated({ 'sidecar.istio.io/interceptionMode': mode })];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
  });

  test('interceptionMode: an empty value is refused', () => {
    expect(rows([annotated({ 'sidecar.istio.io/interceptionMode': '' })]).map(r => r[6]))
      .toEqual(['Invalid annotation sidecar.istio.io/interceptionMode: interceptionMode invalid, use REDIRECT,TPROXY,NONE: ']);
  });

  test.each(['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False'])('merge-metrics %p is a boolean (strconv.ParseBool)', value => {
    const objects = [annotated({ 'prometheus.istio.io/merge-metrics': value })];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
  });

  test('merge-metrics: an empty value is no boolean', () => {
    expect(rows([annotated({ 'prometheus.istio.io/merge-metrics': '' })]).map(r => r[6]))
      .toEqual(['Invalid annotation prometheus.istio.io/merge-metrics: "" is not a boolean']);
  });
});

describe('objects without metadata (the API server requires metadata.name; lint reads any YAML)', () => {
  test('are skipped, and the next object is still checked', () => {
    const bare = [{ apiVersion: 'v1', kind: 'Pod', spec: { containers: [] } }, { apiVersion: 'v1', kind: 'Namespace' }];
    expect(rows([...bare, annotated({ 'sidecar.istio.io/injectt': 'true' })]).map(r => [r[0], r[1]])).toEqual([[2, 'IST0108']]);
  });
});
