// Runs only the test files that hold a test the run asks for by name; for a static mutant, the files that import
// the mutated module; with MUTATION_OWN_TESTS set, only the mutated module's own test files.
//
// For each mutant, Stryker asks jest for the tests that covered its code, by name (testNamePattern),
// in the files related to the mutated file. Jest would still load every related file and skip its
// other tests: for a mutant in a rule that most analyzer tests reach, that is nearly every file, and
// loading them, not running the few tests asked for, took most of each mutant's time. The names of
// the tests in each file come from one jest run before Stryker starts (the `mutation` task writes
// them to $MUTATION_TEST_NAMES). Without that file, without a pattern (the first, full run) or when
// nothing would be left, every file runs, as jest would run it.
const fs = require('fs');
const path = require('path');
const Sequencer = require('@jest/test-sequencer').default;

let namesByFile;

/** A test file's path below the directory of its package.json (the same in the project and in Stryker's sandbox). */
function relativeToPackage(file) {
  let dir = path.dirname(file);
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) {
    dir = path.dirname(dir);
  }
  return path.relative(dir, file).split(path.sep).join('/');
}

/** `relative path of a test file` -> full names of its tests, from jest's JSON results. */
function testNames() {
  const file = process.env.MUTATION_TEST_NAMES;
  if (namesByFile === undefined) {
    namesByFile = null;
    if (file && fs.existsSync(file)) {
      const results = JSON.parse(fs.readFileSync(file, 'utf8'));
      namesByFile = new Map(results.testResults.map(r => [relativeToPackage(r.name), r.assertionResults.map(a => a.fullName)]));
    }
  }
  return namesByFile;
}

/**
 * How a test file names the mutated module in an import (`…/rules/protocol'`), for a mutant run of one file:
 * undefined for other runs (the first, full run has no active mutant).
 */
function importOfMutatedFile(globalConfig) {
  const files = globalConfig.nonFlagArgs ?? [];
  if (!process.env.__STRYKER_ACTIVE_MUTANT__ || !globalConfig.findRelatedTests || files.length !== 1) {
    return undefined;
  }
  const parts = files[0].replace(/\.ts$/, '').split(/[\\/]/);
  return `/${parts.slice(-2).join('/')}'`;
}

const importsByFile = new Map();

/** Whether a test file imports the module (read once per file); a folder's index.ts is imported by the folder's name. */
function imports(file, moduleImport) {
  let text = importsByFile.get(file);
  if (text === undefined) {
    text = fs.readFileSync(file, 'utf8');
    importsByFile.set(file, text);
  }
  return text.includes(moduleImport) || (moduleImport.endsWith("/index'") && text.includes(moduleImport.replace(/\/index'$/, "'")));
}

/**
 * The test files that import the module, or whose name starts with the module's (`conflicts-branches.test.ts`).
 * With MUTATION_OWN_TESTS=named, only the latter: for a module that most test files import (`model.ts`, the
 * object index, is imported by some fifty), a surviving mutant would otherwise run nearly every test.
 */
function ownTests(tests, moduleImport) {
  return tests.filter(test => [moduleImport, ...alsoOwn(moduleImport)].some(m => ownTest(test, m)));
}

function ownTest(test, moduleImport) {
  const base = moduleImport.slice(moduleImport.lastIndexOf('/') + 1, -1);
  const file = path.basename(test.path);
  const named = file.startsWith(`${base}.`) || file.startsWith(`${base}-`);
  return named || (!['named', 'named-only'].includes(process.env.MUTATION_OWN_TESTS) && imports(test.path, moduleImport));
}

/**
 * MUTATION_ALSO_OWN=paths,egress-intent: modules of the mutated module's folder whose own tests count as its own too,
 * for a module that others wrap (`path-lookups.ts`, which `paths.ts` is made of): its behaviour is tested through them.
 */
function alsoOwn(moduleImport) {
  const folder = moduleImport.slice(0, moduleImport.lastIndexOf('/') + 1);
  return (process.env.MUTATION_ALSO_OWN ?? '').split(',').filter(m => m !== '').map(m => `${folder}${m}'`);
}

class FilesWithRequestedTests extends Sequencer {
  constructor(options) {
    super(options);
    // Jest matches the pattern against full test names without regard to case.
    this.pattern = options.globalConfig.testNamePattern ? new RegExp(options.globalConfig.testNamePattern, 'i') : undefined;
    this.moduleImport = importOfMutatedFile(options.globalConfig);
  }

  sort(tests) {
    const names = testNames();
    if (!this.pattern && this.moduleImport) {
      // A static mutant (in a module-level constant) has no covering tests, so Stryker asks for every related file,
      // and jest cannot stop at the first failure here: the files that import the module or are named after it run,
      // or all when there are none (for an analysis module that only the index imports, every analysis test file:
      // a minute or more a mutant).
      const own = ownTests(tests, this.moduleImport);
      return super.sort(own.length > 0 ? own : tests);
    }
    if (!this.pattern || !names) {
      return super.sort(tests);
    }
    const wanted = tests.filter(test => {
      const listed = names.get(relativeToPackage(test.path));
      // A file the names do not list (added since) runs, so that nothing is left out.
      return listed === undefined || listed.some(name => this.pattern.test(name));
    });
    if (process.env.MUTATION_OWN_TESTS === 'named-only' && this.moduleImport) {
      // Only the files named after the module, even when none of them holds a covering test (jest then runs none of
      // their tests and the mutant survives): for a module nearly every test reaches (`model.ts`), whose other
      // covering files would each run for every mutant its own tests miss.
      const own = ownTests(tests, this.moduleImport);
      return super.sort(own.length > 0 ? own : tests);
    }
    if (process.env.MUTATION_OWN_TESTS && this.moduleImport) {
      // The module's own tests only (files that import it, or named after it): a lower bound on the score, for
      // modules that most tests reach (every analysis test runs every analyzer). Survivors are then run by hand
      // against all tests.
      const own = ownTests(wanted, this.moduleImport);
      return super.sort(own.length > 0 ? own : wanted.length > 0 ? wanted : tests);
    }
    return super.sort(wanted.length > 0 ? wanted : tests);
  }
}

module.exports = FilesWithRequestedTests;
