import type { KeyRecord } from '../model/inventory.js';

/**
 * Rotation of key material (automatic or on demand) exists only for customer
 * managed symmetric encryption keys whose material KMS generated or that was
 * imported, outside custom key stores. Shared by the KMS check (which lists
 * rotations only there) and the cost estimate (which knows a missing history
 * matters only there). Automatic rotation is narrower: AWS_KMS origin only.
 */
export function rotationCanExist(key: KeyRecord): boolean {
  const store = key.evidence.CustomKeyStoreId;
  return (
    key.manager === 'CUSTOMER' &&
    key.spec === 'SYMMETRIC_DEFAULT' &&
    (key.origin === 'AWS_KMS' || key.origin === 'EXTERNAL') &&
    !(typeof store === 'string' && store.length > 0) &&
    !key.customKeyStore
  );
}
