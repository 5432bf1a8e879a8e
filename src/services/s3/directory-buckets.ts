import { GetBucketEncryptionCommand, paginateListDirectoryBuckets, type Bucket, type S3Client } from '@aws-sdk/client-s3';
import { partitionFor } from '../../aws/arn.js';
import { describeAwsError } from '../../aws/errors.js';
import type { CheckContext, CheckResult } from '../../collect/check.js';
import { toJson } from '../../collect/evidence.js';
import { awsOwned, protectionFromKey, unreadable } from '../../collect/protection.js';
import { scanError } from '../../collect/scan-error.js';
import type { Json, Resource, ScanError } from '../../model/inventory.js';
import { mapLimited } from '../../util/limit.js';

/**
 * S3 directory buckets (S3 Express One Zone), type `directory-bucket`.
 * ListBuckets does not list them: ListDirectoryBuckets does, one Region at a
 * time, on the Regional s3express-control endpoint (IAM action
 * s3express:ListAllMyDirectoryBuckets). GetBucketEncryption works on them too
 * (s3express:GetEncryptionConfiguration) and answers SSE-S3 (AES256) or
 * SSE-KMS with a customer managed key id or ARN: directory buckets support
 * neither aws/s3 nor key aliases (see s3DirectoryBucketMatrix in matrix.ts
 * for the sources). Called from the S3 check, in its own module so that the
 * S3 check's structure stays as it is.
 */
export async function readDirectoryBuckets(ctx: CheckContext, regions: readonly string[], clientFor: (region: string) => S3Client): Promise<CheckResult> {
  const results = await Promise.all(regions.map((region) => readRegion(ctx, region, clientFor(region))));
  return { resources: results.flatMap((r) => r.resources), errors: results.flatMap((r) => r.errors) };
}

async function readRegion(ctx: CheckContext, region: string, client: S3Client): Promise<CheckResult> {
  const buckets: Bucket[] = [];
  try {
    ctx.log(`s3 ListDirectoryBuckets ${region}`);
    // An empty answer (some emulators send none) is no buckets.
    for await (const page of paginateListDirectoryBuckets({ client, pageSize: 1000, stopOnSameToken: true }, {})) buckets.push(...(page?.Buckets ?? []));
  } catch (error) {
    return { resources: [], errors: [scanError('s3', region, 'ListDirectoryBuckets', describeAwsError(error))] };
  }
  const errors: ScanError[] = [];
  const resources = await mapLimited(
    buckets.filter((b) => b.Name),
    ctx.fanOut,
    async (bucket) => {
      const read = await readBucket(ctx, region, client, bucket);
      errors.push(...read.errors);
      return read.resource;
    },
  );
  return { resources, errors };
}

/** `bucket-base-name--usw2-az1--x-s3` → `usw2-az1`: the Availability Zone (or Local Zone) id the name carries. */
export function zoneOfDirectoryBucket(name: string): string | null {
  return /--([a-z0-9-]+?)--x-s3$/.exec(name)?.[1] ?? null;
}

async function readBucket(ctx: CheckContext, listedIn: string, client: S3Client, bucket: Bucket): Promise<{ resource: Resource; errors: ScanError[] }> {
  const name = bucket.Name!;
  const region = bucket.BucketRegion || listedIn;
  const arn = bucket.BucketArn || `arn:${partitionFor(region, ctx.partition)}:s3express:${region}:${ctx.accountId}:bucket/${name}`;
  const evidence: { [key: string]: Json } = { Name: name, BucketRegion: bucket.BucketRegion ?? null, BucketArn: bucket.BucketArn ?? null };
  if (bucket.CreationDate) evidence.CreationDate = bucket.CreationDate.toISOString();
  const resource: Resource = {
    arn,
    id: name,
    service: 's3',
    type: 'directory-bucket',
    region,
    accountId: ctx.accountId,
    protection: unreadable('not read'),
    attributes: { zoneId: zoneOfDirectoryBucket(name) },
    evidence,
  };
  try {
    ctx.log(`s3 GetBucketEncryption ${name}`);
    const out = await client.send(new GetBucketEncryptionCommand({ Bucket: name }));
    evidence.ServerSideEncryptionConfiguration = toJson(out.ServerSideEncryptionConfiguration ?? null);
    const rules = out.ServerSideEncryptionConfiguration?.Rules ?? [];
    const rule = rules.find((r) => r.ApplyServerSideEncryptionByDefault) ?? rules[0];
    const algorithm = rule?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm ?? null;
    const keyRef = rule?.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID || null;
    resource.attributes.sseAlgorithm = algorithm;
    resource.attributes.bucketKeyEnabled = typeof rule?.BucketKeyEnabled === 'boolean' ? rule.BucketKeyEnabled : null;
    if (!algorithm || algorithm === 'AES256') {
      resource.protection = awsOwned('AES256', [algorithm ? 'SSE-S3: keys owned and managed by S3' : 'no default encryption rule: directory buckets encrypt every object with SSE-S3']);
    } else if (algorithm === 'aws:kms' && keyRef) {
      const notes = keyRef.startsWith('alias/') || keyRef.includes(':alias/') ? ['directory buckets do not support key aliases for SSE-KMS: S3 documents key ids and key ARNs only'] : [];
      resource.protection = protectionFromKey(keyRef, await ctx.keys.resolve(keyRef, region), algorithm, notes);
    } else if (algorithm === 'aws:kms') {
      // aws/s3 is not supported by directory buckets, so "no key id" does not mean aws/s3 here.
      resource.protection = unreadable('SSE-KMS without a KMSMasterKeyID: directory buckets take only a customer managed key (aws/s3 is not supported), and none is named', null);
    } else {
      resource.protection = unreadable(`unrecognised SSEAlgorithm "${algorithm}" for a directory bucket`);
    }
    return { resource, errors: [] };
  } catch (error) {
    const info = describeAwsError(error);
    if (info.code === 'ServerSideEncryptionConfigurationNotFoundError') {
      evidence.GetBucketEncryption = info.code;
      resource.attributes.sseAlgorithm = null;
      resource.protection = awsOwned('AES256', ['no default encryption configuration: directory buckets encrypt every object with SSE-S3']);
      return { resource, errors: [] };
    }
    resource.protection = unreadable(info.code === 'NoSuchBucket' ? 'the directory bucket was deleted during the scan' : `GetBucketEncryption failed: ${info.code}: ${info.message}`);
    resource.error = { operation: 'GetBucketEncryption', code: info.code, message: info.message };
    return { resource, errors: [scanError('s3', region, 'GetBucketEncryption', info, arn)] };
  }
}
