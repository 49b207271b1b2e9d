/**
 * Core Kubernetes objects (Namespace, NetworkPolicy). They are emitted with their stable v1 API
 * versions and written as the JSON the API expects, so users are not tied to the Kubernetes minor
 * version of a generated binding; the tests validate them against the Kubernetes OpenAPI schema.
 */
import { ApiObject, ApiObjectMetadata, Chart, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';

export interface LabelSelector {
  readonly matchLabels?: Record<string, string>;
}

export interface NetworkPolicyPeer {
  readonly namespaceSelector?: LabelSelector;
  readonly podSelector?: LabelSelector;
  readonly ipBlock?: { readonly cidr: string; readonly except?: string[] };
}

export interface NetworkPolicyPort {
  readonly protocol: 'TCP' | 'UDP' | 'SCTP';
  readonly port?: number;
}

export interface NetworkPolicyEgressRule {
  readonly to?: NetworkPolicyPeer[];
  readonly ports?: NetworkPolicyPort[];
}

export interface NetworkPolicySpec {
  readonly podSelector: LabelSelector;
  readonly policyTypes: Array<'Ingress' | 'Egress'>;
  readonly egress?: NetworkPolicyEgressRule[];
}

/** Kubernetes sets this label on every namespace to its name, so policies can select namespaces by name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export function createNamespace(scope: Construct, id: string, metadata: ApiObjectMetadata): ApiObject {
  const namespace = new ApiObject(scope, id, { apiVersion: 'v1', kind: 'Namespace', metadata });
  // Namespaces are cluster-scoped: drop the namespace a chart would give every object.
  if (metadata.namespace === undefined && Chart.of(scope).namespace) {
    namespace.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  }
  return namespace;
}

export function createNetworkPolicy(scope: Construct, id: string, metadata: ApiObjectMetadata, spec: NetworkPolicySpec | unknown): ApiObject {
  return new ApiObject(scope, id, { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata, spec });
}
