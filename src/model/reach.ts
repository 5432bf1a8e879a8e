import type { ServiceName } from './services.js';

/**
 * What a scan covered across accounts and regions (issue 14): the accounts,
 * the regions each was scanned in with their opt-in status, what was seen
 * outside the scanned regions, and services a region does not offer. Plain
 * JSON, part of the inventory's `scan` (schema/inventory.schema.json).
 */

/** scanned: every call answered; partial: some calls failed (see scan.errors); failed: nothing could be read (the role could not be assumed). */
export type AccountStatus = 'scanned' | 'partial' | 'failed';

export const ACCOUNT_STATUSES: readonly AccountStatus[] = ['scanned', 'partial', 'failed'];

/** EC2 DescribeRegions OptInStatus, or `unknown` when it could not be asked. */
export type OptInStatus = 'opt-in-not-required' | 'opted-in' | 'not-opted-in' | 'unknown';

export interface AccountScan {
  accountId: string;
  /** The principal that read the account: the assumed role session, or the caller itself. '' when the role could not be assumed. */
  principalArn: string;
  /** The role assumed to read it; absent when the caller's own credentials were used. */
  roleArn?: string;
  /** Regions scanned in this account, sorted. */
  regions: string[];
  status: AccountStatus;
  /** Why the account is `failed` (or what made it partial before any check ran). */
  error?: { operation: string; code: string; message: string };
  /** Opt-in status of every region the account was asked about (scanned or not), by region. */
  regionOptIn?: Record<string, OptInStatus>;
  /** Facts a reader needs: regions asked for but not enabled, a region list that could not be read, … */
  notes?: string[];
}

/** A service a region does not offer, or that the account is not subscribed to there: no resources, not an error. */
export interface UnavailableService {
  accountId: string;
  service: ServiceName;
  region: string;
  /** The call that said so, and what it said. */
  operation: string;
  code: string;
  reason: string;
}

/** A resource a listing showed that lives outside the scanned regions (an S3 bucket elsewhere): named, not judged. */
export interface OutsideScan {
  accountId: string;
  service: ServiceName;
  type: string;
  arn: string;
  region: string;
}

/** `--shard K/N`: this inventory holds shard `index` (1-based) of `count` of the (account, region) units. */
export interface ShardInfo {
  index: number;
  count: number;
  /** The units this shard was given, as "accountId/region", sorted. */
  units: string[];
}
