import type { Inventory, Resource, ScanError, ScanInfo } from './model/inventory.js';
import type { AccountScan, AccountStatus, OptInStatus, OutsideScan, UnavailableService } from './model/reach.js';
import type { ServiceName } from './model/services.js';
import { canonicalJson } from './util/canonical.js';
import { compareStrings, sortBy, sortErrors } from './util/sort.js';
import { mergedCoverage } from './model/coverage.js';

/**
 * The `scan` section of merged inventories: accounts, regions, errors and
 * the reach facts of issue 14, unioned so that a merge of the shards of a
 * scan says what one scan of everything says. Used by mergeInventories (for
 * `evaluate`, `keys --inventory` and `atrest merge`) and by the multi-account
 * collector, which merges one inventory per account.
 */

/**
 * The accounts an inventory covers. Inventories written before issue 14 name
 * their one account in scan.accountId (or, merged, a list of ids in
 * scan.accounts): each becomes a record with what the file says about it.
 */
export function accountsOf(scan: ScanInfo): AccountScan[] {
  const listed = scan.accounts as Array<AccountScan | string> | undefined;
  if (listed && listed.length > 0) {
    return listed.map((a) => (typeof a === 'string' ? legacyAccount(scan, a, listed.length === 1 ? scan.principalArn : '') : a));
  }
  if (!/^\d{12}$/.test(scan.accountId)) return [];
  return [legacyAccount(scan, scan.accountId, scan.principalArn)];
}

function legacyAccount(scan: ScanInfo, accountId: string, principalArn: string): AccountScan {
  const errors = scan.errors.filter((e) => (e.accountId ?? accountId) === accountId);
  return { accountId, principalArn, regions: [...scan.regions].sort(compareStrings), status: errors.length > 0 ? 'partial' : 'scanned' };
}

/** Turns a pre-issue-14 list of account ids into account records, in place (readInventoryFile). */
export function normaliseAccounts(inventory: Inventory): Inventory {
  if (inventory.scan.accounts?.some((a) => typeof (a as unknown) === 'string')) inventory.scan.accounts = accountsOf(inventory.scan);
  return inventory;
}

/** Worst first: an account read by one shard and not by another is partial. */
function combineStatus(statuses: readonly AccountStatus[]): AccountStatus {
  if (statuses.every((s) => s === 'scanned')) return 'scanned';
  if (statuses.every((s) => s === 'failed')) return 'failed';
  return 'partial';
}

const OPT_IN_ORDER: OptInStatus[] = ['unknown', 'not-opted-in', 'opted-in', 'opt-in-not-required'];

/** One record per account: regions, notes and opt-in facts unioned; the first principal, role and error in sorted order. */
export function mergeAccounts(records: readonly AccountScan[]): AccountScan[] {
  const byId = new Map<string, AccountScan[]>();
  for (const r of records) byId.set(r.accountId, [...(byId.get(r.accountId) ?? []), r]);
  const out: AccountScan[] = [];
  for (const [accountId, list] of byId) {
    const first = <T>(values: Array<T | undefined>): T | undefined => values.filter((v): v is T => v !== undefined && v !== '').sort((a, b) => compareStrings(canonicalJson(a), canonicalJson(b)))[0];
    const principalArn = first(list.map((r) => r.principalArn)) ?? '';
    const roleArn = first(list.map((r) => r.roleArn));
    const error = first(list.map((r) => r.error));
    const regionOptIn: Record<string, OptInStatus> = {};
    for (const r of list) {
      for (const [region, status] of Object.entries(r.regionOptIn ?? {})) {
        const seen = regionOptIn[region];
        // What DescribeRegions said beats `unknown`; between two answers, the more enabled one (an account opted in between scans).
        if (!seen || OPT_IN_ORDER.indexOf(status) > OPT_IN_ORDER.indexOf(seen)) regionOptIn[region] = status;
      }
    }
    const notes = [...new Set(list.flatMap((r) => r.notes ?? []))].sort(compareStrings);
    out.push({
      accountId,
      principalArn,
      ...(roleArn ? { roleArn } : {}),
      regions: [...new Set(list.flatMap((r) => r.regions))].sort(compareStrings),
      status: combineStatus(list.map((r) => r.status)),
      ...(error ? { error } : {}),
      ...(Object.keys(regionOptIn).length > 0 ? { regionOptIn: Object.fromEntries(sortBy(Object.entries(regionOptIn), ([r]) => [r])) } : {}),
      ...(notes.length > 0 ? { notes } : {}),
    });
  }
  return sortBy(out, (a) => [a.accountId]);
}

function uniqueBy<T>(items: readonly T[]): T[] {
  const seen = new Map<string, T>();
  for (const item of items) {
    const id = canonicalJson(item);
    const had = seen.get(id);
    // Of copies with their fields in another order, the same one whatever the argument order.
    if (!had || compareStrings(JSON.stringify(item), JSON.stringify(had)) > 0) seen.set(id, item);
  }
  return [...seen.values()];
}

/**
 * Resources seen outside the scanned regions stay named only while no merged
 * inventory covers them: a bucket in eu-west-1 that the us-east-1 shard saw
 * is no longer "outside" once the eu-west-1 shard is merged in.
 */
export function stillOutside(outside: readonly OutsideScan[], accounts: readonly AccountScan[], resources: readonly Resource[]): OutsideScan[] {
  const scanned = new Set(accounts.flatMap((a) => a.regions.map((r) => `${a.accountId}/${r}`)));
  const present = new Set(resources.map((r) => `${r.service}\u0000${r.type}\u0000${r.arn}`));
  const left = uniqueBy(outside).filter((o) => !scanned.has(`${o.accountId}/${o.region}`) && !present.has(`${o.service}\u0000${o.type}\u0000${o.arn}`));
  return sortBy(left, (o) => [o.accountId, o.service, o.type, o.region, o.arn]);
}

/**
 * The merged scan section. `latest` is the inventory whose scan finished
 * last (it names the partition); `resources` are the merged resources.
 */
export function mergeScans(inventories: readonly Inventory[], latest: Inventory, resources: readonly Resource[]): ScanInfo {
  const union = <T extends string>(pick: (i: Inventory) => T[]): T[] => [...new Set(inventories.flatMap(pick))].sort(compareStrings);
  const errors = uniqueBy<ScanError>(inventories.flatMap((i) => i.scan.errors));
  // An account is partial when any merged error was met in it, whichever inventory recorded the error.
  const erred = new Set(errors.map((e) => e.accountId).filter((id) => id !== undefined));
  const accounts = mergeAccounts(inventories.flatMap((i) => accountsOf(i.scan))).map((a) => (a.status === 'scanned' && erred.has(a.accountId) ? { ...a, status: 'partial' as const } : a));
  const ids = accounts.length > 0 ? accounts.map((a) => a.accountId) : union((i) => [i.scan.accountId]);
  const unavailable = sortBy(uniqueBy<UnavailableService>(inventories.flatMap((i) => i.scan.unavailable ?? [])), (u) => [u.accountId, u.service, u.region]);
  const outside = stillOutside(inventories.flatMap((i) => i.scan.outsideRegions ?? []), accounts, resources);
  const shards = shardCoverage(inventories);
  const notes = [...new Set(inventories.flatMap((i) => i.scan.notes ?? []))].sort(compareStrings);
  // The union of services is what was scanned somewhere; where the inputs differ, say exactly where (src/model/coverage.ts).
  const coverage = mergedCoverage(inventories.map((i) => i.scan));
  return {
    accountId: ids.length === 1 ? ids[0]! : 'multiple',
    ...(accounts.length > 0 ? { accounts } : {}),
    principalArn: principals(inventories, accounts),
    partition: latest.scan.partition,
    regions: union((i) => i.scan.regions),
    services: union<ServiceName>((i) => i.scan.services),
    ...(coverage ? { coverage } : {}),
    startedAt: inventories.map((i) => i.scan.startedAt).sort(compareStrings)[0]!,
    finishedAt: inventories.map((i) => i.scan.finishedAt).sort(compareStrings).at(-1)!,
    errors: sortErrors(errors),
    ...(unavailable.length > 0 ? { unavailable } : {}),
    ...(outside.length > 0 ? { outsideRegions: outside } : {}),
    ...(notes.length > 0 ? { notes } : {}),
    ...(shards ? { shards } : {}),
  };
}

/** The principals that read the accounts, sorted and comma-separated (one principal on a single-account scan, as before). */
function principals(inventories: readonly Inventory[], accounts: readonly AccountScan[]): string {
  const named = accounts.map((a) => a.principalArn).filter(Boolean);
  const all = named.length > 0 ? named : inventories.map((i) => i.scan.principalArn).filter(Boolean);
  return [...new Set(all)].sort(compareStrings).join(',');
}

/** Which of the shards 1..N the merged inventories are, when they are shards (of one N). */
function shardCoverage(inventories: readonly Inventory[]): ScanInfo['shards'] | undefined {
  const shards = inventories.map((i) => i.scan.shard).filter((s) => s !== undefined);
  const previous = inventories.map((i) => i.scan.shards).filter((s) => s !== undefined);
  if (shards.length === 0 && previous.length === 0) return undefined;
  const count = Math.max(...shards.map((s) => s.count), ...previous.map((s) => s.count));
  const merged = [...new Set([...shards.map((s) => s.index), ...previous.flatMap((s) => s.merged)])].sort((a, b) => a - b);
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !merged.includes(i));
  return { count, merged, missing };
}
