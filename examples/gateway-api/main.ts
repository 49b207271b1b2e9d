/**
 * Egress through a Gateway API gateway (sidecar data plane): the same hosts and routes as the
 * shapes with an installed gateway, rendered as the Gateway API tabs of Istio's egress tasks.
 * Istio deploys the gateway from the Gateway (Deployment and Service `egress-istio`).
 * - pypi.org: the application speaks HTTP; sidecar to gateway is Istio mutual TLS
 *   (an HTTPS listener ending ISTIO_MUTUAL); the gateway opens TLS to the server's 443.
 * - registry.npmjs.org: the application's own TLS, passed through the gateway by SNI.
 */
import { App, Chart } from 'cdk8s';
import { EgressGatewayRoute, EgressPort, ExternalHost, GatewayApiEgressGateway, TlsOrigination } from '../../src';

export function gatewayApiChart(app: App): Chart {
  const chart = new Chart(app, 'gateway-api', { namespace: 'gateway-api' });
  const gateway = new GatewayApiEgressGateway(chart, 'EgressGateway', { name: 'egress' });

  const pypi = new ExternalHost(chart, 'PyPI', { hosts: ['pypi.org'], ports: [EgressPort.http(80), EgressPort.https(443)] });
  new EgressGatewayRoute(chart, 'PyPIViaGateway', {
    host: pypi,
    gateway,
    tlsOrigination: TlsOrigination.simple({ caCertificates: '/etc/ssl/certs/ca-certificates.crt' }),
  });

  const npm = new ExternalHost(chart, 'Npm', { hosts: ['registry.npmjs.org'], ports: [EgressPort.https(443)] });
  new EgressGatewayRoute(chart, 'NpmViaGateway', { host: npm, gateway, gatewayMutualTls: false });
  return chart;
}

if (require.main === module) {
  const app = new App();
  gatewayApiChart(app);
  app.synth();
}
