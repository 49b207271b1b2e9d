/** Which namespaces can use an external host: the ServiceEntry's exportTo, narrowed by REGISTRY_ONLY Sidecars. */
import { asArray, isRecord } from '../../rules/finding';
import { LoadedObject, compareStrings } from '../input';
import { Clients, SidecarImport } from './model';
import { ObjectIndex, covers, namespaceOf, refOf, specOf, strings } from './objects';

const ALL = '*';

export function clientsOf(index: ObjectIndex, serviceEntry: LoadedObject, host: string): Clients {
  const exportedTo = exportTargets(serviceEntry);
  const importedBy: SidecarImport[] = [];
  const blockedIn: SidecarImport[] = [];
  for (const sidecar of lockdownSidecars(index.sidecars)) {
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
  const exportTo = strings(specOf(serviceEntry).exportTo);
  if (exportTo.length === 0 || exportTo.includes(ALL)) {
    return [ALL];
  }
  const namespaces = exportTo.filter(e => e !== '~').map(e => (e === '.' ? namespaceOf(serviceEntry) : e));
  return [...new Set(namespaces)].sort(compareStrings);
}

/** Sidecars that apply to a whole namespace and let out only the hosts they import. */
function lockdownSidecars(sidecars: LoadedObject[]): LoadedObject[] {
  return sidecars.filter(s => {
    const spec = specOf(s);
    return spec.workloadSelector === undefined && isRecord(spec.outboundTrafficPolicy) && spec.outboundTrafficPolicy.mode === 'REGISTRY_ONLY';
  });
}

/** Does one of the Sidecar's egress listeners import `host` of a ServiceEntry in `seNamespace`? */
export function imports(sidecar: LoadedObject, seNamespace: string, host: string): boolean {
  const hosts = asArray(specOf(sidecar).egress).flatMap(listener => strings(isRecord(listener) ? listener.hosts : undefined));
  return hosts.some(entry => importEntryMatches(entry, namespaceOf(sidecar), seNamespace, host));
}

/** `namespace/host` of a Sidecar egress listener: `.` is the Sidecar's namespace, `*` any, `~` none. */
function importEntryMatches(entry: string, sidecarNamespace: string, seNamespace: string, host: string): boolean {
  const slash = entry.indexOf('/');
  if (slash < 0) {
    return false;
  }
  const ns = entry.slice(0, slash);
  const pattern = entry.slice(slash + 1);
  const namespaceOk = ns === ALL || (ns === '.' ? sidecarNamespace : ns) === seNamespace;
  return namespaceOk && covers(pattern, host);
}
