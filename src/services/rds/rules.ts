import type { Resource } from '../../model/inventory.js';
import { levelRank, type ProtectionLevel } from '../../model/levels.js';
import type { Remediation } from '../../model/report.js';
import { describeProtection, levelRule } from '../../rules/level-rule.js';
import { type Rule, type RuleOutcome } from '../../rules/rule.js';
import { fillPlaceholders, matrixFix, resourcesByArn, staticFix, withDetail } from '../../rules/rule-detail.js';

/**
 * RDS and Aurora rules. Neither the encryption nor the key of an instance,
 * cluster or snapshot can change in place: every fix is a copy or a restore.
 * Aurora clusters created on or after 2026-02-18 are encrypted by default with
 * an AWS owned key; messages say so where it explains what the user sees.
 */

/** Mirrors AURORA_DEFAULT_ENCRYPTION_DATE in src/checks/rds.ts (rules do not import checks). */
export const AURORA_DEFAULT_ENCRYPTION_DATE = '2026-02-18';

const RDS_DOCS = 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html';
const AURORA_COPY_DOCS = 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-copy-snapshot.html';
const RDS_COPY_DOCS = 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_CopySnapshot.html';

const SNAPSHOT_TYPES = ['db-snapshot', 'db-cluster-snapshot'];

function text(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

// ----- instances -------------------------------------------------------------

export const rdsInstanceEncryptionRule: Rule = withDetail(
  levelRule({
    id: 'RDS.INSTANCE_ENCRYPTION',
    service: 'rds',
    types: ['db-instance'],
    title: 'RDS DB instance storage encryption below the policy minimum',
  }),
  {
    detail: (resource) => {
      const cluster = text(resource.attributes.clusterIdentifier);
      return cluster ? `member of DB cluster ${cluster}, reported on its own because the cluster was not listed` : null;
    },
    ...matrixFix('rds', (resource) => ({ DB: resource.id })),
  },
);

// ----- clusters --------------------------------------------------------------

function memberText(resource: Resource): string | null {
  const members = Array.isArray(resource.attributes.members) ? resource.attributes.members.filter((m): m is string => typeof m === 'string') : [];
  return members.length > 0 ? `covers member instance(s) ${members.join(', ')}` : null;
}

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
    service: 'rds',
    types: ['db-cluster'],
    title: 'RDS Multi-AZ DB cluster storage encryption below the policy minimum',
  }),
  {
    detail: (resource, _context, outcome) => (outcome.status === 'fail' ? memberText(resource) : null),
    ...multiAzClusterFix,
  },
);

/**
 * What Aurora's default explains about this cluster's level, or null. Shown
 * with every Aurora cluster finding it applies to.
 */
export function auroraDefaultNote(resource: Resource): string | null {
  const created = text(resource.attributes.createdAt)?.slice(0, 10) ?? null;
  const level = resource.protection.level;
  if (level === 'none') {
    if (!created) return `its creation date is unknown; Aurora encrypts clusters created on or after ${AURORA_DEFAULT_ENCRYPTION_DATE} by default`;
    if (created < AURORA_DEFAULT_ENCRYPTION_DATE) {
      return `created ${created}, before Aurora began encrypting new clusters by default on ${AURORA_DEFAULT_ENCRYPTION_DATE}, a default that does not reach existing clusters`;
    }
    return `created ${created}, on or after Aurora's ${AURORA_DEFAULT_ENCRYPTION_DATE} encryption default, yet the API reports it unencrypted`;
  }
  if (level === 'aws-owned') {
    const since = created && created >= AURORA_DEFAULT_ENCRYPTION_DATE ? ` (created ${created})` : '';
    return `that is Aurora's default for clusters created on or after ${AURORA_DEFAULT_ENCRYPTION_DATE} when no KMS key is chosen${since}; AWS owns the key, so the account cannot see, audit or control it`;
  }
  return null;
}

export const auroraClusterEncryptionRule: Rule = withDetail(
  levelRule({
    id: 'AURORA.CLUSTER_ENCRYPTION',
    service: 'aurora',
    // db-instance: an Aurora instance whose cluster could not be listed is judged on its own.
    types: ['db-cluster', 'db-instance'],
    title: 'Aurora DB cluster storage encryption below the policy minimum',
  }),
  {
    detail: (resource, _context, outcome) => {
      if (outcome.status === 'unknown') return null;
      const parts = [resource.type === 'db-cluster' ? auroraDefaultNote(resource) : null, outcome.status === 'fail' ? memberText(resource) : null];
      const cluster = text(resource.attributes.clusterIdentifier);
      if (resource.type === 'db-instance' && cluster) parts.push(`member of DB cluster ${cluster}, reported on its own because the cluster was not listed`);
      const joined = parts.filter((p): p is string => Boolean(p)).join('; ');
      return joined || null;
    },
    ...matrixFix('aurora', (resource) => ({
      CLUSTER: resource.type === 'db-cluster' ? resource.id : text(resource.attributes.clusterIdentifier),
      ENGINE: text(resource.attributes.engine),
    })),
  },
);

// ----- snapshots -------------------------------------------------------------

/** How to bring one RDS or Aurora snapshot to the chosen key. */
export function rdsSnapshotRemediation(resource: Resource): Remediation {
  const automated = resource.attributes.snapshotType === 'automated';
  const unencrypted = resource.protection.level === 'none';
  if (resource.type === 'db-snapshot') {
    const steps = [
      'aws rds copy-db-snapshot --source-db-snapshot-identifier SNAP --target-db-snapshot-identifier SNAP-encrypted --kms-key-id KEY_ARN (a copy of an unencrypted DB snapshot made with a key is encrypted)',
      'check the copy, then aws rds delete-db-snapshot --db-snapshot-identifier SNAP',
    ];
    if (automated) {
      steps.unshift('this is an automated snapshot: it follows its instance and expires with the backup retention period; fix the instance (RDS.INSTANCE_ENCRYPTION) and copy the snapshot only if it must be kept');
      steps[2] = 'the automated original is deleted with its retention period (or with its instance)';
    }
    return fillPlaceholders(
      {
        summary: 'copy the DB snapshot with --kms-key-id, then delete the original',
        path: 'rebuild-from-encrypted-copy',
        steps,
        cli: 'aws rds copy-db-snapshot --source-db-snapshot-identifier SNAP --target-db-snapshot-identifier SNAP-encrypted --kms-key-id KEY_ARN',
        docs: RDS_COPY_DOCS,
      },
      { SNAP: resource.id },
    );
  }
  const engine = text(resource.attributes.engine);
  if (unencrypted) {
    // CopyDBClusterSnapshot refuses a KmsKeyId for an unencrypted source.
    return fillPlaceholders(
      {
        summary: 'an unencrypted cluster snapshot cannot be encrypted by copying: restore it with --kms-key-id, snapshot the restored cluster, delete both the temporary cluster and the unencrypted snapshot',
        path: 'rebuild-from-encrypted-copy',
        steps: [
          'aws rds restore-db-cluster-from-snapshot --db-cluster-identifier SNAP-restore --snapshot-identifier SNAP --engine ENGINE --kms-key-id KEY_ARN',
          'aws rds create-db-cluster-snapshot --db-cluster-identifier SNAP-restore --db-cluster-snapshot-identifier SNAP-encrypted',
          'aws rds delete-db-cluster --db-cluster-identifier SNAP-restore --skip-final-snapshot',
          automated
            ? 'the automated original expires with its cluster\'s backup retention period; fix the cluster itself first'
            : 'aws rds delete-db-cluster-snapshot --db-cluster-snapshot-identifier SNAP',
        ],
        cli: 'aws rds restore-db-cluster-from-snapshot --db-cluster-identifier SNAP-restore --snapshot-identifier SNAP --engine ENGINE --kms-key-id KEY_ARN',
        docs: AURORA_COPY_DOCS,
      },
      { SNAP: resource.id, ENGINE: engine },
    );
  }
  return fillPlaceholders(
    {
      summary: 'copy the cluster snapshot with --kms-key-id (allowed for an encrypted source), then delete the original',
      path: 'rebuild-from-encrypted-copy',
      steps: [
        'aws rds copy-db-cluster-snapshot --source-db-cluster-snapshot-identifier SNAP --target-db-cluster-snapshot-identifier SNAP-rekeyed --kms-key-id KEY_ARN',
        automated ? 'the automated original expires with its cluster\'s backup retention period' : 'check the copy, then aws rds delete-db-cluster-snapshot --db-cluster-snapshot-identifier SNAP',
      ],
      cli: 'aws rds copy-db-cluster-snapshot --source-db-cluster-snapshot-identifier SNAP --target-db-cluster-snapshot-identifier SNAP-rekeyed --kms-key-id KEY_ARN',
      docs: AURORA_COPY_DOCS,
    },
    { SNAP: resource.id },
  );
}

function snapshotDetail(resource: Resource, outcome: RuleOutcome): string | null {
  if (outcome.status !== 'fail') return null;
  const type = text(resource.attributes.snapshotType);
  const source = text(resource.attributes.sourceIdentifier);
  const parts = [type ? `${type} snapshot` : null, source ? `of ${source}` : null].filter(Boolean);
  return parts.length > 0 ? parts.join(' ') : null;
}

export const rdsSnapshotEncryptionRule: Rule = withDetail(
  levelRule({
    id: 'RDS.SNAPSHOT_ENCRYPTION',
    service: 'rds',
    types: SNAPSHOT_TYPES,
    title: 'RDS snapshot encryption below the policy minimum',
  }),
  { detail: (resource, _context, outcome) => snapshotDetail(resource, outcome), remediation: (resource) => rdsSnapshotRemediation(resource) },
);

export const auroraSnapshotEncryptionRule: Rule = withDetail(
  levelRule({
    id: 'AURORA.SNAPSHOT_ENCRYPTION',
    service: 'aurora',
    types: ['db-cluster-snapshot'],
    title: 'Aurora cluster snapshot encryption below the policy minimum',
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

function sourceOf(resource: Resource, inventory: Parameters<typeof resourcesByArn>[0]): Resource | undefined {
  const arn = text(resource.attributes.sourceArn);
  return arn ? resourcesByArn(inventory).get(arn) : undefined;
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
    const source = sourceOf(resource, context.inventory);
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
    const source = sourceOf(resource, context.inventory);
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

export const RDS_RULES: readonly Rule[] = [
  rdsInstanceEncryptionRule,
  rdsClusterEncryptionRule,
  rdsSnapshotEncryptionRule,
  auroraClusterEncryptionRule,
  auroraSnapshotEncryptionRule,
  rdsSnapshotSourceMismatchRule,
];
