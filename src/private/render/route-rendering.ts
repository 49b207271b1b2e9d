/**
 * The interface between EgressGatewayRoute and its renderings: the route states the intent (host,
 * routed ports, gateway, mutual TLS, origination, client namespaces); a renderer writes the objects
 * for one kind of gateway. One file per rendering: istio-api.ts (an installed gateway, Istio's
 * Gateway and VirtualService), gateway-api.ts (a Gateway API Gateway that Istio deploys).
 */
import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { EgressClient } from '../../egress-client';
import { GatewayServicePort, IEgressGateway } from '../../egress-gateway';
import { GatewayAuthorizationRule } from '../../egress-gateway-policies';
import { EgressPort } from '../../egress-port';
import { ExternalHost, IExternalHost } from '../../external-host';
import { OWN_CODES } from '../../rules/codes';
import { acknowledge } from '../../synth/acknowledgements';
import { OriginationPlacement, TlsOrigination } from '../../tls-origination';
import { createIstioObject } from '../istio-objects';
import { createBackendTlsPolicy } from './gateway-api-objects';
import { toDnsLabel } from '../names';
import { MeshRouting } from '../traffic';

/** One external port and the gateway port that carries it. */
export interface RoutedPort {
  readonly port: EgressPort;
  readonly gatewayPort: GatewayServicePort;
}

/** What the route asks for, checked (a renderer may still refuse what it cannot write). */
export interface RouteIntent {
  readonly host: IExternalHost;
  /** The host the gateway sends to: `servedBy`, else `host`. */
  readonly destinationHost: IExternalHost;
  readonly servedBy?: IExternalHost;
  readonly gateway: IEgressGateway;
  /** The route's namespace (the clients'). */
  readonly namespace: string;
  /** The other namespaces whose sidecars use the route (of `allowedClients`), sorted. */
  readonly otherClientNamespaces: string[];
  readonly routed: RoutedPort[];
  readonly mutualTls: boolean;
  readonly tlsOrigination?: TlsOrigination;
  /** Where the origination's DestinationRule goes, when the user chose (else the rendering's default). */
  readonly originationPlacement?: OriginationPlacement;
  /** The namespace of Istio's Gateway object, when the user chose (else the gateway's namespace). */
  readonly gatewayObjectNamespace?: string;
  /** The `loadBalancer.simple` of the route's DestinationRules, when the user chose (a LoadBalancerPolicy value). */
  readonly loadBalancer?: string;
  /** The host's HTTP timeout and retries, which move to the route's sidecar hop. */
  readonly meshRouting?: MeshRouting;
}

/** The objects a rendering wrote; what does not apply to it is empty. */
export interface RenderedRoute {
  /** Istio's Gateway (installed gateways). */
  readonly istioGateway?: ApiObject;
  /** The DestinationRules for the gateway's Service, the route's namespace first (Istio API). */
  readonly destinationRules: ApiObject[];
  readonly virtualServices: ApiObject[];
  /** The DestinationRule subsets that stand for the hosts at the gateway (Istio API). */
  readonly subsetNames: string[];
  /** Gateway API routes: the sidecars' hop, then the gateway's hop. */
  readonly gatewayApiRoutes: ApiObject[];
  readonly referenceGrants: ApiObject[];
  /** The DestinationRules that originate TLS at the gateway, one per destination host. */
  readonly originationRules: ApiObject[];
  /** The BackendTLSPolicies that originate TLS instead (a waypoint; absent elsewhere). */
  readonly originationPolicies?: ApiObject[];
  /** What the intent asks that this rendering cannot write, each naming the fix. */
  readonly errors: string[];
}

/** A rendering of routes for one kind of gateway. */
export interface RouteRenderer {
  /** Why the rendering cannot route the host (a wildcard, `servedBy`), naming the fix; undefined when it can. */
  hostProblem(host: IExternalHost, servedBy: IExternalHost | undefined): string | undefined;
  /** Why the rendering cannot route `port`, naming the fix; undefined when it can. */
  portProblem(port: EgressPort, mutualTls: boolean): string | undefined;
  /**
   * The gateway port that carries `port`: `chosen` (the route's `gatewayPorts`) when set, else the
   * rendering's choice; undefined when the gateway has none (the route reports it).
   */
  gatewayPortFor(port: EgressPort, chosen: number | undefined): GatewayServicePort | undefined;
  /** Writes the route's objects below `scope`. */
  render(scope: Construct, intent: RouteIntent): RenderedRoute;
  /**
   * Writes an AuthorizationPolicy where the rendering places it itself (a waypoint: attached to the
   * ServiceEntry): with `action` ALLOW the one that admits `clients` (the route's `allowedClients`,
   * when given) and the ALLOW `rules`; with DENY the one of the DENY `rules`. Without it, the route
   * writes its policies for the gateway's pods.
   */
  authorizationPolicy?(
    scope: Construct, intent: RouteIntent, clients: EgressClient[] | undefined, trustDomain: string,
    rules: GatewayAuthorizationRule[], action: string,
  ): ApiObject;
}

/**
 * One rule of an AuthorizationPolicy for the route's host: its sources, its operation, and at a gateway
 * the host's SNI (a gateway serves many hosts; a waypoint's policy is attached to the host's
 * ServiceEntry already). A gateway matches the port its container listens on (the Service's
 * targetPort); a waypoint the ServiceEntry's port.
 */
export function authorizationRuleSpec(
  intent: RouteIntent, rule: GatewayAuthorizationRule, trustDomain: string, atWaypoint: boolean,
): Record<string, unknown> {
  const clients = rule.clients ?? [];
  const namespaces = [...new Set(clients.filter(c => c.serviceAccountName === undefined).map(c => c.namespace))].sort();
  const principals = [...new Set([...clients.map(c => c._principal(trustDomain)).filter((p): p is string => p !== undefined),
    ...(rule.principals ?? [])])].sort();
  const from = [
    ...(namespaces.length > 0 ? [{ source: { namespaces } }] : []),
    ...(principals.length > 0 ? [{ source: { principals } }] : []),
  ];
  const ports = rule.ports && [...new Set(intent.routed.filter(r => rule.ports!.includes(r.port.number))
    .map(r => String(atWaypoint ? r.port.number : r.gatewayPort.targetPort ?? r.gatewayPort.port)))];
  const operation = { ports, paths: rule.paths && [...rule.paths], methods: rule.methods && [...rule.methods] };
  const snis = [...new Set(intent.host.hosts.map(h => sniFor(intent, h)))];
  return {
    from: from.length > 0 ? from : undefined,
    to: ports || operation.paths || operation.methods ? [{ operation }] : undefined,
    when: atWaypoint ? undefined : [{ key: 'connection.sni', values: snis }],
  };
}

/** The SNI of the mesh's TLS to the gateway: the host, or for a wildcard the server that serves it. */
export function sniFor(intent: RouteIntent, host: string): string {
  return host.startsWith('*') ? intent.destinationHost.hosts[0] : host;
}

/**
 * Why an egress gateway cannot originate with a BackendTLSPolicy, or undefined. The library originates
 * at a gateway for the gateway's pods only (a DestinationRule with workloadSelector); Istio makes a
 * DestinationRule from a BackendTLSPolicy without workloadSelector and without exportTo, in the
 * ServiceEntry's namespace (pilot/pkg/config/kube/gateway/backend_policies.go DestinationRuleCollection),
 * so every sidecar without a rule of its own for the host applies it too.
 */
export function gatewayOriginationProblem(intent: RouteIntent): string | undefined {
  const origination = intent.tlsOrigination;
  // With the docs' placement the user has chosen a rule every proxy applies: a BackendTLSPolicy is one.
  if (!origination?._byBackendTlsPolicy || originatesBesideHost(intent)) {
    return undefined;
  }
  const host = intent.destinationHost.hosts[0] ?? intent.destinationHost.name;
  return 'tlsOrigination carriedBy = "BackendTLSPolicy": an egress gateway originates TLS for its own pods only (a DestinationRule with '
    + 'workloadSelector), and a BackendTLSPolicy cannot be limited so: Istio turns it into a DestinationRule for the host\'s port that every '
    + `sidecar applies too, so sidecars that reach ${host}:${origination.port} directly would wrap the applications' own TLS a second time. `
    + 'Fix: leave carriedBy out (a DestinationRule for the gateway\'s pods), choose that every proxy originates '
    + '(originationPlacement: OriginationPlacement.besideHost()), or originate with a BackendTLSPolicy at a waypoint (EgressWaypoint) '
    + 'or at the sidecar (ExternalHost tlsOrigination).';
}

/**
 * The BackendTLSPolicy that carries the gateway's TLS origination when the user chose
 * `TlsOriginationObject.backendTlsPolicy()` with `OriginationPlacement.besideHost()`: it targets the
 * port of the destination's ServiceEntry that the gateway sends to (Istio makes the docs' rule of it,
 * in the ServiceEntry's namespace, for every proxy). Empty otherwise; `errors` say what the policy
 * cannot carry.
 */
export function createOriginationPolicies(scope: Construct, intent: RouteIntent): { policies: ApiObject[]; errors: string[] } {
  const origination = intent.tlsOrigination;
  if (!origination?._byBackendTlsPolicy || !originatesBesideHost(intent)) {
    return { policies: [], errors: [] };
  }
  const destination = intent.destinationHost;
  if (!(destination instanceof ExternalHost)) {
    return {
      policies: [],
      errors: ['tlsOrigination carriedBy = "BackendTLSPolicy": the policy targets the ServiceEntry of an ExternalHost, and '
      + `${destination.name} is none. Fix: leave carriedBy out (a DestinationRule).`],
    };
  }
  const ports = () => destination.ports.filter(p => p.number === origination.port);
  const errors = origination._backendTlsPolicyProblems(scope, destination.hosts, ports(), destination._trafficPolicy() !== undefined);
  if (ports().length === 0) {
    errors.push(`tlsOrigination port = ${origination.port}: the BackendTLSPolicy targets that port of ${destination.hosts.join(', ')} by its name, `
      + `and the host does not declare it. Fix: declare it (e.g. EgressPort.https(${origination.port})).`);
  }
  if (intent.loadBalancer !== undefined) {
    errors.push(`loadBalancer = "${intent.loadBalancer}": a BackendTLSPolicy carries TLS only. Fix: leave loadBalancer out, or leave carriedBy out (a DestinationRule).`);
  }
  const policy = createBackendTlsPolicy(scope, 'BackendTLSPolicy', toDnsLabel(`${destination.name}-tls-origination`), destination.namespace,
    destination.name, destination.hosts[0] ?? '', ports, origination);
  return { policies: [policy], errors };
}

/** Why a rendering that does not write the route's own DestinationRules cannot take `loadBalancer`, or undefined. */
export function loadBalancerProblem(intent: RouteIntent, rendering: string): string | undefined {
  return intent.loadBalancer === undefined ? undefined
    : `loadBalancer = "${intent.loadBalancer}": ${rendering} does not write a DestinationRule of the route for the gateway's Service, `
      + 'where the balancing across the gateway\'s pods goes. Fix: leave loadBalancer out, or route the host through an installed gateway (EgressGateway).';
}

/** Whether the origination's DestinationRule goes beside the host's ServiceEntry (the docs' placement) rather than to the gateway's pods only. */
export function originatesBesideHost(intent: RouteIntent): boolean {
  return intent.originationPlacement?.placement === 'besideHost';
}

/**
 * The DestinationRules that open TLS at the gateway, one per destination host (empty without
 * origination): by default for the gateway's pods only; with `OriginationPlacement.besideHost()` in the
 * host's namespace for every proxy that sees the host (the sidecars' double TLS on the host's TLS port
 * is then the user's choice: EGR134 is acknowledged for these rules).
 */
/** Whether the route's TLS origination names a Secret (credentialName) that the gateway's proxy must be allowed to read. */
export function originatesWithCredential(intent: RouteIntent): boolean {
  const origination = intent.tlsOrigination;
  return origination !== undefined && origination._render(intent.destinationHost.hosts[0] ?? '').credentialName !== undefined;
}

export function createOriginationRules(scope: Construct, intent: RouteIntent): ApiObject[] {
  const origination = intent.tlsOrigination;
  // A BackendTLSPolicy carries it instead (createOriginationPolicies), or it was refused (gatewayOriginationProblem).
  if (!origination || origination._byBackendTlsPolicy) {
    return [];
  }
  const destination = intent.destinationHost;
  const beside = originatesBesideHost(intent);
  if (beside) {
    acknowledge(scope, OWN_CODES.DOUBLETLS, 'OriginationPlacement.besideHost() was chosen: every proxy that sees the host originates TLS on its TLS port');
  }
  return destination.hosts.map((name, i) => createIstioObject(scope, `TlsOrigination${i}`, 'DestinationRule',
    {
      name: toDnsLabel(`${toDnsLabel(name)}-tls-origination`),
      namespace: beside ? destination.namespace ?? (intent.namespace || undefined) : intent.gateway.namespace,
    },
    Lazy.any({
      produce: () => {
        const policy = destination instanceof ExternalHost ? destination._trafficPolicy() : undefined;
        return {
          host: name,
          // By default only the gateway's pods originate: the rule is theirs alone.
          workloadSelector: beside ? undefined : { matchLabels: { ...intent.gateway.selector } },
          exportTo: beside ? undefined : ['.'],
          trafficPolicy: {
            ...policy,
            loadBalancer: intent.loadBalancer ? { simple: intent.loadBalancer } : undefined,
            portLevelSettings: [{ port: { number: origination.port }, tls: origination._render(name) }],
          },
        };
      },
    })));
}
