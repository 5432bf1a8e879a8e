import type { ControlTest } from '../model/rules-index.js';

/**
 * The compliance data file: for every rule id, the controls of each
 * framework it evidences, checked against the framework's own numbering.
 *
 * The only source: rules carry no compliance of their own; the engine takes
 * every finding's `compliance` from this file, by rule id. An entry with no
 * mappings says "deliberately maps to nothing" (and `none` or `notMapped`
 * says why); test/policy/compliance.test.ts fails when a rule of the catalog
 * (or SCAN.INCOMPLETE) has no entry, or an entry names no rule.
 *
 * Exactness: a control is mapped only where its pass condition can be
 * evaluated exactly from what the rule judged.
 * - A rule whose pass condition IS the control's maps with the default test
 *   (`rule-status`: the control's result for a resource is the rule's).
 * - Level rules pass against the POLICY's minimum, which a user can raise or
 *   lower; the control's threshold is fixed. Those mappings carry a
 *   `level-at-least` test with the control's own threshold, evaluated on the
 *   same resource, whatever the policy says (e.g. Security Hub S3.17 needs a
 *   KMS key, so an SSE-S3 bucket fails S3.17 even where the baseline policy
 *   accepts it).
 * - KMS.ROTATION also enforces the policy's maximum period; KMS.4 and CIS
 *   only need rotation on: `key-rotation-enabled`.
 * - Where neither is possible, the control is left out and `notMapped` says why.
 *
 * Sources (checked 2026-11 with the project's documentation search):
 * - Security Hub controls and their "Related requirements" (which also give
 *   the CIS v3.0.0 / v5.0.0 item numbers): the per-service control reference
 *   pages cited per control below, and the FSBP v1.0.0 standard's control list
 *   https://docs.aws.amazon.com/securityhub/latest/userguide/fsbp-standard.html
 *   (S3.17, KMS.4 and RedshiftServerless.4 are Security Hub controls that are
 *   NOT in FSBP: they are filed under `aws-securityhub`).
 * - CIS AWS Foundations Benchmark v3.0.0 and v5.0.0 item numbers and titles:
 *   the benchmarks as listed by Security Hub's CIS standards page
 *   https://docs.aws.amazon.com/securityhub/latest/userguide/cis-aws-foundations-benchmark.html
 *   and cross-checked against the CIS item listings of
 *   turbot/steampipe-mod-aws-compliance (cis_v300/, cis_v500/).
 * - AWS Config managed rules: each rule's page in the AWS Config developer guide.
 *
 * Rules written by other parts of atrest are mapped by the behaviour their
 * issue specifies; `assumes` records that behaviour so a reviewer can check
 * it against the implementation (test/policy/compliance.test.ts checks every rule
 * in the catalog has an entry here).
 */

export type FrameworkId = 'aws-securityhub-fsbp' | 'aws-securityhub' | 'cis-aws-3.0' | 'cis-aws-5.0' | 'aws-config';

export interface FrameworkInfo {
  id: FrameworkId;
  title: string;
  source: string;
  /** Names `--compliance` accepts for it. */
  aliases: string[];
  /** Frameworks whose controls this one also reports (aws-securityhub = every Security Hub control, FSBP included). */
  includes?: FrameworkId[];
}

export const FRAMEWORKS: Record<FrameworkId, FrameworkInfo> = {
  'aws-securityhub-fsbp': {
    id: 'aws-securityhub-fsbp',
    title: 'AWS Foundational Security Best Practices v1.0.0 (AWS Security Hub CSPM)',
    source: 'https://docs.aws.amazon.com/securityhub/latest/userguide/fsbp-standard.html',
    aliases: ['aws-securityhub-fsbp', 'fsbp'],
  },
  'aws-securityhub': {
    id: 'aws-securityhub',
    title: 'AWS Security Hub CSPM controls (every standard, FSBP included)',
    source: 'https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-controls-reference.html',
    aliases: ['aws-securityhub', 'securityhub'],
    includes: ['aws-securityhub-fsbp'],
  },
  'cis-aws-3.0': {
    id: 'cis-aws-3.0',
    title: 'CIS Amazon Web Services Foundations Benchmark v3.0.0',
    source: 'https://docs.aws.amazon.com/securityhub/latest/userguide/cis-aws-foundations-benchmark.html',
    aliases: ['cis-3.0', 'cis-aws-3.0'],
  },
  'cis-aws-5.0': {
    id: 'cis-aws-5.0',
    title: 'CIS Amazon Web Services Foundations Benchmark v5.0.0',
    source: 'https://docs.aws.amazon.com/securityhub/latest/userguide/cis-aws-foundations-benchmark.html',
    aliases: ['cis-5.0', 'cis-aws-5.0'],
  },
  'aws-config': {
    id: 'aws-config',
    title: 'AWS Config managed rules',
    source: 'https://docs.aws.amazon.com/config/latest/developerguide/managed-rules-by-aws-config.html',
    aliases: ['aws-config'],
  },
};

/** `--compliance NAME` → framework, or undefined. */
export function frameworkByName(name: string): FrameworkInfo | undefined {
  const wanted = name.trim().toLowerCase();
  return Object.values(FRAMEWORKS).find((f) => f.aliases.includes(wanted));
}

export const FRAMEWORK_NAMES: readonly string[] = Object.values(FRAMEWORKS).flatMap((f) => f.aliases);

export interface ControlInfo {
  title: string;
  /** The page that defines the control (or, for CIS, that lists it with this number). */
  source: string;
}

const SH = 'https://docs.aws.amazon.com/securityhub/latest/userguide';
const CFG = 'https://docs.aws.amazon.com/config/latest/developerguide';
const CIS_SOURCE = FRAMEWORKS['cis-aws-5.0'].source;

/** Every control this file maps, with its title as the framework words it. */
export const CONTROLS: Record<FrameworkId, Record<string, ControlInfo>> = {
  'aws-securityhub-fsbp': {
    'EC2.3': { title: 'Attached Amazon EBS volumes should be encrypted at-rest', source: `${SH}/ec2-controls.html#ec2-3` },
    'EC2.7': { title: 'EBS default encryption should be enabled', source: `${SH}/ec2-controls.html#ec2-7` },
    'RDS.3': { title: 'RDS DB instances should have encryption at-rest enabled', source: `${SH}/rds-controls.html#rds-3` },
    'RDS.4': { title: 'RDS cluster snapshots and database snapshots should be encrypted at rest', source: `${SH}/rds-controls.html#rds-4` },
    'RDS.27': { title: 'RDS DB clusters should be encrypted at rest', source: `${SH}/rds-controls.html#rds-27` },
    'Redshift.10': { title: 'Redshift clusters should be encrypted at rest', source: `${SH}/redshift-controls.html#redshift-10` },
    'KMS.3': { title: 'AWS KMS keys should not be deleted unintentionally', source: `${SH}/kms-controls.html#kms-3` },
    'KMS.5': { title: 'KMS keys should not be publicly accessible', source: `${SH}/kms-controls.html#kms-5` },
  },
  'aws-securityhub': {
    'S3.17': { title: 'S3 general purpose buckets should be encrypted at rest with AWS KMS keys', source: `${SH}/s3-controls.html#s3-17` },
    'KMS.4': { title: 'AWS KMS key rotation should be enabled', source: `${SH}/kms-controls.html#kms-4` },
    'RedshiftServerless.4': {
      title: 'Redshift Serverless namespaces should be encrypted with customer managed AWS KMS keys',
      source: `${SH}/redshiftserverless-controls.html#redshiftserverless-4`,
    },
  },
  'cis-aws-3.0': {
    '2.2.1': { title: 'Ensure EBS volume encryption is enabled in all regions', source: CIS_SOURCE },
    '2.3.1': { title: 'Ensure that encryption-at-rest is enabled for RDS instances', source: CIS_SOURCE },
    '3.6': { title: 'Ensure rotation for customer-created symmetric CMKs is enabled', source: CIS_SOURCE },
  },
  'cis-aws-5.0': {
    '5.1.1': { title: 'Ensure EBS volume encryption is enabled in all regions', source: CIS_SOURCE },
    '2.2.1': { title: 'Ensure that encryption-at-rest is enabled for RDS instances', source: CIS_SOURCE },
    '3.6': { title: 'Ensure rotation for customer-created symmetric CMKs is enabled', source: CIS_SOURCE },
  },
  'aws-config': {
    'encrypted-volumes': { title: 'Attached EBS volumes are encrypted', source: `${CFG}/encrypted-volumes.html` },
    'ec2-ebs-encryption-by-default': { title: 'EBS encryption is enabled by default', source: `${CFG}/ec2-ebs-encryption-by-default.html` },
    'rds-storage-encrypted': { title: 'Storage encryption is enabled for RDS DB instances', source: `${CFG}/rds-storage-encrypted.html` },
    'rds-snapshot-encrypted': { title: 'RDS DB snapshots are encrypted', source: `${CFG}/rds-snapshot-encrypted.html` },
    'rds-cluster-encrypted-at-rest': { title: 'RDS DB clusters are encrypted at rest', source: `${CFG}/rds-cluster-encrypted-at-rest.html` },
    'dynamodb-table-encrypted-kms': { title: 'DynamoDB tables are encrypted with AWS KMS', source: `${CFG}/dynamodb-table-encrypted-kms.html` },
    'redshift-cluster-kms-enabled': { title: 'Redshift clusters are encrypted with a KMS key', source: `${CFG}/redshift-cluster-kms-enabled.html` },
    'redshift-serverless-namespace-cmk-encryption': {
      title: 'Redshift Serverless namespaces are encrypted with customer managed KMS keys',
      source: `${CFG}/redshift-serverless-namespace-cmk-encryption.html`,
    },
    's3-default-encryption-kms': { title: 'S3 buckets are encrypted with AWS KMS', source: `${CFG}/s3-default-encryption-kms.html` },
    'cmk-backing-key-rotation-enabled': { title: 'Automatic key rotation is enabled for customer managed KMS keys', source: `${CFG}/cmk-backing-key-rotation-enabled.html` },
    'kms-cmk-not-scheduled-for-deletion': { title: 'KMS keys are not scheduled for deletion', source: `${CFG}/kms-cmk-not-scheduled-for-deletion.html` },
    'kms-key-policy-no-public-access': { title: 'KMS key policies do not allow public access', source: `${CFG}/kms-key-policy-no-public-access.html` },
  },
};

/** Which of the rule's resources the control looks at (others are not-applicable for it). */
export type ControlScope =
  /** EBS volumes in use (attached to an instance). */
  'attached-volume';

export interface ControlMapping {
  framework: FrameworkId;
  control: string;
  /** Default: rule-status. ControlTest (src/model/rules-index.ts) is what `atrest rules` publishes. */
  test?: ControlTest;
  scope?: ControlScope;
}

export interface RuleCompliance {
  mappings: ControlMapping[];
  /** Controls that look related but are deliberately not mapped, and why. */
  notMapped?: Array<{ framework: FrameworkId; control: string; why: string }>;
  /** Why the rule maps to no control at all. */
  none?: string;
  /** The behaviour of a rule implemented elsewhere that the mapping relies on. */
  assumes?: string;
}

const encrypted: ControlTest = { kind: 'level-at-least', level: 'aws-owned' };
const kmsKey: ControlTest = { kind: 'level-at-least', level: 'aws-managed' };
const customerKey: ControlTest = { kind: 'level-at-least', level: 'customer-managed' };
const m = (framework: FrameworkId, control: string, test?: ControlTest, scope?: ControlScope): ControlMapping => ({
  framework,
  control,
  ...(test ? { test } : {}),
  ...(scope ? { scope } : {}),
});

const NO_CONTROL = (what: string) => `no control of Security Hub, CIS v3.0/v5.0 or an AWS Config managed rule checks ${what}`;

/**
 * RDS member instances (Aurora, Multi-AZ DB clusters) are reported once, on
 * their cluster (issue 3); they inherit its StorageEncrypted. RDS.3, CIS
 * 2.3.1/2.2.1 and rds-storage-encrypted evaluate every DB instance, members
 * included, so the cluster rules evidence them for the members.
 */
const INSTANCE_CONTROLS_VIA_CLUSTER: ControlMapping[] = [
  m('aws-securityhub-fsbp', 'RDS.3', encrypted),
  m('cis-aws-3.0', '2.3.1', encrypted),
  m('cis-aws-5.0', '2.2.1', encrypted),
  m('aws-config', 'rds-storage-encrypted', encrypted),
];

export const COMPLIANCE: Record<string, RuleCompliance> = {
  // --- S3 ---------------------------------------------------------------
  'S3.ENCRYPTION_LEVEL': {
    mappings: [m('aws-securityhub', 'S3.17', kmsKey), m('aws-config', 's3-default-encryption-kms', kmsKey)],
    notMapped: [
      {
        framework: 'aws-config',
        control: 's3-bucket-server-side-encryption-enabled',
        why: 'it also passes a bucket whose policy denies unencrypted uploads without default encryption, which this rule does not read; since 2023-01-05 every bucket has default encryption anyway',
      },
    ],
  },
  'S3.BUCKET_KEY': { mappings: [], none: NO_CONTROL('S3 Bucket Keys (a cost setting)') },
  'S3.SSE_C_BLOCKED': { mappings: [], none: NO_CONTROL('whether SSE-C uploads are blocked') },

  // --- KMS --------------------------------------------------------------
  'KMS.KEY_STATE': {
    mappings: [],
    notMapped: [
      {
        framework: 'aws-securityhub-fsbp',
        control: 'KMS.3',
        why: 'KMS.3 judges each key (any key pending deletion fails, used or not); this rule judges the resources that depend on a key and also fails for Disabled, PendingImport and Unavailable keys. KMS.PENDING_DELETION evidences KMS.3.',
      },
      {
        framework: 'aws-config',
        control: 'kms-cmk-not-scheduled-for-deletion',
        why: 'as for KMS.3: the Config rule evaluates keys, this rule evaluates dependent resources; KMS.PENDING_DELETION evidences it',
      },
    ],
  },
  'KMS.ROTATION': {
    mappings: [
      m('aws-securityhub', 'KMS.4', { kind: 'key-rotation-enabled' }),
      m('cis-aws-3.0', '3.6', { kind: 'key-rotation-enabled' }),
      m('cis-aws-5.0', '3.6', { kind: 'key-rotation-enabled' }),
      m('aws-config', 'cmk-backing-key-rotation-enabled', { kind: 'key-rotation-enabled' }),
    ],
  },
  'KMS.ALLOWED_KEYS': {
    mappings: [],
    none:
      'the AWS Config rules check allowed keys only when given a kmsKeyArns/kmsId parameter, and then also fail unencrypted resources; the unparameterised rules are evidenced by the level rules, and the allowed-keys list is the policy\'s own',
  },
  'KMS.PENDING_DELETION': {
    mappings: [m('aws-securityhub-fsbp', 'KMS.3'), m('aws-config', 'kms-cmk-not-scheduled-for-deletion')],
    assumes: 'fails for every customer managed key in PendingDeletion (or PendingReplicaDeletion), with or without dependants (severity may vary), passes otherwise',
  },
  'KMS.POLICY_PUBLIC': {
    mappings: [m('aws-securityhub-fsbp', 'KMS.5'), m('aws-config', 'kms-key-policy-no-public-access')],
    assumes:
      'fails when the key policy allows a * principal without a restricting condition; KMS.5 also counts a condition whose values contain wildcards or policy variables as not restricting, so the rule must do the same for the mapping to stay exact',
  },
  'KMS.CROSS_ACCOUNT': { mappings: [], notMapped: [{ framework: 'aws-securityhub-fsbp', control: 'KMS.5', why: 'cross-account principals are information, not public access' }] },
  'KMS.IMPORTED_MATERIAL_EXPIRY': { mappings: [], none: NO_CONTROL('the expiry of imported key material') },
  'KMS.PENDING_IMPORT': { mappings: [], none: NO_CONTROL('keys waiting for imported material') },
  'KMS.UNUSED_KEY': { mappings: [], none: NO_CONTROL('unused keys (a cost finding)') },
  'KMS.DISABLED_KEY_IN_USE': { mappings: [], none: NO_CONTROL('disabled keys that resources still depend on (KMS.3 covers scheduled deletion only)') },

  // --- EBS --------------------------------------------------------------
  'EBS.VOLUME_ENCRYPTION': {
    mappings: [m('aws-securityhub-fsbp', 'EC2.3', encrypted, 'attached-volume'), m('aws-config', 'encrypted-volumes', encrypted, 'attached-volume')],
    notMapped: [
      { framework: 'cis-aws-3.0', control: '2.2.1', why: 'CIS 2.2.1 is the regional encryption-by-default setting (EBS.DEFAULT_ENCRYPTION), not each volume' },
      { framework: 'cis-aws-5.0', control: '5.1.1', why: 'CIS 5.1.1 is the regional encryption-by-default setting (EBS.DEFAULT_ENCRYPTION), not each volume' },
    ],
    assumes: 'a level rule on resources of type volume; the volume records whether it is attached (attributes.attached, attributes.state / evidence.State "in-use", or attachments)',
  },
  'EBS.SNAPSHOT_ENCRYPTION': { mappings: [], none: NO_CONTROL('EBS snapshot encryption (EC2.1 is about public snapshots)') },
  'EBS.DEFAULT_ENCRYPTION': {
    mappings: [
      m('aws-securityhub-fsbp', 'EC2.7'),
      m('cis-aws-3.0', '2.2.1'),
      m('cis-aws-5.0', '5.1.1'),
      m('aws-config', 'ec2-ebs-encryption-by-default'),
    ],
    assumes: 'one finding per scanned region (resource type ebs-encryption-by-default) that fails exactly when EbsEncryptionByDefault is false',
  },
  'EBS.DEFAULT_KEY_LEVEL': { mappings: [], none: NO_CONTROL('which key EBS encryption by default uses') },

  // --- RDS and Aurora ---------------------------------------------------
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
  'AURORA.CLUSTER_ENCRYPTION': {
    mappings: [m('aws-securityhub-fsbp', 'RDS.27', encrypted), m('aws-config', 'rds-cluster-encrypted-at-rest', encrypted), ...INSTANCE_CONTROLS_VIA_CLUSTER],
    assumes: 'a level rule on Aurora DB clusters (service aurora, type db-cluster)',
  },
  'AURORA.SNAPSHOT_ENCRYPTION': {
    mappings: [m('aws-securityhub-fsbp', 'RDS.4', encrypted), m('aws-config', 'rds-snapshot-encrypted', encrypted)],
    assumes: 'a level rule on Aurora DB cluster snapshots',
  },

  // --- DynamoDB ---------------------------------------------------------
  'DYNAMODB.TABLE_ENCRYPTION': {
    mappings: [m('aws-config', 'dynamodb-table-encrypted-kms', kmsKey)],
    // Security Hub has no control for DynamoDB table encryption (DynamoDB.3 is about DAX clusters).
    assumes: 'a level rule on tables; the AWS owned default is aws-owned, aws/dynamodb aws-managed',
  },
  'DYNAMODB.BACKUP_ENCRYPTION': { mappings: [], none: NO_CONTROL('DynamoDB on-demand backup encryption') },
  'DYNAMODB.KEY_INACCESSIBLE': { mappings: [], none: NO_CONTROL('tables whose KMS key became inaccessible') },

  // --- Lambda -----------------------------------------------------------
  'LAMBDA.ENV_ENCRYPTION': { mappings: [], none: NO_CONTROL('the key of Lambda environment variables') },

  // --- Redshift ---------------------------------------------------------
  'REDSHIFT.CLUSTER_ENCRYPTION': {
    mappings: [m('aws-securityhub-fsbp', 'Redshift.10', encrypted), m('aws-config', 'redshift-cluster-kms-enabled', encrypted)],
    assumes: 'a level rule on provisioned clusters (type cluster)',
  },
  'REDSHIFT.SNAPSHOT_ENCRYPTION': { mappings: [], none: NO_CONTROL('Redshift cluster snapshot encryption') },
  'REDSHIFT.SERVERLESS_ENCRYPTION': {
    mappings: [
      m('aws-securityhub', 'RedshiftServerless.4', customerKey),
      m('aws-config', 'redshift-serverless-namespace-cmk-encryption', customerKey),
    ],
    assumes: 'a level rule on Redshift Serverless namespaces (type serverless-namespace)',
  },

  // --- coverage ---------------------------------------------------------
  'SCAN.INCOMPLETE': {
    mappings: [],
    none: 'not a control: an unread service-region makes the controls of that service unknown in the per-control summary',
  },
};

/** The controls a rule evidences (none for a rule id this file does not know). */
export function mappingsFor(ruleId: string): readonly ControlMapping[] {
  return COMPLIANCE[ruleId]?.mappings ?? [];
}

/** The frameworks whose controls `--compliance framework` reports. */
export function frameworkSet(framework: FrameworkId): FrameworkId[] {
  return [framework, ...(FRAMEWORKS[framework].includes ?? [])];
}

/** The service a rule id speaks about, from its prefix (S3.…, EBS.…, AURORA.…). */
export function serviceOfRule(ruleId: string): string | undefined {
  const prefix = ruleId.split('.')[0]!.toLowerCase();
  return ['s3', 'ebs', 'rds', 'aurora', 'dynamodb', 'lambda', 'redshift', 'kms'].includes(prefix) ? prefix : undefined;
}
