import { kmsKey, m, NO_CONTROL, type RuleCompliance } from '../../compliance/mapping.js';

/** The controls the s3 rules evidence, by rule id (frameworks and control definitions: src/compliance/frameworks.ts). */
export const S3_COMPLIANCE: Readonly<Record<string, RuleCompliance>> = {
  'S3.ENCRYPTION_LEVEL': {
    mappings: [m('aws-securityhub', 'S3.17', kmsKey), m('aws-config', 's3-default-encryption-kms', kmsKey)],
    notMapped: [
      {
        framework: 'aws-config',
        control: 's3-bucket-server-side-encryption-enabled',
        why: 'it also passes a bucket whose policy denies unencrypted uploads without default encryption, which this rule does not read; since 2023-01-05 every bucket has default encryption anyway',
      },
    ],
  },
  'S3.BUCKET_KEY': { mappings: [], none: NO_CONTROL('S3 Bucket Keys (a cost setting)') },
  'S3.SSE_C_BLOCKED': { mappings: [], none: NO_CONTROL('whether SSE-C uploads are blocked') },
  'S3.UPLOAD_ENCRYPTION_POLICY': {
    mappings: [],
    notMapped: [
      {
        framework: 'aws-config',
        control: 's3-bucket-server-side-encryption-enabled',
        why: 'it passes a bucket with default encryption OR a policy that denies unencrypted uploads; this rule demands the policy whatever the default, and every bucket has default encryption since 2023-01-05',
      },
    ],
    none: NO_CONTROL('that a bucket policy refuses uploads without SSE-KMS'),
  },
  'S3.DIRECTORY_BUCKET_ENCRYPTION': {
    mappings: [],
    none: NO_CONTROL('S3 directory bucket default encryption'),
    notMapped: [
      { framework: 'aws-securityhub', control: 'S3.17', why: 'it evaluates S3 general purpose buckets only (AWS::S3::Bucket), not directory buckets (AWS::S3Express::DirectoryBucket)' },
      { framework: 'aws-config', control: 's3-default-encryption-kms', why: 'it evaluates AWS::S3::Bucket, not directory buckets' },
    ],
  },
};
