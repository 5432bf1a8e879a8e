import { UsageError } from '../errors.js';
import { compareStrings } from '../util/sort.js';

/**
 * The unit of scanning work is one (account, region). `--shard K/N` gives
 * shard K a deterministic share of the units:
 *
 * - the units are sorted by account id, then region, so the share does not
 *   depend on the order accounts were listed in (flags, file, Organizations
 *   pages);
 * - shard K takes the K-th of N contiguous runs of that list, sized within
 *   one unit of each other: every unit is in exactly one shard, and an
 *   account's regions mostly stay together (fewer role sessions and S3
 *   listings per shard than a round robin would cost).
 *
 * Every shard computes the same list from the same inputs (the accounts and
 * the candidate regions: `--regions`, or every region DescribeRegions lists
 * for the partition), so no coordination is needed.
 */
export interface Unit {
  accountId: string;
  region: string;
}

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

/** Parses `--shard K/N` (1 ≤ K ≤ N ≤ 10000). */
export function parseShard(value: string): Shard {
  const parts = value.trim().split('/');
  const [k, n] = parts.map((p) => Number(p));
  if (parts.length !== 2 || !Number.isInteger(k) || !Number.isInteger(n) || n! < 1 || n! > 10_000 || k! < 1 || k! > n!) {
    throw new UsageError(`--shard: "${value}" is not K/N with 1 <= K <= N <= 10000 (e.g. --shard 2/8; in a Kubernetes Indexed Job, $((JOB_COMPLETION_INDEX + 1))/N)`);
  }
  return { index: k!, count: n! };
}

export function unitId(unit: Unit): string {
  return `${unit.accountId}/${unit.region}`;
}

/** Every (account, region) pair, sorted, each once. */
export function allUnits(accountIds: readonly string[], regions: readonly string[]): Unit[] {
  const accounts = [...new Set(accountIds)].sort(compareStrings);
  const names = [...new Set(regions)].sort(compareStrings);
  return accounts.flatMap((accountId) => names.map((region) => ({ accountId, region })));
}

/** The units of shard `shard` (all of them without one). */
export function shardUnits(units: readonly Unit[], shard: Shard | undefined): Unit[] {
  const sorted = [...units].sort((a, b) => compareStrings(a.accountId, b.accountId) || compareStrings(a.region, b.region));
  if (!shard) return sorted;
  const start = Math.floor(((shard.index - 1) * sorted.length) / shard.count);
  const end = Math.floor((shard.index * sorted.length) / shard.count);
  return sorted.slice(start, end);
}

/** Units grouped by account, accounts in sorted order, regions sorted. */
export function byAccount(units: readonly Unit[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const u of units) out.set(u.accountId, [...(out.get(u.accountId) ?? []), u.region]);
  return out;
}
