import { ApiObject, Chart, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { EgressClient } from './egress-client';
import { GatewayServicePort, IEgressGateway } from './egress-gateway';
import { EgressPort } from './egress-port';
import { ExternalHost, IExternalHost } from './external-host';
import { GatewayApiEgressGateway } from './gateway-api-egress-gateway';
import { registerRoute } from './private/app-routes';
import { createIstioObject } from './private/istio-objects';
import { toDnsLabel } from './private/names';
import { gatewayApiPortProblem, renderGatewayApiRoute } from './private/render/gateway-api';
import { MeshRouting } from './private/traffic';
import { toCidr } from './rules/names';
import { MESH_GATEWAY } from './rules/virtual-service';
import { declareClusterObject, declareGatewayPods } from './synth/app-analysis';
import { noteChange } from './synth/library-object';
import { validateWithIstioRules } from './synth/validation';
import { TlsOrigination } from './tls-origination';

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
  /**
   * Whether sidecars talk to the gateway with Istio mutual TLS (`ISTIO_MUTUAL`, with the external
   * host as SNI), so that the gateway sees the workloads' identities (needed by identity-based
   * authorization at the gateway). Turn it off for meshes without mTLS to the gateway.
   * @default true
   */
  readonly gatewayMutualTls?: boolean;
  /**
   * Open TLS to the external host at the gateway, for applications that speak plain HTTP: the
   * gateway sends their requests to `tlsOrigination.port` (which the host must declare as HTTPS or TLS).
   * Applies to the routed HTTP ports.
   * @default - no origination: HTTP goes out as HTTP, HTTPS and TLS pass through by SNI
   */
  readonly tlsOrigination?: TlsOrigination;
  /**
   * The gateway Service port that carries each external port, keyed by the external port number.
   * Opaque TCP ports (TCP, Mongo, MySQL, Redis) need a gateway port of their own: without mutual
   * TLS to the gateway nothing else tells their hosts apart there.
   * @default - the same number when the gateway's Service has it, otherwise its first port of the
   * same protocol family (HTTP or HTTPS/TLS, by the Service port's name)
   */
  readonly gatewayPorts?: { [externalPort: string]: number };
  /**
   * The only workloads that may use this route: an AuthorizationPolicy on the egress gateway allows
   * them (by namespace or service account, matched on the SNI of the mesh's TLS) and nobody else,
   * and the host is made visible in their namespaces. Needs `gatewayMutualTls` (identities travel in the mTLS).
   * @default - no authorization at the gateway: any workload that can see the host may use it
   */
  readonly allowedClients?: EgressClient[];
  /**
   * The mesh's trust domain, for service-account principals.
   * @default 'cluster.local'
   */
  readonly trustDomain?: string;
  /**
   * The concrete host that serves a wildcard `host` (for example `www.wikipedia.org` for
   * `*.wikipedia.org`): an Envoy gateway cannot resolve arbitrary names of a domain, so it sends all
   * of them to this one server.
   * @default - none: `host` must be concrete
   */
  readonly servedBy?: IExternalHost;
}

/** One external port and the gateway port that carries it. */
interface RoutedPort {
  readonly port: EgressPort;
  readonly gatewayPort: GatewayServicePort;
}

/**
 * Sends the traffic of an external host through an egress gateway.
 *
 * The gateway picks the rendering. For an installed gateway (`EgressGateway`), it emits Istio's
 * API objects, linked so that they cannot disagree:
 * - a Gateway in the gateway's namespace, selecting its pods, with a server per port and host;
 * - a DestinationRule for the gateway's Service with a subset per host, in the client namespace
 *   (with `ISTIO_MUTUAL` and the host as SNI, unless `gatewayMutualTls` is off);
 * - a VirtualService per host, bound to `mesh` and to the namespace-qualified Gateway, with a route
 *   from the sidecars to the gateway subset first and a route from the gateway to the host second;
 * - with `tlsOrigination`, a DestinationRule in the gateway's namespace, for the gateway pods only,
 *   that opens TLS to the host.
 *
 * HTTP ports get `http` routes. HTTPS and TLS ports are routed by SNI (`tls` routes from the
 * sidecars; at the gateway a PASSTHROUGH server, or with mutual TLS a server that ends the mesh's
 * TLS and forwards the application's own TLS stream with a `tcp` route).
 *
 * For a `GatewayApiEgressGateway`, it emits the Gateway API form of Istio's egress tasks: per port an
 * HTTPRoute (HTTP) or TLSRoute (TLS, passed through) parented to the host's ServiceEntry with the
 * gateway's Service as backend, a listener on the Gateway and a route parented to it with the host
 * (`kind: Hostname`) as backend, a ReferenceGrant when the gateway lives in another namespace, and
 * with `gatewayMutualTls` an HTTPS listener that ends the mesh's mutual TLS (`ISTIO_MUTUAL`) plus the
 * gateway's DestinationRule that makes the sidecars speak it. TLS origination and `allowedClients`
 * render as for an installed gateway (a DestinationRule and an AuthorizationPolicy for the gateway's pods).
 *
 * @example
 * new EgressGatewayRoute(chart, 'WikipediaViaGateway', {
 *   host: wikipedia,
 *   gateway: EgressGateway.istioDefault(),
 * });
 */
export class EgressGatewayRoute extends Construct {
  /** The external host routed. */
  public readonly host: IExternalHost;
  /** The egress gateway the traffic goes through. */
  public readonly egressGateway: IEgressGateway;
  /**
   * The DestinationRules for the gateway's Service: the route's, then one per other namespace of
   * `allowedClients` (sidecars look up DestinationRules in their own namespace, the Service's and the root).
   * Empty with a Gateway API gateway (its construct holds the DestinationRules for mutual TLS).
   */
  public readonly destinationRules: ApiObject[];
  /** The VirtualServices, one per host (empty with a Gateway API gateway). */
  public readonly virtualServices: ApiObject[];
  /**
   * The Gateway API routes (with a `GatewayApiEgressGateway`; otherwise empty): the sidecars' hop
   * (parented to the ServiceEntry), then the gateway's hop (parented to the Gateway).
   */
  public readonly gatewayApiRoutes: ApiObject[];
  /** The ReferenceGrants that let the routes use the gateway's Service in its namespace (Gateway API only). */
  public readonly referenceGrants: ApiObject[];
  /** The DestinationRules that originate TLS at the gateway, one per destination host (empty without `tlsOrigination`). */
  public readonly originationRules: ApiObject[];
  /** The AuthorizationPolicy on the egress gateway that allows `allowedClients` (undefined without them). */
  public readonly authorizationPolicy?: ApiObject;
  /** The DestinationRule subsets that stand for the hosts at the gateway, one per host (empty with a Gateway API gateway). */
  public readonly subsetNames: string[];
  /** The namespace of the clients. */
  public readonly namespace: string;
  /** Whether sidecars reach the gateway with Istio mutual TLS. */
  public readonly gatewayMutualTls: boolean;

  private readonly routed: RoutedPort[];
  private readonly errors: string[] = [];
  private readonly destinationHost: IExternalHost;
  private readonly gatewayRef: string;
  /** The host's HTTP timeout and retries, which move to the route's sidecar hop. */
  private readonly meshRouting?: MeshRouting;
  /** Whether the gateway is one that the Gateway API describes (it picks the rendering). */
  private readonly gatewayApi?: GatewayApiEgressGateway;
  private readonly _istioGateway?: ApiObject;
  private readonly _destinationRule?: ApiObject;

  public constructor(scope: Construct, id: string, private readonly props: EgressGatewayRouteProps) {
    super(scope, id);
    const { host, gateway } = props;
    this.host = host;
    this.egressGateway = gateway;
    this.destinationHost = props.servedBy ?? host;
    this.gatewayApi = gateway instanceof GatewayApiEgressGateway ? gateway : undefined;
    this.gatewayMutualTls = props.gatewayMutualTls ?? true;
    this.namespace = props.namespace ?? Chart.of(this).namespace ?? host.namespace ?? '';
    if (!this.namespace) {
      this.errors.push('namespace is not set: the route must know the clients\' namespace to place its VirtualService and '
        + 'DestinationRule and to check that the host is visible there. Fix: set the chart\'s namespace or the route\'s `namespace`.');
    }
    this.checkHosts();
    this.routed = this.selectPorts();
    this.subsetNames = this.gatewayApi ? [] : host.hosts.map(h => toDnsLabel(h));

    const base = toDnsLabel(`${host.name}-egress`);
    const gatewayName = toDnsLabel(`${this.namespace}-${host.name}`);
    this.gatewayRef = `${gateway.namespace}/${gatewayName}`;
    const clientNamespace = this.namespace || undefined;
    const single = host.hosts.length === 1;
    const clients = props.allowedClients ?? [];
    const otherClientNamespaces = [...new Set(clients.map(c => c.namespace))].filter(ns => ns !== this.namespace).sort();

    if (this.gatewayApi) {
      this.meshRouting = host instanceof ExternalHost ? host._claimMeshRouting(this) : undefined;
      const rendered = renderGatewayApiRoute(this, {
        host,
        gateway: this.gatewayApi,
        namespace: this.namespace,
        clientNamespaces: [this.namespace, ...otherClientNamespaces],
        routed: this.routed.map(r => ({ port: r.port, gatewayPort: r.gatewayPort.port })),
        mutualTls: this.gatewayMutualTls,
        originationPort: props.tlsOrigination?.port,
        meshRouting: this.meshRouting,
      });
      this.errors.push(...rendered.errors);
      this.gatewayApiRoutes = [...rendered.meshRoutes, ...rendered.gatewayRoutes];
      this.referenceGrants = rendered.referenceGrants;
      this.virtualServices = [];
    } else {
      this._istioGateway = createIstioObject(this, 'Gateway', 'Gateway', { name: gatewayName, namespace: gateway.namespace },
        Lazy.any({ produce: () => this.renderGateway() }));
      this._destinationRule = createIstioObject(this, 'DestinationRule', 'DestinationRule', { name: base, namespace: clientNamespace },
        Lazy.any({ produce: () => this.renderDestinationRule() }));
      this.virtualServices = host.hosts.map((name, i) => createIstioObject(this, single ? 'Resource' : `Resource${i}`, 'VirtualService',
        { name: single ? base : toDnsLabel(`${toDnsLabel(name)}-egress`), namespace: clientNamespace },
        Lazy.any({ produce: () => this.renderVirtualService(i) })));
      this.gatewayApiRoutes = [];
      this.referenceGrants = [];
    }
    const origination = props.tlsOrigination;
    this.originationRules = origination
      ? this.destinationHost.hosts.map((name, i) => createIstioObject(this, `TlsOrigination${i}`, 'DestinationRule',
        { name: toDnsLabel(`${toDnsLabel(name)}-tls-origination`), namespace: gateway.namespace },
        Lazy.any({ produce: () => this.renderOrigination(name, origination) })))
      : [];

    this.destinationRules = this._destinationRule
      ? [this._destinationRule, ...otherClientNamespaces.map(ns => createIstioObject(this, `DestinationRule-${ns}`, 'DestinationRule',
        { name: base, namespace: ns }, Lazy.any({ produce: () => this.renderDestinationRule() })))]
      : [];
    if (props.allowedClients) {
      this.authorizationPolicy = createIstioObject(this, 'AuthorizationPolicy', 'AuthorizationPolicy',
        { name: toDnsLabel(`${this.namespace}-${host.name}-egress`), namespace: gateway.namespace },
        Lazy.any({ produce: () => this.renderAuthorizationPolicy(clients) }));
      this.checkClients(clients);
    }
    const namespaces = new Set([this.namespace, gateway.namespace, ...clients.map(c => c.namespace)].filter(ns => ns));
    for (const consumer of new Set([host, this.destinationHost])) {
      for (const namespace of namespaces) {
        consumer.addConsumer(namespace, this);
      }
    }
    if (!this.gatewayApi) {
      this.meshRouting = host instanceof ExternalHost ? host._claimMeshRouting(this) : undefined;
    }

    origination?._acknowledgeIn(this);
    declareGatewayPods(this, gateway.selector);
    declareGatewayService(this, gateway);
    registerRoute(this);
    // With bad input the objects are incomplete; report the input, not its consequences.
    validateWithIstioRules(this,
      () => (this.errors.length > 0 ? [] : [
        ...(this._istioGateway ? [this._istioGateway] : []), ...this.destinationRules, ...this.virtualServices,
        ...this.gatewayApiRoutes, ...this.referenceGrants, ...this.originationRules,
        ...(this.authorizationPolicy ? [this.authorizationPolicy] : []),
      ]),
      {
        extra: () => [...this.errors, ...(origination?._problems(gateway.namespace, `the egress gateway (namespace ${gateway.namespace})`, this) ?? [])],
      });
  }

  /** The Istio Gateway resource (in the egress gateway's namespace); only for an installed gateway. */
  public get istioGateway(): ApiObject {
    return this._istioGateway ?? this.noIstioObject('istioGateway', 'the Gateway API Gateway is `gateway.gateway`');
  }

  /** The DestinationRule for the gateway's Service, in the route's namespace; only for an installed gateway. */
  public get destinationRule(): ApiObject {
    return this._destinationRule ?? this.noIstioObject('destinationRule', 'the DestinationRules for mutual TLS are `gateway.mutualTlsRules`');
  }

  private noIstioObject(property: string, instead: string): never {
    throw new Error(`[${this.node.path}] ${property}: the route renders through the Gateway API gateway ${this.egressGateway.namespace}/`
      + `${this.gatewayApi?.gatewayName}, so it has no such Istio object. Fix: use \`gatewayApiRoutes\` (${instead}).`);
  }

  /** Whether `allowedClients` names workloads of `namespace` (a lockdown of that namespace then imports this route's host). */
  public allowsNamespace(namespace: string): boolean {
    return (this.props.allowedClients ?? []).some(c => c.namespace === namespace);
  }

  /**
   * What the policy cannot express: an empty list (written out, it would allow every workload) and
   * malformed names. (Without mutual TLS to the gateway the policy denies everyone: its objects show
   * that, IDENTITY_WITHOUT_MTLS.)
   */
  private checkClients(clients: EgressClient[]): void {
    if (clients.length === 0) {
      this.errors.push('allowedClients is empty, so nobody could use the route. Fix: name the namespaces or service accounts, '
        + 'or leave allowedClients out.');
    }
    this.errors.push(...clients.flatMap(c => c._problems()));
  }

  private renderAuthorizationPolicy(clients: EgressClient[]): Record<string, unknown> {
    const trustDomain = this.props.trustDomain ?? 'cluster.local';
    const namespaces = [...new Set(clients.filter(c => c.serviceAccountName === undefined).map(c => c.namespace))].sort();
    const principals = [...new Set(clients.map(c => c._principal(trustDomain)).filter((p): p is string => p !== undefined))].sort();
    const sources = [
      ...(namespaces.length > 0 ? [{ source: { namespaces } }] : []),
      ...(principals.length > 0 ? [{ source: { principals } }] : []),
    ];
    // `hosts` is an HTTP attribute that never matches TLS or TCP at the gateway; the SNI of the mesh's TLS always does.
    const snis = [...new Set(this.props.host.hosts.map(h => this.sniFor(h)))];
    return {
      selector: { matchLabels: { ...this.props.gateway.selector } },
      action: 'ALLOW',
      rules: [{ from: sources, when: [{ key: 'connection.sni', values: snis }] }],
    };
  }

  /**
   * Wildcards need a concrete server, which must be one host. (A destination that the gateway cannot
   * resolve itself, resolution NONE, shows in the objects: GATEWAY_LOOP.)
   */
  private checkHosts(): void {
    const { host, servedBy } = this.props;
    const wildcard = host.hosts.find(h => h.startsWith('*'));
    if (this.gatewayApi && (wildcard || servedBy)) {
      this.errors.push(`${servedBy ? 'servedBy' : `host "${wildcard}"`}: the Gateway API rendering routes concrete hosts only. `
        + 'Fix: route the wildcard domain through an installed gateway (EgressGateway.istioDefault(), fromHelmRelease(), fromAttributes()).');
      return;
    }
    if (wildcard && !servedBy) {
      this.errors.push(`host "${wildcard}": an Envoy egress gateway cannot route arbitrary names of a wildcard domain. `
        + 'Fix: name the concrete host that serves the whole domain with `servedBy`, or reach the wildcard domain directly without a gateway.');
    }
    if (servedBy) {
      const bad = servedBy.hosts.find(h => h.startsWith('*'));
      if (bad || servedBy.hosts.length !== 1) {
        this.errors.push(`servedBy: ${servedBy.hosts.join(', ')} must be one concrete host. Fix: use an ExternalHost with a single host name.`);
      }
    }
  }

  /** Picks the host's ports and the gateway ports that carry them, recording what cannot be routed. */
  private selectPorts(): RoutedPort[] {
    const { host, gateway, tlsOrigination } = this.props;
    const declared = (h: IExternalHost) => h.ports.map(p => `${p.number} (${p.protocol})`).join(', ') || 'none';
    // With origination the gateway speaks TLS to the origination port itself: by default only HTTP ports are routed.
    const numbers = this.props.ports ?? host.ports.filter(p => !tlsOrigination || p.isHttp).map(p => p.number);
    const routed: RoutedPort[] = [];
    for (const number of numbers) {
      const port = host.ports.find(p => p.number === number);
      if (!port) {
        this.errors.push(`ports: ${number} is not a port of ${host.hosts.join(', ')} (it declares ${declared(host)}). `
          + `Fix: route one of the declared ports, or add EgressPort for ${number} to the ExternalHost.`);
        continue;
      }
      const gatewayApiProblem = this.gatewayApi ? gatewayApiPortProblem(port, this.gatewayMutualTls) : undefined;
      if (gatewayApiProblem) {
        this.errors.push(gatewayApiProblem);
        continue;
      }
      if (!port.isHttp && !port.isTls && host.addresses.length === 0) {
        this.errors.push(`ports: ${number} (${port.protocol}) is opaque TCP: without the host's addresses the sidecars cannot tell its traffic `
          + `from any other TCP traffic on port ${number}, and would send all of it to the gateway. Fix: give the ExternalHost its addresses (IPs or CIDR blocks).`);
        continue;
      }
      if (tlsOrigination && port.isTls && number === tlsOrigination.port) {
        this.errors.push(`ports: ${number} (${port.protocol}) is the port the gateway originates TLS to, so the applications' own TLS on it `
          + 'would be wrapped in a second TLS session. Fix: leave the port out of `ports` (route the HTTP port only), or remove tlsOrigination.');
        continue;
      }
      // A destination port that the destination host does not declare shows in the objects (IST0101 host:port).
      const destinationPort = port.isHttp && tlsOrigination ? tlsOrigination.port : number;
      const served = this.destinationHost.ports.find(p => p.number === destinationPort);
      if (tlsOrigination && port.isHttp && served && !served.isTls) {
        this.errors.push(`tlsOrigination.port: ${destinationPort} of ${this.destinationHost.hosts.join(', ')} is ${served.protocol}, not HTTPS or TLS. `
          + 'Fix: originate TLS to the host\'s HTTPS port.');
        continue;
      }
      // A chosen port that the gateway's Service lacks shows in the objects (IST0101 for the route to it, IST0162 for the server).
      const chosen = this.props.gatewayPorts?.[String(number)];
      if (this.gatewayApi) {
        // The routes add the Gateway's listeners: its Service gets the port.
        routed.push({ port, gatewayPort: { port: chosen ?? number, name: '' } });
        continue;
      }
      const gatewayPort = chosen === undefined ? gatewayPortFor(gateway, port) : gateway.ports.find(p => p.port === chosen) ?? { port: chosen, name: '' };
      if (!gatewayPort) {
        this.errors.push(`ports: ${number} (${port.protocol}) has no matching port on the egress gateway ${gateway.serviceHost}, which listens on `
          + `${gateway.ports.map(p => `${p.port} (${p.name})`).join(', ')}. Fix: add a Service port for it to the gateway, `
          + 'describe the gateway\'s ports with EgressGateway.fromAttributes(), and choose one with `gatewayPorts`.');
        continue;
      }
      routed.push({ port, gatewayPort });
    }
    if (tlsOrigination && !routed.some(r => r.port.isHttp)) {
      this.errors.push('tlsOrigination: no HTTP port is routed, so there is nothing to originate TLS for (HTTPS and TLS ports already carry the '
        + 'application\'s own TLS). Fix: route the host\'s HTTP port, or remove tlsOrigination.');
    }
    return routed;
  }

  private renderGateway(): Record<string, unknown> {
    const hosts = this.props.host.hosts;
    return {
      selector: { ...this.props.gateway.selector },
      servers: this.routed.flatMap(({ port, gatewayPort }) => hosts.map((host, i) => {
        const protocol = serverProtocol(port, this.gatewayMutualTls);
        const suffix = hosts.length > 1 ? `-${i}` : '';
        return {
          port: { number: gatewayPort.port, name: `${String(protocol).toLowerCase()}-${gatewayPort.port}${suffix}`, protocol },
          hosts: [host],
          tls: this.gatewayMutualTls ? { mode: 'ISTIO_MUTUAL' } : (port.isTls ? { mode: 'PASSTHROUGH' } : undefined),
        };
      })),
    };
  }

  private renderDestinationRule(): Record<string, unknown> {
    const gatewayPorts = [...new Set(this.routed.map(r => r.gatewayPort.port))].sort((a, b) => a - b);
    return {
      host: this.props.gateway.serviceHost,
      subsets: this.props.host.hosts.map((host, i) => ({
        name: this.subsetNames[i],
        trafficPolicy: this.gatewayMutualTls && gatewayPorts.length > 0 ? {
          portLevelSettings: gatewayPorts.map(number => ({ port: { number }, tls: { mode: 'ISTIO_MUTUAL', sni: this.sniFor(host) } })),
        } : undefined,
      })),
    };
  }

  /** The SNI of the mesh's TLS to the gateway: the host, or for a wildcard the server that serves it. */
  private sniFor(host: string): string {
    return host.startsWith('*') ? this.destinationHost.hosts[0] : host;
  }

  private renderVirtualService(index: number): Record<string, unknown> {
    const host = this.props.host.hosts[index];
    const destination = this.props.servedBy ? this.destinationHost.hosts[0] : host;
    const subset = this.subsetNames[index];
    const toGateway = (r: RoutedPort) => ({
      destination: { host: this.props.gateway.serviceHost, subset, port: { number: r.gatewayPort.port } },
      weight: 100,
    });
    const toHost = (port: number) => ({ destination: { host: destination, port: { number: port } }, weight: 100 });
    const fromMesh = (r: RoutedPort, extra: Record<string, unknown> = {}) => ({ gateways: [MESH_GATEWAY], port: r.port.number, ...extra });
    const fromGateway = (r: RoutedPort, extra: Record<string, unknown> = {}) => ({ gateways: [this.gatewayRef], port: r.gatewayPort.port, ...extra });
    const origination = this.props.tlsOrigination;

    const http = this.routed.filter(r => r.port.isHttp).flatMap(r => [
      { match: [fromMesh(r)], route: [toGateway(r)], timeout: this.meshRouting?.timeout, retries: this.meshRouting?.retries },
      { match: [fromGateway(r)], route: [toHost(origination ? origination.port : r.port.number)] },
    ]);
    const tlsPorts = this.routed.filter(r => r.port.isTls);
    const opaquePorts = this.routed.filter(r => !r.port.isHttp && !r.port.isTls);
    const tls = tlsPorts.flatMap(r => [
      { match: [fromMesh(r, { sniHosts: [host] })], route: [toGateway(r)] },
      // Without mTLS the gateway passes the stream through by SNI; with it, the gateway ends the mesh's TLS first.
      ...(this.gatewayMutualTls ? [] : [{ match: [fromGateway(r, { sniHosts: [host] })], route: [toHost(r.port.number)] }]),
    ]);
    // Opaque TCP is told apart by port and by the host's addresses.
    const addresses = this.props.host.addresses.map(toCidr);
    const tcp = [
      ...opaquePorts.map(r => ({ match: [fromMesh(r, { destinationSubnets: addresses })], route: [toGateway(r)] })),
      ...(this.gatewayMutualTls ? tlsPorts : []).concat(opaquePorts).map(r => ({ match: [fromGateway(r)], route: [toHost(r.port.number)] })),
    ];
    return {
      hosts: [host],
      gateways: [this.gatewayRef, MESH_GATEWAY],
      http: http.length > 0 ? http : undefined,
      tls: tls.length > 0 ? tls : undefined,
      tcp: tcp.length > 0 ? tcp : undefined,
    };
  }

  private renderOrigination(host: string, origination: TlsOrigination): Record<string, unknown> {
    const policy = this.destinationHost instanceof ExternalHost ? this.destinationHost._trafficPolicy() : undefined;
    return {
      host,
      // Only the gateway's pods originate: the rule is theirs alone.
      workloadSelector: { matchLabels: { ...this.props.gateway.selector } },
      exportTo: ['.'],
      trafficPolicy: {
        ...policy,
        portLevelSettings: [{ port: { number: origination.port }, tls: origination._render(host) }],
      },
    };
  }
}

/** Per app: the egress gateway Services its routes declare, by `namespace/name`. */
const gatewayServicesByApp = new WeakMap<IConstruct, Map<string, { spec: { ports: Array<Record<string, unknown>> } }>>();

/**
 * Tells the analysis that the gateway's Service exists in the cluster, with the ports the gateway
 * reference lists (all of them, when several references describe one Service): routes and Gateway
 * servers on ports it lacks then show in the objects (IST0101, IST0162).
 */
function declareGatewayService(scope: IConstruct, gateway: IEgressGateway): void {
  const root = scope.node.root;
  const services = gatewayServicesByApp.get(root) ?? new Map<string, { spec: { ports: Array<Record<string, unknown>> } }>();
  gatewayServicesByApp.set(root, services);
  const key = `${gateway.namespace}/${gateway.serviceName}`;
  const ports = gateway.ports.map(p => ({ name: p.name, port: p.port, targetPort: p.targetPort ?? p.port, protocol: 'TCP' }));
  const known = services.get(key);
  if (known) {
    // The object handed to the analysis is this one: the ports it lacks are added in place.
    known.spec.ports.push(...ports.filter(p => !known.spec.ports.some(k => k.port === p.port)));
    noteChange();
    return;
  }
  const service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: gateway.serviceName, namespace: gateway.namespace },
    spec: { selector: { ...gateway.selector }, ports },
  };
  services.set(key, service);
  declareClusterObject(scope, service);
}

/** The Gateway server protocol for an external port: the mesh's TLS wraps everything when mTLS is on. */
function serverProtocol(port: EgressPort, mutualTls: boolean): string {
  if (port.isHttp) {
    return mutualTls ? 'HTTPS' : port.protocol;
  }
  return port.isTls || mutualTls ? 'TLS' : 'TCP';
}

/**
 * The gateway Service port that carries an external port: the same number when the gateway
 * listens on it, otherwise the first port of the same protocol family (by the port name's prefix).
 */
function gatewayPortFor(gateway: IEgressGateway, port: EgressPort): GatewayServicePort | undefined {
  const same = gateway.ports.find(p => p.port === port.number);
  if (same || (!port.isHttp && !port.isTls)) {
    return same;
  }
  const isTlsName = (name: string) => name === 'https' || name.startsWith('https-') || name.startsWith('tls');
  const isHttpName = (name: string) => !isTlsName(name) && (name.startsWith('http') || name.startsWith('grpc'));
  return gateway.ports.find(p => (port.isTls ? isTlsName(p.name) : port.isHttp && isHttpName(p.name)));
}
