/**
 * The cross-object model (src/analysis/model.ts): gateway references, route destinations, the index's look-ups
 * (Services, Secrets, Namespaces, workloads) and host resolution with a Service's exportTo annotation, as Istio reads them.
 */
import { deployment, gateway, meta, namespace, pod, secret, server, service, serviceEntry, virtualService } from './objects';
import { ObjectIndex, destinationsOf, label, resolveGatewayRef, selectorString } from '../../src/analysis/model';
import { egressPaths } from '../../src/analysis/paths';
import { assertValidIstioObjects } from '../support/crd-validator';

const HOST = 'api.example.com';
const GW = 'istio-egressgateway.istio-system.svc.cluster.local';

describe('resolveGatewayRef: a VirtualService\'s gateway reference as pilot\'s resolveGatewayName reads it', () => {
  test.each([
    ['egress', 'team-a/egress'],
    ['istio-system/egress', 'istio-system/egress'],
    // The legacy forms (the webhook warns about them but accepts them): `name.namespace` and the FQDN.
    ['egress.istio-system', 'istio-system/egress'],
    ['egress.istio-system.svc.cluster.local', 'istio-system/egress'],
  ])('%s in namespace team-a is %s', (ref, resolved) => {
    expect(resolveGatewayRef(ref, 'team-a')).toBe(resolved);
  });

  test('a route bound to its Gateway by the legacy `name.namespace` reference takes the gateway\'s traffic on the path', () => {
    const objects = [
      serviceEntry('api', 'team-a', { hosts: [HOST], resolution: 'DNS', ports: [{ number: 80, name: 'http', protocol: 'HTTP' }] }),
      gateway('egress', 'istio-system', { selector: { istio: 'egressgateway' }, servers: [server(80, [HOST])] }),
      virtualService('api', 'team-a', {
        hosts: [HOST],
        gateways: ['mesh', 'egress.istio-system'],
        http: [
          { match: [{ gateways: ['mesh'], port: 80 }], route: [{ destination: { host: GW, port: { number: 80 } } }] },
          { match: [{ gateways: ['egress.istio-system'], port: 80 }], route: [{ destination: { host: HOST, port: { number: 80 } } }] },
        ],
      }),
    ];
    assertValidIstioObjects(objects);
    const [host] = egressPaths(new ObjectIndex(objects)).hosts;

    expect(destinationsOf(objects[2]).map(d => [d.field, d.gateways])).toEqual([
      ['spec.http[0].route[0].destination', ['mesh']],
      ['spec.http[1].route[0].destination', ['istio-system/egress']],
    ]);
    expect(host.ports[0].gatewayHop).toMatchObject({ destination: HOST, destinationPort: 80, route: { field: 'spec.http[1]' } });
  });
});

describe('destinationsOf: every route destination, whatever else the lists hold', () => {
  const EGRESS = 'istio-system/egress';

  test('entries that are no objects, destinations without a host and ports that are no numbers are passed over', () => {
    const vs = virtualService('odd', 'team-a', {
      hosts: [HOST],
      gateways: ['istio-system/egress'],
      http: [
        null,
        'route',
        {
          match: [null, { gateways: ['mesh'] }],
          route: [null, { destination: {} }, { destination: 'x' }, { destination: { host: 'a', subset: 'v1', port: { number: '80' } } }],
        },
        { route: [{ destination: { host: 'b', port: { number: 8080 } } }] },
      ],
    });

    expect(destinationsOf(vs)).toEqual([
      { field: 'spec.http[2].route[3].destination', host: 'a', subset: 'v1', port: undefined, gateways: ['mesh'], atMesh: true, atGateways: [] },
      { field: 'spec.http[3].route[0].destination', host: 'b', subset: undefined, port: 8080, gateways: [EGRESS], atMesh: false, atGateways: [EGRESS] },
    ]);
  });

  test('a route\'s match gateways count once each, resolved; the top-level list is taken as written; no list means the mesh', () => {
    const route = (gateways: unknown[][]) => ({ match: gateways.map(g => ({ gateways: g })), route: [{ destination: { host: HOST } }] });
    const vs = virtualService('gateways', 'team-a', {
      hosts: [HOST],
      gateways: ['egress', 'egress', 'mesh'],
      // eslint-disable-next-line no-sparse-arrays
      tcp: [route([]), route([['egress', 'mesh'], ['team-a/egress', 'mesh']]), route([[7, , 'x']])],
    });
    const bare = virtualService('bare', 'team-a', { hosts: [HOST], tls: [route([])] });

    expect(destinationsOf(vs).map(({ gateways, atMesh, atGateways }) => ({ gateways, atMesh, atGateways }))).toEqual([
      { gateways: ['team-a/egress', 'team-a/egress', 'mesh'], atMesh: true, atGateways: ['team-a/egress', 'team-a/egress'] },
      { gateways: ['team-a/egress', 'mesh'], atMesh: true, atGateways: ['team-a/egress'] },
      { gateways: ['team-a/7', 'team-a/x'], atMesh: false, atGateways: ['team-a/7', 'team-a/x'] },
    ]);
    expect(destinationsOf(bare).map(({ gateways, atMesh, atGateways }) => ({ gateways, atMesh, atGateways }))).toEqual([
      { gateways: ['mesh'], atMesh: true, atGateways: [] },
    ]);
  });
});

describe('the ObjectIndex look-ups', () => {
  test('a Service without a name neither defines a host nor makes its namespace one whose Services are known', () => {
    const host = 'missing.team-b.svc.cluster.local';
    const nameless = { apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'team-b' }, spec: { ports: [{ port: 80 }] } };

    expect(new ObjectIndex([nameless]).resolveHost(host, 'team-a')).toEqual({ status: 'unknown', host, namespace: 'team-b' });
    const named = service('other', 'team-b', { ports: [{ port: 80 }] });
    expect(new ObjectIndex([nameless, named]).resolveHost(host, 'team-a')).toEqual({ status: 'missing', host });
  });

  test('references are noted as unchecked only for the checked objects, not for those only in the cluster', () => {
    const objects = [service('a', 'team-a', {}), service('b', 'team-a', {})];
    const index = new ObjectIndex(objects, 1);
    index.noteUnchecked(0, 'spec.host', 'x.team-c.svc.cluster.local', 'team-c');
    index.noteUnchecked(1, 'spec.host', 'y.team-c.svc.cluster.local', 'team-c');

    expect(index.unchecked).toEqual([{ index: 0, field: 'spec.host', host: 'x.team-c.svc.cluster.local', namespace: 'team-c' }]);
    expect([index.isClusterOnly(0), index.isClusterOnly(1)]).toEqual([false, true]);
  });

  test('Secrets by namespace: names that are no strings are left out, a namespace without Secrets is not known', () => {
    const odd: any = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 7, namespace: 'team-b' } };
    const index = new ObjectIndex([secret('cert', 'team-a'), secret('key', 'team-a'), odd]);

    expect([...index.secretsIn('team-a')!]).toEqual(['cert', 'key']);
    // Asked again: the same answer from what was read once.
    expect([...index.secretsIn('team-a')!]).toEqual(['cert', 'key']);
    expect(index.secretsIn('team-b')).toBeUndefined();
  });

  test('Namespace objects by name: the first of a name; a name that is no string names none', () => {
    const first = namespace('team-a', { first: 'yes' });
    const odd: any = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ['team-b'] } };
    const index = new ObjectIndex([first, namespace('team-a', { first: 'no' }), odd]);

    expect(index.namespaceObject('team-a')).toEqual({ index: 0, object: first });
    expect(index.namespaceObject('team-b')).toBeUndefined();
  });

  test('workloads: a pod without a name, a Deployment without a pod template, labels and annotations of strings only', () => {
    const nameless: any = { apiVersion: 'v1', kind: 'Pod', metadata: { namespace: 'team-a', labels: { app: 'a', n: 1 }, annotations: { note: 'x' } } };
    const templateless = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta('d', 'team-a'), spec: {} };
    const index = new ObjectIndex([nameless, templateless, pod('p', 'team-b', { app: 'p' }, { proxy: true })]);

    expect(index.workloads()).toEqual([
      { index: 0, kind: 'pod', name: '', namespace: 'team-a', labels: { app: 'a' }, annotations: { note: 'x' }, hasProxy: false },
      { index: 1, kind: 'deployment', name: 'd', namespace: 'team-a', labels: {}, annotations: {}, hasProxy: false },
      { index: 2, kind: 'pod', name: 'p', namespace: 'team-b', labels: { app: 'p' }, annotations: {}, hasProxy: true },
    ]);
    expect(index.workloadsIn('team-b').map(w => w.name)).toEqual(['p']);
  });

  test('a ServiceEntry port without a name (the API server requires one; lint reads any YAML) is a port without one', () => {
    const entry = serviceEntry('api', 'team-a', { hosts: [HOST], ports: [{ number: 443, protocol: 'TLS' }, { number: 80, name: 'http', protocol: 'HTTP' }] });

    expect(new ObjectIndex([entry]).resolveHost(HOST, 'team-a')).toMatchObject({
      status: 'found',
      ports: [{ number: 443, name: undefined, protocol: 'TLS' }, { number: 80, name: 'http', protocol: 'HTTP' }],
    });
  });
});

describe('a Service\'s networking.istio.io/exportTo annotation (kube controller: the Service\'s exportTo)', () => {
  const host = 'reviews.team-a.svc.cluster.local';
  const reviews = (exportTo?: string) => service('reviews', 'team-a', { selector: { app: 'reviews' }, ports: [{ port: 80, name: 'http' }] },
    exportTo === undefined ? { annotations: { other: 'x' } } : { annotations: { 'networking.istio.io/exportTo': exportTo } });
  const status = (exportTo: string | undefined, from: string) => new ObjectIndex([reviews(exportTo)]).resolveHost(host, from).status;

  test('no annotation, or a blank one: visible everywhere', () => {
    expect(status(undefined, 'team-b')).toBe('found');
    expect(status('  ', 'team-b')).toBe('found');
  });

  test('`.` is the Service\'s own namespace: hidden from the others', () => {
    assertValidIstioObjects([reviews('.')]);
    expect(status('.', 'team-a')).toBe('found');
    expect(status('.', 'team-b')).toBe('hidden');
    expect(new ObjectIndex([reviews('.')]).resolveHost(host, 'team-b')).toMatchObject({ status: 'hidden', definitions: [{ index: 0 }] });
  });

  test('a list of namespaces, spaces around the commas; `*` among them is every namespace', () => {
    expect(status('team-b, team-c', 'team-c')).toBe('found');
    expect(status('team-b, team-c', 'team-a')).toBe('hidden');
    expect(status('team-b,*', 'team-z')).toBe('found');
  });
});

describe('selectorString: a selector as Kubernetes prints it', () => {
  test('pairs sorted by key; anything but a map is the empty selector', () => {
    expect(selectorString({ version: 'v1', app: 'reviews' })).toBe('app=reviews,version=v1');
    expect(selectorString(['app'])).toBe('');
    expect(selectorString(undefined)).toBe('');
  });
});

describe('label', () => {
  test('namespace/name, with the default namespace and an empty name for what has none', () => {
    expect(label(deployment('d', 'team-a', { app: 'd' }))).toBe('team-a/d');
    expect(label({ apiVersion: 'v1', kind: 'Service' })).toBe('default/');
  });
});
