/**
 * Gateway API objects (gateway.networking.k8s.io) as the constructs write them.
 */
import { ApiObject, ApiObjectMetadata, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { IstioApi, IstioApiVersion, IstioRelease } from '../../api-version';
import type { EgressPort } from '../../egress-port';
import { LibraryApiObject } from '../../synth/library-object';
import type { TlsOrigination } from '../../tls-origination';

export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';
/** The GatewayClass of Istio's gateway controller. */
export const ISTIO_GATEWAY_CLASS = 'istio';
/** The label Istio puts on the pods it deploys for a Gateway (kube-gateway.yaml of the istio-discovery chart). */
export const ISTIO_GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';

/** The label Kubernetes puts on every Namespace, with its name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export type GatewayApiKind = 'Gateway' | 'HTTPRoute' | 'TLSRoute' | 'ReferenceGrant' | 'BackendTLSPolicy';

/** What a route asks of a Gateway API egress gateway: one listener. */
export interface GatewayApiListenerRequest {
  readonly port: number;
  /** `HTTP`, `HTTPS` (terminating the mesh's mutual TLS) or `TLS` (passthrough). */
  readonly protocol: 'HTTP' | 'HTTPS' | 'TLS';
  readonly hostname: string;
  /** The kind of the routes that attach to it. */
  readonly routeKind: 'HTTPRoute' | 'TLSRoute';
  /** The namespace of the routes that attach to it. */
  readonly routeNamespace: string;
}

/**
 * The version the constructs write per kind for the targeted Istio release. TLSRoute is v1 from
 * Gateway API v1.5 on, which Istio reads from 1.30 on without a feature flag; before, Istio reads
 * v1alpha2, behind PILOT_ENABLE_ALPHA_GATEWAY_API. ReferenceGrant: v1beta1 is served by every
 * Gateway API release Istio supports.
 */
export function gatewayApiVersion(kind: GatewayApiKind, release: IstioRelease): string {
  const version = kind === 'ReferenceGrant' ? 'v1beta1' : kind === 'TLSRoute' && !release.isAtLeast(1, 30) ? 'v1alpha2' : 'v1';
  return `${GATEWAY_API_GROUP}/${version}`;
}

/** Why the scope's target cannot run the Gateway API rendering (the Istio API version, the release), or undefined. */
export function gatewayApiTargetProblem(scope: Construct): string | undefined {
  const version = IstioApi.versionOf(scope);
  if (version !== IstioApiVersion.V1) {
    return `IstioApi.useVersion: ${version} targets a mesh before Istio 1.22, which cannot run the Gateway API rendering `
      + '(routes parented to ServiceEntries). Fix: use an installed gateway (EgressGateway.istioDefault(), fromHelmRelease(), fromAttributes()) there.';
  }
  const release = IstioApi.releaseOf(scope);
  if (!release.isAtLeast(1, 22)) {
    return `IstioApi.useRelease: ${release} cannot run the Gateway API rendering (routes parented to ServiceEntries need Istio 1.21, `
      + 'the v1 Istio API 1.22). Fix: use an installed gateway (EgressGateway.istioDefault(), fromHelmRelease(), fromAttributes()).';
  }
  return undefined;
}

/** Creates a Gateway API object in the version for the scope's target release; `spec` may be a cdk8s Lazy. */
export function createGatewayApiObject(scope: Construct, id: string, kind: GatewayApiKind, metadata: ApiObjectMetadata, spec: unknown): ApiObject {
  return new LibraryApiObject(scope, id, { apiVersion: gatewayApiVersion(kind, IstioApi.releaseOf(scope)), kind, metadata, spec });
}

/**
 * The BackendTLSPolicy that originates TLS on `ports` of the ServiceEntry `serviceEntry` (host `host`),
 * in the ServiceEntry's namespace (targetRefs are local to the policy). Istio makes a DestinationRule
 * from it per host of the ServiceEntry, with port-level TLS for each `sectionName`
 * (pilot/pkg/config/kube/gateway/backend_policies.go).
 */
export function createBackendTlsPolicy(
  scope: Construct, id: string, name: string, namespace: string | undefined, serviceEntry: string, host: string,
  ports: () => EgressPort[], origination: TlsOrigination,
): ApiObject {
  return createGatewayApiObject(scope, id, 'BackendTLSPolicy', { name, namespace },
    Lazy.any({ produce: () => origination._renderBackendTlsPolicy(serviceEntry, host, ports().map(p => p.name)) }));
}
