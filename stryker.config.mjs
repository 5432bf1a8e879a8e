// Mutation testing of the classification core (issue 9, "Tests that would
// catch a wrong verdict"): `npm run mutation`. Not part of `npm test` — a full
// run takes over an hour on the shared 2-core machine (44 % of the mutants are
// static and each runs the whole suite). Per file, each against the tests that
// judge it (the scores README's Development section gives):
//   npm run mutation:files                          (every file in `mutate`)
//   npm run mutation:files -- src/keys/reference.ts (one file)
// scripts/mutation-by-file.mjs lists each file's tests; a file added here must be added there.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'vitest.mutation.config.ts', related: true },
  // The files whose mistakes are wrong verdicts: which key, which level, which status.
  mutate: [
    'src/keys/reference.ts',
    'src/keys/classify.ts',
    'src/keys/resolver.ts',
    'src/keys/rotation.ts',
    'src/collect/protection.ts',
    'src/rules/level-rule.ts',
    'src/rules/key-state-rule.ts',
    'src/services/kms/key-policy.ts',
    'src/services/kms/rotation-rule.ts',
    'src/services/s3/check.ts',
  ],
  coverageAnalysis: 'perTest',
  // Reuse the previous run's results for mutants and tests that did not change.
  incremental: true,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  concurrency: 2,
  timeoutMS: 20000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false },
  // Every file of the core must keep at least 90 % of its mutants killed.
  thresholds: { high: 95, low: 90, break: 90 },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
