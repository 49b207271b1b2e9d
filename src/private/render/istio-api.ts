/**
 * The Istio API rendering of an egress gateway route, for an installed gateway (istio-egressgateway,
 * the istio/gateway chart): Istio's Gateway for the gateway's pods, a DestinationRule subset per host
 * for the gateway's Service, and a VirtualService per host bound to `mesh` and the Gateway, with the
 * sidecars' route to the gateway first and the gateway's route to the host second.
 */
import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { GatewayServicePort, IEgressGateway } from '../../egress-gateway';
import { EgressPort } from '../../egress-port';
import { MESH_GATEWAY, toCidr } from '../../rules/names';
import { createIstioObject } from '../istio-objects';
import { toDnsLabel } from '../names';
import {
  RenderedRoute, RouteIntent, RouteRenderer, RoutedPort, createOriginationPolicies, createOriginationRules, gatewayOriginationProblem, sniFor,
} from './route-rendering';
import { filterList, mapList } from '../../rules/finding';

/** The rendering for an installed gateway. */
export function istioApiRenderer(gateway: IEgressGateway): RouteRenderer {
  return {
    // Wildcards need `servedBy` and opaque TCP needs addresses: the route checks both for every rendering.
    hostProblem: () => undefined,
    portProblem: () => undefined,
    gatewayPortFor: (port, chosen) => (chosen === undefined
      ? defaultGatewayPort(gateway, port)
      // A chosen port that the gateway's Service lacks shows in the objects (IST0101 for the route to it, IST0162 for the server).
      : gateway.ports.find(p => p.port === chosen) ?? { port: chosen, name: '' }),
    render,
  };
}

function render(scope: Construct, intent: RouteIntent): RenderedRoute {
  const { host, gateway } = intent;
  const base = toDnsLabel(`${host.name}-egress`);
  const gatewayName = toDnsLabel(`${intent.namespace}-${host.name}`);
  const gatewayNamespace = intent.gatewayObjectNamespace ?? gateway.namespace;
  // A Gateway placed beside the VirtualServices is named as Istio's tasks name it there: by its short name.
  const gatewayRef = intent.gatewayObjectNamespace !== undefined && intent.gatewayObjectNamespace === intent.namespace
    ? gatewayName : `${gatewayNamespace}/${gatewayName}`;
  const clientNamespace = intent.namespace || undefined;
  const single = host.hosts.length === 1;
  const subsetNames = mapList(host.hosts, h => toDnsLabel(h));

  const istioGateway = createIstioObject(scope, 'Gateway', 'Gateway', { name: gatewayName, namespace: gatewayNamespace || undefined },
    Lazy.any({ produce: () => renderGateway(intent) }));
  const destinationRule = createIstioObject(scope, 'DestinationRule', 'DestinationRule', { name: base, namespace: clientNamespace },
    Lazy.any({ produce: () => renderDestinationRule(intent, subsetNames) }));
  const virtualServices = host.hosts.map((name, i) => createIstioObject(scope, single ? 'Resource' : `Resource${i}`, 'VirtualService',
    { name: single ? base : toDnsLabel(`${toDnsLabel(name)}-egress`), namespace: clientNamespace },
    Lazy.any({ produce: () => renderVirtualService(intent, i, subsetNames[i], gatewayRef) })));
  const originationRules = createOriginationRules(scope, intent);
  // Sidecars look DestinationRules up in their own namespace (then the Service's and the root): one per client namespace.
  const destinationRules = [destinationRule, ...mapList(intent.otherClientNamespaces, ns => createIstioObject(scope, `DestinationRule-${ns}`,
    'DestinationRule', { name: base, namespace: ns }, Lazy.any({ produce: () => renderDestinationRule(intent, subsetNames) })))];
  const policies = createOriginationPolicies(scope, intent);
  const errors = [gatewayOriginationProblem(intent), ...policies.errors].filter((e): e is string => e !== undefined);
  return {
    istioGateway,
    destinationRules,
    virtualServices,
    subsetNames,
    gatewayApiRoutes: [],
    referenceGrants: [],
    originationRules,
    originationPolicies: policies.policies,
    errors,
  };
}

function renderGateway(intent: RouteIntent): Record<string, unknown> {
  const hosts = intent.host.hosts;
  return {
    selector: { ...intent.gateway.selector },
    servers: intent.routed.flatMap(({ port, gatewayPort }) => hosts.map((host, i) => {
      const protocol = serverProtocol(port, intent.mutualTls);
      const suffix = hosts.length > 1 ? `-${i}` : '';
      return {
        port: { number: gatewayPort.port, name: `${String(protocol).toLowerCase()}-${gatewayPort.port}${suffix}`, protocol },
        hosts: [host],
        tls: intent.mutualTls ? { mode: 'ISTIO_MUTUAL' } : (port.isTls ? { mode: 'PASSTHROUGH' } : undefined),
      };
    })),
  };
}

function renderDestinationRule(intent: RouteIntent, subsetNames: string[]): Record<string, unknown> {
  const gatewayPorts = [...new Set(intent.routed.map(r => r.gatewayPort.port))].sort((a, b) => a - b);
  return {
    host: intent.gateway.serviceHost,
    subsets: intent.host.hosts.map((host, i) => {
      const mutualTls = intent.mutualTls && gatewayPorts.length > 0;
      return {
        name: subsetNames[i],
        trafficPolicy: mutualTls || intent.loadBalancer ? {
          loadBalancer: intent.loadBalancer ? { simple: intent.loadBalancer } : undefined,
          portLevelSettings: mutualTls
            ? gatewayPorts.map(number => ({ port: { number }, tls: { mode: 'ISTIO_MUTUAL', sni: sniFor(intent, host) } })) : undefined,
        } : undefined,
      };
    }),
  };
}

function renderVirtualService(intent: RouteIntent, index: number, subset: string, gatewayRef: string): Record<string, unknown> {
  const host = intent.host.hosts[index];
  const destination = intent.servedBy ? intent.destinationHost.hosts[0] : host;
  const mutualTls = intent.mutualTls;
  const toGateway = (r: RoutedPort) => ({
    destination: { host: intent.gateway.serviceHost, subset, port: { number: r.gatewayPort.port } },
    weight: 100,
  });
  const toHost = (port: number) => ({ destination: { host: destination, port: { number: port } }, weight: 100 });
  const fromMesh = (r: RoutedPort, extra: Record<string, unknown> = {}) => ({ gateways: [MESH_GATEWAY], port: r.port.number, ...extra });
  const fromGateway = (r: RoutedPort, extra: Record<string, unknown> = {}) => ({ gateways: [gatewayRef], port: r.gatewayPort.port, ...extra });
  const origination = intent.tlsOrigination;
  const meshRouting = intent.meshRouting;

  const http = intent.routed.filter(r => r.port.isHttp).flatMap(r => [
    { match: [fromMesh(r)], route: [toGateway(r)], timeout: meshRouting?.timeout, retries: meshRouting?.retries },
    { match: [fromGateway(r)], route: [toHost(origination ? origination.port : r.port.number)] },
  ]);
  const tlsPorts = filterList(intent.routed, r => r.port.isTls);
  const opaquePorts = filterList(intent.routed, r => !r.port.isHttp && !r.port.isTls);
  const tls = tlsPorts.flatMap(r => [
    { match: [fromMesh(r, { sniHosts: [host] })], route: [toGateway(r)] },
    // Without mTLS the gateway passes the stream through by SNI; with it, the gateway ends the mesh's TLS first.
    ...(mutualTls ? [] : [{ match: [fromGateway(r, { sniHosts: [host] })], route: [toHost(r.port.number)] }]),
  ]);
  // Opaque TCP is told apart by port and by the host's addresses.
  const addresses = intent.host.addresses.map(toCidr);
  const tcp = [
    ...mapList(opaquePorts, r => ({ match: [fromMesh(r, { destinationSubnets: addresses })], route: [toGateway(r)] })),
    ...mapList((mutualTls ? tlsPorts : []).concat(opaquePorts), r => ({ match: [fromGateway(r)], route: [toHost(r.port.number)] })),
  ];
  return {
    hosts: [host],
    gateways: [gatewayRef, MESH_GATEWAY],
    http: http.length > 0 ? http : undefined,
    tls: tls.length > 0 ? tls : undefined,
    tcp: tcp.length > 0 ? tcp : undefined,
  };
}

/** The Gateway server protocol for an external port: the mesh's TLS wraps everything when mTLS is on. */
function serverProtocol(port: EgressPort, mutualTls: boolean): string {
  if (port.isHttp) {
    return mutualTls ? 'HTTPS' : port.protocol;
  }
  return port.isTls || mutualTls ? 'TLS' : 'TCP';
}

/**
 * The gateway Service port that carries an external port: the same number when the gateway
 * listens on it, otherwise the first port of the same protocol family (by the port name's prefix).
 */
function defaultGatewayPort(gateway: IEgressGateway, port: EgressPort): GatewayServicePort | undefined {
  const same = gateway.ports.find(p => p.port === port.number);
  if (same || (!port.isHttp && !port.isTls)) {
    return same;
  }
  const isTlsName = (name: string) => name === 'https' || name.startsWith('https-') || name.startsWith('tls');
  const isHttpName = (name: string) => !isTlsName(name) && (name.startsWith('http') || name.startsWith('grpc'));
  return gateway.ports.find(p => (port.isTls ? isTlsName(p.name) : port.isHttp && isHttpName(p.name)));
}
