/**
 * The helpers every rule shares (finding.ts, codes.ts, kinds.ts, names.ts), tested on their own: the
 * rules' tests reach them only through the findings they shape.
 */
import { basisOf, codeOf, refusedAtSynth, withCode } from '../../src/rules/codes';
import { Finding, FindingCollector, asArray, fieldPath, formatFinding, goEqualFold, isRecord, show } from '../../src/rules/finding';
import { apiVersionOf, isKind, KINDS, kindKeyOf, parseApiVersion } from '../../src/rules/kinds';
import { checkMetadata } from '../../src/rules/metadata';
import { isEveryAddress, namespaceNameProblem, toCidr } from '../../src/rules/names';
import { checkServiceEntry } from '../../src/rules/service-entry';

const finding = (rule: string, severity: 'error' | 'warning', code?: string): Finding => ({ rule, severity, field: 'spec', value: 1, message: 'm', fix: 'f', ...(code ? { code } : {}) });

describe('finding.ts', () => {
  test('show: strings as they are, other values as JSON, and what JSON cannot write by its type', () => {
    expect(show('a"b')).toBe('a"b');
    expect(show({ a: [1] })).toBe('{"a":[1]}');
    expect(show(undefined)).toBe('undefined');
    const cyclic: any = {};
    cyclic.self = cyclic;
    expect(show(cyclic)).toBe('[object Object]');
    expect(show(10n)).toBe('[object BigInt]');
  });

  test('goEqualFold: Go\'s Unicode simple folding against an ASCII word (the long s is an s, the Kelvin sign a k)', () => {
    expect(['host', 'HOST', 'hoſt', 'HOſT'].map(v => goEqualFold(v, 'host'))).toEqual([true, true, true, true]);
    expect(goEqualFold('\u212aey', 'key')).toBe(true);
    expect(['hosts', 'hos', 'h\u00f6st', 'ho\u0073\u0307t'].map(v => goEqualFold(v, 'host'))).toEqual([false, false, false, false]);
  });

  test('a ServiceEntry\'s use-waypoint label "none" in any case is no waypoint (SE27, DYNAMIC_DNS)', () => {
    const entry = (waypoint: string) => ({
      apiVersion: 'networking.istio.io/v1',
      kind: 'ServiceEntry',
      metadata: { name: 'db', namespace: 'shop', labels: { 'istio.io/use-waypoint': waypoint } },
      spec: { hosts: ['*.db.internal'], ports: [{ number: 443, name: 'tls', protocol: 'TLS' }], location: 'MESH_INTERNAL', resolution: 'DYNAMIC_DNS' },
    });
    expect(checkServiceEntry(entry('waypoint')).map(f => f.rule)).toContain('SE27');
    for (const none of ['none', 'NONE', 'nonE']) {
      expect(checkServiceEntry(entry(none)).map(f => f.rule)).not.toContain('SE27');
    }
  });

  test('asArray, isRecord and fieldPath', () => {
    expect(asArray([1])).toEqual([1]);
    expect(asArray({ 0: 1 })).toEqual([]);
    expect([{}, [], null, 'x'].map(isRecord)).toEqual([true, false, false, false]);
    expect(fieldPath(['spec', 'ports', 0, 'name'])).toBe('spec.ports[0].name');
    expect(fieldPath(['spec', '', 'x'])).toBe('spec[""].x');
    expect(fieldPath(['', 'x'])).toBe('[""].x');
  });

  test('formatFinding: field, value, message without its own period, and the fix', () => {
    expect(formatFinding({ ...finding('X', 'error'), message: 'Istio says so.' })).toBe('spec = 1: Istio says so. Fix: f');
    expect(formatFinding({ ...finding('X', 'error'), value: undefined })).toBe('spec: m. Fix: f');
  });

  test('the collector codes webhook errors IST0106 and warnings IST0133, and analyzer findings by their own code', () => {
    const out = new FindingCollector();
    out.error('SE1', 'spec.hosts', [], 'm', 'f');
    out.warning('SE22', 'spec.hosts', [], 'm', 'f');
    out.analyzer('IST0109', 'warning', 'spec', 1, 'm', 'f');
    expect(out.findings.map(f => [f.rule, f.severity, f.code])).toEqual([['SE1', 'error', 'IST0106'], ['SE22', 'warning', 'IST0133'], ['IST0109', 'warning', 'IST0109']]);
  });
});

describe('codes.ts', () => {
  test('a finding\'s code: its own, its rule\'s, an IST or EGR rule id itself, else IST0106 or IST0133 by severity', () => {
    expect(codeOf(finding('SE1', 'error', 'IST0999'))).toBe('IST0999');
    expect(codeOf(finding('UNKNOWN_FIELD', 'error'))).toBe('EGR002');
    expect(codeOf(finding('IST0128', 'warning'))).toBe('IST0128');
    expect(codeOf(finding('EGR999', 'warning'))).toBe('EGR999');
    expect(codeOf(finding('SE1', 'error'))).toBe('IST0106');
    expect(codeOf(finding('SE22', 'warning'))).toBe('IST0133');
    // A rule id named like an Object.prototype member is no own rule.
    expect(codeOf(finding('constructor', 'warning'))).toBe('IST0133');
    expect(withCode(finding('SE1', 'error')).code).toBe('IST0106');
    const coded = finding('SE1', 'error', 'IST0106');
    expect(withCode(coded)).toBe(coded);
  });

  test('why a finding matters, by its code', () => {
    expect(basisOf(finding('SE1', 'error'))).toBe('rejected');
    expect(basisOf(finding('SE22', 'warning'))).toBe('istio-warning');
    expect(basisOf(finding('GATEWAY_LOOP', 'error'))).toBe('ineffective');
    expect(basisOf(finding('UNVERIFIED_TLS', 'warning'))).toBe('weakens');
    expect(basisOf(finding('UNKNOWN_FIELD', 'error'))).toBe('rejected');
    expect(basisOf(finding('IST0128', 'warning'))).toBe('analyzer');
  });

  test('what fails the synth of the library\'s own objects: every error, and the warnings against the secure defaults', () => {
    expect(refusedAtSynth(finding('SE1', 'error'))).toBe(true);
    expect(refusedAtSynth(finding('SE22', 'warning'))).toBe(false);
    expect(['UNVERIFIED_TLS', 'TCP_ANY_ADDRESS', 'EXPORT_EVERYWHERE', 'GATEWAY_ANY_POD', 'NETPOL_ANY_ADDRESS', 'ALLOW_ANY']
      .map(rule => refusedAtSynth(finding(rule, 'warning')))).toEqual([true, true, true, true, true, true]);
    expect(refusedAtSynth(finding('STATIC_NO_ENDPOINTS', 'warning'))).toBe(false);
  });
});

describe('kinds.ts', () => {
  test('apiVersion into group and version; the core group is empty', () => {
    expect(parseApiVersion('networking.istio.io/v1')).toEqual({ group: 'networking.istio.io', version: 'v1' });
    expect(parseApiVersion('v1')).toEqual({ group: '', version: 'v1' });
    expect(parseApiVersion('')).toBeUndefined();
    expect(parseApiVersion(1)).toBeUndefined();
  });

  test('an object\'s kind is found by kind and group, any version; anything else is no kind of the registry', () => {
    expect(kindKeyOf({ apiVersion: 'networking.istio.io/v1beta1', kind: 'ServiceEntry' })).toBe('serviceEntry');
    expect(kindKeyOf({ apiVersion: 'v1', kind: 'Service' })).toBe('service');
    expect(kindKeyOf({ apiVersion: 'example.io/v1', kind: 'ServiceEntry' })).toBeUndefined();
    expect(kindKeyOf({ apiVersion: '', kind: 'ServiceEntry' })).toBeUndefined();
    expect(kindKeyOf({ kind: 'ServiceEntry' })).toBeUndefined();
    expect(kindKeyOf({ apiVersion: 'v1', kind: 'Nothing' })).toBeUndefined();
    expect(kindKeyOf({ apiVersion: 'v1', kind: 1 } as any)).toBeUndefined();
    expect(kindKeyOf(null as any)).toBeUndefined();
    expect(isKind({ apiVersion: 'networking.istio.io/v1', kind: 'Gateway' }, 'gateway')).toBe(true);
    expect(isKind({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway' }, 'gateway')).toBe(false);
    expect(apiVersionOf(KINDS.service, 'v1')).toBe('v1');
    expect(apiVersionOf(KINDS.serviceEntry, 'v1')).toBe('networking.istio.io/v1');
  });
});

describe('names.ts helpers the constructs and the analysis use', () => {
  test('a namespace name, and the library\'s message for one that is not', () => {
    expect(namespaceNameProblem('namespace', 'shop')).toBeUndefined();
    expect(namespaceNameProblem('namespace', 'Shop')).toBe('namespace = "Shop": not a Kubernetes namespace name. Fix: use lower-case letters, digits and dashes, at most 63 characters.');
  });

  test('an address as a block, and blocks of every address', () => {
    expect(toCidr('10.0.0.1')).toBe('10.0.0.1/32');
    expect(toCidr('2001:db8::1')).toBe('2001:db8::1/128');
    expect(toCidr('10.0.0.0/8')).toBe('10.0.0.0/8');
    expect(['0.0.0.0/0', '::/0', '0.0.0.0', '10.0.0.0/0', '0.0.0.0/1', 'x/0', 1].map(isEveryAddress)).toEqual([true, true, false, true, false, false, false]);
  });
});

describe('metadata.ts: the dry-run annotation', () => {
  const DRY_RUN = 'istio.io/dry-run';
  const policy = (action: unknown) => ({ apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'p', namespace: 'shop', annotations: { [DRY_RUN]: 'true' } }, spec: { action } });
  const rules = (object: any) => checkMetadata(object).map(f => f.rule);

  test('ALLOW (also by default) and DENY may be dry-run; AUDIT and CUSTOM may not; an unknown action is refused on its own', () => {
    expect(rules(policy('ALLOW'))).toEqual([]);
    expect(rules(policy(undefined))).toEqual([]);
    expect(rules(policy(null))).toEqual([]);
    expect(rules(policy('DENY'))).toEqual([]);
    expect(rules(policy('AUDIT'))).toEqual(['META3']);
    expect(rules(policy('CUSTOM'))).toEqual(['META3']);
    expect(rules(policy('LOG'))).toEqual([]);
  });
});
