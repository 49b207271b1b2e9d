import { ApiObject, ApiObjectMetadata, Chart, Duration, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { IstioApi, IstioApiVersion } from './api-version';
import { EgressPort, EgressProtocol } from './egress-port';
import { LoadBalancerPolicy } from './load-balancer';
import { enumProblem } from './private/enums';
import { createIstioObject } from './private/istio-objects';
import { toDnsLabel } from './private/names';
import { createBackendTlsPolicy } from './private/render/gateway-api-objects';
import { MeshRouting, istioDuration } from './private/traffic';
import { mapList } from './rules/finding';
import { namespaceNameProblem } from './rules/names';
import { isAcknowledged } from './synth/acknowledgements';
import { findingsFor } from './synth/app-analysis';
import { changeCount, noteChange } from './synth/library-object';
import { validateWithIstioRules } from './synth/validation';
import { TlsOrigination, TlsOriginationMode } from './tls-origination';

/** A host whose leading wildcard shares its label with other characters, e.g. `*example.com`. */
const PARTIAL_WILDCARD = /^\*[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.?$/;

/** An ExternalHost earlier in the app (in tree order) that declares `host` in the same namespace. */
interface EarlierDefinition {
  readonly host: string;
  readonly other: ExternalHost;
}

/**
 * Per app: each ExternalHost that declares a host an earlier one declares in its namespace, with the
 * first such host; and `changeCount()` when it was computed.
 */
const earlierDefinitionsByApp = new WeakMap<IConstruct, { changes: number; twins: Map<ExternalHost, EarlierDefinition> }>();

function earlierDefinitions(root: IConstruct): Map<ExternalHost, EarlierDefinition> {
  const known = earlierDefinitionsByApp.get(root);
  if (known && known.changes === changeCount()) {
    return known.twins;
  }
  // namespace -> host -> the first ExternalHost that declares it (nested maps: no key string per host).
  const first = new Map<string | undefined, Map<string, ExternalHost>>();
  const twins = new Map<ExternalHost, EarlierDefinition>();
  for (const c of root.node.findAll()) {
    if (!(c instanceof ExternalHost)) {
      continue;
    }
    let inNamespace = first.get(c.namespace);
    if (!inNamespace) {
      inNamespace = new Map();
      first.set(c.namespace, inNamespace);
    }
    for (const host of c.hosts) {
      const other = inNamespace.get(host);
      if (other === undefined) {
        inNamespace.set(host, c);
      } else if (other !== c && !twins.has(c)) {
        twins.set(c, { host, other });
      }
    }
  }
  earlierDefinitionsByApp.set(root, { changes: changeCount(), twins });
  return twins;
}

/** Per app: the ExternalHosts that name each client namespace (`clientNamespaces`), and `changeCount()` when it was computed. */
const clientHostsByApp = new WeakMap<IConstruct, { changes: number; byNamespace: Map<string, ExternalHost[]> }>();

function clientHosts(root: IConstruct): Map<string, ExternalHost[]> {
  const known = clientHostsByApp.get(root);
  if (known && known.changes === changeCount()) {
    return known.byNamespace;
  }
  const byNamespace = new Map<string, ExternalHost[]>();
  for (const c of root.node.findAll()) {
    if (c instanceof ExternalHost) {
      c.clientNamespaces.forEach(ns => byNamespace.set(ns, [...(byNamespace.get(ns) ?? []), c]));
    }
  }
  clientHostsByApp.set(root, { changes: changeCount(), byNamespace });
  return byNamespace;
}

/**
 * How the proxy finds the addresses of an external host.
 */
export enum Resolution {
  /** Use the address the application connected to. The default for wildcard hosts. */
  NONE = 'NONE',
  /** Use the IP addresses of the listed endpoints (without endpoints there is nowhere to send: EGR114). */
  STATIC = 'STATIC',
  /** Resolve the host name (or the endpoints' names) with DNS, using every address. The default for concrete hosts. */
  DNS = 'DNS',
  /** Resolve with DNS and use the first address only, for hosts with many addresses. */
  DNS_ROUND_ROBIN = 'DNS_ROUND_ROBIN',
  /** Resolve each wildcard subdomain on demand (Istio 1.30 and later; wildcard hosts only). */
  DYNAMIC_DNS = 'DYNAMIC_DNS',
}

/**
 * Whether the host is outside the mesh.
 */
export enum HostLocation {
  /** Outside the mesh: no mutual TLS, and metrics treat it as external. */
  MESH_EXTERNAL = 'MESH_EXTERNAL',
  /** Part of the mesh (for example VMs with sidecars). */
  MESH_INTERNAL = 'MESH_INTERNAL',
}

/**
 * Which namespaces may see an external host (the ServiceEntry's `exportTo`).
 */
export class ExportTo {
  /**
   * Every namespace (`*`), including namespaces added later. It weakens egress control, so the synth
   * refuses it unless acknowledged: `EgressAnalysis.acknowledge(host, 'EGR203', reason)`.
   */
  public static everywhere(): ExportTo {
    return new ExportTo(['*'], false);
  }

  /** Only the host's own namespace (`.`). */
  public static sameNamespace(): ExportTo {
    return new ExportTo(['.'], false);
  }

  /** The listed namespaces; use `.` for the host's own namespace. */
  public static namespaces(...namespaces: string[]): ExportTo {
    return new ExportTo(namespaces, false);
  }

  /**
   * The host's own namespace plus every namespace that uses it: the client namespaces and the
   * egress gateway namespaces of the routes through which it is reached.
   */
  public static whereUsed(): ExportTo {
    return new ExportTo(['.'], true);
  }

  private constructor(
    /** The entries listed explicitly (`*`, `.` or namespace names). */
    public readonly entries: string[],
    /** Whether the namespaces of the host's consumers are added. */
    public readonly includesConsumers: boolean,
  ) {}
}

/**
 * A network endpoint of an external host (for STATIC or DNS resolution).
 */
export interface ExternalEndpoint {
  /** An IP address (STATIC) or a host name (DNS). */
  readonly address: string;
  /**
   * Port names of the host mapped to the port numbers on this endpoint.
   * @default - the host's port numbers
   */
  readonly ports?: { [name: string]: number };
  /**
   * Labels of the endpoint.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
  /**
   * The network the endpoint is in, for multi-network meshes.
   * @default - the local network
   */
  readonly network?: string;
  /**
   * The locality, `region/zone/subzone`.
   * @default - none
   */
  readonly locality?: string;
  /**
   * The load-balancing weight.
   * @default - equal weights
   */
  readonly weight?: number;
}

/**
 * Ejecting endpoints of the host that keep failing (a DestinationRule's outlier detection).
 */
export interface OutlierDetection {
  /**
   * Consecutive 5xx responses (or connection failures) before an endpoint is ejected.
   * @default 5
   */
  readonly consecutive5xxErrors?: number;
  /**
   * How often endpoints are analysed.
   * @default Duration.seconds(10)
   */
  readonly interval?: Duration;
  /**
   * How long an endpoint stays ejected at first (longer after each ejection).
   * @default Duration.seconds(30)
   */
  readonly baseEjectionTime?: Duration;
  /**
   * The most endpoints, in percent, that may be ejected at once.
   * @default 10
   */
  readonly maxEjectionPercent?: number;
}

/**
 * Connection settings for the proxies' traffic to the host (a DestinationRule's traffic policy).
 */
export interface ExternalTrafficPolicy {
  /**
   * TCP connect timeout.
   * @default - Istio's default (10s)
   */
  readonly connectTimeout?: Duration;
  /**
   * The most TCP connections to the host, per proxy.
   * @default - Istio's default (unlimited)
   */
  readonly maxConnections?: number;
  /**
   * The most HTTP requests waiting for a connection, per proxy.
   * @default - Istio's default (unlimited)
   */
  readonly maxPendingRequests?: number;
  /**
   * The most HTTP requests per connection (1 disables keep-alive).
   * @default - unlimited
   */
  readonly maxRequestsPerConnection?: number;
  /**
   * Ejection of failing endpoints.
   * @default - none
   */
  readonly outlierDetection?: OutlierDetection;
  /**
   * How the proxies balance connections across the host's endpoints (Istio's sidecar mutual TLS
   * origination task writes ROUND_ROBIN).
   * @default - Istio's default (LEAST_REQUEST)
   */
  readonly loadBalancer?: LoadBalancerPolicy;
}

/**
 * Retrying failed HTTP requests to the host.
 */
export interface HttpRetries {
  /** How many times to retry. */
  readonly attempts: number;
  /**
   * Timeout of each try.
   * @default - the request timeout
   */
  readonly perTryTimeout?: Duration;
  /**
   * The conditions to retry on, as Envoy names them (`5xx`, `connect-failure`, `reset`, ...).
   * @default 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes' (Istio's)
   */
  readonly retryOn?: string;
}

/**
 * Properties of an ExternalHost.
 */
export interface ExternalHostProps {
  /**
   * The host names (`api.example.com`, or `*.example.com` for a whole domain).
   */
  readonly hosts: string[];
  /**
   * The ports the host serves.
   */
  readonly ports: EgressPort[];
  /**
   * Metadata of the ServiceEntry.
   * @default - the name is derived from the first host; the namespace is the chart's
   */
  readonly metadata?: ApiObjectMetadata;
  /**
   * How the proxy finds the host's addresses.
   * @default - `Resolution.DNS` for concrete hosts, `Resolution.NONE` when a host is a wildcard
   */
  readonly resolution?: Resolution;
  /**
   * Whether the host is outside the mesh.
   * @default HostLocation.MESH_EXTERNAL
   */
  readonly location?: HostLocation;
  /**
   * Which namespaces may see the host. `ExportTo.everywhere()` needs an acknowledgement (EGR203).
   * @default - not set: Istio's mesh default, which is every namespace unless the mesh config narrows it
   */
  readonly exportTo?: ExportTo;
  /**
   * Virtual IP addresses or CIDR blocks of the host, needed to tell TCP hosts apart.
   * @default - none
   */
  readonly addresses?: string[];
  /**
   * Endpoints of the host, for STATIC resolution or DNS with other names.
   * @default - none
   */
  readonly endpoints?: ExternalEndpoint[];
  /**
   * Connection pool and outlier detection for traffic to the host.
   * @default - Istio's defaults
   */
  readonly trafficPolicy?: ExternalTrafficPolicy;
  /**
   * Timeout of HTTP requests to the host (HTTP ports only).
   * @default - Istio's default (none)
   */
  readonly requestTimeout?: Duration;
  /**
   * Retries of HTTP requests to the host (HTTP ports only).
   * @default - Istio's default (2 attempts on connection failures)
   */
  readonly retries?: HttpRetries;
  /**
   * Open TLS to the host at the client's sidecar, for applications that speak plain HTTP: the
   * host's HTTP ports send to `tlsOrigination.port` (their targetPort) over TLS.
   * For hosts routed through an egress gateway, set it on the route instead. With
   * `carriedBy: TlsOriginationObject.backendTlsPolicy()` a BackendTLSPolicy targets the HTTP ports
   * (by name) instead of a DestinationRule.
   * @default - no origination
   */
  readonly tlsOrigination?: TlsOrigination;
  /**
   * Labels of the client pods, in the host's namespace, whose sidecars originate TLS: the
   * DestinationRule that carries `tlsOrigination` gets them as its `workloadSelector`. A sidecar
   * reads a `credentialName` Secret (mutual TLS, `TlsOrigination.mutual({ credentialName })`) only
   * from a DestinationRule with a workload selector, and only from its own namespace; the pods'
   * service account must be allowed to read the Secret (a Role and RoleBinding, as in Istio's
   * "Mutual TLS origination for egress traffic" task). Other pods, and pods of other namespaces,
   * do not originate: they send plain HTTP. The DestinationRule's `trafficPolicy` settings then
   * apply to the selected pods only as well.
   * @default - every client sidecar that sees the host originates (then `credentialName` is not
   * read by sidecars: give `caCertificates`)
   */
  readonly tlsOriginationWorkloadSelector?: { [key: string]: string };
  /**
   * The namespaces whose workloads use the host, named on the host itself. With
   * `ExportTo.whereUsed()` the host is exported to them (no route or lockdown needed for that; an
   * explicit `exportTo` must include them); the EgressLockdown of each of them lets its workloads see
   * the host as if its `hosts` listed it (its Sidecar imports the host, its NetworkPolicy allows the
   * gateway's pods, or the host's addresses when the host is reached without a gateway); a route of the
   * host writes its DestinationRule for the gateway's Service in each of them, as for the namespaces of
   * `allowedClients` (who may use the gateway is still `allowedClients`).
   * @default - none: the namespaces of the routes and lockdowns that name the host
   */
  readonly clientNamespaces?: string[];
}

/**
 * An external host that constructs such as routes can refer to.
 */
export interface IExternalHost extends IConstruct {
  /** The host names. */
  readonly hosts: string[];
  /** The ServiceEntry's name. */
  readonly name: string;
  /** The namespace of the ServiceEntry, when known. */
  readonly namespace?: string;
  /** The ports the host serves. */
  readonly ports: EgressPort[];
  /** How the proxy finds the host's addresses. */
  readonly resolution: Resolution;
  /** The host's virtual IP addresses or CIDR blocks (empty when it has none). */
  readonly addresses: string[];
  /**
   * Records that `consumer` needs the host to be visible in `namespace`. A derived exportTo
   * includes it; an explicit exportTo that does not include it fails validation.
   */
  addConsumer(namespace: string, consumer: IConstruct): void;
}

/**
 * A host outside the mesh that workloads may reach: one Istio ServiceEntry.
 *
 * @example
 * new ExternalHost(chart, 'Wikipedia', {
 *   hosts: ['www.wikipedia.org'],
 *   ports: [EgressPort.http(), EgressPort.https()],
 * });
 */
export class ExternalHost extends Construct implements IExternalHost {
  /**
   * @internal The ExternalHosts of `scope`'s app that name `namespace` among their client namespaces
   * and are exported to it (a host not exported there reports that itself).
   */
  public static _namingClientNamespace(scope: IConstruct, namespace: string): ExternalHost[] {
    return (clientHosts(scope.node.root).get(namespace) ?? []).filter(h => h.exportProblem(namespace) === undefined);
  }

  public readonly hosts: string[];
  public readonly name: string;
  public readonly namespace?: string;
  public readonly resolution: Resolution;
  public readonly addresses: string[];
  /** The namespaces whose workloads use the host, as given in `clientNamespaces` (without repeats). */
  public readonly clientNamespaces: string[];
  /** The ServiceEntry. */
  public readonly serviceEntry: ApiObject;
  /** The DestinationRules for traffic policy and TLS origination, one per host (empty without them). */
  public readonly destinationRules: ApiObject[];
  /** The BackendTLSPolicy that originates TLS (empty unless `tlsOrigination` is carried by one). */
  public readonly backendTlsPolicies: ApiObject[];

  private readonly _ports: EgressPort[] = [];
  private readonly endpoints: ExternalEndpoint[] = [];
  /** The namespaces where routes, policies and lockdowns need the host visible, with their paths. */
  private readonly consumers = new Map<string, string[]>();
  private readonly meshRoutes: ApiObject[] = [];
  private routedBy?: IConstruct;
  /** Ports that a waypoint sends to another port of the host (TLS origination at the waypoint). */
  private readonly waypointTargetPorts = new Map<number, number>();

  public constructor(scope: Construct, id: string, private readonly props: ExternalHostProps) {
    super(scope, id);
    // A new host changes which host of the app declares each name first.
    noteChange();
    this.hosts = [...props.hosts];
    this.name = props.metadata?.name ?? toDnsLabel(props.hosts[0] ?? id);
    this.namespace = props.metadata?.namespace ?? Chart.of(this).namespace;
    this.resolution = props.resolution ?? (this.hosts.some(h => h.startsWith('*')) ? Resolution.NONE : Resolution.DNS);
    this.addresses = [...(props.addresses ?? [])];
    this.clientNamespaces = [...new Set(props.clientNamespaces ?? [])];
    this.clientNamespaces.forEach(ns => this.addConsumer(ns, this));
    props.ports.forEach(p => this.addPort(p));
    (props.endpoints ?? []).forEach(e => this.addEndpoint(e));

    this.serviceEntry = createIstioObject(this, 'Resource', 'ServiceEntry', { ...props.metadata, name: this.name },
      Lazy.any({ produce: () => this.renderSpec() }));
    const namespace = props.metadata?.namespace;
    // One host: its objects share the ServiceEntry's name; several: each host names its own.
    const label = (host: string) => toDnsLabel(this.hosts.length === 1 ? this.name : host);
    const byPolicy = props.tlsOrigination?._byBackendTlsPolicy ?? false;
    this.destinationRules = props.trafficPolicy || (props.tlsOrigination && !byPolicy)
      ? this.hosts.map((host, i) => createIstioObject(this, `DestinationRule${i}`, 'DestinationRule', { name: label(host), namespace },
        Lazy.any({ produce: () => this.renderDestinationRule(host) })))
      : [];
    this.backendTlsPolicies = props.tlsOrigination && byPolicy
      ? [createBackendTlsPolicy(this, 'BackendTLSPolicy', this.name, namespace, this.name, this.hosts[0] ?? '', () => this.httpPorts, props.tlsOrigination)]
      : [];
    if (props.requestTimeout || props.retries) {
      this.meshRoutes.push(...this.hosts.map((host, i) => createIstioObject(this, `VirtualService${i}`, 'VirtualService', { name: label(host), namespace },
        Lazy.any({ produce: () => this.renderMeshRoutes(host) }))));
    }
    props.tlsOrigination?._acknowledgeIn(this);
    // Where a consumer cannot see the host, the consumer's objects say so (IST0101, HIDDEN_HOST).
    validateWithIstioRules(this, () => [this.serviceEntry, ...this.destinationRules, ...this.backendTlsPolicies, ...this.meshRoutes], {
      extra: () => [
        ...mapList(this.checkProps(), p => p.message), ...mapList(this.originationFindingsInProps(), t => t.message), ...this.checkTrafficSettings(),
      ],
      covered: object => (object === this.serviceEntry ? this.checkProps().flatMap(p => p.covers)
        : [...this.originationFindingsInProps().filter(t => t.object === object).map(t => t.field), ...this.emptyTrafficPolicy(object)]),
      // Two definitions of one host: their clashes (name, protocols, resolutions) follow from it.
      coveredRules: object => (object === this.serviceEntry && this.earlierDefinition() ? ['DUPLICATE_NAME', 'SEPROTOCOL', 'SERESOLUTION'] : []),
    });
  }

  /** The VirtualServices that set the HTTP timeout and retries (empty when a route carries them, or without them). */
  public get virtualServices(): ApiObject[] {
    return [...this.meshRoutes];
  }

  /** The ports the host serves. */
  public get ports(): EgressPort[] {
    return [...this._ports];
  }

  /** Adds a port. */
  public addPort(port: EgressPort): void {
    noteChange();
    this._ports.push(port);
  }

  /** Adds an endpoint. */
  public addEndpoint(endpoint: ExternalEndpoint): void {
    noteChange();
    this.endpoints.push(endpoint);
  }

  /** Why the host is not exported to the client namespace `namespace`, or undefined when it is (or exportTo cannot be read). */
  private exportProblem(namespace: string): string | undefined {
    const exportTo = this.props.exportTo;
    if (!(exportTo instanceof ExportTo) || exportTo.includesConsumers) {
      return undefined;
    }
    const entries = exportTo.entries;
    if (entries.includes('*') || entries.includes(namespace) || (namespace === this.namespace && entries.includes('.'))) {
      return undefined;
    }
    return `exportTo = ${JSON.stringify(entries)} does not export the host to it, so its workloads cannot see the host`;
  }

  public addConsumer(namespace: string, consumer: IConstruct): void {
    noteChange();
    this.consumers.set(namespace, [...(this.consumers.get(namespace) ?? []), consumer.node.path]);
  }

  /**
   * @internal A route through an egress gateway takes over the sidecars' routing of this host: its
   * VirtualService carries the timeout and retries, and this host's own VirtualServices are removed
   * (two mesh VirtualServices for one host conflict, IST0109).
   */
  public _claimMeshRouting(route: IConstruct): MeshRouting {
    noteChange();
    this.routedBy = route;
    for (const vs of this.meshRoutes.splice(0)) {
      this.node.tryRemoveChild(vs.node.id);
    }
    return { timeout: istioDuration(this.props.requestTimeout), retries: this.renderRetries() };
  }

  /**
   * @internal Binds the ServiceEntry to a waypoint: each of `keys` becomes a label of the
   * ServiceEntry whose value `labels()` gives at synth (left out when it gives none, e.g. when the
   * namespace already names the waypoint).
   */
  public _bindToWaypoint(keys: string[], labels: () => Record<string, string>): void {
    noteChange();
    for (const key of keys) {
      // Resolved at synth; a label without a value is dropped from the output.
      this.serviceEntry.metadata.addLabel(key, Lazy.any({ produce: () => labels()[key] }) as unknown as string);
    }
  }

  /** @internal A waypoint sends the host's port `port` to `targetPort` (TLS origination at the waypoint). */
  public _setWaypointTargetPort(port: number, targetPort: number): void {
    noteChange();
    this.waypointTargetPorts.set(port, targetPort);
  }

  /** @internal The connection settings, for DestinationRules that other constructs write for this host. */
  public _trafficPolicy(): Record<string, unknown> | undefined {
    const p = this.props.trafficPolicy;
    if (!p) {
      return undefined;
    }
    const tcp = { maxConnections: p.maxConnections, connectTimeout: istioDuration(p.connectTimeout) };
    const http = { http1MaxPendingRequests: p.maxPendingRequests, maxRequestsPerConnection: p.maxRequestsPerConnection };
    const defined = (o: Record<string, unknown>) => (Object.values(o).some(v => v !== undefined) ? o : undefined);
    const o = p.outlierDetection;
    return {
      connectionPool: defined({ tcp: defined(tcp), http: defined(http) }),
      outlierDetection: o && {
        consecutive5xxErrors: o.consecutive5xxErrors ?? 5,
        interval: istioDuration(o.interval) ?? '10s',
        baseEjectionTime: istioDuration(o.baseEjectionTime) ?? '30s',
        maxEjectionPercent: o.maxEjectionPercent,
      },
      loadBalancer: p.loadBalancer === undefined ? undefined : { simple: p.loadBalancer },
    };
  }

  private renderRetries(): Record<string, unknown> | undefined {
    const r = this.props.retries;
    return r && { attempts: r.attempts, perTryTimeout: istioDuration(r.perTryTimeout), retryOn: r.retryOn };
  }

  private get httpPorts(): EgressPort[] {
    return this._ports.filter(p => p.isHttp);
  }

  private renderDestinationRule(host: string): Record<string, unknown> {
    const origination = this.props.tlsOrigination;
    const policy = this._trafficPolicy();
    const portLevelSettings = origination && !origination._byBackendTlsPolicy
      ? this.httpPorts.map(p => ({ port: { number: p.number }, tls: origination._render(host) }))
      : [];
    const selector = this.props.tlsOriginationWorkloadSelector;
    return {
      host,
      workloadSelector: selector && { matchLabels: { ...selector } },
      trafficPolicy: { ...policy, portLevelSettings: portLevelSettings.length > 0 ? portLevelSettings : undefined },
    };
  }

  private renderMeshRoutes(host: string): Record<string, unknown> {
    return {
      hosts: [host],
      http: this.httpPorts.map(p => ({
        match: [{ port: p.number }],
        route: [{ destination: { host, port: { number: p.number } } }],
        timeout: istioDuration(this.props.requestTimeout),
        retries: this.renderRetries(),
      })),
    };
  }

  /**
   * Props that the library refuses before Istio's rules see them, each with the ServiceEntry fields
   * whose findings it replaces: values outside the enums (other jsii languages and plain JavaScript
   * bypass TypeScript's types), partial wildcards, a host another ExternalHost of the namespace declares.
   */
  private checkProps(): Array<{ message: string; covers: string[] }> {
    const problems: Array<{ message: string; covers: string[] }> = [];
    const add = (message: string | undefined, ...covers: string[]) => {
      if (message) {
        problems.push({ message, covers });
      }
    };
    add(enumProblem('resolution', this.props.resolution, 'Resolution', Resolution), 'spec.resolution');
    add(enumProblem('location', this.props.location, 'HostLocation', HostLocation), 'spec.location');
    add(enumProblem('trafficPolicy.loadBalancer', this.props.trafficPolicy?.loadBalancer, 'LoadBalancerPolicy', LoadBalancerPolicy));
    this._ports.forEach((port, i) => add(enumProblem(`ports[${i}].protocol`, port.protocol, 'EgressProtocol', EgressProtocol), `spec.ports[${i}].protocol`));
    const exportTo = this.props.exportTo;
    if (exportTo !== undefined && !(exportTo instanceof ExportTo)) {
      add(`exportTo = ${JSON.stringify(exportTo)}: not an ExportTo, so the library cannot write it. Fix: use ExportTo.whereUsed(), `
        + 'ExportTo.sameNamespace(), ExportTo.namespaces(...) or ExportTo.everywhere().', 'spec.exportTo');
    }
    this.hosts.forEach((host, i) => {
      // `*example.com`: a leading wildcard glued to a label (other misplaced wildcards are invalid names: the rules' messages).
      if (typeof host === 'string' && PARTIAL_WILDCARD.test(host)) {
        // Istio's webhook only warns (ValidatePartialWildCard wrapped as a warning for ServiceEntries), and
        // its docs call partial wildcards unsupported: a wildcard matches whole labels only.
        add(`hosts[${i}] = "${host}": a partial wildcard, which Istio's webhook reports as not allowed (a warning) and its docs do `
          + 'not support: a wildcard stands for whole leading labels only, so what the proxies match is not what the host says. '
          + `Fix: use a whole wildcard label, e.g. "*.${host.slice(1)}", `
          + 'or the concrete host names.', `spec.hosts[${i}]`);
      }
    });
    const twin = this.earlierDefinition();
    if (twin) {
      add(`hosts: "${twin.host}" is also declared by ${twin.other.node.path} (ExternalHost, ServiceEntry ${twin.other.namespace}/${twin.other.name}) `
        + `in namespace ${this.namespace}: two definitions of one host conflict (Istio keeps the oldest ServiceEntry for the host in a `
        + 'namespace and ignores the ports, resolution and endpoints of the other). Fix: declare the host once, in one ExternalHost '
        + 'with every port (addPort), and refer to that one from routes and lockdowns.');
    }
    this.clientNamespaces.forEach((ns, i) => {
      const field = `clientNamespaces[${i}]`;
      if (ns === '*' || ns === '.') {
        add(`${field} = "${ns}": not a namespace name. Fix: name the client namespaces; for every namespace use `
          + 'exportTo: ExportTo.everywhere() (EGR203, acknowledged), for the host\'s own namespace its name.');
        return;
      }
      const nameProblem = typeof ns === 'string' ? namespaceNameProblem(field, ns) : `${field} = ${JSON.stringify(ns)}: not a namespace name. Fix: give a string.`;
      add(nameProblem);
      const exportProblem = nameProblem ? undefined : this.exportProblem(ns);
      add(exportProblem && `${field} = "${ns}": ${exportProblem}. Fix: use exportTo: ExportTo.whereUsed() (it exports to the client `
        + `namespaces), or add "${ns}" to ExportTo.namespaces(...).`);
    });
    const selector = this.props.tlsOriginationWorkloadSelector;
    if (selector !== undefined && (!this.props.tlsOrigination || this.props.tlsOrigination._byBackendTlsPolicy)) {
      add(`tlsOriginationWorkloadSelector = ${JSON.stringify(selector)}: ${this.props.tlsOrigination
        ? 'a BackendTLSPolicy has no workload selector (it applies to every client)' : 'there is no tlsOrigination to scope'}. `
        + `Fix: ${this.props.tlsOrigination ? 'carry the origination in a DestinationRule (the default carriedBy)' : 'set tlsOrigination, or remove tlsOriginationWorkloadSelector'}.`);
    }
    return problems;
  }

  /**
   * The rules' findings about the origination's DestinationRules that `tlsOrigination` caused, told in
   * the props the user wrote (the rules speak of YAML fields): a credentialName that sidecars do not
   * read (EGR111), CA options beside `withoutServerVerification()` (DR8).
   */
  private originationFindingsInProps(): Array<{ object: ApiObject; field: string; message: string }> {
    const origination = this.props.tlsOrigination;
    if (!origination || origination._byBackendTlsPolicy) {
      return [];
    }
    const options = origination.options ?? {};
    const factory = origination.mode === TlsOriginationMode.MUTUAL ? 'mutual' : origination.verifiesServer ? 'simple' : 'withoutServerVerification';
    const out: Array<{ object: ApiObject; field: string; message: string }> = [];
    this.destinationRules.forEach((object, i) => {
      for (const finding of findingsFor(object)) {
        if (isAcknowledged(object, finding)) {
          continue;
        }
        if (finding.rule === 'SIDECAR_CREDENTIAL') {
          out.push({
            object,
            field: finding.field,
            message: `tlsOrigination (EGR111): TlsOrigination.${factory}({ credentialName: '${options.credentialName}' }) at the sidecar: sidecars read a `
              + `credentialName Secret only from a DestinationRule with a workload selector, so as written they send to ${this.hosts[i]} without TLS. `
              + 'Fix: set tlsOriginationWorkloadSelector to the labels of the client pods (the Secret in their namespace, readable by '
              + 'their service account), or verify with caCertificates instead of credentialName, or originate at the egress gateway '
              + `(EgressGatewayRoute: tlsOrigination). If it is right as it is: EgressAnalysis.acknowledge(<the construct at ${this.node.path}>, 'EGR111', '<why it is right>')`,
          });
        } else if (finding.rule === 'DR8' && !origination.verifiesServer) {
          const given = (['caCertificates', 'credentialName', 'subjectAltNames'] as const).filter(k => options[k] !== undefined);
          out.push({
            object,
            field: finding.field,
            message: `tlsOrigination: TlsOrigination.withoutServerVerification({ ${given.join(', ')} }): an origination that does not verify the server `
              + `takes no ${given.join(' or ')} (Istio refuses them beside insecureSkipVerify). Fix: use TlsOrigination.${origination.mode === TlsOriginationMode.MUTUAL ? 'mutual' : 'simple'}`
              + `({ ${given.join(', ')} }) to verify the server, or leave ${given.join(' and ')} out.`,
          });
        }
      }
    });
    return out;
  }

  /**
   * The origination's DestinationRule of a host without HTTP ports has an empty traffic policy: the
   * missing HTTP port (checkTrafficSettings) is the cause, reported once.
   */
  private emptyTrafficPolicy(object: ApiObject): string[] {
    return this.destinationRules.includes(object) && this.props.tlsOrigination && this.httpPorts.length === 0 && !this.props.trafficPolicy
      ? ['spec.trafficPolicy'] : [];
  }

  /** An ExternalHost earlier in the app that declares one of this host's names in the same namespace. */
  private earlierDefinition(): EarlierDefinition | undefined {
    return earlierDefinitions(this.node.root).get(this);
  }

  /**
   * Props that the objects cannot express: settings for HTTP ports the host lacks, origination at a
   * sidecar that a gateway route keeps from the host, a resolution the emitted API version lacks.
   */
  private checkTrafficSettings(): string[] {
    const errors: string[] = [];
    const { requestTimeout, retries, tlsOrigination } = this.props;
    if ((requestTimeout || retries || tlsOrigination) && this.httpPorts.length === 0) {
      errors.push(`${tlsOrigination ? 'tlsOrigination' : 'requestTimeout/retries'}: the host has no HTTP port (it declares `
        + `${this._ports.map(p => `${p.number} (${p.protocol})`).join(', ') || 'none'}), so there is nothing to apply it to. `
        + 'Fix: declare the HTTP port the application uses, e.g. EgressPort.http(80).');
    }
    errors.push(...(tlsOrigination?._problems(undefined, 'the sidecar', this) ?? []));
    if (tlsOrigination && this.routedBy) {
      errors.push(`tlsOrigination: ${this.routedBy.node.path} sends this host's traffic through an egress gateway, so the sidecar never `
        + 'connects to the host and cannot originate TLS. Fix: set tlsOrigination on the EgressGatewayRoute (origination at the gateway) instead.');
    } else if (tlsOrigination) {
      errors.push(...tlsOrigination._backendTlsPolicyProblems(this, this.hosts, this.httpPorts, this.props.trafficPolicy !== undefined));
    }
    if (this.resolution === Resolution.DYNAMIC_DNS && IstioApi.versionOf(this) === IstioApiVersion.V1BETA1) {
      errors.push('resolution = "DYNAMIC_DNS": only Istio 1.30 and later know it, and this app emits v1beta1 for older meshes, '
        + 'whose API server rejects the value. Fix: use Resolution.NONE for the wildcard host, or emit v1 for Istio 1.30+.');
    }
    return errors;
  }

  private renderExportTo(): string[] | undefined {
    const exportTo = this.props.exportTo;
    // Anything but an ExportTo (from another language) is refused by checkProps, and not written.
    if (!(exportTo instanceof ExportTo)) {
      return undefined;
    }
    if (!exportTo.includesConsumers) {
      return [...exportTo.entries];
    }
    const own = this.namespace;
    const others = [...this.consumers.keys()].filter(ns => ns !== own).sort();
    return [...exportTo.entries, ...others];
  }

  /** With origination at the sidecar, HTTP ports send to the TLS port unless they say otherwise. */
  private targetPortOf(port: EgressPort): number | undefined {
    const origination = this.props.tlsOrigination;
    return port.targetPort ?? this.waypointTargetPorts.get(port.number)
      ?? (origination && port.isHttp && !this.routedBy && origination.port !== port.number ? origination.port : undefined);
  }

  private renderSpec(): Record<string, unknown> {
    const endpoints = mapList(this.endpoints, e => ({
      address: e.address,
      ports: e.ports,
      labels: e.labels,
      network: e.network,
      locality: e.locality,
      weight: e.weight,
    }));
    return {
      hosts: this.hosts,
      ports: this._ports.map(p => ({ number: p.number, protocol: p.protocol, name: p.name, targetPort: this.targetPortOf(p) })),
      resolution: this.resolution,
      location: this.props.location ?? HostLocation.MESH_EXTERNAL,
      exportTo: this.renderExportTo(),
      addresses: this.addresses.length > 0 ? [...this.addresses] : undefined,
      endpoints: endpoints.length > 0 ? endpoints : undefined,
    };
  }
}
