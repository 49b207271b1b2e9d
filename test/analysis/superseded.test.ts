/**
 * Istio warnings that a finding of the library's own covers (superseded.ts): UNVERIFIED_TLS covers
 * IST0128/IST0129 at its tls block, TCP_ANY_ADDRESS covers the webhook's SE13 at its field and the
 * analyzer's IST0134 at its port; the field is reported once, by the finding that says more.
 */
import { destinationRule, serviceEntry } from './objects';
import { IndexedFinding, lintObjects } from '../../src/analysis';
import { dropSuperseded } from '../../src/analysis/superseded';
import { assertValidIstioObjects } from '../support/crd-validator';

const lines = (findings: IndexedFinding[], rules: string[]) => findings.filter(f => rules.includes(f.rule))
  .map(f => `[${f.index}] ${f.rule} ${f.severity} ${f.field}`);

const TLS_RULES = ['UNVERIFIED_TLS', 'IST0128', 'IST0129'];
const ADDRESS_RULES = ['TCP_ANY_ADDRESS', 'SE13', 'IST0134'];

const origination = (tls: Record<string, unknown>, portLevel = false) => destinationRule('api', 'default', {
  host: 'api.example.com',
  trafficPolicy: portLevel ? { portLevelSettings: [{ port: { number: 443 }, tls }] } : { tls },
});
const anyAddress = (extra: Record<string, unknown> = {}) => serviceEntry('db', 'default', {
  hosts: ['db.example.com'], ports: [{ number: 5432, name: 'tcp', protocol: 'TCP' }], resolution: 'NONE', location: 'MESH_EXTERNAL', ...extra,
});

describe('Istio warnings superseded by the library\'s findings', () => {
  test('origination without caCertificates keeps IST0128 and IST0129 while nothing covers them', () => {
    const objects = [origination({ mode: 'SIMPLE' }), origination({ mode: 'SIMPLE' }, true)];
    expect(lines(lintObjects(objects), TLS_RULES)).toEqual([
      '[0] IST0128 warning spec.trafficPolicy.tls',
      '[1] IST0129 warning spec.trafficPolicy.portLevelSettings[0].tls',
    ]);
    assertValidIstioObjects(objects);
  });

  test('insecureSkipVerify: UNVERIFIED_TLS is said at the tls block instead of IST0128 and IST0129', () => {
    const objects = [origination({ mode: 'SIMPLE', insecureSkipVerify: true }), origination({ mode: 'SIMPLE', insecureSkipVerify: true }, true)];
    const findings = lintObjects(objects);
    expect(lines(findings, TLS_RULES)).toEqual([
      '[0] UNVERIFIED_TLS warning spec.trafficPolicy.tls.insecureSkipVerify',
      '[1] UNVERIFIED_TLS warning spec.trafficPolicy.portLevelSettings[0].tls.insecureSkipVerify',
    ]);
    // Only the object the library's finding is about loses its warning.
    expect(lines(lintObjects([...objects, origination({ mode: 'MUTUAL' })]), ['IST0128'])).toEqual(['[2] IST0128 warning spec.trafficPolicy.tls']);
    assertValidIstioObjects(objects);
  });

  test('a TCP port to any address: TCP_ANY_ADDRESS instead of SE13 and IST0134', () => {
    expect(lines(lintObjects([anyAddress()]), ADDRESS_RULES)).toEqual(['[0] TCP_ANY_ADDRESS warning spec.ports[0].protocol']);
    // With addresses, none of the three.
    const accepted = anyAddress({ addresses: ['192.0.2.10'] });
    expect(lines(lintObjects([accepted]), ADDRESS_RULES)).toEqual([]);
    assertValidIstioObjects([anyAddress(), accepted]);
  });

  test('an error at a covered field is kept; so are warnings of other objects, rules and fields', () => {
    const base = { severity: 'warning' as const, message: 'm', fix: 'f', crossObject: false };
    const own = { ...base, rule: 'TCP_ANY_ADDRESS', index: 0, field: 'spec.ports[1].protocol' };
    const covered = { ...base, rule: 'IST0134', index: 0, field: 'spec.ports[1]' };
    const findings = [
      own,
      covered,
      { ...covered, severity: 'error' as const },
      { ...covered, index: 1 },
      { ...covered, field: 'spec.ports[0]' },
      { ...covered, rule: 'IST0128' },
      { ...base, rule: 'SE13', index: 0, field: 'spec.ports[1].protocol' },
    ];
    expect(dropSuperseded(findings)).toEqual([own, findings[2], findings[3], findings[4], findings[5]]);
    // Nothing of the library's: the same list, untouched.
    const alone = findings.slice(1);
    expect(dropSuperseded(alone)).toBe(alone);
    // A rule id that is an Object.prototype name is no entry of the table.
    expect(dropSuperseded([{ ...own, rule: 'toString' }, covered])).toHaveLength(2);
  });
});

describe('SIDECAR_CREDENTIAL covers IST0128 and IST0129 at its tls block', () => {
  test('a credentialName that sidecars ignore: said once, by SIDECAR_CREDENTIAL', () => {
    const rules = ['SIDECAR_CREDENTIAL', 'IST0128', 'IST0129'];
    const objects = [
      serviceEntry('api', 'default', { hosts: ['api.example.com'], ports: [{ number: 443, name: 'tls', protocol: 'TLS' }], resolution: 'DNS' }),
      origination({ mode: 'SIMPLE', credentialName: 'api-ca' }), origination({ mode: 'SIMPLE', credentialName: 'api-ca' }, true),
    ];
    expect(lines(lintObjects(objects), rules)).toEqual([
      '[1] SIDECAR_CREDENTIAL error spec.trafficPolicy.tls.credentialName',
      '[2] SIDECAR_CREDENTIAL error spec.trafficPolicy.portLevelSettings[0].tls.credentialName',
    ]);
    // Without a credentialName there is no SIDECAR_CREDENTIAL, and IST0128 stays.
    expect(lines(lintObjects([objects[0], origination({ mode: 'SIMPLE' })]), rules)).toEqual(['[1] IST0128 warning spec.trafficPolicy.tls']);
  });
});
