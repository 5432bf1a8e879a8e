import type { CheckContext, CheckResult } from '../../src/collect/check.js';
import type { Inventory } from '../../src/model/inventory.js';
import type { ServiceName } from '../../src/model/services.js';
import { inventory } from './inventory.js';

/** The inventory `collect` would write for one check run: its resources, the resolver's keys, every error. */
export async function inventoryFrom(ctx: CheckContext, result: CheckResult, services: ServiceName[]): Promise<Inventory> {
  return inventory({
    regions: [ctx.region],
    services,
    errors: [...result.errors, ...ctx.keys.errors()],
    keys: await ctx.keys.records(),
    resources: result.resources,
  });
}
