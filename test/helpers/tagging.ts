import {
  GetResourcesCommand,
  ResourceGroupsTaggingAPIClient as ResourceGroupsTaggingAPIClientClass,
  type GetResourcesCommandOutput,
  type ResourceGroupsTaggingAPIClient,
} from '@aws-sdk/client-resource-groups-tagging-api';
import { beforeEach } from 'vitest';
import { mockSdkClient } from './mock-sdk.js';
import type { AwsStub } from 'aws-sdk-client-mock';
import { awsError } from './fixtures.js';

/**
 * Answers the Resource Groups Tagging API's GetResources the way AWS does:
 * per Region (the client's), per resource type (ResourceTypeFilters), only
 * resources that carry tags, pages of ResourcesPerPage. `listings` maps
 * "region type" (e.g. "us-east-1 s3:bucket") to the tagged resources there;
 * anything not listed has no tags. `denied` lists "region type" keys that
 * answer AccessDenied.
 */
export type TaggedResources = Record<string, Array<{ ResourceARN: string; Tags: Array<{ Key: string; Value: string }> }>>;

type TaggingStub = AwsStub<object, GetResourcesCommandOutput, object>;

/** What a denied GetResources says. */
export const TAGGING_DENIED = 'User: arn:aws:sts::111122223333:assumed-role/atrest-audit/atrest is not authorized to perform: tag:GetResources';

export function answerGetResources(stub: unknown, listings: TaggedResources = {}, denied: readonly string[] = []): void {
  (stub as TaggingStub).on(GetResourcesCommand).callsFake(async (input: { ResourceTypeFilters?: string[]; PaginationToken?: string; ResourcesPerPage?: number }, getClient: () => unknown) => {
    const region = await (getClient() as ResourceGroupsTaggingAPIClient).config.region();
    const type = input.ResourceTypeFilters?.[0] ?? '';
    const key = `${region} ${type}`;
    if (denied.includes(key)) {
      throw awsError('AccessDeniedException', TAGGING_DENIED, 400);
    }
    const all = listings[key] ?? [];
    const start = Number(input.PaginationToken || 0);
    const size = input.ResourcesPerPage ?? 50;
    const next = start + size < all.length ? String(start + size) : '';
    return { ResourceTagMappingList: all.slice(start, start + size), PaginationToken: next } as GetResourcesCommandOutput;
  });
}

/** The GetResources calls made, as "region type". */
export async function getResourcesCalls(stub: unknown): Promise<string[]> {
  const calls = (stub as TaggingStub).commandCalls(GetResourcesCommand);
  return Promise.all(
    calls.map(async (call) => {
      const region = await (call.thisValue as ResourceGroupsTaggingAPIClient).config.region();
      const input = call.args[0].input as { ResourceTypeFilters?: string[] };
      return `${region} ${input.ResourceTypeFilters?.join(',') ?? ''}`;
    }),
  );
}

/**
 * A file-wide stub of the Tagging API (aws-sdk-client-mock) that, before
 * each test, answers GetResources from `listings()` (default: nothing is
 * tagged). Tests change the answer with answerGetResources(stub, …).
 */
export function mockTaggingApi(listings: () => TaggedResources = () => ({})): ReturnType<typeof mockSdkClient> {
  const stub = mockSdkClient(ResourceGroupsTaggingAPIClientClass);
  beforeEach(() => answerGetResources(stub, listings()));
  return stub;
}
