/**
 * Configurations that Istio (or Kubernetes) accepts and runs, but that let more traffic out (or trust
 * more servers) than the library's secure defaults: TLS that does not verify the server
 * (UNVERIFIED_TLS), a resolution-NONE entry whose TCP port opens that port to every address
 * (TCP_ANY_ADDRESS), a NetworkPolicy egress rule to a block of every address (NETPOL_ANY_ADDRESS),
 * and a Sidecar that lets its workloads reach unregistered hosts (ALLOW_ANY).
 *
 * Istio only warns about neighbours of these (IST0128/IST0129 for origination without
 * caCertificates, SE13 for TCP without addresses). Where one of these findings covers the same
 * field, Istio's warning is dropped (superseded.ts), so that a field is reported once.
 */
import { IndexedObject, ObjectIndex, label } from './model';
import { ObjectFinding, objectFinding } from './object-finding';
import { asArray, isRecord, show } from '../rules/finding';
import { isEveryAddress } from '../rules/names';
import { parseProtocol } from '../rules/protocol';

/** Client TLS modes that make the proxy verify a server certificate. */
const VERIFYING_MODES = ['SIMPLE', 'MUTUAL', 'ISTIO_MUTUAL'];
/** Port protocols whose traffic carries no host name (unset ports are sniffed and fall back to TCP). */
const OPAQUE = ['TCP', 'Mongo', 'MySQL', 'Redis'];

export function checkWeakenings(index: ObjectIndex): ObjectFinding[] {
  return [
    ...index.destinationRules.flatMap(unverifiedTls), ...index.serviceEntries.flatMap(tcpToAnyAddress),
    ...index.of('networkPolicy').flatMap(egressToAnyAddress), ...index.sidecars.flatMap(allowAny),
  ];
}

/** A DestinationRule's client TLS settings with their fields: top level, per port, per subset. */
export function clientTlsSettings(spec: unknown): Array<{ field: string; tls: Record<string, any>; port?: unknown }> {
  const out: Array<{ field: string; tls: Record<string, any>; port?: unknown }> = [];
  if (isRecord(spec)) {
    addPolicyTls(out, spec.trafficPolicy, 'spec.trafficPolicy');
    asArray(spec.subsets).forEach((subset, i) => addPolicyTls(out, isRecord(subset) ? subset.trafficPolicy : undefined, `spec.subsets[${i}].trafficPolicy`));
  }
  return out;
}

/**
 * The TLS settings of one traffic policy. A module function, not a closure: tsx (the bench and the examples run this source) names every closure kept in a variable with a defineProperty call, and this runs for every DestinationRule.
 */
function addPolicyTls(out: Array<{ field: string; tls: Record<string, any>; port?: unknown }>, p: unknown, field: string): void {
  if (!isRecord(p)) {
    return;
  }
  if (isRecord(p.tls)) {
    out.push({ field: `${field}.tls`, tls: p.tls });
  }
  asArray(p.portLevelSettings).forEach((setting, i) => {
    if (isRecord(setting) && isRecord(setting.tls)) {
      out.push({ field: `${field}.portLevelSettings[${i}].tls`, tls: setting.tls, port: isRecord(setting.port) ? setting.port.number : undefined });
    }
  });
}

/** UNVERIFIED_TLS: `insecureSkipVerify: true` on TLS the proxy opens: any server certificate is accepted. */
function unverifiedTls(dr: IndexedObject): ObjectFinding[] {
  const host = show(dr.object.spec?.host ?? '');
  return clientTlsSettings(dr.object.spec).filter(({ tls }) => tls.insecureSkipVerify === true && VERIFYING_MODES.includes(tls.mode))
    .map(({ field, tls, port }) => objectFinding(dr.index, 'UNVERIFIED_TLS', 'warning', `${field}.insecureSkipVerify`, true,
      `the proxy opens ${show(tls.mode)} TLS to ${host}${port === undefined ? '' : ` on port ${show(port)}`} without verifying the server's `
      + 'certificate, so anyone on the path can pose as the server and read the traffic',
      'remove insecureSkipVerify: with caCertificates, a credentialName holding the CA, or neither (Istio 1.30 then uses the proxy\'s '
      + 'system CA bundle) the server is verified; if it must stay, acknowledge EGR201 (TlsOrigination.withoutServerVerification() does)'));
}

/**
 * TCP_ANY_ADDRESS: a resolution-NONE entry without addresses makes the sidecars accept an opaque TCP port
 * for any destination address and forward it there: every server on that port becomes reachable.
 */
function tcpToAnyAddress(se: IndexedObject): ObjectFinding[] {
  const spec = se.object.spec;
  if (!isRecord(spec) || (spec.resolution ?? 'NONE') !== 'NONE' || asArray(spec.addresses).length > 0 || spec.workloadSelector !== undefined) {
    return [];
  }
  const hosts = asArray(spec.hosts).filter(h => typeof h === 'string').join(', ');
  return asArray(spec.ports).flatMap((port, i) => {
    if (!isRecord(port) || !isOpaque(port.protocol)) {
      return [];
    }
    const number = show(port.number);
    return [objectFinding(se.index, 'TCP_ANY_ADDRESS', 'warning', `spec.ports[${i}].protocol`, port.protocol,
      `ServiceEntry ${label(se.object)} has resolution NONE and no addresses, so the sidecars that see it accept ${port.protocol ? show(port.protocol) : 'TCP'} `
      + `on port ${number} for every destination address and pass it on: workloads reach any server on port ${number}, not only ${hosts} `
      + '(Istio only warns: addresses are required for ports serving TCP (or unset) protocol when IP Autoallocation is not enabled)',
      'list the host\'s IP addresses or CIDR blocks in spec.addresses (ExternalHost: addresses), or resolve it with DNS; '
      + 'if every address on the port is meant, acknowledge EGR202')];
  });
}

function isOpaque(protocol: unknown): boolean {
  return protocol === undefined || protocol === null || protocol === '' || OPAQUE.includes(parseProtocol(protocol) ?? '');
}

/**
 * NETPOL_ANY_ADDRESS: a NetworkPolicy egress rule whose peer is an IP block of every address
 * (`0.0.0.0/0`, `::/0`, with or without exceptions): the selected pods may send to any external
 * address on its ports, around the egress gateway and its policies.
 */
function egressToAnyAddress(policy: IndexedObject): ObjectFinding[] {
  const findings: ObjectFinding[] = [];
  asArray(policy.object.spec?.egress).forEach((rule, r) => {
    asArray(isRecord(rule) ? rule.to : undefined).forEach((peer, p) => {
      const cidr = isRecord(peer) && isRecord(peer.ipBlock) ? peer.ipBlock.cidr : undefined;
      if (!isEveryAddress(cidr)) {
        return;
      }
      const ports = asArray(isRecord(rule) ? rule.ports : undefined).length > 0 ? 'on the rule\'s ports' : 'on any port';
      findings.push(objectFinding(policy.index, 'NETPOL_ANY_ADDRESS', 'warning', `spec.egress[${r}].to[${p}].ipBlock.cidr`, cidr,
        `NetworkPolicy ${label(policy.object)} lets the pods it selects send to every address ${ports}, `
        + 'so they can reach external hosts directly, around the egress gateway and its policies',
        'allow only the addresses the pods need (the egress gateway pods by their labels, DNS, the control plane, known external '
        + 'blocks); if every address is meant, acknowledge EGR205'));
    });
  });
  return findings;
}

/** ALLOW_ANY: a Sidecar whose outboundTrafficPolicy lets its workloads reach hosts the mesh registry does not know. */
function allowAny(sidecar: IndexedObject): ObjectFinding[] {
  const policy = sidecar.object.spec?.outboundTrafficPolicy;
  if (!isRecord(policy) || policy.mode !== 'ALLOW_ANY') {
    return [];
  }
  return [objectFinding(sidecar.index, 'ALLOW_ANY', 'warning', 'spec.outboundTrafficPolicy.mode', 'ALLOW_ANY',
    `Sidecar ${label(sidecar.object)} lets the workloads it applies to reach any host, registered or not: unknown hosts pass `
    + 'through their sidecar without a ServiceEntry',
    'set outboundTrafficPolicy.mode to REGISTRY_ONLY and register the external hosts with ServiceEntries '
    + '(EgressLockdown: leave outboundPolicy out); if every host is meant, acknowledge EGR206')];
}
