import { encrypted, m, NO_CONTROL, type ControlMapping, type RuleCompliance } from '../../compliance/mapping.js';

/**
 * RDS member instances (Aurora, Multi-AZ DB clusters) are reported once, on
 * their cluster; they inherit its StorageEncrypted. RDS.3, CIS 2.3.1/2.2.1
 * and rds-storage-encrypted evaluate every DB instance, members included, so
 * the cluster rules (RDS and Aurora) evidence them for the members.
 */
export const INSTANCE_CONTROLS_VIA_CLUSTER: ControlMapping[] = [
  m('aws-securityhub-fsbp', 'RDS.3', encrypted),
  m('cis-aws-3.0', '2.3.1', encrypted),
  m('cis-aws-5.0', '2.2.1', encrypted),
  m('aws-config', 'rds-storage-encrypted', encrypted),
];

/** The controls the rds rules evidence, by rule id (frameworks and control definitions: src/compliance/frameworks.ts). */
export const RDS_COMPLIANCE: Readonly<Record<string, RuleCompliance>> = {
  'RDS.INSTANCE_ENCRYPTION': {
    mappings: [
      m('aws-securityhub-fsbp', 'RDS.3', encrypted),
      m('cis-aws-3.0', '2.3.1', encrypted),
      m('cis-aws-5.0', '2.2.1', encrypted),
      m('aws-config', 'rds-storage-encrypted', encrypted),
    ],
    assumes: 'a level rule on stand-alone DB instances (type db-instance); cluster members are judged on their cluster',
  },
  'RDS.CLUSTER_ENCRYPTION': {
    mappings: [m('aws-securityhub-fsbp', 'RDS.27', encrypted), m('aws-config', 'rds-cluster-encrypted-at-rest', encrypted), ...INSTANCE_CONTROLS_VIA_CLUSTER],
    assumes: 'a level rule on Multi-AZ DB clusters of non-Aurora engines (service rds, type db-cluster)',
  },
  'RDS.SNAPSHOT_ENCRYPTION': {
    mappings: [m('aws-securityhub-fsbp', 'RDS.4', encrypted), m('aws-config', 'rds-snapshot-encrypted', encrypted)],
    assumes: 'a level rule on DB snapshots and DB cluster snapshots of service rds',
  },
  'RDS.SNAPSHOT_SOURCE_MISMATCH': { mappings: [], none: NO_CONTROL('whether a snapshot is encrypted like its source') },
  'RDS.AUTOMATED_BACKUP_ENCRYPTION': {
    mappings: [],
    none: NO_CONTROL('RDS and Aurora automated backups (the point-in-time backup sets, retained and replicated ones included)'),
    notMapped: [{ framework: 'aws-securityhub-fsbp', control: 'RDS.4', why: 'it evaluates DB snapshots and DB cluster snapshots, not automated backups' }],
  },
};
