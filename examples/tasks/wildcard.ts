/**
 * Istio's "Egress using Wildcard Hosts" task, section "Wildcard configuration for a single hosting
 * server" (the docs' hosts are *.wikipedia.org and www.wikipedia.org): every name of the domain goes
 * through the egress gateway to one server (an Envoy gateway cannot resolve arbitrary names of a
 * domain), TLS passed through by SNI.
 */
import { Chart } from 'cdk8s';
import { EgressGatewayRoute, EgressPort, ExportTo, ExternalHost, IEgressGateway } from '../../src';

export function wildcardThroughGateway(chart: Chart, gateway: IEgressGateway): void {
  const domain = new ExternalHost(chart, 'Domain', {
    hosts: ['*.wildcard-gateway.example.com'],
    ports: [EgressPort.tls(443)],
    exportTo: ExportTo.whereUsed(),
  });
  const server = new ExternalHost(chart, 'Server', {
    hosts: ['www.wildcard-gateway.example.com'],
    ports: [EgressPort.tls(443)],
    exportTo: ExportTo.whereUsed(),
  });
  new EgressGatewayRoute(chart, 'ViaEgressGateway', { host: domain, servedBy: server, gateway, gatewayMutualTls: false });
}
