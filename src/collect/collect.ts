import type { ClientFactory } from '../aws/clients.js';
import { describeAwsError } from '../aws/errors.js';
import { KeyResolver } from '../keys/resolver.js';
import { checksFor } from './checks.js';
import { scanError } from './scan-error.js';
import { TagIndex } from './tag-index.js';
import type { CheckContext } from './check.js';
import { INVENTORY_SCHEMA_VERSION, type Inventory, type Resource, type ScanError } from '../model/inventory.js';
import type { OutsideScan } from '../model/reach.js';
import type { ServiceName } from '../model/services.js';
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
  /**
   * How long to wait, after --max-duration ran out, for checks to return what
   * they read (every pending call fails at once then, so they finish within
   * moments). Past it, an unfinished check is recorded as a scan error.
   */
  deadlineGraceMs?: number;
  /** --usage: after the checks, read KMS usage metrics, request quotas and S3 request metrics per Region (src/services/kms/usage/). */
  usage?: boolean;
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

/** See CollectOptions.deadlineGraceMs. */
export const DEADLINE_GRACE_MS = 5_000;

/** Resolves when `work` settles, or `graceMs` after `deadline` fires, whichever is first. */
async function untilDeadline(work: Promise<unknown>, deadline: AbortSignal, graceMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  let resolveLate: () => void = () => {};
  const late = new Promise<void>((resolve) => {
    resolveLate = resolve;
  });
  const onAbort = (): void => {
    timer = setTimeout(() => resolveLate(), graceMs);
  };
  if (deadline.aborted) onAbort();
  else deadline.addEventListener('abort', onAbort, { once: true });
  try {
    await Promise.race([work.then(() => undefined), late]);
  } finally {
    if (timer) clearTimeout(timer);
    deadline.removeEventListener('abort', onAbort);
  }
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
    log: options.log,
  });
  const tags = new TagIndex({ clients: options.clients, log: options.log });
  const resources: Resource[] = [];
  const errors: ScanError[] = [];
  const outsideRegions: OutsideScan[] = [];
  // Every check of every Region runs at once: what bounds the calls is the
  // gate of each service and Region and the overall ceiling (aws/call-gate.ts,
  // aws/call-budget.ts), which hold a slot only while a call is on the wire.
  // (A limit on checks here used to keep DynamoDB's paced tag reads asleep in
  // three of four check slots while the other services waited.)
  const tasks: Promise<void>[] = [];
  const pending = new Map<Promise<void>, { services: ServiceName[]; region: string }>();
  /** Set once the inventory is being assembled: a check that returns later is too late to count. */
  let closed = false;

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
        tags,
        concurrency: options.concurrency,
        fanOut: options.concurrency * 2,
        ...(options.keyUsage ? { keyUsage: true } : {}),
        log: options.log,
      };
      options.events?.taskPlanned(region);
      const task = (async () => {
        let found = 0;
        try {
          const result = await check.run(context);
          if (closed) return;
          found = result.resources.length;
          resources.push(...result.resources.filter((r) => options.services.includes(r.service)));
          errors.push(...result.errors);
          outsideRegions.push(...(result.outsideRegions ?? []));
        } catch (error) {
          if (closed) return;
          // A check is expected to catch its own AWS errors; anything that
          // escapes is still recorded, never lost, and the scan goes on.
          const info = describeAwsError(error);
          options.log(`check ${collector.id} in ${region} threw: ${error instanceof Error ? error.stack : String(error)}`);
          for (const service of services) errors.push(scanError(service, region, 'check', info));
        } finally {
          if (!closed) options.events?.taskDone(region, found);
        }
      })();
      pending.set(task, { services, region });
      void task.then(() => pending.delete(task));
      tasks.push(task);
    }
  }
  options.events?.allPlanned();
  await untilDeadline(Promise.all(tasks), options.clients.budget.signal, options.deadlineGraceMs ?? DEADLINE_GRACE_MS);
  closed = true;
  // Only when --max-duration ran out and a check still had not returned: say
  // so for each, rather than wait for ever or drop it silently.
  for (const { services, region } of pending.values()) {
    for (const service of services) {
      errors.push(
        scanError(service, region, 'check', {
          code: 'MaxDurationExceeded',
          message: '--max-duration ran out before this check returned; the resources it was reading are not in the inventory',
        }),
      );
    }
  }

  const keyRecords = await keys.records();
  errors.push(...keys.errors(), ...tags.errors());
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
