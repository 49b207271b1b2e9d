/**
 * Shape 3, TLS origination at the sidecar: the application sends plain HTTP to port 80; the sidecar
 * opens TLS to the server's 443 (ServiceEntry port 80 with targetPort 443, DestinationRule SIMPLE).
 * Follows Istio's "Egress TLS Origination" task.
 */
import { App, Chart } from 'cdk8s';
import { EgressPort, ExternalHost, TlsOrigination } from '../../src';

export function tlsOriginationSidecarChart(app: App): Chart {
  const chart = new Chart(app, 'tls-origination-sidecar', { namespace: 'tls-sidecar' });
  new ExternalHost(chart, 'Google', {
    hosts: ['www.google.com'],
    ports: [EgressPort.http(80), EgressPort.https(443)],
    tlsOrigination: TlsOrigination.simple({ caCertificates: '/etc/ssl/certs/ca-certificates.crt' }),
  });
  return chart;
}
