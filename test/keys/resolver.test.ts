import {
  DescribeKeyCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  ListAliasesCommand,
  type DescribeKeyCommandOutput,
} from '@aws-sdk/client-kms';
import { beforeEach, describe, expect, it } from 'vitest';
import type { KeyResolver } from '../../src/keys/resolver.js';
import { checkContext } from '../helpers/context.js';
import { awsError, awsFixture } from '../helpers/fixtures.js';
import { mockSdkClient } from '../helpers/mock-sdk.js';

/**
 * The key resolver against KMS responses shaped like AWS's. Every fixture is
 * in fixtures/aws/kms/. The resolver decides, for every reference a service
 * can return, which key it is and which protection level it gives; these
 * tests pin each kind of reference and each way KMS can fail.
 */

const REGION = 'us-east-1';
const ARN = (id: string, account = '111122223333', region = REGION) => `arn:aws:kms:${region}:${account}:key/${id}`;

const CUSTOMER_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const AWS_S3_ID = '7f3c1a2b-4d5e-4f60-8a71-b2c3d4e5f601';
const IMPORTED_ID = '0987dcba-09fe-87dc-65ba-ab0987654321';
const CLOUDHSM_ID = 'c0ffee00-1a2b-4c3d-8e9f-0a1b2c3d4e5f';
const XKS_ID = 'e5f6a7b8-c9d0-4e1f-a2b3-c4d5e6f7a8b9';
const RSA_ID = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
const HMAC_ID = 'b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e';
const MRK_ID = 'mrk-1234abcd12ab34cd56ef1234567890ab';
const DISABLED_ID = 'd15ab1ed-3c4d-4e5f-8a9b-0c1d2e3f4a5b';
const PENDING_ID = 'de1e7e00-5a6b-4c7d-9e8f-1a2b3c4d5e6f';
const OTHER_ID = '5a5a5a5a-6b6b-4c7c-8d8d-9e9e9e9e9e9e';

const DESCRIBE_FIXTURES: Record<string, string> = {
  [CUSTOMER_ID]: 'describe-key-customer.json',
  [AWS_S3_ID]: 'describe-key-aws-managed.json',
  [IMPORTED_ID]: 'describe-key-imported.json',
  [CLOUDHSM_ID]: 'describe-key-cloudhsm.json',
  [XKS_ID]: 'describe-key-xks.json',
  [RSA_ID]: 'describe-key-rsa-2048.json',
  [HMAC_ID]: 'describe-key-hmac.json',
  [MRK_ID]: 'describe-key-multi-region.json',
  [DISABLED_ID]: 'describe-key-disabled.json',
  [PENDING_ID]: 'describe-key-pending-deletion.json',
};

const kms = mockSdkClient(KMSClient);
let keys: KeyResolver;

function describeFixture(id: string): DescribeKeyCommandOutput {
  return awsFixture(`kms/${DESCRIBE_FIXTURES[id]!}`);
}

/** The scanned account as KMS answers for it: two pages of aliases, every key describable by its ARN. */
function mockAccount(): void {
  kms.on(DescribeKeyCommand).rejects(awsError('NotFoundException', 'Invalid keyId', 400));
  kms.on(GetKeyRotationStatusCommand).rejects(awsError('NotFoundException', 'Invalid keyId', 400));
  kms
    .on(ListAliasesCommand)
    .resolvesOnce(awsFixture('kms/list-aliases-page-1.json'))
    .resolvesOnce(awsFixture('kms/list-aliases-page-2.json'));
  for (const id of Object.keys(DESCRIBE_FIXTURES)) {
    kms.on(DescribeKeyCommand, { KeyId: ARN(id) }).resolves(describeFixture(id));
  }
  kms.on(GetKeyRotationStatusCommand, { KeyId: ARN(CUSTOMER_ID) }).resolves(awsFixture('kms/get-key-rotation-status-enabled.json'));
  kms.on(GetKeyRotationStatusCommand, { KeyId: ARN(MRK_ID) }).resolves({ KeyRotationEnabled: true, KeyId: ARN(MRK_ID), RotationPeriodInDays: 365 });
  kms.on(GetKeyRotationStatusCommand, { KeyId: ARN(DISABLED_ID) }).resolves(awsFixture('kms/get-key-rotation-status-disabled.json'));
  // While a key is pending deletion KMS reports its rotation as false.
  kms.on(GetKeyRotationStatusCommand, { KeyId: ARN(PENDING_ID) }).resolves({ KeyRotationEnabled: false, KeyId: ARN(PENDING_ID) });
}

function describeCalls(): string[] {
  return kms.commandCalls(DescribeKeyCommand).map((call) => String(call.args[0].input.KeyId));
}

function rotationCalls(): string[] {
  return kms.commandCalls(GetKeyRotationStatusCommand).map((call) => String(call.args[0].input.KeyId));
}

beforeEach(() => {
  keys = checkContext().keys;
});

describe('key resolver: references', () => {
  beforeEach(mockAccount);

  it('resolves a bare key id in the region of the resource', async () => {
    const r = await keys.resolve(CUSTOMER_ID, REGION);
    expect(r.level).toBe('customer-managed');
    expect(r.keyArn).toBe(ARN(CUSTOMER_ID));
    expect(r.key?.aliases).toEqual(['alias/app-data']);
    expect(r.key?.describable).toBe(true);
    expect(r.note).toBeUndefined();
    expect(describeCalls()).toEqual([ARN(CUSTOMER_ID)]);
  });

  it('resolves a key ARN, whatever region the resource is in', async () => {
    const r = await keys.resolve(ARN(CUSTOMER_ID), 'eu-west-1');
    expect(r.level).toBe('customer-managed');
    expect(r.keyArn).toBe(ARN(CUSTOMER_ID));
    expect(r.key?.region).toBe(REGION);
  });

  it('resolves an alias name through ListAliases (second page) without describing the alias', async () => {
    const r = await keys.resolve('alias/billing-import', REGION);
    expect(r.level).toBe('customer-managed-imported');
    expect(r.keyArn).toBe(ARN(IMPORTED_ID));
    expect(r.key?.aliases).toEqual(['alias/billing-import']);
    expect(describeCalls()).toEqual([ARN(IMPORTED_ID)]);
    expect(kms.commandCalls(ListAliasesCommand)).toHaveLength(2);
  });

  it('resolves an alias ARN', async () => {
    const r = await keys.resolve('arn:aws:kms:us-east-1:111122223333:alias/app-data', 'eu-west-1');
    expect(r.level).toBe('customer-managed');
    expect(r.keyArn).toBe(ARN(CUSTOMER_ID));
  });

  it('resolves alias/aws/s3 with a TargetKeyId to the AWS managed key', async () => {
    const r = await keys.resolve('alias/aws/s3', REGION);
    expect(r.level).toBe('aws-managed');
    expect(r.keyArn).toBe(ARN(AWS_S3_ID));
    expect(r.key?.manager).toBe('AWS');
    expect(r.key?.aliases).toEqual(['alias/aws/s3']);
    // AWS rotates AWS managed keys every year; nothing to ask.
    expect(r.key?.rotation).toEqual({ applicable: false, reason: expect.any(String), enabled: true, periodDays: 365 });
    expect(rotationCalls()).toEqual([]);
  });

  it('classifies alias/aws/ebs without a TargetKeyId as AWS managed without calling DescribeKey (which would create the key)', async () => {
    const r = await keys.resolve('alias/aws/ebs', REGION);
    expect(r.level).toBe('aws-managed');
    expect(r.keyArn).toBeNull();
    expect(r.note).toMatch(/alias\/aws\/ebs/);
    expect(r.error).toBeUndefined();
    expect(describeCalls()).toEqual([]);
    expect(keys.errors()).toEqual([]);
  });

  it('falls back to DescribeKey on the alias when ListAliases is denied', async () => {
    kms.on(ListAliasesCommand).rejects(awsError('AccessDeniedException', 'not authorized to perform: kms:ListAliases'));
    kms.on(DescribeKeyCommand, { KeyId: 'arn:aws:kms:us-east-1:111122223333:alias/app-data' }).resolves(describeFixture(CUSTOMER_ID));
    const r = await keys.resolve('alias/app-data', REGION);
    expect(r.level).toBe('customer-managed');
    expect(r.keyArn).toBe(ARN(CUSTOMER_ID));
    expect(r.key?.aliases).toEqual(['alias/app-data']);
    expect(keys.errors()).toEqual([expect.objectContaining({ operation: 'ListAliases', code: 'AccessDeniedException', region: REGION })]);
  });

  it('ListAliases denied: an alias/aws/ alias is aws-managed without DescribeKey on the alias (it might create the key)', async () => {
    kms.on(ListAliasesCommand).rejects(awsError('AccessDeniedException', 'not authorized to perform: kms:ListAliases'));
    const r = await keys.resolve('alias/aws/s3', REGION);
    expect(r.level).toBe('aws-managed');
    expect(r.note).toMatch(/ListAliases could not be read/);
    expect(describeCalls()).toEqual([]);
  });

  it('describes a key in another account that allows it, and records it as not in the scanned account', async () => {
    const other = ARN(OTHER_ID, '444455556666');
    kms.on(DescribeKeyCommand, { KeyId: other }).resolves(awsFixture('kms/describe-key-other-account.json'));
    const r = await keys.resolve(other, REGION);
    expect(r.level).toBe('customer-managed');
    expect(r.key).toMatchObject({ accountId: '444455556666', inScannedAccount: false, describable: true, aliases: [] });
    // The scanned account's alias list says nothing about another account's key.
    expect(kms.commandCalls(ListAliasesCommand)).toHaveLength(0);
  });

  it("another account's key: its rotation is not asked (issue 10.3) and reads as not readable from this account, with a note and no scan error", async () => {
    const other = ARN(OTHER_ID, '444455556666');
    kms.on(DescribeKeyCommand, { KeyId: other }).resolves(awsFixture('kms/describe-key-other-account.json'));
    // Were it asked, the owner's key policy would normally refuse: a scan error the scanned account cannot fix.
    kms.on(GetKeyRotationStatusCommand, { KeyId: other }).rejects(awsError('AccessDeniedException', `not authorized to perform: kms:GetKeyRotationStatus on resource: ${other}`));
    const r = await keys.resolve(other, REGION);
    expect(rotationCalls()).toEqual([]);
    expect(keys.errors()).toEqual([]);
    expect(r.key?.rotation).toEqual({ applicable: true, reason: expect.stringContaining('not readable from this account: the key belongs to account 444455556666'), enabled: null, periodDays: null });
    expect(r.key?.notes).toEqual([expect.stringMatching(/^rotation not readable from this account: the key belongs to account 444455556666/)]);
    // The key's own account still asks for it.
    await keys.resolve(CUSTOMER_ID, REGION);
    expect(rotationCalls()).toEqual([ARN(CUSTOMER_ID)]);
  });

  it('keeps a key in another account that cannot be described: customer managed, describable false, a note', async () => {
    const other = ARN(OTHER_ID, '444455556666');
    kms.on(DescribeKeyCommand, { KeyId: other }).rejects(
      awsError('AccessDeniedException', `User: arn:aws:iam::111122223333:role/atrest-audit is not authorized to perform: kms:DescribeKey on resource: ${other}`),
    );
    const r = await keys.resolve(other, REGION);
    expect(r.level).toBe('customer-managed');
    expect(r.keyArn).toBe(other);
    expect(r.key).toMatchObject({ describable: false, inScannedAccount: false, manager: 'CUSTOMER', origin: 'unknown', state: 'unknown' });
    expect(r.note).toMatch(/another account \(444455556666\)/);
    expect(r.error).toMatchObject({ operation: 'DescribeKey', code: 'AccessDeniedException' });
    const records = await keys.records();
    expect(records.map((k) => k.arn)).toContain(other);
  });

  it('a key in the scanned account that cannot be described is unknown, with the reason and a scan error', async () => {
    kms.on(DescribeKeyCommand, { KeyId: ARN(CUSTOMER_ID) }).rejects(awsError('AccessDeniedException', 'not authorized to perform: kms:DescribeKey'));
    const r = await keys.resolve(CUSTOMER_ID, REGION);
    expect(r.level).toBe('unknown');
    expect(r.keyArn).toBe(ARN(CUSTOMER_ID));
    expect(r.key?.describable).toBe(false);
    expect(r.note).toMatch(/AccessDeniedException/);
    expect(keys.errors()).toEqual([
      expect.objectContaining({ service: 'kms', operation: 'DescribeKey', code: 'AccessDeniedException', resourceArn: ARN(CUSTOMER_ID) }),
    ]);
  });

  it('a key that does not exist is unknown with state NotFound', async () => {
    const gone = 'feedface-0000-4000-8000-00000000dead';
    const r = await keys.resolve(gone, REGION);
    expect(r.level).toBe('unknown');
    expect(r.key?.state).toBe('NotFound');
    expect(r.note).toMatch(/does not exist/);
  });

  it.each([
    ['empty', ''],
    ['null', null],
    ['a word', 'default'],
    ['a CloudFormation placeholder', '${KmsKeyId}'],
    ['an angle-bracket placeholder', '<your-key-id>'],
    ['an S3 ARN', 'arn:aws:s3:::acme-app-data'],
    ['a key ARN without a key id', 'arn:aws:kms:us-east-1:111122223333:key/'],
    ['a key ARN with a placeholder key id', 'arn:aws:kms:us-east-1:111122223333:key/KEY_ID'],
    ['a key ARN with a placeholder account', `arn:aws:kms:us-east-1:ACCOUNT_ID:key/${CUSTOMER_ID}`],
    ['a key ARN with a placeholder region', `arn:aws:kms:REGION:111122223333:key/${CUSTOMER_ID}`],
    ['a key ARN with a CloudFormation region', `arn:aws:kms:\${AWS::Region}:111122223333:key/${CUSTOMER_ID}`],
    ['an alias ARN without a name', 'arn:aws:kms:us-east-1:111122223333:alias/'],
    ['an alias ARN with a placeholder name', 'arn:aws:kms:us-east-1:111122223333:alias/${AliasName}'],
    ['an alias name with a placeholder', 'alias/<name>'],
  ])('a garbage reference (%s) is unknown with a reason, and KMS is not asked', async (_label, ref) => {
    const r = await keys.resolve(ref, REGION);
    expect(r.level).toBe('unknown');
    expect(r.keyArn).toBeNull();
    expect(r.key).toBeNull();
    expect(r.note).toEqual(expect.any(String));
    expect(r.note!.length).toBeGreaterThan(10);
    expect(describeCalls()).toEqual([]);
    expect(kms.commandCalls(ListAliasesCommand)).toHaveLength(0);
  });
});

describe('key resolver: classification', () => {
  beforeEach(mockAccount);

  it.each([
    [AWS_S3_ID, 'aws-managed', 'AWS_KMS'],
    [CUSTOMER_ID, 'customer-managed', 'AWS_KMS'],
    [IMPORTED_ID, 'customer-managed-imported', 'EXTERNAL'],
    [CLOUDHSM_ID, 'customer-managed-hsm', 'AWS_CLOUDHSM'],
    [XKS_ID, 'customer-managed-hsm', 'EXTERNAL_KEY_STORE'],
    [RSA_ID, 'customer-managed', 'AWS_KMS'],
    [HMAC_ID, 'customer-managed', 'AWS_KMS'],
    [MRK_ID, 'customer-managed', 'AWS_KMS'],
  ])('key %s is %s (Origin %s)', async (id, level, origin) => {
    const r = await keys.resolve(ARN(id), REGION);
    expect(r.level).toBe(level);
    expect(r.key?.origin).toBe(origin);
    expect(r.key?.describable).toBe(true);
  });

  it('records the facts of every key type', async () => {
    const resolve = async (id: string) => (await keys.resolve(ARN(id), REGION)).key!;
    const [imported, mrk, disabled, pending, hmac] = await Promise.all([
      resolve(IMPORTED_ID),
      resolve(MRK_ID),
      resolve(DISABLED_ID),
      resolve(PENDING_ID),
      resolve(HMAC_ID),
    ]);
    expect(imported.evidence).toMatchObject({ ValidTo: '2027-05-20T00:00:00.000Z', ExpirationModel: 'KEY_MATERIAL_EXPIRES', Origin: 'EXTERNAL' });
    expect(mrk).toMatchObject({ multiRegion: true, aliases: ['alias/global-orders'] });
    expect(disabled).toMatchObject({ state: 'Disabled', level: 'customer-managed' });
    expect(pending).toMatchObject({ state: 'PendingDeletion', level: 'customer-managed' });
    expect(pending.evidence.DeletionDate).toBe('2026-12-05T00:00:00.000Z');
    expect(hmac).toMatchObject({ spec: 'HMAC_256', usage: 'GENERATE_VERIFY_MAC' });
    // Evidence is plain JSON: dates are ISO strings, never Date objects.
    expect(JSON.parse(JSON.stringify(imported.evidence))).toEqual(imported.evidence);
  });

  it('an AWS managed key with KeyManager missing is still AWS managed because of its alias/aws/ alias', async () => {
    const meta = describeFixture(AWS_S3_ID);
    delete meta.KeyMetadata!.KeyManager;
    kms.on(DescribeKeyCommand, { KeyId: ARN(AWS_S3_ID) }).resolves(meta);
    const r = await keys.resolve(AWS_S3_ID, REGION);
    expect(r.level).toBe('aws-managed');
    expect(r.key?.manager).toBe('AWS');
    expect(r.key?.notes.join(' ')).toMatch(/KeyManager is missing.*alias\/aws\/s3/);
    expect(rotationCalls()).toEqual([]);
  });

  it('a key with a wrong KeyManager (CUSTOMER) but an alias/aws/ alias is AWS managed', async () => {
    const meta = describeFixture(AWS_S3_ID);
    meta.KeyMetadata!.KeyManager = 'CUSTOMER';
    kms.on(DescribeKeyCommand, { KeyId: ARN(AWS_S3_ID) }).resolves(meta);
    const r = await keys.resolve('alias/aws/s3', REGION);
    expect(r.level).toBe('aws-managed');
    expect(r.key?.notes.join(' ')).toMatch(/KeyManager is CUSTOMER/);
    expect(rotationCalls()).toEqual([]);
  });

  it('KeyManager missing and no alias/aws/ alias: unknown, never guessed', async () => {
    const meta = describeFixture(RSA_ID);
    delete meta.KeyMetadata!.KeyManager;
    kms.on(DescribeKeyCommand, { KeyId: ARN(RSA_ID) }).resolves(meta);
    const r = await keys.resolve(RSA_ID, REGION);
    expect(r.level).toBe('unknown');
    expect(r.key?.manager).toBe('unknown');
  });

  it('an unrecognised Origin is the lowest customer managed level, with a note', async () => {
    const meta = describeFixture(CUSTOMER_ID);
    meta.KeyMetadata!.Origin = 'SOMETHING_NEW' as never;
    kms.on(DescribeKeyCommand, { KeyId: ARN(CUSTOMER_ID) }).resolves(meta);
    const r = await keys.resolve(CUSTOMER_ID, REGION);
    expect(r.level).toBe('customer-managed');
    expect(r.key?.notes.join(' ')).toMatch(/SOMETHING_NEW/);
  });
});

describe('key resolver: rotation', () => {
  beforeEach(mockAccount);

  it('reads GetKeyRotationStatus only for customer managed symmetric keys with KMS key material', async () => {
    const all = Object.keys(DESCRIBE_FIXTURES);
    const resolved = await Promise.all(all.map((id) => keys.resolve(ARN(id), REGION)));
    expect(rotationCalls().sort()).toEqual([ARN(CUSTOMER_ID), ARN(DISABLED_ID), ARN(MRK_ID), ARN(PENDING_ID)].sort());
    for (const id of [AWS_S3_ID, IMPORTED_ID, CLOUDHSM_ID, XKS_ID, RSA_ID, HMAC_ID]) {
      expect(rotationCalls(), `no GetKeyRotationStatus for ${id}`).not.toContain(ARN(id));
    }
    const byId = new Map(resolved.map((r) => [r.key!.keyId, r.key!]));
    expect(byId.get(CUSTOMER_ID)!.rotation).toMatchObject({ applicable: true, enabled: true, periodDays: 180 });
    expect(byId.get(DISABLED_ID)!.rotation).toMatchObject({ applicable: true, enabled: false, periodDays: null });
    expect(byId.get(IMPORTED_ID)!.rotation).toMatchObject({ applicable: false, enabled: null });
    expect(byId.get(IMPORTED_ID)!.rotation.reason).toMatch(/imported/);
    expect(byId.get(CLOUDHSM_ID)!.rotation.reason).toMatch(/custom key store/);
    expect(byId.get(XKS_ID)!.rotation.reason).toMatch(/custom key store/);
    expect(byId.get(RSA_ID)!.rotation.reason).toMatch(/RSA_2048/);
    expect(byId.get(HMAC_ID)!.rotation.reason).toMatch(/HMAC_256/);
  });

  it('a failed GetKeyRotationStatus leaves rotation unknown and records a scan error, the level stays', async () => {
    kms.on(GetKeyRotationStatusCommand, { KeyId: ARN(CUSTOMER_ID) }).rejects(awsError('AccessDeniedException', 'not authorized to perform: kms:GetKeyRotationStatus'));
    const r = await keys.resolve(CUSTOMER_ID, REGION);
    expect(r.level).toBe('customer-managed');
    expect(r.key?.rotation).toMatchObject({ applicable: true, enabled: null, periodDays: null });
    expect(keys.errors()).toEqual([expect.objectContaining({ operation: 'GetKeyRotationStatus', code: 'AccessDeniedException' })]);
  });
});

describe('key resolver: each distinct key described once', () => {
  beforeEach(mockAccount);

  it('1000 concurrent resolutions by id, ARN, alias name and alias ARN make one DescribeKey call', async () => {
    const refs = [CUSTOMER_ID, ARN(CUSTOMER_ID), 'alias/app-data', 'arn:aws:kms:us-east-1:111122223333:alias/app-data'];
    const results = await Promise.all(Array.from({ length: 1000 }, (_, i) => keys.resolve(refs[i % refs.length], REGION)));
    expect(kms.commandCalls(DescribeKeyCommand)).toHaveLength(1);
    expect(kms.commandCalls(GetKeyRotationStatusCommand)).toHaveLength(1);
    expect(kms.commandCalls(ListAliasesCommand)).toHaveLength(2); // two pages, listed once
    expect(new Set(results.map((r) => r.keyArn))).toEqual(new Set([ARN(CUSTOMER_ID)]));
    // Every resolution hands back the same record.
    expect(new Set(results.map((r) => r.key)).size).toBe(1);
    expect(await keys.records()).toHaveLength(1);
    expect(keys.describeCalls).toBe(1);
  });

  it('a failed key is also asked once, however many resources name it', async () => {
    const other = ARN(OTHER_ID, '444455556666');
    kms.on(DescribeKeyCommand, { KeyId: other }).rejects(awsError('AccessDeniedException', 'not authorized'));
    await Promise.all(Array.from({ length: 200 }, () => keys.resolve(other, REGION)));
    expect(kms.commandCalls(DescribeKeyCommand)).toHaveLength(1);
    expect(keys.errors()).toHaveLength(1);
  });
});
