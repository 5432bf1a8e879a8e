import type { KeyRecord, Resource } from '../../../model/inventory.js';
import type { RegionDrivers, RegionRequestCost, RequestCost, RequestCostLine } from '../../../model/request-cost.js';
import type { KmsRegionUsage, KmsUsage } from '../../../model/usage.js';
import { compareStrings, sortBy } from '../../../util/sort.js';
import { kmsPrices, type KmsPrices } from '../prices.js';
import { regionDrivers, roundUsd, thousands } from './drivers.js';
import { regionHeadroom } from './headroom.js';
import { metricPrice, quotaPricing } from './pricing.js';

/**
 * The KMS request charge of a month, from the account's own usage: for each
 * usage metric of each Region, calls × the price of its class (the pricing
 * page's lines, data/kms-prices.json), then the free tier once per account
 * across its Regions. Beside it the quota headroom and the drivers. Pure
 * arithmetic over the inventory: nothing here is estimated that the
 * inventory did not measure, and what could not be measured is null with a
 * note. The engine puts the result in `cost.requests`.
 */

const SOURCE =
  'CloudWatch AWS/Usage CallCount (Service=KMS, Type=API, Class=None; Resource = the operation or shared quota), Sum of hourly data points over the last 30 days; peaks from one-minute Sums over the last 14 days; quotas from Service Quotas (ListServiceQuotas, service code kms) or the documented defaults';

export function requestCost(usage: KmsUsage | undefined, keys: readonly KeyRecord[], resources: readonly Resource[], scannedRegions: readonly string[], accountId: string, prices: KmsPrices = kmsPrices()): RequestCost {
  const freeTier = prices.freeRequestsPerMonth;
  const requestPrice = prices.requestPrices.classes.requests.usdPer10000;
  const base = {
    prices: { source: prices.requestPrices.source, checked: prices.requestPrices.checked },
    quotaDefaults: { source: prices.requestQuotas.source, checked: prices.requestQuotas.checked },
  };
  if (!usage || usage.regions.length === 0) {
    const drivers = driversWithout(keys, resources, scannedRegions, accountId, prices);
    return {
      status: 'not-collected',
      monthlyCalls: null,
      monthlyUsd: null,
      byOperation: [],
      byRegion: [],
      period: null,
      source: 'not collected: scan with --usage to read the KMS usage metrics and request quotas',
      ...base,
      freeTier: { requestsPerMonth: freeTier, eligibleCalls: null, appliedCalls: null },
      drivers,
      notes: [`KMS request charges are not estimated without usage data: scan with --usage. Symmetric requests cost $${requestPrice} per 10,000 beyond ${thousands(freeTier)} free per month (all Regions together).`],
    };
  }

  const regions = sortBy(usage.regions, (r) => [r.accountId, r.region]);
  const byRegion = regions.map((r) => regionCost(r, keys, prices));
  const measured = byRegion.filter((r) => r.status !== 'unknown');
  const notes: string[] = [];

  // The free tier applies once per account (all Regions together), to the calls it covers.
  const accounts = [...new Set(measured.map((r) => r.accountId))].sort(compareStrings);
  const eligibleOf = (account: string) => sum(measured.filter((r) => r.accountId === account).flatMap((r) => r.byOperation.filter((l) => l.freeTier).map((l) => l.calls)));
  const grossOf = (account: string, pick: (l: RequestCostLine) => number | null | undefined) => {
    const lines = measured.filter((r) => r.accountId === account).flatMap((r) => r.byOperation);
    if (lines.some((l) => pick(l) === null)) return null;
    return sum(lines.map((l) => pick(l) ?? 0));
  };
  const chargeOf = (account: string, fewerFreeTierCalls = 0, high = false): number | null => {
    const gross = grossOf(account, (l) => exactUsd(l, high));
    if (gross === null) return null;
    const eligible = Math.max(0, eligibleOf(account) - fewerFreeTierCalls);
    const fewerUsd = (Math.min(fewerFreeTierCalls, eligibleOf(account)) / 10_000) * requestPrice;
    const credit = (Math.min(eligible, freeTier) / 10_000) * requestPrice;
    return Math.max(0, gross - fewerUsd - credit);
  };

  const totals = accounts.map((a) => ({ low: chargeOf(a), high: chargeOf(a, 0, true) }));
  const monthlyUsd = totals.some((t) => t.low === null) || measured.length === 0 ? null : roundUsd(sum(totals.map((t) => t.low!)));
  const monthlyUsdHigh = totals.some((t) => t.high === null) || measured.length === 0 ? null : roundUsd(sum(totals.map((t) => t.high!)));
  const eligible = measured.length > 0 ? sum(accounts.map(eligibleOf)) : null;

  const regionKeys = new Set(regions.map((r) => `${r.accountId} ${r.region}`));
  const notCollected = scannedRegions.filter((r) => !regionKeys.has(`${accountId} ${r}`) && accountId !== 'multiple');
  const unknown = byRegion.filter((r) => r.status === 'unknown');
  const partial = byRegion.filter((r) => r.status === 'partial');
  if (unknown.length > 0) notes.push(`usage unknown in ${unknown.map((r) => r.region).join(', ')}: ${unknown.map((r) => r.reason).join('; ')}; the totals cover the other Regions only`);
  if (partial.length > 0) notes.push(`CloudWatch returned partial data in ${partial.map((r) => r.region).join(', ')}: those figures are lower bounds`);
  if (notCollected.length > 0) notes.push(`no usage data for ${notCollected.join(', ')} (scanned without --usage): not in the totals`);
  notes.push(
    `the free tier (${thousands(freeTier)} requests a month) is shared by every Region of the account${accountId === 'multiple' ? '' : ' and, under consolidated billing, by the organization'}: KMS use outside the scanned Regions leaves less of it, so the charge can be up to $${roundUsd((freeTier / 10_000) * requestPrice).toFixed(2)} higher`,
  );
  notes.push('usage metrics are per account and Region, not per key or resource: the drivers say where the calls most likely come from');
  notes.push("calls on other accounts' keys are billed to this account (the caller) and counted here; calls by other accounts on this account's keys are billed to them and not counted");
  if (monthlyUsdHigh !== null && monthlyUsd !== null && monthlyUsdHigh !== monthlyUsd) notes.push(`RSA calls are priced by key size, which the shared RSA metric does not say: $${monthlyUsd.toFixed(2)} to $${monthlyUsdHigh.toFixed(2)}`);

  const period = regions[0]!;
  const driverCtx = {
    prices,
    charge: (account: string) => chargeOf(account),
    chargeWithFewerCalls: (account: string, fewer: number) => chargeOf(account, fewer),
  };
  const drivers = regions.map((r) => regionDrivers(r.accountId, r.region, r, resources, keys, driverCtx));
  for (const region of notCollected) drivers.push(regionDrivers(accountId, region, undefined, resources, keys, driverCtx));

  return {
    status: measured.length === 0 ? 'unknown' : unknown.length > 0 || partial.length > 0 || notCollected.length > 0 ? 'partial' : 'measured',
    monthlyCalls: measured.length > 0 ? sum(measured.map((r) => r.monthlyCalls ?? 0)) : null,
    monthlyUsd,
    ...(monthlyUsdHigh !== monthlyUsd ? { monthlyUsdMax: monthlyUsdHigh } : {}),
    byOperation: combineLines(measured.flatMap((r) => r.byOperation)),
    byRegion,
    period: { days: Math.round((Date.parse(period.period.end) - Date.parse(period.period.start)) / 86_400_000), start: period.period.start, end: period.period.end, peakWindow: { ...period.peakWindow, resolutionSeconds: 60 } },
    source: SOURCE,
    ...base,
    freeTier: { requestsPerMonth: freeTier, eligibleCalls: eligible, appliedCalls: eligible === null ? null : Math.min(eligible, freeTier * accounts.length) },
    drivers: sortBy(drivers, (d) => [d.accountId, d.region]),
    notes,
  };
}

function regionCost(region: KmsRegionUsage, keys: readonly KeyRecord[], prices: KmsPrices): RegionRequestCost {
  const quotaNote = region.quotas.error ? `ListServiceQuotas failed (${region.quotas.error.code}: ${region.quotas.error.message}): documented default quotas used` : undefined;
  const common = {
    accountId: region.accountId,
    region: region.region,
    quotaSource: region.quotas.source,
    ...(quotaNote ? { quotaNote } : {}),
    headroom: regionHeadroom(region),
  };
  if (region.metrics.status === 'unknown') {
    const e = region.metrics.error;
    return { ...common, status: 'unknown', reason: e ? `${e.operation} ${e.code}: ${e.message}` : 'the usage metrics could not be read', monthlyCalls: null, monthlyUsd: null, byOperation: [] };
  }
  const lines: RequestCostLine[] = region.metrics.series.map((s) => {
    const quotas = region.quotas.items.filter((q) => q.usageMetric && (q.usageMetric.dimensions.Resource ?? q.name) === s.resource && (q.usageMetric.dimensions.Class ?? 'None') === s.class);
    const pricings = [...new Set(quotas.map((q) => quotaPricing(q, prices)))];
    const price = metricPrice(pricings.length === 1 ? pricings[0]! : 'unknown', region, keys, prices);
    return line(s.resource, quotas.map((q) => q.name).sort(compareStrings), s.calls, price);
  });
  const byOperation = sortLines(lines);
  // Totals from calls × price, not from the rounded lines: rounding each line first would drift.
  const usd = byOperation.some((l) => l.monthlyUsd === null) ? null : roundUsd(sum(byOperation.map((l) => exactUsd(l, false)!)));
  const usdMax = byOperation.some((l) => l.monthlyUsd === null) ? null : roundUsd(sum(byOperation.map((l) => exactUsd(l, true)!)));
  return {
    ...common,
    status: region.metrics.series.every((s) => s.complete) ? 'measured' : 'partial',
    monthlyCalls: sum(byOperation.map((l) => l.calls)),
    monthlyUsd: usd,
    ...(usdMax !== usd ? { monthlyUsdMax: usdMax } : {}),
    byOperation,
  };
}

function line(operation: string, quotas: string[], calls: number, price: ReturnType<typeof metricPrice>): RequestCostLine {
  const out: RequestCostLine = {
    operation,
    quotas,
    pricing: price.pricing,
    calls,
    usdPer10000: price.usdPer10000,
    ...(price.usdPer10000Max !== undefined ? { usdPer10000Max: price.usdPer10000Max } : {}),
    freeTier: price.freeTier,
    monthlyUsd: price.usdPer10000 === null ? null : roundUsd((calls / 10_000) * price.usdPer10000),
    priceBasis: price.basis,
  };
  if (price.usdPer10000Max !== undefined) out.monthlyUsdMax = roundUsd((calls / 10_000) * price.usdPer10000Max);
  return out;
}

/** The lines of several Regions, per operation and pricing. */
function combineLines(lines: readonly RequestCostLine[]): RequestCostLine[] {
  const byKey = new Map<string, RequestCostLine>();
  for (const l of lines) {
    const key = `${l.operation}\u0000${l.pricing}\u0000${l.usdPer10000}\u0000${l.usdPer10000Max}`;
    const seen = byKey.get(key);
    if (!seen) {
      byKey.set(key, { ...l, quotas: [...l.quotas] });
      continue;
    }
    seen.calls += l.calls;
    seen.quotas = [...new Set([...seen.quotas, ...l.quotas])].sort(compareStrings);
    // The same price on both sides (it is part of the key): recompute from the summed calls.
    const low = exactUsd(seen, false);
    seen.monthlyUsd = low === null ? null : roundUsd(low);
    if (seen.usdPer10000Max !== undefined) seen.monthlyUsdMax = roundUsd(exactUsd(seen, true)!);
    if (seen.priceBasis !== l.priceBasis) seen.priceBasis = `${seen.priceBasis}; ${l.priceBasis}`;
  }
  return sortLines([...byKey.values()]);
}

/** Most expensive first, then most calls, then by name; lines without calls last. */
function sortLines(lines: RequestCostLine[]): RequestCostLine[] {
  return sortBy(lines, (l) => [l.calls === 0 ? 1 : 0, -(l.monthlyUsdMax ?? l.monthlyUsd ?? 0), -l.calls, l.operation]);
}

function driversWithout(keys: readonly KeyRecord[], resources: readonly Resource[], regions: readonly string[], accountId: string, prices: KmsPrices): RegionDrivers[] {
  const ctx = { prices, charge: () => null, chargeWithFewerCalls: () => null };
  const pairs = new Map<string, [string, string]>();
  for (const r of resources) pairs.set(`${r.accountId} ${r.region}`, [r.accountId, r.region]);
  for (const region of regions) if (accountId !== 'multiple') pairs.set(`${accountId} ${region}`, [accountId, region]);
  return sortBy(
    [...pairs.values()].filter(([, region]) => region !== 'unknown' && region !== 'global').map(([account, region]) => regionDrivers(account, region, undefined, resources, keys, ctx)),
    (d) => [d.accountId, d.region],
  ).filter((d) => d.buckets.length + d.dynamodbTables.length + d.lambdaFunctions.length + (d.recentlyUsedKeys?.length ?? 0) > 0);
}

/** calls × price of a line, unrounded (the high end of a range with `high`); null when the price is unknown. */
function exactUsd(l: RequestCostLine, high: boolean): number | null {
  const price = high ? (l.usdPer10000Max ?? l.usdPer10000) : l.usdPer10000;
  return price === null ? null : (l.calls / 10_000) * price;
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
