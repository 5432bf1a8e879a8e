import type { Resource } from '../model/inventory.js';
import { PROTECTION_LEVELS } from '../model/levels.js';
import type { AccountSummary, Finding, ServiceSummary } from '../model/report.js';
import { SERVICES } from '../services/list.js';
import { FINDING_STATUSES, SEVERITIES } from '../model/severity.js';
import { compareStrings } from '../util/sort.js';

/**
 * The summary per account (issue 14), computed from the same resources and
 * findings as the whole-scan one, with the same counting: an account's
 * numbers are what a scan of that account alone would give. (Scores per
 * account: scoresByAccount in score.ts, with the same formula.)
 */

/** A finding's account: its own field, else its resource's ARN. */
export function findingAccount(f: Finding): string {
  if (f.accountId) return f.accountId;
  // The fifth field of the ARN, found without splitting the whole ARN.
  let at = -1;
  for (let i = 0; i < 4; i += 1) {
    at = f.resourceArn.indexOf(':', at + 1);
    if (at === -1) return 'unknown';
  }
  const end = f.resourceArn.indexOf(':', at + 1);
  const account = f.resourceArn.slice(at + 1, end === -1 ? undefined : end);
  return /^\d{12}$/.test(account) ? account : 'unknown';
}

function zeroes<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
}

function empty(): ServiceSummary {
  return { resources: 0, byLevel: zeroes(PROTECTION_LEVELS), bySeverity: zeroes(SEVERITIES), byStatus: zeroes(FINDING_STATUSES) };
}

export function serviceOrder(services: Iterable<string>): string[] {
  const present = new Set(services);
  return [...SERVICES.filter((s) => present.has(s)), ...[...present].filter((s) => !(SERVICES as readonly string[]).includes(s)).sort(compareStrings)];
}

export function summariseByAccount(resources: readonly Resource[], findings: readonly Finding[]): Record<string, AccountSummary> {
  // One pass over the resources and one over the findings (no filter of
  // every record per account); the services of each account, then the
  // accounts, are put in order at the end.
  const byAccount = new Map<string, { all: ServiceSummary; byService: Map<string, ServiceSummary> }>();
  const summaries = (account: string, service: string): [ServiceSummary, ServiceSummary] => {
    let a = byAccount.get(account);
    if (!a) byAccount.set(account, (a = { all: empty(), byService: new Map() }));
    let s = a.byService.get(service);
    if (!s) a.byService.set(service, (s = empty()));
    return [a.all, s];
  };
  for (const r of resources) {
    for (const s of summaries(r.accountId, r.service)) {
      s.resources += 1;
      s.byLevel[r.protection.level] += 1;
    }
  }
  for (const f of findings) {
    for (const s of summaries(findingAccount(f), f.service)) {
      s.byStatus[f.status] += 1;
      if (f.status === 'fail') s.bySeverity[f.severity] += 1;
    }
  }
  const out: Record<string, AccountSummary> = {};
  for (const account of [...byAccount.keys()].sort(compareStrings)) {
    const a = byAccount.get(account)!;
    const summary: AccountSummary = { ...a.all, byService: {} };
    for (const service of serviceOrder(a.byService.keys())) summary.byService[service] = a.byService.get(service)!;
    out[account] = summary;
  }
  return out;
}
