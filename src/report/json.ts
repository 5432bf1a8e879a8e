import type { Report } from '../model/report.js';

/** The JSON evidence: the report as is, two-space indented, one trailing newline. */
export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
