/**
 * Conflicts between objects that each look fine alone: Gateways claiming the same host and port
 * (IST0145), plain TCP sharing a gateway port, two mesh VirtualServices for one host (IST0109),
 * two selector-less Sidecars in a namespace (IST0111), and ServiceEntries disagreeing on a host.
 */
import { Manifest, asArray, isRecord } from '../rules/finding';
import { ObjectFinding, objectFinding } from './object-finding';
import { IndexedObject, ObjectIndex, exportedTo, isMeshBound, isVisibleIn, label, namespaceOf } from './model';

export function checkConflicts(index: ObjectIndex): ObjectFinding[] {
  const servers = gatewayServers(index);
  return [
    ...conflictingGateways(servers), ...sharedTcpServers(servers), ...conflictingMeshVirtualServices(index),
    ...selectorlessSidecars(index), ...conflictingServiceEntries(index), ...duplicateNames(index),
  ];
}

/** Two objects of one kind with one namespace and name: `kubectl apply` keeps only the last one. */
function duplicateNames(index: ObjectIndex): ObjectFinding[] {
  const seen = new Map<string, number>();
  const findings: ObjectFinding[] = [];
  index.objects.forEach((o, i) => {
    const name = o.metadata?.name;
    if (typeof name !== 'string' || typeof o.kind !== 'string' || typeof o.apiVersion !== 'string') {
      return;
    }
    const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '';
    const key = JSON.stringify([group, o.kind, o.metadata?.namespace ?? '', name]);
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, i);
      return;
    }
    findings.push(objectFinding(i, 'DUPLICATE_NAME', 'error', 'metadata.name', name,
      `another ${o.kind} has the same namespace and name (${label(index.objects[first])}): applying both keeps only one`,
      'give one of them another name (for the library\'s constructs: metadata.name on the ExternalHost, or another host name)'));
  });
  return findings;
}

/** A Gateway server with the listener it opens on the selected pods: selector, port and bind. */
interface GatewayServer {
  readonly gateway: IndexedObject;
  readonly server: Record<string, any>;
  readonly field: string;
  readonly listener: string;
}

function gatewayServers(index: ObjectIndex): GatewayServer[] {
  return [...index.gateways.values()].flatMap(gateway => {
    const spec = gateway.object.spec;
    const selector = Object.entries(isRecord(spec?.selector) ? spec.selector : {}).sort();
    return asArray(spec?.servers).filter(isRecord).map((server, s) => ({
      gateway,
      server,
      field: `spec.servers[${s}]`,
      listener: JSON.stringify([selector, isRecord(server.port) ? server.port.number : undefined, server.bind ?? '']),
    }));
  });
}

function selectorText(o: Manifest): string {
  return Object.entries(isRecord(o.spec?.selector) ? o.spec.selector : {}).map(([k, v]) => `${k}=${v}`).join(',');
}

/** IST0145: two Gateways on the same pods, port and bind claim the same host: one of them is skipped. */
function conflictingGateways(servers: GatewayServer[]): ObjectFinding[] {
  const claims = new Map<string, IndexedObject>();
  const findings: ObjectFinding[] = [];
  for (const { gateway, server, field, listener } of servers) {
    asArray(server.hosts).forEach((host, h) => {
      const key = `${listener}${JSON.stringify(host)}`;
      const first = claims.get(key);
      if (!first) {
        claims.set(key, gateway);
      } else if (first !== gateway) {
        findings.push(objectFinding(gateway.index, 'IST0145', 'error', `${field}.hosts[${h}]`, host,
          `Conflict with gateways ${label(first.object)} (workload selector ${selectorText(gateway.object)}, `
          + `port ${server.port?.number}, hosts ${host}): the gateway uses only one of them`,
          'route each host and port through a gateway once (share one route), or use another gateway port'));
      }
    });
  }
  return findings;
}

const OPAQUE = ['TCP', 'MONGO', 'MYSQL', 'REDIS'];

/**
 * Plain TCP servers carry no host name, so one gateway port serves one of them only; Istio keeps the
 * first and drops the others with a log line (`conflict with existing server`).
 */
function sharedTcpServers(servers: GatewayServer[]): ObjectFinding[] {
  const owners = new Map<string, { gateway: IndexedObject; hosts: string }>();
  const findings: ObjectFinding[] = [];
  for (const { gateway, server, field, listener } of servers) {
    if (!OPAQUE.includes(String(server.port?.protocol).toUpperCase()) || server.tls !== undefined) {
      continue;
    }
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

function overlaps(a: Set<string> | undefined, b: Set<string> | undefined): boolean {
  return !a || !b || [...a].some(ns => b.has(ns));
}

/** IST0109: two VirtualServices bound to the mesh define the same host where both are visible: behaviour is undefined. */
function conflictingMeshVirtualServices(index: ObjectIndex): ObjectFinding[] {
  const byHost = new Map<string, IndexedObject[]>();
  const findings: ObjectFinding[] = [];
  for (const vs of index.virtualServices) {
    if (!isMeshBound(vs.object)) {
      continue;
    }
    asArray(vs.object.spec?.hosts).forEach((host, h) => {
      if (typeof host !== 'string') {
        return;
      }
      const earlier = byHost.get(host) ?? [];
      const clash = earlier.find(e => overlaps(exportedTo(e.object), exportedTo(vs.object)));
      if (clash) {
        findings.push(objectFinding(vs.index, 'IST0109', 'error', `spec.hosts[${h}]`, host,
          `The VirtualServices ${label(clash.object)},${label(vs.object)} associated with mesh gateway define the same host ${host} `
          + 'which can lead to undefined behavior',
          'keep one mesh VirtualService per host: route the host once, and set its timeout and retries on the ExternalHost'));
      }
      byHost.set(host, [...earlier, vs]);
    });
  }
  return findings;
}

/** IST0111: a namespace has at most one Sidecar without a workload selector; with more, which applies is undefined. */
function selectorlessSidecars(index: ObjectIndex): ObjectFinding[] {
  const first = new Map<string, IndexedObject>();
  const findings: ObjectFinding[] = [];
  for (const sidecar of index.sidecars) {
    if (isRecord(sidecar.object.spec) && sidecar.object.spec.workloadSelector !== undefined) {
      continue;
    }
    const namespace = namespaceOf(sidecar.object);
    const earlier = first.get(namespace);
    if (!earlier) {
      first.set(namespace, sidecar);
      continue;
    }
    findings.push(objectFinding(sidecar.index, 'IST0111', 'error', 'spec.workloadSelector', undefined,
      `The Sidecars ${earlier.object.metadata?.name}, ${sidecar.object.metadata?.name} in namespace "${namespace}" have no workload selector, `
      + 'so which one applies is undefined', 'keep one Sidecar without selector per namespace; give the others a workloadSelector'));
  }
  return findings;
}

/**
 * Two ServiceEntries for the same host and port with different protocols (IST0177 in Istio after
 * 1.30.3): which one a proxy uses is undefined. Different resolutions only warn.
 */
function conflictingServiceEntries(index: ObjectIndex): ObjectFinding[] {
  const seen = new Map<string, { entry: number; protocol: string; resolution: string; namespace: string }[]>();
  const findings: ObjectFinding[] = [];
  for (const { index: i, object } of index.serviceEntries) {
    const resolution = object.spec?.resolution ?? 'NONE';
    for (const host of asArray(object.spec?.hosts)) {
      asArray(object.spec?.ports).forEach((port, p) => {
        if (!isRecord(port)) {
          return;
        }
        const key = `${host}:${port.number}`;
        const protocol = String(port.protocol ?? '').toUpperCase();
        const earlier = seen.get(key) ?? [];
        const seesOther = (e: { entry: number; namespace: string }) =>
          isVisibleIn(object, e.namespace) || isVisibleIn(index.objects[e.entry], namespaceOf(object));
        const clash = earlier.find(e => e.entry !== i && seesOther(e));
        if (clash && clash.protocol !== protocol) {
          findings.push(objectFinding(i, 'IST0177', 'error', `spec.ports[${p}].protocol`, port.protocol,
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

