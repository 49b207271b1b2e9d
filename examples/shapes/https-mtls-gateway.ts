/**
 * Shapes 2 and 6, HTTPS through the egress gateway with the library's default: the sidecar wraps the
 * application's TLS in Istio mutual TLS (ISTIO_MUTUAL, SNI api.github.com) so that the gateway sees
 * the workload's identity; the gateway ends the mesh's TLS and forwards the original stream (tcp route).
 */
import { App, Chart } from 'cdk8s';
import { EgressGateway, EgressGatewayRoute, EgressPort, ExternalHost } from '../../src';

export function httpsMtlsGatewayChart(app: App): Chart {
  const chart = new Chart(app, 'https-mtls-gateway', { namespace: 'github' });
  const github = new ExternalHost(chart, 'GitHub', { hosts: ['api.github.com'], ports: [EgressPort.https(443)] });
  new EgressGatewayRoute(chart, 'ViaEgressGateway', { host: github, gateway: EgressGateway.istioDefault() });
  return chart;
}
