import type { ClientFactory } from '../aws/clients.js';
import { assumeRoleProvider, type AssumedRoleProvider } from '../aws/assume-role.js';
import { describeRegions, isEnabled, type RegionOptIn } from '../aws/enabled-regions.js';
import { describeAwsError, type AwsErrorInfo } from '../aws/errors.js';
import type { CallerIdentity } from '../aws/identity.js';
import type { RegionRequest } from '../aws/regions.js';
import { KeyResolver } from '../keys/resolver.js';
import { collect, type CollectEvents } from './collect.js';
import type { ScanProgress } from '../commands/progress.js';
import { mergeInventories } from '../inventory-file.js';
import { INVENTORY_SCHEMA_VERSION, type Inventory, type ScanError } from '../model/inventory.js';
import type { AccountScan, OptInStatus } from '../model/reach.js';
import type { ServiceName } from '../model/services.js';
import { createLimiter } from '../util/limit.js';
import { compareStrings } from '../util/sort.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import type { AccountTarget } from './targets.js';
import { separateUnavailable } from './unavailable.js';
import { allUnits, byAccount, shardUnits, unitId, type Shard } from './units.js';

/**
 * The scan across accounts and regions. For each account of the plan (its
 * own credentials, or a role assumed from them) and its share of the
 * (account, region) units, it finds the enabled regions, runs the
 * single-account collect (src/collect.ts) on them, and merges the
 * per-account inventories into one (src/inventory-scan.ts), so a scan of
 * many accounts and a merge of their shards say the same.
 *
 * Nothing is lost on the way: an account whose role cannot be assumed is
 * recorded (`failed`, with the reason, and a SCAN.INCOMPLETE error so the
 * exit code is 3) and the scan goes on; a region asked for but not enabled
 * is a note; a service a region does not offer is `scan.unavailable`.
 */
export interface ReachOptions {
  /** The caller's own credentials. */
  base: ClientFactory;
  caller: CallerIdentity;
  /** Where account-level calls go (AssumeRole, DescribeRegions). */
  home: string;
  targets: readonly AccountTarget[];
  regions: RegionRequest;
  /** The caller's DescribeRegions answer, or why it failed. */
  callerRegions: RegionOptIn[] | { error: AwsErrorInfo };
  services: ServiceName[];
  concurrency: number;
  keyUsage?: boolean;
  /** --usage: KMS usage metrics, request quotas and S3 request metrics per account and region. */
  usage?: boolean;
  shard?: Shard;
  assume: { sessionName: string; externalId?: string; durationSeconds?: number };
  /** Accounts read at once (default 3). */
  parallelAccounts?: number;
  /** Facts for scan.notes (e.g. organisation accounts not ACTIVE). */
  notes?: string[];
  progress: ScanProgress;
  log: (message: string) => void;
  now?: () => Date;
}

export interface ReachResult {
  inventory: Inventory;
  describeKeyCalls: number;
}

/** The regions the units are drawn from: --regions, or every region of the partition DescribeRegions lists (an opt-in region may be enabled in a member account). */
export function candidateRegions(options: Pick<ReachOptions, 'regions' | 'callerRegions' | 'home'>): string[] {
  if (options.regions.kind === 'list') return [...options.regions.regions].sort(compareStrings);
  if ('error' in options.callerRegions) return [options.home];
  return options.callerRegions.map((r) => r.region);
}

export async function collectReach(options: ReachOptions): Promise<ReachResult> {
  const now = options.now ?? (() => new Date());
  const startedAt = now().toISOString();
  const units = shardUnits(allUnits(options.targets.map((t) => t.accountId), candidateRegions(options)), options.shard);
  const mine = byAccount(units);
  const targets = options.targets.filter((t) => mine.has(t.accountId));
  options.progress.begin({ accounts: targets.length, units: units.length });
  options.log(`${targets.length} account(s), ${units.length} (account, region) unit(s)${options.shard ? ` in shard ${options.shard.index}/${options.shard.count}` : ''}`);

  // One access (credentials, clients, key resolver) per account, made on first use: by the account's own
  // scan, or by another account's resource that names one of its keys. So a key of a scanned account is
  // described by its owner, once, whichever account (and whichever shard) meets it first.
  const byId = new Map(options.targets.map((t) => [t.accountId, t]));
  const access = new Map<string, AccountAccess>();
  const accessFor = (target: AccountTarget): AccountAccess => {
    let a = access.get(target.accountId);
    if (!a) {
      const provider = target.roleArn ? assumeRoleProvider({ base: options.base, region: options.home, roleArn: target.roleArn, ...options.assume, log: options.log }) : undefined;
      const clients = provider ? options.base.withCredentials(provider) : options.base;
      const keys = new KeyResolver({
        clients,
        accountId: target.accountId,
        partition: options.caller.partition,
        log: options.log,
        peer: (accountId) => {
          const owner = byId.get(accountId);
          return owner ? accessFor(owner).keys : undefined;
        },
      });
      a = { provider, clients, keys };
      access.set(target.accountId, a);
    }
    return a;
  };

  const limit = createLimiter(options.parallelAccounts ?? 3);
  try {
    const inventories = await Promise.all(targets.map((target) => limit(() => scanAccount(options, target, mine.get(target.accountId)!, accessFor(target), now))));
    // Key lookups one account made for another after that account's own collect had finished leave their
    // errors in the owner's resolver: gather every resolver's errors, so none is lost (the merge removes copies).
    const late = [...access.entries()].flatMap(([accountId, a]) => a.keys.errors().map((e) => ({ ...e, accountId })));
    if (late.length > 0) inventories.push(errorsOnly(options, late, now().toISOString()));

    const inventory =
      inventories.length === 0
        ? emptyInventory(options, startedAt, now().toISOString())
        : mergeInventories(inventories, inventories.map((i, n) => `account ${i.scan.accountId} (${n + 1})`)).inventory;
    const notes = [...new Set([...(inventory.scan.notes ?? []), ...(options.notes ?? [])])].sort(compareStrings);
    inventory.scan = {
      ...inventory.scan,
      startedAt,
      ...(notes.length > 0 ? { notes } : {}),
      ...(options.shard ? { shard: { index: options.shard.index, count: options.shard.count, units: units.map(unitId).sort(compareStrings) } } : {}),
    };
    return { inventory, describeKeyCalls: [...access.values()].reduce((n, a) => n + a.keys.describeCalls, 0) };
  } finally {
    for (const a of access.values()) if (a.clients !== options.base) a.clients.destroy();
  }
}

interface AccountAccess {
  provider: AssumedRoleProvider | undefined;
  clients: ClientFactory;
  keys: KeyResolver;
}

async function scanAccount(options: ReachOptions, target: AccountTarget, unitRegions: string[], access: AccountAccess, now: () => Date): Promise<Inventory> {
  const startedAt = now().toISOString();
  const { progress, log } = options;
  const record: AccountScan = { accountId: target.accountId, principalArn: '', regions: [], status: 'scanned' };
  if (target.roleArn) record.roleArn = target.roleArn;

  // Credentials: the caller's own, or the role's (refreshed before they expire).
  const { provider, clients, keys } = access;
  if (provider) {
    try {
      await provider();
    } catch (error) {
      const info = describeAwsError(error);
      log(`account ${target.accountId}: AssumeRole ${target.roleArn} failed: ${info.code}: ${info.message}`);
      record.status = 'failed';
      record.error = { operation: 'AssumeRole', code: info.code, message: info.message };
      progress.skip(unitRegions.length);
      progress.accountDone(target.accountId, 'failed');
      const failure: ScanError = {
        service: 'sts',
        accountId: target.accountId,
        region: options.home,
        operation: 'AssumeRole',
        code: info.code,
        message: `${target.roleArn} could not be assumed, so account ${target.accountId} was not scanned: ${info.message}`,
        resourceArn: target.roleArn!,
      };
      return accountInventory(options, record, [failure], startedAt, now().toISOString());
    }
    record.principalArn = provider.principalArn ?? `${target.roleArn} (session ${options.assume.sessionName})`;
  } else {
    record.principalArn = options.caller.principalArn;
  }

  // Which of its units' regions are enabled for this account.
  const errors: ScanError[] = [];
  const notes: string[] = [];
  const optIn = await regionsOf(options, target, clients, errors, notes);
  record.regionOptIn = Object.fromEntries(optIn.map((r) => [r.region, r.optInStatus]));
  const status = (region: string): OptInStatus => record.regionOptIn?.[region] ?? 'unknown';
  const regions = unitRegions.filter((r) => isEnabled(status(r)));
  const disabled = unitRegions.filter((r) => !isEnabled(status(r)));
  if (disabled.length > 0 && options.regions.kind === 'list') {
    notes.push(`not enabled for account ${target.accountId} (opt-in region not opted in), so not scanned: ${disabled.join(', ')}`);
  }
  progress.skip(disabled.length);
  record.regions = regions;
  if (notes.length > 0) record.notes = notes;

  let inventory: Inventory;
  if (regions.length === 0) {
    inventory = accountInventory(options, record, errors, startedAt, now().toISOString());
  } else {
    // Account-wide checks (S3 ListBuckets) run in the first region: the home region when it is scanned.
    const ordered = [...regions].sort((a, b) => Number(b === options.home) - Number(a === options.home) || compareStrings(a, b));
    const result = await collect({
      clients,
      accountId: target.accountId,
      principalArn: record.principalArn,
      partition: options.caller.partition,
      regions: ordered,
      services: options.services,
      concurrency: options.concurrency,
      ...(options.keyUsage ? { keyUsage: true } : {}),
      ...(options.usage ? { usage: true } : {}),
      keys,
      events: unitEvents(target.accountId, progress),
      log,
      now,
    });
    inventory = result.inventory;
    const separated = separateUnavailable(inventory.scan.errors, target.accountId, options.base.endpointOverridden);
    inventory.scan = {
      ...inventory.scan,
      regions: [...regions].sort(compareStrings),
      errors: [...errors, ...separated.errors.map((e) => ({ ...e, accountId: target.accountId }))],
      ...(separated.unavailable.length > 0 ? { unavailable: separated.unavailable } : {}),
    };
  }
  if (inventory.scan.errors.length > 0) record.status = 'partial';
  inventory.scan.accounts = [record];
  progress.accountDone(target.accountId, record.status);
  return inventory;
}

/** The opt-in status of every region for this account; a failed DescribeRegions is recorded, never hidden. */
async function regionsOf(options: ReachOptions, target: AccountTarget, clients: ClientFactory, errors: ScanError[], notes: string[]): Promise<RegionOptIn[]> {
  const callerAnswer = options.callerRegions;
  if (!target.roleArn) {
    if (!('error' in callerAnswer)) return callerAnswer;
  } else {
    try {
      return await describeRegions(clients, options.home);
    } catch (error) {
      const info = describeAwsError(error);
      if (options.regions.kind === 'enabled') {
        // Without the account's own list, scan the regions the caller's account has enabled and say so.
        errors.push({ service: 'ec2', accountId: target.accountId, region: options.home, operation: 'DescribeRegions', code: info.code, message: `the enabled regions of account ${target.accountId} could not be read (${info.message}); scanned the regions enabled for the calling account instead` });
        if (!('error' in callerAnswer)) return callerAnswer;
        return [{ region: options.home, optInStatus: 'unknown' }];
      }
      notes.push(`ec2:DescribeRegions failed in account ${target.accountId} (${info.code}), so the opt-in status of the regions asked for is unknown; they were scanned`);
      return options.regions.regions.map((region) => ({ region, optInStatus: 'unknown' as const }));
    }
  }
  // The caller's own account, whose list could not be read: only with --regions (openSession refuses otherwise).
  const regions = options.regions.kind === 'list' ? options.regions.regions : [options.home];
  notes.push(`ec2:DescribeRegions failed (${(callerAnswer as { error: AwsErrorInfo }).error.code}), so the opt-in status of the regions asked for is unknown; they were scanned`);
  return regions.map((region) => ({ region, optInStatus: 'unknown' as const }));
}

/** A region of the account is done when every check task planned there is done. */
function unitEvents(accountId: string, progress: ScanProgress): CollectEvents {
  const planned = new Map<string, number>();
  const done = new Map<string, number>();
  const found = new Map<string, number>();
  const reported = new Set<string>();
  let allPlanned = false;
  const settle = (region: string) => {
    if (!allPlanned || reported.has(region) || (done.get(region) ?? 0) < (planned.get(region) ?? 0)) return;
    reported.add(region);
    progress.unitDone(accountId, region, found.get(region) ?? 0);
  };
  return {
    taskPlanned(region) {
      planned.set(region, (planned.get(region) ?? 0) + 1);
    },
    taskDone(region, resources) {
      done.set(region, (done.get(region) ?? 0) + 1);
      found.set(region, (found.get(region) ?? 0) + resources);
      settle(region);
    },
    allPlanned() {
      allPlanned = true;
      for (const region of planned.keys()) settle(region);
    },
  };
}

/** The inventory of an account that was not collected (its role failed, or none of its regions is enabled). */
function accountInventory(options: ReachOptions, record: AccountScan, errors: ScanError[], startedAt: string, finishedAt: string): Inventory {
  return {
    kind: 'atrest-inventory',
    schemaVersion: INVENTORY_SCHEMA_VERSION,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    scan: {
      accountId: record.accountId,
      accounts: [record],
      principalArn: record.principalArn,
      partition: options.caller.partition,
      regions: [...record.regions].sort(compareStrings),
      services: [...options.services].sort(),
      startedAt,
      finishedAt,
      errors,
    },
    keys: [],
    resources: [],
  };
}

/** The key errors gathered after the accounts' own collects (see collectReach): errors only, no account, no resource. */
function errorsOnly(options: ReachOptions, errors: ScanError[], at: string): Inventory {
  return {
    kind: 'atrest-inventory',
    schemaVersion: INVENTORY_SCHEMA_VERSION,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    scan: { accountId: 'multiple', accounts: [], principalArn: '', partition: options.caller.partition, regions: [], services: [...options.services].sort(), startedAt: at, finishedAt: at, errors },
    keys: [],
    resources: [],
  };
}

/** A shard that was given no unit: a valid, empty inventory that says so. */
function emptyInventory(options: ReachOptions, startedAt: string, finishedAt: string): Inventory {
  return {
    kind: 'atrest-inventory',
    schemaVersion: INVENTORY_SCHEMA_VERSION,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    scan: {
      accountId: options.targets.length === 1 ? options.targets[0]!.accountId : 'multiple',
      accounts: [],
      principalArn: options.caller.principalArn,
      partition: options.caller.partition,
      regions: [],
      services: [...options.services].sort(),
      startedAt,
      finishedAt,
      errors: [],
    },
    keys: [],
    resources: [],
  };
}
