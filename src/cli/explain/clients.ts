/** Which namespaces can use an external host: the ServiceEntry's exportTo, narrowed by REGISTRY_ONLY Sidecars. */
import { importsHost, isNamespaceLockdown, sidecarImportEntries } from '../../analysis/lockdown';
import { exportedTo as exportTargetsOf } from '../../analysis/model';
import { LoadedObject, compareStrings } from '../input';
import { Clients, SidecarImport } from './model';
import { ObjectIndex, namespaceOf, refOf } from './objects';

const ALL = '*';

export function clientsOf(index: ObjectIndex, serviceEntry: LoadedObject, host: string): Clients {
  const exportedTo = exportTargets(serviceEntry);
  const importedBy: SidecarImport[] = [];
  const blockedIn: SidecarImport[] = [];
  for (const sidecar of index.sidecars.filter(s => isNamespaceLockdown(s.manifest))) {
    const namespace = namespaceOf(sidecar);
    if (!exportedTo.includes(ALL) && !exportedTo.includes(namespace)) {
      continue;
    }
    const entry = { namespace, sidecar: refOf(sidecar) };
    (imports(sidecar, namespaceOf(serviceEntry), host) ? importedBy : blockedIn).push(entry);
  }
  const blocked = new Set(blockedIn.map(b => b.namespace));
  const namespaces = exportedTo.includes(ALL) ? [ALL] : exportedTo.filter(ns => !blocked.has(ns));
  return { exportedTo, importedBy, blockedIn, namespaces };
}

/** exportTo resolved to namespace names: `*` for every namespace (also when unset), `.` to the entry's own; `~` exports nowhere. */
export function exportTargets(serviceEntry: LoadedObject): string[] {
  const to = exportTargetsOf(serviceEntry.manifest);
  return to ? [...to].filter(e => e !== '~').sort(compareStrings) : [ALL];
}

/** Does one of the Sidecar's egress listeners import `host` of a ServiceEntry in `seNamespace`? */
export function imports(sidecar: LoadedObject, seNamespace: string, host: string): boolean {
  return importsHost(sidecarImportEntries(sidecar.manifest), namespaceOf(sidecar), seNamespace, host);
}
