import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { GatewayServicePort, IEgressGateway } from './egress-gateway';
import { createSecretListAccess } from './private/core-objects';
import { toDnsLabel } from './private/names';
import { createGatewayApiObject, gatewayApiTargetProblem, ISTIO_GATEWAY_NAME_LABEL } from './private/render/gateway-api-objects';
import { declareGatewayPods } from './synth/app-analysis';
import { validateWithIstioRules } from './synth/validation';

/** The GatewayClass of Istio's waypoints. */
const WAYPOINT_CLASS = 'istio-waypoint';
/** The port of the waypoint's HBONE listener, where ztunnel sends the mesh's traffic. */
const HBONE_PORT = 15008;

/**
 * Properties of an EgressWaypoint.
 */
export interface EgressWaypointProps {
  /**
   * The waypoint's name (its Gateway, and the Deployment, Service and service account Istio creates for it).
   * @default 'waypoint' (the name `istioctl waypoint apply` gives)
   */
  readonly name?: string;
  /**
   * The namespace of the waypoint: the egress namespace, where the external hosts' ServiceEntries live.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * The cluster's DNS domain.
   * @default 'cluster.local'
   */
  readonly clusterDomain?: string;
}

/**
 * A waypoint proxy used as the egress gateway of an ambient mesh: a Gateway API `Gateway` of class
 * `istio-waypoint` for service traffic (`istio.io/waypoint-for: service`) with the HBONE listener
 * `mesh` on 15008, as `istioctl waypoint apply --for service` writes it.
 *
 * It is an `IEgressGateway`: pass it to `EgressGatewayRoute` instead of an installed gateway and the
 * route renders the ambient form of Istio's egress gateway task. ztunnel sends the traffic to an
 * external host through the waypoint once the host's ServiceEntry is bound to it: the ServiceEntry
 * must live in the waypoint's namespace and carries `istio.io/use-waypoint: <name>` unless the
 * namespace does (a `MeshNamespace` with `useWaypoint`). `allowedClients` become an
 * AuthorizationPolicy attached to the ServiceEntry (`targetRefs`), TLS origination a ServiceEntry
 * `targetPort` plus a DestinationRule (or, with `TlsOriginationObject.backendTlsPolicy()`, a BackendTLSPolicy).
 *
 * Istio labels the waypoint's pods `gateway.networking.k8s.io/gateway-name: <name>`.
 *
 * @example
 * new MeshNamespace(chart, 'EgressNamespace', { name: 'istio-egress', dataplaneMode: DataplaneMode.AMBIENT });
 * const waypoint = new EgressWaypoint(chart, 'Waypoint', { namespace: 'istio-egress' });
 * const httpbin = new ExternalHost(chart, 'Httpbin', { hosts: ['httpbin.org'], ports: [EgressPort.http(80)], metadata: { namespace: 'istio-egress' } });
 * new EgressGatewayRoute(chart, 'HttpbinViaWaypoint', { host: httpbin, gateway: waypoint });
 */
export class EgressWaypoint extends Construct implements IEgressGateway {
  /** The waypoint's name. */
  public readonly gatewayName: string;
  public readonly namespace: string;
  public readonly selector: { [key: string]: string };
  public readonly serviceName: string;
  public readonly serviceHost: string;
  /** The Gateway API Gateway of class `istio-waypoint`. */
  public readonly gateway: ApiObject;
  /**
   * A Role and RoleBinding that let the waypoint's service account list the Secrets of its namespace,
   * written when a route originates TLS here with a `credentialName` (istiod serves the Secret to the
   * waypoint only then); empty otherwise.
   */
  public readonly secretAccess: ApiObject[] = [];

  private readonly errors: string[] = [];

  public constructor(scope: Construct, id: string, props: EgressWaypointProps = {}) {
    super(scope, id);
    this.gatewayName = props.name ?? 'waypoint';
    this.namespace = props.namespace ?? Chart.of(this).namespace ?? '';
    if (!this.namespace) {
      this.errors.push('namespace is not set: the external hosts\' ServiceEntries must live in the waypoint\'s namespace. '
        + 'Fix: set the chart\'s namespace or the waypoint\'s `namespace`.');
    }
    if (this.gatewayName !== toDnsLabel(this.gatewayName) || this.gatewayName === 'none') {
      this.errors.push(`name = "${this.gatewayName}": a waypoint is named by a DNS label ("none" means no waypoint). Fix: use e.g. "waypoint".`);
    }
    this.selector = { [ISTIO_GATEWAY_NAME_LABEL]: this.gatewayName };
    this.serviceName = this.gatewayName;
    this.serviceHost = `${this.serviceName}.${this.namespace}.svc.${props.clusterDomain ?? 'cluster.local'}`;
    this.gateway = createGatewayApiObject(this, 'Resource', 'Gateway', {
      name: this.gatewayName,
      namespace: this.namespace || undefined,
      labels: { 'istio.io/waypoint-for': 'service' },
    }, {
      gatewayClassName: WAYPOINT_CLASS,
      listeners: [{ name: 'mesh', port: HBONE_PORT, protocol: 'HBONE' }],
    });
    declareGatewayPods(this, this.selector);
    validateWithIstioRules(this, () => [this.gateway], {
      extra: () => [...this.errors, ...[gatewayApiTargetProblem(this)].filter((p): p is string => p !== undefined)],
    });
  }

  /**
   * Lets the gateway's service account list the Secrets of its namespace, once (Istio names a waypoint's service account after the waypoint).
   * @internal
   */
  public _allowSecretList(): void {
    if (this.secretAccess.length === 0) {
      this.secretAccess.push(...createSecretListAccess(this, this.gatewayName, this.namespace));
    }
  }

  /** The waypoint's port: HBONE on 15008 (ztunnel's mutual TLS tunnel). */
  public get ports(): GatewayServicePort[] {
    return [{ port: HBONE_PORT, name: 'mesh' }];
  }
}
