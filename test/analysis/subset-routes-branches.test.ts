/**
 * IST0140 IngressRouteRulesNotAffected (subset-routes.ts; virtualservice/destinationhosts.go analyzeSubset),
 * branch by branch: route parts that are not routes or destinations are skipped, and an empty subset is no
 * subset (the analyzer tests `GetSubset() != ""`).
 */
import { virtualService } from './objects';
import { ObjectIndex } from '../../src/analysis/model';
import { checkSubsetRoutes } from '../../src/analysis/subset-routes';
import { assertValidIstioObjects } from '../support/crd-validator';
import { helpful } from '../support/findings';

const HOST = 'api.example.com';
const rows = (objects: any[]) => helpful(checkSubsetRoutes(new ObjectIndex(objects)))
  .map(f => [f.index, f.rule, f.code, f.severity, f.field, f.value, f.message, f.fix]);
const split = (http: unknown[]) => virtualService('split', 'default', { hosts: [HOST], http });
const toSubset = { destination: { host: HOST, subset: 'eu' } };
const atGateway = (http: unknown[]) => virtualService('gw-route', 'istio-system', { hosts: [HOST], gateways: ['istio-system/gw'], http });

describe('IST0140 with odd route parts', () => {
  test('parts that are not rules, routes or destinations are skipped; the next ones are still read', () => {
    const objects = [
      split(['not a rule', { route: ['not a route', { destination: 'api' }, { destination: { host: 7, subset: 'eu' } }, toSubset] }]),
      atGateway([null, { route: [null, { destination: null }, { destination: { host: HOST } }] }]),
    ];
    expect(rows(objects)).toEqual([[1, 'IST0140', 'IST0140', 'warning', 'spec.http[1].route[2].destination', HOST,
      'Subset in virtual service default/split has no effect on ingress gateway istio-system/gw-route requests',
      'route the gateway\'s traffic for api.example.com to the subsets as well, if the split is meant for it']]);
  });

  test('an empty subset is no subset: it neither splits nor counts as routing to a subset', () => {
    expect(rows([split([{ route: [{ destination: { host: HOST, subset: '' } }] }]), atGateway([{ route: [{ destination: { host: HOST } }] }])])).toEqual([]);
    expect(rows([split([{ route: [toSubset] }]), atGateway([{ route: [{ destination: { host: HOST, subset: '' } }] }])]).map(r => r[4])).toEqual([
      'spec.http[0].route[0].destination',
    ]);
    const accepted = [split([{ route: [toSubset] }]), atGateway([{ route: [{ destination: { host: HOST, subset: 'eu' } }] }])];
    assertValidIstioObjects(accepted);
    expect(rows(accepted)).toEqual([]);
  });
});
