import type { KeyRecord, Resource } from '../../model/inventory.js';
import { rotationCanExist } from '../../keys/rotation.js';
import type { BucketWithoutBucketKey, CostReport, KeyCost, KeyCostLine, MultiRegionKeyOutsideScan } from '../../model/report.js';
import { sortBy } from '../../util/sort.js';
import { PENDING_DELETION_STATES } from '../../keys/states.js';
import { kmsPrices, type KmsPrices } from './prices.js';
import type { KmsUsage } from '../../model/usage.js';
import { requestCost } from './usage/request-cost.js';

/**
 * The estimated monthly KMS key charge, per key and in total, and the S3
 * buckets whose every object request calls KMS. Pure arithmetic over the
 * inventory and the price file: never a guess — a charge that cannot be known
 * is null (or marked incomplete) with the reason.
 */

export function keyMonthlyCost(key: KeyRecord, prices: KmsPrices = kmsPrices()): KeyCost {
  const cost: KeyCost = { keyArn: key.arn, region: key.region, alias: key.aliases[0] ?? null, monthlyCostUsd: 0, complete: true, lines: [], notes: [] };
  if (!key.inScannedAccount) {
    cost.notes.push(`key of account ${key.accountId}: its owner pays the key charge (requests are billed to the calling account)`);
    return cost;
  }
  if (key.manager === 'AWS') {
    cost.notes.push('AWS managed key: no monthly charge (requests are billed)');
    return cost;
  }
  if (key.state === 'NotFound') {
    cost.notes.push('the key does not exist: nothing to bill');
    return cost;
  }
  if (key.manager !== 'CUSTOMER') {
    cost.monthlyCostUsd = null;
    cost.complete = false;
    cost.notes.push('who manages the key is unknown (DescribeKey failed), so its charge is unknown');
    return cost;
  }
  if (PENDING_DELETION_STATES.has(key.state)) {
    cost.notes.push(`${key.state}: keys scheduled for deletion are not billed; cancelling the deletion bills it as if it had never been scheduled`);
    cost.monthlyCostUsd = prices.pendingDeletionMonthlyUsd;
    return cost;
  }
  const replica = key.multiRegionConfiguration?.keyType === 'REPLICA';
  const primary = key.multiRegionConfiguration?.keyType === 'PRIMARY';
  const lines: KeyCostLine[] = [
    { item: replica ? 'multi-Region replica key' : primary ? 'multi-Region primary key' : 'customer managed key', usd: prices.customerManagedKeyMonthlyUsd },
  ];
  const rotations = key.rotations;
  if (rotations && rotations.count !== null) {
    const billed = Math.min(rotations.count, prices.billedRotations);
    for (let i = 1; i <= billed; i += 1) lines.push({ item: `rotation ${i}`, usd: prices.rotationMonthlyUsd });
    if (rotations.count > prices.billedRotations) {
      cost.notes.push(`${rotations.count} rotations: only the first ${prices.billedRotations} are billed`);
    }
  } else if (rotations?.error) {
    cost.complete = false;
    cost.notes.push(`rotation charges unknown: ListKeyRotations failed (${rotations.error.code}); each of the first ${prices.billedRotations} rotations adds $${prices.rotationMonthlyUsd}/month`);
  } else if (rotationCanExist(key) && !rotations) {
    cost.complete = false;
    cost.notes.push(`rotation history not in the inventory: each of the first ${prices.billedRotations} rotations would add $${prices.rotationMonthlyUsd}/month`);
  }
  if (key.customKeyStore || key.origin === 'AWS_CLOUDHSM' || key.origin === 'EXTERNAL_KEY_STORE') {
    cost.notes.push('its custom key store (CloudHSM cluster or external key manager) is billed separately and not estimated');
  }
  cost.lines = lines;
  cost.monthlyCostUsd = roundUsd(lines.reduce((sum, l) => sum + l.usd, 0));
  return cost;
}

/** Buckets whose default encryption calls KMS on every object request: SSE-KMS without a Bucket Key, and DSSE-KMS (which cannot use one). */
export function bucketsWithoutBucketKey(resources: readonly Resource[], prices: KmsPrices = kmsPrices()): BucketWithoutBucketKey[] {
  const out: BucketWithoutBucketKey[] = [];
  for (const r of resources) {
    if (r.service !== 's3' || r.type !== 'bucket') continue;
    const algorithm = r.attributes.sseAlgorithm;
    if (algorithm !== 'aws:kms' && algorithm !== 'aws:kms:dsse') continue;
    if (algorithm === 'aws:kms' && r.attributes.bucketKeyEnabled === true) continue;
    out.push({
      bucketArn: r.arn,
      region: r.region,
      keyArn: r.protection.keyArn,
      sseAlgorithm: algorithm,
      requestPriceUsdPer10000: prices.symmetricRequestsPer10000Usd,
      note:
        algorithm === 'aws:kms:dsse'
          ? 'DSSE-KMS cannot use a Bucket Key: every object request calls KMS'
          : 'SSE-KMS without a Bucket Key: every PUT, GET and COPY calls KMS; a Bucket Key cuts those requests by up to 99%',
    });
  }
  return sortBy(out, (b) => [b.bucketArn]);
}

/** Members of scanned multi-Region key sets whose regions were not scanned: billed too, but not read. */
function multiRegionOutsideScan(keys: readonly KeyRecord[], prices: KmsPrices): MultiRegionKeyOutsideScan[] {
  const known = new Set(keys.map((k) => k.arn));
  const out = new Map<string, MultiRegionKeyOutsideScan>();
  for (const key of keys) {
    if (!key.inScannedAccount || key.manager !== 'CUSTOMER' || !key.multiRegionConfiguration) continue;
    const config = key.multiRegionConfiguration;
    for (const member of [config.primary, ...config.replicas]) {
      if (!member || known.has(member.arn) || out.has(member.arn)) continue;
      out.set(member.arn, { keyArn: member.arn, region: member.region, listedBy: key.arn, monthlyCostUsdIfEnabled: prices.customerManagedKeyMonthlyUsd });
    }
  }
  return sortBy([...out.values()], (m) => [m.keyArn]);
}

/** What the request charge is computed from: the inventory's usage facts and what was scanned. */
export interface UsageInput {
  usage?: KmsUsage;
  regions: readonly string[];
  accountId: string;
}

export function costReport(keys: readonly KeyRecord[], resources: readonly Resource[], prices: KmsPrices = kmsPrices(), usage?: UsageInput): CostReport {
  const perKey = keys.map((k) => keyMonthlyCost(k, prices));
  const known = perKey.filter((c) => c.monthlyCostUsd !== null);
  const total = roundUsd(known.reduce((sum, c) => sum + (c.monthlyCostUsd ?? 0), 0));
  const billed = perKey.filter((c) => (c.monthlyCostUsd ?? 0) > 0).length;
  const unknown = perKey.filter((c) => c.monthlyCostUsd === null).length;
  const outside = multiRegionOutsideScan(keys, prices);
  const buckets = bucketsWithoutBucketKey(resources, prices);
  const requests = requestCost(usage?.usage, keys, resources, usage?.regions ?? [], usage?.accountId ?? '', prices);
  const notes: string[] = [];
  const incomplete = perKey.filter((c) => !c.complete);
  if (incomplete.length > 0) notes.push(`${incomplete.length} key charge(s) unknown or a lower bound: see keys[].notes`);
  if (outside.length > 0) {
    notes.push(
      `${outside.length} multi-Region key(s) outside the scanned regions are billed too (about $${roundUsd(outside.length * prices.customerManagedKeyMonthlyUsd)}/month more if enabled); scan their regions to include them`,
    );
  }
  return {
    currency: prices.currency,
    monthlyKeyChargesUsd: total,
    complete: incomplete.length === 0 && outside.length === 0,
    // Most expensive first; unknown charges last.
    keys: sortBy(perKey, (c) => [c.monthlyCostUsd === null ? 1 : -c.monthlyCostUsd, c.keyArn]),
    keyCounts: {
      billed,
      free: perKey.length - billed - unknown,
      unknown,
      multiRegionReplicas: keys.filter((k) => k.inScannedAccount && k.multiRegionConfiguration?.keyType === 'REPLICA').length,
      rotationCharges: perKey.reduce((n, c) => n + c.lines.filter((l) => l.item.startsWith('rotation')).length, 0),
    },
    multiRegionKeysOutsideScan: outside,
    bucketsWithoutBucketKey: buckets,
    requestCharges: requestChargesSentence(requests, prices),
    requests,
    prices: { source: prices.source, checked: prices.checked, notes: [...prices.notes] },
    notes,
  };
}

/** `requestCharges`: the request charge in one sentence, or why there is none. */
function requestChargesSentence(requests: CostReport['requests'], prices: KmsPrices): string {
  if (requests.status === 'not-collected') {
    return `KMS request charges are not estimated: atrest reads settings, and request counts only with --usage. Symmetric requests cost $${prices.symmetricRequestsPer10000Usd} per 10,000 beyond ${thousands(prices.freeRequestsPerMonth)} free per month (all regions together); see Cost Explorer for actual usage.`;
  }
  if (requests.monthlyUsd === null) return 'KMS request charges are unknown: the usage metrics could not be read (see requests.notes).';
  const range = requests.monthlyUsdMax != null && requests.monthlyUsdMax !== requests.monthlyUsd ? ` to $${requests.monthlyUsdMax.toFixed(2)}` : '';
  return `KMS request charges: about $${requests.monthlyUsd.toFixed(2)}${range} a month after the free tier, from ${thousands(requests.monthlyCalls ?? 0)} calls in the last ${requests.period?.days ?? 30} days (${requests.status === 'measured' ? 'every scanned region measured' : 'partial: see requests.notes'}).`;
}

/** 20000 → "20,000", the same on every machine (no locale data involved). */
function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Cents, without floating-point noise. */
function roundUsd(value: number): number {
  return Math.round(value * 100) / 100;
}
