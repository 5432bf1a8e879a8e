import type { ReportFlags, ReportFormat } from './flags.js';
import type { Inventory } from '../model/inventory.js';
import type { Report } from '../model/report.js';
import type { Policy } from '../model/policy.js';
import { renderJson } from '../report/json.js';
import { renderJunit } from '../report/junit.js';
import { renderSarif } from '../report/sarif.js';
import { renderTable } from '../report/table.js';
import { evaluate } from '../engine/engine.js';
import { buildRulesIndex } from '../engine/rule-index.js';
import { tableTarget, writeOutput } from './output.js';

/**
 * The second half of `scan` and all of `evaluate`: judges the inventory,
 * writes the report in the chosen format and returns its exit code.
 */
export function writeReport(inventory: Inventory, policy: Policy, flags: ReportFlags): number {
  const report = evaluate(inventory, policy, { failOn: flags.failOn, ...(flags.compliance ? { compliance: flags.compliance } : {}) });
  writeOutput(renderReport(report, flags.format, flags.output, { showSuppressed: Boolean(flags.showSuppressed) }), flags.output);
  return report.outcome.exitCode;
}

/** The report in `format`; a table fits the width and colours of `file`, or of stdout when there is none. */
export function renderReport(report: Report, format: ReportFormat, file: string | undefined, options: { showSuppressed?: boolean } = {}): string {
  if (format === 'json') return renderJson(report);
  // The SARIF rule descriptors come from the rules index (`atrest rules`), the same data the engine uses.
  if (format === 'sarif') return renderSarif(report, buildRulesIndex());
  if (format === 'junit') return renderJunit(report);
  return renderTable(report, { ...tableTarget(file), ...(options.showSuppressed ? { showSuppressed: true } : {}) });
}
