import type { Resource } from '../../model/inventory.js';
import type { Rule } from '../../rules/rule.js';
import { staticFix } from '../../rules/rule-detail.js';

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
  evaluate(resource) {
    if (resource.attributes.sseAlgorithm === 'aws:kms:dsse') {
      return { status: 'not-applicable', message: 'DSSE-KMS does not support S3 Bucket Keys' };
    }
    if (resource.attributes.bucketKeyEnabled === true) return { status: 'pass', message: 'Bucket Key enabled' };
    return { status: 'fail', message: 'SSE-KMS without a Bucket Key: every object request calls KMS' };
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
