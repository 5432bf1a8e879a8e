import type { Report } from '../model/report.js';
import { SEVERITIES } from '../model/severity.js';
import { paintSeverity, plainTable, type TableTarget } from './style.js';

/**
 * The table's lines about reach (issue 14): which accounts and regions were
 * scanned, what was not (regions not enabled, services a region does not
 * offer, accounts whose role could not be assumed), what was seen outside
 * the scanned regions, and, on several accounts, one row per account.
 * Everything here is read from the report; nothing is computed but counts.
 */

/** The "account …" part of the first header line. */
export function accountHeading(report: Report): string {
  const accounts = report.scan.accounts ?? [];
  if (accounts.length <= 1) return `account ${report.scan.accountId} · ${report.scan.principalArn || 'principal unknown'}`;
  const failed = accounts.filter((a) => a.status === 'failed').length;
  return `${accounts.length} accounts${failed > 0 ? ` (${failed} not readable)` : ''}`;
}

/** The "regions …" part of the second header line: how many, and which. */
export function regionHeading(report: Report): string {
  const regions = report.scan.regions;
  return `regions ${regions.length > 0 ? `(${regions.length}) ${regions.join(', ')}` : '-'}`;
}

/** Lines under the header: what was not scanned, and what was seen outside. Empty when there is nothing to say. */
export function reachLines(report: Report, target: TableTarget, listLimit = 10): string[] {
  const c = target.style;
  const scan = report.scan;
  const lines: string[] = [];
  const name = (items: string[]) => (items.length > listLimit ? `${items.slice(0, listLimit).join(', ')}, … (+${items.length - listLimit}; the JSON lists all)` : items.join(', '));
  for (const a of scan.accounts ?? []) {
    if (a.status === 'failed') lines.push(c.magenta(`account ${a.accountId} not scanned: ${a.error ? `${a.error.operation} ${a.error.code}: ${a.error.message}` : 'failed'}`));
  }
  const notes = [...new Set([...(scan.notes ?? []), ...(scan.accounts ?? []).flatMap((a) => a.notes ?? [])])];
  for (const note of notes) lines.push(c.gray(note));
  const unavailable = scan.unavailable ?? [];
  if (unavailable.length > 0) {
    lines.push(c.gray(`not offered or not subscribed (no resources, not an error): ${name(unavailable.map((u) => `${u.service} in ${u.region}${(scan.accounts?.length ?? 1) > 1 ? ` (${u.accountId})` : ''}`))}`));
  }
  const outside = scan.outsideRegions ?? [];
  if (outside.length > 0) {
    lines.push(c.yellow(`${outside.length} resource(s) seen outside the scanned regions, not judged (add their regions to --regions): ${name(outside.map((o) => `${o.service} ${o.type} ${o.arn.split(':').at(-1)} (${o.region})`))}`));
  }
  if (scan.shard) lines.push(c.gray(`shard ${scan.shard.index}/${scan.shard.count}: ${scan.shard.units.length} (account, region) unit(s); merge the shards with "atrest merge"`));
  if (scan.shards && scan.shards.missing.length > 0) lines.push(c.red(`merged ${scan.shards.merged.length} of ${scan.shards.count} shards: shard(s) ${scan.shards.missing.join(', ')} missing, so their accounts and regions are not in this report`));
  return lines;
}

/** One row per account, when there are several: status, regions, resources, score and failing findings by severity. */
export function paintedAccountTable(report: Report, target: TableTarget): string[] {
  const accounts = report.scan.accounts ?? [];
  if (accounts.length <= 1) return [];
  const c = target.style;
  const t = plainTable({ head: ['account', 'status', 'regions', 'resources', 'score', ...SEVERITIES.filter((s) => s !== 'info')] });
  for (const a of accounts) {
    const summary = report.summary.byAccount?.[a.accountId];
    const score = report.scores?.byAccount?.[a.accountId];
    const status = a.status === 'scanned' ? c.green(a.status) : a.status === 'partial' ? c.yellow(a.status) : c.magenta(a.status);
    t.push([
      a.accountId,
      status,
      String(a.regions.length),
      String(summary?.resources ?? 0),
      score ? `${score.score} ${score.grade}` : '-',
      ...SEVERITIES.filter((s) => s !== 'info').map((s) => (summary?.bySeverity[s] ? paintSeverity(c, s, String(summary.bySeverity[s])) : c.gray('0'))),
    ]);
  }
  return [c.bold(`By account (${accounts.length})`), t.toString()];
}
