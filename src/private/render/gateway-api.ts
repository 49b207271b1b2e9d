/**
 * The Gateway API rendering of an egress gateway route (sidecar data plane), as Istio's egress tasks
 * write it in their Gateway API tabs:
 * - the sidecars' hop: an HTTPRoute or TLSRoute parented to the host's ServiceEntry, with the
 *   gateway's Service `<name>-istio` as backend (a ReferenceGrant beside the Service when the route
 *   lives in another namespace);
 * - the gateway's hop: a route in the gateway's namespace parented to the Gateway's listener for the
 *   host and port, with the host itself as backend (`kind: Hostname`, group networking.istio.io), or
 *   the `servedBy` host for a wildcard domain (Istio's wildcard task: `*.wikipedia.org` to www.wikipedia.org);
 *   a host that names a Kubernetes Service goes to the Service (a ReferenceGrant beside it when it is in
 *   another namespace), as the docs' mutual TLS origination task writes it;
 * - the listeners (the Gateway's construct renders them) and, with mutual TLS to the gateway, the
 *   DestinationRules for `<name>-istio` (the gateway's construct renders them, one per client namespace).
 */
import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { GATEWAY_API_GROUP, GatewayApiListenerRequest, createGatewayApiObject, gatewayApiTargetProblem } from './gateway-api-objects';
import { RenderedRoute, RouteIntent, RouteRenderer, createOriginationPolicies, createOriginationRules, gatewayOriginationProblem, originatesWithCredential, loadBalancerProblem } from './route-rendering';
import { EgressPort } from '../../egress-port';
import type { GatewayApiEgressGateway } from '../../gateway-api-egress-gateway';
import { serviceNamespace } from '../../rules/names';
import { toDnsLabel } from '../names';

/** The Istio group, for ServiceEntry parents and Hostname backends. */
const ISTIO_NETWORKING_GROUP = 'networking.istio.io';

/** The rendering for a Gateway API Gateway that Istio deploys. */
export function gatewayApiRenderer(gateway: GatewayApiEgressGateway): RouteRenderer {
  return {
    // Wildcards need `servedBy`, which the route checks for every rendering: the gateway's route then sends to that host.
    hostProblem: () => undefined,
    portProblem,
    // The routes add the Gateway's listeners: its Service gets the port.
    gatewayPortFor: (port, chosen) => ({ port: chosen ?? port.number, name: '' }),
    render: (scope, intent) => render(scope, intent, gateway),
  };
}

/**
 * A host that names a Kubernetes Service (`<name>.<namespace>.svc.<domain>`): the gateway's route sends to
 * the Service itself, as the docs' Gateway API tab does, rather than to a Hostname.
 */
function kubernetesService(host: string): { name: string; namespace: string } | undefined {
  const namespace = serviceNamespace(host);
  return namespace === undefined ? undefined : { name: host.slice(0, host.indexOf('.')), namespace };
}

/** The gateway's backend for `host`: its Kubernetes Service, or the host by name (`kind: Hostname`). */
function backendRef(host: string, routeNamespace: string, port: number): Record<string, unknown> {
  const service = kubernetesService(host);
  return service
    ? { name: service.name, namespace: service.namespace !== routeNamespace ? service.namespace : undefined, port }
    : { group: ISTIO_NETWORKING_GROUP, kind: 'Hostname', name: host, port };
}

/** Why a port cannot take this rendering, or undefined. */
function portProblem(port: EgressPort, mutualTls: boolean): string | undefined {
  if (!port.isHttp && !port.isTls) {
    return `ports: ${port.number} (${port.protocol}) is opaque TCP, which the Gateway API rendering does not route (TCPRoute is experimental). `
      + 'Fix: route this port through an installed gateway (EgressGateway.istioDefault(), fromHelmRelease(), fromAttributes()), or leave it out of `ports`.';
  }
  if (port.isTls && mutualTls) {
    return `ports: ${port.number} (${port.protocol}) carries the application's own TLS, which the Gateway API rendering passes through by SNI `
      + 'only without the mesh\'s mutual TLS to the gateway. Fix: set `gatewayMutualTls: false`, or route the port through an installed gateway.';
  }
  return undefined;
}

function render(scope: Construct, intent: RouteIntent, gateway: GatewayApiEgressGateway): RenderedRoute {
  const { host, namespace, routed, mutualTls } = intent;
  const clientNamespaces = [namespace, ...intent.otherClientNamespaces];
  const originationPort = intent.tlsOrigination?.port;
  const errors: string[] = [];
  // The gateway reports its own scope's target; a route in a scope that targets another mesh reports its own.
  const target = gatewayApiTargetProblem(scope);
  if (target && target !== gatewayApiTargetProblem(gateway)) {
    errors.push(target);
  }
  const kindOf = (p: EgressPort): 'HTTPRoute' | 'TLSRoute' => (p.isHttp ? 'HTTPRoute' : 'TLSRoute');
  const originationProblem = gatewayOriginationProblem(intent);
  if (originationProblem) {
    errors.push(originationProblem);
  }
  const balancing = loadBalancerProblem(intent, 'the Gateway API rendering');
  if (balancing) {
    errors.push(balancing);
  }
  if (intent.gatewayObjectNamespace !== undefined) {
    errors.push(`gatewayObjectNamespace = "${intent.gatewayObjectNamespace}": with a Gateway API gateway the routes attach to the Gateway `
      + `${gateway.namespace}/${gateway.gatewayName}, whose listeners its construct writes in its own namespace; there is no Istio Gateway `
      + 'object to place. Fix: leave gatewayObjectNamespace out (create the GatewayApiEgressGateway in the namespace you want).');
  }
  if (intent.meshRouting?.retries) {
    errors.push(`host ${host.hosts.join(', ')}: its retries are not rendered as Gateway API routes yet (HTTPRoute retries are experimental). `
      + 'Fix: drop `retries` from the ExternalHost, or route it through an installed gateway.');
  }

  // The gateway's hop: a listener and a route per host and port. Istio looks a Hostname backend up
  // among the services of the route's namespace, so the route lives beside the host's ServiceEntry.
  const hostNamespace = host.namespace ?? namespace;
  const destination = intent.servedBy ? intent.destinationHost.hosts[0] : undefined;
  const gatewayRoutes: ApiObject[] = [];
  const several = routed.length > 1;
  for (const [i, hostname] of host.hosts.entries()) {
    const label = host.hosts.length > 1 ? toDnsLabel(hostname) : host.name;
    for (const r of routed) {
      const kind = kindOf(r.port);
      const request: GatewayApiListenerRequest = {
        port: r.gatewayPort.port,
        protocol: r.port.isHttp ? (mutualTls ? 'HTTPS' : 'HTTP') : 'TLS',
        hostname,
        routeKind: kind,
        routeNamespace: hostNamespace,
      };
      const listener = gateway._addListener(request, scope);
      if (listener.error) {
        errors.push(listener.error);
        continue;
      }
      if (mutualTls && hostname.startsWith('*')) {
        errors.push(`host "${hostname}" port ${r.port.number}: the sidecars name the host as the SNI of the mesh's mutual TLS to the gateway, `
          + 'and a wildcard is no server name. Fix: set `gatewayMutualTls: false` (the application\'s own TLS passes through by SNI), '
          + 'or route the wildcard domain through an installed gateway.');
        continue;
      }
      if (mutualTls) {
        for (const ns of clientNamespaces) {
          const problem = gateway._requireMutualTls(ns, r.gatewayPort.port, hostname, scope);
          if (problem) {
            errors.push(problem);
          }
        }
      }
      const targetPort = r.port.isHttp && originationPort !== undefined ? originationPort : r.port.number;
      const name = toDnsLabel(`${namespace}-${label}${several ? `-${r.port.number}` : ''}`);
      gatewayRoutes.push(createGatewayApiObject(scope, `GatewayRoute${i}-${r.port.number}`, kind,
        { name, namespace: hostNamespace || undefined },
        Lazy.any({
          produce: () => ({
            parentRefs: [{
              name: gateway.gatewayName,
              namespace: gateway.namespace !== hostNamespace ? gateway.namespace : undefined,
              sectionName: listener.name,
            }],
            hostnames: [hostname],
            // With servedBy (a wildcard domain that one server serves), the gateway sends every host under it there.
            rules: [{ backendRefs: [backendRef(destination ?? hostname, hostNamespace, targetPort)] }],
          }),
        })));
    }
  }

  // The sidecars' hop: per client namespace and port, a route parented to the ServiceEntry.
  const meshRoutes: ApiObject[] = [];
  for (const ns of clientNamespaces) {
    for (const r of routed) {
      const kind = kindOf(r.port);
      // The port selects the ServiceEntry's port when it has others of the same kind.
      const sameKind = host.ports.filter(p => kindOf(p) === kind && (p.isHttp || p.isTls));
      const port = sameKind.length === 1 && sameKind[0].number === r.port.number ? undefined : r.port.number;
      const name = toDnsLabel(`${host.name}-egress${several ? `-${r.port.number}` : ''}`);
      const id = ns === namespace ? (meshRoutes.length === 0 ? 'Resource' : `MeshRoute-${r.port.number}`) : `MeshRoute-${ns}-${r.port.number}`;
      const timeout = r.port.isHttp ? intent.meshRouting?.timeout : undefined;
      meshRoutes.push(createGatewayApiObject(scope, id, kind, { name, namespace: ns || undefined }, Lazy.any({
        produce: () => ({
          parentRefs: [{
            group: ISTIO_NETWORKING_GROUP,
            kind: 'ServiceEntry',
            name: host.name,
            namespace: host.namespace && host.namespace !== ns ? host.namespace : undefined,
            port,
          }],
          // TLSRoute v1 requires hostnames (v1alpha2, which the docs use, did not): the host's names.
          hostnames: kind === 'TLSRoute' ? [...host.hosts] : undefined,
          rules: [{
            backendRefs: [{
              name: gateway.serviceName,
              namespace: gateway.namespace !== ns ? gateway.namespace : undefined,
              port: r.gatewayPort.port,
            }],
            timeouts: timeout ? { request: timeout } : undefined,
          }],
        }),
      })));
    }
  }

  // A backendRef to another namespace's Service needs the Service's namespace to allow it.
  const referenceGrants: ApiObject[] = [];
  // The gateway's routes to an in-cluster Service of another namespace (the docs' mutual TLS task: my-nginx in mesh-external).
  const inCluster = kubernetesService(destination ?? host.hosts[0] ?? '');
  if (inCluster && inCluster.namespace !== hostNamespace && gatewayRoutes.length > 0) {
    const kinds = [...new Set(routed.map(r => kindOf(r.port)))].sort();
    referenceGrants.push(createGatewayApiObject(scope, 'BackendReferenceGrant', 'ReferenceGrant',
      { name: toDnsLabel(`${hostNamespace}-${host.name}-to-${inCluster.name}`), namespace: inCluster.namespace },
      { from: kinds.map(kind => ({ group: GATEWAY_API_GROUP, kind, namespace: hostNamespace })), to: [{ group: '', kind: 'Service', name: inCluster.name }] }));
  }
  const from = clientNamespaces.filter(ns => ns !== gateway.namespace)
    .flatMap(ns => [...new Set(routed.map(r => kindOf(r.port)))].sort().map(kind => ({ group: GATEWAY_API_GROUP, kind, namespace: ns })));
  if (from.length > 0 && routed.length > 0) {
    referenceGrants.push(createGatewayApiObject(scope, 'ReferenceGrant', 'ReferenceGrant',
      { name: toDnsLabel(`${namespace}-${host.name}-egress`), namespace: gateway.namespace || undefined },
      Lazy.any({ produce: () => ({ from, to: [{ group: '', kind: 'Service', name: gateway.serviceName }] }) })));
  }
  const originationRules = createOriginationRules(scope, intent);
  const policies = createOriginationPolicies(scope, intent);
  errors.push(...policies.errors);
  if (originatesWithCredential(intent)) {
    gateway._allowSecretList();
  }
  return {
    destinationRules: [],
    virtualServices: [],
    subsetNames: [],
    gatewayApiRoutes: [...meshRoutes, ...gatewayRoutes],
    referenceGrants,
    originationRules,
    originationPolicies: policies.policies,
    errors,
  };
}
