import { IConstruct } from 'constructs';

/**
 * The API version of the Istio objects the constructs emit.
 */
export enum IstioApiVersion {
  /** `networking.istio.io/v1` and `security.istio.io/v1`: Istio 1.22 and later. */
  V1 = 'v1',
  /** `networking.istio.io/v1beta1` and `security.istio.io/v1beta1`: for older meshes such as Istio 1.18. */
  V1BETA1 = 'v1beta1',
}

/**
 * Selects the Istio API version for every construct of this library below a scope (an app or a chart).
 *
 * @example
 * const app = new App();
 * IstioApi.useVersion(app, IstioApiVersion.V1BETA1); // before adding charts
 */
export class IstioApi {
  /** The construct context key that holds the version. */
  public static readonly CONTEXT_KEY = 'cdk8s-istio-egress:apiVersion';

  /**
   * Emits `version` objects below `scope`. Call it before adding children to `scope`
   * (constructs' context is fixed once they have children).
   */
  public static useVersion(scope: IConstruct, version: IstioApiVersion): void {
    scope.node.setContext(IstioApi.CONTEXT_KEY, version);
  }

  /** The version in force at `scope`: the nearest `useVersion`, or v1. */
  public static versionOf(scope: IConstruct): IstioApiVersion {
    const value = scope.node.tryGetContext(IstioApi.CONTEXT_KEY) ?? IstioApiVersion.V1;
    if (!Object.values(IstioApiVersion).includes(value)) {
      throw new Error(`[${scope.node.path}] context ${IstioApi.CONTEXT_KEY} = ${JSON.stringify(value)} is not an Istio API version. `
        + `Fix: use one of ${Object.values(IstioApiVersion).join(', ')}.`);
    }
    return value;
  }

  private constructor() {}
}
