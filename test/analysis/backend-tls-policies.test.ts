/**
 * A BackendTLSPolicy beside DestinationRules for its host (EGR154, EGR157): Istio 1.30 makes
 * a DestinationRule from the policy in its namespace (backend_policies.go) that meets the users' rules by
 * the usual look-up and merge (push_context.go destinationRule, destination_rule.go mergeDestinationRule).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';
import { destinationRule, found, serviceEntry, severities } from './objects';
import { main } from '../../src/cli/main';
import { assertValidIstioObjects } from '../support/crd-validator';

const ISTIO = 'networking.istio.io';

function tlsPolicy(name: string, ns: string, targetRefs: unknown[], metadata: Record<string, unknown> = {}) {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'BackendTLSPolicy',
    metadata: { name, namespace: ns, ...metadata },
    spec: { targetRefs, validation: { hostname: 'api.example.com', wellKnownCACertificates: 'System' } },
  };
}

const entry = () => serviceEntry('api', 'egress', {
  hosts: ['api.example.com'],
  location: 'MESH_EXTERNAL',
  resolution: 'DNS',
  ports: [{ number: 80, name: 'http', protocol: 'HTTP', targetPort: 443 }, { number: 8443, name: 'tls', protocol: 'TLS' }],
});
const onHttp = () => tlsPolicy('api-tls', 'egress', [{ group: ISTIO, kind: 'ServiceEntry', name: 'api', sectionName: 'http' }]);
const portTls = (number: number) => ({ host: 'api.example.com', trafficPolicy: { portLevelSettings: [{ port: { number }, tls: { mode: 'SIMPLE' } }] } });

describe('EGR154, EGR157: DestinationRules beside a BackendTLSPolicy', () => {
  test('accepted: the policy alone, a rule with subsets only, a rule for another host, an ignored policy, a rule its namespace does not see', () => {
    const accepted = [
      [entry(), onHttp()],
      [entry(), onHttp(), destinationRule('api', 'egress', { host: 'api.example.com', subsets: [{ name: 'v1', labels: { version: 'v1' } }] })],
      [entry(), onHttp(), destinationRule('api', 'shop', { host: 'api.example.com', exportTo: ['istio-system'], trafficPolicy: { tls: { mode: 'SIMPLE' } } })],
      [entry(), onHttp(), destinationRule('other', 'egress', { host: 'other.example.com', trafficPolicy: { tls: { mode: 'SIMPLE' } } })],
      [entry(), tlsPolicy('api-tls', 'egress', [{ group: ISTIO, kind: 'ServiceEntry', name: 'api', sectionName: 'http' }],
        { annotations: { 'istio.io/ignore-policy-attachment': 'true' } }), destinationRule('api', 'egress', portTls(80))],
    ];
    for (const objects of accepted) {
      expect(found('EGR154', objects)).toEqual([]);
      expect(found('EGR157', objects)).toEqual([]);
      assertValidIstioObjects(objects);
    }
  });

  test('rejected, one namespace: the merge, before and from Istio 1.31', () => {
    const objects = [entry(), onHttp(), destinationRule('api', 'egress', portTls(80))];
    expect(found('EGR154', objects)).toEqual([
      '[1] spec.targetRefs[0]: DestinationRule egress/api also sets client TLS for api.example.com (port 80), and a proxy applies one of the two, '
        + 'not both. In namespace egress Istio merges the two into one rule: before Istio 1.31 the rule made from this policy comes first and its '
        + 'traffic policy replaces the DestinationRule\'s whole traffic policy; from 1.31 the DestinationRule\'s settings win and the policy only '
        + 'fills what they leave unset',
    ]);
    expect(severities('EGR154', objects)).toEqual(['[1] warning']);
  });

  test('rejected, one namespace: a top-level tls meets a policy without sectionName', () => {
    const everyPort = tlsPolicy('api-tls', 'egress', [{ group: ISTIO, kind: 'ServiceEntry', name: 'api' }]);
    const objects = [entry(), everyPort, destinationRule('api', 'egress', { host: 'api.example.com', trafficPolicy: { tls: { mode: 'SIMPLE' } } })];
    expect(found('EGR154', objects)[0]).toContain('DestinationRule egress/api also sets client TLS for api.example.com (every port)');
  });

  test('EGR157, one namespace: a traffic policy without TLS, which Istio before 1.31 drops', () => {
    const objects = [entry(), onHttp(), destinationRule('api', 'egress', { host: 'api.example.com', trafficPolicy: { connectionPool: { tcp: { maxConnections: 10 } } } })];
    expect(found('EGR154', objects)).toEqual([]);
    expect(severities('EGR157', objects)).toEqual(['[1] warning']);
    expect(found('EGR157', objects)).toEqual([
      '[1] spec.targetRefs[0]: DestinationRule egress/api sets a traffic policy for api.example.com in the policy\'s namespace, where Istio merges '
        + 'the two into one rule: before Istio 1.31 the rule made from this policy comes first and its traffic policy replaces the DestinationRule\'s '
        + 'whole traffic policy (its connection pool, outlier detection, load balancer are not applied); from 1.31 they are merged field by field',
    ]);
    // TLS for another port of the host is such a traffic policy too.
    expect(found('EGR157', [entry(), onHttp(), destinationRule('api', 'egress', portTls(8443))])[0])
      .toContain('DestinationRule egress/api sets a traffic policy for api.example.com in the policy\'s namespace');
  });

  test('rejected, another namespace: its proxies take their own rule (TLS or not, exact or wildcard host)', () => {
    const objects = [entry(), onHttp(), destinationRule('api', 'shop', { host: 'api.example.com', trafficPolicy: { tls: { mode: 'SIMPLE' } } })];
    expect(found('EGR154', objects)).toEqual([
      '[1] spec.targetRefs[0]: DestinationRule shop/api for api.example.com also sets client TLS: proxies in namespace shop look DestinationRules '
        + 'up in their own namespace first, take that one, and do not apply this policy\'s TLS for api.example.com; proxies elsewhere apply the policy',
    ]);
    const wildcard = [entry(), onHttp(), destinationRule('all', 'shop', { host: '*.example.com', trafficPolicy: { connectionPool: { tcp: { maxConnections: 5 } } } })];
    expect(found('EGR154', wildcard)[0]).toContain('DestinationRule shop/all for *.example.com has no client TLS: proxies in namespace shop');
    assertValidIstioObjects(wildcard);
  });

  test('accepted, another namespace the ServiceEntry is not exported to: its proxies do not reach the host through it', () => {
    const hidden = entry();
    hidden.spec.exportTo = ['.'];
    const objects = [hidden, onHttp(), destinationRule('api', 'shop', { host: 'api.example.com', trafficPolicy: { tls: { mode: 'SIMPLE' } } })];
    expect(found('EGR154', objects)).toEqual([]);
    hidden.spec.exportTo = ['.', 'shop'];
    expect(found('EGR154', objects)).toHaveLength(1);
  });

  test('a policy on a Service, and a rule naming the Service by its short name', () => {
    const objects = [
      tlsPolicy('backend-tls', 'shop', [{ group: '', kind: 'Service', name: 'backend' }]),
      destinationRule('backend', 'shop', { host: 'backend', trafficPolicy: { tls: { mode: 'SIMPLE' } } }),
    ];
    expect(found('EGR154', objects)).toHaveLength(1);
  });

  test('lint finds it in hand-written YAML', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-egress-btp-'));
    try {
      const file = path.join(dir, 'egress.yaml');
      fs.writeFileSync(file, [entry(), onHttp(), destinationRule('api', 'egress', portTls(80))].map(o => stringify(o)).join('---\n'));
      const out: string[] = [];
      const code = main(['lint', file, '--format=json'], { stdout: s => out.push(s), stderr: () => undefined });
      const findings = JSON.parse(out.join('')).findings.filter((f: any) => f.code === 'EGR154');
      expect(code).toBe(0);
      expect(findings.map((f: any) => [f.kind, f.severity, f.field])).toEqual([['BackendTLSPolicy', 'warning', 'spec.targetRefs[0]']]);
      expect(findings[0].message).toContain('DestinationRule egress/api also sets client TLS for api.example.com (port 80)');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
