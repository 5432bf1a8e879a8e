/** Severities from most to least serious. The strings are part of the JSON contract. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Finding statuses. The strings are part of the JSON contract. */
export const FINDING_STATUSES = ['pass', 'fail', 'unknown', 'suppressed', 'not-applicable'] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

/**
 * The statuses from most to least in need of attention, the one order used
 * everywhere: findings are listed in it, and a control or resource with
 * several results takes the first (the worst). A failure first; then what
 * could not be decided (never a pass); then a waived failure; then a pass;
 * then what was not applicable (nothing was judged).
 */
export const STATUS_ORDER: readonly FindingStatus[] = ['fail', 'unknown', 'suppressed', 'pass', 'not-applicable'];

/** 0 for fail, 4 for not-applicable: lower needs more attention. */
export function statusRank(status: FindingStatus): number {
  return STATUS_ORDER.indexOf(status);
}

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
