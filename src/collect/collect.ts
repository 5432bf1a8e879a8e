import type { ClientFactory } from '../aws/clients.js';
import { describeAwsError } from '../aws/errors.js';
import { KeyResolver } from '../keys/resolver.js';
import { checksFor } from './checks.js';
import { scanError } from './scan-error.js';
import type { CheckContext } from './check.js';
import { INVENTORY_SCHEMA_VERSION, type Inventory, type Resource, type ScanError } from '../model/inventory.js';
import type { OutsideScan } from '../model/reach.js';
import type { ServiceName } from '../model/services.js';
import { createLimiter } from '../util/limit.js';
import { sortBy, sortErrors } from '../util/sort.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';

/**
 * Runs the checks for every requested service and region and assembles the
 * inventory. This is the only stage that talks to AWS.
 */
export interface CollectOptions {
  clients: ClientFactory;
  accountId: string;
  principalArn: string;
  partition: string;
  regions: string[];
  services: ServiceName[];
  /** Calls in flight per service and region. */
  concurrency: number;
  /** --key-usage: GetKeyLastUsage for each customer managed key (paced to 5 requests per second per region). */
  keyUsage?: boolean;
  /** --usage: after the checks, read KMS usage metrics, request quotas and S3 request metrics per Region (src/services/kms/usage/). */
  usage?: boolean;
  /** Service-region checks running at once. */
  parallelChecks?: number;
  log: (message: string) => void;
  /** Injected by tests for a stable clock. */
  now?: () => Date;
  /** The key resolver, when the caller shares one across accounts (src/collect/accounts.ts); otherwise a new one. */
  keys?: KeyResolver;
  /** Told when each (check, region) task is planned and done, and when all are planned: the progress line (src/collect/accounts.ts). */
  events?: CollectEvents;
}

export interface CollectEvents {
  taskPlanned(region: string): void;
  taskDone(region: string, resources: number): void;
  allPlanned(): void;
}

export interface CollectResult {
  inventory: Inventory;
  /** DescribeKey calls made, for the debug log and tests. */
  describeKeyCalls: number;
}

export async function collect(options: CollectOptions): Promise<CollectResult> {
  const now = options.now ?? (() => new Date());
  const startedAt = now().toISOString();
  const keys = options.keys ?? new KeyResolver({
    clients: options.clients,
    accountId: options.accountId,
    partition: options.partition,
    concurrencyPerRegion: options.concurrency,
    log: options.log,
  });
  const resources: Resource[] = [];
  const errors: ScanError[] = [];
  const outsideRegions: OutsideScan[] = [];
  const limit = createLimiter(options.parallelChecks ?? 4);
  const tasks: Promise<void>[] = [];

  for (const { collector, services } of checksFor(options.services)) {
    const check = await collector.load();
    const regions = collector.scope === 'account' ? [options.regions[0]!] : options.regions;
    for (const region of regions) {
      const context: CheckContext = {
        accountId: options.accountId,
        partition: options.partition,
        region,
        regions: options.regions,
        services: options.services,
        clients: options.clients,
        keys,
        concurrency: options.concurrency,
        ...(options.keyUsage ? { keyUsage: true } : {}),
        log: options.log,
      };
      options.events?.taskPlanned(region);
      tasks.push(
        limit(async () => {
          let found = 0;
          try {
            const result = await check.run(context);
            found = result.resources.length;
            resources.push(...result.resources.filter((r) => options.services.includes(r.service)));
            errors.push(...result.errors);
            outsideRegions.push(...(result.outsideRegions ?? []));
          } catch (error) {
            // A check is expected to catch its own AWS errors; anything that
            // escapes is still recorded, never lost, and the scan goes on.
            const info = describeAwsError(error);
            options.log(`check ${collector.id} in ${region} threw: ${error instanceof Error ? error.stack : String(error)}`);
            for (const service of services) errors.push(scanError(service, region, 'check', info));
          } finally {
            options.events?.taskDone(region, found);
          }
        }),
      );
    }
  }
  options.events?.allPlanned();
  await Promise.all(tasks);

  const keyRecords = await keys.records();
  errors.push(...keys.errors());
  // After the checks: the usage step needs the buckets they found. Loaded only
  // when asked for, so a plain scan never loads the CloudWatch client.
  let usage: Inventory['usage'];
  if (options.usage) {
    const { collectKmsUsage } = await import('../services/kms/usage/collect.js');
    const result = await collectKmsUsage({
      clients: options.clients,
      accountId: options.accountId,
      partition: options.partition,
      regions: options.regions,
      resources,
      concurrency: options.concurrency,
      now: now(),
      log: options.log,
    });
    usage = result.usage;
    errors.push(...result.errors);
  }
  const inventory: Inventory = {
    kind: 'atrest-inventory',
    schemaVersion: INVENTORY_SCHEMA_VERSION,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    scan: {
      accountId: options.accountId,
      principalArn: options.principalArn,
      partition: options.partition,
      regions: [...options.regions].sort(),
      services: [...options.services].sort(),
      startedAt,
      finishedAt: now().toISOString(),
      errors: sortErrors(errors),
      ...(outsideRegions.length > 0 ? { outsideRegions: sortBy(outsideRegions, (o) => [o.service, o.type, o.region, o.arn]) } : {}),
    },
    keys: keyRecords,
    resources: sortBy(resources, (r) => [r.service, r.type, r.region, r.arn]),
    ...(usage ? { usage } : {}),
  };
  return { inventory, describeKeyCalls: keys.describeCalls };
}
