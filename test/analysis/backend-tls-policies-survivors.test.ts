/**
 * BackendTLSPolicies beside DestinationRules (backend-tls-policies.ts), the cases the other tests leave
 * open: a rule of another namespace by its exportTo and its host (exact, `*`, `*.` wildcard, a parent
 * domain), client TLS among the port-level settings of a rule, the rules Istio does not merge with the
 * policy's (workloadSelector, exportTo, an empty traffic policy), and objects that lack a part.
 */
import { destinationRule, serviceEntry } from './objects';
import { checkBackendTlsPolicyOverlaps } from '../../src/analysis/backend-tls-policies';
import { ObjectIndex } from '../../src/analysis/model';
import { assertValidIstioObjects } from '../support/crd-validator';
import { helpful } from '../support/findings';

const ISTIO = 'networking.istio.io';
const HOST = 'api.example.com';

function tlsPolicy(targetRefs: unknown[]) {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'BackendTLSPolicy',
    metadata: { name: 'api-tls', namespace: 'egress' },
    spec: { targetRefs, validation: { hostname: HOST, wellKnownCACertificates: 'System' } },
  };
}
const entry = () => serviceEntry('api', 'egress', {
  hosts: [HOST],
  location: 'MESH_EXTERNAL',
  resolution: 'DNS',
  ports: [{ number: 80, name: 'http', protocol: 'HTTP', targetPort: 443 }, { number: 8443, name: 'tls', protocol: 'TLS' }],
});
const onEntry = (extra: Record<string, unknown> = {}) => ({ group: ISTIO, kind: 'ServiceEntry', name: 'api', ...extra });
const TLS = { mode: 'SIMPLE' };

/** [code, field, value, message] of each finding, each checked by `helpful`. */
const rows = (objects: any[]) => helpful(checkBackendTlsPolicyOverlaps(new ObjectIndex(objects)))
  .map(f => [f.code, f.field, f.value, f.message]);
const codes = (objects: any[]) => rows(objects).map(r => r[0]);

describe('a DestinationRule of another namespace, by its exportTo (EGR154)', () => {
  const shopRule = (exportTo: string[]) => destinationRule('api', 'shop', { host: HOST, exportTo, trafficPolicy: { tls: TLS } });

  test.each([
    ['"*"', ['*']],
    ['"."', ['.']],
    ['its own namespace by name', ['shop']],
    ['another namespace and "." after it', ['istio-system', '.']],
    ['"." and another namespace after it', ['.', 'istio-system']],
  ])('exported to %s: its own proxies take it', (_, exportTo) => {
    const objects = [entry(), tlsPolicy([onEntry()]), shopRule(exportTo)];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([['EGR154', 'spec.targetRefs[0]', 'api',
      expect.stringContaining('DestinationRule shop/api for api.example.com also sets client TLS: proxies in namespace shop look')]]);
  });

  test('exported to other namespaces only: its own proxies do not see it', () => {
    const objects = [entry(), tlsPolicy([onEntry()]), shopRule(['istio-system', 'egress'])];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
  });
});

describe('a DestinationRule of another namespace, by its host (EGR154)', () => {
  const shopRule = (host: string) => destinationRule('api', 'shop', { host, trafficPolicy: { tls: TLS } });

  test('host "*" is the one its proxies find for every host', () => {
    const objects = [entry(), tlsPolicy([onEntry()]), shopRule('*')];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([['EGR154', 'spec.targetRefs[0]', 'api',
      expect.stringContaining('DestinationRule shop/api for * also sets client TLS: proxies in namespace shop look DestinationRules up')]]);
  });

  test.each([
    ['another host', 'other.example.com'],
    ['a wildcard of another domain', '*.example.org'],
    ['the parent domain, not a wildcard', 'example.com'],
    ['a host that ends with the policy\'s host', 'xapi.example.com'],
  ])('%s does not meet the policy', (_, host) => {
    const objects = [entry(), tlsPolicy([onEntry()]), shopRule(host)];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
    // The same rule for the policy's host is reported.
    expect(rows([entry(), tlsPolicy([onEntry()]), shopRule(HOST)])).toHaveLength(1);
  });
});

describe('client TLS among the port-level settings of a rule of the policy\'s namespace', () => {
  const portLevel = (portLevelSettings: unknown[]) => destinationRule('api', 'egress', { host: HOST, trafficPolicy: { portLevelSettings } });

  test('a policy for every port meets TLS on the first port that has it (EGR154)', () => {
    const objects = [entry(), tlsPolicy([onEntry()]),
      portLevel([{ port: { number: 80 }, connectionPool: { tcp: { maxConnections: 5 } } }, { port: { number: 8443 }, tls: TLS }])];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([['EGR154', 'spec.targetRefs[0]', 'api',
      expect.stringContaining('DestinationRule egress/api also sets client TLS for api.example.com (port 8443), and a proxy applies one')]]);
  });

  test('settings for the policy\'s port without tls are no client TLS: the merge only (EGR157)', () => {
    const objects = [entry(), tlsPolicy([onEntry({ sectionName: 'http' })]),
      portLevel([{ port: { number: 80 }, connectionPool: { tcp: { maxConnections: 5 } } }])];
    assertValidIstioObjects(objects);
    expect(codes(objects)).toEqual(['EGR157']);
  });

  test('settings that are no record, or have no port number, are passed over', () => {
    const objects = [entry(), tlsPolicy([onEntry()]),
      portLevel([null, { tls: TLS }, { port: {}, tls: TLS }, { port: { number: '80' }, tls: TLS }, { port: { number: 8443 }, tls: TLS }])];
    expect(rows(objects)).toEqual([['EGR154', 'spec.targetRefs[0]', 'api', expect.stringContaining('client TLS for api.example.com (port 8443)')]]);
  });
});

describe('rules of the policy\'s namespace that Istio does not merge with the policy\'s (no EGR157)', () => {
  const pool = { connectionPool: { tcp: { maxConnections: 10 } } };

  test('a rule with a workloadSelector', () => {
    const objects = [entry(), tlsPolicy([onEntry()]),
      destinationRule('api', 'egress', { host: HOST, workloadSelector: { matchLabels: { app: 'shop' } }, trafficPolicy: pool })];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
  });

  test('a rule with exportTo', () => {
    const objects = [entry(), tlsPolicy([onEntry()]), destinationRule('api', 'egress', { host: HOST, exportTo: ['.'], trafficPolicy: pool })];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
  });

  test('a rule with an empty traffic policy', () => {
    const objects = [entry(), tlsPolicy([onEntry()]), destinationRule('api', 'egress', { host: HOST, trafficPolicy: {} })];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
  });

  test('the same traffic policy without them is merged', () => {
    const objects = [entry(), tlsPolicy([onEntry()]), destinationRule('api', 'egress', { host: HOST, trafficPolicy: pool })];
    expect(codes(objects)).toEqual(['EGR157']);
  });
});

describe('targetRefs', () => {
  test('a sectionName that is not a string is every port', () => {
    const objects = [entry(), tlsPolicy([onEntry({ sectionName: 7 })]),
      destinationRule('api', 'egress', { host: HOST, trafficPolicy: { tls: TLS } })];
    expect(rows(objects)).toEqual([['EGR154', 'spec.targetRefs[0]', 'api', expect.stringContaining('client TLS for api.example.com (every port)')]]);
  });

  test('a ServiceEntry reference stands for the entry\'s hosts, not for a Service of its name', () => {
    const objects = [entry(), tlsPolicy([onEntry()]),
      destinationRule('svc', 'egress', { host: 'api', trafficPolicy: { tls: TLS } }),
      destinationRule('api', 'egress', { host: HOST, trafficPolicy: { tls: TLS } })];
    assertValidIstioObjects(objects);
    expect(rows(objects).map(r => r[3])).toEqual([expect.stringContaining('DestinationRule egress/api also sets client TLS for api.example.com')]);
  });

  test('a core-group reference of another kind than Service covers no host', () => {
    const rule = destinationRule('api', 'egress', { host: 'api', trafficPolicy: { tls: TLS } });
    const objects = [tlsPolicy([{ group: '', kind: 'ConfigMap', name: 'api' }]), rule];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
    // The Service of that name is met by the rule.
    expect(rows([tlsPolicy([{ group: '', kind: 'Service', name: 'api' }]), rule])).toHaveLength(1);
  });

  test('a Service reference without a name covers no host', () => {
    const objects = [tlsPolicy([{ group: '', kind: 'Service' }]),
      destinationRule('all', 'shop', { host: '*.svc.cluster.local', trafficPolicy: { tls: TLS } })];
    expect(rows(objects)).toEqual([]);
    // With a name, the Service's host is met by the wildcard.
    expect(rows([tlsPolicy([{ group: '', kind: 'Service', name: 'api' }]), objects[1]])).toHaveLength(1);
  });

  test('ServiceEntry hosts that are not strings are passed over', () => {
    const odd = entry();
    (odd.spec.hosts as unknown[]).unshift(7);
    const objects = [odd, tlsPolicy([onEntry()]), destinationRule('all', 'shop', { host: '*.example.com', trafficPolicy: { tls: TLS } })];
    expect(rows(objects)).toEqual([['EGR154', 'spec.targetRefs[0]', 'api', expect.stringContaining('policy\'s TLS for api.example.com;')]]);
  });
});

describe('objects that lack a part', () => {
  const rule = () => destinationRule('api', 'egress', { host: HOST, trafficPolicy: { tls: TLS } });

  test('a DestinationRule without spec is not compared', () => {
    const bare: any = rule();
    delete bare.spec;
    expect(rows([entry(), tlsPolicy([onEntry()]), bare])).toEqual([]);
  });

  test('a policy without metadata (namespace default) or without spec', () => {
    const noMetadata: any = tlsPolicy([onEntry()]);
    delete noMetadata.metadata;
    const noSpec: any = tlsPolicy([onEntry()]);
    delete noSpec.spec;
    expect(rows([entry(), noMetadata, noSpec, rule()])).toEqual([]);
  });

  test('a ServiceEntry without spec has no hosts or ports', () => {
    const bare: any = entry();
    delete bare.spec;
    expect(rows([bare, tlsPolicy([onEntry()]), rule()])).toEqual([]);
    expect(rows([bare, tlsPolicy([onEntry({ sectionName: 'tls' })]), rule()])).toEqual([]);
  });
});
