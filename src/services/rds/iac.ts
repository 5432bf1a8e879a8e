import { awsOwned, protectionFromKey, unencrypted, unreadable } from '../../collect/protection.js';
import type { Json, Protection, Resource } from '../../model/inventory.js';
import { evidenceOf, names, record, refText, type IacKindFacts, type IacKindMapping, type MapContext, type ServiceIac } from '../../iac/mapping.js';
import type { CodeResource } from '../../iac/model.js';
import { Ref, readBool, readString, whyUnknown, type Value } from '../../iac/value.js';
import { AURORA_DEFAULT_NOTE } from '../aurora/iac.js';
import { rdsSetKey } from './iac-fix.js';

/**
 * RDS and Aurora in infrastructure code, one mapping for both as the live
 * check is: the engine decides the service (aurora* is Aurora, every other
 * engine RDS, DocumentDB and Neptune are left out). DB instances that belong
 * to a cluster of the same code are reported through their cluster, as the
 * live check does. Types and attributes are the live check's: `db-instance`
 * (engine, storageEncrypted, clusterIdentifier, readReplicaSource) and
 * `db-cluster` (engine, engineMode, storageEncrypted, storageEncryptionType,
 * multiAzDbCluster, members).
 *
 * Defaults: RDS DB instances and Multi-AZ DB clusters are unencrypted unless
 * storage_encrypted / StorageEncrypted is true (provider and API default
 * false); encrypted without a key is aws/rds. Aurora clusters created since
 * 2026-02-18 are encrypted by default with an AWS owned key (sse-rds) unless
 * a KMS key is chosen (src/services/aurora/iac.ts). A replica or a restore
 * takes its source's encryption unless the code sets it.
 */

const TF = 'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/';
const CFN = 'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/';
const RDS_DOCS = 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html';
const RDS_KEY_ALIAS = 'alias/aws/rds';

export const RDS_IAC_FACTS: IacKindFacts[] = [
  {
    kind: 'aws_db_instance',
    format: 'terraform',
    service: 'rds',
    types: ['db-instance'],
    defaults: 'storage_encrypted omitted: false, unencrypted; storage_encrypted = true without kms_key_id: the AWS managed key aws/rds; replicate_source_db or snapshot_identifier without storage_encrypted: the source\'s encryption (unknown to the code); a member of an aws_rds_cluster of the same code is reported through the cluster',
    docs: [`${TF}db_instance`, RDS_DOCS],
  },
  {
    kind: 'aws_rds_cluster (engine mysql / postgres: Multi-AZ DB cluster)',
    format: 'terraform',
    service: 'rds',
    types: ['db-cluster'],
    defaults: 'storage_encrypted omitted: false for Multi-AZ DB clusters, unencrypted; true without kms_key_id: aws/rds',
    docs: [`${TF}rds_cluster`, RDS_DOCS],
  },
  {
    kind: 'AWS::RDS::DBInstance, AWS::RDS::DBCluster (non-Aurora engines)',
    format: 'cloudformation',
    service: 'rds',
    types: ['db-instance', 'db-cluster'],
    defaults: 'StorageEncrypted omitted: false, unencrypted; true without KmsKeyId: aws/rds; SourceDBInstanceIdentifier / DBSnapshotIdentifier without StorageEncrypted: the source\'s encryption',
    docs: [`${CFN}aws-resource-rds-dbinstance.html`, `${CFN}aws-resource-rds-dbcluster.html`, RDS_DOCS],
  },
];

function serviceOfEngine(engine: Value | undefined, fallback: 'rds' | 'aurora'): 'rds' | 'aurora' | null | 'unknown' {
  if (engine === undefined || engine === null) return fallback;
  if (typeof engine !== 'string') return 'unknown';
  const e = engine.toLowerCase();
  if (e.startsWith('docdb') || e.startsWith('neptune')) return null;
  return e.startsWith('aurora') ? 'aurora' : 'rds';
}

interface Spec {
  flag: Value | undefined;
  key: Value | undefined;
  /** A source the resource copies its encryption from (replica, snapshot, point-in-time restore). */
  source: Value | undefined;
  sourceWhat: string;
  flagName: string;
  keyName: string;
}

function rdsProtection(ctx: MapContext, resource: CodeResource, service: 'rds' | 'aurora', cluster: boolean, spec: Spec): Protection {
  const region = ctx.region(resource);
  const flag = readBool(spec.flag);
  const keyGiven = spec.key !== undefined && spec.key !== null && spec.key !== '';
  if (flag !== undefined && typeof flag !== 'boolean') return unreadable(`${spec.flagName} is not known before deployment: ${whyUnknown(flag)}`, refText(spec.key));
  const aurora = service === 'aurora' && cluster;
  if (flag === true || (aurora && keyGiven)) {
    const notes = flag === true ? [] : [`${spec.flagName} not set but ${spec.keyName} is: Aurora encrypts new clusters, with the chosen key`];
    if (!keyGiven) notes.push(`${spec.flagName} = true with no ${spec.keyName}: RDS uses the AWS managed key aws/rds`);
    const resolution = ctx.keys.resolve(keyGiven ? spec.key : RDS_KEY_ALIAS, resource, region);
    return protectionFromKey(keyGiven ? refText(spec.key) : null, resolution, 'sse-kms', notes);
  }
  const source = readString(spec.source);
  if (flag === undefined && source !== undefined) {
    return unreadable(`${spec.flagName} not set: the ${spec.sourceWhat} ${typeof source === 'string' ? source : refText(spec.source)} gives its encryption, which the code does not say; set ${spec.flagName} (and ${spec.keyName}) to decide it`);
  }
  if (aurora) {
    return awsOwned('sse-rds', [`${spec.flagName} ${flag === false ? '= false' : 'not set'}: ${AURORA_DEFAULT_NOTE}`]);
  }
  const notes = [flag === false ? `${spec.flagName} = false` : `${spec.flagName} not set: RDS creates the ${cluster ? 'Multi-AZ DB cluster' : 'DB instance'} unencrypted (the provider and API default is false)`];
  if (keyGiven) notes.push(`${spec.keyName} is set but ignored: ${spec.flagName} decides (set it to true)`);
  return unencrypted(notes);
}

export const rdsIacMapping: IacKindMapping = {
  service: 'rds',
  kinds: ['aws_db_instance', 'aws_rds_cluster', 'AWS::RDS::DBInstance', 'AWS::RDS::DBCluster'],
  companions: ['aws_rds_cluster_instance'],
  map(resource: CodeResource, ctx: MapContext): Resource[] {
    if (resource.mode !== 'managed') return [];
    const cfn = resource.format === 'cloudformation';
    const v = resource.values;
    const cluster = resource.kind === 'aws_rds_cluster' || resource.kind === 'AWS::RDS::DBCluster';
    const engine = cfn ? v.Engine : v.engine;
    const service = serviceOfEngine(engine, cluster ? 'aurora' : 'rds');
    if (service === null) return []; // DocumentDB / Neptune: other services, left out as the live check does
    const resolved: 'rds' | 'aurora' = service === 'unknown' ? (cluster ? 'aurora' : 'rds') : service;
    const engineText = typeof engine === 'string' ? engine : null;
    if (!cluster) {
      const clusterRef = cfn ? v.DBClusterIdentifier : v.cluster_identifier;
      if (clusterRef !== undefined && clusterRef !== null) {
        const clusters = ctx.sameRoot(resource, cfn ? ['AWS::RDS::DBCluster'] : ['aws_rds_cluster']);
        // Reported through its cluster, as the live check does, when the cluster is in the same code.
        if (clusters.some((c) => names(clusterRef, c, [typeof c.values.cluster_identifier === 'string' ? c.values.cluster_identifier : undefined, typeof c.values.DBClusterIdentifier === 'string' ? c.values.DBClusterIdentifier : undefined]))) return [];
      }
      const protection = rdsProtection(ctx, resource, resolved, false, {
        flag: cfn ? v.StorageEncrypted : v.storage_encrypted,
        key: cfn ? v.KmsKeyId : v.kms_key_id,
        source: cfn ? (v.SourceDBInstanceIdentifier ?? v.DBSnapshotIdentifier ?? v.SourceDBClusterIdentifier) : (v.replicate_source_db ?? v.snapshot_identifier ?? (v.restore_to_point_in_time !== undefined ? 'a point-in-time restore' : undefined)),
        sourceWhat: 'source (replica source, snapshot or restore)',
        flagName: cfn ? 'StorageEncrypted' : 'storage_encrypted',
        keyName: cfn ? 'KmsKeyId' : 'kms_key_id',
      });
      if (service === 'unknown') protection.notes.push('the engine is not known before deployment: read as RDS');
      const storageEncrypted = readBool(cfn ? v.StorageEncrypted : v.storage_encrypted);
      const attributes: { [key: string]: Json } = {
        engine: engineText,
        createdAt: null,
        storageEncrypted: typeof storageEncrypted === 'boolean' ? storageEncrypted : protection.level === 'none' ? false : null,
        storageEncryptionType: null,
        clusterIdentifier: refText(cfn ? v.DBClusterIdentifier : v.cluster_identifier),
        readReplicaSource: refText(cfn ? v.SourceDBInstanceIdentifier : v.replicate_source_db),
      };
      return [
        record(resource, ctx, {
          service: resolved,
          type: 'db-instance',
          protection,
          attributes,
          evidence: evidenceOf(v, cfn ? ['Engine', 'StorageEncrypted', 'KmsKeyId', 'DBClusterIdentifier', 'SourceDBInstanceIdentifier', 'DBSnapshotIdentifier'] : ['engine', 'storage_encrypted', 'kms_key_id', 'cluster_identifier', 'replicate_source_db', 'snapshot_identifier']),
          tags: cfn ? v.Tags : v.tags,
        }),
      ];
    }
    const protection = rdsProtection(ctx, resource, resolved, true, {
      flag: cfn ? v.StorageEncrypted : v.storage_encrypted,
      key: cfn ? v.KmsKeyId : v.kms_key_id,
      source: cfn ? (v.SnapshotIdentifier ?? v.SourceDBClusterIdentifier) : (v.snapshot_identifier ?? v.replication_source_identifier ?? (v.restore_to_point_in_time !== undefined ? 'a point-in-time restore' : undefined)),
      sourceWhat: 'source (snapshot, replication source or restore)',
      flagName: cfn ? 'StorageEncrypted' : 'storage_encrypted',
      keyName: cfn ? 'KmsKeyId' : 'kms_key_id',
    });
    if (service === 'unknown') protection.notes.push('the engine is not known before deployment: read as Aurora');
    // Members: aws_rds_cluster_instance / AWS::RDS::DBInstance of the same code that name this cluster.
    const clusterNames = [typeof v.cluster_identifier === 'string' ? v.cluster_identifier : undefined, typeof v.DBClusterIdentifier === 'string' ? v.DBClusterIdentifier : undefined];
    const members = ctx
      .sameRoot(resource, cfn ? ['AWS::RDS::DBInstance'] : ['aws_rds_cluster_instance', 'aws_db_instance'])
      .filter((m) => names(cfn ? m.values.DBClusterIdentifier : m.values.cluster_identifier, resource, clusterNames))
      .map((m) => m.address)
      .sort();
    if (members.length > 0) protection.notes.push(`${members.length} member instance(s) (${members.join(', ')}) share this cluster's storage encryption and are reported through it`);
    const storageEncrypted = readBool(cfn ? v.StorageEncrypted : v.storage_encrypted);
    const attributes: { [key: string]: Json } = {
      engine: engineText,
      engineMode: typeof (cfn ? v.EngineMode : v.engine_mode) === 'string' ? ((cfn ? v.EngineMode : v.engine_mode) as string) : null,
      createdAt: null,
      storageEncrypted: protection.algorithm === 'sse-rds' ? false : typeof storageEncrypted === 'boolean' ? storageEncrypted : protection.level === 'unknown' ? null : protection.level !== 'none',
      storageEncryptionType: protection.algorithm === 'sse-rds' ? 'sse-rds' : protection.level === 'none' ? 'none' : protection.level === 'unknown' ? null : 'sse-kms',
      multiAzDbCluster: resolved === 'rds',
      members,
    };
    return [
      record(resource, ctx, {
        service: resolved,
        type: 'db-cluster',
        protection,
        attributes,
        evidence: evidenceOf(v, cfn ? ['Engine', 'EngineMode', 'StorageEncrypted', 'KmsKeyId', 'SnapshotIdentifier', 'SourceDBClusterIdentifier'] : ['engine', 'engine_mode', 'storage_encrypted', 'kms_key_id', 'snapshot_identifier', 'replication_source_identifier']),
        tags: cfn ? v.Tags : v.tags,
      }),
    ];
  },
};

export function isRef(value: Value | undefined): value is Ref {
  return value instanceof Ref;
}

/** RDS knowledge; Aurora's kinds are read by the same mapping (src/services/aurora/iac.ts has its defaults). */
export const rdsIac: ServiceIac = { mapping: rdsIacMapping, facts: RDS_IAC_FACTS, setKey: rdsSetKey };
