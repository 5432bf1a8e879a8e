import type { QuotaHeadroom } from '../../../model/request-cost.js';
import type { KmsRegionUsage, RequestQuota, UsageSeries } from '../../../model/usage.js';

/**
 * How close each KMS request quota of a Region came to its limit: the
 * busiest minute of its usage metric (calls / 60, a one-minute average, so a
 * burst inside that minute can have been higher) against the quota's value
 * per second. Pure: the inventory's usage facts in, the figures out.
 */

export function seriesOf(region: KmsRegionUsage, quota: RequestQuota): UsageSeries | undefined {
  const dims = quota.usageMetric?.dimensions;
  if (!dims) return undefined;
  return region.metrics.series.find((s) => s.resource === (dims.Resource ?? quota.name) && s.class === (dims.Class ?? 'None'));
}

export function quotaHeadroom(region: KmsRegionUsage, quota: RequestQuota): QuotaHeadroom {
  const base = {
    quota: quota.name,
    code: quota.code,
    arn: quota.arn,
    valuePerSecond: quota.valuePerSecond,
    valueSource: quota.valueSource,
    usageResource: quota.usageMetric?.dimensions.Resource ?? null,
    peakPerSecond: null,
    peakMinute: null,
    sharePercent: null,
    complete: true,
  };
  if (!quota.usageMetric) return { ...base, status: 'not-measured' };
  if (region.metrics.status === 'unknown') return { ...base, status: 'unknown', complete: false };
  const series = seriesOf(region, quota);
  if (!series) return { ...base, status: 'unknown', complete: false };
  // No data point in the peak window: no call in it (CloudWatch publishes no zero points).
  if (series.peakPerSecond === null) return { ...base, status: 'no-calls', complete: series.complete, sharePercent: 0 };
  return {
    ...base,
    status: 'measured',
    peakPerSecond: round(series.peakPerSecond, 3),
    peakMinute: series.peakMinute,
    sharePercent: round((series.peakPerSecond / quota.valuePerSecond) * 100, 1),
    complete: series.complete,
  };
}

/** Every quota of the Region with a usage metric, most used first (then by name). */
export function regionHeadroom(region: KmsRegionUsage): QuotaHeadroom[] {
  return region.quotas.items
    .filter((q) => q.usageMetric)
    .map((q) => quotaHeadroom(region, q))
    .sort((a, b) => (b.sharePercent ?? -1) - (a.sharePercent ?? -1) || (a.quota < b.quota ? -1 : a.quota > b.quota ? 1 : 0));
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
