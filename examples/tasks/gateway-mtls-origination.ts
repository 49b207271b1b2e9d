/**
 * Istio's "Egress Gateways with TLS Origination" task, section "Perform mutual TLS origination with
 * an egress gateway": the gateway presents the client certificate of the Secret `client-credential`,
 * which must be in the gateway's namespace, and verifies the server with the Secret's CA. Through a
 * gateway Istio deploys from a Gateway (or a waypoint), the library also writes the Role that lets the
 * gateway's service account read that Secret, as the docs' Gateway API tab does.
 */
import { Chart } from 'cdk8s';
import { EgressAnalysis, EgressGatewayRoute, EgressPort, ExportTo, ExternalHost, IEgressGateway, TlsOrigination } from '../../src';

export function gatewayMtlsOrigination(chart: Chart, gateway: IEgressGateway, host = 'my-nginx.mesh-external.svc.cluster.local'): void {
  const nginx = new ExternalHost(chart, 'Nginx', {
    hosts: [host],
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

