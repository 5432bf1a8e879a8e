import { buildIsStale, builtCli } from '../helpers/build.js';

/**
 * Vitest global setup: bring dist/ up to date before the CLI tests spawn it —
 * at the start of a run and again before every re-run in watch mode — so a
 * build is never older than the source it is tested as (test/helpers/build.ts).
 */
export default function setup(project: { onTestsRerun?: (callback: () => void | Promise<void>) => void }): void {
  if (buildIsStale()) builtCli();
  project.onTestsRerun?.(() => {
    if (buildIsStale()) builtCli();
  });
}
