import { PROTECTION_LEVELS } from '../model/levels.js';
import type { Finding, Report } from '../model/report.js';
import { SEVERITIES } from '../model/severity.js';

/**
 * A Markdown summary that fits a pull-request comment or
 * $GITHUB_STEP_SUMMARY (GitHub caps both near 65,536 characters, so lists
 * are capped and say how many more there are): the outcome, the score and
 * grade of the account and each service, resources by level and failing
 * findings by severity, the top findings needing attention with their fix
 * (in the triage order of src/engine/triage.ts), the KMS cost as the engine
 * stated it, and what was not read.
 */
const TOP = 15;
const MAX_UNREAD = 10;

/** Text safe inside a Markdown table cell or list item: pipes escaped, newlines flattened, HTML not interpreted. */
export function md(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[<>]/g, (ch) => (ch === '<' ? '&lt;' : '&gt;')).replace(/\r?\n/g, ' ');
}

function code(text: string): string {
  const ticks = text.includes('`') ? '``' : '`';
  return `${ticks}${text.replace(/\r?\n/g, ' ')}${ticks}`;
}

export function* markdownChunks(report: Report): Generator<string> {
  const scan = report.scan;
  const o = report.outcome;
  const icon = o.exitCode === 0 ? '✅' : o.exitCode === 1 ? '❌' : '⚠️';
  const out: string[] = [];
  out.push(`## ${icon} atrest: encryption at rest, account ${md(scan.accountId)}`);
  out.push('');
  out.push(`**exit ${o.exitCode}**: ${md(o.reason)} (\`--fail-on ${o.failOn}\`) · policy **${md(report.policy.name)}** · regions ${md(scan.regions.join(', ') || '-')} · scanned ${md(scan.startedAt)} → ${md(scan.finishedAt)}`);
  if (report.baseline) {
    const b = report.baseline.counts;
    out.push('');
    out.push(`Baseline of ${md(report.baseline.finishedAt)}: **${b.new} new**, ${b.existing} existing, ${b.resolved} resolved${report.baseline.failOnNew ? ' (only new findings fail the run)' : ''}.`);
  }
  if (report.scores) {
    const s = report.scores;
    out.push('', '| scope | score | grade | resources | cap |', '|---|---:|:---:|---:|---|');
    out.push(`| **account** | **${s.account.score}** | **${s.account.grade}** | ${s.account.resources} | ${md(s.account.cap ?? '')} |`);
    for (const [service, g] of Object.entries(s.byService)) out.push(`| ${md(service)} | ${g.score} | ${g.grade} | ${g.resources} | ${md(g.cap ?? '')} |`);
  }
  const severities = SEVERITIES;
  out.push('', `| service | resources | ${PROTECTION_LEVELS.join(' | ')} | ${severities.map((s) => `${s} fail`).join(' | ')} |`);
  out.push(`|---|${'---:|'.repeat(1 + PROTECTION_LEVELS.length + severities.length)}`);
  for (const [service, s] of Object.entries(report.summary.byService)) {
    out.push(`| ${md(service)} | ${s.resources} | ${PROTECTION_LEVELS.map((l) => s.byLevel[l]).join(' | ')} | ${severities.map((sev) => s.bySeverity[sev]).join(' | ')} |`);
  }
  const t = report.summary;
  out.push(`| **total** | **${report.resources.length}** | ${PROTECTION_LEVELS.map((l) => `**${t.byLevel[l]}**`).join(' | ')} | ${severities.map((s) => `**${t.bySeverity[s]}**`).join(' | ')} |`);
  out.push('', `Findings: ${t.byStatus.fail} failing, ${t.byStatus.unknown} unknown, ${t.byStatus.suppressed} suppressed, ${t.byStatus.pass} passing, ${t.byStatus['not-applicable']} not applicable.`);
  // The cost as the engine stated it: key charges, and the request charge in its own words (measured with --usage, or why not).
  const cost = report.cost;
  out.push('', `KMS cost (monthly, list prices): key charges **$${cost.monthlyKeyChargesUsd.toFixed(2)}${cost.complete ? '' : ' or more'}** ${md(cost.currency)}; ${md(cost.requestCharges)}`);

  const items = report.triage?.items ?? [];
  if (items.length > 0) {
    out.push('', `### Needs attention (top ${Math.min(TOP, items.length)} of ${items.length})`, '');
    for (const item of items.slice(0, TOP)) {
      const findings = item.findings.map((i) => report.findings[i]!);
      const first = findings[0]!;
      const due = item.dueReason ? ` — **${md(item.dueReason)}**` : '';
      if (item.cause) {
        out.push(`- **${item.severity}** ${md(item.cause.summary)}${due}`);
        for (const f of findings) out.push(`  - ${line(f)}`);
      } else {
        out.push(`- **${first.severity}** ${line(first)}${due}`);
      }
      const fix = findings.find((f) => f.remediation)?.remediation;
      if (fix) out.push(`  - fix: ${md(fix.summary)}${fix.cli ? `: ${code(fix.cli)}` : ''} ([docs](${fix.docs}))`);
    }
  } else {
    out.push('', 'No failing findings.');
  }

  const unread = report.findings.filter((f) => f.ruleId === 'SCAN.INCOMPLETE' && (f.status === 'unknown' || f.status === 'suppressed'));
  const unknown = t.byStatus.unknown;
  out.push('', '### What was not read', '');
  if (unread.length === 0 && unknown === 0) out.push('Everything the scan was asked to read was read.');
  else {
    out.push(`${unknown} result(s) could not be decided and are never counted as a pass; ${unread.length} AWS call(s) failed:`);
    for (const f of unread.slice(0, MAX_UNREAD)) out.push(`- ${code(f.resourceArn)}: ${md(f.message)}`);
    if (unread.length > MAX_UNREAD) out.push(`- … and ${unread.length - MAX_UNREAD} more (the JSON report lists them all)`);
  }
  if (report.baseline && report.baseline.resolved.length > 0) {
    const r = report.baseline.resolved;
    out.push('', `### Resolved since the baseline (${r.length})`, '');
    for (const x of r.slice(0, TOP)) out.push(`- ${x.severity} ${code(x.ruleId)} ${code(x.resourceArn)} (was ${x.was}, now ${x.now})`);
    if (r.length > TOP) out.push(`- … and ${r.length - TOP} more`);
  }
  out.push('', `<sub>${md(report.tool.name)} ${md(report.tool.version)} · every finding, with its evidence, is in the JSON report (\`--report json=FILE\`)</sub>`, '');
  yield `${out.join('\n')}\n`;
}

function line(f: Finding): string {
  const tag = f.baseline === 'new' ? ' **new**' : '';
  const status = f.status === 'unknown' ? ' (unknown: could not be read)' : '';
  return `${code(f.ruleId)}${tag} ${code(f.resourceArn)}${status}: ${md(f.message)}`;
}
