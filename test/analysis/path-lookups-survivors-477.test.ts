/**
 * The DestinationRule look-ups (RuleIndex.candidates, visibleLocally, mostSpecific, tlsAt), originatesTls, selects and
 * gatewayTarget of src/analysis/path-lookups.ts, for the inputs that the other tests of the module do not tell apart.
 */
import { deployment, destinationRule, gateway, server, service } from './objects';
import { ObjectIndex, label } from '../../src/analysis/model';
import { destinationRulesFor, gatewayTarget, originatesTls, selects } from '../../src/analysis/path-lookups';
import { assertValidIstioObjects } from '../support/crd-validator';

const GW = 'istio-egressgateway.istio-system.svc.cluster.local';
const HOST = 'api.example.com';

const rulesFor = (objects: any[], host = HOST, proxyNamespace = 'team-a') =>
  destinationRulesFor(new ObjectIndex(objects), host, { namespace: proxyNamespace }, 'team-a');
const picked = (objects: any[], host = HOST, proxyNamespace = 'team-a') => rulesFor(objects, host, proxyNamespace).rules.map(dr => label(dr.object));
const simple = (name: string, host: string, extra: any = {}) => destinationRule(name, 'team-a', { host, trafficPolicy: { tls: { mode: 'SIMPLE' } }, ...extra });

describe('DestinationRules of a namespace for a host', () => {
  test('an exact-host rule the namespace does not see does not hide the wildcard rule beside it', () => {
    const objects = [simple('exact', HOST, { exportTo: ['team-b'] }), simple('wildcard', '*.example.com')];
    assertValidIstioObjects(objects);

    expect(picked(objects)).toEqual(['team-a/wildcard']);
    expect(picked(objects, HOST, 'team-b')).toEqual(['team-a/exact']);
  });

  test('an exact host before a wildcard host of the same length, whichever comes first', () => {
    const objects = [
      destinationRule('wildcard', 'team-a', { host: '*.example.com', trafficPolicy: { tls: { mode: 'MUTUAL' } } }),
      simple('exact', 'a.example.com'),
    ];
    assertValidIstioObjects(objects);

    expect(picked(objects, 'a.example.com')).toEqual(['team-a/exact']);
    expect(rulesFor(objects, 'a.example.com').tls(443)).toMatchObject({ mode: 'SIMPLE', field: 'spec.trafficPolicy.tls' });
  });

  test('exact-host rules interleaved with a wildcard one: the exact ones, merged in input order', () => {
    const objects = [
      destinationRule('first', 'team-a', { host: HOST, subsets: [{ name: 'v1' }] }),
      simple('wildcard', '*.example.com'),
      destinationRule('second', 'team-a', { host: HOST, trafficPolicy: { tls: { mode: 'MUTUAL' } } }),
      simple('third', HOST),
    ];
    assertValidIstioObjects(objects);

    expect(picked(objects)).toEqual(['team-a/first', 'team-a/second', 'team-a/third']);
    expect(rulesFor(objects).tls(443)).toMatchObject({ mode: 'MUTUAL' });
  });

  // Malformed (Istio's webhook refuses an empty exportTo entry): exported to a namespace named '', it is seen nowhere.
  test('exportTo with an empty entry only: the rule\'s own namespace does not apply it', () => {
    expect(picked([simple('nowhere', HOST, { exportTo: [''] })])).toEqual([]);
  });
});

describe('the TLS the rules set for a port', () => {
  test('a subset without a traffic policy: the rule\'s traffic policy', () => {
    const objects = [simple('api', HOST, { subsets: [{ name: 'v1' }] })];
    assertValidIstioObjects(objects);

    expect(rulesFor(objects).tls(443, 'v1')).toMatchObject({ mode: 'SIMPLE', field: 'spec.trafficPolicy.tls' });
  });

  test('a subset whose traffic policy sets no TLS, or TLS without a mode: the rule\'s traffic policy', () => {
    const objects = [simple('api', HOST, {
      subsets: [{ name: 'lb', trafficPolicy: { loadBalancer: { simple: 'ROUND_ROBIN' } } }, { name: 'sni', trafficPolicy: { tls: { sni: 'x.example.com' } } }],
    })];
    assertValidIstioObjects(objects);

    expect(rulesFor(objects).tls(443, 'lb')).toMatchObject({ mode: 'SIMPLE', field: 'spec.trafficPolicy.tls' });
    expect(rulesFor(objects).tls(443, 'sni')).toMatchObject({ mode: 'SIMPLE', field: 'spec.trafficPolicy.tls', sni: undefined });
  });

  test('a traffic policy without TLS sets none', () => {
    const objects = [destinationRule('api', 'team-a', { host: HOST, trafficPolicy: { loadBalancer: { simple: 'ROUND_ROBIN' } } })];
    assertValidIstioObjects(objects);

    expect(rulesFor(objects).tls(443)).toBeUndefined();
  });

  test('the port\'s own setting before the policy\'s, the first port setting included', () => {
    const objects = [destinationRule('api', 'team-a', {
      host: HOST,
      trafficPolicy: {
        tls: { mode: 'DISABLE' },
        portLevelSettings: [{ port: { number: 443 }, tls: { mode: 'SIMPLE' } }, { port: { number: 8443 }, tls: { mode: 'MUTUAL' } }],
      },
    })];
    assertValidIstioObjects(objects);

    expect(rulesFor(objects).tls(443)).toMatchObject({ mode: 'SIMPLE', field: 'spec.trafficPolicy.portLevelSettings[0].tls' });
    expect(rulesFor(objects).tls(8443)).toMatchObject({ mode: 'MUTUAL', field: 'spec.trafficPolicy.portLevelSettings[1].tls' });
    expect(rulesFor(objects).tls(80)).toMatchObject({ mode: 'DISABLE', field: 'spec.trafficPolicy.tls' });
  });

  test('a port setting without TLS, or with TLS without a mode: the policy\'s TLS', () => {
    const withPort = (setting: Record<string, unknown>) =>
      [simple('api', HOST, { trafficPolicy: { tls: { mode: 'SIMPLE' }, portLevelSettings: [{ port: { number: 443 }, ...setting }] } })];
    const objects = [...withPort({ loadBalancer: { simple: 'RANDOM' } }), ...withPort({ tls: { sni: 'x.example.com' } })];
    assertValidIstioObjects(objects);

    expect(rulesFor(withPort({ loadBalancer: { simple: 'RANDOM' } })).tls(443)).toMatchObject({ mode: 'SIMPLE', field: 'spec.trafficPolicy.tls' });
    expect(rulesFor(withPort({ tls: { sni: 'x.example.com' } })).tls(443)).toMatchObject({ mode: 'SIMPLE', field: 'spec.trafficPolicy.tls' });
  });

  // The CRD schema takes a port setting without a port (Istio's webhook refuses it: `portTrafficPolicy must have valid port`).
  test('a port setting without a port applies to no port', () => {
    const objects = [simple('api', HOST, { trafficPolicy: { tls: { mode: 'SIMPLE' }, portLevelSettings: [{ tls: { mode: 'MUTUAL' } }] } })];
    assertValidIstioObjects(objects);

    expect(rulesFor(objects).tls(443)).toMatchObject({ mode: 'SIMPLE', field: 'spec.trafficPolicy.tls' });
  });
});

describe('TLS a proxy originates', () => {
  test('SIMPLE and MUTUAL; not ISTIO_MUTUAL, DISABLE or none', () => {
    expect(originatesTls('SIMPLE')).toBe(true);
    expect(originatesTls('MUTUAL')).toBe(true);
    expect(originatesTls('ISTIO_MUTUAL')).toBe(false);
    expect(originatesTls('DISABLE')).toBe(false);
    expect(originatesTls('')).toBe(false);
    expect(originatesTls(undefined)).toBe(false);
  });
});

describe('selectors', () => {
  test('every label of the selector must be on the pods', () => {
    expect(selects({ matchLabels: { app: 'x', version: 'v1' } }, { app: 'x' })).toBe(false);
    expect(selects({ matchLabels: { app: 'x', version: 'v1' } }, { app: 'x', version: 'v1' })).toBe(true);
  });
});

describe('the Gateways of a gateway Service', () => {
  test('a host that is no Service host leads to no gateway, even one whose name the Gateway selector names', () => {
    const objects = [gateway('api', 'team-a', { selector: { app: 'api', istio: 'api' }, servers: [server(443, [HOST])] })];
    assertValidIstioObjects(objects);

    expect(gatewayTarget(new ObjectIndex(objects), HOST)).toBeUndefined();
  });

  test('pod labels known from the workload: every selector label must be on them', () => {
    const objects = [
      gateway('egress', 'istio-system', { selector: { istio: 'egressgateway', version: 'v2' }, servers: [server(443, [HOST])] }),
      service('istio-egressgateway', 'istio-system', { selector: { istio: 'egressgateway' }, ports: [{ port: 443, name: 'https' }] }),
      deployment('istio-egressgateway', 'istio-system', { istio: 'egressgateway' }, true),
    ];
    assertValidIstioObjects(objects);

    expect(gatewayTarget(new ObjectIndex(objects), GW)).toBeUndefined();
  });

  test('pod labels known only from the Service selector: a selector label they lack does not count against the match', () => {
    const objects = [
      gateway('egress', 'istio-system', { selector: { istio: 'egressgateway', app: 'istio-egressgateway' }, servers: [server(443, [HOST])] }),
      service('istio-egressgateway', 'istio-system', { selector: { istio: 'egressgateway' }, ports: [{ port: 443, name: 'https' }] }),
    ];
    assertValidIstioObjects(objects);

    expect(gatewayTarget(new ObjectIndex(objects), GW)).toMatchObject({ labels: { istio: 'egressgateway' }, labelsFrom: 'service', gateways: [{ index: 0 }] });
  });
});
