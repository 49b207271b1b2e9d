/**
 * Builds the explain report from the analysis' egress paths (src/analysis/paths.ts): each hop named
 * by its objects' `namespace/name`, and the findings of the rules about the objects on the path.
 */
import {
  Allowed, ExplainReport, GatewayHop, GatewayServer, GatewayService, HostPath, KindSummary, ObjectLocation, PortPath, Problem, SidecarHop, Sources,
  WaypointHop,
} from './model';
import { IndexedFinding, lintObjects } from '../../analysis';
import { IndexedObject, ObjectIndex, label } from '../../analysis/model';
import { PATH_RULES, pathFindings } from '../../analysis/path-findings';
import { originatesTls } from '../../analysis/path-lookups';
import * as paths from '../../analysis/paths';
import { codeOf } from '../../rules/codes';
import { KINDS, KindKey } from '../../rules/kinds';
import { LoadedObject } from '../input';

export function explainObjects(objects: LoadedObject[]): ExplainReport {
  const manifests = objects.map(o => o.manifest);
  const index = new ObjectIndex(manifests);
  const findings = lintObjects(manifests);
  const byObject = new Map<number, IndexedFinding[]>();
  for (const f of findings) {
    byObject.set(f.index, [...byObject.get(f.index) ?? [], f]);
  }
  const reporter = new Reporter(objects, byObject);
  return { hosts: paths.egressPaths(index).hosts.map(h => reporter.host(h)), kinds: kindSummaries(index) };
}

/** The registered kinds present in the input, as the registry describes them. */
function kindSummaries(index: ObjectIndex): KindSummary[] {
  return (Object.keys(KINDS) as KindKey[]).filter(key => index.of(key).length > 0).map(key => ({
    apiGroup: KINDS[key].group, kind: KINDS[key].kind, count: index.of(key).length, role: KINDS[key].role,
  }));
}

const ref = (o: IndexedObject) => label(o.object);

class Reporter {
  public constructor(private readonly objects: LoadedObject[], private readonly findings: Map<number, IndexedFinding[]>) {}

  public host(h: paths.HostPath): HostPath {
    return {
      host: h.host,
      definedBy: this.location(h.definition, h.definitionKind),
      resolution: h.resolution ?? null,
      clients: {
        exportedTo: h.clients.exportedTo,
        importedBy: h.clients.importedBy.map(i => ({ namespace: i.namespace, sidecar: ref(i.sidecar) })),
        blockedIn: h.clients.blockedIn.map(i => ({ namespace: i.namespace, sidecar: ref(i.sidecar) })),
        namespaces: h.clients.namespaces,
      },
      ports: h.ports.map(p => this.port(h, p)),
    };
  }

  private location(o: IndexedObject, kind: string): ObjectLocation {
    const loaded = this.objects[o.index];
    return { kind, ref: ref(o), file: loaded.file, line: loaded.line };
  }

  private port(h: paths.HostPath, p: paths.PortPath): PortPath {
    return {
      port: p.port.number,
      protocol: p.port.protocol,
      name: p.port.name ?? null,
      targetPort: p.port.targetPort ?? null,
      sidecar: sidecarHop(p.sidecar),
      gatewayService: p.target ? gatewayService(p.target) : null,
      gateway: p.server ? gatewayServer(p.server) : null,
      gatewayHop: p.gatewayHop ? gatewayHop(p.gatewayHop) : null,
      waypoint: p.waypoint ? waypointHop(p.waypoint) : null,
      allowed: p.allowed ? allowed(p.allowed) : null,
      problems: this.problems(h, p),
    };
  }

  /**
   * The findings about the objects on the path that concern it, errors first, in the order of the path:
   * the rules' findings about the parts of those objects the path uses, and the path rules' findings
   * about this path (the same as lint's; one finding about an object shared by several paths is shown
   * on the path it is about).
   */
  private problems(h: paths.HostPath, p: paths.PortPath): Problem[] {
    const onObjects = paths.pathObjects(h, p).flatMap(o => (this.findings.get(o.index) ?? [])
      .filter(f => !PATH_RULES.has(f.rule) && paths.concernsPath(o, f.field)));
    const problems = [...onObjects, ...pathFindings(h, p)].map(f => {
      const loaded = this.objects[f.index];
      return {
        severity: f.severity,
        code: codeOf(f),
        rule: f.rule,
        object: `${loaded.manifest.kind ?? '(no kind)'} ${label(loaded.manifest)}`,
        file: loaded.file,
        ...loaded.locate(f.field),
        field: f.field,
        message: f.message,
        fix: f.fix,
      };
    });
    return [...problems.filter(x => x.severity === 'error'), ...problems.filter(x => x.severity !== 'error')];
  }
}

function sidecarHop(hop: paths.SidecarHop): SidecarHop {
  const tls = hop.tls && hop.tls.mode !== 'DISABLE' && (hop.via === 'gateway' || originatesTls(hop.tls.mode)) ? hop.tls : undefined;
  return {
    via: hop.via,
    virtualService: hop.route ? ref(hop.route.vs) : null,
    routeKind: hop.route?.kind ?? null,
    route: hop.route ? routeName(hop.route) : null,
    destination: hop.destination,
    destinationPort: hop.destinationPort,
    subset: hop.subset ?? null,
    tls: tls?.mode ?? 'plain',
    tlsFrom: tls ? ref(tls.destinationRule) : null,
    sni: tls?.sni ?? null,
    traffic: hop.traffic,
  };
}

/** `http[0]`: a route's place in its VirtualService; `rules[0]` in a Gateway API route. */
function routeName(hit: paths.RouteHit): string {
  return hit.field.replace(/^spec\./, '');
}

function gatewayService(target: paths.GatewayTarget): GatewayService {
  return {
    service: target.service,
    namespace: target.namespace,
    pods: target.labels,
    podsFrom: target.labelsFrom,
    gateways: target.gateways.map(ref),
  };
}

function gatewayServer(server: paths.GatewayServer): GatewayServer {
  const selector = server.gateway.object.spec?.selector;
  return {
    gateway: ref(server.gateway),
    selector: Object.fromEntries(Object.entries(typeof selector === 'object' && selector !== null ? selector : {}).map(([k, v]) => [k, String(v)])),
    server: server.field,
    port: server.port,
    protocol: server.protocol,
    tls: server.tls,
    hosts: server.hosts,
  };
}

function gatewayHop(hop: paths.GatewayHop): GatewayHop {
  return {
    virtualService: ref(hop.route.vs),
    routeKind: hop.route.kind,
    route: routeName(hop.route),
    destination: hop.destination,
    destinationPort: hop.destinationPort,
    tlsOrigination: hop.tlsOrigination ? { mode: hop.tlsOrigination.mode, destinationRule: ref(hop.tlsOrigination.destinationRule) } : null,
  };
}

function waypointHop(hop: paths.WaypointHop): WaypointHop {
  const bound = hop.boundBy.object;
  return {
    waypoint: ref(hop.gateway),
    boundBy: bound.kind === 'Namespace' ? `Namespace ${bound.metadata?.name}` : `${bound.kind} ${ref(hop.boundBy)}`,
    virtualService: hop.route ? ref(hop.route.vs) : null,
    routeKind: hop.route?.kind ?? null,
    route: hop.route ? routeName(hop.route) : null,
    destination: hop.destination,
    destinationPort: hop.destinationPort,
    tlsOrigination: hop.tlsOrigination ? { mode: hop.tlsOrigination.mode, destinationRule: ref(hop.tlsOrigination.destinationRule) } : null,
  };
}

function allowed(a: paths.Allowed): Allowed {
  const sources = (s: paths.Sources): Sources => ({ policy: ref(s.policy), any: s.any, namespaces: s.namespaces, principals: s.principals });
  return {
    policies: a.policies.map(ref),
    allowPolicies: a.allowPolicies.map(ref),
    verdict: a.verdict,
    denyByDefault: a.denyByDefault.map(ref),
    allow: a.allow.map(sources),
    deny: a.deny.map(sources),
  };
}
