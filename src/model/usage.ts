
/**
 * KMS request usage, as `--usage` reads it (src/services/kms/usage/): per
 * account and Region, the KMS usage metrics CloudWatch publishes in the
 * `AWS/Usage` namespace, the applied KMS request quotas from Service Quotas,
 * and the S3 request metrics of the buckets that call KMS on every object
 * request. Facts only, never judged: the request charge, the headroom and
 * the drivers are computed from them offline (src/services/kms/usage/).
 * Part of the inventory contract (schema/inventory.schema.json, `usage`).
 */
/** A call that failed (the same shape as the inventory's KeyFactError; declared here so inventory.ts can import this file without a cycle). */
export interface KeyFactError {
  operation: string;
  code: string;
  message: string;
}

export interface KmsUsage {
  regions: KmsRegionUsage[];
}

export interface TimeWindow {
  /** ISO date-time, inclusive. */
  start: string;
  /** ISO date-time, exclusive. */
  end: string;
}

export interface KmsRegionUsage {
  accountId: string;
  region: string;
  /** The window the monthly totals cover (the last 30 days before the scan, whole hours). */
  period: TimeWindow;
  /** The window the peaks cover: one-minute data, which CloudWatch keeps for 15 days (the last 14 days, whole minutes). */
  peakWindow: TimeWindow;
  metrics: UsageMetrics;
  quotas: RequestQuotas;
  /** S3 request metrics of the region's SSE-KMS buckets without a Bucket Key (absent when there are none). */
  s3RequestMetrics?: BucketRequestMetrics[];
}

/** What GetMetricData said about the KMS usage metrics of one Region. */
export interface UsageMetrics {
  /** `read`: every page was read; `unknown`: GetMetricData failed (error says why) and no figure of the Region is known. */
  status: 'read' | 'unknown';
  error?: KeyFactError;
  /** GetMetricData calls made (pages included). */
  calls: number;
  /** One entry per usage metric asked for (the quotas' usage metrics), with or without data. */
  series: UsageSeries[];
}

/** One `AWS/Usage` `CallCount` metric (dimensions Service=KMS, Type=API, Resource, Class). */
export interface UsageSeries {
  /** The `Resource` dimension: an operation name (DescribeKey) or a shared quota's name (CryptographicOperationsSymmetric). */
  resource: string;
  /** The `Class` dimension (KMS uses `None`). */
  class: string;
  /** Sum of the hourly Sum statistics over `period`; 0 when CloudWatch holds no data point (no call). */
  calls: number;
  /** Hours of `period` with at least one data point. */
  hoursWithData: number;
  /** The busiest minute of `peakWindow`: its Sum divided by 60; null when the window has no data point. */
  peakPerSecond: number | null;
  /** Start of that minute (ISO). */
  peakMinute: string | null;
  /** False when CloudWatch marked a result PartialData or InternalError: the figures are a lower bound. */
  complete: boolean;
  /** CloudWatch's messages about this query, when it gave any. */
  messages?: string[];
}

/** The KMS request quotas of one Region. */
export interface RequestQuotas {
  /** `service-quotas`: ListServiceQuotas answered (quotas it did not list come from the defaults); `defaults`: it failed (error says why). */
  source: 'service-quotas' | 'defaults';
  error?: KeyFactError;
  items: RequestQuota[];
}

export interface RequestQuota {
  /** Service Quotas quota code (L-…); null for a default whose code atrest does not know. */
  code: string | null;
  /** The quota's name, e.g. "Cryptographic operations (symmetric) request rate". */
  name: string;
  /** QuotaArn as Service Quotas gives it (or builds it for a known code); null without a code. */
  arn: string | null;
  /** Requests per second. */
  valuePerSecond: number;
  /** `applied`: ListServiceQuotas' Value (what the account has); `default`: the documented default of data/kms-prices.json. */
  valueSource: 'applied' | 'default';
  adjustable: boolean | null;
  /** The AWS/Usage metric that measures it; null when neither Service Quotas nor the data file names one. */
  usageMetric: { namespace: string; name: string; dimensions: Record<string, string> } | null;
}

/** S3 request metrics (CloudWatch AWS/S3) of one SSE-KMS bucket without a Bucket Key. */
export interface BucketRequestMetrics {
  bucketArn: string;
  bucket: string;
  /**
   * `measured`: a request metrics configuration covers the whole bucket and its GetRequests/PutRequests were read;
   * `filtered-only`: only configurations with a prefix, tag or access point filter exist (they count part of the bucket);
   * `not-enabled`: the bucket has no request metrics configuration;
   * `unknown`: ListBucketMetricsConfigurations or GetMetricData failed (error says why).
   */
  status: 'measured' | 'filtered-only' | 'not-enabled' | 'unknown';
  /** The whole-bucket configuration's Id (the FilterId dimension), when there is one. */
  filterId?: string;
  getRequests?: number;
  putRequests?: number;
  error?: KeyFactError;
}
