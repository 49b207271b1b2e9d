/** IST0140: a gateway route without subset for a host another VirtualService splits into subsets. */
import { found, virtualService } from './objects';
import { assertValidIstioObjects } from '../support/crd-validator';

const split = virtualService('split', 'default', {
  hosts: ['api.example.com'],
  http: [{ route: [{ destination: { host: 'api.example.com', subset: 'eu' }, weight: 50 }, { destination: { host: 'api.example.com', subset: 'us' }, weight: 50 }] }],
});
const atGateway = (destination: any, gateways = ['istio-system/gw']) => virtualService('gw-route', 'istio-system', {
  hosts: ['api.example.com'], gateways, http: [{ route: [{ destination }] }],
});

describe('IST0140 IngressRouteRulesNotAffected', () => {
  test('a gateway route to a subset, or for a host nobody splits, is accepted', () => {
    const objects = [split, atGateway({ host: 'api.example.com', subset: 'eu' }), atGateway({ host: 'www.example.com' })];
    expect(found('IST0140', objects)).toEqual([]);
    assertValidIstioObjects(objects);
  });

  test('a gateway route without subset for a split host is reported, once per splitting VirtualService', () => {
    expect(found('IST0140', [split, atGateway({ host: 'api.example.com' })])).toEqual([
      '[1] spec.http[0].route[0].destination: Subset in virtual service default/split has no effect on ingress gateway istio-system/gw-route requests',
    ]);
  });

  test('a route bound only to the mesh is no gateway\'s', () => {
    expect(found('IST0140', [split, atGateway({ host: 'api.example.com' }, ['mesh'])])).toEqual([]);
  });
});
