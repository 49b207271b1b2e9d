/**
 * checkLabels (src/rules/labels.ts) on a label map that is not there: labels.Instance.Validate ranges over a
 * nil map without an error, so unset labels (a subset without labels) are no finding, and anything but a map
 * is left to the schema.
 */
import { checkObject } from '../../src/rules';
import { FindingCollector } from '../../src/rules/finding';
import { checkLabels } from '../../src/rules/labels';
import { assertValidIstioObjects } from '../support/crd-validator';

const collect = (labels: unknown) => {
  const out = new FindingCollector();
  checkLabels(out, 'DR4', labels, 'spec.subsets[0].labels');
  return out.findings;
};

test('unset labels and anything but a map give no finding', () => {
  expect(collect(undefined)).toEqual([]);
  expect(collect(null)).toEqual([]);
  expect(collect(['bad key'])).toEqual([]);
  expect(collect('bad value')).toEqual([]);
  expect(collect({ 'bad key': 'v' }).map(f => [f.rule, f.field, f.message])).toEqual([
    ['DR4', 'spec.subsets[0].labels.bad key', 'invalid tag key: "bad key"'],
  ]);
});

test('a DestinationRule subset without labels is accepted', () => {
  const object = {
    apiVersion: 'networking.istio.io/v1',
    kind: 'DestinationRule',
    metadata: { name: 'x', namespace: 'shop' },
    spec: { host: 'api.example.com', subsets: [{ name: 'all' }] },
  };
  assertValidIstioObjects([object]);
  expect(checkObject(object as any)).toEqual([]);
});
