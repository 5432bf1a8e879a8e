import { describe, expect, it } from 'vitest';
import type { KeysReport } from '../../src/model/keys-report.js';
import type { Report } from '../../src/model/report.js';
import { readInventoryFile, mergeInventories } from '../../src/inventory-file.js';
import { runCli } from '../helpers/cli.js';
import { ROOT } from '../helpers/fixtures.js';

/** `--usage` as a user meets it: the flags, the demo's request cost and headroom, offline, in the table and the JSON. */
const USAGE = 'fixtures/demo/kms-usage.json';
const S3 = 'fixtures/demo/s3-kms.json';

describe('--usage and the request cost, from the command line', () => {
  it('scan, collect and keys document --usage; keys --inventory refuses it (exit 2)', () => {
    for (const command of ['scan', 'collect', 'keys']) expect(runCli([command, '--help']).stdout, command).toContain('--usage');
    const clash = runCli(['keys', '--inventory', USAGE, '--usage']);
    expect(clash.code).toBe(2);
    expect(clash.stderr).toBe('atrest: --inventory reads inventory files offline; --usage only apply when reading from AWS\n');
  });

  it('evaluate prints the request charge, the headroom and the drivers, and KMS.QUOTA_HEADROOM among the findings', () => {
    const r = runCli(['evaluate', USAGE, S3]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('request charges (last 30 days, 2026-10-29 to 2026-11-28): $449.79 a month after the free tier, 149,951,120 KMS calls');
    expect(r.stdout).toContain('Cryptographic operations (symmetric) request rate: 86% (86,000/s of 100,000/s, applied)');
    expect(r.stdout).toContain('s3 acme-log-archive: 2,999,520 GET+PUT requests (S3 request metrics) ≈ $9.00 of KMS requests; a Bucket Key would save up to $8.91 a month');
    expect(r.stdout).toMatch(/medium\s+KMS\.QUOTA_HEADROOM\s+arn:aws:servicequotas:us-east-1:111122223333:kms\/L-6E3AF000/);
    expect(r.stdout).toContain('a Bucket Key would save up to $8.91 a month after the free tier (up to 99% fewer KMS requests)');
  });

  it('the JSON report carries cost.requests, the same offline every time', () => {
    const r = runCli(['evaluate', USAGE, S3, '--format', 'json']);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.cost.requests).toMatchObject({ status: 'measured', monthlyCalls: 149_951_120, monthlyUsd: 449.7934, period: { days: 30 } });
    expect(report.cost.requests.byRegion.map((x) => [x.region, x.monthlyCalls])).toEqual([
      ['eu-west-1', 902_880],
      ['us-east-1', 149_048_240],
    ]);
    expect(report.cost.requestCharges).toContain('about $449.79 a month after the free tier');
    expect(runCli(['evaluate', S3, USAGE, '--format', 'json']).stdout).toBe(r.stdout);
  });

  it('the keys view shows the request cost and lists the headroom finding', () => {
    const table = runCli(['keys', '--inventory', USAGE, S3]);
    expect(table.stdout).toContain('request charges (last 30 days');
    expect(table.stdout).toContain('KMS.QUOTA_HEADROOM');
    const json = JSON.parse(runCli(['keys', '--inventory', USAGE, S3, '--format', 'json']).stdout) as KeysReport;
    expect(json.cost.requests.monthlyUsd).toBe(449.7934);
    expect(json.findings.map((f) => f.ruleId)).toContain('KMS.QUOTA_HEADROOM');
  });

  it('without usage data the charge is not collected, and says how to get it', () => {
    const report = JSON.parse(runCli(['evaluate', S3, '--format', 'json']).stdout) as Report;
    expect(report.cost.requests).toMatchObject({ status: 'not-collected', monthlyUsd: null, monthlyCalls: null });
    expect(report.cost.requestCharges).toContain('request counts only with --usage');
    expect(report.findings.filter((f) => f.ruleId === 'KMS.QUOTA_HEADROOM')).toEqual([]);
  });

  it('merging keeps one usage record per account and Region: the most recent scan\'s, whatever the order', () => {
    const usage = readInventoryFile(`${ROOT}/${USAGE}`);
    const later = structuredClone(usage);
    later.scan.finishedAt = '2026-11-29T09:00:00.000Z';
    later.usage!.regions = later.usage!.regions.filter((r) => r.region === 'us-east-1');
    later.usage!.regions[0]!.metrics.calls = 99;
    const a = mergeInventories([usage, later]).inventory.usage!;
    const b = mergeInventories([later, usage]).inventory.usage!;
    expect(a).toEqual(b);
    expect(a.regions.map((r) => [r.region, r.metrics.calls])).toEqual([
      ['eu-west-1', 2],
      ['us-east-1', 99],
    ]);
  });
});
