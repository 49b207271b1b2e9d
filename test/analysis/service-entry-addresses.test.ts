/** IST0134: ServiceEntries that serve TCP without an address take every connection to their port. */
import { found, serviceEntry } from './objects';
import { assertValidIstioObjects } from '../support/crd-validator';

const entry = (spec: any, labels?: Record<string, string>) => serviceEntry('db', 'default', { hosts: ['db.example.com'], ...spec }, labels);
const MESSAGE = 'ServiceEntry addresses are required for this protocol.';

describe('IST0134 ServiceEntryAddressesRequired', () => {
  test('a TCP port with addresses, or with a resolution istiod allocates an address for, is accepted', () => {
    const objects = [
      entry({ addresses: ['192.0.2.10'], ports: [{ number: 5432, name: 'tcp', protocol: 'TCP' }], resolution: 'NONE' }),
      entry({ ports: [{ number: 5432, name: 'tcp', protocol: 'TCP' }], resolution: 'DNS' }),
      entry({ endpoints: [{ address: '192.0.2.10' }], ports: [{ number: 5432, name: 'tcp' }], resolution: 'STATIC' }),
      entry({ ports: [{ number: 443, name: 'tls', protocol: 'TLS' }], resolution: 'NONE' }),
    ];
    expect(objects.flatMap(o => found('IST0134', [o]))).toEqual([]);
    assertValidIstioObjects(objects);
  });

  test('a TCP or protocol-less port without addresses and resolution NONE (the default) is reported per port', () => {
    expect(found('IST0134', [entry({ ports: [{ number: 5432, name: 'tcp', protocol: 'TCP' }, { number: 443, name: 'https', protocol: 'HTTPS' }, { number: 6379, name: 'redis' }] })]))
      .toEqual([`[0] spec.ports[0]: ${MESSAGE}`, `[0] spec.ports[2]: ${MESSAGE}`]);
  });

  test('the protocol compares case-insensitively, as the analyzer does', () => {
    expect(found('IST0134', [entry({ ports: [{ number: 5432, name: 'tcp', protocol: 'tcp' }], resolution: 'NONE' })])).toEqual([`[0] spec.ports[0]: ${MESSAGE}`]);
  });

  test('opting out of auto-allocation brings the warning back; an address in status removes it', () => {
    const optedOut = entry({ ports: [{ number: 5432, name: 'tcp', protocol: 'TCP' }], resolution: 'DNS' }, { 'networking.istio.io/enable-autoallocate-ip': 'False' });
    expect(found('IST0134', [optedOut])).toEqual([`[0] spec.ports[0]: ${MESSAGE}`]);
    expect(found('IST0134', [{ ...optedOut, status: { addresses: [{ value: '240.240.0.1', host: 'db.example.com' }] } }])).toEqual([]);
  });
});
