import { ApiObject, ApiObjectMetadata, Chart, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { EgressPort } from './egress-port';
import { createIstioObject } from './private/istio-objects';
import { toDnsLabel } from './private/names';
import { validateWithIstioRules } from './private/validation';

/**
 * How the proxy finds the addresses of an external host.
 */
export enum Resolution {
  /** Use the address the application connected to. The default for wildcard hosts. */
  NONE = 'NONE',
  /** Use the IP addresses of the listed endpoints. */
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
  /** Every namespace (`*`). */
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
   * Which namespaces may see the host.
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
  public readonly hosts: string[];
  public readonly name: string;
  public readonly namespace?: string;
  public readonly resolution: Resolution;
  /** The ServiceEntry. */
  public readonly serviceEntry: ApiObject;

  private readonly _ports: EgressPort[] = [];
  private readonly endpoints: ExternalEndpoint[] = [];
  private readonly consumers = new Map<string, string[]>();

  public constructor(scope: Construct, id: string, private readonly props: ExternalHostProps) {
    super(scope, id);
    this.hosts = [...props.hosts];
    this.name = props.metadata?.name ?? toDnsLabel(props.hosts[0] ?? id);
    this.namespace = props.metadata?.namespace ?? Chart.of(this).namespace;
    this.resolution = props.resolution ?? (this.hosts.some(h => h.startsWith('*')) ? Resolution.NONE : Resolution.DNS);
    props.ports.forEach(p => this.addPort(p));
    (props.endpoints ?? []).forEach(e => this.addEndpoint(e));

    this.serviceEntry = createIstioObject(this, 'Resource', 'ServiceEntry', { ...props.metadata, name: this.name },
      Lazy.any({ produce: () => this.renderSpec() }));
    validateWithIstioRules(this, () => [this.serviceEntry], () => this.checkConsumers());
  }

  /** The ports the host serves. */
  public get ports(): EgressPort[] {
    return [...this._ports];
  }

  /** Adds a port. */
  public addPort(port: EgressPort): void {
    this._ports.push(port);
  }

  /** Adds an endpoint. */
  public addEndpoint(endpoint: ExternalEndpoint): void {
    this.endpoints.push(endpoint);
  }

  public addConsumer(namespace: string, consumer: IConstruct): void {
    const paths = this.consumers.get(namespace) ?? [];
    paths.push(consumer.node.path);
    this.consumers.set(namespace, paths);
  }

  private renderExportTo(): string[] | undefined {
    const exportTo = this.props.exportTo;
    if (!exportTo) {
      return undefined;
    }
    if (!exportTo.includesConsumers) {
      return [...exportTo.entries];
    }
    const own = this.namespace;
    const others = [...this.consumers.keys()].filter(ns => ns !== own).sort();
    return [...exportTo.entries, ...others];
  }

  /** An explicit exportTo must cover every namespace that a route or policy needs the host in. */
  private checkConsumers(): string[] {
    const exportTo = this.renderExportTo();
    if (!exportTo || exportTo.includes('*')) {
      return [];
    }
    const visible = new Set(exportTo.map(ns => (ns === '.' ? this.namespace : ns)));
    const errors: string[] = [];
    for (const [namespace, paths] of [...this.consumers.entries()].sort()) {
      if (!visible.has(namespace)) {
        errors.push(`spec.exportTo = ${JSON.stringify(exportTo)}: the host ${this.hosts.join(', ')} is not visible in namespace "${namespace}", `
          + `which ${paths.join(', ')} needs (clients there, or the egress gateway, could not reach it). `
          + `Fix: add "${namespace}" to exportTo, or use ExportTo.whereUsed().`);
      }
    }
    return errors;
  }

  private renderSpec(): Record<string, unknown> {
    const endpoints = this.endpoints.map(e => ({
      address: e.address,
      ports: e.ports,
      labels: e.labels,
      network: e.network,
      locality: e.locality,
      weight: e.weight,
    }));
    return {
      hosts: this.hosts,
      ports: this._ports.map(p => ({ number: p.number, protocol: p.protocol, name: p.name, targetPort: p.targetPort })),
      resolution: this.resolution,
      location: this.props.location ?? HostLocation.MESH_EXTERNAL,
      exportTo: this.renderExportTo(),
      addresses: this.props.addresses && [...this.props.addresses],
      endpoints: endpoints.length > 0 ? endpoints : undefined,
    };
  }
}
