/** `exportTo` as Istio validates it for ServiceEntry, VirtualService and DestinationRule (validateExportTo). */
import { FindingCollector, asArray, show } from './finding';
import { isDns1123Label } from './names';

/**
 * @param allowNone whether `~` is allowed (ServiceEntry only)
 * @param withSelector whether the object is a DestinationRule with a workloadSelector, which may only be
 *   exported to its own namespace
 */
export function checkExportTo(
  out: FindingCollector, exportTo: unknown, namespace: string | undefined, allowNone: boolean, withSelector = false,
): void {
  const entries = asArray(exportTo);
  if (entries.length === 0) {
    // Most objects have none: no set for them (this runs for every ServiceEntry, VirtualService and DestinationRule).
    return;
  }
  const namespaceKnown = namespace !== undefined && namespace !== '';
  // `.` stands for the object's own namespace; when the manifest does not say which, `.` stays `.`.
  const own = namespaceKnown ? namespace : '.';
  const seen = new Set<string>();
  entries.forEach((entry, i) => {
    const field = `spec.exportTo[${i}]`;
    // show, not String: an entry such as `{ toString: {} }` (refused by the schema) must not throw here.
    const key = entry === '.' ? own : show(entry);
    if (seen.has(key)) {
      const message = key !== entry
        ? `duplicate entries in exportTo: . and current namespace ${namespace}`
        : `duplicate entries in exportTo for entry ${entry}`;
      out.error('EXP1', field, entry, message, 'list each namespace once');
      return;
    }
    if (entry === '~') {
      if (allowNone) {
        seen.add(key);
      } else {
        out.error('EXP2', field, entry, 'exportTo ~ (none) is not allowed for Istio configuration objects',
          'remove `~`; to hide the object, export it to its own namespace with `.`');
      }
      return;
    }
    if (entry !== '.' && entry !== '*' && !(typeof entry === 'string' && isDns1123Label(entry))) {
      out.error('EXP3', field, entry, 'only .,*, or a valid DNS 1123 label is allowed as exportTo entry',
        'use `.` (this namespace), `*` (every namespace) or a namespace name');
      return;
    }
    seen.add(key);
  });
  if (withSelector && seen.size > 0) {
    checkSelectorExport(out, entries, seen, own, namespaceKnown);
  }
  // Istio compares with the number of entries as written, invalid and duplicate ones included.
  if (seen.has('*') && entries.length > 1) {
    out.error('EXP4', 'spec.exportTo', entries, 'cannot have both public (*) and non-public exportTo values for a resource',
      'use either `*` alone or a list of namespaces');
  }
  if (seen.has('~') && entries.length > 1) {
    out.error('EXP5', 'spec.exportTo', entries, 'cannot export service entry to no one (~) and someone',
      'use either `~` alone or a list of namespaces');
  }
}

/** DR10: a DestinationRule with a workloadSelector applies to its own namespace's workloads only. */
function checkSelectorExport(out: FindingCollector, entries: unknown[], seen: Set<string>, own: string, namespaceKnown: boolean): void {
  const fix = 'export a DestinationRule with a workloadSelector only to its own namespace (`exportTo: ["."]`), or drop exportTo';
  // Without a namespace in the manifest, a single namespace name may well be the namespace it is applied to.
  const inOwn = seen.has(own) || (!namespaceKnown && !seen.has('*'));
  if (!inOwn) {
    out.error('DR10', 'spec.exportTo', entries, 'destination rule with workload selector cannot have exportTo beyond current namespace', fix);
  } else if (seen.size > 1) {
    out.error('DR10', 'spec.exportTo', entries, 'destination rule with workload selector cannot have multiple entries in exportTo', fix);
  }
}
