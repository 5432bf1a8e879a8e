import type { KeyRecord, Resource } from '../model/inventory.js';
import { levelRank } from '../model/levels.js';
import type { Finding, GroupScore, ResolvedFinding, Scores } from '../model/report.js';
import { atOrAbove, severityRank, type FailOn } from '../model/severity.js';
import { sortBy } from '../util/sort.js';
import { counts, findingKey, resolvedFindings } from './baseline.js';

/**
 * `atrest diff old.json new.json`: what changed between two JSON reports.
 * Computed here once; the table, JSON and Markdown render it.
 */
export const DIFF_SCHEMA_VERSION = '1.0';

export interface DiffReportInput {
  scan: { finishedAt: string; accountId: string };
  findings: Finding[];
  resources: Array<Pick<Resource, 'arn' | 'service' | 'type' | 'protection'>>;
  keys: Array<Pick<KeyRecord, 'arn' | 'state' | 'rotation' | 'aliases'>>;
  scores?: Pick<Scores, 'account' | 'byService'>;
  evidence?: { digest?: string };
}

export interface LevelChange {
  resourceArn: string;
  service: string;
  resourceType: string;
  from: string;
  to: string;
  direction: 'up' | 'down';
}

export interface KeyChange {
  keyArn: string;
  alias: string | null;
  what: 'state' | 'rotation';
  from: string;
  to: string;
  /** True when the change makes things worse (a key no longer Enabled, rotation turned off). */
  worse: boolean;
}

export interface ScoreChange {
  scope: string;
  from: number | null;
  to: number | null;
  fromGrade: string | null;
  toGrade: string | null;
}

export interface ReportDiff {
  kind: 'atrest-diff';
  schemaVersion: string;
  old: { finishedAt: string; accountId: string; digest: string | null };
  new: { finishedAt: string; accountId: string; digest: string | null };
  failOn: FailOn;
  newFindings: Array<Pick<Finding, 'ruleId' | 'resourceArn' | 'service' | 'status' | 'severity' | 'title' | 'message'>>;
  resolvedFindings: ResolvedFinding[];
  levelChanges: LevelChange[];
  keyChanges: KeyChange[];
  scoreChanges: ScoreChange[];
  outcome: { exitCode: 0 | 1; reason: string };
}

function rotationText(k: Pick<KeyRecord, 'rotation'>): string {
  if (k.rotation.enabled === null) return 'unknown';
  return k.rotation.enabled ? `on${k.rotation.periodDays ? ` (${k.rotation.periodDays} days)` : ''}` : 'off';
}

export function diffReports(before: DiffReportInput, after: DiffReportInput, failOn: FailOn): ReportDiff {
  const known = new Set(before.findings.filter(counts).map(findingKey));
  const seen = new Set<string>();
  const newFindings = after.findings
    .filter((f) => counts(f) && !known.has(findingKey(f)) && !seen.has(findingKey(f)) && seen.add(findingKey(f)))
    .map((f) => ({ ruleId: f.ruleId, resourceArn: f.resourceArn, service: f.service, status: f.status, severity: f.severity, title: f.title, message: f.message }));

  const id = (r: Pick<Resource, 'service' | 'type' | 'arn'>) => `${r.service}\u0000${r.type}\u0000${r.arn}`;
  const oldLevels = new Map(before.resources.map((r) => [id(r), r.protection.level]));
  const levelChanges: LevelChange[] = [];
  for (const r of after.resources) {
    const from = oldLevels.get(id(r));
    const to = r.protection.level;
    if (from === undefined || from === to) continue;
    // unknown counts as none: never an improvement by being unreadable.
    const rank = (l: string) => (l === 'unknown' ? 0 : levelRank(l as never));
    levelChanges.push({ resourceArn: r.arn, service: r.service, resourceType: r.type, from, to, direction: rank(to) > rank(from) ? 'up' : 'down' });
  }

  const oldKeys = new Map(before.keys.map((k) => [k.arn, k]));
  const keyChanges: KeyChange[] = [];
  for (const k of after.keys) {
    const o = oldKeys.get(k.arn);
    if (!o) continue;
    const alias = k.aliases[0] ?? null;
    if (o.state !== k.state) keyChanges.push({ keyArn: k.arn, alias, what: 'state', from: o.state, to: k.state, worse: o.state === 'Enabled' });
    const [rf, rt] = [rotationText(o), rotationText(k)];
    if (rf !== rt) keyChanges.push({ keyArn: k.arn, alias, what: 'rotation', from: rf, to: rt, worse: o.rotation.enabled === true && k.rotation.enabled !== true });
  }

  const scoreChanges: ScoreChange[] = [];
  const score = (scope: string, a: GroupScore | undefined, b: GroupScore | undefined) => {
    if ((a?.score ?? null) === (b?.score ?? null)) return;
    scoreChanges.push({ scope, from: a?.score ?? null, to: b?.score ?? null, fromGrade: a?.grade ?? null, toGrade: b?.grade ?? null });
  };
  if (before.scores || after.scores) {
    score('account', before.scores?.account, after.scores?.account);
    const services = [...new Set([...Object.keys(before.scores?.byService ?? {}), ...Object.keys(after.scores?.byService ?? {})])].sort();
    for (const s of services) score(s, before.scores?.byService[s], after.scores?.byService[s]);
  }

  const worse = newFindings.filter((f) => f.status === 'fail' && atOrAbove(f.severity, failOn));
  const outcome =
    worse.length > 0
      ? { exitCode: 1 as const, reason: `${worse.length} new failing finding(s) at or above ${failOn}` }
      : { exitCode: 0 as const, reason: failOn === 'none' ? 'nothing fails the diff (--fail-on none)' : `no new failing finding at or above ${failOn}` };
  return {
    kind: 'atrest-diff',
    schemaVersion: DIFF_SCHEMA_VERSION,
    old: { finishedAt: before.scan.finishedAt, accountId: before.scan.accountId, digest: before.evidence?.digest ?? null },
    new: { finishedAt: after.scan.finishedAt, accountId: after.scan.accountId, digest: after.evidence?.digest ?? null },
    failOn,
    newFindings: sortBy(newFindings, (f) => [f.status === 'fail' ? 0 : 1, severityRank(f.severity), f.ruleId, f.resourceArn]),
    resolvedFindings: resolvedFindings(before.findings, after.findings),
    levelChanges: sortBy(levelChanges, (c) => [c.direction === 'down' ? 0 : 1, c.service, c.resourceArn]),
    keyChanges: sortBy(keyChanges, (c) => [c.worse ? 0 : 1, c.keyArn, c.what]),
    scoreChanges,
    outcome,
  };
}
