/**
 * gateway-api-common.ts, the shared constants: the four route kinds routesOf reads (with the kind and
 * namespace each carries), and the Istio networking group a ServiceEntry parent is named by.
 */
import { serviceEntry } from './objects';
import { analyze } from '../../src/analysis';
import { ISTIO_NETWORKING_GROUP, routesOf } from '../../src/analysis/gateway-api-common';
import { ObjectIndex } from '../../src/analysis/model';
import { assertValidIstioObjects } from '../support/crd-validator';

const GW = 'gateway.networking.k8s.io';

function route(kind: string, version: string, ns: string, parentRefs: unknown[] = [{ name: 'egress' }]) {
  const rules = kind === 'TLSRoute' || kind === 'TCPRoute' ? { rules: [{ backendRefs: [{ name: 'api', port: 443 }] }] } : {};
  return { apiVersion: `${GW}/${version}`, kind, metadata: { name: kind.toLowerCase(), namespace: ns }, spec: { parentRefs, ...rules } };
}

describe('routesOf: every Gateway API route kind Istio reads', () => {
  test('HTTPRoute, GRPCRoute, TLSRoute and TCPRoute are routes, each with its kind and namespace', () => {
    const objects = [
      route('TCPRoute', 'v1alpha2', 'db'),
      route('TLSRoute', 'v1alpha2', 'shop'),
      route('GRPCRoute', 'v1', 'apps'),
      route('HTTPRoute', 'v1', 'web'),
    ];
    assertValidIstioObjects(objects);
    expect(routesOf(new ObjectIndex(objects)).map(r => [r.index, r.kind, r.namespace])).toEqual([
      [3, 'HTTPRoute', 'web'],
      [2, 'GRPCRoute', 'apps'],
      [1, 'TLSRoute', 'shop'],
      [0, 'TCPRoute', 'db'],
    ]);
  });
});

describe('ISTIO_NETWORKING_GROUP: the group of a ServiceEntry parent', () => {
  test('a parentRef of group networking.istio.io and kind ServiceEntry is looked up among the ServiceEntries', () => {
    const entry = serviceEntry('api', 'shop', { hosts: ['api.example.com'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'DNS' });
    const objects = [entry, route('HTTPRoute', 'v1', 'shop', [{ group: 'networking.istio.io', kind: 'ServiceEntry', name: 'ap' }])];
    assertValidIstioObjects(objects);
    const findings = analyze(objects).findings.filter(f => f.rule === 'GAPI_PARENT');
    expect(findings.map(({ index, field, value, message }) => ({ index, field, value, message }))).toEqual([{
      index: 1,
      field: 'spec.parentRefs[0].name',
      value: 'ap',
      message: 'parent service entry: "ap" not found in namespace shop: Istio does not attach the HTTPRoute there, so it routes nothing from this parent',
    }]);
    expect(ISTIO_NETWORKING_GROUP).toBe(entry.apiVersion.split('/')[0]);
  });
});
