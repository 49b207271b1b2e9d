/**
 * Istio's "Egress Gateways with TLS Origination" task, section "Perform mutual TLS origination with
 * an egress gateway" (the docs' host is my-nginx.mesh-external.svc.cluster.local): the gateway
 * presents the client certificate of the Secret `client-credential`, which must be in the gateway's
 * namespace, and verifies the server with the Secret's CA.
 */
import { Chart } from 'cdk8s';
import { EgressAnalysis, EgressGatewayRoute, EgressPort, ExportTo, ExternalHost, IEgressGateway, TlsOrigination } from '../../src';

export function gatewayMtlsOrigination(chart: Chart, gateway: IEgressGateway): void {
  const nginx = new ExternalHost(chart, 'Nginx', {
    hosts: ['gateway-mtls-origination.example.com'],
    ports: [EgressPort.http(80), EgressPort.https(443)],
    exportTo: ExportTo.whereUsed(),
  });
  const route = new EgressGatewayRoute(chart, 'ViaEgressGateway', {
    host: nginx,
    gateway,
    ports: [80],
    tlsOrigination: TlsOrigination.mutual({ credentialName: 'client-credential', credentialNamespace: gateway.namespace }),
  });
  EgressAnalysis.acknowledge(nginx, 'EGR220', 'as in the task: applications that speak HTTPS themselves go direct');
  EgressAnalysis.acknowledge(route, 'IST0129', 'the Secret client-credential holds the CA (ca.crt) that verifies the server');
}
