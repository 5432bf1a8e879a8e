import { TAGGING_API } from '../../aws/core-apis.js';
import { sameNamedActions, type ServiceDescriptor } from '../descriptor.js';
import { S3_COMPLIANCE } from './compliance.js';
import { s3DirectoryBucketMatrix, s3Matrix } from './matrix.js';
import { S3_RULES } from './rules.js';

declare module '../../model/services.js' {
  interface ServiceIds {
    s3: true;
  }
}

/** Amazon S3 general purpose buckets (default encryption, Bucket Keys, SSE-C blocking, the bucket policy) and directory buckets. */
export const s3: ServiceDescriptor<'s3'> = {
  id: 's3',
  collector: { id: 's3', scope: 'account', load: async () => (await import('./check.js')).s3Check },
  matrix: s3Matrix,
  moreMatrixRows: [s3DirectoryBucketMatrix],
  rules: S3_RULES,
  compliance: S3_COMPLIANCE,
  apis: [
    {
      sdkPackage: '@aws-sdk/client-s3',
      serviceId: 'S3',
      iamPrefix: 's3',
      operations: {
        // IAM names two S3 operations differently from the API.
        ListBuckets: 's3:ListAllMyBuckets',
        GetBucketEncryption: 's3:GetEncryptionConfiguration',
        ...sameNamedActions('s3', ['GetBucketLocation', 'GetBucketPolicy']),
      },
    },
    {
      // Directory buckets (S3 Express One Zone): the same client, IAM service s3express
      // (ListDirectoryBuckets and GetBucketEncryption API reference).
      sdkPackage: '@aws-sdk/client-s3',
      serviceId: 'S3',
      iamPrefix: 's3express',
      operations: { ListDirectoryBuckets: 's3express:ListAllMyDirectoryBuckets', GetBucketEncryption: 's3express:GetEncryptionConfiguration' },
    },
    // Tags in bulk (src/collect/tag-index.ts).
    TAGGING_API,
  ],
  accountWideOperations: ['ListBuckets'],
  tags: 'the Resource Groups Tagging API (GetResources), one listing per Region, not one call per general purpose bucket; directory buckets carry none in the inventory',
  dataStore: true,
  exampleArns: (p) => [`arn:${p}:s3:::example-bucket`, `arn:${p}:s3:us-east-1:111122223333:*`, `arn:${p}:s3express:us-east-1:111122223333:bucket/example--use1-az4--x-s3`],
  docs: 'docs/services/s3.md',
  iac: { load: async () => (await import('./iac.js')).s3Iac },
};
