/**
 * The egress gateway task's TLS objects for api.example.com, shared by the egress diff's tests: the gateway's
 * server for the host, and the VirtualService that sends shop's sidecars to the gateway and the gateway to the host.
 */
export type Manifest = Record<string, any>;
export const HOST = 'api.example.com';
export const GATEWAY_SERVICE = 'istio-egressgateway.istio-system.svc.cluster.local';

/** The egress gateway's TLS server for HOST:443, passing TLS through unless `tls` says otherwise. */
export function egressGateway(tls: Manifest = { mode: 'PASSTHROUGH' }): Manifest {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'Gateway',
    metadata: { name: 'egress', namespace: 'istio-system' },
    spec: { selector: { istio: 'egressgateway' }, servers: [{ port: { number: 443, name: 'tls', protocol: 'TLS' }, hosts: [HOST], tls }] },
  };
}

/** shop's route for HOST: the sidecars to the gateway's Service, the gateway to the host (no exportTo when undefined). */
export function gatewayRoutes(exportTo?: string[]): Manifest {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name: 'api', namespace: 'shop' },
    spec: {
      hosts: [HOST],
      gateways: ['mesh', 'istio-system/egress'],
      ...(exportTo ? { exportTo } : {}),
      tls: [
        { match: [{ gateways: ['mesh'], port: 443, sniHosts: [HOST] }], route: [{ destination: { host: GATEWAY_SERVICE, port: { number: 443 } } }] },
        { match: [{ gateways: ['istio-system/egress'], port: 443, sniHosts: [HOST] }], route: [{ destination: { host: HOST, port: { number: 443 } } }] },
      ],
    },
  };
}

/** shop's TLS ServiceEntry for `host`, exported to shop and the gateway's namespace unless `exportTo` says otherwise. */
export function tlsServiceEntry(exportTo: string[] = ['shop', 'istio-system'], host = HOST, protocol = 'TLS', number = 443): Manifest {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'ServiceEntry',
    metadata: { name: host.split('.')[0], namespace: 'shop' },
    spec: { hosts: [host], exportTo, location: 'MESH_EXTERNAL', ports: [{ number, name: protocol.toLowerCase(), protocol }], resolution: 'DNS' },
  };
}
