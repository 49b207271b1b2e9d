/**
 * Acknowledging findings (src/synth/acknowledgements.ts, EgressAnalysis.acknowledge): which findings can be
 * acknowledged, on which scopes an acknowledgement counts, and the hint that names the code to acknowledge. The
 * survivors of the constructs' mutation run asked for these cases.
 */
import { Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { EgressAnalysis, EgressClient } from '../src';
import { Finding } from '../src/rules/finding';
import { acknowledgeHint, acknowledgeable, isAcknowledged, isRuleAcknowledged } from '../src/synth/acknowledgements';

const finding = (rule: string, severity: 'error' | 'warning', code?: string): Finding =>
  ({ rule, code, severity, field: 'spec.hosts[0]', message: 'm', fix: 'f' });

function tree() {
  const chart = new Chart(Testing.app(), 'team');
  const host = new Construct(chart, 'Host');
  return { chart, host, leaf: new Construct(host, 'Leaf') };
}

describe('acknowledgeable', () => {
  test('warnings, IST0101 and the library\'s own EGR1xx and EGR2xx findings can be acknowledged', () => {
    expect(acknowledgeable(finding('SE4', 'warning'))).toBe(true);
    expect(acknowledgeable(finding('IST0101', 'error'))).toBe(true);
    expect(acknowledgeable(finding('EGR118', 'error'))).toBe(true);
    expect(acknowledgeable(finding('EGR203', 'error'))).toBe(true);
  });

  test('an error Istio\'s webhook would reject with cannot be', () => {
    expect(acknowledgeable(finding('SE4', 'error'))).toBe(false);
    expect(acknowledgeable(finding('SE4', 'error', 'IST0106'))).toBe(false);
  });
});

describe('acknowledgeHint', () => {
  test('names the rule for a webhook finding (IST0106 and IST0133 cover every webhook rule)', () => {
    expect(acknowledgeHint('team/Host', finding('SE4', 'error'))).toBe('EgressAnalysis.acknowledge(<the construct at team/Host>, \'SE4\', \'<why it is right>\')');
    expect(acknowledgeHint('team/Host', finding('DR9', 'warning'))).toContain(', \'DR9\', ');
  });

  test('names the code for an analyzer finding', () => {
    expect(acknowledgeHint('team/Host', finding('EGR220', 'warning'))).toContain(', \'EGR220\', ');
    expect(acknowledgeHint('team/Host', finding('IST0128', 'warning'))).toContain(', \'IST0128\', ');
  });
});

describe('isAcknowledged', () => {
  test('an acknowledgement on a scope covers the constructs below it, by rule or by code', () => {
    const { chart, host, leaf } = tree();
    EgressAnalysis.acknowledge(host, 'IST0133', 'every webhook warning is fine here');

    expect(isAcknowledged(leaf, finding('SE4', 'warning', 'IST0133'))).toBe(true);
    expect(isAcknowledged(chart, finding('SE4', 'warning', 'IST0133'))).toBe(false);
    expect(isAcknowledged(leaf, finding('SE5', 'warning', 'IST0128'))).toBe(false);
  });

  test('an error that cannot be acknowledged stays, even when its code is acknowledged', () => {
    const { host } = tree();
    EgressAnalysis.acknowledge(host, 'IST0106', 'tried anyway');
    EgressAnalysis.acknowledge(host, 'SE4', 'tried anyway');

    expect(isAcknowledged(host, finding('SE4', 'error', 'IST0106'))).toBe(false);
  });

  test('a finding without a code is matched by its rule only', () => {
    const { host } = tree();
    EgressAnalysis.acknowledge(host, 'SE4', 'fine');

    expect(isAcknowledged(host, finding('SE4', 'warning'))).toBe(true);
    expect(isAcknowledged(host, finding('SE5', 'warning'))).toBe(false);
  });

  test('the library\'s own rule, acknowledged by its code', () => {
    const { host } = tree();
    EgressAnalysis.acknowledge(host, 'EGR203', 'a shared host');

    expect(isRuleAcknowledged(host, 'EXPORT_EVERYWHERE')).toBe(true);
    expect(isRuleAcknowledged(host, 'PORTBYPASS')).toBe(false);
  });
});

describe('EgressAnalysis.acknowledge checks what other languages pass unchecked', () => {
  test.each([
    ['code', undefined, 'a reason'],
    ['code', '', 'a reason'],
    ['reason', 'EGR203', undefined],
    ['reason', 'EGR203', '  '],
  ])('%s missing or blank is refused with the construct path, the field and a fix', (field, code, reason) => {
    const { host } = tree();
    expect(() => EgressAnalysis.acknowledge(host, code as any, reason as any))
      .toThrow(new RegExp(`^\\[team/Host\\] EgressAnalysis.acknowledge: ${field} = .* is not usable\\. Fix: `));
  });
});

describe('EgressClient names', () => {
  test('a namespace that is no namespace name is refused with how to write one', () => {
    expect(EgressClient.inNamespace('Shop')._problems())
      .toEqual(['allowedClients: namespace "Shop" is not a Kubernetes namespace name. Fix: use lower-case letters, digits and dashes, at most 63 characters.']);
  });

  test('a service account that is no object name is refused with how to write one', () => {
    expect(EgressClient.serviceAccount('shop', 'Check_out')._problems())
      .toEqual(['allowedClients: service account "Check_out" is not a Kubernetes object name. Fix: use lower-case letters, digits, dashes and dots, at most 253 characters.']);
  });
});
