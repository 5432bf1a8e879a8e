import { ListBucketMetricsConfigurationsCommand, S3Client, type MetricsConfiguration } from '@aws-sdk/client-s3';
import { describeAwsError } from '../../../aws/errors.js';
import type { Resource } from '../../../model/inventory.js';
import type { BucketRequestMetrics } from '../../../model/usage.js';
import { scanError } from '../../../collect/scan-error.js';
import { mapLimited } from '../../../util/limit.js';
import type { RegionUsageContext } from './context.js';

/**
 * Whether an SSE-KMS bucket without a Bucket Key counts its requests.
 * S3 request metrics are opt-in per bucket (a metrics configuration;
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/metrics-configurations.html):
 * ListBucketMetricsConfigurations — one read-only call per bucket, IAM action
 * s3:GetMetricsConfiguration — says whether one exists, and whether it
 * covers the whole bucket (no Filter) or only a prefix, tags or an access
 * point. Only a whole-bucket configuration measures every request that
 * calls KMS; its Id is the FilterId dimension of the AWS/S3 metrics.
 */

const MAX_PAGES = 20;

export async function readBucketMetricsConfigurations(ctx: RegionUsageContext, buckets: readonly Resource[]): Promise<BucketRequestMetrics[]> {
  return mapLimited(buckets, ctx.concurrency, async (bucket) => {
    const client = ctx.clients.get(S3Client, ctx.region, { followRegionRedirects: true, ...(ctx.clients.endpointOverridden ? { forcePathStyle: true } : {}) });
    const configurations: MetricsConfiguration[] = [];
    try {
      let token: string | undefined;
      for (let page = 0; page < MAX_PAGES; page += 1) {
        ctx.log(`s3 ListBucketMetricsConfigurations ${bucket.id}`);
        const out = await client.send(new ListBucketMetricsConfigurationsCommand({ Bucket: bucket.id, ...(token ? { ContinuationToken: token } : {}) }));
        configurations.push(...(out.MetricsConfigurationList ?? []));
        const next = out.IsTruncated ? out.NextContinuationToken : undefined;
        if (!next || next === token) break;
        token = next;
      }
    } catch (e) {
      const info = describeAwsError(e);
      ctx.errors.push(scanError('kms', ctx.region, 'ListBucketMetricsConfigurations', info, bucket.arn));
      return { bucketArn: bucket.arn, bucket: bucket.id, status: 'unknown', error: { operation: 'ListBucketMetricsConfigurations', code: info.code, message: info.message } };
    }
    const whole = configurations.find((c) => c.Id && c.Filter === undefined);
    if (whole) return { bucketArn: bucket.arn, bucket: bucket.id, status: 'measured', filterId: whole.Id! };
    return { bucketArn: bucket.arn, bucket: bucket.id, status: configurations.length > 0 ? 'filtered-only' : 'not-enabled' };
  });
}
