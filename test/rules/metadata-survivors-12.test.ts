/**
 * checkMetadata (src/rules/metadata.ts) on names, namespaces, the internal annotations and the dry-run
 * annotation on an ALLOW policy: the name must be a DNS-1123 subdomain and the namespace a DNS-1123 label
 * (apimachinery ValidateObjectMeta); an unset or empty namespace is no namespace; Istio's webhook refuses
 * its internal annotations (validation.go validateMetadata) and a dry-run value strconv.ParseBool refuses
 * on ALLOW and DENY policies (checkDryRunAnnotation).
 */
import { checkMetadata } from '../../src/rules/metadata';
import { assertValidIstioObjects } from '../support/crd-validator';
import { findingRows } from '../support/findings';

const NAME_MESSAGE = 'metadata.name must be a lower-case DNS-1123 subdomain (letters, digits, dashes and dots)';
const NAME_FIX = 'use a name such as api-example-com';
const NAMESPACE_MESSAGE = 'metadata.namespace must be a lower-case DNS-1123 label (letters, digits and dashes)';
const NAMESPACE_FIX = 'use a namespace name such as shop';

const entry = (metadata: Record<string, unknown>) => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'ServiceEntry',
  metadata,
  spec: { hosts: ['api.example.com'], ports: [{ number: 443, name: 'tls', protocol: 'TLS' }], resolution: 'DNS' },
});

describe('metadata.name', () => {
  test('a valid name in a valid namespace gives no finding', () => {
    const object = entry({ name: 'api.example-com', namespace: 'shop' });
    assertValidIstioObjects([object]);
    expect(checkMetadata(object)).toEqual([]);
  });

  test('a name that is no DNS-1123 subdomain is refused with its message and fix (deliberately malformed)', () => {
    expect(findingRows(checkMetadata(entry({ name: 'Api_Example', namespace: 'shop' })))).toEqual([
      ['META1', 'error', 'metadata.name', 'Api_Example', NAME_MESSAGE, NAME_FIX],
    ]);
  });

  test('a missing name is refused, not a crash (deliberately malformed)', () => {
    expect(findingRows(checkMetadata(entry({ namespace: 'shop' })))).toEqual([
      ['META1', 'error', 'metadata.name', null, NAME_MESSAGE, NAME_FIX],
    ]);
    expect(findingRows(checkMetadata(entry({ name: null, namespace: 'shop' })))).toEqual([
      ['META1', 'error', 'metadata.name', null, NAME_MESSAGE, NAME_FIX],
    ]);
  });
});

describe('metadata.namespace', () => {
  test('a valid namespace, no namespace and an empty namespace give no finding', () => {
    const objects = [entry({ name: 'api', namespace: 'shop' }), entry({ name: 'api' }), entry({ name: 'api', namespace: '' })];
    assertValidIstioObjects(objects);
    for (const object of objects) {
      expect(checkMetadata(object)).toEqual([]);
    }
    expect(checkMetadata(entry({ name: 'api', namespace: null }))).toEqual([]);
  });

  test('a namespace that is no DNS-1123 label is refused with its message and fix (deliberately malformed)', () => {
    expect(findingRows(checkMetadata(entry({ name: 'api', namespace: 'Shop_1' })))).toEqual([
      ['META2', 'error', 'metadata.namespace', 'Shop_1', NAMESPACE_MESSAGE, NAMESPACE_FIX],
    ]);
    expect(findingRows(checkMetadata(entry({ name: 'api', namespace: 'shop.example' })))).toEqual([
      ['META2', 'error', 'metadata.namespace', 'shop.example', NAMESPACE_MESSAGE, NAMESPACE_FIX],
    ]);
  });

  test('a namespace that is no string is refused, even one that reads as a valid name (deliberately malformed)', () => {
    expect(findingRows(checkMetadata(entry({ name: 'api', namespace: ['shop'] })))).toEqual([
      ['META2', 'error', 'metadata.namespace', ['shop'], NAMESPACE_MESSAGE, NAMESPACE_FIX],
    ]);
  });
});

describe('annotations', () => {
  test('each internal annotation is refused on its own (validateMetadata)', () => {
    for (const key of ['internal.istio.io/parent-namespace', 'internal.istio.io/parents']) {
      const object = entry({ name: 'api', namespace: 'shop', annotations: { [key]: 'other' } });
      assertValidIstioObjects([object]);
      expect(findingRows(checkMetadata(object))).toEqual([
        ['META4', 'error', `metadata.annotations.${key}`, 'other', `"${key}" annotation found, this may not be set by users`,
          'remove the annotation: only objects Istio generates itself may carry it'],
      ]);
    }
  });

  test('an ALLOW policy, also by default, and a DENY policy are refused a dry-run value strconv.ParseBool refuses', () => {
    const policy = (action?: string) => ({
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name: 'p', namespace: 'shop', annotations: { 'istio.io/dry-run': 'maybe' } },
      spec: action === undefined ? {} : { action },
    });
    const objects = [policy('ALLOW'), policy(), policy('DENY')];
    assertValidIstioObjects(objects);
    for (const object of objects) {
      expect(findingRows(checkMetadata(object))).toEqual([
        ['META3', 'error', 'metadata.annotations.istio.io/dry-run', 'maybe',
          'shop/p has annotation istio.io/dry-run with invalid value (maybe): strconv.ParseBool: parsing "maybe": invalid syntax',
          'write "true" to only log what the policy would do, or "false" to enforce it'],
      ]);
    }
  });
});
