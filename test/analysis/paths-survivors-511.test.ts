/**
 * The egress paths (src/analysis/paths.ts) for the inputs the other path tests leave out: the traffic of a plain TCP port,
 * the protocol of a Service host's port that only a TLS route names, the clients of a ServiceEntry exported to some
 * namespaces (Sidecar lockdowns in and out of them), and the gateway's AuthorizationPolicies: none at all, ALLOW
 * policies with rules, conditions on other keys than connection.sni, several SNI values.
 */
import { gateway, policy, server, serviceEntry, sidecar, virtualService } from './objects';
import { EGRESS_GATEWAY_SERVICE as GW, HOST, hostPaths as hosts, portPath as portOf, tlsThroughEgressGateway as egress } from './path-fixtures';
import { label } from '../../src/analysis/model';
import { Clients, valueMatches } from '../../src/analysis/paths';
import { assertValidIstioObjects } from '../support/crd-validator';

/** An AuthorizationPolicy on the default egress gateway's pods. */
const onGateway = (name: string, spec: Record<string, unknown>) => policy(name, 'istio-system', { selector: { matchLabels: { istio: 'egressgateway' } }, ...spec });

describe('what the sidecar sends', () => {
  test('a TCP port without route or DestinationRule: an opaque stream, sent direct', () => {
    const objects = [serviceEntry('db', 'team-a', { hosts: ['db.example.com'], resolution: 'DNS', ports: [{ number: 5432, name: 'tcp', protocol: 'TCP' }] })];
    assertValidIstioObjects(objects);

    expect(portOf(objects, 5432, 'db.example.com').sidecar).toMatchObject({ via: 'direct', destination: 'db.example.com', traffic: 'opaque' });
  });
});

describe('Kubernetes Service hosts that mesh routes send to the gateway', () => {
  test('a port that only a tls route names has protocol TLS', () => {
    const PARTNER = 'partner.mesh-external.svc.cluster.local';
    const objects = [
      gateway('egress', 'istio-system', { selector: { istio: 'egressgateway' }, servers: [server(443, [PARTNER], { protocol: 'TLS', tls: { mode: 'PASSTHROUGH' } })] }),
      virtualService('partner', 'team-a', {
        hosts: [PARTNER],
        gateways: ['mesh'],
        tls: [{ match: [{ port: 443, sniHosts: [PARTNER] }], route: [{ destination: { host: GW, port: { number: 443 } } }] }],
      }),
    ];
    assertValidIstioObjects(objects);
    const partner = hosts(objects).find(h => h.host === PARTNER)!;

    expect(partner.ports.map(p => p.port)).toEqual([{ number: 443, protocol: 'TLS' }]);
    expect(partner.ports[0].sidecar).toMatchObject({ via: 'gateway', destination: GW, destinationPort: 443 });
  });
});

describe('the clients of a ServiceEntry exported to some namespaces', () => {
  const lockdown = (ns: string, imports: string[]) => sidecar('default', ns, { outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' }, egress: [{ hosts: imports }] });
  const entry = (exportTo: string[]) => serviceEntry('api', 'team-a', {
    hosts: [HOST], exportTo, resolution: 'DNS', ports: [{ number: 443, name: 'tls', protocol: 'TLS' }],
  });
  const clients = (objects: any[]): Clients => hosts(objects).find(h => h.host === HOST)!.clients;
  const namespacesOf = (imports: Array<{ namespace: string }>) => imports.map(i => i.namespace);

  test('exportTo resolved and sorted: `.` is the ServiceEntry\'s namespace', () => {
    const objects = [entry(['team-c', '.', 'team-b'])];
    assertValidIstioObjects(objects);

    expect(clients(objects)).toMatchObject({ exportedTo: ['team-a', 'team-b', 'team-c'], namespaces: ['team-a', 'team-b', 'team-c'] });
  });

  test('exportTo `~`: exported to no namespace, so no namespace can use the host', () => {
    const objects = [entry(['~'])];
    assertValidIstioObjects(objects);

    expect(clients(objects)).toEqual({ exportedTo: [], importedBy: [], blockedIn: [], namespaces: [] });
  });

  test('a lockdown in an exported namespace that does not import the host blocks it there; lockdowns elsewhere count for nothing', () => {
    const objects = [
      entry(['team-a', 'team-b']),
      lockdown('team-b', ['istio-system/*']),
      // Not exported to: neither its import nor its lockdown concern the host.
      lockdown('team-x', ['istio-system/*']),
      lockdown('team-y', [`team-a/${HOST}`]),
    ];
    assertValidIstioObjects(objects);
    const c = clients(objects);

    expect(namespacesOf(c.blockedIn)).toEqual(['team-b']);
    expect(label(c.blockedIn[0].sidecar.object)).toBe('team-b/default');
    expect(c.importedBy).toEqual([]);
    expect(c.namespaces).toEqual(['team-a']);
  });

  test('a lockdown in an exported namespace that imports the host: the namespace can use it', () => {
    const objects = [entry(['team-a', 'team-b']), lockdown('team-b', [`team-a/${HOST}`])];
    assertValidIstioObjects(objects);
    const c = clients(objects);

    expect(namespacesOf(c.importedBy)).toEqual(['team-b']);
    expect(c.blockedIn).toEqual([]);
    expect(c.namespaces).toEqual(['team-a', 'team-b']);
  });
});

describe('the AuthorizationPolicies of the gateway pods for the host', () => {
  test('no policy on the gateway pods: anyone gets through', () => {
    const objects = egress();
    assertValidIstioObjects(objects);

    expect(portOf(objects, 443).allowed).toEqual({ policies: [], allowPolicies: [], verdict: 'anyone', denyByDefault: [], allow: [], deny: [] });
  });

  test('an ALLOW policy with rules is no deny-by-default policy; one without rules is', () => {
    const objects = [
      ...egress(),
      onGateway('allow-team-a', { rules: [{ from: [{ source: { namespaces: ['team-a'] } }] }] }),
      onGateway('deny-all', {}),
    ];
    assertValidIstioObjects(objects);
    const allowed = portOf(objects, 443).allowed!;

    expect(allowed.allowPolicies.map(p => label(p.object))).toEqual(['istio-system/allow-team-a', 'istio-system/deny-all']);
    expect(allowed.denyByDefault.map(p => label(p.object))).toEqual(['istio-system/deny-all']);
    expect(allowed).toMatchObject({ verdict: 'listed', allow: [{ namespaces: ['team-a'], field: 'spec.rules[0]' }] });
  });

  test('conditions on other keys than connection.sni do not tie a rule to a host', () => {
    const objects = [
      ...egress(),
      onGateway('allow', { rules: [{ from: [{ source: { namespaces: ['team-a'] } }], when: [{ key: 'source.ip', values: ['10.0.0.1'] }] }] }),
    ];
    assertValidIstioObjects(objects);

    expect(portOf(objects, 443).allowed).toMatchObject({ verdict: 'listed', allow: [{ namespaces: ['team-a'], field: 'spec.rules[0]' }] });
  });

  test('a connection.sni condition with several values applies when any of them matches the host', () => {
    const objects = [
      ...egress(),
      onGateway('allow', { rules: [{ from: [{ source: { namespaces: ['team-a'] } }], when: [{ key: 'connection.sni', values: ['other.example.com', HOST] }] }] }),
    ];
    assertValidIstioObjects(objects);

    expect(portOf(objects, 443).allowed).toMatchObject({ verdict: 'listed', allow: [{ namespaces: ['team-a'] }] });
  });

  test('a `to` entry without an operation (Istio\'s webhook refuses it; lint reads any YAML) restricts no port', () => {
    const objects = [...egress(), onGateway('allow', { rules: [{ to: [{}], from: [{ source: { namespaces: ['team-a'] } }] }] })];

    expect(portOf(objects, 443).allowed).toMatchObject({ verdict: 'listed', allow: [{ namespaces: ['team-a'] }] });
  });
});

describe('valueMatches', () => {
  test('an empty value is an exact match of the empty string only (Istio: StringMatcherExact), not a wildcard', () => {
    expect(valueMatches('', HOST)).toBe(false);
    expect(valueMatches('', '')).toBe(true);
  });
});
