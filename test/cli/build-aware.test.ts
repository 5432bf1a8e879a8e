import { statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildIsStale, builtCli } from '../helpers/build.js';
import { ROOT } from '../helpers/fixtures.js';

/**
 * The CLI tests spawn dist/cli.js; a build older than the source must not be
 * tested as if it were the source (watch mode, an editor's test run).
 */
describe('the CLI tests run a fresh build', () => {
  it('builtCli() leaves an up-to-date build as it is', () => {
    const cli = builtCli();
    expect(buildIsStale()).toBe(false);
    expect(cli).toBe(join(ROOT, 'dist', 'cli.js'));
  });

  it('a build older than any source file is stale', () => {
    const cli = builtCli();
    const { atime, mtime } = statSync(cli);
    try {
      // Pretend the build predates the source: as after an edit.
      utimesSync(cli, atime, new Date(statSync(join(ROOT, 'src', 'cli.ts')).mtimeMs - 60_000));
      expect(buildIsStale()).toBe(true);
    } finally {
      utimesSync(cli, atime, mtime);
    }
    expect(buildIsStale()).toBe(false);
  });
});
