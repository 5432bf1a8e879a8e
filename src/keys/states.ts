/**
 * KMS key states (KeyMetadata.KeyState), decided once: which states mean the
 * key will be deleted, and which mean data under it cannot be decrypted now.
 * Source: https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html
 * ("PendingReplicaDeletion": a multi-Region primary key waiting for its
 * replicas to be deleted before its own deletion waiting period starts).
 */

/** The states in which KMS deletes the key once a waiting period ends. */
export const PENDING_DELETION_STATES: ReadonlySet<string> = new Set(['PendingDeletion', 'PendingReplicaDeletion']);

export function isPendingDeletion(state: string): boolean {
  return PENDING_DELETION_STATES.has(state);
}

/**
 * The states in which a resource's data under the key cannot be decrypted
 * (or soon will not be). `NotFound` is atrest's record of a key that
 * DescribeKey says does not exist.
 */
export const UNUSABLE_KEY_STATES: ReadonlySet<string> = new Set(['Disabled', 'PendingDeletion', 'PendingReplicaDeletion', 'PendingImport', 'Unavailable', 'NotFound']);
