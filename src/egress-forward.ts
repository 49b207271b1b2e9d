import { ApiObject, Chart, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { EgressPort } from './egress-port';
import { ExternalHost, IExternalHost } from './external-host';
import { createIstioObject } from './private/istio-objects';
import { toDnsLabel } from './private/names';
import { MeshRouting } from './private/traffic';
import { declareClusterObject } from './synth/app-analysis';
import { validateWithIstioRules } from './synth/validation';

/**
 * Properties of an EgressForward.
 */
export interface EgressForwardProps {
  /** The external host whose traffic is sent elsewhere (its names, wildcards included, are matched). */
  readonly host: IExternalHost;
  /** The name of the Kubernetes Service that receives the traffic (an internal egress firewall or proxy). */
  readonly serviceName: string;
  /** The namespace of that Service. */
  readonly serviceNamespace: string;
  /**
   * The Service port that receives the traffic of each routed port.
   * @default - the same number as the host's port
   */
  readonly servicePort?: number;
  /**
   * The host's ports to forward: HTTPS and TLS ports are matched by SNI, HTTP ports by port (the
   * sidecar already picked the host by its Host header).
   * @default - every HTTP, HTTPS and TLS port of the host
   */
  readonly ports?: number[];
  /**
   * The namespace of the clients, where the VirtualService goes.
   * @default - the chart's namespace, else the host's namespace
   */
  readonly namespace?: string;
  /**
   * The cluster's DNS domain, for the Service's name.
   * @default 'cluster.local'
   */
  readonly clusterDomain?: string;
}

/**
 * Sends the traffic that the sidecars would send to an external host to a destination inside the
 * cluster instead: an internal egress firewall or proxy that reads the SNI (or the Host header) and
 * forwards the connection itself. As the VirtualService example of Istio's ServiceEntry reference,
 * it writes one VirtualService for the host's names, bound to the sidecars (`mesh`): a `tls` route
 * per HTTPS or TLS port, matched on the port and the host's names as SNI, and an `http` route per
 * HTTP port, each to the Service.
 *
 * Istio's API only: the sidecars apply it (and a waypoint that serves the host). The Service is
 * declared to the analysis as existing in the cluster. Opaque TCP ports carry no name to match and
 * are refused.
 *
 * @example
 * new EgressForward(chart, 'WikipediaViaFirewall', {
 *   host: wikipedia,
 *   serviceName: 'internal-egress-firewall',
 *   serviceNamespace: 'ns1',
 * });
 */
export class EgressForward extends Construct {
  /** The VirtualService, in the clients' namespace. */
  public readonly virtualService: ApiObject;
  /** The namespace of the clients. */
  public readonly namespace: string;
  /** The Service that receives the traffic, as a fully qualified name. */
  public readonly destination: string;

  private readonly errors: string[] = [];

  public constructor(scope: Construct, id: string, props: EgressForwardProps) {
    super(scope, id);
    const { host } = props;
    this.namespace = props.namespace ?? Chart.of(this).namespace ?? host.namespace ?? '';
    const label = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
    for (const [field, value] of [['serviceName', props.serviceName], ['serviceNamespace', props.serviceNamespace]] as const) {
      if (typeof value !== 'string' || !label.test(value)) {
        this.errors.push(`${field} = ${JSON.stringify(value)} is not a Kubernetes name (a lower-case DNS label). Fix: give the Service's ${
          field === 'serviceName' ? 'name' : 'namespace'}.`);
      }
    }
    if (!this.namespace) {
      this.errors.push('namespace is not set: the VirtualService goes to the clients\' namespace. Fix: set the chart\'s namespace or `namespace`.');
    }
    this.destination = `${props.serviceName}.${props.serviceNamespace}.svc.${props.clusterDomain ?? 'cluster.local'}`;
    const ports = this.selectPorts(props);
    const meshRouting = host instanceof ExternalHost ? host._claimMeshRouting(this) : undefined;
    this.virtualService = createIstioObject(this, 'Resource', 'VirtualService',
      { name: toDnsLabel(`${host.name}-forward`), namespace: this.namespace || undefined },
      Lazy.any({ produce: () => this.render(host, ports, props.servicePort, meshRouting) }));
    if (this.namespace) {
      host.addConsumer(this.namespace, this);
    }
    declareClusterObject(this, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: props.serviceName, namespace: props.serviceNamespace },
      spec: {
        ports: [...new Set(ports.map(p => props.servicePort ?? p.number))].map(port => ({ name: `tcp-${port}`, port, protocol: 'TCP' })),
      },
    });
    validateWithIstioRules(this, () => (this.errors.length > 0 ? [] : [this.virtualService]), { extra: () => this.errors });
  }

  private selectPorts(props: EgressForwardProps): EgressPort[] {
    const { host } = props;
    const chosen = props.ports ?? host.ports.filter(p => p.isHttp || p.isTls).map(p => p.number);
    const ports: EgressPort[] = [];
    for (const number of chosen) {
      const port = host.ports.find(p => p.number === number);
      if (!port) {
        this.errors.push(`ports: ${number} is not a port of ${host.hosts.join(', ')} (it declares ${host.ports.map(p => p.number).join(', ') || 'none'}). `
          + 'Fix: forward one of the declared ports, or declare it in the ExternalHost.');
      } else if (!port.isHttp && !port.isTls) {
        this.errors.push(`ports: ${number} (${port.protocol}) is opaque TCP: it carries neither SNI nor Host header, so nothing tells the host's `
          + 'traffic apart from other traffic on the port. Fix: forward the host\'s HTTP, HTTPS or TLS ports only.');
      } else {
        ports.push(port);
      }
    }
    if (chosen.length === 0) {
      this.errors.push(`ports: ${host.hosts.join(', ')} has no HTTP, HTTPS or TLS port to forward. Fix: declare one in the ExternalHost.`);
    }
    return ports;
  }

  private render(
    host: IExternalHost, ports: EgressPort[], servicePort: number | undefined, meshRouting: MeshRouting | undefined,
  ): Record<string, unknown> {
    const to = (port: EgressPort) => [{ destination: { host: this.destination, port: { number: servicePort ?? port.number } } }];
    const http = ports.filter(p => p.isHttp).map(p => ({
      match: [{ port: p.number }], route: to(p), timeout: meshRouting?.timeout, retries: meshRouting?.retries,
    }));
    const tls = ports.filter(p => p.isTls).map(p => ({ match: [{ port: p.number, sniHosts: [...host.hosts] }], route: to(p) }));
    return {
      hosts: [...host.hosts],
      http: http.length > 0 ? http : undefined,
      tls: tls.length > 0 ? tls : undefined,
    };
  }
}
