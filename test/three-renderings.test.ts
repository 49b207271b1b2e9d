/**
 * Istio's egress docs tasks written once with the library (examples/tasks/) and rendered three ways:
 * through the egress gateway `istioctl install` creates (Istio's API), through a gateway Istio deploys
 * from a Gateway API Gateway, and through an ambient waypoint. For each task and rendering: every
 * object is valid against its CRD or the Kubernetes schema (`synth` validates them), `lintObjects`
 * finds no error, and the rendering's kinds are there; where the library refuses a rendering, the
 * refusal names the cause and the fix.
 */
import { App, Chart } from 'cdk8s';
import { TASKS, taskCharts } from '../examples/tasks';
import { byKind, synth, synthError } from './support/synth';
import { EgressTask, RENDERINGS, Rendering, taskChart } from '../examples/tasks/renderings';
import { lintObjects } from '../src/analysis';

const OUTDIR = '/tmp/cdk8s-istio-egress-test-never-written';

function task(name: string): EgressTask {
  const found = TASKS.find(t => t.name === name);
  if (!found) {
    throw new Error(`no task ${name}`);
  }
  return found;
}

function render(name: string, rendering: Rendering): App {
  const app = new App({ outdir: OUTDIR });
  taskChart(app, task(name), rendering);
  return app;
}

const ISTIO = 'networking.istio.io/v1';
const GATEWAY_API = 'gateway.networking.k8s.io/v1';
const SECURITY = 'security.istio.io/v1';
const RBAC = 'rbac.authorization.k8s.io/v1';

/** The kinds each rendering writes, as `apiVersion kind`, sorted. */
const EXPECTED: Record<string, Partial<Record<Rendering, string[]>>> = {
  'egress-gateway-http': {
    'istio-api': [`${ISTIO} DestinationRule`, `${ISTIO} Gateway`, `${ISTIO} ServiceEntry`, `${ISTIO} VirtualService`],
    'gateway-api': [`${GATEWAY_API} Gateway`, `${GATEWAY_API} HTTPRoute`, `${GATEWAY_API} HTTPRoute`, `${ISTIO} ServiceEntry`],
  },
  'egress-gateway-https': {
    'istio-api': [`${ISTIO} DestinationRule`, `${ISTIO} Gateway`, `${ISTIO} ServiceEntry`, `${ISTIO} VirtualService`],
    'gateway-api': [`${GATEWAY_API} Gateway`, `${GATEWAY_API} TLSRoute`, `${GATEWAY_API} TLSRoute`, `${ISTIO} ServiceEntry`],
  },
  'egress-gateway-network-policy': {
    'istio-api': [
      `${ISTIO} DestinationRule`, `${ISTIO} Gateway`, `${ISTIO} ServiceEntry`, `${ISTIO} Sidecar`, `${ISTIO} VirtualService`,
      'networking.k8s.io/v1 NetworkPolicy',
    ],
    'gateway-api': [
      `${GATEWAY_API} Gateway`, `${GATEWAY_API} TLSRoute`, `${GATEWAY_API} TLSRoute`, `${ISTIO} ServiceEntry`, `${ISTIO} Sidecar`,
      'networking.k8s.io/v1 NetworkPolicy',
    ],
  },
  'gateway-tls-origination': {
    'istio-api': [`${ISTIO} DestinationRule`, `${ISTIO} DestinationRule`, `${ISTIO} Gateway`, `${ISTIO} ServiceEntry`, `${ISTIO} VirtualService`],
    'gateway-api': [
      `${GATEWAY_API} Gateway`, `${GATEWAY_API} HTTPRoute`, `${GATEWAY_API} HTTPRoute`,
      `${ISTIO} DestinationRule`, `${ISTIO} DestinationRule`, `${ISTIO} ServiceEntry`,
    ],
    'ambient': [`${GATEWAY_API} Gateway`, `${ISTIO} DestinationRule`, `${ISTIO} ServiceEntry`, 'v1 Namespace'],
  },
  'gateway-mtls-origination': {
    'istio-api': [`${ISTIO} DestinationRule`, `${ISTIO} DestinationRule`, `${ISTIO} Gateway`, `${ISTIO} ServiceEntry`, `${ISTIO} VirtualService`],
    'gateway-api': [
      `${GATEWAY_API} Gateway`, `${GATEWAY_API} HTTPRoute`, `${GATEWAY_API} HTTPRoute`,
      `${ISTIO} DestinationRule`, `${ISTIO} DestinationRule`, `${ISTIO} ServiceEntry`,
      `${RBAC} Role`, `${RBAC} RoleBinding`,
    ],
    'ambient': [
      `${GATEWAY_API} Gateway`, `${ISTIO} DestinationRule`, `${ISTIO} ServiceEntry`, `${RBAC} Role`, `${RBAC} RoleBinding`, 'v1 Namespace',
    ],
  },
  'sidecar-tls-origination': {
    'istio-api': [`${ISTIO} DestinationRule`, `${ISTIO} ServiceEntry`],
    'gateway-api': [`${GATEWAY_API} BackendTLSPolicy`, `${ISTIO} ServiceEntry`],
  },
  'wildcard-gateway': {
    'istio-api': [`${ISTIO} DestinationRule`, `${ISTIO} Gateway`, `${ISTIO} ServiceEntry`, `${ISTIO} ServiceEntry`, `${ISTIO} VirtualService`],
    'gateway-api': [`${GATEWAY_API} Gateway`, `${GATEWAY_API} TLSRoute`, `${GATEWAY_API} TLSRoute`, `${ISTIO} ServiceEntry`, `${ISTIO} ServiceEntry`],
  },
  'egress-waypoint': {
    'istio-api': [`${ISTIO} DestinationRule`, `${ISTIO} Gateway`, `${ISTIO} ServiceEntry`, `${ISTIO} VirtualService`],
    'gateway-api': [`${GATEWAY_API} Gateway`, `${GATEWAY_API} HTTPRoute`, `${GATEWAY_API} HTTPRoute`, `${ISTIO} DestinationRule`, `${ISTIO} ServiceEntry`],
    'ambient': [`${GATEWAY_API} Gateway`, `${ISTIO} ServiceEntry`, 'v1 Namespace'],
  },
  'egress-waypoint-tls-origination': {
    ambient: [`${GATEWAY_API} Gateway`, `${ISTIO} DestinationRule`, `${ISTIO} ServiceEntry`, 'v1 Namespace'],
  },
  'egress-waypoint-authorization': {
    'istio-api': [`${ISTIO} DestinationRule`, `${ISTIO} Gateway`, `${ISTIO} ServiceEntry`, `${ISTIO} VirtualService`, `${SECURITY} AuthorizationPolicy`],
    'gateway-api': [
      `${GATEWAY_API} Gateway`, `${GATEWAY_API} HTTPRoute`, `${GATEWAY_API} HTTPRoute`, `${ISTIO} DestinationRule`, `${ISTIO} ServiceEntry`,
      `${SECURITY} AuthorizationPolicy`,
    ],
    'ambient': [`${GATEWAY_API} Gateway`, `${ISTIO} ServiceEntry`, `${SECURITY} AuthorizationPolicy`, 'v1 Namespace'],
  },
};

/** What the library says when it refuses a task in a rendering (the user code is the docs'; the fix is named). */
const MUTUAL_TLS_OFF = 'gatewayMutualTls = false (port %): ztunnel always carries ambient traffic to the waypoint in mutual TLS (HBONE), '
  + 'so it cannot be turned off. Fix: leave gatewayMutualTls out.';
const REFUSED: Record<string, Partial<Record<Rendering, string[]>>> = {
  'egress-gateway-http': { ambient: [MUTUAL_TLS_OFF.replace('%', '80')] },
  'egress-gateway-https': { ambient: [MUTUAL_TLS_OFF.replace('%', '443')] },
  'egress-gateway-network-policy': { ambient: [MUTUAL_TLS_OFF.replace('%', '443')] },
  'wildcard-gateway': {
    ambient: [
      'servedBy: www.wildcard-gateway.example.com: the waypoint wildcard-gateway-ambient/waypoint sends each host of the ServiceEntry to its '
      + 'own address, so there is no server to stand in for a wildcard. Fix: leave servedBy out and list the concrete hosts in the ExternalHost.',
      MUTUAL_TLS_OFF.replace('%', '443'),
    ],
  },
  'egress-waypoint-tls-origination': {
    'istio-api': [
      'VirtualService egress-waypoint-tls-origination-example-com-egress (IST0101): spec.http[1].route[0].destination.port.number = 443: '
      + 'Referenced host:port not found: "egress-waypoint-tls-origination.example.com:443". Fix: route to a port '
      + 'egress-waypoint-tls-origination.example.com declares (80), or declare 443.',
    ],
    'gateway-api': [
      '(EGR148): spec.rules[0].backendRefs[0].port = 443: egress-waypoint-tls-origination.example.com declares no port 443 (it has 80): '
      + 'Istio has no cluster for egress-waypoint-tls-origination.example.com:443, so the route\'s traffic goes nowhere. Fix: send to a port '
      + 'egress-waypoint-tls-origination.example.com declares (80), or declare 443 in its ServiceEntry.',
    ],
  },
};

/** Renderings that do not apply: ambient pods have no sidecar (the waypoint tasks originate TLS there). */
const NOT_APPLICABLE: Record<string, Rendering[]> = { 'sidecar-tls-origination': ['ambient'] };


/** The host of each task in Istio's docs (the wildcard task: its serving host). */
const DOCS_HOSTS: Record<string, string> = {
  'egress-gateway-http': 'edition.cnn.com',
  'egress-gateway-https': 'edition.cnn.com',
  'egress-gateway-network-policy': 'edition.cnn.com',
  'gateway-tls-origination': 'edition.cnn.com',
  'gateway-mtls-origination': 'my-nginx.mesh-external.svc.cluster.local',
  'sidecar-tls-origination': 'edition.cnn.com',
  'wildcard-gateway': 'www.wikipedia.org',
  'egress-waypoint': 'httpbin.org',
  'egress-waypoint-tls-origination': 'httpbin.org',
  'egress-waypoint-authorization': 'httpbin.org',
};

const kindsOf = (objects: any[]) => objects.map(o => `${o.apiVersion} ${o.kind}`).sort();

describe.each(TASKS.map(t => [t.name, t] as const))('%s', (name, t) => {
  const written = RENDERINGS.filter(r => t.renderings.includes(r));
  const refused = RENDERINGS.filter(r => !t.renderings.includes(r) && !(NOT_APPLICABLE[name] ?? []).includes(r));

  test('every rendering is either written (with its kinds listed here) or refused (with its message listed here)', () => {
    expect(Object.keys(EXPECTED[name]).sort()).toEqual([...written].sort());
    expect(Object.keys(REFUSED[name] ?? {}).sort()).toEqual([...refused].sort());
  });

  if (written.length > 0) {
    test.each(written)('%s: valid against the CRDs, no lint error, the rendering\'s kinds', (rendering) => {
      // WHEN (synth validates each object against its CRD or the Kubernetes schema, and fails on any finding of the analysis)
      const objects = synth(render(name, rendering));

      // THEN
      expect(lintObjects(objects).filter(f => f.severity === 'error')).toEqual([]);
      expect(kindsOf(objects)).toEqual(EXPECTED[name][rendering]);
      const namespaces = new Set(objects.map(o => o.metadata.namespace).filter(Boolean));
      if (rendering === 'istio-api') {
        // The installed gateway: its Istio Gateway (if any) lives in istio-system, beside the gateway's pods.
        expect(byKind(objects, 'Gateway').map(g => g.metadata.namespace)).toEqual(byKind(objects, 'Gateway').map(() => 'istio-system'));
      } else {
        expect(namespaces).toEqual(new Set([`${name}-${rendering}`]));
      }
      if (rendering === 'gateway-api') {
        expect(byKind(objects, 'Gateway').map(g => g.spec.gatewayClassName)).toEqual(byKind(objects, 'Gateway').map(() => 'istio'));
      }
      if (rendering === 'ambient') {
        expect(byKind(objects, 'Gateway').map(g => g.spec)).toEqual([
          { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
        ]);
        expect(byKind(objects, 'Namespace')[0].metadata.labels).toEqual({ 'istio.io/dataplane-mode': 'ambient', 'istio.io/use-waypoint': 'waypoint' });
      }
    });
  }

  if (refused.length > 0) {
    test.each(refused)('%s: refused at synth, naming the cause and the fix', (rendering) => {
      const message = synthError(render(name, rendering));
      for (const expected of REFUSED[name][rendering]!) {
        expect(message).toContain(expected);
      }
    });
  }
});

describe('gateway-mtls-origination: the gateway Istio deploys from a Gateway may read the client certificate', () => {
  test('a Role to list Secrets in the gateway\'s namespace, bound to the service account <name>-istio', () => {
    const objects = synth(render('gateway-mtls-origination', 'gateway-api'));
    const [role] = byKind(objects, 'Role');
    const [binding] = byKind(objects, 'RoleBinding');
    expect(role.metadata.namespace).toBe('gateway-mtls-origination-gateway-api');
    expect(role.rules).toEqual([{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }]);
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.metadata.name });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'egress-istio', namespace: 'gateway-mtls-origination-gateway-api' }]);
    // The Secret and the gateway's pods are in one namespace (istiod serves a DestinationRule's Secret only from the proxy's namespace).
    const origination = byKind(objects, 'DestinationRule').find(dr => dr.spec.workloadSelector);
    expect(origination.metadata.namespace).toBe(role.metadata.namespace);
    expect(origination.spec.workloadSelector.matchLabels).toEqual({ 'gateway.networking.k8s.io/gateway-name': 'egress' });
  });

  test('none for the installed gateway (its Helm chart has the Role)', () => {
    expect(byKind(synth(render('gateway-mtls-origination', 'istio-api')), 'Role')).toEqual([]);
  });
});

/**
 * What the docs' own host adds: the mutual TLS task's server is the Kubernetes Service my-nginx of namespace
 * mesh-external, which the Gateway API gateway's route names as a Service, with a ReferenceGrant there.
 */
const DOCS_HOST_EXTRA: Record<string, Partial<Record<Rendering, string[]>>> = {
  'gateway-mtls-origination': { 'gateway-api': [`${GATEWAY_API}beta1 ReferenceGrant`] },
};

describe.each(TASKS.map(t => [t.name, t] as const))('%s with the docs\' own host', (name, t) => {
  test.each([...t.renderings])('%s: valid against the CRDs, no lint error, the same kinds', (rendering) => {
    const app = new App({ outdir: OUTDIR });
    taskChart(app, t, rendering, { docsHost: true });
    const objects = synth(app);
    expect(lintObjects(objects).filter(f => f.severity === 'error')).toEqual([]);
    expect(kindsOf(objects)).toEqual([...EXPECTED[name][rendering]!, ...DOCS_HOST_EXTRA[name]?.[rendering] ?? []].sort());
    expect(byKind(objects, 'ServiceEntry').flatMap(se => se.spec.hosts)).toEqual(expect.arrayContaining([DOCS_HOSTS[name]]));
  });
});

describe('the user code is the same in every rendering', () => {
  test('a host and its route: one ServiceEntry with the same host and ports whatever the gateway', () => {
    const serviceEntries = RENDERINGS.map(rendering => byKind(synth(render('egress-waypoint-authorization', rendering)), 'ServiceEntry'));
    const specs = serviceEntries.map(([se]) => ({ hosts: se.spec.hosts, ports: se.spec.ports }));
    expect(specs[1]).toEqual(specs[0]);
    expect(specs[2]).toEqual(specs[0]);
    expect(specs[0]).toEqual({ hosts: ['egress-waypoint-authorization.example.com'], ports: [{ name: 'http-80', number: 80, protocol: 'HTTP' }] });
  });

  test('the waypoint rendering binds the ServiceEntry to the waypoint through the enrolled namespace', () => {
    const objects = synth(render('egress-waypoint', 'ambient'));
    expect(byKind(objects, 'Namespace')[0].metadata.name).toBe('egress-waypoint-ambient');
    expect(byKind(objects, 'ServiceEntry')[0].metadata.namespace).toBe('egress-waypoint-ambient');
  });
});

describe('the example output', () => {
  test('is byte-stable: two synths of all task charts give the same YAML', () => {
    const yaml = () => {
      const app = new App({ outdir: OUTDIR });
      taskCharts(app);
      return app.synthYaml();
    };
    const first = yaml();
    expect(yaml()).toBe(first);
    expect(first).toContain('kind: HTTPRoute');
  });

  test('has one chart per task and rendering written, named <task>-<rendering>', () => {
    const app = new App({ outdir: OUTDIR });
    const charts = taskCharts(app);
    expect(charts.map(c => c.node.id)).toEqual(TASKS.flatMap(t => t.renderings.map(r => `${t.name}-${r}`)));
    expect(charts.every((c: Chart) => c.namespace === c.node.id)).toBe(true);
  });
});

