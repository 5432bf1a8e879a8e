import type { Inventory, KeyRecord, Resource, ScanError } from '../../src/model/inventory.js';
import { ACCOUNT } from './context.js';

/**
 * Builders for inventories in engine tests: plain data, the same shape
 * `collect` writes, with only the fields a test cares about spelled out.
 */
export function key(overrides: Partial<KeyRecord> & { keyId: string }): KeyRecord {
  const region = overrides.region ?? 'us-east-1';
  const accountId = overrides.accountId ?? ACCOUNT;
  return {
    arn: `arn:aws:kms:${region}:${accountId}:key/${overrides.keyId}`,
    region,
    accountId,
    aliases: [],
    manager: 'CUSTOMER',
    origin: 'AWS_KMS',
    state: 'Enabled',
    spec: 'SYMMETRIC_DEFAULT',
    usage: 'ENCRYPT_DECRYPT',
    multiRegion: false,
    rotation: { applicable: true, reason: 'customer managed symmetric key with KMS key material', enabled: true, periodDays: 365 },
    level: 'customer-managed',
    describable: true,
    inScannedAccount: accountId === ACCOUNT,
    notes: [],
    evidence: {},
    // The governance facts the KMS check collects: a policy that trusts only the account, no grants.
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

/** The `key` resource the KMS check makes for a key record. */
export function keyResource(k: KeyRecord): Resource {
  return {
    arn: k.arn,
    id: k.keyId,
    service: 'kms',
    type: 'key',
    region: k.region,
    accountId: k.accountId,
    protection: { level: k.level, keyArn: k.arn, keyRef: k.arn, algorithm: k.spec, notes: [] },
    attributes: { manager: k.manager, origin: k.origin, state: k.state, aliases: k.aliases },
    evidence: {},
  };
}

export function bucket(name: string, overrides: Partial<Resource> & { attributes?: Resource['attributes'] } = {}): Resource {
  return {
    arn: `arn:aws:s3:::${name}`,
    id: name,
    service: 's3',
    type: 'bucket',
    region: 'us-east-1',
    accountId: ACCOUNT,
    protection: { level: 'aws-owned', keyArn: null, keyRef: null, algorithm: 'AES256', notes: [] },
    evidence: {},
    ...overrides,
    attributes: { sseAlgorithm: 'AES256', bucketKeyEnabled: false, sseCBlocked: true, ...(overrides.attributes ?? {}) },
  };
}

/** A bucket under SSE-KMS with key `k`. */
export function kmsBucket(name: string, k: KeyRecord, attributes: Resource['attributes'] = {}): Resource {
  return bucket(name, {
    protection: { level: k.level, keyArn: k.arn, keyRef: k.arn, algorithm: 'aws:kms', notes: [] },
    attributes: { sseAlgorithm: 'aws:kms', bucketKeyEnabled: true, ...attributes },
  });
}

export function inventory(parts: { resources?: Resource[]; keys?: KeyRecord[]; errors?: ScanError[] } = {}): Inventory {
  return {
    kind: 'atrest-inventory',
    schemaVersion: '1',
    tool: { name: 'atrest', version: '0.0.0-test' },
    scan: {
      accountId: ACCOUNT,
      principalArn: `arn:aws:iam::${ACCOUNT}:role/atrest-test`,
      partition: 'aws',
      regions: ['us-east-1'],
      services: ['kms', 's3'],
      startedAt: '2026-11-28T09:00:00.000Z',
      finishedAt: '2026-11-28T09:01:00.000Z',
      errors: parts.errors ?? [],
    },
    keys: parts.keys ?? [],
    resources: parts.resources ?? [],
  };
}
