/**
 * The objects on an egress path (src/analysis/paths.ts, pathObjects and concernsPath) and the parts of them that
 * concern the path: the AuthorizationPolicies of a path without a gateway, the subset of the sidecars'
 * DestinationRule, and the part of a DestinationRule that sets a hop's TLS (a subset or a port-level setting).
 */
import { destinationRule, gateway, server, serviceEntry, virtualService } from './objects';
import { EGRESS_GATEWAY_SERVICE as GW, HOST, hostPaths as hosts, portPath as portOf, waypointGateway } from './path-fixtures';
import { PathObject, concernsPath, pathObjects } from '../../src/analysis/paths';
import { assertValidIstioObjects } from '../support/crd-validator';

/** The objects on the path of `host`:`port`. */
function objectsOn(objects: any[], port: number, host = HOST): PathObject[] {
  const h = hosts(objects).find(x => x.host === host)!;
  return pathObjects(h, h.ports.find(p => p.port.number === port)!);
}

/** The entry for `object` among the objects on the path of `host`:`port`. */
function partOf(objects: any[], object: any, port: number, host = HOST): PathObject | undefined {
  return objectsOn(objects, port, host).find(o => o.index === objects.indexOf(object));
}

const RULE_LISTS = ['spec.subsets[', 'spec.trafficPolicy.portLevelSettings['];

describe('a path without a gateway: no AuthorizationPolicies on it', () => {
  const entry = serviceEntry('api', 'team-a', {
    hosts: [HOST, 'www.example.com'],
    resolution: 'DNS',
    ports: [{ number: 443, name: 'tls', protocol: 'TLS' }, { number: 80, name: 'http', protocol: 'HTTP' }],
  });

  test('the sidecars send out directly: the ServiceEntry is the only object, with its host and port', () => {
    assertValidIstioObjects([entry]);
    const p = portOf([entry], 443);

    expect(p.sidecar.via).toBe('direct');
    expect(p.allowed).toBeUndefined();
    expect(objectsOn([entry], 443)).toEqual([
      { index: 0, within: ['spec.hosts[0]', 'spec.ports[0]'], lists: ['spec.hosts[', 'spec.ports['] },
    ]);
  });

  test('concernsPath: a finding under any one of the path\'s parts concerns it, one under another host or port does not', () => {
    const [se] = objectsOn([entry], 443);

    expect(concernsPath(se, 'spec.hosts[0]')).toBe(true);
    expect(concernsPath(se, 'spec.ports[0].name')).toBe(true);
    expect(concernsPath(se, 'spec.ports[1].name')).toBe(false);
    expect(concernsPath(se, 'spec.hosts[1]')).toBe(false);
    expect(concernsPath(se, 'spec.resolution')).toBe(true);
  });
});

describe('the subset of the DestinationRule that the sidecars\' route names', () => {
  /** HOST:80 (HTTP) sent by the sidecars to the egress gateway, with `destination` (subset, or none) for the gateway Service. */
  const egress = (destination: Record<string, unknown>) => [
    serviceEntry('api', 'team-a', { hosts: [HOST], resolution: 'DNS', ports: [{ number: 80, name: 'http', protocol: 'HTTP' }] }),
    gateway('egress', 'istio-system', { selector: { istio: 'egressgateway' }, servers: [server(80, [HOST])] }),
    virtualService('api', 'team-a', {
      hosts: [HOST],
      gateways: ['mesh', 'istio-system/egress'],
      http: [
        { match: [{ gateways: ['mesh'], port: 80 }], route: [{ destination: { host: GW, port: { number: 80 }, ...destination } }] },
        { match: [{ gateways: ['istio-system/egress'], port: 80 }], route: [{ destination: { host: HOST, port: { number: 80 } } }] },
      ],
    }),
  ];

  test('the first subset of the rule is the path\'s part of it', () => {
    const rule = destinationRule('egressgateway', 'team-a', { host: GW, subsets: [{ name: 'api' }, { name: 'other' }] });
    const objects = [...egress({ subset: 'api' }), rule];
    assertValidIstioObjects(objects);
    const dr = partOf(objects, rule, 80)!;

    expect(portOf(objects, 80).sidecar).toMatchObject({ via: 'gateway', subset: 'api' });
    expect(dr).toEqual({ index: 3, within: ['spec.subsets[0]'], lists: RULE_LISTS });
    expect(concernsPath(dr, 'spec.subsets[0].trafficPolicy')).toBe(true);
    expect(concernsPath(dr, 'spec.subsets[1].trafficPolicy')).toBe(false);
  });

  test('a route without a subset uses no subset of the rule', () => {
    const rule = destinationRule('egressgateway', 'team-a', { host: GW, subsets: [{ name: 'api' }, { name: 'other' }] });
    const objects = [...egress({}), rule];
    assertValidIstioObjects(objects);
    const dr = partOf(objects, rule, 80)!;

    expect(portOf(objects, 80).sidecar.subset).toBeUndefined();
    expect(dr).toEqual({ index: 3, within: [], lists: RULE_LISTS });
    expect(concernsPath(dr, 'spec.subsets[0].name')).toBe(false);
    expect(concernsPath(dr, 'spec.subsets[1].name')).toBe(false);
  });

  test('a route without a subset uses no subset of the rule, not even one without a name (the API server requires names; lint reads any YAML)', () => {
    const rule = destinationRule('egressgateway', 'team-a', { host: GW, subsets: [{ labels: { app: 'x' } }] });
    const objects = [...egress({}), rule];

    expect(partOf(objects, rule, 80)).toEqual({ index: 3, within: [], lists: RULE_LISTS });
  });

  test('a route naming a subset with no DestinationRule for the gateway Service: no rule on the path', () => {
    const objects = egress({ subset: 'api' });
    assertValidIstioObjects(objects);

    expect(portOf(objects, 80).sidecar).toMatchObject({ subset: 'api', destinationRule: undefined });
    expect(objectsOn(objects, 80).map(o => o.index)).toEqual([0, 1, 2]);
  });
});

describe('the part of a DestinationRule that sets TLS origination at the egress gateway', () => {
  /** HOST:80 (HTTP) through the gateway, which sends it to HOST:443; `rule` is the gateway pods' DestinationRule for HOST. */
  const egress = (rule: any) => [
    serviceEntry('api', 'team-a', {
      hosts: [HOST],
      resolution: 'DNS',
      ports: [{ number: 80, name: 'http', protocol: 'HTTP' }, { number: 443, name: 'https', protocol: 'HTTPS' }],
    }),
    gateway('egress', 'istio-system', { selector: { istio: 'egressgateway' }, servers: [server(80, [HOST])] }),
    virtualService('api', 'team-a', {
      hosts: [HOST],
      gateways: ['mesh', 'istio-system/egress'],
      http: [
        { match: [{ gateways: ['mesh'], port: 80 }], route: [{ destination: { host: GW, port: { number: 80 } } }] },
        { match: [{ gateways: ['istio-system/egress'], port: 80 }], route: [{ destination: { host: HOST, port: { number: 443 } } }] },
      ],
    }),
    rule,
  ];
  /** `before` port-level settings for other ports, then SIMPLE TLS for port 443. */
  const origination = (before: number) => destinationRule('origination', 'istio-system', {
    host: HOST,
    workloadSelector: { matchLabels: { istio: 'egressgateway' } },
    trafficPolicy: {
      portLevelSettings: [
        ...Array.from({ length: before }, (_, i) => ({ port: { number: 8000 + i }, connectionPool: { tcp: { maxConnections: 10 } } })),
        { port: { number: 443 }, tls: { mode: 'SIMPLE', sni: HOST } },
      ],
    },
  });

  test.each([0, 10])('the port-level setting (at %d) for the destination port is the path\'s part of the rule', before => {
    const objects = egress(origination(before));
    assertValidIstioObjects(objects);
    const at = `spec.trafficPolicy.portLevelSettings[${before}]`;
    const dr = partOf(objects, objects[3], 80)!;

    expect(portOf(objects, 80).gatewayHop!.tlsOrigination).toMatchObject({ mode: 'SIMPLE', field: `${at}.tls` });
    expect(dr).toEqual({ index: 3, within: [at], lists: RULE_LISTS });
    // The whole setting for the port concerns the path, not only its tls.
    expect(concernsPath(dr, `${at}.port.number`)).toBe(true);
    expect(concernsPath(dr, `${at}.tls.sni`)).toBe(true);
    expect(concernsPath(dr, `spec.trafficPolicy.portLevelSettings[${before + 1}]`)).toBe(false);
  });

  test('a rule that originates no TLS: on the path, with no part of its lists its own', () => {
    const plain = destinationRule('plain', 'istio-system', {
      host: HOST,
      workloadSelector: { matchLabels: { istio: 'egressgateway' } },
      trafficPolicy: { portLevelSettings: [{ port: { number: 443 }, connectionPool: { tcp: { maxConnections: 10 } } }] },
    });
    const objects = egress(plain);
    assertValidIstioObjects(objects);
    const hop = portOf(objects, 80).gatewayHop!;

    expect(hop.tlsOrigination).toBeUndefined();
    expect(hop.destinationRule!.index).toBe(3);
    expect(partOf(objects, plain, 80)).toEqual({ index: 3, within: [], lists: RULE_LISTS });
  });
});

describe('the part of a DestinationRule that sets TLS origination at a waypoint: the route\'s subset', () => {
  const waypoint = waypointGateway('waypoint', 'istio-egress');
  const entry = serviceEntry('httpbin', 'istio-egress', {
    hosts: ['httpbin.org'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'DNS',
  }, { 'istio.io/use-waypoint': 'waypoint' });
  const backup = serviceEntry('backup', 'backup', { hosts: ['backup.example.com'], ports: [{ number: 8443, name: 'https', protocol: 'HTTPS' }], resolution: 'DNS' });
  /** The route sends httpbin.org to subset `v<at>` of backup.example.com, whose rule's subsets are v0 ... v<at>; the last originates TLS. */
  const objectsFor = (at: number) => [
    waypoint,
    entry,
    backup,
    destinationRule('backup-tls', 'backup', {
      host: 'backup.example.com',
      subsets: [
        ...Array.from({ length: at }, (_, i) => ({ name: `v${i}`, labels: { version: `v${i}` } })),
        { name: `v${at}`, labels: { version: `v${at}` }, trafficPolicy: { tls: { mode: 'SIMPLE', sni: 'backup.example.com' } } },
      ],
    }),
    virtualService('httpbin', 'istio-egress', {
      hosts: ['httpbin.org'],
      http: [{ route: [{ destination: { host: 'backup.example.com', subset: `v${at}`, port: { number: 8443 } } }] }],
    }),
  ];

  test.each([0, 10])('the subset (at %d) is the path\'s part of the rule', at => {
    const objects = objectsFor(at);
    assertValidIstioObjects(objects);
    const subset = `spec.subsets[${at}]`;
    const dr = partOf(objects, objects[3], 80, 'httpbin.org')!;

    expect(portOf(objects, 80, 'httpbin.org').waypoint!.tlsOrigination).toMatchObject({ mode: 'SIMPLE', field: `${subset}.trafficPolicy.tls` });
    expect(dr).toEqual({ index: 3, within: [subset], lists: RULE_LISTS });
    // The whole subset concerns the path (its labels pick the endpoints), not only its tls.
    expect(concernsPath(dr, `${subset}.labels`)).toBe(true);
    expect(concernsPath(dr, `spec.subsets[${at + 1}]`)).toBe(false);
  });
});
