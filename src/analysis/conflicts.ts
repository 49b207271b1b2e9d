/**
 * Conflicts between objects that each look fine alone: Gateways claiming the same host and port
 * (IST0145), plain TCP sharing a gateway port, two mesh VirtualServices for one host (IST0109),
 * and ServiceEntries disagreeing on a host. (Sidecars that overlap: sidecar-selectors.ts.)
 */
import {
  CLUSTER_DOMAIN, IndexedObject, ObjectIndex, append, isMeshBound, isVisibleIn, label, mapUnder, namespaceOf, selectorString, selects,
} from './model';
import { ObjectFinding, objectFinding } from './object-finding';
import { Manifest, asArray, isRecord, mapList } from '../rules/finding';
import { hostsMatch } from '../rules/names';

export function checkConflicts(index: ObjectIndex, gatewayPods: Array<Record<string, string>> = []): ObjectFinding[] {
  const servers = gatewayServers(index);
  return [
    ...conflictingGateways(index, servers, gatewayPods), ...sharedTcpServers(servers), ...conflictingMeshVirtualServices(index),
    ...conflictingServiceEntries(index), ...duplicateNames(index),
  ];
}

/** Two objects of one kind with one namespace and name: `kubectl apply` keeps only the last one. */
function duplicateNames(index: ObjectIndex): ObjectFinding[] {
  // API group -> kind -> namespace -> name -> the first object's index: nested maps, as this runs for every
  // object and a key string made of the parts would be one more string per object. A namespace that is no
  // string has a JSON key of its own, which starts with `\0` where no namespace name can.
  const seen = new Map<string, Map<string, Map<string, Map<string, number>>>>();
  const findings: ObjectFinding[] = [];
  const objects = index.objects;
  for (let i = 0; i < objects.length; i++) {
    const o = objects[i];
    // `?.` for the holes of a sparse list (a caller's own array): like objects without a name, they are left out.
    const name = o?.metadata?.name;
    if (typeof name !== 'string' || typeof o.kind !== 'string' || typeof o.apiVersion !== 'string') {
      continue;
    }
    const slash = o.apiVersion.indexOf('/');
    const group = slash >= 0 ? o.apiVersion.slice(0, slash) : '';
    const namespace = o.metadata?.namespace ?? '';
    const names = mapUnder(mapUnder(mapUnder(seen, group), o.kind), typeof namespace === 'string' ? namespace : `\0${JSON.stringify(namespace)}`);
    const first = names.get(name);
    if (first === undefined) {
      names.set(name, i);
      continue;
    }
    findings.push(objectFinding(i, 'DUPLICATE_NAME', 'error', 'metadata.name', name,
      `another ${o.kind} has the same namespace and name (${label(index.objects[first])}): applying both keeps only one`,
      'give one of them another name (for the library\'s constructs: metadata.name on the ExternalHost, or another host name)'));
  }
  return findings;
}

/** A Gateway server with the listener it opens on the selected pods: selector, port and bind. */
interface GatewayServer {
  readonly gateway: IndexedObject;
  readonly server: Record<string, any>;
  readonly field: string;
  /** The Gateway's selector as the analyzer prints it (`selectorString`). */
  readonly selectorText: string;
}

function gatewayServers(index: ObjectIndex): GatewayServer[] {
  return [...index.gateways.values()].flatMap(gateway => {
    const selectorText = selectorString(gatewaySelector(gateway.object));
    // Numbered before entries that are no object are left out, so that a field names the server it is about.
    return asArray(gateway.object.spec?.servers).flatMap((server, s) => (isRecord(server) ? [{ gateway, server, field: `spec.servers[${s}]`, selectorText }] : []));
  });
}

/** The listener a server opens on the selected pods: selector, port and bind. */
function listenerOf({ gateway, server }: GatewayServer): string {
  const spec = gateway.object.spec;
  const selector = Object.entries(isRecord(spec?.selector) ? spec.selector : {}).sort();
  return JSON.stringify([selector, isRecord(server.port) ? server.port.number : undefined, server.bind ?? '']);
}

/**
 * IST0145 (gateway/conflictinggateway.go): two Gateways on the same workloads declare the same host
 * string on the same port and bind, so the gateway serves only one of them. Gateways count as on the
 * same workloads when their selectors are equal, or when one selector's text contains the other's and
 * a known pod carries the labels of both (the analyzer's test). Hosts compare as written (`*` is not
 * `*.example.com`). Of another Gateway, only its last server on that port counts, as the analyzer
 * records it. Each server of each Gateway in the conflict is reported once.
 */
function conflictingGateways(index: ObjectIndex, servers: GatewayServer[], gatewayPods: Array<Record<string, string>>): ObjectFinding[] {
  // selector text -> port -> host -> gateways whose last server on that port declares the host, with its bind
  const known = new Map<string, Map<string, Map<string, Array<{ gateway: IndexedObject; bind: string }>>>>();
  const selectors = new Map<string, Record<string, unknown>>();
  const lastServer = new Map<string, GatewayServer>();
  // Index loops and forEach: these run per server, mostly before V8 has optimized them, when a for-of
  // allocates per element.
  for (let i = 0; i < servers.length; i++) {
    lastServer.set(`${servers[i].gateway.index}~${portText(servers[i].server)}`, servers[i]);
  }
  lastServer.forEach(({ gateway, server, selectorText: text }, key) => {
    selectors.set(text, gatewaySelector(gateway.object));
    const byHost = mapUnder(mapUnder(known, text), key.slice(key.indexOf('~') + 1));
    new Set(asArray(server.hosts).filter((h): h is string => typeof h === 'string')).forEach(host => {
      append(byHost, host, { gateway, bind: bindOf(server) });
    });
  });
  const pods = [...mapList(index.workloads(), w => w.labels), ...gatewayPods];
  const sameWorkloads = new Map<string, string[]>();
  const matchingSelectors = (text: string): string[] => {
    let hit = sameWorkloads.get(text);
    if (!hit) {
      const own = selectors.get(text) ?? {};
      hit = [...known.keys()].filter(other => other === text
        || ((other.includes(text) || text.includes(other))
          && pods.some(labels => selects(own, labels) && selects(selectors.get(other) ?? {}, labels))));
      sameWorkloads.set(text, hit);
    }
    return hit;
  };
  const findings: ObjectFinding[] = [];
  for (let s = 0; s < servers.length; s++) {
    const { gateway, server, field, selectorText: text } = servers[s];
    const port = portText(server);
    const bind = bindOf(server);
    const hosts = asArray(server.hosts).filter((h): h is string => typeof h === 'string');
    const others = new Set<IndexedObject>();
    let first: number | undefined;
    const matching = matchingSelectors(text);
    for (let m = 0; m < matching.length; m++) {
      const byHost = known.get(matching[m])?.get(port);
      hosts.forEach((host, h) => {
        const claims = byHost?.get(host) ?? [];
        for (let c = 0; c < claims.length; c++) {
          const claim = claims[c];
          if (claim.gateway !== gateway && label(claim.gateway.object) !== label(gateway.object) && claim.bind === bind) {
            others.add(claim.gateway);
            first = first === undefined ? h : Math.min(first, h);
          }
        }
      });
    }
    if (first !== undefined) {
      const names = [...new Set([...others].map(o => label(o.object)))].sort();
      findings.push(objectFinding(gateway.index, 'IST0145', 'error', `${field}.hosts[${asArray(server.hosts).indexOf(hosts[first])}]`, hosts[first],
        `Conflict with gateways ${names.join(',')} (workload selector ${text}, port ${port}, hosts ${hosts.join(',')}).`,
        'route each host and port through a gateway once (share one route), or use another gateway port'));
    }
  }
  return findings;
}

function gatewaySelector(gateway: Manifest): Record<string, unknown> {
  return isRecord(gateway.spec?.selector) ? gateway.spec.selector : {};
}

/** The server's port number as the analyzer keys it (0 when missing). */
function portText(server: Record<string, any>): string {
  return String(isRecord(server.port) && typeof server.port.number === 'number' ? server.port.number : 0);
}

function bindOf(server: Record<string, any>): string {
  return typeof server.bind === 'string' ? server.bind : '';
}

const OPAQUE = ['TCP', 'MONGO', 'MYSQL', 'REDIS'];

/**
 * Plain TCP servers carry no host name, so one gateway port serves one of them only; Istio keeps the
 * first and drops the others with a log line (`conflict with existing server`).
 */
function sharedTcpServers(servers: GatewayServer[]): ObjectFinding[] {
  const owners = new Map<string, { gateway: IndexedObject; hosts: string }>();
  const findings: ObjectFinding[] = [];
  for (let s = 0; s < servers.length; s++) {
    const entry = servers[s];
    const { gateway, server, field } = entry;
    if (!OPAQUE.includes(String(server.port?.protocol).toUpperCase()) || server.tls !== undefined) {
      continue;
    }
    const listener = listenerOf(entry);
    const hosts = asArray(server.hosts).join(',');
    const first = owners.get(listener);
    if (!first) {
      owners.set(listener, { gateway, hosts });
    } else if (first.hosts !== hosts) {
      findings.push(objectFinding(gateway.index, 'GWTCP', 'error', `${field}.port.number`, server.port.number,
        `port ${server.port.number} of the gateway already carries plain TCP for ${first.hosts} (${label(first.gateway.object)}); `
        + 'TCP has no host name to tell them apart, so the gateway would keep only one',
        'give each TCP host its own gateway port (gatewayPorts), or turn on mutual TLS to the gateway so that SNI tells them apart'));
    }
  }
  return findings;
}

/** A mesh VirtualService's claim on a host within one export scope. */
interface MeshClaim {
  readonly vs: IndexedObject;
  /** Index of the host in `spec.hosts`. */
  readonly host: number;
}

/**
 * IST0109 (virtualservice/conflictingmeshgatewayhosts.go): VirtualServices bound to the mesh that
 * define the same host (as an FQDN: short names are Services of the VirtualService's namespace) in the
 * same export scope; behaviour is undefined. A scope is `*` (no exportTo, or `*` in it) or one
 * namespace of exportTo (`.` is the VirtualService's own). Within a scope, hosts compare as written;
 * a VirtualService exported to some namespaces also clashes with those exported everywhere whose
 * host matches its own (wildcards included). Each VirtualService is reported once.
 */
function conflictingMeshVirtualServices(index: ObjectIndex): ObjectFinding[] {
  const byScopedHost = new Map<string, { scope: string; fqdn: string; claims: MeshClaim[] }>();
  const virtualServices = index.virtualServices;
  for (let v = 0; v < virtualServices.length; v++) {
    const vs = virtualServices[v];
    if (!isMeshBound(vs.object)) {
      continue;
    }
    const namespace = namespaceOf(vs.object);
    const exportTo = asArray(vs.object.spec?.exportTo).filter((e): e is string => typeof e === 'string');
    const scopes = exportTo.length === 0 || exportTo.includes('*') ? ['*'] : [...new Set(exportTo.map(e => (e === '.' ? namespace : e)))];
    asArray(vs.object.spec?.hosts).forEach((host, h) => {
      if (typeof host !== 'string') {
        return;
      }
      const fqdn = meshHostFqdn(host, namespace);
      for (let s = 0; s < scopes.length; s++) {
        const scope = scopes[s];
        const key = `${scope}/${fqdn}`;
        const entry = byScopedHost.get(key) ?? { scope, fqdn, claims: [] };
        byScopedHost.set(key, entry);
        entry.claims.push({ vs, host: h });
      }
    });
  }
  const everywhere = [...byScopedHost.values()].filter(e => e.scope === '*');
  const everywhereWildcards = everywhere.filter(e => e.fqdn.startsWith('*'));
  const reported = new Set<IndexedObject>();
  const findings: ObjectFinding[] = [];
  byScopedHost.forEach(({ scope, fqdn, claims }) => {
    let all = claims;
    if (scope !== '*') {
      const candidates = fqdn.startsWith('*') ? everywhere
        : [...(byScopedHost.has(`*/${fqdn}`) ? [byScopedHost.get(`*/${fqdn}`)!] : []), ...everywhereWildcards.filter(e => e.fqdn !== fqdn)];
      all = [...claims, ...candidates.filter(e => hostsMatch(fqdn, e.fqdn)).flatMap(e => e.claims)];
    }
    // Istio counts claims, not VirtualServices: one naming the same host twice (`reviews` and its FQDN) conflicts
    // with itself, and its name is listed twice.
    const names = all.map(c => label(c.vs.object)).sort();
    if (names.length < 2) {
      return;
    }
    for (let c = 0; c < all.length; c++) {
      const claim = all[c];
      if (reported.has(claim.vs)) {
        continue;
      }
      reported.add(claim.vs);
      findings.push(objectFinding(claim.vs.index, 'IST0109', 'error', `spec.hosts[${claim.host}]`, asArray(claim.vs.object.spec?.hosts)[claim.host],
        `The VirtualServices ${names.join(',')} associated with mesh gateway define the same host ${scope}/${fqdn} which can lead to undefined behavior. `
        + 'This can be fixed by merging the conflicting VirtualServices into a single resource.',
        'keep one mesh VirtualService per host: route the host once, and set its timeout and retries on the ExternalHost'));
    }
  });
  return findings.sort((a, b) => a.index - b.index);
}

/** A VirtualService host as the analyzer keys it: names without a dot are Services of the namespace (ConvertHostToFQDN). */
function meshHostFqdn(host: string, namespace: string): string {
  return host.startsWith('*') || host.includes('.') ? host : `${host}.${namespace}.svc.${CLUSTER_DOMAIN}`;
}

/**
 * Two ServiceEntries for the same host and port with different protocols: a proxy keeps one of them
 * for the port, so the other's protocol is ignored (SEPROTOCOL, EGR106; Istio's analyzer reports it
 * as IST0177 only after 1.30.3). Different resolutions only warn.
 */
function conflictingServiceEntries(index: ObjectIndex): ObjectFinding[] {
  const seen = new Map<string, { entry: number; protocol: string; resolution: string; namespace: string }[]>();
  const findings: ObjectFinding[] = [];
  const serviceEntries = index.serviceEntries;
  for (let e = 0; e < serviceEntries.length; e++) {
    const { index: i, object } = serviceEntries[e];
    const resolution = object.spec?.resolution ?? 'NONE';
    const hosts = asArray(object.spec?.hosts);
    for (let h = 0; h < hosts.length; h++) {
      const host = hosts[h];
      asArray(object.spec?.ports).forEach((port, p) => {
        if (!isRecord(port)) {
          return;
        }
        const key = `${host}:${port.number}`;
        const protocol = String(port.protocol ?? '').toUpperCase();
        const earlier = seen.get(key) ?? [];
        const clash = earlier.find(other => other.entry !== i
          && (isVisibleIn(object, other.namespace) || isVisibleIn(index.objects[other.entry], namespaceOf(object))));
        if (clash && clash.protocol !== protocol) {
          findings.push(objectFinding(i, 'SEPROTOCOL', 'error', `spec.ports[${p}].protocol`, port.protocol,
            `Multiple ServiceEntries (${namespaceOf(index.objects[clash.entry])}/${index.objects[clash.entry].metadata?.name}, `
            + `${namespaceOf(object)}/${object.metadata?.name}) define the same host "${host}" and port ${port.number} with conflicting protocols `
            + `(${clash.protocol || 'unset'}, ${protocol || 'unset'})`, 'declare the host once, or use the same protocol in both'));
        } else if (clash && clash.resolution !== resolution) {
          findings.push(objectFinding(i, 'SERESOLUTION', 'warning', 'spec.resolution', resolution,
            `ServiceEntries ${namespaceOf(index.objects[clash.entry])}/${index.objects[clash.entry].metadata?.name} and ${namespaceOf(object)}/${object.metadata?.name} `
            + `resolve "${host}" differently (${clash.resolution}, ${resolution})`, 'declare the host once, or resolve it the same way'));
        }
        earlier.push({ entry: i, protocol, resolution, namespace: namespaceOf(object) });
        seen.set(key, earlier);
      });
    }
  }
  return findings;
}

