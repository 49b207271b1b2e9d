/**
 * checkEgressIntent called directly, HIDDEN_HOST (EGR109): which Sidecar imports are judged (namespaces `*` and `~`,
 * empty, wildcard and Kubernetes Service hosts, entries without `/`), Sidecars without spec, every hidden entry named
 * in the fix; for gateway policies, wildcard SNI values, rules and sources that are no objects, principals that only
 * contain a namespace, and a host one of whose entries is exported to the namespace.
 */
import { EGRESS_PODS, TLS_443 } from './egress-intent-fixtures';
import { policy, serviceEntry, sidecar } from './objects';
import { checkEgressIntent } from '../../src/analysis/egress-intent';
import { ObjectIndex } from '../../src/analysis/model';
import { ObjectFinding } from '../../src/analysis/object-finding';
import { assertValidIstioObjects } from '../support/crd-validator';
import { helpful } from '../support/findings';

/** The HIDDEN_HOST findings, in full. */
function hidden(objects: any[]): ObjectFinding[] {
  return helpful(checkEgressIntent(new ObjectIndex(objects))).filter(f => f.rule === 'HIDDEN_HOST');
}

/** The HIDDEN_HOST findings as `[index, field, value]`. */
function at(objects: any[]): Array<[number, string, unknown]> {
  return hidden(objects).map(f => [f.index, f.field, f.value]);
}

const entry = (exportTo: string[], ns = 'egress', name = 'api', hosts = ['api.example.com']) =>
  serviceEntry(name, ns, { hosts, ports: [TLS_443], resolution: 'DNS', exportTo });

describe('HIDDEN_HOST for Sidecars: which imports are judged', () => {
  const importing = (hosts: unknown[], ns = 'shop') => sidecar('default', ns, { egress: [{ hosts }] });

  test('a hidden concrete import is found (the control for the cases below)', () => {
    const objects = [entry(['.']), importing(['egress/api.example.com'])];
    expect(at(objects)).toEqual([[1, 'spec.egress[0].hosts[0]', 'egress/api.example.com']]);
    assertValidIstioObjects(objects);
  });

  test('a wildcard import is not judged, though the namespace\'s wildcard entry is hidden', () => {
    const objects = [entry(['.'], 'egress', 'wildcard', ['*.example.com']), importing(['egress/*.example.com'])];
    expect(at(objects)).toEqual([]);
    assertValidIstioObjects(objects);
  });

  test('a Kubernetes Service host is not judged, though a hidden ServiceEntry of the namespace defines it', () => {
    const objects = [entry(['.'], 'egress', 'svc', ['api.egress.svc.cluster.local']), importing(['egress/api.egress.svc.cluster.local'])];
    expect(at(objects)).toEqual([]);
    assertValidIstioObjects(objects);
  });

  // Deliberately malformed: `*` and `~` are no namespace names (metadata.namespace is a DNS-1123 label), so no
  // ServiceEntry lives there; an import of `*/host` or `~/host` must still never be read as one of such a namespace.
  test('imports of namespace * and ~ are not read as namespaces, even with entries there', () => {
    expect(at([entry(['.'], '*'), importing(['*/api.example.com'])])).toEqual([]);
    expect(at([entry(['.'], '~'), importing(['~/api.example.com'])])).toEqual([]);
  });

  // Deliberately malformed: the webhook refuses an empty host, and a ServiceEntry host ''.
  test('an import with an empty host is not judged, even with an entry for the empty host', () => {
    expect(at([entry(['.'], 'egress', 'empty', ['']), importing(['egress/'])])).toEqual([]);
  });

  // Deliberately malformed: the webhook wants `namespace/host`, and metadata.namespace cannot hold a dot.
  test('an entry without a slash is not split into a namespace and a host', () => {
    expect(at([entry(['.'], 'a.', 'dotted', ['a.b']), importing(['a.b'])])).toEqual([]);
  });

  test('a Sidecar without spec is skipped', () => {
    const objects = [entry(['.']), { apiVersion: 'networking.istio.io/v1', kind: 'Sidecar', metadata: { name: 'default', namespace: 'shop' } }];
    expect(at(objects)).toEqual([]);
    assertValidIstioObjects(objects);
  });

  test('two hidden entries of the namespace: the fix names both', () => {
    const objects = [entry(['.']), entry(['other'], 'egress', 'api-2'), importing(['egress/api.example.com'])];
    expect(hidden(objects).map(f => f.fix)).toEqual([
      'add "shop" to the exportTo of ServiceEntry egress/api, ServiceEntry egress/api-2 (ExternalHost: exportTo ExportTo.whereUsed(), or add the namespace)',
    ]);
    expect(hidden(objects)[0].message).toContain('but ServiceEntry egress/api, ServiceEntry egress/api-2 is not exported to namespace shop '
      + '(egress/api exportTo ["."], egress/api-2 exportTo ["other"])');
    assertValidIstioObjects(objects);
  });
});

describe('HIDDEN_HOST for gateway policies: what is read', () => {
  const sni = (...values: string[]) => ({ key: 'connection.sni', values });
  const allowRules = (rules: unknown[]) => policy('allow', 'istio-system', { selector: { matchLabels: EGRESS_PODS }, rules });
  const allow = (from: unknown[], when: unknown[] = [sni('api.example.com')]) => allowRules([{ from, when }]);
  const shop = [{ source: { namespaces: ['shop'] } }];

  test('a wildcard SNI value is not judged, though an entry of that wildcard is hidden', () => {
    const objects = [entry(['.'], 'egress', 'wildcard', ['*.example.com']), allow(shop, [sni('*.example.com')])];
    expect(at(objects)).toEqual([]);
    assertValidIstioObjects(objects);
  });

  // Deliberately malformed (rules, from and the identity lists must be objects and strings): skipped, never thrown on.
  test('a rule that is null, and a from without source or null, are skipped', () => {
    expect(at([entry(['.']), allowRules([null, { from: shop, when: [sni('api.example.com')] }])]))
      .toEqual([[1, 'spec.rules[1].from[0].source.namespaces[0]', 'shop']]);
    expect(at([entry(['.']), allow([{}, null, ...shop])])).toEqual([[1, 'spec.rules[0].from[2].source.namespaces[0]', 'shop']]);
  });

  test('a from without source names no namespace', () => {
    const objects = [entry(['.']), allow([{}])];
    expect(at(objects)).toEqual([]);
    assertValidIstioObjects(objects);
  });

  test('namespaces and principals that are no strings name no namespace', () => {
    expect(at([entry(['.']), allow([{ source: { namespaces: [42, ['shop'], 'shop'] } }])]))
      .toEqual([[1, 'spec.rules[0].from[0].source.namespaces[2]', 'shop']]);
    expect(at([entry(['.']), allow([{ source: { principals: [['cluster.local/ns/shop/sa/app']] } }])])).toEqual([]);
  });

  test('a principal with more parts before /ns/ or after the account names no namespace', () => {
    const objects = [entry(['.']), allow([{ source: { principals: ['example.org/cluster.local/ns/shop/sa/app', 'cluster.local/ns/shop/sa/app/x'] } }])];
    expect(at(objects)).toEqual([]);
    assertValidIstioObjects(objects);
  });

  test('a host one of whose entries is exported to the namespace is not hidden', () => {
    const objects = [entry(['.']), entry(['shop'], 'egress', 'api-2'), allow(shop)];
    expect(at(objects)).toEqual([]);
    assertValidIstioObjects(objects);
  });

  test('two hidden entries of the host: message and fix name both', () => {
    const objects = [entry(['.']), entry(['other'], 'billing', 'api'), allow(shop)];
    const found = hidden(objects);
    expect(found.map(f => f.field)).toEqual(['spec.rules[0].from[0].source.namespaces[0]']);
    expect(found[0].message).toBe('rule 0 lets workloads of namespace shop reach api.example.com through the gateway, but ServiceEntry egress/api, '
      + 'ServiceEntry billing/api is not exported to shop: their sidecars do not know the host and never send it to the gateway');
    expect(found[0].fix).toBe('add "shop" to the exportTo of ServiceEntry egress/api, ServiceEntry billing/api '
      + '(ExternalHost: exportTo ExportTo.whereUsed(), or add the namespace)');
    assertValidIstioObjects(objects);
  });
});
