import { DescribeKeyCommand, GetKeyRotationStatusCommand, KMSClient, ListAliasesCommand } from '@aws-sdk/client-kms';
import type { AwsStub } from 'aws-sdk-client-mock';
import { awsError, awsFixture } from './fixtures.js';

/**
 * KMS answering from two fixtures, in us-east-1 of account 111122223333: a
 * DescribeKey answer per key id, alias name or ARN, and the ListAliases page
 * (other Regions list no alias). Any other key is NotFoundException, as
 * DescribeKey answers for a key that does not exist; every key rotates yearly.
 */
export function mockKeysFrom(kms: AwsStub<any, any, any>, describeKeyFixture: string, listAliasesFixture: string): void {
  const keys = awsFixture<Record<string, unknown>>(describeKeyFixture);
  const aliases = awsFixture(listAliasesFixture);
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

/** KMS as the EBS and RDS tests see it: the keys of fixtures/aws/kms/ebs-rds-*.json. */
export function mockKeys(kms: AwsStub<any, any, any>): void {
  mockKeysFrom(kms, 'kms/ebs-rds-describe-key.json', 'kms/ebs-rds-list-aliases.json');
}

export const KEY = {
  app: 'arn:aws:kms:us-east-1:111122223333:key/0f1e2d3c-1111-4a5b-9c8d-000000000001',
  ebs: 'arn:aws:kms:us-east-1:111122223333:key/0f1e2d3c-2222-4a5b-9c8d-000000000002',
  rds: 'arn:aws:kms:us-east-1:111122223333:key/0f1e2d3c-3333-4a5b-9c8d-000000000003',
  doomed: 'arn:aws:kms:us-east-1:111122223333:key/0f1e2d3c-4444-4a5b-9c8d-000000000004',
  hsm: 'arn:aws:kms:us-east-1:111122223333:key/0f1e2d3c-5555-4a5b-9c8d-000000000005',
} as const;

export { KMSClient };
