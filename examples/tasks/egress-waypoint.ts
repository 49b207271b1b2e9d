/**
 * Istio's ambient "Egress gateways" page (the docs' host is httpbin.org, on HTTP port 80): the host
 * through an egress waypoint, as plain HTTP, with TLS origination at the waypoint, and with
 * authorization (only the namespace's `curl` service account may use the host). With a sidecar
 * gateway the same code gives the gateway's objects.
 */
import { Chart } from 'cdk8s';
import { EgressClient, EgressGatewayRoute, EgressPort, ExportTo, ExternalHost, IEgressGateway, TlsOrigination } from '../../src';

function httpbin(chart: Chart, host: string): ExternalHost {
  return new ExternalHost(chart, 'Httpbin', { hosts: [host], ports: [EgressPort.http(80)], exportTo: ExportTo.whereUsed() });
}

/** The route alone: HTTP through the waypoint (or gateway). */
export function egressWaypoint(chart: Chart, gateway: IEgressGateway): void {
  new EgressGatewayRoute(chart, 'ViaWaypoint', { host: httpbin(chart, 'egress-waypoint.example.com'), gateway });
}

/** The waypoint opens TLS to port 443 for the application's plain HTTP (ServiceEntry port 80 with targetPort 443). */
export function egressWaypointTlsOrigination(chart: Chart, gateway: IEgressGateway): void {
  new EgressGatewayRoute(chart, 'ViaWaypoint', {
    host: httpbin(chart, 'egress-waypoint-tls-origination.example.com'),
    gateway,
    tlsOrigination: TlsOrigination.simple({ caCertificates: '/etc/ssl/certs/ca-certificates.crt' }),
  });
}

/** Only the namespace's `curl` service account may use the host through the waypoint (or gateway). */
export function egressWaypointAuthorization(chart: Chart, gateway: IEgressGateway): void {
  new EgressGatewayRoute(chart, 'ViaWaypoint', {
    host: httpbin(chart, 'egress-waypoint-authorization.example.com'),
    gateway,
    allowedClients: [EgressClient.serviceAccount(chart.namespace!, 'curl')],
  });
}
