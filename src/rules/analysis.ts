/**
 * Rules across objects (istioctl analyze): conflicts that no single object shows. Each check
 * indexes the objects once, so the cost grows with the number of objects, not their pairs.
 */
import { checkLockedDownNamespaces } from './analysis-lockdown';
import { checkReferences } from './analysis-references';
import { Manifest, asArray, isRecord } from './finding';
import { ObjectFinding, objectFinding } from './object-finding';
import { ObjectIndex, isVisibleIn, namespaceOf } from './object-index';
import { MESH_GATEWAY } from './virtual-service';

export { ObjectFinding } from './object-finding';

/** What is known besides the objects. */
export interface AnalysisContext {
  /** Labels of the egress gateway pods known to exist. */
  readonly gatewayPods?: Array<Record<string, string>>;
}

export function analyzeObjects(objects: Manifest[], context: AnalysisContext = {}): ObjectFinding[] {
  const index = new ObjectIndex(objects);
  return [
    ...conflictingGateways(objects), ...sharedTcpServers(objects), ...conflictingMeshVirtualServices(objects),
    ...selectorlessSidecars(objects), ...conflictingServiceEntries(index), ...checkReferences(index, context.gatewayPods), ...checkLockedDownNamespaces(index),
  ];
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
        const clash = earlier.find(e => e.entry !== i && (isVisibleIn(object, e.namespace) || isVisibleIn(index.objects[e.entry], namespaceOf(object))));
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

/** IST0111: a namespace has at most one Sidecar without a workload selector; with more, which applies is undefined. */
function selectorlessSidecars(objects: Manifest[]): ObjectFinding[] {
  const first = new Map<string, number>();
  const findings: ObjectFinding[] = [];
  objects.forEach((o, index) => {
    if (!isIstio(o, 'Sidecar') || (isRecord(o.spec) && o.spec.workloadSelector !== undefined)) {
      return;
    }
    const namespace = o.metadata?.namespace ?? '';
    const earlier = first.get(namespace);
    if (earlier === undefined) {
      first.set(namespace, index);
      return;
    }
    findings.push({
      index,
      rule: 'IST0111',
      code: 'IST0111',
      severity: 'error',
      field: 'spec.workloadSelector',
      value: undefined,
      message: `The Sidecars ${objects[earlier].metadata?.name}, ${o.metadata?.name} in namespace "${namespace}" have no workload selector, `
        + 'so which one applies is undefined',
      fix: 'keep one Sidecar without selector per namespace; give the others a workloadSelector',
    });
  });
  return findings;
}

function isIstio(o: Manifest, kind: string): boolean {
  return o.kind === kind && typeof o.apiVersion === 'string' && o.apiVersion.startsWith('networking.istio.io/');
}

function label(o: Manifest): string {
  return `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
}

/** IST0145: two Gateways on the same pods, port and bind claim the same host: one of them is skipped. */
function conflictingGateways(objects: Manifest[]): ObjectFinding[] {
  const claims = new Map<string, number>();
  const findings: ObjectFinding[] = [];
  objects.forEach((o, index) => {
    if (!isIstio(o, 'Gateway') || !isRecord(o.spec)) {
      return;
    }
    const selector = JSON.stringify(Object.entries(isRecord(o.spec.selector) ? o.spec.selector : {}).sort());
    asArray(o.spec.servers).forEach((server, s) => {
      const port = isRecord(server) && isRecord(server.port) ? server.port.number : undefined;
      asArray(server?.hosts).forEach((host, h) => {
        const key = JSON.stringify([selector, port, server.bind ?? '', host]);
        const first = claims.get(key);
        if (first === undefined) {
          claims.set(key, index);
        } else if (first !== index) {
          findings.push({
            index,
            rule: 'IST0145',
            code: 'IST0145',
            severity: 'error',
            field: `spec.servers[${s}].hosts[${h}]`,
            value: host,
            message: `Conflict with gateways ${label(objects[first])} (workload selector ${Object.entries(o.spec.selector ?? {}).map(([k, v]) => `${k}=${v}`).join(',')}, `
              + `port ${port}, hosts ${host}): the gateway uses only one of them`,
            fix: 'route each host and port through a gateway once (share one route), or use another gateway port',
          });
        }
      });
    });
  });
  return findings;
}

const OPAQUE = ['TCP', 'MONGO', 'MYSQL', 'REDIS'];

/**
 * Plain TCP servers carry no host name, so one gateway port serves one of them only; Istio keeps the
 * first and drops the others with a log line (`conflict with existing server`).
 */
function sharedTcpServers(objects: Manifest[]): ObjectFinding[] {
  const owners = new Map<string, { index: number; hosts: string }>();
  const findings: ObjectFinding[] = [];
  objects.forEach((o, index) => {
    if (!isIstio(o, 'Gateway') || !isRecord(o.spec)) {
      return;
    }
    const selector = JSON.stringify(Object.entries(isRecord(o.spec.selector) ? o.spec.selector : {}).sort());
    asArray(o.spec.servers).forEach((server, s) => {
      const port = isRecord(server) && isRecord(server.port) ? server.port : undefined;
      if (!port || !OPAQUE.includes(String(port.protocol).toUpperCase()) || server.tls !== undefined) {
        return;
      }
      const key = JSON.stringify([selector, port.number, server.bind ?? '']);
      const hosts = asArray(server.hosts).join(',');
      const first = owners.get(key);
      if (!first) {
        owners.set(key, { index, hosts });
      } else if (first.hosts !== hosts) {
        findings.push({
          index,
          rule: 'GWTCP',
          severity: 'error',
          field: `spec.servers[${s}].port.number`,
          value: port.number,
          message: `port ${port.number} of the gateway already carries plain TCP for ${first.hosts} (${label(objects[first.index])}); `
            + 'TCP has no host name to tell them apart, so the gateway would keep only one',
          fix: 'give each TCP host its own gateway port (gatewayPorts), or turn on mutual TLS to the gateway so that SNI tells them apart',
        });
      }
    });
  });
  return findings;
}

/** Namespaces a VirtualService is visible in; undefined means every namespace. */
function visibility(o: Manifest): Set<string> | undefined {
  const exportTo = asArray(o.spec?.exportTo);
  if (exportTo.length === 0 || exportTo.includes('*')) {
    return undefined;
  }
  return new Set(exportTo.map(e => (e === '.' ? o.metadata?.namespace ?? '' : String(e))));
}

function overlaps(a: Set<string> | undefined, b: Set<string> | undefined): boolean {
  return !a || !b || [...a].some(ns => b.has(ns));
}

/** IST0109: two VirtualServices bound to the mesh define the same host where both are visible: behaviour is undefined. */
function conflictingMeshVirtualServices(objects: Manifest[]): ObjectFinding[] {
  const byHost = new Map<string, number[]>();
  const findings: ObjectFinding[] = [];
  objects.forEach((o, index) => {
    if (!isIstio(o, 'VirtualService') || !isRecord(o.spec)) {
      return;
    }
    const gateways = asArray(o.spec.gateways);
    if (gateways.length > 0 && !gateways.includes(MESH_GATEWAY)) {
      return;
    }
    asArray(o.spec.hosts).forEach((host, h) => {
      if (typeof host !== 'string') {
        return;
      }
      const earlier = byHost.get(host) ?? [];
      const clash = earlier.find(e => overlaps(visibility(objects[e]), visibility(o)));
      if (clash !== undefined) {
        findings.push({
          index,
          rule: 'IST0109',
          code: 'IST0109',
          severity: 'error',
          field: `spec.hosts[${h}]`,
          value: host,
          message: `The VirtualServices ${label(objects[clash])},${label(o)} associated with mesh gateway define the same host ${host} `
            + 'which can lead to undefined behavior',
          fix: 'keep one mesh VirtualService per host: route the host once, and set its timeout and retries on the ExternalHost',
        });
      }
      earlier.push(index);
      byHost.set(host, earlier);
    });
  });
  return findings;
}
