/**
 * Istio's egress tasks ("Istio APIs" tab) written with the library where the user asks for the docs'
 * own choices: the docs' object names where the library takes a name (the ServiceEntry's, the ports'),
 * the Gateway object beside the clients, the origination beside the ServiceEntry without `sni`, round
 * robin. Each function writes one task into `chart` (the docs use the namespace `default`).
 * test/docs-egress-tasks.test.ts checks that the output equals the docs' objects field for field, and
 * states each field where it cannot (docs/tasks.md lists them).
 *
 * The tasks in examples/tasks/*.ts (one code for three renderings) make the library's default choices
 * instead; these are for the Istio-API rendering only.
 */
import { Chart, Duration } from 'cdk8s';
import {
  EgressAnalysis, EgressGateway, EgressGatewayRoute, EgressLockdown, EgressPort, EgressProtocol, ExternalHost, LoadBalancerPolicy,
  NetworkProtocol, OriginationPlacement, Resolution, TlsOrigination,
} from '../../src';

const port = (number: number, protocol: EgressProtocol, name: string) => EgressPort.of({ number, protocol, name });

/** The ServiceEntry `cnn` of the egress gateway tasks: HTTP on 80 (named as the task names it) and HTTPS on 443. */
function cnn(chart: Chart, httpPortName: string): ExternalHost {
  const host = new ExternalHost(chart, 'Cnn', {
    metadata: { name: 'cnn' },
    hosts: ['edition.cnn.com'],
    ports: [port(80, EgressProtocol.HTTP, httpPortName), port(443, EgressProtocol.HTTPS, 'https')],
  });
  EgressAnalysis.acknowledge(host, 'EGR220', 'as in the task: only port 80 goes through the gateway, HTTPS goes direct');
  return host;
}

/** "Egress Gateways", section "Egress gateway for HTTP traffic". */
export function docsEgressGatewayHttp(chart: Chart): EgressGatewayRoute {
  return new EgressGatewayRoute(chart, 'ViaEgressGateway', {
    host: cnn(chart, 'http-port'),
    gateway: EgressGateway.istioDefault(),
    ports: [80],
    gatewayMutualTls: false,
    // The docs' choice: the Gateway object beside the clients.
    gatewayObjectNamespace: chart.namespace,
  });
}

/**
 * "Egress Gateways", section "Egress gateway for HTTPS traffic": the application's TLS passed through by SNI.
 * `clientNamespaces`: namespaces besides the chart's whose workloads use the host (the route writes its
 * DestinationRule for the gateway's Service in each of them too).
 */
export function docsEgressGatewayHttps(chart: Chart, clientNamespaces?: string[]): EgressGatewayRoute {
  const host = new ExternalHost(chart, 'Cnn', {
    metadata: { name: 'cnn' },
    hosts: ['edition.cnn.com'],
    ports: [port(443, EgressProtocol.TLS, 'tls')],
    clientNamespaces,
  });
  return new EgressGatewayRoute(chart, 'ViaEgressGateway', {
    host,
    gateway: EgressGateway.istioDefault(),
    gatewayMutualTls: false,
    gatewayObjectNamespace: chart.namespace,
  });
}

/**
 * "Egress Gateways", section "Apply Kubernetes network policies": the HTTPS task, and a NetworkPolicy for
 * the namespace `test-egress` that lets its pods send only to DNS and to `istio-system`, both selected by
 * the labels the docs put on them (`kubectl label namespace istio-system istio=system`,
 * `kubectl label ns kube-system kube-system=true`).
 */
export function docsEgressGatewayNetworkPolicy(chart: Chart): EgressLockdown {
  // The host names test-egress as a client namespace: the route's DestinationRule goes there too, and its lockdown sees the host.
  docsEgressGatewayHttps(chart, ['test-egress']);
  return new EgressLockdown(chart, 'TestEgress', {
    namespace: 'test-egress',
    networkPolicyOptions: {
      namespaceLabels: [
        { namespace: 'istio-system', labels: { istio: 'system' } },
        { namespace: 'kube-system', labels: { 'kube-system': 'true' } },
      ],
      // The docs' choices: every pod of istio-system on every port, DNS on UDP from any pod of kube-system, nothing in the namespace.
      wholeControlPlaneNamespace: true,
      dnsPodLabels: {},
      dnsProtocols: [NetworkProtocol.UDP],
      allowOwnNamespace: false,
    },
  });
}

/** "Egress Gateways with TLS Origination", section "Perform TLS origination with an egress gateway". */
export function docsGatewayTlsOrigination(chart: Chart): EgressGatewayRoute {
  const route = new EgressGatewayRoute(chart, 'ViaEgressGateway', {
    host: cnn(chart, 'http'),
    gateway: EgressGateway.istioDefault(),
    ports: [80],
    gatewayObjectNamespace: chart.namespace,
    // The docs' choices: SIMPLE without CA (the proxy's system CAs) and without sni, beside the ServiceEntry.
    tlsOrigination: TlsOrigination.simple({ autoSni: true }),
    originationPlacement: OriginationPlacement.besideHost(),
    // The docs' choice: each gateway pod, and each address of the host, in turn.
    loadBalancer: LoadBalancerPolicy.ROUND_ROBIN,
  });
  EgressAnalysis.acknowledge(route, 'IST0129', 'as in the task: the gateway verifies the server with its system CAs');
  return route;
}

/**
 * "Egress Gateways with TLS Origination", section "Perform mutual TLS origination with an egress
 * gateway": the client certificate of the Secret `client-credential` in the gateway's namespace.
 */
export function docsGatewayMtlsOrigination(chart: Chart): EgressGatewayRoute {
  const gateway = EgressGateway.istioDefault();
  // The docs' Istio-API tab has no ServiceEntry here (the host is the Service my-nginx of mesh-external); the route needs one.
  const nginx = new ExternalHost(chart, 'Nginx', {
    metadata: { name: 'nginx' },
    hosts: ['my-nginx.mesh-external.svc.cluster.local'],
    ports: [port(80, EgressProtocol.HTTP, 'http'), port(443, EgressProtocol.HTTPS, 'https')],
  });
  EgressAnalysis.acknowledge(nginx, 'EGR220', 'as in the task: applications that speak HTTPS themselves go direct');
  return new EgressGatewayRoute(chart, 'ViaEgressGateway', {
    host: nginx,
    gateway,
    ports: [80],
    // The docs' choice: the gateway listens for the host on 443, its HTTPS port, whatever port the clients call.
    gatewayPorts: { 80: 443 },
    gatewayObjectNamespace: chart.namespace,
    tlsOrigination: TlsOrigination.mutual({ credentialName: 'client-credential', credentialNamespace: gateway.namespace }),
    loadBalancer: LoadBalancerPolicy.ROUND_ROBIN,
  });
}

/** "Egress TLS Origination", section "TLS origination for egress traffic": the sidecar opens TLS, port 80 to 443. */
export function docsSidecarTlsOrigination(chart: Chart): ExternalHost {
  const host = new ExternalHost(chart, 'Cnn', {
    metadata: { name: 'edition-cnn-com' },
    hosts: ['edition.cnn.com'],
    ports: [port(80, EgressProtocol.HTTP, 'http-port'), port(443, EgressProtocol.HTTPS, 'https-port')],
    // The docs' choice: no sni (the proxy takes it from the Host header).
    tlsOrigination: TlsOrigination.simple({ autoSni: true }),
  });
  EgressAnalysis.acknowledge(host, 'IST0129', 'as in the task: the sidecar verifies the server with its system CAs');
  return host;
}

/**
 * "Egress TLS Origination", section "Mutual TLS origination for egress traffic": the sidecars of the
 * pods labelled `app: curl` present the client certificate of the Secret `client-credential` of their namespace.
 */
export function docsSidecarMtlsOrigination(chart: Chart): ExternalHost {
  return new ExternalHost(chart, 'Nginx', {
    metadata: { name: 'originate-mtls-for-nginx' },
    hosts: ['my-nginx.mesh-external.svc.cluster.local'],
    ports: [port(80, EgressProtocol.HTTP, 'http-port'), port(443, EgressProtocol.HTTPS, 'https-port')],
    tlsOrigination: TlsOrigination.mutual({ credentialName: 'client-credential' }),
    tlsOriginationWorkloadSelector: { app: 'curl' },
    trafficPolicy: { loadBalancer: LoadBalancerPolicy.ROUND_ROBIN },
  });
}

/**
 * "Accessing External Services", sections "Access an external HTTP service", "Access an external
 * HTTPS service" and "Manage traffic to external services" (a 3 s timeout to httpbin.org).
 */
export function docsExternalServices(chart: Chart, options: { timeout?: boolean } = {}): ExternalHost[] {
  return [
    new ExternalHost(chart, 'Httpbin', {
      metadata: { name: 'httpbin-ext' },
      hosts: ['httpbin.org'],
      ports: [port(80, EgressProtocol.HTTP, 'http')],
      requestTimeout: options.timeout ? Duration.seconds(3) : undefined,
    }),
    new ExternalHost(chart, 'Google', {
      metadata: { name: 'google' },
      hosts: ['www.google.com'],
      ports: [port(443, EgressProtocol.HTTPS, 'https')],
    }),
  ];
}

/** "Egress using Wildcard Hosts", section "Configure direct traffic to a wildcard host". */
export function docsWildcardDirect(chart: Chart): ExternalHost {
  return new ExternalHost(chart, 'Wikipedia', {
    metadata: { name: 'wikipedia' },
    hosts: ['*.wikipedia.org'],
    ports: [port(443, EgressProtocol.HTTPS, 'https')],
  });
}

/**
 * "Egress using Wildcard Hosts", section "Configure egress gateway traffic to a wildcard host": every
 * name of the domain through the gateway to one server, `www.wikipedia.org`.
 */
export function docsWildcardThroughGateway(chart: Chart): EgressGatewayRoute {
  const server = new ExternalHost(chart, 'WwwWikipedia', {
    metadata: { name: 'www-wikipedia' },
    hosts: ['www.wikipedia.org'],
    ports: [port(443, EgressProtocol.HTTPS, 'https')],
  });
  return new EgressGatewayRoute(chart, 'ViaEgressGateway', {
    host: docsWildcardDirect(chart),
    servedBy: server,
    gateway: EgressGateway.istioDefault(),
    gatewayMutualTls: false,
    gatewayObjectNamespace: chart.namespace,
  });
}

/**
 * "Using an External HTTPS Proxy", section "Configure traffic to external HTTPS proxy": the
 * applications' HTTP CONNECT tunnels to a proxy outside the mesh, declared as TCP by its address
 * (`proxyIp`, the docs' $PROXY_IP; the host name is not used), on the docs' port 3128.
 */
export function docsHttpsProxy(chart: Chart, proxyIp: string): ExternalHost {
  return new ExternalHost(chart, 'Proxy', {
    metadata: { name: 'proxy' },
    hosts: ['my-company-proxy.com'],
    addresses: [`${proxyIp}/32`],
    ports: [port(3128, EgressProtocol.TCP, 'tcp')],
    resolution: Resolution.NONE,
  });
}
