import type { Resource } from '../../model/inventory.js';
import { levelRule } from '../../rules/level-rule.js';
import type { Rule } from '../../rules/rule.js';
import { matrixFix, withDetail } from '../../rules/rule-detail.js';
import { memberText, snapshotDetail, text } from '../rds/rule-text.js';
import { rdsSnapshotRemediation } from '../rds/snapshot-fix.js';
import { automatedBackupRemediation } from '../rds/backup-fix.js';
import { automatedBackupDetail } from '../rds/rules.js';
import { AURORA_DEFAULT_ENCRYPTION_DATE, auroraMatrix } from './matrix.js';

/**
 * Aurora rules. As for RDS, neither the encryption nor the key of a cluster
 * or snapshot can change in place. Aurora clusters created on or after the
 * matrix's AURORA_DEFAULT_ENCRYPTION_DATE (2026-02-18) are encrypted by default with an AWS
 * owned key; messages say so where it explains what the user sees.
 */

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
    matrix: auroraMatrix,
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
    ...matrixFix(auroraMatrix, (resource) => ({
      CLUSTER: resource.type === 'db-cluster' ? resource.id : text(resource.attributes.clusterIdentifier),
      ENGINE: text(resource.attributes.engine),
    })),
  },
);

export const auroraSnapshotEncryptionRule: Rule = withDetail(
  levelRule({
    id: 'AURORA.SNAPSHOT_ENCRYPTION',
    matrix: auroraMatrix,
    types: ['db-cluster-snapshot'],
    title: 'Aurora cluster snapshot encryption below the policy minimum',
  }),
  { detail: (resource, _context, outcome) => snapshotDetail(resource, outcome), remediation: (resource) => rdsSnapshotRemediation(resource) },
);

export const auroraAutomatedBackupEncryptionRule: Rule = withDetail(
  levelRule({
    id: 'AURORA.AUTOMATED_BACKUP_ENCRYPTION',
    matrix: auroraMatrix,
    types: ['db-cluster-automated-backup'],
    title: 'Aurora automated backup encryption below the policy minimum',
  }),
  { detail: (resource) => automatedBackupDetail(resource), remediation: (resource) => automatedBackupRemediation(resource) },
);

/** Every Aurora rule (RDS.SNAPSHOT_SOURCE_MISMATCH, in the RDS folder, also judges Aurora snapshots). */
export const AURORA_RULES: readonly Rule[] = [auroraClusterEncryptionRule, auroraSnapshotEncryptionRule, auroraAutomatedBackupEncryptionRule];
