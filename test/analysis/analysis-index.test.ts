/**
 * lintObjects (src/analysis/index.ts): an object the rules cannot read is reported as UNCHECKABLE
 * (EGR001) instead of the check crashing; the objects that can be read are still checked.
 */
import { destinationRule, serviceEntry } from './objects';
import { analyze, analyzeObjects, lintObjectSet, lintObjects } from '../../src/analysis';
import { assertValidIstioObjects } from '../support/crd-validator';

/** An object whose spec cannot be read: reading it throws (what a rule meeting an unforeseen shape would do). */
function unreadable(thrown: unknown): any {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'ServiceEntry',
    metadata: { name: 'odd', namespace: 'default' },
    get spec(): never {
      throw thrown;
    },
  };
}

const entry = serviceEntry('api', 'default', {
  hosts: ['api.example.com'], ports: [{ number: 443, name: 'tls', protocol: 'TLS' }], resolution: 'DNS', location: 'MESH_EXTERNAL',
});

describe('lintObjects and analyze: unreadable objects, values that are no objects, objects of the cluster', () => {
  test('readable objects give no UNCHECKABLE finding', () => {
    expect(lintObjects([entry]).filter(f => f.rule === 'UNCHECKABLE')).toEqual([]);
    expect(analyzeObjects([entry])).toEqual([]);
    assertValidIstioObjects([entry]);
  });

  test('an object that throws is uncheckable itself and makes the analysis across objects uncheckable', () => {
    const findings = lintObjects([entry, unreadable(new Error('boom'))]).filter(f => f.rule === 'UNCHECKABLE');
    expect(findings).toEqual([
      {
        rule: 'UNCHECKABLE',
        code: 'EGR001',
        severity: 'error',
        field: 'spec',
        value: undefined,
        message: 'the rules could not read this object (boom), so nothing about it is known',
        fix: 'check that the object has the structure its CRD describes',
        index: 1,
        crossObject: false,
      },
      expect.objectContaining({
        rule: 'UNCHECKABLE',
        code: 'EGR001',
        severity: 'error',
        field: 'spec',
        message: 'the rules could not read these objects together (boom), so nothing about it is known',
        index: 0,
        crossObject: true,
      }),
    ]);
  });

  test('what is thrown need not be an Error: a string is shown as it is, anything else as JSON', () => {
    const messages = (thrown: unknown) => lintObjects([unreadable(thrown)]).filter(f => f.rule === 'UNCHECKABLE').map(f => f.message);
    expect(messages('no spec here')).toEqual([
      'the rules could not read this object (no spec here), so nothing about it is known',
      'the rules could not read these objects together (no spec here), so nothing about it is known',
    ]);
    expect(messages({ reason: 42 })[0]).toBe('the rules could not read this object ({"reason":42}), so nothing about it is known');
  });

  test('an unreadable object of the cluster, with no objects to check, gives no finding and no unchecked reference', () => {
    expect(lintObjectSet([], { cluster: [unreadable(new Error('boom'))] })).toEqual({ findings: [], unchecked: [] });
  });

  test('values that are no objects are skipped, and the findings keep the indices of the input', () => {
    const rule = destinationRule('api', 'default', { host: 'api.example.com' });
    const codes = (objects: any[], cluster?: any[]) => lintObjectSet(objects, cluster ? { cluster } : undefined).findings
      .filter(f => f.rule === 'IST0174').map(f => `[${f.index}] ${f.field} ${f.severity}`);
    expect(codes([null, 'text', rule])).toEqual(['[2] spec.host warning']);
    expect(analyze([rule]).findings.map(f => f.message)).toEqual(['The host api.example.com defined in the DestinationRule does not match any services in the mesh.']);
    // The ServiceEntry of the cluster defines the host; values of the cluster that are no objects are left out.
    expect(codes([null, rule], [entry, 7])).toEqual([]);
    assertValidIstioObjects([rule]);
  });

  test('findings about objects of the cluster are dropped', () => {
    const anyAddress = serviceEntry('db', 'default', { hosts: ['db.example.com'], ports: [{ number: 5432, name: 'tcp', protocol: 'TCP' }], resolution: 'NONE' });
    expect(lintObjects([anyAddress]).map(f => f.rule)).toContain('TCP_ANY_ADDRESS');
    expect(lintObjects([entry], { cluster: [anyAddress] }).filter(f => f.rule === 'TCP_ANY_ADDRESS')).toEqual([]);
    expect(analyze([entry], { cluster: [anyAddress] }).findings).toEqual([]);
  });
});
