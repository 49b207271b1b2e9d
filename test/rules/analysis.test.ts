/**
 * Rules across objects, on hand-written manifests (as `lint` sees YAML) and on apps that mix the
 * library's constructs with objects the user adds.
 */
import { ApiObject, App, Chart } from 'cdk8s';
import { EgressAnalysis, EgressGateway, EgressGatewayRoute, EgressPort, ExternalHost } from '../../src';
import { lintObjects } from '../../src/analysis';
import { appWithChart, synth, synthError } from '../support/synth';

const NET = 'networking.istio.io/v1';
const GW_HOST = 'istio-egressgateway.istio-system.svc.cluster.local';

function se(name: string, namespace: string, spec: any) {
  return { apiVersion: NET, kind: 'ServiceEntry', metadata: { name, namespace }, spec };
}
function gateway(name: string, namespace: string, host: string, selector: Record<string, string> = { istio: 'egressgateway' }, port = 80, protocol = 'HTTP') {
  return { apiVersion: NET, kind: 'Gateway', metadata: { name, namespace }, spec: { selector, servers: [{ port: { number: port, name: 'p', protocol }, hosts: [host] }] } };
}
function dr(name: string, namespace: string, host: string, subsets: string[]) {
  return { apiVersion: NET, kind: 'DestinationRule', metadata: { name, namespace }, spec: { host, subsets: subsets.map(s => ({ name: s })) } };
}
function vs(name: string, namespace: string, spec: any) {
  return { apiVersion: NET, kind: 'VirtualService', metadata: { name, namespace }, spec };
}

/** The lesson's four objects, correct; each test breaks one thing. */
function lesson(overrides: { gatewayRef?: string; subset?: string; exportTo?: string[]; meshBound?: boolean; destinationPort?: number | null } = {}) {
  const gatewayRef = overrides.gatewayRef ?? 'istio-system/istio-egressgateway';
  const destinationPort = overrides.destinationPort === null ? undefined : { number: overrides.destinationPort ?? 80 };
  return [
    se('wikipedia', 'default', {
      hosts: ['www.wikipedia.org'],
      resolution: 'DNS',
      exportTo: overrides.exportTo,
      ports: [{ number: 80, name: 'http', protocol: 'HTTP' }, { number: 443, name: 'https', protocol: 'HTTPS' }],
    }),
    gateway('istio-egressgateway', 'istio-system', 'www.wikipedia.org'),
    dr('egressgateway-for-wikipedia', 'default', GW_HOST, ['wikipedia']),
    vs('wikipedia-egress-gateway', 'default', {
      hosts: ['www.wikipedia.org'],
      gateways: overrides.meshBound === false ? [gatewayRef] : [gatewayRef, 'mesh'],
      http: [
        ...(overrides.meshBound === false ? [] : [{
          match: [{ gateways: ['mesh'], port: 80 }],
          route: [{ destination: { host: GW_HOST, subset: overrides.subset ?? 'wikipedia', port: { number: 80 } }, weight: 100 }],
        }]),
        { match: [{ gateways: [gatewayRef], port: 80 }], route: [{ destination: { host: 'www.wikipedia.org', port: destinationPort }, weight: 100 }] },
      ],
    }),
  ];
}

function findings(objects: any[], context = {}) {
  return lintObjects(objects, context).map(f => `${f.code ?? f.rule} ${f.severity} [${f.index}] ${f.field}: ${f.message} | ${f.fix}`);
}

describe('references (IST0101, IST0112) and bypass', () => {
  test('the corrected lesson has no errors; its HTTPS port, which bypasses the gateway, is a warning (EGR220)', () => {
    expect(findings(lesson())).toEqual([expect.stringMatching(/^EGR220 warning \[0\] spec\.ports\[1\]: port 443 \(HTTPS\) of www\.wikipedia\.org /)]);
  });

  test('a short gateway name resolves in the VirtualService namespace and is not found; the fix names the right one', () => {
    const out = findings(lesson({ gatewayRef: 'istio-egressgateway' }));
    expect(out).toContainEqual(expect.stringContaining('IST0101 error [3] spec.gateways[0]: Referenced gateway not found: "default/istio-egressgateway" '
      + '| the Gateway is istio-system/istio-egressgateway: write "istio-system/istio-egressgateway"'));
  });

  test('a subset no DestinationRule defines', () => {
    expect(findings(lesson({ subset: 'wiki' }))).toContainEqual(expect.stringContaining(
      'IST0101 error [3] spec.http[0].route[0].destination.subset: Referenced host+subset in destinationrule not found: '
      + `"${GW_HOST}+wiki"`));
  });

  test('a host without ServiceEntry, and a port it does not declare', () => {
    const objects = lesson({ destinationPort: 8080 });
    expect(findings(objects)).toContainEqual(expect.stringContaining('IST0101 error [3] spec.http[1].route[0].destination.port.number: '
      + 'Referenced host:port not found: "www.wikipedia.org:8080"'));
    expect(findings(objects.slice(1))).toContainEqual(expect.stringContaining('Referenced host not found: "www.wikipedia.org" | add a ServiceEntry'));
  });

  test('a ServiceEntry not exported to the gateway\'s namespace (the gateway cannot route it)', () => {
    expect(findings(lesson({ exportTo: ['.'] }))).toContainEqual(expect.stringContaining(
      'Referenced host not found: "www.wikipedia.org" is not exported to namespace istio-system, where gateway istio-system/istio-egressgateway runs '
      + '| add "istio-system" to the exportTo of ServiceEntry default/wikipedia'));
  });

  test('a destination without port on a multi-port host (IST0112)', () => {
    expect(findings(lesson({ destinationPort: null }))).toContainEqual(expect.stringContaining(
      'IST0112 error [3] spec.http[1].route[0].destination.port: This VirtualService routes to a service "www.wikipedia.org" that exposes multiple ports [80 443]'));
  });

  test('a gateway route without its mesh route: the gateway is bypassed', () => {
    expect(findings(lesson({ meshBound: false }))).toContainEqual(expect.stringContaining(
      'EGR102 error [3] spec.gateways: the VirtualService sends www.wikipedia.org from gateway istio-system/istio-egressgateway to the external host, '
      + 'but no VirtualService bound to the mesh sends www.wikipedia.org to that gateway'));
  });

  test('an egress Gateway whose selector matches no known gateway pods warns; unknown pods are not guessed', () => {
    const objects = lesson();
    (objects[1] as any).spec.selector = { istio: 'egress-gateway' };
    expect(findings(objects).filter(f => f.startsWith('IST0101'))).toEqual([]);
    expect(findings(objects, { gatewayPods: [{ istio: 'egressgateway', app: 'istio-egressgateway' }] })).toContainEqual(expect.stringContaining(
      'IST0101 warning [1] spec.selector: Referenced selector not found: "istio=egress-gateway"'));
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'gw', namespace: 'istio-system' }, spec: { template: { metadata: { labels: { istio: 'egress-gateway' } } } } };
    expect(findings([...objects, deployment], { gatewayPods: [{ istio: 'egressgateway' }] }).filter(f => f.startsWith('IST0101'))).toEqual([]);
  });
});

describe('conflicts between ServiceEntries', () => {
  test('the same host and port with different protocols (EGR106; IST0177 only after Istio 1.30.3), or resolutions (warning)', () => {
    const a = se('a', 'team-a', { hosts: ['api.example.com'], ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }], resolution: 'DNS' });
    const b = se('b', 'team-b', { hosts: ['api.example.com'], ports: [{ number: 443, name: 'tls', protocol: 'TCP' }], resolution: 'DNS', addresses: ['10.0.0.1'] });
    const c = se('c', 'team-c', { hosts: ['api.example.com'], ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }], resolution: 'NONE' });
    expect(findings([a, b])).toContainEqual(expect.stringContaining('EGR106 error [1] spec.ports[0].protocol: Multiple ServiceEntries (team-a/a, team-b/b) '
      + 'define the same host "api.example.com" and port 443 with conflicting protocols (HTTPS, TCP)'));
    expect(findings([a, c])).toContainEqual(expect.stringContaining('EGR105 warning [1] spec.resolution'));
    // Not visible to each other: no conflict.
    expect(findings([{ ...a, spec: { ...a.spec, exportTo: ['.'] } }, { ...b, spec: { ...b.spec, exportTo: ['.'] } }])).toEqual([]);
  });
});

describe('locked-down namespaces', () => {
  const sidecar = (hosts: string[], selector?: Record<string, string>) => ({
    apiVersion: NET,
    kind: 'Sidecar',
    metadata: { name: 'lockdown', namespace: 'default' },
    spec: { workloadSelector: selector && { labels: selector }, outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' }, egress: [{ hosts }] },
  });

  test('a route of a locked-down namespace to a host its Sidecar does not import gives 502s', () => {
    const out = findings([...lesson(), sidecar(['./*', 'shared/*'])]);
    expect(out).toContainEqual(expect.stringContaining('EGR103 error [3] spec.http[0].route[0].destination.host: namespace default is locked down by '
      + `Sidecar lockdown (REGISTRY_ONLY), which does not import ${GW_HOST} (defined in istio-system)`));
    const bypass = (f: string) => f.startsWith('EGR220 ');
    expect(findings([...lesson(), sidecar(['./*', 'istio-system/*'])]).filter(f => !bypass(f))).toEqual([]);
    // A Sidecar for some workloads only does not speak for the namespace.
    expect(findings([...lesson(), sidecar(['./*'], { app: 'x' })]).filter(f => !bypass(f))).toEqual([]);
  });
});

describe('the app-wide analysis at synth', () => {
  test('checks objects the user adds next to the constructs, and reports them with their path', () => {
    // GIVEN: a route, plus a hand-made VirtualService that sends the same host elsewhere
    const { app, chart } = appWithChart();
    const host = new ExternalHost(chart, 'Host', { hosts: ['api.example.com'], ports: [EgressPort.https()] });
    new EgressGatewayRoute(chart, 'Route', { host, gateway: EgressGateway.istioDefault() });
    new ApiObject(chart, 'Manual', {
      apiVersion: NET,
      kind: 'VirtualService',
      metadata: { name: 'manual' },
      spec: { hosts: ['api.example.com'], gateways: ['egress'], tls: [{ match: [{ sniHosts: ['api.example.com'] }], route: [{ destination: { host: 'api.example.com', port: { number: 443 } } }] }] },
    });

    // THEN
    const error = synthError(app);
    expect(error).toContain('[test] VirtualService manual (IST0101): spec.gateways[0] = "egress": Referenced gateway not found: "default/egress"');
  });

  test('a per-object error of a user object is reported too', () => {
    const { app, chart } = appWithChart();
    new ExternalHost(chart, 'Host', { hosts: ['api.example.com'], ports: [EgressPort.https()] });
    new ApiObject(chart, 'Bad', { apiVersion: NET, kind: 'ServiceEntry', metadata: { name: 'bad' }, spec: { hosts: ['*'] } });
    expect(synthError(app)).toContain('[test] ServiceEntry bad: spec.hosts[0] = "*": invalid host *');
  });

  test('a reference to a Gateway outside the app can be acknowledged; errors of other kinds cannot', () => {
    const build = (ack: string[]) => {
      const app = new App();
      const chart = new Chart(app, 'c', { namespace: 'default' });
      new ExternalHost(chart, 'Host', { hosts: ['api.example.com'], ports: [EgressPort.https()] });
      const manual = new ApiObject(chart, 'Manual', {
        apiVersion: NET,
        kind: 'VirtualService',
        metadata: { name: 'manual' },
        spec: { hosts: ['api.example.com'], gateways: ['istio-system/installed-elsewhere', 'mesh'], tls: [{ match: [{ sniHosts: ['api.example.com'], port: 443 }], route: [{ destination: { host: 'api.example.com', port: { number: 443 } } }] }] },
      });
      ack.forEach(code => EgressAnalysis.acknowledge(manual, code, 'the Gateway is installed by the platform team'));
      return app;
    };
    expect(synthError(build([]))).toContain('Referenced gateway not found: "istio-system/installed-elsewhere"');
    expect(synth(build(['IST0101'])).map(o => o.kind)).toEqual(['ServiceEntry', 'VirtualService']);
  });

  test('warnings of the constructs can be acknowledged on the construct or a scope above it', () => {
    const { app, chart } = appWithChart();
    new ExternalHost(chart, 'Host', { hosts: ['a.example.com', 'b.example.com'], ports: [EgressPort.tls()], addresses: ['192.0.2.1'] });
    EgressAnalysis.acknowledge(chart, 'SE22', 'one address for both hosts on purpose');
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    synth(app);
    const printed = stderr.mock.calls.length;
    stderr.mockRestore();
    expect(printed).toBe(0);
  });
});
