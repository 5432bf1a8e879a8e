import { jsonChunks } from '../report/json-stream.js';
import { OutputClosed, writeChunks } from './output-target.js';
import { makeStyle, wantsColour, type TableTarget } from '../report/style.js';
import type { OutputFormat } from './flags.js';
import type { MergeConflict, MergeSource } from '../inventory-file.js';

/**
 * Writes `text` to `file` (atomically), or to stdout when there is none or
 * it is `-`. A failed write is exit 2 with one line (src/commands/output-target.ts);
 * a reader that closed stdout early is its own choice, not an error.
 */
export function writeOutput(text: string | Iterable<string>, file: string | undefined): void {
  try {
    writeChunks(file, typeof text === 'string' ? [text] : text);
  } catch (error) {
    if (!(error instanceof OutputClosed)) throw error;
  }
}

/**
 * Colour and width for a table written to `file`, or to stdout (`-` too):
 * the terminal's width, else COLUMNS when set (piped output: `| less`, CI
 * logs), else 160; colour only at a terminal.
 */
export function tableTarget(file: string | undefined): TableTarget {
  const toFile = file !== undefined && file !== '-';
  const columns = Number(process.env.COLUMNS);
  const fallback = Number.isInteger(columns) && columns >= 20 ? columns : 160;
  return { style: makeStyle(wantsColour(process.stdout, toFile)), width: toFile ? 160 : (process.stdout.isTTY && process.stdout.columns ? process.stdout.columns : fallback) };
}

/** Writes `value` as JSON (an inventory, a view) to `file` or stdout, in pieces (an inventory of a million resources is no one string). */
export function writeJson(value: unknown, file: string | undefined): void {
  writeOutput(jsonChunks(value), file);
}

/**
 * What `keys`, `rules` and `matrix` print: `value` as JSON, or the table
 * `table` renders for the output's colours and width.
 */
export function writeView(format: OutputFormat, file: string | undefined, value: unknown, table: (target: TableTarget) => string): void {
  if (format === 'json') writeJson(value, file);
  else writeOutput(table(tableTarget(file)), file);
}

/** The --debug log: stderr, one line per event. Callers never pass secrets. */
export function createLogger(debug: boolean | undefined): (message: string) => void {
  if (!debug) return () => {};
  return (message) => process.stderr.write(`[atrest] ${message}\n`);
}

/**
 * Says on stderr that merged inventories disagreed (one line with the count
 * and an example ARN); --debug lists every conflict. Silent when there is none.
 */
export function warnMergeConflicts(conflicts: readonly MergeConflict[], debug: boolean | undefined): void {
  const warning = conflictWarning(conflicts);
  if (!warning) return;
  process.stderr.write(`atrest: ${warning}\n`);
  const log = createLogger(debug);
  for (const line of conflictDetails(conflicts)) log(line);
}

/** The one stderr line for `evaluate` and `keys --inventory`; null when there is no conflict. */
export function conflictWarning(conflicts: readonly MergeConflict[]): string | null {
  if (conflicts.length === 0) return null;
  return `${conflicts.length} record(s) appear in several inventories with different content; kept the most recent scan's (e.g. ${conflicts[0]!.arn}; --debug lists them all)`;
}

/** One line per conflict, for --debug. */
export function conflictDetails(conflicts: readonly MergeConflict[]): string[] {
  return conflicts.map((c) => {
    const what = c.record === 'key' ? `key ${c.arn}` : `${c.service} ${c.type} ${c.arn}`;
    const at = (s: MergeSource) => `${s.source} (scan finished ${s.finishedAt})`;
    const tie = c.tie ? '; same finishedAt, so the content digest decided, not the argument order' : '';
    return `merge conflict: ${what} differs in ${c.fields.join(', ')}: kept ${at(c.kept)}, dropped ${c.dropped.map(at).join(', ')}${tie}`;
  });
}
