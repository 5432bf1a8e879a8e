import { UsageError } from './errors.js';
import { JsonFileError, readJsonFile } from './util/json-file.js';
import { expandJsonPaths } from './util/json-paths.js';
import { normaliseAccounts } from './inventory-scan.js';
import { readInventoryFile } from './inventory-file.js';
import { INVENTORY_SCHEMA_VERSION, type Inventory, type KeyRecord } from './model/inventory.js';
import type { Report } from './model/report.js';
import { formatSchemaErrors, validator } from './schema.js';

/**
 * What `atrest merge` reads: inventories (`atrest collect`, `--save-inventory`)
 * and JSON reports (`--format json`), as files or folders of .json files. A
 * report carries its inventory: its scan, its keys (less the dependants and
 * costs the engine added) and its resources — all of them, unless the
 * policy's scope left some out, which is refused (merge the inventory
 * instead): a merge must not lose what a shard read.
 */
export const expandPaths = (paths: readonly string[]): string[] => expandJsonPaths(paths);

export function readMergeInput(path: string): Inventory {
  let data: unknown;
  try {
    // The same reader as inventories: one copy of the text at most, and none past V8's longest string.
    data = readJsonFile(path);
  } catch (error) {
    throw new UsageError(`${path}: ${error instanceof SyntaxError || error instanceof JsonFileError ? `not valid JSON: ${(error as Error).message}` : `cannot read: ${(error as Error).message}`}`);
  }
  const object = (data ?? {}) as { kind?: unknown; findings?: unknown };
  if (object.kind === 'atrest-inventory') return readInventoryFile(path);
  if (!Array.isArray(object.findings)) throw new UsageError(`${path} is neither an atrest inventory nor an atrest JSON report (--format json)`);
  const validate = validator('report.schema.json');
  if (!validate(data)) {
    throw new UsageError(`report ${path} does not match schema/report.schema.json:\n  ${formatSchemaErrors(validate.errors).join('\n  ')}`);
  }
  return inventoryOfReport(data as Report, path);
}

/** The inventory a JSON report was evaluated from. */
export function inventoryOfReport(report: Report, source: string): Inventory {
  const excluded = report.policy.scope?.excludedResources ?? 0;
  if (excluded > 0) {
    throw new UsageError(`report ${source} was evaluated under a policy scope that left out ${excluded} resource(s), which the report does not hold; merge the inventory instead (scan --save-inventory, or collect)`);
  }
  const keys: KeyRecord[] = report.keys.map(({ dependents: _d, dependentsByService: _s, monthlyCostUsd: _c, ...key }) => key);
  const inventory: Inventory = {
    kind: 'atrest-inventory',
    schemaVersion: INVENTORY_SCHEMA_VERSION,
    tool: report.tool,
    scan: report.scan,
    keys,
    resources: report.resources,
  };
  const validate = validator('inventory.schema.json');
  if (!validate(inventory)) {
    throw new UsageError(`report ${source} does not hold a valid inventory:\n  ${formatSchemaErrors(validate.errors).join('\n  ')}`);
  }
  return normaliseAccounts(inventory);
}
