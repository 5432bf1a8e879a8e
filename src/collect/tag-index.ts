import { ResourceGroupsTaggingAPIClient, paginateGetResources } from '@aws-sdk/client-resource-groups-tagging-api';
import type { ClientFactory } from '../aws/clients.js';
import { describeAwsError } from '../aws/errors.js';
import type { KeyFactError, ScanError } from '../model/inventory.js';
import type { ServiceName } from '../model/services.js';
import { compareStrings } from '../util/sort.js';
import { scanError } from './scan-error.js';

/**
 * Tags in bulk, for the policy's tag overrides: one Resource Groups Tagging
 * API `GetResources` listing per Region and resource type, instead of one
 * call per resource (GetBucketTagging, DynamoDB's ListTagsOfResource — paced
 * by AWS to 10 calls a second per account —, KMS ListResourceTags). A Region
 * with 1,000 buckets costs a page per 100 tagged buckets instead of 1,000
 * calls.
 *
 * GetResources "returns all the tagged or previously tagged resources that
 * are located in the specified AWS Region for the account" and "does not
 * return untagged resources" (API reference,
 * https://docs.aws.amazon.com/resourcegroupstagging/latest/APIReference/API_GetResources.html):
 * a resource that is not in the listing has no tags. Tag changes reach the
 * Tagging API within moments of being made; a tag changed during the scan
 * may be seen either way, as with any per-resource read.
 *
 * When the listing fails, every resource of that type in that Region gets
 * the failure as its `tagsError` (the rules then judge it under every
 * override that could apply), and the failure is one scan error for the
 * Region, not one per resource.
 */
export type TaggedType = 's3:bucket' | 'dynamodb:table' | 'kms:key';

/** The atrest service whose resources a Tagging API type lists (the scan error is theirs). */
const SERVICE_OF: Record<TaggedType, ServiceName> = { 's3:bucket': 's3', 'dynamodb:table': 'dynamodb', 'kms:key': 'kms' };

export type TagLookup = { tags: { [key: string]: string } } | { error: KeyFactError };

type Listing = { byArn: Map<string, { [key: string]: string }> } | { error: KeyFactError };

export class TagIndex {
  private readonly listings = new Map<string, Promise<Listing>>();
  private readonly scanErrors: ScanError[] = [];

  constructor(private readonly options: { clients: ClientFactory; log?: (message: string) => void }) {}

  /** The tags of the resource `arn` of `type` in `region` ({} when it has none). */
  async tagsOf(type: TaggedType, region: string, arn: string): Promise<TagLookup> {
    const listing = await this.listing(type, region);
    if ('error' in listing) return { error: { ...listing.error } };
    return { tags: { ...(listing.byArn.get(arn) ?? {}) } };
  }

  /** The GetResources listings that failed, one scan error per Region and type. */
  errors(): ScanError[] {
    return [...this.scanErrors];
  }

  private listing(type: TaggedType, region: string): Promise<Listing> {
    const key = `${type}:${region}`;
    let listing = this.listings.get(key);
    if (!listing) {
      listing = this.list(type, region);
      this.listings.set(key, listing);
    }
    return listing;
  }

  private async list(type: TaggedType, region: string): Promise<Listing> {
    const client = this.options.clients.get(ResourceGroupsTaggingAPIClient, region);
    const byArn = new Map<string, { [key: string]: string }>();
    try {
      this.options.log?.(`tagging GetResources ${type} ${region}`);
      const pages = paginateGetResources({ client, pageSize: 100, stopOnSameToken: true }, { ResourceTypeFilters: [type] });
      for await (const page of pages) {
        for (const mapping of page.ResourceTagMappingList ?? []) {
          if (!mapping.ResourceARN) continue;
          const tags: { [key: string]: string } = {};
          for (const tag of mapping.Tags ?? []) if (tag.Key !== undefined) tags[tag.Key] = tag.Value ?? '';
          byArn.set(mapping.ResourceARN, Object.fromEntries(Object.entries(tags).sort(([a], [b]) => compareStrings(a, b))));
        }
      }
      return { byArn };
    } catch (error) {
      const info = describeAwsError(error);
      this.scanErrors.push(scanError(SERVICE_OF[type], region, 'GetResources', info));
      return { error: { operation: 'GetResources', code: info.code, message: info.message } };
    }
  }
}
