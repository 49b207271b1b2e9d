/**
 * BackendTLSPolicies beside DestinationRules (backend-tls-policies.ts), branch by branch: the targetRefs
 * Istio does not turn into a DestinationRule (pilot/pkg/config/kube/gateway/backend_policies.go
 * BackendTLSPolicyCollection: an unsupported kind, a missing target, a sectionName no port carries), a
 * policy on one port beside a rule with client TLS for every port, and rules without a name or a host.
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
/** A DestinationRule of the policy's namespace with client TLS for every port of the host. */
const allPortsTls = (host = HOST) => destinationRule('api', 'egress', { host, trafficPolicy: { tls: { mode: 'SIMPLE' } } });

const rows = (objects: any[]) => helpful(checkBackendTlsPolicyOverlaps(new ObjectIndex(objects)))
  .map(f => [f.index, f.rule, f.code, f.severity, f.field, f.value, f.message, f.fix]);

const overlapOnPort = (port: number, rule = 'egress/api') => [1, 'BACKEND_TLS_OVERLAP', 'EGR154', 'warning', 'spec.targetRefs[0]', 'api',
  `DestinationRule ${rule} also sets client TLS for api.example.com (port ${port}), and a proxy applies one of the two, not both. `
    + 'In namespace egress Istio merges the two into one rule: before Istio 1.31 the rule made from this policy comes first and its traffic '
    + 'policy replaces the DestinationRule\'s whole traffic policy; from 1.31 the DestinationRule\'s settings win and the policy only fills what they leave unset',
  'originate TLS for api.example.com in one object: remove the DestinationRule\'s tls for this port, or drop the BackendTLSPolicy'];

describe('a policy on one port beside client TLS for every port (EGR154)', () => {
  test('meets on the policy\'s port', () => {
    const objects = [entry(), tlsPolicy([onEntry({ sectionName: 'tls' })]), allPortsTls()];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([overlapOnPort(8443)]);
  });

  test('an empty sectionName is every port', () => {
    const objects = [entry(), tlsPolicy([onEntry({ sectionName: '' })]), allPortsTls()];
    expect(rows(objects).map(r => r[6])).toEqual([expect.stringContaining('also sets client TLS for api.example.com (every port), ')]);
  });

  test('a DestinationRule without a name is named by its namespace only', () => {
    const nameless = allPortsTls();
    delete (nameless.metadata as any).name;
    expect(rows([entry(), tlsPolicy([onEntry({ sectionName: 'tls' })]), nameless])).toEqual([overlapOnPort(8443, 'egress/')]);
  });
});

describe('targetRefs that Istio turns into no DestinationRule', () => {
  test.each([
    ['a sectionName no port of the ServiceEntry carries', onEntry({ sectionName: 'grpc' })],
    ['a ServiceEntry that is not among the objects', onEntry({ name: 'other' })],
    ['a ServiceEntry of another group', { group: 'example.com', kind: 'ServiceEntry', name: 'api' }],
    ['another kind of the Istio group', { group: ISTIO, kind: 'Gateway', name: 'api' }],
    ['a kind Istio does not support', { group: 'multicluster.x-k8s.io', kind: 'ServiceImport', name: 'api' }],
  ])('%s: no finding', (_, ref) => {
    const objects = [entry(), tlsPolicy([ref]), allPortsTls()];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
    // The same rule beside a policy on the ServiceEntry itself is reported.
    expect(rows([entry(), tlsPolicy([onEntry()]), allPortsTls()])).toHaveLength(1);
  });

  test('a ServiceEntry port named by the sectionName without a number: no port to meet', () => {
    const odd = entry();
    odd.spec.ports[1] = { name: 'tls', protocol: 'TLS' };
    expect(rows([odd, tlsPolicy([onEntry({ sectionName: 'tls' })]), allPortsTls()])).toEqual([]);
  });

  test('targetRefs that are not references or have no name are skipped; the next one is still checked', () => {
    const objects = [entry(), tlsPolicy([null, 'api', { group: ISTIO, kind: 'ServiceEntry' }, { group: ISTIO, kind: 'ServiceEntry', name: 7 }, onEntry({ sectionName: 'tls' })]), allPortsTls()];
    expect(rows(objects).map(r => [r[4], r[5]])).toEqual([['spec.targetRefs[4]', 'api']]);
  });
});

describe('Service targets', () => {
  const onService = (ref: Record<string, unknown>) => [
    tlsPolicy([{ kind: 'Service', name: 'api', ...ref }]),
    destinationRule('api', 'egress', { host: 'api', trafficPolicy: { tls: { mode: 'SIMPLE' } } }),
  ];

  test('a Service reference without a group is of the core group', () => {
    expect(rows(onService({})).map(r => [r[0], r[4], r[6]])).toEqual([[0, 'spec.targetRefs[0]', expect.stringContaining(
      'DestinationRule egress/api also sets client TLS for api.egress.svc.cluster.local (every port), ')]]);
  });

  test('with group: "" too (as the schema has it)', () => {
    const objects = onService({ group: '' });
    assertValidIstioObjects(objects);
    expect(rows(objects)).toHaveLength(1);
  });

  test('a Service of another group is not a Service', () => {
    expect(rows(onService({ group: 'example.com' }))).toEqual([]);
  });
});

describe('DestinationRules that have no host', () => {
  test('are not compared', () => {
    const objects = [entry(), tlsPolicy([onEntry()]), destinationRule('api', 'egress', { trafficPolicy: { tls: { mode: 'SIMPLE' } } }),
      destinationRule('other', 'egress', { host: 7, trafficPolicy: { tls: { mode: 'SIMPLE' } } })];
    expect(rows(objects)).toEqual([]);
  });
});

describe('a DestinationRule of another namespace without a name (EGR154)', () => {
  test('is named by its namespace only', () => {
    const other = destinationRule('api', 'shop', { host: HOST });
    delete (other.metadata as any).name;
    expect(rows([entry(), tlsPolicy([onEntry()]), other])).toEqual([[1, 'BACKEND_TLS_OVERLAP', 'EGR154', 'warning', 'spec.targetRefs[0]', 'api',
      'DestinationRule shop/ for api.example.com has no client TLS: proxies in namespace shop look DestinationRules up in their own namespace '
        + 'first, take that one, and do not apply this policy\'s TLS for api.example.com; proxies elsewhere apply the policy',
      'originate TLS for api.example.com in one object: put the TLS into the DestinationRule and drop the BackendTLSPolicy, or remove the '
        + 'DestinationRule of namespace shop']]);
  });
});

// Cases the mutation run left open: a rule of another namespace by its exportTo and host, port-level client TLS,
// the rules Istio does not merge with the policy's, and objects that lack a part.
const TLS = { mode: 'SIMPLE' };

/** [code, field, value, message] of each finding, each checked by `helpful`. */
const briefRows = (objects: any[]) => helpful(checkBackendTlsPolicyOverlaps(new ObjectIndex(objects)))
  .map(f => [f.code, f.field, f.value, f.message]);
const codes = (objects: any[]) => briefRows(objects).map(r => r[0]);

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
    expect(briefRows(objects)).toEqual([['EGR154', 'spec.targetRefs[0]', 'api',
      expect.stringContaining('DestinationRule shop/api for api.example.com also sets client TLS: proxies in namespace shop look')]]);
  });

  test('exported to other namespaces only: its own proxies do not see it', () => {
    const objects = [entry(), tlsPolicy([onEntry()]), shopRule(['istio-system', 'egress'])];
    assertValidIstioObjects(objects);
    expect(briefRows(objects)).toEqual([]);
  });
});

describe('a DestinationRule of another namespace, by its host (EGR154)', () => {
  const shopRule = (host: string) => destinationRule('api', 'shop', { host, trafficPolicy: { tls: TLS } });

  test('host "*" is the one its proxies find for every host', () => {
    const objects = [entry(), tlsPolicy([onEntry()]), shopRule('*')];
    assertValidIstioObjects(objects);
    expect(briefRows(objects)).toEqual([['EGR154', 'spec.targetRefs[0]', 'api',
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
    expect(briefRows(objects)).toEqual([]);
    // The same rule for the policy's host is reported.
    expect(briefRows([entry(), tlsPolicy([onEntry()]), shopRule(HOST)])).toHaveLength(1);
  });
});

describe('client TLS among the port-level settings of a rule of the policy\'s namespace', () => {
  const portLevel = (portLevelSettings: unknown[]) => destinationRule('api', 'egress', { host: HOST, trafficPolicy: { portLevelSettings } });

  test('a policy for every port meets TLS on the first port that has it (EGR154)', () => {
    const objects = [entry(), tlsPolicy([onEntry()]),
      portLevel([{ port: { number: 80 }, connectionPool: { tcp: { maxConnections: 5 } } }, { port: { number: 8443 }, tls: TLS }])];
    assertValidIstioObjects(objects);
    expect(briefRows(objects)).toEqual([['EGR154', 'spec.targetRefs[0]', 'api',
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
    expect(briefRows(objects)).toEqual([['EGR154', 'spec.targetRefs[0]', 'api', expect.stringContaining('client TLS for api.example.com (port 8443)')]]);
  });
});

describe('rules of the policy\'s namespace that Istio does not merge with the policy\'s (no EGR157)', () => {
  const pool = { connectionPool: { tcp: { maxConnections: 10 } } };

  test('a rule with a workloadSelector', () => {
    const objects = [entry(), tlsPolicy([onEntry()]),
      destinationRule('api', 'egress', { host: HOST, workloadSelector: { matchLabels: { app: 'shop' } }, trafficPolicy: pool })];
    assertValidIstioObjects(objects);
    expect(briefRows(objects)).toEqual([]);
  });

  test('a rule with exportTo', () => {
    const objects = [entry(), tlsPolicy([onEntry()]), destinationRule('api', 'egress', { host: HOST, exportTo: ['.'], trafficPolicy: pool })];
    assertValidIstioObjects(objects);
    expect(briefRows(objects)).toEqual([]);
  });

  test('a rule with an empty traffic policy', () => {
    const objects = [entry(), tlsPolicy([onEntry()]), destinationRule('api', 'egress', { host: HOST, trafficPolicy: {} })];
    assertValidIstioObjects(objects);
    expect(briefRows(objects)).toEqual([]);
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
    expect(briefRows(objects)).toEqual([['EGR154', 'spec.targetRefs[0]', 'api', expect.stringContaining('client TLS for api.example.com (every port)')]]);
  });

  test('a ServiceEntry reference stands for the entry\'s hosts, not for a Service of its name', () => {
    const objects = [entry(), tlsPolicy([onEntry()]),
      destinationRule('svc', 'egress', { host: 'api', trafficPolicy: { tls: TLS } }),
      destinationRule('api', 'egress', { host: HOST, trafficPolicy: { tls: TLS } })];
    assertValidIstioObjects(objects);
    expect(briefRows(objects).map(r => r[3])).toEqual([expect.stringContaining('DestinationRule egress/api also sets client TLS for api.example.com')]);
  });

  test('a core-group reference of another kind than Service covers no host', () => {
    const rule = destinationRule('api', 'egress', { host: 'api', trafficPolicy: { tls: TLS } });
    const objects = [tlsPolicy([{ group: '', kind: 'ConfigMap', name: 'api' }]), rule];
    assertValidIstioObjects(objects);
    expect(briefRows(objects)).toEqual([]);
    // The Service of that name is met by the rule.
    expect(briefRows([tlsPolicy([{ group: '', kind: 'Service', name: 'api' }]), rule])).toHaveLength(1);
  });

  test('a Service reference without a name covers no host', () => {
    const objects = [tlsPolicy([{ group: '', kind: 'Service' }]),
      destinationRule('all', 'shop', { host: '*.svc.cluster.local', trafficPolicy: { tls: TLS } })];
    expect(briefRows(objects)).toEqual([]);
    // With a name, the Service's host is met by the wildcard.
    expect(briefRows([tlsPolicy([{ group: '', kind: 'Service', name: 'api' }]), objects[1]])).toHaveLength(1);
  });

  test('ServiceEntry hosts that are not strings are passed over', () => {
    const odd = entry();
    (odd.spec.hosts as unknown[]).unshift(7);
    const objects = [odd, tlsPolicy([onEntry()]), destinationRule('all', 'shop', { host: '*.example.com', trafficPolicy: { tls: TLS } })];
    expect(briefRows(objects)).toEqual([['EGR154', 'spec.targetRefs[0]', 'api', expect.stringContaining('policy\'s TLS for api.example.com;')]]);
  });
});

describe('objects that lack a part', () => {
  const rule = () => destinationRule('api', 'egress', { host: HOST, trafficPolicy: { tls: TLS } });

  test('a DestinationRule without spec is not compared', () => {
    const bare: any = rule();
    delete bare.spec;
    expect(briefRows([entry(), tlsPolicy([onEntry()]), bare])).toEqual([]);
  });

  test('a policy without metadata (namespace default) or without spec', () => {
    const noMetadata: any = tlsPolicy([onEntry()]);
    delete noMetadata.metadata;
    const noSpec: any = tlsPolicy([onEntry()]);
    delete noSpec.spec;
    expect(briefRows([entry(), noMetadata, noSpec, rule()])).toEqual([]);
  });

  test('a ServiceEntry without spec has no hosts or ports', () => {
    const bare: any = entry();
    delete bare.spec;
    expect(briefRows([bare, tlsPolicy([onEntry()]), rule()])).toEqual([]);
    expect(briefRows([bare, tlsPolicy([onEntry({ sectionName: 'tls' })]), rule()])).toEqual([]);
  });
});
