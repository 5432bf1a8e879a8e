import { PROTECTION_LEVELS } from '../model/levels.js';
import type { ComplianceSummary, ControlStatus, Finding, GroupScore, Report, Scores } from '../model/report.js';
import { SEVERITIES, STATUS_ORDER } from '../model/severity.js';
import { renderCostSection } from './cost-section.js';
import { paintLevel, paintSeverity, paintStatus, plainTable, verdictLine, type TableTarget } from './style.js';
import { renderFinding, renderFindingList } from './finding-list.js';
import { fitLines, maxLineWidth, wrapText } from './wrap.js';
import { accountHeading, paintedAccountTable, reachLines, regionHeading } from './reach-section.js';

/**
 * The terminal view: who and what was scanned, a summary per service, what
 * needs attention (failures, and unknowns of high and critical severity)
 * most serious and most urgent first with findings of one cause grouped
 * under it, what else could not be decided, and what the exit code will be
 * and why. Everything fits `width`; the order and the grouping come from the
 * report's triage (src/engine/triage.ts): nothing is computed here.
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

/** Narrow terminals: the same columns, shorter headings (the README's legend names them). */
const SHORT_LEVEL_HEADINGS: Record<string, string> = {
  none: 'none',
  'aws-owned': 'owned',
  'aws-managed': 'managed',
  'customer-managed': 'cmk',
  'customer-managed-imported': 'import',
  'customer-managed-hsm': 'hsm',
  unknown: 'unkn',
};

export function renderTable(report: Report, options: TableOptions): string {
  return [...tableChunks(report, options)].join('');
}

/** The table in pieces: one per section, and one per block of findings. */
export function* tableChunks(report: Report, options: TableOptions): Generator<string> {
  const c = options.style;
  const width = Math.max(40, options.width);
  const lines = (list: string[]): string => `${fitLines(list, width).join('\n')}\n`;
  const scan = report.scan;
  const policySource = report.policy.sources && report.policy.sources[0] !== report.policy.name ? ` (${report.policy.sources.join(' → ')})` : '';
  const head = [
    c.bold(`${report.tool.name} ${report.tool.version}`) + ` · ${accountHeading(report)}`,
    `${regionHeading(report)} · services ${scan.services.join(', ') || '-'}${scan.coverage ? ' (not everywhere, see below)' : ''} · policy ${report.policy.name}${policySource} · scanned ${scan.startedAt} → ${scan.finishedAt}`,
  ];
  // A merged inventory whose inputs scanned different services: what was scanned where, as recorded.
  for (const cell of scan.coverage ?? []) head.push(`  scanned in ${cell.accountId} ${cell.region}: ${cell.services.join(', ') || 'nothing'}`);
  if (report.compliance) head.push(`limited to the rules mapped to ${report.compliance.title}`);
  if (report.baseline) {
    const b = report.baseline;
    head.push(`baseline of ${b.finishedAt}: ${b.counts.new} new, ${b.counts.existing} existing, ${b.counts.resolved} resolved${b.failOnNew ? ' · --fail-on-new: only new findings fail the run' : ''}`);
  }
  head.push(...reachLines(report, options));
  head.push('');
  yield lines(head);
  const byAccount = paintedAccountTable(report, options);
  if (byAccount.length > 0) yield `${byAccount.join('\n')}\n\n`;

  if (report.scores) yield `${scoreLines(report.scores, options).join('\n')}\n\n`;

  yield `${c.bold('Resources by protection level, failing findings by severity')}\n${summaryTables(report, options)}\n\n`;

  const triage = report.triage;
  const failing = report.findings.filter((f) => f.status === 'fail');
  const byIndex = (i: number): Finding => report.findings[i]!;
  if (triage && triage.items.length > 0) {
    const shownUnknown = triage.items.reduce((n, item) => n + item.findings.filter((i) => byIndex(i).status === 'unknown').length, 0);
    const shownFailing = triage.items.reduce((n, item) => n + item.findings.length, 0) - shownUnknown;
    const unknownPart = shownUnknown > 0 ? ` and unknown at high or critical (${shownUnknown})` : '';
    yield lines([c.bold(`Failing findings (${shownFailing})${unknownPart}, most serious and most urgent first; one cause, one entry`)]);
    for (const item of triage.items) {
      const members = item.findings.map(byIndex);
      const due = new Map<Finding, string>(item.dueReason ? [[members[0]!, item.dueReason]] : []);
      const kinds: Array<'why' | 'fix' | 'due'> = ['why', 'due', 'fix'];
      if (item.cause) {
        yield lines([`${paintSeverity(c, item.severity, item.severity.padEnd(9))} ${c.bold('one cause:')} ${item.cause.summary}${item.dueReason ? ` (${item.dueReason})` : ''}`]);
        yield `${members.map((f) => renderFinding(f, { style: c, width, lines: f.status === 'unknown' ? ['why'] : kinds, indent: 4 })).join('\n')}\n`;
      } else {
        const f = members[0]!;
        yield `${renderFinding(f, { style: c, width, lines: f.status === 'unknown' ? ['why'] : kinds, due })}\n`;
      }
    }
    yield '\n';
  } else if (!triage && failing.length > 0) {
    yield `${c.bold(`Failing findings (${failing.length}), most serious first`)}\n${renderFindingList(failing, { style: c, width, lines: ['why', 'fix'] })}\n\n`;
  } else if (failing.length === 0) {
    yield `${c.green('No failing findings.')}\n\n`;
  }

  const undecided = triage ? triage.undecided.map(byIndex) : report.findings.filter((f) => f.status === 'unknown');
  if (undecided.length > 0) {
    yield lines([c.bold(`Could not decide (${undecided.length}${triage ? ', medium and below' : ''}): never counted as a pass`)]);
    yield `${renderFindingList(undecided, { style: c, width, lines: ['why'] })}\n\n`;
  }

  if (report.baseline && report.baseline.resolved.length > 0) {
    const out = [c.bold(`Resolved since the baseline (${report.baseline.resolved.length})`)];
    for (const r of report.baseline.resolved) out.push(`  ${paintSeverity(c, r.severity, r.severity.padEnd(9))} ${r.ruleId}  ${r.resourceArn}  (was ${r.was}, now ${r.now})`);
    yield lines([...out, '']);
  }

  if (report.cost && (report.keys.length > 0 || report.cost.bucketsWithoutBucketKey.length > 0 || (report.cost.requests && report.cost.requests.status !== 'not-collected'))) {
    yield lines([...renderCostSection(report.cost, c), '']);
  }

  const suppressed = report.findings.filter((f) => f.status === 'suppressed');
  if (suppressed.length > 0 && options.showSuppressed) {
    yield `${c.bold(`Suppressed by waivers (${suppressed.length})`)}\n${renderFindingList(suppressed, { style: c, width, lines: ['why', 'waiver'] })}\n\n`;
  } else if (suppressed.length > 0) {
    yield lines([c.gray(`${suppressed.length} finding(s) suppressed by waivers (--show-suppressed lists them).`), '']);
  }

  const attention = (report.waivers ?? []).filter((w) => w.status !== 'active');
  if (attention.length > 0) {
    const out = [c.bold(`Waivers needing attention (${attention.length})`)];
    for (const w of attention) {
      const what = w.status === 'expired'
        ? c.red(`expired ${w.expires}`) + (w.matched > 0 ? `: ${w.matched} finding(s) count again` : ': matches nothing')
        : c.yellow('stale') + ': matches no failing or unknown finding (remove it)';
      out.push(`  ${what} · ${w.rule} ${w.resource} · owner ${w.owner} · ${w.reason}${w.source ? ` · ${w.source}` : ''}`);
    }
    yield lines([...out, '']);
  }

  if (report.policy.disabledRules && report.policy.disabledRules.length > 0) {
    yield lines([c.gray(`Rules turned off by the policy: ${report.policy.disabledRules.map((d) => `${d.ruleId} (${d.reason})`).join('; ')}`), '']);
  }

  if (report.compliance) yield `${complianceLines(report.compliance, { ...options, width }).join('\n')}\n\n`;

  const total = report.summary;
  yield lines([`${verdictLine(c, report.outcome)} Passed ${total.byStatus.pass}, failed ${total.byStatus.fail}, unknown ${total.byStatus.unknown}, not applicable ${total.byStatus['not-applicable']}, suppressed ${total.byStatus.suppressed}.`]);
}

/** The first rendering that fits `width`, else the last (the narrowest there is). */
function firstThatFits(width: number, ...renderings: Array<() => string>): string {
  let text = '';
  for (const render of renderings) {
    text = render();
    if (maxLineWidth(text) <= width) return text;
  }
  return text;
}

/** Levels and severities per service: one table when it fits, two (levels, then severities) when not, short headings last. */
function summaryTables(report: Report, options: TableOptions): string {
  const c = options.style;
  const severities = SEVERITIES.filter((s) => s !== 'info');
  const rows = Object.entries(report.summary.byService);
  const total = report.summary;
  const levelCells = (s: { byLevel: Record<string, number> }) => PROTECTION_LEVELS.map((l) => (s.byLevel[l] ? paintLevel(c, l, String(s.byLevel[l])) : c.gray('0')));
  const severityCells = (s: { bySeverity: Record<string, number> }) => severities.map((sev) => (s.bySeverity[sev] ? paintSeverity(c, sev, String(s.bySeverity[sev])) : c.gray('0')));
  const totalLevels = PROTECTION_LEVELS.map((l) => c.bold(String(total.byLevel[l])));
  const totalSeverities = severities.map((s) => c.bold(String(total.bySeverity[s])));
  const one = (headings: Record<string, string>) => () => {
    const t = plainTable({ head: ['service', 'resources', ...PROTECTION_LEVELS.map((l) => headings[l]!), ...severities] });
    for (const [service, s] of rows) t.push([service, String(s.resources), ...levelCells(s), ...severityCells(s)]);
    t.push([c.bold('total'), c.bold(String(report.resources.length)), ...totalLevels, ...totalSeverities]);
    return t.toString();
  };
  const two = (headings: Record<string, string>) => () => {
    const levels = plainTable({ head: ['service', 'resources', ...PROTECTION_LEVELS.map((l) => headings[l]!)] });
    const sev = plainTable({ head: ['service', ...severities] });
    for (const [service, s] of rows) {
      levels.push([service, String(s.resources), ...levelCells(s)]);
      sev.push([service, ...severityCells(s)]);
    }
    levels.push([c.bold('total'), c.bold(String(report.resources.length)), ...totalLevels]);
    sev.push([c.bold('total'), ...totalSeverities]);
    return `${levels.toString()}\n${sev.toString()}`;
  };
  return firstThatFits(options.width, one(LEVEL_HEADINGS), two(LEVEL_HEADINGS), two(SHORT_LEVEL_HEADINGS));
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
  const lines = fitLines([c.bold(`Account score ${a.score}/100 (${a.grade})`) + (a.cap ? c.gray(` · capped ${a.cap}`) : '') + c.gray(' · docs/scoring.md')], options.width);
  const capWidth = Math.max(12, options.width - 40);
  const table = plainTable({ head: ['service', 'score', 'resources', 'cap'] });
  for (const [service, g] of Object.entries(scores.byService)) {
    table.push([service, gradeText(c, g), String(g.resources), g.cap ? wrapText(g.cap, capWidth).split('\n').map((l) => c.gray(l)).join('\n') : '']);
  }
  lines.push(table.toString());
  return lines;
}

/** The one status order (src/model/severity.ts); controls no rule could evaluate come last. */
const CONTROL_ORDER: readonly ControlStatus[] = [...STATUS_ORDER, 'not-evaluated'];

function paintControl(c: TableOptions['style'], status: ControlStatus): string {
  return status === 'not-evaluated' ? c.gray(status) : paintStatus(c, status);
}

/** Cells wrapped (at spaces, never inside a word or a colour code) and painted line by line. */
function cell(text: string, width: number, paint: (s: string) => string = (s) => s): string {
  return wrapText(text, width).split('\n').map(paint).join('\n');
}

/** The per-control page of --compliance: a table when the terminal is wide, one block per control when not. */
function complianceLines(summary: ComplianceSummary, options: TableOptions): string[] {
  const c = options.style;
  const t = summary.totals;
  const lines = fitLines(
    [
      c.bold(`${summary.title}: ${summary.controls.length} control(s)`) +
        ` · fail ${t.fail} · unknown ${t.unknown} · suppressed ${t.suppressed} · pass ${t.pass} · not applicable ${t['not-applicable']} · not evaluated ${t['not-evaluated']}`,
    ],
    options.width,
  );
  const ordered = [...summary.controls].sort((x, y) => CONTROL_ORDER.indexOf(x.status) - CONTROL_ORDER.indexOf(y.status));
  const rows = ordered.map((control) => {
    const r = control.resources;
    const counts = [`pass ${r.pass}`, `fail ${r.fail}`, r.unknown ? `unknown ${r.unknown}` : '', r.suppressed ? `suppressed ${r.suppressed}` : '', r['not-applicable'] ? `n/a ${r['not-applicable']}` : '']
      .filter(Boolean)
      .join(', ');
    const id = control.framework === summary.framework ? control.control : `${control.control} (${control.framework})`;
    const title = control.note ? `${control.title} (${control.note})` : control.title;
    return { id, control, title, counts, rules: control.rules.join(', ') };
  });
  if (options.width >= 120) {
    // control, status, resources, rules fixed; the title takes the rest (cells pre-wrapped: cli-table3 does not re-wrap).
    const fixed = [24, 16, 24, 28];
    const titleW = options.width - fixed.reduce((a, b) => a + b, 0) - 6;
    const table = plainTable({ head: ['control', 'status', 'title', 'resources', 'rules'], colWidths: [fixed[0]!, fixed[1]!, titleW, fixed[2]!, fixed[3]!] });
    for (const r of rows) {
      table.push([cell(r.id, fixed[0]! - 2), paintControl(c, r.control.status), cell(r.title, titleW - 2), cell(r.counts, fixed[2]! - 2), cell(r.rules.replace(/, /g, ' '), fixed[3]! - 2)]);
    }
    lines.push(table.toString());
  } else {
    for (const r of rows) {
      lines.push(...fitLines([`${paintControl(c, r.control.status).padEnd(14)} ${c.bold(r.id)}`, `    ${r.title}`, `    ${r.counts} · rules ${r.rules}`], options.width, 4));
    }
  }
  for (const n of summary.notEvidenced) lines.push(...fitLines([c.gray(`not evidenced: ${n.control} (${n.framework}): ${n.why}`)], options.width));
  return lines;
}
