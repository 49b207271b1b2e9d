/**
 * Each example traffic shape against the Istio documentation page it follows (istio/istio.io,
 * content/en/...). Only the essential fields are compared; resource names are the library's own.
 * Objects are found by kind and spec, never by metadata.name.
 */
import { App, Chart } from 'cdk8s';
import { directChart } from '../examples/shapes/direct';
import { httpsMtlsGatewayChart } from '../examples/shapes/https-mtls-gateway';
import { httpsPassthroughChart } from '../examples/shapes/https-passthrough';
import { manyHostsChart } from '../examples/shapes/many-hosts';
import { mtlsOriginationGatewayChart } from '../examples/shapes/mtls-origination-gateway';
import { tcpByAddressChart } from '../examples/shapes/tcp-by-address';
import { tlsOriginationGatewayChart } from '../examples/shapes/tls-origination-gateway';
import { tlsOriginationSidecarChart } from '../examples/shapes/tls-origination-sidecar';
import { wildcardChart } from '../examples/shapes/wildcard';
import { IstioApi, IstioApiVersion } from '../src';
import { byKind, oneOfKind, synth } from './support/synth';

const EGRESS_GATEWAY = 'istio-egressgateway.istio-system.svc.cluster.local';

/** The one object of `kind` whose spec satisfies `predicate`. */
function oneWhere(objects: any[], kind: string, predicate: (spec: any) => boolean): any {
  const found = byKind(objects, kind).filter(o => predicate(o.spec));
  if (found.length !== 1) {
    throw new Error(`expected one ${kind} matching, found ${found.length}`);
  }
  return found[0];
}

/** [number, protocol, targetPort] of each ServiceEntry port. */
function ports(se: any): any[] {
  return se.spec.ports.map((p: any) => [p.number, p.protocol, p.targetPort]);
}

/** The reference a VirtualService outside istio-system must use for a Gateway in istio-system. */
function gatewayRef(gw: any): string {
  return `istio-system/${gw.metadata.name}`;
}

/**
 * The shared part of the "Egress Gateways with TLS Origination" task: HTTP from the application on port 80, Istio mutual TLS
 * to the gateway's HTTPS server, and an http route from the gateway to the external host's port 443. Returns the gateway's
 * origination DestinationRule.
 */
function expectGatewayTlsOrigination(objects: any[], host: string): any {
  // ServiceEntry as in the task: HTTP 80 and HTTPS 443, DNS
  const se = oneOfKind(objects, 'ServiceEntry');
  expect(se.spec.hosts).toEqual([host]);
  expect(ports(se)).toEqual([[80, 'HTTP', undefined], [443, 'HTTPS', undefined]]);
  expect(se.spec.resolution).toBe('DNS');

  // Gateway: HTTPS server on port 80 ending Istio mutual TLS (the task's "mutual TLS enabled" variant; ISTIO_MUTUAL is the
  // current form of its MUTUAL server with the mounted Istio certificates)
  const gw = oneOfKind(objects, 'Gateway');
  expect(gw.metadata.namespace).toBe('istio-system');
  expect(gw.spec.selector).toEqual({ istio: 'egressgateway' });
  expect(gw.spec.servers).toHaveLength(1);
  expect(gw.spec.servers[0].port).toMatchObject({ number: 80, protocol: 'HTTPS' });
  expect(gw.spec.servers[0].hosts).toEqual([host]);
  expect(gw.spec.servers[0].tls).toEqual({ mode: 'ISTIO_MUTUAL' });

  // DestinationRule for the gateway: subset with ISTIO_MUTUAL and the external host as SNI on port 80
  const toGateway = oneWhere(objects, 'DestinationRule', s => s.host === EGRESS_GATEWAY);
  expect(toGateway.metadata.namespace).not.toBe('istio-system');
  expect(toGateway.spec.subsets).toHaveLength(1);
  expect(toGateway.spec.subsets[0].trafficPolicy.portLevelSettings).toEqual([
    { port: { number: 80 }, tls: { mode: 'ISTIO_MUTUAL', sni: host } },
  ]);
  const subset = toGateway.spec.subsets[0].name;

  // VirtualService: http routes, mesh:80 -> gateway:80, gateway:80 -> host:443
  const vs = oneOfKind(objects, 'VirtualService');
  const ref = gatewayRef(gw);
  expect(vs.spec.hosts).toEqual([host]);
  expect([...vs.spec.gateways].sort()).toEqual([ref, 'mesh'].sort());
  expect(vs.spec.tls).toBeUndefined();
  expect(vs.spec.tcp).toBeUndefined();
  expect(vs.spec.http).toEqual([
    {
      match: [{ gateways: ['mesh'], port: 80 }],
      route: [{ destination: { host: EGRESS_GATEWAY, subset, port: { number: 80 } }, weight: 100 }],
    },
    {
      match: [{ gateways: [ref], port: 80 }],
      route: [{ destination: { host, port: { number: 443 } }, weight: 100 }],
    },
  ]);

  // The origination DestinationRule for the external host's port 443
  const origination = oneWhere(objects, 'DestinationRule', s => s.host === host);
  expect(origination.spec.trafficPolicy.portLevelSettings).toHaveLength(1);
  expect(origination.spec.trafficPolicy.portLevelSettings[0].port).toEqual({ number: 443 });
  // The task applies it for every proxy (or in istio-system); the library keeps it in istio-system, exported nowhere else and
  // selecting the egress gateway, so that only the gateway originates TLS and sidecars keep sending port 443 unchanged (safer).
  expect(origination.metadata.namespace).toBe('istio-system');
  expect(origination.spec.exportTo).toEqual(['.']);
  expect(origination.spec.workloadSelector).toEqual({ matchLabels: { istio: 'egressgateway' } });
  return origination;
}

function expectValidInV1beta1(chart: (app: App) => Chart): void {
  const app = new App();
  IstioApi.useVersion(app, IstioApiVersion.V1BETA1);
  chart(app);
  const objects = synth(app);
  expect(objects.length).toBeGreaterThan(0);
  for (const o of objects) {
    expect(o.apiVersion).toBe('networking.istio.io/v1beta1');
  }
}

describe('direct: docs/tasks/traffic-management/egress/egress-control (Accessing External Services)', () => {
  test('ServiceEntry and timeout VirtualService as in the task', () => {
    // GIVEN
    const app = new App();
    directChart(app);

    // WHEN
    const objects = synth(app);

    // THEN: "Access an external HTTP service"
    const se = oneOfKind(objects, 'ServiceEntry');
    expect(se.spec.hosts).toEqual(['httpbin.org']);
    expect(ports(se)).toEqual([[80, 'HTTP', undefined]]);
    expect(se.spec.resolution).toBe('DNS');
    expect(se.spec.location).toBe('MESH_EXTERNAL');

    // "Manage traffic to external services": a 3s timeout on httpbin.org
    const vs = oneOfKind(objects, 'VirtualService');
    expect(vs.spec.hosts).toEqual(['httpbin.org']);
    expect(vs.spec.gateways).toBeUndefined();
    expect(vs.spec.http).toHaveLength(1);
    expect(vs.spec.http[0].timeout).toBe('3s');
    // The library matches the ServiceEntry's port and names it in the destination: the same route, as the host has only port 80.
    expect(vs.spec.http[0].match).toEqual([{ port: 80 }]);
    expect(vs.spec.http[0].route).toEqual([{ destination: { host: 'httpbin.org', port: { number: 80 } } }]);
    // Beyond the task: retries and a connection pool / outlier detection (the example's own settings).
    expect(vs.spec.http[0].retries).toEqual({ attempts: 3, perTryTimeout: '1s', retryOn: 'connect-failure,5xx' });
    const dr = oneWhere(objects, 'DestinationRule', s => s.host === 'httpbin.org');
    expect(dr.spec.trafficPolicy.connectionPool.tcp).toEqual({ connectTimeout: '2s', maxConnections: 100 });
    expect(dr.spec.trafficPolicy.outlierDetection).toEqual({ consecutive5xxErrors: 5, interval: '10s', baseEjectionTime: '30s' });
    expect(dr.spec.trafficPolicy.tls).toBeUndefined();
  });

  test('validates in v1beta1', () => {
    expectValidInV1beta1(directChart);
  });
});

describe('https-passthrough: docs/tasks/traffic-management/egress/egress-gateway, "Egress gateway for HTTPS traffic"', () => {
  test('SNI routing through the egress gateway with TLS PASSTHROUGH, as in the task', () => {
    // GIVEN
    const app = new App();
    httpsPassthroughChart(app);

    // WHEN
    const objects = synth(app);

    // THEN: ServiceEntry
    const se = oneOfKind(objects, 'ServiceEntry');
    expect(se.spec.hosts).toEqual(['edition.cnn.com']);
    // The task declares protocol TLS; HTTPS is equivalent for a ServiceEntry port (both are TLS routed by SNI, not parsed as HTTP).
    expect(ports(se)).toEqual([[443, 'HTTPS', undefined]]);
    expect(se.spec.resolution).toBe('DNS');

    // Gateway
    const gw = oneOfKind(objects, 'Gateway');
    expect(gw.metadata.namespace).toBe('istio-system');
    expect(gw.spec.selector).toEqual({ istio: 'egressgateway' });
    expect(gw.spec.servers).toHaveLength(1);
    expect(gw.spec.servers[0].port).toMatchObject({ number: 443, protocol: 'TLS' });
    expect(gw.spec.servers[0].hosts).toEqual(['edition.cnn.com']);
    expect(gw.spec.servers[0].tls).toEqual({ mode: 'PASSTHROUGH' });

    // DestinationRule for the gateway: one subset, no TLS settings (the application's TLS is sent as is)
    const dr = oneWhere(objects, 'DestinationRule', s => s.host === EGRESS_GATEWAY);
    expect(dr.spec.subsets).toHaveLength(1);
    expect(dr.spec.subsets[0].trafficPolicy).toBeUndefined();
    expect(dr.spec.trafficPolicy).toBeUndefined();
    const subset = dr.spec.subsets[0].name;

    // VirtualService: tls routes, mesh -> gateway, gateway -> edition.cnn.com
    const vs = oneOfKind(objects, 'VirtualService');
    const ref = gatewayRef(gw);
    expect(vs.spec.hosts).toEqual(['edition.cnn.com']);
    expect([...vs.spec.gateways].sort()).toEqual([ref, 'mesh'].sort());
    expect(vs.spec.http).toBeUndefined();
    expect(vs.spec.tcp).toBeUndefined();
    expect(vs.spec.tls).toEqual([
      {
        match: [{ gateways: ['mesh'], port: 443, sniHosts: ['edition.cnn.com'] }],
        route: [{ destination: { host: EGRESS_GATEWAY, subset, port: { number: 443 } }, weight: 100 }],
      },
      {
        match: [{ gateways: [ref], port: 443, sniHosts: ['edition.cnn.com'] }],
        route: [{ destination: { host: 'edition.cnn.com', port: { number: 443 } }, weight: 100 }],
      },
    ]);
  });

  test('validates in v1beta1', () => {
    expectValidInV1beta1(httpsPassthroughChart);
  });
});

describe('https-mtls-gateway: docs/tasks/traffic-management/egress/egress-gateway, "Egress gateway for HTTPS traffic", with mutual TLS', () => {
  test('SNI routing from the mesh, Istio mutual TLS to the gateway, tcp route from the gateway', () => {
    // GIVEN
    const app = new App();
    httpsMtlsGatewayChart(app);

    // WHEN
    const objects = synth(app);

    // THEN: ServiceEntry as in the task (HTTPS for TLS, see the passthrough shape)
    const se = oneOfKind(objects, 'ServiceEntry');
    expect(se.spec.hosts).toEqual(['api.github.com']);
    expect(ports(se)).toEqual([[443, 'HTTPS', undefined]]);
    expect(se.spec.resolution).toBe('DNS');

    // Gateway: the library's default ends Istio mutual TLS instead of PASSTHROUGH, so the gateway sees the workload's identity
    // (safer); the application's TLS stays end to end inside it.
    const gw = oneOfKind(objects, 'Gateway');
    expect(gw.metadata.namespace).toBe('istio-system');
    expect(gw.spec.selector).toEqual({ istio: 'egressgateway' });
    expect(gw.spec.servers).toHaveLength(1);
    expect(gw.spec.servers[0].port).toMatchObject({ number: 443, protocol: 'TLS' });
    expect(gw.spec.servers[0].hosts).toEqual(['api.github.com']);
    expect(gw.spec.servers[0].tls).toEqual({ mode: 'ISTIO_MUTUAL' });

    // DestinationRule for the gateway: the subset wraps the stream in ISTIO_MUTUAL with the external host as SNI,
    // which is what the gateway's ISTIO_MUTUAL server matches on.
    const dr = oneWhere(objects, 'DestinationRule', s => s.host === EGRESS_GATEWAY);
    expect(dr.spec.subsets).toHaveLength(1);
    expect(dr.spec.subsets[0].trafficPolicy.portLevelSettings).toEqual([
      { port: { number: 443 }, tls: { mode: 'ISTIO_MUTUAL', sni: 'api.github.com' } },
    ]);
    const subset = dr.spec.subsets[0].name;

    // VirtualService: tls route from the mesh as in the task; from the gateway a tcp route, because a gateway server that
    // terminates TLS (ISTIO_MUTUAL) forwards the inner stream as opaque TCP, and tls routes only apply to PASSTHROUGH servers.
    const vs = oneOfKind(objects, 'VirtualService');
    const ref = gatewayRef(gw);
    expect(vs.spec.hosts).toEqual(['api.github.com']);
    expect([...vs.spec.gateways].sort()).toEqual([ref, 'mesh'].sort());
    expect(vs.spec.http).toBeUndefined();
    expect(vs.spec.tls).toEqual([
      {
        match: [{ gateways: ['mesh'], port: 443, sniHosts: ['api.github.com'] }],
        route: [{ destination: { host: EGRESS_GATEWAY, subset, port: { number: 443 } }, weight: 100 }],
      },
    ]);
    expect(vs.spec.tcp).toEqual([
      {
        match: [{ gateways: [ref], port: 443 }],
        route: [{ destination: { host: 'api.github.com', port: { number: 443 } }, weight: 100 }],
      },
    ]);
  });

  test('validates in v1beta1', () => {
    expectValidInV1beta1(httpsMtlsGatewayChart);
  });
});

describe('tls-origination-sidecar: docs/tasks/traffic-management/egress/egress-tls-origination, "TLS origination for egress traffic"', () => {
  test('port 80 redirected to 443 and TLS originated by the sidecar, as in the task', () => {
    // GIVEN
    const app = new App();
    tlsOriginationSidecarChart(app);

    // WHEN
    const objects = synth(app);

    // THEN: ServiceEntry with HTTP 80 -> targetPort 443, and HTTPS 443
    const se = oneOfKind(objects, 'ServiceEntry');
    expect(se.spec.hosts).toEqual(['www.google.com']);
    expect(ports(se)).toEqual([[80, 'HTTP', 443], [443, 'HTTPS', undefined]]);
    expect(se.spec.resolution).toBe('DNS');

    // DestinationRule: SIMPLE TLS on port 80 for the external host
    const dr = oneOfKind(objects, 'DestinationRule');
    expect(dr.spec.host).toBe('www.google.com');
    expect(dr.spec.subsets).toBeUndefined();
    expect(dr.spec.trafficPolicy.portLevelSettings).toHaveLength(1);
    const setting = dr.spec.trafficPolicy.portLevelSettings[0];
    expect(setting.port).toEqual({ number: 80 });
    expect(setting.tls.mode).toBe('SIMPLE');
    // The task sets only the mode; the explicit SNI and CA bundle make the server's certificate verified for that name (safer).
    expect(setting.tls.sni).toBe('www.google.com');
    expect(setting.tls.caCertificates).toBe('/etc/ssl/certs/ca-certificates.crt');

    // No gateway, no routing: as in the task
    expect(byKind(objects, 'Gateway')).toEqual([]);
    expect(byKind(objects, 'VirtualService')).toEqual([]);
  });

  test('validates in v1beta1', () => {
    expectValidInV1beta1(tlsOriginationSidecarChart);
  });
});

describe('tls-origination-gateway: docs/tasks/traffic-management/egress/egress-gateway-tls-origination, "Perform TLS origination"', () => {
  test('HTTP to the gateway over Istio mutual TLS, SIMPLE TLS origination at the gateway, as in the task', () => {
    // GIVEN
    const app = new App();
    tlsOriginationGatewayChart(app);

    // WHEN
    const objects = synth(app);

    // THEN
    const origination = expectGatewayTlsOrigination(objects, 'developer.mozilla.org');
    const tls = origination.spec.trafficPolicy.portLevelSettings[0].tls;
    expect(tls.mode).toBe('SIMPLE');
    // The task sets only the mode; the explicit SNI and CA bundle make the gateway verify the server for that name (safer).
    expect(tls.sni).toBe('developer.mozilla.org');
    expect(tls.caCertificates).toBe('/etc/ssl/certs/ca-certificates.crt');
    expect(tls.credentialName).toBeUndefined();
  });

  test('validates in v1beta1', () => {
    expectValidInV1beta1(tlsOriginationGatewayChart);
  });
});

describe('mtls-origination-gateway: docs/tasks/traffic-management/egress/egress-gateway-tls-origination, "Perform mutual TLS origination"', () => {
  test('HTTP to the gateway over Istio mutual TLS, MUTUAL TLS origination with a client credential at the gateway', () => {
    // GIVEN
    const app = new App();
    mtlsOriginationGatewayChart(app);

    // WHEN
    const objects = synth(app);

    // THEN: the task's SDS variant (egress-gateway-tls-origination-sds) takes the gateway to port 443 on the sidecar -> gateway
    // hop; the library keeps port 80 there, which only names the gateway's listener and changes nothing past the gateway.
    const origination = expectGatewayTlsOrigination(objects, 'partner-api.example.com');
    const tls = origination.spec.trafficPolicy.portLevelSettings[0].tls;
    expect(tls.mode).toBe('MUTUAL');
    expect(tls.sni).toBe('partner-api.example.com');
    // As in the task, the client certificate comes from a Secret read by the gateway (credentialName) in its own namespace.
    expect(tls.credentialName).toBe('partner-client-credential');
    expect(tls.clientCertificate).toBeUndefined();
    expect(tls.privateKey).toBeUndefined();
  });

  test('validates in v1beta1', () => {
    expectValidInV1beta1(mtlsOriginationGatewayChart);
  });
});

describe('tcp-by-address: docs/reference/config/networking/service-entry (MongoDB example) and blog/2018/egress-mongo (TCP gateway)', () => {
  test('opaque TCP by address: MongoDB directly, MySQL through a gateway port of its own matched on port and address', () => {
    // GIVEN
    const app = new App();
    tcpByAddressChart(app);

    // WHEN
    const objects = synth(app);

    // THEN: the reference's MongoDB entry: a host that is not used, VIPs in addresses, a database port, STATIC endpoints
    const mysql = oneWhere(objects, 'ServiceEntry', s => s.resolution === 'STATIC');
    expect(mysql.spec.hosts).toEqual(['mysql.example.com']);
    expect(mysql.spec.addresses).toEqual(['198.51.100.10']);
    expect(mysql.spec.endpoints).toEqual([{ address: '198.51.100.10' }]);
    expect(ports(mysql)).toEqual([[3306, 'MySQL', undefined]]);
    // The reference's example is MESH_INTERNAL (VMs of the mesh); an external database is MESH_EXTERNAL (no mTLS attempted).
    expect(mysql.spec.location).toBe('MESH_EXTERNAL');

    // A CIDR block of the external service with resolution NONE (the original destination is kept), reached directly
    const mongo = oneWhere(objects, 'ServiceEntry', s => s.resolution === 'NONE');
    expect(mongo.spec.hosts).toEqual(['mongo.example.com']);
    expect(mongo.spec.addresses).toEqual(['192.0.2.0/28']);
    expect(mongo.spec.endpoints).toBeUndefined();
    // Istio parses protocol names case-insensitively: 'Mongo' is the reference's MONGO.
    expect(ports(mongo)).toEqual([[27017, 'Mongo', undefined]]);
    expect(mongo.spec.location).toBe('MESH_EXTERNAL');
    expect(byKind(objects, 'VirtualService').filter(vs => vs.spec.hosts.includes('mongo.example.com'))).toEqual([]);

    // MySQL through the gateway, as the blog's "Mutual TLS between the sidecar proxies and the egress gateway" (TCP level).
    // The blog's gateway takes port 443 with a MUTUAL server on the mounted Istio certificates; the library uses
    // ISTIO_MUTUAL (the current form) on a port of its own (7306), which only names the gateway listener.
    const gw = oneOfKind(objects, 'Gateway');
    expect(gw.metadata.namespace).toBe('istio-system');
    expect(gw.spec.selector).toEqual({ istio: 'egressgateway' });
    expect(gw.spec.servers).toHaveLength(1);
    expect(gw.spec.servers[0].port).toMatchObject({ number: 7306, protocol: 'TLS' });
    expect(gw.spec.servers[0].hosts).toEqual(['mysql.example.com']);
    expect(gw.spec.servers[0].tls).toEqual({ mode: 'ISTIO_MUTUAL' });

    const dr = oneWhere(objects, 'DestinationRule', s => s.host === EGRESS_GATEWAY);
    expect(dr.spec.subsets).toHaveLength(1);
    expect(dr.spec.subsets[0].trafficPolicy.portLevelSettings).toEqual([
      { port: { number: 7306 }, tls: { mode: 'ISTIO_MUTUAL', sni: 'mysql.example.com' } },
    ]);
    const subset = dr.spec.subsets[0].name;

    // tcp routes: from the mesh by destination subnet and port to the gateway's port; from the gateway to the database's port
    const vs = oneWhere(objects, 'VirtualService', s => s.hosts.includes('mysql.example.com'));
    const ref = gatewayRef(gw);
    expect(vs.spec.hosts).toEqual(['mysql.example.com']);
    expect([...vs.spec.gateways].sort()).toEqual([ref, 'mesh'].sort());
    expect(vs.spec.http).toBeUndefined();
    expect(vs.spec.tls).toBeUndefined();
    expect(vs.spec.tcp).toEqual([
      {
        match: [{ gateways: ['mesh'], destinationSubnets: ['198.51.100.10/32'], port: 3306 }],
        route: [{ destination: { host: EGRESS_GATEWAY, subset, port: { number: 7306 } }, weight: 100 }],
      },
      {
        match: [{ gateways: [ref], port: 7306 }],
        route: [{ destination: { host: 'mysql.example.com', port: { number: 3306 } }, weight: 100 }],
      },
    ]);
  });

  test('validates in v1beta1', () => {
    expectValidInV1beta1(tcpByAddressChart);
  });
});

describe('wildcard: docs/tasks/traffic-management/egress/wildcard-egress-hosts, "Wildcard configuration for a single hosting server"', () => {
  test('*.wikipedia.org through the gateway to www.wikipedia.org, and *.googleapis.com directly, as in the task', () => {
    // GIVEN
    const app = new App();
    wildcardChart(app);

    // WHEN
    const objects = synth(app);

    // THEN: the ServiceEntry of the single hosting server
    const server = oneWhere(objects, 'ServiceEntry', s => s.hosts.includes('www.wikipedia.org'));
    expect(server.spec.hosts).toEqual(['www.wikipedia.org']);
    expect(ports(server)).toEqual([[443, 'HTTPS', undefined]]);
    expect(server.spec.resolution).toBe('DNS');

    // The section keeps no ServiceEntry for the wildcard; the library adds one (NONE, as in "Configure direct traffic to a
    // wildcard host") so that the wildcard is a known service; its port 443 traffic is still taken to the gateway by the
    // mesh route below.
    const wildcard = oneWhere(objects, 'ServiceEntry', s => s.hosts.includes('*.wikipedia.org'));
    expect(wildcard.spec.hosts).toEqual(['*.wikipedia.org']);
    expect(ports(wildcard)).toEqual([[443, 'HTTPS', undefined]]);
    expect(wildcard.spec.resolution).toBe('NONE');

    // "Configure direct traffic to a wildcard host": NONE, since DNS resolution cannot be used for a wildcard
    const googleapis = oneWhere(objects, 'ServiceEntry', s => s.hosts.includes('*.googleapis.com'));
    expect(ports(googleapis)).toEqual([[443, 'HTTPS', undefined]]);
    expect(googleapis.spec.resolution).toBe('NONE');

    // Gateway for the wildcard, passed through.
    const gw = oneOfKind(objects, 'Gateway');
    expect(gw.metadata.namespace).toBe('istio-system');
    expect(gw.spec.selector).toEqual({ istio: 'egressgateway' });
    expect(gw.spec.servers).toHaveLength(1);
    // The task's server protocol is HTTPS; with PASSTHROUGH a gateway treats HTTPS and TLS alike (SNI match, TCP proxy).
    expect(gw.spec.servers[0].port).toMatchObject({ number: 443, protocol: 'TLS' });
    expect(gw.spec.servers[0].hosts).toEqual(['*.wikipedia.org']);
    expect(gw.spec.servers[0].tls).toEqual({ mode: 'PASSTHROUGH' });

    // DestinationRule for the gateway: one subset, no TLS settings
    const dr = oneWhere(objects, 'DestinationRule', s => s.host === EGRESS_GATEWAY);
    expect(dr.spec.subsets).toHaveLength(1);
    expect(dr.spec.subsets[0].trafficPolicy).toBeUndefined();
    const subset = dr.spec.subsets[0].name;

    // VirtualService: the gateway's route goes to the single hosting server, not to the wildcard
    const vs = oneOfKind(objects, 'VirtualService');
    const ref = gatewayRef(gw);
    expect(vs.spec.hosts).toEqual(['*.wikipedia.org']);
    expect([...vs.spec.gateways].sort()).toEqual([ref, 'mesh'].sort());
    expect(vs.spec.http).toBeUndefined();
    expect(vs.spec.tcp).toBeUndefined();
    expect(vs.spec.tls).toEqual([
      {
        match: [{ gateways: ['mesh'], port: 443, sniHosts: ['*.wikipedia.org'] }],
        route: [{ destination: { host: EGRESS_GATEWAY, subset, port: { number: 443 } }, weight: 100 }],
      },
      {
        match: [{ gateways: [ref], port: 443, sniHosts: ['*.wikipedia.org'] }],
        route: [{ destination: { host: 'www.wikipedia.org', port: { number: 443 } }, weight: 100 }],
      },
    ]);
  });

  test('validates in v1beta1', () => {
    expectValidInV1beta1(wildcardChart);
  });
});

describe('many-hosts: docs/tasks/traffic-management/egress/egress-gateway (tip: several hosts through one egress gateway)', () => {
  test('every host gets its own server, subset and VirtualService on the one gateway', () => {
    // GIVEN
    const app = new App();
    manyHostsChart(app);

    // WHEN
    const objects = synth(app);

    // THEN: ServiceEntries
    const stripe = oneWhere(objects, 'ServiceEntry', s => s.hosts.includes('api.stripe.com'));
    expect(stripe.spec.hosts).toEqual(['api.stripe.com', 'files.stripe.com']);
    expect(ports(stripe)).toEqual([[443, 'HTTPS', undefined]]);
    expect(stripe.spec.resolution).toBe('DNS');
    const adyen = oneWhere(objects, 'ServiceEntry', s => s.hosts.includes('checkout.adyen.com'));
    expect(ports(adyen)).toEqual([[80, 'HTTP', undefined], [443, 'HTTPS', undefined]]);
    expect(adyen.spec.resolution).toBe('DNS');

    // Gateways: the tip lists the hosts in one server and reuses one subset; the library gives each host its own server and
    // subset, which the gateway tells apart by SNI, so that each server is bound to exactly one host's route (equivalent).
    const gateways = byKind(objects, 'Gateway');
    for (const gw of gateways) {
      expect(gw.metadata.namespace).toBe('istio-system');
      expect(gw.spec.selector).toEqual({ istio: 'egressgateway' });
      for (const server of gw.spec.servers) {
        expect(server.hosts).toHaveLength(1);
        expect(server.tls).toEqual({ mode: 'ISTIO_MUTUAL' });
      }
    }
    const servers = gateways.flatMap(gw => gw.spec.servers.map((sv: any) => [sv.hosts[0], sv.port.number, sv.port.protocol]));
    expect(servers.sort()).toEqual([
      ['api.stripe.com', 443, 'TLS'],
      ['checkout.adyen.com', 443, 'TLS'],
      ['checkout.adyen.com', 80, 'HTTPS'],
      ['files.stripe.com', 443, 'TLS'],
    ]);
    const gatewayOf = (host: string) => gateways.find(gw => gw.spec.servers.some((sv: any) => sv.hosts.includes(host)));

    // DestinationRules for the gateway: one subset per host, ISTIO_MUTUAL with the host as SNI on each of its ports
    const subsets = byKind(objects, 'DestinationRule').filter(dr => dr.spec.host === EGRESS_GATEWAY).flatMap(dr => dr.spec.subsets);
    const subsetFor = (host: string) => subsets.find((sub: any) => sub.trafficPolicy.portLevelSettings[0].tls.sni === host);
    for (const [host, ports_] of [['api.stripe.com', [443]], ['files.stripe.com', [443]], ['checkout.adyen.com', [80, 443]]] as const) {
      expect(subsetFor(host).trafficPolicy.portLevelSettings).toEqual(
        ports_.map(number => ({ port: { number }, tls: { mode: 'ISTIO_MUTUAL', sni: host } })),
      );
    }
    expect(new Set(subsets.map((sub: any) => sub.name)).size).toBe(3);

    // One VirtualService per host (IST0109), HTTPS as in the https-mtls-gateway shape
    for (const host of ['api.stripe.com', 'files.stripe.com']) {
      const vs = oneWhere(objects, 'VirtualService', s => s.hosts.includes(host));
      const ref = gatewayRef(gatewayOf(host));
      expect(vs.spec.hosts).toEqual([host]);
      expect([...vs.spec.gateways].sort()).toEqual([ref, 'mesh'].sort());
      expect(vs.spec.tls).toEqual([
        {
          match: [{ gateways: ['mesh'], port: 443, sniHosts: [host] }],
          route: [{ destination: { host: EGRESS_GATEWAY, subset: subsetFor(host).name, port: { number: 443 } }, weight: 100 }],
        },
      ]);
      expect(vs.spec.tcp).toEqual([
        {
          match: [{ gateways: [ref], port: 443 }],
          route: [{ destination: { host, port: { number: 443 } }, weight: 100 }],
        },
      ]);
    }

    // checkout.adyen.com: HTTP as in the task's "Egress gateway for HTTP traffic" (over Istio mutual TLS to the gateway), and HTTPS
    const vs = oneWhere(objects, 'VirtualService', s => s.hosts.includes('checkout.adyen.com'));
    const ref = gatewayRef(gatewayOf('checkout.adyen.com'));
    const subset = subsetFor('checkout.adyen.com').name;
    expect([...vs.spec.gateways].sort()).toEqual([ref, 'mesh'].sort());
    expect(vs.spec.http).toEqual([
      {
        match: [{ gateways: ['mesh'], port: 80 }],
        route: [{ destination: { host: EGRESS_GATEWAY, subset, port: { number: 80 } }, weight: 100 }],
      },
      {
        match: [{ gateways: [ref], port: 80 }],
        route: [{ destination: { host: 'checkout.adyen.com', port: { number: 80 } }, weight: 100 }],
      },
    ]);
    expect(vs.spec.tls).toEqual([
      {
        match: [{ gateways: ['mesh'], port: 443, sniHosts: ['checkout.adyen.com'] }],
        route: [{ destination: { host: EGRESS_GATEWAY, subset, port: { number: 443 } }, weight: 100 }],
      },
    ]);
    expect(vs.spec.tcp).toEqual([
      {
        match: [{ gateways: [ref], port: 443 }],
        route: [{ destination: { host: 'checkout.adyen.com', port: { number: 443 } }, weight: 100 }],
      },
    ]);
  });

  test('validates in v1beta1', () => {
    expectValidInV1beta1(manyHostsChart);
  });
});
