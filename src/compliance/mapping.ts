import type { ProtectionLevel } from '../model/levels.js';
import type { ControlTest } from '../model/rules-index.js';
import type { FrameworkId } from './frameworks.js';

/**
 * How a rule's compliance mappings are written (in each service folder's
 * compliance.ts): which controls of which framework a rule evidences, and
 * how the control's result for one resource is decided.
 */

/** Which of the rule's resources the control looks at (others are not-applicable for it). */
export type ControlScope =
  /** EBS volumes in use (attached to an instance). */
  'attached-volume';

export interface ControlMapping {
  framework: FrameworkId;
  control: string;
  /** Default: rule-status. ControlTest (src/model/rules-index.ts) is what `atrest rules` publishes. */
  test?: ControlTest;
  scope?: ControlScope;
}

export interface RuleCompliance {
  mappings: ControlMapping[];
  /** Controls that look related but are deliberately not mapped, and why. */
  notMapped?: Array<{ framework: FrameworkId; control: string; why: string }>;
  /** Why the rule maps to no control at all. */
  none?: string;
  /** The behaviour of the rule that the mapping relies on. */
  assumes?: string;
}

const atLeast = (level: ProtectionLevel): ControlTest => ({ kind: 'level-at-least', level });

/** The control passes when the resource is encrypted at all. */
export const encrypted: ControlTest = atLeast('aws-owned');
/** The control passes when a KMS key (AWS managed or customer managed) protects the resource. */
export const kmsKey: ControlTest = atLeast('aws-managed');
/** The control passes only with a customer managed key. */
export const customerKey: ControlTest = atLeast('customer-managed');

/** One mapping: a control of a framework, with its test and scope when they are not the defaults. */
export const m = (framework: FrameworkId, control: string, test?: ControlTest, scope?: ControlScope): ControlMapping => ({
  framework,
  control,
  ...(test ? { test } : {}),
  ...(scope ? { scope } : {}),
});

/** The reason for a rule that no framework covers. */
export const NO_CONTROL = (what: string): string => `no control of Security Hub, CIS v3.0/v5.0 or an AWS Config managed rule checks ${what}`;
