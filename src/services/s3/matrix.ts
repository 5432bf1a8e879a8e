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
