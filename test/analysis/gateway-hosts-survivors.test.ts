/**
 * IST0132 VirtualServiceHostNotFoundInGateway (gateway-hosts.ts; virtualservice/gateways.go), called
 * directly: which gateway references are looked at, how server hosts are read (`*`, `*\/*`, `ns/*`,
 * `./host`, `*\/host`), which of them a namespace sees, and the fix's list of the hosts it sees.
 */
import { gateway, server, virtualService } from './objects';
import { checkGatewayHosts } from '../../src/analysis/gateway-hosts';
import { ObjectIndex } from '../../src/analysis/model';
import { assertValidIstioObjects } from '../support/crd-validator';
import { helpful } from '../support/findings';

const HOST = 'api.example.com';
const rows = (objects: any[]) => helpful(checkGatewayHosts(new ObjectIndex(objects))).map(f => [f.index, f.rule, f.field, f.value, f.message, f.fix]);
const fixes = (objects: any[]) => rows(objects).map(r => r[5]);
const gw = (hosts: unknown[], namespace = 'istio-system', name = 'gw') =>
  gateway(name, namespace, { selector: { istio: 'egressgateway' }, servers: [server(80, hosts as string[])] });
const route = (namespace: string, hosts: unknown[], gateways: unknown[]) => virtualService('vs', namespace, {
  hosts, gateways, http: [{ route: [{ destination: { host: HOST } }] }],
});
const noHostFix = (namespace: string) =>
  `the Gateway's servers declare no host for namespace ${namespace}: add "${namespace}/${HOST}" (or "*/${HOST}") to the Gateway's server hosts`;

describe('IST0132: the gateway references looked at', () => {
  test('`mesh` is no Gateway reference, even where a Gateway is named mesh', () => {
    const objects = [gw(['other.example.com'], 'default', 'mesh'), route('default', [HOST], ['mesh'])];
    expect(rows(objects)).toEqual([]);
    assertValidIstioObjects(objects);
    // The same Gateway named by another reference is checked.
    expect(rows([gw(['other.example.com'], 'default', 'mesh'), route('default', [HOST], ['default/mesh'])])).toEqual([[1, 'IST0132',
      'spec.gateways[0]', 'default/mesh', `one or more host [${HOST}] defined in VirtualService default/vs not found in Gateway default/mesh.`,
      'route a host the Gateway serves here (other.example.com), or add the VirtualService\'s host to the Gateway\'s servers']]);
  });

  test('a gateway reference that is no string is passed over', () => {
    expect(rows([gw(['other.example.com']), route('default', [HOST], [42, 'istio-system/gw'])]).map(r => r[2])).toEqual(['spec.gateways[1]']);
  });

  test('a VirtualService without spec, and a Gateway without spec, are read as empty', () => {
    expect(rows([gw([HOST]), { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'bare', namespace: 'default' } }]))
      .toEqual([]);
    const bare = { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'gw', namespace: 'istio-system' } };
    expect(fixes([bare, route('default', [HOST], ['istio-system/gw'])])).toEqual([noHostFix('default')]);
  });

  test('hosts of the VirtualService that are no strings are not listed', () => {
    expect(rows([gw(['other.example.com']), route('default', [42, HOST], ['istio-system/gw'])]).map(r => r[4])).toEqual([
      `one or more host [${HOST}] defined in VirtualService default/vs not found in Gateway istio-system/gw.`,
    ]);
  });
});

describe('IST0132: the server hosts', () => {
  test('server entries that are no objects and server hosts that are no strings are passed over', () => {
    const odd = gateway('gw', 'istio-system', { selector: { istio: 'egressgateway' }, servers: [null, server(80, [42, 'other.example.com'] as any)] });
    expect(fixes([odd, route('default', [HOST], ['istio-system/gw'])])).toEqual([
      'route a host the Gateway serves here (other.example.com), or add the VirtualService\'s host to the Gateway\'s servers',
    ]);
  });

  test('a server host `*` serves every host', () => {
    const objects = [gw(['*']), route('default', [HOST], ['istio-system/gw'])];
    expect(rows(objects)).toEqual([]);
    assertValidIstioObjects(objects);
  });

  test('the fix lists every host the namespace sees', () => {
    expect(fixes([gw(['a.example.com', 'team-b/c.example.com', 'b.example.com']), route('default', [HOST], ['istio-system/gw'])])).toEqual([
      'route a host the Gateway serves here (a.example.com, b.example.com), or add the VirtualService\'s host to the Gateway\'s servers',
    ]);
  });

  test('a server host `*\/*` makes its whole server `*`', () => {
    // Only a VirtualService without hosts (the webhook rejects it) gets past `*`: the fix shows what the server was read as.
    const vs = virtualService('vs', 'default', { gateways: ['istio-system/gw'], http: [{ route: [{ destination: { host: HOST } }] }] });
    expect(fixes([gw(['x.example.com', '*/*', 'y.example.com']), vs])).toEqual([
      'route a host the Gateway serves here (*), or add the VirtualService\'s host to the Gateway\'s servers',
    ]);
  });

  test('`ns/*` and `*\/host` are no `*\/*`', () => {
    const objects = [gw(['team-a/*']), route('team-b', [HOST], ['istio-system/gw'])];
    expect(fixes(objects)).toEqual([noHostFix('team-b')]);
    assertValidIstioObjects(objects);
    expect(fixes([gw(['*/other.example.com']), route('team-b', [HOST], ['istio-system/gw'])])).toEqual([
      'route a host the Gateway serves here (other.example.com), or add the VirtualService\'s host to the Gateway\'s servers',
    ]);
  });

  test('`./host` is the Gateway\'s own namespace', () => {
    const objects = [gw([`./${HOST}`]), route('istio-system', [HOST], ['gw'])];
    expect(rows(objects)).toEqual([]);
    assertValidIstioObjects(objects);
    expect(fixes([gw([`./${HOST}`]), route('default', [HOST], ['istio-system/gw'])])).toEqual([noHostFix('default')]);
  });

  test('a server host with an empty namespace part (the webhook rejects it) is seen by no namespace', () => {
    expect(fixes([gw([`/${HOST}`]), route('default', [HOST], ['istio-system/gw'])])).toEqual([noHostFix('default')]);
  });
});
