import {
  DescribeBackupCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListBackupsCommand,
  ListTablesCommand,
} from '@aws-sdk/client-dynamodb';
import { ListAliasesCommand as KmsListAliasesCommand, type KMSClient } from '@aws-sdk/client-kms';
import { DAXClient, DescribeClustersCommand, ListTagsCommand } from '@aws-sdk/client-dax';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dynamodbCheck } from '../../../src/services/dynamodb/check.js';
import type { Resource } from '../../../src/model/inventory.js';
import { evaluate } from '../../../src/engine/engine.js';
import { BASELINE_POLICY, STRICT_POLICY } from '../../../src/policy/built-in.js';
import { validator } from '../../../src/schema.js';
import { checkContext } from '../../helpers/context.js';
import { awsError, awsFixture } from '../../helpers/fixtures.js';
import { inventoryFrom } from '../../helpers/dlr-inventory.js';
import { ScriptedClients, scriptedContext } from '../../helpers/http.js';
import { keyArn, mockKms } from '../../helpers/kms-mock-dlr.js';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { TAGGING_DENIED, answerGetResources, getResourcesCalls } from '../../helpers/tagging.js';

const ARN = (name: string) => `arn:aws:dynamodb:us-east-1:111122223333:table/${name}`;

let ddb: AwsClientStub<DynamoDBClient>;
let kms: AwsClientStub<KMSClient>;
let tagging: AwsClientStub<ResourceGroupsTaggingAPIClient>;

function mockAccount(): void {
  ddb.on(ListTablesCommand).resolves(awsFixture('dynamodb/list-tables-page-1.json'));
  ddb.on(ListTablesCommand, { ExclusiveStartTableName: 'payments' }).resolves(awsFixture('dynamodb/list-tables-page-2.json'));
  ddb.on(DescribeTableCommand, { TableName: 'sessions' }).resolves(awsFixture('dynamodb/describe-table-default.json'));
  ddb.on(DescribeTableCommand, { TableName: 'users' }).resolves(awsFixture('dynamodb/describe-table-aws-managed.json'));
  ddb.on(DescribeTableCommand, { TableName: 'orders' }).resolves(awsFixture('dynamodb/describe-table-cmk-global.json'));
  ddb.on(DescribeTableCommand, { TableName: 'payments' }).resolves(awsFixture('dynamodb/describe-table-inaccessible.json'));
  ddb.on(DescribeTableCommand, { TableName: 'audit-log' }).resolves(awsFixture('dynamodb/describe-table-minimal.json'));
  ddb
    .on(DescribeTableCommand, { TableName: 'restricted' })
    .rejects(awsError('AccessDeniedException', 'User: arn:aws:sts::111122223333:assumed-role/atrest-audit/atrest is not authorized to perform: dynamodb:DescribeTable on resource: arn:aws:dynamodb:us-east-1:111122223333:table/restricted with an explicit deny in an identity-based policy'));
  const page1 = awsFixture('dynamodb/list-backups-page-1.json');
  ddb.on(ListBackupsCommand).resolves(page1);
  ddb.on(ListBackupsCommand, { ExclusiveStartBackupArn: page1.LastEvaluatedBackupArn }).resolves(awsFixture('dynamodb/list-backups-page-2.json'));
  const cmk = awsFixture('dynamodb/describe-backup-cmk.json');
  const plain = awsFixture('dynamodb/describe-backup-default.json');
  const system = awsFixture('dynamodb/describe-backup-system.json');
  for (const b of [cmk, plain, system]) ddb.on(DescribeBackupCommand, { BackupArn: b.BackupDescription.BackupDetails.BackupArn }).resolves(b);
  mockTags();
}

/** The Region's Tagging API listing: orders has three tags, every other table none (so it is not listed). */
const TAGGED = { 'us-east-1 dynamodb:table': awsFixture('tagging/get-resources-dynamodb-us-east-1.json').ResourceTagMappingList };
function mockTags(): void {
  answerGetResources(tagging, TAGGED);
}

let dax: AwsClientStub<DAXClient>;

beforeEach(() => {
  ddb = mockClient(DynamoDBClient);
  kms = mockKms();
  tagging = mockClient(ResourceGroupsTaggingAPIClient);
  answerGetResources(tagging);
  // DAX clusters are part of the DynamoDB check (dax.ts): none unless a test says otherwise.
  dax = mockClient(DAXClient);
  dax.on(DescribeClustersCommand).resolves({ Clusters: [] });
});
afterEach(() => {
  ddb.restore();
  kms.restore();
  tagging.restore();
  dax.restore();
});

const byId = (resources: Resource[], type: string, id: string): Resource => {
  const found = resources.find((r) => r.type === type && r.id === id);
  expect(found, `${type} ${id}`).toBeDefined();
  return found!;
};

describe('DynamoDB tables', () => {
  it('lists tables over two pages and classifies each by its key, never by SSEType', async () => {
    mockAccount();
    const ctx = checkContext();
    const result = await dynamodbCheck.run(ctx);
    const tables = result.resources.filter((r) => r.type === 'table');
    expect(tables.map((r) => r.id).sort()).toEqual(['audit-log', 'orders', 'payments', 'restricted', 'sessions', 'users']);
    // Two calls, the second from where the first stopped (the paginator reuses its input object, so only the last token is visible).
    expect(ddb.commandCalls(ListTablesCommand)).toHaveLength(2);
    expect(ddb.commandCalls(ListTablesCommand)[1]!.args[0].input.ExclusiveStartTableName).toBe('payments');

    const sessions = byId(result.resources, 'table', 'sessions');
    expect(sessions.protection).toMatchObject({ level: 'aws-owned', keyArn: null, algorithm: 'DEFAULT' });
    expect(sessions.protection.notes.join()).toContain('no SSEDescription');

    // users and orders both say SSEType KMS: only the key tells aws/dynamodb from a customer key.
    const users = byId(result.resources, 'table', 'users');
    expect(users.attributes.sseType).toBe('KMS');
    expect(users.protection).toMatchObject({ level: 'aws-managed', keyArn: keyArn('awsDynamo') });
    const orders = byId(result.resources, 'table', 'orders');
    expect(orders.attributes.sseType).toBe('KMS');
    expect(orders.protection).toMatchObject({ level: 'customer-managed', keyArn: keyArn('appData'), keyRef: keyArn('appData') });
    expect(orders.attributes.keyInaccessible).toBe(false);
  });

  it('records an inaccessible key: TableStatus, InaccessibleEncryptionDateTime as an ISO string', async () => {
    mockAccount();
    const result = await dynamodbCheck.run(checkContext());
    const payments = byId(result.resources, 'table', 'payments');
    expect(payments.protection).toMatchObject({ level: 'customer-managed', keyArn: keyArn('ordersOld') });
    expect(payments.attributes).toMatchObject({
      tableStatus: 'INACCESSIBLE_ENCRYPTION_CREDENTIALS',
      keyInaccessible: true,
      inaccessibleEncryptionDateTime: '2026-11-26T17:45:00.000Z',
    });
    expect((payments.evidence.SSEDescription as { InaccessibleEncryptionDateTime: string }).InaccessibleEncryptionDateTime).toBe('2026-11-26T17:45:00.000Z');
  });

  it('records global table replicas: regions, status and the replica key where the API gives it', async () => {
    mockAccount();
    const result = await dynamodbCheck.run(checkContext());
    const orders = byId(result.resources, 'table', 'orders');
    expect(orders.attributes.globalTable).toBe(true);
    expect(orders.attributes.replicaRegions).toEqual(['eu-west-1', 'us-west-2']);
    expect(orders.attributes.replicas).toEqual([
      { region: 'eu-west-1', status: 'ACTIVE', kmsMasterKeyId: 'arn:aws:kms:eu-west-1:111122223333:key/mrk-0a1b2c3d4e5f60718293a4b5c6d7e8f9' },
      { region: 'us-west-2', status: 'INACCESSIBLE_ENCRYPTION_CREDENTIALS', kmsMasterKeyId: 'arn:aws:kms:us-west-2:111122223333:key/a0b1c2d3-e4f5-4a6b-8c7d-8e9f0a1b2c3d' },
    ]);
    expect(byId(result.resources, 'table', 'sessions').attributes).toMatchObject({ globalTable: false, replicaRegions: [] });
  });

  it('AccessDenied on DescribeTable makes that one table unknown, with the reason; the others are still judged', async () => {
    mockAccount();
    const ctx = checkContext();
    const result = await dynamodbCheck.run(ctx);
    const restricted = byId(result.resources, 'table', 'restricted');
    expect(restricted.arn).toBe(ARN('restricted'));
    expect(restricted.protection.level).toBe('unknown');
    expect(restricted.error).toMatchObject({ operation: 'DescribeTable', code: 'AccessDeniedException' });
    expect(result.errors).toContainEqual(expect.objectContaining({ service: 'dynamodb', operation: 'DescribeTable', code: 'AccessDeniedException', resourceArn: ARN('restricted') }));

    const report = evaluate(await inventoryFrom(ctx, result, ['dynamodb']), BASELINE_POLICY, { failOn: 'high' });
    const level = (id: string) => report.findings.find((f) => f.ruleId === 'DYNAMODB.TABLE_ENCRYPTION' && f.resourceArn === ARN(id))!;
    expect(level('restricted').status).toBe('unknown');
    expect(level('restricted').message).toContain('DescribeTable failed: AccessDeniedException');
    for (const id of ['sessions', 'users', 'orders', 'payments', 'audit-log']) expect(level(id).status).toBe('pass');
    // The failed call itself is reported too, so the scan can never look complete.
    expect(report.findings.find((f) => f.ruleId === 'SCAN.INCOMPLETE' && f.resourceArn === ARN('restricted'))?.status).toBe('unknown');
  });

  it('survives a DescribeTable answer with nothing but a name and a status (emulators)', async () => {
    mockAccount();
    const result = await dynamodbCheck.run(checkContext());
    const audit = byId(result.resources, 'table', 'audit-log');
    expect(audit.arn).toBe(ARN('audit-log'));
    expect(audit.protection.level).toBe('aws-owned');
    expect(audit.attributes).toMatchObject({ keyInaccessible: false, inaccessibleEncryptionDateTime: null, replicas: [] });
    expect(audit.error).toBeUndefined();
  });

  it('a table deleted during the scan is unknown and says so', async () => {
    ddb.on(ListTablesCommand).resolves({ TableNames: ['gone'] });
    ddb.on(DescribeTableCommand).rejects(awsError('ResourceNotFoundException', 'Requested resource not found: Table: gone not found'));
    ddb.on(ListBackupsCommand).resolves({ BackupSummaries: [] });
    const result = await dynamodbCheck.run(checkContext());
    expect(result.resources[0]!.protection).toMatchObject({ level: 'unknown', notes: ['the table was deleted during the scan'] });
    expect(result.errors).toHaveLength(1);
  });

  it('an HTTP 500 without an error code still leaves the table unknown, never a pass', async () => {
    ddb.on(ListTablesCommand).resolves({ TableNames: ['flaky'] });
    const error = awsError('UnknownError', 'Internal Server Error', 500);
    ddb.on(DescribeTableCommand).rejects(error);
    ddb.on(ListBackupsCommand).resolves({});
    const result = await dynamodbCheck.run(checkContext());
    expect(result.resources[0]!.protection.level).toBe('unknown');
    expect(result.resources[0]!.error?.code).toBe('HTTP500');
  });

  it('works on at most ctx.fanOut tables at once (the DynamoDB gate bounds the calls on the wire)', async () => {
    const names = Array.from({ length: 12 }, (_, i) => `t${i}`);
    ddb.on(ListTablesCommand).resolves({ TableNames: names });
    ddb.on(ListBackupsCommand).resolves({ BackupSummaries: [] });
    let inFlight = 0;
    let peak = 0;
    ddb.on(DescribeTableCommand).callsFake(async (input: { TableName: string }) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight -= 1;
      return { Table: { TableName: input.TableName, TableStatus: 'ACTIVE' } };
    });
    const result = await dynamodbCheck.run(checkContext({ fanOut: 3 }));
    expect(result.resources).toHaveLength(12);
    expect(peak).toBe(3);
    expect(result.errors).toEqual([]);
  });

  it('ListTables denied: a scan error for the region, no invented tables, backups still read', async () => {
    ddb.on(ListTablesCommand).rejects(awsError('AccessDeniedException', 'not authorized to perform: dynamodb:ListTables'));
    ddb.on(ListBackupsCommand).resolves({ BackupSummaries: [] });
    const result = await dynamodbCheck.run(checkContext());
    expect(result.resources).toEqual([]);
    expect(result.errors).toEqual([expect.objectContaining({ operation: 'ListTables', code: 'AccessDeniedException', region: 'us-east-1' })]);
    expect(ddb.commandCalls(ListBackupsCommand)).toHaveLength(1);
  });

  it('a repeated ListTables continuation token (emulators) ends the listing', async () => {
    ddb.on(ListTablesCommand).resolves({ TableNames: ['sessions'], LastEvaluatedTableName: 'sessions' });
    ddb.on(DescribeTableCommand).resolves(awsFixture('dynamodb/describe-table-default.json'));
    ddb.on(ListBackupsCommand).resolves({});
    const result = await dynamodbCheck.run(checkContext());
    expect(ddb.commandCalls(ListTablesCommand).length).toBeLessThanOrEqual(3);
    expect(result.resources.filter((r) => r.type === 'table').length).toBeGreaterThan(0);
  });

  it('a throttled DescribeTable and a throttled GetResources are retried by the SDK and the table is read', async () => {
    ddb.restore();
    tagging.restore();
    dax.restore();
    let describeCalls = 0;
    let tagCalls = 0;
    const json = { 'content-type': 'application/x-amz-json-1.0' };
    const clients = new ScriptedClients((req) => {
      const target = req.target;
      if (target === 'ListTables') return { status: 200, headers: json, body: JSON.stringify({ TableNames: ['sessions'] }) };
      if (target === 'ListBackups') return { status: 200, headers: json, body: JSON.stringify({ BackupSummaries: [] }) };
      if (target === 'DescribeClusters') return { status: 200, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: JSON.stringify({ Clusters: [] }) };
      if (target === 'GetResources') {
        const json11 = { 'content-type': 'application/x-amz-json-1.1' };
        tagCalls += 1;
        if (tagCalls === 1) return { status: 400, headers: json11, body: JSON.stringify({ __type: 'ThrottlingException', Message: 'Rate exceeded' }) };
        return { status: 200, headers: json11, body: JSON.stringify({ PaginationToken: '', ResourceTagMappingList: [{ ResourceARN: ARN('sessions'), Tags: [{ Key: 'team', Value: 'web' }] }] }) };
      }
      if (target === 'DescribeTable') {
        describeCalls += 1;
        if (describeCalls === 1) {
          return { status: 400, headers: json, body: JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException', message: 'Rate of requests exceeds the allowed throughput.' }) };
        }
        return { status: 200, headers: json, body: JSON.stringify({ Table: { TableName: 'sessions', TableStatus: 'ACTIVE', TableArn: ARN('sessions') } }) };
      }
      return { status: 400, headers: json, body: JSON.stringify({ __type: 'UnknownOperationException', message: String(target) }) };
    });
    const ctx = scriptedContext(clients);
    const result = await dynamodbCheck.run(ctx);
    expect(describeCalls).toBe(2);
    expect(tagCalls).toBe(2);
    expect(result.errors).toEqual([]);
    expect(ctx.tags.errors()).toEqual([]);
    expect(result.resources).toEqual([expect.objectContaining({ id: 'sessions', protection: expect.objectContaining({ level: 'aws-owned' }), tags: { team: 'web' } })]);
    // The table and backup listings run at the same time, so only the multiset of calls is fixed.
    expect(clients.sent.map((r) => r.target).sort()).toEqual(['DescribeClusters', 'DescribeTable', 'DescribeTable', 'GetResources', 'GetResources', 'ListBackups', 'ListTables']);
  });
});


describe('DynamoDB on-demand backups', () => {
  it('lists USER and SYSTEM backups over two pages as resources of type backup, each classified by its own key', async () => {
    mockAccount();
    const result = await dynamodbCheck.run(checkContext());
    const backups = result.resources.filter((r) => r.type === 'backup');
    expect(backups.map((b) => b.id).sort()).toEqual(['orders-2026-10-01', 'payments-archival', 'sessions-weekly']);
    const calls = ddb.commandCalls(ListBackupsCommand).map((c) => c.args[0].input);
    expect(calls.map((i) => i.BackupType)).toEqual(['ALL', 'ALL']);
    expect(calls[1]!.ExclusiveStartBackupArn).toContain('sessions/backup/');

    expect(byId(result.resources, 'backup', 'orders-2026-10-01').protection).toMatchObject({ level: 'customer-managed', keyArn: keyArn('appData') });
    expect(byId(result.resources, 'backup', 'sessions-weekly').protection.level).toBe('aws-owned');
    const system = byId(result.resources, 'backup', 'payments-archival');
    expect(system.attributes).toMatchObject({ backupType: 'SYSTEM', tableName: 'payments', backupCreationDateTime: '2026-10-01T02:00:00.000Z' });
    expect(system.arn).toMatch(/^arn:aws:dynamodb:us-east-1:111122223333:table\/payments\/backup\//);
  });

  it('a DescribeBackup failure leaves that backup unknown with what ListBackups said', async () => {
    ddb.on(ListTablesCommand).resolves({ TableNames: [] });
    const page = awsFixture('dynamodb/list-backups-page-2.json');
    ddb.on(ListBackupsCommand).resolves(page);
    ddb.on(DescribeBackupCommand).rejects(awsError('AccessDeniedException', 'not authorized to perform: dynamodb:DescribeBackup'));
    const result = await dynamodbCheck.run(checkContext());
    expect(result.resources).toHaveLength(1);
    expect(result.resources[0]).toMatchObject({ type: 'backup', protection: { level: 'unknown' }, error: { operation: 'DescribeBackup' }, attributes: { tableName: 'payments' } });
    expect(result.errors[0]).toMatchObject({ operation: 'DescribeBackup', resourceArn: page.BackupSummaries[0].BackupArn });
  });

  it('stops when ListBackups hands back a token it already gave (no endless loop)', async () => {
    ddb.on(ListTablesCommand).resolves({ TableNames: [] });
    const page = awsFixture('dynamodb/list-backups-page-1.json');
    ddb.on(ListBackupsCommand).resolves(page);
    ddb.on(DescribeBackupCommand).resolves(awsFixture('dynamodb/describe-backup-default.json'));
    const result = await dynamodbCheck.run(checkContext());
    expect(ddb.commandCalls(ListBackupsCommand)).toHaveLength(2);
    expect(result.resources.filter((r) => r.type === 'backup').length).toBeGreaterThan(0);
  });
});

describe('DynamoDB rules on a real check run', () => {
  it('KEY_INACCESSIBLE is critical for the inaccessible table and for a table whose replica lost its key; KMS.KEY_STATE catches the disabled key', async () => {
    mockAccount();
    const ctx = checkContext();
    const inventory = await inventoryFrom(ctx, await dynamodbCheck.run(ctx), ['dynamodb']);
    expect(validator('inventory.schema.json')(inventory)).toBe(true);
    const report = evaluate(inventory, BASELINE_POLICY, { failOn: 'high' });
    const f = (rule: string, id: string) => report.findings.find((x) => x.ruleId === rule && x.resourceArn === ARN(id));

    expect(f('DYNAMODB.KEY_INACCESSIBLE', 'payments')).toMatchObject({ status: 'fail', severity: 'critical' });
    expect(f('DYNAMODB.KEY_INACCESSIBLE', 'payments')!.message).toContain('since 2026-11-26T17:45:00.000Z');
    expect(f('DYNAMODB.KEY_INACCESSIBLE', 'orders')).toMatchObject({ status: 'fail', severity: 'critical' });
    expect(f('DYNAMODB.KEY_INACCESSIBLE', 'orders')!.message).toContain('us-west-2');
    expect(f('DYNAMODB.KEY_INACCESSIBLE', 'users')!.status).toBe('pass');
    expect(f('DYNAMODB.KEY_INACCESSIBLE', 'sessions')!.status).toBe('not-applicable');
    expect(f('DYNAMODB.KEY_INACCESSIBLE', 'restricted')).toBeUndefined();

    expect(f('KMS.KEY_STATE', 'payments')).toMatchObject({ status: 'fail', severity: 'critical' });
    expect(f('KMS.KEY_STATE', 'payments')!.message).toContain('alias/orders-old');
    expect(f('KMS.KEY_STATE', 'orders')!.status).toBe('pass');
    expect(f('KMS.KEY_STATE', 'users')!.status).toBe('pass');
    // The SYSTEM backup DynamoDB made when it archived payments sits on the same disabled key.
    const systemBackup = inventory.resources.find((r) => r.id === 'payments-archival')!;
    expect(report.findings.find((x) => x.ruleId === 'KMS.KEY_STATE' && x.resourceArn === systemBackup.arn)!.status).toBe('fail');
    expect(report.outcome.exitCode).toBe(1);
  });

  it('under the strict policy AWS owned and aws/dynamodb tables fail high with the in-place UpdateTable fix; backups get the restore fix', async () => {
    mockAccount();
    const ctx = checkContext();
    const inventory = await inventoryFrom(ctx, await dynamodbCheck.run(ctx), ['dynamodb']);
    const report = evaluate(inventory, STRICT_POLICY, { failOn: 'high' });
    const table = (id: string) => report.findings.find((x) => x.ruleId === 'DYNAMODB.TABLE_ENCRYPTION' && x.resourceArn === ARN(id))!;
    // high, not medium: strict's purpose is customer managed keys (levelFailureSeverity: high), so this fails a default build.
    expect(table('sessions')).toMatchObject({ status: 'fail', severity: 'high' });
    expect(table('sessions').remediation).toMatchObject({ path: 'in-place' });
    expect(table('sessions').remediation!.cli).toContain('update-table');
    expect(table('sessions').compliance).toEqual([expect.objectContaining({ framework: 'aws-config', control: 'dynamodb-table-encrypted-kms' })]);
    expect(table('users').status).toBe('fail');
    expect(table('orders').status).toBe('pass');
    const backup = report.findings.find((x) => x.ruleId === 'DYNAMODB.BACKUP_ENCRYPTION' && x.resourceArn.includes('sessions/backup'))!;
    expect(backup).toMatchObject({ status: 'fail', severity: 'high' });
    expect(backup.remediation).toMatchObject({ path: 'rebuild-from-encrypted-copy' });
    expect(backup.remediation!.cli).toContain('--sse-specification-override');
  });
});

describe('DynamoDB tags', () => {
  it('reads the tags from one Tagging API listing per Region, not one ListTagsOfResource per table; tables it does not name get {}', async () => {
    mockAccount();
    const result = await dynamodbCheck.run(checkContext());
    const orders = byId(result.resources, 'table', 'orders');
    expect(orders.tags).toEqual({ 'cost-center': 'cc-4711', 'data-classification': 'restricted', owner: 'orders-team' });
    expect(byId(result.resources, 'table', 'sessions').tags).toEqual({});
    // The table whose DescribeTable was denied is unknown anyway.
    expect(byId(result.resources, 'table', 'restricted').tags).toBeUndefined();
    expect(await getResourcesCalls(tagging)).toEqual(['us-east-1 dynamodb:table']);
    expect(result.errors).toEqual([expect.objectContaining({ operation: 'DescribeTable' })]);
  });

  it('backups carry no tags: the backup APIs give none, and the listing is asked for tables only', async () => {
    mockAccount();
    const result = await dynamodbCheck.run(checkContext());
    const backups = result.resources.filter((r) => r.type === 'backup');
    expect(backups.length).toBeGreaterThan(0);
    for (const b of backups) {
      expect(b.tags).toBeUndefined();
      expect(b.tagsError).toBeUndefined();
    }
    expect(await getResourcesCalls(tagging)).toEqual(['us-east-1 dynamodb:table']);
  });

  it('AccessDeniedException on GetResources: the levels stand, no tags, tagsError on every table, one ScanError for the Region', async () => {
    mockAccount();
    answerGetResources(tagging, TAGGED, ['us-east-1 dynamodb:table']);
    const ctx = checkContext();
    const result = await dynamodbCheck.run(ctx);
    const users = byId(result.resources, 'table', 'users');
    expect(users.protection.level).toBe('aws-managed');
    expect(users.error).toBeUndefined();
    expect(users).not.toHaveProperty('tags');
    expect(users.tagsError).toEqual({ operation: 'GetResources', code: 'AccessDeniedException', message: TAGGING_DENIED });
    expect(byId(result.resources, 'table', 'orders').tagsError).toMatchObject({ operation: 'GetResources' });
    expect(ctx.tags.errors()).toEqual([{ service: 'dynamodb', region: 'us-east-1', operation: 'GetResources', code: 'AccessDeniedException', message: TAGGING_DENIED }]);
  });
});

describe('DynamoDB Accelerator clusters (issue 10, item 13)', () => {
  it('reads every page of DescribeClusters and each cluster\'s tags: ENABLED is aws/dax, DISABLED none, no SSEDescription unknown', async () => {
    const page1 = awsFixture('dynamodb/dax-describe-clusters-page-1.json');
    dax.on(DescribeClustersCommand).resolves(page1);
    dax.on(DescribeClustersCommand, { NextToken: page1.NextToken }).resolves(awsFixture('dynamodb/dax-describe-clusters-page-2.json'));
    dax.on(ListTagsCommand).resolves({ Tags: [] });
    dax.on(ListTagsCommand, { ResourceName: 'arn:aws:dax:us-east-1:111122223333:cache/orders-cache' }).resolves({ Tags: [{ Key: 'team', Value: 'orders' }] });
    ddb.on(ListTablesCommand).resolves({ TableNames: [] });
    ddb.on(ListBackupsCommand).resolves({ BackupSummaries: [] });
    // KMS lists the predefined alias aws/dax; without a TargetKeyId it is not described (that would create the key).
    kms.on(KmsListAliasesCommand).resolves({ Aliases: [{ AliasName: 'alias/aws/dax', AliasArn: 'arn:aws:kms:us-east-1:111122223333:alias/aws/dax' }] });
    const ctx = checkContext();
    const result = await dynamodbCheck.run(ctx);
    expect(result.errors).toEqual([]);
    expect(dax.commandCalls(DescribeClustersCommand)).toHaveLength(2);
    const clusters = result.resources.filter((r) => r.type === 'dax-cluster');
    expect(clusters.map((c) => c.id).sort()).toEqual(['creating-cache', 'legacy-cache', 'orders-cache']);
    const orders = byId(result.resources, 'dax-cluster', 'orders-cache');
    expect(orders).toMatchObject({ service: 'dynamodb', arn: 'arn:aws:dax:us-east-1:111122223333:cache/orders-cache', tags: { team: 'orders' }, protection: { level: 'aws-managed' } });
    expect(orders.protection.notes.join()).toContain('aws/dax');
    expect(byId(result.resources, 'dax-cluster', 'legacy-cache').protection.level).toBe('none');
    // CREATING: "only cluster level information will be displayed" — no SSEDescription, so unknown.
    expect(byId(result.resources, 'dax-cluster', 'creating-cache').protection.level).toBe('unknown');

    const report = evaluate(await inventoryFrom(ctx, result, ['dynamodb']), BASELINE_POLICY, { failOn: 'high' });
    const legacy = report.findings.find((f) => f.ruleId === 'DYNAMODB.DAX_ENCRYPTION' && f.resourceArn.endsWith('/legacy-cache'))!;
    expect(legacy).toMatchObject({ status: 'fail', severity: 'high' });
    expect(legacy.compliance.map((c) => `${c.framework}:${c.control}:${c.status}`)).toEqual(expect.arrayContaining(['aws-securityhub-fsbp:DynamoDB.3:fail', 'aws-config:dax-encryption-enabled:fail']));
    expect(legacy.remediation!.cli).toContain('aws dax create-cluster --cluster-name legacy-cache-encrypted --node-type dax.r5.large');
    expect(legacy.message).toContain('(cannot be changed in place)');
    const strict = evaluate(await inventoryFrom(ctx, result, ['dynamodb']), STRICT_POLICY, { failOn: 'high' });
    // DAX offers nothing above aws/dax: strict asks no more of it than it can give.
    expect(strict.findings.find((f) => f.ruleId === 'DYNAMODB.DAX_ENCRYPTION' && f.resourceArn.endsWith('/orders-cache'))!.status).toBe('pass');
  });

  it('DescribeClusters denied (or DAX absent from the Region): a scan error; tables still read. ListTags denied: tags unreadable', async () => {
    mockAccount();
    dax.on(DescribeClustersCommand).rejects(awsError('AccessDeniedException', 'not authorized to perform: dax:DescribeClusters', 400));
    const result = await dynamodbCheck.run(checkContext());
    expect(result.errors.filter((e) => e.operation === 'DescribeClusters')).toEqual([expect.objectContaining({ service: 'dynamodb', region: 'us-east-1', code: 'AccessDeniedException' })]);
    expect(result.resources.some((r) => r.type === 'table')).toBe(true);

    dax.on(DescribeClustersCommand).resolves({ Clusters: [{ ClusterName: 'c', ClusterArn: 'arn:aws:dax:us-east-1:111122223333:cache/c', SSEDescription: { Status: 'ENABLED' } }] });
    dax.on(ListTagsCommand).rejects(awsError('AccessDeniedException', 'not authorized to perform: dax:ListTags', 400));
    const again = await dynamodbCheck.run(checkContext());
    expect(again.resources.find((r) => r.type === 'dax-cluster')).toMatchObject({ tagsError: { operation: 'ListTags', code: 'AccessDeniedException' } });
    expect(again.errors).toContainEqual(expect.objectContaining({ operation: 'ListTags', resourceArn: 'arn:aws:dax:us-east-1:111122223333:cache/c' }));
  });
});
