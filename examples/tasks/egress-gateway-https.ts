/**
 * Istio's "Egress Gateways" task, section "Egress gateway for HTTPS traffic": the application's own
 * TLS on port 443 goes through the egress gateway, which passes it on by SNI.
 */
import { Chart } from 'cdk8s';
import { EgressGatewayRoute, EgressPort, ExportTo, ExternalHost, IEgressGateway } from '../../src';

export function egressGatewayHttps(chart: Chart, gateway: IEgressGateway, host = 'edition.cnn.com'): void {
  const cnn = new ExternalHost(chart, 'Cnn', { hosts: [host], ports: [EgressPort.tls(443)], exportTo: ExportTo.whereUsed() });
  new EgressGatewayRoute(chart, 'ViaEgressGateway', { host: cnn, gateway, gatewayMutualTls: false });
}
