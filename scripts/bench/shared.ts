/**
 * Types and constants shared by the benchmark's driver and its child processes. No imports of the
 * library here: the L1 and floor processes must not load it.
 */
import { ApiObjectMetadata } from 'cdk8s';

/** The chart of the N-host app, in both the library and the L1 variant. */
export const CHART_ID = 'bench';

/** Objects per routed host: ServiceEntry, Gateway, DestinationRule, VirtualService. */
export const OBJECTS_PER_HOST = 4;

export interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: ApiObjectMetadata;
  readonly spec?: unknown;
  readonly [key: string]: unknown;
}

/** A chart of an app, as written by a library synth: its id names the output file. */
export interface ChartSpec {
  readonly id: string;
  readonly manifests: Manifest[];
}

/** The example app's apps: the main one, and the install overlay written to `<outdir>/istioctl`. */
export interface ExampleSpecs {
  readonly main: ChartSpec[];
  readonly istioctl: ChartSpec[];
}

/** What a worker prints (one JSON line). */
export interface WorkerResult {
  readonly variant: string;
  readonly hosts: number;
  readonly timesMs: number[];
  readonly objects: number;
  /** sha256 of the YAML of the last run: equal hashes mean byte-identical manifests. */
  readonly outputSha256: string;
  readonly peakRssMb: number;
  /** lint only: how many findings lintObjects returned. */
  readonly findings?: number;
}
