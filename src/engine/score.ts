import type { Resource } from '../model/inventory.js';
import { levelRank, type ProtectionLevel } from '../model/levels.js';
import type { Finding, Grade, GroupScore, ResourceScore, Scores } from '../model/report.js';
import { SERVICES } from '../services/list.js';
import type { Severity } from '../model/severity.js';
import { sortBy } from '../util/sort.js';
import { findingAccount, serviceOrder } from './by-account.js';
import { compareStrings } from '../util/sort.js';

/**
 * Scores (docs/scoring.md, formula "1"). Integer arithmetic only, no clock,
 * no order dependence: the same findings give the same scores.
 *
 * Monotone: every term only ever subtracts for a finding that is `fail` or
 * `unknown`, and every cap is triggered only by such a finding, so turning
 * a finding into `pass`, `not-applicable` or `suppressed` can never lower a
 * resource, service or account score.
 */
export const SCORE_FORMULA = '1';

/** Points a failing (or unknown) finding costs its resource. */
export const SEVERITY_WEIGHT: Record<Severity, number> = { critical: 100, high: 40, medium: 15, low: 5, info: 0 };

/** Points per level step between a resource's level and the level the policy required. */
export const LEVEL_STEP_WEIGHT = 10;

/** Caps on a service or account score, strictest first. */
export const CAPS = [
  { max: 59, why: 'a critical finding fails', applies: (f: Finding) => f.status === 'fail' && f.severity === 'critical' },
  { max: 79, why: 'a high-severity finding fails', applies: (f: Finding) => f.status === 'fail' && f.severity === 'high' },
  { max: 89, why: 'part of it could not be read or decided (unknown)', applies: (f: Finding) => f.status === 'unknown' },
] as const;

export function grade(score: number): Grade {
  if (score >= 90) return 'A';
  if (score >= 80) return 'B';
  if (score >= 70) return 'C';
  if (score >= 60) return 'D';
  return 'F';
}

function counts(f: Finding): boolean {
  return f.status === 'fail' || f.status === 'unknown';
}

/** Level steps below the requirement; `unknown` counts as `none` (never a pass). */
function levelSteps(level: ProtectionLevel, required: ProtectionLevel): number {
  const have = level === 'unknown' ? 0 : levelRank(level);
  return Math.max(0, levelRank(required) - have);
}

const keyOf = (service: string, type: string, arn: string): string => `${service}\u0000${type}\u0000${arn}`;

export function groupScore(scores: number[], findings: readonly Finding[]): GroupScore {
  const mean = scores.length === 0 ? 100 : Math.floor(scores.reduce((a, b) => a + b, 0) / scores.length);
  const cap = CAPS.find((c) => findings.some(c.applies));
  const score = cap && cap.max < mean ? cap.max : mean;
  return { score, grade: grade(score), resources: scores.length, ...(cap && cap.max < mean ? { cap: `at most ${cap.max}: ${cap.why}` } : {}) };
}

export function computeScores(resources: readonly Resource[], findings: readonly Finding[]): Scores {
  const byResource = new Map<string, Finding[]>();
  for (const f of findings) {
    const key = keyOf(f.service, f.resourceType, f.resourceArn);
    const list = byResource.get(key) ?? [];
    list.push(f);
    byResource.set(key, list);
  }
  const resourceScores: ResourceScore[] = resources.map((r) => {
    const own = (byResource.get(keyOf(r.service, r.type, r.arn)) ?? []).filter(counts);
    const severityPenalty = own.reduce((sum, f) => sum + SEVERITY_WEIGHT[f.severity], 0);
    const steps = Math.max(0, ...own.map((f) => (f.requiredLevel ? levelSteps(r.protection.level, f.requiredLevel) : 0)));
    const score = Math.max(0, 100 - severityPenalty - LEVEL_STEP_WEIGHT * steps);
    return { resourceArn: r.arn, service: r.service, resourceType: r.type, score, grade: grade(score) };
  });

  const services = new Set<string>([...resources.map((r) => r.service), ...findings.map((f) => f.service)]);
  const ordered = [...SERVICES.filter((s) => services.has(s)), ...[...services].filter((s) => !(SERVICES as readonly string[]).includes(s)).sort()];
  const byService: Record<string, GroupScore> = {};
  for (const service of ordered) {
    byService[service] = groupScore(
      resourceScores.filter((r) => r.service === service).map((r) => r.score),
      findings.filter((f) => f.service === service),
    );
  }
  const scores: Scores = {
    formula: SCORE_FORMULA,
    account: groupScore(resourceScores.map((r) => r.score), findings),
    byService,
    resources: sortBy(resourceScores, (r) => [r.service, r.resourceType, r.resourceArn]),
  };
  scores.byAccount = scoresByAccount(scores, resources, findings);
  return scores;
}

/** Scores per scanned account, each also per service: the same formula over each account's own resources and findings. */
function scoresByAccount(scores: Scores, resources: readonly Resource[], findings: readonly Finding[]): NonNullable<Scores['byAccount']> {
  const accountOf = new Map(resources.map((r) => [`${r.service}\u0000${r.type}\u0000${r.arn}`, r.accountId]));
  const accounts = new Set<string>([...resources.map((r) => r.accountId), ...findings.map(findingAccount)]);
  const out: NonNullable<Scores['byAccount']> = {};
  for (const account of [...accounts].sort(compareStrings)) {
    const own = scores.resources.filter((s) => accountOf.get(`${s.service}\u0000${s.resourceType}\u0000${s.resourceArn}`) === account);
    const ownFindings = findings.filter((f) => findingAccount(f) === account);
    const byService: Record<string, GroupScore> = {};
    for (const service of serviceOrder([...own.map((s) => s.service), ...ownFindings.map((f) => f.service)])) {
      byService[service] = groupScore(own.filter((s) => s.service === service).map((s) => s.score), ownFindings.filter((f) => f.service === service));
    }
    out[account] = { ...groupScore(own.map((s) => s.score), ownFindings), byService };
  }
  return out;
}
