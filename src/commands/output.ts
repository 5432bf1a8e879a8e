import { writeFileSync } from 'node:fs';
import type { ChalkInstance } from 'chalk';
import { UsageError } from '../errors.js';
import type { Report } from '../model/report.js';
import { renderJson } from '../report/json.js';
import { makeStyle, wantsColour } from '../report/style.js';
import { renderTable } from '../report/table.js';
import type { OutputFormat } from '../cli.js';

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

export function renderReport(report: Report, format: OutputFormat, file: string | undefined, options: { showSuppressed?: boolean } = {}): string {
  if (format === 'json') return renderJson(report);
  return renderTable(report, { ...tableTarget(file), ...(options.showSuppressed ? { showSuppressed: true } : {}) });
}

/** The --debug log: stderr, one line per event. Callers never pass secrets. */
export function createLogger(debug: boolean | undefined): (message: string) => void {
  if (!debug) return () => {};
  return (message) => process.stderr.write(`[atrest] ${message}\n`);
}
