import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ReportFlags } from './flags.js';
import { readInventories } from '../inventory-file.js';
import { resolvePolicy } from '../policy/policy-file.js';
import { warnMergeConflicts } from './output.js';
import type { NamedPath } from './output-target.js';
import { checkReportOutputs, policyInputs, writeReport } from './report.js';

/** `atrest evaluate FILE…`: the offline half. Never touches AWS. */
export async function runEvaluate(paths: string[], flags: ReportFlags): Promise<number> {
  const policy = resolvePolicy(flags.policy);
  checkReportOutputs(flags, [...inventoryInputs(paths), ...policyInputs(policy)]);
  const { inventory, conflicts } = readInventories(paths);
  warnMergeConflicts(conflicts, flags.debug);
  return writeReport(inventory, policy, flags);
}

/** The inventory files named (a folder: the .json files in it), for the same-file check. */
export function inventoryInputs(paths: readonly string[]): NamedPath[] {
  const out: NamedPath[] = [];
  for (const path of paths) {
    let folder = false;
    try {
      folder = statSync(path).isDirectory();
    } catch {
      // readInventories says what is wrong with it
    }
    if (!folder) out.push({ what: `the inventory ${path}`, path, role: 'input' });
    else for (const f of readdirSync(path).filter((n) => n.endsWith('.json'))) out.push({ what: `the inventory ${join(path, f)}`, path: join(path, f), role: 'input' });
  }
  return out;
}
