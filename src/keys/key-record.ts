import type { KeyRecord } from '../model/inventory.js';

/**
 * Readings of a KMS key record that several rules share, so that they name a
 * key and date its deletion the same way (key states: states.ts).
 */

/** "alias/app-data (arn:aws:kms:…)", or the ARN alone for a key without an alias. */
export function keyName(key: KeyRecord): string {
  return key.aliases[0] ? `${key.aliases[0]} (${key.arn})` : key.arn;
}

/** When KMS deletes the key (ISO), from the record or its DescribeKey evidence; null when not known. */
export function deletionDate(key: KeyRecord): string | null {
  return key.deletionDate ?? (typeof key.evidence.DeletionDate === 'string' ? key.evidence.DeletionDate : null);
}
