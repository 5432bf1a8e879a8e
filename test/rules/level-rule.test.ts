import { describe, expect, it } from 'vitest';
import type { Resource } from '../../src/model/inventory.js';
import type { ServiceMatrixEntry } from '../../src/model/matrix.js';
import type { Policy } from '../../src/model/policy.js';
import { describeProtection, levelRule } from '../../src/rules/level-rule.js';
import type { RuleContext } from '../../src/rules/rule.js';
import { ebsMatrix } from '../../src/services/ebs/matrix.js';
import { key, policy, resource } from '../helpers/inventory.js';

/**
 * The level rule factory (src/rules/level-rule.ts): "protection level below
 * the policy minimum", judged for one resource under a policy. The verdict
 * (status, severity, message, the level it required) for every way a
 * resource can stand against its minimum.
 */

const matrix = (over: Partial<ServiceMatrixEntry> = {}): ServiceMatrixEntry => ({ ...ebsMatrix, ...over });
const rule = (over: Partial<ServiceMatrixEntry> = {}) => levelRule({ id: 'EBS.VOLUME_ENCRYPTION', matrix: matrix(over), types: ['volume', 'snapshot'], title: 'EBS volume encryption' });
const judge = (r: Resource, p: Policy = policy(), over: Partial<ServiceMatrixEntry> = {}) => rule(over).evaluate(r, { policy: p } as RuleContext);

const cmk = key('1234abcd-12ab-34cd-56ef-1234567890ab', { aliases: ['alias/app-data'] });
const awsEbs = key('7f3c1a2b-4d5e-4f60-8a71-b2c3d4e5f601', { manager: 'AWS', aliases: ['alias/aws/ebs'] });
const volume = (spec: Parameters<typeof resource>[3] = {}) => resource('ebs', 'volume', 'vol-0a1b2c3d4e5f60718', spec);
const strictEbs = policy({ name: 'strict-ebs', minimumLevel: { default: 'aws-owned', ebs: 'customer-managed' }, levelFailureSeverity: 'high' });
const restricted = policy({
  name: 'tagged',
  minimumLevel: { default: 'aws-owned' },
  tagOverrides: [{ name: 'restricted', tags: { 'data-classification': 'restricted' }, minimumLevel: 'customer-managed' }],
});

describe('level rule: the rule itself', () => {
  it('carries its id, title, high severity, the matrix facts it relies on and a rationale from the matrix', () => {
    const r = rule();
    expect(r).toMatchObject({ id: 'EBS.VOLUME_ENCRYPTION', title: 'EBS volume encryption', severity: 'high' });
    expect(r.matrixFacts).toEqual(['encryptedByDefault', 'defaultLevel', 'possibleLevels', 'enableAfterCreation', 'changeKeyAfterCreation', 'remediationPath']);
    expect(r.rationale).toBe(
      `Amazon EBS: ${ebsMatrix.defaultDescription}. The policy sets the minimum protection level; below it, data is either unencrypted or under a key the account cannot control as required.`,
    );
    expect(r.remediationSummary).toBe(ebsMatrix.remediation.summary);
  });

  it("applies to the matrix row's service and the listed types only", () => {
    const r = rule();
    expect(r.appliesTo(volume())).toBe(true);
    expect(r.appliesTo(resource('ebs', 'snapshot', 'snap-1'))).toBe(true);
    expect(r.appliesTo(resource('ebs', 'ebs-encryption-by-default', 'us-east-1'))).toBe(false);
    expect(r.appliesTo(resource('rds', 'volume', 'vol-1'))).toBe(false);
  });
});

describe('level rule: verdicts', () => {
  it('at or above the minimum: pass, saying what protects it and the minimum it meets', () => {
    expect(judge(volume({ key: cmk }))).toEqual({
      status: 'pass',
      message: `encrypted with customer-managed key ${cmk.arn} (aws:kms) meets the minimum aws-owned`,
      requiredLevel: 'aws-owned',
    });
    expect(judge(volume({ key: cmk }), strictEbs)).toMatchObject({ status: 'pass', requiredLevel: 'customer-managed' });
  });

  it('unencrypted: fail, high (the policy\'s level-failure severity is for weaker keys)', () => {
    expect(judge(volume({ level: 'none', algorithm: null }))).toEqual({
      status: 'fail',
      severity: 'high',
      message: 'not encrypted; policy "test" requires at least aws-owned (cannot be changed in place)',
      requiredLevel: 'aws-owned',
    });
  });

  it('unencrypted under a policy whose level failures are critical: critical, the more severe of the two', () => {
    expect(judge(volume({ level: 'none' }), policy({ levelFailureSeverity: 'critical' })).severity).toBe('critical');
    expect(judge(volume({ level: 'none' }), policy({ levelFailureSeverity: 'low' })).severity).toBe('high');
  });

  it("encrypted, but under a weaker key than required: fail at the policy's level-failure severity", () => {
    expect(judge(volume({ key: awsEbs }), strictEbs)).toEqual({
      status: 'fail',
      severity: 'high',
      message: `encrypted with AWS managed key ${awsEbs.arn} (aws:kms); policy "strict-ebs" requires at least customer-managed (cannot be changed in place)`,
      requiredLevel: 'customer-managed',
    });
    expect(judge(volume({ key: awsEbs }), { ...strictEbs, levelFailureSeverity: 'medium' }).severity).toBe('medium');
    expect(judge(volume({ key: awsEbs }), { ...strictEbs, levelFailureSeverity: undefined }).severity).toBe('medium');
  });

  it.each([
    ['encryption cannot be turned on, nor the key changed', { enableAfterCreation: false, changeKeyAfterCreation: false }, ' (cannot be changed in place)'],
    ['encryption cannot be turned on, the key can change', { enableAfterCreation: false, changeKeyAfterCreation: true }, ' (cannot be changed in place)'],
    ['always encrypted, the key cannot change', { enableAfterCreation: null, changeKeyAfterCreation: false }, ' (cannot be changed in place)'],
    ['always encrypted, the key can change', { enableAfterCreation: null, changeKeyAfterCreation: true }, ''],
    ['both can be changed', { enableAfterCreation: true, changeKeyAfterCreation: true }, ''],
  ] as Array<[string, Partial<ServiceMatrixEntry>, string]>)('the message says whether it can be fixed in place: %s', (_label, over, suffix) => {
    expect(judge(volume({ key: awsEbs }), strictEbs, over).message).toBe(`encrypted with AWS managed key ${awsEbs.arn} (aws:kms); policy "strict-ebs" requires at least customer-managed${suffix}`);
  });

  it('unknown protection: unknown, never a pass, with the failed call when there is one', () => {
    const failed = volume({ level: 'unknown', error: { operation: 'DescribeVolumes', code: 'AccessDenied', message: 'not authorized' }, notes: ['ignored when the call is known'] });
    expect(judge(failed)).toEqual({ status: 'unknown', message: 'protection unknown: DescribeVolumes failed: AccessDenied: not authorized', requiredLevel: 'aws-owned' });
    // The rule's minimum is never met by unknown, even when the minimum is the lowest level.
    expect(judge(failed, policy({ minimumLevel: { default: 'none' } })).status).toBe('unknown');
  });

  it('unknown protection without a failed call: the notes, or that it could not be determined', () => {
    expect(judge(volume({ level: 'unknown', notes: ['KmsKeyId missing', 'Encrypted true'] })).message).toBe('protection unknown: KmsKeyId missing; Encrypted true');
    expect(judge(volume({ level: 'unknown', notes: [] })).message).toBe('protection unknown: the protection could not be determined');
  });

  it('a tag override that decided is named in the message and returned with the verdict', () => {
    const tagged = volume({ key: awsEbs, tags: { 'data-classification': 'restricted' } });
    const outcome = judge(tagged, restricted);
    expect(outcome).toMatchObject({
      status: 'fail',
      severity: 'high',
      requiredLevel: 'customer-managed',
      override: { name: 'restricted', index: 0, tags: { 'data-classification': 'restricted' } },
    });
    expect(outcome.message).toBe(
      `encrypted with AWS managed key ${awsEbs.arn} (aws:kms); policy "tagged" requires at least customer-managed (tag override "restricted" (data-classification=restricted)) (cannot be changed in place)`,
    );
    const passing = judge(volume({ key: cmk, tags: { 'data-classification': 'restricted' } }), restricted);
    expect(passing.message).toBe(`encrypted with customer-managed key ${cmk.arn} (aws:kms) meets the minimum customer-managed (tag override "restricted" (data-classification=restricted))`);
  });

  it('no override matched: no override in the verdict', () => {
    const outcome = judge(volume({ key: awsEbs, tags: { 'data-classification': 'public' } }), restricted);
    expect(outcome).toEqual({ status: 'pass', message: `encrypted with AWS managed key ${awsEbs.arn} (aws:kms) meets the minimum aws-owned`, requiredLevel: 'aws-owned' });
  });

  it('tag overrides exist but the inventory holds no tags for the resource: said, so the pass is not mistaken for a checked one', () => {
    expect(judge(volume({ key: awsEbs }), restricted).message).toBe(
      `encrypted with AWS managed key ${awsEbs.arn} (aws:kms) meets the minimum aws-owned (no tags in the inventory for this resource: tag overrides could not apply)`,
    );
  });

  it('tags unreadable and an override would change the result: unknown, listing both possibilities', () => {
    const unreadable = volume({ key: awsEbs, tagsError: { operation: 'DescribeTags', code: 'AccessDenied', message: 'no' } });
    const outcome = judge(unreadable, restricted);
    expect(outcome.status).toBe('unknown');
    expect(outcome.message).toContain('if no tag override matches: pass');
    expect(outcome.message).toContain('if tag override "restricted" matches: fail');
  });
});

describe('describeProtection', () => {
  const withProtection = (p: Partial<Resource['protection']>): Resource => ({ ...volume(), protection: { level: 'customer-managed', keyArn: null, keyRef: null, algorithm: null, notes: [], ...p } });

  it.each([
    [{ level: 'none' }, 'not encrypted'],
    [{ level: 'none', algorithm: 'AES256', keyArn: 'k' }, 'not encrypted'],
    [{ level: 'aws-owned', algorithm: 'AES256' }, 'encrypted with an AWS owned key (AES256)'],
    [{ level: 'aws-owned', algorithm: null }, 'encrypted with an AWS owned key'],
    [{ level: 'aws-managed', keyArn: 'arn:k', algorithm: 'aws:kms' }, 'encrypted with AWS managed key arn:k (aws:kms)'],
    [{ level: 'customer-managed', keyArn: 'arn:k' }, 'encrypted with customer-managed key arn:k'],
    [{ level: 'customer-managed-imported', keyArn: 'arn:k' }, 'encrypted with customer-managed-imported key arn:k'],
    [{ level: 'customer-managed-hsm', keyArn: 'arn:k' }, 'encrypted with customer-managed-hsm key arn:k'],
    [{ level: 'customer-managed', keyArn: null, keyRef: 'alias/app-data' }, 'encrypted with customer-managed key alias/app-data'],
    [{ level: 'customer-managed', keyArn: null, keyRef: null }, 'encrypted with customer-managed key a key'],
    [{ level: 'unknown', keyRef: 'alias/x' }, 'encrypted with key alias/x'],
  ] as Array<[Partial<Resource['protection']>, string]>)('%j reads "%s"', (p, text) => {
    expect(describeProtection(withProtection(p))).toBe(text);
  });
});
