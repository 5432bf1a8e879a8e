import type { Shard } from '../collect/units.js';

/**
 * Flags of the live commands (scan, collect, keys) for accounts, sharding and
 * progress (issue 14). Part of AwsFlags (src/cli.ts).
 */
export interface ReachFlags {
  /** --role-arn, repeatable. */
  roleArn?: string[];
  accountsFile?: string;
  roleName?: string;
  externalId?: string;
  /** Default `atrest`. */
  roleSessionName?: string;
  /** Seconds, 900–43200 (AssumeRole DurationSeconds). */
  sessionDuration?: number;
  orgRole?: string;
  orgIncludeSelf?: boolean;
  accounts?: string[];
  excludeAccounts?: string[];
  shard?: Shard;
  quiet?: boolean;
  progress?: boolean;
}

/** The option names of ReachFlags, for `keys --inventory`'s live-only check. */
export const REACH_OPTION_NAMES = [
  'roleArn',
  'accountsFile',
  'roleName',
  'externalId',
  'roleSessionName',
  'sessionDuration',
  'orgRole',
  'orgIncludeSelf',
  'accounts',
  'excludeAccounts',
  'shard',
] as const;
