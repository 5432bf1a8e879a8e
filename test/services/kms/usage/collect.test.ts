import { CloudWatchClient, GetMetricDataCommand, type GetMetricDataInput, type GetMetricDataOutput } from '@aws-sdk/client-cloudwatch';
import { ListServiceQuotasCommand, ServiceQuotasClient, type ListServiceQuotasRequest } from '@aws-sdk/client-service-quotas';
import { ListBucketMetricsConfigurationsCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { collectKmsUsage, usageWindows } from '../../../../src/services/kms/usage/collect.js';
import { MAX_DATAPOINTS_PER_CALL, MAX_QUERIES_PER_CALL } from '../../../../src/services/kms/usage/metrics.js';
import { kmsPrices, type KmsPrices } from '../../../../src/services/kms/prices.js';
import type { Resource } from '../../../../src/model/inventory.js';
import { validator } from '../../../../src/schema.js';
import { ACCOUNT, testClients } from '../../../helpers/context.js';
import { awsError, awsFixture } from '../../../helpers/fixtures.js';
import { mockSdkClient } from '../../../helpers/mock-sdk.js';
import { virtualClock } from '../../../helpers/virtual-clock.js';

const cloudwatch = mockSdkClient(CloudWatchClient);
const quotas = mockSdkClient(ServiceQuotasClient);
const s3 = mockSdkClient(S3Client);

/** The demo scan's end: the windows end at 2026-11-28T09:00Z. */
const NOW = new Date('2026-11-28T09:04:12.000Z');
const PAGE_TOKEN = 'AAMA-EFRSURBSGh4ZmVnbXBrT3V2c0FSZ3Zwa1F4UQ==';
const HOURLY_TOKEN = 'djEtMTczMjc4NDAwMDAwMC0xMjM0NTY3ODkw';

function bucket(name: string, region: string, attributes: Resource['attributes']): Resource {
  return {
    arn: `arn:aws:s3:::${name}`,
    id: name,
    service: 's3',
    type: 'bucket',
    region,
    accountId: ACCOUNT,
    protection: { level: 'customer-managed', keyArn: `arn:aws:kms:${region}:${ACCOUNT}:key/2d0b8c3a-4e5f-4061-8c1d-2e3f4a5b6c7d`, algorithm: String(attributes.sseAlgorithm), notes: [] },
    attributes,
    evidence: {},
  };
}

const BUCKETS: Resource[] = [
  bucket('acme-log-archive', 'us-east-1', { sseAlgorithm: 'aws:kms', bucketKeyEnabled: false }),
  bucket('acme-analytics', 'us-east-1', { sseAlgorithm: 'aws:kms', bucketKeyEnabled: true }),
  bucket('acme-tagged', 'us-east-1', { sseAlgorithm: 'aws:kms', bucketKeyEnabled: false }),
  bucket('acme-payments-eu', 'eu-west-1', { sseAlgorithm: 'aws:kms:dsse', bucketKeyEnabled: false }),
];

/**
 * GetMetricData as AWS answers it: one result per query, with the query's Id
 * and Label. The recorded answers name their series by Label (the Ids depend
 * on the query order); a query they do not list gets an empty, Complete
 * result — what CloudWatch returns for a metric without data points.
 */
function answer(fixture: GetMetricDataOutput, input: GetMetricDataInput): GetMetricDataOutput {
  const byLabel = new Map((fixture.MetricDataResults ?? []).map((r) => [r.Label, r]));
  return {
    ...fixture,
    MetricDataResults: (input.MetricDataQueries ?? []).map((q) => {
      const r = byLabel.get(q.Label);
      return r ? { ...r, Id: q.Id } : { Id: q.Id, Label: q.Label, Timestamps: [], Values: [], StatusCode: 'Complete' as const };
    }),
  };
}

function mockUsEast1(): GetMetricDataInput[] {
  const sent: GetMetricDataInput[] = [];
  quotas.on(ListServiceQuotasCommand).callsFake((input: ListServiceQuotasRequest) =>
    input.NextToken === PAGE_TOKEN ? awsFixture('service-quotas/list-service-quotas-kms-page-2.json') : awsFixture('service-quotas/list-service-quotas-kms-page-1.json'),
  );
  s3.on(ListBucketMetricsConfigurationsCommand, { Bucket: 'acme-log-archive' }).resolves(awsFixture('s3/list-bucket-metrics-configurations-entire-bucket.json'));
  s3.on(ListBucketMetricsConfigurationsCommand, { Bucket: 'acme-tagged' }).resolves(awsFixture('s3/list-bucket-metrics-configurations-filtered.json'));
  s3.on(ListBucketMetricsConfigurationsCommand, { Bucket: 'acme-payments-eu' }).resolves(awsFixture('s3/list-bucket-metrics-configurations-none.json'));
  cloudwatch.on(GetMetricDataCommand).callsFake((input: GetMetricDataInput) => {
    sent.push(structuredClone(input));
    const period = input.MetricDataQueries?.[0]?.MetricStat?.Period;
    if (period === 60) return answer(awsFixture('cloudwatch/get-metric-data-minutes.json'), input);
    return answer(awsFixture(input.NextToken === HOURLY_TOKEN ? 'cloudwatch/get-metric-data-hourly-page-2.json' : 'cloudwatch/get-metric-data-hourly-page-1.json'), input);
  });
  return sent;
}

async function run(regions: string[], resources: Resource[] = BUCKETS, prices?: KmsPrices) {
  const clock = virtualClock();
  const result = await clock.runUntilDone(
    collectKmsUsage({ clients: testClients(), accountId: ACCOUNT, partition: 'aws', regions, resources, concurrency: 4, now: NOW, log: () => {}, clock, ...(prices ? { prices } : {}) }),
  );
  return { ...result, clock };
}

describe('--usage collection (CloudWatch GetMetricData, Service Quotas ListServiceQuotas, S3 ListBucketMetricsConfigurations)', () => {
  it('windows: the last 30 days and the last 14 (one-minute data is kept 15 days), ending at the last whole hour', () => {
    expect(usageWindows(NOW)).toEqual({
      period: { start: '2026-10-29T09:00:00.000Z', end: '2026-11-28T09:00:00.000Z' },
      peakWindow: { start: '2026-11-14T09:00:00.000Z', end: '2026-11-28T09:00:00.000Z' },
    });
  });

  it('reads every page of ListServiceQuotas and GetMetricData, sums the hours and finds the busiest minute', async () => {
    const sent = mockUsEast1();
    const { usage, errors } = await run(['us-east-1']);
    expect(errors).toEqual([]);
    const region = usage.regions[0]!;
    expect(region).toMatchObject({ accountId: ACCOUNT, region: 'us-east-1', period: usageWindows(NOW).period, peakWindow: usageWindows(NOW).peakWindow });
    expect(quotas.commandCalls(ListServiceQuotasCommand).map((c) => c.args[0].input)).toEqual([
      { ServiceCode: 'kms', MaxResults: 100 },
      { ServiceCode: 'kms', MaxResults: 100, NextToken: PAGE_TOKEN },
    ]);
    // Applied values where Service Quotas lists them, the data file's defaults for the rest.
    const symmetric = region.quotas.items.find((q) => q.code === 'L-6E3AF000')!;
    expect(symmetric).toMatchObject({ valuePerSecond: 100000, valueSource: 'applied', arn: `arn:aws:servicequotas:us-east-1:${ACCOUNT}:kms/L-6E3AF000`, adjustable: true });
    expect(symmetric.usageMetric).toEqual({ namespace: 'AWS/Usage', name: 'CallCount', dimensions: { Class: 'None', Resource: 'CryptographicOperationsSymmetric', Service: 'KMS', Type: 'API' } });
    // Listed without a usage metric: the data file names it.
    expect(region.quotas.items.find((q) => q.name === 'DescribeCustomKeyStores request rate')).toMatchObject({ valueSource: 'applied', valuePerSecond: 5, usageMetric: { dimensions: { Resource: 'DescribeCustomKeyStores' } } });
    expect(region.quotas.items.find((q) => q.name === 'GetKeyLastUsage request rate')).toMatchObject({ valueSource: 'default', valuePerSecond: 5, code: null, arn: null });
    expect(region.quotas.source).toBe('service-quotas');

    // Hourly sums over 30 days: one call for every metric (< 500 queries), a second page by NextToken.
    const hourly = sent.filter((i) => i.MetricDataQueries![0]!.MetricStat!.Period === 3600);
    expect(hourly).toHaveLength(2);
    expect(hourly[1]!.NextToken).toBe(HOURLY_TOKEN);
    expect(hourly[0]).toMatchObject({ StartTime: new Date('2026-10-29T09:00:00.000Z'), EndTime: new Date('2026-11-28T09:00:00.000Z'), MaxDatapoints: MAX_DATAPOINTS_PER_CALL });
    const q = hourly[0]!.MetricDataQueries!.find((m) => m.Label === 'CryptographicOperationsSymmetric')!;
    expect(q.MetricStat).toEqual({
      Metric: { Namespace: 'AWS/Usage', MetricName: 'CallCount', Dimensions: [{ Name: 'Class', Value: 'None' }, { Name: 'Resource', Value: 'CryptographicOperationsSymmetric' }, { Name: 'Service', Value: 'KMS' }, { Name: 'Type', Value: 'API' }] },
      Period: 3600,
      Stat: 'Sum',
    });
    // The S3 request metrics of the bucket with a whole-bucket configuration ride in the same call.
    expect(hourly[0]!.MetricDataQueries!.filter((m) => m.MetricStat!.Metric!.Namespace === 'AWS/S3').map((m) => m.MetricStat!.Metric!.Dimensions)).toEqual([
      [{ Name: 'BucketName', Value: 'acme-log-archive' }, { Name: 'FilterId', Value: 'EntireBucket' }],
      [{ Name: 'BucketName', Value: 'acme-log-archive' }, { Name: 'FilterId', Value: 'EntireBucket' }],
    ]);
    // One-minute peaks only for the metrics that had calls, over the last 14 days.
    const minutes = sent.filter((i) => i.MetricDataQueries![0]!.MetricStat!.Period === 60);
    expect(minutes).toHaveLength(1);
    expect(minutes[0]!.StartTime).toEqual(new Date('2026-11-14T09:00:00.000Z'));
    expect(minutes[0]!.MetricDataQueries!.map((m) => m.Label)).toEqual(['CryptographicOperationsSymmetric', 'DescribeKey']);
    expect(region.metrics.calls).toBe(3);

    expect(region.metrics.status).toBe('read');
    expect(region.metrics.series.find((s) => s.resource === 'CryptographicOperationsSymmetric')).toEqual({
      resource: 'CryptographicOperationsSymmetric',
      class: 'None',
      calls: 42_020_000,
      hoursWithData: 3,
      peakPerSecond: 80_000,
      peakMinute: '2026-11-20T14:03:00.000Z',
      complete: true,
    });
    expect(region.metrics.series.find((s) => s.resource === 'DescribeKey')).toMatchObject({ calls: 2000, peakPerSecond: 10 });
    expect(region.metrics.series.find((s) => s.resource === 'EnableKey')).toMatchObject({ calls: 0, hoursWithData: 0, peakPerSecond: null, peakMinute: null });

    // Buckets: measured, filtered only; the one with a Bucket Key is not asked about.
    expect(region.s3RequestMetrics).toEqual([
      { bucketArn: 'arn:aws:s3:::acme-log-archive', bucket: 'acme-log-archive', status: 'measured', filterId: 'EntireBucket', getRequests: 9_000_000, putRequests: 1_000_000 },
      { bucketArn: 'arn:aws:s3:::acme-tagged', bucket: 'acme-tagged', status: 'filtered-only' },
    ]);
    expect(s3.commandCalls(ListBucketMetricsConfigurationsCommand).map((c) => c.args[0].input.Bucket).sort()).toEqual(['acme-log-archive', 'acme-tagged']);
  });

  it('a Region with no KMS use: every metric answered without data points, no peak query, zero calls', async () => {
    mockUsEast1();
    cloudwatch.on(GetMetricDataCommand).callsFake((input: GetMetricDataInput) => answer(awsFixture('cloudwatch/get-metric-data-no-data.json'), input));
    const { usage, errors } = await run(['eu-west-1']);
    expect(errors).toEqual([]);
    const region = usage.regions[0]!;
    expect(region.metrics.status).toBe('read');
    expect(region.metrics.calls).toBe(1);
    expect(region.metrics.series.every((s) => s.calls === 0 && s.peakPerSecond === null)).toBe(true);
    // The symmetric quota of eu-west-1 as Service Quotas applies it (the fixture says 100,000), and the DSSE bucket has no request metrics.
    expect(region.s3RequestMetrics).toEqual([{ bucketArn: 'arn:aws:s3:::acme-payments-eu', bucket: 'acme-payments-eu', status: 'not-enabled' }]);
  });

  it('ListServiceQuotas AccessDenied: the documented defaults of the Region, the reason, a scan error', async () => {
    mockUsEast1();
    quotas.on(ListServiceQuotasCommand).rejects(awsError('AccessDeniedException', `User: arn:aws:sts::${ACCOUNT}:assumed-role/atrest-audit/atrest is not authorized to perform: servicequotas:ListServiceQuotas`));
    const { usage, errors } = await run(['us-east-2']);
    const region = usage.regions[0]!;
    expect(region.quotas.source).toBe('defaults');
    expect(region.quotas.error).toMatchObject({ operation: 'ListServiceQuotas', code: 'AccessDeniedException' });
    // us-east-2's documented symmetric default is 20,000 (requests-per-second page).
    expect(region.quotas.items.find((q) => q.code === 'L-6E3AF000')).toMatchObject({ valuePerSecond: 20000, valueSource: 'default', arn: `arn:aws:servicequotas:us-east-2:${ACCOUNT}:kms/L-6E3AF000` });
    expect(region.quotas.items.every((q) => q.valueSource === 'default')).toBe(true);
    expect(region.metrics.status).toBe('read');
    expect(errors).toEqual([expect.objectContaining({ service: 'kms', region: 'us-east-2', operation: 'ListServiceQuotas', code: 'AccessDeniedException' })]);
  });

  it('GetMetricData AccessDenied: the Region\'s figures are unknown with the reason, the buckets too, and the scan goes on', async () => {
    mockUsEast1();
    cloudwatch.on(GetMetricDataCommand).rejects(awsError('AccessDenied', `User: arn:aws:sts::${ACCOUNT}:assumed-role/atrest-audit/atrest is not authorized to perform: cloudwatch:GetMetricData because no identity-based policy allows the cloudwatch:GetMetricData action`, 403));
    const { usage, errors } = await run(['us-east-1']);
    const region = usage.regions[0]!;
    expect(region.metrics).toMatchObject({ status: 'unknown', series: [], error: { operation: 'GetMetricData', code: 'AccessDenied' } });
    expect(region.quotas.source).toBe('service-quotas');
    expect(region.s3RequestMetrics?.find((b) => b.bucket === 'acme-log-archive')).toMatchObject({ status: 'unknown', error: { code: 'AccessDenied' } });
    expect(errors).toEqual([expect.objectContaining({ service: 'kms', region: 'us-east-1', operation: 'GetMetricData', code: 'AccessDenied' })]);
  });

  it('ListBucketMetricsConfigurations denied: that bucket is unknown with the reason, the rest is read', async () => {
    mockUsEast1();
    s3.on(ListBucketMetricsConfigurationsCommand, { Bucket: 'acme-tagged' }).rejects(awsError('AccessDenied', 'Access Denied', 403));
    const { usage, errors } = await run(['us-east-1']);
    expect(usage.regions[0]!.s3RequestMetrics?.find((b) => b.bucket === 'acme-tagged')).toMatchObject({ status: 'unknown', error: { operation: 'ListBucketMetricsConfigurations', code: 'AccessDenied' } });
    expect(usage.regions[0]!.metrics.status).toBe('read');
    expect(errors).toEqual([expect.objectContaining({ operation: 'ListBucketMetricsConfigurations', resourceArn: 'arn:aws:s3:::acme-tagged' })]);
  });

  it('PartialData on the last page marks the series incomplete (a lower bound)', async () => {
    mockUsEast1();
    cloudwatch.on(GetMetricDataCommand).callsFake((input: GetMetricDataInput) => answer(awsFixture('cloudwatch/get-metric-data-hourly-page-1.json'), { ...input }));
    const { usage } = await run(['us-east-1']);
    // The first page's NextToken is answered with the first page again: the repeated token stops the loop.
    const series = usage.regions[0]!.metrics.series.find((s) => s.resource === 'CryptographicOperationsSymmetric')!;
    expect(series.complete).toBe(false);
    expect(series.messages?.join(' ')).toMatch(/PartialData|repeated NextToken/);
  });

  it('splits more than 500 metrics into calls of at most 500 queries, paced to one call per second', async () => {
    const base = kmsPrices();
    const many: KmsPrices = {
      ...base,
      requestQuotas: { ...base.requestQuotas, quotas: Array.from({ length: 620 }, (_, i) => ({ name: `Op${i} request rate`, code: null, defaultPerSecond: 5, usageResource: `Op${i}`, pricing: 'requests' as const })) },
    };
    quotas.on(ListServiceQuotasCommand).resolves({ Quotas: [] });
    const at: number[] = [];
    const sizes: number[] = [];
    let clockNow = () => 0;
    cloudwatch.on(GetMetricDataCommand).callsFake((input: GetMetricDataInput) => {
      at.push(clockNow());
      sizes.push(input.MetricDataQueries!.length);
      return { MetricDataResults: input.MetricDataQueries!.map((q) => ({ Id: q.Id, Label: q.Label, Timestamps: [new Date('2026-11-20T00:00:00.000Z')], Values: [1], StatusCode: 'Complete' })) };
    });
    const clock = virtualClock();
    clockNow = clock.now;
    const result = await clock.runUntilDone(collectKmsUsage({ clients: testClients(), accountId: ACCOUNT, partition: 'aws', regions: ['us-east-1'], resources: [], concurrency: 4, now: NOW, log: () => {}, clock, prices: many }));
    expect(sizes).toEqual([MAX_QUERIES_PER_CALL, 120, MAX_QUERIES_PER_CALL, 120]);
    for (let i = 1; i < at.length; i += 1) expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(1000);
    expect(result.usage.regions[0]!.metrics.series).toHaveLength(620);
  });

  it('writes an inventory section the inventory schema accepts', async () => {
    mockUsEast1();
    const { usage } = await run(['us-east-1', 'eu-west-1']);
    const validate = validator('inventory.schema.json');
    const inventory = {
      kind: 'atrest-inventory',
      schemaVersion: '1',
      tool: { name: 'atrest', version: '0.1.0' },
      scan: { accountId: ACCOUNT, principalArn: `arn:aws:sts::${ACCOUNT}:assumed-role/atrest-audit/atrest`, partition: 'aws', regions: ['eu-west-1', 'us-east-1'], services: ['kms', 's3'], startedAt: NOW.toISOString(), finishedAt: NOW.toISOString(), errors: [] },
      keys: [],
      resources: [],
      usage,
    };
    expect(validate(inventory), JSON.stringify(validate.errors)).toBe(true);
    expect(usage.regions.map((r) => r.region)).toEqual(['eu-west-1', 'us-east-1']);
  });
});
