/**
 * Istio's "Egress Gateways" task, section "Apply Kubernetes network policies": the HTTPS route of the
 * previous section, and a NetworkPolicy that lets the namespace's pods send only to the egress
 * gateway, the control plane and DNS, so that a pod without a sidecar cannot reach the host. The
 * lockdown also keeps the sidecars to the hosts they may use (a Sidecar with REGISTRY_ONLY); in an
 * ambient namespace it is the NetworkPolicy alone.
 */
import { Chart } from 'cdk8s';
import { EgressGatewayRoute, EgressLockdown, EgressPort, ExportTo, ExternalHost, IEgressGateway } from '../../src';

export function egressGatewayNetworkPolicy(chart: Chart, gateway: IEgressGateway, host = 'edition.cnn.com'): void {
  const cnn = new ExternalHost(chart, 'Cnn', { hosts: [host], ports: [EgressPort.tls(443)], exportTo: ExportTo.whereUsed() });
  new EgressGatewayRoute(chart, 'ViaEgressGateway', { host: cnn, gateway, gatewayMutualTls: false });
  new EgressLockdown(chart, 'Lockdown', { namespace: chart.namespace!, hosts: [cnn] });
}
