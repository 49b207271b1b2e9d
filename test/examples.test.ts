/**
 * The example apps reproduce what they claim. The lesson example is the Istio 1.18.2 egress
 * gateway lesson, steps 3 to 6 (resource names may differ; every essential field must match).
 */
import { App } from 'cdk8s';
import { lessonChart } from '../examples/lesson/main';
import { IstioApi, IstioApiVersion } from '../src';
import { oneOfKind, synth } from './support/synth';

describe('examples/lesson', () => {
  test.each([
    [IstioApiVersion.V1, 'networking.istio.io/v1'],
    [IstioApiVersion.V1BETA1, 'networking.istio.io/v1beta1'],
  ])('reproduces the lesson in %s', (version, apiVersion) => {
    // GIVEN
    const app = new App();
    IstioApi.useVersion(app, version);
    lessonChart(app);

    // WHEN
    const objects = synth(app);

    // THEN: exactly the lesson's four objects
    expect(objects.map(o => o.kind)).toEqual(['ServiceEntry', 'Gateway', 'DestinationRule', 'VirtualService']);
    expect(new Set(objects.map(o => o.apiVersion))).toEqual(new Set([apiVersion]));

    // Step 3
    const se = oneOfKind(objects, 'ServiceEntry');
    expect(se.metadata.namespace).toBe('default');
    expect(se.spec.hosts).toEqual(['www.wikipedia.org']);
    expect(se.spec.ports.map((p: any) => [p.number, p.protocol])).toEqual([[80, 'HTTP'], [443, 'HTTPS']]);
    expect(se.spec.resolution).toBe('DNS');

    // Step 4
    const gw = oneOfKind(objects, 'Gateway');
    expect(gw.metadata.namespace).toBe('istio-system');
    expect(gw.spec.selector).toEqual({ istio: 'egressgateway' });
    expect(gw.spec.servers).toHaveLength(1);
    expect(gw.spec.servers[0].port).toMatchObject({ number: 80, protocol: 'HTTP' });
    expect(gw.spec.servers[0].hosts).toEqual(['www.wikipedia.org']);

    // Step 5
    const dr = oneOfKind(objects, 'DestinationRule');
    expect(dr.metadata.namespace).toBe('default');
    expect(dr.spec.host).toBe('istio-egressgateway.istio-system.svc.cluster.local');
    expect(dr.spec.subsets).toHaveLength(1);
    const subset = dr.spec.subsets[0].name;

    // Step 6
    const vs = oneOfKind(objects, 'VirtualService');
    const gatewayRef = `istio-system/${gw.metadata.name}`;
    expect(vs.metadata.namespace).toBe('default');
    expect(vs.spec.hosts).toEqual(['www.wikipedia.org']);
    expect(vs.spec.gateways).toEqual([gatewayRef, 'mesh']);
    expect(vs.spec.http).toEqual([
      {
        match: [{ gateways: ['mesh'], port: 80 }],
        route: [{ destination: { host: 'istio-egressgateway.istio-system.svc.cluster.local', subset, port: { number: 80 } }, weight: 100 }],
      },
      {
        match: [{ gateways: [gatewayRef], port: 80 }],
        route: [{ destination: { host: 'www.wikipedia.org', port: { number: 80 } }, weight: 100 }],
      },
    ]);
  });
});
