/**
 * Shape 10, many hosts and ports on one gateway: two hosts of one ExternalHost and a second
 * ExternalHost share the istioctl egress gateway, each with its own Gateway servers and subsets,
 * so that no two Gateways claim the same host and port (IST0145) and each host has one mesh
 * VirtualService (IST0109).
 */
import { App, Chart } from 'cdk8s';
import { EgressGateway, EgressGatewayRoute, EgressPort, ExternalHost } from '../../src';

export function manyHostsChart(app: App): Chart {
  const chart = new Chart(app, 'many-hosts', { namespace: 'payments' });
  const gateway = EgressGateway.istioDefault();
  const stripe = new ExternalHost(chart, 'Stripe', { hosts: ['api.stripe.com', 'files.stripe.com'], ports: [EgressPort.https()] });
  const adyen = new ExternalHost(chart, 'Adyen', { hosts: ['checkout.adyen.com'], ports: [EgressPort.http(), EgressPort.https()] });
  new EgressGatewayRoute(chart, 'StripeViaGateway', { host: stripe, gateway });
  new EgressGatewayRoute(chart, 'AdyenViaGateway', { host: adyen, gateway });
  return chart;
}
