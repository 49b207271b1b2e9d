/**
 * The Istio egress lesson (Istio 1.18.2): pods in `default` reach www.wikipedia.org over plain HTTP
 * through the egress gateway. Steps 3 to 6 of the lesson, as constructs.
 */
import { App, Chart } from 'cdk8s';
import { EgressGateway, EgressGatewayRoute, EgressPort, ExternalHost } from '../../src';

export function lessonChart(app: App, id = 'wikipedia-egress'): Chart {
  const chart = new Chart(app, id, { namespace: 'default' });

  // Step 3: the external host, port 80 (HTTP) and 443 (HTTPS), resolved by DNS.
  const wikipedia = new ExternalHost(chart, 'Wikipedia', {
    hosts: ['www.wikipedia.org'],
    ports: [EgressPort.http(80), EgressPort.https(443)],
  });

  // Steps 4 to 6: Gateway, DestinationRule subset and VirtualService for port 80 through the
  // gateway that istioctl installs (istio-system, istio: egressgateway).
  new EgressGatewayRoute(chart, 'ViaEgressGateway', {
    host: wikipedia,
    gateway: EgressGateway.istioDefault(),
    ports: [80],
    // The lesson sends plain HTTP from the sidecars to the gateway; the library's default is mutual TLS.
    gatewayMutualTls: false,
  });
  return chart;
}

if (require.main === module) {
  const app = new App();
  lessonChart(app);
  app.synth();
}
