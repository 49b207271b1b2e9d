/**
 * Egress in an ambient mesh: a waypoint in `ambient-egress` is the egress gateway. The same hosts and
 * routes as with a sidecar egress gateway; only the gateway passed to the routes differs.
 * - httpbin.org: the application speaks HTTP; ztunnel carries it to the waypoint in mutual TLS
 *   (HBONE); the waypoint opens TLS to the server's 443. Only `ambient-shop` may use it.
 * - registry.npmjs.org: the application's own TLS, through the waypoint.
 * `ambient-shop` is locked down by a NetworkPolicy: its pods may send only to the waypoint (ambient
 * pods have no sidecar, so there is no Sidecar resource).
 */
import { App, Chart } from 'cdk8s';
import {
  DataplaneMode, EgressClient, EgressGatewayRoute, EgressLockdown, EgressPort, EgressWaypoint, ExportTo, ExternalHost, MeshNamespace,
  TlsOrigination,
} from '../../src';

export function ambientChart(app: App): Chart {
  const chart = new Chart(app, 'ambient', { namespace: 'ambient-egress' });
  new MeshNamespace(chart, 'EgressNamespace', { name: 'ambient-egress', dataplaneMode: DataplaneMode.AMBIENT, useWaypoint: 'waypoint' });
  new MeshNamespace(chart, 'ShopNamespace', { name: 'ambient-shop', dataplaneMode: DataplaneMode.AMBIENT });
  const waypoint = new EgressWaypoint(chart, 'Waypoint');

  const httpbin = new ExternalHost(chart, 'Httpbin', { hosts: ['httpbin.org'], ports: [EgressPort.http(80)], exportTo: ExportTo.whereUsed() });
  new EgressGatewayRoute(chart, 'HttpbinViaWaypoint', {
    host: httpbin,
    gateway: waypoint,
    namespace: 'ambient-shop',
    tlsOrigination: TlsOrigination.simple({ caCertificates: '/etc/ssl/certs/ca-certificates.crt' }),
    allowedClients: [EgressClient.inNamespace('ambient-shop')],
  });

  const npm = new ExternalHost(chart, 'Npm', { hosts: ['registry.npmjs.org'], ports: [EgressPort.https(443)], exportTo: ExportTo.whereUsed() });
  new EgressGatewayRoute(chart, 'NpmViaWaypoint', { host: npm, gateway: waypoint, namespace: 'ambient-shop' });

  new EgressLockdown(chart, 'Lockdown', { namespace: 'ambient-shop' });
  return chart;
}

if (require.main === module) {
  const app = new App();
  ambientChart(app);
  app.synth();
}
