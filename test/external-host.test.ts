import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { setFlagsFromString } from 'v8';
import { runInNewContext } from 'vm';
import { ApiObject, App, Chart, JsonPatch, Testing } from 'cdk8s';
import { EgressAnalysis, EgressPort, EgressProtocol, ExportTo, ExternalHost, ExternalHostProps, HostLocation, IstioApiVersion, Resolution } from '../src';
import { appWithChart, oneOfKind, synth, synthError, validSynth } from './support/synth';
import * as rules from '../src/analysis';

function serviceEntryOf(props: ExternalHostProps, namespace?: string, version?: IstioApiVersion): any {
  const { app, chart } = appWithChart(namespace, version);
  new ExternalHost(chart, 'Host', props);
  return oneOfKind(synth(app), 'ServiceEntry');
}

function errorOf(props: ExternalHostProps): string {
  const { app, chart } = appWithChart();
  new ExternalHost(chart, 'Host', props);
  return synthError(app);
}

describe('ExternalHost defaults', () => {
  test('a concrete host gets DNS resolution, MESH_EXTERNAL, derived name and port names, the chart namespace', () => {
    // WHEN
    const se = serviceEntryOf({ hosts: ['www.wikipedia.org'], ports: [EgressPort.http(80), EgressPort.https(443)] });

    // THEN
    expect(se.apiVersion).toBe('networking.istio.io/v1');
    expect(se.metadata).toEqual({ name: 'www-wikipedia-org', namespace: 'default' });
    expect(se.spec).toEqual({
      hosts: ['www.wikipedia.org'],
      location: 'MESH_EXTERNAL',
      ports: [
        { name: 'http-80', number: 80, protocol: 'HTTP' },
        { name: 'https-443', number: 443, protocol: 'HTTPS' },
      ],
      resolution: 'DNS',
    });
  });

  test('a wildcard host gets resolution NONE', () => {
    const se = serviceEntryOf({ hosts: ['*.wikipedia.org'], ports: [EgressPort.https()] });
    expect(se.spec.resolution).toBe('NONE');
    expect(se.metadata.name).toBe('wildcard-wikipedia-org');
  });

  test('the L1 ServiceEntry is the default child, and JSON patches reach the output', () => {
    // GIVEN
    const { app, chart } = appWithChart();
    const host = new ExternalHost(chart, 'Host', { hosts: ['api.example.com'], ports: [EgressPort.https()] });

    // WHEN
    ApiObject.of(host).addJsonPatch(JsonPatch.add('/metadata/labels', { team: 'payments' }));

    // THEN
    expect(ApiObject.of(host)).toBe(host.serviceEntry);
    expect(oneOfKind(synth(app), 'ServiceEntry').metadata.labels).toEqual({ team: 'payments' });
  });

  test('a JSON patch that breaks an Istio rule fails the synth like any other input', () => {
    const { app, chart } = appWithChart();
    const host = new ExternalHost(chart, 'Host', { hosts: ['api.example.com'], ports: [EgressPort.https()] });
    ApiObject.of(host).addJsonPatch(JsonPatch.replace('/spec/hosts/0', '*'));
    expect(synthError(app)).toContain('[test/Host] ServiceEntry api-example-com: spec.hosts[0] = "*": invalid host *');
  });
});

describe('ExternalHost options', () => {
  test('every EgressPort factory sets its protocol and default number', () => {
    const ports = [
      [EgressPort.http(), 80, 'HTTP'], [EgressPort.https(), 443, 'HTTPS'], [EgressPort.tls(), 443, 'TLS'],
      [EgressPort.http2(), 80, 'HTTP2'], [EgressPort.grpc(9090), 9090, 'GRPC'], [EgressPort.tcp(5432), 5432, 'TCP'],
      [EgressPort.mongo(), 27017, 'Mongo'], [EgressPort.mysql(), 3306, 'MySQL'], [EgressPort.redis(), 6379, 'Redis'],
    ] as const;
    for (const [port, number, protocol] of ports) {
      expect({ number: port.number, protocol: port.protocol, name: port.name }).toEqual({ number, protocol, name: `${protocol.toLowerCase()}-${number}` });
    }
    expect(EgressPort.http(8080).isHttp).toBe(true);
    expect(EgressPort.tls(8443).isTls).toBe(true);
    expect(EgressPort.tcp(1).isHttp || EgressPort.tcp(1).isTls).toBe(false);
  });

  test('the general port form keeps name and targetPort', () => {
    const se = serviceEntryOf({
      hosts: ['api.example.com'],
      ports: [EgressPort.of({ number: 80, protocol: EgressProtocol.HTTP, name: 'web', targetPort: 443 })],
    });
    expect(se.spec.ports).toEqual([{ name: 'web', number: 80, protocol: 'HTTP', targetPort: 443 }]);
  });

  test('STATIC resolution with endpoints: address, port map, labels, network, locality, weight', () => {
    const se = serviceEntryOf({
      hosts: ['db.example.com'],
      ports: [EgressPort.tcp(5432)],
      resolution: Resolution.STATIC,
      addresses: ['10.1.0.0/24'],
      endpoints: [
        { address: '10.1.0.7', ports: { 'tcp-5432': 15432 }, labels: { role: 'primary' }, network: 'net-a', locality: 'eu-west/zone-1', weight: 3 },
        { address: '10.1.0.8' },
      ],
    });
    expect(se.spec.resolution).toBe('STATIC');
    expect(se.spec.addresses).toEqual(['10.1.0.0/24']);
    expect(se.spec.endpoints).toEqual([
      { address: '10.1.0.7', ports: { 'tcp-5432': 15432 }, labels: { role: 'primary' }, network: 'net-a', locality: 'eu-west/zone-1', weight: 3 },
      { address: '10.1.0.8' },
    ]);
  });

  test('DNS_ROUND_ROBIN with one endpoint, MESH_INTERNAL location, metadata name and labels', () => {
    const se = serviceEntryOf({
      metadata: { name: 'legacy-api', labels: { app: 'legacy' } },
      hosts: ['legacy.example.com'],
      ports: [EgressPort.http()],
      resolution: Resolution.DNS_ROUND_ROBIN,
      location: HostLocation.MESH_INTERNAL,
      endpoints: [{ address: 'lb.example.net' }],
    });
    expect(se.metadata).toEqual({ name: 'legacy-api', namespace: 'default', labels: { app: 'legacy' } });
    expect(se.spec.resolution).toBe('DNS_ROUND_ROBIN');
    expect(se.spec.location).toBe('MESH_INTERNAL');
    expect(se.spec.endpoints).toEqual([{ address: 'lb.example.net' }]);
  });

  test('DYNAMIC_DNS for a wildcard domain validates against Istio 1.30', () => {
    const se = serviceEntryOf({ hosts: ['*.example.com'], ports: [EgressPort.tls()], resolution: Resolution.DYNAMIC_DNS });
    expect(se.spec.resolution).toBe('DYNAMIC_DNS');
  });

  test('NONE with addresses for TCP', () => {
    const se = serviceEntryOf({ hosts: ['mongo.example.com'], ports: [EgressPort.mongo()], resolution: Resolution.NONE, addresses: ['192.0.2.0/28'] });
    expect(se.spec).toMatchObject({ resolution: 'NONE', addresses: ['192.0.2.0/28'] });
  });

  test.each([
    [ExportTo.sameNamespace(), ['.']],
    [ExportTo.namespaces('.', 'istio-system'), ['.', 'istio-system']],
    [ExportTo.whereUsed(), ['.']],
  ])('exportTo %#', (exportTo, expected) => {
    const se = serviceEntryOf({ hosts: ['api.example.com'], ports: [EgressPort.https()], exportTo });
    expect(se.spec.exportTo).toEqual(expected);
  });

  test('exportTo everywhere is written as `*` once acknowledged (EGR203)', () => {
    const { app, chart } = appWithChart();
    const host = new ExternalHost(chart, 'Host', { hosts: ['api.example.com'], ports: [EgressPort.https()], exportTo: ExportTo.everywhere() });
    EgressAnalysis.acknowledge(host, 'EGR203', 'a shared host every team may use');
    expect(oneOfKind(synth(app), 'ServiceEntry').spec.exportTo).toEqual(['*']);
  });

  test('without exportTo the field is left to the mesh default', () => {
    expect(serviceEntryOf({ hosts: ['api.example.com'], ports: [EgressPort.https()] }).spec.exportTo).toBeUndefined();
  });

  test('addPort and addEndpoint add to what the props gave', () => {
    const { app, chart } = appWithChart();
    const host = new ExternalHost(chart, 'Host', { hosts: ['api.example.com'], ports: [EgressPort.http()], resolution: Resolution.STATIC });
    host.addPort(EgressPort.https());
    host.addEndpoint({ address: '192.0.2.10' });
    const se = oneOfKind(synth(app), 'ServiceEntry');
    expect(se.spec.ports.map((p: any) => p.number)).toEqual([80, 443]);
    expect(se.spec.endpoints).toEqual([{ address: '192.0.2.10' }]);
    expect(host.ports.map(p => p.name)).toEqual(['http-80', 'https-443']);
  });

  test('v1beta1 output for older meshes validates against the Istio 1.18.2 CRDs', () => {
    const se = serviceEntryOf({ hosts: ['www.wikipedia.org'], ports: [EgressPort.http(), EgressPort.https()] }, 'default', IstioApiVersion.V1BETA1);
    expect(se.apiVersion).toBe('networking.istio.io/v1beta1');
    expect(se.spec.hosts).toEqual(['www.wikipedia.org']);
  });
});

describe('ExternalHost validation (Istio ServiceEntry rules)', () => {
  test.each<[string, ExternalHostProps, string]>([
    ['invalid host name', { hosts: ['bad_host.example.com'], ports: [EgressPort.https()] },
      'spec.hosts[0] = "bad_host.example.com": domain name "bad_host.example.com" invalid (label "bad_host" invalid)'],
    ['host `*`', { hosts: ['*'], ports: [EgressPort.https()] }, 'spec.hosts[0] = "*": invalid host *'],
    ['an IP as host', { hosts: ['192.0.2.1'], ports: [EgressPort.https()] }, 'IP addresses are not host names'],
    ['no host', { hosts: [], ports: [EgressPort.https()] }, 'service entry must have at least one host'],
    ['wildcard with DNS', { hosts: ['*.example.com'], ports: [EgressPort.https()], resolution: Resolution.DNS },
      'spec.hosts[0] = "*.example.com": hosts must be FQDN or contain only prefix wildcards if no endpoints are provided for resolution mode DNS'],
    ['port 0', { hosts: ['a.example.com'], ports: [EgressPort.tcp(0)], addresses: ['192.0.2.1'] },
      'spec.ports[0].number = 0: port number 0 must be in the range 1..65535'],
    ['port 70000', { hosts: ['a.example.com'], ports: [EgressPort.http(70000)] }, 'spec.ports[0].number = 70000: port number 70000 must be in the range 1..65535'],
    ['targetPort 70000', { hosts: ['a.example.com'], ports: [EgressPort.of({ number: 80, protocol: EgressProtocol.HTTP, targetPort: 70000 })] },
      'spec.ports[0].targetPort = 70000: port number 70000 must be in the range 1..65535'],
    ['duplicate port numbers', { hosts: ['a.example.com'], ports: [EgressPort.http(80), EgressPort.of({ number: 80, protocol: EgressProtocol.HTTP, name: 'web' })] },
      'spec.ports[1].number = 80: service entry port 80 already defined'],
    ['duplicate port names', { hosts: ['a.example.com'], ports: [EgressPort.http(80), EgressPort.of({ number: 81, protocol: EgressProtocol.HTTP, name: 'http-80' })] },
      'spec.ports[1].name = "http-80": service entry port name "http-80" already defined'],
    ['an invalid port name', { hosts: ['a.example.com'], ports: [EgressPort.of({ number: 80, protocol: EgressProtocol.HTTP, name: 'http_port' })] },
      'spec.ports[0].name = "http_port": invalid port name: http_port'],
    ['CIDR with DNS', { hosts: ['a.example.com'], ports: [EgressPort.https()], addresses: ['10.0.0.0/8'] },
      'spec.addresses[0] = "10.0.0.0/8": CIDR addresses are allowed only for NONE/STATIC resolution types'],
    ['a malformed address', { hosts: ['a.example.com'], ports: [EgressPort.https()], resolution: Resolution.NONE, addresses: ['10.0.0.300'] },
      'spec.addresses[0] = "10.0.0.300": 10.0.0.300 is not a valid IP'],
    ['endpoints with NONE', { hosts: ['a.example.com'], ports: [EgressPort.https()], resolution: Resolution.NONE, endpoints: [{ address: '192.0.2.1' }] },
      'spec.endpoints = [{"address":"192.0.2.1"}]: no endpoints should be provided for resolution type none'],
    ['a STATIC endpoint that is a name', { hosts: ['a.example.com'], ports: [EgressPort.https()], resolution: Resolution.STATIC, endpoints: [{ address: 'lb.example.com' }] },
      'spec.endpoints[0].address = "lb.example.com": endpoint address "lb.example.com" is not a valid IP address'],
    ['two endpoints with DNS_ROUND_ROBIN', { hosts: ['a.example.com'], ports: [EgressPort.https()], resolution: Resolution.DNS_ROUND_ROBIN, endpoints: [{ address: 'x.example.com' }, { address: 'y.example.com' }] },
      'there must only be 0 or 1 endpoint for resolution mode DNS_ROUND_ROBIN'],
    ['an endpoint port the host does not declare', { hosts: ['a.example.com'], ports: [EgressPort.https()], resolution: Resolution.STATIC, endpoints: [{ address: '192.0.2.1', ports: { web: 8080 } }] },
      'spec.endpoints[0].ports.web = 8080: endpoint port 8080 is not defined by the service entry'],
    ['several hosts on a TCP port', { hosts: ['a.example.com', 'b.example.com'], ports: [EgressPort.tcp(5432)] },
      'spec.ports[0].protocol = "TCP": multiple hosts provided with non-HTTP, non-TLS ports'],
    ['an invalid exportTo entry', { hosts: ['a.example.com'], ports: [EgressPort.https()], exportTo: ExportTo.namespaces('team_a') },
      'spec.exportTo[0] = "team_a": only .,*, or a valid DNS 1123 label is allowed as exportTo entry'],
    ['exportTo `*` with others', { hosts: ['a.example.com'], ports: [EgressPort.https()], exportTo: ExportTo.namespaces('*', 'a') },
      'cannot have both public (*) and non-public exportTo values for a resource'],
    ['exportTo `.` and the own namespace', { hosts: ['a.example.com'], ports: [EgressPort.https()], exportTo: ExportTo.namespaces('default', '.') },
      'duplicate entries in exportTo: . and current namespace default'],
    ['DYNAMIC_DNS with a concrete host', { hosts: ['a.example.com'], ports: [EgressPort.https()], resolution: Resolution.DYNAMIC_DNS },
      'host must be wildcarded for resolution mode DYNAMIC_DNS'],
    ['DYNAMIC_DNS on a TCP port', { hosts: ['*.example.com'], ports: [EgressPort.tcp(5432)], resolution: Resolution.DYNAMIC_DNS },
      'only HTTP, TLS, GRPC, and HTTP2 protocols are supported for resolution type DYNAMIC_DNS'],
  ])('refuses %s', (_, props, message) => {
    const error = errorOf(props);
    expect(error).toContain('[test/Host] ServiceEntry');
    expect(error).toContain(message);
    expect(error).toContain('Fix: ');
  });

  test('reports every problem at once', () => {
    const error = errorOf({ hosts: ['*'], ports: [EgressPort.http(0)], resolution: Resolution.DNS, addresses: ['10.0.0.0/8'] });
    expect(error).toContain('invalid host *');
    expect(error).toContain('port number 0 must be in the range 1..65535');
    expect(error).toContain('CIDR addresses are allowed only for NONE/STATIC resolution types');
  });

  test('bad input writes no manifest', () => {
    // GIVEN
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'egress-'));
    const app = new App({ outdir });
    new ExternalHost(new Chart(app, 'test', { namespace: 'default' }), 'Host', { hosts: ['*'], ports: [EgressPort.https()] });

    // WHEN / THEN
    expect(() => app.synth()).toThrow(/invalid host \*/);
    expect(fs.readdirSync(outdir)).toEqual([]);
  });

  test('warnings are reported but do not fail the synth', () => {
    // GIVEN: an address beside several hosts on a TLS port, which Istio accepts with a warning (SE22)
    const { app, chart } = appWithChart();
    new ExternalHost(chart, 'Host', { hosts: ['a.example.com', 'b.example.com'], ports: [EgressPort.tls()], addresses: ['192.0.2.1'] });
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);

    // WHEN
    synth(app);
    synth(app);

    // THEN: printed once, with the construct path
    const warnings = stderr.mock.calls.map(c => String(c[0])).filter(l => l.startsWith('Warning:'));
    stderr.mockRestore();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('[test/Host] ServiceEntry a-example-com: spec.hosts = ["a.example.com","b.example.com"]: '
      + 'service entry can not have more than one host specified simultaneously with address and tcp port');
  });
});

describe('ExternalHost and older meshes', () => {
  test('DYNAMIC_DNS is refused when the app emits v1beta1 for an older mesh', () => {
    const { app, chart } = appWithChart('default', IstioApiVersion.V1BETA1);
    new ExternalHost(chart, 'Host', { hosts: ['*.example.com'], ports: [EgressPort.tls()], resolution: Resolution.DYNAMIC_DNS });
    expect(synthError(app)).toContain('[test/Host] resolution = "DYNAMIC_DNS": only Istio 1.30 and later know it');
  });
});

describe('renderings and analyses are never reused after a change', () => {
  test('a patch after a synth shows in the next rendering', () => {
    const { app, chart } = appWithChart();
    const host = new ExternalHost(chart, 'Host', { hosts: ['api.example.com'], ports: [EgressPort.https()] });
    synth(app);
    host.serviceEntry.addJsonPatch(JsonPatch.add('/metadata/labels', { after: 'synth' }));
    expect(validSynth(chart)[0].metadata.labels).toEqual({ after: 'synth' });
  });

  test('label, port and endpoint changes after a synth show in the next synth of the same tick', () => {
    const { app, chart } = appWithChart();
    const host = new ExternalHost(chart, 'Host', {
      hosts: ['api.example.com'],
      ports: [EgressPort.https()],
      resolution: Resolution.STATIC,
      endpoints: [{ address: '192.0.2.1' }],
    });
    synth(app);
    ApiObject.of(host).metadata.addLabel('team', 'payments');
    host.addPort(EgressPort.http(80));
    host.addEndpoint({ address: '192.0.2.2' });
    const entry = oneOfKind(synth(app), 'ServiceEntry');
    expect(entry.metadata.labels).toEqual({ team: 'payments' });
    expect(entry.spec.ports.map((p: any) => p.number)).toEqual([443, 80]);
    expect(entry.spec.endpoints.map((e: any) => e.address)).toEqual(['192.0.2.1', '192.0.2.2']);
  });

  test("writing one chart, then changing another, gives the other chart's change", () => {
    const app = Testing.app();
    const first = new Chart(app, 'first', { namespace: 'a' });
    const second = new Chart(app, 'second', { namespace: 'b' });
    new ExternalHost(first, 'Host', { hosts: ['one.example.com'], ports: [EgressPort.https()] });
    const patched = new ExternalHost(second, 'Patched', { hosts: ['two.example.com'], ports: [EgressPort.https()] });
    const labelled = new ExternalHost(second, 'Labelled', { hosts: ['three.example.com'], ports: [EgressPort.https()] });
    validSynth(first);
    patched.serviceEntry.addJsonPatch(JsonPatch.add('/metadata/annotations', { changed: 'yes' }));
    validSynth(first);
    labelled.serviceEntry.metadata.addLabel('changed', 'yes');
    const [patchedEntry, labelledEntry] = validSynth(second);
    expect(patchedEntry.metadata.annotations).toEqual({ changed: 'yes' });
    expect(labelledEntry.metadata.labels).toEqual({ changed: 'yes' });
  });

  test('an object made elsewhere that is added or changed after a synth is analyzed again', () => {
    const { app, chart } = appWithChart();
    new ExternalHost(chart, 'Host', { hosts: ['api.example.com'], ports: [EgressPort.https()] });
    const duplicate = () => ({ hosts: ['api.example.com'], ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }], resolution: 'DNS' });
    const raw = new ApiObject(chart, 'Raw', { apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'raw' }, spec: duplicate() });
    synth(app);
    raw.addJsonPatch(JsonPatch.replace('/spec/ports/0/number', 70000));
    expect(synthError(app)).toContain('ServiceEntry raw');
    raw.addJsonPatch(JsonPatch.replace('/spec/ports/0/number', 443));
    synth(app);
    new ApiObject(chart, 'Late', { apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'late' }, spec: { ...duplicate(), ports: [{ number: 0, name: 'x', protocol: 'TCP' }] } });
    expect(synthError(app)).toContain('ServiceEntry late');
  });

  test('a construct validated on its own after a change reports the change', () => {
    const { app, chart } = appWithChart();
    const host = new ExternalHost(chart, 'Host', { hosts: ['api.example.com'], ports: [EgressPort.https()] });
    synth(app);
    expect(host.node.validate()).toEqual([]);
    host.addPort(EgressPort.https());
    expect(host.node.validate().join('\n')).toContain('443');
  });

  test('one synth analyzes the app once, however many charts it writes', () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'analysis-once-')) });
    for (const name of ['a', 'b', 'c']) {
      new ExternalHost(new Chart(app, name, { namespace: name }), 'Host', { hosts: [`${name}.example.com`], ports: [EgressPort.https()] });
    }
    const lint = jest.spyOn(rules, 'lintObjects');
    try {
      app.synth();
      expect(lint).toHaveBeenCalledTimes(1);
      app.synthYaml();
      expect(lint).toHaveBeenCalledTimes(1);
      ApiObject.of(app.node.findChild('b').node.findChild('Host')).metadata.addAnnotation('changed', 'yes');
      app.synthYaml();
      expect(lint).toHaveBeenCalledTimes(2);
    } finally {
      lint.mockRestore();
      fs.rmSync(app.outdir, { recursive: true, force: true });
    }
  });

  test('a port added after a clean synth of two charts is checked at the next synth (a clean construct is not checked again only while nothing changed)', () => {
    const app = Testing.app();
    const host = new ExternalHost(new Chart(app, 'first', { namespace: 'a' }), 'Host', { hosts: ['api.example.com'], ports: [EgressPort.https()] });
    new ExternalHost(new Chart(app, 'second', { namespace: 'b' }), 'Host', { hosts: ['api.example.com'], ports: [EgressPort.https()] });
    app.synthYaml();
    host.addPort(EgressPort.https(70000));
    expect(synthError(app)).toContain('[first/Host]');
    expect(synthError(app)).toContain('70000');
  });

  test('after a failed synth, a fix shows in the next rendering of the same tick', () => {
    const { app, chart } = appWithChart();
    const host = new ExternalHost(chart, 'Host', { hosts: ['api.example.com'], ports: [EgressPort.https(70000)] });
    expect(synthError(app)).toContain('port number 70000');
    host.serviceEntry.addJsonPatch(JsonPatch.replace('/spec/ports/0/number', 443));
    expect(validSynth(chart)[0].spec.ports[0].number).toBe(443);
  });

  test('an app synthesized in a synchronous loop can be collected before the loop ends', async () => {
    // The analysis ends its kept renderings after the synth's turn: that pending end must not hold the app.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const collected: string[] = [];
    const registry = new FinalizationRegistry<string>(name => collected.push(name));
    const synthesizeOnce = (name: string) => {
      const app = Testing.app();
      new ExternalHost(new Chart(app, name, { namespace: 'ns' }), 'Host', { hosts: ['api.example.com'], ports: [EgressPort.https()] });
      app.synthYaml();
      registry.register(app, name);
    };
    synthesizeOnce('first');
    gc(); // still in the synth's turn: its microtasks have not run
    // The registry's callback comes in a later task, late on a loaded machine: wait for it (no further gc()),
    // up to a second, well before V8's idle-time collection could collect the app after its microtasks ran.
    for (let waited = 0; collected.length === 0 && waited < 1000; waited += 10) {
      await new Promise(resolve => setTimeout(resolve, 10));
    }
    expect(collected).toEqual(['first']);
  });
});
