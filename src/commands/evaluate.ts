import type { ReportFlags } from '../cli.js';
import { readInventories } from '../inventory-file.js';
import { evaluate } from '../rules/engine.js';
import { builtInPolicy } from '../rules/policy.js';
import { renderReport, writeOutput } from './output.js';

/** `atrest evaluate FILE…`: the offline half. Never touches AWS. */
export async function runEvaluate(paths: string[], flags: ReportFlags): Promise<number> {
  const policy = builtInPolicy(flags.policy);
  const inventory = readInventories(paths);
  const report = evaluate(inventory, policy, { failOn: flags.failOn });
  writeOutput(renderReport(report, flags.format, flags.output), flags.output);
  return report.outcome.exitCode;
}
