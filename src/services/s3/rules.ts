import { levelRule } from '../../rules/level-rule.js';
import type { Rule } from '../../rules/rule.js';
import { withDetail } from '../../rules/rule-detail.js';
import { s3BucketKeyRule } from './bucket-key-rule.js';
import { s3DirectoryBucketMatrix, s3Matrix } from './matrix.js';
import { s3SseCRule } from './sse-c-rule.js';
import { s3UploadEncryptionPolicyRule } from './upload-policy-rule.js';

/**
 * S3.ENCRYPTION_LEVEL: the bucket's default encryption against the policy
 * minimum. A default key given as an alias name or a bare key id (the check
 * records `defaultKeyResolvedInRequesterAccount`) is resolved in the
 * requester's account, which the message says whatever the verdict.
 */
export const s3EncryptionLevelRule: Rule = withDetail(
  levelRule({
    id: 'S3.ENCRYPTION_LEVEL',
    matrix: s3Matrix,
    types: ['bucket'],
    title: 'S3 bucket default encryption below the policy minimum',
  }),
  {
    detail: (resource) =>
      resource.attributes.defaultKeyResolvedInRequesterAccount === true
        ? `the default key is named "${resource.protection.keyRef ?? ''}", not by its ARN: S3 resolves an alias name or key id in the requester's account, so objects that principals of other accounts write relying on the bucket default are encrypted under their own account's key of that name (or fail), not this one; name the key by its ARN`
        : null,
  },
);

/** S3.DIRECTORY_BUCKET_ENCRYPTION: a directory bucket's default encryption against the policy minimum, on its own matrix row. */
export const s3DirectoryBucketEncryptionRule: Rule = levelRule({
  id: 'S3.DIRECTORY_BUCKET_ENCRYPTION',
  matrix: s3DirectoryBucketMatrix,
  types: ['directory-bucket'],
  title: 'S3 directory bucket default encryption below the policy minimum',
});

/** Every S3 rule, in the order `atrest rules` has always listed them (new ones last). */
export const S3_RULES: readonly Rule[] = [s3EncryptionLevelRule, s3BucketKeyRule, s3SseCRule, s3UploadEncryptionPolicyRule, s3DirectoryBucketEncryptionRule];
