import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/engine/engine.js';
import type { Json, Resource } from '../../../src/model/inventory.js';
import type { Policy } from '../../../src/model/policy.js';
import { BASELINE_POLICY, STRICT_POLICY } from '../../../src/policy/built-in.js';
import { s3UploadEncryptionPolicyRule } from '../../../src/services/s3/upload-policy-rule.js';
import { awsFixture } from '../../helpers/fixtures.js';
import { inventory, resource } from '../../helpers/inventory.js';

/** S3.UPLOAD_ENCRYPTION_POLICY: the bucket policy refuses uploads without the encryption the policy demands. */

const REQUIRE_KMS = awsFixture<{ Policy: string }>('s3/get-bucket-policy-require-aws-kms.json').Policy;
const DENY_UNENCRYPTED = awsFixture<{ Policy: string }>('s3/get-bucket-policy-deny-unencrypted-uploads.json').Policy;

function bucket(name: string, evidence: { [key: string]: Json }): Resource {
  return resource('s3', 'bucket', `arn:aws:s3:::${name}`, { level: 'customer-managed', evidence });
}

function verdict(b: Resource, policy: Policy) {
  return evaluate(inventory({ resources: [b] }), policy, { failOn: 'high', rules: [s3UploadEncryptionPolicyRule] }).findings[0]!;
}

const kms: Policy = { ...BASELINE_POLICY, bucketPolicyMustRequire: 'kms' };
const header: Policy = { ...BASELINE_POLICY, bucketPolicyMustRequire: 'encryption' };

describe('S3.UPLOAD_ENCRYPTION_POLICY', () => {
  it('does not apply unless the policy asks for it (neither built-in policy does)', () => {
    const b = bucket('b', { BucketPolicy: null });
    expect(verdict(b, BASELINE_POLICY)).toMatchObject({ status: 'not-applicable' });
    expect(verdict(b, STRICT_POLICY)).toMatchObject({ status: 'not-applicable' });
  });

  it('kms: passes a policy that denies non-KMS uploads, fails one that only denies uploads without a header, and a bucket without a policy', () => {
    expect(verdict(bucket('a', { BucketPolicy: JSON.parse(REQUIRE_KMS) }), kms)).toMatchObject({ status: 'pass', message: expect.stringContaining('DenyNonKmsUploads') });
    const weak = verdict(bucket('b', { BucketPolicy: JSON.parse(DENY_UNENCRYPTED) }), kms);
    expect(weak).toMatchObject({ status: 'fail', severity: 'medium', message: expect.stringContaining('an upload that asks for AES256 is stored under an AWS owned key') });
    expect(verdict(bucket('c', { BucketPolicy: null }), kms)).toMatchObject({ status: 'fail', message: expect.stringContaining('no bucket policy') });
  });

  it('encryption: a policy that denies uploads without an encryption header passes; the KMS one passes too', () => {
    expect(verdict(bucket('a', { BucketPolicy: JSON.parse(DENY_UNENCRYPTED) }), header).status).toBe('pass');
    expect(verdict(bucket('b', { BucketPolicy: JSON.parse(REQUIRE_KMS) }), header).status).toBe('pass');
    expect(verdict(bucket('c', { BucketPolicy: { Version: '2012-10-17', Statement: [] } }), header)).toMatchObject({ status: 'fail' });
  });

  it('unknown when the policy could not be read, or the inventory predates the policy evidence; never a pass', () => {
    expect(verdict(bucket('a', { GetBucketPolicyError: { code: 'AccessDenied', message: 'Access Denied' } }), kms)).toMatchObject({
      status: 'unknown',
      message: 'the bucket policy could not be read: GetBucketPolicy AccessDenied: Access Denied',
    });
    expect(verdict(bucket('b', {}), kms).status).toBe('unknown');
  });

  it('the fix is a Deny statement naming the bucket, and says put-bucket-policy replaces the whole document', () => {
    const f = verdict(bucket('acme-logs', { BucketPolicy: null }), kms);
    expect(f.remediation!.summary).toBe(s3UploadEncryptionPolicyRule.remediationSummary);
    const statement = JSON.parse(/(\{"Sid".*\})/.exec(f.remediation!.steps[0]!)![1]!);
    expect(statement).toEqual({
      Sid: 'DenyNonKmsUploads',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:PutObject',
      Resource: 'arn:aws:s3:::acme-logs/*',
      Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } },
    });
    expect(f.remediation!.steps[0]).toContain('replaces the whole document');
    expect(f.remediation!.cli).toBe('aws s3api put-bucket-policy --bucket acme-logs --policy file://policy.json');
  });
});
