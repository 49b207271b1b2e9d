/**
 * The ambient rendering of a route: a waypoint as the egress gateway (Istio's ambient egress task).
 * ztunnel sends the traffic to a ServiceEntry through the waypoint the ServiceEntry is bound to, so
 * the route writes no routing objects: it binds the host's ServiceEntry to the waypoint (a label,
 * unless the namespace names the waypoint), and writes what the waypoint applies to it: an
 * AuthorizationPolicy attached to the ServiceEntry (`targetRefs`) and, with TLS origination, the
 * ServiceEntry's `targetPort` plus a DestinationRule (or a BackendTLSPolicy targeting the HTTP ports by name).
 */
import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { RenderedRoute, RouteIntent, RouteRenderer, authorizationRuleSpec, loadBalancerProblem } from './route-rendering';
import { EgressClient } from '../../egress-client';
import { GatewayAuthorizationRule } from '../../egress-gateway-policies';
import { EgressWaypoint } from '../../egress-waypoint';
import { ExternalHost, IExternalHost } from '../../external-host';
import { MeshNamespace } from '../../mesh-namespace';
import { OWN_CODES } from '../../rules/codes';
import { acknowledge } from '../../synth/acknowledgements';
import { createIstioObject } from '../istio-objects';
import { toDnsLabel } from '../names';
import { createBackendTlsPolicy } from './gateway-api-objects';

/** The label that binds a ServiceEntry (or its namespace) to a waypoint. */
const USE_WAYPOINT = 'istio.io/use-waypoint';

export function ambientRenderer(waypoint: EgressWaypoint): RouteRenderer {
  return {
    hostProblem: (host, servedBy) => hostProblem(waypoint, host, servedBy),
    portProblem: (port, mutualTls) => (mutualTls ? undefined
      : `gatewayMutualTls = false (port ${port.number}): ztunnel always carries ambient traffic to the waypoint in mutual TLS (HBONE), `
        + 'so it cannot be turned off. Fix: leave gatewayMutualTls out.'),
    // Every port of the ServiceEntry reaches the waypoint through its HBONE listener.
    gatewayPortFor: (_port, chosen) => (chosen === undefined || chosen === waypoint.ports[0].port ? waypoint.ports[0] : undefined),
    render: (scope, intent) => render(scope, waypoint, intent),
    authorizationPolicy: (scope, intent, clients, trustDomain, rules, action) =>
      authorizationPolicy(scope, waypoint, intent, clients, trustDomain, rules, action),
  };
}

function hostProblem(waypoint: EgressWaypoint, host: IExternalHost, servedBy: IExternalHost | undefined): string | undefined {
  if (servedBy) {
    return `servedBy: ${servedBy.hosts.join(', ')}: the waypoint ${waypoint.namespace}/${waypoint.gatewayName} sends each host of the ServiceEntry `
      + 'to its own address, so there is no server to stand in for a wildcard. Fix: leave servedBy out and list the concrete hosts in the ExternalHost.';
  }
  const wildcard = host.hosts.find(h => h.startsWith('*'));
  if (wildcard) {
    return `host "${wildcard}": this rendering routes concrete hosts through the waypoint. Fix: list the concrete hosts in the ExternalHost, `
      + 'or write the wildcard ServiceEntry (resolution DYNAMIC_DNS, Istio 1.30+) yourself.';
  }
  if (!(host instanceof ExternalHost)) {
    return `host: ${host.node.path} is not an ExternalHost, so the route cannot bind its ServiceEntry to the waypoint. Fix: describe the host with an ExternalHost.`;
  }
  if (host.namespace !== waypoint.namespace) {
    return `host: the ServiceEntry ${host.namespace ?? '(no namespace)'}/${host.name} is not in the waypoint's namespace ${waypoint.namespace}: `
      + 'the waypoint\'s AuthorizationPolicy and DestinationRule for the host live beside the ServiceEntry, in the egress namespace. '
      + `Fix: set the ExternalHost's metadata.namespace to "${waypoint.namespace}".`;
  }
  return undefined;
}

function render(scope: Construct, waypoint: EgressWaypoint, intent: RouteIntent): RenderedRoute {
  const errors: string[] = [];
  const host = intent.host;
  if (!(host instanceof ExternalHost)) {
    // hostProblem reported it.
    return { destinationRules: [], virtualServices: [], subsetNames: [], gatewayApiRoutes: [], referenceGrants: [], originationRules: [], errors };
  }
  const balancing = loadBalancerProblem(intent, 'the ambient rendering');
  if (balancing) {
    errors.push(balancing);
  }
  if (intent.gatewayObjectNamespace !== undefined) {
    errors.push(`gatewayObjectNamespace = "${intent.gatewayObjectNamespace}": ztunnel sends the host's traffic to the waypoint `
      + `${waypoint.namespace}/${waypoint.gatewayName} its ServiceEntry is bound to; there is no Istio Gateway object to place. `
      + 'Fix: leave gatewayObjectNamespace out.');
  }
  if (intent.tlsOrigination && intent.originationPlacement?.placement === 'gatewayOnly') {
    errors.push('originationPlacement = gatewayOnly: the ambient rendering writes the origination as Istio\'s ambient egress task does, '
      + 'beside the ServiceEntry in the waypoint\'s namespace without workloadSelector (the ServiceEntry must be there, and only the '
      + 'waypoint it is bound to sends to the host). Fix: leave originationPlacement out, or use OriginationPlacement.besideHost().');
  }
  const routing = intent.meshRouting;
  if (routing?.timeout !== undefined || routing?.retries !== undefined) {
    errors.push(`requestTimeout/retries of ${host.node.path}: the ambient rendering does not write HTTP routes for the waypoint yet. `
      + 'Fix: leave requestTimeout and retries out of the ExternalHost, or use a GatewayApiEgressGateway or an EgressGateway.');
  }
  // The namespace's own label binds every ServiceEntry there; otherwise the ServiceEntry names the waypoint.
  const enrolled = () => MeshNamespace._of(scope, waypoint.namespace)?.useWaypoint === waypoint.gatewayName;
  host._bindToWaypoint([USE_WAYPOINT], (): Record<string, string> => (enrolled() ? {} : { [USE_WAYPOINT]: waypoint.gatewayName }));
  // The origination goes in a BackendTLSPolicy when the user chose one, else in a DestinationRule.
  const policies = backendTlsPolicies(scope, intent, host, errors);
  return {
    destinationRules: [],
    virtualServices: [],
    subsetNames: [],
    gatewayApiRoutes: [],
    referenceGrants: [],
    originationRules: policies.length > 0 ? [] : originationRules(scope, waypoint, intent, host),
    originationPolicies: policies,
    errors,
  };
}

/** The BackendTLSPolicy that carries the waypoint's origination (`TlsOriginationObject.backendTlsPolicy()`), if chosen; its problems go to `errors`. */
function backendTlsPolicies(scope: Construct, intent: RouteIntent, host: ExternalHost, errors: string[]): ApiObject[] {
  const origination = intent.tlsOrigination;
  if (!origination?._byBackendTlsPolicy) {
    return [];
  }
  const originated = () => host.ports.filter(p => intent.routed.some(r => r.port.isHttp && r.port.number === p.number));
  setTargetPorts(intent, host);
  errors.push(...origination._backendTlsPolicyProblems(scope, host.hosts, originated(), host._trafficPolicy() !== undefined));
  return [createBackendTlsPolicy(scope, 'BackendTLSPolicy', toDnsLabel(`${host.name}-tls`), host.namespace, host.name,
    host.hosts[0] ?? '', originated, origination)];
}

/** The originated HTTP ports send to the TLS port at the waypoint (`targetPort`). */
function setTargetPorts(intent: RouteIntent, host: ExternalHost): number[] {
  const origination = intent.tlsOrigination;
  const originated = intent.routed.filter(r => r.port.isHttp).map(r => r.port.number);
  for (const number of originated) {
    if (origination && number !== origination.port) {
      host._setWaypointTargetPort(number, origination.port);
    }
  }
  return originated;
}

/**
 * TLS origination at the waypoint, as the ambient task writes it: the HTTP ports target the TLS port
 * (`targetPort`), and a DestinationRule opens TLS. The rule sets `trafficPolicy.tls` when every port
 * of the host is an originated HTTP port, else per port, so that the applications' own TLS on the
 * host's other ports is not wrapped a second time.
 */
function originationRules(scope: Construct, waypoint: EgressWaypoint, intent: RouteIntent, host: ExternalHost): ApiObject[] {
  const origination = intent.tlsOrigination;
  if (!origination) {
    return [];
  }
  const originated = setTargetPorts(intent, host);
  const whole = host.ports.every(p => originated.includes(p.number));
  // A waypoint is a gateway proxy: it reads the credentialName Secret from its namespace, where sidecars
  // would ignore the rule (EGR111). The rule is then kept to the waypoint's namespace, so no sidecar sees it.
  const credential = origination._render(host.hosts[0] ?? '').credentialName !== undefined;
  if (credential) {
    acknowledge(scope, OWN_CODES.SIDECAR_CREDENTIAL, 'the waypoint, a gateway proxy, reads the credential; the rule is exported to its namespace only');
    waypoint._allowSecretList();
  }
  return host.hosts.map((name, i) => createIstioObject(scope, `TlsOrigination${i}`, 'DestinationRule',
    { name: toDnsLabel(`${host.hosts.length === 1 ? host.name : toDnsLabel(name)}-tls`), namespace: waypoint.namespace },
    Lazy.any({
      produce: () => {
        const tls = origination._render(name);
        return {
          host: name,
          exportTo: credential ? ['.'] : undefined,
          trafficPolicy: {
            ...host._trafficPolicy(),
            ...(whole ? { tls } : { portLevelSettings: originated.map(number => ({ port: { number }, tls })) }),
          },
        };
      },
    })));
}

/**
 * `allowedClients` and `authorizationRules` at the waypoint: an AuthorizationPolicy attached to the
 * host's ServiceEntry (ALLOW: the clients' rule and the ALLOW rules; DENY: the DENY rules).
 */
function authorizationPolicy(
  scope: Construct, waypoint: EgressWaypoint, intent: RouteIntent, clients: EgressClient[] | undefined, trustDomain: string,
  rules: GatewayAuthorizationRule[], action: string,
): ApiObject {
  const deny = action === 'DENY';
  return createIstioObject(scope, deny ? 'DenyPolicy' : 'AuthorizationPolicy', 'AuthorizationPolicy',
    { name: toDnsLabel(`${intent.namespace}-${intent.host.name}-egress${deny ? '-deny' : ''}`), namespace: waypoint.namespace },
    Lazy.any({
      produce: () => {
        const namespaces = [...new Set((clients ?? []).filter(c => c.serviceAccountName === undefined).map(c => c.namespace))].sort();
        const principals = [...new Set((clients ?? []).map(c => c._principal(trustDomain)).filter((p): p is string => p !== undefined))].sort();
        return {
          targetRefs: [{ group: 'networking.istio.io', kind: 'ServiceEntry', name: intent.host.name }],
          action,
          rules: [
            ...(clients ? [{
              from: [
                ...(namespaces.length > 0 ? [{ source: { namespaces } }] : []),
                ...(principals.length > 0 ? [{ source: { principals } }] : []),
              ],
            }] : []),
            ...rules.map(r => authorizationRuleSpec(intent, r, trustDomain, true)),
          ],
        };
      },
    }));
}
