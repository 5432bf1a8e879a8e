import type { ChalkInstance } from 'chalk';
import type { KeysReport, KeyView } from '../model/keys-report.js';
import { renderCostSection } from './cost-section.js';
import { renderFindingList } from './finding-list.js';
import { paintSeverity, plainTable, verdictLine, type TableTarget } from './style.js';

/** Rows per key table; see renderKeysTable. */
const PAGE_ROWS = 50;

/**
 * `atrest keys` as a terminal table: one row per key (alias, region, manager,
 * origin, state, rotation, dependants by service, monthly cost, issues), then
 * the cost section and the exit code. Renders the KeysReport as given.
 */
export function renderKeysTable(view: KeysReport, options: TableTarget): string {
  const c = options.style;
  const out: string[] = [];
  const scan = view.scan;
  out.push(c.bold(`${view.tool.name} ${view.tool.version} keys`) + ` · account ${scan.accountId} · regions ${scan.regions.join(', ') || '-'} · services ${scan.services.join(', ') || '-'}${scan.coverage ? ' (not everywhere, see below)' : ''}`);
  for (const cell of scan.coverage ?? []) out.push(`  scanned in ${cell.accountId} ${cell.region}: ${cell.services.join(', ') || 'nothing'}`);
  const n = view.counts;
  out.push(
    `${n.keys} key(s): ${n.customerManaged} customer managed, ${n.awsManaged} AWS managed, ${n.otherAccounts} of other accounts${n.unknown ? `, ${n.unknown} unknown` : ''}; ` +
      `${n.withoutDependents} customer managed key(s) with no dependant in the scanned services`,
  );
  out.push('');

  if (view.keys.length === 0) {
    out.push(c.gray('No KMS keys in this inventory.'));
  } else {
    // key, region, manager, origin, state, rotation, dependants, $/month; issues take the rest.
    const widths = [28, 11, 10, 20, 17, 18, 16, 9];
    const issuesW = Math.max(20, Math.max(options.width, 140) - 10 - widths.reduce((a, b) => a + b, 0));
    // cli-table3's layout time grows faster than linearly with rows (9,000 keys took
    // 16 s in bench/engine.mjs): render pages of PAGE_ROWS rows, each its own table.
    for (let start = 0; start < view.keys.length; start += PAGE_ROWS) {
      const table = plainTable({
        head: ['key', 'region', 'manager', 'origin', 'state', 'rotation', 'dependants', '$/month', 'issues'],
        colWidths: [...widths, issuesW],
        wordWrap: true,
        wrapOnWordBoundary: false,
      });
      for (const k of view.keys.slice(start, start + PAGE_ROWS)) table.push(row(k, c));
      out.push(table.toString());
    }
  }
  if (view.unreadableResources > 0) {
    out.push(c.magenta(`${view.unreadableResources} resource(s) could not be read: the keys they use, and so some dependants, may be missing.`));
  }
  if (view.findings.length > 0) {
    out.push('');
    out.push(c.bold(`Key findings, failing or undecided (${view.findings.length}), most serious first`));
    const failing = view.findings.filter((f) => f.status !== 'unknown');
    const unknown = view.findings.filter((f) => f.status === 'unknown');
    if (failing.length > 0) out.push(renderFindingList(failing, { style: c, width: options.width, lines: ['why'] }));
    if (unknown.length > 0) {
      out.push(c.magenta(`undecided (${unknown.length}): never counted as a pass`));
      out.push(renderFindingList(unknown, { style: c, width: options.width, lines: ['why'] }));
    }
  }
  out.push('');
  out.push(...renderCostSection(view.cost, c));
  out.push('');

  out.push(verdictLine(c, view.outcome, ', key findings only'));
  return `${out.join('\n')}\n`;
}

function row(k: KeyView, c: ChalkInstance): string[] {
  const name = [k.aliases[0] ?? k.keyId, ...(k.aliases.length > 1 ? [`+${k.aliases.length - 1} alias(es)`] : []), ...(k.multiRegionSummary ? [k.multiRegionSummary] : []), ...(k.inScannedAccount ? [] : [`account ${k.accountId}`])].join('\n');
  const deps = Object.entries(k.dependentsByService)
    .map(([service, count]) => `${service} ${count}`)
    .join(', ');
  const cost = k.monthlyCostUsd === null ? c.magenta('unknown') : k.monthlyCostUsd === 0 ? c.gray('0.00') : k.monthlyCostUsd.toFixed(2);
  const issues = k.findings
    .map((f) => {
      const rule = f.ruleId.replace(/^KMS\./, '');
      return f.status === 'unknown' ? c.magenta(`${rule} unknown`) : paintSeverity(c, f.severity, `${rule} ${f.severity}`);
    })
    .join('\n');
  const state = k.state === 'Enabled' ? k.state : k.state === 'unknown' ? c.magenta(k.state) : c.red(k.state);
  return [name, k.region, k.manager, k.origin, state, k.rotationSummary, deps || c.gray('none'), cost, issues || c.green('-')];
}
