import type { Json, KeyRecord, Resource } from '../model/inventory.js';
import { describeKeyFailure } from './classify.js';

/**
 * The `kms` resource of type `key` for a key record: what the KMS check
 * writes for every key its ListKeys names, and what the engine judges for a
 * key of a scanned account that reached the inventory only as the key of a
 * resource (a scan without `kms`, or a merged file): every key record of a
 * scanned account is judged, none is silently left out (issue 10, item 5).
 */
export function keyResource(key: KeyRecord, listedByKmsCheck = true): Resource {
  const attributes: { [name: string]: Json } = {
    manager: key.manager,
    origin: key.origin,
    state: key.state,
    aliases: key.aliases,
    spec: key.spec,
    usage: key.usage,
    multiRegion: key.multiRegion,
  };
  if (key.multiRegionConfiguration) attributes.multiRegionKeyType = key.multiRegionConfiguration.keyType;
  if (key.customKeyStore) attributes.customKeyStoreType = key.customKeyStore.type;
  const notes = [...key.notes];
  if (!listedByKmsCheck) {
    attributes.listedByKmsCheck = false;
    notes.push('recorded by the key resolver for the resources that use it, not listed by the KMS check: only the facts DescribeKey and GetKeyRotationStatus give are known');
  }
  const resource: Resource = {
    arn: key.arn,
    id: key.keyId,
    service: 'kms',
    type: 'key',
    region: key.region,
    accountId: key.accountId,
    protection: { level: key.level, keyArn: key.arn, keyRef: key.arn, algorithm: key.spec === 'unknown' ? null : key.spec, notes },
    attributes,
    evidence: key.evidence,
  };
  if (key.tags) resource.tags = { ...key.tags };
  if (key.tagsError) resource.tagsError = { ...key.tagsError };
  const failure = describeKeyFailure(key);
  if (failure) resource.error = failure;
  return resource;
}

/**
 * The key resources the inventory lacks: one for every key record of a
 * scanned account that no `kms` `key` resource stands for. Keys of other
 * accounts are their owner's to judge (the resources that use them are
 * judged by KMS.KEY_STATE here).
 */
export function missingKeyResources(keys: readonly KeyRecord[], resources: readonly Resource[]): Resource[] {
  const listed = new Set(resources.filter((r) => r.service === 'kms' && r.type === 'key').map((r) => r.arn));
  return keys.filter((k) => k.inScannedAccount && !listed.has(k.arn)).map((k) => keyResource(k, false));
}
