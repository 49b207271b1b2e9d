/**
 * References of VirtualService destinations (references.ts; istioctl analyze IST0101 as
 * pkg/config/analysis/analyzers/virtualservice/destinationhosts.go reports it), branch by branch: the fix
 * for a host written as `name.namespace`, for a Service missing from a known namespace, a port on a host
 * that declares none, and a Service hidden by its exportTo annotation.
 */
import { service, serviceEntry, virtualService } from './objects';
import { ObjectIndex } from '../../src/analysis/model';
import { checkReferences } from '../../src/analysis/references';
import { assertValidIstioObjects } from '../support/crd-validator';
import { helpful } from '../support/findings';

const rows = (objects: any[]) => helpful(checkReferences(new ObjectIndex(objects)))
  .map(f => [f.index, f.rule, f.code, f.severity, f.field, f.value, f.message, f.fix]);
const routeTo = (destination: Record<string, unknown>, ns = 'web') =>
  virtualService('to-api', ns, { hosts: ['web.example.com'], http: [{ route: [{ destination }] }] });
const api = (ns = 'shop', metadata: Record<string, unknown> = {}, ports: unknown[] = [{ port: 8080, name: 'http' }]) =>
  service('api', ns, { ports }, metadata);

describe('the fix for a host nothing defines (IST0101)', () => {
  test('`name.namespace` of a known Service: Istio reads it as a host of its own', () => {
    const objects = [api(), routeTo({ host: 'api.shop', port: { number: 8080 } })];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([[1, 'IST0101', 'IST0101', 'error', 'spec.http[0].route[0].destination.host', 'api.shop',
      'Referenced host not found: "api.shop"',
      'Istio reads "api.shop" as a host of its own, not as Service api in namespace shop: write api.shop.svc.cluster.local']]);
  });

  test('`name.namespace` of no known Service: add a ServiceEntry', () => {
    const objects = [api(), routeTo({ host: 'cart.shop', port: { number: 8080 } })];
    expect(rows(objects).map(r => r[7])).toEqual([
      'add a ServiceEntry for cart.shop, or if one exists in the cluster, give its YAML to the check (lint --cluster <file|dir>; at synth EgressAnalysis.assumeExists)',
    ]);
  });

  test('a Service missing from a namespace whose Services are known', () => {
    const objects = [api(), routeTo({ host: 'cart.shop.svc.cluster.local', port: { number: 8080 } })];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([[1, 'IST0101', 'IST0101', 'error', 'spec.http[0].route[0].destination.host', 'cart.shop.svc.cluster.local',
      'Referenced host not found: "cart.shop.svc.cluster.local"',
      'no Service cart is among the objects of namespace shop: correct the host, or if the Service exists, '
        + 'give its YAML to the check (lint --cluster <file|dir>; at synth EgressAnalysis.assumeExists)']]);
  });
});

describe('ports (IST0101)', () => {
  test('a port on a Service that declares none', () => {
    const objects = [api('shop', {}, []), routeTo({ host: 'api.shop.svc.cluster.local', port: { number: 8080 } })];
    expect(rows(objects)).toEqual([[1, 'IST0101', 'IST0101', 'error', 'spec.http[0].route[0].destination.port.number', 8080,
      'Referenced host:port not found: "api.shop.svc.cluster.local:8080"',
      'route to a port api.shop.svc.cluster.local declares (none), or declare 8080']]);
    expect(rows([api(), routeTo({ host: 'api.shop.svc.cluster.local', port: { number: 9090 } })]).map(r => r[7])).toEqual([
      'route to a port api.shop.svc.cluster.local declares (8080), or declare 9090',
    ]);
  });
});

describe('hosts not exported (IST0101)', () => {
  test('a Service hidden by its networking.istio.io/exportTo annotation: the fix names the annotation', () => {
    const objects = [api('shop', { annotations: { 'networking.istio.io/exportTo': '.' } }), routeTo({ host: 'api.shop.svc.cluster.local', port: { number: 8080 } })];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([[1, 'IST0101', 'IST0101', 'error', 'spec.http[0].route[0].destination.host', 'api.shop.svc.cluster.local',
      'Referenced host not found: "api.shop.svc.cluster.local" is not exported to namespace web',
      'add "web" to the networking.istio.io/exportTo annotation of Service shop/api']]);
  });

  test('a ServiceEntry: the fix names its exportTo', () => {
    const objects = [
      serviceEntry('ext', 'shop', { hosts: ['ext.example.com'], exportTo: ['.'], location: 'MESH_EXTERNAL', resolution: 'DNS', ports: [{ number: 443, name: 'tls', protocol: 'TLS' }] }),
      routeTo({ host: 'ext.example.com', port: { number: 443 } }),
    ];
    expect(rows(objects).map(r => [r[6], r[7]])).toEqual([[
      'Referenced host not found: "ext.example.com" is not exported to namespace web', 'add "web" to the exportTo of ServiceEntry shop/ext',
    ]]);
  });
});
