import type { ReportFormat } from '../model/formats.js';
import type { Report } from '../model/report.js';
import { evidencedJsonChunks } from '../engine/evidence.js';
import { buildRulesIndex } from '../engine/rule-index.js';
import { csvChunks } from './csv.js';
import { htmlChunks } from './html.js';
import { junitChunks } from './junit.js';
import { markdownChunks } from './markdown.js';
import { ocsfChunks } from './ocsf.js';
import { sarifChunks } from './sarif.js';
import { tableChunks } from './table.js';
import type { TableTarget } from './style.js';

/** A piece of a report: text, or its UTF-8 bytes (the JSON report encodes once, for its digest). */
export type ReportChunk = string | Uint8Array;

export interface RenderOptions extends TableTarget {
  showSuppressed?: boolean;
}

/**
 * The report in `format`, in pieces (src/commands/output-target.ts writes
 * them): no format ever builds the whole output as one string.
 */
export function reportChunks(report: Report, format: ReportFormat, options: RenderOptions): Iterable<ReportChunk> {
  switch (format) {
    case 'json':
      return evidencedJsonChunks(report);
    case 'sarif':
      // The SARIF rule descriptors come from the rules index (`atrest rules`), the same data the engine uses.
      return sarifChunks(report, buildRulesIndex());
    case 'junit':
      return junitChunks(report);
    case 'markdown':
      return markdownChunks(report);
    case 'csv':
      return csvChunks(report);
    case 'ocsf':
      return ocsfChunks(report);
    case 'html':
      return htmlChunks(report, buildRulesIndex());
    case 'table':
      return tableChunks(report, options);
  }
}
