/**
 * The DestinationRules a proxy applies (src/analysis/path-lookups.ts pickRules, rulesForHost, MergedRules, RuleIndex), as pilot
 * picks and merges them (PushContext.destinationRule, SidecarScope.DestinationRule, mergeDestinationRule), for the inputs the
 * other tests do not reach: workload selectors in the proxy's own namespace, the root namespace's rules, the merged rules'
 * traffic policy and subsets, and the SNI they set.
 */
import { destinationRule } from './objects';
import { ObjectIndex, label } from '../../src/analysis/model';
import { Proxy, destinationRulesFor } from '../../src/analysis/path-lookups';
import { assertValidIstioObjects } from '../support/crd-validator';

const HOST = 'api.example.com';

const simple = (extra: any = {}) => ({ tls: { mode: 'SIMPLE', ...extra } });
const rulesFor = (objects: any[], proxy: Proxy, hostNamespace: string | undefined, host = HOST) =>
  destinationRulesFor(new ObjectIndex(objects), host, proxy, hostNamespace);
const picked = (objects: any[], proxy: Proxy, hostNamespace: string | undefined, host = HOST) =>
  rulesFor(objects, proxy, hostNamespace, host).rules.map(dr => label(dr.object));

describe('DestinationRules of the proxy\'s own namespace with a workloadSelector', () => {
  const objects = [
    destinationRule('all', 'team-a', { host: HOST, trafficPolicy: simple() }),
    destinationRule('gw', 'team-a', { host: HOST, workloadSelector: { matchLabels: { app: 'egress' } }, trafficPolicy: simple() }),
  ];

  test('a rule that selects the proxy\'s pods is the one it applies, not the namespace-wide one', () => {
    assertValidIstioObjects(objects);

    expect(picked(objects, { namespace: 'team-a', labels: { app: 'egress' } }, 'team-a')).toEqual(['team-a/gw']);
  });

  test('a rule that selects other pods is not applied: only the rules without a selector are', () => {
    assertValidIstioObjects(objects);

    expect(picked(objects, { namespace: 'team-a', labels: { app: 'other' } }, 'team-a')).toEqual(['team-a/all']);
    expect(picked(objects, { namespace: 'team-a' }, 'team-a')).toEqual(['team-a/all']);
    expect(picked([objects[1]], { namespace: 'team-a', labels: { app: 'other' } }, 'team-a')).toEqual([]);
  });
});

describe('DestinationRules exported by other namespaces', () => {
  test('the host\'s namespace has no rule for the host: the root namespace\'s rule applies', () => {
    const objects = [
      destinationRule('root', 'istio-system', { host: HOST, trafficPolicy: simple() }),
      destinationRule('other-host', 'team-b', { host: 'other.example.com', trafficPolicy: simple() }),
    ];
    assertValidIstioObjects(objects);

    expect(picked(objects, { namespace: 'team-a' }, 'team-b')).toEqual(['istio-system/root']);
    expect(picked(objects, { namespace: 'team-a' }, undefined)).toEqual(['istio-system/root']);
  });

  test('the host\'s namespace has a rule exported to the proxy: it applies, before the root namespace\'s', () => {
    const objects = [
      destinationRule('root', 'istio-system', { host: HOST, trafficPolicy: simple() }),
      destinationRule('owner', 'team-b', { host: HOST, trafficPolicy: simple() }),
    ];
    assertValidIstioObjects(objects);

    expect(picked(objects, { namespace: 'team-a' }, 'team-b')).toEqual(['team-b/owner']);
  });

  test('a host of no known namespace: only the root namespace is looked at, not a namespace named "undefined"', () => {
    const objects = [destinationRule('odd', 'undefined', { host: HOST, trafficPolicy: simple() })];
    assertValidIstioObjects(objects);

    expect(picked(objects, { namespace: 'team-a' }, undefined)).toEqual([]);
    expect(picked(objects, { namespace: 'team-a' }, 'undefined')).toEqual(['undefined/odd']);
  });
});

describe('rules of one namespace merged', () => {
  const subsetsOnly = destinationRule('subsets', 'team-a', { host: HOST, subsets: [{ name: 'v1', labels: { version: 'v1' } }] });
  const withPolicy = destinationRule('policy', 'team-a', {
    host: HOST, trafficPolicy: simple({ sni: 'policy.example.com' }), subsets: [{ name: 'v1', labels: { version: 'other' } }, { name: 'v2', labels: { version: 'v2' } }],
  });
  const proxy = { namespace: 'team-a' };

  test('the traffic policy that counts is the first rule\'s that has one, not merely the first rule', () => {
    assertValidIstioObjects([subsetsOnly, withPolicy]);
    const rules = rulesFor([subsetsOnly, withPolicy], proxy, 'team-a');

    expect(rules.rules.map(dr => label(dr.object))).toEqual(['team-a/subsets', 'team-a/policy']);
    expect(label(rules.policyRule!.object)).toBe('team-a/policy');
    // Asked twice: the same answer.
    expect(label(rules.policyRule!.object)).toBe('team-a/policy');
  });

  test('no rule with a traffic policy: no policy rule; the hop uses the first rule', () => {
    assertValidIstioObjects([subsetsOnly]);
    const rules = rulesFor([subsetsOnly], proxy, 'team-a');

    expect(rules.policyRule).toBeUndefined();
    expect(label(rules.ruleFor()!.object)).toBe('team-a/subsets');
    expect(rules.tls(443)).toBeUndefined();
  });

  test('the rule a hop uses: the one defining its subset, else the one with the traffic policy', () => {
    const rules = rulesFor([subsetsOnly, withPolicy], proxy, 'team-a');

    expect(label(rules.ruleFor()!.object)).toBe('team-a/policy');
    expect(label(rules.ruleFor('v1')!.object)).toBe('team-a/subsets');
    expect(label(rules.ruleFor('v2')!.object)).toBe('team-a/policy');
    expect(label(rules.ruleFor('none')!.object)).toBe('team-a/policy');
  });

  test('a subset both rules define is the first one\'s; a later rule adds the subsets the first lacks', () => {
    const rules = rulesFor([subsetsOnly, withPolicy], proxy, 'team-a');

    expect(rules.subset('v1')).toMatchObject({ at: 0, dr: { index: 0 } });
    expect(rules.subset('v2')).toMatchObject({ at: 1, dr: { index: 1 } });
    expect(rules.subset('none')).toBeUndefined();
  });

  test('subset entries that are no objects (deliberately malformed) are passed over', () => {
    const malformed = destinationRule('malformed', 'team-a', { host: HOST, subsets: [null, 7, 'v0', { labels: { a: 'b' } }, { name: 'v1' }] });
    const rules = rulesFor([malformed], proxy, 'team-a');

    expect(rules.subset('v1')).toMatchObject({ at: 4, dr: { index: 0 } });
    expect(rules.subset('v0')).toBeUndefined();
  });

  test('TLS without a subset: the traffic policy\'s, from the rule that has it', () => {
    const rules = rulesFor([subsetsOnly, withPolicy], proxy, 'team-a');

    const tls = rules.tls(443);
    expect(tls).toMatchObject({ mode: 'SIMPLE', sni: 'policy.example.com', field: 'spec.trafficPolicy.tls' });
    expect(label(tls!.destinationRule.object)).toBe('team-a/policy');
    // A subset without a policy of its own: the traffic policy's too.
    expect(rules.tls(443, 'v1')).toMatchObject({ mode: 'SIMPLE', field: 'spec.trafficPolicy.tls' });
  });
});

describe('the SNI a DestinationRule sets', () => {
  const sniOf = (sni: unknown) => rulesFor([destinationRule('dr', 'team-a', { host: HOST, trafficPolicy: simple({ sni }) })], { namespace: 'team-a' }, 'team-a')
    .tls(443)?.sni;

  test('an empty SNI is none; a set one is kept', () => {
    assertValidIstioObjects([destinationRule('dr', 'team-a', { host: HOST, trafficPolicy: simple({ sni: '' }) })]);

    expect(sniOf('')).toBeUndefined();
    expect(sniOf('sni.example.com')).toBe('sni.example.com');
    expect(sniOf(undefined)).toBeUndefined();
  });

  test('an SNI that is no string (deliberately malformed) is none', () => {
    expect(sniOf(7)).toBeUndefined();
    expect(sniOf(true)).toBeUndefined();
  });
});

describe('the rule index: exact hosts by namespace and host, wildcard hosts by namespace', () => {
  test('a host with a `*` at its end only (deliberately malformed; Istio refuses it) is looked up as an exact host', () => {
    const objects = [destinationRule('odd', 'team-a', { host: 'api.*', trafficPolicy: simple() })];

    expect(picked(objects, { namespace: 'team-a' }, 'team-a', 'api.*')).toEqual(['team-a/odd']);
  });

  test('exact and wildcard rules of a namespace together: the exact one for its host, the wildcard one for others', () => {
    const objects = [
      destinationRule('wild', 'team-a', { host: '*.example.com', trafficPolicy: simple() }),
      destinationRule('exact', 'team-a', { host: HOST, trafficPolicy: simple() }),
    ];
    assertValidIstioObjects(objects);

    expect(picked(objects, { namespace: 'team-a' }, 'team-a')).toEqual(['team-a/exact']);
    expect(picked(objects, { namespace: 'team-a' }, 'team-a', 'www.example.com')).toEqual(['team-a/wild']);
    expect(picked(objects, { namespace: 'team-a' }, 'team-a', '*.example.com')).toEqual(['team-a/wild']);
  });
});

describe('rules of another namespace: only those without a workloadSelector, exported to the proxy\'s namespace', () => {
  const root = destinationRule('root', 'istio-system', { host: HOST, trafficPolicy: simple() });
  const proxy = { namespace: 'team-a', labels: { app: 'egress' } };

  test('a rule with a workloadSelector in the host\'s namespace is not applied by a proxy elsewhere, even one it would select', () => {
    const objects = [destinationRule('selecting', 'team-b', { host: HOST, workloadSelector: { matchLabels: { app: 'egress' } }, trafficPolicy: simple() }), root];
    assertValidIstioObjects(objects);

    expect(picked(objects, proxy, 'team-b')).toEqual(['istio-system/root']);
    expect(picked(objects, { namespace: 'team-b', labels: { app: 'egress' } }, 'team-b')).toEqual(['team-b/selecting']);
  });

  test('a rule of the host\'s namespace exported to other namespaces only is not applied', () => {
    const objects = [destinationRule('elsewhere', 'team-b', { host: HOST, exportTo: ['team-c'], trafficPolicy: simple() }), root];
    assertValidIstioObjects(objects);

    expect(picked(objects, proxy, 'team-b')).toEqual(['istio-system/root']);
    expect(picked(objects, { namespace: 'team-c' }, 'team-b')).toEqual(['team-b/elsewhere']);
  });
});
