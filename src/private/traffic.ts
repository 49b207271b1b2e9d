import { Duration } from 'cdk8s';

/** HTTP settings of a host's sidecar hop, rendered into VirtualService http routes. */
export interface MeshRouting {
  readonly timeout?: string;
  readonly retries?: Record<string, unknown>;
}

/** A duration as Istio writes it: whole seconds as `5s`, anything finer in milliseconds. */
export function istioDuration(duration: Duration | undefined): string | undefined {
  if (duration === undefined) {
    return undefined;
  }
  const ms = duration.toMilliseconds({ integral: false });
  return Number.isInteger(ms) && ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
