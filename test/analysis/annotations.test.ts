/** IST0108, IST0107 and IST0125: Istio annotations on Kubernetes objects. */
import { deployment, found, namespace, pod, service } from './objects';
import { analyze } from '../../src/analysis';
import { assertValidIstioObjects } from '../support/crd-validator';

const annotated = (annotations: Record<string, string>) => pod('app-1', 'shop', { app: 'app' }, { annotations });

describe('Istio annotations', () => {
  test('known annotations on the kinds they apply to, with valid values, are accepted', () => {
    const objects = [
      annotated({
        'traffic.sidecar.istio.io/excludeOutboundIPRanges': '10.0.0.0/8,192.168.0.0/16',
        'traffic.sidecar.istio.io/includeOutboundIPRanges': '*',
        'traffic.sidecar.istio.io/excludeOutboundPorts': '5432, 6379',
        'sidecar.istio.io/interceptionMode': 'TPROXY',
        'sidecar.istio.io/status': '{}',
        'example.com/other': 'x',
      }),
      service('api', 'shop', { ports: [{ port: 80 }] }, { annotations: { 'networking.istio.io/exportTo': '.' } }),
      { ...namespace('shop'), metadata: { name: 'shop', annotations: { 'galley.istio.io/analyze-suppress': 'IST0102' } } },
    ];
    expect(['IST0108', 'IST0107', 'IST0125'].flatMap(code => found(code, objects))).toEqual([]);
  });

  test('a misspelt annotation is unknown', () => {
    expect(found('IST0108', [annotated({ 'traffic.sidecar.istio.io/excludeOutboundIpRanges': '10.0.0.0/8' })])).toEqual([
      '[0] metadata.annotations.traffic.sidecar.istio.io/excludeOutboundIpRanges: Unknown annotation: traffic.sidecar.istio.io/excludeOutboundIpRanges',
    ]);
  });

  test('a pod annotation on a Deployment\'s own metadata, or on a Service, is misplaced', () => {
    const d = deployment('app', 'shop', { app: 'app' }) as any;
    d.metadata.annotations = { 'traffic.sidecar.istio.io/excludeOutboundPorts': '5432' };
    expect(found('IST0107', [d])).toEqual([
      '[0] metadata.annotations.traffic.sidecar.istio.io/excludeOutboundPorts: Misplaced annotation: traffic.sidecar.istio.io/excludeOutboundPorts can only be applied to Pod',
    ]);
    expect(found('IST0107', [service('api', 'shop', { ports: [{ port: 80 }] }, { annotations: { 'sidecar.istio.io/inject': 'false' } })])).toHaveLength(1);
    // On the pod template it is where it belongs (the template is not what this analyzer reads).
    d.metadata.annotations = {};
    d.spec.template.metadata.annotations = { 'traffic.sidecar.istio.io/excludeOutboundPorts': '5432' };
    expect(found('IST0107', [d])).toEqual([]);
  });

  test('values the injector refuses are invalid', () => {
    expect(found('IST0125', [annotated({
      'traffic.sidecar.istio.io/excludeOutboundIPRanges': '10.0.0.0/8, 192.168.0.0/16',
      'traffic.sidecar.istio.io/excludeOutboundPorts': '5432,https',
      'sidecar.istio.io/interceptionMode': 'redirect',
    })])).toEqual([
      '[0] metadata.annotations.traffic.sidecar.istio.io/excludeOutboundIPRanges: Invalid annotation traffic.sidecar.istio.io/excludeOutboundIPRanges: '
      + 'excludeIPRanges invalid: failed parsing cidr \' 192.168.0.0/16\'',
      '[0] metadata.annotations.traffic.sidecar.istio.io/excludeOutboundPorts: Invalid annotation traffic.sidecar.istio.io/excludeOutboundPorts: '
      + 'excludeOutboundPorts invalid: failed parsing port \'https\'',
      '[0] metadata.annotations.sidecar.istio.io/interceptionMode: Invalid annotation sidecar.istio.io/interceptionMode: interceptionMode invalid, use REDIRECT,TPROXY,NONE: redirect',
    ]);
  });
});

describe('IST0125 InvalidAnnotation: every value the injector checks (inject.AnnotationValidation)', () => {
  const invalid = (annotations: Record<string, unknown>) => analyze([annotated(annotations as Record<string, string>)]).findings.filter(f => f.code === 'IST0125');
  const messages = (annotations: Record<string, string>) => invalid(annotations).map(f => f.message);

  test('values the injector takes, empty lists and the `*` of the include annotations among them, are accepted', () => {
    const valid = {
      'status.sidecar.istio.io/port': ' 15020 ',
      'readiness.status.sidecar.istio.io/initialDelaySeconds': '0',
      'readiness.status.sidecar.istio.io/periodSeconds': '4294967295',
      'readiness.status.sidecar.istio.io/failureThreshold': '030',
      'traffic.sidecar.istio.io/includeOutboundIPRanges': '10.0.0.0/8,2001:db8::/32',
      'traffic.sidecar.istio.io/excludeOutboundIPRanges': '',
      'traffic.sidecar.istio.io/includeInboundPorts': '*',
      'traffic.sidecar.istio.io/excludeInboundPorts': '  ',
      'traffic.sidecar.istio.io/excludeOutboundPorts': '0,65535',
      'prometheus.istio.io/merge-metrics': 'T',
    };
    expect(invalid(valid)).toEqual([]);
    expect(messages({ 'traffic.sidecar.istio.io/includeInboundPorts': '8080, 9090', 'prometheus.istio.io/merge-metrics': 'False' })).toEqual([]);
    expect(messages({ 'traffic.sidecar.istio.io/includeOutboundIPRanges': '' })).toEqual([]);
    assertValidIstioObjects([annotated(valid)]);
  });

  test('a status port out of range or not a number', () => {
    const findings = invalid({ 'status.sidecar.istio.io/port': '65536' });
    expect(findings).toEqual([{
      index: 0,
      rule: 'IST0125',
      code: 'IST0125',
      severity: 'warning',
      field: 'metadata.annotations.status.sidecar.istio.io/port',
      value: '65536',
      message: 'Invalid annotation status.sidecar.istio.io/port: failed parsing port \'65536\'',
      fix: 'write the value as the annotation\'s documentation says: the sidecar injector fails on this one',
    }]);
    expect(messages({ 'status.sidecar.istio.io/port': 'http' })).toEqual(['Invalid annotation status.sidecar.istio.io/port: failed parsing port \'http\'']);
  });

  test.each([
    'readiness.status.sidecar.istio.io/initialDelaySeconds',
    'readiness.status.sidecar.istio.io/periodSeconds',
    'readiness.status.sidecar.istio.io/failureThreshold',
  ])('%s: an unsigned 32-bit integer', name => {
    expect(messages({ [name]: '4294967296' })).toEqual([`Invalid annotation ${name}: "4294967296" is not an unsigned 32-bit integer`]);
    // strconv.ParseUint takes no sign and no spaces.
    expect(messages({ [name]: '-1' })).toHaveLength(1);
    expect(messages({ [name]: ' 5' })).toHaveLength(1);
    expect(messages({ [name]: '5s' })).toHaveLength(1);
  });

  test('includeOutboundIPRanges: CIDR blocks with their prefix length, or `*`', () => {
    expect(messages({ 'traffic.sidecar.istio.io/includeOutboundIPRanges': '10.0.0.0/8,10.1.2.3' })).toEqual([
      'Invalid annotation traffic.sidecar.istio.io/includeOutboundIPRanges: includeIPRanges invalid: failed parsing cidr \'10.1.2.3\'',
    ]);
    expect(messages({ 'traffic.sidecar.istio.io/includeOutboundIPRanges': '*,10.0.0.0/8' })).toHaveLength(1);
  });

  test('includeInboundPorts and excludeInboundPorts: port numbers separated by commas', () => {
    expect(messages({ 'traffic.sidecar.istio.io/includeInboundPorts': '8080,*' })).toEqual([
      'Invalid annotation traffic.sidecar.istio.io/includeInboundPorts: includeInboundPorts invalid: failed parsing port \'*\'',
    ]);
    expect(messages({ 'traffic.sidecar.istio.io/excludeInboundPorts': '8080,,9090' })).toEqual([
      'Invalid annotation traffic.sidecar.istio.io/excludeInboundPorts: excludeInboundPorts invalid: failed parsing port \'\'',
    ]);
    expect(messages({ 'traffic.sidecar.istio.io/excludeInboundPorts': '70000' })).toHaveLength(1);
  });

  test('merge-metrics: a boolean as Go\'s strconv.ParseBool reads it', () => {
    expect(messages({ 'prometheus.istio.io/merge-metrics': 'yes' })).toEqual(['Invalid annotation prometheus.istio.io/merge-metrics: "yes" is not a boolean']);
    expect(messages({ 'prometheus.istio.io/merge-metrics': 'tRUE' })).toHaveLength(1);
  });

  test('a value that is no string (the API server keeps annotations as strings) is not judged here', () => {
    expect(invalid({ 'status.sidecar.istio.io/port': 99999, 'prometheus.istio.io/merge-metrics': true })).toEqual([]);
  });
});
