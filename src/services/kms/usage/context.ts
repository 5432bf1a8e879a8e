import type { ClientFactory } from '../../../aws/clients.js';
import type { ScanError } from '../../../model/inventory.js';
import type { Paced } from '../../../util/rate.js';
import type { KmsPrices } from '../prices.js';

/** What the usage readers of one account and Region share: clients, pacing per API quota, and the sink for failed calls. */
export interface RegionUsageContext {
  clients: ClientFactory;
  accountId: string;
  partition: string;
  region: string;
  prices: KmsPrices;
  /** Paces ListServiceQuotas (10 requests per second per Region). */
  paceQuotas: Paced;
  /** Paces GetMetricData (see metrics.ts for the quotas it stays within). */
  paceMetrics: Paced;
  /** Calls in flight at once (ListBucketMetricsConfigurations, one per bucket). */
  concurrency: number;
  /** Failed calls: recorded, so nothing is lost, and the figures they would have given are `unknown`. */
  errors: ScanError[];
  log: (message: string) => void;
}
