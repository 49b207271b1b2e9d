/**
 * Shape 5, mutual TLS origination at the egress gateway: the gateway presents a client certificate
 * from the Secret `partner-client-credential`, which must live in the gateway's namespace.
 * Follows Istio's "Egress Gateways with TLS Origination" task, section "Perform mutual TLS origination".
 */
import { App, Chart } from 'cdk8s';
import { EgressGateway, EgressGatewayRoute, EgressPort, ExternalHost, TlsOrigination } from '../../src';

export function mtlsOriginationGatewayChart(app: App): Chart {
  const chart = new Chart(app, 'mtls-origination-gateway', { namespace: 'partners' });
  const partner = new ExternalHost(chart, 'PartnerApi', { hosts: ['partner-api.example.com'], ports: [EgressPort.http(80), EgressPort.https(443)] });
  new EgressGatewayRoute(chart, 'ViaEgressGateway', {
    host: partner,
    gateway: EgressGateway.istioDefault(),
    tlsOrigination: TlsOrigination.mutual({ credentialName: 'partner-client-credential', credentialNamespace: 'istio-system' }),
  });
  return chart;
}
