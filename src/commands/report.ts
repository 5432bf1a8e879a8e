import { existsSync, readFileSync, statSync } from 'node:fs';
import type { ReportFlags } from './flags.js';
import { UsageError } from '../errors.js';
import type { ReportFormat } from '../model/formats.js';
import type { Inventory } from '../model/inventory.js';
import type { Report } from '../model/report.js';
import type { Policy } from '../model/policy.js';
import { applyBaseline, type BaselineReport } from '../engine/baseline.js';
import { fileDigest, policyDigest } from '../engine/evidence.js';
import { buildTriage } from '../engine/triage.js';
import { reportChunks } from '../report/formats.js';
import { evaluate } from '../engine/engine.js';
import { readJsonFile } from '../util/json-file.js';
import { tableTarget } from './output.js';
import { appendChunks, checkWritable, OutputClosed, refuseClashes, writeChunks, type NamedPath } from './output-target.js';

/** One output of a report run: the primary (--format/--output) or a --report FORMAT=PATH. */
export interface ReportTarget {
  format: ReportFormat;
  /** undefined or `-`: stdout. */
  path?: string;
  /** How the user named it, for messages. */
  what: string;
}

export function reportTargets(flags: ReportFlags): ReportTarget[] {
  const primary: ReportTarget = { format: flags.format, ...(flags.output !== undefined ? { path: flags.output } : {}), what: flags.output !== undefined ? '--output' : `--format ${flags.format} (stdout)` };
  return [primary, ...(flags.report ?? []).map((r) => ({ format: r.format, path: r.path, what: `--report ${r.format}=${r.path}` }))];
}

/**
 * Before the scan starts: every output can be written, no two outputs name
 * the same file, no output names an input, and at most one goes to stdout.
 */
export function checkReportOutputs(flags: ReportFlags, inputs: NamedPath[], extraOutputs: NamedPath[] = []): void {
  const targets = reportTargets(flags);
  for (const t of targets) if (t.path !== undefined) checkWritable(t.path, t.what);
  for (const o of extraOutputs) checkWritable(o.path, o.what);
  const named: NamedPath[] = [...inputs, ...targets.map((t) => ({ what: t.what, path: t.path ?? '-', role: 'output' as const })), ...extraOutputs];
  if (flags.baseline) named.push({ what: '--baseline', path: flags.baseline, role: 'input' });
  refuseClashes(named);
  if (flags.failOnNew && !flags.baseline) throw new UsageError('--fail-on-new needs --baseline FILE (the report to compare with)');
}

/** The policy files the report names, as inputs for the same-file check. */
export function policyInputs(policy: Policy): NamedPath[] {
  return (policy.sources ?? []).filter((s) => s.includes('/') && existsSync(s)).map((s) => ({ what: `the policy file ${s}`, path: s, role: 'input' as const }));
}

/**
 * The second half of `scan` and all of `evaluate`: judges the inventory,
 * adds what every format shows (baseline, triage, policy digests), writes
 * each output, and returns the exit code, which no format changes.
 */
export function writeReport(
  inventory: Inventory,
  policy: Policy,
  flags: ReportFlags,
  written?: (report: Report, paths: Array<string | undefined>) => void,
  complete?: (report: Report) => void,
): number {
  const report = buildReport(inventory, policy, flags);
  // What a command adds to the judged report before it is written (atrest iac: the fixes as code).
  complete?.(report);
  const options = { showSuppressed: Boolean(flags.showSuppressed) };
  let closed = false;
  for (const target of reportTargets(flags)) {
    try {
      writeChunks(target.path, reportChunks(report, target.format, { ...tableTarget(target.path), ...options }));
    } catch (error) {
      if (!(error instanceof OutputClosed)) throw error;
      // The reader of stdout went away (`| head`): its choice; the files are still written.
      closed = true;
    }
  }
  const summary = process.env.GITHUB_STEP_SUMMARY;
  if (summary && flags.stepSummary !== false && !closed) appendChunks(summary, reportChunks(report, 'markdown', { ...tableTarget(summary), ...options }));
  written?.(report, reportTargets(flags).map((t) => t.path));
  return report.outcome.exitCode;
}

export function buildReport(inventory: Inventory, policy: Policy, flags: ReportFlags): Report {
  const report = evaluate(inventory, policy, { failOn: flags.failOn, ...(flags.compliance ? { compliance: flags.compliance } : {}) });
  report.policy.digest = policyDigest(policy);
  const files = (policy.sources ?? []).filter((s) => s.includes('/') && existsSync(s) && statSync(s).isFile());
  if (files.length > 0) report.policy.files = files.map((path) => ({ path, sha256: fileDigest(readFileSync(path)) }));
  if (flags.baseline) applyBaseline(report, readBaseline(flags.baseline), { failOn: flags.failOn, failOnNew: Boolean(flags.failOnNew) });
  report.triage = buildTriage(report);
  return report;
}

/** A JSON report written by `scan` or `evaluate` (--format json), read for --baseline and `diff`. */
export function readReportFile(path: string, what: string): Report {
  let data: unknown;
  try {
    data = readJsonFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`${what}: cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  const r = data as Partial<Report> & { kind?: unknown };
  if (!r || typeof r !== 'object' || !Array.isArray(r.findings) || !r.scan || typeof r.schemaVersion !== 'string') {
    const hint = r && typeof r === 'object' && r.kind === 'atrest-inventory' ? ' (this is an inventory; pass a JSON report: atrest evaluate … --format json)' : '';
    throw new UsageError(`${what}: ${path} is not an atrest JSON report${hint}`);
  }
  return r as Report;
}

function readBaseline(path: string): BaselineReport {
  return readReportFile(path, '--baseline');
}

/** The report in `format` as one string (tests and small reports); a table fits the width and colours of `file`, or of stdout. */
export function renderReport(report: Report, format: ReportFormat, file: string | undefined, options: { showSuppressed?: boolean } = {}): string {
  return [...reportChunks(report, format, { ...tableTarget(file), ...options })].map((c) => (typeof c === 'string' ? c : Buffer.from(c).toString('utf8'))).join('');
}
