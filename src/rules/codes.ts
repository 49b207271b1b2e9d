/**
 * Every finding has a code. Istio's own checks keep Istio's codes (IST0106 for webhook errors,
 * IST0133 for webhook warnings, the analyzers' IST codes). The library's own findings have EGR
 * codes whose hundreds say why they matter:
 * - EGR0xx: the API server refuses the object (or the rules cannot read it);
 * - EGR1xx: Istio accepts it, but it does not work as written (silently ignored, bypassed, unreachable);
 * - EGR2xx: it works, but weakens egress control against the library's secure defaults.
 * EGR1xx and EGR2xx findings can be acknowledged where the configuration is meant that way.
 *
 * A few EGR2xx choices are the opposite of the library's secure defaults (REFUSED_AT_SYNTH): Istio runs
 * them, so `lint` only warns about them in anyone's YAML, but the constructs do not write them unless
 * the user acknowledges the choice.
 */
import { Finding } from './finding';

/** Why a finding matters. */
export type Basis = 'rejected' | 'istio-warning' | 'analyzer' | 'ineffective' | 'weakens';

/** The library's own rule ids and their codes. */
export const OWN_CODES: Readonly<Record<string, string>> = {
  UNCHECKABLE: 'EGR001',
  UNKNOWN_FIELD: 'EGR002',
  API_VERSION: 'EGR003',
  YAML_NUMBER: 'EGR004',
  K8S_NAME: 'EGR005',
  DUPLICATE_NAME: 'EGR101',
  BYPASS: 'EGR102',
  LOCKDOWN: 'EGR103',
  GWTCP: 'EGR104',
  SERESOLUTION: 'EGR105',
  SEPROTOCOL: 'EGR106',
  // Egress setups that do not do what they say (src/analysis/egress-intent.ts).
  GATEWAY_LOOP: 'EGR107',
  IDENTITY_WITHOUT_MTLS: 'EGR108',
  HIDDEN_HOST: 'EGR109',
  DIRECT_HOST_BLOCKED: 'EGR110',
  SIDECAR_CREDENTIAL: 'EGR111',
  // A host taken by a wildcard mesh route that sends it elsewhere (src/analysis/wildcard-routes.ts).
  WILDCARD_CAPTURE: 'EGR119',
  // Working configurations that let more out than the secure defaults (src/analysis/weakening.ts).
  UNVERIFIED_TLS: 'EGR201',
  TCP_ANY_ADDRESS: 'EGR202',
  // A locked-down namespace routed by another namespace's VirtualService to a subset it cannot see (src/analysis/client-subsets.ts).
  SUBSET_NOT_SEEN: 'EGR118',
  // Weak input that Istio accepts silently (src/analysis/weak-input.ts).
  STATIC_NO_ENDPOINTS: 'EGR114',
  EXPORT_EVERYWHERE: 'EGR203',
  GATEWAY_ANY_POD: 'EGR204',
  // Kubernetes Services for external destinations as Istio reads them (src/analysis/kubernetes-services.ts).
  ALIAS_POLICY: 'EGR115',
  ENDPOINTS_UNMATCHED: 'EGR116',
  ALIAS_UNREGISTERED: 'EGR117',
  // Lockdown choices that weaken it, refused by EgressLockdown unless acknowledged (src/egress-lockdown.ts).
  NETPOL_ANY_ADDRESS: 'EGR205',
  ALLOW_ANY: 'EGR206',
  // Egress paths whose hops do not fit together (src/analysis/tls-agreement.ts, gateway-hops.ts, port-bypass.ts).
  GWTLS: 'EGR130',
  GWSNI: 'EGR131',
  GWSERVER: 'EGR132',
  GWROUTE: 'EGR133',
  DOUBLETLS: 'EGR134',
  PORTBYPASS: 'EGR220',
  // Objects that Istio accepts but that cannot take effect, seen from the object alone (src/rules/).
  VSR1: 'EGR112',
  GW27: 'EGR113',
  // The Gateway API as Istio reads it (src/rules/gateway-api/, src/analysis/gateway-api-*.ts): ignored, or does not attach.
  GAPI_PROTOCOL: 'EGR140',
  GAPI_TCP_ALPHA: 'EGR141',
  GAPI_WAYPOINT_LISTENER: 'EGR142',
  GAPI_TLS_OPTION: 'EGR143',
  GAPI_SERVICE_TYPE: 'EGR144',
  GAPI_CERTIFICATES: 'EGR145',
  GAPI_BACKEND_REF: 'EGR146',
  GAPI_PARENT: 'EGR147',
  GAPI_BACKEND: 'EGR148',
  GAPI_NOT_ALLOWED: 'EGR149',
  GAPI_REFERENCE_GRANT: 'EGR150',
  GAPI_HOSTNAME: 'EGR151',
  GAPI_WAYPOINT: 'EGR152',
  GAPI_POLICY_TARGET: 'EGR153',
  // A BackendTLSPolicy and a DestinationRule with client TLS for one host and port (src/analysis/backend-tls-policies.ts).
  BACKEND_TLS_OVERLAP: 'EGR154',
  // Before Istio 1.31, the rule Istio makes from a BackendTLSPolicy replaces a DestinationRule's traffic policy in one namespace.
  BACKEND_TLS_MERGE: 'EGR157',
  // BackendTLSPolicy fields Istio does not apply as written (src/rules/gateway-api/backend-tls-policy.ts).
  BTP_TARGET_KIND: 'EGR155',
  BTP_CA: 'EGR156',
};

/** Warnings of lint that fail the synth of the library's own objects unless acknowledged (see above). */
const REFUSED_AT_SYNTH: ReadonlySet<string> = new Set([
  OWN_CODES.UNVERIFIED_TLS,
  OWN_CODES.TCP_ANY_ADDRESS,
  OWN_CODES.EXPORT_EVERYWHERE,
  OWN_CODES.GATEWAY_ANY_POD,
  OWN_CODES.NETPOL_ANY_ADDRESS,
  OWN_CODES.ALLOW_ANY,
]);

/** Whether a finding about an object the library's constructs wrote fails the synth (unless acknowledged). */
export function refusedAtSynth(finding: Finding): boolean {
  return finding.severity === 'error' || REFUSED_AT_SYNTH.has(codeOf(finding));
}

/** The finding's code: its own, its rule's, or (for a rule id of Istio's webhook) IST0106/IST0133 by severity. */
export function codeOf(finding: Finding): string {
  if (finding.code !== undefined) {
    return finding.code;
  }
  if (Object.hasOwn(OWN_CODES, finding.rule)) {
    return OWN_CODES[finding.rule];
  }
  return finding.rule.startsWith('IST') || finding.rule.startsWith('EGR') ? finding.rule : finding.severity === 'error' ? 'IST0106' : 'IST0133';
}

/** The finding with its code set. */
export function withCode<F extends Finding>(finding: F): F & { readonly code: string } {
  return finding.code !== undefined ? finding as F & { code: string } : { ...finding, code: codeOf(finding) };
}

export function basisOf(finding: Finding): Basis {
  const code = codeOf(finding);
  if (code === 'IST0106') {
    return 'rejected';
  }
  if (code === 'IST0133') {
    return 'istio-warning';
  }
  if (code.startsWith('EGR1')) {
    return 'ineffective';
  }
  if (code.startsWith('EGR2')) {
    return 'weakens';
  }
  return code.startsWith('EGR') ? 'rejected' : 'analyzer';
}
