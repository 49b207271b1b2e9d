/** IST0002 for the deprecated fields of our kinds. */
import { found, sidecar, virtualService } from './objects';
import { lintObjects } from '../../src/analysis';
import { assertValidIstioObjects } from '../support/crd-validator';

const withDelay = (delay: any) => virtualService('vs', 'default', {
  hosts: ['api.example.com'], http: [{ fault: { delay: { fixedDelay: '1s', ...delay } }, route: [{ destination: { host: 'api.example.com' } }] }],
});

describe('IST0002 Deprecated', () => {
  test('fault.delay.percentage is accepted', () => {
    const ok = withDelay({ percentage: { value: 10 } });
    expect(found('IST0002', [ok])).toEqual([]);
    assertValidIstioObjects([ok]);
  });

  test('fault.delay.percent is reported', () => {
    expect(found('IST0002', [withDelay({ percent: 10 })])).toEqual([
      '[0] spec.http[0].fault.delay.percent: Deprecated: HTTPRoute.fault.delay.percent is deprecated; use HTTPRoute.fault.delay.percentage',
    ]);
    expect(found('IST0002', [withDelay({ percent: 0, percentage: { value: 10 } })])).toEqual([]);
  });

  test('a Sidecar\'s egressProxy is reported once, by the Sidecar\'s own rules', () => {
    const proxy = sidecar('s', 'default', { outboundTrafficPolicy: { mode: 'ALLOW_ANY', egressProxy: { host: 'proxy.example.com', port: { number: 3128 } } } });
    expect(lintObjects([proxy]).filter(f => f.code === 'IST0002').map(f => f.message)).toEqual(['Deprecated: OutboundTrafficPolicy.EgressProxy ignored']);
  });
});

describe('IST0002, the finding in full', () => {
  test('a warning with the percent and a fix; a percent that is no number is the schema\'s to refuse', () => {
    const findings = lintObjects([withDelay({ percent: 5 })]).filter(f => f.code === 'IST0002');
    expect(findings.map(f => [f.severity, f.field, f.value, f.fix])).toEqual([['warning', 'spec.http[0].fault.delay.percent', 5, 'write percentage: { value: 5 } instead of percent']]);
    expect(lintObjects([withDelay({ percent: '5' })]).filter(f => f.code === 'IST0002')).toEqual([]);
  });
});
