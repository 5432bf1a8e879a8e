import type { KeyRecord, Resource } from '../../../model/inventory.js';
import type { BucketDriver, KeyDriver, RegionDrivers, ResourceDriver } from '../../../model/request-cost.js';
import type { KmsRegionUsage } from '../../../model/usage.js';
import { CMK_LEVELS } from '../../../model/matrix.js';
import { compareStrings, sortBy } from '../../../util/sort.js';
import type { KmsPrices } from '../prices.js';
import { kmsCallingBuckets } from './kms-calling-buckets.js';

/**
 * What most likely generates a Region's KMS requests, from what the
 * inventory already holds: S3 buckets that call KMS on every object request
 * (with their S3 request metrics where the bucket counts them), DynamoDB
 * tables and Lambda functions on customer managed keys, and — with
 * --key-usage — the keys used most recently. CloudWatch's usage metrics are
 * per account and Region, not per key or resource: this list says where to
 * look, and only the S3 figures are measured per resource. Pure.
 */

/** A Bucket Key reduces KMS request costs by up to 99% (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html). */
export const BUCKET_KEY_REDUCTION = 0.99;

const S3_METRICS_DOCS = 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/metrics-configurations.html';

export interface DriverContext {
  prices: KmsPrices;
  /** The account's request charge after the free tier, for a number of free-tier calls fewer: for the marginal saving of a Bucket Key. */
  chargeWithFewerCalls: (accountId: string, fewerFreeTierCalls: number) => number | null;
  /** The account's request charge as measured (null when unknown). */
  charge: (accountId: string) => number | null;
}

export function regionDrivers(
  accountId: string,
  region: string,
  usage: KmsRegionUsage | undefined,
  resources: readonly Resource[],
  keys: readonly KeyRecord[],
  ctx: DriverContext,
): RegionDrivers {
  const notes: string[] = [];
  const own = resources.filter((r) => r.accountId === accountId && r.region === region);
  const keyByArn = new Map(keys.map((k) => [k.arn, k]));
  const onCustomerKey = (service: string, type: string): ResourceDriver[] =>
    sortBy(
      own
        .filter((r) => r.service === service && r.type === type && CMK_LEVELS.includes(r.protection.level))
        .map((r) => ({ arn: r.arn, type: r.type, keyArn: r.protection.keyArn, keyAlias: (r.protection.keyArn && keyByArn.get(r.protection.keyArn)?.aliases[0]) || null })),
      (d) => [d.arn],
    );
  const buckets = kmsCallingBuckets(own, region).map((b) => bucketDriver(b, usage, ctx));
  const dynamodbTables = onCustomerKey('dynamodb', 'table');
  const lambdaFunctions = onCustomerKey('lambda', 'function');
  if (dynamodbTables.length > 0) notes.push('DynamoDB tables on customer managed keys call KMS for their table keys (cached for a while per table), so their volume follows traffic only loosely; usage metrics do not split it by table');
  if (lambdaFunctions.length > 0) notes.push('Lambda functions with a customer managed key call Decrypt for their environment variables when an execution environment starts; usage metrics do not split it by function');

  const recent = keys.filter((k) => k.accountId === accountId && k.region === region && k.manager === 'CUSTOMER' && k.lastUsage !== undefined);
  const recentlyUsedKeys: KeyDriver[] | null =
    recent.length > 0 || keys.some((k) => k.lastUsage !== undefined)
      ? recent
          .filter((k) => k.lastUsage?.status === 'used' && k.lastUsage.lastUsedAt)
          .map((k) => ({ keyArn: k.arn, alias: k.aliases[0] ?? null, lastUsedAt: k.lastUsage!.lastUsedAt!, operation: k.lastUsage!.operation }))
          .sort((a, b) => compareStrings(b.lastUsedAt, a.lastUsedAt) || compareStrings(a.keyArn, b.keyArn))
      : null;
  if (recentlyUsedKeys === null) notes.push('keys used most recently: scan with --key-usage (GetKeyLastUsage) to list them');
  return { accountId, region, buckets, dynamodbTables, lambdaFunctions, recentlyUsedKeys, notes };
}

function bucketDriver(bucket: Resource, usage: KmsRegionUsage | undefined, ctx: DriverContext): BucketDriver {
  const algorithm = String(bucket.attributes.sseAlgorithm);
  const dsse = algorithm === 'aws:kms:dsse';
  const base: BucketDriver = {
    bucketArn: bucket.arn,
    region: bucket.region,
    keyArn: bucket.protection.keyArn,
    sseAlgorithm: algorithm,
    requestMetrics: 'not-read',
    getRequests: null,
    putRequests: null,
    estimatedKmsRequests: null,
    estimatedMonthlyUsd: null,
    bucketKeySavingsUsd: null,
    note: '',
  };
  const facts = usage?.s3RequestMetrics?.find((m) => m.bucketArn === bucket.arn);
  if (!facts) {
    base.note = usage ? 'request volume unknown: the bucket was not in this scan\'s usage data' : 'request volume unknown: scan with --usage to read its S3 request metrics';
    return base;
  }
  base.requestMetrics = facts.status;
  switch (facts.status) {
    case 'not-enabled':
      base.note = `request volume unknown: the bucket has no S3 request metrics configuration (request metrics are opt-in per bucket: ${S3_METRICS_DOCS})`;
      return base;
    case 'filtered-only':
      base.note = 'request volume unknown: its request metrics configurations filter by prefix, tag or access point, so none counts every request';
      return base;
    case 'unknown':
      base.note = `request volume unknown: ${facts.error ? `${facts.error.operation} ${facts.error.code}: ${facts.error.message}` : 'the request metrics could not be read'}`;
      return base;
    default:
      break;
  }
  const get = facts.getRequests ?? 0;
  const put = facts.putRequests ?? 0;
  const requests = get + put;
  const price = ctx.prices.requestPrices.classes.requests.usdPer10000;
  base.getRequests = get;
  base.putRequests = put;
  base.estimatedKmsRequests = requests;
  base.estimatedMonthlyUsd = roundUsd((requests / 10_000) * price);
  const partial = facts.error ? ` (${facts.error.code}: a lower bound)` : '';
  const measured = `S3 request metrics (filter ${facts.filterId}): ${thousands(get)} GET and ${thousands(put)} PUT requests in the period${partial}, each of which calls KMS (Decrypt or GenerateDataKey) on an SSE-KMS object without a Bucket Key — an estimate: requests for objects under other encryption, and failed ones, count too`;
  if (dsse) {
    base.note = `${measured}; DSSE-KMS cannot use a Bucket Key, so there is nothing to save that way`;
    return base;
  }
  const accountId = bucket.accountId;
  const now = ctx.charge(accountId);
  const fewer = ctx.chargeWithFewerCalls(accountId, requests * BUCKET_KEY_REDUCTION);
  if (now === null || fewer === null) {
    base.note = `${measured}; the saving of a Bucket Key cannot be estimated: the account's KMS request charge is unknown`;
    return base;
  }
  base.bucketKeySavingsUsd = roundUsd(Math.max(0, now - fewer));
  base.note = `${measured}; a Bucket Key cuts KMS requests by up to ${Math.round(BUCKET_KEY_REDUCTION * 100)}%, which would save up to $${base.bucketKeySavingsUsd.toFixed(2)} a month after the free tier`;
  return base;
}

export function thousands(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Four decimals: request charges of a quiet account are fractions of a cent. */
export function roundUsd(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
