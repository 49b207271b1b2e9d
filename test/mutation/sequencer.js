// Runs only the test files that hold a test the run asks for by name.
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

class FilesWithRequestedTests extends Sequencer {
  constructor(options) {
    super(options);
    // Jest matches the pattern against full test names without regard to case.
    this.pattern = options.globalConfig.testNamePattern ? new RegExp(options.globalConfig.testNamePattern, 'i') : undefined;
  }

  sort(tests) {
    const names = testNames();
    if (!this.pattern || !names) {
      return super.sort(tests);
    }
    const wanted = tests.filter(test => {
      const listed = names.get(relativeToPackage(test.path));
      // A file the names do not list (added since) runs, so that nothing is left out.
      return listed === undefined || listed.some(name => this.pattern.test(name));
    });
    return super.sort(wanted.length > 0 ? wanted : tests);
  }
}

module.exports = FilesWithRequestedTests;
