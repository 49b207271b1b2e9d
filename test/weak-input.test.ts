/**
 * Weak input that Istio accepts without a word (issue 12): each is refused at synth with the library's
 * error (field, value, fix), or passes only once acknowledged where it is a legitimate choice. The
 * messages name the construct props at synth; lint reports the objects' fields with the same codes.
 * Where Istio runs the object as written and only egress control is weaker (EGR203, EGR204), lint and
 * objects the library did not write get a warning: never an error on configuration Istio runs.
 */
import { ApiObject } from 'cdk8s';
import {
  DataplaneMode, EgressAnalysis, EgressGateway, EgressGatewayRoute, EgressLockdown, EgressPort, EgressProtocol, ExportTo, ExternalHost,
  ExternalHostProps, HostLocation, LoadBalancerPolicy, MeshNamespace, Resolution, SidecarOutboundPolicy, TlsOrigination, TlsOriginationObject,
} from '../src';
import { lintObjects } from '../src/analysis';
import { appWithChart, byKind, oneOfKind, synth, synthError } from './support/synth';

function errorOf(props: ExternalHostProps): string {
  const { app, chart } = appWithChart();
  new ExternalHost(chart, 'Host', props);
  return synthError(app);
}

/** `code field: message` of what lint finds in hand-written objects. */
function lint(...objects: any[]): string[] {
  return lintObjects(objects).map(f => `${f.code} ${f.severity} ${f.field}: ${f.message}`);
}

const se = (spec: Record<string, unknown>) => ({ apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'ext', namespace: 'egress' }, spec });
const gateway = (spec: Record<string, unknown>) => ({ apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'egress', namespace: 'istio-system' }, spec });
const server = { port: { number: 443, name: 'tls', protocol: 'TLS' }, hosts: ['api.example.com'], tls: { mode: 'PASSTHROUGH' } };

describe('exportTo * (EGR203): visible to every namespace, only when acknowledged', () => {
  test.each([
    ['ExportTo.everywhere()', ExportTo.everywhere()],
    ["ExportTo.namespaces('*')", ExportTo.namespaces('*')],
  ])('%s is refused with the props to use instead', (_, exportTo) => {
    const error = errorOf({ hosts: ['api.example.com'], ports: [EgressPort.https()], exportTo });
    expect(error).toContain('[test/Host] ServiceEntry api-example-com (EGR203): spec.exportTo[0] = "*": ServiceEntry default/api-example-com '
      + 'is exported to every namespace, so the workloads of every namespace may reach api.example.com');
    expect(error).toContain('Fix: export the host to the namespaces that use it (ExternalHost: exportTo: ExportTo.whereUsed() or ExportTo.namespaces(...))');
    expect(error).toContain("EgressAnalysis.acknowledge(<the construct at test/Host>, 'EGR203', '<why it is right>')");
  });

  test('an acknowledgement on a scope lets it through', () => {
    const { app, chart } = appWithChart();
    new ExternalHost(chart, 'Host', { hosts: ['api.example.com'], ports: [EgressPort.https()], exportTo: ExportTo.everywhere() });
    EgressAnalysis.acknowledge(chart, 'EGR203', 'a host shared by every team');
    expect(oneOfKind(synth(app), 'ServiceEntry').spec.exportTo).toEqual(['*']);
  });

  test('lint reports it on hand-written YAML; narrower exports and none pass', () => {
    expect(lint(se({ hosts: ['api.example.com'], ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }], resolution: 'DNS', exportTo: ['*'] })))
      .toEqual(['EGR203 warning spec.exportTo[0]: ServiceEntry egress/ext is exported to every namespace, so the workloads of every namespace '
        + 'may reach api.example.com, including namespaces added later']);
    expect(lint(se({ hosts: ['api.example.com'], ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }], resolution: 'DNS', exportTo: ['.', 'apps'] }))).toEqual([]);
    expect(lint(se({ hosts: ['api.example.com'], ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }], resolution: 'DNS' }))).toEqual([]);
  });
});

describe('weakening choices in objects the library did not write: warnings, as in lint', () => {
  test('an ApiObject ServiceEntry exported everywhere and a Gateway without selector synthesize, with a warning each', () => {
    const { app, chart } = appWithChart();
    // A construct of the library makes the app analyze every object in it.
    new ExternalHost(chart, 'Host', { hosts: ['other.example.com'], ports: [EgressPort.https()] });
    new ApiObject(chart, 'Entry', se({ hosts: ['api.example.com'], ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }], resolution: 'DNS', exportTo: ['*'] }));
    new ApiObject(chart, 'Gateway', gateway({ servers: [server] }));
    const warnings: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation(chunk => { warnings.push(String(chunk)); return true; });
    try {
      expect(byKind(synth(app), 'ServiceEntry').map(o => o.spec.exportTo)).toEqual([undefined, ['*']]);
    } finally {
      spy.mockRestore();
    }
    expect(warnings.filter(w => w.includes('(EGR203): spec.exportTo[0] = "*"'))).toHaveLength(1);
    expect(warnings.filter(w => w.includes('(EGR204): spec.selector = null'))).toHaveLength(1);
  });
});

describe('a gateway whose selector is empty (EGR204): every gateway proxy', () => {
  test('a route through a gateway reference with selector {} is refused, naming the prop', () => {
    const { app, chart } = appWithChart();
    const host = new ExternalHost(chart, 'Host', { hosts: ['api.example.com'], ports: [EgressPort.https()] });
    new EgressGatewayRoute(chart, 'Route', {
      host, gateway: EgressGateway.fromAttributes({ namespace: 'istio-system', selector: {}, serviceName: 'istio-egressgateway' }),
    });
    const error = synthError(app);
    expect(error).toContain('[test/Route] Gateway default-api-example-com (EGR204): spec.selector = {}: Gateway istio-system/default-api-example-com '
      + 'has an empty selector, so Istio applies its servers to every gateway proxy (ingress gateways included');
    expect(error).toContain('Fix: select the egress gateway pods by their labels, e.g. istio: egressgateway (EgressGateway.fromAttributes: selector)');
  });

  test('a lockdown given such a gateway would open every pod of its namespace: refused unless acknowledged', () => {
    const build = (acknowledged: boolean) => {
      const { app, chart } = appWithChart();
      const host = new ExternalHost(chart, 'Host', { hosts: ['api.example.com'], ports: [EgressPort.https()], clientNamespaces: ['apps'] });
      new EgressGatewayRoute(chart, 'Route', { host, gateway: EgressGateway.istioDefault() });
      const lockdown = new EgressLockdown(chart, 'Lockdown', {
        namespace: 'apps', hosts: [host], gateways: [EgressGateway.fromAttributes({ namespace: 'istio-system', selector: {}, serviceName: 'istio-egressgateway' })],
      });
      if (acknowledged) {
        EgressAnalysis.acknowledge(lockdown, 'EGR204', 'the namespace runs egress gateways only');
      }
      return app;
    };
    expect(synthError(build(false))).toContain('[test/Lockdown] gateways[0].selector (EGR204) = {}: an empty selector selects every pod of namespace '
      + 'istio-system, so the NetworkPolicy lets the workloads of apps send to all of them on any port, not only to the egress gateway. '
      + "Fix: give the gateway pods' labels (EgressGateway.fromAttributes: selector, e.g. { istio: 'egressgateway' }).");
    const policy = oneOfKind(synth(build(true)), 'NetworkPolicy');
    expect(policy.spec.egress[0].to).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'istio-system' } }, podSelector: { matchLabels: {} } }]);
  });

  test('lint reports a Gateway without selector or with an empty one, not one that selects', () => {
    expect(lint(gateway({ servers: [server] }))).toEqual([
      'EGR204 warning spec.selector: Gateway istio-system/egress has no selector, so Istio applies its servers to every gateway proxy '
      + '(ingress gateways included, and those of other namespaces unless istiod scopes gateways to their namespace): its hosts can be reached through any of them',
    ]);
    expect(lint(gateway({ selector: {}, servers: [server] }))[0]).toContain('EGR204 warning spec.selector: Gateway istio-system/egress has an empty selector');
    expect(lint(gateway({ selector: { istio: 'egressgateway' }, servers: [server] }))).toEqual([]);
  });
});

describe('STATIC resolution with no endpoints (EGR114): nowhere to send', () => {
  test('is refused at synth, naming the props that fix it', () => {
    const error = errorOf({ hosts: ['api.example.com'], ports: [EgressPort.https()], resolution: Resolution.STATIC });
    expect(error).toContain('[test/Host] ServiceEntry api-example-com (EGR114): spec.resolution = "STATIC": ServiceEntry default/api-example-com '
      + 'resolves its hosts STATIC but lists no endpoints and selects no workloads');
    expect(error).toContain("Fix: list the host's IP addresses as endpoints (ExternalHost: endpoints), or resolve it with DNS (ExternalHost: resolution: Resolution.DNS)");
  });

  test('with endpoints it synthesizes', () => {
    const { app, chart } = appWithChart();
    new ExternalHost(chart, 'Host', { hosts: ['api.example.com'], ports: [EgressPort.https()], resolution: Resolution.STATIC, endpoints: [{ address: '192.0.2.10' }] });
    expect(oneOfKind(synth(app), 'ServiceEntry').spec.endpoints).toEqual([{ address: '192.0.2.10' }]);
  });

  test('lint reports it; endpoints or a workloadSelector (WorkloadEntries) give it addresses', () => {
    const https = { number: 443, name: 'https', protocol: 'HTTPS' };
    expect(lint(se({ hosts: ['api.example.com'], ports: [https], resolution: 'STATIC', addresses: ['192.0.2.10'] })).map(l => l.split(':')[0]))
      .toEqual(['EGR114 error spec.resolution']);
    expect(lint(se({ hosts: ['api.example.com'], ports: [https], resolution: 'STATIC', endpoints: [{ address: '192.0.2.10' }] }))).toEqual([]);
    expect(lint(se({ hosts: ['vm.example.internal'], ports: [https], resolution: 'STATIC', addresses: ['192.0.2.10'], workloadSelector: { labels: { app: 'vm' } } })))
      .toEqual([]);
  });
});

describe('values outside the enums (from other jsii languages) are refused, not written', () => {
  test.each<[string, ExternalHostProps, string]>([
    ['a protocol UDP', { hosts: ['dns.example.com'], ports: [EgressPort.of({ number: 53, protocol: 'UDP' as EgressProtocol })] },
      '[test/Host] ports[0].protocol = "UDP": not a value of EgressProtocol, so the library cannot write it. Fix: use one of EgressProtocol.HTTP (\'HTTP\'), '],
    ['an unknown resolution', { hosts: ['api.example.com'], ports: [EgressPort.https()], resolution: 'LOOKUP' as Resolution },
      '[test/Host] resolution = "LOOKUP": not a value of Resolution, so the library cannot write it. Fix: use one of Resolution.NONE (\'NONE\'), '
      + 'Resolution.STATIC (\'STATIC\'), Resolution.DNS (\'DNS\'), Resolution.DNS_ROUND_ROBIN (\'DNS_ROUND_ROBIN\'), Resolution.DYNAMIC_DNS (\'DYNAMIC_DNS\').'],
    ['an unknown location', { hosts: ['api.example.com'], ports: [EgressPort.https()], location: 'OUTSIDE' as HostLocation },
      '[test/Host] location = "OUTSIDE": not a value of HostLocation, so the library cannot write it. Fix: use one of '
      + 'HostLocation.MESH_EXTERNAL (\'MESH_EXTERNAL\'), HostLocation.MESH_INTERNAL (\'MESH_INTERNAL\').'],
    ['an unknown load balancer', { hosts: ['api.example.com'], ports: [EgressPort.https()], trafficPolicy: { loadBalancer: 'FASTEST' as LoadBalancerPolicy } },
      '[test/Host] trafficPolicy.loadBalancer = "FASTEST": not a value of LoadBalancerPolicy, so the library cannot write it. Fix: use one of '
      + 'LoadBalancerPolicy.ROUND_ROBIN (\'ROUND_ROBIN\'), LoadBalancerPolicy.LEAST_REQUEST (\'LEAST_REQUEST\'), LoadBalancerPolicy.RANDOM (\'RANDOM\').'],
    ['an exportTo that is not an ExportTo', { hosts: ['api.example.com'], ports: [EgressPort.https()], exportTo: ['apps'] as unknown as ExportTo },
      '[test/Host] exportTo = ["apps"]: not an ExportTo, so the library cannot write it. Fix: use ExportTo.whereUsed(), ExportTo.sameNamespace(), '],
  ])('%s', (_, props, message) => {
    const error = synthErrorLines(props);
    expect(error.join('\n')).toContain(message);
    // One cause, one message: the rules' finding about the same field is left out.
    expect(error).toHaveLength(1);
  });

  test.each([
    ['MeshNamespace', (chart: any) => new MeshNamespace(chart, 'Ns', { name: 'apps', dataplaneMode: 'AMBIANT' as DataplaneMode })],
    ['EgressLockdown', (chart: any) => new EgressLockdown(chart, 'Lockdown', { namespace: 'apps', dataplaneMode: 'AMBIANT' as DataplaneMode })],
  ])('%s dataplaneMode', (kind, make) => {
    const { app, chart } = appWithChart();
    make(chart);
    expect(synthError(app)).toContain(`[test/${kind === 'MeshNamespace' ? 'Ns' : 'Lockdown'}] dataplaneMode = "AMBIANT": not a data plane mode. `
      + 'Fix: use DataplaneMode.SIDECAR or DataplaneMode.AMBIENT.');
  });
});

/** The lines of the synth error. */
function synthErrorLines(props: ExternalHostProps): string[] {
  return errorOf(props).split('\n').slice(1).map(l => l.trim()).filter(Boolean);
}

describe('a partial wildcard: refused by the construct, a warning in lint as in Istio', () => {
  test('ExternalHost refuses *example.com with the whole-label form as fix, and only that message', () => {
    expect(synthErrorLines({ hosts: ['*example.com'], ports: [EgressPort.https()] })).toEqual([
      '[test/Host] hosts[0] = "*example.com": a partial wildcard, which Istio\'s webhook reports as not allowed (a warning) and its docs do not support: '
      + 'a wildcard stands for whole leading labels only, so what the proxies match is not what the host says. '
      + 'Fix: use a whole wildcard label, e.g. "*.example.com", or the concrete host names.',
    ]);
  });

  test('lint keeps Istio\'s severity: a warning (SE4), no error', () => {
    const findings = lintObjects([se({ hosts: ['*example.com'], ports: [{ number: 443, name: 'tls', protocol: 'TLS' }] })]);
    expect(findings.filter(f => f.severity === 'error')).toEqual([]);
    expect(findings.map(f => `${f.rule} ${f.severity} ${f.message}`)).toContain('SE4 warning partial wildcard "*example.com" not allowed');
  });
});

describe('two definitions of one host', () => {
  test('a second ExternalHost for a host of the namespace is reported as a duplicate, not a name clash', () => {
    const { app, chart } = appWithChart();
    new ExternalHost(chart, 'Api', { hosts: ['api.example.com'], ports: [EgressPort.https()] });
    new ExternalHost(chart, 'ApiHttp', { hosts: ['api.example.com'], ports: [EgressPort.http()] });
    const error = synthError(app);
    expect(error).toContain('[test/ApiHttp] hosts: "api.example.com" is also declared by test/Api (ExternalHost, ServiceEntry default/api-example-com) '
      + 'in namespace default: two definitions of one host conflict');
    expect(error).toContain('Fix: declare the host once, in one ExternalHost with every port (addPort)');
    expect(error).not.toContain('EGR101');
    expect(error).not.toContain('[test/Api]');
  });

  test('a second definition added after a synth is found by the next synth', () => {
    const { app, chart } = appWithChart();
    new ExternalHost(chart, 'Api', { hosts: ['api.example.com'], ports: [EgressPort.https()] });
    expect(byKind(synth(app), 'ServiceEntry')).toHaveLength(1);
    new ExternalHost(chart, 'Again', { hosts: ['api.example.com'], ports: [EgressPort.https()], metadata: { name: 'again' } });
    expect(synthError(app)).toContain('[test/Again] hosts: "api.example.com" is also declared by test/Api');
  });

  test('also under another name; in another namespace each has its own', () => {
    const { app, chart } = appWithChart();
    new ExternalHost(chart, 'Api', { hosts: ['api.example.com', 'www.example.com'], ports: [EgressPort.https()] });
    new ExternalHost(chart, 'Www', { hosts: ['www.example.com'], ports: [EgressPort.https()], metadata: { name: 'www' } });
    expect(synthError(app)).toContain('[test/Www] hosts: "www.example.com" is also declared by test/Api');

    const other = appWithChart();
    new ExternalHost(other.chart, 'Api', { hosts: ['api.example.com'], ports: [EgressPort.https()] });
    new ExternalHost(other.chart, 'TeamApi', { hosts: ['api.example.com'], ports: [EgressPort.https()], metadata: { namespace: 'team' } });
    expect(byKind(synth(other.app), 'ServiceEntry')).toHaveLength(2);
  });
});

describe('an error caused by another is not reported again', () => {
  test('a route port the host does not declare is the only message, not also "no HTTP port is routed"', () => {
    const { app, chart } = appWithChart();
    const host = new ExternalHost(chart, 'Host', { hosts: ['api.example.com'], ports: [EgressPort.https()] });
    new EgressGatewayRoute(chart, 'Route', { host, gateway: EgressGateway.istioDefault(), ports: [80], tlsOrigination: TlsOrigination.simple() });
    const error = synthError(app);
    expect(error).toContain('[test/Route] ports: 80 is not a port of api.example.com (it declares 443 (HTTPS)).');
    expect(error).not.toContain('nothing to originate TLS for');
  });

  test('origination on a host without HTTP port: the missing port, not also the empty traffic policy it leaves', () => {
    expect(synthErrorLines({ hosts: ['api.example.com'], ports: [EgressPort.https()], tlsOrigination: TlsOrigination.simple() })).toEqual([
      '[test/Host] tlsOrigination: the host has no HTTP port (it declares 443 (HTTPS)), so there is nothing to apply it to. '
      + 'Fix: declare the HTTP port the application uses, e.g. EgressPort.http(80).',
    ]);
  });

  test('a second definition of a host: the duplicate, not also the protocol clash it causes', () => {
    const { app, chart } = appWithChart();
    new ExternalHost(chart, 'Api', { hosts: ['api.example.com'], ports: [EgressPort.https()] });
    new ExternalHost(chart, 'ApiTls', { hosts: ['api.example.com'], ports: [EgressPort.tls(443)], metadata: { name: 'api-tls' } });
    const lines = synthError(app).split('\n').slice(1).filter(l => l.trim() !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('[test/ApiTls] hosts: "api.example.com" is also declared by test/Api');
  });

  test('with no port refused, "no HTTP port is routed" is still the message', () => {
    const { app, chart } = appWithChart();
    const host = new ExternalHost(chart, 'Host', { hosts: ['api.example.com'], ports: [EgressPort.https()] });
    new EgressGatewayRoute(chart, 'Route', { host, gateway: EgressGateway.istioDefault(), tlsOrigination: TlsOrigination.simple() });
    expect(synthError(app)).toContain('[test/Route] tlsOrigination: no HTTP port is routed, so there is nothing to originate TLS for');
  });
});

describe('mutual TLS origination at the sidecar (Istio task "Mutual TLS origination for egress traffic")', () => {
  const nginx = 'my-nginx.mesh-external.svc.cluster.local';
  const props = (selector?: Record<string, string>): ExternalHostProps => ({
    hosts: [nginx],
    metadata: { name: 'originate-mtls-for-nginx' },
    ports: [EgressPort.of({ number: 31443, protocol: EgressProtocol.HTTP, name: 'http-port-for-tls-origination' })],
    resolution: Resolution.NONE,
    exportTo: ExportTo.sameNamespace(),
    tlsOrigination: TlsOrigination.mutual({ port: 31443, credentialName: 'client-credential', sni: nginx }),
    tlsOriginationWorkloadSelector: selector,
  });

  test('the client workload selector scopes the DestinationRule, as the task writes it', () => {
    const { app, chart } = appWithChart();
    new ExternalHost(chart, 'Nginx', props({ app: 'sleep' }));
    const objects = synth(app);
    expect(oneOfKind(objects, 'ServiceEntry').spec).toEqual({
      exportTo: ['.'],
      hosts: [nginx],
      location: 'MESH_EXTERNAL',
      ports: [{ name: 'http-port-for-tls-origination', number: 31443, protocol: 'HTTP' }],
      resolution: 'NONE',
    });
    expect(oneOfKind(objects, 'DestinationRule')).toMatchObject({
      metadata: { name: 'originate-mtls-for-nginx', namespace: 'default' },
      spec: {
        host: nginx,
        workloadSelector: { matchLabels: { app: 'sleep' } },
        trafficPolicy: { portLevelSettings: [{ port: { number: 31443 }, tls: { mode: 'MUTUAL', credentialName: 'client-credential', sni: nginx } }] },
      },
    });
  });

  test('without the selector the sidecars would not read the Secret: refused once, with the prop to set', () => {
    const { app, chart } = appWithChart();
    new ExternalHost(chart, 'Nginx', props());
    expect(synthError(app).split('\n').slice(1)).toEqual([
      "  [test/Nginx] tlsOrigination (EGR111): TlsOrigination.mutual({ credentialName: 'client-credential' }) at the sidecar: sidecars read a credentialName "
      + `Secret only from a DestinationRule with a workload selector, so as written they send to ${nginx} without TLS. Fix: set `
      + 'tlsOriginationWorkloadSelector to the labels of the client pods (the Secret in their namespace, readable by their service account), '
      + 'or verify with caCertificates instead of credentialName, or originate at the egress gateway (EgressGatewayRoute: tlsOrigination). '
      + "If it is right as it is: EgressAnalysis.acknowledge(<the construct at test/Nginx>, 'EGR111', '<why it is right>')",
    ]);
  });

  test('acknowledging EGR111 writes the rule without selector (for sidecars that are gateways)', () => {
    const { app, chart } = appWithChart();
    const host = new ExternalHost(chart, 'Nginx', props());
    EgressAnalysis.acknowledge(host, 'EGR111', 'read by a gateway proxy');
    expect(oneOfKind(synth(app), 'DestinationRule').spec.workloadSelector).toBeUndefined();
  });

  test.each<[string, ExternalHostProps, string]>([
    ['without tlsOrigination', { hosts: ['api.example.com'], ports: [EgressPort.http()], tlsOriginationWorkloadSelector: { app: 'curl' } },
      '[test/Host] tlsOriginationWorkloadSelector = {"app":"curl"}: there is no tlsOrigination to scope. Fix: set tlsOrigination, or remove tlsOriginationWorkloadSelector.'],
    ['with a BackendTLSPolicy', {
      hosts: ['api.example.com'],
      ports: [EgressPort.http(), EgressPort.https()],
      tlsOrigination: TlsOrigination.simple({ carriedBy: TlsOriginationObject.backendTlsPolicy() }),
      tlsOriginationWorkloadSelector: { app: 'curl' },
    }, '[test/Host] tlsOriginationWorkloadSelector = {"app":"curl"}: a BackendTLSPolicy has no workload selector (it applies to every client). '
      + 'Fix: carry the origination in a DestinationRule (the default carriedBy).'],
  ])('the selector is refused %s', (_, hostProps, message) => {
    expect(errorOf(hostProps)).toContain(message);
  });
});

describe('at synth the fix names the props the user wrote, not YAML fields', () => {
  test('CA options beside withoutServerVerification() point at TlsOrigination.simple()', () => {
    const error = synthErrorLines({
      hosts: ['api.example.com'],
      ports: [EgressPort.http(), EgressPort.https()],
      tlsOrigination: TlsOrigination.withoutServerVerification({ caCertificates: '/etc/ssl/certs/ca-certificates.crt' }),
    });
    expect(error).toEqual([
      '[test/Host] tlsOrigination: TlsOrigination.withoutServerVerification({ caCertificates }): an origination that does not verify the server '
      + 'takes no caCertificates (Istio refuses them beside insecureSkipVerify). Fix: use TlsOrigination.simple({ caCertificates }) to verify the '
      + 'server, or leave caCertificates out.',
    ]);
  });

  test('lint keeps the YAML fields for the same object', () => {
    const dr = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: 'api', namespace: 'default' },
      spec: { host: 'api.example.com', trafficPolicy: { tls: { mode: 'SIMPLE', insecureSkipVerify: true, caCertificates: '/etc/ssl/certs/ca-certificates.crt' } } },
    };
    expect(lintObjects([dr]).map(f => `${f.field}: ${f.message}. Fix: ${f.fix}`)).toContain('spec.trafficPolicy.tls.insecureSkipVerify: cannot specify CaCertificates '
      + 'or CredentialName or SubjectAltNames when InsecureSkipVerify is set true. Fix: remove insecureSkipVerify, or remove caCertificates, credentialName and subjectAltNames');
  });
});

describe('lint finds the lockdown weakenings the constructs refuse (EGR205, EGR206): warnings, as Kubernetes and Istio run them', () => {
  const policy = (egress: unknown[]) => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'egress', namespace: 'apps' },
    spec: { podSelector: {}, policyTypes: ['Egress'], egress },
  });
  const sidecar = (outboundTrafficPolicy?: Record<string, unknown>) => ({
    apiVersion: 'networking.istio.io/v1',
    kind: 'Sidecar',
    metadata: { name: 'default', namespace: 'apps' },
    spec: { egress: [{ hosts: ['./*', 'istio-system/*'] }], ...(outboundTrafficPolicy ? { outboundTrafficPolicy } : {}) },
  });

  test('an egress peer of every address, IPv4 or IPv6, with or without exceptions, is EGR205', () => {
    expect(lint(policy([{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }]))).toEqual([
      'EGR205 warning spec.egress[0].to[0].ipBlock.cidr: NetworkPolicy apps/egress lets the pods it selects send to every address on any port, '
      + 'so they can reach external hosts directly, around the egress gateway and its policies',
    ]);
    expect(lint(policy([{ to: [{ podSelector: {} }] }, { ports: [{ port: 443 }], to: [{ ipBlock: { cidr: '::/0', except: ['fd00::/8'] } }] }])))
      .toEqual(['EGR205 warning spec.egress[1].to[0].ipBlock.cidr: NetworkPolicy apps/egress lets the pods it selects send to every address '
        + "on the rule's ports, so they can reach external hosts directly, around the egress gateway and its policies"]);
  });

  test('blocks of some addresses and selectors are not', () => {
    expect(lint(policy([{ to: [{ ipBlock: { cidr: '203.0.113.0/24' } }, { namespaceSelector: { matchLabels: { istio: 'system' } } }] }]))).toEqual([]);
    expect(lint(policy([{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }] }]))).toEqual([]);
  });

  test('a Sidecar with ALLOW_ANY is EGR206; REGISTRY_ONLY and none (the mesh decides, unknown to lint) are not', () => {
    expect(lint(sidecar({ mode: 'ALLOW_ANY' }))).toEqual([
      'EGR206 warning spec.outboundTrafficPolicy.mode: Sidecar apps/default lets the workloads it applies to reach any host, registered or not: '
      + 'unknown hosts pass through their sidecar without a ServiceEntry',
    ]);
    expect(lint(sidecar({ mode: 'REGISTRY_ONLY' }))).toEqual([]);
    expect(lint(sidecar())).toEqual([]);
  });

  test('at synth, a lockdown with allowAny() is told once, in its props; acknowledged, the ALLOW_ANY Sidecar is written without a word', () => {
    const build = (acknowledged: boolean) => {
      const { app, chart } = appWithChart();
      const lockdown = new EgressLockdown(chart, 'Lockdown', { namespace: 'apps', hosts: [], outboundPolicy: SidecarOutboundPolicy.allowAny() });
      if (acknowledged) {
        EgressAnalysis.acknowledge(lockdown, 'EGR206', 'a namespace in migration');
      }
      return app;
    };
    const error = synthError(build(false));
    expect(error).toContain('[test/Lockdown] outboundPolicy = SidecarOutboundPolicy.allowAny() (EGR206)');
    expect(error).not.toContain('spec.outboundTrafficPolicy.mode');
    const warnings: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation(chunk => { warnings.push(String(chunk)); return true; });
    try {
      expect(oneOfKind(synth(build(true)), 'Sidecar').spec.outboundTrafficPolicy).toEqual({ mode: 'ALLOW_ANY' });
    } finally {
      spy.mockRestore();
    }
    expect(warnings.filter(w => w.includes('EGR206'))).toEqual([]);
  });
});
