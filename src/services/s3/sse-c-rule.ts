import type { Resource } from '../../model/inventory.js';
import type { Rule } from '../../rules/rule.js';
import { staticFix } from '../../rules/rule-detail.js';

/**
 * SSE-C lets a writer encrypt objects with a key the account never sees and
 * cannot audit or revoke (and ransomware has used it). Blocking it is a
 * bucket setting (BlockedEncryptionTypes).
 */
export const s3SseCRule: Rule = {
  id: 'S3.SSE_C_BLOCKED',
  title: 'S3 bucket accepts SSE-C (customer-provided keys)',
  rationale:
    'Objects written with SSE-C are encrypted under a key that only the writer holds: the account cannot audit, rotate or revoke it, and cannot read the data without it. Block SSE-C unless an application needs it.',
  severity: 'low',
  matrixFacts: ['possibleLevels'],
  appliesTo: (r: Resource) => r.service === 's3' && r.type === 'bucket' && !r.error,
  evaluate(resource) {
    if (resource.attributes.sseCBlocked === true) return { status: 'pass', message: 'SSE-C uploads are blocked' };
    return { status: 'fail', message: 'SSE-C uploads are not blocked (BlockedEncryptionTypes does not list SSE-C)' };
  },
  ...staticFix('block SSE-C in the bucket encryption configuration (BlockedEncryptionTypes: SSE-C)', (resource) => ({
    path: 'in-place',
    steps: ['S3 console › bucket › Properties › Default encryption › Edit › Blocked encryption types: SSE-C'],
    // Keep the bucket's current default encryption: put-bucket-encryption replaces the whole configuration.
    cli: `aws s3api put-bucket-encryption --bucket ${resource.id} --server-side-encryption-configuration '${JSON.stringify({
      Rules: [
        {
          ApplyServerSideEncryptionByDefault: {
            SSEAlgorithm: resource.attributes.sseAlgorithm ?? 'AES256',
            ...(resource.protection.keyRef ? { KMSMasterKeyID: resource.protection.keyRef } : {}),
          },
          ...(resource.attributes.bucketKeyEnabled === true ? { BucketKeyEnabled: true } : {}),
          BlockedEncryptionTypes: { EncryptionType: ['SSE-C'] },
        },
      ],
    })}'`,
    docs: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/blocking-unblocking-s3-c-encryption-gpb.html',
  })),
};
