/**
 * Istio's "Egress Gateways with TLS Origination" task, section "Perform TLS origination with an
 * egress gateway": the application sends plain HTTP to port 80; the sidecar sends it to the gateway
 * in Istio mutual TLS; the gateway opens TLS to port 443 and verifies the server with the system CA
 * bundle.
 */
import { Chart } from 'cdk8s';
import { EgressAnalysis, EgressGatewayRoute, EgressPort, ExportTo, ExternalHost, IEgressGateway, TlsOrigination } from '../../src';

export function gatewayTlsOrigination(chart: Chart, gateway: IEgressGateway, host = 'edition.cnn.com'): void {
  const cnn = new ExternalHost(chart, 'Cnn', {
    hosts: [host],
    ports: [EgressPort.http(80), EgressPort.https(443)],
    exportTo: ExportTo.whereUsed(),
  });
  new EgressGatewayRoute(chart, 'ViaEgressGateway', {
    host: cnn,
    gateway,
    ports: [80],
    tlsOrigination: TlsOrigination.simple({ caCertificates: '/etc/ssl/certs/ca-certificates.crt' }),
  });
  EgressAnalysis.acknowledge(cnn, 'EGR220', 'as in the task: applications that speak HTTPS themselves go direct');
}
