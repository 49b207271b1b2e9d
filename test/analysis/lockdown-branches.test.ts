/**
 * A REGISTRY_ONLY namespace routing to a ServiceEntry host (lockdown.ts): the host's homes are the
 * namespaces of the ServiceEntries the namespace sees, and only a `namespace/host` egress entry imports it
 * (Istio's Sidecar egress hosts, pilot/pkg/model/sidecar.go: `ns/host`, `.` for the Sidecar's own namespace,
 * `*` for any; the webhook rejects an entry without `/`).
 */
import { serviceEntry, sidecar, virtualService } from './objects';
import { checkLockedDownNamespaces, importsHost } from '../../src/analysis/lockdown';
import { ObjectIndex } from '../../src/analysis/model';
import { assertValidIstioObjects } from '../support/crd-validator';
import { helpful } from '../support/findings';

const HOST = 'api.example.com';
const rows = (objects: any[]) => helpful(checkLockedDownNamespaces(new ObjectIndex(objects)))
  .map(f => [f.index, f.rule, f.code, f.severity, f.field, f.value, f.message, f.fix]);
const lockdown = (hosts: string[]) => sidecar('lockdown', 'shop', { egress: [{ hosts }], outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } });
const entry = (ns: string, exportTo?: string[]) => serviceEntry('api', ns, {
  hosts: [HOST], ...(exportTo ? { exportTo } : {}), location: 'MESH_EXTERNAL', resolution: 'DNS', ports: [{ number: 443, name: 'tls', protocol: 'TLS' }],
});
const route = virtualService('api', 'shop', { hosts: [HOST], tls: [{ match: [{ port: 443, sniHosts: [HOST] }], route: [{ destination: { host: HOST, port: { number: 443 } } }] }] });

describe('a locked-down namespace routing to a ServiceEntry host (LOCKDOWN)', () => {
  test('defined in another namespace and not imported', () => {
    const objects = [lockdown(['./*', 'istio-system/*']), entry('egress'), route];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([[2, 'LOCKDOWN', 'EGR103', 'error', 'spec.tls[0].route[0].destination.host', HOST,
      'namespace shop is locked down by Sidecar lockdown (REGISTRY_ONLY), which does not import api.example.com (defined in egress): '
        + 'its sidecars answer 502 instead of routing',
      'add "egress/api.example.com" to the Sidecar\'s egress hosts']]);
  });

  test.each([['egress/api.example.com'], ['*/api.example.com'], ['egress/*.example.com'], ['egress/*']])('imported by %s', imported => {
    const objects = [lockdown(['./*', imported]), entry('egress'), route];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
  });

  test('defined in two namespaces: one import is enough; without it both are named', () => {
    const objects = [lockdown(['egress/api.example.com']), entry('egress'), entry('partners'), route];
    expect(rows(objects)).toEqual([]);
    objects[0] = lockdown(['istio-system/*']);
    expect(rows(objects).map(r => [r[6], r[7]])).toEqual([[expect.stringContaining('(defined in egress, partners)'), 'add "egress/api.example.com" to the Sidecar\'s egress hosts']]);
  });

  test('a ServiceEntry the namespace does not see is not a home: nothing to import', () => {
    const objects = [lockdown(['istio-system/*']), entry('egress', ['.']), route];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
    expect(rows([lockdown(['istio-system/*']), entry('egress', ['shop']), route])).toHaveLength(1);
  });

  test('an egress entry without a namespace imports nothing', () => {
    expect(rows([lockdown([HOST, '*']), entry('egress'), route]).map(r => r[5])).toEqual([HOST]);
    expect(importsHost([HOST], 'shop', 'egress', HOST)).toBe(false);
    expect(importsHost([`egress/${HOST}`], 'shop', 'egress', HOST)).toBe(true);
  });
});
