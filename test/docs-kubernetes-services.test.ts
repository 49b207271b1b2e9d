/**
 * Istio's task "Kubernetes Services for egress traffic" written with the library where the user asks
 * for the docs' choices (examples/tasks/kubernetes-services.ts): the output equals the docs' objects
 * field for field. The expected objects are written here from the current page (istio.io
 * content/uk/docs/tasks/traffic-management/egress/egress-kubernetes-services, networking.istio.io/v1),
 * applied in the namespace `default`; the API server's defaults are left out, as the docs leave them.
 * Every refused input has its message asserted.
 */
import { Chart } from 'cdk8s';
import { WIKIPEDIA_ADDRESSES, docsKubernetesServices } from '../examples/tasks/kubernetes-services';
import {
  EgressAnalysis, EgressLockdown, EgressPort, EgressProtocol, EndpointsKind, ExternalHost, KubernetesEgressService, KubernetesEgressServiceProps,
  ServiceDestination,
} from '../src';
import { lintObjects } from '../src/analysis';
import { appWithChart, synth, synthError } from './support/synth';

const byKey = (objects: any[]) => Object.fromEntries(objects.map(o => [`${o.kind}/${o.metadata.name}`, o]));

/** The docs' objects, in the namespace `default`. */
function docsObjects(): any[] {
  const metadata = (name: string) => ({ name, namespace: 'default' });
  const disable = (name: string) => ({
    apiVersion: 'networking.istio.io/v1',
    kind: 'DestinationRule',
    metadata: metadata(name),
    spec: { host: `${name}.default.svc.cluster.local`, trafficPolicy: { tls: { mode: 'DISABLE' } } },
  });
  return [
    {
      kind: 'Service',
      apiVersion: 'v1',
      metadata: metadata('my-httpbin'),
      spec: { type: 'ExternalName', externalName: 'httpbin.org', ports: [{ name: 'http', protocol: 'TCP', port: 80 }] },
    },
    disable('my-httpbin'),
    {
      kind: 'Service',
      apiVersion: 'v1',
      metadata: metadata('my-wikipedia'),
      spec: { ports: [{ protocol: 'TCP', port: 443, name: 'tls' }] },
    },
    {
      kind: 'Endpoints',
      apiVersion: 'v1',
      metadata: metadata('my-wikipedia'),
      subsets: [{ addresses: [{ ip: '198.35.26.96' }, { ip: '208.80.153.224' }], ports: [{ port: 443, name: 'tls' }] }],
    },
    disable('my-wikipedia'),
  ];
}

function build(write: (chart: Chart) => void): any[] {
  const { app, chart } = appWithChart('default');
  write(chart);
  return synth(app);
}

function refusal(props: KubernetesEgressServiceProps): string {
  const { app, chart } = appWithChart('default');
  new KubernetesEgressService(chart, 'Svc', props);
  return synthError(app);
}

const http = EgressPort.of({ number: 80, protocol: EgressProtocol.HTTP, name: 'http' });
const alias = ServiceDestination.externalName('api.example.com');

describe('Kubernetes Services for egress traffic, with the docs\' choices', () => {
  test('the output equals the docs\' objects field for field, and lints without errors', () => {
    const objects = build(chart => docsKubernetesServices(chart));

    expect(byKey(objects)).toEqual(byKey(docsObjects()));
    expect(objects).toHaveLength(5);
    const findings = lintObjects(objects);
    expect(findings.filter(f => f.severity === 'error')).toEqual([]);
    // The one warning: the alias' DestinationRule, which Istio 1.20+ does not apply (acknowledged in the example).
    expect(findings.map(f => [f.code, objects[f.index].kind, objects[f.index].metadata.name])).toEqual([
      ['EGR115', 'DestinationRule', 'my-httpbin'],
    ]);
  });

  test('the library\'s default for addresses: an EndpointSlice, labelled for its Service, with the Service\'s port name', () => {
    const objects = build(chart => docsKubernetesServices(chart, EndpointsKind.ENDPOINT_SLICE));

    expect(objects.filter(o => o.kind === 'Endpoints')).toEqual([]);
    expect(byKey(objects)['EndpointSlice/my-wikipedia']).toEqual({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        name: 'my-wikipedia',
        namespace: 'default',
        labels: { 'kubernetes.io/service-name': 'my-wikipedia', 'endpointslice.kubernetes.io/managed-by': 'cdk8s-istio-egress' },
      },
      addressType: 'IPv4',
      endpoints: WIKIPEDIA_ADDRESSES.map(address => ({ addresses: [address], conditions: { ready: true } })),
      ports: [{ name: 'tls', protocol: 'TCP', port: 443 }],
    });
    expect(lintObjects(objects).filter(f => f.code !== 'EGR115')).toEqual([]);
  });
});

describe('KubernetesEgressService defaults', () => {
  test('an ExternalName Service gets no DestinationRule (Istio applies none to an alias); default port names name the protocol', () => {
    const objects = build(chart => new KubernetesEgressService(chart, 'Api', { destination: alias, ports: [EgressPort.https(), EgressPort.tcp(5432)] }));

    expect(objects).toEqual([{
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'api-example-com', namespace: 'default' },
      spec: {
        type: 'ExternalName',
        externalName: 'api.example.com',
        ports: [{ name: 'https-443', protocol: 'TCP', port: 443 }, { name: 'tcp-5432', protocol: 'TCP', port: 5432 }],
      },
    }]);
    expect(lintObjects(objects)).toEqual([]);
  });

  test('addresses of both families: one EndpointSlice each, target ports on the Service and the slices; the DestinationRule can be left out', () => {
    const objects = build(chart => new KubernetesEgressService(chart, 'Db', {
      destination: ServiceDestination.addresses(['192.0.2.10', '2001:db8::10']),
      ports: [EgressPort.of({ number: 5432, protocol: EgressProtocol.TCP, targetPort: 6432 })],
      disableIstioMutualTls: false,
    }));

    expect(objects.map(o => `${o.kind}/${o.metadata.name}`)).toEqual(['Service/db', 'EndpointSlice/db-ipv4', 'EndpointSlice/db-ipv6']);
    expect(objects[0].spec.ports).toEqual([{ name: 'tcp-5432', protocol: 'TCP', port: 5432, targetPort: 6432 }]);
    expect(objects[1]).toMatchObject({ addressType: 'IPv4', endpoints: [{ addresses: ['192.0.2.10'] }], ports: [{ name: 'tcp-5432', port: 6432 }] });
    expect(objects[2]).toMatchObject({ addressType: 'IPv6', endpoints: [{ addresses: ['2001:db8::10'] }] });
    expect(lintObjects(objects)).toEqual([]);
  });
});

describe('KubernetesEgressService beside a lockdown', () => {
  function printedWith(hosts: (chart: Chart) => ExternalHost[]): string {
    const printed: string[] = [];
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(text => printed.push(String(text)) > 0);
    try {
      build(chart => {
        new KubernetesEgressService(chart, 'Httpbin', {
          metadata: { name: 'my-httpbin' }, destination: ServiceDestination.externalName('httpbin.org'), ports: [http],
        });
        new EgressLockdown(chart, 'Lockdown', { namespace: 'default', hosts: hosts(chart), networkPolicy: false });
      });
    } finally {
      write.mockRestore();
    }
    return printed.join('');
  }

  test('an alias whose host the lockdown does not let out is a warning at synth (EGR117); declared by an ExternalHost, it is not', () => {
    expect(printedWith(() => [])).toContain('Service my-httpbin (EGR117): spec.externalName = "httpbin.org": namespace default is locked down by Sidecar');
    expect(printedWith(chart => [new ExternalHost(chart, 'HttpbinOrg', { hosts: ['httpbin.org'], ports: [http] })])).not.toContain('EGR117');
  });
});

describe('KubernetesEgressService refuses what Istio or Kubernetes would read otherwise', () => {
  test('a port name that names another protocol, or none', () => {
    const printed: string[] = [];
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(text => printed.push(String(text)) > 0);
    const web = refusal({ destination: alias, ports: [EgressPort.of({ number: 80, protocol: EgressProtocol.HTTP, name: 'web' })] });
    write.mockRestore();
    // One cause, one message: Istio's warning about the same port (IST0150) is left out.
    expect(printed.join('')).not.toContain('IST0150');
    expect(web)
      .toContain('ports[0].name = "web": Istio reads a Service port\'s protocol from its name (the part before the first "-"), and reads this one as '
        + 'no protocol it knows (it sniffs the traffic), not HTTP. Fix: name it "http" or "http-<suffix>", or leave the name out (the default "http-80").');
    expect(refusal({ destination: alias, ports: [EgressPort.of({ number: 443, protocol: EgressProtocol.TLS, name: 'https' })] }))
      .toContain('ports[0].name = "https": Istio reads a Service port\'s protocol from its name (the part before the first "-"), and reads this one as HTTPS, not TLS.');
  });

  test('a port named "tcp" on an ExternalName Service is Istio\'s warning (IST0150), as lint reports it; acknowledged, it is not printed', () => {
    const warnings: string[] = [];
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(text => warnings.push(String(text)) > 0);
    try {
      const tcp = EgressPort.of({ number: 5432, protocol: EgressProtocol.TCP, name: 'tcp' });
      const objects = build(chart => new KubernetesEgressService(chart, 'Db', { destination: alias, ports: [tcp] }));
      expect(lintObjects(objects).map(f => `${f.code} ${f.severity} ${f.field}`)).toEqual(['IST0150 warning spec.ports[0].name']);
      expect(warnings.join('')).toContain('Port name for ExternalName service is invalid.');
      warnings.length = 0;
      build(chart => EgressAnalysis.acknowledge(new KubernetesEgressService(chart, 'Db', { destination: alias, ports: [tcp] }), 'IST0150', 'a test'));
      expect(warnings).toEqual([]);
    } finally {
      write.mockRestore();
    }
  });

  test('a port name the API server refuses, and two ports with one name', () => {
    expect(refusal({ destination: alias, ports: [EgressPort.of({ number: 80, protocol: EgressProtocol.HTTP, name: 'HTTP_web' })] }))
      .toContain('ports[0].name = "HTTP_web": not a DNS label (lower-case letters, digits and "-", at most 63), which the API server requires of a '
        + 'Service port name. Fix: name it "http" or "http-<suffix>".');
    expect(refusal({ destination: alias, ports: [http, EgressPort.of({ number: 8080, protocol: EgressProtocol.HTTP, name: 'http' })] }))
      .toContain('ports[1].name = "http": two ports of the Service have this name, and the API server refuses duplicate port names. Fix: give each port its own name.');
    expect(refusal({ destination: alias, ports: [] })).toContain('ports: the Service has no port');
  });

  test('a Service name the API server refuses, given or derived', () => {
    expect(refusal({ destination: ServiceDestination.externalName('1password.com'), ports: [http] }))
      .toContain('metadata.name = "1password-com" (derived from the external host name): the API server requires a Service name to be a DNS-1035 '
        + 'label (lower-case letters, digits and "-", starting with a letter, at most 63). Fix: give metadata.name, e.g. "my-api".');
    expect(refusal({ metadata: { name: 'api.example.com' }, destination: alias, ports: [http] }))
      .toContain('metadata.name = "api.example.com": the API server requires a Service name to be a DNS-1035 label');
  });

  test('a target port on an ExternalName Service', () => {
    expect(refusal({ destination: alias, ports: [EgressPort.of({ number: 80, protocol: EgressProtocol.HTTP, targetPort: 8080 })] }))
      .toContain('ports[0].targetPort = 8080: an ExternalName Service is a DNS alias, so clients connect to the external host on the port they use (80); '
        + 'a target port is never applied.');
  });

  test('an IP address as externalName, a host name as address, no address, a wildcard host', () => {
    expect(refusal({ destination: ServiceDestination.externalName('192.0.2.1'), ports: [http] }))
      .toContain('destination: ServiceDestination.externalName(\'192.0.2.1\'): an IP address, which the cluster DNS answers as a CNAME to a host named '
        + '"192.0.2.1" (no such host resolves). Fix: use ServiceDestination.addresses([\'192.0.2.1\']) for an IP-addressed destination.');
    expect(refusal({ destination: ServiceDestination.addresses(['api.example.com']), ports: [http] }))
      .toContain('destination: addresses[0] = "api.example.com": not an IP address; endpoints of a Service are IP addresses. '
        + 'Fix: give the destination\'s IP address, or use ServiceDestination.externalName(\'api.example.com\') for a host name.');
    expect(refusal({ destination: ServiceDestination.addresses([]), ports: [http] }))
      .toContain('destination: ServiceDestination.addresses([]): a Service without selector and without addresses has no endpoint');
    expect(refusal({ destination: ServiceDestination.externalName('*.example.com'), ports: [http] }))
      .toContain('destination: ServiceDestination.externalName(\'*.example.com\'): not a DNS name the API server accepts as externalName');
  });

  test('values from other languages outside the classes and enums', () => {
    const any = (v: unknown) => v as any;
    expect(refusal({ destination: any({ externalName: 'api.example.com' }), ports: [http] }))
      .toContain('destination = {"externalName":"api.example.com"}: not a ServiceDestination, so the library cannot write it.');
    expect(refusal({ destination: ServiceDestination.addresses(['192.0.2.1'], any('Pods')), ports: [http] }))
      .toContain('destination.endpointsKind = "Pods": not a value of EndpointsKind, so the library cannot write it.');
    expect(refusal({ destination: alias, ports: [EgressPort.of({ number: 53, protocol: any('UDP') })] }))
      .toContain('ports[0].protocol = "UDP": not a value of EgressProtocol, so the library cannot write it.');
    expect(refusal({ destination: alias, ports: [any({ number: 80, protocol: 'HTTP', name: 'http' })] }))
      .toContain('ports[0] = {"number":80,"protocol":"HTTP","name":"http"}: not an EgressPort.');
    expect(refusal({ destination: alias, ports: [http], disableIstioMutualTls: any('yes') }))
      .toContain('disableIstioMutualTls = "yes": not a boolean. Fix: use true or false.');
  });
});
