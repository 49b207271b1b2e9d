/**
 * Istio's "Egress using Wildcard Hosts" task, section "Wildcard configuration for a single hosting
 * server": every name of the domain goes through the egress gateway to one server, `www.<domain>`
 * (an Envoy gateway cannot resolve arbitrary names of a domain), TLS passed through by SNI.
 */
import { Chart } from 'cdk8s';
import { EgressGatewayRoute, EgressPort, ExportTo, ExternalHost, IEgressGateway } from '../../src';

export function wildcardThroughGateway(chart: Chart, gateway: IEgressGateway, domain = 'wikipedia.org'): void {
  const wikipedias = new ExternalHost(chart, 'Wikipedias', { hosts: [`*.${domain}`], ports: [EgressPort.tls(443)], exportTo: ExportTo.whereUsed() });
  const server = new ExternalHost(chart, 'WikipediaServer', { hosts: [`www.${domain}`], ports: [EgressPort.tls(443)], exportTo: ExportTo.whereUsed() });
  new EgressGatewayRoute(chart, 'ViaEgressGateway', { host: wikipedias, servedBy: server, gateway, gatewayMutualTls: false });
}
