/**
 * `diff <before> <after>` over two versions of the locked-down namespace example (examples/lockdown),
 * synthesized in-process and changed as a pull request would change it.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { parseAllDocuments, stringify } from 'yaml';
import { lockdownChart } from '../examples/lockdown/main';
import { main } from '../src/cli/main';

function run(stdin: string | undefined, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(argv, { stdout: s => out.push(s), stderr: s => err.push(s), stdin: () => stdin ?? '' });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

let dir: string;
let objects: Record<string, any>[];
const BEFORE = () => path.join(dir, 'before.yaml');

/** Writes the example's objects, changed by `edit`, as a file of the temporary directory. */
function version(name: string, edit: (objects: Record<string, any>[]) => Record<string, any>[]): string {
  const file = path.join(dir, `${name}.yaml`);
  fs.writeFileSync(file, edit(structuredClone(objects)).map(o => stringify(o)).join('---\n'));
  return file;
}

const named = (kind: string, name: string) => (o: Record<string, any>) => o.kind === kind && o.metadata?.name === name;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-egress-diff-'));
  const app = new App({ outdir: dir });
  lockdownChart(app);
  const yaml = app.synthYaml();
  objects = parseAllDocuments(yaml).map(d => d.toJS()).filter(o => o);
  fs.writeFileSync(BEFORE(), yaml);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('diff', () => {
  test('no change: says so, exit 0', () => {
    expect(run(undefined, 'diff', BEFORE(), BEFORE())).toEqual({
      code: 0, stderr: '', stdout: `Egress from ${BEFORE()} to ${BEFORE()}:\nNo egress change.\n`,
    });
  });

  test('a second service account allowed at the gateway and the lockdown removed: widened, exit 1', () => {
    const after = version('widened', all => {
      const policy = all.find(named('AuthorizationPolicy', 'shop-api-payments-example-com-egress'))!;
      policy.spec.rules[0].from[0].source.principals.push('cluster.local/ns/shop/sa/cart');
      return all.filter(o => o.kind !== 'Sidecar');
    });
    const result = run(undefined, 'diff', BEFORE(), after);

    expect(result.code).toBe(1);
    expect(result.stdout).toContain('~ shop → api.payments.example.com:443 (HTTPS) [widens]\n'
      + '    authorization: service accounts cluster.local/ns/shop/sa/checkout (istio-system/shop-api-payments-example-com-egress) → '
      + 'service accounts cluster.local/ns/shop/sa/cart, cluster.local/ns/shop/sa/checkout (istio-system/shop-api-payments-example-com-egress) [widens]\n');
    expect(result.stdout).toContain('- lockdown: namespace shop no longer REGISTRY_ONLY (Sidecar shop/egress-lockdown removed or changed): '
      + 'its workloads may reach any host [widens]\n');
    expect(result.stdout).toMatch(/\nEgress widens: .* \(\d+ widening changes\)\.\n$/);
  });

  test('a host removed: lost, not widened, exit 0; JSON has the accesses before and after', () => {
    const after = version('narrowed', all => all.filter(o => !named('ServiceEntry', 'api-rates-example-com')(o)));
    const result = run(undefined, 'diff', BEFORE(), after, '--format', 'json');
    const json = JSON.parse(result.stdout);

    expect(result.code).toBe(0);
    expect(json).toMatchObject({
      before: BEFORE(),
      after,
      widened: false,
      summary: { gained: 0, lost: 1, changed: 0, widening: 0, lockdowns: 0 },
      lockdowns: [],
    });
    expect(json.accesses).toEqual([{
      change: 'lost',
      client: 'shop',
      host: 'api.rates.example.com',
      port: 443,
      widens: false,
      before: expect.objectContaining({ client: 'shop', path: 'direct', via: null, reachable: true, tls: expect.objectContaining({ leaves: 'tls' }) }),
      after: null,
      changes: [],
    }]);
  });

  test('markdown for a pull-request comment: the mesh route removed, so shop and the gateway\'s own namespace (which the host is exported to) go direct', () => {
    const after = version('direct', all => all.filter(o => !named('VirtualService', 'api-payments-example-com-egress')(o)));
    const result = run(undefined, 'diff', BEFORE(), after, '--format', 'markdown');
    const lines = result.stdout.split('\n');

    expect(result.code).toBe(1);
    expect(lines[0]).toBe('### Egress changes');
    expect(lines[2]).toMatch(/^`.*before\.yaml` → `.*direct\.yaml`: \*\*Egress widens: 1 gained, 0 lost, 1 changed, 0 lockdown changes \(2 widening changes\)\.\*\*$/);
    expect(lines[4]).toBe('| change | client | host:port | path | TLS | authorization |  |');
    // istio-system was denied by the gateway's policy; direct, nothing checks it.
    expect(lines[6]).toMatch(/^\| gained \| `istio-system` \| `api\.payments\.example\.com:443` HTTPS \| gateway .* → \*\*direct\*\* \(widens\) \|/);
    expect(lines[7]).toBe('| changed | `shop` | `api.payments.example.com:443` HTTPS '
      + '| gateway istio-egressgateway.istio-system (Gateway istio-system/shop-api-payments-example-com) → **direct** (widens) '
      + '| mutual TLS to the gateway, leaves as TLS → **the application\'s TLS** '
      + '| service accounts cluster.local/ns/shop/sa/checkout (istio-system/shop-api-payments-example-com-egress) → **no gateway or waypoint policy applies** (widens) '
      + '| **widens** |');
  });

  test('`-` reads one side from standard input', () => {
    const result = run(fs.readFileSync(BEFORE(), 'utf8'), 'diff', '-', BEFORE(), '--format', 'json');

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ before: '-', after: BEFORE(), widened: false, accesses: [] });
  });

  test.each([
    [['diff', 'a.yaml'], 'diff needs two files or directories: <before> <after>'],
    [['diff', 'a.yaml', 'b.yaml', 'c.yaml'], 'diff needs two files or directories: <before> <after>'],
    [['diff', '-', '-'], 'diff can read only one side from standard input'],
    [['diff', 'a.yaml', 'b.yaml', '--fail-on', 'none'], '--fail-on is an option of lint and explain (diff exits 1 when egress widens)'],
    [['diff', 'a.yaml', 'b.yaml', '--format', 'mermaid'], 'diff --format must be one of text, json, markdown, not mermaid'],
  ])('%j: usage error, exit 2', (argv, message) => {
    expect(run(undefined, ...argv)).toMatchObject({ code: 2, stdout: '', stderr: expect.stringContaining(`cdk8s-istio-egress: ${message}\n`) });
  });

  test('an unreadable side under --format json: an error object, exit 2', () => {
    const missing = path.join(dir, 'missing.yaml');
    const result = run(undefined, 'diff', BEFORE(), missing, '--format', 'json');

    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toEqual({ error: { type: 'input', message: `${missing}: no such file or directory` } });
  });
});
