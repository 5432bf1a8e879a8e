import { KMSClient, paginateListKeys } from '@aws-sdk/client-kms';
import { describeAwsError } from '../../aws/errors.js';
import { mapLimited } from '../../util/limit.js';
import type { KeyRecord, Resource, ScanError } from '../../model/inventory.js';
import { keyResource } from '../../keys/key-resource.js';
import { collectKeyDetails } from './key-details.js';
import { unreadable } from '../../collect/protection.js';
import type { CheckContext, CheckResult, ServiceCheck } from '../../collect/check.js';
import { scanError } from '../../collect/scan-error.js';

/**
 * The KMS check: every key of the scanned account in one region, as a
 * resource of type `key`. Describing and classifying is the key resolver's
 * job, so a key that S3 and this check both name is described once. The
 * governance facts (policy, grants, tags, rotations, custom key store,
 * last usage) come from kms-key-details.ts and are added to the same records.
 */
export const kmsCheck: ServiceCheck = {
  async run(ctx: CheckContext): Promise<CheckResult> {
    const client = ctx.clients.get(KMSClient, ctx.region);
    const errors: ScanError[] = [];
    const keyArns = new Set<string>();
    try {
      ctx.log(`kms ListKeys ${ctx.region}`);
      for await (const page of paginateListKeys({ client, pageSize: 1000, stopOnSameToken: true }, {})) {
        for (const entry of page.Keys ?? []) {
          const arn = entry.KeyArn ?? (entry.KeyId ? `arn:${ctx.partition}:kms:${ctx.region}:${ctx.accountId}:key/${entry.KeyId}` : null);
          if (arn) keyArns.add(arn); // a set: a repeated page must not repeat a key
        }
      }
    } catch (error) {
      const info = describeAwsError(error);
      errors.push(scanError('kms', ctx.region, 'ListKeys', info));
      // Aliases are not asked for: a Region whose ListKeys fails (KMS not
      // offered there, say) is one error, not two.
      return { resources: [], errors };
    }
    // List aliases up front so every record carries its aliases.
    await ctx.keys.aliases(ctx.region);
    // One unusable ARN must not take the region's other keys down with it.
    const described: KeyRecord[] = [];
    const unreadableKeys: Resource[] = [];
    await mapLimited([...keyArns], ctx.fanOut, async (arn) => {
      try {
        described.push(await ctx.keys.describeKeyArn(arn));
      } catch (error) {
        const info = describeAwsError(error);
        errors.push(scanError('kms', ctx.region, 'DescribeKey', info, arn));
        unreadableKeys.push(unreadableKey(ctx, arn, info));
      }
    });
    // Governance details once per key, even if ListKeys named one twice.
    const unique = [...new Map(described.map((k) => [k.arn, k])).values()];
    errors.push(...(await collectKeyDetails(ctx, unique, { keyUsage: ctx.keyUsage ?? false })));
    return { resources: [...unique.map((key) => keyResource(key)), ...unreadableKeys], errors };
  },
};

function unreadableKey(ctx: CheckContext, arn: string, info: { code: string; message: string }): Resource {
  return {
    arn,
    id: arn.split('/').pop() ?? arn,
    service: 'kms',
    type: 'key',
    region: ctx.region,
    accountId: ctx.accountId,
    protection: unreadable(`the key could not be described: ${info.code}: ${info.message}`),
    attributes: {},
    evidence: {},
    error: { operation: 'DescribeKey', code: info.code, message: info.message },
  };
}
