/**
 * EgressForward: a host's traffic sent to an internal egress firewall or proxy, matched by SNI
 * (HTTPS, TLS) or port (HTTP), as the VirtualService example of Istio's ServiceEntry reference.
 */
import { Duration } from 'cdk8s';
import { EgressForward, EgressPort, ExternalHost, Resolution } from '../src';
import { lintObjects } from '../src/analysis';
import { appWithChart, byKind, oneOfKind, synth, synthError } from './support/synth';

const FIREWALL = 'internal-egress-firewall.ns1.svc.cluster.local';

describe('EgressForward', () => {
  test('the reference example: wikipedia.org and *.wikipedia.org over TLS to the firewall, by SNI', () => {
    const { app, chart } = appWithChart('default');
    const wikipedia = new ExternalHost(chart, 'Wikipedia', {
      hosts: ['wikipedia.org', '*.wikipedia.org'], ports: [EgressPort.tls(443)], resolution: Resolution.NONE,
    });
    const forward = new EgressForward(chart, 'ViaFirewall', { host: wikipedia, serviceName: 'internal-egress-firewall', serviceNamespace: 'ns1' });
    const objects = synth(app);
    const vs = oneOfKind(objects, 'VirtualService');
    expect(vs.metadata.namespace).toBe('default');
    expect(vs.spec).toEqual({
      hosts: ['wikipedia.org', '*.wikipedia.org'],
      tls: [{
        match: [{ port: 443, sniHosts: ['wikipedia.org', '*.wikipedia.org'] }],
        route: [{ destination: { host: FIREWALL, port: { number: 443 } } }],
      }],
    });
    expect(forward.destination).toBe(FIREWALL);
    // The firewall Service is known to exist: the route to it resolves.
    const findings = lintObjects(objects, {
      cluster: [{
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'internal-egress-firewall', namespace: 'ns1' },
        spec: { ports: [{ name: 'tls', port: 443 }] },
      }],
    });
    expect(findings.filter(f => f.severity === 'error')).toEqual([]);
  });

  test('HTTP ports by port with the host\'s timeout, HTTPS by SNI, to one proxy port', () => {
    const { app, chart } = appWithChart('default');
    const host = new ExternalHost(chart, 'Api', {
      hosts: ['api.example.com'], ports: [EgressPort.http(80), EgressPort.https(443)], requestTimeout: Duration.seconds(5),
    });
    new EgressForward(chart, 'ViaProxy', { host, serviceName: 'egress-proxy', serviceNamespace: 'egress', servicePort: 3128 });
    const objects = synth(app);
    expect(byKind(objects, 'VirtualService')).toHaveLength(1);
    expect(oneOfKind(objects, 'VirtualService').spec).toEqual({
      hosts: ['api.example.com'],
      http: [{ match: [{ port: 80 }], route: [{ destination: { host: 'egress-proxy.egress.svc.cluster.local', port: { number: 3128 } } }], timeout: '5s' }],
      tls: [{
        match: [{ port: 443, sniHosts: ['api.example.com'] }],
        route: [{ destination: { host: 'egress-proxy.egress.svc.cluster.local', port: { number: 3128 } } }],
      }],
    });
  });

  test('opaque TCP, unknown ports and bad Service names are refused', () => {
    const { app, chart } = appWithChart('default');
    const host = new ExternalHost(chart, 'Db', { hosts: ['db.example.com'], ports: [EgressPort.tcp(5432)], addresses: ['10.1.2.3'] });
    new EgressForward(chart, 'Forward', { host, serviceName: 'Firewall', serviceNamespace: 'ns1', ports: [5432, 80] });
    const error = synthError(app);
    expect(error).toContain('ports: 5432 (TCP) is opaque TCP: it carries neither SNI nor Host header');
    expect(error).toContain('ports: 80 is not a port of db.example.com (it declares 5432).');
    expect(error).toContain('serviceName = "Firewall" is not a Kubernetes name (a lower-case DNS label).');
  });
});
