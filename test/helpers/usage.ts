import type { KmsRegionUsage, RequestQuota, UsageSeries } from '../../src/model/usage.js';
import { kmsUsageDimensions } from '../../src/services/kms/usage/quotas.js';
import { ACCOUNT } from './context.js';

/** Usage facts (src/model/usage.ts) as the --usage collection records them, for rule and cost tests. */

export function quota(name: string, resource: string | null, value: number, code: string | null = null, region = 'us-east-1'): RequestQuota {
  return {
    code,
    name,
    arn: code ? `arn:aws:servicequotas:${region}:${ACCOUNT}:kms/${code}` : null,
    valuePerSecond: value,
    valueSource: 'applied',
    adjustable: true,
    usageMetric: resource ? { namespace: 'AWS/Usage', name: 'CallCount', dimensions: kmsUsageDimensions(resource) } : null,
  };
}

export function series(resource: string, calls: number, peakPerSecond: number | null, complete = true): UsageSeries {
  return { resource, class: 'None', calls, hoursWithData: calls > 0 ? 1 : 0, peakPerSecond, peakMinute: peakPerSecond === null ? null : '2026-11-20T14:03:00.000Z', complete };
}

export function regionUsage(region: string, quotas: RequestQuota[], all: UsageSeries[], extra: Partial<KmsRegionUsage> = {}): KmsRegionUsage {
  return {
    accountId: ACCOUNT,
    region,
    period: { start: '2026-10-29T09:00:00.000Z', end: '2026-11-28T09:00:00.000Z' },
    peakWindow: { start: '2026-11-14T09:00:00.000Z', end: '2026-11-28T09:00:00.000Z' },
    metrics: { status: 'read', calls: 2, series: all },
    quotas: { source: 'service-quotas', items: quotas },
    ...extra,
  };
}
