/**
 * Shapes 4 and 7, TLS origination at the egress gateway: the application speaks HTTP; sidecar to
 * gateway is Istio mutual TLS; the gateway opens TLS to the server's 443 and verifies it with the
 * system CA bundle. Follows Istio's "Egress Gateways with TLS Origination" task.
 */
import { App, Chart } from 'cdk8s';
import { EgressGateway, EgressGatewayRoute, EgressPort, ExternalHost, TlsOrigination } from '../../src';

export function tlsOriginationGatewayChart(app: App): Chart {
  const chart = new Chart(app, 'tls-origination-gateway', { namespace: 'tls-gateway' });
  const mdn = new ExternalHost(chart, 'Mdn', { hosts: ['developer.mozilla.org'], ports: [EgressPort.http(80), EgressPort.https(443)] });
  new EgressGatewayRoute(chart, 'ViaEgressGateway', {
    host: mdn,
    gateway: EgressGateway.istioDefault(),
    tlsOrigination: TlsOrigination.simple({ caCertificates: '/etc/ssl/certs/ca-certificates.crt' }),
  });
  return chart;
}
