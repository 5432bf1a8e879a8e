import { cfnSet, keyCfn, liveId, target, tfKey, tfSet } from '../../iac/fix-helpers.js';
import { hcl, type FixBuilder } from '../../iac/fix-model.js';
import { efsMatrix } from './matrix.js';

/**
 * EFS fixes as code: encrypted = true with the chosen key. A file system's
 * encryption and key never change after creation: on an existing one the
 * change replaces it with a new, empty file system, so the fix says so first
 * and carries the matrix row's rebuild runbook (new file system, copy with
 * DataSync or an AWS Backup restore, cut-over).
 */
export const efsSetKey: FixBuilder = (input) => {
  const { resource, key } = input;
  if (resource.type !== 'file-system') return null;
  const t = target(resource, 'aws_efs_file_system');
  const { value, extra } = tfKey(key);
  const replacement = t.exists;
  const id = liveId(resource, 'FS_ID');
  const runbook = efsMatrix.remediation.steps.map((s) => s.replaceAll('REGION', resource.region).replace(/(?<![A-Z_])FS(?![A-Z_])/g, id).replaceAll('KEY_ARN', key.value));
  return {
    summary: `encrypt the file system with ${key.value} (encrypted = true, kms_key_id)${replacement ? ': EFS cannot encrypt an existing file system or change its key, so this replaces it with a new, empty one; copy the data first (runbook)' : ''}`,
    terraform: [...extra, tfSet(t, [], [['encrypted', hcl.bool(true)], ['kms_key_id', value]], 'encrypted', t.live ? 'NEW_FS_ID' : undefined)],
    cloudformation: [cfnSet(resource, t, { Encrypted: true, KmsKeyId: keyCfn(key) })],
    replacement,
    ...(replacement ? { runbook } : {}),
  };
};
