import type { ClientFactory } from '../aws/clients.js';
import type { Resource, ScanError } from '../model/inventory.js';
import type { OutsideScan } from '../model/reach.js';
import type { ServiceName } from '../model/services.js';
import type { KeyResolver } from '../keys/resolver.js';
import type { TagIndex } from './tag-index.js';

/**
 * What a check is given. Checks talk to AWS through `clients` and to KMS only
 * through `keys` (the shared resolver), and return plain records. They never
 * judge: no severity, no pass or fail.
 */
export interface CheckContext {
  accountId: string;
  partition: string;
  /** The region this run covers (for account-wide checks: the first scanned region). */
  region: string;
  /** Every region of the scan (account-wide checks such as S3 filter by it). */
  regions: readonly string[];
  /** The services the user asked for; a module that covers two (rds, aurora) keeps only these. */
  services: readonly ServiceName[];
  clients: ClientFactory;
  keys: KeyResolver;
  /** Resources' tags in bulk (one Tagging API listing per Region and type), for S3, DynamoDB and KMS. */
  tags: TagIndex;
  /** --concurrency: calls in flight at once for one service in one region (the call gates enforce it). */
  concurrency: number;
  /**
   * Resources a check works on at once (2 × --concurrency): enough to keep
   * the service's gate full while some wait on another service (a key
   * lookup), few enough that a large account never queues thousands of calls.
   */
  fanOut: number;
  /** --key-usage: the KMS check also asks GetKeyLastUsage for each customer managed key (paced to its quota). */
  keyUsage?: boolean;
  /** Debug log (stderr with --debug). Never pass secrets to it. */
  log: (message: string) => void;
}

export interface CheckResult {
  resources: Resource[];
  /** Calls that failed; the affected resources are also `unknown` in `resources`. */
  errors: ScanError[];
  /** Resources the listing showed outside the scanned regions: named in the inventory, never dropped silently. */
  outsideRegions?: OutsideScan[];
}

/**
 * A collector: what a service's check module exports. Which services it
 * produces and whether it runs per region or once per scan are facts of the
 * descriptors that name it (src/services/<id>/service.ts), not repeated here.
 */
export interface ServiceCheck {
  run(context: CheckContext): Promise<CheckResult>;
}
