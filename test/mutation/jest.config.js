// The jest configuration of the mutation run (npm run mutation; see docs/mutation.md): the example-based
// tests of the rules and the analysis, transpiled only (the normal `npm test` type-checks them).
const path = require('path');

module.exports = {
  rootDir: path.join(__dirname, '..', '..'),
  collectCoverage: false,
  testMatch: ['<rootDir>/test/rules/**/*.test.ts', '<rootDir>/test/analysis/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/test/properties/', '/test/analysis/construct-lint-parity.test.ts'],
  reporters: ['default'],
  transform: {
    '^.+\\.[t]sx?$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json', isolatedModules: true }],
  },
  testSequencer: '<rootDir>/test/mutation/sequencer.js',
};
