import type { ProtectionLevel } from './levels.js';
import type { ServiceName } from './services.js';

/**
 * The inventory is the hand-over between `collect` (talks to AWS) and
 * `evaluate` (never does). Everything in it is plain JSON: facts read from
 * AWS, classified but never judged.
 */

export const INVENTORY_SCHEMA_VERSION = '1';

/** A value that can be written to JSON as evidence. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** An AWS call that failed and left something unread. */
export interface ScanError {
  service: ServiceName | 'sts';
  region: string;
  operation: string;
  code: string;
  message: string;
  /** The resource the call was about, when there was one (a bucket, a key). */
  resourceArn?: string;
}

export type KeyManager = 'AWS' | 'CUSTOMER' | 'unknown';

export interface KeyRotation {
  /** Can automatic rotation exist for this key at all? (symmetric, AWS_KMS origin, customer managed) */
  applicable: boolean;
  /** Why rotation does or does not apply, in words a user reads. */
  reason: string;
  /** null when not applicable or not readable. */
  enabled: boolean | null;
  /** RotationPeriodInDays; null when not applicable, off or not readable. */
  periodDays: number | null;
}

/**
 * One KMS key, described once per scan by the key resolver. Keys in other
 * accounts that cannot be described are still here, with `describable: false`.
 */
export interface KeyRecord {
  arn: string;
  keyId: string;
  region: string;
  accountId: string;
  aliases: string[];
  manager: KeyManager;
  /** KeyMetadata.Origin: AWS_KMS, EXTERNAL, AWS_CLOUDHSM, EXTERNAL_KEY_STORE, or 'unknown'. */
  origin: string;
  /** KeyMetadata.KeyState, or 'unknown'. */
  state: string;
  /** KeyMetadata.KeySpec, or 'unknown'. */
  spec: string;
  /** KeyMetadata.KeyUsage, or 'unknown'. */
  usage: string;
  multiRegion: boolean | null;
  rotation: KeyRotation;
  level: ProtectionLevel;
  /** False when DescribeKey could not be called or failed; the other facts are then inferred. */
  describable: boolean;
  /** Whether this key belongs to the scanned account. */
  inScannedAccount: boolean;
  notes: string[];
  /** The raw KeyMetadata fields that decided the classification (no key material exists in them). */
  evidence: { [key: string]: Json };
}

export interface Protection {
  level: ProtectionLevel;
  /** ARN of the KMS key that protects the resource, once resolved; null when none or not resolvable. */
  keyArn: string | null;
  /** The key reference exactly as the service returned it (id, ARN, alias), before resolution. */
  keyRef?: string | null;
  /** The algorithm or mode: AES256, aws:kms, aws:kms:dsse, sse-rds, … */
  algorithm: string | null;
  notes: string[];
}

/**
 * One resource of one service. `attributes` are normalised facts a check
 * derived (for rules to read); `evidence` is the raw API fields that prove them.
 */
export interface Resource {
  arn: string;
  id: string;
  service: ServiceName;
  type: string;
  region: string;
  accountId: string;
  protection: Protection;
  attributes: { [key: string]: Json };
  evidence: { [key: string]: Json };
  tags?: { [key: string]: string };
  /** Set when the resource could not be fully read; protection.level is then `unknown`. */
  error?: { operation: string; code: string; message: string };
}

export interface ScanInfo {
  /** The scanned account; `multiple` when inventories of several accounts were merged (see `accounts`). */
  accountId: string;
  /** Set only on merged inventories of several accounts. */
  accounts?: string[];
  principalArn: string;
  partition: string;
  regions: string[];
  services: ServiceName[];
  startedAt: string;
  finishedAt: string;
  errors: ScanError[];
}

export interface Inventory {
  kind: 'atrest-inventory';
  schemaVersion: string;
  tool: { name: string; version: string };
  scan: ScanInfo;
  keys: KeyRecord[];
  resources: Resource[];
}
