import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';
import { ClientFactory } from '../aws/clients.js';
import { collect, type CollectResult } from '../collect/collect.js';
import { getCallerIdentity, type CallerIdentity } from '../aws/identity.js';
import { defaultRegion, parseRegionList } from '../aws/regions.js';
import { implementedServices } from '../collect/checks.js';
import { UsageError } from '../errors.js';
import type { AwsFlags } from './flags.js';
import type { ServiceName } from '../model/services.js';

/**
 * Everything a scan needs before the first check runs: clients, regions,
 * services and who we are. Every problem here is the user's to fix (exit 2).
 */
export interface AwsSession {
  clients: ClientFactory;
  identity: CallerIdentity;
  regions: string[];
  services: ServiceName[];
}

export async function openSession(flags: AwsFlags, log: (m: string) => void): Promise<AwsSession> {
  const available = implementedServices();
  const services = flags.services ?? available;
  const missing = services.filter((s) => !available.includes(s));
  if (missing.length > 0) {
    throw new UsageError(`--services: ${missing.join(', ')} not implemented yet in this version (available: ${available.join(', ')})`);
  }
  if (flags.endpointUrl) {
    try {
      new URL(flags.endpointUrl);
    } catch {
      throw new UsageError(`--endpoint-url: "${flags.endpointUrl}" is not a URL (expected e.g. http://localhost:4566)`);
    }
  }
  await assertProfileExists(flags.profile);
  const regionList = flags.regions !== undefined ? parseRegionList(flags.regions) : undefined;
  const clients = new ClientFactory({
    ...(flags.profile ? { profile: flags.profile } : {}),
    ...(flags.endpointUrl ? { endpointUrl: flags.endpointUrl } : {}),
    maxAttempts: flags.maxAttempts,
  });
  const regions = regionList ?? [await defaultRegion(clients)];
  log(`regions ${regions.join(',')}; services ${services.join(',')}`);
  // One GetCallerIdentity per region: it names the account and proves each
  // region is reachable before anything is scanned (a typo is exit 2, not a
  // scan full of unknowns).
  const identities = await Promise.all(regions.map((region) => getCallerIdentity(clients, region)));
  const identity = identities[0]!;
  log(`account ${identity.accountId} as ${identity.principalArn}`);
  return { clients, identity, regions, services: [...services].sort() as ServiceName[] };
}

/** Runs every check of the session: the inventory, for scan and collect alike. */
export function collectSession(session: AwsSession, flags: AwsFlags, log: (m: string) => void): Promise<CollectResult> {
  return collect({
    clients: session.clients,
    accountId: session.identity.accountId,
    principalArn: session.identity.principalArn,
    partition: session.identity.partition,
    regions: session.regions,
    services: session.services,
    concurrency: flags.concurrency,
    keyUsage: flags.keyUsage ?? false,
    usage: flags.usage ?? false,
    log,
  });
}

/**
 * A profile that is in neither shared file would otherwise surface as the
 * SDK's generic "Could not load credentials from any providers": name the
 * profile and the files looked in instead.
 */
async function assertProfileExists(flag: string | undefined): Promise<void> {
  const name = flag ?? process.env.AWS_PROFILE;
  if (!name) return;
  const { configFile, credentialsFile } = await loadSharedConfigFiles({ ignoreCache: true });
  if (name in configFile || name in credentialsFile) return;
  const config = process.env.AWS_CONFIG_FILE ?? '~/.aws/config';
  const credentials = process.env.AWS_SHARED_CREDENTIALS_FILE ?? '~/.aws/credentials';
  const source = flag ? `--profile ${flag}` : `AWS_PROFILE=${name}`;
  throw new UsageError(`${source}: no profile "${name}" in ${config} or ${credentials}`);
}
