/**
 * DIRECT_HOST_BLOCKED (EGR110) and the waypoint exception of SIDECAR_CREDENTIAL (EGR111) in
 * src/analysis/egress-intent.ts, called directly: which NetworkPolicies restrict egress, which rules let a
 * port out, which entries give addresses, which ports the pods connect to, one finding per policy and host
 * in import order, and objects the webhook refuses (kept from breaking the check).
 */
import { intentAccepts, intentAt, intentFindings, networkPolicy, TLS_443 } from './egress-intent-fixtures';
import { destinationRule, meta, serviceEntry, sidecar } from './objects';
import { assertValidIstioObjects } from '../support/crd-validator';

const intent = intentFindings;
const at = intentAt;
const accepted = intentAccepts;

describe('DIRECT_HOST_BLOCKED (EGR110): policies, ports and entries', () => {
  const entry = (spec: Record<string, unknown> = {}, name = 'api', host = 'api.example.com') =>
    serviceEntry(name, 'egress', { hosts: [host], ports: [TLS_443], resolution: 'DNS', ...spec });
  const lockdown = (hosts = ['istio-system/*', 'egress/api.example.com']) =>
    sidecar('lockdown', 'shop', { outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' }, egress: [{ hosts }] });
  const dns = { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }], ports: [{ protocol: 'UDP', port: 53 }] };
  const netpol = (egress: unknown[], spec: Record<string, unknown> = {}) =>
    networkPolicy('lockdown', 'shop', { podSelector: {}, policyTypes: ['Egress'], egress, ...spec });
  const blocked = (host: string) => `connections to ${host} are dropped`;

  test('policyTypes [Ingress] with egress rules restricts ingress only: the egress rules are not enforced', () => {
    accepted('DIRECT_HOST_BLOCKED', [entry(), lockdown(), netpol([dns], { policyTypes: ['Ingress'] })]);
    expect(at('DIRECT_HOST_BLOCKED', [entry(), lockdown(), netpol([dns])])).toEqual([[2, 'spec.egress', undefined]]);
  });

  test('a port range whose endPort is the entry port lets it out (both ends count)', () => {
    accepted('DIRECT_HOST_BLOCKED', [entry(), lockdown(), netpol([dns, { ports: [{ protocol: 'TCP', port: 400, endPort: 443 }] }])]);
    accepted('DIRECT_HOST_BLOCKED', [entry(), lockdown(), netpol([dns, { ports: [{ protocol: 'TCP', port: 443, endPort: 500 }] }])]);
  });

  test('one entry of the host with addresses is enough: the host is not judged', () => {
    accepted('DIRECT_HOST_BLOCKED', [entry(), entry({ addresses: ['203.0.113.10'] }, 'api-2'), lockdown(), netpol([dns])]);
  });

  test('two hosts blocked by one policy: one finding each, in the order the Sidecar imports them', () => {
    const objects = [entry(), entry({}, 'db', 'db.example.com'), lockdown(['istio-system/*', 'egress/db.example.com', 'egress/api.example.com']), netpol([dns])];
    assertValidIstioObjects(objects);
    const found = intent('DIRECT_HOST_BLOCKED', objects);
    expect(found.map(f => [f.index, f.field])).toEqual([[3, 'spec.egress'], [3, 'spec.egress']]);
    expect(found[0].message).toContain(blocked('db.example.com'));
    expect(found[1].message).toContain(blocked('api.example.com'));
  });

  test('an import from a namespace that defines no entry for the host does not move the host up the order', () => {
    const objects = [entry(), entry({}, 'db', 'db.example.com'),
      lockdown(['istio-system/*', 'billing/api.example.com', 'egress/db.example.com', 'egress/api.example.com']), netpol([dns])];
    assertValidIstioObjects(objects);
    expect(intent('DIRECT_HOST_BLOCKED', objects).map(f => f.message.endsWith(blocked('db.example.com')))).toEqual([true, false]);
  });

  test('entry ports without a number give no port to let out; the others still count', () => {
    // Malformed (the ServiceEntry schema requires ports[].number): skipped, not read as a port.
    expect(at('DIRECT_HOST_BLOCKED', [entry({ ports: [{ name: 'tls', protocol: 'TLS' }] }), lockdown(), netpol([dns])])).toEqual([]);
    // Malformed (ports[] must be objects): a null port is skipped.
    expect(at('DIRECT_HOST_BLOCKED', [entry({ ports: [null, TLS_443] }), lockdown(), netpol([dns])])).toEqual([[2, 'spec.egress', undefined]]);
  });

  test('malformed endpoints (not objects, an address that is not a string) give no addresses', () => {
    // The ServiceEntry schema requires endpoints[] to be objects and address a string.
    expect(at('DIRECT_HOST_BLOCKED', [entry({ endpoints: [null] }), lockdown(), netpol([dns])])).toEqual([[2, 'spec.egress', undefined]]);
    expect(at('DIRECT_HOST_BLOCKED', [entry({ endpoints: [{ address: ['203.0.113.10'] }] }), lockdown(), netpol([dns])]))
      .toEqual([[2, 'spec.egress', undefined]]);
  });

  test('a malformed endPort (not a number) opens no range', () => {
    // NetworkPolicy's endPort is an int32: the API server refuses a string.
    expect(at('DIRECT_HOST_BLOCKED', [entry(), lockdown(), netpol([dns, { ports: [{ protocol: 'TCP', port: 400, endPort: '500' }] }])]))
      .toEqual([[2, 'spec.egress', undefined]]);
  });

  test('a Sidecar without spec (refused by the webhook: empty configuration) imports nothing', () => {
    const bare = { apiVersion: 'networking.istio.io/v1', kind: 'Sidecar', metadata: meta('bare', 'shop') };
    expect(at('DIRECT_HOST_BLOCKED', [entry(), bare, netpol([dns])])).toEqual([]);
    expect(at('DIRECT_HOST_BLOCKED', [entry(), bare, lockdown(), netpol([dns])])).toEqual([[3, 'spec.egress', undefined]]);
  });
});

describe('SIDECAR_CREDENTIAL (EGR111) with an ambient waypoint that originates no TLS', () => {
  const waypoint = {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name: 'waypoint', namespace: 'istio-egress' },
    spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
  };
  const bound = serviceEntry('httpbin', 'istio-egress', {
    hosts: ['httpbin.org'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'DNS',
  }, { 'istio.io/use-waypoint': 'waypoint' });

  test('a waypoint path without TLS origination, and a credentialName rule for another host: that rule is reported', () => {
    const rule = destinationRule('api', 'default', { host: 'api.example.com', trafficPolicy: { tls: { mode: 'SIMPLE', credentialName: 'api-ca' } } });
    const objects = [waypoint, bound, rule];
    assertValidIstioObjects(objects);
    expect(at('SIDECAR_CREDENTIAL', objects)).toEqual([[2, 'spec.trafficPolicy.tls.credentialName', 'api-ca']]);
  });
});
