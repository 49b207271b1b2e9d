/**
 * Istio's validateConnectionPool, which DestinationRules (traffic policies) and Sidecars (inbound
 * and ingress listener pools) share: at least one of http and tcp, no negative limits, upgrade and
 * client protocol not together, durations of whole milliseconds.
 */
import { DurationCheck, durationProblem, parseGoDuration } from './durations';
import { FindingCollector, isRecord } from './finding';

/** The rule ids a kind reports the pool's checks under. */
export interface PoolRuleIds {
  readonly empty: string;
  readonly limit: string;
  readonly upgrade: string;
  readonly duration: string;
}

const LIMITS: Array<[string, string, string]> = [
  ['http', 'http1MaxPendingRequests', 'http1 max pending requests must be non-negative'],
  ['http', 'http2MaxRequests', 'http2 max requests must be non-negative'],
  ['http', 'maxRequestsPerConnection', 'max requests per connection must be non-negative'],
  ['http', 'maxRetries', 'max retries must be non-negative'],
  ['http', 'maxConcurrentStreams', 'max concurrent streams must be non-negative'],
  ['tcp', 'maxConnections', 'max connections must be non-negative'],
];

const DURATIONS: string[][] = [
  ['http', 'idleTimeout'], ['tcp', 'connectTimeout'], ['tcp', 'maxConnectionDuration'], ['tcp', 'idleTimeout'],
  ['tcp', 'tcpKeepalive', 'time'], ['tcp', 'tcpKeepalive', 'interval'],
];

const set = (value: unknown): boolean => value !== undefined && value !== null;

/**
 * @param celRule whether the kind's CRD also checks the durations with its CEL rule (its message then comes first)
 */
export function checkConnectionPool(out: FindingCollector, pool: unknown, field: string, ids: PoolRuleIds, celRule: boolean): void {
  if (!set(pool)) {
    return;
  }
  const settings = isRecord(pool) ? pool : {};
  if (!set(settings.http) && !set(settings.tcp)) {
    out.error(ids.empty, field, pool, 'connection pool must have at least one field', 'set connectionPool.tcp or connectionPool.http, or remove it');
    return;
  }
  for (const [group, key, message] of LIMITS) {
    const value = isRecord(settings[group]) ? settings[group][key] : undefined;
    if (typeof value === 'number' && value < 0) {
      out.error(ids.limit, `${field}.${group}.${key}`, value, message, 'use 0 or a positive number (0 means the default)');
    }
  }
  const http = isRecord(settings.http) ? settings.http : {};
  if (http.h2UpgradePolicy === 'UPGRADE' && http.useClientProtocol === true) {
    out.error(ids.upgrade, `${field}.http.useClientProtocol`, true, 'use client protocol must not be true when H2UpgradePolicy is UPGRADE',
      'either upgrade to HTTP/2 (h2UpgradePolicy: UPGRADE) or keep the client\'s protocol (useClientProtocol: true), not both');
  }
  for (const path of DURATIONS) {
    const value = path.reduce<any>((node, key) => (isRecord(node) ? node[key] : undefined), settings);
    if (!set(value)) {
      continue;
    }
    // `0s` turns the TCP idle timeout off: it has no CEL rule, and Istio skips anything under a millisecond.
    const idle = path.join('.') === 'tcp.idleTimeout';
    const check: DurationCheck = { celRule: celRule && !idle };
    const nanos = parseGoDuration(value);
    const bad = idle && nanos !== undefined && Math.trunc(nanos / 1e6) === 0 ? undefined : durationProblem(value, check);
    if (bad) {
      out.error(ids.duration, `${field}.${path.join('.')}`, value, bad, 'use a whole number of milliseconds, at least 1ms, e.g. 5s or 250ms');
    }
  }
}
