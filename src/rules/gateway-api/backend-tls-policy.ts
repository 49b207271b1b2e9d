/**
 * BackendTLSPolicy as Istio 1.30 reads it (pilot/pkg/config/kube/gateway/backend_policies.go
 * BackendTLSPolicyCollection, getBackendTLSCredentialName): what the API server accepts (the CRD schema
 * and its CEL rules, not repeated here) but Istio does not apply as written.
 */
import { Finding, Manifest, asArray, isRecord, show } from '../finding';

const ISTIO_GROUP = 'networking.istio.io';

/** The per-object rules of a BackendTLSPolicy. */
export function checkBackendTlsPolicy(policy: Manifest): Finding[] {
  const findings: Finding[] = [];
  asArray(policy.spec?.targetRefs).forEach((ref, i) => {
    if (!isRecord(ref)) {
      return;
    }
    const group = typeof ref.group === 'string' ? ref.group : '';
    // BackendTLSPolicyCollection: "unsupported reference kind" for anything but a Service or a ServiceEntry.
    if (!(group === '' && ref.kind === 'Service') && !(group === ISTIO_GROUP && ref.kind === 'ServiceEntry')) {
      findings.push({
        rule: 'BTP_TARGET_KIND',
        severity: 'error',
        field: `spec.targetRefs[${i}]`,
        value: { group, kind: ref.kind },
        message: `targetRefs invalid: unsupported reference kind: ${show(ref.kind)}; Istio originates no TLS for this target`,
        fix: `target a Service (group "", kind Service) or a ServiceEntry (group ${ISTIO_GROUP}, kind ServiceEntry)`,
      });
    }
  });
  const validation = isRecord(policy.spec?.validation) ? policy.spec.validation : {};
  const wellKnown = validation.wellKnownCACertificates;
  // getBackendTLSCredentialName: only System is known; the policy is then not Accepted.
  if (typeof wellKnown === 'string' && wellKnown !== '' && wellKnown !== 'System') {
    findings.push({
      rule: 'BTP_CA',
      severity: 'warning',
      field: 'spec.validation.wellKnownCACertificates',
      value: wellKnown,
      message: `Unknown wellKnownCACertificates: ${wellKnown}; Istio verifies against the proxy's system CAs and marks the policy not Accepted`,
      fix: 'write wellKnownCACertificates: System, or give the CA in a ConfigMap with caCertificateRefs',
    });
    return findings;
  }
  const refs = asArray(validation.caCertificateRefs);
  const first = refs[0];
  // Only the first reference is read, and only a ConfigMap: any other kind blocks the traffic.
  if (isRecord(first) && !((first.group ?? '') === '' && first.kind === 'ConfigMap')) {
    findings.push({
      rule: 'BTP_CA',
      severity: 'error',
      field: 'spec.validation.caCertificateRefs[0]',
      value: { group: first.group, kind: first.kind },
      message: `Certificate reference invalid: unsupported reference kind: ${show(first.kind)}; Istio blocks the traffic to the target`,
      fix: 'put the CA (key ca.crt) in a ConfigMap of the policy\'s namespace and refer to it (group "", kind ConfigMap)',
    });
  }
  if (refs.length > 1) {
    findings.push({
      rule: 'BTP_CA',
      severity: 'warning',
      field: 'spec.validation.caCertificateRefs',
      value: refs.length,
      message: 'only the first caCertificateRefs will be used',
      fix: 'put every CA the server may use into the first ConfigMap (one ca.crt bundle), and list that one only',
    });
  }
  return findings;
}
