/** What explain reports: per external host and port, the path its traffic takes. This is the JSON output. */

export interface ExplainReport {
  readonly hosts: HostPath[];
}

/** Where an object was read: `namespace/name` and its place in the input. */
export interface ObjectLocation {
  readonly ref: string;
  readonly file: string;
  readonly line: number;
}

export interface HostPath {
  readonly host: string;
  readonly serviceEntry: ObjectLocation;
  readonly resolution: string | null;
  readonly clients: Clients;
  readonly ports: PortPath[];
}

/** The namespaces whose workloads can use the host. */
export interface Clients {
  /** The ServiceEntry's exportTo resolved: `*` (every namespace) or namespace names. */
  readonly exportedTo: string[];
  /** Namespaces locked down (REGISTRY_ONLY Sidecar) that import the host. */
  readonly importedBy: SidecarImport[];
  /** Namespaces locked down (REGISTRY_ONLY Sidecar) that do not import it, and so cannot use it. */
  readonly blockedIn: SidecarImport[];
  /** The result: `*` for every namespace except blockedIn, or the namespaces that can use it. */
  readonly namespaces: string[];
}

export interface SidecarImport {
  readonly namespace: string;
  readonly sidecar: string;
}

export interface PortPath {
  readonly port: number;
  readonly protocol: string;
  readonly name: string | null;
  readonly targetPort: number | null;
  readonly sidecar: SidecarHop;
  /** The gateway server the sidecar sends to; null when the traffic goes direct or no server matches. */
  readonly gateway: GatewayServer | null;
  /** From the gateway to the external host; null without a gateway or without a route there. */
  readonly gatewayHop: GatewayHop | null;
  /** Who the gateway lets through; null without a gateway. */
  readonly allowed: Allowed | null;
  /** What is missing or will not work on this path. */
  readonly problems: string[];
}

/** The TLS a DestinationRule opens on a port, and which rule says so. */
export interface TlsSetting {
  readonly mode: string;
  readonly destinationRule: string;
}

export interface SidecarHop {
  /** `gateway`: a mesh route sends the traffic to an egress gateway Service; `direct`: the sidecar sends it out. */
  readonly via: 'gateway' | 'direct';
  /** The mesh-bound VirtualService route that applies, as `namespace/name`, or null when none does. */
  readonly virtualService: string | null;
  /** The route block (`http`, `tls`, `tcp`) and the route's index in it. */
  readonly route: string | null;
  /** Where the sidecar sends the traffic (the gateway Service, or the external host). */
  readonly destination: string;
  readonly destinationPort: number;
  readonly subset: string | null;
  /** TLS from the sidecar: ISTIO_MUTUAL to the gateway, SIMPLE/MUTUAL origination, or `plain`. */
  readonly tls: string;
  readonly tlsFrom: string | null;
}

export interface GatewayServer {
  readonly gateway: string;
  readonly selector: Record<string, string>;
  readonly port: number;
  readonly protocol: string;
  /** The server's TLS mode (PASSTHROUGH, ISTIO_MUTUAL, SIMPLE, MUTUAL) or `none`. */
  readonly tls: string;
}

export interface GatewayHop {
  readonly virtualService: string;
  readonly route: string;
  readonly destination: string;
  readonly destinationPort: number;
  /** TLS origination at the gateway, from a DestinationRule for the external host; null: the traffic leaves as it came. */
  readonly tlsOrigination: TlsSetting | null;
}

/** The gateway's AuthorizationPolicies as they apply to one host. */
export interface Allowed {
  /** The AuthorizationPolicies that select the gateway's pods. */
  readonly policies: string[];
  /** Those of them with action ALLOW. */
  readonly allowPolicies: string[];
  /** `anyone`: no ALLOW policy applies; `listed`: only the sources below; `nobody`: ALLOW policies exist, none for this host. */
  readonly verdict: 'anyone' | 'listed' | 'nobody';
  /** ALLOW policies without rules: they allow nothing, so whatever no other policy allows is denied. */
  readonly denyByDefault: string[];
  readonly allow: Sources[];
  readonly deny: Sources[];
}

/** The sources of one rule; empty lists with `any` mean every source. */
export interface Sources {
  readonly policy: string;
  readonly any: boolean;
  readonly namespaces: string[];
  readonly principals: string[];
}
