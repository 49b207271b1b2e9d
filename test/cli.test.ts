/**
 * The command-line tool, run in-process: `lint` and `explain` over the Istio 1.18 egress gateway lesson as a
 * user writes it (test/fixtures/cli/), over the example apps, and over broken input.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { exampleApp } from '../examples/main';
import { parseObjects } from '../src/cli/input';
import { main } from '../src/cli/main';
import { KINDS } from '../src/rules/kinds';

const FIXTURES = path.join(__dirname, 'fixtures', 'cli');
const AS_WRITTEN = path.join(FIXTURES, 'lesson-as-written.yaml');
const CORRECTED = path.join(FIXTURES, 'lesson-corrected.yaml');

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function run(...argv: string[]): Run {
  return runWithStdin(undefined, ...argv);
}

function runWithStdin(stdin: string | undefined, ...argv: string[]): Run {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = main(argv, {
    stdout: s => stdout.push(s),
    stderr: s => stderr.push(s),
    stdin: () => {
      if (stdin === undefined) {
        throw new Error('no standard input in this test');
      }
      return stdin;
    },
  });
  return { code, stdout: stdout.join(''), stderr: stderr.join('') };
}

const tempDirs: string[] = [];

/** A fresh directory with these files (relative path to content). */
function tempDir(files: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-egress-cli-'));
  tempDirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

afterAll(() => {
  for (const dir of tempDirs) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

describe('lint', () => {
  test('the corrected lesson has no errors; its HTTPS port, which bypasses the gateway, is a warning', () => {
    const result = run('lint', CORRECTED);

    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    // The route to the gateway's Service and the DestinationRule's host (IST0174 is not checked without the Service).
    expect(result.stdout).toBe(`${CORRECTED}:15:5 ServiceEntry wikipedia-egress warning EGR220 spec.ports[1] = 443: port 443 (HTTPS) of `
      + 'www.wikipedia.org goes from the sidecars straight to the host, while port 80 goes through the egress gateway '
      + 'istio-egressgateway.istio-system.svc.cluster.local: traffic on port 443 bypasses the gateway and its policies. Fix: route port 443 '
      + 'through the gateway as well (a mesh route for the port to the gateway, a Gateway server and a route bound to it), or, if clients may '
      + 'reach it directly, acknowledge EGR220\n'
      + 'note: 2 references to Services in istio-system not checked: no Service of those namespaces was given '
      + '(add their YAML to the input, or pass it with --cluster)\n0 errors, 1 warning in 4 objects from 1 file\n');
  });

  test('the lesson as written fails on the port beside the match', () => {
    const result = run('lint', AS_WRITTEN);

    expect(result.code).toBe(1);
    // The line and column of the offending key (the VirtualService, the fourth document, starts on line 48).
    expect(result.stdout).toContain(`${AS_WRITTEN}:73:5 VirtualService wikipedia-egress-gateway error EGR002 spec.http[1].port = 80: `);
    expect(result.stdout).toMatch(/\n1 error, 1 warning in 4 objects from 1 file\n$/);
  });

  test('JSON output has every field of a finding and the summary', () => {
    const result = run('lint', AS_WRITTEN, '--format', 'json');
    const json = JSON.parse(result.stdout);

    expect(result.code).toBe(1);
    expect(json.summary).toEqual({ errors: 1, warnings: 1, objects: 4, files: 1 });
    expect(json.findings.filter((f: any) => f.severity === 'error')).toEqual([expect.objectContaining({
      code: 'EGR002',
      rule: 'UNKNOWN_FIELD',
      severity: 'error',
      kind: 'VirtualService',
      name: 'wikipedia-egress-gateway',
      namespace: null,
      file: AS_WRITTEN,
      line: 73,
      column: 5,
      field: 'spec.http[1].port',
      value: 80,
      message: expect.any(String),
      fix: expect.any(String),
    })]);
  });

  test('findings across files are sorted by file, line and severity, with codes and rule ids', () => {
    // The Sidecar's warning (SC2) comes before its error (SC4) from the rules; errors are listed first.
    const sidecar = 'apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata: { name: s, namespace: n }\n'
      + 'spec:\n  workloadSelector: {}\n  egress:\n  - hosts: ["no-namespace"]\n';
    const dir = tempDir({
      'b.yaml': serviceEntry('bad host', 'b'),
      'a/x.yml': `${serviceEntry('ok.example.com', 'a')}---\n${sidecar}`,
      'a/notes.txt': 'not yaml',
    });

    const result = run('lint', dir, '--format=json');
    const findings = JSON.parse(result.stdout).findings;

    expect(result.code).toBe(1);
    // Each at the line and column of its field (the Sidecar starts on line 12), sorted by them.
    expect(findings.map((f: any) => [path.relative(dir, f.file), f.line, f.column, f.severity, f.rule, f.field])).toEqual([
      ['a/x.yml', 16, 3, 'warning', 'SC2', 'spec.workloadSelector'],
      ['a/x.yml', 18, 13, 'error', 'SC4', 'spec.egress[0].hosts[0]'],
      // The host is no domain name (SE3), and DNS resolution without endpoints needs one (SE19), as Istio reports both.
      ['b.yaml', 7, 11, 'error', 'SE3', 'spec.hosts[0]'],
      ['b.yaml', 7, 11, 'error', 'SE19', 'spec.hosts[0]'],
    ]);
    expect(JSON.parse(result.stdout).summary).toEqual({ errors: 3, warnings: 1, objects: 3, files: 2 });
    const text = run('lint', dir).stdout;
    expect(text).toMatch(/b\.yaml:7:11 ServiceEntry test\/b error IST0106 \w+ spec\.hosts\[0\] = "bad host": /);
    expect(text).toMatch(/\n3 errors, 1 warning in 3 objects from 2 files\n$/);
  });

  test('--cluster: objects of the cluster resolve references without being checked; without them, unchecked references are noted', () => {
    const vs = 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: { name: to-reviews, namespace: shop }\n'
      + 'spec:\n  hosts: [reviews.books.svc.cluster.local]\n  http:\n  - route:\n    - destination: { host: reviews.books.svc.cluster.local, port: { number: 9080 } }\n';
    const service = 'apiVersion: v1\nkind: Service\nmetadata: { name: reviews, namespace: books }\nspec: { ports: [{ name: http, port: 9080 }] }\n';
    const wrongPort = service.replace('port: 9080', 'port: 8080');
    const dir = tempDir({ 'app/vs.yaml': vs, 'cluster/service.yaml': service, 'other/service.yaml': wrongPort });

    const alone = run('lint', path.join(dir, 'app'));
    expect(alone.code).toBe(0);
    expect(alone.stdout).toContain('note: 1 reference to Services in books not checked');
    const withCluster = run('lint', path.join(dir, 'app'), '--cluster', path.join(dir, 'cluster'));
    expect(withCluster).toMatchObject({ code: 0, stdout: '0 errors, 0 warnings in 1 object from 1 file\n' });
    const mismatch = run('lint', path.join(dir, 'app'), '--cluster', path.join(dir, 'other'), '--format', 'json');
    expect(mismatch.code).toBe(1);
    expect(JSON.parse(mismatch.stdout).findings).toEqual([expect.objectContaining({
      code: 'IST0101', kind: 'VirtualService', message: 'Referenced host:port not found: "reviews.books.svc.cluster.local:9080"',
    })]);
    expect(run('explain', path.join(dir, 'app'), '--cluster', path.join(dir, 'cluster'))).toMatchObject({ code: 2, stderr: expect.stringContaining('--cluster is an option of lint') });
    expect(run('lint', path.join(dir, 'app'), '--cluster')).toMatchObject({ code: 2, stderr: expect.stringContaining('--cluster needs a file or directory') });
  });

  test('warnings alone exit 0', () => {
    const sidecar = 'apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata: { name: s, namespace: n }\n'
      + 'spec:\n  workloadSelector: {}\n  egress:\n  - hosts: ["./*"]\n';
    const result = run('lint', tempDir({ 'sidecar.yaml': sidecar }));

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\S+sidecar\.yaml:5:3 Sidecar n\/s warning IST0133 SC2 spec\.workloadSelector = \{\}: /);
    expect(result.stdout).toMatch(/\n0 errors, 1 warning in 1 object from 1 file\n$/);
  });

  test('--fail-on: warning fails on warnings too, none never fails; the SARIF invocation records the exit code', () => {
    expect(run('lint', CORRECTED, '--fail-on', 'warning').code).toBe(1);
    expect(JSON.parse(run('lint', CORRECTED, '--fail-on', 'warning', '--format', 'sarif').stdout).runs[0].invocations[0].exitCode).toBe(1);
    expect(run('lint', AS_WRITTEN, '--fail-on', 'none').code).toBe(0);
    expect(run('lint', AS_WRITTEN, '--fail-on', 'error').code).toBe(1);
    expect(run('lint', AS_WRITTEN, '--fail-on', 'warnings')).toMatchObject({
      code: 2, stdout: '', stderr: expect.stringContaining('cdk8s-istio-egress: --fail-on must be one of error, warning, none, not warnings\n'),
    });
    expect(run('lint', AS_WRITTEN, '--fail-on').stderr).toContain('--fail-on must be one of error, warning, none\n');
  });

  test('empty documents, null, scalars and lists of objects are read; List items keep their lines', () => {
    const list = 'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Namespace\n    metadata: { name: one }\n'
      + `  - ${serviceEntry('bad host', 'listed').trimEnd().replace(/\n/g, '\n    ')}\n`;
    const dir = tempDir({ 'mixed.yaml': `---\n---\nnull\n---\njust a string\n---\n- a\n- b\n---\n${list}` });

    const result = run('lint', dir, '--format', 'json');
    const json = JSON.parse(result.stdout);

    expect(json.summary.objects).toBe(2);
    // The item starts on line 16; its bad host is on line 22.
    expect(json.findings[0]).toMatchObject({ name: 'listed', line: 22, column: 15, field: 'spec.hosts[0]' });
  });

  test('the example apps lint without errors across all their files', () => {
    const result = run('lint', examplesDir(), '--format', 'json');

    expect(JSON.parse(result.stdout).summary.errors).toBe(0);
    expect(result.code).toBe(0);
  });
});

describe('explain', () => {
  test('says what the input holds in the registry\'s words (the kinds read, how many, what each does for egress)', () => {
    const samples = path.join(__dirname, 'fixtures', 'samples', 'echo-service.yaml');
    const report = JSON.parse(run('explain', samples, CORRECTED, '--format', 'json').stdout);
    expect(report.kinds).toEqual([
      { apiGroup: 'networking.istio.io', kind: 'ServiceEntry', count: 1, role: KINDS.serviceEntry.role },
      { apiGroup: 'networking.istio.io', kind: 'Gateway', count: 2, role: KINDS.gateway.role },
      { apiGroup: 'networking.istio.io', kind: 'VirtualService', count: 2, role: KINDS.virtualService.role },
      { apiGroup: 'networking.istio.io', kind: 'DestinationRule', count: 1, role: KINDS.destinationRule.role },
      { apiGroup: '', kind: 'Service', count: 1, role: KINDS.service.role },
      { apiGroup: 'apps', kind: 'Deployment', count: 1, role: KINDS.deployment.role },
    ]);
    expect(run('explain', samples, CORRECTED, '--format', 'text').stdout).toContain(`\nRead:\n- 1 ServiceEntry (networking.istio.io): ${KINDS.serviceEntry.role}\n`);
  });

  test('text names the host, the gateway and its port, the problems with their codes, and the mermaid block follows', () => {
    const result = run('explain', CORRECTED);

    expect(result.code).toBe(0);
    const [table, diagram] = result.stdout.split('```mermaid\n');
    const row80 = table.split('\n').find(l => l.includes('80/HTTP '))!;
    expect(row80).toContain('| www.wikipedia.org ');
    expect(row80).toContain('http[0] → istio-egressgateway.istio-system.svc.cluster.local:80 subset wikipedia, plain');
    expect(row80).toContain('istio-system/istio-egressgateway [istio=egressgateway] port 80 HTTP, TLS none');
    expect(row80).toContain('http[1] → www.wikipedia.org:80');
    expect(row80).toContain('anyone (no ALLOW policy)');
    expect(table).toMatch(/443\/HTTPS .*direct from the sidecar/);
    expect(table).toContain('\nProblems:\n- www.wikipedia.org:443: warning EGR220 ServiceEntry default/wikipedia-egress spec.ports[1]: port 443 (HTTPS) '
      + 'of www.wikipedia.org goes from the sidecars straight to the host, while port 80 goes through the egress gateway '
      + 'istio-egressgateway.istio-system.svc.cluster.local: traffic on port 443 bypasses the gateway and its policies\n');
    expect(diagram).toMatch(/^flowchart LR\n/);
    expect(diagram).toMatch(/\n```\n$/);
  });

  test('mermaid is a flowchart with sanitized ids, quoted labels and the gateway on port 80', () => {
    const result = run('explain', CORRECTED, '--format', 'mermaid');
    const lines = result.stdout.trimEnd().split('\n');

    expect(lines[0]).toBe('flowchart LR');
    expect(result.stdout).toContain('subgraph h0["www.wikipedia.org (ServiceEntry default/wikipedia-egress)"]');
    expect(result.stdout).toContain('h0_gw_80["Gateway istio-system/istio-egressgateway<br/>istio=egressgateway<br/>port 80 HTTP, TLS none');
    expect(result.stdout).toContain('h0_sidecar -->|"http[0] plain → port 80"| h0_gw_80');
    expect(result.stdout).toContain('h0_gw_80 -->|"http[1], as received"| h0_ext_www_wikipedia_org_80');
    for (const line of lines.slice(1)) {
      // Every node and edge: ids of letters, digits and underscores, every label quoted.
      expect(line).toMatch(/^\s+(subgraph \w+\[".*"\]|end|\w+\[".*"\]|\w+ -->\|".*"\| \w+|\w+ -\.-> \w+)$/);
    }
  });

  test('JSON has the path as data, and the findings on it', () => {
    const json = JSON.parse(run('explain', CORRECTED, '--format', 'json').stdout);

    expect(json.hosts).toHaveLength(1);
    expect(json.hosts[0]).toMatchObject({
      host: 'www.wikipedia.org',
      definedBy: { kind: 'ServiceEntry', ref: 'default/wikipedia-egress', file: CORRECTED, line: 4 },
      clients: { namespaces: ['*'] },
    });
    expect(json.hosts[0].ports[0]).toEqual({
      port: 80,
      protocol: 'HTTP',
      name: 'http',
      targetPort: null,
      sidecar: {
        via: 'gateway',
        virtualService: 'default/wikipedia-egress-gateway',
        routeKind: 'VirtualService',
        route: 'http[0]',
        destination: 'istio-egressgateway.istio-system.svc.cluster.local',
        destinationPort: 80,
        subset: 'wikipedia',
        tls: 'plain',
        tlsFrom: null,
        sni: null,
        traffic: 'plain',
      },
      gatewayService: {
        service: 'istio-egressgateway.istio-system.svc.cluster.local',
        namespace: 'istio-system',
        pods: { app: 'istio-egressgateway', istio: 'egressgateway' },
        podsFrom: 'convention',
        gateways: ['istio-system/istio-egressgateway'],
      },
      gateway: {
        gateway: 'istio-system/istio-egressgateway',
        selector: { istio: 'egressgateway' },
        server: 'spec.servers[0]',
        port: 80,
        protocol: 'HTTP',
        tls: 'none',
        hosts: ['www.wikipedia.org'],
      },
      gatewayHop: {
        virtualService: 'default/wikipedia-egress-gateway', routeKind: 'VirtualService', route: 'http[1]', destination: 'www.wikipedia.org', destinationPort: 80, tlsOrigination: null,
      },
      waypoint: null,
      allowed: { policies: [], allowPolicies: [], verdict: 'anyone', denyByDefault: [], allow: [], deny: [] },
      problems: [],
    });
    expect(json.hosts[0].ports[1].problems).toEqual([{
      severity: 'warning',
      code: 'EGR220',
      rule: 'PORTBYPASS',
      object: 'ServiceEntry default/wikipedia-egress',
      file: CORRECTED,
      line: 15,
      column: 5,
      field: 'spec.ports[1]',
      message: expect.stringContaining('port 443 (HTTPS) of www.wikipedia.org goes from the sidecars straight to the host'),
      fix: expect.stringContaining('acknowledge EGR220'),
    }]);
  });

  test('reads gateway references and gateway Services as lint does: `name.namespace` and any cluster domain', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'explain-refs-'));
    const file = path.join(dir, 'lesson.yaml');
    fs.writeFileSync(file, fs.readFileSync(CORRECTED, 'utf8')
      .replace(/istio-system\/istio-egressgateway/g, 'istio-egressgateway.istio-system')
      .replace(/svc\.cluster\.local/g, 'svc.mesh.example'));
    try {
      expect(run('lint', file).code).toBe(0);
      const port = JSON.parse(run('explain', file, '--format', 'json').stdout).hosts[0].ports[0];
      expect(port.sidecar).toMatchObject({ via: 'gateway', subset: 'wikipedia' });
      expect(port.gateway).toMatchObject({ gateway: 'istio-system/istio-egressgateway', port: 80 });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('over the example apps: the lockdown allows only the checkout service account, with mutual TLS to the gateway', () => {
    const dir = examplesDir();
    const json = JSON.parse(run('explain', dir, '--format', 'json').stdout);
    const payments = json.hosts.find((h: any) => h.host === 'api.payments.example.com');

    expect(payments.clients.namespaces).toEqual(['istio-system', 'shop']);
    expect(payments.clients.importedBy).toEqual([{ namespace: 'shop', sidecar: 'shop/egress-lockdown' }]);
    expect(payments.ports[0].sidecar).toMatchObject({ via: 'gateway', route: 'tls[0]', tls: 'ISTIO_MUTUAL', sni: 'api.payments.example.com' });
    expect(payments.ports[0].gateway).toMatchObject({ port: 443, protocol: 'TLS', tls: 'ISTIO_MUTUAL' });
    expect(payments.ports[0].allowed).toMatchObject({
      verdict: 'listed',
      denyByDefault: ['istio-system/istio-egressgateway-deny-by-default'],
      allow: [{ principals: ['cluster.local/ns/shop/sa/checkout'] }],
    });
    expect(payments.ports[0].problems).toEqual([]);
    const text = run('explain', dir, '--format', 'text').stdout;
    const row = text.split('\n').find(l => l.startsWith('| api.payments.example.com '))!;
    expect(row).toContain('ISTIO_MUTUAL sni api.payments.example.com');
    expect(row).toContain('principals cluster.local/ns/shop/sa/checkout (istio-system/shop-api-payments-example-com-egress)');
  });

  test('over the example apps: TLS origination at the sidecar and at the gateway, and hosts the lockdown blocks', () => {
    const hosts = JSON.parse(run('explain', examplesDir(), '--format', 'json').stdout).hosts;
    const port = (host: string, number: number) => hosts.find((h: any) => h.host === host).ports.find((p: any) => p.port === number);

    expect(port('www.google.com', 80).sidecar).toMatchObject({ via: 'direct', tls: 'SIMPLE', tlsFrom: 'tls-sidecar/www-google-com' });
    expect(port('developer.mozilla.org', 80).gatewayHop).toMatchObject({
      destinationPort: 443,
      tlsOrigination: { mode: 'SIMPLE', destinationRule: 'istio-system/developer-mozilla-org-tls-origination' },
    });
    // The origination rule is the gateway's own: the direct HTTPS port is a bypass, not a second TLS session.
    expect(port('developer.mozilla.org', 443).problems.map((p: any) => p.code)).toEqual(['EGR220']);
    expect(port('mysql.example.com', 3306).gateway).toMatchObject({ port: 7306, tls: 'ISTIO_MUTUAL' });
    expect(port('edition.cnn.com', 443).gateway).toMatchObject({ tls: 'PASSTHROUGH' });
    // httpbin.org of the direct shape (the ambient example defines it too, in its own namespace), blocked by the
    // lockdown example and by the lockdowns of the docs task "Apply Kubernetes network policies" (examples/tasks).
    expect(hosts.find((h: any) => h.host === 'httpbin.org' && h.definedBy.ref.startsWith('direct/')).clients.blockedIn).toEqual([
      { namespace: 'shop', sidecar: 'shop/egress-lockdown' },
      { namespace: 'egress-gateway-network-policy-istio-api', sidecar: 'egress-gateway-network-policy-istio-api/egress-lockdown' },
      { namespace: 'egress-gateway-network-policy-gateway-api', sidecar: 'egress-gateway-network-policy-gateway-api/egress-lockdown' },
    ]);
  });
});

describe('explain: the shapes of Istio\'s egress tasks (test/fixtures/docs-shapes)', () => {
  const SHAPES = path.join(__dirname, 'fixtures', 'docs-shapes');
  const explainShape = (name: string) => JSON.parse(run('explain', path.join(SHAPES, name), '--format', 'json').stdout).hosts;
  const lintShape = (name: string) => JSON.parse(run('lint', path.join(SHAPES, name), '--format', 'json').stdout);
  const codes = (findings: any[]) => findings.map(f => `${f.code} ${f.field}`);

  test.each([
    ['egress-gateway-http.yaml', ['EGR220 spec.ports[1]']],
    ['egress-gateway-https.yaml', []],
    ['gateway-tls-origination.yaml', ['EGR220 spec.ports[1]', 'IST0129 spec.trafficPolicy.portLevelSettings[0].tls',
      'EGR134 spec.trafficPolicy.portLevelSettings[0].tls.mode']],
    ['gateway-mtls-origination.yaml', ['IST0129 spec.trafficPolicy.portLevelSettings[0].tls']],
    ['sidecar-tls-origination.yaml', ['IST0129 spec.trafficPolicy.portLevelSettings[0].tls']],
    ['wildcard-gateway.yaml', []],
    ['plain-service-entries.yaml', []],
  ])('%s lints without errors; its warnings are these', (name, warnings) => {
    const result = lintShape(name);

    expect(result.summary.errors).toBe(0);
    expect(codes(result.findings)).toEqual(warnings);
  });

  test('HTTP: the Gateway in the client namespace, named by its short name, configures the gateway pods in istio-system', () => {
    const [news] = explainShape('egress-gateway-http.yaml');

    expect(news.ports[0]).toMatchObject({
      sidecar: { via: 'gateway', route: 'http[0]', destination: 'istio-egressgateway.istio-system.svc.cluster.local', subset: 'news', traffic: 'plain' },
      gatewayService: { namespace: 'istio-system', gateways: ['default/istio-egressgateway'] },
      gateway: { gateway: 'default/istio-egressgateway', server: 'spec.servers[0]', port: 80, protocol: 'HTTP', tls: 'none' },
      gatewayHop: { virtualService: 'default/news-through-egress-gateway', route: 'http[1]', destination: 'news.example.com', destinationPort: 80 },
      problems: [],
    });
    expect(news.ports[1]).toMatchObject({ port: 443, sidecar: { via: 'direct' }, gateway: null, problems: [{ code: 'EGR220' }] });
    const row = run('explain', path.join(SHAPES, 'egress-gateway-http.yaml'), '--format', 'text').stdout.split('\n').find(l => l.includes('80/HTTP'))!;
    expect(row).toContain('default/istio-egressgateway [istio=egressgateway] (pods in istio-system) port 80 HTTP, TLS none');
    expect(run('explain', path.join(SHAPES, 'egress-gateway-http.yaml'), '--format', 'mermaid').stdout).toContain(
      'h0_gw_80["Gateway default/istio-egressgateway<br/>istio=egressgateway (pods in istio-system)<br/>port 80 HTTP, TLS none');
  });

  test('HTTPS: the application\'s TLS passes through the gateway by SNI', () => {
    const [news] = explainShape('egress-gateway-https.yaml');

    expect(news.ports).toEqual([expect.objectContaining({
      port: 443,
      sidecar: expect.objectContaining({ via: 'gateway', route: 'tls[0]', tls: 'plain', traffic: 'tls' }),
      gateway: expect.objectContaining({ gateway: 'default/istio-egressgateway', tls: 'PASSTHROUGH' }),
      gatewayHop: expect.objectContaining({ route: 'tls[1]', destination: 'news.example.com', destinationPort: 443, tlsOrigination: null }),
      problems: [],
    })]);
  });

  test('TLS origination at the gateway: mutual TLS with the host as SNI to the gateway, TLS to the host from there', () => {
    const [news] = explainShape('gateway-tls-origination.yaml');

    expect(news.ports[0]).toMatchObject({
      sidecar: { via: 'gateway', tls: 'ISTIO_MUTUAL', tlsFrom: 'default/egressgateway-for-news', sni: 'news.example.com' },
      gateway: { gateway: 'default/istio-egressgateway', port: 80, protocol: 'HTTPS', tls: 'ISTIO_MUTUAL' },
      gatewayHop: { destination: 'news.example.com', destinationPort: 443, tlsOrigination: { mode: 'SIMPLE', destinationRule: 'default/originate-tls-for-news' } },
    });
    // The HTTPS port the gateway sends to is open to the sidecars too, and the origination rule applies to them there.
    expect(news.ports[1]).toMatchObject({ port: 443, sidecar: { via: 'direct', tls: 'SIMPLE', tlsFrom: 'default/originate-tls-for-news' } });
    expect(news.ports[1].problems.map((p: any) => p.code)).toEqual(['IST0129', 'EGR134', 'EGR220']);
    expect(news.ports[1].problems.find((p: any) => p.code === 'EGR220').message).toContain(
      '(the gateway sends port 80 to port 443 and originates TLS (SIMPLE, DestinationRule default/originate-tls-for-news), so the port must stay declared');
  });

  test('mutual TLS origination at the gateway, to a server given as a Kubernetes Service outside the mesh', () => {
    const [partner] = explainShape('gateway-mtls-origination.yaml');

    expect(partner.host).toBe('partner.mesh-external.svc.cluster.local');
    expect(partner.definedBy).toMatchObject({ kind: 'Service', ref: 'mesh-external/partner' });
    expect(partner.ports).toEqual([expect.objectContaining({
      port: 80,
      protocol: 'HTTP',
      sidecar: expect.objectContaining({ destinationPort: 443, tls: 'ISTIO_MUTUAL', sni: 'partner.mesh-external.svc.cluster.local' }),
      gateway: expect.objectContaining({ gateway: 'default/istio-egressgateway', port: 443, protocol: 'HTTPS', tls: 'ISTIO_MUTUAL' }),
      gatewayHop: expect.objectContaining({
        destinationPort: 443, tlsOrigination: { mode: 'MUTUAL', destinationRule: 'istio-system/originate-mtls-for-partner' },
      }),
    })]);
  });

  test('TLS origination at the sidecar: no gateway, origination on the HTTP port only', () => {
    const [news] = explainShape('sidecar-tls-origination.yaml');

    expect(news.ports.map((p: any) => [p.port, p.targetPort, p.sidecar.via, p.sidecar.tls, p.gateway])).toEqual([
      [80, 443, 'direct', 'SIMPLE', null],
      [443, null, 'direct', 'plain', null],
    ]);
    // The port-80 setting's warning belongs to port 80's path only.
    expect(news.ports[1].problems).toEqual([]);
  });

  test('a wildcard host through the gateway: every host under it passes through to the one host the gateway sends to', () => {
    const hosts = explainShape('wildcard-gateway.yaml');

    expect(hosts.map((h: any) => [h.host, h.ports[0].sidecar.via, h.ports[0].gateway?.hosts, h.ports[0].gatewayHop?.destination])).toEqual([
      ['*.example.org', 'gateway', ['*.example.org'], 'www.example.org'],
      ['www.example.org', 'gateway', ['*.example.org'], 'www.example.org'],
    ]);
  });

  test('plain ServiceEntries: direct, with the route that sets a timeout', () => {
    const hosts = explainShape('plain-service-entries.yaml');

    expect(hosts.map((h: any) => [h.host, h.ports[0].sidecar.via, h.ports[0].sidecar.route])).toEqual([
      ['echo.example.com', 'direct', 'http[0]'],
      ['search.example.com', 'direct', null],
    ]);
  });
});

describe('explain: what is missing or will not work', () => {
  const PROBLEMS = path.join(FIXTURES, 'explain-problems.yaml');
  const hosts = () => JSON.parse(run('explain', PROBLEMS, '--format', 'json').stdout).hosts;
  const port = (host: string, number: number) => hosts().find((h: any) => h.host === host).ports.find((p: any) => p.port === number);

  test('explain shows what lint finds: every finding of lint about the paths, with its code', () => {
    const lint = JSON.parse(run('lint', PROBLEMS, '--format', 'json').stdout).findings;
    const shown = hosts().flatMap((h: any) => h.ports.flatMap((p: any) => p.problems));
    const key = (f: any) => `${f.code} ${f.line} ${f.field}`;

    expect(run('lint', PROBLEMS).code).toBe(1);
    expect(new Set(shown.map(key))).toEqual(new Set(lint.map(key)));
  });

  test('clients: exportTo narrowed by REGISTRY_ONLY Sidecars; MESH_INTERNAL entries are left out', () => {
    const all = hosts();

    expect(all.map((h: any) => h.host)).toEqual(['api.example.com', 'other.example.com', 'plain.example.com']);
    expect(all[0].clients).toEqual({
      exportedTo: ['istio-system', 'team-a', 'team-b'],
      importedBy: [{ namespace: 'team-a', sidecar: 'team-a/lockdown' }],
      blockedIn: [{ namespace: 'team-b', sidecar: 'team-b/lockdown' }],
      namespaces: ['istio-system', 'team-a'],
    });
    expect(all[1].clients.namespaces).toEqual(['*']);
    expect(all[1].clients.blockedIn).toEqual([{ namespace: 'team-b', sidecar: 'team-b/lockdown' }]);
  });

  test('a port without a gateway server, a port without a gateway route, and TLS that the server does not expect', () => {
    expect(port('api.example.com', 8443)).toMatchObject({ gateway: null, gatewayHop: null });
    expect(port('api.example.com', 8443).problems).toEqual([expect.objectContaining({
      severity: 'error',
      code: 'EGR132',
      object: 'VirtualService team-a/api',
      field: 'spec.tls[1].route[0].destination',
      message: 'spec.tls[1] sends api.example.com:8443 to the egress gateway istio-egressgateway.istio-system.svc.cluster.local on port 8443, '
        + 'but no Gateway of its pods (app=istio-egressgateway,istio=egressgateway in istio-system: istio-system/api-gw) has a server for '
        + 'api.example.com on port 8443: the gateway refuses the traffic or answers 404',
    })]);
    expect(port('api.example.com', 9000).problems.map((p: any) => [p.code, p.object, p.field])).toEqual([
      ['EGR133', 'VirtualService team-a/api', 'spec.tcp[0].route[0].destination'],
      ['EGR130', 'DestinationRule team-a/egressgateway', 'spec.subsets[0].trafficPolicy.tls.mode'],
    ]);
    expect(port('api.example.com', 9000).problems[1].message).toContain('send api.example.com:9000 to the egress gateway as Istio mutual TLS; '
      + 'it arrives at Gateway istio-system/api-gw spec.servers[1] (port 9000 TCP, TLS none), which has no TLS');
    expect(port('api.example.com', 443).problems).toEqual([]);
  });

  test('authorization: SNI values with wildcards, notValues, DENY rules, port conditions and identities without mutual TLS', () => {
    expect(port('api.example.com', 443).allowed).toMatchObject({
      verdict: 'listed',
      allowPolicies: ['istio-system/egress-allow'],
      allow: [{ policy: 'istio-system/egress-allow', namespaces: ['team-a'], principals: [], any: false }],
      deny: [{ policy: 'istio-system/egress-deny', namespaces: ['team-b'] }],
    });
    // The second DENY rule is for port 9000 only.
    expect(port('api.example.com', 9000).allowed.deny).toHaveLength(2);
    expect(port('other.example.com', 80).allowed).toMatchObject({ verdict: 'nobody', denyByDefault: [], allow: [] });
    // On the path: team-b, locked down, takes team-a's route to a subset it cannot see (EGR118), and the rule that allows
    // plain.example.com by principal, over a hop without mutual TLS (EGR108).
    expect(port('plain.example.com', 80).problems).toEqual([
      expect.objectContaining({ code: 'EGR118', object: 'VirtualService team-a/plain', field: 'spec.http[0].route[0].destination.subset' }),
      expect.objectContaining({
        severity: 'error', object: 'AuthorizationPolicy istio-system/egress-allow', field: expect.stringMatching(/^spec\.rules\[1\]\./),
      }),
    ]);
    // other.example.com shares that route (the same field), not the identity rule.
    expect(port('other.example.com', 80).problems.map((p: { code: string }) => p.code)).toEqual(['EGR118']);

    const text = run('explain', PROBLEMS, '--format', 'text').stdout;
    expect(text).toContain('| nobody (no ALLOW rule for the host in istio-system/egress-allow) ');
    expect(text).toContain('namespaces team-a (istio-system/egress-allow); denied: namespaces team-b (istio-system/egress-deny) ');
    expect(text).toMatch(/\nProblems:\n- api\.example\.com:8443: error EGR132 VirtualService team-a\/api spec\.tls\[1\]\.route\[0\]\.destination: /);
  });

  test('the diagram shows the missing server and the missing route', () => {
    const diagram = run('explain', PROBLEMS, '--format', 'mermaid').stdout;

    expect(diagram).toContain('h0_sidecar -->|"tls[1] ISTIO_MUTUAL → port 8443"| h0_nogateway_8443');
    expect(diagram).toContain('h0_gw_9000 -.-> h0_noroute_9000');
  });

  test('exit status: 1 when a listed problem is an error; --fail-on warning also for warnings, --fail-on none never', () => {
    expect(run('explain', PROBLEMS).code).toBe(1);
    expect(run('explain', PROBLEMS, '--format', 'json').code).toBe(1);
    expect(run('explain', PROBLEMS, '--fail-on', 'none').code).toBe(0);
    // The corrected lesson lists one warning (EGR220) and no error.
    expect(run('explain', CORRECTED).code).toBe(0);
    expect(run('explain', CORRECTED, '--fail-on=warning').code).toBe(1);
    expect(run('explain', CORRECTED, '--fail-on', 'error').code).toBe(0);
  });

  test('input without external hosts says so', () => {
    const dir = tempDir({ 'ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: { name: empty }\n' });

    expect(run('explain', dir, '--format', 'text').stdout).toBe(
      'No external hosts (ServiceEntries with location MESH_EXTERNAL, or Services that mesh routes send to an egress gateway) found.\n');
    expect(run('explain', dir, '--format', 'mermaid').stdout).toBe('flowchart LR\n');
  });
});

describe('usage and input errors', () => {
  test.each([
    [[], 'no command given'],
    [['lint'], 'lint needs at least one file or directory'],
    [['check', 'x'], 'unknown command check'],
    [['lint', CORRECTED, '--strict'], 'unknown option --strict'],
    [['lint', CORRECTED, '--format', 'mermaid'], 'lint --format must be one of text, json, sarif, not mermaid'],
    [['explain', CORRECTED, '--format'], '--format needs a value'],
  ])('%j: exit 2 with usage on stderr', (argv, message) => {
    const result = run(...argv);

    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`cdk8s-istio-egress: ${message}\n`);
    expect(result.stderr).toContain('Usage: cdk8s-istio-egress <command>');
  });

  test('--help prints usage on stdout', () => {
    const result = run('--help');

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: cdk8s-istio-egress <command>');
    expect(result.stderr).toBe('');
  });

  test('a missing file exits 2', () => {
    const missing = path.join(FIXTURES, 'missing.yaml');
    const result = run('lint', missing);

    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`cdk8s-istio-egress: ${missing}: no such file or directory\n`);
  });

  test('a directory without YAML exits 2, ignoring node_modules and hidden directories', () => {
    const dir = tempDir({ 'README.md': '# no yaml', 'node_modules/x/a.yaml': 'kind: A\n', '.git/b.yaml': 'kind: B\n' });
    const result = run('explain', dir);

    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`cdk8s-istio-egress: no .yaml or .yml files found in ${dir}\n`);
  });

  test('malformed YAML exits 2 with file and line, no stack trace', () => {
    const dir = tempDir({ 'broken.yaml': `${serviceEntry('a.example.com', 'a')}---\nkind: B\n  bad: [\n` });
    const result = run('lint', path.join(dir, 'broken.yaml'));

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^cdk8s-istio-egress: ${escape(path.join(dir, 'broken.yaml'))}:\\d+:\\d+: malformed YAML: `));
    expect(result.stderr).toContain('broken.yaml:12:7: malformed YAML: Nested mappings are not allowed in compact mappings\n');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('in a pipeline: --version, standard input, JSON errors, places of fields', () => {
  test('--version prints the package version and exits 0', () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'));

    expect(run('--version')).toEqual({ code: 0, stdout: `cdk8s-istio-egress ${version}\n`, stderr: '' });
    expect(run('lint', 'whatever.yaml', '--version').stdout).toBe(`cdk8s-istio-egress ${version}\n`);
  });

  test('`-` reads standard input, named <stdin> in the findings, alongside files', () => {
    const stdin = serviceEntry('bad host', 'piped');
    const result = runWithStdin(stdin, 'lint', '-', CORRECTED, '--format', 'json');
    const json = JSON.parse(result.stdout);

    expect(result.code).toBe(1);
    expect(json.summary).toEqual({ errors: 2, warnings: 1, objects: 5, files: 2 });
    expect(json.findings.filter((f: any) => f.file === '<stdin>').map((f: any) => [f.name, f.line, f.column, f.rule]))
      .toEqual([['piped', 7, 11, 'SE3'], ['piped', 7, 11, 'SE19']]);
    expect(runWithStdin(stdin, 'lint', '-').stdout).toContain('<stdin>:7:11 ServiceEntry test/piped error IST0106 SE3 ');
    expect(runWithStdin(serviceEntry('a.example.com', 'a'), 'explain', '-', '--format', 'json').code).toBe(0);
  });

  test('with --format json an input error is a JSON error object on stdout, exit 2; the message stays on stderr', () => {
    const missing = path.join(FIXTURES, 'missing.yaml');
    const result = run('lint', missing, '--format', 'json');

    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toEqual({ error: { type: 'input', message: `${missing}: no such file or directory` } });
    expect(result.stderr).toBe(`cdk8s-istio-egress: ${missing}: no such file or directory\n`);
  });

  test('malformed YAML under --format json: the error object has the file, line and column', () => {
    const result = runWithStdin('kind: A\n  bad: [\n', 'explain', '-', '--format=json');

    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toEqual({
      error: {
        type: 'input',
        message: expect.stringMatching(/^<stdin>:1:7: malformed YAML: /),
        file: '<stdin>',
        line: 1,
        column: 7,
      },
    });
  });

  test('usage errors under --format json are JSON too; in text they leave stdout empty', () => {
    const json = run('lint', CORRECTED, '--strict', '--format', 'json');

    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toEqual({ error: { type: 'usage', message: 'unknown option --strict' } });
    expect(run('lint', CORRECTED, '--strict').stdout).toBe('');
  });

  test('a finding points at its field: a label key with dots, a missing field at its nearest written parent, else the object', () => {
    const text = [
      '# a comment',
      'apiVersion: networking.istio.io/v1',
      'kind: ServiceEntry',
      'metadata:',
      '  name: se',
      '  labels:',
      '    istio.io/use-waypoint: w',
      'spec:',
      '  hosts:',
      '  - a.example.com',
      '  - b.example.com',
      '',
    ].join('\n');
    const [object] = parseObjects(text, 'se.yaml');

    expect(object).toMatchObject({ line: 2, column: 1 });
    expect(object.locate('metadata.labels.istio.io/use-waypoint')).toEqual({ line: 7, column: 5 });
    expect(object.locate('spec.hosts[1]')).toEqual({ line: 11, column: 5 });
    expect(object.locate('spec.hosts[5]')).toEqual({ line: 9, column: 3 });
    expect(object.locate('spec.ports[0].number')).toEqual({ line: 8, column: 1 });
    expect(object.locate('status')).toEqual({ line: 2, column: 1 });
    expect(object.locate('metadata.labels["istio.io/use-waypoint"]')).toEqual({ line: 7, column: 5 });
    expect(object.locate('metadata.labels["other"]')).toEqual({ line: 6, column: 3 });
    expect(object.locate('')).toEqual({ line: 2, column: 1 });
  });
});

let examples: string | undefined;

/** The example apps synthesized in-process into a temporary directory, once. */
function examplesDir(): string {
  if (!examples) {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'examples.k8s.yaml'), exampleApp(new App({ outdir: dir })).synthYaml());
    examples = dir;
  }
  return examples;
}

function serviceEntry(host: string, name: string): string {
  return `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: ${name}
  namespace: test
spec:
  hosts: [${JSON.stringify(host)}]
  location: MESH_EXTERNAL
  ports: [{ number: 443, name: https, protocol: HTTPS }]
  resolution: DNS
`;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
