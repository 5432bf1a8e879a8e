import { spawnSync } from 'node:child_process';
import { builtCli } from './build.js';
import { ROOT } from './fixtures.js';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built CLI (dist/cli.js) as a user would: a separate process, its
 * stdout, stderr and exit code. The build is brought up to date first
 * (test/helpers/build.ts), so a watch-mode run never tests a stale binary.
 * AWS variables are cleared so no test can reach a real account.
 */
export function runCli(args: string[], options: { env?: Record<string, string>; cwd?: string; input?: string } = {}): CliResult {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !k.startsWith('AWS_') && k !== 'FORCE_COLOR') env[k] = v;
  }
  Object.assign(env, { AWS_CONFIG_FILE: '/nonexistent/atrest-test-config', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/atrest-test-credentials', AWS_EC2_METADATA_DISABLED: 'true' }, options.env ?? {});
  const result = spawnSync(process.execPath, [builtCli(), ...args], {
    cwd: options.cwd ?? ROOT,
    env,
    encoding: 'utf8',
    input: options.input ?? '',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
