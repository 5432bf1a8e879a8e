import type { ReportFlags } from './flags.js';
import { mergeInventories } from '../inventory-file.js';
import { expandPaths, readMergeInput } from '../merge-input.js';
import { resolvePolicy } from '../policy/policy-file.js';
import { warnMergeConflicts, writeJson } from './output.js';
import { inventoryInputs } from './evaluate.js';
import { checkReportOutputs, policyInputs, writeReport } from './report.js';
import { reportSummaryLine } from './summary-line.js';

export interface MergeFlags extends ReportFlags {
  saveInventory?: string;
  quiet?: boolean;
}

/**
 * `atrest merge A B … --output org.json`: the inventories or JSON reports of
 * shards, accounts or regions combined into one inventory (the merge
 * `evaluate` does, docs/inventory.md) and evaluated under one policy. A merge
 * of every shard of a scan gives the findings one scan of everything gives.
 * Offline: no AWS module is loaded.
 */
export async function runMerge(paths: string[], flags: MergeFlags): Promise<number> {
  const policy = resolvePolicy(flags.policy);
  // Before reading anything: every output can be written, and none overwrites an input (a shard, the policy).
  checkReportOutputs(flags, [...inventoryInputs(paths), ...policyInputs(policy)], flags.saveInventory ? [{ what: '--save-inventory', path: flags.saveInventory, role: 'output' }] : []);
  const files = expandPaths(paths);
  const { inventory, conflicts } = mergeInventories(files.map(readMergeInput), files);
  warnMergeConflicts(conflicts, flags.debug);
  const shards = inventory.scan.shards;
  if (shards && shards.missing.length > 0) {
    process.stderr.write(`atrest: merged ${shards.merged.length} of ${shards.count} shards; shard(s) ${shards.missing.join(', ')} missing, so their (account, region) units are not in the result\n`);
  }
  if (flags.saveInventory) writeJson(inventory, flags.saveInventory);
  return writeReport(inventory, policy, flags, (report, written) => {
    if (!flags.quiet) process.stderr.write(`${reportSummaryLine(report, written)}\n`);
  });
}
