/** Severities from most to least serious. The strings are part of the JSON contract. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Finding statuses. The strings are part of the JSON contract. */
export const FINDING_STATUSES = ['pass', 'fail', 'unknown', 'suppressed', 'not-applicable'] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

/** 0 for critical, 4 for info: lower is more serious. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/** `--fail-on` accepts a severity or `none` (never fail on findings). */
export type FailOn = Severity | 'none';
export const FAIL_ON_VALUES: readonly FailOn[] = ['critical', 'high', 'medium', 'low', 'info', 'none'];

export function atOrAbove(severity: Severity, threshold: FailOn): boolean {
  if (threshold === 'none') return false;
  return severityRank(severity) <= severityRank(threshold);
}
