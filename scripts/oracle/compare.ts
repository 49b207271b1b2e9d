/**
 * Parity: how often our per-object rules (`checkObject`) reach Istio's verdict on a corpus of manifests,
 * per kind, and where they do not (docs/parity.md). Run with `npx projen parity` (needs Go and the Go
 * module proxy: the oracle depends on the istio.io/istio module).
 *
 * Istio's verdict has two layers, as on a cluster: the API server's CRD schema and CEL rules (our
 * test-time stand-in, test/support/crd-validator.ts, on Istio 1.30.3's CRDs), then the validating
 * webhook, which the Go program in scripts/oracle/go runs with Istio's own code. Our verdict is whether
 * `checkObject` gives an error. A false error is one we give where Istio accepts; a miss is an
 * Istio error where we give none. Warnings are compared where both accept.
 *
 * The corpus: valid apps drawn from test/support/arbitraries.ts and their manifests with random
 * fields replaced or removed (fast-check, fixed seed), every manifest the rules tests hand to the
 * rules (recorded by running test/rules with capture-setup.ts), and the hand-written edge cases in
 * scripts/oracle/corpus/*.yaml. `--extra FILE.jsonl` adds manifests of your own, reported apart.
 *
 * Options: --seed N, --apps N (valid apps, default 120), --mutated N (default 3000), --no-tests,
 * --show N (disagreements listed per group, default 2), --json FILE (every disagreement), --dump FILE (the corpus as
 * JSON lines), --extra FILE (JSON lines of manifests, or of {origin, manifest}). ORACLE_BIN runs a prebuilt oracle instead
 * of building one.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiObject, App } from 'cdk8s';
import * as fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { Finding, KINDS, checkObject, kindKeyOf } from '../../src/rules';
import { buildApp, validAppSpec } from '../../test/support/arbitraries';
import { validateIstioObject } from '../../test/support/crd-validator';

const ROOT = join(__dirname, '..', '..');
const GO_DIR = join(__dirname, 'go');
const CORPUS_DIR = join(__dirname, 'corpus');
const CACHE = join(ROOT, '.cache', 'oracle');

// -----------------------------------------------------------------------------------------------
// Options
// -----------------------------------------------------------------------------------------------

interface Options {
  readonly seed: number;
  readonly apps: number;
  readonly mutated: number;
  readonly tests: boolean;
  readonly show: number;
  readonly json?: string;
  readonly dump?: string;
  readonly extra: string[];
}

function parseOptions(argv: string[]): Options {
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const extra: string[] = [];
  argv.forEach((a, i) => {
    if (a === '--extra' && argv[i + 1]) {
      extra.push(argv[i + 1]);
    }
  });
  return {
    seed: Number(value('--seed') ?? 20_260_713),
    apps: Number(value('--apps') ?? 120),
    mutated: Number(value('--mutated') ?? 3000),
    tests: !argv.includes('--no-tests'),
    show: Number(value('--show') ?? 2),
    json: value('--json'),
    dump: value('--dump'),
    extra,
  };
}

// -----------------------------------------------------------------------------------------------
// The corpus
// -----------------------------------------------------------------------------------------------

interface Input {
  readonly source: string;
  /** Where it came from: the app, test file or corpus file. */
  readonly origin: string;
  readonly manifest: any;
}

/** A JSON copy: both sides see exactly what a JSON line carries (no undefined, NaN or sparse arrays). */
function jsonCopy(value: unknown): any {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Whether the object is an Istio kind with per-object rules. Istio's webhook validates only its own groups (Gateway API
 * objects are the API server's to validate, with their CRDs' CEL rules), so the other kinds are left out.
 */
function isRuleKind(m: any): boolean {
  const key = kindKeyOf(m);
  return key !== undefined && KINDS[key].check !== undefined && KINDS[key].group.endsWith('istio.io');
}

/**
 * The app's manifests. When our own synth-time validation (the rules under test) refuses a valid app, the objects are
 * read from the construct tree instead, so that the comparison still sees them.
 */
function manifestsOf(app: App): unknown[] {
  // Synth prints the rules' warnings; the comparison reports them itself.
  const write = process.stderr.write;
  process.stderr.write = () => true;
  try {
    return parseAllDocuments(app.synthYaml()).map(doc => doc.toJSON());
  } catch {
    return app.node.findAll().filter(ApiObject.isApiObject).map(o => o.toJson());
  } finally {
    process.stderr.write = write;
  }
}

function validManifests(options: Options): Input[] {
  const specs = fc.sample(validAppSpec({ maxUnits: 3, charts: 1 }), { numRuns: options.apps, seed: options.seed });
  const out: Input[] = [];
  specs.forEach((spec, i) => {
    for (const manifest of manifestsOf(buildApp(spec))) {
      out.push({ source: 'valid', origin: `app ${i}`, manifest });
    }
  });
  return out;
}

const STRINGS = [
  '', '*', '.', '~', 'mesh', '*/*', './*', '*/a.example.com', 'ns/a.example.com', './a.example.com', 'ns/', '/x', 'a/b/c', 'a.example.com',
  '*.example.com', '*example.com', 'a.*.example.com', 'example', 'A.Example.COM', 'a_b.example.com', 'a..example.com', '-a.example.com',
  'a.example.com.', 'x'.repeat(64) + '.example.com', 'svc.ns.svc.cluster.local', 'istio-egressgateway.istio-system.svc.cluster.local',
  'istio-system/istio-egressgateway', 'istio-system/gw', 'shop/gw', 'gw', 'mesh-gw', 'http', 'https-443', 'tls', 'tcp-1', 'Bad_Name', 'bad.name',
  'HTTP', 'HTTPS', 'HTTP2', 'GRPC', 'GRPC-Web', 'TLS', 'TCP', 'UDP', 'Mongo', 'MySQL', 'Redis', 'http', 'tcp', 'HBONE', 'unknown',
  'SIMPLE', 'MUTUAL', 'ISTIO_MUTUAL', 'PASSTHROUGH', 'AUTO_PASSTHROUGH', 'OPTIONAL_MUTUAL', 'DISABLE', 'TLSV1_2', 'TLSV1_3', 'TLS_AUTO',
  'NONE', 'STATIC', 'DNS', 'DNS_ROUND_ROBIN', 'DYNAMIC_DNS', 'MESH_EXTERNAL', 'MESH_INTERNAL', 'REGISTRY_ONLY', 'ALLOW_ANY',
  'ALLOW', 'DENY', 'AUDIT', 'CUSTOM', 'ROUND_ROBIN', 'LEAST_REQUEST', 'RANDOM', 'DEFAULT', 'UPGRADE', 'DO_NOT_UPGRADE',
  '10.0.0.1', '10.0.0.0/8', '10.0.0.1/33', '0.0.0.0', '0.0.0.0/0', '::1', '::/0', '2001:db8::/129', '1.2.3', '256.1.1.1', '127.0.0.1',
  'unix:///var/run/a.sock', 'unix://@abstract', 'unix://', 'unix://relative.sock',
  '5s', '0s', '1ms', '0.5ms', '1h2m', '-1s', '100', '1.5s', 'abc', '10s',
  'cluster.local/ns/default/sa/x', 'ns/default', '*/ns/a', 'request.auth.claims[iss]', 'request.headers[x-a]', 'source.ip', 'destination.port',
  'connection.sni', 'experimental.x', 'remote.ip', 'GET', 'POST', '/api/*', '*/api', '/a*b', 'default/sa', 'provider',
  'envoy', 'prometheus', 'stackdriver', 'true', 'false', 'gateway', 'mtls', 'credential', 'ns', 'sni.example.com', 'constructor', '__proto__',
];

const NUMBERS = [0, 1, -1, 2, 3, 10, 80, 443, 8080, 65535, 65536, 15000, 15001, 15006, 15008, 15020, 15090, 100, 101, 2147483648, 1.5, -443];

/** A replacement for `old`: mostly of the same JSON type, sometimes of another. */
function replacementArbitrary(old: unknown): fc.Arbitrary<unknown> {
  const str = fc.constantFrom(...STRINGS);
  const num = fc.constantFrom(...NUMBERS);
  const other = fc.oneof(str, num, fc.boolean(), fc.constant(null), fc.constant([]), fc.constant({}), fc.array(str, { maxLength: 3 }));
  if (typeof old === 'string') {
    return fc.oneof({ weight: 8, arbitrary: str }, { weight: 1, arbitrary: other });
  }
  if (typeof old === 'number') {
    return fc.oneof({ weight: 8, arbitrary: num }, { weight: 1, arbitrary: other });
  }
  if (typeof old === 'boolean') {
    return fc.oneof({ weight: 8, arbitrary: fc.constant(!old) }, { weight: 1, arbitrary: other });
  }
  if (Array.isArray(old)) {
    return fc.oneof(
      { weight: 3, arbitrary: fc.constant([]) },
      { weight: 3, arbitrary: fc.array(str, { minLength: 1, maxLength: 3 }) },
      { weight: 1, arbitrary: other },
    );
  }
  return fc.oneof({ weight: 3, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: other });
}

/** Every path below the root (object keys and array indexes), apiVersion and kind excepted. */
function paths(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (Array.isArray(value)) {
    return value.flatMap((v, i) => [[...prefix, i], ...paths(v, [...prefix, i])]);
  }
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value)
      .filter(([k]) => prefix.length > 0 || (k !== 'apiVersion' && k !== 'kind'))
      .flatMap(([k, v]) => [[...prefix, k], ...paths(v, [...prefix, k])]);
  }
  return [];
}

type Edit = { kind: 'remove' } | { kind: 'duplicate' } | { kind: 'replace'; value: unknown };

/** Applies one edit at `path` (in place). */
function applyEdit(root: any, path: Array<string | number>, edit: Edit): void {
  const parent = path.slice(0, -1).reduce((node: any, key) => node[key], root);
  const key = path[path.length - 1];
  if (edit.kind === 'remove') {
    if (Array.isArray(parent)) {
      parent.splice(Number(key), 1);
    } else {
      delete parent[key];
    }
  } else if (edit.kind === 'duplicate') {
    if (Array.isArray(parent)) {
      parent.splice(Number(key), 0, jsonCopy(parent[key as number]));
    }
  } else {
    parent[key] = jsonCopy(edit.value);
  }
}

/** Manifests of the valid pool with one to three fields replaced, removed or (array items) duplicated. */
function mutatedManifests(pool: Input[], options: Options): Input[] {
  const rng = fc.sample(fc.tuple(fc.nat(), fc.array(fc.tuple(fc.nat(), fc.nat({ max: 9 }), fc.integer()), { minLength: 1, maxLength: 3 })),
    { numRuns: options.mutated, seed: options.seed + 1 });
  const out: Input[] = [];
  for (const [which, edits] of rng) {
    const base = pool[which % pool.length];
    const manifest = jsonCopy(base.manifest);
    for (const [at, op, salt] of edits) {
      const all = paths(manifest);
      if (all.length === 0) {
        break;
      }
      const path = all[at % all.length];
      const old = path.reduce((node: any, key) => node[key], manifest);
      const edit: Edit = op === 0 ? { kind: 'remove' } : op === 1 ? { kind: 'duplicate' }
        : { kind: 'replace', value: fc.sample(replacementArbitrary(old), { numRuns: 1, seed: salt })[0] };
      applyEdit(manifest, path, edit);
    }
    out.push({ source: 'mutated', origin: base.origin, manifest });
  }
  return out;
}

/** Every manifest the rules tests hand to the rules: runs test/rules under jest with capture-setup.ts. */
function testManifests(): Input[] {
  mkdirSync(CACHE, { recursive: true });
  const file = join(CACHE, 'test-manifests.jsonl');
  rmSync(file, { force: true });
  const run = spawnSync('npx', ['jest', 'test/rules', '--coverage=false', '--maxWorkers=1', '--reporters=summary',
    '--setupFilesAfterEnv', './scripts/oracle/capture-setup.ts'], { cwd: ROOT, env: { ...process.env, ORACLE_CAPTURE: file }, encoding: 'utf8' });
  if (run.status !== 0) {
    process.stderr.write(`note: some rules tests failed (other work in progress?); their manifests are used all the same\n${tail(run.stderr, 5)}\n`);
  }
  if (!existsSync(file)) {
    return [];
  }
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map(line => {
    const { test, manifest } = JSON.parse(line);
    return { source: 'tests', origin: String(test).replace(`${ROOT}/`, ''), manifest };
  });
}

function corpusManifests(): Input[] {
  if (!existsSync(CORPUS_DIR)) {
    return [];
  }
  return readdirSync(CORPUS_DIR).filter(f => f.endsWith('.yaml')).sort().flatMap(f => parseAllDocuments(readFileSync(join(CORPUS_DIR, f), 'utf8'))
    .map((doc, i) => {
      if (doc.errors.length > 0 || doc.warnings.length > 0) {
        throw new Error(`${f}, document ${i}: ${[...doc.errors, ...doc.warnings].map(e => e.message).join('; ')}`);
      }
      return { source: 'corpus', origin: `${f}#${i}`, manifest: doc.toJSON() };
    }));
}

function extraManifests(files: string[]): Input[] {
  return files.flatMap(f => readFileSync(f, 'utf8').split('\n').filter(Boolean).map((line, i) => {
    const parsed = JSON.parse(line);
    const manifest = parsed.manifest ?? parsed;
    return { source: 'extra', origin: parsed.origin ?? `${f}:${i + 1}`, manifest };
  }));
}

/** The corpus: Istio objects of the kinds with rules, each distinct manifest once (first source wins). */
function dedupe(inputs: Input[]): Input[] {
  const seen = new Set<string>();
  const out: Input[] = [];
  for (const input of inputs) {
    const manifest = jsonCopy(input.manifest);
    if (!isRuleKind(manifest)) {
      continue;
    }
    const key = JSON.stringify(manifest);
    if (!seen.has(key)) {
      seen.add(key);
      out.push({ ...input, manifest });
    }
  }
  return out;
}

// -----------------------------------------------------------------------------------------------
// The two sides
// -----------------------------------------------------------------------------------------------

interface OracleResult {
  readonly stage: string;
  readonly errors: string[];
  readonly warnings: string[];
}

function tail(text: string | null, lines: number): string {
  return (text ?? '').trim().split('\n').slice(-lines).join('\n');
}

function oracleBinary(): string {
  if (process.env.ORACLE_BIN) {
    return process.env.ORACLE_BIN;
  }
  const bin = join(CACHE, 'istio-oracle');
  process.stderr.write('building the oracle (Go; the first build downloads istio.io/istio and takes minutes)...\n');
  const build = spawnSync('nice', ['-n', '10', 'go', 'build', '-o', bin, '.'], { cwd: GO_DIR, encoding: 'utf8' });
  if (build.status !== 0) {
    throw new Error(`go build failed in ${GO_DIR}:\n${tail(build.stderr, 20)}`);
  }
  return bin;
}

function runOracle(bin: string, manifests: any[]): OracleResult[] {
  const run = spawnSync(bin, [], { input: manifests.map(m => JSON.stringify(m)).join('\n') + '\n', encoding: 'utf8', maxBuffer: 2 ** 30 });
  if (run.status !== 0) {
    throw new Error(`the oracle failed:\n${tail(run.stderr, 20)}`);
  }
  const results = run.stdout.split('\n').filter(Boolean).map(line => JSON.parse(line) as OracleResult);
  if (results.length !== manifests.length) {
    throw new Error(`the oracle answered ${results.length} lines for ${manifests.length} manifests`);
  }
  return results;
}

interface Outcome {
  readonly input: Input;
  readonly kind: string;
  /** API server (CRD schema and CEL) errors. */
  readonly schema: string[];
  readonly webhook: OracleResult;
  readonly ours: Finding[];
  readonly istioRejects: boolean;
  readonly weReject: boolean;
}

function evaluate(inputs: Input[], bin: string): Outcome[] {
  const oracle = runOracle(bin, inputs.map(i => i.manifest));
  return inputs.map((input, i) => {
    let schema: string[];
    try {
      schema = validateIstioObject(input.manifest, '1.30.3');
    } catch (e) {
      schema = [`(the CRD validator threw: ${(e as Error).message})`];
    }
    let ours: Finding[];
    try {
      ours = checkObject(input.manifest);
    } catch (e) {
      ours = [{ rule: 'CRASH', severity: 'error', field: '', message: `checkObject threw: ${(e as Error).message}`, fix: '' }];
    }
    const webhook = oracle[i];
    return {
      input,
      kind: String(input.manifest.kind),
      schema,
      webhook,
      ours,
      istioRejects: schema.length > 0 || webhook.errors.length > 0,
      weReject: ours.some(f => f.severity === 'error' && !isOwnJudgement(f)),
    };
  });
}

// -----------------------------------------------------------------------------------------------
// The report
// -----------------------------------------------------------------------------------------------

/** A message with its values taken out, to group disagreements: quoted text, numbers and proto dumps. */
function signature(message: string): string {
  return message
    .replace(/^.*?\[[^\]]*, Istio [0-9.]+\]: /, '')
    .replace(/^invalid policy [^:]*: /, 'invalid policy: ')
    .replace(/"(?:[^"\\]|\\.)*"/g, '"…"')
    .replace(/\[\d+\]/g, '[i]')
    .replace(/\b\d+(\.\d+)?\b/g, 'N')
    .slice(0, 140);
}

function pct(part: number, whole: number): string {
  return whole === 0 ? '-' : `${(100 * part / whole).toFixed(1)}%`;
}

interface Disagreement {
  readonly kind: string;
  readonly type: 'false error' | 'miss' | 'other reason' | 'warning only in Istio' | 'warning only in ours';
  /** Our rule id(s) for false errors and our warnings, Istio's layer and message signature for misses and Istio warnings. */
  readonly group: string;
  readonly source: string;
  readonly origin: string;
  readonly manifest: unknown;
  readonly istio: string[];
  readonly ours: string[];
}

/**
 * The istioctl-analyze codes whose warnings the webhook gives too: ValidateVirtualService warns of unreachable rules and
 * ineffective matches (analyzeUnreachableHTTPRules, ...) in the words of IST0130 and IST0131.
 */
const WEBHOOK_ANALYZER_CODES = ['IST0130', 'IST0131'];

/**
 * The library's own judgements (EGR1xx: accepted but not working as written; EGR2xx: weakening): they claim no
 * rejection by the webhook, so they are counted apart, not compared.
 */
function isOwnJudgement(f: Finding): boolean {
  return f.code !== undefined && /^EGR[12]/.test(f.code);
}

/**
 * Our warnings that stand for webhook warnings. Findings with another istioctl-analyze code of their own (IST0128, ...)
 * are not the webhook's and are counted apart.
 */
function isWebhookWarning(f: Finding): boolean {
  return f.severity === 'warning' && (f.code === undefined || f.code === 'IST0133' || WEBHOOK_ANALYZER_CODES.includes(f.code));
}

function ruleLabel(f: Finding): string {
  return f.code === undefined || f.code === 'IST0106' || f.code === 'IST0133' || f.code === f.rule ? f.rule : `${f.rule} [${f.code}]`;
}

function describeOurs(f: Finding): string {
  return `${f.rule} ${f.field}: ${f.message}`;
}

/** The first words of a message, without values, prefixes and punctuation: enough to recognise Istio's words in ours. */
function words(message: string): string {
  // Istio checks a condition's key once for `values` and once for `notValues`: either word names the same error.
  return message.replace(/^invalid policy [^:]*: /, '').replace('`notValue`', '`value`').toLowerCase().replace(/"(?:[^"\\]|\\.)*"/g, ' ').replace(/[^a-z]+/g, ' ').trim();
}

/** The webhook's error messages that none of our errors repeats (the first three words of Istio's message, compared). */
function unmatchedMessages(o: Outcome): string[] {
  const ours = o.ours.filter(f => f.severity === 'error' && !isOwnJudgement(f)).map(f => words(f.message));
  return o.webhook.errors.filter(e => {
    const key = words(e).split(' ').slice(0, 3).join(' ');
    return !ours.some(m => m.includes(key));
  });
}

function disagreementsOf(o: Outcome): Disagreement[] {
  const base = { kind: o.kind, source: o.input.source, origin: o.input.origin, manifest: o.input.manifest };
  const istio = [...o.schema.map(s => `schema: ${s.replace(/^.*?\[[^\]]*, Istio [0-9.]+\]: /, '')}`),
    ...o.webhook.errors.map(e => `webhook: ${e}`), ...o.webhook.warnings.map(w => `webhook warning: ${w}`)];
  const ours = o.ours.map(f => `${f.severity} ${describeOurs(f)}`);
  const out: Disagreement[] = [];
  if (o.weReject && !o.istioRejects) {
    const rules = [...new Set(o.ours.filter(f => f.severity === 'error' && !isOwnJudgement(f)).map(ruleLabel))];
    rules.forEach(rule => out.push({ ...base, type: 'false error', group: rule, istio, ours }));
  } else if (!o.weReject && o.istioRejects) {
    const first = o.schema.length > 0 ? `schema: ${signature(o.schema[0])}` : `webhook: ${signature(o.webhook.errors[0])}`;
    out.push({ ...base, type: 'miss', group: first, istio, ours });
  } else if (o.weReject && o.schema.length === 0 && o.webhook.stage === 'validate') {
    for (const message of unmatchedMessages(o)) {
      out.push({ ...base, type: 'other reason', group: `webhook: ${signature(message)}`, istio, ours });
    }
  } else if (!o.weReject && !o.istioRejects) {
    const istioWarns = o.webhook.warnings.length > 0;
    const ourWarnings = o.ours.filter(isWebhookWarning);
    if (istioWarns && ourWarnings.length === 0) {
      out.push({ ...base, type: 'warning only in Istio', group: signature(o.webhook.warnings[0]), istio, ours });
    } else if (!istioWarns && ourWarnings.length > 0) {
      [...new Set(ourWarnings.map(ruleLabel))].forEach(rule => out.push({ ...base, type: 'warning only in ours', group: rule, istio, ours }));
    }
  }
  return out;
}

interface Row {
  inputs: number;
  agree: number;
  falseErrors: number;
  schemaMisses: number;
  webhookMisses: number;
  schemaValid: number;
  schemaValidAgree: number;
  bothAccept: number;
  warningAgree: number;
  webhookMessages: number;
  matchedMessages: number;
}

function emptyRow(): Row {
  return {
    inputs: 0,
    agree: 0,
    falseErrors: 0,
    schemaMisses: 0,
    webhookMisses: 0,
    schemaValid: 0,
    schemaValidAgree: 0,
    bothAccept: 0,
    warningAgree: 0,
    webhookMessages: 0,
    matchedMessages: 0,
  };
}

function tally(outcomes: Outcome[], keyOf: (o: Outcome) => string): Map<string, Row> {
  const rows = new Map<string, Row>();
  const add = (key: string, o: Outcome) => {
    const r = rows.get(key) ?? emptyRow();
    rows.set(key, r);
    r.inputs++;
    const agree = o.istioRejects === o.weReject;
    r.agree += agree ? 1 : 0;
    r.falseErrors += o.weReject && !o.istioRejects ? 1 : 0;
    r.schemaMisses += !o.weReject && o.schema.length > 0 ? 1 : 0;
    r.webhookMisses += !o.weReject && o.schema.length === 0 && o.webhook.errors.length > 0 ? 1 : 0;
    if (o.schema.length === 0) {
      r.schemaValid++;
      r.schemaValidAgree += agree ? 1 : 0;
    }
    if (o.weReject && o.schema.length === 0 && o.webhook.stage === 'validate') {
      r.webhookMessages += o.webhook.errors.length;
      r.matchedMessages += o.webhook.errors.length - unmatchedMessages(o).length;
    }
    if (!o.weReject && !o.istioRejects) {
      r.bothAccept++;
      r.warningAgree += (o.webhook.warnings.length > 0) === o.ours.some(isWebhookWarning) ? 1 : 0;
    }
  };
  for (const o of outcomes) {
    add(keyOf(o), o);
    add('all', o);
  }
  return rows;
}

function table(title: string, rows: Map<string, Row>): string {
  const header = `| ${title} | inputs | agree | false errors | misses (schema) | misses (webhook) | agree on schema-valid inputs `
    + '| warnings agree (both accept) | Istio\'s messages also ours (both reject) |';
  const lines = [header, '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |'];
  const keys = [...rows.keys()].filter(k => k !== 'all').sort();
  for (const key of [...keys, 'all']) {
    const r = rows.get(key);
    if (!r) {
      continue;
    }
    lines.push(`| ${key} | ${r.inputs} | ${pct(r.agree, r.inputs)} | ${r.falseErrors} | ${r.schemaMisses} | ${r.webhookMisses} | `
      + `${pct(r.schemaValidAgree, r.schemaValid)} of ${r.schemaValid} | ${pct(r.warningAgree, r.bothAccept)} of ${r.bothAccept} | `
      + `${pct(r.matchedMessages, r.webhookMessages)} of ${r.webhookMessages} |`);
  }
  return lines.join('\n');
}

function listDisagreements(all: Disagreement[], show: number): string {
  const groups = new Map<string, Disagreement[]>();
  for (const d of all) {
    const key = `${d.kind} | ${d.type} | ${d.group}`;
    groups.set(key, [...(groups.get(key) ?? []), d]);
  }
  const order = ['false error', 'miss', 'other reason', 'warning only in ours', 'warning only in Istio'];
  const keys = [...groups.keys()].sort((a, b) => {
    const [ka, ta] = a.split(' | ');
    const [kb, tb] = b.split(' | ');
    return ka.localeCompare(kb) || order.indexOf(ta) - order.indexOf(tb) || groups.get(b)!.length - groups.get(a)!.length;
  });
  const out: string[] = [];
  for (const key of keys) {
    const list = groups.get(key)!;
    out.push(`\n### ${key} (${list.length})`);
    for (const d of list.slice(0, show)) {
      out.push(`- ${d.source} ${d.origin}: ${JSON.stringify(d.manifest).slice(0, 400)}`);
      out.push(`  - Istio: ${d.istio.length > 0 ? d.istio.join(' / ').slice(0, 600) : 'accepted, no warnings'}`);
      out.push(`  - ours: ${d.ours.length > 0 ? d.ours.join(' / ').slice(0, 600) : 'no findings'}`);
    }
  }
  return out.join('\n');
}

function main(): void {
  const options = parseOptions(process.argv.slice(2));
  const started = Date.now();
  const valid = validManifests(options);
  const validRuleKinds = dedupe(valid);
  const inputs = dedupe([
    ...valid,
    ...mutatedManifests(validRuleKinds, options),
    ...(options.tests ? testManifests() : []),
    ...corpusManifests(),
    ...extraManifests(options.extra),
  ]);
  if (options.dump) {
    writeFileSync(options.dump, inputs.map(i => JSON.stringify({ source: i.source, origin: i.origin, manifest: i.manifest }) + '\n').join(''));
  }
  const outcomes = evaluate(inputs, oracleBinary());
  const disagreements = outcomes.flatMap(disagreementsOf);

  const print = (text: string) => process.stdout.write(`${text}\n`);
  print(`# Parity of checkObject with Istio 1.30.3 (${inputs.length} distinct manifests, seed ${options.seed}, ${Math.round((Date.now() - started) / 1000)} s)\n`);
  const main_ = outcomes.filter(o => o.input.source !== 'extra');
  print(table('kind', tally(main_, o => o.kind)));
  print('');
  print(table('source', tally(main_, o => o.input.source)));
  const extra = outcomes.filter(o => o.input.source === 'extra');
  if (extra.length > 0) {
    print('\nExtra inputs (--extra), apart:\n');
    print(table('kind', tally(extra, o => o.kind)));
  }
  const stages = new Map<string, number>();
  outcomes.forEach(o => stages.set(o.webhook.stage, (stages.get(o.webhook.stage) ?? 0) + 1));
  print(`\nwebhook stages: ${[...stages].map(([s, n]) => `${s} ${n}`).join(', ')}`);
  const analyzer = new Map<string, number>();
  outcomes.flatMap(o => o.ours).filter(f => f.severity === 'warning' && !isWebhookWarning(f))
    .forEach(f => analyzer.set(ruleLabel(f), (analyzer.get(ruleLabel(f)) ?? 0) + 1));
  if (analyzer.size > 0) {
    print(`our istioctl-analyze warnings, not compared (the webhook has none of them): ${[...analyzer].map(([r, n]) => `${r} ${n}`).join(', ')}`);
  }
  const own = new Map<string, number>();
  outcomes.flatMap(o => o.ours).filter(isOwnJudgement).forEach(f => own.set(ruleLabel(f), (own.get(ruleLabel(f)) ?? 0) + 1));
  if (own.size > 0) {
    print(`our own findings (EGR1xx/EGR2xx: Istio accepts, it does not work as written or weakens egress control), not compared: ${[...own].map(([r, n]) => `${r} ${n}`).join(', ')}`);
  }
  print('\n## Disagreements (kind | type | our rule, or Istio\'s layer and message)');
  print(listDisagreements(disagreements.filter(d => d.source !== 'extra'), options.show));
  if (extra.length > 0) {
    print('\n## Disagreements on the extra inputs');
    print(listDisagreements(disagreements.filter(d => d.source === 'extra'), options.show));
  }
  if (options.json) {
    writeFileSync(options.json, JSON.stringify(disagreements, null, 1));
  }
}

main();
