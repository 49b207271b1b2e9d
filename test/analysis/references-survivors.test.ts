/**
 * References (references.ts), called directly, for the cases the other tests leave open: which pods the
 * egress Gateway selector check (IST0101 selector, gateway/gateway.go) looks at and which Gateways it
 * takes as egress ones, the gateway references of a VirtualService (IST0101), a missing subset, a Service
 * host in a namespace none of whose Services are known, and a host the gateway's namespace does not see (X1).
 */
import { deployment, gateway, server, service, serviceEntry, virtualService } from './objects';
import { ObjectIndex } from '../../src/analysis/model';
import { checkReferences } from '../../src/analysis/references';
import { assertValidIstioObjects } from '../support/crd-validator';
import { helpful } from '../support/findings';

const HOST = 'api.example.com';
const rows = (objects: any[], pods?: Array<Record<string, string>>) =>
  helpful(pods === undefined ? checkReferences(new ObjectIndex(objects)) : checkReferences(new ObjectIndex(objects), pods))
    .map(f => [f.index, f.rule, f.severity, f.field, f.value, f.message, f.fix]);
const selectorRows = (objects: any[], pods?: Array<Record<string, string>>) => rows(objects, pods).filter(r => r[3] === 'spec.selector');
const entry = (extra: Record<string, unknown> = {}, hosts = [HOST], ns = 'web') => serviceEntry('ext', ns, {
  hosts, location: 'MESH_EXTERNAL', resolution: 'DNS', ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], ...extra,
});
const egress = (selector: Record<string, string> | null = { istio: 'egressgateway' }, name = 'egress', ns = 'istio-system') =>
  gateway(name, ns, { ...(selector ? { selector } : {}), servers: [server(80, [HOST])] });
const route = (gateways: string[], destination: Record<string, unknown> = { host: HOST, port: { number: 80 } }, ns = 'web') =>
  virtualService('to-api', ns, { hosts: [HOST], gateways, http: [{ route: [{ destination }] }] });
const SELECTOR_FIX = 'use the labels of the egress gateway pods (istioctl installs label them istio: egressgateway; '
  + 'the istio/gateway chart istio: <release without istio->)';

describe('IST0101 selector: the pods it is checked against', () => {
  const objects = [entry(), egress(), route(['mesh', 'istio-system/egress'])];

  test('with no pods known, a selector is not checked', () => {
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
    expect(rows(objects, [])).toEqual([]);
  });

  test('pods given by the caller that the selector misses: a warning on the Gateway', () => {
    expect(rows(objects, [{ istio: 'ingressgateway' }])).toEqual([[1, 'IST0101', 'warning', 'spec.selector', { istio: 'egressgateway' },
      'Referenced selector not found: "istio=egressgateway" matches none of the egress gateway pods known here', SELECTOR_FIX]]);
  });

  test('a pod the selector matches: no finding', () => {
    expect(rows(objects, [{ istio: 'ingressgateway' }, { istio: 'egressgateway', app: 'gw' }])).toEqual([]);
  });

  test('the pods of Deployments among the objects count as known pods', () => {
    const missed = [...objects, deployment('ingress', 'istio-system', { istio: 'ingressgateway' })];
    expect(selectorRows(missed).map(r => r[5])).toEqual([
      'Referenced selector not found: "istio=egressgateway" matches none of the egress gateway pods known here',
    ]);
    expect(selectorRows([...objects, deployment('egress', 'istio-system', { istio: 'egressgateway' })])).toEqual([]);
  });

  test('every label of the selector must match, and the message lists them all', () => {
    const two = [entry(), egress({ app: 'egress', istio: 'egressgateway' }), route(['mesh', 'istio-system/egress'])];
    assertValidIstioObjects(two);
    expect(selectorRows(two, [{ istio: 'egressgateway' }]).map(r => [r[4], r[5]])).toEqual([[{ app: 'egress', istio: 'egressgateway' },
      'Referenced selector not found: "app=egress,istio=egressgateway" matches none of the egress gateway pods known here']]);
    expect(selectorRows(two, [{ istio: 'egressgateway', app: 'egress' }])).toEqual([]);
  });

  // klabels.SelectorFromSet sorts the requirements by key, whatever the order of the YAML.
  test('the selector is printed as Kubernetes prints it: sorted by key', () => {
    const unsorted = [entry(), egress({ istio: 'egressgateway', app: 'egress' }), route(['mesh', 'istio-system/egress'])];
    assertValidIstioObjects(unsorted);
    expect(selectorRows(unsorted, [{ istio: 'egressgateway' }]).map(r => r[5]))
      .toEqual(['Referenced selector not found: "app=egress,istio=egressgateway" matches none of the egress gateway pods known here']);
  });

  test('a Gateway without selector, or without spec, is not checked', () => {
    const open = [entry(), egress(null), route(['mesh', 'istio-system/egress'])];
    assertValidIstioObjects(open);
    expect(rows(open, [{ istio: 'ingressgateway' }])).toEqual([]);
    const bare = { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'egress', namespace: 'istio-system' } };
    expect(rows([entry(), bare, route(['mesh', 'istio-system/egress'])], [{ istio: 'ingressgateway' }])).toEqual([]);
  });
});

describe('IST0101 selector: which Gateways are egress ones', () => {
  const pods = [{ istio: 'ingressgateway' }];

  test('a route that the mesh and a gateway share makes the gateway an egress one', () => {
    expect(selectorRows([entry(), egress(), route(['mesh', 'istio-system/egress'])], pods).map(r => r[0])).toEqual([1]);
    expect(selectorRows([entry(), egress(), route(['istio-system/egress'])], pods).map(r => r[0])).toEqual([1]);
  });

  test('a gateway route to a Service host is no egress route, even where a ServiceEntry declares that host', () => {
    const internal = 'api.shop.svc.cluster.local';
    const objects = [entry({}, [internal], 'shop'), egress(), route(['mesh', 'istio-system/egress'], { host: internal, port: { number: 80 } })];
    assertValidIstioObjects(objects);
    expect(selectorRows(objects, pods)).toEqual([]);
  });

  test('a gateway route to an external host no ServiceEntry declares is no egress route', () => {
    const objects = [egress(), route(['mesh', 'istio-system/egress'], { host: 'other.example.com', port: { number: 80 } })];
    expect(rows(objects, pods).map(r => [r[3], r[5]])).toEqual([
      ['spec.http[0].route[0].destination.host', 'Referenced host not found: "other.example.com"'],
    ]);
  });
});

describe('IST0101: the gateways a VirtualService names', () => {
  test('a VirtualService without spec names none', () => {
    const bare = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'bare', namespace: 'web' } };
    expect(rows([egress(), bare])).toEqual([]);
  });

  test('`mesh` is no Gateway reference', () => {
    const objects = [entry(), route(['mesh'])];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
  });

  test('a missing Gateway: the fix names a Gateway of that name elsewhere, and only one of that name', () => {
    const elsewhere = [entry(), egress({ istio: 'egressgateway' }, 'other'), egress(), route(['mesh', 'egress'])];
    assertValidIstioObjects(elsewhere);
    expect(rows(elsewhere)).toEqual([[3, 'IST0101', 'error', 'spec.gateways[1]', 'egress', 'Referenced gateway not found: "web/egress"',
      'the Gateway is istio-system/egress: write "istio-system/egress" (a short name resolves in the VirtualService\'s namespace)']]);
    expect(rows([entry(), egress({ istio: 'egressgateway' }, 'other'), route(['mesh', 'egress'])]).map(r => r[6])).toEqual([
      'create the Gateway, or name it as namespace/name',
    ]);
  });
});

describe('IST0101: the destinations', () => {
  test('a subset no DestinationRule defines: the fix names the Service\'s namespace', () => {
    const objects = [service('api', 'shop', { ports: [{ port: 8080, name: 'http' }] }),
      route(['mesh'], { host: 'api.shop.svc.cluster.local', subset: 'v1', port: { number: 8080 } })];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([[1, 'IST0101', 'error', 'spec.http[0].route[0].destination.subset', 'v1',
      'Referenced host+subset in destinationrule not found: "api.shop.svc.cluster.local+v1"',
      'define subset "v1" in a DestinationRule for api.shop.svc.cluster.local in namespace shop']]);
  });

  test('a Service host in a namespace none of whose Services are known is noted as unchecked, not reported', () => {
    const objects = [service('api', 'shop', { ports: [{ port: 8080, name: 'http' }] }),
      route(['mesh'], { host: 'cart.other.svc.cluster.local', port: { number: 8080 } })];
    assertValidIstioObjects(objects);
    const index = new ObjectIndex(objects);
    expect(helpful(checkReferences(index))).toEqual([]);
    expect(index.unchecked).toEqual([
      { index: 1, field: 'spec.http[0].route[0].destination.host', host: 'cart.other.svc.cluster.local', namespace: 'other' },
    ]);
  });

  test('X1: a host the VirtualService sees but the gateway\'s namespace does not', () => {
    const objects = [entry({ exportTo: ['.'] }), egress(), route(['mesh', 'istio-system/egress'])];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([[2, 'IST0101', 'error', 'spec.http[0].route[0].destination.host', HOST,
      `Referenced host not found: "${HOST}" is not exported to namespace istio-system, where gateway istio-system/egress runs`,
      'add "istio-system" to the exportTo of ServiceEntry web/ext']]);
  });

  test('X1: a host exported to the gateway\'s namespace too is no finding', () => {
    expect(rows([entry({ exportTo: ['.', 'istio-system'] }), egress(), route(['mesh', 'istio-system/egress'])])).toEqual([]);
    expect(rows([entry(), egress(), route(['mesh', 'istio-system/egress'])])).toEqual([]);
  });
});
