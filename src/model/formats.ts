/**
 * The report formats of `scan` and `evaluate` (--format, --report FORMAT=PATH).
 * Plain data, so the CLI can list them without loading a reporter.
 */
export const REPORT_FORMATS = ['table', 'json', 'sarif', 'junit', 'markdown', 'csv', 'ocsf', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function isReportFormat(value: string): value is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(value);
}

/** What each format is for, for --help and docs/ci.md. */
export const REPORT_FORMAT_HELP: Record<ReportFormat, string> = {
  table: 'terminal table',
  json: 'JSON evidence (schema/report.schema.json)',
  sarif: 'SARIF 2.1.0 for GitHub code scanning',
  junit: 'JUnit XML for CI test reports',
  markdown: 'Markdown summary for pull requests and $GITHUB_STEP_SUMMARY',
  csv: 'CSV, one row per finding (RFC 4180)',
  ocsf: 'OCSF 1.3.0 Detection Findings (class 2004), JSON array',
  html: 'one self-contained HTML file',
};
