import { CMK_LEVELS, type ServiceMatrixEntry } from '../../model/matrix.js';

/** How Amazon RDS does encryption at rest: its row of the matrix (`atrest matrix`), with the page each fact comes from. */
export const rdsMatrix: ServiceMatrixEntry = {
  service: 'rds',
  name: 'Amazon RDS',
  resourceTypes: ['db-instance', 'db-cluster', 'db-snapshot', 'db-cluster-snapshot', 'db-instance-automated-backup', 'db-cluster-automated-backup'],
  encryptedByDefault: 'optional',
  defaultSince: null,
  defaultLevel: 'none',
  defaultDescription:
    'the API creates unencrypted DB instances and Multi-AZ DB clusters unless StorageEncrypted is set (the console preselects encryption with aws/rds); an encrypted resource with no key named uses aws/rds',
  possibleLevels: ['none', 'aws-managed', ...CMK_LEVELS],
  granularity: 'DB instance or Multi-AZ DB cluster (its storage, logs, automated backups and snapshots share its key; same-Region read replicas must use it too)',
  enableAfterCreation: false,
  changeKeyAfterCreation: false,
  remediationPath: 'rebuild-from-encrypted-copy',
  remediation: {
    summary: 'snapshot, copy the snapshot with --kms-key-id (this encrypts an unencrypted snapshot), restore a new instance from the copy, cut over, delete the old one',
    steps: [
      'aws rds create-db-snapshot --db-instance-identifier DB --db-snapshot-identifier DB-pre-encryption',
      'aws rds copy-db-snapshot --source-db-snapshot-identifier DB-pre-encryption --target-db-snapshot-identifier DB-encrypted --kms-key-id KEY_ARN',
      'aws rds restore-db-instance-from-db-snapshot --db-instance-identifier DB-new --db-snapshot-identifier DB-encrypted',
      'stop writes, point clients at the new endpoint (downtime), recreate read replicas from the new instance, then delete the old instance; its automated backups and manual snapshots stay unencrypted until they expire or are deleted',
    ],
    cli: 'aws rds copy-db-snapshot --source-db-snapshot-identifier DB-pre-encryption --target-db-snapshot-identifier DB-encrypted --kms-key-id KEY_ARN',
    terraform: 'resource "aws_db_instance" "this" {\n  storage_encrypted = true\n  kms_key_id        = aws_kms_key.this.arn\n}',
    cloudformation: 'AWS::RDS::DBInstance:\n  Properties:\n    StorageEncrypted: true\n    KmsKeyId: !GetAtt Key.Arn',
  },
  cost: 'no charge for RDS encryption itself; customer managed keys cost the usual KMS key charge',
  docs: 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html',
};
