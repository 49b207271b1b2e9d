/**
 * Istio's ambient "Egress gateways" page: the host on HTTP port 80 through an egress waypoint, as
 * plain HTTP, with TLS origination at the waypoint, and with authorization (only the namespace's
 * `curl` service account may use the host). With a sidecar gateway the same code gives the gateway's
 * objects.
 */
import { Chart } from 'cdk8s';
import { EgressClient, EgressGatewayRoute, EgressPort, ExportTo, ExternalHost, IEgressGateway, TlsOrigination } from '../../src';

function httpbin(chart: Chart, host: string): ExternalHost {
  return new ExternalHost(chart, 'Httpbin', { hosts: [host], ports: [EgressPort.http(80)], exportTo: ExportTo.whereUsed() });
}

/** The route alone: HTTP through the waypoint (or gateway). */
export function egressWaypoint(chart: Chart, gateway: IEgressGateway, host = 'httpbin.org'): void {
  new EgressGatewayRoute(chart, 'ViaWaypoint', { host: httpbin(chart, host), gateway });
}

/** The waypoint opens TLS to port 443 for the application's plain HTTP (ServiceEntry port 80 with targetPort 443). */
export function egressWaypointTlsOrigination(chart: Chart, gateway: IEgressGateway, host = 'httpbin.org'): void {
  new EgressGatewayRoute(chart, 'ViaWaypoint', {
    host: httpbin(chart, host),
    gateway,
    tlsOrigination: TlsOrigination.simple({ caCertificates: '/etc/ssl/certs/ca-certificates.crt' }),
  });
}

/** Only the namespace's `curl` service account may use the host through the waypoint (or gateway). */
export function egressWaypointAuthorization(chart: Chart, gateway: IEgressGateway, host = 'httpbin.org'): void {
  new EgressGatewayRoute(chart, 'ViaWaypoint', {
    host: httpbin(chart, host),
    gateway,
    allowedClients: [EgressClient.serviceAccount(chart.namespace!, 'curl')],
  });
}
