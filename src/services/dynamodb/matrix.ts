import { CMK_LEVELS, type ServiceMatrixEntry } from '../../model/matrix.js';

/** How Amazon DynamoDB does encryption at rest: its row of the matrix (`atrest matrix`), with the page each fact comes from. */
// Verified against https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/encryption.howitworks.html
// (three key types, AWS owned is the default; switch "when creating a new table or switching the encryption
// keys on an existing table") and encryption.usagenotes.html (all table data encrypted, cannot be disabled;
// streams, indexes and backups encrypted; a restored table can take any of the three keys).
export const dynamodbMatrix: ServiceMatrixEntry = {
  service: 'dynamodb',
  name: 'Amazon DynamoDB',
  resourceTypes: ['table', 'backup'],
  encryptedByDefault: 'always',
  defaultSince: null,
  defaultLevel: 'aws-owned',
  defaultDescription:
    'every table is encrypted and encryption cannot be turned off; with no choice made DynamoDB uses an AWS owned key (no SSEDescription in DescribeTable). On-demand backups keep the key the table had when they were taken',
  possibleLevels: ['aws-owned', 'aws-managed', ...CMK_LEVELS],
  granularity: 'table (its indexes and streams share the key; each backup keeps the key of its moment)',
  enableAfterCreation: null,
  changeKeyAfterCreation: true,
  remediationPath: 'in-place',
  remediation: {
    summary: 'switch the table key in place with UpdateTable --sse-specification (AWS owned, aws/dynamodb or a customer managed key), no downtime',
    steps: [
      'DynamoDB console › table › Additional settings › Encryption › Manage encryption',
      'or: aws dynamodb update-table --table-name TABLE --sse-specification Enabled=true,SSEType=KMS,KMSMasterKeyId=KEY_ARN',
      'for a global table, set the key of each replica in its own Region (replica keys are per Region)',
    ],
    cli: 'aws dynamodb update-table --table-name TABLE --sse-specification Enabled=true,SSEType=KMS,KMSMasterKeyId=KEY_ARN',
    terraform: 'resource "aws_dynamodb_table" "this" {\n  server_side_encryption {\n    enabled     = true\n    kms_key_arn = aws_kms_key.this.arn\n  }\n}',
    cloudformation: 'AWS::DynamoDB::Table:\n  Properties:\n    SSESpecification:\n      SSEEnabled: true\n      SSEType: KMS\n      KMSMasterKeyId: !GetAtt Key.Arn',
  },
  cost: 'AWS owned key free; aws/dynamodb and customer managed keys add KMS request charges (and USD 1/month per customer managed key)',
  docs: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/encryption.howitworks.html',
};

/**
 * How DynamoDB Accelerator (DAX) clusters do encryption at rest: a row of its
 * own (`dax-cluster`), from
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/DAXEncryptionAtRest.html
 * (AES-256; "the single service default key that is used to encrypt your
 * clusters ... AWS KMS automatically creates a new AWS managed key"; encryption
 * at rest can be enabled only when the cluster is created) and the DAX API
 * (CreateCluster SSESpecification takes Enabled only, no key; Cluster
 * SSEDescription.Status).
 */
export const daxMatrix: ServiceMatrixEntry = {
  service: 'dynamodb',
  name: 'Amazon DynamoDB Accelerator (DAX)',
  resourceTypes: ['dax-cluster'],
  encryptedByDefault: 'optional',
  defaultSince: null,
  defaultLevel: 'none',
  defaultDescription:
    'a cluster is encrypted at rest only if SSESpecification Enabled was set when it was created, then with the AWS managed key aws/dax (no customer managed key can be chosen); it cannot be turned on, off or re-keyed afterwards',
  possibleLevels: ['none', 'aws-managed'],
  granularity: 'cluster (its nodes\' disks)',
  enableAfterCreation: false,
  changeKeyAfterCreation: false,
  remediationPath: 'rebuild-from-encrypted-copy',
  remediation: {
    summary: 'create a new DAX cluster with encryption at rest (--sse-specification Enabled=true), point clients at its endpoint, delete the old cluster (a cache: nothing to copy)',
    steps: [
      'aws dax create-cluster --cluster-name CLUSTER-encrypted --node-type NODE_TYPE --replication-factor 3 --iam-role-arn ROLE_ARN --sse-specification Enabled=true (plus the subnet group, security groups and parameter group of the old cluster)',
      'point the DAX clients at the new cluster endpoint; the cache warms up again from DynamoDB',
      'aws dax delete-cluster --cluster-name CLUSTER',
    ],
    cli: 'aws dax create-cluster --cluster-name CLUSTER-encrypted --node-type NODE_TYPE --replication-factor 3 --iam-role-arn ROLE_ARN --sse-specification Enabled=true',
    terraform: 'resource "aws_dax_cluster" "this" {\n  server_side_encryption {\n    enabled = true\n  }\n}',
    cloudformation: 'AWS::DAX::Cluster:\n  Properties:\n    SSESpecification:\n      SSEEnabled: true',
  },
  cost: 'no charge for DAX encryption at rest; aws/dax is free',
  docs: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/DAXEncryptionAtRest.html',
};
