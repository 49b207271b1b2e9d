/**
 * What the VirtualService route kinds share, in full (rule, severity, field, value, message, fix):
 * gateway names (validateGatewayNames), destination subnets (agent.ValidateIPSubnet), route
 * destinations and their weights (validateRouteDestinations, validateHTTPRouteDestinations), and our
 * VSR1 (a match gateway the top-level list does not bind), in Istio 1.30.3's words.
 */
import { checkVirtualService } from '../../src/rules/virtual-service';
import { FindingRow, findingRows } from '../support/findings';

const vs = (spec: Record<string, unknown>, namespace = 'shop') => ({
  apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'r', namespace }, spec: { hosts: ['api.example.com'], ...spec },
});
const route = [{ destination: { host: 'api.example.com' } }];
const tcpMatch = (match: Record<string, unknown>) => ({ tcp: [{ match: [match], route }] });

type Row = FindingRow;
const findings = (object: unknown): Row[] => findingRows(checkVirtualService(object as any));

const GATEWAY_FIX = 'use `namespace/name` or `mesh`';
const vsr1 = (field: string, name: string): Row => ['VSR1', 'error', field, name,
  `the rule matches gateway "${name}", which spec.gateways does not bind, so the rule never applies`,
  `add "${name}" to spec.gateways, or spell it exactly as it appears there`];

describe('gateway names (VS2, VS3)', () => {
  test('a name that is no string', () => {
    expect(findings(vs({ gateways: [7], http: [{ route }] }))).toEqual([['VS2', 'error', 'spec.gateways[0]', 7, 'gateway name must be a string', GATEWAY_FIX]]);
    // In a match, only VS3: VSR1 does not judge what is no name.
    expect(findings(vs(tcpMatch({ gateways: [7] })))).toEqual([['VS3', 'error', 'spec.tcp[0].match[0].gateways[0]', 7, 'gateway name must be a string', GATEWAY_FIX]]);
  });

  test('a short name is checked as an FQDN', () => {
    expect(findings(vs({ gateways: ['in_gress'], http: [{ route }] }))).toEqual([
      ['VS2', 'error', 'spec.gateways[0]', 'in_gress', 'domain name "in_gress" invalid (label "in_gress" invalid)', GATEWAY_FIX],
    ]);
    expect(findings(vs({ gateways: ['ingress'], http: [{ route }] }))).toEqual([]);
  });
});

describe('VSR1: a match gateway the top-level list does not bind', () => {
  test('a Gateway named `mesh` in a namespace is not the mesh', () => {
    expect(findings(vs(tcpMatch({ gateways: ['shop/mesh'] })))).toEqual([vsr1('spec.tcp[0].match[0].gateways[0]', 'shop/mesh')]);
    expect(findings(vs(tcpMatch({ gateways: ['mesh'] })))).toEqual([]);
  });

  test('`./name` is the VirtualService\'s own namespace when Istio resolves it; the webhook refuses it, and no VSR1 is piled on', () => {
    expect(findings(vs({ gateways: ['./ingress'], ...tcpMatch({ gateways: ['ingress'] }) }))).toEqual([
      ['VS2', 'error', 'spec.gateways[0]', './ingress', 'invalid value for namespace: "."', 'use the Gateway\'s namespace name (`*` and `.` are not allowed here)'],
    ]);
  });

  test('a legacy `name.namespace` name resolves to `namespace/name`, also with a domain after it', () => {
    const legacy = (name: string) => findings(vs({ gateways: ['edge/ingress'], ...tcpMatch({ gateways: [name] }) })).filter(r => r[0] === 'VSR1');
    expect(legacy('ingress.edge')).toEqual([]);
    expect(legacy('ingress.edge.svc.cluster.local')).toEqual([]);
    expect(legacy('ingress.other.svc.cluster.local')).toEqual([vsr1('spec.tcp[0].match[0].gateways[0]', 'ingress.other.svc.cluster.local')]);
  });
});

describe('destination subnets (VS20)', () => {
  test('an entry that is no string is no valid IP', () => {
    expect(findings(vs(tcpMatch({ destinationSubnets: [7, '10.0.0.0/8'] })))).toEqual([
      ['VS20', 'error', 'spec.tcp[0].match[0].destinationSubnets[0]', 7, '7 is not a valid IP', 'use an IP address or a CIDR block such as 10.0.0.0/16'],
    ]);
  });
});

describe('route destinations and weights (VS13)', () => {
  const weighted = (...weights: Array<number | undefined>) =>
    vs({ http: [{ route: weights.map((weight, i) => ({ destination: { host: `h${i}.example.com` }, ...(weight === undefined ? {} : { weight }) })) }] });

  test('a negative weight, and weights that add up to 0', () => {
    const object = weighted(-5, 5);
    const routes = (object.spec as unknown as { http: Array<{ route: unknown }> }).http[0].route;
    expect(findings(object)).toEqual([
      ['VS13', 'error', 'spec.http[0].route[0].weight', -5, 'weight -5 < 0', 'use a weight from 0 to 100'],
      ['VS13', 'error', 'spec.http[0].route', routes, 'total destination weight = 0', 'give the destinations weights that add up to 100'],
    ]);
    expect(findings(weighted(0, undefined)).map(r => r[4])).toEqual(['total destination weight = 0']);
    expect(findings(weighted(0, 1))).toEqual([]);
    // One destination may have weight 0 (it gets all the traffic).
    expect(findings(weighted(0))).toEqual([]);
  });

  test('the weights are summed in an int32, as Istio does: 2^32 wraps to 0', () => {
    expect(findings(weighted(2147483647, 2147483647, 2)).map(r => r[4])).toEqual(['total destination weight = 0']);
    expect(findings(weighted(2147483647, 1))).toEqual([]);
  });

  test('a destination is required; a null one is missing', () => {
    expect(findings(vs({ http: [{ route: [{ destination: null }] }] }))).toEqual([
      ['VS13', 'error', 'spec.http[0].route[0].destination', null, 'destination is required', 'give the route a destination host'],
    ]);
  });
});

describe('durations (VS24)', () => {
  test('a null duration is unset; a set one is checked (here by the CRD\'s CEL rule, which runs before the webhook)', () => {
    expect(findings(vs({ http: [{ route, timeout: null, retries: { attempts: 1, perTryTimeout: null } }] }))).toEqual([]);
    expect(findings(vs({ http: [{ route, timeout: '0.5ms' }] }))).toEqual([
      ['VS24', 'error', 'spec.http[0].timeout', '0.5ms', 'must be a valid duration greater than 1ms', 'use a whole number of milliseconds of at least 1ms, e.g. 5s or 250ms'],
    ]);
  });
});

describe('entries that are no message', () => {
  test('a route entry that is no object is VS13 and not read further', () => {
    expect(findings(vs({ tcp: [{ route: ['x'] }] }))).toEqual([['VS13', 'error', 'spec.tcp[0].route[0]', 'x', 'cannot decode x as an object', 'write an object here']]);
  });

  test('an explicit undefined entry (a JavaScript caller) is read as JSON writes it: null, an empty message', () => {
    const asNull = findings(vs({ http: [null] }));
    expect(asNull.map(r => r[4])).toEqual(['HTTP route, redirect or direct_response is required']);
    expect(findings(vs({ http: [undefined] }))).toEqual(asNull);
  });

  test('top-level gateways that are no string are reported (VS2) and bind nothing, without throwing', () => {
    expect(findings(vs({ gateways: [7, 'edge/ingress'], ...tcpMatch({ gateways: ['edge/ingress'] }) }))).toEqual([
      ['VS2', 'error', 'spec.gateways[0]', 7, 'gateway name must be a string', GATEWAY_FIX],
    ]);
  });
});
