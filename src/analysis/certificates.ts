/**
 * The certificates of Gateway servers:
 * - IST0138 GatewayDuplicateCertificate (gateway/certificate.go): two Gateways on the same pods serve
 *   the same certificate (the same credentialName, or the same serverCertificate and privateKey files).
 *   Clients that reuse an HTTP/2 connection for both hosts then get 404s. A Gateway is compared with
 *   the Gateways whose selector includes all of its labels (every Gateway when it has no selector).
 * - IST0101 credentialName (gateway/secret.go): the Secret a server's credentialName names is not in
 *   the namespace of the gateway pods. Said only where those pods and the Secrets of their namespace
 *   are known (Secrets among the objects, or in the cluster objects).
 */
import { GatewayWorkloadFinder, gatewaySelectorOf } from './gateway-workloads';
import { IndexedObject, ObjectIndex, label, selects } from './model';
import { ObjectFinding, objectFinding } from './object-finding';
import { asArray, isRecord } from '../rules/finding';

export function checkGatewayCertificates(index: ObjectIndex, gatewayPods: Array<Record<string, string>> = []): ObjectFinding[] {
  return [...duplicateCertificates(index), ...missingCredentials(index, gatewayPods)];
}

/** What identifies a server's certificate for the analyzer (haveSameCertificate), or undefined. */
function certificateKey(tls: unknown): string | undefined {
  if (!isRecord(tls)) {
    return undefined;
  }
  if (isNonEmptyString(tls.credentialName)) {
    return `credentialName ${tls.credentialName}`;
  }
  return isNonEmptyString(tls.serverCertificate) && isNonEmptyString(tls.privateKey) ? `files ${tls.serverCertificate}\u0000${tls.privateKey}` : undefined;
}

/** A module function, not a closure: tsx (the bench and the examples run this source) names every closure kept in a variable with a defineProperty call, for every server. */
function isNonEmptyString(x: unknown): boolean {
  return typeof x === 'string' && x !== '';
}

function duplicateCertificates(index: ObjectIndex): ObjectFinding[] {
  // certificate -> gateways serving it, with their selectors
  const byCertificate = new Map<string, Array<{ gateway: IndexedObject; selector: Record<string, unknown> }>>();
  const keysOf = new Map<IndexedObject, Array<{ server: number; key: string }>>();
  for (const gateway of index.gateways.values()) {
    const keys: Array<{ server: number; key: string }> = [];
    asArray(gateway.object.spec?.servers).forEach((server, s) => {
      const key = isRecord(server) ? certificateKey(server.tls) : undefined;
      if (key !== undefined) {
        keys.push({ server: s, key });
      }
    });
    keysOf.set(gateway, keys);
    for (const key of new Set(keys.map(k => k.key))) {
      byCertificate.set(key, [...(byCertificate.get(key) ?? []), { gateway, selector: gatewaySelectorOf(gateway.object) }]);
    }
  }
  const findings: ObjectFinding[] = [];
  for (const [gateway, keys] of keysOf) {
    const selector = gatewaySelectorOf(gateway.object);
    for (const { server, key } of keys) {
      for (const other of byCertificate.get(key) ?? []) {
        if (other.gateway === gateway || label(other.gateway.object) === label(gateway.object) || !selects(selector, stringValues(other.selector))) {
          continue;
        }
        findings.push(objectFinding(gateway.index, 'IST0138', 'warning', `spec.servers[${server}].tls`, key.slice(key.indexOf(' ') + 1).split('\u0000')[0],
          `Duplicate certificate in multiple gateways [${label(gateway.object)} ${label(other.gateway.object)}] may cause 404s if clients re-use HTTP2 connections.`,
          'give each Gateway on these pods its own certificate, or serve the hosts from one Gateway server'));
      }
    }
  }
  return findings;
}

function stringValues(x: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(x).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
}

function missingCredentials(index: ObjectIndex, gatewayPods: Array<Record<string, string>>): ObjectFinding[] {
  const finder = new GatewayWorkloadFinder(index, gatewayPods);
  const findings: ObjectFinding[] = [];
  for (const gateway of index.gateways.values()) {
    const servers = asArray(gateway.object.spec?.servers);
    if (!servers.some(s => isRecord(s) && isRecord(s.tls) && typeof s.tls.credentialName === 'string' && s.tls.credentialName !== '')) {
      continue;
    }
    const namespaces = finder.find(gateway.object)?.namespaces;
    if (!namespaces || namespaces.size === 0) {
      continue;
    }
    servers.forEach((server, s) => {
      const name = isRecord(server) && isRecord(server.tls) ? server.tls.credentialName : undefined;
      if (typeof name !== 'string' || name === '') {
        return;
      }
      const places = [...namespaces].map(ns => (name.includes('/') ? { ns: name.slice(0, name.indexOf('/')), secret: name.slice(name.indexOf('/') + 1) } : { ns, secret: name }));
      const missing = places.every(({ ns, secret }) => {
        const known = index.secretsIn(ns);
        return known !== undefined && !known.has(secret);
      });
      if (missing) {
        findings.push(objectFinding(gateway.index, 'IST0101', 'error', `spec.servers[${s}].tls.credentialName`, name,
          `Referenced credentialName not found: "${name}"`,
          name.includes('/') ? `create the Secret ${places[0].secret} in namespace ${places[0].ns}, which the name gives, or correct the name`
            : `create the Secret ${places[0].secret} in namespace ${places.map(p => p.ns).join(', ')}, where the gateway pods run, or correct the name`));
      }
    });
  }
  return findings;
}
