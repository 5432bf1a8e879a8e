import { stringify } from 'csv-stringify/sync';
import type { Finding, Report } from '../model/report.js';

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
    f.compliance.map((c) => `${c.framework}:${c.control}`).join(' '),
    f.requiredLevel ?? '',
    f.override?.name ?? '',
    f.waiver?.owner ?? '',
    f.waiver?.expires ?? '',
    f.waiver?.reason ?? '',
    f.baseline ?? '',
  ];
}

export function* csvChunks(report: Report): Generator<string> {
  const options = { record_delimiter: 'windows' as const, quoted_match: /^[\s\S]*[\r\n",][\s\S]*$/ };
  yield stringify([[...CSV_COLUMNS]], options);
  for (let i = 0; i < report.findings.length; i += 2000) {
    yield stringify(report.findings.slice(i, i + 2000).map(row), options);
  }
}
