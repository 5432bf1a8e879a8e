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

export interface Report {
  schemaVersion: string;
  tool: Inventory['tool'];
  scan: ScanInfo;
  policy: { name: string; description: string };
  keys: KeyRecord[];
  resources: Resource[];
  findings: Finding[];
  summary: ReportSummary;
  outcome: Outcome;
}
