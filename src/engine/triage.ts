import type { KeyRecord, Resource } from '../model/inventory.js';
import type { Finding, Report, Triage, TriageItem } from '../model/report.js';
import { severityRank } from '../model/severity.js';
import { compareStrings } from '../util/sort.js';

/**
 * What needs attention, in the order a person should read it, computed once
 * so that the table, Markdown and HTML show the same thing (reporters never
 * compute). The JSON keeps every finding in its own order; this only points
 * into it.
 *
 * - Failing findings, and unknown findings of high or critical severity
 *   (an unread resource that might be critical is not less urgent than a
 *   low failure), grouped by severity.
 * - Within a severity, what gets worse soonest first: a key that KMS will
 *   delete in 7 days, or key material that expires, before an undated
 *   rotation finding.
 * - One cause, one entry: a key that is disabled, pending deletion, pending
 *   import or unavailable produces a finding on the key (KMS.DISABLED_KEY_IN_USE,
 *   KMS.PENDING_DELETION, KMS.PENDING_IMPORT) and one on every dependant
 *   (KMS.KEY_STATE, DYNAMODB.KEY_INACCESSIBLE); those become one item under
 *   the key.
 */

/** Rules about the key itself whose cause is the key's state. */
const KEY_STATE_RULES = new Set(['KMS.DISABLED_KEY_IN_USE', 'KMS.PENDING_DELETION', 'KMS.PENDING_IMPORT']);
/** Rules on a dependant whose cause is its key's state. */
const DEPENDANT_RULES = new Set(['KMS.KEY_STATE', 'DYNAMODB.KEY_INACCESSIBLE']);
/** Key states that make data unreadable (or about to be). */
const BAD_STATES = new Set(['Disabled', 'PendingDeletion', 'PendingReplicaDeletion', 'PendingImport', 'Unavailable']);

interface Due {
  at: string;
  reason: string;
}

export function buildTriage(report: Pick<Report, 'findings' | 'keys' | 'resources'>): Triage {
  const keyByArn = new Map<string, KeyRecord>(report.keys.map((k) => [k.arn, k]));
  // Only findings about a key's dependants need their resource: the index is built for the first of them.
  let resourceByArn: Map<string, Resource> | undefined;
  const resourceOf = (arn: string): Resource | undefined => {
    if (!resourceByArn) {
      resourceByArn = new Map();
      for (const r of report.resources) if (!resourceByArn.has(r.arn)) resourceByArn.set(r.arn, r);
    }
    return resourceByArn.get(arn);
  };

  /** The key whose state a finding is about, if any. */
  const stateKey = (f: Finding): KeyRecord | undefined => {
    if (KEY_STATE_RULES.has(f.ruleId)) return keyByArn.get(f.resourceArn);
    if (DEPENDANT_RULES.has(f.ruleId)) {
      const arn = resourceOf(f.resourceArn)?.protection.keyArn;
      return arn ? keyByArn.get(arn) : undefined;
    }
    return undefined;
  };
  const due = (f: Finding): Due | undefined => {
    const key = stateKey(f);
    if (key?.state === 'PendingDeletion' && key.deletionDate) return { at: key.deletionDate, reason: `KMS deletes key ${keyName(key)} on ${key.deletionDate}` };
    if (f.ruleId === 'KMS.IMPORTED_MATERIAL_EXPIRY') {
      const k = keyByArn.get(f.resourceArn);
      const validTo = k?.importedMaterial?.validTo;
      if (k && validTo) return { at: validTo, reason: `the imported key material of ${keyName(k)} expires on ${validTo}` };
    }
    return undefined;
  };

  const items: TriageItem[] = [];
  const undecided: number[] = [];
  const byCause = new Map<string, number[]>();
  const shown: number[] = [];
  report.findings.forEach((f, i) => {
    if (f.status === 'unknown' && severityRank(f.severity) > severityRank('high')) {
      undecided.push(i);
      return;
    }
    if (f.status !== 'fail' && f.status !== 'unknown') return;
    shown.push(i);
    const key = stateKey(f);
    if (key && BAD_STATES.has(key.state)) {
      const list = byCause.get(key.arn);
      if (list) list.push(i);
      else byCause.set(key.arn, [i]);
    }
  });
  const grouped = new Set<number>();
  for (const [arn, members] of byCause) {
    if (members.length < 2) continue;
    const key = keyByArn.get(arn)!;
    // The key's own findings first, then its dependants', each in report order.
    const ordered = [...members].sort((a, b) => Number(report.findings[b]!.resourceArn === arn) - Number(report.findings[a]!.resourceArn === arn) || a - b);
    for (const i of ordered) grouped.add(i);
    items.push(item(report.findings, ordered, due, { resourceArn: arn, summary: causeSummary(key, ordered.length) }));
  }
  for (const i of shown) if (!grouped.has(i)) items.push(item(report.findings, [i], due));

  items.sort(
    (a, b) =>
      severityRank(a.severity) - severityRank(b.severity) ||
      (a.dueAt ? 0 : 1) - (b.dueAt ? 0 : 1) ||
      compareStrings(a.dueAt ?? '', b.dueAt ?? '') ||
      (a.status === 'fail' ? 0 : 1) - (b.status === 'fail' ? 0 : 1) ||
      a.findings[0]! - b.findings[0]!,
  );
  return { items, undecided };
}

function item(findings: readonly Finding[], members: number[], due: (f: Finding) => Due | undefined, cause?: TriageItem['cause']): TriageItem {
  const list = members.map((i) => findings[i]!);
  const severity = list.reduce((best, f) => (severityRank(f.severity) < severityRank(best) ? f.severity : best), list[0]!.severity);
  const dates = list.map(due).filter((d): d is Due => d !== undefined).sort((a, b) => compareStrings(a.at, b.at));
  const out: TriageItem = { severity, status: list.some((f) => f.status === 'fail') ? 'fail' : 'unknown', findings: members };
  if (cause) out.cause = cause;
  if (dates[0]) {
    out.dueAt = dates[0].at;
    out.dueReason = dates[0].reason;
  }
  return out;
}

function keyName(key: KeyRecord): string {
  return key.aliases[0] ?? key.keyId;
}

function causeSummary(key: KeyRecord, count: number): string {
  const state = key.state === 'PendingDeletion' && key.deletionDate ? `pending deletion (KMS deletes it on ${key.deletionDate})` : key.state;
  return `key ${keyName(key)} (${key.arn}) is ${state}: ${count} findings follow from it`;
}
