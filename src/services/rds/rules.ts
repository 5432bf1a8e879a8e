import type { Resource } from '../../model/inventory.js';
import { levelRank, type ProtectionLevel } from '../../model/levels.js';
import type { Remediation } from '../../model/report.js';
import { describeProtection, levelRule } from '../../rules/level-rule.js';
import type { Rule, RuleContext } from '../../rules/rule.js';
import { fillPlaceholders, matrixFix, staticFix, withDetail } from '../../rules/rule-detail.js';
import { rdsMatrix } from './matrix.js';
import { AURORA_COPY_DOCS, memberText, RDS_DOCS, SNAPSHOT_TYPES, snapshotDetail, text } from './rule-text.js';
import { rdsSnapshotRemediation } from './snapshot-fix.js';
import { automatedBackupRemediation } from './backup-fix.js';

/**
 * RDS rules. Neither the encryption nor the key of an instance, cluster or
 * snapshot can change in place: every fix is a copy or a restore. The Aurora
 * rules (src/services/aurora/rules.ts) share the text and snapshot fixes.
 */

// ----- instances -------------------------------------------------------------

export const rdsInstanceEncryptionRule: Rule = withDetail(
  levelRule({
    id: 'RDS.INSTANCE_ENCRYPTION',
    matrix: rdsMatrix,
    types: ['db-instance'],
    title: 'RDS DB instance storage encryption below the policy minimum',
  }),
  {
    detail: (resource) => {
      const cluster = text(resource.attributes.clusterIdentifier);
      return cluster ? `member of DB cluster ${cluster}, reported on its own because the cluster was not listed` : null;
    },
    ...matrixFix(rdsMatrix, (resource) => ({ DB: resource.id })),
  },
);

// ----- clusters --------------------------------------------------------------

const multiAzClusterFix = staticFix('snapshot the Multi-AZ DB cluster, restore the snapshot to a new cluster with --kms-key-id, cut over, delete the old cluster', (resource) =>
  fillPlaceholders(
    {
      path: 'rebuild-from-encrypted-copy',
      steps: [
        'aws rds create-db-cluster-snapshot --db-cluster-identifier CLUSTER --db-cluster-snapshot-identifier CLUSTER-pre-encryption',
        'aws rds restore-db-cluster-from-snapshot --db-cluster-identifier CLUSTER-encrypted --snapshot-identifier CLUSTER-pre-encryption --engine ENGINE --db-cluster-instance-class CLASS --kms-key-id KEY_ARN (restoring with a key encrypts the new cluster; copying an unencrypted cluster snapshot with a key is refused)',
        'stop writes, point clients at the new cluster endpoint (downtime), then delete the old cluster; its automated backups and snapshots keep their old encryption until they are deleted or expire',
      ],
      cli: 'aws rds restore-db-cluster-from-snapshot --db-cluster-identifier CLUSTER-encrypted --snapshot-identifier CLUSTER-pre-encryption --engine ENGINE --db-cluster-instance-class CLASS --kms-key-id KEY_ARN',
      terraform: 'resource "aws_rds_cluster" "this" {\n  storage_encrypted = true\n  kms_key_id        = aws_kms_key.this.arn\n}',
      cloudformation: 'AWS::RDS::DBCluster:\n  Properties:\n    StorageEncrypted: true\n    KmsKeyId: !GetAtt Key.Arn',
      docs: RDS_DOCS,
    },
    { CLUSTER: resource.id, ENGINE: text(resource.attributes.engine) },
  ),
);

export const rdsClusterEncryptionRule: Rule = withDetail(
  levelRule({
    id: 'RDS.CLUSTER_ENCRYPTION',
    matrix: rdsMatrix,
    types: ['db-cluster'],
    title: 'RDS Multi-AZ DB cluster storage encryption below the policy minimum',
  }),
  {
    detail: (resource, _context, outcome) => (outcome.status === 'fail' ? memberText(resource) : null),
    ...multiAzClusterFix,
  },
);

// ----- snapshots -------------------------------------------------------------

export const rdsSnapshotEncryptionRule: Rule = withDetail(
  levelRule({
    id: 'RDS.SNAPSHOT_ENCRYPTION',
    matrix: rdsMatrix,
    types: SNAPSHOT_TYPES,
    title: 'RDS snapshot encryption below the policy minimum',
  }),
  { detail: (resource, _context, outcome) => snapshotDetail(resource, outcome), remediation: (resource) => rdsSnapshotRemediation(resource) },
);

// ----- snapshot versus its source ---------------------------------------------

type Mismatch = 'unencrypted-of-encrypted' | 'encrypted-of-unencrypted' | 'weaker' | 'stronger';

function mismatchOf(snapshot: ProtectionLevel, source: ProtectionLevel): Mismatch | null {
  if (snapshot === source) return null;
  if (snapshot === 'none') return 'unencrypted-of-encrypted';
  if (source === 'none') return 'encrypted-of-unencrypted';
  return levelRank(snapshot) < levelRank(source) ? 'weaker' : 'stronger';
}

function sourceOf(resource: Resource, context: RuleContext): Resource | undefined {
  const arn = text(resource.attributes.sourceArn);
  return arn ? context.resourceByArn.get(arn) : undefined;
}

export const rdsSnapshotSourceMismatchRule: Rule = {
  id: 'RDS.SNAPSHOT_SOURCE_MISMATCH',
  title: 'RDS or Aurora snapshot encrypted differently from its source',
  rationale:
    'A snapshot keeps the encryption it was taken or copied with, whatever happens to its source later. An unencrypted snapshot of a now-encrypted database still holds the data in clear; an encrypted snapshot of an unencrypted database is usually an unfinished migration; a snapshot under a weaker key than its source undoes the key choice for anyone who can restore it.',
  severity: 'medium',
  matrixFacts: ['changeKeyAfterCreation', 'remediationPath'],
  appliesTo: (r) => (r.service === 'rds' || r.service === 'aurora') && SNAPSHOT_TYPES.includes(r.type) && text(r.attributes.sourceArn) !== null,
  evaluate(resource, context) {
    const source = sourceOf(resource, context);
    const sourceName = text(resource.attributes.sourceIdentifier) ?? text(resource.attributes.sourceArn) ?? 'its source';
    if (!source) {
      return { status: 'not-applicable', message: `the source ${sourceName} is not in the inventory (deleted since, or not scanned): nothing to compare` };
    }
    const mine = resource.protection.level;
    const theirs = source.protection.level;
    if (mine === 'unknown' || theirs === 'unknown') {
      return { status: 'unknown', message: `cannot compare with the source ${source.type} ${source.id}: snapshot level ${mine}, source level ${theirs}` };
    }
    const mismatch = mismatchOf(mine, theirs);
    const snapshotIs = describeProtection(resource);
    const sourceIs = describeProtection(source);
    switch (mismatch) {
      case null: {
        const keyNote =
          resource.protection.keyArn && source.protection.keyArn && resource.protection.keyArn !== source.protection.keyArn ? ' (under a different key of the same level)' : '';
        return { status: 'pass', message: `same level as its source ${source.type} ${source.id} (${mine})${keyNote}` };
      }
      case 'unencrypted-of-encrypted':
        return {
          status: 'fail',
          severity: 'high',
          message: `unencrypted snapshot of an encrypted source: ${source.type} ${source.id} is ${sourceIs}, but this snapshot is not encrypted (it predates the source's encryption, e.g. taken before the source was rebuilt encrypted) and still holds its data in clear`,
        };
      case 'encrypted-of-unencrypted':
        return {
          status: 'fail',
          severity: 'low',
          message: `encrypted snapshot of an unencrypted source: this snapshot is ${snapshotIs}, but ${source.type} ${source.id} is not encrypted; if this is an encryption migration, finish it by restoring from the snapshot and retiring the source`,
        };
      case 'weaker':
        return {
          status: 'fail',
          severity: 'medium',
          message: `snapshot under a weaker level than its source: snapshot ${mine}, source ${source.type} ${source.id} ${theirs} (${sourceIs}); whoever can restore it bypasses the source's key choice`,
        };
      case 'stronger':
        return {
          status: 'fail',
          severity: 'low',
          message: `snapshot under a different (stronger) level than its source: snapshot ${mine}, source ${source.type} ${source.id} ${theirs}; restores from it will not match the source`,
        };
    }
  },
  remediation(resource, context): Remediation | null {
    const source = sourceOf(resource, context);
    if (!source) return null;
    const mismatch = mismatchOf(resource.protection.level, source.protection.level);
    if (mismatch === 'encrypted-of-unencrypted' || mismatch === 'stronger') {
      const restore =
        resource.type === 'db-snapshot'
          ? 'aws rds restore-db-instance-from-db-snapshot --db-instance-identifier SOURCE-new --db-snapshot-identifier SNAP'
          : 'aws rds restore-db-cluster-from-snapshot --db-cluster-identifier SOURCE-new --snapshot-identifier SNAP --engine ENGINE';
      return fillPlaceholders(
        {
          summary: 'finish the migration: restore the source from this snapshot, cut over, retire the old source (or delete the snapshot if it is not part of a migration)',
          path: 'rebuild-from-encrypted-copy',
          steps: [restore, 'stop writes, point clients at the new endpoint, then delete the old source'],
          cli: restore,
          docs: resource.service === 'aurora' ? AURORA_COPY_DOCS : RDS_DOCS,
        },
        { SOURCE: source.id, SNAP: resource.id, ENGINE: text(resource.attributes.engine) },
      );
    }
    // Unencrypted or weaker: bring the snapshot to the source's key (or delete it if no longer needed).
    const fix = rdsSnapshotRemediation(resource);
    const keyArn = source.protection.keyArn;
    const keyed = keyArn ? fillPlaceholders(fix, { KEY_ARN: keyArn }) : fix;
    return { ...keyed, summary: `${keyed.summary} (or delete the snapshot if it is no longer needed)` };
  },
};

// ----- automated backups (issue 10, item 11) ---------------------------------

/** "retained automated backup of db-1, replicated from us-east-1" for a failing finding, or null. */
export function automatedBackupDetail(resource: Resource): string | null {
  const a = resource.attributes;
  const parts = [a.retained === true ? 'retained (its database was deleted)' : null, a.replicated === true ? `replicated from ${String(a.sourceRegion)}` : null];
  const source = text(a.sourceIdentifier);
  const joined = parts.filter(Boolean).join(', ');
  return joined || source ? `automated backup${source ? ` of ${source}` : ''}${joined ? `: ${joined}` : ''}` : null;
}

export const rdsAutomatedBackupEncryptionRule: Rule = withDetail(
  levelRule({
    id: 'RDS.AUTOMATED_BACKUP_ENCRYPTION',
    matrix: rdsMatrix,
    types: ['db-instance-automated-backup', 'db-cluster-automated-backup'],
    title: 'RDS automated backup encryption below the policy minimum',
  }),
  { detail: (resource) => automatedBackupDetail(resource), remediation: (resource) => automatedBackupRemediation(resource) },
);

/** Every RDS rule. RDS.SNAPSHOT_SOURCE_MISMATCH also judges Aurora snapshots: the RDS API keeps both. */
export const RDS_RULES: readonly Rule[] = [rdsInstanceEncryptionRule, rdsClusterEncryptionRule, rdsSnapshotEncryptionRule, rdsSnapshotSourceMismatchRule, rdsAutomatedBackupEncryptionRule];
