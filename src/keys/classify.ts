import type { KeyMetadata } from '@aws-sdk/client-kms';
import type { AwsErrorInfo } from '../aws/errors.js';
import { toJson } from '../collect/evidence.js';
import type { Json, KeyRecord, KeyRotation } from '../model/inventory.js';
import type { ProtectionLevel } from '../model/levels.js';
import { isAwsManagedAlias } from './reference.js';
import { rotationCapability, type RotationCapability } from './rotation.js';

/**
 * The classification of a KMS key — the heart of atrest: from what
 * DescribeKey returned (or from the fact that it could not be called), which
 * protection level the key gives and what is known about it. Pure: no SDK
 * call, so every branch is tested with plain inputs (test/keys/classify.test.ts).
 *
 * Sources: KeyMetadata in the KMS API reference
 * (https://docs.aws.amazon.com/kms/latest/APIReference/API_KeyMetadata.html):
 * KeyManager AWS|CUSTOMER; Origin AWS_KMS (KMS-generated material),
 * EXTERNAL (imported material), AWS_CLOUDHSM and EXTERNAL_KEY_STORE (custom
 * key stores); CustomKeyStoreId for keys in a custom key store.
 */

/** Where the key is and how it was named, whatever DescribeKey said. */
export interface KeyIdentity {
  arn: string;
  keyId: string;
  region: string;
  accountId: string;
  /** Aliases known to point at the key, sorted. */
  aliases: string[];
  /** Whether the key belongs to the scanned account. */
  inScannedAccount: boolean;
}

/** The protection level of a described key. `notes` receives why, where the metadata was incomplete. */
export function levelOfKey(manager: KeyRecord['manager'], meta: KeyMetadata, notes: string[]): ProtectionLevel {
  if (manager === 'AWS') return 'aws-managed';
  if (manager !== 'CUSTOMER') {
    notes.push('DescribeKey did not say who manages the key (KeyManager missing) and it has no alias/aws/ alias');
    return 'unknown';
  }
  switch (meta.Origin) {
    case 'AWS_KMS':
      return 'customer-managed';
    case 'EXTERNAL':
      return 'customer-managed-imported';
    case 'AWS_CLOUDHSM':
    case 'EXTERNAL_KEY_STORE':
      return 'customer-managed-hsm';
    default:
      if (meta.CustomKeyStoreId) {
        notes.push('Origin missing; the key has a CustomKeyStoreId, so it lives in a custom key store');
        return 'customer-managed-hsm';
      }
      // The lowest of the customer managed levels: never overstate.
      notes.push(`Origin ${meta.Origin ? `"${meta.Origin}" not recognised` : 'missing'}; classified at the lowest customer managed level`);
      return 'customer-managed';
  }
}

/**
 * The record of a key DescribeKey described. Its rotation says whether the
 * status still has to be read (`needsRotationStatus`): the resolver then asks
 * GetKeyRotationStatus and applies the answer with `withRotationStatus`.
 */
export function describedKeyRecord(identity: KeyIdentity, meta: KeyMetadata): { record: KeyRecord; needsRotationStatus: boolean } {
  const notes: string[] = [];
  const awsAlias = identity.aliases.find(isAwsManagedAlias);
  let manager: KeyRecord['manager'] = meta.KeyManager === 'AWS' || meta.KeyManager === 'CUSTOMER' ? meta.KeyManager : 'unknown';
  if (awsAlias && manager !== 'AWS') {
    // Customers cannot create aliases under alias/aws/: the alias is proof.
    notes.push(`KeyManager is ${meta.KeyManager ?? 'missing'} but the key has the AWS managed alias ${awsAlias}; classified as AWS managed`);
    manager = 'AWS';
  }
  const level = levelOfKey(manager, meta, notes);
  const spec = meta.KeySpec ?? meta.CustomerMasterKeySpec ?? 'unknown';
  const origin = meta.Origin ?? 'unknown';
  const accountId = meta.AWSAccountId ?? identity.accountId;
  const evidence = metadataEvidence(meta);
  const start = initialRotation(rotationCapability({ manager, origin, spec, evidence }), manager, accountId, identity.inScannedAccount);
  if (start.note) notes.push(start.note);
  const record: KeyRecord = {
    arn: meta.Arn ?? identity.arn,
    keyId: meta.KeyId ?? identity.keyId,
    region: identity.region,
    accountId,
    aliases: identity.aliases,
    manager,
    origin,
    state: meta.KeyState ?? (meta.Enabled === true ? 'Enabled' : meta.Enabled === false ? 'Disabled' : 'unknown'),
    spec,
    usage: meta.KeyUsage ?? 'unknown',
    multiRegion: typeof meta.MultiRegion === 'boolean' ? meta.MultiRegion : null,
    rotation: start.rotation,
    level,
    describable: true,
    inScannedAccount: identity.inScannedAccount,
    notes,
    evidence,
  };
  return { record, needsRotationStatus: start.needsRotationStatus };
}

/**
 * The rotation a described key starts with, and whether GetKeyRotationStatus
 * must still be asked: where automatic rotation exists, or where only KMS can
 * tell (a customer managed key whose spec or origin is missing) — but never
 * of another account's key.
 */
function initialRotation(
  capability: RotationCapability,
  manager: KeyRecord['manager'],
  accountId: string,
  inScannedAccount: boolean,
): { rotation: KeyRotation; needsRotationStatus: boolean; note?: string } {
  if (capability.kind === 'aws') {
    return { rotation: { applicable: false, reason: capability.reason, enabled: true, periodDays: 365 }, needsRotationStatus: false };
  }
  const automatic = capability.kind === 'automatic';
  const askable = automatic || (capability.kind === 'unknown' && manager === 'CUSTOMER');
  if (askable && !inScannedAccount) {
    return {
      rotation: rotationOfAnotherAccount(accountId, automatic, capability.reason),
      needsRotationStatus: false,
      note: `rotation not readable from this account: the key belongs to account ${accountId}, whose key policy decides who may read its rotation status`,
    };
  }
  return { rotation: { applicable: automatic, reason: capability.reason, enabled: null, periodDays: null }, needsRotationStatus: askable };
}

/**
 * The rotation of a key in another account, which is not asked. KMS allows
 * GetKeyRotationStatus across accounts only when the key's own policy grants
 * the caller kms:GetKeyRotationStatus (API reference, GetKeyRotationStatus:
 * "Cross-account use: Yes", "Required permissions: kms:GetKeyRotationStatus
 * (key policy)";
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyRotationStatus.html),
 * which the key policies that share a key rarely do. A denial would be a scan
 * error the scanned account can never fix, and no rule judges the rotation of
 * a key the account does not own: its owner does (KMS.ROTATION in its own scan).
 */
function rotationOfAnotherAccount(accountId: string, applicable: boolean, capability: string): KeyRotation {
  return {
    applicable,
    reason: `${capability}; not readable from this account: the key belongs to account ${accountId}, so its rotation is that account's to read and to fix (GetKeyRotationStatus not asked)`,
    enabled: null,
    periodDays: null,
  };
}

/** What GetKeyRotationStatus answered, or how it failed. */
export type RotationStatusAnswer = { enabled: boolean | undefined; periodDays: number | undefined } | { error: AwsErrorInfo };

/** The record's rotation once GetKeyRotationStatus answered (or failed). */
export function withRotationStatus(record: KeyRecord, answer: RotationStatusAnswer): KeyRotation {
  const known = rotationCapability(record).kind === 'automatic';
  if ('error' in answer) {
    const { code, message } = answer.error;
    if (!known && code === 'UnsupportedOperationException') {
      // The key's facts could not tell; KMS says rotation does not exist for it.
      return { applicable: false, reason: `${record.rotation.reason}; KMS says automatic rotation is not supported for this key (GetKeyRotationStatus ${code})`, enabled: null, periodDays: null };
    }
    return { applicable: true, reason: `GetKeyRotationStatus failed: ${code}: ${message}`, enabled: null, periodDays: null };
  }
  const reason = known ? record.rotation.reason : `${record.rotation.reason}; KMS reports a rotation status, so automatic rotation exists for the key`;
  if (typeof answer.enabled !== 'boolean') {
    return { applicable: true, reason: 'GetKeyRotationStatus returned no KeyRotationEnabled', enabled: null, periodDays: null };
  }
  return { applicable: true, reason, enabled: answer.enabled, periodDays: answer.enabled ? (answer.periodDays ?? null) : null };
}

/**
 * A key's record when nothing is known of it but who it is: every fact
 * unknown, nothing guessed, rotation not judged. The starting point of every
 * key that was not (or could not be) described.
 */
export function unknownKeyRecord(identity: KeyIdentity): KeyRecord {
  return {
    arn: identity.arn,
    keyId: identity.keyId,
    region: identity.region,
    accountId: identity.accountId,
    aliases: identity.aliases,
    manager: 'unknown',
    origin: 'unknown',
    state: 'unknown',
    spec: 'unknown',
    usage: 'unknown',
    multiRegion: null,
    rotation: { applicable: false, reason: 'the key could not be described', enabled: null, periodDays: null },
    level: 'unknown',
    describable: false,
    inScannedAccount: identity.inScannedAccount,
    notes: [],
    evidence: {},
  };
}

/**
 * A key of another account that protects a resource here is customer
 * managed: AWS managed keys cannot be used from another account. Decided
 * here for the live scan and for infrastructure code alike.
 */
export function inferOtherAccountKey(record: KeyRecord): void {
  record.manager = 'CUSTOMER';
  record.level = 'customer-managed';
  record.notes.push(`key in another account (${record.accountId}): customer managed by inference; origin, state and rotation unknown`);
}

/**
 * The record of a key that could not be described (DescribeKey failed, or
 * returned nothing usable). Never dropped: what can still be inferred is.
 */
export function undescribedKeyRecord(identity: KeyIdentity, failure: AwsErrorInfo | undefined): KeyRecord {
  const why = failure ?? { code: 'Error', message: 'not described', httpStatus: null };
  const record = unknownKeyRecord(identity);
  record.notes.push(`DescribeKey failed: ${why.code}: ${why.message}`);
  record.evidence = { DescribeKeyError: { code: why.code, message: why.message } };
  const awsAlias = identity.aliases.find(isAwsManagedAlias);
  if (awsAlias) {
    record.level = 'aws-managed';
    record.manager = 'AWS';
    record.notes.push(`classified by its alias ${awsAlias}: only AWS creates alias/aws/ aliases`);
  } else if (!identity.inScannedAccount) {
    inferOtherAccountKey(record);
  } else if (why.code === 'NotFoundException') {
    record.notes.push('the key does not exist: data it protects cannot be decrypted');
  }
  if (why.code === 'NotFoundException' && identity.inScannedAccount) record.state = 'NotFound';
  return record;
}

/**
 * Why a key record is not describable: the failed DescribeKey, which
 * undescribedKeyRecord keeps in the record's evidence. undefined for a described key.
 */
export function describeKeyFailure(record: KeyRecord): { operation: 'DescribeKey'; code: string; message: string } | undefined {
  if (record.describable) return undefined;
  const failure = record.evidence.DescribeKeyError as { code?: string; message?: string } | undefined;
  return { operation: 'DescribeKey', code: failure?.code ?? 'Error', message: failure?.message ?? 'not described' };
}

/** Every KeyMetadata field present, as evidence (dates as ISO strings; there is no key material in KeyMetadata). */
export function metadataEvidence(meta: KeyMetadata): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  for (const [name, value] of Object.entries(meta)) {
    if (value !== undefined) out[name] = toJson(value);
  }
  return out;
}
