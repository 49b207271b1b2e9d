// The jest configuration of the constructs' mutation run (npm run mutation:constructs; see docs/mutation.md): the
// tests that build and synthesize constructs (test/*.test.ts), transpiled only, as in the rules' and analysis' run.
const base = require('./jest.config');

module.exports = {
  ...base,
  testMatch: ['<rootDir>/test/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
};
