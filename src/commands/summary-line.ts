import type { Inventory } from '../model/inventory.js';
import type { KeysReport } from '../model/keys-report.js';
import type { Report } from '../model/report.js';
import { formatCount } from './progress.js';

/**
 * The last line a live command prints on stderr (unless --quiet): where the
 * output went, what it holds, and the exit code with its reason, e.g.
 * `wrote report.json: 4,101 resources, 312 failing findings, exit 1 (high)`.
 */
/** Where the output went: the files (`-` and no path are stdout). */
function where(files: string | undefined | ReadonlyArray<string | undefined>, what: string): string {
  const list = (Array.isArray(files) ? files : [files]) as Array<string | undefined>;
  const written = list.filter((f): f is string => f !== undefined && f !== '-');
  const stdout = written.length < list.length;
  if (written.length === 0) return `${what} on stdout`;
  return `wrote ${written.join(', ')}${stdout ? ` (and ${what} on stdout)` : ''}`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

function accounts(scan: Inventory['scan']): string {
  const n = scan.accounts?.length ?? 1;
  const regions = new Set((scan.accounts ?? []).flatMap((a) => a.regions)).size || scan.regions.length;
  return `${plural(n, 'account')}, ${plural(regions, 'region')}`;
}

export function reportSummaryLine(report: Report, file: string | undefined | ReadonlyArray<string | undefined>): string {
  const failing = report.findings.filter((f) => f.status === 'fail').length;
  const unknown = report.findings.filter((f) => f.status === 'unknown').length;
  const failedAccounts = (report.scan.accounts ?? []).filter((a) => a.status === 'failed').length;
  const parts = [
    plural(report.resources.length, 'resource'),
    plural(failing, 'failing finding'),
    ...(unknown > 0 ? [`${formatCount(unknown)} unknown`] : []),
    ...(failedAccounts > 0 ? [`${plural(failedAccounts, 'account')} not readable`] : []),
    accounts(report.scan),
  ];
  return `atrest: ${where(file, 'report')}: ${parts.join(', ')}, exit ${report.outcome.exitCode} (${report.outcome.failOn})`;
}

export function inventorySummaryLine(inventory: Inventory, file: string | undefined, exitCode: number): string {
  const parts = [
    plural(inventory.resources.length, 'resource'),
    plural(inventory.keys.length, 'key'),
    ...(inventory.scan.errors.length > 0 ? [plural(inventory.scan.errors.length, 'failed call')] : []),
    accounts(inventory.scan),
  ];
  return `atrest: ${where(file, 'inventory')}: ${parts.join(', ')}, exit ${exitCode}`;
}

export function keysSummaryLine(view: KeysReport, inventory: Inventory, file: string | undefined): string {
  const failing = view.findings.filter((f) => f.status === 'fail').length;
  return `atrest: ${where(file, 'key view')}: ${plural(view.keys.length, 'key')}, ${plural(failing, 'failing key finding')}, ${accounts(inventory.scan)}, exit ${view.outcome.exitCode} (${view.outcome.failOn})`;
}
