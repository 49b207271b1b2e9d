/**
 * Istio's "Egress Gateways with TLS Origination" task, section "Perform mutual TLS origination with
 * an egress gateway": the gateway presents the client certificate of the Secret `client-credential`,
 * which must be in the gateway's namespace, and verifies the server with the Secret's CA.
 */
import { ApiObject, Chart } from 'cdk8s';
import {
  EgressAnalysis, EgressGatewayRoute, EgressPort, EgressWaypoint, ExportTo, ExternalHost, GatewayApiEgressGateway, IEgressGateway,
  TlsOrigination,
} from '../../src';

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
  allowSecrets(chart, gateway);
}

/**
 * istiod gives a proxy a Secret named by a DestinationRule only when the proxy's service account may list
 * the Secrets of its namespace. The egress gateway Istio's Helm chart installs has that Role; the gateways
 * Istio deploys from a Gateway (service account `<name>-istio`, or the waypoint's name) do not, and the
 * library does not write one yet, so the task does, as the docs' Gateway API tab does.
 */
function allowSecrets(chart: Chart, gateway: IEgressGateway): void {
  const serviceAccount = gateway instanceof GatewayApiEgressGateway ? gateway.serviceName
    : gateway instanceof EgressWaypoint ? gateway.gatewayName : undefined;
  if (!serviceAccount) {
    return;
  }
  const name = `${serviceAccount}-list-secrets`;
  new ApiObject(chart, 'SecretListRole', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name, namespace: gateway.namespace },
    rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }],
  });
  new ApiObject(chart, 'SecretListRoleBinding', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name, namespace: gateway.namespace },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
    subjects: [{ kind: 'ServiceAccount', name: serviceAccount, namespace: gateway.namespace }],
  });
}
