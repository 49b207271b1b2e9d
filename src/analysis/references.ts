/**
 * References between objects (istioctl analyze IST0101, IST0112) and the silent failures of an
 * egress gateway setup: a host the gateway cannot see (X1), a gateway route without its mesh route.
 */
import {
  CLUSTER_DOMAIN, Destination, IndexedObject, MESH, ObjectIndex, isMeshBound, label, namespaceOf, qualifyHost, resolveGatewayRef,
  selectorString, serviceNamespace,
} from './model';
import { ObjectFinding, objectFinding } from './object-finding';
import { asArray, isRecord } from '../rules/finding';

/**
 * @param gatewayPods labels of the egress gateway pods known to exist (from the constructs' gateway
 * references, or Deployments and Pods among the objects); empty when unknown
 */
export function checkReferences(index: ObjectIndex, gatewayPods: Array<Record<string, string>> = []): ObjectFinding[] {
  const findings: ObjectFinding[] = unmatchedGatewaySelectors(index, gatewayPods);
  // Appended one by one: most of these lists are empty, and spreading each into push costs more than it adds.
  // Index loops: this runs per route, mostly before V8 has optimized it, when a for-of allocates per element.
  const add = (found: ObjectFinding[]) => {
    for (let i = 0; i < found.length; i++) {
      findings.push(found[i]);
    }
  };
  const virtualServices = index.virtualServices;
  for (let v = 0; v < virtualServices.length; v++) {
    const vs = virtualServices[v];
    add(gatewayReferences(index, vs));
    const destinations = index.destinations(vs);
    for (let d = 0; d < destinations.length; d++) {
      add(destinationProblems(index, vs, destinations[d]));
    }
  }
  add(bypassedGateways(index));
  return findings;
}

/**
 * An egress Gateway (one whose routes lead to external hosts) whose selector matches none of the
 * known gateway pods configures nothing (IST0101 selector, when the pods are known).
 */
function unmatchedGatewaySelectors(index: ObjectIndex, gatewayPods: Array<Record<string, string>>): ObjectFinding[] {
  const pods = [...gatewayPods, ...index.podLabels];
  if (pods.length === 0) {
    return [];
  }
  const egress = new Set<string>();
  const virtualServices = index.virtualServices;
  for (let v = 0; v < virtualServices.length; v++) {
    const destinations = index.destinations(virtualServices[v]);
    for (let i = 0; i < destinations.length; i++) {
      const d = destinations[i];
      // Only a route that some gateway uses can make its Gateway an egress one.
      if (d.atGateways.length > 0 && serviceNamespace(d.host) === undefined && index.entriesFor(d.host).length > 0) {
        for (let g = 0; g < d.atGateways.length; g++) {
          egress.add(d.atGateways[g]);
        }
      }
    }
  }
  return [...egress].flatMap(ref => {
    const gateway = index.gateways.get(ref);
    const selector = gateway && isRecord(gateway.object.spec?.selector) ? gateway.object.spec.selector as Record<string, string> : undefined;
    if (!gateway || !selector || pods.some(labels => Object.entries(selector).every(([k, v]) => labels[k] === v))) {
      return [];
    }
    return [objectFinding(gateway.index, 'IST0101', 'warning', 'spec.selector', selector,
      `Referenced selector not found: "${selectorString(selector)}" matches none of the egress gateway pods known here`,
      'use the labels of the egress gateway pods (istioctl installs label them istio: egressgateway; the istio/gateway chart istio: <release without istio->)')];
  });
}

/** IST0101: every gateway a VirtualService names must exist, as `namespace/name`. */
function gatewayReferences(index: ObjectIndex, vs: IndexedObject): ObjectFinding[] {
  const namespace = namespaceOf(vs.object);
  return asArray(vs.object.spec?.gateways).flatMap((ref, i) => {
    if (typeof ref !== 'string' || ref === MESH) {
      return [];
    }
    const resolved = resolveGatewayRef(ref, namespace);
    if (index.gateways.has(resolved)) {
      return [];
    }
    const name = resolved.split('/')[1];
    const elsewhere = [...index.gateways.keys()].find(k => k.endsWith(`/${name}`));
    return [objectFinding(vs.index, 'IST0101', 'error', `spec.gateways[${i}]`, ref, `Referenced gateway not found: "${resolved}"`,
      elsewhere ? `the Gateway is ${elsewhere}: write "${elsewhere}" (a short name resolves in the VirtualService's namespace)`
        : 'create the Gateway, or name it as namespace/name')];
  });
}

function destinationProblems(index: ObjectIndex, vs: IndexedObject, d: Destination): ObjectFinding[] {
  const findings: ObjectFinding[] = [];
  const namespace = namespaceOf(vs.object);
  const fqdn = qualifyHost(d.host, namespace);
  if (d.subset !== undefined && !index.hasSubset(d.host, d.subset, namespace)) {
    findings.push(objectFinding(vs.index, 'IST0101', 'error', `${d.field}.subset`, d.subset,
      `Referenced host+subset in destinationrule not found: "${fqdn}+${d.subset}"`,
      `define subset "${d.subset}" in a DestinationRule for ${d.host} in namespace ${serviceNamespace(fqdn) ?? namespace}`));
  }
  const resolved = index.resolveHost(d.host, namespace);
  if (resolved.status === 'unknown') {
    index.noteUnchecked(vs.index, `${d.field}.host`, fqdn, resolved.namespace);
    return findings;
  }
  if (resolved.status === 'missing') {
    return [...findings, objectFinding(vs.index, 'IST0101', 'error', `${d.field}.host`, d.host, `Referenced host not found: "${fqdn}"`,
      missingHostFix(index, d.host, fqdn))];
  }
  if (resolved.status === 'hidden') {
    return [...findings, notExported(vs, d, namespace, resolved.definitions, MESH)];
  }
  // The sidecars (mesh) see the host from the VirtualService's namespace; a gateway from its own (X1).
  const gateways = d.atGateways;
  for (let i = 0; i < gateways.length; i++) {
    const gateway = gateways[i];
    const viewer = index.gateways.get(gateway) ? namespaceOf(index.gateways.get(gateway)!.object) : undefined;
    const seen = viewer === undefined ? undefined : index.resolveHost(fqdn, viewer);
    if (viewer !== undefined && seen?.status === 'hidden') {
      findings.push(notExported(vs, d, viewer, seen.definitions, gateway));
    }
  }
  const ports = resolved.ports;
  if (d.port !== undefined && !ports.some(p => p.number === d.port)) {
    findings.push(objectFinding(vs.index, 'IST0101', 'error', `${d.field}.port.number`, d.port, `Referenced host:port not found: "${fqdn}:${d.port}"`,
      `route to a port ${fqdn} declares (${ports.map(p => p.number).join(', ') || 'none'}), or declare ${d.port}`));
  }
  if (d.port === undefined && ports.length > 1) {
    findings.push(objectFinding(vs.index, 'IST0112', 'error', `${d.field}.port`, undefined,
      `This VirtualService routes to a service "${fqdn}" that exposes multiple ports [${ports.map(p => p.number).join(' ')}]. `
      + 'Specifying a port in the destination is required to disambiguate.', 'set destination.port.number'));
  }
  return findings;
}

function notExported(vs: IndexedObject, d: Destination, viewer: string, definitions: IndexedObject[], gateway: string): ObjectFinding {
  return objectFinding(vs.index, 'IST0101', 'error', `${d.field}.host`, d.host,
    `Referenced host not found: "${d.host}" is not exported to namespace ${viewer}${gateway === MESH ? '' : `, where gateway ${gateway} runs`}`,
    exportFix(definitions, viewer));
}

/** How to make a host defined by `definitions` visible in `viewer`: its exportTo, or a Service's exportTo annotation. */
export function exportFix(definitions: IndexedObject[], viewer: string): string {
  const definition = definitions[0].object;
  const field = definition.kind === 'Service' ? 'networking.istio.io/exportTo annotation' : 'exportTo';
  return `add "${viewer}" to the ${field} of ${definition.kind} ${label(definition)}`;
}

const EXISTS = 'give its YAML to the check (lint --cluster <file|dir>; at synth EgressAnalysis.assumeExists)';

/** What to do about a host nothing defines: the likely slip, or where its definition should come from. */
export function missingHostFix(index: ObjectIndex, reference: string, fqdn: string): string {
  const asService = `${reference}.svc.${CLUSTER_DOMAIN}`;
  if (/^[^.]+\.[^.]+$/.test(reference) && index.resolveHost(asService, 'default').status !== 'missing') {
    return `Istio reads "${reference}" as a host of its own, not as Service ${reference.replace('.', ' in namespace ')}: write ${asService}`;
  }
  const home = serviceNamespace(fqdn);
  if (home !== undefined) {
    return `no Service ${fqdn.split('.')[0]} is among the objects of namespace ${home}: correct the host, or if the Service exists, ${EXISTS}`;
  }
  return `add a ServiceEntry for ${fqdn}, or if one exists in the cluster, ${EXISTS}`;
}

/**
 * A VirtualService that only a gateway uses, routing to an external host, with no mesh route for that
 * host: the sidecars send the traffic straight out and the gateway never sees it.
 */
function bypassedGateways(index: ObjectIndex): ObjectFinding[] {
  const meshHosts = new Set<string>();
  for (const vs of index.virtualServices.filter(v => isMeshBound(v.object))) {
    asArray(vs.object.spec?.hosts).filter(h => typeof h === 'string').forEach(h => meshHosts.add(h));
  }
  return index.virtualServices.flatMap(vs => {
    if (isMeshBound(vs.object)) {
      return [];
    }
    const gateways = asArray(vs.object.spec?.gateways);
    const external = index.destinations(vs).filter(d => serviceNamespace(d.host) === undefined && index.entriesFor(d.host).length > 0);
    return asArray(vs.object.spec?.hosts).flatMap((host, i) => (typeof host === 'string' && external.length > 0 && !meshHosts.has(host)
      ? [objectFinding(vs.index, 'BYPASS', 'error', 'spec.gateways', gateways,
        `the VirtualService sends ${host} from gateway ${gateways.join(', ')} to the external host, but no VirtualService bound to the mesh `
        + `sends ${host} to that gateway: sidecars reach ${host} directly and the gateway is bypassed`,
        `add "mesh" to spec.gateways with a first route (match gateways [mesh]) to the egress gateway, as in Istio's egress gateway task (field ${`spec.hosts[${i}]`})`)]
      : []));
  });
}
