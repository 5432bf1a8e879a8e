import { levelRule } from '../../rules/level-rule.js';
import type { Rule } from '../../rules/rule.js';
import { s3BucketKeyRule } from './bucket-key-rule.js';
import { s3Matrix } from './matrix.js';
import { s3SseCRule } from './sse-c-rule.js';
import { s3UploadEncryptionPolicyRule } from './upload-policy-rule.js';

/** S3.ENCRYPTION_LEVEL: the bucket's default encryption against the policy minimum. */
export const s3EncryptionLevelRule: Rule = levelRule({
  id: 'S3.ENCRYPTION_LEVEL',
  matrix: s3Matrix,
  types: ['bucket'],
  title: 'S3 bucket default encryption below the policy minimum',
});

/** Every S3 rule. */
export const S3_RULES: readonly Rule[] = [s3EncryptionLevelRule, s3BucketKeyRule, s3SseCRule, s3UploadEncryptionPolicyRule];
