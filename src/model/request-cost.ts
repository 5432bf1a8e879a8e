/**
 * The KMS request charge, the quota headroom and the drivers of both, as the
 * report's `cost.requests` carries them (schema/report.schema.json). Computed
 * by the engine from the inventory's `usage` (src/model/usage.ts), its keys
 * and resources, and data/kms-prices.json. Every figure is measured or
 * derived from a measured one; where neither is possible it is null and a
 * note says why. Names are public: add, never rename.
 */

/** How the calls of one usage metric are priced (data/kms-prices.json, requestPrices.classes; `rsa` spans two of them). */
export type RequestPricing = 'requests' | 'rsa2048' | 'asymmetric' | 'generateDataKeyPairEcc' | 'generateDataKeyPairRsa' | 'rsa' | 'unknown';

export interface RequestCostLine {
  /** The usage metric's Resource dimension: an operation (DescribeKey) or a shared quota (CryptographicOperationsSymmetric). */
  operation: string;
  /** The quota(s) the metric measures. */
  quotas: string[];
  pricing: RequestPricing;
  /** Calls in the period (CloudWatch AWS/Usage CallCount, Sum). */
  calls: number;
  /** Price per 10,000 calls; for a range (RSA keys of unknown size) the low end, with usdPer10000Max the high end; null when unknown. */
  usdPer10000: number | null;
  usdPer10000Max?: number;
  /** Whether the free tier covers these calls. */
  freeTier: boolean;
  /** calls × price, before the free tier; null when the price is unknown. */
  monthlyUsd: number | null;
  monthlyUsdMax?: number;
  /** Where the price came from, in words (e.g. "every RSA key of the Region is RSA_2048"). */
  priceBasis: string;
}

export interface QuotaHeadroom {
  quota: string;
  code: string | null;
  arn: string | null;
  valuePerSecond: number;
  valueSource: 'applied' | 'default';
  /** The usage metric's Resource dimension; null when the quota has no known usage metric. */
  usageResource: string | null;
  /** The busiest minute's calls / 60, over the peak window; null when not measured or no call. */
  peakPerSecond: number | null;
  peakMinute: string | null;
  /** peakPerSecond / valuePerSecond × 100, one decimal; null when not measured. */
  sharePercent: number | null;
  /**
   * measured: a peak was read; no-calls: the metric had no data point in the window;
   * not-measured: no usage metric is known for the quota; unknown: the metrics could not be read.
   */
  status: 'measured' | 'no-calls' | 'not-measured' | 'unknown';
  /** False when CloudWatch returned partial data: the peak is a lower bound. */
  complete: boolean;
}

export interface RegionRequestCost {
  accountId: string;
  region: string;
  /** measured: every metric read; partial: some data partial; unknown: GetMetricData failed (reason says why). */
  status: 'measured' | 'partial' | 'unknown';
  reason?: string;
  monthlyCalls: number | null;
  /** Before the free tier (which is shared by every Region of the account). */
  monthlyUsd: number | null;
  monthlyUsdMax?: number | null;
  byOperation: RequestCostLine[];
  quotaSource: 'service-quotas' | 'defaults';
  /** Why the defaults were used, when they were. */
  quotaNote?: string;
  /** Quotas with a usage metric or a measured peak, most used first. */
  headroom: QuotaHeadroom[];
}

export interface BucketDriver {
  bucketArn: string;
  region: string;
  keyArn: string | null;
  sseAlgorithm: string;
  /** measured | filtered-only | not-enabled | unknown (ListBucketMetricsConfigurations and S3 request metrics), or not-read without --usage data. */
  requestMetrics: 'measured' | 'filtered-only' | 'not-enabled' | 'unknown' | 'not-read';
  getRequests: number | null;
  putRequests: number | null;
  /** GET + PUT requests of the period: each calls KMS once on an SSE-KMS object without a Bucket Key (an estimate: see note). */
  estimatedKmsRequests: number | null;
  /** estimatedKmsRequests at the request price, before the free tier. */
  estimatedMonthlyUsd: number | null;
  /** What a Bucket Key would save at most (up to 99% fewer KMS requests, after the account's free tier); null when it cannot be estimated. */
  bucketKeySavingsUsd: number | null;
  note: string;
}

export interface ResourceDriver {
  arn: string;
  type: string;
  keyArn: string | null;
  keyAlias: string | null;
}

export interface KeyDriver {
  keyArn: string;
  alias: string | null;
  lastUsedAt: string;
  operation: string | null;
}

export interface RegionDrivers {
  accountId: string;
  region: string;
  buckets: BucketDriver[];
  dynamodbTables: ResourceDriver[];
  lambdaFunctions: ResourceDriver[];
  /** With --key-usage: customer managed keys of the Region by last use, most recent first; null without it. */
  recentlyUsedKeys: KeyDriver[] | null;
  notes: string[];
}

export interface RequestCost {
  /** measured: every scanned Region read; partial: some data missing or partial; unknown: no Region readable; not-collected: the scan ran without --usage. */
  status: 'measured' | 'partial' | 'unknown' | 'not-collected';
  /** KMS API calls in the period, all measured Regions. */
  monthlyCalls: number | null;
  /** The monthly request charge of the measured Regions after the free tier (the low end when a price is a range). */
  monthlyUsd: number | null;
  /** The high end, when some price is a range. */
  monthlyUsdMax?: number | null;
  /** Per usage metric, all Regions together, most expensive first. */
  byOperation: RequestCostLine[];
  byRegion: RegionRequestCost[];
  /** The window the monthly figures cover (the last 30 days before the scan, taken as one month), and the peaks' window. */
  period: { days: number; start: string; end: string; peakWindow: { start: string; end: string; resolutionSeconds: number } } | null;
  /** Where the figures come from, in words. */
  source: string;
  prices: { source: string; checked: string };
  quotaDefaults: { source: string; checked: string };
  freeTier: { requestsPerMonth: number; eligibleCalls: number | null; appliedCalls: number | null };
  drivers: RegionDrivers[];
  notes: string[];
}
