import type { KeyMetadata } from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import {
  describedKeyRecord,
  describeKeyFailure,
  levelOfKey,
  metadataEvidence,
  undescribedKeyRecord,
  withRotationStatus,
  type KeyIdentity,
} from '../../src/keys/classify.js';
import type { KeyRecord } from '../../src/model/inventory.js';
import { awsFixture } from '../helpers/fixtures.js';

/**
 * The classification of a KMS key (src/keys/classify.ts) — which level a key
 * gives, and what is known about it — from DescribeKey's KeyMetadata (the
 * AWS-shaped fixtures in fixtures/aws/kms/, dates revived as the SDK does) or
 * from the fact that DescribeKey failed. Plain inputs, no SDK mock.
 */

const ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const ARN = `arn:aws:kms:us-east-1:111122223333:key/${ID}`;
const OTHER_ARN = 'arn:aws:kms:us-east-1:444455556666:key/5a5a5a5a-6b6b-4c7c-8d8d-9e9e9e9e9e9e';

const identity = (over: Partial<KeyIdentity> = {}): KeyIdentity => ({
  arn: ARN,
  keyId: ID,
  region: 'us-east-1',
  accountId: '111122223333',
  aliases: [],
  inScannedAccount: true,
  ...over,
});
const meta = (file: string, over: Partial<KeyMetadata> = {}): KeyMetadata => ({ ...(awsFixture(`kms/${file}`).KeyMetadata as KeyMetadata), ...over });
const customer = (over: Partial<KeyMetadata> = {}) => meta('describe-key-customer.json', over);

describe('levelOfKey', () => {
  it.each([
    ['AWS_KMS', 'customer-managed'],
    ['EXTERNAL', 'customer-managed-imported'],
    ['AWS_CLOUDHSM', 'customer-managed-hsm'],
    ['EXTERNAL_KEY_STORE', 'customer-managed-hsm'],
  ] as const)('a customer managed key with Origin %s is %s, with no note', (origin, level) => {
    const notes: string[] = [];
    expect(levelOfKey('CUSTOMER', customer({ Origin: origin }), notes)).toBe(level);
    expect(notes).toEqual([]);
  });

  it('KeyManager AWS is aws-managed whatever the origin', () => {
    const notes: string[] = [];
    expect(levelOfKey('AWS', customer({ Origin: 'EXTERNAL' }), notes)).toBe('aws-managed');
    expect(notes).toEqual([]);
  });

  it('who manages the key unknown: unknown with the reason, never a guess', () => {
    const notes: string[] = [];
    expect(levelOfKey('unknown', customer(), notes)).toBe('unknown');
    expect(notes).toEqual(['DescribeKey did not say who manages the key (KeyManager missing) and it has no alias/aws/ alias']);
  });

  it('Origin missing but a CustomKeyStoreId: the key is in a custom key store', () => {
    const notes: string[] = [];
    expect(levelOfKey('CUSTOMER', customer({ Origin: undefined, CustomKeyStoreId: 'cks-1234567890abcdef0' }), notes)).toBe('customer-managed-hsm');
    expect(notes).toEqual(['Origin missing; the key has a CustomKeyStoreId, so it lives in a custom key store']);
  });

  it('Origin missing or not recognised: the lowest customer managed level, saying which', () => {
    const missing: string[] = [];
    expect(levelOfKey('CUSTOMER', customer({ Origin: undefined }), missing)).toBe('customer-managed');
    expect(missing).toEqual(['Origin missing; classified at the lowest customer managed level']);
    const odd: string[] = [];
    expect(levelOfKey('CUSTOMER', customer({ Origin: 'SOMETHING_NEW' as never, CustomKeyStoreId: '' }), odd)).toBe('customer-managed');
    expect(odd).toEqual(['Origin "SOMETHING_NEW" not recognised; classified at the lowest customer managed level']);
  });
});

describe('describedKeyRecord', () => {
  it('a customer managed key: every field from KeyMetadata, and the rotation status still to be read', () => {
    const { record, needsRotationStatus } = describedKeyRecord(identity({ aliases: ['alias/app-data'] }), customer());
    expect(needsRotationStatus).toBe(true);
    expect(record).toEqual({
      arn: ARN,
      keyId: ID,
      region: 'us-east-1',
      accountId: '111122223333',
      aliases: ['alias/app-data'],
      manager: 'CUSTOMER',
      origin: 'AWS_KMS',
      state: 'Enabled',
      spec: 'SYMMETRIC_DEFAULT',
      usage: 'ENCRYPT_DECRYPT',
      multiRegion: false,
      rotation: { applicable: true, reason: 'customer managed symmetric key with KMS key material', enabled: null, periodDays: null },
      level: 'customer-managed',
      describable: true,
      inScannedAccount: true,
      notes: [],
      evidence: { ...customer(), CreationDate: '2024-02-01T08:15:40.733Z' },
    });
  });

  it("KMS's own ARN, key id and account win over how the key was named", () => {
    const { record } = describedKeyRecord(identity({ arn: 'named-otherwise', keyId: 'named-otherwise', accountId: '999999999999' }), customer());
    expect(record).toMatchObject({ arn: ARN, keyId: ID, accountId: '111122223333' });
  });

  it('fields KMS left out fall back to what is known, or to unknown — never invented', () => {
    const sparse: KeyMetadata = { KeyId: undefined, Arn: undefined, KeyManager: 'CUSTOMER', Origin: 'AWS_KMS' } as KeyMetadata;
    const { record, needsRotationStatus } = describedKeyRecord(identity({ accountId: '111122223333' }), sparse);
    expect(record).toMatchObject({ arn: ARN, keyId: ID, accountId: '111122223333', state: 'unknown', spec: 'unknown', usage: 'unknown', multiRegion: null, origin: 'AWS_KMS' });
    expect(record.evidence).toEqual({ KeyManager: 'CUSTOMER', Origin: 'AWS_KMS' });
    expect(describedKeyRecord(identity(), customer({ Origin: undefined })).record.origin).toBe('unknown');
    // Without a spec, KMS itself is asked whether rotation exists.
    expect(needsRotationStatus).toBe(true);
    expect(record.rotation).toEqual({ applicable: false, reason: 'the key spec is unknown (DescribeKey gave no KeySpec)', enabled: null, periodDays: null });
  });

  it('the state falls back to Enabled (true/false) when KeyState is missing; the spec to CustomerMasterKeySpec', () => {
    expect(describedKeyRecord(identity(), customer({ KeyState: undefined, Enabled: true })).record.state).toBe('Enabled');
    expect(describedKeyRecord(identity(), customer({ KeyState: undefined, Enabled: false })).record.state).toBe('Disabled');
    expect(describedKeyRecord(identity(), customer({ KeyState: undefined, Enabled: undefined })).record.state).toBe('unknown');
    expect(describedKeyRecord(identity(), customer({ KeyState: 'PendingDeletion', Enabled: false })).record.state).toBe('PendingDeletion');
    expect(describedKeyRecord(identity(), customer({ KeySpec: undefined, CustomerMasterKeySpec: 'RSA_4096' })).record.spec).toBe('RSA_4096');
    expect(describedKeyRecord(identity(), customer({ MultiRegion: true })).record.multiRegion).toBe(true);
  });

  it('an AWS managed key: aws-managed, rotated by AWS yearly, nothing to ask', () => {
    const { record, needsRotationStatus } = describedKeyRecord(identity({ aliases: ['alias/aws/s3'] }), meta('describe-key-aws-managed.json'));
    expect(record).toMatchObject({ manager: 'AWS', level: 'aws-managed', notes: [] });
    expect(record.rotation).toEqual({ applicable: false, reason: 'AWS managed keys are rotated by AWS every year', enabled: true, periodDays: 365 });
    expect(needsRotationStatus).toBe(false);
  });

  it('an alias/aws/ alias proves the key is AWS managed when KeyManager is missing or wrong, and says so', () => {
    const missing = describedKeyRecord(identity({ aliases: ['alias/aws/s3'] }), customer({ KeyManager: undefined }));
    expect(missing.record).toMatchObject({ manager: 'AWS', level: 'aws-managed' });
    expect(missing.record.notes).toEqual(['KeyManager is missing but the key has the AWS managed alias alias/aws/s3; classified as AWS managed']);
    expect(missing.needsRotationStatus).toBe(false);
    const wrong = describedKeyRecord(identity({ aliases: ['alias/app', 'alias/aws/ebs'] }), customer({ KeyManager: 'CUSTOMER' }));
    expect(wrong.record.notes).toEqual(['KeyManager is CUSTOMER but the key has the AWS managed alias alias/aws/ebs; classified as AWS managed']);
    expect(wrong.record.level).toBe('aws-managed');
  });

  it('a customer alias that only looks like one proves nothing', () => {
    const { record } = describedKeyRecord(identity({ aliases: ['alias/team/alias/aws/s3', 'alias/aws-s3'] }), customer());
    expect(record).toMatchObject({ manager: 'CUSTOMER', level: 'customer-managed', notes: [] });
  });

  it('KeyManager missing and no alias/aws/ alias: unknown manager and level, rotation not asked', () => {
    const { record, needsRotationStatus } = describedKeyRecord(identity(), customer({ KeyManager: 'SOMEONE' as never }));
    expect(record).toMatchObject({ manager: 'unknown', level: 'unknown' });
    expect(record.rotation.reason).toBe('who manages the key is unknown');
    expect(needsRotationStatus).toBe(false);
  });

  it.each([
    ['imported material', 'describe-key-imported.json', /^imported key material cannot rotate automatically/],
    ['a CloudHSM key store', 'describe-key-cloudhsm.json', /AWS CloudHSM key store/],
    ['an external key store', 'describe-key-xks.json', /external key store/],
    ['an RSA key', 'describe-key-rsa-2048.json', /^RSA_2048 is an asymmetric key/],
    ['an HMAC key', 'describe-key-hmac.json', /^HMAC_256 is an HMAC key/],
  ])('%s: no automatic rotation, nothing asked, the reason recorded', (_label, file, reason) => {
    const { record, needsRotationStatus } = describedKeyRecord(identity(), meta(file));
    expect(needsRotationStatus).toBe(false);
    expect(record.rotation).toEqual({ applicable: false, reason: expect.stringMatching(reason), enabled: null, periodDays: null });
  });

  it("another account's key: rotation not asked and not readable from this account, with a note (issue 10.3)", () => {
    const other = meta('describe-key-other-account.json');
    const { record, needsRotationStatus } = describedKeyRecord(identity({ arn: OTHER_ARN, accountId: '444455556666', inScannedAccount: false }), other);
    expect(needsRotationStatus).toBe(false);
    expect(record).toMatchObject({ accountId: '444455556666', inScannedAccount: false, level: 'customer-managed' });
    expect(record.rotation).toEqual({
      applicable: true,
      reason:
        "customer managed symmetric key with KMS key material; not readable from this account: the key belongs to account 444455556666, so its rotation is that account's to read and to fix (GetKeyRotationStatus not asked)",
      enabled: null,
      periodDays: null,
    });
    expect(record.notes).toEqual(['rotation not readable from this account: the key belongs to account 444455556666, whose key policy decides who may read its rotation status']);
    // Its spec unknown as well: still not asked, and automatic rotation is not claimed.
    const sparse = describedKeyRecord(identity({ arn: OTHER_ARN, accountId: '444455556666', inScannedAccount: false }), { ...other, KeySpec: undefined, CustomerMasterKeySpec: undefined });
    expect(sparse.needsRotationStatus).toBe(false);
    expect(sparse.record.rotation).toMatchObject({ applicable: false, enabled: null });
    expect(sparse.record.rotation.reason).toMatch(/^the key spec is unknown.*not readable from this account/);
    // Who manages it unknown: nothing KMS could answer either, so no such note.
    const unmanaged = describedKeyRecord(identity({ arn: OTHER_ARN, accountId: '444455556666', inScannedAccount: false }), { ...other, KeyManager: undefined });
    expect(unmanaged.record.notes).toEqual(['DescribeKey did not say who manages the key (KeyManager missing) and it has no alias/aws/ alias']);
    expect(unmanaged.record.rotation).toEqual({ applicable: false, reason: 'who manages the key is unknown', enabled: null, periodDays: null });
    // AWS managed keys, imported or asymmetric keys of another account carry no such note: there is nothing to read.
    const imported = describedKeyRecord(identity({ accountId: '444455556666', inScannedAccount: false }), meta('describe-key-imported.json', { AWSAccountId: '444455556666' }));
    expect(imported.record.notes).toEqual([]);
    expect(imported.record.rotation.reason).toMatch(/^imported key material/);
  });
});

describe('withRotationStatus', () => {
  const described = (m: KeyMetadata = customer()): KeyRecord => describedKeyRecord(identity(), m).record;
  const specless = (): KeyRecord => described(customer({ KeySpec: undefined, CustomerMasterKeySpec: undefined }));

  it('on, with its period; off, without one', () => {
    expect(withRotationStatus(described(), { enabled: true, periodDays: 180 })).toEqual({
      applicable: true,
      reason: 'customer managed symmetric key with KMS key material',
      enabled: true,
      periodDays: 180,
    });
    expect(withRotationStatus(described(), { enabled: true, periodDays: undefined })).toMatchObject({ enabled: true, periodDays: null });
    expect(withRotationStatus(described(), { enabled: false, periodDays: 365 })).toMatchObject({ applicable: true, enabled: false, periodDays: null });
  });

  it('an answer without KeyRotationEnabled is unknown, not off', () => {
    expect(withRotationStatus(described(), { enabled: undefined, periodDays: 365 })).toEqual({
      applicable: true,
      reason: 'GetKeyRotationStatus returned no KeyRotationEnabled',
      enabled: null,
      periodDays: null,
    });
  });

  it('a failed call: rotation applies, its status unknown, the error in the reason', () => {
    expect(withRotationStatus(described(), { error: { code: 'AccessDeniedException', message: 'not authorized', httpStatus: 400 } })).toEqual({
      applicable: true,
      reason: 'GetKeyRotationStatus failed: AccessDeniedException: not authorized',
      enabled: null,
      periodDays: null,
    });
  });

  it('UnsupportedOperationException for a key whose facts could not tell: KMS says rotation does not exist', () => {
    const key = specless();
    expect(withRotationStatus(key, { error: { code: 'UnsupportedOperationException', message: 'x', httpStatus: 400 } })).toEqual({
      applicable: false,
      reason: 'the key spec is unknown (DescribeKey gave no KeySpec); KMS says automatic rotation is not supported for this key (GetKeyRotationStatus UnsupportedOperationException)',
      enabled: null,
      periodDays: null,
    });
  });

  it('UnsupportedOperationException for a key that can rotate is a failure, not an answer', () => {
    expect(withRotationStatus(described(), { error: { code: 'UnsupportedOperationException', message: 'odd', httpStatus: 400 } })).toMatchObject({
      applicable: true,
      reason: 'GetKeyRotationStatus failed: UnsupportedOperationException: odd',
    });
  });

  it('an answer for a key whose facts could not tell proves rotation exists', () => {
    expect(withRotationStatus(specless(), { enabled: false, periodDays: undefined })).toEqual({
      applicable: true,
      reason: 'the key spec is unknown (DescribeKey gave no KeySpec); KMS reports a rotation status, so automatic rotation exists for the key',
      enabled: false,
      periodDays: null,
    });
  });
});

describe('undescribedKeyRecord', () => {
  const denied = { code: 'AccessDeniedException', message: 'not authorized to perform: kms:DescribeKey', httpStatus: 400 };

  it('a key of the scanned account that could not be described: unknown, kept, with the reason', () => {
    expect(undescribedKeyRecord(identity({ aliases: ['alias/app-data'] }), denied)).toEqual({
      arn: ARN,
      keyId: ID,
      region: 'us-east-1',
      accountId: '111122223333',
      aliases: ['alias/app-data'],
      manager: 'unknown',
      origin: 'unknown',
      state: 'unknown',
      spec: 'unknown',
      usage: 'unknown',
      multiRegion: null,
      rotation: { applicable: false, reason: 'the key could not be described', enabled: null, periodDays: null },
      level: 'unknown',
      describable: false,
      inScannedAccount: true,
      notes: ['DescribeKey failed: AccessDeniedException: not authorized to perform: kms:DescribeKey'],
      evidence: { DescribeKeyError: { code: 'AccessDeniedException', message: 'not authorized to perform: kms:DescribeKey' } },
    });
  });

  it('another account\'s key: customer managed by inference (AWS managed keys cannot be used across accounts), with a note', () => {
    const r = undescribedKeyRecord(identity({ arn: OTHER_ARN, accountId: '444455556666', inScannedAccount: false }), denied);
    expect(r).toMatchObject({ level: 'customer-managed', manager: 'CUSTOMER', state: 'unknown', describable: false, inScannedAccount: false });
    expect(r.notes).toEqual([
      'DescribeKey failed: AccessDeniedException: not authorized to perform: kms:DescribeKey',
      'key in another account (444455556666): customer managed by inference; origin, state and rotation unknown',
    ]);
  });

  it('an AWS managed key that could not be described is still aws-managed, by its alias', () => {
    const r = undescribedKeyRecord(identity({ aliases: ['alias/aws/ebs'] }), { code: 'ThrottlingException', message: 'Rate exceeded', httpStatus: 400 });
    expect(r).toMatchObject({ level: 'aws-managed', manager: 'AWS', state: 'unknown' });
    expect(r.notes).toEqual(['DescribeKey failed: ThrottlingException: Rate exceeded', 'classified by its alias alias/aws/ebs: only AWS creates alias/aws/ aliases']);
  });

  it('a key that does not exist: state NotFound, and the data it protects cannot be decrypted', () => {
    const gone = undescribedKeyRecord(identity(), { code: 'NotFoundException', message: 'Key does not exist', httpStatus: 400 });
    expect(gone).toMatchObject({ level: 'unknown', state: 'NotFound' });
    expect(gone.notes).toEqual(['DescribeKey failed: NotFoundException: Key does not exist', 'the key does not exist: data it protects cannot be decrypted']);
    // In another account NotFound is also what KMS says when it will not tell: not proof the key is gone.
    const elsewhere = undescribedKeyRecord(identity({ accountId: '444455556666', inScannedAccount: false }), { code: 'NotFoundException', message: 'x', httpStatus: 400 });
    expect(elsewhere.state).toBe('unknown');
    expect(elsewhere.notes.join(' ')).not.toContain('does not exist');
    // Other failures are not NotFound.
    expect(undescribedKeyRecord(identity(), denied).state).toBe('unknown');
  });

  it('with no failure recorded (DescribeKey returned nothing usable): "not described"', () => {
    const r = undescribedKeyRecord(identity(), undefined);
    expect(r.notes).toEqual(['DescribeKey failed: Error: not described']);
    expect(r.evidence).toEqual({ DescribeKeyError: { code: 'Error', message: 'not described' } });
  });
});

describe('describeKeyFailure', () => {
  it('undefined for a described key; the failed call for one that was not', () => {
    expect(describeKeyFailure(describedKeyRecord(identity(), customer()).record)).toBeUndefined();
    expect(describeKeyFailure(undescribedKeyRecord(identity(), { code: 'ThrottlingException', message: 'Rate exceeded', httpStatus: 400 }))).toEqual({
      operation: 'DescribeKey',
      code: 'ThrottlingException',
      message: 'Rate exceeded',
    });
  });

  it('an undescribable record without the error in its evidence (an old inventory) still says DescribeKey failed', () => {
    const r = { ...undescribedKeyRecord(identity(), undefined), evidence: {} };
    expect(describeKeyFailure(r)).toEqual({ operation: 'DescribeKey', code: 'Error', message: 'not described' });
  });
});

describe('metadataEvidence', () => {
  it('every field present, dates as ISO strings, absent fields left out', () => {
    const m = meta('describe-key-pending-deletion.json');
    const evidence = metadataEvidence({ ...m, Description: undefined });
    expect(evidence).not.toHaveProperty('Description');
    expect(evidence.DeletionDate).toBe('2026-12-05T00:00:00.000Z');
    expect(evidence.KeyState).toBe('PendingDeletion');
    expect(JSON.parse(JSON.stringify(evidence))).toEqual(evidence);
  });
});
