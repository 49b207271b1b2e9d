/** Choices Istio runs that let more out than the secure defaults (weakening.ts): EGR201, EGR202, EGR205, EGR206, as lint reports them. */
import { destinationRule, serviceEntry, sidecar } from './objects';
import { analyze } from '../../src/analysis';
import { assertValidIstioObjects } from '../support/crd-validator';
import { helpful } from '../support/findings';

/** Every cross-object finding of `rule`, as `code severity [index] field=value: message`. */
const found = (rule: string, objects: any[]) => helpful(analyze(objects).findings).filter(f => f.rule === rule)
  .map(f => `${f.code} ${f.severity} [${f.index}] ${f.field}=${JSON.stringify(f.value)}: ${f.message}`);
const fixes = (rule: string, objects: any[]) => analyze(objects).findings.filter(f => f.rule === rule).map(f => f.fix);

describe('TLS that does not verify the server (EGR201)', () => {
  const tls = (mode: string, extra: Record<string, unknown> = {}) => ({ mode, insecureSkipVerify: true, ...extra });
  const UNVERIFIED = 'without verifying the server\'s certificate, so anyone on the path can pose as the server and read the traffic';

  test('insecureSkipVerify on a verifying mode warns, at the top level, per port and per subset', () => {
    const dr = destinationRule('api', 'team-a', {
      host: 'api.example.com',
      trafficPolicy: {
        tls: tls('SIMPLE'),
        portLevelSettings: [null, { port: { number: 8443 } }, { port: { number: 9443 }, tls: tls('MUTUAL') }, { tls: tls('SIMPLE') }],
      },
      subsets: [null, { name: 'v1' }, { name: 'v2', trafficPolicy: { tls: tls('ISTIO_MUTUAL') } }],
    });
    expect(found('UNVERIFIED_TLS', [dr])).toEqual([
      `EGR201 warning [0] spec.trafficPolicy.tls.insecureSkipVerify=true: the proxy opens SIMPLE TLS to api.example.com ${UNVERIFIED}`,
      `EGR201 warning [0] spec.trafficPolicy.portLevelSettings[2].tls.insecureSkipVerify=true: the proxy opens MUTUAL TLS to api.example.com on port 9443 ${UNVERIFIED}`,
      `EGR201 warning [0] spec.trafficPolicy.portLevelSettings[3].tls.insecureSkipVerify=true: the proxy opens SIMPLE TLS to api.example.com ${UNVERIFIED}`,
      `EGR201 warning [0] spec.subsets[2].trafficPolicy.tls.insecureSkipVerify=true: the proxy opens ISTIO_MUTUAL TLS to api.example.com ${UNVERIFIED}`,
    ]);
    expect(fixes('UNVERIFIED_TLS', [dr])[0]).toBe('remove insecureSkipVerify: with caCertificates, a credentialName holding the CA, or neither (Istio 1.30 '
      + 'then uses the proxy\'s system CA bundle) the server is verified; if it must stay, acknowledge EGR201 (TlsOrigination.withoutServerVerification() does)');
  });

  test('verified TLS, no TLS, or insecureSkipVerify that is not true is accepted', () => {
    const objects = [
      destinationRule('a', 'team-a', { host: 'a.example.com', trafficPolicy: { tls: { mode: 'SIMPLE' } } }),
      destinationRule('b', 'team-a', { host: 'b.example.com', trafficPolicy: { tls: tls('SIMPLE', { insecureSkipVerify: false }) } }),
      destinationRule('c', 'team-a', { host: 'c.example.com', trafficPolicy: { tls: tls('DISABLE') } }),
      destinationRule('d', 'team-a', { host: 'd.example.com', trafficPolicy: { loadBalancer: { simple: 'ROUND_ROBIN' } } }),
    ];
    assertValidIstioObjects(objects);
    expect(found('UNVERIFIED_TLS', objects)).toEqual([]);
    expect(found('UNVERIFIED_TLS', [destinationRule('e', 'team-a', undefined), destinationRule('f', 'team-a', { trafficPolicy: { tls: 'SIMPLE' } })])).toEqual([]);
  });
});

describe('resolution NONE without addresses on an opaque port (EGR202)', () => {
  const se = (ports: unknown[], spec: Record<string, unknown> = {}) =>
    serviceEntry('db', 'team-a', { hosts: ['db.example.com', 7, 'db2.example.com'], ports, resolution: 'NONE', ...spec });

  test('warns per TCP, Mongo, MySQL, Redis or unset port, naming the hosts', () => {
    const ports = [
      { number: 5432, name: 'tcp', protocol: 'TCP' }, { number: 443, name: 'https', protocol: 'HTTPS' }, { number: 27017, name: 'mongo', protocol: 'mongo' },
      { number: 3306, name: 'mysql', protocol: 'MYSQL' }, { number: 6379, name: 'redis', protocol: 'Redis' }, { number: 9000, name: 'any' }, null,
    ];
    const line = (i: number, value: string, protocol: string, port: number) => `EGR202 warning [0] spec.ports[${i}].protocol=${value}: ServiceEntry team-a/db has `
      + `resolution NONE and no addresses, so the sidecars that see it accept ${protocol} on port ${port} for every destination address and pass it on: `
      + `workloads reach any server on port ${port}, not only db.example.com, db2.example.com (Istio only warns: addresses are required for ports serving `
      + 'TCP (or unset) protocol when IP Autoallocation is not enabled)';
    expect(found('TCP_ANY_ADDRESS', [se(ports)])).toEqual([
      line(0, '"TCP"', 'TCP', 5432), line(2, '"mongo"', 'mongo', 27017), line(3, '"MYSQL"', 'MYSQL', 3306), line(4, '"Redis"', 'Redis', 6379), line(5, 'undefined', 'TCP', 9000),
    ]);
    // An empty or null protocol is sniffed as an unset one: TCP.
    const empty = [{ number: 9001, name: 'a', protocol: '' }, { number: 9002, name: 'b', protocol: null }];
    expect(found('TCP_ANY_ADDRESS', [se(empty)])).toEqual([
      expect.stringMatching(/^EGR202 warning \[0\] spec.ports\[0\].protocol="": .* accept TCP on port 9001 /),
      expect.stringMatching(/^EGR202 warning \[0\] spec.ports\[1\].protocol=null: .* accept TCP on port 9002 /),
    ]);
    expect(fixes('TCP_ANY_ADDRESS', [se(ports)])[0]).toBe('list the host\'s IP addresses or CIDR blocks in spec.addresses (ExternalHost: addresses), or resolve '
      + 'it with DNS; if every address on the port is meant, acknowledge EGR202');
  });

  test('an unset resolution is NONE; addresses, a workloadSelector, another resolution or no spec is accepted', () => {
    const tcp = [{ number: 5432, name: 'tcp', protocol: 'TCP' }];
    const { resolution: _, ...unset } = se(tcp).spec;
    expect(found('TCP_ANY_ADDRESS', [{ ...se(tcp), spec: unset }])).toHaveLength(1);
    const objects = [
      serviceEntry('a', 'team-a', { hosts: ['a.example.com'], ports: tcp, resolution: 'NONE', addresses: ['192.0.2.0/24'] }),
      serviceEntry('b', 'team-a', { hosts: ['b.example.com'], ports: tcp, resolution: 'NONE', workloadSelector: { labels: { app: 'db' } } }),
      serviceEntry('c', 'team-a', { hosts: ['c.example.com'], ports: tcp, resolution: 'DNS' }),
    ];
    assertValidIstioObjects(objects);
    expect(found('TCP_ANY_ADDRESS', [...objects, serviceEntry('d', 'team-a', undefined)])).toEqual([]);
  });
});

describe('a NetworkPolicy egress rule to every address (EGR205)', () => {
  const policy = (egress: unknown) => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'out', namespace: 'team-a' },
    spec: { podSelector: {}, policyTypes: ['Egress'], egress },
  });
  const TAIL = 'so they can reach external hosts directly, around the egress gateway and its policies';

  test('warns at the ipBlock of 0.0.0.0/0 or ::/0, with or without ports and exceptions', () => {
    const egress = [
      { to: [{ ipBlock: { cidr: '10.0.0.0/8' } }, { ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }], ports: [{ port: 443, protocol: 'TCP' }] },
      { to: [{ ipBlock: { cidr: '::/0' } }] },
    ];
    expect(found('NETPOL_ANY_ADDRESS', [policy(egress)])).toEqual([
      `EGR205 warning [0] spec.egress[0].to[1].ipBlock.cidr="0.0.0.0/0": NetworkPolicy team-a/out lets the pods it selects send to every address on the rule's ports, ${TAIL}`,
      `EGR205 warning [0] spec.egress[1].to[0].ipBlock.cidr="::/0": NetworkPolicy team-a/out lets the pods it selects send to every address on any port, ${TAIL}`,
    ]);
    expect(fixes('NETPOL_ANY_ADDRESS', [policy(egress)])[0]).toBe('allow only the addresses the pods need (the egress gateway pods by their labels, DNS, the '
      + 'control plane, known external blocks); if every address is meant, acknowledge EGR205');
  });

  test('narrower blocks, single addresses, pod and namespace peers, or odd values are not a finding', () => {
    const egress = [
      { to: [{ ipBlock: { cidr: '10.0.0.0/10' } }, { ipBlock: { cidr: '0.0.0.0' } }, { podSelector: { matchLabels: { istio: 'egressgateway' } } }] },
      { to: [{ ipBlock: { cidr: 'any/0' } }, { ipBlock: { cidr: 0 } }, { ipBlock: 'x' }, null], ports: 'x' },
      null,
    ];
    expect(found('NETPOL_ANY_ADDRESS', [policy(egress), { ...policy([]), spec: undefined }])).toEqual([]);
    // A prefix that only starts with 0 (/08 is 8 bits) is not every address.
    expect(found('NETPOL_ANY_ADDRESS', [policy([{ to: [{ ipBlock: { cidr: '10.0.0.0/08' } }] }])])).toEqual([]);
    expect(analyze([policy([{ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }])]).findings).toEqual([]);
  });
});

describe('a Sidecar with outboundTrafficPolicy ALLOW_ANY (EGR206)', () => {
  test('warns, with the way back to REGISTRY_ONLY', () => {
    const objects = [sidecar('default', 'team-a', { outboundTrafficPolicy: { mode: 'ALLOW_ANY' } })];
    assertValidIstioObjects(objects);
    expect(found('ALLOW_ANY', objects)).toEqual(['EGR206 warning [0] spec.outboundTrafficPolicy.mode="ALLOW_ANY": Sidecar team-a/default lets the workloads '
      + 'it applies to reach any host, registered or not: unknown hosts pass through their sidecar without a ServiceEntry']);
    expect(fixes('ALLOW_ANY', objects)).toEqual(['set outboundTrafficPolicy.mode to REGISTRY_ONLY and register the external hosts with ServiceEntries '
      + '(EgressLockdown: leave outboundPolicy out); if every host is meant, acknowledge EGR206']);
  });

  test('REGISTRY_ONLY, no policy or no spec is accepted', () => {
    expect(found('ALLOW_ANY', [sidecar('a', 'team-a', { outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } }), sidecar('b', 'team-b', {}),
      sidecar('c', 'team-c', undefined), sidecar('d', 'team-d', { outboundTrafficPolicy: 'ALLOW_ANY' })])).toEqual([]);
  });
});
