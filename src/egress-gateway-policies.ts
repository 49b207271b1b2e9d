import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { EgressClient } from './egress-client';
import { IEgressGateway } from './egress-gateway';
import { EgressWaypoint } from './egress-waypoint';
import { createIstioObject } from './private/istio-objects';
import { toDnsLabel } from './private/names';
import { validateWithIstioRules } from './synth/validation';

/**
 * Properties of the egress gateway policies.
 */
export interface EgressGatewayPolicyProps {
  /** The egress gateway. */
  readonly gateway: IEgressGateway;
}

/**
 * What a policy at the gateway applies to: the gateway's pods by their labels, or a waypoint by
 * `targetRefs` (Istio ignores selectors for waypoints).
 */
function attachTo(gateway: IEgressGateway): Record<string, unknown> {
  return gateway instanceof EgressWaypoint
    ? { targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: gateway.gatewayName }] }
    : { selector: { matchLabels: { ...gateway.selector } } };
}

/**
 * Denies everything at an egress gateway that no AuthorizationPolicy allows: an ALLOW policy with no
 * rules on the gateway pods. Routes with `allowedClients` then open exactly what they name; routes
 * without them are closed.
 */
export class EgressGatewayDefaultDeny extends Construct {
  /** The AuthorizationPolicy. */
  public readonly authorizationPolicy: ApiObject;

  public constructor(scope: Construct, id: string, props: EgressGatewayPolicyProps) {
    super(scope, id);
    const { gateway } = props;
    this.authorizationPolicy = createIstioObject(this, 'Resource', 'AuthorizationPolicy',
      { name: toDnsLabel(`${gateway.serviceName}-deny-by-default`), namespace: gateway.namespace },
      Lazy.any({ produce: () => ({ ...attachTo(gateway), action: 'ALLOW' }) }));
    validateWithIstioRules(this, () => [this.authorizationPolicy]);
  }
}

/**
 * Access logs of every request through an egress gateway (Istio's Telemetry API, Envoy's log
 * provider), so that `kubectl logs` of the gateway shows what left the mesh, without reinstalling Istio.
 */
export class EgressGatewayAccessLog extends Construct {
  /** The Telemetry resource. */
  public readonly telemetry: ApiObject;

  public constructor(scope: Construct, id: string, props: EgressGatewayPolicyProps) {
    super(scope, id);
    const { gateway } = props;
    this.telemetry = createIstioObject(this, 'Resource', 'Telemetry',
      { name: toDnsLabel(`${gateway.serviceName}-access-log`), namespace: gateway.namespace },
      Lazy.any({ produce: () => ({ ...attachTo(gateway), accessLogging: [{ providers: [{ name: 'envoy' }] }] }) }));
    validateWithIstioRules(this, () => [this.telemetry]);
  }
}

/** What an authorization rule at the egress gateway does with the requests it matches. */
export enum GatewayAuthorizationAction {
  /** Let the matching requests through (every request no ALLOW rule matches is then denied). */
  ALLOW = 'ALLOW',
  /** Refuse the matching requests, whatever an ALLOW rule says. */
  DENY = 'DENY',
}

/**
 * One authorization rule for a host at the egress gateway, beyond `allowedClients`: who (clients,
 * principals), on which of the host's ports, and for HTTP which paths and methods. Every field that is
 * given must match; the rule always applies to the route's host only (matched on the SNI of the mesh's
 * mutual TLS, so the route needs `gatewayMutualTls`).
 */
export interface GatewayAuthorizationRule {
  /**
   * ALLOW or DENY.
   * @default GatewayAuthorizationAction.ALLOW
   */
  readonly action?: GatewayAuthorizationAction;
  /**
   * The workloads the rule is about (namespaces or service accounts).
   * @default - any workload
   */
  readonly clients?: EgressClient[];
  /**
   * Further principals, as Istio writes them (`<trust domain>/ns/<namespace>/sa/<service account>`),
   * for example of another trust domain.
   * @default - none beyond `clients`
   */
  readonly principals?: string[];
  /**
   * The host's ports the rule is about (the gateway matches the container port that carries each).
   * @default - every port the route sends through the gateway
   */
  readonly ports?: number[];
  /**
   * HTTP request paths: exact (`/status`), prefix (`/api/*`), suffix (`*.json`) or `*`. For HTTP
   * ports only (the gateway reads HTTP there: plain HTTP from the application inside the mesh's TLS).
   * @default - any path
   */
  readonly paths?: string[];
  /**
   * HTTP methods (`GET`, `POST`, ...). For HTTP ports only.
   * @default - any method
   */
  readonly methods?: string[];
}
