/**
 * Istio's "Egress Gateways" task, section "Egress gateway for HTTP traffic": port 80 of the host goes
 * through the egress gateway as plain HTTP (the sidecars do not wrap it in Istio mutual TLS, as in the
 * task); port 443 stays direct, as in the task.
 */
import { Chart } from 'cdk8s';
import { EgressAnalysis, EgressGatewayRoute, EgressPort, ExportTo, ExternalHost, IEgressGateway } from '../../src';

export function egressGatewayHttp(chart: Chart, gateway: IEgressGateway, host = 'edition.cnn.com'): void {
  const cnn = new ExternalHost(chart, 'Cnn', {
    hosts: [host],
    ports: [EgressPort.http(80), EgressPort.https(443)],
    exportTo: ExportTo.whereUsed(),
  });
  new EgressGatewayRoute(chart, 'ViaEgressGateway', { host: cnn, gateway, ports: [80], gatewayMutualTls: false });
  EgressAnalysis.acknowledge(cnn, 'EGR220', 'as in the task: only port 80 goes through the gateway, HTTPS goes direct');
}
