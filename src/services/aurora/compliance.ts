import { encrypted, m, NO_CONTROL, type RuleCompliance } from '../../compliance/mapping.js';
import { INSTANCE_CONTROLS_VIA_CLUSTER } from '../rds/compliance.js';

/** The controls the aurora rules evidence, by rule id (frameworks and control definitions: src/compliance/frameworks.ts). */
export const AURORA_COMPLIANCE: Readonly<Record<string, RuleCompliance>> = {
  'AURORA.CLUSTER_ENCRYPTION': {
    mappings: [m('aws-securityhub-fsbp', 'RDS.27', encrypted), m('aws-config', 'rds-cluster-encrypted-at-rest', encrypted), ...INSTANCE_CONTROLS_VIA_CLUSTER],
    assumes: 'a level rule on Aurora DB clusters (service aurora, type db-cluster)',
  },
  'AURORA.SNAPSHOT_ENCRYPTION': {
    mappings: [m('aws-securityhub-fsbp', 'RDS.4', encrypted), m('aws-config', 'rds-snapshot-encrypted', encrypted)],
    assumes: 'a level rule on Aurora DB cluster snapshots',
  },
  'AURORA.AUTOMATED_BACKUP_ENCRYPTION': {
    mappings: [],
    none: NO_CONTROL('RDS and Aurora automated backups (the point-in-time backup sets, retained and replicated ones included)'),
    notMapped: [{ framework: 'aws-securityhub-fsbp', control: 'RDS.4', why: 'it evaluates DB snapshots and DB cluster snapshots, not automated backups' }],
  },
};
