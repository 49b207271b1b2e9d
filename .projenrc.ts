import { JsonFile, cdk8s, javascript, release } from 'projen';

const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-istio-egress',
  description:
    'Typed cdk8s constructs for Istio egress control: external hosts, egress gateway routes and their policies, checked against Istio\'s own rules at synth time.',
  author: 'cdk8s-istio-egress maintainers',
  authorAddress: 'maintainers@users.noreply.github.com',
  repositoryUrl: 'https://github.com/cdk8s-istio-egress/cdk8s-istio-egress.git',
  license: 'Apache-2.0',
  keywords: ['cdk8s', 'istio', 'egress', 'service-mesh', 'kubernetes', 'serviceentry', 'egress-gateway'],
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,

  // The peer-dependency floor is the newest cdk8s that Maven Central serves here (org.cdk8s:cdk8s 2.70.47), so that the
  // Java package resolves; the build and the tests use the newer cdk8s pinned in devDeps below (scripts/run-java-examples.sh
  // checks that the library gives the same manifests on 2.70.47).
  cdk8sVersion: '2.70.47',
  constructsVersion: '10.8.1',
  peerDependencyOptions: { pinnedDevDependency: false },
  jsiiVersion: '~6.0.0',
  // Source maps beside the JavaScript rather than inside it: inline maps with their sources made lib/ three times as
  // large, and `require()` of the package read and scanned all of it (issue 13's require() ratio).
  tsconfig: { compilerOptions: { inlineSourceMap: false, sourceMap: true, inlineSources: true } },

  homepage: 'https://github.com/cdk8s-istio-egress/cdk8s-istio-egress#readme',
  // The project is built and checked by .ci/run; there is no hosted CI here.
  github: false,
  sampleCode: false,
  // Versions: semantic versioning from the conventional commits since the latest release tag (`npx projen bump`
  // writes it into package.json, `npx projen release` bumps, builds, restores package.json and tags). Major version 0
  // while the API may still change: a breaking change bumps the minor version.
  release: true,
  releaseTrigger: release.ReleaseTrigger.manual(),
  majorVersion: 0,

  // jsii targets (package-all below says which are built here; the rest is generated with `jsii-pacmak --code-only`
  // in CI as a check).
  publishToPypi: {
    distName: 'cdk8s-istio-egress',
    module: 'cdk8s_istio_egress',
  },
  publishToMaven: {
    javaPackage: 'io.github.cdk8sistioegress',
    mavenGroupId: 'io.github.cdk8s-istio-egress',
    mavenArtifactId: 'cdk8s-istio-egress',
  },
  publishToNuget: {
    dotNetNamespace: 'Cdk8sIstioEgress',
    packageId: 'Cdk8sIstioEgress',
  },
  publishToGo: {
    moduleName: 'github.com/cdk8s-istio-egress/cdk8s-istio-egress-go',
  },

  // The command-line tool (lib/cli/main.js) reads YAML at run time, so yaml ships inside the package.
  bin: { 'cdk8s-istio-egress': 'lib/cli/main.js' },
  bundledDeps: ['yaml@^2.9.1'],

  devDeps: [
    'cdk8s@2.70.106',
    'constructs@10.8.1',
    'ajv@^8.20.0',
    '@bufbuild/cel@^0.6.1',
    'cdk8s-cli@^2.207.60',
    'tsx@^4.23.15',
    'fast-check@^4.11.0',
    // Mutation testing (npm run mutation; 9.x is the line that runs on Node 20).
    '@stryker-mutator/core@~9.6.1',
    '@stryker-mutator/jest-runner@~9.6.1',
  ],

  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'scripts', 'examples'],
    ignorePatterns: ['src/imports/**', '*.js', '*.d.ts', 'node_modules/', 'lib/', 'dist/'],
  },

  jestOptions: {
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      coveragePathIgnorePatterns: ['/node_modules/', '/src/imports/', '/test/', '/examples/'],
      coverageThreshold: { lines: 90, branches: 90, statements: 90, functions: 90 },
    },
  },

  gitignore: ['/dist/', '/.cache/', '/.jsii-pacmak-check/', '/bench-results.json', '__pycache__/', '/reports/', '/.stryker-tmp/', '/examples/java/target/'],
});

for (const pattern of ['/examples/', '/scripts/', '/imports/', '/cdk8s.yaml', '/.ci/', '/.cache/', '/stryker.config.json', '/stryker.constructs.config.mjs']) {
  project.addPackageIgnore(pattern);
}

// Type-aware linting of the examples and scripts needs a tsconfig that includes them.
for (const dir of ['examples', 'scripts']) {
  new JsonFile(project, `${dir}/tsconfig.json`, {
    obj: {
      extends: '../tsconfig.json',
      compilerOptions: { noEmit: true, rootDir: '..' },
      include: ['**/*.ts'],
    },
  });
}

// Regenerates src/imports/ from Istio's CRD bundle, filtered by imports/istio.json, and the Gateway API kinds' field trees.
project.addTask('import', {
  description: 'Regenerate the Istio bindings in src/imports from the CRD bundle (ISTIO_CRDS overrides the path) '
    + 'and the Gateway API field trees (GATEWAY_API_CRDS overrides the path)',
  steps: [
    { exec: 'node --import tsx scripts/import-istio.ts' },
    { exec: 'node --import tsx scripts/import-gateway-api.ts' },
  ],
});

// Refreshes the README's example code and manifests from examples/ and their synth output.
project.addTask('readme', {
  description: 'Synthesize the examples and copy their code and manifests into README.md',
  steps: [
    { exec: 'cdk8s synth --no-check-upgrade' },
    { exec: 'node --import tsx scripts/sync-readme.ts' },
  ],
});

// `package-all` (and `package` outside CI) builds the packages that can be built and run here: the npm tarball, the Java
// jar (needs Maven and a JDK) and the Python wheel (needs python3 with venv), into dist/js, dist/java and dist/python.
// .NET needs the dotnet SDK, and Go needs github.com/cdk8s-team/cdk8s-core-go from the Go module proxy (refused here):
// their tasks stay (package:dotnet, package:go), and CI checks their generated code with `jsii-pacmak --code-only`.
// jsii-pacmak names the npm tarball <name>@<version>.jsii.tgz: scripts/name-tarball.sh gives it npm's own name.
project.tasks.tryFind('package:js')!.exec('bash scripts/name-tarball.sh');
const packageAll = project.tasks.tryFind('package-all')!;
packageAll.reset();
packageAll.description = 'Packages the npm, Java and Python artifacts (package:dotnet and package:go build the others)';
for (const target of ['js', 'java', 'python']) {
  packageAll.spawn(project.tasks.tryFind(`package:${target}`)!);
}

// Synthesizes the example apps into dist/ (see cdk8s.yaml).
project.addTask('synth', {
  description: 'Synthesize the example app into dist/',
  exec: 'cdk8s synth --no-check-upgrade',
});

// Measures the library against the generated L1 classes on this machine (see docs/benchmarks.md);
// not part of the tests, since timings depend on the machine and are reported, never asserted.
project.addTask('bench', {
  description: 'Benchmark synth, analysis, memory and load time against the L1 classes; writes bench-results.json',
  exec: 'node --import tsx scripts/bench/main.ts',
});

// Mutation testing of the rules and the analysis (see docs/mutation.md); not part of the tests or CI: it runs the
// example-based tests once per mutant and takes long on 2 cores. `npm run mutation -- --mutate <files>` narrows it.
project.addTask('mutation', {
  description: 'Mutation testing of src/rules and src/analysis with StrykerJS (reports/mutation/)',
  steps: [
    // Stryker runs the tests in .stryker-tmp/sandbox-*: the tests find ../shared from there through this link.
    { exec: 'mkdir -p .stryker-tmp && ln -sfn ../../shared .stryker-tmp/shared' },
    // The names of the tests in each test file: each mutant then loads only the files that hold its covering tests.
    { exec: 'jest -c test/mutation/jest.config.js --silent --json --outputFile=.stryker-tmp/test-names.json' },
    { exec: 'MUTATION_TEST_NAMES=$PWD/.stryker-tmp/test-names.json stryker run', receiveArgs: true },
  ],
});

// The same for the constructs (src/*.ts, src/private, src/synth), against the tests that synthesize them (test/*.test.ts):
// no score target (issue 14 sets one for the rules and the analysis); slower per mutant, since each test synthesizes apps.
project.addTask('mutation:constructs', {
  description: 'Mutation testing of the constructs with StrykerJS (reports/mutation-constructs/)',
  steps: [
    { exec: 'mkdir -p .stryker-tmp && ln -sfn ../../shared .stryker-tmp/shared' },
    { exec: 'jest -c test/mutation/constructs.jest.config.js --silent --json --outputFile=.stryker-tmp/constructs-test-names.json' },
    { exec: 'MUTATION_TEST_NAMES=$PWD/.stryker-tmp/constructs-test-names.json stryker run stryker.constructs.config.mjs', receiveArgs: true },
  ],
});

// Measures the per-object rules against Istio 1.30.3's own validation code (see docs/parity.md); not part of the tests or
// CI, since it needs Go and downloads the istio.io/istio module from the Go module proxy.
project.addTask('parity', {
  description: 'Compare checkObject with Istio\'s validation (webhook code and CRD schema) on a corpus of manifests; prints agreement per kind',
  exec: 'node --import tsx scripts/oracle/compare.ts',
  receiveArgs: true,
});

// Property-based tests (test/properties) with many more runs than `npm test` gives them (FUZZ_RUNS; FUZZ_SEED replays a failure).
project.addTask('fuzz', {
  description: 'Run the property-based tests with 20,000 runs per property (FUZZ_SEED=<seed> replays a reported failure)',
  env: { FUZZ_RUNS: '20000' },
  // Every core: jest's default leaves one idle, and the four files take about 50 minutes of CPU.
  exec: 'jest test/properties --coverage=false --maxWorkers=100%',
  receiveArgs: true,
});

project.synth();
