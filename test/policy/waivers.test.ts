import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/report.js';
import { evaluate, waiverExpiry } from '../../src/engine/engine.js';
import type { Waiver } from '../../src/model/policy.js';
import { validator } from '../../src/schema.js';
import { bucket, inventory, policy } from '../helpers/inventory.js';

const noSseC = bucket('legacy-a', { level: 'aws-owned', attributes: { sseCBlocked: false } });
const noSseC2 = bucket('legacy-b', { level: 'aws-owned', attributes: { sseCBlocked: false } });
const other = bucket('app-legacy', { level: 'aws-owned', attributes: { sseCBlocked: false } });
const unread = bucket('legacy-unread', { level: 'unknown' });
const scanErrors = [
  { service: 's3' as const, region: 'us-east-1', operation: 'GetBucketEncryption', code: 'AccessDenied', message: 'denied', resourceArn: unread.arn },
];
const inv = inventory({ resources: [noSseC, noSseC2, other, unread], errors: scanErrors });

const waiver = (over: Partial<Waiver>): Waiver => ({
  rule: 'S3.SSE_C_BLOCKED',
  resource: noSseC.arn,
  reason: 'uploader needs SSE-C until Q2',
  owner: 'data-team@example.com',
  expires: '2027-03-31',
  ...over,
});

function run(waivers: Waiver[], failOn: 'high' | 'low' = 'low') {
  return evaluate(inv, policy({ waivers }), { failOn });
}

const f = (findings: Finding[], ruleId: string, arn: string) => findings.find((x) => x.ruleId === ruleId && x.resourceArn === arn)!;

describe('waivers', () => {
  it('a matching active waiver suppresses the finding and stays on it', () => {
    const report = run([waiver({})]);
    const finding = f(report.findings, 'S3.SSE_C_BLOCKED', noSseC.arn);
    expect(finding.status).toBe('suppressed');
    expect(finding.waiver).toEqual({ ...waiver({}), status: 'active' });
    expect(report.waivers).toEqual([{ ...waiver({}), status: 'active', matched: 1 }]);
    expect(report.summary.byStatus.suppressed).toBe(1);
    // The other buckets still fail: the waiver names one ARN exactly.
    expect(f(report.findings, 'S3.SSE_C_BLOCKED', noSseC2.arn).status).toBe('fail');
    expect(validator('report.schema.json')(JSON.parse(JSON.stringify(report)))).toBe(true);
  });

  it('a waiver for another rule or resource matches nothing and is listed as stale', () => {
    const report = run([waiver({ rule: 'S3.BUCKET_KEY' }), waiver({ resource: 'arn:aws:s3:::nope' })]);
    expect(report.findings.every((x) => x.status !== 'suppressed')).toBe(true);
    expect(report.waivers!.map((w) => [w.status, w.matched])).toEqual([
      ['stale', 0],
      ['stale', 0],
    ]);
  });

  it('a waiver whose finding now passes is stale', () => {
    const report = run([waiver({ rule: 'S3.ENCRYPTION_LEVEL' })]);
    expect(f(report.findings, 'S3.ENCRYPTION_LEVEL', noSseC.arn).status).toBe('pass');
    expect(report.waivers![0]!.status).toBe('stale');
  });

  it('an expired waiver no longer suppresses: the finding fails the build again and the waiver is listed as expired', () => {
    const suppressed = run([waiver({ rule: '*', resource: 'arn:aws:s3:::legacy-*', expires: '2027-01-01' })], 'low');
    const expired = run([waiver({ rule: '*', resource: 'arn:aws:s3:::legacy-*', expires: '2026-11-27' })], 'low');
    expect(suppressed.outcome.exitCode).toBe(1); // app-legacy is not waived
    const only = evaluate(inventory({ resources: [noSseC] }), policy({ waivers: [waiver({ expires: '2027-01-01' })] }), { failOn: 'low' });
    const onlyExpired = evaluate(inventory({ resources: [noSseC] }), policy({ waivers: [waiver({ expires: '2026-11-27' })] }), { failOn: 'low' });
    expect(only.outcome.exitCode).toBe(0);
    expect(onlyExpired.outcome.exitCode).toBe(1);
    const finding = f(onlyExpired.findings, 'S3.SSE_C_BLOCKED', noSseC.arn);
    expect(finding.status).toBe('fail');
    expect(finding.waiver?.status).toBe('expired');
    expect(onlyExpired.waivers).toEqual([{ ...waiver({ expires: '2026-11-27' }), status: 'expired', matched: 1 }]);
    expect(expired.waivers![0]!.status).toBe('expired');
    expect(expired.summary.byStatus.suppressed).toBe(0);
  });

  it('"today" is the scan end: a date is valid through that whole day (UTC), a date-time until that instant', () => {
    // finishedAt is 2026-11-28T09:04:12Z.
    const on = (expires: string) => evaluate(inventory({ resources: [noSseC] }), policy({ waivers: [waiver({ expires })] }), { failOn: 'low' }).waivers![0]!.status;
    expect(on('2026-11-28')).toBe('active');
    expect(on('2026-11-27')).toBe('expired');
    expect(on('2026-11-28T09:04:13Z')).toBe('active');
    expect(on('2026-11-28T09:04:12Z')).toBe('expired');
    expect(waiverExpiry('2026-11-28')).toBe(Date.parse('2026-11-29T00:00:00Z'));
    // Evaluating the same inventory a year later gives the same result: the clock is never read.
    const later = evaluate(inventory({ resources: [noSseC], finishedAt: '2027-12-01T00:00:00.000Z' }), policy({ waivers: [waiver({ expires: '2027-03-31' })] }), { failOn: 'low' });
    expect(later.waivers![0]!.status).toBe('expired');
  });

  it('glob semantics: * spans the rest of an ARN, the pattern must match the whole ARN, rule * matches every rule', () => {
    const report = run([waiver({ rule: '*', resource: 'arn:aws:s3:::legacy-*' })]);
    expect(f(report.findings, 'S3.SSE_C_BLOCKED', noSseC.arn).status).toBe('suppressed');
    expect(f(report.findings, 'S3.SSE_C_BLOCKED', noSseC2.arn).status).toBe('suppressed');
    expect(f(report.findings, 'S3.SSE_C_BLOCKED', other.arn).status).toBe('fail'); // "app-legacy" does not start with legacy-
    expect(f(report.findings, 'S3.ENCRYPTION_LEVEL', unread.arn).status).toBe('suppressed'); // unknown findings too
    const single = run([waiver({ resource: 'arn:aws:s3:::legacy-?' })]);
    expect(f(single.findings, 'S3.SSE_C_BLOCKED', noSseC.arn).status).toBe('suppressed');
    expect(single.waivers![0]!.matched).toBe(2);
  });

  it('can suppress a SCAN.INCOMPLETE finding, which then no longer makes the exit code 3', () => {
    const without = evaluate(inventory({ resources: [unread], errors: scanErrors }), policy(), { failOn: 'high' });
    expect(without.outcome.exitCode).toBe(3);
    // Only a waiver that names SCAN.INCOMPLETE does it (rule "*" does not: test/policy/scan-incomplete-policy.test.ts);
    // the level rule's unknown finding on the same bucket needs its own.
    const waivers = [waiver({ rule: 'SCAN.INCOMPLETE', resource: unread.arn }), waiver({ rule: 'S3.ENCRYPTION_LEVEL', resource: unread.arn })];
    const report = evaluate(inventory({ resources: [unread], errors: scanErrors }), policy({ waivers }), { failOn: 'high' });
    const coverage = f(report.findings, 'SCAN.INCOMPLETE', unread.arn);
    expect(coverage.status).toBe('suppressed');
    expect(coverage.waiver?.owner).toBe('data-team@example.com');
    expect(report.outcome.exitCode).toBe(0);
  });

  it('the first active waiver in policy order wins; an expired one earlier in the list does not block it', () => {
    const report = run([waiver({ reason: 'old', expires: '2026-01-01' }), waiver({ reason: 'renewed', owner: 'new-owner@example.com' })]);
    const finding = f(report.findings, 'S3.SSE_C_BLOCKED', noSseC.arn);
    expect(finding.status).toBe('suppressed');
    expect(finding.waiver?.reason).toBe('renewed');
    expect(report.waivers!.map((w) => w.status)).toEqual(['expired', 'active']);
  });

  it('compliance results of a suppressed finding count as suppressed', () => {
    const report = evaluate(inventory({ resources: [unread] }), policy({ waivers: [waiver({ rule: 'S3.ENCRYPTION_LEVEL', resource: unread.arn })] }), { failOn: 'high' });
    const finding = f(report.findings, 'S3.ENCRYPTION_LEVEL', unread.arn);
    expect(finding.compliance.map((c) => c.status)).toEqual(['suppressed', 'suppressed']);
  });
});
