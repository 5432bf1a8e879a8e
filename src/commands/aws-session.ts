import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';
import { CallBudget } from '../aws/call-budget.js';
import { ClientFactory } from '../aws/clients.js';
import { DEFAULT_SESSION_NAME } from '../aws/assume-role.js';
import { createCallStats } from '../aws/call-stats.js';
import { describeRegions, isEnabled, type RegionOptIn } from '../aws/enabled-regions.js';
import { describeAwsError, type AwsErrorInfo } from '../aws/errors.js';
import { getCallerIdentity, type CallerIdentity } from '../aws/identity.js';
import { listOrganizationAccounts, type OrganizationListing } from '../aws/organization.js';
import { homeRegion, parseRegionRequest, type RegionRequest } from '../aws/regions.js';
import { collectReach, type ReachResult } from '../collect/accounts.js';
import { buildTargets, inactiveNote, type AccountTarget } from '../collect/targets.js';
import { createProgress, progressMode, type ScanProgress } from './progress.js';
import { partitionOfRegion } from '../aws/region-names.js';
import { implementedServices } from '../collect/checks.js';
import { UsageError } from '../errors.js';
import type { AwsFlags } from './flags.js';
import type { ServiceName } from '../model/services.js';

/**
 * Everything a scan needs before the first check runs: clients, regions,
 * services, who we are and which accounts to read. Every problem here is the
 * user's to fix (exit 2).
 */
export interface AwsSession {
  clients: ClientFactory;
  identity: CallerIdentity;
  /** Where account-level calls go: AWS_REGION, AWS_DEFAULT_REGION, the profile, else the first of --regions. */
  home: string;
  regionRequest: RegionRequest;
  /** The caller's DescribeRegions answer (every region of the partition, with its opt-in status), or why it failed. */
  callerRegions: RegionOptIn[] | { error: AwsErrorInfo };
  targets: AccountTarget[];
  services: ServiceName[];
  /** Calls in flight and retries, for the progress line. */
  stats: ReturnType<typeof createCallStats>;
  notes: string[];
  /** Kept for callers of the single-account era: the regions named by --regions, else the caller's enabled ones. */
  regions: string[];
}

export async function openSession(flags: AwsFlags, log: (m: string) => void, inject: { clients?: ClientFactory } = {}): Promise<AwsSession> {
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
  const regionRequest = parseRegionRequest(flags.regions);
  if (flags.orgIncludeSelf && !flags.orgRole) throw new UsageError('--org-include-self only applies with --org-role (it adds the calling account to the organisation\'s accounts)');
  const stats = createCallStats();
  // Tests inject a factory that answers from a script (test/helpers/http.ts).
  // One budget for the whole run, shared by every account's factory
  // (ClientFactory.withCredentials keeps it): the overall ceiling of calls in
  // flight and the --max-duration deadline, which starts now.
  const budget = new CallBudget({
    ...(flags.maxConnections ? { maxInFlight: flags.maxConnections } : {}),
    ...(flags.maxDuration ? { maxDurationMs: flags.maxDuration } : {}),
  });
  const clients =
    inject.clients ??
    new ClientFactory({
      ...(flags.profile ? { profile: flags.profile } : {}),
      ...(flags.endpointUrl ? { endpointUrl: flags.endpointUrl } : {}),
      maxAttempts: flags.maxAttempts,
      concurrency: flags.concurrency,
      ...(flags.connectTimeout ? { connectTimeoutMs: flags.connectTimeout } : {}),
      ...(flags.requestTimeout ? { requestTimeoutMs: flags.requestTimeout } : {}),
      budget,
      instrument: stats.instrument,
    });
  clients.budget.start();
  const home = await startRegion(clients, regionRequest);
  log(`first calls go to ${home.region} (${home.source}); regions ${regionRequest.kind === 'list' ? regionRequest.regions.join(',') : 'every enabled region'}; services ${services.join(',')}`);

  let principal: CallerIdentity;
  if (regionRequest.kind === 'list') {
    // One GetCallerIdentity per region: it names the account and proves each
    // region is reachable before anything is scanned (a typo is exit 2, not a
    // scan full of unknowns).
    const identities = await Promise.all(regionRequest.regions.map((region) => getCallerIdentity(clients, region)));
    principal = identities[0]!;
  } else {
    principal = await getCallerIdentity(clients, home.region);
  }
  // ARNs carry the partition of the scanned Regions (SDK partition data); with real AWS
  // it is the principal's too, an emulator may answer with an arn:aws principal anywhere.
  const firstRegion = regionRequest.kind === 'list' ? regionRequest.regions[0]! : home.region;
  const partition = partitionOfRegion(firstRegion) ?? principal.partition;
  if (partition !== principal.partition) {
    if (!flags.endpointUrl) {
      throw new UsageError(`the principal ${principal.principalArn} is in partition ${principal.partition}, but the regions scanned (${firstRegion}) are in ${partition}; use credentials of that partition`);
    }
    log(`regions are in partition ${partition}; the endpoint answered with a principal of ${principal.partition}: ARNs use ${partition}`);
  }
  const identity: CallerIdentity = { ...principal, partition };
  log(`account ${identity.accountId} as ${identity.principalArn}`);

  let callerRegions: AwsSession['callerRegions'];
  try {
    callerRegions = await describeRegions(clients, home.region);
    if (callerRegions.length === 0) throw Object.assign(new Error('DescribeRegions listed no region'), { name: 'EmptyRegionList' });
  } catch (error) {
    const info = describeAwsError(error);
    if (regionRequest.kind === 'enabled') {
      throw new UsageError(
        `ec2:DescribeRegions failed in ${home.region} (${info.code}: ${info.message}): atrest needs it to find the account's enabled regions; allow ec2:DescribeRegions (iam/atrest-readonly-policy.json) or pass --regions`,
        { cause: error },
      );
    }
    log(`ec2 DescribeRegions failed (${info.code}: ${info.message}); scanning the regions named by --regions, opt-in status unknown`);
    callerRegions = { error: info };
  }
  if (regionRequest.kind === 'list' && !('error' in callerRegions)) {
    const listed = new Set(callerRegions.map((r) => r.region));
    const unknown = regionRequest.regions.filter((r) => !listed.has(r));
    if (unknown.length > 0) {
      throw new UsageError(`--regions: ${unknown.join(', ')} not a region of partition ${identity.partition} (ec2:DescribeRegions lists ${[...listed].join(', ')})`);
    }
  }

  const notes: string[] = [];
  let organization: OrganizationListing | undefined;
  if (flags.orgRole) {
    try {
      organization = await listOrganizationAccounts(clients, home.region);
    } catch (error) {
      const info = describeAwsError(error);
      throw new UsageError(
        `--org-role: organizations:ListAccounts failed (${info.code}: ${info.message}); run from the management account or a delegated administrator, as a principal allowed organizations:ListAccounts (iam/atrest-assume-role-policy.json)`,
        { cause: error },
      );
    }
    log(`organization: ${organization.active.length} ACTIVE account(s), ${organization.inactive.length} other, in ${organization.pages} page(s)`);
    const note = inactiveNote(organization.inactive);
    if (note) notes.push(note);
  }
  const targets = buildTargets(flags, identity, organization);
  const regions =
    regionRequest.kind === 'list'
      ? regionRequest.regions
      : 'error' in callerRegions
        ? [home.region]
        : callerRegions.filter((r) => isEnabled(r.optInStatus)).map((r) => r.region);
  return { clients, identity, home: home.region, regionRequest, callerRegions, targets, services: [...services].sort() as ServiceName[], stats, notes, regions };
}

/** The region of the first calls; with --regions and nothing configured, the first region named. */
async function startRegion(clients: ClientFactory, request: RegionRequest): Promise<{ region: string; source: string }> {
  try {
    return await homeRegion(clients);
  } catch (error) {
    if (request.kind === 'list' && error instanceof UsageError && /^no region to start from/.test(error.message)) {
      return { region: request.regions[0]!, source: 'the first of --regions' };
    }
    throw error;
  }
}

/** Runs every check of the session in every account and region of its share: the inventory, for scan, collect and keys alike. */
export function collectSession(session: AwsSession, flags: AwsFlags, log: (m: string) => void, progress: ScanProgress): Promise<ReachResult> {
  return collectReach({
    base: session.clients,
    caller: session.identity,
    home: session.home,
    targets: session.targets,
    regions: session.regionRequest,
    callerRegions: session.callerRegions,
    services: session.services,
    concurrency: flags.concurrency,
    keyUsage: flags.keyUsage ?? false,
    usage: flags.usage ?? false,
    ...(flags.shard ? { shard: flags.shard } : {}),
    assume: {
      sessionName: flags.roleSessionName ?? DEFAULT_SESSION_NAME,
      ...(flags.externalId ? { externalId: flags.externalId } : {}),
      ...(flags.sessionDuration ? { durationSeconds: flags.sessionDuration } : {}),
    },
    notes: session.notes,
    progress,
    log,
  });
}

/** The progress display for a live command's flags, counting the session's calls. */
export function sessionProgress(session: AwsSession, flags: AwsFlags): ScanProgress {
  return createProgress({ mode: progressMode(flags), calls: session.stats });
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
