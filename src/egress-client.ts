import { isKubernetesLabelName, isKubernetesSubdomainName } from './rules/names';

/**
 * Workloads that may use an external host: every workload of a namespace, or one service account.
 * Identities are checked at the egress gateway, so they need mutual TLS between sidecar and gateway.
 *
 * @example
 * EgressClient.inNamespace('shop');
 * EgressClient.serviceAccount('shop', 'checkout');
 */
export class EgressClient {
  /** Every workload in `namespace`. */
  public static inNamespace(namespace: string): EgressClient {
    return new EgressClient(namespace, undefined);
  }

  /** The workloads running as service account `name` in `namespace`. */
  public static serviceAccount(namespace: string, name: string): EgressClient {
    return new EgressClient(namespace, name);
  }

  private constructor(
    /** The client namespace. */
    public readonly namespace: string,
    /** The service account, when only one is allowed. */
    public readonly serviceAccountName: string | undefined,
  ) {}

  /** @internal The SPIFFE-style principal Istio gives the service account, or undefined for a whole namespace. */
  public _principal(trustDomain: string): string | undefined {
    return this.serviceAccountName === undefined ? undefined : `${trustDomain}/ns/${this.namespace}/sa/${this.serviceAccountName}`;
  }

  /** @internal What is wrong with the names, one message each. */
  public _problems(): string[] {
    const problems: string[] = [];
    if (!isKubernetesLabelName(this.namespace)) {
      problems.push(`allowedClients: namespace "${this.namespace}" is not a Kubernetes namespace name. `
        + 'Fix: use lower-case letters, digits and dashes, at most 63 characters.');
    }
    if (this.serviceAccountName !== undefined && !isKubernetesSubdomainName(this.serviceAccountName)) {
      problems.push(`allowedClients: service account "${this.serviceAccountName}" is not a Kubernetes object name. `
        + 'Fix: use lower-case letters, digits, dashes and dots, at most 253 characters.');
    }
    return problems;
  }
}
