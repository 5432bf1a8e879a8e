import type { Resource } from '../../model/inventory.js';
import type { BucketDriver } from '../../model/request-cost.js';
import type { Rule, RuleContext } from '../../rules/rule.js';
import { staticFix } from '../../rules/rule-detail.js';
import { requestCost } from '../kms/usage/request-cost.js';

/** The bucket's KMS request driver (--usage data), computed once per evaluation for every bucket. */
function driverOf(resource: Resource, context: RuleContext): BucketDriver | undefined {
  const byArn = context.memo('s3.bucketDrivers', () => {
    const inv = context.inventory;
    if (!inv.usage) return new Map<string, BucketDriver>();
    const cost = requestCost(inv.usage, inv.keys, inv.resources, inv.scan.regions, inv.scan.accountId);
    return new Map(cost.drivers.flatMap((d) => d.buckets).map((b) => [b.bucketArn, b]));
  });
  return byArn.get(resource.arn);
}

/** What the usage data say the missing Bucket Key costs, when they say anything. */
function costClause(driver: BucketDriver | undefined): string {
  if (!driver || driver.requestMetrics === 'not-read') return '';
  if (driver.estimatedKmsRequests === null) return `; ${driver.note}`;
  const usd = driver.estimatedMonthlyUsd ?? 0;
  const saving = driver.bucketKeySavingsUsd !== null ? `; a Bucket Key would save up to $${driver.bucketKeySavingsUsd.toFixed(2)} a month after the free tier (up to 99% fewer KMS requests)` : '';
  return `; S3 request metrics counted ${String(driver.estimatedKmsRequests).replace(/\B(?=(\d{3})+(?!\d))/g, ',')} GET and PUT requests in the last 30 days, about $${usd.toFixed(2)} of KMS requests a month${saving}`;
}

/** SSE-KMS without an S3 Bucket Key calls KMS for every object request: a cost finding. */
export const s3BucketKeyRule: Rule = {
  id: 'S3.BUCKET_KEY',
  title: 'S3 bucket uses SSE-KMS without a Bucket Key',
  rationale:
    'Without a Bucket Key every PUT, GET and COPY of an SSE-KMS object is a KMS request (billed, and counted against the KMS request quota). A Bucket Key cuts those requests by up to 99%. DSSE-KMS does not support Bucket Keys.',
  severity: 'low',
  matrixFacts: ['cost'],
  appliesTo: (r: Resource) =>
    r.service === 's3' && r.type === 'bucket' && (r.attributes.sseAlgorithm === 'aws:kms' || r.attributes.sseAlgorithm === 'aws:kms:dsse'),
  evaluate(resource, context) {
    if (resource.attributes.sseAlgorithm === 'aws:kms:dsse') {
      return { status: 'not-applicable', message: 'DSSE-KMS does not support S3 Bucket Keys' };
    }
    if (resource.attributes.bucketKeyEnabled === true) return { status: 'pass', message: 'Bucket Key enabled' };
    return { status: 'fail', message: `SSE-KMS without a Bucket Key: every object request calls KMS${costClause(driverOf(resource, context))}` };
  },
  ...staticFix('enable the Bucket Key in the bucket default encryption (new objects; existing objects keep per-object keys until re-copied)', (resource) => ({
    path: 'new-objects-only',
    steps: ['S3 console › bucket › Properties › Default encryption › Edit › Bucket Key: Enable'],
    cli: `aws s3api put-bucket-encryption --bucket ${resource.id} --server-side-encryption-configuration '{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms","KMSMasterKeyID":"${resource.protection.keyArn ?? 'KEY_ARN'}"},"BucketKeyEnabled":true}]}'`,
    terraform: 'rule {\n  bucket_key_enabled = true\n}',
    cloudformation: 'BucketKeyEnabled: true',
    docs: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html',
  })),
};
