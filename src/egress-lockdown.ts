import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { EgressGateway, IEgressGateway } from './egress-gateway';
import { EgressGatewayRoute } from './egress-gateway-route';
import { ExternalHost, IExternalHost } from './external-host';
import { DataplaneMode, MeshNamespace } from './mesh-namespace';
import { routesOf } from './private/app-routes';
import { NAMESPACE_NAME_LABEL, NetworkPolicyEgressRule, NetworkPolicyPeer, NetworkPolicyPort, createNetworkPolicy } from './private/core-objects';
import { enumProblem } from './private/enums';
import { createIstioObject } from './private/istio-objects';
import { toDnsLabel } from './private/names';
import { labelProblems } from './rules/labels';
import { checkPortNumber, isCidr, isEveryAddress, namespaceNameProblem, toCidr } from './rules/names';
import { acknowledge, isRuleAcknowledged } from './synth/acknowledgements';
import { validateWithIstioRules } from './synth/validation';

/** A selector of these labels; `{}` (every object) without labels. */
function labelSelector(labels: { [key: string]: string }): { matchLabels?: Record<string, string> } {
  return Object.keys(labels).length > 0 ? { matchLabels: { ...labels } } : {};
}

/**
 * A transport protocol of a NetworkPolicy port.
 */
export enum NetworkProtocol {
  TCP = 'TCP',
  UDP = 'UDP',
  SCTP = 'SCTP',
}

/**
 * A port, or a range of ports, that a NetworkPolicy allows.
 */
export interface AllowedPort {
  /** The port (the first of the range with `endPort`). */
  readonly port: number;
  /**
   * The protocol.
   * @default NetworkProtocol.TCP
   */
  readonly protocol?: NetworkProtocol;
  /**
   * The last port of a range that starts at `port`.
   * @default - `port` only
   */
  readonly endPort?: number;
}

/**
 * Labels by which the lockdown's NetworkPolicy selects a namespace, instead of the name label
 * `kubernetes.io/metadata.name` that Kubernetes sets on every namespace (Istio's docs label
 * `istio-system` with `istio: system` and `kube-system` with `kube-system: "true"`, and select those).
 */
export interface NamespaceLabels {
  /** The namespace. */
  readonly namespace: string;
  /** Labels that the namespace has (and, for the policy to be tight, no other namespace has). */
  readonly labels: { [key: string]: string };
}

/**
 * A destination that the lockdown's NetworkPolicy allows besides those it derives: an IP block, or
 * pods selected by labels. An IP block cannot be combined with labels (the API server refuses it).
 */
export interface AllowedDestination {
  /**
   * An IP block (`10.0.0.0/16`, `2001:db8::/32`, or one address). A block of every address (`/0`)
   * opens the pods to the whole internet on `ports`, so the synth refuses it unless acknowledged
   * (EGR205).
   * @default - pods selected by `namespaceLabels` and `podLabels`
   */
  readonly cidr?: string;
  /**
   * Blocks inside `cidr` that are not allowed.
   * @default - none
   */
  readonly except?: string[];
  /**
   * Labels of the namespaces (`{}` for every namespace).
   * @default - the lockdown's own namespace (give `podLabels`)
   */
  readonly namespaceLabels?: { [key: string]: string };
  /**
   * Labels of the pods (`{}` for every pod).
   * @default - every pod of the namespaces of `namespaceLabels`
   */
  readonly podLabels?: { [key: string]: string };
  /**
   * The ports.
   * @default - every port
   */
  readonly ports?: AllowedPort[];
}

/**
 * The shape of the lockdown's NetworkPolicy. The defaults are the narrowest policy that works; Istio's
 * docs write a wider one (every pod of the labelled `istio-system`, DNS on UDP only, nothing in the
 * namespace itself), which these options can write too.
 */
export interface LockdownNetworkPolicyOptions {
  /**
   * Labels by which the policy selects namespaces it names (the control plane's, the gateways', the
   * DNS namespace, `allowNamespaces`).
   * @default - each namespace by its name label, `kubernetes.io/metadata.name`
   */
  readonly namespaceLabels?: NamespaceLabels[];
  /**
   * Allow every pod of the control plane namespace on every port (as Istio's docs do), instead of
   * istiod's pods on port 15012. Gateways in that namespace need no rule of their own then.
   * @default false
   */
  readonly wholeControlPlaneNamespace?: boolean;
  /**
   * The namespace of the cluster's DNS servers.
   * @default 'kube-system'
   */
  readonly dnsNamespace?: string;
  /**
   * Labels of the DNS server pods (`{}` for every pod of `dnsNamespace`).
   * @default { 'k8s-app': 'kube-dns' }
   */
  readonly dnsPodLabels?: { [key: string]: string };
  /**
   * The protocols allowed to the DNS servers on port 53 (DNS falls back to TCP for long answers).
   * @default [NetworkProtocol.UDP, NetworkProtocol.TCP]
   */
  readonly dnsProtocols?: NetworkProtocol[];
  /**
   * Whether the pods may send to the other pods of their own namespace.
   * @default true
   */
  readonly allowOwnNamespace?: boolean;
  /**
   * More destinations to allow: IP blocks, namespaces or pods by label, with ports.
   * @default - none
   */
  readonly allow?: AllowedDestination[];
}

/**
 * What a lockdown's Sidecar does with traffic to hosts it does not import (its `outboundTrafficPolicy`).
 */
export class SidecarOutboundPolicy {
  /**
   * `REGISTRY_ONLY`: the workloads reach only the hosts the Sidecar imports (a 502 from the sidecar
   * otherwise). The default.
   */
  public static registryOnly(): SidecarOutboundPolicy {
    return new SidecarOutboundPolicy('REGISTRY_ONLY');
  }

  /**
   * No `outboundTrafficPolicy`: the Sidecar only scopes what the workloads see, and the mesh's policy
   * decides what happens to other hosts (Istio's default is `ALLOW_ANY`; `IstioInstallOverlay` sets
   * `REGISTRY_ONLY`). The library cannot see the mesh's setting, so the synth refuses it unless
   * acknowledged: `EgressAnalysis.acknowledge(lockdown, 'EGR206', 'the mesh is REGISTRY_ONLY')`.
   */
  public static meshDefault(): SidecarOutboundPolicy {
    return new SidecarOutboundPolicy(undefined);
  }

  /**
   * `ALLOW_ANY`: the workloads may reach any host, registered or not (unknown hosts pass through their
   * sidecar). It weakens egress control, so the synth refuses it unless acknowledged (EGR206).
   */
  public static allowAny(): SidecarOutboundPolicy {
    return new SidecarOutboundPolicy('ALLOW_ANY');
  }

  private constructor(
    /** The mode written in the Sidecar (undefined: none, the mesh's). */
    public readonly mode: string | undefined,
  ) {}
}

/**
 * Properties of an EgressLockdown.
 */
export interface EgressLockdownProps {
  /** The namespace whose workloads are locked down. */
  readonly namespace: string;
  /**
   * External hosts the workloads may use. Hosts of routes whose `allowedClients` name this namespace
   * are added automatically.
   * @default - only those of such routes
   */
  readonly hosts?: IExternalHost[];
  /**
   * Other namespaces of the cluster the workloads call (imported whole into the Sidecar and allowed by the NetworkPolicy).
   * @default - none besides their own namespace and the control plane's
   */
  readonly allowNamespaces?: string[];
  /**
   * Lock down only the workloads with these labels.
   * @default - every workload of the namespace
   */
  readonly workloadSelector?: { [key: string]: string };
  /**
   * The Istio control plane namespace, which every sidecar needs (leaving it out is the classic BlackHole 502).
   * @default 'istio-system'
   */
  readonly controlPlaneNamespace?: string;
  /**
   * The egress gateways the workloads may send to (the NetworkPolicy allows their pods).
   * @default - the gateways of the routes of `hosts`, else `EgressGateway.istioDefault()`
   */
  readonly gateways?: IEgressGateway[];
  /**
   * Whether to add a NetworkPolicy that lets the pods send only to the egress gateways, DNS, the
   * control plane and the allowed namespaces. It is what actually stops pods that bypass their
   * sidecar; it needs a CNI that enforces NetworkPolicy.
   * @default - true, except in the control plane namespace (whose pods include the gateways)
   */
  readonly networkPolicy?: boolean;
  /**
   * The shape of the NetworkPolicy: how it selects namespaces, how wide the control plane and DNS
   * rules are, and more allowed destinations.
   * @default - namespaces by name; istiod on 15012; kube-dns on UDP and TCP 53; the own namespace
   */
  readonly networkPolicyOptions?: LockdownNetworkPolicyOptions;
  /**
   * Whether the locked-down workloads' sidecars write access logs too (Istio's Telemetry API), so
   * that refused requests (502 from the sidecar) show up next to the gateway's log.
   * @default false
   */
  readonly accessLogging?: boolean;
  /**
   * How the namespace's pods join the mesh. In ambient mode there is no sidecar to configure: the
   * lockdown is the NetworkPolicy alone (the pods may send only to the waypoints of their routes, DNS,
   * the control plane and the allowed namespaces), with authorization at the waypoint.
   * @default - the `dataplaneMode` of the app's MeshNamespace of that name (created before the lockdown), else DataplaneMode.SIDECAR
   */
  readonly dataplaneMode?: DataplaneMode;
  /**
   * What the Sidecar does with hosts it does not import. Anything but `registryOnly()` is refused at
   * synth unless acknowledged (EGR206).
   * @default SidecarOutboundPolicy.registryOnly()
   */
  readonly outboundPolicy?: SidecarOutboundPolicy;
  /**
   * Whether this lockdown is the mesh's default: its Sidecar, in the root namespace and without
   * workloadSelector, applies to every sidecar of a namespace that has no Sidecar of its own (`./*`
   * then means each workload's own namespace). `namespace` must be the root namespace, and the lockdown
   * writes no NetworkPolicy (a NetworkPolicy only applies to its own namespace's pods: lock each
   * namespace down for that).
   * @default - false; a lockdown of the root namespace without workloadSelector is the mesh's default all the same
   */
  readonly meshWide?: boolean;
  /**
   * The mesh's root namespace (meshConfig `rootNamespace`), where a Sidecar without workloadSelector is
   * the mesh-wide default.
   * @default - the control plane namespace
   */
  readonly rootNamespace?: string;
}

/**
 * Lets a namespace's workloads reach only the external hosts they are allowed, and stops them from
 * going around the mesh:
 * - a Sidecar with `outboundTrafficPolicy: REGISTRY_ONLY` (`outboundPolicy`) whose egress hosts are
 *   derived from the allowed hosts (`hosts`, and hosts that name the namespace in their
 *   `clientNamespaces`), plus the namespace itself and the control plane (without which sidecars fail);
 * - a NetworkPolicy that allows egress only to the egress gateways, DNS, the control plane, the
 *   allowed namespaces and the addresses of allowed hosts reached without a gateway.
 *
 * REGISTRY_ONLY alone is best effort: a workload that bypasses its sidecar is not stopped by it. The
 * NetworkPolicy is the enforcement, together with authorization at the egress gateway.
 *
 * In an ambient namespace (`dataplaneMode`, or a MeshNamespace in ambient mode) it emits the
 * NetworkPolicy only, allowing the waypoints of the routes: ambient pods have no sidecar (a Sidecar
 * resource there would select nothing, IST0167).
 *
 * For the whole mesh, lock down the root namespace (`istio-system`, `meshWide: true`): its
 * selector-less Sidecar is the mesh-wide default.
 *
 * @example
 * new EgressLockdown(chart, 'Lockdown', { namespace: 'shop', hosts: [stripe] });
 */
export class EgressLockdown extends Construct {
  /** How the namespace's pods join the mesh. */
  public readonly dataplaneMode: DataplaneMode;
  /** The NetworkPolicy (undefined when turned off). */
  public readonly networkPolicy?: ApiObject;
  /** The Telemetry resource for the workloads' access logs (undefined unless `accessLogging`). */
  public readonly telemetry?: ApiObject;
  /** The namespace locked down. */
  public readonly namespace: string;
  /** Whether the Sidecar is the mesh-wide default (a Sidecar without workloadSelector in the root namespace). */
  public readonly meshWide: boolean;

  private readonly controlPlane: string;
  private readonly rootNamespace: string;
  private readonly _sidecar?: ApiObject;

  public constructor(scope: Construct, id: string, private readonly props: EgressLockdownProps) {
    super(scope, id);
    this.namespace = props.namespace;
    this.controlPlane = props.controlPlaneNamespace ?? 'istio-system';
    this.rootNamespace = props.rootNamespace ?? this.controlPlane;
    this.meshWide = props.namespace === this.rootNamespace && !props.workloadSelector;
    const name = toDnsLabel(props.workloadSelector ? `${props.namespace}-egress-${Object.values(props.workloadSelector).join('-')}` : 'egress-lockdown');
    this.dataplaneMode = props.dataplaneMode ?? MeshNamespace._of(this, props.namespace)?.dataplaneMode ?? DataplaneMode.SIDECAR;
    if (this.dataplaneMode !== DataplaneMode.AMBIENT) {
      this._sidecar = createIstioObject(this, 'Resource', 'Sidecar', { name, namespace: props.namespace }, Lazy.any({ produce: () => this.renderSidecar() }));
    }
    if (props.networkPolicy ?? (props.namespace !== this.controlPlane && props.meshWide !== true)) {
      this.networkPolicy = createNetworkPolicy(this, 'NetworkPolicy', { name, namespace: props.namespace }, Lazy.any({ produce: () => this.renderNetworkPolicy() }));
    }
    if (props.accessLogging) {
      const selector = props.workloadSelector;
      this.telemetry = createIstioObject(this, 'AccessLog', 'Telemetry', { name, namespace: props.namespace },
        Lazy.any({ produce: () => ({ selector: selector && { matchLabels: { ...selector } }, accessLogging: [{ providers: [{ name: 'envoy' }] }] }) }));
    }
    for (const host of props.hosts ?? []) {
      host.addConsumer(props.namespace, this);
    }
    if (this.meshWide && this._sidecar) {
      // Istio's webhook reads `.` as the Sidecar's own namespace and warns that `./*` and `<root>/*` are one entry; in the mesh's
      // default Sidecar `.` is each workload's namespace, so both are needed (pilot/pkg/model/push_context.go: doGetSidecarScope).
      acknowledge(this, 'SC7', 'the mesh\'s default Sidecar: ./* is each workload\'s namespace, the root namespace\'s entry is another');
    }
    // A host of another namespace reached directly that the NetworkPolicy blocks shows in the objects (DIRECT_HOST_BLOCKED,
    // reported by the app's analysis under this construct's path: the NetworkPolicy is not one of the library's Istio objects).
    validateWithIstioRules(this, () => [...(this._sidecar ? [this._sidecar] : []), ...(this.telemetry ? [this.telemetry] : [])], {
      extra: () => [
        ...this.checkNames(), ...this.checkOwnDirectHosts(), ...this.checkDataplaneMode(), ...this.checkGatewaySelectors(),
        ...this.checkNetworkPolicyOptions(), ...this.checkOutboundPolicy(), ...this.checkMeshWide(),
      ],
      // checkOutboundPolicy tells an ALLOW_ANY Sidecar (EGR206) in the props the user wrote.
      coveredRules: object => (object === this._sidecar && this.props.outboundPolicy instanceof SidecarOutboundPolicy
        && this.props.outboundPolicy.mode === 'ALLOW_ANY' ? ['ALLOW_ANY'] : []),
    });
  }

  /**
   * A gateway given with an empty selector (GATEWAY_ANY_POD, EGR204): the NetworkPolicy would let the
   * workloads send to every pod of the gateway's namespace, on any port. (A route's gateway reports it
   * on the route's Gateway.)
   */
  private checkGatewaySelectors(): string[] {
    if (!this.networkPolicy) {
      return [];
    }
    return (this.props.gateways ?? []).flatMap((gateway, i) => {
      const selector = gateway.selector;
      if (selector !== undefined && selector !== null && Object.keys(selector).length > 0) {
        return [];
      }
      if (isRuleAcknowledged(this, 'GATEWAY_ANY_POD')) {
        return [];
      }
      return [`gateways[${i}].selector (EGR204) = ${JSON.stringify(selector ?? null)}: an empty selector selects every pod of namespace `
        + `${gateway.namespace}, so the NetworkPolicy lets the workloads of ${this.namespace} send to all of them on any port, not only to `
        + 'the egress gateway. Fix: give the gateway pods\' labels (EgressGateway.fromAttributes: selector, e.g. { istio: \'egressgateway\' }). '
        + `If it is right as it is: EgressAnalysis.acknowledge(<the construct at ${this.node.path}>, 'EGR204', '<why it is right>')`];
    });
  }

  /** An outbound policy other than REGISTRY_ONLY (EGR206, unless acknowledged), or one the library cannot write. */
  private checkOutboundPolicy(): string[] {
    const policy: unknown = this.props.outboundPolicy;
    if (policy === undefined) {
      return [];
    }
    if (!(policy instanceof SidecarOutboundPolicy)) {
      return [`outboundPolicy = ${JSON.stringify(policy)}: not a SidecarOutboundPolicy, so the library cannot write it. `
        + 'Fix: use SidecarOutboundPolicy.registryOnly(), SidecarOutboundPolicy.meshDefault() or SidecarOutboundPolicy.allowAny().'];
    }
    if (!this._sidecar) {
      return [`outboundPolicy: namespace ${this.namespace} runs in ambient mode, where the lockdown writes no Sidecar. Fix: leave outboundPolicy out.`];
    }
    if (policy.mode === 'REGISTRY_ONLY') {
      return [];
    }
    if (isRuleAcknowledged(this, 'ALLOW_ANY')) {
      return [];
    }
    const what = policy.mode === 'ALLOW_ANY'
      ? 'SidecarOutboundPolicy.allowAny() (EGR206): the workloads may reach any host, registered or not, through their sidecar'
      : 'SidecarOutboundPolicy.meshDefault() (EGR206): the Sidecar writes no outboundTrafficPolicy, so the mesh\'s decides, and '
        + 'Istio\'s default is ALLOW_ANY (any host, registered or not)';
    const where = this.meshWide ? ', in every namespace without a Sidecar of its own (this Sidecar is the mesh\'s default)' : ` of ${this.namespace}`;
    return [`outboundPolicy = ${what}${where}. Fix: leave outboundPolicy out (REGISTRY_ONLY). If it is right as it is (e.g. the mesh is `
      + `REGISTRY_ONLY): EgressAnalysis.acknowledge(<the construct at ${this.node.path}>, 'EGR206', '<why it is right>')`];
  }

  /** What a lockdown asked to be the mesh's default cannot be. */
  private checkMeshWide(): string[] {
    if (this.props.meshWide !== true) {
      return [];
    }
    const errors: string[] = [];
    if (this.namespace !== this.rootNamespace) {
      errors.push(`meshWide = true: namespace ${this.namespace} is not the root namespace (${this.rootNamespace}${this.props.rootNamespace === undefined
        ? ', the control plane\'s' : ''}), and only a Sidecar there is the mesh's default. Fix: set namespace: '${this.rootNamespace}', `
        + 'or give rootNamespace if meshConfig.rootNamespace is another.');
    }
    if (this.props.workloadSelector) {
      errors.push(`meshWide = true with workloadSelector = ${JSON.stringify(this.props.workloadSelector)}: a Sidecar with a selector `
        + 'applies to the selected workloads of its own namespace only. Fix: leave workloadSelector out.');
    }
    if (this.props.networkPolicy === true) {
      errors.push(`meshWide = true with networkPolicy = true: a NetworkPolicy applies to the pods of its own namespace (${this.namespace}) only, `
        + 'not to the mesh. Fix: leave networkPolicy out, and give each namespace an EgressLockdown of its own for its NetworkPolicy.');
    }
    if (this.dataplaneMode === DataplaneMode.AMBIENT) {
      errors.push(`meshWide = true: namespace ${this.namespace} runs in ambient mode, where the lockdown writes no Sidecar. `
        + 'Fix: leave meshWide out.');
    }
    return errors;
  }

  /** The Sidecar resource; only in sidecar mode (ambient pods have none). */
  public get sidecar(): ApiObject {
    if (!this._sidecar) {
      throw new Error(`[${this.node.path}] sidecar: namespace ${this.namespace} runs in ambient mode, so the lockdown has no Sidecar `
        + '(the NetworkPolicy is the lockdown there). Fix: use `networkPolicy`.');
    }
    return this._sidecar;
  }

  /** What the data plane mode cannot do: access logs of sidecars in ambient mode, a mode that disagrees with the namespace's. */
  private checkDataplaneMode(): string[] {
    const errors: string[] = [];
    const mode: unknown = this.props.dataplaneMode;
    if (mode !== undefined && mode !== DataplaneMode.SIDECAR && mode !== DataplaneMode.AMBIENT) {
      errors.push(`dataplaneMode = "${String(mode)}": not a data plane mode. Fix: use DataplaneMode.SIDECAR or DataplaneMode.AMBIENT.`);
    }
    const declared = MeshNamespace._of(this, this.namespace);
    if (declared && declared.dataplaneMode !== this.dataplaneMode) {
      errors.push(`dataplaneMode = "${this.dataplaneMode}": the MeshNamespace ${declared.node.path} runs namespace ${this.namespace} in `
        + `${declared.dataplaneMode} mode${this.props.dataplaneMode === undefined ? ' (it was created after the lockdown)' : ''}. `
        + `Fix: set dataplaneMode: DataplaneMode.${declared.dataplaneMode} on the lockdown, or create the MeshNamespace before it.`);
    }
    if (this.dataplaneMode === DataplaneMode.AMBIENT && this.props.accessLogging) {
      errors.push(`accessLogging = true: namespace ${this.namespace} runs in ambient mode, where no sidecar writes access logs `
        + '(ztunnel logs every connection, the waypoint its requests). Fix: leave accessLogging out.');
    }
    if (this.dataplaneMode === DataplaneMode.AMBIENT && !this.networkPolicy) {
      errors.push(`networkPolicy = false: namespace ${this.namespace} runs in ambient mode, where the NetworkPolicy is the whole lockdown. `
        + 'Fix: leave networkPolicy on, or remove the EgressLockdown.');
    }
    return errors;
  }

  private appRoutes(): EgressGatewayRoute[] {
    return routesOf(this).filter((c): c is EgressGatewayRoute => c instanceof EgressGatewayRoute);
  }

  /** Routes of the app for the allowed hosts, or whose allowedClients include this namespace. */
  private relevantRoutes(): EgressGatewayRoute[] {
    const hosts = new Set(this.allowedHosts());
    return this.appRoutes().filter(r => hosts.has(r.host) || r.allowsNamespace(this.namespace));
  }

  /** Sidecar egress hosts name the namespace where each ServiceEntry or VirtualService is defined. */
  private egressHosts(): string[] {
    const hosts = new Set<string>();
    for (const ns of this.props.allowNamespaces ?? []) {
      hosts.add(`${ns}/*`);
    }
    // `./*` already imports what is defined in this namespace.
    // In the mesh's default Sidecar `.` is each workload's own namespace: hosts of the root namespace keep its name.
    const here = (namespace: string | undefined) => namespace === this.namespace && !this.meshWide;
    const add = (namespace: string | undefined, host: IExternalHost) => host.hosts.forEach(h => hosts.add(`${here(namespace) ? '.' : namespace || '*'}/${h}`));
    for (const host of this.allowedHosts()) {
      add(host.namespace, host);
    }
    // A routed host is reached through its route's VirtualService and the gateway's Service.
    for (const route of this.relevantRoutes()) {
      add(route.host.namespace, route.host);
      add(route.namespace, route.host);
      hosts.add(`${route.egressGateway.namespace}/*`);
    }
    [...hosts].filter(h => h.startsWith('./')).forEach(h => hosts.delete(h));
    hosts.delete(`${this.controlPlane}/*`);
    // The namespace's own `ns/*` (a gateway deployed beside the clients) is `./*` again: Istio warns about the duplicate (SC7).
    // (In the mesh's default Sidecar it is not: `./*` is each workload's namespace there.)
    if (!this.meshWide) {
      hosts.delete(`${this.namespace}/*`);
    }
    // Sorted, so that the order in which constructs were created does not change the output.
    // In the control plane's own namespace `./*` is the control plane already (unless this is the mesh's default Sidecar).
    const controlPlane = this.namespace === this.controlPlane && !this.meshWide ? [] : [`${this.controlPlane}/*`];
    return ['./*', ...controlPlane, ...[...hosts].sort()];
  }

  private renderSidecar(): Record<string, unknown> {
    const selector = this.props.workloadSelector;
    const policy = this.props.outboundPolicy;
    // Anything but a SidecarOutboundPolicy (from another language) is refused by checkOutboundPolicy, and REGISTRY_ONLY written.
    const mode = policy instanceof SidecarOutboundPolicy ? policy.mode : 'REGISTRY_ONLY';
    return {
      workloadSelector: selector && { labels: { ...selector } },
      outboundTrafficPolicy: mode === undefined ? undefined : { mode },
      egress: [{ hosts: this.egressHosts() }],
    };
  }

  private gateways(): IEgressGateway[] {
    if (this.props.gateways) {
      return this.props.gateways;
    }
    const used = this.relevantRoutes().map(r => r.egressGateway);
    const unique = new Map(used.map(g => [`${g.namespace}/${JSON.stringify(Object.entries(g.selector).sort())}`, g]));
    const keys = [...unique.keys()].sort();
    if (keys.length === 0 && this.dataplaneMode === DataplaneMode.AMBIENT) {
      // Ambient pods reach the external hosts through waypoints only.
      return [];
    }
    return keys.length > 0 ? keys.map(k => unique.get(k)!) : [EgressGateway.istioDefault()];
  }

  private get policyOptions(): LockdownNetworkPolicyOptions {
    return this.props.networkPolicyOptions ?? {};
  }

  /** The selector of a namespace: the user's labels for it, else its name label. */
  private namespaceSelector(namespace: string): { matchLabels: Record<string, string> } {
    const given = (this.policyOptions.namespaceLabels ?? []).find(n => n.namespace === namespace);
    return { matchLabels: given ? { ...given.labels } : { [NAMESPACE_NAME_LABEL]: namespace } };
  }

  private renderNetworkPolicy(): Record<string, unknown> {
    const options = this.policyOptions;
    const inNamespace = (namespace: string, podLabels: Record<string, string>): NetworkPolicyPeer => ({
      namespaceSelector: this.namespaceSelector(namespace),
      podSelector: Object.keys(podLabels).length > 0 ? { matchLabels: podLabels } : undefined,
    });
    const wholeControlPlane = options.wholeControlPlaneNamespace === true;
    // With the whole control plane namespace allowed, its gateways need no rule of their own.
    const gateways = this.gateways().filter(g => !(wholeControlPlane && g.namespace === this.controlPlane));
    const dnsLabels = options.dnsPodLabels ?? { 'k8s-app': 'kube-dns' };
    const dnsProtocols = options.dnsProtocols ?? [NetworkProtocol.UDP, NetworkProtocol.TCP];
    const egress: NetworkPolicyEgressRule[] = [
      ...gateways.map(g => ({ to: [{ namespaceSelector: this.namespaceSelector(g.namespace), podSelector: { matchLabels: { ...g.selector } } }] })),
      { to: [inNamespace(options.dnsNamespace ?? 'kube-system', { ...dnsLabels })], ports: dnsProtocols.map(protocol => ({ protocol, port: 53 })) },
      wholeControlPlane ? { to: [inNamespace(this.controlPlane, {})] }
        : { to: [inNamespace(this.controlPlane, { app: 'istiod' })], ports: [{ protocol: 'TCP', port: 15012 }] },
      ...(options.allowOwnNamespace ?? true ? [{ to: [{ podSelector: {} }] }] : []),
      ...(this.props.allowNamespaces ?? []).map(ns => ({ to: [{ namespaceSelector: this.namespaceSelector(ns) }] })),
      // Hosts reached without a gateway leave from the pods themselves: allow exactly their addresses and ports.
      ...this.directHosts().filter(h => h.addresses.length > 0).map(h => ({
        to: h.addresses.map(a => ({ ipBlock: { cidr: toCidr(a) } })),
        ports: [...new Set(h.ports.map(p => p.targetPort ?? p.number))].map(port => ({ protocol: 'TCP' as const, port })),
      })),
      ...(options.allow ?? []).map(d => this.allowedRule(d)),
    ];
    return {
      podSelector: this.props.workloadSelector ? { matchLabels: { ...this.props.workloadSelector } } : {},
      policyTypes: ['Egress'],
      egress,
    };
  }

  private allowedRule(d: AllowedDestination): NetworkPolicyEgressRule {
    const peer: NetworkPolicyPeer = d.cidr !== undefined
      ? { ipBlock: { cidr: toCidr(d.cidr), except: d.except?.map(toCidr) } }
      : {
        namespaceSelector: d.namespaceLabels && labelSelector(d.namespaceLabels),
        podSelector: d.podLabels && labelSelector(d.podLabels),
      };
    const ports: NetworkPolicyPort[] | undefined = d.ports?.map(p => ({
      protocol: p.protocol ?? NetworkProtocol.TCP, port: p.port, endPort: p.endPort,
    }));
    return { to: [peer], ports };
  }

  /** What the API server would refuse in the NetworkPolicy options, and an allowed block of every address (EGR205). */
  private checkNetworkPolicyOptions(): string[] {
    const options: LockdownNetworkPolicyOptions = this.props.networkPolicyOptions ?? {};
    const at = 'networkPolicyOptions';
    const errors: string[] = [];
    if (this.props.networkPolicyOptions !== undefined && !this.networkPolicy) {
      errors.push(`${at}: this lockdown writes no NetworkPolicy (networkPolicy: false${this.namespace === this.controlPlane ? ', or the control plane namespace' : ''}), `
        + 'so its options would be ignored. Fix: leave networkPolicyOptions out, or set networkPolicy: true.');
    }
    const labels = (field: string, value: unknown, allowEmpty: boolean) => {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        errors.push(`${field} = ${JSON.stringify(value)}: not a map of labels. Fix: give labels as { key: 'value' }.`);
        return;
      }
      if (!allowEmpty && Object.keys(value).length === 0) {
        errors.push(`${field} = {}: selects every namespace, not this one. Fix: give labels that only this namespace has.`);
      }
      for (const [key, v] of Object.entries(value)) {
        const problems = labelProblems(key, v);
        if (problems.length > 0) {
          errors.push(`${field}.${key} = ${JSON.stringify(v)}: ${problems.join(', ')}. Fix: label keys are [prefix/]name, values at most 63 `
            + 'letters, digits, dashes, dots and underscores, starting and ending with a letter or digit.');
        }
      }
    };
    const seen = new Set<string>();
    (options.namespaceLabels ?? []).forEach((n, i) => {
      const field = `${at}.namespaceLabels[${i}]`;
      const nameProblem = namespaceNameProblem(`${field}.namespace`, n.namespace);
      if (nameProblem) {
        errors.push(nameProblem);
      } else if (seen.has(n.namespace)) {
        errors.push(`${field}.namespace = "${n.namespace}": labels for this namespace are given twice. Fix: give one entry per namespace.`);
      }
      seen.add(n.namespace);
      labels(`${field}.labels`, n.labels, false);
    });
    if (options.dnsNamespace !== undefined) {
      const problem = namespaceNameProblem(`${at}.dnsNamespace`, options.dnsNamespace);
      if (problem) {
        errors.push(problem);
      }
    }
    if (options.dnsPodLabels !== undefined) {
      labels(`${at}.dnsPodLabels`, options.dnsPodLabels, true);
    }
    if (options.dnsProtocols !== undefined) {
      if (!Array.isArray(options.dnsProtocols) || options.dnsProtocols.length === 0) {
        errors.push(`${at}.dnsProtocols = ${JSON.stringify(options.dnsProtocols)}: the pods could not resolve any name. `
          + 'Fix: leave dnsProtocols out (UDP and TCP), or give [NetworkProtocol.UDP].');
      } else {
        options.dnsProtocols.forEach((p, i) => {
          const problem = enumProblem(`${at}.dnsProtocols[${i}]`, p, 'NetworkProtocol', NetworkProtocol);
          if (problem) {
            errors.push(problem);
          }
        });
      }
    }
    (options.allow ?? []).forEach((d, i) => errors.push(...this.checkAllowed(`${at}.allow[${i}]`, d, labels)));
    return errors;
  }

  private checkAllowed(field: string, d: AllowedDestination, labels: (field: string, value: unknown, allowEmpty: boolean) => void): string[] {
    const errors: string[] = [];
    const bySelector = d.namespaceLabels !== undefined || d.podLabels !== undefined;
    if (d.cidr === undefined && !bySelector) {
      errors.push(`${field}: names no destination. Fix: give cidr (an IP block), or namespaceLabels and/or podLabels.`);
    } else if (d.cidr !== undefined && bySelector) {
      errors.push(`${field}: cidr = ${JSON.stringify(d.cidr)} together with ${d.namespaceLabels !== undefined ? 'namespaceLabels' : 'podLabels'}: `
        + 'a NetworkPolicy peer is either an IP block or a selector (the API server refuses both). Fix: give them as two destinations.');
    }
    if (d.cidr !== undefined) {
      const block = typeof d.cidr === 'string' ? toCidr(d.cidr) : '';
      if (!isCidr(block)) {
        errors.push(`${field}.cidr = ${JSON.stringify(d.cidr)}: not an IP address or CIDR block. Fix: write e.g. '10.0.0.0/16' or '203.0.113.7'.`);
      } else if (isEveryAddress(block)) {
        if (!isRuleAcknowledged(this, 'NETPOL_ANY_ADDRESS')) {
          errors.push(`${field}.cidr (EGR205) = "${d.cidr}": a block of every address lets the pods send anywhere${d.ports ? ' on these ports' : ''}, `
            + 'around the egress gateway. Fix: allow the external addresses the pods need, or route the hosts through an egress gateway. '
            + `If it is right as it is: EgressAnalysis.acknowledge(<the construct at ${this.node.path}>, 'EGR205', '<why it is right>')`);
        }
      }
      (d.except ?? []).forEach((e, j) => {
        if (typeof e !== 'string' || !isCidr(toCidr(e))) {
          errors.push(`${field}.except[${j}] = ${JSON.stringify(e)}: not an IP address or CIDR block. Fix: write e.g. '10.0.1.0/24'.`);
        }
      });
    } else if (d.except !== undefined) {
      errors.push(`${field}.except: only an IP block has exceptions. Fix: leave except out, or give cidr.`);
    }
    if (d.namespaceLabels !== undefined) {
      labels(`${field}.namespaceLabels`, d.namespaceLabels, true);
    }
    if (d.podLabels !== undefined) {
      labels(`${field}.podLabels`, d.podLabels, true);
    }
    (d.ports ?? []).forEach((p, j) => {
      const at = `${field}.ports[${j}]`;
      const portProblem = checkPortNumber(p.port);
      if (portProblem) {
        errors.push(`${at}.port = ${JSON.stringify(p.port)}: ${portProblem}. Fix: give a port from 1 to 65535.`);
      }
      const protocolProblem = enumProblem(`${at}.protocol`, p.protocol, 'NetworkProtocol', NetworkProtocol);
      if (protocolProblem) {
        errors.push(protocolProblem);
      }
      if (p.endPort !== undefined && (checkPortNumber(p.endPort) !== undefined || (typeof p.port === 'number' && p.endPort < p.port))) {
        errors.push(`${at}.endPort = ${JSON.stringify(p.endPort)}: must be a port from ${typeof p.port === 'number' ? p.port : 1} to 65535, `
          + 'not before port. Fix: give the last port of the range, or leave endPort out.');
      }
    });
    return errors;
  }

  /** The hosts of `hosts`, and those that name this namespace among their client namespaces (ExternalHost `clientNamespaces`). */
  private allowedHosts(): IExternalHost[] {
    return [...new Set([...this.props.hosts ?? [], ...ExternalHost._namingClientNamespace(this, this.namespace)])];
  }

  /** The allowed hosts that no route sends through a gateway. */
  private directHosts(): IExternalHost[] {
    const routed = new Set(this.appRoutes().map(r => r.host));
    return this.allowedHosts().filter(h => !routed.has(h));
  }

  /**
   * With the NetworkPolicy on, a host reached directly is only reachable at addresses the policy can
   * name. For hosts of other namespaces the Sidecar names the host, and the objects show the problem
   * (DIRECT_HOST_BLOCKED); a host of the locked-down namespace itself is imported with `./*`, like
   * every other entry there, so only `hosts` says that the workloads use it.
   */
  private checkOwnDirectHosts(): string[] {
    if (!this.networkPolicy) {
      return [];
    }
    return this.directHosts().filter(h => h.addresses.length === 0 && h.namespace === this.namespace)
      .map(h => `${this.props.hosts?.includes(h) ? 'hosts: ' : ''}${h.hosts.join(', ')} (${h.node.path}${this.props.hosts?.includes(h) ? ''
        : `, whose clientNamespaces name ${this.namespace}`}) is reached directly, not through an egress gateway, but the NetworkPolicy `
        + 'lets the pods send only to the gateways, so it would be blocked. Fix: route it through an egress gateway (EgressGatewayRoute), '
        + 'give it addresses (allowed as IP blocks), or set networkPolicy: false.');
  }

  /** Names that are not namespace names (the objects show them too, as Istio's and the API server's refusals). */
  private checkNames(): string[] {
    const names: Array<[string, string]> = [
      ['namespace', this.namespace], ['controlPlaneNamespace', this.controlPlane],
      ...(this.props.allowNamespaces ?? []).map((ns): [string, string] => ['allowNamespaces', ns]),
    ];
    return names.map(([field, ns]) => namespaceNameProblem(field, ns)).filter((p): p is string => p !== undefined);
  }
}
