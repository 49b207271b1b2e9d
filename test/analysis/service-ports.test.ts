/** IST0150: the port names of ExternalName Services. */
import { found, service } from './objects';

const external = (ports: any[], metadata: Record<string, unknown> = {}) => service('db', 'default', { type: 'ExternalName', externalName: 'db.example.com', ports }, metadata);
const MESSAGE = 'Port name for ExternalName service is invalid. Proxy may prevent tcp named ports and unmatched traffic for ports serving TCP protocol from being forwarded correctly';

describe('IST0150 ExternalNameServiceTypeInvalidPortName', () => {
  test('ports named after a protocol (or with appProtocol, or a well-known port) are accepted', () => {
    expect(found('IST0150', [external([
      { name: 'https', port: 443 }, { name: 'tcp-postgres', port: 5432 }, { name: 'db', appProtocol: 'tls', port: 9000 },
      { port: 3306 }, { name: 'dns', port: 5353, protocol: 'UDP' }, { name: 'grpc-web-api', port: 8080 },
    ])])).toEqual([]);
  });

  test('a port named tcp, or named after no protocol, is reported', () => {
    expect(found('IST0150', [external([{ name: 'tcp', port: 5432 }, { name: 'postgres', port: 5433 }, { port: 5434 }])])).toEqual([
      `[0] spec.ports[0].name: ${MESSAGE}`, `[0] spec.ports[1].name: ${MESSAGE}`, `[0] spec.ports[2].name: ${MESSAGE}`,
    ]);
  });

  test('other Services, and the control plane\'s, are not checked here', () => {
    expect(found('IST0150', [service('db', 'default', { ports: [{ name: 'tcp', port: 5432 }] })])).toEqual([]);
    expect(found('IST0150', [external([{ name: 'tcp', port: 5432 }], { labels: { istio: 'egressgateway' } })])).toEqual([]);
  });
});
