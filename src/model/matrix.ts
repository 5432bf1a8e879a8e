import type { ProtectionLevel } from './levels.js';
import type { ServiceName } from './services.js';

/**
 * The per-service encryption matrix: how each service does encryption at
 * rest. Rules read this data instead of carrying per-service `if` chains, and
 * `atrest matrix` prints it. Each entry cites the AWS documentation page its
 * facts come from.
 */

/** How a resource that is below policy is brought up to it. */
export const REMEDIATION_PATHS = {
  'in-place': 'change the setting in place; takes effect at once',
  'new-objects-only': 'change the setting in place; applies to data written afterwards (re-encrypt existing data by copying it)',
  'rebuild-from-encrypted-copy': 'cannot be changed in place: snapshot, copy the snapshot with encryption and the chosen key, restore to a new resource, cut over',
  'modify-in-place-with-migration': 'changed in place by the service, which migrates the data (takes time; the resource may be read-only meanwhile)',
  'rotate-in-place': 'key settings change in place',
} as const;

export type RemediationPath = keyof typeof REMEDIATION_PATHS;

export interface RemediationSnippets {
  /** One line for the table. */
  summary: string;
  /** Console or CLI steps in order. */
  steps: string[];
  cli?: string;
  terraform?: string;
  cloudformation?: string;
}

export interface ServiceMatrixEntry {
  service: ServiceName;
  name: string;
  /** The resource types atrest reports for this service. */
  resourceTypes: string[];
  /** `always`: no way to store unencrypted; `default`: on unless turned off or predates the default; `optional`: off unless turned on. */
  encryptedByDefault: 'always' | 'default' | 'optional';
  /** The date the service started encrypting new resources by default, if it changed. */
  defaultSince: string | null;
  /** The level a new resource gets when nobody chooses a key. */
  defaultLevel: ProtectionLevel;
  defaultDescription: string;
  /** The levels this service can give. */
  possibleLevels: ProtectionLevel[];
  granularity: string;
  /** Can encryption be switched on for an existing unencrypted resource? (null: it is never off) */
  enableAfterCreation: boolean | null;
  /** Can the key of an existing resource be changed? */
  changeKeyAfterCreation: boolean;
  remediationPath: RemediationPath;
  remediation: RemediationSnippets;
  /** What encryption costs here, in one line. */
  cost: string;
  docs: string;
}

const CMK_LEVELS: ProtectionLevel[] = ['customer-managed', 'customer-managed-imported', 'customer-managed-hsm'];

export const MATRIX: Record<ServiceName, ServiceMatrixEntry> = {
  s3: {
    service: 's3',
    name: 'Amazon S3',
    resourceTypes: ['bucket'],
    encryptedByDefault: 'always',
    defaultSince: '2023-01-05',
    defaultLevel: 'aws-owned',
    defaultDescription: 'SSE-S3 (AES256, keys owned by S3) applies to every new object since 2023-01-05, with or without a bucket encryption configuration',
    possibleLevels: ['aws-owned', 'aws-managed', ...CMK_LEVELS],
    granularity: 'object (the bucket default applies to objects written after it is set)',
    enableAfterCreation: null,
    changeKeyAfterCreation: true,
    remediationPath: 'new-objects-only',
    remediation: {
      summary: 'set the bucket default encryption to SSE-KMS with the chosen key and a Bucket Key; re-copy existing objects to re-encrypt them',
      steps: [
        'S3 console › bucket › Properties › Default encryption › Edit: SSE-KMS, choose the key, enable Bucket Key',
        'existing objects keep their old encryption: re-encrypt with S3 Batch Operations (Copy) or aws s3 cp --recursive onto themselves',
      ],
      cli: 'aws s3api put-bucket-encryption --bucket BUCKET --server-side-encryption-configuration \'{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms","KMSMasterKeyID":"KEY_ARN"},"BucketKeyEnabled":true}]}\'',
      terraform:
        'resource "aws_s3_bucket_server_side_encryption_configuration" "this" {\n  bucket = aws_s3_bucket.this.id\n  rule {\n    apply_server_side_encryption_by_default {\n      sse_algorithm     = "aws:kms"\n      kms_master_key_id = aws_kms_key.this.arn\n    }\n    bucket_key_enabled = true\n  }\n}',
      cloudformation:
        'BucketEncryption:\n  ServerSideEncryptionConfiguration:\n    - ServerSideEncryptionByDefault:\n        SSEAlgorithm: aws:kms\n        KMSMasterKeyID: !GetAtt Key.Arn\n      BucketKeyEnabled: true',
    },
    cost: 'SSE-S3 free; SSE-KMS adds a KMS request per object operation unless a Bucket Key is enabled (cuts KMS requests by up to 99%); DSSE-KMS has its own per-GB charge',
    docs: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-encryption-faq.html',
  },
  ebs: {
    service: 'ebs',
    name: 'Amazon EBS',
    resourceTypes: ['volume', 'snapshot', 'ebs-encryption-by-default'],
    encryptedByDefault: 'optional',
    defaultSince: null,
    defaultLevel: 'none',
    defaultDescription:
      'volumes are unencrypted unless encryption is chosen at creation or the per-Region "EBS encryption by default" account setting (off unless turned on) is on; encrypted volumes use the Region default key (aws/ebs unless changed) when no key is named',
    // EBS uses KMS keys only (aws/ebs or a symmetric customer managed key); there is no AWS owned key option.
    possibleLevels: ['none', 'aws-managed', ...CMK_LEVELS],
    granularity: 'volume and snapshot; plus one account setting and one default key per Region',
    enableAfterCreation: false,
    changeKeyAfterCreation: false,
    remediationPath: 'rebuild-from-encrypted-copy',
    remediation: {
      summary: 'snapshot the volume, copy the snapshot with --encrypted and the chosen key, create a volume from the copy and swap it in (downtime); turn on encryption by default so new volumes are encrypted',
      steps: [
        'aws ec2 create-snapshot --region REGION --volume-id VOLUME',
        'aws ec2 copy-snapshot --region REGION --source-region REGION --source-snapshot-id SNAP --encrypted --kms-key-id KEY_ARN',
        'aws ec2 create-volume --region REGION --snapshot-id ENCRYPTED_SNAP --availability-zone AZ (create-volume --encrypted --kms-key-id KEY_ARN from the first snapshot does the same in one step)',
        'stop the instance, detach the old volume, attach the new one at the same device, start the instance (downtime); delete the old volume and its unencrypted snapshot afterwards',
        'aws ec2 enable-ebs-encryption-by-default --region REGION, so new volumes are encrypted (existing ones are not changed)',
      ],
      cli: 'aws ec2 copy-snapshot --region REGION --source-region REGION --source-snapshot-id SNAP --encrypted --kms-key-id KEY_ARN',
      terraform:
        'resource "aws_ebs_volume" "this" {\n  encrypted  = true\n  kms_key_id = aws_kms_key.this.arn\n}\nresource "aws_ebs_encryption_by_default" "this" { enabled = true }\nresource "aws_ebs_default_kms_key" "this" { key_arn = aws_kms_key.this.arn }',
      cloudformation: 'AWS::EC2::Volume:\n  Properties:\n    Encrypted: true\n    KmsKeyId: !GetAtt Key.Arn',
    },
    cost: 'no charge for EBS encryption itself; customer managed keys cost the usual KMS key charge',
    docs: 'https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html',
  },
  rds: {
    service: 'rds',
    name: 'Amazon RDS',
    resourceTypes: ['db-instance', 'db-cluster', 'db-snapshot', 'db-cluster-snapshot'],
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
  },
  aurora: {
    service: 'aurora',
    name: 'Amazon Aurora',
    resourceTypes: ['db-cluster', 'db-cluster-snapshot'],
    encryptedByDefault: 'default',
    defaultSince: '2026-02-18',
    defaultLevel: 'aws-owned',
    defaultDescription:
      'clusters created on or after 2026-02-18 are encrypted at rest by default with an AWS owned key (StorageEncryptionType sse-rds) unless a KMS key is chosen; clusters created before then are encrypted only if StorageEncrypted was set, and the default does not reach them',
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
  },
  // Verified against https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/encryption.howitworks.html
  // (three key types, AWS owned is the default; switch "when creating a new table or switching the encryption
  // keys on an existing table") and encryption.usagenotes.html (all table data encrypted, cannot be disabled;
  // streams, indexes and backups encrypted; a restored table can take any of the three keys).
  dynamodb: {
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
  },
  // Verified against https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars-encryption.html
  // ("By default, Lambda uses an AWS managed key"), encrypt-zip-package.html (".zip deployment packages ...
  // By default, Lambda uses an AWS owned key") and the KMSKeyArn/SourceKMSKeyArn API reference (KMSKeyArn
  // also covers SnapStart snapshots and, with SourceKMSKeyArn, the unzipped code).
  lambda: {
    service: 'lambda',
    name: 'AWS Lambda',
    resourceTypes: ['function'],
    encryptedByDefault: 'always',
    defaultSince: null,
    defaultLevel: 'aws-managed',
    defaultDescription:
      'environment variables and SnapStart snapshots are encrypted with the AWS managed key aws/lambda unless KMSKeyArn names another key; the .zip package with an AWS owned key unless SourceKMSKeyArn is set (KMSKeyArn then also encrypts the unzipped code)',
    possibleLevels: ['aws-owned', 'aws-managed', ...CMK_LEVELS],
    granularity: 'function (environment variables key; .zip package key apart)',
    enableAfterCreation: null,
    changeKeyAfterCreation: true,
    remediationPath: 'in-place',
    remediation: {
      summary:
        'set a customer managed key in place with UpdateFunctionConfiguration --kms-key-arn; the execution role needs kms:Decrypt on it (Lambda also uses a grant), and whoever edits the variables needs access to the key',
      steps: [
        'Lambda console › function › Configuration › Environment variables › Edit › Encryption configuration › Use a customer master key',
        'or: aws lambda update-function-configuration --function-name FUNCTION --kms-key-arn KEY_ARN',
        'allow the execution role kms:Decrypt on the key; a disabled or unreachable key makes invocations fail',
        'for the .zip package: aws lambda update-function-code --function-name FUNCTION --zip-file fileb://code.zip --source-kms-key-arn KEY_ARN (the key policy must allow lambda.amazonaws.com)',
        'move real secrets to AWS Secrets Manager or SSM SecureString parameters instead of environment variables',
      ],
      cli: 'aws lambda update-function-configuration --function-name FUNCTION --kms-key-arn KEY_ARN',
      terraform: 'resource "aws_lambda_function" "this" {\n  kms_key_arn = aws_kms_key.this.arn\n}',
      cloudformation: 'AWS::Lambda::Function:\n  Properties:\n    KmsKeyArn: !GetAtt Key.Arn',
    },
    cost: 'aws/lambda and the AWS owned key free; customer managed keys cost the usual KMS key charge and requests',
    docs: 'https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars-encryption.html',
  },
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
  redshift: {
    service: 'redshift',
    name: 'Amazon Redshift',
    resourceTypes: ['cluster', 'cluster-snapshot', 'serverless-namespace'],
    encryptedByDefault: 'default',
    defaultSince: '2025-01-10',
    defaultLevel: 'aws-owned',
    defaultDescription:
      'provisioned clusters created since 2025-01-10 are encrypted, with an AWS owned key unless a KMS key is chosen (CreateCluster now rejects Encrypted=false); older clusters are encrypted only if encryption was chosen, and any cluster can still be modified to unencrypted. Serverless namespaces are always encrypted (AWS owned key by default). Snapshots keep the encryption of their cluster',
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
  },
  kms: {
    service: 'kms',
    name: 'AWS KMS',
    resourceTypes: ['key'],
    encryptedByDefault: 'always',
    defaultSince: null,
    defaultLevel: 'aws-managed',
    defaultDescription: 'key material never leaves the FIPS-validated HSMs of KMS (or your custom key store) unencrypted',
    possibleLevels: ['aws-managed', ...CMK_LEVELS],
    granularity: 'key',
    enableAfterCreation: null,
    changeKeyAfterCreation: false,
    remediationPath: 'rotate-in-place',
    remediation: {
      summary: 'turn on automatic rotation in place (EnableKeyRotation); rotation keeps old material so existing data stays readable',
      steps: ['KMS console › key › Key rotation › Automatically rotate this KMS key'],
      cli: 'aws kms enable-key-rotation --key-id KEY_ARN --rotation-period-in-days 365',
      terraform: 'resource "aws_kms_key" "this" {\n  enable_key_rotation     = true\n  rotation_period_in_days = 365\n}',
      cloudformation: 'AWS::KMS::Key:\n  Properties:\n    EnableKeyRotation: true\n    RotationPeriodInDays: 365',
    },
    cost: 'USD 1 per customer managed key per month (each multi-Region primary and replica too), plus USD 1 for each of the first two rotations; AWS managed keys and keys pending deletion free; requests USD 0.03 per 10,000 beyond 20,000 free a month (see src/rules/kms-prices.ts)',
    docs: 'https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html',
  },
};
