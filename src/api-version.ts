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
 * An Istio minor release (`1.30`), the target that decides what the constructs may write where the
 * API version alone does not (the Gateway API rendering: TLSRoute v1 from Istio 1.30 on).
 *
 * @example
 * IstioApi.useRelease(app, IstioRelease.of(1, 29));
 */
export class IstioRelease {
  /** The release this library targets by default. */
  public static readonly LATEST = new IstioRelease(1, 30);

  /** Release `major.minor` (Istio 1.x: `major` must be 1). */
  public static of(major: number, minor: number): IstioRelease {
    if (major !== 1 || !Number.isInteger(minor) || minor < 0) {
      throw new Error(`IstioRelease.of(${JSON.stringify(major)}, ${JSON.stringify(minor)}): not an Istio release. `
        + 'Fix: give the major and minor numbers of an Istio 1.x release, e.g. IstioRelease.of(1, 30).');
    }
    return new IstioRelease(major, minor);
  }

  /** Parses `1.30` (or `1.30.3`: the patch is ignored). */
  public static parse(text: string): IstioRelease {
    const match = /^(\d+)\.(\d+)(\.\d+)?$/.exec(String(text));
    if (!match) {
      throw new Error(`${JSON.stringify(text)} is not an Istio release. Fix: write it as major.minor, e.g. "1.30".`);
    }
    return IstioRelease.of(Number(match[1]), Number(match[2]));
  }

  private constructor(
    /** The major number (1). */
    public readonly major: number,
    /** The minor number. */
    public readonly minor: number,
  ) {}

  /** Whether this release is `major.minor` or later. */
  public isAtLeast(major: number, minor: number): boolean {
    return this.major > major || (this.major === major && this.minor >= minor);
  }

  /** `1.30`. */
  public toString(): string {
    return `${this.major}.${this.minor}`;
  }
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
  /** The construct context key that holds the target release. */
  public static readonly RELEASE_CONTEXT_KEY = 'cdk8s-istio-egress:release';

  /**
   * Emits `version` objects below `scope`. Call it before adding children to `scope`
   * (constructs' context is fixed once they have children).
   */
  public static useVersion(scope: IConstruct, version: IstioApiVersion): void {
    scope.node.setContext(IstioApi.CONTEXT_KEY, version);
  }

  /**
   * Targets Istio `release` below `scope` (before adding children to it). It does not change the API
   * version (`useVersion` does); it refuses at synth what the release cannot run.
   */
  public static useRelease(scope: IConstruct, release: IstioRelease): void {
    scope.node.setContext(IstioApi.RELEASE_CONTEXT_KEY, release.toString());
  }

  /** The release targeted at `scope`: the nearest `useRelease`, or `IstioRelease.LATEST`. */
  public static releaseOf(scope: IConstruct): IstioRelease {
    const value = scope.node.tryGetContext(IstioApi.RELEASE_CONTEXT_KEY);
    if (value === undefined) {
      return IstioRelease.LATEST;
    }
    try {
      return IstioRelease.parse(value);
    } catch (e) {
      throw new Error(`[${scope.node.path}] context ${IstioApi.RELEASE_CONTEXT_KEY} = ${JSON.stringify(value)}: ${(e as Error).message}`);
    }
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
