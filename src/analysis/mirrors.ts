/**
 * The mirror destinations of VirtualServices (virtualservice/destinationhosts.go and
 * destinationrules.go, which check `http[].mirror` and `http[].mirrors[].destination` as they check
 * route destinations): IST0101 `mirror host` (nothing visible defines it), `host:port` (a port the host
 * does not declare), `mirror+subset in destinationrule`, and IST0112 (no port on a host with several).
 * Hosts resolve as for routes (references.ts): a Service host of a namespace none of whose Services
 * is known is noted as unchecked, not reported.
 */
import { IndexedObject, ObjectIndex, label, namespaceOf, qualifyHost, serviceNamespace } from './model';
import { ObjectFinding, objectFinding } from './object-finding';
import { exportFix, missingHostFix } from './references';
import { asArray, isRecord } from '../rules/finding';

interface Mirror {
  readonly field: string;
  readonly host: string;
  readonly subset?: string;
  readonly port?: number;
}

function mirrorsOf(vs: IndexedObject['object']): Mirror[] {
  const out: Mirror[] = [];
  asArray(vs.spec?.http).forEach((route, i) => {
    if (!isRecord(route)) {
      return;
    }
    addMirror(out, `spec.http[${i}].mirror`, route.mirror);
    asArray(route.mirrors).forEach((m, j) => addMirror(out, `spec.http[${i}].mirrors[${j}].destination`, isRecord(m) ? m.destination : undefined));
  });
  return out;
}

/** A module function, not a closure: tsx (the bench and the examples run this source) names every closure kept in a variable with a defineProperty call, for every VirtualService. */
function addMirror(out: Mirror[], field: string, d: unknown): void {
  if (isRecord(d) && typeof d.host === 'string') {
    out.push({
      field,
      host: d.host,
      subset: typeof d.subset === 'string' && d.subset !== '' ? d.subset : undefined,
      port: isRecord(d.port) && typeof d.port.number === 'number' ? d.port.number : undefined,
    });
  }
}

export function checkMirrors(index: ObjectIndex): ObjectFinding[] {
  const findings: ObjectFinding[] = [];
  for (const vs of index.virtualServices) {
    const namespace = namespaceOf(vs.object);
    for (const m of mirrorsOf(vs.object)) {
      const fqdn = qualifyHost(m.host, namespace);
      if (m.subset !== undefined && !index.hasSubset(m.host, m.subset, namespace)) {
        findings.push(objectFinding(vs.index, 'IST0101', 'error', `${m.field}.subset`, m.subset,
          `Referenced mirror+subset in destinationrule not found: "${m.host}+${m.subset}"`,
          `define subset "${m.subset}" in a DestinationRule for ${m.host} in namespace ${serviceNamespace(fqdn) ?? namespace}`));
      }
      const resolved = index.resolveHost(m.host, namespace);
      if (resolved.status === 'unknown') {
        index.noteUnchecked(vs.index, `${m.field}.host`, fqdn, resolved.namespace);
        continue;
      }
      if (resolved.status === 'missing' || resolved.status === 'hidden') {
        const hidden = resolved.status === 'hidden' ? ` (${label(resolved.definitions[0].object)} is not exported to namespace ${namespace})` : '';
        findings.push(objectFinding(vs.index, 'IST0101', 'error', `${m.field}.host`, m.host, `Referenced mirror host not found: "${m.host}"${hidden}`,
          resolved.status === 'hidden' ? exportFix(resolved.definitions, namespace) : missingHostFix(index, m.host, fqdn)));
        continue;
      }
      const ports = resolved.ports.map(p => p.number);
      if (m.port !== undefined && !ports.includes(m.port)) {
        findings.push(objectFinding(vs.index, 'IST0101', 'error', `${m.field}.port.number`, m.port, `Referenced host:port not found: "${m.host}:${m.port}"`,
          `mirror to a port ${fqdn} declares (${ports.join(', ') || 'none'}), or declare ${m.port}`));
      } else if (m.port === undefined && ports.length > 1) {
        findings.push(objectFinding(vs.index, 'IST0112', 'error', `${m.field}.port`, undefined,
          `This VirtualService routes to a service "${m.host}" that exposes multiple ports [${ports.join(' ')}]. `
          + 'Specifying a port in the destination is required to disambiguate.', 'set the mirror\'s port.number'));
      }
    }
  }
  return findings;
}
