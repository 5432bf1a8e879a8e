import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { builtCli } from './build.js';
import { ROOT } from './fixtures.js';

/**
 * The environment every spawned CLI gets: this process's, without any AWS_
 * variable (no test can reach a real account through them) or FORCE_COLOR,
 * with no config or credentials file and no instance metadata; `extra` adds
 * what a test needs (fake credentials for a loopback endpoint, a Region).
 */
export function cliEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !k.startsWith('AWS_') && k !== 'FORCE_COLOR') env[k] = v;
  }
  return { ...env, AWS_CONFIG_FILE: '/nonexistent/atrest-test-config', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/atrest-test-credentials', AWS_EC2_METADATA_DISABLED: 'true', ...extra };
}

/** Fake credentials for a CLI that talks to a loopback endpoint (never valid anywhere). */
export const FAKE_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'AKIDTEST', AWS_SECRET_ACCESS_KEY: 'test-secret' } as const;

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
  const env = cliEnv(options.env);
  const result = spawnSync(process.execPath, [builtCli(), ...args], {
    cwd: options.cwd ?? ROOT,
    env,
    encoding: 'utf8',
    input: options.input ?? '',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

export interface SpawnedCliResult extends CliResult {
  signal: NodeJS.Signals | null;
  /** Wall time from spawn to exit. */
  ms: number;
}

/**
 * The built CLI in a child process that runs while the test goes on (a
 * loopback server in this process answers it; `during` may act on the child,
 * e.g. send it a signal). Resolves when it exits.
 */
export function spawnCli(args: string[], options: { env?: Record<string, string>; during?: (child: ChildProcess) => void } = {}): Promise<SpawnedCliResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [builtCli(), ...args], { cwd: ROOT, env: cliEnv(options.env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, ms: Date.now() - started }));
    options.during?.(child);
  });
}
