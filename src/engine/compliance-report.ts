import type { KeyRecord, Resource } from '../model/inventory.js';
import { meetsMinimum } from '../model/levels.js';
import type { ComplianceRef, ComplianceSummary, ControlResult, ControlStatus, Finding } from '../model/report.js';
import { FINDING_STATUSES, STATUS_ORDER, statusRank, type FindingStatus } from '../model/severity.js';
import { sortBy } from '../util/sort.js';
import { COMPLIANCE, mappingsFor, serviceOfRule } from '../compliance/by-rule.js';
import { CONTROLS, FRAMEWORKS, frameworkSet, type FrameworkId } from '../compliance/frameworks.js';
import type { ControlMapping } from '../compliance/mapping.js';
import { automaticRotationApplies } from '../keys/rotation.js';
import { PENDING_DELETION_STATES } from '../keys/states.js';

/**
 * Evaluates the compliance data file: the control result of each finding,
 * and the per-control summary of `--compliance FRAMEWORK`.
 */

/** Is this EBS volume attached? undefined when the inventory does not say. */
export function attachedVolume(resource: Resource): boolean | undefined {
  const a = resource.attributes;
  const e = resource.evidence;
  if (typeof a.attached === 'boolean') return a.attached;
  for (const list of [a.attachments, a.attachedInstanceIds, e.Attachments]) {
    if (Array.isArray(list)) return list.length > 0;
  }
  for (const state of [a.state, e.State]) {
    if (typeof state === 'string') return state === 'in-use';
  }
  return undefined;
}

function controlResult(mapping: ControlMapping, ruleStatus: FindingStatus, resource: Resource | undefined, keyByArn: ReadonlyMap<string, KeyRecord>): FindingStatus {
  if (mapping.scope === 'attached-volume') {
    if (!resource) return 'unknown';
    const attached = attachedVolume(resource);
    if (attached === undefined) return 'unknown';
    if (!attached) return 'not-applicable';
  }
  const test = mapping.test ?? { kind: 'rule-status' };
  switch (test.kind) {
    case 'rule-status':
      return ruleStatus;
    case 'level-at-least': {
      if (!resource) return 'unknown';
      const level = resource.protection.level;
      if (level === 'unknown') return 'unknown';
      return meetsMinimum(level, test.level) ? 'pass' : 'fail';
    }
    case 'key-rotation-enabled': {
      if (!resource) return 'unknown';
      const key = keyByArn.get(resource.arn);
      if (!key) return 'unknown';
      if (PENDING_DELETION_STATES.has(key.state)) return 'not-applicable';
      if (!automaticRotationApplies(key)) return 'not-applicable';
      if (key.rotation.enabled === null) return 'unknown';
      return key.rotation.enabled ? 'pass' : 'fail';
    }
  }
}

/** The compliance references of a finding, each with the control's result for the resource. */
export function complianceRefs(
  ruleId: string,
  ruleStatus: FindingStatus,
  resource: Resource | undefined,
  keyByArn: ReadonlyMap<string, KeyRecord>,
): ComplianceRef[] {
  return mappingsFor(ruleId).map((mapping) => ({
    framework: mapping.framework,
    control: mapping.control,
    status: controlResult(mapping, ruleStatus, resource, keyByArn),
  }));
}

/**
 * complianceRefs for one evaluation, with equal results shared: a report of
 * 100,000 resources has ~350,000 findings but only a few hundred distinct
 * reference lists (a rule's controls, each with one of five results), so
 * findings with the same list point at one frozen array instead of each
 * holding a copy. Frozen: a reporter or a later step that tried to change
 * one finding's references in place would throw rather than change them all
 * (suppressRefs makes a new list).
 */
export function sharedComplianceRefs(keyByArn: ReadonlyMap<string, KeyRecord>): (ruleId: string, ruleStatus: FindingStatus, resource: Resource | undefined) => ComplianceRef[] {
  const byRule = new Map<string, Map<string, ComplianceRef[]>>();
  return (ruleId, ruleStatus, resource) => {
    const mappings = mappingsFor(ruleId);
    if (mappings.length === 0) return NO_REFS;
    let lists = byRule.get(ruleId);
    if (!lists) byRule.set(ruleId, (lists = new Map()));
    const statuses = mappings.map((mapping) => controlResult(mapping, ruleStatus, resource, keyByArn));
    const id = statuses.join(' ');
    let refs = lists.get(id);
    if (!refs) {
      refs = Object.freeze(mappings.map((mapping, i) => Object.freeze({ framework: mapping.framework, control: mapping.control, status: statuses[i]! }))) as ComplianceRef[];
      lists.set(id, refs);
    }
    return refs;
  };
}

const NO_REFS = Object.freeze([]) as unknown as ComplianceRef[];

/** A suppressed finding: its failing or unknown control results count as suppressed too. */
export function suppressRefs(refs: ComplianceRef[]): ComplianceRef[] {
  return refs.map((r) => (r.status === 'fail' || r.status === 'unknown' ? { ...r, status: 'suppressed' } : r));
}

function worst(a: FindingStatus | undefined, b: FindingStatus): FindingStatus {
  if (a === undefined) return b;
  return statusRank(a) <= statusRank(b) ? a : b;
}

/** Does the finding belong in a report limited to `framework`? */
export function inFramework(finding: Finding, framework: FrameworkId, coveredServices: ReadonlySet<string>): boolean {
  const set = frameworkSet(framework);
  if (finding.compliance.some((c) => (set as string[]).includes(c.framework))) return true;
  // What could not be read for a service makes that service's controls unknown: keep it.
  return finding.ruleId === 'SCAN.INCOMPLETE' && coveredServices.has(finding.service);
}

/** The services whose rules evidence some control of the framework. */
export function coveredServices(framework: FrameworkId): Set<string> {
  const set = frameworkSet(framework) as string[];
  const services = new Set<string>();
  for (const [ruleId, entry] of Object.entries(COMPLIANCE)) {
    if (!entry.mappings.some((m) => set.includes(m.framework))) continue;
    const service = serviceOfRule(ruleId);
    if (service) services.add(service);
  }
  return services;
}

export interface EvaluationCoverage {
  /** Rule ids the engine ran (in this version's catalog and not turned off). */
  activeRules: ReadonlySet<string>;
  /** Rule ids the policy turned off. */
  disabledRules: ReadonlySet<string>;
  /** Services the inventory covers, within the policy's scope. */
  services: ReadonlySet<string>;
}

/**
 * Why a control cannot be evaluated at all, or undefined when it can: no
 * rule behind it ran, or none of its services was scanned.
 */
function notEvaluated(rules: string[], services: Set<string>, coverage: EvaluationCoverage): string | undefined {
  if (rules.length === 0) return 'no rule evidences it';
  if (!rules.some((r) => coverage.activeRules.has(r))) {
    const off = rules.filter((r) => coverage.disabledRules.has(r));
    const missing = rules.filter((r) => !coverage.disabledRules.has(r));
    return [off.length ? `${off.join(', ')} turned off by the policy` : '', missing.length ? `${missing.join(', ')} not in this version of atrest` : '']
      .filter(Boolean)
      .join('; ');
  }
  if (services.size > 0 && ![...services].some((s) => coverage.services.has(s))) {
    return `${[...services].sort().join(', ')} not scanned (or outside the policy's scope)`;
  }
  return undefined;
}

/**
 * The per-control page: every control of the framework the data file maps,
 * with the worst result per resource, counted by result.
 */
export function summariseCompliance(framework: FrameworkId, findings: readonly Finding[], coverage: EvaluationCoverage): ComplianceSummary {
  const set = frameworkSet(framework);
  const specs = set.flatMap((fw) =>
    Object.entries(CONTROLS[fw]).map(([control, info]) => {
      const rules = Object.entries(COMPLIANCE)
        .filter(([, entry]) => entry.mappings.some((m) => m.framework === fw && m.control === control))
        .map(([ruleId]) => ruleId)
        .sort();
      const services = new Set<string>(rules.map(serviceOfRule).filter((s) => s !== undefined));
      return { fw, control, info, rules, services, perResource: new Map<string, FindingStatus>() };
    }),
  );
  const byControl = new Map(specs.map((spec) => [`${spec.fw} ${spec.control}`, spec]));
  const record = (perResource: Map<string, FindingStatus>, arn: string, status: FindingStatus): void => {
    perResource.set(arn, worst(perResource.get(arn), status));
  };
  // One pass over the findings: each counts for the controls it references
  // (the first reference per control), and what could not be read for a
  // service counts for every control whose rules cover that service.
  for (const f of findings) {
    const seen = new Set<string>();
    const recorded = new Set<string>();
    for (const ref of f.compliance) {
      const key = `${ref.framework} ${ref.control}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const spec = byControl.get(key);
      if (spec && ref.status) {
        record(spec.perResource, f.resourceArn, ref.status);
        recorded.add(key);
      }
    }
    if (f.ruleId === 'SCAN.INCOMPLETE' && (f.status === 'unknown' || f.status === 'suppressed')) {
      for (const spec of specs) {
        if (!recorded.has(`${spec.fw} ${spec.control}`) && spec.services.has(f.service)) record(spec.perResource, f.resourceArn, f.status);
      }
    }
  }
  const controls: ControlResult[] = [];
  for (const { fw, control, info, rules, services, perResource } of specs) {
    const resources = Object.fromEntries(FINDING_STATUSES.map((s) => [s, 0])) as Record<FindingStatus, number>;
    for (const status of perResource.values()) resources[status] += 1;
    const failing = [...perResource.entries()].filter(([, s]) => s === 'fail' || s === 'unknown').map(([arn]) => arn).sort();
    let status: ControlStatus = 'not-applicable';
    for (const s of STATUS_ORDER) {
      if (resources[s] > 0) {
        status = s;
        break;
      }
    }
    const why = perResource.size === 0 ? notEvaluated(rules, services, coverage) : undefined;
    if (why) status = 'not-evaluated';
    controls.push({ framework: fw, control, title: info.title, source: info.source, status, rules, resources, failing, ...(why ? { note: why } : {}) });
  }
  const mapped = new Set(controls.map((c) => `${c.framework} ${c.control}`));
  const notEvidenced = new Map<string, { framework: string; control: string; rules: string[]; why: string }>();
  for (const [ruleId, entry] of Object.entries(COMPLIANCE)) {
    for (const nm of entry.notMapped ?? []) {
      if (!(set as string[]).includes(nm.framework) || mapped.has(`${nm.framework} ${nm.control}`)) continue;
      const key = `${nm.framework} ${nm.control}`;
      const existing = notEvidenced.get(key);
      if (existing) existing.rules.push(ruleId);
      else notEvidenced.set(key, { framework: nm.framework, control: nm.control, rules: [ruleId], why: nm.why });
    }
  }
  const totals = Object.fromEntries([...FINDING_STATUSES, 'not-evaluated'].map((s) => [s, 0])) as Record<ControlStatus, number>;
  for (const c of controls) totals[c.status] += 1;
  const info = FRAMEWORKS[framework];
  return {
    framework,
    title: info.title,
    source: info.source,
    controls: sortBy(controls, (c) => [c.framework, ...controlSortKey(c.control)]),
    notEvidenced: sortBy([...notEvidenced.values()], (n) => [n.framework, n.control]),
    totals,
  };
}

/** "EC2.10" after "EC2.3", "2.10" after "2.2.1": compare numeric parts as numbers. */
function controlSortKey(control: string): Array<string | number> {
  const parts: Array<string | number> = control.split(/([0-9]+)/).filter(Boolean).map((part) => (/^[0-9]+$/.test(part) ? Number(part) : part));
  while (parts.length < 8) parts.push('');
  return parts.slice(0, 8);
}
