import type { Json, Resource } from '../../../model/inventory.js';
import type { KmsUsage } from '../../../model/usage.js';
import { quotaHeadroom, seriesOf } from './headroom.js';

/**
 * The KMS request quotas of the inventory's usage data as the subjects of
 * KMS.QUOTA_HEADROOM: one record per quota that has an ARN and a usage
 * metric, in the shape rules read (service `kms`, type `request-quota`).
 * They are judged like resources but are not resources: the engine keeps
 * them out of `resources`, the summary's counts and the scores.
 *
 * Where the metrics could not be read, a Region gets one subject — its
 * shared symmetric quota, the one every SSE-KMS service uses — so the
 * undecided headroom is reported once, not once per quota.
 */
export const QUOTA_SUBJECT_TYPE = 'request-quota';

/** Service Quotas' name for the shared symmetric cryptographic-operation quota. */
const SYMMETRIC_QUOTA = /^Cryptographic operations \(symmetric\)/i;

export function quotaSubjects(usage: KmsUsage | undefined): Resource[] {
  const out: Resource[] = [];
  for (const region of usage?.regions ?? []) {
    const quotas = region.quotas.items.filter((q) => q.arn && q.usageMetric);
    const judged = region.metrics.status === 'unknown' ? quotas.filter((q) => SYMMETRIC_QUOTA.test(q.name)).slice(0, 1) : quotas;
    for (const quota of judged) {
      const h = quotaHeadroom(region, quota);
      const series = seriesOf(region, quota);
      const attributes: { [k: string]: Json } = {
        quotaName: quota.name,
        quotaCode: quota.code,
        valuePerSecond: quota.valuePerSecond,
        valueSource: quota.valueSource,
        usageResource: h.usageResource,
        headroomStatus: h.status,
        // Unrounded: the rule decides on the exact share (the headroom figures are rounded for reading).
        peakPerSecond: series?.peakPerSecond ?? null,
        peakMinute: h.peakMinute,
        complete: h.complete,
        monthlyCalls: series?.calls ?? null,
        peakWindowStart: region.peakWindow.start,
        peakWindowEnd: region.peakWindow.end,
        quotaSource: region.quotas.source,
        metricsError: region.metrics.error ? `${region.metrics.error.operation} ${region.metrics.error.code}: ${region.metrics.error.message}` : null,
      };
      out.push({
        arn: quota.arn!,
        id: quota.code ?? quota.name,
        service: 'kms',
        type: QUOTA_SUBJECT_TYPE,
        region: region.region,
        accountId: region.accountId,
        protection: { level: 'unknown', keyArn: null, algorithm: null, notes: [] },
        attributes,
        evidence: { quota: { ...quota } as unknown as Json, ...(series ? { usageSeries: { ...series } as unknown as Json } : {}) },
      });
    }
  }
  return out;
}
