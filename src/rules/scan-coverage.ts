import { iamActionFor } from '../aws/iam-actions.js';
import type { ScanError } from '../model/inventory.js';
import type { Finding } from '../model/report.js';
import type { Severity } from '../model/severity.js';
import { complianceRefs } from './compliance-report.js';

/**
 * Every call that failed becomes an `unknown` finding, so a scan that could
 * not read everything can never look clean (and exits 3 when nothing fails).
 */
export const SCAN_INCOMPLETE: { id: string; title: string; severity: Severity; rationale: string } = {
  id: 'SCAN.INCOMPLETE',
  title: 'Part of the scan could not be read',
  severity: 'high',
  rationale: 'What atrest could not read, it cannot judge. Grant the permission (see iam/atrest-readonly-policy.json) or retry, then scan again.',
};

export function coverageFindings(errors: readonly ScanError[], partition: string, accountId: string): Finding[] {
  return errors.map((error) => ({
    ruleId: SCAN_INCOMPLETE.id,
    resourceArn: error.resourceArn ?? `arn:${partition}:${error.service}:${error.region}:${accountId}:*`,
    service: error.service,
    resourceType: error.resourceArn ? 'resource' : 'service-region',
    region: error.region,
    status: 'unknown',
    severity: SCAN_INCOMPLETE.severity,
    title: SCAN_INCOMPLETE.title,
    message: `${error.service}:${error.operation} failed in ${error.region}: ${error.code}: ${error.message}`,
    remediation: {
      summary: `allow ${iamActionFor(error.service, error.operation)} for the scanning principal (or retry if throttled), then scan again`,
      path: 'in-place',
      steps: ['compare the principal\'s permissions with iam/atrest-readonly-policy.json'],
      docs: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html',
    },
    // Like every finding's, from the data file (SCAN.INCOMPLETE deliberately maps to no control).
    compliance: complianceRefs(SCAN_INCOMPLETE.id, 'unknown', undefined, new Map()),
  }));
}
