import { ApiObject, Chart, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { EgressClient } from './egress-client';
import { IEgressGateway } from './egress-gateway';
import { GatewayAuthorizationAction, GatewayAuthorizationRule } from './egress-gateway-policies';
import { EgressWaypoint } from './egress-waypoint';
import { ExternalHost, IExternalHost } from './external-host';
import { GatewayApiEgressGateway } from './gateway-api-egress-gateway';
import { LoadBalancerPolicy } from './load-balancer';
import { registerRoute } from './private/app-routes';
import { createIstioObject } from './private/istio-objects';
import { toDnsLabel } from './private/names';
import { istioApiRenderer } from './private/render/istio-api';
import { RouteIntent, RouteRenderer, RoutedPort, authorizationRuleSpec, sniFor } from './private/render/route-rendering';
import { filterList, mapList, show } from './rules/finding';
import { isKubernetesLabelName } from './rules/names';
import { declareClusterObject, declareGatewayPods } from './synth/app-analysis';
import { noteChange } from './synth/library-object';
import { validateWithIstioRules } from './synth/validation';

// The Gateway API and ambient renderings load with the first route that uses them, not with the library.
/* eslint-disable @typescript-eslint/no-require-imports */
const gatewayApiRendering = () => require('./private/render/gateway-api') as typeof import('./private/render/gateway-api');
const ambientRendering = () => require('./private/render/ambient') as typeof import('./private/render/ambient');
/* eslint-enable @typescript-eslint/no-require-imports */
import { OriginationPlacement, TlsOrigination } from './tls-origination';

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
   * Applies to the routed HTTP ports. A BackendTLSPolicy (`TlsOriginationObject.backendTlsPolicy()`)
   * carries it at a waypoint only: at an egress gateway it would apply to every sidecar as well.
   * @default - no origination: HTTP goes out as HTTP, HTTPS and TLS pass through by SNI
   */
  readonly tlsOrigination?: TlsOrigination;
  /**
   * Where the DestinationRule that originates TLS at the gateway goes (with `tlsOrigination`):
   * `OriginationPlacement.gatewayOnly()`, in the gateway's namespace for its pods only, or
   * `OriginationPlacement.besideHost()`, beside the host's ServiceEntry for every proxy, as Istio's
   * task writes it. The default is the narrow one: sidecars that reach the host's TLS port directly
   * then never wrap their applications' TLS a second time.
   * @default OriginationPlacement.gatewayOnly() (the ambient rendering: besideHost, as Istio's ambient task)
   */
  readonly originationPlacement?: OriginationPlacement;
  /**
   * The load balancing of the route's DestinationRules: across the gateway's pods (the host's subset of
   * the gateway's Service) and, with `tlsOrigination`, across the host's addresses at the gateway (the
   * origination rule), as Istio's "Egress Gateways with TLS Origination" task writes
   * `loadBalancer: { simple: ROUND_ROBIN }`. Installed gateways only.
   * @default - Istio's default (LEAST_REQUEST), not written
   */
  readonly loadBalancer?: LoadBalancerPolicy;
  /**
   * The namespace of the Istio `Gateway` object that configures the gateway's servers for the host
   * (installed gateways only). Istio applies a Gateway of any namespace to the pods its selector
   * matches (unless istiod runs with PILOT_SCOPE_GATEWAY_TO_NAMESPACE); Istio's egress tasks put it in
   * the clients' namespace. In the route's own namespace, the VirtualServices name it by its short name.
   * @default - the egress gateway's namespace
   */
  readonly gatewayObjectNamespace?: string;
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
   * Authorization at the gateway beyond `allowedClients`, for this host: ALLOW and DENY rules by
   * clients, principals, ports, and for HTTP ports paths and methods. ALLOW rules join the policy of
   * `allowedClients` (any ALLOW policy on the gateway's pods denies what none allows); DENY rules go to
   * a DENY policy of their own. Needs `gatewayMutualTls` (the host is matched on the SNI of the mesh's TLS).
   * @default - none beyond `allowedClients`
   */
  readonly authorizationRules?: GatewayAuthorizationRule[];
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

/**
 * Sends the traffic of an external host through an egress gateway.
 *
 * The gateway picks the rendering. For an installed gateway (`EgressGateway`), it emits Istio's
 * API objects, linked so that they cannot disagree:
 * - a Gateway in the gateway's namespace (or `gatewayObjectNamespace`), selecting its pods, with a
 *   server per port and host;
 * - a DestinationRule for the gateway's Service with a subset per host, in the client namespace
 *   (with `ISTIO_MUTUAL` and the host as SNI, unless `gatewayMutualTls` is off);
 * - a VirtualService per host, bound to `mesh` and to the namespace-qualified Gateway, with a route
 *   from the sidecars to the gateway subset first and a route from the gateway to the host second;
 * - with `tlsOrigination`, a DestinationRule in the gateway's namespace, for the gateway pods only,
 *   that opens TLS to the host (or, with `OriginationPlacement.besideHost()`, beside the ServiceEntry
 *   for every proxy, as Istio's task writes it);
 * - with `allowedClients` and `authorizationRules`, AuthorizationPolicies for the gateway's pods
 *   (ALLOW, and DENY for the DENY rules), limited to the host by SNI.
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
  /**
   * The BackendTLSPolicies that originate TLS at a waypoint (with `tlsOrigination` carried by
   * `TlsOriginationObject.backendTlsPolicy()`; otherwise empty).
   */
  public readonly backendTlsPolicies: ApiObject[];
  /** The AuthorizationPolicy on the egress gateway that allows `allowedClients` and the ALLOW `authorizationRules` (undefined without them). */
  public readonly authorizationPolicy?: ApiObject;
  /** The AuthorizationPolicy on the egress gateway with the DENY `authorizationRules` (undefined without them). */
  public readonly denyPolicy?: ApiObject;
  /** The DestinationRule subsets that stand for the hosts at the gateway, one per host (empty with a Gateway API gateway). */
  public readonly subsetNames: string[];
  /** The namespace of the clients. */
  public readonly namespace: string;
  /** Whether sidecars reach the gateway with Istio mutual TLS. */
  public readonly gatewayMutualTls: boolean;

  private readonly routed: RoutedPort[];
  /** `allowedClients` without the entries that are no EgressClient (other languages may pass them; each is reported). */
  private readonly allowedClients: EgressClient[];
  private readonly errors: string[] = [];
  private readonly destinationHost: IExternalHost;
  /** The gateway picks the rendering: Istio's API for an installed gateway, the Gateway API for a GatewayApiEgressGateway. */
  private readonly renderer: RouteRenderer;
  private readonly gatewayApi?: GatewayApiEgressGateway;
  private readonly _istioGateway?: ApiObject;

  public constructor(scope: Construct, id: string, private readonly props: EgressGatewayRouteProps) {
    super(scope, id);
    const { host, gateway } = props;
    this.allowedClients = this.checkedAllowedClients();
    this.host = host;
    this.egressGateway = gateway;
    this.destinationHost = props.servedBy ?? host;
    this.gatewayApi = gateway instanceof GatewayApiEgressGateway ? gateway : undefined;
    this.renderer = gateway instanceof EgressWaypoint ? ambientRendering().ambientRenderer(gateway)
      : this.gatewayApi ? gatewayApiRendering().gatewayApiRenderer(this.gatewayApi) : istioApiRenderer(gateway);
    this.gatewayMutualTls = props.gatewayMutualTls ?? true;
    this.namespace = props.namespace ?? Chart.of(this).namespace ?? host.namespace ?? '';
    if (!this.namespace) {
      this.errors.push('namespace is not set: the route must know the clients\' namespace to place its VirtualService and '
        + 'DestinationRule and to check that the host is visible there. Fix: set the chart\'s namespace or the route\'s `namespace`.');
    }
    this.checkHosts();
    this.checkPlacements();
    this.routed = this.selectPorts();
    const clients = this.allowedClients;
    // The route's sidecar hop carries the host's timeout and retries (the host's own VirtualServices go).
    const meshRouting = host instanceof ExternalHost ? host._claimMeshRouting(this) : undefined;
    const intent: RouteIntent = {
      host,
      destinationHost: this.destinationHost,
      servedBy: props.servedBy,
      gateway,
      namespace: this.namespace,
      otherClientNamespaces: this.otherClientNamespaces(clients),
      routed: this.routed,
      mutualTls: this.gatewayMutualTls,
      tlsOrigination: props.tlsOrigination,
      originationPlacement: props.originationPlacement,
      gatewayObjectNamespace: props.gatewayObjectNamespace,
      loadBalancer: props.loadBalancer,
      meshRouting,
    };
    const rendered = this.renderer.render(this, intent);
    this.errors.push(...rendered.errors);
    this._istioGateway = rendered.istioGateway;
    this.destinationRules = rendered.destinationRules;
    this.virtualServices = rendered.virtualServices;
    this.subsetNames = rendered.subsetNames;
    this.gatewayApiRoutes = rendered.gatewayApiRoutes;
    this.referenceGrants = rendered.referenceGrants;
    this.originationRules = rendered.originationRules;
    this.backendTlsPolicies = rendered.originationPolicies ?? [];
    const rules = this.checkAuthorizationRules(intent);
    const trustDomain = this.props.trustDomain ?? 'cluster.local';
    if (props.allowedClients || rules.allow.length > 0) {
      this.authorizationPolicy = this.renderer.authorizationPolicy?.(this, intent, props.allowedClients ? clients : undefined, trustDomain, rules.allow, 'ALLOW')
        ?? createIstioObject(this, 'AuthorizationPolicy', 'AuthorizationPolicy',
          { name: toDnsLabel(`${this.namespace}-${host.name}-egress`), namespace: gateway.namespace },
          Lazy.any({ produce: () => this.renderAuthorizationPolicy(intent, clients, rules.allow) }));
    }
    if (props.allowedClients) {
      this.checkClients(clients);
    }
    if (rules.deny.length > 0) {
      this.denyPolicy = this.renderer.authorizationPolicy?.(this, intent, undefined, trustDomain, rules.deny, 'DENY')
        ?? createIstioObject(this, 'DenyPolicy', 'AuthorizationPolicy',
          { name: toDnsLabel(`${this.namespace}-${host.name}-egress-deny`), namespace: gateway.namespace },
          Lazy.any({
            produce: () => ({
              selector: { matchLabels: { ...gateway.selector } },
              action: 'DENY',
              rules: rules.deny.map(r => authorizationRuleSpec(intent, r, this.props.trustDomain ?? 'cluster.local', false)),
            }),
          }));
    }
    const namespaces = new Set<string>();
    for (const ns of [this.namespace, gateway.namespace, ...mapList(clients, c => c.namespace)]) {
      if (ns) {
        namespaces.add(ns);
      }
    }
    for (const consumer of new Set([host, this.destinationHost])) {
      for (const namespace of namespaces) {
        consumer.addConsumer(namespace, this);
      }
    }
    const origination = props.tlsOrigination;
    origination?._acknowledgeIn(this);
    declareGatewayPods(this, gateway.selector);
    declareGatewayService(this, gateway);
    registerRoute(this);
    // With bad input the objects are incomplete; report the input, not its consequences.
    validateWithIstioRules(this,
      () => (this.errors.length > 0 ? [] : [
        ...(this._istioGateway ? [this._istioGateway] : []), ...this.destinationRules, ...this.virtualServices,
        ...this.gatewayApiRoutes, ...this.referenceGrants, ...this.originationRules, ...this.backendTlsPolicies,
        ...(this.authorizationPolicy ? [this.authorizationPolicy] : []), ...(this.denyPolicy ? [this.denyPolicy] : []),
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
    return this.destinationRules[0] ?? this.noIstioObject('destinationRule', 'the DestinationRules for mutual TLS are `gateway.mutualTlsRules`');
  }

  private noIstioObject(property: string, instead: string): never {
    const gateway = this.egressGateway as { gatewayName?: string };
    throw new Error(`[${this.node.path}] ${property}: the route renders through the ${this.gatewayApi ? 'Gateway API gateway' : 'waypoint'} `
      + `${this.egressGateway.namespace}/${gateway.gatewayName ?? this.egressGateway.serviceName}, so it has no such Istio object. `
      + `Fix: use ${this.gatewayApi ? `\`gatewayApiRoutes\` (${instead})` : 'the host\'s ServiceEntry and the route\'s `authorizationPolicy`'}.`);
  }

  /** Whether `allowedClients` names workloads of `namespace` (a lockdown of that namespace then imports this route's host). */
  public allowsNamespace(namespace: string): boolean {
    return [...this.allowedClients, ...this.allowRuleClients()].some(c => c.namespace === namespace);
  }

  /** The EgressClients of `allowedClients`; anything else in it (a hole, null, a string) is reported, naming the fix. */
  private checkedAllowedClients(): EgressClient[] {
    const given: unknown = this.props.allowedClients;
    // null as well: other languages' "none" for an optional prop, which the route has always read as not given.
    if (given === undefined || given === null) {
      return [];
    }
    if (!Array.isArray(given)) {
      this.errors.push(`allowedClients = ${show(given)} is not a list. Fix: give a list of EgressClient.inNamespace(...) or EgressClient.serviceAccount(...).`);
      return [];
    }
    const clients: EgressClient[] = [];
    for (let i = 0; i < given.length; i++) {
      if (given[i] instanceof EgressClient) {
        clients.push(given[i]);
      } else {
        this.errors.push(`allowedClients[${i}] = ${show(given[i])} is not an EgressClient. `
          + 'Fix: use EgressClient.inNamespace(namespace) or EgressClient.serviceAccount(namespace, name).');
      }
    }
    return clients;
  }

  /** The clients the ALLOW `authorizationRules` name (well-formed ones only: the checks report the others). */
  private allowRuleClients(): EgressClient[] {
    const rules = Array.isArray(this.props.authorizationRules) ? this.props.authorizationRules : [];
    const clients: EgressClient[] = [];
    for (const rule of rules) {
      if (rule && (rule.action ?? GatewayAuthorizationAction.ALLOW) === GatewayAuthorizationAction.ALLOW && Array.isArray(rule.clients)) {
        clients.push(...filterList(rule.clients, c => c instanceof EgressClient));
      }
    }
    return clients;
  }

  /**
   * The namespaces of the clients other than the route's own, sorted: those of `allowedClients` and of the ALLOW
   * rules, and the host's own `clientNamespaces` (names it refuses are left to its message).
   */
  private otherClientNamespaces(clients: EgressClient[]): string[] {
    const { host } = this.props;
    const namespaces = new Set<string>();
    for (const client of [...clients, ...this.allowRuleClients()]) {
      namespaces.add(client.namespace);
    }
    if (host instanceof ExternalHost) {
      for (const ns of host.clientNamespaces) {
        if (typeof ns === 'string' && isKubernetesLabelName(ns)) {
          namespaces.add(ns);
        }
      }
    }
    namespaces.delete(this.namespace);
    return [...namespaces].sort();
  }

  /**
   * The `authorizationRules`, checked (they may come from other jsii languages) and split by action:
   * what a policy at the gateway cannot express is reported, naming the fix.
   */
  private checkAuthorizationRules(intent: RouteIntent): { allow: GatewayAuthorizationRule[]; deny: GatewayAuthorizationRule[] } {
    const given = this.props.authorizationRules;
    const allow: GatewayAuthorizationRule[] = [];
    const deny: GatewayAuthorizationRule[] = [];
    if (given === undefined) {
      return { allow, deny };
    }
    if (!Array.isArray(given) || given.length === 0) {
      this.errors.push('authorizationRules is empty or not a list. Fix: give at least one rule, or leave authorizationRules out.');
      return { allow, deny };
    }
    if (!this.gatewayMutualTls) {
      this.errors.push('authorizationRules need gatewayMutualTls: the rules match the host on the SNI of the mesh\'s TLS to the gateway, '
        + 'and identities travel only in it. Fix: leave gatewayMutualTls on.');
    }
    const strings = (v: unknown) => v === undefined || (Array.isArray(v) && v.every(x => typeof x === 'string' && x.length > 0));
    given.forEach((rule, i) => {
      const at = `authorizationRules[${i}]`;
      if (rule === null || typeof rule !== 'object') {
        this.errors.push(`${at} = ${JSON.stringify(rule)} is not a rule. Fix: give a GatewayAuthorizationRule.`);
        return;
      }
      const action = rule.action ?? GatewayAuthorizationAction.ALLOW;
      if (!Object.values(GatewayAuthorizationAction).includes(action)) {
        this.errors.push(`${at}.action = ${JSON.stringify(action)} is not ALLOW or DENY. Fix: use GatewayAuthorizationAction.ALLOW or .DENY.`);
        return;
      }
      if (rule.clients !== undefined && (!Array.isArray(rule.clients) || !rule.clients.every(c => c instanceof EgressClient))) {
        this.errors.push(`${at}.clients must be a list of EgressClient. Fix: use EgressClient.inNamespace() or EgressClient.serviceAccount().`);
        return;
      }
      for (const field of ['principals', 'paths', 'methods'] as const) {
        if (!strings(rule[field])) {
          this.errors.push(`${at}.${field} must be a list of non-empty strings. Fix: write them as such, or leave ${field} out.`);
          return;
        }
      }
      this.errors.push(...(rule.clients ?? []).flatMap(c => c._problems().map(p => `${at}.${p}`)));
      if (rule.clients?.length === 0 || rule.principals?.length === 0 || rule.ports?.length === 0 || rule.paths?.length === 0
        || rule.methods?.length === 0) {
        this.errors.push(`${at}: an empty list matches nothing in Istio's policy. Fix: leave the field out to match any value.`);
        return;
      }
      const routed = intent.routed;
      const ports = rule.ports ?? routed.map(r => r.port.number);
      const unrouted = ports.filter(p => !routed.some(r => r.port.number === p));
      if (unrouted.length > 0) {
        this.errors.push(`${at}.ports: ${unrouted.join(', ')} ${unrouted.length > 1 ? 'are' : 'is'} not routed through the gateway by this route `
          + `(it routes ${routed.map(r => r.port.number).join(', ') || 'none'}). Fix: name routed ports only.`);
        return;
      }
      const opaque = routed.filter(r => ports.includes(r.port.number) && !r.port.isHttp);
      if ((rule.paths || rule.methods) && opaque.length > 0) {
        const what = action === GatewayAuthorizationAction.ALLOW ? 'an ALLOW rule with them never matches there' : 'a DENY rule drops them there and '
          + 'denies every connection the rest of the rule matches';
        this.errors.push(`${at}: paths and methods are HTTP attributes, and the gateway forwards port ${opaque.map(r => r.port.number).join(', ')} `
          + `as a TLS or TCP stream (${what}). Fix: name the HTTP ports in ports, or leave paths and methods out.`);
        return;
      }
      (action === GatewayAuthorizationAction.DENY ? deny : allow).push(rule);
    });
    return { allow, deny };
  }

  /**
   * What the policy cannot express: an empty list (written out, it would allow every workload) and
   * malformed names. (Without mutual TLS to the gateway the policy denies everyone: its objects show
   * that, IDENTITY_WITHOUT_MTLS.)
   */
  private checkClients(clients: EgressClient[]): void {
    if (Array.isArray(this.props.allowedClients) && this.props.allowedClients.length === 0) {
      this.errors.push('allowedClients is empty, so nobody could use the route. Fix: name the namespaces or service accounts, '
        + 'or leave allowedClients out.');
    }
    this.errors.push(...clients.flatMap(c => c._problems()));
  }

  private renderAuthorizationPolicy(intent: RouteIntent, clients: EgressClient[], allowRules: GatewayAuthorizationRule[]): Record<string, unknown> {
    const trustDomain = this.props.trustDomain ?? 'cluster.local';
    const namespaces = [...new Set(clients.filter(c => c.serviceAccountName === undefined).map(c => c.namespace))].sort();
    const principals = [...new Set(clients.map(c => c._principal(trustDomain)).filter((p): p is string => p !== undefined))].sort();
    const sources = [
      ...(namespaces.length > 0 ? [{ source: { namespaces } }] : []),
      ...(principals.length > 0 ? [{ source: { principals } }] : []),
    ];
    // `hosts` is an HTTP attribute that never matches TLS or TCP at the gateway; the SNI of the mesh's TLS always does.
    const snis = [...new Set(this.props.host.hosts.map(h => sniFor(intent, h)))];
    return {
      selector: { matchLabels: { ...this.props.gateway.selector } },
      action: 'ALLOW',
      rules: [
        ...(this.props.allowedClients ? [{ from: sources, when: [{ key: 'connection.sni', values: snis }] }] : []),
        ...allowRules.map(r => authorizationRuleSpec(intent, r, this.props.trustDomain ?? 'cluster.local', false)),
      ],
    };
  }

  /** The placements come from other jsii languages too: check their types and values. */
  private checkPlacements(): void {
    const { originationPlacement, gatewayObjectNamespace, tlsOrigination, loadBalancer } = this.props;
    if (loadBalancer !== undefined && !Object.values(LoadBalancerPolicy).includes(loadBalancer)) {
      this.errors.push(`loadBalancer = ${JSON.stringify(loadBalancer)} is not a LoadBalancerPolicy. `
        + 'Fix: use LoadBalancerPolicy.ROUND_ROBIN, LEAST_REQUEST or RANDOM, or leave loadBalancer out.');
    }
    if (originationPlacement !== undefined && !(originationPlacement instanceof OriginationPlacement)) {
      this.errors.push(`originationPlacement = ${JSON.stringify(originationPlacement)} is not an OriginationPlacement. `
        + 'Fix: pass OriginationPlacement.gatewayOnly() or OriginationPlacement.besideHost().');
    } else if (originationPlacement !== undefined && !tlsOrigination) {
      this.errors.push('originationPlacement is set without tlsOrigination, so there is no origination to place. '
        + 'Fix: leave originationPlacement out, or add tlsOrigination.');
    }
    if (gatewayObjectNamespace !== undefined
      && (typeof gatewayObjectNamespace !== 'string' || !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(gatewayObjectNamespace))) {
      this.errors.push(`gatewayObjectNamespace = ${JSON.stringify(gatewayObjectNamespace)} is not a namespace name (a lower-case DNS label). `
        + 'Fix: give the namespace name, or leave gatewayObjectNamespace out (the gateway\'s namespace).');
    }
  }

  /**
   * Wildcards need a concrete server, which must be one host. (A destination that the gateway cannot
   * resolve itself, resolution NONE, shows in the objects: GATEWAY_LOOP.)
   */
  private checkHosts(): void {
    const { host, servedBy } = this.props;
    const wildcard = host.hosts.find(h => h.startsWith('*'));
    const unsupported = this.renderer.hostProblem(host, servedBy);
    if (unsupported) {
      this.errors.push(unsupported);
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
    const numbers = this.props.ports ?? mapList(filterList(host.ports, p => !tlsOrigination || p.isHttp), p => p.number);
    const routed: RoutedPort[] = [];
    const refusedBefore = this.errors.length;
    for (const number of numbers) {
      const port = host.ports.find(p => p.number === number);
      if (!port) {
        this.errors.push(`ports: ${number} is not a port of ${host.hosts.join(', ')} (it declares ${declared(host)}). `
          + `Fix: route one of the declared ports, or add EgressPort for ${number} to the ExternalHost.`);
        continue;
      }
      const unsupported = this.renderer.portProblem(port, this.gatewayMutualTls);
      if (unsupported) {
        this.errors.push(unsupported);
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
      const gatewayPort = this.renderer.gatewayPortFor(port, this.props.gatewayPorts?.[String(number)]);
      if (!gatewayPort) {
        this.errors.push(`ports: ${number} (${port.protocol}) has no matching port on the egress gateway ${gateway.serviceHost}, which listens on `
          + `${gateway.ports.map(p => `${p.port} (${p.name})`).join(', ')}. Fix: add a Service port for it to the gateway, `
          + 'describe the gateway\'s ports with EgressGateway.fromAttributes(), and choose one with `gatewayPorts`.');
        continue;
      }
      routed.push({ port, gatewayPort });
    }
    // A port refused above may be the HTTP port meant: its error is the cause, not a second problem.
    if (tlsOrigination && !routed.some(r => r.port.isHttp) && this.errors.length === refusedBefore) {
      this.errors.push('tlsOrigination: no HTTP port is routed, so there is nothing to originate TLS for (HTTPS and TLS ports already carry the '
        + 'application\'s own TLS). Fix: route the host\'s HTTP port, or remove tlsOrigination.');
    }
    return routed;
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
  const ports = mapList(gateway.ports, p => ({ name: p.name, port: p.port, targetPort: p.targetPort ?? p.port, protocol: 'TCP' }));
  const known = services.get(key);
  if (known) {
    // The object handed to the analysis is this one: the ports it lacks are added in place.
    for (const port of ports) {
      if (!known.spec.ports.some(k => k.port === port.port)) {
        known.spec.ports.push(port);
      }
    }
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
