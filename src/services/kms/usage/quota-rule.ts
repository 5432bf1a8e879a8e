import type { Resource } from '../../../model/inventory.js';
import type { Rule } from '../../../rules/rule.js';
import { staticFix } from '../../../rules/rule-detail.js';
import { QUOTA_SUBJECT_TYPE } from './quota-subjects.js';

/**
 * KMS.QUOTA_HEADROOM: the busiest minute of the last 14 days came within the
 * policy's share of a KMS request quota (default 80 %: medium), or went over
 * it (high: KMS throttled requests). It reads the headroom facts of a quota
 * subject (quota-subjects.ts); it never calls AWS.
 *
 * The peak is a one-minute average (the finest resolution CloudWatch keeps
 * beyond three hours): a burst inside that minute can have been higher, so a
 * pass is "no minute came close", not "no second did".
 */

/** The share of a quota that fails the rule when the policy sets none (policy file: quotaHeadroomPercent). */
export const DEFAULT_QUOTA_HEADROOM_PERCENT = 80;

const DOCS = 'https://docs.aws.amazon.com/kms/latest/developerguide/requests-per-second.html';

const isQuota = (r: Resource): boolean => r.service === 'kms' && r.type === QUOTA_SUBJECT_TYPE;

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

function rate(n: number): string {
  return n >= 100 ? String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',') : n >= 1 ? n.toFixed(1) : n.toFixed(3);
}

export const kmsQuotaHeadroomRule: Rule = {
  id: 'KMS.QUOTA_HEADROOM',
  title: 'KMS request rate close to (or over) its quota',
  rationale:
    'KMS throttles every request above a request quota, per account and Region, whichever service or application sends it: S3 uploads and downloads, DynamoDB, Lambda and every other SSE-KMS service then fail or slow down together. A peak near the quota is the warning before that happens; a peak over it means requests were throttled.',
  severity: 'medium',
  matrixFacts: [],
  appliesTo: isQuota,
  evaluate(resource, context) {
    const a = resource.attributes;
    const limit = context.policy.quotaHeadroomPercent ?? DEFAULT_QUOTA_HEADROOM_PERCENT;
    const name = str(a.quotaName) ?? resource.id;
    const value = num(a.valuePerSecond);
    const valueWord = a.valueSource === 'applied' ? 'applied quota' : 'documented default quota (Service Quotas gave no applied value)';
    const window = `the last 14 days (${str(a.peakWindowStart) ?? '?'} to ${str(a.peakWindowEnd) ?? '?'}, one-minute averages)`;
    switch (a.headroomStatus) {
      case 'unknown':
        return { status: 'unknown', message: `the KMS usage metrics of ${resource.region} could not be read (${str(a.metricsError) ?? 'GetMetricData failed'}), so the headroom of every request quota there is unknown` };
      case 'no-calls':
        if (a.complete === false) return { status: 'unknown', message: `CloudWatch returned partial data for "${name}" in ${resource.region}: no call is recorded, but the data is incomplete` };
        return { status: 'pass', message: `no call counted against "${name}" in ${window}` };
      case 'measured':
        break;
      default:
        return { status: 'unknown', message: `the usage of "${name}" is not measured` };
    }
    const peak = num(a.peakPerSecond);
    if (peak === null || value === null) return { status: 'unknown', message: `the peak of "${name}" in ${resource.region} is not in the inventory` };
    const share = (peak / value) * 100;
    const at = str(a.peakMinute);
    const facts = `the busiest minute${at ? ` (from ${at})` : ''} of ${window} averaged ${rate(peak)} requests per second against "${name}", ${Math.round(share * 100) / 100}% of the ${valueWord} of ${rate(value)} per second in ${resource.region}`;
    const lower = a.complete === false ? ' (CloudWatch returned partial data: the peak is a lower bound)' : '';
    if (share > 100) return { status: 'fail', severity: 'high', message: `${facts}${lower}: over the quota, so KMS throttled requests` };
    if (share >= limit) return { status: 'fail', message: `${facts}${lower}: at or above the ${limit}% the policy "${context.policy.name}" allows` };
    if (a.complete === false) return { status: 'unknown', message: `${facts}${lower}; below ${limit}%, but the data is incomplete` };
    return { status: 'pass', message: `${facts}: below the ${limit}% the policy allows (a burst inside a minute can be higher than its average)` };
  },
  ...staticFix(
    'raise the quota (Service Quotas) before it throttles, or cut the calls: S3 Bucket Keys, data key caching, fewer repeated Decrypt calls',
    (resource) => {
      const code = str(resource.attributes.quotaCode);
      const value = num(resource.attributes.valuePerSecond);
      return {
        path: 'in-place',
        steps: [
          `find what calls KMS in ${resource.region}: the drivers in the report's cost section (cost.requests.drivers), then CloudTrail for the operations counted against "${str(resource.attributes.quotaName) ?? resource.id}"`,
          'cut requests where you can: enable S3 Bucket Keys on SSE-KMS buckets, cache data keys (AWS Encryption SDK data key caching), reuse decrypted data keys instead of calling Decrypt per item',
          code
            ? `request a higher quota: aws service-quotas request-service-quota-increase --region ${resource.region} --service-code kms --quota-code ${code} --desired-value ${value !== null ? Math.ceil(value * 2) : 'N'}`
            : 'request a higher quota in the Service Quotas console (AWS Key Management Service)',
          'retry throttled calls with exponential backoff (the AWS SDKs do by default)',
        ],
        ...(code ? { cli: `aws service-quotas get-service-quota --region ${resource.region} --service-code kms --quota-code ${code}` } : {}),
        docs: DOCS,
      };
    },
  ),
};
