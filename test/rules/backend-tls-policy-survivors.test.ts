/**
 * BackendTLSPolicy findings the other example tests left unpinned: each in full (rule, severity, field, value,
 * message, fix), next to the closest input Istio 1.30.3 accepts. Conditions and messages follow
 * BackendTLSPolicyCollection (the targetRefs switch on *v1.Service / *networkingclient.ServiceEntry) and
 * getBackendTLSCredentialName (only the first caCertificateRefs, only a core ConfigMap) of
 * pilot/pkg/config/kube/gateway/backend_policies.go; Go reads an absent group as "" (the core group).
 */
import { checkBackendTlsPolicy } from '../../src/rules/gateway-api/backend-tls-policy';
import { assertValidIstioObjects } from '../support/crd-validator';
import { FindingRow, findingRows } from '../support/findings';

const ISTIO = 'networking.istio.io';
const tlsPolicy = (targetRefs: unknown[], validation: Record<string, unknown> = { wellKnownCACertificates: 'System' }): any => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'BackendTLSPolicy',
  metadata: { name: 'api-tls', namespace: 'egress' },
  spec: { targetRefs, validation: { hostname: 'api.example.com', ...validation } },
});
const toEntry = { group: ISTIO, kind: 'ServiceEntry', name: 'api' };
const toService = { group: '', kind: 'Service', name: 'backend' };
const findings = (object: any): FindingRow[] => findingRows(checkBackendTlsPolicy(object));

const TARGET_FIX = `target a Service (group "", kind Service) or a ServiceEntry (group ${ISTIO}, kind ServiceEntry)`;
const targetKind = (i: number, group: string, kind: string): FindingRow => [
  'BTP_TARGET_KIND', 'error', `spec.targetRefs[${i}]`, { group, kind },
  `targetRefs invalid: unsupported reference kind: ${kind}; Istio originates no TLS for this target`, TARGET_FIX,
];
const CA_FIX = 'put the CA (key ca.crt) in a ConfigMap of the policy\'s namespace and refer to it (group "", kind ConfigMap)';
const caKind = (group: unknown, kind: string): FindingRow => [
  'BTP_CA', 'error', 'spec.validation.caCertificateRefs[0]', { group, kind },
  `Certificate reference invalid: unsupported reference kind: ${kind}; Istio blocks the traffic to the target`, CA_FIX,
];

describe('targetRefs: a Service of the core group or a ServiceEntry of networking.istio.io, nothing else', () => {
  test('accepted: a core Service and an Istio ServiceEntry', () => {
    const policy = tlsPolicy([toService, toEntry]);
    expect(findings(policy)).toEqual([]);
    assertValidIstioObjects([policy]);
  });

  test('group and kind must pair up: a core ServiceEntry, an Istio Service, a core Pod are each refused with group and kind', () => {
    const policy = tlsPolicy([
      toEntry,
      { group: '', kind: 'ServiceEntry', name: 'api' },
      { group: ISTIO, kind: 'Service', name: 'backend' },
      { group: '', kind: 'Pod', name: 'backend' },
      toService,
    ]);
    assertValidIstioObjects([policy]);
    expect(findings(policy)).toEqual([
      targetKind(1, '', 'ServiceEntry'),
      targetKind(2, ISTIO, 'Service'),
      targetKind(3, '', 'Pod'),
    ]);
  });

  test('each mismatch on its own', () => {
    for (const [group, kind] of [['', 'ServiceEntry'], [ISTIO, 'Service'], ['', 'Pod'], [ISTIO, 'Sidecar']]) {
      const policy = tlsPolicy([{ group, kind, name: 'x' }]);
      assertValidIstioObjects([policy]);
      expect(findings(policy)).toEqual([targetKind(0, group, kind)]);
    }
  });

  // Deliberately malformed (the schema requires group): Go's zero value makes an absent group the core group.
  test('an absent group is read as the core group, as Go does', () => {
    expect(findings(tlsPolicy([{ kind: 'Service', name: 'backend' }]))).toEqual([]);
    expect(findings(tlsPolicy([{ kind: 'ServiceEntry', name: 'api' }]))).toEqual([targetKind(0, '', 'ServiceEntry')]);
  });

  // Deliberately malformed (the schema requires spec): no crash, no finding.
  test('a policy without spec has no finding', () => {
    expect(checkBackendTlsPolicy({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'BackendTLSPolicy', metadata: { name: 'p' } } as any)).toEqual([]);
  });
});

describe('caCertificateRefs: only a ConfigMap of the core group is read', () => {
  test('accepted: a core ConfigMap', () => {
    const policy = tlsPolicy([toEntry], { caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: 'api-ca' }] });
    expect(findings(policy)).toEqual([]);
    assertValidIstioObjects([policy]);
  });

  test('a ConfigMap of another group is refused, with its group and kind', () => {
    const policy = tlsPolicy([toEntry], { caCertificateRefs: [{ group: 'example.com', kind: 'ConfigMap', name: 'api-ca' }] });
    assertValidIstioObjects([policy]);
    expect(findings(policy)).toEqual([caKind('example.com', 'ConfigMap')]);
  });

  test('a core Secret is refused, with its group and kind', () => {
    const policy = tlsPolicy([toEntry], { caCertificateRefs: [{ group: '', kind: 'Secret', name: 'api-ca' }] });
    assertValidIstioObjects([policy]);
    expect(findings(policy)).toEqual([caKind('', 'Secret')]);
  });

  // Deliberately malformed (the schema requires group): an absent group is the core group, as in Go.
  test('a ConfigMap without a group is read as a core ConfigMap', () => {
    expect(findings(tlsPolicy([toEntry], { caCertificateRefs: [{ kind: 'ConfigMap', name: 'api-ca' }] }))).toEqual([]);
  });
});
