import type { ProtectionLevel } from './levels.js';
import type { AccountScan, OutsideScan, ShardInfo, UnavailableService } from './reach.js';
import type { ServiceName } from './services.js';
import type { KmsUsage } from './usage.js';

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
  /** `ec2` and `organizations` are the account-level calls (DescribeRegions, ListAccounts); `sts` AssumeRole and GetCallerIdentity. */
  service: ServiceName | 'sts' | 'ec2' | 'organizations';
  /** The account the call was made in, on scans of several accounts (absent: scan.accountId). */
  accountId?: string;
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

  // Governance facts (issue 5). Collected by the KMS check for the keys of the
  // scanned account in the scanned regions; absent on keys the check did not
  // read (other accounts, keys only named by a resource, older inventories).
  // A fact whose call failed carries `error` and no value: rules read it as unknown.

  /** KeyMetadata.DeletionDate (ISO), when the key is pending deletion; null otherwise. */
  deletionDate?: string | null;
  /** KeyMetadata.PendingDeletionWindowInDays, when pending deletion. */
  pendingDeletionWindowInDays?: number | null;
  /** Imported key material (Origin EXTERNAL): KeyMetadata.ValidTo / ExpirationModel, and every material ListKeyRotations reports. */
  importedMaterial?: KeyImportedMaterial;
  /** KeyMetadata.MultiRegionConfiguration, for multi-Region keys. */
  multiRegionConfiguration?: KeyMultiRegionConfiguration;
  /** The custom key store the key lives in (DescribeCustomKeyStores, listed once per region). */
  customKeyStore?: KeyCustomKeyStore;
  /** GetKeyPolicy, policy name `default`. */
  policy?: KeyPolicyFacts;
  /** ListGrants, every page. */
  grants?: KeyGrantFacts;
  /** ListResourceTags (customer managed keys). */
  tags?: { [key: string]: string };
  /** Set when ListResourceTags failed (then `tags` is absent). */
  tagsError?: KeyFactError;
  /** ListKeyRotations, where rotation exists (customer managed symmetric keys outside custom key stores). */
  rotations?: KeyRotationHistory;
  /** GetKeyLastUsage (only with --key-usage; customer managed keys). */
  lastUsage?: KeyLastUsageFacts;
}

/** A governance call that failed for one key. */
export interface KeyFactError {
  operation: string;
  code: string;
  message: string;
}

export interface KeyImportedMaterial {
  /** ISO date the current material expires; null when it does not expire or is not imported yet. */
  validTo: string | null;
  /** KEY_MATERIAL_EXPIRES, KEY_MATERIAL_DOES_NOT_EXPIRE, or null when DescribeKey did not say. */
  expirationModel: string | null;
  /** Each key material ListKeyRotations (ALL_KEY_MATERIAL) reported; absent when not listed. */
  materials?: Array<{
    keyMaterialId: string | null;
    importState: string | null;
    keyMaterialState: string | null;
    expirationModel: string | null;
    validTo: string | null;
  }>;
}

export interface KeyMultiRegionConfiguration {
  /** PRIMARY or REPLICA (MultiRegionKeyType), or 'unknown'. */
  keyType: string;
  primary: { arn: string; region: string } | null;
  replicas: Array<{ arn: string; region: string }>;
}

export interface KeyCustomKeyStore {
  id: string;
  /** AWS_CLOUDHSM or EXTERNAL_KEY_STORE; 'unknown' when DescribeCustomKeyStores did not say or failed. */
  type: string;
  name: string | null;
  connectionState: string | null;
  error?: KeyFactError;
}

export interface KeyPolicyFacts {
  /** Always `default`: the only key policy name KMS has. */
  name: string;
  /** The policy document, parsed; null when it could not be read or parsed. */
  document: Json | null;
  /** Size of the policy text in bytes, as returned. */
  sizeBytes: number | null;
  error?: KeyFactError;
}

export interface KeyGrantFacts {
  /** Grants on the key; null when ListGrants failed. */
  count: number | null;
  /** Distinct GranteePrincipal values (ARNs, account ids or service principals), sorted. */
  granteePrincipals: string[];
  /** Distinct operations the grants allow, sorted. */
  operations: string[];
  /** Distinct IssuingAccount values, sorted. */
  issuingAccounts: string[];
  error?: KeyFactError;
}

export interface KeyRotationHistory {
  /** Completed rotations (automatic and on demand); null when ListKeyRotations failed. */
  count: number | null;
  automatic: number | null;
  onDemand: number | null;
  /** ISO date of the latest completed rotation; null when none or unknown. */
  lastRotationDate: string | null;
  lastRotationType: string | null;
  error?: KeyFactError;
}

export interface KeyLastUsageFacts {
  /**
   * used: a successful cryptographic operation is recorded (lastUsedAt);
   * never-used: nothing recorded and the key was created after tracking began;
   * no-use-since-tracking-start: nothing recorded since trackingStartDate, but the key is older, so earlier use is unknown;
   * unknown: the call failed or returned too little to tell.
   */
  status: 'used' | 'never-used' | 'no-use-since-tracking-start' | 'unknown';
  lastUsedAt: string | null;
  operation: string | null;
  trackingStartDate: string | null;
  keyCreationDate: string | null;
  error?: KeyFactError;
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
  /**
   * The resource's tags as the service reported them: `{}` when it has none.
   * Absent when the check does not read tags for this type (DynamoDB backups)
   * or could not read them (then `tagsError` says why).
   */
  tags?: { [key: string]: string };
  /** Set when reading the tags failed (then `tags` is absent): tag overrides cannot be decided for the resource. */
  tagsError?: KeyFactError;
  /** Set when the resource could not be fully read; protection.level is then `unknown`. */
  error?: { operation: string; code: string; message: string };
  /**
   * Where a resource read from infrastructure code is written (`atrest iac`):
   * absent on resources read from AWS. Rules never read it; waivers may name
   * its `address`, reporters point at its file and line.
   */
  source?: ResourceSource;
}

/** The formats `atrest iac` reads. */
export const IAC_FORMATS = ['terraform-plan', 'terraform', 'cloudformation'] as const;
export type IacFormat = (typeof IAC_FORMATS)[number];

/** Where a pre-deploy resource comes from (docs/iac.md). */
export interface ResourceSource {
  format: IacFormat;
  /** The file the resource is written in (a plan without --tf-dir: the plan file). */
  file: string;
  /** The Terraform address (module path, count index and for_each key included) or the CloudFormation logical id. */
  address: string;
  /** 1-based line of the resource block or logical id; null when the file has no lines to point at (plan JSON without --tf-dir). */
  line: number | null;
  /** The resource kind as written: aws_s3_bucket, AWS::S3::Bucket. */
  kind: string;
  /** For a record that one block of a resource describes (an instance's root_block_device): that block, e.g. root_block_device[0]. */
  block?: string;
  /** terraform-plan: the plan file (file/line then point at the .tf when --tf-dir found it). */
  plan?: string;
  /** terraform-plan: the planned actions of the resource change (create, update, no-op, delete+create, …). */
  actions?: string[];
  /** Lines of the attributes or properties the reader met, by dotted path (server_side_encryption.0.kms_key_arn, KmsKeyId). */
  lines?: { [path: string]: number };
  /** Other resources of the code that set this one's encryption (an aws_s3_bucket_server_side_encryption_configuration). */
  related?: Array<{ address: string; kind: string; file: string; line: number | null }>;
}

/** The services scanned in one account and Region (merged inventories: src/model/coverage.ts). */
export interface ScanCoverage {
  accountId: string;
  region: string;
  services: ServiceName[];
}

export interface ScanInfo {
  /** The scanned account; `multiple` when several accounts were scanned or merged (see `accounts`). */
  accountId: string;
  /**
   * Every account the scan covered, with the principal, regions and status
   * of each (issue 14). Inventories written before it held a list of account
   * ids here on merged files; readInventoryFile turns those into records.
   */
  accounts?: AccountScan[];
  /** The principal of a single-account scan; on several accounts, every principal, comma-separated (each is in `accounts`). */
  principalArn: string;
  partition: string;
  regions: string[];
  /** Every service scanned somewhere (in a merged inventory, not necessarily in every account and Region: see `coverage`). */
  services: ServiceName[];
  /**
   * Set on merged inventories whose inputs scanned different services,
   * Regions or accounts: per account and Region, exactly the services
   * scanned there. Absent: every Region of `regions` was scanned for every
   * service of `services`.
   */
  coverage?: ScanCoverage[];
  startedAt: string;
  finishedAt: string;
  errors: ScanError[];
  /** Services a scanned region does not offer or the account is not subscribed to: recorded, not errors. */
  unavailable?: UnavailableService[];
  /** Resources listings showed outside the scanned regions (counted and named, never judged). */
  outsideRegions?: OutsideScan[];
  /** What a reader of the scan needs to know that is not an error (organisation accounts not ACTIVE, …). */
  notes?: string[];
  /** Set on the inventory of one `--shard K/N`; absent on whole scans and merges. */
  shard?: ShardInfo;
  /** On a merge of shard inventories: which shards were merged and which of 1..count are missing. */
  shards?: { count: number; merged: number[]; missing: number[] };
}

export interface Inventory {
  kind: 'atrest-inventory';
  schemaVersion: string;
  tool: { name: string; version: string };
  scan: ScanInfo;
  keys: KeyRecord[];
  resources: Resource[];
  /** KMS request usage and quotas per Region (`--usage` only; src/model/usage.ts). */
  usage?: KmsUsage;
}
