import type { ChalkInstance } from 'chalk';
import type { CostReport } from '../model/report.js';

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
  out.push(`  ${c.gray(cost.requestCharges)}`);
  out.push(`  ${c.gray(`prices: ${cost.prices.source}, checked ${cost.prices.checked}`)}`);
  return out;
}
