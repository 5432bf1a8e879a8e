import type { Inventory, KeyRecord, Resource, ScanError } from '../../src/model/inventory.js';
import type { ProtectionLevel } from '../../src/model/levels.js';
import type { ServiceName } from '../../src/model/services.js';
import { ACCOUNT } from './context.js';

/**
 * Builders for hand-made inventories (rule and engine tests). The defaults
 * describe a healthy customer managed symmetric key of the scanned account;
 * tests override only what they are about.
 */
export const FINISHED_AT = '2026-11-28T09:04:12.000Z';

export const keyArn = (id: string, region = 'us-east-1', account = ACCOUNT): string => `arn:aws:kms:${region}:${account}:key/${id}`;

export function key(id: string, overrides: Partial<KeyRecord> = {}): KeyRecord {
  const region = overrides.region ?? 'us-east-1';
  const accountId = overrides.accountId ?? ACCOUNT;
  return {
    arn: keyArn(id, region, accountId),
    keyId: id,
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
    evidence: { KeyId: id, CreationDate: '2024-03-01T10:00:00.000Z' },
    ...overrides,
  };
}

/** The resource the KMS check writes for a key. */
export function keyResource(k: KeyRecord): Resource {
  return {
    arn: k.arn,
    id: k.keyId,
    service: 'kms',
    type: 'key',
    region: k.region,
    accountId: k.accountId,
    protection: { level: k.level, keyArn: k.arn, keyRef: k.arn, algorithm: k.spec, notes: [] },
    attributes: { manager: k.manager, origin: k.origin, state: k.state, aliases: k.aliases, spec: k.spec, usage: k.usage, multiRegion: k.multiRegion },
    evidence: k.evidence,
  };
}

/** A resource of another service encrypted under `keyArnValue` (or not encrypted when null). */
export function dataResource(
  service: ServiceName,
  type: string,
  arn: string,
  keyArnValue: string | null,
  level: ProtectionLevel = keyArnValue ? 'customer-managed' : 'none',
  attributes: Resource['attributes'] = {},
): Resource {
  const region = arn.split(':')[3] || 'us-east-1';
  return {
    arn,
    id: arn.split(/[:/]/).at(-1)!,
    service,
    type,
    region,
    accountId: ACCOUNT,
    protection: { level, keyArn: keyArnValue, keyRef: keyArnValue, algorithm: keyArnValue ? 'aws:kms' : null, notes: [] },
    attributes,
    evidence: {},
  };
}

export function inventory(keys: KeyRecord[], resources: Resource[], options: { services?: ServiceName[]; errors?: ScanError[] } = {}): Inventory {
  return {
    kind: 'atrest-inventory',
    schemaVersion: '1',
    tool: { name: 'atrest', version: 'test' },
    scan: {
      accountId: ACCOUNT,
      principalArn: `arn:aws:iam::${ACCOUNT}:role/atrest-audit`,
      partition: 'aws',
      regions: ['eu-west-1', 'us-east-1'],
      services: options.services ?? ['dynamodb', 'ebs', 'kms', 's3'],
      startedAt: '2026-11-28T09:00:00.000Z',
      finishedAt: FINISHED_AT,
      errors: options.errors ?? [],
    },
    keys,
    resources,
  };
}

/** An inventory whose resources are the keys themselves plus `others`. */
export function keyInventory(keys: KeyRecord[], others: Resource[] = [], options: { services?: ServiceName[]; errors?: ScanError[] } = {}): Inventory {
  return inventory(keys, [...keys.filter((k) => k.inScannedAccount).map(keyResource), ...others], options);
}
