/**
 * IST0140 IngressRouteRulesNotAffected (virtualservice/destinationhosts.go analyzeSubset): a
 * VirtualService bound to a gateway routes a host without subset while another VirtualService splits
 * that host into subsets; the gateway's traffic does not get that split (for an egress gateway: the
 * subset's traffic policy, such as its TLS settings, is not applied to what the gateway sends).
 * Hosts compare as written, as the analyzer compares them. A VirtualService bound only to the mesh is
 * not a gateway's and is not reported (the analyzer reports any VirtualService that names gateways).
 */
import { IndexedObject, MESH, ObjectIndex, label } from './model';
import { ObjectFinding, objectFinding } from './object-finding';
import { asArray, isRecord } from '../rules/finding';

export function checkSubsetRoutes(index: ObjectIndex): ObjectFinding[] {
  // host -> VirtualServices that route that host (one of their own) to a subset
  const splitting = new Map<string, IndexedObject[]>();
  for (const vs of index.virtualServices) {
    const own = new Set(asArray(vs.object.spec?.hosts).filter(h => typeof h === 'string'));
    for (const d of httpDestinations(vs.object)) {
      if (d.subset && own.has(d.host)) {
        const list = splitting.get(d.host) ?? [];
        if (!list.includes(vs)) {
          list.push(vs);
        }
        splitting.set(d.host, list);
      }
    }
  }
  if (splitting.size === 0) {
    return [];
  }
  const findings: ObjectFinding[] = [];
  for (const vs of index.virtualServices) {
    const gateways = asArray(vs.object.spec?.gateways);
    if (gateways.length === 0 || gateways.every(g => g === MESH)) {
      continue;
    }
    for (const d of httpDestinations(vs.object)) {
      if (d.subset) {
        continue;
      }
      for (const other of splitting.get(d.host) ?? []) {
        findings.push(objectFinding(vs.index, 'IST0140', 'warning', d.field, d.host,
          `Subset in virtual service ${label(other.object)} has no effect on ingress gateway ${label(vs.object)} requests`,
          `route the gateway's traffic for ${d.host} to the subsets as well, if the split is meant for it`));
      }
    }
  }
  return findings;
}

function httpDestinations(vs: IndexedObject['object']): Array<{ field: string; host: string; subset?: string }> {
  return asArray(vs.spec?.http).flatMap((rule, i) => asArray(isRecord(rule) ? rule.route : undefined).flatMap((r, j) => {
    const d = isRecord(r) ? r.destination : undefined;
    return isRecord(d) && typeof d.host === 'string'
      ? [{ field: `spec.http[${i}].route[${j}].destination`, host: d.host, subset: typeof d.subset === 'string' && d.subset !== '' ? d.subset : undefined }]
      : [];
  }));
}
