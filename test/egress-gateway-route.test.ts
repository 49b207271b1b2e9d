import { ApiObject, Chart } from 'cdk8s';
import {
  EgressGateway, EgressGatewayRoute, EgressPort, EgressProtocol, ExportTo, ExternalHost, IstioApiVersion, Resolution,
} from '../src';
import { appWithChart, byKind, oneOfKind, synth, synthError } from './support/synth';

const GATEWAY_HOST = 'istio-egressgateway.istio-system.svc.cluster.local';

describe('EgressGatewayRoute over HTTP (the egress gateway lesson)', () => {
  function lesson(version?: IstioApiVersion) {
    const { app, chart } = appWithChart('default', version);
    const host = new ExternalHost(chart, 'Wikipedia', { hosts: ['www.wikipedia.org'], ports: [EgressPort.http(80), EgressPort.https(443)] });
    const route = new EgressGatewayRoute(chart, 'Route', { host, gateway: EgressGateway.istioDefault(), ports: [80], gatewayMutualTls: false });
    return { app, route };
  }

  test('Gateway: in istio-system, selecting the egress gateway pods, one HTTP server on 80 for the host', () => {
    const gw = oneOfKind(synth(lesson().app), 'Gateway');
    expect(gw.metadata.namespace).toBe('istio-system');
    expect(gw.spec).toEqual({
      selector: { istio: 'egressgateway' },
      servers: [{ port: { number: 80, name: 'http-80', protocol: 'HTTP' }, hosts: ['www.wikipedia.org'] }],
    });
  });

  test('DestinationRule: in the client namespace, for the gateway Service, with the host\'s subset', () => {
    const { app, route } = lesson();
    const dr = oneOfKind(synth(app), 'DestinationRule');
    expect(dr.metadata.namespace).toBe('default');
    expect(dr.spec).toEqual({ host: GATEWAY_HOST, subsets: [{ name: 'www-wikipedia-org' }] });
    expect(route.subsetNames).toEqual(['www-wikipedia-org']);
  });

  test('VirtualService: bound to the qualified Gateway and mesh; mesh route first, gateway route second', () => {
    const objects = synth(lesson().app);
    const gw = oneOfKind(objects, 'Gateway');
    const vs = oneOfKind(objects, 'VirtualService');
    const gatewayRef = `istio-system/${gw.metadata.name}`;
    expect(vs.metadata.namespace).toBe('default');
    expect(vs.spec.hosts).toEqual(['www.wikipedia.org']);
    expect(vs.spec.gateways).toEqual([gatewayRef, 'mesh']);
    expect(vs.spec.http).toEqual([
      {
        match: [{ gateways: ['mesh'], port: 80 }],
        route: [{ destination: { host: GATEWAY_HOST, subset: 'www-wikipedia-org', port: { number: 80 } }, weight: 100 }],
      },
      {
        match: [{ gateways: [gatewayRef], port: 80 }],
        route: [{ destination: { host: 'www.wikipedia.org', port: { number: 80 } }, weight: 100 }],
      },
    ]);
    expect(vs.spec.tls).toBeUndefined();
  });

  test('the same objects in v1beta1 validate against the Istio 1.18.2 CRDs', () => {
    const objects = synth(lesson(IstioApiVersion.V1BETA1).app);
    expect(objects.map(o => `${o.apiVersion} ${o.kind}`)).toEqual([
      'networking.istio.io/v1beta1 ServiceEntry',
      'networking.istio.io/v1beta1 Gateway',
      'networking.istio.io/v1beta1 DestinationRule',
      'networking.istio.io/v1beta1 VirtualService',
    ]);
  });

  test('names are stable and the output is byte-identical across synths', () => {
    const first = lesson().app.synthYaml();
    expect(lesson().app.synthYaml()).toBe(first);
    expect(first).toContain('name: default-www-wikipedia-org');
  });

  test('exposes its L1 objects for escape hatches', () => {
    const { route } = lesson();
    expect(ApiObject.of(route)).toBe(route.virtualServices[0]);
    expect(route.istioGateway.kind).toBe('Gateway');
    expect(route.destinationRule.kind).toBe('DestinationRule');
  });
});

describe('EgressGatewayRoute ports and gateways', () => {
  test('without mutual TLS to the gateway, HTTPS passes through the gateway by SNI (Istio task: egress gateway for HTTPS traffic)', () => {
    // GIVEN
    const { app, chart } = appWithChart();
    const host = new ExternalHost(chart, 'Host', { hosts: ['api.example.com'], ports: [EgressPort.http(), EgressPort.https()] });

    // WHEN: every port of the host, by default
    new EgressGatewayRoute(chart, 'Route', { host, gateway: EgressGateway.istioDefault(), gatewayMutualTls: false });
    const objects = synth(app);

    // THEN
    const gw = oneOfKind(objects, 'Gateway');
    expect(gw.spec.servers).toEqual([
      { port: { number: 80, name: 'http-80', protocol: 'HTTP' }, hosts: ['api.example.com'] },
      { port: { number: 443, name: 'tls-443', protocol: 'TLS' }, hosts: ['api.example.com'], tls: { mode: 'PASSTHROUGH' } },
    ]);
    const vs = oneOfKind(objects, 'VirtualService');
    const gatewayRef = `istio-system/${gw.metadata.name}`;
    expect(vs.spec.tls).toEqual([
      {
        match: [{ gateways: ['mesh'], port: 443, sniHosts: ['api.example.com'] }],
        route: [{ destination: { host: GATEWAY_HOST, subset: 'api-example-com', port: { number: 443 } }, weight: 100 }],
      },
      {
        match: [{ gateways: [gatewayRef], port: 443, sniHosts: ['api.example.com'] }],
        route: [{ destination: { host: 'api.example.com', port: { number: 443 } }, weight: 100 }],
      },
    ]);
    expect(vs.spec.http).toHaveLength(2);
  });

  test('an external port the gateway does not listen on goes through the gateway port of its protocol', () => {
    const { app, chart } = appWithChart();
    const host = new ExternalHost(chart, 'Host', { hosts: ['api.example.com'], ports: [EgressPort.http(8080)] });
    new EgressGatewayRoute(chart, 'Route', { host, gateway: EgressGateway.istioDefault() });
    const objects = synth(app);
    expect(oneOfKind(objects, 'Gateway').spec.servers[0].port.number).toBe(80);
    const http = oneOfKind(objects, 'VirtualService').spec.http;
    expect(http[0].match[0].port).toBe(8080);
    expect(http[0].route[0].destination.port.number).toBe(80);
    expect(http[1].match[0].port).toBe(80);
    expect(http[1].route[0].destination.port.number).toBe(8080);
  });

  test('a Helm-installed gateway: Service named after the release, pods labelled without the istio- prefix', () => {
    const gateway = EgressGateway.fromHelmRelease('istio-egress', 'egress');
    expect(gateway.selector).toEqual({ istio: 'egress' });
    expect(gateway.serviceHost).toBe('istio-egress.egress.svc.cluster.local');

    const { app, chart } = appWithChart('shop');
    const host = new ExternalHost(chart, 'Host', { hosts: ['api.example.com'], ports: [EgressPort.https()] });
    new EgressGatewayRoute(chart, 'Route', { host, gateway });
    const objects = synth(app);
    const gw = oneOfKind(objects, 'Gateway');
    expect(gw.metadata.namespace).toBe('egress');
    expect(gw.spec.selector).toEqual({ istio: 'egress' });
    expect(oneOfKind(objects, 'VirtualService').spec.gateways).toEqual([`egress/${gw.metadata.name}`, 'mesh']);
    expect(oneOfKind(objects, 'DestinationRule').spec.host).toBe('istio-egress.egress.svc.cluster.local');
  });

  test('a gateway described by attributes, with its own cluster domain and ports', () => {
    const gateway = EgressGateway.fromAttributes({
      namespace: 'edge',
      selector: { app: 'egress', tier: 'edge' },
      serviceName: 'egress',
      clusterDomain: 'corp.local',
      ports: [{ port: 8443, name: 'tls-passthrough' }],
    });
    const { app, chart } = appWithChart();
    const host = new ExternalHost(chart, 'Host', { hosts: ['api.example.com'], ports: [EgressPort.https()] });
    new EgressGatewayRoute(chart, 'Route', { host, gateway });
    const objects = synth(app);
    expect(oneOfKind(objects, 'Gateway').spec).toMatchObject({ selector: { app: 'egress', tier: 'edge' } });
    expect(oneOfKind(objects, 'Gateway').spec.servers[0].port).toEqual({ number: 8443, name: 'tls-8443', protocol: 'TLS' });
    expect(oneOfKind(objects, 'DestinationRule').spec.host).toBe('egress.edge.svc.corp.local');
  });

  test('a host with several names gets one VirtualService per name, all through one Gateway and subset', () => {
    const { app, chart } = appWithChart();
    const host = new ExternalHost(chart, 'Host', { hosts: ['a.example.com', 'b.example.com'], ports: [EgressPort.https()] });
    const route = new EgressGatewayRoute(chart, 'Route', { host, gateway: EgressGateway.istioDefault() });
    const objects = synth(app);
    expect(route.virtualServices).toHaveLength(2);
    expect(byKind(objects, 'VirtualService').map(vs => vs.spec.hosts)).toEqual([['a.example.com'], ['b.example.com']]);
    // One server and one subset per host, so that the SNI of the mesh's TLS picks the right one.
    expect(oneOfKind(objects, 'Gateway').spec.servers.map((s: any) => [s.port.name, s.hosts])).toEqual([
      ['tls-443-0', ['a.example.com']], ['tls-443-1', ['b.example.com']],
    ]);
    expect(oneOfKind(objects, 'DestinationRule').spec.subsets.map((s: any) => [s.name, s.trafficPolicy.portLevelSettings[0].tls.sni])).toEqual([
      ['a-example-com', 'a.example.com'], ['b-example-com', 'b.example.com'],
    ]);
  });

  test('the route namespace can differ from the chart', () => {
    const { app, chart } = appWithChart('shared-egress');
    const host = new ExternalHost(chart, 'Host', { hosts: ['api.example.com'], ports: [EgressPort.https()] });
    new EgressGatewayRoute(chart, 'Route', { host, gateway: EgressGateway.istioDefault(), namespace: 'shop' });
    const objects = synth(app);
    expect(oneOfKind(objects, 'VirtualService').metadata.namespace).toBe('shop');
    expect(oneOfKind(objects, 'DestinationRule').metadata.namespace).toBe('shop');
  });
});

describe('EgressGatewayRoute visibility (exportTo)', () => {
  test('ExportTo.whereUsed() exports the host to the client and gateway namespaces', () => {
    const { app } = appWithChart();
    const hosts = new Chart(app, 'hosts', { namespace: 'egress-hosts' });
    const clients = new Chart(app, 'clients', { namespace: 'shop' });
    const host = new ExternalHost(hosts, 'Host', { hosts: ['api.example.com'], ports: [EgressPort.https()], exportTo: ExportTo.whereUsed() });
    new EgressGatewayRoute(clients, 'Route', { host, gateway: EgressGateway.istioDefault() });
    expect(oneOfKind(synth(app), 'ServiceEntry').spec.exportTo).toEqual(['.', 'istio-system', 'shop']);
  });

  test('an explicit exportTo that hides the host from the gateway namespace is refused', () => {
    const { app, chart } = appWithChart();
    const host = new ExternalHost(chart, 'Host', { hosts: ['api.example.com'], ports: [EgressPort.https()], exportTo: ExportTo.sameNamespace() });
    new EgressGatewayRoute(chart, 'Route', { host, gateway: EgressGateway.istioDefault() });
    const error = synthError(app);
    expect(error).toContain('[test/Route] VirtualService api-example-com-egress (IST0101): spec.tcp[0].route[0].destination.host = "api.example.com": '
      + 'Referenced host not found: "api.example.com" is not exported to namespace istio-system, where gateway istio-system/default-api-example-com runs');
    expect(error).toContain('Fix: add "istio-system" to the exportTo of ServiceEntry default/api-example-com');
  });

  test('an explicit exportTo that covers both namespaces passes', () => {
    const { app, chart } = appWithChart();
    const host = new ExternalHost(chart, 'Host', { hosts: ['api.example.com'], ports: [EgressPort.https()], exportTo: ExportTo.namespaces('.', 'istio-system') });
    new EgressGatewayRoute(chart, 'Route', { host, gateway: EgressGateway.istioDefault() });
    expect(oneOfKind(synth(app), 'ServiceEntry').spec.exportTo).toEqual(['.', 'istio-system']);
  });
});

describe('EgressGatewayRoute refuses what would not work', () => {
  type RouteOptions = { ports?: number[]; gateway?: EgressGateway };
  function routeError(hostProps: ConstructorParameters<typeof ExternalHost>[2], routeProps: RouteOptions = {}, namespace?: string) {
    const { app, chart } = appWithChart(namespace);
    const host = new ExternalHost(chart, 'Host', hostProps);
    new EgressGatewayRoute(chart, 'Route', { host, gateway: routeProps.gateway ?? EgressGateway.istioDefault(), ports: routeProps.ports });
    return synthError(app);
  }

  test('a port the host does not declare', () => {
    const error = routeError({ hosts: ['www.wikipedia.org'], ports: [EgressPort.http(), EgressPort.https()] }, { ports: [8080] });
    expect(error).toContain('[test/Route] ports: 8080 is not a port of www.wikipedia.org (it declares 80 (HTTP), 443 (HTTPS))');
    expect(error).toContain('Fix: ');
  });

  test('an opaque TCP port of a host without addresses', () => {
    expect(routeError({ hosts: ['db.example.com'], ports: [EgressPort.tcp(5432)] }))
      .toContain('[test/Route] ports: 5432 (TCP) is opaque TCP: without the host\'s addresses the sidecars cannot tell its traffic from any other');
  });

  test('an opaque TCP port without a gateway port of its own', () => {
    expect(routeError({ hosts: ['db.example.com'], ports: [EgressPort.tcp(5432)], addresses: ['192.0.2.7'] }))
      .toContain('ports: 5432 (TCP) has no matching port on the egress gateway');
  });

  test('a gateway port that the gateway does not have', () => {
    const { app, chart } = appWithChart();
    const host = new ExternalHost(chart, 'Host', { hosts: ['db.example.com'], ports: [EgressPort.tcp(5432)], addresses: ['192.0.2.7'] });
    new EgressGatewayRoute(chart, 'Route', { host, gateway: EgressGateway.istioDefault(), gatewayPorts: { 5432: 7777 } });
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const error = synthError(app);
    const warnings = stderr.mock.calls.map(c => String(c[0])).join('');
    stderr.mockRestore();
    expect(error).toContain('[test/Route] VirtualService db-example-com-egress (IST0101): spec.tcp[0].route[0].destination.port.number = 7777: '
      + 'Referenced host:port not found: "istio-egressgateway.istio-system.svc.cluster.local:7777". '
      + 'Fix: route to a port istio-egressgateway.istio-system.svc.cluster.local declares (80, 443), or declare 7777.');
    expect(warnings).toContain('[test/Route] Gateway default-db-example-com (IST0162): spec.servers[0].port.number = 7777: '
      + 'The gateway is listening on a target port (port 7777) that is not defined in the Service associated with its workload instances');
  });

  test('a wildcard host', () => {
    expect(routeError({ hosts: ['*.example.com'], ports: [EgressPort.https()], resolution: Resolution.DYNAMIC_DNS }))
      .toContain('host "*.example.com": an Envoy egress gateway cannot route arbitrary names of a wildcard domain');
  });

  test('resolution NONE, which loops at the gateway', () => {
    expect(routeError({ hosts: ['api.example.com'], ports: [EgressPort.https()], resolution: Resolution.NONE }))
      .toContain('[test/Route] VirtualService api-example-com-egress (EGR107): spec.tcp[0].route[0].destination.host = "api.example.com": '
        + 'ServiceEntry default/api-example-com resolves api.example.com with resolution NONE, so gateway istio-system/default-api-example-com '
        + 'sends the traffic on to the address it was sent to, which is the gateway\'s own');
  });

  test('a port the gateway cannot carry', () => {
    const gateway = EgressGateway.fromAttributes({ namespace: 'edge', selector: { app: 'egress' }, serviceName: 'egress', ports: [{ port: 443, name: 'https' }] });
    expect(routeError({ hosts: ['api.example.com'], ports: [EgressPort.http()] }, { gateway }))
      .toContain('ports: 80 (HTTP) has no matching port on the egress gateway egress.edge.svc.cluster.local, which listens on 443 (https)');
  });

  test('no client namespace', () => {
    expect(routeError({ hosts: ['api.example.com'], ports: [EgressPort.https()] }, {}, ''))
      .toContain('[test/Route] namespace is not set');
  });

  test('bad gateway attributes surface as Istio rule errors on the emitted objects', () => {
    const gateway = EgressGateway.fromAttributes({ namespace: 'Edge_NS', selector: { app: '*' }, serviceName: 'egress' });
    const error = routeError({ hosts: ['api.example.com'], ports: [EgressPort.https()] }, { gateway });
    expect(error).toContain('wildcard is not supported in selector');
    expect(error).toContain('invalid value for namespace: "Edge_NS"');
  });

  test('a gRPC port goes through the gateway\'s HTTP port, over mutual TLS', () => {
    const { app, chart } = appWithChart();
    const host = new ExternalHost(chart, 'Host', { hosts: ['grpc.example.com'], ports: [EgressPort.of({ number: 9090, protocol: EgressProtocol.GRPC })] });
    new EgressGatewayRoute(chart, 'Route', { host, gateway: EgressGateway.istioDefault() });
    const gw = oneOfKind(synth(app), 'Gateway');
    expect(gw.spec.servers[0].port).toEqual({ number: 80, name: 'https-80', protocol: 'HTTPS' });
    expect(gw.spec.servers[0].tls).toEqual({ mode: 'ISTIO_MUTUAL' });
  });
});
