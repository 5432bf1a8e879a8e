import { REDSHIFT_DEFAULT_ENCRYPTION_DATE, redshiftMatrix } from './matrix.js';
import type { Resource } from '../../model/inventory.js';
import type { Remediation } from '../../model/report.js';
import { levelRule } from '../../rules/level-rule.js';
import { matrixRemediation } from '../../rules/remediation.js';
import type { Rule } from '../../rules/rule.js';
import { staticFix, withDetail } from '../../rules/rule-detail.js';

/**
 * Redshift rules: one level rule per resource type, each with the fix that
 * type actually has. Clusters change in place (Redshift migrates the data);
 * snapshots never change (restore, re-snapshot); serverless namespaces switch
 * keys in place with the data unchanged.
 */

const cluster = levelRule({
  id: 'REDSHIFT.CLUSTER_ENCRYPTION',
  matrix: redshiftMatrix,
  types: ['cluster'],
  title: 'Redshift cluster not encrypted, or key below the policy minimum',
});

/**
 * What the 2025-01-10 default explains about an unencrypted cluster: the
 * collector records whether it was created before the default
 * (`createdBeforeDefaultEncryption`); null when its creation time is unknown.
 */
export function redshiftDefaultNote(resource: Resource): string | null {
  if (resource.protection.level !== 'none') return null;
  const created = typeof resource.attributes.clusterCreateTime === 'string' ? resource.attributes.clusterCreateTime.slice(0, 10) : null;
  const before = resource.attributes.createdBeforeDefaultEncryption;
  if (before === true) {
    return `created ${created ?? 'before the default'}, before Redshift began encrypting new clusters by default on ${REDSHIFT_DEFAULT_ENCRYPTION_DATE}; the default does not reach existing clusters`;
  }
  if (before === false) {
    return `created ${created ?? 'after the default'}, when Redshift already encrypted new clusters by default (since ${REDSHIFT_DEFAULT_ENCRYPTION_DATE}): encryption was turned off afterwards (ModifyCluster --no-encrypted)`;
  }
  return `its creation date is unknown; Redshift encrypts clusters created since ${REDSHIFT_DEFAULT_ENCRYPTION_DATE} by default`;
}

const clusterWithNote: Rule = withDetail(cluster, {
  detail: (resource, _context, outcome) => (outcome.status === 'fail' ? redshiftDefaultNote(resource) : null),
});

export const redshiftClusterEncryptionRule: Rule = {
  ...clusterWithNote,
  remediation(resource: Resource): Remediation {
    const fix = matrixRemediation(redshiftMatrix);
    const id = resource.id;
    fix.cli = `aws redshift modify-cluster --cluster-identifier ${id} --encrypted --kms-key-id KEY_ARN`;
    fix.steps = fix.steps.filter((s) => !s.startsWith('serverless:')).map((s) => s.replaceAll('CLUSTER', id));
    if (resource.attributes.ra3 === false) {
      fix.steps.unshift(`${String(resource.attributes.nodeType ?? 'this node type')} is not RA3: the cluster is read-only until the migration ends; schedule a window (or resize to RA3 first)`);
    } else if (resource.attributes.ra3 === true) {
      fix.steps.unshift('RA3 nodes: reads and writes resume within about fifteen minutes while the migration runs');
    }
    return fix;
  },
};

const snapshot = levelRule({
  id: 'REDSHIFT.SNAPSHOT_ENCRYPTION',
  matrix: redshiftMatrix,
  types: ['cluster-snapshot'],
  title: 'Redshift snapshot not encrypted, or key below the policy minimum',
});

export const redshiftSnapshotEncryptionRule: Rule = {
  ...snapshot,
  rationale: `${snapshot.rationale} A snapshot keeps the encryption of its cluster at the time it was taken; encrypting the cluster later does not change existing snapshots.`,
  ...staticFix('a snapshot cannot be re-encrypted: restore it to an encrypted cluster with the chosen key, snapshot that, then delete the old snapshot', (resource) => {
    const id = resource.id;
    const cluster = typeof resource.attributes.clusterIdentifier === 'string' ? resource.attributes.clusterIdentifier : 'CLUSTER';
    return {
      path: 'rebuild-from-encrypted-copy',
      steps: [
        `aws redshift restore-from-cluster-snapshot --cluster-identifier ${cluster}-rekeyed --snapshot-identifier ${id} --encrypted --kms-key-id KEY_ARN`,
        `aws redshift create-cluster-snapshot --cluster-identifier ${cluster}-rekeyed --snapshot-identifier ${id}-rekeyed`,
        `aws redshift delete-cluster-snapshot --snapshot-identifier ${id} (manual snapshots only; automated ones expire with their retention period)`,
        `encrypt the source cluster too (aws redshift modify-cluster --cluster-identifier ${cluster} --encrypted --kms-key-id KEY_ARN) so new snapshots are encrypted`,
      ],
      cli: `aws redshift restore-from-cluster-snapshot --cluster-identifier ${cluster}-rekeyed --snapshot-identifier ${id} --encrypted --kms-key-id KEY_ARN`,
      docs: 'https://docs.aws.amazon.com/redshift/latest/mgmt/working-with-db-encryption.html',
    };
  }),
};

const serverless = levelRule({
  id: 'REDSHIFT.SERVERLESS_ENCRYPTION',
  matrix: redshiftMatrix,
  types: ['serverless-namespace'],
  title: 'Redshift Serverless namespace key below the policy minimum',
});

export const redshiftServerlessEncryptionRule: Rule = {
  ...serverless,
  ...staticFix('change the namespace key in place (UpdateNamespace --kms-key-id); the data stays as it is', (resource) => {
    const name = typeof resource.attributes.namespaceName === 'string' ? resource.attributes.namespaceName : resource.id;
    return {
      path: 'in-place',
      steps: [
        'Redshift console › Serverless › Namespace configuration › namespace › Security and encryption › Edit › Customize encryption settings',
        `or: aws redshift-serverless update-namespace --namespace-name ${name} --kms-key-id KEY_ARN`,
      ],
      cli: `aws redshift-serverless update-namespace --namespace-name ${name} --kms-key-id KEY_ARN`,
      terraform: 'resource "aws_redshiftserverless_namespace" "this" {\n  kms_key_id = aws_kms_key.this.arn\n}',
      cloudformation: 'AWS::RedshiftServerless::Namespace:\n  Properties:\n    KmsKeyId: !GetAtt Key.Arn',
      docs: 'https://docs.aws.amazon.com/redshift/latest/mgmt/serverless-workgroups-and-namespaces-rotate-kms-key.html',
    };
  }),
};

const serverlessSnapshot = levelRule({
  id: 'REDSHIFT.SERVERLESS_SNAPSHOT_ENCRYPTION',
  matrix: redshiftMatrix,
  types: ['serverless-snapshot'],
  title: 'Redshift Serverless snapshot key below the policy minimum',
});

/** A serverless snapshot keeps the key of its namespace at the time it was taken: restore, re-snapshot. */
export const redshiftServerlessSnapshotEncryptionRule: Rule = {
  ...serverlessSnapshot,
  rationale: `${serverlessSnapshot.rationale} A Redshift Serverless snapshot keeps the key its namespace had when it was taken; changing the namespace key (UpdateNamespace) does not re-encrypt existing snapshots.`,
  ...staticFix('a snapshot cannot change its key: restore it to a namespace that has the chosen key, snapshot that namespace, then delete the old snapshot', (resource) => {
    const name = typeof resource.attributes.snapshotName === 'string' ? resource.attributes.snapshotName : resource.id;
    const ns = typeof resource.attributes.namespaceName === 'string' ? resource.attributes.namespaceName : 'NAMESPACE';
    return {
      path: 'rebuild-from-encrypted-copy',
      steps: [
        `aws redshift-serverless update-namespace --namespace-name ${ns} --kms-key-id KEY_ARN (or use another namespace that has the key)`,
        `aws redshift-serverless restore-from-snapshot --namespace-name ${ns}-rekeyed --workgroup-name WORKGROUP --snapshot-name ${name} (into a namespace with the chosen key)`,
        `aws redshift-serverless create-snapshot --namespace-name ${ns}-rekeyed --snapshot-name ${name}-rekeyed`,
        `aws redshift-serverless delete-snapshot --snapshot-name ${name} (once the new snapshot is available)`,
      ],
      cli: `aws redshift-serverless create-snapshot --namespace-name ${ns}-rekeyed --snapshot-name ${name}-rekeyed`,
      docs: 'https://docs.aws.amazon.com/redshift/latest/mgmt/serverless-snapshots-recovery-points.html',
    };
  }),
};

/** Every Redshift rule. */
export const REDSHIFT_RULES: readonly Rule[] = [redshiftClusterEncryptionRule, redshiftSnapshotEncryptionRule, redshiftServerlessEncryptionRule, redshiftServerlessSnapshotEncryptionRule];
