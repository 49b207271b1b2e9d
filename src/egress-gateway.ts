/**
 * A port of the egress gateway's Kubernetes Service.
 */
export interface GatewayServicePort {
  /** The Service port, which Gateway servers and routes name. */
  readonly port: number;
  /** The Service port name; its prefix tells the protocol (`http2`, `https`, `tls-...`, `tcp-...`). */
  readonly name: string;
  /**
   * The container port behind it.
   * @default - the same as `port`
   */
  readonly targetPort?: number;
}

/**
 * How to find an installed egress gateway.
 */
export interface EgressGatewayAttributes {
  /** The namespace the gateway pods run in. */
  readonly namespace: string;
  /** Labels that select the gateway pods (the Gateway resource's selector). */
  readonly selector: { [key: string]: string };
  /** The name of the gateway's Kubernetes Service. */
  readonly serviceName: string;
  /**
   * The ports of the gateway's Service.
   * @default - 80 (`http2`) and 443 (`https`), targeting the same ports
   */
  readonly ports?: GatewayServicePort[];
  /**
   * The cluster's DNS domain.
   * @default 'cluster.local'
   */
  readonly clusterDomain?: string;
}

/**
 * An egress gateway installed in the cluster, which routes can send traffic through.
 */
export interface IEgressGateway {
  /** The namespace the gateway pods run in. */
  readonly namespace: string;
  /** Labels that select the gateway pods. */
  readonly selector: { [key: string]: string };
  /** The name of the gateway's Kubernetes Service. */
  readonly serviceName: string;
  /** The fully qualified host of the gateway's Service, e.g. `istio-egressgateway.istio-system.svc.cluster.local`. */
  readonly serviceHost: string;
  /** The ports of the gateway's Service. */
  readonly ports: GatewayServicePort[];
}

/**
 * A reference to an egress gateway that is already installed (this library does not install it).
 *
 * @example
 * EgressGateway.istioDefault();                                  // istioctl's istio-egressgateway
 * EgressGateway.fromHelmRelease('egress', 'istio-egress');       // istio/gateway chart
 */
export class EgressGateway implements IEgressGateway {
  /**
   * The gateway that `istioctl install` (or the `istio/gateways` chart) creates: Service
   * `istio-egressgateway` in `istio-system`, pods labelled `istio: egressgateway`, ports 80 and 443
   * targeting 8080 and 8443.
   */
  public static istioDefault(): EgressGateway {
    return new EgressGateway({
      namespace: 'istio-system',
      selector: { istio: 'egressgateway' },
      serviceName: 'istio-egressgateway',
      ports: [
        { port: 80, name: 'http2', targetPort: 8080 },
        { port: 443, name: 'https', targetPort: 8443 },
      ],
    });
  }

  /**
   * A gateway installed with the `istio/gateway` Helm chart as `releaseName` in `namespace`: the chart
   * names the Service after the release and labels the pods `istio: <release without "istio-">`.
   */
  public static fromHelmRelease(releaseName: string, namespace: string): EgressGateway {
    return new EgressGateway({
      namespace,
      selector: { istio: releaseName.replace(/^istio-/, '') },
      serviceName: releaseName,
      ports: [
        { port: 80, name: 'http2' },
        { port: 443, name: 'https' },
      ],
    });
  }

  /** A gateway described by its namespace, pod labels, Service name and ports. */
  public static fromAttributes(attributes: EgressGatewayAttributes): EgressGateway {
    return new EgressGateway(attributes);
  }

  public readonly namespace: string;
  public readonly selector: { [key: string]: string };
  public readonly serviceName: string;
  public readonly serviceHost: string;
  public readonly ports: GatewayServicePort[];

  private constructor(attributes: EgressGatewayAttributes) {
    this.namespace = attributes.namespace;
    this.selector = { ...attributes.selector };
    this.serviceName = attributes.serviceName;
    this.serviceHost = `${attributes.serviceName}.${attributes.namespace}.svc.${attributes.clusterDomain ?? 'cluster.local'}`;
    this.ports = [...(attributes.ports ?? [{ port: 80, name: 'http2' }, { port: 443, name: 'https' }])];
  }
}

