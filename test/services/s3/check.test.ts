import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  GetBucketEncryptionCommand,
  GetBucketLocationCommand,
  GetBucketPolicyCommand,
  ListBucketsCommand,
  S3Client,
  type GetBucketEncryptionCommandOutput,
} from '@aws-sdk/client-s3';
import { beforeEach, describe, expect, it } from 'vitest';
import { s3Check } from '../../../src/services/s3/check.js';
import { analyseBucketPolicy } from '../../../src/services/s3/bucket-policy.js';
import { s3UploadEncryptionPolicyRule } from '../../../src/services/s3/upload-policy-rule.js';
import { BASELINE_POLICY } from '../../../src/policy/built-in.js';
import { evaluate } from '../../../src/engine/engine.js';
import { inventory } from '../../helpers/inventory.js';
import type { CheckContext } from '../../../src/collect/check.js';
import type { Resource } from '../../../src/model/inventory.js';
import { ClientFactory } from '../../../src/aws/clients.js';
import { KeyResolver } from '../../../src/keys/resolver.js';
import { ACCOUNT, TEST_ACCESS, checkContext } from '../../helpers/context.js';
import { awsError, awsFixture } from '../../helpers/fixtures.js';
import { KEY, OTHER_KEY_ARN, REPLICA_ARN, keyArn, mockKmsAccount } from '../../helpers/kms-account.js';
import { mockSdkClient } from '../../helpers/mock-sdk.js';
import { answerGetResources, getResourcesCalls, type TaggedResources } from '../../helpers/tagging.js';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';

/**
 * The S3 check against S3 and KMS responses shaped like AWS's
 * (fixtures/aws/s3, fixtures/aws/kms). The account has six buckets over two
 * ListBuckets pages: five in the scanned regions (us-east-1, eu-west-1), one
 * without BucketRegion, one in ap-southeast-2.
 */

const s3 = mockSdkClient(S3Client);
const kms = mockSdkClient(KMSClient);
const tagging = mockSdkClient(ResourceGroupsTaggingAPIClient);

const REGIONS = ['us-east-1', 'eu-west-1'];

function context(): CheckContext {
  return checkContext({ region: 'us-east-1', regions: REGIONS });
}

const encryption = (name: string) => awsFixture(`s3/get-bucket-encryption-${name}.json`);
const notFoundConfig = () =>
  awsError('ServerSideEncryptionConfigurationNotFoundError', 'The server side encryption configuration was not found', 404);

function mockBuckets(): void {
  const page1 = awsFixture('s3/list-buckets-page-1.json');
  s3.on(ListBucketsCommand).callsFake(async (input: { ContinuationToken?: string }) =>
    input.ContinuationToken === page1.ContinuationToken ? awsFixture('s3/list-buckets-page-2.json') : page1,
  );
  s3.on(GetBucketLocationCommand).rejects(awsError('NoSuchBucket', 'The specified bucket does not exist', 404));
  s3.on(GetBucketLocationCommand, { Bucket: 'acme-legacy-logs' }).resolves(awsFixture('s3/get-bucket-location-us-east-1.json'));
  s3.on(GetBucketEncryptionCommand).rejects(awsError('NoSuchBucket', 'The specified bucket does not exist', 404));
  s3.on(GetBucketEncryptionCommand, { Bucket: 'acme-app-data' }).resolves(encryption('kms-key-arn'));
  s3.on(GetBucketEncryptionCommand, { Bucket: 'acme-billing-exports' }).resolves(encryption('kms-alias-arn'));
  s3.on(GetBucketEncryptionCommand, { Bucket: 'acme-eu-archive' }).resolves(encryption('dsse'));
  s3.on(GetBucketEncryptionCommand, { Bucket: 'acme-legacy-logs' }).rejects(notFoundConfig());
  s3.on(GetBucketEncryptionCommand, { Bucket: 'acme-static-site' }).resolves(encryption('aes256'));
  s3.on(GetBucketEncryptionCommand, { Bucket: 'acme-sydney-media' }).resolves(encryption('aes256'));
  s3.on(GetBucketPolicyCommand).rejects(awsError('NoSuchBucketPolicy', 'The bucket policy does not exist', 404));
  s3.on(GetBucketPolicyCommand, { Bucket: 'acme-app-data' }).resolves(awsFixture('s3/get-bucket-policy-require-aws-kms.json'));
  s3.on(GetBucketPolicyCommand, { Bucket: 'acme-billing-exports' }).resolves(awsFixture('s3/get-bucket-policy-deny-unencrypted-uploads.json'));
  // The Tagging API lists only the buckets that carry tags, in their own Region.
  answerGetResources(tagging, TAGGED);
}

const TAGGED: TaggedResources = {
  'us-east-1 s3:bucket': awsFixture('tagging/get-resources-s3-us-east-1.json').ResourceTagMappingList,
  'eu-west-1 s3:bucket': awsFixture('tagging/get-resources-s3-eu-west-1.json').ResourceTagMappingList,
};

function byName(resources: Resource[]): Map<string, Resource> {
  return new Map(resources.map((r) => [r.id, r]));
}

async function clientRegion(call: { thisValue: unknown }): Promise<string> {
  return (call.thisValue as S3Client).config.region();
}

beforeEach(() => {
  mockKmsAccount(kms);
  mockBuckets();
});

/** S3.UPLOAD_ENCRYPTION_POLICY's verdict on a collected bucket, under a policy that demands KMS uploads. */
function uploadPolicyVerdict(bucket: Resource): { status: string; message: string } {
  const policy = { ...BASELINE_POLICY, bucketPolicyMustRequire: 'kms' as const };
  const report = evaluate(inventory({ resources: [bucket] }), policy, { failOn: 'high', rules: [s3UploadEncryptionPolicyRule] });
  return report.findings[0]!;
}

describe('s3 check: listing', () => {
  it('pages through ListBuckets and keeps only buckets in the scanned regions', async () => {
    const result = await s3Check.run(context());
    expect(s3.commandCalls(ListBucketsCommand)).toHaveLength(2);
    expect(s3.commandCalls(ListBucketsCommand)[1]!.args[0].input.ContinuationToken).toBe(awsFixture('s3/list-buckets-page-1.json').ContinuationToken);
    expect(result.resources.map((r) => r.id).sort()).toEqual(['acme-app-data', 'acme-billing-exports', 'acme-eu-archive', 'acme-legacy-logs', 'acme-static-site']);
    // The Sydney bucket is outside the scan: not reported and not read.
    expect(s3.commandCalls(GetBucketEncryptionCommand, { Bucket: 'acme-sydney-media' })).toHaveLength(0);
    expect(result.errors).toEqual([]);
    for (const r of result.resources) {
      expect(r).toMatchObject({ service: 's3', type: 'bucket', accountId: '111122223333', arn: `arn:aws:s3:::${r.id}` });
    }
  });

  it('a bucket without BucketRegion: GetBucketLocation null is us-east-1', async () => {
    const result = await s3Check.run(context());
    const logs = byName(result.resources).get('acme-legacy-logs')!;
    expect(logs.region).toBe('us-east-1');
    expect(logs.evidence.LocationConstraint).toBeNull();
    expect(s3.commandCalls(GetBucketLocationCommand)).toHaveLength(1);
  });

  it("a bucket without BucketRegion: GetBucketLocation 'EU' is eu-west-1, and the bucket is read there", async () => {
    s3.on(GetBucketLocationCommand, { Bucket: 'acme-legacy-logs' }).resolves(awsFixture('s3/get-bucket-location-eu.json'));
    const result = await s3Check.run(context());
    const logs = byName(result.resources).get('acme-legacy-logs')!;
    expect(logs.region).toBe('eu-west-1');
    expect(logs.evidence.LocationConstraint).toBe('EU');
    const call = s3.commandCalls(GetBucketEncryptionCommand, { Bucket: 'acme-legacy-logs' })[0]!;
    expect(await clientRegion(call)).toBe('eu-west-1');
  });

  it('a bucket whose region cannot be read is reported unknown, never dropped', async () => {
    s3.on(GetBucketLocationCommand, { Bucket: 'acme-legacy-logs' }).rejects(awsError('AccessDenied', 'Access Denied', 403));
    const result = await s3Check.run(context());
    const logs = byName(result.resources).get('acme-legacy-logs')!;
    expect(logs.protection.level).toBe('unknown');
    expect(logs.error).toMatchObject({ operation: 'GetBucketLocation', code: 'AccessDenied' });
    expect(result.errors).toEqual([expect.objectContaining({ operation: 'GetBucketLocation', code: 'AccessDenied', resourceArn: 'arn:aws:s3:::acme-legacy-logs' })]);
  });

  it('ListBuckets AccessDenied: a ScanError and no resources, no crash', async () => {
    s3.on(ListBucketsCommand).rejects(awsError('AccessDenied', 'Access Denied', 403));
    const result = await s3Check.run(context());
    expect(result.resources).toEqual([]);
    expect(result.errors).toEqual([expect.objectContaining({ service: 's3', operation: 'ListBuckets', code: 'AccessDenied' })]);
  });
});

describe('s3 check: default encryption', () => {
  it('no encryption configuration is aws-owned (SSE-S3 since 2023-01-05), never none', async () => {
    const result = await s3Check.run(context());
    const logs = byName(result.resources).get('acme-legacy-logs')!;
    expect(logs.protection.level).toBe('aws-owned');
    expect(logs.protection.algorithm).toBe('AES256');
    expect(logs.protection.notes.join(' ')).toContain('2023-01-05');
    expect(logs.attributes.defaultEncryptionConfigured).toBe(false);
    expect(logs.evidence.GetBucketEncryption).toBe('ServerSideEncryptionConfigurationNotFoundError');
    expect(result.resources.every((r) => r.protection.level !== 'none')).toBe(true);
  });

  it('AES256 is aws-owned, and BlockedEncryptionTypes SSE-C is recorded', async () => {
    const result = await s3Check.run(context());
    const site = byName(result.resources).get('acme-static-site')!;
    expect(site.protection).toMatchObject({ level: 'aws-owned', algorithm: 'AES256', keyArn: null });
    expect(site.attributes).toMatchObject({ defaultEncryptionConfigured: true, sseAlgorithm: 'AES256', bucketKeyEnabled: false, sseCBlocked: true, blockedEncryptionTypes: ['SSE-C'], dsse: false });
    expect(site.evidence.ServerSideEncryptionConfiguration).toEqual(awsFixture('s3/get-bucket-encryption-aes256.json').ServerSideEncryptionConfiguration);
  });

  it("BlockedEncryptionTypes ['NONE'] means SSE-C is not blocked", async () => {
    s3.on(GetBucketEncryptionCommand, { Bucket: 'acme-static-site' }).resolves(encryption('sse-c-unblocked'));
    const site = byName((await s3Check.run(context())).resources).get('acme-static-site')!;
    expect(site.attributes).toMatchObject({ sseCBlocked: false, blockedEncryptionTypes: [] });
  });

  it('aws:kms with a key ARN resolves the customer managed key; Bucket Key recorded', async () => {
    const app = byName((await s3Check.run(context())).resources).get('acme-app-data')!;
    expect(app.protection).toMatchObject({ level: 'customer-managed', keyArn: keyArn(KEY.customer), keyRef: keyArn(KEY.customer), algorithm: 'aws:kms' });
    expect(app.attributes).toMatchObject({ bucketKeyEnabled: true, sseCBlocked: true });
  });

  it('aws:kms without a key id is the AWS managed key aws/s3', async () => {
    s3.on(GetBucketEncryptionCommand, { Bucket: 'acme-static-site' }).resolves(encryption('kms-default'));
    const site = byName((await s3Check.run(context())).resources).get('acme-static-site')!;
    expect(site.protection).toMatchObject({ level: 'aws-managed', keyArn: keyArn(KEY.awsS3), keyRef: null, algorithm: 'aws:kms' });
    expect(site.protection.notes.join(' ')).toMatch(/aws\/s3/);
  });

  it('aws:kms without a key id where aws/s3 has no key yet (eu-west-1): aws-managed, KMS not asked to describe the alias', async () => {
    s3.on(GetBucketEncryptionCommand, { Bucket: 'acme-eu-archive' }).resolves(encryption('kms-default'));
    const archive = byName((await s3Check.run(context())).resources).get('acme-eu-archive')!;
    expect(archive.protection).toMatchObject({ level: 'aws-managed', keyArn: null, algorithm: 'aws:kms' });
    expect(kms.commandCalls(DescribeKeyCommand).map((c) => c.args[0].input.KeyId)).not.toContain('arn:aws:kms:eu-west-1:111122223333:alias/aws/s3');
  });

  it('DSSE-KMS resolves its key and is marked dual-layer', async () => {
    const archive = byName((await s3Check.run(context())).resources).get('acme-eu-archive')!;
    expect(archive.region).toBe('eu-west-1');
    expect(archive.protection).toMatchObject({ level: 'customer-managed', keyArn: REPLICA_ARN, algorithm: 'aws:kms:dsse' });
    expect(archive.protection.notes.join(' ')).toMatch(/DSSE/);
    expect(archive.attributes).toMatchObject({ dsse: true, sseAlgorithm: 'aws:kms:dsse' });
  });

  it('an alias ARN, a bare key id and a key ARN in another account all resolve', async () => {
    s3.on(GetBucketEncryptionCommand, { Bucket: 'acme-static-site' }).resolves(encryption('kms-key-id'));
    s3.on(GetBucketEncryptionCommand, { Bucket: 'acme-legacy-logs' }).resolves(encryption('kms-other-account'));
    const ctx = context();
    const buckets = byName((await s3Check.run(ctx)).resources);
    expect(buckets.get('acme-billing-exports')!.protection).toMatchObject({
      level: 'customer-managed-imported',
      keyArn: keyArn(KEY.imported),
      keyRef: 'arn:aws:kms:us-east-1:111122223333:alias/billing-import',
    });
    expect(buckets.get('acme-static-site')!.protection).toMatchObject({ level: 'customer-managed-hsm', keyArn: keyArn(KEY.cloudHsm), keyRef: KEY.cloudHsm });
    expect(buckets.get('acme-legacy-logs')!.protection).toMatchObject({ level: 'customer-managed', keyArn: OTHER_KEY_ARN });
    const records = await ctx.keys.records();
    expect(records.find((k) => k.arn === OTHER_KEY_ARN)).toMatchObject({ accountId: '444455556666', inScannedAccount: false, describable: true });
  });

  it('a key ARN in another account that cannot be described: customer-managed with a note, the key kept', async () => {
    kms.reset();
    mockKmsAccount(kms, { otherAccountDescribable: false });
    s3.on(GetBucketEncryptionCommand, { Bucket: 'acme-static-site' }).resolves(encryption('kms-other-account'));
    const ctx = context();
    const site = byName((await s3Check.run(ctx)).resources).get('acme-static-site')!;
    expect(site.protection.level).toBe('customer-managed');
    expect(site.protection.keyArn).toBe(OTHER_KEY_ARN);
    expect(site.protection.notes.join(' ')).toMatch(/another account \(444455556666\)/);
    expect((await ctx.keys.records()).find((k) => k.arn === OTHER_KEY_ARN)).toMatchObject({ describable: false, level: 'customer-managed' });
  });

  it('every distinct key is described once, however many buckets name it, by whatever reference', async () => {
    s3.on(GetBucketEncryptionCommand, { Bucket: 'acme-billing-exports' }).resolves({
      ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'arn:aws:kms:us-east-1:111122223333:alias/app-data' } }] },
    });
    s3.on(GetBucketEncryptionCommand, { Bucket: 'acme-static-site' }).resolves({
      ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KEY.customer } }] },
    });
    s3.on(GetBucketEncryptionCommand, { Bucket: 'acme-legacy-logs' }).resolves(encryption('kms-key-arn'));
    const result = await s3Check.run(context());
    const levels = result.resources.filter((r) => r.protection.keyArn === keyArn(KEY.customer));
    expect(levels.map((r) => r.id).sort()).toEqual(['acme-app-data', 'acme-billing-exports', 'acme-legacy-logs', 'acme-static-site']);
    expect(kms.commandCalls(DescribeKeyCommand, { KeyId: keyArn(KEY.customer) })).toHaveLength(1);
    const described = kms.commandCalls(DescribeKeyCommand).map((c) => String(c.args[0].input.KeyId));
    expect(new Set(described).size).toBe(described.length);
  });
});

describe('s3 check: a default key named without its ARN (issue 10.8)', () => {
  // "If you use a KMS key alias instead, then AWS KMS resolves the key within the requester's account"
  // (ServerSideEncryptionByDefault, S3 API reference): only an ARN names the account.
  const byAliasName: GetBucketEncryptionCommandOutput = {
    $metadata: {},
    ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'alias/billing-import' }, BucketKeyEnabled: true }] },
  };

  it('an alias name or a bare key id is resolved in the requester\'s account; a key ARN, an alias ARN and aws/s3 are not', async () => {
    s3.on(GetBucketEncryptionCommand, { Bucket: 'acme-static-site' }).resolves(encryption('kms-key-id'));
    s3.on(GetBucketEncryptionCommand, { Bucket: 'acme-legacy-logs' }).resolves(byAliasName);
    s3.on(GetBucketEncryptionCommand, { Bucket: 'acme-eu-archive' }).resolves(encryption('kms-default'));
    const buckets = byName((await s3Check.run(context())).resources);
    const named = (name: string) => buckets.get(name)!.attributes.defaultKeyResolvedInRequesterAccount;
    expect(named('acme-static-site')).toBe(true); // c0ffee00-… (bare key id)
    expect(named('acme-legacy-logs')).toBe(true); // alias/billing-import
    expect(named('acme-app-data')).toBe(false); // key ARN
    expect(named('acme-billing-exports')).toBe(false); // alias ARN
    expect(named('acme-eu-archive')).toBe(false); // aws:kms without a key id: aws/s3
  });
});

describe('s3 check: per-bucket failures', () => {
  it('AccessDenied on GetBucketEncryption for one bucket: that bucket unknown with the reason, the others judged', async () => {
    s3.on(GetBucketEncryptionCommand, { Bucket: 'acme-billing-exports' }).rejects(awsError('AccessDenied', 'Access Denied', 403));
    const result = await s3Check.run(context());
    const buckets = byName(result.resources);
    const denied = buckets.get('acme-billing-exports')!;
    expect(denied.protection.level).toBe('unknown');
    expect(denied.protection.notes.join(' ')).toMatch(/GetBucketEncryption failed: AccessDenied/);
    expect(denied.error).toEqual({ operation: 'GetBucketEncryption', code: 'AccessDenied', message: 'Access Denied' });
    expect(result.errors).toEqual([
      { service: 's3', region: 'us-east-1', operation: 'GetBucketEncryption', code: 'AccessDenied', message: 'Access Denied', resourceArn: 'arn:aws:s3:::acme-billing-exports' },
    ]);
    for (const [name, r] of buckets) if (name !== 'acme-billing-exports') expect(r.protection.level, name).not.toBe('unknown');
  });

  it('NoSuchBucket mid-scan: unknown, "deleted during the scan"', async () => {
    s3.on(GetBucketEncryptionCommand, { Bucket: 'acme-static-site' }).rejects(awsError('NoSuchBucket', 'The specified bucket does not exist', 404));
    const result = await s3Check.run(context());
    const site = byName(result.resources).get('acme-static-site')!;
    expect(site.protection.level).toBe('unknown');
    expect(site.protection.notes).toEqual(['the bucket was deleted during the scan']);
    expect(site.error).toMatchObject({ code: 'NoSuchBucket' });
  });

  it('GetBucketPolicy AccessDenied: the level is still known, the policy is not recorded (the rule says unknown), a ScanError is recorded', async () => {
    s3.on(GetBucketPolicyCommand, { Bucket: 'acme-app-data' }).rejects(awsError('AccessDenied', 'Access Denied', 403));
    const result = await s3Check.run(context());
    const app = byName(result.resources).get('acme-app-data')!;
    expect(app.protection.level).toBe('customer-managed');
    expect(app.evidence).not.toHaveProperty('BucketPolicy');
    expect(uploadPolicyVerdict(app)).toMatchObject({ status: 'unknown', message: expect.stringContaining('GetBucketPolicy AccessDenied') });
    expect(app.evidence.GetBucketPolicyError).toEqual({ code: 'AccessDenied', message: 'Access Denied' });
    expect(result.errors).toEqual([expect.objectContaining({ operation: 'GetBucketPolicy', code: 'AccessDenied', resourceArn: 'arn:aws:s3:::acme-app-data' })]);
  });

  it('an emulator answering HTTP 500 with no error code on one call: that bucket unknown, the rest fine', async () => {
    // What the S3 client throws for a 500 with an HTML or empty body (captured from the real client).
    const error = awsError('Unknown', 'UnknownError', 500);
    s3.on(GetBucketEncryptionCommand, { Bucket: 'acme-static-site' }).rejects(error);
    const result = await s3Check.run(context());
    const site = byName(result.resources).get('acme-static-site')!;
    expect(site.protection.level).toBe('unknown');
    expect(site.error).toMatchObject({ operation: 'GetBucketEncryption', code: 'HTTP500' });
    expect(result.errors).toEqual([expect.objectContaining({ operation: 'GetBucketEncryption', code: 'HTTP500' })]);
    expect(result.resources.filter((r) => r.protection.level === 'unknown')).toHaveLength(1);
  });

  it('survives missing fields: a bucket without a name, a configuration without rules, a policy without a body', async () => {
    s3.on(ListBucketsCommand).resolves({ Buckets: [{ Name: 'acme-static-site', BucketRegion: 'us-east-1' }, { CreationDate: new Date('2024-01-01T00:00:00Z') }] });
    s3.on(GetBucketEncryptionCommand, { Bucket: 'acme-static-site' }).resolves({ ServerSideEncryptionConfiguration: { Rules: [] } });
    s3.on(GetBucketPolicyCommand, { Bucket: 'acme-static-site' }).resolves({});
    const result = await s3Check.run(context());
    expect(result.resources).toHaveLength(1);
    expect(result.resources[0]!.protection.level).toBe('aws-owned');
    expect(result.resources[0]!.evidence.BucketPolicy).toBeNull();
    expect(analyseBucketPolicy(result.resources[0]!.evidence.BucketPolicy!).deniesUnencryptedUploads).toBe(false);
  });
});

describe('s3 check: bucket policy facts', () => {
  // The check keeps the policy document; the judging layer reads it (src/services/s3/bucket-policy.ts).
  it('keeps the policy, from which the rules read whether it refuses unencrypted uploads and whether it requires KMS', async () => {
    const buckets = byName((await s3Check.run(context())).resources);
    const facts = (name: string) => analyseBucketPolicy(buckets.get(name)!.evidence.BucketPolicy!);
    expect(facts('acme-billing-exports')).toMatchObject({ deniesUnencryptedUploads: true, requiresKms: false });
    expect(facts('acme-billing-exports').statements).toEqual(['DenyIncorrectEncryptionHeader', 'DenyUnEncryptedObjectUploads']);
    expect(facts('acme-app-data')).toMatchObject({ deniesUnencryptedUploads: true, requiresKms: true });
    expect(facts('acme-app-data').statements).toEqual(['DenyNonKmsUploads']);
    // No policy at all: known to refuse nothing.
    expect(facts('acme-static-site')).toMatchObject({ deniesUnencryptedUploads: false, requiresKms: false });
    expect(buckets.get('acme-static-site')!.evidence.BucketPolicy).toBeNull();
    // … and the rule judges them where the policy asks for it.
    expect(uploadPolicyVerdict(buckets.get('acme-app-data')!)).toMatchObject({ status: 'pass' });
    expect(uploadPolicyVerdict(buckets.get('acme-billing-exports')!)).toMatchObject({ status: 'fail', message: expect.stringContaining('not SSE-S3 uploads') });
    expect(uploadPolicyVerdict(buckets.get('acme-static-site')!)).toMatchObject({ status: 'fail', message: expect.stringContaining('no bucket policy') });
  });
});

describe('s3 check: tags', () => {
  it("reads the tags from one Resource Groups Tagging API listing per Region, not one call per bucket", async () => {
    const result = await s3Check.run(context());
    const buckets = byName(result.resources);
    expect(buckets.get('acme-app-data')!.tags).toEqual({ 'aws:cloudformation:stack-name': 'acme-app-data', 'data-classification': 'restricted', owner: 'payments-team' });
    expect(buckets.get('acme-eu-archive')!.tags).toEqual({ 'data-classification': 'public' });
    // One listing per scanned Region that has buckets, never for Sydney (outside the scan).
    expect((await getResourcesCalls(tagging)).sort()).toEqual(['eu-west-1 s3:bucket', 'us-east-1 s3:bucket']);
    expect(result.errors).toEqual([]);
  });

  it('a bucket the listing does not name has no tags: tags {}, no error', async () => {
    const result = await s3Check.run(context());
    const site = byName(result.resources).get('acme-static-site')!;
    expect(site.tags).toEqual({});
    expect(site.tagsError).toBeUndefined();
    expect(result.errors).toEqual([]);
  });

  it('many pages of tagged buckets are all read', async () => {
    const many = Array.from({ length: 230 }, (_, i) => ({ ResourceARN: `arn:aws:s3:::other-${i}`, Tags: [{ Key: 'n', Value: String(i) }] }));
    answerGetResources(tagging, { ...TAGGED, 'us-east-1 s3:bucket': [...many, ...TAGGED['us-east-1 s3:bucket']!] });
    const result = await s3Check.run(context());
    expect(byName(result.resources).get('acme-app-data')!.tags).toMatchObject({ 'data-classification': 'restricted' });
    expect((await getResourcesCalls(tagging)).filter((c) => c.startsWith('us-east-1'))).toHaveLength(3);
  });

  it('AccessDenied on GetResources in one Region: the levels stand, every bucket there has tagsError and no tags, one ScanError for the Region', async () => {
    answerGetResources(tagging, TAGGED, ['us-east-1 s3:bucket']);
    const ctx = context();
    const result = await s3Check.run(ctx);
    const buckets = byName(result.resources);
    const app = buckets.get('acme-app-data')!;
    expect(app.protection.level).toBe('customer-managed');
    expect(app.error).toBeUndefined();
    expect(app).not.toHaveProperty('tags');
    expect(app.tagsError).toMatchObject({ operation: 'GetResources', code: 'AccessDeniedException' });
    expect(buckets.get('acme-static-site')!.tagsError).toMatchObject({ operation: 'GetResources' });
    // eu-west-1 is unaffected.
    expect(buckets.get('acme-eu-archive')!.tags).toEqual({ 'data-classification': 'public' });
    // The listing's failure is the TagIndex's to report once (collect adds it to scan.errors), not the check's per bucket.
    expect(result.errors).toEqual([]);
    expect(ctx.tags.errors()).toEqual([
      { service: 's3', region: 'us-east-1', operation: 'GetResources', code: 'AccessDeniedException', message: expect.stringContaining('tag:GetResources') },
    ]);
  });

  it("a bucket's GetBucketEncryption and GetBucketPolicy are asked at the same time", async () => {
    const open = new Set<string>();
    let overlapped = false;
    const slow = <T>(what: string, answer: () => T) => async () => {
      open.add(what);
      if (open.has('encryption') && open.has('policy')) overlapped = true;
      await new Promise((resolve) => setTimeout(resolve, 20));
      open.delete(what);
      return answer();
    };
    s3.on(GetBucketEncryptionCommand, { Bucket: 'acme-static-site' }).callsFake(slow('encryption', () => encryption('aes256')));
    s3.on(GetBucketPolicyCommand, { Bucket: 'acme-static-site' }).callsFake(
      slow('policy', () => {
        throw awsError('NoSuchBucketPolicy', 'The bucket policy does not exist', 404);
      }),
    );
    const site = byName((await s3Check.run(context())).resources).get('acme-static-site')!;
    expect(overlapped).toBe(true);
    expect(site.protection.level).toBe('aws-owned');
    expect(site.evidence.BucketPolicy).toBeNull();
  });
});

describe('s3 check: buckets whose region comes from GetBucketLocation', () => {
  /** The per-bucket reads: GetBucketEncryption, GetBucketPolicy (tags come from one Tagging API listing per Region). */
  const readsOf = (bucket: string) => [
    s3.commandCalls(GetBucketEncryptionCommand, { Bucket: bucket }),
    s3.commandCalls(GetBucketPolicyCommand, { Bucket: bucket }),
  ];
  const legacy = (all: Resource[]) => byName(all).get('acme-legacy-logs');

  it('asks GetBucketLocation only for the bucket ListBuckets gave no region, from the scan\'s region, and records what it said', async () => {
    const result = await s3Check.run(context());
    const calls = s3.commandCalls(GetBucketLocationCommand);
    expect(calls.map((c) => c.args[0].input)).toEqual([{ Bucket: 'acme-legacy-logs' }]);
    expect(await clientRegion(calls[0]!)).toBe('us-east-1');
    expect(legacy(result.resources)!.evidence).toMatchObject({ LocationConstraint: null, CreationDate: '2019-11-12T07:31:05.000Z' });
    expect(legacy(result.resources)!.evidence).not.toHaveProperty('BucketRegion');
    // A bucket ListBuckets placed is recorded with that region, and read there.
    const archive = byName(result.resources).get('acme-eu-archive')!;
    expect(archive.evidence.BucketRegion).toBe('eu-west-1');
    expect(archive.evidence).not.toHaveProperty('LocationConstraint');
  });

  it("an empty LocationConstraint is us-east-1 too, and the bucket is read there", async () => {
    s3.on(GetBucketLocationCommand, { Bucket: 'acme-legacy-logs' }).resolves({ LocationConstraint: '' as never });
    const logs = legacy((await s3Check.run(context())).resources)!;
    expect(logs.region).toBe('us-east-1');
    expect(logs.evidence.LocationConstraint).toBe('');
    expect(await clientRegion(s3.commandCalls(GetBucketEncryptionCommand, { Bucket: 'acme-legacy-logs' })[0]!)).toBe('us-east-1');
  });

  it('a region outside the scan: the bucket is not read, but named in outsideRegions (and logged), nothing more is read about it', async () => {
    s3.on(GetBucketLocationCommand, { Bucket: 'acme-legacy-logs' }).resolves(awsFixture('s3/get-bucket-location-ap-southeast-2.json'));
    const log: string[] = [];
    const result = await s3Check.run({ ...context(), log: (m) => log.push(m) });
    expect(legacy(result.resources)).toBeUndefined();
    expect(readsOf('acme-legacy-logs').map((calls) => calls.length)).toEqual([0, 0]);
    expect(result.errors).toEqual([]);
    // The Sydney bucket (BucketRegion) and this one (GetBucketLocation), each in the region that placed it.
    expect([...(result.outsideRegions ?? [])].sort((a, b) => a.arn.localeCompare(b.arn))).toEqual([
      { accountId: ACCOUNT, service: 's3', type: 'bucket', arn: 'arn:aws:s3:::acme-legacy-logs', region: 'ap-southeast-2' },
      { accountId: ACCOUNT, service: 's3', type: 'bucket', arn: 'arn:aws:s3:::acme-sydney-media', region: 'ap-southeast-2' },
    ]);
    expect(log).toContain('s3: 2 bucket(s) outside the scanned regions are named in scan.outsideRegions, not read');
    expect(log).toContain('s3 GetBucketLocation acme-legacy-logs');
  });

  it('a region inside the scan other than the first: read in that region (eu-west-1 by its own name)', async () => {
    s3.on(GetBucketLocationCommand, { Bucket: 'acme-legacy-logs' }).resolves({ LocationConstraint: 'eu-west-1' });
    const logs = legacy((await s3Check.run(context())).resources)!;
    expect(logs.region).toBe('eu-west-1');
    expect(await Promise.all(readsOf('acme-legacy-logs').map((calls) => clientRegion(calls[0]!)))).toEqual(['eu-west-1', 'eu-west-1']);
  });

  it('GetBucketLocation denied: the bucket is kept, unknown, in region "unknown", with the reason, its evidence and a scan error; nothing else is asked', async () => {
    s3.on(GetBucketLocationCommand, { Bucket: 'acme-legacy-logs' }).rejects(awsError('AccessDenied', 'Access Denied', 403));
    const result = await s3Check.run(context());
    expect(legacy(result.resources)).toEqual({
      arn: 'arn:aws:s3:::acme-legacy-logs',
      id: 'acme-legacy-logs',
      service: 's3',
      type: 'bucket',
      region: 'unknown',
      accountId: ACCOUNT,
      protection: { level: 'unknown', keyArn: null, keyRef: null, algorithm: null, notes: ['bucket region could not be read: GetBucketLocation AccessDenied: Access Denied'] },
      attributes: {},
      evidence: { CreationDate: '2019-11-12T07:31:05.000Z' },
      error: { operation: 'GetBucketLocation', code: 'AccessDenied', message: 'Access Denied' },
    });
    expect(result.errors).toEqual([
      { service: 's3', region: 'us-east-1', operation: 'GetBucketLocation', code: 'AccessDenied', message: 'Access Denied', resourceArn: 'arn:aws:s3:::acme-legacy-logs' },
    ]);
    expect(s3.commandCalls(GetBucketEncryptionCommand, { Bucket: 'acme-legacy-logs' })).toHaveLength(0);
  });
});

describe('s3 check: what ListBuckets gives', () => {
  it('asks for 1000 buckets a page; keeps the bucket ARN S3 gives, else builds it in the scan\'s partition', async () => {
    s3.on(ListBucketsCommand).resolves({
      Buckets: [
        { Name: 'acme-static-site', BucketRegion: 'us-east-1', BucketArn: 'arn:aws:s3:::acme-static-site-from-s3' } as never,
        { Name: 'acme-app-data', BucketRegion: 'us-east-1' },
      ],
    });
    const result = await s3Check.run({ ...context(), partition: 'aws-cn' });
    expect(s3.commandCalls(ListBucketsCommand)[0]!.args[0].input).toEqual({ MaxBuckets: 1000 });
    expect(result.resources.map((r) => r.arn).sort()).toEqual(['arn:aws-cn:s3:::acme-app-data', 'arn:aws:s3:::acme-static-site-from-s3']);
  });

  it('a ListBuckets page without Buckets (an emulator) lists nothing, and nothing is logged as skipped', async () => {
    s3.on(ListBucketsCommand).resolves({});
    const log: string[] = [];
    expect(await s3Check.run({ ...context(), log: (m) => log.push(m) })).toEqual({ resources: [], errors: [], outsideRegions: [] });
    // Besides it, only the per-Region directory-bucket listings (directory-buckets.ts).
    expect([...log].sort()).toEqual(['s3 ListBuckets', ...REGIONS.map((region) => `s3 ListDirectoryBuckets ${region}`)].sort());
  });

  it('every bucket in scope: nothing is logged as skipped', async () => {
    s3.on(ListBucketsCommand).resolves({ Buckets: [{ Name: 'acme-static-site', BucketRegion: 'us-east-1' }] });
    const log: string[] = [];
    await s3Check.run({ ...context(), log: (m) => log.push(m) });
    expect(log.filter((m) => m.includes('outside the scanned regions'))).toEqual([]);
  });

  it('a bucket without a creation date has none in its evidence', async () => {
    s3.on(ListBucketsCommand).resolves({ Buckets: [{ Name: 'acme-static-site', BucketRegion: 'us-east-1' }] });
    const [site] = (await s3Check.run(context())).resources;
    expect(site!.evidence).not.toHaveProperty('CreationDate');
  });

  it('every call goes to a client that follows region redirects; path-style addressing only under --endpoint-url', async () => {
    await s3Check.run(context());
    for (const call of s3.commandCalls(GetBucketEncryptionCommand)) {
      const config = (call.thisValue as S3Client).config;
      expect(config.followRegionRedirects).toBe(true);
      expect(config.forcePathStyle).toBe(false);
    }
    s3.resetHistory();
    const clients = new ClientFactory({ ...TEST_ACCESS, endpointUrl: 'http://127.0.0.1:4566' });
    await s3Check.run(checkContext({ regions: REGIONS, clients, keys: new KeyResolver({ clients, accountId: ACCOUNT, partition: 'aws' }) }));
    const calls = s3.commandCalls(GetBucketEncryptionCommand);
    expect(calls.length).toBeGreaterThan(0);
    for (const call of [...calls, ...s3.commandCalls(ListBucketsCommand)]) {
      const config = (call.thisValue as S3Client).config;
      expect(config.forcePathStyle).toBe(true);
      expect(config.followRegionRedirects).toBe(true);
    }
  });
});

describe('s3 check: reading the default encryption configuration', () => {
  it('takes the rule that sets a default, not merely the first; its Bucket Key and blocked types with it', async () => {
    s3.on(GetBucketEncryptionCommand, { Bucket: 'acme-static-site' }).resolves(encryption('two-rules'));
    const site = byName((await s3Check.run(context())).resources).get('acme-static-site')!;
    expect(site.protection).toMatchObject({ level: 'customer-managed', keyArn: keyArn(KEY.customer), algorithm: 'aws:kms' });
    expect(site.attributes).toMatchObject({ defaultEncryptionConfigured: true, bucketKeyEnabled: true, sseCBlocked: true, blockedEncryptionTypes: ['SSE-C'] });
  });

  it('rules without any default: as if no configuration (aws-owned since 2023-01-05), the first rule\'s other settings recorded', async () => {
    s3.on(GetBucketEncryptionCommand, { Bucket: 'acme-static-site' }).resolves({
      ServerSideEncryptionConfiguration: { Rules: [{ BucketKeyEnabled: true, BlockedEncryptionTypes: { EncryptionType: ['SSE-C'] } }] },
    });
    const site = byName((await s3Check.run(context())).resources).get('acme-static-site')!;
    expect(site.protection).toEqual({
      level: 'aws-owned',
      keyArn: null,
      keyRef: null,
      algorithm: 'AES256',
      notes: ['no default encryption configuration: S3 has encrypted every new object with SSE-S3 since 2023-01-05'],
    });
    expect(site.attributes).toMatchObject({ defaultEncryptionConfigured: false, sseAlgorithm: null, bucketKeyEnabled: true, sseCBlocked: true, dsse: false });
  });

  it('a configuration with no rules, or none at all: not configured, nothing blocked, no Bucket Key', async () => {
    s3.on(GetBucketEncryptionCommand, { Bucket: 'acme-static-site' }).resolves({});
    const site = byName((await s3Check.run(context())).resources).get('acme-static-site')!;
    expect(site.attributes).toMatchObject({ defaultEncryptionConfigured: false, bucketKeyEnabled: false, sseCBlocked: false, blockedEncryptionTypes: [], dsse: false });
    expect(site.evidence.ServerSideEncryptionConfiguration).toBeNull();
  });

  it('SSE-S3 is aws-owned with its note; an algorithm S3 does not document is unknown, saying which', async () => {
    const site = byName((await s3Check.run(context())).resources).get('acme-static-site')!;
    expect(site.protection.notes).toEqual(['SSE-S3: keys owned and managed by S3']);
    s3.on(GetBucketEncryptionCommand, { Bucket: 'acme-static-site' }).resolves({ ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:fancy' as never } }] } });
    const odd = byName((await s3Check.run(context())).resources).get('acme-static-site')!;
    expect(odd.protection).toEqual({ level: 'unknown', keyArn: null, keyRef: null, algorithm: null, notes: ['unrecognised SSEAlgorithm "aws:fancy"'] });
    s3.on(GetBucketEncryptionCommand, { Bucket: 'acme-static-site' }).resolves({ ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: {} as never }] } });
    const blank = byName((await s3Check.run(context())).resources).get('acme-static-site')!;
    expect(blank.protection.notes).toEqual(['unrecognised SSEAlgorithm ""']);
  });

  it('DSSE-KMS without a key id: the AWS managed key aws/s3, both notes in order, resolved in the bucket\'s region', async () => {
    s3.on(GetBucketEncryptionCommand, { Bucket: 'acme-static-site' }).resolves({
      ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms:dsse' } }] },
    });
    const site = byName((await s3Check.run(context())).resources).get('acme-static-site')!;
    expect(site.protection).toEqual({
      level: 'aws-managed',
      keyArn: keyArn(KEY.awsS3),
      keyRef: null,
      algorithm: 'aws:kms:dsse',
      notes: ['SSE-KMS with no key id: S3 uses the AWS managed key aws/s3', 'DSSE-KMS: two independent layers of encryption'],
    });
    expect(site.attributes).toMatchObject({ dsse: true, bucketKeyEnabled: false });
  });

  it('SSE-KMS with a key the resolver cannot read keeps the resolver\'s reason in the notes', async () => {
    s3.on(GetBucketEncryptionCommand, { Bucket: 'acme-static-site' }).resolves({
      ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: '12345678' } }] },
    });
    const site = byName((await s3Check.run(context())).resources).get('acme-static-site')!;
    expect(site.protection).toEqual({ level: 'unknown', keyArn: null, keyRef: '12345678', algorithm: 'aws:kms', notes: ['"12345678" is not a KMS key id, key ARN, alias name or alias ARN'] });
    expect(kms.commandCalls(DescribeKeyCommand, { KeyId: 'arn:aws:kms:us-east-1:111122223333:key/12345678' })).toHaveLength(0);
  });

  it('a failed GetBucketEncryption is a scan error in the bucket\'s own region; the bucket is unknown with no facts', async () => {
    s3.on(GetBucketEncryptionCommand, { Bucket: 'acme-eu-archive' }).rejects(awsError('AccessDenied', 'Access Denied', 403));
    const result = await s3Check.run(context());
    expect(result.errors).toEqual([expect.objectContaining({ region: 'eu-west-1', operation: 'GetBucketEncryption', resourceArn: 'arn:aws:s3:::acme-eu-archive' })]);
    const archive = byName(result.resources).get('acme-eu-archive')!;
    expect(archive.attributes).toEqual({});
    expect(archive.protection.level).toBe('unknown');
  });
});

describe('s3 check: bucket policy evidence and errors', () => {
  it('a readable policy is kept as evidence; a policy call failing in another region is a scan error there', async () => {
    const buckets = byName((await s3Check.run(context())).resources);
    expect(buckets.get('acme-app-data')!.evidence.BucketPolicy).toEqual(expect.anything());
    expect(buckets.get('acme-app-data')!.evidence).not.toHaveProperty('GetBucketPolicyError');
    s3.on(GetBucketPolicyCommand, { Bucket: 'acme-eu-archive' }).rejects(awsError('AccessDenied', 'Access Denied', 403));
    const result = await s3Check.run(context());
    expect(result.errors).toEqual([
      { service: 's3', region: 'eu-west-1', operation: 'GetBucketPolicy', code: 'AccessDenied', message: 'Access Denied', resourceArn: 'arn:aws:s3:::acme-eu-archive' },
    ]);
    const archive = byName(result.resources).get('acme-eu-archive')!;
    expect(archive.evidence).not.toHaveProperty('BucketPolicy');
    expect(archive.protection.level).toBe('customer-managed');
  });

  it('a policy answer without a document is recorded as no policy (as NoSuchBucketPolicy), not as unread', async () => {
    s3.on(GetBucketPolicyCommand, { Bucket: 'acme-app-data' }).resolves({});
    const result = await s3Check.run(context());
    const app = byName(result.resources).get('acme-app-data')!;
    expect(app.evidence.BucketPolicy).toBeNull();
    expect(app.evidence).not.toHaveProperty('GetBucketPolicyError');
    expect(result.errors.filter((e) => e.operation === 'GetBucketPolicy')).toEqual([]);
  });

  it('logs each call it makes, by bucket', async () => {
    const log: string[] = [];
    await s3Check.run({ ...context(), log: (m) => log.push(m) });
    expect(log).toEqual(expect.arrayContaining(['s3 ListBuckets', 's3 GetBucketEncryption acme-app-data', 's3 GetBucketPolicy acme-app-data']));
  });
});
