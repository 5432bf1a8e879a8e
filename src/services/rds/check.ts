import {
  RDSClient,
  paginateDescribeDBClusterAutomatedBackups,
  paginateDescribeDBInstanceAutomatedBackups,
  paginateDescribeDBClusterSnapshots,
  paginateDescribeDBClusters,
  paginateDescribeDBInstances,
  paginateDescribeDBSnapshots,
  type DBCluster,
  type DBClusterAutomatedBackup,
  type DBClusterSnapshot,
  type DBInstanceAutomatedBackup,
  type DBInstance,
  type DBSnapshot,
} from '@aws-sdk/client-rds';
import { parseArn } from '../../aws/arn.js';
import { describeAwsError } from '../../aws/errors.js';
import type { Json, Protection, Resource, ScanError } from '../../model/inventory.js';
import type { ServiceName } from '../../model/services.js';
import { mapLimited } from '../../util/limit.js';
import { isoDate, pickEvidence, tagMap } from '../../collect/evidence.js';
import { awsOwned, protectionFromKey, unencrypted, unreadable } from '../../collect/protection.js';
import type { CheckContext, CheckResult, ServiceCheck } from '../../collect/check.js';
import { scanError } from '../../collect/scan-error.js';
import { AURORA_DEFAULT_ENCRYPTION_DATE } from '../aurora/matrix.js';

/**
 * One module for two services: the RDS API lists RDS and Aurora alike.
 *
 * - Aurora engines (`aurora`, `aurora-mysql`, `aurora-postgresql`) are
 *   service `aurora`; every other RDS engine is service `rds`, including
 *   Multi-AZ DB clusters of MySQL and PostgreSQL.
 * - An instance that belongs to a cluster is encrypted by its cluster: the
 *   cluster is reported once, with its members in its evidence; the member
 *   instances are not reported again. (If the cluster itself was not listed,
 *   the member is reported on its own rather than lost.)
 * - DocumentDB and Neptune also answer to the RDS API (engines `docdb`,
 *   `neptune`). They are other services with their own consoles and APIs, so
 *   they are left out here (logged with --debug) and never mixed into `rds`.
 *   See docs/services/rds.md.
 *
 * Levels: `StorageEncryptionType=sse-rds` is an AWS owned key (and comes
 * with StorageEncrypted=false by design); otherwise StorageEncrypted /
 * Encrypted is trusted first: false means `none` whatever KmsKeyId says
 * (some endpoints fill it with a placeholder); true takes the resolved key's
 * level (aws/rds is AWS managed).
 */


/** The atrest service of an RDS engine, or null for engines of other services (DocumentDB, Neptune). */
export function serviceOfEngine(engine: string | undefined): 'rds' | 'aurora' | null {
  const e = (engine ?? '').toLowerCase();
  if (e.startsWith('docdb') || e.startsWith('neptune')) return null;
  if (e.startsWith('aurora')) return 'aurora';
  return 'rds';
}

const CLUSTER_EVIDENCE = [
  'DBClusterIdentifier',
  'DBClusterArn',
  'DbClusterResourceId',
  'Engine',
  'EngineVersion',
  'EngineMode',
  'DBClusterInstanceClass',
  'Status',
  'ClusterCreateTime',
  'StorageEncrypted',
  'StorageEncryptionType',
  'KmsKeyId',
  'GlobalClusterIdentifier',
  'ReplicationSourceIdentifier',
] as const satisfies ReadonlyArray<keyof DBCluster>;

const INSTANCE_EVIDENCE = [
  'DBInstanceIdentifier',
  'DBInstanceArn',
  'DbiResourceId',
  'Engine',
  'EngineVersion',
  'DBInstanceClass',
  'DBInstanceStatus',
  'InstanceCreateTime',
  'StorageEncrypted',
  'StorageEncryptionType',
  'KmsKeyId',
  'DBClusterIdentifier',
  'ReadReplicaSourceDBInstanceIdentifier',
] as const satisfies ReadonlyArray<keyof DBInstance>;

const MEMBER_EVIDENCE = ['DBInstanceIdentifier', 'DBInstanceArn', 'Engine', 'DBInstanceStatus', 'StorageEncrypted', 'StorageEncryptionType', 'KmsKeyId'] as const satisfies ReadonlyArray<
  keyof DBInstance
>;

const SNAPSHOT_EVIDENCE = [
  'DBSnapshotIdentifier',
  'DBSnapshotArn',
  'DBInstanceIdentifier',
  'DbiResourceId',
  'Engine',
  'SnapshotType',
  'Status',
  'SnapshotCreateTime',
  'OriginalSnapshotCreateTime',
  'SourceRegion',
  'SourceDBSnapshotIdentifier',
  'Encrypted',
  'StorageEncryptionType',
  'KmsKeyId',
] as const satisfies ReadonlyArray<keyof DBSnapshot>;

const CLUSTER_SNAPSHOT_EVIDENCE = [
  'DBClusterSnapshotIdentifier',
  'DBClusterSnapshotArn',
  'DBClusterIdentifier',
  'DbClusterResourceId',
  'Engine',
  'EngineMode',
  'SnapshotType',
  'Status',
  'SnapshotCreateTime',
  'ClusterCreateTime',
  'SourceDBClusterSnapshotArn',
  'StorageEncrypted',
  'StorageEncryptionType',
  'KmsKeyId',
] as const satisfies ReadonlyArray<keyof DBClusterSnapshot>;

export const rdsCheck: ServiceCheck = {
  async run(ctx: CheckContext): Promise<CheckResult> {
    const wantRds = ctx.services.includes('rds');
    const wantAurora = ctx.services.includes('aurora');
    if (!wantRds && !wantAurora) return { resources: [], errors: [] };
    const client = ctx.clients.get(RDSClient, ctx.region);
    const both: ServiceName[] = [...(wantRds ? (['rds'] as const) : []), ...(wantAurora ? (['aurora'] as const) : [])];

    // Instances and instance snapshots only matter to `rds`: an Aurora-only
    // scan reads cluster membership from DBClusterMembers instead.
    const [clusters, instances, snapshots, clusterSnapshots] = await Promise.all([
      list(ctx, 'DescribeDBClusters', both, () => paginateDescribeDBClusters({ client, pageSize: 100 }, {}), (p) => p.DBClusters),
      wantRds ? list(ctx, 'DescribeDBInstances', ['rds'], () => paginateDescribeDBInstances({ client, pageSize: 100 }, {}), (p) => p.DBInstances) : empty<DBInstance>(),
      wantRds ? list(ctx, 'DescribeDBSnapshots', ['rds'], () => paginateDescribeDBSnapshots({ client, pageSize: 100 }, {}), (p) => p.DBSnapshots) : empty<DBSnapshot>(),
      list(ctx, 'DescribeDBClusterSnapshots', both, () => paginateDescribeDBClusterSnapshots({ client, pageSize: 100 }, {}), (p) => p.DBClusterSnapshots),
    ]);
    // Automated backups (issue 10, item 11): current instances' and clusters', those replicated here from
    // another Region under this Region's key, and those retained after their database was deleted.
    // An empty page (aws-sdk-client-mock, some emulators) is no backups.
    const [instanceBackups, clusterBackups] = await Promise.all([
      wantRds
        ? list(ctx, 'DescribeDBInstanceAutomatedBackups', ['rds'], () => paginateDescribeDBInstanceAutomatedBackups({ client, pageSize: 100 }, {}), (p) => p?.DBInstanceAutomatedBackups)
        : empty<DBInstanceAutomatedBackup>(),
      list(ctx, 'DescribeDBClusterAutomatedBackups', both, () => paginateDescribeDBClusterAutomatedBackups({ client, pageSize: 100 }, {}), (p) => p?.DBClusterAutomatedBackups),
    ]);
    const errors = [...clusters.errors, ...instances.errors, ...snapshots.errors, ...clusterSnapshots.errors, ...instanceBackups.errors, ...clusterBackups.errors];
    const skipped = { other: 0, foreign: 0 };

    const clusterById = new Map<string, DBCluster>();
    for (const cluster of clusters.items) if (cluster.DBClusterIdentifier) clusterById.set(cluster.DBClusterIdentifier, cluster);
    const membersByCluster = new Map<string, DBInstance[]>();
    const instanceArnById = new Map<string, string>();
    for (const instance of instances.items) {
      const id = instance.DBInstanceIdentifier;
      if (id) instanceArnById.set(id, instance.DBInstanceArn ?? arnOf(ctx, ctx.region, 'db', id));
      const clusterId = instance.DBClusterIdentifier;
      if (clusterId && clusterById.has(clusterId)) {
        const list = membersByCluster.get(clusterId) ?? [];
        list.push(instance);
        membersByCluster.set(clusterId, list);
      }
    }
    const clusterArnById = new Map<string, string>();
    for (const [id, cluster] of clusterById) clusterArnById.set(id, cluster.DBClusterArn ?? arnOf(ctx, ctx.region, 'cluster', id));

    // Started under the concurrency bound below (key resolution is the only call per resource).
    const pending: Array<() => Promise<Resource | null>> = [];
    const wanted = (service: ServiceName | null): service is 'rds' | 'aurora' => {
      if (service === null) {
        skipped.other += 1;
        return false;
      }
      return ctx.services.includes(service);
    };

    for (const cluster of clusters.items) {
      const service = serviceOfEngine(cluster.Engine);
      if (!wanted(service)) continue;
      pending.push(() => clusterResource(ctx, service, cluster, membersByCluster.get(cluster.DBClusterIdentifier ?? '') ?? null, instances.read));
    }
    for (const instance of instances.items) {
      const service = serviceOfEngine(instance.Engine);
      if (!wanted(service)) continue;
      const clusterId = instance.DBClusterIdentifier;
      // Reported through its cluster (membership is in the cluster's evidence).
      if (clusterId && clusterById.has(clusterId)) continue;
      pending.push(() => instanceResource(ctx, service, instance, clusters.read));
    }
    for (const snapshot of snapshots.items) {
      const service = serviceOfEngine(snapshot.Engine);
      if (!wanted(service)) continue;
      if (!owned(ctx, snapshot.DBSnapshotArn)) {
        skipped.foreign += 1;
        continue;
      }
      pending.push(() => dbSnapshotResource(ctx, service, snapshot, instanceArnById));
    }
    for (const snapshot of clusterSnapshots.items) {
      const service = serviceOfEngine(snapshot.Engine);
      if (!wanted(service)) continue;
      if (!owned(ctx, snapshot.DBClusterSnapshotArn)) {
        skipped.foreign += 1;
        continue;
      }
      pending.push(() => clusterSnapshotResource(ctx, service, snapshot, clusterArnById));
    }

    for (const backup of instanceBackups.items) {
      const service = serviceOfEngine(backup.Engine);
      if (!wanted(service)) continue;
      if (!owned(ctx, backup.DBInstanceAutomatedBackupsArn ?? backup.DBInstanceArn)) {
        skipped.foreign += 1;
        continue;
      }
      pending.push(() => automatedBackupResource(ctx, service, backup, instanceBackup(backup)));
    }
    for (const backup of clusterBackups.items) {
      const service = serviceOfEngine(backup.Engine);
      if (!wanted(service)) continue;
      if (!owned(ctx, backup.DBClusterAutomatedBackupsArn ?? backup.DBClusterArn)) {
        skipped.foreign += 1;
        continue;
      }
      pending.push(() => automatedBackupResource(ctx, service, backup, clusterBackup(backup)));
    }

    if (skipped.other > 0) {
      ctx.log(`rds: ${skipped.other} DocumentDB/Neptune resource(s) in ${ctx.region} left out: they are other services (see docs/services/rds.md)`);
    }
    if (skipped.foreign > 0) ctx.log(`rds: ${skipped.foreign} snapshot(s) of other accounts in ${ctx.region} left out`);

    const resources = (await mapLimited(pending, ctx.fanOut, (start) => start())).filter((r): r is Resource => r !== null);
    return { resources, errors };
  },
};

interface Listing<T> {
  items: T[];
  errors: ScanError[];
  /** False when the listing failed (items may then hold the pages read before the failure). */
  read: boolean;
}

function empty<T>(): Promise<Listing<T>> {
  return Promise.resolve({ items: [], errors: [], read: false });
}

async function list<P, T>(
  ctx: CheckContext,
  operation: string,
  services: readonly ServiceName[],
  paginate: () => AsyncIterable<P>,
  pick: (page: P) => T[] | undefined,
): Promise<Listing<T>> {
  const items: T[] = [];
  try {
    ctx.log(`rds ${operation} ${ctx.region}`);
    for await (const page of paginate()) items.push(...(pick(page) ?? []));
    return { items, errors: [], read: true };
  } catch (error) {
    const info = describeAwsError(error);
    // One error per service the failed listing leaves unread.
    const errors = services.map((service) => scanError(service, ctx.region, operation, info));
    return { items, errors, read: false };
  }
}

function arnOf(ctx: CheckContext, region: string, kind: 'db' | 'cluster' | 'snapshot' | 'cluster-snapshot' | 'auto-backup' | 'cluster-auto-backup', id: string): string {
  return `arn:${ctx.partition}:rds:${region}:${ctx.accountId}:${kind}:${id}`;
}

/** Snapshots shared by other accounts are not ours (they are not requested, but some endpoints return them anyway). */
function owned(ctx: CheckContext, arn: string | undefined): boolean {
  const account = arn ? parseArn(arn)?.accountId : undefined;
  return !account || account === ctx.accountId;
}

/**
 * The protection of any RDS/Aurora resource from its encryption fields. See
 * the module comment for the order in which they are trusted.
 */
async function rdsProtection(
  ctx: CheckContext,
  flagName: 'StorageEncrypted' | 'Encrypted',
  flag: boolean | undefined,
  encryptionType: string | undefined,
  keyRef: string | undefined,
): Promise<Protection> {
  const type = encryptionType?.toLowerCase();
  if (type === 'sse-rds') {
    return awsOwned('sse-rds', [`StorageEncryptionType=sse-rds: encrypted with an AWS owned key (${flagName} is ${flag === undefined ? 'absent' : String(flag)}; for sse-rds it is false by design)`]);
  }
  if (flag === false || (flag === undefined && type === 'none')) {
    const notes = [flag === false ? `${flagName}=false` : 'StorageEncryptionType=none'];
    if (keyRef) notes.push(`KmsKeyId "${keyRef}" is present but ignored: ${flagName}=false decides`);
    if (type === 'sse-kms') notes.push(`StorageEncryptionType says sse-kms but ${flagName}=false: ${flagName} is trusted`);
    return unencrypted(notes);
  }
  if (flag !== true && type !== 'sse-kms') {
    return unreadable(`the response has neither ${flagName} nor StorageEncryptionType, so whether the data is encrypted is unknown`, keyRef ?? null);
  }
  const notes: string[] = [];
  if (type === 'none') notes.push(`StorageEncryptionType says none but ${flagName}=true: ${flagName} is trusted`);
  if (!keyRef) {
    return unreadable(`encrypted (${flag === true ? `${flagName}=true` : 'StorageEncryptionType=sse-kms'}) but the response names no KmsKeyId, so the key and its level are unknown`);
  }
  const resolution = await ctx.keys.resolve(keyRef, ctx.region);
  return protectionFromKey(keyRef, resolution, type ?? null, notes);
}

function baseResource(ctx: CheckContext, service: 'rds' | 'aurora', type: string, arn: string, id: string, protection: Protection, tags: Resource['tags']): Resource {
  const resource: Resource = { arn, id, service, type, region: ctx.region, accountId: ctx.accountId, protection, attributes: {}, evidence: {} };
  if (tags) resource.tags = tags;
  return resource;
}

async function clusterResource(
  ctx: CheckContext,
  service: 'rds' | 'aurora',
  cluster: DBCluster,
  listedMembers: DBInstance[] | null,
  instancesListed: boolean,
): Promise<Resource | null> {
  const id = cluster.DBClusterIdentifier;
  if (!id) {
    ctx.log(`rds: a DB cluster without DBClusterIdentifier in ${ctx.region} could not be identified and was skipped`);
    return null;
  }
  const protection = await rdsProtection(ctx, 'StorageEncrypted', cluster.StorageEncrypted, cluster.StorageEncryptionType, cluster.KmsKeyId);
  const resource = baseResource(ctx, service, 'db-cluster', cluster.DBClusterArn ?? arnOf(ctx, ctx.region, 'cluster', id), id, protection, tagMap(cluster.TagList));
  const memberIds = new Set<string>();
  for (const m of cluster.DBClusterMembers ?? []) if (m.DBInstanceIdentifier) memberIds.add(m.DBInstanceIdentifier);
  for (const m of listedMembers ?? []) if (m.DBInstanceIdentifier) memberIds.add(m.DBInstanceIdentifier);
  resource.attributes = {
    engine: cluster.Engine ?? null,
    engineMode: cluster.EngineMode ?? null,
    createdAt: isoDate(cluster.ClusterCreateTime),
    storageEncrypted: typeof cluster.StorageEncrypted === 'boolean' ? cluster.StorageEncrypted : null,
    storageEncryptionType: cluster.StorageEncryptionType ?? null,
    multiAzDbCluster: service === 'rds',
    members: [...memberIds].sort(),
  };
  resource.evidence = pickEvidence(cluster, CLUSTER_EVIDENCE);
  resource.evidence.DBClusterMembers = (cluster.DBClusterMembers ?? []).map((m) => ({
    DBInstanceIdentifier: m.DBInstanceIdentifier ?? null,
    IsClusterWriter: typeof m.IsClusterWriter === 'boolean' ? m.IsClusterWriter : null,
  }));
  // The members' own encryption fields, proof that they share the cluster's
  // storage encryption (each is reported here, not as a separate resource).
  if (instancesListed) {
    resource.evidence.MemberInstances = (listedMembers ?? []).map((m) => pickEvidence(m, MEMBER_EVIDENCE)) as Json;
  }
  if (memberIds.size > 0) {
    protection.notes.push(`${memberIds.size} member instance(s) (${[...memberIds].sort().join(', ')}) share this cluster's storage encryption and are reported through it`);
  }
  if (service === 'aurora' && cluster.ClusterCreateTime) {
    const created = isoDate(cluster.ClusterCreateTime);
    if (created) {
      protection.notes.push(
        created.slice(0, 10) >= AURORA_DEFAULT_ENCRYPTION_DATE
          ? `created ${created.slice(0, 10)}, on or after ${AURORA_DEFAULT_ENCRYPTION_DATE}: Aurora encrypts new clusters by default (AWS owned key unless a KMS key is chosen)`
          : `created ${created.slice(0, 10)}, before Aurora encrypted new clusters by default (${AURORA_DEFAULT_ENCRYPTION_DATE})`,
      );
    }
  }
  return resource;
}

async function instanceResource(ctx: CheckContext, service: 'rds' | 'aurora', instance: DBInstance, clustersListed: boolean): Promise<Resource | null> {
  const id = instance.DBInstanceIdentifier;
  if (!id) {
    ctx.log(`rds: a DB instance without DBInstanceIdentifier in ${ctx.region} could not be identified and was skipped`);
    return null;
  }
  const protection = await rdsProtection(ctx, 'StorageEncrypted', instance.StorageEncrypted, instance.StorageEncryptionType, instance.KmsKeyId);
  const resource = baseResource(ctx, service, 'db-instance', instance.DBInstanceArn ?? arnOf(ctx, ctx.region, 'db', id), id, protection, tagMap(instance.TagList));
  const clusterId = instance.DBClusterIdentifier ?? null;
  if (clusterId) {
    // Normally reported through the cluster; here the cluster was not listed.
    protection.notes.push(
      `member of DB cluster ${clusterId}, which ${clustersListed ? 'DescribeDBClusters did not return' : 'could not be listed (DescribeDBClusters failed)'}: reported on its own, judged by its StorageEncrypted (which follows the cluster's)`,
    );
  }
  resource.attributes = {
    engine: instance.Engine ?? null,
    createdAt: isoDate(instance.InstanceCreateTime),
    storageEncrypted: typeof instance.StorageEncrypted === 'boolean' ? instance.StorageEncrypted : null,
    storageEncryptionType: instance.StorageEncryptionType ?? null,
    clusterIdentifier: clusterId,
    readReplicaSource: instance.ReadReplicaSourceDBInstanceIdentifier ?? null,
  };
  resource.evidence = pickEvidence(instance, INSTANCE_EVIDENCE);
  return resource;
}

/** The region a snapshot's source lives in: copies from another Region name it. */
function sourceRegion(ctx: CheckContext, fromArn: string | undefined, fromName: string | undefined): string {
  const arnRegion = fromArn ? parseArn(fromArn)?.region : undefined;
  return arnRegion || fromName || ctx.region;
}

async function dbSnapshotResource(ctx: CheckContext, service: 'rds' | 'aurora', snapshot: DBSnapshot, instanceArnById: ReadonlyMap<string, string>): Promise<Resource | null> {
  const id = snapshot.DBSnapshotIdentifier;
  if (!id) {
    ctx.log(`rds: a DB snapshot without DBSnapshotIdentifier in ${ctx.region} could not be identified and was skipped`);
    return null;
  }
  const protection = await rdsProtection(ctx, 'Encrypted', snapshot.Encrypted, snapshot.StorageEncryptionType, snapshot.KmsKeyId);
  const resource = baseResource(ctx, service, 'db-snapshot', snapshot.DBSnapshotArn ?? arnOf(ctx, ctx.region, 'snapshot', id), id, protection, tagMap(snapshot.TagList));
  const sourceId = snapshot.DBInstanceIdentifier ?? null;
  const region = sourceRegion(ctx, undefined, snapshot.SourceRegion);
  const sourceArn = sourceId ? (region === ctx.region ? instanceArnById.get(sourceId) : undefined) ?? arnOf(ctx, region, 'db', sourceId) : null;
  resource.attributes = {
    engine: snapshot.Engine ?? null,
    snapshotType: snapshot.SnapshotType ?? null,
    createdAt: isoDate(snapshot.SnapshotCreateTime),
    encrypted: typeof snapshot.Encrypted === 'boolean' ? snapshot.Encrypted : null,
    sourceIdentifier: sourceId,
    sourceArn,
  };
  resource.evidence = pickEvidence(snapshot, SNAPSHOT_EVIDENCE);
  return resource;
}

async function clusterSnapshotResource(
  ctx: CheckContext,
  service: 'rds' | 'aurora',
  snapshot: DBClusterSnapshot,
  clusterArnById: ReadonlyMap<string, string>,
): Promise<Resource | null> {
  const id = snapshot.DBClusterSnapshotIdentifier;
  if (!id) {
    ctx.log(`rds: a DB cluster snapshot without DBClusterSnapshotIdentifier in ${ctx.region} could not be identified and was skipped`);
    return null;
  }
  const protection = await rdsProtection(ctx, 'StorageEncrypted', snapshot.StorageEncrypted, snapshot.StorageEncryptionType, snapshot.KmsKeyId);
  const resource = baseResource(
    ctx,
    service,
    'db-cluster-snapshot',
    snapshot.DBClusterSnapshotArn ?? arnOf(ctx, ctx.region, 'cluster-snapshot', id),
    id,
    protection,
    tagMap(snapshot.TagList),
  );
  const sourceId = snapshot.DBClusterIdentifier ?? null;
  const region = sourceRegion(ctx, snapshot.SourceDBClusterSnapshotArn, undefined);
  const sourceArn = sourceId ? (region === ctx.region ? clusterArnById.get(sourceId) : undefined) ?? arnOf(ctx, region, 'cluster', sourceId) : null;
  resource.attributes = {
    engine: snapshot.Engine ?? null,
    snapshotType: snapshot.SnapshotType ?? null,
    createdAt: isoDate(snapshot.SnapshotCreateTime),
    clusterCreatedAt: isoDate(snapshot.ClusterCreateTime),
    encrypted: typeof snapshot.StorageEncrypted === 'boolean' ? snapshot.StorageEncrypted : null,
    sourceIdentifier: sourceId,
    sourceArn,
  };
  resource.evidence = pickEvidence(snapshot, CLUSTER_SNAPSHOT_EVIDENCE);
  return resource;
}

/**
 * Where an automated backup's database lives: the Region of its source ARN
 * (DBInstanceArn / DBClusterArn), else the `Region` field ("the AWS Region
 * associated with the automated backup"). A backup listed in another Region than its source's was
 * replicated here (StartDBInstanceAutomatedBackupsReplication), encrypted with
 * a key of THIS Region ("The KMS key ID is the ARN for the KMS encryption key
 * in the destination AWS Region", API reference).
 */
function backupSource(ctx: CheckContext, region: string | undefined, sourceArn: string | undefined): { sourceRegion: string; replicated: boolean } {
  // The source's own ARN says where it lives; `Region` when there is no ARN.
  const sourceRegion = (sourceArn ? parseArn(sourceArn)?.region : undefined) || region || ctx.region;
  return { sourceRegion, replicated: sourceRegion !== ctx.region };
}

/** Facts both kinds of automated backup carry, for rules and messages. */
function backupNotes(status: string | undefined, replicated: boolean, sourceRegion: string, recoveryPoint: string | undefined): string[] {
  const notes: string[] = [];
  if (status === 'retained') notes.push('retained automated backup of a deleted database: it stays, under the key it was made with, until its retention period ends or it is deleted');
  if (replicated) notes.push(`replicated from ${sourceRegion}: encrypted with a key of this Region`);
  if (recoveryPoint) notes.push(`managed by AWS Backup (recovery point ${recoveryPoint})`);
  return notes;
}

/**
 * The two kinds of automated backup in one shape: DescribeDBInstanceAutomatedBackups
 * and DescribeDBClusterAutomatedBackups say the same things under different
 * names (DBInstanceIdentifier / DBClusterIdentifier, Encrypted /
 * StorageEncrypted, …), so each is mapped here once and one builder makes the
 * resource.
 */
interface AutomatedBackup {
  type: 'db-instance-automated-backup' | 'db-cluster-automated-backup';
  /** What a backup is called in a log line when it cannot be identified. */
  what: string;
  identifier: string | undefined;
  resourceId: string | undefined;
  arn: string | undefined;
  arnKind: 'auto-backup' | 'cluster-auto-backup';
  sourceArn: string | undefined;
  encryptedField: 'Encrypted' | 'StorageEncrypted';
  encrypted: boolean | undefined;
  createdAt: Date | undefined;
  /** Only instance backups are replicated to other Regions (StartDBInstanceAutomatedBackupsReplication). */
  replicatedTo?: string[];
  /** The answer's fields kept as evidence (checked against the SDK's type where the answer is mapped). */
  evidence: Resource['evidence'];
}

function instanceBackup(b: DBInstanceAutomatedBackup): AutomatedBackup {
  return {
    type: 'db-instance-automated-backup',
    what: 'an automated backup without DBInstanceIdentifier or DbiResourceId',
    identifier: b.DBInstanceIdentifier,
    resourceId: b.DbiResourceId,
    arn: b.DBInstanceAutomatedBackupsArn,
    arnKind: 'auto-backup',
    sourceArn: b.DBInstanceArn,
    encryptedField: 'Encrypted',
    encrypted: b.Encrypted,
    createdAt: b.InstanceCreateTime,
    replicatedTo: (b.DBInstanceAutomatedBackupsReplications ?? []).map((r) => r.DBInstanceAutomatedBackupsArn ?? '').filter(Boolean).sort(),
    evidence: pickEvidence(b, ['DBInstanceAutomatedBackupsArn', 'DBInstanceArn', 'DbiResourceId', 'DBInstanceIdentifier', 'Region', 'Status', 'Engine', 'Encrypted', 'StorageEncryptionType', 'KmsKeyId', 'BackupRetentionPeriod', 'RestoreWindow', 'DBInstanceAutomatedBackupsReplications', 'AwsBackupRecoveryPointArn']),
  };
}

function clusterBackup(b: DBClusterAutomatedBackup): AutomatedBackup {
  return {
    type: 'db-cluster-automated-backup',
    what: 'a cluster automated backup without DBClusterIdentifier or DbClusterResourceId',
    identifier: b.DBClusterIdentifier,
    resourceId: b.DbClusterResourceId,
    arn: b.DBClusterAutomatedBackupsArn,
    arnKind: 'cluster-auto-backup',
    sourceArn: b.DBClusterArn,
    encryptedField: 'StorageEncrypted',
    encrypted: b.StorageEncrypted,
    createdAt: b.ClusterCreateTime,
    evidence: pickEvidence(b, ['DBClusterAutomatedBackupsArn', 'DBClusterArn', 'DbClusterResourceId', 'DBClusterIdentifier', 'Region', 'Status', 'Engine', 'StorageEncrypted', 'StorageEncryptionType', 'KmsKeyId', 'BackupRetentionPeriod', 'RestoreWindow', 'AwsBackupRecoveryPointArn']),
  };
}

/** An automated backup of a DB instance or cluster as a resource of its own type. */
async function automatedBackupResource(
  ctx: CheckContext,
  service: 'rds' | 'aurora',
  answer: DBInstanceAutomatedBackup | DBClusterAutomatedBackup,
  backup: AutomatedBackup,
): Promise<Resource | null> {
  const id = backup.identifier ?? backup.resourceId;
  if (!id) {
    ctx.log(`rds: ${backup.what} in ${ctx.region} could not be identified and was skipped`);
    return null;
  }
  const protection = await rdsProtection(ctx, backup.encryptedField, backup.encrypted, answer.StorageEncryptionType, answer.KmsKeyId);
  const { sourceRegion, replicated } = backupSource(ctx, answer.Region, backup.sourceArn);
  protection.notes.push(...backupNotes(answer.Status, replicated, sourceRegion, answer.AwsBackupRecoveryPointArn));
  const arn = backup.arn ?? arnOf(ctx, ctx.region, backup.arnKind, backup.resourceId ?? id);
  const resource = baseResource(ctx, service, backup.type, arn, id, protection, tagMap(answer.TagList));
  resource.attributes = {
    engine: answer.Engine ?? null,
    status: answer.Status ?? null,
    retained: answer.Status === 'retained',
    replicated,
    sourceRegion,
    sourceArn: backup.sourceArn ?? null,
    sourceIdentifier: backup.identifier ?? null,
    sourceResourceId: backup.resourceId ?? null,
    backupRetentionPeriod: answer.BackupRetentionPeriod ?? null,
    createdAt: isoDate(backup.createdAt),
    encrypted: typeof backup.encrypted === 'boolean' ? backup.encrypted : null,
    ...(backup.replicatedTo ? { replicatedTo: backup.replicatedTo } : {}),
  };
  resource.evidence = backup.evidence;
  return resource;
}
