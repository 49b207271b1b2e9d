/**
 * Istio's egress gateway tasks written with the library, where the user asks for the docs' choices
 * (the Gateway object beside the clients, the origination beside the ServiceEntry, no `sni`): the
 * output equals the docs' objects field for field. The expected objects are written here from the
 * tasks' "Istio APIs" tabs (istio.io content/en/docs/tasks/traffic-management/egress/egress-gateway,
 * "Egress gateway for HTTP traffic", and egress-gateway-tls-origination, "Perform TLS origination
 * with an egress gateway"), with two differences stated where they are made:
 * - names are the library's own (`RENAMED` maps the docs' names to them: object names, the subset,
 *   the Gateway's server port names);
 * - the ServiceEntry states `location: MESH_EXTERNAL`, the default the docs leave out.
 */
import { App, Chart } from 'cdk8s';
import {
  EgressAnalysis, EgressGateway, EgressGatewayRoute, EgressPort, EgressProtocol, ExternalHost, LoadBalancerPolicy, OriginationPlacement,
  TlsOrigination,
} from '../src';
import { lintObjects } from '../src/analysis';
import { appWithChart, synth } from './support/synth';

const ISTIO = 'networking.istio.io/v1';
const GATEWAY_SERVICE = 'istio-egressgateway.istio-system.svc.cluster.local';

/** The docs' ServiceEntry `cnn`: HTTP on 80 (named as the task names it) and HTTPS on 443, resolved by DNS. */
function docsServiceEntry(httpPortName: string): any {
  return {
    apiVersion: ISTIO,
    kind: 'ServiceEntry',
    metadata: { name: 'cnn', namespace: 'default' },
    spec: {
      hosts: ['edition.cnn.com'],
      ports: [{ number: 80, name: httpPortName, protocol: 'HTTP' }, { number: 443, name: 'https', protocol: 'HTTPS' }],
      resolution: 'DNS',
    },
  };
}

/** The docs' VirtualService direct-cnn-through-egress-gateway, sending port 80 at the gateway to `targetPort`. */
function docsVirtualService(targetPort: number): any {
  return {
    apiVersion: ISTIO,
    kind: 'VirtualService',
    metadata: { name: 'direct-cnn-through-egress-gateway', namespace: 'default' },
    spec: {
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
    },
  };
}

/** The docs' names and the library's, as written in the objects. */
const RENAMED: Record<string, string> = {
  'istio-egressgateway': 'default-cnn',
  'egressgateway-for-cnn': 'cnn-egress',
  'direct-cnn-through-egress-gateway': 'cnn-egress',
  'originate-tls-for-edition-cnn-com': 'edition-cnn-com-tls-origination',
  'cnn': 'edition-cnn-com',
  'http': 'http-80',
  'https-port-for-tls-origination': 'https-80',
};

/** The docs' object with the library's names: object names, Gateway references, the subset and the server port names. */
function renamed(object: any): any {
  const copy = JSON.parse(JSON.stringify(object));
  if (copy.kind !== 'ServiceEntry') {
    copy.metadata.name = RENAMED[copy.metadata.name];
  } else {
    copy.spec.location = 'MESH_EXTERNAL';
  }
  const spec = copy.spec;
  if (copy.kind === 'Gateway') {
    spec.servers.forEach((s: any) => { s.port.name = RENAMED[s.port.name]; });
  }
  if (copy.kind === 'VirtualService') {
    spec.gateways = spec.gateways.map((g: string) => RENAMED[g] ?? g);
    for (const route of spec.http) {
      route.match.forEach((m: any) => { m.gateways = m.gateways.map((g: string) => RENAMED[g] ?? g); });
      route.route.forEach((r: any) => { r.destination.subset = r.destination.subset && RENAMED[r.destination.subset]; });
    }
  }
  if (copy.kind === 'DestinationRule' && spec.subsets) {
    spec.subsets.forEach((s: any) => { s.name = RENAMED[s.name]; });
  }
  return JSON.parse(JSON.stringify(copy));
}

/** The ExternalHost the user writes for the docs' ServiceEntry. */
function cnn(chart: Chart, httpPortName: string): ExternalHost {
  const host = new ExternalHost(chart, 'Cnn', {
    metadata: { name: 'cnn' },
    hosts: ['edition.cnn.com'],
    ports: [
      EgressPort.of({ number: 80, protocol: EgressProtocol.HTTP, name: httpPortName }),
      EgressPort.of({ number: 443, protocol: EgressProtocol.HTTPS, name: 'https' }),
    ],
  });
  EgressAnalysis.acknowledge(host, 'EGR220', 'as in the task: only port 80 goes through the gateway, HTTPS goes direct');
  return host;
}

/** Each synthesized object, keyed by `kind/name`. */
function keyed(app: App): Record<string, any> {
  return Object.fromEntries(synth(app).map(o => [`${o.kind}/${o.metadata.name}`, o]));
}

describe('Egress Gateways, "Egress gateway for HTTP traffic", with the docs\' choices', () => {
  function task() {
    const { app, chart } = appWithChart('default');
    const route = new EgressGatewayRoute(chart, 'ViaEgressGateway', {
      host: cnn(chart, 'http-port'),
      gateway: EgressGateway.istioDefault(),
      ports: [80],
      gatewayMutualTls: false,
      // The docs' choice: the Gateway object beside the clients, in `default`.
      gatewayObjectNamespace: 'default',
    });
    return { app, route };
  }

  test('the ServiceEntry, Gateway, DestinationRule and VirtualService equal the docs\' field for field', () => {
    const docs = [
      docsServiceEntry('http-port'),
      {
        apiVersion: ISTIO,
        kind: 'Gateway',
        metadata: { name: 'istio-egressgateway', namespace: 'default' },
        spec: {
          selector: { istio: 'egressgateway' },
          servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['edition.cnn.com'] }],
        },
      },
      {
        apiVersion: ISTIO,
        kind: 'DestinationRule',
        metadata: { name: 'egressgateway-for-cnn', namespace: 'default' },
        spec: { host: GATEWAY_SERVICE, subsets: [{ name: 'cnn' }] },
      },
      docsVirtualService(80),
    ].map(renamed);
    const objects = synth(task().app);
    expect(objects).toHaveLength(docs.length);
    expect(objects).toEqual(expect.arrayContaining(docs));
  });

  test('the VirtualService names the Gateway of its own namespace by its short name, as the docs do', () => {
    const { app, route } = task();
    const vs = keyed(app)['VirtualService/cnn-egress'];
    expect(route.istioGateway.metadata.namespace).toBe('default');
    expect(vs.spec.gateways).toEqual(['default-cnn', 'mesh']);
  });

  test('lint finds no error in the objects (a Gateway of another namespace still configures the gateway pods)', () => {
    const findings = lintObjects(synth(task().app), { gatewayPods: [{ istio: 'egressgateway', app: 'istio-egressgateway' }] });
    expect(findings.filter(f => f.severity === 'error')).toEqual([]);
  });
});

describe('Egress Gateways with TLS Origination, "Perform TLS origination with an egress gateway", with the docs\' choices', () => {
  function task() {
    const { app, chart } = appWithChart('default');
    const route = new EgressGatewayRoute(chart, 'ViaEgressGateway', {
      host: cnn(chart, 'http'),
      gateway: EgressGateway.istioDefault(),
      ports: [80],
      gatewayObjectNamespace: 'default',
      // The docs' choices: SIMPLE without CA (the proxy's system CAs) and without sni, beside the ServiceEntry.
      tlsOrigination: TlsOrigination.simple({ autoSni: true }),
      originationPlacement: OriginationPlacement.besideHost(),
      // The docs' choice: each gateway pod, and each address of the host, in turn.
      loadBalancer: LoadBalancerPolicy.ROUND_ROBIN,
    });
    EgressAnalysis.acknowledge(route, 'IST0129', 'as in the task: the gateway verifies the server with its system CAs');
    return { app, route };
  }

  const docs = () => [
    docsServiceEntry('http'),
    {
      apiVersion: ISTIO,
      kind: 'Gateway',
      metadata: { name: 'istio-egressgateway', namespace: 'default' },
      spec: {
        selector: { istio: 'egressgateway' },
        servers: [{
          port: { number: 80, name: 'https-port-for-tls-origination', protocol: 'HTTPS' },
          hosts: ['edition.cnn.com'],
          tls: { mode: 'ISTIO_MUTUAL' },
        }],
      },
    },
    {
      apiVersion: ISTIO,
      kind: 'DestinationRule',
      metadata: { name: 'egressgateway-for-cnn', namespace: 'default' },
      spec: {
        host: GATEWAY_SERVICE,
        subsets: [{
          name: 'cnn',
          trafficPolicy: {
            loadBalancer: { simple: 'ROUND_ROBIN' },
            portLevelSettings: [{ port: { number: 80 }, tls: { mode: 'ISTIO_MUTUAL', sni: 'edition.cnn.com' } }],
          },
        }],
      },
    },
    docsVirtualService(443),
    {
      apiVersion: ISTIO,
      kind: 'DestinationRule',
      metadata: { name: 'originate-tls-for-edition-cnn-com', namespace: 'default' },
      spec: {
        host: 'edition.cnn.com',
        trafficPolicy: {
          loadBalancer: { simple: 'ROUND_ROBIN' },
          portLevelSettings: [{ port: { number: 443 }, tls: { mode: 'SIMPLE' } }],
        },
      },
    },
  ].map(renamed);

  test('the five objects equal the docs\' field for field', () => {
    const objects = synth(task().app);
    expect(objects).toHaveLength(5);
    expect(objects).toEqual(expect.arrayContaining(docs()));
  });

  test('the origination rule has no workloadSelector, no exportTo and no sni: every proxy that sees the host applies it', () => {
    const { app, route } = task();
    const rule = keyed(app)['DestinationRule/edition-cnn-com-tls-origination'];
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
      objects = synth(task().app);
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
    const findings = lintObjects(docs());
    expect(findings.filter(f => f.rule === 'DOUBLETLS').map(f => f.field))
      .toEqual(['spec.trafficPolicy.portLevelSettings[0].tls.mode']);
  });
});
