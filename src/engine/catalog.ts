import { dynamodbBackupEncryptionRule, dynamodbKeyInaccessibleRule, dynamodbTableEncryptionRule } from '../services/dynamodb/rules.js';
import { EBS_RULES } from '../services/ebs/rules.js';
import { allowedKeysRule } from '../rules/allowed-keys-rule.js';
import { keyStateRule } from '../rules/key-state-rule.js';
import { KMS_KEY_RULES } from '../services/kms/key-rules.js';
import { kmsRotationRule } from '../services/kms/rotation-rule.js';
import { lambdaEnvEncryptionRule } from '../services/lambda/rules.js';
import { levelRule } from '../rules/level-rule.js';
import { RDS_RULES } from '../services/rds/rules.js';
import { redshiftClusterEncryptionRule, redshiftServerlessEncryptionRule, redshiftSnapshotEncryptionRule } from '../services/redshift/rules.js';
import { type Rule } from '../rules/rule.js';
import { s3BucketKeyRule } from '../services/s3/bucket-key-rule.js';
import { s3SseCRule } from '../services/s3/sse-c-rule.js';

/**
 * Every rule atrest evaluates, in one list. Rule ids are a public contract:
 * users waive, override and script against them. Never rename one.
 */
export const RULES: readonly Rule[] = [
  levelRule({
    id: 'S3.ENCRYPTION_LEVEL',
    service: 's3',
    types: ['bucket'],
    title: 'S3 bucket default encryption below the policy minimum',
  }),
  // EBS.VOLUME_ENCRYPTION, EBS.SNAPSHOT_ENCRYPTION, EBS.DEFAULT_ENCRYPTION, EBS.DEFAULT_KEY_LEVEL
  ...EBS_RULES,
  // RDS.INSTANCE_ENCRYPTION, RDS.CLUSTER_ENCRYPTION, RDS.SNAPSHOT_ENCRYPTION, AURORA.CLUSTER_ENCRYPTION,
  // AURORA.SNAPSHOT_ENCRYPTION, RDS.SNAPSHOT_SOURCE_MISMATCH
  ...RDS_RULES,
  keyStateRule,
  kmsRotationRule,
  ...KMS_KEY_RULES,
  s3BucketKeyRule,
  s3SseCRule,
  dynamodbTableEncryptionRule,
  dynamodbBackupEncryptionRule,
  dynamodbKeyInaccessibleRule,
  lambdaEnvEncryptionRule,
  redshiftClusterEncryptionRule,
  redshiftSnapshotEncryptionRule,
  redshiftServerlessEncryptionRule,
  allowedKeysRule,
];
