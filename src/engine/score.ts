import type { Resource } from '../model/inventory.js';
import { levelRank, type ProtectionLevel } from '../model/levels.js';
import type { Finding, Grade, GroupScore, ResourceScore, Scores } from '../model/report.js';
import type { Severity } from '../model/severity.js';
import { compareStrings } from '../util/sort.js';
import { findingAccount, serviceOrder } from './by-account.js';

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

function groupScore(total: number, count: number, cap: (typeof CAPS)[number] | undefined): GroupScore {
  const mean = count === 0 ? 100 : Math.floor(total / count);
  const score = cap && cap.max < mean ? cap.max : mean;
  return { score, grade: grade(score), resources: count, ...(cap && cap.max < mean ? { cap: `at most ${cap.max}: ${cap.why}` } : {}) };
}

/** Which CAPS a group's findings trigger, as bits (bit i: CAPS[i]); the strictest set bit applies. */
function capBits(f: Finding): number {
  let bits = 0;
  for (let i = 0; i < CAPS.length; i += 1) if (CAPS[i]!.applies(f)) bits |= 1 << i;
  return bits;
}

function strictestCap(bits: number): (typeof CAPS)[number] | undefined {
  for (let i = 0; i < CAPS.length; i += 1) if (bits & (1 << i)) return CAPS[i];
  return undefined;
}

/**
 * One pass over the findings and one over the resources: a finding that
 * counts costs the resources with its service, type and ARN (found through
 * an index by ARN, so no key string is built per finding), and every
 * finding marks the caps of its service and of the account.
 */
export function computeScores(resources: readonly Resource[], findings: readonly Finding[]): Scores {
  // ARN -> index of the first resource with it; further resources with the same ARN (another type, a duplicate) in `more`.
  const byArn = new Map<string, number>();
  const more = new Map<string, number[]>();
  resources.forEach((r, i) => {
    if (!byArn.has(r.arn)) byArn.set(r.arn, i);
    else {
      const list = more.get(r.arn);
      if (list) list.push(i);
      else more.set(r.arn, [i]);
    }
  });
  const penalty = new Float64Array(resources.length);
  const steps = new Float64Array(resources.length);
  const charge = (i: number, f: Finding): void => {
    const r = resources[i]!;
    if (r.service !== f.service || r.type !== f.resourceType) return;
    penalty[i] = penalty[i]! + SEVERITY_WEIGHT[f.severity];
    if (f.requiredLevel) steps[i] = Math.max(steps[i]!, levelSteps(r.protection.level, f.requiredLevel));
  };
  // One tally per group a score is reported for: the scan, each service,
  // each account and each account's services (issue 14), filled in the same
  // passes so an account's scores cost no filter of every resource and finding.
  const scan = new Tally();
  const byServiceTally = new Map<string, Tally>();
  const byAccountTally = new Map<string, { all: Tally; byService: Map<string, Tally> }>();
  const accountTally = (account: string) => {
    let t = byAccountTally.get(account);
    if (!t) byAccountTally.set(account, (t = { all: new Tally(), byService: new Map() }));
    return t;
  };
  for (const f of findings) {
    const bits = capBits(f);
    const account = accountTally(findingAccount(f));
    for (const t of [scan, tallyOf(byServiceTally, f.service), account.all, tallyOf(account.byService, f.service)]) t.caps |= bits;
    if (!counts(f)) continue;
    const first = byArn.get(f.resourceArn);
    if (first === undefined) continue;
    charge(first, f);
    for (const i of more.get(f.resourceArn) ?? []) charge(i, f);
  }

  const resourceScores: ResourceScore[] = resources.map((r, i) => {
    const score = Math.max(0, 100 - penalty[i]! - LEVEL_STEP_WEIGHT * steps[i]!);
    const account = accountTally(r.accountId);
    scan.add(score);
    tallyOf(byServiceTally, r.service).add(score);
    account.all.add(score);
    tallyOf(account.byService, r.service).add(score);
    return { resourceArn: r.arn, service: r.service, resourceType: r.type, score, grade: grade(score) };
  });

  const byService: Record<string, GroupScore> = {};
  for (const service of serviceOrder(byServiceTally.keys())) byService[service] = byServiceTally.get(service)!.score();
  const byAccount: NonNullable<Scores['byAccount']> = {};
  for (const account of [...byAccountTally.keys()].sort(compareStrings)) {
    const t = byAccountTally.get(account)!;
    const services: Record<string, GroupScore> = {};
    for (const service of serviceOrder(t.byService.keys())) services[service] = t.byService.get(service)!.score();
    byAccount[account] = { ...t.all.score(), byService: services };
  }
  return {
    formula: SCORE_FORMULA,
    account: scan.score(),
    byService,
    resources: sortResourceScores(resourceScores),
    byAccount,
  };
}

/** The sum and count of a group's resource scores, and the caps its findings trigger (bit i: CAPS[i]). */
class Tally {
  total = 0;
  count = 0;
  caps = 0;
  add(score: number): void {
    this.total += score;
    this.count += 1;
  }
  score(): GroupScore {
    return groupScore(this.total, this.count, strictestCap(this.caps));
  }
}

function tallyOf(map: Map<string, Tally>, key: string): Tally {
  let t = map.get(key);
  if (!t) map.set(key, (t = new Tally()));
  return t;
}

/** By service, type and ARN (stable); inventories usually come in nearly that order, so it is checked first. */
function sortResourceScores(scores: ResourceScore[]): ResourceScore[] {
  const before = (a: ResourceScore, b: ResourceScore): number =>
    compareStrings(a.service, b.service) || compareStrings(a.resourceType, b.resourceType) || compareStrings(a.resourceArn, b.resourceArn);
  let sorted = true;
  for (let i = 1; i < scores.length && sorted; i += 1) sorted = before(scores[i - 1]!, scores[i]!) <= 0;
  // Array.prototype.sort is stable: equal entries keep their order, as sortBy did.
  return sorted ? scores : scores.sort(before);
}
