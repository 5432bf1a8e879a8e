import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';

/**
 * The tests Stryker runs against each mutant (stryker.config.mjs). The same
 * as `npm test` minus the tests that spawn the built CLI (test/cli, test/iac/cli.test.ts; dist/cli.js is
 * never mutated, so they cannot kill a mutant), the Lambda secrets canary
 * (it spawns the CLI too) and the source-text contracts: they would only
 * slow every run of a static mutant down.
 *
 * ATREST_MUTATION_TESTS (comma-separated globs) narrows the tests further
 * while working on one file, e.g. ATREST_MUTATION_TESTS='test/keys/**'.
 * Narrow here rather than with Stryker's --testFiles: in Stryker 9.6.1
 * --testFiles activates static mutants (module-level constants such as the
 * key id pattern) after the module has loaded, so they survive falsely
 * (stryker-mutator/stryker-js#6144). Scores are measured without it.
 */
const narrowed = process.env.ATREST_MUTATION_TESTS?.split(',').map((g) => g.trim()).filter(Boolean);

const config = mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: ['test/cli/**', 'test/services/lambda/canary.test.ts', 'test/demo/**', 'test/architecture/**', 'test/contract/**', 'test/services/generated-artefacts.test.ts', 'test/iac/cli.test.ts'],
    },
  }),
);
// Replaced, not merged (mergeConfig would append to the base's include).
if (narrowed?.length && config.test) config.test.include = narrowed;
// No build before the run: the tests that spawn dist/cli.js are excluded above,
// and in Stryker's sandbox the build-aware setup (test/setup/build.ts) would
// rebuild dist/ from the instrumented source for nothing.
if (config.test) config.test.globalSetup = [];

export default config;
