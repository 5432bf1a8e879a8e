import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';
import type { ClientFactory } from './clients.js';
import { UsageError } from '../errors.js';
import { isRegionName, partitionOfRegion } from './region-names.js';

/**
 * `--regions` and the region of the first calls. Whether a name is a region
 * is decided by isRegionName (src/aws/region-names.ts), the one place.
 */

/** `--regions all`: every region enabled for the account (EC2 DescribeRegions). */
export const ALL_REGIONS = 'all';

/** null when `name` is an AWS region name, otherwise why not. */
export function regionNameProblem(name: string): string | null {
  return isRegionName(name) ? null : `"${name}" is not an AWS region name the AWS SDK knows (expected something like us-east-1, cn-north-1, us-gov-west-1 or eusc-de-east-1)`;
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
  // One scan covers one partition: credentials of one are not valid in another.
  const partitions = [...new Set(regions.map((r) => partitionOfRegion(r)))];
  if (partitions.length > 1) {
    const by = partitions.map((p) => `${p}: ${regions.filter((r) => partitionOfRegion(r) === p).join(', ')}`).join('; ');
    throw new UsageError(`--regions mixes partitions (${by}); credentials work in one partition only: scan each partition separately and merge the inventories with evaluate`);
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
  const profile = clients.profile || 'default';
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

