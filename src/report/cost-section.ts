import type { ChalkInstance } from 'chalk';
import type { CostReport } from '../model/report.js';
import type { RequestCost } from '../model/request-cost.js';

/**
 * The cost lines shared by the report table and the keys table. Renders
 * what the engine computed; computes nothing.
 */
export function renderCostSection(cost: CostReport, c: ChalkInstance): string[] {
  const out: string[] = [];
  const k = cost.keyCounts;
  const usd = (n: number): string => `$${n.toFixed(2)}`;
  out.push(c.bold('Estimated KMS cost (monthly, list prices)'));
  const total = `${usd(cost.monthlyKeyChargesUsd)}${cost.complete ? '' : ' or more'}`;
  out.push(
    `  key charges: ${c.bold(total)} ${cost.currency} for ${k.billed} billed key(s)` +
      ` (${k.rotationCharges} rotation charge(s), ${k.multiRegionReplicas} multi-Region replica(s) billed as keys; ${k.free} free${k.unknown ? `, ${k.unknown} unknown` : ''})`,
  );
  for (const m of cost.multiRegionKeysOutsideScan) {
    out.push(`  ${c.yellow('+')} multi-Region key ${m.keyArn} (${m.region}, not scanned): ${usd(m.monthlyCostUsdIfEnabled)} if enabled`);
  }
  if (cost.bucketsWithoutBucketKey.length > 0) {
    out.push(`  S3 buckets that call KMS on every object request (each request billed at $${cost.bucketsWithoutBucketKey[0]!.requestPriceUsdPer10000} per 10,000 beyond the free tier):`);
    for (const b of cost.bucketsWithoutBucketKey) out.push(`    ${b.bucketArn} (${b.region}, ${b.sseAlgorithm}): ${b.note}`);
  }
  for (const note of cost.notes) out.push(`  ${c.gray(note)}`);
  if (cost.requests && cost.requests.status !== 'not-collected') out.push(...renderRequests(cost.requests, c));
  else out.push(`  ${c.gray(cost.requestCharges)}`);
  out.push(`  ${c.gray(`prices: ${cost.prices.source}, checked ${cost.prices.checked}`)}`);
  return out;
}

/** How many operations, quotas and drivers each region shows; the JSON has them all. */
const TOP = 3;

/** The request charge, the quota headroom and the drivers (--usage), as the engine computed them. */
function renderRequests(r: RequestCost, c: ChalkInstance): string[] {
  const out: string[] = [];
  const money = (n: number | null | undefined): string => (n === null || n === undefined ? c.magenta('unknown') : n > 0 && n < 0.01 ? 'under $0.01' : `$${n.toFixed(2)}`);
  const count = (n: number | null | undefined): string => (n === null || n === undefined ? 'unknown' : String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ','));
  const range = r.monthlyUsdMax !== undefined && r.monthlyUsdMax !== r.monthlyUsd ? ` to ${money(r.monthlyUsdMax)}` : '';
  const window = r.period ? `last ${r.period.days} days, ${r.period.start.slice(0, 10)} to ${r.period.end.slice(0, 10)}` : 'no period';
  out.push(`  request charges (${window}): ${c.bold(`${money(r.monthlyUsd)}${range}`)} a month after the free tier, ${count(r.monthlyCalls)} KMS calls${r.status === 'measured' ? '' : c.magenta(` (${r.status})`)}`);
  for (const region of r.byRegion) {
    if (region.status === 'unknown') {
      out.push(`    ${region.region}: ${c.magenta(`usage unknown: ${region.reason ?? ''}`)}`);
    } else {
      const top = region.byOperation.filter((l) => l.calls > 0).slice(0, TOP).map((l) => `${l.operation} ${count(l.calls)}${l.monthlyUsd !== null ? ` (${money(l.monthlyUsd)}${l.monthlyUsdMax !== undefined ? `-${money(l.monthlyUsdMax)}` : ''})` : ''}`);
      out.push(`    ${region.region}: ${count(region.monthlyCalls)} calls, ${money(region.monthlyUsd)} before the free tier${top.length > 0 ? `; ${top.join(', ')}` : ''}`);
    }
    const measured = region.headroom.filter((h) => h.status === 'measured').slice(0, TOP);
    const quotas = region.quotaNote ? ` ${c.yellow(region.quotaNote)}` : '';
    if (measured.length > 0) {
      const peaks = measured.map((h) => {
        const text = `${h.quota}: ${h.sharePercent}% (${h.peakPerSecond !== null && h.peakPerSecond >= 100 ? count(h.peakPerSecond) : h.peakPerSecond}/s of ${count(h.valuePerSecond)}/s, ${h.valueSource})`;
        // Over 100% is a fact (requests were throttled); whether less is too close is KMS.QUOTA_HEADROOM's call.
        return h.sharePercent !== null && h.sharePercent > 100 ? c.red(text) : text;
      });
      out.push(`      quota headroom, busiest minute: ${peaks.join('; ')}${quotas}`);
    } else if (quotas) out.push(`     ${quotas}`);
  }
  for (const d of r.drivers) {
    const lines: string[] = [];
    for (const b of d.buckets) {
      const name = b.bucketArn.replace(/^arn:[^:]+:s3:::/, '');
      lines.push(
        b.estimatedKmsRequests !== null
          ? `s3 ${name}: ${count(b.estimatedKmsRequests)} GET+PUT requests (S3 request metrics) ≈ ${money(b.estimatedMonthlyUsd)} of KMS requests${b.bucketKeySavingsUsd !== null ? `; a Bucket Key would save up to ${money(b.bucketKeySavingsUsd)} a month` : ''}`
          : `s3 ${name}: ${c.gray(b.note)}`,
      );
    }
    if (d.dynamodbTables.length > 0) lines.push(`dynamodb: ${d.dynamodbTables.length} table(s) on customer managed keys`);
    if (d.lambdaFunctions.length > 0) lines.push(`lambda: ${d.lambdaFunctions.length} function(s) on customer managed keys`);
    if (d.recentlyUsedKeys && d.recentlyUsedKeys.length > 0) lines.push(`keys used most recently: ${d.recentlyUsedKeys.slice(0, TOP).map((k) => `${k.alias ?? k.keyArn} (${k.lastUsedAt.slice(0, 10)}${k.operation ? `, ${k.operation}` : ''})`).join(', ')}`);
    if (lines.length === 0) continue;
    out.push(`    drivers in ${d.region}:`);
    for (const l of lines) out.push(`      ${l}`);
  }
  for (const note of r.notes) out.push(`  ${c.gray(note)}`);
  out.push(`  ${c.gray(`request prices: ${r.prices.source}, checked ${r.prices.checked}; default quotas: ${r.quotaDefaults.source}, checked ${r.quotaDefaults.checked}`)}`);
  return out;
}
