/**
 * A namespace locked down by a REGISTRY_ONLY Sidecar can only reach what that Sidecar imports: a route
 * of that namespace to anything else ends in a 502 from the sidecar (BlackHoleCluster).
 */
import { IndexedObject, ObjectIndex, isVisibleIn, namespaceOf, serviceNamespace } from './model';
import { ObjectFinding, objectFinding } from './object-finding';
import { Manifest, asArray, isRecord } from '../rules/finding';
import { hostSubsetOf } from '../rules/names';

export function checkLockedDownNamespaces(index: ObjectIndex): ObjectFinding[] {
  const lockdowns = new Map<string, { sidecar: IndexedObject; imports: string[] }>();
  for (const sidecar of index.sidecars) {
    if (isNamespaceLockdown(sidecar.object)) {
      lockdowns.set(namespaceOf(sidecar.object), { sidecar, imports: sidecarImportEntries(sidecar.object) });
    }
  }
  if (lockdowns.size === 0) {
    return [];
  }
  const findings: ObjectFinding[] = [];
  for (const vs of index.virtualServices) {
    const namespace = namespaceOf(vs.object);
    const lockdown = lockdowns.get(namespace);
    if (!lockdown) {
      continue;
    }
    const { sidecar, imports } = lockdown;
    for (const d of index.destinations(vs).filter(x => x.atMesh)) {
      const homes = serviceNamespace(d.host) !== undefined
        ? [serviceNamespace(d.host)!]
        : index.entriesFor(d.host).filter(e => isVisibleIn(e.object, namespace)).map(e => namespaceOf(e.object));
      if (homes.length > 0 && !homes.some(home => importsHost(imports, namespace, home, d.host))) {
        findings.push(objectFinding(vs.index, 'LOCKDOWN', 'error', `${d.field}.host`, d.host,
          `namespace ${namespace} is locked down by Sidecar ${sidecar.object.metadata?.name} (REGISTRY_ONLY), which does not import ${d.host} `
          + `(defined in ${homes.join(', ')}): its sidecars answer 502 instead of routing`,
          `add "${homes[0]}/${d.host}" to the Sidecar's egress hosts`));
      }
    }
  }
  return findings;
}

/** A Sidecar that applies to its whole namespace and lets out only what it imports (REGISTRY_ONLY). */
export function isNamespaceLockdown(sidecar: Manifest): boolean {
  const spec = sidecar.spec;
  return isRecord(spec) && spec.workloadSelector === undefined && isRecord(spec.outboundTrafficPolicy)
    && spec.outboundTrafficPolicy.mode === 'REGISTRY_ONLY';
}

/** The `namespace/host` entries of a Sidecar's egress listeners. */
export function sidecarImportEntries(sidecar: Manifest): string[] {
  return asArray(sidecar.spec?.egress).flatMap(l => asArray(isRecord(l) ? l.hosts : undefined)).filter((h): h is string => typeof h === 'string');
}

/**
 * Do a Sidecar's egress entries (in namespace `own`) import `host` defined in namespace `home`?
 * An entry's namespace `.` is the Sidecar's own, `*` any; an entry without `/` imports nothing.
 */
export function importsHost(entries: string[], own: string, home: string, host: string): boolean {
  return entries.some(entry => {
    const slash = entry.indexOf('/');
    if (slash < 0) {
      return false;
    }
    const ns = entry.slice(0, slash);
    const nsMatches = ns === '*' || ns === home || (ns === '.' && home === own);
    return nsMatches && hostSubsetOf(host, entry.slice(slash + 1));
  });
}
