import { describe, expect, it } from 'vitest';
import { evaluate, decideOutcome } from '../../src/engine/engine.js';
import { BASELINE_POLICY, STRICT_POLICY } from '../../src/policy/built-in.js';
import type { Policy } from '../../src/model/policy.js';
import type { KeyRecord } from '../../src/model/inventory.js';
import type { Finding } from '../../src/model/report.js';
import { FAIL_ON_VALUES } from '../../src/model/severity.js';
import { validator } from '../../src/schema.js';
import { bucket, inventory, key, keyResource } from '../helpers/inventory.js';

const findingsFor = (findings: Finding[], ruleId: string, arn?: string) =>
  findings.filter((f) => f.ruleId === ruleId && (arn === undefined || f.resourceArn === arn));

function one(findings: Finding[], ruleId: string, arn: string): Finding {
  const list = findingsFor(findings, ruleId, arn);
  expect(list, `${ruleId} on ${arn}`).toHaveLength(1);
  return list[0]!;
}

describe('S3.ENCRYPTION_LEVEL', () => {
  it('passes SSE-S3 under the baseline: S3 encrypts everything since 2023', () => {
    const r = evaluate(inventory({ resources: [bucket('b')] }), BASELINE_POLICY, { failOn: 'high' });
    expect(one(r.findings, 'S3.ENCRYPTION_LEVEL', 'arn:aws:s3:::b').status).toBe('pass');
  });

  it('fails SSE-S3 and aws/s3 under strict (high, with the matrix remediation) and passes a customer managed key', () => {
    const awsKey = key('aaaa', { manager: 'AWS', level: 'aws-managed', aliases: ['alias/aws/s3'] });
    const cmk = key('bbbb');
    const inv = inventory({ keys: [awsKey, cmk], resources: [bucket('plain'), bucket('managed', { key: awsKey }), bucket('cmk', { key: cmk })] });
    const r = evaluate(inv, STRICT_POLICY, { failOn: 'high' });
    const plain = one(r.findings, 'S3.ENCRYPTION_LEVEL', 'arn:aws:s3:::plain');
    expect(plain.status).toBe('fail');
    // high, not medium: strict's purpose is customer managed keys, so missing one fails a default (--fail-on high) build.
    expect(plain.severity).toBe('high');
    expect(r.outcome.exitCode).toBe(1);
    expect(plain.message).toContain('customer-managed');
    expect(plain.remediation?.path).toBe('new-objects-only');
    expect(one(r.findings, 'S3.ENCRYPTION_LEVEL', 'arn:aws:s3:::managed').status).toBe('fail');
    expect(one(r.findings, 'S3.ENCRYPTION_LEVEL', 'arn:aws:s3:::cmk').status).toBe('pass');
  });

  it('an unencrypted resource is high', () => {
    const none = bucket('none', { level: 'none' });
    const f = one(evaluate(inventory({ resources: [none] }), BASELINE_POLICY, { failOn: 'high' }).findings, 'S3.ENCRYPTION_LEVEL', none.arn);
    expect([f.status, f.severity]).toEqual(['fail', 'high']);
  });

  it('an unreadable bucket is unknown, never a pass, and names the failed call', () => {
    const denied = bucket('denied', {
      level: 'unknown',
      error: { operation: 'GetBucketEncryption', code: 'AccessDenied', message: 'Access Denied' },
    });
    const f = one(evaluate(inventory({ resources: [denied] }), BASELINE_POLICY, { failOn: 'high' }).findings, 'S3.ENCRYPTION_LEVEL', denied.arn);
    expect(f.status).toBe('unknown');
    expect(f.message).toContain('GetBucketEncryption failed: AccessDenied');
  });
});

describe('KMS.KEY_STATE', () => {
  it.each([
    ['Disabled', 'fail'],
    ['PendingDeletion', 'fail'],
    ['PendingImport', 'fail'],
    ['Unavailable', 'fail'],
    ['Enabled', 'pass'],
  ])('a bucket on a %s key: %s', (state, status) => {
    const k = key('cccc', { state, evidence: state === 'PendingDeletion' ? { DeletionDate: '2026-12-05T00:00:00.000Z' } : {} });
    const r = evaluate(inventory({ keys: [k], resources: [bucket('b', { key: k })] }), BASELINE_POLICY, { failOn: 'high' });
    const f = one(r.findings, 'KMS.KEY_STATE', 'arn:aws:s3:::b');
    expect(f.status).toBe(status);
    expect(f.severity).toBe('critical');
    if (state === 'PendingDeletion') {
      expect(f.message).toContain('2026-12-05');
      expect(f.remediation?.cli).toContain('cancel-key-deletion');
    }
  });

  it('a key pending deletion: the message gives the date (from the record or its evidence) before what it means, or says it is not known', () => {
    const dated = key('ffff', { state: 'PendingDeletion', deletionDate: '2026-12-05T00:00:00.000Z', aliases: ['alias/old'] });
    const undated = key('9999', { state: 'PendingDeletion' });
    const r = evaluate(inventory({ keys: [dated, undated], resources: [bucket('dated', { key: dated }), bucket('undated', { key: undated })] }), BASELINE_POLICY, { failOn: 'high' });
    expect(one(r.findings, 'KMS.KEY_STATE', 'arn:aws:s3:::dated').message).toBe(
      `key alias/old (${dated.arn}) is scheduled for deletion on 2026-12-05T00:00:00.000Z: after that the data can never be decrypted`,
    );
    expect(one(r.findings, 'KMS.KEY_STATE', 'arn:aws:s3:::undated').message).toBe(
      `key ${undated.arn} is scheduled for deletion: once it is deleted, the data can never be decrypted`,
    );
  });

  it('a key in another account that could not be described leaves the state unknown', () => {
    const k = key('dddd', { accountId: '444455556666', state: 'unknown', describable: false, notes: ['DescribeKey failed: AccessDeniedException'] });
    const r = evaluate(inventory({ keys: [k], resources: [bucket('b', { key: k })] }), BASELINE_POLICY, { failOn: 'high' });
    expect(one(r.findings, 'KMS.KEY_STATE', 'arn:aws:s3:::b').status).toBe('unknown');
  });

  it('does not apply to resources under AWS owned keys or to keys themselves', () => {
    const k = key('eeee', { state: 'Disabled' });
    const r = evaluate(inventory({ keys: [k], resources: [bucket('b'), keyResource(k)] }), BASELINE_POLICY, { failOn: 'high' });
    expect(findingsFor(r.findings, 'KMS.KEY_STATE')).toEqual([]);
  });
});

describe('KMS.ROTATION', () => {
  const cases: Array<[string, Partial<KeyRecord>, string]> = [
    ['rotation on', {}, 'pass'],
    ['rotation off', { rotation: { applicable: true, reason: 'x', enabled: false, periodDays: null } }, 'fail'],
    ['period beyond the policy maximum', { rotation: { applicable: true, reason: 'x', enabled: true, periodDays: 730 } }, 'fail'],
    ['imported material', { origin: 'EXTERNAL', level: 'customer-managed-imported', rotation: { applicable: false, reason: 'imported key material cannot rotate automatically; rotate it on demand', enabled: null, periodDays: null } }, 'not-applicable'],
    ['a CloudHSM key', { origin: 'AWS_CLOUDHSM', level: 'customer-managed-hsm', rotation: { applicable: false, reason: 'custom key store', enabled: null, periodDays: null } }, 'not-applicable'],
    ['an asymmetric key', { spec: 'RSA_2048', rotation: { applicable: false, reason: 'asymmetric', enabled: null, periodDays: null } }, 'not-applicable'],
    ['an unreadable status', { rotation: { applicable: true, reason: 'GetKeyRotationStatus failed: AccessDenied', enabled: null, periodDays: null } }, 'unknown'],
    ['a key pending deletion', { state: 'PendingDeletion', rotation: { applicable: true, reason: 'x', enabled: null, periodDays: null } }, 'not-applicable'],
  ];
  it.each(cases)('%s → %s', (_name, overrides, status) => {
    const k = key('ffff', overrides);
    const r = evaluate(inventory({ keys: [k], resources: [keyResource(k)] }), BASELINE_POLICY, { failOn: 'high' });
    const f = one(r.findings, 'KMS.ROTATION', k.arn);
    expect(f.status).toBe(status);
    if (overrides.origin === 'EXTERNAL') expect(f.message).toContain('on demand');
  });

  it('is silent on AWS managed keys (AWS rotates them)', () => {
    const k = key('abab', { manager: 'AWS', level: 'aws-managed' });
    const r = evaluate(inventory({ keys: [k], resources: [keyResource(k)] }), BASELINE_POLICY, { failOn: 'high' });
    expect(findingsFor(r.findings, 'KMS.ROTATION')).toEqual([]);
  });
});

describe('S3.BUCKET_KEY and S3.SSE_C_BLOCKED', () => {
  const k = key('1111');
  it.each([
    ['aws:kms without a Bucket Key', { sseAlgorithm: 'aws:kms', bucketKeyEnabled: false }, 'fail'],
    ['aws:kms with a Bucket Key', { sseAlgorithm: 'aws:kms', bucketKeyEnabled: true }, 'pass'],
    ['DSSE-KMS (no Bucket Key support)', { sseAlgorithm: 'aws:kms:dsse', bucketKeyEnabled: false }, 'not-applicable'],
  ])('%s → %s', (_n, attributes, status) => {
    const r = evaluate(inventory({ keys: [k], resources: [bucket('b', { key: k, attributes: attributes })] }), BASELINE_POLICY, { failOn: 'high' });
    const f = one(r.findings, 'S3.BUCKET_KEY', 'arn:aws:s3:::b');
    expect(f.status).toBe(status);
    if (status === 'fail') expect(f.severity).toBe('low');
  });

  it('SSE-S3 buckets get no Bucket Key finding', () => {
    const r = evaluate(inventory({ resources: [bucket('b')] }), BASELINE_POLICY, { failOn: 'high' });
    expect(findingsFor(r.findings, 'S3.BUCKET_KEY')).toEqual([]);
  });

  it('SSE-C not blocked fails low; blocked passes; an unreadable bucket gets no SSE-C finding', () => {
    const open = bucket('open', { attributes: { sseCBlocked: false } });
    const closed = bucket('closed', { attributes: { sseCBlocked: true } });
    const denied = bucket('denied', { error: { operation: 'GetBucketEncryption', code: 'AccessDenied', message: 'x' } });
    const r = evaluate(inventory({ resources: [open, closed, denied] }), BASELINE_POLICY, { failOn: 'high' });
    expect(one(r.findings, 'S3.SSE_C_BLOCKED', open.arn)).toMatchObject({ status: 'fail', severity: 'low' });
    expect(one(r.findings, 'S3.SSE_C_BLOCKED', closed.arn).status).toBe('pass');
    expect(findingsFor(r.findings, 'S3.SSE_C_BLOCKED', denied.arn)).toEqual([]);
  });
});

describe('scan coverage, outcome and determinism', () => {
  it('every scan error becomes an unknown SCAN.INCOMPLETE finding and exit 3', () => {
    const r = evaluate(
      inventory({ resources: [bucket('b')], errors: [{ service: 'kms', region: 'eu-west-1', operation: 'ListKeys', code: 'AccessDeniedException', message: 'denied' }] }),
      BASELINE_POLICY,
      { failOn: 'high' },
    );
    const f = one(r.findings, 'SCAN.INCOMPLETE', 'arn:aws:kms:eu-west-1:111122223333:*');
    expect(f.status).toBe('unknown');
    expect(f.message).toContain('kms:ListKeys failed in eu-west-1');
    expect(r.outcome.exitCode).toBe(3);
  });

  it('exit codes follow --fail-on', () => {
    const low: Finding = { ruleId: 'S3.BUCKET_KEY', resourceArn: 'a', service: 's3', resourceType: 'bucket', region: 'r', status: 'fail', severity: 'low', title: '', message: '', remediation: null, compliance: [] };
    const unknown: Finding = { ...low, ruleId: 'SCAN.INCOMPLETE', status: 'unknown', severity: 'high' };
    expect(decideOutcome([low], 'high').exitCode).toBe(0);
    expect(decideOutcome([low], 'low').exitCode).toBe(1);
    expect(decideOutcome([low], 'info').exitCode).toBe(1);
    expect(decideOutcome([low], 'none').exitCode).toBe(0);
    expect(decideOutcome([low, unknown], 'high').exitCode).toBe(3);
    expect(decideOutcome([low, unknown], 'low').exitCode).toBe(1);
    expect(decideOutcome([{ ...low, status: 'suppressed' }], 'low').exitCode).toBe(0);
  });

  it('the reason says why in words and leaves the flag to the reporters (which print --fail-on once)', () => {
    const low: Finding = { ruleId: 'S3.BUCKET_KEY', resourceArn: 'a', service: 's3', resourceType: 'bucket', region: 'r', status: 'fail', severity: 'low', title: '', message: '', remediation: null, compliance: [] };
    const unknown: Finding = { ...low, ruleId: 'SCAN.INCOMPLETE', status: 'unknown', severity: 'high' };
    for (const failOn of FAIL_ON_VALUES) {
      for (const findings of [[], [low], [low, unknown]]) expect(decideOutcome(findings, failOn).reason, failOn).not.toContain('--fail-on');
    }
    expect(decideOutcome([low], 'none')).toEqual({ failOn: 'none', exitCode: 0, reason: 'no unknown results, and no severity fails the run' });
  });

  it('the same inventory gives byte-identical findings, whatever the resource order', () => {
    const a = key('2222', { state: 'Disabled' });
    const resources = [bucket('z', { attributes: { sseCBlocked: false } }), bucket('a', { key: a, attributes: { bucketKeyEnabled: false } }), bucket('m'), keyResource(a)];
    const first = evaluate(inventory({ keys: [a], resources }), BASELINE_POLICY, { failOn: 'high' });
    const second = evaluate(inventory({ keys: [a], resources: [...resources].reverse() }), BASELINE_POLICY, { failOn: 'high' });
    expect(JSON.stringify(second.findings)).toBe(JSON.stringify(first.findings));
    expect(first.findings[0]!.severity).toBe('critical');
  });

  it('policy severity overrides and disabled rules apply', () => {
    const policy: Policy = { ...BASELINE_POLICY, severity: { 'S3.SSE_C_BLOCKED': 'high' }, disabledRules: ['S3.BUCKET_KEY'] };
    const k = key('3333');
    const r = evaluate(inventory({ keys: [k], resources: [bucket('b', { key: k, attributes: { bucketKeyEnabled: false, sseCBlocked: false } })] }), policy, { failOn: 'high' });
    expect(one(r.findings, 'S3.SSE_C_BLOCKED', 'arn:aws:s3:::b').severity).toBe('high');
    expect(findingsFor(r.findings, 'S3.BUCKET_KEY')).toEqual([]);
    expect(r.outcome.exitCode).toBe(1);
  });

  it('reports validate against schema/report.schema.json and summarise levels and failures', () => {
    const k = key('4444', { rotation: { applicable: true, reason: 'x', enabled: false, periodDays: null } });
    const r = evaluate(inventory({ keys: [k], resources: [bucket('b'), bucket('c', { key: k }), keyResource(k)] }), BASELINE_POLICY, { failOn: 'high' });
    const validate = validator('report.schema.json');
    expect(validate(JSON.parse(JSON.stringify(r))), JSON.stringify(validate.errors)).toBe(true);
    expect(r.summary.byLevel['aws-owned']).toBe(1);
    expect(r.summary.byLevel['customer-managed']).toBe(2);
    expect(r.summary.byService.kms!.bySeverity.medium).toBe(1);
    expect(r.summary.bySeverity.medium).toBe(1);
  });
});
