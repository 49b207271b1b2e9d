/**
 * What the tests of the egress paths (src/analysis/paths.ts) share: the paths of some objects, one port's path, and
 * the objects of the common shapes (Istio's TLS egress gateway task, a waypoint, a Gateway API egress gateway).
 */
import { destinationRule, gateway, server, serviceEntry, virtualService } from './objects';
import { ObjectIndex } from '../../src/analysis/model';
import { HostPath, PortPath, egressPaths } from '../../src/analysis/paths';

/** The Service of Istio's default egress gateway. */
export const EGRESS_GATEWAY_SERVICE = 'istio-egressgateway.istio-system.svc.cluster.local';
export const HOST = 'api.example.com';

export function hostPaths(objects: any[]): HostPath[] {
  return egressPaths(new ObjectIndex(objects)).hosts;
}

/** The path of `port` of `host`. */
export function portPath(objects: any[], port: number, host = HOST): PortPath {
  return hostPaths(objects).find(h => h.host === host)!.ports.find(p => p.port.number === port)!;
}

/**
 * HOST on port 443 (TLS) from team-a through the default egress gateway, which passes it through: subset `api` of the
 * gateway Service's DestinationRule (whose subsets are `subsets`), a mesh route to it and a route on from the gateway
 * (Istio's TLS egress task).
 */
export function tlsThroughEgressGateway(subsets: any[] = [{ name: 'api' }]): any[] {
  return [
    serviceEntry('api', 'team-a', { hosts: [HOST], resolution: 'DNS', ports: [{ number: 443, name: 'tls', protocol: 'TLS' }] }),
    gateway('egress', 'istio-system', { selector: { istio: 'egressgateway' }, servers: [server(443, [HOST], { protocol: 'TLS', tls: { mode: 'PASSTHROUGH' } })] }),
    destinationRule('egressgateway', 'team-a', { host: EGRESS_GATEWAY_SERVICE, subsets }),
    virtualService('api', 'team-a', {
      hosts: [HOST],
      gateways: ['mesh', 'istio-system/egress'],
      tls: [
        { match: [{ gateways: ['mesh'], port: 443, sniHosts: [HOST] }], route: [{ destination: { host: EGRESS_GATEWAY_SERVICE, subset: 'api', port: { number: 443 } } }] },
        { match: [{ gateways: ['istio-system/egress'], port: 443, sniHosts: [HOST] }], route: [{ destination: { host: HOST, port: { number: 443 } } }] },
      ],
    }),
  ];
}

/** A Gateway API Gateway `<ns>/<name>` of class `istio-waypoint` with the HBONE listener of a waypoint. */
export function waypointGateway(name: string, ns: string): any {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name, namespace: ns },
    spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
  };
}

/**
 * HOST on port 80 (HTTP) through the Gateway API Gateway `egress/api-egress` of class istio: an HTTPRoute parented to
 * the ServiceEntry sends the mesh's traffic to the Gateway's Service `api-egress-istio`, one parented to the Gateway
 * sends it on to the host (Istio's Gateway API egress task).
 */
export function gatewayApiEgress(): any[] {
  const apiVersion = 'gateway.networking.k8s.io/v1';
  return [
    serviceEntry('api', 'egress', { hosts: [HOST], resolution: 'DNS', ports: [{ number: 80, name: 'http', protocol: 'HTTP' }] }),
    {
      apiVersion,
      kind: 'Gateway',
      metadata: { name: 'api-egress', namespace: 'egress' },
      spec: { gatewayClassName: 'istio', listeners: [{ name: 'http', hostname: HOST, port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same' } } }] },
    },
    {
      apiVersion,
      kind: 'HTTPRoute',
      metadata: { name: 'api-to-gateway', namespace: 'egress' },
      spec: { parentRefs: [{ group: 'networking.istio.io', kind: 'ServiceEntry', name: 'api' }], rules: [{ backendRefs: [{ name: 'api-egress-istio', port: 80 }] }] },
    },
    {
      apiVersion,
      kind: 'HTTPRoute',
      metadata: { name: 'api-from-gateway', namespace: 'egress' },
      spec: {
        parentRefs: [{ name: 'api-egress', sectionName: 'http' }],
        hostnames: [HOST],
        rules: [{ backendRefs: [{ group: 'networking.istio.io', kind: 'Hostname', name: HOST, port: 80 }] }],
      },
    },
  ];
}
