import { ListServiceQuotasCommand, ServiceQuotasClient, type ServiceQuota } from '@aws-sdk/client-service-quotas';
import { describeAwsError } from '../../../aws/errors.js';
import type { KeyFactError } from '../../../model/inventory.js';
import type { RequestQuota, RequestQuotas } from '../../../model/usage.js';
import { scanError } from '../../../collect/scan-error.js';
import { defaultQuotaValue, type DefaultRequestQuota } from '../prices.js';
import type { RegionUsageContext } from './context.js';

/**
 * The KMS request quotas of one Region: the applied values from Service
 * Quotas (ListServiceQuotas, service code `kms`, every page), completed by
 * the documented defaults of data/kms-prices.json for the quotas it does not
 * list ("If the applied quota value is not available for a quota, the quota
 * is not retrieved", ListServiceQuotas API reference) — or all defaults when
 * the call fails, with the reason.
 *
 * ListServiceQuotas allows 10 requests per second per account and Region
 * (https://docs.aws.amazon.com/servicequotas/latest/userguide/reference_limits.html):
 * the pages are paced by ctx.paceQuotas.
 */

/** The namespace and metric every KMS request-quota usage metric lives in (CloudWatch User Guide, "CloudWatch usage metrics"). */
export const USAGE_NAMESPACE = 'AWS/Usage';
export const USAGE_METRIC = 'CallCount';

/** The AWS/Usage dimensions of a KMS usage metric named by its Resource dimension (Service=KMS, Type=API, Class=None). */
export function kmsUsageDimensions(resource: string): Record<string, string> {
  return { Service: 'KMS', Type: 'API', Resource: resource, Class: 'None' };
}

/** A page limit so an endpoint that repeats its NextToken cannot loop for ever. */
const MAX_PAGES = 50;

export async function readRequestQuotas(ctx: RegionUsageContext): Promise<RequestQuotas> {
  const client = ctx.clients.get(ServiceQuotasClient, ctx.region);
  const listed: ServiceQuota[] = [];
  let error: KeyFactError | undefined;
  try {
    let token: string | undefined;
    const seen = new Set<string>();
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const out = await ctx.paceQuotas(() => {
        ctx.log(`servicequotas ListServiceQuotas kms ${ctx.region}${token ? ' (next page)' : ''}`);
        return client.send(new ListServiceQuotasCommand({ ServiceCode: 'kms', MaxResults: 100, ...(token ? { NextToken: token } : {}) }));
      });
      listed.push(...(out.Quotas ?? []));
      token = out.NextToken || undefined;
      if (!token || seen.has(token)) break;
      seen.add(token);
    }
  } catch (e) {
    const info = describeAwsError(e);
    ctx.errors.push(scanError('kms', ctx.region, 'ListServiceQuotas', info));
    error = { operation: 'ListServiceQuotas', code: info.code, message: info.message };
  }
  const applied = error ? [] : listed.map((q) => appliedQuota(q)).filter((q): q is RequestQuota => q !== null);
  const items = [...applied];
  for (const d of ctx.prices.requestQuotas.quotas) {
    const match = applied.find((a) => (d.code !== null && a.code === d.code) || a.name === d.name);
    if (match) {
      // Service Quotas did not name a usage metric: the data file's, when it knows one.
      if (!match.usageMetric && d.usageResource) match.usageMetric = usageMetricOf(d.usageResource);
      continue;
    }
    items.push(defaultQuota(ctx, d));
  }
  return {
    source: error ? 'defaults' : 'service-quotas',
    ...(error ? { error } : {}),
    items: items.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
  };
}

function usageMetricOf(resource: string): RequestQuota['usageMetric'] {
  return { namespace: USAGE_NAMESPACE, name: USAGE_METRIC, dimensions: kmsUsageDimensions(resource) };
}

/** Seconds in one unit of a Service Quotas Period (QuotaPeriod.PeriodUnit). */
const PERIOD_SECONDS: Record<string, number> = { MICROSECOND: 1e-6, MILLISECOND: 1e-3, SECOND: 1, MINUTE: 60, HOUR: 3600, DAY: 86_400, WEEK: 604_800 };

/** A listed quota as a per-second rate; null for one that is not a rate atrest can use (no value, no name). */
function appliedQuota(q: ServiceQuota): RequestQuota | null {
  if (!q.QuotaName || typeof q.Value !== 'number' || !Number.isFinite(q.Value) || q.Value <= 0) return null;
  // Request quotas are per second; a Period of another length is converted, one without a Period is taken as per second.
  const unit = q.Period?.PeriodUnit ? PERIOD_SECONDS[q.Period.PeriodUnit] : 1;
  const seconds = (q.Period?.PeriodValue ?? 1) * (unit ?? 1);
  if (!(seconds > 0)) return null;
  const metric = q.UsageMetric;
  return {
    code: q.QuotaCode ?? null,
    name: q.QuotaName,
    arn: q.QuotaArn ?? null,
    valuePerSecond: q.Value / seconds,
    valueSource: 'applied',
    adjustable: typeof q.Adjustable === 'boolean' ? q.Adjustable : null,
    usageMetric:
      metric?.MetricNamespace && metric.MetricName
        ? { namespace: metric.MetricNamespace, name: metric.MetricName, dimensions: { ...(metric.MetricDimensions ?? {}) } }
        : null,
  };
}

function defaultQuota(ctx: RegionUsageContext, d: DefaultRequestQuota): RequestQuota {
  return {
    code: d.code,
    name: d.name,
    // The ARN Service Quotas gives a quota (arn:PARTITION:servicequotas:REGION:ACCOUNT:kms/CODE), for a known code.
    arn: d.code ? `arn:${ctx.partition}:servicequotas:${ctx.region}:${ctx.accountId}:kms/${d.code}` : null,
    valuePerSecond: defaultQuotaValue(d, ctx.region),
    valueSource: 'default',
    adjustable: null,
    usageMetric: d.usageResource ? usageMetricOf(d.usageResource) : null,
  };
}
