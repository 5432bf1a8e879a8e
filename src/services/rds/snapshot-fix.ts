import type { Resource } from '../../model/inventory.js';
import type { Remediation } from '../../model/report.js';
import { fillPlaceholders } from '../../rules/rule-detail.js';
import { AURORA_COPY_DOCS, RDS_COPY_DOCS, text } from './rule-text.js';

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
