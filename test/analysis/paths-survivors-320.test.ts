/**
 * The egress paths (src/analysis/paths.ts) where the mutation run found them untested: the order of a waypoint's
 * AuthorizationPolicies, which Kubernetes Service hosts mesh routes make hosts of their own (and with which ports and
 * which Service), and the namespace of the destination that picks the sidecars' DestinationRule on a direct path.
 */
import { destinationRule, gateway, policy, server, service, serviceEntry, virtualService } from './objects';
import { EGRESS_GATEWAY_SERVICE as GW, HOST, hostPaths as hosts, portPath as portOf, waypointGateway } from './path-fixtures';
import { label } from '../../src/analysis/model';
import { assertValidIstioObjects } from '../support/crd-validator';

const PARTNER = 'partner.mesh-external.svc.cluster.local';

/** The hosts of the paths with their ports, as `host port/protocol ...`. */
function hostPorts(objects: any[]): string[] {
  return hosts(objects).map(h => `${h.host} ${h.ports.map(p => `${p.port.number}/${p.port.protocol}`).join(' ')}`);
}

const egressGateway = gateway('egress', 'istio-system', { selector: { istio: 'egressgateway' }, servers: [server(80, [PARTNER])] });
const toGateway = [{ destination: { host: GW, port: { number: 80 } } }];

/** A VirtualService of team-a for `hosts` with these route blocks (bound to the mesh unless `gateways` says otherwise). */
function meshRoute(spec: Record<string, unknown>, vsHosts: string[] = [PARTNER]): any {
  return virtualService('partner', 'team-a', { hosts: vsHosts, ...spec });
}

describe('the AuthorizationPolicies a waypoint applies', () => {
  test('are sorted by namespace/name, whatever their order among the objects', () => {
    const waypoint = waypointGateway('waypoint', 'istio-egress');
    const entry = serviceEntry('httpbin', 'istio-egress', {
      hosts: ['httpbin.org'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'DNS',
    }, { 'istio.io/use-waypoint': 'waypoint' });
    const ref = (group: string, kind: string, name: string) => ({ group, kind, name });
    const zByEntry = policy('z-by-entry', 'istio-egress', {
      targetRefs: [ref('networking.istio.io', 'ServiceEntry', 'httpbin')], rules: [{ from: [{ source: { namespaces: ['shop'] } }] }],
    });
    const aByWaypoint = policy('a-by-waypoint', 'istio-egress', {
      targetRefs: [ref('gateway.networking.k8s.io', 'Gateway', 'waypoint')], action: 'DENY', rules: [{ from: [{ source: { namespaces: ['bad'] } }] }],
    });
    const mByEntry = policy('m-by-entry', 'istio-egress', {
      targetRef: ref('networking.istio.io', 'ServiceEntry', 'httpbin'), rules: [{ from: [{ source: { namespaces: ['web'] } }] }],
    });
    const objects = [waypoint, entry, zByEntry, aByWaypoint, mByEntry];
    assertValidIstioObjects(objects);
    const allowed = portOf(objects, 80, 'httpbin.org').allowed!;

    expect(allowed.policies.map(p => label(p.object))).toEqual(['istio-egress/a-by-waypoint', 'istio-egress/m-by-entry', 'istio-egress/z-by-entry']);
    expect(allowed.allowPolicies.map(p => label(p.object))).toEqual(['istio-egress/m-by-entry', 'istio-egress/z-by-entry']);
    expect(allowed).toMatchObject({ verdict: 'listed', allow: [{ namespaces: ['web'] }, { namespaces: ['shop'] }], deny: [{ namespaces: ['bad'] }] });
  });
});

describe('Kubernetes Service hosts that mesh routes send to the gateway', () => {
  test('a VirtualService not bound to the mesh configures no sidecar, even where a match names the mesh', () => {
    // Pilot indexes a VirtualService by its own gateways; a match's gateways only narrow those (push_context initVirtualServices).
    const objects = [egressGateway, meshRoute({
      gateways: ['istio-system/egress'],
      tcp: [{ match: [{ gateways: ['mesh'], port: 80 }], route: toGateway }],
    })];
    assertValidIstioObjects(objects);

    expect(hosts(objects)).toEqual([]);
    // Bound to the mesh, the same route makes the Service host a host of its own.
    const bound = [egressGateway, meshRoute({ gateways: ['mesh', 'istio-system/egress'], tcp: [{ match: [{ gateways: ['mesh'], port: 80 }], route: toGateway }] })];
    expect(hostPorts(bound)).toEqual([`${PARTNER} 80/TCP`]);
  });

  test('only Kubernetes Service hosts: a host outside the cluster that the same route sends to the gateway is none', () => {
    const objects = [egressGateway, meshRoute({ tcp: [{ match: [{ port: 80 }], route: toGateway }] }, ['other.example.com', PARTNER])];
    assertValidIstioObjects(objects);

    expect(hostPorts(objects)).toEqual([`${PARTNER} 80/TCP`]);
    expect(hosts(objects)[0]).toMatchObject({ definitionKind: 'VirtualService', hostField: 'spec.hosts[1]' });
  });

  test('the Service is the one of the host\'s name in the host\'s namespace; other Services leave the VirtualService the definition', () => {
    const otherNamespace = service('partner', 'elsewhere', { ports: [{ port: 80, name: 'http' }] });
    const otherName = service('other', 'mesh-external', { ports: [{ port: 80, name: 'http' }] });
    const route = meshRoute({ tcp: [{ match: [{ port: 80 }], route: toGateway }] });
    const objects = [otherNamespace, otherName, egressGateway, route];
    assertValidIstioObjects(objects);

    expect(hosts(objects).map(h => [h.host, h.definitionKind, label(h.definition.object), h.hostField])).toEqual([
      [PARTNER, 'VirtualService', 'team-a/partner', 'spec.hosts[0]'],
    ]);
    const partner = service('partner', 'mesh-external', { type: 'ExternalName', externalName: 'partner.example.com', ports: [{ port: 80, name: 'http' }] });
    const withService = [...objects, partner];
    assertValidIstioObjects(withService);
    expect(hosts(withService).map(h => [h.host, h.definitionKind, label(h.definition.object), h.hostField])).toEqual([
      [PARTNER, 'Service', 'mesh-external/partner', undefined],
    ]);
  });

  test('a Service without metadata (the API server requires it; lint reads any YAML) is no host\'s Service', () => {
    const nameless = { apiVersion: 'v1', kind: 'Service', spec: { ports: [{ port: 80, name: 'http' }] } };
    const route = virtualService('partner', 'default', { hosts: ['partner'], tcp: [{ match: [{ port: 80 }], route: toGateway }] });

    expect(hosts([nameless, egressGateway, route]).map(h => [h.host, h.definitionKind])).toEqual([
      ['partner.default.svc.cluster.local', 'VirtualService'],
    ]);
  });

  test('the ports are in number order, not in the order the routes match them', () => {
    const objects = [egressGateway, meshRoute({ tcp: [{ match: [{ port: 9000 }, { port: 80 }, { port: 8080 }], route: toGateway }] })];
    assertValidIstioObjects(objects);

    expect(hostPorts(objects)).toEqual([`${PARTNER} 80/TCP 8080/TCP 9000/TCP`]);
  });

  test('only the routes whose destination is the egress gateway name the ports', () => {
    const objects = [egressGateway, meshRoute({
      tcp: [
        { match: [{ port: 9000 }], route: [{ destination: { host: PARTNER, port: { number: 9000 } } }] },
        { match: [{ port: 80 }], route: toGateway },
      ],
    })];
    assertValidIstioObjects(objects);

    expect(hostPorts(objects)).toEqual([`${PARTNER} 80/TCP`]);
    // With no route to the gateway, the Service host is no host of the paths.
    const direct = [egressGateway, meshRoute({
      tcp: [{ match: [{ port: 9000 }], route: [{ destination: { host: PARTNER, port: { number: 9000 } } }] }],
    })];
    expect(hosts(direct)).toEqual([]);
  });

  test('a match without a port says nothing about the port', () => {
    const objects = [egressGateway, meshRoute({
      http: [{ match: [{ uri: { prefix: '/api' } }], route: toGateway }],
      tcp: [{ match: [{ port: 80 }], route: toGateway }],
    })];
    assertValidIstioObjects(objects);

    expect(hostPorts(objects)).toEqual([`${PARTNER} 80/TCP`]);
  });

  test('the first destination with a host counts (a destination without one is refused by the API server; lint reads any YAML)', () => {
    const hostless = { destination: { port: { number: 80 } } };
    const objects = [egressGateway, meshRoute({ tcp: [{ match: [{ port: 80 }], route: [hostless, ...toGateway] }] })];

    expect(hostPorts(objects)).toEqual([`${PARTNER} 80/TCP`]);
  });

  test('null routes and null matches (refused by the API server; lint reads any YAML) are passed over', () => {
    const nullRoute = [egressGateway, meshRoute({ tcp: [null, { match: [{ port: 80 }], route: toGateway }] })];
    expect(hostPorts(nullRoute)).toEqual([`${PARTNER} 80/TCP`]);

    const nullMatch = [egressGateway, meshRoute({ tcp: [{ match: [null, { port: 80 }], route: toGateway }] })];
    expect(hostPorts(nullMatch)).toEqual([`${PARTNER} 80/TCP`]);
  });
});

describe('the DestinationRule of a direct path: looked up in the namespace of what defines the destination', () => {
  test('a mesh route to another host: that host\'s namespace, whose rule originates TLS', () => {
    const objects = [
      serviceEntry('api', 'team-a', { hosts: [HOST], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'DNS' }),
      serviceEntry('backup', 'backup', { hosts: ['backup.example.com'], ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }], resolution: 'DNS' }),
      destinationRule('backup-tls', 'backup', { host: 'backup.example.com', trafficPolicy: { tls: { mode: 'SIMPLE', sni: 'backup.example.com' } } }),
      virtualService('api', 'team-a', { hosts: [HOST], http: [{ route: [{ destination: { host: 'backup.example.com', port: { number: 443 } } }] }] }),
    ];
    assertValidIstioObjects(objects);
    const p = portOf(objects, 80);

    expect(p.target).toBeUndefined();
    expect(p.sidecar).toMatchObject({ via: 'direct', clientNamespace: 'team-a', destination: 'backup.example.com', destinationPort: 443, traffic: 'tls' });
    expect(label(p.sidecar.destinationRule!.object)).toBe('backup/backup-tls');
    expect(p.sidecar.tls).toMatchObject({ mode: 'SIMPLE', field: 'spec.trafficPolicy.tls' });
  });

  test('the host itself: the namespace of this ServiceEntry, not of another ServiceEntry of the host listed first', () => {
    // A sidecar of beta sees beta's own entry (exported to beta) before the public one (servicesExportedToNamespace), and takes
    // DestinationRules from its namespace (push_context destinationRule): alpha's rule is not beta's.
    const objects = [
      serviceEntry('api', 'alpha', { hosts: [HOST], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'DNS' }),
      serviceEntry('api', 'beta', { hosts: [HOST], exportTo: ['.'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'DNS' }),
      destinationRule('api-tls', 'alpha', { host: HOST, trafficPolicy: { tls: { mode: 'SIMPLE', sni: HOST } } }),
    ];
    assertValidIstioObjects(objects);
    const [alpha, beta] = hosts(objects);

    expect([label(alpha.definition.object), label(beta.definition.object)]).toEqual(['alpha/api', 'beta/api']);
    expect(label(alpha.ports[0].sidecar.destinationRule!.object)).toBe('alpha/api-tls');
    expect(alpha.ports[0].sidecar).toMatchObject({ via: 'direct', clientNamespace: 'alpha', traffic: 'tls' });
    expect(beta.ports[0].sidecar).toMatchObject({ via: 'direct', clientNamespace: 'beta', destination: HOST, traffic: 'plain' });
    expect(beta.ports[0].sidecar.destinationRule).toBeUndefined();
    expect(beta.ports[0].sidecar.tls).toBeUndefined();
  });
});
