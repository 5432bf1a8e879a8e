import { KMSClient, paginateListKeys } from '@aws-sdk/client-kms';
import { describeAwsError } from '../aws/errors.js';
import type { Json, KeyRecord, Resource, ScanError } from '../model/inventory.js';
import { collectKeyDetails } from './kms-key-details.js';
import type { CheckContext, CheckResult, ServiceCheck } from './types.js';

/**
 * The KMS check: every key of the scanned account in one region, as a
 * resource of type `key`. Describing and classifying is the key resolver's
 * job, so a key that S3 and this check both name is described once. The
 * governance facts (policy, grants, tags, rotations, custom key store,
 * last usage) come from kms-key-details.ts and are added to the same records.
 */
export const kmsCheck: ServiceCheck = {
  services: ['kms'],
  scope: 'regional',
  async run(ctx: CheckContext): Promise<CheckResult> {
    const client = ctx.clients.get(KMSClient, ctx.region);
    const errors: ScanError[] = [];
    const keyArns: string[] = [];
    try {
      ctx.log(`kms ListKeys ${ctx.region}`);
      for await (const page of paginateListKeys({ client, pageSize: 1000 }, {})) {
        for (const entry of page.Keys ?? []) {
          const arn = entry.KeyArn ?? (entry.KeyId ? `arn:${ctx.partition}:kms:${ctx.region}:${ctx.accountId}:key/${entry.KeyId}` : null);
          if (arn) keyArns.push(arn);
        }
      }
    } catch (error) {
      const info = describeAwsError(error);
      errors.push({ service: 'kms', region: ctx.region, operation: 'ListKeys', code: info.code, message: info.message });
      return { resources: [], errors };
    }
    // List aliases up front so every record carries its aliases.
    await ctx.keys.aliases(ctx.region);
    const records = await Promise.all(keyArns.map((arn) => ctx.keys.describeKeyArn(arn)));
    // Details once per key, even if ListKeys named one twice.
    const unique = [...new Map(records.map((k) => [k.arn, k])).values()];
    errors.push(...(await collectKeyDetails(ctx, unique, { keyUsage: ctx.keyUsage ?? false })));
    return { resources: unique.map((key) => keyResource(key)), errors };
  },
};

function keyResource(key: KeyRecord): Resource {
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
  const resource: Resource = {
    arn: key.arn,
    id: key.keyId,
    service: 'kms',
    type: 'key',
    region: key.region,
    accountId: key.accountId,
    protection: { level: key.level, keyArn: key.arn, keyRef: key.arn, algorithm: key.spec === 'unknown' ? null : key.spec, notes: [...key.notes] },
    attributes,
    evidence: key.evidence,
  };
  if (key.tags) resource.tags = { ...key.tags };
  if (!key.describable) {
    const failure = key.evidence.DescribeKeyError as { code?: string; message?: string } | undefined;
    resource.error = { operation: 'DescribeKey', code: failure?.code ?? 'Error', message: failure?.message ?? 'not described' };
  }
  return resource;
}
