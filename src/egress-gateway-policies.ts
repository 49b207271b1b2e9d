import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
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
