import type { OutputFormat } from './flags.js';
import { EXIT } from '../exit-codes.js';
import { MATRIX_ROWS } from '../services/list.js';
import { renderMatrixTable } from '../report/matrix-table.js';
import { writeView } from './output.js';

/** `atrest matrix`: the data the rules read, as a table or JSON. */
export async function runMatrix(flags: { format: OutputFormat; output?: string }): Promise<number> {
  const entries = [...MATRIX_ROWS];
  writeView(flags.format, flags.output, { services: entries }, (target) => renderMatrixTable(entries, target));
  return EXIT.OK;
}
