import { describe, expect, it } from 'vitest';
import type { KeyRecord, Resource } from '../../../../src/model/inventory.js';
import type { KmsRegionUsage } from '../../../../src/model/usage.js';
import { requestCost } from '../../../../src/services/kms/usage/request-cost.js';
import { kmsPrices } from '../../../../src/services/kms/prices.js';
import { quota, regionUsage, series } from '../../../helpers/usage.js';
import { ACCOUNT } from '../../../helpers/context.js';
import { readJson } from '../../../helpers/fixtures.js';

/** The figures of data/kms-prices.json the arithmetic below relies on: read from the file, so a price change fails here first. */
const file = readJson<{ freeRequestsPerMonth: number; requestPrices: { classes: Record<string, { usdPer10000: number }> } }>('data/kms-prices.json');
const PRICE = file.requestPrices.classes;

const SYMMETRIC = 'Cryptographic operations (symmetric) request rate';
const RSA = 'Cryptographic operations (RSA) request rate';

function rsaKey(id: string, spec: string, region = 'us-east-1'): KeyRecord {
  return {
    arn: `arn:aws:kms:${region}:${ACCOUNT}:key/${id}`,
    keyId: id,
    region,
    accountId: ACCOUNT,
    aliases: [],
    manager: 'CUSTOMER',
    origin: 'AWS_KMS',
    state: 'Enabled',
    spec,
    usage: 'SIGN_VERIFY',
    multiRegion: false,
    rotation: { applicable: false, reason: 'asymmetric', enabled: null, periodDays: null },
    level: 'customer-managed',
    describable: true,
    inScannedAccount: true,
    notes: [],
    evidence: {},
  };
}

function bucket(name: string, attributes: Resource['attributes']): Resource {
  return { arn: `arn:aws:s3:::${name}`, id: name, service: 's3', type: 'bucket', region: 'us-east-1', accountId: ACCOUNT, protection: { level: 'customer-managed', keyArn: null, algorithm: 'aws:kms', notes: [] }, attributes, evidence: {} };
}

const usEast1 = (s3?: KmsRegionUsage['s3RequestMetrics']) =>
  regionUsage(
    'us-east-1',
    [quota(SYMMETRIC, 'CryptographicOperationsSymmetric', 100_000, 'L-6E3AF000'), quota(RSA, 'CryptographicOperationsRsa', 1000, 'L-2AC98190'), quota('DescribeKey request rate', 'DescribeKey', 2000, 'L-FAE8F084')],
    [series('CryptographicOperationsSymmetric', 42_020_000, 80_000), series('CryptographicOperationsRsa', 5_000, 1), series('DescribeKey', 2_000, 10)],
    s3 ? { s3RequestMetrics: s3 } : {},
  );

describe('the monthly KMS request charge, against data/kms-prices.json', () => {
  it('calls × the price of each usage metric, the free tier once per account', () => {
    const cost = requestCost({ regions: [usEast1()] }, [rsaKey('rsa1', 'RSA_2048')], [], ['us-east-1'], ACCOUNT);
    const symmetric = (42_020_000 / 10_000) * PRICE.requests!.usdPer10000;
    const describe = (2_000 / 10_000) * PRICE.requests!.usdPer10000;
    const rsa = (5_000 / 10_000) * PRICE.rsa2048!.usdPer10000;
    const credit = (file.freeRequestsPerMonth / 10_000) * PRICE.requests!.usdPer10000;
    expect(symmetric).toBeCloseTo(126.06, 6);
    expect(cost.status).toBe('measured');
    expect(cost.monthlyCalls).toBe(42_027_000);
    expect(cost.monthlyUsd).toBeCloseTo(symmetric + describe + rsa - credit, 4);
    expect(cost.monthlyUsd).toBeCloseTo(126.021, 4);
    expect(cost.monthlyUsdMax).toBeUndefined();
    expect(cost.freeTier).toEqual({ requestsPerMonth: 20_000, eligibleCalls: 42_022_000, appliedCalls: 20_000 });
    expect(cost.byOperation.map((l) => [l.operation, l.pricing, l.calls, l.monthlyUsd])).toEqual([
      ['CryptographicOperationsSymmetric', 'requests', 42_020_000, 126.06],
      ['CryptographicOperationsRsa', 'rsa2048', 5_000, 0.015],
      ['DescribeKey', 'requests', 2_000, 0.006],
    ]);
    expect(cost.byOperation[1]!.priceBasis).toContain('every RSA key of the account in us-east-1 is RSA_2048');
    expect(cost.byOperation[1]!.freeTier).toBe(false);
    expect(cost.period).toEqual({ days: 30, start: '2026-10-29T09:00:00.000Z', end: '2026-11-28T09:00:00.000Z', peakWindow: { start: '2026-11-14T09:00:00.000Z', end: '2026-11-28T09:00:00.000Z', resolutionSeconds: 60 } });
    expect(cost.prices).toEqual({ source: 'https://aws.amazon.com/kms/pricing/', checked: kmsPrices().requestPrices.checked });
  });

  it('under the free tier the charge is zero, and only the calls the free tier covers use it', () => {
    const small = regionUsage('us-east-1', [quota(SYMMETRIC, 'CryptographicOperationsSymmetric', 10_000, 'L-6E3AF000'), quota('Cryptographic operations (ECC and SM2) request rate', 'CryptographicOperationsEcc', 1000, 'L-DC14942D')], [series('CryptographicOperationsSymmetric', 15_000, 0.5), series('CryptographicOperationsEcc', 10_000, 0.2)]);
    const cost = requestCost({ regions: [small] }, [], [], ['us-east-1'], ACCOUNT);
    // 15,000 symmetric calls are free; 10,000 ECC calls are asymmetric requests, not covered: $0.15.
    expect(cost.monthlyUsd).toBeCloseTo(PRICE.asymmetric!.usdPer10000, 6);
    expect(cost.freeTier).toMatchObject({ eligibleCalls: 15_000, appliedCalls: 15_000 });
  });

  it('RSA calls are a range when the key sizes do not settle the price, and a single price when they do', () => {
    const only = (keys: KeyRecord[]) => requestCost({ regions: [usEast1()] }, keys, [], ['us-east-1'], ACCOUNT).byOperation.find((l) => l.operation === 'CryptographicOperationsRsa')!;
    expect(only([rsaKey('a', 'RSA_4096')])).toMatchObject({ pricing: 'asymmetric', usdPer10000: 0.15, monthlyUsd: 0.075 });
    const mixed = only([rsaKey('a', 'RSA_2048'), rsaKey('b', 'RSA_3072')]);
    expect(mixed).toMatchObject({ pricing: 'rsa', usdPer10000: 0.03, usdPer10000Max: 0.15, monthlyUsd: 0.015, monthlyUsdMax: 0.075 });
    const cost = requestCost({ regions: [usEast1()] }, [], [], ['us-east-1'], ACCOUNT);
    expect(cost.monthlyUsdMax).toBeCloseTo(126.021 + 0.06, 4);
    expect(cost.notes.join('\n')).toContain('RSA calls are priced by key size');
  });

  it('a Region whose metrics could not be read is unknown with the reason and left out of the totals', () => {
    const denied = regionUsage('eu-west-1', [quota(SYMMETRIC, 'CryptographicOperationsSymmetric', 100_000, 'L-6E3AF000', 'eu-west-1')], [], {
      metrics: { status: 'unknown', calls: 0, series: [], error: { operation: 'GetMetricData', code: 'AccessDenied', message: 'not authorized to perform: cloudwatch:GetMetricData' } },
    });
    const cost = requestCost({ regions: [usEast1(), denied] }, [rsaKey('rsa1', 'RSA_2048')], [], ['eu-west-1', 'us-east-1'], ACCOUNT);
    expect(cost.status).toBe('partial');
    expect(cost.monthlyUsd).toBeCloseTo(126.021, 4);
    expect(cost.byRegion.find((r) => r.region === 'eu-west-1')).toMatchObject({ status: 'unknown', monthlyCalls: null, monthlyUsd: null, reason: 'GetMetricData AccessDenied: not authorized to perform: cloudwatch:GetMetricData' });
    expect(cost.notes[0]).toContain('usage unknown in eu-west-1');
    const all = requestCost({ regions: [denied] }, [], [], ['eu-west-1'], ACCOUNT);
    expect(all).toMatchObject({ status: 'unknown', monthlyCalls: null, monthlyUsd: null });
  });

  it('without --usage data: not collected, no figure, the price and how to get one', () => {
    const cost = requestCost(undefined, [], [], ['us-east-1'], ACCOUNT);
    expect(cost).toMatchObject({ status: 'not-collected', monthlyCalls: null, monthlyUsd: null, byOperation: [], byRegion: [], period: null });
    expect(cost.notes[0]).toContain('scan with --usage');
  });
});

describe('drivers', () => {
  const resources: Resource[] = [
    bucket('acme-log-archive', { sseAlgorithm: 'aws:kms', bucketKeyEnabled: false }),
    bucket('acme-tagged', { sseAlgorithm: 'aws:kms', bucketKeyEnabled: false }),
    bucket('acme-quiet', { sseAlgorithm: 'aws:kms', bucketKeyEnabled: false }),
    bucket('acme-dsse', { sseAlgorithm: 'aws:kms:dsse', bucketKeyEnabled: false }),
    bucket('acme-with-key', { sseAlgorithm: 'aws:kms', bucketKeyEnabled: true }),
    { ...bucket('orders', {}), arn: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders`, service: 'dynamodb', type: 'table' },
    { ...bucket('aws-owned-table', {}), arn: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/plain`, service: 'dynamodb', type: 'table', protection: { level: 'aws-owned', keyArn: null, algorithm: null, notes: [] } },
    { ...bucket('fn', {}), arn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:billing`, service: 'lambda', type: 'function' },
  ];
  const s3: KmsRegionUsage['s3RequestMetrics'] = [
    { bucketArn: 'arn:aws:s3:::acme-log-archive', bucket: 'acme-log-archive', status: 'measured', filterId: 'EntireBucket', getRequests: 9_000_000, putRequests: 1_000_000 },
    { bucketArn: 'arn:aws:s3:::acme-tagged', bucket: 'acme-tagged', status: 'filtered-only' },
    { bucketArn: 'arn:aws:s3:::acme-quiet', bucket: 'acme-quiet', status: 'not-enabled' },
    { bucketArn: 'arn:aws:s3:::acme-dsse', bucket: 'acme-dsse', status: 'measured', filterId: 'EntireBucket', getRequests: 100, putRequests: 0 },
  ];

  it('lists the buckets that call KMS on every request, with their measured volume, cost and Bucket Key saving', () => {
    const cost = requestCost({ regions: [usEast1(s3)] }, [rsaKey('rsa1', 'RSA_2048')], resources, ['us-east-1'], ACCOUNT);
    const d = cost.drivers.find((x) => x.region === 'us-east-1')!;
    expect(d.buckets.map((b) => b.bucketArn)).toEqual(['arn:aws:s3:::acme-log-archive', 'arn:aws:s3:::acme-tagged', 'arn:aws:s3:::acme-quiet', 'arn:aws:s3:::acme-dsse']);
    const archive = d.buckets.find((b) => b.bucketArn.endsWith('acme-log-archive'))!;
    // 10,000,000 requests: $30.00 of KMS requests; a Bucket Key removes up to 99%: 9,900,000 × $0.03 / 10,000 = $29.70.
    expect(archive).toMatchObject({ requestMetrics: 'measured', getRequests: 9_000_000, putRequests: 1_000_000, estimatedKmsRequests: 10_000_000, estimatedMonthlyUsd: 30, bucketKeySavingsUsd: 29.7 });
    expect(archive.note).toContain('S3 request metrics (filter EntireBucket)');
    expect(d.buckets.find((b) => b.bucketArn.endsWith('acme-quiet'))).toMatchObject({ requestMetrics: 'not-enabled', estimatedKmsRequests: null, bucketKeySavingsUsd: null, note: expect.stringContaining('request volume unknown: the bucket has no S3 request metrics configuration') });
    expect(d.buckets.find((b) => b.bucketArn.endsWith('acme-tagged'))).toMatchObject({ requestMetrics: 'filtered-only', estimatedKmsRequests: null });
    expect(d.buckets.find((b) => b.bucketArn.endsWith('acme-dsse'))).toMatchObject({ estimatedKmsRequests: 100, bucketKeySavingsUsd: null, note: expect.stringContaining('DSSE-KMS cannot use a Bucket Key') });
    expect(d.buckets.some((b) => b.bucketArn.endsWith('acme-with-key'))).toBe(false);
    expect(d.dynamodbTables.map((t) => t.arn)).toEqual([`arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders`]);
    expect(d.lambdaFunctions.map((t) => t.arn)).toEqual([`arn:aws:lambda:us-east-1:${ACCOUNT}:function:billing`]);
    expect(d.recentlyUsedKeys).toBeNull();
    expect(d.notes).toContain('keys used most recently: scan with --key-usage (GetKeyLastUsage) to list them');
  });

  it('under the free tier a Bucket Key saves nothing, and says so in numbers', () => {
    const tiny = regionUsage('us-east-1', [quota(SYMMETRIC, 'CryptographicOperationsSymmetric', 100_000, 'L-6E3AF000')], [series('CryptographicOperationsSymmetric', 12_000, 1)], {
      s3RequestMetrics: [{ bucketArn: 'arn:aws:s3:::acme-log-archive', bucket: 'acme-log-archive', status: 'measured', filterId: 'EntireBucket', getRequests: 8_000, putRequests: 2_000 }],
    });
    const cost = requestCost({ regions: [tiny] }, [], resources, ['us-east-1'], ACCOUNT);
    expect(cost.monthlyUsd).toBe(0);
    expect(cost.drivers[0]!.buckets.find((b) => b.bucketArn.endsWith('acme-log-archive'))).toMatchObject({ estimatedMonthlyUsd: 0.03, bucketKeySavingsUsd: 0 });
  });

  it('with --key-usage, the keys used most recently come first', () => {
    const used = (id: string, at: string): KeyRecord => ({ ...rsaKey(id, 'SYMMETRIC_DEFAULT'), aliases: [`alias/${id}`], lastUsage: { status: 'used', lastUsedAt: at, operation: 'Decrypt', trackingStartDate: '2025-01-01T00:00:00.000Z', keyCreationDate: '2024-01-01T00:00:00.000Z' } });
    const idle: KeyRecord = { ...rsaKey('idle', 'SYMMETRIC_DEFAULT'), lastUsage: { status: 'never-used', lastUsedAt: null, operation: null, trackingStartDate: '2025-01-01T00:00:00.000Z', keyCreationDate: '2026-01-01T00:00:00.000Z' } };
    const cost = requestCost({ regions: [usEast1()] }, [used('old', '2026-10-01T00:00:00.000Z'), used('new', '2026-11-27T00:00:00.000Z'), idle], [], ['us-east-1'], ACCOUNT);
    expect(cost.drivers[0]!.recentlyUsedKeys?.map((k) => [k.alias, k.lastUsedAt])).toEqual([
      ['alias/new', '2026-11-27T00:00:00.000Z'],
      ['alias/old', '2026-10-01T00:00:00.000Z'],
    ]);
  });
});
