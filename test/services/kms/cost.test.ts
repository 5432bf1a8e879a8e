import { describe, expect, it } from 'vitest';
import type { KeyRecord } from '../../../src/model/inventory.js';
import { evaluate } from '../../../src/engine/engine.js';
import { costReport, keyMonthlyCost } from '../../../src/services/kms/cost.js';
import { kmsPrices } from '../../../src/services/kms/prices.js';
import { BASELINE_POLICY } from '../../../src/policy/built-in.js';
import { ACCOUNT, OTHER_ACCOUNT } from '../../helpers/context.js';
import { inventory, key, keyArn, resource } from '../../helpers/inventory.js';
import { ROOT } from '../../helpers/fixtures.js';

const rotated = (count: number): KeyRecord['rotations'] => ({ count, automatic: count, onDemand: 0, lastRotationDate: count ? '2026-03-01T10:00:00.000Z' : null, lastRotationType: count ? 'AUTOMATIC' : null });
const MRK = 'mrk-1234abcd12ab34cd56ef1234567890ab';

/** One member of a multi-Region key rotated once: primary in us-east-1, replicas in eu-west-1 (scanned) and us-west-2 (not). */
function mrk(region: string, keyType: 'PRIMARY' | 'REPLICA'): KeyRecord {
  return key(MRK, {
    region,
    multiRegion: true,
    rotations: rotated(1),
    multiRegionConfiguration: {
      keyType,
      primary: { arn: keyArn(MRK), region: 'us-east-1' },
      replicas: [
        { arn: keyArn(MRK, 'eu-west-1'), region: 'eu-west-1' },
        { arn: keyArn(MRK, 'us-west-2'), region: 'us-west-2' },
      ],
    },
  });
}

/** A known set of keys and what each must cost per month. */
const keys: Array<[KeyRecord, number | null]> = [
  [key('never-rotated', { rotations: rotated(0) }), 1],
  [key('rotated-once', { rotations: rotated(1) }), 2],
  [key('rotated-twice', { rotations: rotated(2) }), 3],
  [key('rotated-five-times', { rotations: rotated(5) }), 3],
  [key('rsa-signing', { spec: 'RSA_3072', usage: 'SIGN_VERIFY', rotation: { applicable: false, reason: 'asymmetric', enabled: null, periodDays: null } }), 1],
  [key('hsm', { origin: 'AWS_CLOUDHSM', level: 'customer-managed-hsm', evidence: { CustomKeyStoreId: 'cks-1234567890abcdef0' } }), 1],
  [key('disabled', { state: 'Disabled', rotations: rotated(0) }), 1],
  [key('doomed', { state: 'PendingDeletion', rotations: rotated(3) }), 0],
  [key('aws-ebs', { manager: 'AWS', level: 'aws-managed', aliases: ['alias/aws/ebs'] }), 0],
  [key('partner', { accountId: OTHER_ACCOUNT, inScannedAccount: false }), 0],
  [key('hidden', { manager: 'unknown', describable: false, state: 'unknown', level: 'unknown' }), null],
  [mrk('us-east-1', 'PRIMARY'), 2],
  [mrk('eu-west-1', 'REPLICA'), 2],
];

describe('KMS key charges', () => {
  it('each key costs what the price list says', () => {
    for (const [k, expected] of keys) expect(keyMonthlyCost(k).monthlyCostUsd, k.arn).toBe(expected);
  });

  it('$1 per key, $1 for each of the first two rotations, nothing after', () => {
    expect(keyMonthlyCost(key('r5', { rotations: rotated(5) })).lines).toEqual([
      { item: 'customer managed key', usd: 1 },
      { item: 'rotation 1', usd: 1 },
      { item: 'rotation 2', usd: 1 },
    ]);
    expect(keyMonthlyCost(key('r5', { rotations: rotated(5) })).notes).toContain('5 rotations: only the first 2 are billed');
  });

  it('totals the known set, counts replicas, and lists the multi-Region key outside the scanned regions', () => {
    const cost = costReport(keys.map(([k]) => k), []);
    // 1+2+3+3+1+1+1+0+0+0+2+2 = 16; the unknown key adds nothing and makes the total incomplete.
    expect(cost.monthlyKeyChargesUsd).toBe(16);
    expect(cost.currency).toBe('USD');
    expect(cost.complete).toBe(false);
    expect(cost.keyCounts).toEqual({ billed: 9, free: 3, unknown: 1, multiRegionReplicas: 1, rotationCharges: 1 + 2 + 2 + 1 + 1 });
    expect(cost.multiRegionKeysOutsideScan).toEqual([{ keyArn: keyArn(MRK, 'us-west-2'), region: 'us-west-2', listedBy: keyArn(MRK), monthlyCostUsdIfEnabled: 1 }]);
    expect(cost.keys[0]!.monthlyCostUsd).toBe(3);
    expect(cost.keys.at(-1)!.monthlyCostUsd).toBeNull();
    expect(cost.prices).toMatchObject({ source: 'https://aws.amazon.com/kms/pricing/', checked: kmsPrices().checked });
    expect(cost.requestCharges).toContain('not estimated');
    expect(cost.requestCharges).toContain('$0.03 per 10,000');
  });

  it('an unreadable rotation history makes the charge a lower bound, said out loud', () => {
    const k = key('k', { rotations: { count: null, automatic: null, onDemand: null, lastRotationDate: null, lastRotationType: null, error: { operation: 'ListKeyRotations', code: 'AccessDeniedException', message: 'no' } } });
    const c = keyMonthlyCost(k);
    expect(c).toMatchObject({ monthlyCostUsd: 1, complete: false });
    expect(c.notes[0]).toContain('rotation charges unknown: ListKeyRotations failed (AccessDeniedException)');
    expect(keyMonthlyCost(key('no-history')).complete).toBe(false);
    expect(keyMonthlyCost(key('rsa', { spec: 'RSA_2048' })).complete).toBe(true);
  });

  it('lists SSE-KMS buckets without a Bucket Key and DSSE-KMS buckets with the request price; not SSE-S3 or Bucket Key buckets', () => {
    const k = key('k', { rotations: rotated(0) });
    const buckets = [
      resource('s3', 'bucket', 'arn:aws:s3:::no-bucket-key-111122223333', { key: k, attributes: { sseAlgorithm: 'aws:kms', bucketKeyEnabled: false } }),
      resource('s3', 'bucket', 'arn:aws:s3:::with-bucket-key-111122223333', { key: k, attributes: { sseAlgorithm: 'aws:kms', bucketKeyEnabled: true } }),
      resource('s3', 'bucket', 'arn:aws:s3:::dsse-111122223333', { key: k, attributes: { sseAlgorithm: 'aws:kms:dsse', bucketKeyEnabled: false } }),
      resource('s3', 'bucket', 'arn:aws:s3:::sse-s3-111122223333', { level: 'aws-owned', attributes: { sseAlgorithm: 'AES256' } }),
    ];
    const report = evaluate(inventory({ keys: [k], resources: buckets }), BASELINE_POLICY, { failOn: 'none' });
    expect(report.cost.bucketsWithoutBucketKey.map((b) => [b.bucketArn, b.sseAlgorithm, b.requestPriceUsdPer10000])).toEqual([
      ['arn:aws:s3:::dsse-111122223333', 'aws:kms:dsse', 0.03],
      ['arn:aws:s3:::no-bucket-key-111122223333', 'aws:kms', 0.03],
    ]);
    expect(report.keys[0]!.monthlyCostUsd).toBe(1);
    expect(report.cost.monthlyKeyChargesUsd).toBe(1);
    expect(report.cost.complete).toBe(true);
  });

  it('keys[].monthlyCostUsd matches the cost section for every key', () => {
    const report = evaluate(inventory({ keys: keys.map(([k]) => k).filter((k, i, all) => all.findIndex((o) => o.arn === k.arn) === i) }), BASELINE_POLICY, { failOn: 'none' });
    const byArn = new Map(report.cost.keys.map((c) => [c.keyArn, c.monthlyCostUsd]));
    for (const k of report.keys) expect(k.monthlyCostUsd).toBe(byArn.get(k.arn));
    expect(report.keys.find((k) => k.accountId === ACCOUNT && k.keyId === 'hidden')!.monthlyCostUsd).toBeNull();
  });
});

describe('the price data file (data/kms-prices.json)', () => {
  it('is what the estimate uses, and a broken file is refused by name, never read as zero', async () => {
    const { loadKmsPrices } = await import('../../../src/services/kms/prices.js');
    const { mkdtempSync, writeFileSync, readFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { pathToFileURL } = await import('node:url');
    const shipped = JSON.parse(readFileSync(join(ROOT, 'data', 'kms-prices.json'), 'utf8'));
    expect(kmsPrices().customerManagedKeyMonthlyUsd).toBe(shipped.customerManagedKeyMonthlyUsd);
    expect(kmsPrices().checked).toBe(shipped.checked);
    const dir = mkdtempSync(join(tmpdir(), 'atrest-prices-'));
    const broken = join(dir, 'kms-prices.json');
    writeFileSync(broken, JSON.stringify({ ...shipped, rotationMonthlyUsd: 'one dollar' }));
    expect(() => loadKmsPrices(pathToFileURL(broken))).toThrow(/"rotationMonthlyUsd" must be a non-negative number/);
  });
});
