import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import type { ClientFactory } from './clients.js';
import type { OptInStatus } from '../model/reach.js';

/**
 * Which regions exist for an account and which are enabled, from EC2
 * DescribeRegions with AllRegions=true: every region of the partition, each
 * with its OptInStatus — `opt-in-not-required` (enabled by default),
 * `opted-in` (an opt-in region the account enabled) or `not-opted-in` (an
 * opt-in region the account has not enabled: nothing can live there).
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeRegions.html
 * https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html
 */
export type { OptInStatus };

export interface RegionOptIn {
  region: string;
  /** As DescribeRegions said; `unknown` when it said nothing or could not be asked. */
  optInStatus: OptInStatus;
}

const KNOWN: ReadonlySet<string> = new Set(['opt-in-not-required', 'opted-in', 'not-opted-in']);

/** Every region of the account's partition with its opt-in status, sorted by name. Throws what the SDK threw. */
export async function describeRegions(clients: ClientFactory, region: string): Promise<RegionOptIn[]> {
  // Two attempts: a denial does not heal, and the caller has a fallback.
  const out = await clients.get(EC2Client, region, { maxAttempts: 2 }).send(new DescribeRegionsCommand({ AllRegions: true }));
  const seen = new Map<string, RegionOptIn>();
  for (const r of out.Regions ?? []) {
    if (!r.RegionName) continue;
    const status = r.OptInStatus && KNOWN.has(r.OptInStatus) ? (r.OptInStatus as OptInStatus) : 'unknown';
    seen.set(r.RegionName, { region: r.RegionName, optInStatus: status });
  }
  return [...seen.values()].sort((a, b) => (a.region < b.region ? -1 : a.region > b.region ? 1 : 0));
}

/** A region the account can hold resources in. `unknown` counts as enabled: it is scanned, and a failure there is reported, never hidden. */
export function isEnabled(status: OptInStatus): boolean {
  return status !== 'not-opted-in';
}
