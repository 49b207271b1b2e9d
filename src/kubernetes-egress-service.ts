import { ApiObject, ApiObjectMetadata, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { EgressPort, EgressProtocol } from './egress-port';
import { enumProblem } from './private/enums';
import { createIstioObject } from './private/istio-objects';
import { toDnsLabel } from './private/names';
import { isDns1123Label, isIpAddress, isKubernetesSubdomainName } from './rules/names';
import { istioPortProtocol, parseProtocol } from './rules/protocol';
import { LibraryApiObject } from './synth/library-object';
import { validateWithIstioRules } from './synth/validation';

/** The label that ties an EndpointSlice to its Service (Kubernetes and Istio look slices up by it). */
const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
/** Who manages the EndpointSlices: not Kubernetes' EndpointSlice controller. */
const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
const MANAGED_BY = 'cdk8s-istio-egress';
/** What the API server accepts as a Service name (apimachinery IsDNS1035Label, length apart). */
const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/**
 * The object that lists the addresses behind a Service without selector.
 */
export enum EndpointsKind {
  /**
   * `discovery.k8s.io/v1` EndpointSlices, one per address family: the API Kubernetes and Istio read
   * (Istio's registry watches EndpointSlices only).
   */
  ENDPOINT_SLICE = 'EndpointSlice',
  /**
   * A `v1` Endpoints object, as Istio's "Kubernetes Services for egress traffic" task writes it.
   * Kubernetes deprecates the Endpoints API from 1.33 (the API server warns on every write); its
   * EndpointSlice mirroring controller copies the addresses into EndpointSlices, which Istio reads.
   */
  ENDPOINTS = 'Endpoints',
}

/**
 * Where a Kubernetes Service for egress sends its clients.
 */
export class ServiceDestination {
  /**
   * An `ExternalName` Service: the cluster DNS answers the Service's name with a CNAME to `host`.
   * Istio (1.20 and later) treats the Service as an alias of `host`: traffic to it is the host's
   * traffic (the host's ServiceEntry, DestinationRule and routes apply, and under REGISTRY_ONLY the
   * host needs a ServiceEntry).
   */
  public static externalName(host: string): ServiceDestination {
    return new ServiceDestination(host, [], undefined);
  }

  /**
   * A Service without selector whose endpoints are the given IP addresses: the Service gets a
   * cluster IP, and Istio sends its traffic to these addresses.
   *
   * @param addresses IPv4 or IPv6 addresses
   * @param objectKind the object that lists the addresses (default: EndpointSlices)
   */
  public static addresses(addresses: string[], objectKind?: EndpointsKind): ServiceDestination {
    return new ServiceDestination(undefined, [...(addresses ?? [])], objectKind ?? EndpointsKind.ENDPOINT_SLICE);
  }

  private constructor(
    /** The external host name of an ExternalName Service. */
    public readonly externalHostName: string | undefined,
    /** The IP addresses of a Service without selector (empty for an ExternalName Service). */
    public readonly ipAddresses: string[],
    /** The object that lists the addresses (undefined for an ExternalName Service). */
    public readonly endpointsKind: EndpointsKind | undefined,
  ) {}
}

/**
 * Properties of a KubernetesEgressService.
 */
export interface KubernetesEgressServiceProps {
  /** The external host name, or the IP addresses, behind the Service. */
  readonly destination: ServiceDestination;
  /**
   * The Service's ports. Istio reads a Service port's protocol from its name (the part before the
   * first `-`), so each port's name must name its protocol: the default names (`http-80`,
   * `tls-443`, ...) do; a name that says another protocol, or none, is refused.
   */
  readonly ports: EgressPort[];
  /**
   * Metadata of the Service (the other objects take its name and namespace).
   * @default - the name is derived from the external host name, or from the construct id; the namespace is the chart's
   */
  readonly metadata?: ApiObjectMetadata;
  /**
   * Write a DestinationRule for the Service's host with `trafficPolicy.tls.mode: DISABLE`, so that
   * the sidecars never send Istio mutual TLS to the external destination (it cannot answer it).
   * For a Service with addresses, the sidecars would otherwise take the TLS mode of any wider
   * DestinationRule that applies to the host (a mesh-wide or namespace-wide `ISTIO_MUTUAL` rule
   * for `*.local`, or auto mutual TLS turned off). For an ExternalName Service, Istio 1.20 and
   * later apply no DestinationRule to the alias (the external host's rules apply), so the rule does
   * nothing there; Istio's task writes it all the same (lint warns: EGR115).
   * @default - true for a Service with addresses, false for an ExternalName Service
   */
  readonly disableIstioMutualTls?: boolean;
}

/**
 * A Kubernetes Service that names a destination outside the cluster, as Istio's task "Kubernetes
 * Services for egress traffic" writes it: an `ExternalName` Service (a DNS alias of an external
 * host), or a Service without selector with the external IP addresses as its endpoints, each with
 * a DestinationRule that keeps Istio mutual TLS away from it.
 *
 * For new setups, Istio recommends an ExternalHost (a ServiceEntry) instead: it is what egress
 * gateways, routes and lockdowns work with.
 *
 * @example
 * new KubernetesEgressService(chart, 'Httpbin', {
 *   metadata: { name: 'my-httpbin' },
 *   destination: ServiceDestination.externalName('httpbin.org'),
 *   ports: [EgressPort.of({ number: 80, protocol: EgressProtocol.HTTP, name: 'http' })],
 * });
 */
export class KubernetesEgressService extends Construct {
  /** The Service's name. */
  public readonly name: string;
  /** The Service's namespace, when known. */
  public readonly namespace?: string;
  /** The host name clients use: `<name>.<namespace>.svc.cluster.local` (the name alone when the namespace is not known). */
  public readonly host: string;
  /** The Service. */
  public readonly service: ApiObject;
  /** The EndpointSlices, or the Endpoints object, of a Service with addresses (empty for an ExternalName Service). */
  public readonly endpoints: ApiObject[];
  /** The DestinationRule that disables Istio mutual TLS to the Service's host, when written. */
  public readonly destinationRule?: ApiObject;

  private readonly ports: EgressPort[];

  public constructor(scope: Construct, id: string, private readonly props: KubernetesEgressServiceProps) {
    super(scope, id);
    const destination = props.destination instanceof ServiceDestination ? props.destination : undefined;
    this.ports = [...(Array.isArray(props.ports) ? props.ports : [])];
    const external = typeof destination?.externalHostName === 'string' ? destination.externalHostName : undefined;
    this.name = props.metadata?.name ?? toDnsLabel(external ?? id);
    this.namespace = props.metadata?.namespace ?? Chart.of(this).namespace;
    this.host = this.namespace ? `${this.name}.${this.namespace}.svc.cluster.local` : this.name;
    const metadata = { ...props.metadata, name: this.name };

    this.service = new LibraryApiObject(this, 'Service', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata,
      spec: {
        type: destination?.externalHostName !== undefined ? 'ExternalName' : undefined,
        externalName: destination?.externalHostName,
        ports: this.ports.filter(p => p instanceof EgressPort).map(p => ({
          name: p.name,
          protocol: 'TCP',
          port: p.number,
          targetPort: destination?.externalHostName === undefined ? p.targetPort : undefined,
        })),
      },
    });
    this.endpoints = destination && destination.externalHostName === undefined ? this.createEndpoints(destination) : [];
    const disable = props.disableIstioMutualTls ?? (destination?.externalHostName === undefined);
    if (disable === true) {
      this.destinationRule = createIstioObject(this, 'DestinationRule', 'DestinationRule',
        { name: this.name, namespace: props.metadata?.namespace },
        { host: this.host, trafficPolicy: { tls: { mode: 'DISABLE' } } });
    }
    validateWithIstioRules(this, () => [this.service, ...this.endpoints, ...(this.destinationRule ? [this.destinationRule] : [])], {
      extra: () => this.checkProps(),
      // A port refused here is one cause: IST0150 about the same port is left out. A port named `tcp` on an
      // ExternalName Service is Istio's warning only (IST0150), printed at synth as lint prints it.
      covered: object => (object === this.service ? this.refusedPorts().map(i => `spec.ports[${i}]`) : []),
    });
  }

  private createEndpoints(destination: ServiceDestination): ApiObject[] {
    const addresses = Array.isArray(destination.ipAddresses) ? destination.ipAddresses.filter(a => typeof a === 'string') : [];
    const ports = this.ports.filter(p => p instanceof EgressPort);
    const namespace = this.props.metadata?.namespace;
    if (destination.endpointsKind === EndpointsKind.ENDPOINTS) {
      return [new LibraryApiObject(this, 'Endpoints', {
        apiVersion: 'v1',
        kind: 'Endpoints',
        metadata: { name: this.name, namespace },
        subsets: [{
          addresses: addresses.map(ip => ({ ip })),
          ports: ports.map(p => ({ port: p.targetPort ?? p.number, name: p.name })),
        }],
      })];
    }
    const families = [
      { type: 'IPv4', addresses: addresses.filter(a => !a.includes(':')) },
      { type: 'IPv6', addresses: addresses.filter(a => a.includes(':')) },
    ].filter(f => f.addresses.length > 0);
    return families.map(f => new LibraryApiObject(this, `EndpointSlice${f.type}`, {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        name: families.length > 1 ? `${this.name}-${f.type.toLowerCase()}` : this.name,
        namespace,
        labels: { [SERVICE_NAME_LABEL]: this.name, [MANAGED_BY_LABEL]: MANAGED_BY },
      },
      addressType: f.type,
      endpoints: f.addresses.map(address => ({ addresses: [address], conditions: { ready: true } })),
      ports: ports.map(p => ({ name: p.name, protocol: 'TCP', port: p.targetPort ?? p.number })),
    }));
  }

  /**
   * Props the objects cannot express, or that Istio would read otherwise than they say; values
   * outside the enums and classes (other jsii languages and plain JavaScript bypass TypeScript's types).
   */
  private checkProps(): string[] {
    const problems: string[] = [];
    const destination = this.props.destination;
    if (!(destination instanceof ServiceDestination)) {
      return [`destination = ${JSON.stringify(destination)}: not a ServiceDestination, so the library cannot write it. `
        + 'Fix: use ServiceDestination.externalName(host) or ServiceDestination.addresses([...]).'];
    }
    const alias = destination.externalHostName !== undefined;
    if (!DNS_1035_LABEL.test(this.name) || this.name.length > 63) {
      problems.push(`metadata.name = ${JSON.stringify(this.name)}${this.props.metadata?.name === undefined ? ' (derived from the '
        + `${alias ? 'external host name' : 'construct id'})` : ''}: the API server requires a Service name to be a DNS-1035 label `
        + '(lower-case letters, digits and "-", starting with a letter, at most 63). Fix: give metadata.name, e.g. "my-api".');
    }
    if (alias) {
      problems.push(...this.checkExternalName(destination.externalHostName));
    } else {
      problems.push(...this.checkAddresses(destination));
    }
    const disable = this.props.disableIstioMutualTls;
    if (disable !== undefined && typeof disable !== 'boolean') {
      problems.push(`disableIstioMutualTls = ${JSON.stringify(disable)}: not a boolean. Fix: use true or false.`);
    }
    if (!Array.isArray(this.props.ports) || this.props.ports.length === 0) {
      problems.push('ports: the Service has no port, and the API server refuses a Service without ports. '
        + 'Fix: give the ports clients use, e.g. [EgressPort.https()].');
      return problems;
    }
    const names = new Set<string>();
    const numbers = new Set<number>();
    this.props.ports.forEach((port, i) => {
      if (!(port instanceof EgressPort)) {
        problems.push(`ports[${i}] = ${JSON.stringify(port)}: not an EgressPort. Fix: use EgressPort.http(), EgressPort.https(), EgressPort.of({...}).`);
        return;
      }
      const protocolProblem = enumProblem(`ports[${i}].protocol`, port.protocol, 'EgressProtocol', EgressProtocol);
      if (protocolProblem) {
        problems.push(protocolProblem);
        return;
      }
      problems.push(...this.checkPort(port, i, alias));
      if (names.has(port.name)) {
        problems.push(`ports[${i}].name = "${port.name}": two ports of the Service have this name, and the API server refuses duplicate port names. `
          + 'Fix: give each port its own name.');
      }
      if (numbers.has(port.number)) {
        problems.push(`ports[${i}].number = ${port.number}: two ports of the Service have this number, and the API server refuses duplicate ports. `
          + 'Fix: declare each port once.');
      }
      names.add(port.name);
      numbers.add(port.number);
    });
    return problems;
  }

  private checkExternalName(host: unknown): string[] {
    if (typeof host !== 'string' || host === '') {
      return [`destination: ServiceDestination.externalName(${JSON.stringify(host)}): an ExternalName Service needs a host name. `
        + 'Fix: give the external host, e.g. ServiceDestination.externalName(\'api.example.com\').'];
    }
    if (isIpAddress(host)) {
      return [`destination: ServiceDestination.externalName('${host}'): an IP address, which the cluster DNS answers as a CNAME to a host `
        + `named "${host}" (no such host resolves). Fix: use ServiceDestination.addresses(['${host}']) for an IP-addressed destination.`];
    }
    const name = host.endsWith('.') ? host.slice(0, -1) : host;
    if (!isKubernetesSubdomainName(name)) {
      return [`destination: ServiceDestination.externalName('${host}'): not a DNS name the API server accepts as externalName `
        + '(lower-case labels of letters, digits and "-"; no wildcard). Fix: give one concrete host name, e.g. \'api.example.com\'.'];
    }
    return [];
  }

  private checkAddresses(destination: ServiceDestination): string[] {
    const kindProblem = enumProblem('destination.endpointsKind', destination.endpointsKind, 'EndpointsKind', EndpointsKind);
    if (kindProblem) {
      return [kindProblem];
    }
    const addresses = destination.ipAddresses;
    if (!Array.isArray(addresses) || addresses.length === 0) {
      return ['destination: ServiceDestination.addresses([]): a Service without selector and without addresses has no endpoint, '
        + 'so its clients\' connections fail. Fix: give the destination\'s IP addresses, or ServiceDestination.externalName(host) for a host name.'];
    }
    const problems: string[] = [];
    addresses.forEach((address, i) => {
      if (typeof address !== 'string' || !isIpAddress(address)) {
        problems.push(`destination: addresses[${i}] = ${JSON.stringify(address)}: not an IP address; endpoints of a Service are IP addresses. `
          + `Fix: give the destination's IP address${typeof address === 'string' ? `, or use ServiceDestination.externalName('${address}') for a host name` : ''}.`);
      }
    });
    return problems;
  }

  /** The indexes of the ports that checkProps refuses. */
  private refusedPorts(): number[] {
    const alias = this.props.destination instanceof ServiceDestination && this.props.destination.externalHostName !== undefined;
    return this.ports.flatMap((port, i) => (!(port instanceof EgressPort)
      || enumProblem('', port.protocol, '', EgressProtocol) !== undefined || this.checkPort(port, i, alias).length > 0 ? [i] : []));
  }

  private checkPort(port: EgressPort, i: number, alias: boolean): string[] {
    const problems: string[] = [];
    const suggestion = `"${String(port.protocol).toLowerCase()}" or "${String(port.protocol).toLowerCase()}-<suffix>"`;
    if (typeof port.name !== 'string' || !isDns1123Label(port.name)) {
      problems.push(`ports[${i}].name = ${JSON.stringify(port.name)}: not a DNS label (lower-case letters, digits and "-", at most 63), `
        + `which the API server requires of a Service port name. Fix: name it ${suggestion}.`);
      return problems;
    }
    const read = istioPortProtocol(port.number, port.name);
    if (read !== parseProtocol(port.protocol)) {
      problems.push(`ports[${i}].name = "${port.name}": Istio reads a Service port's protocol from its name (the part before the first "-"), `
        + `and reads this one as ${read ?? 'no protocol it knows (it sniffs the traffic)'}, not ${port.protocol}. `
        + `Fix: name it ${suggestion}, or leave the name out (the default "${String(port.protocol).toLowerCase()}-${port.number}").`);
    }
    if (alias && port.targetPort !== undefined) {
      problems.push(`ports[${i}].targetPort = ${port.targetPort}: an ExternalName Service is a DNS alias, so clients connect to the external host `
        + `on the port they use (${port.number}); a target port is never applied. Fix: leave targetPort out, or use ServiceDestination.addresses(...).`);
    }
    return problems;
  }
}
