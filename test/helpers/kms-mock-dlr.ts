import { DescribeKeyCommand, GetKeyRotationStatusCommand, KMSClient, ListAliasesCommand } from '@aws-sdk/client-kms';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { awsError, awsFixture } from './fixtures.js';

/**
 * KMS as the DynamoDB, Lambda and Redshift check tests see it: the aliases of
 * fixtures/aws/kms/dlr-list-aliases.json and the keys of dlr-describe-key.json
 * (aws/dynamodb, aws/lambda, aws/redshift, alias/app-data, the disabled
 * alias/orders-old, alias/lambda-code). DescribeKey answers by key id, ARN or
 * alias; anything else is NotFoundException, as KMS would say.
 */
export const KEY_IDS = {
  awsDynamo: '0d1e2f30-4152-4637-8a9b-1c2d3e4f5a61',
  awsLambda: '1e2f3041-5263-4748-9bac-2d3e4f5a6b72',
  appData: '2f304152-6374-4859-acbd-3e4f5a6b7c83',
  ordersOld: '30415263-7485-496a-bdce-4f5a6b7c8d94',
  awsRedshift: '41526374-8596-4a7b-8edf-5a6b7c8d9ea5',
  lambdaCode: '52637485-96a7-4b8c-9fe0-6b7c8d9eafb6',
} as const;

export const keyArn = (name: keyof typeof KEY_IDS): string => `arn:aws:kms:us-east-1:111122223333:key/${KEY_IDS[name]}`;

export function mockKms(): AwsClientStub<KMSClient> {
  const kms = mockClient(KMSClient);
  const aliases = awsFixture<{ Aliases: Array<{ AliasName: string; TargetKeyId?: string }> }>('kms/dlr-list-aliases.json');
  const keys = awsFixture<Record<string, { KeyMetadata: object }>>('kms/dlr-describe-key.json');
  kms.on(ListAliasesCommand).resolves(aliases);
  kms.on(DescribeKeyCommand).callsFake(async (input: { KeyId: string }) => {
    let id = input.KeyId.split(':key/').at(-1)!;
    const alias = input.KeyId.match(/(alias\/.+)$/)?.[1];
    if (alias) id = aliases.Aliases.find((a) => a.AliasName === alias)?.TargetKeyId ?? '';
    const found = keys[id];
    if (!found) throw awsError('NotFoundException', `Key '${input.KeyId}' does not exist`);
    return found;
  });
  kms.on(GetKeyRotationStatusCommand).resolves({ KeyRotationEnabled: true, RotationPeriodInDays: 365 });
  return kms;
}
