/**
 * DestinationRules against the hosts and pods they name (destinationrule/subset.go):
 * - IST0174 UnknownDestinationRuleHost: no Service or ServiceEntry visible to the DestinationRule
 *   defines its host (looked up as the analyzer does: exported everywhere, or to the DestinationRule's
 *   namespace, or to a namespace of its exportTo; a wildcard ServiceEntry host covers the names it
 *   ends with). The rule then applies to nothing: TLS origination or subsets set there are ignored.
 *   A Service host of a namespace none of whose Services is known is not checked (it is noted as
 *   unchecked), as for route destinations.
 * - IST0173 DestinationRuleSubsetNotSelectPods: a subset whose labels select no endpoint, so routes
 *   to it end in 503 (no healthy upstream). Said for a Service host only where the pods of its
 *   namespace are known and none of the known pods has the labels; for a ServiceEntry host (DNS or
 *   STATIC, without workloadSelector) where the subset has labels that neither its endpoints nor any
 *   known pod carry. A subset without labels selects every endpoint and is never reported.
 */
import { IndexedObject, ObjectIndex, namespaceOf, qualifyHost, selects, serviceNamespace } from './model';
import { ObjectFinding, objectFinding } from './object-finding';
import { asArray, isRecord } from '../rules/finding';

type Definition = { kind: 'service'; service: IndexedObject } | { kind: 'entry'; entry: IndexedObject };

export function checkDestinationRuleHosts(index: ObjectIndex): ObjectFinding[] {
  if (index.destinationRules.length === 0) {
    return [];
  }
  const registry = new Registry(index);
  const findings: ObjectFinding[] = [];
  for (const dr of index.destinationRules) {
    const host = dr.object.spec?.host;
    if (typeof host !== 'string' || host === '') {
      continue;
    }
    const namespace = namespaceOf(dr.object);
    const fqdn = qualifyHost(host, namespace);
    const exportTo = asArray(dr.object.spec?.exportTo).filter((e): e is string => typeof e === 'string');
    const home = serviceNamespace(fqdn);
    // A Service host in another cluster domain than cluster.local (the analyzer knows only that one) still names the Service.
    const sameName = home === undefined ? undefined : index.servicesIn(home).find(s => s.object.metadata?.name === fqdn.slice(0, fqdn.indexOf('.')));
    const definition = registry.lookup(namespace, exportTo, host, fqdn) ?? (sameName ? { kind: 'service' as const, service: sameName } : undefined);
    if (!definition) {
      if (home !== undefined && index.servicesIn(home).length === 0) {
        index.noteUnchecked(dr.index, 'spec.host', fqdn, home);
        continue;
      }
      findings.push(objectFinding(dr.index, 'IST0174', 'warning', 'spec.host', host,
        `The host ${host} defined in the DestinationRule does not match any services in the mesh.`,
        home !== undefined ? `correct the host, or include Service ${fqdn.split('.')[0]} of namespace ${home} (lint --cluster for objects that are only read)`
          : `correct the host, or add a ServiceEntry for ${host} that is exported to namespace ${namespace}`));
      continue;
    }
    asArray(dr.object.spec?.subsets).forEach((subset, s) => {
      if (!isRecord(subset) || !isRecord(subset.labels) || Object.keys(subset.labels).length === 0) {
        return;
      }
      if (selectsNothing(index, definition, subset.labels, fqdn)) {
        findings.push(objectFinding(dr.index, 'IST0173', 'error', `spec.subsets[${s}].labels`, subset.labels,
          `The Subset ${String(subset.name)} defined in the DestinationRule does not select any pods. Which may lead to 503 UH (NoHealthyUpstream).`,
          definition.kind === 'entry' ? 'give the ServiceEntry endpoints with these labels, or drop the labels from the subset'
            : 'use labels that the Service\'s pods carry'));
      }
    });
  }
  return findings;
}

function selectsNothing(index: ObjectIndex, definition: Definition, labels: Record<string, unknown>, fqdn: string): boolean {
  if (Object.keys(labels).some(k => k.startsWith('topology.') || k === 'kubernetes.io/hostname')) {
    // Istio adds locality and node labels to the pods; those are not in the objects.
    return false;
  }
  if (index.workloads().some(w => selects(labels, w.labels))) {
    return false;
  }
  if (definition.kind === 'service') {
    return index.workloadsIn(namespaceOf(definition.service.object)).length > 0;
  }
  // The proxies merge the endpoints of every ServiceEntry of the host in a namespace (mergeServicesInstancesByNamespaceHost),
  // and a client may resolve the host to the entry of another namespace: a subset is judged against all of them.
  const entries = [definition.entry, ...index.entriesFor(fqdn).filter(e => e !== definition.entry)];
  return entries.every(entry => {
    const spec = entry.object.spec;
    const resolution = spec?.resolution;
    if (!isRecord(spec) || spec.workloadSelector !== undefined || resolution === undefined || resolution === 'NONE') {
      return false;
    }
    return !asArray(spec.endpoints).some(e => isRecord(e) && isRecord(e.labels) && selects(labels, e.labels as Record<string, string>));
  });
}

/** The analyzer's registry of hosts (util.InitServiceEntryHostMap), keyed by `scope/fqdn`. */
class Registry {
  private readonly scoped = new Map<string, Definition>();
  private readonly wildcards: Array<{ scope: string; host: string; definition: Definition }> = [];

  public constructor(index: ObjectIndex) {
    for (const entry of index.serviceEntries) {
      const namespace = namespaceOf(entry.object);
      const exportTo = asArray(entry.object.spec?.exportTo).filter((e): e is string => typeof e === 'string');
      const scopes = exportTo.length === 0 ? ['*'] : [...new Set(exportTo.map(e => (e === '.' ? namespace : e)))];
      for (const host of asArray(entry.object.spec?.hosts)) {
        if (typeof host !== 'string') {
          continue;
        }
        const fqdn = qualifyHost(host, namespace);
        for (const scope of scopes) {
          this.add(scope, fqdn, { kind: 'entry', entry });
        }
      }
    }
    for (const service of index.of('service')) {
      const name = service.object.metadata?.name;
      if (typeof name !== 'string') {
        continue;
      }
      const namespace = namespaceOf(service.object);
      for (const scope of serviceScopes(service.object, namespace)) {
        this.add(scope, `${name}.${namespace}.svc.cluster.local`, { kind: 'service', service });
      }
    }
  }

  private add(scope: string, fqdn: string, definition: Definition): void {
    const key = `${scope}/${fqdn}`;
    // Istio's map keeps the last write, and it writes the Services after the ServiceEntries: a Service wins its scope.
    // Among ServiceEntries its order is the store's, not the files': the first one read stands.
    if (!this.scoped.has(key) || definition.kind === 'service') {
      this.scoped.set(key, definition);
    }
    if (fqdn.startsWith('*')) {
      this.wildcards.push({ scope, host: fqdn, definition });
    }
  }

  /** util.GetDestinationHost, for a host named in `namespace` by an object exported to `exportTo`. */
  public lookup(namespace: string, exportTo: string[], host: string, fqdn: string): Definition | undefined {
    const scopes = ['*', ...(exportTo.length === 0 ? [namespace] : exportTo.map(e => (e === '.' ? namespace : e)))];
    for (const scope of scopes) {
      const found = this.scoped.get(`${scope}/${fqdn}`);
      if (found) {
        return found;
      }
    }
    const bare = host.startsWith('*') ? host.slice(1) : host;
    return this.wildcards.find(w => (w.scope === '*' || w.scope === namespace) && bare.endsWith(w.host.slice(1)))?.definition;
  }
}

/** The scopes a Service is visible in: its `networking.istio.io/exportTo` annotation, or everywhere. */
function serviceScopes(service: IndexedObject['object'], namespace: string): string[] {
  const annotation = isRecord(service.metadata?.annotations) ? service.metadata!.annotations!['networking.istio.io/exportTo'] : undefined;
  if (typeof annotation !== 'string' || annotation === '') {
    return ['*'];
  }
  return annotation.split(',').map(s => s.trim()).map(s => (s === '.' ? namespace : s));
}
