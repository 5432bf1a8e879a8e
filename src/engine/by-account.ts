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
  const account = f.resourceArn.split(':')[4];
  return account && /^\d{12}$/.test(account) ? account : 'unknown';
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
  const accounts = new Set<string>([...resources.map((r) => r.accountId), ...findings.map(findingAccount)]);
  const out: Record<string, AccountSummary> = {};
  for (const account of [...accounts].sort(compareStrings)) {
    const own = resources.filter((r) => r.accountId === account);
    const ownFindings = findings.filter((f) => findingAccount(f) === account);
    const summary: AccountSummary = { ...empty(), byService: {} };
    for (const service of serviceOrder([...own.map((r) => r.service), ...ownFindings.map((f) => f.service)])) summary.byService[service] = empty();
    for (const r of own) {
      for (const s of [summary, summary.byService[r.service]!]) {
        s.resources += 1;
        s.byLevel[r.protection.level] += 1;
      }
    }
    for (const f of ownFindings) {
      for (const s of [summary, summary.byService[f.service]!]) {
        s.byStatus[f.status] += 1;
        if (f.status === 'fail') s.bySeverity[f.severity] += 1;
      }
    }
    out[account] = summary;
  }
  return out;
}
