import type { OutputFormat } from '../cli.js';
import { EXIT } from '../exit-codes.js';
import { SERVICES } from '../model/services.js';
import { MATRIX } from '../rules/matrix.js';
import { renderMatrixTable } from '../report/matrix-table.js';
import { makeStyle, wantsColour } from '../report/style.js';
import { writeOutput } from './output.js';

/** `atrest matrix`: the data the rules read, as a table or JSON. */
export async function runMatrix(flags: { format: OutputFormat; output?: string }): Promise<number> {
  const entries = SERVICES.map((s) => MATRIX[s]);
  const text =
    flags.format === 'json'
      ? `${JSON.stringify({ services: entries }, null, 2)}\n`
      : renderMatrixTable(entries, makeStyle(wantsColour(process.stdout, Boolean(flags.output))), process.stdout.columns ?? 160);
  writeOutput(text, flags.output);
  return EXIT.OK;
}
