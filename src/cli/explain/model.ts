/** What explain reports: per external host and port, the path its traffic takes. This is the JSON output. */
import type { Clients as PathClients, SidecarImport as PathSidecarImport } from '../../analysis/paths';

export interface ExplainReport {
  readonly hosts: HostPath[];
  /** The kinds of the input the analysis read, with what they do for egress (from the registry of kinds), in registry order. */
  readonly kinds: KindSummary[];
}

/** How many objects of a kind the input has, and what the kind does for egress. */
export interface KindSummary {
  readonly apiGroup: string;
  readonly kind: string;
  readonly count: number;
  readonly role: string;
}

/** Where an object was read: its kind, `namespace/name` and its place in the input. */
export interface ObjectLocation {
  readonly kind: string;
  readonly ref: string;
  readonly file: string;
  readonly line: number;
}

export interface HostPath {
  readonly host: string;
  /**
   * What makes it a host: its ServiceEntry (MESH_EXTERNAL); for a Kubernetes Service host that mesh
   * routes send to an egress gateway, the Service, or the VirtualService when the Service is not given.
   */
  readonly definedBy: ObjectLocation;
  readonly resolution: string | null;
  readonly clients: Clients;
  readonly ports: PortPath[];
}

/** The namespaces whose workloads can use the host, each Sidecar named `namespace/name`. */
export type Clients = PathClients<string>;
export type SidecarImport = PathSidecarImport<string>;

export interface PortPath {
  readonly port: number;
  readonly protocol: string;
  readonly name: string | null;
  readonly targetPort: number | null;
  readonly sidecar: SidecarHop;
  /** The egress gateway the sidecar sends to (its Service and pods); null when the traffic goes direct. */
  readonly gatewayService: GatewayService | null;
  /** The gateway server the sidecar's traffic arrives at; null when the traffic goes direct or no server matches. */
  readonly gateway: GatewayServer | null;
  /** From the gateway to the external host; null without a gateway or without a route there. */
  readonly gatewayHop: GatewayHop | null;
  /** Ambient: the waypoint the host is bound to and what it does with the traffic; null for sidecar paths. */
  readonly waypoint: WaypointHop | null;
  /** Who the gateway (or the waypoint) lets through; null without one. */
  readonly allowed: Allowed | null;
  /** What the rules (lint's, and synth's) find about the objects on this path, as far as they concern it. */
  readonly problems: Problem[];
}

/** The TLS a DestinationRule opens on a port, and which rule says so. */
export interface TlsSetting {
  readonly mode: string;
  readonly destinationRule: string;
}

export interface SidecarHop {
  /**
   * `gateway`: a mesh route sends the traffic to an egress gateway Service; `direct`: the sidecar sends it out;
   * `waypoint` (ambient): the client's ztunnel sends it over HBONE (port 15008) to the host's waypoint.
   */
  readonly via: 'gateway' | 'direct' | 'waypoint';
  /**
   * The mesh-bound route that applies, as `namespace/name`, or null when none does: a VirtualService,
   * or a Gateway API route parented to the host's ServiceEntry (`routeKind` says which).
   */
  readonly virtualService: string | null;
  /** `VirtualService`, `HTTPRoute` or `TLSRoute`; null without a route. */
  readonly routeKind: string | null;
  /** The route's place in its object: `http[0]` (a block and index) in a VirtualService, `rules[0]` in a Gateway API route. */
  readonly route: string | null;
  /** Where the sidecar sends the traffic (the gateway Service, or the external host). */
  readonly destination: string;
  readonly destinationPort: number;
  readonly subset: string | null;
  /** TLS from the sidecar: ISTIO_MUTUAL to the gateway, SIMPLE/MUTUAL origination, or `plain`. */
  readonly tls: string;
  readonly tlsFrom: string | null;
  /** The SNI the DestinationRule sets with the TLS, if any. */
  readonly sni: string | null;
  /** What the hop carries: `istio-mutual`, `tls` (the application's own, or originated), `plain` or `opaque`. */
  readonly traffic: string;
}

/** The egress gateway a mesh route leads to. */
export interface GatewayService {
  readonly service: string;
  /** Where the gateway pods run. */
  readonly namespace: string;
  /** Their labels as far as known. */
  readonly pods: Record<string, string>;
  /**
   * `workload`, `service` (the Service's selector), `convention` (istioctl's and the istio/gateway chart's labels),
   * `gateway` (a Gateway beside the Service) or `gateway-api` (the label Istio gives a Gateway API gateway's pods).
   */
  readonly podsFrom: string;
  /** The Gateways that configure those pods, from any namespace. */
  readonly gateways: string[];
}

export interface GatewayServer {
  readonly gateway: string;
  readonly selector: Record<string, string>;
  readonly server: string;
  readonly port: number;
  readonly protocol: string;
  /** The server's TLS mode (PASSTHROUGH, ISTIO_MUTUAL, SIMPLE, MUTUAL) or `none`. */
  readonly tls: string;
  readonly hosts: string[];
}

export interface WaypointHop {
  /** The waypoint Gateway, as `namespace/name`. */
  readonly waypoint: string;
  /** What binds the host to it: `ServiceEntry namespace/name` or `Namespace name` (its istio.io/use-waypoint label). */
  readonly boundBy: string;
  /** The route parented to the ServiceEntry that the waypoint applies, as `namespace/name`; null when none does. */
  readonly virtualService: string | null;
  readonly routeKind: string | null;
  readonly route: string | null;
  readonly destination: string;
  readonly destinationPort: number;
  /** TLS origination at the waypoint, from a DestinationRule; null: the traffic leaves as it came. */
  readonly tlsOrigination: TlsSetting | null;
}

export interface GatewayHop {
  /** The route bound to the gateway, as `namespace/name`: a VirtualService, or a Gateway API route parented to the Gateway. */
  readonly virtualService: string;
  /** `VirtualService`, `HTTPRoute` or `TLSRoute`. */
  readonly routeKind: string;
  /** `http[0]` in a VirtualService, `rules[0]` in a Gateway API route. */
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

/** A finding of the rules about an object on the path. */
export interface Problem {
  readonly severity: 'error' | 'warning';
  readonly code: string;
  readonly rule: string;
  /** `Kind namespace/name` */
  readonly object: string;
  readonly file: string;
  /** Where the field is written (or its nearest written parent, or the object). */
  readonly line: number;
  readonly column: number;
  readonly field: string;
  readonly message: string;
  readonly fix: string;
}
