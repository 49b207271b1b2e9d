/**
 * Gateway API routes as Istio 1.30 converts them (pilot/pkg/config/kube/gateway/conversion.go
 * buildDestination): backendRefs Istio cannot turn into a destination, whatever else exists.
 * The API server's checks (the CRD schema and its CEL rules) are not repeated here.
 */
import { Finding, Manifest, asArray, goQuote, isRecord, show } from '../finding';

export const ISTIO_GROUP = 'networking.istio.io';

/** A backendRef as Istio reads it: the group and kind default to the core Service. */
export interface BackendRef {
  readonly field: string;
  readonly group: string;
  readonly kind: string;
  readonly name?: string;
  readonly namespace?: string;
  readonly port?: unknown;
}

/** Every backendRef of a route (rules[].backendRefs[]; for HTTP and gRPC also the filters' mirror targets are left out). */
export function backendRefsOf(route: Manifest): BackendRef[] {
  const out: BackendRef[] = [];
  asArray(route.spec?.rules).forEach((rule, r) => {
    asArray(isRecord(rule) ? rule.backendRefs : undefined).forEach((ref, b) => {
      if (isRecord(ref)) {
        out.push({
          field: `spec.rules[${r}].backendRefs[${b}]`,
          group: typeof ref.group === 'string' ? ref.group : '',
          kind: typeof ref.kind === 'string' ? ref.kind : 'Service',
          name: typeof ref.name === 'string' ? ref.name : undefined,
          namespace: typeof ref.namespace === 'string' ? ref.namespace : undefined,
          port: ref.port,
        });
      }
    });
  });
  return out;
}

function finding(field: string, value: unknown, message: string, fix: string): Finding {
  return { rule: 'GAPI_BACKEND_REF', severity: 'error', field, value, message, fix };
}

/** The per-object rules of HTTPRoute, GRPCRoute, TLSRoute and TCPRoute. */
export function checkRoute(route: Manifest): Finding[] {
  const findings: Finding[] = [];
  for (const ref of backendRefsOf(route)) {
    if (ref.group === '' && ref.kind === 'Service') {
      if (ref.name?.includes('.')) {
        findings.push(finding(`${ref.field}.name`, ref.name, 'service name invalid; the name of the Service must be used, not the hostname.',
          `write the Service's name (${ref.name.split('.')[0]}) and its namespace in namespace, or use kind: Hostname, group: ${ISTIO_GROUP} for a host`));
      }
    } else if (ref.group === ISTIO_GROUP && ref.kind === 'Hostname') {
      if (ref.namespace !== undefined) {
        findings.push(finding(`${ref.field}.namespace`, ref.namespace, 'namespace may not be set with Hostname type',
          'remove namespace: the host is looked up as the route\'s namespace sees it'));
      }
      if (ref.port === undefined) {
        findings.push(finding(ref.field, undefined, 'port is required in backendRef', 'add the port of the host to send to, e.g. port: 443'));
      }
    } else if (!(ref.group === 'multicluster.x-k8s.io' && ref.kind === 'ServiceImport') && !(ref.group === 'inference.networking.k8s.io' && ref.kind === 'InferencePool')) {
      findings.push(finding(ref.field, { group: ref.group, kind: ref.kind },
        `referencing unsupported backendRef: group ${goQuote(show(ref.group))} kind ${goQuote(show(ref.kind))}`,
        `refer to a Service (group "", kind Service) or to a host (group ${ISTIO_GROUP}, kind Hostname)`));
    }
  }
  return findings;
}

/** ReferenceGrant: nothing Istio refuses in the object alone beyond its schema. */
export function checkNothingMore(): Finding[] {
  return [];
}
