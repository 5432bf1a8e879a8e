import type { IacFlags } from './flags.js';
import { UsageError } from '../errors.js';
import { addFixes } from '../iac/fixes.js';
import { loadIacKnowledge } from '../iac/kinds.js';
import { buildInventory } from '../iac/pipeline.js';
import { readCode } from '../iac/read-code.js';
import { readInventories } from '../inventory-file.js';
import { IAC_FORMATS, type IacFormat, type Inventory } from '../model/inventory.js';

export type { IacFlags };
import { resolvePolicy } from '../policy/policy-file.js';
import { createLogger, warnMergeConflicts } from './output.js';
import { checkReportOutputs, policyInputs, writeReport } from './report.js';
import { inventoryInputs } from './evaluate.js';


/** `--cfn-conditions IsProd=true,UseKms=false`. */
export function parseConditions(value: string): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const part of value.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^([A-Za-z0-9]+)=(true|false)$/i.exec(part);
    if (!m) throw new UsageError(`--cfn-conditions: "${part}" is not NAME=true or NAME=false (expected e.g. IsProd=true,UseKms=false)`);
    out.set(m[1]!, m[2]!.toLowerCase() === 'true');
  }
  if (out.size === 0) throw new UsageError('--cfn-conditions: name at least one condition, e.g. IsProd=true');
  return out;
}

export function isIacFormat(value: string): value is IacFormat {
  return (IAC_FORMATS as readonly string[]).includes(value);
}

/**
 * `atrest iac PATH…`: Terraform plans, Terraform files and CloudFormation
 * templates judged with the same rules, policy and waivers as the live
 * account, before anything is deployed (docs/iac.md). Never calls AWS.
 */
export async function runIac(paths: string[], flags: IacFlags): Promise<number> {
  const policy = resolvePolicy(flags.policy);
  checkReportOutputs(flags, [...inventoryInputs(flags.inventory ?? []), ...policyInputs(policy), ...paths.map((path) => ({ what: `the code ${path}`, path, role: 'input' as const }))]);
  const log = createLogger(flags.debug);
  let live: Inventory | null = null;
  if (flags.inventory && flags.inventory.length > 0) {
    const { inventory, conflicts } = readInventories(flags.inventory);
    warnMergeConflicts(conflicts, flags.debug);
    live = inventory;
  }
  const code = await readCode(paths, {
    cwd: process.cwd(),
    ...(flags.iacFormat ? { format: flags.iacFormat } : {}),
    cfnConditions: flags.cfnConditions ?? new Map(),
    ...(flags.tfDir ? { tfDir: flags.tfDir } : {}),
    log,
  });
  for (const warning of code.warnings) process.stderr.write(`atrest: ${warning}\n`);
  for (const input of code.inputs) log(`iac: read ${input.path} as ${input.format}`);
  const knowledge = await loadIacKnowledge();
  const inventory = buildInventory(code, { live, ...(flags.region ? { region: flags.region } : {}), now: new Date() }, knowledge);
  const unplaced = inventory.resources.filter((r) => r.region === 'unknown').length;
  if (unplaced > 0) {
    process.stderr.write(`atrest: ${unplaced} resource(s) have no Region in the code; pass --region (or --inventory of one Region) so keys named by alias and EBS defaults can be resolved\n`);
  }
  return writeReport(inventory, policy, flags, undefined, (report) => addFixes(report, policy, knowledge));
}
