import type { Inventory, KeyRecord, Resource } from '../model/inventory.js';
import { PROTECTION_LEVELS, type ProtectionLevel } from '../model/levels.js';
import {
  REPORT_SCHEMA_VERSION,
  type CostReport,
  type Finding,
  type Outcome,
  type Report,
  type ReportKey,
  type ReportPolicy,
  type ReportSummary,
  type ServiceSummary,
  type WaiverResult,
  type WaiverTerms,
} from '../model/report.js';
import { SERVICES } from '../services/list.js';
import { FINDING_STATUSES, SEVERITIES, atOrAbove, severityRank, statusRank, type FailOn, type FindingStatus, type Severity } from '../model/severity.js';
import { globMatch } from '../util/glob.js';
import { compareStrings, rankStrings, sortBy } from '../util/sort.js';
import { RULES } from './catalog.js';
import { frameworkByName, type FrameworkId } from '../compliance/frameworks.js';
import { coveredServices, inFramework, sharedComplianceRefs, summariseCompliance, suppressRefs } from './compliance-report.js';
import { inScope } from '../policy/requirement.js';
import type { Policy, Waiver } from '../model/policy.js';
import type { Rule, RuleContext } from '../rules/rule.js';
import { countByService, dependentsIndex } from './key-dependents.js';
import { missingKeyResources } from '../keys/key-resource.js';
import { costReport } from '../services/kms/cost.js';
import { quotaSubjects } from '../services/kms/usage/quota-subjects.js';
import { coverageFindings, coverageSpan, SCAN_INCOMPLETE } from '../rules/scan-coverage.js';
import { computeScores } from './score.js';
import { summariseByAccount } from './by-account.js';

/**
 * The rules engine: inventory + policy in, report out. Pure: no AWS, no
 * clock, no randomness. Everything is sorted so the same input gives a
 * byte-identical report.
 */
export interface EvaluateOptions {
  failOn: FailOn;
  rules?: readonly Rule[];
  /** Limit the report to the rules mapped to this framework and add the per-control summary. */
  compliance?: FrameworkId;
}

/**
 * Order of work: scope → rules → severity overrides → compliance results →
 * waivers → (compliance filter) → sort → summary, scores, outcome. "Today"
 * for waiver expiry is the scan's finishedAt, never the clock.
 */
export function evaluate(inventory: Inventory, policy: Policy, options: EvaluateOptions): Report {
  // SCAN.INCOMPLETE cannot be turned off: an unread resource is never a pass.
  const disabled = new Set(policy.disabledRules.filter((id) => id !== SCAN_INCOMPLETE.id));
  const rules = (options.rules ?? RULES).filter((rule) => !disabled.has(rule.id));
  const context = buildContext(inventory, policy);
  // Every key record of a scanned account is judged, whether or not the KMS
  // check listed it. Without a scope every resource is in it: no copy of a
  // 100,000-resource list when nothing is missing or filtered.
  const missing = missingKeyResources(inventory.keys, inventory.resources);
  const all = missing.length === 0 ? inventory.resources : [...inventory.resources, ...missing];
  const resources = policy.scope ? all.filter((r) => inScope(policy.scope, r)) : all;
  const findings: Finding[] = [];
  const refs = sharedComplianceRefs(context.keyByArn);

  // KMS request quotas (--usage) are judged like resources but are not
  // resources: they stay out of `resources`, the counts and the scores.
  const subjects = quotaSubjects(inventory.usage).filter((s) => inScope(policy.scope, s));
  for (const list of [resources, subjects]) {
    for (const resource of list) {
      for (const rule of rules) {
        if (!rule.appliesTo(resource)) continue;
        findings.push(judge(rule, resource, context, refs));
      }
    }
  }
  const errors = inventory.scan.errors;
  coverageFindings(errors, inventory.scan.partition, inventory.scan.accountId).forEach((finding, i) => {
    if (coverageInScope(policy, finding, coverageSpan(errors[i]!))) findings.push(finding);
  });
  for (const finding of findings) {
    const override = policy.severity[finding.ruleId];
    if (override) finding.severity = override;
  }

  // Waivers see every finding (so a waiver is stale only if nothing at all matches it).
  const waivers = applyWaivers(findings, policy.waivers ?? [], context.asOf, codeAddresses(resources));
  const framework = options.compliance ? frameworkByName(options.compliance)?.id : undefined;
  if (options.compliance && !framework) throw new Error(`unknown compliance framework "${options.compliance}"`);
  const covered = framework ? coveredServices(framework) : new Set<string>();
  const reported = framework ? findings.filter((f) => inFramework(f, framework, covered)) : findings;

  const sorted = sortFindings(reported);
  const cost = costReport(inventory.keys, resources, undefined, { ...(inventory.usage ? { usage: inventory.usage } : {}), regions: inventory.scan.regions, accountId: inventory.scan.accountId });
  const scores = computeScores(resources, sorted);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: inventory.tool,
    scan: inventory.scan,
    policy: reportPolicy(policy, all.length - resources.length),
    keys: reportKeys(inventory.keys, context.dependentsByKey, cost),
    resources,
    findings: sorted,
    summary: { ...summarise(resources, sorted), byAccount: summariseByAccount(resources, sorted) },
    outcome: decideOutcome(sorted, options.failOn),
    cost,
    ...(waivers.length > 0 ? { waivers } : {}),
    scores,
    ...(framework
      ? {
          compliance: summariseCompliance(framework, sorted, {
            activeRules: new Set(rules.map((r) => r.id)),
            disabledRules: disabled,
            services: new Set(inventory.scan.services.filter((s) => !policy.scope?.services || policy.scope.services.includes(s))),
          }),
        }
      : {}),
  };
}

/** Each key with its dependants (the reverse index) and its estimated monthly charge. */
function reportKeys(keys: readonly KeyRecord[], dependentsByKey: ReadonlyMap<string, readonly Resource[]>, cost: CostReport): ReportKey[] {
  const costByArn = new Map(cost.keys.map((c) => [c.keyArn, c.monthlyCostUsd]));
  return keys.map((key) => {
    const dependents = dependentsByKey.get(key.arn) ?? [];
    return {
      ...key,
      dependents: [...new Set(dependents.map((r) => r.arn))].sort(compareStrings),
      dependentsByService: countByService(dependents),
      monthlyCostUsd: costByArn.get(key.arn) ?? null,
    };
  });
}

/**
 * A coverage finding about a resource obeys the whole scope; one about a
 * service in a region, the service and region scope (an unreadable region
 * may hide in-scope resources, so include/exclude cannot drop it); one about
 * an account-wide listing (S3 ListBuckets), only the service scope.
 */
function coverageInScope(policy: Policy, f: Finding, span: ReturnType<typeof coverageSpan>): boolean {
  if (!policy.scope) return true;
  const item = { service: f.service, region: f.region, arn: f.resourceArn };
  if (span === 'resource') return inScope(policy.scope, item);
  const { services, regions } = policy.scope;
  return inScope({ ...(services ? { services } : {}), ...(regions && span === 'service-region' ? { regions } : {}) }, item);
}

function reportPolicy(policy: Policy, excludedResources: number): ReportPolicy {
  const out: ReportPolicy = { name: policy.name, description: policy.description };
  if (policy.sources && policy.sources.length > 0) out.sources = [...policy.sources];
  const disabledRules = policy.disabledRules.filter((id) => id !== SCAN_INCOMPLETE.id);
  if (disabledRules.length > 0) {
    out.disabledRules = [...new Set(disabledRules)].sort().map((ruleId) => ({
      ruleId,
      reason: policy.disabledRuleReasons?.[ruleId] ?? `turned off by policy "${policy.name}"`,
    }));
  }
  const severity = sortBy(Object.entries(policy.severity), ([id]) => [id]);
  if (severity.length > 0) out.severity = Object.fromEntries(severity);
  if (policy.levelFailureSeverity) out.levelFailureSeverity = policy.levelFailureSeverity;
  if (policy.quotaHeadroomPercent !== undefined) out.quotaHeadroomPercent = policy.quotaHeadroomPercent;
  if (policy.scope) out.scope = { ...policy.scope, excludedResources };
  return out;
}

/**
 * The moment a waiver stops suppressing: a date alone is valid through the
 * end of that day (UTC), a date-time until that instant.
 */
export function waiverExpiry(expires: string): number {
  if (/^\d{4}-\d{2}-\d{2}$/.test(expires)) {
    const [y, m, d] = expires.split('-').map(Number) as [number, number, number];
    return Date.UTC(y, m - 1, d + 1);
  }
  return new Date(expires).getTime();
}

/**
 * Rule `*` matches every rule but SCAN.INCOMPLETE: an unread resource is
 * excused only by a waiver that names SCAN.INCOMPLETE, so the exception for
 * what could not be read is explicit, owned and expiring.
 */
export function waiverMatches(waiver: Waiver, finding: Finding, addresses: readonly string[] = []): boolean {
  const rule = waiver.rule === finding.ruleId || (waiver.rule === '*' && finding.ruleId !== SCAN_INCOMPLETE.id);
  // A resource read from infrastructure code also answers to its Terraform address or logical id.
  return rule && (globMatch(waiver.resource, finding.resourceArn) || addresses.some((a) => globMatch(waiver.resource, a)));
}

/** ARN → the Terraform address or logical id (and the record's id, for a block of it), for resources read from code; live resources have none. */
function codeAddresses(resources: readonly Resource[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of resources) if (r.source) out.set(r.arn, [...new Set([r.source.address, r.id])]);
  return out;
}

/**
 * Failing and unknown findings matched by an active waiver become
 * `suppressed` and carry the waiver; matched only by expired waivers, they
 * keep their status (and so still count at --fail-on) and carry the expired
 * waiver. The first waiver in policy order wins. Returns every waiver with
 * its status: expired (as of the scan's end), stale (matches no failing or
 * unknown finding) or active.
 */
function applyWaivers(findings: Finding[], waivers: readonly Waiver[], asOf: Date, addresses: ReadonlyMap<string, string[]>): WaiverResult[] {
  if (waivers.length === 0) return [];
  const now = asOf.getTime();
  const expired = waivers.map((w) => !(now < waiverExpiry(w.expires)));
  const matched = waivers.map(() => 0);
  for (const finding of findings) {
    if (finding.status !== 'fail' && finding.status !== 'unknown') continue;
    let active: number | undefined;
    let lapsed: number | undefined;
    const address = addresses.get(finding.resourceArn);
    waivers.forEach((w, i) => {
      if (!waiverMatches(w, finding, address)) return;
      matched[i] = matched[i]! + 1;
      if (!expired[i]) active ??= i;
      else lapsed ??= i;
    });
    const chosen = active ?? lapsed;
    if (chosen === undefined) continue;
    finding.waiver = { ...waiverTerms(waivers[chosen]!), status: active !== undefined ? 'active' : 'expired' };
    if (active !== undefined) {
      finding.status = 'suppressed';
      finding.compliance = suppressRefs(finding.compliance);
    }
  }
  return waivers.map((w, i) => ({
    ...waiverTerms(w),
    status: expired[i] ? 'expired' : matched[i] === 0 ? 'stale' : 'active',
    matched: matched[i]!,
  }));
}

/** The terms of a waiver as the report repeats them (a copy; source only when known). */
function waiverTerms(w: Waiver): WaiverTerms {
  return { rule: w.rule, resource: w.resource, reason: w.reason, owner: w.owner, expires: w.expires, ...(w.source ? { source: w.source } : {}) };
}

function buildContext(inventory: Inventory, policy: Policy): RuleContext {
  const keyByArn = new Map(inventory.keys.map((k) => [k.arn, k]));
  const dependentsByKey = dependentsIndex(inventory.resources);
  const asOf = new Date(inventory.scan.finishedAt);
  // Per-evaluation caches of the rules (RuleContext.memo): built on first use, gone with the context.
  const memos = new Map<string, unknown>();
  const memo = <T>(key: string, compute: () => T): T => {
    if (!memos.has(key)) memos.set(key, compute());
    return memos.get(key) as T;
  };
  let resourceByArn: Map<string, Resource> | undefined;
  return {
    policy,
    inventory,
    keyByArn,
    // Built when a rule first asks (few do): one entry per resource, the last of an ARN wins.
    get resourceByArn() {
      if (!resourceByArn) {
        resourceByArn = new Map();
        for (const r of inventory.resources) resourceByArn.set(r.arn, r);
      }
      return resourceByArn;
    },
    dependentsByKey,
    asOf: Number.isNaN(asOf.getTime()) ? new Date(0) : asOf,
    memo,
  };
}

function judge(rule: Rule, resource: Resource, context: RuleContext, refs: ReturnType<typeof sharedComplianceRefs>): Finding {
  const outcome = rule.evaluate(resource, context);
  const finding: Finding = {
    ruleId: rule.id,
    resourceArn: resource.arn,
    accountId: resource.accountId,
    service: resource.service,
    resourceType: resource.type,
    region: resource.region,
    status: outcome.status,
    severity: outcome.severity ?? rule.severity,
    title: rule.title,
    message: outcome.message,
    remediation: outcome.status === 'fail' ? (outcome.remediation !== undefined ? outcome.remediation : rule.remediation(resource, context)) : null,
    // From the rule's compliance mappings, the only source (src/compliance/by-rule.ts).
    compliance: refs(rule.id, outcome.status, resource),
  };
  if (outcome.requiredLevel) finding.requiredLevel = outcome.requiredLevel;
  if (outcome.override) finding.override = { ...outcome.override };
  return finding;
}


/**
 * Findings in report order: status (STATUS_ORDER), severity, rule id,
 * resource ARN, message; equal findings keep their order. Without a
 * comparison sort of the findings: rule ids and ARNs are ranked (one string
 * sort of the distinct ARNs, found per run of equal ones, since a
 * resource's findings come one after another), then two stable counting
 * passes order the findings by ARN rank and by (status, severity, rule);
 * only findings equal in all of these (one rule, two resources with the
 * same ARN) compare their messages.
 */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  const n = findings.length;
  const rules = rankStrings(findings.map((f) => f.ruleId));
  // Runs of findings with the same ARN: runOf[i] is finding i's run, runStart[r] the first finding of run r.
  const runOf = new Uint32Array(n);
  const runStart: number[] = [];
  for (let i = 0; i < n; i += 1) {
    if (i === 0 || findings[i]!.resourceArn !== findings[i - 1]!.resourceArn) runStart.push(i);
    runOf[i] = runStart.length - 1;
  }
  const arnOf = (r: number): string => findings[runStart[r]!]!.resourceArn;
  const byArn = runStart.map((_, r) => r).sort((a, b) => compareStrings(arnOf(a), arnOf(b)));
  // Equal ARNs in different runs get the same rank.
  const runRank = new Uint32Array(runStart.length);
  let arns = 0;
  byArn.forEach((r, i) => {
    if (i > 0 && arnOf(r) !== arnOf(byArn[i - 1]!)) arns += 1;
    runRank[r] = arns;
  });
  arns += 1;
  const arnRank = new Uint32Array(n);
  // (status, severity, rule) as one number: statusRank and severityRank are -1..4, shifted by one, six values each.
  const group = new Uint32Array(n);
  for (let i = 0; i < n; i += 1) {
    const f = findings[i]!;
    arnRank[i] = runRank[runOf[i]!]!;
    group[i] = ((statusRank(f.status) + 1) * 6 + severityRank(f.severity) + 1) * rules.size + rules.get(f.ruleId)!;
  }
  const byArnRank = countingSort(Uint32Array.from({ length: n }, (_, i) => i), arnRank, arns);
  const order = countingSort(byArnRank, group, 36 * rules.size);
  // Ties on everything but the message: by message, then (stable) by position.
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && group[order[end]!] === group[order[start]!] && arnRank[order[end]!] === arnRank[order[start]!]) end += 1;
    if (end - start > 1) order.subarray(start, end).set([...order.subarray(start, end)].sort((a, b) => compareStrings(findings[a]!.message, findings[b]!.message) || a - b));
    start = end;
  }
  return Array.from(order, (i) => findings[i]!);
}

/** `items` (indices) stably reordered by `key[item]`, keys in 0..size-1. */
function countingSort(items: Uint32Array, key: Uint32Array, size: number): Uint32Array {
  const starts = new Uint32Array(size + 1);
  for (const item of items) starts[key[item]! + 1]! += 1;
  for (let k = 1; k <= size; k += 1) starts[k]! += starts[k - 1]!;
  const out = new Uint32Array(items.length);
  for (const item of items) out[starts[key[item]!]!++] = item;
  return out;
}

function zeroes<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
}

function emptyServiceSummary(): ServiceSummary {
  return { resources: 0, byLevel: zeroes(PROTECTION_LEVELS), bySeverity: zeroes(SEVERITIES), byStatus: zeroes(FINDING_STATUSES) };
}

function summarise(resources: readonly Resource[], findings: readonly Finding[]): ReportSummary {
  const byService: Record<string, ServiceSummary> = {};
  const present = new Set<string>();
  for (const r of resources) present.add(r.service);
  for (const f of findings) present.add(f.service);
  for (const service of SERVICES) if (present.has(service)) byService[service] = emptyServiceSummary();
  for (const service of [...present].sort()) byService[service] ??= emptyServiceSummary();
  const byLevel: Record<ProtectionLevel, number> = zeroes(PROTECTION_LEVELS);
  const bySeverity: Record<Severity, number> = zeroes(SEVERITIES);
  const byStatus: Record<FindingStatus, number> = zeroes(FINDING_STATUSES);
  for (const resource of resources) {
    const s = byService[resource.service]!;
    s.resources += 1;
    s.byLevel[resource.protection.level] += 1;
    byLevel[resource.protection.level] += 1;
  }
  for (const finding of findings) {
    const s = byService[finding.service]!;
    s.byStatus[finding.status] += 1;
    byStatus[finding.status] += 1;
    if (finding.status === 'fail') {
      s.bySeverity[finding.severity] += 1;
      bySeverity[finding.severity] += 1;
    }
  }
  return { byService, bySeverity, byLevel, byStatus };
}

/**
 * The CI contract: 1 on a failure at or above the threshold, else 3 when
 * anything is unknown, else 0. The reason says why in words; it never repeats
 * the threshold as a flag (reporters print `--fail-on` from `failOn`).
 */
export function decideOutcome(findings: readonly Finding[], failOn: FailOn): Outcome {
  let failing = 0;
  let unknown = 0;
  for (const f of findings) {
    if (f.status === 'fail' && atOrAbove(f.severity, failOn)) failing += 1;
    else if (f.status === 'unknown') unknown += 1;
  }
  if (failing > 0) {
    return { failOn, exitCode: 1, reason: `${failing} failing finding(s) at or above ${failOn}` };
  }
  if (unknown > 0) {
    return { failOn, exitCode: 3, reason: `${unknown} result(s) unknown: the scan could not read everything` };
  }
  return { failOn, exitCode: 0, reason: failOn === 'none' ? 'no unknown results, and no severity fails the run' : `no failing finding at or above ${failOn}` };
}
