import type { OutputFormat } from '../cli.js';
import { EXIT } from '../exit-codes.js';
import { renderRulesTable } from '../report/rules-table.js';
import { buildRulesIndex } from '../rules/rule-index.js';
import { tableTarget, writeOutput } from './output.js';

/** `atrest rules`: every rule, its fix and its compliance controls, as a table or JSON. No AWS. */
export async function runRules(flags: { format: OutputFormat; output?: string }): Promise<number> {
  const index = buildRulesIndex();
  const text = flags.format === 'json' ? `${JSON.stringify(index, null, 2)}\n` : renderRulesTable(index, tableTarget(flags.output));
  writeOutput(text, flags.output);
  return EXIT.OK;
}
