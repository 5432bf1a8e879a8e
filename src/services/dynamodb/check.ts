import {
  DescribeBackupCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListBackupsCommand,
  paginateListTables,
  type BackupSummary,
  type SSEDescription,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { describeAwsError } from '../../aws/errors.js';
import type { Json, Protection, Resource, ScanError } from '../../model/inventory.js';
import { mapLimited } from '../../util/limit.js';
import { isoDate, toJson } from '../../collect/evidence.js';
import { awsOwned, protectionFromKey, unreadable } from '../../collect/protection.js';
import type { CheckContext, CheckResult, ServiceCheck } from '../../collect/check.js';
import { scanError } from '../../collect/scan-error.js';
import { readDaxClusters } from './dax.js';

/**
 * The DynamoDB check: every table of a region (ListTables, then DescribeTable
 * per table with bounded concurrency) and every on-demand backup (ListBackups,
 * then DescribeBackup), as resources of type `table` and `backup`.
 *
 * DynamoDB always encrypts. Which key it uses shows in SSEDescription:
 * - no SSEDescription (or one without a key, e.g. Status DISABLED from the
 *   old API) → the AWS owned key, the free default;
 * - SSEType KMS with KMSMasterKeyArn → a KMS key, which the resolver
 *   classifies: `aws/dynamodb` is AWS managed, anything else customer managed.
 *   SSEType is KMS for both, so it never decides the level on its own.
 *
 * A table whose key became inaccessible (TableStatus or SSEDescription.Status
 * INACCESSIBLE_ENCRYPTION_CREDENTIALS, an InaccessibleEncryptionDateTime, or an
 * archival for that reason) is recorded as such; DYNAMODB.KEY_INACCESSIBLE
 * judges it.
 *
 * Tables also get their tags, for the policy's tag overrides, from the
 * Region's Resource Groups Tagging API listing (collect/tag-index.ts) rather
 * than one ListTagsOfResource each, which AWS limits to 10 calls a second per
 * account (300 tables: 30 s; 3,000: 5 minutes). Backups carry none:
 * ListBackups and DescribeBackup return no tags.
 *
 * The table and backup listings are independent and run at the same time.
 */

const INACCESSIBLE = 'INACCESSIBLE_ENCRYPTION_CREDENTIALS';

export const dynamodbCheck: ServiceCheck = {
  run: (ctx) => runCheck(ctx),
};

async function runCheck(ctx: CheckContext): Promise<CheckResult> {
  const client = ctx.clients.get(DynamoDBClient, ctx.region);
  const errors: ScanError[] = [];
  const resources: Resource[] = [];

  // The listings are independent: tables, DAX clusters (another API, part of
  // this service: dax.ts) and backups are read at the same time, and their
  // resources kept in that order.
  const readTables = async (): Promise<CheckResult> => {
    const names: string[] = [];
    try {
      ctx.log(`dynamodb ListTables ${ctx.region}`);
      for await (const page of paginateListTables({ client, pageSize: 100, stopOnSameToken: true }, {})) {
        names.push(...(page.TableNames ?? []));
      }
    } catch (error) {
      return { resources: [], errors: [scanError('dynamodb', ctx.region, 'ListTables', describeAwsError(error))] };
    }
    const tables = await mapLimited(names, ctx.fanOut, (name) => readTable(ctx, client, name));
    return { resources: tables.map((t) => t.resource), errors: tables.flatMap((t) => t.errors) };
  };

  const readBackups = async (): Promise<CheckResult> => {
    const backups = await listBackups(ctx, client);
    if (!backups.summaries) return { resources: [], errors: backups.errors };
    const described = await mapLimited(backups.summaries, ctx.fanOut, (summary) => readBackup(ctx, client, summary));
    return {
      resources: described.flatMap((b) => (b.resource ? [b.resource] : [])),
      errors: [...backups.errors, ...described.flatMap((b) => b.errors)],
    };
  };

  for (const part of await Promise.all([readTables(), readDaxClusters(ctx), readBackups()])) {
    resources.push(...part.resources);
    errors.push(...part.errors);
  }
  return { resources, errors };
}

interface Read {
  resource: Resource;
  errors: ScanError[];
}

function tableArn(ctx: CheckContext, name: string): string {
  return `arn:${ctx.partition}:dynamodb:${ctx.region}:${ctx.accountId}:table/${name}`;
}

async function readTable(ctx: CheckContext, client: DynamoDBClient, name: string): Promise<Read> {
  const fallbackArn = tableArn(ctx, name);
  let table: TableDescription | undefined;
  try {
    ctx.log(`dynamodb DescribeTable ${name}`);
    table = (await client.send(new DescribeTableCommand({ TableName: name }))).Table;
  } catch (error) {
    const info = describeAwsError(error);
    const reason =
      info.code === 'ResourceNotFoundException' ? 'the table was deleted during the scan' : `DescribeTable failed: ${info.code}: ${info.message}`;
    return failed(ctx, 'table', fallbackArn, name, 'DescribeTable', info, reason);
  }
  if (!table) {
    const info = { code: 'MissingField', message: 'DescribeTable returned no Table' };
    return failed(ctx, 'table', fallbackArn, name, 'DescribeTable', info, info.message);
  }

  const arn = table.TableArn ?? fallbackArn;
  const sse = table.SSEDescription;
  const evidence: { [key: string]: Json } = {
    TableStatus: table.TableStatus ?? null,
    SSEDescription: toJson(sse ?? null),
  };
  if (table.TableId) evidence.TableId = table.TableId;
  if (table.CreationDateTime) evidence.CreationDateTime = table.CreationDateTime.toISOString();
  if (table.ArchivalSummary) evidence.ArchivalSummary = toJson(table.ArchivalSummary);
  if (table.GlobalTableVersion) evidence.GlobalTableVersion = table.GlobalTableVersion;

  const replicas = (table.Replicas ?? []).map((r) => ({
    region: r.RegionName ?? 'unknown',
    status: r.ReplicaStatus ?? null,
    // The API names the replica's key only for replicas whose key differs; absent means "not reported".
    kmsMasterKeyId: r.KMSMasterKeyId ?? null,
  }));
  if (table.Replicas) {
    evidence.Replicas = toJson(
      table.Replicas.map((r) => ({
        RegionName: r.RegionName,
        ReplicaStatus: r.ReplicaStatus,
        ReplicaStatusDescription: r.ReplicaStatusDescription,
        KMSMasterKeyId: r.KMSMasterKeyId,
      })),
    );
  }

  const inaccessibleSince = isoDate(sse?.InaccessibleEncryptionDateTime);
  const archivedForKey = table.ArchivalSummary?.ArchivalReason === INACCESSIBLE;
  const resource: Resource = {
    arn,
    id: table.TableName ?? name,
    service: 'dynamodb',
    type: 'table',
    region: ctx.region,
    accountId: ctx.accountId,
    protection: await sseProtection(ctx, sse, 'DescribeTable'),
    attributes: {
      tableStatus: table.TableStatus ?? null,
      sseStatus: sse?.Status ?? null,
      sseType: sse?.SSEType ?? null,
      keyInaccessible:
        table.TableStatus === INACCESSIBLE || (sse?.Status as string | undefined) === INACCESSIBLE || inaccessibleSince !== null || archivedForKey,
      inaccessibleEncryptionDateTime: inaccessibleSince,
      archivalReason: table.ArchivalSummary?.ArchivalReason ?? null,
      archivalBackupArn: table.ArchivalSummary?.ArchivalBackupArn ?? null,
      globalTable: replicas.length > 0,
      replicaRegions: replicas.map((r) => r.region).sort(),
      replicas,
    },
    evidence,
  };
  const tags = await ctx.tags.tagsOf('dynamodb:table', ctx.region, arn);
  // The level stands if the tags cannot be read; only which tag override
  // applies is unknown (the rules say so). The listing's failure is one scan
  // error for the Region (collect/tag-index.ts), not one per table.
  if ('error' in tags) resource.tagsError = tags.error;
  else resource.tags = tags.tags;
  return { resource, errors: [] };
}

/**
 * The protection an SSEDescription gives (a table's, or a backup's source
 * table at backup time). Shared by tables and backups so both classify alike.
 */
async function sseProtection(ctx: CheckContext, sse: SSEDescription | undefined, call: string): Promise<Protection> {
  if (!sse) {
    return awsOwned('DEFAULT', [`no SSEDescription in ${call}: DynamoDB encrypts with its AWS owned key (the default)`]);
  }
  const keyRef = sse.KMSMasterKeyArn ?? null;
  if (keyRef) {
    const notes: string[] = [];
    if (sse.Status === 'UPDATING') notes.push('SSEDescription.Status UPDATING: the table key is being changed; rescan to see the final key');
    const resolution = await ctx.keys.resolve(keyRef, ctx.region);
    return protectionFromKey(keyRef, resolution, sse.SSEType ?? 'KMS', notes);
  }
  if (sse.SSEType === 'KMS') {
    return unreadable(`SSEDescription says SSEType KMS but names no KMSMasterKeyArn (Status ${sse.Status ?? 'missing'})`);
  }
  // Status DISABLED/ENABLED without a KMS key (the pre-2018 API, SSEType AES256): the AWS owned key.
  return awsOwned('DEFAULT', [`SSEDescription without a KMS key (Status ${sse.Status ?? 'missing'}${sse.SSEType ? `, SSEType ${sse.SSEType}` : ''}): the AWS owned key`]);
}

interface BackupList {
  summaries: BackupSummary[] | null;
  errors: ScanError[];
}

/**
 * ListBackups has no SDK paginator: it pages with ExclusiveStartBackupArn /
 * LastEvaluatedBackupArn, and only an absent LastEvaluatedBackupArn means the
 * end. BackupType ALL lists USER and SYSTEM on-demand backups (AWS Backup
 * copies live in AWS Backup vaults under the vault's key and are not listed).
 */
async function listBackups(ctx: CheckContext, client: DynamoDBClient): Promise<BackupList> {
  const summaries: BackupSummary[] = [];
  const seen = new Set<string>();
  let start: string | undefined;
  try {
    do {
      ctx.log(`dynamodb ListBackups ${ctx.region}${start ? ` after ${start}` : ''}`);
      const out = await client.send(new ListBackupsCommand({ BackupType: 'ALL', ...(start ? { ExclusiveStartBackupArn: start } : {}) }));
      summaries.push(...(out.BackupSummaries ?? []));
      start = out.LastEvaluatedBackupArn || undefined;
      if (start) {
        // A token that comes back twice would loop forever (seen with emulators).
        if (seen.has(start)) break;
        seen.add(start);
      }
    } while (start);
  } catch (error) {
    const info = describeAwsError(error);
    return { summaries: null, errors: [scanError('dynamodb', ctx.region, 'ListBackups', info)] };
  }
  return { summaries, errors: [] };
}

async function readBackup(ctx: CheckContext, client: DynamoDBClient, summary: BackupSummary): Promise<{ resource: Resource | null; errors: ScanError[] }> {
  const arn = summary.BackupArn;
  if (!arn) return { resource: null, errors: [] };
  const id = summary.BackupName ?? arn.split('/').at(-1) ?? arn;
  const attributes: { [key: string]: Json } = {
    tableName: summary.TableName ?? null,
    tableArn: summary.TableArn ?? null,
    backupType: summary.BackupType ?? null,
    backupStatus: summary.BackupStatus ?? null,
    backupCreationDateTime: isoDate(summary.BackupCreationDateTime),
  };
  try {
    ctx.log(`dynamodb DescribeBackup ${arn}`);
    const out = await client.send(new DescribeBackupCommand({ BackupArn: arn }));
    const description = out.BackupDescription;
    if (!description) {
      const info = { code: 'MissingField', message: 'DescribeBackup returned no BackupDescription' };
      const read = failed(ctx, 'backup', arn, id, 'DescribeBackup', info, info.message);
      read.resource.attributes = attributes;
      return read;
    }
    const sse = description.SourceTableFeatureDetails?.SSEDescription;
    const details = description.BackupDetails;
    const evidence: { [key: string]: Json } = {
      BackupDetails: toJson({
        BackupArn: details?.BackupArn,
        BackupName: details?.BackupName,
        BackupStatus: details?.BackupStatus,
        BackupType: details?.BackupType,
        BackupCreationDateTime: details?.BackupCreationDateTime,
        BackupExpiryDateTime: details?.BackupExpiryDateTime,
      }),
      SourceTable: toJson({ TableName: description.SourceTableDetails?.TableName, TableArn: description.SourceTableDetails?.TableArn }),
      SSEDescription: toJson(sse ?? null),
    };
    return {
      resource: {
        arn,
        id,
        service: 'dynamodb',
        type: 'backup',
        region: ctx.region,
        accountId: ctx.accountId,
        protection: await sseProtection(ctx, sse, 'DescribeBackup'),
        attributes: { ...attributes, sseType: sse?.SSEType ?? null },
        evidence,
      },
      errors: [],
    };
  } catch (error) {
    const info = describeAwsError(error);
    const reason =
      info.code === 'BackupNotFoundException' ? 'the backup was deleted during the scan' : `DescribeBackup failed: ${info.code}: ${info.message}`;
    const read = failed(ctx, 'backup', arn, id, 'DescribeBackup', info, reason);
    read.resource.attributes = attributes;
    return read;
  }
}

/** A resource that could not be read: level `unknown`, the failed call recorded on it and as a scan error. */
function failed(
  ctx: CheckContext,
  type: 'table' | 'backup',
  arn: string,
  id: string,
  operation: string,
  info: { code: string; message: string },
  reason: string,
): Read {
  return {
    resource: {
      arn,
      id,
      service: 'dynamodb',
      type,
      region: ctx.region,
      accountId: ctx.accountId,
      protection: unreadable(reason),
      attributes: {},
      evidence: {},
      error: { operation, code: info.code, message: info.message },
    },
    errors: [scanError('dynamodb', ctx.region, operation, info, arn)],
  };
}
