/**
 * Gateway API objects (gateway.networking.k8s.io) as the constructs write them.
 */
import { ApiObject, ApiObjectMetadata } from 'cdk8s';
import { Construct } from 'constructs';
import { IstioApi, IstioApiVersion } from '../../api-version';
import { LibraryApiObject } from '../../synth/library-object';

export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';
/** The GatewayClass of Istio's gateway controller. */
export const ISTIO_GATEWAY_CLASS = 'istio';
/** The label Istio puts on the pods it deploys for a Gateway (kube-gateway.yaml of the istio-discovery chart). */
export const ISTIO_GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';

/** The label Kubernetes puts on every Namespace, with its name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export type GatewayApiKind = 'Gateway' | 'HTTPRoute' | 'TLSRoute' | 'ReferenceGrant';

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
 * The version the constructs write per kind. TLSRoute is v1 from Gateway API v1.5 on, which Istio
 * 1.30 reads without a feature flag; before, Istio read v1alpha2 behind PILOT_ENABLE_ALPHA_GATEWAY_API.
 * ReferenceGrant: v1beta1 is served by every Gateway API release Istio supports.
 */
const VERSIONS: Record<GatewayApiKind, string> = {
  Gateway: 'v1',
  HTTPRoute: 'v1',
  TLSRoute: 'v1',
  ReferenceGrant: 'v1beta1',
};

export function gatewayApiVersion(kind: GatewayApiKind): string {
  return `${GATEWAY_API_GROUP}/${VERSIONS[kind]}`;
}

/**
 * Creates a Gateway API object; `spec` may be a cdk8s Lazy. Meshes on the v1beta1 Istio API (before
 * Istio 1.22) cannot run this rendering (ServiceEntry parents, TLSRoute v1): refused at synth.
 */
export function createGatewayApiObject(scope: Construct, id: string, kind: GatewayApiKind, metadata: ApiObjectMetadata, spec: unknown): ApiObject {
  const object = new LibraryApiObject(scope, id, { apiVersion: gatewayApiVersion(kind), kind, metadata, spec });
  if (IstioApi.versionOf(scope) !== IstioApiVersion.V1) {
    object.node.addValidation({
      validate: () => [`${kind} ${metadata.namespace ?? ''}/${metadata.name}: the Gateway API rendering needs Istio 1.30 or later `
        + `(TLSRoute ${VERSIONS.TLSRoute}, ServiceEntry parents), but IstioApi.useVersion selects ${IstioApi.versionOf(scope)} for an older mesh. `
        + 'Fix: use an installed gateway (EgressGateway.istioDefault(), fromHelmRelease(), fromAttributes()) for meshes before Istio 1.30.'],
    });
  }
  return object;
}
