import { partitionFor } from '../aws/arn.js';
import { iamActionFor } from '../aws/iam-actions.js';
import { descriptorOf, isServiceName } from '../services/list.js';
import type { ScanError } from '../model/inventory.js';
import { SCAN_INCOMPLETE_ID, type Finding } from '../model/report.js';
import type { Severity } from '../model/severity.js';
import { complianceRefs } from '../engine/compliance-report.js';

/**
 * Every call that failed becomes an `unknown` finding, so a scan that could
 * not read everything can never look clean (and exits 3 when nothing fails).
 * A policy cannot turn this rule off (src/policy/policy-file.ts refuses it, the
 * engine ignores it in `disabledRules`), and a waiver whose rule is `*` never
 * suppresses it: only a waiver that names SCAN.INCOMPLETE does, with its
 * owner and expiry (docs/policy.md).
 */
export const SCAN_INCOMPLETE: { id: string; title: string; severity: Severity; rationale: string } = {
  id: SCAN_INCOMPLETE_ID,
  title: 'Part of the scan could not be read',
  severity: 'high',
  rationale: 'What atrest could not read, it cannot judge. Grant the permission (see iam/atrest-readonly-policy.json) or retry, then scan again.',
};

/**
 * What a scan error left unread: one resource, a service in one region, or a
 * service in every region. A listing that answers for the whole account at
 * once (S3 ListBuckets: the descriptor's `accountWideOperations`) that fails
 * leaves no region's resources of that service seen, whatever region the
 * error was recorded in, so its coverage finding obeys only the policy's
 * service scope, never its region scope.
 */
export function coverageSpan(error: ScanError): 'resource' | 'service-region' | 'service' {
  if (error.resourceArn) return 'resource';
  const accountWide = isServiceName(error.service) ? (descriptorOf(error.service).accountWideOperations ?? []) : [];
  return accountWide.includes(error.operation) ? 'service' : 'service-region';
}

export function coverageFindings(errors: readonly ScanError[], partition: string, accountId: string): Finding[] {
  return errors.map((error) => ({
    ruleId: SCAN_INCOMPLETE.id,
    resourceArn: error.resourceArn ?? `arn:${partitionFor(error.region, partition)}:${error.service}:${error.region}:${error.accountId ?? accountId}:*`,
    ...(error.accountId || /^\d{12}$/.test(accountId) ? { accountId: error.accountId ?? accountId } : {}),
    service: error.service,
    resourceType: error.resourceArn ? 'resource' : 'service-region',
    region: error.region,
    status: 'unknown',
    severity: SCAN_INCOMPLETE.severity,
    title: SCAN_INCOMPLETE.title,
    message: `${error.service}:${error.operation} failed in ${error.region}: ${error.code}: ${error.message}`,
    remediation: {
      summary: `allow ${iamActionFor(error.service, error.operation, error.resourceArn)} for the scanning principal (or retry if throttled), then scan again`,
      path: 'in-place',
      steps: ['compare the principal\'s permissions with iam/atrest-readonly-policy.json'],
      docs: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html',
    },
    // Like every finding's, from the data file (SCAN.INCOMPLETE deliberately maps to no control).
    compliance: complianceRefs(SCAN_INCOMPLETE.id, 'unknown', undefined, new Map()),
  }));
}
