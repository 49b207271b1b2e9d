/** IST0108, IST0107 and IST0125: Istio annotations on Kubernetes objects. */
import { deployment, found, namespace, pod, service } from './objects';

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
