import { CMK_LEVELS, type ServiceMatrixEntry } from '../../model/matrix.js';

/** Redshift encrypts provisioned clusters created since this date by default, with an AWS owned key unless a KMS key is chosen. The one place this date is written: the check and the rules read it from here. */
export const REDSHIFT_DEFAULT_ENCRYPTION_DATE = '2025-01-10';

/** How Amazon Redshift does encryption at rest: its row of the matrix (`atrest matrix`), with the page each fact comes from. */
// Verified against https://docs.aws.amazon.com/redshift/latest/mgmt/working-with-db-encryption.html:
// "your database is encrypted by default", "By default, Amazon Redshift selects an automatically generated
// AWS-owned key", an unencrypted cluster can be modified to KMS encryption (Redshift migrates the data to a
// new encrypted cluster) and an encrypted one can still be modified back to unencrypted. The CreateCluster
// API reference: Encrypted "Default: true"; "If you set the value on this parameter to false, the request
// will fail". The date: AWS What's New of 2024-11-18, "Amazon Redshift enhances security by changing default
// behavior" (https://aws.amazon.com/about-aws/whats-new/2024/11/amazon-redshift-enhance-security-default-behavior/):
// provisioned clusters created after 2025-01-10 are encrypted, with an AWS owned key unless one is chosen.
// Serverless: serverless-workgroups-and-namespaces-rotate-kms-key.html (always encrypted; the namespace key
// can be changed in place, "the data remains unchanged").
export const redshiftMatrix: ServiceMatrixEntry = {
  service: 'redshift',
  name: 'Amazon Redshift',
  resourceTypes: ['cluster', 'cluster-snapshot', 'serverless-namespace', 'serverless-snapshot'],
  encryptedByDefault: 'default',
  defaultSince: REDSHIFT_DEFAULT_ENCRYPTION_DATE,
  defaultLevel: 'aws-owned',
  defaultDescription:
    `provisioned clusters created since ${REDSHIFT_DEFAULT_ENCRYPTION_DATE} are encrypted, with an AWS owned key unless a KMS key is chosen (CreateCluster now rejects Encrypted=false); older clusters are encrypted only if encryption was chosen, and any cluster can still be modified to unencrypted. Serverless namespaces are always encrypted (AWS owned key by default). Snapshots keep the encryption of their cluster`,
  possibleLevels: ['none', 'aws-owned', 'aws-managed', ...CMK_LEVELS],
  granularity: 'cluster (its snapshots share the key) or serverless namespace',
  enableAfterCreation: true,
  changeKeyAfterCreation: true,
  remediationPath: 'modify-in-place-with-migration',
  remediation: {
    summary:
      'ModifyCluster --encrypted --kms-key-id: Redshift migrates the data to a new encrypted cluster behind the same endpoint (RA3: reads and writes continue; other node types: read-only meanwhile)',
    steps: [
      'Redshift console › cluster › Properties › Database configurations › Edit encryption',
      'or: aws redshift modify-cluster --cluster-identifier CLUSTER --encrypted --kms-key-id KEY_ARN',
      'plan for the migration: hours to days depending on data volume; tables created with BACKUP NO are not carried over',
      'serverless: aws redshift-serverless update-namespace --namespace-name NAMESPACE --kms-key-id KEY_ARN (in place, data unchanged)',
    ],
    cli: 'aws redshift modify-cluster --cluster-identifier CLUSTER --encrypted --kms-key-id KEY_ARN',
    terraform: 'resource "aws_redshift_cluster" "this" {\n  encrypted  = true\n  kms_key_id = aws_kms_key.this.arn\n}',
    cloudformation: 'AWS::Redshift::Cluster:\n  Properties:\n    Encrypted: true\n    KmsKeyId: !GetAtt Key.Arn',
  },
  cost: 'no charge for Redshift encryption itself; customer managed keys cost the usual KMS key charge',
  docs: 'https://docs.aws.amazon.com/redshift/latest/mgmt/working-with-db-encryption.html',
};
