import {
  GetBucketEncryptionCommand,
  GetBucketLocationCommand,
  GetBucketPolicyCommand,
  S3Client,
  paginateListBuckets,
  type Bucket,
  type ServerSideEncryptionRule,
} from '@aws-sdk/client-s3';
import { describeAwsError } from '../../aws/errors.js';
import type { Json, Resource, ScanError } from '../../model/inventory.js';
import type { OutsideScan } from '../../model/reach.js';
import { mapLimited } from '../../util/limit.js';
import { jsonTextEvidence, toJson } from '../../collect/evidence.js';
import { awsOwned, protectionFromKey, unreadable } from '../../collect/protection.js';
import type { CheckContext, CheckResult, ServiceCheck } from '../../collect/check.js';
import { scanError } from '../../collect/scan-error.js';
import { S3_DEFAULT_ENCRYPTION_DATE } from './matrix.js';
import { readDirectoryBuckets } from './directory-buckets.js';

/**
 * The S3 check. ListBuckets answers for every region at once, so this check
 * runs once per scan and keeps the buckets in the scanned regions.
 *
 * S3 has encrypted every new object with SSE-S3 since 2023-01-05, including in
 * buckets with no encryption configuration: such a bucket is `aws-owned`,
 * never `none`.
 *
 * Per bucket, in the bucket's own region: GetBucketEncryption and
 * GetBucketPolicy, at the same time (neither needs the other), and its tags
 * from the Region's Resource Groups Tagging API listing (collect/tag-index.ts),
 * not one GetBucketTagging each. Buckets are read Region by Region in
 * parallel, each Region through its own S3 gate (--concurrency calls in
 * flight), so a slow or throttled Region never holds the others back.
 * GetBucketLocation is only asked of a bucket ListBuckets gave no
 * BucketRegion for.
 */

export const s3Check: ServiceCheck = {
  async run(ctx: CheckContext): Promise<CheckResult> {
    const errors: ScanError[] = [];
    const listClient = s3Client(ctx, ctx.region);
    // Directory buckets are listed per Region, by their own call
    // (directory-buckets.ts), independent of ListBuckets: started at once.
    const directoryRead = readDirectoryBuckets(ctx, ctx.regions, (region) => s3Client(ctx, region));
    const buckets: Bucket[] = [];
    try {
      ctx.log('s3 ListBuckets');
      for await (const page of paginateListBuckets({ client: listClient, pageSize: 1000, stopOnSameToken: true }, {})) {
        buckets.push(...(page.Buckets ?? []));
      }
    } catch (error) {
      const info = describeAwsError(error);
      errors.push(scanError('s3', ctx.region, 'ListBuckets', info));
      // General purpose buckets unseen; directory buckets have their own listing.
      const directory = await directoryRead;
      return { resources: directory.resources, errors: [...errors, ...directory.errors] };
    }

    // One group per Region ListBuckets named (buckets it named none for are
    // located first, through the listing Region's client, as their own group).
    const groups = new Map<string, Bucket[]>();
    for (const bucket of buckets) {
      const key = bucket.BucketRegion ?? '';
      const group = groups.get(key) ?? [];
      group.push(bucket);
      groups.set(key, group);
    }
    const results = (
      await Promise.all(
        // (A bucket of a Region outside the scan costs no call: readBucket only names it.)
        [...groups.values()].map((group) => mapLimited(group, ctx.fanOut, (bucket) => readBucket(ctx, bucket))),
      )
    ).flat();
    const resources: Resource[] = [];
    const outsideRegions: OutsideScan[] = [];
    for (const result of results) {
      errors.push(...result.errors);
      if (result.resource) resources.push(result.resource);
      if (result.outside) outsideRegions.push(result.outside);
    }
    if (outsideRegions.length > 0) ctx.log(`s3: ${outsideRegions.length} bucket(s) outside the scanned regions are named in scan.outsideRegions, not read`);
    const directory = await directoryRead;
    return { resources: [...resources, ...directory.resources], errors: [...errors, ...directory.errors], outsideRegions };
  },
};

function s3Client(ctx: CheckContext, region: string): S3Client {
  // Path-style addressing for --endpoint-url (emulators, VPC endpoints);
  // follow region redirects in case a bucket's region was reported wrong.
  return ctx.clients.get(S3Client, region, {
    followRegionRedirects: true,
    ...(ctx.clients.endpointOverridden ? { forcePathStyle: true } : {}),
  });
}

interface BucketResult {
  resource: Resource | null;
  errors: ScanError[];
  /** A bucket in a region the scan was not asked for. */
  outside?: OutsideScan;
}

/** What GetBucketEncryption said: a configuration (or none), or why it could not be read. */
type EncryptionRead = { configured: boolean; rule: ServerSideEncryptionRule | undefined; config: Json; notFound: boolean } | { error: ReturnType<typeof describeAwsError> };

async function readEncryption(ctx: CheckContext, client: S3Client, name: string): Promise<EncryptionRead> {
  try {
    ctx.log(`s3 GetBucketEncryption ${name}`);
    const out = await client.send(new GetBucketEncryptionCommand({ Bucket: name }));
    const rules = out.ServerSideEncryptionConfiguration?.Rules ?? [];
    const rule = rules.find((r) => r.ApplyServerSideEncryptionByDefault) ?? rules[0];
    return { configured: Boolean(rule?.ApplyServerSideEncryptionByDefault), rule, config: toJson(out.ServerSideEncryptionConfiguration ?? null), notFound: false };
  } catch (error) {
    const info = describeAwsError(error);
    if (info.code === 'ServerSideEncryptionConfigurationNotFoundError') return { configured: false, rule: undefined, config: null, notFound: true };
    return { error: info };
  }
}

type PolicyRead = { policy: string | null } | { error: ReturnType<typeof describeAwsError> };

async function readPolicy(ctx: CheckContext, client: S3Client, name: string): Promise<PolicyRead> {
  try {
    ctx.log(`s3 GetBucketPolicy ${name}`);
    const out = await client.send(new GetBucketPolicyCommand({ Bucket: name }));
    return { policy: out.Policy ?? '' };
  } catch (error) {
    const info = describeAwsError(error);
    if (info.code === 'NoSuchBucketPolicy') return { policy: null };
    return { error: info };
  }
}

async function readBucket(ctx: CheckContext, bucket: Bucket): Promise<BucketResult> {
  const errors: ScanError[] = [];
  const name = bucket.Name;
  if (!name) return { resource: null, errors };
  const arn = bucket.BucketArn ?? `arn:${ctx.partition}:s3:::${name}`;
  const evidence: { [key: string]: Json } = {};
  if (bucket.CreationDate) evidence.CreationDate = bucket.CreationDate.toISOString();

  let region = bucket.BucketRegion ?? null;
  if (region) {
    evidence.BucketRegion = region;
  } else {
    try {
      ctx.log(`s3 GetBucketLocation ${name}`);
      const out = await s3Client(ctx, ctx.region).send(new GetBucketLocationCommand({ Bucket: name }));
      evidence.LocationConstraint = out.LocationConstraint ?? null;
      region = locationToRegion(out.LocationConstraint);
    } catch (error) {
      const info = describeAwsError(error);
      errors.push(scanError('s3', ctx.region, 'GetBucketLocation', info, arn));
      // Without a region we cannot tell whether the bucket is in scope: report it, never drop it.
      return {
        resource: {
          arn, id: name, service: 's3', type: 'bucket', region: 'unknown', accountId: ctx.accountId,
          protection: unreadable(`bucket region could not be read: GetBucketLocation ${info.code}: ${info.message}`),
          attributes: {}, evidence,
          error: { operation: 'GetBucketLocation', code: info.code, message: info.message },
        },
        errors,
      };
    }
  }
  if (!ctx.regions.includes(region)) {
    return { resource: null, errors, outside: { accountId: ctx.accountId, service: 's3', type: 'bucket', arn, region } };
  }

  const client = s3Client(ctx, region);
  const resource: Resource = {
    arn, id: name, service: 's3', type: 'bucket', region, accountId: ctx.accountId,
    protection: unreadable('not read'),
    attributes: {},
    evidence,
  };

  // Independent reads, at the same time.
  const [encryption, policy, tags] = await Promise.all([
    readEncryption(ctx, client, name),
    readPolicy(ctx, client, name),
    ctx.tags.tagsOf('s3:bucket', region, arn),
  ]);

  // The bucket policy, kept whole: the rules read whether it refuses
  // unencrypted uploads (src/services/s3/bucket-policy.ts). null: no policy.
  if ('error' in policy) {
    errors.push(scanError('s3', region, 'GetBucketPolicy', policy.error, arn));
    evidence.GetBucketPolicyError = { code: policy.error.code, message: policy.error.message };
  } else {
    evidence.BucketPolicy = policy.policy ? jsonTextEvidence(policy.policy) : null;
  }

  // Tags, for the policy's tag overrides. The level stands if they cannot be
  // read; only which tag override applies is unknown (the rules say so).
  if ('error' in tags) resource.tagsError = tags.error;
  else resource.tags = tags.tags;

  // Default encryption.
  if ('error' in encryption) {
    const info = encryption.error;
    errors.push(scanError('s3', region, 'GetBucketEncryption', info, arn));
    const reason =
      info.code === 'NoSuchBucket'
        ? 'the bucket was deleted during the scan'
        : `GetBucketEncryption failed: ${info.code}: ${info.message}`;
    resource.protection = unreadable(reason);
    resource.error = { operation: 'GetBucketEncryption', code: info.code, message: info.message };
    return { resource, errors };
  }
  if (encryption.notFound) evidence.GetBucketEncryption = 'ServerSideEncryptionConfigurationNotFoundError';
  else evidence.ServerSideEncryptionConfiguration = encryption.config;
  const { configured, rule } = encryption;

  const byDefault = rule?.ApplyServerSideEncryptionByDefault;
  const algorithm = byDefault?.SSEAlgorithm ?? null;
  const keyRef = byDefault?.KMSMasterKeyID ?? null;
  resource.attributes.defaultEncryptionConfigured = configured;
  resource.attributes.sseAlgorithm = algorithm;
  resource.attributes.bucketKeyEnabled = typeof rule?.BucketKeyEnabled === 'boolean' ? rule.BucketKeyEnabled : false;
  resource.attributes.dsse = algorithm === 'aws:kms:dsse';
  // Absent means nothing is blocked: the field only lists blocks.
  const blocked = rule?.BlockedEncryptionTypes?.EncryptionType ?? [];
  resource.attributes.blockedEncryptionTypes = blocked.filter((t) => t !== 'NONE');
  resource.attributes.sseCBlocked = blocked.includes('SSE-C');

  if (!configured) {
    resource.protection = awsOwned('AES256', [
      `no default encryption configuration: S3 has encrypted every new object with SSE-S3 since ${S3_DEFAULT_ENCRYPTION_DATE}`,
    ]);
  } else if (algorithm === 'AES256') {
    resource.protection = awsOwned('AES256', ['SSE-S3: keys owned and managed by S3']);
  } else if (algorithm === 'aws:kms' || algorithm === 'aws:kms:dsse') {
    // aws:kms with no key id means the account's AWS managed key aws/s3.
    const ref = keyRef ?? 'alias/aws/s3';
    const resolution = await ctx.keys.resolve(ref, region);
    const notes = keyRef ? [] : ['SSE-KMS with no key id: S3 uses the AWS managed key aws/s3'];
    if (algorithm === 'aws:kms:dsse') notes.push('DSSE-KMS: two independent layers of encryption');
    resource.protection = protectionFromKey(keyRef, resolution, algorithm, notes);
    // A default key named by alias name or bare key id, not by ARN, is
    // resolved by KMS in the account of whoever writes the object: "If you use
    // a KMS key alias instead, then AWS KMS resolves the key within the
    // requester's account" (ServerSideEncryptionByDefault, S3 API reference);
    // a key id names no account at all, so KMS reads it as the caller's
    // ("To specify a KMS key in a different AWS account, you must use its key
    // ARN or alias ARN", KMS key identifiers). The rule says what follows.
    resource.attributes.defaultKeyResolvedInRequesterAccount = keyRef !== null && !keyRef.trim().startsWith('arn:');
  } else {
    resource.protection = unreadable(`unrecognised SSEAlgorithm "${algorithm ?? ''}"`);
  }
  return { resource, errors };
}

/** GetBucketLocation answers null or '' for us-east-1 and the legacy 'EU' for eu-west-1. */
export function locationToRegion(constraint: string | null | undefined): string {
  if (!constraint) return 'us-east-1';
  if (constraint === 'EU') return 'eu-west-1';
  return constraint;
}
