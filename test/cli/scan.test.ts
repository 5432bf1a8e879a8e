import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { DescribeKeyCommand, GetKeyPolicyCommand, GetKeyRotationStatusCommand, KMSClient, ListAliasesCommand, ListGrantsCommand, ListKeyRotationsCommand, ListKeysCommand, ListResourceTagsCommand } from '@aws-sdk/client-kms';
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetBucketEncryptionCommand, GetBucketPolicyCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runScan } from '../../src/commands/scan.js';
import { runCollect } from '../../src/commands/collect.js';
import { UsageError } from '../../src/errors.js';
import { validator } from '../../src/schema.js';
import { ACCOUNT } from '../helpers/context.js';
import { awsError } from '../helpers/fixtures.js';
import { mockSdkClient } from '../helpers/mock-sdk.js';
import { answerGetResources, getResourcesCalls, mockTaggingApi } from '../helpers/tagging.js';
import { sarifProblems } from '../helpers/sarif.js';
import { findAll, parseXml } from '../helpers/xml.js';

/**
 * `scan` and `collect` end to end in one process, with every AWS call
 * answered by aws-sdk-client-mock: session set-up (STS per region), checks,
 * engine and reporter together.
 */
const sts = mockSdkClient(STSClient);
const kms = mockSdkClient(KMSClient);
const tagging = mockTaggingApi();
const s3 = mockSdkClient(S3Client);
const ec2 = mockSdkClient(EC2Client);
const KEY = '1234abcd-12ab-34cd-56ef-1234567890ab';
const KEY_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/${KEY}`;
const flags = {
  regions: 'us-east-1,eu-west-1',
  services: ['kms', 's3'] as ('kms' | 's3')[],
  concurrency: 4,
  maxAttempts: 2,
  format: 'json' as const,
  failOn: 'high' as const,
  policy: 'baseline',
  quiet: true,
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'atrest-scan-'));
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDTEST');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test-secret');
  sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/atrest-audit/ci`, UserId: 'AROAEXAMPLE:ci' });
  ec2.on(DescribeRegionsCommand).resolves({
    Regions: [
      { RegionName: 'eu-west-1', OptInStatus: 'opt-in-not-required', Endpoint: 'ec2.eu-west-1.amazonaws.com' },
      { RegionName: 'us-east-1', OptInStatus: 'opt-in-not-required', Endpoint: 'ec2.us-east-1.amazonaws.com' },
      { RegionName: 'ap-east-1', OptInStatus: 'not-opted-in', Endpoint: 'ec2.ap-east-1.amazonaws.com' },
    ],
  });
  // The account's one key, listed by the KMS check in its Region with its governance facts (every key record is judged).
  kms.on(ListKeysCommand).resolves({ Keys: [], Truncated: false });
  kms.on(ListKeysCommand).callsFake(async (_input, getClient) =>
    (await (getClient() as KMSClient).config.region()) === 'us-east-1' ? { Keys: [{ KeyId: KEY, KeyArn: KEY_ARN }], Truncated: false } : { Keys: [], Truncated: false },
  );
  kms.on(GetKeyPolicyCommand).resolves({
    PolicyName: 'default',
    Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }] }),
  });
  kms.on(ListGrantsCommand).resolves({ Grants: [], Truncated: false });
  kms.on(ListResourceTagsCommand).resolves({ Tags: [], Truncated: false });
  kms.on(ListKeyRotationsCommand).resolves({ Rotations: [], Truncated: false });
  kms.on(ListAliasesCommand).resolves({ Aliases: [{ AliasName: 'alias/app-data', AliasArn: `arn:aws:kms:us-east-1:${ACCOUNT}:alias/app-data`, TargetKeyId: KEY }], Truncated: false });
  kms.on(DescribeKeyCommand).resolves({
    KeyMetadata: { AWSAccountId: ACCOUNT, KeyId: KEY, Arn: KEY_ARN, KeyManager: 'CUSTOMER', Origin: 'AWS_KMS', KeyState: 'Enabled', Enabled: true, KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT', MultiRegion: false },
  });
  kms.on(GetKeyRotationStatusCommand).resolves({ KeyRotationEnabled: true, RotationPeriodInDays: 365, KeyId: KEY_ARN });
  s3.on(ListBucketsCommand).resolves({ Buckets: [{ Name: 'app-uploads', BucketRegion: 'us-east-1', CreationDate: new Date('2024-01-01T00:00:00Z') }] });
  s3.on(GetBucketEncryptionCommand).resolves({
    ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'alias/app-data' }, BucketKeyEnabled: true, BlockedEncryptionTypes: { EncryptionType: ['SSE-C'] } }] },
  });
  s3.on(GetBucketPolicyCommand).rejects(awsError('NoSuchBucketPolicy', 'The bucket policy does not exist', 404));
  answerGetResources(tagging, { 'us-east-1 s3:bucket': [{ ResourceARN: 'arn:aws:s3:::app-uploads', Tags: [{ Key: 'team', Value: 'uploads' }] }] });
});
afterEach(() => vi.unstubAllEnvs());

describe('atrest scan (in process, mocked AWS)', () => {
  it('identifies the account in every region, scans, and writes a schema-valid report; exit 0 when all passes', async () => {
    const output = join(dir, 'report.json');
    const code = await runScan({ ...flags, output });
    const report = JSON.parse(readFileSync(output, 'utf8'));
    expect(validator('report.schema.json')(report)).toBe(true);
    expect(code).toBe(0);
    expect(report.scan).toMatchObject({ accountId: ACCOUNT, partition: 'aws', regions: ['eu-west-1', 'us-east-1'], services: ['kms', 's3'] });
    expect(sts.commandCalls(GetCallerIdentityCommand)).toHaveLength(2);
    const bucket = report.resources.find((r: { id: string }) => r.id === 'app-uploads');
    expect(bucket.protection).toMatchObject({ level: 'customer-managed', keyArn: KEY_ARN, keyRef: 'alias/app-data' });
    expect(bucket.tags).toEqual({ team: 'uploads' });
    expect(await getResourcesCalls(tagging)).toContain('us-east-1 s3:bucket');
    // ListBuckets answers for every region: S3 runs once per scan.
    expect(s3.commandCalls(ListBucketsCommand)).toHaveLength(1);
    expect(kms.commandCalls(DescribeKeyCommand)).toHaveLength(1);
  });

  it('writes SARIF and JUnit from a live scan with the exit code json gives (3 when a call failed)', async () => {
    answerGetResources(tagging, {}, ['us-east-1 s3:bucket']);
    s3.on(GetBucketEncryptionCommand).rejects(awsError('AccessDenied', 'not authorized to perform: s3:GetEncryptionConfiguration', 403));
    const json = await runScan({ ...flags, output: join(dir, 'report.json') });
    const sarifFile = join(dir, 'report.sarif');
    const junitFile = join(dir, 'report.xml');
    expect(await runScan({ ...flags, format: 'sarif', output: sarifFile })).toBe(json);
    expect(await runScan({ ...flags, format: 'junit', output: junitFile })).toBe(json);
    expect(json).toBe(3);
    const sarif = JSON.parse(readFileSync(sarifFile, 'utf8'));
    expect(sarifProblems(sarif)).toEqual([]);
    const unknown = sarif.runs[0].results.filter((r: { properties: { status: string } }) => r.properties.status === 'unknown');
    expect(unknown.length).toBeGreaterThan(0);
    expect(unknown.every((r: { level: string }) => r.level === 'warning')).toBe(true);
    const errors = findAll(parseXml(readFileSync(junitFile, 'utf8')), 'error');
    expect(errors.length).toBe(unknown.length);
    expect(errors.some((e) => e.attrs.message!.includes('s3:GetBucketEncryption failed'))).toBe(true);
  });

  it('a region that cannot be reached is a usage error before anything is scanned', async () => {
    sts.on(GetCallerIdentityCommand).callsFake(async (_input) => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND sts.us-east-9.amazonaws.com'), { name: 'Error', code: 'ENOTFOUND' });
    });
    await expect(runScan({ ...flags, regions: 'us-east-9', output: join(dir, 'x.json') })).rejects.toThrow(UsageError);
    await expect(runScan({ ...flags, regions: 'us-east-9', output: join(dir, 'x.json') })).rejects.toThrow(/does the region exist/);
    expect(s3.commandCalls(ListBucketsCommand)).toHaveLength(0);
  });

  it('invalid credentials are a usage error (exit 2), not a scan full of unknowns', async () => {
    sts.on(GetCallerIdentityCommand).rejects(awsError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403));
    await expect(runScan({ ...flags, output: join(dir, 'x.json') })).rejects.toThrow(/no usable AWS credentials/);
  });

  it('collect writes an inventory and exits 3 when a call failed', async () => {
    s3.on(GetBucketEncryptionCommand).rejects(awsError('AccessDenied', 'Access Denied', 403));
    const output = join(dir, 'inventory.json');
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const code = await runCollect({ ...flags, output });
    stderr.mockRestore();
    const inventory = JSON.parse(readFileSync(output, 'utf8'));
    expect(validator('inventory.schema.json')(inventory)).toBe(true);
    expect(code).toBe(3);
    expect(inventory.scan.errors).toEqual([
      expect.objectContaining({ service: 's3', operation: 'GetBucketEncryption', code: 'AccessDenied', resourceArn: 'arn:aws:s3:::app-uploads' }),
    ]);
    expect(inventory.resources.find((r: { id: string }) => r.id === 'app-uploads').protection.level).toBe('unknown');
  });
});
