import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { validator } from '../../src/schema.js';
import { FAKE_CREDENTIALS, spawnCli } from '../helpers/cli.js';

/**
 * `atrest scan --usage` as a user runs it, against a local endpoint on
 * 127.0.0.1 that answers STS, KMS, S3, Service Quotas (awsJson 1.1) and
 * CloudWatch (awsJson 1.0) in their wire formats: the request charge and a
 * throttled quota come out of a real scan, and a CloudWatch that refuses
 * leaves the usage unknown while the scan completes (exit 3).
 */
const ACCOUNT = '111122223333';
let server: Server;
let endpoint: string;
let cloudwatchDenies = false;
const targets: string[] = [];

function reply(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'x-amzn-requestid': 'req-1', 'x-amz-request-id': 'req-1' });
  res.end(body);
}

const xml = (res: ServerResponse, body: string, status = 200) => reply(res, status, 'application/xml', `<?xml version="1.0" encoding="UTF-8"?>${body}`);

interface Query {
  Id: string;
  Label?: string;
  MetricStat: { Period: number; Metric: { Namespace: string; MetricName: string; Dimensions: Array<{ Name: string; Value: string }> } };
}

/** CloudWatch's answer: 30 hourly points of 100,000 symmetric calls, one minute at 660,000 (11,000/s); the bucket's GETs and PUTs. */
function metricData(body: string): string {
  const input = JSON.parse(body) as { MetricDataQueries: Query[]; StartTime: number };
  const start = Number(input.StartTime);
  const results = input.MetricDataQueries.map((q) => {
    const resource = q.MetricStat.Metric.Dimensions.find((d) => d.Name === 'Resource')?.Value;
    const s3metric = q.MetricStat.Metric.Namespace === 'AWS/S3' ? q.MetricStat.Metric.MetricName : null;
    let points: Array<[number, number]> = [];
    if (q.MetricStat.Period === 3600 && resource === 'CryptographicOperationsSymmetric') points = Array.from({ length: 30 }, (_, i) => [start + 3600 * (i + 1), 100_000]);
    if (q.MetricStat.Period === 60 && resource === 'CryptographicOperationsSymmetric') points = [[start + 86_400, 660_000]];
    if (s3metric === 'GetRequests') points = [[start + 3600, 500_000]];
    if (s3metric === 'PutRequests') points = [[start + 3600, 100_000]];
    return { Id: q.Id, Label: q.Label, Timestamps: points.map((p) => p[0]), Values: points.map((p) => p[1]), StatusCode: 'Complete' };
  });
  return JSON.stringify({ MetricDataResults: results, Messages: [] });
}

function handle(req: IncomingMessage, body: string, res: ServerResponse): void {
  const target = String(req.headers['x-amz-target'] ?? '');
  const url = req.url ?? '';
  targets.push(target || `${req.method} ${url}`);
  if (body.includes('Action=GetCallerIdentity')) {
    return xml(res, `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::${ACCOUNT}:user/auditor</Arn><UserId>AIDAEXAMPLE</UserId><Account>${ACCOUNT}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></GetCallerIdentityResponse>`);
  }
  if (target === 'TrentService.ListKeys') return reply(res, 200, 'application/x-amz-json-1.1', JSON.stringify({ Keys: [], Truncated: false }));
  if (target === 'TrentService.ListAliases') return reply(res, 200, 'application/x-amz-json-1.1', JSON.stringify({ Aliases: [], Truncated: false }));
  if (target === 'TrentService.DescribeKey') {
    return reply(res, 200, 'application/x-amz-json-1.1', JSON.stringify({ KeyMetadata: { AWSAccountId: ACCOUNT, KeyId: '2d0b8c3a-4e5f-4061-8c1d-2e3f4a5b6c7d', Arn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/2d0b8c3a-4e5f-4061-8c1d-2e3f4a5b6c7d`, KeyState: 'Enabled', KeyManager: 'CUSTOMER', Origin: 'AWS_KMS', KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT', Enabled: true, MultiRegion: false, CreationDate: 1714521600 } }));
  }
  if (target === 'TrentService.GetKeyRotationStatus') return reply(res, 200, 'application/x-amz-json-1.1', JSON.stringify({ KeyRotationEnabled: true, RotationPeriodInDays: 365 }));
  // Tags come in bulk from the Tagging API (src/collect/tag-index.ts): nothing is tagged here.
  if (target === 'ResourceGroupsTaggingAPI_20170126.GetResources') return reply(res, 200, 'application/x-amz-json-1.1', JSON.stringify({ PaginationToken: '', ResourceTagMappingList: [] }));
  if (target === 'ServiceQuotasV20190624.ListServiceQuotas') {
    return reply(res, 200, 'application/x-amz-json-1.1', JSON.stringify({
      Quotas: [{ ServiceCode: 'kms', QuotaArn: `arn:aws:servicequotas:us-east-1:${ACCOUNT}:kms/L-6E3AF000`, QuotaCode: 'L-6E3AF000', QuotaName: 'Cryptographic operations (symmetric) request rate', Value: 10000, Unit: 'None', Adjustable: true, GlobalQuota: false, UsageMetric: { MetricNamespace: 'AWS/Usage', MetricName: 'CallCount', MetricDimensions: { Class: 'None', Resource: 'CryptographicOperationsSymmetric', Service: 'KMS', Type: 'API' }, MetricStatisticRecommendation: 'Sum' }, Period: { PeriodValue: 1, PeriodUnit: 'SECOND' } }],
    }));
  }
  if (target === 'GraniteServiceVersion20100801.GetMetricData') {
    if (cloudwatchDenies) return reply(res, 400, 'application/x-amz-json-1.0', JSON.stringify({ __type: 'com.amazonaws.cloudwatch#AccessDenied', message: `User: arn:aws:iam::${ACCOUNT}:user/auditor is not authorized to perform: cloudwatch:GetMetricData` }));
    return reply(res, 200, 'application/x-amz-json-1.0', metricData(body));
  }
  if (req.method === 'GET' && (url === '/' || url.startsWith('/?'))) {
    return xml(res, `<ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>owner</ID></Owner><Buckets><Bucket><Name>logs-bucket</Name><CreationDate>2024-05-01T00:00:00.000Z</CreationDate><BucketRegion>us-east-1</BucketRegion></Bucket></Buckets></ListAllMyBucketsResult>`);
  }
  if (url.includes('encryption')) {
    return xml(res, `<ServerSideEncryptionConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms</SSEAlgorithm><KMSMasterKeyID>arn:aws:kms:us-east-1:${ACCOUNT}:key/2d0b8c3a-4e5f-4061-8c1d-2e3f4a5b6c7d</KMSMasterKeyID></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>false</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>`);
  }
  if (url.includes('metrics')) {
    return xml(res, `<ListMetricsConfigurationsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><IsTruncated>false</IsTruncated><MetricsConfiguration><Id>EntireBucket</Id></MetricsConfiguration></ListMetricsConfigurationsResult>`);
  }
  if (url.includes('policy')) return xml(res, '<Error><Code>NoSuchBucketPolicy</Code><Message>The bucket policy does not exist</Message></Error>', 404);
  if (url.includes('tagging')) return xml(res, '<Error><Code>NoSuchTagSet</Code><Message>The TagSet does not exist</Message></Error>', 404);
  xml(res, `<Error><Code>InvalidRequest</Code><Message>unexpected call ${req.method} ${url} ${target}</Message></Error>`, 400);
}

function scan(args: string[]) {
  return spawnCli(['scan', '--regions', 'us-east-1', '--services', 's3,kms', '--endpoint-url', endpoint, '--max-attempts', '1', '--quiet', '--usage', ...args], { env: { ...FAKE_CREDENTIALS } });
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => handle(req, body, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('scan --usage against a local endpoint', () => {
  it('prices the month, finds the throttled quota (high, exit 1) and the bucket that drives it', async () => {
    cloudwatchDenies = false;
    targets.length = 0;
    const r = await scan(['--format', 'json']);
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout) as Report;
    expect(validator('report.schema.json')(report)).toBe(true);
    expect(targets).toContain('ServiceQuotasV20190624.ListServiceQuotas');
    expect(targets.filter((t) => t === 'GraniteServiceVersion20100801.GetMetricData')).toHaveLength(2);
    expect(targets.some((t) => t.includes('?metrics'))).toBe(true);
    // 3,000,000 symmetric calls: $9.00, less the free tier's $0.06.
    expect(report.cost.requests).toMatchObject({ status: 'measured', monthlyCalls: 3_000_000, monthlyUsd: 8.94 });
    const quota = report.findings.find((f) => f.ruleId === 'KMS.QUOTA_HEADROOM' && f.resourceArn.endsWith('kms/L-6E3AF000'))!;
    expect(quota).toMatchObject({ status: 'fail', severity: 'high' });
    expect(quota.message).toContain('11,000 requests per second');
    expect(quota.message).toContain('110% of the applied quota of 10,000 per second');
    const bucket = report.cost.requests.drivers[0]!.buckets[0]!;
    expect(bucket).toMatchObject({ bucketArn: 'arn:aws:s3:::logs-bucket', requestMetrics: 'measured', estimatedKmsRequests: 600_000, estimatedMonthlyUsd: 1.8, bucketKeySavingsUsd: 1.782 });
    expect(report.findings.find((f) => f.ruleId === 'S3.BUCKET_KEY')?.message).toContain('600,000 GET and PUT requests');
    expect(r.code).toBe(1);
  });

  it('CloudWatch refuses: the usage is unknown with the reason, the scan completes and exits 3', async () => {
    cloudwatchDenies = true;
    const r = await scan(['--format', 'json', '--fail-on', 'critical']);
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout) as Report;
    expect(report.cost.requests).toMatchObject({ status: 'unknown', monthlyUsd: null });
    expect(report.cost.requests.byRegion[0]!.reason).toContain('GetMetricData AccessDenied');
    expect(report.resources.map((x) => x.id)).toContain('logs-bucket');
    expect(report.findings.find((f) => f.ruleId === 'KMS.QUOTA_HEADROOM')).toMatchObject({ status: 'unknown' });
    expect(report.scan.errors).toEqual([expect.objectContaining({ operation: 'GetMetricData', code: 'AccessDenied' })]);
    expect(r.code).toBe(3);
  });
});
