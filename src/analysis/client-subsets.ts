/**
 * SUBSET_NOT_SEEN (EGR118): a locked-down namespace that imports a host uses the mesh route of
 * another namespace (a VirtualService without exportTo is seen everywhere), but not the
 * DestinationRule that defines the route's subset. A proxy looks up DestinationRules in its own
 * namespace, then in the destination Service's namespace, then in the root namespace (pilot
 * push_context.go, PushContext.destinationRule): a rule in the route's namespace is not among them,
 * whatever its exportTo. The sidecars of that namespace then route to a subset without a cluster
 * and answer 503 (no cluster), while the route's own namespace works.
 */
import { ObjectIndex, isMeshBound, isVisibleIn, label, namespaceOf, qualifyHost, serviceNamespace } from './model';
import { ObjectFinding, objectFinding } from './object-finding';
import { covers, destinationRulesFor } from './path-lookups';
import { egressPaths } from './paths';
import { asArray } from '../rules/finding';

export function checkClientSubsets(index: ObjectIndex): ObjectFinding[] {
  const findings: ObjectFinding[] = [];
  const reported = new Set<string>();
  for (const hostPath of egressPaths(index).hosts) {
    for (const { namespace, sidecar } of hostPath.clients.importedBy) {
      for (const { sidecar: hop, target } of hostPath.ports) {
        const route = hop.route;
        if (!route || hop.subset === undefined || namespace === hop.clientNamespace || !isVisibleIn(route.vs.object, namespace)
          || ownRouteIn(index, namespace, hostPath.host)) {
          continue;
        }
        const subset = hop.subset;
        const homes = destinationHomes(index, hop.destination, namespace, target?.namespace
          ?? (hop.destination === hostPath.host ? namespaceOf(hostPath.definition.object) : undefined));
        const home = homes[0];
        if ((homes.length === 0 ? [undefined] : homes).some(h => destinationRulesFor(index, hop.destination, { namespace }, h).subset(subset))) {
          continue;
        }
        const key = JSON.stringify([route.vs.index, route.destinationField, namespace]);
        if (reported.has(key)) {
          continue;
        }
        reported.add(key);
        findings.push(objectFinding(route.vs.index, 'SUBSET_NOT_SEEN', 'error', `${route.destinationField}.subset`, hop.subset,
          `namespace ${namespace} imports ${hostPath.host} (Sidecar ${label(sidecar.object)}) and its sidecars take this route of namespace `
          + `${hop.clientNamespace}, but no DestinationRule they see defines subset "${hop.subset}" of ${hop.destination} (a proxy reads `
          + `the rules of its own namespace, of ${home ?? 'the destination\'s namespace'} and of the root namespace, not those of `
          + `${hop.clientNamespace}): its sidecars answer 503`,
          `define the subset in a DestinationRule in namespace ${namespace} too (EgressGatewayRoute: allowedClients, or ExternalHost: `
          + `clientNamespaces, writes one there), or move the rule to ${home ?? 'the destination\'s namespace'}`));
      }
    }
  }
  return findings;
}

/**
 * The namespaces whose DestinationRules a proxy of `namespace` reads as the destination's: the one given (a gateway
 * Service's, the path's ServiceEntry's), a Kubernetes Service host's, or that of each ServiceEntry of the host that
 * `namespace` sees (any of them may be the one it resolves).
 */
function destinationHomes(index: ObjectIndex, destination: string, namespace: string, known: string | undefined): string[] {
  const home = known ?? serviceNamespace(destination);
  if (home !== undefined) {
    return [home];
  }
  return [...new Set(index.entriesFor(destination).filter(e => isVisibleIn(e.object, namespace)).map(e => namespaceOf(e.object)))];
}

/**
 * Whether a mesh VirtualService of `namespace` itself covers `host` (by name, short name or wildcard): its sidecars
 * may take that one instead, so the other namespace's route is not judged for them.
 */
function ownRouteIn(index: ObjectIndex, namespace: string, host: string): boolean {
  return index.virtualServices.some(vs => namespaceOf(vs.object) === namespace && isMeshBound(vs.object)
    && asArray(vs.object.spec?.hosts).some(h => typeof h === 'string' && covers(qualifyHost(h, namespace), host)));
}
