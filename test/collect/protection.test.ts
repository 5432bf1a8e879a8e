import { describe, expect, it } from 'vitest';
import { awsOwned, protectionFromKey, unencrypted, unreadable } from '../../src/collect/protection.js';

/** How every check writes "which key, which level" (src/collect/protection.ts), with plain inputs. */

const KEY_ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

describe('protectionFromKey', () => {
  it('takes the level and key ARN from the resolver; without notes of its own, only the resolver\'s note', () => {
    expect(protectionFromKey('alias/app-data', { keyArn: KEY_ARN, level: 'customer-managed', key: null }, 'aws:kms')).toEqual({
      level: 'customer-managed',
      keyArn: KEY_ARN,
      keyRef: 'alias/app-data',
      algorithm: 'aws:kms',
      notes: [],
    });
    expect(protectionFromKey(null, { keyArn: null, level: 'unknown', key: null, note: 'the service named no KMS key' }, null).notes).toEqual(['the service named no KMS key']);
  });

  it("the check's notes come first, then the resolver's; the caller's array is not changed", () => {
    const mine = ['SSE-KMS with no key id: S3 uses the AWS managed key aws/s3'];
    const p = protectionFromKey(null, { keyArn: null, level: 'aws-managed', key: null, note: 'alias/aws/s3 has no key yet' }, 'aws:kms', mine);
    expect(p.notes).toEqual(['SSE-KMS with no key id: S3 uses the AWS managed key aws/s3', 'alias/aws/s3 has no key yet']);
    expect(mine).toHaveLength(1);
  });
});

describe('the fixed protections', () => {
  it('unencrypted: level none, no key, the notes that prove it, the reference if one was named', () => {
    expect(unencrypted(['StorageEncrypted=false'])).toEqual({ level: 'none', keyArn: null, keyRef: null, algorithm: null, notes: ['StorageEncrypted=false'] });
    expect(unencrypted(['StorageEncrypted=false'], KEY_ARN).keyRef).toBe(KEY_ARN);
  });

  it('AWS owned: no key ARN or reference, the algorithm and notes kept', () => {
    expect(awsOwned('AES256', ['SSE-S3'])).toEqual({ level: 'aws-owned', keyArn: null, keyRef: null, algorithm: 'AES256', notes: ['SSE-S3'] });
  });

  it('unreadable: unknown with the reason as its only note', () => {
    expect(unreadable('GetBucketEncryption failed: AccessDenied: Access Denied')).toEqual({
      level: 'unknown',
      keyArn: null,
      keyRef: null,
      algorithm: null,
      notes: ['GetBucketEncryption failed: AccessDenied: Access Denied'],
    });
    expect(unreadable('x', 'alias/app-data').keyRef).toBe('alias/app-data');
  });
});
