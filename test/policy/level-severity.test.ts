import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/report.js';
import { loadPolicyFile } from '../../src/policy/policy-file.js';
import { evaluate } from '../../src/engine/engine.js';
import { BASELINE_POLICY, STRICT_POLICY } from '../../src/policy/built-in.js';
import type { Policy } from '../../src/model/policy.js';
import { validator } from '../../src/schema.js';
import { bucket, inventory, key, policy } from '../helpers/inventory.js';

/**
 * The severity of a level failure (src/rules/level-rule.ts): high when the
 * resource is unencrypted; for an encrypted resource below the minimum, the
 * requirement's levelFailureSeverity — the policy's (baseline medium, strict
 * high), or a tag override's (default high) when the override set the
 * minimum. Data in the policy, never a check of its name.
 */

const awsManaged = key('aaaa', { manager: 'AWS', aliases: ['alias/aws/s3'] });
const sseS3 = bucket('plain');
const managed = bucket('managed', { key: awsManaged });
const unencrypted = bucket('none', { level: 'none' });
const restricted = bucket('restricted', { tags: { 'data-classification': 'restricted' } });
const inv = inventory({ keys: [awsManaged], resources: [sseS3, managed, unencrypted, restricted] });

const RESTRICTED = { name: 'restricted-data', tags: { 'data-classification': 'restricted' }, minimumLevel: 'customer-managed' as const };

function level(p: Policy, arn: string): Finding {
  return evaluate(inv, p, { failOn: 'high' }).findings.find((f) => f.ruleId === 'S3.ENCRYPTION_LEVEL' && f.resourceArn === arn)!;
}

function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'atrest-level-severity-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('level failure severity', () => {
  it('baseline keeps medium for encrypted-but-below-minimum and high for unencrypted', () => {
    const p = policy({ minimumLevel: { default: 'aws-owned', s3: 'customer-managed' } });
    expect(level(p, sseS3.arn)).toMatchObject({ status: 'fail', severity: 'medium' });
    expect(level(p, managed.arn)).toMatchObject({ status: 'fail', severity: 'medium' });
    expect(level(p, unencrypted.arn)).toMatchObject({ status: 'fail', severity: 'high' });
    expect(evaluate(inventory({ keys: [awsManaged], resources: [sseS3, managed] }), p, { failOn: 'high' }).outcome.exitCode).toBe(0);
  });

  it('strict: "customer managed keys required" fails a default (--fail-on high) build', () => {
    expect(STRICT_POLICY.levelFailureSeverity).toBe('high');
    expect(BASELINE_POLICY.levelFailureSeverity).toBe('medium');
    expect(level(STRICT_POLICY, sseS3.arn)).toMatchObject({ status: 'fail', severity: 'high' });
    expect(level(STRICT_POLICY, managed.arn)).toMatchObject({ status: 'fail', severity: 'high' });
    const report = evaluate(inventory({ keys: [awsManaged], resources: [managed] }), STRICT_POLICY, { failOn: 'high' });
    expect(report.outcome.exitCode).toBe(1);
    expect(report.policy.levelFailureSeverity).toBe('high');
    expect(validator('report.schema.json')(JSON.parse(JSON.stringify(report)))).toBe(true);
  });

  it('it is the data, not the name: a policy called "strict" without the field is medium, one called anything with it is high', () => {
    const { levelFailureSeverity: _drop, ...strictWithout } = STRICT_POLICY;
    expect(level(strictWithout, managed.arn).severity).toBe('medium');
    expect(level(policy({ name: 'mine', minimumLevel: { default: 'aws-owned', s3: 'customer-managed' }, levelFailureSeverity: 'high' }), managed.arn).severity).toBe('high');
  });

  it('a tag override that sets the minimum makes its failures high by default, or what it says', () => {
    const p = policy({ tagOverrides: [RESTRICTED] });
    const f = level(p, restricted.arn);
    expect(f).toMatchObject({ status: 'fail', severity: 'high', requiredLevel: 'customer-managed', override: { name: 'restricted-data' } });
    expect(evaluate(inventory({ resources: [restricted] }), p, { failOn: 'high' }).outcome.exitCode).toBe(1);
    expect(level(policy({ tagOverrides: [{ ...RESTRICTED, levelFailureSeverity: 'low' }] }), restricted.arn).severity).toBe('low');
  });

  it('an override that sets no minimum leaves the level failure at the policy severity (the minimum was not its demand)', () => {
    const p = policy({ minimumLevel: { default: 'aws-owned', s3: 'customer-managed' }, tagOverrides: [{ name: 'keys-only', tags: { 'data-classification': 'restricted' }, allowedKeys: ['alias/x'] }] });
    expect(level(p, restricted.arn)).toMatchObject({ status: 'fail', severity: 'medium' });
  });

  it('unencrypted is at least high whatever the policy says, and follows a stricter setting', () => {
    expect(level(policy({ levelFailureSeverity: 'low' }), unencrypted.arn).severity).toBe('high');
    expect(level(policy({ levelFailureSeverity: 'critical' }), unencrypted.arn).severity).toBe('critical');
  });
});

describe('levelFailureSeverity in policy files', () => {
  it('top level and per tag override; the child replaces the parent; extends strict inherits high', () => {
    const dir = dirWith({
      'top.yaml': 'levelFailureSeverity: high\nservices: { s3: { minimumLevel: customer-managed } }\n',
      'soft.yaml': 'extends: strict\nlevelFailureSeverity: medium\n',
      'strict-child.yaml': 'extends: strict\nname: ours\n',
      'override.yaml': 'tagOverrides:\n  - tags: { data-classification: restricted }\n    minimumLevel: customer-managed\n    levelFailureSeverity: medium\n',
    });
    expect(level(loadPolicyFile('top.yaml', dir), managed.arn).severity).toBe('high');
    expect(loadPolicyFile('soft.yaml', dir).levelFailureSeverity).toBe('medium');
    expect(level(loadPolicyFile('soft.yaml', dir), managed.arn).severity).toBe('medium');
    expect(loadPolicyFile('strict-child.yaml', dir).levelFailureSeverity).toBe('high');
    const withOverride = loadPolicyFile('override.yaml', dir);
    expect(withOverride.tagOverrides![0]!.levelFailureSeverity).toBe('medium');
    expect(level(withOverride, restricted.arn).severity).toBe('medium');
  });

  it('a value that is not a severity is an error with its position; an override may demand only a severity', () => {
    const dir = dirWith({ 'bad.yaml': 'levelFailureSeverity: severe\n', 'only.yaml': 'tagOverrides:\n  - tags: { tier: "1" }\n    levelFailureSeverity: critical\n' });
    expect(() => loadPolicyFile('bad.yaml', dir)).toThrow('bad.yaml:1:23: the text "severe" is not allowed here (expected one of critical, high, medium, low, info)');
    expect(loadPolicyFile('only.yaml', dir).tagOverrides![0]).toMatchObject({ levelFailureSeverity: 'critical' });
  });
});
