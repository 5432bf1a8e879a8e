import type { KeyRecord } from '../model/inventory.js';
import { KEYS_REPORT_SCHEMA_VERSION, type KeyFindingRef, type KeysReport, type KeyView } from '../model/keys-report.js';
import type { Finding, Report, ReportKey } from '../model/report.js';
import type { FailOn } from '../model/severity.js';
import { sortBy } from '../util/sort.js';
import { decideOutcome } from './engine.js';
import { rotationCapability } from '../keys/rotation.js';

/**
 * The key-centred view of a report, for `atrest keys`. Pure: everything it
 * shows was computed by the engine; this only regroups it per key and writes
 * the one-line summaries the table prints.
 */

/** Findings that are about keys: every KMS.* rule, and KMS calls that failed. */
export function isKeyFinding(f: Finding): boolean {
  return f.ruleId.startsWith('KMS.') || (f.ruleId === 'SCAN.INCOMPLETE' && f.service === 'kms');
}

export function buildKeysReport(report: Report, failOn: FailOn): KeysReport {
  const keyFindings = report.findings.filter(isKeyFinding);
  const byResource = new Map<string, KeyFindingRef[]>();
  for (const f of keyFindings) {
    if (f.status !== 'fail' && f.status !== 'unknown') continue;
    const list = byResource.get(f.resourceArn) ?? [];
    list.push({ ruleId: f.ruleId, status: f.status, severity: f.severity, message: f.message });
    byResource.set(f.resourceArn, list);
  }
  const views: KeyView[] = report.keys.map((key) => ({
    ...key,
    rotationSummary: rotationSummary(key),
    multiRegionSummary: multiRegionSummary(key),
    findings: byResource.get(key.arn) ?? [],
  }));
  const ours = (k: KeyView): boolean => k.inScannedAccount && k.manager === 'CUSTOMER';
  const sorted = [
    ...sortBy(views.filter(ours), (k) => [k.monthlyCostUsd === null ? 1 : -k.monthlyCostUsd, k.arn]),
    ...sortBy(views.filter((k) => !ours(k)), (k) => [k.inScannedAccount ? 0 : 1, k.arn]),
  ];
  return {
    kind: 'atrest-keys',
    schemaVersion: KEYS_REPORT_SCHEMA_VERSION,
    tool: report.tool,
    scan: report.scan,
    policy: report.policy,
    keys: sorted,
    counts: {
      keys: views.length,
      customerManaged: views.filter(ours).length,
      awsManaged: views.filter((k) => k.inScannedAccount && k.manager === 'AWS').length,
      otherAccounts: views.filter((k) => !k.inScannedAccount).length,
      unknown: views.filter((k) => k.inScannedAccount && k.manager === 'unknown').length,
      multiRegionReplicas: views.filter((k) => k.multiRegionConfiguration?.keyType === 'REPLICA').length,
      withoutDependents: views.filter((k) => ours(k) && k.dependents.length === 0).length,
    },
    findings: keyFindings.filter((f) => f.status === 'fail' || f.status === 'unknown'),
    unreadableResources: report.resources.filter((r) => r.service !== 'kms' && r.protection.level === 'unknown').length,
    cost: report.cost,
    outcome: decideOutcome(keyFindings, failOn),
  };
}

export function rotationSummary(key: ReportKey | KeyRecord): string {
  const done = key.rotations && key.rotations.count !== null ? ` (${key.rotations.count} rotation${key.rotations.count === 1 ? '' : 's'})` : '';
  if (!key.describable) return 'unknown (key not described)';
  if (key.manager === 'AWS') return 'AWS rotates yearly';
  if (key.manager !== 'CUSTOMER') return 'unknown';
  const capability = rotationCapability(key);
  if (capability.kind === 'on-demand') return `n/a: imported, on demand only${done}`;
  if (capability.kind === 'none') {
    if (key.spec.startsWith('HMAC_')) return 'n/a: HMAC key';
    if (key.spec !== 'SYMMETRIC_DEFAULT') return 'n/a: asymmetric key';
    return 'n/a: custom key store';
  }
  if (key.rotation.enabled === null) return 'unknown';
  if (!key.rotation.enabled) return `off${done}`;
  return `on${key.rotation.periodDays !== null ? `, ${key.rotation.periodDays} days` : ''}${done}`;
}

export function multiRegionSummary(key: ReportKey | KeyRecord): string | null {
  const c = key.multiRegionConfiguration;
  if (!c) return key.multiRegion ? 'multi-Region' : null;
  const others = [c.primary, ...c.replicas].filter((m) => m && m.arn !== key.arn).map((m) => m!.region);
  const role = c.keyType === 'PRIMARY' ? 'primary' : c.keyType === 'REPLICA' ? 'replica' : 'multi-Region';
  return others.length > 0 ? `${role}; also in ${[...new Set(others)].sort().join(', ')}` : role;
}
