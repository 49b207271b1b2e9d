/**
 * Shape 2, HTTPS through the egress gateway by SNI, the gateway passing the TLS stream through.
 * Follows Istio's "Egress Gateways" task, section "Egress gateway for HTTPS traffic".
 */
import { App, Chart } from 'cdk8s';
import { EgressGateway, EgressGatewayRoute, EgressPort, ExternalHost } from '../../src';

export function httpsPassthroughChart(app: App): Chart {
  const chart = new Chart(app, 'https-passthrough', { namespace: 'passthrough' });
  const cnn = new ExternalHost(chart, 'Cnn', { hosts: ['edition.cnn.com'], ports: [EgressPort.https(443)] });
  new EgressGatewayRoute(chart, 'ViaEgressGateway', {
    host: cnn,
    gateway: EgressGateway.istioDefault(),
    gatewayMutualTls: false, // as in the task: the sidecar sends the application's TLS as is
  });
  return chart;
}
