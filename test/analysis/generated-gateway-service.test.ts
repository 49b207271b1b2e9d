/**
 * The Service Istio's deployment controller makes for a Gateway API Gateway of class istio
 * (`<name>-istio`, with the listeners' ports): routes and VirtualServices that send to it resolve,
 * though the input never holds it, as in Istio's Gateway API egress task.
 */
import { service, serviceEntry, virtualService } from './objects';
import { lintObjects } from '../../src/analysis';
import { ObjectIndex } from '../../src/analysis/model';
import { assertValidIstioObjects } from '../support/crd-validator';

const GW = 'gateway.networking.k8s.io/v1';
const HOST = 'edition.cnn.com';
const gateway = (gatewayClassName: string) => ({
  apiVersion: GW,
  kind: 'Gateway',
  metadata: { name: 'cnn-egress', namespace: 'shop' },
  spec: { gatewayClassName, listeners: [{ name: 'http', hostname: HOST, port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same' } } }] },
});
// Another Service of the namespace: its Services count as known, so a missing one would be reported.
const other = service('web', 'shop', { ports: [{ port: 80, name: 'http' }] });
const entry = serviceEntry('cnn', 'shop', { hosts: [HOST], location: 'MESH_EXTERNAL', resolution: 'DNS', ports: [{ number: 80, name: 'http', protocol: 'HTTP' }] });
const toGateway = (port: number) => ({
  apiVersion: GW,
  kind: 'HTTPRoute',
  metadata: { name: 'to-gateway', namespace: 'shop' },
  spec: { parentRefs: [{ group: 'networking.istio.io', kind: 'ServiceEntry', name: 'cnn' }], rules: [{ backendRefs: [{ name: 'cnn-egress-istio', port }] }] },
});
const fromGateway = {
  apiVersion: GW,
  kind: 'HTTPRoute',
  metadata: { name: 'from-gateway', namespace: 'shop' },
  spec: { parentRefs: [{ name: 'cnn-egress' }], hostnames: [HOST], rules: [{ backendRefs: [{ group: 'networking.istio.io', kind: 'Hostname', name: HOST, port: 80 }] }] },
};
const codes = (objects: any[]) => lintObjects(objects).filter(f => f.severity === 'error').map(f => `${f.code} ${f.field}`);

describe('the Service of a Gateway of class istio', () => {
  test('a route backendRef to <name>-istio on a listener port is accepted; on another port it is not', () => {
    const accepted = [other, entry, gateway('istio'), toGateway(80), fromGateway];
    assertValidIstioObjects(accepted);
    expect(codes(accepted)).toEqual([]);
    // Port 81: the Service lacks it (EGR148), and no listener of the Gateway serves it (EGR132).
    expect(codes([other, entry, gateway('istio'), toGateway(81), fromGateway]))
      .toEqual(['EGR132 spec.rules[0].backendRefs[0]', 'EGR148 spec.rules[0].backendRefs[0].port']);
  });

  test('a Gateway of another class has no such Service: the backendRef is reported missing', () => {
    expect(codes([other, entry, gateway('other-class'), toGateway(80), fromGateway])).toEqual(['EGR148 spec.rules[0].backendRefs[0].name']);
  });

  test('a VirtualService destination <name>-istio.<namespace> resolves; a misspelt one does not', () => {
    const vs = (host: string) => virtualService('cnn', 'shop', { hosts: [HOST], http: [{ route: [{ destination: { host, port: { number: 80 } } }] }] });
    const referenceErrors = (host: string) => lintObjects([other, entry, gateway('istio'), vs(host)])
      .filter(f => f.code === 'IST0101').map(f => f.field);
    expect(referenceErrors('cnn-egress-istio.shop.svc.cluster.local')).toEqual([]);
    expect(referenceErrors('cnn-egres-istio.shop.svc.cluster.local')).toEqual(['spec.http[0].route[0].destination.host']);
  });

  test('it does not make the Gateway\'s namespace one whose Services are all known', () => {
    const index = new ObjectIndex([gateway('istio')]);
    expect(index.service('shop', 'cnn-egress-istio')?.object.spec).toEqual({ ports: [{ port: 80 }] });
    expect(index.resolveHost('elsewhere.shop.svc.cluster.local', 'shop').status).toBe('unknown');
  });
});
