/**
 * A namespace locked down by a REGISTRY_ONLY Sidecar can only reach what that Sidecar imports: a route
 * of that namespace to anything else ends in a 502 from the sidecar (BlackHoleCluster).
 */
import { asArray, isRecord } from './finding';
import { hostSubsetOf } from './names';
import { ObjectFinding, objectFinding } from './object-finding';
import { IndexedObject, MESH, ObjectIndex, destinationsOf, isVisibleIn, namespaceOf, serviceNamespace } from './object-index';

export function checkLockedDownNamespaces(index: ObjectIndex): ObjectFinding[] {
  const lockdowns = new Map<string, IndexedObject>();
  for (const sidecar of index.sidecars) {
    const spec = sidecar.object.spec;
    // Only namespace-wide Sidecars speak for every workload; the mode must be REGISTRY_ONLY.
    if (isRecord(spec) && spec.workloadSelector === undefined && spec.outboundTrafficPolicy?.mode === 'REGISTRY_ONLY') {
      lockdowns.set(namespaceOf(sidecar.object), sidecar);
    }
  }
  if (lockdowns.size === 0) {
    return [];
  }
  const findings: ObjectFinding[] = [];
  for (const vs of index.virtualServices) {
    const namespace = namespaceOf(vs.object);
    const sidecar = lockdowns.get(namespace);
    if (!sidecar) {
      continue;
    }
    const imports = asArray(sidecar.object.spec.egress).flatMap(l => asArray(isRecord(l) ? l.hosts : undefined)).filter(h => typeof h === 'string');
    for (const d of destinationsOf(vs.object).filter(x => x.gateways.includes(MESH))) {
      const homes = serviceNamespace(d.host) !== undefined
        ? [serviceNamespace(d.host)!]
        : index.entriesFor(d.host).filter(e => isVisibleIn(e.object, namespace)).map(e => namespaceOf(e.object));
      if (homes.length > 0 && !homes.some(home => imported(imports, home, d.host, namespace))) {
        findings.push(objectFinding(vs.index, 'LOCKDOWN', 'error', `${d.field}.host`, d.host,
          `namespace ${namespace} is locked down by Sidecar ${sidecar.object.metadata?.name} (REGISTRY_ONLY), which does not import ${d.host} `
          + `(defined in ${homes.join(', ')}): its sidecars answer 502 instead of routing`,
          `add "${homes[0]}/${d.host}" to the Sidecar's egress hosts`));
      }
    }
  }
  return findings;
}

/** Does a Sidecar egress host list import `host` defined in namespace `home`, for a Sidecar in `own`? */
function imported(imports: string[], home: string, host: string, own: string): boolean {
  return imports.some(entry => {
    const slash = entry.indexOf('/');
    const ns = entry.slice(0, slash);
    const name = entry.slice(slash + 1);
    const nsMatches = ns === '*' || ns === home || (ns === '.' && home === own);
    return nsMatches && hostSubsetOf(host, name);
  });
}
