import type { Inventory, KeyRecord, Resource } from '../model/inventory.js';
import { PROTECTION_LEVELS, type ProtectionLevel } from '../model/levels.js';
import { REPORT_SCHEMA_VERSION, type CostReport, type Finding, type Outcome, type Report, type ReportKey, type ReportSummary, type ServiceSummary } from '../model/report.js';
import { SERVICES } from '../model/services.js';
import { FINDING_STATUSES, SEVERITIES, atOrAbove, severityRank, type FailOn, type FindingStatus, type Severity } from '../model/severity.js';
import { compareStrings, sortBy } from '../util/sort.js';
import { RULES } from './catalog.js';
import type { Policy } from './policy.js';
import type { Rule, RuleContext } from './rule.js';
import { countByService, dependentsIndex } from './key-dependents.js';
import { costReport } from './kms-cost.js';
import { coverageFindings } from './scan-coverage.js';

/**
 * The rules engine: inventory + policy in, report out. Pure: no AWS, no
 * clock, no randomness. Everything is sorted so the same input gives a
 * byte-identical report.
 */
export interface EvaluateOptions {
  failOn: FailOn;
  rules?: readonly Rule[];
}

export function evaluate(inventory: Inventory, policy: Policy, options: EvaluateOptions): Report {
  const rules = (options.rules ?? RULES).filter((rule) => !policy.disabledRules.includes(rule.id));
  const context = buildContext(inventory, policy);
  const findings: Finding[] = [];

  for (const resource of inventory.resources) {
    for (const rule of rules) {
      if (!rule.appliesTo(resource)) continue;
      findings.push(judge(rule, resource, context));
    }
  }
  findings.push(
    ...coverageFindings(inventory.scan.errors, inventory.scan.partition, inventory.scan.accountId).filter(
      (f) => !policy.disabledRules.includes(f.ruleId),
    ),
  );
  for (const finding of findings) {
    const override = policy.severity[finding.ruleId];
    if (override) finding.severity = override;
  }

  const sorted = sortFindings(findings);
  const cost = costReport(inventory.keys, inventory.resources);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: inventory.tool,
    scan: inventory.scan,
    policy: { name: policy.name, description: policy.description },
    keys: reportKeys(inventory.keys, context.dependentsByKey, cost),
    resources: inventory.resources,
    findings: sorted,
    summary: summarise(inventory.resources, sorted),
    outcome: decideOutcome(sorted, options.failOn),
    cost,
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

function buildContext(inventory: Inventory, policy: Policy): RuleContext {
  const keyByArn = new Map(inventory.keys.map((k) => [k.arn, k]));
  const dependentsByKey = dependentsIndex(inventory.resources);
  const asOf = new Date(inventory.scan.finishedAt);
  return { policy, inventory, keyByArn, dependentsByKey, asOf: Number.isNaN(asOf.getTime()) ? new Date(0) : asOf };
}

function judge(rule: Rule, resource: Resource, context: RuleContext): Finding {
  const outcome = rule.evaluate(resource, context);
  return {
    ruleId: rule.id,
    resourceArn: resource.arn,
    service: resource.service,
    resourceType: resource.type,
    region: resource.region,
    status: outcome.status,
    severity: outcome.severity ?? rule.severity,
    title: rule.title,
    message: outcome.message,
    remediation: outcome.status === 'fail' ? (outcome.remediation !== undefined ? outcome.remediation : rule.remediation(resource, context)) : null,
    compliance: rule.compliance,
  };
}

const STATUS_ORDER: FindingStatus[] = ['fail', 'unknown', 'suppressed', 'not-applicable', 'pass'];

export function sortFindings(findings: Finding[]): Finding[] {
  return sortBy(findings, (f) => [STATUS_ORDER.indexOf(f.status), severityRank(f.severity), f.ruleId, f.resourceArn, f.message]);
}

function zeroes<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
}

function emptyServiceSummary(): ServiceSummary {
  return { resources: 0, byLevel: zeroes(PROTECTION_LEVELS), bySeverity: zeroes(SEVERITIES), byStatus: zeroes(FINDING_STATUSES) };
}

function summarise(resources: readonly Resource[], findings: readonly Finding[]): ReportSummary {
  const byService: Record<string, ServiceSummary> = {};
  const present = new Set<string>([...resources.map((r) => r.service), ...findings.map((f) => f.service)]);
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

/** The CI contract: 1 on a failure at or above the threshold, else 3 when anything is unknown, else 0. */
export function decideOutcome(findings: readonly Finding[], failOn: FailOn): Outcome {
  const failing = findings.filter((f) => f.status === 'fail' && atOrAbove(f.severity, failOn));
  if (failing.length > 0) {
    return { failOn, exitCode: 1, reason: `${failing.length} failing finding(s) at or above ${failOn}` };
  }
  const unknown = findings.filter((f) => f.status === 'unknown');
  if (unknown.length > 0) {
    return { failOn, exitCode: 3, reason: `${unknown.length} result(s) unknown: the scan could not read everything` };
  }
  return { failOn, exitCode: 0, reason: failOn === 'none' ? 'no unknown results (--fail-on none)' : `no failing finding at or above ${failOn}` };
}
