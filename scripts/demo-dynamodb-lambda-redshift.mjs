// Generator for fixtures/demo/dynamodb-lambda-redshift.json. Unlike a hand-written
// file, it runs the real `collect` (dist/, so build first) against mocked AWS
// answers, so the demo holds exactly what the checks record. Run:
//   npx tsc -p tsconfig.build.json && node scripts/demo-dynamodb-lambda-redshift.mjs
import { writeFileSync } from 'node:fs';
import { DescribeBackupCommand, DescribeTableCommand, DynamoDBClient, ListBackupsCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DescribeCustomKeyStoresCommand, DescribeKeyCommand, GetKeyPolicyCommand, GetKeyRotationStatusCommand, KMSClient, ListAliasesCommand, ListGrantsCommand, ListKeyRotationsCommand, ListKeysCommand } from '@aws-sdk/client-kms';
import { GetFunctionCommand, LambdaClient, ListAliasesCommand as ListFunctionAliasesCommand, ListFunctionsCommand, ListVersionsByFunctionCommand } from '@aws-sdk/client-lambda';
import { DAXClient, DescribeClustersCommand as DescribeDaxClustersCommand, ListTagsCommand as ListDaxTagsCommand } from '@aws-sdk/client-dax';
import { DescribeClusterSnapshotsCommand, DescribeClustersCommand, RedshiftClient } from '@aws-sdk/client-redshift';
import { ListNamespacesCommand, ListSnapshotsCommand, ListTagsForResourceCommand, RedshiftServerlessClient } from '@aws-sdk/client-redshift-serverless';
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { mockClient } from 'aws-sdk-client-mock';
import { ClientFactory } from '../dist/aws/clients.js';
import { collect } from '../dist/collect/collect.js';

const A = '111122223333';
// The principal every demo file shares (the lead's choice when merging issue 3).
const ROLE = `arn:aws:sts::${A}:assumed-role/atrest-audit/atrest`;
const E = 'us-east-1';
const W = 'eu-west-1';
const denied = (action, arn) => {
  const e = new Error(`User: arn:aws:sts::${A}:assumed-role/atrest-audit/atrest is not authorized to perform: ${action} on resource: ${arn} with an explicit deny in an identity-based policy`);
  e.name = 'AccessDeniedException';
  e.$metadata = { httpStatusCode: 400 };
  return e;
};

// ---------------------------------------------------------------- keys
const K = {
  [E]: {
    awsDynamo: 'a3f1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c01',
    awsLambda: 'a3f1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c02',
    awsRedshift: 'a3f1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c03',
    ordersData: 'b4e2d3c5-6f70-4b8c-9dae-1f2a3b4c5d01',
    paymentsLegacy: 'b4e2d3c5-6f70-4b8c-9dae-1f2a3b4c5d02',
    lambdaEnv: 'b4e2d3c5-6f70-4b8c-9dae-1f2a3b4c5d03',
    lambdaCode: 'b4e2d3c5-6f70-4b8c-9dae-1f2a3b4c5d04',
    awsDax: 'a3f1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c05',
  },
  [W]: {
    awsDynamo: 'c5f3e4d6-7081-4c9d-8ebf-2a3b4c5d6e01',
    awsLambda: 'c5f3e4d6-7081-4c9d-8ebf-2a3b4c5d6e02',
    ledgerByok: 'd6a4f5e7-8192-4dae-9fc0-3b4c5d6e7f01',
    warehouseHsm: 'd6a4f5e7-8192-4dae-9fc0-3b4c5d6e7f02',
  },
};
const arn = (region, name) => `arn:aws:kms:${region}:${A}:key/${K[region][name]}`;
const keyMeta = {
  awsDynamo: { manager: 'AWS', alias: 'alias/aws/dynamodb', description: 'Default key that protects my DynamoDB data when no other key is defined', created: '2023-05-02T08:00:00.000Z' },
  awsLambda: { manager: 'AWS', alias: 'alias/aws/lambda', description: 'Default key that protects my Lambda functions when no other key is defined', created: '2022-11-15T14:00:00.000Z' },
  awsRedshift: { manager: 'AWS', alias: 'alias/aws/redshift', description: 'Default key that protects my Redshift data when no other key is defined', created: '2021-03-09T09:00:00.000Z' },
  awsDax: { manager: 'AWS', alias: 'alias/aws/dax', description: 'Default key that protects my DAX clusters when no other key is defined', created: '2025-05-02T09:55:00.000Z' },
  ordersData: { manager: 'CUSTOMER', alias: 'alias/orders-data', description: 'Orders tables and backups', rotation: 365 },
  paymentsLegacy: { manager: 'CUSTOMER', alias: 'alias/payments-legacy', description: 'Payments (retired 2026-11; disabled by mistake)', state: 'Disabled', rotation: 365, created: '2020-08-01T12:00:00.000Z' },
  lambdaEnv: { manager: 'CUSTOMER', alias: 'alias/lambda-env', description: 'Lambda environment variables', rotation: false },
  lambdaCode: { manager: 'CUSTOMER', alias: 'alias/lambda-code', description: 'Lambda deployment packages', rotation: 365, created: '2025-06-01T12:00:00.000Z' },
  ledgerByok: { manager: 'CUSTOMER', alias: 'alias/ledger-byok', description: 'Ledger (imported key material)', origin: 'EXTERNAL', extra: { ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' } },
  warehouseHsm: { manager: 'CUSTOMER', alias: 'alias/warehouse-hsm', description: 'Warehouse (CloudHSM key store)', origin: 'AWS_CLOUDHSM', extra: { CustomKeyStoreId: 'cks-0f1e2d3c4b5a69788', CloudHsmClusterId: 'cluster-2b3c4d5e6f7' } },
};
function describeKey(region, name) {
  const m = keyMeta[name];
  const state = m.state ?? 'Enabled';
  return {
    KeyMetadata: {
      AWSAccountId: A, KeyId: K[region][name], Arn: arn(region, name), CreationDate: new Date(m.created ?? '2024-02-12T10:20:30.000Z'),
      Enabled: state === 'Enabled', Description: m.description, KeyUsage: 'ENCRYPT_DECRYPT', KeyState: state, Origin: m.origin ?? 'AWS_KMS',
      KeyManager: m.manager, CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT', KeySpec: 'SYMMETRIC_DEFAULT', EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
      MultiRegion: false, ...(m.extra ?? {}),
    },
  };
}

const regionOf = async (getClient) => getClient().config.region();
const kms = mockClient(KMSClient);
kms.on(ListKeysCommand).callsFake(async (_i, g) => {
  const region = await regionOf(g);
  return { Keys: Object.keys(K[region]).map((n) => ({ KeyId: K[region][n], KeyArn: arn(region, n) })), Truncated: false };
});
kms.on(ListAliasesCommand).callsFake(async (_i, g) => {
  const region = await regionOf(g);
  return {
    Aliases: Object.keys(K[region]).map((n) => ({
      AliasName: keyMeta[n].alias, AliasArn: `arn:aws:kms:${region}:${A}:${keyMeta[n].alias}`, TargetKeyId: K[region][n],
      CreationDate: new Date(keyMeta[n].created ?? '2024-02-12T10:21:00.000Z'), LastUpdatedDate: new Date(keyMeta[n].created ?? '2024-02-12T10:21:00.000Z'),
    })),
    Truncated: false,
  };
});
const nameOfKey = (region, id) => Object.keys(K[region]).find((n) => id.endsWith(K[region][n]));
kms.on(DescribeKeyCommand).callsFake(async (input, g) => {
  const region = await regionOf(g);
  const name = nameOfKey(region, input.KeyId);
  if (!name) throw Object.assign(new Error(`Key '${input.KeyId}' does not exist`), { name: 'NotFoundException', $metadata: { httpStatusCode: 400 } });
  return describeKey(region, name);
});
kms.on(GetKeyRotationStatusCommand).callsFake(async (input, g) => {
  const region = await regionOf(g);
  const rotation = keyMeta[nameOfKey(region, input.KeyId)].rotation;
  return rotation ? { KeyId: input.KeyId, KeyRotationEnabled: true, RotationPeriodInDays: rotation, NextRotationDate: new Date('2027-02-12T10:20:30.000Z') } : { KeyId: input.KeyId, KeyRotationEnabled: false };
});

// Governance facts (issue 5): each key's policy trusts only the account; no grants, tags or rotations to show here.
const accountOnlyPolicy = JSON.stringify({ Version: '2012-10-17', Id: 'key-default-1', Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: 'kms:*', Resource: '*' }] });
kms.on(GetKeyPolicyCommand).resolves({ Policy: accountOnlyPolicy, PolicyName: 'default' });
kms.on(ListGrantsCommand).resolves({ Grants: [], Truncated: false });
kms.on(ListKeyRotationsCommand).resolves({ Rotations: [], Truncated: false });
kms.on(DescribeCustomKeyStoresCommand).resolves({ CustomKeyStores: [], Truncated: false });

// ---------------------------------------------------------------- DynamoDB
const tableArn = (region, name) => `arn:aws:dynamodb:${region}:${A}:table/${name}`;
function table(region, name, o = {}) {
  return {
    Table: {
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], TableName: name, KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      TableStatus: o.status ?? 'ACTIVE', CreationDateTime: new Date(o.created ?? '2024-03-04T05:06:07.000Z'),
      ProvisionedThroughput: { NumberOfDecreasesToday: 0, ReadCapacityUnits: 0, WriteCapacityUnits: 0 }, TableSizeBytes: o.size ?? 1843221, ItemCount: o.items ?? 10423,
      TableArn: tableArn(region, name), TableId: o.id, BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' }, DeletionProtectionEnabled: true,
      ...(o.sse ? { SSEDescription: o.sse } : {}), ...(o.extra ?? {}),
    },
  };
}
const sse = (keyArn, extra = {}) => ({ Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: keyArn, ...extra });
const tables = {
  [E]: {
    orders: table(E, 'orders', { id: '1a2b3c4d-0001-4e5f-8a9b-0c1d2e3f4a01', sse: sse(arn(E, 'ordersData')), extra: {
      GlobalTableVersion: '2019.11.21',
      Replicas: [{ RegionName: W, ReplicaStatus: 'ACTIVE', KMSMasterKeyId: arn(W, 'awsDynamo') }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    } }),
    sessions: table(E, 'sessions', { id: '1a2b3c4d-0002-4e5f-8a9b-0c1d2e3f4a02', created: '2021-06-30T22:10:00.000Z' }),
    users: table(E, 'users', { id: '1a2b3c4d-0003-4e5f-8a9b-0c1d2e3f4a03', sse: sse(arn(E, 'awsDynamo')) }),
    payments: table(E, 'payments', { id: '1a2b3c4d-0004-4e5f-8a9b-0c1d2e3f4a04', status: 'INACCESSIBLE_ENCRYPTION_CREDENTIALS', created: '2020-08-02T09:00:00.000Z',
      sse: sse(arn(E, 'paymentsLegacy'), { InaccessibleEncryptionDateTime: new Date('2026-11-26T17:45:00.000Z') }) }),
    'hr-restricted': null,
  },
  [W]: {
    ledger: table(W, 'ledger', { id: '2b3c4d5e-0001-4f60-9bac-1d2e3f4a5b01', sse: sse(arn(W, 'ledgerByok')) }),
    orders: table(W, 'orders', { id: '2b3c4d5e-0002-4f60-9bac-1d2e3f4a5b02', sse: sse(arn(W, 'awsDynamo')), extra: {
      GlobalTableVersion: '2019.11.21',
      Replicas: [{ RegionName: E, ReplicaStatus: 'ACTIVE', KMSMasterKeyId: arn(E, 'ordersData') }],
    } }),
  },
};
const backups = {
  [E]: [
    { table: 'orders', name: 'orders-pre-migration', ts: '01759284000000-5c6d7e8f', created: '2026-10-01T02:00:00.000Z', type: 'USER', sse: sse(arn(E, 'ordersData')) },
    { table: 'sessions', name: 'sessions-weekly', ts: '01763863200000-6d7e8f90', created: '2026-11-23T02:00:00.000Z', type: 'USER', sse: null },
  ],
  [W]: [],
};
const backupArn = (region, b) => `${tableArn(region, b.table)}/backup/${b.ts}`;
const ddb = mockClient(DynamoDBClient);
ddb.on(ListTablesCommand).callsFake(async (_i, g) => ({ TableNames: Object.keys(tables[await regionOf(g)]).sort() }));
ddb.on(DescribeTableCommand).callsFake(async (input, g) => {
  const region = await regionOf(g);
  const t = tables[region][input.TableName];
  if (!t) throw denied('dynamodb:DescribeTable', tableArn(region, input.TableName));
  return t;
});
ddb.on(ListBackupsCommand).callsFake(async (_i, g) => {
  const region = await regionOf(g);
  return {
    BackupSummaries: backups[region].map((b) => ({
      TableName: b.table, TableId: tables[region][b.table].Table.TableId, TableArn: tableArn(region, b.table), BackupArn: backupArn(region, b), BackupName: b.name,
      BackupCreationDateTime: new Date(b.created), BackupStatus: 'AVAILABLE', BackupType: b.type, BackupSizeBytes: 1843221,
    })),
  };
});
ddb.on(DescribeBackupCommand).callsFake(async (input, g) => {
  const region = await regionOf(g);
  const b = backups[region].find((x) => backupArn(region, x) === input.BackupArn);
  return {
    BackupDescription: {
      BackupDetails: { BackupArn: input.BackupArn, BackupName: b.name, BackupSizeBytes: 1843221, BackupStatus: 'AVAILABLE', BackupType: b.type, BackupCreationDateTime: new Date(b.created) },
      SourceTableDetails: { TableName: b.table, TableId: tables[region][b.table].Table.TableId, TableArn: tableArn(region, b.table), KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], TableCreationDateTime: new Date('2024-03-04T05:06:07.000Z'), ProvisionedThroughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 0 }, BillingMode: 'PAY_PER_REQUEST' },
      SourceTableFeatureDetails: b.sse ? { SSEDescription: b.sse } : {},
    },
  };
});

// Table tags, for policies with tag overrides: two restricted tables on customer managed
// keys, two on aws/dynamodb (they fail a restricted-data override). The check reads them
// from the Resource Groups Tagging API, one GetResources listing per Region, which names
// only tagged resources (no KMS key of this demo carries tags).
const tableTags = {
  [E]: { orders: { 'data-classification': 'restricted', team: 'orders' }, users: { 'data-classification': 'restricted', team: 'identity' }, payments: { team: 'payments' } },
  [W]: { ledger: { 'data-classification': 'restricted', team: 'finance' }, orders: { 'data-classification': 'restricted', team: 'orders' } },
};
const tagging = mockClient(ResourceGroupsTaggingAPIClient);
tagging.on(GetResourcesCommand).callsFake(async (input, g) => {
  const region = await regionOf(g);
  if (input.ResourceTypeFilters?.[0] !== 'dynamodb:table') return { ResourceTagMappingList: [], PaginationToken: '' };
  const mappings = Object.entries(tableTags[region]).map(([name, tags]) => ({ ResourceARN: tableArn(region, name), Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }));
  return { ResourceTagMappingList: mappings, PaginationToken: '' };
});

// ---------------------------------------------------------------- Lambda
// Values are deliberately fake: they never reach the inventory anyway.
const fnArn = (region, name) => `arn:aws:lambda:${region}:${A}:function:${name}`;
function fn(region, name, o = {}) {
  return {
    FunctionName: name, FunctionArn: fnArn(region, name), ...(o.image ? {} : { Runtime: o.runtime ?? 'python3.12', Handler: 'app.handler' }),
    Role: `arn:aws:iam::${A}:role/service-role/${name}-role`, CodeSize: 18234, Timeout: 30, MemorySize: 256,
    LastModified: o.modified ?? '2026-09-14T08:12:45.000+0000', Version: '$LATEST', PackageType: o.image ? 'Image' : 'Zip', Architectures: ['arm64'],
    SnapStart: o.snapStart ? { ApplyOn: 'PublishedVersions', OptimizationStatus: 'On' } : { ApplyOn: 'None', OptimizationStatus: 'Off' },
    ...(o.env ? { Environment: { Variables: o.env } } : {}), ...(o.kms ? { KMSKeyArn: o.kms } : {}),
  };
}
const functions = {
  [E]: [
    { config: fn(E, 'checkout-api', { env: { DB_PASSWORD: 'not-a-real-password', STRIPE_API_KEY: 'not-a-real-key', LOG_LEVEL: 'info' } }), code: { RepositoryType: 'S3' }, tags: { team: 'payments' } },
    { config: fn(E, 'billing-worker', { runtime: 'java21', snapStart: true, kms: arn(E, 'lambdaEnv'), env: { PAYMENTS_TOKEN: 'not-a-real-token', QUEUE_URL: `https://sqs.${E}.amazonaws.com/${A}/billing` } }),
      code: { RepositoryType: 'S3', SourceKMSKeyArn: arn(E, 'lambdaCode') }, tags: { team: 'billing' } },
    { config: fn(E, 'thumbnailer', { image: true }), code: { RepositoryType: 'ECR', ImageUri: `${A}.dkr.ecr.${E}.amazonaws.com/thumbnailer:2026-09-14` } },
    { config: fn(E, 'nightly-report', { runtime: 'nodejs22.x', env: { REPORT_BUCKET: 'acme-reports' } }), denied: true },
  ],
  [W]: [
    { config: fn(W, 'gdpr-export', { runtime: 'python3.13', env: { EXPORT_BUCKET: 'acme-eu-exports' } }), code: { RepositoryType: 'S3' }, tags: { team: 'privacy' } },
  ],
};
const lambda = mockClient(LambdaClient);
lambda.on(ListFunctionsCommand).callsFake(async (_i, g) => ({ Functions: functions[await regionOf(g)].map((f) => f.config) }));
lambda.on(GetFunctionCommand).callsFake(async (input, g) => {
  const region = await regionOf(g);
  const f = functions[region].find((x) => x.config.FunctionArn === input.FunctionName);
  if (f.denied) throw denied('lambda:GetFunction', input.FunctionName);
  const location = f.code.RepositoryType === 'S3' ? { Location: `https://awslambda-${region}-tasks.s3.${region}.amazonaws.com/snapshots/${A}/${f.config.FunctionName}?X-Amz-Signature=not-stored` } : {};
  return { Configuration: f.config, Code: { ...f.code, ...location }, ...(f.tags ? { Tags: f.tags } : {}) };
});

// Published versions (issue 10): an alias or SnapStart keeps them alive; each has its own key and variables.
const version = (region, name, v, o) => ({ ...fn(region, name, o), FunctionArn: `${fnArn(region, name)}:${v}`, Version: v, LastModified: o.modified ?? '2026-06-01T09:00:00.000+0000' });
const versions = {
  [`${E}:checkout-api`]: [version(E, 'checkout-api', '7', { env: { DB_PASSWORD: 'not-a-real-password', STRIPE_API_KEY: 'not-a-real-key', LOG_LEVEL: 'info' } })],
  [`${E}:billing-worker`]: [
    version(E, 'billing-worker', '3', { runtime: 'java21', snapStart: true, env: { PAYMENTS_TOKEN: 'not-a-real-token', LEDGER_DSN: 'mysql://billing:not-a-real-password@ledger.internal:3306/billing' }, modified: '2026-03-02T09:00:00.000+0000' }),
    version(E, 'billing-worker', '4', { runtime: 'java21', snapStart: true, kms: arn(E, 'lambdaEnv'), env: { PAYMENTS_TOKEN: 'not-a-real-token', QUEUE_URL: `https://sqs.${E}.amazonaws.com/${A}/billing` } }),
  ],
};
const aliases = {
  [`${E}:checkout-api`]: [{ AliasArn: `${fnArn(E, 'checkout-api')}:prod`, Name: 'prod', FunctionVersion: '7', RevisionId: 'a1b2c3d4-0000-4000-8000-000000000007' }],
  [`${E}:billing-worker`]: [{ AliasArn: `${fnArn(E, 'billing-worker')}:live`, Name: 'live', FunctionVersion: '4', RoutingConfig: { AdditionalVersionWeights: { 3: 0.1 } }, RevisionId: 'a1b2c3d4-0000-4000-8000-000000000004' }],
};
const fnKey = async (input, g) => `${await regionOf(g)}:${input.FunctionName.split(':function:')[1]}`;
lambda.on(ListVersionsByFunctionCommand).callsFake(async (input, g) => ({ Versions: versions[await fnKey(input, g)] ?? [] }));
lambda.on(ListFunctionAliasesCommand).callsFake(async (input, g) => ({ Aliases: aliases[await fnKey(input, g)] ?? [] }));

// ---------------------------------------------------------------- DynamoDB Accelerator (issue 10)
const daxClusters = {
  [E]: [
    { ClusterName: 'orders-cache', ClusterArn: `arn:aws:dax:${E}:${A}:cache/orders-cache`, TotalNodes: 3, ActiveNodes: 3, NodeType: 'dax.r5.large', Status: 'available', IamRoleArn: `arn:aws:iam::${A}:role/DAXServiceRole`, SSEDescription: { Status: 'ENABLED' }, ClusterEndpointEncryptionType: 'TLS' },
    { ClusterName: 'legacy-cache', ClusterArn: `arn:aws:dax:${E}:${A}:cache/legacy-cache`, TotalNodes: 1, ActiveNodes: 1, NodeType: 'dax.r4.large', Status: 'available', IamRoleArn: `arn:aws:iam::${A}:role/DAXServiceRole`, SSEDescription: { Status: 'DISABLED' }, ClusterEndpointEncryptionType: 'NONE' },
  ],
  // A cluster still being created: "only cluster level information will be displayed" (DescribeClusters).
  [W]: [{ ClusterName: 'eu-cache', ClusterArn: `arn:aws:dax:${W}:${A}:cache/eu-cache`, TotalNodes: 3, NodeType: 'dax.r5.large', Status: 'creating' }],
};
const daxTags = { 'orders-cache': [{ Key: 'team', Value: 'orders' }], 'legacy-cache': [{ Key: 'team', Value: 'orders' }] };
const dax = mockClient(DAXClient);
dax.on(DescribeDaxClustersCommand).callsFake(async (_i, g) => ({ Clusters: daxClusters[await regionOf(g)] }));
dax.on(ListDaxTagsCommand).callsFake(async (input) => ({ Tags: daxTags[input.ResourceName.split('/').at(-1)] ?? [] }));

// ---------------------------------------------------------------- Redshift
function cluster(region, id, o) {
  return {
    ClusterIdentifier: id, NodeType: o.node, ClusterStatus: 'available', ClusterAvailabilityStatus: 'Available', MasterUsername: 'awsuser', DBName: 'dev',
    Endpoint: { Address: `${id}.c1a2b3c4d5e6.${region}.redshift.amazonaws.com`, Port: 5439 }, ClusterCreateTime: new Date(o.created),
    AutomatedSnapshotRetentionPeriod: 1, ClusterVersion: '1.0', NumberOfNodes: o.nodes ?? 2, PubliclyAccessible: false, Encrypted: o.encrypted,
    ...(o.kms ? { KmsKeyId: o.kms } : {}), PendingModifiedValues: {}, Tags: o.tags ?? [], MultiAZ: 'Disabled',
    ClusterNamespaceArn: `arn:aws:redshift:${region}:${A}:namespace:${o.ns}`,
  };
}
const clusters = {
  [E]: [
    cluster(E, 'legacy-dw', { node: 'dc2.large', encrypted: false, created: '2019-04-17T11:22:33.000Z', ns: '3f1e2d3c-4b5a-4697-8877-665544332211', tags: [{ Key: 'team', Value: 'finance' }] }),
    cluster(E, 'analytics', { node: 'ra3.xlplus', encrypted: true, kms: arn(E, 'awsRedshift'), created: '2023-07-03T09:00:00.000Z', ns: '4a2f3e4d-5c6b-47a8-9988-776655443322', tags: [{ Key: 'team', Value: 'data' }] }),
    cluster(E, 'reporting', { node: 'ra3.large', encrypted: true, created: '2025-03-01T10:00:00.000Z', ns: '5b3a4f5e-6d7c-48b9-aa99-887766554433' }),
  ],
  [W]: [],
};
function snapshot(region, id, clusterId, o) {
  return {
    SnapshotIdentifier: id, ClusterIdentifier: clusterId, SnapshotCreateTime: new Date(o.created), Status: 'available', SnapshotType: o.type, NodeType: o.node,
    NumberOfNodes: 2, DBName: 'dev', Encrypted: o.encrypted, ...(o.kms ? { KmsKeyId: o.kms } : {}), EncryptedWithHSM: false, OwnerAccount: A,
    TotalBackupSizeInMegaBytes: 15320.0, SnapshotArn: `arn:aws:redshift:${region}:${A}:snapshot:${clusterId}/${id}`, Tags: [],
  };
}
const snapshots = {
  [E]: [
    snapshot(E, 'legacy-dw-2026-q3', 'legacy-dw', { type: 'manual', node: 'dc2.large', encrypted: false, created: '2026-09-30T23:00:00.000Z' }),
    snapshot(E, 'rs:analytics-2026-11-28-03-00-00', 'analytics', { type: 'automated', node: 'ra3.xlplus', encrypted: true, kms: arn(E, 'awsRedshift'), created: '2026-11-28T03:00:00.000Z' }),
  ],
  [W]: [],
};
const namespaces = {
  [E]: [{ namespaceArn: `arn:aws:redshift-serverless:${E}:${A}:namespace/aa58f5ad-32a2-4178-b70a-3a474de0d7d2`, namespaceId: 'aa58f5ad-32a2-4178-b70a-3a474de0d7d2', namespaceName: 'adhoc', adminUsername: 'admin', dbName: 'dev', kmsKeyId: 'AWS_OWNED_KMS_KEY', status: 'AVAILABLE', creationDate: new Date('2025-02-08T14:34:58.000Z') }],
  [W]: [{ namespaceArn: `arn:aws:redshift-serverless:${W}:${A}:namespace/edab7045-d239-4f5f-ad98-706114608952`, namespaceId: 'edab7045-d239-4f5f-ad98-706114608952', namespaceName: 'warehouse', adminUsername: 'admin', dbName: 'dev', kmsKeyId: arn(W, 'warehouseHsm'), status: 'AVAILABLE', creationDate: new Date('2025-09-08T16:21:03.000Z') }],
};
const redshift = mockClient(RedshiftClient);
redshift.on(DescribeClustersCommand).callsFake(async (_i, g) => ({ Clusters: clusters[await regionOf(g)] }));
redshift.on(DescribeClusterSnapshotsCommand).callsFake(async (_i, g) => ({ Snapshots: snapshots[await regionOf(g)] }));
const serverless = mockClient(RedshiftServerlessClient);
serverless.on(ListNamespacesCommand).callsFake(async (_i, g) => ({ namespaces: namespaces[await regionOf(g)] }));
const serverlessSnapshots = {
  [E]: [
    { namespaceName: 'adhoc', namespaceArn: namespaces[E][0].namespaceArn, snapshotName: 'adhoc-before-upgrade', snapshotCreateTime: new Date('2026-10-02T07:00:00.000Z'), status: 'AVAILABLE', kmsKeyId: 'AWS_OWNED_KMS_KEY', ownerAccount: A, snapshotArn: `arn:aws:redshift-serverless:${E}:${A}:snapshot/6f1c0f0e-1d2c-4b3a-9e8f-7a6b5c4d3e2f`, accountsWithRestoreAccess: [] },
    { namespaceName: 'adhoc', namespaceArn: namespaces[E][0].namespaceArn, snapshotName: 'adhoc-orders-extract', snapshotCreateTime: new Date('2026-11-20T07:00:00.000Z'), status: 'AVAILABLE', kmsKeyId: arn(E, 'ordersData'), ownerAccount: A, snapshotArn: `arn:aws:redshift-serverless:${E}:${A}:snapshot/7a2d1e0f-2e3d-4c4b-8f9a-8b7c6d5e4f3a`, accountsWithRestoreAccess: [] },
  ],
  [W]: [
    { namespaceName: 'warehouse', namespaceArn: namespaces[W][0].namespaceArn, snapshotName: 'warehouse-2026-11-27', snapshotCreateTime: new Date('2026-11-27T22:00:00.000Z'), status: 'AVAILABLE', kmsKeyId: arn(W, 'warehouseHsm'), ownerAccount: A, snapshotArn: `arn:aws:redshift-serverless:${W}:${A}:snapshot/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d`, accountsWithRestoreAccess: [] },
  ],
};
serverless.on(ListSnapshotsCommand).callsFake(async (_i, g) => ({ snapshots: serverlessSnapshots[await regionOf(g)] }));
const namespaceTags = { adhoc: [{ key: 'team', value: 'analytics' }], warehouse: [{ key: 'data-classification', value: 'restricted' }, { key: 'team', value: 'finance' }] };
serverless.on(ListTagsForResourceCommand).callsFake(async (input, g) => {
  const region = await regionOf(g);
  const ns = namespaces[region].find((n) => n.namespaceArn === input.resourceArn);
  return { tags: namespaceTags[ns.namespaceName] ?? [] };
});

// ---------------------------------------------------------------- collect
const times = ['2026-11-28T09:00:00.000Z', '2026-11-28T09:04:12.000Z'];
const { inventory } = await collect({
  clients: new ClientFactory({ credentials: { accessKeyId: 'AKIDDEMO', secretAccessKey: 'demo' }, maxAttempts: 1 }),
  accountId: A,
  principalArn: ROLE,
  partition: 'aws',
  regions: [E, W],
  services: ['dynamodb', 'kms', 'lambda', 'redshift'],
  concurrency: 4,
  log: () => {},
  now: () => new Date(times.shift() ?? '2026-11-28T09:04:12.000Z'),
});
inventory.tool.version = '0.1.0';
writeFileSync(new URL('../fixtures/demo/dynamodb-lambda-redshift.json', import.meta.url), `${JSON.stringify(inventory, null, 2)}\n`);
console.log(`wrote ${inventory.resources.length} resources, ${inventory.keys.length} keys, ${inventory.scan.errors.length} errors`);
const count = (stub) => stub.calls().length;
console.log(`calls: dynamodb ${count(ddb)}, dax ${count(dax)}, lambda ${count(lambda)}, redshift ${count(redshift)}, redshift-serverless ${count(serverless)}, kms ${count(kms)} (DescribeKey ${kms.commandCalls(DescribeKeyCommand).length})`);
