/** IST0150: the port names of ExternalName Services. */
import { found, service } from './objects';
import { analyze } from '../../src/analysis';

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

describe('IST0150, the finding in full and what is skipped', () => {
  test('a warning on the port\'s name (null without one), with a fix', () => {
    const findings = analyze([external([{ name: 'tcp', port: 5432 }, { port: 5434 }])]).findings.filter(f => f.code === 'IST0150');
    expect(findings.map(f => [f.severity, f.field, f.value])).toEqual([['warning', 'spec.ports[0].name', 'tcp'], ['warning', 'spec.ports[1].name', null]]);
    expect(findings[0].fix).toBe('name the port <protocol>[-<suffix>] with a protocol other than plain "tcp" (e.g. https, tls, http, tcp-db), or set appProtocol');
  });

  test('UDP ports and ports that are no object are not judged', () => {
    expect(found('IST0150', [external([{ name: 'tcp', port: 53, protocol: 'UDP' }, 'x'])])).toEqual([]);
    expect(found('IST0150', [external([{ name: 'tcp', port: 53, protocol: 'TCP' }])])).toHaveLength(1);
  });

  test('Services Istio installs or manages: release istio, and each gateway.istio.io/managed controller', () => {
    for (const labels of [{ release: 'istio' }, ...['istio.io-gateway-controller', 'istio.io-mesh-controller', 'istio.io-eastwest-controller'].map(c => ({ 'gateway.istio.io/managed': c }))]) {
      expect(found('IST0150', [external([{ name: 'tcp', port: 5432 }], { labels })])).toEqual([]);
    }
    expect(found('IST0150', [external([{ name: 'tcp', port: 5432 }], { labels: { 'release': 'shop', 'gateway.istio.io/managed': 'other' } })])).toHaveLength(1);
    const noMetadata = { apiVersion: 'v1', kind: 'Service', spec: { type: 'ExternalName', externalName: 'db.example.com', ports: [{ name: 'tcp', port: 5432 }] } };
    expect(found('IST0150', [noMetadata])).toHaveLength(1);
  });
});
