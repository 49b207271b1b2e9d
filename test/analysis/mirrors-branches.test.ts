/**
 * Mirror destinations (mirrors.ts; pkg/config/analysis/analyzers/virtualservice/destinationhosts.go checks
 * `http[].mirror` and `http[].mirrors[].destination` as it checks routes), branch by branch: a mirror host
 * not exported to the VirtualService's namespace, a port on a host without ports, and parts that are not routes.
 */
import { serviceEntry, service, virtualService } from './objects';
import { checkMirrors } from '../../src/analysis/mirrors';
import { ObjectIndex } from '../../src/analysis/model';
import { assertValidIstioObjects } from '../support/crd-validator';
import { helpful } from '../support/findings';

const rows = (objects: any[]) => helpful(checkMirrors(new ObjectIndex(objects)))
  .map(f => [f.index, f.rule, f.code, f.severity, f.field, f.value, f.message, f.fix]);
const api = serviceEntry('api', 'web', { hosts: ['api.example.com'], resolution: 'DNS', ports: [{ number: 80, name: 'http', protocol: 'HTTP' }] });
const copy = (exportTo?: string[]) => serviceEntry('copy', 'other', {
  hosts: ['copy.example.com'], ...(exportTo ? { exportTo } : {}), resolution: 'DNS', ports: [{ number: 80, name: 'http', protocol: 'HTTP' }],
});
const mirrored = (http: unknown[]) => virtualService('vs', 'web', { hosts: ['api.example.com'], http });
const route = { destination: { host: 'api.example.com' } };

describe('mirror hosts (IST0101)', () => {
  test('a ServiceEntry not exported to the VirtualService\'s namespace: the fix names its exportTo', () => {
    const objects = [api, copy(['.']), mirrored([{ route: [route], mirror: { host: 'copy.example.com' } }])];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([[2, 'IST0101', 'IST0101', 'error', 'spec.http[0].mirror.host', 'copy.example.com',
      'Referenced mirror host not found: "copy.example.com" (other/copy is not exported to namespace web)',
      'add "web" to the exportTo of ServiceEntry other/copy']]);
    expect(rows([api, copy(), mirrored([{ route: [route], mirror: { host: 'copy.example.com' } }])])).toEqual([]);
  });

  test('a port on a Service that declares none', () => {
    const objects = [api, service('copy', 'web', { ports: [] }), mirrored([{ route: [route], mirror: { host: 'copy', port: { number: 80 } } }])];
    expect(rows(objects)).toEqual([[2, 'IST0101', 'IST0101', 'error', 'spec.http[0].mirror.port.number', 80,
      'Referenced host:port not found: "copy:80"', 'mirror to a port copy.web.svc.cluster.local declares (none), or declare 80']]);
  });
});

describe('parts that are not routes or mirrors', () => {
  test('are skipped; the next ones are still checked', () => {
    const objects = [api, mirrored(['not a route', null, { route: [route], mirrors: ['copy.example.com', null, { destination: { host: 'copy.example.com' } }] }])];
    expect(rows(objects).map(r => [r[4], r[6]])).toEqual([['spec.http[2].mirrors[2].destination.host', 'Referenced mirror host not found: "copy.example.com"']]);
  });
});
