import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from './errors.js';
import type { Inventory, KeyRecord, Resource } from './model/inventory.js';
import type { ServiceName } from './model/services.js';
import { formatSchemaErrors, validator } from './schema.js';
import { sortBy, sortErrors } from './util/sort.js';

/**
 * Reading inventories back for `evaluate`: files or folders of files,
 * validated against schema/inventory.schema.json, merged into one.
 */
export function readInventories(paths: readonly string[]): Inventory {
  if (paths.length === 0) throw new UsageError('evaluate needs at least one inventory file or folder');
  const files: string[] = [];
  for (const path of paths) {
    let stat;
    try {
      stat = statSync(path);
    } catch (error) {
      throw new UsageError(`cannot read inventory ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : (error as Error).message}`);
    }
    if (stat.isDirectory()) {
      const inside = readdirSync(path).filter((f) => f.endsWith('.json')).sort();
      if (inside.length === 0) throw new UsageError(`inventory folder ${path} holds no .json files`);
      files.push(...inside.map((f) => join(path, f)));
    } else {
      files.push(path);
    }
  }
  return mergeInventories(files.map(readInventoryFile));
}

export function readInventoryFile(path: string): Inventory {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read inventory ${path}: ${(error as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`inventory ${path} is not valid JSON: ${(error as Error).message}`);
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
  return data as Inventory;
}

/**
 * Merges inventories of several regions or accounts. Keys and resources are
 * de-duplicated by ARN (the later file wins); scan facts are unioned.
 */
export function mergeInventories(inventories: readonly Inventory[]): Inventory {
  if (inventories.length === 1) return inventories[0]!;
  const first = inventories[0]!;
  const accounts = [...new Set(inventories.map((i) => i.scan.accountId))].sort();
  const keys = new Map<string, KeyRecord>();
  const resources = new Map<string, Resource>();
  for (const inv of inventories) {
    for (const key of inv.keys) keys.set(key.arn, key);
    for (const resource of inv.resources) resources.set(`${resource.service}\u0000${resource.type}\u0000${resource.arn}`, resource);
  }
  const union = <T extends string>(pick: (i: Inventory) => T[]): T[] => [...new Set(inventories.flatMap(pick))].sort();
  return {
    kind: 'atrest-inventory',
    schemaVersion: first.schemaVersion,
    tool: first.tool,
    scan: {
      accountId: accounts.length === 1 ? accounts[0]! : 'multiple',
      ...(accounts.length > 1 ? { accounts } : {}),
      principalArn: [...new Set(inventories.map((i) => i.scan.principalArn))].sort().join(','),
      partition: first.scan.partition,
      regions: union((i) => i.scan.regions),
      services: union<ServiceName>((i) => i.scan.services),
      startedAt: inventories.map((i) => i.scan.startedAt).sort()[0]!,
      finishedAt: inventories.map((i) => i.scan.finishedAt).sort().at(-1)!,
      errors: sortErrors(inventories.flatMap((i) => i.scan.errors)),
    },
    keys: sortBy([...keys.values()], (k) => [k.arn]),
    resources: sortBy([...resources.values()], (r) => [r.service, r.type, r.region, r.arn]),
  };
}
