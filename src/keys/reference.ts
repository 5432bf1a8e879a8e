import { parseArn, partitionFor } from '../aws/arn.js';
import { isRegionName } from '../aws/region-names.js';

/**
 * What a service's key reference names, before KMS is asked anything. Every
 * service returns keys its own way — a key id, a key ARN, an alias name, an
 * alias ARN, `alias/aws/<service>`, a key in another account or region — and
 * some endpoints return placeholders (`${KmsKeyId}`, `key/KEY_ID`, a made-up
 * account). This module decides which of these is a real reference and what
 * it points at; anything else is refused here, so it never reaches KMS (a
 * placeholder account would otherwise read as "another account").
 */
export type KeyReference =
  | { kind: 'key'; region: string; accountId: string; keyId: string; arn: string }
  | { kind: 'alias'; region: string; accountId: string; aliasName: string; aliasArn: string };

/** Where a reference without a Region or account (a bare key id, an alias name) is read. */
export interface ReferenceContext {
  /** The region of the resource that names the key. */
  region: string;
  /** The scanned account. */
  accountId: string;
  partition: string;
}

/** A KMS key id: a UUID, or `mrk-` and 32 hex digits for multi-Region keys. */
const KEY_ID = /^(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;
/** What KMS allows in an alias name: alphanumerics, /, _ and -, after `alias/`. */
const ALIAS_NAME = /^alias\/[A-Za-z0-9/_-]+$/;
const ACCOUNT_ID = /^\d{12}$/;
/** The prefix only AWS can use: customers cannot create aliases under alias/aws/. */
const AWS_MANAGED_ALIAS = /^alias\/aws\//;

/** Is this alias one that only AWS creates (alias/aws/…)? Such an alias proves the key is AWS managed. */
export function isAwsManagedAlias(aliasName: string): boolean {
  return AWS_MANAGED_ALIAS.test(aliasName);
}

export function isKeyId(value: string): boolean {
  return KEY_ID.test(value);
}

/** The reference's target, or null when it is not a KMS key id, key ARN, alias name or alias ARN. */
export function parseKeyReference(reference: string, where: ReferenceContext): KeyReference | null {
  const ref = reference.trim();
  const arn = parseArn(ref);
  if (arn) {
    if (arn.service !== 'kms' || !isRegionName(arn.region) || !ACCOUNT_ID.test(arn.accountId)) return null;
    if (arn.resource.startsWith('key/')) {
      const keyId = arn.resource.slice('key/'.length);
      if (!KEY_ID.test(keyId)) return null;
      return { kind: 'key', region: arn.region, accountId: arn.accountId, keyId, arn: ref };
    }
    if (ALIAS_NAME.test(arn.resource)) {
      return { kind: 'alias', region: arn.region, accountId: arn.accountId, aliasName: arn.resource, aliasArn: ref };
    }
    return null;
  }
  if (!where.region) return null;
  if (ALIAS_NAME.test(ref)) {
    return { kind: 'alias', region: where.region, accountId: where.accountId, aliasName: ref, aliasArn: `arn:${partitionFor(where.region, where.partition)}:kms:${where.region}:${where.accountId}:${ref}` };
  }
  if (KEY_ID.test(ref)) {
    return { kind: 'key', region: where.region, accountId: where.accountId, keyId: ref, arn: `arn:${partitionFor(where.region, where.partition)}:kms:${where.region}:${where.accountId}:key/${ref}` };
  }
  return null;
}

/**
 * The one ARN a key is known by, however it was named: a key named by id and
 * by ARN shares one cache entry and one record.
 */
export function canonicalKeyArn(key: Extract<KeyReference, { kind: 'key' }>, defaultPartition: string): string {
  return `arn:${parseArn(key.arn)?.partition ?? partitionFor(key.region, defaultPartition)}:kms:${key.region}:${key.accountId}:key/${key.keyId}`;
}
