/**
 * Label syntax and selector labels are one rule each (src/rules/labels.ts), whichever kind carries the labels:
 * the same bad label gets the same message, field shape and fix in every kind.
 */
import { checkObject } from '../../src/rules';
import { FindingCollector } from '../../src/rules/finding';
import { checkSelectorLabels, labelProblems } from '../../src/rules/labels';
import { assertValidIstioObjects } from '../support/crd-validator';

const LABEL_FIX = 'use Kubernetes label syntax: [prefix/]name of letters, digits, `-`, `_` and `.`, starting and ending alphanumeric';
const meta = { name: 'x', namespace: 'shop' };
const rows = (object: unknown) => checkObject(object as any).map(f => [f.rule, f.field, f.value, f.message, f.fix]);

/** Four kinds that carry a label map, each with `labels` in the place it reads them. */
function carriers(labels: Record<string, string>) {
  return {
    'DestinationRule subset': {
      object: { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: meta, spec: { host: 'api.example.com', subsets: [{ name: 'v1', labels }] } },
      rule: 'DR4',
      field: 'spec.subsets[0].labels',
    },
    'ServiceEntry endpoint': {
      object: {
        apiVersion: 'networking.istio.io/v1',
        kind: 'ServiceEntry',
        metadata: meta,
        spec: { hosts: ['api.example.com'], ports: [{ number: 443, name: 'tls', protocol: 'TLS' }], resolution: 'STATIC', endpoints: [{ address: '192.0.2.1', labels }] },
      },
      rule: 'SE36',
      field: 'spec.endpoints[0].labels',
    },
    'VirtualService HTTP match': {
      object: { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: meta, spec: { hosts: ['api.example.com'], http: [{ match: [{ sourceLabels: labels }], route: [{ destination: { host: 'api.example.com' } }] }] } },
      rule: 'VS14',
      field: 'spec.http[0].match[0].sourceLabels',
    },
    'VirtualService TCP match': {
      object: { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: meta, spec: { hosts: ['api.example.com'], tcp: [{ match: [{ sourceLabels: labels }], route: [{ destination: { host: 'api.example.com' } }] }] } },
      rule: 'VS20',
      field: 'spec.tcp[0].match[0].sourceLabels',
    },
  };
}

describe('label syntax (labels.Instance.Validate), one rule in every kind', () => {
  test.each(Object.keys(carriers({})))('%s: Kubernetes labels are accepted, and the objects pass the CRD schema', name => {
    const { object } = (carriers({ 'app.kubernetes.io/name': 'checkout', 'version': 'v_1.2', 'empty': '' }) as any)[name];
    expect(rows(object)).toEqual([]);
    assertValidIstioObjects([object]);
  });

  test.each(Object.keys(carriers({})))('%s: a bad key and a bad value give the same findings', name => {
    const { object, rule, field } = (carriers({ 'a/b/c': 'x', 'app': 'check out' }) as any)[name];
    expect(rows(object)).toEqual([
      [rule, `${field}.a/b/c`, 'x', 'invalid tag key: "a/b/c"', LABEL_FIX],
      [rule, `${field}.app`, 'check out', 'invalid tag value: "check out"', LABEL_FIX],
    ]);
  });

  test('the messages quote as Go does, and an empty key is written as [""] in the field', () => {
    expect(labelProblems('tab\tkey', 'v\u00ad')).toEqual(['invalid tag key: "tab\\tkey"', 'invalid tag value: "v\\u00ad"']);
    expect(labelProblems(`${'p'.repeat(254)}/name`, 'v')).toEqual([`invalid tag key: "${'p'.repeat(254)}/name" (DNS prefix is too long)`]);
    expect(labelProblems(`${'p'.repeat(253)}/${'n'.repeat(63)}`, 'v')).toEqual([]);
    expect(labelProblems('n'.repeat(64), 'v')).toEqual([`invalid tag key: "${'n'.repeat(64)}" (name is too long)`]);
    expect(labelProblems('app', 7)).toEqual(['invalid tag value: "7"']);
    const { object, rule, field } = carriers({ '': 'x' })['DestinationRule subset'];
    expect(rows(object)).toEqual([[rule, `${field}[""]`, 'x', 'invalid tag key: ""', LABEL_FIX]]);
  });
});

describe('workload selector labels, one rule for the selectors and the policies', () => {
  test('a Sidecar, a ServiceEntry, a DestinationRule and an AuthorizationPolicy report an empty key and a wildcard alike', () => {
    const labels = { '': 'db', 'app': 'db-*' };
    const kinds: Array<[unknown, string, string, string]> = [
      [{ apiVersion: 'networking.istio.io/v1', kind: 'Sidecar', metadata: meta, spec: { workloadSelector: { labels }, egress: [{ hosts: ['./*'] }] } },
        'spec.workloadSelector.labels', 'SEL1', 'SEL2'],
      [{ apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: meta, spec: { hosts: ['db.example.internal'], ports: [{ number: 5432, name: 'tcp', protocol: 'TCP' }], resolution: 'STATIC', workloadSelector: { labels } } },
        'spec.workloadSelector.labels', 'SEL1', 'SEL2'],
      [{ apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: meta, spec: { host: 'db.example.internal', workloadSelector: { matchLabels: labels } } },
        'spec.workloadSelector.matchLabels', 'SEL1', 'SEL2'],
      [{ apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: meta, spec: { selector: { matchLabels: labels } } },
        'spec.selector.matchLabels', 'AP2', 'AP2'],
    ];
    for (const [object, field, emptyKey, wildcard] of kinds) {
      expect(rows(object).filter(r => [emptyKey, wildcard].includes(r[0] as string))).toEqual([
        [emptyKey, field, labels, 'empty key is not supported in selector: "=db"', 'give the label a name, or remove it'],
        [wildcard, `${field}.app`, 'db-*', 'wildcard is not supported in selector: "app=db-*"', 'select pods by exact label values'],
      ]);
    }
  });

  test('plain labels pass; a wildcard in a key is refused too; anything but a map is left to the schema', () => {
    const collect = (labels: unknown) => {
      const out = new FindingCollector();
      checkSelectorLabels(out, labels, 'f');
      return out.findings.map(f => [f.rule, f.field, f.message]);
    };
    expect(collect({ app: 'db', tier: 'data' })).toEqual([]);
    expect(collect({ 'app*': 'db' })).toEqual([['SEL2', 'f.app*', 'wildcard is not supported in selector: "app*=db"']]);
    expect(collect(['app'])).toEqual([]);
    expect(collect(undefined)).toEqual([]);
  });
});
