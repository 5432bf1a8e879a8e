import type { ChalkInstance } from 'chalk';
import type { KeysReport, KeyView } from '../model/keys-report.js';
import { renderCostSection } from './cost-section.js';
import { renderFindingList } from './finding-list.js';
import { paintSeverity, plainTable, verdictLine, type TableTarget } from './style.js';
import { fitLines, wrapText } from './wrap.js';

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
  out.splice(0, out.length, ...fitLines(out, options.width));
  out.push('');

  if (view.keys.length === 0) {
    out.push(c.gray('No KMS keys in this inventory.'));
  } else if (options.width >= 140) {
    // key, region, manager, origin, state, rotation, dependants, $/month; issues take the rest.
    const widths = [28, 11, 10, 20, 17, 18, 16, 9];
    const issuesW = options.width - 10 - widths.reduce((a, b) => a + b, 0);
    // Cells are wrapped here, at spaces and before colouring (cli-table3's own
    // wrapping cut words and colour codes apart: a stray "39m" on screen).
    // Its layout time grows faster than linearly with rows (9,000 keys took
    // 16 s in bench/engine.mjs): pages of PAGE_ROWS rows, each its own table.
    for (let start = 0; start < view.keys.length; start += PAGE_ROWS) {
      const table = plainTable({
        head: ['key', 'region', 'manager', 'origin', 'state', 'rotation', 'dependants', '$/month', 'issues'],
        colWidths: [...widths, issuesW],
        wordWrap: false,
      });
      for (const k of view.keys.slice(start, start + PAGE_ROWS)) table.push(row(k, c).map((cell, i) => fitCell(cell, ([...widths, issuesW][i] ?? 10) - 2)));
      out.push(table.toString());
    }
  } else {
    // Narrow terminals: one block per key, nothing wider than the terminal.
    for (const k of view.keys) out.push(...keyBlock(k, c, options.width));
  }
  if (view.unreadableResources > 0) {
    out.push(...fitLines([c.magenta(`${view.unreadableResources} resource(s) could not be read: the keys they use, and so some dependants, may be missing.`)], options.width));
  }
  if (view.findings.length > 0) {
    out.push('');
    out.push(...fitLines([c.bold(`Key findings, failing or undecided (${view.findings.length}), most serious first`)], options.width));
    const failing = view.findings.filter((f) => f.status !== 'unknown');
    const unknown = view.findings.filter((f) => f.status === 'unknown');
    if (failing.length > 0) out.push(renderFindingList(failing, { style: c, width: options.width, lines: ['why'] }));
    if (unknown.length > 0) {
      out.push(...fitLines([c.magenta(`undecided (${unknown.length}): never counted as a pass`)], options.width));
      out.push(renderFindingList(unknown, { style: c, width: options.width, lines: ['why'] }));
    }
  }
  out.push('');
  out.push(...fitLines(renderCostSection(view.cost, c), options.width));
  out.push('');

  out.push(...fitLines([verdictLine(c, view.outcome, ', key findings only')], options.width));
  return `${out.join('\n')}\n`;
}

/** A cell of [text, paint] lines wrapped to `width` at spaces, each line painted on its own. */
type Cell = Array<[string, (s: string) => string]>;

function fitCell(cell: Cell, width: number): string {
  return cell.flatMap(([text, paint]) => wrapText(text, width).split('\n').map((line) => paint(line))).join('\n');
}

function keyBlock(k: KeyView, c: ChalkInstance, width: number): string[] {
  const cells = row(k, c);
  const text = (cell: Cell) => cell.map(([t, paint]) => paint(t)).join(', ');
  const [name, region, manager, origin, state, rotation, deps, cost, issues] = cells.map(text);
  return fitLines(
    [
      `${c.bold(name!.split(', ')[0]!)}  ${k.arn}`,
      `    ${region} · ${manager} · ${origin} · state ${state} · rotation ${rotation}`,
      `    dependants ${deps} · $/month ${cost} · issues ${issues}`,
    ],
    width,
    4,
  );
}

function row(k: KeyView, c: ChalkInstance): Cell[] {
  const plain = (s: string): string => s;
  const one = (text: string, paint: (s: string) => string = plain): Cell => [[text, paint]];
  const name: Cell = [k.aliases[0] ?? k.keyId, ...(k.aliases.length > 1 ? [`+${k.aliases.length - 1} alias(es)`] : []), ...(k.multiRegionSummary ? [k.multiRegionSummary] : []), ...(k.inScannedAccount ? [] : [`account ${k.accountId}`])].map((t) => [t, plain]);
  const deps = Object.entries(k.dependentsByService)
    .map(([service, count]) => `${service} ${count}`)
    .join(', ');
  const cost = k.monthlyCostUsd === null ? one('unknown', c.magenta) : k.monthlyCostUsd === 0 ? one('0.00', c.gray) : one(k.monthlyCostUsd.toFixed(2));
  const issues: Cell = k.findings.map((f) => {
    const rule = f.ruleId.replace(/^KMS\./, '');
    return f.status === 'unknown' ? [`${rule} unknown`, c.magenta] : [`${rule} ${f.severity}`, (s: string) => paintSeverity(c, f.severity, s)];
  });
  const state = k.state === 'Enabled' ? one(k.state) : k.state === 'unknown' ? one(k.state, c.magenta) : one(k.state, c.red);
  return [name, one(k.region), one(k.manager), one(k.origin), state, one(k.rotationSummary), deps ? one(deps) : one('none', c.gray), cost, issues.length > 0 ? issues : one('-', c.green)];
}
