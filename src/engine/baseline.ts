import type { BaselineSummary, Finding, Outcome, Report, ResolvedFinding } from '../model/report.js';
import { atOrAbove, severityRank, type FailOn, type FindingStatus } from '../model/severity.js';
import { sortBy } from '../util/sort.js';
import { decideOutcome } from './engine.js';

/**
 * Baselines (`--baseline previous.json`): a team adopting atrest on an
 * account with history marks what it already knows and stops regressions
 * from day one. A finding is the pair (rule id, resource ARN). Findings that
 * count — fail, unknown, suppressed — are `existing` when the baseline
 * report had the same pair counting too, `new` otherwise; the baseline's
 * counting findings that count no more are `resolved` (listed).
 */

/** The part of a JSON report a baseline needs (older reports have at least this). */
export interface BaselineReport {
  scan: { finishedAt: string };
  findings: Array<Pick<Finding, 'ruleId' | 'resourceArn' | 'status' | 'severity' | 'title' | 'service'>>;
  evidence?: { digest?: string };
}

const COUNTING: ReadonlySet<FindingStatus> = new Set(['fail', 'unknown', 'suppressed']);

export function findingKey(f: { ruleId: string; resourceArn: string }): string {
  return `${f.ruleId}\u0000${f.resourceArn}`;
}

export function counts(f: { status: FindingStatus }): boolean {
  return COUNTING.has(f.status);
}

/** Resolved: counted in `before`, not counted in `after` (passing, not applicable, or gone). */
export function resolvedFindings(before: BaselineReport['findings'], after: readonly Pick<Finding, 'ruleId' | 'resourceArn' | 'status'>[]): ResolvedFinding[] {
  const now = new Map<string, FindingStatus>();
  for (const f of after) {
    const key = findingKey(f);
    // Of several findings with one key, the one that counts decides.
    if (!now.has(key) || counts(f)) now.set(key, f.status);
  }
  const seen = new Set<string>();
  const out: ResolvedFinding[] = [];
  for (const f of before) {
    const key = findingKey(f);
    if (!counts(f) || seen.has(key)) continue;
    seen.add(key);
    const status = now.get(key);
    if (status !== undefined && COUNTING.has(status)) continue;
    out.push({ ruleId: f.ruleId, resourceArn: f.resourceArn, service: f.service, severity: f.severity, title: f.title, was: f.status, now: status ?? 'absent' });
  }
  return sortBy(out, (r) => [severityRank(r.severity), r.ruleId, r.resourceArn]);
}

/**
 * Marks every counting finding of `report` new or existing, lists what was
 * resolved, and with `failOnNew` decides the exit code on new findings only
 * (an unknown result still makes it 3: an unread resource is never a pass).
 */
export function applyBaseline(report: Report, baseline: BaselineReport, options: { failOn: FailOn; failOnNew: boolean }): void {
  const known = new Set(baseline.findings.filter(counts).map(findingKey));
  let fresh = 0;
  let existing = 0;
  for (const f of report.findings) {
    if (!counts(f)) continue;
    if (known.has(findingKey(f))) {
      f.baseline = 'existing';
      existing += 1;
    } else {
      f.baseline = 'new';
      fresh += 1;
    }
  }
  const resolved = resolvedFindings(baseline.findings, report.findings);
  const summary: BaselineSummary = {
    finishedAt: baseline.scan.finishedAt,
    digest: baseline.evidence?.digest ?? null,
    failOnNew: options.failOnNew,
    counts: { new: fresh, existing, resolved: resolved.length },
    resolved,
  };
  report.baseline = summary;
  if (options.failOnNew) report.outcome = decideOnNew(report.findings, options.failOn);
}

function decideOnNew(findings: readonly Finding[], failOn: FailOn): Outcome {
  const failing = findings.filter((f) => f.status === 'fail' && atOrAbove(f.severity, failOn));
  const fresh = failing.filter((f) => f.baseline === 'new');
  if (fresh.length > 0) {
    return { failOn, exitCode: 1, reason: `${fresh.length} new failing finding(s) at or above ${failOn}; ${failing.length - fresh.length} already in the baseline are not counted` };
  }
  const outcome = decideOutcome(findings.filter((f) => f.status !== 'fail'), failOn);
  if (outcome.exitCode === 3) return outcome;
  return { failOn, exitCode: 0, reason: `no new failing finding at or above ${failOn}; ${failing.length} already in the baseline are not counted` };
}
