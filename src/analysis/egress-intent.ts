/**
 * Egress setups that Istio accepts but that do not do what they say, found from the objects alone
 * (the same checks the library's constructs rely on at synth):
 * - GATEWAY_LOOP: a gateway routes to a resolution-NONE entry, and sends the traffic back to itself;
 * - IDENTITY_WITHOUT_MTLS: an ALLOW policy at a gateway names workload identities, but the gateway's
 *   servers do not use mutual TLS, so no request carries one and every one is denied;
 * - HIDDEN_HOST: a Sidecar imports, or a gateway policy allows a namespace to reach, a host whose
 *   ServiceEntry is not exported to that namespace;
 * - DIRECT_HOST_BLOCKED: a namespace reaches an external host straight from its pods, while its
 *   NetworkPolicy lets them send only to the peers it lists, none of which is that host;
 * - SIDECAR_CREDENTIAL: client TLS with a credentialName in a DestinationRule without workloadSelector,
 *   which sidecars ignore (they send without TLS).
 */
import {
  IndexedObject, ObjectIndex, isMeshBound, isVisibleIn, label, namespaceOf, serviceNamespace,
} from './model';
import { ObjectFinding, objectFinding } from './object-finding';
import { strings } from './path-lookups';
import { egressPaths } from './paths';
import { clientTlsSettings } from './weakening';
import { Manifest, asArray, isRecord, show } from '../rules/finding';
import { isKind } from '../rules/kinds';
import { hostSubsetOf, hostsMatch, isEveryAddress, isIpAddress } from '../rules/names';
import { sidecarRouteBlocks } from '../rules/protocol';

/** The namespace whose policies apply to every workload of the mesh (Istio's default root namespace). */
const ROOT_NAMESPACE = 'istio-system';
/** Identity attributes of `from.source`, which only mutual TLS carries. */
const IDENTITY_FIELDS = ['principals', 'namespaces', 'serviceAccounts'];
const IDENTITY_KEYS = ['source.principal', 'source.namespace', 'source.serviceAccount'];
/** Gateway server TLS modes in which the client presents a certificate, and so an identity. */
const MUTUAL_MODES = ['ISTIO_MUTUAL', 'MUTUAL', 'OPTIONAL_MUTUAL'];

export function checkEgressIntent(index: ObjectIndex): ObjectFinding[] {
  return [
    ...gatewayLoops(index), ...identityWithoutMutualTls(index), ...hiddenImports(index), ...hiddenFromAllowedClients(index),
    ...blockedDirectHosts(index), ...ignoredSidecarCredentials(index),
  ];
}

function labelsOf(x: unknown): Record<string, unknown> {
  return isRecord(x) ? x : {};
}

/** Whether every `key: value` of `selector` is among `labels` (an empty selector selects everything). */
function selectsLabels(selector: Record<string, unknown>, labels: Record<string, unknown>): boolean {
  return Object.entries(selector).every(([k, v]) => Object.hasOwn(labels, k) && labels[k] === v);
}

/** A mesh-bound VirtualService that sends a host somewhere else, and the blocks whose routes do. */
interface RouteAway { readonly object: Manifest; readonly blocks: ReadonlySet<string> }

/** Per index: host -> the mesh-bound VirtualServices that send it somewhere else (to an egress gateway), and the wildcard hosts among them. */
const routedAwayByIndex = new WeakMap<ObjectIndex, { byHost: Map<string, RouteAway[]>; wildcards: string[] }>();

/**
 * The route blocks that carry `host`'s traffic on `port` as the ServiceEntries visible in `namespace`
 * declare it; undefined (any block) for every port, or a port no entry declares.
 */
function blocksForPort(index: ObjectIndex, host: string, namespace: string, port: number | undefined): Set<string> | undefined {
  if (port === undefined) {
    return undefined;
  }
  const declared = index.entriesFor(host).filter(e => isVisibleIn(e.object, namespace))
    .flatMap(e => asArray(e.object.spec?.ports)).filter(isRecord).filter(p => p.number === port);
  return declared.length === 0 ? undefined : new Set(declared.flatMap(p => sidecarRouteBlocks(p.protocol)));
}

/**
 * Whether a mesh-bound VirtualService visible in `namespace` sends `host` somewhere else (to an egress
 * gateway), by routes of one of `blocks` (undefined: by any route).
 */
function routedAway(index: ObjectIndex, host: string, namespace: string, blocks?: ReadonlySet<string>): boolean {
  let routes = routedAwayByIndex.get(index);
  if (!routes) {
    routes = { byHost: new Map(), wildcards: [] };
    for (const vs of index.virtualServices.filter(v => isMeshBound(v.object))) {
      const destinations = index.destinations(vs).filter(d => d.atMesh);
      for (const h of strings(vs.object.spec?.hosts)) {
        const away = new Set(destinations.filter(d => d.host !== h).map(d => d.field.slice('spec.'.length, d.field.indexOf('['))));
        if (away.size > 0) {
          const list = routes.byHost.get(h);
          if (list) {
            list.push({ object: vs.object, blocks: away });
          } else {
            routes.byHost.set(h, [{ object: vs.object, blocks: away }]);
            if (h.startsWith('*')) {
              routes.wildcards.push(h);
            }
          }
        }
      }
    }
    routedAwayByIndex.set(index, routes);
  }
  const { byHost, wildcards } = routes;
  const visible = (routed: string) => byHost.get(routed)!.some(r => isVisibleIn(r.object, namespace)
    && (blocks === undefined || [...r.blocks].some(b => blocks.has(b))));
  // A wildcard host (`*.example.com`) routes every host it covers, as in Istio's wildcard egress setup.
  return (byHost.has(host) && visible(host)) || wildcards.some(routed => routed !== host && hostSubsetOf(host, routed) && visible(routed));
}

/**
 * GATEWAY_LOOP (istio.io, Egress Gateways: "If the resolution is NONE, the gateway will direct the
 * traffic to itself in an infinite loop"): with NONE a proxy sends to the address the connection was
 * made to, and at a gateway that address is the gateway's own.
 */
function gatewayLoops(index: ObjectIndex): ObjectFinding[] {
  const findings: ObjectFinding[] = [];
  for (const vs of index.virtualServices) {
    for (const d of index.destinations(vs)) {
      const gateways = d.atGateways;
      const resolved = gateways.length === 0 ? undefined : index.resolveHost(d.host, namespaceOf(vs.object));
      // Asked first, as most hosts resolve with DNS: a loop needs some definition that sends to the original address.
      if (resolved?.status !== 'found' || !resolved.definitions.some(e => isKind(e.object, 'serviceEntry') && usesOriginalAddress(e.object))) {
        continue;
      }
      // A ServiceEntry naming the host itself wins over a wildcard one that also covers it.
      const exact = resolved.definitions.filter(e => !isKind(e.object, 'serviceEntry') || strings(e.object.spec?.hosts).includes(resolved.host));
      const definitions = exact.length > 0 ? exact : resolved.definitions;
      if (!definitions.every(e => isKind(e.object, 'serviceEntry') && usesOriginalAddress(e.object))) {
        continue;
      }
      const entries = definitions.map(e => `ServiceEntry ${label(e.object)}`).join(', ');
      findings.push(objectFinding(vs.index, 'GATEWAY_LOOP', 'error', `${d.field}.host`, d.host,
        `${entries} resolves ${d.host} with resolution NONE, so gateway ${gateways.join(', ')} sends the traffic on to the address it was sent to, `
        + 'which is the gateway\'s own: the request loops inside the gateway and never leaves the mesh',
        'resolve the host with DNS (or STATIC with endpoints) in its ServiceEntry (ExternalHost: resolution: Resolution.DNS; '
        + 'for a wildcard host, route through one concrete host with servedBy)'));
    }
  }
  return findings;
}

/** Resolution NONE (the default) without a workload selector: the proxy forwards to the original destination address. */
function usesOriginalAddress(entry: Manifest): boolean {
  const spec = labelsOf(entry.spec);
  return (spec.resolution ?? 'NONE') === 'NONE' && spec.workloadSelector === undefined;
}

/** The Gateways whose pods an AuthorizationPolicy applies to: same namespace (or the root's policy), selector within theirs. */
function gatewaysUnder(index: ObjectIndex, policy: Manifest): IndexedObject[] {
  const spec = labelsOf(policy.spec);
  const namespace = namespaceOf(policy);
  const matchLabels = spec.selector === undefined ? {} : labelsOf(labelsOf(spec.selector).matchLabels);
  return [...index.gateways.values()].filter(g => (namespaceOf(g.object) === namespace || namespace === ROOT_NAMESPACE)
    && selectsLabels(matchLabels, labelsOf(g.object.spec?.selector)));
}

function isAllowPolicy(policy: Manifest): boolean {
  const spec = policy.spec;
  return isRecord(spec) && (spec.action ?? 'ALLOW') === 'ALLOW' && spec.targetRef === undefined && spec.targetRefs === undefined;
}

/** The SNI values a rule requires (`when: connection.sni`). */
function sniValues(rule: Record<string, any>): string[] {
  return asArray(rule.when).filter(c => isRecord(c) && c.key === 'connection.sni').flatMap(c => strings(c.values));
}

/** A Gateway server host without its `namespace/` part. */
function serverHost(host: string): string {
  return host.includes('/') ? host.slice(host.indexOf('/') + 1) : host;
}

/**
 * IDENTITY_WITHOUT_MTLS (istio/api authorization_policy.proto: principals, namespaces and service
 * accounts "require mTLS enabled"): at a gateway whose matching servers do not use mutual TLS, no
 * request has a peer identity, so a rule that requires one never matches.
 */
function identityWithoutMutualTls(index: ObjectIndex): ObjectFinding[] {
  const findings: ObjectFinding[] = [];
  for (const ap of index.of('authorizationPolicy')) {
    if (!isAllowPolicy(ap.object)) {
      continue;
    }
    const gateways = gatewaysUnder(index, ap.object);
    if (gateways.length === 0) {
      continue;
    }
    asArray(ap.object.spec.rules).forEach((rule, i) => {
      if (!isRecord(rule)) {
        return;
      }
      const identities: Array<{ field: string; value: unknown; what: string }> = [];
      asArray(rule.from).forEach((from, j) => {
        const source = isRecord(from) && isRecord(from.source) ? from.source : {};
        const field = IDENTITY_FIELDS.find(f => asArray(source[f]).length > 0);
        if (field) {
          identities.push({ field: `spec.rules[${i}].from[${j}].source.${field}`, value: source[field], what: `from[${j}].source.${field}` });
        }
      });
      asArray(rule.when).forEach((condition, k) => {
        if (isRecord(condition) && IDENTITY_KEYS.includes(condition.key) && asArray(condition.values).length > 0) {
          identities.push({ field: `spec.rules[${i}].when[${k}].values`, value: condition.values, what: `the ${condition.key} condition` });
        }
      });
      if (identities.length === 0) {
        return;
      }
      const snis = sniValues(rule);
      const all = gateways.flatMap(g => asArray(g.object.spec?.servers).filter(isRecord).map(server => ({ gateway: g, server })));
      // For a concrete SNI the gateway picks the servers that name it exactly, and falls back on wildcard ones only
      // without them; a pattern (`*.example.com`) stands for the SNI values of every server it covers.
      const servers = snis.length === 0 ? all : [...new Set(snis.flatMap(sni => {
        const exact = sni.includes('*') ? [] : all.filter(({ server }) => strings(server.hosts).some(h => serverHost(h) === sni));
        return exact.length > 0 ? exact : all.filter(({ server }) => strings(server.hosts).some(h => hostsMatch(sni, serverHost(h))));
      }))];
      if (servers.length === 0 || servers.some(({ server }) => isRecord(server.tls) && MUTUAL_MODES.includes(server.tls.mode))) {
        return;
      }
      const described = servers.map(({ gateway, server }) => `Gateway ${label(gateway.object)} port ${show(server.port?.number)} `
        + `(${isRecord(server.tls) ? `tls ${show(server.tls.mode)}` : 'no tls'})`).join(', ');
      for (const { field, value, what } of identities) {
        findings.push(objectFinding(ap.index, 'IDENTITY_WITHOUT_MTLS', 'error', field, value,
          `rule ${i} allows only the workloads named by ${what}, identities that a gateway learns from Istio mutual TLS, but the servers it `
          + `applies to do not use mutual TLS (${described}): no request carries an identity there, so the gateway denies every one`,
          'terminate Istio mutual TLS at the gateway (server tls mode ISTIO_MUTUAL, and tls mode ISTIO_MUTUAL with the host as sni in the '
          + 'sidecars\' DestinationRule for the gateway; EgressGatewayRoute: gatewayMutualTls on), or allow by what the gateway sees (connection.sni, ports)'));
      }
    });
  }
  return findings;
}

/** `namespace/host` of a Sidecar egress entry, for a concrete host in a named namespace (`.` is the Sidecar's own). */
function concreteImport(entry: unknown, own: string): { home: string; host: string } | undefined {
  if (typeof entry !== 'string' || !entry.includes('/')) {
    return undefined;
  }
  const namespace = entry.slice(0, entry.indexOf('/'));
  const host = entry.slice(entry.indexOf('/') + 1);
  if (namespace === '*' || namespace === '~' || host === '' || host.includes('*') || serviceNamespace(host) !== undefined) {
    return undefined;
  }
  return { home: namespace === '.' ? own : namespace, host };
}

function exportText(entry: Manifest): string {
  const exportTo = entry.spec?.exportTo;
  return exportTo === undefined ? 'the mesh default' : JSON.stringify(exportTo);
}

/**
 * HIDDEN_HOST for Sidecars: an egress host `ns/host` imports what namespace `ns` defines for that name and
 * exports to the Sidecar's namespace; when every ServiceEntry of `ns` naming the host is exported elsewhere
 * only, the import finds nothing and the workloads cannot reach the host.
 */
function hiddenImports(index: ObjectIndex): ObjectFinding[] {
  const findings: ObjectFinding[] = [];
  for (const sidecar of index.sidecars) {
    const own = namespaceOf(sidecar.object);
    asArray(sidecar.object.spec?.egress).forEach((listener, l) => {
      // Indexes of the list as written: a non-string entry keeps its place.
      asArray(isRecord(listener) ? listener.hosts : undefined).forEach((entry, k) => {
        const parsed = concreteImport(entry, own);
        // An exact import takes only entries that name the host: a wildcard entry is no subset of it (Istio's
        // hostClassification.Matches), so `*.example.com` is not imported by `egress/api.example.com` at all.
        const defined = parsed ? index.entriesFor(parsed.host)
          .filter(e => namespaceOf(e.object) === parsed.home && asArray(e.object.spec?.hosts).includes(parsed.host)) : [];
        if (!parsed || defined.length === 0 || defined.some(e => isVisibleIn(e.object, own))) {
          return;
        }
        const names = defined.map(e => `ServiceEntry ${label(e.object)}`);
        const exports = defined.map(e => `${label(e.object)} exportTo ${exportText(e.object)}`).join(', ');
        findings.push(objectFinding(sidecar.index, 'HIDDEN_HOST', 'error', `spec.egress[${l}].hosts[${k}]`, entry,
          `the Sidecar imports ${parsed.host} from namespace ${parsed.home}, but ${names.join(', ')} is not exported to namespace ${own} (${exports}): `
          + `the import finds nothing, and the workloads of ${own} cannot reach ${parsed.host}`,
          `add "${own}" to the exportTo of ${names.join(', ')} (ExternalHost: exportTo ExportTo.whereUsed(), or add the namespace)`));
      });
    });
  }
  return findings;
}

/** The namespace of a concrete principal `<trust domain>/ns/<namespace>/sa/<account>`. */
function principalNamespace(principal: string): string | undefined {
  const match = /^[^/*]+\/ns\/([^/*]+)\/sa\/[^/*]+$/.exec(principal);
  return match ? match[1] : undefined;
}

/**
 * HIDDEN_HOST for gateway policies: a rule that lets the workloads of a namespace reach a host
 * (`connection.sni`) through the gateway is of no use when the host's ServiceEntries are not exported
 * to that namespace: its sidecars do not know the host, and never send it to the gateway.
 */
function hiddenFromAllowedClients(index: ObjectIndex): ObjectFinding[] {
  const findings: ObjectFinding[] = [];
  // With Gateways in the input, a policy is judged only where it applies to one: at other workloads
  // connection.sni is the SNI they are called with, not a host their clients send through a gateway.
  const gatewaysKnown = index.gateways.size > 0;
  for (const ap of index.of('authorizationPolicy')) {
    if (!isAllowPolicy(ap.object) || (gatewaysKnown && gatewaysUnder(index, ap.object).length === 0)) {
      continue;
    }
    asArray(ap.object.spec.rules).forEach((rule, i) => {
      const snis = isRecord(rule) ? sniValues(rule).filter(h => !h.includes('*')) : [];
      if (snis.length === 0) {
        return;
      }
      asArray(rule.from).forEach((from, j) => {
        const source = isRecord(from) && isRecord(from.source) ? from.source : {};
        const named = [
          ...asArray(source.namespaces).map((ns, k) => ({ field: `namespaces[${k}]`, value: ns, namespace: typeof ns !== 'string' || ns.includes('*') ? undefined : ns })),
          ...asArray(source.principals).map((p, k) => ({ field: `principals[${k}]`, value: p, namespace: typeof p === 'string' ? principalNamespace(p) : undefined })),
        ];
        // `of` reads the holes of a sparse array (a JavaScript caller's) as undefined entries.
        for (const { field, value, namespace } of named.filter(n => n !== undefined)) {
          if (namespace === undefined) {
            continue;
          }
          const hidden = snis.map(host => ({ host, entries: index.entriesFor(host) }))
            .filter(({ entries }) => entries.length > 0 && !entries.some(e => isVisibleIn(e.object, namespace)));
          if (hidden.length === 0) {
            continue;
          }
          const entries = [...new Set(hidden.flatMap(h => h.entries.map(e => `ServiceEntry ${label(e.object)}`)))];
          findings.push(objectFinding(ap.index, 'HIDDEN_HOST', 'error', `spec.rules[${i}].from[${j}].source.${field}`, value,
            `rule ${i} lets workloads of namespace ${namespace} reach ${hidden.map(h => h.host).join(', ')} through the gateway, but `
            + `${entries.join(', ')} is not exported to ${namespace}: their sidecars do not know the host and never send it to the gateway`,
            `add "${namespace}" to the exportTo of ${entries.join(', ')} (ExternalHost: exportTo ExportTo.whereUsed(), or add the namespace)`));
        }
      });
    });
  }
  return findings;
}

/**
 * Whether a NetworkPolicy restricts the egress of the pods it selects. Without policyTypes, the API server
 * adds Egress only for a non-empty egress list (SetDefaults_NetworkPolicy).
 */
function restrictsEgress(policy: Manifest): boolean {
  const spec = labelsOf(policy.spec);
  const types = strings(spec.policyTypes);
  return types.includes('Egress') || (types.length === 0 && asArray(spec.egress).length > 0);
}

/**
 * Whether a NetworkPolicy selects every pod that a Sidecar with these workload labels (undefined: the
 * whole namespace) applies to. Selectors with expressions are not judged.
 */
function coversPods(policy: Manifest, workloadLabels: Record<string, unknown> | undefined): boolean {
  const selector = labelsOf(policy.spec?.podSelector);
  if (asArray(selector.matchExpressions).length > 0) {
    return false;
  }
  const matchLabels = labelsOf(selector.matchLabels);
  return workloadLabels === undefined ? Object.keys(matchLabels).length === 0 : selectsLabels(matchLabels, workloadLabels);
}

/** Whether an egress rule lets the pods send to any address (no `to`, or a /0 block) on `port`. */
function allowsAnyAddress(rule: unknown, port: number): boolean {
  if (!isRecord(rule)) {
    return false;
  }
  const to = asArray(rule.to);
  const anywhere = to.length === 0 || to.some(peer => isRecord(peer) && isRecord(peer.ipBlock) && isEveryAddress(peer.ipBlock.cidr));
  const ports = asArray(rule.ports);
  return anywhere && (ports.length === 0 || ports.some(p => !isRecord(p) || typeof p.port !== 'number'
    || p.port === port || (typeof p.endPort === 'number' && port >= p.port && port <= p.endPort)));
}

/** Whether an entry says where its host's traffic goes: addresses, or IP endpoints. */
function hasAddresses(entry: Manifest): boolean {
  return asArray(entry.spec?.addresses).length > 0
    || asArray(entry.spec?.endpoints).some(e => isRecord(e) && typeof e.address === 'string' && isIpAddress(e.address));
}

/**
 * DIRECT_HOST_BLOCKED: a Sidecar imports an external host that no mesh route sends to a gateway, so
 * the pods connect to it themselves; a NetworkPolicy that selects those pods and lets them send only
 * to listed peers (no open rule, no /0 block) cannot allow a host without known addresses.
 */
function blockedDirectHosts(index: ObjectIndex): ObjectFinding[] {
  const policies = index.of('networkPolicy').filter(p => restrictsEgress(p.object));
  if (policies.length === 0) {
    return [];
  }
  const findings: ObjectFinding[] = [];
  const reported = new Set<string>();
  for (const sidecar of index.sidecars) {
    const own = namespaceOf(sidecar.object);
    const selector = sidecar.object.spec?.workloadSelector;
    const workloadLabels = selector === undefined ? undefined : labelsOf(labelsOf(selector).labels);
    const applying = policies.filter(p => namespaceOf(p.object) === own && coversPods(p.object, workloadLabels));
    if (applying.length === 0) {
      continue;
    }
    for (const { host, entries } of importedExternalHosts(index, sidecar.object)) {
      if (entries.some(e => hasAddresses(e.object)) || routedAway(index, host, own)) {
        continue;
      }
      const ports = [...new Set(entries.flatMap(e => asArray(e.object.spec?.ports).filter(isRecord)
        .map(p => (typeof p.targetPort === 'number' ? p.targetPort : p.number)).filter((n): n is number => typeof n === 'number')))];
      if (ports.every(port => applying.some(p => asArray(p.object.spec?.egress).some(rule => allowsAnyAddress(rule, port))))) {
        continue;
      }
      const policy = applying[0];
      const key = `${policy.index}/${host}`;
      if (reported.has(key)) {
        continue;
      }
      reported.add(key);
      findings.push(objectFinding(policy.index, 'DIRECT_HOST_BLOCKED', 'error', 'spec.egress', undefined,
        `the pods of ${own} reach ${host} directly (Sidecar ${label(sidecar.object)} imports it, and no mesh route sends it to an egress gateway), `
        + `but this NetworkPolicy lets them send only to the peers it lists, and ${entries.map(e => `ServiceEntry ${label(e.object)}`).join(', ')} `
        + `gives no addresses it could allow: connections to ${host} are dropped`,
        `route ${host} through an egress gateway (EgressGatewayRoute), declare its addresses and allow them as ipBlocks `
        + '(ExternalHost: addresses), or allow it in a NetworkPolicy of its own (EgressLockdown: networkPolicy: false)'));
    }
  }
  return findings;
}

/**
 * The external hosts a Sidecar imports by name (`ns/host`), with the ServiceEntries that define them
 * there. Imports of whole namespaces (`./*`, `ns/*`, `*\/*`) say nothing about which of their hosts
 * the workloads use.
 */
function importedExternalHosts(index: ObjectIndex, sidecar: Manifest): Array<{ host: string; entries: IndexedObject[] }> {
  const own = namespaceOf(sidecar);
  const external = (e: IndexedObject, home: string) => namespaceOf(e.object) === home && isVisibleIn(e.object, own)
    && e.object.spec?.location !== 'MESH_INTERNAL';
  const hosts = new Map<string, IndexedObject[]>();
  for (const listener of asArray(sidecar.spec?.egress)) {
    for (const entry of strings(isRecord(listener) ? listener.hosts : undefined)) {
      const parsed = concreteImport(entry, own);
      const entries = parsed ? index.entriesFor(parsed.host).filter(e => external(e, parsed.home)) : [];
      if (parsed && entries.length > 0) {
        hosts.set(parsed.host, [...new Set([...(hosts.get(parsed.host) ?? []), ...entries])]);
      }
    }
  }
  return [...hosts].map(([host, entries]) => ({ host, entries }));
}

/**
 * SIDECAR_CREDENTIAL (pilot cluster_tls.go, buildUpstreamClusterTLSContext): a sidecar builds no TLS
 * for SIMPLE or MUTUAL settings that name a credentialName (other than configmap://) in a
 * DestinationRule without workloadSelector. Where the sidecars connect to the host themselves (no mesh
 * route sends it to a gateway), the traffic leaves without the TLS the rule asks for. Not so for a
 * rule that an ambient waypoint applies to the host and that no other namespace sees: the waypoint is
 * a gateway proxy and reads the Secret (Istio's ambient egress task with mutual TLS origination).
 */
/** The DestinationRules (their indexes) that originate TLS at a waypoint of their own namespace and are exported to it alone. */
function waypointOriginationRules(index: ObjectIndex): Set<number> {
  const rules = new Set<number>();
  for (const path of egressPaths(index).hosts.flatMap(h => h.ports)) {
    const rule = path.waypoint?.tlsOrigination?.destinationRule;
    const exportTo = rule ? strings(rule.object.spec?.exportTo) : [];
    const own = rule && namespaceOf(rule.object);
    if (rule && namespaceOf(path.waypoint!.gateway.object) === own && exportTo.length > 0 && exportTo.every(e => e === '.' || e === own)) {
      rules.add(rule.index);
    }
  }
  return rules;
}

function ignoredSidecarCredentials(index: ObjectIndex): ObjectFinding[] {
  const findings: ObjectFinding[] = [];
  // The egress paths behind this are wanted only for a rule that names a credential (few do).
  let atWaypoints: Set<number> | undefined;
  for (const dr of index.destinationRules) {
    const spec = dr.object.spec;
    if (!isRecord(spec) || spec.workloadSelector !== undefined || typeof spec.host !== 'string') {
      continue;
    }
    const host = spec.host;
    const own = namespaceOf(dr.object);
    for (const { field, tls, port } of clientTlsSettings(spec)) {
      const credential = tls.credentialName;
      if (!((tls.mode === 'SIMPLE' || tls.mode === 'MUTUAL') && typeof credential === 'string' && credential !== '' && !credential.startsWith('configmap://'))) {
        continue;
      }
      atWaypoints ??= waypointOriginationRules(index);
      // The rule's settings for a port apply only where the sidecars send that port's traffic to the host themselves.
      if (atWaypoints.has(dr.index) || routedAway(index, host, own, blocksForPort(index, host, own, typeof port === 'number' ? port : undefined))) {
        continue;
      }
      findings.push(objectFinding(dr.index, 'SIDECAR_CREDENTIAL', 'error', `${field}.credentialName`, credential,
        `sidecars ignore ${tls.mode} TLS settings that name a credentialName in a DestinationRule without workloadSelector (only gateways `
        + `and rules with a workloadSelector read Secrets): the sidecars send to ${spec.host}${port === undefined ? '' : ` port ${show(port)}`} without TLS`,
        'verify with caCertificates (a file in the proxy, e.g. /etc/ssl/certs/ca-certificates.crt) instead of credentialName, add a workloadSelector, '
        + 'or originate TLS at the egress gateway (EgressGatewayRoute: tlsOrigination)'));
    }
  }
  return findings;
}
