import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';

/**
 * The tests Stryker runs against each mutant (stryker.config.mjs). The same
 * as `npm test` minus the tests that spawn the built CLI (dist/cli.js is
 * never mutated, so they cannot kill a mutant) and the source-text
 * contracts: they would only slow every run of a static mutant down.
 */
export default mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: ['test/cli/**', 'test/services/lambda/canary.test.ts', 'test/demo/**', 'test/architecture/**', 'test/contract/**', 'test/services/generated-artefacts.test.ts'],
    },
  }),
);
