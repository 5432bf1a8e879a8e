import type { ClientFactory } from '../../../aws/clients.js';
import { describeAwsError } from '../../../aws/errors.js';
import type { Resource, ScanError } from '../../../model/inventory.js';
import type { BucketRequestMetrics, KmsRegionUsage, KmsUsage, RequestQuota, TimeWindow, UsageSeries } from '../../../model/usage.js';
import { scanError } from '../../../collect/scan-error.js';
import { createTokenBucket, systemClock, type Clock } from '../../../util/rate.js';
import { compareStrings } from '../../../util/sort.js';
import { kmsPrices, type KmsPrices } from '../prices.js';
import type { RegionUsageContext } from './context.js';
import { readSums, type MetricQuery, type MetricSeries } from './metrics.js';
import { readRequestQuotas } from './quotas.js';
import { kmsCallingBuckets } from './kms-calling-buckets.js';
import { readBucketMetricsConfigurations } from './s3-metrics-config.js';

/**
 * `--usage`: for every scanned Region, the KMS request quotas and the KMS
 * usage metrics of the last 30 days, and the S3 request metrics of the
 * buckets that call KMS on every object request. Runs after the checks (it
 * needs their buckets), records facts only, and never fails the scan: a
 * call that fails leaves its figures `unknown` with the reason and a scan
 * error (nothing is silently lost).
 *
 * Calls per Region: ListServiceQuotas (one page or two), GetMetricData for
 * the 30-day hourly sums (one call for up to 500 metrics, more pages only
 * when the data points exceed 90,000), GetMetricData for the one-minute
 * peaks of the metrics that had calls (likewise), and one
 * ListBucketMetricsConfigurations per SSE-KMS bucket without a Bucket Key.
 */

export const PERIOD_DAYS = 30;
/** One-minute data is kept for 15 days; 14 keeps the window safely inside it whenever the scan runs. */
export const PEAK_DAYS = 14;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** ListServiceQuotas: 10 requests per second per account and Region (Service Quotas User Guide, "Service quotas for Service Quotas"). */
export const LIST_SERVICE_QUOTAS_RATE_PER_SECOND = 10;
/** GetMetricData: one call per second and Region keeps 50 TPS and, with 90,000-point pages, 90,000 data points per second (metrics.ts). */
export const GET_METRIC_DATA_RATE_PER_SECOND = 1;

export interface UsageCollectOptions {
  clients: ClientFactory;
  accountId: string;
  partition: string;
  regions: readonly string[];
  /** What the checks found: the S3 buckets among them are the request-metrics candidates. */
  resources: readonly Resource[];
  concurrency: number;
  /** The scan's clock: the windows end at its last whole hour. */
  now: Date;
  log: (message: string) => void;
  /** Injected by tests: the clock that paces the calls. */
  clock?: Clock;
  prices?: KmsPrices;
}

export interface UsageCollectResult {
  usage: KmsUsage;
  errors: ScanError[];
}

/** The windows a scan at `now` reads: both end at the last whole hour. */
export function usageWindows(now: Date): { period: TimeWindow; peakWindow: TimeWindow } {
  const end = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS;
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    period: { start: iso(end - PERIOD_DAYS * DAY_MS), end: iso(end) },
    peakWindow: { start: iso(end - PEAK_DAYS * DAY_MS), end: iso(end) },
  };
}

export async function collectKmsUsage(options: UsageCollectOptions): Promise<UsageCollectResult> {
  const errors: ScanError[] = [];
  const windows = usageWindows(options.now);
  const clock = options.clock ?? systemClock;
  const prices = options.prices ?? kmsPrices();
  const regions = await Promise.all(
    [...options.regions].sort(compareStrings).map((region) => {
      const ctx: RegionUsageContext = {
        clients: options.clients,
        accountId: options.accountId,
        partition: options.partition,
        region,
        prices,
        // Each Region has its own quotas, so its own pacing.
        paceQuotas: createTokenBucket({ ratePerSecond: LIST_SERVICE_QUOTAS_RATE_PER_SECOND, clock }),
        paceMetrics: createTokenBucket({ ratePerSecond: GET_METRIC_DATA_RATE_PER_SECOND, clock }),
        concurrency: options.concurrency,
        errors,
        log: options.log,
      };
      return collectRegion(ctx, windows, kmsCallingBuckets(options.resources, region));
    }),
  );
  return { usage: { regions }, errors };
}

async function collectRegion(ctx: RegionUsageContext, windows: ReturnType<typeof usageWindows>, buckets: readonly Resource[]): Promise<KmsRegionUsage> {
  const [quotas, bucketMetrics] = await Promise.all([readRequestQuotas(ctx), readBucketMetricsConfigurations(ctx, buckets)]);
  const metered = meteredResources(quotas.items);
  const kmsQueries: MetricQuery[] = metered.map((m, i) => ({ id: `k${i}`, namespace: m.namespace, metricName: m.name, dimensions: m.dimensions, label: m.class === 'None' ? m.resource : `${m.resource} ${m.class}` }));
  const s3Queries: MetricQuery[] = bucketMetrics.flatMap((b, i) =>
    b.status === 'measured'
      ? (['GetRequests', 'PutRequests'] as const).map((metric) => ({
          id: `s${i}_${metric === 'GetRequests' ? 'get' : 'put'}`,
          namespace: 'AWS/S3',
          metricName: metric,
          dimensions: { BucketName: b.bucket, FilterId: b.filterId! },
          label: `${b.bucket} ${metric}`,
        }))
      : [],
  );

  const region: KmsRegionUsage = {
    accountId: ctx.accountId,
    region: ctx.region,
    period: windows.period,
    peakWindow: windows.peakWindow,
    metrics: { status: 'read', calls: 0, series: [] },
    quotas,
    ...(bucketMetrics.length > 0 ? { s3RequestMetrics: bucketMetrics } : {}),
  };
  if (kmsQueries.length === 0 && s3Queries.length === 0) return region;

  try {
    const hourly = await readSums(ctx, [...kmsQueries, ...s3Queries], windows.period, 3600);
    region.metrics.calls += hourly.calls;
    // Peaks only where there were calls: a metric without data points has no peak to find.
    const busy = kmsQueries.filter((q) => total(hourly.series.get(q.id)!) > 0);
    const minutes = busy.length > 0 ? await readSums(ctx, busy, windows.peakWindow, 60) : null;
    if (minutes) region.metrics.calls += minutes.calls;
    region.metrics.series = metered.map((m, i) => seriesFacts(m, hourly.series.get(`k${i}`)!, minutes?.series.get(`k${i}`)));
    bucketMetrics.forEach((b, i) => {
      if (b.status !== 'measured') return;
      const get = hourly.series.get(`s${i}_get`)!;
      const put = hourly.series.get(`s${i}_put`)!;
      b.getRequests = total(get);
      b.putRequests = total(put);
      if (!get.complete || !put.complete) b.error = { operation: 'GetMetricData', code: 'PartialData', message: [...get.messages, ...put.messages].join('; ') || 'CloudWatch returned partial data' };
    });
  } catch (e) {
    const info = describeAwsError(e);
    ctx.errors.push(scanError('kms', ctx.region, 'GetMetricData', info));
    const error = { operation: 'GetMetricData', code: info.code, message: info.message };
    region.metrics = { status: 'unknown', error, calls: region.metrics.calls, series: [] };
    for (const b of bucketMetrics) markUnknown(b, error);
  }
  return region;
}

interface MeteredMetric {
  namespace: string;
  name: string;
  dimensions: Record<string, string>;
  resource: string;
  class: string;
}

/** The distinct usage metrics the Region's quotas name (several quotas may share one), sorted by Resource. */
function meteredResources(quotas: readonly RequestQuota[]): MeteredMetric[] {
  const out = new Map<string, MeteredMetric>();
  for (const q of quotas) {
    const m = q.usageMetric;
    if (!m) continue;
    const key = JSON.stringify([m.namespace, m.name, Object.entries(m.dimensions).sort()]);
    if (!out.has(key)) out.set(key, { ...m, resource: m.dimensions.Resource ?? q.name, class: m.dimensions.Class ?? 'None' });
  }
  return [...out.values()].sort((a, b) => compareStrings(a.resource, b.resource) || compareStrings(a.class, b.class));
}

function total(s: MetricSeries): number {
  return s.points.reduce((sum, p) => sum + p.value, 0);
}

function seriesFacts(m: MeteredMetric, hourly: MetricSeries, minutes: MetricSeries | undefined): UsageSeries {
  let peak: { at: string; value: number } | null = null;
  for (const p of minutes?.points ?? []) if (!peak || p.value > peak.value) peak = p;
  const messages = [...hourly.messages, ...(minutes?.messages ?? [])];
  return {
    resource: m.resource,
    class: m.class,
    calls: total(hourly),
    hoursWithData: new Set(hourly.points.map((p) => p.at)).size,
    peakPerSecond: peak ? peak.value / 60 : null,
    peakMinute: peak ? peak.at : null,
    complete: hourly.complete && (minutes?.complete ?? true),
    ...(messages.length > 0 ? { messages } : {}),
  };
}

function markUnknown(b: BucketRequestMetrics, error: NonNullable<BucketRequestMetrics['error']>): void {
  if (b.status !== 'measured') return;
  b.status = 'unknown';
  b.error = error;
}
