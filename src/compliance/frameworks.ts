/**
 * The central catalogue of compliance frameworks and of the controls atrest
 * evidences, with each control's title as the framework words it and the page
 * that defines it. Which rule evidences which control is written beside the
 * rule, in its service folder (src/services/<service>/compliance.ts; the
 * shared rules' in src/rules/shared-compliance.ts) and collected by rule id in
 * src/compliance/by-rule.ts: rules carry no compliance of their own, and the
 * engine takes every finding's `compliance` from there. An entry with no
 * mappings says "deliberately maps to nothing" (and `none` or `notMapped`
 * says why); test/policy/compliance.test.ts fails when a rule of the catalog
 * (or SCAN.INCOMPLETE) has no entry, an entry names no rule, or a mapping
 * names a control this catalogue does not define.
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
 * A mapping may rely on a behaviour of its rule; its `assumes` records that
 * behaviour so a reviewer can check it against the implementation.
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
    'EFS.1': { title: 'Elastic File System should be configured to encrypt file data at-rest using AWS KMS', source: `${SH}/efs-controls.html#efs-1` },
    'DynamoDB.3': { title: 'DynamoDB Accelerator (DAX) clusters should be encrypted at rest', source: `${SH}/dynamodb-controls.html#dynamodb-3` },
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
    '2.4.1': { title: 'Ensure that encryption is enabled for EFS file systems', source: CIS_SOURCE },
    '3.6': { title: 'Ensure rotation for customer-created symmetric CMKs is enabled', source: CIS_SOURCE },
  },
  'cis-aws-5.0': {
    '5.1.1': { title: 'Ensure EBS volume encryption is enabled in all regions', source: CIS_SOURCE },
    '2.2.1': { title: 'Ensure that encryption-at-rest is enabled for RDS instances', source: CIS_SOURCE },
    '2.3.1': { title: 'Ensure that encryption is enabled for EFS file systems', source: CIS_SOURCE },
    '3.6': { title: 'Ensure rotation for customer-created symmetric CMKs is enabled', source: CIS_SOURCE },
  },
  'aws-config': {
    'encrypted-volumes': { title: 'Attached EBS volumes are encrypted', source: `${CFG}/encrypted-volumes.html` },
    'ec2-ebs-encryption-by-default': { title: 'EBS encryption is enabled by default', source: `${CFG}/ec2-ebs-encryption-by-default.html` },
    'rds-storage-encrypted': { title: 'Storage encryption is enabled for RDS DB instances', source: `${CFG}/rds-storage-encrypted.html` },
    'rds-snapshot-encrypted': { title: 'RDS DB snapshots are encrypted', source: `${CFG}/rds-snapshot-encrypted.html` },
    'rds-cluster-encrypted-at-rest': { title: 'RDS DB clusters are encrypted at rest', source: `${CFG}/rds-cluster-encrypted-at-rest.html` },
    'dynamodb-table-encrypted-kms': { title: 'DynamoDB tables are encrypted with AWS KMS', source: `${CFG}/dynamodb-table-encrypted-kms.html` },
    'dax-encryption-enabled': { title: 'DynamoDB Accelerator (DAX) clusters are encrypted', source: `${CFG}/dax-encryption-enabled.html` },
    'redshift-cluster-kms-enabled': { title: 'Redshift clusters are encrypted with a KMS key', source: `${CFG}/redshift-cluster-kms-enabled.html` },
    'redshift-serverless-namespace-cmk-encryption': {
      title: 'Redshift Serverless namespaces are encrypted with customer managed KMS keys',
      source: `${CFG}/redshift-serverless-namespace-cmk-encryption.html`,
    },
    'efs-encrypted-check': { title: 'Amazon EFS file systems encrypt file data with AWS KMS', source: `${CFG}/efs-encrypted-check.html` },
    's3-default-encryption-kms': { title: 'S3 buckets are encrypted with AWS KMS', source: `${CFG}/s3-default-encryption-kms.html` },
    'cmk-backing-key-rotation-enabled': { title: 'Automatic key rotation is enabled for customer managed KMS keys', source: `${CFG}/cmk-backing-key-rotation-enabled.html` },
    'kms-cmk-not-scheduled-for-deletion': { title: 'KMS keys are not scheduled for deletion', source: `${CFG}/kms-cmk-not-scheduled-for-deletion.html` },
    'kms-key-policy-no-public-access': { title: 'KMS key policies do not allow public access', source: `${CFG}/kms-key-policy-no-public-access.html` },
  },
};

/** The frameworks whose controls `--compliance framework` reports. */
export function frameworkSet(framework: FrameworkId): FrameworkId[] {
  return [framework, ...(FRAMEWORKS[framework].includes ?? [])];
}
