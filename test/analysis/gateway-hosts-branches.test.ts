/**
 * IST0132 VirtualServiceHostNotFoundInGateway (gateway-hosts.ts; virtualservice/gateways.go), branch by
 * branch: the fix when the VirtualService has no host, and server hosts with an empty host part.
 */
import { gateway, server, virtualService } from './objects';
import { checkGatewayHosts } from '../../src/analysis/gateway-hosts';
import { ObjectIndex } from '../../src/analysis/model';
import { helpful } from '../support/findings';

const rows = (objects: any[]) => helpful(checkGatewayHosts(new ObjectIndex(objects)))
  .map(f => [f.index, f.rule, f.code, f.severity, f.field, f.value, f.message, f.fix]);
const gw = (hosts: string[]) => gateway('gw', 'istio-system', { selector: { istio: 'egressgateway' }, servers: [server(80, hosts)] });

describe('IST0132, odd inputs', () => {
  test('a VirtualService without hosts (the webhook rejects it) gets a fix with a placeholder', () => {
    const vs = virtualService('vs', 'default', { gateways: ['istio-system/gw'], http: [{ route: [{ destination: { host: 'api.example.com' } }] }] });
    expect(rows([gw(['team-a/api.example.com']), vs])).toEqual([[1, 'IST0132', 'IST0132', 'warning', 'spec.gateways[0]', 'istio-system/gw',
      'one or more host [] defined in VirtualService default/vs not found in Gateway istio-system/gw.',
      'the Gateway\'s servers declare no host for namespace default: add "default/<host>" (or "*/<host>") to the Gateway\'s server hosts']]);
  });

  test('a server host with an empty host part matches nothing', () => {
    const vs = virtualService('vs', 'default', { hosts: ['api.example.com'], gateways: ['istio-system/gw'], http: [{ route: [{ destination: { host: 'api.example.com' } }] }] });
    expect(rows([gw(['default/']), vs]).map(r => r[7])).toEqual([
      'route a host the Gateway serves here (), or add the VirtualService\'s host to the Gateway\'s servers',
    ]);
  });
});
