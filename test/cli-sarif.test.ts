/**
 * `lint --format sarif`: a SARIF 2.1.0 log that code-scanning tools read. The properties SARIF 2.1.0
 * requires (version, runs, tool.driver.name, result message) and those code scanning reads (ruleId,
 * level, physicalLocation with a relative artifact URI and a region) are asserted here; the output
 * was also checked against the OASIS SARIF 2.1.0 JSON schema (draft-04) by hand, which the tests do
 * not carry.
 */
import * as fs from 'fs';
import * as path from 'path';
import { main } from '../src/cli/main';
import { parseCodeDocs } from '../src/cli/package-info';
import { artifactUri } from '../src/cli/sarif';

const root = path.join(__dirname, '..');
const AS_WRITTEN = path.join('test', 'fixtures', 'cli', 'lesson-as-written.yaml');

function run(stdin: string | undefined, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(argv, { stdout: s => out.push(s), stderr: s => err.push(s), stdin: () => stdin ?? '' });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

function sarifOf(stdout: string): any {
  const log = JSON.parse(stdout);
  expect(log).toMatchObject({ version: '2.1.0', $schema: 'https://json.schemastore.org/sarif-2.1.0.json' });
  expect(log.runs).toHaveLength(1);
  expect(log.runs[0].tool.driver.name).toBe('cdk8s-istio-egress');
  return log.runs[0];
}

describe('lint --format sarif', () => {
  const cwd = process.cwd();
  beforeAll(() => process.chdir(root));
  afterAll(() => process.chdir(cwd));

  test('each finding is a result: its code as ruleId, its severity as level, the line and column of its field, the object as logical location', () => {
    const result = run(undefined, 'lint', AS_WRITTEN, '--format', 'sarif');
    const sarif = sarifOf(result.stdout);

    expect(result.code).toBe(1);
    expect(sarif.invocations).toEqual([{ executionSuccessful: true, exitCode: 1 }]);
    expect(sarif.columnKind).toBe('utf16CodeUnits');
    expect(sarif.results.map((r: any) => [r.ruleId, r.level])).toEqual([['EGR220', 'warning'], ['EGR002', 'error']]);
    expect(sarif.results[1]).toEqual({
      ruleId: 'EGR002',
      ruleIndex: sarif.tool.driver.rules.findIndex((r: any) => r.id === 'EGR002'),
      level: 'error',
      message: { text: expect.stringMatching(/^VirtualService wikipedia-egress-gateway: spec\.http\[1\]\.port = 80: unknown field "spec\.http\[1\]\.port": .* Fix: remove it/) },
      locations: [{
        physicalLocation: { artifactLocation: { uri: 'test/fixtures/cli/lesson-as-written.yaml' }, region: { startLine: 73, startColumn: 5 } },
        logicalLocations: [{ fullyQualifiedName: 'VirtualService wikipedia-egress-gateway', kind: 'resource' }],
      }],
      properties: { rule: 'UNKNOWN_FIELD', field: 'spec.http[1].port', fix: expect.stringContaining('remove it') },
    });
  });

  test('the driver\'s rules are the codes of docs/codes.md with their descriptions, severities and rule names', () => {
    const driver = sarifOf(run(undefined, 'lint', AS_WRITTEN, '--format', 'sarif').stdout).tool.driver;
    const { version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    const documented = [...fs.readFileSync(path.join(root, 'docs', 'codes.md'), 'utf8').matchAll(/^\| ((?:IST|EGR)\d{3,4}) \|/gm)].map(m => m[1]);

    expect(driver).toMatchObject({ version, informationUri: 'https://github.com/cdk8s-istio-egress/cdk8s-istio-egress' });
    expect(driver.rules.map((r: any) => r.id)).toEqual(documented);
    expect(driver.rules.find((r: any) => r.id === 'EGR002')).toEqual({
      id: 'EGR002',
      name: 'UNKNOWN_FIELD',
      shortDescription: { text: 'a field the kind\'s schema does not have: the API server refuses or drops it' },
      defaultConfiguration: { level: 'error' },
      helpUri: 'https://github.com/cdk8s-istio-egress/cdk8s-istio-egress/blob/main/docs/codes.md',
    });
    expect(driver.rules.find((r: any) => r.id === 'IST0133')).toMatchObject({ defaultConfiguration: { level: 'warning' } });
    const ownRules = [...fs.readFileSync(path.join(root, 'docs', 'codes.md'), 'utf8').matchAll(/^\| EGR\d{3} \| (\w+) \|/gm)].map(m => m[1]);
    expect(driver.rules.filter((r: any) => r.name).map((r: any) => r.name)).toEqual(ownRules);
    expect(ownRules).toEqual(expect.arrayContaining(['UNKNOWN_FIELD', 'BYPASS', 'PORTBYPASS']));
  });

  test('a webhook finding (IST0106) names its rule id in the message; standard input is the artifact `stdin`', () => {
    const entry = 'apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: { name: x, namespace: n }\nspec:\n  hosts: ["bad host"]\n';
    const sarif = sarifOf(run(entry, 'lint', '-', '--format', 'sarif').stdout);

    expect(sarif.results[0]).toMatchObject({
      ruleId: 'IST0106',
      level: 'error',
      message: { text: expect.stringMatching(/^SE3 ServiceEntry n\/x: spec\.hosts\[0\] = "bad host": domain name "bad host" invalid.*\. Fix: /) },
      locations: [{ physicalLocation: { artifactLocation: { uri: 'stdin' }, region: { startLine: 5, startColumn: 11 } } }],
      properties: { rule: 'SE3' },
    });
  });

  test('no findings: an empty result list, exit 0', () => {
    const sarif = sarifOf(run('apiVersion: v1\nkind: Namespace\nmetadata: { name: shop }\n', 'lint', '-', '--format=sarif').stdout);

    expect(sarif.results).toEqual([]);
    expect(sarif.invocations).toEqual([{ executionSuccessful: true, exitCode: 0 }]);
  });

  test('an input error is a failed invocation with the error as a notification at its place, exit 2', () => {
    const result = run('kind: A\n  bad: [\n', 'lint', '-', '--format', 'sarif');
    const sarif = sarifOf(result.stdout);

    expect(result.code).toBe(2);
    expect(sarif.results).toEqual([]);
    expect(sarif.invocations).toEqual([{
      executionSuccessful: false,
      exitCode: 2,
      toolExecutionNotifications: [{
        level: 'error',
        message: { text: expect.stringMatching(/^<stdin>:1:7: malformed YAML: /) },
        locations: [{ physicalLocation: { artifactLocation: { uri: 'stdin' }, region: { startLine: 1, startColumn: 7 } } }],
      }],
    }]);
    expect(sarifOf(run(undefined, 'lint', 'missing.yaml', '--format', 'sarif').stdout).invocations[0].toolExecutionNotifications)
      .toEqual([{ level: 'error', message: { text: 'missing.yaml: no such file or directory' } }]);
  });

  test('explain has no sarif format', () => {
    expect(run(undefined, 'explain', AS_WRITTEN, '--format', 'sarif')).toMatchObject({
      code: 2, stderr: expect.stringContaining('explain --format must be one of'),
    });
  });
});

describe('artifact URIs', () => {
  test('relative to the working directory below it, with forward slashes and escapes; file URIs elsewhere', () => {
    expect(artifactUri('dist/a b.yaml', '/repo')).toBe('dist/a%20b.yaml');
    expect(artifactUri('/repo/dist/x.yaml', '/repo')).toBe('dist/x.yaml');
    expect(artifactUri('/elsewhere/x.yaml', '/repo')).toBe('file:///elsewhere/x.yaml');
    expect(artifactUri('../x.yaml', '/repo/sub')).toBe('file:///repo/x.yaml');
  });
});

describe('docs/codes.md rows', () => {
  test('Istio\'s rows and the library\'s rows, escaped pipes kept', () => {
    const markdown = [
      '| code | severity | what |',
      '| --- | --- | --- |',
      '| IST0101 | error | a reference is missing |',
      '| IST0133 | warning | accepted with a warning |',
      '| EGR130 | GWTLS | error (warning where certificates decide) | TLS a \\| b |',
      '| not a code | x | y |',
    ].join('\n');

    expect(parseCodeDocs(markdown)).toEqual([
      { code: 'IST0101', severity: 'error', description: 'a reference is missing' },
      { code: 'IST0133', severity: 'warning', description: 'accepted with a warning' },
      { code: 'EGR130', severity: 'error', rule: 'GWTLS', description: 'TLS a | b' },
    ]);
  });
});
