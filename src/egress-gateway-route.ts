import { ApiObject, Chart, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { GatewayServicePort, IEgressGateway } from './egress-gateway';
import { EgressPort } from './egress-port';
import { IExternalHost, Resolution } from './external-host';
import { createIstioObject } from './private/istio-objects';
import { toDnsLabel } from './private/names';
import { validateWithIstioRules } from './private/validation';
import { MESH_GATEWAY } from './rules/virtual-service';

/**
 * Properties of an EgressGatewayRoute.
 */
export interface EgressGatewayRouteProps {
  /** The external host to reach. */
  readonly host: IExternalHost;
  /** The egress gateway the traffic goes through. */
  readonly gateway: IEgressGateway;
  /**
   * The host's ports to route through the gateway.
   * @default - every port of the host, so that none bypasses the gateway
   */
  readonly ports?: number[];
  /**
   * The namespace of the clients, where the VirtualService and the DestinationRule go.
   * @default - the chart's namespace, else the host's namespace
   */
  readonly namespace?: string;
}

/** One hop pair for one external port. */
interface RoutedPort {
  readonly port: EgressPort;
  readonly gatewayPort: GatewayServicePort;
}

/**
 * Sends the traffic of an external host through an egress gateway.
 *
 * It emits the three objects Istio needs, linked so that they cannot disagree:
 * - a Gateway in the gateway's namespace, selecting its pods, with a server per port;
 * - a DestinationRule for the gateway's Service with a subset for this host, in the client namespace;
 * - a VirtualService per host, bound to `mesh` and to the namespace-qualified Gateway, with a route
 *   from the sidecars to the gateway subset first and a route from the gateway to the host second.
 *
 * HTTP ports get `http` routes; HTTPS and TLS ports pass through the gateway by SNI (`tls` routes
 * and a PASSTHROUGH server).
 *
 * @example
 * new EgressGatewayRoute(chart, 'WikipediaViaGateway', {
 *   host: wikipedia,
 *   gateway: EgressGateway.istioDefault(),
 *   ports: [80],
 * });
 */
export class EgressGatewayRoute extends Construct {
  /** The Gateway resource (in the egress gateway's namespace). */
  public readonly istioGateway: ApiObject;
  /** The DestinationRule for the gateway's Service. */
  public readonly destinationRule: ApiObject;
  /** The VirtualServices, one per host. */
  public readonly virtualServices: ApiObject[];
  /** The DestinationRule subset that stands for this host at the gateway. */
  public readonly subsetName: string;
  /** The namespace of the clients. */
  public readonly namespace: string;

  private readonly routed: RoutedPort[];
  private readonly errors: string[] = [];

  public constructor(scope: Construct, id: string, private readonly props: EgressGatewayRouteProps) {
    super(scope, id);
    const { host, gateway } = props;
    this.namespace = props.namespace ?? Chart.of(this).namespace ?? host.namespace ?? '';
    if (!this.namespace) {
      this.errors.push('namespace is not set: the route must know the clients\' namespace to place its VirtualService and '
        + 'DestinationRule and to check that the host is visible there. Fix: set the chart\'s namespace or the route\'s `namespace`.');
    }
    this.routed = this.selectPorts();
    this.subsetName = toDnsLabel(host.name);

    const base = toDnsLabel(`${host.name}-egress`);
    const gatewayName = toDnsLabel(`${this.namespace}-${host.name}`);
    const gatewayRef = `${gateway.namespace}/${gatewayName}`;

    this.istioGateway = createIstioObject(this, 'Gateway', 'Gateway', { name: gatewayName, namespace: gateway.namespace },
      Lazy.any({ produce: () => this.renderGateway() }));
    this.destinationRule = createIstioObject(this, 'DestinationRule', 'DestinationRule', { name: base, namespace: this.namespace || undefined },
      Lazy.any({ produce: () => this.renderDestinationRule() }));
    this.virtualServices = host.hosts.map((name, i) => createIstioObject(this, host.hosts.length === 1 ? 'Resource' : `Resource${i}`,
      'VirtualService', { name: host.hosts.length === 1 ? base : toDnsLabel(`${toDnsLabel(name)}-egress`), namespace: this.namespace || undefined },
      Lazy.any({ produce: () => this.renderVirtualService(name, gatewayRef) })));

    if (this.namespace) {
      host.addConsumer(this.namespace, this);
    }
    host.addConsumer(gateway.namespace, this);
    // With bad input the objects are incomplete; report the input, not its consequences.
    validateWithIstioRules(this, () => (this.errors.length > 0 ? [] : [this.istioGateway, this.destinationRule, ...this.virtualServices]),
      () => this.errors);
  }

  /** Picks the host's ports and the gateway ports that carry them, recording what cannot be routed. */
  private selectPorts(): RoutedPort[] {
    const { host, gateway } = this.props;
    const declared = host.ports.map(p => `${p.number} (${p.protocol})`).join(', ');
    const wildcard = host.hosts.find(h => h.startsWith('*'));
    if (wildcard) {
      this.errors.push(`host "${wildcard}": an Envoy egress gateway cannot route arbitrary names of a wildcard domain. `
        + 'Fix: route a concrete host through the gateway, or reach the wildcard domain directly without a gateway.');
    }
    if (host.resolution === Resolution.NONE) {
      this.errors.push(`resolution = "NONE" on ${host.node.path}: the gateway would send the traffic to the address it already has, `
        + 'that is to itself, in a loop. Fix: use Resolution.DNS (or STATIC with endpoints) for hosts reached through an egress gateway.');
    }
    const numbers = this.props.ports ?? host.ports.map(p => p.number);
    const routed: RoutedPort[] = [];
    for (const number of numbers) {
      const port = host.ports.find(p => p.number === number);
      if (!port) {
        this.errors.push(`ports: ${number} is not a port of ${host.hosts.join(', ')} (it declares ${declared || 'none'}). `
          + `Fix: route one of the declared ports, or add EgressPort for ${number} to the ExternalHost.`);
        continue;
      }
      if (!port.isHttp && !port.isTls) {
        this.errors.push(`ports: ${number} (${port.protocol}) cannot be routed through an egress gateway yet: only HTTP, HTTP2, gRPC, `
          + 'HTTPS and TLS ports are supported. Fix: leave the port out of `ports`, or reach it directly without the gateway.');
        continue;
      }
      const gatewayPort = gatewayPortFor(gateway, port);
      if (!gatewayPort) {
        this.errors.push(`ports: ${number} (${port.protocol}) has no matching port on the egress gateway ${gateway.serviceHost}, which listens on `
          + `${gateway.ports.map(p => `${p.port} (${p.name})`).join(', ')}. Fix: add a Service port for it to the gateway, `
          + 'or describe the gateway\'s ports with EgressGateway.fromAttributes().');
        continue;
      }
      routed.push({ port, gatewayPort });
    }
    return routed;
  }

  private renderGateway(): Record<string, unknown> {
    return {
      selector: { ...this.props.gateway.selector },
      servers: this.routed.map(({ port, gatewayPort }) => ({
        port: {
          number: gatewayPort.port,
          name: `${port.isTls ? 'tls' : 'http'}-${gatewayPort.port}`,
          protocol: port.isTls ? 'TLS' : port.protocol,
        },
        hosts: [...this.props.host.hosts],
        tls: port.isTls ? { mode: 'PASSTHROUGH' } : undefined,
      })),
    };
  }

  private renderDestinationRule(): Record<string, unknown> {
    return {
      host: this.props.gateway.serviceHost,
      subsets: [{ name: this.subsetName }],
    };
  }

  private renderVirtualService(host: string, gatewayRef: string): Record<string, unknown> {
    const toGateway = (r: RoutedPort) => ({
      destination: { host: this.props.gateway.serviceHost, subset: this.subsetName, port: { number: r.gatewayPort.port } },
      weight: 100,
    });
    const toHost = (r: RoutedPort) => ({ destination: { host, port: { number: r.port.number } }, weight: 100 });
    const http = this.routed.filter(r => r.port.isHttp).flatMap(r => [
      { match: [{ gateways: [MESH_GATEWAY], port: r.port.number }], route: [toGateway(r)] },
      { match: [{ gateways: [gatewayRef], port: r.gatewayPort.port }], route: [toHost(r)] },
    ]);
    const tls = this.routed.filter(r => r.port.isTls).flatMap(r => [
      { match: [{ gateways: [MESH_GATEWAY], port: r.port.number, sniHosts: [host] }], route: [toGateway(r)] },
      { match: [{ gateways: [gatewayRef], port: r.gatewayPort.port, sniHosts: [host] }], route: [toHost(r)] },
    ]);
    return {
      hosts: [host],
      gateways: [gatewayRef, MESH_GATEWAY],
      http: http.length > 0 ? http : undefined,
      tls: tls.length > 0 ? tls : undefined,
    };
  }
}

/**
 * The gateway Service port that carries an external port: the same number when the gateway
 * listens on it, otherwise the first port of the same protocol family (by the port name's prefix).
 */
function gatewayPortFor(gateway: IEgressGateway, port: EgressPort): GatewayServicePort | undefined {
  const same = gateway.ports.find(p => p.port === port.number);
  if (same) {
    return same;
  }
  const isTlsName = (name: string) => name === 'https' || name.startsWith('https-') || name.startsWith('tls');
  const isHttpName = (name: string) => !isTlsName(name) && (name.startsWith('http') || name.startsWith('grpc'));
  return gateway.ports.find(p => (port.isTls ? isTlsName(p.name) : port.isHttp && isHttpName(p.name)));
}
