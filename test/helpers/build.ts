import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './fixtures.js';

/**
 * The CLI tests run the built binary, as a user does. A build older than the
 * source would test yesterday's code and stay green — in watch mode or from an
 * editor, where nothing rebuilds — so every spawn asks for the path through
 * `builtCli()`, which rebuilds first when any file the build reads is newer
 * than dist/cli.js. `npm test` builds before vitest, so there this costs only
 * the stat calls. Parallel test workers take a lock so one builds and the
 * others wait for it.
 */
const DIST_CLI = join(ROOT, 'dist', 'cli.js');
const LOCK = join(ROOT, 'dist', '.build-lock');
const INPUTS = ['src', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];

function newestInput(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestInput(join(path, name))), 0);
}

/** Is dist/cli.js missing or older than some file it is built from? */
export function buildIsStale(): boolean {
  if (!existsSync(DIST_CLI)) return true;
  const built = statSync(DIST_CLI).mtimeMs;
  return INPUTS.some((input) => existsSync(join(ROOT, input)) && newestInput(join(ROOT, input)) > built);
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function rebuild(): void {
  for (let waited = 0; ; waited += 100) {
    try {
      closeSync(openSync(LOCK, 'wx'));
      break;
    } catch {
      // Another worker is building; when it is done the build is fresh.
      if (!buildIsStale()) return;
      if (waited > 120_000) throw new Error(`${LOCK} held for two minutes: remove it if no build is running`);
      sleep(100);
    }
  }
  try {
    if (buildIsStale()) execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
  } finally {
    unlinkSync(LOCK);
  }
}

/** The path of dist/cli.js, rebuilt first when the source is newer than the build. */
export function builtCli(): string {
  if (buildIsStale()) rebuild();
  return DIST_CLI;
}
