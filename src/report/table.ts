import { PROTECTION_LEVELS } from '../model/levels.js';
import type { ComplianceSummary, ControlStatus, Finding, GroupScore, Report, Scores } from '../model/report.js';
import { SEVERITIES, STATUS_ORDER } from '../model/severity.js';
import { renderCostSection } from './cost-section.js';
import { paintLevel, paintSeverity, paintStatus, plainTable, verdictLine, type TableTarget } from './style.js';
import { renderFindingList } from './finding-list.js';

/**
 * The terminal view: who and what was scanned, a summary per service, the
 * failing findings most serious first (resource, rule, why, fix in one line),
 * what could not be read, and what the exit code will be and why.
 */
export interface TableOptions extends TableTarget {
  /** List suppressed findings with their waivers (otherwise only counted). */
  showSuppressed?: boolean;
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
  const policySource = report.policy.sources && report.policy.sources[0] !== report.policy.name ? ` (${report.policy.sources.join(' → ')})` : '';
  out.push(`regions ${scan.regions.join(', ') || '-'} · services ${scan.services.join(', ') || '-'} · policy ${report.policy.name}${policySource} · scanned ${scan.startedAt} → ${scan.finishedAt}`);
  if (report.compliance) out.push(`limited to the rules mapped to ${report.compliance.title}`);
  out.push('');

  if (report.scores) {
    out.push(...scoreLines(report.scores, options));
    out.push('');
  }

  out.push(c.bold('Resources by protection level, failing findings by severity'));
  const summary = plainTable({
    head: ['service', 'resources', ...PROTECTION_LEVELS.map((l) => LEVEL_HEADINGS[l]!), ...SEVERITIES.filter((s) => s !== 'info')],
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
    out.push(renderFindingList(failing, { style: c, width: options.width, lines: ['why', 'fix'] }));
    out.push('');
  } else {
    out.push(c.green('No failing findings.'));
    out.push('');
  }

  const unknown = report.findings.filter((f) => f.status === 'unknown');
  if (unknown.length > 0) {
    out.push(c.bold(`Could not decide (${unknown.length}): never counted as a pass`));
    out.push(renderFindingList(unknown, { style: c, width: options.width, lines: ['why'] }));
    out.push('');
  }

  if (report.cost && (report.keys.length > 0 || report.cost.bucketsWithoutBucketKey.length > 0)) {
    out.push(...renderCostSection(report.cost, c));
    out.push('');
  }

  const suppressed = report.findings.filter((f) => f.status === 'suppressed');
  if (suppressed.length > 0 && options.showSuppressed) {
    out.push(c.bold(`Suppressed by waivers (${suppressed.length})`));
    out.push(renderFindingList(suppressed, { style: c, width: options.width, lines: ['why', 'waiver'] }));
    out.push('');
  } else if (suppressed.length > 0) {
    out.push(c.gray(`${suppressed.length} finding(s) suppressed by waivers (--show-suppressed lists them).`));
    out.push('');
  }

  const attention = (report.waivers ?? []).filter((w) => w.status !== 'active');
  if (attention.length > 0) {
    out.push(c.bold(`Waivers needing attention (${attention.length})`));
    for (const w of attention) {
      const what = w.status === 'expired'
        ? c.red(`expired ${w.expires}`) + (w.matched > 0 ? `: ${w.matched} finding(s) count again` : ': matches nothing')
        : c.yellow('stale') + ': matches no failing or unknown finding (remove it)';
      out.push(`  ${what} · ${w.rule} ${w.resource} · owner ${w.owner} · ${w.reason}${w.source ? ` · ${w.source}` : ''}`);
    }
    out.push('');
  }

  if (report.policy.disabledRules && report.policy.disabledRules.length > 0) {
    out.push(c.gray(`Rules turned off by the policy: ${report.policy.disabledRules.map((d) => `${d.ruleId} (${d.reason})`).join('; ')}`));
    out.push('');
  }

  if (report.compliance) {
    out.push(...complianceLines(report.compliance, options));
    out.push('');
  }

  out.push(`${verdictLine(c, report.outcome)} Passed ${total.byStatus.pass}, failed ${total.byStatus.fail}, unknown ${total.byStatus.unknown}, not applicable ${total.byStatus['not-applicable']}, suppressed ${total.byStatus.suppressed}.`);
  return `${out.join('\n')}\n`;
}

function gradeText(c: TableOptions['style'], g: GroupScore): string {
  const text = `${g.score} ${g.grade}`;
  if (g.grade === 'A') return c.green(text);
  if (g.grade === 'B' || g.grade === 'C') return c.yellow(text);
  return c.red(text);
}

/** Account score, then one row per service (docs/scoring.md). */
function scoreLines(scores: Scores, options: TableOptions): string[] {
  const c = options.style;
  const a = scores.account;
  const lines = [c.bold(`Account score ${a.score}/100 (${a.grade})`) + (a.cap ? c.gray(` · capped ${a.cap}`) : '') + c.gray(' · docs/scoring.md')];
  const table = plainTable({ head: ['service', 'score', 'resources', 'cap'] });
  for (const [service, g] of Object.entries(scores.byService)) {
    table.push([service, gradeText(c, g), String(g.resources), g.cap ? c.gray(g.cap) : '']);
  }
  lines.push(table.toString());
  return lines;
}

/** The one status order (src/model/severity.ts); controls no rule could evaluate come last. */
const CONTROL_ORDER: readonly ControlStatus[] = [...STATUS_ORDER, 'not-evaluated'];

function paintControl(c: TableOptions['style'], status: ControlStatus): string {
  return status === 'not-evaluated' ? c.gray(status) : paintStatus(c, status);
}

/** The per-control page of --compliance. */
function complianceLines(summary: ComplianceSummary, options: TableOptions): string[] {
  const c = options.style;
  const t = summary.totals;
  const lines = [
    c.bold(`${summary.title}: ${summary.controls.length} control(s)`) +
      ` · fail ${t.fail} · unknown ${t.unknown} · suppressed ${t.suppressed} · pass ${t.pass} · not applicable ${t['not-applicable']} · not evaluated ${t['not-evaluated']}`,
  ];
  const width = Math.max(options.width, 100);
  const titleW = Math.max(30, width - (28 + 16 + 26 + 30 + 12));
  const table = plainTable({
    head: ['control', 'status', 'title', 'resources', 'rules'],
    colWidths: [28, 16, titleW, 26, 30],
    wordWrap: true,
    wrapOnWordBoundary: false,
  });
  const ordered = [...summary.controls].sort((x, y) => CONTROL_ORDER.indexOf(x.status) - CONTROL_ORDER.indexOf(y.status));
  for (const control of ordered) {
    const r = control.resources;
    const counts = [`pass ${r.pass}`, `fail ${r.fail}`, r.unknown ? `unknown ${r.unknown}` : '', r.suppressed ? `suppressed ${r.suppressed}` : '', r['not-applicable'] ? `n/a ${r['not-applicable']}` : '']
      .filter(Boolean)
      .join(', ');
    const id = control.framework === summary.framework ? control.control : `${control.control} (${control.framework})`;
    const title = control.note ? `${control.title} (${control.note})` : control.title;
    table.push([id, paintControl(c, control.status), title, counts, control.rules.join(', ')]);
  }
  lines.push(table.toString());
  for (const n of summary.notEvidenced) {
    lines.push(c.gray(`not evidenced: ${n.control} (${n.framework}): ${n.why}`));
  }
  return lines;
}


