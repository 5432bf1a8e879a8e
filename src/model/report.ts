import type { Inventory, KeyRecord, Resource, ScanInfo } from './inventory.js';
import type { ProtectionLevel } from './levels.js';
import type { FailOn, FindingStatus, Severity } from './severity.js';
import type { RequestCost } from './request-cost.js';

/** The JSON report contract (schema/report.schema.json). Names here are public: add, never rename. */
export const REPORT_SCHEMA_VERSION = '1.0';

/** The rule id of the findings about what could not be read (src/rules/scan-coverage.ts): a public contract. */
export const SCAN_INCOMPLETE_ID = 'SCAN.INCOMPLETE';

export interface ComplianceRef {
  /** e.g. aws-securityhub-fsbp, aws-securityhub, cis-aws-3.0, cis-aws-5.0, aws-config */
  framework: string;
  control: string;
  /**
   * The control's result for this finding's resource, by the control's own
   * pass condition (src/services/<service>/compliance.ts) — it can differ from the
   * finding's status, which is judged against the policy.
   */
  status?: FindingStatus;
}

/** A waiver as the policy states it (src/policy/requirement.ts reads it; the report repeats it). */
export interface WaiverTerms {
  /** A rule id, or `*`. */
  rule: string;
  /** A resource ARN as the report prints it, or a glob (src/util/glob.ts). */
  resource: string;
  reason: string;
  owner: string;
  /** YYYY-MM-DD (valid through the end of that day, UTC) or an ISO date-time. */
  expires: string;
  /** FILE:LINE:COL of the waiver in the policy. */
  source?: string;
}

/** A waiver as it applies to one finding. */
export interface FindingWaiver extends WaiverTerms {
  /** `active`: it suppresses this finding; `expired`: it no longer does (the finding counts again). */
  status: 'active' | 'expired';
}

/** The tag override that decided a requirement (src/policy/requirement.ts calls it OverrideRef). */
export interface FindingOverride {
  name: string;
  /** Position in the resolved policy's tagOverrides. */
  index: number;
  tags: Record<string, string>;
  /** FILE:LINE:COL where it was written. */
  source?: string;
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
  /** The account of the resource (or of the failed call, for SCAN.INCOMPLETE). */
  accountId?: string;
  service: string;
  resourceType: string;
  region: string;
  status: FindingStatus;
  severity: Severity;
  title: string;
  message: string;
  remediation: Remediation | null;
  compliance: ComplianceRef[];
  /** The protection level the policy required (level rules). */
  requiredLevel?: ProtectionLevel;
  /** The tag override that decided the requirement, when one matched. */
  override?: FindingOverride;
  /** The waiver that suppresses this finding (status suppressed), or that expired (the finding still counts). */
  waiver?: FindingWaiver;
  /** `atrest iac`: the change to the code that fixes this failing finding (docs/iac.md). */
  fix?: CodeFix;
  /** With --baseline, on failing, unknown and suppressed findings: whether the baseline had it (same rule id and resource ARN). */
  baseline?: 'new' | 'existing';
}

/**
 * A fix written as code for one failing finding of a pre-deploy resource:
 * which resource (or new resource) to change, where, and the HCL or YAML to
 * write. Decided by src/iac/fixes.ts from the service's IaC knowledge.
 */
export interface CodeFix {
  format: 'terraform' | 'cloudformation';
  /** The file to change (null when the resource to add has no file yet, or a plan was read without --tf-dir). */
  file: string | null;
  /** The line of the attribute or block to change, else of the resource; null when unknown. */
  line: number | null;
  /** The Terraform address or logical id to change or add. */
  address: string;
  /** set: change or add attributes of an existing resource; add-resource: add the resource `code` declares. */
  action: 'set' | 'add-resource';
  /** What to change, in words. */
  summary: string;
  /** HCL (terraform) or YAML (cloudformation): the attributes, block or resource to write. */
  code: string;
  /** The key the code names, and where it came from; null when the fix names no key. */
  key: { value: string; from: 'policy.remediation.defaultKey' | 'policy.allowedKeys' | 'placeholder' } | null;
  /** The change makes the provider or CloudFormation replace the resource (a new, empty one unless data is migrated). */
  replacement: boolean;
  /** With replacement: how to move the data, in order. */
  runbook?: string[];
}

/** A finding of the baseline that no longer fails (it passes, is not applicable, or its resource is gone). */
export interface ResolvedFinding {
  ruleId: string;
  resourceArn: string;
  service: string;
  severity: Severity;
  title: string;
  /** Its status in the baseline. */
  was: FindingStatus;
  /** Its status now, or `absent` when no finding exists for it any more. */
  now: FindingStatus | 'absent';
}

export interface BaselineSummary {
  /** The baseline report's scan.finishedAt and evidence digest (when it had one). */
  finishedAt: string;
  digest: string | null;
  /** --fail-on-new: the exit code gates only on new findings. */
  failOnNew: boolean;
  counts: { new: number; existing: number; resolved: number };
  resolved: ResolvedFinding[];
}

/**
 * One entry of what needs attention: a finding, or the findings one cause
 * explains (a key that is disabled or pending deletion, and the findings of
 * its dependants), with the most serious severity among them.
 */
export interface TriageItem {
  severity: Severity;
  /** fail when any of its findings fails, else unknown. */
  status: 'fail' | 'unknown';
  /** Indices into findings[]; the cause's own finding first. */
  findings: number[];
  /** What explains every finding of the item (absent for a lone finding). */
  cause?: { resourceArn: string; summary: string };
  /** When it gets worse (key deletion, key material expiry), ISO; absent when nothing is dated. */
  dueAt?: string;
  dueReason?: string;
}

export interface Triage {
  /**
   * Failing findings, and unknown findings of high and critical severity,
   * most serious first; within a severity, the most urgent (dated) first,
   * then failures before unknowns, then the report's order.
   */
  items: TriageItem[];
  /** Unknown findings of medium, low and info severity (indices into findings[]), in report order. */
  undecided: number[];
}

export interface ServiceSummary {
  resources: number;
  byLevel: Record<ProtectionLevel, number>;
  /** Failing findings per severity. */
  bySeverity: Record<Severity, number>;
  byStatus: Record<FindingStatus, number>;
}

/** One account's share of the summary (issue 14): the same counts, and per service. */
export interface AccountSummary extends ServiceSummary {
  byService: Record<string, ServiceSummary>;
}

export interface ReportSummary {
  byService: Record<string, ServiceSummary>;
  /** The same counts per account, each also per service. */
  byAccount?: Record<string, AccountSummary>;
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

/** The cost section: computed by the engine from the inventory and src/services/kms/prices.ts. */
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
  /** The request charges in one sentence: measured with --usage (see `requests`), or why not and the price. */
  requestCharges: string;
  /** The monthly KMS request charge from the account's usage metrics, the quota headroom and the drivers (src/model/request-cost.ts). */
  requests: RequestCost;
  prices: { source: string; checked: string; notes: string[] };
  notes: string[];
}

/** What the report says about the policy that judged it. */
export interface ReportPolicy {
  name: string;
  description: string;
  /** The chain the policy was resolved from, most specific first (files and built-in names). */
  sources?: string[];
  /** Rules the policy turned off: no finding is produced for them. */
  disabledRules?: Array<{ ruleId: string; reason: string }>;
  /** The scope, when the policy limits it, and how many inventory resources it left out. */
  scope?: { services?: string[]; regions?: string[]; include?: string[]; exclude?: string[]; excludedResources: number };
  /** Severity overrides per rule id. */
  severity?: Record<string, Severity>;
  /** Severity of a level failure for an encrypted resource below the required level (tag overrides may set their own). */
  levelFailureSeverity?: Severity;
  /** The share of a KMS request quota at which KMS.QUOTA_HEADROOM fails, when the policy sets one. */
  quotaHeadroomPercent?: number;
  /** SHA-256 of the resolved policy as canonical JSON (src/engine/evidence.ts): the same policy always has the same digest. */
  digest?: string;
  /** The policy files the policy was resolved from, with the SHA-256 of each file's bytes. */
  files?: Array<{ path: string; sha256: string }>;
}

/** One waiver of the policy and what it did in this evaluation. */
export interface WaiverResult extends WaiverTerms {
  /** active: suppresses findings; expired: past its date (as of scan.finishedAt), suppresses nothing; stale: matches no failing or unknown finding. */
  status: 'active' | 'expired' | 'stale';
  /** Failing or unknown findings the waiver matches (suppressed when active). */
  matched: number;
}

export type Grade = 'A' | 'B' | 'C' | 'D' | 'F';

export interface ScoreValue {
  /** 0–100, integer. */
  score: number;
  grade: Grade;
}

export interface GroupScore extends ScoreValue {
  resources: number;
  /** Why the score is capped below its average, when it is. */
  cap?: string;
}

export interface ResourceScore extends ScoreValue {
  resourceArn: string;
  service: string;
  resourceType: string;
}

/** docs/scoring.md. */
export interface Scores {
  /** Formula version; a change of formula changes it. */
  formula: string;
  account: GroupScore;
  byService: Record<string, GroupScore>;
  /** Per scanned account, each also per service (the whole-scan score is `account`). */
  byAccount?: Record<string, GroupScore & { byService: Record<string, GroupScore> }>;
  resources: ResourceScore[];
}

export type ControlStatus = FindingStatus | 'not-evaluated';

export interface ControlResult {
  framework: string;
  control: string;
  title: string;
  source: string;
  /** fail > unknown > suppressed > pass > not-applicable; not-evaluated when no rule behind it ran or its services were not scanned (see note). */
  status: ControlStatus;
  rules: string[];
  /** Resources per result. */
  resources: Record<FindingStatus, number>;
  /** ARNs of the resources that fail the control (or are unknown), sorted. */
  failing: string[];
  /** Why the control is not-evaluated (rule off, rule not in this version, service not scanned). */
  note?: string;
}

/** `--compliance FRAMEWORK`: the per-control page an auditor files. */
export interface ComplianceSummary {
  framework: string;
  title: string;
  source: string;
  controls: ControlResult[];
  /** Related controls atrest deliberately does not evidence, and why. */
  notEvidenced: Array<{ framework: string; control: string; rules: string[]; why: string }>;
  totals: Record<ControlStatus, number>;
}

/** The JSON report's last member (docs/evidence.md): the digest of everything before it. */
export interface ReportEvidence {
  algorithm: 'sha256';
  /** Hex SHA-256 of the report body (see canonicalization). */
  digest: string;
  canonicalization: string;
}

export interface Report {
  schemaVersion: string;
  tool: Inventory['tool'];
  scan: ScanInfo;
  policy: ReportPolicy;
  keys: ReportKey[];
  resources: Resource[];
  findings: Finding[];
  summary: ReportSummary;
  outcome: Outcome;
  cost: CostReport;
  /** Every waiver of the policy with its status (absent when the policy has none). */
  waivers?: WaiverResult[];
  scores?: Scores;
  /** Present with --compliance. */
  compliance?: ComplianceSummary;
  /** With --baseline: the baseline report and the findings it had that are gone now (src/engine/baseline.ts). */
  baseline?: BaselineSummary;
  /** What needs attention, in the order to read it: computed once for every format (src/engine/triage.ts). */
  triage?: Triage;
  /** JSON only, always last: the digest of the body. */
  evidence?: ReportEvidence;
}
