/**
 * Configurations that Istio accepts and runs, but that let more traffic out (or trust more servers)
 * than the library's secure defaults: TLS that does not verify the server (UNVERIFIED_TLS), and a
 * resolution-NONE entry whose TCP port opens that port to every address (TCP_ANY_ADDRESS).
 *
 * Istio only warns about neighbours of these (IST0128/IST0129 for origination without
 * caCertificates, SE13 for TCP without addresses). Where one of these findings covers the same
 * field, Istio's warning is dropped (superseded.ts), so that a field is reported once.
 */
import { IndexedObject, ObjectIndex, label } from './model';
import { ObjectFinding, objectFinding } from './object-finding';
import { asArray, isRecord, show } from '../rules/finding';
import { parseProtocol } from '../rules/protocol';

/** Client TLS modes that make the proxy verify a server certificate. */
const VERIFYING_MODES = ['SIMPLE', 'MUTUAL', 'ISTIO_MUTUAL'];
/** Port protocols whose traffic carries no host name (unset ports are sniffed and fall back to TCP). */
const OPAQUE = ['TCP', 'Mongo', 'MySQL', 'Redis'];

export function checkWeakenings(index: ObjectIndex): ObjectFinding[] {
  return [...index.destinationRules.flatMap(unverifiedTls), ...index.serviceEntries.flatMap(tcpToAnyAddress)];
}

/** A DestinationRule's client TLS settings with their fields: top level, per port, per subset. */
export function clientTlsSettings(spec: unknown): Array<{ field: string; tls: Record<string, any>; port?: unknown }> {
  const out: Array<{ field: string; tls: Record<string, any>; port?: unknown }> = [];
  const policy = (p: unknown, field: string) => {
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
  };
  if (isRecord(spec)) {
    policy(spec.trafficPolicy, 'spec.trafficPolicy');
    asArray(spec.subsets).forEach((subset, i) => policy(isRecord(subset) ? subset.trafficPolicy : undefined, `spec.subsets[${i}].trafficPolicy`));
  }
  return out;
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
