/** IST0134: ServiceEntries that serve TCP without an address take every connection to their port. */
import { found, serviceEntry } from './objects';
import { analyze } from '../../src/analysis';
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

describe('IST0134, the finding in full and the edges of what is read', () => {
  const tcp = { number: 5432, name: 'tcp' };
  const rows = (objects: any[]) => analyze(objects).findings.filter(f => f.code === 'IST0134').map(f => [f.severity, f.field, f.value]);

  test('a port without protocol, with a null or an empty one: the value is the protocol, null when there is none', () => {
    expect(rows([entry({ ports: [tcp, { ...tcp, number: 5433, protocol: null }, { ...tcp, number: 5434, protocol: '' }] })])).toEqual([
      ['warning', 'spec.ports[0]', null], ['warning', 'spec.ports[1]', null], ['warning', 'spec.ports[2]', ''],
    ]);
    const finding = analyze([entry({ ports: [tcp] })]).findings.find(f => f.code === 'IST0134')!;
    expect(finding.fix).toBe('add spec.addresses (the IPs or CIDR blocks of the service), or use resolution DNS or STATIC so that istiod allocates an address');
  });

  test('a protocol that is no string is the schema\'s to refuse: no finding, and no error reading it', () => {
    expect(analyze([entry({ ports: [{ ...tcp, protocol: 5 }] })]).findings.map(f => f.code)).not.toContain('EGR001');
    expect(found('IST0134', [entry({ ports: [{ ...tcp, protocol: 5 }] })])).toEqual([]);
  });

  test('addresses in the status count; an empty status list does not', () => {
    const withStatus = (status: any) => ({ ...entry({ ports: [tcp] }), status });
    expect(found('IST0134', [withStatus({ addresses: [{ value: '240.240.0.1' }] })])).toEqual([]);
    expect(found('IST0134', [withStatus({ addresses: [] })])).toHaveLength(1);
    expect(found('IST0134', [withStatus({})])).toHaveLength(1);
  });

  test('a null resolution is NONE; the opt-out label is read as Go\'s EqualFold reads "false"', () => {
    expect(found('IST0134', [entry({ ports: [tcp], resolution: null })])).toHaveLength(1);
    const dns = (label: string) => entry({ ports: [tcp], resolution: 'DNS' }, { 'networking.istio.io/enable-autoallocate-ip': label });
    expect(found('IST0134', [dns('true')])).toEqual([]);
    for (const label of ['false', 'FALSE', 'falſe']) {
      expect(found('IST0134', [dns(label)])).toHaveLength(1);
    }
  });
});
