import type { Inventory, ScanInfo } from './inventory.js';
import type { CostReport, Finding, Outcome, ReportKey } from './report.js';

/**
 * `atrest keys --format json` (schema/keys.schema.json): the key-centred view
 * of a report. Every key of the report with its dependants, its monthly cost,
 * a one-line rotation summary and the findings about it. Names are public:
 * add, never rename.
 */
export const KEYS_REPORT_SCHEMA_VERSION = '1.0';

/** A finding about the key, as the key's entry repeats it. */
export type KeyFindingRef = Pick<Finding, 'ruleId' | 'status' | 'severity' | 'message'>;

export interface KeyView extends ReportKey {
  /** "on, every 365 days (3 rotations)", "off", "not applicable: imported material (rotate on demand)", … */
  rotationSummary: string;
  /** PRIMARY or REPLICA with the other members' regions, for multi-Region keys; null otherwise. */
  multiRegionSummary: string | null;
  /** Failing and undecided findings whose resource is this key, most serious first. */
  findings: KeyFindingRef[];
}

export interface KeysReport {
  kind: 'atrest-keys';
  schemaVersion: string;
  tool: Inventory['tool'];
  scan: ScanInfo;
  policy: { name: string; description: string };
  /** Customer managed keys of the scanned account first, most expensive first; then the rest by ARN. */
  keys: KeyView[];
  /** customerManaged, awsManaged and unknown count the scanned account's keys; otherAccounts the rest. */
  counts: {
    keys: number;
    customerManaged: number;
    awsManaged: number;
    otherAccounts: number;
    unknown: number;
    multiRegionReplicas: number;
    withoutDependents: number;
  };
  /** The failing and undecided key findings (KMS.* rules, KMS scan errors), most serious first, with their remediation. */
  findings: Finding[];
  /** Resources of the scanned services that could not be read: their keys, and so some dependants, may be missing. */
  unreadableResources: number;
  cost: CostReport;
  /** The CI contract over the key findings (KMS.* rules and KMS scan errors). */
  outcome: Outcome;
}
