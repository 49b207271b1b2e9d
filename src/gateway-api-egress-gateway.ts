import { ApiObject, Chart, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { GatewayServicePort, IEgressGateway } from './egress-gateway';
import { createSecretListAccess } from './private/core-objects';
import { createIstioObject } from './private/istio-objects';
import { toDnsLabel } from './private/names';
import {
  createGatewayApiObject, GATEWAY_API_GROUP, gatewayApiTargetProblem, GatewayApiListenerRequest, ISTIO_GATEWAY_CLASS,
  ISTIO_GATEWAY_NAME_LABEL, NAMESPACE_NAME_LABEL,
} from './private/render/gateway-api-objects';
import { declareGatewayPods } from './synth/app-analysis';
import { validateWithIstioRules } from './synth/validation';

/**
 * Properties of a GatewayApiEgressGateway.
 */
export interface GatewayApiEgressGatewayProps {
  /**
   * The Gateway's name. Istio deploys the gateway as the Deployment and Service `<name>-istio`.
   * @default - the construct id, as a DNS label
   */
  readonly name?: string;
  /**
   * The namespace of the Gateway (and of the pods Istio deploys for it).
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * The cluster's DNS domain.
   * @default 'cluster.local'
   */
  readonly clusterDomain?: string;
}

interface Listener extends GatewayApiListenerRequest {
  readonly name: string;
  readonly owner: string;
}

/**
 * An egress gateway that Istio deploys from a Gateway API `Gateway` (class `istio`, a ClusterIP
 * Service): this construct emits the Gateway; routes that go through it add the listeners they need.
 *
 * It is an `IEgressGateway`: pass it to `EgressGatewayRoute` instead of an installed gateway and the
 * route renders the Gateway API form (HTTPRoute/TLSRoute parented to the ServiceEntry for the sidecars'
 * hop, and to this Gateway for the gateway's hop) instead of Istio's Gateway and VirtualService.
 *
 * Istio names the pods' Deployment and Service `<name>-istio` and labels the pods
 * `gateway.networking.k8s.io/gateway-name: <name>`; the Service's ports are the listeners' ports.
 *
 * @example
 * const gateway = new GatewayApiEgressGateway(chart, 'Egress', { name: 'egress', namespace: 'istio-egress' });
 * new EgressGatewayRoute(chart, 'CnnViaGateway', { host: cnn, gateway, gatewayMutualTls: false });
 */
export class GatewayApiEgressGateway extends Construct implements IEgressGateway {
  /** The Gateway's name. */
  public readonly gatewayName: string;
  public readonly namespace: string;
  public readonly selector: { [key: string]: string };
  public readonly serviceName: string;
  public readonly serviceHost: string;
  /** The Gateway API Gateway. */
  public readonly gateway: ApiObject;
  /**
   * The DestinationRules that make the sidecars speak Istio mutual TLS to the gateway, one per client
   * namespace (sidecars look DestinationRules up in their own namespace): one SNI per gateway port.
   */
  public readonly mutualTlsRules: ApiObject[] = [];
  /**
   * A Role and RoleBinding that let the gateway's service account list the Secrets of its namespace,
   * written when a route originates TLS here with a `credentialName` (istiod serves the Secret to the
   * gateway only then); empty otherwise.
   */
  public readonly secretAccess: ApiObject[] = [];

  private readonly listeners: Listener[] = [];
  private readonly errors: string[] = [];
  /** Per client namespace, the SNI each gateway port needs for the mesh's TLS. */
  private readonly mutualTls = new Map<string, Map<number, { sni: string; owner: string }>>();

  public constructor(scope: Construct, id: string, props: GatewayApiEgressGatewayProps = {}) {
    super(scope, id);
    this.gatewayName = props.name ?? toDnsLabel(id);
    this.namespace = props.namespace ?? Chart.of(this).namespace ?? '';
    if (!this.namespace) {
      this.errors.push('namespace is not set: routes in other namespaces must name the gateway\'s namespace. '
        + 'Fix: set the chart\'s namespace or the gateway\'s `namespace`.');
    }
    this.selector = { [ISTIO_GATEWAY_NAME_LABEL]: this.gatewayName };
    this.serviceName = `${this.gatewayName}-istio`;
    this.serviceHost = `${this.serviceName}.${this.namespace}.svc.${props.clusterDomain ?? 'cluster.local'}`;
    this.gateway = createGatewayApiObject(this, 'Resource', 'Gateway', {
      name: this.gatewayName,
      namespace: this.namespace || undefined,
      // The docs' egress gateways are internal: no load balancer.
      annotations: { 'networking.istio.io/service-type': 'ClusterIP' },
    }, Lazy.any({ produce: () => this.renderSpec() }));
    declareGatewayPods(this, this.selector);
    validateWithIstioRules(this, () => [this.gateway, ...this.mutualTlsRules], {
      extra: () => [
        ...this.errors,
        ...[gatewayApiTargetProblem(this)].filter((p): p is string => p !== undefined),
        ...(this.listeners.length === 0 ? ['no route goes through this gateway, and a Gateway needs at least one listener. '
          + 'Fix: pass the gateway to an EgressGatewayRoute, or remove it.'] : []),
        ...(this.listeners.length > 64 ? [`${this.listeners.length} listeners: a Gateway holds at most 64. Fix: spread the routes over several gateways.`] : []),
      ],
    });
  }

  /** The ports of the Service `<name>-istio`: one per listener port, named after its first listener. */
  public get ports(): GatewayServicePort[] {
    const ports: GatewayServicePort[] = [];
    for (const l of this.listeners) {
      if (!ports.some(p => p.port === l.port)) {
        ports.push({ port: l.port, name: l.name.replace(/\./g, '-').slice(0, 63) });
      }
    }
    return ports;
  }

  /**
   * Adds a listener for a route (internal: `EgressGatewayRoute` calls it) and returns its name, or
   * an error when the gateway cannot serve it.
   * @internal
   */
  public _addListener(request: GatewayApiListenerRequest, owner: IConstruct): { name?: string; error?: string } {
    const clash = this.listeners.find(l => l.port === request.port && l.protocol !== request.protocol);
    if (clash) {
      return {
        error: `port ${request.port}: the gateway ${this.namespace}/${this.gatewayName} already listens there with ${clash.protocol} `
          + `(for ${clash.owner}), and one port of a Gateway carries one protocol. Fix: choose another gateway port with \`gatewayPorts\`, or another gateway.`,
      };
    }
    const same = this.listeners.find(l => l.port === request.port && l.hostname === request.hostname);
    if (same) {
      return {
        error: `host ${request.hostname} port ${request.port}: the gateway ${this.namespace}/${this.gatewayName} already routes it for ${same.owner}. `
          + 'Fix: route each host and port through a gateway once.',
      };
    }
    const name = toDnsLabel(`${request.protocol.toLowerCase()}-${request.port}-${request.hostname}`);
    this.listeners.push({ ...request, name, owner: owner.node.path });
    return { name };
  }

  /**
   * Makes the sidecars of `clientNamespace` reach gateway port `port` with Istio mutual TLS and SNI
   * `sni` (internal). The SNI tells the gateway which HTTPS listener serves the connection; a port
   * takes one SNI per namespace, since a Gateway API route cannot pick a DestinationRule subset.
   * @internal
   */
  public _requireMutualTls(clientNamespace: string, port: number, sni: string, owner: IConstruct): string | undefined {
    let ports = this.mutualTls.get(clientNamespace);
    if (!ports) {
      ports = new Map();
      this.mutualTls.set(clientNamespace, ports);
      const byPort = ports;
      this.mutualTlsRules.push(createIstioObject(this, `MutualTls-${clientNamespace}`, 'DestinationRule',
        { name: toDnsLabel(`${this.serviceName}-mtls`), namespace: clientNamespace },
        Lazy.any({ produce: () => this.renderMutualTls(byPort) })));
    }
    const known = ports.get(port);
    if (known && known.sni !== sni) {
      return `gateway port ${port}: the sidecars of namespace ${clientNamespace} already reach it with mutual TLS for ${known.sni} (${known.owner}), `
        + `and a gateway port carries one SNI per namespace with the Gateway API. Fix: give ${sni} a gateway port of its own with \`gatewayPorts\`.`;
    }
    ports.set(port, { sni, owner: owner.node.path });
    return undefined;
  }

  /**
   * Lets the gateway's service account list the Secrets of its namespace, once (Istio names the gateway's service account `<name>-istio`).
   * @internal
   */
  public _allowSecretList(): void {
    if (this.secretAccess.length === 0) {
      this.secretAccess.push(...createSecretListAccess(this, this.serviceName, this.namespace));
    }
  }

  private renderMutualTls(ports: Map<number, { sni: string }>): Record<string, unknown> {
    return {
      host: this.serviceHost,
      trafficPolicy: {
        portLevelSettings: [...ports.entries()].sort(([a], [b]) => a - b)
          .map(([number, { sni }]) => ({ port: { number }, tls: { mode: 'ISTIO_MUTUAL', sni } })),
      },
    };
  }

  private renderSpec(): Record<string, unknown> {
    return {
      gatewayClassName: ISTIO_GATEWAY_CLASS,
      listeners: this.listeners.map(l => ({
        name: l.name,
        hostname: l.hostname,
        port: l.port,
        protocol: l.protocol,
        tls: l.protocol === 'TLS' ? { mode: 'Passthrough' }
          : l.protocol === 'HTTPS' ? { mode: 'Terminate', options: { 'gateway.istio.io/tls-terminate-mode': 'ISTIO_MUTUAL' } } : undefined,
        // Only the route that asked for the listener may attach: its kind, from its namespace.
        allowedRoutes: {
          namespaces: l.routeNamespace === this.namespace ? { from: 'Same' }
            : { from: 'Selector', selector: { matchLabels: { [NAMESPACE_NAME_LABEL]: l.routeNamespace } } },
          kinds: [{ group: GATEWAY_API_GROUP, kind: l.routeKind }],
        },
      })),
    };
  }
}
