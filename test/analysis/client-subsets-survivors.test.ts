/**
 * EGR118 SUBSET_NOT_SEEN (client-subsets.ts), the remaining branches: routes without subset and the route's own
 * namespace are not judged; which namespaces count as the destination's (the path's ServiceEntry's, every visible
 * ServiceEntry's of another host, none); VirtualServices of the client namespace that do or do not cover the host;
 * one finding per route and namespace.
 */
import { destinationRule, serviceEntry, sidecar, virtualService } from './objects';
import { checkClientSubsets } from '../../src/analysis/client-subsets';
import { ObjectIndex } from '../../src/analysis/model';
import { assertValidIstioObjects } from '../support/crd-validator';
import { helpful } from '../support/findings';

const API = 'api.example.com';
const PROXY = 'proxy.example.com';
const entry = (ns: string, host = API, extra: Record<string, unknown> = {}) => serviceEntry(`${host.split('.')[0]}-${ns}`, ns, {
  hosts: [host], ports: [{ number: 443, name: 'tls', protocol: 'TLS' }], resolution: 'DNS', location: 'MESH_EXTERNAL', ...extra,
});
const v1 = (ns: string, host = API) => destinationRule(`v1-${host.split('.')[0]}`, ns, { host, subsets: [{ name: 'v1' }] });
/** The mesh route of namespace default for `host`, to `subset` of `destination`. */
const route = (destination = API, subset = 'v1', host = API, extra: Record<string, unknown> = {}) => virtualService('api', 'default', {
  hosts: [host], ...extra, tls: [{ match: [{ sniHosts: [host] }], route: [{ destination: { host: destination, ...(subset ? { subset } : {}) } }] }],
});
const lockdown = (ns: string, hosts = [`egress/${API}`]) => sidecar('lockdown', ns, { outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' }, egress: [{ hosts }] });
const findings = (objects: any[]) => helpful(checkClientSubsets(new ObjectIndex(objects)));
/** The findings as `[index] field = value (namespace judged)`. */
const rows = (objects: any[]) => findings(objects).map(f => `[${f.index}] ${f.field} = ${f.value} (${/^namespace (\S+)/.exec(f.message)![1]})`);
const FINDING = '[1] spec.tls[0].route[0].destination.subset = v1 (apps)';

describe('EGR118: what is not judged', () => {
  test('a route without subset', () => {
    const objects = [entry('egress'), route(API, ''), lockdown('apps')];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
    expect(rows([entry('egress'), route(), lockdown('apps')])).toEqual([FINDING]);
  });

  test('the route\'s own namespace, even where the route\'s gateways are unreadable (the schema wants strings)', () => {
    expect(rows([entry('egress'), route(API, 'v1', API, { gateways: [5] }), lockdown('default')])).toEqual([]);
  });
});

describe('EGR118: the namespaces whose rules count as the destination\'s', () => {
  test('for the path\'s own host, its ServiceEntry\'s namespace, not the one a Service-like name spells', () => {
    const host = 'api.legacy.svc.cluster.local';
    const base = [entry('egress', host), route(host, 'v1', host), lockdown('apps', [`egress/${host}`])];
    const beside = [...base, v1('egress', host)];
    assertValidIstioObjects(beside);
    expect(rows(beside)).toEqual([]);
    const f = findings([...base, v1('legacy', host)]);
    expect(f.map(x => [x.index, x.value])).toEqual([[1, 'v1']]);
    expect(f[0].fix).toMatch(/, or move the rule to egress$/);
  });

  test('for another host, any ServiceEntry of it the namespace sees: one of them with the rule is enough', () => {
    const objects = [entry('egress'), entry('egress', PROXY), entry('other', PROXY), route(PROXY), lockdown('apps'), v1('egress', PROXY)];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
  });

  test('for another host, a ServiceEntry not exported to the namespace does not count', () => {
    const hidden = entry('hidden', PROXY, { exportTo: ['.'] });
    const objects = [entry('egress'), route(PROXY), lockdown('apps'), entry('egress', PROXY), hidden, v1('hidden', PROXY)];
    assertValidIstioObjects(objects);
    const f = findings(objects);
    expect(f.map(x => [x.index, x.value])).toEqual([[1, 'v1']]);
    expect(f[0].fix).toMatch(/, or move the rule to egress$/);
  });

  test('for a host nothing defines, the client namespace\'s own rules and the root namespace\'s still count', () => {
    const nowhere = 'nowhere.example.com';
    const base = [entry('egress'), route(nowhere), lockdown('apps')];
    expect(rows([...base, v1('apps', nowhere)])).toEqual([]);
    expect(rows([...base, v1('istio-system', nowhere)])).toEqual([]);
    assertValidIstioObjects([...base, v1('apps', nowhere)]);
    const f = findings([...base, v1('default', nowhere)]);
    expect(f.map(x => x.value)).toEqual(['v1']);
    expect(f[0].message).toContain('(a proxy reads the rules of its own namespace, of the destination\'s namespace and of the root namespace, '
      + 'not those of default): its sidecars answer 503');
  });
});

describe('EGR118: routes of the client namespace', () => {
  test('its mesh route covering the host (by a wildcard, so that the route of default still ranks first) among other hosts is its own', () => {
    const own = virtualService('own', 'apps', {
      hosts: ['other.example.com', '*.example.com'], tls: [{ match: [{ sniHosts: [API] }], route: [{ destination: { host: API } }] }],
    });
    const objects = [entry('egress'), route(), lockdown('apps'), own];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
  });

  test('its routes for other hosts, without spec or with hosts that are no strings (the schema refuses both) leave the finding', () => {
    const other = virtualService('other', 'apps', { hosts: ['other.example.com'], tls: [{ match: [{ sniHosts: ['other.example.com'] }], route: [{ destination: { host: API } }] }] });
    assertValidIstioObjects([other]);
    expect(rows([entry('egress'), route(), lockdown('apps'), other])).toEqual([FINDING]);
    const bare = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'bare', namespace: 'apps' } };
    expect(rows([entry('egress'), route(), lockdown('apps'), bare])).toEqual([FINDING]);
    expect(rows([entry('egress'), route(), lockdown('apps'), virtualService('odd', 'apps', { hosts: [5] })])).toEqual([FINDING]);
  });
});

describe('EGR118: one finding per route and namespace', () => {
  test('two locked-down namespaces taking the route: each is reported', () => {
    const objects = [entry('egress'), route(), lockdown('apps'), lockdown('shop')];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([FINDING, '[1] spec.tls[0].route[0].destination.subset = v1 (shop)']);
  });
});
