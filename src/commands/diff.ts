import type { FailOn } from '../model/severity.js';
import { diffReports } from '../engine/diff.js';
import { diffMarkdownChunks, diffTableChunks } from '../report/diff.js';
import { jsonChunks } from '../report/json-stream.js';
import { tableTarget, writeOutput } from './output.js';
import { checkWritable, refuseClashes } from './output-target.js';
import { readReportFile } from './report.js';

/** `atrest diff OLD NEW`: exit 1 when a new finding fails at or above --fail-on, else 0. */
export async function runDiff(oldFile: string, newFile: string, flags: { format: 'table' | 'json' | 'markdown'; output?: string; failOn: FailOn }): Promise<number> {
  if (flags.output !== undefined) {
    checkWritable(flags.output, '--output');
    refuseClashes([
      { what: 'the old report', path: oldFile, role: 'input' },
      { what: 'the new report', path: newFile, role: 'input' },
      { what: '--output', path: flags.output, role: 'output' },
    ]);
  }
  const before = readReportFile(oldFile, 'diff');
  const after = readReportFile(newFile, 'diff');
  const diff = diffReports(before, after, flags.failOn);
  const chunks = flags.format === 'json' ? jsonChunks(diff) : flags.format === 'markdown' ? diffMarkdownChunks(diff) : diffTableChunks(diff, tableTarget(flags.output));
  writeOutput(chunks, flags.output);
  return diff.outcome.exitCode;
}
