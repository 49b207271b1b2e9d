/**
 * Istio's task "Kubernetes Services for egress traffic" written with the library, with the docs'
 * choices: an ExternalName Service `my-httpbin` for httpbin.org (HTTP on port 80, named `http`) and a
 * Service without selector `my-wikipedia` whose endpoints are two of Wikipedia's IP addresses (TLS on
 * port 443, named `tls`), listed in a `v1` Endpoints object; each with a DestinationRule that
 * disables Istio mutual TLS to it. test/docs-kubernetes-services.test.ts checks that the output
 * equals the docs' objects field for field.
 */
import { App, Chart } from 'cdk8s';
import {
  EgressAnalysis, EgressPort, EgressProtocol, EndpointsKind, KubernetesEgressService, ServiceDestination,
} from '../../src';

/** The docs' Wikipedia addresses (the current page's; the stored English page lists 91.198.174.192 first). */
export const WIKIPEDIA_ADDRESSES = ['198.35.26.96', '208.80.153.224'];

/** Both sections of the task, in `chart` (the docs use the namespace `default`). */
export function docsKubernetesServices(chart: Chart, endpointsKind: EndpointsKind = EndpointsKind.ENDPOINTS): KubernetesEgressService[] {
  const httpbin = new KubernetesEgressService(chart, 'Httpbin', {
    metadata: { name: 'my-httpbin' },
    destination: ServiceDestination.externalName('httpbin.org'),
    ports: [EgressPort.of({ number: 80, protocol: EgressProtocol.HTTP, name: 'http' })],
    // The docs' choice: a DestinationRule with TLS DISABLE for the alias as well.
    disableIstioMutualTls: true,
  });
  EgressAnalysis.acknowledge(httpbin, 'EGR115', 'as Istio\'s task writes it; Istio 1.20 and later apply no DestinationRule to an ExternalName alias');
  const wikipedia = new KubernetesEgressService(chart, 'Wikipedia', {
    metadata: { name: 'my-wikipedia' },
    // The docs' choice: an Endpoints object (the library's default is EndpointSlices).
    destination: ServiceDestination.addresses(WIKIPEDIA_ADDRESSES, endpointsKind),
    ports: [EgressPort.of({ number: 443, protocol: EgressProtocol.TLS, name: 'tls' })],
  });
  return [httpbin, wikipedia];
}

/** The task as an example chart of its own (namespace `kubernetes-services`). */
export function kubernetesServicesChart(app: App): Chart {
  const chart = new Chart(app, 'kubernetes-services', { namespace: 'kubernetes-services' });
  docsKubernetesServices(chart);
  return chart;
}
