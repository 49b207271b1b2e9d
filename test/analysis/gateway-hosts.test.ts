/** IST0132: a VirtualService's hosts against the hosts of the Gateways it is bound to, seen from its namespace. */
import { found, gateway, server, virtualService } from './objects';
import { assertValidIstioObjects } from '../support/crd-validator';

const route = (namespace: string, hosts: string[], gateways: string[]) => virtualService('vs', namespace, {
  hosts, gateways, http: [{ route: [{ destination: { host: hosts[0].replace('*', 'any') } }] }],
});
const gw = (hosts: string[], namespace = 'istio-system') => gateway('gw', namespace, { selector: { istio: 'egressgateway' }, servers: [server(80, hosts)] });

describe('IST0132 VirtualServiceHostNotFoundInGateway', () => {
  test('a route for a host the Gateway serves is accepted', () => {
    const objects = [gw(['api.example.com']), route('default', ['api.example.com'], ['istio-system/gw'])];
    expect(found('IST0132', objects)).toEqual([]);
    assertValidIstioObjects(objects);
  });

  test('a route for a host the Gateway does not serve is reported on the gateway reference', () => {
    expect(found('IST0132', [gw(['api.example.com']), route('default', ['other.example.com', 'www.example.com'], ['mesh', 'istio-system/gw'])])).toEqual([
      '[1] spec.gateways[1]: one or more host [other.example.com www.example.com] defined in VirtualService default/vs not found in Gateway istio-system/gw.',
    ]);
  });

  test('one matching host is enough', () => {
    expect(found('IST0132', [gw(['api.example.com']), route('default', ['other.example.com', 'api.example.com'], ['istio-system/gw'])])).toEqual([]);
  });

  test('ns/host serves only VirtualServices of ns', () => {
    const g = gw(['team-a/api.example.com']);
    expect(found('IST0132', [g, route('team-a', ['api.example.com'], ['istio-system/gw'])])).toEqual([]);
    expect(found('IST0132', [g, route('team-b', ['api.example.com'], ['istio-system/gw'])])).toEqual([
      '[1] spec.gateways[0]: one or more host [api.example.com] defined in VirtualService team-b/vs not found in Gateway istio-system/gw.',
    ]);
  });

  test('./host is the Gateway\'s own namespace', () => {
    const g = gw(['./api.example.com']);
    expect(found('IST0132', [g, route('istio-system', ['api.example.com'], ['gw'])])).toEqual([]);
    expect(found('IST0132', [g, route('default', ['api.example.com'], ['istio-system/gw'])])).toHaveLength(1);
  });

  test('*/host and a plain host serve every namespace; */* serves every host', () => {
    expect(found('IST0132', [gw(['*/api.example.com']), route('team-b', ['api.example.com'], ['istio-system/gw'])])).toEqual([]);
    expect(found('IST0132', [gw(['api.example.com']), route('team-b', ['api.example.com'], ['istio-system/gw'])])).toEqual([]);
    expect(found('IST0132', [gw(['team-a/x.example.com', '*/*']), route('team-b', ['api.example.com'], ['istio-system/gw'])])).toEqual([]);
  });

  test('wildcards match in both directions, but not across domains', () => {
    expect(found('IST0132', [gw(['*.example.com']), route('default', ['api.example.com'], ['istio-system/gw'])])).toEqual([]);
    expect(found('IST0132', [gw(['api.example.com']), route('default', ['*.example.com'], ['istio-system/gw'])])).toEqual([]);
    expect(found('IST0132', [gw(['*.example.com']), route('default', ['api.example.org'], ['istio-system/gw'])])).toHaveLength(1);
  });

  test('a Gateway that is not among the objects is not guessed at (its IST0101 says it)', () => {
    expect(found('IST0132', [route('default', ['api.example.com'], ['istio-system/gw'])])).toEqual([]);
    expect(found('IST0101', [route('default', ['api.example.com'], ['istio-system/gw'])])).toContainEqual(
      expect.stringContaining('Referenced gateway not found: "istio-system/gw"'));
  });

  test('a short gateway name resolves in the VirtualService\'s namespace', () => {
    const objects = [gw(['api.example.com'], 'default'), gw(['other.example.com']), route('default', ['api.example.com'], ['gw'])];
    expect(found('IST0132', objects)).toEqual([]);
  });

  test('a cluster Gateway is checked against too; findings about it are not reported', () => {
    const result = found('IST0132', [route('default', ['other.example.com'], ['istio-system/gw'])], { cluster: [gw(['api.example.com'])] });
    expect(result).toEqual(['[0] spec.gateways[0]: one or more host [other.example.com] defined in VirtualService default/vs not found in Gateway istio-system/gw.']);
  });
});
