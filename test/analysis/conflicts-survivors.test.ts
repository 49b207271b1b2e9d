/**
 * checkConflicts called directly: duplicate names (odd namespaces), IST0145 (a Gateway against itself, one
 * name twice, binds, the default of no known pods), IST0109 (exportTo entries that are no names, which host of a
 * VirtualService is named, wildcards before a dot) and EGR106 within one ServiceEntry.
 */
import { gateway, server, serviceEntry, virtualService } from './objects';
import { checkConflicts } from '../../src/analysis/conflicts';
import { ObjectIndex } from '../../src/analysis/model';
import { assertValidIstioObjects } from '../support/crd-validator';
import { helpful } from '../support/findings';

/** The findings of `rule` as `[index] field=value`. */
const rows = (rule: string, objects: any[], pods?: Array<Record<string, string>>) =>
  helpful(pods ? checkConflicts(new ObjectIndex(objects), pods) : checkConflicts(new ObjectIndex(objects)))
    .filter(f => f.rule === rule).map(f => `[${f.index}] ${f.field}=${JSON.stringify(f.value)}`);

const EGRESS = { istio: 'egressgateway' };
const gw = (name: string, servers: any[], selector: Record<string, string> = EGRESS) => gateway(name, 'istio-system', { selector, servers });
const mesh = (name: string, namespace: string, hosts: string[], exportTo?: unknown[]) => virtualService(name, namespace, {
  hosts, ...(exportTo ? { exportTo } : {}), http: [{ route: [{ destination: { host: 'egress.example.com' } }] }],
});

describe('duplicate names: the core group, namespaces that are empty or no strings', () => {
  const config = (namespace: unknown, apiVersion = 'v1') => ({ apiVersion, kind: 'ConfigMap', metadata: { name: 'c', namespace }, data: {} });

  test('apiVersions without a group are all the core group, whatever the version', () => {
    // Deliberately malformed (the core group serves v1 only): the version is no part of the key.
    expect(rows('DUPLICATE_NAME', [config('team-a'), config('team-a', 'v1beta1')])).toEqual(['[1] metadata.name="c"']);
  });

  test('an empty namespace is the same as none', () => {
    const { namespace: _, ...noNamespace } = config('team-a').metadata;
    expect(rows('DUPLICATE_NAME', [{ ...config('team-a'), metadata: noNamespace }, config('')])).toEqual(['[1] metadata.name="c"']);
  });

  test('two namespaces that are different objects are different namespaces; equal ones are one', () => {
    // Deliberately malformed (metadata.namespace must be a string): each is kept apart by its JSON.
    expect(rows('DUPLICATE_NAME', [config({ a: '1' }), config({ b: '2' })])).toEqual([]);
    expect(rows('DUPLICATE_NAME', [config({ a: '1' }), config({ a: '1' })])).toEqual(['[1] metadata.name="c"']);
  });
});

describe('IST0145 without the analysis around it', () => {
  test('a Gateway alone, or two servers of one Gateway with one host, is no conflict', () => {
    const objects = [gw('a', [server(443, ['api.example.com']), server(8443, ['api.example.com'])])];
    assertValidIstioObjects(objects);
    expect(rows('IST0145', objects)).toEqual([]);
  });

  test('two Gateways with one namespace and name are one object (the last one), and do not conflict with each other', () => {
    const objects = [gw('a', [server(443, ['api.example.com'])]), gw('a', [server(443, ['api.example.com'])])];
    expect(rows('IST0145', objects)).toEqual([]);
    expect(rows('IST0145', [...objects, gw('b', [server(443, ['api.example.com'])])])).toEqual([
      '[1] spec.servers[0].hosts[0]="api.example.com"', '[2] spec.servers[0].hosts[0]="api.example.com"',
    ]);
  });

  test('the same host and port with different binds is no conflict; the same bind is', () => {
    const objects = [gw('a', [server(443, ['api.example.com'], { bind: '10.0.0.1' })]), gw('b', [server(443, ['api.example.com'], { bind: '10.0.0.2' })])];
    assertValidIstioObjects(objects);
    expect(rows('IST0145', objects)).toEqual([]);
    expect(rows('IST0145', [objects[0], gw('b', [server(443, ['api.example.com'], { bind: '10.0.0.1' })])])).toHaveLength(2);
  });

  test('without gateway pods, a selector that contains the other conflicts only through a known pod', () => {
    // The empty selector's text is contained in every other; a selector on label "0" would select a string's first letter.
    const objects = [gw('a', [server(443, ['api.example.com'])], {}), gw('b', [server(443, ['api.example.com'])], { 0: 'S' })];
    assertValidIstioObjects(objects);
    expect(rows('IST0145', objects)).toEqual([]);
    expect(rows('IST0145', objects, [{ 0: 'S' }])).toHaveLength(2);
  });
});

describe('IST0109 without the analysis around it', () => {
  test('exportTo entries that are no strings are left out: a VirtualService with only those is exported everywhere', () => {
    // Deliberately malformed (exportTo holds strings): [7] is read as no exportTo, which clashes with one exported to team-x.
    const objects = [mesh('a', 'team-a', ['api.example.com'], [7]), mesh('b', 'team-b', ['api.example.com'], ['team-x'])];
    expect(rows('IST0109', objects)).toEqual(['[0] spec.hosts[0]="api.example.com"', '[1] spec.hosts[0]="api.example.com"']);
  });

  test('an empty exportTo entry is a namespace of its own, not "*"', () => {
    // Deliberately malformed (Istio's validation refuses an empty exportTo entry).
    expect(rows('IST0109', [mesh('a', 'team-a', ['api.example.com'], ['']), mesh('b', 'team-b', ['api.example.com'], ['team-x'])])).toEqual([]);
    expect(rows('IST0109', [mesh('a', 'team-a', ['api.example.com'], ['']), mesh('b', 'team-b', ['api.example.com'], [''])])).toHaveLength(2);
  });

  test('two exportTo lists that share one namespace conflict; lists without a shared namespace do not', () => {
    const overlapping = [mesh('a', 'team-a', ['api.example.com'], ['.', 'shared']), mesh('b', 'team-b', ['api.example.com'], ['shared', 'team-d'])];
    assertValidIstioObjects(overlapping);
    expect(rows('IST0109', overlapping)).toEqual(['[0] spec.hosts[0]="api.example.com"', '[1] spec.hosts[0]="api.example.com"']);
    expect(rows('IST0109', [mesh('a', 'team-a', ['api.example.com'], ['.', 'team-c']), mesh('b', 'team-b', ['api.example.com'], ['team-d', '.'])]))
      .toEqual([]);
  });

  test('a VirtualService exported everywhere with a wildcard and a short name under it is reported at the name it shares', () => {
    // w's short name is reviews.team-w.svc.cluster.local, under its wildcard only once qualified (so Istio's validation accepts both).
    const objects = [mesh('w', 'team-w', ['*.team-w.svc.cluster.local', 'reviews']), mesh('a', 'team-a', ['reviews.team-w.svc.cluster.local'], ['.'])];
    assertValidIstioObjects(objects);
    expect(rows('IST0109', objects)).toEqual(['[0] spec.hosts[1]="reviews"', '[1] spec.hosts[0]="reviews.team-w.svc.cluster.local"']);
  });

  test('a host starting with "*" stays as written, without a dot too (ConvertHostToFQDN)', () => {
    // Deliberately malformed ("*foo" is no valid host), as the analyzer keys it: the same host in two namespaces.
    const objects = [mesh('a', 'team-a', ['*foo']), mesh('b', 'team-b', ['*foo'])];
    expect(helpful(checkConflicts(new ObjectIndex(objects))).map(f => f.message)).toEqual([
      expect.stringContaining('define the same host */*foo which'), expect.stringContaining('define the same host */*foo which'),
    ]);
  });
});

describe('EGR106 within one ServiceEntry', () => {
  test('one ServiceEntry does not conflict with itself, even with one port number twice', () => {
    // Deliberately malformed (the CRD's CEL rule "port number cannot be duplicated" refuses it): one port number, two protocols.
    const entry = serviceEntry('a', 'team-a', {
      hosts: ['api.example.com'],
      resolution: 'DNS',
      ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }, { number: 443, name: 'tls', protocol: 'TLS' }],
    });
    expect(rows('SEPROTOCOL', [entry])).toEqual([]);
    expect(rows('SEPROTOCOL', [entry, { ...entry, metadata: { name: 'b', namespace: 'team-b' } }])).toEqual([
      '[1] spec.ports[1].protocol="TLS"',
    ]);
  });
});
