import { writeFileSync } from 'node:fs';
import type { ChalkInstance } from 'chalk';
import { UsageError } from '../errors.js';
import type { Report } from '../model/report.js';
import { renderJson } from '../report/json.js';
import { renderJunit } from '../report/junit.js';
import { renderSarif } from '../report/sarif.js';
import { buildRulesIndex } from '../rules/rule-index.js';
import { makeStyle, wantsColour } from '../report/style.js';
import { renderTable } from '../report/table.js';
import type { ReportFormat } from '../cli.js';

/** Writes `text` to `file`, or to stdout when there is none. */
export function writeOutput(text: string, file: string | undefined): void {
  if (!file) {
    process.stdout.write(text);
    return;
  }
  try {
    writeFileSync(file, text);
  } catch (error) {
    throw new UsageError(`cannot write ${file}: ${(error as Error).message}`);
  }
}

/** Colour and width for a table written to `file`, or to stdout (the terminal's width, colour only at a terminal). */
export function tableTarget(file: string | undefined): { style: ChalkInstance; width: number } {
  return { style: makeStyle(wantsColour(process.stdout, Boolean(file))), width: file ? 160 : (process.stdout.columns ?? 160) };
}

export function renderReport(report: Report, format: ReportFormat, file: string | undefined, options: { showSuppressed?: boolean } = {}): string {
  if (format === 'json') return renderJson(report);
  // The SARIF rule descriptors come from the rules index (`atrest rules`), the same data the engine uses.
  if (format === 'sarif') return renderSarif(report, buildRulesIndex());
  if (format === 'junit') return renderJunit(report);
  return renderTable(report, { ...tableTarget(file), ...(options.showSuppressed ? { showSuppressed: true } : {}) });
}

/** The --debug log: stderr, one line per event. Callers never pass secrets. */
export function createLogger(debug: boolean | undefined): (message: string) => void {
  if (!debug) return () => {};
  return (message) => process.stderr.write(`[atrest] ${message}\n`);
}
