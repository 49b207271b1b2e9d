/**
 * IST0174 and IST0173 (destination-rule-hosts.ts), the host registry (util.InitServiceEntryHostMap and
 * util.GetDestinationHost): which definition a scoped host names where a ServiceEntry and a Service both define it
 * (the Service's exportTo annotation, the DestinationRule's exportTo, a Service before a ServiceEntry of its scope), wildcard hosts
 * (only hosts that start with `*` cover others), and Services without a usable name.
 *
 * Which definition wins shows in IST0173: for the ServiceEntry (DNS, no endpoints) a labelled subset is reported,
 * for the Service (no pods of its namespace known) it is not guessed.
 */
import { destinationRule, service, serviceEntry } from './objects';
import { checkDestinationRuleHosts } from '../../src/analysis/destination-rule-hosts';
import { ObjectIndex } from '../../src/analysis/model';
import { assertValidIstioObjects } from '../support/crd-validator';
import { helpful } from '../support/findings';

const REVIEWS = 'reviews.shop.svc.cluster.local';
const EXPORT_TO = 'networking.istio.io/exportTo';
const ENTRY_FIX = 'give the ServiceEntry endpoints with these labels, or drop the labels from the subset';
const SUBSET_MESSAGE = 'The Subset v2 defined in the DestinationRule does not select any pods. Which may lead to 503 UH (NoHealthyUpstream).';

/** Service reviews of namespace shop, with the exportTo annotation when given. */
const reviews = (annotation?: string) => service('reviews', 'shop', { selector: { app: 'reviews' }, ports: [{ port: 80, name: 'http' }] },
  annotation === undefined ? {} : { annotations: { [EXPORT_TO]: annotation } });
/** A ServiceEntry of namespace egress for `host`, exported to `exportTo`. */
const entry = (host: string, exportTo?: string[], extra: Record<string, unknown> = {}) => serviceEntry('ext', 'egress', {
  hosts: [host], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'DNS', ...(exportTo ? { exportTo } : {}), ...extra,
});
/** A DestinationRule of namespace web for `host` with a labelled subset v2. */
const rule = (host = REVIEWS, exportTo?: string[]) => destinationRule('reviews', 'web', {
  host, ...(exportTo ? { exportTo } : {}), subsets: [{ name: 'v2', labels: { version: 'v2' } }],
});
const findings = (objects: any[], code: string) => helpful(checkDestinationRuleHosts(new ObjectIndex(objects))).filter(f => f.rule === code);
/** What the DestinationRule's host resolved to, read off IST0173: the ServiceEntry (reported) or the Service (not judged). */
const definedBy = (objects: any[]) => {
  const subset = findings(objects, 'IST0173');
  expect(findings(objects, 'IST0174')).toEqual([]);
  return subset.length === 0 ? 'service' : subset.map(f => `${f.field}: ${f.fix}`).join('; ');
};
const ENTRY = `spec.subsets[0].labels: ${ENTRY_FIX}`;

describe('IST0173 of a ServiceEntry host', () => {
  test('the finding names the subset and tells to give the ServiceEntry endpoints with the labels', () => {
    const objects = [entry('api.example.com'), rule('api.example.com')];
    assertValidIstioObjects(objects);
    expect(findings(objects, 'IST0173').map(f => [f.index, f.severity, f.field, f.value, f.message, f.fix])).toEqual([
      [1, 'error', 'spec.subsets[0].labels', { version: 'v2' }, SUBSET_MESSAGE, ENTRY_FIX],
    ]);
  });
});

describe('a host defined by a ServiceEntry and a Service: the definition the DestinationRule sees', () => {
  test('a Service exported everywhere is seen before a ServiceEntry exported to the rule\'s namespace only', () => {
    const objects = [entry(REVIEWS, ['web']), reviews(), rule()];
    assertValidIstioObjects(objects);
    expect(definedBy(objects)).toBe('service');
    // Without the Service, the ServiceEntry defines the host.
    expect(definedBy([entry(REVIEWS, ['web']), rule()])).toBe(ENTRY);
  });

  // util.InitServiceEntryHostMap writes the Services after the ServiceEntries into one map: the Service's write stands.
  test('in one scope, the Service defines the host, whatever the order of the objects', () => {
    const objects = [reviews(), entry(REVIEWS), rule()];
    assertValidIstioObjects(objects);
    expect(definedBy(objects)).toBe('service');
    expect(definedBy([entry(REVIEWS), reviews(), rule()])).toBe('service');
  });

  test('a Service in another scope than the ServiceEntry leaves the entry its own', () => {
    const objects = [entry(REVIEWS), reviews('other'), rule()];
    assertValidIstioObjects(objects);
    expect(definedBy(objects)).toBe(ENTRY);
  });

  test('a Service exported by annotation to its own namespace is not seen from another one; an empty annotation exports everywhere', () => {
    const local = [entry(REVIEWS, ['web']), reviews('.'), rule()];
    assertValidIstioObjects(local);
    expect(definedBy(local)).toBe(ENTRY);
    expect(definedBy([entry(REVIEWS, ['web']), reviews(''), rule()])).toBe('service');
    expect(definedBy([entry(REVIEWS, ['web']), reviews('*'), rule()])).toBe('service');
  });

  test('the annotation\'s namespaces are read comma-separated, trimmed, with . as the Service\'s namespace', () => {
    // The rule (in web) is exported to shop first, then to its own namespace: a Service seen in shop wins over the entry seen in web.
    const seen = (annotation: string) => definedBy([entry(REVIEWS, ['web']), reviews(annotation), rule(REVIEWS, ['shop', '.'])]);
    expect(seen('shop')).toBe('service');
    expect(seen('.')).toBe('service');
    expect(seen('web, *')).toBe('service');
    expect(seen('other')).toBe(ENTRY);
    expect(seen('other, shop')).toBe('service');
    assertValidIstioObjects([entry(REVIEWS, ['web']), reviews('web, *'), rule(REVIEWS, ['shop', '.'])]);
  });

  test('the rule\'s exportTo names the namespaces it looks in, besides everywhere: not its own unless listed', () => {
    const API = 'api.example.com';
    const objects = [entry(API, ['shop']), rule(API, ['shop'])];
    assertValidIstioObjects(objects);
    expect(definedBy(objects)).toBe(ENTRY);
    expect(findings([entry(API, ['web']), rule(API, ['shop'])], 'IST0174').map(f => [f.index, f.field, f.value])).toEqual([[1, 'spec.host', API]]);
  });
});

describe('wildcard hosts', () => {
  test('a host without wildcard covers no other name that ends like it', () => {
    const objects = [entry('api.example.com'), rule('bapi.example.com')];
    assertValidIstioObjects(objects);
    expect(findings(objects, 'IST0174').map(f => [f.index, f.field, f.value])).toEqual([[1, 'spec.host', 'bapi.example.com']]);
  });

  test('a partial wildcard (*example.com) covers the name it ends with itself', () => {
    const objects = [entry('*example.com', undefined, { resolution: 'NONE' }), rule('example.com')];
    assertValidIstioObjects(objects);
    expect(findings(objects, 'IST0174')).toEqual([]);
    expect(findings([entry('*example.com', undefined, { resolution: 'NONE' }), rule('ample.com')], 'IST0174')).toHaveLength(1);
  });

  test('the wildcard of the rule\'s host is dropped before it is compared (a ** host, refused by the webhook, covers nothing)', () => {
    // Istio: TrimPrefix(host, "*") against TrimPrefix(seHost, "*") (util.GetDestinationHost); "**" is no wildcard label.
    expect(findings([entry('**.example.com', undefined, { resolution: 'NONE' }), rule('*.example.com')], 'IST0174')).toHaveLength(1);
  });
});

describe('Services without a usable name define no host', () => {
  test('a Service whose name is no string is passed over; its namespace still counts as known', () => {
    const named5 = { apiVersion: 'v1', kind: 'Service', metadata: { name: 5, namespace: 'shop' }, spec: { ports: [{ port: 80 }] } };
    expect(findings([named5, rule('5.shop.svc.cluster.local')], 'IST0174').map(f => [f.index, f.field, f.value])).toEqual([
      [1, 'spec.host', '5.shop.svc.cluster.local'],
    ]);
    const nameless = { apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'shop' }, spec: { ports: [{ port: 80 }] } };
    expect(findings([nameless, rule('undefined.shop.svc.cluster.local')], 'IST0174')).toHaveLength(1);
  });

  test('a Service without metadata is passed over', () => {
    const bare = { apiVersion: 'v1', kind: 'Service', spec: { ports: [{ port: 80 }] } };
    expect(findings([bare, rule('api.example.com')], 'IST0174').map(f => f.value)).toEqual(['api.example.com']);
  });
});
