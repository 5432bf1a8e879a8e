import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrg } from '../../bench/fake-aws/org.mjs';
import { fakeCredentials, startFakeAws, type FakeAws } from '../../bench/fake-aws/server.mjs';
import { validator } from '../../src/schema.js';
import { runCli, spawnCli, type SpawnedCliResult } from '../helpers/cli.js';

/**
 * The built CLI, as a user runs it, against the fake AWS on loopback: the
 * exit codes of a scan that could not read everything, a hung endpoint
 * bounded by --request-timeout, --max-duration writing what was read, and
 * SIGTERM leaving no file behind.
 */

const ACCOUNT = '111122223333';
const org = buildOrg({
  accounts: [ACCOUNT],
  regions: ['us-east-1', 'eu-west-1'],
  totals: { buckets: 8, volumes: 6, snapshots: 6, dbInstances: 2, dbSnapshots: 2, tables: 4, functions: 4, clusters: 2, keys: 4 },
  seed: 3,
});
let fake: FakeAws;
let dir: string;

beforeAll(async () => {
  fake = await startFakeAws({ org });
  dir = mkdtempSync(join(tmpdir(), 'atrest-faults-'));
});
afterAll(() => fake.close());

/** Spawns the built CLI with the fake AWS's endpoint and credentials; `during` may act on the running child. */
function atrest(args: string[], during?: (child: ChildProcess) => void): Promise<SpawnedCliResult> {
  const credentials = fakeCredentials(ACCOUNT);
  // --quiet: no progress lines on stderr, so what is there is what these tests are about.
  return spawnCli([...args, '--quiet', '--endpoint-url', fake.endpoint, '--regions', 'us-east-1,eu-west-1'], {
    env: { AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey },
    during,
  });
}

describe('atrest against a faulty AWS (built CLI, fake AWS on loopback)', () => {
  it('clean: collect exits 0 and the inventory holds every resource', async () => {
    fake.setFaults(undefined);
    fake.setLatency(0);
    const output = join(dir, 'clean.json');
    const r = await atrest(['collect', '--output', output]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const inventory = JSON.parse(readFileSync(output, 'utf8'));
    expect(validator('inventory.schema.json')(inventory)).toBe(true);
    expect(inventory.scan.errors).toEqual([]);
  });

  it('AccessDenied on one service in one Region: scan exits 3 (--fail-on none), the report says which call and what is unknown', async () => {
    fake.setFaults({ deny: (c) => c.service === 'redshift' && c.region === 'eu-west-1' });
    const output = join(dir, 'denied.json');
    const r = await atrest(['scan', '--format', 'json', '--fail-on', 'none', '--output', output]);
    expect(r.code).toBe(3);
    const report = JSON.parse(readFileSync(output, 'utf8'));
    expect(report.scan.errors.map((e: { service: string; region: string; operation: string; code: string }) => `${e.service} ${e.region} ${e.operation} ${e.code}`).sort()).toEqual([
      'redshift eu-west-1 DescribeClusterSnapshots AccessDenied',
      'redshift eu-west-1 DescribeClusters AccessDenied',
    ]);
    expect(report.findings.filter((f: { ruleId: string; status: string }) => f.ruleId === 'SCAN.INCOMPLETE' && f.status === 'unknown').length).toBeGreaterThan(0);
  });

  it('a hung endpoint ends within --request-timeout: collect exits 3, the unanswered listings are scan errors with the reason', async () => {
    fake.setFaults({ hang: (c) => c.service === 'kms' && c.region === 'eu-west-1' && c.operation === 'ListKeys' });
    const output = join(dir, 'hung.json');
    const r = await atrest(['collect', '--request-timeout', '0.5', '--output', output]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('call(s) failed');
    const inventory = JSON.parse(readFileSync(output, 'utf8'));
    expect(inventory.scan.errors).toEqual([
      expect.objectContaining({ service: 'kms', region: 'eu-west-1', operation: 'ListKeys', code: 'TimeoutError', message: expect.stringContaining('--request-timeout') }),
    ]);
    // 3 attempts of 0.5 s and a later pass's 2 s wait, plus start-up: far from a hang.
    expect(r.ms).toBeLessThan(30_000);
  });

  it('--max-duration runs out: what was read is written, the rest are scan errors, exit 3, never a hang', async () => {
    fake.setFaults({ hang: (c) => c.service === 'lambda' });
    const output = join(dir, 'deadline.json');
    const r = await atrest(['collect', '--max-duration', '3s', '--output', output]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('--max-duration 3 s ran out');
    const inventory = JSON.parse(readFileSync(output, 'utf8'));
    expect(validator('inventory.schema.json')(inventory)).toBe(true);
    const stopped = inventory.scan.errors.filter((e: { code: string }) => e.code === 'MaxDurationExceeded');
    expect(stopped.map((e: { service: string; operation: string }) => `${e.service} ${e.operation}`)).toContain('lambda ListFunctions');
    // Everything else had been read.
    expect(inventory.resources.filter((x: { service: string }) => x.service === 's3')).toHaveLength(8);
    expect(r.ms).toBeLessThan(30_000);
  });

  it('SIGTERM mid-scan: exit 143 and no output file, not even a partial one', async () => {
    fake.reset();
    fake.setFaults({ hang: (c) => c.service === 'dynamodb' });
    const output = join(dir, 'interrupted.json');
    const r = await atrest(['scan', '--format', 'json', '--output', output], (child) => {
      // Once the scan is under way (the fake has seen a DynamoDB call), stop it.
      const timer = setInterval(() => {
        if ((fake.counts()['dynamodb:ListTables'] ?? 0) > 0) {
          clearInterval(timer);
          child.kill('SIGTERM');
        }
      }, 50);
    });
    expect(r.code).toBe(143);
    expect(r.stderr).toContain('stopped by SIGTERM; nothing was written');
    expect(existsSync(output)).toBe(false);
  });

  it('a bad timeout or duration is a usage error (exit 2) that names the flag', () => {
    const timeout = runCli(['collect', '--request-timeout', '0']);
    expect(timeout.code).toBe(2);
    expect(timeout.stderr).toMatch(/--request-timeout.*expected seconds from 0\.1 to 3600/);
    const duration = runCli(['scan', '--max-duration', 'soon']);
    expect(duration.code).toBe(2);
    expect(duration.stderr).toMatch(/--max-duration.*90s, 15m, 2h/);
    const ceiling = runCli(['collect', '--max-connections', '0']);
    expect(ceiling.code).toBe(2);
    expect(ceiling.stderr).toContain('--max-connections');
  });
});
