import { stringify } from 'csv-stringify/sync';
import type { ComplianceRef, Finding, Report } from '../model/report.js';

/**
 * CSV (RFC 4180): a header row, then one row per finding in report order,
 * passes included (the JSON's findings[], flattened). Written by
 * csv-stringify, a real CSV writer: fields with commas, quotes or line
 * breaks are quoted, quotes doubled, lines end in CRLF.
 */
export const CSV_COLUMNS = [
  'ruleId',
  'status',
  'severity',
  'service',
  'resourceType',
  'region',
  'resourceArn',
  'title',
  'message',
  'remediation',
  'remediationCli',
  'remediationDocs',
  'compliance',
  'requiredLevel',
  'override',
  'waiverOwner',
  'waiverExpires',
  'waiverReason',
  'baseline',
] as const;

/** The compliance column of a list of references; findings share their lists (src/engine/compliance-report.ts), so each list is written once. */
const complianceTexts = new WeakMap<readonly ComplianceRef[], string>();
function complianceText(refs: readonly ComplianceRef[]): string {
  let text = complianceTexts.get(refs);
  if (text === undefined) {
    text = refs.map((c) => `${c.framework}:${c.control}`).join(' ');
    // Only lists nobody can change are remembered.
    if (Object.isFrozen(refs)) complianceTexts.set(refs, text);
  }
  return text;
}

function row(f: Finding): string[] {
  return [
    f.ruleId,
    f.status,
    f.severity,
    f.service,
    f.resourceType,
    f.region,
    f.resourceArn,
    f.title,
    f.message,
    f.remediation?.summary ?? '',
    f.remediation?.cli ?? '',
    f.remediation?.docs ?? '',
    complianceText(f.compliance),
    f.requiredLevel ?? '',
    f.override?.name ?? '',
    f.waiver?.owner ?? '',
    f.waiver?.expires ?? '',
    f.waiver?.reason ?? '',
    f.baseline ?? '',
  ];
}

/** How csv-stringify is asked to write: CRLF line ends, and every field with a quote, comma or line break quoted. */
export const CSV_OPTIONS = { record_delimiter: 'windows' as const, quoted_match: /[\r\n",]/ };

/** The characters that make csv-stringify quote a field under CSV_OPTIONS; a field without them it writes as it is. */
const NEEDS_QUOTES = /[\r\n",]/;

/**
 * One field as csv-stringify writes it. A field without a quote, comma or
 * line break is written unchanged (csv-stringify writes it unchanged; the
 * test compares every row with csv-stringify's own), so the library is
 * asked only for the fields it has to quote — a few percent of them, and a
 * few hundred distinct values, kept — instead of six million times with its
 * per-field work for a 100,000-resource report.
 */
function fieldWriter(): (value: string) => string {
  const quoted = new Map<string, string>();
  return (value) => {
    if (!NEEDS_QUOTES.test(value)) return value;
    let out = quoted.get(value);
    if (out === undefined) {
      // The record is the one field and its CRLF.
      out = stringify([[value]], CSV_OPTIONS).slice(0, -2);
      if (quoted.size >= 10_000) quoted.clear();
      quoted.set(value, out);
    }
    return out;
  };
}

export function* csvChunks(report: Report): Generator<string> {
  yield stringify([[...CSV_COLUMNS]], CSV_OPTIONS);
  const field = fieldWriter();
  // Findings come sorted by status, severity and rule: most columns repeat the row above, and so does their text.
  const above: string[] = [];
  const aboveText: string[] = [];
  for (let i = 0; i < report.findings.length; i += 2000) {
    const lines: string[] = [];
    for (const f of report.findings.slice(i, i + 2000)) {
      const values = row(f);
      for (let c = 0; c < values.length; c += 1) {
        const value = values[c]!;
        if (value !== above[c]) {
          above[c] = value;
          aboveText[c] = field(value);
        }
        values[c] = aboveText[c]!;
      }
      lines.push(`${values.join(',')}\r\n`);
    }
    yield lines.join('');
  }
}
