import type { OutputFormat } from './flags.js';
import { EXIT } from '../exit-codes.js';
import { renderRulesTable } from '../report/rules-table.js';
import { buildRulesIndex } from '../engine/rule-index.js';
import { writeView } from './output.js';

/** `atrest rules`: every rule, its fix and its compliance controls, as a table or JSON. No AWS. */
export async function runRules(flags: { format: OutputFormat; output?: string }): Promise<number> {
  const index = buildRulesIndex();
  writeView(flags.format, flags.output, index, (target) => renderRulesTable(index, target));
  return EXIT.OK;
}
