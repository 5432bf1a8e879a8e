import { UsageError } from './errors.js';
import type { Inventory, KeyRecord, Resource } from './model/inventory.js';
import type { ServiceName } from './model/services.js';
import { formatSchemaErrors, validator } from './schema.js';
import { canonicalDigest, canonicalJson } from './util/canonical.js';
import { JsonFileError, readJsonFile } from './util/json-file.js';
import { expandJsonPaths } from './util/json-paths.js';
import { compareStrings, sortBy } from './util/sort.js';
import { mergeScans, normaliseAccounts } from './inventory-scan.js';

/** Where a merged record came from: the file (or the caller's label) and that inventory's scan.finishedAt. */
export interface MergeSource {
  source: string;
  finishedAt: string;
}

/**
 * One key ARN (keys[]) or one resource (resources[], by service, type and ARN)
 * that several inventories (or one inventory twice) record with different
 * content. The merge keeps one record and reports the others here.
 */
export interface MergeConflict {
  record: 'key' | 'resource';
  arn: string;
  /** Resources only. */
  service?: ServiceName;
  /** Resources only. */
  type?: string;
  /** The inventory whose record was kept: the most recent scan (see mergeInventories). */
  kept: MergeSource;
  /** The inventories whose record differs from the kept one (their records were dropped), most recent first. */
  dropped: MergeSource[];
  /** Top-level fields whose values differ between the kept record and a dropped one, sorted. */
  fields: string[];
  /** True when a dropped record's scan finished at the same time as the kept one's: the content digest decided. */
  tie: boolean;
}

export interface MergedInventory {
  inventory: Inventory;
  /** Sorted by record, service, type and ARN; empty when every duplicate was identical. */
  conflicts: MergeConflict[];
}

/**
 * Reading inventories back for `evaluate` and `keys --inventory`: files or
 * folders of files, validated against schema/inventory.schema.json, merged
 * into one (see mergeInventories and docs/inventory.md). The conflicts are
 * named by file path.
 */
export function readInventories(paths: readonly string[]): MergedInventory {
  if (paths.length === 0) throw new UsageError('evaluate needs at least one inventory file or folder');
  const files = expandJsonPaths(paths, 'inventory ');
  return mergeInventories(files.map(readInventoryFile), files);
}

export function readInventoryFile(path: string): Inventory {
  // One copy of the text at most, and none past V8's longest string (src/util/json-file.ts).
  let data: unknown;
  try {
    data = readJsonFile(path);
  } catch (error) {
    if (error instanceof SyntaxError || error instanceof JsonFileError) throw new UsageError(`inventory ${path} is not valid JSON: ${(error as Error).message}`);
    throw new UsageError(`cannot read inventory ${path}: ${(error as Error).message}`);
  }
  if (data && typeof data === 'object' && (data as { kind?: unknown }).kind !== 'atrest-inventory') {
    const hint = (data as { findings?: unknown }).findings ? ' (this looks like a report; pass the inventory written by "atrest collect")' : '';
    throw new UsageError(`${path} is not an atrest inventory: "kind" must be "atrest-inventory"${hint}`);
  }
  const validate = validator('inventory.schema.json');
  if (!validate(data)) {
    const problems = formatSchemaErrors(validate.errors);
    throw new UsageError(`inventory ${path} does not match schema/inventory.schema.json:\n  ${problems.join('\n  ')}`);
  }
  return normaliseAccounts(data as Inventory);
}

/**
 * Merges inventories of several regions, accounts or services into one, the
 * same whatever order they are given in:
 *
 * - keys[] are identified by ARN, resources[] by service, type and ARN. Copies
 *   with the same content (compared as canonical JSON: key order does not
 *   matter) become one record.
 * - Copies whose content differs are a conflict: the record of the inventory
 *   whose scan finished last (scan.finishedAt) is kept; when scans finished at
 *   the same instant, the inventory with the greater SHA-256 of its canonical
 *   JSON wins, then the greater label, then the greater record (a duplicate
 *   inside one inventory). Arbitrary, but never the argument order. Every
 *   conflict is returned, so the caller can say so.
 * - Scan facts are unioned (regions, services, principals, accounts, errors
 *   with exact duplicates removed); startedAt is the earliest, finishedAt the
 *   latest; tool, schemaVersion and partition come from the most recent scan
 *   (on a tie, the greatest of them).
 *
 * `sources` names the inventories in conflicts (file paths for
 * readInventories); by default "inventory 1", "inventory 2", ….
 */
export function mergeInventories(inventories: readonly Inventory[], sources?: readonly string[]): MergedInventory {
  if (inventories.length === 0) throw new UsageError('there is no inventory to merge');
  // One inventory that repeats no key and no resource: nothing to merge (the common case, and a cheap check).
  if (inventories.length === 1 && !repeatsARecord(inventories[0]!)) return { inventory: inventories[0]!, conflicts: [] };
  const labels = inventories.map((_, i) => sources?.[i] ?? `inventory ${i + 1}`);
  const newer = inventoryOrder(inventories, labels);

  const keys = new Map<string, Candidate<KeyRecord>[]>();
  const resources = new Map<string, Candidate<Resource>[]>();
  const add = <T extends object>(map: Map<string, Candidate<T>[]>, id: string, candidate: Candidate<T>) => {
    const list = map.get(id);
    if (list) list.push(candidate);
    else map.set(id, [candidate]);
  };
  inventories.forEach((inv, index) => {
    for (const key of inv.keys) add(keys, key.arn, { record: key, index });
    for (const resource of inv.resources) add(resources, `${resource.service}\u0000${resource.type}\u0000${resource.arn}`, { record: resource, index });
  });

  const conflicts: MergeConflict[] = [];
  const source = (index: number): MergeSource => ({ source: labels[index]!, finishedAt: inventories[index]!.scan.finishedAt });
  const pick = <T extends object>(candidates: Candidate<T>[], identify: (record: T) => Pick<MergeConflict, 'record' | 'arn' | 'service' | 'type'>): T => {
    if (candidates.length === 1) return candidates[0]!.record;
    // Copies written by the same tool have their fields in the same order: plain JSON settles most.
    const plain = candidates.map((c) => JSON.stringify(c.record));
    if (plain.every((p) => p === plain[0])) return candidates[0]!.record;
    const texts = candidates.map((c) => canonicalJson(c.record));
    if (texts.every((t) => t === texts[0])) {
      // The same content with fields in another order: keep the same bytes whatever the argument order.
      return candidates[plain.indexOf([...plain].sort(compareStrings).at(-1)!)]!.record;
    }
    // Most recent scan first; within one inventory, the greater record first.
    const order = candidates.map((_, i) => i).sort((a, b) => newer(candidates[b]!.index, candidates[a]!.index) || compareStrings(texts[b]!, texts[a]!));
    const winner = order[0]!;
    const losers = order.filter((i) => texts[i] !== texts[winner]);
    const finished = (i: number) => finishedAt(inventories[candidates[i]!.index]!);
    conflicts.push({
      ...identify(candidates[winner]!.record),
      kept: source(candidates[winner]!.index),
      dropped: [...new Set(losers.map((i) => candidates[i]!.index))].map(source),
      fields: differingFields(candidates[winner]!.record, losers.map((i) => candidates[i]!.record)),
      tie: losers.some((i) => finished(i) === finished(winner)),
    });
    return candidates[winner]!.record;
  };

  const mergedKeys = [...keys.values()].map((c) => pick(ownersView(c), (k) => ({ record: 'key', arn: k.arn })));
  const mergedResources = [...resources.values()].map((c) => pick(c, (r) => ({ record: 'resource', arn: r.arn, service: r.service, type: r.type })));
  const sortedConflicts = sortBy(conflicts, (c) => [c.record, c.service ?? '', c.type ?? '', c.arn]);

  if (inventories.length === 1) {
    const only = inventories[0]!;
    // Nothing to merge unless the file repeats a record: then only its duplicates go.
    if (mergedKeys.length === only.keys.length && mergedResources.length === only.resources.length) return { inventory: only, conflicts: [] };
    return { inventory: { ...only, keys: sortBy(mergedKeys, (k) => [k.arn]), resources: sortResources(mergedResources) }, conflicts: sortedConflicts };
  }

  // The most recent scan names the tool, schema version and partition (on a tie, the greatest of them).
  const about = (i: number) => canonicalJson([inventories[i]!.schemaVersion, inventories[i]!.tool, inventories[i]!.scan.partition]);
  const latestIndex = inventories.map((_, i) => i).reduce((best, i) => (finishedAt(inventories[i]!) - finishedAt(inventories[best]!) || compareStrings(about(i), about(best))) > 0 ? i : best);
  const latest = inventories[latestIndex]!;
  const resourcesOut = sortResources(mergedResources);
  return {
    inventory: {
      kind: 'atrest-inventory',
      schemaVersion: latest.schemaVersion,
      tool: latest.tool,
      // Accounts, regions, errors and the reach facts (src/inventory-scan.ts).
      scan: mergeScans(inventories, latest, resourcesOut),
      keys: sortBy(mergedKeys, (k) => [k.arn]),
      resources: resourcesOut,
      ...mergedUsage(inventories, newer),
    },
    conflicts: sortedConflicts,
  };
}

/** Does the inventory list a key ARN twice, or a resource (service, type, ARN) twice? */
function repeatsARecord(inventory: Inventory): boolean {
  const keys = new Set<string>();
  for (const key of inventory.keys) {
    if (keys.has(key.arn)) return true;
    keys.add(key.arn);
  }
  // By ARN first (no key string built per resource); only ARNs seen twice are compared by service and type.
  const arns = new Set<string>();
  let twice: Set<string> | undefined;
  for (const resource of inventory.resources) {
    if (arns.has(resource.arn)) (twice ??= new Set()).add(resource.arn);
    else arns.add(resource.arn);
  }
  if (!twice) return false;
  const ids = new Set<string>();
  for (const r of inventory.resources) {
    if (!twice.has(r.arn)) continue;
    const id = `${r.service}\u0000${r.type}\u0000${r.arn}`;
    if (ids.has(id)) return true;
    ids.add(id);
  }
  return false;
}

/**
 * The KMS usage of the merged inventories (--usage): one record per account
 * and Region, from the most recent scan that read it (the same order as the
 * records above). Absent when no inventory has any.
 */
function mergedUsage(inventories: readonly Inventory[], newer: (a: number, b: number) => number): Pick<Inventory, 'usage'> {
  const best = new Map<string, { region: NonNullable<Inventory['usage']>['regions'][number]; index: number }>();
  inventories.forEach((inv, index) => {
    for (const region of inv.usage?.regions ?? []) {
      const id = `${region.accountId}\u0000${region.region}`;
      const seen = best.get(id);
      if (!seen || newer(index, seen.index) > 0) best.set(id, { region, index });
    }
  });
  if (best.size === 0) return {};
  return { usage: { regions: sortBy([...best.values()].map((b) => b.region), (r) => [r.accountId, r.region]) } };
}

/**
 * A key of one merged account used by a resource of another is recorded
 * twice: by its own account's scan (inScannedAccount, fully described) and
 * by the other's as a key of another account. They are one key, not a
 * conflict: the owner's record stands, and the resource links to it.
 */
function ownersView(candidates: Candidate<KeyRecord>[]): Candidate<KeyRecord>[] {
  const narrow = (list: Candidate<KeyRecord>[], keep: (k: KeyRecord) => boolean) => {
    const kept = list.filter((c) => keep(c.record));
    return kept.length > 0 && kept.length < list.length ? kept : list;
  };
  const owners = narrow(candidates, (k) => k.inScannedAccount);
  // The owner's KMS check adds the governance facts (policy, grants, rotations) to the key records of the
  // regions it scans; a record the owner only described for another account's resource, in a shard that
  // did not scan that region, lacks them. Same key, less known: the fuller record stands.
  return narrow(owners, (k) => k.policy !== undefined || k.grants !== undefined || k.rotations !== undefined);
}

interface Candidate<T extends object> {
  record: T;
  /** Index of the inventory it came from. */
  index: number;
}

/** scan.finishedAt in ms; an unreadable date counts as the oldest. */
function finishedAt(inventory: Inventory): number {
  const t = Date.parse(inventory.scan.finishedAt);
  return Number.isNaN(t) ? -Infinity : t;
}

/**
 * Compares two inventories by index, positive when the first is the more
 * recent: by scan.finishedAt, then (a tie) by the SHA-256 of each inventory's
 * canonical JSON, then by label. Never by position, so the merge does not
 * depend on the argument order. The digests are computed only for ties.
 */
function inventoryOrder(inventories: readonly Inventory[], labels: readonly string[]): (a: number, b: number) => number {
  const digests = new Map<number, string>();
  const digest = (i: number) => {
    let d = digests.get(i);
    if (d === undefined) digests.set(i, (d = canonicalDigest(inventories[i])));
    return d;
  };
  return (a, b) => {
    if (a === b) return 0;
    const ta = finishedAt(inventories[a]!);
    const tb = finishedAt(inventories[b]!);
    if (ta !== tb) return ta > tb ? 1 : -1;
    return compareStrings(digest(a), digest(b)) || compareStrings(labels[a]!, labels[b]!);
  };
}

function differingFields(kept: object, dropped: readonly object[]): string[] {
  const fields = new Set<string>();
  const k = kept as Record<string, unknown>;
  for (const other of dropped as Array<Record<string, unknown>>) {
    for (const field of new Set([...Object.keys(k), ...Object.keys(other)])) {
      if (canonicalJson(k[field]) !== canonicalJson(other[field])) fields.add(field);
    }
  }
  return [...fields].sort(compareStrings);
}

function sortResources(resources: Resource[]): Resource[] {
  return sortBy(resources, (r) => [r.service, r.type, r.region, r.arn]);
}
