import {
  DescribeCustomKeyStoresCommand,
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  ListAliasesCommand,
  ListGrantsCommand,
  ListKeyRotationsCommand,
  ListKeysCommand,
  type KeyMetadata,
  type KMSClient,
} from '@aws-sdk/client-kms';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { awsError, awsFixture, readJson } from './fixtures.js';

/**
 * The KMS side of the fictitious account 111122223333 in two regions, for
 * tests of checks that name keys. Answers are routed by the region of the
 * client that sent the call (ListKeys, ListAliases) or by the key ARN
 * (DescribeKey, GetKeyRotationStatus), so a region's calls get that region's
 * answer, page by page, exactly like KMS.
 *
 * us-east-1: the fixtures in fixtures/aws/kms/ (two pages of keys and of
 * aliases). eu-west-1: the replica of the multi-Region key, and alias/aws/s3
 * not yet backed by a key.
 */

export const KEY = {
  customer: '1234abcd-12ab-34cd-56ef-1234567890ab',
  awsS3: '7f3c1a2b-4d5e-4f60-8a71-b2c3d4e5f601',
  imported: '0987dcba-09fe-87dc-65ba-ab0987654321',
  cloudHsm: 'c0ffee00-1a2b-4c3d-8e9f-0a1b2c3d4e5f',
  multiRegion: 'mrk-1234abcd12ab34cd56ef1234567890ab',
  other: '5a5a5a5a-6b6b-4c7c-8d8d-9e9e9e9e9e9e',
} as const;

export const keyArn = (id: string, region = 'us-east-1', account = '111122223333'): string => `arn:aws:kms:${region}:${account}:key/${id}`;
export const OTHER_KEY_ARN = keyArn(KEY.other, 'us-east-1', '444455556666');
export const REPLICA_ARN = keyArn(KEY.multiRegion, 'eu-west-1');

export interface KmsAccountOptions {
  /** Regions whose ListKeys answers AccessDenied. */
  listKeysDenied?: string[];
  /** Whether the other account lets us describe its key (default yes). */
  otherAccountDescribable?: boolean;
}

function replicaMetadata(): KeyMetadata {
  const primary = awsFixture('kms/describe-key-multi-region.json').KeyMetadata as KeyMetadata;
  return {
    ...primary,
    Arn: REPLICA_ARN,
    MultiRegionConfiguration: { ...primary.MultiRegionConfiguration, MultiRegionKeyType: 'REPLICA' },
  };
}

function metadataByArn(options: KmsAccountOptions): Map<string, KeyMetadata> {
  const map = new Map<string, KeyMetadata>();
  const add = (file: string) => {
    const meta = awsFixture(`kms/${file}`).KeyMetadata as KeyMetadata;
    map.set(meta.Arn!, meta);
  };
  for (const file of [
    'describe-key-customer.json',
    'describe-key-aws-managed.json',
    'describe-key-imported.json',
    'describe-key-cloudhsm.json',
    'describe-key-multi-region.json',
  ]) {
    add(file);
  }
  map.set(REPLICA_ARN, replicaMetadata());
  if (options.otherAccountDescribable !== false) add('describe-key-other-account.json');
  return map;
}

async function regionOf(getClient: () => unknown): Promise<string> {
  const client = getClient() as KMSClient;
  return client.config.region();
}

export function mockKmsAccount(kms: AwsClientStub<KMSClient>, options: KmsAccountOptions = {}): void {
  const metadata = metadataByArn(options);
  const keysPage1 = awsFixture('kms/list-keys-page-1.json');
  const aliasesPage1 = awsFixture('kms/list-aliases-page-1.json');

  kms.on(ListKeysCommand).callsFake(async (input: { Marker?: string }, getClient) => {
    const region = await regionOf(getClient);
    if (options.listKeysDenied?.includes(region)) {
      throw awsError(
        'AccessDeniedException',
        `User: arn:aws:iam::111122223333:role/atrest-audit is not authorized to perform: kms:ListKeys in ${region} because no identity-based policy allows the kms:ListKeys action`,
      );
    }
    if (region === 'us-east-1') {
      return input.Marker === keysPage1.NextMarker ? awsFixture('kms/list-keys-page-2.json') : keysPage1;
    }
    if (region === 'eu-west-1') return { Keys: [{ KeyId: KEY.multiRegion, KeyArn: REPLICA_ARN }], Truncated: false };
    return { Keys: [], Truncated: false };
  });

  kms.on(ListAliasesCommand).callsFake(async (input: { Marker?: string }, getClient) => {
    const region = await regionOf(getClient);
    if (region === 'us-east-1') {
      return input.Marker === aliasesPage1.NextMarker ? awsFixture('kms/list-aliases-page-2.json') : aliasesPage1;
    }
    if (region === 'eu-west-1') {
      return {
        Aliases: [
          { AliasName: 'alias/aws/s3', AliasArn: 'arn:aws:kms:eu-west-1:111122223333:alias/aws/s3' },
          {
            AliasName: 'alias/global-orders',
            AliasArn: 'arn:aws:kms:eu-west-1:111122223333:alias/global-orders',
            TargetKeyId: KEY.multiRegion,
            CreationDate: new Date('2024-09-17T07:52:03.118Z'),
            LastUpdatedDate: new Date('2024-09-17T07:52:03.118Z'),
          },
        ],
        Truncated: false,
      };
    }
    return { Aliases: [], Truncated: false };
  });

  kms.on(DescribeKeyCommand).callsFake(async (input: { KeyId?: string }) => {
    const meta = metadata.get(input.KeyId ?? '');
    if (meta) return { KeyMetadata: meta };
    if (input.KeyId === OTHER_KEY_ARN) {
      throw awsError(
        'AccessDeniedException',
        `User: arn:aws:iam::111122223333:role/atrest-audit is not authorized to perform: kms:DescribeKey on resource: ${OTHER_KEY_ARN} because no resource-based policy allows the kms:DescribeKey action`,
      );
    }
    throw awsError('NotFoundException', `Key '${input.KeyId}' does not exist`);
  });

  kms.on(GetKeyRotationStatusCommand).callsFake(async (input: { KeyId?: string }) => {
    if (!metadata.has(input.KeyId ?? '')) throw awsError('NotFoundException', `Key '${input.KeyId}' does not exist`);
    return { KeyRotationEnabled: true, KeyId: input.KeyId, RotationPeriodInDays: 365, NextRotationDate: new Date('2027-02-01T08:15:40.000Z') };
  });

  mockKmsGovernance(kms);
}

/**
 * The governance calls of the KMS check (issue 5), answered for every key: the
 * default key policy, no grants, no rotations yet, the account's
 * custom key stores. Tests of other behaviour call this so those calls succeed.
 */
export function mockKmsGovernance(kms: AwsClientStub<KMSClient>): void {
  kms.on(GetKeyPolicyCommand).callsFake(async () => ({ Policy: JSON.stringify(awsFixture('kms/policies/default-account-root.json')), PolicyName: 'default' }));
  kms.on(ListGrantsCommand).resolves({ Grants: [], Truncated: false });
  kms.on(ListKeyRotationsCommand).resolves({ Rotations: [], Truncated: false });
  kms.on(DescribeCustomKeyStoresCommand).callsFake(async () => awsFixture('kms/describe-custom-key-stores.json'));
}

/** The same answers for a scripted HTTP client (KMS JSON bodies by operation), or undefined for other operations. */
export function kmsGovernanceBody(operation: string): unknown {
  switch (operation) {
    case 'GetKeyPolicy':
      return { Policy: JSON.stringify(readJsonFixture('kms/policies/default-account-root.json')), PolicyName: 'default' };
    case 'ListGrants':
      return { Grants: [], Truncated: false };
    case 'GetResources':
      // The Tagging API (tags in bulk): nothing tagged.
      return { ResourceTagMappingList: [], PaginationToken: '' };
    case 'ListKeyRotations':
      return { Rotations: [], Truncated: false };
    case 'DescribeCustomKeyStores':
      return readJsonFixture('kms/describe-custom-key-stores.json');
    default:
      return undefined;
  }
}

function readJsonFixture(path: string): unknown {
  return readJson(`fixtures/aws/${path}`);
}
