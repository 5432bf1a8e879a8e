/**
 * The protection-level scale (README, "Protection levels"; docs/architecture.md). The order matters: policy minimums
 * compare positions on it. `unknown` is outside the order on purpose: it is
 * never "at least" anything, so an unreadable resource can never pass.
 */
export const PROTECTION_LEVELS = [
  'none',
  'aws-owned',
  'aws-managed',
  'customer-managed',
  'customer-managed-imported',
  'customer-managed-hsm',
  'unknown',
] as const;

export type ProtectionLevel = (typeof PROTECTION_LEVELS)[number];

/** Levels that can be compared; `unknown` is excluded. */
export const ORDERED_LEVELS: readonly ProtectionLevel[] = PROTECTION_LEVELS.filter((l) => l !== 'unknown');

export function isProtectionLevel(value: unknown): value is ProtectionLevel {
  return typeof value === 'string' && (PROTECTION_LEVELS as readonly string[]).includes(value);
}

/** Position on the scale, or -1 for `unknown`. */
export function levelRank(level: ProtectionLevel): number {
  return ORDERED_LEVELS.indexOf(level);
}

/** True when `level` is known and at or above `minimum`. */
export function meetsMinimum(level: ProtectionLevel, minimum: ProtectionLevel): boolean {
  if (level === 'unknown') return false;
  return levelRank(level) >= levelRank(minimum);
}

/** Customer managed in any form: the account controls the key policy. */
export function isCustomerManaged(level: ProtectionLevel): boolean {
  return level === 'customer-managed' || level === 'customer-managed-imported' || level === 'customer-managed-hsm';
}
