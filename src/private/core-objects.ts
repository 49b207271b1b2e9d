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
  readonly protocol: string;
  readonly port?: number;
  readonly endPort?: number;
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

/**
 * A Role and RoleBinding that let `serviceAccount` list the Secrets of `namespace`. istiod gives a
 * proxy a Secret that a DestinationRule names by credentialName only when the Secret is in the
 * proxy's namespace and the proxy's service account may list Secrets there (pilot/pkg/xds/sds.go
 * filterAuthorizedResources, credentials/kube Authorize: a SubjectAccessReview for `list secrets`).
 * Istio's Helm chart gives the gateways it installs that Role; the gateways Istio deploys from a
 * Gateway API Gateway (and waypoints) get none.
 */
export function createSecretListAccess(scope: Construct, serviceAccount: string, namespace: string): ApiObject[] {
  const name = `${serviceAccount}-list-secrets`;
  const metadata = { name, namespace: namespace || undefined };
  return [
    new ApiObject(scope, 'SecretListRole', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata,
      rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }],
    }),
    new ApiObject(scope, 'SecretListRoleBinding', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ kind: 'ServiceAccount', name: serviceAccount, namespace: namespace || undefined }],
    }),
  ];
}
