/**
 * Kubernetes Services that name a destination outside the cluster (Istio's task "Kubernetes Services
 * for egress traffic"), as Istio reads them:
 * - ALIAS_POLICY (EGR115, warning): a DestinationRule whose host is an ExternalName Service. Istio
 *   (1.20 and later) makes an ExternalName Service an alias of its externalName (pilot
 *   serviceregistry/kube conversion.go ConvertService: resolution Alias; push_context.go
 *   resolveServiceAliases) and builds no cluster for it (core/cluster.go buildOutboundClusters skips
 *   aliases): the DestinationRule configures nothing. The externalName host's rules apply.
 * - ENDPOINTS_UNMATCHED (EGR116, warning): endpoints that do not reach their Service. Istio reads a
 *   Service's endpoints from EndpointSlices labelled `kubernetes.io/service-name` (the Endpoints API
 *   through Kubernetes' mirroring), and gives a Service port the endpoint ports of the same name
 *   (controller/endpointslice.go): a Service port whose name no endpoint port has gets no endpoint,
 *   and a slice without the label belongs to no Service. Checked for Services without selector whose
 *   Endpoints or EndpointSlices are in the set (others may be in the cluster).
 * - ALIAS_UNREGISTERED (EGR117, warning): an ExternalName Service in a namespace locked down by a
 *   REGISTRY_ONLY Sidecar, whose externalName no ServiceEntry visible there declares, or the Sidecar does
 *   not import. The alias has no listener or route of its own: its traffic matches the external host's
 *   registration (route/route.go and httproute.go add the aliases to the concrete service's virtual
 *   host), and without one the sidecars send it to the BlackHoleCluster.
 */
import { importsHost, isNamespaceLockdown, sidecarImportEntries } from './lockdown';
import { IndexedObject, ObjectIndex, isVisibleIn, namespaceOf, qualifyHost, serviceNamespace } from './model';
import { ObjectFinding, objectFinding } from './object-finding';
import { asArray, isRecord, show } from '../rules/finding';
const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export function checkKubernetesServices(index: ObjectIndex): ObjectFinding[] {
  const slices = index.of('endpointSlice');
  const endpoints = index.of('endpoints');
  if (index.destinationRules.length === 0 && slices.length === 0 && endpoints.length === 0 && index.sidecars.length === 0) {
    return [];
  }
  return [...aliasPolicies(index), ...unmatchedEndpoints(index, slices, endpoints), ...lockedDownAliases(index)];
}

function lockedDownAliases(index: ObjectIndex): ObjectFinding[] {
  const lockdowns = index.sidecars.filter(s => isNamespaceLockdown(s.object));
  if (lockdowns.length === 0) {
    return [];
  }
  const findings: ObjectFinding[] = [];
  for (const service of index.of('service')) {
    const spec = service.object.spec;
    if (!isRecord(spec) || spec.type !== 'ExternalName' || typeof spec.externalName !== 'string' || spec.externalName === '') {
      continue;
    }
    const namespace = namespaceOf(service.object);
    const sidecar = lockdowns.find(s => namespaceOf(s.object) === namespace);
    if (!sidecar) {
      continue;
    }
    // Istio attaches the alias to the service whose host is the externalName as written (push_context.go
    // resolveServiceAliases): `httpbin.org.` is not an alias of `httpbin.org`.
    const host = spec.externalName.toLowerCase();
    const entries = index.entriesFor(host).filter(e => isVisibleIn(e.object, namespace));
    const undotted = host.endsWith('.') && entries.length === 0 ? host.slice(0, -1) : undefined;
    const declaredUndotted = undotted !== undefined && index.entriesFor(undotted).some(e => isVisibleIn(e.object, namespace));
    const imports = sidecarImportEntries(sidecar.object);
    if (entries.some(e => importsHost(imports, namespace, namespaceOf(e.object), host))) {
      continue;
    }
    const sidecarName = show(sidecar.object.metadata?.name);
    findings.push(objectFinding(service.index, 'ALIAS_UNREGISTERED', 'warning', 'spec.externalName', spec.externalName,
      `namespace ${namespace} is locked down by Sidecar ${sidecarName} (REGISTRY_ONLY), and ${entries.length > 0
        ? `the Sidecar does not import ${host}` : `no ServiceEntry visible there declares ${host}`}: Istio makes the ExternalName Service `
      + `${namespace}/${show(service.object.metadata?.name)} an alias of ${host}, which has no route of its own, so the namespace's sidecars block its traffic`,
      entries.length > 0 ? `add "${namespaceOf(entries[0].object)}/${host}" to the Sidecar's egress hosts`
        : undotted === undefined ? `declare ${host} in a ServiceEntry (ExternalHost) exported to ${namespace}, and import it in the Sidecar`
          : `${declaredUndotted ? '' : `declare ${undotted} in a ServiceEntry (ExternalHost) exported to ${namespace}, import it in the Sidecar, and `}`
            + `write externalName: ${undotted} (without the trailing dot): Istio matches the alias to ServiceEntry hosts as written`));
  }
  return findings;
}

function aliasPolicies(index: ObjectIndex): ObjectFinding[] {
  const findings: ObjectFinding[] = [];
  for (const dr of index.destinationRules) {
    const host = dr.object.spec?.host;
    if (typeof host !== 'string' || host === '') {
      continue;
    }
    const fqdn = qualifyHost(host, namespaceOf(dr.object));
    const home = serviceNamespace(fqdn);
    if (home === undefined || !fqdn.endsWith('.svc.cluster.local')) {
      continue;
    }
    const name = fqdn.slice(0, fqdn.indexOf('.'));
    const service = index.servicesIn(home).find(s => s.object.metadata?.name === name);
    const spec = service?.object.spec;
    if (!isRecord(spec) || spec.type !== 'ExternalName' || typeof spec.externalName !== 'string' || spec.externalName === '') {
      continue;
    }
    findings.push(objectFinding(dr.index, 'ALIAS_POLICY', 'warning', 'spec.host', host,
      `Service ${home}/${name} is of type ExternalName: Istio treats it as an alias of ${spec.externalName} and builds no cluster for it, `
      + `so this DestinationRule applies to nothing; traffic to ${fqdn} takes the rules of ${spec.externalName}.`,
      `write the DestinationRule for host ${spec.externalName} (with a ServiceEntry for it), or give Service ${name} a selector-less `
      + 'form with endpoints; if the rule is only kept for older Istio versions, acknowledge it'));
  }
  return findings;
}

function unmatchedEndpoints(index: ObjectIndex, slices: readonly IndexedObject[], endpoints: readonly IndexedObject[]): ObjectFinding[] {
  const findings: ObjectFinding[] = [];
  // The endpoint port names listed for each `namespace/service`.
  const portNames = new Map<string, Set<string>>();
  const add = (key: string, ports: unknown) => {
    const names = portNames.get(key) ?? new Set<string>();
    asArray(ports).forEach(p => names.add(isRecord(p) && typeof p.name === 'string' ? p.name : ''));
    portNames.set(key, names);
  };
  for (const slice of slices) {
    const labels = isRecord(slice.object.metadata?.labels) ? slice.object.metadata!.labels! : {};
    const service = labels[SERVICE_NAME_LABEL];
    if (typeof service !== 'string' || service === '') {
      findings.push(objectFinding(slice.index, 'ENDPOINTS_UNMATCHED', 'warning', 'metadata.labels', slice.object.metadata?.labels ?? null,
        `EndpointSlice ${namespaceOf(slice.object)}/${show(slice.object.metadata?.name)} has no label ${SERVICE_NAME_LABEL}, so it belongs to no `
        + 'Service: Kubernetes and Istio ignore its endpoints.',
        `label it ${SERVICE_NAME_LABEL}: <the Service's name>`));
      continue;
    }
    add(`${namespaceOf(slice.object)}/${service}`, (slice.object as Record<string, unknown>).ports);
  }
  for (const e of endpoints) {
    const name = e.object.metadata?.name;
    if (typeof name === 'string') {
      asArray((e.object as Record<string, unknown>).subsets).forEach(subset => add(`${namespaceOf(e.object)}/${name}`, isRecord(subset) ? subset.ports : undefined));
    }
  }
  for (const [key, names] of portNames) {
    const [namespace, name] = key.split('/');
    const service = index.servicesIn(namespace).find(s => s.object.metadata?.name === name);
    const spec = service?.object.spec;
    if (!service || !isRecord(spec) || spec.type === 'ExternalName' || (isRecord(spec.selector) && Object.keys(spec.selector).length > 0)) {
      continue;
    }
    asArray(spec.ports).forEach((port, p) => {
      const portName = isRecord(port) && typeof port.name === 'string' ? port.name : '';
      if (isRecord(port) && !names.has(portName)) {
        findings.push(objectFinding(service.index, 'ENDPOINTS_UNMATCHED', 'warning', `spec.ports[${p}].name`, portName,
          `Service ${key} port ${show(port.port)} is named "${portName}", but no port of its endpoints has that name `
          + `(they have ${[...names].map(n => `"${n}"`).join(', ') || 'none'}): Istio gives the port no endpoint, so its connections fail.`,
          'name the endpoint ports as the Service ports they serve'));
      }
    });
  }
  return findings;
}
