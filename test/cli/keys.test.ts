import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { KeysReport } from '../../src/model/keys-report.js';
import { validator } from '../../src/schema.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { ROOT } from '../helpers/fixtures.js';

/** `atrest keys` offline, spawned like a user runs it (needs a build: npm test builds first). */
const DEMO = 'fixtures/demo/kms-governance.json';
const APP_DATA = 'arn:aws:kms:us-east-1:111122223333:key/3f6b2c1a-8d4e-4f7a-9b0c-1d2e3f4a5b6c';

describe('atrest keys --inventory (offline)', () => {
  let table: CliResult;
  let json: CliResult;
  beforeAll(() => {
    table = runCli(['keys', '--inventory', DEMO]);
    json = runCli(['keys', '--inventory', DEMO, '--format', 'json']);
  });

  it('prints the key-centred table with dependants, cost and key findings, exit 0 with --fail-on none', () => {
    expect(table.stderr).toBe('');
    expect(table.code).toBe(0);
    const out = table.stdout;
    expect(out).toContain('16 key(s): 13 customer managed, 2 AWS managed, 1 of other accounts');
    for (const column of ['key', 'region', 'manager', 'origin', 'state', 'rotation', 'dependants', '$/month', 'issues']) expect(out).toContain(column);
    expect(out).toMatch(/alias\/app-data\s+│ us-east-1 │ CUSTOMER │ AWS_KMS\s+│ Enabled\s+│ on, 365 days \(2\s+│ dynamodb 1,\s+│/);
    expect(out).toContain('n/a: HMAC key');
    // The cell wraps at a space: "replica; also in" then "us-east-1" on the row's next line.
    expect(out).toMatch(/replica; also in\s+│[^\n]*\n│ us-east-1[ ,]/);
    // 13: the public key is also KMS.CROSS_ACCOUNT information (any account can use it).
    expect(out).toContain('Key findings, failing or undecided (13), most serious first');
    expect(out.replace(/\s+/g, ' ')).toContain('any AWS account can use the key: statement "Let anyone decrypt"');
    // Finding text wraps under its label: compare with the line breaks folded.
    expect(out.replace(/\s+/g, ' ')).toContain('is scheduled for deletion on 2026-12-05T09:04:12.000Z (in 7 days)');
    expect(out).toContain('key charges: $21.00 or more USD for 12 billed key(s)');
    expect(out).toContain('KMS request charges are not estimated');
    expect(out).toContain('exit 0: no unknown results, and no severity fails the run (--fail-on none, key findings only).');
    // No colour when not a terminal.
    expect(out).not.toContain('\u001b[');
  });

  it('--format json is the keys view, valid against schema/keys.schema.json', () => {
    expect(json.code).toBe(0);
    const view = JSON.parse(json.stdout) as KeysReport;
    const validate = validator('keys.schema.json');
    expect(validate(view), JSON.stringify(validate.errors, null, 2)).toBe(true);
    expect(view.kind).toBe('atrest-keys');
    const app = view.keys.find((k) => k.arn === APP_DATA)!;
    expect(app.dependents).toEqual([
      'arn:aws:dynamodb:us-east-1:111122223333:table/app-sessions',
      'arn:aws:ec2:us-east-1:111122223333:volume/vol-0c1d2e3f4a5b6c7d8',
      'arn:aws:s3:::acme-app-data-111122223333',
    ]);
    expect(app.dependentsByService).toEqual({ dynamodb: 1, ebs: 1, s3: 1 });
    expect(app.monthlyCostUsd).toBe(3);
    expect(app.rotationSummary).toBe('on, 365 days (2 rotations)');
    expect(view.cost.monthlyKeyChargesUsd).toBe(21);
    expect(view.cost.bucketsWithoutBucketKey.map((b) => b.bucketArn)).toEqual([
      'arn:aws:s3:::acme-analytics-exports-111122223333',
      'arn:aws:s3:::acme-audit-evidence-111122223333',
      'arn:aws:s3:::acme-partner-drop-111122223333',
    ]);
    expect(view.findings.map((f) => f.ruleId)).toContain('KMS.POLICY_PUBLIC');
    expect(view.findings.every((f) => f.status === 'fail' || f.status === 'unknown')).toBe(true);
    expect(view.outcome).toEqual({ failOn: 'none', exitCode: 0, reason: 'no unknown results, and no severity fails the run' });
  });

  it('--fail-on high exits 1 on the critical key findings; --output writes the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'atrest-keys-'));
    const file = join(dir, 'keys.json');
    const result = runCli(['keys', '--inventory', DEMO, '--format', 'json', '--fail-on', 'high', '--output', file]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    const view = JSON.parse(readFileSync(file, 'utf8')) as KeysReport;
    expect(view.outcome.exitCode).toBe(1);
  });

  it('reads folders and merges several files like evaluate', () => {
    const result = runCli(['keys', '--inventory', 'fixtures/demo', '--format', 'json']);
    expect(result.code).not.toBe(2);
    const view = JSON.parse(result.stdout) as KeysReport;
    expect(view.keys.map((k) => k.arn)).toContain(APP_DATA);
  });

  it('refuses AWS options with --inventory (exit 2) and reports unreadable files (exit 2)', () => {
    const clash = runCli(['keys', '--inventory', DEMO, '--profile', 'prod', '--regions', 'us-east-1']);
    expect(clash.code).toBe(2);
    expect(clash.stderr).toBe('atrest: --inventory reads inventory files offline; --profile, --regions only apply when reading from AWS\n');
    const usage = runCli(['keys', '--inventory', DEMO, '--key-usage']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--key-usage');
    const missing = runCli(['keys', '--inventory', 'no/such/inventory.json']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file or folder');
  });

  it('an inventory that is not valid is exit 2 with the schema path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'atrest-keys-'));
    const file = join(dir, 'broken.json');
    const inv = JSON.parse(readFileSync(join(ROOT, DEMO), 'utf8'));
    inv.keys[0].grants.count = 'many';
    writeFileSync(file, JSON.stringify(inv));
    const result = runCli(['keys', '--inventory', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('/keys/0/grants/count');
  });

  it('without --inventory and without credentials it is a usage error, not a crash', () => {
    const result = runCli(['keys', '--regions', 'us-east-1']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^atrest: /);
  });
});

describe('start-up stays free of AWS SDK clients', () => {
  it('keys --help and --version load no @aws-sdk/client-* module', () => {
    const dir = mkdtempSync(join(tmpdir(), 'atrest-hook-'));
    const hooks = join(dir, 'hooks.mjs');
    writeFileSync(
      hooks,
      `export async function resolve(specifier, context, next) {
  if (specifier.startsWith('@aws-sdk/client-')) process.stderr.write('LOADED ' + specifier + '\\n');
  return next(specifier, context);
}
`,
    );
    const register = join(dir, 'register.mjs');
    writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(new URL(`file://${hooks}`).href)});\n`);
    for (const args of [['keys', '--help'], ['--version'], ['--help']]) {
      const result = runCli(args, { env: { NODE_OPTIONS: `--import ${register}` } });
      expect(result.code, args.join(' ')).toBe(0);
      expect(result.stderr, args.join(' ')).not.toContain('LOADED');
    }
    // The hook does see SDK clients when a command needs them (the test can fail).
    const live = runCli(['keys', '--regions', 'us-east-1'], { env: { NODE_OPTIONS: `--import ${register}` } });
    expect(live.stderr).toContain('LOADED @aws-sdk/client-');
  });

  it('keys --help documents --inventory and --key-usage', () => {
    const result = runCli(['keys', '--help']);
    expect(result.stdout).toContain('--inventory <paths...>');
    expect(result.stdout).toContain('--key-usage');
    expect(runCli(['scan', '--help']).stdout).toContain('--key-usage');
    expect(runCli(['collect', '--help']).stdout).toContain('--key-usage');
  });
});

describe('atrest evaluate on the kms-governance demo', () => {
  it('writes a report valid against schema/report.schema.json with keys[].dependents and the cost section, deterministically', () => {
    const first = runCli(['evaluate', DEMO, '--format', 'json']);
    const second = runCli(['evaluate', DEMO, '--format', 'json']);
    expect(first.stdout).toBe(second.stdout);
    // Critical key findings fail the default --fail-on high.
    expect(first.code).toBe(1);
    const report = JSON.parse(first.stdout);
    const validate = validator('report.schema.json');
    expect(validate(report), JSON.stringify(validate.errors, null, 2)).toBe(true);
    expect(report.keys.find((k: { arn: string }) => k.arn === APP_DATA).dependents).toHaveLength(3);
    expect(report.cost.monthlyKeyChargesUsd).toBe(21);
    expect(report.cost.currency).toBe('USD');
    const statuses = new Set(report.findings.map((f: { status: string }) => f.status));
    expect([...statuses].sort()).toEqual(['fail', 'not-applicable', 'pass', 'unknown']);
    const levels = new Set(report.resources.map((r: { protection: { level: string } }) => r.protection.level));
    expect([...levels].sort()).toEqual(['aws-managed', 'aws-owned', 'customer-managed', 'customer-managed-hsm', 'customer-managed-imported', 'none', 'unknown']);
  });

  it('the table shows the cost section', () => {
    const result = runCli(['evaluate', DEMO, '--fail-on', 'none']);
    expect(result.code).toBe(3);
    expect(result.stdout).toContain('Estimated KMS cost (monthly, list prices)');
    expect(result.stdout).toContain('S3 buckets that call KMS on every object request');
  });
});
