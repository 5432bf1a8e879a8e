import type { Inventory, KeyRecord, Resource } from '../model/inventory.js';
import type { Remediation } from '../model/report.js';
import type { FindingStatus, Severity } from '../model/severity.js';
import type { ProtectionLevel } from '../model/levels.js';
import type { OverrideRef, Policy } from '../model/policy.js';

/**
 * A rule is data plus one pure function: it never calls AWS and never reads
 * the clock (dates come from the inventory), so the same inventory and policy
 * always give the same findings.
 *
 * The compliance controls a rule evidences are not part of the rule: they
 * sit beside it, in its service folder's compliance.ts, keyed by rule id
 * (a test fails when a catalog rule has no entry there).
 *
 * The engine builds one RuleContext per evaluation. Anything a rule would
 * otherwise compute again for every resource (an index, a count per region)
 * is kept in it, through `memo`, so it lives exactly as long as the
 * evaluation: no module-level caches.
 */
export interface RuleContext {
  policy: Policy;
  inventory: Inventory;
  keyByArn: ReadonlyMap<string, KeyRecord>;
  /** Every inventory resource by ARN (rules that look up a related resource use it). */
  resourceByArn: ReadonlyMap<string, Resource>;
  /** Resources that depend on each key ARN (the reverse of protection.keyArn). */
  dependentsByKey: ReadonlyMap<string, readonly Resource[]>;
  /** The scan's end time: "now" for rules that compare dates. */
  asOf: Date;
  /** The value `compute` gives, computed once per evaluation under `key` (a name unique to the caller). */
  memo<T>(key: string, compute: () => T): T;
}

export interface RuleOutcome {
  status: Exclude<FindingStatus, 'suppressed'>;
  message: string;
  /** Replaces the rule's severity for this finding (e.g. unencrypted vs weak key). */
  severity?: Severity;
  /** Replaces the rule's remediation for this finding. */
  remediation?: Remediation | null;
  /** The level the policy required of the resource (level rules): reported, and used by the score. */
  requiredLevel?: ProtectionLevel;
  /** The tag override that decided the requirement, when one did. */
  override?: OverrideRef | null;
}

export interface Rule {
  id: string;
  title: string;
  rationale: string;
  severity: Severity;
  /** The matrix facts (field names of ServiceMatrixEntry) the rule relies on. */
  matrixFacts: string[];
  /** Which resources the rule speaks about; others get no finding at all. */
  appliesTo(resource: Resource): boolean;
  evaluate(resource: Resource, context: RuleContext): RuleOutcome;
  /** The fix when the rule fails; the matrix provides most of it. */
  remediation(resource: Resource, context: RuleContext): Remediation | null;
  /**
   * The fix in one line, where it is the same for every failing resource
   * (`atrest rules` lists it). Absent where the fix depends on the resource;
   * test/engine/rule-index.test.ts checks that every failing finding of a rule
   * that has one carries exactly this summary.
   */
  remediationSummary?: string;
}
