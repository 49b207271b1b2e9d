/**
 * validateConnectionPool as DestinationRules and Sidecars share it (src/rules/connection-pool.ts), called directly:
 * every limit and every duration of the pool by its own field.
 */
import { checkConnectionPool, PoolRuleIds } from '../../src/rules/connection-pool';
import { FindingCollector } from '../../src/rules/finding';

const IDS: PoolRuleIds = { empty: 'P1', limit: 'P2', upgrade: 'P3', duration: 'P4' };
const F = 'spec.pool';

function check(pool: unknown, celRule = true) {
  const out = new FindingCollector();
  checkConnectionPool(out, pool, F, IDS, celRule);
  return out.findings.map(f => [f.rule, f.field, f.value, f.message]);
}

describe('limits: no negative numbers', () => {
  test.each([
    ['http', 'http1MaxPendingRequests', 'http1 max pending requests must be non-negative'],
    ['http', 'http2MaxRequests', 'http2 max requests must be non-negative'],
    ['http', 'maxRequestsPerConnection', 'max requests per connection must be non-negative'],
    ['http', 'maxRetries', 'max retries must be non-negative'],
    ['http', 'maxConcurrentStreams', 'max concurrent streams must be non-negative'],
    ['tcp', 'maxConnections', 'max connections must be non-negative'],
  ])('%s.%s', (group, key, message) => {
    expect(check({ [group]: { [key]: 0 } })).toEqual([]);
    expect(check({ [group]: { [key]: -1 } })).toEqual([['P2', `${F}.${group}.${key}`, -1, message]]);
    // The limit under the other group is no such limit.
    expect(check({ [group === 'http' ? 'tcp' : 'http']: { [key]: -1 } })).toEqual([]);
  });

  test('a limit that is no number is the schema\'s to refuse', () => {
    expect(check({ http: { http1MaxPendingRequests: '-1' } })).toEqual([]);
  });
});

describe('durations: whole milliseconds, at least one', () => {
  test.each([
    [['http', 'idleTimeout']], [['tcp', 'connectTimeout']], [['tcp', 'maxConnectionDuration']],
    [['tcp', 'tcpKeepalive', 'time']], [['tcp', 'tcpKeepalive', 'interval']],
  ])('%j', path => {
    const pool = (value: unknown) => path.reduceRight<any>((inner, key) => ({ [key]: inner }), value);
    const field = `${F}.${path.join('.')}`;
    expect(check(pool('5s'))).toEqual([]);
    expect(check(pool(null))).toEqual([]);
    expect(check(pool('1500us'))).toEqual([['P4', field, '1500us', 'only durations to ms precision are supported']]);
    expect(check(pool('500us'))).toEqual([['P4', field, '500us', 'must be a valid duration greater than 1ms']]);
    expect(check(pool('500us'), false)).toEqual([['P4', field, '500us', 'duration must be greater than 1ms']]);
    expect(check(pool('5'))).toEqual([['P4', field, '5', 'time: missing unit in duration "5"']]);
  });

  test('the TCP idle timeout may be 0s (off), and is not held to the CEL rule', () => {
    expect(check({ tcp: { idleTimeout: '0s' } })).toEqual([]);
    expect(check({ tcp: { idleTimeout: '500us' } })).toEqual([]);
    expect(check({ tcp: { idleTimeout: '1500us' } })).toEqual([['P4', `${F}.tcp.idleTimeout`, '1500us', 'only durations to ms precision are supported']]);
    expect(check({ tcp: { idleTimeout: 'soon' } })).toEqual([['P4', `${F}.tcp.idleTimeout`, 'soon', 'time: invalid duration "soon"']]);
  });
});

describe('the pool as a whole', () => {
  test('missing or null: nothing to check; present: http or tcp', () => {
    expect(check(undefined)).toEqual([]);
    expect(check(null)).toEqual([]);
    expect(check({})).toEqual([['P1', F, {}, 'connection pool must have at least one field']]);
    expect(check({ http: null, tcp: null })).toEqual([['P1', F, { http: null, tcp: null }, 'connection pool must have at least one field']]);
    expect(check('x')).toEqual([['P1', F, 'x', 'connection pool must have at least one field']]);
    expect(check({ tcp: {} })).toEqual([]);
  });

  test('h2 upgrade and the client\'s protocol not together', () => {
    expect(check({ http: { h2UpgradePolicy: 'UPGRADE', useClientProtocol: true } }))
      .toEqual([['P3', `${F}.http.useClientProtocol`, true, 'use client protocol must not be true when H2UpgradePolicy is UPGRADE']]);
    expect(check({ http: { h2UpgradePolicy: 'UPGRADE', useClientProtocol: false } })).toEqual([]);
    expect(check({ http: { h2UpgradePolicy: 'DO_NOT_UPGRADE', useClientProtocol: true } })).toEqual([]);
  });
});
