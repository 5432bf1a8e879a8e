import type { Inventory, KeyRecord, Resource, ScanError } from '../../src/model/inventory.js';
import type { ProtectionLevel } from '../../src/model/levels.js';
import { BASELINE_POLICY, type Policy } from '../../src/rules/policy.js';
import { ACCOUNT } from '../helpers/context.js';

/** Small builders for engine tests: inventories shaped exactly like the checks write them. */

export const FINISHED_AT = '2026-11-28T09:04:12.000Z';

export function keyRecord(over: Partial<KeyRecord> & { keyId: string }): KeyRecord {
  const region = over.region ?? 'us-east-1';
  const manager = over.manager ?? 'CUSTOMER';
  const origin = over.origin ?? 'AWS_KMS';
  const applicable = manager === 'CUSTOMER' && origin === 'AWS_KMS';
  return {
    arn: `arn:aws:kms:${region}:${ACCOUNT}:key/${over.keyId}`,
    region,
    accountId: ACCOUNT,
    aliases: [],
    manager,
    origin,
    state: 'Enabled',
    spec: 'SYMMETRIC_DEFAULT',
    usage: 'ENCRYPT_DECRYPT',
    multiRegion: false,
    rotation: applicable
      ? { applicable: true, reason: 'symmetric customer managed key', enabled: true, periodDays: 365 }
      : { applicable: false, reason: 'not rotatable automatically', enabled: null, periodDays: null },
    level: manager === 'AWS' ? 'aws-managed' : origin === 'EXTERNAL' ? 'customer-managed-imported' : 'customer-managed',
    describable: true,
    inScannedAccount: true,
    notes: [],
    evidence: { KeyState: over.state ?? 'Enabled' },
    ...over,
  };
}

export function keyResource(key: KeyRecord, tags?: Record<string, string>): Resource {
  return {
    arn: key.arn,
    id: key.keyId,
    service: 'kms',
    type: 'key',
    region: key.region,
    accountId: key.accountId,
    protection: { level: key.level, keyArn: key.arn, keyRef: key.arn, algorithm: key.spec, notes: [] },
    attributes: { manager: key.manager, origin: key.origin, state: key.state, aliases: key.aliases },
    evidence: key.evidence,
    ...(tags ? { tags } : {}),
  };
}

export interface BucketSpec {
  name: string;
  level: ProtectionLevel;
  key?: KeyRecord;
  region?: string;
  tags?: Record<string, string>;
  sseCBlocked?: boolean;
  bucketKey?: boolean;
}

export function bucket(spec: BucketSpec): Resource {
  const algorithm = spec.level === 'none' ? null : spec.level === 'aws-owned' ? 'AES256' : 'aws:kms';
  const resource: Resource = {
    arn: `arn:aws:s3:::${spec.name}`,
    id: spec.name,
    service: 's3',
    type: 'bucket',
    region: spec.region ?? 'us-east-1',
    accountId: ACCOUNT,
    protection: {
      level: spec.level,
      keyArn: spec.key?.arn ?? null,
      keyRef: spec.key ? (spec.key.aliases[0] ?? spec.key.arn) : null,
      algorithm,
      notes: spec.level === 'unknown' ? ['GetBucketEncryption failed: AccessDenied'] : [],
    },
    attributes:
      spec.level === 'unknown'
        ? {}
        : { sseAlgorithm: algorithm, bucketKeyEnabled: spec.bucketKey ?? true, sseCBlocked: spec.sseCBlocked ?? true, dsse: false },
    evidence: {},
    ...(spec.tags ? { tags: spec.tags } : {}),
  };
  if (spec.level === 'unknown') resource.error = { operation: 'GetBucketEncryption', code: 'AccessDenied', message: 'Access Denied' };
  return resource;
}

/** A generic resource of any service (for services whose checks live elsewhere). */
export function resource(over: Partial<Resource> & { arn: string; service: Resource['service']; type: string; level: ProtectionLevel; key?: KeyRecord }): Resource {
  const { level, key, ...rest } = over;
  return {
    id: over.arn.split(/[:/]/).at(-1)!,
    region: 'us-east-1',
    accountId: ACCOUNT,
    protection: { level, keyArn: key?.arn ?? null, keyRef: key?.arn ?? null, algorithm: level === 'none' ? null : 'aws:kms', notes: [] },
    attributes: {},
    evidence: {},
    ...rest,
  };
}

export function inventory(resources: Resource[], keys: KeyRecord[] = [], errors: ScanError[] = [], finishedAt = FINISHED_AT): Inventory {
  return {
    kind: 'atrest-inventory',
    schemaVersion: '1',
    tool: { name: 'atrest', version: '0.1.0' },
    scan: {
      accountId: ACCOUNT,
      principalArn: `arn:aws:iam::${ACCOUNT}:role/atrest-audit`,
      partition: 'aws',
      regions: ['us-east-1', 'eu-west-1'],
      services: ['s3', 'ebs', 'rds', 'aurora', 'dynamodb', 'lambda', 'redshift', 'kms'],
      startedAt: '2026-11-28T09:00:00.000Z',
      finishedAt,
      errors,
    },
    keys,
    resources,
  };
}

export function policy(over: Partial<Policy> = {}): Policy {
  return { ...BASELINE_POLICY, name: 'test', ...over };
}
