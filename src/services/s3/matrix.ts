import { CMK_LEVELS, type ServiceMatrixEntry } from '../../model/matrix.js';

/** S3 has applied SSE-S3 to every new object since this date, in every bucket, with or without an encryption configuration. The one place this date is written: the check and the rules read it from here. */
export const S3_DEFAULT_ENCRYPTION_DATE = '2023-01-05';

/** How Amazon S3 does encryption at rest: its row of the matrix (`atrest matrix`), with the page each fact comes from. */
export const s3Matrix: ServiceMatrixEntry = {
  service: 's3',
  name: 'Amazon S3',
  resourceTypes: ['bucket'],
  encryptedByDefault: 'always',
  defaultSince: S3_DEFAULT_ENCRYPTION_DATE,
  defaultLevel: 'aws-owned',
  defaultDescription: `SSE-S3 (AES256, keys owned by S3) applies to every new object since ${S3_DEFAULT_ENCRYPTION_DATE}, with or without a bucket encryption configuration`,
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
};

/**
 * How S3 directory buckets (S3 Express One Zone) do encryption at rest: a row
 * of their own (`directory-bucket`), from
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-express-UsingKMSEncryption.html
 * ("Your SSE-KMS configuration can only support 1 customer managed key per
 * directory bucket for the lifetime of the bucket. The AWS managed key
 * (aws/s3) isn't supported. Also, after you specify a customer managed key
 * for SSE-KMS, you can't override the customer managed key"), the
 * ServerSideEncryptionRule API reference (directory buckets: "only use the key
 * ID or key ARN. The key alias format of the KMS key isn't supported"; "S3
 * Bucket Keys are always enabled for GET and PUT operations in a directory
 * bucket and can't be disabled") and s3-express-data-protection.html (SSE-S3
 * is the default).
 */
export const s3DirectoryBucketMatrix: ServiceMatrixEntry = {
  service: 's3',
  name: 'Amazon S3 directory buckets (S3 Express One Zone)',
  resourceTypes: ['directory-bucket'],
  encryptedByDefault: 'always',
  defaultSince: null,
  defaultLevel: 'aws-owned',
  defaultDescription:
    'every object is encrypted, with SSE-S3 unless the bucket default is SSE-KMS with a customer managed key (the AWS managed key aws/s3 is not supported, nor are key aliases); once a customer managed key is set it stays the bucket\'s key for its lifetime',
  possibleLevels: ['aws-owned', ...CMK_LEVELS],
  granularity: 'bucket (one customer managed key per directory bucket for its lifetime; S3 Bucket Keys always on for GET and PUT)',
  enableAfterCreation: null,
  // SSE-S3 → SSE-KMS in place (new objects); a customer managed key once set cannot be replaced (remediation, granularity).
  changeKeyAfterCreation: true,
  remediationPath: 'new-objects-only',
  remediation: {
    summary:
      'from SSE-S3, set the bucket default to SSE-KMS with a customer managed key (new objects); a directory bucket that already has a customer managed key keeps it: copy the data to a new directory bucket with the chosen key',
    steps: [
      'aws s3api put-bucket-encryption --bucket BUCKET --server-side-encryption-configuration \'{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms","KMSMasterKeyID":"KEY_ARN"},"BucketKeyEnabled":true}]}\' (key id or ARN only: aliases are not supported)',
      'existing objects keep their encryption: copy them onto themselves (or with S3 Batch Operations) to re-encrypt them under the new default',
      'a bucket whose customer managed key is set cannot change it: create a new directory bucket with the chosen key, copy the objects, switch clients, delete the old bucket',
    ],
    cli: 'aws s3api put-bucket-encryption --bucket BUCKET --server-side-encryption-configuration \'{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms","KMSMasterKeyID":"KEY_ARN"},"BucketKeyEnabled":true}]}\'',
    terraform:
      'resource "aws_s3_bucket_server_side_encryption_configuration" "this" {\n  bucket = aws_s3_directory_bucket.this.bucket\n  rule {\n    apply_server_side_encryption_by_default {\n      sse_algorithm     = "aws:kms"\n      kms_master_key_id = aws_kms_key.this.arn\n    }\n    bucket_key_enabled = true\n  }\n}',
    cloudformation:
      'AWS::S3Express::DirectoryBucket:\n  Properties:\n    BucketEncryption:\n      ServerSideEncryptionConfiguration:\n        - ServerSideEncryptionByDefault:\n            SSEAlgorithm: aws:kms\n            KMSMasterKeyID: !GetAtt Key.Arn\n          BucketKeyEnabled: true',
  },
  cost: 'SSE-S3 free; SSE-KMS with a customer managed key costs the KMS key charge, and Bucket Keys (always on for GET and PUT) keep KMS requests low',
  docs: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-express-UsingKMSEncryption.html',
};
