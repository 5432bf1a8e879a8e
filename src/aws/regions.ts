import { partition } from '@aws-sdk/core/client';
import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';
import type { ClientFactory } from './clients.js';
import { UsageError } from '../errors.js';

/**
 * Region names: which strings are regions, which region the first calls go
 * to, and `--regions`.
 *
 * Whether a name is a region is decided in one function, regionNameProblem,
 * so it can be replaced in one place (issue 10, item 14). It asks the SDK's
 * own partition data first (every region of aws, aws-cn, aws-us-gov,
 * aws-iso*, aws-eusc this SDK release knows); only a name the SDK does not
 * know falls back to the old shape test, because a region newer than the
 * SDK is still a region — and EC2 DescribeRegions, asked later for every
 * account, is the final word on which regions exist and are enabled.
 */

/** The old shape test, for names newer than this SDK's partition data only. */
const REGION_SHAPE = /^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/;

/** `--regions all`: every region enabled for the account (EC2 DescribeRegions). */
export const ALL_REGIONS = 'all';

/**
 * null when `name` is an AWS region name, otherwise why not. The SDK's
 * partition data knows real regions; its pseudo-regions (`aws-global`,
 * `aws-cn-global`, …) are endpoints, not places resources live.
 */
export function regionNameProblem(name: string): string | null {
  const known = partition(name) as { name: string; description?: string };
  if (known.description !== undefined && name !== `${known.name}-global`) return null;
  if (name !== `${known.name}-global` && REGION_SHAPE.test(name)) return null;
  return `"${name}" is not an AWS region name (expected something like us-east-1)`;
}

/** The partition (aws, aws-cn, aws-us-gov, aws-eusc, …) the SDK's partition data puts `region` in. */
export function partitionOfRegion(region: string): string {
  return (partition(region) as { name: string }).name;
}

/**
 * What `--regions` asked for: `all` (or no flag at all) means every enabled
 * region; otherwise the named regions, each checked by regionNameProblem.
 */
export type RegionRequest = { kind: 'enabled' } | { kind: 'list'; regions: string[] };

export function parseRegionRequest(value: string | undefined): RegionRequest {
  if (value === undefined || value.trim().toLowerCase() === ALL_REGIONS) return { kind: 'enabled' };
  return { kind: 'list', regions: parseRegionList(value) };
}

/** Parses `--regions a,b`; every name must be a region. */
export function parseRegionList(value: string): string[] {
  const regions = [...new Set(value.split(',').map((r) => r.trim()).filter(Boolean))];
  if (regions.length === 0) throw new UsageError('--regions needs at least one region, e.g. --regions us-east-1,eu-west-1, or "all"');
  if (regions.some((r) => r.toLowerCase() === ALL_REGIONS)) throw new UsageError('--regions: "all" stands alone (every enabled region); it cannot be combined with region names');
  for (const region of regions) {
    const problem = regionNameProblem(region);
    if (problem) throw new UsageError(`--regions: ${problem}`);
  }
  return regions;
}

/**
 * Where the first calls go (GetCallerIdentity, DescribeRegions,
 * Organizations, AssumeRole): AWS_REGION, then AWS_DEFAULT_REGION (which the
 * AWS CLI reads and the JavaScript SDK does not), then the profile's
 * `region`. It says nothing about which regions are scanned.
 */
export async function homeRegion(clients: ClientFactory, env: NodeJS.ProcessEnv = process.env): Promise<{ region: string; source: string }> {
  const candidates: Array<{ region: string | undefined; source: string }> = [
    { region: env.AWS_REGION, source: 'AWS_REGION' },
    { region: env.AWS_DEFAULT_REGION, source: 'AWS_DEFAULT_REGION' },
  ];
  for (const { region, source } of candidates) {
    const value = region?.trim();
    if (!value) continue;
    const problem = regionNameProblem(value);
    if (problem) throw new UsageError(`${source}: ${problem}`);
    return { region: value, source };
  }
  const profile = clients.profile ?? 'default';
  let fromProfile: string | undefined;
  try {
    const { configFile } = await loadSharedConfigFiles({ ignoreCache: true });
    fromProfile = configFile[profile]?.region?.trim() || undefined;
  } catch {
    fromProfile = undefined;
  }
  if (fromProfile) {
    const source = `the region of profile "${profile}"`;
    const problem = regionNameProblem(fromProfile);
    if (problem) throw new UsageError(`${source}: ${problem}`);
    return { region: fromProfile, source };
  }
  throw new UsageError('no region to start from: set AWS_REGION (or AWS_DEFAULT_REGION), set region in the profile, or pass --regions (e.g. --regions us-east-1)');
}

/** Kept for callers that only need the name (the region of the first calls). */
export async function defaultRegion(clients: ClientFactory): Promise<string> {
  return (await homeRegion(clients)).region;
}

