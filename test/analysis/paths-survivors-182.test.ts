/**
 * The egress paths (src/analysis/paths.ts): the cache per index, the REGISTRY_ONLY Sidecars the clients are
 * checked against, which ServiceEntries and hosts make a HostPath, their ports and resolution, and the order
 * of the hosts.
 */
import { gateway, server, serviceEntry, sidecar, virtualService } from './objects';
import { ObjectIndex, label } from '../../src/analysis/model';
import { HostPath, egressPaths } from '../../src/analysis/paths';
import { assertValidIstioObjects } from '../support/crd-validator';

const GW = 'istio-egressgateway.istio-system.svc.cluster.local';
const HOST = 'api.example.com';

function hosts(objects: any[]): HostPath[] {
  return egressPaths(new ObjectIndex(objects)).hosts;
}

const api = (name = 'api', ns = 'team-a', spec: Record<string, unknown> = {}) =>
  serviceEntry(name, ns, { hosts: [HOST], ports: [{ number: 443, name: 'tls', protocol: 'TLS' }], ...spec });

describe('egressPaths: computed once per index', () => {
  test('asking twice for the same index gives the same paths object', () => {
    const objects = [api()];
    assertValidIstioObjects(objects);
    const index = new ObjectIndex(objects);

    expect(egressPaths(index)).toBe(egressPaths(index));
  });
});

describe('clients: the REGISTRY_ONLY Sidecars of whole namespaces', () => {
  test('a namespace-wide REGISTRY_ONLY Sidecar that does not import the host blocks it; one with a workloadSelector or ALLOW_ANY does not', () => {
    const objects = [
      api(),
      sidecar('default', 'team-b', { outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' }, egress: [{ hosts: ['./*'] }] }),
      sidecar('default', 'team-c', { outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' }, egress: [{ hosts: [`*/${HOST}`] }] }),
      sidecar('pods', 'team-d', {
        workloadSelector: { labels: { app: 'x' } }, outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' }, egress: [{ hosts: ['./*'] }],
      }),
      sidecar('default', 'team-e', { outboundTrafficPolicy: { mode: 'ALLOW_ANY' }, egress: [{ hosts: ['./*'] }] }),
    ];
    assertValidIstioObjects(objects);
    const [path] = hosts(objects);

    expect(path.clients.blockedIn.map(b => `${b.namespace} ${label(b.sidecar.object)}`)).toEqual(['team-b team-b/default']);
    expect(path.clients.importedBy.map(b => `${b.namespace} ${label(b.sidecar.object)}`)).toEqual(['team-c team-c/default']);
    expect(path.clients.namespaces).toEqual(['*']);
  });
});

describe('which ServiceEntry hosts make a path', () => {
  test('a MESH_INTERNAL ServiceEntry makes none; one without location is MESH_EXTERNAL', () => {
    const objects = [
      api('internal', 'team-a', { hosts: ['internal.example.com'], location: 'MESH_INTERNAL' }),
      api('external', 'team-a', { hosts: ['external.example.com'] }),
    ];
    assertValidIstioObjects(objects);

    expect(hosts(objects).map(h => `${h.host} ${label(h.definition.object)}`)).toEqual(['external.example.com team-a/external']);
  });

  test('a host that is no string (the API server requires strings; lint reads any YAML) makes no path', () => {
    const objects = [api('api', 'team-a', { hosts: [42, HOST] })];

    expect(hosts(objects).map(h => `${h.host} ${h.hostField}`)).toEqual([`${HOST} spec.hosts[1]`]);
  });

  test('a Kubernetes Service host that a ServiceEntry lists is the ServiceEntry\'s only, even when mesh routes send it to the gateway', () => {
    const partner = 'partner.mesh-external.svc.cluster.local';
    const objects = [
      serviceEntry('partner', 'team-a', { hosts: [partner], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }] }),
      gateway('egress', 'istio-system', { selector: { istio: 'egressgateway' }, servers: [server(80, [partner])] }),
      virtualService('partner', 'team-a', {
        hosts: [partner],
        gateways: ['mesh'],
        http: [{ match: [{ port: 80 }], route: [{ destination: { host: GW, port: { number: 80 } } }] }],
      }),
    ];
    assertValidIstioObjects(objects);
    const found = hosts(objects).filter(h => h.host === partner);

    expect(found.map(h => `${h.definitionKind} ${label(h.definition.object)}`)).toEqual(['ServiceEntry team-a/partner']);
  });
});

describe('the ServiceEntry\'s ports and resolution on the path', () => {
  test('a port without a number (required by the API server) is passed over', () => {
    const objects = [api('api', 'team-a', { ports: [{ name: 'nonumber', protocol: 'TCP' }, { number: 443, name: 'tls', protocol: 'TLS' }] })];

    expect(hosts(objects)[0].ports.map(p => p.port)).toEqual([
      { number: 443, name: 'tls', protocol: 'TLS', targetPort: undefined, field: 'spec.ports[1]' },
    ]);
  });

  test('a port without protocol has none on the path (Istio detects it); a name or protocol that is no string (the API server requires strings) is none', () => {
    const valid = [api('api', 'team-a', { ports: [{ number: 9000, name: 'db' }] })];
    assertValidIstioObjects(valid);
    expect(hosts(valid)[0].ports.map(p => p.port)).toEqual([{ number: 9000, name: 'db', protocol: '', targetPort: undefined, field: 'spec.ports[0]' }]);

    const oddName = [api('api', 'team-a', { ports: [{ number: 443, name: 7, protocol: 'TLS' }] })];
    expect(hosts(oddName)[0].ports[0].port).toMatchObject({ number: 443, name: undefined, protocol: 'TLS' });
    const oddProtocol = [api('api', 'team-a', { ports: [{ number: 443, name: 'tls', protocol: 7 }] })];
    expect(hosts(oddProtocol)[0].ports[0].port).toMatchObject({ number: 443, name: 'tls', protocol: '' });
  });

  test('the resolution is the ServiceEntry\'s; none without one, or when it is no string (the API server allows only its enum)', () => {
    const objects = [
      api('dns', 'team-a', { hosts: ['dns.example.com'], resolution: 'DNS' }),
      api('none', 'team-a', { hosts: ['none.example.com'] }),
    ];
    assertValidIstioObjects(objects);
    expect(hosts(objects).map(h => `${h.host} ${h.resolution}`)).toEqual(['dns.example.com DNS', 'none.example.com undefined']);

    const odd = [api('odd', 'team-a', { resolution: 1 })];
    expect(hosts(odd)[0].resolution).toBeUndefined();
  });
});

describe('the order of the hosts', () => {
  test('sorted by host, whatever the order and names of their ServiceEntries', () => {
    const objects = [api('a', 'team-a', { hosts: ['z.example.com'] }), api('b', 'team-a', { hosts: ['a.example.com'] })];
    assertValidIstioObjects(objects);

    expect(hosts(objects).map(h => `${h.host} ${label(h.definition.object)}`)).toEqual(['a.example.com team-a/b', 'z.example.com team-a/a']);
  });

  test('one host of several ServiceEntries: by their namespace/name, not their order among the objects', () => {
    const objects = [api('b', 'team-a'), api('a', 'team-b'), api('a', 'team-a')];
    assertValidIstioObjects(objects);

    expect(hosts(objects).map(h => `${label(h.definition.object)} ${h.definition.index}`)).toEqual(['team-a/a 2', 'team-a/b 0', 'team-b/a 1']);
  });
});
