// Generator for fixtures/demo/kms-usage.json: the demo account's --usage facts.
// Like scripts/demo-dynamodb-lambda-redshift.mjs it runs the real collector
// (dist/, so build first) against mocked AWS answers, so the demo holds exactly
// what `--usage` records. The buckets come from fixtures/demo/s3-kms.json. Run:
//   npx tsc -p tsconfig.build.json && node scripts/demo-kms-usage.mjs
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { ListServiceQuotasCommand, ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { ListBucketMetricsConfigurationsCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { ClientFactory } from '../dist/aws/clients.js';
import { collectKmsUsage } from '../dist/services/kms/usage/collect.js';

const A = '111122223333';
const E = 'us-east-1';
const W = 'eu-west-1';
const demo = new URL('../fixtures/demo/', import.meta.url);
const s3kms = JSON.parse(readFileSync(new URL('s3-kms.json', demo), 'utf8'));
// Every bucket of the demo account (each demo file is a part of it), as the checks would have found them.
const resources = readdirSync(demo)
  .filter((f) => f.endsWith('.json') && f !== 'kms-usage.json')
  .flatMap((f) => JSON.parse(readFileSync(new URL(f, demo), 'utf8')).resources)
  .filter((r) => r.service === 's3');
const finishedAt = new Date(s3kms.scan.finishedAt);

// ---------------------------------------------------------------- Service Quotas
// What ListServiceQuotas answers in each Region (applied values; the rest come from the defaults).
const metric = (resource) => ({ MetricNamespace: 'AWS/Usage', MetricName: 'CallCount', MetricDimensions: { Class: 'None', Resource: resource, Service: 'KMS', Type: 'API' }, MetricStatisticRecommendation: 'Sum' });
const quota = (region, code, name, value, resource) => ({
  ServiceCode: 'kms', ServiceName: 'AWS Key Management Service (AWS KMS)', QuotaArn: `arn:aws:servicequotas:${region}:${A}:kms/${code}`, QuotaCode: code, QuotaName: name,
  Value: value, Unit: 'None', Adjustable: true, GlobalQuota: false, ...(resource ? { UsageMetric: metric(resource) } : {}), Period: { PeriodValue: 1, PeriodUnit: 'SECOND' }, QuotaAppliedAtLevel: 'ACCOUNT',
});
const quotas = (region, symmetric) => [
  quota(region, 'L-6E3AF000', 'Cryptographic operations (symmetric) request rate', symmetric, 'CryptographicOperationsSymmetric'),
  quota(region, 'L-2AC98190', 'Cryptographic operations (RSA) request rate', 1000, 'CryptographicOperationsRsa'),
  quota(region, 'L-DC14942D', 'Cryptographic operations (ECC and SM2) request rate', 1000, 'CryptographicOperationsEcc'),
  quota(region, 'L-FAE8F084', 'DescribeKey request rate', 2000, 'DescribeKey'),
  quota(region, 'L-0428A42E', 'CreateGrant request rate', 50, 'CreateGrant'),
];

// ---------------------------------------------------------------- CloudWatch
// Hourly and one-minute Sums per Label: us-east-1 runs a nightly batch that
// decrypts its log archive, eu-west-1 is quiet.
const END = Math.floor(finishedAt.getTime() / 3_600_000) * 3_600_000;
const HOUR = 3_600_000;
const hours = (n, value, every = 1) => Array.from({ length: n }, (_, i) => [new Date(END - (i + 1) * HOUR * every), value]);
const series = {
  [E]: {
    hourly: {
      // 200,000 calls an hour all month, and the batch hour of 2026-11-26 at 02:00 (5,400,000).
      CryptographicOperationsSymmetric: [...hours(719, 200_000).filter(([t]) => t.toISOString() !== '2026-11-26T02:00:00.000Z'), [new Date('2026-11-26T02:00:00.000Z'), 5_400_000]],
      CryptographicOperationsRsa: hours(30, 400, 24),
      DescribeKey: hours(720, 50),
      CreateGrant: hours(12, 20, 48),
      'acme-log-archive GetRequests': hours(720, 3_333),
      'acme-log-archive PutRequests': hours(720, 833),
    },
    minutes: {
      // The busiest minute: 5,160,000 calls, 86,000 per second against a quota of 100,000.
      CryptographicOperationsSymmetric: [[new Date('2026-11-26T02:14:00.000Z'), 5_160_000], [new Date('2026-11-26T02:15:00.000Z'), 240_000], [new Date('2026-11-27T12:00:00.000Z'), 3_400]],
      CryptographicOperationsRsa: [[new Date('2026-11-27T03:00:00.000Z'), 30]],
      DescribeKey: [[new Date('2026-11-27T08:30:00.000Z'), 120]],
      CreateGrant: [[new Date('2026-11-20T10:00:00.000Z'), 20]],
    },
  },
  [W]: {
    hourly: { CryptographicOperationsSymmetric: hours(720, 1_250), DescribeKey: hours(720, 4) },
    minutes: { CryptographicOperationsSymmetric: [[new Date('2026-11-25T16:41:00.000Z'), 2_400]], DescribeKey: [[new Date('2026-11-25T16:41:00.000Z'), 12]] },
  },
};

const cw = mockClient(CloudWatchClient);
cw.on(GetMetricDataCommand).callsFake(async (input, getClient) => {
  const data = series[await getClient().config.region()];
  const minutes = input.MetricDataQueries[0].MetricStat.Period === 60;
  return {
    MetricDataResults: input.MetricDataQueries.map((q) => {
      const points = (minutes ? data.minutes : data.hourly)[q.Label] ?? [];
      const inWindow = points.filter(([t]) => t >= input.StartTime && t < input.EndTime);
      return { Id: q.Id, Label: q.Label, Timestamps: inWindow.map(([t]) => t), Values: inWindow.map(([, v]) => v), StatusCode: 'Complete' };
    }),
    Messages: [],
  };
});
const sq = mockClient(ServiceQuotasClient);
// us-east-1 and eu-west-1 both have the 100,000 per second symmetric default (requests-per-second page).
sq.on(ListServiceQuotasCommand).callsFake(async (_input, getClient) => ({ Quotas: quotas(await getClient().config.region(), 100000) }));
const s3 = mockClient(S3Client);
// The generic answer first: aws-sdk-client-mock lets a later, unfiltered .on() replace the filtered ones.
s3.on(ListBucketMetricsConfigurationsCommand).resolves({ IsTruncated: false });
s3.on(ListBucketMetricsConfigurationsCommand, { Bucket: 'acme-log-archive' }).resolves({ IsTruncated: false, MetricsConfigurationList: [{ Id: 'EntireBucket' }] });

const instant = { now: () => 0, sleep: async () => {} };
const clients = new ClientFactory({ credentials: { accessKeyId: 'AKIDDEMO', secretAccessKey: 'demo' } });
const { usage, errors } = await collectKmsUsage({ clients, accountId: A, partition: 'aws', regions: [E, W], resources, concurrency: 4, now: finishedAt, log: () => {}, clock: instant });
if (errors.length > 0) throw new Error(`demo usage collection failed: ${JSON.stringify(errors)}`);

const inventory = {
  kind: 'atrest-inventory',
  schemaVersion: '1',
  tool: s3kms.tool,
  scan: { ...s3kms.scan, services: ['kms'], errors: [] },
  keys: [],
  resources: [],
  usage,
};
writeFileSync(new URL('../fixtures/demo/kms-usage.json', import.meta.url), `${JSON.stringify(inventory, null, 2)}\n`);
console.log(`wrote fixtures/demo/kms-usage.json (${usage.regions.length} regions)`);
