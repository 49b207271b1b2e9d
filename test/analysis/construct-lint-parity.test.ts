/**
 * What the constructs refuse because of their objects, `lint` finds in the same objects written by
 * hand, with the same code and, but for the weakening choices that Istio runs (lint warns about them,
 * the constructs make them only when acknowledged), the same severity: one row per such refusal. Each row builds the refused
 * construct code, and writes the objects it would have emitted as plain manifests.
 */
import { App, Chart, JsonPatch } from 'cdk8s';
import {
  EgressClient, EgressGateway, EgressGatewayRoute, EgressLockdown, EgressPort, ExportTo, ExternalHost, Resolution, TlsOrigination,
} from '../../src';
import { lintObjects } from '../../src/analysis';
import { Manifest, formatFinding } from '../../src/rules/finding';
import { assertValidIstioObjects } from '../support/crd-validator';
import { assertValidKubernetesObjects, isKubernetesCoreKind } from '../support/k8s-validator';
import { synthError } from '../support/synth';

const NET = 'networking.istio.io/v1';
const GATEWAY_HOST = 'istio-egressgateway.istio-system.svc.cluster.local';
const EGRESS_PODS = { istio: 'egressgateway' };
const CA = '/etc/ssl/certs/ca-certificates.crt';

// Plain manifests, in the shapes the constructs write.
const object = (apiVersion: string, kind: string, name: string, namespace: string, spec: unknown): Manifest =>
  ({ apiVersion, kind, metadata: { name, namespace }, spec });
const se = (name: string, namespace: string, spec: Record<string, unknown>) =>
  object(NET, 'ServiceEntry', name, namespace, { location: 'MESH_EXTERNAL', resolution: 'DNS', ...spec });
const httpsPort = { name: 'https-443', number: 443, protocol: 'HTTPS' };

/** A route's Gateway server for one host on 443. */
function gateway(name: string, tls: Record<string, unknown>) {
  return object(NET, 'Gateway', name, 'istio-system', {
    selector: EGRESS_PODS, servers: [{ hosts: ['api.example.com'], port: { name: 'tls-443', number: 443, protocol: 'TLS' }, tls }],
  });
}

/** The sidecars' DestinationRule for the gateway subset of api.example.com. */
function gatewaySubset(namespace: string, mutualTls = true) {
  return object(NET, 'DestinationRule', 'api-example-com-egress', namespace, {
    host: GATEWAY_HOST,
    subsets: [{
      name: 'api-example-com',
      ...(mutualTls ? { trafficPolicy: { portLevelSettings: [{ port: { number: 443 }, tls: { mode: 'ISTIO_MUTUAL', sni: 'api.example.com' } }] } } : {}),
    }],
  });
}

/** A route's VirtualService for api.example.com on 443: tls from the mesh, tcp (mTLS) or tls (passthrough) from the gateway. */
function routeVirtualService(namespace: string, gatewayName: string, mutualTls = true) {
  const gatewayRef = `istio-system/${gatewayName}`;
  const toHost = { destination: { host: 'api.example.com', port: { number: 443 } }, weight: 100 };
  const fromMesh = {
    match: [{ gateways: ['mesh'], port: 443, sniHosts: ['api.example.com'] }],
    route: [{ destination: { host: GATEWAY_HOST, port: { number: 443 }, subset: 'api-example-com' }, weight: 100 }],
  };
  return object(NET, 'VirtualService', 'api-example-com-egress', namespace, {
    gateways: [gatewayRef, 'mesh'],
    hosts: ['api.example.com'],
    ...(mutualTls
      ? { tls: [fromMesh], tcp: [{ match: [{ gateways: [gatewayRef], port: 443 }], route: [toHost] }] }
      : { tls: [fromMesh, { match: [{ gateways: [gatewayRef], port: 443, sniHosts: ['api.example.com'] }], route: [toHost] }] }),
  });
}

function allowPolicy(name: string, source: Record<string, unknown>) {
  return object('security.istio.io/v1', 'AuthorizationPolicy', name, 'istio-system', {
    action: 'ALLOW',
    selector: { matchLabels: EGRESS_PODS },
    rules: [{ from: [{ source }], when: [{ key: 'connection.sni', values: ['api.example.com'] }] }],
  });
}

function lockdownSidecar(namespace: string, hosts: string[]) {
  return object(NET, 'Sidecar', 'egress-lockdown', namespace, { egress: [{ hosts: ['./*', 'istio-system/*', ...hosts] }], outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } });
}

function lockdownPolicy(namespace: string, extra: unknown[] = []) {
  const inNamespace = (ns: string, labels: Record<string, string>) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } }, podSelector: { matchLabels: labels } });
  return object('networking.k8s.io/v1', 'NetworkPolicy', 'egress-lockdown', namespace, {
    podSelector: {},
    policyTypes: ['Egress'],
    egress: [
      { to: [inNamespace('istio-system', EGRESS_PODS)] },
      { ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }], to: [inNamespace('kube-system', { 'k8s-app': 'kube-dns' })] },
      { ports: [{ port: 15012, protocol: 'TCP' }], to: [inNamespace('istio-system', { app: 'istiod' })] },
      { to: [{ podSelector: {} }] },
      ...extra,
    ],
  });
}

/** A sidecar's origination DestinationRule for a.example.com on HTTP port 80 (sent to 443). */
function sidecarOrigination(tls: Record<string, unknown>) {
  return [
    se('a-example-com', 'default', { hosts: ['a.example.com'], ports: [{ name: 'http-80', number: 80, protocol: 'HTTP', targetPort: 443 }] }),
    object(NET, 'DestinationRule', 'a-example-com', 'default', {
      host: 'a.example.com', trafficPolicy: { portLevelSettings: [{ port: { number: 80 }, tls: { mode: 'SIMPLE', sni: 'a.example.com', ...tls } }] },
    }),
  ];
}

function chartIn(app: App, namespace: string, id = 'test'): Chart {
  return new Chart(app, id, { namespace });
}

/** One construct refusal: the construct code refused at synth, and its objects written by hand. */
interface Row {
  /** The construct's check (before: its own message; now: the rule's finding). */
  readonly refusal: string;
  readonly code: string;
  /** The refused construct code. */
  readonly construct: () => App;
  /** The objects it would have emitted. */
  readonly objects: Manifest[];
  /** The same objects corrected: no finding with the code. */
  readonly corrected: Manifest[];
  /**
   * What the synth says instead of the rule's finding, where the construct tells the same code in the
   * props the user wrote (issue 12: at synth the fix names props, in lint the YAML fields).
   */
  readonly inProps?: string;
  /** How lint reports the code: a warning for a weakening choice Istio runs (EGR201-204). @default 'error' */
  readonly inLint?: 'warning';
}

const ROWS: Row[] = [
  {
    refusal: 'EgressGatewayRoute: a destination host with resolution NONE (the gateway loops)',
    code: 'EGR107',
    construct: () => {
      const app = new App();
      const chart = chartIn(app, 'default');
      const host = new ExternalHost(chart, 'Host', { hosts: ['api.example.com'], ports: [EgressPort.https()], resolution: Resolution.NONE });
      new EgressGatewayRoute(chart, 'Route', { host, gateway: EgressGateway.istioDefault() });
      return app;
    },
    objects: [
      se('api-example-com', 'default', { hosts: ['api.example.com'], ports: [httpsPort], resolution: 'NONE' }),
      gateway('default-api-example-com', { mode: 'ISTIO_MUTUAL' }), gatewaySubset('default'), routeVirtualService('default', 'default-api-example-com'),
    ],
    corrected: [
      se('api-example-com', 'default', { hosts: ['api.example.com'], ports: [httpsPort], resolution: 'DNS' }),
      gateway('default-api-example-com', { mode: 'ISTIO_MUTUAL' }), gatewaySubset('default'), routeVirtualService('default', 'default-api-example-com'),
    ],
  },
  {
    refusal: 'EgressGatewayRoute: allowedClients without gatewayMutualTls (identities at the gateway without mutual TLS)',
    code: 'EGR108',
    construct: () => {
      const app = new App();
      const chart = chartIn(app, 'shop');
      const host = new ExternalHost(chart, 'Host', { hosts: ['api.example.com'], ports: [EgressPort.https()] });
      new EgressGatewayRoute(chart, 'Route', { host, gateway: EgressGateway.istioDefault(), gatewayMutualTls: false, allowedClients: [EgressClient.inNamespace('shop')] });
      return app;
    },
    objects: [
      se('api-example-com', 'shop', { hosts: ['api.example.com'], ports: [httpsPort] }),
      gateway('shop-api-example-com', { mode: 'PASSTHROUGH' }), gatewaySubset('shop', false), routeVirtualService('shop', 'shop-api-example-com', false),
      allowPolicy('shop-api-example-com-egress', { namespaces: ['shop'] }),
    ],
    corrected: [
      se('api-example-com', 'shop', { hosts: ['api.example.com'], ports: [httpsPort] }),
      gateway('shop-api-example-com', { mode: 'ISTIO_MUTUAL' }), gatewaySubset('shop'), routeVirtualService('shop', 'shop-api-example-com'),
      allowPolicy('shop-api-example-com-egress', { namespaces: ['shop'] }),
    ],
  },
  {
    refusal: 'ExternalHost: an explicit exportTo without the egress gateway\'s namespace (a route\'s consumer)',
    code: 'IST0101',
    construct: () => {
      const app = new App();
      const chart = chartIn(app, 'default');
      const host = new ExternalHost(chart, 'Host', { hosts: ['api.example.com'], ports: [EgressPort.https()], exportTo: ExportTo.sameNamespace() });
      new EgressGatewayRoute(chart, 'Route', { host, gateway: EgressGateway.istioDefault() });
      return app;
    },
    objects: [
      se('api-example-com', 'default', { exportTo: ['.'], hosts: ['api.example.com'], ports: [httpsPort] }),
      gateway('default-api-example-com', { mode: 'ISTIO_MUTUAL' }), gatewaySubset('default'), routeVirtualService('default', 'default-api-example-com'),
    ],
    corrected: [
      se('api-example-com', 'default', { exportTo: ['.', 'istio-system'], hosts: ['api.example.com'], ports: [httpsPort] }),
      gateway('default-api-example-com', { mode: 'ISTIO_MUTUAL' }), gatewaySubset('default'), routeVirtualService('default', 'default-api-example-com'),
    ],
  },
  {
    refusal: 'ExternalHost: an explicit exportTo without the namespace of a route\'s allowedClients',
    code: 'EGR109',
    construct: () => {
      const app = new App();
      const chart = chartIn(app, 'shop');
      const host = new ExternalHost(chart, 'Host', { hosts: ['api.example.com'], ports: [EgressPort.https()], exportTo: ExportTo.namespaces('.', 'istio-system') });
      new EgressGatewayRoute(chart, 'Route', { host, gateway: EgressGateway.istioDefault(), allowedClients: [EgressClient.inNamespace('billing')] });
      return app;
    },
    objects: [
      se('api-example-com', 'shop', { exportTo: ['.', 'istio-system'], hosts: ['api.example.com'], ports: [httpsPort] }),
      gateway('shop-api-example-com', { mode: 'ISTIO_MUTUAL' }), gatewaySubset('shop'), routeVirtualService('shop', 'shop-api-example-com'),
      gatewaySubset('billing'), allowPolicy('shop-api-example-com-egress', { namespaces: ['billing'] }),
    ],
    corrected: [
      se('api-example-com', 'shop', { exportTo: ['.', 'billing', 'istio-system'], hosts: ['api.example.com'], ports: [httpsPort] }),
      gateway('shop-api-example-com', { mode: 'ISTIO_MUTUAL' }), gatewaySubset('shop'), routeVirtualService('shop', 'shop-api-example-com'),
      gatewaySubset('billing'), allowPolicy('shop-api-example-com-egress', { namespaces: ['billing'] }),
    ],
  },
  {
    refusal: 'ExternalHost: an explicit exportTo without the namespace of an EgressLockdown that allows the host',
    code: 'EGR109',
    construct: () => {
      const app = new App();
      const host = new ExternalHost(chartIn(app, 'egress', 'hosts'), 'Host', { hosts: ['api.example.com'], ports: [EgressPort.https()], exportTo: ExportTo.sameNamespace() });
      new EgressLockdown(chartIn(app, 'shop', 'shop'), 'Lockdown', { namespace: 'shop', hosts: [host], networkPolicy: false });
      return app;
    },
    objects: [
      se('api-example-com', 'egress', { exportTo: ['.'], hosts: ['api.example.com'], ports: [httpsPort] }),
      lockdownSidecar('shop', ['egress/api.example.com']),
    ],
    corrected: [
      se('api-example-com', 'egress', { exportTo: ['.', 'shop'], hosts: ['api.example.com'], ports: [httpsPort] }),
      lockdownSidecar('shop', ['egress/api.example.com']),
    ],
  },
  {
    refusal: 'EgressLockdown: a host of another namespace reached directly, without addresses, that the NetworkPolicy blocks',
    code: 'EGR110',
    construct: () => {
      const app = new App();
      const host = new ExternalHost(chartIn(app, 'egress', 'hosts'), 'Host', { hosts: ['api.example.com'], ports: [EgressPort.https()] });
      new EgressLockdown(chartIn(app, 'shop', 'shop'), 'Lockdown', { namespace: 'shop', hosts: [host] });
      return app;
    },
    objects: [
      se('api-example-com', 'egress', { hosts: ['api.example.com'], ports: [httpsPort] }),
      lockdownSidecar('shop', ['egress/api.example.com']), lockdownPolicy('shop'),
    ],
    corrected: [
      se('api-example-com', 'egress', { hosts: ['api.example.com'], ports: [httpsPort], resolution: 'NONE', addresses: ['203.0.113.0/24'] }),
      lockdownSidecar('shop', ['egress/api.example.com']),
      lockdownPolicy('shop', [{ to: [{ ipBlock: { cidr: '203.0.113.0/24' } }], ports: [{ protocol: 'TCP', port: 443 }] }]),
    ],
  },
  {
    refusal: 'ESCALATED IST0129 for ExternalHost tlsOrigination with a credentialName (sidecars ignore it)',
    code: 'EGR111',
    construct: () => {
      const app = new App();
      new ExternalHost(chartIn(app, 'default'), 'Host', { hosts: ['a.example.com'], ports: [EgressPort.http()], tlsOrigination: TlsOrigination.simple({ credentialName: 'a-ca' }) });
      return app;
    },
    objects: sidecarOrigination({ credentialName: 'a-ca' }),
    corrected: sidecarOrigination({ caCertificates: CA }),
    inProps: "[test/Host] tlsOrigination (EGR111): TlsOrigination.simple({ credentialName: 'a-ca' }) at the sidecar",
  },
  {
    refusal: 'ESCALATED IST0129 for origination that does not verify the server (insecureSkipVerify, not acknowledged)',
    code: 'EGR201',
    inLint: 'warning',
    construct: () => {
      const app = new App();
      const host = new ExternalHost(chartIn(app, 'default'), 'Host', { hosts: ['a.example.com'], ports: [EgressPort.http()], tlsOrigination: TlsOrigination.simple() });
      host.destinationRules[0].addJsonPatch(JsonPatch.add('/spec/trafficPolicy/portLevelSettings/0/tls/insecureSkipVerify', true));
      return app;
    },
    objects: sidecarOrigination({ insecureSkipVerify: true }),
    corrected: sidecarOrigination({ caCertificates: CA }),
  },
  {
    refusal: 'ESCALATED SE13: a NONE entry with a TCP port and no addresses',
    code: 'EGR202',
    inLint: 'warning',
    construct: () => {
      const app = new App();
      new ExternalHost(chartIn(app, 'default'), 'Host', { hosts: ['db.example.com'], ports: [EgressPort.tcp(5432)], resolution: Resolution.NONE });
      return app;
    },
    objects: [se('db-example-com', 'default', { hosts: ['db.example.com'], ports: [{ name: 'tcp-5432', number: 5432, protocol: 'TCP' }], resolution: 'NONE' })],
    corrected: [se('db-example-com', 'default', {
      hosts: ['db.example.com'], ports: [{ name: 'tcp-5432', number: 5432, protocol: 'TCP' }], resolution: 'NONE', addresses: ['192.0.2.0/28'],
    })],
  },
  {
    refusal: 'EgressGatewayRoute: tlsOrigination.port that the destination host does not declare',
    code: 'IST0101',
    construct: () => {
      const app = new App();
      const chart = chartIn(app, 'default');
      const host = new ExternalHost(chart, 'Host', { hosts: ['a.example.com'], ports: [EgressPort.http()] });
      new EgressGatewayRoute(chart, 'Route', { host, gateway: EgressGateway.istioDefault(), tlsOrigination: TlsOrigination.simple({ caCertificates: CA }) });
      return app;
    },
    objects: gatewayOrigination([{ name: 'http-80', number: 80, protocol: 'HTTP' }]),
    corrected: gatewayOrigination([{ name: 'http-80', number: 80, protocol: 'HTTP' }, httpsPort]),
  },
  {
    refusal: 'EgressGatewayRoute: gatewayPorts naming a port the gateway\'s Service lacks (with the Service known)',
    code: 'IST0101',
    construct: () => {
      const app = new App();
      const chart = chartIn(app, 'default');
      const host = new ExternalHost(chart, 'Host', { hosts: ['db.example.com'], ports: [EgressPort.tcp(5432)], addresses: ['192.0.2.7'] });
      new EgressGatewayRoute(chart, 'Route', { host, gateway: EgressGateway.istioDefault(), gatewayPorts: { 5432: 7777 } });
      return app;
    },
    objects: [...tcpThroughGateway(7777), gatewayService([80, 443])],
    corrected: [...tcpThroughGateway(7777), gatewayService([80, 443, 7777])],
  },
];

/** Opaque TCP to db.example.com through the gateway's port `port`, with mutual TLS to the gateway. */
function tcpThroughGateway(port: number): Manifest[] {
  const gatewayRef = 'istio-system/default-db-example-com';
  return [
    se('db-example-com', 'default', { addresses: ['192.0.2.7'], hosts: ['db.example.com'], ports: [{ name: 'tcp-5432', number: 5432, protocol: 'TCP' }] }),
    object(NET, 'Gateway', 'default-db-example-com', 'istio-system', {
      selector: EGRESS_PODS, servers: [{ hosts: ['db.example.com'], port: { name: `tls-${port}`, number: port, protocol: 'TLS' }, tls: { mode: 'ISTIO_MUTUAL' } }],
    }),
    object(NET, 'DestinationRule', 'db-example-com-egress', 'default', {
      host: GATEWAY_HOST,
      subsets: [{ name: 'db-example-com', trafficPolicy: { portLevelSettings: [{ port: { number: port }, tls: { mode: 'ISTIO_MUTUAL', sni: 'db.example.com' } }] } }],
    }),
    object(NET, 'VirtualService', 'db-example-com-egress', 'default', {
      gateways: [gatewayRef, 'mesh'],
      hosts: ['db.example.com'],
      tcp: [
        {
          match: [{ destinationSubnets: ['192.0.2.7/32'], gateways: ['mesh'], port: 5432 }],
          route: [{ destination: { host: GATEWAY_HOST, port: { number: port }, subset: 'db-example-com' }, weight: 100 }],
        },
        { match: [{ gateways: [gatewayRef], port }], route: [{ destination: { host: 'db.example.com', port: { number: 5432 } }, weight: 100 }] },
      ],
    }),
  ];
}

/** The egress gateway's Service, as istioctl installs it, with these ports. */
function gatewayService(ports: number[]): Manifest {
  return object('v1', 'Service', 'istio-egressgateway', 'istio-system', {
    selector: EGRESS_PODS, ports: ports.map(port => ({ name: `tcp-${port}`, port, targetPort: port, protocol: 'TCP' })),
  });
}

/** Origination at the gateway for a.example.com: HTTP 80 from the sidecars, TLS to 443 from the gateway. */
function gatewayOrigination(ports: unknown[]): Manifest[] {
  const gatewayRef = 'istio-system/default-a-example-com';
  return [
    se('a-example-com', 'default', { hosts: ['a.example.com'], ports }),
    object(NET, 'Gateway', 'default-a-example-com', 'istio-system', {
      selector: EGRESS_PODS, servers: [{ hosts: ['a.example.com'], port: { name: 'https-80', number: 80, protocol: 'HTTPS' }, tls: { mode: 'ISTIO_MUTUAL' } }],
    }),
    object(NET, 'DestinationRule', 'a-example-com-egress', 'default', {
      host: GATEWAY_HOST,
      subsets: [{ name: 'a-example-com', trafficPolicy: { portLevelSettings: [{ port: { number: 80 }, tls: { mode: 'ISTIO_MUTUAL', sni: 'a.example.com' } }] } }],
    }),
    object(NET, 'VirtualService', 'a-example-com-egress', 'default', {
      gateways: [gatewayRef, 'mesh'],
      hosts: ['a.example.com'],
      http: [
        { match: [{ gateways: ['mesh'], port: 80 }], route: [{ destination: { host: GATEWAY_HOST, port: { number: 80 }, subset: 'a-example-com' }, weight: 100 }] },
        { match: [{ gateways: [gatewayRef], port: 80 }], route: [{ destination: { host: 'a.example.com', port: { number: 443 } }, weight: 100 }] },
      ],
    }),
    object(NET, 'DestinationRule', 'a-example-com-tls-origination', 'istio-system', {
      exportTo: ['.'],
      host: 'a.example.com',
      workloadSelector: { matchLabels: EGRESS_PODS },
      trafficPolicy: { portLevelSettings: [{ port: { number: 443 }, tls: { caCertificates: CA, mode: 'SIMPLE', sni: 'a.example.com' } }] },
    }),
  ];
}

// Synth prints Istio's warnings about some of the refused apps: keep the test output readable.
beforeAll(() => {
  jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
});

afterAll(() => {
  jest.restoreAllMocks();
});

describe('a construct refusal and lint of the same objects agree', () => {
  test.each(ROWS.map(row => [row.refusal, row] as const))('%s', (_, row) => {
    // lint: the hand-written objects get the code, as errors (as warnings where Istio runs them as written)
    const found = lintObjects(row.objects).filter(f => f.code === row.code);
    expect(found.length).toBeGreaterThan(0);
    expect(found.map(f => f.severity)).toEqual(found.map(() => row.inLint ?? 'error'));

    // synth: the construct code is refused with the same finding, under the construct's path
    const error = synthError(row.construct());
    if (row.inProps !== undefined) {
      expect(error).toContain(row.inProps);
      expect(error).not.toContain(`(${row.code}): ${formatFinding(found[0])}`);
      return;
    }
    for (const finding of found) {
      const target = row.objects[finding.index];
      expect(error).toContain(`${target.kind} ${target.metadata?.name} (${row.code}): ${formatFinding(finding)}`);
    }
  });

  test.each(ROWS.map(row => [row.refusal, row] as const))('corrected: %s', (_, row) => {
    expect(lintObjects(row.corrected).filter(f => f.code === row.code)).toEqual([]);
    assertValidIstioObjects(row.corrected.filter(o => !isKubernetesCoreKind(o.apiVersion!, o.kind!)));
    assertValidKubernetesObjects(row.corrected.filter(o => isKubernetesCoreKind(o.apiVersion!, o.kind!)));
  });

  test('every finding of lint has a code', () => {
    const findings = ROWS.flatMap(row => [...lintObjects(row.objects), ...lintObjects(row.corrected)]);
    expect(findings.length).toBeGreaterThan(ROWS.length);
    expect(findings.filter(f => typeof f.code !== 'string' || f.code === '')).toEqual([]);
  });
});

describe('the rules behind the refusals leave alone what works', () => {
  const codes = (objects: Manifest[]) => lintObjects(objects).map(f => `${f.code} ${f.severity} ${f.field}`);

  test('GATEWAY_LOOP: resolution NONE is fine for the sidecars, which send to the address the application chose', () => {
    const objects = [
      se('wildcard-example-com', 'default', { hosts: ['*.example.com'], ports: [httpsPort], resolution: 'NONE' }),
      object(NET, 'VirtualService', 'wildcard', 'default', {
        hosts: ['*.example.com'], tls: [{ match: [{ port: 443, sniHosts: ['*.example.com'] }], route: [{ destination: { host: '*.example.com', port: { number: 443 } } }] }],
      }),
    ];
    expect(codes(objects)).toEqual([]);
  });

  test('IDENTITY_WITHOUT_MTLS: only rules that name identities, and only for the servers their SNI picks', () => {
    const passthrough = object(NET, 'Gateway', 'plain', 'istio-system', {
      selector: EGRESS_PODS, servers: [{ hosts: ['plain.example.com'], port: { name: 'tls-8443', number: 8443, protocol: 'TLS' }, tls: { mode: 'PASSTHROUGH' } }],
    });
    const base = [se('api-example-com', 'shop', { hosts: ['api.example.com'], ports: [httpsPort] }), gateway('shop-api-example-com', { mode: 'ISTIO_MUTUAL' }), passthrough];
    expect(codes([...base, allowPolicy('by-identity', { namespaces: ['shop'] })])).toEqual([]);
    const bySni = object('security.istio.io/v1', 'AuthorizationPolicy', 'by-sni', 'istio-system', {
      selector: { matchLabels: EGRESS_PODS }, rules: [{ when: [{ key: 'connection.sni', values: ['plain.example.com'] }] }],
    });
    expect(codes([...base, bySni])).toEqual([]);
    const byCondition = object('security.istio.io/v1', 'AuthorizationPolicy', 'by-condition', 'istio-system', {
      selector: { matchLabels: EGRESS_PODS },
      rules: [{ when: [{ key: 'connection.sni', values: ['plain.example.com'] }, { key: 'source.namespace', values: ['shop'] }] }],
    });
    const found = lintObjects([...base, byCondition]).filter(f => f.code === 'EGR108');
    expect(found.map(f => `${f.field}: ${f.message}`)).toEqual([
      'spec.rules[0].when[1].values: rule 0 allows only the workloads named by the source.namespace condition, identities that a gateway learns '
      + 'from Istio mutual TLS, but the servers it applies to do not use mutual TLS (Gateway istio-system/plain port 8443 (tls PASSTHROUGH)): '
      + 'no request carries an identity there, so the gateway denies every one',
    ]);
  });

  test('HIDDEN_HOST: imports of any namespace (*/host) are not judged', () => {
    expect(codes([
      se('api-example-com', 'egress', { exportTo: ['.'], hosts: ['api.example.com'], ports: [httpsPort] }),
      lockdownSidecar('shop', ['*/api.example.com']),
    ])).toEqual([]);
  });

  test('DIRECT_HOST_BLOCKED: a policy that lets the pods out on the port, or a host routed to the gateway, is fine', () => {
    const host = se('api-example-com', 'egress', { hosts: ['api.example.com'], ports: [httpsPort] });
    const sidecar = lockdownSidecar('shop', ['egress/api.example.com']);
    expect(codes([host, sidecar, lockdownPolicy('shop', [{ ports: [{ protocol: 'TCP', port: 443 }] }])])).toEqual([]);
    expect(codes([host, sidecar, lockdownPolicy('shop', [{ ports: [{ protocol: 'TCP', port: 8443 }] }])])).toEqual(['EGR110 error spec.egress']);
    const toGateway = object(NET, 'VirtualService', 'api', 'shop', {
      hosts: ['api.example.com'],
      tls: [{ match: [{ port: 443, sniHosts: ['api.example.com'] }], route: [{ destination: { host: GATEWAY_HOST, port: { number: 443 } } }] }],
    });
    expect(lintObjects([host, sidecar, lockdownPolicy('shop'), toGateway]).filter(f => f.code === 'EGR110')).toEqual([]);
  });

  test('SIDECAR_CREDENTIAL: a rule for the gateway (routed there, or with a workloadSelector) is read by the gateway', () => {
    const origination = (extra: Record<string, unknown>) => object(NET, 'DestinationRule', 'originate-mtls', 'istio-system', {
      host: 'a.example.com',
      ...extra,
      trafficPolicy: { portLevelSettings: [{ port: { number: 443 }, tls: { mode: 'MUTUAL', credentialName: 'client-credential', sni: 'a.example.com' } }] },
    });
    const toGateway = object(NET, 'VirtualService', 'a', 'default', {
      hosts: ['a.example.com'], http: [{ match: [{ port: 80 }], route: [{ destination: { host: GATEWAY_HOST, port: { number: 80 } } }] }],
    });
    const direct = (extra: Record<string, unknown>) => lintObjects([origination(extra)]).filter(f => f.code === 'EGR111').map(f => f.field);
    expect(direct({})).toEqual(['spec.trafficPolicy.portLevelSettings[0].tls.credentialName']);
    expect(direct({ workloadSelector: { matchLabels: EGRESS_PODS } })).toEqual([]);
    expect(lintObjects([origination({}), toGateway]).filter(f => f.code === 'EGR111')).toEqual([]);
  });

  test('UNVERIFIED_TLS: TLS without caCertificates is verified with the system CA bundle (Istio warns); skipping verification anywhere is EGR201 (refused at synth unless acknowledged)', () => {
    expect(codes(sidecarOrigination({}))).toEqual(['IST0129 warning spec.trafficPolicy.portLevelSettings[0].tls']);
    // Istio's IST0129 about the same TLS settings is not reported beside EGR201.
    expect(codes(sidecarOrigination({ insecureSkipVerify: true }))).toEqual(['EGR201 warning spec.trafficPolicy.portLevelSettings[0].tls.insecureSkipVerify']);
    expect(codes(sidecarOrigination({ credentialName: 'a-ca' }))).toEqual(['EGR111 error spec.trafficPolicy.portLevelSettings[0].tls.credentialName']);
    const subsetSkips = object(NET, 'DestinationRule', 'gw', 'default', {
      host: GATEWAY_HOST, subsets: [{ name: 'a', trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL', insecureSkipVerify: true } } }],
    });
    expect(codes([subsetSkips])).toEqual(['EGR201 warning spec.subsets[0].trafficPolicy.tls.insecureSkipVerify']);
  });

  test('TCP_ANY_ADDRESS: only opaque ports of NONE entries without addresses; Istio\'s SE13 stays where it is alone', () => {
    const entry = (spec: Record<string, unknown>, labels?: Record<string, string>) =>
      ({ ...se('db', 'default', { hosts: ['db.example.com'], ...spec }), metadata: { name: 'db', namespace: 'default', labels } });
    expect(codes([entry({ ports: [httpsPort], resolution: 'NONE' })])).toEqual([]);
    expect(codes([entry({ ports: [{ name: 'tcp', number: 5432, protocol: 'TCP' }] })])).toEqual([]);
    expect(codes([entry({ ports: [{ name: 'db', number: 5432 }], resolution: 'NONE' })])).toEqual(['EGR202 warning spec.ports[0].protocol']);
    // Istio's warnings about the same port (SE13, IST0134) are not reported beside it.
    expect(codes([entry({ ports: [{ name: 'tcp', number: 5432, protocol: 'TCP' }], resolution: 'NONE' })])).toEqual(['EGR202 warning spec.ports[0].protocol']);
    expect(codes([entry({ ports: [{ name: 'mongo', number: 27017, protocol: 'MONGO' }], resolution: 'NONE' })])).toEqual(['EGR202 warning spec.ports[0].protocol']);
    expect(codes([entry({ ports: [{ name: 'tcp', number: 5432, protocol: 'TCP' }] }, { 'networking.istio.io/enable-autoallocate-ip': 'false' })]))
      .toEqual(['IST0133 warning spec.ports[0].protocol', 'IST0134 warning spec.ports[0]']);
  });
});
