/**
 * Istio's egress tasks written with the library where the user asks for the docs' choices
 * (examples/tasks/docs-choices.ts): the output equals the docs' objects field for field. The expected
 * objects are written here from the tasks' "Istio APIs" tabs, as the current pages have them
 * (networking.istio.io/v1, the `curl` sample; istio.io content/uk/docs/tasks/traffic-management/egress/,
 * which is newer than the stored English pages and has the same YAML): egress-gateway,
 * egress-gateway-tls-origination, egress-tls-origination, egress-control, wildcard-egress-hosts and http-proxy.
 * Beyond the differences every task shares, stated in `renamed`:
 * - names are the library's own (each task's `names` maps the docs' names to them: object names, the
 *   subset, the Gateway's server port names, the Gateway in the VirtualService), except the
 *   ServiceEntry's and its ports', which the user gives as the docs do;
 * - the ServiceEntry states the defaults the docs leave out: `location: MESH_EXTERNAL`, `resolution: NONE`;
 * each task lists the fields where the library cannot write the docs' value (`differences`, and the
 * objects the docs' tab does not have, `extraObjects`), each with the reason; a test asserts each one.
 */
import { App, Chart } from 'cdk8s';
import {
  docsEgressGatewayHttp, docsEgressGatewayHttps, docsEgressGatewayNetworkPolicy, docsExternalServices, docsGatewayMtlsOrigination,
  docsGatewayTlsOrigination, docsHttpsProxy, docsSidecarMtlsOrigination, docsSidecarTlsOrigination, docsWildcardDirect, docsWildcardThroughGateway,
} from '../examples/tasks/docs-choices';
import { lintObjects } from '../src/analysis';
import { appWithChart, synth } from './support/synth';

const ISTIO = 'networking.istio.io/v1';
const GATEWAY_SERVICE = 'istio-egressgateway.istio-system.svc.cluster.local';
const NGINX = 'my-nginx.mesh-external.svc.cluster.local';

/** One of the docs' objects: `namespace` is where the task applies it (`default` unless it says `-n`). */
function docsObject(kind: string, name: string, spec: any, namespace = 'default'): any {
  return { apiVersion: ISTIO, kind, metadata: { name, namespace }, spec };
}

/** A field where the output cannot be the docs': `object` is `kind/name` in our names, `field` a path in it. */
interface Difference {
  readonly object: string;
  readonly field: string;
  /** The docs' value (undefined: the docs leave the field out). */
  readonly docs: unknown;
  /** Ours (undefined: we leave it out). */
  readonly ours: unknown;
  readonly why: string;
}

/** An object the library writes that the docs' tab does not have. */
interface ExtraObject {
  readonly object: string;
  readonly why: string;
}

interface DocsTask {
  /** The docs' page and section. */
  readonly title: string;
  /** The user code (examples/tasks/docs-choices.ts) in a chart of the namespace `default`. */
  readonly build: (chart: Chart) => void;
  /** The docs' objects, with the docs' names. */
  readonly docs: () => any[];
  /** The docs' names and the library's. */
  readonly names: Record<string, string>;
  readonly differences?: Difference[];
  readonly extraObjects?: ExtraObject[];
}

const keyOf = (o: any) => `${o.kind}/${o.metadata.name}`;
const pathOf = (field: string) => field.match(/[^.[\]]+/g) ?? [];

function get(object: any, field: string): unknown {
  return pathOf(field).reduce((o, key) => (o === undefined || o === null ? undefined : o[key]), object);
}

function set(object: any, field: string, value: unknown): void {
  const keys = pathOf(field);
  const parent = keys.slice(0, -1).reduce((o, key) => o[key], object);
  if (value === undefined) {
    delete parent[keys[keys.length - 1]];
  } else {
    parent[keys[keys.length - 1]] = JSON.parse(JSON.stringify(value));
  }
}

/**
 * The docs' object with the library's names (object names, Gateway references, subsets and the
 * Gateway's server port names; the ServiceEntry keeps the docs' name) and the ServiceEntry's
 * defaults written out.
 */
function renamed(object: any, names: Record<string, string>): any {
  const copy = JSON.parse(JSON.stringify(object));
  const rename = (name: string) => names[name] ?? name;
  const spec = copy.spec;
  if (copy.kind === 'ServiceEntry') {
    spec.location = spec.location ?? 'MESH_EXTERNAL';
    spec.resolution = spec.resolution ?? 'NONE';
    return copy;
  }
  copy.metadata.name = rename(copy.metadata.name);
  if (copy.kind === 'Gateway') {
    spec.servers.forEach((s: any) => { s.port.name = rename(s.port.name); });
  }
  if (copy.kind === 'VirtualService') {
    spec.gateways = spec.gateways?.map(rename);
    for (const route of [...spec.http ?? [], ...spec.tls ?? [], ...spec.tcp ?? []]) {
      route.match?.forEach((m: any) => { m.gateways = m.gateways?.map(rename); });
      route.route.forEach((r: any) => { r.destination.subset = r.destination.subset && rename(r.destination.subset); });
    }
  }
  if (copy.kind === 'DestinationRule' && spec.subsets) {
    spec.subsets.forEach((s: any) => { s.name = rename(s.name); });
  }
  return JSON.parse(JSON.stringify(copy));
}

/** The docs' objects with our names, and with our value in each stated difference. */
function expectedObjects(task: DocsTask): any[] {
  const expected = task.docs().map(o => renamed(o, task.names));
  for (const d of task.differences ?? []) {
    set(expected.find(o => keyOf(o) === d.object), d.field, d.ours);
  }
  return expected;
}

function run(task: DocsTask): any[] {
  const { app, chart } = appWithChart('default');
  task.build(chart);
  return synth(app);
}

/** The shared tests of a docs task: equal but for the stated differences, each difference asserted, no lint error. */
function describeDocsTask(task: DocsTask, more?: () => void): void {
  describe(`${task.title}, with the docs' choices`, () => {
    const differences = task.differences ?? [];
    const extras = task.extraObjects ?? [];
    const statement = differences.length + extras.length === 0 ? 'field for field'
      : `field for field but for ${[...differences.map(d => `${d.object} ${d.field}`), ...extras.map(e => e.object)].join(', ')}`;

    test(`the objects equal the docs' ${statement}`, () => {
      const objects = synth(appWith(task));
      const expected = expectedObjects(task);
      expect(objects).toHaveLength(expected.length + extras.length);
      expect(objects).toEqual(expect.arrayContaining(expected));
      expect(objects.map(keyOf).sort()).toEqual([...expected.map(keyOf), ...extras.map(e => e.object)].sort());
    });

    if (differences.length > 0) {
      test.each(differences.map(d => [`${d.object} ${d.field}`, d] as const))('%s: the docs\' value and ours, as stated', (_, d) => {
        const ours = run(task).find(o => keyOf(o) === d.object);
        const docs = task.docs().map(o => renamed(o, task.names)).find(o => keyOf(o) === d.object);
        expect(d.why).not.toBe('');
        expect(get(ours, d.field)).toEqual(d.ours);
        expect(get(docs, d.field)).toEqual(d.docs);
        expect(d.ours).not.toEqual(d.docs);
      });
    }

    if (extras.length > 0) {
      test.each(extras.map(e => [e.object, e] as const))('%s: written by the library, not in the docs\' tab', (_, e) => {
        expect(e.why).not.toBe('');
        expect(run(task).map(keyOf)).toContain(e.object);
        expect(task.docs().map(o => renamed(o, task.names)).map(keyOf)).not.toContain(e.object);
      });
    }

    test('synth reports nothing: the docs\' weaker choices are acknowledged in the user code', () => {
      const written: string[] = [];
      const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: any) => { written.push(String(chunk)); return true; });
      try {
        run(task);
      } finally {
        stderr.mockRestore();
      }
      expect(written).toEqual([]);
    });

    test('lint finds no error in the objects', () => {
      const findings = lintObjects(run(task), { gatewayPods: [{ istio: 'egressgateway', app: 'istio-egressgateway' }] });
      expect(findings.filter(f => f.severity === 'error')).toEqual([]);
    });

    more?.();
  });
}

function appWith(task: DocsTask): App {
  const { app, chart } = appWithChart('default');
  task.build(chart);
  return app;
}

/** The docs' ServiceEntry `cnn` of the egress gateway tasks: HTTP on 80 (named as the task names it) and HTTPS on 443. */
const cnnServiceEntry = (httpPortName: string) => docsObject('ServiceEntry', 'cnn', {
  hosts: ['edition.cnn.com'],
  ports: [{ number: 80, name: httpPortName, protocol: 'HTTP' }, { number: 443, name: 'https', protocol: 'HTTPS' }],
  resolution: 'DNS',
});

/** The docs' VirtualService direct-cnn-through-egress-gateway, sending port 80 at the gateway to `targetPort`. */
const cnnVirtualService = (targetPort: number) => docsObject('VirtualService', 'direct-cnn-through-egress-gateway', {
  hosts: ['edition.cnn.com'],
  gateways: ['istio-egressgateway', 'mesh'],
  http: [
    {
      match: [{ gateways: ['mesh'], port: 80 }],
      route: [{ destination: { host: GATEWAY_SERVICE, subset: 'cnn', port: { number: 80 } }, weight: 100 }],
    },
    {
      match: [{ gateways: ['istio-egressgateway'], port: 80 }],
      route: [{ destination: { host: 'edition.cnn.com', port: { number: targetPort } }, weight: 100 }],
    },
  ],
});

/** The names of the cnn gateway tasks. */
const CNN_NAMES: Record<string, string> = {
  'istio-egressgateway': 'default-cnn',
  'egressgateway-for-cnn': 'cnn-egress',
  'direct-cnn-through-egress-gateway': 'cnn-egress',
  'originate-tls-for-edition-cnn-com': 'edition-cnn-com-tls-origination',
  'cnn': 'edition-cnn-com',
  'http': 'http-80',
  'tls': 'tls-443',
  'https-port-for-tls-origination': 'https-80',
};

/** Istio lists a VirtualService's gateways in any order; the library writes its Gateway first. */
const GATEWAYS_ORDER = 'the library writes the VirtualService\'s own Gateway before mesh; the docs list mesh first in this task '
  + '(and the Gateway first in the HTTP tasks). Istio reads spec.gateways as a set.';

const egressGatewayHttp: DocsTask = {
  title: 'Egress Gateways, "Egress gateway for HTTP traffic"',
  build: docsEgressGatewayHttp,
  names: CNN_NAMES,
  docs: () => [
    cnnServiceEntry('http-port'),
    docsObject('Gateway', 'istio-egressgateway', {
      selector: { istio: 'egressgateway' },
      servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['edition.cnn.com'] }],
    }),
    docsObject('DestinationRule', 'egressgateway-for-cnn', { host: GATEWAY_SERVICE, subsets: [{ name: 'cnn' }] }),
    cnnVirtualService(80),
  ],
};

describeDocsTask(egressGatewayHttp, () => {
  test('the VirtualService names the Gateway of its own namespace by its short name, as the docs do', () => {
    const { app, chart } = appWithChart('default');
    const route = docsEgressGatewayHttp(chart);
    const vs = synth(app).find(o => keyOf(o) === 'VirtualService/cnn-egress');
    expect(route.istioGateway.metadata.namespace).toBe('default');
    expect(vs.spec.gateways).toEqual(['default-cnn', 'mesh']);
  });
});

const egressGatewayHttps: DocsTask = {
  title: 'Egress Gateways, "Egress gateway for HTTPS traffic"',
  build: docsEgressGatewayHttps,
  names: CNN_NAMES,
  docs: () => [
    docsObject('ServiceEntry', 'cnn', {
      hosts: ['edition.cnn.com'],
      ports: [{ number: 443, name: 'tls', protocol: 'TLS' }],
      resolution: 'DNS',
    }),
    docsObject('Gateway', 'istio-egressgateway', {
      selector: { istio: 'egressgateway' },
      servers: [{ port: { number: 443, name: 'tls', protocol: 'TLS' }, hosts: ['edition.cnn.com'], tls: { mode: 'PASSTHROUGH' } }],
    }),
    docsObject('DestinationRule', 'egressgateway-for-cnn', { host: GATEWAY_SERVICE, subsets: [{ name: 'cnn' }] }),
    docsObject('VirtualService', 'direct-cnn-through-egress-gateway', {
      hosts: ['edition.cnn.com'],
      gateways: ['mesh', 'istio-egressgateway'],
      tls: [
        {
          match: [{ gateways: ['mesh'], port: 443, sniHosts: ['edition.cnn.com'] }],
          route: [{ destination: { host: GATEWAY_SERVICE, subset: 'cnn', port: { number: 443 } } }],
        },
        {
          match: [{ gateways: ['istio-egressgateway'], port: 443, sniHosts: ['edition.cnn.com'] }],
          route: [{ destination: { host: 'edition.cnn.com', port: { number: 443 } }, weight: 100 }],
        },
      ],
    }),
  ],
  differences: [
    {
      object: 'VirtualService/cnn-egress',
      field: 'spec.gateways',
      docs: ['mesh', 'default-cnn'],
      ours: ['default-cnn', 'mesh'],
      why: GATEWAYS_ORDER,
    },
    {
      object: 'VirtualService/cnn-egress',
      field: 'spec.tls[0].route[0].weight',
      docs: undefined,
      ours: 100,
      why: 'the library writes weight 100 on every single destination; the docs leave it out in the sidecars\' route only. '
        + 'A route\'s only destination takes all the traffic either way.',
    },
  ],
};

describeDocsTask(egressGatewayHttps);

describeDocsTask({
  title: 'Egress Gateways, "Apply Kubernetes network policies" (on top of the HTTPS task)',
  build: chart => { docsEgressGatewayNetworkPolicy(chart); },
  names: { ...CNN_NAMES, 'allow-egress-to-istio-system-and-kube-dns': 'egress-lockdown' },
  docs: () => [
    ...egressGatewayHttps.docs(),
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'allow-egress-to-istio-system-and-kube-dns', namespace: 'test-egress' },
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          { to: [{ namespaceSelector: { matchLabels: { 'kube-system': 'true' } } }], ports: [{ protocol: 'UDP', port: 53 }] },
          { to: [{ namespaceSelector: { matchLabels: { istio: 'system' } } }] },
        ],
      },
    },
    docsObject('DestinationRule', 'egressgateway-for-cnn', { host: GATEWAY_SERVICE, subsets: [{ name: 'cnn' }] }, 'test-egress'),
  ],
  differences: egressGatewayHttps.differences,
  extraObjects: [
    {
      object: 'Sidecar/egress-lockdown',
      why: 'an EgressLockdown always scopes the namespace\'s sidecars to the hosts it allows (REGISTRY_ONLY by default); the docs\' '
        + 'section writes the NetworkPolicy alone and relies on the sidecar\'s defaults.',
    },
  ],
}, () => {
  test('test-egress, named on the host, gets the DestinationRule for the gateway\'s Service (its sidecars look it up there) and sees the host', () => {
    const { app, chart } = appWithChart('default');
    docsEgressGatewayNetworkPolicy(chart);
    const objects = synth(app);
    expect(objects.filter(o => keyOf(o) === 'DestinationRule/cnn-egress').map(o => o.metadata.namespace).sort()).toEqual(['default', 'test-egress']);
    expect(objects.find(o => o.kind === 'Sidecar').spec.egress[0].hosts).toEqual(['./*', 'istio-system/*', 'default/edition.cnn.com']);
  });

  test('the namespaces are selected by the labels the docs put on them, and the gateway needs no rule of its own', () => {
    const { app, chart } = appWithChart('default');
    docsEgressGatewayNetworkPolicy(chart);
    const policy = synth(app).find(o => o.kind === 'NetworkPolicy');
    const selectors = policy.spec.egress.flatMap((r: any) => r.to.map((p: any) => p.namespaceSelector.matchLabels));
    expect(selectors).toEqual([{ 'kube-system': 'true' }, { istio: 'system' }]);
  });
});

const gatewayTlsOrigination: DocsTask = {
  title: 'Egress Gateways with TLS Origination, "Perform TLS origination with an egress gateway"',
  build: docsGatewayTlsOrigination,
  names: CNN_NAMES,
  docs: () => [
    cnnServiceEntry('http'),
    docsObject('Gateway', 'istio-egressgateway', {
      selector: { istio: 'egressgateway' },
      servers: [{
        port: { number: 80, name: 'https-port-for-tls-origination', protocol: 'HTTPS' },
        hosts: ['edition.cnn.com'],
        tls: { mode: 'ISTIO_MUTUAL' },
      }],
    }),
    docsObject('DestinationRule', 'egressgateway-for-cnn', {
      host: GATEWAY_SERVICE,
      subsets: [{
        name: 'cnn',
        trafficPolicy: {
          loadBalancer: { simple: 'ROUND_ROBIN' },
          portLevelSettings: [{ port: { number: 80 }, tls: { mode: 'ISTIO_MUTUAL', sni: 'edition.cnn.com' } }],
        },
      }],
    }),
    cnnVirtualService(443),
    docsObject('DestinationRule', 'originate-tls-for-edition-cnn-com', {
      host: 'edition.cnn.com',
      trafficPolicy: {
        loadBalancer: { simple: 'ROUND_ROBIN' },
        portLevelSettings: [{ port: { number: 443 }, tls: { mode: 'SIMPLE' } }],
      },
    }),
  ],
};

describeDocsTask(gatewayTlsOrigination, () => {
  test('the origination rule has no workloadSelector, no exportTo and no sni: every proxy that sees the host applies it', () => {
    const { app, chart } = appWithChart('default');
    const route = docsGatewayTlsOrigination(chart);
    const rule = synth(app).find(o => keyOf(o) === 'DestinationRule/edition-cnn-com-tls-origination');
    expect(route.originationRules).toHaveLength(1);
    expect(rule.metadata.namespace).toBe('default');
    expect(rule.spec.workloadSelector).toBeUndefined();
    expect(rule.spec.exportTo).toBeUndefined();
    expect(rule.spec.trafficPolicy.portLevelSettings[0].tls).toEqual({ mode: 'SIMPLE' });
  });

  test('the sidecars\' double TLS on 443 (EGR134) is acknowledged by the choice at synth, and lint still reports it on the YAML', () => {
    const written: string[] = [];
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: any) => { written.push(String(chunk)); return true; });
    let objects: any[];
    try {
      objects = run(gatewayTlsOrigination);
    } finally {
      stderr.mockRestore();
    }
    expect(written.filter(w => w.includes('EGR134'))).toEqual([]);
    const findings = lintObjects(objects);
    const doubleTls = findings.filter(f => f.rule === 'DOUBLETLS');
    expect(doubleTls).toHaveLength(1);
    expect(doubleTls[0].severity).toBe('warning');
    expect(doubleTls[0].message).toContain('the sidecars of default originate TLS (SIMPLE) to edition.cnn.com:443');
  });

  test('lint finds the same warning in the docs\' own objects', () => {
    const findings = lintObjects(gatewayTlsOrigination.docs().map(o => renamed(o, CNN_NAMES)));
    expect(findings.filter(f => f.rule === 'DOUBLETLS').map(f => f.field))
      .toEqual(['spec.trafficPolicy.portLevelSettings[0].tls.mode']);
  });
});

describeDocsTask({
  title: 'Egress Gateways with TLS Origination, "Perform mutual TLS origination with an egress gateway"',
  build: docsGatewayMtlsOrigination,
  names: {
    'istio-egressgateway': 'default-nginx',
    'egressgateway-for-nginx': 'nginx-egress',
    'direct-nginx-through-egress-gateway': 'nginx-egress',
    'originate-mtls-for-nginx': 'my-nginx-mesh-external-svc-cluster-local-tls-origination',
    'nginx': 'my-nginx-mesh-external-svc-cluster-local',
    'https': 'https-443',
  },
  docs: () => [
    docsObject('Gateway', 'istio-egressgateway', {
      selector: { istio: 'egressgateway' },
      servers: [{ port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: [NGINX], tls: { mode: 'ISTIO_MUTUAL' } }],
    }),
    docsObject('DestinationRule', 'egressgateway-for-nginx', {
      host: GATEWAY_SERVICE,
      subsets: [{
        name: 'nginx',
        trafficPolicy: {
          loadBalancer: { simple: 'ROUND_ROBIN' },
          portLevelSettings: [{ port: { number: 443 }, tls: { mode: 'ISTIO_MUTUAL', sni: NGINX } }],
        },
      }],
    }),
    docsObject('VirtualService', 'direct-nginx-through-egress-gateway', {
      hosts: [NGINX],
      gateways: ['istio-egressgateway', 'mesh'],
      http: [
        {
          match: [{ gateways: ['mesh'], port: 80 }],
          route: [{ destination: { host: GATEWAY_SERVICE, subset: 'nginx', port: { number: 443 } }, weight: 100 }],
        },
        {
          match: [{ gateways: ['istio-egressgateway'], port: 443 }],
          route: [{ destination: { host: NGINX, port: { number: 443 } }, weight: 100 }],
        },
      ],
    }),
    docsObject('DestinationRule', 'originate-mtls-for-nginx', {
      host: NGINX,
      trafficPolicy: {
        loadBalancer: { simple: 'ROUND_ROBIN' },
        portLevelSettings: [{ port: { number: 443 }, tls: { mode: 'MUTUAL', credentialName: 'client-credential', sni: NGINX } }],
      },
    }, 'istio-system'),
  ],
  differences: [
    {
      object: 'DestinationRule/my-nginx-mesh-external-svc-cluster-local-tls-origination',
      field: 'spec.workloadSelector',
      docs: undefined,
      ours: { matchLabels: { istio: 'egressgateway' } },
      why: 'in the gateway\'s namespace the library writes the origination for the gateway\'s pods only '
        + '(OriginationPlacement.gatewayOnly()); besideHost() drops the selector but moves the rule beside the ServiceEntry, '
        + 'to default. There is no placement "in the gateway\'s namespace, for every proxy", which is what the docs write '
        + '(in istio-system, the root namespace, every sidecar would apply it too and could not read the Secret).',
    },
    {
      object: 'DestinationRule/my-nginx-mesh-external-svc-cluster-local-tls-origination',
      field: 'spec.exportTo',
      docs: undefined,
      ours: ['.'],
      why: 'the same placement: the library keeps the gateway\'s rule in the gateway\'s namespace.',
    },
  ],
  extraObjects: [
    {
      object: 'ServiceEntry/nginx',
      why: 'the docs\' host is the Kubernetes Service my-nginx of mesh-external, which the docs\' tab declares no further; '
        + 'an EgressGatewayRoute routes an ExternalHost only, which writes a ServiceEntry (hosts, ports 80 and 443, DNS).',
    },
  ],
});

describeDocsTask({
  title: 'Egress TLS Origination, "TLS origination for egress traffic"',
  build: docsSidecarTlsOrigination,
  names: {},
  docs: () => [
    docsObject('ServiceEntry', 'edition-cnn-com', {
      hosts: ['edition.cnn.com'],
      ports: [
        { number: 80, name: 'http-port', protocol: 'HTTP', targetPort: 443 },
        { number: 443, name: 'https-port', protocol: 'HTTPS' },
      ],
      resolution: 'DNS',
    }),
    docsObject('DestinationRule', 'edition-cnn-com', {
      host: 'edition.cnn.com',
      trafficPolicy: { portLevelSettings: [{ port: { number: 80 }, tls: { mode: 'SIMPLE' } }] },
    }),
  ],
});

describeDocsTask({
  title: 'Egress TLS Origination, "Mutual TLS origination for egress traffic"',
  build: docsSidecarMtlsOrigination,
  names: {},
  docs: () => [
    docsObject('ServiceEntry', 'originate-mtls-for-nginx', {
      hosts: [NGINX],
      ports: [
        { number: 80, name: 'http-port', protocol: 'HTTP', targetPort: 443 },
        { number: 443, name: 'https-port', protocol: 'HTTPS' },
      ],
      resolution: 'DNS',
    }),
    docsObject('DestinationRule', 'originate-mtls-for-nginx', {
      workloadSelector: { matchLabels: { app: 'curl' } },
      host: NGINX,
      trafficPolicy: {
        loadBalancer: { simple: 'ROUND_ROBIN' },
        portLevelSettings: [{ port: { number: 80 }, tls: { mode: 'MUTUAL', credentialName: 'client-credential', sni: NGINX } }],
      },
    }),
  ],
});

/** The docs' two ServiceEntries of "Accessing External Services" (an HTTP and an HTTPS host). */
function externalServiceEntries() {
  return [
    docsObject('ServiceEntry', 'httpbin-ext', {
      hosts: ['httpbin.org'],
      ports: [{ number: 80, name: 'http', protocol: 'HTTP' }],
      resolution: 'DNS',
      location: 'MESH_EXTERNAL',
    }),
    docsObject('ServiceEntry', 'google', {
      hosts: ['www.google.com'],
      ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }],
      resolution: 'DNS',
      location: 'MESH_EXTERNAL',
    }),
  ];
}

describeDocsTask({
  title: 'Accessing External Services, "Access an external HTTP service" and "... HTTPS service"',
  build: chart => { docsExternalServices(chart); },
  names: {},
  docs: () => [
    ...externalServiceEntries(),
  ],
});

describeDocsTask({
  title: 'Accessing External Services, "Manage traffic to external services" (a 3 s timeout)',
  build: chart => { docsExternalServices(chart, { timeout: true }); },
  names: {},
  docs: () => [
    ...externalServiceEntries(),
    docsObject('VirtualService', 'httpbin-ext', {
      hosts: ['httpbin.org'],
      http: [{ timeout: '3s', route: [{ destination: { host: 'httpbin.org' }, weight: 100 }] }],
    }),
  ],
  differences: [
    {
      object: 'VirtualService/httpbin-ext',
      field: 'spec.http[0].match',
      docs: undefined,
      ours: [{ port: 80 }],
      why: 'the library writes one route per HTTP port of the host, matched on the port; httpbin-ext has port 80 only, '
        + 'so the route matches the same requests as the docs\' unmatched one.',
    },
    {
      object: 'VirtualService/httpbin-ext',
      field: 'spec.http[0].route[0].destination.port',
      docs: undefined,
      ours: { number: 80 },
      why: 'the same route per port names its port; the docs\' destination without a port goes to the only one, 80.',
    },
    {
      object: 'VirtualService/httpbin-ext',
      field: 'spec.http[0].route[0].weight',
      docs: 100,
      ours: undefined,
      why: 'the library leaves the weight of a sidecar route\'s only destination out; it takes all the traffic either way.',
    },
  ],
});

describeDocsTask({
  title: 'Egress using Wildcard Hosts, "Configure direct traffic to a wildcard host"',
  build: chart => { docsWildcardDirect(chart); },
  names: {},
  docs: () => [
    docsObject('ServiceEntry', 'wikipedia', {
      hosts: ['*.wikipedia.org'],
      ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }],
    }),
  ],
});

describeDocsTask({
  title: 'Egress using Wildcard Hosts, "Configure egress gateway traffic to a wildcard host"',
  build: docsWildcardThroughGateway,
  names: {
    'istio-egressgateway': 'default-wikipedia',
    'egressgateway-for-wikipedia': 'wikipedia-egress',
    'direct-wikipedia-through-egress-gateway': 'wikipedia-egress',
    'wikipedia': 'wildcard-wikipedia-org',
    'https': 'tls-443',
  },
  docs: () => [
    docsObject('Gateway', 'istio-egressgateway', {
      selector: { istio: 'egressgateway' },
      servers: [{ port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['*.wikipedia.org'], tls: { mode: 'PASSTHROUGH' } }],
    }),
    docsObject('DestinationRule', 'egressgateway-for-wikipedia', { host: GATEWAY_SERVICE, subsets: [{ name: 'wikipedia' }] }),
    docsObject('VirtualService', 'direct-wikipedia-through-egress-gateway', {
      hosts: ['*.wikipedia.org'],
      gateways: ['mesh', 'istio-egressgateway'],
      tls: [
        {
          match: [{ gateways: ['mesh'], port: 443, sniHosts: ['*.wikipedia.org'] }],
          route: [{ destination: { host: GATEWAY_SERVICE, subset: 'wikipedia', port: { number: 443 } }, weight: 100 }],
        },
        {
          match: [{ gateways: ['istio-egressgateway'], port: 443, sniHosts: ['*.wikipedia.org'] }],
          route: [{ destination: { host: 'www.wikipedia.org', port: { number: 443 } }, weight: 100 }],
        },
      ],
    }),
    docsObject('ServiceEntry', 'www-wikipedia', {
      hosts: ['www.wikipedia.org'],
      ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }],
      resolution: 'DNS',
    }),
  ],
  differences: [
    {
      object: 'Gateway/default-wikipedia',
      field: 'spec.servers[0].port.protocol',
      docs: 'HTTPS',
      ours: 'TLS',
      why: 'the library writes a PASSTHROUGH server as protocol TLS whatever the host\'s port says; Istio forwards an HTTPS '
        + 'server in PASSTHROUGH mode by SNI just the same, as a TLS stream (pkg/config/gateway/gateway.go: IsPassThroughServer, '
        + 'IsHTTPServer, IsTLSServer).',
    },
    {
      object: 'VirtualService/wikipedia-egress',
      field: 'spec.gateways',
      docs: ['mesh', 'default-wikipedia'],
      ours: ['default-wikipedia', 'mesh'],
      why: GATEWAYS_ORDER,
    },
  ],
  extraObjects: [
    {
      object: 'ServiceEntry/wikipedia',
      why: 'the route\'s host is the ExternalHost *.wikipedia.org, whose ServiceEntry the library writes; the docs\' Istio-API tab '
        + 'keeps none after the previous section\'s cleanup (its Gateway API tab writes the same ServiceEntry).',
    },
  ],
});

describeDocsTask({
  title: 'Using an External HTTPS Proxy, "Configure traffic to external HTTPS proxy" (the proxy at 10.244.1.5)',
  build: chart => { docsHttpsProxy(chart, '10.244.1.5'); },
  names: {},
  docs: () => [
    docsObject('ServiceEntry', 'proxy', {
      hosts: ['my-company-proxy.com'],
      addresses: ['10.244.1.5/32'],
      ports: [{ number: 3128, name: 'tcp', protocol: 'TCP' }],
      location: 'MESH_EXTERNAL',
      resolution: 'NONE',
    }),
  ],
});
