/**
 * exportTo as Istio 1.30.3's webhook reads it (validateExportTo, visibility.Instance.Validate), for each
 * rule an accepted and a refused list, on the kinds that have the field.
 */
import { checkObject } from '../../src/rules';
import { assertValidIstioObjects } from '../support/crd-validator';
import { helpful } from '../support/findings';

const NS = 'shop';
const serviceEntry = (exportTo: unknown) => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'ServiceEntry',
  metadata: { name: 'api', namespace: NS },
  spec: { hosts: ['api.example.com'], ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }], resolution: 'DNS', exportTo },
});
const virtualService = (exportTo: unknown) => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'api', namespace: NS },
  spec: { hosts: ['api.example.com'], tls: [{ match: [{ port: 443, sniHosts: ['api.example.com'] }], route: [{ destination: { host: 'api.example.com' } }] }], exportTo },
});
const destinationRule = (exportTo: unknown) => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'DestinationRule',
  metadata: { name: 'api', namespace: NS },
  spec: { host: 'api.example.com', exportTo },
});

const errors = (object: any) => helpful(checkObject(object)).filter(f => f.severity === 'error').map(f => `${f.rule} ${f.field}: ${f.message}`);

describe.each([['ServiceEntry', serviceEntry], ['VirtualService', virtualService], ['DestinationRule', destinationRule]])('%s', (_, make) => {
  test.each([[['.']], [['*']], [['.', 'payments']], [['payments', 'orders']], [['Payments']], [[]]])('exportTo %j is accepted', exportTo => {
    expect(checkObject(make(exportTo))).toEqual([]);
    assertValidIstioObjects([make(exportTo)]);
  });

  test.each([
    ['EXP1: a namespace twice', ['payments', 'payments'], 'EXP1 spec.exportTo[1]: duplicate entries in exportTo for entry payments'],
    // Istio names `.` when it comes second; the own namespace by name after `.` is a plain duplicate.
    ['EXP1: the own namespace by name, then `.`', [NS, '.'], `EXP1 spec.exportTo[1]: duplicate entries in exportTo: . and current namespace ${NS}`],
    ['EXP1: `.`, then the own namespace by name', ['.', NS], `EXP1 spec.exportTo[1]: duplicate entries in exportTo for entry ${NS}`],
    // Istio's DNS-1123 label check allows upper case letters (pkg/config/labels), not underscores.
    ['EXP3: an entry that is no DNS label', ['pay_ments'], 'EXP3 spec.exportTo[0]: only .,*, or a valid DNS 1123 label is allowed as exportTo entry'],
    ['EXP4: `*` beside a namespace', ['*', 'payments'], 'EXP4 spec.exportTo: cannot have both public (*) and non-public exportTo values for a resource'],
  ])('%s is refused', (__, exportTo, finding) => {
    expect(errors(make(exportTo))).toEqual([finding]);
  });
});

describe('`~` (no one)', () => {
  test('a ServiceEntry may be exported to no one: only its own proxies see it', () => {
    expect(checkObject(serviceEntry(['~']))).toEqual([]);
    assertValidIstioObjects([serviceEntry(['~'])]);
  });

  test('EXP5: a ServiceEntry exported to no one and someone is refused', () => {
    expect(errors(serviceEntry(['~', 'payments']))).toEqual(['EXP5 spec.exportTo: cannot export service entry to no one (~) and someone']);
  });

  test.each([['VirtualService', virtualService], ['DestinationRule', destinationRule]])('EXP2: a %s exported to no one is refused', (_, make) => {
    expect(errors(make(['~']))).toEqual(['EXP2 spec.exportTo[0]: exportTo ~ (none) is not allowed for Istio configuration objects']);
  });
});

describe('a manifest without a namespace, as lint reads hand-written files', () => {
  const unplaced = (object: any, namespace?: string) => ({ ...object, metadata: { name: 'api', ...(namespace === undefined ? {} : { namespace }) } });

  test('`.` twice is a duplicate of `.` itself: no namespace is named', () => {
    expect(errors(unplaced(serviceEntry(['.', '.'])))).toEqual(['EXP1 spec.exportTo[1]: duplicate entries in exportTo for entry .']);
    expect(errors(unplaced(serviceEntry(['.', '.']), ''))).toEqual(['EXP1 spec.exportTo[1]: duplicate entries in exportTo for entry .']);
    expect(errors(serviceEntry(['.', '.']))).toEqual([`EXP1 spec.exportTo[1]: duplicate entries in exportTo: . and current namespace ${NS}`]);
    expect(errors(unplaced(serviceEntry(['.', 'payments'])))).toEqual([]);
  });

  // The API server refuses a number in a list of strings; lint says so rather than reading 5 as the label "5".
  test('an entry that is no string is refused', () => {
    expect(errors(serviceEntry([5]))).toEqual(['EXP3 spec.exportTo[0]: only .,*, or a valid DNS 1123 label is allowed as exportTo entry']);
    expect(errors(serviceEntry(['5']))).toEqual([]);
  });

  // DR10: a single other namespace may be the one the rule is applied to, when the manifest does not say; an empty
  // namespace says nothing either.
  test.each([[undefined], ['']])('DR10 with namespace %j: one namespace is accepted, two are too many', namespace => {
    const withSelector = (exportTo: string[]) => unplaced({ ...destinationRule(exportTo), spec: { host: 'api.example.com', workloadSelector: { matchLabels: { app: 'a' } }, exportTo } }, namespace);
    expect(errors(withSelector(['payments']))).toEqual([]);
    expect(errors(withSelector(['payments', 'orders']))).toEqual([
      'DR10 spec.exportTo: destination rule with workload selector cannot have multiple entries in exportTo',
    ]);
  });
});
