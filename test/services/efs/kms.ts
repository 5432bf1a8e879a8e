import { DescribeKeyCommand, GetKeyRotationStatusCommand, ListAliasesCommand } from '@aws-sdk/client-kms';
import type { AwsStub } from 'aws-sdk-client-mock';
import { awsError, awsFixture } from '../../helpers/fixtures.js';

/**
 * KMS as the EFS tests see it: the keys of fixtures/aws/efs/kms-*.json
 * (us-east-1, account 111122223333): the AWS managed aws/elasticfilesystem
 * key and the customer managed alias/app-data. Any other key is
 * NotFoundException, as DescribeKey answers for a key that does not exist.
 */
export function mockEfsKeys(kms: AwsStub<any, any, any>): void {
  const keys = awsFixture<Record<string, unknown>>('efs/kms-describe-key.json');
  const aliases = awsFixture('efs/kms-list-aliases.json');
  kms.on(ListAliasesCommand).callsFake(async (_input, getClient) => {
    const region = await getClient().config.region();
    return region === 'us-east-1' ? aliases : { Aliases: [] };
  });
  kms.on(DescribeKeyCommand).callsFake((input: { KeyId: string }) => {
    const found = keys[input.KeyId];
    if (found) return found;
    throw awsError('NotFoundException', `Key '${input.KeyId}' does not exist`);
  });
  kms.on(GetKeyRotationStatusCommand).resolves({ KeyRotationEnabled: true, RotationPeriodInDays: 365 });
}

export const EFS_KEY = {
  /** alias/aws/elasticfilesystem: what EFS uses when a file system is created encrypted without naming a key. */
  awsManaged: 'arn:aws:kms:us-east-1:111122223333:key/5e6f7a8b-1111-4c2d-9e3f-00000000e0f1',
  /** alias/app-data, customer managed. */
  app: 'arn:aws:kms:us-east-1:111122223333:key/0f1e2d3c-1111-4a5b-9c8d-000000000001',
} as const;
