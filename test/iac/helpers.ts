import { runCli, type CliResult } from '../helpers/cli.js';

/** Runs `atrest iac … --format json` as a user would; the report parsed, with the exit code and stderr. */
export function iacJson(args: string[], options: { cwd?: string } = {}): CliResult & { report: any } {
  const result = runCli(['iac', ...args, '--format', 'json'], options);
  let report: any = null;
  try {
    report = JSON.parse(result.stdout);
  } catch {
    // left null: the caller's expectation on the exit code says why
  }
  return { ...result, report };
}

/** The failing (or other status) findings as [ruleId, resource id] pairs, sorted. */
export function findingPairs(report: any, status = 'fail'): string[][] {
  const ids = new Map<string, string>(report.resources.map((r: any) => [r.arn, r.id]));
  return report.findings
    .filter((f: any) => f.status === status)
    .map((f: any) => [f.ruleId, ids.get(f.resourceArn) ?? f.resourceArn])
    .sort((a: string[], b: string[]) => (a.join() < b.join() ? -1 : 1));
}

export function resourceById(report: any, id: string): any {
  const found = report.resources.find((r: any) => r.id === id);
  if (!found) throw new Error(`no resource ${id} in the report (have ${report.resources.map((r: any) => r.id).join(', ')})`);
  return found;
}

export function findingsOf(report: any, id: string): any[] {
  const arn = resourceById(report, id).arn;
  return report.findings.filter((f: any) => f.resourceArn === arn);
}

import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ROOT } from '../helpers/fixtures.js';
import { addFixes } from '../../src/iac/fixes.js';
import { buildInventory } from '../../src/iac/pipeline.js';
import { loadIacKnowledge } from '../../src/iac/kinds.js';
import { readCode } from '../../src/iac/read-code.js';
import type { Inventory } from '../../src/model/inventory.js';
import type { Report } from '../../src/model/report.js';
import { evaluate } from '../../src/engine/engine.js';
import { BASELINE_POLICY } from '../../src/policy/built-in.js';
import type { Policy } from '../../src/model/policy.js';

export interface JudgeOptions {
  policy?: Policy;
  live?: Inventory | null;
  region?: string;
  conditions?: Map<string, boolean>;
  tfDir?: string;
  format?: 'terraform-plan' | 'terraform' | 'cloudformation';
}

/** The iac pipeline in-process (what `atrest iac` runs): code → inventory → the engine → fixes. Paths relative to the repository root. */
export async function judge(paths: string[], options: JudgeOptions = {}): Promise<{ inventory: Inventory; report: Report; warnings: string[] }> {
  const code = await readCode(paths, {
    cwd: ROOT,
    cfnConditions: options.conditions ?? new Map(),
    ...(options.tfDir ? { tfDir: options.tfDir } : {}),
    ...(options.format ? { format: options.format } : {}),
    log: () => {},
  });
  const knowledge = await loadIacKnowledge();
  const inventory = buildInventory(code, { live: options.live ?? null, ...(options.region ? { region: options.region } : {}), now: new Date('2026-12-04T12:00:00.000Z') }, knowledge);
  const policy = options.policy ?? BASELINE_POLICY;
  const report = evaluate(inventory, policy, { failOn: 'high' });
  addFixes(report, policy, knowledge);
  return { inventory, report, warnings: code.warnings };
}

/** Writes files (path → text) into a fresh temporary folder and returns it. */
export function writeTree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'atrest-iac-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}
