/** Mirror destinations, checked as route destinations are: IST0101 (mirror host, host:port, mirror+subset) and IST0112. */
import { destinationRule, found, serviceEntry, virtualService } from './objects';
import { analyze } from '../../src/analysis';
import { assertValidIstioObjects } from '../support/crd-validator';

const entry = serviceEntry('copy', 'default', {
  hosts: ['copy.example.com'], resolution: 'DNS', ports: [{ number: 80, name: 'http', protocol: 'HTTP' }, { number: 8080, name: 'http-alt', protocol: 'HTTP' }],
});
const api = serviceEntry('api', 'default', { hosts: ['api.example.com'], resolution: 'DNS', ports: [{ number: 80, name: 'http', protocol: 'HTTP' }] });
const mirrored = (mirror: any, mirrors?: any[]) => virtualService('vs', 'default', {
  hosts: ['api.example.com'], http: [{ route: [{ destination: { host: 'api.example.com' } }], ...(mirror ? { mirror } : {}), ...(mirrors ? { mirrors } : {}) }],
});

describe('mirror destinations', () => {
  test('a mirror to a declared host, port and subset is accepted', () => {
    const objects = [entry, api, destinationRule('copy', 'default', { host: 'copy.example.com', subsets: [{ name: 'a' }] }),
      mirrored({ host: 'copy.example.com', port: { number: 80 } }, [{ destination: { host: 'copy.example.com', subset: 'a', port: { number: 8080 } } }])];
    expect([...found('IST0101', objects), ...found('IST0112', objects)]).toEqual([]);
    assertValidIstioObjects(objects);
  });

  test('a mirror host nothing defines, a port it does not declare, a missing subset and a missing port are reported', () => {
    expect(found('IST0101', [api, mirrored({ host: 'copy.example.com' })])).toEqual(['[1] spec.http[0].mirror.host: Referenced mirror host not found: "copy.example.com"']);
    expect(found('IST0101', [entry, api, mirrored(undefined, [{ destination: { host: 'copy.example.com', subset: 'b', port: { number: 9090 } } }])])).toEqual([
      '[2] spec.http[0].mirrors[0].destination.subset: Referenced mirror+subset in destinationrule not found: "copy.example.com+b"',
      '[2] spec.http[0].mirrors[0].destination.port.number: Referenced host:port not found: "copy.example.com:9090"',
    ]);
    expect(found('IST0112', [entry, api, mirrored({ host: 'copy.example.com' })])).toEqual([
      '[2] spec.http[0].mirror.port: This VirtualService routes to a service "copy.example.com" that exposes multiple ports [80 8080]. '
      + 'Specifying a port in the destination is required to disambiguate.',
    ]);
  });

  test('a Service of a namespace none of whose Services is known is noted as unchecked', () => {
    const result = analyze([api, mirrored({ host: 'copy.shop.svc.cluster.local' })]);
    expect(result.findings.filter(f => f.code === 'IST0101')).toEqual([]);
    expect(result.unchecked).toEqual([{ index: 1, field: 'spec.http[0].mirror.host', host: 'copy.shop.svc.cluster.local', namespace: 'shop' }]);
  });
});
