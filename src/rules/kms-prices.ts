/**
 * AWS KMS list prices, in one place so they can be updated without touching
 * code. Data only: src/rules/kms-cost.ts does the arithmetic.
 *
 * Checked on 2026-11-29 against the sources below:
 * - https://aws.amazon.com/kms/pricing/ — "Each AWS KMS key that you create in
 *   AWS KMS costs $1/month (prorated hourly)", the same for symmetric,
 *   asymmetric, HMAC, imported-material, CloudHSM and external key store keys
 *   and for "each primary and each replica multi-Region key"; no charge for
 *   AWS managed or AWS owned keys; "no charge for customer managed KMS keys
 *   that you manage and are scheduled for deletion"; 20,000 free requests a
 *   month across all regions; requests to AWS managed keys are billed; a
 *   cross-account request is billed to the calling account.
 * - Request price for symmetric keys: $0.03 per 10,000 requests (the pricing
 *   page's key usage table; asymmetric and GenerateDataKeyPair requests cost
 *   more and are not what S3 SSE-KMS sends).
 * - Rotation: since the April 2024 change announced in
 *   https://aws.amazon.com/blogs/security/the-curious-case-of-faster-aws-kms-symmetric-key-rotation/
 *   ("a new limit on the price of all symmetric keys that have had two or more
 *   rotations"), the first and second rotations of a key's material each add
 *   $1/month and later rotations add nothing. Older copies of the pricing page
 *   still say "each newly generated backing key costs an additional $1/month".
 */
export const KMS_PRICES = {
  currency: 'USD',
  source: 'https://aws.amazon.com/kms/pricing/',
  checked: '2026-11-29',
  /** Monthly charge of a customer managed key (each multi-Region primary and replica is one). */
  customerManagedKeyMonthlyUsd: 1,
  /** Monthly charge each billed rotation adds. */
  rotationMonthlyUsd: 1,
  /** How many rotations are billed; later ones are free. */
  billedRotations: 2,
  /** AWS managed and AWS owned keys. */
  awsManagedKeyMonthlyUsd: 0,
  /** Customer managed keys scheduled for deletion. */
  pendingDeletionMonthlyUsd: 0,
  /** Symmetric key requests (Encrypt, Decrypt, GenerateDataKey, …), per 10,000 beyond the free tier. */
  symmetricRequestsPer10000Usd: 0.03,
  /** Free requests per month, all regions together. */
  freeRequestsPerMonth: 20_000,
  notes: [
    'list prices; charges are prorated hourly, so a key created or rotated mid-month costs less that month',
    'keys in a custom key store also need their AWS CloudHSM cluster or external key manager, which is billed separately and not estimated',
    'rotation prices follow the April 2024 change: the first and second rotations add $1/month each, later rotations nothing',
  ],
} as const;

export type KmsPrices = typeof KMS_PRICES;
