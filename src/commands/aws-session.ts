import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';
import { CallBudget } from '../aws/call-budget.js';
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
  // One budget for the whole run: the overall ceiling of calls in flight and
  // the --max-duration deadline, which starts now (the identity calls count).
  const budget = new CallBudget({
    ...(flags.maxConnections ? { maxInFlight: flags.maxConnections } : {}),
    ...(flags.maxDuration ? { maxDurationMs: flags.maxDuration } : {}),
  });
  budget.start();
  const clients = new ClientFactory({
    ...(flags.profile ? { profile: flags.profile } : {}),
    ...(flags.endpointUrl ? { endpointUrl: flags.endpointUrl } : {}),
    maxAttempts: flags.maxAttempts,
    concurrency: flags.concurrency,
    ...(flags.connectTimeout ? { connectTimeoutMs: flags.connectTimeout } : {}),
    ...(flags.requestTimeout ? { requestTimeoutMs: flags.requestTimeout } : {}),
    budget,
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
    log,
  });
}

/** Ends a session: closes every client's sockets and the --max-duration timer. */
export function endSession(session: AwsSession): void {
  session.clients.destroy();
  session.clients.budget.dispose();
}

/** When --max-duration ran out, one line on stderr says so (the result names every call it cut short). */
export function sayIfStopped(session: AwsSession): void {
  const budget = session.clients.budget;
  if (!budget.expired) return;
  const reason = budget.signal.reason as { message?: string } | undefined;
  process.stderr.write(`atrest: ${reason?.message?.replace(/ before this call completed.*$/, '') ?? '--max-duration ran out'}: the result holds what was read, and every call cut short is recorded as a scan error\n`);
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
