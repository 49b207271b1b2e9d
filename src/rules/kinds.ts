/**
 * The registry of object kinds: every group/version/kind the library reads or writes is declared
 * here once, with its per-object rules, the fields its schema allows and what it does for egress.
 * The rules (`checkObject`), the analysis model, the constructs' L1 factories, `lint` and `explain`
 * all look kinds up here, so a new kind is one entry.
 */
import { Finding, Manifest } from './finding';
import type { FieldNode } from '../imports/istio-fields';

export interface KindDefinition {
  /** The API group; `''` for the Kubernetes core group (`apiVersion: v1`). */
  readonly group: string;
  readonly kind: string;
  /** The versions the API server serves (Istio 1.30.3's CRDs, Kubernetes 1.33), newest first. */
  readonly versions: readonly string[];
  /** The version the constructs write for meshes before Istio 1.22 (`IstioApiVersion.V1BETA1`); Istio kinds only. */
  readonly legacyVersion?: string;
  /** The validating webhook's rules for one object of the kind; kinds without any are only read by the analysis. */
  readonly check?: (manifest: Manifest) => Finding[];
  /** The fields the kind's spec allows (generated from the CRD); unknown fields are findings. */
  readonly specFields?: FieldNode;
  /** What objects of the kind do for egress, in a few words (explain shows it). */
  readonly role: string;
}

type Check = (manifest: Manifest) => Finding[];

/**
 * A kind's rules, loaded at their first use: the constructs read this registry when the library is
 * required, and an app's start-up should not pay for loading every rule (they run at synth).
 */
function loadedWhenUsed(load: () => Check): Check {
  const check = once(load);
  return manifest => check()(manifest);
}

/** `load()` at the first call, its result kept for every later one (every object's check asks). */
function once<T extends object>(load: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= load());
}

/* eslint-disable @typescript-eslint/no-require-imports */
const rules = {
  serviceEntry: loadedWhenUsed(() => (require('./service-entry') as typeof import('./service-entry')).checkServiceEntry),
  gateway: loadedWhenUsed(() => (require('./gateway') as typeof import('./gateway')).checkGateway),
  virtualService: loadedWhenUsed(() => (require('./virtual-service') as typeof import('./virtual-service')).checkVirtualService),
  destinationRule: loadedWhenUsed(() => (require('./destination-rule') as typeof import('./destination-rule')).checkDestinationRule),
  sidecar: loadedWhenUsed(() => (require('./sidecar') as typeof import('./sidecar')).checkSidecar),
  authorizationPolicy: loadedWhenUsed(() => (require('./authorization-policy') as typeof import('./authorization-policy')).checkAuthorizationPolicy),
  telemetry: loadedWhenUsed(() => (require('./telemetry') as typeof import('./telemetry')).checkTelemetry),
  k8sGateway: loadedWhenUsed(() => (require('./gateway-api/gateway') as typeof import('./gateway-api/gateway')).checkK8sGateway),
  route: loadedWhenUsed(() => (require('./gateway-api/routes') as typeof import('./gateway-api/routes')).checkRoute),
  nothingMore: loadedWhenUsed(() => (require('./gateway-api/routes') as typeof import('./gateway-api/routes')).checkNothingMore),
  backendTlsPolicy: loadedWhenUsed(() => (require('./gateway-api/backend-tls-policy') as typeof import('./gateway-api/backend-tls-policy'))
    .checkBackendTlsPolicy),
};
/** The fields each kind's schema allows (generated from the CRDs), loaded at the first check like the rules. */
const istioFields = once(() => (require('../imports/istio-fields') as typeof import('../imports/istio-fields')).ISTIO_SPEC_FIELDS);
const gatewayApiFields = once(() => (require('../imports/gateway-api-fields') as typeof import('../imports/gateway-api-fields')).GATEWAY_API_SPEC_FIELDS);
/* eslint-enable @typescript-eslint/no-require-imports */

const istio = (group: string, kind: string, check: KindDefinition['check'], role: string, versions = ['v1', 'v1beta1', 'v1alpha3'],
  legacyVersion = 'v1beta1'): KindDefinition =>
  ({ group, kind, versions, legacyVersion, check, get specFields() { return istioFields()[kind]; }, role });

const kubernetes = (group: string, kind: string, role: string): KindDefinition => ({ group, kind, versions: ['v1'], role });

/** A Gateway API kind; the versions are those the v1.6.1 experimental CRDs serve, the standard ones first. */
const gatewayApi = (kind: string, versions: string[], role: string, check: KindDefinition['check'] = rules.nothingMore): KindDefinition =>
  ({ group: 'gateway.networking.k8s.io', kind, versions, check, get specFields() { return gatewayApiFields()[kind]; }, role });

/** Every kind the library knows, by a stable key. */
export const KINDS = {
  serviceEntry: istio('networking.istio.io', 'ServiceEntry', rules.serviceEntry, 'adds external hosts to the mesh registry'),
  gateway: istio('networking.istio.io', 'Gateway', rules.gateway, 'configures the listeners of gateway proxies'),
  virtualService: istio('networking.istio.io', 'VirtualService', rules.virtualService, 'routes a host\'s traffic'),
  destinationRule: istio('networking.istio.io', 'DestinationRule', rules.destinationRule, 'sets subsets and TLS towards a host'),
  sidecar: istio('networking.istio.io', 'Sidecar', rules.sidecar, 'limits what workloads see and may reach'),
  authorizationPolicy: istio('security.istio.io', 'AuthorizationPolicy', rules.authorizationPolicy, 'allows or denies requests at a proxy',
    ['v1', 'v1beta1']),
  // Telemetry had no v1beta1: meshes before Istio 1.22 serve v1alpha1.
  telemetry: istio('telemetry.istio.io', 'Telemetry', rules.telemetry, 'turns on access logs', ['v1', 'v1alpha1'], 'v1alpha1'),
  // The Gateway API (v1.6.1 CRDs): Istio's egress through a Gateway API Gateway, and ambient waypoints.
  k8sGateway: gatewayApi('Gateway', ['v1', 'v1beta1'], 'deploys and configures a gateway proxy (an egress gateway, or a waypoint)',
    rules.k8sGateway),
  httpRoute: gatewayApi('HTTPRoute', ['v1', 'v1beta1'], 'routes HTTP from its parents (a ServiceEntry for the mesh, a Gateway) to backends', rules.route),
  tlsRoute: gatewayApi('TLSRoute', ['v1', 'v1alpha3', 'v1alpha2'], 'routes TLS by SNI from its parents to backends', rules.route),
  tcpRoute: gatewayApi('TCPRoute', ['v1', 'v1alpha2'], 'routes TCP from its parents to backends', rules.route),
  grpcRoute: gatewayApi('GRPCRoute', ['v1'], 'routes gRPC from its parents to backends', rules.route),
  referenceGrant: gatewayApi('ReferenceGrant', ['v1beta1', 'v1'], 'lets routes of other namespaces refer to objects of its namespace'),
  backendTlsPolicy: gatewayApi('BackendTLSPolicy', ['v1', 'v1alpha3'], 'originates TLS to a backend', rules.backendTlsPolicy),
  namespace: kubernetes('', 'Namespace', 'holds workloads; its labels enrol them in the mesh'),
  service: kubernetes('', 'Service', 'gives workloads a host name in the mesh'),
  endpoints: kubernetes('', 'Endpoints', 'lists the addresses behind a Service without selector'),
  endpointSlice: kubernetes('discovery.k8s.io', 'EndpointSlice', 'lists the addresses behind a Service (a Service without selector: its external addresses)'),
  secret: kubernetes('', 'Secret', 'holds certificates for TLS'),
  pod: kubernetes('', 'Pod', 'runs workloads'),
  deployment: kubernetes('apps', 'Deployment', 'runs workloads'),
  statefulSet: kubernetes('apps', 'StatefulSet', 'runs workloads'),
  daemonSet: kubernetes('apps', 'DaemonSet', 'runs workloads'),
  networkPolicy: kubernetes('networking.k8s.io', 'NetworkPolicy', 'limits the pods\' network traffic'),
} as const;

export type KindKey = keyof typeof KINDS;

/** kind -> group -> registry key: a look-up per object without building a `group/kind` string (every rule asks). */
const byKindGroup = new Map<string, Map<string, KindKey>>();
for (const [key, k] of Object.entries(KINDS)) {
  const groups = byKindGroup.get(k.kind) ?? new Map<string, KindKey>();
  groups.set(k.group, key as KindKey);
  byKindGroup.set(k.kind, groups);
}

/** `apiVersion` split into group and version (`v1` is the core group). */
export function parseApiVersion(apiVersion: unknown): { group: string; version: string } | undefined {
  if (typeof apiVersion !== 'string' || apiVersion.length === 0) {
    return undefined;
  }
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** The registry key of an object's kind (any version of its group), or undefined for kinds the library does not read. */
export function kindKeyOf(manifest: Manifest): KindKey | undefined {
  // Asked many times per object by the rules: no helper calls, and no new string per call.
  if (typeof manifest !== 'object' || manifest === null || typeof manifest.kind !== 'string') {
    return undefined;
  }
  const groups = byKindGroup.get(manifest.kind);
  const apiVersion = manifest.apiVersion;
  if (!groups || typeof apiVersion !== 'string' || apiVersion.length === 0) {
    return undefined;
  }
  let group = groupOfApiVersion.get(apiVersion);
  if (group === undefined) {
    const slash = apiVersion.lastIndexOf('/');
    group = slash < 0 ? '' : apiVersion.slice(0, slash);
    // Bounded: lint reads any YAML, and a file may hold many made-up apiVersions.
    if (groupOfApiVersion.size < 256) {
      groupOfApiVersion.set(apiVersion, group);
    }
  }
  return groups.get(group);
}

/** The group of each apiVersion seen, so that the group is not cut out of it again for every question. */
const groupOfApiVersion = new Map<string, string>();

/** Whether `manifest` is of the registered kind `key`. */
export function isKind(manifest: Manifest, key: KindKey): boolean {
  return kindKeyOf(manifest) === key;
}

/** `group/version` for a kind and version. */
export function apiVersionOf(kind: KindDefinition, version: string): string {
  return kind.group === '' ? version : `${kind.group}/${version}`;
}
