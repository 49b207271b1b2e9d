/**
 * Objects and finders shared by the tests of src/analysis/egress-intent.ts: the egress gateway's Service, pods and
 * TLS port, a route through the gateway, a NetworkPolicy, and the module's findings of one rule, called directly.
 */
import { meta, virtualService } from './objects';
import { checkEgressIntent } from '../../src/analysis/egress-intent';
import { ObjectIndex } from '../../src/analysis/model';
import { ObjectFinding } from '../../src/analysis/object-finding';
import { assertValidIstioObjects } from '../support/crd-validator';
import { helpful } from '../support/findings';

export const GATEWAY_SERVICE = 'istio-egressgateway.istio-system.svc.cluster.local';
export const EGRESS_PODS = { istio: 'egressgateway' };
export const TLS_443 = { number: 443, name: 'tls', protocol: 'TLS' };

/** The module's findings of one check (its rule name), in full. */
export function intentFindings(rule: string, objects: any[]): ObjectFinding[] {
  return helpful(checkEgressIntent(new ObjectIndex(objects))).filter(f => f.rule === rule);
}

/** The module's findings of one check as `[index, field, value]`. */
export function intentAt(rule: string, objects: any[]): Array<[number, string, unknown]> {
  return intentFindings(rule, objects).map(f => [f.index, f.field, f.value]);
}

/** Asserts that `objects` have no finding of `rule` and that the API server takes them. */
export function intentAccepts(rule: string, objects: any[]): void {
  expect(intentAt(rule, objects)).toEqual([]);
  assertValidIstioObjects(objects);
}

export function networkPolicy(name: string, ns: string, spec: Record<string, unknown>) {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta(name, ns), spec };
}

/** A VirtualService of `ns` that sends `host` from the sidecars to the egress gateway, and from the gateway on to `destination`. */
export function throughGateway(host: string, ns = 'default', destination = host, extra: Record<string, unknown> = {}) {
  return virtualService('api', ns, {
    hosts: [host],
    gateways: ['mesh', 'istio-system/egress'],
    ...extra,
    tls: [
      { match: [{ gateways: ['mesh'], port: 443, sniHosts: [host] }], route: [{ destination: { host: GATEWAY_SERVICE, port: { number: 443 } } }] },
      { match: [{ gateways: ['istio-system/egress'], port: 443, sniHosts: [host] }], route: [{ destination: { host: destination, port: { number: 443 } } }] },
    ],
  });
}
