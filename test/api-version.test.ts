import { App, Chart } from 'cdk8s';
import { EgressPort, ExternalHost, IstioApi, IstioApiVersion } from '../src';
import { oneOfKind, synth } from './support/synth';

describe('IstioApi', () => {
  test('v1 by default', () => {
    expect(IstioApi.versionOf(new App())).toBe(IstioApiVersion.V1);
  });

  test('a chart can choose its own version', () => {
    // GIVEN
    const app = new App();
    const old = new Chart(app, 'old', { namespace: 'legacy' });
    IstioApi.useVersion(old, IstioApiVersion.V1BETA1);
    const current = new Chart(app, 'current', { namespace: 'shop' });

    // WHEN
    new ExternalHost(old, 'Host', { hosts: ['a.example.com'], ports: [EgressPort.https()] });
    new ExternalHost(current, 'Host', { hosts: ['b.example.com'], ports: [EgressPort.https()] });

    // THEN
    const objects = synth(app);
    expect(objects.map(o => o.apiVersion)).toEqual(['networking.istio.io/v1beta1', 'networking.istio.io/v1']);
    expect(oneOfKind(objects.slice(0, 1), 'ServiceEntry').spec.hosts).toEqual(['a.example.com']);
  });

  test('an unknown version in the context is refused with the fix', () => {
    const app = new App();
    app.node.setContext(IstioApi.CONTEXT_KEY, 'v2');
    const chart = new Chart(app, 'c');
    expect(() => new ExternalHost(chart, 'Host', { hosts: ['a.example.com'], ports: [EgressPort.https()] }))
      .toThrow('[c/Host] context cdk8s-istio-egress:apiVersion = "v2" is not an Istio API version. Fix: use one of v1, v1beta1.');
  });
});
