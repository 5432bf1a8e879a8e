import { CloudWatchClient, GetMetricDataCommand, type MetricDataQuery, type MetricDataResult } from '@aws-sdk/client-cloudwatch';
import type { TimeWindow } from '../../../model/usage.js';
import type { RegionUsageContext } from './context.js';

/**
 * CloudWatch GetMetricData, in as few calls as the API allows: up to 500
 * metric queries per call (the API's limit), every page read (NextToken),
 * pages of at most 90,000 data points.
 *
 * Quotas it stays within, per account and Region
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_limits.html):
 * GetMetricData 50 transactions per second, and 90,000 data points per
 * second when StartTime is more than three hours ago (it always is here).
 * One call per second (ctx.paceMetrics) with MaxDatapoints 90,000 keeps
 * both, whatever else the account runs at the time is its own share.
 *
 * Data retention decides the resolution
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html,
 * MetricStat.Period): one-minute data points exist for 15 days, five-minute
 * ones for 63 days. The monthly totals therefore sum hourly data over 30
 * days, and the peaks read one-minute data over the last 14 days.
 */

/** GetMetricData takes at most 500 MetricDataQuery structures per call. */
export const MAX_QUERIES_PER_CALL = 500;
/** Data points per page: at one call per second this is the 90,000 data points per second quota. */
export const MAX_DATAPOINTS_PER_CALL = 90_000;
/** A page limit per batch, so an endpoint that repeats its NextToken cannot loop for ever. */
const MAX_PAGES = 200;

export interface MetricQuery {
  /** Unique within one read: a lower-case letter first, then letters, digits and underscores (the API's rule for Id). */
  id: string;
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  /** Echoed back by CloudWatch as the result's Label: names the series in the debug log and in recorded answers. */
  label: string;
}

export interface MetricSeries {
  points: Array<{ at: string; value: number }>;
  /** False when a page said PartialData without a following page, InternalError or Forbidden. */
  complete: boolean;
  messages: string[];
}

export interface MetricRead {
  series: Map<string, MetricSeries>;
  calls: number;
}

/**
 * Sum statistics of `queries` over `window` at `periodSeconds`. Throws what
 * the first failing call threw (the caller records it); results of earlier
 * pages are discarded with it, since a half-read month is not a month.
 */
export async function readSums(ctx: RegionUsageContext, queries: readonly MetricQuery[], window: TimeWindow, periodSeconds: number): Promise<MetricRead> {
  const client = ctx.clients.get(CloudWatchClient, ctx.region);
  const series = new Map<string, MetricSeries>(queries.map((q) => [q.id, { points: [], complete: true, messages: [] }]));
  let calls = 0;
  for (let start = 0; start < queries.length; start += MAX_QUERIES_PER_CALL) {
    const batch = queries.slice(start, start + MAX_QUERIES_PER_CALL);
    const metricQueries: MetricDataQuery[] = batch.map((q) => ({
      Id: q.id,
      MetricStat: {
        Metric: { Namespace: q.namespace, MetricName: q.metricName, Dimensions: Object.entries(q.dimensions).map(([Name, Value]) => ({ Name, Value })) },
        Period: periodSeconds,
        Stat: 'Sum',
      },
      Label: q.label,
      ReturnData: true,
    }));
    let token: string | undefined;
    const seen = new Set<string>();
    const last = new Map<string, string | undefined>();
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const out = await ctx.paceMetrics(() => {
        ctx.log(`cloudwatch GetMetricData ${ctx.region}: ${batch.length} queries, period ${periodSeconds}s, ${window.start}..${window.end}${token ? ' (next page)' : ''}`);
        return client.send(
          new GetMetricDataCommand({
            MetricDataQueries: metricQueries,
            StartTime: new Date(window.start),
            EndTime: new Date(window.end),
            MaxDatapoints: MAX_DATAPOINTS_PER_CALL,
            ScanBy: 'TimestampAscending',
            ...(token ? { NextToken: token } : {}),
          }),
        );
      });
      calls += 1;
      for (const result of out.MetricDataResults ?? []) addResult(series, last, result);
      token = out.NextToken || undefined;
      if (!token || seen.has(token)) break;
      seen.add(token);
    }
    if (token) {
      // Stopped by the page limit or a repeated token: what was read is a lower bound.
      for (const q of batch) markIncomplete(series.get(q.id)!, `pagination stopped after ${MAX_PAGES} pages or a repeated NextToken`);
    }
    for (const [id, status] of last) {
      // PartialData on the last page read, or an error: the series is short of data.
      if (status && status !== 'Complete') markIncomplete(series.get(id)!, `StatusCode ${status}`);
    }
  }
  return { series, calls };
}

function addResult(series: Map<string, MetricSeries>, last: Map<string, string | undefined>, result: MetricDataResult): void {
  const s = result.Id ? series.get(result.Id) : undefined;
  if (!s) return;
  const timestamps = result.Timestamps ?? [];
  const values = result.Values ?? [];
  for (let i = 0; i < Math.min(timestamps.length, values.length); i += 1) {
    const at = timestamps[i];
    const value = values[i];
    if (!(at instanceof Date) || Number.isNaN(at.getTime()) || typeof value !== 'number' || !Number.isFinite(value)) continue;
    s.points.push({ at: at.toISOString(), value });
  }
  if (timestamps.length !== values.length) markIncomplete(s, `${timestamps.length} timestamps for ${values.length} values`);
  for (const m of result.Messages ?? []) if (m.Value) s.messages.push(`${m.Code ?? 'Message'}: ${m.Value}`);
  last.set(result.Id!, result.StatusCode);
}

function markIncomplete(s: MetricSeries, why: string): void {
  s.complete = false;
  if (!s.messages.includes(why)) s.messages.push(why);
}
