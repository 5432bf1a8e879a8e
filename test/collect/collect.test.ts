import { DescribeKeyCommand, KMSClient, ListKeysCommand } from '@aws-sdk/client-kms';
import {
  GetBucketEncryptionCommand,
  GetBucketLocationCommand,
  GetBucketPolicyCommand,
  ListBucketsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClientFactory } from '../../src/aws/clients.js';
import { collect, type CollectOptions } from '../../src/collect/collect.js';
import type { Inventory } from '../../src/model/inventory.js';
import { formatSchemaErrors, validator } from '../../src/schema.js';
import { testClients } from '../helpers/context.js';
import { awsError, awsFixture } from '../helpers/fixtures.js';
import { KEY, OTHER_KEY_ARN, REPLICA_ARN, keyArn, mockKmsAccount, type KmsAccountOptions } from '../helpers/kms-account.js';
import { mockSdkClient } from '../helpers/mock-sdk.js';
import { answerGetResources, getResourcesCalls, mockTaggingApi } from '../helpers/tagging.js';

/**
 * collect() end to end in process: the KMS and S3 checks over two regions,
 * the shared key resolver, the inventory they produce. STS is not involved:
 * the account and principal are passed in.
 */

const s3 = mockSdkClient(S3Client);
const kms = mockSdkClient(KMSClient);
const tagging = mockTaggingApi();

function mockS3(): void {
  const page1 = awsFixture('s3/list-buckets-page-1.json');
  s3.on(ListBucketsCommand).callsFake(async (input: { ContinuationToken?: string }) =>
    input.ContinuationToken === page1.ContinuationToken ? awsFixture('s3/list-buckets-page-2.json') : page1,
  );
  s3.on(GetBucketLocationCommand, { Bucket: 'acme-legacy-logs' }).resolves(awsFixture('s3/get-bucket-location-us-east-1.json'));
  const enc = (name: string) => awsFixture(`s3/get-bucket-encryption-${name}.json`);
  s3.on(GetBucketEncryptionCommand, { Bucket: 'acme-app-data' }).resolves(enc('kms-key-arn'));
  s3.on(GetBucketEncryptionCommand, { Bucket: 'acme-billing-exports' }).resolves(enc('kms-alias-arn'));
  s3.on(GetBucketEncryptionCommand, { Bucket: 'acme-eu-archive' }).resolves(enc('dsse'));
  s3.on(GetBucketEncryptionCommand, { Bucket: 'acme-legacy-logs' }).resolves(enc('kms-other-account'));
  s3.on(GetBucketEncryptionCommand, { Bucket: 'acme-static-site' }).rejects(
    awsError('ServerSideEncryptionConfigurationNotFoundError', 'The server side encryption configuration was not found', 404),
  );
  s3.on(GetBucketPolicyCommand).rejects(awsError('NoSuchBucketPolicy', 'The bucket policy does not exist', 404));
  s3.on(GetBucketPolicyCommand, { Bucket: 'acme-app-data' }).resolves(awsFixture('s3/get-bucket-policy-require-aws-kms.json'));
  answerGetResources(tagging, { 'us-east-1 s3:bucket': awsFixture('tagging/get-resources-s3-us-east-1.json').ResourceTagMappingList });
}

let clients: ClientFactory;

function options(): CollectOptions {
  let tick = 0;
  const times = ['2026-11-28T09:00:00.000Z', '2026-11-28T09:04:12.000Z'];
  return {
    clients,
    accountId: '111122223333',
    principalArn: 'arn:aws:iam::111122223333:role/atrest-audit',
    partition: 'aws',
    regions: ['us-east-1', 'eu-west-1'],
    services: ['kms', 's3'],
    concurrency: 4,
    log: () => {},
    now: () => new Date(times[Math.min(tick++, 1)]!),
  };
}

async function run(account: KmsAccountOptions = {}): Promise<Inventory> {
  mockKmsAccount(kms, account);
  return (await collect(options())).inventory;
}

/** Plain code-unit comparison, independent of the sort helper under test. */
function ordered(tuples: string[][]): boolean {
  return tuples.every((t, i) => i === 0 || tuples[i - 1]!.join('\u0000') <= t.join('\u0000'));
}

beforeEach(() => {
  mockS3();
  clients = testClients();
});

afterEach(() => clients.destroy());

describe('collect() with kms and s3 over two regions', () => {
  it('produces an inventory that validates against schema/inventory.schema.json', async () => {
    const inventory = await run();
    const validate = validator('inventory.schema.json');
    const valid = validate(JSON.parse(JSON.stringify(inventory)));
    expect(formatSchemaErrors(validate.errors)).toEqual([]);
    expect(valid).toBe(true);
    expect(inventory.scan).toMatchObject({
      accountId: '111122223333',
      regions: ['eu-west-1', 'us-east-1'],
      services: ['kms', 's3'],
      startedAt: '2026-11-28T09:00:00.000Z',
      finishedAt: '2026-11-28T09:04:12.000Z',
      errors: [],
    });
  });

  it('lists every key of both regions and every in-scope bucket', async () => {
    const inventory = await run();
    const kmsResources = inventory.resources.filter((r) => r.service === 'kms');
    expect(kmsResources.map((r) => r.arn).sort()).toEqual(
      [keyArn(KEY.customer), keyArn(KEY.awsS3), keyArn(KEY.imported), keyArn(KEY.cloudHsm), keyArn(KEY.multiRegion), REPLICA_ARN].sort(),
    );
    expect(inventory.resources.filter((r) => r.service === 's3').map((r) => r.id)).toEqual([
      'acme-eu-archive',
      'acme-app-data',
      'acme-billing-exports',
      'acme-legacy-logs',
      'acme-static-site',
    ]);
    const buckets = new Map(inventory.resources.filter((r) => r.service === 's3').map((r) => [r.id, r.protection]));
    expect(buckets.get('acme-app-data')).toMatchObject({ level: 'customer-managed', keyArn: keyArn(KEY.customer) });
    expect(buckets.get('acme-billing-exports')).toMatchObject({ level: 'customer-managed-imported', keyArn: keyArn(KEY.imported) });
    expect(buckets.get('acme-eu-archive')).toMatchObject({ level: 'customer-managed', keyArn: REPLICA_ARN, algorithm: 'aws:kms:dsse' });
    expect(buckets.get('acme-legacy-logs')).toMatchObject({ level: 'customer-managed', keyArn: OTHER_KEY_ARN });
    expect(buckets.get('acme-static-site')).toMatchObject({ level: 'aws-owned' });
    // Tags for the policy's tag overrides: one Tagging API listing per Region, {} for a bucket it does not name.
    const tags = new Map(inventory.resources.filter((r) => r.service === 's3').map((r) => [r.id, r.tags]));
    expect(tags.get('acme-app-data')).toMatchObject({ 'data-classification': 'restricted' });
    expect(tags.get('acme-static-site')).toEqual({});
    expect((await getResourcesCalls(tagging)).filter((c) => c.endsWith('s3:bucket')).sort()).toEqual(['eu-west-1 s3:bucket', 'us-east-1 s3:bucket']);
    // keys[]: every key described, once, including the other account's.
    expect(inventory.keys.map((k) => k.arn)).toContain(OTHER_KEY_ARN);
    expect(new Set(inventory.keys.map((k) => k.arn)).size).toBe(inventory.keys.length);
  });

  it('a key named by an S3 bucket and listed by ListKeys is described once', async () => {
    await run();
    expect(kms.commandCalls(DescribeKeyCommand, { KeyId: keyArn(KEY.customer) })).toHaveLength(1);
    expect(kms.commandCalls(DescribeKeyCommand, { KeyId: keyArn(KEY.imported) })).toHaveLength(1);
    expect(kms.commandCalls(DescribeKeyCommand, { KeyId: REPLICA_ARN })).toHaveLength(1);
    const described = kms.commandCalls(DescribeKeyCommand).map((c) => String(c.args[0].input.KeyId));
    expect(described.length).toBe(new Set(described).size);
    // Six keys listed by the two regions, plus the other account's key a bucket names.
    expect(described).toHaveLength(7);
  });

  it('sorts resources, keys and errors, and is deterministic', async () => {
    const first = await run();
    expect(ordered(first.resources.map((r) => [r.service, r.type, r.region, r.arn]))).toBe(true);
    expect(ordered(first.keys.map((k) => [k.arn]))).toBe(true);
    for (const key of first.keys) expect(ordered(key.aliases.map((a) => [a]))).toBe(true);

    // A second scan of the same account, answers arriving in a different order, gives the same bytes.
    s3.reset();
    kms.reset();
    mockS3();
    const slow = new Set(['acme-app-data', 'acme-eu-archive']);
    s3.on(GetBucketEncryptionCommand).callsFake(async (input: { Bucket: string }) => {
      if (slow.has(input.Bucket)) await new Promise((resolve) => setTimeout(resolve, 20));
      const names: Record<string, string> = {
        'acme-app-data': 'kms-key-arn',
        'acme-billing-exports': 'kms-alias-arn',
        'acme-eu-archive': 'dsse',
        'acme-legacy-logs': 'kms-other-account',
      };
      if (!names[input.Bucket]) throw awsError('ServerSideEncryptionConfigurationNotFoundError', 'The server side encryption configuration was not found', 404);
      return awsFixture(`s3/get-bucket-encryption-${names[input.Bucket]}.json`);
    });
    const second = await run();
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
  });

  it('ListKeys AccessDenied in one region: a ScanError there, the other region complete', async () => {
    const inventory = await run({ listKeysDenied: ['eu-west-1'] });
    expect(inventory.scan.errors).toEqual([
      {
        service: 'kms',
        region: 'eu-west-1',
        operation: 'ListKeys',
        code: 'AccessDeniedException',
        message: expect.stringContaining('kms:ListKeys'),
      },
    ]);
    const kmsResources = inventory.resources.filter((r) => r.service === 'kms');
    expect(kmsResources.every((r) => r.region === 'us-east-1')).toBe(true);
    expect(kmsResources).toHaveLength(5);
    expect(kmsResources.every((r) => r.protection.level !== 'unknown')).toBe(true);
    // S3 is account-wide and unaffected; the eu-west-1 bucket's key is still resolved and recorded.
    expect(inventory.resources.filter((r) => r.service === 's3')).toHaveLength(5);
    expect(inventory.keys.find((k) => k.arn === REPLICA_ARN)).toMatchObject({ describable: true, level: 'customer-managed' });
    expect(validator('inventory.schema.json')(JSON.parse(JSON.stringify(inventory)))).toBe(true);
    expect(kms.commandCalls(ListKeysCommand).length).toBeGreaterThanOrEqual(3);
  });

  it('ListBuckets failing is a ScanError for s3; the KMS results of both regions are complete', async () => {
    s3.on(ListBucketsCommand).callsFake(() => {
      throw awsError('InternalError', 'We encountered an internal error. Please try again.', 500);
    });
    const inventory = await run();
    expect(inventory.scan.errors).toEqual([expect.objectContaining({ service: 's3', operation: 'ListBuckets', code: 'InternalError' })]);
    expect(inventory.resources.filter((r) => r.service === 'kms')).toHaveLength(6);
  });
});
