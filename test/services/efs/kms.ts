import type { AwsStub } from 'aws-sdk-client-mock';
import { mockKeysFrom } from '../../helpers/ebs-rds-kms.js';

/**
 * KMS as the EFS tests see it: the keys of fixtures/aws/efs/kms-*.json
 * (us-east-1, account 111122223333): the AWS managed aws/elasticfilesystem
 * key and the customer managed alias/app-data.
 */
export function mockEfsKeys(kms: AwsStub<any, any, any>): void {
  mockKeysFrom(kms, 'efs/kms-describe-key.json', 'efs/kms-list-aliases.json');
}

export const EFS_KEY = {
  /** alias/aws/elasticfilesystem: what EFS uses when a file system is created encrypted without naming a key. */
  awsManaged: 'arn:aws:kms:us-east-1:111122223333:key/5e6f7a8b-1111-4c2d-9e3f-00000000e0f1',
  /** alias/app-data, customer managed. */
  app: 'arn:aws:kms:us-east-1:111122223333:key/0f1e2d3c-1111-4a5b-9c8d-000000000001',
} as const;
