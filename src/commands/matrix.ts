import type { OutputFormat } from '../cli.js';
import { EXIT } from '../exit-codes.js';
import { SERVICES } from '../model/services.js';
import { MATRIX } from '../rules/matrix.js';
import { renderMatrixTable } from '../report/matrix-table.js';
import { tableTarget, writeOutput } from './output.js';

/** `atrest matrix`: the data the rules read, as a table or JSON. */
export async function runMatrix(flags: { format: OutputFormat; output?: string }): Promise<number> {
  const entries = SERVICES.map((s) => MATRIX[s]);
  const { style, width } = tableTarget(flags.output);
  const text = flags.format === 'json' ? `${JSON.stringify({ services: entries }, null, 2)}\n` : renderMatrixTable(entries, style, width);
  writeOutput(text, flags.output);
  return EXIT.OK;
}
