// Mutation testing of the constructs (`npm run mutation:constructs`, see docs/mutation.md): the settings of
// stryker.config.json over the construct modules, run against the tests that synthesize them.
import { readFileSync } from 'node:fs';

const base = JSON.parse(readFileSync(new URL('./stryker.config.json', import.meta.url), 'utf8'));
delete base.$schema;

export default {
  ...base,
  jest: { ...base.jest, configFile: 'test/mutation/constructs.jest.config.js' },
  // The constructs and what they are made of; the generated L1 classes (src/imports) and the CLI are left out.
  mutate: ['src/*.ts', 'src/private/**/*.ts', 'src/synth/**/*.ts', '!src/index.ts'],
  htmlReporter: { fileName: 'reports/mutation-constructs/index.html' },
  jsonReporter: { fileName: 'reports/mutation-constructs/mutation.json' },
};
