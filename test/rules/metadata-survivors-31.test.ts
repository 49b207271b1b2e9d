/**
 * checkMetadata (src/rules/metadata.ts) in full: the namespace finding's message and fix, the annotation
 * findings' fields, the Gateway API kinds that Istio's webhook never sees, and checkDryRunAnnotation's
 * message (cfg.Namespace/cfg.Name) and the action it assumes when none is set.
 */
import { checkObject } from '../../src/rules';
import { checkMetadata } from '../../src/rules/metadata';
import { assertValidIstioObjects } from '../support/crd-validator';
import { helpful } from '../support/findings';

const DRY_RUN = 'istio.io/dry-run';
const rows = (findings: ReturnType<typeof checkMetadata>) => helpful(findings).map(f => [f.rule, f.field, f.value, f.message, f.fix]);

test('a namespace that is not a lower-case DNS-1123 label is refused with what to write instead', () => {
  // Deliberately malformed: the API server refuses the upper-case namespace name.
  const sidecar = { apiVersion: 'networking.istio.io/v1', kind: 'Sidecar', metadata: { name: 'default', namespace: 'Shop' }, spec: {} };
  const expected = [['META2', 'metadata.namespace', 'Shop', 'metadata.namespace must be a lower-case DNS-1123 label (letters, digits and dashes)',
    'use a namespace name such as shop']];
  expect(rows(checkMetadata(sidecar))).toEqual(expected);
  expect(rows(checkMetadata(sidecar, false)).map(row => row.slice(1))).toEqual(expected.map(row => row.slice(1)));
});

test('the annotations Istio refuses are reported at the annotation itself', () => {
  const object = {
    apiVersion: 'networking.istio.io/v1',
    kind: 'ServiceEntry',
    metadata: {
      name: 'api',
      namespace: 'shop',
      annotations: { 'internal.istio.io/webhook-always-reject': 'x', 'internal.istio.io/parents': 'y', 'internal.istio.io/parent-namespace': 'z' },
    },
    spec: { hosts: ['api.example.com'], resolution: 'DNS', ports: [{ number: 443, name: 'https', protocol: 'TLS' }] },
  };
  assertValidIstioObjects([object]);
  expect(rows(checkMetadata(object)).map(row => row.slice(0, 4))).toEqual([
    ['META4', 'metadata.annotations.internal.istio.io/webhook-always-reject', 'x', '"internal.istio.io/webhook-always-reject" annotation found, rejecting'],
    ['META4', 'metadata.annotations.internal.istio.io/parent-namespace', 'z', '"internal.istio.io/parent-namespace" annotation found, this may not be set by users'],
    ['META4', 'metadata.annotations.internal.istio.io/parents', 'y', '"internal.istio.io/parents" annotation found, this may not be set by users'],
  ]);
});

test('a Gateway API kind is not checked for Istio\'s annotations: Istio\'s webhook does not see it', () => {
  const route = {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'r', namespace: 'shop', annotations: { 'internal.istio.io/webhook-always-reject': 'x', 'internal.istio.io/parents': 'y', [DRY_RUN]: 'true' } },
    spec: {},
  };
  assertValidIstioObjects([route]);
  expect(checkMetadata(route, false)).toEqual([]);
  expect(checkObject(route as any).filter(f => f.field.startsWith('metadata'))).toEqual([]);
});

test('the dry-run message names the object as namespace/name, empty parts left empty', () => {
  const sidecar = (metadata: object) => ({ apiVersion: 'networking.istio.io/v1', kind: 'Sidecar', metadata: { ...metadata, annotations: { [DRY_RUN]: 'true' } }, spec: {} });
  const message = (object: any) => checkMetadata(object).filter(f => f.rule === 'META3').map(f => f.message);
  const withoutNamespace = sidecar({ name: 'default' });
  assertValidIstioObjects([withoutNamespace]);
  expect(message(withoutNamespace)).toEqual(['/default has unsupported annotation istio.io/dry-run, please remove the annotation']);
  // Deliberately malformed: the API server wants a name (or a generateName).
  expect(message(sidecar({ namespace: 'shop' }))).toEqual(['shop/ has unsupported annotation istio.io/dry-run, please remove the annotation']);
});

test('an AuthorizationPolicy without an action (null is pruned like unset) is an ALLOW policy: its dry-run value must parse as a boolean', () => {
  const policy = (spec: object) => ({ apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'p', namespace: 'shop', annotations: { [DRY_RUN]: 'yes' } }, spec });
  const expected = [['META3', 'metadata.annotations.istio.io/dry-run', 'yes',
    'shop/p has annotation istio.io/dry-run with invalid value (yes): strconv.ParseBool: parsing "yes": invalid syntax',
    'write "true" to only log what the policy would do, or "false" to enforce it']];
  assertValidIstioObjects([policy({})]);
  expect(rows(checkMetadata(policy({})))).toEqual(expected);
  expect(rows(checkMetadata(policy({ action: null })))).toEqual(expected);
});

test('an AuthorizationPolicy with an unknown action gets no dry-run finding: the action is refused on its own', () => {
  // Deliberately malformed: the schema's enum for spec.action refuses LOG.
  const policy = { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'p', namespace: 'shop', annotations: { [DRY_RUN]: 'yes' } }, spec: { action: 'LOG' } };
  expect(checkMetadata(policy)).toEqual([]);
});
