import { EgressPort, ExternalHost, Resolution } from '../src';
import { appWithChart, oneOfKind, synth, synthError } from './support/synth';
import { goReadsAsNumber, misreadAsNumber, numberLikeStrings } from '../src/synth/yaml-numbers';

describe('strings that Kubernetes reads as numbers', () => {
  test.each([
    ['0o17', true], ['0O17', true], ['0X1F', true], ['0x1f', true], ['0B101', true], ['-0o7', true], ['+0o7', true],
    ['017', true], ['08', true], ['1e5', true], ['1e5_0', true], ['1_000', true], ['.5', true], ['1.5', true],
    ['0o8', false], ['0x', false], ['0b2', false], ['v1', false], ['e5', false], ['1.2.3', false], ['', false], ['-', false], ['.', false],
  ])('Go reads %j as a number: %s', (text, expected) => {
    expect(goReadsAsNumber(text)).toBe(expected);
  });

  test('only the ones cdk8s writes without quotes are misread', () => {
    // cdk8s quotes what YAML 1.1 reads as a number (123, 0x1f, 1e5, 08); Go's own prefixes in other cases it does not.
    expect(['123', '0x1f', '1e5', '08', '1.5', '0b1'].filter(misreadAsNumber)).toEqual([]);
    expect(['0o17', '0X1F', '0B1', '-0o7', '1e5_0'].filter(misreadAsNumber)).toEqual(['0o17', '0X1F', '0B1', '-0o7', '1e5_0']);
  });

  test('values and keys are found anywhere in a manifest, with their paths', () => {
    const findings = numberLikeStrings({ kind: 'ConfigMap', metadata: { name: 'x', labels: { a: '0o1' } }, spec: { list: ['ok', '0X2'], map: { '0B1': 'v' } } });
    expect(findings.map(f => [f.field, f.value])).toEqual([['metadata.labels.a', '0o1'], ['spec.list[1]', '0X2'], ['spec.map.0B1', '0B1']]);
    expect(findings.every(f => f.rule === 'YAML_NUMBER' && f.severity === 'error')).toBe(true);
  });

  test('an endpoint label that Kubernetes would read as a number fails the synth with the path, field, value and fix', () => {
    const { app, chart } = appWithChart('payments');
    new ExternalHost(chart, 'Host', {
      hosts: ['s.example.net'],
      ports: [EgressPort.http2()],
      resolution: Resolution.STATIC,
      endpoints: [{ address: '192.0.2.1', labels: { app: '0o0' } }],
    });
    const message = synthError(app);
    expect(message).toContain('[test/Host] ServiceEntry s-example-net (EGR004): spec.endpoints[0].labels.app = "0o0": cdk8s writes the string "0o0" without quotes');
    expect(message).toContain('Fix: choose a value that does not read as a number in Go');
  });

  test.each([
    ['a label value', (host: ExternalHost) => host.serviceEntry.metadata.addLabel('build', '-0o7'), 'metadata.labels.build = "-0o7"'],
    ['a map key', (host: ExternalHost) => host.serviceEntry.metadata.addAnnotation('0B1', 'x'), 'metadata.annotations.0B1 = "0B1"'],
  ])('%s that is the only string starting like a number still fails the synth', (_, change, expected) => {
    // The synth skips the walk for renderings whose strings all start with a letter: this one does not.
    const { app, chart } = appWithChart('payments');
    const host = new ExternalHost(chart, 'Host', { hosts: ['s.example.net'], ports: [EgressPort.https()] });
    change(host);
    expect(synthError(app)).toContain(`[test/Host] ServiceEntry s-example-net (EGR004): ${expected}`);
  });

  test('numbers that cdk8s quotes stay strings and pass', () => {
    const { app, chart } = appWithChart('payments');
    new ExternalHost(chart, 'Host', {
      hosts: ['s.example.net'],
      ports: [EgressPort.http2()],
      resolution: Resolution.STATIC,
      endpoints: [{ address: '192.0.2.1', labels: { version: '123', build: '0x1f' } }],
    });
    expect(oneOfKind(synth(app), 'ServiceEntry').spec.endpoints[0].labels).toEqual({ version: '123', build: '0x1f' });
  });
});
