import { KMSClient } from '@aws-sdk/client-kms';
import { GetBucketEncryptionCommand, ListBucketsCommand, ListDirectoryBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { beforeEach, describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/engine/engine.js';
import { BASELINE_POLICY, STRICT_POLICY } from '../../../src/policy/built-in.js';
import { s3Check } from '../../../src/services/s3/check.js';
import { zoneOfDirectoryBucket } from '../../../src/services/s3/directory-buckets.js';
import { matrixFor } from '../../../src/services/list.js';
import { checkContext } from '../../helpers/context.js';
import { inventoryFrom } from '../../helpers/dlr-inventory.js';
import { awsError, awsFixture } from '../../helpers/fixtures.js';
import { KEY, keyArn, mockKmsAccount } from '../../helpers/kms-account.js';
import { mockSdkClient } from '../../helpers/mock-sdk.js';

/**
 * S3 directory buckets (issue 10, item 9): ListBuckets does not list them;
 * ListDirectoryBuckets does, per Region, over pages; GetBucketEncryption
 * gives SSE-S3 or SSE-KMS with a customer managed key.
 */
const s3 = mockSdkClient(S3Client);
const kms = mockSdkClient(KMSClient);
const ARN = (name: string) => `arn:aws:s3express:us-east-1:111122223333:bucket/${name}`;

async function regionOf(getClient: () => unknown): Promise<string> {
  return (getClient() as S3Client).config.region();
}

beforeEach(() => {
  mockKmsAccount(kms);
  s3.on(ListBucketsCommand).resolves({ Buckets: [] });
  const page1 = awsFixture('s3/list-directory-buckets-page-1.json');
  s3.on(ListDirectoryBucketsCommand).callsFake(async (input: { ContinuationToken?: string }, getClient) => {
    if ((await regionOf(getClient)) !== 'us-east-1') return { Buckets: [] };
    return input.ContinuationToken === page1.ContinuationToken ? awsFixture('s3/list-directory-buckets-page-2.json') : page1;
  });
  s3.on(GetBucketEncryptionCommand, { Bucket: 'acme-ml-features--use1-az4--x-s3' }).resolves(awsFixture('s3/get-bucket-encryption-directory-kms.json'));
  s3.on(GetBucketEncryptionCommand, { Bucket: 'acme-shuffle--use1-az5--x-s3' }).resolves(awsFixture('s3/get-bucket-encryption-aes256.json'));
  s3.on(GetBucketEncryptionCommand, { Bucket: 'acme-checkpoints--use1-az4--x-s3' }).resolves(awsFixture('s3/get-bucket-encryption-directory-kms-no-key.json'));
});

const ctx = () => checkContext({ region: 'us-east-1', regions: ['us-east-1', 'eu-west-1'], services: ['s3'] });

describe('S3 directory buckets', () => {
  it('are listed per Region over pages, each its own resource type, with the key or SSE-S3', async () => {
    const result = await s3Check.run(ctx());
    expect(s3.commandCalls(ListDirectoryBucketsCommand)).toHaveLength(3); // two pages in us-east-1, one in eu-west-1
    const dirs = result.resources.filter((r) => r.type === 'directory-bucket');
    expect(dirs.map((r) => r.id).sort()).toEqual(['acme-checkpoints--use1-az4--x-s3', 'acme-ml-features--use1-az4--x-s3', 'acme-shuffle--use1-az5--x-s3']);
    const kmsBucket = dirs.find((r) => r.id.startsWith('acme-ml'))!;
    expect(kmsBucket).toMatchObject({ arn: ARN('acme-ml-features--use1-az4--x-s3'), service: 's3', region: 'us-east-1', attributes: { zoneId: 'use1-az4', bucketKeyEnabled: true } });
    expect(kmsBucket.protection).toMatchObject({ level: 'customer-managed', keyArn: keyArn(KEY.customer) });
    // No BucketArn in the listing: built with the Region's partition.
    const shuffle = dirs.find((r) => r.id.startsWith('acme-shuffle'))!;
    expect(shuffle).toMatchObject({ arn: ARN('acme-shuffle--use1-az5--x-s3'), protection: { level: 'aws-owned', algorithm: 'AES256' } });
    // aws:kms without a key: directory buckets do not take aws/s3, so this is not read as aws/s3.
    const noKey = dirs.find((r) => r.id.startsWith('acme-checkpoints'))!;
    expect(noKey.protection.level).toBe('unknown');
    expect(noKey.protection.notes.join()).toContain('aws/s3 is not supported');
    expect(result.errors).toEqual([]);
  });

  it('ListDirectoryBuckets denied in a Region: a scan error there whose fix names s3express:ListAllMyDirectoryBuckets; the rest still read', async () => {
    s3.on(ListDirectoryBucketsCommand).callsFake(async (_input, getClient) => {
      if ((await regionOf(getClient)) === 'eu-west-1') throw awsError('AccessDenied', 'not authorized to perform: s3express:ListAllMyDirectoryBuckets', 403);
      return awsFixture('s3/list-directory-buckets-page-2.json');
    });
    const c = ctx();
    const result = await s3Check.run(c);
    expect(result.errors).toEqual([expect.objectContaining({ service: 's3', region: 'eu-west-1', operation: 'ListDirectoryBuckets', code: 'AccessDenied' })]);
    expect(result.resources.filter((r) => r.type === 'directory-bucket')).toHaveLength(1);
    const report = evaluate(await inventoryFrom(c, result, ['s3']), BASELINE_POLICY, { failOn: 'high' });
    expect(report.findings.find((f) => f.ruleId === 'SCAN.INCOMPLETE')!.remediation!.summary).toContain('allow s3express:ListAllMyDirectoryBuckets');
  });

  it('GetBucketEncryption denied: that bucket unknown with the reason; the fix names s3express:GetEncryptionConfiguration', async () => {
    s3.on(GetBucketEncryptionCommand, { Bucket: 'acme-shuffle--use1-az5--x-s3' }).rejects(awsError('AccessDenied', 'Access Denied', 403));
    const c = ctx();
    const result = await s3Check.run(c);
    const shuffle = result.resources.find((r) => r.id === 'acme-shuffle--use1-az5--x-s3')!;
    expect(shuffle).toMatchObject({ protection: { level: 'unknown' }, error: { operation: 'GetBucketEncryption', code: 'AccessDenied' } });
    const report = evaluate(await inventoryFrom(c, result, ['s3']), BASELINE_POLICY, { failOn: 'high' });
    const incomplete = report.findings.find((f) => f.ruleId === 'SCAN.INCOMPLETE' && f.resourceArn === shuffle.arn)!;
    expect(incomplete.remediation!.summary).toContain('allow s3express:GetEncryptionConfiguration');
  });

  it('are judged by S3.DIRECTORY_BUCKET_ENCRYPTION on their own matrix row; the general purpose rules leave them alone', async () => {
    const c = ctx();
    const inv = await inventoryFrom(c, await s3Check.run(c), ['s3']);
    const rules = (policy: typeof BASELINE_POLICY) => evaluate(inv, policy, { failOn: 'high' }).findings.filter((f) => f.resourceArn.includes(':s3express:'));
    const baseline = rules(BASELINE_POLICY);
    expect([...new Set(baseline.map((f) => f.ruleId))].sort()).toEqual(['KMS.ALLOWED_KEYS', 'KMS.KEY_STATE', 'S3.DIRECTORY_BUCKET_ENCRYPTION']);
    const level = (findings: typeof baseline, name: string) => findings.find((f) => f.ruleId === 'S3.DIRECTORY_BUCKET_ENCRYPTION' && f.resourceArn === ARN(name))!;
    expect(level(baseline, 'acme-shuffle--use1-az5--x-s3').status).toBe('pass');
    const strict = rules(STRICT_POLICY);
    const shuffle = level(strict, 'acme-shuffle--use1-az5--x-s3');
    expect(shuffle).toMatchObject({ status: 'fail', severity: 'high' });
    expect(shuffle.remediation!.summary).toContain('directory bucket');
    expect(level(strict, 'acme-ml-features--use1-az4--x-s3').status).toBe('pass');
    expect(matrixFor('s3', 'directory-bucket').possibleLevels).not.toContain('aws-managed');
    expect(matrixFor('s3', 'bucket').possibleLevels).toContain('aws-managed');
  });

  it('the zone id comes from the name', () => {
    expect(zoneOfDirectoryBucket('x--usw2-az1--x-s3')).toBe('usw2-az1');
    expect(zoneOfDirectoryBucket('plain-bucket')).toBeNull();
  });
});
