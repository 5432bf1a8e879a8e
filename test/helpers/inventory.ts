import { INVENTORY_SCHEMA_VERSION, type Inventory, type KeyRecord, type KeyRotation, type Resource, type ScanError } from '../../src/model/inventory.js';
import type { ProtectionLevel } from '../../src/model/levels.js';
import type { ServiceName } from '../../src/model/services.js';
import { SERVICES } from '../../src/services/list.js';
import { BASELINE_POLICY } from '../../src/policy/built-in.js';
import type { Policy } from '../../src/model/policy.js';
import { ACCOUNT } from './context.js';

/**
 * The one set of builders for hand-made inventories (rule, engine, policy and
 * CLI tests): plain data shaped like `collect` writes it, with only what a
 * test is about spelled out. Each builder takes what identifies the thing
 * first (a key id, a bucket name, a resource id or ARN) and everything else
 * by name; whatever is not named has a realistic default, described here.
 */

export const keyArn = (keyId: string, region = 'us-east-1', accountId = ACCOUNT): string => `arn:aws:kms:${region}:${accountId}:key/${keyId}`;

/**
 * A key record as the KMS check writes it. By default: an enabled customer
 * managed symmetric encryption key of the scanned account in us-east-1, with
 * KMS-generated material, rotating every 365 days, no alias, a key policy that
 * trusts only the account, no grants, no tags. As in the check, `manager`,
 * `origin` and `spec` decide the level and whether automatic rotation applies
 * (AWS managed keys, imported material, custom key stores and non-symmetric
 * keys do not rotate automatically); name `level` or `rotation` to say
 * otherwise (e.g. a wrong rotation status, to prove a rule ignores it).
 * `policy: undefined` or `grants: undefined` leave those facts out.
 */
export function key(keyId: string, overrides: Partial<KeyRecord> = {}): KeyRecord {
  const region = overrides.region ?? 'us-east-1';
  const accountId = overrides.accountId ?? ACCOUNT;
  const manager = overrides.manager ?? 'CUSTOMER';
  const origin = overrides.origin ?? 'AWS_KMS';
  const spec = overrides.spec ?? 'SYMMETRIC_DEFAULT';
  const state = overrides.state ?? 'Enabled';
  return {
    arn: keyArn(keyId, region, accountId),
    keyId,
    region,
    accountId,
    aliases: [],
    manager,
    origin,
    state,
    spec,
    usage: spec.startsWith('HMAC_') ? 'GENERATE_VERIFY_MAC' : spec === 'SYMMETRIC_DEFAULT' ? 'ENCRYPT_DECRYPT' : 'SIGN_VERIFY',
    multiRegion: false,
    rotation: rotationOf(manager, origin, spec),
    level: levelOf(manager, origin),
    describable: true,
    inScannedAccount: accountId === ACCOUNT,
    notes: [],
    evidence: { KeyId: keyId, KeyState: state, CreationDate: '2024-03-01T10:00:00.000Z' },
    policy: {
      name: 'default',
      document: { Version: '2012-10-17', Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'kms:*', Resource: '*' }] },
      sizeBytes: 180,
    },
    grants: { count: 0, granteePrincipals: [], operations: [], issuingAccounts: [] },
    tags: {},
    ...overrides,
  };
}

function levelOf(manager: string, origin: string): ProtectionLevel {
  if (manager === 'AWS') return 'aws-managed';
  if (manager !== 'CUSTOMER') return 'unknown';
  if (origin === 'EXTERNAL') return 'customer-managed-imported';
  if (origin === 'AWS_CLOUDHSM' || origin === 'EXTERNAL_KEY_STORE') return 'customer-managed-hsm';
  return 'customer-managed';
}

/** What the key resolver records (src/keys/resolver.ts), for a key whose rotation status reads "on, 365 days". */
function rotationOf(manager: string, origin: string, spec: string): KeyRotation {
  const not = (reason: string): KeyRotation => ({ applicable: false, reason, enabled: null, periodDays: null });
  if (manager === 'AWS') return { applicable: false, reason: 'AWS managed keys are rotated by AWS every year', enabled: true, periodDays: 365 };
  if (manager !== 'CUSTOMER') return not('who manages the key is unknown');
  if (origin === 'EXTERNAL') return not('imported key material cannot rotate automatically; rotate it on demand (RotateKeyOnDemand after importing new material)');
  if (origin === 'AWS_CLOUDHSM' || origin === 'EXTERNAL_KEY_STORE') return not('keys in a custom key store cannot rotate automatically');
  if (spec !== 'SYMMETRIC_DEFAULT') return not(`automatic rotation exists only for symmetric encryption keys, not ${spec}`);
  return { applicable: true, reason: 'customer managed symmetric key with KMS key material', enabled: true, periodDays: 365 };
}

/** The `key` resource the KMS check writes for a key record. */
export function keyResource(k: KeyRecord): Resource {
  const resource: Resource = {
    arn: k.arn,
    id: k.keyId,
    service: 'kms',
    type: 'key',
    region: k.region,
    accountId: k.accountId,
    protection: { level: k.level, keyArn: k.arn, keyRef: k.arn, algorithm: k.spec === 'unknown' ? null : k.spec, notes: [...k.notes] },
    attributes: { manager: k.manager, origin: k.origin, state: k.state, aliases: k.aliases, spec: k.spec, usage: k.usage, multiRegion: k.multiRegion },
    evidence: k.evidence,
  };
  if (k.tags) resource.tags = { ...k.tags };
  return resource;
}

/** Everything about a resource but what identifies it; all optional. */
export interface ResourceSpec {
  /** Default: the key's level when there is a key, else aws-owned (what most services give when nobody chooses). */
  level?: ProtectionLevel;
  /** The key that protects it: sets protection.keyArn (and keyRef, unless given). */
  key?: KeyRecord;
  /** Default: the key's ARN, or null. */
  keyRef?: string | null;
  /** Default: aws:kms under a key, else null. */
  algorithm?: string | null;
  notes?: string[];
  /** Default: the ARN's region, else us-east-1. */
  region?: string;
  attributes?: Resource['attributes'];
  evidence?: Resource['evidence'];
  tags?: Record<string, string>;
  /** A tagging call that failed (then there are no tags). */
  tagsError?: Resource['tagsError'];
  error?: Resource['error'];
}

/**
 * A resource of any service. `idOrArn` is its id, from which the ARN
 * `arn:aws:SERVICE:REGION:ACCOUNT:TYPE/ID` is made, or (starting with arn:)
 * its ARN, from which the id (the last segment) and the region are taken.
 */
export function resource(service: ServiceName, type: string, idOrArn: string, spec: ResourceSpec = {}): Resource {
  const isArn = idOrArn.startsWith('arn:');
  const region = spec.region ?? (isArn ? idOrArn.split(':')[3] || 'us-east-1' : 'us-east-1');
  const arn = isArn ? idOrArn : `arn:aws:${service}:${region}:${ACCOUNT}:${type}/${idOrArn}`;
  const keyArnValue = spec.key?.arn ?? null;
  const out: Resource = {
    arn,
    id: isArn ? idOrArn.split(/[:/]/).at(-1)! : idOrArn,
    service,
    type,
    region,
    accountId: ACCOUNT,
    protection: {
      level: spec.level ?? spec.key?.level ?? 'aws-owned',
      keyArn: keyArnValue,
      keyRef: spec.keyRef !== undefined ? spec.keyRef : keyArnValue,
      algorithm: spec.algorithm !== undefined ? spec.algorithm : keyArnValue ? 'aws:kms' : null,
      notes: spec.notes ?? [],
    },
    attributes: spec.attributes ?? {},
    evidence: spec.evidence ?? {},
  };
  if (spec.tags) out.tags = spec.tags;
  if (spec.tagsError) out.tagsError = spec.tagsError;
  if (spec.error) out.error = spec.error;
  return out;
}

/**
 * An S3 bucket as the S3 check writes it: SSE-S3 (AES256) by default, SSE-KMS
 * under `key` (or at any KMS level), unencrypted at level none. Its attributes default to a
 * healthy bucket (a Bucket Key with SSE-KMS, SSE-C blocked); `attributes`
 * overrides them one by one. Level unknown is a bucket whose
 * GetBucketEncryption was denied (no attributes, the error recorded).
 */
export function bucket(name: string, spec: ResourceSpec = {}): Resource {
  const level = spec.level ?? spec.key?.level ?? 'aws-owned';
  const unknown = level === 'unknown';
  const algorithm = spec.algorithm !== undefined ? spec.algorithm : level === 'none' || unknown ? null : level === 'aws-owned' ? 'AES256' : 'aws:kms';
  const denied = { operation: 'GetBucketEncryption', code: 'AccessDenied', message: 'Access Denied' };
  return resource('s3', 'bucket', `arn:aws:s3:::${name}`, {
    ...spec,
    level,
    algorithm,
    region: spec.region ?? 'us-east-1',
    notes: spec.notes ?? (unknown ? ['GetBucketEncryption failed: AccessDenied'] : []),
    attributes: unknown
      ? (spec.attributes ?? {})
      : { sseAlgorithm: algorithm, bucketKeyEnabled: algorithm === 'aws:kms', sseCBlocked: true, dsse: false, ...spec.attributes },
    ...(unknown && !spec.error ? { error: denied } : {}),
  });
}

export interface InventoryParts {
  resources?: Resource[];
  keys?: KeyRecord[];
  errors?: ScanError[];
  /** Default: every service, as a full scan. */
  services?: ServiceName[];
  /** Default: us-east-1 and eu-west-1. */
  regions?: string[];
  /** The scan's end, the rules' "now". Default: 2026-11-28T09:04:12.000Z. */
  finishedAt?: string;
}

/** An inventory of the scanned account, scanned from 2026-11-28T09:00:00Z. */
export function inventory(parts: InventoryParts = {}): Inventory {
  return {
    kind: 'atrest-inventory',
    schemaVersion: INVENTORY_SCHEMA_VERSION,
    tool: { name: 'atrest', version: '0.0.0-test' },
    scan: {
      accountId: ACCOUNT,
      principalArn: `arn:aws:sts::${ACCOUNT}:assumed-role/atrest-audit/atrest`,
      partition: 'aws',
      regions: parts.regions ?? ['us-east-1', 'eu-west-1'],
      services: parts.services ?? [...SERVICES],
      startedAt: '2026-11-28T09:00:00.000Z',
      finishedAt: parts.finishedAt ?? '2026-11-28T09:04:12.000Z',
      errors: parts.errors ?? [],
    },
    keys: parts.keys ?? [],
    resources: parts.resources ?? [],
  };
}

/** The keys, each key of the scanned account also as its resource (as the KMS check gives them), plus `others`. */
export function keyInventory(keys: KeyRecord[], others: Resource[] = [], parts: Omit<InventoryParts, 'keys' | 'resources'> = {}): Inventory {
  return inventory({ ...parts, keys, resources: [...keys.filter((k) => k.inScannedAccount).map(keyResource), ...others] });
}

/** The baseline policy under the name "test", with `over` applied. */
export function policy(over: Partial<Policy> = {}): Policy {
  return { ...BASELINE_POLICY, name: 'test', ...over };
}
