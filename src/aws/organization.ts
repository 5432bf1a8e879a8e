import { OrganizationsClient, paginateListAccounts, type Account } from '@aws-sdk/client-organizations';
import type { ClientFactory } from './clients.js';

/**
 * The accounts of the organisation, from organizations:ListAccounts (every
 * page). It answers only in the management account or a delegated
 * administrator account.
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListAccounts.html
 *
 * Only ACTIVE accounts are scanned: a SUSPENDED, PENDING_CLOSURE or CLOSED
 * account cannot be signed in to. `State` is the current field; `Status` is
 * its deprecated predecessor, read when `State` is absent.
 */
export interface OrganizationAccount {
  id: string;
  name: string | null;
  state: string;
}

export interface OrganizationListing {
  /** ACTIVE accounts, sorted by id. */
  active: OrganizationAccount[];
  /** Every other account, with its state, sorted by id: named in the report, not scanned. */
  inactive: OrganizationAccount[];
  pages: number;
}

export async function listOrganizationAccounts(clients: ClientFactory, region: string): Promise<OrganizationListing> {
  const client = clients.get(OrganizationsClient, region);
  const accounts: Account[] = [];
  let pages = 0;
  for await (const page of paginateListAccounts({ client, pageSize: 20, stopOnSameToken: true }, {})) {
    pages += 1;
    accounts.push(...(page.Accounts ?? []));
  }
  const byId = new Map<string, OrganizationAccount>();
  for (const a of accounts) {
    if (!a.Id) continue;
    byId.set(a.Id, { id: a.Id, name: a.Name ?? null, state: a.State ?? a.Status ?? 'unknown' });
  }
  const all = [...byId.values()].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  return { active: all.filter((a) => a.state === 'ACTIVE'), inactive: all.filter((a) => a.state !== 'ACTIVE'), pages };
}
