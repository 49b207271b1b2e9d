/** `exportTo` as Istio validates it for ServiceEntry, VirtualService and DestinationRule (validateExportTo). */
import { FindingCollector, asArray } from './finding';
import { isDns1123Label } from './names';

export function checkExportTo(out: FindingCollector, exportTo: unknown, namespace: string | undefined, allowNone: boolean): void {
  const entries = asArray(exportTo);
  const seen = new Set<string>();
  entries.forEach((entry, i) => {
    const field = `spec.exportTo[${i}]`;
    const key = entry === '.' && namespace ? namespace : String(entry);
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
  if (seen.has('*') && seen.size > 1) {
    out.error('EXP4', 'spec.exportTo', entries, 'cannot have both public (*) and non-public exportTo values for a resource',
      'use either `*` alone or a list of namespaces');
  }
  if (seen.has('~') && seen.size > 1) {
    out.error('EXP5', 'spec.exportTo', entries, 'cannot export service entry to no one (~) and someone',
      'use either `~` alone or a list of namespaces');
  }
}
