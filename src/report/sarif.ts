import { createHash } from 'node:crypto';
import type { Resource } from '../model/inventory.js';
import { JsonSequence, jsonChunks } from './json-stream.js';
import { SCAN_INCOMPLETE_ID, type Finding, type Report } from '../model/report.js';
import type { RuleIndexEntry, RulesIndex } from '../model/rules-index.js';
import type { Severity } from '../model/severity.js';

/**
 * SARIF 2.1.0 (OASIS) for GitHub code scanning and other SARIF consumers
 * (docs/ci.md). A renderer: everything comes from the Report, and the rule
 * descriptors from the rules index (`atrest rules`), never from the engine.
 *
 * - One run; `tool.driver.rules` is every rule of the index, by id, so a
 *   rule's `ruleIndex` is the same in every report of this version.
 * - One result per finding that is `fail`, `unknown` or `suppressed`;
 *   `pass` and `not-applicable` findings are not results (the JSON report
 *   keeps them as evidence).
 * - `unknown` ("could not be decided") is level `warning` whatever the
 *   severity, with a message that says so: nothing was proved wrong, but an
 *   unread resource is never a pass and must stay visible (SARIF's own
 *   `kind: "open"` would demand level `none`, the level of non-problems).
 * - A waived finding is a result with an accepted external suppression
 *   carrying the waiver's reason; an expired waiver suppresses nothing.
 *   (GitHub does not honour `suppressions` itself: docs/ci.md says what to do.)
 * - Results of live resources have no source file. Each location carries the resource as a
 *   logical location (kind `resource`, the ARN as fully qualified name) AND a
 *   physical location whose relative URI is the ARN spelled as a path, because
 *   GitHub code scanning rejects the whole upload when any result lacks an
 *   `artifactLocation` ("expected a physical location"). The path names no
 *   file in the repository.
 * - `partialFingerprints["atrest/v1"]` is a hash of the rule id and resource
 *   ARN, stable across runs, so GitHub matches an alert to the same alert of
 *   the previous upload.
 */

export const SARIF_VERSION = '2.1.0';
export const SARIF_SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
/** The partialFingerprints key; bump its version if the hashed fields ever change. */
export const FINGERPRINT_KEY = 'atrest/v1';

export type SarifLevel = 'error' | 'warning' | 'note';

/** How a failing finding's severity maps to a SARIF level. */
export const SARIF_LEVEL: Readonly<Record<Severity, SarifLevel>> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

/**
 * GitHub's `security-severity` (a CVSS-like score as a string): over 9.0 is
 * shown as critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low (so `info`
 * shows as low: GitHub has no lower band).
 */
export const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '1.0',
};

const UNKNOWN_LEVEL: SarifLevel = 'warning';

interface SarifMessage {
  text: string;
  markdown?: string;
}

export interface SarifRule {
  id: string;
  name: string;
  shortDescription: SarifMessage;
  fullDescription: SarifMessage;
  help: SarifMessage;
  defaultConfiguration: { enabled?: boolean; level: SarifLevel };
  properties: {
    tags: string[];
    precision: 'very-high';
    'security-severity': string;
    /** atrest's own severity for the rule under this report's policy. */
    severity: Severity;
    compliance: Array<{ framework: string; control: string; title: string; source: string }>;
  };
}

export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: { text: string };
  locations: Array<{
    physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } };
    logicalLocations: Array<{ name: string; fullyQualifiedName: string; kind: 'resource' }>;
  }>;
  partialFingerprints: Record<string, string>;
  suppressions?: Array<{ kind: 'external'; status: 'accepted'; justification: string; properties: Record<string, string> }>;
  properties: Record<string, unknown>;
}

export type SarifLog = SarifDocument<SarifResult[]>;

/** The log with its results as `R`: an array, or (sarifChunks) a JsonSequence made while it is written. */
interface SarifDocument<R> {
  $schema: string;
  version: typeof SARIF_VERSION;
  runs: Array<{
    tool: { driver: { name: string; version: string; semanticVersion: string; rules: SarifRule[] } };
    invocations: Array<{ executionSuccessful: boolean; exitCode: number; exitCodeDescription: string; startTimeUtc: string; endTimeUtc: string }>;
    columnKind: 'utf16CodeUnits';
    results: R;
    properties: Record<string, unknown>;
  }>;
}

/** Findings that become SARIF results, in report order. */
export function isSarifResult(finding: Finding): boolean {
  return finding.status === 'fail' || finding.status === 'unknown' || finding.status === 'suppressed';
}

export function buildSarif(report: Report, index: RulesIndex): SarifLog {
  const rules = ruleDescriptors(report, index);
  return sarifDocument(report, rules, [...sarifResults(report.findings.filter(isSarifResult), rules, report.resources)]);
}

/** The results of `findings` (the report's SARIF results, in order), each made when it is asked for. */
function* sarifResults(findings: readonly Finding[], rules: readonly SarifRule[], resources: readonly Resource[]): Generator<SarifResult> {
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const seen = new Map<string, number>();
  const sourced = sourcedResources(resources);
  for (const finding of findings) {
    const base = fingerprintBase(finding);
    const occurrence = (seen.get(base) ?? 0) + 1;
    seen.set(base, occurrence);
    yield result(finding, ruleIndex.get(finding.ruleId)!, `${base}:${occurrence}`, sourced.get(finding.resourceArn));
  }
}

/**
 * The resources read from infrastructure code, by ARN: only they have a file
 * to point at. The last record of an ARN decides, as a map of every resource
 * would; a live scan's 100,000 resources build no map.
 */
function sourcedResources(resources: readonly Resource[]): Map<string, Resource> {
  const sourced = new Map<string, Resource>();
  for (const r of resources) {
    if (r.source) sourced.set(r.arn, r);
    else if (sourced.size > 0) sourced.delete(r.arn);
  }
  return sourced;
}

function sarifDocument<R>(report: Report, rules: SarifRule[], results: R): SarifDocument<R> {
  const scan = report.scan;
  return {
    $schema: SARIF_SCHEMA_URI,
    version: SARIF_VERSION,
    runs: [
      {
        tool: { driver: { name: report.tool.name, version: report.tool.version, semanticVersion: report.tool.version, rules } },
        invocations: [
          {
            // The tool ran to its end; what it could not read is in the results (SCAN.INCOMPLETE).
            executionSuccessful: true,
            exitCode: report.outcome.exitCode,
            exitCodeDescription: report.outcome.reason,
            startTimeUtc: scan.startedAt,
            endTimeUtc: scan.finishedAt,
          },
        ],
        columnKind: 'utf16CodeUnits',
        results,
        properties: {
          accountId: scan.accountId,
          ...(scan.accounts ? { accounts: scan.accounts } : {}),
          principalArn: scan.principalArn,
          partition: scan.partition,
          regions: scan.regions,
          services: scan.services,
          policy: report.policy.name,
          failOn: report.outcome.failOn,
          ...(report.compliance ? { compliance: report.compliance.framework } : {}),
          ...(report.scores ? { score: report.scores.account.score, grade: report.scores.account.grade } : {}),
        },
      },
    ],
  };
}

/** The SARIF log as a file: two-space indented JSON, one trailing newline. */
export function renderSarif(report: Report, index: RulesIndex): string {
  return [...sarifChunks(report, index)].join('');
}

/** The same bytes as renderSarif, in pieces (a large report never becomes one string). */
export function sarifChunks(report: Report, index: RulesIndex): Iterable<string> {
  const rules = ruleDescriptors(report, index);
  const findings = report.findings.filter(isSarifResult);
  // Depth 4 reaches runs[0].results, whose results are made a batch at a time as they are written.
  return jsonChunks(sarifDocument(report, rules, new JsonSequence(findings.length, sarifResults(findings, rules, report.resources))), 4);
}

/**
 * Every rule of the index, by id (the index's order), with the severity this
 * report's policy gives it; a rule id the index does not know (an inventory
 * from another version) gets a descriptor from its findings, so every result
 * has its rule.
 */
function ruleDescriptors(report: Report, index: RulesIndex): SarifRule[] {
  const disabled = new Set((report.policy.disabledRules ?? []).map((d) => d.ruleId));
  const known = new Set(index.rules.map((r) => r.id));
  const extra = new Map<string, Finding>();
  for (const f of report.findings) if (!known.has(f.ruleId) && !extra.has(f.ruleId)) extra.set(f.ruleId, f);
  const entries: RuleIndexEntry[] = [
    ...index.rules,
    ...[...extra.values()].map((f) => ({
      id: f.ruleId,
      title: f.title,
      severity: f.severity,
      rationale: f.title,
      matrixFacts: [],
      remediation: null,
      compliance: [],
      notMapped: [],
      noControl: null,
    })),
  ];
  return entries
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((rule) => descriptor(rule, report.policy.severity?.[rule.id] ?? rule.severity, disabled.has(rule.id)));
}

function descriptor(rule: RuleIndexEntry, severity: Severity, disabled: boolean): SarifRule {
  const fix = rule.remediation ?? 'each finding names its own fix (see the result message)';
  const markdown = [
    `**${rule.title}**`,
    '',
    rule.rationale,
    '',
    `**Fix:** ${fix}`,
    ...(rule.matrixFacts.length > 0 ? ['', `**Matrix facts relied on** (\`atrest matrix\`): ${rule.matrixFacts.map((m) => `\`${m}\``).join(', ')}`] : []),
    ...(rule.compliance.length > 0
      ? ['', '**Compliance controls evidenced:**', '', ...rule.compliance.map((c) => `- ${c.framework} ${c.control}: [${c.title}](${c.source})`)]
      : []),
  ].join('\n');
  return {
    id: rule.id,
    name: ruleName(rule.id),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.rationale },
    help: { text: `Fix: ${fix}\n\n${rule.rationale}`, markdown },
    defaultConfiguration: { ...(disabled ? { enabled: false } : {}), level: SARIF_LEVEL[severity] },
    properties: {
      tags: ['security', 'encryption-at-rest', ...rule.compliance.map((c) => `${c.framework}/${c.control}`)],
      precision: 'very-high',
      'security-severity': SECURITY_SEVERITY[severity],
      severity,
      compliance: rule.compliance.map((c) => ({ framework: c.framework, control: c.control, title: c.title, source: c.source })),
    },
  };
}

/** `S3.ENCRYPTION_LEVEL` → `S3EncryptionLevel` (SARIF's `name` is an identifier, the id stays the key). */
export function ruleName(id: string): string {
  return id
    .split(/[._-]+/)
    .filter(Boolean)
    .map((part) => (/^[A-Z0-9]+$/.test(part) && part.length <= 3 && /\d/.test(part) ? part : part.charAt(0).toUpperCase() + part.slice(1).toLowerCase()))
    .join('');
}

function fingerprintBase(finding: Finding): string {
  return createHash('sha256').update(`${finding.ruleId}\n${finding.resourceArn}`).digest('hex');
}

/**
 * Where a result points. A resource read from infrastructure code (atrest
 * iac) is annotated where it is written: its file, at the line of the
 * attribute the fix changes, else of the resource block — so GitHub code
 * scanning annotates the pull request diff. A live resource has no file: its
 * ARN spelled as a path (see above).
 */
function physicalLocation(finding: Finding, resource: Resource | undefined): SarifResult['locations'][number]['physicalLocation'] {
  const source = resource?.source;
  if (!source) return { artifactLocation: { uri: resourcePath(finding.resourceArn) } };
  const onFix = finding.fix && finding.fix.file === source.file ? finding.fix.line : null;
  const line = onFix ?? source.line;
  return { artifactLocation: { uri: fileUri(source.file) }, ...(line ? { region: { startLine: line } } : {}) };
}

/** A file path as a SARIF artifact URI: relative paths stay relative (to the repository root the scan ran in), with forward slashes. */
export function fileUri(path: string): string {
  const posix = path.replace(/\\/g, '/');
  const encoded = posix.split('/').map((segment) => encodeURIComponent(segment)).join('/');
  return posix.startsWith('/') ? `file://${encoded}` : encoded;
}

function result(finding: Finding, ruleIndex: number, fingerprint: string, resource?: Resource): SarifResult {
  const unknown = finding.status === 'unknown';
  const lines = [unknown ? `Could not be decided (never counted as a pass): ${finding.message}` : finding.message];
  if (!unknown && finding.remediation) lines.push(`Fix: ${finding.remediation.summary}`);
  if (unknown && finding.remediation && finding.ruleId === SCAN_INCOMPLETE_ID) lines.push(`Fix: ${finding.remediation.summary}`);
  const waiver = finding.waiver;
  if (waiver?.status === 'expired') lines.push(`Waiver expired ${waiver.expires} (owner ${waiver.owner}): ${waiver.reason}`);
  if (waiver?.status === 'active') lines.push(`Suppressed by a waiver until ${waiver.expires} (owner ${waiver.owner}): ${waiver.reason}`);
  if (!unknown && finding.fix) {
    lines.push(`${finding.fix.replacement ? 'This change replaces the resource: migrate its data first. ' : ''}Change ${finding.fix.address}${finding.fix.file ? ` in ${finding.fix.file}${finding.fix.line ? `:${finding.fix.line}` : ''}` : ''} (${finding.fix.format === 'terraform' ? 'HCL' : 'YAML'}):`);
    lines.push(finding.fix.code.replace(/\n$/, ''));
  }
  lines.push(`Resource: ${resource?.source ? `${resource.source.address} (${finding.resourceArn})` : finding.resourceArn}`);
  const out: SarifResult = {
    ruleId: finding.ruleId,
    ruleIndex,
    level: unknown ? UNKNOWN_LEVEL : SARIF_LEVEL[finding.severity],
    message: { text: lines.join('\n') },
    locations: [
      {
        physicalLocation: physicalLocation(finding, resource),
        logicalLocations: [{ name: resource?.source ? resource.source.address : resourceName(finding.resourceArn), fullyQualifiedName: finding.resourceArn, kind: 'resource' }],
      },
    ],
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprint },
    properties: {
      status: finding.status,
      severity: finding.severity,
      title: finding.title,
      service: finding.service,
      resourceType: finding.resourceType,
      region: finding.region,
      ...(finding.requiredLevel ? { requiredLevel: finding.requiredLevel } : {}),
      ...(finding.override ? { override: finding.override.name } : {}),
      ...(finding.remediation ? { remediation: { summary: finding.remediation.summary, path: finding.remediation.path, docs: finding.remediation.docs } } : {}),
      ...(finding.compliance.length > 0 ? { compliance: finding.compliance.map((c) => ({ ...c })) } : {}),
      ...(waiver ? { waiver: { ...waiver } } : {}),
    },
  };
  if (finding.status === 'suppressed' && waiver) {
    out.suppressions = [
      {
        kind: 'external',
        status: 'accepted',
        justification: waiver.reason,
        properties: { owner: waiver.owner, expires: waiver.expires, rule: waiver.rule, resource: waiver.resource, ...(waiver.source ? { source: waiver.source } : {}) },
      },
    ];
  }
  return out;
}

/**
 * The ARN spelled as a relative path (GitHub requires one; see above): every
 * `:` of the ARN becomes `/`, an empty field (S3 has no region or account in
 * its ARNs) becomes `_`, and each segment is percent-encoded as a URI path
 * segment. `arn:aws:s3:::acme-logs` → `arn/aws/s3/_/_/acme-logs`.
 */
export function resourcePath(arn: string): string {
  return arn
    .split(/[:/]/)
    .map((segment) => (segment === '' ? '_' : encodeURIComponent(segment)))
    .join('/');
}

/** The resource part of an ARN (after the account field), or the whole string when it is not an ARN. */
function resourceName(arn: string): string {
  const parts = arn.split(':');
  return parts[0] === 'arn' && parts.length >= 6 ? parts.slice(5).join(':') : arn;
}
