import type { Inventory, KeyRecord, Resource, ScanInfo } from './inventory.js';
import type { ProtectionLevel } from './levels.js';
import type { FailOn, FindingStatus, Severity } from './severity.js';

/** The JSON report contract (schema/report.schema.json). Names here are public: add, never rename. */
export const REPORT_SCHEMA_VERSION = '1.0';

export interface ComplianceRef {
  /** e.g. aws-securityhub-fsbp, cis-aws-3.0, cis-aws-5.0, aws-config */
  framework: string;
  control: string;
}

export interface Remediation {
  summary: string;
  /** in-place, new-objects-only, rebuild-from-encrypted-copy, modify-in-place-with-migration, rotate-in-place */
  path: string;
  steps: string[];
  cli?: string;
  terraform?: string;
  cloudformation?: string;
  docs: string;
}

export interface Finding {
  ruleId: string;
  resourceArn: string;
  service: string;
  resourceType: string;
  region: string;
  status: FindingStatus;
  severity: Severity;
  title: string;
  message: string;
  remediation: Remediation | null;
  compliance: ComplianceRef[];
}

export interface ServiceSummary {
  resources: number;
  byLevel: Record<ProtectionLevel, number>;
  /** Failing findings per severity. */
  bySeverity: Record<Severity, number>;
  byStatus: Record<FindingStatus, number>;
}

export interface ReportSummary {
  byService: Record<string, ServiceSummary>;
  /** Failing findings per severity, all services. */
  bySeverity: Record<Severity, number>;
  /** Resources per protection level, all services. */
  byLevel: Record<ProtectionLevel, number>;
  byStatus: Record<FindingStatus, number>;
}

export interface Outcome {
  failOn: FailOn;
  exitCode: 0 | 1 | 3;
  reason: string;
}

/** A key as the report shows it: the inventory record plus what the engine derived. */
export interface ReportKey extends KeyRecord {
  /** ARNs of the resources whose protection names this key, sorted (the reverse index). */
  dependents: string[];
  /** Dependant counts per service. */
  dependentsByService: Record<string, number>;
  /** Estimated monthly key charge in USD (cost.keys has the breakdown); null when it cannot be estimated. */
  monthlyCostUsd: number | null;
}

export interface KeyCostLine {
  item: string;
  usd: number;
}

export interface KeyCost {
  keyArn: string;
  region: string;
  alias: string | null;
  monthlyCostUsd: number | null;
  /** False when part of the charge could not be known (e.g. rotation history unreadable): the figure is a lower bound. */
  complete: boolean;
  lines: KeyCostLine[];
  notes: string[];
}

export interface BucketWithoutBucketKey {
  bucketArn: string;
  region: string;
  keyArn: string | null;
  sseAlgorithm: string;
  /** The KMS request price every object request pays beyond the free tier. */
  requestPriceUsdPer10000: number;
  note: string;
}

export interface MultiRegionKeyOutsideScan {
  keyArn: string;
  region: string;
  /** The scanned multi-Region key whose configuration names it. */
  listedBy: string;
  /** Its key charge if it is enabled (its state was not read). */
  monthlyCostUsdIfEnabled: number;
}

/** The cost section: computed by the engine from the inventory and src/rules/kms-prices.ts. */
export interface CostReport {
  currency: string;
  /** Sum of the known per-key charges of the scanned account. */
  monthlyKeyChargesUsd: number;
  /** False when any key's charge is unknown or a lower bound. */
  complete: boolean;
  /** Per key, most expensive first. */
  keys: KeyCost[];
  keyCounts: { billed: number; free: number; unknown: number; multiRegionReplicas: number; rotationCharges: number };
  multiRegionKeysOutsideScan: MultiRegionKeyOutsideScan[];
  bucketsWithoutBucketKey: BucketWithoutBucketKey[];
  /** Request charges are not estimated: why, and the price. */
  requestCharges: string;
  prices: { source: string; checked: string; notes: string[] };
  notes: string[];
}

export interface Report {
  schemaVersion: string;
  tool: Inventory['tool'];
  scan: ScanInfo;
  policy: { name: string; description: string };
  keys: ReportKey[];
  resources: Resource[];
  findings: Finding[];
  summary: ReportSummary;
  outcome: Outcome;
  cost: CostReport;
}
