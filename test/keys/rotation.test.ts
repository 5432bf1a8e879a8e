import { describe, expect, it } from 'vitest';
import type { KeyRecord } from '../../src/model/inventory.js';
import { automaticRotationApplies, rotationCanExist, rotationCapability, type RotationFacts } from '../../src/keys/rotation.js';

/**
 * The one rotation decision (src/keys/rotation.ts), from the key's own facts,
 * with plain inputs. Source: the KMS Developer Guide, "Rotating AWS KMS keys"
 * (automatic rotation for symmetric encryption keys with KMS-generated
 * material; on demand also for imported material; neither for asymmetric,
 * HMAC or custom-key-store keys; AWS managed keys rotate every year).
 */

const facts = (over: Partial<RotationFacts> = {}): RotationFacts => ({ manager: 'CUSTOMER', origin: 'AWS_KMS', spec: 'SYMMETRIC_DEFAULT', ...over });
const MANUAL = 'rotate it manually: create a new key and point the alias (and the applications) at it';

describe('rotationCapability', () => {
  it('customer managed symmetric key with KMS material: automatic', () => {
    expect(rotationCapability(facts())).toEqual({ kind: 'automatic', reason: 'customer managed symmetric key with KMS key material' });
  });

  it('AWS managed keys: AWS rotates them, whatever the other facts say', () => {
    expect(rotationCapability(facts({ manager: 'AWS', spec: 'RSA_2048', origin: 'EXTERNAL' }))).toEqual({ kind: 'aws', reason: 'AWS managed keys are rotated by AWS every year' });
  });

  it('who manages the key unknown: unknown, whatever the other facts say', () => {
    expect(rotationCapability(facts({ manager: 'unknown' }))).toEqual({ kind: 'unknown', reason: 'who manages the key is unknown' });
  });

  it.each(['HMAC_224', 'HMAC_256', 'HMAC_384', 'HMAC_512'])('%s: an HMAC key never rotates', (spec) => {
    expect(rotationCapability(facts({ spec }))).toEqual({
      kind: 'none',
      reason: `${spec} is an HMAC key: HMAC keys cannot rotate automatically or on demand; ${MANUAL}`,
    });
  });

  it.each(['RSA_2048', 'ECC_NIST_P256', 'ECC_SECG_P256K1', 'ML_DSA_65', 'SM2'])('%s: an asymmetric key never rotates', (spec) => {
    expect(rotationCapability(facts({ spec }))).toEqual({
      kind: 'none',
      reason: `${spec} is an asymmetric key: asymmetric keys cannot rotate automatically or on demand; ${MANUAL}`,
    });
  });

  it('a spec that merely contains HMAC_ is not taken for an HMAC key', () => {
    expect(rotationCapability(facts({ spec: 'X_HMAC_256' })).reason).toMatch(/^X_HMAC_256 is an asymmetric key/);
  });

  it.each([
    ['an AWS CloudHSM key store, by origin', { origin: 'AWS_CLOUDHSM' }, 'an AWS CloudHSM key store'],
    ['an external key store, by origin', { origin: 'EXTERNAL_KEY_STORE' }, 'an external key store'],
    ['an AWS CloudHSM key store, by the key store record', { origin: 'unknown', customKeyStore: { id: 'cks-1', type: 'AWS_CLOUDHSM', name: 'hsm', connectionState: 'CONNECTED' } }, 'an AWS CloudHSM key store'],
    ['an external key store, by the key store record', { origin: 'AWS_KMS', customKeyStore: { id: 'cks-2', type: 'EXTERNAL_KEY_STORE', name: 'xks', connectionState: 'CONNECTED' } }, 'an external key store'],
    ['a custom key store known only by its id in the evidence', { origin: 'unknown', evidence: { CustomKeyStoreId: 'cks-3' } }, 'a custom key store'],
  ] as Array<[string, Partial<RotationFacts>, string]>)('a key in %s never rotates', (_label, over, where) => {
    expect(rotationCapability(facts(over))).toEqual({
      kind: 'none',
      reason: `the key lives in ${where}: keys in custom key stores cannot rotate automatically or on demand; ${MANUAL}`,
    });
  });

  it('an empty or non-string CustomKeyStoreId is no key store', () => {
    expect(rotationCapability(facts({ evidence: { CustomKeyStoreId: '' } })).kind).toBe('automatic');
    expect(rotationCapability(facts({ evidence: { CustomKeyStoreId: 7 } })).kind).toBe('automatic');
  });

  it('the key store decides before a missing spec: such a key never rotates', () => {
    expect(rotationCapability(facts({ spec: 'unknown', origin: 'AWS_CLOUDHSM' })).kind).toBe('none');
  });

  it('spec unknown (DescribeKey gave no KeySpec): unknown, not a guess', () => {
    expect(rotationCapability(facts({ spec: 'unknown' }))).toEqual({ kind: 'unknown', reason: 'the key spec is unknown (DescribeKey gave no KeySpec)' });
    expect(rotationCapability(facts({ spec: 'unknown', origin: 'EXTERNAL' })).kind).toBe('unknown');
  });

  it('imported material: on demand only, with how', () => {
    expect(rotationCapability(facts({ origin: 'EXTERNAL' }))).toEqual({
      kind: 'on-demand',
      reason: 'imported key material cannot rotate automatically; rotate it on demand: import new key material (ImportKeyMaterial, ImportType NEW_KEY_MATERIAL) and call RotateKeyOnDemand',
    });
  });

  it('an origin KMS does not document, or none: unknown, saying which', () => {
    expect(rotationCapability(facts({ origin: 'unknown' }))).toEqual({ kind: 'unknown', reason: 'the key origin is unknown' });
    expect(rotationCapability(facts({ origin: 'SOMETHING_NEW' }))).toEqual({ kind: 'unknown', reason: 'the key origin is "SOMETHING_NEW", not one KMS documents' });
  });
});

describe('rotationCanExist', () => {
  it('true for automatic and on-demand rotation, false for every other kind', () => {
    expect(rotationCanExist(facts())).toBe(true);
    expect(rotationCanExist(facts({ origin: 'EXTERNAL' }))).toBe(true);
    expect(rotationCanExist(facts({ manager: 'AWS' }))).toBe(false);
    expect(rotationCanExist(facts({ spec: 'HMAC_256' }))).toBe(false);
    expect(rotationCanExist(facts({ origin: 'AWS_CLOUDHSM' }))).toBe(false);
    expect(rotationCanExist(facts({ spec: 'unknown' }))).toBe(false);
  });
});

describe('automaticRotationApplies', () => {
  const record = (over: Partial<RotationFacts>, applicable: boolean): KeyRecord =>
    ({ ...facts(over), rotation: { applicable, reason: 'r', enabled: null, periodDays: null } }) as unknown as KeyRecord;

  it('from the key\'s facts where they decide, whatever the rotation status call said', () => {
    expect(automaticRotationApplies(record({}, false))).toBe(true);
    expect(automaticRotationApplies(record({ origin: 'EXTERNAL' }, true))).toBe(false);
    expect(automaticRotationApplies(record({ spec: 'RSA_2048' }, true))).toBe(false);
    expect(automaticRotationApplies(record({ manager: 'AWS' }, true))).toBe(false);
  });

  it('where the facts cannot tell, what KMS answered (rotation.applicable)', () => {
    expect(automaticRotationApplies(record({ spec: 'unknown' }, true))).toBe(true);
    expect(automaticRotationApplies(record({ spec: 'unknown' }, false))).toBe(false);
    expect(automaticRotationApplies(record({ manager: 'unknown' }, true))).toBe(true);
  });
});
