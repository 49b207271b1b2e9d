/**
 * A locked-down namespace: `shop` gets sidecars, may reach only two external hosts, and cannot go
 * around the mesh. The payment API goes through the egress gateway, where only the checkout
 * service account may use it; the exchange-rate API is reached directly, at its published addresses.
 */
import { App, Chart } from 'cdk8s';
import {
  EgressClient, EgressGateway, EgressGatewayAccessLog, EgressGatewayDefaultDeny, EgressGatewayRoute, EgressLockdown, EgressPort, ExportTo,
  ExternalHost, IstioInstallOverlay, MeshNamespace, Resolution,
} from '../../src';

export function lockdownChart(app: App): Chart {
  const chart = new Chart(app, 'locked-down-namespace', { namespace: 'shop' });
  const gateway = EgressGateway.istioDefault();

  new MeshNamespace(chart, 'Shop', { name: 'shop' });

  const payments = new ExternalHost(chart, 'Payments', {
    hosts: ['api.payments.example.com'],
    ports: [EgressPort.https()],
    exportTo: ExportTo.whereUsed(),
  });
  new EgressGatewayRoute(chart, 'PaymentsViaGateway', {
    host: payments,
    gateway,
    allowedClients: [EgressClient.serviceAccount('shop', 'checkout')],
  });

  // Reached directly: the NetworkPolicy can only allow it by address.
  const rates = new ExternalHost(chart, 'ExchangeRates', {
    hosts: ['api.rates.example.com'],
    ports: [EgressPort.https()],
    resolution: Resolution.NONE,
    addresses: ['203.0.113.0/24'],
    exportTo: ExportTo.whereUsed(),
  });

  new EgressLockdown(chart, 'Lockdown', { namespace: 'shop', hosts: [rates] });
  new EgressGatewayDefaultDeny(chart, 'GatewayDenyByDefault', { gateway });
  new EgressGatewayAccessLog(chart, 'GatewayAccessLog', { gateway });
  return chart;
}

/** The mesh-wide install overlay, for `istioctl install -f`: an app of its own, so kubectl never sees it. */
export function installOverlayApp(outdir: string): App {
  const app = new App({ outdir });
  new IstioInstallOverlay(app, 'istio-install');
  return app;
}
