/**
 * Shape 9, wildcard hosts. `*.wikipedia.org` through the egress gateway, served by the one server
 * www.wikipedia.org (an Envoy gateway cannot resolve arbitrary names), and `*.googleapis.com` reached
 * directly with resolution NONE. Follows Istio's "Egress using Wildcard Hosts" task.
 */
import { App, Chart } from 'cdk8s';
import { EgressGateway, EgressGatewayRoute, EgressPort, ExternalHost } from '../../src';

export function wildcardChart(app: App): Chart {
  const chart = new Chart(app, 'wildcard', { namespace: 'wildcard' });
  const wikipedias = new ExternalHost(chart, 'Wikipedias', { hosts: ['*.wikipedia.org'], ports: [EgressPort.https(443)] });
  const server = new ExternalHost(chart, 'WikipediaServer', { hosts: ['www.wikipedia.org'], ports: [EgressPort.https(443)] });
  new EgressGatewayRoute(chart, 'ViaEgressGateway', {
    host: wikipedias,
    servedBy: server,
    gateway: EgressGateway.istioDefault(),
    gatewayMutualTls: false, // as in the task
  });
  new ExternalHost(chart, 'GoogleApis', { hosts: ['*.googleapis.com'], ports: [EgressPort.https(443)] });
  return chart;
}
