import { cfnSet, keyCfn, target, tfKey, tfSet } from '../../iac/fix-helpers.js';
import { hcl, type FixBuilder } from '../../iac/fix-model.js';

/**
 * RDS and Aurora fixes as code: storage_encrypted with the chosen key. Neither
 * encryption nor the key of an existing instance or cluster can change in
 * place: the provider and CloudFormation replace the resource, which would
 * create a new, empty database. The fix says so first and carries the
 * migration runbook of the finding (snapshot, encrypted copy or restore,
 * cut-over).
 */
export const rdsSetKey: FixBuilder = (input) => {
  const { resource, key, finding } = input;
  if (resource.type !== 'db-instance' && resource.type !== 'db-cluster') return null;
  const cluster = resource.type === 'db-cluster';
  const t = target(resource, cluster ? 'aws_rds_cluster' : 'aws_db_instance');
  const { value, extra } = tfKey(key);
  const replacement = t.exists;
  const what = cluster ? 'cluster' : 'DB instance';
  const steps = (finding.remediation?.steps ?? []).map((s) => s.replaceAll('KEY_ARN', key.value));
  return {
    summary: `encrypt the ${what} with ${key.value} (storage_encrypted = true, kms_key_id)${replacement ? `: RDS cannot encrypt an existing ${what} or change its key, so this replaces it with a new, empty one; migrate the data first (runbook)` : ''}`,
    terraform: [...extra, tfSet(t, [], [['storage_encrypted', hcl.bool(true)], ['kms_key_id', value]], 'storage_encrypted', t.live ? `${resource.id}-encrypted` : undefined)],
    cloudformation: [cfnSet(resource, t, { StorageEncrypted: true, KmsKeyId: keyCfn(key) })],
    replacement,
    ...(replacement ? { runbook: steps } : {}),
  };
};
