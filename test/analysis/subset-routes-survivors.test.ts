/**
 * IST0140 IngressRouteRulesNotAffected (subset-routes.ts), the remaining branches: a route bound to the mesh
 * and a gateway is a gateway's, a subset that is no string splits nothing, and VirtualServices without spec
 * are passed over.
 */
import { virtualService } from './objects';
import { ObjectIndex } from '../../src/analysis/model';
import { checkSubsetRoutes } from '../../src/analysis/subset-routes';
import { assertValidIstioObjects } from '../support/crd-validator';
import { helpful } from '../support/findings';

const HOST = 'api.example.com';
/** The findings as `[index] field = value: message`. */
const rows = (objects: any[]) => helpful(checkSubsetRoutes(new ObjectIndex(objects))).map(f => `[${f.index}] ${f.field} = ${f.value}: ${f.message}`);
const split = (subset: unknown = 'eu') => virtualService('split', 'default', { hosts: [HOST], http: [{ route: [{ destination: { host: HOST, subset } }] }] });
const atGateway = (gateways: string[]) => virtualService('gw-route', 'istio-system', { hosts: [HOST], gateways, http: [{ route: [{ destination: { host: HOST } }] }] });
const FINDING = '[1] spec.http[0].route[0].destination = api.example.com: '
  + 'Subset in virtual service default/split has no effect on ingress gateway istio-system/gw-route requests';

describe('IST0140: which routes are a gateway\'s', () => {
  test('a route bound to the mesh and to a gateway is the gateway\'s too', () => {
    const objects = [split(), atGateway(['mesh', 'istio-system/gw'])];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([FINDING]);
  });
});

describe('IST0140: malformed parts', () => {
  test('a subset that is no string (the schema wants a string) splits nothing', () => {
    expect(rows([split(5), atGateway(['istio-system/gw'])])).toEqual([]);
    expect(rows([split(), atGateway(['istio-system/gw'])])).toEqual([FINDING]);
  });

  test('VirtualServices without spec (the webhook wants hosts) are passed over, on both sides', () => {
    const bare = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'bare', namespace: 'default' } };
    expect(rows([bare])).toEqual([]);
    expect(rows([split(), atGateway(['istio-system/gw']), bare])).toEqual([FINDING]);
  });
});
