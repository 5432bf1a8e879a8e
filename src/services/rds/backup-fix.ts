import type { Resource } from '../../model/inventory.js';
import type { Remediation } from '../../model/report.js';
import { fillPlaceholders } from '../../rules/rule-detail.js';
import { RDS_DOCS, text } from './rule-text.js';

/**
 * How to bring an RDS or Aurora automated backup to the chosen key. An
 * automated backup is never re-encrypted: it keeps the key of its database
 * (or, replicated to another Region, the key chosen for the replication).
 * - current database: fix the database (its rebuild runbook); its old
 *   automated backups expire with the retention period;
 * - retained (its database was deleted): restore it to a point in time — a
 *   cluster restore takes --kms-key-id; an instance restore keeps the
 *   backup's key, so snapshot the restored instance and copy the snapshot
 *   with --kms-key-id — then delete the retained backup;
 * - replicated from another Region: stop the replication and start it again
 *   with a key of this Region (StartDBInstanceAutomatedBackupsReplication --kms-key-id).
 * Sources: RestoreDBInstanceToPointInTime, RestoreDBClusterToPointInTime,
 * DeleteDBInstanceAutomatedBackup, Start/StopDBInstanceAutomatedBackupsReplication
 * (RDS API reference).
 */
export function automatedBackupRemediation(resource: Resource): Remediation {
  const a = resource.attributes;
  const source = text(a.sourceIdentifier) ?? resource.id;
  const cluster = resource.type === 'db-cluster-automated-backup';
  const values = { SOURCE: source, SOURCE_ARN: text(a.sourceArn), RESOURCE_ID: text(a.sourceResourceId), BACKUP_ARN: resource.arn, ENGINE: text(a.engine) };
  if (a.replicated === true && !cluster) {
    return fillPlaceholders(
      {
        summary: 'a replicated automated backup keeps the key chosen for the replication: stop the replication, then start it again with a key of this Region',
        path: 'rebuild-from-encrypted-copy',
        steps: [
          'aws rds stop-db-instance-automated-backups-replication --source-db-instance-arn SOURCE_ARN (in this Region)',
          'aws rds start-db-instance-automated-backups-replication --source-db-instance-arn SOURCE_ARN --kms-key-id KEY_ARN (a key of this Region)',
          'the stopped replica is retained until its retention period ends; delete it once the new one has backups: aws rds delete-db-instance-automated-backup --db-instance-automated-backups-arn BACKUP_ARN',
        ],
        cli: 'aws rds start-db-instance-automated-backups-replication --source-db-instance-arn SOURCE_ARN --kms-key-id KEY_ARN',
        docs: 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReplicateBackups.html',
      },
      values,
    );
  }
  if (a.retained === true) {
    const steps = cluster
      ? [
          'aws rds restore-db-cluster-to-point-in-time --db-cluster-identifier SOURCE-restored --source-db-cluster-resource-id RESOURCE_ID --use-latest-restorable-time --kms-key-id KEY_ARN (the restored cluster takes the chosen key)',
          'snapshot the restored cluster if the data must be kept, then: aws rds delete-db-cluster-automated-backup --db-cluster-resource-id RESOURCE_ID',
        ]
      : [
          'aws rds restore-db-instance-to-point-in-time --target-db-instance-identifier SOURCE-restored --source-dbi-resource-id RESOURCE_ID --use-latest-restorable-time (it keeps the backup\'s key)',
          'aws rds create-db-snapshot --db-instance-identifier SOURCE-restored --db-snapshot-identifier SOURCE-restored, then aws rds copy-db-snapshot ... --kms-key-id KEY_ARN (the copy takes the chosen key)',
          'delete the restored instance and the retained backup: aws rds delete-db-instance-automated-backup --dbi-resource-id RESOURCE_ID',
        ];
    return fillPlaceholders(
      {
        summary: 'a retained automated backup cannot be re-encrypted: restore it, keep the data under the chosen key (restore or snapshot copy with --kms-key-id), then delete the retained backup',
        path: 'rebuild-from-encrypted-copy',
        steps,
        cli: steps[0]!.split(' (')[0]!,
        docs: RDS_DOCS,
      },
      values,
    );
  }
  return fillPlaceholders(
    {
      summary: `an automated backup keeps the key of its database: fix the ${cluster ? 'DB cluster' : 'DB instance'} SOURCE (see its own finding); its existing automated backups expire with the backup retention period`,
      path: 'rebuild-from-encrypted-copy',
      steps: [
        `rebuild ${cluster ? 'DB cluster' : 'DB instance'} SOURCE encrypted under the chosen key (the runbook of its own finding)`,
        'the old automated backups stay under the old key until they expire; shorten the retention period or delete them once the new database has backups',
      ],
      docs: RDS_DOCS,
    },
    values,
  );
}
