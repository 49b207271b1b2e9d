/**
 * analyze and lintObjects (src/analysis/index.ts), the cases the other tests leave open: without cluster objects
 * nothing but the objects is indexed (no namespace of the cluster is known, no gateway pod), cluster values that are
 * no objects are left out before the analysis, and holes of a sparse input array are skipped.
 */
import { pod, policy, serviceEntry } from './objects';
import { analyze, lintObjects } from '../../src/analysis/index';
import { assertValidIstioObjects } from '../support/crd-validator';

const GW = 'gateway.networking.k8s.io/v1';
const listeners = [{ name: 'http', port: 80, protocol: 'HTTP' }];
const k8sGateway = { apiVersion: GW, kind: 'Gateway', metadata: { name: 'gw', namespace: 'shop' }, spec: { gatewayClassName: 'istio', listeners } };
/** A route of namespace shop, with a Gateway parent, to a Service of namespace default (a ReferenceGrant there is needed). */
const backendRules = [{ backendRefs: [{ name: 'api', namespace: 'default', port: 80 }] }];
const toDefault = { apiVersion: GW, kind: 'HTTPRoute', metadata: { name: 'api', namespace: 'shop' }, spec: { parentRefs: [{ name: 'gw' }], rules: backendRules } };
const entry = serviceEntry('api', 'shop', {
  hosts: ['api.example.com'], ports: [{ number: 443, name: 'tls', protocol: 'TLS' }], resolution: 'DNS', location: 'MESH_EXTERNAL',
});

describe('without cluster objects, only the objects are known', () => {
  test('no object of namespace default: its ReferenceGrants are unknown, so a backend there is not reported', () => {
    const objects = [k8sGateway, toDefault];
    assertValidIstioObjects(objects);
    expect(analyze(objects).findings.filter(f => f.rule === 'GAPI_REFERENCE_GRANT')).toEqual([]);
    expect(lintObjects(objects).filter(f => f.rule === 'GAPI_REFERENCE_GRANT')).toEqual([]);
  });

  test('no gateway pods given: a selector without matchLabels, in a namespace whose only pod is not in the mesh, matches nothing', () => {
    const objects = [policy('allow-all', 'shop', { selector: {}, action: 'ALLOW', rules: [{}] }), pod('checkout', 'shop', { 'sidecar.istio.io/inject': 'false' })];
    assertValidIstioObjects(objects);
    expect(analyze(objects).findings.map(f => [f.index, f.rule, f.field])).toEqual([[0, 'IST0127', 'spec.selector.matchLabels']]);
    // A gateway pod given is selected by it.
    expect(analyze(objects, { gatewayPods: [{ istio: 'egressgateway' }] }).findings).toEqual([]);
  });
});

describe('lintObjects: cluster values that are no objects are left out', () => {
  test('a string or a number among the cluster objects makes no namespace known, and breaks nothing', () => {
    const objects = [k8sGateway, toDefault];
    const rules = (cluster?: any[]) => lintObjects(objects, cluster ? { cluster } : {}).map(f => `[${f.index}] ${f.rule}`);
    expect(rules(['not an object', 7, null, ['a list']])).toEqual(rules());
    expect(rules(['not an object'])).not.toContain('[1] GAPI_REFERENCE_GRANT');
  });
});

describe('a sparse array of objects', () => {
  test('its holes are skipped, as absent objects, and the findings keep the indices of the input', () => {
    const objects: any[] = [];
    objects[1] = entry;
    objects[2] = { ...entry, metadata: { ...entry.metadata } };
    assertValidIstioObjects([entry]);
    expect(analyze(objects).findings.map(f => [f.index, f.rule])).toEqual([[2, 'DUPLICATE_NAME']]);
    expect(lintObjects(objects).filter(f => f.rule === 'DUPLICATE_NAME' || f.rule === 'UNCHECKABLE').map(f => [f.index, f.rule]))
      .toEqual([[2, 'DUPLICATE_NAME']]);
  });
});
