/**
 * Mirror destinations (mirrors.ts; pkg/config/analysis/analyzers/virtualservice/destinationhosts.go and
 * destinationrules.go), the cases the other tests leave open: the subset, host:port and IST0112 findings in full,
 * routes and mirrors without the parts the analyzer reads (no spec, no mirror, no port), and subsets that are no
 * subset (empty, or null, which the API server prunes).
 */
import { serviceEntry, virtualService } from './objects';
import { checkMirrors } from '../../src/analysis/mirrors';
import { ObjectIndex } from '../../src/analysis/model';
import { assertValidIstioObjects } from '../support/crd-validator';
import { helpful } from '../support/findings';

const rows = (objects: any[]) => helpful(checkMirrors(new ObjectIndex(objects)))
  .map(f => [f.index, f.rule, f.code, f.severity, f.field, f.value, f.message, f.fix]);
const http = (name: string, port: number) => ({ number: port, name, protocol: 'HTTP' });
const api = serviceEntry('api', 'web', { hosts: ['api.example.com'], resolution: 'DNS', ports: [http('http', 80)] });
const copy = serviceEntry('copy', 'web', { hosts: ['copy.example.com'], resolution: 'DNS', ports: [http('http', 80), http('http-alt', 8080)] });
const route = { destination: { host: 'api.example.com' } };
const mirrored = (mirror: unknown) => virtualService('vs', 'web', { hosts: ['api.example.com'], http: [{ route: [route], mirror }] });

describe('the findings in full', () => {
  test('a missing subset of an external host: the fix names the VirtualService\'s namespace', () => {
    const objects = [api, copy, mirrored({ host: 'copy.example.com', subset: 'b', port: { number: 80 } })];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([[2, 'IST0101', 'IST0101', 'error', 'spec.http[0].mirror.subset', 'b',
      'Referenced mirror+subset in destinationrule not found: "copy.example.com+b"', 'define subset "b" in a DestinationRule for copy.example.com in namespace web']]);
  });

  test('a port the host does not declare: the fix lists the declared ones', () => {
    const objects = [api, copy, mirrored({ host: 'copy.example.com', port: { number: 9090 } })];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([[2, 'IST0101', 'IST0101', 'error', 'spec.http[0].mirror.port.number', 9090,
      'Referenced host:port not found: "copy.example.com:9090"', 'mirror to a port copy.example.com declares (80, 8080), or declare 9090']]);
  });

  test('no port on a host with several (IST0112)', () => {
    const objects = [api, copy, mirrored({ host: 'copy.example.com' })];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([[2, 'IST0112', 'IST0112', 'error', 'spec.http[0].mirror.port', undefined,
      'This VirtualService routes to a service "copy.example.com" that exposes multiple ports [80 8080]. '
      + 'Specifying a port in the destination is required to disambiguate.', 'set the mirror\'s port.number']]);
  });
});

describe('parts the analyzer reads, absent', () => {
  test('a VirtualService without spec, a route without mirror and a mirror without port are accepted', () => {
    const objects = [api, { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'empty', namespace: 'web' } },
      virtualService('plain', 'web', { hosts: ['api.example.com'], http: [{ route: [route] }] }), mirrored({ host: 'api.example.com' })];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
  });

  test('an empty subset is no subset', () => {
    const objects = [api, mirrored({ host: 'api.example.com', subset: '' })];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
  });

  test('a null subset is no subset (the API server prunes it)', () => {
    const objects = [api, mirrored({ host: 'api.example.com', subset: null })];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
  });

  test('a mirror without host, or a port number that is no number (malformed): the host and the port count as none', () => {
    expect(rows([api, mirrored({ port: { number: 80 } })])).toEqual([]);
    expect(rows([api, mirrored({ host: 'api.example.com', port: { number: '8080' } })])).toEqual([]);
  });
});
