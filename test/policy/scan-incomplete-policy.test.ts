import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ScanError } from '../../src/model/inventory.js';
import { checkPolicyFile, loadPolicyFile, PolicyFileError } from '../../src/policy/policy-file.js';
import { evaluate } from '../../src/engine/engine.js';
import type { Waiver } from '../../src/model/policy.js';
import { bucket, inventory, policy } from '../helpers/inventory.js';

/**
 * A policy must not be able to turn an unreadable scan into a clean one:
 * SCAN.INCOMPLETE cannot be turned off, a waiver for rule `*` never
 * suppresses it, and only a waiver that names it does.
 */

const LIST_BUCKETS_DENIED: ScanError = { service: 's3', region: 'us-east-1', operation: 'ListBuckets', code: 'AccessDenied', message: 'Access Denied' };
/** An inventory whose only content is the error that hid every bucket. */
const unreadable = inventory({ services: ['s3'], errors: [LIST_BUCKETS_DENIED] });
const SERVICE_REGION = 'arn:aws:s3:us-east-1:111122223333:*';

const waiver = (over: Partial<Waiver>): Waiver => ({
  rule: '*',
  resource: '*',
  reason: 'we know',
  owner: 'platform@example.com',
  expires: '2027-03-31',
  ...over,
});

function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'atrest-scan-incomplete-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('an unreadable scan is never exit 0 with 100/A', () => {
  it('without a policy: exit 3 and the unknown cap', () => {
    const report = evaluate(unreadable, policy(), { failOn: 'high' });
    expect(report.outcome.exitCode).toBe(3);
    expect(report.scores!.account).toMatchObject({ score: 89, grade: 'B' });
  });

  it('a Policy that lists SCAN.INCOMPLETE in disabledRules changes nothing, and the report does not claim it was turned off', () => {
    const report = evaluate(unreadable, policy({ disabledRules: ['SCAN.INCOMPLETE'] }), { failOn: 'high' });
    expect(report.findings.map((f) => [f.ruleId, f.status, f.resourceArn])).toEqual([['SCAN.INCOMPLETE', 'unknown', SERVICE_REGION]]);
    expect(report.outcome.exitCode).toBe(3);
    expect(report.scores!.account).toMatchObject({ score: 89, grade: 'B', cap: 'at most 89: part of it could not be read or decided (unknown)' });
    expect(report.policy.disabledRules).toBeUndefined();
  });

  it('a waiver for rule "*" does not suppress SCAN.INCOMPLETE (exit 3, capped score); it is stale when that is all it matches', () => {
    const report = evaluate(unreadable, policy({ waivers: [waiver({})] }), { failOn: 'high' });
    const [finding] = report.findings;
    expect(finding).toMatchObject({ ruleId: 'SCAN.INCOMPLETE', status: 'unknown' });
    expect(finding!.waiver).toBeUndefined();
    expect(report.outcome.exitCode).toBe(3);
    expect(report.scores!.account.score).toBe(89);
    expect(report.waivers).toEqual([{ ...waiver({}), status: 'stale', matched: 0 }]);
  });

  it('a waiver for rule "*" still suppresses the other rules of the resources it names', () => {
    const denied = bucket('legacy-unread', { level: 'unknown' });
    const errors: ScanError[] = [{ service: 's3', region: 'us-east-1', operation: 'GetBucketEncryption', code: 'AccessDenied', message: 'denied', resourceArn: denied.arn }];
    const report = evaluate(inventory({ resources: [denied], errors }), policy({ waivers: [waiver({ resource: denied.arn })] }), { failOn: 'high' });
    const status = (ruleId: string) => report.findings.find((f) => f.ruleId === ruleId && f.resourceArn === denied.arn)!.status;
    expect(status('S3.ENCRYPTION_LEVEL')).toBe('suppressed');
    expect(status('SCAN.INCOMPLETE')).toBe('unknown');
    expect(report.outcome.exitCode).toBe(3);
  });

  it('a waiver that names SCAN.INCOMPLETE suppresses it, with its owner and expiry; once expired, exit 3 again', () => {
    const named = waiver({ rule: 'SCAN.INCOMPLETE', resource: SERVICE_REGION, reason: 'bucket listing denied until CHG-77' });
    const report = evaluate(unreadable, policy({ waivers: [named] }), { failOn: 'high' });
    expect(report.findings[0]).toMatchObject({ status: 'suppressed', waiver: { rule: 'SCAN.INCOMPLETE', owner: 'platform@example.com', expires: '2027-03-31', status: 'active' } });
    expect(report.outcome.exitCode).toBe(0);
    const lapsed = evaluate(unreadable, policy({ waivers: [{ ...named, expires: '2026-11-01' }] }), { failOn: 'high' });
    expect(lapsed.outcome.exitCode).toBe(3);
    expect(lapsed.scores!.account.score).toBe(89);
  });

  it('an account-wide listing error (S3 ListBuckets) is not hidden by the region scope: it hid every region', () => {
    const regional: ScanError = { service: 'ebs', region: 'us-east-1', operation: 'DescribeVolumes', code: 'AccessDenied', message: 'denied' };
    const inv = inventory({ errors: [LIST_BUCKETS_DENIED, regional] });
    const report = evaluate(inv, policy({ scope: { regions: ['eu-west-1'] } }), { failOn: 'high' });
    // The EBS error is about us-east-1 only, which the policy leaves out; ListBuckets answered for eu-west-1 too.
    expect(report.findings.map((f) => `${f.ruleId} ${f.resourceArn}`)).toEqual([`SCAN.INCOMPLETE ${SERVICE_REGION}`]);
    expect(report.outcome.exitCode).toBe(3);
    // The service scope still applies: a policy about KMS only is not about S3.
    expect(evaluate(inv, policy({ scope: { services: ['kms'] } }), { failOn: 'high' }).findings).toEqual([]);
  });
});

describe('policy files cannot turn SCAN.INCOMPLETE off', () => {
  it('rules.SCAN.INCOMPLETE.enabled: false is an error at the value, saying why and what to do instead', () => {
    const dir = dirWith({ 'p.yaml': 'rules:\n  SCAN.INCOMPLETE:\n    enabled: false\n    reason: noisy\n' });
    let problems: string[] = [];
    try {
      loadPolicyFile('p.yaml', dir);
    } catch (error) {
      expect(error).toBeInstanceOf(PolicyFileError);
      problems = (error as PolicyFileError).problems.map((p) => `${p.file}:${p.line}:${p.col}: ${p.message}`);
    }
    expect(problems).toEqual([
      'p.yaml:3:14: SCAN.INCOMPLETE cannot be turned off: an unread resource is never a pass (expected a waiver with rule SCAN.INCOMPLETE for the specific resources or service-regions, with a reason, an owner and an expiry)',
    ]);
  });

  it('also in a file that is extended, and in JSON', () => {
    const dir = dirWith({ 'child.yaml': 'extends: ./parent.json\n', 'parent.json': '{\n  "rules": { "SCAN.INCOMPLETE": { "enabled": false } }\n}\n' });
    expect(() => loadPolicyFile('child.yaml', dir)).toThrow(/parent\.json:2:46: SCAN\.INCOMPLETE cannot be turned off/);
  });

  it('re-rating it and enabled: true stay valid', () => {
    const dir = dirWith({ 'p.yaml': 'rules:\n  SCAN.INCOMPLETE: { severity: medium, enabled: true }\n' });
    expect(loadPolicyFile('p.yaml', dir).severity['SCAN.INCOMPLETE']).toBe('medium');
  });
});

describe('policy check warns about waivers for everything', () => {
  const file = (resource: string, rule = '*') =>
    `waivers:\n  - rule: "${rule}"\n    resource: "${resource}"\n    reason: r\n    owner: o@example.com\n    expires: 2027-01-01\n`;
  const warningsFor = (resource: string, rule = '*') => checkPolicyFile('p.yaml', dirWith({ 'p.yaml': file(resource, rule) })).warnings.map((w) => `${w.file}:${w.line}:${w.col}: ${w.message}`);

  it('"*", "arn:*" and other patterns that reach every service', () => {
    for (const pattern of ['*', '**', 'arn:*', 'arn:aws:*', 'arn:aws:*:*:*:*', 'arn:*:*']) {
      expect(warningsFor(pattern), pattern).toEqual([
        `p.yaml:3:15: waiver resource "${pattern}" matches every resource of every service: it would excuse findings nobody has reviewed, including ones that appear later (expected the ARNs, or a narrow glob such as arn:aws:s3:::legacy-*, of the resources the waiver is for)`,
      ]);
    }
    expect(warningsFor('*', 'SCAN.INCOMPLETE')).toHaveLength(1); // named, but still everything
  });

  it('patterns that cross service boundaries name the services they reach', () => {
    expect(warningsFor('arn:aws:r*')[0]).toContain('matches resources of several services (rds, redshift, redshift-serverless)');
    // Everything in one region and account is every service too (S3 through its service-region coverage ARN).
    expect(warningsFor('arn:aws:*:us-east-1:111122223333:*')[0]).toContain('every resource of every service');
    expect(warningsFor('arn:aws-cn:*')[0]).toContain('every resource of every service');
  });

  it('no warning for a resource, a service-wide or a name glob', () => {
    for (const pattern of ['arn:aws:s3:::legacy-*', 'arn:aws:s3:::*', 'arn:aws:rds:*', 'arn:aws:kms:*:111122223333:key/9999*', 'arn:aws:s3:us-east-1:111122223333:*']) {
      expect(warningsFor(pattern), pattern).toEqual([]);
    }
  });
});
