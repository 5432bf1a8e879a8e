import Table from 'cli-table3';
import type { ChalkInstance } from 'chalk';
import { PROTECTION_LEVELS } from '../model/levels.js';
import type { Finding, Report } from '../model/report.js';
import { SEVERITIES } from '../model/severity.js';
import { renderCostSection } from './cost-section.js';
import { paintLevel, paintSeverity } from './style.js';
import { wrapText } from './wrap.js';

/**
 * The terminal view: who and what was scanned, a summary per service, the
 * failing findings most serious first (resource, rule, why, fix in one line),
 * what could not be read, and what the exit code will be and why.
 */
export interface TableOptions {
  style: ChalkInstance;
  /** Terminal width to fit the findings table into. */
  width: number;
}

const LEVEL_HEADINGS: Record<string, string> = {
  none: 'none',
  'aws-owned': 'aws-owned',
  'aws-managed': 'aws-managed',
  'customer-managed': 'cmk',
  'customer-managed-imported': 'cmk-imported',
  'customer-managed-hsm': 'cmk-hsm',
  unknown: 'unknown',
};

export function renderTable(report: Report, options: TableOptions): string {
  const c = options.style;
  const out: string[] = [];
  const scan = report.scan;
  out.push(c.bold(`${report.tool.name} ${report.tool.version}`) + ` · account ${scan.accountId} · ${scan.principalArn || 'principal unknown'}`);
  out.push(`regions ${scan.regions.join(', ') || '-'} · services ${scan.services.join(', ') || '-'} · policy ${report.policy.name} · scanned ${scan.startedAt} → ${scan.finishedAt}`);
  out.push('');

  out.push(c.bold('Resources by protection level, failing findings by severity'));
  const summary = new Table({
    head: ['service', 'resources', ...PROTECTION_LEVELS.map((l) => LEVEL_HEADINGS[l]!), ...SEVERITIES.filter((s) => s !== 'info')],
    style: { head: [], border: [] },
  });
  for (const [service, s] of Object.entries(report.summary.byService)) {
    summary.push([
      service,
      String(s.resources),
      ...PROTECTION_LEVELS.map((l) => (s.byLevel[l] ? paintLevel(c, l, String(s.byLevel[l])) : c.gray('0'))),
      ...SEVERITIES.filter((sev) => sev !== 'info').map((sev) => (s.bySeverity[sev] ? paintSeverity(c, sev, String(s.bySeverity[sev])) : c.gray('0'))),
    ]);
  }
  const total = report.summary;
  summary.push([
    c.bold('total'),
    c.bold(String(report.resources.length)),
    ...PROTECTION_LEVELS.map((l) => c.bold(String(total.byLevel[l]))),
    ...SEVERITIES.filter((s) => s !== 'info').map((s) => c.bold(String(total.bySeverity[s]))),
  ]);
  out.push(summary.toString());
  out.push('');

  const failing = report.findings.filter((f) => f.status === 'fail');
  if (failing.length > 0) {
    out.push(c.bold(`Failing findings (${failing.length}), most serious first`));
    out.push(findingsTable(failing, options, true));
    out.push('');
  } else {
    out.push(c.green('No failing findings.'));
    out.push('');
  }

  const unknown = report.findings.filter((f) => f.status === 'unknown');
  if (unknown.length > 0) {
    out.push(c.bold(`Could not decide (${unknown.length}): never counted as a pass`));
    out.push(findingsTable(unknown, options, false));
    out.push('');
  }

  if (report.cost && (report.keys.length > 0 || report.cost.bucketsWithoutBucketKey.length > 0)) {
    out.push(...renderCostSection(report.cost, c));
    out.push('');
  }

  const o = report.outcome;
  const verdict = o.exitCode === 0 ? c.green(`exit ${o.exitCode}`) : o.exitCode === 1 ? c.red(`exit ${o.exitCode}`) : c.magenta(`exit ${o.exitCode}`);
  out.push(`${verdict}: ${o.reason} (--fail-on ${o.failOn}). Passed ${total.byStatus.pass}, failed ${total.byStatus.fail}, unknown ${total.byStatus.unknown}, not applicable ${total.byStatus['not-applicable']}, suppressed ${total.byStatus.suppressed}.`);
  return `${out.join('\n')}\n`;
}

function findingsTable(findings: Finding[], options: TableOptions, withFix: boolean): string {
  const c = options.style;
  const width = Math.max(options.width, 100);
  // severity | resource | rule | why | fix — share what is left after the fixed columns.
  const ruleW = Math.min(32, Math.max(8, ...findings.map((f) => f.ruleId.length)) + 2);
  const fixed = 10 + ruleW + 6 * (withFix ? 5 : 4);
  const flexible = width - fixed;
  const resourceW = Math.max(24, Math.floor(flexible * (withFix ? 0.3 : 0.4)));
  const whyW = Math.max(24, Math.floor(flexible * (withFix ? 0.35 : 0.6)));
  const fixW = Math.max(20, flexible - resourceW - whyW);
  const table = new Table({
    head: withFix ? ['severity', 'resource', 'rule', 'why', 'fix'] : ['severity', 'resource', 'rule', 'why'],
    colWidths: withFix ? [10, resourceW, ruleW, whyW, fixW] : [10, resourceW, ruleW, whyW],
    style: { head: [], border: [] },
  });
  // Cells are wrapped here (2 columns of padding per cell) so long ARNs break instead of being cut off.
  for (const f of findings) {
    const row = [paintSeverity(c, f.severity), wrapText(f.resourceArn, resourceW - 2), wrapText(f.ruleId, ruleW - 2), wrapText(f.message, whyW - 2)];
    if (withFix) row.push(wrapText(f.remediation?.summary ?? '', fixW - 2));
    table.push(row);
  }
  return table.toString();
}
