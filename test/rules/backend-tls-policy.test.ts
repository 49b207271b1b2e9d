/**
 * Per-object rules of BackendTLSPolicy as Istio 1.30 reads it (backend_policies.go BackendTLSPolicyCollection,
 * getBackendTLSCredentialName): EGR155 (a target kind Istio does not support), EGR156 (a CA Istio cannot use).
 */
import { Finding, checkObject, codeOf } from '../../src/rules';
import { assertValidIstioObjects } from '../support/crd-validator';
import { helpful } from '../support/findings';

function tlsPolicy(targetRefs: unknown[], validation: Record<string, unknown>) {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'BackendTLSPolicy',
    metadata: { name: 'api-tls', namespace: 'egress' },
    spec: { targetRefs, validation: { hostname: 'api.example.com', ...validation } },
  };
}
const toEntry = { group: 'networking.istio.io', kind: 'ServiceEntry', name: 'api', sectionName: 'http' };
const configMap = (name: string) => ({ group: '', kind: 'ConfigMap', name });
const lines = (findings: Finding[]) => helpful(findings).map(f => `${codeOf(f)} ${f.severity} ${f.field}: ${f.message}`);

describe('BackendTLSPolicy', () => {
  test('accepted: a ServiceEntry or Service target, system CAs or one ConfigMap', () => {
    const accepted = [
      tlsPolicy([toEntry], { wellKnownCACertificates: 'System' }),
      tlsPolicy([{ group: '', kind: 'Service', name: 'backend' }], { caCertificateRefs: [configMap('api-ca')] }),
    ];
    for (const policy of accepted) {
      expect(checkObject(policy as any)).toEqual([]);
    }
    assertValidIstioObjects(accepted);
  });

  test('EGR155: a target kind Istio does not read', () => {
    const policy = tlsPolicy([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'egress' }], { wellKnownCACertificates: 'System' });
    assertValidIstioObjects([policy]);
    expect(lines(checkObject(policy as any))).toEqual([
      'EGR155 error spec.targetRefs[0]: targetRefs invalid: unsupported reference kind: Gateway; Istio originates no TLS for this target',
    ]);
  });

  test('EGR156: a Secret as CA blocks the traffic; refs after the first are ignored', () => {
    const policy = tlsPolicy([toEntry], { caCertificateRefs: [{ group: '', kind: 'Secret', name: 'api-ca' }, configMap('other-ca')] });
    assertValidIstioObjects([policy]);
    expect(lines(checkObject(policy as any))).toEqual([
      'EGR156 error spec.validation.caCertificateRefs[0]: Certificate reference invalid: unsupported reference kind: Secret; Istio blocks the traffic to the target',
      'EGR156 warning spec.validation.caCertificateRefs: only the first caCertificateRefs will be used',
    ]);
  });

  test('EGR156: a vendor wellKnownCACertificates', () => {
    const policy = tlsPolicy([toEntry], { wellKnownCACertificates: 'example.com/public' });
    assertValidIstioObjects([policy]);
    expect(lines(checkObject(policy as any))).toEqual([
      'EGR156 warning spec.validation.wellKnownCACertificates: Unknown wellKnownCACertificates: example.com/public; '
        + 'Istio verifies against the proxy\'s system CAs and marks the policy not Accepted',
    ]);
  });

  test('malformed input does not crash', () => {
    expect(checkObject({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'BackendTLSPolicy', metadata: { name: 'p' }, spec: { targetRefs: [1, null], validation: 'x' } } as any))
      .toEqual(expect.any(Array));
  });
});
