import type { ClientFactory } from '../../src/aws/clients.js';
import { KeyResolver } from '../../src/checks/key-resolver.js';
import type { CheckContext, CheckResult } from '../../src/checks/types.js';
import type { Inventory } from '../../src/model/inventory.js';
import type { ServiceName } from '../../src/model/services.js';
import { ACCOUNT, checkContext } from '../helpers/context.js';
import { inventory } from '../helpers/inventory.js';

/** A check context on `clients` (e.g. the HTTP-level ScriptedClients) with a resolver of its own. */
export function scriptedContext(clients: ClientFactory): CheckContext {
  return checkContext({ clients, keys: new KeyResolver({ clients, accountId: ACCOUNT, partition: 'aws' }) });
}

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
