/**
 * IST0132 VirtualServiceHostNotFoundInGateway (virtualservice/gateways.go): a VirtualService bound to
 * a Gateway none of whose server hosts, as seen from the VirtualService's namespace, matches any of
 * the VirtualService's hosts. The Gateway then never uses the routes.
 *
 * A server host `ns/host` counts only for VirtualServices in `ns`; `./host` means the Gateway's own
 * namespace; `*\/host` and a plain `host` count everywhere, and `*\/*` makes the whole server `*`.
 * Hosts match as Istio's host names do (`*.example.com` matches `api.example.com`).
 *
 * Where the Gateway is not among the objects, its hosts are unknown and nothing is said (Istio's
 * analyzer reports IST0132 next to the IST0101 for the missing Gateway; the IST0101 says it all).
 */
import { IndexedObject, MESH, ObjectIndex, label, namespaceOf, resolveGatewayRef } from './model';
import { ObjectFinding, objectFinding } from './object-finding';
import { asArray, isRecord } from '../rules/finding';
import { hostsMatch } from '../rules/names';

export function checkGatewayHosts(index: ObjectIndex): ObjectFinding[] {
  const serverHosts = new Map<IndexedObject, string[]>();
  const findings: ObjectFinding[] = [];
  for (const vs of index.virtualServices) {
    const namespace = namespaceOf(vs.object);
    const vsHosts = asArray(vs.object.spec?.hosts).filter((h): h is string => typeof h === 'string');
    asArray(vs.object.spec?.gateways).forEach((ref, i) => {
      if (typeof ref !== 'string' || ref === MESH) {
        return;
      }
      const gateway = index.gateways.get(resolveGatewayRef(ref, namespace));
      if (!gateway) {
        return;
      }
      let hosts = serverHosts.get(gateway);
      if (!hosts) {
        hosts = sanitizedServerHosts(gateway.object);
        serverHosts.set(gateway, hosts);
      }
      const visible = hostsForNamespace(hosts, namespace);
      if (visible.some(gh => vsHosts.some(vh => hostsMatch(gh, vh)))) {
        return;
      }
      findings.push(objectFinding(vs.index, 'IST0132', 'warning', `spec.gateways[${i}]`, ref,
        `one or more host [${vsHosts.join(' ')}] defined in VirtualService ${label(vs.object)} not found in Gateway ${label(gateway.object)}.`,
        visible.length === 0
          ? `the Gateway's servers declare no host for namespace ${namespace}: add "${namespace}/${vsHosts[0] ?? '<host>'}" (or "*/${vsHosts[0] ?? '<host>'}") to the Gateway's server hosts`
          : `route a host the Gateway serves here (${visible.join(', ')}), or add the VirtualService's host to the Gateway's servers`));
    });
  }
  return findings;
}

/** The hosts of every server, with `./` made the Gateway's namespace, `*\/` dropped, and a `*\/*` server reduced to `*`. */
function sanitizedServerHosts(gateway: IndexedObject['object']): string[] {
  const namespace = namespaceOf(gateway);
  return asArray(gateway.spec?.servers).filter(isRecord).flatMap(server => {
    const hosts = asArray(server.hosts).filter((h): h is string => typeof h === 'string');
    const out: string[] = [];
    for (const host of hosts) {
      if (!host.includes('/')) {
        out.push(host);
        continue;
      }
      const [ns, name = ''] = host.split('/');
      if (ns === '*' && name === '*') {
        return ['*'];
      }
      out.push(ns === '.' ? `${namespace}/${name}` : ns === '*' ? name : host);
    }
    return out;
  });
}

/** The hosts a namespace sees: `ns/host` only in `ns` (or `*`), without its namespace part (host.NamesForNamespace). */
function hostsForNamespace(hosts: string[], namespace: string): string[] {
  return hosts.flatMap(host => {
    const slash = host.indexOf('/');
    if (slash < 0) {
      return [host];
    }
    const ns = host.slice(0, slash);
    return ns === namespace || ns === '*' ? [host.slice(slash + 1)] : [];
  });
}
