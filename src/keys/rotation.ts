import type { KeyRecord } from '../model/inventory.js';

/**
 * Which rotation a KMS key can have, decided once, from the key's own facts
 * (who manages it, its spec, its origin, its key store). The key resolver
 * asks it whether to read the rotation status at all; the KMS check whether
 * to list the rotation history; KMS.ROTATION, the compliance results of the
 * rotation controls, the key view and the cost estimate whether rotation
 * applies. A key that cannot rotate can never fail for not rotating, whatever
 * a rotation status call said.
 *
 * Source: https://docs.aws.amazon.com/kms/latest/developerguide/rotating-keys.html
 * (automatic rotation: symmetric encryption keys with key material KMS
 * generated; on-demand rotation also for imported material; neither for
 * asymmetric keys, HMAC keys or keys in custom key stores; AWS managed keys
 * are rotated by AWS every year).
 */
export type RotationCapability =
  /** Customer managed symmetric key with KMS-generated material: automatic (and on-demand) rotation. */
  | { kind: 'automatic'; reason: string }
  /** Imported material: on-demand rotation only. */
  | { kind: 'on-demand'; reason: string }
  /** HMAC, asymmetric or custom-key-store keys: no rotation of any kind. */
  | { kind: 'none'; reason: string }
  /** AWS managed keys: AWS rotates them every year. */
  | { kind: 'aws'; reason: string }
  /** A fact that decides it (manager, spec, origin) is missing. */
  | { kind: 'unknown'; reason: string };

/** The facts rotation depends on: a key record, or the same fields before the record exists. */
export type RotationFacts = Pick<KeyRecord, 'manager' | 'origin' | 'spec'> & {
  customKeyStore?: KeyRecord['customKeyStore'];
  evidence?: KeyRecord['evidence'];
};

const MANUAL = 'rotate it manually: create a new key and point the alias (and the applications) at it';

export function rotationCapability(key: RotationFacts): RotationCapability {
  if (key.manager === 'AWS') return { kind: 'aws', reason: 'AWS managed keys are rotated by AWS every year' };
  if (key.manager !== 'CUSTOMER') return { kind: 'unknown', reason: 'who manages the key is unknown' };
  if (key.spec.startsWith('HMAC_')) return { kind: 'none', reason: `${key.spec} is an HMAC key: HMAC keys cannot rotate automatically or on demand; ${MANUAL}` };
  if (key.spec !== 'SYMMETRIC_DEFAULT' && key.spec !== 'unknown') {
    return { kind: 'none', reason: `${key.spec} is an asymmetric key: asymmetric keys cannot rotate automatically or on demand; ${MANUAL}` };
  }
  const store = key.customKeyStore?.type ?? (key.origin === 'AWS_CLOUDHSM' || key.origin === 'EXTERNAL_KEY_STORE' ? key.origin : null);
  const storeId = typeof key.evidence?.CustomKeyStoreId === 'string' && key.evidence.CustomKeyStoreId ? key.evidence.CustomKeyStoreId : null;
  if (store || storeId) {
    const kind = store === 'EXTERNAL_KEY_STORE' ? 'an external key store' : store === 'AWS_CLOUDHSM' ? 'an AWS CloudHSM key store' : 'a custom key store';
    return { kind: 'none', reason: `the key lives in ${kind}: keys in custom key stores cannot rotate automatically or on demand; ${MANUAL}` };
  }
  if (key.spec === 'unknown') return { kind: 'unknown', reason: 'the key spec is unknown (DescribeKey gave no KeySpec)' };
  if (key.origin === 'EXTERNAL') {
    return {
      kind: 'on-demand',
      reason: 'imported key material cannot rotate automatically; rotate it on demand: import new key material (ImportKeyMaterial, ImportType NEW_KEY_MATERIAL) and call RotateKeyOnDemand',
    };
  }
  if (key.origin !== 'AWS_KMS') return { kind: 'unknown', reason: `the key origin is ${key.origin === 'unknown' ? 'unknown' : `"${key.origin}", not one KMS documents`}` };
  return { kind: 'automatic', reason: 'customer managed symmetric key with KMS key material' };
}

/**
 * Can key material rotate at all (automatically or on demand)? Where it can,
 * the KMS check lists the rotation history and the cost estimate counts
 * rotation charges.
 */
export function rotationCanExist(key: RotationFacts): boolean {
  const kind = rotationCapability(key).kind;
  return kind === 'automatic' || kind === 'on-demand';
}

/**
 * Does automatic rotation apply to this key, as every judgement of rotation
 * sees it: true, false, or — where the key's facts cannot tell — what KMS
 * itself answered to GetKeyRotationStatus (the resolver asks it in that case:
 * `rotation.applicable` is true when KMS answered, false when it said the
 * operation is not supported for the key).
 */
export function automaticRotationApplies(key: KeyRecord): boolean {
  const capability = rotationCapability(key);
  if (capability.kind === 'automatic') return true;
  if (capability.kind === 'unknown') return key.rotation.applicable;
  return false;
}
