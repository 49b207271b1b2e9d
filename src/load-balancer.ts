/** How proxies balance connections across a destination's endpoints (a DestinationRule's `loadBalancer.simple`). */
export enum LoadBalancerPolicy {
  /** Each endpoint in turn, as Istio's egress gateway tasks write it. */
  ROUND_ROBIN = 'ROUND_ROBIN',
  /** The endpoint with the fewest active requests (Istio's default). */
  LEAST_REQUEST = 'LEAST_REQUEST',
  /** A random endpoint. */
  RANDOM = 'RANDOM',
}
