import { CMK_LEVELS, type ServiceMatrixEntry } from '../../model/matrix.js';

/** Aurora encrypts clusters created on or after this date by default, with an AWS owned key unless a KMS key is chosen. The one place this date is written: the check and the rules read it from here. */
export const AURORA_DEFAULT_ENCRYPTION_DATE = '2026-02-18';

/** How Amazon Aurora does encryption at rest: its row of the matrix (`atrest matrix`), with the page each fact comes from. */
export const auroraMatrix: ServiceMatrixEntry = {
  service: 'aurora',
  name: 'Amazon Aurora',
  resourceTypes: ['db-cluster', 'db-cluster-snapshot', 'db-cluster-automated-backup'],
  encryptedByDefault: 'default',
  defaultSince: AURORA_DEFAULT_ENCRYPTION_DATE,
  defaultLevel: 'aws-owned',
  defaultDescription:
    `clusters created on or after ${AURORA_DEFAULT_ENCRYPTION_DATE} are encrypted at rest by default with an AWS owned key (StorageEncryptionType sse-rds) unless a KMS key is chosen; clusters created before then are encrypted only if StorageEncrypted was set, and the default does not reach them`,
  possibleLevels: ['none', 'aws-owned', 'aws-managed', ...CMK_LEVELS],
  granularity: 'DB cluster (every instance, log, backup and snapshot of the cluster)',
  enableAfterCreation: false,
  changeKeyAfterCreation: false,
  remediationPath: 'rebuild-from-encrypted-copy',
  remediation: {
    summary: 'snapshot the cluster, restore the snapshot to a new cluster with --kms-key-id, add instances, cut over, delete the old cluster',
    steps: [
      'aws rds create-db-cluster-snapshot --db-cluster-identifier CLUSTER --db-cluster-snapshot-identifier CLUSTER-pre-encryption',
      'aws rds restore-db-cluster-from-snapshot --db-cluster-identifier CLUSTER-encrypted --snapshot-identifier CLUSTER-pre-encryption --engine ENGINE --kms-key-id KEY_ARN (restoring with a key encrypts the new cluster; copy-db-cluster-snapshot refuses a key for an unencrypted snapshot, and only re-keys encrypted ones)',
      'aws rds create-db-instance --db-instance-identifier CLUSTER-encrypted-1 --db-cluster-identifier CLUSTER-encrypted --engine ENGINE --db-instance-class CLASS (a restored cluster has no instances)',
      'stop writes, point clients at the new cluster endpoint (downtime; replicate into the new cluster first to shorten it), then delete the old cluster; its automated backups and snapshots keep their old encryption until they expire or are deleted',
    ],
    cli: 'aws rds restore-db-cluster-from-snapshot --db-cluster-identifier CLUSTER-encrypted --snapshot-identifier CLUSTER-pre-encryption --engine ENGINE --kms-key-id KEY_ARN',
    terraform: 'resource "aws_rds_cluster" "this" {\n  storage_encrypted = true\n  kms_key_id        = aws_kms_key.this.arn\n}',
    cloudformation: 'AWS::RDS::DBCluster:\n  Properties:\n    StorageEncrypted: true\n    KmsKeyId: !GetAtt Key.Arn',
  },
  cost: 'no charge for Aurora encryption itself (the AWS owned key is free); customer managed keys cost the usual KMS key charge',
  docs: 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Overview.Encryption.html',
};
