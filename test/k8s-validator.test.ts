import * as path from 'path';
import {
  assertValidKubernetesObjects,
  isKubernetesCoreKind,
  kubernetesApiVersionsOf,
  K8S_DEFINITIONS_ENV,
  resetKubernetesValidatorCache,
  validateKubernetesObject,
} from './support/k8s-validator';

// Reading the definitions (1.3 MB) and compiling the first kind takes a little while.
jest.setTimeout(30_000);

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

const ISTIO_SYSTEM = { matchLabels: { 'kubernetes.io/metadata.name': 'istio-system' } };

function namespace(name: string, labels: Record<string, string>): any {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

/** Default-deny egress for every pod of `team-a`, except to the egress gateway, kube-dns and istiod. */
function egressPolicy(): any {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'default-deny-egress', namespace: 'team-a', labels: { 'app.kubernetes.io/managed-by': 'cdk8s' } },
    spec: {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [
        {
          to: [{ namespaceSelector: ISTIO_SYSTEM, podSelector: { matchLabels: { istio: 'egressgateway' } } }],
        },
        {
          to: [{
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
            podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
          }],
          ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
        },
        {
          to: [{ namespaceSelector: ISTIO_SYSTEM, podSelector: { matchLabels: { app: 'istiod' } } }],
          ports: [{ protocol: 'TCP', port: 15012 }],
        },
      ],
    },
  };
}

const POLICY = 'NetworkPolicy/team-a/default-deny-egress';

/** The errors of `obj` after `mutate` changed a fresh copy. */
function errorsOf(base: () => any, mutate: (o: any) => void): string[] {
  const obj = base();
  mutate(obj);
  return validateKubernetesObject(obj);
}

// ---------------------------------------------------------------------------------------------
// Valid objects
// ---------------------------------------------------------------------------------------------

describe('valid core objects pass', () => {
  test('Namespace with sidecar injection enabled', () => {
    expect(validateKubernetesObject(namespace('team-a', { 'istio-injection': 'enabled' }))).toEqual([]);
  });

  test('Namespace pinned to an Istio revision', () => {
    expect(validateKubernetesObject(namespace('team-b', { 'istio.io/rev': '1-30-3' }))).toEqual([]);
  });

  test('default-deny egress NetworkPolicy allowing the egress gateway, kube-dns and istiod', () => {
    expect(validateKubernetesObject(egressPolicy())).toEqual([]);
  });

  test('port ranges, named ports, ipBlocks with except and selector expressions', () => {
    const obj = egressPolicy();
    obj.spec.podSelector = {
      matchExpressions: [
        { key: 'app', operator: 'In', values: ['web', 'api'] },
        { key: 'example.com/legacy', operator: 'DoesNotExist' },
      ],
    };
    obj.spec.policyTypes = ['Ingress', 'Egress'];
    obj.spec.ingress = [{ from: [{ podSelector: {} }], ports: [{ port: 'http-web' }] }];
    obj.spec.egress.push({
      to: [
        { ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16', '10.2.3.4/32'] } },
        { ipBlock: { cidr: '2001:db8::/32', except: ['2001:db8:1::/48'] } },
      ],
      ports: [{ protocol: 'SCTP', port: 30000, endPort: 32767 }],
    });
    expect(validateKubernetesObject(obj)).toEqual([]);
  });

  test('other kinds: names per kind, Quantity, IntOrString, JSON null read as unset', () => {
    expect(validateKubernetesObject({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'system:istio-egress-reader' }, // RBAC names are path segments: ':' is fine
      rules: [{ apiGroups: [''], resources: ['services'], verbs: ['get'] }],
    })).toEqual([]);
    expect(validateKubernetesObject({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'egress-proxy', namespace: 'team-a', annotations: { 'example.com/owner': 'team-a' } },
      spec: { selector: { app: 'proxy' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }, { name: 'https', port: 443, targetPort: 8443 }] },
    })).toEqual([]);
    expect(validateKubernetesObject({
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'quota', namespace: 'team-a', labels: null },
      spec: { hard: { 'cpu': '500m', 'memory': '2Gi', 'pods': 10, 'requests.storage': '1e3' } },
    })).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Invalid objects: one defect each, with the message asserted
// ---------------------------------------------------------------------------------------------

describe('invalid core objects fail with the reason', () => {
  test('unknown field (strict field validation)', () => {
    expect(errorsOf(egressPolicy, (o) => { o.spec.egress[0].too = []; })).toEqual([
      `${POLICY}: spec.egress[0].too: unknown field "too" (strict field validation)`,
    ]);
    expect(errorsOf(egressPolicy, (o) => { o.metadata.lables = {}; })).toEqual([
      `${POLICY}: metadata.lables: unknown field "lables" (strict field validation)`,
    ]);
  });

  test('protocol ICMP', () => {
    expect(errorsOf(egressPolicy, (o) => { o.spec.egress[1].ports[0].protocol = 'ICMP'; })).toEqual([
      `${POLICY}: spec.egress[1].ports[0].protocol: Unsupported value: "ICMP": supported values: "TCP", "UDP", "SCTP"`,
    ]);
  });

  test('port 70000', () => {
    expect(errorsOf(egressPolicy, (o) => { o.spec.egress[2].ports[0].port = 70000; })).toEqual([
      `${POLICY}: spec.egress[2].ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive`,
    ]);
  });

  test('invalid namespace name Team_A (as a Namespace and as metadata.namespace)', () => {
    expect(validateKubernetesObject(namespace('Team_A', {}))).toEqual([
      expect.stringMatching(/^Namespace\/Team_A: metadata\.name: Invalid value: "Team_A": a lowercase RFC 1123 label must consist of lower case/),
    ]);
    expect(errorsOf(egressPolicy, (o) => { o.metadata.namespace = 'Team_A'; })).toEqual([
      expect.stringMatching(/^NetworkPolicy\/Team_A\/default-deny-egress: metadata\.namespace: Invalid value: "Team_A": a lowercase RFC 1123 label/),
    ]);
    // Namespace names are labels: dots (fine in most other names) and more than 63 characters are not.
    expect(validateKubernetesObject(namespace('team.a', {}))[0]).toContain('metadata.name: Invalid value: "team.a": a lowercase RFC 1123 label');
    expect(validateKubernetesObject(namespace('a'.repeat(64), {}))[0]).toContain('must be no more than 63 characters');
  });

  test('invalid label value and key', () => {
    expect(validateKubernetesObject(namespace('team-b', { 'istio.io/rev': '1.30.3-' }))).toEqual([
      expect.stringMatching(/^Namespace\/team-b: metadata\.labels\[istio\.io\/rev\]: Invalid value: "1\.30\.3-": a valid label must be an empty string or consist of/),
    ]);
    expect(validateKubernetesObject(namespace('team-b', { 'istio.io/rev': 'x'.repeat(64) }))).toEqual([
      expect.stringContaining('metadata.labels[istio.io/rev]: Invalid value: "xxxx'),
    ]);
    expect(validateKubernetesObject(namespace('team-b', { 'Istio.IO/rev': 'a' }))).toEqual([
      expect.stringContaining('metadata.labels: Invalid value: "Istio.IO/rev": prefix part a lowercase RFC 1123 subdomain'),
    ]);
    expect(errorsOf(egressPolicy, (o) => { o.spec.egress[0].to[0].podSelector.matchLabels.istio = 'egress gateway'; })).toEqual([
      expect.stringContaining('spec.egress[0].to[0].podSelector.matchLabels.istio: Invalid value: "egress gateway": a valid label must be'),
    ]);
  });

  test('matchExpressions In without values, Exists with values, unknown operator', () => {
    expect(errorsOf(egressPolicy, (o) => { o.spec.podSelector = { matchExpressions: [{ key: 'app', operator: 'In' }] }; })).toEqual([
      `${POLICY}: spec.podSelector.matchExpressions[0].values: Required value: must be specified when \`operator\` is 'In' or 'NotIn'`,
    ]);
    expect(errorsOf(egressPolicy, (o) => {
      o.spec.egress[0].to[0].namespaceSelector = { matchExpressions: [{ key: 'team', operator: 'Exists', values: ['a'] }] };
    })).toEqual([
      `${POLICY}: spec.egress[0].to[0].namespaceSelector.matchExpressions[0].values: Forbidden: may not be specified when \`operator\` is 'Exists' or 'DoesNotExist'`,
    ]);
    expect(errorsOf(egressPolicy, (o) => { o.spec.podSelector = { matchExpressions: [{ key: 'app', operator: 'Equals', values: ['x'] }] }; })).toEqual([
      `${POLICY}: spec.podSelector.matchExpressions[0].operator: Invalid value: "Equals": not a valid selector operator (one of In, NotIn, Exists, DoesNotExist)`,
    ]);
  });

  test('invalid CIDR, except outside cidr', () => {
    expect(errorsOf(egressPolicy, (o) => { o.spec.egress.push({ to: [{ ipBlock: { cidr: '10.0.0.0/33' } }] }); })).toEqual([
      `${POLICY}: spec.egress[3].to[0].ipBlock.cidr: Invalid value: "10.0.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)`,
    ]);
    for (const bad of ['10.0.0.256/8', '10.0.0.0', 'example.com/24', '2001:db8:::/32', '2001:db8::/129']) {
      expect(errorsOf(egressPolicy, (o) => { o.spec.egress[0].to = [{ ipBlock: { cidr: bad } }]; })).toEqual([
        expect.stringContaining(`spec.egress[0].to[0].ipBlock.cidr: Invalid value: "${bad}": must be a valid CIDR value`),
      ]);
    }
    expect(errorsOf(egressPolicy, (o) => { o.spec.egress[0].to = [{ ipBlock: { cidr: '10.0.0.0/16', except: ['10.1.0.0/24', '10.0.0.0/16'] } }]; })).toEqual([
      `${POLICY}: spec.egress[0].to[0].ipBlock.except[0]: Invalid value: "10.1.0.0/24": must be a strict subset of \`cidr\``,
      `${POLICY}: spec.egress[0].to[0].ipBlock.except[1]: Invalid value: "10.0.0.0/16": must be a strict subset of \`cidr\``,
    ]);
  });

  test('wrong type', () => {
    expect(errorsOf(egressPolicy, (o) => { o.spec.podSelector = 'x'; })).toEqual([
      `${POLICY}: spec.podSelector: Invalid value: "x": must be of type object, not string`,
    ]);
    expect(errorsOf(egressPolicy, (o) => { o.spec.egress[1].ports[0].port = 53.5; })).toEqual([
      `${POLICY}: spec.egress[1].ports[0].port: Invalid value: 53.5: must be of type string or integer, not number`,
    ]);
  });

  test('missing required field', () => {
    expect(errorsOf(egressPolicy, (o) => { delete o.spec.podSelector; })).toEqual([
      `${POLICY}: spec.podSelector: Required value`,
    ]);
    expect(errorsOf(egressPolicy, (o) => { o.spec.egress[0].to = [{ ipBlock: { except: ['10.0.0.0/8'] } }]; })).toEqual([
      `${POLICY}: spec.egress[0].to[0].ipBlock.cidr: Required value`,
    ]);
    expect(errorsOf(egressPolicy, (o) => { delete o.metadata.name; })).toEqual([
      'NetworkPolicy/team-a/<no name>: metadata.name: Required value: name or generateName is required',
    ]);
  });

  test('other NetworkPolicy rules of the API server', () => {
    expect(errorsOf(egressPolicy, (o) => { o.spec.policyTypes = ['Egress', 'Both']; })).toEqual([
      `${POLICY}: spec.policyTypes[1]: Unsupported value: "Both": supported values: "Ingress", "Egress"`,
    ]);
    expect(errorsOf(egressPolicy, (o) => { o.spec.egress[2].ports[0].endPort = 15000; })).toEqual([
      `${POLICY}: spec.egress[2].ports[0].endPort: Invalid value: 15000: must be greater than or equal to \`port\``,
    ]);
    expect(errorsOf(egressPolicy, (o) => { o.spec.egress[2].ports = [{ port: 'grpc', endPort: 15020 }, { endPort: 15020 }]; })).toEqual([
      `${POLICY}: spec.egress[2].ports[0].endPort: Invalid value: 15020: may not be specified when \`port\` is non-numeric`,
      `${POLICY}: spec.egress[2].ports[1].endPort: Invalid value: 15020: may not be specified when \`port\` is not specified`,
    ]);
    expect(errorsOf(egressPolicy, (o) => { o.spec.egress[2].ports[0].port = 'Grpc--Web'; })).toEqual([
      `${POLICY}: spec.egress[2].ports[0].port: Invalid value: "Grpc--Web": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)`,
      `${POLICY}: spec.egress[2].ports[0].port: Invalid value: "Grpc--Web": must not contain consecutive hyphens (--)`,
    ]);
    expect(errorsOf(egressPolicy, (o) => { o.spec.egress[0].to = [{}, { ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }]; })).toEqual([
      `${POLICY}: spec.egress[0].to[0]: Required value: must specify a peer`,
      `${POLICY}: spec.egress[0].to[1]: Forbidden: may not specify both ipBlock and another peer`,
    ]);
  });

  test('int32 range, Quantity syntax, kind-specific names', () => {
    expect(errorsOf(egressPolicy, (o) => { o.spec.egress[2].ports[0].endPort = 2 ** 31; })).toContain(
      `${POLICY}: spec.egress[2].ports[0].endPort: Invalid value: 2147483648: must fit in a 32-bit signed integer (-2147483648..2147483647)`,
    );
    expect(validateKubernetesObject({
      apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'quota', namespace: 'team-a' }, spec: { hard: { memory: 'lots' } },
    })).toEqual([expect.stringContaining('ResourceQuota/team-a/quota: spec.hard.memory: Invalid value: "lots": must be a quantity')]);
    expect(validateKubernetesObject({ apiVersion: 'v1', kind: 'Service', metadata: { name: '1-proxy', namespace: 'team-a' }, spec: {} })).toEqual([
      expect.stringContaining('metadata.name: Invalid value: "1-proxy": a DNS-1035 label must consist of'),
    ]);
    expect(errorsOf(egressPolicy, (o) => { o.metadata.name = 'Default_Deny'; })).toEqual([
      expect.stringContaining('metadata.name: Invalid value: "Default_Deny": a lowercase RFC 1123 subdomain must consist of'),
    ]);
  });

  test('an object of a kind the definitions do not describe', () => {
    expect(validateKubernetesObject({ apiVersion: 'v1', kind: 'NetworkPolicy', metadata: { name: 'x' } })).toEqual([
      expect.stringMatching(/^NetworkPolicy\/x: <root>: v1, Kind=NetworkPolicy is not described by the Kubernetes definitions/),
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Kind lookup, bulk assertion, definitions file
// ---------------------------------------------------------------------------------------------

describe('kinds and bulk validation', () => {
  test('isKubernetesCoreKind matches x-kubernetes-group-version-kind', () => {
    expect(isKubernetesCoreKind('v1', 'Namespace')).toBe(true);
    expect(isKubernetesCoreKind('networking.k8s.io/v1', 'NetworkPolicy')).toBe(true);
    expect(isKubernetesCoreKind('apps/v1', 'Deployment')).toBe(true);
    expect(isKubernetesCoreKind('v1', 'NetworkPolicy')).toBe(false);
    expect(isKubernetesCoreKind('networking.k8s.io/v1beta1', 'NetworkPolicy')).toBe(false);
    expect(isKubernetesCoreKind('networking.istio.io/v1', 'ServiceEntry')).toBe(false);
  });

  test('assertValidKubernetesObjects validates core kinds and lists every problem', () => {
    expect(assertValidKubernetesObjects([namespace('team-a', { 'istio-injection': 'enabled' }), egressPolicy()])).toEqual({ validated: 2 });

    const bad = egressPolicy();
    bad.spec.egress[1].ports[0].protocol = 'ICMP';
    bad.spec.egress[2].ports[0].port = 70000;
    let message = '';
    try {
      assertValidKubernetesObjects([namespace('Team_A', {}), bad]);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^3 Kubernetes validation error\(s\) in 2 object\(s\):/);
    expect(message).toContain('  - Namespace/Team_A: metadata.name: Invalid value: "Team_A"');
    expect(message).toContain(`  - ${POLICY}: spec.egress[1].ports[0].protocol: Unsupported value: "ICMP"`);
    expect(message).toContain(`  - ${POLICY}: spec.egress[2].ports[0].port: Invalid value: 70000`);
  });

  test('assertValidKubernetesObjects fails closed on kinds the definitions do not describe', () => {
    // GIVEN a valid Namespace (accepted alone)
    expect(assertValidKubernetesObjects([namespace('team-a', {})])).toEqual({ validated: 1 });

    // WHEN adding a misspelt kind, a version Kubernetes does not serve and an Istio custom resource
    const serviceEntry = { apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'x', namespace: 'team-a' }, spec: {} };
    const v2 = { ...egressPolicy(), apiVersion: 'networking.k8s.io/v2' };
    const run = () => assertValidKubernetesObjects([
      namespace('team-a', {}), { apiVersion: 'v1', kind: 'Namespce', metadata: { name: 'team-b' } }, v2, serviceEntry,
    ]);

    // THEN each is an error naming the object and the fix (nothing is skipped)
    expect(run).toThrow(/^3 Kubernetes validation error\(s\) in 4 object\(s\):/);
    expect(run).toThrow('Namespce/team-b: <root>: v1, Kind=Namespce is not a Kubernetes built-in kind');
    expect(run).toThrow('networking.k8s.io/v2, Kind=NetworkPolicy is not a Kubernetes built-in kind');
    expect(run).toThrow('Fix: Kubernetes serves NetworkPolicy as networking.k8s.io/v1');
    expect(run).toThrow('ServiceEntry/team-a/x: <root>: networking.istio.io/v1, Kind=ServiceEntry is not a Kubernetes built-in kind');
    expect(run).toThrow('custom resources (Istio, Gateway API) go through assertValidIstioObjects');
  });

  test('kubernetesApiVersionsOf lists the served versions of a kind', () => {
    expect(kubernetesApiVersionsOf('NetworkPolicy')).toEqual(['networking.k8s.io/v1']);
    expect(kubernetesApiVersionsOf('Namespace')).toEqual(['v1']);
    expect(kubernetesApiVersionsOf('Namespce')).toEqual([]);
  });

  test('100 NetworkPolicies', () => {
    const policies = Array.from({ length: 100 }, (_, i) => {
      const p = egressPolicy();
      p.metadata.name = `default-deny-egress-${i}`;
      p.spec.egress[2].ports[0].port = 15000 + i;
      return p;
    });
    validateKubernetesObject(policies[0]); // load and compile outside the timing
    const start = process.hrtime.bigint();
    const result = assertValidKubernetesObjects(policies);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    expect(result).toEqual({ validated: 100 });
    expect(ms).toBeLessThan(5_000); // typically a few ms; generous for slow CI machines
  });

  describe('definitions file', () => {
    const saved = process.env[K8S_DEFINITIONS_ENV];
    afterEach(() => {
      if (saved === undefined) {
        delete process.env[K8S_DEFINITIONS_ENV];
      } else {
        process.env[K8S_DEFINITIONS_ENV] = saved;
      }
      resetKubernetesValidatorCache();
    });

    test(`${K8S_DEFINITIONS_ENV} overrides the default; a missing file is an error naming the path and the variable`, () => {
      const missing = path.join(__dirname, 'no-such-definitions.json');
      process.env[K8S_DEFINITIONS_ENV] = missing;
      resetKubernetesValidatorCache();
      expect(() => isKubernetesCoreKind('v1', 'Namespace')).toThrow(missing);
      expect(() => validateKubernetesObject(namespace('team-a', {}))).toThrow(K8S_DEFINITIONS_ENV);
    });

    test(`${K8S_DEFINITIONS_ENV} pointing at the definitions file works`, () => {
      process.env[K8S_DEFINITIONS_ENV] = saved ?? path.resolve(__dirname, '../../shared/k8s/definitions-1.33.0.json');
      resetKubernetesValidatorCache();
      expect(validateKubernetesObject(egressPolicy())).toEqual([]);
    });
  });
});
