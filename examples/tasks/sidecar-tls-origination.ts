/**
 * Istio's "Egress TLS Origination" task, section "TLS origination for egress traffic": no gateway;
 * the sidecar opens TLS for the application's plain HTTP to port 80 (ServiceEntry port 80 with
 * targetPort 443) and verifies the server with the proxy's system CAs. The object that carries the
 * origination picks the form: a DestinationRule (Istio's API) or a BackendTLSPolicy (the Gateway API,
 * Istio 1.28 and later).
 */
import { Chart } from 'cdk8s';
import { EgressAnalysis, EgressPort, ExportTo, ExternalHost, TlsOrigination, TlsOriginationObject } from '../../src';

export function sidecarTlsOrigination(chart: Chart, carriedBy: TlsOriginationObject, host = 'edition.cnn.com'): void {
  const cnn = new ExternalHost(chart, 'Cnn', {
    hosts: [host],
    ports: [EgressPort.http(80), EgressPort.https(443)],
    exportTo: ExportTo.whereUsed(),
    tlsOrigination: TlsOrigination.simple({ carriedBy }),
  });
  EgressAnalysis.acknowledge(cnn, 'IST0129', 'without caCertificates the sidecar verifies the server with its system CAs');
}
