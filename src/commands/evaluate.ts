import type { ReportFlags } from './flags.js';
import { readInventories } from '../inventory-file.js';
import { resolvePolicy } from '../policy/policy-file.js';
import { warnMergeConflicts } from './output.js';
import { writeReport } from './report.js';

/** `atrest evaluate FILE…`: the offline half. Never touches AWS. */
export async function runEvaluate(paths: string[], flags: ReportFlags): Promise<number> {
  const policy = resolvePolicy(flags.policy);
  const { inventory, conflicts } = readInventories(paths);
  warnMergeConflicts(conflicts, flags.debug);
  return writeReport(inventory, policy, flags);
}
