import type { Inventory } from './inventory.js';
import type { ProtectionLevel } from './levels.js';
import type { Severity } from './severity.js';

/**
 * `atrest rules --format json` (schema/rules.schema.json): every rule atrest
 * evaluates, what it relies on, its fix and the compliance controls it
 * evidences, from the compliance data file. An auditor's index; names are
 * public: add, never rename.
 */
export const RULES_INDEX_SCHEMA_VERSION = '1.0';

/** How a control's result for one resource is decided (src/services/<service>/compliance.ts maps rules with it). */
export type ControlTest =
  /** The control passes exactly when the rule does. */
  | { kind: 'rule-status' }
  /** The control's own threshold on the resource's protection level (`unknown` stays unknown). */
  | { kind: 'level-at-least'; level: ProtectionLevel }
  /** KMS key resources: automatic rotation on, where rotation exists. */
  | { kind: 'key-rotation-enabled' };

export interface RuleIndexControl {
  framework: string;
  control: string;
  /** The control's title, as the framework words it. */
  title: string;
  /** The page that defines the control (or, for CIS, lists it with this number). */
  source: string;
  /**
   * How the control's result for a resource is decided: `rule-status` (the
   * rule's own), `level-at-least` (the control's own threshold on the
   * protection level, whatever the policy demands) or `key-rotation-enabled`.
   */
  test: ControlTest;
  /** Which of the rule's resources the control looks at, when not all (attached-volume: EBS volumes in use). */
  scope: string | null;
}

export interface RuleIndexEntry {
  /** The stable public id (waivers, severity overrides and scripts use it). */
  id: string;
  title: string;
  /** The default severity of a failure; some findings raise or lower it (their messages say why) and policies can override it. */
  severity: Severity;
  rationale: string;
  /** The facts of the per-service matrix (`atrest matrix`) the rule relies on. */
  matrixFacts: string[];
  /** The fix in one line where it is the same for every resource; null where each finding carries its own. */
  remediation: string | null;
  /** The controls the rule evidences (src/services/<service>/compliance.ts). */
  compliance: RuleIndexControl[];
  /** Related controls deliberately not mapped, and why. */
  notMapped: Array<{ framework: string; control: string; why: string }>;
  /** Why the rule maps to no control at all; null when it maps some, or when notMapped says why. */
  noControl: string | null;
}

export interface RulesIndex {
  kind: 'atrest-rules';
  schemaVersion: string;
  tool: Inventory['tool'];
  /** The frameworks the controls belong to. */
  frameworks: Array<{ id: string; title: string; source: string }>;
  /** By id. */
  rules: RuleIndexEntry[];
}
