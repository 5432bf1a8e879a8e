import type { ReportFlags } from '../cli.js';
import { readInventories } from '../inventory-file.js';
import { evaluate } from '../rules/engine.js';
import { resolvePolicy } from '../policy-file.js';
import { renderReport, warnMergeConflicts, writeOutput } from './output.js';

/** `atrest evaluate FILE…`: the offline half. Never touches AWS. */
export async function runEvaluate(paths: string[], flags: ReportFlags): Promise<number> {
  const policy = resolvePolicy(flags.policy);
  const { inventory, conflicts } = readInventories(paths);
  warnMergeConflicts(conflicts, flags.debug);
  const report = evaluate(inventory, policy, { failOn: flags.failOn, ...(flags.compliance ? { compliance: flags.compliance } : {}) });
  writeOutput(renderReport(report, flags.format, flags.output, { showSuppressed: Boolean(flags.showSuppressed) }), flags.output);
  return report.outcome.exitCode;
}
